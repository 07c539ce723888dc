/* cdg index: the country index on files (run) and as annual editions in
 * the database (compute, verify, publish, list, show, diff, whatif).
 * Arguments in, app/ call, output out. */
#include "cli/cli.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/app.h"
#include "formats/formats.h"

const char cmd_index_usage[] =
	"cdg index SUBCOMMAND ...\n"
	"\n"
	"  cdg index run --methodology M.json --input D.csv --out R.csv\n"
	"                [--weights W.csv] [--mc N] [--sobol N [--sensitivity S.csv]]\n"
	"                [--seed S] [--threads T]\n"
	"  cdg index run --idata iData.csv --imeta iMeta.csv --out R.csv\n"
	"                [--methodology M.json] [--denominate]\n"
	"                [--impute mean|median|group-mean:COL|group-median:COL]\n"
	"                [--screen MIN_FRACTION] [--treat winsorise:WINMAX|none]\n"
	"                [--normalise minmax:L:U|zscore:M:S|rank|prank|borda|\n"
	"                             fracmax|dist2max|dist2targ|goalposts|sdg]\n"
	"                [--aggregate amean|gmean|hmean|genmean:P[,...per level]]\n"
	"                [--weights W.csv] [--mc N] [--sobol N [--sensitivity S.csv]]\n"
	"                [--seed S] [--threads T]\n"
	"  cdg index compute --edition YEAR [--mc N] [--sobol N] [--seed S]\n"
	"                [--threads T] [--methodology M.json]\n"
	"  cdg index verify YEAR [--threads T]\n"
	"  cdg index publish YEAR [--allow-synthetic]\n"
	"  cdg index list [--json]\n"
	"  cdg index show YEAR [--country ISO3 | --sensitivity] [--json]\n"
	"  cdg index diff YEAR1 YEAR2 [--json]\n"
	"  cdg index whatif ISO3 --set INDICATOR=VALUE [--set ...] [--edition YEAR]\n"
	"                [--json]\n"
	"\n"
	"run computes a composite index from files, outside the database.  D.csv\n"
	"(--input; --data D.csv is a deprecated alias) is long form with header\n"
	"unit,indicator,value (one row per unit and indicator; indicators are the\n"
	"methodology's level-1 nodes).  COINr's iData/iMeta tables are read\n"
	"unchanged; without flags: no treatment, min-max 0-100, arithmetic mean,\n"
	"missing values dropped at aggregation with the weights rescaled.\n"
	"--weights W.csv is COINr's weight table (columns iCode,Weight; others\n"
	"such as Level ignored): listed nodes take those weights, the others keep\n"
	"theirs.  R.csv is long form unit,node,score,rank for every unit and node\n"
	"(normalised indicators and aggregates; rank 1 is the best, ties share the\n"
	"best rank, empty = missing or screened out).  --mc N runs N Monte Carlo\n"
	"replications of the methodology's \"uncertainty\" section and adds\n"
	"rank_median,rank_p05,rank_p95 for every aggregate (index, pillars,\n"
	"goals; empty for indicators).  --sobol N runs Saltelli's design, N (d+2)\n"
	"runs for d uncertain choices, and prints the first-order (Si) and total\n"
	"(STi) Sobol index of each choice for the mean absolute rank change of the\n"
	"index (Jansen/Saltelli estimators, as COINr); --sensitivity S.csv writes\n"
	"them as factor,si,sti.  Without --mc, the rank intervals then come from\n"
	"the design's 2N base runs (the same as --mc 2N).  Same seed (--seed, else\n"
	"the methodology's), same numbers, whatever --threads.  Files are written\n"
	"only if everything succeeded.\n"
	"\n"
	"compute freezes an edition: for each state and indicator the current\n"
	"observation of the latest year up to YEAR, the methodology (--methodology,\n"
	"else the default: data/index/public-evidence.json, the indicators desk\n"
	"research measures for every State, until a survey round exists, then\n"
	"data/index/cdg-default.json; docs/public-evidence.md and\n"
	"docs/index-methodology.md), the SHA-256 of the input snapshot and every\n"
	"result, with the 5-95 % rank intervals of the methodology's Monte Carlo\n"
	"analysis (its \"uncertainty\" replications; --mc N for another number,\n"
	"--mc 0 for none) and the Sobol sensitivity indices of its \"sobol\"\n"
	"sample (--sobol N for another, --sobol 0 for none).  A draft edition may\n"
	"be recomputed; after publish it is never changed, and publish refuses an\n"
	"edition computed from SYNTHETIC (demo) values unless --allow-synthetic\n"
	"says it is a demonstration.  verify recomputes an\n"
	"edition from what was frozen and compares every figure bit for bit\n"
	"(exit 1 on any difference).  show prints the ranking (with --country\n"
	"every node and each input with its source; with --sensitivity the\n"
	"edition's Sobol indices); diff gives rank and score\n"
	"changes per state and the inputs that changed; whatif shows how a\n"
	"state's score and rank would move with other values (nothing written).\n";

/* Options of the index subcommands. */
struct ix_opts {
	struct app_index_run_opts run;
	long edition;              /* --edition YEAR */
	const char *country;       /* --country ISO3 */
	const char **sets;         /* --set values */
	size_t n_sets;
	bool sensitivity;          /* show --sensitivity (flag, no value) */
	bool sobol_given;          /* --sobol was given (else the methodology's) */
	bool allow_synthetic;      /* publish --allow-synthetic */
	const char *pos[3];        /* positional arguments after the verb */
	int n_pos;
};

static int need(struct cdg_err *e, const char *flag)
{
	return cli_usage(e, "index", "%s needs a value", flag);
}

static int parse_year(const char *s, const char *what, long *out,
		      struct cdg_err *e)
{
	if (parse_long(s, 1990, 2100, out))
		return cli_usage(e, "index", "%s \"%s\" is not a year from 1990 "
				 "to 2100", what, s);
	return 0;
}

/* Parses o->rest[1..] (rest[0] is the verb) into x. */
static int parse(struct cli_opts *o, struct ix_opts *x, struct cdg_err *e)
{
	memset(x, 0, sizeof *x);
	x->run.threads = 1;
	x->run.mc = -1; /* compute: the methodology's replications */
	x->sets = xcalloc((size_t)o->nrest + 1, sizeof *x->sets);
	for (int i = 1; i < o->nrest; i++) {
		const char *a = o->rest[i];
		const char *v = i + 1 < o->nrest ? o->rest[i + 1] : NULL;
		static const char *const valued[] = {"--methodology", "--out",
			"--idata", "--imeta", "--impute", "--screen", "--treat",
			"--normalise", "--aggregate", "--mc", "--seed", "--threads",
			"--edition", "--country", "--set", "--input", "--weights",
			"--sobol", NULL};
		/* --sensitivity takes a file with run, none with show. */
		bool show = strcmp(o->rest[0], "show") == 0;
		if (strcmp(a, "--sensitivity") == 0 && show) {
			x->sensitivity = true;
			continue;
		}
		if (strcmp(a, "--sensitivity") == 0) {
			if (!v)
				return need(e, a);
			x->run.sensitivity = o->rest[++i];
			continue;
		}
		bool takes = false;
		for (const char *const *k = valued; *k && !takes; k++)
			takes = strcmp(*k, a) == 0;
		if (takes && !v)
			return need(e, a);
		long n;
		if (strcmp(a, "--denominate") == 0) {
			x->run.denominate = true;
			continue;
		}
		if (strcmp(a, "--allow-synthetic") == 0) {
			x->allow_synthetic = true;
			continue;
		}
		if (!takes) {
			if (a[0] == '-' && a[1])
				return cli_usage(e, "index", "unknown option \"%s\"", a);
			if (x->n_pos == 3)
				return cli_usage(e, "index", "unexpected argument \"%s\"", a);
			x->pos[x->n_pos++] = a;
			continue;
		}
		i++;
		if (strcmp(a, "--methodology") == 0)
			x->run.methodology = v;
		else if (strcmp(a, "--out") == 0)
			x->run.out = v;
		else if (strcmp(a, "--input") == 0)
			x->run.data = v;
		else if (strcmp(a, "--weights") == 0)
			x->run.weights = v;
		else if (strcmp(a, "--idata") == 0)
			x->run.idata = v;
		else if (strcmp(a, "--imeta") == 0)
			x->run.imeta = v;
		else if (strcmp(a, "--impute") == 0)
			x->run.impute = v;
		else if (strcmp(a, "--screen") == 0)
			x->run.screen = v;
		else if (strcmp(a, "--treat") == 0)
			x->run.treat = v;
		else if (strcmp(a, "--normalise") == 0)
			x->run.normalise = v;
		else if (strcmp(a, "--aggregate") == 0)
			x->run.aggregate = v;
		else if (strcmp(a, "--country") == 0)
			x->country = v;
		else if (strcmp(a, "--set") == 0)
			x->sets[x->n_sets++] = v;
		else if (strcmp(a, "--edition") == 0) {
			if (parse_year(v, "--edition", &x->edition, e))
				return CDG_EUSAGE;
		} else if (strcmp(a, "--mc") == 0) {
			if (parse_long(v, 0, 1000000, &n))
				return cli_usage(e, "index", "--mc \"%s\": expected "
						 "0 to 1000000 replications", v);
			x->run.mc = n;
		} else if (strcmp(a, "--sobol") == 0) {
			if (parse_long(v, 2, 1000000, &n))
				return cli_usage(e, "index", "--sobol \"%s\": expected "
						 "a base sample N from 2 to 1000000", v);
			x->run.sobol = n;
			x->sobol_given = true;
		} else if (strcmp(a, "--seed") == 0) {
			if (parse_long(v, 0, 9007199254740991L, &n))
				return cli_usage(e, "index", "--seed \"%s\": expected "
						 "an integer from 0 to 2^53-1", v);
			x->run.has_seed = true;
			x->run.seed = (uint64_t)n;
		} else if (strcmp(a, "--threads") == 0) {
			if (parse_long(v, 1, 256, &n))
				return cli_usage(e, "index", "--threads \"%s\": "
						 "expected 1 to 256", v);
			x->run.threads = (int)n;
		}
	}
	return 0;
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static double jnum(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void print_num(double v, int width)
{
	if (isnan(v))
		printf(" %*s", width, "-");
	else
		printf(" %*.2f", width, v);
}

static void print_rank(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (json_is_integer(v))
		printf(" %4lld", (long long)json_integer_value(v));
	else
		printf(" %4s", "-");
}

/* Runs an app function that writes JSON, then prints it or renders it. */
static int json_out(struct cli_opts *o, struct buf *b,
		    void (*render)(json_t *root, const void *ctx),
		    const void *ctx)
{
	if (o->json) {
		cli_print(b);
		return 0;
	}
	json_t *root = json_loads(b->p, 0, NULL);
	render(root, ctx);
	json_decref(root);
	return 0;
}

/* ---- run ----------------------------------------------------------------- */

/* The sensitivity table: one line per uncertain choice. */
static void print_sensitivity(const struct app_index_sensitivity *sa)
{
	if (!sa->n)
		return;
	printf("sensitivity of the index ranks (Sobol, N = %zu, %zu runs):\n"
	       "  %-14s %9s %9s\n", sa->n, sa->runs, "factor", "Si", "STi");
	for (size_t i = 0; i < sa->n_factors; i++)
		printf("  %-14s %9.4f %9.4f\n", sa->factor[i], sa->si[i],
		       sa->sti[i]);
}

static int do_run(struct cli_opts *o, struct ix_opts *x, struct cdg_err *e)
{
	if (x->n_pos)
		return cli_usage(e, "index", "run takes no argument \"%s\"", x->pos[0]);
	/* --data FILE, the deprecated name of --input: --data is also cdg's
	 * global option for its data folder (main.c takes it first), so a
	 * regular file there is the index's D.csv. */
	struct stat st;
	bool alias = o->data && stat(o->data, &st) == 0 && S_ISREG(st.st_mode);
	if (alias && x->run.data)
		return cli_usage(e, "index", "give D.csv once, with --input "
				 "(--data FILE is its deprecated alias)");
	if (alias) {
		fprintf(stderr, "cdg: --data D.csv is deprecated; use --input "
			"D.csv\n");
		x->run.data = o->data;
	} else if (!x->run.data && !x->run.idata && o->data &&
		   stat(o->data, &st) != 0) {
		return err_at(e, CDG_EIO, o->data, 0, "--data", "no such file");
	}
	if (x->sensitivity)
		return cli_usage(e, "index", "run takes --sensitivity S.csv");
	struct app_index_run_report r;
	int rc = app_index_run(&x->run, &r, e);
	if (rc)
		return rc;
	double rps = r.ms_mc > 0 ? (double)r.mc_reps / (r.ms_mc / 1e3) : 0;
	if (o->json) {
		struct buf b = BUF_INIT;
		struct jw w;
		jw_init(&w, &b, true);
		jw_obj(&w);
		jw_kstr(&w, "out", x->run.out);
		jw_kint(&w, "units", (long long)r.n_units);
		jw_kint(&w, "ranked", (long long)r.n_ranked);
		jw_kint(&w, "nodes", (long long)r.n_nodes);
		jw_kint(&w, "indicators", (long long)r.n_ind);
		jw_kint(&w, "rows", (long long)r.n_rows);
		jw_knum(&w, "pipeline_ms", r.ms_pipeline);
		jw_kint(&w, "mc_replications", (long long)r.mc_reps);
		if (r.mc_reps) {
			jw_knum(&w, "mc_ms", r.ms_mc);
			jw_knum(&w, "mc_replications_per_s", rps);
		}
		if (r.sa.n)
			app_index_sensitivity_json(&w, &r.sa);
		jw_obj_end(&w);
		cli_print(&b);
		buf_free(&b);
		return 0;
	}
	printf("%s: %zu units (%zu kept by screening) x %zu nodes (%zu "
	       "indicators), %zu rows\n", x->run.out, r.n_units, r.n_ranked,
	       r.n_nodes, r.n_ind, r.n_rows);
	printf("pipeline: %.2f ms\n", r.ms_pipeline);
	if (r.mc_reps)
		printf("Monte Carlo: %zu replications in %.1f ms (%.0f "
		       "replications/s, %d thread%s)\n", r.mc_reps, r.ms_mc, rps,
		       x->run.threads, x->run.threads == 1 ? "" : "s");
	print_sensitivity(&r.sa);
	return 0;
}

/* ---- editions ------------------------------------------------------------- */

static int do_compute(struct cli_opts *o, struct ix_opts *x, struct cdg_err *e)
{
	if (!x->edition)
		return cli_usage(e, "index", "compute needs --edition YEAR");
	if (x->n_pos)
		return cli_usage(e, "index", "unexpected argument \"%s\"", x->pos[0]);
	struct app a;
	int rc = cli_open(o, &a, true, e);
	if (rc)
		return rc;
	struct app_index_compute_opts c = {
		.year = x->edition, .methodology = x->run.methodology,
		.data_dir = o->data, .mc = x->run.mc,
		.sobol = x->sobol_given ? x->run.sobol : -1,
		.has_seed = x->run.has_seed,
		.seed = x->run.seed, .threads = x->run.threads,
		.actor = cli_actor(o)};
	struct app_index_edition_report r;
	rc = app_index_compute(&a, &c, &r, e);
	app_close(&a);
	if (rc)
		return rc;
	if (o->json) {
		struct buf b = BUF_INIT;
		struct jw w;
		jw_init(&w, &b, true);
		jw_obj(&w);
		jw_kint(&w, "edition", r.year);
		jw_kint(&w, "states", (long long)r.n_units);
		jw_kint(&w, "ranked", (long long)r.n_ranked);
		jw_kint(&w, "inputs", (long long)r.n_inputs);
		jw_kint(&w, "mc_replications", (long long)r.mc_reps);
		jw_kstr(&w, "methodology_id", r.methodology_id);
		jw_kstr(&w, "methodology_sha256", r.methodology_sha256);
		jw_kstr(&w, "input_sha256", r.input_sha256);
		if (r.sa.n)
			app_index_sensitivity_json(&w, &r.sa);
		jw_obj_end(&w);
		cli_print(&b);
		buf_free(&b);
		return 0;
	}
	printf("edition %ld (draft): %zu states, %zu ranked, %zu inputs, "
	       "methodology %s", r.year, r.n_units, r.n_ranked, r.n_inputs,
	       r.methodology_id);
	if (r.mc_reps)
		printf(", %zu Monte Carlo replications", r.mc_reps);
	printf("\ninput snapshot sha256 %s\nmethodology sha256    %s\n",
	       r.input_sha256, r.methodology_sha256);
	print_sensitivity(&r.sa);
	return 0;
}

static int one_year(struct ix_opts *x, const char *verb, long *year,
		    struct cdg_err *e)
{
	if (x->n_pos != 1)
		return cli_usage(e, "index", "%s needs one YEAR", verb);
	return parse_year(x->pos[0], "YEAR", year, e);
}

static int do_verify(struct cli_opts *o, struct ix_opts *x, struct cdg_err *e)
{
	long year;
	int rc = one_year(x, "verify", &year, e);
	struct app a;
	if (rc || (rc = cli_open(o, &a, false, e)))
		return rc;
	struct app_index_verify_report r;
	rc = app_index_verify(&a, year, x->run.threads, &r, e);
	app_close(&a);
	if (rc == 0 || rc == CDG_ECONFLICT) {
		if (o->json) {
			struct buf b = BUF_INIT;
			struct jw w;
			jw_init(&w, &b, true);
			jw_obj(&w);
			jw_kint(&w, "edition", year);
			jw_kbool(&w, "ok", r.ok);
			jw_kbool(&w, "methodology_hash_ok", r.methodology_ok);
			jw_kbool(&w, "input_hash_ok", r.inputs_ok);
			jw_kint(&w, "results_compared", (long long)r.n_compared);
			jw_kint(&w, "mismatches", (long long)r.n_mismatch);
			jw_kstr(&w, "first_mismatch", r.first);
			jw_obj_end(&w);
			cli_print(&b);
			buf_free(&b);
		} else if (rc == 0) {
			printf("edition %ld verifies: %zu results recomputed from the "
			       "frozen inputs are identical bit for bit; methodology "
			       "and input snapshot hashes match\n", year,
			       r.n_compared);
		}
	}
	return rc;
}

static int do_publish(struct cli_opts *o, struct ix_opts *x, struct cdg_err *e)
{
	long year;
	int rc = one_year(x, "publish", &year, e);
	struct app a;
	if (rc || (rc = cli_open(o, &a, true, e)))
		return rc;
	rc = app_index_publish(&a, year, cli_actor(o), x->allow_synthetic, e);
	app_close(&a);
	if (rc == 0)
		printf("edition %ld published; it will never change\n", year);
	return rc;
}

static void render_list(json_t *root, const void *ctx)
{
	(void)ctx;
	size_t i;
	json_t *ed;
	if (json_array_size(root) == 0)
		printf("no index editions yet ('cdg index compute --edition YEAR')\n");
	json_array_foreach(root, i, ed)
		printf("%lld  %-9s %-14s %3lld states %3lld ranked  MC %-5lld  "
		       "inputs %.12s  %s %s\n",
		       (long long)json_integer_value(json_object_get(ed, "year")),
		       json_is_true(json_object_get(ed, "published")) ? "published"
								       : "draft",
		       js(ed, "methodology_id"),
		       (long long)json_integer_value(json_object_get(ed, "states")),
		       (long long)json_integer_value(json_object_get(ed, "ranked")),
		       (long long)json_integer_value(json_object_get(ed, "mc_replications")),
		       js(ed, "input_sha256"), js(ed, "created_at"),
		       js(ed, "created_by"));
}

/* show --sensitivity: the edition's Sobol indices. */
static void render_sensitivity(json_t *root, const void *ctx)
{
	(void)ctx;
	json_t *ed = json_object_get(root, "edition");
	json_t *sa = json_object_get(root, "sensitivity");
	struct app_index_sensitivity t = {0};
	t.n = (size_t)json_integer_value(json_object_get(sa, "n"));
	t.runs = (size_t)json_integer_value(json_object_get(sa, "runs"));
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(sa, "factors"), i, f) {
		if (i == APP_INDEX_MAX_FACTORS)
			break;
		t.factor[i] = js(f, "factor");
		t.si[i] = jnum(f, "si");
		t.sti[i] = jnum(f, "sti");
		t.n_factors = i + 1;
	}
	printf("CDG index edition %lld, methodology %s, seed %lld\n",
	       (long long)json_integer_value(json_object_get(ed, "year")),
	       js(ed, "methodology_id"),
	       (long long)json_integer_value(json_object_get(ed, "mc_seed")));
	print_sensitivity(&t);
}

/* "not ranked: N of M indicators (K needed); missing: A, B" for an
 * unranked State, or "" (out must hold 512 bytes). */
static const char *not_ranked(json_t *s, char *out)
{
	out[0] = '\0';
	json_t *cv = json_object_get(s, "coverage");
	if (!json_is_null(json_object_get(s, "rank")) || !cv)
		return out;
	int n = snprintf(out, 512, "not ranked: %lld of %lld indicators (%lld needed); missing:",
			 (long long)json_integer_value(json_object_get(cv, "with_data")),
			 (long long)json_integer_value(json_object_get(cv, "indicators")),
			 (long long)json_integer_value(json_object_get(cv, "needed")));
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(cv, "missing"), i, m)
		if (n > 0 && n < 500)
			n += snprintf(out + n, 512 - (size_t)n, "%s %s", i ? "," : "",
				      json_string_value(m));
	return out;
}

static void render_show(json_t *root, const void *ctx)
{
	const char *country = ctx;
	json_t *ed = json_object_get(root, "edition");
	printf("CDG index edition %lld (%s), methodology %s\n",
	       (long long)json_integer_value(json_object_get(ed, "year")),
	       json_is_true(json_object_get(ed, "published")) ? "published"
							       : "draft",
	       js(ed, "methodology_id"));
	long long nsyn = json_integer_value(json_object_get(ed, "synthetic_inputs"));
	if (nsyn)
		printf("** computed from %lld SYNTHETIC (demo) values: not an edition of record **\n",
		       nsyn);
	bool mc = json_integer_value(json_object_get(ed, "mc_replications")) > 0;
	if (!country)
		printf("rank  iso3  score  %s name\n",
		       mc ? "rank 5-95% (median) " : "");
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(root, "states"), i, s) {
		if (!country) {
			print_rank(s, "rank");
			printf("  %s", js(s, "iso3"));
			print_num(jnum(s, "score"), 6);
			if (mc && isnan(jnum(s, "rank_p05")))
				printf("  %-19s", "  -");
			else if (mc)
				printf("  %5.1f-%-5.1f (%5.1f)", jnum(s, "rank_p05"),
				       jnum(s, "rank_p95"), jnum(s, "rank_median"));
			char why[512];
			printf("  %s%s%s\n", js(s, "name"), *not_ranked(s, why) ? "  " : "", why);
			continue;
		}
		printf("%s %s: index score", js(s, "iso3"), js(s, "name"));
		print_num(jnum(s, "score"), 0);
		printf(", rank");
		print_rank(s, "rank");
		if (mc && !isnan(jnum(s, "rank_p05")))
			printf(" (90%% of replications: %.1f to %.1f)",
			       jnum(s, "rank_p05"), jnum(s, "rank_p95"));
		char why[512];
		if (*not_ranked(s, why))
			printf("; %s", why);
		printf("\n");
		const char *k;
		json_t *n;
		json_object_foreach(json_object_get(s, "nodes"), k, n) {
			printf("  %-10s", k);
			print_num(jnum(n, "score"), 7);
			print_rank(n, "rank");
			printf("\n");
		}
		printf("inputs:\n");
		size_t j;
		json_t *in;
		json_array_foreach(json_object_get(s, "inputs"), j, in) {
			printf("  %-10s %10g (%lld)%s  %s\n", js(in, "indicator"),
			       jnum(in, "value"),
			       (long long)json_integer_value(json_object_get(in, "year")),
			       json_is_true(json_object_get(in, "synthetic"))
				       ? " SYNTHETIC" : "",
			       js(in, "source"));
		}
	}
}

static void render_diff(json_t *root, const void *ctx)
{
	(void)ctx;
	printf("index %s: %lld -> %lld%s\n", js(root, "index_node"),
	       (long long)json_integer_value(json_object_get(root, "year1")),
	       (long long)json_integer_value(json_object_get(root, "year2")),
	       json_is_true(json_object_get(root, "same_methodology"))
		       ? "" : " (methodologies differ)");
	printf("iso3  score1  score2  change rank1 rank2 change\n");
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(root, "states"), i, s) {
		printf("%s ", js(s, "iso3"));
		print_num(jnum(s, "score1"), 6);
		print_num(jnum(s, "score2"), 7);
		print_num(jnum(s, "score_change"), 7);
		print_rank(s, "rank1");
		printf(" ");
		print_rank(s, "rank2");
		json_t *rc = json_object_get(s, "rank_change");
		if (json_is_integer(rc))
			printf(" %+6lld\n", (long long)json_integer_value(rc));
		else
			printf(" %6s\n", "-");
		size_t j;
		json_t *c;
		json_array_foreach(json_object_get(s, "input_changes"), j, c) {
			printf("      %-10s", js(c, "indicator"));
			print_num(jnum(c, "value1"), 8);
			printf(" ->");
			print_num(jnum(c, "value2"), 8);
			printf("\n");
		}
	}
}

static void render_whatif(json_t *root, const void *ctx)
{
	(void)ctx;
	printf("what if, edition %lld, %s:",
	       (long long)json_integer_value(json_object_get(root, "edition")),
	       js(root, "iso3"));
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(root, "set"), i, s) {
		printf(" %s", js(s, "indicator"));
		print_num(jnum(s, "from"), 0);
		printf(" ->");
		print_num(jnum(s, "to"), 0);
	}
	printf("\nindex score");
	print_num(jnum(root, "score_before"), 0);
	printf(" ->");
	print_num(jnum(root, "score_after"), 0);
	printf(" (");
	print_num(jnum(root, "score_change"), 0);
	printf(" ), rank");
	print_rank(root, "rank_before");
	printf(" ->");
	print_rank(root, "rank_after");
	printf(" of %lld\n",
	       (long long)json_integer_value(json_object_get(root, "ranked")));
	const char *k;
	json_t *n;
	json_object_foreach(json_object_get(root, "nodes"), k, n) {
		printf("  %-10s", k);
		print_num(jnum(n, "before"), 7);
		printf(" ->");
		print_num(jnum(n, "after"), 7);
		printf("\n");
	}
	printf("(nothing was written)\n");
}

/* list, show, diff, whatif: read-only, JSON from app/. */
static int do_read(struct cli_opts *o, struct ix_opts *x, const char *verb,
		   struct cdg_err *e)
{
	long y1 = 0, y2 = 0;
	int rc = 0;
	void (*render)(json_t *, const void *) = render_list;
	const void *ctx = NULL;
	if (strcmp(verb, "list") == 0) {
		if (x->n_pos)
			return cli_usage(e, "index", "list takes no argument");
	} else if (strcmp(verb, "show") == 0) {
		rc = one_year(x, "show", &y1, e);
		render = x->sensitivity ? render_sensitivity : render_show;
		ctx = x->country;
		if (rc == 0 && x->sensitivity && x->country)
			return cli_usage(e, "index", "give --country or "
					 "--sensitivity, not both");
	} else if (strcmp(verb, "diff") == 0) {
		if (x->n_pos != 2)
			return cli_usage(e, "index", "diff needs YEAR1 YEAR2");
		rc = parse_year(x->pos[0], "YEAR1", &y1, e);
		if (rc == 0)
			rc = parse_year(x->pos[1], "YEAR2", &y2, e);
		render = render_diff;
	} else {
		if (x->n_pos != 1)
			return cli_usage(e, "index", "whatif needs one ISO3");
		render = render_whatif;
	}
	if (rc)
		return rc;
	if (x->country && strcmp(verb, "show") != 0)
		return cli_usage(e, "index", "--country goes with show");
	struct app a;
	if ((rc = cli_open(o, &a, false, e)))
		return rc;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, true);
	if (strcmp(verb, "list") == 0)
		rc = app_index_list_json(&a, &w, e);
	else if (strcmp(verb, "show") == 0)
		rc = app_index_show_json(&a, y1, x->country, &w, e);
	else if (strcmp(verb, "diff") == 0)
		rc = app_index_diff_json(&a, y1, y2, &w, e);
	else
		rc = app_index_whatif_json(&a, x->edition, x->pos[0],
					   x->sets, x->n_sets, &w, e);
	if (rc == 0 && x->sensitivity && !strstr(b.p, "\"sensitivity\""))
		rc = err_at(e, CDG_ENOTFOUND, NULL, 0, "--sensitivity",
			    "edition %ld has no sensitivity analysis ('cdg index "
			    "compute --edition %ld --sobol N')", y1, y1);
	if (rc == 0)
		rc = json_out(o, &b, render, ctx);
	buf_free(&b);
	app_close(&a);
	return rc;
}

int cmd_index(struct cli_opts *o, struct cdg_err *e)
{
	if (o->nrest == 0 || o->rest[0][0] == '-')
		return cli_usage(e, "index", "give a subcommand: run, compute, "
				 "verify, publish, list, show, diff, whatif");
	const char *verb = o->rest[0];
	struct ix_opts x;
	int rc = parse(o, &x, e);
	if (rc == 0) {
		if (strcmp(verb, "run") == 0)
			rc = do_run(o, &x, e);
		else if (strcmp(verb, "compute") == 0)
			rc = do_compute(o, &x, e);
		else if (strcmp(verb, "verify") == 0)
			rc = do_verify(o, &x, e);
		else if (strcmp(verb, "publish") == 0)
			rc = do_publish(o, &x, e);
		else if (strcmp(verb, "list") == 0 || strcmp(verb, "show") == 0 ||
			 strcmp(verb, "diff") == 0 || strcmp(verb, "whatif") == 0)
			rc = do_read(o, &x, verb, e);
		else
			rc = cli_usage(e, "index", "unknown subcommand \"%s\"", verb);
	}
	free(x.sets);
	return rc;
}
