// Norm page (?letter=a..k): the norm, the violations called out against
// it, and who reports implementing it in published survey responses.
import { $, el, api, all, fail, downloadBlock } from './common.js';
import { link, countryLink, normLink, answerLabel, answerClass, evidenceList, SYNTHETIC } from './view.js';

const CATEGORY = { restraint: 'restraint', cooperation_protection: 'cooperation / protection', industry: 'industry' };

function letterFromPage() {
  const l = new URLSearchParams(location.search).get('letter') || '';
  return /^[a-k]$/.test(l) ? l : null;
}

function about(catalog, n) {
  document.title = `cdg — norm ${n.paragraph}`;
  $('#name').textContent = `Norm ${n.paragraph}: ${n.title}`;
  const dl = $('#about');
  const add = (k, ...v) => dl.append(el('dt', {}, k), el('dd', {}, ...v));
  add('In short', n.paraphrase);
  add('Category', el('span', { class: `cat-${n.category}` }, CATEGORY[n.category] || n.category),
    n.subcategory && n.subcategory !== n.category ? ` (${n.subcategory})` : '');
  add('Source', link(`UN GGE 2015 report, A/70/174, paragraph ${n.paragraph}`, n.source_url));
  const goals = catalog.goals.filter((g) => (g.norms || []).includes(n.id));
  if (goals.length) add('Cyber Development Goals built on it', ...goals.flatMap((g, i) => [i ? '; ' : '', `${g.id} ${g.title}`]));
  $('#norm-nav').replaceChildren(...catalog.norms.map((m) => el('li', {},
    m.id === n.id ? el('span', { 'aria-current': 'page' }, m.paragraph) : normLink(m.id, m.paragraph))));
}

function violations(v, names) {
  const box = $('#violations');
  if (!v.states.length) {
    box.replaceChildren(el('p', { class: 'muted', id: 'no-violations' },
      'No recorded public attribution names this norm as breached. Attributions that invoke only general international law or domestic law are listed in the ',
      el('a', { href: '/incidents.html' }, 'incident browser'), '.'));
    return;
  }
  box.replaceChildren(...v.states.map((s) => {
    const conf = s.confidence.stated ? `stated confidence ${s.confidence.min === s.confidence.max ? s.confidence.min : `${s.confidence.min}-${s.confidence.max}`}` : 'no confidence stated';
    return el('section', { class: 'viol-state', 'data-state': s.state },
      el('h3', {}, s.state === 'unknown' ? 'State not named' : countryLink(s.state, names)),
      el('p', {}, `${s.violations} violation${s.violations === 1 ? '' : 's'} called out by ${s.independent_parties} independent part${s.independent_parties === 1 ? 'y' : 'ies'} (${s.stated_in_text} stated in the text, ${s.our_mapping} by our mapping, ${s.named_in_words} of which name a norm in their own words); ${conf}.`),
      el('ul', { class: 'registry' }, ...s.items.map((i) => el('li', {},
        el('span', { class: 'date' }, i.date || 'undated'), ': ',
        i.party_iso3 ? countryLink(i.party_iso3, names) : i.party_name, ' on ', el('strong', {}, i.incident),
        i.actor ? ` (${i.actor})` : '', '. ',
        el('span', { class: i.stated ? 'mark-stated' : 'muted mark-mapping' }, i.stated ? '[stated in the text] '
          : i.named_in_words ? '[norm named in the text; the letter is our mapping] '
            : '[our mapping: the statement does not give the letter] '),
        i.quotation ? el('q', {}, i.quotation) : '', i.quotation ? ' ' : '',
        i.articulation ? `How: ${i.articulation}. ` : '', 'Statement: ', link(i.statement_title || 'statement', i.statement_url)))));
  }));
}

// The filters are the API's (?latest=true, ?synthetic=false).
function implQuery(letter) {
  const p = new URLSearchParams();
  if (!$('#all-years').checked) p.set('latest', 'true');
  if ($('#no-synthetic').checked) p.set('synthetic', 'false');
  return `norms/${letter}/implementation${p.size ? `?${p}` : ''}`;
}

function implementation(catalog, impl, names, letter) {
  const qs = impl.questions;
  // The same filters as the table: what is shown is what downloads.
  const q = implQuery(letter).split('?')[1];
  downloadBlock($('#impl-data'), [['CSV', `/api/v1/norms/${letter}/implementation?${q ? `${q}&` : ''}format=csv`],
    ['JSON', `/api/v1/norms/${letter}/implementation?${q ? `${q}&` : ''}format=json`]], ['The national survey', '/docs/survey']);
  const scaleOf = Object.fromEntries(qs.map((q) => [q.id, q.scale]));
  $('#questions').replaceChildren(...qs.map((q) => el('li', { id: `q-${q.id}` }, el('span', { class: 'qid' }, q.id), ' ', q.text)));
  // Rows by the name shown (then the latest year first), not by code.
  const shown = (r) => names?.[r.country] || r.country;
  const rows = [...impl.responses].sort((a, b) => shown(a).localeCompare(shown(b), 'en', { sensitivity: 'base' }) || b.year - a.year);
  const states = new Set(rows.map((r) => r.country)).size;
  const synth = rows.filter((r) => r.synthetic).length;
  $('#synthetic').hidden = synth === 0;
  $('#impl-summary').textContent = rows.length
    ? `${rows.length} published response${rows.length === 1 ? '' : 's'} from ${states} state${states === 1 ? '' : 's'}${synth ? ` (${synth} SYNTHETIC demo response${synth === 1 ? '' : 's'})` : ''}.`
    : 'No published survey response yet: no state reports on this norm.';
  $('#implementation thead').replaceChildren(el('tr', {}, el('th', { scope: 'col' }, 'State'), el('th', { scope: 'col' }, 'Year'),
    ...qs.map((q) => el('th', { scope: 'col', title: q.text }, el('a', { href: `#q-${q.id}` }, q.id)))));
  $('#implementation tbody').replaceChildren(...rows.map((r) => {
    const byQ = Object.fromEntries(r.answers.map((a) => [a.question, a]));
    return el('tr', { 'data-country': r.country, 'data-year': String(r.year) },
      el('th', { scope: 'row' }, countryLink(r.country, names), r.synthetic ? el('span', {}, ' ', SYNTHETIC()) : ''),
      el('td', {}, el('a', { href: `/country.html?iso3=${r.country}#answers-h` }, String(r.year))),
      ...qs.map((q) => {
        const a = byQ[q.id];
        if (!a) return el('td', { class: 'muted' }, 'no answer');
        return el('td', {}, el('span', { class: answerClass(catalog, scaleOf[q.id], a.answer) }, answerLabel(catalog, scaleOf[q.id], a.answer)),
          el('br'), evidenceList(a.evidence, { compact: true }));
      }));
  }));
}

async function main() {
  const letter = letterFromPage();
  if (!letter) { fail(new Error('give ?letter=a to k')); return; }
  try {
    const [catalog, countries, v, impl] = await Promise.all([api('framework'), all('countries'),
      api(`norms/${letter}/violations`), api(implQuery(letter))]);
    const names = Object.fromEntries(countries.map((c) => [c.iso3, c.name]));
    const n = catalog.norms.find((x) => x.id === letter);
    about(catalog, n);
    violations(v, names);
    downloadBlock($('#viol-data'), [['CSV', `/api/v1/norms/${letter}/violations?format=csv`],
      ['JSON', `/api/v1/norms/${letter}/violations?format=json`],
      ['STIX 2.1', `/api/v1/registry/export?format=stix&norm=${letter}`]], ['The accountability registry', '/docs/registry']);
    implementation(catalog, impl, names, letter);
    const refresh = () => api(implQuery(letter)).then((x) => implementation(catalog, x, names, letter)).catch(fail);
    $('#all-years').addEventListener('change', refresh);
    $('#no-synthetic').addEventListener('change', refresh);
    $('#status').textContent = 'Every answer links to its evidence, every call-out to its statement.';
  } catch (err) {
    fail(err);
  }
}

main();
