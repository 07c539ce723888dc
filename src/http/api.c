/* The JSON API routes: translate HTTP to app/ calls.  No business logic. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"

const char *http_query(const struct call *k, const char *name)
{
	const char *v = MHD_lookup_connection_value(k->c, MHD_GET_ARGUMENT_KIND, name);
	return v && *v ? v : NULL;
}

/* ?year= as a number (0 when absent); CDG_EUSAGE when malformed. */
static int year_param(struct call *k, long *year)
{
	const char *y = http_query(k, "year");
	*year = 0;
	if (y && parse_long(y, 1990, 2100, year) != 0)
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, "year",
			      "\"%s\" is not a year", y);
	return 0;
}

static int seg_year(struct call *k, size_t i, long *year)
{
	if (parse_long(k->seg[i], 1990, 2100, year) != 0)
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, "year",
			      "\"%s\" is not a year", k->seg[i]);
	return 0;
}

static int health(struct call *k)
{
	return app_health_json(k->a, &k->w, &k->e);
}

static int framework(struct call *k)
{
	return app_framework_json(k->a, "all", &k->w, &k->e);
}

static int framework_part(struct call *k)
{
	int rc = app_framework_json(k->a, k->seg[1], &k->w, &k->e);
	return rc == CDG_EUSAGE ? err_set(&k->e, CDG_ENOTFOUND, "no such catalog part "
					  "(norms, goals, indicators, survey)") : rc;
}

static int countries(struct call *k)
{
	return app_countries_json(k->a, &k->w, &k->e);
}

static int country(struct call *k)
{
	return app_country_json(k->a, k->seg[1], &k->w, &k->e);
}

static int dashboard(struct call *k)
{
	long year;
	int rc = year_param(k, &year);
	return rc ? rc : app_dashboard_json(k->a, k->seg[1], year, &k->w, &k->e);
}

static int country_gaps(struct call *k)
{
	long year;
	int rc = year_param(k, &year);
	return rc ? rc : app_gaps_json(k->a, k->seg[1], year, &k->w, &k->e);
}

static int surveys(struct call *k)
{
	return app_survey_list_json(k->a, &k->w, &k->e);
}

static int survey(struct call *k)
{
	long year, rev = 0;
	int rc = seg_year(k, 2, &year);
	const char *r = http_query(k, "revision");
	if (rc == 0 && r && parse_long(r, 1, 1000000, &rev) != 0)
		rc = err_at(&k->e, CDG_EUSAGE, NULL, 0, "revision", "not a revision number");
	if (rc)
		return rc;
	/* The export is the stored JSON document: append it as is. */
	struct buf doc = BUF_INIT;
	rc = app_survey_export(k->a, k->seg[1], year, (int)rev, false, &doc, &k->e);
	if (rc == 0)
		jw_raw(&k->w, doc.p);
	buf_free(&doc);
	return rc;
}

static int survey_history(struct call *k)
{
	long year;
	int rc = seg_year(k, 2, &year);
	return rc ? rc : app_survey_history_json(k->a, k->seg[1], year, &k->w, &k->e);
}

static int editions(struct call *k)
{
	return app_index_list_json(k->a, &k->w, &k->e);
}

static int edition(struct call *k)
{
	long year;
	int rc = seg_year(k, 2, &year);
	return rc ? rc : app_index_show_json(k->a, year, http_query(k, "country"),
					     &k->w, &k->e);
}

const struct route http_routes[] = {
	{"GET", "health", false, health},
	{"GET", "framework", false, framework},
	{"GET", "framework/{}", false, framework_part},
	{"GET", "countries", true, countries},
	{"GET", "countries/{}", false, country},
	{"GET", "countries/{}/dashboard", false, dashboard},
	{"GET", "countries/{}/gaps", false, country_gaps},
	{"GET", "surveys", true, surveys},
	{"GET", "surveys/{}/{}", false, survey},
	{"GET", "surveys/{}/{}/history", true, survey_history},
	{"GET", "index/editions", true, editions},
	{"GET", "index/editions/{}", false, edition},
};
const size_t http_nroutes = sizeof http_routes / sizeof http_routes[0];
