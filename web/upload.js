// Upload page: an editor or the secretariat sends an observation or
// registry file to the API (POST /api/v1/observations or /registry) with
// the session cookie and the CSRF header; a refused file lists its faults.
import { $, el, account, wireAccount } from './common.js';

let csrf = sessionStorage.getItem('cdg_csrf') || '';

function say(text, isError) {
  $('#status').textContent = text;
  $('#status').className = isError ? 'error' : '';
}

async function post(path, body, type) {
  const r = await fetch(`/api/v1/${path}`, {
    method: 'POST', body,
    headers: { 'Content-Type': type, 'X-CSRF-Token': csrf },
  });
  return { status: r.status, json: await r.json() };
}

function signedIn(me) {
  $('#signin').hidden = true;
  $('#work').hidden = false;
  const may = me.role === 'editor' || me.role === 'secretariat';
  $('#who').textContent = `Signed in as ${me.name} (${me.role}).` +
    (may ? '' : ' This role may not upload observations or registry records; the server will refuse.');
}

function showFaults(err) {
  const faults = err.faults || [];
  const rows = faults.map((f) => el('tr', {}, el('td', {}, f.line ? String(f.line) : ''),
    el('td', {}, f.field || ''), el('td', {}, f.message)));
  $('#result').replaceChildren(
    el('p', { class: 'error' }, err.message),
    faults.length ? el('table', { id: 'faults' },
      el('caption', {}, `${err.faults_total || faults.length} fault(s); nothing was written`),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Line'), el('th', { scope: 'col' }, 'Field'),
        el('th', { scope: 'col' }, 'Fault'))),
      el('tbody', {}, ...rows)) : '');
}

function showDone(kind, j) {
  const parts = kind === 'observations'
    ? [`${j.rows} rows read (${j.format})`, `${j.written} written`, `${j.unchanged} unchanged`]
    : [`${j.incidents} incidents, ${j.attributions} attributions read (${j.format})`, `${j.written} written`];
  $('#result').replaceChildren(el('p', { id: 'done' }, `Uploaded: ${parts.join('; ')}.`));
}

async function main() {
  wireAccount((r) => { csrf = r.csrf; say(''); signedIn(r); }, (e) => say(e.message, true));
  $('#upload').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const file = $('#file').files[0];
    if (!file) return;
    const kind = new FormData($('#upload')).get('kind');
    const text = await file.text();
    const type = /^\s*[{[]/.test(text) ? 'application/json' : 'text/csv';
    say(`Checking ${file.name}…`);
    const r = await post(kind, text, type);
    if (r.status === 200) { say(`${file.name}: accepted.`); showDone(kind, r.json); } else {
      say(`${file.name}: refused (HTTP ${r.status}).`, true);
      showFaults(r.json.error || { message: 'refused' });
    }
  });
  const me = await account();
  if (me) { csrf = me.csrf || csrf; signedIn(me); }
}

main();
