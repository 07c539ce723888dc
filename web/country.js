// Country profile: facts with sources, cybercrime treaties, the CDG
// dashboard, the gaps, the survey answers norm by norm and the
// accountability registry.
import { $, el, api, all, fail, isoFromPage, RATING_LABEL, TREND_LABEL, SOURCE_TYPE_LABEL, monitorRows, monitorSummary, downloadBlock } from './common.js';
import { link, normLink, answerLabel, answerClass, evidenceList, attribution, SYNTHETIC } from './view.js';

let surveySynthetic = false; // the survey answers shown are demo data

function none(text) {
  return el('li', { class: 'muted' }, text);
}

function registry(p, names) {
  const self = p.country.iso3;
  const by = p.attributions_by || [], against = p.attributions_against || [];
  $('#attr-by').replaceChildren(...(by.length ? by.map((a) => attribution(a, names, { incident: a.incident, self }))
    : [none('None recorded.')]));
  $('#attr-against').replaceChildren(...(against.length ? against.map((a) => attribution(a, names, { incident: a.incident, self }))
    : [none('None recorded.')]));
  const doc = (d) => el('li', { class: 'doc' }, link(d.title || 'document', d.url),
    d.date ? ` (${d.date})` : '', d.document_type ? ` — ${d.document_type}` : '',
    d.summary ? el('span', { class: 'muted' }, `. ${d.summary}`) : '',
    d.criteria?.length ? el('span', {}, `. Criteria: ${d.criteria.join('; ')}`) : '',
    d.note ? el('span', { class: 'muted' }, `. Note: ${d.note}`) : '');
  for (const [id, list] of [['#standards', p.attribution_standards], ['#doctrines', p.deterrence_doctrines],
    ['#positions', p.il_positions]]) {
    $(id).replaceChildren(...((list || []).length ? list.map(doc) : [none('None recorded.')]));
  }
}

function treaties(p) {
  const dash = (v) => v || '—';
  $('#treaties tbody').replaceChildren(...(p.treaties.length ? p.treaties.map((t) => el('tr', { 'data-treaty': t.treaty_id },
    el('th', { scope: 'row' }, t.short_name || t.treaty_id),
    el('td', { class: `t-${t.status}`, 'data-label': 'Status' }, t.status),
    el('td', { 'data-label': 'Signed' }, dash(t.signature_date)), el('td', { 'data-label': 'Ratified' }, dash(t.ratification_date)),
    el('td', { 'data-label': 'In force' }, dash(t.entry_into_force_date)), el('td', { 'data-label': 'Source' }, link('source', t.source_url))))
    : [el('tr', {}, el('td', { colspan: '6' }, 'No record in the reference data: not a party, or not yet recorded.'))]));
}

async function facts(iso3, names) {
  const p = await api(`countries/${iso3}`);
  const c = p.country;
  document.title = `cdg — ${c.name}`;
  $('#name').textContent = `${c.name} (${c.iso3})`;
  const dl = $('#facts');
  const add = (k, v) => dl.append(el('dt', {}, k), el('dd', {}, ...v));
  add('UN', [c.status === 'member' ? `member since ${c.admission_date}` : 'observer State', ' — ', link('source', c.source_url)]);
  const bc = p.treaties.find((t) => t.treaty_id === 'ETS185');
  add('Budapest Convention', [bc ? `${bc.status}${bc.ratification_date ? ` (ratified ${bc.ratification_date})` : ''}` : 'no record',
    ' — see ', el('a', { href: '#treaties-h' }, 'cybercrime treaties')]);
  treaties(p);
  registry(p, names);
}

// The latest published survey response, question by question under each norm.
// A response reopened after publication is a draft again: its last
// published revision is shown, not the draft.
async function latestPublished(iso3) {
  const mine = (await all('surveys')).filter((r) => r.country === iso3).sort((a, b) => b.year - a.year);
  for (const r of mine) {
    if (r.status === 'published') return { year: r.year, doc: await api(`surveys/${iso3}/${r.year}`) };
    const pub = (await all(`surveys/${iso3}/${r.year}/history`)).filter((h) => h.status === 'published').pop();
    if (pub) {
      return { year: r.year, revision: pub.revision, doc: await api(`surveys/${iso3}/${r.year}?revision=${pub.revision}`) };
    }
  }
  return null;
}

async function answers(iso3, catalog) {
  const latest = await latestPublished(iso3);
  const box = $('#answers');
  if (!latest) {
    $('#answers-note').textContent = 'No published survey response from this state yet.';
    box.replaceChildren();
    return;
  }
  const { year, revision, doc } = latest;
  surveySynthetic = !!doc.synthetic;
  if (surveySynthetic) $('#synthetic').hidden = false;
  const byQ = Object.fromEntries(doc.answers.map((a) => [a.question, a]));
  $('#answers-note').replaceChildren(`From the ${year} response, as published by the secretariat`,
    revision ? ` (revision ${revision}; it has been reopened since, and the new draft is not shown)` : '',
    surveySynthetic ? ' — ' : '.', surveySynthetic ? SYNTHETIC() : '', surveySynthetic ? ' made-up demo answers.' : '',
    ' Each norm links to its page: who else reports implementing it, and violations called out.');
  const parts = [];
  for (const n of catalog.norms) {
    const qs = catalog.survey.questions.filter((q) => q.norm === n.id);
    if (!qs.length) continue;
    const items = qs.map((q) => {
      const a = byQ[q.id];
      const v = a?.answer;
      return el('li', { 'data-question': q.id },
        el('span', { class: 'qtext' }, el('span', { class: 'qid' }, q.id), ' ', q.text), ' ',
        el('span', { class: answerClass(catalog, q.scale, v) }, answerLabel(catalog, q.scale, v)),
        surveySynthetic && a ? el('span', {}, ' ', SYNTHETIC()) : '',
        a?.comment ? el('span', { class: 'muted' }, ` ${a.comment}`) : '', ' ',
        a ? evidenceList(a.evidence) : '');
    });
    parts.push(el('section', { class: 'norm-answers', 'data-norm': n.id },
      el('h3', {}, normLink(n.id, `${n.paragraph} ${n.title}`)),
      el('ul', { class: 'answers' }, ...items)));
  }
  box.replaceChildren(...parts);
}

async function dashboard(iso3, year) {
  const d = await api(`countries/${iso3}/dashboard${year ? `?year=${year}` : ''}`);
  $('#year').value = d.year;
  $('#synthetic').hidden = !(d.synthetic_data || surveySynthetic);
  const rows = [];
  for (const g of d.goals) {
    rows.push(el('tr', { class: 'goal', 'data-goal': g.id },
      el('th', { scope: 'row' }, `${g.id} ${g.title}`),
      el('td', { class: `r-${g.rating}` }, RATING_LABEL[g.rating]),
      el('td', {}, TREND_LABEL[g.trend]),
      el('td', {}, `${g.indicators_with_data}/${g.indicator_count} with data`), el('td', {})));
    for (const i of g.indicators) {
      rows.push(el('tr', { 'data-indicator': i.id },
        el('td', { class: 'ind' }, `${i.id} ${i.name}`),
        el('td', { class: `r-${i.rating}` }, RATING_LABEL[i.rating]),
        el('td', {}, TREND_LABEL[i.trend]),
        el('td', {}, i.value === undefined ? '—' : `${i.value} (${i.value_year})${i.synthetic ? ' SYNTHETIC' : ''}`,
          i.source_type ? el('span', { class: 'stype', 'data-source-type': i.source_type }, ` ${SOURCE_TYPE_LABEL[i.source_type] || i.source_type}`) : null,
          i.self_reported ? el('div', { class: 'own-report' + (i.disagreement ? ' disagrees' : ''), 'data-disagreement': i.disagreement ? 'yes' : 'no' },
            `Own report (${i.self_reported.question}, ${i.self_reported.year}${i.self_reported.synthetic ? ', SYNTHETIC' : ''}): ${i.self_reported.answer}`,
            i.disagreement ? el('strong', {}, ' — disagrees with the desk research') : null) : null),
        el('td', {}, i.source ? link('evidence', i.source) : '')));
    }
  }
  $('#dashboard tbody').replaceChildren(...rows);
  const y = year ? `year=${year}&` : '';
  downloadBlock($('#dash-data'), [['CSV', `/api/v1/countries/${iso3}/dashboard?${y}format=csv`],
    ['JSON', `/api/v1/countries/${iso3}/dashboard?${y}format=json`],
    ['SDMX-CSV (every observation of the State)', `/api/v1/observations/export?country=${iso3}&format=sdmx`]],
  ['Dashboards', '/docs/dashboards']);
  const cv = d.coverage;
  $('#coverage').textContent = cv ? `${cv.with_data} of ${cv.indicators} indicators have a value: ` +
    `${cv.desk_research} from desk research, ${cv.self_reported} self-reported, ${cv.derived} derived.` : '';
  $('#forum-summary').textContent = d.forum.summary.agreed ? monitorSummary(d.forum) : 'No forum action for this state yet.';
  $('#forum-actions tbody').replaceChildren(...monitorRows(d.forum));
  $('#forum-actions').hidden = d.forum.actions.length === 0;
}

async function gaps(iso3, year) {
  const g = await api(`countries/${iso3}/gaps${year ? `?year=${year}` : ''}`);
  $('#gaps').replaceChildren(...g.gaps.filter((x) => x.priority < 4).map((x) => el('li', { 'data-indicator': x.indicator },
    el('strong', {}, `P${x.priority} ${x.indicator} ${x.name}: `), RATING_LABEL[x.status], '. ',
    ...x.capacity_needs.filter((n) => n.needs).map((n) => el('span', { class: 'need' }, ` Reported need: ${n.needs}.`)))));
  const nodata = g.gaps.filter((x) => x.priority === 4).length;
  if (nodata) $('#gaps').append(el('li', {}, `${nodata} indicators have no value yet (priority 4): data needed.`));
}

// Capacity building: initiatives benefiting the state and the measured
// gaps (priority 1-3) they address.
async function capacity(iso3, year) {
  const m = await api(`capacity/match/${iso3}${year ? `?year=${year}` : ''}`);
  $('#capacity-link').href = `/capacity.html?iso3=${iso3}${year ? `&year=${year}` : ''}`;
  const measured = m.gaps.filter((g) => g.priority < 4);
  const served = measured.filter((g) => g.addressed_by.length);
  $('#capacity-summary').textContent = `${m.initiatives.length} initiative${m.initiatives.length === 1 ? '' : 's'} name this state as a beneficiary; ` +
    `${served.length} of its ${measured.length} measured gap${measured.length === 1 ? ' is' : 's are'} addressed by at least one.`;
  $('#capacity').replaceChildren(...m.initiatives.map((i) => el('li', { 'data-id': i.id }, link(i.title, i.source_url),
    ` (${i.status}). Addresses: ${measured.filter((g) => g.addressed_by.some((x) => x.id === i.id)).map((g) => g.indicator).join(', ') || 'none of the measured gaps'}.`,
    i.synthetic ? el('span', {}, ' ', SYNTHETIC()) : '')));
}

async function stateAgreements(iso3) {
  const list = await all(`countries/${iso3}/agreements`);
  $('#state-agreements').replaceChildren(...(list.length ? list.map((g) => el('li', { 'data-id': g.id },
    el('a', { href: `/agreements.html#${g.id}` }, g.short_name), ` (${g.year}): ${g.role}, ${g.date || 'date not known'}. `, link('source', g.source_url)))
    : [el('li', { class: 'muted' }, 'No agreement records this state as a participant.')]));
}

// The state's index score across editions, drawn by the server's renderer
// (report/); shown only when the latest edition scores the state.
async function history(iso3) {
  const eds = await api('index/editions?per_page=1000');
  const latest = eds.items.map((x) => x.year).sort((a, b) => b - a)[0];
  if (!latest) return;
  const ed = await api(`index/editions/${latest}`);
  if (!(ed.states || []).some((x) => x.iso3 === iso3 && typeof x.score === 'number')) return;
  const img = $('#history-chart');
  img.addEventListener('load', () => { $('#history').hidden = false; });
  img.alt = `Line chart of ${iso3}'s CDG index score in each annual edition`;
  img.src = `/api/v1/countries/${iso3}/index-history`;
  $('#history-data').href = '/api/v1/index/editions';
}

async function main() {
  const iso3 = isoFromPage();
  if (!iso3) { fail(new Error('give ?iso3=XXX')); return; }
  try {
    const [catalog, countries] = await Promise.all([api('framework'), all('countries')]);
    const names = Object.fromEntries(countries.map((c) => [c.iso3, c.name]));
    await facts(iso3, names);
    await dashboard(iso3);
    history(iso3).catch(() => {});
    await gaps(iso3, $('#year').value);
    await capacity(iso3, $('#year').value);
    await stateAgreements(iso3);
    await answers(iso3, catalog);
    $('#year').addEventListener('change', () => {
      const y = $('#year').value;
      Promise.all([dashboard(iso3, y), gaps(iso3, y), capacity(iso3, y)]).catch(fail);
    });
    $('#status').textContent = 'Every value links to its evidence.';
  } catch (err) {
    fail(err);
  }
}

main();
