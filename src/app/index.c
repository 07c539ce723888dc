/* The country index use cases: run on files, and annual editions in the
 * database (compute, verify, show, diff, what-if, list, publish).  See
 * app.h and docs/index-methodology.md. */
#include "app/app.h"

#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/formats.h"
#include "index/index.h"
#include "store/store.h"

/* ---- a job: model, data, method, results -------------------------------- */

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

static void job_init(struct job *j)
{
	memset(j, 0, sizeof *j);
	idx_model_init(&j->m);
	arena_init(&j->ar);
}

static void job_free(struct job *j)
{
	if (j->has_meth)
		meth_free(&j->meth);
	if (j->has_res)
		idx_result_free(&j->res);
	if (j->has_mc)
		idx_mc_result_free(&j->mc);
	if (j->has_sa)
		idx_mc_result_free(&j->sa);
	idx_data_free(&j->raw);
	free(j->denom_names);
	free(j->denoms);
	free(j->weights);
	idx_model_free(&j->m);
	arena_free(&j->ar);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int load_meth(struct job *j, const char *path, struct cdg_err *e)
{
	struct buf b = BUF_INIT;
	int rc = file_read_all(path, &b, e);
	if (rc == 0)
		rc = meth_parse(&j->meth, path, b.p, b.len, e);
	buf_free(&b);
	if (rc == 0) {
		j->has_meth = true;
		j->mt = j->meth.method;
	}
	return rc;
}

/* Adds the methodology's nodes to the model. */
static void model_from_meth(struct job *j)
{
	for (size_t i = 0; i < j->meth.n_nodes; i++) {
		const struct meth_node *n = &j->meth.nodes[i];
		int k = idx_model_add_node(&j->m, n->id, n->parent, n->level,
					   n->weight, n->direction, n->target,
					   n->denom);
		if (!isnan(n->gp_lo))
			idx_model_set_goalposts(&j->m, k, n->gp_lo, n->gp_hi);
	}
}

static size_t n1(size_t n)
{
	return n ? n : 1;
}

/* Progress of the engine's runs on stderr (idx_mc_spec.progress). */
static void show_progress(void *ctx, size_t done, size_t total)
{
	(void)total;
	struct progress *p = ctx;
	p->total = (long)total;
	progress_step(p, (long)done - p->done);
}

/* Runs the uncertainty analysis of reps replications into j->mc and,
 * when sobol > 0, the Saltelli design of the sensitivity analysis with
 * N = sobol into j->sa (without --mc its A and B rows, the first 2N
 * replications of the same seed, give the rank intervals). */
static int run_mc(struct job *j, const struct idx_mc_spec *s0, size_t reps,
		  size_t sobol, struct cdg_err *e)
{
	struct idx_input in = {.raw = &j->raw, .denom_names = j->denom_names,
			       .n_denoms = j->n_denoms, .denoms = j->denoms};
	struct idx_mc_spec s = *s0;
	struct progress p;
	s.progress = show_progress;
	s.progress_ctx = &p;
	int rc = 0;
	if (reps) {
		s.all_nodes = true;
		j->has_mc = true;
		progress_begin(&p, "Monte Carlo replications", (long)reps);
		rc = idx_mc_run(&j->m, &in, &j->mt, &s, reps, &j->mc, e);
		progress_end(&p);
	}
	if (rc == 0 && sobol) {
		s.all_nodes = !reps;
		j->has_sa = true;
		progress_begin(&p, "Sobol design runs", 0);
		rc = idx_sa_run(&j->m, &in, &j->mt, &s, sobol, &j->sa, e);
		progress_end(&p);
	}
	return rc;
}

/* The analysis whose rank intervals are reported, or NULL. */
static const struct idx_mc_result *intervals(const struct job *j)
{
	return j->has_mc ? &j->mc : j->has_sa ? &j->sa : NULL;
}

/* Runs the pipeline, then the uncertainty and sensitivity analyses. */
static int job_run(struct job *j, const struct idx_mc_spec *s, size_t reps,
		   size_t sobol, double *ms_run, double *ms_mc,
		   struct cdg_err *e)
{
	struct idx_input in = {.raw = &j->raw, .denom_names = j->denom_names,
			       .n_denoms = j->n_denoms, .denoms = j->denoms};
	double t0 = now_ms();
	int rc = idx_run(&j->m, &in, &j->mt, &j->res, e);
	j->has_res = true;
	double t1 = now_ms();
	if (ms_run)
		*ms_run = t1 - t0;
	if (rc == 0 && (reps > 0 || sobol > 0))
		rc = run_mc(j, s, reps, sobol, e);
	if (ms_mc)
		*ms_mc = now_ms() - t1;
	return rc;
}

/* The row of model unit u in the results, or -1 if screened out. */
static long row_of_unit(const struct job *j, size_t u)
{
	for (size_t r = 0; r < j->res.data.n_rows; r++)
		if (j->res.data.unit[r] == u)
			return (long)r;
	return -1;
}

/* One result per unit and node, unit-major in model order. */
static void job_result(const struct job *j, size_t u, size_t node,
		       struct store_index_result *out)
{
	long r = row_of_unit(j, u);
	size_t nr = j->res.data.n_rows;
	out->iso3 = j->m.units[u].id;
	out->node = j->m.nodes[node].id;
	out->score = r < 0 ? NAN : j->res.score[node * nr + (size_t)r];
	out->rank = r < 0 ? 0 : j->res.rank[node * nr + (size_t)r];
	out->rank_median = out->rank_p05 = out->rank_p95 = NAN;
	const struct idx_mc_result *mc = intervals(j);
	if (mc && mc->node_rank_median) {
		size_t k = node * mc->n_units + u;
		out->rank_median = mc->node_rank_median[k];
		out->rank_p05 = mc->node_rank_q5[k];
		out->rank_p95 = mc->node_rank_q95[k];
	}
}

/* ---- flags of `cdg index run` ---------------------------------------------- */

static int bad_flag(struct cdg_err *e, const char *flag, const char *value,
		    const char *want)
{
	return err_at(e, CDG_EUSAGE, NULL, 0, flag, "\"%s\": expected %s",
		      value, want);
}

static int flag_impute(const char *v, enum idx_impute_kind *k,
		       const char **group, struct cdg_err *e)
{
	static const char want[] =
		"none, mean, median, group-mean:COL or group-median:COL";
	*group = NULL;
	if (strcmp(v, "none") == 0)
		*k = IDX_IMPUTE_NONE;
	else if (strcmp(v, "mean") == 0)
		*k = IDX_IMPUTE_MEAN;
	else if (strcmp(v, "median") == 0)
		*k = IDX_IMPUTE_MEDIAN;
	else if (strncmp(v, "group-mean:", 11) == 0 && v[11])
		*k = IDX_IMPUTE_GROUP_MEAN, *group = v + 11;
	else if (strncmp(v, "group-median:", 13) == 0 && v[13])
		*k = IDX_IMPUTE_GROUP_MEDIAN, *group = v + 13;
	else
		return bad_flag(e, "--impute", v, want);
	return 0;
}

/* Splits "a:b:c" into at most 3 parts (modifies s). */
static size_t split(char *s, char sep, char **parts, size_t max)
{
	size_t n = 0;
	parts[n++] = s;
	for (char *p = s; *p && n < max; p++)
		if (*p == sep) {
			*p = '\0';
			parts[n++] = p + 1;
		}
	return n;
}

static int flag_normalise(const char *v, struct idx_norm *nm,
			  struct cdg_err *e)
{
	static const char want[] = "minmax:L:U, zscore:M:S, rank, prank, borda, "
		"fracmax, dist2max, dist2targ, goalposts or sdg";
	char tmp[128], *p[3];
	snprintf(tmp, sizeof tmp, "%s", v);
	size_t n = split(tmp, ':', p, 3);
	static const struct { const char *name; enum idx_norm_kind k; } plain[] = {
		{"rank", IDX_NORM_RANK}, {"prank", IDX_NORM_PRANK},
		{"borda", IDX_NORM_BORDA}, {"fracmax", IDX_NORM_FRACMAX},
		{"dist2max", IDX_NORM_DIST2MAX}, {"dist2targ", IDX_NORM_DIST2TARG},
		{"goalposts", IDX_NORM_GOALPOSTS}, {"sdg", IDX_NORM_SDG}};
	*nm = (struct idx_norm){IDX_NORM_NONE, 0, 0};
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (n == 1 && strcmp(p[0], plain[i].name) == 0) {
			nm->kind = plain[i].k;
			return 0;
		}
	bool mm = strcmp(p[0], "minmax") == 0, zs = strcmp(p[0], "zscore") == 0;
	if (!(mm || zs) || n != 3 || parse_double(p[1], &nm->p1) ||
	    parse_double(p[2], &nm->p2) || (mm && !(nm->p1 < nm->p2)) ||
	    (zs && !(nm->p2 > 0)))
		return bad_flag(e, "--normalise", v, want);
	nm->kind = mm ? IDX_NORM_MINMAX : IDX_NORM_ZSCORE;
	return 0;
}

static int flag_mean(const char *v, struct idx_agg *g, struct cdg_err *e)
{
	static const char want[] = "amean, gmean, hmean or genmean:P (P != 0), "
		"one per level separated by commas";
	*g = (struct idx_agg){IDX_AGG_AMEAN, 0};
	if (strcmp(v, "amean") == 0)
		return 0;
	if (strcmp(v, "gmean") == 0)
		g->kind = IDX_AGG_GMEAN;
	else if (strcmp(v, "hmean") == 0)
		g->kind = IDX_AGG_HMEAN;
	else if (strncmp(v, "genmean:", 8) == 0 &&
		 parse_double(v + 8, &g->p) == 0 && g->p != 0)
		g->kind = IDX_AGG_GENMEAN;
	else
		return bad_flag(e, "--aggregate", v, want);
	return 0;
}

/* "m" for every level, or "m2,m3,..." from level 2 up (the last one
 * repeats upwards). */
static int flag_aggregate(const char *v, struct idx_agg_set *set,
			  struct cdg_err *e)
{
	char tmp[256], *p[IDX_MAX_LEVELS];
	snprintf(tmp, sizeof tmp, "%s", v);
	size_t n = split(tmp, ',', p, IDX_MAX_LEVELS - 2);
	struct idx_agg g = {IDX_AGG_AMEAN, 0};
	for (int l = 2; l < IDX_MAX_LEVELS; l++) {
		size_t i = (size_t)l - 2;
		if (i < n) {
			int rc = flag_mean(p[i], &g, e);
			if (rc)
				return rc;
		}
		set->lev[l] = g;
	}
	return 0;
}

/* Applies the pipeline flags over the job's method. */
static int apply_flags(struct job *j, const struct app_index_run_opts *o,
		       const char **group, struct cdg_err *e)
{
	struct idx_method *mt = &j->mt;
	int rc = 0;
	if (o->denominate)
		mt->denominate = true;
	if (o->impute)
		rc = flag_impute(o->impute, &mt->impute, group, e);
	if (rc == 0 && o->screen) {
		double f;
		if (parse_double(o->screen, &f) || f < 0 || f > 1)
			return bad_flag(e, "--screen", o->screen,
					"a fraction from 0 to 1");
		mt->screen = (struct idx_screen){IDX_SCREEN_BY_NA, f, 0};
		mt->screen_first = false;
	}
	if (rc == 0 && o->treat) {
		long w;
		if (strcmp(o->treat, "none") == 0)
			mt->treat.on = false;
		else if (strncmp(o->treat, "winsorise:", 10) == 0 &&
			 parse_long(o->treat + 10, 0, 1000000, &w) == 0)
			mt->treat = (struct idx_treat){true, (int)w, 2, 3.5};
		else
			return bad_flag(e, "--treat", o->treat,
					"winsorise:WINMAX or none");
	}
	if (rc == 0 && o->normalise)
		rc = flag_normalise(o->normalise, &mt->norm, e);
	if (rc == 0 && o->aggregate)
		rc = flag_aggregate(o->aggregate, &mt->agg, e);
	return rc;
}

/* ---- reading the inputs of `cdg index run` ----------------------------------- */

/* A cell as a number: empty or NA is missing. */
static int cell_num(const char *file, long line, const char *field,
		    const char *s, double *out, struct cdg_err *e)
{
	if (!*s || strcmp(s, "NA") == 0) {
		*out = NAN;
		return 0;
	}
	if (parse_double(s, out))
		return err_at(e, CDG_EINPUT, file, line, field,
			      "\"%s\" is not a number", s);
	return 0;
}

/* Indicator column of each node before idx_model_finish derives it: the
 * level-1 nodes in the order added (index.h), -1 for aggregates.
 * Returns the number of indicators; col (n_nodes) is malloc'd. */
static size_t ind_cols(const struct idx_model *m, long **col)
{
	size_t n = 0;
	*col = xmalloc(n1(m->n_nodes) * sizeof **col);
	for (size_t i = 0; i < m->n_nodes; i++)
		(*col)[i] = m->nodes[i].level == 1 ? (long)n++ : -1;
	return n;
}

/* Long-form D.csv (unit,indicator,value): indicators are the
 * methodology's level-1 nodes; rows naming a denominator of some node
 * give denominator values. */
static int read_long(struct job *j, const char *path, struct cdg_err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_at(e, CDG_EIO, path, 0, NULL, "cannot open");
	struct csv c;
	csv_open_file(&c, path, f);
	static const char *const req[] = {"unit", "indicator", "value", NULL};
	int rc = csv_read_header(&c, e);
	if (rc == 0)
		rc = csv_require(&c, req, e);
	/* Denominator names referenced by the nodes. */
	const char **dn = xcalloc(j->meth.n_nodes + 1, sizeof *dn);
	size_t ndn = 0;
	for (size_t i = 0; i < j->meth.n_nodes; i++) {
		const char *d = j->meth.nodes[i].denom;
		bool seen = !d;
		for (size_t k = 0; k < ndn && !seen; k++)
			seen = strcmp(dn[k], d) == 0;
		if (!seen)
			dn[ndn++] = d;
	}
	/* Unit code -> 1 + unit index (0 would read as absent). */
	struct strmap units;
	strmap_init(&units);
	long *colmap;
	size_t nu = 0, cap = 0, ncol = ind_cols(&j->m, &colmap), width = ncol + ndn;
	double *val = NULL;
	long *line = NULL;
	long uc = csv_col(&c, "unit"), ic = csv_col(&c, "indicator"),
	     vc = csv_col(&c, "value");
	while (rc == 0 && (rc = csv_next(&c, e)) == 1) {
		rc = csv_check_width(&c, e);
		if (rc)
			break;
		const char *u = csv_field(&c, (size_t)uc);
		const char *ind = csv_field(&c, (size_t)ic);
		const char *v = csv_field(&c, (size_t)vc);
		if (!*u) {
			rc = err_at(e, CDG_EINPUT, path, c.line, "unit", "empty");
			break;
		}
		long col = -1;
		int node = idx_model_find(&j->m, ind);
		if (node >= 0)
			col = colmap[node];
		if (node >= 0 && col < 0) {
			rc = err_at(e, CDG_EINPUT, path, c.line, "indicator",
				    "%s is an aggregate of the methodology; give "
				    "indicators (level 1) only", ind);
			break;
		}
		for (size_t k = 0; col < 0 && k < ndn; k++)
			if (strcmp(dn[k], ind) == 0)
				col = (long)(ncol + k);
		if (col < 0) {
			rc = err_at(e, CDG_EINPUT, path, c.line, "indicator",
				    "unknown indicator \"%s\" (not in the "
				    "methodology %s)", ind, j->meth.id);
			break;
		}
		double x;
		if (!*v || parse_double(v, &x)) {
			rc = err_at(e, CDG_EINPUT, path, c.line, "value",
				    "\"%s\" is not a number", v);
			break;
		}
		long ui = (long)(uintptr_t)strmap_get(&units, u) - 1;
		if (ui < 0) {
			ui = (long)nu++;
			const char *id = arena_strdup(&j->ar, u);
			strmap_put(&units, id, (void *)(uintptr_t)nu);
			idx_model_add_unit(&j->m, id, NULL);
			if (nu > cap) {
				cap = cap ? 2 * cap : 64;
				val = xrealloc(val, cap * width * sizeof *val);
				line = xrealloc(line, cap * width * sizeof *line);
			}
			for (size_t k = 0; k < width; k++) {
				val[(size_t)ui * width + k] = NAN;
				line[(size_t)ui * width + k] = 0;
			}
		}
		size_t cell = (size_t)ui * width + (size_t)col;
		if (line[cell]) {
			rc = err_at(e, CDG_EINPUT, path, c.line, "indicator",
				    "%s %s appears twice (first on line %ld)", u,
				    ind, line[cell]);
			break;
		}
		line[cell] = c.line;
		val[cell] = x;
	}
	csv_close(&c);
	fclose(f);
	if (rc == 0 && nu == 0)
		rc = err_at(e, CDG_EINPUT, path, 0, NULL, "no data rows");
	if (rc == 0)
		rc = idx_model_finish(&j->m, e);
	if (rc == 0) {
		idx_data_init(&j->raw, nu, ncol);
		for (size_t u = 0; u < nu; u++)
			for (size_t k = 0; k < ncol; k++)
				j->raw.x[k * nu + u] = val[u * width + k];
		j->n_denoms = ndn;
		j->denom_names = dn;
		dn = NULL;
		j->denoms = xmalloc(n1(ndn * nu) * sizeof *j->denoms);
		for (size_t k = 0; k < ndn; k++)
			for (size_t u = 0; u < nu; u++)
				j->denoms[k * nu + u] = val[u * width + ncol + k];
	}
	free(dn);
	free(val);
	free(line);
	free(colmap);
	strmap_free(&units);
	return rc < 0 ? rc : 0;
}

/* Reads a whole CSV file with a header into c (text kept in b). */
static int open_csv(const char *path, struct buf *b, struct csv *c,
		    const char *const *req, struct cdg_err *e)
{
	int rc = file_read_all(path, b, e);
	if (rc)
		return rc;
	csv_open(c, path, b->p, b->len);
	rc = csv_read_header(c, e);
	if (rc == 0 && req)
		rc = csv_require(c, req, e);
	return rc;
}

/* COINr's iMeta: the tree (rows without a Level are groups and
 * denominators). */
static int read_imeta(struct job *j, const char *path, struct cdg_err *e)
{
	static const char *const req[] = {"Level", "iCode", "Parent", "Weight",
					  "Direction", NULL};
	struct buf b = BUF_INIT;
	struct csv c;
	int rc = open_csv(path, &b, &c, req, e);
	struct idx_imeta_row *rows = NULL;
	size_t n = 0, cap = 0;
	while (rc == 0 && (rc = csv_next(&c, e)) == 1) {
		if ((rc = csv_check_width(&c, e)))
			break;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			rows = xrealloc(rows, cap * sizeof *rows);
		}
		struct idx_imeta_row *r = &rows[n];
		double lev, dir;
		rc = cell_num(path, c.line, "Level", csv_get(&c, "Level"), &lev, e);
		if (rc == 0)
			rc = cell_num(path, c.line, "Weight", csv_get(&c, "Weight"),
				      &r->weight, e);
		if (rc == 0)
			rc = cell_num(path, c.line, "Direction",
				      csv_get(&c, "Direction"), &dir, e);
		if (rc == 0)
			rc = cell_num(path, c.line, "Target", csv_get(&c, "Target"),
				      &r->target, e);
		if (rc)
			break;
		if (!isnan(lev) && (lev != floor(lev) || lev < 1 ||
				    lev >= IDX_MAX_LEVELS)) {
			rc = err_at(e, CDG_EINPUT, path, c.line, "Level",
				    "must be an integer from 1 to %d",
				    IDX_MAX_LEVELS - 1);
			break;
		}
		if (!isnan(dir) && dir != 1 && dir != -1) {
			rc = err_at(e, CDG_EINPUT, path, c.line, "Direction",
				    "must be 1 or -1");
			break;
		}
		r->level = isnan(lev) ? 0 : (int)lev;
		r->direction = isnan(dir) ? 0 : (int)dir;
		r->icode = arena_strdup(&j->ar, csv_get(&c, "iCode"));
		r->parent = arena_strdup(&j->ar, csv_get(&c, "Parent"));
		r->denom = arena_strdup(&j->ar, csv_get(&c, "Denominator"));
		if (r->level > 0 && isnan(r->weight)) {
			rc = err_at(e, CDG_EINPUT, path, c.line, "Weight",
				    "missing for %s", r->icode);
			break;
		}
		n++;
	}
	if (rc == 0)
		rc = idx_model_from_imeta(&j->m, rows, n, e);
	if (rc < 0 && e && !e->file[0])
		snprintf(e->file, sizeof e->file, "%s", path);
	free(rows);
	csv_close(&c);
	buf_free(&b);
	return rc < 0 ? rc : 0;
}

/* COINr's iData: one row per unit; indicator and denominator columns. */
static int read_idata(struct job *j, const char *path, const char *group,
		      struct cdg_err *e)
{
	static const char *const req[] = {"uCode", NULL};
	struct buf b = BUF_INIT;
	struct csv c;
	int rc = open_csv(path, &b, &c, req, e);
	if (rc == 0 && group && csv_col(&c, group) < 0)
		rc = err_at(e, CDG_EUSAGE, path, 1, group,
			    "no such group column for --impute");
	/* Every indicator needs a column; denominators named by nodes too. */
	const struct idx_model *m = &j->m;
	const char **dn = xcalloc(m->n_nodes + 1, sizeof *dn);
	size_t ndn = 0;
	for (size_t i = 0; rc == 0 && i < m->n_nodes; i++) {
		const struct idx_node *nd = &m->nodes[i];
		if (nd->level == 1 && csv_col(&c, nd->id) < 0)
			rc = err_at(e, CDG_EINPUT, path, 1, nd->id,
				    "no column for indicator %s of the iMeta",
				    nd->id);
		const char *d = nd->denom;
		bool seen = !d || !*d;
		for (size_t k = 0; k < ndn && !seen; k++)
			seen = strcmp(dn[k], d) == 0;
		if (!seen && rc == 0 && csv_col(&c, d) < 0 && j->mt.denominate)
			rc = err_at(e, CDG_EINPUT, path, 1, d,
				    "no column for denominator %s", d);
		if (!seen)
			dn[ndn++] = d;
	}
	double *vals = NULL;
	long *colmap;
	size_t ni = ind_cols(m, &colmap);
	const char **icode = xcalloc(n1(ni), sizeof *icode);
	for (size_t i = 0; i < m->n_nodes; i++)
		if (colmap[i] >= 0)
			icode[colmap[i]] = m->nodes[i].id;
	size_t nu = 0, cap = 0, width = ni + ndn;
	while (rc == 0 && (rc = csv_next(&c, e)) == 1) {
		if ((rc = csv_check_width(&c, e)))
			break;
		const char *u = csv_get(&c, "uCode");
		if (!*u) {
			rc = err_at(e, CDG_EINPUT, path, c.line, "uCode", "empty");
			break;
		}
		if (idx_model_find_unit(&j->m, u) >= 0) {
			rc = err_at(e, CDG_EINPUT, path, c.line, "uCode",
				    "unit %s appears twice", u);
			break;
		}
		const char *g = group ? csv_get(&c, group) : NULL;
		idx_model_add_unit(&j->m, u, g && *g ? g : NULL);
		if (nu == cap) {
			cap = cap ? 2 * cap : 64;
			vals = xrealloc(vals, cap * width * sizeof *vals);
		}
		for (size_t k = 0; k < width && rc == 0; k++) {
			const char *col = k < ni ? icode[k] : dn[k - ni];
			rc = cell_num(path, c.line, col, csv_get(&c, col),
				      &vals[nu * width + k], e);
		}
		nu++;
	}
	if (rc == 0)
		rc = idx_model_finish(&j->m, e);
	if (rc == 0) {
		idx_data_init(&j->raw, nu, ni);
		for (size_t u = 0; u < nu; u++)
			for (size_t k = 0; k < ni; k++)
				j->raw.x[k * nu + u] = vals[u * width + k];
		j->denoms = xmalloc(n1(ndn * nu) * sizeof *j->denoms);
		for (size_t k = 0; k < ndn; k++)
			for (size_t u = 0; u < nu; u++)
				j->denoms[k * nu + u] = vals[u * width + ni + k];
		j->denom_names = dn;
		j->n_denoms = ndn;
		dn = NULL;
	}
	free(dn);
	free(vals);
	free(colmap);
	free(icode);
	csv_close(&c);
	buf_free(&b);
	return rc < 0 ? rc : 0;
}

/* COINr's weight table (iCode,Weight; other columns such as Level are
 * ignored): the weight of each node listed replaces the model's; nodes
 * not listed keep theirs. */
static int read_weights(struct job *j, const char *path, struct cdg_err *e)
{
	static const char *const req[] = {"iCode", "Weight", NULL};
	struct buf b = BUF_INIT;
	struct csv c;
	int rc = open_csv(path, &b, &c, req, e);
	size_t nn = j->m.n_nodes;
	j->weights = xmalloc(n1(nn) * sizeof *j->weights);
	long *line = xcalloc(n1(nn), sizeof *line);
	for (size_t i = 0; i < nn; i++)
		j->weights[i] = j->m.nodes[i].weight;
	while (rc == 0 && (rc = csv_next(&c, e)) == 1) {
		if ((rc = csv_check_width(&c, e)))
			break;
		const char *code = csv_get(&c, "iCode");
		int k = idx_model_find(&j->m, code);
		double w;
		if (k < 0) {
			rc = err_at(e, CDG_EINPUT, path, c.line, "iCode",
				    "\"%s\" is not a node of the index", code);
			break;
		}
		if (line[k]) {
			rc = err_at(e, CDG_EINPUT, path, c.line, "iCode",
				    "%s appears twice (first on line %ld)", code,
				    line[k]);
			break;
		}
		const char *v = csv_get(&c, "Weight");
		if (parse_double(v, &w) || !isfinite(w) || w < 0) {
			rc = err_at(e, CDG_EINPUT, path, c.line, "Weight",
				    "\"%s\": expected a number >= 0", v);
			break;
		}
		line[k] = c.line;
		j->weights[k] = w;
	}
	if (rc == 0)
		j->mt.weights = j->weights;
	free(line);
	csv_close(&c);
	buf_free(&b);
	return rc < 0 ? rc : 0;
}

/* ---- writing R.csv -------------------------------------------------------- */

static void put_num(struct buf *b, double v)
{
	struct buf t = BUF_INIT;
	if (!isnan(v))
		fmt_double(&t, v);
	csv_put(b, t.p, false);
	buf_free(&t);
}

static void write_results(const struct job *j, struct buf *b)
{
	csv_put(b, "unit", true);
	csv_put(b, "node", false);
	csv_put(b, "score", false);
	csv_put(b, "rank", false);
	if (intervals(j)) {
		csv_put(b, "rank_median", false);
		csv_put(b, "rank_p05", false);
		csv_put(b, "rank_p95", false);
	}
	csv_endrow(b);
	for (size_t u = 0; u < j->m.n_units; u++)
		for (size_t i = 0; i < j->m.n_nodes; i++) {
			struct store_index_result r;
			job_result(j, u, i, &r);
			csv_put(b, r.iso3, true);
			csv_put(b, r.node, false);
			put_num(b, r.score);
			char rk[16] = "";
			if (r.rank > 0)
				snprintf(rk, sizeof rk, "%d", r.rank);
			csv_put(b, rk, false);
			if (intervals(j)) {
				put_num(b, r.rank_median);
				put_num(b, r.rank_p05);
				put_num(b, r.rank_p95);
			}
			csv_endrow(b);
		}
}

static int mc_spec(struct job *j, long reps_flag, long sobol_flag,
		   bool has_seed, uint64_t seed, int threads,
		   struct idx_mc_spec *s, size_t *reps, struct cdg_err *e)
{
	*reps = 0;
	memset(s, 0, sizeof *s);
	if (reps_flag <= 0 && sobol_flag <= 0)
		return 0;
	if (!j->has_meth || !j->meth.has_uncertainty)
		return err_at(e, CDG_EUSAGE, NULL, 0,
			      reps_flag > 0 ? "--mc" : "--sobol",
			      "%s needs a methodology with an \"uncertainty\" "
			      "section (--methodology)", reps_flag > 0
			      ? "Monte Carlo" : "sensitivity analysis");
	meth_mc_spec(&j->meth, s);
	if (has_seed)
		s->seed = seed;
	s->n_threads = threads > 0 ? threads : 1;
	*reps = reps_flag > 0 ? (size_t)reps_flag : 0;
	return 0;
}

/* The Sobol indices of j->sa into out. */
static void job_sensitivity(const struct job *j,
			    struct app_index_sensitivity *out)
{
	memset(out, 0, sizeof *out);
	if (!j->has_sa)
		return;
	const struct idx_mc_result *r = &j->sa;
	out->n_factors = r->n_factors;
	out->runs = r->n_reps;
	out->n = r->n_reps / (r->n_factors + 2);
	for (size_t i = 0; i < r->n_factors && i < APP_INDEX_MAX_FACTORS; i++) {
		out->factor[i] = idx_factor_name(r->factor[i]);
		out->si[i] = r->si[i];
		out->sti[i] = r->sti[i];
	}
}

void app_index_sensitivity_json(struct jw *w,
				const struct app_index_sensitivity *sa)
{
	jw_key(w, "sensitivity");
	jw_obj(w);
	jw_kint(w, "n", (long long)sa->n);
	jw_kint(w, "runs", (long long)sa->runs);
	jw_key(w, "factors");
	jw_arr(w);
	for (size_t i = 0; i < sa->n_factors; i++) {
		jw_obj(w);
		jw_kstr(w, "factor", sa->factor[i]);
		jw_knum(w, "si", sa->si[i]);
		jw_knum(w, "sti", sa->sti[i]);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

/* S.csv: factor,si,sti, one row per uncertain choice that varies. */
static void write_sensitivity(const struct app_index_sensitivity *sa,
			      struct buf *b)
{
	csv_put(b, "factor", true);
	csv_put(b, "si", false);
	csv_put(b, "sti", false);
	csv_endrow(b);
	for (size_t i = 0; i < sa->n_factors; i++) {
		csv_put(b, sa->factor[i], true);
		put_num(b, sa->si[i]);
		put_num(b, sa->sti[i]);
		csv_endrow(b);
	}
}

int app_index_run(const struct app_index_run_opts *o,
		  struct app_index_run_report *rep, struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	bool coinr = o->idata || o->imeta;
	if (!o->out)
		return err_at(e, CDG_EUSAGE, NULL, 0, "--out", "required");
	if (coinr && !(o->idata && o->imeta))
		return err_at(e, CDG_EUSAGE, NULL, 0, o->idata ? "--imeta" : "--idata",
			      "--idata and --imeta go together");
	if (coinr && o->data)
		return err_at(e, CDG_EUSAGE, NULL, 0, "--input",
			      "give either --input or --idata/--imeta");
	if (!coinr && (!o->data || !o->methodology))
		return err_at(e, CDG_EUSAGE, NULL, 0,
			      o->data ? "--methodology" : "--input",
			      "required (or --idata and --imeta)");
	if (o->sensitivity && o->sobol <= 0)
		return err_at(e, CDG_EUSAGE, NULL, 0, "--sensitivity",
			      "goes with --sobol N");
	struct job j;
	job_init(&j);
	/* Without a methodology, COINr's inputs take cdg's run defaults: no
	 * treatment, min-max 0-100, arithmetic means. */
	idx_method_default(&j.mt);
	j.mt.treat.on = false;
	int rc = o->methodology ? load_meth(&j, o->methodology, e) : 0;
	const char *group = j.has_meth ? j.meth.group : NULL;
	if (rc == 0)
		rc = apply_flags(&j, o, &group, e);
	if (rc == 0 && !coinr && j.meth.n_nodes == 0)
		rc = err_at(e, CDG_EINPUT, o->methodology, 0, "nodes",
			    "--data needs a methodology with nodes");
	if (rc == 0 && !coinr && group)
		rc = err_at(e, CDG_EUSAGE, NULL, 0, "--impute",
			    "group imputation needs unit groups; --data has "
			    "none (use --idata)");
	if (rc == 0 && coinr)
		rc = read_imeta(&j, o->imeta, e);
	if (rc == 0 && coinr)
		rc = read_idata(&j, o->idata, group, e);
	if (rc == 0 && !coinr) {
		model_from_meth(&j);
		rc = read_long(&j, o->data, e);
	}
	struct idx_mc_spec s;
	size_t reps = 0;
	if (rc == 0 && o->weights)
		rc = read_weights(&j, o->weights, e);
	if (rc == 0)
		rc = mc_spec(&j, o->mc, o->sobol, o->has_seed, o->seed,
			     o->threads, &s, &reps, e);
	if (rc == 0)
		rc = job_run(&j, &s, reps, o->sobol > 0 ? (size_t)o->sobol : 0,
			     &rep->ms_pipeline, &rep->ms_mc, e);
	job_sensitivity(&j, &rep->sa);
	/* Both files or neither: S.csv is written first, and removed if
	 * R.csv cannot be. */
	if (rc == 0 && o->sensitivity) {
		struct buf b = BUF_INIT;
		write_sensitivity(&rep->sa, &b);
		rc = file_write_atomic(o->sensitivity, b.p, b.len, e);
		buf_free(&b);
	}
	if (rc == 0) {
		struct buf b = BUF_INIT;
		write_results(&j, &b);
		rc = file_write_atomic(o->out, b.p, b.len, e);
		rep->n_rows = j.m.n_units * j.m.n_nodes;
		buf_free(&b);
		if (rc && o->sensitivity)
			remove(o->sensitivity);
	}
	rep->n_units = j.m.n_units;
	rep->n_ranked = j.has_res ? j.res.data.n_rows : 0;
	rep->n_nodes = j.m.n_nodes;
	rep->n_ind = j.m.n_ind;
	rep->mc_reps = reps;
	job_free(&j);
	return rc;
}

/* ---- editions ----------------------------------------------------------------- */

static void sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, p, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* The frozen inputs: copies of the store rows. */
struct inputs {
	struct store_index_input *v;
	size_t n, cap;
	struct arena ar;
};

static int collect_input(void *ctx, const struct store_index_input *r)
{
	struct inputs *in = ctx;
	if (in->n == in->cap) {
		in->cap = in->cap ? 2 * in->cap : 256;
		in->v = xrealloc(in->v, in->cap * sizeof *in->v);
	}
	struct store_index_input c = *r;
	c.iso3 = arena_strdup(&in->ar, r->iso3);
	c.indicator = arena_strdup(&in->ar, r->indicator);
	c.source = arena_strdup(&in->ar, r->source);
	in->v[in->n++] = c;
	return 0;
}

static void inputs_free(struct inputs *in)
{
	free(in->v);
	arena_free(&in->ar);
}

/* SHA-256 of the canonical snapshot: one line per input, sorted by state
 * then indicator, "iso3,indicator,year,value,source\n" with the value in
 * shortest round-trip form (docs/index-methodology.md). */
static void inputs_hash(const struct inputs *in, char out[65])
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < in->n; i++) {
		const struct store_index_input *r = &in->v[i];
		buf_addf(&b, "%s,%s,%ld,", r->iso3, r->indicator, r->year);
		fmt_double(&b, r->value);
		buf_addf(&b, ",%s\n", r->source);
	}
	sha256_hex(b.p, b.len, out);
	buf_free(&b);
}

/* Builds the job of an edition from a methodology text and inputs (the
 * states are those with at least one input, in iso3 order).  set/n_set
 * override values of one state (what-if). */
struct override {
	const char *iso3;
	const char *indicator;
	double value;
};

static int edition_job(struct job *j, const char *mtext, const char *mname,
		       const struct inputs *in, const struct override *ov,
		       size_t n_ov, struct cdg_err *e)
{
	int rc = meth_parse(&j->meth, mname, mtext, strlen(mtext), e);
	if (rc)
		return rc;
	j->has_meth = true;
	j->mt = j->meth.method;
	if (j->meth.n_nodes == 0)
		return err_at(e, CDG_EINPUT, mname, 0, "nodes",
			      "an edition needs a methodology with nodes");
	if (j->meth.group)
		return err_at(e, CDG_EINPUT, mname, 0, "impute",
			      "group imputation is not available for editions "
			      "(states carry no group)");
	model_from_meth(j);
	const char *last = "";
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->v[i].iso3, last) != 0) {
			last = in->v[i].iso3;
			idx_model_add_unit(&j->m, last, NULL);
		}
	for (size_t i = 0; i < n_ov; i++)
		if (idx_model_find_unit(&j->m, ov[i].iso3) < 0)
			idx_model_add_unit(&j->m, ov[i].iso3, NULL);
	rc = idx_model_finish(&j->m, e);
	if (rc)
		return rc;
	size_t nu = j->m.n_units;
	idx_data_init(&j->raw, nu, j->m.n_ind);
	j->denoms = xmalloc(sizeof *j->denoms);
	for (size_t i = 0; i < in->n + n_ov; i++) {
		const char *iso = i < in->n ? in->v[i].iso3 : ov[i - in->n].iso3;
		const char *ind = i < in->n ? in->v[i].indicator
					    : ov[i - in->n].indicator;
		double v = i < in->n ? in->v[i].value : ov[i - in->n].value;
		int node = idx_model_find(&j->m, ind);
		/* Observations of indicators the methodology leaves out are
		 * not inputs. */
		if (node < 0 || j->m.node_col[node] < 0)
			continue;
		int u = idx_model_find_unit(&j->m, iso);
		j->raw.x[(size_t)j->m.node_col[node] * nu + (size_t)u] = v;
	}
	return 0;
}

/* The results of a job as store rows (strings owned by the job). */
static struct store_index_result *job_rows(const struct job *j, size_t *n)
{
	*n = j->m.n_units * j->m.n_nodes;
	struct store_index_result *r = xmalloc(n1(*n) * sizeof *r);
	size_t k = 0;
	for (size_t u = 0; u < j->m.n_units; u++)
		for (size_t i = 0; i < j->m.n_nodes; i++)
			job_result(j, u, i, &r[k++]);
	return r;
}

static int default_methodology(const char *data_dir, const char *path,
			       struct buf *text, struct buf *name,
			       struct cdg_err *e)
{
	if (path)
		buf_adds(name, path);
	else
		buf_addf(name, "%s/index/cdg-default.json", data_dir);
	return file_read_all(name->p, text, e);
}

/* Keeps the snapshot rows whose indicator the methodology uses. */
static void keep_used(struct inputs *in, const struct meth *m)
{
	size_t k = 0;
	for (size_t i = 0; i < in->n; i++) {
		const struct meth_node *n = meth_node(m, in->v[i].indicator);
		if (n && n->level == 1)
			in->v[k++] = in->v[i];
	}
	in->n = k;
}

int app_index_compute(struct app *a, const struct app_index_compute_opts *o,
		      struct app_index_edition_report *rep, struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	int arc = app_authorize(a, o->actor, APP_INDEX_WRITE, NULL, e);
	if (arc)
		return arc;
	if (o->year < 1990 || o->year > 2100)
		return err_at(e, CDG_EUSAGE, NULL, 0, "--edition",
			      "%ld is not a year from 1990 to 2100", o->year);
	if (sodium_init() < 0)
		return err_set(e, CDG_EINTERNAL, "libsodium failed to initialise");
	struct buf text = BUF_INIT, name = BUF_INIT;
	int rc = default_methodology(o->data_dir, o->methodology, &text, &name, e);
	struct job j;
	job_init(&j);
	struct inputs in = {0};
	arena_init(&in.ar);
	/* The methodology must agree with the catalog. */
	if (rc == 0) {
		rc = meth_parse(&j.meth, name.p, text.p, text.len, e);
		j.has_meth = rc == 0;
	}
	for (size_t i = 0; rc == 0 && i < j.meth.n_nodes; i++) {
		const struct meth_node *n = &j.meth.nodes[i];
		if (n->level != 1)
			continue;
		const struct fw_indicator *d = fw_indicator(&a->cat, n->id);
		if (!d)
			rc = err_at(e, CDG_EINPUT, name.p, n->line, "id",
				    "node %s: not an indicator of the catalog",
				    n->id);
		else if (d->direction != n->direction || d->lower != n->gp_lo ||
			 d->upper != n->gp_hi)
			rc = err_at(e, CDG_EINPUT, name.p, n->line, "direction",
				    "node %s: direction or goalposts differ from "
				    "the catalog", n->id);
	}
	if (rc == 0)
		rc = store_edition_candidates(a->st, o->year, collect_input, &in, e);
	if (rc == 0)
		keep_used(&in, &j.meth);
	if (j.has_meth) {
		meth_free(&j.meth);
		j.has_meth = false;
	}
	if (rc == 0 && in.n == 0)
		rc = err_at(e, CDG_EINPUT, NULL, 0, "--edition",
			    "no observations of %ld or earlier", o->year);
	struct idx_mc_spec s;
	size_t reps = 0;
	if (rc == 0)
		rc = edition_job(&j, text.p, name.p, &in, NULL, 0, e);
	/* Unless told otherwise, an edition carries the rank intervals of the
	 * methodology's own uncertainty analysis. */
	long mc = o->mc;
	if (rc == 0 && mc < 0)
		mc = j.has_meth && j.meth.has_uncertainty ? (long)j.meth.mc_reps : 0;
	if (rc == 0)
		rc = mc_spec(&j, mc, o->sobol, o->has_seed, o->seed,
			     o->threads, &s, &reps, e);
	if (rc == 0)
		rc = job_run(&j, &s, reps, o->sobol > 0 ? (size_t)o->sobol : 0,
			     NULL, NULL, e);
	if (rc == 0) {
		struct store_edition ed = {0};
		ed.year = o->year;
		ed.methodology_id = j.meth.id;
		ed.methodology = text.p;
		sha256_hex(text.p, text.len, ed.methodology_sha256);
		inputs_hash(&in, ed.input_sha256);
		ed.mc_reps = (long)reps;
		ed.mc_seed = reps || o->sobol > 0 ? s.seed : 0;
		ed.n_units = (long)j.m.n_units;
		ed.n_ranked = (long)j.res.data.n_rows;
		size_t nres;
		struct store_index_result *res = job_rows(&j, &nres);
		job_sensitivity(&j, &rep->sa);
		struct store_index_sensitivity sens[APP_INDEX_MAX_FACTORS];
		for (size_t i = 0; i < rep->sa.n_factors; i++)
			sens[i] = (struct store_index_sensitivity){
				rep->sa.factor[i], (long)rep->sa.n, rep->sa.si[i],
				rep->sa.sti[i]};
		rc = store_edition_freeze(a->st, o->actor, &ed, in.v, in.n, res,
					  nres, sens, rep->sa.n_factors, e);
		free(res);
		rep->year = o->year;
		rep->n_units = j.m.n_units;
		rep->n_ranked = j.res.data.n_rows;
		rep->n_inputs = in.n;
		rep->mc_reps = reps;
		memcpy(rep->input_sha256, ed.input_sha256, 65);
		memcpy(rep->methodology_sha256, ed.methodology_sha256, 65);
		snprintf(rep->methodology_id, sizeof rep->methodology_id, "%s",
			 j.meth.id);
	}
	inputs_free(&in);
	job_free(&j);
	buf_free(&text);
	buf_free(&name);
	return rc;
}

/* Stored results, copied. */
struct results {
	struct store_index_result *v;
	size_t n, cap;
	struct arena ar;
};

static int collect_result(void *ctx, const struct store_index_result *r)
{
	struct results *rs = ctx;
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 256;
		rs->v = xrealloc(rs->v, rs->cap * sizeof *rs->v);
	}
	struct store_index_result c = *r;
	c.iso3 = arena_strdup(&rs->ar, r->iso3);
	c.node = arena_strdup(&rs->ar, r->node);
	rs->v[rs->n++] = c;
	return 0;
}

static void results_free(struct results *rs)
{
	free(rs->v);
	arena_free(&rs->ar);
}

/* Everything stored of an edition. */
struct edition {
	struct store_edition ed;
	struct arena ar;
	struct inputs in;
	struct results res;
	struct app_index_sensitivity sa; /* factor names in ar */
};

static int collect_sens(void *ctx, const struct store_index_sensitivity *r)
{
	struct edition *x = ctx;
	struct app_index_sensitivity *sa = &x->sa;
	if (sa->n_factors == APP_INDEX_MAX_FACTORS)
		return 0;
	sa->n = (size_t)r->n;
	sa->factor[sa->n_factors] = arena_strdup(&x->ar, r->factor);
	sa->si[sa->n_factors] = r->si;
	sa->sti[sa->n_factors++] = r->sti;
	sa->runs = sa->n * (sa->n_factors + 2);
	return 0;
}

static int edition_load(struct app *a, long year, bool results,
			struct edition *x, struct cdg_err *e)
{
	memset(x, 0, sizeof *x);
	arena_init(&x->ar);
	arena_init(&x->in.ar);
	arena_init(&x->res.ar);
	int rc = store_edition_get(a->st, year, &x->ed, &x->ar, e);
	if (rc == 0)
		rc = store_edition_inputs(a->st, year, collect_input, &x->in, e);
	if (rc == 0 && results)
		rc = store_edition_results(a->st, year, NULL, collect_result,
					   &x->res, e);
	if (rc == 0)
		rc = store_edition_sensitivity(a->st, year, collect_sens, x, e);
	return rc;
}

static void edition_free(struct edition *x)
{
	inputs_free(&x->in);
	results_free(&x->res);
	arena_free(&x->ar);
}

/* Same double to the bit (both missing counts as equal). */
static bool same_bits(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return memcmp(&a, &b, sizeof a) == 0;
}

/* Recomputes edition x from its frozen methodology and inputs into j. */
static int recompute(struct edition *x, struct job *j, int threads,
		     const struct override *ov, size_t n_ov, bool mc,
		     struct cdg_err *e)
{
	char name[64];
	snprintf(name, sizeof name, "edition %ld methodology", x->ed.year);
	int rc = edition_job(j, x->ed.methodology, name, &x->in, ov, n_ov, e);
	struct idx_mc_spec s;
	size_t reps = 0;
	if (rc == 0 && mc)
		rc = mc_spec(j, x->ed.mc_reps, (long)x->sa.n, true,
			     x->ed.mc_seed, threads, &s, &reps, e);
	if (rc == 0)
		rc = job_run(j, &s, reps, mc ? x->sa.n : 0, NULL, NULL, e);
	return rc;
}

int app_index_verify(struct app *a, long year, int threads,
		     struct app_index_verify_report *rep, struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	rep->year = year;
	if (sodium_init() < 0)
		return err_set(e, CDG_EINTERNAL, "libsodium failed to initialise");
	struct edition x;
	struct job j;
	job_init(&j);
	int rc = edition_load(a, year, true, &x, e);
	if (rc == 0) {
		char h[65];
		sha256_hex(x.ed.methodology, strlen(x.ed.methodology), h);
		rep->methodology_ok = strcmp(h, x.ed.methodology_sha256) == 0;
		inputs_hash(&x.in, h);
		rep->inputs_ok = strcmp(h, x.ed.input_sha256) == 0;
		rc = recompute(&x, &j, threads, NULL, 0, true, e);
	}
	if (rc == 0) {
		size_t n;
		struct store_index_result *r = job_rows(&j, &n);
		rep->n_compared = n;
		if (n != x.res.n) {
			rep->n_mismatch = n > x.res.n ? n - x.res.n : x.res.n - n;
			snprintf(rep->first, sizeof rep->first,
				 "%zu results recomputed, %zu stored", n, x.res.n);
		}
		/* Stored rows come back by state then insertion order, which
		 * is the order job_rows produced. */
		for (size_t i = 0; i < n && i < x.res.n; i++) {
			const struct store_index_result *p = &r[i], *q = &x.res.v[i];
			const char *what = NULL;
			if (strcmp(p->iso3, q->iso3) || strcmp(p->node, q->node))
				what = "row";
			else if (!same_bits(p->score, q->score))
				what = "score";
			else if (p->rank != q->rank)
				what = "rank";
			else if (!same_bits(p->rank_median, q->rank_median) ||
				 !same_bits(p->rank_p05, q->rank_p05) ||
				 !same_bits(p->rank_p95, q->rank_p95))
				what = "rank interval";
			if (!what)
				continue;
			if (!rep->n_mismatch++)
				snprintf(rep->first, sizeof rep->first,
					 "%s %s: %s stored %.17g (rank %d), "
					 "recomputed %.17g (rank %d)", q->iso3,
					 q->node, what, q->score, q->rank,
					 p->score, p->rank);
		}
		free(r);
		struct app_index_sensitivity sa;
		job_sensitivity(&j, &sa);
		rep->n_compared += 2 * x.sa.n_factors;
		for (size_t i = 0; i < sa.n_factors || i < x.sa.n_factors; i++) {
			bool same = i < sa.n_factors && i < x.sa.n_factors &&
				    strcmp(sa.factor[i], x.sa.factor[i]) == 0 &&
				    same_bits(sa.si[i], x.sa.si[i]) &&
				    same_bits(sa.sti[i], x.sa.sti[i]);
			if (same)
				continue;
			if (!rep->n_mismatch++)
				snprintf(rep->first, sizeof rep->first,
					 "sensitivity to %s: stored Si %.17g STi "
					 "%.17g, recomputed Si %.17g STi %.17g",
					 i < x.sa.n_factors ? x.sa.factor[i] : "?",
					 i < x.sa.n_factors ? x.sa.si[i] : NAN,
					 i < x.sa.n_factors ? x.sa.sti[i] : NAN,
					 i < sa.n_factors ? sa.si[i] : NAN,
					 i < sa.n_factors ? sa.sti[i] : NAN);
		}
		rep->ok = rep->n_mismatch == 0 && rep->methodology_ok &&
			  rep->inputs_ok;
		if (!rep->ok)
			rc = err_at(e, CDG_ECONFLICT, NULL, 0, NULL,
				    "edition %ld does NOT verify: %s%s%s", year,
				    rep->methodology_ok ? "" : "methodology hash "
				    "differs; ", rep->inputs_ok ? "" :
				    "input snapshot hash differs; ",
				    rep->n_mismatch ? rep->first : "");
	}
	job_free(&j);
	edition_free(&x);
	return rc;
}

/* ---- reads: show, list, diff, what-if ------------------------------------------ */

static void edition_json(struct jw *w, const struct store_edition *ed)
{
	jw_kint(w, "year", ed->year);
	jw_kstr(w, "methodology_id", ed->methodology_id);
	jw_kstr(w, "methodology_sha256", ed->methodology_sha256);
	jw_kstr(w, "input_sha256", ed->input_sha256);
	jw_kint(w, "mc_replications", ed->mc_reps);
	jw_kint(w, "mc_seed", (long long)ed->mc_seed);
	jw_kint(w, "states", ed->n_units);
	jw_kint(w, "ranked", ed->n_ranked);
	jw_kint(w, "inputs", ed->n_inputs);
	jw_kbool(w, "published", ed->published);
	jw_kstr(w, "created_by", ed->created_by);
	jw_kstr(w, "created_at", ed->created_at);
	if (ed->published) {
		jw_kstr(w, "published_by", ed->published_by);
		jw_kstr(w, "published_at", ed->published_at);
	}
}

static int list_one(void *ctx, const struct store_edition *ed)
{
	struct jw *w = ctx;
	jw_obj(w);
	edition_json(w, ed);
	jw_obj_end(w);
	return 0;
}

int app_index_list_json(struct app *a, struct jw *w, struct cdg_err *e)
{
	jw_arr(w);
	int rc = store_edition_each(a->st, list_one, w, e);
	jw_arr_end(w);
	return rc;
}

int app_index_publish(struct app *a, long year, const char *actor,
		      struct cdg_err *e)
{
	int arc = app_authorize(a, actor, APP_INDEX_WRITE, NULL, e);
	return arc ? arc : store_edition_publish(a->st, actor, year, e);
}

static void rank_json(struct jw *w, const char *k, double v)
{
	if (!isnan(v))
		jw_knum(w, k, v);
}

static void result_json(struct jw *w, const struct store_index_result *r)
{
	jw_knum(w, "score", r->score);
	if (r->rank)
		jw_kint(w, "rank", r->rank);
	else
		jw_key(w, "rank"), jw_null(w);
	rank_json(w, "rank_median", r->rank_median);
	rank_json(w, "rank_p05", r->rank_p05);
	rank_json(w, "rank_p95", r->rank_p95);
}

/* The root node's id and the goal-level nodes (children of the root). */
static bool is_level(const struct meth *m, const char *id, int level)
{
	const struct meth_node *n = meth_node(m, id);
	return n && n->level == level;
}

static const char *root_of(const struct meth *m)
{
	for (size_t i = 0; i < m->n_nodes; i++)
		if (!m->nodes[i].parent)
			return m->nodes[i].id;
	return "";
}

static const char *country_name(struct app *a, const char *iso3,
				struct arena *ar)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, false);
	const char *p[] = {iso3};
	const char *name = iso3;
	struct cdg_err e;
	if (store_row_json(a->st, "country", p, 1, &w, &e) == 0) {
		const char *k = strstr(b.p, "\"name\":\"");
		if (k) {
			k += 8;
			const char *end = strchr(k, '"');
			if (end)
				name = arena_strndup(ar, k, (size_t)(end - k));
		}
	}
	buf_free(&b);
	return name;
}

int app_index_show_json(struct app *a, long year, const char *iso3,
			struct jw *w, struct cdg_err *e)
{
	struct edition x;
	int rc = edition_load(a, year, true, &x, e);
	struct meth m;
	bool has_m = false;
	if (rc == 0) {
		rc = meth_parse(&m, "methodology", x.ed.methodology,
				strlen(x.ed.methodology), e);
		has_m = rc == 0;
	}
	bool found = false;
	for (size_t i = 0; rc == 0 && iso3 && i < x.res.n && !found; i++)
		found = strcmp(x.res.v[i].iso3, iso3) == 0;
	if (rc == 0 && iso3 && !found)
		rc = err_at(e, CDG_ENOTFOUND, NULL, 0, "--country",
			    "%s is not in edition %ld", iso3, year);
	if (rc == 0) {
		const char *root = root_of(&m);
		jw_obj(w);
		jw_key(w, "edition");
		jw_obj(w);
		edition_json(w, &x.ed);
		jw_kstr(w, "methodology_title", m.title);
		jw_kstr(w, "index_node", root);
		jw_obj_end(w);
		if (x.sa.n)
			app_index_sensitivity_json(w, &x.sa);
		jw_key(w, "states");
		jw_arr(w);
		for (size_t i = 0; i < x.res.n; i++) {
			const struct store_index_result *r = &x.res.v[i];
			if (strcmp(r->node, root) != 0 ||
			    (iso3 && strcmp(r->iso3, iso3) != 0))
				continue;
			jw_obj(w);
			jw_kstr(w, "iso3", r->iso3);
			jw_kstr(w, "name", country_name(a, r->iso3, &x.ar));
			result_json(w, r);
			/* Goal scores (the index's children). */
			jw_key(w, "nodes");
			jw_obj(w);
			for (size_t k = 0; k < x.res.n; k++) {
				const struct store_index_result *q = &x.res.v[k];
				if (strcmp(q->iso3, r->iso3) != 0 ||
				    strcmp(q->node, root) == 0 ||
				    (!iso3 && !is_level(&m, q->node,
							meth_node(&m, root)->level - 1)))
					continue;
				jw_key(w, q->node);
				jw_obj(w);
				result_json(w, q);
				jw_obj_end(w);
			}
			jw_obj_end(w);
			if (iso3) {
				jw_key(w, "inputs");
				jw_arr(w);
				for (size_t k = 0; k < x.in.n; k++) {
					const struct store_index_input *p = &x.in.v[k];
					if (strcmp(p->iso3, r->iso3) != 0)
						continue;
					jw_obj(w);
					jw_kstr(w, "indicator", p->indicator);
					jw_knum(w, "value", p->value);
					jw_kint(w, "year", p->year);
					jw_kint(w, "observation_id", p->obs_id);
					jw_kstr(w, "source", p->source);
					jw_kbool(w, "synthetic", p->synthetic);
					jw_obj_end(w);
				}
				jw_arr_end(w);
			}
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	if (has_m)
		meth_free(&m);
	edition_free(&x);
	return rc;
}

static const struct store_index_result *find_result(const struct results *rs,
						    const char *iso3,
						    const char *node)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].iso3, iso3) == 0 &&
		    strcmp(rs->v[i].node, node) == 0)
			return &rs->v[i];
	return NULL;
}

static const struct store_index_input *find_input(const struct inputs *in,
						  const char *iso3,
						  const char *ind)
{
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->v[i].iso3, iso3) == 0 &&
		    strcmp(in->v[i].indicator, ind) == 0)
			return &in->v[i];
	return NULL;
}

/* The inputs of iso3 that differ between two snapshots. */
static void input_changes(struct jw *w, const struct inputs *a,
			  const struct inputs *b, const char *iso3)
{
	jw_key(w, "input_changes");
	jw_arr(w);
	for (int pass = 0; pass < 2; pass++) {
		const struct inputs *from = pass ? b : a, *other = pass ? a : b;
		for (size_t i = 0; i < from->n; i++) {
			const struct store_index_input *p = &from->v[i];
			if (strcmp(p->iso3, iso3) != 0)
				continue;
			const struct store_index_input *q =
				find_input(other, iso3, p->indicator);
			if (pass && q)
				continue; /* seen in the first pass */
			const struct store_index_input *o1 = pass ? q : p;
			const struct store_index_input *o2 = pass ? p : q;
			if (o1 && o2 && same_bits(o1->value, o2->value) &&
			    strcmp(o1->source, o2->source) == 0)
				continue;
			jw_obj(w);
			jw_kstr(w, "indicator", p->indicator);
			if (o1)
				jw_knum(w, "value1", o1->value);
			else
				jw_key(w, "value1"), jw_null(w);
			if (o2)
				jw_knum(w, "value2", o2->value);
			else
				jw_key(w, "value2"), jw_null(w);
			if (o1)
				jw_kint(w, "year1", o1->year);
			if (o2)
				jw_kint(w, "year2", o2->year);
			if (o2)
				jw_kstr(w, "source2", o2->source);
			jw_obj_end(w);
		}
	}
	jw_arr_end(w);
}

int app_index_diff_json(struct app *a, long y1, long y2, struct jw *w,
			struct cdg_err *e)
{
	struct edition x1, x2;
	int rc = edition_load(a, y1, true, &x1, e);
	int rc2 = rc == 0 ? edition_load(a, y2, true, &x2, e) : 0;
	if (rc == 0 && rc2 != 0) {
		rc = rc2;
		edition_free(&x2);
	}
	struct meth m;
	if (rc == 0) {
		rc = meth_parse(&m, "methodology", x2.ed.methodology,
				strlen(x2.ed.methodology), e);
		if (rc == 0 && strcmp(root_of(&m), "") == 0)
			rc = err_set(e, CDG_EINPUT, "no index node");
		if (rc) {
			edition_free(&x2);
		}
	}
	if (rc) {
		edition_free(&x1);
		return rc;
	}
	const char *root = root_of(&m);
	jw_obj(w);
	jw_kint(w, "year1", y1);
	jw_kint(w, "year2", y2);
	jw_kbool(w, "same_methodology", strcmp(x1.ed.methodology_sha256,
					       x2.ed.methodology_sha256) == 0);
	jw_kstr(w, "index_node", root);
	jw_key(w, "states");
	jw_arr(w);
	/* States of either edition: those of y2 first, then those only in y1. */
	for (int pass = 0; pass < 2; pass++) {
		const struct results *rs = pass ? &x1.res : &x2.res;
		for (size_t i = 0; i < rs->n; i++) {
			const struct store_index_result *r = &rs->v[i];
			if (strcmp(r->node, root) != 0)
				continue;
			if (pass && find_result(&x2.res, r->iso3, root))
				continue;
			const struct store_index_result *r1 =
				find_result(&x1.res, r->iso3, root);
			const struct store_index_result *r2 =
				find_result(&x2.res, r->iso3, root);
			jw_obj(w);
			jw_kstr(w, "iso3", r->iso3);
			jw_knum(w, "score1", r1 ? r1->score : NAN);
			jw_knum(w, "score2", r2 ? r2->score : NAN);
			bool both = r1 && r2 && !isnan(r1->score) &&
				    !isnan(r2->score);
			jw_knum(w, "score_change",
				both ? r2->score - r1->score : NAN);
			if (r1 && r1->rank)
				jw_kint(w, "rank1", r1->rank);
			else
				jw_key(w, "rank1"), jw_null(w);
			if (r2 && r2->rank)
				jw_kint(w, "rank2", r2->rank);
			else
				jw_key(w, "rank2"), jw_null(w);
			if (r1 && r2 && r1->rank && r2->rank)
				jw_kint(w, "rank_change", r1->rank - r2->rank);
			else
				jw_key(w, "rank_change"), jw_null(w);
			input_changes(w, &x1.in, &x2.in, r->iso3);
			jw_obj_end(w);
		}
	}
	jw_arr_end(w);
	jw_obj_end(w);
	meth_free(&m);
	edition_free(&x1);
	edition_free(&x2);
	return 0;
}

/* Latest edition year (0 if none). */
static int latest_year(void *ctx, const struct store_edition *ed)
{
	*(long *)ctx = ed->year;
	return 0;
}

int app_index_whatif_json(struct app *a, long year, const char *iso3,
			  const char *const *sets, size_t n_sets, struct jw *w,
			  struct cdg_err *e)
{
	if (year == 0) {
		int rc = store_edition_each(a->st, latest_year, &year, e);
		if (rc)
			return rc;
		if (year == 0)
			return err_at(e, CDG_ENOTFOUND, NULL, 0, "--edition",
				      "no index edition yet ('cdg index compute')");
	}
	if (n_sets == 0)
		return err_at(e, CDG_EUSAGE, NULL, 0, "--set",
			      "give at least one --set INDICATOR=VALUE");
	struct edition x;
	int rc = edition_load(a, year, false, &x, e);
	struct override *ov = xcalloc(n_sets, sizeof *ov);
	struct meth m;
	bool has_m = false;
	if (rc == 0) {
		rc = meth_parse(&m, "methodology", x.ed.methodology,
				strlen(x.ed.methodology), e);
		has_m = rc == 0;
	}
	for (size_t i = 0; rc == 0 && i < n_sets; i++) {
		const char *eq = strchr(sets[i], '=');
		char *ind = eq ? arena_strndup(&x.ar, sets[i],
					       (size_t)(eq - sets[i])) : NULL;
		const struct meth_node *n = ind ? meth_node(&m, ind) : NULL;
		double v;
		if (!eq)
			rc = err_at(e, CDG_EUSAGE, NULL, 0, "--set",
				    "\"%s\": expected INDICATOR=VALUE", sets[i]);
		else if (!n || n->level != 1)
			rc = err_at(e, CDG_EUSAGE, NULL, 0, "--set",
				    "\"%s\" is not an indicator of the edition's "
				    "methodology", ind);
		else if (parse_double(eq + 1, &v))
			rc = err_at(e, CDG_EUSAGE, NULL, 0, "--set",
				    "\"%s\" is not a number", eq + 1);
		else
			ov[i] = (struct override){iso3, ind, v};
	}
	struct job j0, j1;
	job_init(&j0);
	job_init(&j1);
	if (rc == 0)
		rc = recompute(&x, &j0, 1, NULL, 0, false, e);
	/* j1: the frozen inputs, with the state's values replaced. */
	struct inputs in1 = {0};
	arena_init(&in1.ar);
	for (size_t i = 0; rc == 0 && i < x.in.n; i++) {
		bool replaced = false;
		for (size_t k = 0; k < n_sets && !replaced; k++)
			replaced = strcmp(x.in.v[i].iso3, iso3) == 0 &&
				   strcmp(x.in.v[i].indicator, ov[k].indicator) == 0;
		if (!replaced)
			collect_input(&in1, &x.in.v[i]);
	}
	if (rc == 0) {
		struct inputs keep = x.in;
		x.in = in1;
		rc = recompute(&x, &j1, 1, ov, n_sets, false, e);
		x.in = keep;
	}
	if (rc == 0) {
		const char *root = root_of(&m);
		int rn = idx_model_find(&j1.m, root);
		int u0 = idx_model_find_unit(&j0.m, iso3);
		int u1 = idx_model_find_unit(&j1.m, iso3);
		struct store_index_result b = {0}, af;
		b.score = NAN;
		if (u0 >= 0)
			job_result(&j0, (size_t)u0, (size_t)rn, &b);
		job_result(&j1, (size_t)u1, (size_t)rn, &af);
		jw_obj(w);
		jw_kint(w, "edition", year);
		jw_kstr(w, "iso3", iso3);
		jw_kstr(w, "index_node", root);
		jw_key(w, "set");
		jw_arr(w);
		for (size_t k = 0; k < n_sets; k++) {
			const struct store_index_input *p =
				find_input(&x.in, iso3, ov[k].indicator);
			jw_obj(w);
			jw_kstr(w, "indicator", ov[k].indicator);
			jw_knum(w, "from", p ? p->value : NAN);
			jw_knum(w, "to", ov[k].value);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_knum(w, "score_before", b.score);
		jw_knum(w, "score_after", af.score);
		jw_knum(w, "score_change", af.score - b.score);
		if (b.rank)
			jw_kint(w, "rank_before", b.rank);
		else
			jw_key(w, "rank_before"), jw_null(w);
		if (af.rank)
			jw_kint(w, "rank_after", af.rank);
		else
			jw_key(w, "rank_after"), jw_null(w);
		jw_kint(w, "ranked", (long long)j1.res.data.n_rows);
		/* The nodes whose score moved. */
		jw_key(w, "nodes");
		jw_obj(w);
		for (size_t i = 0; i < j1.m.n_nodes; i++) {
			struct store_index_result p = {0}, q;
			p.score = NAN;
			if (u0 >= 0)
				job_result(&j0, (size_t)u0, i, &p);
			job_result(&j1, (size_t)u1, i, &q);
			if (same_bits(p.score, q.score) || j1.m.nodes[i].level == 1)
				continue;
			jw_key(w, j1.m.nodes[i].id);
			jw_obj(w);
			jw_knum(w, "before", p.score);
			jw_knum(w, "after", q.score);
			jw_obj_end(w);
		}
		jw_obj_end(w);
		jw_obj_end(w);
	}
	inputs_free(&in1);
	job_free(&j0);
	job_free(&j1);
	if (has_m)
		meth_free(&m);
	free(ov);
	edition_free(&x);
	return rc;
}
