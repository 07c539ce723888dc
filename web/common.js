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

// A write through the JSON API: the session cookie goes with it, and the
// session's CSRF token goes in its header (csrf, else the one this tab
// kept from sign-in or from account()).
export async function send(method, path, body, csrf) {
  const r = await fetch(`/api/v1/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf || sessionStorage.getItem('cdg_csrf') || '' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const j = await r.json();
  if (!r.ok) {
    // The error carries the refused input's faults, to place each one.
    const err = new Error(errorText(j, r.statusText));
    err.faults = j.error?.faults || [];
    throw err;
  }
  return j;
}

// The account this browser is signed in as (GET /api/v1/me), or null.  A
// session's CSRF token comes with it and is kept for this tab, so a tab
// opened after signing in elsewhere can write too.
export async function account() {
  try {
    const me = await api('me');
    if (me.csrf) sessionStorage.setItem('cdg_csrf', me.csrf);
    return me;
  } catch { return null; }
}

// Wires the page's sign-in form (#login with #name, #password) and its
// #logout button: signing in keeps the session's CSRF token for this tab
// (sessionStorage) and calls onSignedIn with the account; a refusal goes to
// onError; signing out ends the session and reloads the page.
export function wireAccount(onSignedIn, onError) {
  $('#login').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await send('POST', 'login', { name: $('#name').value, password: $('#password').value });
      sessionStorage.setItem('cdg_csrf', r.csrf);
      await onSignedIn(r);
    } catch (e) { onError(e); }
  });
  $('#logout').addEventListener('click', async () => {
    await send('POST', 'logout', undefined, sessionStorage.getItem('cdg_csrf') || '');
    sessionStorage.removeItem('cdg_csrf');
    location.reload();
  });
}

// An API error as text: the message, then every fault of a refused input
// ("line 3, field year: 2999 is in the future"), one per line.
export function errorText(j, fallback) {
  if (!j || !j.error) return fallback;
  const faults = (j.error.faults || []).map((f) =>
    [f.line ? `line ${f.line}` : '', f.field ? `field ${f.field}` : ''].filter(Boolean).join(', ') +
    (f.line || f.field ? ': ' : '') + f.message);
  return faults.length > 1 ? [j.error.message, ...faults].join('\n') : j.error.message;
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

// A page's "Download" block: links to the public API answers behind what
// the page shows, as files (?format=csv or json, and SDMX-CSV or STIX 2.1
// where they apply) that the server names, e.g. cdg-2025-ranking.csv; doc
// is the methodology page behind the figures ([title, '/docs/NAME']).
// files: [[label, url], ...]; box: the element that holds the block.
export function downloadBlock(box, files, doc) {
  box.classList.add('get-data');
  box.replaceChildren(el('span', { class: 'get-data-h' }, 'Download: '),
    ...files.flatMap(([label, href], i) => [i ? ' · ' : '',
      el('a', { href, download: '', 'data-format': label }, label)]),
    ...(doc ? [' — method: ', el('a', { href: doc[1], class: 'method' }, doc[0])] : []));
  box.hidden = false;
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
// What kind of evidence a value is (docs/public-evidence.md).
export const SOURCE_TYPE_LABEL = {
  self_reported: '· self-reported', desk_research: '· desk research', derived: '· derived',
};
export const TREND_LABEL = {
  on_track: '↑ on track', moderately_improving: '↗ moderately improving',
  stagnating: '→ stagnating', decreasing: '↓ decreasing', no_trend: '· no trend data',
};

export function isoFromPage() {
  const p = new URLSearchParams(location.search).get('iso3') || '';
  return /^[A-Za-z]{3}$/.test(p) ? p.toUpperCase() : null;
}

// Forum monitoring (docs/forum.md): the summary line and one table row per
// action; extra(action) may add cells (forms) to a row.
export const ACTION_STATUS = { agreed: 'agreed, not started', in_progress: 'in progress', done: 'done' };

export function monitorSummary(m) {
  const s = m.summary;
  return `${s.agreed} agreed · ${s.done} done · ${s.in_progress} in progress · ` +
    `${s.not_started} not started · ${s.overdue} overdue (as of ${m.today})`;
}

export function monitorRows(m, extra) {
  return m.actions.map((a) => el('tr', { id: `action-${a.id}`, 'data-status': a.status },
    el('td', { 'data-label': 'Action' }, `A${a.id} ${a.title}`, a.note ? el('div', { class: 'muted' }, a.note) : null),
    el('td', { 'data-label': 'Owner' }, a.owner_name, a.owner_country ? ` (${a.owner_country})` : ''),
    el('td', { class: 'date', 'data-label': 'Deadline' }, a.deadline),
    el('td', { class: `s-${a.status}`, 'data-label': 'Status' }, ACTION_STATUS[a.status] || a.status,
      a.overdue ? el('span', { class: 'overdue' }, ' overdue') : null,
      ...(extra ? [extra(a)] : [])),
    el('td', { 'data-label': 'Decision' }, el('a', { href: `/forum.html#decision-${a.decision}` }, `D${a.decision}`))));
}

// ---- finding a State, on every page ------------------------------------------
// A name as the search compares it: no diacritics, no case, letters and
// digits only ("Côte d'Ivoire" is "cotedivoire").
export function fold(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

let statesOnce = null;
// Every State (GET /api/v1/countries), asked once per page.
export function states() {
  statesOnce = statesOnce || all('countries');
  return statesOnce;
}

// The site navigation gets a search box (names and codes in any case,
// with or without diacritics, resolved by the server's name matcher
// through GET /api/v1/countries/resolve) with suggestions of the States
// whose name or code starts with what is typed, and a link to the A-Z
// list of States (/country.html with no code).
function siteSearch() {
  const ul = document.querySelector('nav.site ul');
  if (!ul || document.getElementById('state-search')) return;
  // "Norms" is the page of all 11 norms, also on pages that still link 13(a).
  for (const a of ul.querySelectorAll('a[href^="/norm.html"]')) if (a.textContent === 'Norms') a.href = '/norms.html';
  const input = el('input', { id: 'state-q', name: 'q', type: 'search', list: 'state-list', autocomplete: 'off',
    placeholder: 'name or code', 'aria-describedby': 'state-q-msg', enterkeyhint: 'go' });
  const list = el('datalist', { id: 'state-list' });
  const msg = el('span', { id: 'state-q-msg', role: 'status' });
  const form = el('form', { id: 'state-search', role: 'search', action: '/country.html', method: 'get' },
    el('label', { for: 'state-q' }, 'Find a State'), ' ', input, list, ' ', el('button', { type: 'submit' }, 'Go'), ' ', msg);
  const here = location.pathname === '/country.html' && !new URLSearchParams(location.search).get('iso3');
  ul.append(el('li', {}, el('a', { href: '/country.html', ...(here ? { 'aria-current': 'page' } : {}) }, 'States A–Z')),
    el('li', { class: 'search' }, form));
  input.addEventListener('input', async () => {
    msg.textContent = '';
    const f = fold(input.value);
    if (!f) { list.replaceChildren(); return; }
    try {
      const hits = (await states()).filter((c) => fold(c.name).startsWith(f) || c.iso3.toLowerCase() === f ||
        (c.iso2 || '').toLowerCase() === f).slice(0, 12);
      list.replaceChildren(...hits.map((c) => el('option', { value: c.name }, c.iso3)));
    } catch { list.replaceChildren(); }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const q = input.value.trim();
    if (!q) { msg.textContent = 'Type a State\'s name or code.'; return; }
    const r = await fetch(`/api/v1/countries/resolve?q=${encodeURIComponent(q)}`, { headers: { Accept: 'application/json' } });
    const j = await r.json().catch(() => ({}));
    if (r.ok && j.iso3) { location.assign(`/country.html?iso3=${j.iso3}`); return; }
    msg.replaceChildren(`No State found: ${j.error?.message || r.statusText}. See the `,
      el('a', { href: '/country.html' }, 'A–Z list'), '.');
  });
}

siteSearch();
