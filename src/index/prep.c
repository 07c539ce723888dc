/* index: denominate, impute, screen, and the small statistics they share. */
#include "index/index_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void ix_sort(double *x, size_t n)
{
	qsort(x, n, sizeof *x, cmp_double);
}

double ix_median_sorted(const double *s, size_t n)
{
	size_t h = n / 2;
	if (n % 2)
		return s[h];
	return (s[h - 1] + s[h]) / 2;
}

size_t ix_present(const double *x, size_t n, double *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i]))
			out[k++] = x[i];
	return k;
}

double ix_mean(const double *x, size_t n)
{
	double s = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(x[i])) {
			s += x[i];
			k++;
		}
	return k ? s / (double)k : NAN;
}

const char *ix_unit_id(const struct idx_model *m, const size_t *unit,
		       size_t r)
{
	size_t u = unit ? unit[r] : r;
	return u < m->n_units ? m->units[u].id : "?";
}

/* ---- denominate ----------------------------------------------------------- */

int idx_denominate(const struct idx_model *m, struct idx_data *d,
		   const char *const *names, size_t n_denoms,
		   const double *denoms, struct cdg_err *e)
{
	for (size_t k = 0; k < d->n_cols; k++) {
		const struct idx_node *n = &m->nodes[m->ind_node[k]];
		if (!n->denom)
			continue;
		size_t j = 0;
		while (j < n_denoms && strcmp(names[j], n->denom) != 0)
			j++;
		if (j == n_denoms)
			return err_set(e, CDG_EINPUT,
				       "indicator %s: denominator %s not given",
				       n->id, n->denom);
		const double *den = denoms + j * m->n_units;
		double *x = d->x + k * d->n_rows;
		for (size_t r = 0; r < d->n_rows; r++) {
			double v = den[d->unit[r]];
			if (v == 0)
				return err_set(e, CDG_EINPUT,
					       "indicator %s, unit %s: "
					       "denominator %s is zero", n->id,
					       ix_unit_id(m, d->unit, r), n->denom);
			x[r] /= v; /* NAN in either stays NAN */
		}
	}
	return 0;
}

/* ---- impute --------------------------------------------------------------- */

/* Mean or median of the non-missing x[r] over rows r of group g (g < 0:
 * every row).  buf has room for n_rows values. */
static double group_stat(const struct idx_model *m, const struct idx_data *d,
			 const double *x, int g, bool median, double *buf)
{
	size_t k = 0;
	for (size_t r = 0; r < d->n_rows; r++) {
		if (isnan(x[r]))
			continue;
		if (g >= 0 && m->unit_group[d->unit[r]] != g)
			continue;
		buf[k++] = x[r];
	}
	if (k == 0)
		return NAN;
	if (!median) {
		double s = 0;
		for (size_t i = 0; i < k; i++)
			s += buf[i];
		return s / (double)k;
	}
	ix_sort(buf, k);
	return ix_median_sorted(buf, k);
}

int idx_impute(const struct idx_model *m, struct idx_data *d,
	       enum idx_impute_kind kind, const double *prev,
	       size_t *n_filled, struct cdg_err *e)
{
	size_t filled = 0;
	if (n_filled)
		*n_filled = 0;
	if (kind == IDX_IMPUTE_NONE)
		return 0;
	bool grouped = kind == IDX_IMPUTE_GROUP_MEAN ||
		       kind == IDX_IMPUTE_GROUP_MEDIAN;
	bool median = kind == IDX_IMPUTE_MEDIAN ||
		      kind == IDX_IMPUTE_GROUP_MEDIAN;
	if (kind == IDX_IMPUTE_PREVIOUS && !prev)
		return err_set(e, CDG_EUSAGE,
			       "previous-year imputation needs the previous "
			       "values");
	if (grouped && m->n_groups == 0)
		return err_set(e, CDG_EINPUT,
			       "group imputation needs unit groups");
	if (kind > IDX_IMPUTE_PREVIOUS)
		return err_set(e, CDG_EUSAGE, "unknown imputation %d",
			       (int)kind);
	size_t ng = grouped ? m->n_groups : 1;
	double *buf = xmalloc((d->n_rows + 1) * sizeof *buf);
	double *stat = xmalloc(ng * sizeof *stat);
	for (size_t k = 0; k < d->n_cols; k++) {
		double *x = d->x + k * d->n_rows;
		if (kind == IDX_IMPUTE_PREVIOUS) {
			const double *p = prev + k * m->n_units;
			for (size_t r = 0; r < d->n_rows; r++)
				if (isnan(x[r]) && !isnan(p[d->unit[r]])) {
					x[r] = p[d->unit[r]];
					filled++;
				}
			continue;
		}
		/* Statistics first, from the column as it was. */
		for (size_t g = 0; g < ng; g++)
			stat[g] = group_stat(m, d, x, grouped ? (int)g : -1,
					     median, buf);
		for (size_t r = 0; r < d->n_rows; r++) {
			if (!isnan(x[r]))
				continue;
			int g = grouped ? m->unit_group[d->unit[r]] : 0;
			if (g < 0 || isnan(stat[g]))
				continue;
			x[r] = stat[g];
			filled++;
		}
	}
	free(buf);
	free(stat);
	if (n_filled)
		*n_filled = filled;
	return 0;
}

/* ---- screen --------------------------------------------------------------- */

int idx_screen(struct idx_data *d, const struct idx_screen *s,
	       struct idx_screen_row *rows, struct cdg_err *e)
{
	size_t nr = d->n_rows, nc = d->n_cols, kept = 0;
	bool *keep = xmalloc(ix_n1(nr) * sizeof *keep);
	for (size_t r = 0; r < nr; r++) {
		struct idx_screen_row w = {0};
		for (size_t k = 0; k < nc; k++) {
			double v = d->x[k * nr + r];
			if (isnan(v))
				w.n_missing++;
			else if (v == 0)
				w.n_zero++;
		}
		w.dat_avail = 1 - (double)w.n_missing / (double)nc;
		w.nonzero = w.n_missing == nc
				    ? NAN
				    : 1 - (double)w.n_zero /
						  (double)(nc - w.n_missing);
		bool low_data = w.dat_avail < s->dat_thresh;
		bool low_nz = !(w.nonzero >= s->nonzero_thresh);
		switch (s->kind) {
		case IDX_SCREEN_NONE: w.included = true; break;
		case IDX_SCREEN_BY_NA: w.included = !low_data; break;
		case IDX_SCREEN_BY_ZEROS: w.included = !low_nz; break;
		case IDX_SCREEN_BY_NA_ZEROS:
			w.included = !low_data && !low_nz;
			break;
		default:
			free(keep);
			return err_set(e, CDG_EUSAGE, "unknown screen rule %d",
				       (int)s->kind);
		}
		keep[r] = w.included;
		kept += w.included;
		if (rows)
			rows[r] = w;
	}
	if (kept == 0) {
		free(keep);
		return err_set(e, CDG_EINPUT,
			       "screening removed every unit");
	}
	if (kept < nr) {
		for (size_t k = 0; k < nc; k++) {
			size_t o = 0;
			for (size_t r = 0; r < nr; r++)
				if (keep[r])
					d->x[k * kept + o++] = d->x[k * nr + r];
		}
		size_t o = 0;
		for (size_t r = 0; r < nr; r++)
			if (keep[r])
				d->unit[o++] = d->unit[r];
		d->n_rows = kept;
	}
	free(keep);
	return 0;
}
