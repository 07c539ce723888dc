/* Names of States and of non-UN entities: the one matcher every importer
 * calls (see formats.h, "names").  Pure: the caller fills it from the
 * database (the country table, data/reference/state_aliases.csv and
 * non_un_entities.csv as loaded by cdg init). */
#include "formats/formats.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the key of a name -------------------------------------------------------- */

/* ASCII letters for U+00C0..U+00FF; NULL for the two signs (× ÷), which
 * separate words. */
static const char *const latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
};
/* The base letter of U+0100..U+017F (Latin Extended-A); the ligatures
 * U+0132/3 and U+0152/3 are handled apart. */
static const char latin_ext_a[] =
	"aaaaaacccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii" "ii"
	"jj" "kkk" "llllllllll" "nnnnnnnnn" "oooooo" "oo" "rrrrrr" "ssssssss"
	"tttttt" "uuuuuuuuuuuu" "ww" "yyy" "zzzzzz" "s";

/* Decodes one UTF-8 sequence at p (n bytes available) into *cp; returns
 * its length, 1 for a byte that starts no valid sequence (*cp = 0xFFFD). */
static size_t utf8_next(const unsigned char *p, unsigned *cp)
{
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	size_t len = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 0;
	unsigned v = len == 4 ? p[0] & 0x07u : len == 3 ? p[0] & 0x0Fu : p[0] & 0x1Fu;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			len = 0;
			break;
		}
		v = v << 6 | (p[i] & 0x3Fu);
	}
	if (!len) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = v;
	return len;
}

/* One word being built: letters folded to lower-case ASCII (other scripts
 * kept as written). */
struct word {
	char v[128];
	size_t n;
};

static void word_add(struct word *w, const char *s, size_t n)
{
	if (w->n + n < sizeof w->v) {
		memcpy(w->v + w->n, s, n);
		w->n += n;
	}
}

/* Ends the word in w: "the" is dropped, "st" read as "saint", and the rest
 * appended to out. */
static void word_end(struct word *w, struct buf *out)
{
	w->v[w->n] = '\0';
	if (w->n && strcmp(w->v, "the") != 0)
		buf_adds(out, strcmp(w->v, "st") == 0 ? "saint" : w->v);
	w->n = 0;
}

/* The key of s: its words with diacritics folded, in lower case, joined
 * with nothing between them, "the" left out and "&" read as "and";
 * apostrophes join ("People's" is "peoples"); drop_paren leaves out what
 * is in parentheses. */
static void name_key(const char *s, bool drop_paren, struct buf *out)
{
	struct word w = {.n = 0};
	int depth = 0;
	buf_reset(out);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		unsigned cp;
		size_t len = utf8_next(p, &cp);
		const unsigned char *at = p;
		p += len;
		if (cp == '(') {
			word_end(&w, out);
			depth++;
			continue;
		}
		if (cp == ')') {
			word_end(&w, out);
			if (depth)
				depth--;
			continue;
		}
		if (drop_paren && depth)
			continue;
		if (cp == '\'' || cp == '`' || cp == 0x2019 || cp == 0x2018 ||
		    cp == 0x02BC || cp == 0x00B4)
			continue; /* apostrophes join */
		if (cp < 0x80 && isalnum((int)cp)) {
			char c = (char)tolower((int)cp);
			word_add(&w, &c, 1);
		} else if (cp == '&') {
			word_end(&w, out);
			buf_adds(out, "and");
		} else if (cp >= 0xC0 && cp <= 0xFF && latin1[cp - 0xC0]) {
			word_add(&w, latin1[cp - 0xC0], strlen(latin1[cp - 0xC0]));
		} else if (cp == 0x132 || cp == 0x133) {
			word_add(&w, "ij", 2);
		} else if (cp == 0x152 || cp == 0x153) {
			word_add(&w, "oe", 2);
		} else if (cp >= 0x100 && cp <= 0x17F) {
			word_add(&w, &latin_ext_a[cp - 0x100], 1);
		} else if (cp >= 0x180 && cp != 0xFFFD && !(cp >= 0x2000 && cp <= 0x206F) &&
			   cp != 0x3000 && cp != 0xFEFF) {
			word_add(&w, (const char *)at, len); /* another script */
		} else {
			word_end(&w, out);
		}
	}
	word_end(&w, out);
}

/* ---- the table -------------------------------------------------------------- */

void reg_names_init(struct reg_names *n)
{
	memset(n, 0, sizeof *n);
	strmap_init(&n->states);
	strmap_init(&n->entities);
	strmap_init(&n->shown);
	arena_init(&n->arena);
}

void reg_names_free(struct reg_names *n)
{
	strmap_free(&n->states);
	strmap_free(&n->entities);
	strmap_free(&n->shown);
	free(n->keys);
	arena_free(&n->arena);
	memset(n, 0, sizeof *n);
}

/* Maps the key of name (parenthesised part dropped if drop_paren) to val
 * in m unless taken: the first State to claim a key keeps it. */
static void put_key(struct reg_names *n, struct strmap *m, const char *name,
		    bool drop_paren, const void *val, bool state)
{
	struct buf b = BUF_INIT;
	name_key(name, drop_paren, &b);
	if (b.len && !strmap_get(m, b.p)) {
		const char *k = arena_strdup(&n->arena, b.p);
		strmap_put(m, k, (void *)(uintptr_t)val);
		if (state) {
			if (n->n_keys == n->cap_keys) {
				n->cap_keys = n->cap_keys ? 2 * n->cap_keys : 512;
				n->keys = xrealloc(n->keys, n->cap_keys * sizeof *n->keys);
			}
			n->keys[n->n_keys++] = (struct reg_name_key){k, val};
		}
	}
	buf_free(&b);
}

/* The stored copy of code (one per State, so results compare by value). */
static const char *code_of(struct reg_names *n, const char *iso3)
{
	const char *c = strmap_get(&n->states, arena_printf(&n->arena, "=%s", iso3));
	return c ? c : arena_strdup(&n->arena, iso3);
}

/* "B A" for "A, B" and for "A (B)", or NULL. */
static char *inverted(struct arena *a, const char *s)
{
	const char *comma = strchr(s, ',');
	if (comma && !strchr(comma + 1, ','))
		return arena_printf(a, "%s %.*s", comma + 1, (int)(comma - s), s);
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	const char *open = strrchr(s, '(');
	if (open && open > s && len && s[len - 1] == ')')
		return arena_printf(a, "%.*s %.*s", (int)(s + len - 1 - open - 1), open + 1,
				    (int)(open - s), s);
	return NULL;
}

void reg_names_add(struct reg_names *n, const char *iso3, const char *iso2,
		   const char *name, const char *iso_name)
{
	const char *code = code_of(n, iso3);
	/* Codes are matched as written (capitals), names by their key. */
	strmap_put(&n->states, arena_printf(&n->arena, "=%s", iso3), (void *)(uintptr_t)code);
	if (iso2 && *iso2)
		strmap_put(&n->states, arena_printf(&n->arena, "=%s", iso2),
			   (void *)(uintptr_t)code);
	if (name && *name && !strmap_get(&n->shown, code))
		strmap_put(&n->shown, code, arena_strdup(&n->arena, name));
	for (int drop = 0; drop < 2; drop++) {
		if (name && *name)
			put_key(n, &n->states, name, drop, code, true);
		if (iso_name && *iso_name)
			put_key(n, &n->states, iso_name, drop, code, true);
	}
	/* "Korea, Republic of" also as "Republic of Korea". */
	const char *swap = iso_name ? inverted(&n->arena, iso_name) : NULL;
	if (swap)
		put_key(n, &n->states, swap, false, code, true);
}

void reg_names_alias(struct reg_names *n, const char *alias, const char *iso3)
{
	put_key(n, &n->states, alias, false, code_of(n, iso3), true);
}

void reg_names_add_entity(struct reg_names *n, const char *code,
			  const char *iso2, const char *name, const char *kind,
			  const char *aliases)
{
	struct reg_entity *t = arena_alloc(&n->arena, sizeof *t);
	t->code = arena_strdup(&n->arena, code);
	t->iso2 = iso2 && *iso2 ? arena_strdup(&n->arena, iso2) : NULL;
	t->name = arena_strdup(&n->arena, name);
	t->kind = arena_strdup(&n->arena, kind ? kind : "");
	strmap_put(&n->entities, arena_printf(&n->arena, "=%s", code), t);
	if (t->iso2)
		strmap_put(&n->entities, arena_printf(&n->arena, "=%s", t->iso2), t);
	put_key(n, &n->entities, name, false, t, false);
	/* aliases: ';'-separated */
	for (const char *p = aliases ? aliases : ""; *p;) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *one = arena_strndup(&n->arena, p, len);
		put_key(n, &n->entities, one, false, t, false);
		p += len + (end != NULL);
	}
}

/* Looks text up in m: as a code, by its key, by its key without what is
 * in parentheses, and inverted ("Congo, Democratic Republic of the"). */
static const void *lookup(const struct strmap *m, const char *text)
{
	while (isspace((unsigned char)*text))
		text++;
	size_t len = strlen(text);
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	if (len == 2 || len == 3) {
		char code[8];
		snprintf(code, sizeof code, "=%.*s", (int)len, text);
		const void *c = strmap_get(m, code);
		if (c)
			return c;
	}
	struct buf b = BUF_INIT;
	const void *c = NULL;
	name_key(text, false, &b);
	if (b.len)
		c = strmap_get(m, b.p);
	if (!c) {
		name_key(text, true, &b);
		if (b.len)
			c = strmap_get(m, b.p);
	}
	if (!c) {
		struct arena a;
		arena_init(&a);
		const char *swap = inverted(&a, text);
		if (swap) {
			name_key(swap, false, &b);
			if (b.len)
				c = strmap_get(m, b.p);
		}
		arena_free(&a);
	}
	buf_free(&b);
	return c;
}

const char *reg_names_state(const struct reg_names *n, const char *text)
{
	return lookup(&n->states, text);
}

const struct reg_entity *reg_names_entity(const struct reg_names *n,
					  const char *text)
{
	return lookup(&n->entities, text);
}

const char *reg_names_shown(const struct reg_names *n, const char *iso3)
{
	const char *s = strmap_get(&n->shown, iso3);
	return s ? s : iso3;
}

/* Levenshtein distance of a and b, capped at cap + 1. */
static size_t distance(const char *a, const char *b, size_t cap)
{
	size_t na = strlen(a), nb = strlen(b);
	if ((na > nb ? na - nb : nb - na) > cap || nb >= 128)
		return cap + 1;
	size_t row[128];
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0], best = row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[nb];
}

const char *reg_names_suggest(const struct reg_names *n, const char *text)
{
	struct buf b = BUF_INIT;
	name_key(text, false, &b);
	/* A slip of one letter in four, at most two. */
	size_t cap = b.len >= 8 ? 2 : b.len >= 4 ? 1 : 0, best = cap + 1;
	const char *iso3 = NULL;
	for (size_t i = 0; cap && i < n->n_keys; i++) {
		size_t d = distance(b.p, n->keys[i].key, cap);
		if (d < best) {
			best = d;
			iso3 = n->keys[i].iso3;
		}
	}
	buf_free(&b);
	return iso3 ? reg_names_shown(n, iso3) : NULL;
}

const char *reg_names_why(const struct reg_names *n, const char *text,
			  struct arena *a)
{
	const struct reg_entity *t = reg_names_entity(n, text);
	if (t)
		return arena_printf(a, "\"%s\" is %s (%s), a non-UN entity, not a UN "
				    "member or observer State", text, t->name, t->code);
	const char *close = reg_names_suggest(n, text);
	if (close)
		return arena_printf(a, "unknown state \"%s\" (did you mean \"%s\"?)",
				    text, close);
	return arena_printf(a, "unknown state \"%s\"", text);
}

/* ---- organisations ------------------------------------------------------------ */

/* International organisations that attribute (canonical name first). */
static const char *const orgs[][3] = {
	{"European Union", "EU", "Council of the European Union"},
	{"NATO", "North Atlantic Treaty Organization", "North Atlantic Council"},
	{"United Nations", "UN", NULL},
	{"OSCE", "Organization for Security and Co-operation in Europe", NULL},
	{"G7", "Group of Seven", NULL},
	{"African Union", "AU", NULL},
	{"ASEAN", "Association of Southeast Asian Nations", NULL},
	{"Organization of American States", "OAS", NULL},
	{"Council of Europe", NULL, NULL},
};

const char *reg_names_org(const char *text)
{
	struct buf key = BUF_INIT, other = BUF_INIT;
	const char *found = NULL;
	name_key(text, false, &key);
	for (size_t i = 0; i < sizeof orgs / sizeof orgs[0] && !found; i++)
		for (int j = 0; j < 3 && !found; j++) {
			if (!orgs[i][j])
				continue;
			name_key(orgs[i][j], false, &other);
			if (strcmp(other.p, key.p) == 0)
				found = orgs[i][0];
		}
	buf_free(&key);
	buf_free(&other);
	return found;
}
