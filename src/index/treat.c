/* index: COINr's default outlier treatment (Treat with winsorise, log_CT and
 * check_SkewKurt), with e1071 type-2 skewness and kurtosis. */
#include "index/index_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sums of squared, cubed and fourth-power deviations of the n values v
 * (no NaN) around their mean; R's x^3 and x^4 call pow(). */
static void moments(const double *v, size_t n, double *s2, double *s3,
		    double *s4)
{
	double mean = 0;
	for (size_t i = 0; i < n; i++)
		mean += v[i];
	mean /= (double)n;
	double a = 0, b = 0, c = 0;
	for (size_t i = 0; i < n; i++) {
		double dv = v[i] - mean;
		a += dv * dv;
		b += pow(dv, 3);
		c += pow(dv, 4);
	}
	*s2 = a;
	*s3 = b;
	*s4 = c;
}

static double skew_of(double n, double s2, double s3)
{
	double y = sqrt(n) * s3 / pow(s2, 1.5);
	return y * sqrt(n * (n - 1)) / (n - 2);
}

static double kurt_of(double n, double s2, double s4)
{
	double r = n * s4 / (s2 * s2);
	return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3));
}

/* Skewness (kurt false) or kurtosis of the present values of x[0..n). */
static double shape_stat(const double *x, size_t n, bool kurt)
{
	double *v = xmalloc(ix_n1(n) * sizeof *v);
	size_t k = ix_present(x, n, v);
	double s2, s3, s4, r = NAN;
	if (k >= (kurt ? 4u : 3u)) {
		moments(v, k, &s2, &s3, &s4);
		if (s2 > 0)
			r = kurt ? kurt_of((double)k, s2, s4)
				 : skew_of((double)k, s2, s3);
	}
	free(v);
	return r;
}

double idx_skew(const double *x, size_t n)
{
	return shape_stat(x, n, false);
}

double idx_kurt(const double *x, size_t n)
{
	return shape_stat(x, n, true);
}

/* check_SkewKurt on v[0..n), n >= 4: pass if |skew| < st or kurt < kt.  A
 * column with zero variance passes (COINr would stop on its NA). */
static bool check(const double *v, size_t n, const struct idx_treat *t,
		  double *skew, double *kurt)
{
	double s2, s3, s4;
	moments(v, n, &s2, &s3, &s4);
	if (!(s2 > 0)) {
		*skew = NAN;
		*kurt = NAN;
		return true;
	}
	*skew = skew_of((double)n, s2, s3);
	*kurt = kurt_of((double)n, s2, s4);
	return fabs(*skew) < t->skew_thresh || *kurt < t->kurt_thresh;
}

/* Work space for one column: the present values and their rows. */
struct col {
	double *v;       /* present values, winsorised in place */
	size_t *row;     /* row of each value */
	size_t n;        /* present values */
	unsigned char *hit; /* 1 = in the last max set, 2 = last min set */
};

/* One winsorisation step on the side of the skew: every point equal to the
 * extreme takes the most extreme value among the others.  Returns the size
 * of the set moved, 0 if every value is equal. */
static size_t win_step(struct col *c, bool high, unsigned char mark)
{
	double ext = c->v[0];
	for (size_t i = 1; i < c->n; i++)
		if (high ? c->v[i] > ext : c->v[i] < ext)
			ext = c->v[i];
	bool have = false;
	double next = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (c->v[i] == ext)
			continue;
		if (!have || (high ? c->v[i] > next : c->v[i] < next))
			next = c->v[i];
		have = true;
	}
	if (!have)
		return 0;
	size_t k = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (c->hit[i] == mark)
			c->hit[i] = 0;
		if (c->v[i] == ext) {
			c->v[i] = next;
			c->hit[i] = mark;
			k++;
		}
	}
	return k;
}

/* Treats one column x of n_rows values in place. */
static void treat_column(double *x, size_t n_rows, struct col *c,
			 const struct idx_treat *t, struct idx_treat_info *in,
			 unsigned char *pts)
{
	in->skew1 = in->kurt1 = in->skew2 = in->kurt2 = NAN;
	in->nwin = 0;
	in->pass1 = in->pass2 = in->log = false;
	in->pass0 = check(c->v, c->n, t, &in->skew0, &in->kurt0);
	if (pts)
		memset(pts, IDX_PT_NONE, n_rows);
	if (in->pass0)
		return;
	memset(c->hit, 0, c->n);
	size_t nmax = 0, nmin = 0;
	bool pass = false;
	double skew = in->skew0;
	while (!pass && (int)(nmax + nmin) < t->winmax) {
		bool high = skew >= 0;
		size_t k = win_step(c, high, high ? 1 : 2);
		if (k == 0)
			break;
		if (high)
			nmax = k;
		else
			nmin = k;
		pass = check(c->v, c->n, t, &skew, &in->kurt1);
	}
	in->nwin = (int)(nmax + nmin);
	/* COINr always re-checks after winsorise, even with nothing moved. */
	in->pass1 = check(c->v, c->n, t, &in->skew1, &in->kurt1);
	if (in->pass1) {
		for (size_t i = 0; i < c->n; i++) {
			x[c->row[i]] = c->v[i];
			if (pts && c->hit[i])
				pts[c->row[i]] = c->hit[i] == 1 ? IDX_PT_WINHI
								: IDX_PT_WINLO;
		}
		return;
	}
	/* log_CT on the original column: log(x - min + 0.01 (max - min)). */
	double mn = x[c->row[0]], mx = mn;
	for (size_t i = 0; i < c->n; i++) {
		double v = x[c->row[i]];
		mn = v < mn ? v : mn;
		mx = v > mx ? v : mx;
	}
	for (size_t i = 0; i < c->n; i++) {
		size_t r = c->row[i];
		x[r] = log(x[r] - mn + 0.01 * (mx - mn));
		c->v[i] = x[r];
		if (pts)
			pts[r] = IDX_PT_LOG;
	}
	in->log = true;
	in->pass2 = check(c->v, c->n, t, &in->skew2, &in->kurt2);
}

int idx_treat(const struct idx_model *m, struct idx_data *d,
	      const struct idx_treat *t, struct idx_treat_info *info,
	      unsigned char *points, struct cdg_err *e)
{
	if (!t->on)
		return 0;
	if (t->winmax < 0)
		return err_set(e, CDG_EUSAGE, "winmax must be >= 0");
	size_t nr = d->n_rows;
	struct col c;
	c.v = xmalloc(ix_n1(nr) * sizeof *c.v);
	c.row = xmalloc(ix_n1(nr) * sizeof *c.row);
	c.hit = xmalloc(ix_n1(nr));
	int rc = 0;
	for (size_t k = 0; k < d->n_cols; k++) {
		double *x = d->x + k * nr;
		c.n = 0;
		for (size_t r = 0; r < nr; r++)
			if (!isnan(x[r])) {
				c.v[c.n] = x[r];
				c.row[c.n++] = r;
			}
		if (c.n < 4) {
			rc = err_set(e, CDG_EINPUT,
				     "indicator %s: treatment needs at least 4 "
				     "values, has %zu",
				     m->nodes[m->ind_node[k]].id, c.n);
			break;
		}
		struct idx_treat_info tmp;
		treat_column(x, nr, &c, t, info ? &info[k] : &tmp,
			     points ? points + k * nr : NULL);
	}
	free(c.v);
	free(c.row);
	free(c.hit);
	return rc;
}
