// Browser test of work signed in (issue 17): a second tab of a signed-in
// session writes; the survey form groups questions by goal with progress
// counts, starts a new response from the state's previous one, refuses a
// positive answer without its required evidence next to the question (and
// the server does too), and shows only the buttons the role may use; the
// forum shows a new member's forms without a reload, refuses an action due
// before the adoption, and keeps a tally only for votes.
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
for (const [name, role, country] of [['fp.ken', 'focal_point', 'KEN'], ['sec', 'secretariat'], ['carol', 'stakeholder']])
  cdg(['user', 'add', name, '--role', role, ...(country ? ['--country', country] : []), '--password-stdin'], PW + '\n');
// Kenya's published 2025 response: the 2026 form starts from it.
const prev = path.join(dir, 'ken-2025.json');
writeFileSync(prev, JSON.stringify({ format: 'cdg-survey-response/1', country: 'KEN', year: 2025, answers: [
  { question: 'Q-a-1', answer: 'yes', evidence: ['https://example.org/ken/cooperation'] },
  { question: 'Q-CDG1-1', answer: 'partly', evidence: ['https://example.org/ken/strategy-draft'] }] }));
cdg(['survey', 'import', prev]);
for (const step of ['submit', 'validate', 'publish']) cdg(['survey', step, 'KEN', '2025']);
// The forum: Kenya's organisation, accredited; one session with one item.
const S = ['--actor', 'sec'];
cdg(['forum', 'org', 'add', 'Republic of Kenya', '--group', 'state', '--country', 'KEN', ...S]);
cdg(['forum', 'org', 'accredit', '1', ...S]);
cdg(['forum', 'session', 'add', '--title', 'First session', '--from', '2026-03-02', '--to', '2026-03-04', ...S]);
cdg(['forum', 'item', 'add', '1', '--title', 'Protecting critical infrastructure', ...S]);
const QUESTIONS = JSON.parse(cdg(['framework', 'survey', '--json'])).questions.length;

const srv = await serve(db);
const base = srv.base;
const browser = await chromium();
const errors = [];

async function signIn(ctx, name, where) {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(`${where}: ${e.message}`));
  await page.goto(`${base}/${where}`);
  await page.fill('#name', name);
  await page.fill('#password', PW);
  await page.click('#login button[type=submit]');
  return page;
}
const text = async (page, sel) => (await page.locator(sel).textContent()) || '';

try {
  // ---- a second tab of the session writes; the survey form ----------------
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const first = await signIn(ctx, 'fp.ken', 'survey.html');
  await first.waitForSelector('#work:not([hidden])');
  // A second tab: same cookies, its own (empty) sessionStorage.
  const tab = await ctx.newPage();
  tab.on('pageerror', (e) => errors.push(`tab 2: ${e.message}`));
  await tab.goto(`${base}/survey.html`);
  await tab.waitForSelector('#work:not([hidden])');
  ok(/fp.ken/.test(await text(tab, '#who')), 'the second tab knows who is signed in');
  await tab.fill('#year', '2026');
  await tab.click('#pick button[type=submit]');
  await tab.waitForSelector('#answer-Q-a-1');
  ok(await tab.inputValue('#answer-Q-a-1') === 'yes' && await tab.inputValue('#evidence-Q-a-1') === 'https://example.org/ken/cooperation',
    'the new 2026 response is prefilled from the 2025 one');
  ok(/prefilled from the 2025 response/.test(await text(tab, '#state-of-response')), `the page says so: ${await text(tab, '#state-of-response')}`);
  ok(await text(tab, '#progress') === `2 of ${QUESTIONS} answered`, `the progress count: ${await text(tab, '#progress')}`);
  const goals = await tab.locator('#answers section.goal').count();
  ok(goals >= 11, `one section per goal (${goals})`);
  ok(/^1 of 5 answered$/.test(await text(tab, '#progress-CDG1')), `each goal has its own count (CDG1: ${await text(tab, '#progress-CDG1')})`);
  await tab.selectOption('#answer-Q-CDG1-2', 'no');
  ok(await text(tab, '#progress') === `3 of ${QUESTIONS} answered` && await text(tab, '#progress-CDG1') === '2 of 5 answered',
    'answering a question moves both counts');
  ok(await tab.locator('#save').isVisible() && await tab.locator('#submit').isVisible() &&
    !await tab.locator('#validate').isVisible() && !await tab.locator('#publish').isVisible(),
  'a focal point sees Save and Submit, not Validate or Publish');
  // The bar stays in view at the bottom of the window.
  await tab.locator('#answer-Q-CDG5-1').scrollIntoViewIfNeeded();
  const bar = await tab.locator('#savebar').boundingBox();
  ok(bar && bar.y + bar.height <= 900 + 1 && bar.y > 600, `the Save/Submit bar stays at the bottom of the window (y ${bar && Math.round(bar.y)})`);
  await tab.screenshot({ path: path.join(OUT, 'survey-second-tab.png') });

  // A positive answer without its required evidence: refused, next to the question.
  await tab.selectOption('#answer-Q-i-1', 'partly');
  await tab.click('#save');
  ok(await until(tab, () => /Q-i-1/.test(document.querySelector('#msg-Q-i-1')?.textContent || '')),
    `the refusal stands next to the question and names it: ${await text(tab, '#msg-Q-i-1')}`);
  ok(/Q-i-1/.test(await text(tab, '#bar-msg')), 'the bar names the question too');
  await tab.locator('#answer-Q-i-1').scrollIntoViewIfNeeded();
  await tab.screenshot({ path: path.join(OUT, 'survey-evidence-refused.png') });
  // The server refuses it too, naming the question (the page's check bypassed).
  const server = await tab.evaluate(async () => {
    const r = await fetch('/api/v1/surveys/KEN/2026', { method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': sessionStorage.getItem('cdg_csrf') },
      body: JSON.stringify({ format: 'cdg-survey-response/1', country: 'KEN', year: 2026, answers: [{ question: 'Q-i-1', answer: 'yes' }] }) });
    return { status: r.status, body: await r.json() };
  });
  ok(server.status === 422 && /Q-i-1: the answer "yes" needs evidence/.test(server.body.error.message),
    `the server refuses it, naming the question (${server.status}: ${server.body.error?.message})`);
  // With evidence, the second tab saves: its write carries the session's CSRF token.
  await tab.fill('#evidence-Q-i-1', 'https://example.org/ken/procurement');
  await tab.click('#save');
  ok(await until(tab, () => /Draft saved \(revision 1\)/.test(document.querySelector('#bar-msg').textContent)),
    `the second tab writes: ${await text(tab, '#bar-msg')}`);
  ok(await text(tab, '#msg-Q-i-1') === '', 'the question\'s message is gone once it is fixed');
  const saved = JSON.parse(cdg(['survey', 'export', 'KEN', '2026']));
  ok(saved.answers.some((a) => a.question === 'Q-i-1' && a.answer === 'partly'), 'the draft is stored');
  // Another state's response: read only.
  await tab.fill('#iso3', 'GHA');
  await tab.click('#pick button[type=submit]');
  await tab.waitForFunction(() => /GHA/.test(document.querySelector('#state-of-response').textContent));
  ok(!await tab.locator('#save').isVisible() && !await tab.locator('#submit').isVisible() && await tab.locator('#readonly').isVisible(),
    'another state\'s response shows no write buttons');
  await ctx.close();
  const sc = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const sec = await signIn(sc, 'sec', 'survey.html');
  await sec.waitForSelector('#work:not([hidden])');
  await sec.fill('#iso3', 'KEN');
  await sec.fill('#year', '2026');
  await sec.click('#pick button[type=submit]');
  await sec.waitForSelector('#answer-Q-a-1');
  ok(await sec.locator('#validate').isVisible() && await sec.locator('#publish').isVisible(), 'the secretariat sees Validate and Publish');
  await sc.close();

  // ---- the forum ----------------------------------------------------------
  // carol is signed in with no organisation: no forms.  The secretariat
  // makes her a member; her open page shows the forms without a reload.
  const cc = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const carol = await signIn(cc, 'carol', 'forum.html');
  await carol.waitForFunction(() => /Signed in\./.test(document.querySelector('#status')?.textContent || ''));
  ok(await carol.locator('#propose-1').count() === 0, 'no proposal form before membership');
  cdg(['forum', 'org', 'member', '1', 'carol', ...S]);
  ok(await until(carol, () => !!document.querySelector('#propose-1'), null, 15000), 'the proposal form appears once she is a member, without a reload');
  ok(/for Republic of Kenya/.test(await text(carol, '#who')), 'and the page says whom she speaks for');
  await carol.fill('#propose-1 [name=title]', 'Protect hospitals');
  await carol.fill('#propose-1 [name=text]', 'No ICT activity against hospitals.');
  await carol.click('#propose-1 button[type=submit]');
  ok(await until(carol, () => /Proposal P1 submitted/.test(document.querySelector('#propose-1-msg')?.textContent || '')),
    'the outcome is said next to the form');
  await carol.screenshot({ path: path.join(OUT, 'forum-member-no-reload.png'), fullPage: true });
  await cc.close();

  const fc = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
  const fsec = await signIn(fc, 'sec', 'forum.html');
  await fsec.waitForSelector('#decide-1');
  ok(!await fsec.locator('#decide-1 fieldset.tally').isVisible(), 'consensus (the default): no tally');
  await fsec.selectOption('#decide-1 [name=method]', 'vote');
  ok(await fsec.locator('#decide-1 fieldset.tally').isVisible(), 'a vote shows the tally');
  await fsec.fill('#decide-1 [name=yes]', '12');
  await fsec.selectOption('#decide-1 [name=method]', 'consensus');
  ok(!await fsec.locator('#decide-1 fieldset.tally').isVisible() && await fsec.inputValue('#decide-1 [name=yes]') === '',
    'back to consensus: the tally is hidden and cleared');
  await fsec.fill('#decide-1 [name=text]', 'Hospitals are off limits.');
  await fsec.fill('#decide-1 [name=adopted_on]', '2026-03-04');
  await fsec.fill('#decide-1 [name=action_title]', 'Name a health CERT contact');
  await fsec.fill('#decide-1 [name=action_deadline]', '2026-03-01');
  ok(await fsec.getAttribute('#decide-1 [name=action_deadline]', 'min') === '2026-03-04', 'the deadline field may not go before the adoption');
  // The browser's own check would stop the form; skip it to reach the page's and the server's.
  await fsec.evaluate(() => { document.querySelector('#decide-1').noValidate = true; });
  await fsec.click('#decide-1 button[type=submit]');
  ok(await until(fsec, () => /before the adoption/.test(document.querySelector('#decide-1-msg')?.textContent || '')),
    `an action due before the adoption is refused next to the form: ${await text(fsec, '#decide-1-msg')}`);
  ok(await fsec.locator('#decision-1').count() === 0, 'no decision is recorded');
  await fsec.locator('#decide-1').scrollIntoViewIfNeeded();
  await fsec.screenshot({ path: path.join(OUT, 'forum-deadline-refused.png') });
  const api = await fsec.evaluate(async () => {
    const r = await fetch('/api/v1/forum/decisions', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': sessionStorage.getItem('cdg_csrf') },
      body: JSON.stringify({ item: 1, method: 'consensus', text: 'T', adopted_on: '2026-03-04', actions: [{ title: 'A', owner: 1, deadline: '2026-03-01' }] }) });
    return { status: r.status, body: await r.json() };
  });
  ok(api.status === 422 && /action.deadline: 2026-03-01 is before the decision's adoption on 2026-03-04/.test(api.body.error.message),
    `the server refuses it too (${api.status}: ${api.body.error?.message})`);
  await fsec.fill('#decide-1 [name=action_deadline]', '2026-06-30');
  await fsec.click('#decide-1 button[type=submit]');
  await fsec.waitForSelector('#decision-1');
  ok(/adopted by consensus on 2026-03-04/.test(await text(fsec, '#decision-1')) && !/yes/.test(await text(fsec, '#decision-1 h4')),
    'with a later deadline it is recorded, by consensus, with no tally');
  const d = JSON.parse(cdg(['forum', 'decision', 'show', '1', '--json']).toString() || '{}');
  ok(!d.tally || d.tally === null, 'no tally is stored for consensus');
  await fc.close();
  ok(errors.length === 0, `no script errors (${errors.join('; ')})`);
} finally {
  await browser.close();
  srv.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
done();
