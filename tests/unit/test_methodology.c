/* The methodology parser (formats/methodology.c): the shipped files parse
 * to the pipeline they state, and each kind of fault is rejected with the
 * file, line, field and node id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"

static void load(const char *file, struct buf *b)
{
	const char *root = getenv("CDG_SRCDIR");
	assert_non_null(root);
	char path[1024];
	snprintf(path, sizeof path, "%s/data/index/%s", root, file);
	struct cdg_err e;
	assert_int_equal(file_read_all(path, b, &e), 0);
}

static void default_file(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	load("cdg-default.json", &b);
	struct meth m;
	struct cdg_err e;
	int rc = meth_parse(&m, "cdg-default.json", b.p, b.len, &e);
	if (rc)
		print_error("%s:%ld: %s: %s\n", e.file, e.line, e.field, e.msg);
	assert_int_equal(rc, 0);
	assert_string_equal(m.id, "cdg-default");
	/* 36 indicators, 32 targets, 11 goals, the index. */
	assert_int_equal(m.n_nodes, 36 + 32 + 11 + 1);
	const struct meth_node *n = meth_node(&m, "CDG1.2.1");
	assert_non_null(n);
	assert_int_equal(n->level, 1);
	assert_int_equal(n->direction, -1);
	assert_true(n->gp_lo == 0 && n->gp_hi == 10 && n->target == 5);
	assert_string_equal(n->parent, "CDG1.2");
	n = meth_node(&m, "CDG-INDEX");
	assert_non_null(n);
	assert_null(n->parent);
	assert_int_equal(n->level, 4);
	assert_int_equal(m.method.norm.kind, IDX_NORM_GOALPOSTS);
	assert_int_equal(m.method.agg.lev[2].kind, IDX_AGG_AMEAN);
	assert_int_equal(m.method.agg.lev[4].kind, IDX_AGG_AMEAN);
	assert_int_equal(m.method.screen.kind, IDX_SCREEN_BY_NA);
	assert_true(m.method.screen.dat_thresh == 0.5);
	assert_true(m.method.screen_first);
	assert_false(m.method.treat.on);
	assert_int_equal(m.method.impute, IDX_IMPUTE_NONE);
	assert_true(m.has_uncertainty);
	assert_int_equal(m.mc_reps, 1000);
	assert_true(m.wnoise[1] == 0.25 && m.wnoise[3] == 0.25 &&
		    m.wnoise[4] == 0);
	assert_int_equal(m.n_agg, 2);
	assert_int_equal(m.agg[1].lev[3].kind, IDX_AGG_GENMEAN);
	assert_true(m.agg[1].lev[3].p == 0.5);
	meth_free(&m);
	buf_free(&b);
}

static void asem_file(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	load("coinr-asem-example.json", &b);
	struct meth m;
	assert_int_equal(meth_parse(&m, "x.json", b.p, b.len, NULL), 0);
	assert_int_equal(m.n_nodes, 0);
	assert_true(m.method.denominate);
	assert_int_equal(m.method.impute, IDX_IMPUTE_GROUP_MEAN);
	assert_string_equal(m.group, "EurAsia_group");
	assert_false(m.method.screen_first);
	assert_true(m.method.screen.dat_thresh == 0.9);
	assert_true(m.method.treat.on);
	assert_int_equal(m.method.treat.winmax, 5);
	assert_int_equal(m.method.norm.kind, IDX_NORM_MINMAX);
	assert_true(m.method.norm.p1 == 0 && m.method.norm.p2 == 100);
	assert_int_equal(m.n_winmax, 5);
	assert_int_equal(m.winmax[4], 5);
	assert_int_equal(m.n_norm, 2);
	assert_int_equal(m.norm[1].kind, IDX_NORM_ZSCORE);
	assert_true(m.norm[1].p1 == 10 && m.norm[1].p2 == 2);
	assert_int_equal(m.agg[1].lev[2].kind, IDX_AGG_GMEAN);
	struct idx_mc_spec s;
	meth_mc_spec(&m, &s);
	assert_int_equal(s.seed, 42);
	assert_true(s.wnoise[2] == 0.25 && s.wnoise[1] == 0);
	assert_int_equal(s.target, -1);
	meth_free(&m);
	buf_free(&b);
}

/* A small valid file with one line per key, so that lines are known. */
static const char base[] =
	"{\n"                                                  /* 1 */
	"\"methodology_version\": 1,\n"                        /* 2 */
	"\"id\": \"t\",\n"                                     /* 3 */
	"\"title\": \"test\",\n"                               /* 4 */
	"\"nodes\": [\n"                                       /* 5 */
	"{\"id\": \"A\", \"parent\": \"I\", \"level\": 1, \"weight\": 1, \"direction\": \"higher_is_better\"},\n" /* 6 */
	"{\"id\": \"B\", \"parent\": \"I\", \"level\": 1, \"weight\": 2, \"direction\": \"lower_is_better\", \"goalposts\": {\"lower\": 0, \"upper\": 10}},\n" /* 7 */
	"{\"id\": \"I\", \"parent\": null, \"level\": 2, \"weight\": 1}\n" /* 8 */
	"],\n"                                                 /* 9 */
	"\"pipeline\": {\n"                                    /* 10 */
	"\"normalise\": {\"method\": \"minmax\", \"lower\": 0, \"upper\": 100},\n" /* 11 */
	"\"aggregate\": {\"method\": \"amean\"},\n"            /* 12 */
	"\"missing\": {\"rule\": \"reweight\"}\n"              /* 13 */
	"}\n"                                                  /* 14 */
	"}\n";

/* base with the first occurrence of from replaced by to. */
static char *mutate(const char *from, const char *to)
{
	const char *p = strstr(base, from);
	assert_non_null(p);
	struct buf b = BUF_INIT;
	buf_add(&b, base, (size_t)(p - base));
	buf_adds(&b, to);
	buf_adds(&b, p + strlen(from));
	return buf_detach(&b);
}

static void expect_bad(const char *from, const char *to, long line,
		       const char *field, const char *msg)
{
	char *t = mutate(from, to);
	struct meth m;
	struct cdg_err e;
	int rc = meth_parse(&m, "m.json", t, strlen(t), &e);
	if (rc != CDG_EINPUT || e.line != line || strcmp(e.field, field) != 0 ||
	    !strstr(e.msg, msg))
		print_error("%s -> %s: rc %d line %ld field '%s' msg '%s'\n", from,
			    to, rc, e.line, e.field, e.msg);
	assert_int_equal(rc, CDG_EINPUT);
	assert_string_equal(e.file, "m.json");
	assert_int_equal(e.line, line);
	assert_string_equal(e.field, field);
	assert_non_null(strstr(e.msg, msg));
	free(t);
}

static void small_valid(void **state)
{
	(void)state;
	struct meth m;
	assert_int_equal(meth_parse(&m, "m.json", base, strlen(base), NULL), 0);
	assert_int_equal(m.n_nodes, 3);
	assert_true(m.nodes[1].weight == 2);
	assert_true(m.nodes[1].gp_hi == 10);
	assert_true(isnan(m.nodes[0].gp_lo));
	assert_false(m.has_uncertainty);
	/* Defaults of the optional steps. */
	assert_false(m.method.denominate);
	assert_false(m.method.treat.on);
	assert_int_equal(m.method.screen.kind, IDX_SCREEN_NONE);
	meth_free(&m);
}

static void faults(void **state)
{
	(void)state;
	expect_bad("\"weight\": 2", "\"weight\": -2", 7, "weight", "node B: must be >= 0");
	expect_bad("\"lower_is_better\"", "\"down\"", 7, "direction",
		   "node B: \"down\" is not one of higher_is_better, lower_is_better");
	expect_bad("\"upper\": 10", "\"upper\": -1", 7, "goalposts", "node B: lower (0) must be below upper (-1)");
	expect_bad("\"parent\": \"I\", \"level\": 1, \"weight\": 2", "\"parent\": \"Z\", \"level\": 1, \"weight\": 2", 7,
		   "parent", "node B: parent Z does not exist");
	expect_bad("{\"id\": \"B\"", "{\"id\": \"A\"", 6, "id", "duplicate node id");
	expect_bad("\"level\": 2", "\"level\": 3", 6, "level", "node A: level 1, but its parent I has level 3");
	expect_bad("\"parent\": null", "\"parent\": \"A\"", 8, "level",
		   "node I: level 2, but its parent A has level 1");
	expect_bad("\"weight\": 1, \"direction\"", "\"weight\": 1, \"colour\": 1, \"direction\"", 6,
		   "colour", "node A: unknown key \"colour\"");
	expect_bad("\"level\": 2, \"weight\": 1}", "\"level\": 2, \"weight\": 1, \"direction\": \"higher_is_better\"}",
		   8, "direction", "node I: only indicators");
	expect_bad("\"method\": \"minmax\"", "\"method\": \"logit\"", 11, "method",
		   "\"logit\" is not one of none, minmax");
	expect_bad("\"lower\": 0, \"upper\": 100", "\"lower\": 0", 11, "upper",
		   "required key \"upper\" is missing");
	expect_bad("{\"method\": \"amean\"}", "{\"method\": \"genmean\"}", 12, "p",
		   "required key \"p\" is missing");
	expect_bad("{\"method\": \"amean\"}", "{\"method\": \"genmean\", \"p\": 0}", 12, "p",
		   "must not be 0");
	expect_bad("{\"rule\": \"reweight\"}", "{\"rule\": \"zero\"}", 13, "rule",
		   "\"zero\" is not one of reweight");
	expect_bad("\"missing\": {\"rule\": \"reweight\"}\n", "\"missing\": {\"rule\": \"reweight\", \"min_children\": 2}\n",
		   13, "min_children", "must be a fraction from 0 to 1");
	expect_bad("\"methodology_version\": 1", "\"methodology_version\": 2", 2,
		   "methodology_version", "must be an integer from 1 to 1");
	expect_bad("\"title\": \"test\",\n", "\"title\": \"test\", \"colour\": 1,\n", 4, "colour",
		   "unknown key");
	expect_bad("\"aggregate\": {\"method\": \"amean\"},\n", "", 10, "aggregate",
		   "required key \"aggregate\" is missing");
	expect_bad("\"missing\": {\"rule\": \"reweight\"}\n",
		   "\"missing\": {\"rule\": \"reweight\"},\n\"impute\": {\"method\": \"group_mean\"}\n",
		   14, "group", "group_mean needs \"group\"");
	expect_bad("\"missing\": {\"rule\": \"reweight\"}\n",
		   "\"missing\": {\"rule\": \"reweight\"},\n\"screen\": {\"rule\": \"missing\"}\n",
		   14, "min_data", "required key \"min_data\" is missing");
	/* Not JSON at all: the line of the syntax error. */
	expect_bad("\"title\": \"test\",\n", "\"title\": \"test\",,\n", 4, "", "invalid JSON");
	/* Two roots. */
	expect_bad("\"parent\": \"I\", \"level\": 1, \"weight\": 1, \"direction\": \"higher",
		   "\"parent\": null, \"level\": 1, \"weight\": 1, \"direction\": \"higher", 8,
		   "parent", "2 nodes have no parent");
}

static void uncertainty_faults(void **state)
{
	(void)state;
	const char *from = "\"missing\": {\"rule\": \"reweight\"}\n}\n";
	char buf[512];
	snprintf(buf, sizeof buf, "%s,\n\"uncertainty\": {\"replications\": 0, \"seed\": 1}\n",
		 "\"missing\": {\"rule\": \"reweight\"}\n}");
	expect_bad(from, buf, 15, "replications", "must be an integer from 1");
	snprintf(buf, sizeof buf, "%s,\n\"uncertainty\": {\"replications\": 5, \"seed\": 1,\n\"aggregations\": []}\n",
		 "\"missing\": {\"rule\": \"reweight\"}\n}");
	expect_bad(from, buf, 16, "aggregations", "must be a non-empty array");
	snprintf(buf, sizeof buf, "%s,\n\"uncertainty\": {\"replications\": 5, \"seed\": 1,\n\"weight_noise\": [{\"level\": 2, \"fraction\": 1.5}]}\n",
		 "\"missing\": {\"rule\": \"reweight\"}\n}");
	expect_bad(from, buf, 16, "fraction", "must be a fraction");
	snprintf(buf, sizeof buf, "%s,\n\"uncertainty\": {\"replications\": 5, \"seed\": 1,\n\"winmax\": [1, -2]}\n",
		 "\"missing\": {\"rule\": \"reweight\"}\n}");
	expect_bad(from, buf, 16, "winmax", "item 2 must be an integer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_file),
		cmocka_unit_test(asem_file),
		cmocka_unit_test(small_valid),
		cmocka_unit_test(faults),
		cmocka_unit_test(uncertainty_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
