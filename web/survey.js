// The survey form: a focal point edits, saves and submits its state's
// response; the secretariat validates and publishes.  Writes go through the
// JSON API with the session cookie and the CSRF header.  The questions are
// grouped by goal, each group with its count of answers; a new response
// starts from the state's previous one; each message stands next to what it
// concerns (a question, the action bar, the sign-in form).
import { $, el, api, all, send, account, wireAccount } from './common.js';

let csrf = sessionStorage.getItem('cdg_csrf') || '';
let me = null;
let catalog = null;

// A message in one place (p: its element), as an error or not.
function note(p, text, isError) {
  p.textContent = text;
  p.className = isError ? 'msg error' : 'msg';
}
const barSay = (text, isError) => note($('#bar-msg'), text, isError);

const write = (method, path, body) => send(method, path, body, csrf);

function optionsOf(scaleId) {
  return catalog.survey.scales.find((s) => s.id === scaleId).options;
}

// The question groups in order: one per goal, then the questions on norms
// that no goal measures.
function groups() {
  const out = catalog.goals.map((g) => ({ id: g.id, title: `${g.id}: ${g.title}`, questions: [] }));
  const other = { id: 'none', title: 'Norms not measured by a goal', questions: [] };
  for (const q of catalog.survey.questions) (out.find((g) => g.id === q.goal) || other).questions.push(q);
  return [...out, other].filter((g) => g.questions.length);
}

const answered = (q) => !!$(`#answer-${q.id}`)?.value;

// Every group's count and the whole form's, after any change.
function progress() {
  let n = 0, total = 0;
  for (const g of groups()) {
    const k = g.questions.filter(answered).length;
    n += k;
    total += g.questions.length;
    const p = $(`#progress-${g.id}`);
    if (p) p.textContent = `${k} of ${g.questions.length} answered`;
  }
  $('#progress').textContent = `${n} of ${total} answered`;
}

// A question's input needs evidence: its answer is positive (scored above
// zero) and the questionnaire requires evidence for it.
function needsEvidence(q, value) {
  const o = optionsOf(q.scale).find((x) => x.value === value);
  return q.evidence === 'required' && !!o && typeof o.score === 'number' && o.score > 0;
}

function questionBox(q, a) {
  const sel = el('select', { name: `answer-${q.id}`, id: `answer-${q.id}` },
    el('option', { value: '' }, '(unanswered)'),
    ...optionsOf(q.scale).map((o) => {
      const opt = el('option', { value: o.value }, o.label);
      if (a.answer === o.value) opt.selected = true;
      return opt;
    }));
  const ev = el('input', { name: `evidence-${q.id}`, id: `evidence-${q.id}`, value: (a.evidence || []).join(' '),
    placeholder: q.evidence === 'required' ? 'required for Yes or Partly: links, space-separated' : 'optional: links, space-separated' });
  const needs = q.capacity_needs ? el('input', { name: `needs-${q.id}`, id: `needs-${q.id}`, value: a.capacity_needs || '', placeholder: 'capacity-building needs' }) : null;
  const msg = el('p', { class: 'msg', id: `msg-${q.id}`, 'aria-live': 'polite' });
  sel.addEventListener('change', () => { progress(); note(msg, ''); });
  return el('fieldset', { 'data-question': q.id },
    el('legend', {}, `${q.id}: ${q.text}`),
    el('label', { for: `answer-${q.id}` }, 'Answer '), sel, ' ',
    el('label', { for: `evidence-${q.id}` }, q.evidence === 'required' ? 'Evidence (required for a positive answer) ' : 'Evidence '), ev,
    needs ? el('label', { for: `needs-${q.id}` }, ' Needs ') : null, needs, msg);
}

function renderForm(response) {
  const byQ = Object.fromEntries((response?.answers || []).map((a) => [a.question, a]));
  $('#answers').replaceChildren(...groups().map((g) => el('section', { class: 'goal', id: `goal-${g.id}`, 'aria-labelledby': `goal-h-${g.id}` },
    el('h3', { id: `goal-h-${g.id}` }, g.title, ' ', el('span', { class: 'muted count', id: `progress-${g.id}` })),
    ...g.questions.map((q) => questionBox(q, byQ[q.id] || {})))));
  progress();
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

// Positive answers without their required evidence, each said next to its
// question; true if there are none.  The server refuses them too.
function checkEvidence() {
  let first = null;
  for (const q of catalog.survey.questions) {
    const v = $(`#answer-${q.id}`).value;
    const bad = needsEvidence(q, v) && !$(`#evidence-${q.id}`).value.trim();
    note($(`#msg-${q.id}`), bad ? `${q.id}: the answer "${v}" needs evidence (a link or a document reference).` : '', bad);
    if (bad && !first) first = q;
  }
  if (first) {
    barSay(`Not saved: ${first.id} needs evidence for its answer (see the question).`, true);
    $(`#evidence-${first.id}`).focus();
  }
  return !first;
}

// A refusal from the server: each fault that names a question goes next
// to it, the message to the action bar.
function showRefusal(e) {
  for (const f of e.faults || []) {
    const m = /^(Q-[A-Za-z0-9-]+?):/.exec(f.message || '');
    if (m && $(`#msg-${m[1]}`)) note($(`#msg-${m[1]}`), f.message, true);
  }
  barSay(e.message, true);
}

// The buttons the account may use on the response of iso3.
function showButtons(iso3) {
  const sec = me?.role === 'secretariat';
  const edits = sec || (me?.role === 'focal_point' && me.country === iso3);
  $('#save').hidden = $('#submit').hidden = !edits;
  $('#validate').hidden = $('#publish').hidden = !sec;
  $('#readonly').hidden = edits;
}

async function open() {
  const iso3 = $('#iso3').value, year = Number($('#year').value);
  let response = null, status = 'no response yet', from = '';
  try {
    response = await api(`surveys/${iso3}/${year}`);
    const hist = await api(`surveys/${iso3}/${year}/history`);
    status = hist.items[hist.items.length - 1].status;
  } catch (e) {
    // A new response starts from the state's latest earlier one.
    const before = (await all('surveys')).filter((s) => s.country === iso3 && s.year < year)
      .sort((a, b) => b.year - a.year)[0];
    if (before) {
      try {
        response = await api(`surveys/${iso3}/${before.year}`);
        from = `; prefilled from the ${before.year} response (${before.status}): check every answer before saving`;
      } catch { /* not readable by this account */ }
    }
  }
  $('#state-of-response').textContent = `${iso3} ${year}: ${status}${from}`;
  renderForm(response);
  showButtons(iso3);
  $('#savebar').hidden = false;
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
    note($('#signin-msg'), '');
    showWork();
  }, (e) => note($('#signin-msg'), e.message, true));
  $('#pick').addEventListener('submit', (ev) => {
    ev.preventDefault();
    barSay('');
    open().catch((e) => note($('#pick-msg'), e.message, true));
  });
  const act = (fn) => async () => {
    try { await fn(); } catch (e) { showRefusal(e); }
  };
  $('#save').addEventListener('click', act(async () => {
    if (!checkEvidence()) return;
    const iso3 = $('#iso3').value, year = $('#year').value;
    const r = await write('PUT', `surveys/${iso3}/${year}`, collect(iso3, year));
    await open();
    barSay(`Draft saved (revision ${r.revision}).`);
  }));
  for (const action of ['submit', 'validate', 'publish']) {
    $(`#${action}`).addEventListener('click', act(async () => {
      await write('POST', `surveys/${$('#iso3').value}/${$('#year').value}/${action}`);
      await open();
      barSay(`Done: ${action}.`);
    }));
  }
  await ready;
  me = await account();
  if (me) { csrf = me.csrf || csrf; showWork(); }
}

main().catch((e) => note($('#status'), e.message, true));
