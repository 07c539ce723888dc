/* Cybercrime imports (domestic coverage, MLATs, 24/7 contacts) and the
 * coverage export.  See app.h and docs/cybercrime.md. */
#include "app/crime_int.h"
#include "app/names_int.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- imports: coverage, MLATs, 24/7 contacts ------------------------------------- */

/* One CSV file checked row by row, every fault listed. */
struct csv_import {
	const char *path;
	struct err_list *errs;
	struct states s;
	struct arena a;
	struct strmap seen;          /* row key -> (void *)line */
	struct store *st;            /* names of non-UN entities, for faults */
	const struct crime_catalog *cat; /* coverage only */
};

static void fault(struct csv_import *im, long line, const char *field,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fault(struct csv_import *im, long line, const char *field,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	errs_vaddf(im->errs, im->path, line, field, fmt, ap);
	va_end(ap);
}

static void check_state(struct csv_import *im, long line, const char *field,
			const char *v)
{
	if (!*v)
		fault(im, line, field, "value is required");
	else if (!iso3_shape(v))
		fault(im, line, field, "\"%s\" is not an ISO 3166-1 alpha-3 code", v);
	else if (cr_state_find(&im->s, v) < 0 && app_names_entity(im->st, v))
		fault(im, line, field, "%s", app_names_fault(im->st, v, &im->a));
	else if (cr_state_find(&im->s, v) < 0)
		fault(im, line, field, "unknown state \"%s\" (not a UN member or "
		      "observer State)", v);
}

static void check_url(struct csv_import *im, long line, const char *field,
		      const char *v, bool required)
{
	if (!*v) {
		if (required)
			fault(im, line, field, "every row needs its source");
	} else if ((strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0) ||
		   strpbrk(v, " \t\r\n")) {
		fault(im, line, field, "\"%s\" is not a well-formed http(s) URL", v);
	}
}

static void check_date_cell(struct csv_import *im, long line, const char *field,
			    const char *v)
{
	int32_t d;
	if (*v && crime_date_parse(v, &d) != 0)
		fault(im, line, field, "\"%s\" is not a date (YYYY-MM-DD)", v);
}

/* Records key at line; faults if it was seen before. */
static void check_unique(struct csv_import *im, long line, const char *field,
			 const char *key)
{
	void *prev = strmap_get(&im->seen, key);
	if (prev) {
		fault(im, line, field, "%s already given on line %ld", key,
		      (long)(uintptr_t)prev);
		return;
	}
	strmap_put(&im->seen, arena_strdup(&im->a, key), (void *)(uintptr_t)line);
}

typedef void (*row_fn)(struct csv_import *im, const struct csv *c, long line);
typedef int (*write_fn)(struct store *st, const struct csv *c,
			long long *written, struct cdg_err *e);

struct import_kind {
	const char *what;                  /* for messages */
	const char *const *cols;           /* allowed columns (all required
					      in the header) */
	row_fn check;
	write_fn write;
};

/* Reads path twice: first every row is checked (all faults listed), then,
 * if there were none, every row is written in one transaction. */
static int run_import(struct app *app, const char *path, const char *actor,
		      const struct import_kind *k, const struct crime_catalog *cat,
		      struct app_crime_import_report *rep, struct err_list *errs,
		      struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	struct stat sb;
	if (stat(path, &sb) != 0)
		return err_at(e, CDG_EINPUT, path, 0, NULL, "cannot read the file");
	if (sb.st_size > MAX_IMPORT_BYTES)
		return err_at(e, CDG_EINPUT, path, 0, NULL,
			      "%s files are limited to %lld MiB", k->what,
			      MAX_IMPORT_BYTES >> 20);
	struct buf text = BUF_INIT;
	int rc = file_read_all(path, &text, e);
	if (rc) {
		buf_free(&text);
		return rc;
	}
	struct csv_import im = {.path = path, .errs = errs, .cat = cat, .st = app->st};
	arena_init(&im.a);
	strmap_init(&im.seen);
	rc = cr_states_load(app->st, &im.a, &im.s, e);
	struct csv c;
	csv_open(&c, path, text.p, text.len);
	if (app->csv_sep)
		csv_set_sep(&c, app->csv_sep);
	if (rc == 0)
		rc = csv_read_header(&c, e);
	if (rc == 0)
		rc = csv_require(&c, k->cols, e);
	for (size_t i = 0; rc == 0 && i < c.ncols; i++) {
		bool known = false;
		for (const char *const *n = k->cols; *n && !known; n++)
			known = strcmp(*n, c.cols[i]) == 0;
		if (!known)
			rc = err_at(e, CDG_EINPUT, path, 1, c.cols[i], "unknown column");
	}
	int step = 0;
	while (rc == 0 && (step = csv_next(&c, e)) == 1) {
		rep->rows++;
		if (c.nfields != c.ncols)
			fault(&im, c.line, NULL, "record has %zu fields, the header "
			      "has %zu", c.nfields, c.ncols);
		else
			k->check(&im, &c, c.line);
	}
	if (rc == 0 && step < 0)
		rc = step;
	/* A malformed header or record is one more fault of the file. */
	if (rc == CDG_EINPUT) {
		errs_add(errs, e);
		rc = 0;
	}
	if (rc == 0 && errs->total == 0) {
		/* Second pass: write. */
		csv_close(&c);
		csv_open(&c, path, text.p, text.len);
		if (app->csv_sep)
			csv_set_sep(&c, app->csv_sep);
		rc = csv_read_header(&c, e);
		if (rc == 0)
			rc = store_tx_begin(app->st, actor, e);
		long long written = 0;
		while (rc == 0 && (step = csv_next(&c, e)) == 1)
			rc = k->write(app->st, &c, &written, e);
		if (rc == 0 && step < 0)
			rc = step;
		if (rc == 0) {
			rc = store_tx_commit(app->st, e);
			rep->written = written;
			rep->unchanged = rep->rows - written;
		} else {
			store_tx_rollback(app->st);
		}
	}
	if (errs->total)
		rc = err_at(e, CDG_EINPUT, path, 0, NULL,
			    "%ld error%s; nothing was imported", errs->total,
			    errs->total == 1 ? "" : "s");
	csv_close(&c);
	strmap_free(&im.seen);
	strmap_free(&im.s.idx);
	arena_free(&im.a);
	buf_free(&text);
	return rc;
}

static const char *const cov_cols[] = {"iso3", "article_id", "covered",
	"legal_citation", "source_url", "note", "basis", NULL};
static const char *const cov_basis[] = {"sample_verified", "sample_unverified",
					"verified", "unverified", NULL};

static void cov_check(struct csv_import *im, const struct csv *c, long line)
{
	const char *iso = csv_get(c, "iso3"), *art = csv_get(c, "article_id");
	const char *cov = csv_get(c, "covered"), *cite = csv_get(c, "legal_citation");
	const char *url = csv_get(c, "source_url"), *basis = csv_get(c, "basis");
	check_state(im, line, "iso3", iso);
	if (!*art)
		fault(im, line, "article_id", "value is required");
	else if (crime_article_find(im->cat, art) < 0)
		fault(im, line, "article_id", "unknown article %s (see 'cdg crime "
		      "articles')", art);
	int v = crime_cov_parse(cov);
	if (v < 0)
		fault(im, line, "covered", "\"%s\" is not one of yes, partial, no, "
		      "unknown", cov);
	if ((v == CRIME_COV_YES || v == CRIME_COV_PARTIAL) && !*cite)
		fault(im, line, "legal_citation", "%s %s: \"%s\" needs a legal "
		      "citation", iso, art, cov);
	if ((v == CRIME_COV_YES || v == CRIME_COV_PARTIAL) && !*url)
		fault(im, line, "source_url", "%s %s: \"%s\" needs a source URL",
		      iso, art, cov);
	check_url(im, line, "source_url", url, false);
	bool ok = false;
	for (const char *const *b = cov_basis; *b && !ok; b++)
		ok = strcmp(*b, basis) == 0;
	if (!ok)
		fault(im, line, "basis", "\"%s\" is not one of sample_verified, "
		      "sample_unverified, verified, unverified", basis);
	char key[64];
	snprintf(key, sizeof key, "%s %s", iso, art);
	check_unique(im, line, "article_id", key);
}

static int cov_write(struct store *st, const struct csv *c,
		     long long *written, struct cdg_err *e)
{
	static const char *const cols[] = {"iso3", "article_id", "covered",
		"legal_citation", "source_url", "basis", "note"};
	struct store_val v[] = {sv_text(csv_get(c, "iso3")),
		sv_text(csv_get(c, "article_id")), sv_text(csv_get(c, "covered")),
		sv_text(csv_get(c, "legal_citation")),
		sv_text(csv_get(c, "source_url")), sv_text(csv_get(c, "basis")),
		sv_text(csv_get(c, "note"))};
	int r = store_upsert(st, "crime_coverage", cols, v, 7, 2, e);
	if (r < 0)
		return r;
	*written += r;
	return 0;
}

static const struct import_kind cov_kind = {"coverage", cov_cols, cov_check,
					    cov_write};

int app_crime_coverage_import(struct app *app, const char *path,
			      const char *actor,
			      struct app_crime_import_report *rep,
			      struct err_list *errs, struct cdg_err *e)
{
	int arc = app_authorize(app, actor, APP_DATA_WRITE, NULL, e);
	if (arc)
		return arc;
	struct arena a;
	arena_init(&a);
	struct crime_catalog cat;
	int rc = cr_catalog_load(app, &a, &cat, e);
	if (rc == 0)
		rc = run_import(app, path, actor, &cov_kind, &cat, rep, errs, e);
	else
		memset(rep, 0, sizeof *rep);
	arena_free(&a);
	return rc;
}

static const char *const mlat_cols[] = {"a", "b", "signed", "in_force",
					"source_url", "note", NULL};

static void mlat_check(struct csv_import *im, const struct csv *c, long line)
{
	const char *a = csv_get(c, "a"), *b = csv_get(c, "b");
	const char *sig = csv_get(c, "signed"), *inf = csv_get(c, "in_force");
	check_state(im, line, "a", a);
	check_state(im, line, "b", b);
	if (*a && strcmp(a, b) == 0)
		fault(im, line, "b", "a treaty between %s and itself", a);
	check_date_cell(im, line, "signed", sig);
	check_date_cell(im, line, "in_force", inf);
	if (*sig && *inf && cr_day_of(inf) != CRIME_NEVER && cr_day_of(sig) != CRIME_NEVER &&
	    cr_day_of(inf) < cr_day_of(sig))
		fault(im, line, "in_force", "dates out of order: in force %s before "
		      "it was signed (%s)", inf, sig);
	if (!*sig && !*inf)
		fault(im, line, "signed", "give the signature or the entry-into-"
		      "force date");
	check_url(im, line, "source_url", csv_get(c, "source_url"), true);
	char key[32];
	snprintf(key, sizeof key, "%s-%s", strcmp(a, b) < 0 ? a : b,
		 strcmp(a, b) < 0 ? b : a);
	check_unique(im, line, "b", key);
}

static int mlat_write(struct store *st, const struct csv *c,
		      long long *written, struct cdg_err *e)
{
	static const char *const cols[] = {"a", "b", "signed", "in_force",
					   "source_url", "note"};
	const char *a = csv_get(c, "a"), *b = csv_get(c, "b");
	if (strcmp(a, b) > 0) {
		const char *t = a;
		a = b;
		b = t;
	}
	struct store_val v[] = {sv_text(a), sv_text(b), sv_text(csv_get(c, "signed")),
		sv_text(csv_get(c, "in_force")), sv_text(csv_get(c, "source_url")),
		sv_text(csv_get(c, "note"))};
	int r = store_upsert(st, "crime_mlat", cols, v, 6, 2, e);
	if (r < 0)
		return r;
	*written += r;
	return 0;
}

static const struct import_kind mlat_kind = {"MLAT", mlat_cols, mlat_check,
					     mlat_write};

int app_crime_mlat_import(struct app *app, const char *path, const char *actor,
			  struct app_crime_import_report *rep,
			  struct err_list *errs, struct cdg_err *e)
{
	int arc = app_authorize(app, actor, APP_DATA_WRITE, NULL, e);
	return arc ? arc : run_import(app, path, actor, &mlat_kind, NULL, rep, errs, e);
}

static const char *const contact_cols[] = {"iso3", "since", "source_url",
					   "note", NULL};

static void contact_check(struct csv_import *im, const struct csv *c, long line)
{
	const char *iso = csv_get(c, "iso3"), *since = csv_get(c, "since");
	check_state(im, line, "iso3", iso);
	check_date_cell(im, line, "since", since);
	if (*since && cr_day_of(since) != CRIME_NEVER && cr_day_of(since) > cr_today())
		fault(im, line, "since", "%s is in the future", since);
	check_url(im, line, "source_url", csv_get(c, "source_url"), true);
	check_unique(im, line, "iso3", iso);
}

static int contact_write(struct store *st, const struct csv *c,
			 long long *written, struct cdg_err *e)
{
	static const char *const cols[] = {"iso3", "since", "source_url", "note"};
	struct store_val v[] = {sv_text(csv_get(c, "iso3")),
		sv_text(csv_get(c, "since")), sv_text(csv_get(c, "source_url")),
		sv_text(csv_get(c, "note"))};
	int r = store_upsert(st, "crime_contact247", cols, v, 4, 1, e);
	if (r < 0)
		return r;
	*written += r;
	return 0;
}

static const struct import_kind contact_kind = {"24/7 contact", contact_cols,
						contact_check, contact_write};

int app_crime_contacts_import(struct app *app, const char *path,
			      const char *actor,
			      struct app_crime_import_report *rep,
			      struct err_list *errs, struct cdg_err *e)
{
	int arc = app_authorize(app, actor, APP_DATA_WRITE, NULL, e);
	return arc ? arc : run_import(app, path, actor, &contact_kind, NULL, rep, errs, e);
}

/* ---- coverage export ---------------------------------------------------------------- */

struct cov_export {
	struct arena *a;
	struct crime_cov_row *rows;
	size_t n, cap;
};

static int cov_export_cb(void *ctx, const struct store_crime_cov *r)
{
	struct cov_export *x = ctx;
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		struct crime_cov_row *p = arena_alloc(x->a, cap * sizeof *p);
		if (x->n)
			memcpy(p, x->rows, x->n * sizeof *p);
		x->rows = p;
		x->cap = cap;
	}
	struct crime_cov_row *y = &x->rows[x->n++];
	y->iso3 = arena_strdup(x->a, r->iso3);
	y->article = arena_strdup(x->a, r->article);
	y->covered = (enum crime_cov)crime_cov_parse(r->covered);
	y->citation = r->citation ? arena_strdup(x->a, r->citation) : NULL;
	y->source_url = r->source_url ? arena_strdup(x->a, r->source_url) : NULL;
	y->note = r->note ? arena_strdup(x->a, r->note) : NULL;
	y->basis = arena_strdup(x->a, r->basis);
	return 0;
}

int app_crime_coverage_export(struct app *app, const char *iso3,
			      struct buf *out, struct cdg_err *e)
{
	struct arena a;
	arena_init(&a);
	int rc = 0;
	if (iso3) {
		struct states s;
		rc = cr_states_load(app->st, &a, &s, e);
		if (rc == 0 && !iso3_shape(iso3))
			rc = err_at(e, CDG_EUSAGE, NULL, 0, "country",
				    "\"%s\" is not an ISO 3166-1 alpha-3 code", iso3);
		else if (rc == 0 && cr_state_find(&s, iso3) < 0)
			rc = err_at(e, CDG_ENOTFOUND, NULL, 0, "country",
				    "unknown state \"%s\"", iso3);
		strmap_free(&s.idx);
	}
	struct cov_export x = {&a, NULL, 0, 0};
	if (rc == 0)
		rc = store_crime_coverage(app->st, iso3, cov_export_cb, &x, e);
	if (rc == 0)
		crime_coverage_write(out, x.rows, x.n);
	arena_free(&a);
	return rc;
}
