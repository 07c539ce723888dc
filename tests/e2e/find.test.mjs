// Browser test in headless Debian Chromium (playwright-core), issue 17
// "find and understand" and "look and work everywhere": the State search
// box and the A-Z list on every page, the page of the 11 norms, the
// profile's headline (score, rank and interval, or why not ranked;
// coverage; goals with too few indicators grey; Budapest status equal to
// its indicator), then layout at 1,280 and 390 px, keyboard, print, dark
// colours, <noscript> and the HTML 404 page.  On a fresh init with the
// 2025 edition computed (public evidence: ~191 States ranked).
// Screenshots go to tests/e2e/out/find-*.png.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CDG, OUT, SRC, tap, serve, chromium, until, openapi } from '../js/harness.mjs';

const { ok, done } = tap();
const dir = mkdtempSync(path.join(tmpdir(), 'cdg-e2e-find-'));
const db = path.join(dir, 'cdg.db');
const run = (...a) => execFileSync(CDG, [...a, '--db', db], { stdio: 'pipe' });
run('init');
run('index', 'compute', '--edition', '2025');

const srv = await serve(db);
const base = srv.base;
const get = async (p, headers) => {
  const r = await fetch(base + p, { headers });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* HTML */ }
  return { status: r.status, type: r.headers.get('content-type') || '', text, json };
};
const { ajv, schemaFor } = openapi();
const edition = (await get('/api/v1/index/editions/2025')).json;
const ranked = edition.states.find((s) => s.iso3 === 'FRA');
const unranked = edition.states.find((s) => s.score === null && s.coverage);
const countries = (await get('/api/v1/countries?per_page=1000')).json.items;
const nonParty = countries.find((c) => c.budapest_status === null);
// The pages of the site (the 404 page is tested apart).
const PAGES = ['index.html', 'country.html', 'norms.html', 'norm.html', 'incidents.html', 'incident.html', 'agreements.html',
  'capacity.html', 'forum.html', 'survey.html', 'upload.html'];

const browser = await chromium();
// The first screenful (what a reader sees on arrival).
const shot = (page, name) => page.screenshot({ path: path.join(OUT, `find-${name}.png`) });
try {
  // ---- the resolve endpoint (the search box's server side) ---------------------
  for (const [q, want] of [['fra', 'FRA'], ['France', 'FRA'], ["Côte d'Ivoire", 'CIV'], ['cote divoire', 'CIV'],
    ['Türkiye', 'TUR'], ['Turkey', 'TUR'], ['PRC', 'CHN'], ['UK', 'GBR'], ['uk', 'GBR'], ['gb', 'GBR']]) {
    const r = await get(`/api/v1/countries/resolve?q=${encodeURIComponent(q)}`);
    ok(r.status === 200 && r.json.iso3 === want && ajv.validate(schemaFor('/countries/resolve', 'get', '200'), r.json),
      `resolve "${q}": ${want} (got ${r.status} ${r.json?.iso3}), as documented`);
  }
  const unknown = await get('/api/v1/countries/resolve?q=Atlantis');
  ok(unknown.status === 404 && /unknown state "Atlantis"/.test(unknown.json?.error?.message), 'resolve an unknown name: 404 that says so');
  ok((await get('/api/v1/countries/resolve?q=Taiwan')).json?.error?.message.includes('non-UN entity'), 'resolve a non-UN entity: says what it is');
  ok((await get('/api/v1/countries/resolve')).status === 400, 'resolve without q: 400');

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(`${e.message} (${page.url()})`));

  // ---- search box and A-Z link in the navigation of every page ----------------
  for (const f of PAGES) {
    await page.goto(`${base}/${f}`);
    ok(await until(page, () => document.querySelector('nav.site #state-search input#state-q') !== null &&
      document.querySelector('nav.site a[href="/country.html"]') !== null), `${f}: the navigation has the State search box and the A–Z link`);
    ok(await page.locator('nav.site a', { hasText: /^Norms$/ }).getAttribute('href') === '/norms.html', `${f}: "Norms" goes to the page of the 11 norms`);
  }
  const search = async (from, q) => {
    await page.goto(base + from);
    await page.waitForSelector('#state-q');
    await page.fill('#state-q', q);
    await page.press('#state-q', 'Enter');
  };
  for (const [from, q, want] of [['/', 'cote divoire', 'CIV'], ['/norms.html', 'fra', 'FRA'], ['/incidents.html', 'Türkiye', 'TUR'],
    ['/agreements.html', 'PRC', 'CHN'], ['/capacity.html', 'UK', 'GBR'], ['/', 'France', 'FRA'], ['/', "Côte d'Ivoire", 'CIV']]) {
    await search(from, q);
    ok(await until(page, (w) => location.search === `?iso3=${w}` && document.querySelector('#name')?.textContent.includes(`(${w})`), want, 8000),
      `search "${q}" from ${from} lands on the profile of ${want}`);
  }
  await search('/', 'Atlantis');
  ok(await until(page, () => /No State found: unknown state "Atlantis"/.test(document.querySelector('#state-q-msg').textContent)),
    'an unknown query says that no State was found, next to the box');
  ok(new URL(page.url()).pathname === '/', 'an unknown query stays on the page');
  await page.fill('#state-q', 'Fra');
  await page.dispatchEvent('#state-q', 'input');
  ok(await until(page, () => [...document.querySelectorAll('#state-list option')].some((o) => o.value === 'France')),
    'typing "Fra" suggests France (prefix of the names)');
  await page.fill('#state-q', 'cote');
  await page.dispatchEvent('#state-q', 'input');
  ok(await until(page, () => [...document.querySelectorAll('#state-list option')].some((o) => o.value.startsWith('Côte'))),
    'typing "cote" suggests Côte d\'Ivoire (without diacritics)');
  await page.goto(`${base}/country.html?q=${encodeURIComponent('cote divoire')}`);
  ok(await until(page, () => location.search === '?iso3=CIV'), 'a search sent as ?q= (without the box\'s script) is resolved too');

  // ---- the A-Z list ------------------------------------------------------------
  for (const [url, msg] of [['/country.html', /Choose a State/], ['/country.html?iso3=XYZ', /No State has the code "XYZ"/],
    ['/country.html?q=Atlantis', /No State found for "Atlantis"/]]) {
    await page.goto(base + url);
    ok(await until(page, () => document.querySelectorAll('#az-list li[data-iso3]').length >= 190), `${url}: the A–Z list of States`);
    ok(msg.test(await page.locator('#status').textContent()), `${url}: a clear message (${await page.locator('#status').textContent()})`);
    ok(await page.locator('#name').textContent() === 'States A–Z' && !(await page.locator('#dash-h').isVisible()) &&
      !(await page.locator('#facts-h').isVisible()), `${url}: no empty profile headings`);
  }
  const az = await page.locator('#az-list li[data-iso3]').evaluateAll((lis) => lis.map((li) => li.querySelector('a').textContent));
  ok(az.length === countries.length && az.every((n, i) => i === 0 || az[i - 1].localeCompare(n, 'en', { sensitivity: 'base' }) <= 0),
    `the A–Z list has all ${countries.length} States sorted by the name shown`);
  ok(await page.locator('#az-C li[data-iso3="CIV"], section:has(#az-C) li[data-iso3="CIV"]').count() === 1, 'Côte d\'Ivoire is under C');
  await shot(page, 'az-1280');

  // ---- the page of the 11 norms ---------------------------------------------------
  await page.goto(`${base}/`);
  await page.locator('nav.site a', { hasText: /^Norms$/ }).click();
  ok(await until(page, () => document.querySelectorAll('#norms-list tbody tr').length === 11), 'nav "Norms" opens the page of the 11 norms');
  ok(await page.locator('#norms-list tbody tr[data-norm="k"] a').getAttribute('href') === '/norm.html?letter=k', 'each norm links to its page');
  await shot(page, 'norms-1280');

  // ---- profile headline -------------------------------------------------------------
  await page.goto(`${base}/country.html?iso3=FRA`);
  ok(await until(page, () => document.querySelector('#headline #index') !== null && document.querySelector('#headline #coverage') !== null),
    'FRA: the headline shows');
  const head = await page.locator('#headline').textContent();
  ok(head.includes(`rank ${ranked.rank} of ${edition.edition.ranked}`) && head.includes(`score ${ranked.score.toFixed(1)}`),
    `FRA: score and rank of the 2025 edition (${ranked.score.toFixed(1)}, ${ranked.rank} of ${edition.edition.ranked})`);
  ok(head.includes(`5–95 % rank interval: ${ranked.rank_p05}–${ranked.rank_p95}`), 'FRA: the 5–95 % rank interval');
  const dash = (await get('/api/v1/countries/FRA/dashboard')).json;
  const cv = dash.coverage;
  ok(head.includes(`${cv.with_data} of ${cv.indicators} indicators: ${cv.desk_research} from desk research, ${cv.self_reported} self-reported`),
    `FRA: coverage "${cv.with_data} of ${cv.indicators} indicators: ${cv.desk_research} from desk research, ${cv.self_reported} self-reported"`);
  // Goals rated on fewer than half of their indicators are grey.
  ok(ajv.validate(schemaFor('/countries/{iso3}/dashboard', 'get', '200'), dash), 'the dashboard with insufficient_data matches its schema');
  const few = dash.goals.filter((g) => 2 * g.indicators_with_data < g.indicator_count && g.indicators_with_data > 0);
  ok(few.length > 0 && few.every((g) => g.insufficient_data) && dash.goals.every((g) => g.insufficient_data === 2 * g.indicators_with_data < g.indicator_count),
    `the API flags goals rated on fewer than half of their indicators (${few.map((g) => g.id).join(', ')})`);
  for (const g of few) {
    const cell = page.locator(`#dashboard tr[data-goal="${g.id}"] td`).first();
    const bg = await cell.evaluate((td) => getComputedStyle(td).backgroundColor);
    ok(/insufficient data/.test(await cell.textContent()) && bg === 'rgb(227, 227, 227)',
      `FRA ${g.id} (${g.indicators_with_data} of ${g.indicator_count}, rated ${g.rating}): grey "insufficient data", not ${g.rating} (${bg})`);
  }
  const rated = dash.goals.find((g) => !g.insufficient_data && g.rating === 'achieved');
  if (rated) ok(await page.locator(`#dashboard tr[data-goal="${rated.id}"] td.r-achieved`).count() === 1, `FRA ${rated.id}: rated on half or more, it keeps its colour`);
  // Facts and indicators agree: Budapest status and CDG4.3.1.
  const budapest = async (iso3) => {
    await page.goto(`${base}/country.html?iso3=${iso3}`);
    await until(page, () => document.querySelector('#budapest-indicator [data-value]') !== null);
    return page.evaluate(() => ({ status: document.querySelector('#budapest-status').dataset.status,
      value: document.querySelector('#budapest-indicator [data-value]').dataset.value, text: document.querySelector('#facts').textContent }));
  };
  const fra = await budapest('FRA');
  ok(fra.status === 'party' && fra.value === '1', `FRA: Budapest "party" in the facts and CDG4.3.1 = 1 (${fra.status}, ${fra.value})`);
  const np = await budapest(nonParty.iso3);
  ok(np.status !== 'party' && np.value !== '1', `${nonParty.iso3}: not a party in the facts and CDG4.3.1 ≠ 1 (${np.status}, ${np.value})`);
  await page.goto(`${base}/country.html?iso3=${unranked.iso3}`);
  ok(await until(page, () => document.querySelector('#headline #index .not-ranked') !== null), `${unranked.iso3}: the headline says not ranked`);
  const why = await page.locator('#headline #index').textContent();
  ok(why.includes(`not ranked: ${unranked.coverage.with_data} of ${unranked.coverage.indicators} indicators`) &&
    unranked.coverage.missing.every((m) => why.includes(m)) && why.includes(`at least ${unranked.coverage.needed}`),
  `${unranked.iso3}: why not ranked (${why.slice(0, 120)}…)`);
  await shot(page, `unranked-${unranked.iso3}-1280`);
  await page.goto(`${base}/country.html?iso3=fra`);
  ok(await until(page, () => document.querySelector('#name').textContent.includes('(FRA)')), 'a lower-case code in the address opens the profile');

  // ---- layout -------------------------------------------------------------------
  await page.goto(`${base}/`);
  await page.waitForSelector('#ranking tbody tr td a');
  await page.waitForSelector('#map svg');
  const grid = await page.evaluate(() => {
    const m = document.querySelector('.map-box').getBoundingClientRect().width;
    const t = document.querySelector('.table-box').getBoundingClientRect().width;
    return { m, t, col: getComputedStyle(document.querySelector('.map-and-table')).gridTemplateColumns };
  });
  // Widen the ranking with a long name, as a long State name or a wide
  // cell would: 2fr 1fr without minmax(0, ...) gives the table the room.
  await page.evaluate(() => {
    const a = document.querySelector('#ranking tbody td a');
    a.textContent = 'A very long name that does not wrap '.repeat(3);
    a.style.whiteSpace = 'nowrap';
  });
  const m2 = await page.evaluate(() => document.querySelector('.map-box').getBoundingClientRect().width);
  ok(grid.m / (grid.m + grid.t) > 0.6 && Math.abs(m2 - grid.m) < 1, `1280 px: the map keeps two thirds of the grid (${grid.m.toFixed(0)} px, then ${m2.toFixed(0)} px; ${grid.col})`);
  await shot(page, 'home-1280');

  // Keyboard: one "skip the map" stop before the map's links, leading to the ranking.
  await page.goto(`${base}/`);
  await page.waitForSelector('#ranking tbody tr td a');
  const order = await page.evaluate(() => {
    const skip = document.querySelector('a.skip-map'), first = document.querySelector('#map svg a');
    return skip && first && (skip.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  });
  ok(order, 'the "skip the map" link comes before the 195 map links');
  await page.focus('a.skip-map');
  ok(await page.locator('a.skip-map').isVisible(), 'the "skip the map" link shows when focused');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  ok(await page.evaluate(() => document.activeElement?.closest('#ranking') !== null), 'Enter on it, then Tab: the ranking\'s first link');
  // Focus visible on a small State: a thick ring that does not shrink with the map.
  const small = await page.evaluate(() => {
    let best = null;
    for (const p of document.querySelectorAll('#map svg a path.region')) {
      const r = p.getBoundingClientRect();
      if (r.width > 0 && (!best || r.width * r.height < best.a)) best = { a: r.width * r.height, id: p.dataset.id };
    }
    return best.id;
  });
  await page.focus(`#map svg a:has(path[data-id="${small}"])`);
  const ring = await page.evaluate((id) => {
    const cs = getComputedStyle(document.querySelector(`#map svg path[data-id="${id}"]`));
    return { w: parseFloat(cs.strokeWidth), c: cs.stroke, v: cs.vectorEffect };
  }, small);
  ok(ring.w >= 3 && ring.c === 'rgb(212, 160, 0)' && ring.v === 'non-scaling-stroke', `focus on the smallest State (${small}) is a visible ring (${JSON.stringify(ring)})`);
  await page.locator('.map-box').screenshot({ path: path.join(OUT, 'find-map-focus-1280.png') });

  // ---- print ---------------------------------------------------------------------
  await page.goto(`${base}/country.html?iso3=FRA`);
  await until(page, () => document.querySelector('#headline #index') !== null && /Every value/.test(document.querySelector('#status').textContent));
  await page.emulateMedia({ media: 'print' });
  const pr = await page.evaluate(() => ({ nav: getComputedStyle(document.querySelector('nav.site')).display,
    adjust: getComputedStyle(document.querySelector('td.r-achieved, td.t-party')).printColorAdjust }));
  ok(pr.nav === 'none', 'print: the navigation is hidden');
  ok(pr.adjust === 'exact', 'print: colours are kept (print-color-adjust: exact)');
  const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  ok(pages >= 1 && pages <= 3, `print: the FRA profile is ${pages} A4 page(s), at most 3`);
  await page.emulateMedia({ media: 'screen' });
  // ---- dark colour scheme ----------------------------------------------------------
  const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const light = await bg();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await bg();
  ok(light !== dark && dark === 'rgb(21, 24, 28)', `prefers-color-scheme: dark changes the background (${light} → ${dark})`);
  await shot(page, 'country-FRA-dark-1280');
  await page.emulateMedia({ colorScheme: 'light' });
  await shot(page, 'country-FRA-1280');

  // ---- phone width -------------------------------------------------------------------
  await page.setViewportSize({ width: 390, height: 800 });
  // No word broken across lines inside a table cell.
  const broken = () => page.evaluate(() => {
    const out = [];
    for (const cell of document.querySelectorAll('main td, main th')) {
      if (cell.offsetParent === null) continue;
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        for (const m of t.data.matchAll(/[^\s\-–—/]{2,}/g)) {
          const r = document.createRange();
          r.setStart(t, m.index);
          r.setEnd(t, m.index + m[0].length);
          const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
          if (tops.size > 1) out.push(m[0]);
        }
      }
    }
    return out;
  });
  for (const url of ['/', '/country.html?iso3=FRA', `/country.html?iso3=${unranked.iso3}`, '/norms.html']) {
    await page.goto(base + url);
    await until(page, () => !/Loading/.test(document.querySelector('#status')?.textContent || ''));
    await page.waitForLoadState('networkidle');
    const b = await broken();
    ok(b.length === 0, `390 px ${url}: no word broken inside a table cell${b.length ? ` (${b.slice(0, 5).join(', ')})` : ''}`);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    ok(over <= 1, `390 px ${url}: no horizontal overflow (${over} px)`);
  }
  await page.goto(`${base}/`);
  await page.waitForSelector('#map-legend li');
  const lg = await page.evaluate(() => {
    const items = [...document.querySelectorAll('#map-legend li')];
    return { n: items.length, size: Math.min(...items.map((li) => parseFloat(getComputedStyle(li).fontSize))),
      text: document.querySelector('#map-legend').textContent };
  });
  ok(lg.n >= 5 && lg.size >= 12 && /0–20/.test(lg.text), `390 px: the map legend is HTML text, ${lg.size} px, ${lg.n} classes`);
  const ranks = await page.locator('#ranking tbody tr').evaluateAll((trs) => trs.map((tr) => [+tr.cells[0].textContent, tr.cells[1].textContent]));
  ok(ranks.every((r, i) => i === 0 || ranks[i - 1][0] < r[0] || (ranks[i - 1][0] === r[0] && ranks[i - 1][1].localeCompare(r[1], 'en', { sensitivity: 'base' }) <= 0)),
    'the ranking: by rank, States of equal rank by the name shown');
  await shot(page, 'home-390');
  await page.locator('#map-legend').scrollIntoViewIfNeeded();
  await page.locator('.map-box').screenshot({ path: path.join(OUT, 'find-map-legend-390.png') });
  await page.goto(`${base}/country.html?iso3=FRA`);
  await until(page, () => document.querySelector('#headline #index') !== null);
  await shot(page, 'country-FRA-390');
  await page.locator('#dashboard').scrollIntoViewIfNeeded();
  await shot(page, 'dashboard-FRA-390');
  await page.goto(`${base}/country.html`);
  await page.waitForSelector('#az-list li');
  await shot(page, 'az-390');
  await page.goto(`${base}/norms.html`);
  await page.waitForSelector('#norms-list tbody tr');
  await shot(page, 'norms-390');

  // ---- <noscript> and the 404 page ----------------------------------------------------
  for (const f of PAGES) {
    const html = readFileSync(path.join(SRC, 'web', f), 'utf8');
    ok(/<noscript>[^]*JavaScript[^]*<\/noscript>/.test(html), `${f}: a <noscript> message`);
  }
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const nj = await noJs.newPage();
  await nj.goto(`${base}/country.html?iso3=FRA`);
  ok(await nj.locator('noscript p, p.noscript').first().isVisible(), 'without JavaScript the page says it needs it');
  await nj.screenshot({ path: path.join(OUT, 'find-noscript-1280.png') });
  await noJs.close();
  const nf = await get('/no-such-page.html');
  ok(nf.status === 404 && /text\/html/.test(nf.type) && /Page not found/.test(nf.text), 'an unknown page: 404 with an HTML page');
  const nfApi = await get('/api/v1/no-such-endpoint');
  ok(nfApi.status === 404 && nfApi.json?.error?.code === 'not_found', 'an unknown API path stays a JSON 404');
  const nfJson = await get('/no-such-page.html', { Accept: 'application/json' });
  ok(nfJson.status === 404 && nfJson.json?.error?.code === 'not_found', 'a program asking JSON for an unknown page gets JSON');
  await page.setViewportSize({ width: 1280, height: 900 });
  const resp = await page.goto(`${base}/some/where/else`);
  ok(resp.status() === 404 && await page.locator('h1').textContent() === 'Page not found', 'the 404 page in the browser, at a nested path');
  ok(await until(page, () => document.querySelector('#state-q') !== null), 'the 404 page has the search box');
  await shot(page, '404-1280');
  await page.setViewportSize({ width: 390, height: 800 });
  await shot(page, '404-390');

  ok(errors.length === 0, `no page errors${errors.length ? ': ' + errors.join('; ') : ''}`);
} finally {
  await browser.close();
  srv.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
done();
