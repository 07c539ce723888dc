// The 11 norms (UN GGE 2015, A/70/174 para. 13), each linked to its page.
import { $, el, api, fail } from './common.js';

const CATEGORY = { restraint: 'restraint', cooperation_protection: 'cooperation / protection', industry: 'industry' };

async function main() {
  try {
    const fw = await api('framework');
    const norms = fw.norms.filter((n) => /^[a-k]$/.test(n.id));
    $('#norms-list tbody').replaceChildren(...norms.map((n) => el('tr', { 'data-norm': n.id },
      el('th', { scope: 'row' }, el('a', { href: `/norm.html?letter=${n.id}` }, `${n.paragraph} ${n.title}`)),
      el('td', { class: `cat-${n.category}`, 'data-label': 'Category' }, CATEGORY[n.category] || n.category),
      el('td', { 'data-label': 'In short' }, n.paraphrase),
      el('td', { 'data-label': 'Goals' }, fw.goals.filter((g) => (g.norms || []).includes(n.id)).map((g) => g.id).join(', ') || '—'))));
    $('#status').textContent = `${norms.length} norms.`;
  } catch (err) {
    fail(err);
  }
}

main();
