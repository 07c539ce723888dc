// One incident, at its permalink /incident.html?id=UUID: what happened, a
// timeline of its attributions, and each attribution oldest first with its
// party, confidence, sources and the norms it names, each marked as the
// registry marks it (docs/registry.md, "Stated words and our mapping").
import { $, el, api, all, fail, downloadBlock } from './common.js';
import { link, countryLink, normLink } from './view.js';
import { timeline } from './timeline.js';

// The registry's three marks, in the words of the call-out view.
const MARK = {
  stated: ['stated in the text', 'mark-stated'],
  named: ['norm named in the text, letter by our mapping', 'mark-named'],
  mapping: ['our mapping', 'mark-mapping'],
};

function mark(kind) {
  const [text, cls] = MARK[kind];
  return el('span', { class: `mark ${cls}`, 'data-mark': kind }, text);
}

// What an attribution says about norms and law: the norms with their mark,
// then the other rules and words it invokes.
function invoked(a) {
  const inv = a.invocations || [];
  const named = inv.some((v) => v.kind === 'commitment' && v.rule === 'norm');
  const ul = el('ul', { class: 'invoked' });
  for (const v of inv) {
    if (v.kind === 'norm' || v.kind === 'norm_mapping') {
      ul.append(el('li', { class: 'norm-named' }, 'norm ', normLink(v.norm_id),
        mark(v.kind === 'norm' ? 'stated' : named ? 'named' : 'mapping'),
        v.articulation ? ` “${v.articulation}”` : ''));
    } else {
      const kind = v.kind === 'commitment' && v.rule === 'norm' ? 'norm described in the words'
        : `${(v.kind || 'invokes').replaceAll('_', ' ')}${v.rule && v.rule !== v.kind ? ` (${v.rule.replaceAll('_', ' ')})` : ''}`;
      ul.append(el('li', {}, el('span', { class: 'kind' }, kind), v.text ? `: “${v.text}”` : ''));
    }
  }
  return inv.length ? ul : el('p', { class: 'muted' }, 'Names no norm or rule of law.');
}

function attributionItem(a, names) {
  const who = (iso3, fallback) => (iso3 ? countryLink(iso3, names) : el('span', {}, fallback || 'unknown'));
  const conf = typeof a.confidence === 'number' ? `stated confidence ${a.confidence}/100` : 'no confidence stated';
  return el('li', { class: 'attribution', 'data-date': a.date || '' },
    el('p', {}, el('span', { class: 'date' }, a.date || 'undated'), ': ', who(a.party_iso3, a.party_name),
      ' attributed it to ', who(a.attributed_iso3, 'no state named'), a.actor ? ` (${a.actor})` : '', '.'),
    el('p', { class: 'muted' }, el('span', { class: 'confidence' }, conf), a.basis ? `; basis: ${a.basis}` : '',
      a.standard_id ? `; standard applied: ${a.standard_id}` : ''),
    el('p', { class: 'source' }, 'Source: ', link(a.statement_title || a.statement_url || 'statement', a.statement_url)),
    invoked(a),
    a.note ? el('details', {}, el('summary', {}, 'Analyst note'), el('p', {}, a.note)) : null);
}

function facts(i, names) {
  const when = i.start_date ? `${i.start_date}${i.end_date ? ` to ${i.end_date}` : ''}` : 'date unknown';
  const rows = [['Started', when], ['Attributions', String(i.attribution_count)]];
  if (i.victim_states?.length) rows.push(['Victim states', ...i.victim_states.flatMap((v, k) => [k ? ', ' : '', countryLink(v, names)])]);
  if (i.victim_sectors?.length) rows.push(['Victim sectors', i.victim_sectors.join(', ')]);
  if (i.effects?.length) rows.push(['Effects', i.effects.map((x) => String(x).replaceAll('-', ' ')).join(', ')]);
  if (i.cert_targeted === true) rows.push(['Emergency response teams', 'their systems were targeted (see norm ', normLink('k'), ')']);
  if (i.sources?.length) rows.push(['Sources', ...i.sources.flatMap((u, k) => [k ? ', ' : '', link(`source ${k + 1}`, u.url || u)])]);
  const dl = el('dl', { class: 'inline' });
  for (const [k, ...v] of rows) dl.append(el('dt', {}, k), el('dd', {}, ...v));
  return [i.description ? el('p', {}, i.description) : null, dl].filter(Boolean);
}

async function main() {
  const id = new URLSearchParams(location.search).get('id') || '';
  if (!/^[0-9a-fA-F-]{36}$/.test(id)) {
    $('#status').textContent = 'No incident given: open one from the list of incidents.';
    $('#status').className = 'error';
    return;
  }
  let i, names;
  try {
    const [inc, countries] = await Promise.all([api(`incidents/${id}`), all('countries')]);
    i = inc;
    names = Object.fromEntries(countries.map((c) => [c.iso3, c.name]));
  } catch (err) {
    fail(err);
    return;
  }
  document.title = `cdg — ${i.title}`;
  $('#title').textContent = i.title;
  $('#data-link').href = `/api/v1/incidents/${id}`;
  // This incident and its attributions, as the registry's files.
  const one = `/api/v1/registry/export?id=${encodeURIComponent(id)}`;
  downloadBlock($('#incident-data'), [['CSV', `${one}&format=csv`], ['JSON', `${one}&format=json`],
    ['STIX 2.1', `${one}&format=stix`]], ['The accountability registry', '/docs/registry']);
  $('#facts').replaceChildren(...facts(i, names));
  // Oldest first; undated last.
  const attrs = [...i.attributions].sort((a, b) => (a.date || '9999').localeCompare(b.date || '9999'));
  $('#timeline').replaceChildren(attrs.length ? timeline(attrs, names, `Attributions of ${i.title} per year, by State attributed`)
    : el('p', {}, 'No public attribution yet.'));
  $('#attributions').replaceChildren(...attrs.map((a) => attributionItem(a, names)));
  $('#status').textContent = `Permalink of this incident: ${location.origin}/incident.html?id=${id}`;
}

main();
