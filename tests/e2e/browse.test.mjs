// Browser test in headless Debian Chromium (playwright-core): home page map
// and norms, click a country on the map, its profile with dashboard and
// evidence links, synthetic labelling.  Screenshots go to tests/e2e/out/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CDG, OUT, tap, serve, chromium, until } from '../js/harness.mjs';


const NODATA = '#d9d9d9'; // report/'s fill for a region without data

const { ok, done } = tap();

const dir = mkdtempSync(path.join(tmpdir(), 'cdg-e2e-'));
const db = path.join(dir, 'cdg.db');
execFileSync(CDG, ['init', '--db', db], { stdio: 'pipe' });
execFileSync(CDG, ['demo', '--db', db, '--states', '12'], { stdio: 'pipe' });
const demoState = JSON.parse(execFileSync(CDG, ['survey', 'list', '--json', '--db', db]))[0].country;

const srv = await serve(db);
const base = srv.base;

const browser = await chromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  await page.goto(base + '/');
  await page.waitForSelector('#norms tbody tr');
  ok(await page.locator('#norms tbody tr').count() === 11, 'home lists the 11 norms');
  // The map is the server's chart (report/): one path per shape, states linked.
  await page.waitForSelector('#map svg path.region[data-id="FRA"]');
  ok(await page.locator('#map svg a path.region').count() >= 193, 'the map links every UN member state');
  ok(/Budapest/.test(await page.locator('#map-caption').textContent()), 'without an edition the map shows Budapest status, and says so');
  const partyFill = await page.locator('#map path.region[data-id="FRA"]').getAttribute('fill');
  ok(partyFill !== NODATA, 'France, a Budapest party, is coloured');
  ok(await page.locator(`#map path.region[fill="${partyFill}"]`).count() > 20, 'Budapest parties share the party colour');
  ok(/Budapest Convention party/.test(await page.locator('#map path.region[data-id="FRA"] title').textContent()), 'a state\'s tooltip names its status');
  await page.screenshot({ path: path.join(OUT, 'home.png'), fullPage: false });

  // Map -> country -> evidence link: a real click on Paris (France's shape
  // also holds its overseas departments, so its centre is elsewhere).
  const paris = await page.evaluate(() => {
    const A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796, M = Math.sqrt(3) / 2;
    const proj = (lon, lat) => {
      const l = lon * Math.PI / 180, t = Math.asin(M * Math.sin(lat * Math.PI / 180)), t2 = t * t, t6 = t2 * t2 * t2;
      return [(2 * Math.sqrt(3) * l * Math.cos(t)) / (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1)),
        t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))];
    };
    const [X] = proj(180, 0), [, Y] = proj(0, 90);
    // Map units (data/map/world.json: 1000 x 487) to the screen through
    // the regions group's transform.
    const g = document.querySelector('#map svg g.regions');
    const [x, y] = proj(2.35, 46.5);
    const p = new DOMPoint(((x + X) / (2 * X)) * 1000, ((Y - y) / (2 * Y)) * 487).matrixTransform(g.getScreenCTM());
    return [p.x, p.y];
  });
  await page.mouse.click(paris[0], paris[1]);
  await page.waitForSelector('#dashboard tbody tr');
  ok(page.url().endsWith('/country.html?iso3=FRA'), 'clicking France on the map opens its profile');
  ok((await page.locator('#name').textContent()).includes('France'), 'the profile names France');
  ok(/ratified 2006-01-10/.test(await page.locator('#facts').textContent()), 'the Budapest ratification date is shown');
  const ev = page.locator('#dashboard a', { hasText: 'evidence' }).first();
  ok(await ev.count() === 1 && /^https?:/.test(await ev.getAttribute('href')), 'a dashboard value links to its evidence');
  ok(await page.locator('#dashboard tr.goal').count() === 11, 'one dashboard row per goal');
  ok(await page.locator('#synthetic').isHidden(), 'no synthetic banner for real data');
  await page.screenshot({ path: path.join(OUT, 'country-fra.png'), fullPage: true });

  // A demo state: the synthetic banner shows.
  await page.goto(`${base}/country.html?iso3=${demoState}`);
  await page.waitForSelector('#dashboard tbody tr');
  ok(await page.locator('#synthetic').isVisible(), 'a demo state shows the SYNTHETIC banner');
  ok(/SYNTHETIC/.test(await page.locator('#dashboard').textContent()), 'synthetic values are labelled in the table');
  await page.screenshot({ path: path.join(OUT, 'country-demo.png'), fullPage: true });

  // Keyboard: the map's links are focusable.
  await page.goto(base + '/');
  await page.waitForSelector('#map svg a');
  await page.focus('#map svg a:has(path[data-id="KEN"])');
  ok(await page.evaluate(() => document.activeElement?.querySelector('path')?.getAttribute('data-id')) === 'KEN', 'map countries are reachable by keyboard');

  // Phone width: no horizontal overflow of the layout.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(base + '/');
  await page.waitForSelector('#map svg');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  ok(overflow <= 1, `readable on a phone (no horizontal overflow: ${overflow}px)`);
  await page.screenshot({ path: path.join(OUT, 'home-phone.png') });

  // With an index edition, the map and the ranking show it.
  execFileSync(CDG, ['index', 'compute', '--edition', '2025', '--db', db], { stdio: 'pipe' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(base + '/');
  await page.waitForSelector('#ranking tbody tr td a');
  ok(/Index edition 2025/.test(await page.locator('#map-caption').textContent()), 'the map shows the latest edition');
  const ranked = await page.locator('#ranking tbody tr').count();
  ok(ranked > 10, `the ranking lists the ranked states (${ranked})`);
  ok((await page.locator('#ranking tbody tr td').first().textContent()).trim() === '1', 'the ranking starts at rank 1');
  // The edition carries the default methodology's Monte Carlo analysis, so
  // each rank has its 5-95 % interval: two ranks between 1 and the number
  // ranked, the lower first.
  const rows = await page.locator('#ranking tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
  const good = rows.filter(([, , , iv]) => { const m = /^(\d+)-(\d+)$/.exec(iv); return m && 1 <= +m[1] && +m[1] <= +m[2] && +m[2] <= rows.length; });
  ok(good.length === rows.length, `every ranked state shows its rank interval (${good.length} of ${rows.length}; first: ${rows[0]?.[3]})`);
  ok(await page.locator('#synthetic').isVisible(), 'an edition built on demo data is labelled SYNTHETIC');
  ok(await page.locator(`#map path.region:not([fill="${NODATA}"])`).count() === ranked,
    'every ranked state, and only they, is coloured by its score');
  ok(/index \d+\.\d, rank \d+/.test(await page.locator('#map path.region[fill]:not([fill="#d9d9d9"]) title').first().textContent()),
    'a ranked state\'s tooltip gives its score and rank');
  await page.locator('#ranking-chart summary').click();
  ok(await until(page, () => document.querySelector('#ranking-chart img').naturalWidth > 0), 'the ranking chart (report/) loads beside the table');
  await page.screenshot({ path: path.join(OUT, 'home-edition.png') });

  // The profile of a ranked state shows its index history chart.
  const rankedIso = await page.locator('#ranking tbody tr td a').first().getAttribute('href');
  await page.goto(base + rankedIso);
  await page.waitForSelector('#history:not([hidden])', { timeout: 10000 });
  ok(await page.evaluate(() => document.querySelector('#history-chart').naturalWidth > 0), 'a ranked state\'s profile shows its index history chart');
  await page.locator('#history').screenshot({ path: path.join(OUT, 'country-history.png') });

  ok(errors.length === 0, `no page errors${errors.length ? ': ' + errors.join('; ') : ''}`);
} finally {
  await browser.close();
  srv.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
done();
