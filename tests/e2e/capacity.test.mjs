// Browser test (headless Debian Chromium, playwright-core) of the
// agreements page (comparison aligned on norms, one agreement, industry
// norms) and the capacity page (a state's gaps matched to constructed
// SYNTHETIC initiatives, unserved gaps, duplication, donors): keyboard use,
// phone width, no console errors.  Screenshots go to tests/e2e/out/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SRC, CDG, OUT, tap, serve, chromium } from '../js/harness.mjs';



const { ok, done } = tap();

const dir = mkdtempSync(path.join(tmpdir(), 'cdg-e2e-capacity-'));
const db = path.join(dir, 'cdg.db');
const run = (...a) => execFileSync(CDG, [...a, '--db', db], { stdio: 'pipe' });
run('init');
// Known gaps (SYNTHETIC values, so that the page's answers do not move with
// the shipped evidence): CDG8.3.1, years since the latest position, of 7.
const gaps = path.join(dir, 'gaps.csv');
writeFileSync(gaps, 'indicator,country,year,value,source_url\n' +
  ['FRA', 'GBR', 'FIN'].map((s) => `CDG8.3.1,${s},2026,7,https://example.org/synthetic-gaps\n`).join(''));
run('data', 'import', gaps);
// Constructed initiatives (SYNTHETIC): S1 and S3 overlap on FRA and CDG8;
// S1 serves FRA's CDG8.3.1 gap (one of the known gaps above).
const fixture = path.join(dir, 'initiatives.csv');
writeFileSync(fixture, 'id,title,donors,implementers,beneficiaries,goals,norms,start_date,end_date,budget,currency,status,source_url,synthetic\n' +
  'S1,E2E positions programme (fictional),Donor X,Implementer P,FRA;GBR,CDG8,,2024,2027,100000,EUR,ongoing,https://example.org/s1,1\n' +
  'S3,E2E second programme (fictional),Donor Z,Implementer P,FRA,CDG8,,2026-06,2028,,,planned,https://example.org/s3,1\n');
run('capacity', 'import', fixture);

const srv = await serve(db);
const base = srv.base;

const browser = await chromium();
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const ready = (page) => page.waitForFunction(() => !/Loading/.test(document.querySelector('#status')?.textContent || ''));
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  // ---- agreements --------------------------------------------------------------
  await page.goto(base + '/');
  ok(await page.locator('footer a[href="/agreements.html"]').count() === 1, 'the home page links the agreements page');
  ok(await page.locator('footer a[href="/capacity.html"]').count() === 1, 'the home page links the capacity page');
  await page.goto(base + '/agreements.html');
  await ready(page);
  const nAgr = JSON.parse(readFileSync(path.join(SRC, 'data/agreements/agreements.json'), 'utf8')).agreements.length;
  ok(await page.locator('#agreements tbody tr').count() === nAgr, `every agreement of agreements.json listed (${nAgr})`);
  const nis2 = page.locator('#agreements tr[data-id="nis2"]');
  ok(/binding instrument/.test(await nis2.textContent()) && /legal obligation/.test(await nis2.textContent()), 'NIS2: binding, legal obligation');
  // Keyboard only: tick two agreements and submit.
  await page.focus('#pick-paris-call');
  await page.keyboard.press('Space');
  await page.focus('#pick-tech-accord');
  await page.keyboard.press('Space');
  await page.focus('#compare-btn');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#compare tbody tr[data-ref="IND2"]');
  ok(new URL(page.url()).search === '?ids=paris-call,tech-accord', 'the choice is kept in the query string');
  const ind2 = await page.locator('#compare tr[data-ref="IND2"] td').allTextContents();
  ok(ind2.length === 2 && ind2.every((t) => /commitment/.test(t)), 'no back doors: a commitment in each column');
  const j = await page.locator('#compare tr[data-ref="j"] td').allTextContents();
  ok(j[0].trim() === '—' && /vulnerability disclosure/.test(j[1]), 'norm j: only the Tech Accord');
  ok(/multistakeholder/.test(await page.locator('#compare tr.terms').nth(1).textContent()), 'the type row keeps the terms apart');
  await page.screenshot({ path: path.join(OUT, 'agreements-compare.png'), fullPage: true });
  await page.goto(base + '/agreements.html?ids=budapest,nis2,g20-2015');
  await page.waitForSelector('#compare tr[data-ref="d"]');
  ok(await page.locator('#compare thead th').count() === 4, 'three columns from the query string');
  await page.locator('#compare a.show[data-id="budapest"]').click();
  await page.waitForSelector('#detail:not([hidden]) ul.participants li');
  ok(await page.locator('#detail ul.participants li').count() > 20, 'Budapest parties from the reference data');
  ok(await page.locator('#industry section[data-norm="IND1"] li').count() === 5, 'five companies on IND1 with evidence');

  // ---- capacity ----------------------------------------------------------------
  await page.goto(base + '/capacity.html?iso3=FRA&year=2026');
  await page.waitForSelector('#match tbody tr[data-indicator="CDG8.3.1"]');
  await ready(page);
  const fraCdg8 = await page.locator('#match tr[data-indicator="CDG8.3.1"]').textContent();
  ok(/E2E positions programme/.test(fraCdg8) && /E2E second programme/.test(fraCdg8), "FRA's CDG8.3.1 gap: both constructed initiatives");
  ok(/SYNTHETIC/.test(fraCdg8), 'constructed initiatives are labelled SYNTHETIC');
  ok(await page.locator('#synthetic').isVisible(), 'the page warns about synthetic records');
  const unserved = await page.locator('#unserved tr[data-indicator="CDG8.3.1"]').textContent();
  ok(!/France/.test(unserved) && /Finland/.test(unserved), 'unserved CDG8.3.1: Finland yes, France no');
  // One group of the two constructed initiatives; the shipped real ones form
  // their own (GLACY+ and OCWAR-C in West Africa, see data/capacity/README.md).
  const groups = await page.locator('#duplication section.dup-group').allTextContents();
  ok(groups.filter((g) => /E2E/.test(g)).length === 1 && groups.some((g) => /FRA on CDG8/.test(g) && /E2E/.test(g)),
    'one duplication group of the constructed initiatives, on FRA and CDG8');
  ok(groups.some((g) => /GLACY\+/.test(g) && /OCWAR-C/.test(g)), 'the real overlap of GLACY+ and OCWAR-C is shown');
  const shipped = readFileSync(path.join(SRC, 'data/capacity/initiatives.csv'), 'utf8').trim().split('\n').length - 1;
  const note = page.locator('#initiatives tr[data-id="EF-OCWAR-C"] details.note');
  ok(!(await note.locator('p').isVisible()), "an initiative's source note starts folded");
  await note.locator('summary').focus();
  await page.keyboard.press('Enter');
  ok(await note.locator('p').isVisible() && /Expertise France|extended/i.test(await note.locator('p').textContent()),
    'Enter on "What the source says" shows the note');
  ok(await page.locator('#initiatives tbody tr').count() === shipped + 2, `the ${shipped} sourced and two constructed initiatives are listed`);
  ok(await page.locator('#donors section.donor').count() >= 6, 'donors listed');
  // Keyboard: choose another state and show.
  await page.focus('#state');
  await page.selectOption('#state', 'USA');
  await page.focus('#match-form button');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /United States/.test(document.querySelector('#match-summary')?.textContent || ''));
  ok(/iso3=USA/.test(page.url()), 'the state is kept in the query string');
  await page.screenshot({ path: path.join(OUT, 'capacity.png'), fullPage: true });

  // The country profile's capacity section.
  await page.goto(base + '/country.html?iso3=FRA');
  await page.waitForSelector('#capacity li[data-id="S1"]');
  const fraCap = await page.locator('#capacity li[data-id="S1"]').textContent();
  ok(/CDG8\.3\.1/.test(fraCap) && /SYNTHETIC/.test(fraCap), 'FRA profile: S1 addresses CDG8.3.1, labelled SYNTHETIC');
  ok(await page.locator('.toc a[href="#capacity-h"]').count() === 1, 'the profile contents list the capacity section');
  ok(await page.locator('#state-agreements li[data-id="paris-call"]').count() === 1, 'FRA profile: the Paris Call among its agreements');
  await page.locator('#state-agreements li[data-id="paris-call"] a').first().click();
  await page.waitForSelector('#detail:not([hidden]) ul.participants li');
  ok(/Paris Call/.test(await page.locator('#detail-h').textContent()), 'the link opens that agreement');

  // ---- phone width -------------------------------------------------------------
  await page.setViewportSize({ width: 390, height: 800 });
  for (const [url, wait, shot] of [
    ['/agreements.html?ids=gge-2015,oewg-2021,g20-2015', '#compare tr[data-ref="a"]', 'agreements-phone.png'],
    ['/capacity.html?iso3=FRA&year=2026', '#match tr[data-indicator="CDG8.3.1"]', 'capacity-phone.png'],
  ]) {
    await page.goto(base + url);
    await page.waitForSelector(wait);
    await ready(page);
    const o = await overflow(page);
    ok(o <= 1, `${url} fits a phone (horizontal overflow ${o}px)`);
    await page.screenshot({ path: path.join(OUT, shot), fullPage: true });
  }
  ok(errors.length === 0, `no console or page errors${errors.length ? ': ' + errors.join('; ') : ''}`);
} finally {
  await browser.close();
  srv.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
done();
