#!/usr/bin/env node
// Validate data/crime/ (articles.json, treaties.json, principles.json and
// instruments/*.json) against crime.schema.json (JSON Schema 2020-12, ajv 8)
// and check the cross-references a schema cannot express. Usage:
//   node tests/schema/check_crime.mjs              check (exit 0 ok, 1 errors)
//   node tests/schema/check_crime.mjs --selftest   mutate in-memory copies and
//                                                  assert each mutation is rejected
// ajv lives in tests/js/node_modules (see check_catalog.mjs for why createRequire).

import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const require = createRequire(new URL('../js/package.json', import.meta.url));
const ajvModule = require('ajv/dist/2020.js');
const Ajv2020 = ajvModule.default ?? ajvModule;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIR = path.resolve(HERE, '..', '..', 'data', 'crime');
const FILES = { articles: 'articlesFile', treaties: 'treatiesFile', principles: 'principlesFile' };

export function load(dir = DIR) {
  const read = (p) => JSON.parse(readFileSync(path.join(dir, p), 'utf8'));
  const d = { schema: read('crime.schema.json'), instruments: {} };
  for (const k of Object.keys(FILES)) d[k] = read(`${k}.json`);
  for (const f of readdirSync(path.join(dir, 'instruments')).filter((x) => x.endsWith('.json')).sort()) {
    d.instruments[f] = read(path.join('instruments', f));
  }
  return d;
}

let cache = null;
function validators(schema) {
  if (cache && cache.schema === schema) return cache.v;
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
  ajv.addSchema(schema, 'crime');
  const v = {};
  for (const def of [...Object.values(FILES), 'instrumentFile']) v[def] = ajv.getSchema(`crime#/$defs/${def}`);
  cache = { schema, v };
  return v;
}

function idAt(doc, p) {
  let node = doc;
  let id = null;
  for (const k of p.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') break;
    node = node[k];
    if (node && typeof node === 'object' && typeof node.id === 'string') id = node.id;
  }
  return id ?? '-';
}

// Returns a list of "file: id: problem" strings.
export function check(d) {
  const errs = [];
  const err = (f, id, m) => errs.push(`${f}: ${id}: ${m}`);
  const v = validators(d.schema);
  const docs = [...Object.entries(FILES).map(([k, def]) => [`${k}.json`, d[k], def]),
    ...Object.entries(d.instruments).map(([f, doc]) => [`instruments/${f}`, doc, 'instrumentFile'])];
  let ok = true;
  for (const [f, doc, def] of docs) {
    if (!v[def](doc)) {
      ok = false;
      for (const e of v[def].errors) {
        if (e.keyword === 'if') continue;
        err(f, idAt(doc, e.instancePath), `${e.instancePath || '/'} ${e.message}`);
      }
    }
  }
  if (!ok) return errs;
  const unique = (f, list) => {
    const seen = new Set();
    for (const x of list) {
      if (seen.has(x.id)) err(f, x.id, 'duplicate id');
      seen.add(x.id);
    }
    return seen;
  };
  const arts = unique('articles.json', d.articles.articles);
  for (const a of d.articles.articles) {
    if (a.id !== `BC${a.article}`) err('articles.json', a.id, `id does not match article ${a.article}`);
    const want = a.article <= 11 ? 'offence' : a.article <= 21 ? 'procedural_power' : 'cooperation';
    if (a.kind !== want) err('articles.json', a.id, `article ${a.article} must be of kind ${want}`);
  }
  for (const t of d.treaties.treaties) {
    for (const s of t.scope) if (!arts.has(s)) err('treaties.json', t.id, `scope names unknown article ${s}`);
    const th = t.entry_into_force;
    if ((th.sub_group === null) !== (th.sub_count === null)) err('treaties.json', t.id, 'sub_group and sub_count go together');
    if (th.sub_count !== null && th.sub_count > th.count) err('treaties.json', t.id, 'sub_count exceeds count');
    for (const p of t.parties) {
      if (p.signed && p.consent && p.consent < p.signed) err('treaties.json', t.id, `${p.iso3}: consent before signature`);
      if (p.consent && p.in_force && p.in_force < p.consent) err('treaties.json', t.id, `${p.iso3}: in force before consent`);
    }
  }
  unique('treaties.json', d.treaties.treaties);
  unique('principles.json', d.principles.principles);
  for (const [f, ins] of Object.entries(d.instruments)) {
    const byId = new Map(ins.articles.map((a) => [a.id, a]));
    unique(`instruments/${f}`, ins.articles);
    for (const a of ins.articles) {
      if (a.budapest && !arts.has(a.budapest)) err(`instruments/${f}`, a.id, `budapest names unknown article ${a.budapest}`);
      for (const s of a.safeguards ?? []) {
        if (byId.get(s)?.kind !== 'safeguard') err(`instruments/${f}`, a.id, `${s} is not a safeguard article`);
      }
    }
  }
  return errs;
}

const MUTATIONS = [
  ['offence without class', 'class', (d) => { d.articles.articles[0].class = null; }],
  ['power with a class', 'must be equal to constant', (d) => { d.articles.articles.find((a) => a.kind === 'procedural_power').class = 'cyber_dependent'; }],
  ['article kind out of its range', 'must be of kind', (d) => { d.articles.articles[0].kind = 'cooperation'; d.articles.articles[0].class = null; d.articles.articles[0].class_reason = null; }],
  ['duplicate article id', 'duplicate id', (d) => { d.articles.articles[1].id = 'BC2'; d.articles.articles[1].article = 2; }],
  ['unknown key', 'additional properties', (d) => { d.articles.articles[0].extra = 1; }],
  ['scope names an unknown article', 'unknown article BC99', (d) => { d.treaties.treaties[0].scope.push('BC99'); }],
  ['threshold count 0', 'must be >= 1', (d) => { d.treaties.treaties[0].entry_into_force.count = 0; }],
  ['sub_count exceeds count', 'sub_count exceeds count', (d) => { d.treaties.treaties[0].entry_into_force.sub_count = 9; }],
  ['party in force before consent', 'in force before consent', (d) => { const p = d.treaties.treaties.find((t) => t.parties.length).parties.find((x) => x.consent); p.in_force = '2000-01-01'; }],
  ['bad date', 'must match pattern', (d) => { d.treaties.treaties[0].opened_for_signature = '23/11/2001'; }],
  ['unknown rule', 'must be equal to one of the allowed values', (d) => { d.principles.principles[0].rule = 'vibes'; }],
  ['threshold rule without param', "must have required property 'param'", (d) => { delete d.principles.principles.find((p) => p.param).param; }],
  ['instrument offence without subject', "must have required property 'subject'", (d) => { delete Object.values(d.instruments)[0].articles.find((a) => a.kind === 'offence').subject; }],
  ['review on a non-safeguard', 'must NOT be valid', (d) => { Object.values(d.instruments)[0].articles.find((a) => a.kind === 'offence').review = 'required'; }],
  ['safeguard reference to a power', 'is not a safeguard article', (d) => { Object.values(d.instruments)[0].articles.find((a) => a.safeguards).safeguards = ['UN25']; }],
  ['unknown Budapest equivalent', 'budapest names unknown article BC77', (d) => { Object.values(d.instruments)[0].articles[1].budapest = 'BC77'; }],
];

function selftest(d) {
  const base = check(d);
  if (base.length) { console.error('selftest: the shipped data must pass first:'); base.forEach((e) => console.error(`  ${e}`)); return 1; }
  let failed = 0;
  for (const [name, expect, mutate] of MUTATIONS) {
    const c = structuredClone(d);
    mutate(c);
    const errs = check(c);
    const hit = errs.find((e) => e.includes(expect));
    if (!hit) { failed++; console.error(`FAIL ${name}: ${errs.length ? `no message contains "${expect}": ${errs.join(' | ')}` : 'accepted'}`); }
    else console.log(`ok   ${name}: ${hit}`);
  }
  console.log(`selftest: ${MUTATIONS.length - failed}/${MUTATIONS.length} mutations rejected as expected`);
  return failed ? 1 : 0;
}

function main(argv) {
  const d = load();
  if (argv.includes('--selftest')) return selftest(d);
  const errs = check(d);
  errs.forEach((e) => console.error(e));
  if (errs.length) { console.error(`check_crime: ${errs.length} problem(s)`); return 1; }
  console.log(`check_crime: ok (${d.articles.articles.length} articles, ${d.treaties.treaties.length} treaties, ` +
    `${d.principles.principles.length} principles, ${Object.keys(d.instruments).length} instrument(s))`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
