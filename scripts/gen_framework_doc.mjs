#!/usr/bin/env node
// Generate docs/framework.md from the catalog in data/framework/.
//   node scripts/gen_framework_doc.mjs          write docs/framework.md
//   node scripts/gen_framework_doc.mjs --check  exit 1 if docs/framework.md is stale
// The prose below is part of the published methodology; edit it here, not in the
// generated file. tests/schema/check_catalog.mjs fails when the two disagree.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(REPO, 'data', 'framework');
const OUT = path.join(REPO, 'docs', 'framework.md');

export function loadForDoc(dir = DATA) {
  const read = (f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
  return {
    norms: read('norms.json'),
    goals: read('goals.json'),
    indicators: read('indicators.json'),
    survey: read('survey.json'),
  };
}

const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const num = (x) => (Number.isInteger(x) ? String(x) : String(x));

const UNIT_WORDS = {
  binary: 'binary (0 = no, 1 = yes)',
  score: 'score (0-100)',
  percent: 'percent (0-100)',
  count: 'count',
  years: 'years',
  ratio: 'ratio',
};
const MEASURE_WORDS = {
  survey: 'survey (computed from the State\'s answers)',
  observation: 'observation (entered or imported by an analyst, with its source)',
  registry: 'registry (derived from a cdg registry)',
};
const DIRECTION_WORDS = { higher_is_better: 'higher is better', lower_is_better: 'lower is better' };

function goalpostWords(ind) {
  const { lower, upper } = ind.goalposts;
  if (ind.unit === 'binary') return '0 scores 0, 1 scores 100';
  const lo = `${num(lower)}${lower > ind.min ? ' or less' : ''}`;
  const hi = `${num(upper)}${upper < ind.max ? ' or more' : ''}`;
  const [a, b] = ind.direction === 'higher_is_better' ? [0, 100] : [100, 0];
  return `${lo} scores ${a}, ${hi} scores ${b}, linear in between`;
}
function targetWords(ind) {
  const t = ind.target_value;
  if (ind.unit === 'binary') return 'value 1';
  if (ind.direction === 'higher_is_better') return t >= ind.max ? `${num(t)}` : `${num(t)} or more`;
  return t <= ind.min ? `${num(t)}` : `${num(t)} or less`;
}

export function renderFrameworkDoc(cat) {
  const { norms, goals, indicators, survey } = cat;
  const N = norms.norms;
  const G = goals.goals;
  const I = indicators.indicators;
  const Q = survey.questions;
  const scales = new Map(survey.scales.map((s) => [s.id, s]));
  const qById = new Map(Q.map((q) => [q.id, q]));
  const indByQuestion = new Map();
  for (const ind of I) for (const q of ind.questions ?? []) indByQuestion.set(q, ind.id);
  const targets = G.flatMap((g) => g.targets.map((t) => ({ ...t, goal: g.id })));
  const byMeasure = (m) => I.filter((i) => i.measure === m).length;
  const goalsOfNorm = (nid) => G.filter((g) => g.norms.includes(nid)).map((g) => g.id);
  const qCount = (pred) => Q.filter(pred).length;

  const L = [];
  const p = (...lines) => L.push(...lines);

  p('# The framework: norms, Cyber Development Goals, indicators and survey', '');
  p(`Catalog version ${norms.catalog_version}. This page is generated from \`data/framework/*.json\` by`,
    '`scripts/gen_framework_doc.mjs`; do not edit it by hand. The JSON files are the',
    'authoritative text; `tests/schema/check_catalog.mjs` checks them against',
    '`data/framework/catalog.schema.json` and checks that this page is up to date.', '');
  p(`In numbers: ${N.length} norms, ${G.length} goals, ${targets.length} targets, ${I.length} indicators ` +
    `(${byMeasure('survey')} survey, ${byMeasure('observation')} observation, ${byMeasure('registry')} registry) ` +
    `and ${Q.length} survey questions.`, '');

  p('## 1. What the framework is', '');
  p('cdg measures each State against a common implementation framework for the agreed rules of',
    'responsible State behaviour in cyberspace. The framework has four layers:', '',
    '1. **Norms**: the 11 voluntary norms of paragraph 13 (a) to (k) of the 2015 report of the UN',
    '   Group of Governmental Experts (A/70/174), which GA resolution 70/237 calls on States to be',
    '   guided by. They are given here in our own paraphrase, not in UN wording.',
    '2. **Cyber Development Goals (CDGs)**: what a State needs in place, at national level, to',
    '   implement the norms and international law. The idea and the first seven goals come from ICC',
    '   Cybersecurity Issue Brief #2, which proposes goals modelled on the Sustainable Development',
    '   Goals; four more goals are added from the same brief and the other sources listed below.',
    '3. **Targets and indicators**: each goal has 2 to 4 targets, and each target at least one',
    '   measurable indicator with a unit, a direction, goalposts, a target value, a rule and a source.',
    '4. **The national implementation survey**: a questionnaire answered by a State\'s focal point,',
    '   norm by norm and goal by goal, with evidence, challenges and capacity needs. Survey',
    '   indicators are computed from its answers.', '');

  p('### Sources', '');
  p('Every goal and every claim about a source on this page rests on these documents:', '',
    '- **ICC Cybersecurity Issue Brief #2**, "Implementing norms and rules for responsible state',
    '  behaviour in cyberspace and enhancing cooperation to counter cybercrime" (International',
    '  Chamber of Commerce). Sidebar 3 ("Towards establishing Cyber Development Goals") lists seven',
    '  candidate goals; sidebar 1 asks States to publish their views on how international law',
    '  applies; Part 1 asks for attribution standards, published deterrence doctrines, calling out',
    '  violations, systematic reporting through a national survey of implementation (welcoming the',
    '  proposal by Canada, Mexico, Australia and others) and meaningful participation of all',
    '  stakeholders; Part 2 sets principles for cybercrime provisions.',
    '- **IGF messages**, "Empowering global cooperation on cybersecurity for sustainable development',
    '  and peace" (Internet Governance Forum): capacity building that also reaches individuals,',
    '  multistakeholder cooperation, clarity on how international law applies, awareness of the norms.',
    '- **Cybersecurity Tech Accord**, response to the IGF Best Practices Forum on Cybersecurity:',
    '  the roles of industry and the technical community, and the different ability of initiatives',
    '  to compel compliance.',
    '- **Microsoft, "In it together - Developing cybernorms is a shared responsibility"**: the split',
    '  of norms into offensive (self-restraint), defensive (cooperation and protection) and ICT',
    '  industry norms used for the norm categories.',
    '- **A/70/174** (https://undocs.org/A/70/174): the 2015 GGE report, paragraph 13.',
    '- **UNIDIR National Cyber Survey** instructions',
    '  (https://nationalcybersurvey.cyberpolicyportal.org/instructions/): an online survey in four',
    '  parts (international law; norms; confidence-building measures; capacity building) that asks',
    '  States to list measures taken and to name challenges and capacity gaps, invites them to',
    '  answer every 12 to 24 months, makes no question mandatory, and lets States publish their',
    '  responses on UNIDIR\'s Cyber Policy Portal. Our questionnaire borrows this structure',
    '  (measures, evidence, challenges and needs; a two-year cycle) but not its text.',
    '- **shared/data/** reference datasets, each row with its own source: `gge_norms_2015.csv`,',
    '  `national_csirts.csv`, `national_positions_il.csv`, `budapest_convention.csv`,',
    '  `attributions_2017_2020.csv` (see `shared/data/README.md` for coverage and caveats).', '');

  p('## 2. The norms and their categories', '');
  p('Each norm has a **category** and a finer **subcategory**. The categories follow the split',
    'in the Microsoft paper: norms of **restraint** ask a State not to do something (the paper',
    'calls them offensive norms, meaning norms by which governments agree not to take certain',
    'actions); norms of **cooperation and protection** ask a State to act, alone or',
    'with others, to defend ICT systems and respond to incidents (the paper\'s defensive norms);',
    '**industry** norms are commitments of the ICT industry itself, such as not tolerating back',
    'doors and not withholding patches.', '',
    'We assign the category by how paragraph 13 phrases each norm: the three norms phrased as',
    'what a State should not do (c, f, k) are restraint norms; the eight phrased as what a State',
    'should do are cooperation and protection norms, split into cooperation with others',
    '(a, b, d, h, j) and protection of systems, users and rights (e, g, i). None of the 11 GGE norms',
    'is an industry norm; the category exists so that industry commitments can be shown beside',
    'State norms elsewhere in cdg.', '',
    'Why categorise at all: the paper argues that separating the kinds of norms matches each norm',
    'with the right stakeholders. It notes that defensive norms fall to civilian agencies such as',
    'law enforcement and CERTs, and that the ICT industry must develop norms of its own. We add a',
    'measurement reason: restraint can only be observed through public commitments, oversight',
    'and behaviour, while cooperation and protection can be built through capacity building. The',
    'catalog therefore records a category for every norm, so that results can be read by category.', '');
  p('| norm | title | category | subcategory | goals | questions | paraphrase |',
    '| --- | --- | --- | --- | --- | --- | --- |');
  for (const n of N) {
    p(`| ${n.paragraph} | ${cell(n.title)} | ${n.category} | ${n.subcategory} | ${goalsOfNorm(n.id).join(', ')} | ` +
      `${qCount((q) => q.norm === n.id)} | ${cell(n.paraphrase)} |`);
  }
  p('', 'All norms: source https://undocs.org/A/70/174 (paragraph 13). "goals" lists the goals that',
    'map the norm; "questions" counts the survey questions about it.', '');

  p('## 3. The Cyber Development Goals', '');
  p('| goal | title | norms | targets | indicators |', '| --- | --- | --- | --- | --- |');
  for (const g of G) {
    const ni = I.filter((i) => i.target.startsWith(`${g.id}.`)).length;
    p(`| ${g.id} | ${cell(g.title)} | ${g.norms.join(', ')} | ${g.targets.length} | ${ni} |`);
  }
  p('', 'CDG1 to CDG7 are the seven goals of sidebar 3 of the ICC brief, in its order. CDG8 to',
    'CDG11 are added; each one\'s rationale below says which source argues for it.', '');

  for (const g of G) {
    p(`### ${g.id}: ${g.title}`, '');
    p(`**What it asks.** ${g.description}`, '');
    p(`**Origin.** ${g.origin}.`, '');
    p(`**Why it belongs to the minimum framework.** ${g.rationale}`, '');
    p(`**Norms it helps implement.** ${g.norms.map((nid) => {
      const n = N.find((x) => x.id === nid);
      return n ? `${n.paragraph} ${n.title}` : nid;
    }).join('; ')}.`, '');
    for (const t of g.targets) {
      p(`#### Target ${t.id}: ${t.title}`, '', t.description, '');
      for (const ind of I.filter((i) => i.target === t.id)) {
        p(`**Indicator ${ind.id}: ${ind.name}**`, '');
        p(`- What: ${ind.description}`);
        p(`- Unit: ${UNIT_WORDS[ind.unit]}; ${DIRECTION_WORDS[ind.direction]}; admissible range ${num(ind.min)} to ${num(ind.max)}.`);
        p(`- Goalposts: ${goalpostWords(ind)}. Target met at ${targetWords(ind)}.`);
        p(`- Measure: ${MEASURE_WORDS[ind.measure]}.`);
        if (ind.questions && ind.questions.length) p(`- Questions: ${ind.questions.join(', ')}.`);
        p(`- Rule: ${ind.rule}`);
        p(`- Evidence required: ${ind.evidence}`);
        p(`- Source: ${ind.source}`);
        p(`- Public evidence: ${ind.public_evidence.measurable}. ${ind.public_evidence.how}`);
        if (ind.self_report) p(`- The State's own report: ${ind.self_report}, kept beside the desk-research value; a disagreement is shown.`);
        p('');
      }
    }
  }

  p('## 4. From values to scores', '');
  p('Each indicator value is first checked against the admissible range `min..max`; a value',
    'outside it is rejected on import. It is then normalised to 0-100 with the goalposts, where',
    '`lower` is always the numerically smaller goalpost:', '',
    '- higher is better: score = 100 x (v - lower) / (upper - lower)',
    '- lower is better: score = 100 x (upper - v) / (upper - lower)', '',
    'with v first clamped to `lower..upper`, so values beyond a goalpost score 0 or 100. A target',
    'is met when the value reaches `target_value` (at or above it when higher is better, at or',
    'below it when lower is better). An indicator without a value is missing, never 0: the rules',
    'above say when a value is missing. How normalised indicators are combined into goal scores',
    'and the country index is set by the methodology of each index edition, which is stored with',
    'the edition.', '');

  p('## 5. How survey answers become indicator values', '');
  p('Every question is answered on one of these scales. Each option has a score between 0 and 1,',
    'or no score (null) when the answer takes no part in scoring.', '');
  for (const s of survey.scales) {
    p(`- \`${s.id}\`: ${s.options.map((o) => `${o.label} = ${o.score === null ? 'no score' : num(o.score)}`).join('; ')}.`);
  }
  p('', 'A survey indicator (unit: score) is computed from the questions it lists:', '',
    '1. Take the State\'s latest response submitted within the 24 months before the reference date.',
    '2. For each listed question, take the score of the chosen option. "Not applicable" and',
    '   "Don\'t know" have no score and are left out, as is an unanswered question.',
    '3. A positive answer (score above 0) to a question marked *evidence: required* that carries',
    '   no link or document is treated as unanswered: claims must be checkable.',
    '4. The value is 100 x the mean of the remaining scores, provided at least half of the listed',
    '   questions (rounded up) have a score; otherwise the indicator has no value.', '',
    'Not applicable is only allowed where a question\'s help text allows it: typically when the',
    'situation the question asks about did not arise (no request for assistance was received, no',
    'attribution was made). Where a measure the goal asks for is simply absent (no strategy, no',
    'doctrine, no national position), the answer is No, so that absence scores 0 rather than',
    'disappearing from the mean. Answering "Don\'t know" protects no one: it lowers the',
    'completeness indicator CDG9.2.1 and can leave an indicator without a value.', '',
    'Each question feeds at most one indicator, so that no answer counts twice. Questions that feed',
    'no indicator are still asked: some point analysts to published documents that are then',
    'verified as observations (a State\'s own "yes" does not by itself make a published strategy,',
    'attribution standard, doctrine or legal position count), and the others inform the country',
    'profile, the gaps view and the matching of capacity-building needs.', '');

  p('## 6. Data caveats', '');
  p('- In shared/data an empty cell means "not verified", never "no". The indicator rules follow',
    '  this: a binary observation or registry indicator is 0 only when an analyst has recorded a',
    '  verified absence with its source; a State merely missing from a partial dataset has no value.',
    '  The exception is CDG9.1.1, because survey responses are submitted through cdg itself.',
    '- `national_csirts.csv` covers 35 States (the EU-27 from ENISA\'s CSIRTs Network repository and',
    '  eight from a community directory); the ICC brief, citing ITU, counts 118 of 192 UN member',
    '  states with a national CSIRT, so most values of CDG2.1.1 must still be entered from the ITU',
    '  list or official sources.',
    '- `budapest_convention.csv` has ETS 185 ratification or entry-into-force dates for only 24 of',
    '  its 67 rows; 33 rows are marked party only because the State signed the Second Additional',
    '  Protocol. Only dated rows count for CDG4.3.1 until the others are checked against the',
    '  Council of Europe Treaty Office chart. Being a Party is one legal basis for cooperation',
    '  among others; CDG4.3.2 measures the legal basis whatever the treaty.',
    '- `national_positions_il.csv` lists 28 documents of 24 States; the Cyber Law Toolkit lists',
    '  more than 30 States. Some titles are not verified; those positions rest on the toolkit\'s list.',
    '- `attributions_2017_2020.csv` records only what each statement itself names as the norm or',
    '  law breached; mappings to GGE norms marked "cf." are the dataset\'s and do not count for',
    '  CDG6.2.1. Several rows rely on press reports of the official statement.', '');

  p('## 7. What the index deliberately does not score', '');
  p('- **Being named in other States\' attributions.** The attribution registry records who',
    '  attributed what to whom, on what evidence and invoking which norm, and cdg publishes',
    '  it. But an attribution is a claim by other States, not an adjudicated finding, and few',
    '  States attribute publicly (the 22 statements in the seed dataset come from 8 States and the',
    '  EU); scoring it would make the index depend on who has the capacity and the will to',
    '  attribute. The index scores what a State does to implement the',
    '  framework and how transparent it is (CDG6, CDG7, CDG9), not accusations against it.',
    '- **The number of attributions a State makes.** Attributing more often is not in itself better',
    '  behaviour; CDG6.2.1 measures the quality of the attributions a State does make, and a State',
    '  that makes none is not penalised.',
    '- **Cyber capabilities.** The norms do not address whether a State holds cyber capabilities,',
    '  so the index does not either; CDG10.2 asks only for public restraint commitments and legal',
    '  oversight of any capabilities a State has.', '');

  p('## 8. The questionnaire', '');
  if (survey.instructions) p(`**Instructions to respondents.** ${survey.instructions}`, '');
  p(`${Q.length} questions: ${qCount((q) => q.norm !== null && q.goal === null)} about a norm only, ` +
    `${qCount((q) => q.norm === null && q.goal !== null)} about a goal only, ` +
    `${qCount((q) => q.norm !== null && q.goal !== null)} about both. ` +
    'Every norm and every goal has at least two questions. "Feeds" names the indicator computed',
    'from the question, if any.', '');
  let section = null;
  for (const q of Q) {
    if (q.section !== section) {
      section = q.section;
      p(`### ${section}`, '');
    }
    const about = [q.norm ? `norm ${q.norm}` : null, q.goal ? q.goal : null].filter(Boolean).join(', ');
    const sc = scales.get(q.scale);
    const extras = [
      `scale \`${sc ? sc.id : q.scale}\``,
      `evidence ${q.evidence}`,
      q.free_text ? 'comment box' : null,
      q.capacity_needs ? 'capacity needs asked' : null,
      `feeds ${indByQuestion.get(q.id) ?? 'no indicator'}`,
    ].filter(Boolean).join('; ');
    p(`**${q.id}** (${about}). ${q.text}`, '');
    p(`- Guidance: ${q.help}`);
    p(`- ${extras}.`, '');
  }

  p('## 9. Coverage of the norms by the goals', '');
  p(`| goal | ${N.map((n) => n.id).join(' | ')} |`, `| --- | ${N.map(() => '---').join(' | ')} |`);
  for (const g of G) p(`| ${g.id} | ${N.map((n) => (g.norms.includes(n.id) ? 'x' : '')).join(' | ')} |`);
  p('');

  p('## 10. Changing the framework', '');
  p('Ids are stable: a retired goal, target, indicator or question keeps its id out of use rather',
    'than being renumbered, so that past editions stay comparable. Any change to the JSON raises',
    '`catalog_version` in all four files, is checked with `node tests/schema/check_catalog.mjs`',
    '(and `--selftest`), and regenerates this page with `node scripts/gen_framework_doc.mjs`.',
    'Published index editions keep the catalog version they were computed with.', '');
  // unused helper guard: every question an indicator lists must exist
  for (const ind of I) for (const q of ind.questions ?? []) if (!qById.has(q)) throw new Error(`${ind.id}: unknown question ${q}`);
  return L.join('\n');
}

async function main(argv) {
  const check = argv.includes('--check');
  const text = renderFrameworkDoc(loadForDoc());
  if (check) {
    const have = existsSync(OUT) ? readFileSync(OUT, 'utf8') : null;
    if (have !== text) {
      console.error('docs/framework.md is out of date; run node scripts/gen_framework_doc.mjs');
      return 1;
    }
    console.log('docs/framework.md is up to date');
    return 0;
  }
  writeFileSync(OUT, text);
  console.log(`wrote ${path.relative(REPO, OUT)}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((c) => { process.exitCode = c; });
}
