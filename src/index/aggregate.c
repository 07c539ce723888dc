/* index: aggregation level by level (COINr's a_amean, a_gmean, a_hmean and
 * a generalised mean), missing children dropped and weights rescaled. */
#include "index/index_int.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

/* The error for a child value outside the mean's domain. */
static int bad_value(const struct idx_model *m, const struct ix_agg_ctx *c,
		     int node, int child, const struct idx_agg *ag, size_t r,
		     double v, struct cdg_err *e)
{
	static const char *name[] = {"arithmetic", "geometric", "harmonic",
				     "generalised"};
	return err_set(e, CDG_EINPUT,
		       "node %s, unit %s: %s mean of %s = %g needs values %s 0",
		       m->nodes[node].id, ix_unit_id(m, c->unit, r),
		       name[ag->kind], m->nodes[child].id, v,
		       ag->kind == IDX_AGG_GENMEAN && ag->p > 0 ? ">=" : ">");
}

/* Whether a present child value is inside the mean's domain. */
static bool in_domain(const struct idx_agg *ag, double v)
{
	switch (ag->kind) {
	case IDX_AGG_AMEAN: return true;
	case IDX_AGG_GMEAN:
	case IDX_AGG_HMEAN: return v > 0;
	case IDX_AGG_GENMEAN: return v > 0 || (v == 0 && ag->p > 0);
	}
	return false;
}

/* Accumulates child column x with weight w into acc, wsum and navail:
 * w x, w log x, w / x or w x^p over the present values.  Each kind has a
 * loop of its own without branches on missing values (a missing value adds
 * exactly 0 to every sum), which the compiler can vectorise; the order of
 * the sums is the children's order either way. */
static int add_child(const struct idx_model *m, const struct ix_agg_ctx *c,
		     int node, int child, const struct idx_agg *ag, double w,
		     struct cdg_err *e)
{
	const double *x = c->col[child];
	const double *lx = c->logcol ? c->logcol[child] : NULL;
	double *acc = c->col[node], *wsum = c->wsum, *navail = c->navail;
	size_t nr = c->n_rows;
	bool bad = false;
	for (size_t r = 0; r < nr; r++) {
		double v = x[r];
		bool ok = v == v; /* not NaN */
		wsum[r] += ok ? w : 0;
		navail[r] += ok ? 1 : 0;
	}
	switch (ag->kind) {
	case IDX_AGG_AMEAN:
		for (size_t r = 0; r < nr; r++) {
			double v = x[r];
			acc[r] += v == v ? w * v : 0;
		}
		break;
	case IDX_AGG_GMEAN:
		for (size_t r = 0; r < nr; r++) {
			double v = x[r];
			bool ok = v > 0;
			bad |= !ok && v == v;
			if (ok)
				acc[r] += w * (lx ? lx[r] : log(v));
		}
		break;
	case IDX_AGG_HMEAN:
		for (size_t r = 0; r < nr; r++) {
			double v = x[r];
			bool ok = v > 0;
			bad |= !ok && v == v;
			acc[r] += ok ? w / v : 0;
		}
		break;
	case IDX_AGG_GENMEAN:
		for (size_t r = 0; r < nr; r++) {
			double v = x[r];
			bool ok = in_domain(ag, v);
			bad |= !ok && v == v;
			if (ok)
				acc[r] += w * pow(v, ag->p);
		}
		break;
	}
	for (size_t r = 0; bad && r < nr; r++)
		if (!isnan(x[r]) && !in_domain(ag, x[r]))
			return bad_value(m, c, node, child, ag, r, x[r], e);
	return 0;
}

/* Computes aggregate node `node` from its children. */
static int agg_node(const struct idx_model *m, const struct ix_agg_ctx *c,
		    int node, struct cdg_err *e)
{
	const struct idx_agg *ag = &c->agg->lev[m->nodes[node].level];
	if (ag->kind > IDX_AGG_GENMEAN)
		return err_set(e, CDG_EUSAGE, "node %s: unknown aggregation %d",
			       m->nodes[node].id, (int)ag->kind);
	if (ag->kind == IDX_AGG_GENMEAN && (ag->p == 0 || !isfinite(ag->p)))
		return err_set(e, CDG_EUSAGE,
			       "node %s: generalised mean needs a finite p != 0",
			       m->nodes[node].id);
	double *acc = c->col[node];
	size_t nr = c->n_rows;
	for (size_t r = 0; r < nr; r++) {
		acc[r] = 0;
		c->wsum[r] = 0;
		c->navail[r] = 0;
	}
	int a = m->child_start[node], b = m->child_start[node + 1];
	for (int j = a; j < b; j++) {
		int ch = m->child[j];
		int rc = add_child(m, c, node, ch, ag, c->weights[ch], e);
		if (rc < 0)
			return rc;
	}
	double nch = (double)(b - a);
	for (size_t r = 0; r < nr; r++) {
		double ws = c->wsum[r], s = acc[r];
		if (c->navail[r] == 0 || !(ws > 0) ||
		    c->navail[r] / nch < c->dat_thresh) {
			acc[r] = NAN;
			continue;
		}
		switch (ag->kind) {
		case IDX_AGG_AMEAN: acc[r] = s / ws; break;
		case IDX_AGG_GMEAN: acc[r] = exp(s / ws); break;
		case IDX_AGG_HMEAN: acc[r] = ws / s; break;
		case IDX_AGG_GENMEAN: acc[r] = pow(s / ws, 1 / ag->p); break;
		}
	}
	return 0;
}

int ix_aggregate_cols(const struct idx_model *m, const struct ix_agg_ctx *c,
		      struct cdg_err *e)
{
	for (size_t i = 0; i < m->n_order; i++) {
		int lev = m->nodes[m->order[i]].level;
		if (lev < c->min_level || lev > c->max_level)
			continue;
		int rc = agg_node(m, c, m->order[i], e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int idx_aggregate(const struct idx_model *m, const struct idx_agg_set *agg,
		  const double *weights, double dat_thresh, double *score,
		  size_t n_rows, const size_t *unit, struct cdg_err *e)
{
	struct ix_agg_ctx c;
	size_t sz = n_rows ? n_rows : 1;
	c.agg = agg;
	double *own = NULL;
	c.weights = weights;
	if (!weights) {
		own = xmalloc(m->n_nodes * sizeof *own);
		for (size_t i = 0; i < m->n_nodes; i++)
			own[i] = m->nodes[i].weight;
		c.weights = own;
	}
	c.logcol = NULL;
	c.min_level = 2;
	c.max_level = m->n_levels;
	c.dat_thresh = dat_thresh;
	c.n_rows = n_rows;
	c.unit = unit;
	c.col = xmalloc(m->n_nodes * sizeof *c.col);
	for (size_t i = 0; i < m->n_nodes; i++)
		c.col[i] = score + i * n_rows;
	c.wsum = xmalloc(sz * sizeof *c.wsum);
	c.navail = xmalloc(sz * sizeof *c.navail);
	int rc = ix_aggregate_cols(m, &c, e);
	free(own);
	free(c.col);
	free(c.wsum);
	free(c.navail);
	return rc;
}
