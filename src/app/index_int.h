/* Inside the index use cases (app/index*.c), not for other modules: a job
 * is one computation of the index (model, data, methodology, nominal
 * results and the uncertainty analyses), used by `cdg index run`
 * (index_run.c) and by the annual editions (index.c); the job itself is
 * index_job.c. */
#ifndef CDG_APP_INDEX_INT_H
#define CDG_APP_INDEX_INT_H

#include "app/app.h"
#include "formats/formats.h"
#include "index/index.h"
#include "store/store.h"

struct job {
	struct meth meth;           /* parsed methodology (if any) */
	bool has_meth;
	struct idx_model m;         /* the tree and the units */
	struct idx_method mt;       /* the pipeline */
	struct idx_data raw;        /* units x indicators */
	const char **denom_names;   /* denominators, by name */
	size_t n_denoms;
	double *denoms;             /* n_denoms columns of m.n_units */
	double *weights;            /* --weights: n_nodes weights, or NULL */
	struct idx_result res;      /* nominal results */
	bool has_res;
	struct idx_mc_result mc;    /* Monte Carlo, if run */
	bool has_mc;
	struct idx_mc_result sa;    /* Sobol design, if run */
	bool has_sa;
	struct arena ar;            /* strings of the job */
};

void ixjob_init(struct job *j);
void ixjob_free(struct job *j);
/* Reads and parses the methodology file into j->meth and j->mt. */
int ixjob_load_meth(struct job *j, const char *path, struct cdg_err *e);
/* Adds the methodology's nodes to the model. */
void ixjob_model_from_meth(struct job *j);
/* n, or 1 when n is 0 (allocation sizes). */
size_t ixjob_n1(size_t n);
/* The analysis whose rank intervals are reported, or NULL. */
const struct idx_mc_result *ixjob_intervals(const struct job *j);
/* Runs the pipeline, then reps Monte Carlo replications and a Sobol design
 * of base size sobol (either may be 0); times in ms if asked. */
int ixjob_run(struct job *j, const struct idx_mc_spec *s, size_t reps,
	      size_t sobol, double *ms_run, double *ms_mc, struct cdg_err *e);
/* The result of model unit u on node `node`, with its rank interval. */
void ixjob_result(const struct job *j, size_t u, size_t node,
		  struct store_index_result *out);
/* The uncertainty set-up for reps_flag replications (0: none) and a Sobol
 * design of sobol_flag (0: none) from the methodology's "uncertainty"
 * section; a usage error if asked for without one. */
int ixjob_mc_spec(struct job *j, long reps_flag, long sobol_flag,
		  bool has_seed, uint64_t seed, int threads,
		  struct idx_mc_spec *s, size_t *reps, struct cdg_err *e);
/* The Sobol indices of j->sa into out (zeroed when none were run). */
void ixjob_sensitivity(const struct job *j, struct app_index_sensitivity *out);

#endif
