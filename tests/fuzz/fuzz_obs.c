/* libFuzzer target: the observation import layer (`cdg data import`: CSV,
 * SDMX-CSV 1.0 and 2.0) must never crash, leak, hang or read out of
 * bounds, whatever the bytes.  fuzz_csv covers the CSV reader on a text in
 * memory; the import reads a file through a window instead, then maps the
 * header and checks every row against the catalog and the country codes
 * (app/data.c).  Two checks:
 *
 *  - the streaming reader, with a window of a few bytes so that records
 *    span refills (the real window is 1 MiB), gives the same header,
 *    records, lines and errors as the in-memory reader, sees every byte
 *    once and ends at offset == size;
 *  - app_data_import on a database made once by app_init from data/ in
 *    the source tree: a rejected file has faults that each name it; an
 *    accepted one counts every row as written, unchanged or missing, and
 *    round-trips: the current observations of its first record's
 *    indicator and state, exported as CSV and as SDMX-CSV, import back
 *    with nothing written. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static char db[96], in[96], out[96];
static struct app app;

static void clean_up(void)
{
	app_close(&app);
	const char *const tails[] = {"", "-wal", "-shm", "-journal"};
	char p[128];
	for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
		snprintf(p, sizeof p, "%s%s", db, tails[i]);
		unlink(p);
	}
	unlink(in);
	unlink(out);
	rmdir(dir);
}

static void set_up(void)
{
	/* In memory if it can be: every accepted import commits, and a
	 * synced commit on disk takes longer than the rest of the run. */
	snprintf(dir, sizeof dir, "/dev/shm/cdg-fuzz-obs-XXXXXX");
	if (!mkdtemp(dir)) {
		snprintf(dir, sizeof dir, "/tmp/cdg-fuzz-obs-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	snprintf(db, sizeof db, "%s/cdg.db", dir);
	snprintf(in, sizeof in, "%s/in.csv", dir);
	snprintf(out, sizeof out, "%s/out.csv", dir);
	struct app_init_report rep;
	struct cdg_err e;
	if (app_init(db, CDG_SRCDIR "/data", "cli:fuzz", &rep, &e) != 0 ||
	    app_open(&app, db, false, &e) != 0) {
		fprintf(stderr, "fuzz_obs: %s: %s\n", e.file, e.msg);
		abort();
	}
	app_set_local(&app);
	atexit(clean_up);
}

/* ---- the streaming reader against the in-memory one --------------------- */

static void count_bytes(void *ctx, const void *p, size_t n)
{
	(void)p;
	*(size_t *)ctx += n;
}

static void same_record(const struct csv *a, const struct csv *b)
{
	if (a->nfields != b->nfields || a->line != b->line)
		abort();
	for (size_t i = 0; i < a->nfields; i++)
		if (strcmp(csv_field(a, i), csv_field(b, i)) != 0)
			abort();
}

static void stream(const char *text, size_t size)
{
	FILE *f = fmemopen((void *)(uintptr_t)text, size, "rb");
	if (!f)
		return; /* glibc refuses an empty buffer */
	struct csv m, s;
	csv_open(&m, "fuzz.csv", text, size);
	csv_open_file(&s, "fuzz.csv", f);
	/* A window of 3 bytes or more still sees a BOM in its first read. */
	s.win_cap = 3 + size % 13;
	size_t seen = 0;
	csv_on_read(&s, count_bytes, &seen);
	struct cdg_err em, es;
	int rm = csv_read_header(&m, &em), rs = csv_read_header(&s, &es);
	if (rm != rs || (rm == 0 && m.ncols != s.ncols))
		abort();
	for (size_t i = 0; rm == 0 && i < m.ncols; i++)
		if (strcmp(m.cols[i], s.cols[i]) != 0)
			abort();
	while (rm == 0 || rm == 1) {
		rm = csv_next(&m, &em);
		rs = csv_next(&s, &es);
		if (rm != rs)
			abort();
		if (rm == 1)
			same_record(&m, &s);
		if (rm < 0 && (em.line != es.line || strcmp(em.msg, es.msg) != 0))
			abort();
		if (rm == 0)
			break;
	}
	if (rm == 0 && (seen != size || csv_offset(&s) != (long long)size))
		abort();
	csv_close(&m);
	csv_close(&s);
	fclose(f);
}

/* ---- the import ----------------------------------------------------------- */

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}

static int import(const char *path, struct app_import_report *rep,
		  struct err_list *errs)
{
	struct cdg_err e;
	int rc = app_data_import(&app, path, "cli:fuzz", NULL, rep, errs, &e);
	if (rc != 0 && rc != CDG_EINPUT) {
		fprintf(stderr, "fuzz_obs: %s\n", e.msg);
		abort();
	}
	return rc;
}

/* The indicator id and state of the first record, as the database holds
 * them (SDMX: CDG2_1_1 is CDG2.1.1); false if the area is not an ISO3
 * code (SDMX-CSV 1.0 may give M49 numbers). */
static bool first_pair(const char *text, size_t size, char ind[64], char iso3[4])
{
	struct csv c;
	struct cdg_err e;
	csv_open(&c, "first", text, size);
	bool ok = csv_read_header(&c, &e) == 0 && csv_next(&c, &e) == 1;
	if (ok) {
		bool plain = csv_col(&c, "indicator") >= 0;
		const char *i = csv_get(&c, plain ? "indicator" : "INDICATOR");
		if (!plain && !*i)
			i = csv_get(&c, "SERIES");
		const char *a = csv_get(&c, plain ? "country" : "REF_AREA");
		snprintf(ind, 64, "%s", i);
		for (char *p = ind; *p; p++)
			if (*p == '_')
				*p = '.';
		ok = strlen(a) == 3 && strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3;
		snprintf(iso3, 4, "%s", a);
	}
	csv_close(&c);
	return ok;
}

/* The current observations of one indicator and state, exported in fmt,
 * import back unchanged.  (One pair, not the whole database: cdg init
 * loads thousands of observations, and exporting them all for every
 * accepted input would leave little time for fuzzing.) */
static void round_trip(enum app_data_format fmt, const char *ind,
		       const char *iso3)
{
	FILE *f = fopen(out, "wb");
	struct cdg_err e;
	if (!f || app_data_export(&app, fmt, ind, iso3, f, &e) != 0 ||
	    fclose(f) != 0)
		abort();
	struct err_list errs;
	errs_init(&errs, 4);
	struct app_import_report rep;
	if (import(out, &rep, &errs) != 0 || rep.written != 0 ||
	    rep.unchanged != rep.rows)
		abort();
	errs_free(&errs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!app.st)
		set_up();
	char *text = fuzz_text(data, size);
	if (!text)
		return 0;
	stream(text, size);
	write_file(in, data, size);
	struct err_list errs;
	errs_init(&errs, 8);
	struct app_import_report rep;
	if (import(in, &rep, &errs) == 0) {
		if (rep.rows != rep.written + rep.unchanged + rep.missing)
			abort();
		char ind[64], iso3[4];
		if (rep.written && first_pair(text, size, ind, iso3)) {
			round_trip(APP_DATA_CSV, ind, iso3);
			round_trip(APP_DATA_SDMX, ind, iso3);
		}
	} else {
		fuzz_check_faults(&errs, 0, in);
	}
	errs_free(&errs);
	free(text);
	return 0;
}
