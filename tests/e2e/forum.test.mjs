// Browser test of the forum's flow in headless Chromium: a stakeholder
// submits a proposal, another comments, the secretariat records a
// consensus decision with an action, the action's owner reports progress,
// and the progress shows on the monitoring panel and on the state's
// dashboard.  Screenshots go to tests/e2e/out/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CDG, OUT, tap, serve, chromium } from '../js/harness.mjs';


const { ok, done } = tap();

const dir = mkdtempSync(path.join(tmpdir(), 'cdg-e2e-forum-'));
const db = path.join(dir, 'cdg.db');
const cdg = (args, input) => execFileSync(CDG, [...args, '--db', db], { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
cdg(['init']);
const PW = 'a long test password';
for (const [name, role] of [['alice', 'stakeholder'], ['bob', 'stakeholder'], ['sec', 'secretariat']])
  cdg(['user', 'add', name, '--role', role, '--password-stdin'], PW + '\n');
// The secretariat's set-up, through the CLI.
const S = ['--actor', 'sec'];
cdg(['forum', 'org', 'add', 'Republic of Kenya', '--group', 'state', '--country', 'KEN', ...S]);
cdg(['forum', 'org', 'add', 'Open Net Civil Society', '--group', 'civil_society', ...S]);
cdg(['forum', 'org', 'accredit', '1', ...S]);
cdg(['forum', 'org', 'accredit', '2', ...S]);
cdg(['forum', 'org', 'member', '1', 'alice', ...S]);
cdg(['forum', 'org', 'member', '2', 'bob', ...S]);
cdg(['forum', 'session', 'add', '--title', 'First session of the standing forum', '--from', '2026-03-02', '--to', '2026-03-04', ...S]);
cdg(['forum', 'item', 'add', '1', '--title', 'Protecting critical infrastructure', ...S]);
cdg(['forum', 'doc', 'add', '1', '--title', 'Provisional agenda', '--access', 'public', '--text', 'Opening; critical infrastructure; capacity building.', ...S]);
cdg(['forum', 'doc', 'add', '1', '--item', '1', '--title', "Chair's non-paper", '--access', 'registered', '--text', 'For registered participants only.', ...S]);

const srv = await serve(db);
const base = srv.base;
const browser = await chromium();

async function signIn(name, viewport = { width: 1100, height: 1000 }) {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => ok(false, `no script error on the page: ${e.message}`));
  await page.goto(`${base}/forum.html`);
  await page.fill('#name', name);
  await page.fill('#password', PW);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#who:not([hidden])');
  // The page shows who is signed in, then reloads the forum as that
  // account; "Signed in." comes when the reload is done.
  await page.waitForFunction(() => /Signed in\./.test(document.querySelector('#status')?.textContent || ''));
  return { ctx, page };
}
const text = async (page, sel) => (await page.locator(sel).textContent()) || '';

try {
  // The public reads the session but not the registered document, and sees no forms.
  const pub = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const anon = await pub.newPage();
  await anon.goto(`${base}/forum.html`);
  await anon.waitForSelector('#item-1');
  ok(/Provisional agenda/.test(await text(anon, '#session-view')), 'the public reads the public agenda');
  ok(!/non-paper/.test(await text(anon, '#session-view')), 'the public does not see the registered document');
  ok(await anon.locator('form.forum').count() === 0, 'no write forms for the public');
  await anon.screenshot({ path: path.join(OUT, 'forum-phone-public.png'), fullPage: true });

  // alice, for Kenya, submits a written proposal with references.
  const { ctx: c1, page: alice } = await signIn('alice');
  ok(/alice \(stakeholder\), for Republic of Kenya/.test(await text(alice, '#who')), 'alice is signed in for Kenya');
  ok(/non-paper/.test(await text(alice, '#session-view')), 'a signed-in account sees the registered document');
  await alice.waitForSelector('#propose-1');
  await alice.fill('#propose-1 [name=title]', 'Protect health care from ICT attacks');
  await alice.fill('#propose-1 [name=text]', 'States should not conduct or knowingly support ICT activity that damages hospitals.');
  await alice.fill('#propose-1 [name=refs]', 'f, CDG1');
  await alice.click('#propose-1 button[type=submit]');
  await alice.waitForSelector('#proposal-1');
  ok(/Proposal P1 submitted/.test(await text(alice, '#propose-1-msg')), 'the proposal is submitted as P1 (said next to the form)');
  ok(/References: norm f, cdg CDG1/.test(await text(alice, '#proposal-1')), 'with its references');
  await alice.screenshot({ path: path.join(OUT, 'forum-proposal.png'), fullPage: true });

  // bob, for civil society, comments (using the keyboard to submit).
  const { ctx: c2, page: bob } = await signIn('bob');
  await bob.waitForSelector('#comment-1');
  await bob.fill('#comment-1 [name=text]', 'Please add medical supply chains.');
  await bob.focus('#comment-1 button[type=submit]');
  await bob.keyboard.press('Enter');
  await bob.waitForFunction(() => /medical supply chains/.test(document.querySelector('#proposal-1 .comments').textContent));
  ok(/Open Net Civil Society: Please add medical supply chains/.test(await text(bob, '#proposal-1 .comments')), 'the comment shows with its organisation');
  ok(await bob.locator('#decide-1').count() === 0, 'a stakeholder gets no decision form');

  // The secretariat records a consensus decision with an action for Kenya.
  const { ctx: c3, page: sec } = await signIn('sec');
  await sec.waitForSelector('#decide-1');
  await sec.selectOption('#decide-1 [name=method]', 'consensus');
  await sec.fill('#decide-1 [name=text]', 'The forum agrees that health-care facilities are off limits.');
  await sec.check('#decide-1 input[name=draws][value="1"]');
  await sec.fill('#decide-1 [name=action_title]', 'Designate a health-sector CERT contact');
  await sec.selectOption('#decide-1 [name=action_owner]', '1');
  await sec.fill('#decide-1 [name=action_deadline]', '2027-06-30');
  // A second action, added from the keyboard, owned by the civil-society
  // organisation; a third row left empty is ignored.
  await sec.focus('#decide-1 button.add-action');
  await sec.keyboard.press('Enter');
  ok(await sec.locator('#decide-1 fieldset.action-row').count() === 2 &&
    await sec.evaluate(() => document.activeElement === document.querySelectorAll('#decide-1 [name=action_title]')[1]),
    '"Add another action" adds a row and puts the cursor in it');
  await sec.keyboard.type('Publish a guide to reporting attacks on hospitals');
  await sec.locator('#decide-1 [name=action_owner]').nth(1).selectOption('2');
  await sec.locator('#decide-1 [name=action_deadline]').nth(1).fill('2027-12-31');
  await sec.click('#decide-1 button.add-action');
  await sec.click('#decide-1 button[type=submit]');
  await sec.waitForSelector('#decision-1');
  ok(/adopted by consensus/.test(await text(sec, '#decision-1')) && /Draws on: P1/.test(await text(sec, '#decision-1')),
    'the decision shows as adopted by consensus, drawing on P1');
  const agreed = await text(sec, '#decision-1');
  ok(/A1 Designate a health-sector CERT contact — Republic of Kenya, by 2027-06-30/.test(agreed) &&
    /A2 Publish a guide to reporting attacks on hospitals — Open Net Civil Society, by 2027-12-31/.test(agreed),
    'both actions are recorded with their owners and deadlines, in order');
  ok(/2 agreed · 0 done · 0 in progress · 2 not started · 0 overdue/.test(await text(sec, '#monitor-summary')), 'the monitoring panel counts the new actions');
  await sec.screenshot({ path: path.join(OUT, 'forum-decision.png'), fullPage: true });

  // The secretariat's other forms: an agenda item, and the organisations table.
  await sec.click('#session-admin summary');
  await sec.fill('#item-add [name=title]', 'Capacity building');
  await sec.click('#item-add button[type=submit]');
  await sec.waitForSelector('#item-2');
  ok(/Agenda item 2: Capacity building/.test(await text(sec, '#item-2')), 'the secretariat adds an agenda item from the page');
  ok(/Republic of Kenya/.test(await text(sec, '#orgs')) && await sec.locator('#member-1').count() === 1, 'the secretariat sees the organisations with their forms');
  ok(await alice.locator('#member-1').count() === 0, 'a stakeholder does not');

  // bob's organisation does not own the action: no update form for him.
  await bob.reload();
  await bob.waitForSelector('#action-1');
  ok(await bob.locator('#update-1').count() === 0, 'only the owner and the secretariat may report on the action');

  // alice, for the owner, reports progress.
  await alice.reload();
  await alice.waitForSelector('#update-1');
  await alice.selectOption('#update-1 [name=status]', 'in_progress');
  await alice.fill('#update-1 [name=note]', 'Contact named in the draft decree.');
  await alice.click('#update-1 button[type=submit]');
  await alice.waitForSelector('#action-1[data-status=in_progress]');
  ok(/in progress/.test(await text(alice, '#action-1')), 'the monitoring panel shows the action in progress');

  // The progress shows on Kenya's dashboard.
  const dash = await alice.context().newPage();
  await dash.goto(`${base}/country.html?iso3=KEN`);
  await dash.waitForSelector('#forum-actions #action-1');
  const row = await text(dash, '#forum-actions #action-1');
  ok(/Designate a health-sector CERT contact/.test(row) && /in progress/.test(row) && /2027-06-30/.test(row),
    `Kenya's dashboard shows the action, its deadline and its progress: ${row}`);
  ok(/1 agreed · 0 done · 1 in progress/.test(await text(dash, '#forum-summary')), 'with the summary');
  await dash.locator('#forum-h').scrollIntoViewIfNeeded();
  await dash.screenshot({ path: path.join(OUT, 'forum-dashboard.png') });

  // The record agrees.
  const hist = JSON.parse(cdg(['forum', 'action', 'list', '--json']));
  ok(hist[0].history.map((h) => `${h.status}/${h.by}`).join() === 'in_progress/alice', 'the action history names alice');
  await c1.close(); await c2.close(); await c3.close(); await pub.close();
} finally {
  await browser.close();
  srv.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
done();
