/*
 * index: the composite-indicator engine.  Pure computation on plain arrays:
 * no I/O, no SQL, no global state.  It reproduces the conventions of the R
 * package COINr 1.1.14 (docs/index-engine.md lists every rule and the test
 * files that pin it down) and adds Monte Carlo uncertainty and Sobol
 * sensitivity analysis.
 *
 * Pipeline (idx_run): denominate -> impute -> screen -> treat -> normalise
 * -> aggregate -> rank, each step also callable on its own.
 *
 * Model.  A struct idx_model is a tree of nodes: level 1 nodes are the
 * indicators, every other node is an aggregate (sub-pillar, pillar, index)
 * whose level is one more than its children's.  Hierarchies of any depth up
 * to IDX_MAX_LEVELS work.  Build it with idx_model_init, idx_model_add_node,
 * idx_model_add_unit (or idx_model_from_imeta for COINr iMeta rows), then
 * idx_model_finish, which checks it and derives the indexes below.  The
 * model copies every string it is given into its own arena; idx_model_free
 * releases everything.
 *
 * Data.  struct idx_data holds one year of indicator values: n_rows units
 * by n_cols indicators, column-major (x[k * n_rows + r] is indicator column
 * k of row r), NAN meaning missing.  Column k is the k-th level-1 node in the
 * order nodes were added (model.ind_node[k]).  unit[r] is the model unit of
 * row r, so screening can drop rows.  Score matrices (normalised indicators
 * plus aggregates) have one column per node, in node order, same layout.
 *
 * Errors: functions return 0 or a negative CDG_E* code and fill the
 * caller's struct cdg_err (may be NULL) with a message naming the node,
 * unit or replication concerned.  Memory returned in result structs is
 * owned by the struct and released by its *_free function.
 *
 * Reproducibility: every sum runs in a fixed order, the build has
 * -ffp-contract=off and no -ffast-math, and Monte Carlo replication r draws
 * its random numbers only from a stream keyed by (seed, r), so results are
 * identical bit for bit whatever the number of threads.
 */
#ifndef CDG_INDEX_H
#define CDG_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

#define IDX_MAX_LEVELS 16 /* deepest hierarchy accepted (levels 1..15) */

/* ---- model ------------------------------------------------------------- */

struct idx_node {
	const char *id;    /* unique code (iCode), owned by the model */
	int parent;        /* index of the parent node, -1 for a top node */
	int level;         /* 1 = indicator; parent level = level + 1 */
	double weight;     /* relative weight among its siblings, >= 0 */
	int direction;     /* +1 higher is better, -1 lower is better */
	double target;     /* target/optimum in indicator units, NAN if none */
	double gp_lo;      /* lower goalpost in indicator units, NAN if none */
	double gp_hi;      /* upper goalpost, NAN if none */
	const char *denom; /* denominator name, NULL if none (indicators) */
};

struct idx_unit {
	const char *id;    /* unit code (uCode), owned by the model */
	const char *group; /* group label for group imputation, NULL if none */
};

struct idx_model {
	struct idx_node *nodes; /* n_nodes nodes, in the order added */
	size_t n_nodes;
	struct idx_unit *units; /* n_units units, in the order added */
	size_t n_units;
	/* Derived by idx_model_finish: */
	size_t n_ind;          /* number of indicators (level-1 nodes) */
	int *ind_node;         /* node index of indicator column k */
	int *node_col;         /* indicator column of node i, -1 if aggregate */
	int n_levels;          /* highest level present */
	int *child_start;      /* children of node i: child[child_start[i] ..  */
	int *child;            /*   child_start[i+1]), in node order */
	int *order;            /* aggregate nodes by level then node order */
	size_t n_order;        /* number of aggregate nodes */
	int root;              /* the single top node, or -1 if several */
	int *unit_group;       /* group number of each unit, -1 if none */
	size_t n_groups;       /* distinct group labels */
	bool finished;         /* idx_model_finish succeeded */
	struct arena arena;    /* owns every string and derived array */
	const char **parent_id; /* parent id given for each node */
	size_t cap_nodes;      /* allocated nodes */
	size_t cap_units;      /* allocated units */
};

void idx_model_init(struct idx_model *m);
void idx_model_free(struct idx_model *m);
/* Adds a node; parent is a node id (NULL or "" for a top node), resolved by
 * idx_model_finish so nodes may come in any order.  target, gp_lo, gp_hi
 * may be NAN; denom may be NULL.  Returns the node index. */
int idx_model_add_node(struct idx_model *m, const char *id, const char *parent,
		       int level, double weight, int direction, double target,
		       const char *denom);
/* Sets the goalposts (indicator units, lo < hi) of node i. */
void idx_model_set_goalposts(struct idx_model *m, int i, double lo, double hi);
/* Adds a unit (country); group may be NULL.  Returns the unit index. */
int idx_model_add_unit(struct idx_model *m, const char *id, const char *group);
/* Resolves parents and checks the tree: unique ids, levels 1..IDX_MAX_LEVELS-1,
 * parent level = level + 1, every aggregate has children, every node below
 * the top level has a parent, directions +-1, weights finite and >= 0,
 * unique unit ids.  The error names the offending node. */
int idx_model_finish(struct idx_model *m, struct cdg_err *e);
/* Node index of id, or -1. */
int idx_model_find(const struct idx_model *m, const char *id);
/* Unit index of id, or -1. */
int idx_model_find_unit(const struct idx_model *m, const char *id);

/* One row of a COINr iMeta table, already parsed.  Rows whose level is 0
 * (COINr's Group and Denominator rows, which have no Level) are skipped. */
struct idx_imeta_row {
	int level;          /* Level, 0 if empty */
	const char *icode;  /* iCode */
	const char *parent; /* Parent, NULL or "" for the top */
	double weight;      /* Weight */
	int direction;      /* Direction (+1/-1); 0 means +1 for aggregates */
	double target;      /* Target, NAN if empty */
	const char *denom;  /* Denominator, NULL or "" if none */
};
/* Adds the nodes of n iMeta rows to m (units are added separately). */
int idx_model_from_imeta(struct idx_model *m, const struct idx_imeta_row *rows,
			 size_t n, struct cdg_err *e);

/* ---- data ------------------------------------------------------------- */

struct idx_data {
	size_t n_rows; /* units present */
	size_t n_cols; /* indicator columns (model n_ind) */
	double *x;     /* n_cols * n_rows values, column-major, NAN = missing */
	size_t *unit;  /* model unit index of each row */
};

/* Allocates an n_rows x n_cols matrix of NAN with unit[r] = r. */
void idx_data_init(struct idx_data *d, size_t n_rows, size_t n_cols);
void idx_data_free(struct idx_data *d);
/* Deep copy (dst is initialised by the call). */
void idx_data_copy(struct idx_data *dst, const struct idx_data *src);

/* ---- method ----------------------------------------------------------- */

enum idx_impute_kind {
	IDX_IMPUTE_NONE = 0,     /* leave missing; aggregation re-weights */
	IDX_IMPUTE_MEAN,         /* column mean of the non-missing values */
	IDX_IMPUTE_MEDIAN,       /* column median */
	IDX_IMPUTE_GROUP_MEAN,   /* mean within the unit's group */
	IDX_IMPUTE_GROUP_MEDIAN, /* median within the unit's group */
	IDX_IMPUTE_PREVIOUS,     /* the unit's value in the previous edition */
};

enum idx_screen_kind {
	IDX_SCREEN_NONE = 0,
	IDX_SCREEN_BY_NA,        /* drop units with availability < dat_thresh */
	IDX_SCREEN_BY_ZEROS,     /* drop units with non-zero share < nonzero */
	IDX_SCREEN_BY_NA_ZEROS,  /* drop units failing either rule */
};

struct idx_screen {
	enum idx_screen_kind kind;
	double dat_thresh;     /* minimum fraction of indicators available */
	double nonzero_thresh; /* minimum fraction of non-zero among available */
};

struct idx_treat {
	bool on;            /* apply COINr's default Treat */
	int winmax;         /* most points winsorised per indicator (>= 0) */
	double skew_thresh; /* |skewness| threshold (COINr 2) */
	double kurt_thresh; /* kurtosis threshold (COINr 3.5) */
};

enum idx_norm_kind {
	IDX_NORM_NONE = 0,  /* direction only */
	IDX_NORM_MINMAX,    /* (x-min)/(max-min)*(p2-p1)+p1 */
	IDX_NORM_ZSCORE,    /* (x-mean)/sd*p2+p1, sd with n-1 */
	IDX_NORM_RANK,      /* rank, 1 = lowest, ties take the lowest rank */
	IDX_NORM_PRANK,     /* (rank-1)/(n_available-1) */
	IDX_NORM_BORDA,     /* rank-1 */
	IDX_NORM_FRACMAX,   /* x/max */
	IDX_NORM_DIST2MAX,  /* 1-(max-x)/(max-min) */
	IDX_NORM_DIST2TARG, /* 1-(t-x)/(t-min), t = node target; capped at 1
			       if p1 != 0 */
	IDX_NORM_GOALPOSTS, /* (x-lo)/(hi-lo) censored to [0,1], times 100 */
	IDX_NORM_SDG,       /* goalposts lo = 2.5th percentile, hi = target */
};

struct idx_norm {
	enum idx_norm_kind kind;
	double p1; /* minmax lower bound; zscore mean; dist2targ cap flag */
	double p2; /* minmax upper bound; zscore standard deviation */
};

enum idx_agg_kind {
	IDX_AGG_AMEAN = 0, /* sum(w x)/sum(w) */
	IDX_AGG_GMEAN,     /* exp(sum(w log x)/sum(w)); x <= 0 is an error */
	IDX_AGG_HMEAN,     /* sum(w)/sum(w/x); x <= 0 is an error */
	IDX_AGG_GENMEAN,   /* (sum(w x^p)/sum(w))^(1/p), p != 0; x < 0 error */
};

struct idx_agg {
	enum idx_agg_kind kind;
	double p; /* exponent of the generalised mean */
};

/* The aggregation of each level: lev[L] computes the nodes of level L
 * (L >= 2; lev[0] and lev[1] are unused). */
struct idx_agg_set {
	struct idx_agg lev[IDX_MAX_LEVELS];
};

struct idx_method {
	bool denominate;           /* divide by each node's denominator */
	enum idx_impute_kind impute;
	struct idx_screen screen;
	bool screen_first;         /* screen before imputing (COINr's example
				      screens after) */
	struct idx_treat treat;
	struct idx_norm norm;
	struct idx_agg_set agg;
	double agg_dat_thresh;     /* an aggregate is NA when the fraction of
				      available children is below this (0 off) */
	const double *weights;     /* n_nodes weights, NULL = model weights */
};

/* COINr's defaults: no denomination, imputation or screening; Treat on with
 * winmax 5, thresholds 2 and 3.5; min-max [0,100]; arithmetic means. */
void idx_method_default(struct idx_method *mt);

/* ---- operations --------------------------------------------------------- */

/* Divides each indicator with a denominator by that denominator's value for
 * the row's unit.  denoms is n_denoms columns of m->n_units values
 * (column-major, by model unit), named names[].  NA in either gives NA; a
 * zero denominator or an unknown name is an error. */
int idx_denominate(const struct idx_model *m, struct idx_data *d,
		   const char *const *names, size_t n_denoms,
		   const double *denoms, struct cdg_err *e);

/* Replaces missing values by kind.  Group kinds need unit groups (units
 * without a group are left missing, as are groups with no data); PREVIOUS
 * takes prev, m->n_units rows by n_cols columns (by model unit), whose own
 * missing values stay missing.  Returns the number of cells filled in *n_filled
 * (may be NULL). */
int idx_impute(const struct idx_model *m, struct idx_data *d,
	       enum idx_impute_kind kind, const double *prev,
	       size_t *n_filled, struct cdg_err *e);

/* Data availability of one row, as COINr's Screen reports it. */
struct idx_screen_row {
	size_t n_missing; /* missing indicators */
	size_t n_zero;    /* indicators equal to zero */
	double dat_avail; /* 1 - n_missing/n_cols */
	double nonzero;   /* 1 - n_zero/(n_cols - n_missing) */
	bool included;    /* kept by the rule */
};
/* Computes rows[r] for each row of d (rows may be NULL) and keeps only the
 * included rows in d.  An empty result is an error. */
int idx_screen(struct idx_data *d, const struct idx_screen *s,
	       struct idx_screen_row *rows, struct cdg_err *e);

/* What Treat did to one indicator; NAN where a stage did not run. */
struct idx_treat_info {
	double skew0, kurt0; /* before treatment */
	bool pass0;          /* passed without treatment */
	int nwin;            /* points winsorised (COINr's count), 0 if none */
	double skew1, kurt1; /* after winsorising */
	bool pass1;          /* winsorising was enough */
	bool log;            /* fell back to log_CT on the original column */
	double skew2, kurt2; /* after log_CT */
	bool pass2;          /* log_CT passed the check */
};
enum { IDX_PT_NONE = 0, IDX_PT_WINHI = 1, IDX_PT_WINLO = 2, IDX_PT_LOG = 3 };
/* e1071 type-2 skewness and kurtosis of the non-missing values of x[0..n)
 * (NAN with fewer than 3 resp. 4 values or zero variance). */
double idx_skew(const double *x, size_t n);
double idx_kurt(const double *x, size_t n);
/* COINr's Treat on every column of d, in place.  info (n_cols entries) and
 * points (n_cols * n_rows flags IDX_PT_*, column-major, marking COINr's
 * treated points) may be NULL.  A column with fewer than 4 values is an
 * error naming the indicator; a column with zero variance passes. */
int idx_treat(const struct idx_model *m, struct idx_data *d,
	      const struct idx_treat *t, struct idx_treat_info *info,
	      unsigned char *points, struct cdg_err *e);

/* Multiplies each column by its direction and normalises it into
 * out[k * n_rows + r] (out may not alias d->x).  Zero range, no target
 * (dist2targ, sdg) or no goalposts (goalposts) is an error naming the
 * indicator. */
int idx_normalise(const struct idx_model *m, const struct idx_data *d,
		  const struct idx_norm *nm, double *out, struct cdg_err *e);

/* Aggregates level by level.  score has n_nodes columns of n_rows values;
 * the indicator columns are read and every aggregate column is written.
 * Missing children are dropped and the remaining weights rescaled; a node
 * with no available child (or below dat_thresh) is NA.  weights: n_nodes
 * values or NULL for the model weights.  unit (n_rows, may be NULL) maps
 * rows to model units for error messages. */
int idx_aggregate(const struct idx_model *m, const struct idx_agg_set *agg,
		  const double *weights, double dat_thresh, double *score,
		  size_t n_rows, const size_t *unit, struct cdg_err *e);

/* Ranks x[0..n): rank[i] = 1 + number of values strictly greater (1 =
 * highest, ties share the best rank); NA gets 0. */
void idx_rank(const double *x, size_t n, int *rank);

/* ---- whole pipeline ------------------------------------------------------- */

/* The inputs of one edition, all by model unit. */
struct idx_input {
	const struct idx_data *raw;     /* m->n_units rows, indicator columns */
	const char *const *denom_names; /* n_denoms names */
	size_t n_denoms;
	const double *denoms;           /* n_denoms columns of m->n_units */
	const double *prev;             /* previous edition (as raw), or NULL */
};

struct idx_result {
	struct idx_data data;          /* treated data (what was normalised) */
	struct idx_screen_row *screen; /* per model unit; NULL if no screen */
	struct idx_treat_info *treat;  /* per indicator; NULL if no treat */
	unsigned char *points;         /* treated points, as data.x */
	double *score;                 /* n_nodes x data.n_rows, column-major */
	int *rank;                     /* like score; 0 = NA */
};

/* Runs the whole pipeline.  r is initialised by the call and must be
 * released with idx_result_free even on error. */
int idx_run(const struct idx_model *m, const struct idx_input *in,
	    const struct idx_method *mt, struct idx_result *r,
	    struct cdg_err *e);
void idx_result_free(struct idx_result *r);

/* Runs denominate, impute and screen (in the method's order) into out,
 * which is initialised by the call. */
int idx_prepare(const struct idx_model *m, const struct idx_input *in,
		const struct idx_method *mt, struct idx_data *out,
		struct idx_screen_row *screen, struct cdg_err *e);

/* ---- Monte Carlo uncertainty and sensitivity ------------------------------ */

/* The uncertain choices.  For each choice a count of 0 keeps the nominal
 * method's value; otherwise each replication draws one alternative
 * uniformly.  Weights: n_wsets explicit weight sets (n_wsets x n_nodes,
 * set-major) drawn uniformly, or else each node weight times
 * (1 + f (2u - 1)), u uniform in [0,1), f = wnoise[node level]. */
struct idx_mc_spec {
	size_t n_impute;
	const enum idx_impute_kind *impute;
	size_t n_winmax;
	const int *winmax;
	size_t n_norm;
	const struct idx_norm *norm;
	size_t n_agg;
	const struct idx_agg_set *agg;
	size_t n_wsets;
	const double *wsets;
	double wnoise[IDX_MAX_LEVELS]; /* +- fraction per node level */
	int target;     /* node whose scores are ranked, -1 = model root */
	uint64_t seed;  /* random seed */
	int n_threads;  /* worker threads, >= 1 */
	bool all_nodes; /* also rank every aggregate node in every run and
			   keep its rank statistics (costs a ranking per
			   aggregate and run) */
	/* Progress, or NULL: called with the runs finished so far and the
	 * total, from any worker thread but never two calls at once.  It
	 * only observes; the results do not depend on it. */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
};

/* Uncertain inputs, in this order, as Sobol factors: imputation, winmax,
 * normalisation, weights, aggregation.  Only those that vary count. */
enum { IDX_F_IMPUTE, IDX_F_WINMAX, IDX_F_NORM, IDX_F_WEIGHTS, IDX_F_AGG,
       IDX_F_COUNT };

/* Name of factor f (IDX_F_*): "impute", "winmax", "normalisation",
 * "weights" or "aggregation". */
const char *idx_factor_name(int f);

/* The choice of one replication: an alternative index per choice, and the
 * key of the weight-noise stream (unused with weight sets). */
struct idx_choice {
	uint32_t impute, winmax, norm, wset, agg;
	uint64_t wkey;
};

struct idx_mc_result {
	size_t n_reps;             /* replications run */
	size_t n_units;            /* model units (rows of every vector) */
	int target;                /* node ranked */
	double *nominal;           /* nominal score per unit (NAN if screened) */
	int *nominal_rank;         /* 0 = NA */
	struct idx_choice *choice; /* n_reps choices */
	double *score;             /* n_reps x n_units, replication-major */
	int *rank;                 /* like score, 0 = NA */
	double *rank_mean;         /* per unit over the replications (or over */
	double *rank_median;       /*   the first 2N rows of a Sobol design), */
	double *rank_q5;           /*   type-7 quantiles, NA ranks skipped */
	double *rank_q95;
	/* With all_nodes: rank statistics of every node, node-major
	 * (node_rank_median[i * n_units + u]), over the same runs as the
	 * target's; NAN for indicators and for units never ranked.  The
	 * target's entries equal rank_median etc. */
	size_t n_nodes;            /* model nodes (0 without all_nodes) */
	double *node_rank_median;
	double *node_rank_q5;
	double *node_rank_q95;
	size_t n_factors;          /* Sobol: factors that vary */
	int factor[IDX_F_COUNT];   /* IDX_F_* of each factor */
	double *yy;                /* Sobol: mean |rank - nominal| per run */
	double si[IDX_F_COUNT];    /* first-order indices per factor */
	double sti[IDX_F_COUNT];   /* total indices per factor */
};

/* Uncertainty analysis: n_reps replications, choice of replication r drawn
 * from the stream keyed (seed, r).  Fills scores, ranks and rank stats. */
int idx_mc_run(const struct idx_model *m, const struct idx_input *in,
	       const struct idx_method *nominal, const struct idx_mc_spec *s,
	       size_t n_reps, struct idx_mc_result *r, struct cdg_err *e);
/* Sensitivity analysis with Saltelli's design: N rows of A, N of B, then N
 * rows AB_i per varying factor i (A with column i from B); N (d + 2) runs.
 * Fills everything idx_mc_run does (rank stats over A and B), yy, si, sti. */
int idx_sa_run(const struct idx_model *m, const struct idx_input *in,
	       const struct idx_method *nominal, const struct idx_mc_spec *s,
	       size_t n, struct idx_mc_result *r, struct cdg_err *e);
/* Runs the given choices (for example COINr's recorded parameters) and
 * fills scores, ranks and rank stats over all n runs. */
int idx_mc_replay(const struct idx_model *m, const struct idx_input *in,
		  const struct idx_method *nominal,
		  const struct idx_mc_spec *s, const struct idx_choice *choices,
		  size_t n, struct idx_mc_result *r, struct cdg_err *e);
void idx_mc_result_free(struct idx_mc_result *r);

/* Rank statistics of unit u over reps: mean, median and 5th/95th R type-7
 * quantiles of rank[rep * n_units + u] for rep < n_reps, zeros skipped
 * (NAN if none).  Any output pointer may be NULL. */
void idx_rank_stats(const int *rank, size_t n_reps, size_t n_units,
		    double *mean, double *median, double *q5, double *q95);
/* R type-7 quantile of sorted x[0..n), n >= 1. */
double idx_quantile7(const double *sorted, size_t n, double p);
/* Mean absolute rank change of each run against the nominal ranks, over
 * units ranked in both (COINr's sensitivity output). */
void idx_rank_change(const int *rank, const int *nominal, size_t n_runs,
		     size_t n_units, double *yy);
/* Sobol indices from yy of a Saltelli design (N rows A, N rows B, d blocks
 * of N rows AB_i): V = sample variance of (yA, yB); si[i] =
 * mean(yB (yABi - yA))/V; sti[i] = sum((yA - yABi)^2)/(2 N V). */
void idx_sobol(const double *yy, size_t n, size_t d, double *si,
	       double *sti);

/* ---- random numbers ----------------------------------------------------- */

/* xoshiro256** state; a stream is seeded from a 64-bit key by SplitMix64. */
struct idx_rng {
	uint64_t s[4];
};
/* Key of the stream for (seed, a, b): SplitMix64 finalisers chained. */
uint64_t idx_rng_key(uint64_t seed, uint64_t a, uint64_t b);
void idx_rng_seed(struct idx_rng *g, uint64_t key);
uint64_t idx_rng_next(struct idx_rng *g);
/* Uniform double in [0,1) with 53 random bits. */
double idx_rng_unif(struct idx_rng *g);

#endif
