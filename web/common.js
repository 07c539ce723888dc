// Shared helpers of the cdg pages: DOM building and the JSON API.
export const $ = (sel) => document.querySelector(sel);

export function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== undefined && k !== null) e.append(k);
  return e;
}

export async function api(path) {
  const r = await fetch(`/api/v1/${path}`, { headers: { Accept: 'application/json' } });
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
  return body;
}

// Every page of a paged list endpoint, concatenated.
export async function all(path) {
  const sep = path.includes('?') ? '&' : '?';
  let page = 1, items = [];
  for (;;) {
    const r = await api(`${path}${sep}per_page=1000&page=${page}`);
    items = items.concat(r.items);
    if (items.length >= r.total || r.items.length === 0) return items;
    page++;
  }
}

export function fail(err) {
  const s = $('#status');
  s.textContent = `Could not load data: ${err.message}`;
  s.className = 'error';
}

export const RATING_LABEL = {
  achieved: 'achieved', challenges_remain: 'challenges remain',
  significant_challenges: 'significant challenges', major_challenges: 'major challenges',
  no_data: 'no data',
};
export const TREND_LABEL = {
  on_track: '↑ on track', moderately_improving: '↗ moderately improving',
  stagnating: '→ stagnating', decreasing: '↓ decreasing', no_trend: '· no trend data',
};

export function isoFromPage() {
  const p = new URLSearchParams(location.search).get('iso3') || '';
  return /^[A-Z]{3}$/.test(p) ? p : null;
}
