/* The country index's annual editions in the database: compute, verify,
 * publish, list, show, diff and what-if.  See app.h and
 * docs/index-methodology.md; the computation itself is index_job.c. */
#include "app/index_int.h"

#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* ---- editions ----------------------------------------------------------------- */

static void sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, p, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* The frozen inputs: copies of the store rows. */
struct inputs {
	struct store_index_input *v;
	size_t n, cap;
	struct arena ar;
};

static int collect_input(void *ctx, const struct store_index_input *r)
{
	struct inputs *in = ctx;
	if (in->n == in->cap) {
		in->cap = in->cap ? 2 * in->cap : 256;
		in->v = xrealloc(in->v, in->cap * sizeof *in->v);
	}
	struct store_index_input c = *r;
	c.iso3 = arena_strdup(&in->ar, r->iso3);
	c.indicator = arena_strdup(&in->ar, r->indicator);
	c.source = arena_strdup(&in->ar, r->source);
	in->v[in->n++] = c;
	return 0;
}

static void inputs_free(struct inputs *in)
{
	free(in->v);
	arena_free(&in->ar);
}

/* SHA-256 of the canonical snapshot: one line per input, sorted by state
 * then indicator, "iso3,indicator,year,value,source\n" with the value in
 * shortest round-trip form (docs/index-methodology.md). */
static void inputs_hash(const struct inputs *in, char out[65])
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < in->n; i++) {
		const struct store_index_input *r = &in->v[i];
		buf_addf(&b, "%s,%s,%ld,", r->iso3, r->indicator, r->year);
		fmt_double(&b, r->value);
		buf_addf(&b, ",%s\n", r->source);
	}
	sha256_hex(b.p, b.len, out);
	buf_free(&b);
}

/* Builds the job of an edition from a methodology text and inputs (the
 * states are those with at least one input, in iso3 order).  set/n_set
 * override values of one state (what-if). */
struct override {
	const char *iso3;
	const char *indicator;
	double value;
};

static int edition_job(struct job *j, const char *mtext, const char *mname,
		       const struct inputs *in, const struct override *ov,
		       size_t n_ov, struct cdg_err *e)
{
	int rc = meth_parse(&j->meth, mname, mtext, strlen(mtext), e);
	if (rc)
		return rc;
	j->has_meth = true;
	j->mt = j->meth.method;
	if (j->meth.n_nodes == 0)
		return err_at(e, CDG_EINPUT, mname, 0, "nodes",
			      "an edition needs a methodology with nodes");
	if (j->meth.group)
		return err_at(e, CDG_EINPUT, mname, 0, "impute",
			      "group imputation is not available for editions "
			      "(states carry no group)");
	ixjob_model_from_meth(j);
	const char *last = "";
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->v[i].iso3, last) != 0) {
			last = in->v[i].iso3;
			idx_model_add_unit(&j->m, last, NULL);
		}
	for (size_t i = 0; i < n_ov; i++)
		if (idx_model_find_unit(&j->m, ov[i].iso3) < 0)
			idx_model_add_unit(&j->m, ov[i].iso3, NULL);
	rc = idx_model_finish(&j->m, e);
	if (rc)
		return rc;
	size_t nu = j->m.n_units;
	idx_data_init(&j->raw, nu, j->m.n_ind);
	j->denoms = xmalloc(sizeof *j->denoms);
	for (size_t i = 0; i < in->n + n_ov; i++) {
		const char *iso = i < in->n ? in->v[i].iso3 : ov[i - in->n].iso3;
		const char *ind = i < in->n ? in->v[i].indicator
					    : ov[i - in->n].indicator;
		double v = i < in->n ? in->v[i].value : ov[i - in->n].value;
		int node = idx_model_find(&j->m, ind);
		/* Observations of indicators the methodology leaves out are
		 * not inputs. */
		if (node < 0 || j->m.node_col[node] < 0)
			continue;
		int u = idx_model_find_unit(&j->m, iso);
		j->raw.x[(size_t)j->m.node_col[node] * nu + (size_t)u] = v;
	}
	return 0;
}

/* The results of a job as store rows (strings owned by the job). */
static struct store_index_result *job_rows(const struct job *j, size_t *n)
{
	*n = j->m.n_units * j->m.n_nodes;
	struct store_index_result *r = xmalloc(ixjob_n1(*n) * sizeof *r);
	size_t k = 0;
	for (size_t u = 0; u < j->m.n_units; u++)
		for (size_t i = 0; i < j->m.n_nodes; i++)
			ixjob_result(j, u, i, &r[k++]);
	return r;
}

/* The methodology file: the one given, else the default.  Until a survey
 * round exists (no self-reported value of year or earlier, synthetic or
 * not), the default is the public-evidence methodology, which uses only
 * what desk research measures for every State, so that no State is
 * penalised for not answering a survey nobody has run; then it is
 * cdg-default (docs/public-evidence.md). */
static int default_methodology(struct app *a, const char *data_dir, long year,
			       const char *path, struct buf *text, struct buf *name,
			       struct cdg_err *e)
{
	if (path) {
		buf_adds(name, path);
	} else {
		char ys[16];
		snprintf(ys, sizeof ys, "%ld", year);
		const char *p[1] = {ys};
		long long n = 0;
		int rc = store_query_int(a->st, "self_reported_count", p, 1, &n, e);
		if (rc)
			return rc;
		buf_addf(name, "%s/index/%s.json", data_dir,
			 n ? "cdg-default" : "public-evidence");
	}
	return file_read_all(name->p, text, e);
}

/* Keeps the snapshot rows whose indicator the methodology uses. */
static void keep_used(struct inputs *in, const struct meth *m)
{
	size_t k = 0;
	for (size_t i = 0; i < in->n; i++) {
		const struct meth_node *n = meth_node(m, in->v[i].indicator);
		if (n && n->level == 1)
			in->v[k++] = in->v[i];
	}
	in->n = k;
}

int app_index_compute(struct app *a, const struct app_index_compute_opts *o,
		      struct app_index_edition_report *rep, struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	int arc = app_authorize(a, o->actor, APP_INDEX_WRITE, NULL, e);
	if (arc)
		return arc;
	if (o->year < 1990 || o->year > 2100)
		return err_at(e, CDG_EUSAGE, NULL, 0, "--edition",
			      "%ld is not a year from 1990 to 2100", o->year);
	if (sodium_init() < 0)
		return err_set(e, CDG_EINTERNAL, "libsodium failed to initialise");
	struct buf text = BUF_INIT, name = BUF_INIT;
	int rc = default_methodology(a, o->data_dir, o->year, o->methodology, &text,
				     &name, e);
	struct job j;
	ixjob_init(&j);
	struct inputs in = {0};
	arena_init(&in.ar);
	/* The methodology must agree with the catalog. */
	if (rc == 0) {
		rc = meth_parse(&j.meth, name.p, text.p, text.len, e);
		j.has_meth = rc == 0;
	}
	for (size_t i = 0; rc == 0 && i < j.meth.n_nodes; i++) {
		const struct meth_node *n = &j.meth.nodes[i];
		if (n->level != 1)
			continue;
		const struct fw_indicator *d = fw_indicator(&a->cat, n->id);
		if (!d)
			rc = err_at(e, CDG_EINPUT, name.p, n->line, "id",
				    "node %s: not an indicator of the catalog",
				    n->id);
		else if (d->direction != n->direction || d->lower != n->gp_lo ||
			 d->upper != n->gp_hi)
			rc = err_at(e, CDG_EINPUT, name.p, n->line, "direction",
				    "node %s: direction or goalposts differ from "
				    "the catalog", n->id);
	}
	if (rc == 0)
		rc = store_edition_candidates(a->st, o->year, collect_input, &in, e);
	if (rc == 0)
		keep_used(&in, &j.meth);
	if (j.has_meth) {
		meth_free(&j.meth);
		j.has_meth = false;
	}
	if (rc == 0 && in.n == 0)
		rc = err_at(e, CDG_EINPUT, NULL, 0, "--edition",
			    "no observations of %ld or earlier", o->year);
	struct idx_mc_spec s;
	size_t reps = 0;
	if (rc == 0)
		rc = edition_job(&j, text.p, name.p, &in, NULL, 0, e);
	/* Unless told otherwise, an edition carries the rank intervals of the
	 * methodology's own uncertainty analysis. */
	long mc = o->mc, sobol = o->sobol;
	if (rc == 0 && mc < 0)
		mc = j.has_meth && j.meth.has_uncertainty ? (long)j.meth.mc_reps : 0;
	if (rc == 0 && sobol < 0)
		sobol = j.has_meth && j.meth.has_uncertainty ? (long)j.meth.sobol_n : 0;
	if (rc == 0)
		rc = ixjob_mc_spec(&j, mc, sobol, o->has_seed, o->seed,
			     o->threads, &s, &reps, e);
	if (rc == 0)
		rc = ixjob_run(&j, &s, reps, sobol > 0 ? (size_t)sobol : 0,
			     NULL, NULL, e);
	if (rc == 0) {
		struct store_edition ed = {0};
		ed.year = o->year;
		ed.methodology_id = j.meth.id;
		ed.methodology = text.p;
		sha256_hex(text.p, text.len, ed.methodology_sha256);
		inputs_hash(&in, ed.input_sha256);
		ed.mc_reps = (long)reps;
		ed.mc_seed = reps || sobol > 0 ? s.seed : 0;
		ed.n_units = (long)j.m.n_units;
		ed.n_ranked = (long)j.res.data.n_rows;
		size_t nres;
		struct store_index_result *res = job_rows(&j, &nres);
		ixjob_sensitivity(&j, &rep->sa);
		struct store_index_sensitivity sens[APP_INDEX_MAX_FACTORS];
		for (size_t i = 0; i < rep->sa.n_factors; i++)
			sens[i] = (struct store_index_sensitivity){
				rep->sa.factor[i], (long)rep->sa.n, rep->sa.si[i],
				rep->sa.sti[i]};
		rc = store_edition_freeze(a->st, o->actor, &ed, in.v, in.n, res,
					  nres, sens, rep->sa.n_factors, e);
		free(res);
		rep->year = o->year;
		rep->n_units = j.m.n_units;
		rep->n_ranked = j.res.data.n_rows;
		rep->n_inputs = in.n;
		rep->mc_reps = reps;
		memcpy(rep->input_sha256, ed.input_sha256, 65);
		memcpy(rep->methodology_sha256, ed.methodology_sha256, 65);
		snprintf(rep->methodology_id, sizeof rep->methodology_id, "%s",
			 j.meth.id);
	}
	inputs_free(&in);
	ixjob_free(&j);
	buf_free(&text);
	buf_free(&name);
	return rc;
}

/* Stored results, copied. */
struct results {
	struct store_index_result *v;
	size_t n, cap;
	struct arena ar;
};

static int collect_result(void *ctx, const struct store_index_result *r)
{
	struct results *rs = ctx;
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 256;
		rs->v = xrealloc(rs->v, rs->cap * sizeof *rs->v);
	}
	struct store_index_result c = *r;
	c.iso3 = arena_strdup(&rs->ar, r->iso3);
	c.node = arena_strdup(&rs->ar, r->node);
	rs->v[rs->n++] = c;
	return 0;
}

static void results_free(struct results *rs)
{
	free(rs->v);
	arena_free(&rs->ar);
}

/* Everything stored of an edition. */
struct edition {
	struct store_edition ed;
	struct arena ar;
	struct inputs in;
	struct results res;
	struct app_index_sensitivity sa; /* factor names in ar */
};

static int collect_sens(void *ctx, const struct store_index_sensitivity *r)
{
	struct edition *x = ctx;
	struct app_index_sensitivity *sa = &x->sa;
	if (sa->n_factors == APP_INDEX_MAX_FACTORS)
		return 0;
	sa->n = (size_t)r->n;
	sa->factor[sa->n_factors] = arena_strdup(&x->ar, r->factor);
	sa->si[sa->n_factors] = r->si;
	sa->sti[sa->n_factors++] = r->sti;
	sa->runs = sa->n * (sa->n_factors + 2);
	return 0;
}

static int edition_load(struct app *a, long year, bool results,
			struct edition *x, struct cdg_err *e)
{
	memset(x, 0, sizeof *x);
	arena_init(&x->ar);
	arena_init(&x->in.ar);
	arena_init(&x->res.ar);
	int rc = store_edition_get(a->st, year, &x->ed, &x->ar, e);
	if (rc == 0)
		rc = store_edition_inputs(a->st, year, collect_input, &x->in, e);
	if (rc == 0 && results)
		rc = store_edition_results(a->st, year, NULL, collect_result,
					   &x->res, e);
	if (rc == 0)
		rc = store_edition_sensitivity(a->st, year, collect_sens, x, e);
	return rc;
}

static void edition_free(struct edition *x)
{
	inputs_free(&x->in);
	results_free(&x->res);
	arena_free(&x->ar);
}

/* Same double to the bit (both missing counts as equal). */
static bool same_bits(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return memcmp(&a, &b, sizeof a) == 0;
}

/* Recomputes edition x from its frozen methodology and inputs into j. */
static int recompute(struct edition *x, struct job *j, int threads,
		     const struct override *ov, size_t n_ov, bool mc,
		     struct cdg_err *e)
{
	char name[64];
	snprintf(name, sizeof name, "edition %ld methodology", x->ed.year);
	int rc = edition_job(j, x->ed.methodology, name, &x->in, ov, n_ov, e);
	struct idx_mc_spec s;
	size_t reps = 0;
	if (rc == 0 && mc)
		rc = ixjob_mc_spec(j, x->ed.mc_reps, (long)x->sa.n, true,
			     x->ed.mc_seed, threads, &s, &reps, e);
	if (rc == 0)
		rc = ixjob_run(j, &s, reps, mc ? x->sa.n : 0, NULL, NULL, e);
	return rc;
}

int app_index_verify(struct app *a, long year, int threads,
		     struct app_index_verify_report *rep, struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	rep->year = year;
	if (sodium_init() < 0)
		return err_set(e, CDG_EINTERNAL, "libsodium failed to initialise");
	struct edition x;
	struct job j;
	ixjob_init(&j);
	int rc = edition_load(a, year, true, &x, e);
	if (rc == 0) {
		char h[65];
		sha256_hex(x.ed.methodology, strlen(x.ed.methodology), h);
		rep->methodology_ok = strcmp(h, x.ed.methodology_sha256) == 0;
		inputs_hash(&x.in, h);
		rep->inputs_ok = strcmp(h, x.ed.input_sha256) == 0;
		rc = recompute(&x, &j, threads, NULL, 0, true, e);
	}
	if (rc == 0) {
		size_t n;
		struct store_index_result *r = job_rows(&j, &n);
		rep->n_compared = n;
		if (n != x.res.n) {
			rep->n_mismatch = n > x.res.n ? n - x.res.n : x.res.n - n;
			snprintf(rep->first, sizeof rep->first,
				 "%zu results recomputed, %zu stored", n, x.res.n);
		}
		/* Stored rows come back by state then insertion order, which
		 * is the order job_rows produced. */
		for (size_t i = 0; i < n && i < x.res.n; i++) {
			const struct store_index_result *p = &r[i], *q = &x.res.v[i];
			const char *what = NULL;
			if (strcmp(p->iso3, q->iso3) || strcmp(p->node, q->node))
				what = "row";
			else if (!same_bits(p->score, q->score))
				what = "score";
			else if (p->rank != q->rank)
				what = "rank";
			else if (!same_bits(p->rank_median, q->rank_median) ||
				 !same_bits(p->rank_p05, q->rank_p05) ||
				 !same_bits(p->rank_p95, q->rank_p95))
				what = "rank interval";
			if (!what)
				continue;
			if (!rep->n_mismatch++)
				snprintf(rep->first, sizeof rep->first,
					 "%s %s: %s stored %.17g (rank %d), "
					 "recomputed %.17g (rank %d)", q->iso3,
					 q->node, what, q->score, q->rank,
					 p->score, p->rank);
		}
		free(r);
		struct app_index_sensitivity sa;
		ixjob_sensitivity(&j, &sa);
		rep->n_compared += 2 * x.sa.n_factors;
		for (size_t i = 0; i < sa.n_factors || i < x.sa.n_factors; i++) {
			bool same = i < sa.n_factors && i < x.sa.n_factors &&
				    strcmp(sa.factor[i], x.sa.factor[i]) == 0 &&
				    same_bits(sa.si[i], x.sa.si[i]) &&
				    same_bits(sa.sti[i], x.sa.sti[i]);
			if (same)
				continue;
			if (!rep->n_mismatch++)
				snprintf(rep->first, sizeof rep->first,
					 "sensitivity to %s: stored Si %.17g STi "
					 "%.17g, recomputed Si %.17g STi %.17g",
					 i < x.sa.n_factors ? x.sa.factor[i] : "?",
					 i < x.sa.n_factors ? x.sa.si[i] : NAN,
					 i < x.sa.n_factors ? x.sa.sti[i] : NAN,
					 i < sa.n_factors ? sa.si[i] : NAN,
					 i < sa.n_factors ? sa.sti[i] : NAN);
		}
		rep->ok = rep->n_mismatch == 0 && rep->methodology_ok &&
			  rep->inputs_ok;
		if (!rep->ok)
			rc = err_at(e, CDG_ECONFLICT, NULL, 0, NULL,
				    "edition %ld does NOT verify: %s%s%s", year,
				    rep->methodology_ok ? "" : "methodology hash "
				    "differs; ", rep->inputs_ok ? "" :
				    "input snapshot hash differs; ",
				    rep->n_mismatch ? rep->first : "");
	}
	ixjob_free(&j);
	edition_free(&x);
	return rc;
}

/* ---- reads: show, list, diff, what-if ------------------------------------------ */

static void edition_json(struct jw *w, const struct store_edition *ed)
{
	jw_kint(w, "year", ed->year);
	jw_kstr(w, "methodology_id", ed->methodology_id);
	jw_kstr(w, "methodology_sha256", ed->methodology_sha256);
	jw_kstr(w, "input_sha256", ed->input_sha256);
	jw_kint(w, "mc_replications", ed->mc_reps);
	jw_kint(w, "mc_seed", (long long)ed->mc_seed);
	jw_kint(w, "states", ed->n_units);
	jw_kint(w, "ranked", ed->n_ranked);
	jw_kint(w, "inputs", ed->n_inputs);
	jw_kbool(w, "published", ed->published);
	jw_kstr(w, "created_by", ed->created_by);
	jw_kstr(w, "created_at", ed->created_at);
	if (ed->published) {
		jw_kstr(w, "published_by", ed->published_by);
		jw_kstr(w, "published_at", ed->published_at);
	}
}

static int list_one(void *ctx, const struct store_edition *ed)
{
	struct jw *w = ctx;
	jw_obj(w);
	edition_json(w, ed);
	jw_obj_end(w);
	return 0;
}

int app_index_list_json(struct app *a, struct jw *w, struct cdg_err *e)
{
	jw_arr(w);
	int rc = store_edition_each(a->st, list_one, w, e);
	jw_arr_end(w);
	return rc;
}

int app_index_publish(struct app *a, long year, const char *actor,
		      bool allow_synthetic, struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_INDEX_WRITE, NULL, e);
	if (rc)
		return rc;
	char ys[16];
	snprintf(ys, sizeof ys, "%ld", year);
	const char *p[1] = {ys};
	long long n = 0;
	rc = store_query_int(a->st, "edition_synthetic_inputs", p, 1, &n, e);
	if (rc == 0 && n && !allow_synthetic)
		return err_set(e, CDG_EINPUT, "edition %ld was computed from %lld "
			       "SYNTHETIC values (the demo round): an edition of record "
			       "cannot be; compute it on real data, or publish a demonstration "
			       "with --allow-synthetic", year, n);
	return rc ? rc : store_edition_publish(a->st, actor, year, e);
}

static void rank_json(struct jw *w, const char *k, double v)
{
	if (!isnan(v))
		jw_knum(w, k, v);
}

static void result_json(struct jw *w, const struct store_index_result *r)
{
	jw_knum(w, "score", r->score);
	if (r->rank)
		jw_kint(w, "rank", r->rank);
	else
		jw_key(w, "rank"), jw_null(w);
	rank_json(w, "rank_median", r->rank_median);
	rank_json(w, "rank_p05", r->rank_p05);
	rank_json(w, "rank_p95", r->rank_p95);
}

/* The root node's id and the goal-level nodes (children of the root). */
static bool is_level(const struct meth *m, const char *id, int level)
{
	const struct meth_node *n = meth_node(m, id);
	return n && n->level == level;
}

static const char *root_of(const struct meth *m)
{
	for (size_t i = 0; i < m->n_nodes; i++)
		if (!m->nodes[i].parent)
			return m->nodes[i].id;
	return "";
}

static const char *country_name(struct app *a, const char *iso3,
				struct arena *ar)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, false);
	const char *p[] = {iso3};
	const char *name = iso3;
	struct cdg_err e;
	if (store_row_json(a->st, "country", p, 1, &w, &e) == 0) {
		const char *k = strstr(b.p, "\"name\":\"");
		if (k) {
			k += 8;
			const char *end = strchr(k, '"');
			if (end)
				name = arena_strndup(ar, k, (size_t)(end - k));
		}
	}
	buf_free(&b);
	return name;
}

/* {"with_data", "indicators", "needed", "missing": [...]}: how many of the
 * methodology's indicators had an input for iso3, how many its screening
 * rule needs, and which were missing (why a State is not ranked). */
static void coverage_json(struct jw *w, const struct meth *m,
			  const struct inputs *in, const char *iso3)
{
	const char **mine = xcalloc(in->n + 1, sizeof *mine);
	size_t nm = 0;
	for (size_t k = 0; k < in->n; k++)
		if (strcmp(in->v[k].iso3, iso3) == 0)
			mine[nm++] = in->v[k].indicator;
	size_t total = 0, have = 0;
	jw_key(w, "coverage");
	jw_obj(w);
	jw_key(w, "missing");
	jw_arr(w);
	for (size_t i = 0; i < m->n_nodes; i++) {
		if (m->nodes[i].level != 1)
			continue;
		total++;
		bool found = false;
		for (size_t k = 0; k < nm && !found; k++)
			found = strcmp(mine[k], m->nodes[i].id) == 0;
		if (found)
			have++;
		else
			jw_str(w, m->nodes[i].id);
	}
	jw_arr_end(w);
	jw_kint(w, "with_data", (long long)have);
	jw_kint(w, "indicators", (long long)total);
	/* The screening rule keeps a unit whose share of indicators with
	 * data is at least min_data. */
	double need = m->method.screen.dat_thresh * (double)total;
	long long needed = (long long)need;
	if ((double)needed < need)
		needed++;
	jw_kint(w, "needed", needed);
	jw_obj_end(w);
	free(mine);
}

int app_index_show_json(struct app *a, long year, const char *iso3,
			struct jw *w, struct cdg_err *e)
{
	struct edition x;
	int rc = edition_load(a, year, true, &x, e);
	struct meth m;
	bool has_m = false;
	if (rc == 0) {
		rc = meth_parse(&m, "methodology", x.ed.methodology,
				strlen(x.ed.methodology), e);
		has_m = rc == 0;
	}
	bool found = false;
	for (size_t i = 0; rc == 0 && iso3 && i < x.res.n && !found; i++)
		found = strcmp(x.res.v[i].iso3, iso3) == 0;
	if (rc == 0 && iso3 && !found)
		rc = err_at(e, CDG_ENOTFOUND, NULL, 0, "--country",
			    "%s is not in edition %ld", iso3, year);
	if (rc == 0) {
		const char *root = root_of(&m);
		jw_obj(w);
		jw_key(w, "edition");
		jw_obj(w);
		edition_json(w, &x.ed);
		long long nsyn = 0;
		for (size_t k = 0; k < x.in.n; k++)
			nsyn += x.in.v[k].synthetic;
		/* SYNTHETIC (demo) values the edition was computed from. */
		jw_kint(w, "synthetic_inputs", nsyn);
		jw_kbool(w, "synthetic", nsyn > 0);
		jw_kstr(w, "methodology_title", m.title);
		jw_kstr(w, "index_node", root);
		jw_obj_end(w);
		if (x.sa.n)
			app_index_sensitivity_json(w, &x.sa);
		jw_key(w, "states");
		jw_arr(w);
		for (size_t i = 0; i < x.res.n; i++) {
			const struct store_index_result *r = &x.res.v[i];
			if (strcmp(r->node, root) != 0 ||
			    (iso3 && strcmp(r->iso3, iso3) != 0))
				continue;
			jw_obj(w);
			jw_kstr(w, "iso3", r->iso3);
			jw_kstr(w, "name", country_name(a, r->iso3, &x.ar));
			result_json(w, r);
			coverage_json(w, &m, &x.in, r->iso3);
			/* Goal scores (the index's children). */
			jw_key(w, "nodes");
			jw_obj(w);
			for (size_t k = 0; k < x.res.n; k++) {
				const struct store_index_result *q = &x.res.v[k];
				if (strcmp(q->iso3, r->iso3) != 0 ||
				    strcmp(q->node, root) == 0 ||
				    (!iso3 && !is_level(&m, q->node,
							meth_node(&m, root)->level - 1)))
					continue;
				jw_key(w, q->node);
				jw_obj(w);
				result_json(w, q);
				jw_obj_end(w);
			}
			jw_obj_end(w);
			if (iso3) {
				jw_key(w, "inputs");
				jw_arr(w);
				for (size_t k = 0; k < x.in.n; k++) {
					const struct store_index_input *p = &x.in.v[k];
					if (strcmp(p->iso3, r->iso3) != 0)
						continue;
					jw_obj(w);
					jw_kstr(w, "indicator", p->indicator);
					jw_knum(w, "value", p->value);
					jw_kint(w, "year", p->year);
					jw_kint(w, "observation_id", p->obs_id);
					jw_kstr(w, "source", p->source);
					jw_kbool(w, "synthetic", p->synthetic);
					jw_obj_end(w);
				}
				jw_arr_end(w);
			}
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	if (has_m)
		meth_free(&m);
	edition_free(&x);
	return rc;
}

static const struct store_index_result *find_result(const struct results *rs,
						    const char *iso3,
						    const char *node)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].iso3, iso3) == 0 &&
		    strcmp(rs->v[i].node, node) == 0)
			return &rs->v[i];
	return NULL;
}

static const struct store_index_input *find_input(const struct inputs *in,
						  const char *iso3,
						  const char *ind)
{
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->v[i].iso3, iso3) == 0 &&
		    strcmp(in->v[i].indicator, ind) == 0)
			return &in->v[i];
	return NULL;
}

/* The inputs of iso3 that differ between two snapshots. */
static void input_changes(struct jw *w, const struct inputs *a,
			  const struct inputs *b, const char *iso3)
{
	jw_key(w, "input_changes");
	jw_arr(w);
	for (int pass = 0; pass < 2; pass++) {
		const struct inputs *from = pass ? b : a, *other = pass ? a : b;
		for (size_t i = 0; i < from->n; i++) {
			const struct store_index_input *p = &from->v[i];
			if (strcmp(p->iso3, iso3) != 0)
				continue;
			const struct store_index_input *q =
				find_input(other, iso3, p->indicator);
			if (pass && q)
				continue; /* seen in the first pass */
			const struct store_index_input *o1 = pass ? q : p;
			const struct store_index_input *o2 = pass ? p : q;
			if (o1 && o2 && same_bits(o1->value, o2->value) &&
			    strcmp(o1->source, o2->source) == 0)
				continue;
			jw_obj(w);
			jw_kstr(w, "indicator", p->indicator);
			if (o1)
				jw_knum(w, "value1", o1->value);
			else
				jw_key(w, "value1"), jw_null(w);
			if (o2)
				jw_knum(w, "value2", o2->value);
			else
				jw_key(w, "value2"), jw_null(w);
			if (o1)
				jw_kint(w, "year1", o1->year);
			if (o2)
				jw_kint(w, "year2", o2->year);
			if (o2)
				jw_kstr(w, "source2", o2->source);
			jw_obj_end(w);
		}
	}
	jw_arr_end(w);
}

int app_index_diff_json(struct app *a, long y1, long y2, struct jw *w,
			struct cdg_err *e)
{
	struct edition x1, x2;
	int rc = edition_load(a, y1, true, &x1, e);
	int rc2 = rc == 0 ? edition_load(a, y2, true, &x2, e) : 0;
	if (rc == 0 && rc2 != 0) {
		rc = rc2;
		edition_free(&x2);
	}
	struct meth m;
	if (rc == 0) {
		rc = meth_parse(&m, "methodology", x2.ed.methodology,
				strlen(x2.ed.methodology), e);
		if (rc == 0 && strcmp(root_of(&m), "") == 0)
			rc = err_set(e, CDG_EINPUT, "no index node");
		if (rc) {
			edition_free(&x2);
		}
	}
	if (rc) {
		edition_free(&x1);
		return rc;
	}
	const char *root = root_of(&m);
	jw_obj(w);
	jw_kint(w, "year1", y1);
	jw_kint(w, "year2", y2);
	jw_kbool(w, "same_methodology", strcmp(x1.ed.methodology_sha256,
					       x2.ed.methodology_sha256) == 0);
	jw_kstr(w, "index_node", root);
	jw_key(w, "states");
	jw_arr(w);
	/* States of either edition: those of y2 first, then those only in y1. */
	for (int pass = 0; pass < 2; pass++) {
		const struct results *rs = pass ? &x1.res : &x2.res;
		for (size_t i = 0; i < rs->n; i++) {
			const struct store_index_result *r = &rs->v[i];
			if (strcmp(r->node, root) != 0)
				continue;
			if (pass && find_result(&x2.res, r->iso3, root))
				continue;
			const struct store_index_result *r1 =
				find_result(&x1.res, r->iso3, root);
			const struct store_index_result *r2 =
				find_result(&x2.res, r->iso3, root);
			jw_obj(w);
			jw_kstr(w, "iso3", r->iso3);
			jw_knum(w, "score1", r1 ? r1->score : NAN);
			jw_knum(w, "score2", r2 ? r2->score : NAN);
			bool both = r1 && r2 && !isnan(r1->score) &&
				    !isnan(r2->score);
			jw_knum(w, "score_change",
				both ? r2->score - r1->score : NAN);
			if (r1 && r1->rank)
				jw_kint(w, "rank1", r1->rank);
			else
				jw_key(w, "rank1"), jw_null(w);
			if (r2 && r2->rank)
				jw_kint(w, "rank2", r2->rank);
			else
				jw_key(w, "rank2"), jw_null(w);
			if (r1 && r2 && r1->rank && r2->rank)
				jw_kint(w, "rank_change", r1->rank - r2->rank);
			else
				jw_key(w, "rank_change"), jw_null(w);
			input_changes(w, &x1.in, &x2.in, r->iso3);
			jw_obj_end(w);
		}
	}
	jw_arr_end(w);
	jw_obj_end(w);
	meth_free(&m);
	edition_free(&x1);
	edition_free(&x2);
	return 0;
}

/* Latest edition year (0 if none). */
static int latest_year(void *ctx, const struct store_edition *ed)
{
	*(long *)ctx = ed->year;
	return 0;
}

int app_index_whatif_json(struct app *a, long year, const char *iso3,
			  const char *const *sets, size_t n_sets, struct jw *w,
			  struct cdg_err *e)
{
	if (year == 0) {
		int rc = store_edition_each(a->st, latest_year, &year, e);
		if (rc)
			return rc;
		if (year == 0)
			return err_at(e, CDG_ENOTFOUND, NULL, 0, "--edition",
				      "no index edition yet ('cdg index compute')");
	}
	if (n_sets == 0)
		return err_at(e, CDG_EUSAGE, NULL, 0, "--set",
			      "give at least one --set INDICATOR=VALUE");
	struct edition x;
	int rc = edition_load(a, year, false, &x, e);
	struct override *ov = xcalloc(n_sets, sizeof *ov);
	struct meth m;
	bool has_m = false;
	if (rc == 0) {
		rc = meth_parse(&m, "methodology", x.ed.methodology,
				strlen(x.ed.methodology), e);
		has_m = rc == 0;
	}
	for (size_t i = 0; rc == 0 && i < n_sets; i++) {
		const char *eq = strchr(sets[i], '=');
		char *ind = eq ? arena_strndup(&x.ar, sets[i],
					       (size_t)(eq - sets[i])) : NULL;
		const struct meth_node *n = ind ? meth_node(&m, ind) : NULL;
		double v;
		if (!eq)
			rc = err_at(e, CDG_EUSAGE, NULL, 0, "--set",
				    "\"%s\": expected INDICATOR=VALUE", sets[i]);
		else if (!n || n->level != 1)
			rc = err_at(e, CDG_EUSAGE, NULL, 0, "--set",
				    "\"%s\" is not an indicator of the edition's "
				    "methodology", ind);
		else if (parse_double(eq + 1, &v))
			rc = err_at(e, CDG_EUSAGE, NULL, 0, "--set",
				    "\"%s\" is not a number", eq + 1);
		else
			ov[i] = (struct override){iso3, ind, v};
	}
	struct job j0, j1;
	ixjob_init(&j0);
	ixjob_init(&j1);
	if (rc == 0)
		rc = recompute(&x, &j0, 1, NULL, 0, false, e);
	/* j1: the frozen inputs, with the state's values replaced. */
	struct inputs in1 = {0};
	arena_init(&in1.ar);
	for (size_t i = 0; rc == 0 && i < x.in.n; i++) {
		bool replaced = false;
		for (size_t k = 0; k < n_sets && !replaced; k++)
			replaced = strcmp(x.in.v[i].iso3, iso3) == 0 &&
				   strcmp(x.in.v[i].indicator, ov[k].indicator) == 0;
		if (!replaced)
			collect_input(&in1, &x.in.v[i]);
	}
	if (rc == 0) {
		struct inputs keep = x.in;
		x.in = in1;
		rc = recompute(&x, &j1, 1, ov, n_sets, false, e);
		x.in = keep;
	}
	if (rc == 0) {
		const char *root = root_of(&m);
		int rn = idx_model_find(&j1.m, root);
		int u0 = idx_model_find_unit(&j0.m, iso3);
		int u1 = idx_model_find_unit(&j1.m, iso3);
		struct store_index_result b = {0}, af;
		b.score = NAN;
		if (u0 >= 0)
			ixjob_result(&j0, (size_t)u0, (size_t)rn, &b);
		ixjob_result(&j1, (size_t)u1, (size_t)rn, &af);
		jw_obj(w);
		jw_kint(w, "edition", year);
		jw_kstr(w, "iso3", iso3);
		jw_kstr(w, "index_node", root);
		jw_key(w, "set");
		jw_arr(w);
		for (size_t k = 0; k < n_sets; k++) {
			const struct store_index_input *p =
				find_input(&x.in, iso3, ov[k].indicator);
			jw_obj(w);
			jw_kstr(w, "indicator", ov[k].indicator);
			jw_knum(w, "from", p ? p->value : NAN);
			jw_knum(w, "to", ov[k].value);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_knum(w, "score_before", b.score);
		jw_knum(w, "score_after", af.score);
		jw_knum(w, "score_change", af.score - b.score);
		if (b.rank)
			jw_kint(w, "rank_before", b.rank);
		else
			jw_key(w, "rank_before"), jw_null(w);
		if (af.rank)
			jw_kint(w, "rank_after", af.rank);
		else
			jw_key(w, "rank_after"), jw_null(w);
		jw_kint(w, "ranked", (long long)j1.res.data.n_rows);
		/* The nodes whose score moved. */
		jw_key(w, "nodes");
		jw_obj(w);
		for (size_t i = 0; i < j1.m.n_nodes; i++) {
			struct store_index_result p = {0}, q;
			p.score = NAN;
			if (u0 >= 0)
				ixjob_result(&j0, (size_t)u0, i, &p);
			ixjob_result(&j1, (size_t)u1, i, &q);
			if (same_bits(p.score, q.score) || j1.m.nodes[i].level == 1)
				continue;
			jw_key(w, j1.m.nodes[i].id);
			jw_obj(w);
			jw_knum(w, "before", p.score);
			jw_knum(w, "after", q.score);
			jw_obj_end(w);
		}
		jw_obj_end(w);
		jw_obj_end(w);
	}
	inputs_free(&in1);
	ixjob_free(&j0);
	ixjob_free(&j1);
	if (has_m)
		meth_free(&m);
	free(ov);
	edition_free(&x);
	return rc;
}
