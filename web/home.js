// Home page: world map (latest index edition, else Budapest Convention
// status), ranking, norms and goals.
import { $, el, api, all, fail } from './common.js';

const SVGNS = 'http://www.w3.org/2000/svg';

function drawMap(world, fillOf, titleOf) {
  const svg = document.createElementNS(SVGNS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${world.width} ${world.height}`);
  svg.setAttribute('class', 'worldmap');
  for (const [iso3, d] of Object.entries(world.countries)) {
    const a = document.createElementNS(SVGNS, 'a');
    a.setAttribute('href', `/country.html?iso3=${iso3}`);
    a.setAttribute('data-iso3', iso3);
    const path = document.createElementNS(SVGNS, 'path');
    path.setAttribute('d', d);
    path.setAttribute('class', `shape ${fillOf(iso3)}`);
    const t = document.createElementNS(SVGNS, 'title');
    t.textContent = titleOf(iso3);
    path.append(t);
    a.append(path);
    svg.append(a);
  }
  $('#map').replaceChildren(svg);
}

function legend(items) {
  $('#legend').replaceChildren(...items.map(([cls, label]) =>
    el('li', {}, el('span', { class: `swatch ${cls}` }), label)));
}

async function main() {
  try {
    const [health, fw, countries, editions, world] = await Promise.all([
      api('health'), api('framework'), all('countries'), all('index/editions'),
      fetch('/data/world.json').then((r) => r.json())]);
    const byIso = Object.fromEntries(countries.map((c) => [c.iso3, c]));
    const latest = editions.sort((a, b) => b.year - a.year)[0];
    if (latest) {
      const ed = await api(`index/editions/${latest.year}`);
      const rows = (ed.states || []).filter((r) => typeof r.score === 'number');
      const surveys = await all('surveys');
      if (surveys.some((x) => x.synthetic)) $('#synthetic').hidden = false;
      const score = Object.fromEntries(rows.map((r) => [r.iso3, r]));
      const bucket = (s) => s === undefined ? 'none' : `q${Math.min(4, Math.floor(s / 20))}`;
      drawMap(world, (iso) => bucket(score[iso]?.score),
        (iso) => `${byIso[iso]?.name || iso}: ${score[iso] ? `index ${score[iso].score.toFixed(1)}, rank ${score[iso].rank}` : 'not ranked'}`);
      $('#map-caption').textContent = `Index edition ${latest.year}: score 0-100 (darker is higher).`;
      legend([['q0', '0-20'], ['q1', '20-40'], ['q2', '40-60'], ['q3', '60-80'], ['q4', '80-100'], ['none', 'not ranked']]);
      $('#ranking thead').replaceChildren(el('tr', {}, el('th', {}, 'Rank'), el('th', {}, 'State'),
        el('th', {}, 'Score'), el('th', {}, 'Rank interval (5-95 %)')));
      rows.sort((a, b) => a.rank - b.rank);
      $('#ranking tbody').replaceChildren(...rows.map((r) => {
        const iso = r.iso3;
        const iv = r.rank_p05 !== undefined && r.rank_p05 !== null ? `${r.rank_p05}-${r.rank_p95}` : '—';
        return el('tr', {}, el('td', {}, String(r.rank)),
          el('td', {}, el('a', { href: `/country.html?iso3=${iso}` }, byIso[iso]?.name || iso)),
          el('td', {}, r.score.toFixed(1)), el('td', {}, iv));
      }));
    } else {
      drawMap(world, (iso) => `b-${byIso[iso]?.budapest_status || 'none'}`,
        (iso) => `${byIso[iso]?.name || iso}: Budapest Convention ${byIso[iso]?.budapest_status || 'no record'}`);
      $('#map-caption').textContent = 'No index edition has been computed yet; the map shows Budapest Convention status from the reference data (Council of Europe treaty office and other sources; incomplete).';
      legend([['b-party', 'party'], ['b-invited', 'invited to accede'], ['b-none', 'no record']]);
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
