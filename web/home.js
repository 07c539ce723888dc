// Home page: world map (latest index edition, else Budapest Convention
// status), ranking, norms and goals.
import { $, el, api, all, fail, downloadBlock } from './common.js';

// The map is drawn by the server's chart renderer (the same picture as
// `cdg chart map`): an SVG whose states are links to their profiles.
async function drawMap(show) {
  const r = await fetch(`/api/v1/charts/map?format=svg${show ? `&show=${show}` : ''}`);
  if (!r.ok) throw new Error(`map: HTTP ${r.status}`);
  const doc = new DOMParser().parseFromString(await r.text(), 'image/svg+xml');
  const svg = document.importNode(doc.documentElement, true);
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  svg.setAttribute('class', 'worldmap');
  svg.setAttribute('role', 'group');
  $('#map').replaceChildren(svg);
  legend(svg);
}

// The map's legend as HTML under it, legible at any width (the drawn one
// shrinks with the map): one entry per class of the picture, read from its
// description ("ISO: class (details)") and the fill of each State.
function legend(svg) {
  const fills = new Map();
  for (const p of svg.querySelectorAll('path.region[data-id]')) fills.set(p.dataset.id, p.getAttribute('fill'));
  const desc = svg.querySelector('desc')?.textContent || '';
  const lines = desc.split('\n');
  const classes = new Map();
  for (const line of lines.slice(1)) {
    const m = /^([A-Z]{3}): (.+?)(?: \(|$)/.exec(line);
    if (m && fills.has(m[1]) && !classes.has(m[2])) classes.set(m[2], fills.get(m[1]));
  }
  const order = (k) => { const n = parseFloat(k); return Number.isNaN(n) ? 1e9 : n; };
  const items = [...classes].sort((a, b) => order(a[0]) - order(b[0]) || a[0].localeCompare(b[0]));
  const box = $('#map-legend');
  box.replaceChildren(el('p', { class: 'legend-title' }, lines[0]),
    el('ul', {}, ...items.map(([k, fill]) => el('li', {}, el('span', { class: 'swatch', 'data-fill': fill }), ' ', k))));
  // Colours come from the picture; the page's style rules may not be inline (CSP).
  for (const s of box.querySelectorAll('.swatch')) s.style.setProperty('background-color', s.dataset.fill);
}

async function main() {
  try {
    const [health, fw, countries, editions] = await Promise.all([
      api('health'), api('framework'), all('countries'), all('index/editions')]);
    const byIso = Object.fromEntries(countries.map((c) => [c.iso3, c]));
    const latest = editions.sort((a, b) => b.year - a.year)[0];
    if (latest) {
      const ed = await api(`index/editions/${latest.year}`);
      const rows = (ed.states || []).filter((r) => typeof r.score === 'number');
      const surveys = await all('surveys');
      if (surveys.some((x) => x.synthetic) || ed.edition?.synthetic) $('#synthetic').hidden = false;
      await drawMap();
      const e = ed.edition || {};
      $('#map-caption').textContent = `Index edition ${latest.year}${e.published ? '' : ' (draft)'}: ` +
        `${e.methodology_title || e.methodology_id || ''}, ${e.ranked} of ${e.states} States ranked. ` +
        'Score 0-100 (darker is higher). Select a state for its profile.';
      const how = $('#edition-how');
      if (how) {
        how.hidden = false;
        how.replaceChildren(e.methodology_id === 'cdg-public-evidence'
          ? 'Computed from public evidence only (desk research with a source for every fact), since no survey round exists yet: '
          : 'Computed with the default methodology: ',
        'the method is in ', el('a', { href: '/docs/public-evidence' }, 'Public evidence (docs/public-evidence.md)'),
        ' and every input has its source on the State\'s profile.');
      }
      const chart = $('#ranking-chart');
      chart.hidden = false;
      chart.querySelector('img').src = `/api/v1/charts/ranking?edition=${latest.year}&format=svg`;
      chart.querySelector('a').href = `/api/v1/charts/ranking?edition=${latest.year}&format=pdf`;
      $('#ranking thead').replaceChildren(el('tr', {}, el('th', {}, 'Rank'), el('th', {}, 'State'),
        el('th', {}, 'Score'), el('th', {}, 'Rank interval (5-95 %)')));
      // By rank; States of equal rank by the name shown.
      const shown = (r) => byIso[r.iso3]?.name || r.iso3;
      rows.sort((a, b) => a.rank - b.rank || shown(a).localeCompare(shown(b), 'en', { sensitivity: 'base' }));
      downloadBlock($('#ranking-data'), [['CSV', `/api/v1/index/editions/${latest.year}?format=csv`],
        ['JSON', `/api/v1/index/editions/${latest.year}?format=json`]], ['Index methodology', '/docs/index-methodology']);
      $('#ranking tbody').replaceChildren(...rows.map((r) => {
        const iso = r.iso3;
        const iv = r.rank_p05 !== undefined && r.rank_p05 !== null ? `${r.rank_p05}-${r.rank_p95}` : '—';
        return el('tr', {}, el('td', {}, String(r.rank)),
          el('td', {}, el('a', { href: `/country.html?iso3=${iso}` }, byIso[iso]?.name || iso)),
          el('td', {}, r.score.toFixed(1)), el('td', {}, iv));
      }));
    } else {
      await drawMap('budapest');
      $('#map-caption').textContent = 'No index edition has been computed yet; the map shows Budapest Convention status from the reference data (Council of Europe treaty office and other sources; incomplete).';
      $('#rank-h').textContent = 'Ranking: no edition yet';
      $('#ranking thead').replaceChildren(el('tr', {}, el('th', {}, 'Run cdg index compute to publish one.')));
    }
    const tbody = $('#norms tbody');
    tbody.replaceChildren(...fw.norms.map((n) => el('tr', { 'data-norm': n.id },
      el('td', {}, el('a', { href: `/norm.html?letter=${n.id}` }, `${n.paragraph} ${n.title}`)),
      el('td', { class: `cat-${n.category}` }, n.category.replace('_', ' / ')),
      el('td', {}, n.paraphrase))));
    $('#goals').replaceChildren(...fw.goals.map((g) => el('li', { 'data-goal': g.id },
      el('strong', {}, `${g.id} ${g.title}. `), g.description)));
    $('#status').textContent = `Catalog ${health.catalog_version}: ${health.norms} norms, ` +
      `${health.goals} goals, ${health.indicators} indicators; ${health.countries} states.`;
  } catch (err) {
    fail(err);
  }
}

main();
