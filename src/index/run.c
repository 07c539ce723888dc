/* index: the whole pipeline for one edition. */
#include "index/index_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int idx_prepare(const struct idx_model *m, const struct idx_input *in,
		const struct idx_method *mt, struct idx_data *out,
		struct idx_screen_row *screen, struct cdg_err *e)
{
	memset(out, 0, sizeof *out);
	if (!m->finished)
		return err_set(e, CDG_EUSAGE, "model not finished");
	const struct idx_data *raw = in->raw;
	if (!raw || raw->n_rows != m->n_units || raw->n_cols != m->n_ind)
		return err_set(e, CDG_EUSAGE,
			       "raw data must be %zu units x %zu indicators",
			       m->n_units, m->n_ind);
	idx_data_copy(out, raw);
	for (size_t r = 0; r < out->n_rows; r++)
		out->unit[r] = r;
	int rc = 0;
	if (mt->denominate)
		rc = idx_denominate(m, out, in->denom_names, in->n_denoms,
				    in->denoms, e);
	bool screening = mt->screen.kind != IDX_SCREEN_NONE;
	if (rc == 0 && screening && mt->screen_first)
		rc = idx_screen(out, &mt->screen, screen, e);
	if (rc == 0)
		rc = idx_impute(m, out, mt->impute, in->prev, NULL, e);
	if (rc == 0 && screening && !mt->screen_first)
		rc = idx_screen(out, &mt->screen, screen, e);
	return rc;
}

void idx_result_free(struct idx_result *r)
{
	idx_data_free(&r->data);
	free(r->screen);
	free(r->treat);
	free(r->points);
	free(r->score);
	free(r->rank);
	memset(r, 0, sizeof *r);
}

int idx_run(const struct idx_model *m, const struct idx_input *in,
	    const struct idx_method *mt, struct idx_result *r,
	    struct cdg_err *e)
{
	memset(r, 0, sizeof *r);
	if (mt->screen.kind != IDX_SCREEN_NONE)
		r->screen = xcalloc(m->n_units ? m->n_units : 1,
				    sizeof *r->screen);
	int rc = idx_prepare(m, in, mt, &r->data, r->screen, e);
	if (rc < 0)
		return rc;
	size_t nr = r->data.n_rows, nk = m->n_ind;
	if (mt->treat.on) {
		r->treat = xcalloc(nk, sizeof *r->treat);
		r->points = xcalloc(ix_n1(nk * nr), 1);
		rc = idx_treat(m, &r->data, &mt->treat, r->treat, r->points, e);
		if (rc < 0)
			return rc;
	}
	double *norm = xmalloc(ix_n1(nk * nr) * sizeof *norm);
	rc = idx_normalise(m, &r->data, &mt->norm, norm, e);
	r->score = xmalloc(ix_n1(m->n_nodes * nr) *
			   sizeof *r->score);
	for (size_t k = 0; k < nk; k++)
		memcpy(r->score + (size_t)m->ind_node[k] * nr, norm + k * nr,
		       nr * sizeof *norm);
	free(norm);
	if (rc < 0)
		return rc;
	rc = idx_aggregate(m, &mt->agg, mt->weights, mt->agg_dat_thresh,
			   r->score, nr, r->data.unit, e);
	if (rc < 0)
		return rc;
	r->rank = xmalloc(ix_n1(m->n_nodes * nr) *
			  sizeof *r->rank);
	for (size_t i = 0; i < m->n_nodes; i++)
		idx_rank(r->score + i * nr, nr, r->rank + i * nr);
	return 0;
}
