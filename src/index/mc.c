/* index: Monte Carlo uncertainty analysis, Saltelli/Sobol sensitivity
 * analysis, rank statistics and the counter-based random streams.
 *
 * Everything a replication needs except the aggregation is precomputed:
 * the prepared data of each imputation alternative, then the normalised
 * indicators of each (imputation, winmax, normalisation) combination, and
 * for each such combination and aggregation alternative the aggregates of
 * the lower levels whose weights never vary (with noise on pillar weights
 * only, every sub-pillar).  A replication then picks these, a weight vector
 * and an aggregation, aggregates the remaining levels into its worker's
 * private columns and ranks the target.  The cached columns are computed by
 * the same code on the same numbers, so results are identical to a full
 * aggregation.  Workers own their buffers (no malloc per replication) and write
 * only their replications' rows, so the thread count changes nothing.
 */
#include "index/index_int.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- random streams ----------------------------------------------------- */

#define GOLDEN 0x9e3779b97f4a7c15ULL

static uint64_t sm_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t idx_rng_key(uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t k = sm_mix(seed + GOLDEN);
	k = sm_mix(k ^ sm_mix(a + 2 * GOLDEN));
	return sm_mix(k ^ sm_mix(b + 3 * GOLDEN));
}

void idx_rng_seed(struct idx_rng *g, uint64_t key)
{
	uint64_t z = key;
	for (int i = 0; i < 4; i++) {
		z += GOLDEN;
		g->s[i] = sm_mix(z);
	}
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t idx_rng_next(struct idx_rng *g)
{
	uint64_t *s = g->s;
	uint64_t r = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

double idx_rng_unif(struct idx_rng *g)
{
	return (double)(idx_rng_next(g) >> 11) * 0x1.0p-53;
}

/* ---- statistics ------------------------------------------------------------ */

double idx_quantile7(const double *s, size_t n, double p)
{
	/* R: index = 1 + (n-1) p; lo = floor, hi = ceiling;
	 * q = (1-h) x[lo] + h x[hi] where h = index - lo. */
	double index = 1 + (double)(n - 1) * p;
	double lo = floor(index), hi = ceil(index);
	double q = s[(size_t)lo - 1];
	double xh = s[(size_t)hi - 1];
	if (index > lo && xh != q) {
		double h = index - lo;
		q = (1 - h) * q + h * xh;
	}
	return q;
}

/* Statistics of the ranks counted in count[1..top] (count[x] runs had
 * rank x): st = mean, median, 5th and 95th type-7 quantiles, NAN if none.
 * v has room for every counted rank. */
static void stats_of_counts(const size_t *count, size_t top, double *v,
			    double st[4])
{
	size_t k = 0;
	double sum = 0;
	for (size_t x = 1; x <= top; x++)
		for (size_t j = 0; j < count[x]; j++) {
			v[k++] = (double)x;
			sum += (double)x;
		}
	st[0] = st[1] = st[2] = st[3] = NAN;
	if (k > 0) {
		st[0] = sum / (double)k;
		st[1] = ix_median_sorted(v, k);
		st[2] = idx_quantile7(v, k, 0.05);
		st[3] = idx_quantile7(v, k, 0.95);
	}
}

void idx_rank_stats(const int *rank, size_t n_reps, size_t n_units,
		    double *mean, double *median, double *q5, double *q95)
{
	/* Ranks are small positive integers: a counting sort per unit. */
	size_t top = 0;
	for (size_t i = 0; i < n_reps * n_units; i++)
		if (rank[i] > 0 && (size_t)rank[i] > top)
			top = (size_t)rank[i];
	double *v = xmalloc(ix_n1(n_reps) * sizeof *v);
	size_t *count = xmalloc((top + 1) * sizeof *count);
	for (size_t u = 0; u < n_units; u++) {
		memset(count, 0, (top + 1) * sizeof *count);
		for (size_t r = 0; r < n_reps; r++) {
			int x = rank[r * n_units + u];
			if (x > 0)
				count[x]++;
		}
		double st[4];
		stats_of_counts(count, top, v, st);
		double *out[4] = {mean, median, q5, q95};
		for (int i = 0; i < 4; i++)
			if (out[i])
				out[i][u] = st[i];
	}
	free(v);
	free(count);
}

void idx_rank_change(const int *rank, const int *nominal, size_t n_runs,
		     size_t n_units, double *yy)
{
	for (size_t r = 0; r < n_runs; r++) {
		double s = 0;
		size_t k = 0;
		for (size_t u = 0; u < n_units; u++) {
			int a = rank[r * n_units + u], b = nominal[u];
			if (a > 0 && b > 0) {
				s += abs(a - b);
				k++;
			}
		}
		yy[r] = k ? s / (double)k : NAN;
	}
}

void idx_sobol(const double *yy, size_t n, size_t d, double *si,
	       double *sti)
{
	const double *ya = yy, *yb = yy + n;
	double mean = 0;
	for (size_t j = 0; j < 2 * n; j++)
		mean += yy[j];
	mean /= (double)(2 * n);
	double ss = 0;
	for (size_t j = 0; j < 2 * n; j++)
		ss += (yy[j] - mean) * (yy[j] - mean);
	double var = ss / (double)(2 * n - 1);
	for (size_t i = 0; i < d; i++) {
		const double *yab = yy + (2 + i) * n;
		double a = 0, b = 0;
		for (size_t j = 0; j < n; j++) {
			a += yb[j] * (yab[j] - ya[j]);
			b += (ya[j] - yab[j]) * (ya[j] - yab[j]);
		}
		si[i] = a / (double)n / var;
		sti[i] = b / (2 * (double)n * var);
	}
}

/* ---- the precomputed context -------------------------------------------- */

struct mc_ctx {
	const struct idx_model *m;
	const struct idx_method *nom;
	const struct idx_mc_spec *s;
	size_t n_imp, n_win, n_norm, n_agg; /* alternatives (>= 1 each) */
	struct idx_data *prep;  /* prepared data per imputation */
	double **nrm;           /* normalised per (imp, win, norm) */
	double **lg;            /* log of nrm (when a geometric mean is
				   among the aggregations), else NULL */
	double *w0;             /* nominal weights */
	const double *wfix;     /* weights of the fixed levels */
	int lc;                 /* nodes of levels 2..lc are cached */
	int *cslot;             /* cache column of each node, -1 if none */
	size_t n_cslot;         /* cached nodes */
	double **cache;         /* per (combo, agg): n_cslot x rows */
	double **clog;          /* their logs when needed, else NULL */
	int *crc;               /* per (combo, agg): error of the cache */
	struct cdg_err *cerr;   /* per (combo, agg): its message */
	bool noise;             /* weights perturbed by wnoise */
	int target;             /* node ranked */
	size_t max_rows;        /* most rows of any prepared data */
};

static enum idx_impute_kind alt_impute(const struct mc_ctx *c, size_t i)
{
	return c->s->n_impute ? c->s->impute[i] : c->nom->impute;
}

static const struct idx_agg_set *alt_agg(const struct mc_ctx *c, size_t i)
{
	return c->s->n_agg ? &c->s->agg[i] : &c->nom->agg;
}

static void ctx_free(struct mc_ctx *c)
{
	if (c->prep)
		for (size_t i = 0; i < c->n_imp; i++)
			idx_data_free(&c->prep[i]);
	free(c->prep);
	for (size_t i = 0; c->nrm && i < c->n_imp * c->n_win * c->n_norm;
	     i++) {
		free(c->nrm[i]);
		if (c->lg)
			free(c->lg[i]);
	}
	free(c->nrm);
	free(c->lg);
	size_t nc = c->n_imp * c->n_win * c->n_norm * c->n_agg;
	for (size_t i = 0; c->cache && i < nc; i++) {
		free(c->cache[i]);
		if (c->clog)
			free(c->clog[i]);
	}
	free(c->cache);
	free(c->clog);
	free(c->crc);
	free(c->cerr);
	free(c->cslot);
	free(c->w0);
}

/* log(x), or NAN where the geometric mean will refuse x anyway. */
static double *log_of(const double *x, size_t n)
{
	double *y = xmalloc(ix_n1(n) * sizeof *y);
	for (size_t i = 0; i < n; i++)
		y[i] = x[i] > 0 ? log(x[i]) : NAN;
	return y;
}

/* Treats and normalises prepared data d for every winmax and normalisation
 * alternative into nrm[0 .. n_win * n_norm), and their logs into lg[] when
 * lg is not NULL. */
static int ctx_normalise(struct mc_ctx *c, const struct idx_data *d,
			 double **nrm, double **lg, struct cdg_err *e)
{
	const struct idx_mc_spec *s = c->s;
	for (size_t w = 0; w < c->n_win; w++) {
		struct idx_treat t = c->nom->treat;
		if (s->n_winmax) {
			t.on = true;
			t.winmax = s->winmax[w];
		}
		struct idx_data td;
		idx_data_copy(&td, d);
		int rc = idx_treat(c->m, &td, &t, NULL, NULL, e);
		for (size_t k = 0; k < c->n_norm && rc == 0; k++) {
			size_t n = td.n_rows * td.n_cols;
			double *out = xmalloc(ix_n1(n) * sizeof *out);
			nrm[w * c->n_norm + k] = out;
			rc = idx_normalise(c->m, &td,
					   s->n_norm ? &s->norm[k] : &c->nom->norm,
					   out, e);
			if (lg)
				lg[w * c->n_norm + k] = log_of(out, n);
		}
		idx_data_free(&td);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Whether the weights of level-L nodes are the same in every replication. */
static bool level_fixed(const struct mc_ctx *c, int level)
{
	const struct idx_model *m = c->m;
	const struct idx_mc_spec *s = c->s;
	if (s->n_wsets == 0)
		return !c->noise || s->wnoise[level] == 0;
	for (size_t i = 0; i < m->n_nodes; i++) {
		if (m->nodes[i].level != level)
			continue;
		for (size_t k = 1; k < s->n_wsets; k++)
			if (s->wsets[k * m->n_nodes + i] != s->wsets[i])
				return false;
	}
	return true;
}

/* Aggregates levels 2..lc of every (combination, aggregation) into the
 * cache.  An error (say a geometric mean of z-scores) is kept for the
 * replications that draw that pair rather than returned. */
static void ctx_cache(struct mc_ctx *c)
{
	const struct idx_model *m = c->m;
	c->lc = 1;
	while (c->lc < m->n_levels && level_fixed(c, c->lc))
		c->lc++;
	c->cslot = xmalloc(m->n_nodes * sizeof *c->cslot);
	c->n_cslot = 0;
	for (size_t i = 0; i < m->n_nodes; i++) {
		int l = m->nodes[i].level;
		c->cslot[i] = l >= 2 && l <= c->lc ? (int)c->n_cslot++ : -1;
	}
	c->wfix = c->s->n_wsets ? c->s->wsets : c->w0;
	if (c->n_cslot == 0)
		return;
	size_t combos = c->n_imp * c->n_win * c->n_norm, nc = combos * c->n_agg;
	c->cache = xcalloc(nc, sizeof *c->cache);
	c->clog = c->lg ? xcalloc(nc, sizeof *c->clog) : NULL;
	c->crc = xcalloc(nc, sizeof *c->crc);
	c->cerr = xcalloc(nc, sizeof *c->cerr);
	double **col = xmalloc(m->n_nodes * sizeof *col);
	const double **lcol = xmalloc(m->n_nodes * sizeof *lcol);
	double *wsum = xmalloc(ix_n1(c->max_rows) * sizeof *wsum);
	double *navail = xmalloc(ix_n1(c->max_rows) * sizeof *navail);
	for (size_t k = 0; k < combos; k++) {
		const struct idx_data *d = &c->prep[k / (c->n_win * c->n_norm)];
		size_t nr = d->n_rows;
		for (size_t a = 0; a < c->n_agg; a++) {
			size_t slot = k * c->n_agg + a;
			double *cc = xmalloc(ix_n1(c->n_cslot * nr) * sizeof *cc);
			c->cache[slot] = cc;
			for (size_t i = 0; i < m->n_nodes; i++) {
				int q = m->node_col[i];
				col[i] = q >= 0 ? c->nrm[k] + (size_t)q * nr
				       : c->cslot[i] >= 0
					       ? cc + (size_t)c->cslot[i] * nr
					       : NULL;
				lcol[i] = q >= 0 && c->lg
						  ? c->lg[k] + (size_t)q * nr
						  : NULL;
			}
			struct ix_agg_ctx ac = {
				.agg = alt_agg(c, a), .weights = c->wfix,
				.dat_thresh = c->nom->agg_dat_thresh,
				.n_rows = nr, .unit = d->unit, .col = col,
				.logcol = lcol, .min_level = 2,
				.max_level = c->lc, .wsum = wsum,
				.navail = navail,
			};
			c->crc[slot] = ix_aggregate_cols(m, &ac, &c->cerr[slot]);
			if (c->clog)
				c->clog[slot] = log_of(cc, c->n_cslot * nr);
		}
	}
	free(col);
	free(lcol);
	free(wsum);
	free(navail);
}

static int ctx_build(struct mc_ctx *c, const struct idx_model *m,
		     const struct idx_input *in, const struct idx_method *nom,
		     const struct idx_mc_spec *s, struct cdg_err *e)
{
	memset(c, 0, sizeof *c);
	c->m = m;
	c->nom = nom;
	c->s = s;
	if (!m->finished)
		return err_set(e, CDG_EUSAGE, "model not finished");
	c->target = s->target >= 0 ? s->target : m->root;
	if (c->target < 0 || (size_t)c->target >= m->n_nodes)
		return err_set(e, CDG_EUSAGE,
			       "no target node (the model has several tops)");
	if (s->n_threads < 1)
		return err_set(e, CDG_EUSAGE, "n_threads must be >= 1");
	c->n_imp = s->n_impute ? s->n_impute : 1;
	c->n_win = s->n_winmax ? s->n_winmax : 1;
	c->n_norm = s->n_norm ? s->n_norm : 1;
	c->n_agg = s->n_agg ? s->n_agg : 1;
	c->w0 = xmalloc(m->n_nodes * sizeof *c->w0);
	for (size_t i = 0; i < m->n_nodes; i++)
		c->w0[i] = nom->weights ? nom->weights[i] : m->nodes[i].weight;
	for (int l = 0; l < IDX_MAX_LEVELS; l++)
		if (s->wnoise[l] != 0)
			c->noise = s->n_wsets == 0;
	c->prep = xcalloc(c->n_imp, sizeof *c->prep);
	size_t combos = c->n_imp * c->n_win * c->n_norm;
	c->nrm = xcalloc(combos, sizeof *c->nrm);
	bool geometric = false;
	for (size_t a = 0; a < c->n_agg; a++)
		for (int l = 2; l < IDX_MAX_LEVELS; l++)
			geometric |= alt_agg(c, a)->lev[l].kind == IDX_AGG_GMEAN;
	if (geometric)
		c->lg = xcalloc(combos, sizeof *c->lg);
	for (size_t i = 0; i < c->n_imp; i++) {
		struct idx_method mt = *nom;
		mt.impute = alt_impute(c, i);
		int rc = idx_prepare(m, in, &mt, &c->prep[i], NULL, e);
		if (rc == 0)
			rc = ctx_normalise(c, &c->prep[i],
					   c->nrm + i * c->n_win * c->n_norm,
					   c->lg ? c->lg + i * c->n_win * c->n_norm
						 : NULL, e);
		if (rc < 0)
			return rc;
		if (c->prep[i].n_rows > c->max_rows)
			c->max_rows = c->prep[i].n_rows;
	}
	ctx_cache(c);
	return 0;
}

/* ---- one replication ------------------------------------------------------ */

/* Progress shared by the workers (index.h: never two calls at once). */
struct prog {
	pthread_mutex_t mu;
	size_t done, total;
	size_t step;                      /* runs between reports */
	void (*fn)(void *ctx, size_t done, size_t total);
	void *ctx;
};

static void prog_add(struct prog *p, size_t n)
{
	if (!p || !p->fn || n == 0)
		return;
	pthread_mutex_lock(&p->mu);
	p->done += n;
	p->fn(p->ctx, p->done, p->total);
	pthread_mutex_unlock(&p->mu);
}

/* A worker's private buffers, allocated once. */
struct worker {
	const struct mc_ctx *c;
	const struct idx_choice *choices; /* all runs */
	size_t from, to;                  /* runs [from, to) */
	size_t n_stats;                   /* runs < n_stats count in hist */
	struct prog *prog;                /* NULL for no progress */
	uint32_t *hist;                   /* all_nodes: rank counts per
					     (aggregate in m->order, unit,
					     rank 0..n_units), else NULL */
	double *nscore;                   /* all_nodes: n_units scratch */
	int *nrank;                       /* all_nodes: n_units scratch */
	double *score;                    /* output, runs x n_units */
	int *rank;                        /* output, runs x n_units */
	double *aggcols;                  /* n_nodes x max_rows */
	double **col;
	const double **logp;              /* log columns, NULL if unknown */
	double *w;
	double *wsum;
	double *navail;
	double *full;                     /* n_units */
	struct ix_ranked *tmp;            /* 2 n_units */
	int rc;                           /* first error, 0 if none */
	size_t failed;                    /* run of that error */
	struct cdg_err err;
};

static int run_one(struct worker *w, const struct idx_choice *ch, double *score,
		   int *rank)
{
	const struct mc_ctx *c = w->c;
	const struct idx_model *m = c->m;
	const struct idx_mc_spec *s = c->s;
	size_t combo = (ch->impute * c->n_win + ch->winmax) * c->n_norm +
		       ch->norm;
	const struct idx_data *d = &c->prep[ch->impute];
	double *nrm = c->nrm[combo];
	size_t nr = d->n_rows;
	const double *weights = c->w0;
	if (s->n_wsets) {
		weights = s->wsets + (size_t)ch->wset * m->n_nodes;
	} else if (c->noise) {
		struct idx_rng g;
		idx_rng_seed(&g, ch->wkey);
		for (size_t i = 0; i < m->n_nodes; i++) {
			double f = s->wnoise[m->nodes[i].level];
			w->w[i] = c->w0[i];
			if (f != 0)
				w->w[i] *= 1 + f * (2 * idx_rng_unif(&g) - 1);
		}
		weights = w->w;
	}
	size_t slot = combo * c->n_agg + ch->agg;
	if (c->n_cslot && c->crc[slot] < 0) {
		w->err = c->cerr[slot];
		return c->crc[slot];
	}
	for (size_t i = 0; i < m->n_nodes; i++) {
		int k = m->node_col[i], q = c->cslot[i];
		/* Indicator and cached columns are shared and only read. */
		if (k >= 0) {
			w->col[i] = nrm + (size_t)k * nr;
			w->logp[i] = c->lg ? c->lg[combo] + (size_t)k * nr : NULL;
		} else if (q >= 0) {
			w->col[i] = c->cache[slot] + (size_t)q * nr;
			w->logp[i] = c->clog ? c->clog[slot] + (size_t)q * nr
					     : NULL;
		} else {
			w->col[i] = w->aggcols + i * c->max_rows;
			w->logp[i] = NULL;
		}
	}
	struct ix_agg_ctx ac = {
		.agg = alt_agg(c, ch->agg),
		.weights = weights,
		.dat_thresh = c->nom->agg_dat_thresh,
		.n_rows = nr,
		.unit = d->unit,
		.col = w->col,
		.logcol = w->logp,
		.min_level = c->lc + 1,
		.max_level = m->n_levels,
		.wsum = w->wsum,
		.navail = w->navail,
	};
	int rc = ix_aggregate_cols(m, &ac, &w->err);
	if (rc < 0)
		return rc;
	for (size_t u = 0; u < m->n_units; u++)
		score[u] = NAN;
	const double *t = w->col[c->target];
	for (size_t r = 0; r < nr; r++)
		score[d->unit[r]] = t[r];
	ix_rank(score, m->n_units, true, rank, w->tmp);
	return 0;
}

/* Ranks every aggregate of the run just done by w into w->hist. */
static void count_nodes(struct worker *w, const struct idx_choice *ch)
{
	const struct mc_ctx *c = w->c;
	const struct idx_model *m = c->m;
	const struct idx_data *d = &c->prep[ch->impute];
	size_t nu = m->n_units;
	for (size_t o = 0; o < m->n_order; o++) {
		const double *col = w->col[m->order[o]];
		for (size_t u = 0; u < nu; u++)
			w->nscore[u] = NAN;
		for (size_t r = 0; r < d->n_rows; r++)
			w->nscore[d->unit[r]] = col[r];
		ix_rank(w->nscore, nu, true, w->nrank, w->tmp);
		uint32_t *h = w->hist + o * nu * (nu + 1);
		for (size_t u = 0; u < nu; u++)
			if (w->nrank[u] > 0)
				h[u * (nu + 1) + (size_t)w->nrank[u]]++;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	size_t nu = w->c->m->n_units, unreported = 0;
	for (size_t r = w->from; r < w->to; r++) {
		int rc = run_one(w, &w->choices[r], w->score + r * nu,
				 w->rank + r * nu);
		if (rc < 0) {
			w->rc = rc;
			w->failed = r;
			break;
		}
		if (w->hist && r < w->n_stats)
			count_nodes(w, &w->choices[r]);
		if (w->prog && ++unreported >= w->prog->step) {
			prog_add(w->prog, unreported);
			unreported = 0;
		}
	}
	prog_add(w->prog, unreported);
	return NULL;
}

static void worker_alloc(struct worker *w, const struct mc_ctx *c)
{
	const struct idx_model *m = c->m;
	size_t rows = c->max_rows ? c->max_rows : 1;
	memset(w, 0, sizeof *w);
	w->c = c;
	w->aggcols = xmalloc(m->n_nodes * rows * sizeof *w->aggcols);
	w->col = xmalloc(m->n_nodes * sizeof *w->col);
	w->logp = xmalloc(m->n_nodes * sizeof *w->logp);
	w->w = xmalloc(m->n_nodes * sizeof *w->w);
	w->wsum = xmalloc(rows * sizeof *w->wsum);
	w->navail = xmalloc(rows * sizeof *w->navail);
	w->tmp = xmalloc(2 * ix_n1(m->n_units) * sizeof *w->tmp);
	if (c->s->all_nodes) {
		size_t nu = m->n_units;
		w->hist = xcalloc(ix_n1(m->n_order * nu * (nu + 1)),
				  sizeof *w->hist);
		w->nscore = xmalloc(ix_n1(nu) * sizeof *w->nscore);
		w->nrank = xmalloc(ix_n1(nu) * sizeof *w->nrank);
	}
}

static void worker_free(struct worker *w)
{
	free(w->aggcols);
	free(w->col);
	free(w->logp);
	free(w->w);
	free(w->wsum);
	free(w->navail);
	free(w->tmp);
	free(w->hist);
	free(w->nscore);
	free(w->nrank);
}

/* Runs choices[0..n) on s->n_threads threads into r->score and r->rank;
 * with all_nodes, adds the rank counts of the runs below n_stats into
 * hist (integer sums, so the thread count changes nothing). */
static int run_all(const struct mc_ctx *c, const struct idx_choice *choices,
		   size_t n, size_t n_stats, size_t *hist,
		   struct idx_mc_result *r, struct cdg_err *e)
{
	size_t nt = (size_t)c->s->n_threads;
	if (nt > n)
		nt = n ? n : 1;
	struct prog prog = {.total = n, .fn = c->s->progress,
			    .ctx = c->s->progress_ctx};
	prog.step = n / 200 > 1 ? n / 200 : 1;
	pthread_mutex_init(&prog.mu, NULL);
	struct worker *w = xcalloc(nt, sizeof *w);
	pthread_t *th = xcalloc(nt, sizeof *th);
	bool *started = xcalloc(nt, sizeof *started);
	for (size_t t = 0; t < nt; t++) {
		worker_alloc(&w[t], c);
		w[t].choices = choices;
		w[t].from = n * t / nt;
		w[t].to = n * (t + 1) / nt;
		w[t].n_stats = n_stats;
		w[t].prog = c->s->progress ? &prog : NULL;
		w[t].score = r->score;
		w[t].rank = r->rank;
		if (t > 0)
			started[t] = pthread_create(&th[t], NULL, worker_main,
						    &w[t]) == 0;
		if (t > 0 && !started[t])
			worker_main(&w[t]); /* no thread: run it here */
	}
	worker_main(&w[0]);
	int rc = 0;
	for (size_t t = 0; t < nt; t++) {
		if (started[t])
			pthread_join(th[t], NULL);
		if (w[t].rc < 0 && rc == 0) {
			rc = w[t].rc;
			if (e) {
				*e = w[t].err;
				char msg[sizeof e->msg];
				snprintf(msg, sizeof msg, "replication %zu: %s",
					 w[t].failed + 1, w[t].err.msg);
				memcpy(e->msg, msg, sizeof msg);
			}
		}
	}
	size_t nh = c->m->n_order * c->m->n_units * (c->m->n_units + 1);
	for (size_t t = 0; t < nt; t++) {
		for (size_t i = 0; hist && i < nh; i++)
			hist[i] += w[t].hist[i];
		worker_free(&w[t]);
	}
	pthread_mutex_destroy(&prog.mu);
	free(w);
	free(th);
	free(started);
	return rc;
}

/* ---- choices ---------------------------------------------------------------- */

const char *idx_factor_name(int f)
{
	static const char *const names[IDX_F_COUNT] = {
		"impute", "winmax", "normalisation", "weights", "aggregation"};
	return f >= 0 && f < IDX_F_COUNT ? names[f] : "?";
}

static uint32_t pick(uint64_t key, size_t n)
{
	struct idx_rng g;
	idx_rng_seed(&g, key);
	size_t i = (size_t)(idx_rng_unif(&g) * (double)n);
	return (uint32_t)(i < n ? i : n - 1);
}

/* The choice whose factor f comes from the stream keyed keys[f]. */
static struct idx_choice choice_from_keys(const struct mc_ctx *c,
					  const uint64_t keys[IDX_F_COUNT])
{
	struct idx_choice ch = {0};
	ch.impute = pick(keys[IDX_F_IMPUTE], c->n_imp);
	ch.winmax = pick(keys[IDX_F_WINMAX], c->n_win);
	ch.norm = pick(keys[IDX_F_NORM], c->n_norm);
	ch.agg = pick(keys[IDX_F_AGG], c->n_agg);
	if (c->s->n_wsets)
		ch.wset = pick(keys[IDX_F_WEIGHTS], c->s->n_wsets);
	ch.wkey = keys[IDX_F_WEIGHTS];
	return ch;
}

static void row_keys(uint64_t seed, size_t row, uint64_t keys[IDX_F_COUNT])
{
	for (int f = 0; f < IDX_F_COUNT; f++)
		keys[f] = idx_rng_key(seed, row, (uint64_t)f);
}

/* Factors that vary, in IDX_F order. */
static size_t varying(const struct mc_ctx *c, int *factor)
{
	size_t d = 0;
	if (c->n_imp > 1)
		factor[d++] = IDX_F_IMPUTE;
	if (c->n_win > 1)
		factor[d++] = IDX_F_WINMAX;
	if (c->n_norm > 1)
		factor[d++] = IDX_F_NORM;
	if (c->s->n_wsets > 1 || c->noise)
		factor[d++] = IDX_F_WEIGHTS;
	if (c->n_agg > 1)
		factor[d++] = IDX_F_AGG;
	return d;
}

/* ---- drivers ---------------------------------------------------------------- */

void idx_mc_result_free(struct idx_mc_result *r)
{
	free(r->nominal);
	free(r->nominal_rank);
	free(r->choice);
	free(r->score);
	free(r->rank);
	free(r->rank_mean);
	free(r->rank_median);
	free(r->rank_q5);
	free(r->rank_q95);
	free(r->yy);
	free(r->node_rank_median);
	free(r->node_rank_q5);
	free(r->node_rank_q95);
	memset(r, 0, sizeof *r);
}

/* Nominal scores and ranks of the target, by model unit. */
static int run_nominal(const struct mc_ctx *c, const struct idx_input *in,
		       struct idx_mc_result *r, struct cdg_err *e)
{
	const struct idx_model *m = c->m;
	struct idx_result res;
	int rc = idx_run(m, in, c->nom, &res, e);
	if (rc == 0) {
		size_t nr = res.data.n_rows;
		for (size_t u = 0; u < m->n_units; u++)
			r->nominal[u] = NAN;
		for (size_t k = 0; k < nr; k++)
			r->nominal[res.data.unit[k]] =
				res.score[(size_t)c->target * nr + k];
		idx_rank(r->nominal, m->n_units, r->nominal_rank);
	}
	idx_result_free(&res);
	return rc;
}

/* The node rank statistics of r from the summed rank counts. */
static void node_stats(const struct idx_model *m, const size_t *hist,
		       size_t n_stats, struct idx_mc_result *r)
{
	size_t nu = m->n_units, sz = ix_n1(m->n_nodes * nu);
	r->n_nodes = m->n_nodes;
	r->node_rank_median = xmalloc(sz * sizeof(double));
	r->node_rank_q5 = xmalloc(sz * sizeof(double));
	r->node_rank_q95 = xmalloc(sz * sizeof(double));
	for (size_t i = 0; i < m->n_nodes * nu; i++)
		r->node_rank_median[i] = r->node_rank_q5[i] =
			r->node_rank_q95[i] = NAN;
	double *v = xmalloc(ix_n1(n_stats) * sizeof *v);
	for (size_t o = 0; o < m->n_order; o++) {
		size_t node = (size_t)m->order[o];
		for (size_t u = 0; u < nu; u++) {
			double st[4];
			stats_of_counts(hist + (o * nu + u) * (nu + 1), nu, v, st);
			r->node_rank_median[node * nu + u] = st[1];
			r->node_rank_q5[node * nu + u] = st[2];
			r->node_rank_q95[node * nu + u] = st[3];
		}
	}
	free(v);
}

/* Allocates r for n runs and computes everything but the choices. */
static int mc_execute(struct mc_ctx *c, const struct idx_input *in, size_t n,
		      size_t n_stats, struct idx_mc_result *r,
		      struct cdg_err *e)
{
	const struct idx_model *m = c->m;
	size_t nu = m->n_units, sz = ix_n1(n * nu);
	r->n_reps = n;
	r->n_units = nu;
	r->target = c->target;
	r->score = xmalloc(sz * sizeof *r->score);
	r->rank = xmalloc(sz * sizeof *r->rank);
	r->nominal = xmalloc(ix_n1(nu) * sizeof *r->nominal);
	r->nominal_rank = xmalloc(ix_n1(nu) * sizeof *r->nominal_rank);
	r->rank_mean = xmalloc(ix_n1(nu) * sizeof(double));
	r->rank_median = xmalloc(ix_n1(nu) * sizeof(double));
	r->rank_q5 = xmalloc(ix_n1(nu) * sizeof(double));
	r->rank_q95 = xmalloc(ix_n1(nu) * sizeof(double));
	size_t nh = m->n_order * nu * (nu + 1);
	size_t *hist = c->s->all_nodes ? xcalloc(ix_n1(nh), sizeof *hist)
				       : NULL;
	int rc = run_nominal(c, in, r, e);
	if (rc == 0)
		rc = run_all(c, r->choice, n, n_stats, hist, r, e);
	if (rc == 0)
		idx_rank_stats(r->rank, n_stats, nu, r->rank_mean,
			       r->rank_median, r->rank_q5, r->rank_q95);
	if (rc == 0 && hist)
		node_stats(m, hist, n_stats, r);
	free(hist);
	return rc;
}

int idx_mc_replay(const struct idx_model *m, const struct idx_input *in,
		  const struct idx_method *nominal,
		  const struct idx_mc_spec *s, const struct idx_choice *choices,
		  size_t n, struct idx_mc_result *r, struct cdg_err *e)
{
	memset(r, 0, sizeof *r);
	struct mc_ctx c;
	int rc = ctx_build(&c, m, in, nominal, s, e);
	if (rc == 0) {
		r->choice = xmalloc(ix_n1(n) * sizeof *r->choice);
		for (size_t i = 0; i < n && rc == 0; i++) {
			const struct idx_choice *ch = &choices[i];
			if (ch->impute >= c.n_imp || ch->winmax >= c.n_win ||
			    ch->norm >= c.n_norm || ch->agg >= c.n_agg ||
			    (s->n_wsets && ch->wset >= s->n_wsets))
				rc = err_set(e, CDG_EUSAGE,
					     "run %zu: choice out of range",
					     i + 1);
			r->choice[i] = *ch;
		}
	}
	if (rc == 0)
		rc = mc_execute(&c, in, n, n, r, e);
	ctx_free(&c);
	return rc;
}

int idx_mc_run(const struct idx_model *m, const struct idx_input *in,
	       const struct idx_method *nominal, const struct idx_mc_spec *s,
	       size_t n_reps, struct idx_mc_result *r, struct cdg_err *e)
{
	memset(r, 0, sizeof *r);
	struct mc_ctx c;
	int rc = ctx_build(&c, m, in, nominal, s, e);
	if (rc == 0) {
		r->choice = xmalloc(ix_n1(n_reps) * sizeof *r->choice);
		uint64_t keys[IDX_F_COUNT];
		for (size_t i = 0; i < n_reps; i++) {
			row_keys(s->seed, i, keys);
			r->choice[i] = choice_from_keys(&c, keys);
		}
		r->n_factors = varying(&c, r->factor);
		rc = mc_execute(&c, in, n_reps, n_reps, r, e);
	}
	ctx_free(&c);
	return rc;
}

int idx_sa_run(const struct idx_model *m, const struct idx_input *in,
	       const struct idx_method *nominal, const struct idx_mc_spec *s,
	       size_t n, struct idx_mc_result *r, struct cdg_err *e)
{
	memset(r, 0, sizeof *r);
	struct mc_ctx c;
	int rc = ctx_build(&c, m, in, nominal, s, e);
	size_t d = rc == 0 ? varying(&c, r->factor) : 0;
	if (rc == 0 && (d < 2 || n < 2))
		rc = err_set(e, CDG_EUSAGE,
			     "sensitivity analysis needs N >= 2 and at least "
			     "2 uncertain inputs (has %zu)", d);
	if (rc == 0) {
		size_t total = n * (d + 2);
		r->n_factors = d;
		r->choice = xmalloc(total * sizeof *r->choice);
		uint64_t ka[IDX_F_COUNT], kb[IDX_F_COUNT], kab[IDX_F_COUNT];
		for (size_t j = 0; j < n; j++) {
			/* A and B are replications j and n + j of a plain
			 * uncertainty analysis with the same seed. */
			row_keys(s->seed, j, ka);
			row_keys(s->seed, n + j, kb);
			r->choice[j] = choice_from_keys(&c, ka);
			r->choice[n + j] = choice_from_keys(&c, kb);
			for (size_t i = 0; i < d; i++) {
				memcpy(kab, ka, sizeof ka);
				kab[r->factor[i]] = kb[r->factor[i]];
				r->choice[(2 + i) * n + j] =
					choice_from_keys(&c, kab);
			}
		}
		rc = mc_execute(&c, in, total, 2 * n, r, e);
		if (rc == 0) {
			r->yy = xmalloc(total * sizeof *r->yy);
			idx_rank_change(r->rank, r->nominal_rank, total,
					r->n_units, r->yy);
			idx_sobol(r->yy, n, d, r->si, r->sti);
		}
	}
	ctx_free(&c);
	return rc;
}
