/* The national implementation survey: import, workflow, export, history. */
#include "app/app.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/formats.h"
#include "store/store.h"

#define FIRST_YEAR 1990

static long this_year(void)
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	return tm.tm_year + 1900;
}


static const struct fw_option *option_of(const struct fw_scale *s,
					 const char *value)
{
	for (size_t i = 0; s && i < s->n_options; i++)
		if (strcmp(s->options[i].value, value) == 0)
			return &s->options[i];
	return NULL;
}

/* Position of a question in the catalog (answers are stored in this
 * order, so a response has one canonical form). */
static size_t question_pos(const struct fw_catalog *c, const char *id)
{
	for (size_t i = 0; i < c->n_questions; i++)
		if (strcmp(c->questions[i].id, id) == 0)
			return i;
	return c->n_questions;
}

static const struct fw_catalog *sort_cat;
static int by_catalog_order(const void *a, const void *b)
{
	size_t x = question_pos(sort_cat, ((const struct sv_answer *)a)->question);
	size_t y = question_pos(sort_cat, ((const struct sv_answer *)b)->question);
	return (x > y) - (x < y);
}

static void check_answer(const struct fw_catalog *cat, const char *file,
			 const struct sv_answer *a, struct err_list *errs)
{
	const struct fw_question *q = fw_question(cat, a->question);
	if (!q) {
		errs_addf(errs, file, a->line, "question",
		      "unknown question \"%s\" (see 'cdg framework survey')", a->question);
		return;
	}
	const struct fw_scale *s = fw_scale(cat, q->scale);
	const struct fw_option *o = a->answer ? option_of(s, a->answer) : NULL;
	if (a->answer && !o) {
		struct buf opts = BUF_INIT;
		for (size_t i = 0; s && i < s->n_options; i++)
			buf_addf(&opts, "%s%s", i ? ", " : "", s->options[i].value);
		errs_addf(errs, file, a->line, "answer",
		      "%s: \"%s\" is not an option of scale %s (%s)", q->id,
		      a->answer, q->scale, opts.p);
		buf_free(&opts);
	}
	for (size_t i = 0; i < a->n_evidence; i++)
		if (strpbrk(a->evidence[i], " \t\r\n"))
			errs_addf(errs, file, a->line, "evidence",
			      "%s: evidence item \"%s\" contains spaces (give a URL "
			      "or a document reference)", q->id, a->evidence[i]);
	if (o && o->scored && o->score > 0 && strcmp(q->evidence, "required") == 0 &&
	    a->n_evidence == 0)
		errs_addf(errs, file, a->line, "evidence",
		      "%s: the answer \"%s\" needs evidence (a link or a document "
		      "reference)", q->id, a->answer);
}

/* Checks one response of the file; faults go to errs. */
static void check_response(struct app *a, const char *file,
			   const struct sv_response *r, const struct strmap *states,
			   struct err_list *errs)
{
	if (r->country && !strmap_get(states, r->country))
		errs_addf(errs, file, r->line, "country",
		      "unknown country \"%s\" (an ISO 3166-1 alpha-3 code of a UN "
		      "member or observer State)", r->country);
	if (r->year < FIRST_YEAR || r->year > this_year())
		errs_addf(errs, file, r->line, "year", "%ld is not a survey year (%d to %ld)",
		      r->year, FIRST_YEAR, this_year());
	for (size_t i = 0; i < r->n_answers; i++) {
		const struct sv_answer *x = &r->answers[i];
		if (!x->question)
			continue;
		check_answer(&a->cat, file, x, errs);
		for (size_t j = 0; j < i; j++)
			if (r->answers[j].question &&
			    strcmp(r->answers[j].question, x->question) == 0)
				errs_addf(errs, file, x->line, "question",
				      "%s is answered twice (first on line %ld)",
				      x->question, r->answers[j].line);
	}
	if (!r->country || !strmap_get(states, r->country))
		return;
	struct store_survey_info info;
	struct cdg_err e;
	if (store_survey_get(a->st, r->country, r->year, &info, &e) != 0) {
		errs_add(errs, &e);
		return;
	}
	if (info.id && strcmp(info.status, "draft") != 0)
		errs_addf(errs, file, r->line, "country",
		      "the %s %ld response is %s; only a draft can be replaced "
		      "(cdg survey %s %s %ld first)", r->country, r->year,
		      info.status, strcmp(info.status, "published") == 0 ? "reopen" : "return",
		      r->country, r->year);
}

static int write_response(struct app *a, struct sv_response *r,
			  const char *action, int *rev, struct cdg_err *e)
{
	sort_cat = &a->cat;
	qsort(r->answers, r->n_answers, sizeof *r->answers, by_catalog_order);
	struct buf content = BUF_INIT;
	sv_write_json(r, &content, false);
	struct store_answer *rows = xcalloc(r->n_answers + 1, sizeof *rows);
	struct buf *ev = xcalloc(r->n_answers + 1, sizeof *ev);
	for (size_t i = 0; i < r->n_answers; i++) {
		const struct sv_answer *x = &r->answers[i];
		struct jw w;
		buf_init(&ev[i]);
		jw_init(&w, &ev[i], false);
		jw_arr(&w);
		for (size_t k = 0; k < x->n_evidence; k++)
			jw_str(&w, x->evidence[k]);
		jw_arr_end(&w);
		rows[i] = (struct store_answer){x->question, x->answer, x->comment,
						ev[i].p, x->challenges, x->capacity_needs};
	}
	int rc = store_survey_put(a->st, r->country, r->year, "draft", action,
				  r->synthetic, content.p, rows, r->n_answers,
				  true, rev, e);
	for (size_t i = 0; i < r->n_answers; i++)
		buf_free(&ev[i]);
	free(ev);
	free(rows);
	buf_free(&content);
	return rc;
}

int app_survey_import(struct app *a, const char *path, const char *actor,
		      bool synthetic, struct app_survey_report *rep,
		      struct err_list *errs, struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	struct buf text = BUF_INIT;
	int rc = file_read_all(path, &text, e);
	if (rc == 0)
		rc = app_survey_import_text(a, path, text.p, text.len, actor, synthetic,
					    rep, errs, e);
	else if (rc == CDG_ENOTFOUND)
		rc = CDG_EINPUT;
	buf_free(&text);
	return rc;
}

int app_survey_import_text(struct app *a, const char *path, const char *text_p,
			   size_t text_len, const char *actor, bool synthetic,
			   struct app_survey_report *rep, struct err_list *errs,
			   struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	struct buf text = BUF_INIT;
	buf_add(&text, text_p, text_len);
	int rc = 0;
	struct sv_doc d;
	sv_parse(&d, path, text.p, text.len, errs);
	struct arena ar;
	arena_init(&ar);
	const char **iso3, **m49;
	size_t n;
	struct strmap states;
	strmap_init(&states);
	rc = store_country_codes(a->st, &ar, &iso3, &m49, &n, e);
	for (size_t i = 0; rc == 0 && i < n; i++)
		strmap_put(&states, iso3[i], (void *)(uintptr_t)iso3[i]);
	for (size_t i = 0; rc == 0 && i < d.n_responses; i++) {
		struct sv_response *r = &d.responses[i];
		r->synthetic = r->synthetic || synthetic;
		check_response(a, path, r, &states, errs);
		for (size_t j = 0; j < i; j++)
			if (r->country && d.responses[j].country &&
			    strcmp(r->country, d.responses[j].country) == 0 &&
			    r->year == d.responses[j].year)
				errs_addf(errs, path, r->line, "country",
				      "a second response for %s %ld in one file",
				      r->country, r->year);
		rep->answers += r->n_answers;
	}
	rep->responses = d.n_responses;
	if (rc == 0 && d.n_responses == 0 && errs->total == 0)
		errs_addf(errs, path, 1, NULL, "the file holds no survey response");
	/* Every response must be one the actor may edit. */
	for (size_t i = 0; rc == 0 && errs->total == 0 && i < d.n_responses; i++)
		rc = app_authorize(a, actor, APP_SURVEY_EDIT, d.responses[i].country, e);
	if (rc == 0 && errs->total == 0) {
		rc = store_tx_begin(a->st, actor, e);
		for (size_t i = 0; rc == 0 && i < d.n_responses; i++)
			rc = write_response(a, &d.responses[i], "import", &rep->revision, e);
		if (rc == 0)
			rc = store_tx_commit(a->st, e);
		else
			store_tx_rollback(a->st);
	}
	if (rc == 0 && errs->total)
		rc = err_at(e, CDG_EINPUT, path, 0, NULL,
			    "%ld error%s; nothing was imported", errs->total,
			    errs->total == 1 ? "" : "s");
	strmap_free(&states);
	arena_free(&ar);
	sv_free(&d);
	buf_free(&text);
	return rc;
}

/* ---- workflow ---------------------------------------------------------------- */

struct move {
	const char *action;   /* command word */
	const char *from[3];  /* allowed current statuses */
	const char *to;       /* status after */
};

static const struct move moves[] = {
	{"submit", {"draft"}, "submitted"},
	{"return", {"submitted", "validated"}, "draft"},
	{"validate", {"submitted"}, "validated"},
	{"publish", {"validated"}, "published"},
	{"reopen", {"published"}, "draft"},
};

/* Score of one answer for survey indicators: -1 when it takes no part
 * (unanswered, not applicable, don't know, or a positive answer lacking
 * required evidence). */
static double answer_score(const struct fw_catalog *c, json_t *ans,
			   const char *qid)
{
	const struct fw_question *q = fw_question(c, qid);
	const char *v = json_string_value(json_object_get(ans, "answer"));
	if (!q || !v)
		return -1;
	const struct fw_option *o = option_of(fw_scale(c, q->scale), v);
	if (!o || !o->scored)
		return -1;
	if (o->score > 0 && strcmp(q->evidence, "required") == 0 &&
	    json_array_size(json_object_get(ans, "evidence")) == 0)
		return -1;
	return o->score;
}

static json_t *find_answer(json_t *answers, const char *qid)
{
	size_t i;
	json_t *v;
	json_array_foreach(answers, i, v)
		if (strcmp(json_string_value(json_object_get(v, "question")), qid) == 0)
			return v;
	return NULL;
}

/* Writes the survey-based indicators of a response being published: each
 * survey indicator is 100 x the mean score of its questions, computed
 * when at least half of them (rounded up) have a scored answer; CDG9.x
 * registry indicators from the response as a whole.  Rules as stated in
 * data/framework/indicators.json. */
static int publish_indicators(struct app *a, const char *iso3, long year,
			      int revision, const char *content, bool synthetic,
			      struct cdg_err *e)
{
	json_t *root = json_loads(content, 0, NULL);
	json_t *answers = json_object_get(root, "answers");
	char source[128];
	snprintf(source, sizeof source, "cdg survey %s %ld, revision %d", iso3,
		 year, revision);
	struct store_obs_writer *w;
	int rc = store_obs_attach(a->st, "derived", source, synthetic, &w, e);
	if (rc == 0)
		store_obs_source_type(w, "self_reported");
	const struct fw_catalog *c = &a->cat;
	for (size_t i = 0; rc == 0 && i < c->n_indicators; i++) {
		const struct fw_indicator *d = &c->indicators[i];
		if (d->measure != FW_SURVEY)
			continue;
		double sum = 0;
		size_t k = 0;
		for (size_t j = 0; j < d->n_questions; j++) {
			json_t *ans = find_answer(answers, d->questions[j]);
			double s = ans ? answer_score(c, ans, d->questions[j]) : -1;
			if (s >= 0) {
				sum += s;
				k++;
			}
		}
		if (k == 0 || k < (d->n_questions + 1) / 2)
			continue;
		char note[160];
		snprintf(note, sizeof note, "computed from %zu of %zu survey answers",
			 k, d->n_questions);
		struct store_obs o = {.indicator = d->id, .iso3 = iso3, .year = year,
				      .value = 100.0 * sum / (double)k,
				      .source = source, .note = note};
		int put = store_obs_put(w, &o, e);
		rc = put < 0 ? put : 0;
	}
	/* CDG9.2: completeness; evidence behind positives (CDG9.1.1, a recent
	 * response, is derived for all States by app_survey_recency). */
	size_t answered = 0, positive_req = 0, with_ev = 0;
	size_t nans = json_array_size(answers);
	for (size_t i = 0; i < nans; i++) {
		json_t *ans = json_array_get(answers, i);
		const char *qid = json_string_value(json_object_get(ans, "question"));
		const char *v = json_string_value(json_object_get(ans, "answer"));
		const struct fw_question *q = fw_question(c, qid);
		if (!q || !v)
			continue;
		if (strcmp(v, "unknown") != 0)
			answered++;
		const struct fw_option *o = option_of(fw_scale(c, q->scale), v);
		if (o && o->scored && o->score > 0 && strcmp(q->evidence, "required") == 0) {
			positive_req++;
			with_ev += json_array_size(json_object_get(ans, "evidence")) > 0;
		}
	}
	struct {
		const char *id;
		double value;
		bool have;
	} reg[] = {
		{"CDG9.2.1", c->n_questions ? 100.0 * (double)answered / (double)c->n_questions : 0,
		 c->n_questions > 0},
		{"CDG9.2.2", positive_req ? 100.0 * (double)with_ev / (double)positive_req : 0,
		 positive_req > 0},
	};
	for (size_t i = 0; rc == 0 && i < sizeof reg / sizeof reg[0]; i++) {
		if (!reg[i].have || !fw_indicator(c, reg[i].id))
			continue;
		struct store_obs o = {.indicator = reg[i].id, .iso3 = iso3, .year = year,
				      .value = reg[i].value, .source = source,
				      .note = "derived from the published survey response"};
		int put = store_obs_put(w, &o, e);
		rc = put < 0 ? put : 0;
	}
	if (w) {
		int end = store_obs_end(w, rc == 0, e);
		if (rc == 0)
			rc = end;
	}
	json_decref(root);
	return rc;
}

/* ---- CDG9.1.1: a response in the last 24 months ------------------------------ */

#define RECENCY_ID "CDG9.1.1"
#define RECENCY_MONTHS 24

struct submission {
	char iso3[4];       /* state */
	long year;          /* survey year of the response */
	char at[21];        /* when its published revision was submitted */
	bool synthetic;     /* demo data */
};

struct recency {
	struct submission *v; /* ordered by state, then submission */
	size_t n, cap;
	long first_real;      /* year of the first real submission, 0 if none */
};

static int add_submission(void *ctx, const char *iso3, long year,
			  const char *at, bool synthetic)
{
	struct recency *r = ctx;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = xrealloc(r->v, r->cap * sizeof *r->v);
	}
	struct submission *s = &r->v[r->n++];
	snprintf(s->iso3, sizeof s->iso3, "%s", iso3);
	s->year = year;
	snprintf(s->at, sizeof s->at, "%s", at);
	s->synthetic = synthetic;
	if (!synthetic && (!r->first_real || atol(at) < r->first_real))
		r->first_real = atol(at);
	return 0;
}

/* The latest submission of iso3 in the window ending on ref, a real one
 * before any demo one, or NULL. */
static const struct submission *recent(const struct recency *r,
				       const char *iso3, const char *ref)
{
	const struct submission *found = NULL;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].iso3, iso3) == 0 &&
		    date_in_months_before(r->v[i].at, ref, RECENCY_MONTHS) &&
		    (!found || found->synthetic || !r->v[i].synthetic))
			found = &r->v[i];
	return found;
}

int app_survey_recency(struct store *st, const struct fw_catalog *cat,
		       struct cdg_err *e)
{
	if (!fw_indicator(cat, RECENCY_ID))
		return 0;
	struct recency r = {0};
	int rc = store_survey_submissions(st, add_submission, &r, e);
	struct arena arena;
	arena_init(&arena);
	const char **iso3 = NULL, **m49;
	size_t n = 0;
	if (rc == 0 && r.n)
		rc = store_country_codes(st, &arena, &iso3, &m49, &n, e);
	long first = 9999;
	for (size_t i = 0; i < r.n; i++)
		if (atol(r.v[i].at) < first)
			first = atol(r.v[i].at);
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	/* A 1 is synthetic when its response is.  A 0 needs real responses
	 * in the store: a demo round alone says nothing of the other States,
	 * which then get no value rather than a demo 0. */
	struct store_obs_writer *w[2] = {NULL, NULL};
	for (long y = first; rc == 0 && r.n && y <= tm.tm_year + 1900; y++) {
		char ref[32], note[160];
		snprintf(ref, sizeof ref, "%04ld-12-31", y);
		snprintf(note, sizeof note, "reference date %s (end of the observation "
			 "year); a published response submitted in the %d months before",
			 ref, RECENCY_MONTHS);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			const struct submission *s = recent(&r, iso3[i], ref);
			if (!s && (!r.first_real || y < r.first_real))
				continue;
			bool syn = s && s->synthetic;
			char source[192];
			if (s)
				snprintf(source, sizeof source, "cdg survey %s %ld, submitted %.10s",
					 s->iso3, s->year, s->at);
			else
				snprintf(source, sizeof source, "cdg survey store: no published "
					 "response of %s submitted %ld-01-01 to %s", iso3[i], y - 1, ref);
			if (!w[syn]) {
				rc = store_obs_attach(st, "derived", "survey: " RECENCY_ID, syn,
						      &w[syn], e);
				if (rc == 0)
					store_obs_source_type(w[syn], "self_reported");
			}
			struct store_obs o = {.indicator = RECENCY_ID, .iso3 = iso3[i], .year = y,
					      .value = s ? 1 : 0, .source = source, .note = note};
			int put = rc ? rc : store_obs_put(w[syn], &o, e);
			rc = put < 0 ? put : 0;
		}
	}
	for (int k = 0; k < 2; k++)
		if (w[k]) {
			int end = store_obs_end(w[k], rc == 0, e);
			if (rc == 0)
				rc = end;
		}
	arena_free(&arena);
	free(r.v);
	return rc;
}

int app_survey_move(struct app *a, const char *iso3, long year,
		    const char *action, const char *actor, struct cdg_err *e)
{
	const struct move *m = NULL;
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (strcmp(moves[i].action, action) == 0)
			m = &moves[i];
	if (!m)
		return err_set(e, CDG_EUSAGE, "unknown survey action \"%s\"", action);
	if (!iso3_shape(iso3))
		return err_set(e, CDG_EUSAGE, "\"%s\" is not an ISO alpha-3 code", iso3);
	int arc = app_authorize(a, actor, strcmp(action, "submit") == 0
				? APP_SURVEY_EDIT : APP_SURVEY_REVIEW, iso3, e);
	if (arc)
		return arc;
	struct store_survey_info info;
	int rc = store_survey_get(a->st, iso3, year, &info, e);
	if (rc)
		return rc;
	if (!info.id)
		return err_set(e, CDG_ENOTFOUND, "no survey response for %s %ld", iso3, year);
	bool allowed = false;
	for (int i = 0; i < 3 && m->from[i]; i++)
		allowed = allowed || strcmp(m->from[i], info.status) == 0;
	if (!allowed)
		return err_set(e, CDG_ECONFLICT, "cannot %s the %s %ld response: it is %s",
			       action, iso3, year, info.status);
	struct buf content = BUF_INIT;
	rc = store_survey_content(a->st, iso3, year, 0, &content, e);
	if (rc == 0)
		rc = store_tx_begin(a->st, actor, e);
	if (rc == 0) {
		int rev = 0;
		rc = store_survey_put(a->st, iso3, year, m->to, action, info.synthetic,
				      content.p, NULL, 0, false, &rev, e);
		if (rc == 0 && strcmp(m->to, "published") == 0)
			rc = publish_indicators(a, iso3, year, rev, content.p,
						info.synthetic, e);
		if (rc == 0 && strcmp(m->to, "published") == 0)
			rc = app_survey_recency(a->st, &a->cat, e);
		if (rc == 0)
			rc = store_tx_commit(a->st, e);
		else
			store_tx_rollback(a->st);
	}
	buf_free(&content);
	return rc;
}

/* ---- reads ------------------------------------------------------------------ */

int app_survey_export(struct app *a, const char *iso3, long year,
		      int revision, bool csv, struct buf *out,
		      struct cdg_err *e)
{
	struct buf content = BUF_INIT;
	int rc = store_survey_content(a->st, iso3, year, revision, &content, e);
	if (rc) {
		buf_free(&content);
		return rc;
	}
	struct sv_doc d;
	struct err_list errs;
	errs_init(&errs, 5);
	rc = sv_parse(&d, "stored revision", content.p, content.len, &errs);
	if (rc == 0 && d.n_responses == 1) {
		if (csv)
			sv_write_csv(&d.responses[0], 1, out);
		else
			sv_write_json(&d.responses[0], out, true);
	} else if (rc == 0) {
		rc = err_set(e, CDG_EINTERNAL, "stored revision holds %zu responses",
			     d.n_responses);
	} else {
		rc = err_set(e, CDG_EINTERNAL, "stored revision does not parse: %s",
			     errs.n ? errs.v[0].msg : "?");
	}
	errs_free(&errs);
	sv_free(&d);
	buf_free(&content);
	return rc;
}

int app_survey_history_json(struct app *a, const char *iso3, long year,
			    struct jw *w, struct cdg_err *e)
{
	return store_survey_history_json(a->st, iso3, year, w, e);
}

static int list_one(void *ctx, const char *iso3, long year, const char *status,
		    bool synthetic)
{
	struct jw *w = ctx;
	jw_obj(w);
	jw_kstr(w, "country", iso3);
	jw_kint(w, "year", year);
	jw_kstr(w, "status", status);
	jw_kbool(w, "synthetic", synthetic);
	jw_obj_end(w);
	return 0;
}

/* True if actor may see unpublished survey revisions of iso3 (or of any
 * state when iso3 is NULL). */
static bool sees_drafts(struct app *a, const char *actor, const char *iso3)
{
	struct cdg_err ignore;
	if (app_authorize(a, actor, APP_SURVEY_REVIEW, iso3, &ignore) == 0)
		return true;
	return iso3 && app_authorize(a, actor, APP_SURVEY_EDIT, iso3, &ignore) == 0;
}

int app_survey_readable(struct app *a, const char *actor, const char *iso3,
			long year, int *revision, struct cdg_err *e)
{
	if (!iso3_shape(iso3))
		return err_set(e, CDG_EUSAGE, "\"%s\" is not an ISO alpha-3 code", iso3);
	struct store_survey_info info;
	int rc = store_survey_get(a->st, iso3, year, &info, e);
	if (rc)
		return rc;
	if (!info.id)
		return err_set(e, CDG_ENOTFOUND, "no survey response for %s %ld", iso3, year);
	if (sees_drafts(a, actor, iso3))
		return 0;
	if (!info.published_revision)
		return err_set(e, CDG_ENOTFOUND, "no published survey response for %s %ld",
			       iso3, year);
	if (*revision == 0) {
		*revision = info.published_revision;
		return 0;
	}
	char status[16];
	rc = store_survey_revision_status(a->st, iso3, year, *revision, status, e);
	if (rc == 0 && strcmp(status, "published") != 0)
		rc = err_set(e, CDG_ENOTFOUND, "revision %d of %s %ld was not published",
			     *revision, iso3, year);
	return rc;
}

int app_survey_list_json(struct app *a, const char *actor, struct jw *w,
			 struct cdg_err *e)
{
	jw_arr(w);
	int rc = store_survey_each(a->st, !sees_drafts(a, actor, NULL), list_one, w, e);
	jw_arr_end(w);
	return rc;
}
