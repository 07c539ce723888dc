// Country profile: facts with sources, cybercrime treaties, the CDG
// dashboard, the gaps, the survey answers norm by norm and the
// accountability registry.
import { $, el, api, all, fail, fold, states, isoFromPage, RATING_LABEL, TREND_LABEL, SOURCE_TYPE_LABEL, monitorRows, monitorSummary, downloadBlock } from './common.js';
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
  add('Budapest Convention', [el('span', { id: 'budapest-status', 'data-status': bc ? bc.status : 'none' },
    bc ? `${bc.status}${bc.ratification_date ? ` (ratified ${bc.ratification_date})` : ''}` : 'not a party (no record)'),
  ' — see ', el('a', { href: '#treaties-h' }, 'cybercrime treaties'), el('span', { id: 'budapest-indicator' })]);
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

// The Budapest fact beside indicator CDG4.3.1 of the dashboard's year, so
// that a reader sees that the two agree (both come from the treaty office
// records of the reference data).
function budapestIndicator(d) {
  const i = d.goals.flatMap((g) => g.indicators).find((x) => x.id === 'CDG4.3.1');
  if (!i) return;
  $('#budapest-indicator').replaceChildren('; indicator ', el('a', { href: '#ind-CDG4.3.1' }, 'CDG4.3.1'),
    ` (${i.name}) in ${d.year}: `, el('span', { 'data-value': i.value === undefined ? '' : String(i.value) },
      i.value === undefined ? 'no value' : i.value === 1 ? 'yes (1)' : `no (${i.value})`));
}

// A goal rated on fewer than half of its indicators is grey, "insufficient
// data", whatever its rating (docs/dashboards.md).
function goalRating(g) {
  const few = g.insufficient_data ?? 2 * g.indicators_with_data < g.indicator_count;
  return few && g.indicators_with_data > 0 ? el('td', { class: 'r-insufficient', 'data-rating': 'insufficient_data' },
    `insufficient data (${g.indicators_with_data} of ${g.indicator_count} indicators)`)
    : el('td', { class: `r-${g.rating}`, 'data-rating': g.rating }, RATING_LABEL[g.rating]);
}

async function dashboard(iso3, year) {
  const d = await api(`countries/${iso3}/dashboard${year ? `?year=${year}` : ''}`);
  $('#year').value = d.year;
  budapestIndicator(d);
  $('#synthetic').hidden = !(d.synthetic_data || surveySynthetic);
  const rows = [];
  for (const g of d.goals) {
    rows.push(el('tr', { class: 'goal', 'data-goal': g.id },
      el('th', { scope: 'row' }, `${g.id} ${g.title}`),
      goalRating(g),
      el('td', {}, TREND_LABEL[g.trend]),
      el('td', {}, `${g.indicators_with_data}/${g.indicator_count} with data`), el('td', {})));
    for (const i of g.indicators) {
      rows.push(el('tr', { 'data-indicator': i.id, id: `ind-${i.id}`, class: i.value === undefined ? 'no-value' : undefined },
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
  return d;
}

// The headline: the latest index edition's score, rank and 5-95 % rank
// interval, or why the State is not ranked; and how many indicators have a
// value, by source type (d: the dashboard).
async function headline(iso3, catalog, d) {
  const dl = $('#headline');
  const add = (id, k, ...v) => dl.append(el('dt', {}, k), el('dd', { id }, ...v));
  const names = Object.fromEntries(catalog.indicators.map((i) => [i.id, i.name]));
  const eds = await all('index/editions');
  const latest = eds.sort((a, b) => b.year - a.year)[0];
  if (!latest) {
    add('index', 'Index', 'No index edition has been computed yet.');
  } else {
    const ed = await api(`index/editions/${latest.year}`);
    const e = ed.edition || {};
    const s = (ed.states || []).find((x) => x.iso3 === iso3);
    const label = `Index ${latest.year}${e.published ? '' : ' (draft)'}${e.synthetic ? ', SYNTHETIC inputs' : ''}`;
    const cv = s?.coverage;
    if (s && typeof s.score === 'number') {
      add('index', label, el('strong', { class: 'score' }, `score ${s.score.toFixed(1)}`), ' of 100, ',
        el('strong', { class: 'rank' }, `rank ${s.rank} of ${e.ranked}`),
        el('span', { class: 'interval' }, ` (5–95 % rank interval: ${s.rank_p05}–${s.rank_p95})`),
        cv ? `; on ${cv.with_data} of the index's ${cv.indicators} indicators.` : '.');
    } else if (cv) {
      add('index', label, el('strong', { class: 'not-ranked' }, `not ranked: ${cv.with_data} of ${cv.indicators} indicators`),
        ` have a value, and the methodology needs at least ${cv.needed}. Missing: `,
        ...cv.missing.flatMap((m, k) => [k ? '; ' : '', el('span', { class: 'missing', 'data-indicator': m }, `${m} ${names[m] || ''}`.trim())]), '.');
    } else {
      add('index', label, el('strong', { class: 'not-ranked' }, 'not ranked'), ': the edition does not cover this State.');
    }
  }
  const c = d.coverage;
  if (c) {
    add('coverage', `Indicators (${d.year})`, `${c.with_data} of ${c.indicators} indicators: ${c.desk_research} from desk research, ` +
      `${c.self_reported} self-reported, ${c.derived} derived from the registry.`);
  }
}

// No State, or no State with that code: the A-Z list, with a message.
async function stateList(message) {
  document.title = 'cdg — States A–Z';
  $('#name').textContent = 'States A–Z';
  for (const sec of document.querySelectorAll('main > section')) sec.hidden = sec.id !== 'az';
  $('#toc').hidden = true;
  const s = $('#status');
  s.textContent = message;
  s.className = message.startsWith('Choose') ? '' : 'error';
  const list = (await states()).slice().sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
  const groups = new Map();
  for (const c of list) {
    const l = fold(c.name).charAt(0).toUpperCase();
    if (!groups.has(l)) groups.set(l, []);
    groups.get(l).push(c);
  }
  $('#az-letters').replaceChildren(...[...groups.keys()].map((l) => el('li', {}, el('a', { href: `#az-${l}` }, l))));
  $('#az-list').replaceChildren(...[...groups].map(([l, cs]) => el('section', { 'aria-labelledby': `az-${l}` },
    el('h3', { id: `az-${l}` }, l),
    el('ul', { class: 'az' }, ...cs.map((c) => el('li', { 'data-iso3': c.iso3 },
      el('a', { href: `/country.html?iso3=${c.iso3}` }, c.name), ` (${c.iso3})`))))));
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
  const params = new URLSearchParams(location.search);
  const iso3 = isoFromPage();
  try {
    if (!iso3) {
      const q = (params.get('q') || params.get('iso3') || '').trim();
      if (!q) { await stateList('Choose a State below, or find one with the search box.'); return; }
      // A search sent without the page's script (?q=): the server resolves it.
      const r = await fetch(`/api/v1/countries/resolve?q=${encodeURIComponent(q)}`);
      const j = await r.json().catch(() => ({}));
      if (r.ok && j.iso3) { location.replace(`/country.html?iso3=${j.iso3}`); return; }
      await stateList(`No State found for "${q}": ${j.error?.message || r.statusText}. Choose one below.`);
      return;
    }
    const known = await fetch(`/api/v1/countries/${iso3}`, { method: 'HEAD' });
    if (known.status === 404 || known.status === 400) {
      await stateList(`No State has the code "${iso3}" (ISO 3166-1 alpha-3). Choose one below.`);
      return;
    }
    const [catalog, countries] = await Promise.all([api('framework'), states()]);
    const names = Object.fromEntries(countries.map((c) => [c.iso3, c.name]));
    await facts(iso3, names);
    const d = await dashboard(iso3);
    await headline(iso3, catalog, d);
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
