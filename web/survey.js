// The survey form: a focal point edits, saves and submits its state's
// response; the secretariat validates and publishes.  Writes go through the
// JSON API with the session cookie and the CSRF header.
import { $, el, api, send, wireAccount } from './common.js';

let csrf = sessionStorage.getItem('cdg_csrf') || '';
let me = null;
let catalog = null;

function say(text, isError) {
  $('#status').textContent = text;
  $('#status').className = isError ? 'error' : '';
}

const write = (method, path, body) => send(method, path, body, csrf);

function optionsOf(scaleId) {
  return catalog.survey.scales.find((s) => s.id === scaleId).options;
}

function renderForm(response) {
  const byQ = Object.fromEntries((response?.answers || []).map((a) => [a.question, a]));
  const form = $('#answers');
  form.replaceChildren();
  let section = '';
  for (const q of catalog.survey.questions) {
    if (q.section !== section) {
      section = q.section;
      form.append(el('h3', {}, section));
    }
    const a = byQ[q.id] || {};
    const sel = el('select', { name: `answer-${q.id}`, id: `answer-${q.id}` },
      el('option', { value: '' }, '(unanswered)'),
      ...optionsOf(q.scale).map((o) => {
        const opt = el('option', { value: o.value }, o.label);
        if (a.answer === o.value) opt.selected = true;
        return opt;
      }));
    const ev = el('input', { name: `evidence-${q.id}`, id: `evidence-${q.id}`, value: (a.evidence || []).join(' '),
      placeholder: q.evidence === 'required' ? 'evidence required for a positive answer: links, space-separated' : 'evidence (optional)' });
    const needs = q.capacity_needs ? el('input', { name: `needs-${q.id}`, id: `needs-${q.id}`, value: a.capacity_needs || '', placeholder: 'capacity-building needs' }) : null;
    form.append(el('fieldset', { 'data-question': q.id },
      el('legend', {}, `${q.id}: ${q.text}`),
      el('label', { for: `answer-${q.id}` }, 'Answer '), sel, ' ',
      el('label', { for: `evidence-${q.id}` }, 'Evidence '), ev,
      needs ? el('label', { for: `needs-${q.id}` }, ' Needs ') : null, needs));
  }
}

function collect(iso3, year) {
  const answers = [];
  for (const q of catalog.survey.questions) {
    const v = $(`#answer-${q.id}`).value;
    const ev = $(`#evidence-${q.id}`).value.split(/\s+/).filter(Boolean);
    const needs = $(`#needs-${q.id}`)?.value || '';
    if (!v && !ev.length && !needs) continue;
    const a = { question: q.id };
    if (v) a.answer = v;
    if (ev.length) a.evidence = ev;
    if (needs) a.capacity_needs = needs;
    answers.push(a);
  }
  return { format: 'cdg-survey-response/1', country: iso3, year: Number(year), answers };
}

async function open() {
  const iso3 = $('#iso3').value, year = $('#year').value;
  let response = null, status = 'no response yet';
  try {
    response = await api(`surveys/${iso3}/${year}`);
    const hist = await api(`surveys/${iso3}/${year}/history`);
    status = hist.items[hist.items.length - 1].status;
  } catch (e) { /* a new response */ }
  $('#state-of-response').textContent = `${iso3} ${year}: ${status}`;
  renderForm(response);
}

function showWork() {
  $('#signin').hidden = true;
  $('#work').hidden = false;
  $('#who').textContent = `Signed in as ${me.name} (${me.role}${me.country ? ` of ${me.country}` : ''}).`;
  if (me.country) $('#iso3').value = me.country;
  if (!$('#year').value) $('#year').value = new Date().getFullYear();
}

async function main() {
  // Listeners first: a form submitted before the catalog arrives must not
  // fall through to the browser (a password in a URL).
  const ready = api('framework').then((c) => { catalog = c; });
  wireAccount(async (r) => {
    await ready;
    csrf = r.csrf;
    me = r;
    showWork();
    say('Signed in.');
  }, (e) => say(e.message, true));
  $('#pick').addEventListener('submit', (ev) => { ev.preventDefault(); open().catch((e) => say(e.message, true)); });
  const act = (fn) => async () => {
    try { await fn(); await open(); } catch (e) { say(e.message, true); }
  };
  $('#save').addEventListener('click', act(async () => {
    const iso3 = $('#iso3').value, year = $('#year').value;
    const r = await write('PUT', `surveys/${iso3}/${year}`, collect(iso3, year));
    say(`Draft saved (revision ${r.revision}).`);
  }));
  for (const action of ['submit', 'validate', 'publish']) {
    $(`#${action}`).addEventListener('click', act(async () => {
      await write('POST', `surveys/${$('#iso3').value}/${$('#year').value}/${action}`);
      say(`Done: ${action}.`);
    }));
  }
  await ready;
  try { me = await api('me'); showWork(); } catch (e) { /* signed out */ }
}

main().catch((e) => say(e.message, true));
