/* The JSON API routes: translate HTTP to app/ calls.  No business logic. */
#include "http/http_int.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/formats.h"
#include "report/report.h"

const char *http_query(const struct call *k, const char *name)
{
	const char *v = MHD_lookup_connection_value(k->c, MHD_GET_ARGUMENT_KIND, name);
	if (!v || !*v)
		return NULL;
	/* A State's code is taken in any case: ?country=fra is FRA. */
	bool iso3 = strcmp(name, "country") == 0 || strcmp(name, "state") == 0 ||
		    strcmp(name, "a") == 0 || strcmp(name, "b") == 0;
	if (iso3 && strlen(v) == 3 && isalpha((unsigned char)v[0]) &&
	    isalpha((unsigned char)v[1]) && isalpha((unsigned char)v[2]) &&
	    (islower((unsigned char)v[0]) || islower((unsigned char)v[1]) ||
	     islower((unsigned char)v[2]))) {
		char *up = arena_strdup(k->arena, v);
		for (char *p = up; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		return up;
	}
	return v;
}

/* Query parameter name as a year (0 when absent); CDG_EUSAGE when
 * malformed. */
static int year_query(struct call *k, const char *name, long *year)
{
	const char *y = http_query(k, name);
	*year = 0;
	if (y && parse_long(y, 1990, 2100, year) != 0)
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, name,
			      "\"%s\" is not a year", y);
	return 0;
}

/* ?year= */
static int year_param(struct call *k, long *year)
{
	return year_query(k, "year", year);
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

/* The State a search box names (?q=): see app_country_resolve_json. */
static int country_resolve(struct call *k)
{
	return app_country_resolve_json(k->a, http_query(k, "q"), &k->w, &k->e);
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
				       http_query(k, "since"), http_query(k, "search"), NULL};
	return app_incidents_json(k->a, &q, &k->w, &k->e);
}

/* One incident, the object behind its permalink (incident.html?id=). */
static int incident_one(struct call *k)
{
	return app_incident_json(k->a, k->seg[1], &k->w, &k->e);
}

/* The registry's actors, with what each is attributed to and the actors
 * of other sources that are the same group (?search=TEXT). */
static int registry_actors(struct call *k)
{
	return app_registry_actors_json(k->a, http_query(k, "search"), &k->w, &k->e);
}

static int norm_violations(struct call *k)
{
	return app_norm_violations_json(k->a, k->seg[1], &k->w, &k->e);
}

static int norm_implementation(struct call *k)
{
	struct app_norm_impl_query q = {.country = http_query(k, "country"),
					.answer = http_query(k, "answer")};
	int rc = year_param(k, &q.year);
	const char *latest = http_query(k, "latest"), *syn = http_query(k, "synthetic");
	if (rc == 0 && latest && strcmp(latest, "true") != 0 && strcmp(latest, "false") != 0)
		rc = err_at(&k->e, CDG_EUSAGE, NULL, 0, "latest", "true or false");
	if (rc == 0 && syn && strcmp(syn, "true") != 0 && strcmp(syn, "false") != 0)
		rc = err_at(&k->e, CDG_EUSAGE, NULL, 0, "synthetic", "true or false");
	q.latest = latest && strcmp(latest, "true") == 0;
	q.no_synthetic = syn && strcmp(syn, "false") == 0;
	return rc ? rc : app_norm_implementation_json(k->a, k->seg[1], &q, &k->w, &k->e);
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


/* ?format= for a chart (svg by default); sets the response's type. */
static int chart_format(struct call *k, int *fmt)
{
	const char *f = http_query(k, "format");
	enum report_format rf = REPORT_SVG;
	*fmt = (int)rf;
	if (f && report_format_parse(f, &rf, &k->e) != 0)
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, "format", "svg, png or pdf");
	k->type = report_format_mime(rf);
	*fmt = (int)rf;
	return 0;
}

static int chart_map(struct call *k)
{
	int fmt, rc = chart_format(k, &fmt);
	long year = 0;
	const char *show = http_query(k, "show");
	if (rc == 0 && show && strcmp(show, "budapest") == 0)
		year = -1;
	else if (rc == 0 && show && strcmp(show, "index") != 0)
		rc = err_at(&k->e, CDG_EUSAGE, NULL, 0, "show", "index or budapest");
	else if (rc == 0)
		rc = year_query(k, "edition", &year);
	if (rc)
		return rc;
	char geo[4096];
	snprintf(geo, sizeof geo, "%s/map/world.json", k->data_dir);
	return app_chart_map(k->a, geo, year, "/country.html?iso3=", fmt, &k->body, &k->e);
}

static int chart_ranking(struct call *k)
{
	int fmt, rc = chart_format(k, &fmt);
	long year = 0;
	if (rc == 0)
		rc = year_query(k, "edition", &year);
	if (rc == 0 && year == 0)
		rc = err_at(&k->e, CDG_EUSAGE, NULL, 0, "edition", "give ?edition=YEAR");
	return rc ? rc : app_chart_ranking(k->a, year, fmt, &k->body, &k->e);
}

static int index_history(struct call *k)
{
	int fmt, rc = chart_format(k, &fmt);
	return rc ? rc : app_chart_index_history(k->a, k->seg[1], fmt, &k->body, &k->e);
}

/* The all-pairs dual-criminality matrix as CSV (the same file as
 * `cdg crime matrix`). */
static int crime_matrix(struct call *k)
{
	const char *obs = http_query(k, "observers");
	if (obs && strcmp(obs, "true") != 0 && strcmp(obs, "false") != 0)
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, "observers", "true or false");
	struct app_crime_matrix_opts o = {http_query(k, "offence"), http_query(k, "date"),
					  obs && strcmp(obs, "true") == 0};
	struct app_crime_matrix_report rep;
	int rc = app_crime_matrix(k->a, &o, &k->body, &rep, &k->e);
	if (rc == 0)
		k->type = "text/csv; charset=utf-8";
	return rc;
}

static int crime_treaty(struct call *k)
{
	return app_crime_treaty_json(k->a, k->seg[2], http_query(k, "date"), &k->w, &k->e);
}

/* ---- downloads: the same files as `cdg data export` and `cdg registry export` ---- */

static int observations_list(struct call *k)
{
	long year, pg = 1, per = 50;
	const char *ps = http_query(k, "page"), *pp = http_query(k, "per_page");
	const char *iso3 = http_query(k, "country"), *ind = http_query(k, "indicator");
	int rc = year_param(k, &year);
	if (rc == 0 && ps && parse_long(ps, 1, 1000000, &pg) != 0)
		rc = err_at(&k->e, CDG_EUSAGE, NULL, 0, "page", "wants a page number from 1");
	if (rc == 0 && pp && parse_long(pp, 1, 1000, &per) != 0)
		rc = err_at(&k->e, CDG_EUSAGE, NULL, 0, "per_page", "wants 1 to 1000");
	if (rc == 0 && iso3)
		rc = app_state_check(k->a, iso3, &k->e);
	return rc ? rc : app_observations_json(k->a, iso3, ind, year, pg, per, &k->w, &k->e);
}

static int observations_export(struct call *k)
{
	const char *f = http_query(k, "format");
	enum app_data_format fmt = APP_DATA_CSV;
	if (f && strcmp(f, "sdmx") == 0)
		fmt = APP_DATA_SDMX;
	else if (f && strcmp(f, "csv") != 0)
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, "format", "csv or sdmx");
	char *p = NULL;
	size_t n = 0;
	FILE *mf = open_memstream(&p, &n);
	if (!mf)
		return err_set(&k->e, CDG_EIO, "cannot open a memory stream");
	int rc = app_data_export(k->a, fmt, http_query(k, "indicator"),
				 http_query(k, "country"), mf, &k->e);
	if (fclose(mf) != 0 && rc == 0)
		rc = err_set(&k->e, CDG_EIO, "cannot write the export");
	if (rc == 0) {
		buf_add(&k->body, p, n);
		k->type = "text/csv; charset=utf-8";
	}
	free(p);
	return rc;
}

static int registry_export(struct call *k)
{
	const char *f = http_query(k, "format");
	enum app_reg_format fmt = APP_REG_JSON;
	k->type = "application/json";
	if (f && strcmp(f, "csv") == 0) {
		fmt = APP_REG_CSV;
		k->type = "text/csv; charset=utf-8";
	} else if (f && strcmp(f, "stix") == 0) {
		fmt = APP_REG_STIX;
		k->type = "application/stix+json;version=2.1";
	} else if (f && strcmp(f, "json") != 0) {
		k->type = NULL;
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, "format", "json, csv or stix");
	}
	char now[21], stamp[32];
	time_now_iso(now);
	snprintf(stamp, sizeof stamp, "%.19s.000Z", now);
	/* With the incidents page's filters: what that page shows. */
	struct app_incident_query q = {http_query(k, "state"), http_query(k, "norm"),
				       http_query(k, "since"), http_query(k, "search"),
				       http_query(k, "id")};
	bool part = q.state || q.norm || q.since || q.search || q.id;
	return app_registry_export_query(k->a, fmt, stamp, !part, part ? &q : NULL,
					 &k->body, &k->e);
}

/* ---- accounts ---------------------------------------------------------------- */

/* The caller's account; to a session cookie's holder also the session's
 * CSRF token, so that every tab of the session can write (a cross-site
 * page cannot read this answer: the cookie is SameSite=Strict and the
 * answer carries no CORS header for credentials). */
static int me(struct call *k)
{
	char csrf[65] = "";
	if (k->session_token[0]) {
		char n[128], role[24], iso3[4], kind[16];
		int rc = app_session(k->a, k->session_token, n, role, iso3, csrf, kind,
				     &k->e);
		if (rc)
			return rc;
	}
	jw_obj(&k->w);
	jw_kstr(&k->w, "name", k->actor);
	jw_kstr(&k->w, "role", k->role);
	if (k->iso3[0])
		jw_kstr(&k->w, "country", k->iso3);
	if (csrf[0])
		jw_kstr(&k->w, "csrf", csrf);
	jw_obj_end(&k->w);
	return 0;
}

static int login(struct call *k)
{
	json_error_t je;
	json_t *b = json_loadb(k->body_in, k->body_len, 0, &je);
	const char *name = json_string_value(json_object_get(b, "name"));
	const char *pw = json_string_value(json_object_get(b, "password"));
	char addr[64];
	http_client_addr(k, addr);
	int rc;
	long wait = name ? http_login_wait(name, addr) : 0;
	if (!name || !pw) {
		rc = err_set(&k->e, CDG_EUSAGE, "send {\"name\": ..., \"password\": ...}");
	} else if (wait > 0) {
		rc = err_set(&k->e, CDG_EPERM, "too many failed sign-ins; try again "
			     "in %ld s", wait);
		k->status = 429;
		k->retry_after = wait;
	} else if (!http_hash_take()) {
		rc = err_set(&k->e, CDG_EBUSY, "the server is busy checking other "
			     "sign-ins; try again in a second");
		k->retry_after = 1;
	} else {
		char token[65], csrf[65];
		rc = app_login(k->a, name, pw, token, csrf, &k->e);
		http_hash_give();
		http_login_result(name, addr, rc == 0);
		if (rc == 0) {
			snprintf(k->set_cookie, sizeof k->set_cookie,
				 "cdg_session=%s; Path=/; HttpOnly; SameSite=Strict; "
				 "Max-Age=43200%s", token, k->secure_cookie ? "; Secure" : "");
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
		 "cdg_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
		 k->secure_cookie ? "; Secure" : "");
	if (rc == 0) {
		jw_obj(&k->w);
		jw_kbool(&k->w, "signed_out", true);
		jw_obj_end(&k->w);
	}
	return rc;
}

/* ---- bulk writes: observation and registry files --------------------------------- */

/* An import refused the body: its faults (k->faults) name "request body"
 * instead of the file the body was written to, and the message says how
 * many there are and gives the first.  The error body lists them all. */
static int refused(struct call *k, int rc)
{
	if (rc != CDG_EINPUT)
		return rc;
	struct err_list *f = &k->faults;
	for (size_t i = 0; i < f->n; i++)
		snprintf(f->v[i].file, sizeof f->v[i].file, "request body");
	if (f->n) {
		char first[700];
		err_format(&f->v[0], first, sizeof first);
		err_set(&k->e, CDG_EINPUT, "%ld fault%s, nothing written; the first: %s",
			f->total, f->total == 1 ? "" : "s", first);
	} else if (k->e.file[0]) {
		snprintf(k->e.file, sizeof k->e.file, "request body");
	}
	return rc;
}

/* Runs an importer that reads files on the request body: bulk uploads
 * arrive spooled to a private file (the server wrote it as the body came,
 * so no upload is held in memory); any other body goes to a private
 * temporary file, removed afterwards.  what names the expected content for
 * an empty body. */
static int import_body(struct call *k, const char *what,
		       int (*imp)(struct call *k, const char *path))
{
	if (k->body_len == 0)
		return err_set(&k->e, CDG_EUSAGE, "send %s in the request body", what);
	if (k->body_path)
		return refused(k, imp(k, k->body_path));
	const char *tmp = getenv("TMPDIR");
	char dir[512], path[600];
	snprintf(dir, sizeof dir, "%s/cdg-upload-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return err_set(&k->e, CDG_EIO, "cannot make a temporary directory");
	snprintf(path, sizeof path, "%s/request-body", dir);
	int rc = file_write_atomic(path, k->body_in, k->body_len, &k->e);
	if (rc == 0)
		rc = refused(k, imp(k, path));
	unlink(path);
	rmdir(dir);
	return rc;
}

static int import_observations(struct call *k, const char *path)
{
	struct app_import_report rep;
	int rc = app_data_import(k->a, path, k->actor, NULL, &rep, &k->faults, &k->e);
	if (rc == 0) {
		jw_obj(&k->w);
		jw_kstr(&k->w, "format", rep.format);
		jw_kint(&k->w, "rows", rep.rows);
		jw_kint(&k->w, "written", rep.written);
		jw_kint(&k->w, "unchanged", rep.unchanged);
		jw_kint(&k->w, "missing", rep.missing);
		jw_obj_end(&k->w);
	}
	return rc;
}

static int observations_post(struct call *k)
{
	return import_body(k, "the observations as CSV or SDMX-CSV", import_observations);
}

static int import_registry(struct call *k, const char *path)
{
	struct app_registry_report rep;
	int rc = app_registry_import(k->a, path, k->actor, &rep, &k->faults, &k->e);
	if (rc == 0) {
		jw_obj(&k->w);
		jw_kstr(&k->w, "format", rep.format);
		jw_kint(&k->w, "incidents", (long long)rep.incidents);
		jw_kint(&k->w, "attributions", (long long)rep.attributions);
		jw_kint(&k->w, "actors", (long long)rep.actors);
		jw_kint(&k->w, "documents", (long long)rep.documents);
		jw_kint(&k->w, "written", rep.written);
		jw_kint(&k->w, "skipped", rep.skipped);
		jw_obj_end(&k->w);
	}
	return rc;
}

static int registry_post(struct call *k)
{
	return import_body(k, "a registry CSV, registry JSON or STIX 2.1 bundle",
			   import_registry);
}

/* ---- survey writes --------------------------------------------------------------- */

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
	struct app_survey_report rep;
	rc = refused(k, app_survey_import_text(k->a, "request body", k->body_in,
					       k->body_len, k->actor, false, &rep,
					       &k->faults, &k->e));
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

/* ---- the standing forum ------------------------------------------------------------ */

/* The request body as a JSON object (NULL and CDG_EUSAGE otherwise). */
static json_t *body_object(struct call *k)
{
	json_error_t je;
	json_t *b = json_loadb(k->body_in, k->body_len, 0, &je);
	if (!json_is_object(b)) {
		json_decref(b);
		err_set(&k->e, CDG_EUSAGE, "the body must be a JSON object%s%s",
			b ? "" : ": ", b ? "" : je.text);
		return NULL;
	}
	return b;
}

/* A text member (NULL when absent); another type is CDG_EINPUT. */
static int body_str(struct call *k, json_t *b, const char *name, const char **out)
{
	json_t *v = json_object_get(b, name);
	*out = json_string_value(v);
	if (v && !json_is_null(v) && !json_is_string(v))
		return err_at(&k->e, CDG_EINPUT, NULL, 0, name, "must be a string");
	return 0;
}

/* An id member (0 when absent and optional). */
static int body_id(struct call *k, json_t *b, const char *name, bool required,
		   long long *out)
{
	json_t *v = json_object_get(b, name);
	*out = 0;
	if ((!v || json_is_null(v)) && !required)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return err_at(&k->e, CDG_EINPUT, NULL, 0, name, "must be an id (a positive integer)");
	*out = json_integer_value(v);
	return 0;
}

/* A count member of a vote's tally (-1 when absent). */
static int body_count(struct call *k, json_t *b, const char *name, long *out)
{
	json_t *v = json_object_get(b, name);
	*out = -1;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000)
		return err_at(&k->e, CDG_EINPUT, NULL, 0, name, "must be a count (0 or more)");
	*out = (long)json_integer_value(v);
	return 0;
}

/* The id in path segment i; a malformed one names nothing. */
static int seg_id(struct call *k, size_t i, const char *what, long long *out)
{
	long v;
	if (parse_long(k->seg[i], 1, 1000000000L, &v) != 0)
		return err_set(&k->e, CDG_ENOTFOUND, "there is no %s \"%s\"", what, k->seg[i]);
	*out = v;
	return 0;
}

/* ?name= as an id, 0 when absent. */
static int query_id(struct call *k, const char *name, long long *out)
{
	const char *v = http_query(k, name);
	long x = 0;
	if (v && parse_long(v, 1, 1000000000L, &x) != 0)
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, name, "\"%s\" is not an id", v);
	*out = x;
	return 0;
}

static int written(struct call *k, long long id)
{
	jw_obj(&k->w);
	jw_kint(&k->w, "id", id);
	jw_obj_end(&k->w);
	return 0;
}

/* ---- accounts and tokens (the secretariat) --------------------------------- */

static int accounts_list(struct call *k)
{
	return app_users_json(k->a, k->actor, &k->w, &k->e);
}

static int account_add(struct call *k)
{
	json_t *b = body_object(k);
	const char *name = NULL, *role = NULL, *country = NULL, *pw = NULL;
	int rc = b ? 0 : CDG_EUSAGE;
	if (rc == 0 && !(rc = body_str(k, b, "name", &name)) &&
	    !(rc = body_str(k, b, "role", &role)) &&
	    !(rc = body_str(k, b, "country", &country)) &&
	    !(rc = body_str(k, b, "password", &pw))) {
		if (!name || !role)
			rc = err_at(&k->e, CDG_EINPUT, NULL, 0, name ? "role" : "name",
				    "is required");
		else
			rc = app_user_add(k->a, k->actor, name, role, country, pw, &k->e);
	}
	if (rc == CDG_EUSAGE && b) /* a bad value in the body, not the call's shape */
		k->e.code = rc = CDG_EINPUT;
	if (rc == 0) {
		jw_obj(&k->w);
		jw_kstr(&k->w, "name", name);
		jw_kstr(&k->w, "role", role);
		jw_obj_end(&k->w);
	}
	json_decref(b);
	return rc;
}

static int account_change(struct call *k)
{
	const char *name = k->seg[1], *what = k->seg[2];
	long long ended = 0;
	int rc;
	if (strcmp(what, "password") == 0) {
		json_t *b = body_object(k);
		const char *pw = NULL;
		rc = b ? body_str(k, b, "password", &pw) : CDG_EUSAGE;
		if (rc == 0)
			rc = app_user_passwd(k->a, k->actor, name, pw, &ended, &k->e);
		json_decref(b);
	} else if (strcmp(what, "disable") == 0 || strcmp(what, "enable") == 0) {
		rc = app_user_enable(k->a, k->actor, name, what[0] == 'e', &ended, &k->e);
	} else {
		return err_set(&k->e, CDG_ENOTFOUND, "no such action \"%s\" (disable, "
			       "enable, password)", what);
	}
	if (rc == 0) {
		jw_obj(&k->w);
		jw_kstr(&k->w, "name", name);
		jw_kstr(&k->w, "done", what);
		jw_kint(&k->w, "ended", ended);
		jw_obj_end(&k->w);
	}
	return rc;
}

static int tokens_list(struct call *k)
{
	return app_tokens_json(k->a, k->actor, http_query(k, "account"), &k->w, &k->e);
}

static int token_add(struct call *k)
{
	json_t *b = body_object(k);
	const char *name = NULL, *label = NULL;
	json_t *days = b ? json_object_get(b, "days") : NULL;
	int rc = b ? 0 : CDG_EUSAGE;
	if (rc == 0 && !(rc = body_str(k, b, "account", &name)) &&
	    !(rc = body_str(k, b, "label", &label))) {
		if (!name)
			rc = err_at(&k->e, CDG_EINPUT, NULL, 0, "account", "is required");
		else if (days && !json_is_integer(days))
			rc = err_at(&k->e, CDG_EINPUT, NULL, 0, "days", "must be a number of days");
	}
	char token[65];
	if (rc == 0)
		rc = app_token_create(k->a, k->actor, name,
				      days ? (int)json_integer_value(days) : 90,
				      label ? label : "api", token, &k->e);
	if (rc == 0) {
		jw_obj(&k->w);
		jw_kstr(&k->w, "account", name);
		jw_kstr(&k->w, "token", token);
		jw_obj_end(&k->w);
	}
	json_decref(b);
	return rc;
}

static int token_revoke(struct call *k)
{
	char who[128];
	int rc = app_token_revoke(k->a, k->actor, k->seg[1], who, &k->e);
	if (rc == 0) {
		jw_obj(&k->w);
		jw_kstr(&k->w, "id", k->seg[1]);
		jw_kstr(&k->w, "account", who);
		jw_kbool(&k->w, "revoked", true);
		jw_obj_end(&k->w);
	}
	return rc;
}

static int forum_list(struct call *k, const char *what, long long id, const char *param)
{
	return app_forum_json(k->a, what, id, param, k->actor != NULL, &k->w, &k->e);
}

static int forum_orgs(struct call *k) { return forum_list(k, "orgs", 0, NULL); }
static int forum_sessions(struct call *k) { return forum_list(k, "sessions", 0, NULL); }
static int forum_memberships(struct call *k) { return forum_list(k, "my_orgs", 0, k->actor); }

static int forum_by_session(struct call *k, const char *what)
{
	long long session = 0;
	int rc = query_id(k, "session", &session);
	return rc ? rc : forum_list(k, what, session, NULL);
}

static int forum_documents(struct call *k) { return forum_by_session(k, "documents"); }
static int forum_proposals(struct call *k) { return forum_by_session(k, "proposals"); }
static int forum_decisions(struct call *k) { return forum_by_session(k, "decisions"); }

static int forum_actions(struct call *k)
{
	return forum_list(k, "actions", 0, http_query(k, "country"));
}

/* GET forum/KIND/{id} for session, document, proposal, decision. */
static int forum_one(struct call *k)
{
	static const char *const kinds[][2] = {{"sessions", "session"},
		{"documents", "document"}, {"proposals", "proposal"},
		{"decisions", "decision"}};
	const char *what = NULL;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(k->seg[1], kinds[i][0]) == 0)
			what = kinds[i][1];
	long long id = 0;
	int rc = what ? seg_id(k, 2, what, &id) : err_set(&k->e, CDG_EINTERNAL, "route");
	return rc ? rc : forum_list(k, what, id, NULL);
}

static int forum_monitor(struct call *k)
{
	return app_forum_monitor_json(k->a, http_query(k, "country"), http_query(k, "today"),
				      &k->w, &k->e);
}

static int forum_export(struct call *k)
{
	return app_forum_export_json(k->a, k->actor != NULL, &k->w, &k->e);
}

static int forum_feed(struct call *k)
{
	/* Links relative to this server (RFC 4287 allows IRI references):
	 * an answer built from the Host header could be cached and served
	 * to everyone with another host's links. */
	k->type = "application/atom+xml; charset=utf-8";
	return app_forum_feed_atom(k->a, "", &k->body, &k->e);
}

static int forum_org_add(struct call *k)
{
	json_t *b = body_object(k);
	const char *name, *group, *country;
	long long id = 0;
	int rc = b ? 0 : CDG_EUSAGE;
	if (rc == 0 && !(rc = body_str(k, b, "name", &name)) &&
	    !(rc = body_str(k, b, "group", &group)) &&
	    !(rc = body_str(k, b, "country", &country)))
		rc = app_forum_org_add(k->a, k->actor, name, group, country, &id, &k->e);
	json_decref(b);
	return rc ? rc : written(k, id);
}

static int forum_org_accredit(struct call *k)
{
	long long id = 0;
	int rc = seg_id(k, 2, "organisation", &id);
	if (rc == 0)
		rc = app_forum_org_accredit(k->a, k->actor, id, &k->e);
	return rc ? rc : written(k, id);
}

static int forum_member_add(struct call *k)
{
	long long id = 0;
	const char *account = NULL;
	json_t *b = body_object(k);
	int rc = b ? seg_id(k, 2, "organisation", &id) : CDG_EUSAGE;
	if (rc == 0 && !(rc = body_str(k, b, "account", &account)))
		rc = app_forum_member_add(k->a, k->actor, id, account, &k->e);
	json_decref(b);
	return rc ? rc : written(k, id);
}

static int forum_session_add(struct call *k)
{
	json_t *b = body_object(k);
	struct app_forum_session s = {0};
	long long id = 0;
	int rc = b ? 0 : CDG_EUSAGE;
	if (rc == 0 && !(rc = body_str(k, b, "kind", &s.kind)) &&
	    !(rc = body_str(k, b, "title", &s.title)) &&
	    !(rc = body_str(k, b, "starts_on", &s.starts_on)) &&
	    !(rc = body_str(k, b, "ends_on", &s.ends_on)) &&
	    !(rc = body_str(k, b, "description", &s.description))) {
		if (!s.kind)
			s.kind = "session";
		rc = app_forum_session_add(k->a, k->actor, &s, &id, &k->e);
	}
	json_decref(b);
	return rc ? rc : written(k, id);
}

static int forum_item_add(struct call *k)
{
	json_t *b = body_object(k);
	const char *title, *description;
	long long session = 0, id = 0;
	int rc = b ? seg_id(k, 2, "session", &session) : CDG_EUSAGE;
	if (rc == 0 && !(rc = body_str(k, b, "title", &title)) &&
	    !(rc = body_str(k, b, "description", &description)))
		rc = app_forum_item_add(k->a, k->actor, session, title, description, &id, &k->e);
	json_decref(b);
	return rc ? rc : written(k, id);
}

static int forum_doc_add(struct call *k)
{
	json_t *b = body_object(k);
	struct app_forum_doc d = {0};
	long long id = 0;
	int rc = b ? 0 : CDG_EUSAGE;
	if (rc == 0 && !(rc = body_id(k, b, "session", true, &d.session)) &&
	    !(rc = body_id(k, b, "item", false, &d.item)) &&
	    !(rc = body_str(k, b, "title", &d.title)) &&
	    !(rc = body_str(k, b, "access", &d.access)) &&
	    !(rc = body_str(k, b, "text", &d.text)) &&
	    !(rc = body_str(k, b, "url", &d.url)))
		rc = app_forum_doc_add(k->a, k->actor, &d, &id, &k->e);
	json_decref(b);
	return rc ? rc : written(k, id);
}

static int forum_doc_version(struct call *k)
{
	json_t *b = body_object(k);
	const char *text, *url;
	long long id = 0;
	int rc = b ? seg_id(k, 2, "document", &id) : CDG_EUSAGE;
	if (rc == 0 && !(rc = body_str(k, b, "text", &text)) &&
	    !(rc = body_str(k, b, "url", &url)))
		rc = app_forum_doc_version(k->a, k->actor, id, text, url, &k->e);
	json_decref(b);
	return rc ? rc : written(k, id);
}

/* title, text and refs of a proposal body; *refs is malloc'ed. */
static int proposal_body(struct call *k, json_t *b, struct app_forum_proposal *p,
			 const char ***refs)
{
	int rc;
	if ((rc = body_str(k, b, "title", &p->title)) || (rc = body_str(k, b, "text", &p->text)))
		return rc;
	json_t *r = json_object_get(b, "refs");
	if (r && !json_is_array(r))
		return err_at(&k->e, CDG_EINPUT, NULL, 0, "refs", "must be an array of strings");
	size_t n = json_array_size(r);
	*refs = xcalloc(n + 1, sizeof **refs);
	for (size_t i = 0; i < n; i++) {
		(*refs)[i] = json_string_value(json_array_get(r, i));
		if (!(*refs)[i])
			return err_at(&k->e, CDG_EINPUT, NULL, 0, "refs", "must be an array of strings");
	}
	p->refs = *refs;
	p->nrefs = n;
	return 0;
}

static int forum_propose(struct call *k)
{
	json_t *b = body_object(k);
	struct app_forum_proposal p = {0};
	const char **refs = NULL;
	long long id = 0;
	int rc = b ? 0 : CDG_EUSAGE;
	if (rc == 0 && !(rc = body_id(k, b, "item", true, &p.item)) &&
	    !(rc = body_id(k, b, "org", true, &p.org)) &&
	    !(rc = proposal_body(k, b, &p, &refs)))
		rc = app_forum_propose(k->a, k->actor, &p, &id, &k->e);
	free(refs);
	json_decref(b);
	return rc ? rc : written(k, id);
}

static int forum_revise(struct call *k)
{
	json_t *b = body_object(k);
	struct app_forum_proposal p = {0};
	const char **refs = NULL;
	long long id = 0;
	int rc = b ? seg_id(k, 2, "proposal", &id) : CDG_EUSAGE;
	if (rc == 0 && !(rc = proposal_body(k, b, &p, &refs)))
		rc = app_forum_revise(k->a, k->actor, id, &p, &k->e);
	free(refs);
	json_decref(b);
	return rc ? rc : written(k, id);
}

static int forum_comment(struct call *k)
{
	json_t *b = body_object(k);
	const char *text;
	long long proposal = 0, org = 0, id = 0;
	int rc = b ? seg_id(k, 2, "proposal", &proposal) : CDG_EUSAGE;
	if (rc == 0 && !(rc = body_id(k, b, "org", true, &org)) &&
	    !(rc = body_str(k, b, "text", &text)))
		rc = app_forum_comment(k->a, k->actor, proposal, org, text, &id, &k->e);
	json_decref(b);
	return rc ? rc : written(k, id);
}

static int forum_endorse(struct call *k)
{
	json_t *b = body_object(k);
	long long proposal = 0, org = 0;
	int rc = b ? seg_id(k, 2, "proposal", &proposal) : CDG_EUSAGE;
	if (rc == 0 && !(rc = body_id(k, b, "org", true, &org)))
		rc = app_forum_endorse(k->a, k->actor, proposal, org, &k->e);
	json_decref(b);
	return rc ? rc : written(k, proposal);
}

static int action_body(struct call *k, json_t *x, struct app_forum_action *a)
{
	int rc;
	if (!json_is_object(x))
		return err_at(&k->e, CDG_EINPUT, NULL, 0, "actions", "each action is an object");
	if ((rc = body_str(k, x, "title", &a->title)) ||
	    (rc = body_id(k, x, "owner", true, &a->owner)) ||
	    (rc = body_str(k, x, "deadline", &a->deadline)))
		return rc;
	return 0;
}

#define FORUM_MAX_LIST 64

static int forum_decide(struct call *k)
{
	json_t *b = body_object(k);
	struct app_forum_decision d = {0};
	long long draws[FORUM_MAX_LIST], id = 0;
	struct app_forum_action acts[FORUM_MAX_LIST];
	int rc = b ? 0 : CDG_EUSAGE;
	json_t *tally = b ? json_object_get(b, "tally") : NULL;
	if (rc == 0 && tally && !json_is_object(tally) && !json_is_null(tally))
		rc = err_at(&k->e, CDG_EINPUT, NULL, 0, "tally", "must be {yes, no, abstain}");
	if (rc == 0 && !(rc = body_id(k, b, "item", true, &d.item)) &&
	    !(rc = body_str(k, b, "method", &d.method)) &&
	    !(rc = body_str(k, b, "text", &d.text)) &&
	    !(rc = body_str(k, b, "adopted_on", &d.adopted_on)) &&
	    !(rc = body_count(k, tally, "yes", &d.yes)) &&
	    !(rc = body_count(k, tally, "no", &d.no)))
		rc = body_count(k, tally, "abstain", &d.abstain);
	json_t *on = b ? json_object_get(b, "draws_on") : NULL;
	json_t *ax = b ? json_object_get(b, "actions") : NULL;
	if (rc == 0 && ((on && !json_is_array(on)) || json_array_size(on) > FORUM_MAX_LIST))
		rc = err_at(&k->e, CDG_EINPUT, NULL, 0, "draws_on", "must be an array of proposal ids");
	if (rc == 0 && ((ax && !json_is_array(ax)) || json_array_size(ax) > FORUM_MAX_LIST))
		rc = err_at(&k->e, CDG_EINPUT, NULL, 0, "actions", "must be an array of actions");
	for (size_t i = 0; rc == 0 && i < json_array_size(on); i++) {
		json_t *v = json_array_get(on, i);
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			rc = err_at(&k->e, CDG_EINPUT, NULL, 0, "draws_on", "must be an array of proposal ids");
		else
			draws[d.ndraws++] = json_integer_value(v);
	}
	for (size_t i = 0; rc == 0 && i < json_array_size(ax); i++) {
		if ((rc = action_body(k, json_array_get(ax, i), &acts[i])) == 0) {
			d.nactions++;
		} else if (strcmp(k->e.field, "actions") != 0) {
			/* Say which action: "actions[1].deadline". */
			char f[sizeof k->e.field];
			snprintf(f, sizeof f, "%s", k->e.field);
			snprintf(k->e.field, sizeof k->e.field, "actions[%u].%.32s", (unsigned)i, f);
		}
	}
	d.draws_on = draws;
	d.actions = acts;
	if (rc == 0)
		rc = app_forum_decide(k->a, k->actor, &d, &id, &k->e);
	json_decref(b);
	return rc ? rc : written(k, id);
}

static int forum_action_add(struct call *k)
{
	json_t *b = body_object(k);
	struct app_forum_action x = {0};
	long long decision = 0, id = 0;
	int rc = b ? seg_id(k, 2, "decision", &decision) : CDG_EUSAGE;
	if (rc == 0 && !(rc = action_body(k, b, &x)))
		rc = app_forum_action_add(k->a, k->actor, decision, &x, &id, &k->e);
	json_decref(b);
	return rc ? rc : written(k, id);
}

static int forum_action_update(struct call *k)
{
	json_t *b = body_object(k);
	const char *status, *note;
	long long id = 0;
	int rc = b ? seg_id(k, 2, "action", &id) : CDG_EUSAGE;
	if (rc == 0 && !(rc = body_str(k, b, "status", &status)) &&
	    !(rc = body_str(k, b, "note", &note)))
		rc = app_forum_action_update(k->a, k->actor, id, status, note, &k->e);
	json_decref(b);
	return rc ? rc : written(k, id);
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
	struct app_capacity_report rep;
	int rc = refused(k, app_capacity_import_text(k->a, "request body", k->body_in,
						     k->body_len, k->actor, &rep,
						     &k->faults, &k->e));
	if (rc == 0) {
		jw_obj(&k->w);
		jw_kint(&k->w, "initiatives", (long long)rep.initiatives);
		jw_kint(&k->w, "written", rep.written);
		jw_obj_end(&k->w);
	}
	return rc;
}

const struct route http_routes[] = {
	{"POST", "login", false, login, false, GATE_NONE},
	{"POST", "logout", false, logout, false, GATE_NONE},
	{"GET", "accounts", true, accounts_list, true, GATE_ACCOUNTS},
	{"POST", "accounts", false, account_add, true, GATE_ACCOUNTS},
	{"POST", "accounts/{name}/{action}", false, account_change, true, GATE_ACCOUNTS},
	{"GET", "tokens?account", true, tokens_list, true, GATE_ACCOUNTS},
	{"POST", "tokens", false, token_add, true, GATE_ACCOUNTS},
	{"POST", "tokens/{id}/revoke", false, token_revoke, true, GATE_ACCOUNTS},
	{"GET", "me", false, me, true, GATE_NONE},
	{"PUT", "surveys/{iso3}/{year}", false, survey_put, true, GATE_SURVEY_EDIT},
	{"POST", "surveys/{iso3}/{year}/{action}", false, survey_move, true, GATE_SURVEY_MOVE},
	{"POST", "observations", false, observations_post, true, GATE_DATA},
	{"POST", "registry", false, registry_post, true, GATE_REGISTRY},
	{"GET", "health", false, health, false, GATE_NONE},
	{"GET", "framework", false, framework, false, GATE_NONE},
	{"GET", "framework/{part}", false, framework_part, false, GATE_NONE},
	{"GET", "countries", true, countries, false, GATE_NONE},
	{"GET", "countries/resolve?q", false, country_resolve, false, GATE_NONE},
	{"GET", "countries/{iso3}", false, country, false, GATE_NONE},
	{"GET", "countries/{iso3}/dashboard?year", false, dashboard, false, GATE_NONE},
	{"GET", "countries/{iso3}/gaps?year", false, country_gaps, false, GATE_NONE},
	{"GET", "countries/{iso3}/index-history?format", false, index_history, false, GATE_NONE},
	{"GET", "surveys", true, surveys, false, GATE_NONE},
	{"GET", "surveys/{iso3}/{year}?revision", false, survey, false, GATE_NONE},
	{"GET", "surveys/{iso3}/{year}/history", true, survey_history, false, GATE_NONE},
	{"GET", "index/editions", true, editions, false, GATE_NONE},
	{"GET", "index/editions/{year}?country", false, edition, false, GATE_NONE},
	{"GET", "incidents?state,norm,since,search", true, incidents, false, GATE_NONE},
	{"GET", "incidents/{id}", false, incident_one, false, GATE_NONE},
	{"GET", "norms/{letter}/violations", false, norm_violations, false, GATE_NONE},
	{"GET", "norms/{letter}/implementation?year,country,answer,latest,synthetic", false, norm_implementation, false, GATE_NONE},
	{"GET", "crime/articles", true, crime_articles, false, GATE_NONE},
	{"GET", "observations?country,indicator,year,page,per_page", false, observations_list, false, GATE_NONE},
	{"GET", "observations/export?format,indicator,country", false, observations_export, false, GATE_NONE},
	{"GET", "registry/export?format,state,norm,since,search,id", false, registry_export, false, GATE_NONE},
	{"GET", "registry/actors?search", false, registry_actors, false, GATE_NONE},
	{"GET", "crime/pair?a,b,offence,date", false, crime_pair, false, GATE_NONE},
	{"GET", "crime/matrix?offence,date,observers", false, crime_matrix, false, GATE_NONE},
	{"GET", "crime/treaties/{id}?date", false, crime_treaty, false, GATE_NONE},
	{"GET", "charts/map?format,show,edition", false, chart_map, false, GATE_NONE},
	{"GET", "charts/ranking?format,edition", false, chart_ranking, false, GATE_NONE},
	{"GET", "forum/orgs", true, forum_orgs, false, GATE_NONE},
	{"POST", "forum/orgs", false, forum_org_add, true, GATE_FORUM_ADMIN},
	{"POST", "forum/orgs/{id}/accredit", false, forum_org_accredit, true, GATE_FORUM_ADMIN},
	{"POST", "forum/orgs/{id}/members", false, forum_member_add, true, GATE_FORUM_ADMIN},
	{"GET", "forum/memberships", false, forum_memberships, true, GATE_NONE},
	{"GET", "forum/sessions", true, forum_sessions, false, GATE_NONE},
	{"POST", "forum/sessions", false, forum_session_add, true, GATE_FORUM_ADMIN},
	{"GET", "forum/sessions/{id}", false, forum_one, false, GATE_NONE},
	{"POST", "forum/sessions/{id}/items", false, forum_item_add, true, GATE_FORUM_ADMIN},
	{"GET", "forum/documents?session", true, forum_documents, false, GATE_NONE},
	{"POST", "forum/documents", false, forum_doc_add, true, GATE_FORUM_ADMIN},
	{"GET", "forum/documents/{id}", false, forum_one, false, GATE_NONE},
	{"POST", "forum/documents/{id}/versions", false, forum_doc_version, true, GATE_FORUM_ADMIN},
	{"GET", "forum/proposals?session", true, forum_proposals, false, GATE_NONE},
	{"POST", "forum/proposals", false, forum_propose, true, GATE_FORUM_MEMBER},
	{"GET", "forum/proposals/{id}", false, forum_one, false, GATE_NONE},
	{"POST", "forum/proposals/{id}/versions", false, forum_revise, true, GATE_FORUM_MEMBER},
	{"POST", "forum/proposals/{id}/comments", false, forum_comment, true, GATE_FORUM_MEMBER},
	{"POST", "forum/proposals/{id}/endorsements", false, forum_endorse, true, GATE_FORUM_MEMBER},
	{"GET", "forum/decisions?session", true, forum_decisions, false, GATE_NONE},
	{"POST", "forum/decisions", false, forum_decide, true, GATE_FORUM_ADMIN},
	{"GET", "forum/decisions/{id}", false, forum_one, false, GATE_NONE},
	{"POST", "forum/decisions/{id}/actions", false, forum_action_add, true, GATE_FORUM_ADMIN},
	{"GET", "forum/actions?country", true, forum_actions, false, GATE_NONE},
	{"POST", "forum/actions/{id}/updates", false, forum_action_update, true, GATE_FORUM_ACTION},
	{"GET", "forum/monitor?country,today", false, forum_monitor, false, GATE_NONE},
	{"GET", "forum/feed.atom", false, forum_feed, false, GATE_NONE},
	{"GET", "forum/export", false, forum_export, false, GATE_NONE},
	{"GET", "countries/{iso3}/agreements", true, country_agreements, false, GATE_NONE},
	{"GET", "agreements", true, agreements, false, GATE_NONE},
	{"GET", "agreements/compare?ids", false, agreements_compare, false, GATE_NONE},
	{"GET", "agreements/industry-norms", true, industry_norms, false, GATE_NONE},
	{"GET", "agreements/{id}", false, agreement, false, GATE_NONE},
	{"GET", "capacity/initiatives", true, initiatives, false, GATE_NONE},
	{"POST", "capacity/initiatives", false, initiatives_post, true, GATE_CAPACITY},
	{"GET", "capacity/match/{iso3}?year", false, capacity_match, false, GATE_NONE},
	{"GET", "capacity/unserved?goal,year,no_data", false, capacity_unserved, false, GATE_NONE},
	{"GET", "capacity/duplication", false, capacity_duplication, false, GATE_NONE},
	{"GET", "capacity/donors", true, capacity_donors, false, GATE_NONE},
	{"GET", "capacity/implementers", true, capacity_implementers, false, GATE_NONE},
};
const size_t http_nroutes = sizeof http_routes / sizeof http_routes[0];
