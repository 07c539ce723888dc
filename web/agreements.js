// Agreements page: the map (type, makers, compliance kept apart), a
// side-by-side comparison aligned on norms (?ids=a,b in the query string),
// one agreement's participants and commitments (#id opens one), and the
// industry norms.
import { $, el, api, all, fail, downloadBlock } from './common.js';
import { link, countryLink, normLink, SYNTHETIC } from './view.js';

const TYPE = { single_group: 'one stakeholder group', multistakeholder: 'multistakeholder', binding: 'binding instrument' };
const COMPLIANCE = { none: 'none', reporting: 'reporting', peer_review: 'peer review', legal_obligation: 'legal obligation' };
const GROUP = { states: 'States', industry: 'industry', civil_society: 'civil society', technical_community: 'technical community', academia: 'academia', international_organisations: 'international organisations' };
const groups = (g) => g.stakeholder_groups.map((x) => GROUP[x] || x).join(', ');

function idsFromPage() {
  const p = new URLSearchParams(location.search).get('ids') || '';
  return p.split(',').filter((x) => /^[A-Za-z0-9._-]+$/.test(x));
}

function refLink(row) {
  if (row.kind === 'gge_norm') return normLink(row.ref, `Norm 13(${row.ref})`);
  return el('span', {}, row.kind === 'cdg' ? row.ref : `${row.ref} (industry)`);
}

function cell(cs, label) {
  const td = el('td', { 'data-label': label });
  if (!cs.length) td.append(el('span', { class: 'muted' }, '—'));
  for (const c of cs) {
    td.append(el('p', { class: 'commitment' }, c.text, ' ',
      el('span', { class: `force force-${c.force}` }, c.force), c.where ? el('span', { class: 'muted' }, ` (${c.where})`) : ''));
  }
  return td;
}

async function compare(ids) {
  const box = $('#comparison');
  if (ids.length < 2) { box.hidden = true; return; }
  const r = await api(`agreements/compare?ids=${encodeURIComponent(ids.join(','))}`);
  const names = r.agreements.map((a) => a.short_name);
  $('#compare thead').replaceChildren(el('tr', {}, el('th', { scope: 'col' }, 'Norm or goal'),
    ...r.agreements.map((a) => el('th', { scope: 'col' }, el('a', { href: `#detail`, 'data-id': a.id, class: 'show' }, a.short_name), ` (${a.year})`))));
  const term = (label, f) => el('tr', { class: 'terms' }, el('th', { scope: 'row' }, label),
    ...r.agreements.map((a, i) => el('td', { 'data-label': names[i] }, f(a))));
  const rows = [
    term('Made by', (a) => groups(a)),
    term('Type', (a) => TYPE[a.type] || a.type),
    term('Aims at', (a) => a.objectives.join('; ')),
    term('Compliance', (a) => `${COMPLIANCE[a.compliance] || a.compliance}${a.compliance_note ? ` — ${a.compliance_note}` : ''}`),
    ...r.rows.map((row) => el('tr', { 'data-ref': row.ref }, el('th', { scope: 'row' }, refLink(row), el('br'), el('span', { class: 'muted' }, row.title)),
      ...row.cells.map((cs, i) => cell(cs, names[i])))),
    el('tr', { 'data-ref': 'unmapped' }, el('th', { scope: 'row' }, 'Maps to no norm or goal'), ...r.unmapped.map((cs, i) => cell(cs, names[i]))),
  ];
  $('#compare tbody').replaceChildren(...rows);
  box.hidden = false;
  for (const a of box.querySelectorAll('a.show')) a.addEventListener('click', () => detail(a.dataset.id).catch(fail));
}

async function detail(id) {
  const g = await api(`agreements/${encodeURIComponent(id)}`);
  const dl = el('dl', { class: 'inline' });
  const add = (k, ...v) => dl.append(el('dt', {}, k), el('dd', {}, ...v));
  add('Made by', `${groups(g)} (${TYPE[g.type] || g.type})`);
  add('Aims at', g.objectives.join('; '));
  add('Compliance', `${COMPLIANCE[g.compliance]}${g.compliance_note ? ` — ${g.compliance_note}` : ''}`);
  add('Source', link(g.source_url, g.source_url), g.source_note ? ` ${g.source_note}` : '');
  // A row of the desk-research list also says when its source was checked;
  // what was read there shows on hover.
  const parts = el('ul', { class: 'participants' }, ...g.participants.map((p) => el('li', p.note ? { title: p.note } : {},
    p.iso3 ? countryLink(p.iso3, { [p.iso3]: p.name }) : p.name, `: ${p.role}, ${p.date || 'date not known'} `,
    link('source', p.source_url), p.checked ? ` (checked ${p.checked})` : '')));
  $('#detail-h').textContent = g.name;
  $('#detail-body').replaceChildren(dl,
    el('h3', {}, `Participants (${g.participants.length})`),
    g.participants_note ? el('p', { class: 'muted' }, g.participants_note) : '', parts,
    el('h3', {}, 'Commitments'),
    el('ol', {}, ...g.commitments.map((c) => el('li', {}, c.text, ' ', el('span', { class: `force force-${c.force}` }, c.force),
      c.location ? ` (${c.location})` : '', c.maps.length ? ` — maps to ${c.maps.join(', ')}` : ' — maps to no norm or goal'))));
  $('#detail').hidden = false;
}

async function main() {
  const list = await all('agreements');
  const want = new Set(idsFromPage());
  downloadBlock($('#agreements-data'), [['CSV', '/api/v1/agreements?format=csv'], ['JSON', '/api/v1/agreements?format=json']],
    ['Agreements and initiatives', '/docs/agreements']);
  $('#agreements tbody').replaceChildren(...list.map((g) => el('tr', { 'data-id': g.id },
    el('td', { 'data-label': 'Compare' }, el('input', { type: 'checkbox', name: 'ids', value: g.id, id: `pick-${g.id}`, ...(want.has(g.id) ? { checked: '' } : {}) })),
    el('th', { scope: 'row' }, el('label', { for: `pick-${g.id}` }, g.short_name), el('br'), el('span', { class: 'muted' }, g.name)),
    el('td', { 'data-label': 'Year' }, String(g.year)),
    el('td', { 'data-label': 'Made by' }, groups(g)),
    el('td', { 'data-label': 'Type' }, TYPE[g.type] || g.type),
    el('td', { 'data-label': 'Compliance' }, COMPLIANCE[g.compliance] || g.compliance),
    el('td', { 'data-label': 'Commitments' }, String(g.commitment_count)),
    el('td', { 'data-label': 'Participants' }, String(g.participant_count)))));
  $('#pick').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const ids = [...document.querySelectorAll('#agreements input[name=ids]:checked')].map((i) => i.value);
    if (ids.length < 2 || ids.length > 8) { $('#pick-msg').textContent = 'Tick 2 to 8 agreements.'; return; }
    $('#pick-msg').textContent = '';
    history.replaceState(null, '', `?ids=${ids.join(',')}`);
    compare(ids).then(() => $('#cmp-h').scrollIntoView()).catch(fail);
  });
  await compare([...want]);
  // A link to one agreement (#id, as the country profile makes) opens it.
  const one = decodeURIComponent(location.hash.slice(1));
  if (list.some((g) => g.id === one)) await detail(one).then(() => $('#detail-h').scrollIntoView());
  const ind = await all('agreements/industry-norms');
  $('#industry').replaceChildren(...ind.map((n) => el('section', { class: 'industry-norm', 'data-norm': n.id },
    el('h3', {}, `${n.id}: ${n.title}`), el('p', {}, n.paraphrase, ' ', link('source', n.source_url)),
    n.commitments.length
      ? el('ul', {}, ...n.commitments.map((c) => el('li', {}, el('strong', {}, c.company), ` (${c.date}): ${c.commitment}. `,
        link('evidence', c.evidence_url), c.synthetic ? el('span', {}, ' ', SYNTHETIC()) : '')))
      : el('p', { class: 'muted' }, 'No company commitment recorded with evidence yet.'))));
  $('#status').textContent = `${list.length} agreements and initiatives.`;
}

main().catch(fail);
