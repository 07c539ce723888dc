// Rendering helpers shared by the profile, norm and incident pages: links
// to sources, survey answers and attributions.
import { el } from './common.js';

// A link when url is http(s); other references (e.g. "doc:...") as text.
export function link(text, url) {
  return /^https?:\/\//.test(url || '') ? el('a', { href: url, rel: 'noopener' }, text) : el('span', {}, url || text);
}

export function countryLink(iso3, names) {
  if (!iso3) return el('span', {}, 'unknown state');
  return el('a', { href: `/country.html?iso3=${iso3}` }, names?.[iso3] || iso3);
}

export function normLink(letter, text) {
  return el('a', { href: `/norm.html?letter=${letter}` }, text || `13(${letter})`);
}

// The label of an answer value on a question's scale.
export function answerLabel(catalog, scaleId, value) {
  if (value === null || value === undefined) return 'unanswered';
  const s = catalog.survey.scales.find((x) => x.id === scaleId);
  return s?.options.find((o) => o.value === value)?.label || value;
}

// A CSS class for an answer: its score band on the scale.
export function answerClass(catalog, scaleId, value) {
  const s = catalog.survey.scales.find((x) => x.id === scaleId);
  const o = s?.options.find((x) => x.value === value);
  if (!o || o.score === null || o.score === undefined) return 'ans ans-none';
  return `ans ans-${o.score >= 0.75 ? 'high' : o.score >= 0.5 ? 'mid' : o.score > 0 ? 'low' : 'zero'}`;
}

// Evidence references of an answer: links where they are URLs.
export function evidenceList(evidence, { compact } = {}) {
  if (!evidence?.length) return el('span', { class: 'muted' }, compact ? 'no evidence' : 'no evidence given');
  const out = el('span', { class: 'evidence' }, compact ? '' : 'Evidence: ');
  evidence.forEach((u, i) => {
    if (i) out.append(', ');
    out.append(link(evidence.length > 1 ? `evidence ${i + 1}` : 'evidence', u));
  });
  return out;
}

export const SYNTHETIC = () => el('span', { class: 'tag-synthetic' }, 'SYNTHETIC');

// One attribution as list item content: when, who said it about whom, the
// statement (linked) and what it invokes.
// self: the state whose page this is (named "this state", not linked).
export function attribution(a, names, { incident, self } = {}) {
  const who = (iso3, fallback) => (iso3 && iso3 === self ? el('span', {}, 'this state')
    : iso3 ? countryLink(iso3, names) : el('span', {}, fallback));
  const li = el('li', { class: 'attribution' },
    el('span', { class: 'date' }, a.date || 'undated'), ': ',
    who(a.party_iso3, a.party_name), ' attributed ',
    incident ? el('strong', {}, incident) : 'it', ' to ', who(a.attributed_iso3, 'no state named'),
    a.actor ? ` (${a.actor})` : '', '. Statement: ',
    link(a.statement_title || 'statement', a.statement_url));
  const how = [typeof a.confidence === 'number' && `stated confidence ${a.confidence}/100`, a.basis && `basis: ${a.basis}`]
    .filter(Boolean).join('; ');
  if (how) li.append(el('span', { class: 'muted' }, ` (${how})`));
  // Profiles give the invocations as one text, "13(f); other text; 13(c)
  // (our mapping); ...".
  const inv = a.invocations?.length ? a.invocations : (a.norms || a.invoked || '').split('; ').filter(Boolean)
    .map((t) => {
      const m = /^13\(([a-k])\)( \(our mapping\))?$/.exec(t);
      return m ? { norm_id: m[1], kind: m[2] ? 'norm_mapping' : 'norm' } : { text: t };
    });
  if (inv.length) {
    const ul = el('ul', { class: 'invoked' });
    for (const v of inv) {
      if (v.norm_id) {
        ul.append(el('li', {}, 'norm ', normLink(v.norm_id),
          v.kind === 'norm_mapping' ? el('span', { class: 'muted' }, ' (our mapping, not stated in the text)') : '',
          v.articulation ? `: “${v.articulation}”` : ''));
      } else {
        // A norm the words describe without its letter (docs/registry.md).
        const kind = v.kind === 'commitment' && v.rule === 'norm' ? 'norm described in the words' : (v.kind || 'invokes').replaceAll('_', ' ');
        ul.append(el('li', {}, el('span', { class: 'kind' }, kind), ': ', v.text || ''));
      }
    }
    li.append(ul);
  }
  return li;
}
