// "Get the data" in headless Chromium (issue 17): every page that shows
// data has a Download block whose links download exactly what the page
// shows (the file name the server gives, the type, one CSV row per row of
// the page); the methodology pages rendered from docs/ (tables, links
// between pages and to their sections); the API reference page built from
// web/openapi.json, loaded with no request outside the server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CDG, OUT, tap, serve, chromium, until } from '../js/harness.mjs';

const { ok, done } = tap();
const dir = mkdtempSync(path.join(tmpdir(), 'cdg-data-'));
const db = path.join(dir, 'cdg.db');
const run = (...a) => execFileSync(CDG, [...a, '--db', db], { stdio: 'pipe', maxBuffer: 1 << 28 });
run('init');
run('demo', '--states', '12');
run('index', 'compute', '--edition', '2025');
const demoState = JSON.parse(run('survey', 'list', '--json'))[0].country;

const srv = await serve(db);
const base = srv.base;
const browser = await chromium();
const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });

// The rows of a CSV file (RFC 4180: quoted fields may hold line breaks).
function csvRows(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; }
    else field += ch;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// Clicks a link of the page's Download block and reads what the browser
// saved; fetches it too for the headers.
async function download(sel, label) {
  const a = page.locator(`${sel} a[data-format="${label}"]`);
  const href = await a.getAttribute('href');
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), a.click()]);
  const body = readFileSync(await dl.path(), 'utf8');
  const head = await page.evaluate(async (u) => {
    const r = await fetch(u);
    return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition') };
  }, href);
  return { name: dl.suggestedFilename(), body, href, ...head };
}

// One page: its Download block's CSV has a row per row shown (rowsShown
// counts them in the page), and its JSON is the same answer.
async function checkPage(url, ready, sel, rowsShown, csvName, extra = []) {
  await page.goto(base + url);
  ok(await until(page, (s) => document.querySelector(s), ready), `${url}: data shown`);
  ok(await until(page, (s) => { const b = document.querySelector(s); return b && !b.hidden && b.querySelector('a'); }, sel),
    `${url}: a visible Download block`);
  const shown = await page.evaluate(rowsShown);
  const csv = await download(sel, 'CSV');
  const rows = csvRows(csv.body);
  ok(csv.name === csvName && csv.disposition === `attachment; filename="${csvName}"` && /^text\/csv/.test(csv.type),
    `${url}: CSV saved as ${csv.name} (${csv.disposition})`);
  ok(rows.length - 1 === shown && shown > 0, `${url}: one CSV row per row shown (${rows.length - 1} rows, ${shown} shown)`);
  const json = await download(sel, 'JSON');
  ok(json.name === csvName.replace(/\.csv$/, '.json') && /^application\/json/.test(json.type) && JSON.parse(json.body),
    `${url}: JSON saved as ${json.name}`);
  for (const [label, name] of extra) {
    const x = await download(sel, label);
    ok(x.name === name && x.status === 200, `${url}: ${label} saved as ${x.name}`);
  }
  const method = await page.locator(`${sel} a.method`).getAttribute('href');
  const m = await page.evaluate(async (u) => (await fetch(u)).status, method);
  ok(/^\/docs\/[a-z-]+$/.test(method) && m === 200, `${url}: the block links to its methodology (${method}: ${m})`);
  return { csv, rows };
}

// Home: the ranking.
const home = await checkPage('/', '#ranking tbody tr', '#ranking-data',
  () => document.querySelectorAll('#ranking tbody tr').length, 'cdg-2025-ranking.csv');
const firstShown = await page.evaluate(() => document.querySelector('#ranking tbody tr td:nth-child(2) a').getAttribute('href'));
ok(firstShown.endsWith(`iso3=${home.rows[1][0]}`), 'the ranking CSV is in the order shown');
ok(await page.evaluate(() => !!document.querySelector('footer a[href="/api.html"]') && !!document.querySelector('footer a[href="/docs/"]')),
  'the home page footer links the API reference and the methodology');
ok(await page.evaluate(() => !!document.querySelector('#ranking-data a.method[href="/docs/index-methodology"]')), 'the ranking links docs/index-methodology');

// A State's profile: the dashboard's indicators, and SDMX-CSV.
await checkPage(`/country.html?iso3=${demoState}`, '#dashboard tbody tr[data-indicator]', '#dash-data',
  () => document.querySelectorAll('#dashboard tbody tr[data-indicator]').length, `cdg-${demoState}-dashboard.csv`,
  [['SDMX-CSV (every observation of the State)', 'cdg-observations-sdmx.csv']]);
ok(await page.evaluate(() => !!document.querySelector('a[href="/docs/dashboards"]')), 'the dashboard links docs/dashboards');

// A norm: the violations called out, and the registry as STIX.
await checkPage('/norm.html?letter=c', '#violations section.viol-state', '#viol-data',
  () => document.querySelectorAll('#violations section.viol-state li').length, 'cdg-norm-c-violations.csv',
  [['STIX 2.1', 'cdg-registry-norm-c-stix.json']]);

// The norm page's implementation table: one row per response shown.
await checkPage('/norm.html?letter=f', '#implementation tbody tr', '#impl-data',
  () => document.querySelectorAll('#implementation tbody tr').length, 'cdg-norm-f-implementation.csv');

// Incidents: every incident the search finds, on all its pages.
const inc = await checkPage('/incidents.html', '#results li.incident', '#results-data',
  () => Number(/^(\d+) incident/.exec(document.querySelector('#count').textContent)[1]), 'cdg-incidents.csv');
ok(await page.evaluate(() => document.querySelectorAll('#results li.incident').length) < inc.rows.length - 1,
  'the CSV holds every page of results, not only the page shown');
await checkPage('/incidents.html?search=WannaCry', '#results li.incident', '#results-data',
  () => document.querySelectorAll('#results li.incident').length, 'cdg-incidents.csv',
  [['STIX 2.1', 'cdg-registry-search-WannaCry-stix.json']]);
{
  const stix = await download('#results-data', 'STIX 2.1');
  const shown = await page.evaluate(() => document.querySelectorAll('#results li.incident').length);
  const n = JSON.parse(stix.body).objects.filter((o) => o.type === 'incident').length;
  ok(n === shown && shown > 0, `the STIX download holds the incidents shown, no more (${n} of ${shown})`);
}

// One incident's page: its attributions, as the registry's CSV, JSON and STIX.
{
  const id = '88a90465-a702-5017-9ec6-cff65b95cb78'; // WannaCry, in the shipped data
  await checkPage(`/incident.html?id=${id}`, '#attributions li', '#incident-data',
    () => document.querySelectorAll('#attributions > li').length, `cdg-registry-id-${id}.csv`,
    [['STIX 2.1', `cdg-registry-id-${id}-stix.json`]]);
  const stix = await download('#incident-data', 'STIX 2.1');
  const n = JSON.parse(stix.body).objects.filter((o) => o.type === 'incident').length;
  ok(n === 1, `the incident page's STIX holds that incident alone (${n})`);
}

// Agreements and capacity building.
await checkPage('/agreements.html', '#agreements tbody tr', '#agreements-data',
  () => document.querySelectorAll('#agreements tbody tr').length, 'cdg-agreements.csv');
await checkPage('/capacity.html', '#initiatives tbody tr', '#initiatives-data',
  () => document.querySelectorAll('#initiatives tbody tr').length, 'cdg-capacity-initiatives.csv');

// The methodology as pages: docs/registry.md with its tables, its title
// from its first heading, the site's navigation and style.
const doc = await page.goto(`${base}/docs/registry`);
ok(doc.status() === 200 && /text\/html/.test(doc.headers()['content-type']), '/docs/registry is an HTML page');
ok(await page.evaluate(() => document.querySelectorAll('main table tbody tr').length > 0 && !!document.querySelector('main table thead th')),
  'its Markdown tables are HTML tables');
ok((await page.title()).startsWith('The accountability registry'), `its title is its first heading (${await page.title()})`);
ok(await page.evaluate(() => !!document.querySelector('nav.site a[href="/"]') && getComputedStyle(document.body).maxWidth !== 'none'),
  'with the site\'s navigation and style sheet');
await page.screenshot({ path: path.join(OUT, 'docs-registry.png'), fullPage: false });
// Links between pages resolve, to the page and to the section named.
const links = new Set();
for (const u of ['/docs/', '/docs/registry', '/docs/index-methodology']) {
  await page.goto(base + u);
  for (const h of await page.evaluate(() => [...document.querySelectorAll('main a[href^="/docs/"]')].map((a) => a.getAttribute('href')))) links.add(h);
}
ok(links.has('/docs/exchange#csv-from-spreadsheets') || [...links].some((l) => l.startsWith('/docs/exchange')), `relative links such as exchange.md become /docs/exchange (${links.size} links)`);
const broken = [];
for (const l of links) {
  const [p, frag] = l.split('#');
  const r = await page.goto(base + p);
  if (r.status() !== 200) { broken.push(`${l}: ${r.status()}`); continue; }
  if (frag && !(await page.evaluate((f) => !!document.getElementById(f), frag))) broken.push(`${l}: no #${frag}`);
}
ok(links.size >= 10 && broken.length === 0, `every link between docs resolves (${links.size}; broken: ${broken.join(', ') || 'none'})`);
ok((await page.goto(`${base}/docs/no-such-doc`)).status() === 404 && (await page.goto(`${base}/docs/..%2fREADME`)).status() === 404,
  'an unknown doc and a path outside docs/ are 404');

// The API reference, built from web/openapi.json: it renders, with no
// request outside this server.
const outside = [];
const errors = [];
page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url()); });
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
const apiPage = await page.goto(`${base}/api.html`);
ok(apiPage.status() === 200, `/api.html is served (${apiPage.status()})`);
ok(await until(page, () => /countries\/\{iso3\}\/dashboard/.test(document.body.innerText) && /Servers[\s\S]*\/api\/v1/.test(document.body.innerText)),
  'the API reference lists the operations of web/openapi.json, served from /api/v1');
await page.locator('a[href$="/observatory/listcountries"]').first().click();
ok(await until(page, () => /UN member and observer States/.test(document.body.innerText) && /sort/.test(document.body.innerText)),
  'an operation opens with its description and parameters');
await page.screenshot({ path: path.join(OUT, 'api-reference.png') });
ok(outside.length === 0, `no request outside the server (${outside.slice(0, 3).join(', ') || 'none'})`);
ok(!errors.some((e) => /Content Security Policy/.test(e)), `nothing refused by the Content-Security-Policy (${errors.slice(0, 2).join(' | ') || 'no error'})`);

await browser.close();
srv.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });
done();
