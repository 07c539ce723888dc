/*
 * app: one function per use case.  The CLI and the HTTP server both call
 * these and hold no business logic of their own.  A use case validates
 * its whole input before writing anything, runs its writes in one store
 * transaction on behalf of an actor, and reports failures through struct
 * cdg_err (CDG_EINPUT for rejected input, with file, line and field).
 *
 * A struct app is one open database plus the catalog read back from it;
 * like struct store it belongs to one thread.
 */
#ifndef CDG_APP_H
#define CDG_APP_H

#include "base/base.h"
#include "framework/framework.h"

struct store;

struct app {
	struct store *st;        /* the open database */
	struct fw_catalog cat;   /* the catalog stored in it */
	char *db_path;           /* path it was opened from */
};

/* What cdg init did. */
struct app_init_report {
	bool created;             /* a new database file was made */
	int schema_version;       /* schema after migration */
	long long rows_written;   /* rows inserted or changed (0: all current) */
	size_t n_norms, n_goals, n_targets, n_indicators, n_questions;
	size_t n_countries;       /* reference: UN members and observers */
	size_t n_treaty_parties;  /* reference: Budapest/CETS 224 rows */
};

/* Creates (or migrates and refreshes) the database at db_path with the
 * catalog from data_dir/framework and the reference data from
 * data_dir/reference.  Everything is validated first; if anything is
 * wrong nothing is written, and a database that did not exist before is
 * not left behind. */
int app_init(const char *db_path, const char *data_dir, const char *actor,
	     struct app_init_report *rep, struct cdg_err *e);

/* Opens an existing database for use (read-write unless readonly) and
 * reads its catalog.  Refuses a database that needs migrating. */
int app_open(struct app *a, const char *db_path, bool readonly,
	     struct cdg_err *e);
void app_close(struct app *a);

/* The catalog part ("norms", "goals", "indicators", "survey", "all"). */
int app_framework_json(struct app *a, const char *part, struct jw *w,
		       struct cdg_err *e);
/* Everything known of one state: identity, UN membership, treaties, with
 * sources.  CDG_ENOTFOUND for a well-formed unknown code, CDG_EUSAGE for
 * a malformed one. */
int app_country_json(struct app *a, const char *iso3, struct jw *w,
		     struct cdg_err *e);
/* All states, with UN status and Budapest status. */
int app_countries_json(struct app *a, struct jw *w, struct cdg_err *e);
/* Liveness and what the database holds. */
int app_health_json(struct app *a, struct jw *w, struct cdg_err *e);

/* ---- indicator observations (data) ------------------------------------- */

struct app_import_opts {
	long long max_bytes;   /* larger files are refused (0: 2 GiB) */
	bool synthetic;        /* mark every row synthetic (demo data) */
	const char *kind;      /* import_batch kind, NULL: "observations" */
};

struct app_import_report {
	const char *format;    /* "csv", "sdmx-csv-1.0" or "sdmx-csv-2.0" */
	long rows;             /* data rows read */
	long written;          /* rows inserted or superseding older values */
	long unchanged;        /* rows identical to the current value */
	long missing;          /* SDMX rows with OBS_VALUE NaN/empty, skipped */
};

/* Imports observations from a CSV file (header `indicator,country,year,
 * value,source_url[,note]`, any order) or an SDMX-CSV 1.0/2.0 message,
 * streaming.  Every row is checked; each fault goes to errs (file, line,
 * field, reason).  If there is any fault nothing is written and the
 * return is CDG_EINPUT. */
int app_data_import(struct app *a, const char *path, const char *actor,
		    const struct app_import_opts *opt,
		    struct app_import_report *rep, struct err_list *errs,
		    struct cdg_err *e);

enum app_data_format { APP_DATA_CSV, APP_DATA_SDMX };

/* Writes the current observations (optionally of one indicator and/or
 * state) to f as CSV (re-importable, with provenance columns) or as
 * SDMX-CSV 2.0. */
int app_data_export(struct app *a, enum app_data_format fmt,
		    const char *indicator, const char *iso3, FILE *f,
		    struct cdg_err *e);

#endif
