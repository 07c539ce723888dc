/* Catalog parsing and validation: see framework.h. */
#include "framework/framework.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

const char *const fw_files[FW_NFILES] = {"norms.json", "goals.json",
					 "indicators.json", "survey.json"};

/* Parsing context for one file. */
struct pctx {
	struct fw_catalog *c;
	const char *name;  /* file name for errors */
	const char *text;  /* file text, to find the line of an id */
	struct cdg_err *e;
};

static int bad(struct pctx *x, const char *id, const char *field,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int bad(struct pctx *x, const char *id, const char *field,
	       const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	if (id)
		buf_addf(&m, "%s: ", id);
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	int rc = err_at(x->e, CDG_EINPUT, x->name, json_line_of_id(x->text, id),
			field, "%s", m.p);
	buf_free(&m);
	return rc;
}

static const char *get_str(struct pctx *x, json_t *o, const char *id,
			   const char *key, bool required, int *rc)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		if (required && !*rc)
			*rc = bad(x, id, key, "missing required key");
		return NULL;
	}
	if (!json_is_string(v) || (required && !json_string_value(v)[0])) {
		if (!*rc)
			*rc = bad(x, id, key, "must be a non-empty string");
		return NULL;
	}
	return arena_strdup(&x->c->arena, json_string_value(v));
}

/* Number under key; errors name field (key unless it is nested). */
static double get_num_f(struct pctx *x, json_t *o, const char *id,
			const char *key, const char *field, int *rc)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_number(v)) {
		if (!*rc)
			*rc = bad(x, id, field, "must be a number");
		return NAN;
	}
	return json_number_value(v);
}

static double get_num(struct pctx *x, json_t *o, const char *id,
		      const char *key, int *rc)
{
	return get_num_f(x, o, id, key, key, rc);
}

static bool one_of(const char *s, const char *const *set)
{
	if (!s)
		return false;
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static int check_enum(struct pctx *x, const char *id, const char *key,
		      const char *val, const char *const *set, int rc)
{
	if (rc || !val || one_of(val, set))
		return rc;
	return bad(x, id, key, "value \"%s\" is not allowed", val);
}

/* Rejects keys outside allowed (NULL-terminated): a misspelt key would
 * otherwise be silently ignored. */
static int check_keys(struct pctx *x, json_t *o, const char *id,
		      const char *const *allowed, int rc)
{
	if (rc)
		return rc;
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		(void)v;
		if (!one_of(k, allowed))
			return bad(x, id, k, "unknown key");
	}
	return 0;
}

/* Checks that child id starts with "parent." (CDG1 -> CDG1.2 -> CDG1.2.3). */
static int check_prefix(struct pctx *x, const char *id, const char *parent,
			const char *field, int rc)
{
	if (rc || !id || !parent)
		return rc;
	size_t n = strlen(parent);
	if (strncmp(id, parent, n) != 0 || id[n] != '.' || !id[n + 1])
		return bad(x, id, field, "id must start with \"%s.\"", parent);
	return 0;
}

static int check_bool(struct pctx *x, json_t *o, const char *id,
		      const char *key, int rc)
{
	if (rc)
		return rc;
	json_t *v = json_object_get(o, key);
	if (!json_is_boolean(v))
		return bad(x, id, key, "must be true or false");
	return 0;
}

/* The array under key of the file's top-level object. */
static json_t *top_array(struct pctx *x, json_t *root, const char *key,
			 int *rc)
{
	json_t *a = json_object_get(root, key);
	if (!json_is_array(a)) {
		*rc = err_at(x->e, CDG_EINPUT, x->name, 1, key,
			     "top-level key must be an array");
		return NULL;
	}
	return a;
}

static const char **str_array(struct pctx *x, json_t *o, const char *id,
			      const char *key, size_t *n, int *rc)
{
	json_t *a = json_object_get(o, key);
	*n = 0;
	if (!a || json_is_null(a))
		return NULL;
	if (!json_is_array(a)) {
		if (!*rc)
			*rc = bad(x, id, key, "must be an array of ids");
		return NULL;
	}
	const char **r = arena_alloc(&x->c->arena,
				     (json_array_size(a) + 1) * sizeof *r);
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v)) {
			if (!*rc)
				*rc = bad(x, id, key, "must be an array of ids");
			return NULL;
		}
		r[(*n)++] = arena_strdup(&x->c->arena, json_string_value(v));
	}
	return r;
}

static int parse_norms(struct pctx *x, json_t *root)
{
	static const char *const cats[] = {"restraint", "cooperation_protection",
					   "industry", NULL};
	static const char *const subs[] = {"restraint", "cooperation",
					   "protection", "industry", NULL};
	int rc = 0;
	json_t *a = top_array(x, root, "norms", &rc);
	if (rc)
		return rc;
	struct fw_catalog *c = x->c;
	c->norms = arena_alloc(&c->arena, json_array_size(a) * sizeof *c->norms);
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o) {
		struct fw_norm *n = &c->norms[c->n_norms++];
		static const char *const keys[] = {"id", "paragraph",
			"short_name", "title", "category", "subcategory",
			"paraphrase", "source_url", NULL};
		n->id = get_str(x, o, NULL, "id", true, &rc);
		rc = check_keys(x, o, n->id, keys, rc);
		n->paragraph = get_str(x, o, n->id, "paragraph", true, &rc);
		n->short_name = get_str(x, o, n->id, "short_name", true, &rc);
		n->title = get_str(x, o, n->id, "title", true, &rc);
		n->category = get_str(x, o, n->id, "category", true, &rc);
		n->subcategory = get_str(x, o, n->id, "subcategory", true, &rc);
		n->paraphrase = get_str(x, o, n->id, "paraphrase", true, &rc);
		n->source_url = get_str(x, o, n->id, "source_url", true, &rc);
		rc = check_enum(x, n->id, "category", n->category, cats, rc);
		rc = check_enum(x, n->id, "subcategory", n->subcategory, subs, rc);
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_goals(struct pctx *x, json_t *root)
{
	int rc = 0;
	json_t *a = top_array(x, root, "goals", &rc);
	if (rc)
		return rc;
	struct fw_catalog *c = x->c;
	size_t nt = 0, i;
	json_t *o;
	json_array_foreach(a, i, o)
		nt += json_array_size(json_object_get(o, "targets"));
	c->goals = arena_alloc(&c->arena, json_array_size(a) * sizeof *c->goals);
	c->targets = arena_alloc(&c->arena, nt * sizeof *c->targets);
	json_array_foreach(a, i, o) {
		struct fw_goal *g = &c->goals[c->n_goals++];
		static const char *const keys[] = {"id", "title", "description",
			"origin", "rationale", "norms", "targets", NULL};
		g->id = get_str(x, o, NULL, "id", true, &rc);
		rc = check_keys(x, o, g->id, keys, rc);
		g->title = get_str(x, o, g->id, "title", true, &rc);
		g->description = get_str(x, o, g->id, "description", true, &rc);
		g->origin = get_str(x, o, g->id, "origin", true, &rc);
		g->rationale = get_str(x, o, g->id, "rationale", true, &rc);
		g->norms = str_array(x, o, g->id, "norms", &g->n_norms, &rc);
		if (!rc && g->n_norms == 0)
			rc = bad(x, g->id, "norms", "a goal must serve at least one norm");
		json_t *ts = json_object_get(o, "targets");
		if (!rc && (!json_is_array(ts) || json_array_size(ts) == 0))
			rc = bad(x, g->id, "targets", "a goal needs at least one target");
		if (rc)
			return rc;
		g->first_target = c->n_targets;
		size_t j;
		json_t *to;
		json_array_foreach(ts, j, to) {
			struct fw_target *t = &c->targets[c->n_targets++];
			t->goal = g->id;
			static const char *const tkeys[] = {"id", "title",
				"description", NULL};
			t->id = get_str(x, to, g->id, "id", true, &rc);
			rc = check_keys(x, to, t->id, tkeys, rc);
			t->title = get_str(x, to, t->id, "title", true, &rc);
			t->description = get_str(x, to, t->id, "description", true, &rc);
			rc = check_prefix(x, t->id, g->id, "id", rc);
			if (rc)
				return rc;
		}
		g->n_targets = c->n_targets - g->first_target;
	}
	return 0;
}

static int parse_indicators(struct pctx *x, json_t *root)
{
	static const char *const units[] = {"binary", "score", "percent",
					    "count", "years", "ratio", NULL};
	static const char *const dirs[] = {"higher_is_better",
					   "lower_is_better", NULL};
	static const char *const meas[] = {"survey", "observation", "registry",
					   NULL};
	int rc = 0;
	json_t *a = top_array(x, root, "indicators", &rc);
	if (rc)
		return rc;
	struct fw_catalog *c = x->c;
	c->indicators = arena_alloc(&c->arena,
				    json_array_size(a) * sizeof *c->indicators);
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o) {
		struct fw_indicator *d = &c->indicators[c->n_indicators++];
		static const char *const keys[] = {"id", "target", "name",
			"description", "unit", "direction", "min", "max",
			"goalposts", "target_value", "measure", "rule",
			"questions", "evidence", "source", "public_evidence",
			"self_report", NULL};
		static const char *const gkeys[] = {"lower", "upper", NULL};
		static const char *const pekeys[] = {"measurable", "how", NULL};
		static const char *const pevals[] = {"yes", "partly", "no", NULL};
		d->id = get_str(x, o, NULL, "id", true, &rc);
		rc = check_keys(x, o, d->id, keys, rc);
		d->target = get_str(x, o, d->id, "target", true, &rc);
		d->name = get_str(x, o, d->id, "name", true, &rc);
		d->description = get_str(x, o, d->id, "description", true, &rc);
		d->unit = get_str(x, o, d->id, "unit", true, &rc);
		const char *dir = get_str(x, o, d->id, "direction", true, &rc);
		d->min = get_num(x, o, d->id, "min", &rc);
		d->max = get_num(x, o, d->id, "max", &rc);
		json_t *gp = json_object_get(o, "goalposts");
		if (!rc && !json_is_object(gp))
			rc = bad(x, d->id, "goalposts", "must be an object {lower, upper}");
		if (rc)
			return rc;
		rc = check_keys(x, gp, d->id, gkeys, rc);
		d->lower = get_num_f(x, gp, d->id, "lower", "goalposts.lower", &rc);
		d->upper = get_num_f(x, gp, d->id, "upper", "goalposts.upper", &rc);
		d->target_value = get_num(x, o, d->id, "target_value", &rc);
		const char *m = get_str(x, o, d->id, "measure", true, &rc);
		d->rule = get_str(x, o, d->id, "rule", true, &rc);
		d->questions = str_array(x, o, d->id, "questions", &d->n_questions, &rc);
		d->evidence = get_str(x, o, d->id, "evidence", true, &rc);
		d->source = get_str(x, o, d->id, "source", true, &rc);
		d->self_report = get_str(x, o, d->id, "self_report", false, &rc);
		json_t *pe = json_object_get(o, "public_evidence");
		if (!rc && pe && !json_is_object(pe))
			rc = bad(x, d->id, "public_evidence",
				 "must be an object {measurable, how}");
		rc = pe ? check_keys(x, pe, d->id, pekeys, rc) : rc;
		if (!rc && pe) {
			d->pe_measurable = get_str(x, pe, d->id, "measurable", true, &rc);
			d->pe_how = get_str(x, pe, d->id, "how", true, &rc);
		}
		rc = check_enum(x, d->id, "public_evidence.measurable", d->pe_measurable,
				pevals, rc);
		rc = check_enum(x, d->id, "unit", d->unit, units, rc);
		rc = check_enum(x, d->id, "direction", dir, dirs, rc);
		rc = check_enum(x, d->id, "measure", m, meas, rc);
		if (rc)
			return rc;
		d->direction = strcmp(dir, "higher_is_better") == 0 ? 1 : -1;
		d->measure = strcmp(m, "survey") == 0	       ? FW_SURVEY
			     : strcmp(m, "observation") == 0 ? FW_OBSERVATION
							     : FW_REGISTRY;
		if (strcmp(d->unit, "binary") == 0 && (d->min != 0 || d->max != 1))
			return bad(x, d->id, "min", "a binary indicator ranges over 0..1");
		if (!(d->min < d->max))
			return bad(x, d->id, "max", "min must be below max");
		/* Goalposts are an interval; direction says which end is best. */
		if (!(d->lower < d->upper) || d->lower < d->min ||
		    d->upper > d->max)
			return bad(x, d->id, "goalposts",
				   "goalposts need lower < upper, both within min..max");
		if (d->target_value < d->min || d->target_value > d->max)
			return bad(x, d->id, "target_value", "must be within min..max");
		if (d->measure == FW_SURVEY && d->n_questions == 0)
			return bad(x, d->id, "questions",
				   "a survey indicator must name its questions");
	}
	return 0;
}

static int parse_survey(struct pctx *x, json_t *root)
{
	static const char *const evid[] = {"required", "optional", "none", NULL};
	int rc = 0;
	json_t *sa = top_array(x, root, "scales", &rc);
	json_t *qa = rc ? NULL : top_array(x, root, "questions", &rc);
	if (rc)
		return rc;
	struct fw_catalog *c = x->c;
	c->scales = arena_alloc(&c->arena, json_array_size(sa) * sizeof *c->scales);
	size_t i;
	json_t *o;
	json_array_foreach(sa, i, o) {
		struct fw_scale *s = &c->scales[c->n_scales++];
		s->id = get_str(x, o, NULL, "id", true, &rc);
		static const char *const skeys[] = {"id", "options", NULL};
		rc = check_keys(x, o, s->id, skeys, rc);
		json_t *opts = json_object_get(o, "options");
		if (!rc && (!json_is_array(opts) || json_array_size(opts) < 2))
			rc = bad(x, s->id, "options", "a scale needs at least two options");
		if (rc)
			return rc;
		s->options = arena_alloc(&c->arena,
					 json_array_size(opts) * sizeof *s->options);
		size_t j;
		json_t *oo;
		json_array_foreach(opts, j, oo) {
			struct fw_option *op = &s->options[s->n_options++];
			op->value = get_str(x, oo, s->id, "value", true, &rc);
			op->label = get_str(x, oo, s->id, "label", true, &rc);
			static const char *const okeys[] = {"value", "label",
				"score", NULL};
			rc = check_keys(x, oo, s->id, okeys, rc);
			json_t *sc = json_object_get(oo, "score");
			if (!rc && json_is_null(sc)) {
				op->scored = false;
			} else if (!rc && json_is_number(sc) &&
				   json_number_value(sc) >= 0 &&
				   json_number_value(sc) <= 1) {
				op->scored = true;
				op->score = json_number_value(sc);
			} else if (!rc) {
				rc = bad(x, s->id, "score",
					 "option \"%s\" needs a score in 0..1 or null",
					 op->value);
			}
			for (size_t k = 0; !rc && k + 1 < s->n_options; k++)
				if (strcmp(s->options[k].value, op->value) == 0)
					rc = bad(x, s->id, "options",
						 "option \"%s\" appears twice", op->value);
			if (rc)
				return rc;
		}
	}
	c->questions = arena_alloc(&c->arena,
				   json_array_size(qa) * sizeof *c->questions);
	json_array_foreach(qa, i, o) {
		struct fw_question *q = &c->questions[c->n_questions++];
		static const char *const keys[] = {"id", "norm", "goal",
			"section", "text", "help", "scale", "evidence",
			"free_text", "capacity_needs", NULL};
		q->id = get_str(x, o, NULL, "id", true, &rc);
		rc = check_keys(x, o, q->id, keys, rc);
		q->norm = get_str(x, o, q->id, "norm", false, &rc);
		q->goal = get_str(x, o, q->id, "goal", false, &rc);
		q->section = get_str(x, o, q->id, "section", true, &rc);
		q->text = get_str(x, o, q->id, "text", true, &rc);
		q->help = get_str(x, o, q->id, "help", true, &rc);
		q->scale = get_str(x, o, q->id, "scale", true, &rc);
		q->evidence = get_str(x, o, q->id, "evidence", true, &rc);
		rc = check_bool(x, o, q->id, "free_text", rc);
		rc = check_bool(x, o, q->id, "capacity_needs", rc);
		q->free_text = json_is_true(json_object_get(o, "free_text"));
		q->capacity_needs = json_is_true(json_object_get(o, "capacity_needs"));
		rc = check_enum(x, q->id, "evidence", q->evidence, evid, rc);
		if (!rc && !q->norm && !q->goal)
			rc = bad(x, q->id, "norm", "a question must refer to a norm or a goal");
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- lookups ------------------------------------------------------------- */

#define FIND(arr, n, id)                                  \
	do {                                              \
		for (size_t i_ = 0; i_ < (n); i_++)       \
			if (strcmp((arr)[i_].id, id) == 0) \
				return &(arr)[i_];        \
		return NULL;                              \
	} while (0)

const struct fw_norm *fw_norm(const struct fw_catalog *c, const char *id)
{
	FIND(c->norms, c->n_norms, id);
}
const struct fw_goal *fw_goal(const struct fw_catalog *c, const char *id)
{
	FIND(c->goals, c->n_goals, id);
}
const struct fw_target *fw_target(const struct fw_catalog *c, const char *id)
{
	FIND(c->targets, c->n_targets, id);
}
const struct fw_indicator *fw_indicator(const struct fw_catalog *c,
					const char *id)
{
	FIND(c->indicators, c->n_indicators, id);
}
const struct fw_question *fw_question(const struct fw_catalog *c,
				      const char *id)
{
	FIND(c->questions, c->n_questions, id);
}
const struct fw_scale *fw_scale(const struct fw_catalog *c, const char *id)
{
	FIND(c->scales, c->n_scales, id);
}

const char *fw_measure_name(enum fw_measure m)
{
	return m == FW_SURVEY ? "survey" : m == FW_OBSERVATION ? "observation"
							      : "registry";
}

/* ---- cross-file validation --------------------------------------------- */

struct idref {
	const char *id;   /* the id */
	int file;         /* index into fw_files */
};

static int check_unique(struct pctx *px, struct idref *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(ids[i].id, ids[j].id) == 0) {
				struct pctx *x = &px[ids[i].file];
				return bad(x, ids[i].id, "id",
					   "id is used twice (also in %s)",
					   fw_files[ids[j].file]);
			}
	return 0;
}

static int validate(struct fw_catalog *c, struct pctx *px)
{
	size_t n = c->n_norms + c->n_goals + c->n_targets + c->n_indicators +
		   c->n_questions + c->n_scales;
	struct idref *ids = xcalloc(n, sizeof *ids);
	size_t k = 0;
	for (size_t i = 0; i < c->n_norms; i++)
		ids[k++] = (struct idref){c->norms[i].id, 0};
	for (size_t i = 0; i < c->n_goals; i++)
		ids[k++] = (struct idref){c->goals[i].id, 1};
	for (size_t i = 0; i < c->n_targets; i++)
		ids[k++] = (struct idref){c->targets[i].id, 1};
	for (size_t i = 0; i < c->n_indicators; i++)
		ids[k++] = (struct idref){c->indicators[i].id, 2};
	for (size_t i = 0; i < c->n_scales; i++)
		ids[k++] = (struct idref){c->scales[i].id, 3};
	for (size_t i = 0; i < c->n_questions; i++)
		ids[k++] = (struct idref){c->questions[i].id, 3};
	int rc = check_unique(px, ids, k);
	free(ids);
	if (rc)
		return rc;
	for (size_t i = 0; i < c->n_goals; i++)
		for (size_t j = 0; j < c->goals[i].n_norms; j++)
			if (!fw_norm(c, c->goals[i].norms[j]))
				return bad(&px[1], c->goals[i].id, "norms",
					   "refers to unknown norm \"%s\"",
					   c->goals[i].norms[j]);
	for (size_t i = 0; i < c->n_indicators; i++) {
		struct fw_indicator *d = &c->indicators[i];
		const struct fw_target *t = fw_target(c, d->target);
		if (!t)
			return bad(&px[2], d->id, "target",
				   "refers to unknown target \"%s\"", d->target);
		d->goal = t->goal;
		rc = check_prefix(&px[2], d->id, d->target, "id", 0);
		if (rc)
			return rc;
		for (size_t j = 0; j < d->n_questions; j++)
			if (!fw_question(c, d->questions[j]))
				return bad(&px[2], d->id, "questions",
					   "refers to unknown question \"%s\"",
					   d->questions[j]);
		if (d->self_report && !fw_question(c, d->self_report))
			return bad(&px[2], d->id, "self_report",
				   "refers to unknown question \"%s\"", d->self_report);
	}
	for (size_t i = 0; i < c->n_questions; i++) {
		const struct fw_question *q = &c->questions[i];
		if (q->norm && !fw_norm(c, q->norm))
			return bad(&px[3], q->id, "norm",
				   "refers to unknown norm \"%s\"", q->norm);
		if (q->goal && !fw_goal(c, q->goal))
			return bad(&px[3], q->id, "goal",
				   "refers to unknown goal \"%s\"", q->goal);
		if (!fw_scale(c, q->scale))
			return bad(&px[3], q->id, "scale",
				   "refers to unknown scale \"%s\"", q->scale);
	}
	if (c->n_norms == 0)
		return err_at(px[0].e, CDG_EINPUT, px[0].name, 1, "norms",
			      "the catalog has no norms");
	return 0;
}

int fw_parse(struct fw_catalog *c, const char *const names[FW_NFILES],
	     const char *const texts[FW_NFILES], struct cdg_err *e)
{
	memset(c, 0, sizeof *c);
	arena_init(&c->arena);
	int (*parsers[FW_NFILES])(struct pctx *, json_t *) = {
		parse_norms, parse_goals, parse_indicators, parse_survey};
	struct pctx px[FW_NFILES];
	int rc = 0;
	for (int i = 0; i < FW_NFILES && rc == 0; i++) {
		px[i] = (struct pctx){c, names[i], texts[i], e};
		json_error_t je;
		json_t *root = json_loads(texts[i], JSON_REJECT_DUPLICATES, &je);
		if (!root) {
			rc = err_at(e, CDG_EINPUT, names[i], je.line, NULL,
				    "column %d: invalid JSON: %s", je.column,
				    je.text);
			break;
		}
		if (!json_is_object(root)) {
			rc = err_at(e, CDG_EINPUT, names[i], 1, NULL,
				    "top level must be an object");
		} else {
			if (i == 0) {
				json_t *v = json_object_get(root, "catalog_version");
				c->version = arena_strdup(&c->arena,
							  json_is_string(v) ? json_string_value(v)
									    : "unversioned");
			}
			static const char *const top_keys[FW_NFILES][5] = {
				{"catalog_version", "norms", NULL},
				{"catalog_version", "goals", NULL},
				{"catalog_version", "indicators", NULL},
				{"catalog_version", "instructions", "scales",
				 "questions", NULL}};
			json_t *v = json_object_get(root, "catalog_version");
			if (i > 0 && v && (!json_is_string(v) ||
					   strcmp(json_string_value(v), c->version) != 0))
				rc = err_at(e, CDG_EINPUT, names[i], 1,
					    "catalog_version",
					    "differs from norms.json (%s)", c->version);
			rc = check_keys(&px[i], root, NULL, top_keys[i], rc);
			if (rc == 0)
				rc = parsers[i](&px[i], root);
		}
		json_decref(root);
	}
	if (rc == 0)
		rc = validate(c, px);
	if (rc)
		fw_free(c);
	return rc;
}

int fw_load_dir(struct fw_catalog *c, const char *dir, struct cdg_err *e)
{
	struct buf bufs[FW_NFILES];
	char *names[FW_NFILES];
	const char *texts[FW_NFILES];
	int rc = 0;
	for (int i = 0; i < FW_NFILES; i++) {
		buf_init(&bufs[i]);
		struct buf p = BUF_INIT;
		buf_addf(&p, "%s/%s", dir, fw_files[i]);
		names[i] = buf_detach(&p);
		if (rc == 0)
			rc = file_read_all(names[i], &bufs[i], e);
		texts[i] = bufs[i].p;
	}
	if (rc == 0)
		rc = fw_parse(c, (const char *const *)names, texts, e);
	for (int i = 0; i < FW_NFILES; i++) {
		buf_free(&bufs[i]);
		free(names[i]);
	}
	return rc;
}

void fw_free(struct fw_catalog *c)
{
	arena_free(&c->arena);
	memset(c, 0, sizeof *c);
}
