#!/usr/bin/env node
// sobol_hand.mjs SEED N COUNTS LIVE Y0,Y1,...
// The Sobol indices `cdg index run --sobol N` must print for a model whose
// output is known by hand: the output of a run is Y[k] when the choice of
// factor LIVE is alternative k, whatever the other choices.  COUNTS gives
// the alternatives of each uncertain choice in the engine's order, e.g.
// "impute=1,winmax=2,normalisation=1,weights=1,aggregation=2".
//
// Written from docs/index-engine.md, independently of src/index/mc.c: run r
// draws choice f from the xoshiro256** stream seeded (SplitMix64) by the
// key (seed, r, f); Saltelli's design takes A = runs 0..N-1, B = runs
// N..2N-1, AB_i = A with choice i from B; Si = mean(yB (yABi - yA)) / V,
// STi = sum((yA - yABi)^2) / (2 N V), V the sample variance of (yA, yB).
// Prints factor,si,sti for each choice with more than one alternative.
const M = (1n << 64n) - 1n;
const G = 0x9e3779b97f4a7c15n;
const mix = (z) => {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
  return z ^ (z >> 31n);
};
const key = (seed, a, b) => {
  let k = mix((seed + G) & M);
  k = mix(k ^ mix((a + 2n * G) & M));
  return mix(k ^ mix((b + 3n * G) & M));
};
const rotl = (x, k) => ((x << BigInt(k)) | (x >> BigInt(64 - k))) & M;
function unif(k) {
  const s = [];
  let z = k;
  for (let i = 0; i < 4; i++) { z = (z + G) & M; s.push(mix(z)); }
  const r = (rotl((s[1] * 5n) & M, 7) * 9n) & M;
  return Number(r >> 11n) * 2 ** -53;
}
const pick = (k, n) => Math.min(Math.floor(unif(k) * n), n - 1);

const [seedS, nS, countsS, live, ysS] = process.argv.slice(2);
if (!ysS) {
  console.error('usage: sobol_hand.mjs SEED N COUNTS LIVE Y0,Y1,...');
  process.exit(2);
}
const seed = BigInt(seedS), N = Number(nS), ys = ysS.split(',').map(Number);
const names = ['impute', 'winmax', 'normalisation', 'weights', 'aggregation'];
const counts = Object.fromEntries(countsS.split(',').map((p) => p.split('=')).map(([k, v]) => [k, Number(v)]));
const factors = names.map((f, i) => i).filter((i) => counts[names[i]] > 1);
const L = names.indexOf(live);
const keys = (row) => names.map((f, i) => key(seed, BigInt(row), BigInt(i)));
const y = (ks) => ys[pick(ks[L], counts[live])];

const yA = [], yB = [], yAB = factors.map(() => []);
for (let j = 0; j < N; j++) {
  const a = keys(j), b = keys(N + j);
  yA.push(y(a));
  yB.push(y(b));
  factors.forEach((f, i) => { const ab = a.slice(); ab[f] = b[f]; yAB[i].push(y(ab)); });
}
const all = yA.concat(yB);
let mean = 0;
for (const v of all) mean += v;
mean /= 2 * N;
let ss = 0;
for (const v of all) ss += (v - mean) * (v - mean);
const V = ss / (2 * N - 1);
console.log('factor,si,sti');
factors.forEach((f, i) => {
  let a = 0, b = 0;
  for (let j = 0; j < N; j++) {
    a += yB[j] * (yAB[i][j] - yA[j]);
    b += (yA[j] - yAB[i][j]) * (yA[j] - yAB[i][j]);
  }
  console.log(`${names[f]},${a / N / V},${b / (2 * N * V)}`);
});
