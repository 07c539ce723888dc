/* libFuzzer target: the index methodology parser (meth_parse, read by
 * `cdg index compute` and stored with every edition) must never crash,
 * leak, hang or read out of bounds, whatever the bytes.  A rejected file
 * has one input error with a message naming the file; an accepted one
 * keeps the rules meth_parse promises (unique ids, parents one level up,
 * one index, ranges of the pipeline and of the uncertainty analysis), and
 * its nodes build an engine model that idx_model_finish accepts, as
 * app/index_job.c builds it, on which the engine runs the pipeline and a
 * few Monte Carlo replications of the uncertainty analysis it states
 * (over four units of made-up data) without harm.  There is no
 * methodology writer, so no round trip. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_nodes(const struct meth *m)
{
	size_t roots = 0;
	for (size_t i = 0; i < m->n_nodes; i++) {
		const struct meth_node *n = &m->nodes[i];
		if (!n->id || !n->name || meth_node(m, n->id) != n)
			abort();
		if (n->level < 1 || n->level >= IDX_MAX_LEVELS || !(n->weight >= 0) ||
		    (n->direction != 1 && n->direction != -1))
			abort();
		if (!isnan(n->gp_lo) && !(n->gp_lo < n->gp_hi))
			abort();
		if (!n->parent) {
			roots++;
			continue;
		}
		const struct meth_node *p = meth_node(m, n->parent);
		if (!p || p->level != n->level + 1)
			abort();
	}
	if (m->n_nodes && roots != 1)
		abort();
}

static void check_uncertainty(const struct meth *m)
{
	if (!m->has_uncertainty)
		return;
	if (m->mc_reps < 1 || m->mc_reps > 1000000)
		abort();
	for (int l = 0; l < IDX_MAX_LEVELS; l++)
		if (!(m->wnoise[l] >= 0 && m->wnoise[l] <= 1))
			abort();
	for (size_t i = 0; i < m->n_winmax; i++)
		if (m->winmax[i] < 0)
			abort();
	struct idx_mc_spec s;
	meth_mc_spec(m, &s);
	if (s.n_impute != m->n_impute || s.n_norm != m->n_norm ||
	    s.n_agg != m->n_agg || s.seed != m->mc_seed)
		abort();
}

/* Four units in two groups, values made from the input's length (some
 * missing), a previous edition and every denominator the nodes name. */
#define UNITS 4

static void run_engine(const struct meth *m, const struct idx_model *model,
		       uint32_t salt)
{
	struct idx_data raw, prev;
	idx_data_init(&raw, UNITS, model->n_ind);
	for (size_t i = 0; i < UNITS * model->n_ind; i++) {
		uint32_t v = (salt >> (i % 29)) ^ (uint32_t)(i * 2654435761u);
		raw.x[i] = v % 7 == 0 ? NAN : (double)(v % 1000) / 10;
	}
	idx_data_copy(&prev, &raw);
	const char *denom_names[8];
	size_t n_denoms = 0;
	for (size_t i = 0; i < m->n_nodes && n_denoms < 8; i++) {
		const char *d = m->nodes[i].denom;
		bool seen = false;
		for (size_t k = 0; d && k < n_denoms; k++)
			seen = seen || strcmp(denom_names[k], d) == 0;
		if (d && !seen)
			denom_names[n_denoms++] = d;
	}
	double denoms[8 * UNITS];
	for (size_t i = 0; i < n_denoms * UNITS; i++)
		denoms[i] = (double)(i % 5 + 1) * 1000;
	struct idx_input in = {&raw, denom_names, n_denoms, denoms, prev.x};
	struct idx_result r;
	struct cdg_err e;
	(void)idx_run(model, &in, &m->method, &r, &e);
	idx_result_free(&r);
	if (m->has_uncertainty) {
		struct idx_mc_spec spec;
		meth_mc_spec(m, &spec);
		struct idx_mc_result mc;
		memset(&mc, 0, sizeof mc);
		size_t reps = m->mc_reps < 3 ? m->mc_reps : 3;
		(void)idx_mc_run(model, &in, &m->method, &spec, reps, &mc, &e);
		idx_mc_result_free(&mc);
	}
	idx_data_free(&raw);
	idx_data_free(&prev);
}

/* The engine must accept the tree the parser accepted, and run the
 * pipeline it states without harm (its data may still be refused). */
static void build_model(const struct meth *m, uint32_t salt)
{
	if (m->n_nodes == 0)
		return;
	struct idx_model model;
	idx_model_init(&model);
	for (size_t i = 0; i < m->n_nodes; i++) {
		const struct meth_node *n = &m->nodes[i];
		int k = idx_model_add_node(&model, n->id, n->parent, n->level,
					   n->weight, n->direction, n->target,
					   n->denom);
		if (!isnan(n->gp_lo))
			idx_model_set_goalposts(&model, k, n->gp_lo, n->gp_hi);
	}
	static const char *const units[UNITS] = {"AAA", "BBB", "CCC", "DDD"};
	for (size_t u = 0; u < UNITS; u++)
		idx_model_add_unit(&model, units[u], u % 2 ? "north" : "south");
	struct cdg_err e;
	if (idx_model_finish(&model, &e) != 0)
		abort();
	run_engine(m, &model, salt);
	idx_model_free(&model);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	if (!text)
		return 0;
	static const char *const name = "fuzz.json";
	struct meth m;
	struct cdg_err e;
	err_clear(&e);
	if (meth_parse(&m, name, text, size, &e) == 0) {
		if (!m.id || !m.title)
			abort();
		check_nodes(&m);
		check_uncertainty(&m);
		build_model(&m, (uint32_t)size * 2246822519u);
		meth_free(&m);
	} else {
		fuzz_check_error(&e, &name, 1);
	}
	free(text);
	return 0;
}
