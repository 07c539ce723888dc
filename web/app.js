// The home page: reads the catalog from the JSON API and renders it.
const $ = (sel) => document.querySelector(sel);

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
}

async function getJSON(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ? body.error.message : r.statusText);
  return body;
}

async function main() {
  try {
    const [health, fw] = await Promise.all([getJSON('/api/v1/health'),
      getJSON('/api/v1/framework')]);
    const tbody = $('#norms tbody');
    for (const n of fw.norms) {
      tbody.append(el('tr', { 'data-norm': n.id },
        el('td', {}, `${n.paragraph} ${n.title}`),
        el('td', { class: `cat-${n.category}` }, n.category.replace('_', ' / ')),
        el('td', {}, n.paraphrase)));
    }
    const ol = $('#goals');
    for (const g of fw.goals) {
      ol.append(el('li', { 'data-goal': g.id },
        el('strong', {}, `${g.id} ${g.title}. `), g.description));
    }
    $('#status').textContent = `Catalog ${health.catalog_version}: ` +
      `${health.norms} norms, ${health.goals} goals, ${health.indicators} indicators; ` +
      `${health.countries} states in the reference data.`;
  } catch (err) {
    $('#status').textContent = `Could not load data: ${err.message}`;
    $('#status').className = 'error';
  }
}

main();
