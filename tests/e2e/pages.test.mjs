// Browser test in headless Debian Chromium (playwright-core): the country
// profile's treaties, registry and survey answers; the norm page with its
// violations and implementation; the incident browser's search and filters;
// keyboard use, phone width and console errors.  Screenshots go to
// tests/e2e/out/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CDG, OUT, tap, serve, chromium, until } from '../js/harness.mjs';



const { ok, done } = tap();

const dir = mkdtempSync(path.join(tmpdir(), 'cdg-e2e-pages-'));
const db = path.join(dir, 'cdg.db');
const run = (...a) => execFileSync(CDG, [...a, '--db', db], { stdio: 'pipe' });
run('init');
run('demo', '--states', '12');
const surveys = JSON.parse(run('survey', 'list', '--json'));
const demoStates = [...new Set(surveys.filter((s) => s.status === 'published').map((s) => s.country))];
const demoState = demoStates[0];
// The reference attributions name no norm by letter; a fictional fixture
// does, so the violations view has something to show.
const fixture = path.join(dir, 'fixture.csv');
writeFileSync(fixture, 'incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,norm_or_law_invoked,source_url,note\n' +
  'E2E test incident (fictional test fixture),2024-01-01,France,Test actor (unknown),2024-02-01,Fictional test statement,' +
  '13(f): fictional articulation for the browser test,https://example.org/e2e/statement,test fixture: not a real attribution\n');
run('registry', 'import', fixture);
const fixtureJson = path.join(dir, 'fixture.json');
writeFileSync(fixtureJson, JSON.stringify({
  format: 'cdg-registry/1',
  standards: [{ id: 'e2e-fra-standard', state: 'FRA', title: 'E2E test attribution standard (fictional fixture)', date: '2024-03',
    url: 'https://example.org/e2e/standard', criteria: ['technical evidence', 'legal review'] }],
  doctrines: [{ state: 'FRA', title: 'E2E test deterrence doctrine (fictional fixture)', date: '2024-04',
    url: 'https://example.org/e2e/doctrine', summary: 'fictional summary' }],
  positions: [],
  incidents: [{ incident: 'E2E grid test incident (fictional fixture)', incident_date: '2024-05-01', end_date: '2024-05-02',
    description: 'Fictional outage used by the browser test', effects: ['disruption'], cert_targeted: true,
    victim_states: ['FRA'], victim_sectors: ['energy.electricity'], sources: ['https://example.org/e2e/grid'],
    attributions: [{ attributing_party: 'FRA', attributed_to: 'Test actor (unknown)', attribution_date: '2024-06-01',
      statement_title: 'Fictional grid statement', source_url: 'https://example.org/e2e/grid-statement', confidence: 90,
      basis: 'technical', standard: 'e2e-fra-standard',
      invocations: [{ norm: 'k', text: '13(k)', articulation: 'fictional: targeted the national CERT' }], responses: [] }] }],
}));
run('registry', 'import', fixtureJson);

const srv = await serve(db);
const base = srv.base;

const browser = await chromium();
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const ready = (page) => page.waitForFunction(() => !/Loading|Searching/.test(document.querySelector('#status')?.textContent || ''));
const httpLinks = (loc) => loc.evaluateAll((as) => as.length > 0 && as.every((a) => /^https?:\/\//.test(a.getAttribute('href'))));
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(`${e.message} (${page.url()})`));
  // GET /api/v1/me answers 401 to the public (the forum, survey and upload
  // pages ask it who is signed in); the browser logs that as an error.
  page.on('console', (m) => {
    if (m.type() === 'error' && !(/\/api\/v1\/me$/.test(m.location().url) && /401/.test(m.text())))
      errors.push(`${m.text()} (${m.location().url})`);
  });

  // ---- country profile -------------------------------------------------------
  await page.goto(`${base}/country.html?iso3=FRA`);
  await page.waitForSelector('#treaties tbody tr[data-treaty]');
  await ready(page);
  const bud = page.locator('#treaties tr[data-treaty="ETS185"]');
  ok(/Budapest Convention/.test(await bud.textContent()) && /party/.test(await bud.textContent()), 'FRA: the Budapest Convention row says party');
  ok(/2006-01-10/.test(await bud.textContent()), 'FRA: the Budapest ratification date is shown');
  ok(await httpLinks(bud.locator('a')), 'FRA: the treaty row links to its source');
  ok(await page.locator('#treaties tr[data-treaty="CETS224"]').count() === 1, 'FRA: the Second Additional Protocol is listed');
  const pos = page.locator('#positions li a');
  ok(await pos.count() >= 1 && await httpLinks(pos), 'FRA: a position on international law, linked to its source');
  const std = page.locator('#standards li', { hasText: 'E2E test attribution standard' });
  ok(await std.count() === 1 && await httpLinks(std.locator('a')) && /legal review/.test(await std.textContent()),
    'FRA: an attribution standard, linked, with its criteria');
  ok(await httpLinks(page.locator('#doctrines li a')), 'FRA: a deterrence doctrine, linked');
  ok(/stated confidence 90\/100/.test(await page.locator('#attr-by').textContent()), 'FRA: the stated confidence of an attribution');
  for (const id of ['#attr-by', '#attr-against', '#standards', '#doctrines']) {
    ok(await page.locator(`${id} li`).count() >= 1, `FRA: registry list ${id} says what it holds, even when empty`);
  }
  ok(/No published survey response/.test(await page.locator('#answers-note').textContent()), 'FRA: no published survey response, and the page says so');
  ok(await page.locator('#synthetic').isHidden(), 'FRA: no synthetic banner');
  await page.focus('.toc a[href="#registry-h"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash === '#registry-h');
  ok(await page.evaluate(() => (({ top }) => top > -1 && top < window.innerHeight)(document.querySelector('#registry-h').getBoundingClientRect())), 'FRA: the contents links jump to a section from the keyboard');
  await page.screenshot({ path: path.join(OUT, 'pages-country-fra.png'), fullPage: true });

  await page.goto(`${base}/country.html?iso3=GBR`);
  await page.waitForSelector('#attr-by li.attribution');
  const wc = page.locator('#attr-by li.attribution', { hasText: 'WannaCry' });
  ok(await wc.count() === 1 && await httpLinks(wc.locator('a[rel=noopener]')), 'GBR: its WannaCry attribution links to the statement');
  ok(await wc.locator('a[href="/country.html?iso3=PRK"]').count() === 1, 'GBR: the state attributed links to its profile');
  await page.goto(`${base}/country.html?iso3=FRA`);
  await page.waitForSelector('#attr-by li.attribution');
  ok(await page.locator('#attr-by li.attribution a[href="/norm.html?letter=f"]').count() === 1, 'FRA: a norm an attribution invokes links to the norm page');

  await page.goto(`${base}/country.html?iso3=${demoState}`);
  await page.waitForSelector('#answers section.norm-answers');
  ok(await page.locator('#answers section.norm-answers').count() === 11, `${demoState}: survey answers under each of the 11 norms`);
  ok(await page.locator('#answers h3 a[href="/norm.html?letter=a"]').count() === 1, `${demoState}: each norm heading links to the norm page`);
  ok(await httpLinks(page.locator('#answers .evidence a')), `${demoState}: answers link to their evidence`);
  ok(await page.locator('#answers .tag-synthetic').count() > 11, `${demoState}: synthetic answers are labelled`);
  ok(await page.locator('#synthetic').isVisible(), `${demoState}: the synthetic banner shows`);
  await page.locator('section[aria-labelledby="answers-h"]').screenshot({ path: path.join(OUT, 'pages-country-answers.png') });

  // A response reopened after publication: the profile keeps showing the
  // published revision and says a draft is in progress.
  const reopened = demoStates[1];
  const ry = Math.max(...surveys.filter((x) => x.country === reopened).map((x) => x.year));
  run('survey', 'reopen', reopened, String(ry));
  await page.goto(`${base}/country.html?iso3=${reopened}`);
  await page.waitForSelector('#answers section.norm-answers');
  const note = await page.locator('#answers-note').textContent();
  ok(note.includes(`${ry} response`) && /reopened/.test(note), `${reopened}: a reopened response still shows its published answers, and says so`);

  // ---- norm page ------------------------------------------------------------
  await page.goto(base + '/');
  await page.waitForSelector('#norms tbody a[href="/norm.html?letter=f"]');
  await page.click('#norms tbody a[href="/norm.html?letter=f"]');
  await page.waitForSelector('#implementation tbody tr');
  await ready(page);
  ok(page.url().endsWith('/norm.html?letter=f'), 'the home page\'s norms table links to the norm page');
  ok(/13\(f\)/.test(await page.locator('h1').textContent()), 'the norm page names the norm');
  ok(/restraint/.test(await page.locator('#about').textContent()), 'the norm page gives its category');
  ok(await httpLinks(page.locator('#about a')), 'the norm page links to its source');
  ok(await page.locator('#viol-h').isVisible(), 'the violations section is shown');
  const viol = page.locator('#violations .viol-state li', { hasText: 'E2E test incident' });
  ok(await viol.count() === 1 && await httpLinks(viol.locator('a[rel=noopener]')), 'a violation called out links to its statement');
  ok(/1 independent party/.test(await page.locator('#violations').textContent()), 'the independent parties are counted');
  ok(await page.locator('#impl-h').isVisible(), 'the implementation section is shown');
  const rows = await page.locator('#implementation tbody tr').count();
  ok(rows === demoStates.length, `one row per state with a published response (${rows}/${demoStates.length})`);
  ok(await page.locator('#implementation thead th a').count() === await page.locator('#questions li').count(), 'one column per question of the norm');
  ok(await httpLinks(page.locator('#implementation .evidence a')), 'answers link to their evidence');
  ok(await page.locator('#synthetic').isVisible() && await page.locator('#implementation .tag-synthetic').count() === rows, 'synthetic responses are labelled');
  await page.screenshot({ path: path.join(OUT, 'pages-norm-f.png'), fullPage: true });
  await page.check('#all-years');
  const publishedN = surveys.filter((s) => s.status === 'published').length;
  await page.waitForFunction((n) => document.querySelectorAll('#implementation tbody tr').length === n, publishedN, { timeout: 5000 }).catch(() => {});
  const allRows = await page.locator('#implementation tbody tr').count();
  ok(allRows === publishedN, `earlier years on request (${allRows} rows)`);
  await page.check('#no-synthetic');
  await page.waitForFunction(() => !document.querySelector('#implementation .tag-synthetic'));
  ok(await page.locator('#implementation .tag-synthetic').count() === 0 && await page.locator('#synthetic').isHidden(),
    'hiding SYNTHETIC demo responses leaves none (the API filters them)');

  // Norm c on the shipped desk research: real statements whose own words
  // name the norm (the letter is the compilers' reading), with their source.
  await page.goto(`${base}/norm.html?letter=c`);
  await page.waitForSelector('#violations .viol-state li');
  const named = page.locator('#violations .viol-state li', { hasText: '[norm named in the text; the letter is our mapping]' });
  ok(await named.count() >= 5 && await httpLinks(named.locator('a[rel=noopener]')),
    `norm c: real statements that name the norm in their own words, each with its source (${await named.count()})`);
  ok(/States should not allow their territory to be used for malicious cyber activities/.test(await page.locator('#violations').textContent()),
    'norm c: a statement\'s own words are quoted');
  ok(/of which name a norm in their own words/.test(await page.locator('#violations .viol-state p').first().textContent()),
    'norm c: the summary counts them');
  await page.screenshot({ path: path.join(OUT, 'pages-norm-c.png'), fullPage: true });

  await page.goto(`${base}/norm.html?letter=a`);
  await page.waitForSelector('#implementation tbody tr');
  ok(await page.locator('#no-violations').isVisible(), 'a norm nobody called out says so');
  await page.goto(`${base}/norm.html?letter=z`);
  await page.waitForSelector('#status.error');
  ok(/letter/.test(await page.locator('#status').textContent()), 'a bad letter is reported on the page');

  // ---- incident browser ------------------------------------------------------
  await page.goto(base + '/');
  await page.waitForSelector('#norms tbody tr');
  await page.click('footer a[href="/incidents.html"]');
  await page.waitForSelector('#results li.incident');
  await ready(page);
  const total = await page.locator('#results li.incident').count();
  ok(total >= 8, `the home page footer links to the incident browser, which lists incidents (${total})`);
  const grid = page.locator('#results li.incident', { hasText: 'E2E grid test incident' });
  ok(await grid.locator('dl a[href="/country.html?iso3=FRA"]').count() === 1, 'an incident lists its victim states, linked');
  ok(await grid.locator('dl a[href="/norm.html?letter=k"]').count() === 1, 'an incident that targeted a CERT points to norm 13(k)');
  ok(await httpLinks(grid.locator('dd a[rel=noopener]')), 'an incident links to its sources');
  // The registry's own search gives the expected hits (the label, and
  // statements that name WannaCry among other operations).
  const wcHits = JSON.parse(run('incidents', '--search', 'WannaCry', '--json')).length;
  const wcCount = new RegExp(`^${wcHits} incident`);
  await page.fill('#search', 'WannaCry');
  await page.press('#search', 'Enter');
  await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('#count').textContent), wcCount.source);
  const hit = page.locator('#results li.incident', { has: page.locator('h3', { hasText: /^WannaCry ransomware$/ }) });
  ok(await page.locator('#results li.incident').count() === wcHits && await hit.count() === 1, `searching "WannaCry" finds it (${wcHits} incidents)`);
  ok(page.url().includes('search=WannaCry'), 'the search is kept in the URL');
  ok(await httpLinks(hit.locator('li.attribution > a[rel=noopener]')), 'each attribution links to its statement');
  ok(await hit.locator('li.attribution').count() >= 4, 'the WannaCry attributions are listed');
  await page.screenshot({ path: path.join(OUT, 'pages-incidents-wannacry.png'), fullPage: true });
  await page.click('#clear');
  await page.selectOption('#norm', 'f');
  await page.click('#filters button[type=submit]');
  // The WannaCry search also showed "1 incident": wait for the filtered
  // result itself, not the count.
  // Incidents that invoke 13(f): the fixture's, and those of the real
  // statements we mapped to it.
  const fHits = JSON.parse(run('incidents', '--norm', 'f', '--json')).length;
  ok(await until(page, (n) => [...document.querySelectorAll('#results li.incident')].some((li) =>
    /E2E test incident/.test(li.textContent) && li.querySelector('a[href="/norm.html?letter=f"]')) &&
    new RegExp(`^${n} incident`).test(document.querySelector('#count').textContent) && /norm=f/.test(location.search), fHits),
  `the norm filter finds the incident that invokes 13(f), with the norm linked (${fHits} incidents)`);
  await page.selectOption('#norm', '');
  await page.selectOption('#state', 'PRK');
  await page.fill('#since', '2017-12-20');
  await page.click('#filters button[type=submit]');
  // Wait for this query's results, not the previous render's.
  await page.waitForFunction(() => /state=PRK/.test(location.search) && /since=2017-12-20/.test(location.search) &&
    !document.querySelector('#results a[href="/norm.html?letter=f"]') && /incident/.test(document.querySelector('#count').textContent));
  await page.waitForFunction(() => /WannaCry/.test(document.querySelector('#results').textContent), null, { timeout: 5000 }).catch(() => {});
  ok(/WannaCry/.test(await page.locator('#results').textContent()), 'state and since filters combine');
  await page.goBack();
  ok(await until(page, () => document.querySelector('#norm').value === 'f'), 'Back restores the previous filters');
  // Paging: a third of the incidents a page (rounded up, so that the last
  // page holds the remainder); Next and Previous move through the list.
  const nInc = JSON.parse(run('incidents', '--json')).length;
  const per = Math.ceil(nInc / 3) + (nInc % Math.ceil(nInc / 3) === 0 ? 1 : 0);
  const rest = nInc - 2 * per;
  await page.goto(`${base}/incidents.html?per_page=${per}`);
  await page.waitForFunction(() => /^Page 1 of 3$/.test(document.querySelector('#pageinfo').textContent));
  const firstPage = await page.locator('#results h3').allTextContents();
  ok(firstPage.length === per && await page.locator('#prev').isDisabled(), `page 1 of 3 holds ${per} incidents; Previous is disabled`);
  await page.click('#next');
  await page.waitForFunction(() => /^Page 2 of 3$/.test(document.querySelector('#pageinfo').textContent));
  const secondPage = await page.locator('#results h3').allTextContents();
  ok(secondPage.length === per && !secondPage.some((t) => firstPage.includes(t)), `Next shows the next ${per}, none repeated`);
  ok(page.url().includes('page=2') && await page.locator('#results').getAttribute('start') === String(per + 1), `page 2 is in the URL and numbered from ${per + 1}`);
  await page.click('#next');
  await page.waitForFunction(() => /^Page 3 of 3$/.test(document.querySelector('#pageinfo').textContent));
  ok(await page.locator('#next').isDisabled() && await page.locator('#results li.incident').count() === rest, `the last page holds the remainder (${rest}); Next is disabled`);
  await page.click('#prev');
  ok(await until(page, () => /^Page 2 of 3$/.test(document.querySelector('#pageinfo').textContent)), 'Previous goes back a page');
  await page.goto(`${base}/incidents.html?search=nosuchwordanywhere`);
  ok(await until(page, () => /No incident/.test(document.querySelector('#count').textContent)), 'a search without hits says so');

  // ---- keyboard ---------------------------------------------------------------
  await page.goto(`${base}/incidents.html`);
  await page.waitForSelector('#results li.incident');
  await ready(page);
  // The first Tab stop is "Skip to content"; Enter on it passes the site
  // navigation, and the search box is then a few Tabs away.
  await page.keyboard.press('Tab');
  ok(await page.evaluate(() => document.activeElement?.classList.contains('skip') &&
    document.activeElement.getBoundingClientRect().top >= 0), 'the first Tab shows "Skip to content"');
  await page.keyboard.press('Enter');
  let reached = false;
  for (let i = 0; i < 6 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.id === 'search');
  }
  ok(reached, 'after skipping the navigation, Tab reaches the search box');
  await page.keyboard.type('WannaCry');
  await page.keyboard.press('Enter');
  ok(await until(page, (re) => new RegExp(re).test(document.querySelector('#count').textContent), wcCount.source), 'typing and Enter searches');
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  ok(ring !== 'none', `the focused control shows a focus ring (${ring})`);
  await page.goto(`${base}/norm.html?letter=f`);
  await page.waitForSelector('#norm-nav a');
  await page.focus('#norm-nav a[href="/norm.html?letter=g"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(/letter=g$/);
  await page.waitForSelector('#implementation tbody tr');
  ok(/13\(g\)/.test(await page.locator('h1').textContent()), 'the norm navigation works from the keyboard');

  // ---- site navigation: on every page, the first thing the keyboard reaches --
  const sitePages = ['/', '/norms.html', '/incidents.html', '/agreements.html', '/capacity.html',
    '/forum.html', '/survey.html', '/upload.html'];
  // The A-Z list of States (added by common.js with the search box) ends it;
  // a norm's page belongs to "Norms".
  for (const url of [...sitePages, '/norm.html?letter=a', '/country.html?iso3=FRA']) {
    await page.goto(base + url);
    await page.waitForSelector('nav.site #state-search');
    const hrefs = await page.locator('nav.site a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const current = await page.locator('nav.site a[aria-current="page"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const want = sitePages.includes(url) ? [url] : url.startsWith('/norm.html') ? ['/norms.html'] : [];
    // At desktop width too: the style sheet's later rules are not swallowed
    // by an unclosed block (a merge once left a media query open).
    ok(await page.evaluate(() => getComputedStyle(document.querySelector('nav.site ul')).display === 'flex' &&
      getComputedStyle(document.querySelector('a.skip')).position === 'absolute'), `${url}: the site navigation is styled at 1280 px`);
    ok(JSON.stringify(hrefs) === JSON.stringify([...sitePages, '/country.html']) && JSON.stringify(current) === JSON.stringify(want),
      `${url}: the site navigation links every page and marks ${want[0] ?? 'none'} as current (got ${current})`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const second = await page.evaluate(() => document.activeElement?.closest('nav.site') ? document.activeElement.getAttribute('href') : null);
    ok(second === '/', `${url}: after "Skip to content", Tab lands on the site navigation (got ${second})`);
  }
  await page.goto(base + '/incidents.html');
  await page.locator('nav.site a[href="/forum.html"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/forum\.html$/);
  ok(/forum/i.test(await page.locator('h1').textContent()), 'the site navigation works from the keyboard (incidents → forum)');

  // ---- phone width -------------------------------------------------------------
  await page.setViewportSize({ width: 390, height: 800 });
  for (const [url, wait, shot] of [
    [`/country.html?iso3=${demoState}`, '#answers section.norm-answers', 'pages-country-phone.png'],
    ['/country.html?iso3=GBR', '#attr-by li.attribution', null],
    ['/norm.html?letter=f', '#implementation tbody tr', 'pages-norm-phone.png'],
    ['/incidents.html?search=WannaCry', '#results li.incident', 'pages-incidents-phone.png'],
  ]) {
    await page.goto(base + url);
    await page.waitForSelector(wait);
    await ready(page);
    const o = await overflow(page);
    ok(o <= 1, `${url} fits a phone (horizontal overflow ${o}px)`);
    if (shot) await page.screenshot({ path: path.join(OUT, shot), fullPage: true });
  }

  ok(errors.length === 0, `no console or page errors${errors.length ? ': ' + errors.join('; ') : ''}`);
} finally {
  await browser.close();
  srv.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
done();
