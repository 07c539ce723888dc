// Capacity page: a state's gaps with the initiatives that address them
// (?iso3=&year= in the query string), unserved gaps, duplication groups,
// the initiatives and their donors.  Synthetic records are labelled.
import { $, el, api, all, fail, RATING_LABEL, downloadBlock } from './common.js';
import { link, countryLink, SYNTHETIC } from './view.js';

let names = {};
let anySynthetic = false;

const tag = (x) => (x.synthetic ? (anySynthetic = true, el('span', {}, ' ', SYNTHETIC())) : '');
const initRef = (i) => el('span', { class: 'initiative', 'data-id': i.id }, link(i.title, i.source_url),
  ` (${i.status}${i.start_date || i.end_date ? `, ${i.start_date || '…'}–${i.end_date || 'open'}` : ''})`, tag(i));

function params() {
  const p = new URLSearchParams(location.search);
  const iso3 = /^[A-Z]{3}$/.test(p.get('iso3') || '') ? p.get('iso3') : null;
  const year = /^\d{4}$/.test(p.get('year') || '') ? p.get('year') : '';
  return { iso3, year };
}

async function match(iso3, year) {
  if (!iso3) { $('#match-summary').textContent = 'Pick a state.'; return; }
  const r = await api(`capacity/match/${iso3}${year ? `?year=${year}` : ''}`);
  $('#match-summary').replaceChildren(countryLink(iso3, names),
    ` in ${r.year}: ${r.gap_count} gaps, ${r.addressed_count} addressed by at least one initiative; ${r.unaddressed.length} addressed by none.`);
  $('#match tbody').replaceChildren(...r.gaps.map((g) => el('tr', { 'data-indicator': g.indicator },
    el('th', { scope: 'row' }, g.indicator, tag(g), g.capacity_needs ? el('p', { class: 'muted need' }, `Reported need: ${g.capacity_needs}`) : ''),
    el('td', { 'data-label': 'Goal' }, g.goal),
    el('td', { 'data-label': 'Priority' }, `${g.priority} (${RATING_LABEL[g.status] || g.status})`),
    el('td', { 'data-label': 'Addressed by' }, g.addressed_by.length ? el('ul', {}, ...g.addressed_by.map((i) => el('li', {}, initRef(i))))
      : el('span', { class: 'muted' }, 'nothing addresses this gap')))));
}

async function unserved() {
  const goal = $('#goal').value;
  const q = new URLSearchParams();
  if (goal) q.set('goal', goal);
  if ($('#no-data').checked) q.set('no_data', 'true');
  const r = await api(`capacity/unserved?${q}`);
  $('#unserved tbody').replaceChildren(...r.unserved.map((u) => el('tr', { 'data-indicator': u.indicator },
    el('th', { scope: 'row' }, u.indicator, el('br'), el('span', { class: 'muted' }, u.name || '')),
    el('td', { 'data-label': 'Goal' }, u.goal), el('td', { 'data-label': 'States' }, String(u.state_count)),
    el('td', { 'data-label': 'Worst priority' }, String(u.worst_priority)),
    el('td', { 'data-label': 'Which' }, ...u.states.flatMap((s, i) => [i ? ', ' : '', countryLink(s, names)])))));
  if (!r.unserved.length) $('#unserved tbody').append(el('tr', {}, el('td', { colspan: '5' }, 'No unserved gap.')));
}

async function duplication() {
  const r = await api('capacity/duplication');
  $('#duplication').replaceChildren(...(r.groups.length ? r.groups.map((g, n) => el('section', { class: 'dup-group' },
    el('h3', {}, `Group ${n + 1}`),
    el('ul', {}, ...g.initiatives.map((i) => el('li', {}, initRef(i)))),
    el('ul', { class: 'muted' }, ...g.overlaps.map((o) => el('li', {},
      `${o.a} and ${o.b} share ${o.states.join(', ') || 'every state'} on ${o.goals.join(', ')}, from ${o.from || 'always'} to ${o.to || 'open end'}.`)))))
    : [el('p', { class: 'muted' }, 'No initiatives overlap.')]));
}

function budget(i) {
  return typeof i.budget === 'number' ? `${i.budget.toLocaleString('en')} ${i.currency}` : '—';
}

async function main() {
  const [countries, framework, inits, donors] = await Promise.all([
    all('countries'), api('framework/goals'), all('capacity/initiatives'), all('capacity/donors')]);
  names = Object.fromEntries(countries.map((c) => [c.iso3, c.name]));
  const { iso3, year } = params();
  $('#state').replaceChildren(el('option', { value: '' }, 'choose a state'),
    ...countries.map((c) => el('option', { value: c.iso3, ...(c.iso3 === iso3 ? { selected: '' } : {}) }, c.name)));
  $('#year').value = year;
  const goals = framework.goals || framework;
  $('#goal').append(...goals.map((g) => el('option', { value: g.id }, `${g.id} ${g.title}`)));
  $('#match-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const s = $('#state').value, y = $('#year').value;
    history.replaceState(null, '', `?iso3=${s}${y ? `&year=${y}` : ''}`);
    match(s, y).catch(fail);
  });
  $('#unserved-form').addEventListener('submit', (ev) => { ev.preventDefault(); unserved().catch(fail); });
  downloadBlock($('#initiatives-data'), [['CSV', '/api/v1/capacity/initiatives?format=csv'],
    ['JSON', '/api/v1/capacity/initiatives?format=json']], ['Capacity building', '/docs/capacity']);
  $('#initiatives tbody').replaceChildren(...inits.map((i) => el('tr', { 'data-id': i.id },
    el('th', { scope: 'row' }, link(i.title, i.source_url), tag(i), i.note ? el('details', { class: 'note' }, el('summary', {}, 'What the source says'), el('p', { class: 'muted' }, i.note)) : ''),
    el('td', { 'data-label': 'Donors' }, i.donors.join('; ')),
    el('td', { 'data-label': 'Implementers' }, i.implementers.join('; ') || '—'),
    el('td', { 'data-label': 'Beneficiaries' }, ...i.beneficiaries.flatMap((b, k) => [k ? '; ' : '', /^[A-Z]{3}$/.test(b) ? countryLink(b, names) : b.replace(/^region:/, '')])),
    el('td', { 'data-label': 'Goals / norms' }, [...i.goals, ...i.norms.map((n) => `13(${n})`)].join(', ')),
    el('td', { 'data-label': 'Dates' }, `${i.start_date || '…'} – ${i.end_date || 'open'}`),
    el('td', { 'data-label': 'Budget' }, budget(i)), el('td', { 'data-label': 'Status' }, i.status))));
  $('#donors').replaceChildren(...donors.map((d) => el('section', { class: 'donor' }, el('h3', {}, d.name),
    el('p', {}, `Funds ${d.initiatives.length} initiative${d.initiatives.length === 1 ? '' : 's'} on ${d.goals.join(', ') || 'no goal named'}`,
      d.states.length ? `; in ${d.states.join(', ')}` : '', d.regions.length ? `; regions: ${d.regions.join('; ')}` : '',
      Object.keys(d.budgets).length ? `; budgets: ${Object.entries(d.budgets).map(([c, v]) => `${v.toLocaleString('en')} ${c}`).join(', ')}` : '', '.'),
    el('ul', {}, ...d.initiatives.map((i) => el('li', {}, initRef(i)))))));
  await Promise.all([match(iso3, year), unserved(), duplication()]);
  $('#synthetic').hidden = !anySynthetic;
  $('#status').textContent = `${inits.length} initiatives from ${donors.length} donors.`;
}

main().catch(fail);
