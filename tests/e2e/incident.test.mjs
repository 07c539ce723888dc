// Browser test of the incident pages (issue 17): search by prefix and with
// OR, the permalink of an incident from the list, its attributions oldest
// first with confidence, sources and the registry's marks for the norms
// named, and the timeline chart with one bar per year.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CDG, OUT, tap, serve, chromium, until } from '../js/harness.mjs';

const { ok, done } = tap();

const dir = mkdtempSync(path.join(tmpdir(), 'cdg-e2e-'));
const db = path.join(dir, 'cdg.db');
const cdg = (args) => execFileSync(CDG, [...args, '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
cdg(['init']);
const incidents = JSON.parse(cdg(['incidents', '--json']));
const byTitle = (t) => incidents.find((i) => i.title === t);
const wannacry = byTitle('WannaCry ransomware');
// An incident whose attributions name norms both ways, for the marks.
const marked = incidents.filter((i) => i.attributions.some((a) => a.invocations.some((v) => v.kind === 'norm_mapping')))
  .sort((a, b) => b.attribution_count - a.attribution_count)[0];

const srv = await serve(db);
const base = srv.base;
const browser = await chromium();
const errors = [];

try {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  const titles = () => page.locator('#results li.incident h3').allTextContents();

  // A prefix finds the word it starts.
  await page.goto(`${base}/incidents.html?search=Wanna`);
  await page.waitForSelector('#results li.incident');
  const t1 = await titles();
  ok(t1.includes('WannaCry ransomware'), `"Wanna" finds WannaCry (${t1.length} found)`);
  // OR finds either word; without OR both are needed.
  await page.fill('#search', 'WannaCry OR NotPetya');
  await page.click('#filters button[type=submit]');
  ok(await until(page, () => [...document.querySelectorAll('#results li.incident h3')].some((h) => h.textContent === 'NotPetya')),
    '"WannaCry OR NotPetya" finds NotPetya');
  const t2 = await titles();
  ok(t2.includes('WannaCry ransomware') && t2.includes('NotPetya'), `... and WannaCry (${t2.join(' | ')})`);
  await page.screenshot({ path: path.join(OUT, 'incidents-or-search.png'), fullPage: false });
  await page.fill('#search', 'WannaCry NotPetya');
  await page.click('#filters button[type=submit]');
  ok(await until(page, () => !/NotPetya/.test([...document.querySelectorAll('#results li.incident h3')].map((h) => h.textContent).join('|')) &&
    !/Searching/.test(document.querySelector('#status').textContent)), 'without OR, both words are needed');
  // FTS5 syntax is searched as text, never run.
  await page.fill('#search', 'NEAR( "x OR');
  await page.click('#filters button[type=submit]');
  ok(await until(page, () => /incident/.test(document.querySelector('#count').textContent) && !/error/.test(document.querySelector('#status').className)),
    'FTS5 syntax in the words is not an error');

  // The list links to the permalink.
  await page.goto(`${base}/incidents.html?search=WannaCry`);
  await page.waitForSelector('#results li.incident');
  const href = await page.locator(`#results li[data-incident="${wannacry.id}"] h3 a`).getAttribute('href');
  ok(href === `/incident.html?id=${wannacry.id}`, `the list links to the incident's permalink (${href})`);
  // The registry-wide timeline: one bar group per year from the first attribution to the last.
  await page.waitForSelector('#timeline svg.timeline');
  const allYears = incidents.flatMap((i) => i.attributions).filter((a) => a.date).map((a) => Number(a.date.slice(0, 4)));
  const span = Math.max(...allYears) - Math.min(...allYears) + 1;
  ok(await page.locator('#timeline svg g.year').count() === span, `the registry's timeline has a bar for each of ${span} years`);

  await page.click(`#results li[data-incident="${wannacry.id}"] h3 a`);
  await page.waitForSelector('#attributions li.attribution');
  ok(await page.locator('h1').textContent() === 'WannaCry ransomware', 'the permalink page names the incident');
  const dates = await page.locator('#attributions li.attribution').evaluateAll((v) => v.map((x) => x.dataset.date));
  ok(dates.length === wannacry.attributions.length && dates.every((d, k) => !k || dates[k - 1] <= d),
    `its ${dates.length} attributions are in date order (${dates.join(', ')})`);
  const sources = await page.locator('#attributions li.attribution .source a').evaluateAll((v) => v.map((a) => a.href));
  ok(wannacry.attributions.filter((a) => /^https?:/.test(a.statement_url)).every((a) => sources.includes(a.statement_url)),
    'each attribution links to its statement as source');
  ok(await page.locator('#attributions .confidence').count() === dates.length, 'each states its confidence (or that none was stated)');
  const years = [...new Set(wannacry.attributions.filter((a) => a.date).map((a) => Number(a.date.slice(0, 4))))];
  const wantBars = Math.max(...years) - Math.min(...years) + 1;
  const bars = await page.locator('#timeline svg g.year').evaluateAll((v) => v.map((g) => `${g.dataset.year}:${g.dataset.count}`));
  ok(bars.length === wantBars, `the timeline has one bar per year (${bars.join(' ')})`);
  ok(bars.reduce((s, b) => s + Number(b.split(':')[1]), 0) === wannacry.attributions.filter((a) => a.date).length,
    'the bars add up to the dated attributions');
  ok(await page.locator('#timeline svg.timeline[role=img] > title').count() > 0 && /Year/.test(await page.locator('#timeline svg.timeline').textContent()) &&
    /Attributions/.test(await page.locator('#timeline svg.timeline').textContent()), 'the chart has a title and labelled axes');
  await page.screenshot({ path: path.join(OUT, 'incident-wannacry.png'), fullPage: true });

  // The marks: each norm named as the registry marks it.
  await page.goto(`${base}/incident.html?id=${marked.id}`);
  await page.waitForSelector('#attributions li.attribution');
  const want = marked.attributions.flatMap((a) => {
    const named = a.invocations.some((v) => v.kind === 'commitment' && v.rule === 'norm');
    return a.invocations.filter((v) => v.kind === 'norm' || v.kind === 'norm_mapping')
      .map((v) => (v.kind === 'norm' ? 'stated' : named ? 'named' : 'mapping'));
  });
  const got = await page.locator('#attributions .mark').evaluateAll((v) => v.map((m) => m.dataset.mark));
  ok(got.length === want.length && [...got].sort().join() === [...want].sort().join(),
    `the norms named carry the registry's marks (${got.join(', ')})`);
  ok(/norm named in the text, letter by our mapping|our mapping|stated in the text/.test(await page.locator('#attributions').textContent()),
    'the marks are spelled as in the call-out view');
  await page.screenshot({ path: path.join(OUT, 'incident-marks.png'), fullPage: true });

  // An unknown or missing id says so.
  await page.goto(`${base}/incident.html?id=00000000-0000-0000-0000-000000000000`);
  ok(await until(page, () => /no incident/.test(document.querySelector('#status').textContent)), 'an unknown id is named as such');
  await page.goto(`${base}/incident.html`);
  ok(await until(page, () => /No incident given/.test(document.querySelector('#status').textContent)), 'no id: the page says how to find one');
  ok(errors.length === 0, `no script errors (${errors.join('; ')})`);
  await ctx.close();
} finally {
  await browser.close();
  srv.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
done();
