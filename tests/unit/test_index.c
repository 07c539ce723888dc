/* Unit tests for index/: small cases computed by hand (the expected values
 * are worked out in the comments), and Monte Carlo determinism.  The COINr
 * golden tests are in test_index_coinr.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "index/index.h"

#define EPS 1e-12
#define NA NAN

static void assert_near(double got, double want, const char *what)
{
	if (isnan(want) && isnan(got))
		return;
	if (isnan(want) || isnan(got) || fabs(got - want) > EPS) {
		print_error("%s: got %.17g, want %.17g\n", what, got, want);
		fail();
	}
}

static void assert_vec(const double *got, const double *want, size_t n,
		       const char *what)
{
	for (size_t i = 0; i < n; i++)
		assert_near(got[i], want[i], what);
}

/* Index (level 3) <- P1 (w 1) <- i1 (w 1, +1), i2 (w 3, -1);
 *                 <- P2 (w 2) <- i3 (w 1, +1).
 * Units A, B (group g1), C, D (group g2). */
static void small_model(struct idx_model *m)
{
	idx_model_init(m);
	idx_model_add_node(m, "Index", NULL, 3, 1, 1, NA, NULL);
	idx_model_add_node(m, "P1", "Index", 2, 1, 1, NA, NULL);
	idx_model_add_node(m, "P2", "Index", 2, 2, 1, NA, NULL);
	idx_model_add_node(m, "i1", "P1", 1, 1, 1, NA, "pop");
	idx_model_add_node(m, "i2", "P1", 1, 3, -1, NA, NULL);
	idx_model_add_node(m, "i3", "P2", 1, 1, 1, NA, NULL);
	idx_model_add_unit(m, "A", "g1");
	idx_model_add_unit(m, "B", "g1");
	idx_model_add_unit(m, "C", "g2");
	idx_model_add_unit(m, "D", "g2");
	assert_int_equal(idx_model_finish(m, NULL), 0);
}

/* One indicator "x" (direction dir, target 4, goalposts 0..4) under
 * "Index", n units u0, u1, ... */
static void one_model(struct idx_model *m, size_t n, int dir)
{
	idx_model_init(m);
	idx_model_add_node(m, "Index", NULL, 2, 1, 1, NA, NULL);
	int x = idx_model_add_node(m, "x", "Index", 1, 1, dir, 4, NULL);
	idx_model_set_goalposts(m, x, 0, 4);
	for (size_t i = 0; i < n; i++) {
		char id[16];
		snprintf(id, sizeof id, "u%zu", i);
		idx_model_add_unit(m, id, i < 4 ? "g1" : "g2");
	}
	assert_int_equal(idx_model_finish(m, NULL), 0);
}

static void model_checks_the_tree(void **state)
{
	(void)state;
	struct idx_model m;
	struct cdg_err e;
	small_model(&m);
	assert_int_equal(m.n_ind, 3);
	assert_int_equal(m.ind_node[0], 3); /* i1 is node 3, column 0 */
	assert_int_equal(m.node_col[4], 1);
	assert_int_equal(m.node_col[1], -1);
	assert_int_equal(m.root, 0);
	assert_int_equal(m.n_levels, 3);
	assert_int_equal(m.n_groups, 2);
	/* Aggregation order: level 2 before level 3. */
	assert_int_equal(m.order[0], 1);
	assert_int_equal(m.order[2], 0);
	assert_int_equal(idx_model_find(&m, "P2"), 2);
	idx_model_free(&m);

	idx_model_init(&m);
	idx_model_add_node(&m, "Index", NULL, 3, 1, 1, NA, NULL);
	idx_model_add_node(&m, "i1", "Index", 1, 1, 1, NA, NULL);
	assert_int_equal(idx_model_finish(&m, &e), CDG_EINPUT);
	assert_non_null(strstr(e.msg, "i1"));
	assert_non_null(strstr(e.msg, "level"));
	idx_model_free(&m);

	idx_model_init(&m);
	idx_model_add_node(&m, "Index", NULL, 2, 1, 1, NA, NULL);
	idx_model_add_node(&m, "i1", "Index", 1, 1, 0, NA, NULL);
	assert_int_equal(idx_model_finish(&m, &e), CDG_EINPUT);
	assert_non_null(strstr(e.msg, "direction"));
	idx_model_free(&m);

	idx_model_init(&m);
	idx_model_add_node(&m, "Index", NULL, 2, 1, 1, NA, NULL);
	idx_model_add_node(&m, "i1", "Nope", 1, 1, 1, NA, NULL);
	assert_int_equal(idx_model_finish(&m, &e), CDG_EINPUT);
	assert_non_null(strstr(e.msg, "Nope"));
	idx_model_free(&m);

	/* iMeta rows: group/denominator rows (level 0) are skipped. */
	struct idx_imeta_row rows[] = {
		{1, "a", "P", 1, -1, 7, "GDP"},
		{0, "GDP", NULL, NA, 0, NA, NULL},
		{2, "P", NULL, 2, 0, NA, NULL},
	};
	idx_model_init(&m);
	assert_int_equal(idx_model_from_imeta(&m, rows, 3, NULL), 0);
	assert_int_equal(idx_model_finish(&m, NULL), 0);
	assert_int_equal(m.n_nodes, 2);
	assert_int_equal(m.nodes[0].direction, -1);
	assert_string_equal(m.nodes[0].denom, "GDP");
	assert_near(m.nodes[0].target, 7, "target");
	assert_int_equal(m.nodes[1].direction, 1);
	assert_near(m.nodes[1].weight, 2, "weight");
	idx_model_free(&m);
}

static void denominate_divides_and_keeps_na(void **state)
{
	(void)state;
	struct idx_model m;
	small_model(&m);
	struct idx_data d;
	idx_data_init(&d, 4, 3);
	double i1[] = {10, 20, NA, 40};
	memcpy(d.x, i1, sizeof i1);
	d.x[4] = 5; /* i2 has no denominator: unchanged */
	const char *names[] = {"area", "pop"};
	double den[] = {1, 1, 1, 1, /* area */ 2, 4, 5, NA /* pop */};
	assert_int_equal(idx_denominate(&m, &d, names, 2, den, NULL), 0);
	/* i1 / pop: 10/2, 20/4, NA/5, 40/NA */
	double want[] = {5, 5, NA, NA};
	assert_vec(d.x, want, 4, "denominated");
	assert_near(d.x[4], 5, "no denominator");

	struct cdg_err e;
	den[4] = 0;
	assert_int_equal(idx_denominate(&m, &d, names, 2, den, &e),
			 CDG_EINPUT);
	assert_non_null(strstr(e.msg, "unit A"));
	assert_int_equal(idx_denominate(&m, &d, names, 1, den, &e), CDG_EINPUT);
	assert_non_null(strstr(e.msg, "pop"));
	idx_data_free(&d);
	idx_model_free(&m);
}

static void impute_each_rule(void **state)
{
	(void)state;
	/* Six units, groups g1 g1 g1 g1 g2 g2; x = 1 NA 2 9 4 NA.
	 * Column mean of 1 2 9 4 = 4, median = (2+4)/2 = 3.
	 * g1: 1 2 9 -> mean 4, median 2.  g2: 4 -> mean = median = 4. */
	struct idx_model m;
	one_model(&m, 6, 1);
	double x[] = {1, NA, 2, 9, 4, NA};
	struct {
		enum idx_impute_kind kind;
		double b, f;
	} cases[] = {
		{IDX_IMPUTE_MEAN, 4, 4},
		{IDX_IMPUTE_MEDIAN, 3, 3},
		{IDX_IMPUTE_GROUP_MEAN, 4, 4},
		{IDX_IMPUTE_GROUP_MEDIAN, 2, 4},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct idx_data d;
		idx_data_init(&d, 6, 1);
		memcpy(d.x, x, sizeof x);
		size_t filled;
		assert_int_equal(idx_impute(&m, &d, cases[i].kind, NULL,
					    &filled, NULL), 0);
		assert_int_equal(filled, 2);
		double want[] = {1, cases[i].b, 2, 9, 4, cases[i].f};
		assert_vec(d.x, want, 6, "imputed");
		idx_data_free(&d);
	}
	/* Previous year: B had 7, F was missing then too. */
	double prev[] = {0, 7, 0, 0, 0, NA};
	struct idx_data d;
	idx_data_init(&d, 6, 1);
	memcpy(d.x, x, sizeof x);
	size_t filled;
	assert_int_equal(idx_impute(&m, &d, IDX_IMPUTE_PREVIOUS, prev, &filled,
				    NULL), 0);
	assert_int_equal(filled, 1);
	double want[] = {1, 7, 2, 9, 4, NA};
	assert_vec(d.x, want, 6, "previous");
	assert_int_equal(idx_impute(&m, &d, IDX_IMPUTE_PREVIOUS, NULL, NULL,
				    NULL), CDG_EUSAGE);
	idx_data_free(&d);
	idx_model_free(&m);
}

static void screen_by_availability_and_zeros(void **state)
{
	(void)state;
	/* Rows (3 indicators):        missing zeros avail nonzero
	 * A  1  2  3                  0       0     1     1
	 * B  NA 0  3                  1       1     2/3   1/2
	 * C  NA NA 0                  2       1     1/3   0
	 * D  0  0  1                  0       2     1     1/3 */
	double x[] = {1, NA, NA, 0, 2, 0, NA, 0, 3, 3, 0, 1};
	struct {
		enum idx_screen_kind kind;
		size_t kept;
		size_t units[4];
	} cases[] = {
		{IDX_SCREEN_BY_NA, 3, {0, 1, 3}},
		{IDX_SCREEN_BY_ZEROS, 2, {0, 1}},
		{IDX_SCREEN_BY_NA_ZEROS, 2, {0, 1}},
		{IDX_SCREEN_NONE, 4, {0, 1, 2, 3}},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct idx_data d;
		idx_data_init(&d, 4, 3);
		memcpy(d.x, x, sizeof x);
		struct idx_screen s = {cases[i].kind, 0.6, 0.4};
		struct idx_screen_row rows[4];
		assert_int_equal(idx_screen(&d, &s, rows, NULL), 0);
		assert_int_equal(d.n_rows, cases[i].kept);
		for (size_t r = 0; r < d.n_rows; r++)
			assert_int_equal(d.unit[r], cases[i].units[r]);
		assert_int_equal(rows[1].n_missing, 1);
		assert_int_equal(rows[3].n_zero, 2);
		assert_near(rows[1].dat_avail, 2.0 / 3, "avail");
		assert_near(rows[1].nonzero, 0.5, "nonzero");
		assert_near(rows[3].nonzero, 1.0 / 3, "nonzero");
		if (cases[i].kind == IDX_SCREEN_BY_NA) {
			/* The kept rows moved up, values with them: column 3
			 * of A, B, D is 3 3 1. */
			assert_near(d.x[2 * 3 + 2], 1, "compacted");
			assert_near(d.x[0 * 3 + 2], 0, "compacted");
		}
		idx_data_free(&d);
	}
}

static void skewness_and_kurtosis_are_e1071_type2(void **state)
{
	(void)state;
	/* x = 1 2 3 10: mean 4, deviations -3 -2 -1 6, S2 = 50, S3 = 180,
	 * S4 = 1394.  skew = sqrt(4)*180/50^1.5 * sqrt(12)/2 = 1.76363261...
	 * kurt: r = 4*1394/2500 = 2.2304; ((5)(r-3)+6)*3/(2*1) = 3.228. */
	double x[] = {1, NA, 2, 3, 10};
	assert_near(idx_skew(x, 5), 1.763632614803888, "skew");
	assert_near(idx_kurt(x, 5), 3.228, "kurt");
	double two[] = {1, 2};
	assert_true(isnan(idx_skew(two, 2)));
}

static void treat_winsorises_with_ties_then_falls_back_to_log(void **state)
{
	(void)state;
	/* x = 1..12, 100, 1000: skew 3.6859, kurt 13.683: fails.
	 * Step 1 (skew > 0): 1000 -> 100; skew 2.2494, kurt 3.6622: fails.
	 * Step 2: both 100s -> 12 (the tie grows the count to 2); skew
	 * -0.2062, kurt -1.3566: passes.  With winmax 1 the count stops at 1,
	 * and log_CT applies to the original column: log(x - 1 + 9.99). */
	struct idx_model m;
	one_model(&m, 14, 1);
	double x[14];
	for (int i = 0; i < 12; i++)
		x[i] = i + 1;
	x[12] = 100;
	x[13] = 1000;
	struct idx_data d;
	idx_data_init(&d, 14, 1);
	memcpy(d.x, x, sizeof x);
	struct idx_treat t = {true, 2, 2, 3.5};
	struct idx_treat_info info;
	unsigned char pts[14];
	assert_int_equal(idx_treat(&m, &d, &t, &info, pts, NULL), 0);
	assert_false(info.pass0);
	assert_near(info.skew0, 3.685884750093502, "skew0");
	assert_near(info.kurt0, 13.682973779025271, "kurt0");
	assert_int_equal(info.nwin, 2);
	assert_true(info.pass1);
	assert_near(info.skew1, -0.20621821362257697, "skew1");
	assert_false(info.log);
	assert_near(d.x[12], 12, "winsorised");
	assert_near(d.x[13], 12, "winsorised");
	assert_near(d.x[11], 12, "untouched");
	assert_int_equal(pts[12], IDX_PT_WINHI);
	assert_int_equal(pts[13], IDX_PT_WINHI);
	assert_int_equal(pts[0], IDX_PT_NONE);
	idx_data_free(&d);

	idx_data_init(&d, 14, 1);
	memcpy(d.x, x, sizeof x);
	t.winmax = 1;
	assert_int_equal(idx_treat(&m, &d, &t, &info, pts, NULL), 0);
	assert_int_equal(info.nwin, 1);
	assert_false(info.pass1);
	assert_near(info.skew1, 2.249411273532905, "skew1");
	assert_true(info.log);
	assert_near(d.x[0], log(9.99), "log_CT");
	assert_near(d.x[13], log(1000 - 1 + 9.99), "log_CT");
	assert_near(info.skew2, 2.6855970898319974, "skew2");
	assert_int_equal(pts[5], IDX_PT_LOG);
	idx_data_free(&d);
	idx_model_free(&m);

	/* Negative skew winsorises the low side: -100 1..9 -> 1 1..9. */
	one_model(&m, 10, 1);
	idx_data_init(&d, 10, 1);
	d.x[0] = -100;
	for (int i = 1; i < 10; i++)
		d.x[i] = i;
	t.winmax = 5;
	assert_int_equal(idx_treat(&m, &d, &t, &info, pts, NULL), 0);
	assert_near(info.skew0, -3.1267040061439846, "skew0");
	assert_int_equal(info.nwin, 1);
	assert_near(d.x[0], 1, "winlo");
	assert_int_equal(pts[0], IDX_PT_WINLO);
	idx_data_free(&d);

	/* Fewer than 4 values is an error naming the indicator. */
	struct cdg_err e;
	idx_data_init(&d, 10, 1);
	d.x[0] = 1;
	d.x[1] = 2;
	assert_int_equal(idx_treat(&m, &d, &t, NULL, NULL, &e), CDG_EINPUT);
	assert_non_null(strstr(e.msg, "indicator x"));
	idx_data_free(&d);
	idx_model_free(&m);
}

static void normalise_case(int dir, struct idx_norm nm, const double *want)
{
	struct idx_model m;
	one_model(&m, 5, dir);
	struct idx_data d;
	idx_data_init(&d, 5, 1);
	double x[] = {1, 2, 2, NA, 5};
	memcpy(d.x, x, sizeof x);
	double out[5];
	assert_int_equal(idx_normalise(&m, &d, &nm, out, NULL), 0);
	assert_vec(out, want, 5, "normalised");
	idx_data_free(&d);
	idx_model_free(&m);
}

/* An indicator no unit reports normalises to missing everywhere (it then
 * drops out at aggregation) instead of stopping the index. */
static void indicator_without_data_is_missing(void **state)
{
	(void)state;
	struct idx_model m;
	one_model(&m, 3, 1);
	struct idx_data d;
	idx_data_init(&d, 3, 1);
	for (size_t i = 0; i < 3; i++)
		d.x[i] = NA;
	double out[3] = {1, 1, 1};
	struct idx_norm nm = {.kind = IDX_NORM_MINMAX, .p1 = 0, .p2 = 100};
	assert_int_equal(idx_normalise(&m, &d, &nm, out, NULL), 0);
	for (size_t i = 0; i < 3; i++)
		assert_true(isnan(out[i]));
	idx_data_free(&d);
	idx_model_free(&m);
}

static void normalise_each_method_with_direction(void **state)
{
	(void)state;
	/* x = 1 2 2 NA 5; target 4; goalposts 0..4. */
	const double s3 = sqrt(3.0);
	struct {
		int dir;
		struct idx_norm nm;
		double want[5];
	} cases[] = {
		/* min 1, max 5. */
		{1, {IDX_NORM_MINMAX, 0, 100}, {0, 25, 25, NA, 100}},
		/* flipped: -1 -2 -2 -5, min -5, max -1. */
		{-1, {IDX_NORM_MINMAX, 0, 100}, {100, 75, 75, NA, 0}},
		{1, {IDX_NORM_MINMAX, 1, 100}, {1, 25.75, 25.75, NA, 100}},
		/* mean 2.5, sample sd sqrt(9/3). */
		{1, {IDX_NORM_ZSCORE, 0, 1},
		 {-1.5 / s3, -0.5 / s3, -0.5 / s3, NA, 2.5 / s3}},
		{1, {IDX_NORM_ZSCORE, 10, 2},
		 {10 - 3 / s3, 10 - 1 / s3, 10 - 1 / s3, NA, 10 + 5 / s3}},
		/* ties take the lowest rank; 1 = lowest. */
		{1, {IDX_NORM_RANK, 0, 0}, {1, 2, 2, NA, 4}},
		{-1, {IDX_NORM_RANK, 0, 0}, {4, 2, 2, NA, 1}},
		{1, {IDX_NORM_PRANK, 0, 0}, {0, 1.0 / 3, 1.0 / 3, NA, 1}},
		{1, {IDX_NORM_BORDA, 0, 0}, {0, 1, 1, NA, 3}},
		{1, {IDX_NORM_FRACMAX, 0, 0}, {0.2, 0.4, 0.4, NA, 1}},
		{1, {IDX_NORM_DIST2MAX, 0, 0}, {0, 0.25, 0.25, NA, 1}},
		/* 1 - (4 - x)/(4 - 1), uncapped then capped. */
		{1, {IDX_NORM_DIST2TARG, 0, 0}, {0, 1.0 / 3, 1.0 / 3, NA, 4.0 / 3}},
		{1, {IDX_NORM_DIST2TARG, 1, 0}, {0, 1.0 / 3, 1.0 / 3, NA, 1}},
		/* (x - 0)/4 censored, x 100; flipped: (4 - x)/4. */
		{1, {IDX_NORM_GOALPOSTS, 0, 0}, {25, 50, 50, NA, 100}},
		{-1, {IDX_NORM_GOALPOSTS, 0, 0}, {75, 50, 50, NA, 0}},
		/* SDG: 2.5th percentile of 1 2 2 5 (type 7) = 0.925*1 +
		 * 0.075*2 = 1.075; (x - 1.075)/(4 - 1.075) censored. */
		{1, {IDX_NORM_SDG, 0, 0},
		 {0, 0.925 / 2.925 * 100, 0.925 / 2.925 * 100, NA, 100}},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		normalise_case(cases[i].dir, cases[i].nm, cases[i].want);

	/* Flipped SDG with target 4 means "4 is the optimum of a
	 * lower-is-better indicator": x' = -1 -2 -2 -5, lo = 0.925*-5 +
	 * 0.075*-2 = -4.775, hi = -4: x=1,2 exceed the optimum (100), x=5 is
	 * below lo (0). */
	double w[] = {100, 100, 100, NA, 0};
	normalise_case(-1, (struct idx_norm){IDX_NORM_SDG, 0, 0}, w);

	struct idx_model m;
	one_model(&m, 5, 1);
	struct idx_data d;
	idx_data_init(&d, 5, 1);
	for (int i = 0; i < 5; i++)
		d.x[i] = 3;
	double out[5];
	struct cdg_err e;
	struct idx_norm mm = {IDX_NORM_MINMAX, 0, 100};
	assert_int_equal(idx_normalise(&m, &d, &mm, out, &e), CDG_EINPUT);
	assert_non_null(strstr(e.msg, "indicator x"));
	idx_data_free(&d);
	idx_model_free(&m);
}

/* Indicator scores i1 = 10 20 NA 40, i2 = 30 NA NA 10, i3 = 50 60 70 NA
 * straight into the score matrix (node order Index P1 P2 i1 i2 i3). */
static void fill_small_scores(double *s)
{
	double v[] = {10, 20, NA, 40, 30, NA, NA, 10, 50, 60, 70, NA};
	for (int i = 0; i < 12; i++)
		s[i] = NA;
	memcpy(s + 12, v, sizeof v);
}

static void aggregate_reweights_missing_children(void **state)
{
	(void)state;
	struct idx_model m;
	small_model(&m);
	double s[24];
	struct idx_agg_set agg = {0};
	fill_small_scores(s);
	assert_int_equal(idx_aggregate(&m, &agg, NULL, 0, s, 4, NULL, NULL), 0);
	/* P1 = (1*i1 + 3*i2)/4: A (10+90)/4 = 25; B only i1 = 20; C none;
	 * D (40+30)/4 = 17.5.  P2 = i3.  Index = (P1 + 2 P2)/3: A 125/3;
	 * B 140/3; C only P2 = 70; D only P1 = 17.5. */
	double p1[] = {25, 20, NA, 17.5}, p2[] = {50, 60, 70, NA};
	double ix[] = {125.0 / 3, 140.0 / 3, 70, 17.5};
	assert_vec(s + 4, p1, 4, "P1");
	assert_vec(s + 8, p2, 4, "P2");
	assert_vec(s, ix, 4, "Index");

	/* Geometric at level 2: A exp((log 10 + 3 log 30)/4) = 22.7950...;
	 * D exp((log 40 + 3 log 10)/4) = 40^.25 10^.75 = 14.1421... */
	fill_small_scores(s);
	agg.lev[2].kind = IDX_AGG_GMEAN;
	assert_int_equal(idx_aggregate(&m, &agg, NULL, 0, s, 4, NULL, NULL), 0);
	assert_near(s[4], 22.795070569547782, "gmean A");
	assert_near(s[5], 20, "gmean B");
	assert_near(s[7], 14.142135623730955, "gmean D");
	/* Harmonic: A 4/(1/10 + 3/30) = 20. */
	fill_small_scores(s);
	agg.lev[2].kind = IDX_AGG_HMEAN;
	assert_int_equal(idx_aggregate(&m, &agg, NULL, 0, s, 4, NULL, NULL), 0);
	assert_near(s[4], 20, "hmean A");
	/* Generalised p = 2: A sqrt((100 + 3*900)/4) = sqrt(700). */
	fill_small_scores(s);
	agg.lev[2] = (struct idx_agg){IDX_AGG_GENMEAN, 2};
	assert_int_equal(idx_aggregate(&m, &agg, NULL, 0, s, 4, NULL, NULL), 0);
	assert_near(s[4], sqrt(700), "genmean A");

	/* Custom weights: i2 weight 1 instead of 3: A (10+30)/2 = 20. */
	double w[] = {1, 1, 2, 1, 1, 1};
	fill_small_scores(s);
	agg.lev[2].kind = IDX_AGG_AMEAN;
	assert_int_equal(idx_aggregate(&m, &agg, w, 0, s, 4, NULL, NULL), 0);
	assert_near(s[4], 20, "weights");

	/* Data threshold 0.6: B and D have 1 of 2 children -> NA. */
	fill_small_scores(s);
	assert_int_equal(idx_aggregate(&m, &agg, NULL, 0.6, s, 4, NULL, NULL),
			 0);
	assert_near(s[5], NA, "threshold B");
	assert_near(s[8 + 3], NA, "threshold P2 D");
	assert_near(s[4], 25, "threshold A");

	/* A zero under the geometric mean is an error naming node and unit. */
	fill_small_scores(s);
	s[12 + 1] = 0;
	agg.lev[2].kind = IDX_AGG_GMEAN;
	struct cdg_err e;
	assert_int_equal(idx_aggregate(&m, &agg, NULL, 0, s, 4, NULL, &e),
			 CDG_EINPUT);
	assert_non_null(strstr(e.msg, "node P1, unit B"));
	idx_model_free(&m);
}

static void rank_highest_first_ties_best_na_kept(void **state)
{
	(void)state;
	double x[] = {3, NA, 5, 3, 1};
	int r[5];
	idx_rank(x, 5, r);
	/* 5 -> 1; the two 3s share 2; 1 -> 4; NA -> 0. */
	int want[] = {2, 0, 1, 2, 4};
	assert_memory_equal(r, want, sizeof want);
}

static void run_whole_pipeline_by_hand(void **state)
{
	(void)state;
	/* min-max [0,100], no treatment:
	 * i1 10 20 NA 40 -> 0 33.33 NA 100;
	 * i2 (direction -1) 30 NA NA 10 -> -30 -10 -> 0 NA NA 100;
	 * i3 50 60 70 NA -> 0 50 100 NA.
	 * P1 = (i1 + 3 i2)/4: 0, 33.33, NA, 100.  P2: 0 50 100 NA.
	 * Index = (P1 + 2 P2)/3: 0, (33.33+100)/3 = 44.44, 100, 100.
	 * Ranks: C and D tie first (1, 1), B 3, A 4. */
	struct idx_model m;
	small_model(&m);
	struct idx_data raw;
	idx_data_init(&raw, 4, 3);
	double v[] = {10, 20, NA, 40, 30, NA, NA, 10, 50, 60, 70, NA};
	memcpy(raw.x, v, sizeof v);
	struct idx_input in = {.raw = &raw};
	struct idx_method mt;
	idx_method_default(&mt);
	mt.treat.on = false;
	struct idx_result r;
	assert_int_equal(idx_run(&m, &in, &mt, &r, NULL), 0);
	double ix[] = {0, (100.0 / 3 + 100) / 3, 100, 100};
	assert_vec(r.score, ix, 4, "Index");
	int rk[] = {4, 3, 1, 1};
	assert_memory_equal(r.rank, rk, sizeof rk);
	assert_near(r.score[4 * 4 + 3], 100, "i2 flipped");
	idx_result_free(&r);

	/* Screening by availability 0.5 drops C (1 of 3 indicators). */
	mt.screen = (struct idx_screen){IDX_SCREEN_BY_NA, 0.5, 0};
	assert_int_equal(idx_run(&m, &in, &mt, &r, NULL), 0);
	assert_int_equal(r.data.n_rows, 3);
	assert_false(r.screen[2].included);
	assert_int_equal(r.data.unit[2], 3);
	idx_result_free(&r);
	idx_data_free(&raw);
	idx_model_free(&m);
}

static void quantiles_rank_stats_and_sobol(void **state)
{
	(void)state;
	/* Type 7: index = 1 + (n-1) p.  1 2 3 4 10: p .05 -> 1.2 -> 1.2;
	 * p .95 -> 4.8 -> 0.2*4 + 0.8*10 = 8.8. */
	double s[] = {1, 2, 3, 4, 10};
	assert_near(idx_quantile7(s, 5, 0.05), 1.2, "q5");
	assert_near(idx_quantile7(s, 5, 0.95), 8.8, "q95");
	assert_near(idx_quantile7(s, 5, 0.5), 3, "q50");

	/* One unit's ranks over 4 runs: 2 NA 1 4 -> 1 2 4: mean 7/3, median
	 * 2, q5 = 1 + .1 = 1.1, q95 = .1*2 + .9*4 = 3.8.  Second unit all
	 * NA. */
	int rank[] = {2, 0, 0, 0, 1, 0, 4, 0};
	double mean[2], med[2], q5[2], q95[2];
	idx_rank_stats(rank, 4, 2, mean, med, q5, q95);
	assert_near(mean[0], 7.0 / 3, "mean");
	assert_near(med[0], 2, "median");
	assert_near(q5[0], 1.1, "q5");
	assert_near(q95[0], 3.8, "q95");
	assert_true(isnan(mean[1]));

	/* Rank change against nominal 2 2 0 (third unit NA): run 1 2 3 ->
	 * |1-2| and |2-2| over 2 units = 0.5. */
	int run[] = {1, 2, 3}, nom[] = {2, 2, 0};
	double yy;
	idx_rank_change(run, nom, 1, 3, &yy);
	assert_near(yy, 0.5, "rank change");

	/* Sobol, N = 2, d = 1: yA 1 3, yB 2 4, yAB 2 5.  V = var(1 3 2 4) =
	 * 5/3; Si = mean(2*(2-1), 4*(5-3))/V = 5/(5/3) = 3; STi = (1 + 4)/(2*2
	 * *5/3) = 0.75. */
	double y[] = {1, 3, 2, 4, 2, 5}, si, sti;
	idx_sobol(y, 2, 1, &si, &sti);
	assert_near(si, 3, "Si");
	assert_near(sti, 0.75, "STi");
}

static void rng_streams_are_keyed(void **state)
{
	(void)state;
	struct idx_rng a, b;
	idx_rng_seed(&a, idx_rng_key(1, 2, 3));
	idx_rng_seed(&b, idx_rng_key(1, 2, 3));
	for (int i = 0; i < 100; i++)
		assert_true(idx_rng_next(&a) == idx_rng_next(&b));
	assert_true(idx_rng_key(1, 2, 3) != idx_rng_key(1, 3, 2));
	assert_true(idx_rng_key(1, 2, 3) != idx_rng_key(2, 2, 3));
	double sum = 0;
	for (int i = 0; i < 10000; i++) {
		double u = idx_rng_unif(&a);
		assert_true(u >= 0 && u < 1);
		sum += u;
	}
	assert_true(fabs(sum / 10000 - 0.5) < 0.02);
}

/* A synthetic model: 40 units, 3 pillars of 4 indicators, 1 index. */
static void synthetic(struct idx_model *m, struct idx_data *raw)
{
	idx_model_init(m);
	idx_model_add_node(m, "Index", NULL, 3, 1, 1, NA, NULL);
	for (int p = 0; p < 3; p++) {
		char pid[8], iid[8];
		snprintf(pid, sizeof pid, "P%d", p);
		idx_model_add_node(m, pid, "Index", 2, 1 + p, 1, NA, NULL);
		for (int i = 0; i < 4; i++) {
			snprintf(iid, sizeof iid, "i%d%d", p, i);
			idx_model_add_node(m, iid, pid, 1, 1, i == 3 ? -1 : 1,
					   NA, NULL);
		}
	}
	for (int u = 0; u < 40; u++) {
		char id[8];
		snprintf(id, sizeof id, "U%02d", u);
		idx_model_add_unit(m, id, u % 2 ? "odd" : "even");
	}
	assert_int_equal(idx_model_finish(m, NULL), 0);
	idx_data_init(raw, 40, m->n_ind);
	struct idx_rng g;
	idx_rng_seed(&g, 7);
	for (size_t i = 0; i < 40 * m->n_ind; i++) {
		double u = idx_rng_unif(&g);
		raw->x[i] = i % 17 == 3 ? NA : exp(3 * u); /* skewed */
	}
}

/* The synthetic model with a nominal method, and the two normalisations
 * the Monte Carlo tests draw from. */
struct synth {
	struct idx_model m;
	struct idx_data raw;
	struct idx_input in;
	struct idx_method nom;
};
static const struct idx_norm norms[] = {{IDX_NORM_MINMAX, 1, 100},
					{IDX_NORM_ZSCORE, 10, 2}};

static void synth_init(struct synth *y, enum idx_impute_kind imp)
{
	synthetic(&y->m, &y->raw);
	y->in = (struct idx_input){.raw = &y->raw};
	idx_method_default(&y->nom);
	y->nom.impute = imp;
	y->nom.norm = norms[0];
}

static void synth_free(struct synth *y)
{
	idx_data_free(&y->raw);
	idx_model_free(&y->m);
}

static void monte_carlo_is_thread_count_independent(void **state)
{
	(void)state;
	struct synth y;
	synth_init(&y, IDX_IMPUTE_GROUP_MEAN);
	struct idx_model m = y.m;
	struct idx_input in = y.in;
	struct idx_method nom = y.nom;
	int winmax[] = {1, 3, 5};
	struct idx_agg_set aggs[2] = {0};
	aggs[1].lev[2].kind = IDX_AGG_GMEAN;
	aggs[1].lev[3].kind = IDX_AGG_GMEAN;
	struct idx_mc_spec s = {
		.n_winmax = 3, .winmax = winmax,
		.n_norm = 2, .norm = norms,
		.n_agg = 2, .agg = aggs,
		.target = -1, .seed = 42, .n_threads = 1,
	};
	s.wnoise[2] = 0.25;
	struct idx_mc_result r[4];
	int threads[] = {1, 2, 4};
	for (int t = 0; t < 3; t++) {
		s.n_threads = threads[t];
		assert_int_equal(idx_mc_run(&m, &in, &nom, &s, 300, &r[t], NULL),
				 0);
	}
	size_t n = 300 * 40;
	for (int t = 1; t < 3; t++) {
		assert_memory_equal(r[t].score, r[0].score, n * sizeof(double));
		assert_memory_equal(r[t].rank, r[0].rank, n * sizeof(int));
		assert_memory_equal(r[t].rank_q95, r[0].rank_q95,
				    40 * sizeof(double));
	}
	/* Every choice was drawn: all alternatives appear. */
	int seen[3] = {0};
	for (size_t i = 0; i < 300; i++)
		seen[r[0].choice[i].winmax]++;
	assert_true(seen[0] > 50 && seen[1] > 50 && seen[2] > 50);
	assert_int_equal(r[0].n_factors, 4);
	s.seed = 43;
	assert_int_equal(idx_mc_run(&m, &in, &nom, &s, 300, &r[3], NULL), 0);
	assert_memory_not_equal(r[3].score, r[0].score, n * sizeof(double));

	/* The Saltelli design's A and B are replications 0..2N-1 of the
	 * plain analysis with the same seed; its results are thread-count
	 * independent too. */
	struct idx_mc_result sa1, sa2;
	s.seed = 42;
	s.n_threads = 1;
	assert_int_equal(idx_sa_run(&m, &in, &nom, &s, 50, &sa1, NULL), 0);
	s.n_threads = 3;
	assert_int_equal(idx_sa_run(&m, &in, &nom, &s, 50, &sa2, NULL), 0);
	assert_int_equal(sa1.n_reps, 50 * 6);
	assert_memory_equal(sa1.score, r[0].score, 100 * 40 * sizeof(double));
	assert_memory_equal(sa1.yy, sa2.yy, 300 * sizeof(double));
	assert_memory_equal(sa1.sti, sa2.sti, sizeof sa1.sti);
	for (size_t i = 0; i < sa1.n_factors; i++)
		assert_true(sa1.sti[i] >= 0);
	/* AB_i differs from A only in factor i. */
	const struct idx_choice *a = &sa1.choice[7], *ab = &sa1.choice[2 * 50 + 7];
	assert_int_equal(a->norm, ab->norm);
	assert_int_equal(a->agg, ab->agg);
	assert_true(a->wkey == ab->wkey);
	assert_int_equal(ab->winmax, sa1.choice[50 + 7].winmax);
	idx_mc_result_free(&sa1);
	idx_mc_result_free(&sa2);
	for (int t = 0; t < 4; t++)
		idx_mc_result_free(&r[t]);

	/* An error names the replication: z-scores under a geometric mean
	 * go negative. */
	struct idx_norm z[] = {{IDX_NORM_ZSCORE, 0, 1}};
	s.norm = z;
	s.n_norm = 1;
	struct cdg_err e;
	struct idx_mc_result bad;
	assert_int_equal(idx_mc_run(&m, &in, &nom, &s, 20, &bad, &e),
			 CDG_EINPUT);
	assert_non_null(strstr(e.msg, "replication"));
	idx_mc_result_free(&bad);
	synth_free(&y);
}

/* Sixteen runs covering every combination of two winmax values, two
 * normalisations, two weight sets (differing only in pillar weights) and
 * two aggregations, for replays checked against idx_run. */
struct grid {
	double *ws;
	int winmax[2];
	struct idx_agg_set aggs[2];
	struct idx_mc_spec s;
	struct idx_choice ch[16];
};

static void grid_init(struct grid *g, const struct idx_model *m, int threads)
{
	size_t nn = m->n_nodes;
	memset(g, 0, sizeof *g);
	g->ws = malloc(2 * nn * sizeof *g->ws);
	for (size_t i = 0; i < nn; i++) {
		g->ws[i] = m->nodes[i].weight;
		g->ws[nn + i] = m->nodes[i].weight *
				(m->nodes[i].level == 2 ? 1.5 + (double)i : 1);
	}
	g->winmax[1] = 2;
	g->aggs[1].lev[2].kind = IDX_AGG_GMEAN;
	g->aggs[1].lev[3].kind = IDX_AGG_HMEAN;
	g->s = (struct idx_mc_spec){
		.n_winmax = 2, .winmax = g->winmax, .n_norm = 2, .norm = norms,
		.n_agg = 2, .agg = g->aggs, .n_wsets = 2, .wsets = g->ws,
		.target = -1, .n_threads = threads,
	};
	for (uint32_t i = 0; i < 16; i++)
		g->ch[i] = (struct idx_choice){0, i & 1, (i >> 1) & 1,
					       (i >> 2) & 1, (i >> 3) & 1, 0};
}

/* The method of run i of the grid. */
static struct idx_method grid_method(const struct grid *g,
				     const struct idx_method *nom, size_t nn,
				     size_t i)
{
	struct idx_method mt = *nom;
	mt.treat.winmax = g->winmax[g->ch[i].winmax];
	mt.norm = norms[g->ch[i].norm];
	mt.agg = g->aggs[g->ch[i].agg];
	mt.weights = g->ws + g->ch[i].wset * nn;
	return mt;
}

static void replay_equals_the_pipeline_bit_for_bit(void **state)
{
	(void)state;
	/* Two weight sets that differ only in pillar weights: the engine
	 * aggregates the pillars once per (data, aggregation) and reuses
	 * them; the result must be the very same doubles as idx_run. */
	struct synth y;
	synth_init(&y, IDX_IMPUTE_MEAN);
	struct idx_model m = y.m;
	struct idx_input in = y.in;
	struct idx_method nom = y.nom;
	size_t nn = m.n_nodes;
	struct grid g;
	grid_init(&g, &m, 2);
	struct idx_mc_result r;
	assert_int_equal(idx_mc_replay(&m, &in, &nom, &g.s, g.ch, 16, &r, NULL),
			 0);
	for (size_t i = 0; i < 16; i++) {
		struct idx_method mt = grid_method(&g, &nom, nn, i);
		struct idx_result p;
		assert_int_equal(idx_run(&m, &in, &mt, &p, NULL), 0);
		assert_int_equal(p.data.n_rows, 40);
		assert_memory_equal(r.score + i * 40, p.score,
				    40 * sizeof(double));
		assert_memory_equal(r.rank + i * 40, p.rank, 40 * sizeof(int));
		idx_result_free(&p);
	}
	idx_mc_result_free(&r);
	free(g.ws);
	synth_free(&y);
}

/* Progress callback: counts calls, checks the counts grow to the total. */
struct seen_progress {
	size_t calls, last, total;
	bool monotonic;
};

static void on_progress(void *ctx, size_t done, size_t total)
{
	struct seen_progress *p = ctx;
	p->monotonic &= done > p->last && done <= total;
	p->calls++;
	p->last = done;
	p->total = total;
}

static void node_rank_stats_and_progress(void **state)
{
	(void)state;
	/* all_nodes ranks every aggregate in every run: the statistics of
	 * each node must equal idx_rank_stats over the ranks idx_run gives
	 * for each replayed choice, whatever the thread count; a progress
	 * callback must reach the total and change nothing. */
	struct synth y;
	synth_init(&y, IDX_IMPUTE_MEAN);
	struct idx_model m = y.m;
	size_t nn = m.n_nodes, nu = m.n_units;
	struct grid g;
	grid_init(&g, &m, 1);
	struct idx_mc_spec s = g.s;
	const struct idx_choice *ch = g.ch;
	struct idx_mc_result plain, r1, r3;
	assert_int_equal(idx_mc_replay(&m, &y.in, &y.nom, &s, ch, 16, &plain,
				       NULL), 0);
	assert_null(plain.node_rank_median);
	struct seen_progress p1 = {0, 0, 0, true}, p3 = {0, 0, 0, true};
	s.all_nodes = true;
	s.progress = on_progress;
	s.progress_ctx = &p1;
	assert_int_equal(idx_mc_replay(&m, &y.in, &y.nom, &s, ch, 16, &r1,
				       NULL), 0);
	s.n_threads = 3;
	s.progress_ctx = &p3;
	assert_int_equal(idx_mc_replay(&m, &y.in, &y.nom, &s, ch, 16, &r3,
				       NULL), 0);
	assert_true(p1.monotonic && p1.last == 16 && p1.total == 16);
	assert_true(p3.monotonic && p3.last == 16 && p3.calls >= 3);
	assert_memory_equal(r1.score, plain.score, 16 * nu * sizeof(double));
	assert_memory_equal(r1.rank_q95, plain.rank_q95, nu * sizeof(double));
	assert_memory_equal(r3.node_rank_median, r1.node_rank_median,
			    nn * nu * sizeof(double));
	assert_memory_equal(r3.node_rank_q5, r1.node_rank_q5,
			    nn * nu * sizeof(double));
	/* The target's node statistics are its rank statistics. */
	assert_int_equal(r1.n_nodes, nn);
	assert_memory_equal(r1.node_rank_q5 + (size_t)r1.target * nu,
			    r1.rank_q5, nu * sizeof(double));
	/* Every aggregate against ranks from the whole pipeline. */
	int *rk = malloc(16 * nu * sizeof *rk);
	double *med = malloc(nu * sizeof *med), *q5 = malloc(nu * sizeof *q5),
	       *q95 = malloc(nu * sizeof *q95);
	size_t n_agg = 0;
	for (size_t node = 0; node < nn; node++) {
		if (m.nodes[node].level == 1) {
			assert_true(isnan(r1.node_rank_median[node * nu]));
			continue;
		}
		n_agg++;
		for (size_t i = 0; i < 16; i++) {
			struct idx_method mt = grid_method(&g, &y.nom, nn, i);
			struct idx_result p;
			assert_int_equal(idx_run(&m, &y.in, &mt, &p, NULL), 0);
			memcpy(rk + i * nu, p.rank + node * nu, nu * sizeof *rk);
			idx_result_free(&p);
		}
		idx_rank_stats(rk, 16, nu, NULL, med, q5, q95);
		assert_memory_equal(r1.node_rank_median + node * nu, med,
				    nu * sizeof(double));
		assert_memory_equal(r1.node_rank_q5 + node * nu, q5,
				    nu * sizeof(double));
		assert_memory_equal(r1.node_rank_q95 + node * nu, q95,
				    nu * sizeof(double));
	}
	assert_true(n_agg >= 3);
	/* The pillars' intervals are not all degenerate. */
	bool wide = false;
	for (size_t i = 0; i < nn * nu; i++)
		wide |= r1.node_rank_q95[i] > r1.node_rank_q5[i];
	assert_true(wide);
	free(rk);
	free(med);
	free(q5);
	free(q95);
	idx_mc_result_free(&plain);
	idx_mc_result_free(&r1);
	idx_mc_result_free(&r3);
	free(g.ws);
	synth_free(&y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(model_checks_the_tree),
		cmocka_unit_test(denominate_divides_and_keeps_na),
		cmocka_unit_test(impute_each_rule),
		cmocka_unit_test(screen_by_availability_and_zeros),
		cmocka_unit_test(skewness_and_kurtosis_are_e1071_type2),
		cmocka_unit_test(treat_winsorises_with_ties_then_falls_back_to_log),
		cmocka_unit_test(normalise_each_method_with_direction),
		cmocka_unit_test(indicator_without_data_is_missing),
		cmocka_unit_test(aggregate_reweights_missing_children),
		cmocka_unit_test(rank_highest_first_ties_best_na_kept),
		cmocka_unit_test(run_whole_pipeline_by_hand),
		cmocka_unit_test(quantiles_rank_stats_and_sobol),
		cmocka_unit_test(rng_streams_are_keyed),
		cmocka_unit_test(monte_carlo_is_thread_count_independent),
		cmocka_unit_test(replay_equals_the_pipeline_bit_for_bit),
		cmocka_unit_test(node_rank_stats_and_progress),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
