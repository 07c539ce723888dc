/* index: normalisation (COINr's n_* functions, goalposts, the SDG Index
 * rule) and ranking. */
#include "index/index_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Descending by value, then ascending by position: a total order, so the
 * result never depends on how the sort breaks ties. */
static bool before(const struct ix_ranked *x, const struct ix_ranked *y)
{
	return x->v > y->v || (x->v == y->v && x->i < y->i);
}

/* Merge sort of a[0..n) with b[0..n) as scratch (qsort's comparator calls
 * dominated Monte Carlo replications). */
static void merge_sort(struct ix_ranked *a, struct ix_ranked *b, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	merge_sort(a, b, h);
	merge_sort(a + h, b, n - h);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		b[k++] = before(&a[j], &a[i]) ? a[j++] : a[i++];
	while (i < h)
		b[k++] = a[i++];
	memcpy(a, b, k * sizeof *a);
}

void ix_rank(const double *x, size_t n, bool descending, int *rank,
	     struct ix_ranked *tmp)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		rank[i] = 0;
		if (!isnan(x[i])) {
			tmp[k].v = descending ? x[i] : -x[i];
			tmp[k++].i = i;
		}
	}
	merge_sort(tmp, tmp + n, k);
	for (size_t j = 0; j < k; j++) {
		bool tie = j > 0 && tmp[j].v == tmp[j - 1].v;
		rank[tmp[j].i] = tie ? rank[tmp[j - 1].i] : (int)j + 1;
	}
}

void idx_rank(const double *x, size_t n, int *rank)
{
	struct ix_ranked *tmp = xmalloc(2 * ix_n1(n) * sizeof *tmp);
	ix_rank(x, n, true, rank, tmp);
	free(tmp);
}

/* Column statistics the normalisers need. */
struct colstat {
	size_t n;          /* present values */
	double min, max;   /* over present values */
	double mean, sd;   /* sd with n - 1 */
};

static void col_stats(const double *x, size_t nr, struct colstat *s)
{
	s->n = 0;
	s->min = INFINITY;
	s->max = -INFINITY;
	double sum = 0;
	for (size_t r = 0; r < nr; r++) {
		if (isnan(x[r]))
			continue;
		s->n++;
		sum += x[r];
		s->min = x[r] < s->min ? x[r] : s->min;
		s->max = x[r] > s->max ? x[r] : s->max;
	}
	s->mean = s->n ? sum / (double)s->n : NAN;
	double ss = 0;
	for (size_t r = 0; r < nr; r++)
		if (!isnan(x[r])) {
			double dv = x[r] - s->mean;
			ss += dv * dv;
		}
	s->sd = s->n > 1 ? sqrt(ss / (double)(s->n - 1)) : NAN;
}

static double clamp01(double y)
{
	if (isnan(y))
		return y;
	return y < 0 ? 0 : y > 1 ? 1 : y;
}

/* Normalises one column x (already multiplied by its direction) into y.
 * node is the indicator's node (targets, goalposts); tmp and buf are
 * scratch of nr entries. */
static int norm_column(const struct idx_node *node, const double *x,
		       size_t nr, const struct idx_norm *nm, double *y,
		       struct ix_ranked *tmp, int *irank, double *buf,
		       struct cdg_err *e)
{
	struct colstat s;
	col_stats(x, nr, &s);
	double d = node->direction;
	if (s.n == 0) {
		/* An indicator no unit reports is missing everywhere: it
		 * drops out at aggregation like any missing value (the
		 * parents' weights are rescaled), rather than stopping the
		 * whole index. */
		for (size_t r = 0; r < nr; r++)
			y[r] = NAN;
		return 0;
	}
	switch (nm->kind) {
	case IDX_NORM_NONE:
		memcpy(y, x, nr * sizeof *y);
		return 0;
	case IDX_NORM_MINMAX:
	case IDX_NORM_DIST2MAX:
		if (s.max == s.min)
			return err_set(e, CDG_EINPUT,
				       "indicator %s: zero range", node->id);
		for (size_t r = 0; r < nr; r++)
			y[r] = nm->kind == IDX_NORM_MINMAX
				       ? (x[r] - s.min) / (s.max - s.min) *
							 (nm->p2 - nm->p1) +
						 nm->p1
				       : 1 - (s.max - x[r]) / (s.max - s.min);
		return 0;
	case IDX_NORM_ZSCORE:
		if (!(s.sd > 0))
			return err_set(e, CDG_EINPUT,
				       "indicator %s: zero standard deviation",
				       node->id);
		for (size_t r = 0; r < nr; r++)
			y[r] = (x[r] - s.mean) / s.sd * nm->p2 + nm->p1;
		return 0;
	case IDX_NORM_RANK:
	case IDX_NORM_PRANK:
	case IDX_NORM_BORDA:
		ix_rank(x, nr, false, irank, tmp);
		for (size_t r = 0; r < nr; r++) {
			double rk = irank[r] ? (double)irank[r] : NAN;
			y[r] = nm->kind == IDX_NORM_RANK    ? rk
			       : nm->kind == IDX_NORM_BORDA ? rk - 1
						    : (rk - 1) / (double)(s.n - 1);
		}
		return 0;
	case IDX_NORM_FRACMAX:
		/* COINr divides by a zero maximum anyway (Inf, NaN); we
		 * refuse.  A negative maximum (a direction -1 indicator with
		 * positive values) is computed as COINr does, though the
		 * ratios then run the wrong way (docs/index-engine.md). */
		if (s.max == 0)
			return err_set(e, CDG_EINPUT,
				       "indicator %s: fracmax with a maximum of 0 "
				       "(after direction)", node->id);
		for (size_t r = 0; r < nr; r++)
			y[r] = x[r] / s.max;
		return 0;
	case IDX_NORM_DIST2TARG: {
		if (isnan(node->target))
			return err_set(e, CDG_EINPUT,
				       "indicator %s: no target", node->id);
		double t = node->target * d;
		if (t == s.min)
			return err_set(e, CDG_EINPUT,
				       "indicator %s: target equals the minimum",
				       node->id);
		for (size_t r = 0; r < nr; r++) {
			y[r] = 1 - (t - x[r]) / (t - s.min);
			if (nm->p1 != 0 && y[r] > 1)
				y[r] = 1;
		}
		return 0;
	}
	case IDX_NORM_GOALPOSTS:
	case IDX_NORM_SDG: {
		double lo, hi;
		if (nm->kind == IDX_NORM_GOALPOSTS) {
			if (isnan(node->gp_lo) || isnan(node->gp_hi) ||
			    !(node->gp_lo < node->gp_hi))
				return err_set(e, CDG_EINPUT,
					       "indicator %s: goalposts missing "
					       "or not lo < hi", node->id);
			/* Goalposts are in indicator units; flipping the data
			 * flips them too, and the worst end becomes lo. */
			lo = d > 0 ? node->gp_lo : -node->gp_hi;
			hi = d > 0 ? node->gp_hi : -node->gp_lo;
		} else {
			if (isnan(node->target))
				return err_set(e, CDG_EINPUT,
					       "indicator %s: no target",
					       node->id);
			size_t k = ix_present(x, nr, buf);
			ix_sort(buf, k);
			lo = idx_quantile7(buf, k, 0.025);
			hi = node->target * d;
			if (!(hi > lo))
				return err_set(e, CDG_EINPUT,
					       "indicator %s: target does not "
					       "exceed the 2.5th percentile",
					       node->id);
		}
		for (size_t r = 0; r < nr; r++)
			y[r] = clamp01((x[r] - lo) / (hi - lo)) * 100;
		return 0;
	}
	}
	return err_set(e, CDG_EUSAGE, "unknown normalisation %d",
		       (int)nm->kind);
}

int idx_normalise(const struct idx_model *m, const struct idx_data *d,
		  const struct idx_norm *nm, double *out, struct cdg_err *e)
{
	size_t nr = d->n_rows;
	size_t sz = nr ? nr : 1;
	double *x = xmalloc(sz * sizeof *x);
	double *buf = xmalloc(sz * sizeof *buf);
	struct ix_ranked *tmp = xmalloc(2 * sz * sizeof *tmp);
	int *irank = xmalloc(sz * sizeof *irank);
	int rc = 0;
	for (size_t k = 0; k < d->n_cols && rc == 0; k++) {
		const struct idx_node *node = &m->nodes[m->ind_node[k]];
		const double *src = d->x + k * nr;
		for (size_t r = 0; r < nr; r++)
			x[r] = src[r] * node->direction;
		rc = norm_column(node, x, nr, nm, out + k * nr, tmp, irank,
				 buf, e);
	}
	free(x);
	free(buf);
	free(tmp);
	free(irank);
	return rc;
}
