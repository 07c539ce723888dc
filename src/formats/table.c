/* Validated CSV tables: see formats.h. */
#include "formats/formats.h"

#include <stdlib.h>
#include <string.h>

static bool upper_letters(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return false;
	return true;
}

/* Checks one non-empty cell; returns a reason or NULL. */
static const char *check_cell(const struct col_spec *c, const char *v)
{
	double d;
	long l;
	switch (c->kind) {
	case COL_TEXT:
		return NULL;
	case COL_ISO3:
		return upper_letters(v, 3) ? NULL
					   : "not an ISO 3166-1 alpha-3 code (three capital letters)";
	case COL_ISO2:
		return upper_letters(v, 2) ? NULL
					   : "not an ISO 3166-1 alpha-2 code (two capital letters)";
	case COL_DATE:
		return date_valid(v) ? NULL : "not a date (YYYY, YYYY-MM or YYYY-MM-DD)";
	case COL_YEAR:
		return parse_long(v, 1900, 2100, &l) == 0 ? NULL
							  : "not a year between 1900 and 2100";
	case COL_PAST_DATE:
	case COL_PAST_YEAR: {
		if (c->kind == COL_PAST_DATE ? !date_valid(v)
		    : parse_long(v, 1800, 2100, &l) != 0)
			return c->kind == COL_PAST_DATE
				? "not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
				: "not a year between 1800 and 2100";
		/* ISO dates compare as text; a shorter form (2026-12) is a
		 * prefix of the days it stands for, so it is not later. */
		char today[21];
		time_now_iso(today);
		today[10] = '\0';
		return strncmp(v, today, strlen(v)) > 0 ? "a date in the future" : NULL;
	}
	case COL_URL:
		return url_http_ok(v) ? NULL : "not an http(s) URL";
	case COL_NUMBER:
		return parse_double(v, &d) == 0 ? NULL : "not a number";
	case COL_ENUM:
		for (const char *const *p = c->values; p && *p; p++)
			if (strcmp(*p, v) == 0)
				return NULL;
		return "value not allowed";
	}
	return NULL;
}

static void enum_list(struct buf *b, const struct col_spec *c)
{
	for (const char *const *p = c->values; p && *p; p++)
		buf_addf(b, "%s%s", p == c->values ? "" : ", ", *p);
}

int table_read(const char *name, const char *text, size_t n,
	       const struct col_spec *spec, size_t ncols, long key, int flags,
	       struct arena *a, struct table *out, struct cdg_err *e)
{
	memset(out, 0, sizeof *out);
	out->ncols = ncols;
	struct csv c;
	csv_open(&c, name, text, n);
	int rc = csv_read_header(&c, e);
	long *map = xcalloc(ncols ? ncols : 1, sizeof *map);
	for (size_t i = 0; rc == 0 && i < ncols; i++) {
		map[i] = csv_col(&c, spec[i].name);
		if (map[i] < 0 && spec[i].required)
			rc = err_at(e, CDG_EINPUT, name, 1, spec[i].name,
				    "required column is missing from the header");
	}
	if (rc == 0 && (flags & TABLE_STRICT)) {
		for (size_t h = 0; h < c.ncols && rc == 0; h++) {
			bool known = false;
			for (size_t i = 0; i < ncols; i++)
				known = known || strcmp(c.cols[h], spec[i].name) == 0;
			if (!known)
				rc = err_at(e, CDG_EINPUT, name, 1, c.cols[h],
					    "unknown column");
		}
	}
	size_t cap = 0;
	while (rc == 0 && (rc = csv_next(&c, e)) == 1) {
		rc = csv_check_width(&c, e);
		if (rc)
			break;
		if (out->nrows == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			const char **cells = arena_alloc(a, ncap * ncols * sizeof *cells);
			long *lines = arena_alloc(a, ncap * sizeof *lines);
			if (cap) {
				memcpy(cells, out->cells, cap * ncols * sizeof *cells);
				memcpy(lines, out->lines, cap * sizeof *lines);
			}
			out->cells = cells;
			out->lines = lines;
			cap = ncap;
		}
		size_t r = out->nrows;
		out->lines[r] = c.line;
		for (size_t i = 0; i < ncols && rc == 0; i++) {
			const char *v = map[i] < 0 ? "" : csv_field(&c, (size_t)map[i]);
			out->cells[r * ncols + i] = arena_strdup(a, v);
			if (!*v) {
				if (spec[i].required)
					rc = err_at(e, CDG_EINPUT, name, c.line,
						    spec[i].name, "value is required");
				continue;
			}
			const char *why = check_cell(&spec[i], v);
			if (why) {
				struct buf m = BUF_INIT;
				buf_addf(&m, "\"%s\": %s", v, why);
				if (spec[i].kind == COL_ENUM) {
					buf_adds(&m, " (expected one of: ");
					enum_list(&m, &spec[i]);
					buf_adds(&m, ")");
				}
				rc = err_at(e, CDG_EINPUT, name, c.line,
					    spec[i].name, "%s", m.p);
				buf_free(&m);
			}
		}
		if (rc == 0 && key >= 0) {
			const char *k = out->cells[r * ncols + (size_t)key];
			for (size_t j = 0; j < r && rc == 0; j++)
				if (strcmp(out->cells[j * ncols + (size_t)key], k) == 0)
					rc = err_at(e, CDG_EINPUT, name, c.line,
						    spec[key].name,
						    "\"%s\" already appears on line %ld",
						    k, out->lines[j]);
		}
		if (rc == 0)
			out->nrows++;
	}
	free(map);
	csv_close(&c);
	return rc < 0 ? rc : 0;
}
