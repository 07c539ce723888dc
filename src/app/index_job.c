/* The index job shared by `cdg index run` and the editions: see
 * index_int.h. */
#include "app/index_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void ixjob_init(struct job *j)
{
	memset(j, 0, sizeof *j);
	idx_model_init(&j->m);
	arena_init(&j->ar);
}

void ixjob_free(struct job *j)
{
	if (j->has_meth)
		meth_free(&j->meth);
	if (j->has_res)
		idx_result_free(&j->res);
	if (j->has_mc)
		idx_mc_result_free(&j->mc);
	if (j->has_sa)
		idx_mc_result_free(&j->sa);
	idx_data_free(&j->raw);
	free(j->denom_names);
	free(j->denoms);
	free(j->weights);
	idx_model_free(&j->m);
	arena_free(&j->ar);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int ixjob_load_meth(struct job *j, const char *path, struct cdg_err *e)
{
	struct buf b = BUF_INIT;
	int rc = file_read_all(path, &b, e);
	if (rc == 0)
		rc = meth_parse(&j->meth, path, b.p, b.len, e);
	buf_free(&b);
	if (rc == 0) {
		j->has_meth = true;
		j->mt = j->meth.method;
	}
	return rc;
}

/* Adds the methodology's nodes to the model. */
void ixjob_model_from_meth(struct job *j)
{
	for (size_t i = 0; i < j->meth.n_nodes; i++) {
		const struct meth_node *n = &j->meth.nodes[i];
		int k = idx_model_add_node(&j->m, n->id, n->parent, n->level,
					   n->weight, n->direction, n->target,
					   n->denom);
		if (!isnan(n->gp_lo))
			idx_model_set_goalposts(&j->m, k, n->gp_lo, n->gp_hi);
	}
}

size_t ixjob_n1(size_t n)
{
	return n ? n : 1;
}

/* Progress of the engine's runs on stderr (idx_mc_spec.progress). */
static void show_progress(void *ctx, size_t done, size_t total)
{
	(void)total;
	struct progress *p = ctx;
	p->total = (long)total;
	progress_step(p, (long)done - p->done);
}

/* Runs the uncertainty analysis of reps replications into j->mc and,
 * when sobol > 0, the Saltelli design of the sensitivity analysis with
 * N = sobol into j->sa (without --mc its A and B rows, the first 2N
 * replications of the same seed, give the rank intervals). */
static int run_mc(struct job *j, const struct idx_mc_spec *s0, size_t reps,
		  size_t sobol, struct cdg_err *e)
{
	struct idx_input in = {.raw = &j->raw, .denom_names = j->denom_names,
			       .n_denoms = j->n_denoms, .denoms = j->denoms};
	struct idx_mc_spec s = *s0;
	struct progress p;
	s.progress = show_progress;
	s.progress_ctx = &p;
	int rc = 0;
	if (reps) {
		s.all_nodes = true;
		j->has_mc = true;
		progress_begin(&p, "Monte Carlo replications", (long)reps);
		rc = idx_mc_run(&j->m, &in, &j->mt, &s, reps, &j->mc, e);
		progress_end(&p);
	}
	if (rc == 0 && sobol) {
		s.all_nodes = !reps;
		j->has_sa = true;
		progress_begin(&p, "Sobol design runs", 0);
		rc = idx_sa_run(&j->m, &in, &j->mt, &s, sobol, &j->sa, e);
		progress_end(&p);
	}
	return rc;
}

/* The analysis whose rank intervals are reported, or NULL. */
const struct idx_mc_result *ixjob_intervals(const struct job *j)
{
	return j->has_mc ? &j->mc : j->has_sa ? &j->sa : NULL;
}

/* Runs the pipeline, then the uncertainty and sensitivity analyses. */
int ixjob_run(struct job *j, const struct idx_mc_spec *s, size_t reps,
		   size_t sobol, double *ms_run, double *ms_mc,
		   struct cdg_err *e)
{
	struct idx_input in = {.raw = &j->raw, .denom_names = j->denom_names,
			       .n_denoms = j->n_denoms, .denoms = j->denoms};
	double t0 = now_ms();
	int rc = idx_run(&j->m, &in, &j->mt, &j->res, e);
	j->has_res = true;
	double t1 = now_ms();
	if (ms_run)
		*ms_run = t1 - t0;
	if (rc == 0 && (reps > 0 || sobol > 0))
		rc = run_mc(j, s, reps, sobol, e);
	if (ms_mc)
		*ms_mc = now_ms() - t1;
	return rc;
}

/* The row of model unit u in the results, or -1 if screened out. */
static long row_of_unit(const struct job *j, size_t u)
{
	for (size_t r = 0; r < j->res.data.n_rows; r++)
		if (j->res.data.unit[r] == u)
			return (long)r;
	return -1;
}

/* One result per unit and node, unit-major in model order. */
void ixjob_result(const struct job *j, size_t u, size_t node,
		       struct store_index_result *out)
{
	long r = row_of_unit(j, u);
	size_t nr = j->res.data.n_rows;
	out->iso3 = j->m.units[u].id;
	out->node = j->m.nodes[node].id;
	out->score = r < 0 ? NAN : j->res.score[node * nr + (size_t)r];
	out->rank = r < 0 ? 0 : j->res.rank[node * nr + (size_t)r];
	out->rank_median = out->rank_p05 = out->rank_p95 = NAN;
	const struct idx_mc_result *mc = ixjob_intervals(j);
	if (mc && mc->node_rank_median) {
		size_t k = node * mc->n_units + u;
		out->rank_median = mc->node_rank_median[k];
		out->rank_p05 = mc->node_rank_q5[k];
		out->rank_p95 = mc->node_rank_q95[k];
	}
}

int ixjob_mc_spec(struct job *j, long reps_flag, long sobol_flag,
		   bool has_seed, uint64_t seed, int threads,
		   struct idx_mc_spec *s, size_t *reps, struct cdg_err *e)
{
	*reps = 0;
	memset(s, 0, sizeof *s);
	if (reps_flag <= 0 && sobol_flag <= 0)
		return 0;
	if (!j->has_meth || !j->meth.has_uncertainty)
		return err_at(e, CDG_EUSAGE, NULL, 0,
			      reps_flag > 0 ? "--mc" : "--sobol",
			      "%s needs a methodology with an \"uncertainty\" "
			      "section (--methodology)", reps_flag > 0
			      ? "Monte Carlo" : "sensitivity analysis");
	meth_mc_spec(&j->meth, s);
	if (has_seed)
		s->seed = seed;
	s->n_threads = threads > 0 ? threads : 1;
	*reps = reps_flag > 0 ? (size_t)reps_flag : 0;
	return 0;
}

/* The Sobol indices of j->sa into out. */
void ixjob_sensitivity(const struct job *j,
			    struct app_index_sensitivity *out)
{
	memset(out, 0, sizeof *out);
	if (!j->has_sa)
		return;
	const struct idx_mc_result *r = &j->sa;
	out->n_factors = r->n_factors;
	out->runs = r->n_reps;
	out->n = r->n_reps / (r->n_factors + 2);
	for (size_t i = 0; i < r->n_factors && i < APP_INDEX_MAX_FACTORS; i++) {
		out->factor[i] = idx_factor_name(r->factor[i]);
		out->si[i] = r->si[i];
		out->sti[i] = r->sti[i];
	}
}

void app_index_sensitivity_json(struct jw *w,
				const struct app_index_sensitivity *sa)
{
	jw_key(w, "sensitivity");
	jw_obj(w);
	jw_kint(w, "n", (long long)sa->n);
	jw_kint(w, "runs", (long long)sa->runs);
	jw_key(w, "factors");
	jw_arr(w);
	for (size_t i = 0; i < sa->n_factors; i++) {
		jw_obj(w);
		jw_kstr(w, "factor", sa->factor[i]);
		jw_knum(w, "si", sa->si[i]);
		jw_knum(w, "sti", sa->sti[i]);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}
