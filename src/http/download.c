/* Downloads of public answers ("Get the data"): which routes can be
 * downloaded, under what file name, and the JSON-to-CSV table of what a
 * page shows.  See http_int.h. */
#include "http/http_int.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"

/* The filters of a part of the registry (the incidents a page shows). */
static const char *const registry_filters[] = {"state", "norm", "since", "search", "id", NULL};

/* name: the file name after "cdg-", where $N is path segment N;
 * rows: the CSV rows, "" for the list itself (or a paged answer's items),
 * "M" for member M of the answer, "M/S" for member S of each element of
 * M, led by a column named by parent holding that element's id;
 * name_params: query parameters that name the part downloaded. */
static const struct http_download downloads[] = {
	{"countries", "countries", "", NULL, NULL, false, NULL},
	{"countries/{iso3}/dashboard", "$1-dashboard", "goals/indicators", "goal", NULL, false, NULL},
	{"countries/{iso3}/gaps", "$1-gaps", "gaps", NULL, NULL, false, NULL},
	{"index/editions", "editions", "", NULL, NULL, false, NULL},
	{"index/editions/{year}", "$2-ranking", "states", NULL, "rank", false, NULL},
	{"incidents", "incidents", "", NULL, NULL, false, NULL},
	{"norms/{letter}/violations", "norm-$1-violations", "states/items", "state", NULL, false, NULL},
	{"norms/{letter}/implementation", "norm-$1-implementation", "responses", NULL, NULL, false, NULL},
	{"agreements", "agreements", "", NULL, NULL, false, NULL},
	{"agreements/industry-norms", "industry-norms", "", NULL, NULL, false, NULL},
	{"capacity/initiatives", "capacity-initiatives", "", NULL, NULL, false, NULL},
	{"capacity/unserved", "capacity-unserved", "gaps", NULL, NULL, false, NULL},
	{"capacity/match/{iso3}", "$2-capacity-match", "gaps", NULL, NULL, false, NULL},
	{"observations/export", "observations", NULL, NULL, NULL, true, NULL},
	{"registry/export", "registry", NULL, NULL, NULL, true, registry_filters},
};

const struct http_download *http_download_of(const char *pattern)
{
	size_t n = strcspn(pattern, "?");
	for (size_t i = 0; i < sizeof downloads / sizeof downloads[0]; i++)
		if (strlen(downloads[i].pattern) == n &&
		    strncmp(downloads[i].pattern, pattern, n) == 0)
			return &downloads[i];
	return NULL;
}

void http_download_name(const struct http_download *d, const struct call *k,
			const char *ext, char *out, size_t size)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "cdg-");
	for (const char *p = d->name; *p; p++) {
		if (p[0] == '$' && isdigit((unsigned char)p[1])) {
			size_t i = (size_t)(p[1] - '0');
			/* Path segments are checked by the handler before this
			 * runs; keep only what is safe in a header anyway. */
			for (const char *s = i < k->nseg ? k->seg[i] : ""; *s; s++)
				if (isalnum((unsigned char)*s) || *s == '-' || *s == '_')
					buf_addc(&b, *s);
			p++;
		} else {
			buf_addc(&b, *p);
		}
	}
	/* A part (the incidents a page's filters find) is named by its
	 * filters: cdg-registry-norm-c-stix.json. */
	for (const char *const *f = d->name_params; f && *f; f++) {
		const char *v = http_query(k, *f);
		if (!v || !*v)
			continue;
		buf_addf(&b, "-%s-", *f);
		for (size_t n = 0; v[n] && n < 40; n++)
			buf_addc(&b, isalnum((unsigned char)v[n]) || v[n] == '-' ? v[n] : '_');
	}
	snprintf(out, size, "attachment; filename=\"%s%s\"", b.p, ext);
	buf_free(&b);
}

/* One cell: text as is, numbers shortest, true/false, null empty,
 * lists and objects as compact JSON. */
static void cell(struct buf *out, json_t *v, bool first)
{
	struct buf t = BUF_INIT;
	if (json_is_string(v)) {
		buf_adds(&t, json_string_value(v));
	} else if (json_is_integer(v)) {
		buf_addf(&t, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		fmt_double(&t, json_real_value(v));
	} else if (json_is_boolean(v)) {
		buf_adds(&t, json_is_true(v) ? "true" : "false");
	} else if (v && !json_is_null(v)) {
		char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		buf_adds(&t, s ? s : "");
		free(s);
	}
	csv_put(out, t.p, first);
	buf_free(&t);
}

/* The rows of the table: objects, each maybe with its parent's id. */
struct rows {
	json_t **v;
	json_t **parent;   /* the element of the outer list, or NULL */
	size_t n, cap;
};

static void rows_add(struct rows *r, json_t *row, json_t *parent)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->v = xrealloc(r->v, r->cap * sizeof *r->v);
		r->parent = xrealloc(r->parent, r->cap * sizeof *r->parent);
	}
	r->v[r->n] = row;
	r->parent[r->n++] = parent;
}

/* Adds name to the columns unless it is there. */
static void column(json_t *cols, const char *name)
{
	size_t i;
	json_t *c;
	json_array_foreach(cols, i, c)
		if (strcmp(json_string_value(c), name) == 0)
			return;
	json_array_append_new(cols, json_string(name));
}

/* The value of column name in row: "a.b" reaches into an object member
 * (one level: a ranking's node scores, a coverage count). */
static json_t *value_of(json_t *row, const char *name)
{
	json_t *v = json_object_get(row, name);
	const char *dot = strchr(name, '.');
	if (v || !dot)
		return v;
	char head[128];
	snprintf(head, sizeof head, "%.*s", (int)(dot - name), name);
	json_t *o = json_object_get(row, head);
	return json_is_object(o) ? json_object_get(o, dot + 1) : NULL;
}

/* Orders rows by the number member ctx names. */
static int cmp_rank(const void *a, const void *b, void *ctx)
{
	double x = json_number_value(json_object_get(*(json_t *const *)a, ctx));
	double y = json_number_value(json_object_get(*(json_t *const *)b, ctx));
	return (x > y) - (x < y);
}

int http_download_csv(const struct http_download *d, struct buf *body,
		      struct cdg_err *e)
{
	json_error_t je;
	json_t *doc = json_loadb(body->p, body->len, 0, &je);
	json_t *list = NULL;
	char outer[64] = "", inner[64] = "";
	const char *slash = d->rows ? strchr(d->rows, '/') : NULL;
	if (d->rows && slash) {
		snprintf(outer, sizeof outer, "%.*s", (int)(slash - d->rows), d->rows);
		snprintf(inner, sizeof inner, "%s", slash + 1);
	} else if (d->rows) {
		snprintf(outer, sizeof outer, "%s", d->rows);
	}
	if (json_is_array(doc))
		list = doc;
	else if (json_is_object(doc))
		list = json_object_get(doc, outer[0] ? outer : "items");
	if (!json_is_array(list)) {
		json_decref(doc);
		return err_set(e, CDG_EINTERNAL, "download: no list to tabulate");
	}
	struct rows r = {0};
	size_t i, j;
	json_t *x, *y;
	json_array_foreach(list, i, x) {
		if (!inner[0]) {
			if (json_is_object(x))
				rows_add(&r, x, NULL);
			continue;
		}
		json_array_foreach(json_object_get(x, inner), j, y)
			if (json_is_object(y))
				rows_add(&r, y, x);
	}
	if (d->rank) {
		size_t kept = 0;
		for (i = 0; i < r.n; i++)
			if (json_is_number(json_object_get(r.v[i], d->rank)))
				r.parent[kept] = r.parent[i], r.v[kept++] = r.v[i];
		r.n = kept;
		/* Rows of one list (no parents): sorting v alone is right. */
		qsort_r(r.v, r.n, sizeof *r.v, cmp_rank, (void *)(uintptr_t)d->rank);
	}
	/* Columns in order of first appearance; members that are objects
	 * of scalars spread over "member.key" columns. */
	json_t *cols = json_array();
	if (inner[0] && d->parent)
		column(cols, d->parent);
	for (i = 0; i < r.n; i++) {
		const char *key;
		json_t *v;
		json_object_foreach(r.v[i], key, v) {
			if (!json_is_object(v)) {
				column(cols, key);
				continue;
			}
			const char *sub;
			json_t *sv;
			json_object_foreach(v, sub, sv) {
				char name[256];
				snprintf(name, sizeof name, "%s.%s", key, sub);
				if (json_is_object(sv))
					column(cols, key); /* deeper: the object as JSON */
				else
					column(cols, name);
			}
		}
	}
	buf_reset(body);
	json_array_foreach(cols, j, y)
		csv_put(body, json_string_value(y), j == 0);
	csv_endrow(body);
	for (i = 0; i < r.n; i++) {
		json_array_foreach(cols, j, y) {
			const char *name = json_string_value(y);
			json_t *v = j == 0 && inner[0] && d->parent
				? json_object_get(r.parent[i], "id") : value_of(r.v[i], name);
			if (!v && j == 0 && inner[0] && d->parent)
				v = json_object_get(r.parent[i], d->parent);
			cell(body, v, j == 0);
		}
		csv_endrow(body);
	}
	json_decref(cols);
	free(r.v);
	free(r.parent);
	json_decref(doc);
	return 0;
}
