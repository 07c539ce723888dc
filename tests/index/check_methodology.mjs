#!/usr/bin/env node
// Validate the shipped index methodologies (data/index/*.json) against
// data/index/methodology.schema.json (JSON Schema 2020-12, ajv 8), check what
// a schema cannot express (the tree: unique ids, parents, levels, one index),
// and check that cdg-default.json agrees with the framework catalog
// (every indicator, its direction, goalposts and target; indicator -> target
// -> goal). Usage:
//   node tests/index/check_methodology.mjs             check (exit 0 ok, 1 errors)
//   node tests/index/check_methodology.mjs --selftest  mutate copies; every
//                                                      mutation must be rejected
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(new URL('../js/package.json', import.meta.url));
const ajvModule = require('ajv/dist/2020.js');
const Ajv2020 = ajvModule.default ?? ajvModule;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const DIR = path.join(REPO, 'data', 'index');
const FW = path.join(REPO, 'data', 'framework');

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

// strictRequired is off: if/then branches name properties defined beside them.
function compile() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  return ajv.compile(readJson(path.join(DIR, 'methodology.schema.json')));
}

function describe(e) {
  let msg = `${e.instancePath || '/'} ${e.message}`;
  if (e.keyword === 'enum') msg += ` (${e.params.allowedValues.join(', ')})`;
  else if (e.keyword === 'additionalProperties') msg += ` (${e.params.additionalProperty})`;
  return msg;
}

// The tree rules; returns problems as strings naming the node id.
function checkTree(nodes) {
  const errs = [];
  const byId = new Map();
  for (const n of nodes) {
    if (byId.has(n.id)) errs.push(`${n.id}: duplicate node id`);
    byId.set(n.id, n);
  }
  const roots = nodes.filter((n) => n.parent === null);
  if (roots.length !== 1) errs.push(`-: ${roots.length} nodes without a parent; exactly one (the index) required`);
  const children = new Map();
  for (const n of nodes) {
    if (n.parent === null) continue;
    const p = byId.get(n.parent);
    if (!p) { errs.push(`${n.id}: parent ${n.parent} does not exist`); continue; }
    if (p.level !== n.level + 1) errs.push(`${n.id}: level ${n.level} but parent ${p.id} has level ${p.level} (must be ${n.level + 1})`);
    children.set(p.id, (children.get(p.id) ?? 0) + 1);
  }
  for (const n of nodes) {
    if (n.level > 1 && !children.has(n.id)) errs.push(`${n.id}: aggregate without children`);
    if (n.goalposts && !(n.goalposts.lower < n.goalposts.upper)) errs.push(`${n.id}: goalposts.lower must be below goalposts.upper`);
  }
  return errs;
}

// cdg-default.json against the catalog.
function checkCatalog(m) {
  const errs = [];
  const inds = readJson(path.join(FW, 'indicators.json')).indicators;
  const goals = readJson(path.join(FW, 'goals.json')).goals;
  const byId = new Map((m.nodes ?? []).map((n) => [n.id, n]));
  for (const i of inds) {
    const n = byId.get(i.id);
    if (!n) { errs.push(`${i.id}: catalog indicator missing from the methodology`); continue; }
    if (n.level !== 1) errs.push(`${i.id}: must be level 1`);
    if (n.parent !== i.target) errs.push(`${i.id}: parent ${n.parent}, catalog target ${i.target}`);
    if (n.direction !== i.direction) errs.push(`${i.id}: direction ${n.direction}, catalog ${i.direction}`);
    if (!n.goalposts || n.goalposts.lower !== i.goalposts.lower || n.goalposts.upper !== i.goalposts.upper)
      errs.push(`${i.id}: goalposts differ from the catalog (${i.goalposts.lower}..${i.goalposts.upper})`);
    if (n.target !== i.target_value) errs.push(`${i.id}: target ${n.target}, catalog target_value ${i.target_value}`);
  }
  const known = new Set(inds.map((i) => i.id));
  for (const n of m.nodes ?? []) if (n.level === 1 && !known.has(n.id)) errs.push(`${n.id}: indicator not in the catalog`);
  for (const g of goals) {
    const gn = byId.get(g.id);
    if (!gn || gn.level !== 3) errs.push(`${g.id}: goal missing or not level 3`);
    for (const t of g.targets) {
      const tn = byId.get(t.id);
      if (!tn || tn.level !== 2 || tn.parent !== g.id) errs.push(`${t.id}: target missing, not level 2 or not under ${g.id}`);
    }
  }
  return errs;
}

function checkOne(validate, name, m) {
  const errs = [];
  if (!validate(m)) {
    for (const e of validate.errors) if (e.keyword !== 'if') errs.push(`${name}: ${describe(e)}`);
    return errs;
  }
  if (m.nodes) for (const p of checkTree(m.nodes)) errs.push(`${name}: ${p}`);
  if (name === 'cdg-default.json') for (const p of checkCatalog(m)) errs.push(`${name}: ${p}`);
  return errs;
}

function shipped() {
  return readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'methodology.schema.json').sort();
}

const ind0 = (m) => m.nodes.find((n) => n.level === 1);
const MUTATIONS = [
  ['unknown top-level key', 'must NOT have additional properties', (m) => { m.extra = 1; }],
  ['wrong format version', 'must be equal to constant', (m) => { m.methodology_version = 2; }],
  ['unknown normalisation', 'must be equal to one of the allowed values', (m) => { m.pipeline.normalise.method = 'logit'; }],
  ['minmax without bounds', "must have required property 'lower'", (m) => { m.pipeline.normalise = { method: 'minmax' }; }],
  ['goalposts method with bounds', 'must NOT be valid', (m) => { m.pipeline.normalise.lower = 0; }],
  ['genmean without p', "must have required property 'p'", (m) => { m.pipeline.aggregate = { method: 'genmean' }; }],
  ['genmean with p = 0', 'must NOT be valid', (m) => { m.pipeline.aggregate = { method: 'genmean', p: 0 }; }],
  ['group imputation without a group', "must have required property 'group'", (m) => { m.pipeline.impute = { method: 'group_mean' }; }],
  ['coverage above 1', 'must be <= 1', (m) => { m.pipeline.screen.min_data = 1.5; }],
  ['screen by missing without a threshold', "must have required property 'min_data'", (m) => { delete m.pipeline.screen.min_data; }],
  ['unknown missing-data rule', 'must be equal to constant', (m) => { m.pipeline.missing.rule = 'zero'; }],
  ['missing pipeline', "must have required property 'pipeline'", (m) => { delete m.pipeline; }],
  ['negative weight', 'must be >= 0', (m) => { ind0(m).weight = -1; }],
  ['indicator without direction', "must have required property 'direction'", (m) => { delete ind0(m).direction; }],
  ['direction as a number', 'must be equal to one of the allowed values', (m) => { ind0(m).direction = 1; }],
  ['aggregate with goalposts', 'must NOT be valid', (m) => { m.nodes.find((n) => n.level === 2).goalposts = { lower: 0, upper: 1 }; }],
  ['level 0', 'must be >= 1', (m) => { ind0(m).level = 0; }],
  ['duplicate node id', 'duplicate node id', (m) => { m.nodes[1].id = m.nodes[0].id; }],
  ['dangling parent', 'parent NOPE does not exist', (m) => { ind0(m).parent = 'NOPE'; }],
  ['parent level not one above', 'must be', (m) => { m.nodes.find((n) => n.level === 2).level = 3; }],
  ['two roots', 'exactly one (the index) required', (m) => { m.nodes.find((n) => n.level === 3).parent = null; }],
  ['reversed goalposts', 'goalposts.lower must be below', (m) => { ind0(m).goalposts = { lower: 1, upper: 0 }; }],
  ['direction differs from the catalog', 'catalog higher_is_better', (m) => { ind0(m).direction = 'lower_is_better'; }],
  ['goalposts differ from the catalog', 'goalposts differ from the catalog', (m) => { ind0(m).goalposts.upper = 2; }],
  ['indicator dropped', 'catalog indicator missing', (m) => { m.nodes = m.nodes.filter((n) => n !== ind0(m)); }],
  ['seed not an integer', 'must be integer', (m) => { m.uncertainty.seed = 1.5; }],
  ['weight noise above 1', 'must be <= 1', (m) => { m.uncertainty.weight_noise[0].fraction = 2; }],
  ['empty list of alternatives', 'must NOT have fewer than 1 items', (m) => { m.uncertainty.aggregations = []; }],
];

function main(argv) {
  const validate = compile();
  const files = shipped();
  if (argv[0] === '--selftest') {
    const base = readJson(path.join(DIR, 'cdg-default.json'));
    let failed = 0;
    const b = checkOne(validate, 'cdg-default.json', base);
    if (b.length) { console.error(b.join('\n')); return 1; }
    for (const [name, expect, mutate] of MUTATIONS) {
      const m = structuredClone(base);
      mutate(m);
      const errs = checkOne(validate, 'cdg-default.json', m);
      const hit = errs.find((e) => e.includes(expect));
      if (!hit) { failed++; console.error(`FAIL ${name}: ${errs.length ? `no message contains "${expect}": ${errs.join('; ')}` : 'accepted'}`); }
      else console.log(`ok   ${name}: ${hit}`);
    }
    console.log(`selftest: ${MUTATIONS.length - failed}/${MUTATIONS.length} mutations rejected as expected`);
    return failed ? 1 : 0;
  }
  if (argv.length) { console.error(`check_methodology: unknown argument ${argv[0]}`); return 2; }
  let errs = [];
  for (const f of files) errs = errs.concat(checkOne(validate, f, readJson(path.join(DIR, f))));
  if (!files.includes('cdg-default.json')) errs.push('cdg-default.json missing');
  for (const e of errs) console.error(e);
  if (errs.length) return 1;
  console.log(`check_methodology: ok (${files.join(', ')})`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
