/*
 * index_int.h: helpers shared by the index module's own files (not part of
 * its interface; other modules include index.h only).
 */
#ifndef CDG_INDEX_INT_H
#define CDG_INDEX_INT_H

#include "index/index.h"

/* n, or 1 when n is 0, so that allocations never ask for 0 bytes. */
static inline size_t ix_n1(size_t n)
{
	return n ? n : 1;
}
/* Sorts x[0..n) ascending (no NaN allowed). */
void ix_sort(double *x, size_t n);
/* Median of sorted s[0..n), n >= 1: the middle value or the mean of the
 * two middle values, as R's median. */
double ix_median_sorted(const double *s, size_t n);
/* Copies the non-missing values of x[0..n) into out; returns how many. */
size_t ix_present(const double *x, size_t n, double *out);
/* Mean of the non-missing values of x[0..n), NAN if none. */
double ix_mean(const double *x, size_t n);
/* Id of the model unit of row r (for messages). */
const char *ix_unit_id(const struct idx_model *m, const size_t *unit,
		       size_t r);

/* A value and its position, for ranking. */
struct ix_ranked {
	double v;
	size_t i;
};
/* Ranks x[0..n) with ties taking the best rank; descending: 1 = highest,
 * else 1 = lowest.  NA gets 0.  tmp has room for 2 n entries. */
void ix_rank(const double *x, size_t n, bool descending, int *rank,
	     struct ix_ranked *tmp);

/* Aggregation over columns addressed by pointer, so that Monte Carlo
 * workers can read shared indicator columns and write private aggregate
 * columns. */
struct ix_agg_ctx {
	const struct idx_agg_set *agg; /* aggregation per level */
	const double *weights;         /* n_nodes weights */
	double dat_thresh;             /* minimum fraction of children */
	size_t n_rows;                 /* rows of every column */
	const size_t *unit;            /* model unit of each row (messages) */
	double **col;                  /* column of each node */
	const double *const *logcol;   /* log of col[i] where known (NULL, or
					  NULL entries): spares the geometric
					  mean a log per value */
	int min_level, max_level;      /* only nodes of these levels */
	double *wsum;                  /* scratch, n_rows */
	double *navail;                /* scratch, n_rows */
};
/* Computes the aggregate columns of levels min_level..max_level, level by
 * level. */
int ix_aggregate_cols(const struct idx_model *m, const struct ix_agg_ctx *c,
		      struct cdg_err *e);

#endif
