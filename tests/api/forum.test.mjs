// The standing forum over HTTP: every forum endpoint checked against
// web/openapi.json, the role matrix of every forum write (401 without
// credentials, 403 for every account that may not, 200 for one that may),
// CSRF on cookie sessions, access levels of documents (list, one, export,
// feed), the Atom feed parsed with xmllint and checked (RFC 4287), bad
// input named by field with nothing written, and the monitoring rule.
// Run: node tests/api/forum.test.mjs (CDG = the cdg binary).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { CDG, tap, serve, openapi } from '../js/harness.mjs';

const { spec, ajv, schemaFor } = openapi();

const { ok, done } = tap();

const dir = mkdtempSync(path.join(tmpdir(), 'cdg-forum-api-'));
const db = path.join(dir, 'cdg.db');
const run = (...a) => execFileSync(CDG, [...a, '--db', db], { stdio: 'pipe' });
run('init');
const PW = 'correct horse battery';
const accounts = { sec: 'secretariat', alice: 'stakeholder', bob: 'stakeholder', carol: 'stakeholder', dave: 'stakeholder', ed: 'editor', 'fp.ken': 'focal_point' };
const token = {};
for (const [name, role] of Object.entries(accounts)) {
  execFileSync(CDG, ['user', 'add', name, '--role', role, ...(role === 'focal_point' ? ['--country', 'KEN'] : []), '--password-stdin', '--db', db], { input: PW + '\n' });
  token[name] = execFileSync(CDG, ['token', 'create', name, '--db', db]).toString().trim();
}

const srv = await serve(db, ['--threads', '2']);
const base = srv.base;

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
        resolve({ status: res.statusCode, headers: res.headers, json, raw });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}
const get = (url, headers) => send('GET', url, { headers });
const bearer = (who) => ({ Authorization: `Bearer ${token[who]}` });
const count = (t) => Number(execFileSync('sqlite3', [db, `SELECT count(*) FROM ${t}`]).toString().trim());
const audit = () => count('audit_log');

try {
  // Every forum write endpoint, in workflow order, against every account.
  // Organisations: 1 Kenya (state, alice and fp.ken), 2 civil society (bob),
  // 3 a business never accredited (carol); dave belongs to none.
  const everyone = Object.keys(accounts);
  const steps = [
    ['POST', '/forum/orgs', { name: 'Republic of Kenya', group: 'state', country: 'KEN' }, ['sec']],
    ['POST', '/forum/orgs', { name: 'Open Net Civil Society', group: 'civil_society' }, ['sec']],
    ['POST', '/forum/orgs', { name: 'Acme Cloud', group: 'business' }, ['sec']],
    ['POST', '/forum/orgs/1/accredit', {}, ['sec']],
    ['POST', '/forum/orgs/2/accredit', {}, ['sec']],
    ['POST', '/forum/orgs/1/members', { account: 'alice' }, ['sec']],
    ['POST', '/forum/orgs/1/members', { account: 'fp.ken' }, ['sec']],
    ['POST', '/forum/orgs/2/members', { account: 'bob' }, ['sec']],
    ['POST', '/forum/orgs/3/members', { account: 'carol' }, ['sec']],
    ['POST', '/forum/sessions', { title: 'First session', starts_on: '2026-03-02', ends_on: '2026-03-04' }, ['sec']],
    ['POST', '/forum/sessions/1/items', { title: 'Protecting critical infrastructure' }, ['sec']],
    ['POST', '/forum/documents', { session: 1, title: 'Provisional agenda', access: 'public', text: 'Agenda v1' }, ['sec']],
    ['POST', '/forum/documents', { session: 1, item: 1, title: "Chair's non-paper", access: 'registered', text: 'For registered participants' }, ['sec']],
    ['POST', '/forum/documents/1/versions', { text: 'Agenda v2' }, ['sec']],
    ['POST', '/forum/proposals', { item: 1, org: 1, title: 'Protect health care', text: 'Hospitals are off limits.', refs: ['f', 'CDG1', 'BC2'] }, ['alice', 'fp.ken']],
    ['POST', '/forum/proposals', { item: 1, org: 3, title: 'From an unaccredited business', text: 'x' }, []],
    ['POST', '/forum/proposals/1/versions', { title: 'Protect health care and suppliers', text: 'Hospitals and their suppliers.', refs: ['f'] }, ['alice', 'fp.ken']],
    ['POST', '/forum/proposals/1/comments', { org: 2, text: 'Add medical supply chains.' }, ['bob']],
    ['POST', '/forum/proposals/1/endorsements', { org: 2 }, ['bob']],
    ['POST', '/forum/decisions', { item: 1, method: 'consensus', text: 'Health care is off limits.', adopted_on: '2026-03-04', draws_on: [1], actions: [{ title: 'Designate a health CERT contact', owner: 1, deadline: '2026-06-30' }] }, ['sec']],
    ['POST', '/forum/decisions/1/actions', { title: 'Report to the next session', owner: 2, deadline: '2026-09-30' }, ['sec']],
    ['POST', '/forum/actions/1/updates', { status: 'in_progress', note: 'Contact named in draft.' }, ['alice', 'fp.ken', 'sec']],
    ['POST', '/forum/actions/2/updates', { status: 'done' }, ['bob', 'sec']],
  ];
  for (const [method, url, body, allowed] of steps) {
    const anon = await send(method, `/api/v1${url}`, { body });
    ok(anon.status === 401 && anon.json?.error?.code === 'unauthorized', `${method} ${url} without credentials is 401`);
    for (const who of everyone.filter((w) => !allowed.includes(w))) {
      const before = audit();
      const r = await send(method, `/api/v1${url}`, { body, headers: bearer(who) });
      ok(r.status === 403 && r.json?.error?.code === 'forbidden' && audit() === before,
        `${method} ${url} as ${who} is 403, nothing written (got ${r.status}${r.json?.error ? ': ' + r.json.error.message : ''})`);
    }
    if (!allowed.length) continue;
    const r = await send(method, `/api/v1${url}`, { body, headers: bearer(allowed[0]) });
    ok(r.status === 200 && Number.isInteger(r.json?.id), `${method} ${url} as ${allowed[0]} succeeds (got ${r.status}${r.json?.error ? ': ' + r.json.error.message : ''})`);
    const tmpl = Object.keys(spec.paths).find((p) => new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(url));
    ok(tmpl && ajv.validate(schemaFor(tmpl, 'post', '200'), r.json), `${method} ${url} answer matches the OpenAPI schema`);
  }

  // Cookie sessions need the CSRF header for forum writes too.
  const login = await send('POST', '/api/v1/login', { body: { name: 'bob', password: PW } });
  const cookie = (login.headers['set-cookie'] || [''])[0].split(';')[0];
  const noCsrf = await send('POST', '/api/v1/forum/proposals/1/comments', { body: { org: 2, text: 'again' }, headers: { Cookie: cookie } });
  ok(noCsrf.status === 403 && /CSRF/.test(noCsrf.json.error.message), 'a cookie write without X-CSRF-Token is 403');
  const withCsrf = await send('POST', '/api/v1/forum/proposals/1/comments', { body: { org: 2, text: 'Second thoughts.' }, headers: { Cookie: cookie, 'X-CSRF-Token': login.json.csrf } });
  ok(withCsrf.status === 200, `with the CSRF header it is written (got ${withCsrf.status})`);
  const mine = await get('/api/v1/forum/memberships', { Cookie: cookie });
  ok(mine.status === 200 && mine.json.map((o) => o.name).join() === 'Open Net Civil Society', 'GET /forum/memberships lists the caller\'s organisations');
  ok(ajv.validate(schemaFor('/forum/memberships', 'get', '200'), mine.json), 'memberships match the schema');

  // Bad input: 422 naming the field, nothing written; conflicts 409.
  for (const [url, body, who, field, status] of [
    ['/forum/proposals', { item: 1, org: 1, title: 'X', text: 'Y', refs: ['zz9'] }, 'alice', 'refs', 422],
    ['/forum/proposals', { item: 1, org: 1, title: 'X', text: 'Y', refs: 'f' }, 'alice', 'refs', 422],
    ['/forum/proposals', { item: 99, org: 1, title: 'X', text: 'Y' }, 'alice', 'item', 422],
    ['/forum/proposals', { item: 1, org: 1, title: '', text: 'Y' }, 'alice', 'title', 422],
    ['/forum/orgs', { name: 'Guild', group: 'guild' }, 'sec', 'group', 422],
    ['/forum/sessions', { title: 'S', starts_on: '2026-02-30' }, 'sec', 'starts_on', 422],
    ['/forum/documents', { session: 1, title: 'D', access: 'secret', text: 'x' }, 'sec', 'access', 422],
    ['/forum/decisions', { item: 1, method: 'vote', tally: { yes: 1, no: 4, abstain: 0 }, text: 'T' }, 'sec', 'tally', 422],
    ['/forum/decisions', { item: 1, method: 'consensus', text: 'T', actions: [{ title: 'A', owner: 1, deadline: 'soon' }] }, 'sec', 'action.deadline', 422],
    ['/forum/decisions', { item: 1, method: 'consensus', text: 'T', actions: [{ title: 'A', owner: 1, deadline: '2099-01-01' }, { title: 'B', deadline: '2099-01-01' }] }, 'sec', 'actions[1].owner', 422],
    // An action may not be due before its decision was adopted (issue 17).
    ['/forum/decisions', { item: 1, method: 'consensus', text: 'T', adopted_on: '2026-03-04', actions: [{ title: 'A', owner: 1, deadline: '2026-03-03' }] }, 'sec', 'action.deadline', 422],
    ['/forum/decisions/1/actions', { title: 'A', owner: 1, deadline: '2026-03-03' }, 'sec', 'action.deadline', 422],
    ['/forum/actions/1/updates', { status: 'finished' }, 'alice', 'status', 422],
    ['/forum/proposals/1/endorsements', { org: 1 }, 'alice', 'org', 422],
    ['/forum/proposals/1/endorsements', { org: 2 }, 'bob', null, 409],
    ['/forum/orgs/1/accredit', {}, 'sec', null, 409],
  ]) {
    const before = audit();
    const r = await send('POST', `/api/v1${url}`, { body, headers: bearer(who) });
    ok(r.status === status && (!field || r.json.error.message.includes(`field ${field}:`)) && audit() === before,
      `POST ${url} ${JSON.stringify(body).slice(0, 60)} is ${status}${field ? ' naming ' + field : ''}, nothing written (got ${r.status}: ${r.json?.error?.message})`);
    ok(ajv.validate(schemaFor(Object.keys(spec.paths).find((p) => new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(url)), 'post', String(status)), r.json), `its error body matches the schema`);
  }
  for (const [p, url] of [['/forum/feed.atom', '/api/v1/forum/feed.atom'], ['/forum/export', '/api/v1/forum/export']]) {
    const r = await send('POST', url, { body: {}, headers: bearer('sec') });
    ok(r.status === 405 && ajv.validate(schemaFor(p, 'get', '405'), r.json), `POST ${url} is 405 with the error schema`);
  }
  const notJson = await send('POST', '/api/v1/forum/orgs', { body: 'not json', headers: bearer('sec') });
  ok(notJson.status === 400, 'a body that is not JSON is 400');
  const missing = await send('POST', '/api/v1/forum/proposals/99/comments', { body: { org: 2, text: 'x' }, headers: bearer('bob') });
  ok(missing.status === 404, 'a comment on no proposal is 404');

  // Reads: every GET endpoint against its schema.
  const cases = [
    ['/forum/orgs', '/api/v1/forum/orgs'],
    ['/forum/sessions', '/api/v1/forum/sessions'],
    ['/forum/sessions/{id}', '/api/v1/forum/sessions/1'],
    ['/forum/documents', '/api/v1/forum/documents?session=1'],
    ['/forum/documents/{id}', '/api/v1/forum/documents/1'],
    ['/forum/proposals', '/api/v1/forum/proposals?sort=-id'],
    ['/forum/proposals/{id}', '/api/v1/forum/proposals/1'],
    ['/forum/decisions', '/api/v1/forum/decisions'],
    ['/forum/decisions/{id}', '/api/v1/forum/decisions/1'],
    ['/forum/actions', '/api/v1/forum/actions?country=KEN'],
    ['/forum/monitor', '/api/v1/forum/monitor?today=2026-07-01'],
    ['/forum/export', '/api/v1/forum/export'],
    ['/countries/{iso3}/dashboard', '/api/v1/countries/KEN/dashboard'],
  ];
  for (const [p, url] of cases) {
    const r = await get(url);
    ok(r.status === 200, `GET ${url} is 200 (got ${r.status})`);
    const valid = ajv.validate(schemaFor(p, 'get', '200'), r.json);
    ok(valid, `GET ${url} matches the OpenAPI schema${valid ? '' : ': ' + ajv.errorsText()}`);
  }
  for (const [p, url, status] of [['/forum/sessions/{id}', '/api/v1/forum/sessions/9', 404], ['/forum/proposals/{id}', '/api/v1/forum/proposals/x', 404],
    ['/forum/monitor', '/api/v1/forum/monitor?today=soon', 400], ['/forum/decisions/{id}', '/api/v1/forum/decisions/5', 404]]) {
    const r = await get(url);
    ok(r.status === status && ajv.validate(schemaFor(p, 'get', String(status)), r.json), `GET ${url} is ${status} with the error schema (got ${r.status})`);
  }

  // What was recorded.
  const p1 = (await get('/api/v1/forum/proposals/1')).json;
  ok(p1.versions.length === 2 && p1.versions[0].refs.map((r) => `${r.kind}:${r.id}`).join() === 'norm:f,cdg:CDG1,article:BC2', 'the proposal keeps both versions with their references');
  ok(p1.comments.map((c) => c.by).join() === 'bob,bob' && p1.endorsements[0].org_name === 'Open Net Civil Society', 'comments and endorsement recorded with who');
  const d1 = (await get('/api/v1/forum/decisions/1')).json;
  ok(d1.method === 'consensus' && d1.tally === null && d1.draws_on.join() === '1' && d1.actions.length === 2, 'the consensus decision with the proposal it drew on and its actions');
  const vote = await send('POST', '/api/v1/forum/decisions', { body: { item: 1, method: 'vote', tally: { yes: 20, no: 3, abstain: 4 }, text: 'By vote.' }, headers: bearer('sec') });
  const d2 = (await get(`/api/v1/forum/decisions/${vote.json.id}`)).json;
  ok(d2.tally?.yes === 20 && d2.tally.no === 3 && d2.tally.abstain === 4, 'a vote records its tally');

  // Access levels: registered documents for signed-in readers only.
  const anonDocs = (await get('/api/v1/forum/documents')).json;
  ok(anonDocs.total === 1 && anonDocs.items[0].access === 'public', 'the public lists public documents only');
  const signedDocs = (await get('/api/v1/forum/documents', bearer('dave'))).json;
  ok(signedDocs.total === 2, 'a signed-in account lists registered documents too');
  ok((await get('/api/v1/forum/documents/2')).status === 404, 'a registered document read anonymously is 404');
  ok((await get('/api/v1/forum/documents/2', bearer('dave'))).status === 200, 'and 200 when signed in');
  const anonSession = (await get('/api/v1/forum/sessions/1')).json;
  ok(anonSession.documents.length === 1, 'the session page hides registered documents from the public');
  const exp = await get('/api/v1/forum/export');
  ok(exp.json.access === 'public' && exp.json.documents.length === 1 && !exp.raw.includes('non-paper'), 'the public export leaves registered documents out');
  ok(exp.json.proposals.length === 1 && exp.json.decisions.length === 2 && exp.json.actions.length === 2, 'and holds proposals, decisions and actions');
  const expSigned = await get('/api/v1/forum/export', bearer('dave'));
  ok(expSigned.json.access === 'registered' && expSigned.json.documents.length === 2, 'a signed-in export includes registered documents');

  // The Atom feed: well-formed, RFC 4287's required elements, public only.
  const feed = await get('/api/v1/forum/feed.atom');
  ok(feed.status === 200 && /^application\/atom\+xml/.test(feed.headers['content-type']), 'the feed is served as application/atom+xml');
  const feedFile = path.join(dir, 'feed.xml');
  writeFileSync(feedFile, feed.raw);
  const xp = (q) => execFileSync('xmllint', ['--xpath', q, feedFile]).toString().trim();
  let wellFormed = true;
  try { execFileSync('xmllint', ['--noout', feedFile]); } catch { wellFormed = false; }
  ok(wellFormed, 'the feed is well-formed XML');
  ok(xp("namespace-uri(/*)") === 'http://www.w3.org/2005/Atom' && xp("local-name(/*)") === 'feed', 'its root is atom:feed');
  const A = (x) => `*[local-name()='${x}']`;
  ok(xp(`count(/${A('feed')}/${A('id')})`) === '1' && xp(`count(/${A('feed')}/${A('title')})`) === '1' && xp(`count(/${A('feed')}/${A('updated')})`) === '1', 'the feed has one id, title and updated');
  const entries = Number(xp(`count(//${A('entry')})`));
  ok(entries === 4, `four entries: one public document, one proposal, two decisions (got ${entries})`);
  for (const el of ['id', 'title', 'updated', 'link', 'author']) {
    ok(xp(`count(//${A('entry')}[${A(el)}])`) === String(entries), `every entry has ${el}`);
  }
  const ids = xp(`//${A('entry')}/${A('id')}/text()`).split('\n').filter(Boolean);
  ok(ids.every((i) => /^urn:cdg:forum:(document|proposal|decision):\d+$/.test(i)) && new Set(ids).size === ids.length, 'entry ids are unique URNs');
  const updated = xp(`//${A('entry')}/${A('updated')}/text()`).split('\n').filter(Boolean);
  ok(updated.every((u) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(u)), 'updated values are RFC 3339 timestamps');
  ok(!feed.raw.includes('non-paper') && !feed.raw.includes('registered participants'), 'no registered document in the feed');
  ok(xp(`string(//${A('entry')}[${A('id')}='urn:cdg:forum:proposal:1']/${A('link')}/@href)`).endsWith('/forum.html#proposal-1'), 'an entry links to its page');
  const evil = await get('/api/v1/forum/feed.atom', { Host: 'evil.example' });
  ok(evil.status === 200 && !evil.raw.includes('evil.example'), 'the feed does not echo the Host header (its answer is cached for everyone)');
  const signedFeed = await get('/api/v1/forum/feed.atom', bearer('dave'));
  ok(!signedFeed.raw.includes('non-paper'), 'the feed holds public things only, even for signed-in readers');

  // Monitoring, with a fixed today.
  const mon = async (today) => (await get(`/api/v1/forum/monitor?today=${today}`)).json;
  let m = await mon('2026-06-30');
  ok(m.summary.agreed === 2 && m.summary.done === 1 && m.summary.in_progress === 1 && m.summary.overdue === 0, 'on the deadline day nothing is overdue');
  m = await mon('2026-07-01');
  ok(m.summary.overdue === 1 && m.actions.find((x) => x.overdue).id === 1, 'the day after, the unfinished action is overdue');
  const dash = (await get('/api/v1/countries/KEN/dashboard')).json;
  ok(dash.forum.actions.length === 1 && dash.forum.actions[0].status === 'in_progress' && dash.forum.actions[0].owner_name === 'Republic of Kenya',
    'Kenya\'s dashboard shows the action its organisation owns, with its status');
  const ken = (await get('/api/v1/forum/actions?country=KEN')).json;
  ok(ken.total === 1 && ken.items[0].history[0].by === 'alice', 'the action\'s history names who reported');
  ok(count('forum_proposal_version') === 2, 'refused writes left no proposal versions behind');
} finally {
  srv.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
done();
