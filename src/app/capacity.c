/* Capacity building (issue 8): import and export of initiatives, matching
 * them to the gaps of `cdg gaps`, unserved gaps, duplication, donor and
 * implementer views.  The rules live in capacity/ (pure); this file reads
 * the database and writes JSON.  See app.h and docs/capacity.md. */
#include "app/cap_int.h"
#include "app/names_int.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capacity/capacity.h"

/* ---- shared helpers ----------------------------------------------------------- */

const char *cap_val_s(const struct store_row *r, size_t i)
{
	return r->v[i].t == SV_TEXT ? r->v[i].s : NULL;
}

const char **cap_json_strs(struct arena *a, const char *json, size_t *n)
{
	*n = 0;
	json_t *v = json ? json_loads(json, 0, NULL) : NULL;
	const char **out = arena_alloc(a, (json_array_size(v) + 1) * sizeof *out);
	size_t i;
	json_t *it;
	json_array_foreach(v, i, it) {
		if (json_is_string(it))
			out[(*n)++] = arena_strdup(a, json_string_value(it));
	}
	json_decref(v);
	return out;
}

const char *cap_json_list(struct arena *a, const char *const *v, size_t n)
{
	struct buf b = BUF_INIT;
	struct jw j;
	jw_init(&j, &b, false);
	jw_arr(&j);
	for (size_t i = 0; i < n; i++)
		jw_str(&j, v[i]);
	jw_arr_end(&j);
	const char *s = arena_strdup(a, b.p);
	buf_free(&b);
	return s;
}

void cap_first_fault(struct cdg_err *e, const struct err_list *errs)
{
	if (errs->n)
		*e = errs->v[0];
	e->code = CDG_EINPUT;
}

/* The value of every key in the code sets but states (only presence
 * matters). */
static int present = 1;

/* A State's value is its UN name (agreement participants are checked
 * against it). */
static int add_state(void *ctx, const struct store_row *r)
{
	struct cap_codes *c = ctx;
	const char *iso3 = arena_strdup(&c->arena, cap_val_s(r, 0));
	const char *name = cap_val_s(r, 2);
	strmap_put(&c->states, iso3, arena_strdup(&c->arena, name ? name : iso3));
	return 0;
}

static int add_industry(void *ctx, const struct store_row *r)
{
	struct cap_codes *c = ctx;
	const char *id = arena_strdup(&c->arena, cap_val_s(r, 0));
	strmap_put(&c->industry, id, &present);
	return 0;
}

int cap_codes_load(struct store *st, const struct fw_catalog *cat,
		   struct cap_codes *c, struct cdg_err *e)
{
	memset(c, 0, sizeof *c);
	arena_init(&c->arena);
	strmap_init(&c->states);
	strmap_init(&c->goals);
	strmap_init(&c->norms);
	strmap_init(&c->industry);
	reg_names_init(&c->names);
	c->k = (struct cap_known){&c->states, &c->goals, &c->norms, &c->industry,
				  &c->names};
	for (size_t i = 0; i < cat->n_goals; i++)
		strmap_put(&c->goals, cat->goals[i].id, &present);
	for (size_t i = 0; i < cat->n_norms; i++)
		strmap_put(&c->norms, cat->norms[i].id, &present);
	int rc = store_reg_each(st, "states", NULL, 0, add_state, c, e);
	if (rc == 0)
		rc = store_cap_each(st, "industry_norms", NULL, 0, add_industry, c, e);
	if (rc == 0)
		rc = app_names_load(st, &c->names, e);
	return rc;
}

void cap_codes_free(struct cap_codes *c)
{
	strmap_free(&c->states);
	strmap_free(&c->goals);
	strmap_free(&c->norms);
	strmap_free(&c->industry);
	reg_names_free(&c->names);
	arena_free(&c->arena);
}

/* ---- reading initiatives back ----------------------------------------------- */

struct inits {
	struct arena arena;
	struct cap_initiative *v;
	size_t n, cap;
};

static int load_init(void *ctx, const struct store_row *r)
{
	struct inits *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	struct arena *a = &s->arena;
	struct cap_initiative *in = &s->v[s->n++];
	memset(in, 0, sizeof *in);
	const char *t;
	in->id = arena_strdup(a, cap_val_s(r, 0));
	in->title = arena_strdup(a, cap_val_s(r, 1));
	in->donors = cap_json_strs(a, cap_val_s(r, 2), &in->n_donors);
	in->implementers = cap_json_strs(a, cap_val_s(r, 3), &in->n_implementers);
	in->states = cap_json_strs(a, cap_val_s(r, 4), &in->n_states);
	in->regions = cap_json_strs(a, cap_val_s(r, 5), &in->n_regions);
	in->global = r->v[6].t == SV_INT && r->v[6].i;
	in->goals = cap_json_strs(a, cap_val_s(r, 7), &in->n_goals);
	in->norms = cap_json_strs(a, cap_val_s(r, 8), &in->n_norms);
	in->start = (t = cap_val_s(r, 9)) ? arena_strdup(a, t) : NULL;
	in->end = (t = cap_val_s(r, 10)) ? arena_strdup(a, t) : NULL;
	in->budget = r->v[11].t == SV_REAL ? r->v[11].d
		   : r->v[11].t == SV_INT ? (double)r->v[11].i : NAN;
	in->currency = (t = cap_val_s(r, 12)) ? arena_strdup(a, t) : NULL;
	in->status = arena_strdup(a, cap_val_s(r, 13));
	in->source = arena_strdup(a, cap_val_s(r, 14));
	in->synthetic = r->v[15].t == SV_INT && r->v[15].i;
	in->note = (t = cap_val_s(r, 16)) ? arena_strdup(a, t) : NULL;
	return 0;
}

static int inits_load(struct store *st, struct inits *s, struct cdg_err *e)
{
	memset(s, 0, sizeof *s);
	arena_init(&s->arena);
	return store_cap_each(st, "initiatives", NULL, 0, load_init, s, e);
}

static void inits_free(struct inits *s)
{
	free(s->v);
	arena_free(&s->arena);
}

/* ---- import ---------------------------------------------------------------------- */

static void write_inits(struct store_batch *b, const struct cap_set *s)
{
	struct arena a;
	arena_init(&a);
	static const char *const cols[] = {"id", "title", "donors", "implementers",
		"states", "regions", "global", "goals", "norms", "start_date",
		"end_date", "budget", "currency", "status", "source_url", "synthetic",
		"note"};
	for (size_t i = 0; i < s->n && b->rc == 0; i++) {
		const struct cap_initiative *in = &s->v[i];
		struct store_val v[] = {
			sv_text(in->id), sv_text(in->title),
			sv_text(cap_json_list(&a, in->donors, in->n_donors)),
			sv_text(cap_json_list(&a, in->implementers, in->n_implementers)),
			sv_text(cap_json_list(&a, in->states, in->n_states)),
			sv_text(cap_json_list(&a, in->regions, in->n_regions)),
			sv_int(in->global), sv_text(cap_json_list(&a, in->goals, in->n_goals)),
			sv_text(cap_json_list(&a, in->norms, in->n_norms)),
			sv_text(in->start), sv_text(in->end),
			isnan(in->budget) ? sv_null() : sv_real(in->budget),
			sv_text(in->currency), sv_text(in->status), sv_text(in->source),
			sv_int(in->synthetic), sv_text(in->note)};
		store_batch_upsert(b, "cap_initiative", cols, v, sizeof v / sizeof v[0], 1);
	}
	arena_free(&a);
}

static bool looks_json(const char *t)
{
	if (strncmp(t, "\xEF\xBB\xBF", 3) == 0)
		t += 3;
	while (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t')
		t++;
	return *t == '{';
}

int app_capacity_import_text(struct app *a, const char *name, const char *text,
			     size_t n, const char *actor,
			     struct app_capacity_report *rep, struct err_list *errs,
			     struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	int rc = app_authorize(a, actor, APP_CAPACITY_WRITE, NULL, e);
	if (rc)
		return rc;
	struct cap_codes codes;
	struct cap_set s;
	cap_set_init(&s);
	s.csv_sep = a->csv_sep;
	rc = cap_codes_load(a->st, &a->cat, &codes, e);
	if (rc == 0) {
		bool json = looks_json(text);
		rep->format = json ? "json" : "csv";
		long before = errs->total;
		if (json)
			cap_json_parse(&s, name, text, n, &codes.k, errs);
		else
			cap_csv_parse(&s, name, text, n, &codes.k, errs);
		if (errs->total > before)
			rc = err_at(e, CDG_EINPUT, name, 0, NULL, "%ld fault%s; nothing written",
				    errs->total - before,
				    errs->total - before == 1 ? "" : "s");
	}
	rep->initiatives = s.n;
	if (rc == 0)
		rc = store_tx_begin(a->st, actor, e);
	if (rc == 0) {
		struct store_batch b = {a->st, e, 0, 0};
		write_inits(&b, &s);
		rc = b.rc;
		rep->written = (long)b.written;
		if (rc == 0)
			rc = store_tx_commit(a->st, e);
		else
			store_tx_rollback(a->st);
	}
	cap_set_free(&s);
	cap_codes_free(&codes);
	return rc;
}

int app_capacity_import(struct app *a, const char *path, const char *actor,
			struct app_capacity_report *rep, struct err_list *errs,
			struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	int rc = app_authorize(a, actor, APP_CAPACITY_WRITE, NULL, e);
	if (rc)
		return rc;
	struct buf text = BUF_INIT;
	rc = file_read_all(path, &text, e);
	if (rc == 0)
		rc = app_capacity_import_text(a, path, text.p, text.len, actor, rep, errs, e);
	buf_free(&text);
	return rc;
}

int app_capacity_list_json(struct app *a, struct jw *w, struct cdg_err *e)
{
	struct inits s;
	int rc = inits_load(a->st, &s, e);
	if (rc == 0) {
		jw_arr(w);
		for (size_t i = 0; i < s.n; i++)
			cap_json_write_one(&s.v[i], w);
		jw_arr_end(w);
	}
	inits_free(&s);
	return rc;
}

int app_capacity_export(struct app *a, bool json, struct buf *out,
			struct cdg_err *e)
{
	struct inits s;
	int rc = inits_load(a->st, &s, e);
	if (rc == 0 && json) {
		struct jw w;
		jw_init(&w, out, true);
		cap_json_write(s.v, s.n, &w);
	} else if (rc == 0) {
		cap_csv_write(s.v, s.n, out);
	}
	inits_free(&s);
	return rc;
}

/* ---- gaps ----------------------------------------------------------------------- */

struct gapset {
	const struct fw_catalog *cat;
	struct arena arena;
	struct cap_gap *v;
	const char **status;      /* per gap: the dashboard rating name */
	const char **needs;       /* per gap: reported capacity needs or NULL */
	bool *synthetic;          /* per gap: its value is demo data */
	size_t n, cap;
};

static void collect_gap(void *ctx, const char *iso3, const char *goal,
			const char *indicator, int priority, const char *status,
			bool synthetic, const char *needs)
{
	struct gapset *g = ctx;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->v = xrealloc(g->v, g->cap * sizeof *g->v);
		g->status = xrealloc(g->status, g->cap * sizeof *g->status);
		g->needs = xrealloc(g->needs, g->cap * sizeof *g->needs);
		g->synthetic = xrealloc(g->synthetic, g->cap * sizeof *g->synthetic);
	}
	const struct fw_goal *fg = fw_goal(g->cat, goal);
	struct arena *a = &g->arena;
	g->v[g->n] = (struct cap_gap){arena_strdup(a, iso3), arena_strdup(a, goal),
		arena_strdup(a, indicator), priority,
		fg ? (const char *const *)fg->norms : NULL, fg ? fg->n_norms : 0};
	g->status[g->n] = arena_strdup(a, status);
	g->needs[g->n] = needs ? arena_strdup(a, needs) : NULL;
	g->synthetic[g->n] = synthetic;
	g->n++;
}

static int gaps_load(struct app *a, const char *iso3, long *year,
		     struct gapset *g, struct cdg_err *e)
{
	memset(g, 0, sizeof *g);
	g->cat = &a->cat;
	arena_init(&g->arena);
	return app_gaps_each(a, iso3, year, collect_gap, g, e);
}

static void gaps_free(struct gapset *g)
{
	free(g->v);
	free(g->status);
	free(g->needs);
	free(g->synthetic);
	arena_free(&g->arena);
}

static void init_ref(struct jw *w, const struct cap_initiative *in)
{
	jw_obj(w);
	jw_kstr(w, "id", in->id);
	jw_kstr(w, "title", in->title);
	jw_kstr(w, "status", in->status);
	jw_kstr(w, "start_date", in->start);
	jw_kstr(w, "end_date", in->end);
	jw_kbool(w, "synthetic", in->synthetic);
	jw_kstr(w, "source_url", in->source);
	jw_obj_end(w);
}

int app_capacity_match_json(struct app *a, const char *iso3, long year,
			    struct jw *w, struct cdg_err *e)
{
	struct gapset g;
	int rc = gaps_load(a, iso3, &year, &g, e);
	struct inits s;
	memset(&s, 0, sizeof s);
	arena_init(&s.arena);
	if (rc == 0)
		rc = store_cap_each(a->st, "initiatives", NULL, 0, load_init, &s, e);
	if (rc == 0) {
		jw_obj(w);
		jw_kstr(w, "country", iso3);
		jw_kint(w, "year", year);
		jw_kstr(w, "rules", "docs/capacity.md");
		jw_key(w, "initiatives");
		jw_arr(w);
		for (size_t k = 0; k < s.n; k++)
			if (cap_benefits(&s.v[k], iso3))
				init_ref(w, &s.v[k]);
		jw_arr_end(w);
		size_t served = 0;
		jw_key(w, "gaps");
		jw_arr(w);
		for (size_t i = 0; i < g.n; i++) {
			jw_obj(w);
			jw_kstr(w, "goal", g.v[i].goal);
			jw_kstr(w, "indicator", g.v[i].indicator);
			jw_kint(w, "priority", g.v[i].priority);
			jw_kstr(w, "status", g.status[i]);
			jw_kbool(w, "synthetic", g.synthetic[i]);
			jw_kstr(w, "capacity_needs", g.needs[i]);
			jw_key(w, "addressed_by");
			jw_arr(w);
			bool any = false;
			for (size_t k = 0; k < s.n; k++)
				if (cap_addresses(&s.v[k], &g.v[i], year)) {
					init_ref(w, &s.v[k]);
					any = true;
				}
			jw_arr_end(w);
			jw_obj_end(w);
			served += any;
		}
		jw_arr_end(w);
		jw_key(w, "unaddressed");
		jw_arr(w);
		for (size_t i = 0; i < g.n; i++) {
			bool any = false;
			for (size_t k = 0; k < s.n && !any; k++)
				any = cap_addresses(&s.v[k], &g.v[i], year);
			if (!any)
				jw_str(w, g.v[i].indicator);
		}
		jw_arr_end(w);
		jw_kint(w, "gap_count", (long long)g.n);
		jw_kint(w, "addressed_count", (long long)served);
		jw_obj_end(w);
	}
	inits_free(&s);
	gaps_free(&g);
	return rc;
}

/* ---- unserved ---------------------------------------------------------------------- */

/* One computation of the unserved gaps, for the JSON and CSV writers. */
struct unserved_run {
	struct gapset g;
	struct inits s;
	struct cap_unserved *u;
	size_t n;
	long year;
};

static int unserved(struct app *a, const struct app_unserved_opts *o,
		    struct unserved_run *r, struct cdg_err *e)
{
	memset(r, 0, sizeof *r);
	r->year = o->year;
	arena_init(&r->s.arena);
	arena_init(&r->g.arena);
	if (o->goal && !fw_goal(&a->cat, o->goal))
		return err_at(e, CDG_EUSAGE, NULL, 0, "goal", "no goal \"%s\" in the catalog",
			      o->goal);
	arena_free(&r->g.arena);
	int rc = gaps_load(a, NULL, &r->year, &r->g, e);
	if (rc == 0)
		rc = store_cap_each(a->st, "initiatives", NULL, 0, load_init, &r->s, e);
	if (rc == 0)
		r->n = cap_unserved(r->g.v, r->g.n, r->s.v, r->s.n, r->year,
				    o->no_data ? 4 : 3, o->goal, &r->u);
	return rc;
}

static void unserved_free(struct unserved_run *r)
{
	cap_unserved_free(r->u, r->n);
	inits_free(&r->s);
	gaps_free(&r->g);
}

int app_capacity_unserved_json(struct app *a, const struct app_unserved_opts *o,
			       struct jw *w, struct cdg_err *e)
{
	struct unserved_run r;
	int rc = unserved(a, o, &r, e);
	if (rc == 0) {
		jw_obj(w);
		jw_kint(w, "year", r.year);
		jw_kstr(w, "goal", o->goal);
		jw_kbool(w, "include_no_data", o->no_data);
		jw_kstr(w, "rules", "docs/capacity.md");
		jw_key(w, "unserved");
		jw_arr(w);
		for (size_t i = 0; i < r.n; i++) {
			const struct cap_unserved *u = &r.u[i];
			const struct fw_indicator *d = fw_indicator(&a->cat, u->indicator);
			jw_obj(w);
			jw_kstr(w, "goal", u->goal);
			jw_kstr(w, "indicator", u->indicator);
			jw_kstr(w, "name", d ? d->name : NULL);
			jw_kint(w, "state_count", (long long)u->n_states);
			jw_kint(w, "worst_priority", u->worst);
			jw_key(w, "states");
			jw_arr(w);
			for (size_t k = 0; k < u->n_states; k++)
				jw_str(w, u->states[k]);
			jw_arr_end(w);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	unserved_free(&r);
	return rc;
}

int app_capacity_unserved_csv(struct app *a, const struct app_unserved_opts *o,
			      struct buf *out, struct cdg_err *e)
{
	struct unserved_run r;
	int rc = unserved(a, o, &r, e);
	if (rc == 0) {
		buf_adds(out, "goal,indicator,state_count,worst_priority,states\r\n");
		for (size_t i = 0; i < r.n; i++) {
			const struct cap_unserved *u = &r.u[i];
			char cnt[32], pr[8];
			snprintf(cnt, sizeof cnt, "%zu", u->n_states);
			snprintf(pr, sizeof pr, "%d", u->worst);
			struct buf st = BUF_INIT;
			for (size_t k = 0; k < u->n_states; k++)
				buf_addf(&st, "%s%s", k ? ";" : "", u->states[k]);
			csv_put(out, u->goal, true);
			csv_put(out, u->indicator, false);
			csv_put(out, cnt, false);
			csv_put(out, pr, false);
			csv_put(out, st.p, false);
			csv_endrow(out);
			buf_free(&st);
		}
	}
	unserved_free(&r);
	return rc;
}

/* ---- duplication and parties ---------------------------------------------------------- */

static void strs_json(struct jw *w, const char *k, const char *const *v, size_t n)
{
	jw_key(w, k);
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, v[i]);
	jw_arr_end(w);
}

int app_capacity_duplication_json(struct app *a, struct jw *w, struct cdg_err *e)
{
	struct inits s;
	int rc = inits_load(a->st, &s, e);
	if (rc) {
		inits_free(&s);
		return rc;
	}
	struct cap_group *g;
	size_t n = cap_duplication(s.v, s.n, &g);
	jw_obj(w);
	jw_kstr(w, "rules", "docs/capacity.md");
	jw_key(w, "groups");
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		jw_obj(w);
		jw_key(w, "initiatives");
		jw_arr(w);
		for (size_t k = 0; k < g[i].n_members; k++)
			init_ref(w, &s.v[g[i].members[k]]);
		jw_arr_end(w);
		jw_key(w, "overlaps");
		jw_arr(w);
		for (size_t k = 0; k < g[i].n_pairs; k++) {
			const struct cap_overlap *o = &g[i].pairs[k];
			jw_obj(w);
			jw_kstr(w, "a", s.v[o->a].id);
			jw_kstr(w, "b", s.v[o->b].id);
			strs_json(w, "states", o->states, o->n_states);
			strs_json(w, "goals", o->goals, o->n_goals);
			/* The shared period as the narrower of the two dates. */
			const char *from = cap_day_first(s.v[o->a].start) >=
				cap_day_first(s.v[o->b].start) ? s.v[o->a].start : s.v[o->b].start;
			const char *to = cap_day_last(s.v[o->a].end) <=
				cap_day_last(s.v[o->b].end) ? s.v[o->a].end : s.v[o->b].end;
			jw_kstr(w, "from", from);
			jw_kstr(w, "to", to);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	cap_groups_free(g, n);
	inits_free(&s);
	return 0;
}

/* Adds v[0..n) to a set kept in list (no duplicates). */
static void union_add(const char **list, size_t *nl, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < *nl && strcmp(list[k], v[i]) != 0)
			k++;
		if (k == *nl)
			list[(*nl)++] = v[i];
	}
}

static int by_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void party_json(struct jw *w, const struct cap_party *p,
		       const struct inits *s)
{
	size_t ns = 0, ng = 0, nr = 0, tot_s = 0, tot_g = 0, tot_r = 0;
	bool global = false;
	for (size_t k = 0; k < p->n_inits; k++) {
		const struct cap_initiative *in = &s->v[p->inits[k]];
		tot_s += in->n_states;
		tot_g += in->n_goals;
		tot_r += in->n_regions;
		global |= in->global;
	}
	const char **states = xcalloc(tot_s + 1, sizeof *states);
	const char **goals = xcalloc(tot_g + 1, sizeof *goals);
	const char **regions = xcalloc(tot_r + 1, sizeof *regions);
	jw_obj(w);
	jw_kstr(w, "name", p->name);
	jw_key(w, "initiatives");
	jw_arr(w);
	for (size_t k = 0; k < p->n_inits; k++) {
		const struct cap_initiative *in = &s->v[p->inits[k]];
		init_ref(w, in);
		union_add(states, &ns, in->states, in->n_states);
		union_add(goals, &ng, in->goals, in->n_goals);
		union_add(regions, &nr, in->regions, in->n_regions);
	}
	jw_arr_end(w);
	qsort(states, ns, sizeof *states, by_str);
	strs_json(w, "states", states, ns);
	strs_json(w, "regions", regions, nr);
	jw_kbool(w, "global", global);
	strs_json(w, "goals", goals, ng);
	/* Budgets are summed per currency, never converted. */
	jw_key(w, "budgets");
	jw_obj(w);
	for (size_t k = 0; k < p->n_inits; k++) {
		const struct cap_initiative *in = &s->v[p->inits[k]];
		if (isnan(in->budget) || !in->currency)
			continue;
		bool seen = false;
		for (size_t j = 0; j < k && !seen; j++) {
			const struct cap_initiative *o = &s->v[p->inits[j]];
			seen = !isnan(o->budget) && o->currency && !strcmp(o->currency, in->currency);
		}
		if (seen)
			continue;
		double sum = 0;
		for (size_t j = k; j < p->n_inits; j++) {
			const struct cap_initiative *o = &s->v[p->inits[j]];
			if (!isnan(o->budget) && o->currency && !strcmp(o->currency, in->currency))
				sum += o->budget;
		}
		jw_knum(w, in->currency, sum);
	}
	jw_obj_end(w);
	jw_obj_end(w);
	free(states);
	free(goals);
	free(regions);
}

int app_capacity_parties_json(struct app *a, bool implementers,
			      const char *name, struct jw *w, struct cdg_err *e)
{
	struct inits s;
	int rc = inits_load(a->st, &s, e);
	struct cap_party *p = NULL;
	size_t n = 0;
	if (rc == 0) {
		n = cap_parties(s.v, s.n, implementers, &p);
		size_t found = 0;
		for (size_t i = 0; name && i < n; i++)
			found += strcmp(p[i].name, name) == 0;
		if (name && !found)
			rc = err_set(e, CDG_ENOTFOUND, "no %s named \"%s\"",
				     implementers ? "implementer" : "donor", name);
	}
	if (rc == 0) {
		jw_arr(w);
		for (size_t i = 0; i < n; i++)
			if (!name || strcmp(p[i].name, name) == 0)
				party_json(w, &p[i], &s);
		jw_arr_end(w);
	}
	cap_parties_free(p, n);
	inits_free(&s);
	return rc;
}

/* ---- cdg init --------------------------------------------------------------------------- */

int app_capacity_init(struct store *st, const struct fw_catalog *cat,
		      const char *data_dir, long long *written,
		      struct cdg_err *e)
{
	struct cap_codes codes;
	int rc = cap_codes_load(st, cat, &codes, e);
	struct agr_set as;
	agr_set_init(&as);
	struct cap_set cs;
	cap_set_init(&cs);
	struct buf path = BUF_INIT, text = BUF_INIT;
	/* Everything is read and checked before the first write. */
	if (rc == 0)
		rc = agr_read_dir(data_dir, &codes.k, &as, e);
	struct agr_desk desk;
	if (rc == 0)
		rc = agr_desk_read(data_dir, &codes.k, &as, &desk, e);
	else
		memset(&desk, 0, sizeof desk);
	buf_addf(&path, "%s/capacity/initiatives.csv", data_dir);
	if (rc == 0)
		rc = file_read_all(path.p, &text, e);
	if (rc == 0) {
		struct err_list errs;
		errs_init(&errs, 1);
		if (cap_csv_parse(&cs, path.p, text.p, text.len, &codes.k, &errs)) {
			cap_first_fault(e, &errs);
			rc = CDG_EINPUT;
		}
		errs_free(&errs);
	}
	if (rc == 0)
		rc = agr_write_set(st, &as, written, e);
	if (rc == 0)
		rc = agr_desk_write(st, &as, &desk, written, e);
	if (rc == 0) {
		struct store_batch b = {st, e, 0, 0};
		write_inits(&b, &cs);
		rc = b.rc;
		*written += b.written;
	}
	buf_free(&path);
	buf_free(&text);
	cap_set_free(&cs);
	agr_desk_free(&desk);
	agr_set_free(&as);
	cap_codes_free(&codes);
	return rc;
}
