// The timeline of public attributions: per year, a bar of the attributions
// made that year, stacked by the State attributed (the five most attributed
// each with a colour, the rest as "other States", none named as "no State
// named").  An SVG with labelled axes, a title and a description for screen
// readers, and the same figures as a table.
import { el } from './common.js';

const NS = 'http://www.w3.org/2000/svg';
const COLOURS = ['#1f5f99', '#b8431c', '#2f7d32', '#7b3f98', '#8a6d00'];
const OTHER = '#9aa3ad', NONE = '#d4d8dc';

function svg(tag, attrs, ...kids) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
}

// attributions: objects with date ("YYYY..." or null) and attributed_iso3;
// names: iso3 -> name.  Undated attributions are left out (and counted in
// the description).  Returns a <figure>.
export function timeline(attributions, names, caption) {
  const dated = attributions.filter((a) => /^\d{4}/.test(a.date || ''));
  const key = (a) => a.attributed_iso3 || '';
  const perState = new Map();
  for (const a of dated) perState.set(key(a), (perState.get(key(a)) || 0) + 1);
  const top = [...perState.entries()].filter(([k]) => k).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, COLOURS.length).map(([k]) => k);
  const series = [...top.map((k, i) => ({ key: k, label: names[k] || k, colour: COLOURS[i] })),
    { key: '*', label: 'other States', colour: OTHER }, { key: '', label: 'no State named', colour: NONE }];
  const seriesOf = (a) => (top.includes(key(a)) ? key(a) : key(a) ? '*' : '');
  const years = dated.map((a) => Number(a.date.slice(0, 4)));
  const first = Math.min(...years), last = Math.max(...years);
  const rows = [];
  for (let y = first; y <= last && years.length; y++) {
    const of = dated.filter((a) => Number(a.date.slice(0, 4)) === y);
    rows.push({ year: y, total: of.length, counts: Object.fromEntries(series.map((s) => [s.key, of.filter((a) => seriesOf(a) === s.key).length])) });
  }
  const used = series.filter((s) => rows.some((r) => r.counts[s.key]));
  const max = Math.max(1, ...rows.map((r) => r.total));
  const W = 640, H = 240, L = 44, R = 10, T = 12, B = 44;
  const bw = rows.length ? (W - L - R) / rows.length : 0;
  const y = (v) => T + (H - T - B) * (1 - v / max);
  const step = Math.max(1, Math.ceil(max / 5));
  const id = `tl-${Math.random().toString(36).slice(2, 8)}`;
  const desc = `${dated.length} dated attribution${dated.length === 1 ? '' : 's'}${rows.length ? ` from ${first} to ${last}` : ''}` +
    (attributions.length > dated.length ? `; ${attributions.length - dated.length} undated, not shown` : '') + '.';
  const chart = svg('svg', { class: 'timeline', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${id}-t ${id}-d` },
    svg('title', { id: `${id}-t` }, caption), svg('desc', { id: `${id}-d` }, desc));
  for (let v = 0; v <= max; v += step) {
    chart.append(svg('line', { class: 'axis', x1: L - 4, x2: L, y1: y(v), y2: y(v) }),
      svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  }
  chart.append(svg('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }),
    svg('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }),
    svg('text', { x: 12, y: (T + H - B) / 2, transform: `rotate(-90 12 ${(T + H - B) / 2})`, 'text-anchor': 'middle' }, 'Attributions'),
    svg('text', { x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle' }, 'Year of the attribution'));
  const labelEvery = Math.ceil(rows.length / 12);
  rows.forEach((r, i) => {
    const g = svg('g', { class: 'year', 'data-year': r.year, 'data-count': r.total });
    let base = 0;
    for (const s of used) {
      const n = r.counts[s.key];
      if (!n) continue;
      g.append(svg('rect', { x: L + i * bw + bw * 0.15, width: bw * 0.7, y: y(base + n), height: y(base) - y(base + n), fill: s.colour },
        svg('title', {}, `${r.year}: ${n} attributing ${s.label}`)));
      base += n;
    }
    if (i % labelEvery === 0) g.append(svg('text', { x: L + i * bw + bw / 2, y: H - B + 14, 'text-anchor': 'middle' }, String(r.year)));
    chart.append(g);
  });
  const legend = el('p', { class: 'timeline-legend' }, ...used.map((s) => el('span', {}, svg('svg', { width: 12, height: 12, 'aria-hidden': 'true' }, svg('rect', { width: 12, height: 12, fill: s.colour })), ' ', s.label)));
  const table = el('table', {}, el('caption', {}, 'Attributions per year by State attributed'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Year'), ...used.map((s) => el('th', { scope: 'col' }, s.label)), el('th', { scope: 'col' }, 'Total'))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, el('th', { scope: 'row' }, String(r.year)),
      ...used.map((s) => el('td', { class: 'num' }, String(r.counts[s.key]))), el('td', { class: 'num' }, String(r.total))))));
  return el('figure', { class: 'timeline-figure' }, chart, legend,
    el('figcaption', {}, `${caption}. ${desc}`),
    el('details', {}, el('summary', {}, 'The figures as a table'), table));
}
