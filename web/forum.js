// The standing forum: sessions, agenda items, documents, proposals with
// versions, comments and endorsements, decisions with tallies and actions,
// and the monitoring panel.  A signed-in member of an accredited
// organisation submits, comments and endorses on its behalf; the
// secretariat records decisions with their actions; an action's owner
// reports progress.  The server checks every write (docs/forum.md); the
// forms shown only follow the roles.
import { $, el, api, all, send, account, monitorRows, monitorSummary, ACTION_STATUS, wireAccount } from './common.js';
import { link } from './view.js';

let csrf = sessionStorage.getItem('cdg_csrf') || '';
let me = null;          // the signed-in account, or null
let myOrgs = [];        // its organisations
let orgs = [];          // every organisation
let current = null;     // the session shown
const notes = new Map(); // form id -> the message of its last write, kept
                         // across the redraw that follows the write

const write = (path, body) => send('POST', path, body, csrf);
const secretariat = () => me && me.role === 'secretariat';
const speaksFor = () => myOrgs.filter((o) => o.accredited);

function say(text, isError) {
  $('#status').textContent = text;
  $('#status').className = isError ? 'error' : '';
}

// A form's message, shown in the form (after its button).
function formNote(form, text, isError) {
  notes.set(form.id, { text, isError });
  const p = form.querySelector(':scope > .msg');
  p.textContent = text;
  p.className = isError ? 'msg error' : 'msg';
}

// Runs a write from a form, then redraws; the outcome is said next to the
// form (and stays there through the redraw); errors are shown, not thrown.
function onSubmit(form, fn) {
  const old = notes.get(form.id);
  form.append(el('p', { class: old?.isError ? 'msg error' : 'msg', id: `${form.id}-msg`, 'aria-live': 'polite' }, old?.text || ''));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    notes.clear();
    const data = new FormData(form);
    try {
      formNote(form, await fn(data));
      await refresh();
    } catch (e) { formNote(form, e.message, true); }
  });
  return form;
}

function field(label, input) {
  return el('label', {}, label, input);
}

function orgSelect(list, name = 'org') {
  return el('select', { name, required: 'required' }, ...list.map((o) => el('option', { value: o.id }, `${o.name} (${o.group.replaceAll('_', ' ')})`)));
}

const by = (who, at) => el('span', { class: 'muted' }, ` — ${who}, ${at.slice(0, 10)}`);

// ---- monitoring ---------------------------------------------------------

function updateForm(a) {
  if (!me || !(secretariat() || myOrgs.some((o) => o.id === a.owner))) return null;
  const status = el('select', { name: 'status' }, ...Object.entries(ACTION_STATUS).map(([v, t]) => {
    const o = el('option', { value: v }, t);
    if (v === a.status) o.selected = true;
    return o;
  }));
  const form = el('form', { class: 'inline', id: `update-${a.id}`, 'aria-label': `Report progress on action A${a.id}` },
    field('Status ', status), field('Note ', el('input', { name: 'note', value: a.note || '' })),
    el('button', { type: 'submit' }, 'Update'));
  return onSubmit(form, async (d) => {
    await write(`forum/actions/${a.id}/updates`, { status: d.get('status'), note: d.get('note') || undefined });
    return `Action A${a.id}: ${ACTION_STATUS[d.get('status')]}.`;
  });
}

async function monitor() {
  const m = await api('forum/monitor');
  $('#monitor-summary').textContent = monitorSummary(m);
  $('#monitor tbody').replaceChildren(...monitorRows(m, updateForm));
  $('#monitor').hidden = m.actions.length === 0;
}

// ---- organisations (the secretariat accredits and adds members) -------------

const GROUPS = ['state', 'international_organisation', 'business', 'civil_society', 'technical_community', 'academia'];

function orgRow(o) {
  const cells = [el('td', {}, o.name), el('td', {}, o.group.replaceAll('_', ' '), o.country ? ` (${o.country})` : ''),
    el('td', {}, o.accredited ? `yes, ${o.accredited_at.slice(0, 10)}` : 'no')];
  if (secretariat()) {
    const admin = el('td', {});
    if (!o.accredited) {
      admin.append(onSubmit(el('form', { class: 'inline', id: `accredit-${o.id}` },
        el('button', { type: 'submit' }, `Accredit ${o.name}`)), async () => {
        await write(`forum/orgs/${o.id}/accredit`, {});
        return `${o.name} accredited.`;
      }));
    }
    admin.append(onSubmit(el('form', { class: 'inline', id: `member-${o.id}` },
      field('Member account ', el('input', { name: 'account', required: 'required', size: '12' })),
      el('button', { type: 'submit' }, 'Add member')), async (d) => {
      await write(`forum/orgs/${o.id}/members`, { account: d.get('account') });
      return `${d.get('account')} is a member of ${o.name}.`;
    }));
    cells.push(admin);
  }
  return el('tr', { id: `org-${o.id}` }, ...cells);
}

async function showOrgs() {
  orgs = await all('forum/orgs');
  const head = $('#orgs thead tr');
  if (secretariat() && head.children.length === 3) head.append(el('th', {}, 'Secretariat'));
  $('#orgs tbody').replaceChildren(...orgs.map(orgRow));
  if (!secretariat()) { $('#org-admin').replaceChildren(); return; }
  const form = el('form', { class: 'forum', id: 'org-add', 'aria-label': 'Add an organisation' },
    el('h3', {}, 'Add an organisation'),
    field('Name', el('input', { name: 'name', required: 'required' })),
    field('Stakeholder group', el('select', { name: 'group' }, ...GROUPS.map((g) => el('option', { value: g }, g.replaceAll('_', ' '))))),
    field('State (ISO3, state organisations only)', el('input', { name: 'country', pattern: '[A-Z]{3}', maxlength: '3' })),
    el('button', { type: 'submit' }, 'Add organisation'));
  $('#org-admin').replaceChildren(onSubmit(form, async (d) => {
    const r = await write('forum/orgs', { name: d.get('name'), group: d.get('group'), country: d.get('country') || undefined });
    return `Organisation ${r.id} added; accredit it to let its members take part.`;
  }));
}

// ---- the secretariat's session forms ------------------------------------------

function sessionAdmin(s) {
  if (!secretariat()) return [];
  const newSession = el('form', { class: 'forum', id: 'session-add', 'aria-label': 'Open a session or consultation' },
    el('h3', {}, 'Open a session or consultation'),
    field('Kind', el('select', { name: 'kind' }, el('option', { value: 'session' }, 'session'), el('option', { value: 'consultation' }, 'consultation'))),
    field('Title', el('input', { name: 'title', required: 'required' })),
    field('From', el('input', { name: 'starts_on', type: 'date', required: 'required' })),
    field('To', el('input', { name: 'ends_on', type: 'date' })),
    el('button', { type: 'submit' }, 'Open'));
  onSubmit(newSession, async (d) => {
    const r = await write('forum/sessions', { kind: d.get('kind'), title: d.get('title'), starts_on: d.get('starts_on'), ends_on: d.get('ends_on') || undefined });
    current = r.id;
    await listSessions();
    return `Session S${r.id} opened.`;
  });
  if (!s) return [newSession];
  const item = el('form', { class: 'forum', id: 'item-add', 'aria-label': 'Add an agenda item' },
    el('h3', {}, 'Add an agenda item'),
    field('Title', el('input', { name: 'title', required: 'required' })),
    el('button', { type: 'submit' }, 'Add item'));
  onSubmit(item, async (d) => {
    const r = await write(`forum/sessions/${s.id}/items`, { title: d.get('title') });
    return `Agenda item ${r.id} added.`;
  });
  const doc = el('form', { class: 'forum', id: 'doc-add', 'aria-label': 'Add a document' },
    el('h3', {}, 'Add a document'),
    field('Title', el('input', { name: 'title', required: 'required' })),
    field('Agenda item', el('select', { name: 'item' }, el('option', { value: '' }, '(the whole session)'),
      ...s.items.map((i) => el('option', { value: i.id }, `${i.position}. ${i.title}`)))),
    field('Access', el('select', { name: 'access' }, el('option', { value: 'public' }, 'public'), el('option', { value: 'registered' }, 'registered participants'))),
    field('Text', el('textarea', { name: 'text', required: 'required' })),
    field('Link (optional)', el('input', { name: 'url', type: 'url' })),
    el('button', { type: 'submit' }, 'Add document'));
  onSubmit(doc, async (d) => {
    const r = await write('forum/documents', { session: s.id, item: d.get('item') ? Number(d.get('item')) : undefined, title: d.get('title'),
      access: d.get('access'), text: d.get('text'), url: d.get('url') || undefined });
    return `Document ${r.id} added.`;
  });
  return [el('details', {}, el('summary', {}, 'Secretariat: sessions, agenda items, documents'), newSession, item, doc)];
}

// ---- one session ----------------------------------------------------------

function docView(d) {
  const last = d.versions[d.versions.length - 1];
  return el('article', { class: 'doc', id: `document-${d.id}` },
    el('h4', {}, `${d.title} `, el('span', { class: 'muted' }, `(${d.access}, version ${last.version})`)),
    el('p', {}, last.text), last.url ? el('p', {}, link(last.url, last.url)) : null,
    d.versions.length > 1 ? el('details', {}, el('summary', {}, 'Earlier versions'),
      ...d.versions.slice(0, -1).map((v) => el('p', {}, `Version ${v.version}: ${v.text}`, by(v.by, v.at)))) : null,
    secretariat() ? el('details', {}, el('summary', {}, 'New version'), onSubmit(el('form', { class: 'forum', id: `doc-version-${d.id}` },
      field('Text', el('textarea', { name: 'text', required: 'required' })), el('button', { type: 'submit' }, 'Record version')), async (f) => {
      await write(`forum/documents/${d.id}/versions`, { text: f.get('text') });
      return `Document ${d.id}: new version recorded.`;
    })) : null);
}

function proposalView(p) {
  const last = p.versions[p.versions.length - 1];
  const art = el('article', { class: 'proposal', id: `proposal-${p.id}` },
    el('h4', {}, `P${p.id} ${last.title} `, el('span', { class: 'muted' }, `(version ${last.version})`)),
    el('p', {}, el('strong', {}, p.org_name), ` (${p.org_group.replaceAll('_', ' ')})`, by(p.submitted_by, p.submitted_at)),
    el('p', { class: 'proposal-text' }, last.text),
    last.refs.length ? el('p', {}, 'References: ', last.refs.map((r) => `${r.kind} ${r.id}`).join(', ')) : null,
    p.versions.length > 1 ? el('details', {}, el('summary', {}, 'Earlier versions'),
      ...p.versions.slice(0, -1).map((v) => el('p', {}, `Version ${v.version}: ${v.title}. ${v.text}`, by(v.by, v.at)))) : null,
    el('p', { class: 'endorsements' }, p.endorsements.length
      ? `Endorsed by ${p.endorsements.map((x) => x.org_name).join(', ')}.` : 'No endorsements yet.'),
    el('h5', {}, `Comments (${p.comments.length})`),
    el('ul', { class: 'comments' }, ...p.comments.map((c) => el('li', {}, el('strong', {}, c.org_name), `: ${c.text}`, by(c.by, c.at)))));
  if (speaksFor().some((o) => o.id === p.org)) {
    const revise = el('form', { class: 'forum', id: `revise-${p.id}`, 'aria-label': `Revise P${p.id}` },
      field('Title', el('input', { name: 'title', required: 'required', value: last.title })),
      field('Text', el('textarea', { name: 'text', required: 'required' }, last.text)),
      field('References', el('input', { name: 'refs', value: last.refs.map((r) => r.id).join(', ') })),
      el('button', { type: 'submit' }, 'Record new version'));
    art.append(el('details', {}, el('summary', {}, 'Revise (new version)'), onSubmit(revise, async (d) => {
      const refs = (d.get('refs') || '').split(',').map((r) => r.trim()).filter(Boolean);
      await write(`forum/proposals/${p.id}/versions`, { title: d.get('title'), text: d.get('text'), refs });
      return `P${p.id}: new version recorded.`;
    })));
  }
  const mine = speaksFor();
  if (mine.length) {
    const comment = el('form', { class: 'forum', id: `comment-${p.id}`, 'aria-label': `Comment on P${p.id}` },
      field('On behalf of', orgSelect(mine)), field('Comment', el('textarea', { name: 'text', required: 'required' })),
      el('button', { type: 'submit' }, 'Comment'));
    art.append(onSubmit(comment, async (d) => {
      await write(`forum/proposals/${p.id}/comments`, { org: Number(d.get('org')), text: d.get('text') });
      return `Comment on P${p.id} recorded.`;
    }));
    const others = mine.filter((o) => o.id !== p.org && !p.endorsements.some((x) => x.org === o.id));
    if (others.length) {
      const endorse = el('form', { class: 'inline', id: `endorse-${p.id}`, 'aria-label': `Endorse P${p.id}` },
        field('Endorse as ', orgSelect(others)), el('button', { type: 'submit' }, 'Endorse'));
      art.append(onSubmit(endorse, async (d) => {
        await write(`forum/proposals/${p.id}/endorsements`, { org: Number(d.get('org')) });
        return `P${p.id} endorsed.`;
      }));
    }
  }
  return art;
}

function decisionView(x) {
  const how = x.method === 'vote'
    ? `adopted by vote on ${x.adopted_on}: ${x.tally.yes} yes, ${x.tally.no} no, ${x.tally.abstain} abstentions`
    : `adopted by consensus on ${x.adopted_on}`;
  return el('article', { class: 'decision', id: `decision-${x.id}` },
    el('h4', {}, `Decision D${x.id} `, el('span', { class: 'muted' }, how)),
    el('p', {}, x.text),
    el('p', {}, 'Draws on: ', x.draws_on.length ? x.draws_on.map((id) => `P${id}`).join(', ') : 'no written proposal'),
    x.actions.length ? el('ul', {}, ...x.actions.map((a) => el('li', {}, `A${a.id} ${a.title} — ${a.owner_name}, by ${a.deadline}: ${ACTION_STATUS[a.status]}`))) : null);
}

function proposeForm(item) {
  const form = el('form', { class: 'forum', id: `propose-${item.id}`, 'aria-label': `Submit a proposal on item ${item.position}` },
    el('h4', {}, 'Submit a written proposal'),
    field('On behalf of', orgSelect(speaksFor())),
    field('Title', el('input', { name: 'title', required: 'required', maxlength: '300' })),
    field('Text', el('textarea', { name: 'text', required: 'required' })),
    field('References (norm letters, CDG ids, Budapest articles; comma-separated)', el('input', { name: 'refs', placeholder: 'f, CDG1, BC2' })),
    el('button', { type: 'submit' }, 'Submit proposal'));
  return onSubmit(form, async (d) => {
    const refs = (d.get('refs') || '').split(',').map((r) => r.trim()).filter(Boolean);
    const r = await write('forum/proposals', { item: item.id, org: Number(d.get('org')), title: d.get('title'), text: d.get('text'), refs });
    return `Proposal P${r.id} submitted.`;
  });
}

// One agreed action of a decision: title, owning organisation, deadline.
// The deadline may not be before the adoption date (min, kept in step by
// decideForm).
function actionRow(accredited, n, min) {
  return el('fieldset', { class: 'action-row' }, el('legend', {}, n === 1 ? 'Action agreed (optional)' : `Action ${n}`),
    field('Action', el('input', { name: 'action_title' })),
    field('Owner', orgSelect(accredited, 'action_owner')),
    field('Deadline (on or after adoption)', el('input', { name: 'action_deadline', type: 'date', min })));
}

const today = () => new Date().toISOString().slice(0, 10);

function decideForm(item, proposals) {
  const accredited = orgs.filter((o) => o.accredited);
  const actionRows = el('div', { class: 'action-rows' }, actionRow(accredited, 1, today()));
  const form = el('form', { class: 'forum', id: `decide-${item.id}`, 'aria-label': `Record a decision on item ${item.position}` },
    el('h4', {}, 'Record a decision (secretariat)'),
    field('Adopted by', el('select', { name: 'method' }, el('option', { value: 'consensus' }, 'consensus'), el('option', { value: 'vote' }, 'vote'))),
    el('fieldset', { class: 'tally', hidden: 'hidden', disabled: 'disabled' }, el('legend', {}, 'Tally of the vote'),
      field('Yes', el('input', { name: 'yes', type: 'number', min: '0', inputmode: 'numeric' })),
      field('No', el('input', { name: 'no', type: 'number', min: '0', inputmode: 'numeric' })),
      field('Abstain', el('input', { name: 'abstain', type: 'number', min: '0', inputmode: 'numeric' }))),
    field('Text adopted', el('textarea', { name: 'text', required: 'required' })),
    field('Adopted on (default: today)', el('input', { name: 'adopted_on', type: 'date' })),
    proposals.length ? el('fieldset', {}, el('legend', {}, 'Draws on'),
      ...proposals.map((p) => el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'draws', value: p.id }), ` P${p.id} ${p.title}`))) : null,
    actionRows,
    el('button', { type: 'button', class: 'add-action' }, 'Add another action'),
    el('button', { type: 'submit' }, 'Record decision'));
  const adopted = () => form.querySelector('[name=adopted_on]').value || today();
  form.querySelector('.add-action').addEventListener('click', () => {
    const row = actionRow(accredited, actionRows.children.length + 1, adopted());
    actionRows.append(row);
    row.querySelector('input').focus();
  });
  // A tally only for a vote: hidden, cleared and not sent for consensus.
  const tally = form.querySelector('fieldset.tally');
  form.querySelector('[name=method]').addEventListener('change', (ev) => {
    const vote = ev.target.value === 'vote';
    tally.hidden = tally.disabled = !vote;
    for (const i of tally.querySelectorAll('input')) {
      if (!vote) i.value = '';
      i.required = vote;
    }
  });
  form.querySelector('[name=adopted_on]').addEventListener('change', () => {
    for (const i of form.querySelectorAll('[name=action_deadline]')) i.min = adopted();
  });
  return onSubmit(form, async (d) => {
    const body = { item: item.id, method: d.get('method'), text: d.get('text'), draws_on: d.getAll('draws').map(Number) };
    if (d.get('adopted_on')) body.adopted_on = d.get('adopted_on');
    if (body.method === 'vote') body.tally = { yes: Number(d.get('yes')), no: Number(d.get('no')), abstain: Number(d.get('abstain')) };
    // Every action row with a title, in order (rows left empty are ignored).
    const titles = d.getAll('action_title'), owners = d.getAll('action_owner'), deadlines = d.getAll('action_deadline');
    const actions = titles.map((t, i) => ({ title: t.trim(), owner: Number(owners[i]), deadline: deadlines[i] })).filter((a) => a.title);
    const early = actions.find((a) => a.deadline && a.deadline < adopted());
    if (early) throw new Error(`The deadline ${early.deadline} of "${early.title}" is before the adoption on ${adopted()}.`);
    if (actions.length) body.actions = actions;
    const r = await write('forum/decisions', body);
    return `Decision D${r.id} recorded.`;
  });
}

async function showSession(id) {
  const s = await api(`forum/sessions/${id}`);
  $('#session-admin').replaceChildren(...sessionAdmin(s.session));
  const ss = s.session;
  const parts = [el('p', {}, `${ss.kind === 'consultation' ? 'Consultation' : 'Session'}, ${ss.starts_on} to ${ss.ends_on}.`,
    ss.description ? ` ${ss.description}` : '')];
  const general = s.documents.filter((d) => !d.item);
  if (general.length) parts.push(el('h3', {}, 'Documents'), ...general.map(docView));
  for (const item of ss.items) {
    const props = s.proposals.filter((p) => p.item === item.id);
    const box = el('section', { class: 'item', id: `item-${item.id}`, 'aria-labelledby': `item-h-${item.id}` },
      el('h3', { id: `item-h-${item.id}` }, `Agenda item ${item.position}: ${item.title}`),
      item.description ? el('p', {}, item.description) : null,
      ...s.documents.filter((d) => d.item === item.id).map(docView),
      el('h4', {}, `Written proposals (${props.length})`),
      ...props.map(proposalView),
      ...s.decisions.filter((x) => x.item === item.id).map(decisionView));
    if (speaksFor().length) box.append(proposeForm(item));
    if (secretariat()) box.append(decideForm(item, props));
    parts.push(box);
  }
  $('#session-view').replaceChildren(...parts);
}

async function listSessions() {
  const sessions = await all('forum/sessions');
  $('#session').replaceChildren(...sessions.map((s) => {
    const o = el('option', { value: s.id }, `${s.starts_on} ${s.title}`);
    if (s.id === current) o.selected = true;
    return o;
  }));
  if (!current && sessions.length) current = sessions[0].id;
  return sessions;
}

// The account's organisations; true if they changed since last asked.
async function memberships() {
  const was = JSON.stringify(myOrgs);
  myOrgs = me ? await api('forum/memberships') : [];
  return JSON.stringify(myOrgs) !== was;
}

async function refresh() {
  await memberships();
  await monitor();
  await showOrgs();
  if (current) await showSession(current);
  else $('#session-admin').replaceChildren(...sessionAdmin(null));
}

async function signedIn() {
  me = await account();
  if (me) csrf = me.csrf || csrf;
  await memberships();
  $('#login').hidden = !!me;
  $('#who').hidden = !me;
  $('#logout').hidden = !me;
  if (me) {
    const spoken = speaksFor().map((o) => o.name);
    $('#who').textContent = `Signed in as ${me.name} (${me.role})` +
      (spoken.length ? `, for ${spoken.join(', ')}.` : myOrgs.length ? ', for organisations not yet accredited.' : '.');
  }
}

async function main() {
  wireAccount(async (r) => {
    csrf = r.csrf;
    await signedIn();
    await refresh();
    say('Signed in.');
  }, (e) => say(e.message, true));
  await signedIn();
  const sessions = await listSessions();
  $('#session').addEventListener('change', () => { current = Number($('#session').value); showSession(current).catch((e) => say(e.message, true)); });
  if (!current) $('#session-view').textContent = 'No session yet.';
  await refresh();
  say(sessions.length ? '' : 'The forum has no sessions yet.');
  // Membership granted (or accreditation) elsewhere shows its forms here
  // without a reload: look again every few seconds and when the tab
  // comes back into view.
  const recheck = async () => {
    if (!me || document.hidden) return;
    if (await memberships()) { await signedIn(); await refresh(); }
  };
  setInterval(() => recheck().catch(() => {}), 3000);
  document.addEventListener('visibilitychange', () => recheck().catch(() => {}));
}

main().catch((e) => say(e.message, true));
