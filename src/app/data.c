/* Indicator observations: import (CSV, SDMX-CSV 1.0/2.0) and export. */
#include "app/app.h"
#include "app/names_int.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "formats/formats.h"
#include "store/store.h"

#define DEFAULT_MAX_BYTES (2LL << 30)
#define FIRST_YEAR 1990

/* SDMX dataflow cdg publishes its indicators under. */
#define SDMX_STRUCTURE_ID "CDG:DF_CDG_INDICATORS(1.0.0)"

/* What the SDMX export puts before the comment of a synthetic value. */
#define SYNTHETIC_NOTE "SYNTHETIC demo data. "

enum layout { PLAIN, SDMX1, SDMX2 };

/* Where each logical field sits in the file's header (-1: absent). */
struct columns {
	long indicator, area, year, value, source, note;
	long action, freq, unit_mult;
	/* Provenance an exchanged file carries (cdg's own exports). */
	long entered_by, entered_at, synthetic, source_type;
};

/* Everything one import needs to check a row. */
struct importer {
	struct app *a;
	const char *path;
	enum layout layout;
	struct columns col;
	struct strmap indicators; /* id and SDMX code -> fw_indicator */
	struct strmap areas;      /* ISO3 and M49 -> ISO3 */
	struct arena arena;       /* codes and SDMX ids */
	long this_year;           /* no observation may be later */
	char now[24];             /* no entered_at may be later */
	const char *forced_type;  /* --source-type, or NULL */
	struct err_list *errs;
	struct app_import_report *rep;
};

static void fault(struct importer *im, long line, const char *field,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fault(struct importer *im, long line, const char *field,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	errs_vaddf(im->errs, im->path, line, field, fmt, ap);
	va_end(ap);
}

/* SDMX ids cannot hold dots: CDG2.1.1 is published as CDG2_1_1. */
static char *sdmx_code(struct arena *a, const char *id)
{
	char *c = arena_strdup(a, id);
	for (char *p = c; *p; p++)
		if (*p == '.')
			*p = '_';
	return c;
}

static int load_lookups(struct importer *im, struct cdg_err *e)
{
	const struct fw_catalog *cat = &im->a->cat;
	strmap_init(&im->indicators);
	strmap_init(&im->areas);
	for (size_t i = 0; i < cat->n_indicators; i++) {
		const struct fw_indicator *d = &cat->indicators[i];
		strmap_put(&im->indicators, d->id, (void *)(uintptr_t)d);
		strmap_put(&im->indicators, sdmx_code(&im->arena, d->id),
			   (void *)(uintptr_t)d);
	}
	const char **iso3, **m49;
	size_t n;
	int rc = store_country_codes(im->a->st, &im->arena, &iso3, &m49, &n, e);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		strmap_put(&im->areas, iso3[i], (void *)(uintptr_t)iso3[i]);
		if (im->layout == SDMX1 && m49[i][0])
			strmap_put(&im->areas, m49[i], (void *)(uintptr_t)iso3[i]);
	}
	return rc;
}

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* Maps the header to fields; reports what is missing or unknown. */
static int map_header(struct importer *im, const struct csv *c)
{
	const char *first = c->cols[0];
	im->layout = has_prefix(first, "STRUCTURE") ? SDMX2
		     : strcmp(first, "DATAFLOW") == 0 ? SDMX1 : PLAIN;
	struct columns *k = &im->col;
	if (im->layout == PLAIN) {
		*k = (struct columns){csv_col(c, "indicator"), csv_col(c, "country"),
				      csv_col(c, "year"), csv_col(c, "value"),
				      csv_col(c, "source_url"), csv_col(c, "note"),
				      -1, -1, -1, csv_col(c, "entered_by"),
				      csv_col(c, "entered_at"), csv_col(c, "synthetic"),
				      csv_col(c, "source_type")};
		/* The provenance columns cdg's own export adds are kept with
		 * each row (docs/exchange.md). */
		static const char *const known[] = {"indicator", "country", "year",
			"value", "source_url", "note", "entered_by", "entered_at",
			"synthetic", "source_type", NULL};
		for (size_t i = 0; i < c->ncols; i++) {
			bool ok = false;
			for (const char *const *q = known; *q && !ok; q++)
				ok = strcmp(*q, c->cols[i]) == 0;
			if (!ok)
				fault(im, 1, c->cols[i], "unknown column (expected "
				      "indicator, country, year, value, source_url, note)");
		}
	} else {
		long ind = csv_col(c, "INDICATOR");
		if (ind < 0)
			ind = csv_col(c, "SERIES");
		*k = (struct columns){ind, csv_col(c, "REF_AREA"),
				      csv_col(c, "TIME_PERIOD"), csv_col(c, "OBS_VALUE"),
				      csv_col(c, "SOURCE_DETAIL"), csv_col(c, "COMMENT_OBS"),
				      csv_col(c, "ACTION"), csv_col(c, "FREQ"),
				      csv_col(c, "UNIT_MULT"), -1, -1, csv_col(c, "SYNTHETIC"),
				      csv_col(c, "SOURCE_TYPE")};
	}
	const char *names[] = {
		im->layout == PLAIN ? "indicator" : "INDICATOR",
		im->layout == PLAIN ? "country" : "REF_AREA",
		im->layout == PLAIN ? "year" : "TIME_PERIOD",
		im->layout == PLAIN ? "value" : "OBS_VALUE",
		im->layout == PLAIN ? "source_url" : "SOURCE_DETAIL"};
	long idx[] = {k->indicator, k->area, k->year, k->value, k->source};
	for (size_t i = 0; i < 5; i++)
		if (idx[i] < 0)
			fault(im, 1, names[i], "required column is missing from the header");
	return im->errs->total ? CDG_EINPUT : 0;
}

static const char *cell(const struct csv *c, long i)
{
	return i < 0 ? "" : csv_field(c, (size_t)i);
}

/* Reads the row's provenance columns into o (entered_by, entered_at,
 * synthetic, source_type), faulting values cdg could not have written. */
static void check_provenance(struct importer *im, const struct csv *c,
			     struct store_obs *o)
{
	const struct columns *k = &im->col;
	long line = c->line;
	bool plain = im->layout == PLAIN;
	const char *by = cell(c, k->entered_by), *at = cell(c, k->entered_at);
	bool ctl = false;
	for (const unsigned char *p = (const unsigned char *)by; *p; p++)
		ctl |= *p < 0x20 || *p == 0x7f;
	if (strlen(by) > 64 || ctl)
		fault(im, line, "entered_by", "a name of at most 64 characters, "
		      "without control characters, is expected");
	if (*at && !time_iso_shape(at))
		fault(im, line, "entered_at", "\"%s\" is not a UTC time "
		      "(YYYY-MM-DDTHH:MM:SSZ)", at);
	else if (*at && strcmp(at, im->now) > 0)
		fault(im, line, "entered_at", "%s is in the future", at);
	const char *sy = cell(c, k->synthetic);
	if (*sy && strcmp(sy, "0") && strcmp(sy, "1"))
		fault(im, line, plain ? "synthetic" : "SYNTHETIC",
		      "\"%s\" is not 0 or 1", sy);
	const char *st = cell(c, k->source_type);
	const char *fname = plain ? "source_type" : "SOURCE_TYPE";
	if (*st && !store_source_type_ok(st))
		fault(im, line, fname, "\"%s\" is not self_reported, "
		      "desk_research or derived", st);
	else if (*st && im->forced_type && strcmp(st, im->forced_type) != 0)
		fault(im, line, fname, "the row says %s but --source-type says %s "
		      "(leave one of them out)", st, im->forced_type);
	o->entered_by = by;
	o->entered_at = at;
	o->synthetic = strcmp(sy, "1") == 0;
	/* The row's text is the reader's until the next row: keep the
	 * store's constant. */
	o->source_type = store_source_type_canon(st);
}

/* Checks one record; fills o and returns true if it is a usable row. */
static bool check_row(struct importer *im, const struct csv *c,
		      struct store_obs *o)
{
	const struct columns *k = &im->col;
	long line = c->line;
	long before = im->errs->total;
	bool plain = im->layout == PLAIN;
	if (c->nfields != c->ncols) {
		fault(im, line, NULL, "record has %zu fields, the header has %zu",
		      c->nfields, c->ncols);
		return false;
	}
	const char *action = cell(c, k->action);
	if (*action && strcmp(action, "D") == 0) {
		fault(im, line, "ACTION", "cdg never deletes observations: a newer "
		      "value supersedes an older one (use ACTION I or R)");
		return false;
	}
	if (*action && strcmp(action, "I") && strcmp(action, "A") &&
	    strcmp(action, "R") && strcmp(action, "M"))
		fault(im, line, "ACTION", "\"%s\" is not an SDMX action", action);
	const char *freq = cell(c, k->freq);
	if (*freq && strcmp(freq, "A") != 0)
		fault(im, line, "FREQ", "\"%s\": only annual (A) data is accepted", freq);
	const char *mult = cell(c, k->unit_mult);
	if (*mult && strcmp(mult, "0") != 0)
		fault(im, line, "UNIT_MULT", "\"%s\": values must be given in the "
		      "indicator's unit (UNIT_MULT 0)", mult);

	const char *ind = cell(c, k->indicator);
	const struct fw_indicator *d = strmap_get(&im->indicators, ind);
	const char *fname = plain ? "indicator" : "INDICATOR";
	if (!*ind)
		fault(im, line, fname, "value is required");
	else if (!d)
		fault(im, line, fname, "unknown indicator \"%s\" (see 'cdg framework "
		      "indicators')", ind);

	const char *area = cell(c, k->area);
	const char *iso3 = strmap_get(&im->areas, area);
	fname = plain ? "country" : "REF_AREA";
	if (!*area)
		fault(im, line, fname, "value is required");
	else if (!iso3 && app_names_entity(im->a->st, area))
		fault(im, line, fname, "%s", app_names_fault(im->a->st, area, &im->arena));
	else if (!iso3)
		fault(im, line, fname, im->layout == SDMX1
		      ? "unknown area \"%s\" (an ISO 3166-1 alpha-3 or M49 code of a UN member or observer State)"
		      : "unknown country \"%s\" (an ISO 3166-1 alpha-3 code of a UN member or observer State)",
		      area);

	const char *ys = cell(c, k->year);
	long year = 0;
	fname = plain ? "year" : "TIME_PERIOD";
	if (parse_long(ys, 0, 9999, &year) != 0 || strlen(ys) != 4)
		fault(im, line, fname, "\"%s\" is not a year (YYYY)", ys);
	else if (year < FIRST_YEAR)
		fault(im, line, fname, "%ld is before %d", year, FIRST_YEAR);
	else if (year > im->this_year)
		fault(im, line, fname, "%ld is in the future", year);

	const char *vs = cell(c, k->value);
	double v = NAN;
	fname = plain ? "value" : "OBS_VALUE";
	if (!plain && (!*vs || strcmp(vs, "NaN") == 0)) {
		/* SDMX's explicit "no value": not an observation. */
		if (im->errs->total == before)
			im->rep->missing++;
		return false;
	}
	if (!*vs)
		fault(im, line, fname, "value is required");
	else if (parse_double(vs, &v) != 0)
		fault(im, line, fname, csv_decimal_comma(vs)
		      ? "\"%s\" has a decimal comma: " CSV_DECIMAL_HINT
		      : "\"%s\" is not a number", vs);
	else if (d && (v < d->min || v > d->max))
		fault(im, line, fname, "%s is outside the range of %s (%g to %g %s)",
		      vs, d->id, d->min, d->max, d->unit);
	else if (d && strcmp(d->unit, "binary") == 0 && v != 0 && v != 1)
		fault(im, line, fname, "%s must be 0 or 1 (binary indicator)", d->id);

	const char *src = cell(c, k->source);
	fname = plain ? "source_url" : "SOURCE_DETAIL";
	if (!*src)
		fault(im, line, fname, "every observation needs its source");
	else if (has_prefix(src, "http") &&
		 ((!has_prefix(src, "http://") && !has_prefix(src, "https://")) ||
		  strpbrk(src, " \t\r\n")))
		fault(im, line, fname, "\"%s\" is not a well-formed http(s) URL", src);

	struct store_obs prov = {0};
	check_provenance(im, c, &prov);
	if (im->errs->total != before)
		return false;
	/* The SDMX export tells readers who skip the SYNTHETIC attribute in
	 * the comment too; the flag is kept, the words dropped. */
	const char *note = cell(c, k->note);
	if (!plain && prov.synthetic && has_prefix(note, SYNTHETIC_NOTE))
		note += strlen(SYNTHETIC_NOTE);
	*o = (struct store_obs){.entered_by = prov.entered_by,
				  .entered_at = prov.entered_at,
				  .synthetic = prov.synthetic,
				  .source_type = prov.source_type,
				  .indicator = d->id, .iso3 = iso3, .year = year,
				  .value = v, .source = src, .note = note,
				  .line = line};
	return true;
}

/* The file is hashed as the CSV reader reads it: one pass, not two. */
static void hash_block(void *ctx, const void *p, size_t n)
{
	crypto_hash_sha256_update(ctx, p, n);
}

/* ---- the import pipeline ------------------------------------------------ */

/* Reading, hashing and checking rows needs no database and takes a good
 * part of an import, so a reader thread does it while this thread writes
 * the rows read before: on two cores the two overlap.  Rows travel in
 * batches through two slots, so memory stays two batches whatever the
 * file's size; the writer takes them in file order, so rows, ids and
 * messages are what a single thread gives. */
#define BATCH_ROWS 4096

struct batch {
	struct store_obs rows[BATCH_ROWS];
	size_t n;                /* rows in use */
	struct buf text;         /* their sources and notes, NUL-separated */
	/* offsets of each row's source, note, entered_by and entered_at */
	size_t off[4 * BATCH_ROWS];
	long kb;                 /* input read through the last row, KiB */
	bool full;               /* filled and not yet written */
	bool last;               /* no batch follows */
};

struct pipeline {
	pthread_mutex_t mu;
	pthread_cond_t cv;       /* a slot changed hands, or stop */
	struct batch slot[2];
	bool stop;               /* the writer failed: read no more */
	struct importer *im;     /* the reader's: its errs and counts */
	struct csv *c;
};

/* Fills one batch; returns false when it is the last. */
static bool read_batch(struct pipeline *p, struct batch *b)
{
	struct importer *im = p->im;
	b->n = 0;
	buf_reset(&b->text);
	for (;;) {
		if (b->n == BATCH_ROWS)
			break;
		struct cdg_err ce;
		int r = csv_next(p->c, &ce);
		if (r <= 0) {
			/* Malformed quoting or bytes: the rest cannot be read. */
			if (r < 0)
				errs_add(im->errs, &ce);
			b->last = true;
			break;
		}
		im->rep->rows++;
		struct store_obs *o = &b->rows[b->n];
		if (!check_row(im, p->c, o))
			continue;
		const char *text[4] = {o->source, o->note, o->entered_by,
				       o->entered_at};
		for (size_t j = 0; j < 4; j++) {
			b->off[4 * b->n + j] = b->text.len;
			buf_add(&b->text, text[j], strlen(text[j]) + 1);
		}
		b->n++;
	}
	/* The copies are settled: point the rows at them. */
	for (size_t i = 0; i < b->n; i++) {
		b->rows[i].source = b->text.p + b->off[4 * i];
		b->rows[i].note = b->text.p + b->off[4 * i + 1];
		b->rows[i].entered_by = b->text.p + b->off[4 * i + 2];
		b->rows[i].entered_at = b->text.p + b->off[4 * i + 3];
	}
	b->kb = (long)(csv_offset(p->c) >> 10);
	return !b->last;
}

static void *reader(void *arg)
{
	struct pipeline *p = arg;
	for (int k = 0;; k ^= 1) {
		struct batch *b = &p->slot[k];
		pthread_mutex_lock(&p->mu);
		while (b->full && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		bool stop = p->stop;
		pthread_mutex_unlock(&p->mu);
		if (stop)
			return NULL;
		bool more = read_batch(p, b);
		pthread_mutex_lock(&p->mu);
		b->full = true;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (!more)
			return NULL;
	}
}

/* Adds from's errors to into's, in line order (each list is in line
 * order, so the first max of both are among the first max of each). */
static void merge_errs(struct err_list *into, struct err_list *from)
{
	struct err_list all;
	errs_init(&all, into->max);
	size_t i = 0, j = 0;
	while (i < into->n || j < from->n) {
		bool mine = j == from->n ||
			    (i < into->n && into->v[i].line <= from->v[j].line);
		errs_add(&all, mine ? &into->v[i++] : &from->v[j++]);
	}
	all.total = into->total + from->total;
	errs_free(into);
	*into = all;
}

/* Writes the rows the reader thread checks.  Returns 0 or the error that
 * stopped writing (in e); faults on rows go to errs. */
static int write_rows(struct importer *im, struct csv *c,
		      struct store_obs_writer *w, struct progress *pg,
		      struct cdg_err *e)
{
	struct pipeline *p = xcalloc(1, sizeof *p);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	buf_init(&p->slot[0].text);
	buf_init(&p->slot[1].text);
	p->im = im;
	p->c = c;
	struct err_list werrs; /* this thread's faults */
	errs_init(&werrs, im->errs->max);
	pthread_t th;
	int rc = 0;
	if (pthread_create(&th, NULL, reader, p) != 0)
		rc = err_set(e, CDG_EINTERNAL, "cannot start the reader thread");
	long last_kb = 0;
	for (int k = 0; rc == 0; k ^= 1) {
		struct batch *b = &p->slot[k];
		pthread_mutex_lock(&p->mu);
		while (!b->full)
			pthread_cond_wait(&p->cv, &p->mu);
		pthread_mutex_unlock(&p->mu);
		for (size_t i = 0; rc == 0 && i < b->n; i++) {
			const struct store_obs *o = &b->rows[i];
			struct cdg_err de;
			int put = store_obs_put(w, o, &de);
			if (put == 1) {
				im->rep->written++;
			} else if (put == 0) {
				im->rep->unchanged++;
			} else if (put == CDG_EINPUT) {
				errs_addf(&werrs, im->path, o->line, NULL, "%s", de.msg);
			} else {
				*e = de;
				rc = put;
			}
		}
		progress_step(pg, b->kb - last_kb);
		last_kb = b->kb;
		bool last = b->last;
		pthread_mutex_lock(&p->mu);
		b->full = false;
		p->stop = rc != 0;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (last)
			break;
	}
	if (rc == 0 || p->stop)
		pthread_join(th, NULL);
	merge_errs(im->errs, &werrs);
	errs_free(&werrs);
	buf_free(&p->slot[0].text);
	buf_free(&p->slot[1].text);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
	return rc;
}

int app_data_import(struct app *a, const char *path, const char *actor,
		    const struct app_import_opts *opt,
		    struct app_import_report *rep, struct err_list *errs,
		    struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	int arc = app_authorize(a, actor, APP_DATA_WRITE, NULL, e);
	if (arc)
		return arc;
	long long max = opt && opt->max_bytes ? opt->max_bytes : DEFAULT_MAX_BYTES;
	struct stat sb;
	if (stat(path, &sb) != 0)
		return err_at(e, CDG_EINPUT, path, 0, NULL, "cannot read: %s",
			      strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return err_at(e, CDG_EINPUT, path, 0, NULL, "not a regular file");
	if ((long long)sb.st_size > max)
		return err_at(e, CDG_EINPUT, path, 0, NULL,
			      "file is %.1f GiB; imports are limited to %.1f GiB "
			      "(split the file)", (double)sb.st_size / (1 << 30),
			      (double)max / (1 << 30));
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_at(e, CDG_EINPUT, path, 0, NULL, "cannot read: %s",
			      strerror(errno));
	if (sodium_init() < 0) {
		fclose(f);
		return err_set(e, CDG_EINTERNAL, "libsodium failed to initialise");
	}
	crypto_hash_sha256_state sha;
	crypto_hash_sha256_init(&sha);

	struct importer im = {0};
	im.a = a;
	im.path = path;
	im.errs = errs;
	im.rep = rep;
	arena_init(&im.arena);
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	im.this_year = tm.tm_year + 1900;
	time_now_iso(im.now);
	im.forced_type = opt ? opt->source_type : NULL;

	struct csv c;
	csv_open_file(&c, path, f);
	if (a->csv_sep)
		csv_set_sep(&c, a->csv_sep);
	csv_on_read(&c, hash_block, &sha);
	struct store_obs_writer *w = NULL;
	int rc = csv_read_header(&c, e);
	if (rc == 0)
		rc = map_header(&im, &c);
	if (rc == 0)
		rc = load_lookups(&im, e);
	rep->format = im.layout == PLAIN ? "csv"
		      : im.layout == SDMX1 ? "sdmx-csv-1.0" : "sdmx-csv-2.0";
	if (rc == 0)
		rc = store_obs_begin(a->st, actor, opt && opt->kind ? opt->kind
						 : "observations",
				     path, "-", opt && opt->synthetic, &w, e);
	if (rc == 0 && opt && opt->source_type) {
		if (store_source_type_ok(opt->source_type))
			store_obs_source_type(w, opt->source_type);
		else
			rc = err_at(e, CDG_EUSAGE, NULL, 0, "source_type", "\"%s\" is not "
				    "self_reported, desk_research or derived", opt->source_type);
	}
	struct progress pg;
	progress_begin(&pg, "importing", (long)(sb.st_size >> 10));
	if (rc == 0)
		rc = write_rows(&im, &c, w, &pg, e);
	progress_end(&pg);
	bool ok = rc == 0 && errs->total == 0;
	if (w && ok) {
		/* The whole file was read: its hash is complete. */
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[65];
		crypto_hash_sha256_final(&sha, h);
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		store_obs_digest(w, hex);
	}
	if (w) {
		int end = store_obs_end(w, ok, e);
		if (ok && end)
			rc = end;
	}
	if (rc == CDG_EINPUT && errs->total == 0)
		errs_add(errs, e);
	if (errs->total)
		rc = err_at(e, CDG_EINPUT, path, 0, NULL,
			    "%ld error%s; nothing was imported", errs->total,
			    errs->total == 1 ? "" : "s");
	csv_close(&c);
	fclose(f);
	strmap_free(&im.indicators);
	strmap_free(&im.areas);
	arena_free(&im.arena);
	return rc;
}

/* ---- export ------------------------------------------------------------- */

struct exporter {
	FILE *f;
	enum app_data_format fmt;
	struct buf line;
	struct arena arena;
	const struct fw_catalog *cat;
};

static int export_row(void *ctx, const struct store_obs_row *r)
{
	struct exporter *x = ctx;
	struct buf *b = &x->line;
	buf_reset(b);
	struct buf num = BUF_INIT;
	fmt_double(&num, r->value);
	char year[16];
	snprintf(year, sizeof year, "%ld", r->year);
	if (x->fmt == APP_DATA_CSV) {
		csv_put(b, r->indicator, true);
		csv_put(b, r->iso3, false);
		csv_put(b, year, false);
		csv_put(b, num.p, false);
		csv_put(b, r->source, false);
		csv_put(b, r->note ? r->note : "", false);
		csv_put(b, r->entered_by, false);
		csv_put(b, r->entered_at, false);
		csv_put(b, r->synthetic ? "1" : "0", false);
		csv_put(b, r->source_type ? r->source_type : "", false);
	} else {
		const struct fw_indicator *d = fw_indicator(x->cat, r->indicator);
		csv_put(b, "dataflow", true);
		csv_put(b, SDMX_STRUCTURE_ID, false);
		csv_put(b, "I", false);
		csv_put(b, "A", false);
		csv_put(b, r->iso3, false);
		struct arena tmp;
		arena_init(&tmp);
		csv_put(b, sdmx_code(&tmp, r->indicator), false);
		arena_free(&tmp);
		csv_put(b, year, false);
		csv_put(b, num.p, false);
		csv_put(b, d ? d->unit : "", false);
		csv_put(b, r->source, false);
		struct buf note = BUF_INIT;
		if (r->synthetic)
			buf_adds(&note, SYNTHETIC_NOTE);
		if (r->note)
			buf_adds(&note, r->note);
		csv_put(b, note.p, false);
		buf_free(&note);
		csv_put(b, r->source_type ? r->source_type : "", false);
		csv_put(b, r->synthetic ? "1" : "0", false);
	}
	csv_endrow(b);
	buf_free(&num);
	return fwrite(b->p, 1, b->len, x->f) == b->len ? 0 : CDG_EIO;
}

int app_data_export(struct app *a, enum app_data_format fmt,
		    const char *indicator, const char *iso3, FILE *f,
		    struct cdg_err *e)
{
	struct exporter x = {f, fmt, BUF_INIT, {0}, &a->cat};
	arena_init(&x.arena);
	if (fmt == APP_DATA_CSV)
		fputs("indicator,country,year,value,source_url,note,entered_by,"
		      "entered_at,synthetic,source_type\r\n", f);
	else
		fputs("STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,INDICATOR,"
		      "TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,SOURCE_DETAIL,"
		      "COMMENT_OBS,SOURCE_TYPE,SYNTHETIC\r\n", f);
	int rc = store_obs_each(a->st, indicator, iso3, export_row, &x, e);
	if (rc == CDG_EIO)
		rc = err_set(e, CDG_EIO, "cannot write the export");
	buf_free(&x.line);
	arena_free(&x.arena);
	return rc;
}
