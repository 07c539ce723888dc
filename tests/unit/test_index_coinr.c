/* Golden tests for index/ against COINr 1.1.14's outputs for its ASEM
 * example (../shared/testdata/coinr, see its README.md).  Every value is
 * compared with tolerance TOL, absolute, or relative to the expected value
 * when that exceeds 1 in magnitude; missing must match missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"
#include "index/index.h"

#define TOL 1e-9

/* ---- CSV tables ------------------------------------------------------------- */

/* A CSV file as text cells and numbers (NAN when empty or not a number;
 * TRUE/FALSE read as 1/0).  Row keys are the first column. */
struct gold {
	size_t nr, nc;  /* data rows, columns including the key column */
	char **col;     /* nc names */
	char **cell;    /* nr * nc strings, row-major */
	double *v;      /* nr * nc numbers */
};

static void gold_load(struct gold *t, const char *name)
{
	const char *root = getenv("CDG_SHARED");
	assert_non_null(root);
	char path[1024];
	snprintf(path, sizeof path, "%s/testdata/coinr/%s", root, name);
	struct buf b = BUF_INIT;
	struct cdg_err e;
	assert_int_equal(file_read_all(path, &b, &e), 0);
	struct csv c;
	csv_open(&c, name, b.p, b.len);
	assert_int_equal(csv_read_header(&c, &e), 0);
	memset(t, 0, sizeof *t);
	t->nc = c.ncols;
	t->col = xcalloc(t->nc, sizeof *t->col);
	for (size_t j = 0; j < t->nc; j++)
		t->col[j] = xstrdup(c.cols[j]);
	size_t cap = 0;
	int rc;
	while ((rc = csv_next(&c, &e)) == 1) {
		if (t->nr == cap) {
			cap = cap ? 2 * cap : 64;
			t->cell = xrealloc(t->cell, cap * t->nc * sizeof *t->cell);
			t->v = xrealloc(t->v, cap * t->nc * sizeof *t->v);
		}
		for (size_t j = 0; j < t->nc; j++) {
			const char *f = csv_field(&c, j);
			size_t k = t->nr * t->nc + j;
			t->cell[k] = xstrdup(f);
			double d = NAN;
			if (strcmp(f, "TRUE") == 0)
				d = 1;
			else if (strcmp(f, "FALSE") == 0)
				d = 0;
			else if (strcmp(f, "Inf") == 0)
				d = INFINITY;
			else if (strcmp(f, "-Inf") == 0)
				d = -INFINITY;
			else if (f[0] && parse_double(f, &d) < 0)
				d = NAN;
			t->v[k] = d;
		}
		t->nr++;
	}
	assert_int_equal(rc, 0);
	csv_close(&c);
	buf_free(&b);
}

static void gold_free(struct gold *t)
{
	for (size_t j = 0; j < t->nc; j++)
		free(t->col[j]);
	for (size_t i = 0; i < t->nr * t->nc; i++)
		free(t->cell[i]);
	free(t->col);
	free(t->cell);
	free(t->v);
}

static long gold_col(const struct gold *t, const char *name)
{
	for (size_t j = 0; j < t->nc; j++)
		if (strcmp(t->col[j], name) == 0)
			return (long)j;
	return -1;
}

static double gold_at(const struct gold *t, size_t i, const char *col)
{
	long j = gold_col(t, col);
	assert_true(j >= 0);
	return t->v[i * t->nc + (size_t)j];
}

/* Error of got against want: NAN if exactly one is missing. */
static double err_of(double got, double want)
{
	if (isnan(got) || isnan(want))
		return isnan(got) && isnan(want) ? 0 : NAN;
	double d = fabs(got - want);
	return fabs(want) > 1 ? d / fabs(want) : d;
}

/* Tracks the worst error of a comparison and reports the first failure. */
struct cmp {
	const char *file;
	double max;    /* worst error as TOL measures it */
	size_t n;      /* values compared */
	bool bad;      /* a value was out of tolerance */
	double maxabs; /* worst absolute difference */
};

static void cmp_value(struct cmp *c, double got, double want, const char *row,
		      const char *col)
{
	double d = err_of(got, want);
	c->n++;
	if (!(d <= TOL)) {
		if (!c->bad)
			print_error("%s: %s/%s: got %.17g, want %.17g\n",
				    c->file, row, col, got, want);
		c->bad = true;
		return;
	}
	if (d > c->max)
		c->max = d;
	if (!isnan(got) && fabs(got - want) > c->maxabs)
		c->maxabs = fabs(got - want);
}

static void cmp_end(struct cmp *c)
{
	print_message("  %-40s %6zu values, max error %.3g (abs %.3g)\n",
		      c->file, c->n, c->max, c->maxabs);
	assert_false(c->bad);
	assert_true(c->n > 0);
}

/* ---- the ASEM fixture -------------------------------------------------------- */

struct asem {
	struct idx_model m;
	struct idx_data raw;
	const char *denom_names[4];
	double *denoms;
	struct idx_input in;
	struct idx_method std;      /* build_example_coin() */
	struct idx_result std_res;  /* its results */
	struct idx_data screened;   /* the Screened set */
};

static struct asem A;

static void load_model(struct idx_model *m)
{
	struct gold t;
	gold_load(&t, "asem_iMeta.csv");
	struct idx_imeta_row *rows = xcalloc(t.nr, sizeof *rows);
	for (size_t i = 0; i < t.nr; i++) {
		const char *const *cell = (const char *const *)t.cell + i * t.nc;
		double lev = gold_at(&t, i, "Level");
		rows[i].level = isnan(lev) ? 0 : (int)lev;
		rows[i].icode = cell[gold_col(&t, "iCode")];
		rows[i].parent = cell[gold_col(&t, "Parent")];
		rows[i].weight = gold_at(&t, i, "Weight");
		double dir = gold_at(&t, i, "Direction");
		rows[i].direction = isnan(dir) ? 0 : (int)dir;
		rows[i].target = gold_at(&t, i, "Target");
		rows[i].denom = cell[gold_col(&t, "Denominator")];
	}
	assert_int_equal(idx_model_from_imeta(m, rows, t.nr, NULL), 0);
	free(rows);
	gold_free(&t);
}

static int setup(void **state)
{
	(void)state;
	struct idx_model *m = &A.m;
	idx_model_init(m);
	load_model(m);
	struct gold d;
	gold_load(&d, "asem_iData.csv");
	long ucode = gold_col(&d, "uCode"), grp = gold_col(&d, "EurAsia_group");
	for (size_t i = 0; i < d.nr; i++)
		idx_model_add_unit(m, d.cell[i * d.nc + (size_t)ucode],
				   d.cell[i * d.nc + (size_t)grp]);
	struct cdg_err e;
	if (idx_model_finish(m, &e) < 0) {
		print_error("%s\n", e.msg);
		return -1;
	}
	idx_data_init(&A.raw, m->n_units, m->n_ind);
	for (size_t k = 0; k < m->n_ind; k++)
		for (size_t u = 0; u < m->n_units; u++)
			A.raw.x[k * m->n_units + u] =
				gold_at(&d, u, m->nodes[m->ind_node[k]].id);
	static const char *dn[] = {"Area", "Energy", "GDP", "Population"};
	A.denoms = xmalloc(4 * m->n_units * sizeof *A.denoms);
	for (size_t j = 0; j < 4; j++) {
		A.denom_names[j] = dn[j];
		for (size_t u = 0; u < m->n_units; u++)
			A.denoms[j * m->n_units + u] = gold_at(&d, u, dn[j]);
	}
	gold_free(&d);
	A.in = (struct idx_input){.raw = &A.raw, .denom_names = A.denom_names,
				  .n_denoms = 4, .denoms = A.denoms};
	/* Denominate -> impute by EurAsia group mean -> screen (>= 90% data)
	 * -> treat (winmax 5) -> min-max [0,100] -> arithmetic mean. */
	idx_method_default(&A.std);
	A.std.denominate = true;
	A.std.impute = IDX_IMPUTE_GROUP_MEAN;
	A.std.screen = (struct idx_screen){IDX_SCREEN_BY_NA, 0.9, 0.05};
	if (idx_run(m, &A.in, &A.std, &A.std_res, &e) < 0 ||
	    idx_prepare(m, &A.in, &A.std, &A.screened, NULL, &e) < 0) {
		print_error("%s\n", e.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	idx_result_free(&A.std_res);
	idx_data_free(&A.screened);
	idx_data_free(&A.raw);
	free(A.denoms);
	idx_model_free(&A.m);
	return 0;
}

/* Row of data whose unit is uCode, or -1. */
static long row_of(const size_t *unit, size_t n_rows, const char *ucode)
{
	int u = idx_model_find_unit(&A.m, ucode);
	for (size_t r = 0; r < n_rows; r++)
		if ((int)unit[r] == u)
			return (long)r;
	return -1;
}

/* Compares every numeric column of file that names a node with mat:
 * by_node (n_nodes columns) or by indicator column, n_rows rows mapped to
 * units by unit (NULL: row = unit).  The file must have exactly n_rows
 * rows. */
static void compare_matrix(const char *file, const double *mat, bool by_node,
			   size_t n_rows, const size_t *unit)
{
	struct gold t;
	gold_load(&t, file);
	struct cmp c = {file, 0, 0, false, 0};
	assert_int_equal(t.nr, n_rows);
	size_t *ident = NULL;
	if (!unit) {
		ident = xmalloc(n_rows * sizeof *ident);
		for (size_t r = 0; r < n_rows; r++)
			ident[r] = r;
		unit = ident;
	}
	long ucol = gold_col(&t, "uCode");
	assert_true(ucol >= 0);
	for (size_t i = 0; i < t.nr; i++) {
		const char *uc = t.cell[i * t.nc + (size_t)ucol];
		long r = row_of(unit, n_rows, uc);
		assert_true(r >= 0);
		for (size_t j = 0; j < t.nc; j++) {
			int node = idx_model_find(&A.m, t.col[j]);
			if (node < 0)
				continue;
			long col = by_node ? node : A.m.node_col[node];
			if (col < 0)
				continue;
			cmp_value(&c, mat[(size_t)col * n_rows + (size_t)r],
				  t.v[i * t.nc + j], uc, t.col[j]);
		}
	}
	free(ident);
	gold_free(&t);
	cmp_end(&c);
}

static void compare_data(const char *file, const struct idx_data *d)
{
	compare_matrix(file, d->x, false, d->n_rows, d->unit);
}

/* ---- the standard example, step by step ---------------------------------- */

static void prepared(struct idx_data *d, bool denom, enum idx_impute_kind imp,
		     bool screen)
{
	struct idx_method mt = A.std;
	mt.denominate = denom;
	mt.impute = imp;
	if (!screen)
		mt.screen.kind = IDX_SCREEN_NONE;
	assert_int_equal(idx_prepare(&A.m, &A.in, &mt, d, NULL, NULL), 0);
}

static void example_denominate_impute_screen(void **state)
{
	(void)state;
	struct idx_data d;
	compare_data("asem_example_raw.csv", &A.raw);
	prepared(&d, true, IDX_IMPUTE_NONE, false);
	compare_data("asem_example_denominated.csv", &d);
	idx_data_free(&d);
	prepared(&d, true, IDX_IMPUTE_GROUP_MEAN, false);
	compare_data("asem_example_imputed.csv", &d);
	idx_data_free(&d);
	compare_data("asem_example_screened.csv", &A.screened);

	/* Screening summary per unit. */
	struct gold t;
	gold_load(&t, "asem_example_screen_summary.csv");
	struct cmp c = {"asem_example_screen_summary.csv", 0, 0, false, 0};
	for (size_t i = 0; i < t.nr; i++) {
		int u = idx_model_find_unit(&A.m, t.cell[i * t.nc]);
		assert_true(u >= 0);
		const struct idx_screen_row *s = &A.std_res.screen[u];
		const char *uc = t.cell[i * t.nc];
		cmp_value(&c, (double)s->n_missing, gold_at(&t, i, "N_missing"),
			  uc, "N_missing");
		cmp_value(&c, (double)s->n_zero, gold_at(&t, i, "N_zero"), uc,
			  "N_zero");
		cmp_value(&c, s->dat_avail, gold_at(&t, i, "Dat_Avail"), uc,
			  "Dat_Avail");
		cmp_value(&c, s->nonzero, gold_at(&t, i, "Non_Zero"), uc,
			  "Non_Zero");
		cmp_value(&c, s->included, gold_at(&t, i, "Included"), uc,
			  "Included");
	}
	gold_free(&t);
	cmp_end(&c);
}

static void example_treat_with_details(void **state)
{
	(void)state;
	const struct idx_result *r = &A.std_res;
	compare_data("asem_example_treated.csv", &r->data);

	struct gold t;
	gold_load(&t, "asem_example_treat_details.csv");
	struct cmp c = {"asem_example_treat_details.csv", 0, 0, false, 0};
	assert_int_equal(t.nr, A.m.n_ind);
	for (size_t i = 0; i < t.nr; i++) {
		const char *ic = t.cell[i * t.nc];
		int k = A.m.node_col[idx_model_find(&A.m, ic)];
		const struct idx_treat_info *ti = &r->treat[k];
		cmp_value(&c, ti->pass0, gold_at(&t, i, "check_SkewKurt0.Pass"),
			  ic, "Pass0");
		cmp_value(&c, ti->skew0, gold_at(&t, i, "check_SkewKurt0.Skew"),
			  ic, "Skew0");
		cmp_value(&c, ti->kurt0, gold_at(&t, i, "check_SkewKurt0.Kurt"),
			  ic, "Kurt0");
		double nwin = gold_at(&t, i, "winsorise.nwin");
		cmp_value(&c, ti->pass0 ? NAN : (double)ti->nwin, nwin, ic, "nwin");
		if (ti->pass0)
			continue;
		cmp_value(&c, ti->pass1, gold_at(&t, i, "check_SkewKurt1.Pass"),
			  ic, "Pass1");
		cmp_value(&c, ti->skew1, gold_at(&t, i, "check_SkewKurt1.Skew"),
			  ic, "Skew1");
		cmp_value(&c, ti->kurt1, gold_at(&t, i, "check_SkewKurt1.Kurt"),
			  ic, "Kurt1");
		assert_false(ti->log);
	}
	gold_free(&t);
	cmp_end(&c);

	/* Which cells were winsorised, and on which side. */
	gold_load(&t, "asem_example_treated_points.csv");
	struct cmp p = {"asem_example_treated_points.csv", 0, 0, false, 0};
	size_t nr = r->data.n_rows;
	for (size_t i = 0; i < t.nr; i++) {
		const char *uc = t.cell[i * t.nc];
		long row = row_of(r->data.unit, nr, uc);
		assert_true(row >= 0);
		for (size_t j = 1; j < t.nc; j++) {
			int k = A.m.node_col[idx_model_find(&A.m, t.col[j])];
			const char *want = t.cell[i * t.nc + j];
			unsigned char pt = r->points[(size_t)k * nr + (size_t)row];
			const char *got = pt == IDX_PT_WINHI   ? "winhi"
					  : pt == IDX_PT_WINLO ? "winlo"
					  : pt == IDX_PT_LOG   ? "log_CT"
							       : "";
			cmp_value(&p, strcmp(got, want) == 0 ? 0 : 1, 0, uc,
				  t.col[j]);
		}
	}
	gold_free(&t);
	cmp_end(&p);
}

static void example_normalise_aggregate_rank(void **state)
{
	(void)state;
	const struct idx_result *r = &A.std_res;
	size_t nr = r->data.n_rows;
	compare_matrix("asem_example_normalised.csv", r->score, true, nr,
		       r->data.unit);
	compare_matrix("asem_example_aggregated.csv", r->score, true, nr,
		       r->data.unit);
	double *rk = xmalloc(A.m.n_nodes * nr * sizeof *rk);
	for (size_t i = 0; i < A.m.n_nodes * nr; i++)
		rk[i] = r->rank[i] ? (double)r->rank[i] : NAN;
	compare_matrix("asem_example_ranks.csv", rk, true, nr, r->data.unit);

	/* The results table: every score and the Index rank, sorted. */
	struct gold t;
	gold_load(&t, "asem_example_results_full.csv");
	struct cmp c = {"asem_example_results_full.csv (Rank)", 0, 0, false, 0};
	for (size_t i = 0; i < t.nr; i++) {
		const char *uc = t.cell[i * t.nc];
		long row = row_of(r->data.unit, nr, uc);
		cmp_value(&c, rk[(size_t)A.m.root * nr + (size_t)row],
			  gold_at(&t, i, "Rank"), uc, "Rank");
	}
	gold_free(&t);
	cmp_end(&c);
	free(rk);
	compare_matrix("asem_example_results_full.csv", r->score, true, nr,
		       r->data.unit);
}

/* ---- single-operation variants ----------------------------------------------- */

/* COINr's x/max gives Inf and NaN (0/0) where the direction-adjusted
 * maximum is 0; the engine refuses those columns instead.  The others must
 * match: they are checked with the refused columns replaced by 1..n. */
static void fracmax_refuses_zero_maximum(const struct idx_data *d)
{
	const char *file = "variant_norm_fracmax.csv";
	struct gold t;
	gold_load(&t, file);
	struct idx_data c;
	idx_data_copy(&c, d);
	size_t refused = 0;
	for (size_t j = 1; j < t.nc; j++) {
		bool inf = false;
		for (size_t i = 0; i < t.nr; i++)
			inf |= isinf(t.v[i * t.nc + j]) != 0;
		if (!inf)
			continue;
		int k = A.m.node_col[idx_model_find(&A.m, t.col[j])];
		for (size_t r = 0; r < c.n_rows; r++)
			c.x[(size_t)k * c.n_rows + r] = (double)r + 1;
		/* Mark the expected column as "no expectation". */
		for (size_t i = 0; i < t.nr; i++)
			t.v[i * t.nc + j] = NAN;
		refused++;
	}
	assert_true(refused > 0);
	struct idx_norm nm = {IDX_NORM_FRACMAX, 0, 0};
	struct cdg_err e;
	double *out = xmalloc(d->n_rows * d->n_cols * sizeof *out);
	assert_int_equal(idx_normalise(&A.m, d, &nm, out, &e), CDG_EINPUT);
	assert_non_null(strstr(e.msg, "fracmax"));
	assert_int_equal(idx_normalise(&A.m, &c, &nm, out, NULL), 0);
	struct cmp cm = {file, 0, 0, false, 0};
	for (size_t i = 0; i < t.nr; i++) {
		const char *uc = t.cell[i * t.nc];
		long r = row_of(c.unit, c.n_rows, uc);
		for (size_t j = 1; j < t.nc; j++) {
			double want = t.v[i * t.nc + j];
			int k = A.m.node_col[idx_model_find(&A.m, t.col[j])];
			if (isnan(want) && !isnan(d->x[(size_t)k * c.n_rows +
						      (size_t)r]))
				continue; /* a refused column */
			cmp_value(&cm, out[(size_t)k * c.n_rows + (size_t)r],
				  want, uc, t.col[j]);
		}
	}
	print_message("  (%zu columns with maximum 0 refused)\n", refused);
	cmp_end(&cm);
	free(out);
	idx_data_free(&c);
	gold_free(&t);
}

static void variant_normalisations(void **state)
{
	(void)state;
	struct {
		const char *file;
		struct idx_norm nm;
	} v[] = {
		{"variant_norm_minmax_0_100.csv", {IDX_NORM_MINMAX, 0, 100}},
		{"variant_norm_minmax_1_100.csv", {IDX_NORM_MINMAX, 1, 100}},
		{"variant_norm_zscore_0_1.csv", {IDX_NORM_ZSCORE, 0, 1}},
		{"variant_norm_zscore_10_2.csv", {IDX_NORM_ZSCORE, 10, 2}},
		{"variant_norm_rank_min.csv", {IDX_NORM_RANK, 0, 0}},
		{"variant_norm_prank_min.csv", {IDX_NORM_PRANK, 0, 0}},
		{"variant_norm_borda_min.csv", {IDX_NORM_BORDA, 0, 0}},
		{"variant_norm_dist2max.csv", {IDX_NORM_DIST2MAX, 0, 0}},
		{"variant_norm_dist2targ_iMeta.csv", {IDX_NORM_DIST2TARG, 0, 0}},
	};
	const struct idx_data *d = &A.std_res.data;
	double *out = xmalloc(d->n_rows * d->n_cols * sizeof *out);
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		assert_int_equal(idx_normalise(&A.m, d, &v[i].nm, out, NULL), 0);
		compare_matrix(v[i].file, out, false, d->n_rows, d->unit);
	}
	free(out);
	fracmax_refuses_zero_maximum(d);
}

/* Scores of the treated set normalised min-max [1,100], aggregated. */
static void aggregate_variant(const char *file, const struct idx_agg_set *agg,
			      const double *weights)
{
	const struct idx_data *d = &A.std_res.data;
	size_t nr = d->n_rows;
	double *s = xmalloc(A.m.n_nodes * nr * sizeof *s);
	double *out = xmalloc(d->n_cols * nr * sizeof *out);
	struct idx_norm nm = {IDX_NORM_MINMAX, 1, 100};
	assert_int_equal(idx_normalise(&A.m, d, &nm, out, NULL), 0);
	for (size_t k = 0; k < d->n_cols; k++)
		memcpy(s + (size_t)A.m.ind_node[k] * nr, out + k * nr,
		       nr * sizeof *s);
	assert_int_equal(idx_aggregate(&A.m, agg, weights, 0, s, nr, d->unit,
				       NULL), 0);
	compare_matrix(file, s, true, nr, d->unit);
	free(s);
	free(out);
}

/* Reads a weight table (iCode, Level, Weight) into node order; set > 0
 * selects rows of that set in a file with a "set" column. */
static void load_weights(const struct gold *t, long set, double *w)
{
	for (size_t i = 0; i < A.m.n_nodes; i++)
		w[i] = NAN;
	long ic = gold_col(t, "iCode");
	for (size_t i = 0; i < t->nr; i++) {
		if (set > 0 && gold_at(t, i, "set") != (double)set)
			continue;
		int n = idx_model_find(&A.m, t->cell[i * t->nc + (size_t)ic]);
		assert_true(n >= 0);
		w[n] = gold_at(t, i, "Weight");
	}
	for (size_t i = 0; i < A.m.n_nodes; i++) {
		bool have = !isnan(w[i]);
		assert_true(have);
	}
}

static void variant_aggregations_and_weights(void **state)
{
	(void)state;
	struct idx_agg_set agg = {0};
	aggregate_variant("variant_agg_amean.csv", &agg, NULL);
	for (int l = 2; l <= 4; l++)
		agg.lev[l].kind = IDX_AGG_GMEAN;
	aggregate_variant("variant_agg_gmean.csv", &agg, NULL);
	for (int l = 2; l <= 4; l++)
		agg.lev[l].kind = IDX_AGG_HMEAN;
	aggregate_variant("variant_agg_hmean.csv", &agg, NULL);
	for (int l = 2; l <= 4; l++)
		agg.lev[l] = (struct idx_agg){IDX_AGG_GENMEAN, 2};
	aggregate_variant("variant_agg_genmean_p2.csv", &agg, NULL);
	agg.lev[2].kind = IDX_AGG_AMEAN;
	agg.lev[3].kind = IDX_AGG_GMEAN;
	agg.lev[4].kind = IDX_AGG_HMEAN;
	aggregate_variant("variant_agg_mixed_amean_gmean_hmean.csv", &agg, NULL);

	struct gold t;
	gold_load(&t, "variant_weights_alt.csv");
	double *w = xmalloc(A.m.n_nodes * sizeof *w);
	load_weights(&t, 0, w);
	memset(&agg, 0, sizeof agg);
	aggregate_variant("variant_agg_amean_weights_alt.csv", &agg, w);
	free(w);
	gold_free(&t);
}

static void variant_imputations(void **state)
{
	(void)state;
	struct {
		const char *file;
		enum idx_impute_kind kind;
	} v[] = {
		{"variant_impute_mean.csv", IDX_IMPUTE_MEAN},
		{"variant_impute_median.csv", IDX_IMPUTE_MEDIAN},
		{"variant_impute_mean_grp_EurAsia.csv", IDX_IMPUTE_GROUP_MEAN},
		{"variant_impute_median_grp_EurAsia.csv",
		 IDX_IMPUTE_GROUP_MEDIAN},
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		struct idx_data d;
		prepared(&d, true, v[i].kind, false);
		compare_data(v[i].file, &d);
		idx_data_free(&d);
	}
}

static void variant_raw_path_keeps_missing(void **state)
{
	(void)state;
	/* Raw -> min-max [0,100] -> arithmetic mean, nothing else. */
	struct idx_method mt;
	idx_method_default(&mt);
	mt.treat.on = false;
	struct idx_result r;
	assert_int_equal(idx_run(&A.m, &A.in, &mt, &r, NULL), 0);
	compare_matrix("variant_rawpath_normalised.csv", r.score, true,
		       r.data.n_rows, r.data.unit);
	compare_matrix("variant_rawpath_aggregated.csv", r.score, true,
		       r.data.n_rows, r.data.unit);
	idx_result_free(&r);
}

static void variant_treat_winmax(void **state)
{
	(void)state;
	for (int w = 1; w <= 5; w++) {
		struct idx_data d;
		idx_data_copy(&d, &A.screened);
		struct idx_treat t = A.std.treat;
		t.winmax = w;
		struct idx_treat_info *info = xcalloc(d.n_cols, sizeof *info);
		assert_int_equal(idx_treat(&A.m, &d, &t, info, NULL, NULL), 0);
		char file[64];
		snprintf(file, sizeof file, "variant_treat_winmax%d.csv", w);
		compare_data(file, &d);
		size_t logs = 0;
		for (size_t k = 0; k < d.n_cols; k++)
			logs += info[k].log;
		/* README: winmax 1-3 make some indicators fall back to log. */
		assert_true(w <= 3 ? logs > 0 : logs == 0);
		free(info);
		idx_data_free(&d);
	}
}

/* ---- uncertainty and sensitivity replays ---------------------------------- */

static const int ua_winmax[] = {1, 2, 3, 4, 5};
static const struct idx_norm ua_norm[] = {{IDX_NORM_MINMAX, 1, 100},
					  {IDX_NORM_ZSCORE, 10, 2}};

/* The vignette's set-up: winmax 1..5, two normalisations, 100 noisy weight
 * sets, amean or gmean at every level. */
static void ua_spec(struct idx_mc_spec *s, struct idx_agg_set *aggs,
		    double **wsets)
{
	memset(aggs, 0, 2 * sizeof *aggs);
	for (int l = 2; l <= 4; l++)
		aggs[1].lev[l].kind = IDX_AGG_GMEAN;
	struct gold t;
	gold_load(&t, "ua_noisy_weight_sets.csv");
	*wsets = xmalloc(100 * A.m.n_nodes * sizeof **wsets);
	for (long set = 1; set <= 100; set++)
		load_weights(&t, set, *wsets + (size_t)(set - 1) * A.m.n_nodes);
	gold_free(&t);
	*s = (struct idx_mc_spec){
		.n_winmax = 5, .winmax = ua_winmax,
		.n_norm = 2, .norm = ua_norm,
		.n_agg = 2, .agg = aggs,
		.n_wsets = 100, .wsets = *wsets,
		.target = -1, .seed = 1, .n_threads = 2,
	};
}

/* COINr's recorded parameters as choices. */
static size_t load_choices(const char *file, struct idx_choice **out)
{
	struct gold t;
	gold_load(&t, file);
	struct idx_choice *c = xcalloc(t.nr, sizeof *c);
	for (size_t i = 0; i < t.nr; i++) {
		assert_true(gold_at(&t, i, "rep") == (double)(i + 1));
		c[i].winmax = (uint32_t)(gold_at(&t, i, "winmax") - 1);
		const char *n = t.cell[i * t.nc + (size_t)gold_col(&t,
							    "normalisation")];
		const char *a = t.cell[i * t.nc + (size_t)gold_col(&t,
							    "aggregation")];
		assert_true(strcmp(n, "minmax_1_100") == 0 ||
			    strcmp(n, "zscore_10_2") == 0);
		assert_true(strcmp(a, "a_amean") == 0 ||
			    strcmp(a, "a_gmean") == 0);
		c[i].norm = strcmp(n, "zscore_10_2") == 0;
		c[i].agg = strcmp(a, "a_gmean") == 0;
		c[i].wset = (uint32_t)(gold_at(&t, i, "weight_set") - 1);
	}
	size_t n = t.nr;
	gold_free(&t);
	*out = c;
	return n;
}

/* Compares replayed scores (and the nominal) with file's columns. */
static void compare_scores(const char *file, const struct idx_mc_result *r)
{
	struct gold t;
	gold_load(&t, file);
	struct cmp c = {file, 0, 0, false, 0};
	assert_int_equal(t.nc, r->n_reps + 2);
	for (size_t i = 0; i < t.nr; i++) {
		const char *uc = t.cell[i * t.nc];
		int u = idx_model_find_unit(&A.m, uc);
		assert_true(u >= 0);
		cmp_value(&c, r->nominal[u], gold_at(&t, i, "Nominal"), uc,
			  "Nominal");
		for (size_t k = 0; k < r->n_reps; k++)
			cmp_value(&c, r->score[k * r->n_units + (size_t)u],
				  t.v[i * t.nc + 2 + k], uc, t.col[2 + k]);
	}
	gold_free(&t);
	cmp_end(&c);
}

static void compare_rankstats(const char *file, const struct idx_mc_result *r)
{
	struct gold t;
	gold_load(&t, file);
	struct cmp c = {file, 0, 0, false, 0};
	for (size_t i = 0; i < t.nr; i++) {
		const char *uc = t.cell[i * t.nc];
		int u = idx_model_find_unit(&A.m, uc);
		cmp_value(&c, r->nominal_rank[u], gold_at(&t, i, "Nominal"), uc,
			  "Nominal");
		cmp_value(&c, r->rank_mean[u], gold_at(&t, i, "Mean"), uc,
			  "Mean");
		cmp_value(&c, r->rank_median[u], gold_at(&t, i, "Median"), uc,
			  "Median");
		cmp_value(&c, r->rank_q5[u], gold_at(&t, i, "Q5"), uc, "Q5");
		cmp_value(&c, r->rank_q95[u], gold_at(&t, i, "Q95"), uc, "Q95");
	}
	gold_free(&t);
	cmp_end(&c);
}

/* Replays COINr's recorded runs in params (n expected) into r. */
static void replay(const char *params, size_t n, struct idx_mc_result *r)
{
	struct idx_mc_spec s;
	struct idx_agg_set aggs[2];
	double *wsets;
	ua_spec(&s, aggs, &wsets);
	struct idx_choice *ch;
	assert_int_equal(load_choices(params, &ch), n);
	assert_int_equal(idx_mc_replay(&A.m, &A.in, &A.std, &s, ch, n, r,
				       NULL), 0);
	free(ch);
	free(wsets);
}

static void ua_replay_matches_scores_and_rank_stats(void **state)
{
	(void)state;
	struct idx_mc_result r;
	replay("ua_N1000_parameters.csv", 1000, &r);
	compare_scores("ua_N1000_scores.csv", &r);
	compare_rankstats("ua_N1000_rankstats.csv", &r);
	idx_mc_result_free(&r);
}

static void sa_replay_matches_output_and_sobol_indices(void **state)
{
	(void)state;
	size_t n = 600;
	struct idx_mc_result r;
	replay("sa_N100_parameters.csv", n, &r);
	compare_scores("sa_N100_scores.csv", &r);
	/* Rank statistics over the random part of the design (A and B). */
	idx_rank_stats(r.rank, 200, r.n_units, r.rank_mean, r.rank_median,
		       r.rank_q5, r.rank_q95);
	compare_rankstats("sa_N100_rankstats.csv", &r);

	/* The model output: mean absolute rank change per run. */
	double *yy = xmalloc(n * sizeof *yy);
	idx_rank_change(r.rank, r.nominal_rank, n, r.n_units, yy);
	struct gold t;
	gold_load(&t, "sa_N100_yy.csv");
	struct cmp c = {"sa_N100_yy.csv", 0, 0, false, 0};
	assert_int_equal(t.nr, n);
	for (size_t i = 0; i < n; i++)
		cmp_value(&c, yy[i], gold_at(&t, i, "mean_abs_rank_change"),
			  t.cell[i * t.nc], "yy");
	cmp_end(&c);

	/* Sobol indices from COINr's yy and from ours. */
	double *fy = xmalloc(n * sizeof *fy);
	for (size_t i = 0; i < n; i++)
		fy[i] = gold_at(&t, i, "mean_abs_rank_change");
	gold_free(&t);
	double si[4], sti[4], si2[4], sti2[4];
	idx_sobol(fy, 100, 4, si, sti);
	idx_sobol(yy, 100, 4, si2, sti2);
	gold_load(&t, "sa_N100_sensitivity_from_yy.csv");
	struct cmp cs = {"sa_N100_sensitivity_from_yy.csv", 0, 0, false, 0};
	assert_int_equal(t.nr, 4);
	for (size_t i = 0; i < 4; i++) {
		const char *v = t.cell[i * t.nc];
		cmp_value(&cs, si[i], gold_at(&t, i, "Si"), v, "Si");
		cmp_value(&cs, sti[i], gold_at(&t, i, "STi"), v, "STi");
		cmp_value(&cs, si2[i], gold_at(&t, i, "Si"), v, "Si (ours)");
		cmp_value(&cs, sti2[i], gold_at(&t, i, "STi"), v, "STi (ours)");
	}
	gold_free(&t);
	cmp_end(&cs);
	free(yy);
	free(fy);
	idx_mc_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(example_denominate_impute_screen),
		cmocka_unit_test(example_treat_with_details),
		cmocka_unit_test(example_normalise_aggregate_rank),
		cmocka_unit_test(variant_normalisations),
		cmocka_unit_test(variant_aggregations_and_weights),
		cmocka_unit_test(variant_imputations),
		cmocka_unit_test(variant_raw_path_keeps_missing),
		cmocka_unit_test(variant_treat_winmax),
		cmocka_unit_test(ua_replay_matches_scores_and_rank_stats),
		cmocka_unit_test(sa_replay_matches_output_and_sobol_indices),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
