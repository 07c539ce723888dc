// Accessibility audit in headless Debian Chromium: axe-core (Deque's rules
// engine, npm axe-core) checks every page against WCAG 2.0/2.1 A and AA,
// with demo data loaded so that tables, charts and forms are on the page,
// as the public, as a focal point (survey form) and as the secretariat
// (forum and upload forms), at desktop and phone widths.  A page passes
// with no violation at all; each violation is printed with its rule and
// the elements it names.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CDG, tap, serve, chromium, until } from '../js/harness.mjs';

const require = createRequire(new URL('../js/package.json', import.meta.url));
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const { ok, done } = tap();

const dir = mkdtempSync(path.join(tmpdir(), 'cdg-a11y-'));
const db = path.join(dir, 'cdg.db');
const PW = 'a11y-password-0123';
const run = (args, input) => execFileSync(CDG, [...args, '--db', db], { stdio: 'pipe', input });
run(['init']);
run(['demo', '--states', '12']);
run(['index', 'compute', '--edition', '2025']);
const { country: demoState, year: demoYear } = JSON.parse(run(['survey', 'list', '--json']))[0];
const wannacry = JSON.parse(run(['incidents', '--search', 'WannaCry', '--json'])).find((i) => i.title === 'WannaCry ransomware').id;
run(['user', 'add', 'sec', '--role', 'secretariat', '--password-stdin'], PW + '\n');
run(['user', 'add', 'fp', '--role', 'focal_point', '--country', demoState, '--password-stdin'], PW + '\n');
const S = ['--actor', 'sec'];
run(['forum', 'org', 'add', 'Synthetic state delegation', '--group', 'state', '--country', demoState, ...S]);
run(['forum', 'org', 'accredit', '1', ...S]);
run(['forum', 'session', 'add', '--title', 'Synthetic test session', '--from', '2026-03-02', ...S]);
run(['forum', 'item', 'add', '1', '--title', 'Synthetic agenda item', ...S]);

const srv = await serve(db);
const base = srv.base;
const browser = await chromium();

// Pages, each with what shows that its data has arrived (null: static).
const pages = [
  ['/', '#ranking tbody tr'],
  [`/country.html?iso3=${demoState}`, '#dashboard tbody tr'],
  ['/norm.html?letter=f', '#implementation tbody tr'],
  ['/incidents.html?search=WannaCry', '#results li.incident'],
  [`/incident.html?id=${wannacry}`, '#attributions li.attribution'], // an incident's permalink
  ['/agreements.html', '#agreements tbody tr'],
  ['/capacity.html', '#initiatives tbody tr'],
  ['/forum.html', '#session-view section.item'],
  ['/survey.html', null], // the public sees only the sign-in form
  ['/upload.html', null],
  ['/norms.html', '#norms-list tbody tr'],
  ['/country.html', '#az-list li'], // no State given: the A-Z list
  ['/no-such-page', null], // the 404 page
  ['/docs/', 'main h1'], // the methodology, rendered from docs/
  ['/docs/registry', 'main table'],
  // The API reference (Redoc): audited once its search box, drawn last, is there.
  ['/api.html', '#redoc [data-testid="search-trigger"]'],
];

async function audit(page, label) {
  await page.evaluate(axeSource);
  const r = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  for (const v of r.violations)
    console.log(`# ${label}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  ok(r.violations.length === 0, `${label}: no WCAG 2.1 A/AA violation (${r.violations.map((v) => v.id).join(', ') || 'none'})`);
}

async function signedIn(name, viewport) {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  await page.goto(`${base}/forum.html`);
  await page.fill('#name', name);
  await page.fill('#password', PW);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#who:not([hidden])');
  return { ctx, page };
}

try {
  // The auditor itself: on a page with an image without text and a field
  // without a label, it must report exactly those rules.
  {
    const page = await browser.newPage();
    await page.goto(`${base}/incidents.html`);
    await page.evaluate(() => {
      const main = document.querySelector('main');
      main.insertAdjacentHTML('beforeend', '<img src="/favicon.ico"><input type="text" id="a11y-unlabelled">');
    });
    await page.evaluate(axeSource);
    const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }));
    const ids = r.violations.map((v) => v.id).sort().join(',');
    ok(ids === 'image-alt,label', `axe-core finds a planted image without text and field without label (got ${ids})`);
    await page.close();
  }
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 800 }]) {
    const ctx = await browser.newContext({ viewport });
    const page = await ctx.newPage();
    for (const [url, wait] of pages) {
      await page.goto(base + url);
      if (wait)
        ok(await until(page, (sel) => document.querySelector(sel) !== null, wait), `${url} (${viewport.width} px) shows its data`);
      await page.waitForLoadState('networkidle');
      await audit(page, `${url}, public, ${viewport.width} px`);
    }
    await ctx.close();
  }
  // The dark colour scheme (prefers-color-scheme: dark) is audited too:
  // its colours must keep the same contrast.
  {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' });
    const page = await ctx.newPage();
    for (const [url, wait] of pages.filter(([u]) => u !== '/api.html')) {
      await page.goto(base + url);
      if (wait)
        await until(page, (sel) => document.querySelector(sel) !== null, wait);
      await page.waitForLoadState('networkidle');
      await audit(page, `${url}, public, dark`);
    }
    await ctx.close();
  }
  // Forms only signed-in accounts see.
  const fp = await signedIn('fp', { width: 1280, height: 900 });
  await fp.page.goto(`${base}/survey.html`);
  ok(await until(fp.page, () => !document.querySelector('#work').hidden), 'the focal point gets the survey form');
  await fp.page.fill('#year', String(demoYear));
  await fp.page.click('#pick button[type=submit]');
  ok(await until(fp.page, () => document.querySelectorAll('#answers input, #answers select, #answers textarea').length > 10),
    "the focal point's response opens with its questions");
  await fp.page.waitForLoadState('networkidle');
  await audit(fp.page, '/survey.html, focal point');
  await fp.ctx.close();
  const sec = await signedIn('sec', { width: 1280, height: 900 });
  await sec.page.goto(`${base}/forum.html`);
  ok(await until(sec.page, () => document.querySelector('#decide-1') !== null), 'the secretariat gets the decision form');
  await sec.page.waitForLoadState('networkidle');
  await audit(sec.page, '/forum.html, secretariat');
  await sec.page.goto(`${base}/upload.html`);
  await sec.page.waitForLoadState('networkidle');
  await audit(sec.page, '/upload.html, secretariat');
  await sec.ctx.close();
} finally {
  await browser.close();
  srv.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
done();
