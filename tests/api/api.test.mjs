// API tests over real loopback HTTP against a real database file: every
// endpoint's status and body are checked against web/openapi.json (the
// response schemas, with ajv), plus paging, sorting, ETag/304, gzip and the
// error format.  Run: node tests/api/api.test.mjs (CDG = the cdg binary).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import http from 'node:http';
import { SRC, CDG, tap, serve, openapi } from '../js/harness.mjs';

const { spec, ajv, schemaFor } = openapi();

const { ok, done } = tap();

const dir = mkdtempSync(path.join(tmpdir(), 'cdg-api-'));
const db = path.join(dir, 'cdg.db');
const run = (...a) => execFileSync(CDG, [...a, '--db', db], { stdio: 'pipe', maxBuffer: 1 << 28 });
run('init');
run('demo', '--states', '12');

const srv = await serve(db, ['--threads', '2']);
const base = srv.base;

function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(base + url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        let body = Buffer.concat(chunks);
        if (res.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
        let json = null;
        try { json = body.length ? JSON.parse(body.toString('utf8')) : null; } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, json, raw: body });
      });
    }).on('error', reject);
  });
}

// Concurrency: many requests at once on both pool threads, distinct query
// strings so that each one is routed, sorted and paged anew (the route
// matcher and the sort once shared static state between threads).
{
  const byName = JSON.parse(run('countries', '--json')).map((c) => c.iso3);
  const want = [...byName].sort().reverse();
  let bad = 0, n = 0;
  for (let round = 0; round < 12; round++) {
    const rs = await Promise.all(Array.from({ length: 128 }, (_, i) => {
      const per = 1 + ((round * 128 + i) % 97);
      const url = i % 2 ? `/api/v1/countries?sort=-iso3&per_page=${per}` : `/api/v1/countries/${['FRA', 'fra', 'Fra'][i % 3]}`;
      return get(url).then((r) => ({ r, per, i }));
    }));
    for (const { r, per, i } of rs) {
      n++;
      const good = r.status === 200 && (i % 2 ? JSON.stringify(r.json.items.map((x) => x.iso3)) === JSON.stringify(want.slice(0, per)) : r.json.country?.iso3 === 'FRA');
      if (!good && bad++ === 0) console.log(`# first wrong: ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
    }
  }
  ok(bad === 0, `${n} concurrent requests all routed, sorted and paged right (${bad} wrong)`);
}

// Each documented endpoint, with a concrete URL, checked against its schema.
const demoState = JSON.parse(run('survey', 'list', '--json'))[0];
const cases = [
  ['/health', '/api/v1/health'],
  ['/framework', '/api/v1/framework'],
  ['/framework/{part}', '/api/v1/framework/norms'],
  ['/countries', '/api/v1/countries'],
  ['/countries/{iso3}', '/api/v1/countries/FRA'],
  ['/countries/{iso3}/dashboard', `/api/v1/countries/${demoState.country}/dashboard`],
  ['/countries/{iso3}/gaps', `/api/v1/countries/${demoState.country}/gaps?year=2025`],
  ['/surveys', '/api/v1/surveys'],
  ['/surveys/{iso3}/{year}', `/api/v1/surveys/${demoState.country}/${demoState.year}`],
  ['/surveys/{iso3}/{year}/history', `/api/v1/surveys/${demoState.country}/${demoState.year}/history`],
  ['/index/editions', '/api/v1/index/editions'],
  ['/incidents', '/api/v1/incidents?state=PRK'],
  ['/incidents', '/api/v1/incidents?search=WannaCry'],
  ['/norms/{letter}/violations', '/api/v1/norms/f/violations'],
  ['/norms/{letter}/implementation', '/api/v1/norms/a/implementation'],
  ['/crime/articles', '/api/v1/crime/articles'],
  ['/crime/pair', '/api/v1/crime/pair?a=FRA&b=USA&offence=BC2'],
  ['/crime/treaties/{id}', '/api/v1/crime/treaties/ETS185'],
  ['/agreements', '/api/v1/agreements'],
  ['/countries/{iso3}/agreements', '/api/v1/countries/FRA/agreements'],
  ['/agreements/{id}', '/api/v1/agreements/budapest'],
  ['/agreements/{id}', '/api/v1/agreements/tech-accord'],
  ['/agreements/compare', '/api/v1/agreements/compare?ids=gge-2015,oewg-2021,nis2'],
  ['/agreements/industry-norms', '/api/v1/agreements/industry-norms'],
  ['/capacity/initiatives', '/api/v1/capacity/initiatives?sort=-start_date'],
  ['/capacity/match/{iso3}', `/api/v1/capacity/match/${demoState.country}?year=2025`],
  ['/capacity/unserved', '/api/v1/capacity/unserved?year=2026'],
  ['/capacity/unserved', '/api/v1/capacity/unserved?goal=CDG8&no_data=true'],
  ['/capacity/duplication', '/api/v1/capacity/duplication'],
  ['/capacity/donors', '/api/v1/capacity/donors'],
  ['/capacity/implementers', '/api/v1/capacity/implementers'],
];
for (const [p, url] of cases) {
  const r = await get(url);
  ok(r.status === 200, `GET ${url} is 200 (got ${r.status})`);
  const valid = ajv.validate(schemaFor(p, 'get', '200'), r.json);
  ok(valid, `GET ${url} matches the OpenAPI schema${valid ? '' : ': ' + ajv.errorsText()}`);
  ok(typeof r.headers.etag === 'string', `GET ${url} has an ETag`);
}

// The registry and cybercrime endpoints say what the CLI says.
const inc = await get('/api/v1/incidents?search=WannaCry');
ok(inc.json.total >= 1 && inc.json.items.every((i) => /WannaCry/i.test(JSON.stringify(i))), 'full-text search finds WannaCry');
const ca = await get('/api/v1/crime/articles?per_page=100');
const mx = await get('/api/v1/crime/matrix?offence=BC2&date=2024-06-01');
const mxLines = mx.raw.toString().trim().split(/\r?\n/);
ok(mx.status === 200 && /text\/csv/.test(mx.headers['content-type']) && mxLines[0] === 'offence,date,a,b,dual,channels,treaties,a_covered,b_covered'
  && mxLines.length === 1 + 193 * 192 / 2, `GET /crime/matrix?offence=BC2: one row per pair of the 193 members (${mxLines.length - 1})`);
ok(mx.raw.toString() === run('crime', 'matrix', '--offence', 'BC2', '--date', '2024-06-01').toString(), 'the API matrix is the CLI file, byte for byte');
ok((await get('/api/v1/crime/matrix?offence=zz')).status === 400, 'an unknown offence is 400');
ok(ca.json.total === 29, `29 Budapest Convention articles (got ${ca.json.total})`);

// A state's index history, drawn by report/ (SVG by default, PNG on request).
run('index', 'compute', '--edition', '2025');
const ed = await get('/api/v1/index/editions/2025');
const rankedState = ed.json.states.find((x) => typeof x.score === 'number').iso3;
const svg = await get(`/api/v1/countries/${rankedState}/index-history`);
ok(svg.status === 200 && /image\/svg\+xml/.test(svg.headers['content-type']) && /<svg/.test(svg.raw.toString()), 'index history is an SVG chart');
ok(/SYNTHETIC/.test(svg.raw.toString()), 'a chart built on demo data says SYNTHETIC');
const png = await get(`/api/v1/countries/${rankedState}/index-history?format=png`);
ok(png.status === 200 && png.raw.subarray(0, 8).toString('hex') === '89504e470d0a1a0a', 'format=png gives a PNG');
const none = await get('/api/v1/countries/KEN/index-history');
ok(none.status === 404 && none.json?.error?.code === 'not_found', 'a state no edition scores: 404');
const gif = await get(`/api/v1/countries/${rankedState}/index-history?format=gif`);
ok(gif.status === 400, 'an unknown format: 400');

// The world map and the ranking chart: the same renderer as `cdg chart`.
const map = await get('/api/v1/charts/map');
const mapSvg = map.raw.toString();
ok(map.status === 200 && /image\/svg\+xml/.test(map.headers['content-type']), 'the map is an SVG');
ok((mapSvg.match(/<path class="region"/g) || []).length >= 193, 'the map has a region per state');
ok(new RegExp(`data-id="${rankedState}" fill="(?!#d9d9d9)`).test(mapSvg), 'a ranked state is filled by its score band');
ok(/xlink:href="\/country\.html\?iso3=FRA"/.test(mapSvg), 'states link to their profiles');
ok(/CDG Index 2025/.test(mapSvg) && /SYNTHETIC/.test(mapSvg), 'the map names its edition and says SYNTHETIC');
ok(!/style="/.test(mapSvg), 'no inline styles (the page CSP forbids them)');
const bud = await get('/api/v1/charts/map?show=budapest&format=pdf');
ok(bud.status === 200 && bud.raw.subarray(0, 4).toString() === '%PDF', 'show=budapest&format=pdf gives a PDF');
const rk = await get('/api/v1/charts/ranking?edition=2025&format=png');
ok(rk.status === 200 && rk.raw.subarray(1, 4).toString() === 'PNG', 'the ranking chart as PNG');
for (const [url, status] of [['/api/v1/charts/ranking', 400], ['/api/v1/charts/ranking?edition=1999', 404],
  ['/api/v1/charts/map?show=colours', 400], ['/api/v1/charts/map?edition=2024', 404]]) {
  const r = await get(url);
  ok(r.status === status && typeof r.json?.error?.message === 'string', `GET ${url}: ${status} with an error`);
}

// Errors: documented status and the error schema.
for (const [p, url, status] of [
  ['/countries/{iso3}', '/api/v1/countries/XYZ', '404'],
  ['/countries/{iso3}/dashboard', '/api/v1/countries/FRA/dashboard?year=20x5', '400'],
  ['/countries', '/api/v1/countries?page=0', '400'],
  ['/countries', '/api/v1/countries?sort=colour', '400'],
  ['/surveys/{iso3}/{year}', '/api/v1/surveys/FRA/1999', '404'],
  ['/framework/{part}', '/api/v1/framework/widgets', '404'],
  ['/norms/{letter}/violations', '/api/v1/norms/z/violations', '400'],
  ['/norms/{letter}/implementation', '/api/v1/norms/z/implementation', '400'],
  ['/crime/pair', '/api/v1/crime/pair?a=FRA', '400'],
  ['/agreements/{id}', '/api/v1/agreements/nope', '404'],
  ['/countries/{iso3}/agreements', '/api/v1/countries/XYZ/agreements', '404'],
  ['/agreements/compare', '/api/v1/agreements/compare?ids=nis2', '400'],
  ['/agreements/compare', '/api/v1/agreements/compare?ids=nis2,nope', '404'],
  ['/capacity/match/{iso3}', '/api/v1/capacity/match/XYZ', '404'],
  ['/capacity/match/{iso3}', '/api/v1/capacity/match/FRA?year=x', '400'],
  ['/capacity/unserved', '/api/v1/capacity/unserved?goal=CDG99', '400'],
]) {
  const r = await get(url);
  ok(String(r.status) === status, `GET ${url} is ${status} (got ${r.status})`);
  ok(ajv.validate(schemaFor(p, 'get', status), r.json), `GET ${url} error body matches the schema`);
}
const nf = await get('/api/v1/nowhere');
ok(nf.status === 404 && nf.json?.error?.code === 'not_found', 'unknown endpoint: 404 with an error body');
const post = await new Promise((resolve) => {
  const req = http.request(base + '/api/v1/countries', { method: 'POST' }, (res) => { res.resume(); resolve(res.statusCode); });
  req.end();
});
ok(post === 405, `POST on a read endpoint is 405 (got ${post})`);
// Request headers share an 8 KiB per-connection pool (libmicrohttpd zeroes
// it on every request, so it is kept small): 6 kB of headers is served, 10 kB
// is refused with 431 rather than left hanging.
const pad6 = await get('/api/v1/countries/FRA', { 'X-Pad': 'a'.repeat(6000), Cookie: 'other=' + 'b'.repeat(500) });
ok(pad6.status === 200 && pad6.json?.country?.iso3 === 'FRA', `6 kB of request headers is served (got ${pad6.status})`);
const pad10 = await get('/api/v1/countries/FRA', { 'X-Pad': 'a'.repeat(10000) });
ok(pad10.status === 431, `10 kB of request headers is refused with 431 (got ${pad10.status})`);

// Paging and sorting.
const p1 = await get('/api/v1/countries?per_page=10&page=2&sort=-name');
ok(p1.json.items.length === 10 && p1.json.total === 195 && p1.json.page === 2, 'page 2 of 10 of 195 states');
const names = p1.json.items.map((c) => c.name);
ok(JSON.stringify(names) === JSON.stringify([...names].sort().reverse()), 'sorted by name, descending');
const all = await get('/api/v1/countries?per_page=1000&sort=name');
ok(all.json.items.length === 195, 'per_page=1000 returns all 195');
const last = await get('/api/v1/countries?per_page=50&page=4');
ok(last.json.items.length === 45, 'the last page holds the remainder (45)');

// ETag and conditional GET; gzip.
const f1 = await get('/api/v1/framework');
const f2 = await get('/api/v1/framework', { 'If-None-Match': f1.headers.etag });
ok(f2.status === 304 && f2.raw.length === 0, 'If-None-Match answers 304 with no body');
const gz = await get('/api/v1/framework', { 'Accept-Encoding': 'gzip' });
ok(gz.headers['content-encoding'] === 'gzip', 'large bodies are gzip-encoded on request');
ok(JSON.stringify(gz.json) === JSON.stringify(f1.json), 'the gzip body is the same document');
ok(gz.headers.etag !== f1.headers.etag, 'the gzip variant has its own ETag');
ok(gz.headers.vary === 'Accept-Encoding', 'Vary: Accept-Encoding');

// The OpenAPI document is served and is the file in the repo.
const oa = await get('/api/v1/openapi.json');
ok(oa.status === 200 && oa.json?.openapi === '3.1.0', 'openapi.json served at /api/v1/openapi.json');

// Synthetic data is labelled in the API.
const dash = await get(`/api/v1/countries/${demoState.country}/dashboard`);
ok(dash.json.synthetic_data === true, 'a demo state\'s dashboard says it includes synthetic data');

// ---- API conventions (issue 17): CORS, declared parameters, ISO3 in any
// case, one JSON type for synthetic, 304 and sort fields documented ------
ok(JSON.stringify(spec.servers.map((x) => x.url)) === '["/api/v1"]', 'the OpenAPI servers URL is relative (/api/v1)');
const getOps = Object.entries(spec.paths).filter(([p, item]) => item.get && p !== '/me');
ok(getOps.every(([, item]) => item.get.responses['304']), `every GET documents 304 (missing: ${getOps.filter(([, i]) => !i.get.responses['304']).map(([p]) => p).join(', ') || 'none'})`);
const pagedOps = getOps.filter(([, item]) => (item.get.parameters || []).some((x) => x.$ref === '#/components/parameters/page'));
const noEnum = pagedOps.filter(([, item]) => !(item.get.parameters || []).some((x) => x.name === 'sort' && x.schema?.enum?.length));
ok(pagedOps.length >= 10 && noEnum.length === 0, `every paged GET lists its sort fields (${pagedOps.length} paged; without: ${noEnum.map(([p]) => p).join(', ') || 'none'})`);
{
  // Each sort field documented is one the server sorts by.
  let bad = [];
  for (const [p, item] of pagedOps) {
    const url = cases.find(([q]) => q === p)?.[1];
    if (!url) continue;
    const fields = item.get.parameters.find((x) => x.name === 'sort').schema.enum;
    for (const f of fields.filter((x) => !x.startsWith('-'))) {
      const r = await get(`${url}${url.includes('?') ? '&' : '?'}sort=-${f}`);
      if (r.status !== 200) bad.push(`${p} sort=-${f}: ${r.status}`);
    }
  }
  ok(bad.length === 0, `every documented sort field sorts (${bad.slice(0, 5).join('; ') || 'all 200'})`);
}
const queryParams = (p) => {
  const item = spec.paths[p];
  return [...(item.parameters || []), ...(item.get.parameters || [])]
    .map((x) => (x.$ref ? spec.components.parameters[x.$ref.split('/').pop()] : x)).filter((x) => x.in === 'query').map((x) => x.name);
};
{
  // The server refuses what a route does not declare, naming it, and takes
  // every parameter the OpenAPI document lists for it.
  let refused = 0, unnamed = [], notTaken = [];
  for (const [p, url] of cases) {
    const sep = url.includes('?') ? '&' : '?';
    const r = await get(`${url}${sep}colour=blue`);
    if (r.status === 400 && r.json?.error?.message === 'unknown query parameter "colour"') refused++;
    else unnamed.push(`${url}: ${r.status}`);
    for (const q of queryParams(p)) {
      const x = await get(`${url}${sep}${q}=1`);
      if (/unknown query parameter/.test(x.json?.error?.message || '')) notTaken.push(`${p}?${q}`);
    }
  }
  ok(unnamed.length === 0, `an unknown query parameter is 400 naming it on all ${cases.length} endpoints tried (${unnamed.slice(0, 3).join('; ') || 'all'})`);
  ok(notTaken.length === 0, `every documented query parameter is taken by the server (${notTaken.join(', ') || 'all'})`);
  const r = await get('/api/v1/countries?foo=1');
  ok(r.status === 400 && ajv.validate(schemaFor('/countries', 'get', '400'), r.json), 'the 400 body matches the error schema');
}
{
  // CORS: public reads say Access-Control-Allow-Origin: *, answer the
  // preflight; writes and signed-in reads do not.
  const pub = await get('/api/v1/countries/FRA');
  ok(pub.headers['access-control-allow-origin'] === '*', 'a public GET sends Access-Control-Allow-Origin: *');
  const again = await get('/api/v1/countries/FRA', { 'If-None-Match': pub.headers.etag });
  ok(again.status === 304 && again.headers['access-control-allow-origin'] === '*', 'and so does its 304');
  const pre = await new Promise((resolve) => {
    http.request(base + '/api/v1/countries', { method: 'OPTIONS', headers: { Origin: 'https://dash.example', 'Access-Control-Request-Method': 'GET' } },
      (res) => { res.resume(); resolve(res); }).end();
  });
  ok(pre.statusCode === 204 && pre.headers['access-control-allow-origin'] === '*' && /GET/.test(pre.headers['access-control-allow-methods'] || '')
    && !/POST|PUT/.test(pre.headers['access-control-allow-methods'] || ''), `OPTIONS on a public read is a preflight for GET (${pre.statusCode})`);
  const preW = await new Promise((resolve) => {
    http.request(base + '/api/v1/login', { method: 'OPTIONS', headers: { Origin: 'https://dash.example', 'Access-Control-Request-Method': 'POST' } },
      (res) => { res.resume(); resolve(res); }).end();
  });
  ok(preW.statusCode === 405 && !preW.headers['access-control-allow-origin'], `OPTIONS on a write has no CORS (${preW.statusCode})`);
  // A refused public read is readable by the other site too, so that its
  // page can say why (unknown State, unknown parameter, bad format).
  const miss = await get('/api/v1/countries/XYZ');
  const bad = await get('/api/v1/countries?foo=1');
  const fmt = await get('/api/v1/incidents?format=xml');
  ok(miss.status === 404 && bad.status === 400 && fmt.status === 400 &&
    [miss, bad, fmt].every((x) => x.headers['access-control-allow-origin'] === '*'),
    `the 4xx answers of public reads send CORS too (${miss.status}, ${bad.status}, ${fmt.status})`);
  const denied = await send('POST', '/api/v1/observations', { body: 'indicator,country,year,value,source_url\n' });
  ok(denied.status === 401 && !denied.headers['access-control-allow-origin'], 'a refused write does not');
  globalThis.corsChecks = true;
}
{
  // A State's code in any case, in the path and in the query.
  const low = await get('/api/v1/countries/fra');
  ok(low.status === 200 && low.json.country.iso3 === 'FRA', '/countries/fra is France');
  const lowDash = await get(`/api/v1/countries/${demoState.country.toLowerCase()}/dashboard`);
  ok(lowDash.status === 200 && lowDash.json.country === demoState.country, 'a dashboard by lower-case code');
  const pairLow = await get('/api/v1/crime/pair?a=fra&b=usa&offence=BC2');
  const pairUp = await get('/api/v1/crime/pair?a=FRA&b=USA&offence=BC2');
  ok(pairLow.status === 200 && JSON.stringify(pairLow.json) === JSON.stringify(pairUp.json), '?a=fra&b=usa is ?a=FRA&b=USA');
  const incLow = await get('/api/v1/incidents?state=prk&per_page=1000');
  const incUp = await get('/api/v1/incidents?state=PRK&per_page=1000');
  ok(incLow.json.total > 0 && incLow.json.total === incUp.json.total, `?state=prk finds what ?state=PRK finds (${incLow.json.total})`);
  ok((await get('/api/v1/capacity/match/fra')).status === 200, '/capacity/match/fra');
  ok((await get('/api/v1/observations?country=fra')).status === 200, '/observations?country=fra');
}
{
  // synthetic is a boolean wherever it appears.
  const wrong = new Set();
  const walk = (x, where) => {
    if (Array.isArray(x)) x.forEach((y) => walk(y, where));
    else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) {
      if (k === 'synthetic' && typeof v !== 'boolean') wrong.add(`${where} (${typeof v})`);
      walk(v, where);
    }
  };
  for (const [, url] of [...cases, ['', '/api/v1/observations?per_page=1000'], ['', '/api/v1/index/editions/2025']]) walk((await get(url)).json, url);
  ok(wrong.size === 0, `synthetic is a JSON boolean everywhere (${[...wrong].join(', ') || 'yes'})`);
}
{
  // Downloads: the file names, the types and what is in them.
  const dl = async (url, name, type) => {
    const r = await get(url);
    ok(r.status === 200 && r.headers['content-disposition'] === `attachment; filename="${name}"` && type.test(r.headers['content-type'] || ''),
      `GET ${url}: ${name} (${r.status} ${r.headers['content-disposition']})`);
    ok(r.headers['access-control-allow-origin'] === '*', `GET ${url} is public (CORS)`);
    return r;
  };
  const rk = await dl('/api/v1/index/editions/2025?format=csv', 'cdg-2025-ranking.csv', /^text\/csv/);
  const rkLines = rk.raw.toString().trim().split('\r\n');
  const ranked = ed.json.states.filter((x) => typeof x.rank === 'number').sort((a, b) => a.rank - b.rank);
  ok(rkLines.length === 1 + ranked.length && rkLines[0].startsWith('iso3,name,score,rank,'), `the ranking CSV: a header and one row per ranked State (${rkLines.length - 1}/${ranked.length})`);
  ok(rkLines[1].startsWith(`${ranked[0].iso3},`), 'in rank order');
  await dl('/api/v1/index/editions/2025?format=json', 'cdg-2025-ranking.json', /^application\/json/);
  const dd = await dl(`/api/v1/countries/${demoState.country.toLowerCase()}/dashboard?format=csv`, `cdg-${demoState.country}-dashboard.csv`, /^text\/csv/);
  const nInd = dash.json.goals.reduce((n, g) => n + g.indicators.length, 0);
  ok(dd.raw.toString().trim().split('\r\n').length === 1 + nInd, `the dashboard CSV has one row per indicator (${nInd})`);
  await dl('/api/v1/norms/c/violations?format=csv', 'cdg-norm-c-violations.csv', /^text\/csv/);
  const incCsv = await dl('/api/v1/incidents?format=csv', 'cdg-incidents.csv', /^text\/csv/);
  const incAll = await get('/api/v1/incidents?per_page=1000');
  ok(incCsv.raw.toString().trim().split('\r\n').length === 1 + incAll.json.total, `the incidents CSV lists every incident, not a page (${incAll.json.total})`);
  const incJson = await dl('/api/v1/incidents?format=json', 'cdg-incidents.json', /^application\/json/);
  ok(incJson.json.items.length === incAll.json.total, 'the incidents JSON too');
  await dl('/api/v1/agreements?format=csv', 'cdg-agreements.csv', /^text\/csv/);
  await dl('/api/v1/capacity/initiatives?format=csv', 'cdg-capacity-initiatives.csv', /^text\/csv/);
  await dl('/api/v1/registry/export?format=stix', 'cdg-registry-stix.json', /stix\+json/);
  await dl(`/api/v1/observations/export?format=sdmx&country=${demoState.country.toLowerCase()}`, 'cdg-observations-sdmx.csv', /^text\/csv/);
  ok((await get('/api/v1/agreements?format=xml')).status === 400, 'a download format other than csv or json is 400');
  ok(!(await get('/api/v1/agreements')).headers['content-disposition'], 'without ?format= the answer is no download');
}

// ---- accounts, roles, sessions -------------------------------------------
function send(method, url, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request(base + url, { method, headers: { ...headers, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = raw ? JSON.parse(raw) : null; } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, json });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}
const PW = 'correct horse battery';
const accounts = { sec: ['secretariat'], ed: ['editor'], 'fp.fra': ['focal_point', 'FRA'], 'fp.deu': ['focal_point', 'DEU'], stake: ['stakeholder'] };
const token = {};
for (const [name, [role, iso]] of Object.entries(accounts)) {
  execFileSync(CDG, ['user', 'add', name, '--role', role, ...(iso ? ['--country', iso] : []), '--password-stdin', '--db', db], { input: PW + '\n' });
  token[name] = execFileSync(CDG, ['token', 'create', name, '--db', db]).toString().trim();
}
const bearer = (who) => ({ Authorization: `Bearer ${token[who]}` });
const fra = JSON.parse(readFileSync(path.join(SRC, 'docs/examples/survey-response.json'), 'utf8'));

// Every role against every write endpoint, in workflow order: only the
// allowed roles succeed; the refused get 403 (401 without credentials).
const steps = [
  ['PUT', '/api/v1/surveys/FRA/2025', fra, ['fp.fra', 'sec']],
  ['POST', '/api/v1/surveys/FRA/2025/submit', undefined, ['fp.fra', 'sec']],
  ['POST', '/api/v1/surveys/FRA/2025/return', undefined, ['sec']],
  ['POST', '/api/v1/surveys/FRA/2025/submit', undefined, ['fp.fra', 'sec']],
  ['POST', '/api/v1/surveys/FRA/2025/validate', undefined, ['sec']],
  ['POST', '/api/v1/surveys/FRA/2025/publish', undefined, ['sec']],
];
for (const [method, url, body, allowed] of steps) {
  const anon = await send(method, url, { body });
  ok(anon.status === 401 && anon.json?.error?.code === 'unauthorized', `${method} ${url} without credentials is 401`);
  for (const who of Object.keys(accounts).filter((w) => !allowed.includes(w))) {
    const r = await send(method, url, { body, headers: bearer(who) });
    ok(r.status === 403 && r.json?.error?.code === 'forbidden', `${method} ${url} as ${who} is 403 (got ${r.status})`);
  }
  const r = await send(method, url, { body, headers: bearer(allowed[0]) });
  ok(r.status === 200, `${method} ${url} as ${allowed[0]} succeeds (got ${r.status}${r.json?.error ? ': ' + r.json.error.message : ''})`);
}

// Bulk writes: observation files (CSV or SDMX-CSV) and registry files, by
// editors and the secretariat only; a bad file is 422 with every fault,
// naming the request body, line and field, and nothing written.
const obsCsv = 'indicator,country,year,value,source_url,note\n' +
  'CDG2.1.1,TUV,2024,1,https://example.org/api-test/tuv-csirt,API test fixture (fictional)\n';
const regCsv = 'incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,norm_or_law_invoked,source_url,note\n' +
  'API test incident (fictional test fixture),2024-03-01,France,Test actor (unknown),2024-04-01,Fictional API statement,' +
  '13(c): fictional articulation for the API test,https://example.org/api-test/statement,test fixture: not a real attribution\n';
for (const [url, body, allowed] of [['/api/v1/observations', obsCsv, ['ed', 'sec']], ['/api/v1/registry', regCsv, ['ed', 'sec']]]) {
  const anon = await send('POST', url, { body });
  ok(anon.status === 401, `POST ${url} without credentials is 401`);
  for (const who of Object.keys(accounts).filter((w) => !allowed.includes(w))) {
    const r = await send('POST', url, { body, headers: bearer(who) });
    ok(r.status === 403 && r.json?.error?.code === 'forbidden', `POST ${url} as ${who} is 403 (got ${r.status})`);
  }
  const r = await send('POST', url, { body, headers: bearer(allowed[0]) });
  ok(r.status === 200, `POST ${url} as ${allowed[0]} succeeds (got ${r.status}${r.json?.error ? ': ' + r.json.error.message : ''})`);
  ok(ajv.validate(schemaFor(url.replace('/api/v1', ''), 'post', '200'), r.json), `POST ${url}: the answer matches the OpenAPI schema`);
}
const tuv = JSON.parse(run('dashboard', 'TUV', '--json'));
ok(JSON.stringify(tuv).includes('https://example.org/api-test/tuv-csirt'), 'the posted observation is stored with its source');
const obsList = await get('/api/v1/observations?country=TUV&indicator=CDG2.1.1');
ok(obsList.status === 200 && obsList.json.items.some((o) => o.source === 'https://example.org/api-test/tuv-csirt' && o.entered_by === 'ed' && o.year === 2024),
  'GET /observations lists the posted row with who entered it');
ok(ajv.validate(schemaFor('/observations', 'get', '200'), obsList.json), `GET /observations matches the OpenAPI schema${ajv.errors ? ': ' + ajv.errorsText() : ''}`);
const allObs = (await get('/api/v1/observations?per_page=1000')).json;
const p2 = (await get('/api/v1/observations?per_page=7&page=2')).json;
ok(p2.total === allObs.total && JSON.stringify(p2.items) === JSON.stringify(allObs.items.slice(7, 14)), 'pages of observations are slices of one order');
ok((await get('/api/v1/observations?country=XXX')).status === 404 && (await get('/api/v1/observations?sort=year')).status === 400, 'unknown state 404; no sort 400');
const obsDl = await get('/api/v1/observations/export?indicator=CDG2.1.1&country=TUV');
ok(obsDl.status === 200 && /text\/csv/.test(obsDl.headers['content-type']) && obsDl.raw.toString().includes('https://example.org/api-test/tuv-csirt'),
  'GET /observations/export gives the CSV with the posted row');
const sdmxDl = await get('/api/v1/observations/export?format=sdmx&indicator=CDG2.1.1');
ok(sdmxDl.status === 200 && /^STRUCTURE,STRUCTURE_ID,ACTION/.test(sdmxDl.raw.toString()), 'format=sdmx gives SDMX-CSV 2.0');
const stixDl = await get('/api/v1/registry/export?format=stix');
ok(stixDl.status === 200 && /stix\+json/.test(stixDl.headers['content-type']) && JSON.parse(stixDl.raw.toString()).type === 'bundle', 'GET /registry/export?format=stix gives a STIX bundle');
// What the norm and incidents pages show, as STIX: only the incidents their
// filters find, with their attributions, named after the filters.
const allInc = (await get('/api/v1/incidents?norm=c&per_page=100')).json;
const partDl = await get('/api/v1/registry/export?format=stix&norm=c');
const partBundle = JSON.parse(partDl.raw.toString());
const partIncidents = partBundle.objects.filter((o) => o.type === 'incident');
const allBundle = JSON.parse(stixDl.raw.toString());
ok(partDl.status === 200 && allInc.total > 0 && partIncidents.length === allInc.total &&
  partIncidents.length < allBundle.objects.filter((o) => o.type === 'incident').length,
  `registry/export?format=stix&norm=c: the ${allInc.total} incidents of norm c, not the whole registry`);
ok(partDl.headers['content-disposition'] === 'attachment; filename="cdg-registry-norm-c-stix.json"',
  'a part of the registry is named after its filters');
ok(partBundle.objects.filter((o) => o.type === 'relationship' && o.relationship_type === 'attributed-to').length >= allInc.total,
  'the part carries its attributions');
ok((await get('/api/v1/registry/export?format=stix&id=no-such-incident')).status === 404, 'an unknown incident id is 404');
ok((await get('/api/v1/registry/export?format=stix&norm=z')).status === 400 &&
  (await get('/api/v1/registry/export?format=stix&state=XXX')).status === 404, 'bad filters: 400 and 404');
const regDl = await get('/api/v1/registry/export');
ok(regDl.status === 200 && JSON.stringify(regDl.json).includes('API test incident'), 'the registry JSON export has the posted incident');
ok((await get('/api/v1/registry/export?format=xml')).status === 400, 'an unknown export format is 400');
const regInc = await get('/api/v1/incidents?search=fictional');
ok(regInc.json.items.some((i) => /API test incident/.test(JSON.stringify(i))), 'the posted registry row is searchable');
const badObs = 'indicator,country,year,value,source_url\nCDG2.1.1,XXX,2024,1,https://example.org/x\nCDG2.1.1,FRA,2999,1,https://example.org/y\n';
const refusedObs = await send('POST', '/api/v1/observations', { body: badObs, headers: bearer('ed') });
ok(refusedObs.status === 422 && refusedObs.json.error.faults?.length === 2, `a bad observation file is 422 with both faults (got ${refusedObs.status})`);
ok(refusedObs.json.error.faults.every((x) => x.file === 'request body' && x.line >= 2 && x.field), 'each fault names the request body, the line and the field');
ok(/^2 faults, nothing written/.test(refusedObs.json.error.message), 'the message counts the faults');
ok(ajv.validate(schemaFor('/observations', 'post', '422'), refusedObs.json), `the 422 body matches the OpenAPI schema${ajv.errors ? ': ' + ajv.errorsText() : ''}`);
ok(!JSON.stringify(JSON.parse(run('dashboard', 'FRA', '--json'))).includes('example.org/y'), 'nothing of the refused file is written');
const empty = await send('POST', '/api/v1/observations', { body: '', headers: bearer('ed') });
ok(empty.status === 400, 'an empty body is 400');

const hist = await get('/api/v1/surveys/FRA/2025/history');
ok(hist.json.items.map((h) => h.status).join(',') === 'draft,submitted,draft,submitted,validated,published', 'the workflow is recorded revision by revision');
ok(hist.json.items[0].actor === 'fp.fra' && hist.json.items[5].actor === 'sec', 'each revision names who made it');

// Who reports implementing a norm: published responses only, as published.
const implOf = async (l) => (await get(`/api/v1/norms/${l}/implementation`)).json;
let impl = await implOf('a');
const publishedN = JSON.parse(run('survey', 'list', '--json')).filter((x) => x.status === 'published').length;
ok(impl.responses.length === publishedN, `norm a: one entry per published response (${impl.responses.length}/${publishedN})`);
const fwq = (await get('/api/v1/framework')).json.survey.questions.filter((q) => q.norm === 'a').map((q) => q.id);
ok(JSON.stringify(impl.questions.map((q) => q.id)) === JSON.stringify(fwq), 'norm a: its questions, in survey order');
const fraImpl = impl.responses.find((x) => x.country === 'FRA' && x.year === 2025);
ok(fraImpl && fraImpl.answers.some((x) => x.question === 'Q-a-1' && x.answer === 'yes' && x.evidence.length === 1),
  'the published FRA response reports its answer to Q-a-1 with its evidence');
ok(!fraImpl.answers.some((x) => x.question === 'Q-CDG1-1'), 'answers to questions of other norms are left out');
ok(impl.responses.filter((x) => x.synthetic).every((x) => x.answers.every((y) => y.synthetic)), 'demo answers are flagged synthetic');
// Filters: by state, round, answer value, latest round only, no demo data.
const implQ = async (q) => (await get(`/api/v1/norms/a/implementation?${q}`));
let f = (await implQ('country=FRA')).json;
ok(f.responses.length >= 1 && f.responses.every((x) => x.country === 'FRA'), '?country=FRA keeps FRA only');
f = (await implQ('year=2025')).json;
ok(f.responses.length === impl.responses.filter((x) => x.year === 2025).length && f.responses.every((x) => x.year === 2025), '?year=2025 keeps that round');
f = (await implQ('answer=yes')).json;
const yesN = impl.responses.filter((x) => x.answers.some((y) => y.answer === 'yes')).length;
ok(f.responses.length === yesN && f.responses.every((x) => x.answers.length && x.answers.every((y) => y.answer === 'yes')),
  `?answer=yes keeps the responses with a "yes" (${yesN}) and only those answers`);
f = (await implQ('synthetic=false')).json;
ok(f.responses.length === impl.responses.filter((x) => !x.synthetic).length && f.responses.every((x) => !x.synthetic), '?synthetic=false leaves out demo responses');
f = (await implQ('latest=true')).json;
const states = new Set(impl.responses.map((x) => x.country));
ok(f.responses.length === states.size && f.responses.every((x) => !impl.responses.some((y) => y.country === x.country && y.year > x.year)),
  `?latest=true keeps each state's latest round (${f.responses.length} states)`);
for (const q of ['year=20x5', 'country=fr', 'latest=maybe', 'synthetic=0']) {
  const r = await implQ(q);
  ok(r.status === 400 && r.json?.error, `?${q} is refused with 400`);
}
const fraDraft = { ...fra, answers: fra.answers.map((x) => (x.question === 'Q-a-1' ? { ...x, answer: 'no' } : x)) };
const reopen = await send('POST', '/api/v1/surveys/FRA/2025/reopen', { headers: bearer('sec') });
ok(reopen.status === 200, `the secretariat reopens the published FRA response (got ${reopen.status})`);
const redraft = await send('PUT', '/api/v1/surveys/FRA/2025', { body: fraDraft, headers: bearer('fp.fra') });
ok(redraft.status === 200, `a new FRA draft after publication is saved (got ${redraft.status}${redraft.json?.error ? ': ' + redraft.json.error.message : ''})`);
impl = await implOf('a');
ok(impl.responses.find((x) => x.country === 'FRA' && x.year === 2025)?.answers.find((x) => x.question === 'Q-a-1')?.answer === 'yes',
  'the implementation view keeps the published answer, not the newer draft');

// A body for another state than the URL is refused.
const wrong = await send('PUT', '/api/v1/surveys/DEU/2025', { body: fra, headers: bearer('sec') });
ok(wrong.status === 422, `a response body for another state is 422 (got ${wrong.status})`);
const bad = await send('PUT', '/api/v1/surveys/DEU/2024', { body: { country: 'DEU', year: 2024, answers: [{ question: 'Q-zz-9', answer: 'yes' }] }, headers: bearer('sec') });
ok(bad.status === 422 && /unknown question/.test(bad.json.error.message), 'an invalid response is 422 and says why');

// Cookie sessions: login, CSRF, logout.
const fail1 = await send('POST', '/api/v1/login', { body: { name: 'fp.deu', password: 'wrong password!' } });
ok(fail1.status === 403, 'a wrong password is refused');
const login = await send('POST', '/api/v1/login', { body: { name: 'fp.deu', password: PW } });
ok(login.status === 200 && login.json.role === 'focal_point' && login.json.country === 'DEU', 'login returns the account');
const cookie = (login.headers['set-cookie'] || [''])[0];
ok(/HttpOnly/.test(cookie) && /SameSite=Strict/.test(cookie), 'the session cookie is HttpOnly and SameSite=Strict');
const sess = cookie.split(';')[0];
const meR = await get('/api/v1/me', { Cookie: sess });
ok(meR.status === 200 && meR.json.name === 'fp.deu', 'GET /me with the cookie');
ok(!login.headers['access-control-allow-origin'] && !meR.headers['access-control-allow-origin'], 'no CORS on sign-in and on a signed-in read');
const deu = { ...fra, country: 'DEU' };
const noCsrf = await send('PUT', '/api/v1/surveys/DEU/2025', { body: deu, headers: { Cookie: sess } });
ok(noCsrf.status === 403 && /CSRF/.test(noCsrf.json.error.message), 'a cookie write without the CSRF header is refused');
const withCsrf = await send('PUT', '/api/v1/surveys/DEU/2025', { body: deu, headers: { Cookie: sess, 'X-CSRF-Token': login.json.csrf } });
ok(withCsrf.status === 200, `with the CSRF header the focal point saves its own state's draft (got ${withCsrf.status})`);
ok(!withCsrf.headers['access-control-allow-origin'], 'no CORS on a write with the cookie');
ok(!(await implOf('a')).responses.some((x) => x.country === 'DEU'), 'an unpublished draft is not in the implementation view');
// The public reads only what is published; the state's focal point and
// the secretariat read drafts.
const pubDraft = await get('/api/v1/surveys/DEU/2025');
ok(pubDraft.status === 404, `the public cannot read DEU's draft (got ${pubDraft.status})`);
const ownDraft = await get('/api/v1/surveys/DEU/2025', bearer('fp.deu'));
ok(ownDraft.status === 200 && ownDraft.json.country === 'DEU', "DEU's focal point reads its draft");
const otherDraft = await get('/api/v1/surveys/DEU/2025', bearer('fp.fra'));
ok(otherDraft.status === 404, `FRA's focal point cannot read DEU's draft (got ${otherDraft.status})`);
const secDraft = await get('/api/v1/surveys/DEU/2025', bearer('sec'));
ok(secDraft.status === 200, 'the secretariat reads the draft');
const pubList = await get('/api/v1/surveys?per_page=1000');
ok(!pubList.json.items.some((r) => r.country === 'DEU' && r.year === 2025), 'the public list leaves out unpublished responses');
ok(pubList.json.items.some((r) => r.country === 'FRA' && r.year === 2025), 'the public list shows the published FRA response');
const secList = await get('/api/v1/surveys?per_page=1000', bearer('sec'));
ok(secList.json.items.some((r) => r.country === 'DEU' && r.status === 'draft'), 'the secretariat lists drafts too');
const pubAgain = await get('/api/v1/surveys/DEU/2025');
ok(pubAgain.status === 404, 'a signed-in read is never served to the public from the cache');

// Capacity building: the comparison says what the CLI says, and the write
// endpoint enforces roles and rejects bad input whole.
const fraAgr = await get('/api/v1/countries/FRA/agreements');
ok(fraAgr.json.items.some((x) => x.id === 'budapest') && fraAgr.json.items.some((x) => x.id === 'paris-call' && x.role === 'supporter'),
  'FRA takes part in the Budapest Convention and supports the Paris Call (desk research)');
const cmp = await get('/api/v1/agreements/compare?ids=paris-call,tech-accord');
const ind2 = cmp.json.rows.find((r) => r.ref === 'IND2');
ok(ind2 && ind2.cells.every((c) => c.length === 1), 'no back doors: one commitment in the Paris Call and one in the Tech Accord');
const initiativesDoc = { format: 'cdg-capacity/1', initiatives: [
  { id: 'API-1', title: 'Constructed A', donors: ['Donor A'], beneficiaries: ['KEN'], goals: ['CDG2'], start_date: '2025', status: 'ongoing', source_url: 'https://example.org/a', synthetic: true },
  { id: 'API-2', title: 'Constructed B', donors: ['Donor B'], beneficiaries: ['KEN', 'GHA'], goals: ['CDG2'], start_date: '2026-03', end_date: '2027', budget: 1000, currency: 'KES', status: 'planned', source_url: 'https://example.org/b', synthetic: true },
] };
const anonPost = await send('POST', '/api/v1/capacity/initiatives', { body: initiativesDoc });
ok(anonPost.status === 401, `POST initiatives without credentials is 401 (got ${anonPost.status})`);
for (const who of ['stake', 'fp.fra']) {
  const r = await send('POST', '/api/v1/capacity/initiatives', { body: initiativesDoc, headers: bearer(who) });
  ok(r.status === 403, `POST initiatives as ${who} is 403 (got ${r.status})`);
}
const edPost = await send('POST', '/api/v1/capacity/initiatives', { body: initiativesDoc, headers: bearer('ed') });
ok(edPost.status === 200 && edPost.json.written === 2, `an editor adds two initiatives (got ${edPost.status})`);
ok(ajv.validate(spec.paths['/capacity/initiatives'].post.responses['200'].content['application/json'].schema, edPost.json), 'POST initiatives answer matches the schema');
const dup = await get('/api/v1/capacity/duplication');
ok(dup.json.groups.some((g) => g.initiatives.map((i) => i.id).join() === 'API-1,API-2'), 'the two overlap (KEN, CDG2, from March 2026)');
const badDoc = { format: 'cdg-capacity/1', initiatives: [{ id: 'API-3', title: 't', donors: ['D'], beneficiaries: ['XYZ'], goals: ['CDG2'], budget: -1, currency: 'EUR', status: 'ongoing', source_url: 'https://x.org' }] };
const badCap = await send('POST', '/api/v1/capacity/initiatives', { body: badDoc, headers: bearer('sec') });
const capFaults = (badCap.json?.error?.faults || []).map((f) => f.message).join('\n');
ok(badCap.status === 422 && /unknown country "XYZ"/.test(capFaults) && /negative/.test(capFaults) && badCap.json.error.faults_total >= 2,
  `bad initiatives: 422 listing every fault in error.faults (got ${badCap.status})`);
const still = await get('/api/v1/capacity/initiatives?per_page=1000');
ok(!still.json.items.some((i) => i.id === 'API-3'), 'nothing of the bad body was written');
ok(still.json.items.filter((i) => i.synthetic).length === 2, 'the constructed initiatives are marked synthetic');
// A cell a spreadsheet would run as a formula is guarded in CSV downloads.
const formula = { format: 'cdg-capacity/1', initiatives: [{ id: 'API-F', title: '=HYPERLINK("https://evil.example","x")', donors: ['D'], beneficiaries: ['KEN'], goals: ['CDG2'], status: 'planned', source_url: 'https://example.org/f', synthetic: true }] };
ok((await send('POST', '/api/v1/capacity/initiatives', { body: formula, headers: bearer('ed') })).status === 200, 'an initiative whose title starts with =');
const guarded = (await get('/api/v1/capacity/initiatives?format=csv')).raw.toString();
ok(guarded.includes(`API-F,"'=HYPERLINK(""https://evil.example"",""x"")"`) || guarded.includes(`API-F,'=HYPERLINK`), 'its CSV cell starts with an apostrophe (csv_put\'s formula guard)');

const out = await send('POST', '/api/v1/logout', { headers: { Cookie: sess, 'X-CSRF-Token': login.json.csrf } });
ok(out.status === 200 && /Max-Age=0/.test((out.headers['set-cookie'] || [''])[0]), 'logout clears the cookie');
const after = await get('/api/v1/me', { Cookie: sess });
ok(after.status === 401, 'the session is gone after logout');

// Login is rate-limited.
let lastStatus = 0;
for (let i = 0; i < 6; i++) lastStatus = (await send('POST', '/api/v1/login', { body: { name: 'stake', password: 'nope nope nope' } })).status;
ok(lastStatus === 429, `the sixth wrong password within a minute is 429 (got ${lastStatus})`);
const hdr = (await get('/')).headers;
ok(/default-src 'self'/.test(hdr['content-security-policy'] || '') && hdr['x-content-type-options'] === 'nosniff' && hdr['referrer-policy'] === 'no-referrer', 'security headers on pages');

srv.kill('SIGTERM');
const code = await new Promise((resolve) => srv.on('exit', resolve));
ok(code === 0, 'server stops cleanly on SIGTERM');
rmSync(dir, { recursive: true, force: true });
done();
