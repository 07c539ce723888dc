/* Identity in the registry: the key that matches incident titles, the
 * canonical form of ids read from files, and the links between actors of
 * different sources that are the same group.  See formats.h and
 * docs/registry.md ("Identity"). */
#include "formats/formats.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The lower-case form of code point c for the letters reg_title_key()
 * folds (ASCII, Latin-1 Supplement, Latin Extended-A); c otherwise. */
static unsigned fold(unsigned c)
{
	if (c < 0x80)
		return (unsigned)tolower((int)c);
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 0x20;
	if (c == 0x178)
		return 0xFF;
	if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) ||
	    (c >= 0x14A && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c + 1 : c;
	return c;
}

static void put_utf8(struct buf *b, unsigned c)
{
	if (c < 0x80) {
		buf_addc(b, (char)c);
	} else if (c < 0x800) {
		buf_addc(b, (char)(0xC0 | (c >> 6)));
		buf_addc(b, (char)(0x80 | (c & 0x3F)));
	}
}

const char *reg_title_key(struct arena *a, const char *title)
{
	struct buf b = BUF_INIT;
	bool space = false;
	for (const unsigned char *p = (const unsigned char *)title; *p;) {
		unsigned c = *p;
		size_t len = 1;
		/* Two-byte sequences are the only ones folded; longer ones and
		 * stray bytes are copied as they are. */
		if ((c & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
			c = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
			len = 2;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
		    c == '\f' || (len == 2 && c == 0xA0)) {
			space = b.len > 0;
		} else {
			if (space)
				buf_addc(&b, ' ');
			space = false;
			if (len == 2 && c >= 0x80)
				put_utf8(&b, fold(c));
			else if (len == 1 && c < 0x80)
				buf_addc(&b, (char)fold(c));
			else
				buf_add(&b, p, len);
		}
		p += len;
	}
	const char *k = arena_strdup(a, b.p);
	buf_free(&b);
	return k;
}

void reg_incident_key(struct reg_set *s, const char *title, const char *id)
{
	const char *k = reg_title_key(&s->arena, title);
	if (!strmap_get(&s->incident_keys, k))
		strmap_put(&s->incident_keys, k, arena_strdup(&s->arena, id));
}

const char *reg_incident_id(struct reg_set *s, const char *title)
{
	const char *k = reg_title_key(&s->arena, title);
	const char *id = strmap_get(&s->incident_keys, k);
	if (id)
		return id;
	char u[37];
	reg_uuid("incident", k, u);
	char *made = arena_strdup(&s->arena, u);
	strmap_put(&s->incident_keys, k, made);
	return made;
}

const char *reg_incident_uuid(struct arena *a, const char *id)
{
	static const char *const prefixes[] = {"incident--", "campaign--"};
	for (size_t i = 0; i < 2; i++)
		if (strncmp(id, prefixes[i], strlen(prefixes[i])) == 0)
			return arena_strdup(a, id + strlen(prefixes[i]));
	return id;
}

/* ---- actor identity -------------------------------------------------------- */

/* The ATT&CK group id ("G0034") a text names: a reference URL
 * .../attack.mitre.org/groups/G0034, or the id alone (MISP lists it among
 * the synonyms); NULL if none. */
static const char *attack_group(struct arena *a, const char *s)
{
	const char *p = strstr(s, "attack.mitre.org/groups/");
	p = p ? p + strlen("attack.mitre.org/groups/") : s;
	size_t n = 1;
	while (isdigit((unsigned char)p[n]))
		n++;
	if (p[0] != 'G' || n != 5 || (p[n] && p[n] != '/') || (p == s && p[n]))
		return NULL;
	return arena_strndup(a, p, n);
}

struct key_list {
	size_t *v;
	size_t n, cap;
};

struct links {
	struct reg_set *s;
	const char *const *origins;
	struct strmap keys;        /* key -> struct key_list */
	struct key_list **lists;   /* every list, to free their arrays */
	size_t n_lists, cap_lists;
	struct strmap pairs;       /* "a|b" -> 1 + index into out */
	struct reg_actor_link *out;
	size_t n, cap;
};

static void key_add(struct links *l, const char *key, size_t i)
{
	struct key_list *k = strmap_get(&l->keys, key);
	if (!k) {
		if (l->n_lists == l->cap_lists) {
			l->cap_lists = l->cap_lists ? l->cap_lists * 2 : 64;
			l->lists = xrealloc(l->lists, l->cap_lists * sizeof *l->lists);
		}
		k = arena_alloc(&l->s->arena, sizeof *k);
		l->lists[l->n_lists++] = k;
		strmap_put(&l->keys, key, k);
	}
	if (k->n && k->v[k->n - 1] == i)
		return;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 4;
		k->v = xrealloc(k->v, k->cap * sizeof *k->v);
	}
	k->v[k->n++] = i;
}

static void link_add(struct links *l, size_t a, size_t b, const char *basis)
{
	if (a == b)
		return;
	if (a > b) {
		size_t t = a;
		a = b;
		b = t;
	}
	if (l->origins && l->origins[a] && l->origins[b] &&
	    strcmp(l->origins[a], l->origins[b]) == 0)
		return;
	const char *pk = arena_printf(&l->s->arena, "%zu|%zu", a, b);
	if (strmap_get(&l->pairs, pk))
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->out = xrealloc(l->out, l->cap * sizeof *l->out);
	}
	l->out[l->n] = (struct reg_actor_link){a, b, basis};
	strmap_put(&l->pairs, pk, (void *)(l->n + 1));
	l->n++;
}

static int cmp_link(const void *x, const void *y)
{
	const struct reg_actor_link *p = x, *q = y;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : p->b > q->b;
}

struct reg_actor_link *reg_actor_links(struct reg_set *s,
				       const char *const *origins, size_t *n)
{
	struct links l = {.s = s, .origins = origins};
	struct arena *a = &s->arena;
	strmap_init(&l.keys);
	strmap_init(&l.pairs);
	/* Keys: "g:" an ATT&CK group id, "n:" a name, "a:" an alias. */
	for (size_t i = 0; i < s->n_actors; i++) {
		const struct reg_actor *r = &s->actors[i];
		for (size_t k = 0; k < r->n_refs; k++) {
			const char *g = attack_group(a, r->refs[k]);
			if (g)
				key_add(&l, arena_printf(a, "g:%s", g), i);
		}
		for (size_t k = 0; k < r->n_aliases; k++) {
			const char *g = attack_group(a, r->aliases[k]);
			if (g)
				key_add(&l, arena_printf(a, "g:%s", g), i);
		}
	}
	/* A shared ATT&CK group id first: the strongest basis. */
	for (size_t i = 0; i < s->n_actors; i++) {
		const struct reg_actor *r = &s->actors[i];
		for (size_t k = 0; k < r->n_refs + r->n_aliases; k++) {
			const char *g = attack_group(a, k < r->n_refs ? r->refs[k]
						     : r->aliases[k - r->n_refs]);
			struct key_list *kl = g ? strmap_get(&l.keys, arena_printf(a, "g:%s", g))
						: NULL;
			for (size_t j = 0; kl && j < kl->n; j++)
				link_add(&l, i, kl->v[j],
					 arena_printf(a, "ATT&CK group %s", g));
		}
	}
	/* Then a name that is the other's name or one of its aliases. */
	for (size_t i = 0; i < s->n_actors; i++) {
		const struct reg_actor *r = &s->actors[i];
		key_add(&l, arena_printf(a, "n:%s", reg_title_key(a, r->name)), i);
		for (size_t k = 0; k < r->n_aliases; k++)
			key_add(&l, arena_printf(a, "a:%s", reg_title_key(a, r->aliases[k])), i);
	}
	for (size_t i = 0; i < s->n_actors; i++) {
		const struct reg_actor *r = &s->actors[i];
		const char *nk = reg_title_key(a, r->name);
		struct key_list *same = strmap_get(&l.keys, arena_printf(a, "n:%s", nk));
		for (size_t j = 0; same && j < same->n; j++)
			link_add(&l, i, same->v[j],
				 arena_printf(a, "same name \"%s\"", r->name));
		struct key_list *alias = strmap_get(&l.keys, arena_printf(a, "a:%s", nk));
		for (size_t j = 0; alias && j < alias->n; j++)
			link_add(&l, i, alias->v[j],
				 arena_printf(a, "\"%s\" is an alias of \"%s\"", r->name,
					      s->actors[alias->v[j]].name));
	}
	qsort(l.out, l.n, sizeof *l.out, cmp_link);
	for (size_t i = 0; i < l.n_lists; i++)
		free(l.lists[i]->v);
	free(l.lists);
	strmap_free(&l.keys);
	strmap_free(&l.pairs);
	*n = l.n;
	return l.out;
}
