// Incident browser: full-text search and filters over GET /api/v1/incidents,
// paged; each attribution with its statement and the norms or law invoked.
// The filters live in the page's query string, so a search can be linked.
import { $, el, api, all, fail, downloadBlock } from './common.js';
import { link, countryLink, attribution } from './view.js';
import { timeline } from './timeline.js';

// Page size: 20, or ?per_page= from the page's URL (1-100).
const PER_PAGE = Math.min(100, Math.max(1, parseInt(new URLSearchParams(location.search).get('per_page') || '20', 10) || 20));
const FIELDS = ['search', 'state', 'norm', 'since'];
let names = {};

function params() {
  const q = new URLSearchParams(location.search);
  const p = Object.fromEntries(FIELDS.map((k) => [k, (q.get(k) || '').trim()]));
  p.page = Math.max(1, parseInt(q.get('page') || '1', 10) || 1);
  return p;
}

function toForm(p) {
  for (const k of FIELDS) $(`#${k}`).value = p[k];
}

function fromForm(page) {
  const p = Object.fromEntries(FIELDS.map((k) => [k, $(`#${k}`).value.trim()]));
  p.page = page;
  return p;
}

// The search's filters alone (no page, no order): the STIX bundle of
// every incident it finds.
function filters(p) {
  const q = new URLSearchParams();
  for (const k of FIELDS) if (p[k]) q.set(k, p[k]);
  return q;
}

function query(p) {
  const q = filters(p);
  if (p.page > 1) q.set('page', String(p.page));
  if (PER_PAGE !== 20) q.set('per_page', String(PER_PAGE));
  return q;
}

function incident(i) {
  const when = i.start_date ? `${i.start_date}${i.end_date ? ` to ${i.end_date}` : ''}` : 'date unknown';
  const li = el('li', { class: 'incident', 'data-incident': i.id },
    el('h3', {}, el('a', { href: `/incident.html?id=${encodeURIComponent(i.id)}` }, i.title)),
    el('p', { class: 'muted' }, `Started ${when}. ${i.attribution_count} public attribution${i.attribution_count === 1 ? '' : 's'}.`));
  if (i.description) li.append(el('p', {}, i.description));
  const facts = [];
  if (i.victim_states?.length) facts.push(['Victim states', ...i.victim_states.flatMap((v, k) => [k ? ', ' : '', countryLink(v.iso3 || v, names)])]);
  if (i.victim_sectors?.length) facts.push(['Victim sectors', i.victim_sectors.map((x) => x.name || x.id || x).join(', ')]);
  if (i.effects?.length) facts.push(['Effects', i.effects.map((x) => String(x).replaceAll('-', ' ')).join(', ')]);
  if (i.cert_targeted === true || i.cert_targeted === 1) {
    facts.push(['Emergency response teams', 'their systems were targeted (see norm ', el('a', { href: '/norm.html?letter=k' }, '13(k)'), ')']);
  }
  if (i.sources?.length) facts.push(['Sources', ...i.sources.flatMap((u, k) => [k ? ', ' : '', link(`source ${k + 1}`, u.url || u)])]);
  if (facts.length) {
    const dl = el('dl', { class: 'inline' });
    for (const [k, ...v] of facts) dl.append(el('dt', {}, k), el('dd', {}, ...v));
    li.append(dl);
  }
  li.append(el('ul', { class: 'registry' }, ...i.attributions.map((a) => attribution(a, names))));
  return li;
}

async function load(p, push) {
  if (push) history.pushState(null, '', `${location.pathname}${query(p).toString() ? `?${query(p)}` : ''}`);
  $('#status').textContent = 'Searching…';
  $('#status').className = '';
  const q = query(p);
  q.set('page', String(p.page));
  q.set('per_page', String(PER_PAGE));
  q.set('sort', '-start_date');
  let r;
  try {
    r = await api(`incidents?${q}`);
  } catch (err) {
    fail(err);
    $('#results').replaceChildren();
    $('#count').textContent = '';
    return;
  }
  const pages = Math.max(1, Math.ceil(r.total / PER_PAGE));
  const first = r.total ? (r.page - 1) * PER_PAGE + 1 : 0;
  const n = `${r.total} incident${r.total === 1 ? '' : 's'}`;
  $('#count').textContent = !r.total ? 'No incident matches.'
    : pages === 1 ? `${n}, newest first.` : `${n}; showing ${first}-${first + r.items.length - 1}, newest first.`;
  $('#results').replaceChildren(...r.items.map(incident));
  // Every incident the search found (all pages), newest first.
  const found = query(p);
  found.set('sort', '-start_date');
  downloadBlock($('#results-data'), [['CSV', `/api/v1/incidents?${found}&format=csv`],
    ['JSON', `/api/v1/incidents?${found}&format=json`],
    ['STIX 2.1', `/api/v1/registry/export?${filters(p)}&format=stix`]], ['The accountability registry', '/docs/registry']);
  $('#results').setAttribute('start', String(first || 1));
  $('#pageinfo').textContent = `Page ${r.page} of ${pages}`;
  $('#prev').disabled = r.page <= 1;
  $('#next').disabled = r.page >= pages;
  $('#prev').onclick = () => load({ ...p, page: p.page - 1 }, true).then(() => $('#results-h').scrollIntoView());
  $('#next').onclick = () => load({ ...p, page: p.page + 1 }, true).then(() => $('#results-h').scrollIntoView());
  $('#status').textContent = 'Every attribution links to its statement.';
}

async function main() {
  try {
    const [catalog, countries] = await Promise.all([api('framework'), all('countries')]);
    names = Object.fromEntries(countries.map((c) => [c.iso3, c.name]));
    $('#state').append(...countries.sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => el('option', { value: c.iso3 }, c.name)));
    $('#norm').append(...catalog.norms.map((n) => el('option', { value: n.id }, `${n.paragraph} ${n.title}`)));
  } catch (err) {
    fail(err);
    return;
  }
  // The registry's attributions per year, by State attributed.
  all('incidents').then((list) => {
    const attrs = list.flatMap((i) => i.attributions);
    $('#timeline').replaceChildren(timeline(attrs, names, 'Public attributions per year, by State attributed'));
  }).catch(() => { $('#timeline').textContent = 'The timeline could not be drawn.'; });
  $('#filters').addEventListener('submit', (ev) => {
    ev.preventDefault();
    load(fromForm(1), true);
  });
  $('#clear').addEventListener('click', () => {
    for (const k of FIELDS) $(`#${k}`).value = '';
    load(fromForm(1), true);
  });
  window.addEventListener('popstate', () => { const p = params(); toForm(p); load(p, false); });
  const p = params();
  toForm(p);
  await load(p, false);
}

main();
