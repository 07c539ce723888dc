/* The JSON API routes: translate HTTP to app/ calls.  No business logic. */
#include "http/http_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"
#include "report/report.h"

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
	return app_survey_list_json(k->a, k->actor, &k->w, &k->e);
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
	/* The public reads published revisions only. */
	int revision = (int)rev;
	rc = app_survey_readable(k->a, k->actor, k->seg[1], year, &revision, &k->e);
	if (rc)
		return rc;
	/* The export is the stored JSON document: append it as is. */
	struct buf doc = BUF_INIT;
	rc = app_survey_export(k->a, k->seg[1], year, revision, false, &doc, &k->e);
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

/* ---- accountability registry and cybercrime ------------------------------------- */

static int incidents(struct call *k)
{
	struct app_incident_query q = {http_query(k, "state"), http_query(k, "norm"),
				       http_query(k, "since"), http_query(k, "search")};
	return app_incidents_json(k->a, &q, &k->w, &k->e);
}

static int norm_violations(struct call *k)
{
	return app_norm_violations_json(k->a, k->seg[1], &k->w, &k->e);
}

static int norm_implementation(struct call *k)
{
	return app_norm_implementation_json(k->a, k->seg[1], &k->w, &k->e);
}

static int crime_articles(struct call *k)
{
	return app_crime_articles_json(k->a, &k->w, &k->e);
}

static int crime_pair(struct call *k)
{
	const char *a = http_query(k, "a"), *b = http_query(k, "b");
	if (!a || !b)
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, "a", "give two states: ?a=ISO3&b=ISO3");
	return app_crime_pair_json(k->a, a, b, http_query(k, "offence"),
				   http_query(k, "date"), &k->w, &k->e);
}

static int index_history(struct call *k)
{
	const char *f = http_query(k, "format");
	enum report_format fmt = REPORT_SVG;
	if (f && report_format_parse(f, &fmt, &k->e) != 0)
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, "format", "svg, png or pdf");
	k->type = report_format_mime(fmt);
	return app_chart_index_history(k->a, k->seg[1], (int)fmt, &k->body, &k->e);
}

static int crime_treaty(struct call *k)
{
	return app_crime_treaty_json(k->a, k->seg[2], http_query(k, "date"), &k->w, &k->e);
}

/* ---- accounts ---------------------------------------------------------------- */

static int me(struct call *k)
{
	jw_obj(&k->w);
	jw_kstr(&k->w, "name", k->actor);
	jw_kstr(&k->w, "role", k->role);
	if (k->iso3[0])
		jw_kstr(&k->w, "country", k->iso3);
	jw_obj_end(&k->w);
	return 0;
}

static int login(struct call *k)
{
	json_error_t je;
	json_t *b = json_loadb(k->body_in, k->body_len, 0, &je);
	const char *name = json_string_value(json_object_get(b, "name"));
	const char *pw = json_string_value(json_object_get(b, "password"));
	int rc;
	if (!name || !pw) {
		rc = err_set(&k->e, CDG_EUSAGE, "send {\"name\": ..., \"password\": ...}");
	} else if (!http_login_allowed(name)) {
		rc = err_set(&k->e, CDG_EPERM, "too many failed sign-ins for %s; wait a minute", name);
		k->status = 429;
	} else {
		char token[65], csrf[65];
		rc = app_login(k->a, name, pw, token, csrf, &k->e);
		if (rc) {
			http_login_failed(name);
		} else {
			snprintf(k->set_cookie, sizeof k->set_cookie,
				 "cdg_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200",
				 token);
			char n[128], role[24], iso3[4], c2[65], kind[16];
			rc = app_session(k->a, token, n, role, iso3, c2, kind, &k->e);
			if (rc == 0) {
				jw_obj(&k->w);
				jw_kstr(&k->w, "name", n);
				jw_kstr(&k->w, "role", role);
				if (iso3[0])
					jw_kstr(&k->w, "country", iso3);
				jw_kstr(&k->w, "csrf", csrf);
				jw_obj_end(&k->w);
			}
		}
	}
	json_decref(b);
	return rc;
}

static int logout(struct call *k)
{
	int rc = k->session_token[0] ? app_logout(k->a, k->session_token, &k->e) : 0;
	snprintf(k->set_cookie, sizeof k->set_cookie,
		 "cdg_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	if (rc == 0) {
		jw_obj(&k->w);
		jw_kbool(&k->w, "signed_out", true);
		jw_obj_end(&k->w);
	}
	return rc;
}

/* ---- survey writes --------------------------------------------------------------- */

/* Every fault of a rejected input in one message, one per line. */
static void all_faults(struct call *k, const struct err_list *errs)
{
	struct buf m = BUF_INIT;
	for (size_t i = 0; i < errs->n; i++) {
		char one[1024];
		err_format(&errs->v[i], one, sizeof one);
		buf_addf(&m, "%s%s", i ? "\n" : "", one);
	}
	err_set(&k->e, CDG_EINPUT, "%s", m.p);
	buf_free(&m);
}


static int survey_put(struct call *k)
{
	long year;
	int rc = seg_year(k, 2, &year);
	if (rc)
		return rc;
	/* The body must be the response of the state and year in the URL. */
	json_t *b = json_loadb(k->body_in, k->body_len, 0, NULL);
	const char *c = json_string_value(json_object_get(b, "country"));
	json_t *y = json_object_get(b, "year");
	bool match = json_is_object(b) && c && strcmp(c, k->seg[1]) == 0 &&
		     json_is_integer(y) && json_integer_value(y) == year;
	json_decref(b);
	if (!match)
		return err_set(&k->e, CDG_EINPUT, "the body must be the survey response "
			       "of %s %ld (country and year as in the URL)", k->seg[1], year);
	struct err_list errs;
	errs_init(&errs, 50);
	struct app_survey_report rep;
	rc = app_survey_import_text(k->a, "request body", k->body_in, k->body_len,
				    k->actor, false, &rep, &errs, &k->e);
	if (rc == CDG_EINPUT && errs.n)
		all_faults(k, &errs);
	errs_free(&errs);
	if (rc == 0) {
		jw_obj(&k->w);
		jw_kstr(&k->w, "country", k->seg[1]);
		jw_kint(&k->w, "year", year);
		jw_kstr(&k->w, "status", "draft");
		jw_kint(&k->w, "revision", rep.revision);
		jw_obj_end(&k->w);
	}
	return rc;
}

static int survey_move(struct call *k)
{
	long year;
	int rc = seg_year(k, 2, &year);
	if (rc == 0)
		rc = app_survey_move(k->a, k->seg[1], year, k->seg[3], k->actor, &k->e);
	if (rc == CDG_EUSAGE && strstr(k->e.msg, "unknown survey action"))
		rc = err_set(&k->e, CDG_ENOTFOUND, "%s", k->e.msg);
	if (rc == 0)
		rc = app_survey_history_json(k->a, k->seg[1], year, &k->w, &k->e);
	return rc;
}

/* ---- capacity building and agreements (issue 8) --------------------------------- */

static int agreements(struct call *k)
{
	return app_agreements_list_json(k->a, &k->w, &k->e);
}

static int agreement(struct call *k)
{
	return app_agreement_json(k->a, k->seg[1], &k->w, &k->e);
}

static int agreements_compare(struct call *k)
{
	const char *ids = http_query(k, "ids");
	if (!ids)
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, "ids",
			      "give the agreements to compare: ?ids=a,b");
	/* Split the list in the call's arena. */
	char *copy = arena_strdup(k->arena, ids);
	const char *v[9];
	size_t n = 0;
	for (char *p = copy, *t; n < 9 && (t = strsep(&p, ","));)
		if (*t)
			v[n++] = t;
	return app_agreements_compare_json(k->a, v, n, &k->w, &k->e);
}

static int country_agreements(struct call *k)
{
	return app_agreements_state_json(k->a, k->seg[1], &k->w, &k->e);
}

static int industry_norms(struct call *k)
{
	return app_industry_norms_json(k->a, NULL, &k->w, &k->e);
}

static int initiatives(struct call *k)
{
	return app_capacity_list_json(k->a, &k->w, &k->e);
}

static int capacity_match(struct call *k)
{
	long year;
	int rc = year_param(k, &year);
	return rc ? rc : app_capacity_match_json(k->a, k->seg[2], year, &k->w, &k->e);
}

static int capacity_unserved(struct call *k)
{
	struct app_unserved_opts o = {http_query(k, "goal"), 0, false};
	const char *nd = http_query(k, "no_data");
	if (nd && strcmp(nd, "true") && strcmp(nd, "false"))
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, "no_data", "true or false");
	o.no_data = nd && !strcmp(nd, "true");
	int rc = year_param(k, &o.year);
	return rc ? rc : app_capacity_unserved_json(k->a, &o, &k->w, &k->e);
}

static int capacity_duplication(struct call *k)
{
	return app_capacity_duplication_json(k->a, &k->w, &k->e);
}

static int capacity_donors(struct call *k)
{
	return app_capacity_parties_json(k->a, false, NULL, &k->w, &k->e);
}

static int capacity_implementers(struct call *k)
{
	return app_capacity_parties_json(k->a, true, NULL, &k->w, &k->e);
}

static int initiatives_post(struct call *k)
{
	struct err_list errs;
	errs_init(&errs, 50);
	struct app_capacity_report rep;
	int rc = app_capacity_import_text(k->a, "request body", k->body_in, k->body_len,
					  k->actor, &rep, &errs, &k->e);
	if (rc == CDG_EINPUT && errs.n)
		all_faults(k, &errs);
	errs_free(&errs);
	if (rc == 0) {
		jw_obj(&k->w);
		jw_kint(&k->w, "initiatives", (long long)rep.initiatives);
		jw_kint(&k->w, "written", rep.written);
		jw_obj_end(&k->w);
	}
	return rc;
}

const struct route http_routes[] = {
	{"POST", "login", false, login, false},
	{"POST", "logout", false, logout, false},
	{"GET", "me", false, me, true},
	{"PUT", "surveys/{}/{}", false, survey_put, true},
	{"POST", "surveys/{}/{}/{}", false, survey_move, true},
	{"GET", "health", false, health, false},
	{"GET", "framework", false, framework, false},
	{"GET", "framework/{}", false, framework_part, false},
	{"GET", "countries", true, countries, false},
	{"GET", "countries/{}", false, country, false},
	{"GET", "countries/{}/dashboard", false, dashboard, false},
	{"GET", "countries/{}/gaps", false, country_gaps, false},
	{"GET", "countries/{}/index-history", false, index_history, false},
	{"GET", "surveys", true, surveys, false},
	{"GET", "surveys/{}/{}", false, survey, false},
	{"GET", "surveys/{}/{}/history", true, survey_history, false},
	{"GET", "index/editions", true, editions, false},
	{"GET", "index/editions/{}", false, edition, false},
	{"GET", "incidents", true, incidents, false},
	{"GET", "norms/{}/violations", false, norm_violations, false},
	{"GET", "norms/{}/implementation", false, norm_implementation, false},
	{"GET", "crime/articles", true, crime_articles, false},
	{"GET", "crime/pair", false, crime_pair, false},
	{"GET", "crime/treaties/{}", false, crime_treaty, false},
	{"GET", "countries/{}/agreements", true, country_agreements, false},
	{"GET", "agreements", true, agreements, false},
	{"GET", "agreements/compare", false, agreements_compare, false},
	{"GET", "agreements/industry-norms", true, industry_norms, false},
	{"GET", "agreements/{}", false, agreement, false},
	{"GET", "capacity/initiatives", true, initiatives, false},
	{"POST", "capacity/initiatives", false, initiatives_post, true},
	{"GET", "capacity/match/{}", false, capacity_match, false},
	{"GET", "capacity/unserved", false, capacity_unserved, false},
	{"GET", "capacity/duplication", false, capacity_duplication, false},
	{"GET", "capacity/donors", true, capacity_donors, false},
	{"GET", "capacity/implementers", true, capacity_implementers, false},
};
const size_t http_nroutes = sizeof http_routes / sizeof http_routes[0];
