#!/usr/bin/env node
// compare.mjs R.csv EXPECTED.csv score|rank
// Compares cdg's long-form results (unit,node,score,rank,...) with a wide
// COINr table (uCode, then one column per indicator or aggregate): every
// cell of EXPECTED whose column is a node of R must agree within 1e-9
// (absolute, or relative when |expected| > 1); an empty (NA) cell must be
// empty in R and the other way round. Prints the number of values and the
// largest error; exits 1 on any disagreement, a missing unit or node, or
// nothing compared.
import { readFileSync } from 'node:fs';

const TOL = 1e-9;
// RFC 4180 lines without embedded newlines (true of these files).
function parse(text) {
  return text.split(/\r?\n/).filter((l) => l.length).map((line) => {
    const out = [];
    let cur = '', q = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (q) {
        if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c;
      } else if (c === '"') q = true;
      else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
    }
    out.push(cur);
    return out;
  });
}

const [rPath, ePath, what] = process.argv.slice(2);
if (!rPath || !ePath || !['score', 'rank'].includes(what)) {
  console.error('usage: compare.mjs R.csv EXPECTED.csv score|rank');
  process.exit(2);
}
const R = parse(readFileSync(rPath, 'utf8'));
const rh = R[0];
const iu = rh.indexOf('unit'), inode = rh.indexOf('node'), iv = rh.indexOf(what);
if (iu < 0 || inode < 0 || iv < 0) { console.error(`${rPath}: header lacks unit,node,${what}`); process.exit(1); }
const got = new Map();
const nodes = new Set();
for (const row of R.slice(1)) { got.set(`${row[iu]}\u0000${row[inode]}`, row[iv]); nodes.add(row[inode]); }

const E = parse(readFileSync(ePath, 'utf8'));
const eh = E[0];
const ucol = eh.indexOf('uCode');
let n = 0, max = 0, bad = 0;
for (const row of E.slice(1)) {
  const unit = row[ucol];
  for (let j = 0; j < eh.length; j++) {
    const node = eh[j];
    if (j === ucol || !nodes.has(node)) continue;
    const key = `${unit}\u0000${node}`;
    if (!got.has(key)) { if (bad++ < 5) console.error(`${unit}/${node}: missing from ${rPath}`); continue; }
    const g = got.get(key), w = row[j];
    n++;
    const gNA = g === '' || g === 'NA', wNA = w === '' || w === 'NA';
    if (gNA || wNA) {
      if (gNA !== wNA && bad++ < 5) console.error(`${unit}/${node}: got '${g}', want '${w}'`);
      continue;
    }
    const gv = Number(g), wv = Number(w);
    const d = Math.abs(gv - wv) / (Math.abs(wv) > 1 ? Math.abs(wv) : 1);
    if (!(d <= TOL)) { if (bad++ < 5) console.error(`${unit}/${node}: got ${g}, want ${w}`); continue; }
    if (d > max) max = d;
  }
}
console.log(`${ePath.split('/').pop()}: ${n} ${what}s compared, max error ${max.toExponential(2)}${bad ? `, ${bad} BAD` : ''}`);
process.exit(bad || n === 0 ? 1 : 0);
