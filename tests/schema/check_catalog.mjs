#!/usr/bin/env node
// Validate the framework catalog in data/framework/ against catalog.schema.json
// (JSON Schema 2020-12, ajv 8) and check the cross-references a schema cannot
// express. Usage:
//   node tests/schema/check_catalog.mjs              check the catalog (exit 0 ok, 1 errors)
//   node tests/schema/check_catalog.mjs --selftest   mutate in-memory copies and assert
//                                                    that every mutation is rejected
//   node tests/schema/check_catalog.mjs --dir DIR    check the catalog in DIR instead
// ajv lives in tests/js/node_modules; ESM ignores NODE_PATH, so it is required
// through a require() anchored at tests/js/package.json.

import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const require = createRequire(new URL('../js/package.json', import.meta.url));
const ajvModule = require('ajv/dist/2020.js');
const Ajv2020 = ajvModule.default ?? ajvModule;
const formatsModule = require('ajv-formats');
const addFormats = formatsModule.default ?? formatsModule;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const DEFAULT_DIR = path.join(REPO, 'data', 'framework');

// kind -> file name and the $def that describes it
export const FILES = {
  norms: { file: 'norms.json', def: 'normsFile' },
  goals: { file: 'goals.json', def: 'goalsFile' },
  indicators: { file: 'indicators.json', def: 'indicatorsFile' },
  survey: { file: 'survey.json', def: 'surveyFile' },
};
const NORM_LETTERS = 'abcdefghijk'.split('');

function relFile(dir, name) {
  const p = path.join(dir, name);
  const r = path.relative(REPO, p);
  return r.startsWith('..') ? p : r;
}

// Read the schema and the four files. A file that cannot be read or parsed is
// reported as an error and left null.
export function loadCatalog(dir = DEFAULT_DIR) {
  const errors = [];
  const read = (name) => {
    const p = path.join(dir, name);
    try {
      return JSON.parse(readFileSync(p, 'utf8'));
    } catch (e) {
      errors.push({ file: relFile(dir, name), id: '-', problem: `cannot read JSON: ${e.message}` });
      return null;
    }
  };
  const cat = { dir, schema: read('catalog.schema.json') };
  for (const [kind, { file }] of Object.entries(FILES)) cat[kind] = read(file);
  return { cat, errors };
}

// Find the id of the innermost object with an "id" on the path to a schema error.
function idAt(doc, instancePath) {
  let node = doc;
  let id = null;
  if (node && typeof node === 'object' && typeof node.id === 'string') id = node.id;
  for (const raw of instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') break;
    node = node[key];
    if (node && typeof node === 'object' && !Array.isArray(node) && typeof node.id === 'string') id = node.id;
  }
  return id;
}

function describeAjvError(e) {
  let msg = `${e.instancePath || '/'} ${e.message}`;
  if (e.keyword === 'enum') msg += ` (${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  else if (e.keyword === 'additionalProperties') msg += ` (${JSON.stringify(e.params.additionalProperty)})`;
  else if (e.keyword === 'const') msg += ` (${JSON.stringify(e.params.allowedValue)})`;
  return msg;
}

let ajvCache = null;
function compileSchema(schema) {
  if (ajvCache && ajvCache.schema === schema) return ajvCache.validators;
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  ajv.addSchema(schema, 'catalog');
  const validators = {};
  for (const [kind, { def }] of Object.entries(FILES)) {
    validators[kind] = ajv.getSchema(`catalog#/$defs/${def}`);
    if (!validators[kind]) throw new Error(`schema has no $defs/${def}`);
  }
  validators.any = ajv.getSchema('catalog');
  ajvCache = { schema, validators };
  return validators;
}

// Validate a loaded catalog. Returns a list of {file, id, problem}.
export function checkCatalog(cat) {
  const errors = [];
  const dir = cat.dir ?? DEFAULT_DIR;
  const fileOf = (kind) => relFile(dir, kind === 'schema' ? 'catalog.schema.json' : FILES[kind].file);
  const err = (kind, id, problem) => errors.push({ file: fileOf(kind), id: id ?? '-', problem });

  if (!cat.schema) {
    err('schema', '-', 'schema missing');
    return errors;
  }
  let validators;
  try {
    validators = compileSchema(cat.schema);
  } catch (e) {
    err('schema', '-', `schema does not compile: ${e.message}`);
    return errors;
  }

  // 1. Schema, file by file; a file that fails its schema is not cross-checked.
  const valid = {};
  for (const kind of Object.keys(FILES)) {
    const doc = cat[kind];
    if (doc == null) {
      err(kind, '-', 'file missing or unreadable');
      valid[kind] = false;
      continue;
    }
    const v = validators[kind];
    valid[kind] = v(doc);
    if (!valid[kind]) {
      for (const e of v.errors) {
        // if/then wrappers repeat the inner error; keep the specific one
        if (e.keyword === 'if') continue;
        err(kind, idAt(doc, e.instancePath), describeAjvError(e));
      }
    } else if (!validators.any(doc)) {
      err(kind, '-', 'file matches its own $def but not exactly one branch of the top-level oneOf');
    }
  }
  if (!Object.values(valid).every(Boolean)) return errors;

  const { norms, goals, indicators, survey } = cat;

  // 2. One catalog version.
  const versions = new Set(Object.keys(FILES).map((k) => cat[k].catalog_version));
  if (versions.size !== 1) {
    for (const k of Object.keys(FILES)) {
      err(k, '-', `catalog_version ${cat[k].catalog_version} differs across files (${[...versions].join(', ')})`);
    }
  }

  // 3. Ids unique across the whole catalog.
  const seen = new Map(); // id -> kind where first seen
  const claim = (kind, id, what) => {
    if (seen.has(id)) err(kind, id, `duplicate id (${what}); already used in ${fileOf(seen.get(id))}`);
    else seen.set(id, kind);
  };
  for (const n of norms.norms) claim('norms', n.id, 'norm');
  for (const g of goals.goals) {
    claim('goals', g.id, 'goal');
    for (const t of g.targets) claim('goals', t.id, 'target');
  }
  for (const i of indicators.indicators) claim('indicators', i.id, 'indicator');
  for (const s of survey.scales) claim('survey', s.id, 'scale');
  for (const q of survey.questions) claim('survey', q.id, 'question');

  // 4. Norms: the 11 letters, in order, paragraph matching the letter.
  const normIds = new Set(norms.norms.map((n) => n.id));
  norms.norms.forEach((n, i) => {
    if (n.paragraph !== `13(${n.id})`) err('norms', n.id, `paragraph ${n.paragraph} does not match id (expected 13(${n.id}))`);
    if (NORM_LETTERS[i] !== n.id) err('norms', n.id, `norm at position ${i + 1} should be ${NORM_LETTERS[i]}`);
  });
  for (const l of NORM_LETTERS) if (!normIds.has(l)) err('norms', l, 'norm missing');
  const shortNames = new Set();
  for (const n of norms.norms) {
    if (shortNames.has(n.short_name)) err('norms', n.id, `duplicate short_name ${n.short_name}`);
    shortNames.add(n.short_name);
  }

  // 5. Goals and targets.
  const goalIds = new Set();
  const targetGoal = new Map(); // target id -> goal id
  for (const g of goals.goals) {
    goalIds.add(g.id);
    for (const nid of g.norms) if (!normIds.has(nid)) err('goals', g.id, `norm ${nid} does not exist`);
    for (const t of g.targets) {
      if (!t.id.startsWith(`${g.id}.`)) err('goals', t.id, `target id does not start with its goal id ${g.id}.`);
      targetGoal.set(t.id, g.id);
    }
  }
  const normsCovered = new Set(goals.goals.flatMap((g) => g.norms));
  for (const nid of normIds) if (!normsCovered.has(nid)) err('goals', nid, `norm ${nid} is not mapped to any goal`);

  // 6. Survey: scales, questions, references.
  const scales = new Map();
  for (const s of survey.scales) {
    scales.set(s.id, s);
    const values = new Set();
    for (const o of s.options) {
      if (values.has(o.value)) err('survey', s.id, `duplicate option value ${o.value}`);
      values.add(o.value);
    }
  }
  const questions = new Map();
  const perNorm = new Map();
  const perGoal = new Map();
  const usedScales = new Set();
  for (const q of survey.questions) {
    questions.set(q.id, q);
    if (!scales.has(q.scale)) err('survey', q.id, `scale ${q.scale} does not exist`);
    usedScales.add(q.scale);
    if (q.norm !== null && !normIds.has(q.norm)) err('survey', q.id, `norm ${q.norm} does not exist`);
    if (q.goal !== null && !goalIds.has(q.goal)) err('survey', q.id, `goal ${q.goal} does not exist`);
    const prefix = q.id.slice(2, q.id.lastIndexOf('-'));
    if (/^[a-k]$/.test(prefix)) {
      if (q.norm !== prefix) err('survey', q.id, `id names norm ${prefix} but norm is ${JSON.stringify(q.norm)}`);
    } else if (q.goal !== prefix) {
      err('survey', q.id, `id names goal ${prefix} but goal is ${JSON.stringify(q.goal)}`);
    }
    if (q.norm !== null) perNorm.set(q.norm, (perNorm.get(q.norm) ?? 0) + 1);
    if (q.goal !== null) perGoal.set(q.goal, (perGoal.get(q.goal) ?? 0) + 1);
  }
  for (const s of survey.scales) if (!usedScales.has(s.id)) err('survey', s.id, 'scale is not used by any question');
  for (const nid of normIds) {
    const c = perNorm.get(nid) ?? 0;
    if (c < 2) err('survey', nid, `norm ${nid} has ${c} question(s); at least 2 required`);
  }
  for (const gid of goalIds) {
    const c = perGoal.get(gid) ?? 0;
    if (c < 2) err('survey', gid, `goal ${gid} has ${c} question(s); at least 2 required`);
  }

  // 7. Indicators.
  const perTarget = new Map();
  const perGoalInd = new Map();
  const questionUse = new Map(); // question id -> indicator id
  for (const ind of indicators.indicators) {
    const { id } = ind;
    if (!targetGoal.has(ind.target)) {
      err('indicators', id, `target ${ind.target} does not exist`);
    } else {
      perTarget.set(ind.target, (perTarget.get(ind.target) ?? 0) + 1);
      const gid = targetGoal.get(ind.target);
      perGoalInd.set(gid, (perGoalInd.get(gid) ?? 0) + 1);
    }
    if (!id.startsWith(`${ind.target}.`)) err('indicators', id, `id does not start with its target ${ind.target}.`);
    const { min, max, target_value: tv } = ind;
    const { lower, upper } = ind.goalposts;
    if (!(min < max)) err('indicators', id, `min ${min} must be below max ${max}`);
    if (!(lower < upper)) err('indicators', id, `goalposts.lower ${lower} must be below goalposts.upper ${upper}`);
    if (lower < min || lower > max) err('indicators', id, `goalposts.lower ${lower} is outside min..max (${min}..${max})`);
    if (upper < min || upper > max) err('indicators', id, `goalposts.upper ${upper} is outside min..max (${min}..${max})`);
    if (tv < min || tv > max) err('indicators', id, `target_value ${tv} is outside min..max (${min}..${max})`);
    for (const qid of ind.questions ?? []) {
      if (!questions.has(qid)) {
        err('indicators', id, `question ${qid} does not exist in survey.json`);
        continue;
      }
      if (questionUse.has(qid)) err('indicators', id, `question ${qid} already feeds indicator ${questionUse.get(qid)}; a question may feed only one indicator`);
      else questionUse.set(qid, id);
      const sc = scales.get(questions.get(qid).scale);
      if (sc && !sc.options.some((o) => typeof o.score === 'number')) err('indicators', id, `question ${qid} uses scale ${sc.id}, which has no scored option`);
    }
  }
  for (const [tid, gid] of targetGoal) {
    if (!perTarget.has(tid)) err('goals', tid, `target of ${gid} has no indicator`);
  }
  for (const gid of goalIds) {
    const c = perGoalInd.get(gid) ?? 0;
    if (c < 2 || c > 5) err('goals', gid, `goal has ${c} indicator(s); 2 to 5 required`);
  }
  return errors;
}

// docs/framework.md must equal what scripts/gen_framework_doc.mjs renders.
async function checkDocs(cat) {
  const gen = path.join(REPO, 'scripts', 'gen_framework_doc.mjs');
  const doc = path.join(REPO, 'docs', 'framework.md');
  if (!existsSync(gen)) return [];
  const { renderFrameworkDoc } = await import(pathToFileURL(gen).href);
  const want = renderFrameworkDoc(cat);
  const have = existsSync(doc) ? readFileSync(doc, 'utf8') : null;
  if (have === want) return [];
  return [{ file: 'docs/framework.md', id: '-', problem: have === null ? 'missing; run node scripts/gen_framework_doc.mjs' : 'out of date with data/framework/; run node scripts/gen_framework_doc.mjs' }];
}

function fmt(e) {
  return `${e.file}: ${e.id}: ${e.problem}`;
}

// ---------------------------------------------------------------- self-test
// Each mutation breaks one rule on a fresh copy; the check must reject it with a
// message containing `expect`.
const MUTATIONS = [
  {
    name: 'indicator points at a missing target',
    expect: 'target CDG99.1 does not exist',
    mutate: (c) => { c.indicators.indicators[0].target = 'CDG99.1'; },
  },
  {
    name: 'duplicate question id',
    expect: 'duplicate id',
    mutate: (c) => { c.survey.questions[1].id = c.survey.questions[0].id; },
  },
  {
    name: 'duplicate target id across goals',
    expect: 'duplicate id',
    mutate: (c) => { c.goals.goals[1].targets[0].id = c.goals.goals[0].targets[0].id; },
  },
  {
    name: 'unknown unit enum',
    expect: 'must be equal to one of the allowed values',
    mutate: (c) => { c.indicators.indicators[0].unit = 'furlongs'; },
  },
  {
    name: 'unknown norm category',
    expect: 'must be equal to one of the allowed values',
    mutate: (c) => { c.norms.norms[0].category = 'offensive'; },
  },
  {
    name: 'category and subcategory disagree',
    expect: 'subcategory',
    mutate: (c) => { c.norms.norms.find((n) => n.category === 'restraint').subcategory = 'cooperation'; },
  },
  {
    name: 'unknown key in a norm',
    expect: 'must NOT have additional properties',
    mutate: (c) => { c.norms.norms[0].extra = 1; },
  },
  {
    name: 'missing required key in an indicator',
    expect: "must have required property 'source'",
    mutate: (c) => { delete c.indicators.indicators[0].source; },
  },
  {
    name: 'bad goal id pattern',
    expect: 'must match pattern',
    mutate: (c) => { c.goals.goals[0].id = 'G1'; },
  },
  {
    name: 'goalpost outside min..max',
    expect: 'outside min..max',
    mutate: (c) => {
      const i = c.indicators.indicators.find((x) => x.unit === 'years');
      i.goalposts.upper = i.max + 1;
    },
  },
  {
    name: 'goalposts reversed',
    expect: 'must be below goalposts.upper',
    mutate: (c) => {
      const i = c.indicators.indicators.find((x) => x.unit === 'years');
      i.goalposts = { lower: i.goalposts.upper, upper: i.goalposts.lower };
    },
  },
  {
    name: 'target_value outside min..max',
    expect: 'target_value',
    mutate: (c) => {
      const i = c.indicators.indicators.find((x) => x.unit === 'count');
      i.target_value = i.max + 10;
    },
  },
  {
    name: 'survey indicator references a missing question',
    expect: 'does not exist in survey.json',
    mutate: (c) => { c.indicators.indicators.find((x) => x.measure === 'survey').questions.push('Q-CDG1-99'); },
  },
  {
    name: 'survey indicator without questions',
    expect: 'must NOT have fewer than 1 items',
    mutate: (c) => { c.indicators.indicators.find((x) => x.measure === 'survey').questions = []; },
  },
  {
    name: 'observation indicator with questions',
    expect: 'must NOT have more than 0 items',
    mutate: (c) => { c.indicators.indicators.find((x) => x.measure === 'observation').questions = ['Q-a-1']; },
  },
  {
    name: 'binary indicator with a range other than 0..1',
    expect: 'must be equal to constant',
    mutate: (c) => { c.indicators.indicators.find((x) => x.unit === 'binary').max = 2; },
  },
  {
    name: 'question shared by two indicators',
    expect: 'may feed only one indicator',
    mutate: (c) => {
      const s = c.indicators.indicators.filter((x) => x.measure === 'survey');
      s[1].questions.push(s[0].questions[0]);
    },
  },
  {
    name: 'indicator id not under its target',
    expect: 'does not start with its target',
    mutate: (c) => {
      const inds = c.indicators.indicators;
      const other = inds.find((x) => x.target !== inds[0].target);
      inds[0].target = other.target;
    },
  },
  {
    name: 'goal maps a norm that is not in norms.json',
    expect: 'norm k does not exist',
    mutate: (c) => { c.norms.norms = c.norms.norms.filter((n) => n.id !== 'k'); },
  },
  {
    name: 'goal maps a malformed norm id',
    expect: 'must match pattern',
    mutate: (c) => { c.goals.goals[0].norms.push('z'); },
  },
  {
    name: 'goal with a single target',
    expect: 'must NOT have fewer than 2 items',
    mutate: (c) => { c.goals.goals[0].targets.splice(1); },
  },
  {
    name: 'norm left with fewer than 2 questions',
    expect: 'at least 2 required',
    mutate: (c) => { c.survey.questions = c.survey.questions.filter((q) => q.norm !== 'k'); },
  },
  {
    name: 'goal left with fewer than 2 questions',
    expect: 'at least 2 required',
    mutate: (c) => { c.survey.questions = c.survey.questions.filter((q) => q.goal !== 'CDG7'); },
  },
  {
    name: 'question with neither norm nor goal',
    expect: 'anyOf',
    mutate: (c) => {
      const q = c.survey.questions.find((x) => x.goal !== null);
      q.norm = null;
      q.goal = null;
    },
  },
  {
    name: 'question id prefix disagrees with its norm',
    expect: 'id names norm',
    mutate: (c) => { c.survey.questions.find((q) => q.id === 'Q-a-1').norm = 'b'; },
  },
  {
    name: 'question uses an unknown scale',
    expect: 'scale nope does not exist',
    mutate: (c) => { c.survey.questions[0].scale = 'nope'; },
  },
  {
    name: 'scale option score above 1',
    expect: 'must be <= 1',
    mutate: (c) => { c.survey.scales[0].options[0].score = 2; },
  },
  {
    name: 'catalog versions differ',
    expect: 'differs across files',
    mutate: (c) => { c.goals.catalog_version = '9.9.9'; },
  },
  {
    name: 'norm paragraph does not match id',
    expect: 'does not match id',
    mutate: (c) => { c.norms.norms[0].paragraph = '13(b)'; },
  },
  {
    name: 'target without an indicator',
    expect: 'has no indicator',
    mutate: (c) => {
      const t = c.indicators.indicators[0].target;
      c.indicators.indicators = c.indicators.indicators.filter((x) => x.target !== t);
    },
  },
];

function selftest(base) {
  let failed = 0;
  const baseErrors = checkCatalog(base);
  if (baseErrors.length) {
    console.error('selftest: the unmodified catalog must pass first:');
    for (const e of baseErrors) console.error(`  ${fmt(e)}`);
    return 1;
  }
  for (const m of MUTATIONS) {
    const c = structuredClone(base);
    m.mutate(c);
    const errs = checkCatalog(c);
    const hit = errs.find((e) => fmt(e).includes(m.expect));
    if (errs.length === 0) {
      failed++;
      console.error(`FAIL ${m.name}: accepted`);
    } else if (!hit) {
      failed++;
      console.error(`FAIL ${m.name}: rejected, but no message contains "${m.expect}":`);
      for (const e of errs) console.error(`    ${fmt(e)}`);
    } else {
      console.log(`ok   ${m.name}: ${fmt(hit)}`);
    }
  }
  console.log(`selftest: ${MUTATIONS.length - failed}/${MUTATIONS.length} mutations rejected as expected`);
  return failed ? 1 : 0;
}

async function main(argv) {
  let dir = DEFAULT_DIR;
  let mode = 'check';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--selftest') mode = 'selftest';
    else if (a === '--dir' && i + 1 < argv.length) dir = path.resolve(argv[++i]);
    else if (a === '-h' || a === '--help') {
      console.log('usage: node tests/schema/check_catalog.mjs [--selftest] [--dir DIR]');
      return 0;
    } else {
      console.error(`check_catalog: unknown argument ${a}`);
      return 2;
    }
  }
  const { cat, errors: loadErrors } = loadCatalog(dir);
  if (loadErrors.length) {
    for (const e of loadErrors) console.error(fmt(e));
    return 1;
  }
  if (mode === 'selftest') return selftest(cat);
  const errors = checkCatalog(cat);
  if (errors.length === 0 && dir === DEFAULT_DIR) errors.push(...(await checkDocs(cat)));
  for (const e of errors) console.error(fmt(e));
  if (errors.length) {
    console.error(`check_catalog: ${errors.length} problem(s)`);
    return 1;
  }
  const n = (k, a) => cat[k][a].length;
  const targets = cat.goals.goals.reduce((s, g) => s + g.targets.length, 0);
  console.log(`check_catalog: ok (${n('norms', 'norms')} norms, ${n('goals', 'goals')} goals, ${targets} targets, ` +
    `${n('indicators', 'indicators')} indicators, ${n('survey', 'questions')} questions)`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    console.error(`check_catalog: ${e.stack ?? e}`);
    process.exitCode = 1;
  });
}
