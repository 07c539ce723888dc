// Country profile: facts with sources, the CDG dashboard, the gaps.
import { $, el, api, fail, isoFromPage, RATING_LABEL, TREND_LABEL } from './common.js';

function link(text, url) {
  return /^https?:\/\//.test(url || '') ? el('a', { href: url, rel: 'noopener' }, text) : el('span', {}, url || text);
}

async function facts(iso3) {
  const p = await api(`countries/${iso3}`);
  const c = p.country;
  document.title = `cdg — ${c.name}`;
  $('#name').textContent = `${c.name} (${c.iso3})`;
  const dl = $('#facts');
  const add = (k, v) => dl.append(el('dt', {}, k), el('dd', {}, ...v));
  add('UN', [c.status === 'member' ? `member since ${c.admission_date}` : 'observer State', ' — ', link('source', c.source_url)]);
  if (!p.treaties.length) add('Budapest Convention', ['no record in the reference data']);
  for (const t of p.treaties) {
    const dates = [t.signature_date && `signed ${t.signature_date}`, t.ratification_date && `ratified ${t.ratification_date}`,
      t.entry_into_force_date && `in force ${t.entry_into_force_date}`].filter(Boolean).join(', ');
    add(t.short_name || t.treaty_id, [`${t.status}${dates ? ` (${dates})` : ''} — `, link('source', t.source_url)]);
  }
}

async function dashboard(iso3, year) {
  const d = await api(`countries/${iso3}/dashboard${year ? `?year=${year}` : ''}`);
  $('#year').value = d.year;
  $('#synthetic').hidden = !d.synthetic_data;
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
        el('td', {}, i.value === undefined ? '—' : `${i.value} (${i.value_year})${i.synthetic ? ' SYNTHETIC' : ''}`),
        el('td', {}, i.source ? link('evidence', i.source) : '')));
    }
  }
  $('#dashboard tbody').replaceChildren(...rows);
}

async function gaps(iso3, year) {
  const g = await api(`countries/${iso3}/gaps${year ? `?year=${year}` : ''}`);
  $('#gaps').replaceChildren(...g.gaps.filter((x) => x.priority < 4).map((x) => el('li', { 'data-indicator': x.indicator },
    el('strong', {}, `P${x.priority} ${x.indicator} ${x.name}: `), RATING_LABEL[x.status], '. ',
    ...x.capacity_needs.filter((n) => n.needs).map((n) => el('span', { class: 'need' }, ` Reported need: ${n.needs}.`)))));
  const nodata = g.gaps.filter((x) => x.priority === 4).length;
  if (nodata) $('#gaps').append(el('li', {}, `${nodata} indicators have no value yet (priority 4): data needed.`));
}

async function main() {
  const iso3 = isoFromPage();
  if (!iso3) { fail(new Error('give ?iso3=XXX')); return; }
  try {
    await facts(iso3);
    await dashboard(iso3);
    await gaps(iso3, $('#year').value);
    $('#year').addEventListener('change', () => {
      const y = $('#year').value;
      Promise.all([dashboard(iso3, y), gaps(iso3, y)]).catch(fail);
    });
    $('#status').textContent = 'Every value links to its evidence.';
  } catch (err) {
    fail(err);
  }
}

main();
