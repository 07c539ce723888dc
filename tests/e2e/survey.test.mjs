// Browser test of the survey flow in headless Chromium: a focal point signs
// in, edits and submits its state's response; the focal point of another
// state is refused; the secretariat validates and publishes.  Then the
// upload page: an editor's bad file lists its faults, a good one is stored,
// a focal point's upload is refused.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CDG, OUT, tap, serve, chromium, until } from '../js/harness.mjs';


const { ok, done } = tap();

const dir = mkdtempSync(path.join(tmpdir(), 'cdg-e2e-'));
const db = path.join(dir, 'cdg.db');
const cdg = (args, input) => execFileSync(CDG, [...args, '--db', db], { input, stdio: ['pipe', 'pipe', 'pipe'] });
cdg(['init']);
const PW = 'a long test password';
cdg(['user', 'add', 'fp.ken', '--role', 'focal_point', '--country', 'KEN', '--password-stdin'], PW + '\n');
cdg(['user', 'add', 'fp.gha', '--role', 'focal_point', '--country', 'GHA', '--password-stdin'], PW + '\n');
cdg(['user', 'add', 'sec', '--role', 'secretariat', '--password-stdin'], PW + '\n');
cdg(['user', 'add', 'ed', '--role', 'editor', '--password-stdin'], PW + '\n');

const srv = await serve(db);
const base = srv.base;
const browser = await chromium();

async function signIn(name, where = 'survey.html') {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${base}/${where}`);
  await page.fill('#name', name);
  await page.fill('#password', PW);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#work:not([hidden])');
  if (/password/.test(page.url())) ok(false, `${where}: the password stayed out of the URL (${page.url()})`);
  return { ctx, page };
}
// The survey's messages stand in its Save/Submit bar.
const status = async (page) => (await page.locator('#bar-msg').textContent()) || '';

try {
  // The focal point of Kenya answers two questions, saves, submits.
  const { ctx: c1, page } = await signIn('fp.ken');
  ok(/fp.ken \(focal_point of KEN\)/.test(await page.locator('#who').textContent()), 'the focal point is signed in for Kenya');
  ok(await page.inputValue('#iso3') === 'KEN', 'its own state is preselected');
  await page.fill('#year', '2025');
  await page.click('#pick button[type=submit]');
  await page.waitForSelector('#answer-Q-a-1');
  await page.selectOption('#answer-Q-a-1', 'yes');
  await page.fill('#evidence-Q-a-1', 'https://example.org/ken/cooperation');
  await page.selectOption('#answer-Q-CDG1-1', 'partly');
  await page.click('#save');
  await page.waitForFunction(() => /Draft saved/.test(document.querySelector('#bar-msg').textContent) ||
    /error/.test(document.querySelector('#bar-msg').className));
  ok(/missing|needs evidence/i.test(await status(page)) && /error/.test(await page.locator('#bar-msg').getAttribute('class') || ''),
    'a positive answer without its required evidence is refused, and the form says why');
  await page.fill('#evidence-Q-CDG1-1', 'https://example.org/ken/strategy-draft');
  await page.click('#save');
  await page.waitForFunction(() => /Draft saved/.test(document.querySelector('#bar-msg').textContent));
  ok(/Draft saved \(revision 1\)/.test(await status(page)), 'the draft is saved as revision 1');
  await page.click('#submit');
  ok(await until(page, () => /KEN 2025: submitted/.test(document.querySelector('#state-of-response').textContent)), 'the focal point submits; the page shows "submitted"');
  await page.screenshot({ path: path.join(OUT, 'survey-submitted.png'), fullPage: false });

  // The focal point of Ghana may not touch Kenya's response.
  const { ctx: c2, page: other } = await signIn('fp.gha');
  await other.fill('#iso3', 'KEN');
  await other.fill('#year', '2025');
  await other.click('#pick button[type=submit]');
  await other.waitForSelector('#answer-Q-a-1');
  ok(!await other.locator('#validate').isVisible() && !await other.locator('#save').isVisible(), 'another state\'s focal point gets no write buttons');
  const refused = await other.evaluate(async () => {
    const r = await fetch('/api/v1/surveys/KEN/2025/validate', { method: 'POST', headers: { 'X-CSRF-Token': sessionStorage.getItem('cdg_csrf') } });
    return (await r.json()).error?.message || '';
  });
  ok(/may not/.test(refused), `and the server refuses its write: ${refused}`);
  await other.screenshot({ path: path.join(OUT, 'survey-refused.png') });

  // The secretariat validates and publishes.
  const { ctx: c3, page: sec } = await signIn('sec');
  await sec.fill('#iso3', 'KEN');
  await sec.fill('#year', '2025');
  await sec.click('#pick button[type=submit]');
  await sec.waitForSelector('#answer-Q-a-1');
  ok(await sec.inputValue('#answer-Q-a-1') === 'yes', 'the secretariat sees the submitted answers');
  await sec.click('#validate');
  await sec.waitForFunction(() => /validated/.test(document.querySelector('#state-of-response').textContent));
  await sec.click('#publish');
  ok(await until(sec, () => /published/.test(document.querySelector('#state-of-response').textContent)), 'the secretariat validates and publishes');
  await sec.screenshot({ path: path.join(OUT, 'survey-published.png') });
  const hist = JSON.parse(cdg(['survey', 'history', 'KEN', '2025', '--json']));
  ok(hist.map((h) => `${h.status}/${h.actor}`).join(',') === 'draft/fp.ken,submitted/fp.ken,validated/sec,published/sec',
    'the history records who did what');
  await c1.close(); await c2.close(); await c3.close();

  // Upload page: an editor sends an observation file with two faults,
  // sees both with their lines, then a good file; a focal point is refused.
  const { ctx: c4, page: ed } = await signIn('ed', 'upload.html');
  const badCsv = path.join(dir, 'bad.csv'), goodCsv = path.join(dir, 'good.csv');
  writeFileSync(badCsv, 'indicator,country,year,value,source_url\nCDG2.1.1,XXX,2024,1,https://example.org/a\nCDG2.1.1,KEN,2999,1,https://example.org/b\n');
  writeFileSync(goodCsv, 'indicator,country,year,value,source_url,note\nCDG2.1.1,KEN,2024,1,https://example.org/e2e/ken-csirt,browser test fixture (fictional)\n');
  await ed.setInputFiles('#file', badCsv);
  await ed.click('#upload button[type=submit]');
  await ed.waitForSelector('#faults tbody tr');
  const lines = await ed.locator('#faults tbody tr td:first-child').allTextContents();
  ok(lines.join(',') === '2,3', `a refused file lists every fault with its line (${lines.join(',')})`);
  await ed.screenshot({ path: path.join(OUT, 'upload-refused.png'), fullPage: true });
  ok(!cdg(['data', 'export', '--country', 'KEN']).toString().includes('example.org/b'), 'nothing of the refused file is stored');
  await ed.setInputFiles('#file', goodCsv);
  await ed.click('#upload button[type=submit]');
  await ed.waitForSelector('#done');
  ok(/1 written/.test(await ed.locator('#done').textContent()), 'a good file is uploaded');
  ok(cdg(['data', 'export', '--country', 'KEN']).toString().includes('example.org/e2e/ken-csirt'), 'its row is stored with its source');
  const { ctx: c5, page: fp } = await signIn('fp.ken', 'upload.html');
  await fp.setInputFiles('#file', goodCsv);
  await fp.click('#upload button[type=submit]');
  ok(await until(fp, () => /refused \(HTTP 403\)/.test(document.querySelector('#status').textContent)), 'a focal point\'s upload is refused (403)');
  await c4.close(); await c5.close();
} finally {
  await browser.close();
  srv.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
done();
