/* `cdg index run`: the index computed from files (long-form data or
 * COINr's iData/iMeta, a methodology, flags), outside the database.  See
 * app.h and docs/index-engine.md. */
#include "app/index_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
	*col = xmalloc(ixjob_n1(m->n_nodes) * sizeof **col);
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
		j->denoms = xmalloc(ixjob_n1(ndn * nu) * sizeof *j->denoms);
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
	const char **icode = xcalloc(ixjob_n1(ni), sizeof *icode);
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
		j->denoms = xmalloc(ixjob_n1(ndn * nu) * sizeof *j->denoms);
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
	j->weights = xmalloc(ixjob_n1(nn) * sizeof *j->weights);
	long *line = xcalloc(ixjob_n1(nn), sizeof *line);
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
	if (ixjob_intervals(j)) {
		csv_put(b, "rank_median", false);
		csv_put(b, "rank_p05", false);
		csv_put(b, "rank_p95", false);
	}
	csv_endrow(b);
	for (size_t u = 0; u < j->m.n_units; u++)
		for (size_t i = 0; i < j->m.n_nodes; i++) {
			struct store_index_result r;
			ixjob_result(j, u, i, &r);
			csv_put(b, r.iso3, true);
			csv_put(b, r.node, false);
			put_num(b, r.score);
			char rk[16] = "";
			if (r.rank > 0)
				snprintf(rk, sizeof rk, "%d", r.rank);
			csv_put(b, rk, false);
			if (ixjob_intervals(j)) {
				put_num(b, r.rank_median);
				put_num(b, r.rank_p05);
				put_num(b, r.rank_p95);
			}
			csv_endrow(b);
		}
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
	ixjob_init(&j);
	/* Without a methodology, COINr's inputs take cdg's run defaults: no
	 * treatment, min-max 0-100, arithmetic means. */
	idx_method_default(&j.mt);
	j.mt.treat.on = false;
	int rc = o->methodology ? ixjob_load_meth(&j, o->methodology, e) : 0;
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
		ixjob_model_from_meth(&j);
		rc = read_long(&j, o->data, e);
	}
	struct idx_mc_spec s;
	size_t reps = 0;
	if (rc == 0 && o->weights)
		rc = read_weights(&j, o->weights, e);
	if (rc == 0)
		rc = ixjob_mc_spec(&j, o->mc, o->sobol, o->has_seed, o->seed,
			     o->threads, &s, &reps, e);
	if (rc == 0)
		rc = ixjob_run(&j, &s, reps, o->sobol > 0 ? (size_t)o->sobol : 0,
			     &rep->ms_pipeline, &rep->ms_mc, e);
	ixjob_sensitivity(&j, &rep->sa);
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
	ixjob_free(&j);
	return rc;
}
