/* Index methodology files (data/index/methodology.schema.json): a pure
 * parser, JSON text in, struct meth out.  See formats.h.
 *
 * The checks repeat the schema's (types, enums, ranges, unknown keys,
 * required keys) and add the tree rules a schema cannot state, so that a
 * file the C code accepts is one ajv accepts too.  Errors name the file,
 * the line (of the node's id, or of the key), the field and the node id. */
#include "formats/formats.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct mctx {
	struct meth *m;
	const char *name;  /* file name for errors */
	const char *text;  /* NUL-terminated copy of the file */
	struct cdg_err *e;
};

static int bad(struct mctx *x, long line, const char *field, const char *id,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int bad(struct mctx *x, long line, const char *field, const char *id,
	       const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	if (id)
		buf_addf(&b, "node %s: ", id);
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	int rc = err_at(x->e, CDG_EINPUT, x->name, line, field, "%s", b.p);
	buf_free(&b);
	return rc;
}

/* Where in the file a field lives: a section key and the node id (NULL
 * outside nodes). */
struct at {
	const char *section; /* "pipeline", "uncertainty", ... or NULL */
	const char *id;      /* node id, or NULL */
};

static long at_line(struct mctx *x, struct at a, const char *key)
{
	if (a.id) {
		long l = json_line_of_id(x->text, a.id);
		if (l)
			return l;
	}
	long l = json_line_of_key(x->text, a.section, key);
	return l ? l : json_line_of_key(x->text, NULL, key);
}

/* Rejects keys of o not in allowed (NULL-terminated). */
static int only_keys(struct mctx *x, struct at a, json_t *o,
		     const char *const *allowed)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		bool ok = false;
		for (const char *const *p = allowed; *p && !ok; p++)
			ok = strcmp(*p, k) == 0;
		if (!ok)
			return bad(x, at_line(x, a, k), k, a.id,
				   "unknown key \"%s\"", k);
	}
	return 0;
}

static int need_obj(struct mctx *x, struct at a, json_t *o, const char *key,
		    bool required, json_t **out)
{
	json_t *v = json_object_get(o, key);
	*out = v;
	if (!v && required)
		return bad(x, at_line(x, a, a.section ? a.section : key), key,
			   a.id, "required key \"%s\" is missing", key);
	if (v && !json_is_object(v))
		return bad(x, at_line(x, a, key), key, a.id, "must be an object");
	return 0;
}

/* A number under key: required or else *out keeps its default. */
static int get_num(struct mctx *x, struct at a, json_t *o, const char *key,
		   bool required, double *out)
{
	json_t *v = json_object_get(o, key);
	if (!v) {
		if (required)
			return bad(x, at_line(x, a, a.section ? a.section : key),
				   key, a.id, "required key \"%s\" is missing",
				   key);
		return 0;
	}
	if (!json_is_number(v))
		return bad(x, at_line(x, a, key), key, a.id, "must be a number");
	*out = json_number_value(v);
	if (!isfinite(*out))
		return bad(x, at_line(x, a, key), key, a.id, "must be finite");
	return 0;
}

static int get_int(struct mctx *x, struct at a, json_t *o, const char *key,
		   bool required, long long lo, long long hi, long long *out)
{
	json_t *v = json_object_get(o, key);
	if (!v) {
		if (required)
			return bad(x, at_line(x, a, a.section ? a.section : key),
				   key, a.id, "required key \"%s\" is missing",
				   key);
		return 0;
	}
	/* 1.0 is an integer for JSON Schema too. */
	double d = json_is_number(v) ? json_number_value(v) : NAN;
	if (!(d == floor(d)) || d < (double)lo || d > (double)hi)
		return bad(x, at_line(x, a, key), key, a.id,
			   "must be an integer from %lld to %lld", lo, hi);
	*out = json_is_integer(v) ? json_integer_value(v) : (long long)d;
	return 0;
}

static int get_fraction(struct mctx *x, struct at a, json_t *o,
			const char *key, bool required, double *out)
{
	int rc = get_num(x, a, o, key, required, out);
	if (rc == 0 && json_object_get(o, key) && (*out < 0 || *out > 1))
		return bad(x, at_line(x, a, key), key, a.id,
			   "must be a fraction from 0 to 1 (got %g)", *out);
	return rc;
}

/* A string from choices; returns its index in *out. */
static int get_enum(struct mctx *x, struct at a, json_t *o, const char *key,
		    const char *const *choices, int *out)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		return bad(x, at_line(x, a, a.section ? a.section : key), key,
			   a.id, "required key \"%s\" is missing", key);
	const char *s = json_string_value(v);
	for (int i = 0; s && choices[i]; i++)
		if (strcmp(choices[i], s) == 0) {
			*out = i;
			return 0;
		}
	struct buf b = BUF_INIT;
	for (int i = 0; choices[i]; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", choices[i]);
	int rc = bad(x, at_line(x, a, key), key, a.id,
		     "\"%s\" is not one of %s", s ? s : "(not a string)", b.p);
	buf_free(&b);
	return rc;
}

static int refuse(struct mctx *x, struct at a, json_t *o, const char *key,
		  const char *why)
{
	if (json_object_get(o, key))
		return bad(x, at_line(x, a, key), key, a.id, "not allowed %s",
			   why);
	return 0;
}

/* ---- pipeline parts ------------------------------------------------------- */

static const char *const impute_names[] = {"none", "mean", "median",
	"group_mean", "group_median", "previous", NULL};
static const enum idx_impute_kind impute_kinds[] = {IDX_IMPUTE_NONE,
	IDX_IMPUTE_MEAN, IDX_IMPUTE_MEDIAN, IDX_IMPUTE_GROUP_MEAN,
	IDX_IMPUTE_GROUP_MEDIAN, IDX_IMPUTE_PREVIOUS};

static int parse_impute(struct mctx *x, struct at a, json_t *o,
			enum idx_impute_kind *kind, const char **group)
{
	static const char *const keys[] = {"method", "group", NULL};
	int i = 0;
	int rc = only_keys(x, a, o, keys);
	if (rc == 0)
		rc = get_enum(x, a, o, "method", impute_names, &i);
	if (rc)
		return rc;
	*kind = impute_kinds[i];
	json_t *g = json_object_get(o, "group");
	bool grouped = *kind == IDX_IMPUTE_GROUP_MEAN ||
		       *kind == IDX_IMPUTE_GROUP_MEDIAN;
	if (grouped && (!json_is_string(g) || !*json_string_value(g)))
		return bad(x, at_line(x, a, "method"), "group", a.id,
			   "%s needs \"group\": the unit attribute holding "
			   "the group label", impute_names[i]);
	if (!grouped)
		return refuse(x, a, o, "group", "unless the method is "
			      "group_mean or group_median");
	if (group)
		*group = arena_strdup(&x->m->arena, json_string_value(g));
	return 0;
}

static const char *const norm_names[] = {"none", "minmax", "zscore", "rank",
	"prank", "borda", "fracmax", "dist2max", "dist2targ", "goalposts", "sdg",
	NULL};
static const enum idx_norm_kind norm_kinds[] = {IDX_NORM_NONE, IDX_NORM_MINMAX,
	IDX_NORM_ZSCORE, IDX_NORM_RANK, IDX_NORM_PRANK, IDX_NORM_BORDA,
	IDX_NORM_FRACMAX, IDX_NORM_DIST2MAX, IDX_NORM_DIST2TARG,
	IDX_NORM_GOALPOSTS, IDX_NORM_SDG};

static int parse_norm(struct mctx *x, struct at a, json_t *o,
		      struct idx_norm *nm)
{
	static const char *const keys[] = {"method", "lower", "upper", "mean",
					   "sd", "cap", NULL};
	int i = 0;
	int rc = only_keys(x, a, o, keys);
	if (rc == 0)
		rc = get_enum(x, a, o, "method", norm_names, &i);
	if (rc)
		return rc;
	*nm = (struct idx_norm){norm_kinds[i], 0, 0};
	bool mm = nm->kind == IDX_NORM_MINMAX, zs = nm->kind == IDX_NORM_ZSCORE;
	if (mm) {
		rc = get_num(x, a, o, "lower", true, &nm->p1);
		if (rc == 0)
			rc = get_num(x, a, o, "upper", true, &nm->p2);
		if (rc == 0 && !(nm->p1 < nm->p2))
			rc = bad(x, at_line(x, a, "lower"), "lower", a.id,
				 "lower must be below upper");
	} else if (zs) {
		rc = get_num(x, a, o, "mean", true, &nm->p1);
		if (rc == 0)
			rc = get_num(x, a, o, "sd", true, &nm->p2);
		if (rc == 0 && !(nm->p2 > 0))
			rc = bad(x, at_line(x, a, "sd"), "sd", a.id,
				 "must be above 0");
	}
	if (rc == 0 && !mm)
		rc = refuse(x, a, o, "lower", "unless the method is minmax");
	if (rc == 0 && !mm)
		rc = refuse(x, a, o, "upper", "unless the method is minmax");
	if (rc == 0 && !zs)
		rc = refuse(x, a, o, "mean", "unless the method is zscore");
	if (rc == 0 && !zs)
		rc = refuse(x, a, o, "sd", "unless the method is zscore");
	json_t *cap = json_object_get(o, "cap");
	if (rc == 0 && nm->kind != IDX_NORM_DIST2TARG)
		rc = refuse(x, a, o, "cap", "unless the method is dist2targ");
	else if (rc == 0 && cap && !json_is_boolean(cap))
		rc = bad(x, at_line(x, a, "cap"), "cap", a.id,
			 "must be true or false");
	else if (rc == 0 && cap)
		nm->p1 = json_is_true(cap) ? 1 : 0;
	return rc;
}

static const char *const agg_names[] = {"amean", "gmean", "hmean", "genmean",
					NULL};
static const enum idx_agg_kind agg_kinds[] = {IDX_AGG_AMEAN, IDX_AGG_GMEAN,
	IDX_AGG_HMEAN, IDX_AGG_GENMEAN};

static int parse_mean(struct mctx *x, struct at a, json_t *o,
		      struct idx_agg *g)
{
	int i = 0;
	int rc = get_enum(x, a, o, "method", agg_names, &i);
	if (rc)
		return rc;
	*g = (struct idx_agg){agg_kinds[i], 0};
	if (g->kind == IDX_AGG_GENMEAN) {
		rc = get_num(x, a, o, "p", true, &g->p);
		if (rc == 0 && g->p == 0)
			rc = bad(x, at_line(x, a, "p"), "p", a.id,
				 "must not be 0 (use gmean)");
		return rc;
	}
	return refuse(x, a, o, "p", "unless the method is genmean");
}

static int parse_agg(struct mctx *x, struct at a, json_t *o,
		     struct idx_agg_set *set)
{
	static const char *const keys[] = {"method", "p", "levels", NULL};
	static const char *const lkeys[] = {"level", "method", "p", NULL};
	struct idx_agg g;
	int rc = only_keys(x, a, o, keys);
	if (rc == 0)
		rc = parse_mean(x, a, o, &g);
	if (rc)
		return rc;
	for (int l = 0; l < IDX_MAX_LEVELS; l++)
		set->lev[l] = g;
	json_t *lv = json_object_get(o, "levels");
	if (lv && !json_is_array(lv))
		return bad(x, at_line(x, a, "levels"), "levels", a.id,
			   "must be an array");
	size_t i;
	json_t *it;
	json_array_foreach(lv, i, it) {
		struct at b = {"levels", a.id};
		long long level = 0;
		if (!json_is_object(it))
			return bad(x, at_line(x, b, "level"), "levels", a.id,
				   "item %zu must be an object", i + 1);
		rc = only_keys(x, b, it, lkeys);
		if (rc == 0)
			rc = get_int(x, b, it, "level", true, 2,
				     IDX_MAX_LEVELS - 1, &level);
		if (rc == 0)
			rc = parse_mean(x, b, it, &set->lev[level]);
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_pipeline(struct mctx *x, json_t *p)
{
	struct meth *m = x->m;
	struct idx_method *mt = &m->method;
	struct at a = {"pipeline", NULL};
	static const char *const keys[] = {"denominate", "impute", "screen",
		"treat", "normalise", "aggregate", "missing", NULL};
	int rc = only_keys(x, a, p, keys);
	if (rc)
		return rc;
	json_t *d = json_object_get(p, "denominate");
	if (d && !json_is_boolean(d))
		return bad(x, at_line(x, a, "denominate"), "denominate", NULL,
			   "must be true or false");
	mt->denominate = json_is_true(d);

	json_t *o;
	if ((rc = need_obj(x, a, p, "impute", false, &o)))
		return rc;
	if (o && (rc = parse_impute(x, (struct at){"impute", NULL}, o,
				    &mt->impute, &m->group)))
		return rc;

	if ((rc = need_obj(x, a, p, "screen", false, &o)))
		return rc;
	if (o) {
		struct at s = {"screen", NULL};
		static const char *const sk[] = {"rule", "min_data",
			"min_nonzero", "order", NULL};
		static const char *const rules[] = {"none", "missing", "zeros",
			"missing_or_zeros", NULL};
		static const char *const orders[] = {"before_impute",
			"after_impute", NULL};
		int r = 0, ord = 1;
		rc = only_keys(x, s, o, sk);
		if (rc == 0)
			rc = get_enum(x, s, o, "rule", rules, &r);
		if (rc)
			return rc;
		mt->screen.kind = (enum idx_screen_kind)r;
		bool na = r == IDX_SCREEN_BY_NA || r == IDX_SCREEN_BY_NA_ZEROS;
		bool zs = r == IDX_SCREEN_BY_ZEROS || r == IDX_SCREEN_BY_NA_ZEROS;
		rc = get_fraction(x, s, o, "min_data", na, &mt->screen.dat_thresh);
		if (rc == 0)
			rc = get_fraction(x, s, o, "min_nonzero", zs,
					  &mt->screen.nonzero_thresh);
		if (rc == 0 && json_object_get(o, "order"))
			rc = get_enum(x, s, o, "order", orders, &ord);
		if (rc)
			return rc;
		mt->screen_first = ord == 0;
	}

	if ((rc = need_obj(x, a, p, "treat", false, &o)))
		return rc;
	if (o) {
		struct at t = {"treat", NULL};
		static const char *const tk[] = {"method", "winmax",
			"skew_threshold", "kurt_threshold", NULL};
		static const char *const methods[] = {"none", "winsorise", NULL};
		int tm = 0;
		long long wm = 5;
		rc = only_keys(x, t, o, tk);
		if (rc == 0)
			rc = get_enum(x, t, o, "method", methods, &tm);
		if (rc == 0)
			rc = get_int(x, t, o, "winmax", tm == 1, 0, 1000000, &wm);
		if (rc == 0)
			rc = get_num(x, t, o, "skew_threshold", false,
				     &mt->treat.skew_thresh);
		if (rc == 0 && !(mt->treat.skew_thresh > 0))
			rc = bad(x, at_line(x, t, "skew_threshold"),
				 "skew_threshold", NULL, "must be above 0");
		if (rc == 0)
			rc = get_num(x, t, o, "kurt_threshold", false,
				     &mt->treat.kurt_thresh);
		if (rc)
			return rc;
		mt->treat.on = tm == 1;
		mt->treat.winmax = (int)wm;
	}

	if ((rc = need_obj(x, a, p, "normalise", true, &o)) ||
	    (rc = parse_norm(x, (struct at){"normalise", NULL}, o, &mt->norm)))
		return rc;
	if ((rc = need_obj(x, a, p, "aggregate", true, &o)) ||
	    (rc = parse_agg(x, (struct at){"aggregate", NULL}, o, &mt->agg)))
		return rc;
	if ((rc = need_obj(x, a, p, "missing", true, &o)))
		return rc;
	struct at ms = {"missing", NULL};
	static const char *const mk[] = {"rule", "min_children", NULL};
	static const char *const mrules[] = {"reweight", NULL};
	int mr = 0;
	rc = only_keys(x, ms, o, mk);
	if (rc == 0)
		rc = get_enum(x, ms, o, "rule", mrules, &mr);
	if (rc == 0)
		rc = get_fraction(x, ms, o, "min_children", false,
				  &mt->agg_dat_thresh);
	return rc;
}

/* ---- uncertainty ------------------------------------------------------------ */

/* The array under key, or NULL; an error if present and not a non-empty
 * array. */
static int get_list(struct mctx *x, json_t *o, const char *key, json_t **out)
{
	json_t *v = json_object_get(o, key);
	*out = v;
	if (v && (!json_is_array(v) || json_array_size(v) == 0))
		return bad(x, json_line_of_key(x->text, "uncertainty", key), key, NULL,
			   "must be a non-empty array");
	return 0;
}

/* Item i of uncertainty list k (0 imputations, 1 winmax, 2
 * normalisations, 3 aggregations), named key. */
static int parse_alternative(struct mctx *x, int k, const char *key, size_t i,
			     json_t *it)
{
	struct meth *m = x->m;
	long line = json_line_of_key(x->text, "uncertainty", key);
	if (k == 1) {
		double d = json_is_number(it) ? json_number_value(it) : -1;
		if (!(d >= 0 && d == floor(d) && d <= 1000000))
			return bad(x, line, key, NULL,
				   "item %zu must be an integer >= 0", i + 1);
		m->winmax[m->n_winmax++] = (int)d;
		return 0;
	}
	if (!json_is_object(it))
		return bad(x, line, key, NULL, "item %zu must be an object", i + 1);
	struct at a = {key, NULL};
	if (k == 2)
		return parse_norm(x, a, it, &m->norm[m->n_norm++]);
	if (k == 3)
		return parse_agg(x, a, it, &m->agg[m->n_agg++]);
	const char *grp = NULL;
	int rc = parse_impute(x, a, it, &m->impute[m->n_impute++], &grp);
	if (rc == 0 && grp && m->group && strcmp(grp, m->group) != 0)
		rc = bad(x, json_line_of_key(x->text, key, "group"), "group", NULL,
			 "all group imputations must use the same group (%s)",
			 m->group);
	if (rc == 0 && grp)
		m->group = grp;
	return rc;
}

static int parse_uncertainty(struct mctx *x, json_t *u)
{
	struct meth *m = x->m;
	struct at a = {"uncertainty", NULL};
	static const char *const keys[] = {"replications", "seed",
		"weight_noise", "imputations", "winmax", "normalisations",
		"aggregations", "sobol", NULL};
	long long reps = 0, seed = 0, sobol = 0;
	int rc = only_keys(x, a, u, keys);
	if (rc == 0)
		rc = get_int(x, a, u, "replications", true, 1, 1000000, &reps);
	if (rc == 0)
		rc = get_int(x, a, u, "seed", true, 0, 9007199254740991LL, &seed);
	if (rc == 0)
		rc = get_int(x, a, u, "sobol", false, 0, 100000, &sobol);
	if (rc)
		return rc;
	m->sobol_n = (size_t)sobol;
	m->has_uncertainty = true;
	m->mc_reps = (size_t)reps;
	m->mc_seed = (uint64_t)seed;
	json_t *l, *it;
	size_t i;
	if ((rc = get_list(x, u, "weight_noise", &l)))
		return rc;
	json_array_foreach(l, i, it) {
		struct at w = {"weight_noise", NULL};
		static const char *const wk[] = {"level", "fraction", NULL};
		long long level = 0;
		double f = 0;
		if (!json_is_object(it))
			return bad(x, at_line(x, w, "level"), "weight_noise", NULL,
				   "item %zu must be an object", i + 1);
		rc = only_keys(x, w, it, wk);
		if (rc == 0)
			rc = get_int(x, w, it, "level", true, 1,
				     IDX_MAX_LEVELS - 1, &level);
		if (rc == 0)
			rc = get_fraction(x, w, it, "fraction", true, &f);
		if (rc)
			return rc;
		m->wnoise[level] = f;
	}
	/* The lists of alternatives: allocate, then parse item by item. */
	static const char *const lists[] = {"imputations", "winmax",
		"normalisations", "aggregations"};
	for (int k = 0; k < 4; k++) {
		if ((rc = get_list(x, u, lists[k], &l)))
			return rc;
		size_t n = json_array_size(l);
		if (k == 0)
			m->impute = arena_alloc(&m->arena, (n + 1) * sizeof *m->impute);
		else if (k == 1)
			m->winmax = arena_alloc(&m->arena, (n + 1) * sizeof *m->winmax);
		else if (k == 2)
			m->norm = arena_alloc(&m->arena, (n + 1) * sizeof *m->norm);
		else
			m->agg = arena_alloc(&m->arena, (n + 1) * sizeof *m->agg);
		json_array_foreach(l, i, it)
			if ((rc = parse_alternative(x, k, lists[k], i, it)))
				return rc;
	}
	return 0;
}

/* ---- nodes --------------------------------------------------------------- */

static bool code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			     (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || !strchr("_.:-", c)))
			return false;
	}
	return true;
}

static int parse_node(struct mctx *x, size_t i, json_t *o, struct meth_node *nd)
{
	struct arena *ar = &x->m->arena;
	long nodes_line = json_line_of_key(x->text, NULL, "nodes");
	if (!json_is_object(o))
		return bad(x, nodes_line, "nodes", NULL,
			   "item %zu must be an object", i + 1);
	json_t *id = json_object_get(o, "id");
	if (!json_is_string(id) || !code_ok(json_string_value(id)))
		return bad(x, nodes_line, "id", NULL,
			   "node %zu: \"id\" must be a code (letters, digits, "
			   "_ . : -; at most 64)", i + 1);
	nd->id = arena_strdup(ar, json_string_value(id));
	nd->line = json_line_of_id(x->text, nd->id);
	struct at a = {"nodes", nd->id};
	static const char *const keys[] = {"id", "name", "parent", "level",
		"weight", "direction", "goalposts", "target", "denominator", NULL};
	int rc = only_keys(x, a, o, keys);
	if (rc)
		return rc;
	json_t *name = json_object_get(o, "name");
	if (name && !json_is_string(name))
		return bad(x, nd->line, "name", nd->id, "must be a string");
	nd->name = arena_strdup(ar, name ? json_string_value(name) : "");
	json_t *par = json_object_get(o, "parent");
	if (!par)
		return bad(x, nd->line, "parent", nd->id, "required key "
			   "\"parent\" is missing (null for the index)");
	if (!json_is_null(par) && !(json_is_string(par) &&
				    code_ok(json_string_value(par))))
		return bad(x, nd->line, "parent", nd->id,
			   "must be a node id or null");
	nd->parent = json_is_null(par) ? NULL
				       : arena_strdup(ar, json_string_value(par));
	long long level = 0;
	rc = get_int(x, a, o, "level", true, 1, IDX_MAX_LEVELS - 1, &level);
	if (rc == 0)
		rc = get_num(x, a, o, "weight", true, &nd->weight);
	if (rc == 0 && nd->weight < 0)
		rc = bad(x, nd->line, "weight", nd->id, "must be >= 0");
	if (rc)
		return rc;
	nd->level = (int)level;
	nd->direction = 1;
	nd->target = nd->gp_lo = nd->gp_hi = NAN;
	nd->denom = NULL;
	if (level > 1) {
		static const char *const ind_only[] = {"direction", "goalposts",
			"target", "denominator", NULL};
		for (const char *const *k = ind_only; *k; k++)
			if (json_object_get(o, *k))
				return bad(x, nd->line, *k, nd->id,
					   "only indicators (level 1) have %s", *k);
		return 0;
	}
	static const char *const dirs[] = {"higher_is_better",
					   "lower_is_better", NULL};
	int d = 0;
	if ((rc = get_enum(x, a, o, "direction", dirs, &d)))
		return rc;
	nd->direction = d == 0 ? 1 : -1;
	json_t *gp = json_object_get(o, "goalposts");
	if (gp) {
		static const char *const gk[] = {"lower", "upper", NULL};
		if (!json_is_object(gp))
			return bad(x, nd->line, "goalposts", nd->id,
				   "must be an object {lower, upper}");
		rc = only_keys(x, a, gp, gk);
		if (rc == 0)
			rc = get_num(x, a, gp, "lower", true, &nd->gp_lo);
		if (rc == 0)
			rc = get_num(x, a, gp, "upper", true, &nd->gp_hi);
		if (rc == 0 && !(nd->gp_lo < nd->gp_hi))
			rc = bad(x, nd->line, "goalposts", nd->id,
				 "lower (%g) must be below upper (%g)",
				 nd->gp_lo, nd->gp_hi);
		if (rc)
			return rc;
	}
	if ((rc = get_num(x, a, o, "target", false, &nd->target)))
		return rc;
	json_t *den = json_object_get(o, "denominator");
	if (den && !(json_is_string(den) && code_ok(json_string_value(den))))
		return bad(x, nd->line, "denominator", nd->id, "must be a code");
	if (den)
		nd->denom = arena_strdup(ar, json_string_value(den));
	return 0;
}

/* Unique ids, parents that exist one level up, one root, no empty
 * aggregate. */
static int check_tree(struct mctx *x)
{
	struct meth *m = x->m;
	size_t roots = 0;
	const char *root2 = NULL;
	for (size_t i = 0; i < m->n_nodes; i++) {
		struct meth_node *a = &m->nodes[i];
		for (size_t j = 0; j < i; j++)
			if (strcmp(m->nodes[j].id, a->id) == 0)
				return bad(x, a->line, "id", a->id,
					   "duplicate node id (first on line %ld)",
					   m->nodes[j].line);
		if (!a->parent) {
			if (roots++)
				root2 = a->id;
			continue;
		}
		const struct meth_node *p = meth_node(m, a->parent);
		if (!p)
			return bad(x, a->line, "parent", a->id,
				   "parent %s does not exist", a->parent);
		if (p->level != a->level + 1)
			return bad(x, a->line, "level", a->id,
				   "level %d, but its parent %s has level %d "
				   "(must be %d)", a->level, p->id, p->level,
				   a->level + 1);
	}
	if (roots != 1)
		return bad(x, root2 ? json_line_of_id(x->text, root2)
				    : json_line_of_key(x->text, NULL, "nodes"),
			   "parent", root2,
			   "%zu nodes have no parent; exactly one (the index) "
			   "must have \"parent\": null", roots);
	for (size_t i = 0; i < m->n_nodes; i++) {
		struct meth_node *a = &m->nodes[i];
		if (a->level == 1)
			continue;
		bool has = false;
		for (size_t j = 0; j < m->n_nodes && !has; j++)
			has = m->nodes[j].parent &&
			      strcmp(m->nodes[j].parent, a->id) == 0;
		if (!has)
			return bad(x, a->line, "id", a->id,
				   "aggregate (level %d) without children",
				   a->level);
	}
	return 0;
}

/* ---- entry points ----------------------------------------------------------- */

const struct meth_node *meth_node(const struct meth *m, const char *id)
{
	for (size_t i = 0; i < m->n_nodes; i++)
		if (strcmp(m->nodes[i].id, id) == 0)
			return &m->nodes[i];
	return NULL;
}

static int parse_root(struct mctx *x, json_t *root)
{
	struct meth *m = x->m;
	struct at a = {NULL, NULL};
	if (!json_is_object(root))
		return bad(x, 1, NULL, NULL, "top level must be an object");
	static const char *const keys[] = {"$schema", "methodology_version",
		"id", "title", "description", "nodes", "pipeline", "uncertainty",
		NULL};
	long long ver = 0;
	int rc = only_keys(x, a, root, keys);
	if (rc == 0)
		rc = get_int(x, a, root, "methodology_version", true, 1, 1, &ver);
	if (rc)
		return rc;
	json_t *id = json_object_get(root, "id");
	json_t *title = json_object_get(root, "title");
	json_t *desc = json_object_get(root, "description");
	if (!json_is_string(id) || !code_ok(json_string_value(id)))
		return bad(x, json_line_of_key(x->text, NULL, "id"), "id", NULL,
			   "must be a code naming the methodology");
	if (!json_is_string(title) || !*json_string_value(title))
		return bad(x, json_line_of_key(x->text, NULL, "title"), "title", NULL,
			   "must be a non-empty string");
	if (desc && !json_is_string(desc))
		return bad(x, json_line_of_key(x->text, NULL, "description"),
			   "description", NULL, "must be a string");
	m->id = arena_strdup(&m->arena, json_string_value(id));
	m->title = arena_strdup(&m->arena, json_string_value(title));

	json_t *nodes = json_object_get(root, "nodes");
	if (nodes) {
		if (!json_is_array(nodes) || json_array_size(nodes) < 2)
			return bad(x, json_line_of_key(x->text, NULL, "nodes"), "nodes",
				   NULL, "must be an array of at least 2 nodes");
		m->n_nodes = json_array_size(nodes);
		m->nodes = arena_alloc(&m->arena, m->n_nodes * sizeof *m->nodes);
		size_t i;
		json_t *it;
		json_array_foreach(nodes, i, it)
			if ((rc = parse_node(x, i, it, &m->nodes[i])))
				return rc;
		if ((rc = check_tree(x)))
			return rc;
	}
	json_t *p;
	if ((rc = need_obj(x, a, root, "pipeline", true, &p)) ||
	    (rc = parse_pipeline(x, p)))
		return rc;
	json_t *u;
	if ((rc = need_obj(x, a, root, "uncertainty", false, &u)))
		return rc;
	return u ? parse_uncertainty(x, u) : 0;
}

int meth_parse(struct meth *m, const char *name, const char *text, size_t n,
	       struct cdg_err *e)
{
	memset(m, 0, sizeof *m);
	arena_init(&m->arena);
	struct idx_method *mt = &m->method;
	mt->treat = (struct idx_treat){false, 5, 2, 3.5};
	mt->norm = (struct idx_norm){IDX_NORM_MINMAX, 0, 100};
	mt->screen = (struct idx_screen){IDX_SCREEN_NONE, 0, 0};
	char *copy = arena_strndup(&m->arena, text, n);
	struct mctx x = {m, name, copy, e};
	json_error_t je;
	json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
	int rc;
	if (!root)
		rc = err_at(e, CDG_EINPUT, name, je.line, NULL,
			    "column %d: invalid JSON: %s", je.column, je.text);
	else
		rc = parse_root(&x, root);
	json_decref(root);
	if (rc)
		meth_free(m);
	return rc;
}

void meth_free(struct meth *m)
{
	arena_free(&m->arena);
	memset(m, 0, sizeof *m);
}

void meth_mc_spec(const struct meth *m, struct idx_mc_spec *s)
{
	memset(s, 0, sizeof *s);
	s->n_impute = m->n_impute;
	s->impute = m->impute;
	s->n_winmax = m->n_winmax;
	s->winmax = m->winmax;
	s->n_norm = m->n_norm;
	s->norm = m->norm;
	s->n_agg = m->n_agg;
	s->agg = m->agg;
	memcpy(s->wnoise, m->wnoise, sizeof s->wnoise);
	s->target = -1;
	s->seed = m->mc_seed;
	s->n_threads = 1;
}
