/* Dashboards and gaps: a state's stored observations judged by the rules
 * of progress/ against the catalog's targets. */
#include "app/app.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "formats/formats.h"
#include "progress/progress.h"
#include "store/store.h"

/* How far back a trend may look from the latest value. */
#define TREND_WINDOW 5

struct point {
	long year;
	double value;
	const char *source;
	const char *source_type;   /* self_reported | desk_research | derived */
	bool synthetic;
};

/* One indicator's current observations for a state, by year. */
struct series {
	struct point *p;
	size_t n, cap;
};

struct state_data {
	const struct fw_catalog *cat;
	struct arena arena;
	struct series *s;          /* one per catalog indicator */
	struct strmap index;       /* indicator id -> 1 + position */
};

static int collect(void *ctx, const struct store_obs_row *r)
{
	struct state_data *sd = ctx;
	size_t i = (size_t)(uintptr_t)strmap_get(&sd->index, r->indicator);
	if (!i)
		return 0;
	struct series *s = &sd->s[i - 1];
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		struct point *p = arena_alloc(&sd->arena, cap * sizeof *p);
		if (s->n)
			memcpy(p, s->p, s->n * sizeof *p);
		s->p = p;
		s->cap = cap;
	}
	s->p[s->n++] = (struct point){r->year, r->value,
				      arena_strdup(&sd->arena, r->source),
				      arena_strdup(&sd->arena, r->source_type ? r->source_type : ""),
				      r->synthetic};
	return 0;
}

static int load_state(struct app *a, const char *iso3, struct state_data *sd,
		      struct cdg_err *e)
{
	memset(sd, 0, sizeof *sd);
	sd->cat = &a->cat;
	arena_init(&sd->arena);
	strmap_init(&sd->index);
	sd->s = arena_alloc(&sd->arena, (a->cat.n_indicators + 1) * sizeof *sd->s);
	for (size_t i = 0; i < a->cat.n_indicators; i++)
		strmap_put(&sd->index, a->cat.indicators[i].id, (void *)(uintptr_t)(i + 1));
	return store_obs_each(a->st, NULL, iso3, collect, sd, e);
}

static void free_state(struct state_data *sd)
{
	strmap_free(&sd->index);
	arena_free(&sd->arena);
}

/* An indicator as judged in a year. */
struct judged {
	const struct fw_indicator *d;
	const struct point *now;     /* latest value up to the year, or NULL */
	const struct point *before;  /* the trend's starting point, or NULL */
	enum prog_rating rating;
	enum prog_trend trend;
	double score;                /* normalised 0..100 */
};

static struct prog_ind prog_of(const struct fw_indicator *d)
{
	return (struct prog_ind){d->direction, d->lower, d->upper, d->target_value};
}

static void judge(const struct state_data *sd, size_t i, long year,
		  struct judged *j)
{
	const struct fw_indicator *d = &sd->cat->indicators[i];
	const struct series *s = &sd->s[i];
	memset(j, 0, sizeof *j);
	j->d = d;
	j->rating = PROG_NO_DATA;
	j->trend = PROG_TREND_NONE;
	for (size_t k = 0; k < s->n; k++)
		if (s->p[k].year <= year)
			j->now = &s->p[k];
	if (!j->now)
		return;
	struct prog_ind pi = prog_of(d);
	j->score = prog_normalise(&pi, j->now->value);
	j->rating = prog_rate(&pi, j->now->value);
	for (size_t k = 0; k < s->n; k++) {
		long gap = j->now->year - s->p[k].year;
		if (gap >= PROG_TREND_MIN_YEARS && gap <= TREND_WINDOW) {
			j->before = &s->p[k];
			break;
		}
	}
	if (j->before)
		j->trend = prog_trend(&pi, j->before->year, j->before->value,
				      j->now->year, j->now->value);
}

static long default_year(long year)
{
	if (year > 0)
		return year;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	return tm.tm_year + 1900;
}

/* ---- the State's own report beside desk research -------------------------- */

/* The State's latest published survey response of year or up to ten years
 * before (its answers as JSON, NULL if none); *ry its year. */
static json_t *published_response(struct app *a, const char *iso3, long year,
				  long *ry, bool *synthetic, struct cdg_err *e)
{
	for (long y = year; y > year - 10; y--) {
		struct store_survey_info info;
		if (store_survey_get(a->st, iso3, y, &info, e) != 0 || !info.id ||
		    !info.published_revision)
			continue;
		struct buf b = BUF_INIT;
		json_t *root = NULL;
		if (store_survey_content(a->st, iso3, y, info.published_revision, &b, e) == 0)
			root = json_loads(b.p, 0, NULL);
		buf_free(&b);
		if (root) {
			*ry = y;
			*synthetic = info.synthetic;
			return root;
		}
	}
	return NULL;
}

static const char *answer_of(json_t *response, const char *question)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(response, "answers"), i, x)
		if (json_string_value(json_object_get(x, "question")) &&
		    strcmp(json_string_value(json_object_get(x, "question")), question) == 0)
			return json_string_value(json_object_get(x, "answer"));
	return NULL;
}

/* Whether a yes/no answer says the opposite of a binary desk value: "yes"
 * against 0, "no" against 1 ("partly" and the rest agree with either). */
static bool disagrees(const char *answer, double value)
{
	return (strcmp(answer, "yes") == 0 && value == 0) ||
	       (strcmp(answer, "no") == 0 && value == 1);
}

/* The State's answer to indicator d's self_report question, or NULL. */
static const char *report_of(const struct fw_indicator *d, json_t *response)
{
	return d->self_report && response ? answer_of(response, d->self_report) : NULL;
}

/* Writes {question, answer, year, synthetic[, disagreement]} of the State's
 * report on indicator d, if it answered; now is the desk value or NULL. */
static void self_report_json(struct jw *w, const struct fw_indicator *d,
			     json_t *response, long ry, bool synthetic,
			     const struct point *now)
{
	const char *ans = report_of(d, response);
	if (!ans)
		return;
	jw_key(w, "self_reported");
	jw_obj(w);
	jw_kstr(w, "question", d->self_report);
	jw_kstr(w, "answer", ans);
	jw_kint(w, "year", ry);
	jw_kbool(w, "synthetic", synthetic);
	jw_obj_end(w);
	if (now && strcmp(now->source_type, "self_reported") != 0)
		jw_kbool(w, "disagreement", disagrees(ans, now->value));
}

int app_self_checks_json(struct app *a, const char *iso3, long year,
			 struct jw *w, struct cdg_err *e)
{
	year = default_year(year);
	struct state_data sd;
	int rc = load_state(a, iso3, &sd, e);
	long ry = 0;
	bool syn = false;
	json_t *resp = rc ? NULL : published_response(a, iso3, year, &ry, &syn, e);
	jw_arr(w);
	for (size_t i = 0; rc == 0 && i < a->cat.n_indicators; i++) {
		const struct fw_indicator *d = &a->cat.indicators[i];
		if (!report_of(d, resp))
			continue;
		struct judged j;
		judge(&sd, i, year, &j);
		jw_obj(w);
		jw_kstr(w, "indicator", d->id);
		jw_kstr(w, "name", d->name);
		if (j.now) {
			jw_knum(w, "value", j.now->value);
			jw_kint(w, "value_year", j.now->year);
			jw_kstr(w, "source", j.now->source);
			jw_kstr(w, "source_type", j.now->source_type);
		}
		self_report_json(w, d, resp, ry, syn, j.now);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	json_decref(resp);
	free_state(&sd);
	return rc;
}

int app_dashboard_json(struct app *a, const char *iso3, long year,
		       struct jw *w, struct cdg_err *e)
{
	int rc = app_state_check(a, iso3, e);
	if (rc)
		return rc;
	year = default_year(year);
	struct state_data sd;
	rc = load_state(a, iso3, &sd, e);
	if (rc) {
		free_state(&sd);
		return rc;
	}
	const struct fw_catalog *c = &a->cat;
	long ry = 0;
	bool rsyn = false;
	json_t *resp = published_response(a, iso3, year, &ry, &rsyn, e);
	bool any_synthetic = false;
	/* Values shown, by source type (self_reported, desk_research, derived). */
	long by_type[3] = {0, 0, 0}, with_any = 0;
	static const char *const types[3] = {"self_reported", "desk_research", "derived"};
	jw_obj(w);
	jw_kstr(w, "country", iso3);
	jw_kint(w, "year", year);
	jw_key(w, "goals");
	jw_arr(w);
	for (size_t g = 0; g < c->n_goals; g++) {
		const struct fw_goal *goal = &c->goals[g];
		enum prog_rating *rs = xcalloc(c->n_indicators + 1, sizeof *rs);
		enum prog_trend *ts = xcalloc(c->n_indicators + 1, sizeof *ts);
		size_t n = 0, with_data = 0;
		jw_obj(w);
		jw_kstr(w, "id", goal->id);
		jw_kstr(w, "title", goal->title);
		jw_key(w, "indicators");
		jw_arr(w);
		for (size_t i = 0; i < c->n_indicators; i++) {
			if (strcmp(c->indicators[i].goal, goal->id) != 0)
				continue;
			struct judged j;
			judge(&sd, i, year, &j);
			rs[n] = j.rating;
			ts[n] = j.trend;
			n++;
			jw_obj(w);
			jw_kstr(w, "id", j.d->id);
			jw_kstr(w, "name", j.d->name);
			jw_kstr(w, "unit", j.d->unit);
			jw_knum(w, "target_value", j.d->target_value);
			jw_kstr(w, "rating", prog_rating_name(j.rating));
			jw_kstr(w, "trend", prog_trend_name(j.trend));
			if (j.now) {
				with_data++;
				any_synthetic = any_synthetic || j.now->synthetic;
				jw_knum(w, "value", j.now->value);
				jw_kint(w, "value_year", j.now->year);
				jw_knum(w, "score", j.score);
				jw_kstr(w, "source", j.now->source);
				if (*j.now->source_type)
					jw_kstr(w, "source_type", j.now->source_type);
				jw_kbool(w, "synthetic", j.now->synthetic);
				with_any++;
				for (int t = 0; t < 3; t++)
					by_type[t] += strcmp(j.now->source_type, types[t]) == 0;
			}
			self_report_json(w, j.d, resp, ry, rsyn, j.now);
			if (j.before) {
				jw_key(w, "trend_from");
				jw_obj(w);
				jw_kint(w, "year", j.before->year);
				jw_knum(w, "value", j.before->value);
				jw_obj_end(w);
			}
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_kstr(w, "rating", prog_rating_name(prog_goal_rating(rs, n)));
		jw_kstr(w, "trend", prog_trend_name(prog_goal_trend(ts, n)));
		jw_kint(w, "indicator_count", (long long)n);
		jw_kint(w, "indicators_with_data", (long long)with_data);
		/* Rated on fewer than half of its indicators: shown grey, as
		 * the SDG dashboards do, whatever the rating says. */
		jw_kbool(w, "insufficient_data", 2 * with_data < n);
		jw_obj_end(w);
		free(rs);
		free(ts);
	}
	jw_arr_end(w);
	jw_key(w, "coverage");
	jw_obj(w);
	jw_kint(w, "indicators", (long long)c->n_indicators);
	jw_kint(w, "with_data", with_any);
	for (int t = 0; t < 3; t++)
		jw_kint(w, types[t], by_type[t]);
	jw_obj_end(w);
	jw_kbool(w, "synthetic_data", any_synthetic);
	jw_kstr(w, "rules", "docs/dashboards.md");
	/* What the forum agreed that this state's organisations carry out. */
	jw_key(w, "forum");
	rc = app_forum_monitor_json(a, iso3, NULL, w, e);
	jw_obj_end(w);
	json_decref(resp);
	free_state(&sd);
	return rc;
}

/* ---- gaps ------------------------------------------------------------------ */

/* Capacity needs reported in the state's latest response, with the goal or
 * norm of their question. */
struct need {
	const char *question, *goal, *norm, *text, *challenges, *status;
	long year;
};

struct needs {
	const struct fw_catalog *cat;
	struct arena *arena;
	struct need *v;
	size_t n, cap;
};

static int collect_need(void *ctx, long year, const char *question,
			const char *challenges, const char *text, const char *status)
{
	struct needs *ns = ctx;
	const struct fw_question *q = fw_question(ns->cat, question);
	if (!q)
		return 0;
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 16;
		struct need *v = arena_alloc(ns->arena, cap * sizeof *v);
		if (ns->n)
			memcpy(v, ns->v, ns->n * sizeof *v);
		ns->v = v;
		ns->cap = cap;
	}
	struct arena *ar = ns->arena;
	ns->v[ns->n++] = (struct need){arena_strdup(ar, question),
		q->goal, q->norm, text ? arena_strdup(ar, text) : NULL,
		challenges ? arena_strdup(ar, challenges) : NULL,
		arena_strdup(ar, status), year};
	return 0;
}

/* Whether a question's need concerns a goal: asked under the goal, or
 * about a norm the goal serves. */
static bool need_for_goal(const struct need *n, const struct fw_goal *g)
{
	if (n->goal)
		return strcmp(n->goal, g->id) == 0;
	for (size_t i = 0; n->norm && i < g->n_norms; i++)
		if (strcmp(g->norms[i], n->norm) == 0)
			return true;
	return false;
}

/* Gap priority: 1 major challenges, 2 significant, 3 challenges remain,
 * 4 no data (the value must be established first). */
static int priority_of(enum prog_rating r)
{
	switch (r) {
	case PROG_MAJOR: return 1;
	case PROG_SIGNIFICANT: return 2;
	case PROG_CHALLENGES: return 3;
	default: return 4;
	}
}

struct gap {
	int priority;
	size_t ind;              /* catalog position */
	struct judged j;
};

static int by_priority(const void *a, const void *b)
{
	const struct gap *x = a, *y = b;
	if (x->priority != y->priority)
		return x->priority - y->priority;
	return (x->ind > y->ind) - (x->ind < y->ind);
}

typedef void (*gap_sink)(void *ctx, const char *iso3, const struct gap *g,
			 const struct needs *ns);

static int state_gaps(struct app *a, const char *iso3, long year,
		      gap_sink sink, void *ctx, struct cdg_err *e)
{
	struct state_data sd;
	int rc = load_state(a, iso3, &sd, e);
	struct needs ns = {&a->cat, &sd.arena, NULL, 0, 0};
	if (rc == 0)
		rc = store_survey_needs(a->st, iso3, collect_need, &ns, e);
	const struct fw_catalog *c = &a->cat;
	struct gap *gaps = xcalloc(c->n_indicators + 1, sizeof *gaps);
	size_t n = 0;
	for (size_t i = 0; rc == 0 && i < c->n_indicators; i++) {
		struct judged j;
		judge(&sd, i, year, &j);
		if (j.rating == PROG_ACHIEVED)
			continue;
		gaps[n++] = (struct gap){priority_of(j.rating), i, j};
	}
	qsort(gaps, n, sizeof *gaps, by_priority);
	for (size_t i = 0; i < n; i++)
		sink(ctx, iso3, &gaps[i], &ns);
	free(gaps);
	free_state(&sd);
	return rc;
}

static void gap_json(void *ctx, const char *iso3, const struct gap *g,
		     const struct needs *ns)
{
	struct jw *w = ctx;
	const struct fw_indicator *d = g->j.d;
	const struct fw_goal *goal = fw_goal(ns->cat, d->goal);
	jw_obj(w);
	jw_kstr(w, "country", iso3);
	jw_kint(w, "priority", g->priority);
	jw_kstr(w, "goal", d->goal);
	jw_kstr(w, "target", d->target);
	jw_kstr(w, "indicator", d->id);
	jw_kstr(w, "name", d->name);
	jw_kstr(w, "status", prog_rating_name(g->j.rating));
	jw_knum(w, "target_value", d->target_value);
	if (g->j.now) {
		jw_knum(w, "value", g->j.now->value);
		jw_kint(w, "value_year", g->j.now->year);
		jw_kstr(w, "evidence", g->j.now->source);
		jw_kbool(w, "synthetic", g->j.now->synthetic);
	} else {
		jw_kstr(w, "evidence", d->evidence);
	}
	jw_key(w, "capacity_needs");
	jw_arr(w);
	for (size_t i = 0; goal && i < ns->n; i++) {
		const struct need *nd = &ns->v[i];
		if (!need_for_goal(nd, goal))
			continue;
		jw_obj(w);
		jw_kstr(w, "question", nd->question);
		jw_kint(w, "year", nd->year);
		jw_kstr(w, "response_status", nd->status);
		if (nd->text)
			jw_kstr(w, "needs", nd->text);
		if (nd->challenges)
			jw_kstr(w, "challenges", nd->challenges);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

static int all_states(struct app *a, long year, gap_sink sink, void *ctx,
		      struct cdg_err *e)
{
	struct arena ar;
	arena_init(&ar);
	const char **iso3, **m49;
	size_t n;
	int rc = store_country_codes(a->st, &ar, &iso3, &m49, &n, e);
	struct progress pg;
	progress_begin(&pg, "gaps", (long)n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = state_gaps(a, iso3[i], year, sink, ctx, e);
		progress_step(&pg, 1);
	}
	progress_end(&pg);
	arena_free(&ar);
	return rc;
}

int app_gaps_json(struct app *a, const char *iso3, long year, struct jw *w,
		  struct cdg_err *e)
{
	if (iso3) {
		int rc = app_state_check(a, iso3, e);
		if (rc)
			return rc;
	}
	year = default_year(year);
	jw_obj(w);
	jw_kint(w, "year", year);
	jw_kstr(w, "rules", "docs/dashboards.md");
	jw_key(w, "gaps");
	jw_arr(w);
	int rc = iso3 ? state_gaps(a, iso3, year, gap_json, w, e)
		      : all_states(a, year, gap_json, w, e);
	jw_arr_end(w);
	jw_obj_end(w);
	return rc;
}

/* The capacity needs reported for a goal, "QUESTION: text | ...". */
static void needs_text(const struct needs *ns, const struct fw_goal *goal,
		       struct buf *out)
{
	for (size_t i = 0; goal && i < ns->n; i++)
		if (need_for_goal(&ns->v[i], goal) && ns->v[i].text)
			buf_addf(out, "%s%s: %s", out->len ? " | " : "",
				 ns->v[i].question, ns->v[i].text);
}

static void gap_csv(void *ctx, const char *iso3, const struct gap *g,
		    const struct needs *ns)
{
	struct buf *b = ctx;
	const struct fw_indicator *d = g->j.d;
	const struct fw_goal *goal = fw_goal(ns->cat, d->goal);
	char pr[8], year[16];
	snprintf(pr, sizeof pr, "%d", g->priority);
	struct buf val = BUF_INIT, tv = BUF_INIT, needs = BUF_INIT;
	if (g->j.now) {
		fmt_double(&val, g->j.now->value);
		snprintf(year, sizeof year, "%ld", g->j.now->year);
	} else {
		year[0] = '\0';
	}
	fmt_double(&tv, d->target_value);
	needs_text(ns, goal, &needs);
	csv_put(b, iso3, true);
	csv_put(b, pr, false);
	csv_put(b, d->goal, false);
	csv_put(b, d->target, false);
	csv_put(b, d->id, false);
	csv_put(b, prog_rating_name(g->j.rating), false);
	csv_put(b, val.p, false);
	csv_put(b, year, false);
	csv_put(b, tv.p, false);
	csv_put(b, g->j.now ? g->j.now->source : "", false);
	csv_put(b, g->j.now && g->j.now->synthetic ? "1" : "0", false);
	csv_put(b, needs.p, false);
	csv_endrow(b);
	buf_free(&val);
	buf_free(&tv);
	buf_free(&needs);
}

int app_gaps_csv(struct app *a, const char *iso3, long year, struct buf *out,
		 struct cdg_err *e)
{
	if (iso3) {
		int rc = app_state_check(a, iso3, e);
		if (rc)
			return rc;
	}
	year = default_year(year);
	buf_adds(out, "country,priority,goal,target,indicator,status,value,"
		      "value_year,target_value,source,synthetic,capacity_needs\r\n");
	return iso3 ? state_gaps(a, iso3, year, gap_csv, out, e)
		    : all_states(a, year, gap_csv, out, e);
}

/* ---- gaps for other use cases (capacity matching) ----------------------------- */

struct each_ctx {
	app_gap_fn fn;
	void *ctx;
};

static void gap_each(void *ctx, const char *iso3, const struct gap *g,
		     const struct needs *ns)
{
	struct each_ctx *c = ctx;
	const struct fw_indicator *d = g->j.d;
	struct buf needs = BUF_INIT;
	needs_text(ns, fw_goal(ns->cat, d->goal), &needs);
	c->fn(c->ctx, iso3, d->goal, d->id, g->priority,
	      prog_rating_name(g->j.rating), g->j.now && g->j.now->synthetic,
	      needs.len ? needs.p : NULL);
	buf_free(&needs);
}

int app_gaps_each(struct app *a, const char *iso3, long *year, app_gap_fn fn,
		  void *ctx, struct cdg_err *e)
{
	if (iso3) {
		int rc = app_state_check(a, iso3, e);
		if (rc)
			return rc;
	}
	*year = default_year(*year);
	struct each_ctx c = {fn, ctx};
	return iso3 ? state_gaps(a, iso3, *year, gap_each, &c, e)
		    : all_states(a, *year, gap_each, &c, e);
}
