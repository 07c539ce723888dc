/* libFuzzer target: the index methodology parser (meth_parse, read by
 * `cdg index compute` and stored with every edition) must never crash,
 * leak, hang or read out of bounds, whatever the bytes.  A rejected file
 * has one input error with a message naming the file; an accepted one
 * keeps the rules meth_parse promises (unique ids, parents one level up,
 * one index, ranges of the pipeline and of the uncertainty analysis), and
 * its nodes build an engine model that idx_model_finish accepts, as
 * app/index_job.c builds it.  There is no methodology writer, so no round
 * trip. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

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

/* The engine must accept the tree the parser accepted. */
static void build_model(const struct meth *m)
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
	idx_model_add_unit(&model, "AAA", NULL);
	struct cdg_err e;
	if (idx_model_finish(&model, &e) != 0)
		abort();
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
		build_model(&m);
		meth_free(&m);
	} else {
		fuzz_check_error(&e, &name, 1);
	}
	free(text);
	return 0;
}
