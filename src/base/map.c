/* Error lists and the string map: see base.h. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

/* The list grows as faults come (most inputs have none: the server sets
 * one up for every request). */
void errs_init(struct err_list *l, size_t max)
{
	l->v = NULL;
	l->n = 0;
	l->cap = 0;
	l->max = max;
	l->total = 0;
}

void errs_add(struct err_list *l, const struct cdg_err *e)
{
	l->total++;
	if (l->n >= l->max)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		if (l->cap > l->max)
			l->cap = l->max;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = *e;
}

void errs_vaddf(struct err_list *l, const char *file, long line,
		const char *field, const char *fmt, va_list ap)
{
	struct cdg_err e;
	err_at(&e, CDG_EINPUT, file, line, field, "%s", "");
	vsnprintf(e.msg, sizeof e.msg, fmt, ap);
	errs_add(l, &e);
}

void errs_addf(struct err_list *l, const char *file, long line,
	       const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	errs_vaddf(l, file, line, field, fmt, ap);
	va_end(ap);
}

static long line_at(const char *text, const char *p)
{
	long line = 1;
	for (const char *r = text; r < p; r++)
		line += *r == '\n';
	return line;
}

/* The position after `"key"` and optional spaces if a ':' follows, else
 * NULL. */
static const char *key_colon(const char *p, size_t n)
{
	const char *q = p + n;
	q += strspn(q, " \t\r\n");
	return *q == ':' ? q + 1 : NULL;
}

long json_line_of_id(const char *text, const char *id)
{
	if (!text || !id)
		return 0;
	size_t n = strlen(id);
	for (const char *p = strstr(text, "\"id\""); p; p = strstr(p + 4, "\"id\"")) {
		const char *q = key_colon(p, 4);
		if (!q)
			continue;
		q += strspn(q, " \t\r\n");
		if (*q == '"' && strncmp(q + 1, id, n) == 0 && q[1 + n] == '"')
			return line_at(text, p);
	}
	return 0;
}

long json_line_of_key(const char *text, const char *after, const char *key)
{
	char pat[96];
	const char *from = text;
	if (after) {
		snprintf(pat, sizeof pat, "\"%s\"", after);
		const char *p = strstr(text, pat);
		if (p)
			from = p;
	}
	snprintf(pat, sizeof pat, "\"%s\"", key);
	size_t n = strlen(pat);
	for (const char *p = strstr(from, pat); p; p = strstr(p + 1, pat))
		if (key_colon(p, n))
			return line_at(text, p);
	return 0;
}

long json_line_of_nth_key(const char *text, const char *key, size_t k)
{
	char pat[96];
	snprintf(pat, sizeof pat, "\"%s\"", key);
	size_t n = strlen(pat), seen = 0;
	for (const char *p = strstr(text, pat); p; p = strstr(p + 1, pat))
		if (key_colon(p, n) && seen++ == k)
			return line_at(text, p);
	return 0;
}

size_t json_key_lines(const char *text, const char *key, long **out)
{
	char pat[96];
	snprintf(pat, sizeof pat, "\"%s\"", key);
	size_t n = strlen(pat), count = 0, cap = 0;
	long line = 1;
	*out = NULL;
	const char *done = text; /* lines counted up to here */
	for (const char *p = strstr(text, pat); p; p = strstr(p + 1, pat)) {
		if (!key_colon(p, n))
			continue;
		for (; done < p; done++)
			line += *done == '\n';
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		(*out)[count++] = line;
	}
	return count;
}

void errs_free(struct err_list *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* FNV-1a: short keys (ids, ISO codes), good spread. */
static size_t hash(const char *s)
{
	size_t h = (size_t)1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= (size_t)1099511628211ULL;
	}
	return h;
}

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof *m);
}

void strmap_free(struct strmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static void grow(struct strmap *m)
{
	struct strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->keys = xcalloc(m->cap, sizeof *m->keys);
	m->vals = xcalloc(m->cap, sizeof *m->vals);
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			strmap_put(m, old.keys[i], old.vals[i]);
	free(old.keys);
	free(old.vals);
}

void strmap_put(struct strmap *m, const char *key, void *val)
{
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	size_t i = hash(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i])
		m->n++;
	m->keys[i] = key;
	m->vals[i] = val;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	size_t i = hash(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (strcmp(m->keys[i], key) == 0)
			return m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	return NULL;
}
