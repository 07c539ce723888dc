/* Opening a database for use, and the read use cases: see app.h. */
#include "app/app.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"

/* Collects the stored catalog texts in fw_files order. */
struct cat_texts {
	char *text[FW_NFILES];
};

static int collect(void *ctx, const char *name, const char *text,
		   struct cdg_err *e)
{
	(void)e;
	struct cat_texts *ct = ctx;
	for (int i = 0; i < FW_NFILES; i++)
		if (strcmp(fw_files[i], name) == 0)
			ct->text[i] = xstrdup(text);
	return 0;
}

int app_open(struct app *a, const char *db_path, bool readonly,
	     struct cdg_err *e)
{
	memset(a, 0, sizeof *a);
	int rc = store_open(&a->st, db_path, readonly ? STORE_READONLY : 0, e);
	if (rc)
		return rc;
	struct cat_texts ct = {{NULL}};
	rc = store_catalog_files(a->st, collect, &ct, e);
	for (int i = 0; rc == 0 && i < FW_NFILES; i++)
		if (!ct.text[i])
			rc = err_at(e, CDG_EDB, db_path, 0, NULL,
				    "catalog file %s missing from the database; "
				    "run 'cdg init'", fw_files[i]);
	if (rc == 0) {
		const char *names[FW_NFILES], *texts[FW_NFILES];
		for (int i = 0; i < FW_NFILES; i++) {
			names[i] = fw_files[i];
			texts[i] = ct.text[i];
		}
		rc = fw_parse(&a->cat, names, texts, e);
	}
	for (int i = 0; i < FW_NFILES; i++)
		free(ct.text[i]);
	if (rc) {
		store_close(a->st);
		a->st = NULL;
		return rc;
	}
	a->db_path = xstrdup(db_path);
	return 0;
}

void app_close(struct app *a)
{
	store_close(a->st);
	fw_free(&a->cat);
	free(a->db_path);
	memset(a, 0, sizeof *a);
}

int app_framework_json(struct app *a, const char *part, struct jw *w,
		       struct cdg_err *e)
{
	return fw_write_json(&a->cat, part, w, e);
}

/* 0 if iso3 is a known state, else the error to give (nothing written). */
static int country_known(struct app *a, const char *iso3, struct cdg_err *e)
{
	if (!iso3_shape(iso3))
		return err_at(e, CDG_EUSAGE, NULL, 0, "iso3",
			      "\"%s\" is not an ISO 3166-1 alpha-3 code "
			      "(three capital letters, e.g. FRA)", iso3);
	const char *p[] = {iso3};
	/* Probe first so that nothing is written for an unknown code. */
	struct buf tmp = BUF_INIT;
	struct jw probe;
	jw_init(&probe, &tmp, false);
	int rc = store_row_json(a->st, "country", p, 1, &probe, e);
	buf_free(&tmp);
	if (rc == CDG_ENOTFOUND)
		return err_at(e, CDG_ENOTFOUND, NULL, 0, "iso3",
			      "no state with code %s (UN members and observers "
			      "are known; see 'cdg countries')", iso3);
	return rc;
}

int app_country_json(struct app *a, const char *iso3, struct jw *w,
		     struct cdg_err *e)
{
	int rc = country_known(a, iso3, e);
	if (rc)
		return rc;
	const char *p[] = {iso3};
	jw_obj(w);
	jw_key(w, "country");
	store_row_json(a->st, "country", p, 1, w, e);
	jw_key(w, "treaties");
	rc = store_query_json(a->st, "country_treaties", p, 1, w, e);
	if (rc >= 0)
		rc = app_registry_country_json(a, iso3, w, e);
	if (rc >= 0) {
		jw_key(w, "self_reported_vs_desk");
		rc = app_self_checks_json(a, iso3, 0, w, e);
	}
	jw_obj_end(w);
	return rc < 0 ? rc : 0;
}

/* Whether iso3 is a known state: app_country_json's checks, output dropped. */
int app_state_check(struct app *a, const char *iso3, struct cdg_err *e)
{
	return country_known(a, iso3, e);
}

int app_countries_json(struct app *a, struct jw *w, struct cdg_err *e)
{
	int rc = store_query_json(a->st, "countries", NULL, 0, w, e);
	return rc < 0 ? rc : 0;
}

int app_observations_json(struct app *a, const char *iso3,
			  const char *indicator, long year, long page,
			  long per_page, struct jw *w, struct cdg_err *e)
{
	char ys[16], lim[24], off[24];
	snprintf(ys, sizeof ys, "%ld", year);
	snprintf(lim, sizeof lim, "%ld", per_page);
	snprintf(off, sizeof off, "%ld", (page - 1) * per_page);
	const char *p[5] = {iso3, indicator, year ? ys : NULL, lim, off};
	long long total = 0;
	int rc = store_query_int(a->st, "observations_count", p, 3, &total, e);
	if (rc)
		return rc;
	jw_obj(w);
	jw_key(w, "items");
	rc = store_query_json(a->st, "observations", p, 5, w, e);
	if (rc < 0)
		return rc;
	jw_kint(w, "page", page);
	jw_kint(w, "per_page", per_page);
	jw_kint(w, "total", total);
	jw_obj_end(w);
	return 0;
}

long long app_data_version(struct app *a)
{
	return store_data_version(a->st);
}

int app_health_json(struct app *a, struct jw *w, struct cdg_err *e)
{
	(void)e;
	jw_obj(w);
	jw_kstr(w, "status", "ok");
	jw_kint(w, "schema_version", store_schema_version(a->st));
	jw_kstr(w, "catalog_version", a->cat.version);
	jw_kint(w, "norms", (long long)a->cat.n_norms);
	jw_kint(w, "goals", (long long)a->cat.n_goals);
	jw_kint(w, "indicators", (long long)a->cat.n_indicators);
	jw_kint(w, "countries", store_count(a->st, "country"));
	jw_obj_end(w);
	return 0;
}
