/* Parsers for data/crime/ JSON files (articles, treaties, principles,
 * instruments): see crime.h.  Pure: text in, structs out. */
#include "crime/crime.h"

#include <jansson.h>
#include <string.h>

/* One file being read. */
struct jctx {
	const char *name;  /* file name for errors */
	const char *text;  /* its text, to find the line of an id */
	struct arena *a;   /* owns every string */
	struct cdg_err *e;
	int rc;            /* first error, 0 while none */
};

/* Records the first error: "<id>: <reason>" at the id's line. */
static void fail(struct jctx *x, const char *id, const char *field,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fail(struct jctx *x, const char *id, const char *field,
		 const char *fmt, ...)
{
	if (x->rc)
		return;
	struct buf m = BUF_INIT;
	if (id)
		buf_addf(&m, "%s: ", id);
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	x->rc = err_at(x->e, CDG_EINPUT, x->name, id ? json_line_of_id(x->text, id) : 1,
		       field, "%s", m.p);
	buf_free(&m);
}

/* String under key: NULL when absent or null (an error if required). */
static const char *str(struct jctx *x, json_t *o, const char *id,
		       const char *key, bool required)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		if (required)
			fail(x, id, key, "missing required key");
		return NULL;
	}
	if (!json_is_string(v) || !json_string_value(v)[0]) {
		fail(x, id, key, "must be a non-empty string");
		return NULL;
	}
	return arena_strdup(x->a, json_string_value(v));
}

static long integer(struct jctx *x, json_t *o, const char *id,
		    const char *key, long min, long max)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max) {
		fail(x, id, key, "must be an integer in %ld..%ld", min, max);
		return min;
	}
	return (long)json_integer_value(v);
}

static enum crime_tri tri(struct jctx *x, json_t *o, const char *id,
			  const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return CRIME_TRI_UNSTATED;
	if (!json_is_boolean(v)) {
		fail(x, id, key, "must be true, false or null");
		return CRIME_TRI_UNSTATED;
	}
	return json_is_true(v) ? CRIME_TRI_YES : CRIME_TRI_NO;
}

/* An enum value by name; -1 (and an error) when unknown. */
static int named(struct jctx *x, json_t *o, const char *id, const char *key,
		 int (*parse)(const char *), bool required)
{
	const char *s = str(x, o, id, key, required);
	if (!s)
		return -1;
	int v = parse(s);
	if (v < 0)
		fail(x, id, key, "value \"%s\" is not allowed", s);
	return v;
}

/* An array of strings; NULL/0 when absent. */
static const char **strs(struct jctx *x, json_t *o, const char *id,
			 const char *key, size_t *n)
{
	json_t *arr = json_object_get(o, key);
	*n = 0;
	if (!arr || json_is_null(arr))
		return NULL;
	if (!json_is_array(arr)) {
		fail(x, id, key, "must be an array of strings");
		return NULL;
	}
	const char **r = arena_alloc(x->a, (json_array_size(arr) + 1) * sizeof *r);
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v)) {
			fail(x, id, key, "must be an array of strings");
			return NULL;
		}
		r[(*n)++] = arena_strdup(x->a, json_string_value(v));
	}
	return r;
}

/* Rejects keys outside allowed (NULL-terminated). */
static void only_keys(struct jctx *x, json_t *o, const char *id,
		      const char *const *allowed)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		(void)v;
		bool ok = false;
		for (const char *const *p = allowed; *p && !ok; p++)
			ok = strcmp(*p, k) == 0;
		if (!ok)
			fail(x, id, k, "unknown key");
	}
}

/* Parses text and returns the array under key of the top-level object,
 * checking the "format" tag; NULL on error (root stays for json_decref). */
static json_t *load(struct jctx *x, json_t **root, const char *format,
		    const char *key)
{
	json_error_t je;
	*root = json_loads(x->text, JSON_REJECT_DUPLICATES, &je);
	if (!*root) {
		x->rc = err_at(x->e, CDG_EINPUT, x->name, je.line, NULL,
			       "invalid JSON: %s", je.text);
		return NULL;
	}
	json_t *f = json_object_get(*root, "format");
	if (!json_is_string(f) || strcmp(json_string_value(f), format) != 0) {
		fail(x, NULL, "format", "must be \"%s\"", format);
		return NULL;
	}
	json_t *arr = json_object_get(*root, key);
	if (!json_is_array(arr)) {
		fail(x, NULL, key, "top-level key must be an array");
		return NULL;
	}
	return arr;
}

/* Array element i as an object with a string id (else an error). */
static json_t *item(struct jctx *x, json_t *arr, size_t i, const char **id)
{
	json_t *o = json_array_get(arr, i);
	*id = NULL;
	if (!json_is_object(o)) {
		fail(x, NULL, NULL, "element %zu is not an object", i + 1);
		return NULL;
	}
	*id = str(x, o, NULL, "id", true);
	return *id ? o : NULL;
}

static bool dup_id(struct jctx *x, const char *const *ids, size_t n,
		   const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0) {
			fail(x, id, "id", "duplicate id");
			return true;
		}
	return false;
}

/* Element i of arr as an object with a unique id (recorded in ids[i]) and
 * only the allowed keys; NULL after an error. */
static json_t *entry(struct jctx *x, json_t *arr, size_t i, const char **ids,
		     const char *const *keys, const char **id)
{
	json_t *o = item(x, arr, i, id);
	if (!o || dup_id(x, ids, i, *id))
		return NULL;
	ids[i] = *id;
	only_keys(x, o, *id, keys);
	return o;
}

/* n zeroed elements of size sz (at least one, so never NULL). */
static void *alloc_n(struct jctx *x, size_t n, size_t sz)
{
	return arena_alloc(x->a, (n ? n : 1) * sz);
}

/* ---- articles.json ------------------------------------------------------------ */

static int kind_parse(const char *s)
{
	static const char *const k[] = {"offence", "procedural_power",
					"cooperation"};
	for (int i = 0; i < 3; i++)
		if (strcmp(s, k[i]) == 0)
			return i;
	return -1;
}

static void parse_articles(struct jctx *x, json_t *arr, struct crime_catalog *c)
{
	static const char *const keys[] = {"id", "article", "title", "kind",
		"summary", "class", "class_reason", "ancillary", "un", NULL};
	size_t n = json_array_size(arr);
	c->articles = alloc_n(x, n, sizeof *c->articles);
	const char **ids = alloc_n(x, n, sizeof *ids);
	for (size_t i = 0; i < n && !x->rc; i++) {
		const char *id;
		json_t *o = entry(x, arr, i, ids, keys, &id);
		if (!o)
			break;
		struct crime_article *r = &c->articles[i];
		r->id = id;
		r->number = (int)integer(x, o, id, "article", 1, 48);
		r->title = str(x, o, id, "title", true);
		r->summary = str(x, o, id, "summary", true);
		int k = named(x, o, id, "kind", kind_parse, true);
		r->kind = k < 0 ? CRIME_OFFENCE : (enum crime_kind)k;
		int cl = named(x, o, id, "class", crime_class_parse, false);
		r->cls = cl < 0 ? CRIME_CLASS_NONE : (enum crime_class)cl;
		r->class_reason = str(x, o, id, "class_reason", false);
		bool ancillary = json_is_true(json_object_get(o, "ancillary"));
		if (!x->rc && r->kind == CRIME_OFFENCE && !r->class_reason)
			fail(x, id, "class_reason",
			     "an offence needs a classification reason");
		if (!x->rc && r->kind == CRIME_OFFENCE &&
		    r->cls == CRIME_CLASS_NONE && !ancillary)
			fail(x, id, "class", "an offence needs a class");
		if (!x->rc && r->kind != CRIME_OFFENCE && r->cls != CRIME_CLASS_NONE)
			fail(x, id, "class", "only offences are classified");
		json_t *un = json_object_get(o, "un");
		if (json_is_object(un)) {
			static const char *const ukeys[] = {"article", "title",
							    "verified", NULL};
			only_keys(x, un, id, ukeys);
			r->un_number = str(x, un, id, "article", true);
			r->un_title = str(x, un, id, "title", true);
			r->un_verified = json_is_true(json_object_get(un, "verified"));
		} else if (un && !json_is_null(un)) {
			fail(x, id, "un", "must be an object or null");
		}
		c->n_articles = i + 1;
	}
}

/* ---- treaties.json -------------------------------------------------------------- */

static void parse_threshold(struct jctx *x, json_t *o, const char *id,
			    struct crime_treaty *t)
{
	static const char *const keys[] = {"count", "sub_group", "sub_count",
					   "rule", "lag", "text", NULL};
	json_t *th = json_object_get(o, "entry_into_force");
	if (!json_is_object(th)) {
		fail(x, id, "entry_into_force", "must be an object");
		return;
	}
	only_keys(x, th, id, keys);
	t->threshold.count = (uint32_t)integer(x, th, id, "count", 1, 1000);
	t->sub_group = str(x, th, id, "sub_group", false);
	json_t *sc = json_object_get(th, "sub_count");
	t->threshold.sub_count = sc && !json_is_null(sc) ?
		(uint32_t)integer(x, th, id, "sub_count", 1, 1000) : 0;
	if (!x->rc && (t->threshold.sub_count > t->threshold.count ||
		       !t->sub_group != !t->threshold.sub_count))
		fail(x, id, "sub_count",
		     "sub_group and sub_count go together, sub_count <= count");
	const char *rule = str(x, th, id, "rule", true);
	if (rule && strcmp(rule, "days_after") == 0)
		t->threshold.rule = CRIME_EIF_DAYS;
	else if (rule && strcmp(rule, "month_after_months") == 0)
		t->threshold.rule = CRIME_EIF_MONTH_AFTER;
	else if (rule)
		fail(x, id, "rule", "must be days_after or month_after_months");
	t->threshold.lag = (uint32_t)integer(x, th, id, "lag", 0, 400);
	t->condition = str(x, th, id, "text", true);
}

static void check_date(struct jctx *x, const char *id, const char *key,
		       const char *s)
{
	int32_t d;
	if (s && crime_date_parse(s, &d) != 0)
		fail(x, id, key, "\"%s\" is not a date (YYYY-MM-DD)", s);
}

static void parse_parties(struct jctx *x, json_t *o, const char *id,
			  struct crime_treaty *t)
{
	static const char *const keys[] = {"iso3", "signed", "consent",
					   "in_force", "source_url", NULL};
	json_t *arr = json_object_get(o, "parties");
	size_t n = json_array_size(arr);
	t->parties = alloc_n(x, n, sizeof *t->parties);
	for (size_t i = 0; i < n && !x->rc; i++) {
		json_t *p = json_array_get(arr, i);
		if (!json_is_object(p)) {
			fail(x, id, "parties", "element %zu is not an object",
			     i + 1);
			return;
		}
		only_keys(x, p, id, keys);
		struct crime_party *r = &t->parties[i];
		r->iso3 = str(x, p, id, "iso3", true);
		if (r->iso3 && (strlen(r->iso3) != 3 ||
				strspn(r->iso3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3))
			fail(x, id, "parties.iso3", "\"%s\" is not ISO3", r->iso3);
		r->signed_on = str(x, p, id, "signed", false);
		r->consent = str(x, p, id, "consent", false);
		r->in_force = str(x, p, id, "in_force", false);
		r->source_url = str(x, p, id, "source_url", true);
		check_date(x, id, "parties.signed", r->signed_on);
		check_date(x, id, "parties.consent", r->consent);
		check_date(x, id, "parties.in_force", r->in_force);
		int32_t s = 0, c = 0, f = 0;
		if (!x->rc && r->signed_on && r->consent &&
		    !crime_date_parse(r->signed_on, &s) &&
		    !crime_date_parse(r->consent, &c) && c < s)
			fail(x, id, "parties.consent",
			     "%s: consent %s before signature %s", r->iso3,
			     r->consent, r->signed_on);
		if (!x->rc && r->consent && r->in_force &&
		    !crime_date_parse(r->consent, &c) &&
		    !crime_date_parse(r->in_force, &f) && f < c)
			fail(x, id, "parties.in_force",
			     "%s: in force %s before consent %s", r->iso3,
			     r->in_force, r->consent);
		t->n_parties = i + 1;
	}
}

/* "criminalisation": the offences every party must establish, each once,
 * each an offence of the catalog. */
static void parse_obligations(struct jctx *x, json_t *o, const char *id,
			      const struct crime_catalog *c,
			      struct crime_treaty *t)
{
	static const char *const keys[] = {"text", "note", "source_url",
					   "offences", NULL};
	static const char *const okeys[] = {"article", "reservation",
					    "declaration", NULL};
	json_t *cr = json_object_get(o, "criminalisation");
	if (!cr || json_is_null(cr))
		return;
	if (!json_is_object(cr)) {
		fail(x, id, "criminalisation", "must be an object or null");
		return;
	}
	only_keys(x, cr, id, keys);
	t->obliges_text = str(x, cr, id, "text", true);
	t->obliges_note = str(x, cr, id, "note", false);
	t->obliges_source_url = str(x, cr, id, "source_url", true);
	if (t->obliges_source_url && strncmp(t->obliges_source_url, "http://", 7) != 0 &&
	    strncmp(t->obliges_source_url, "https://", 8) != 0)
		fail(x, id, "criminalisation.source_url", "must be an http(s) URL");
	json_t *arr = json_object_get(cr, "offences");
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		fail(x, id, "criminalisation.offences",
		     "must be a non-empty array");
		return;
	}
	size_t n = json_array_size(arr);
	t->obliges = alloc_n(x, n, sizeof *t->obliges);
	for (size_t i = 0; i < n && !x->rc; i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_object(v)) {
			fail(x, id, "criminalisation.offences",
			     "element %zu is not an object", i + 1);
			return;
		}
		only_keys(x, v, id, okeys);
		struct crime_obligation *r = &t->obliges[i];
		r->article = str(x, v, id, "article", true);
		r->reservation = str(x, v, id, "reservation", false);
		r->declaration = str(x, v, id, "declaration", false);
		if (x->rc)
			return;
		long art = crime_article_find(c, r->article);
		if (art < 0 || c->articles[art].kind != CRIME_OFFENCE)
			fail(x, id, "criminalisation.offences",
			     "%s is not an offence of articles.json", r->article);
		for (size_t k = 0; k < i && !x->rc; k++)
			if (strcmp(t->obliges[k].article, r->article) == 0)
				fail(x, id, "criminalisation.offences",
				     "%s is listed twice", r->article);
		t->n_obliges = i + 1;
	}
}

static void parse_treaties(struct jctx *x, json_t *arr, struct crime_catalog *c)
{
	static const char *const keys[] = {"id", "name", "short_name",
		"opened_for_signature", "adopted", "entry_into_force",
		"entered_into_force", "source_url", "parties_source",
		"parties_note", "parties", "scope", "scope_note",
		"criminalisation", NULL};
	size_t n = json_array_size(arr);
	c->treaties = alloc_n(x, n, sizeof *c->treaties);
	const char **ids = alloc_n(x, n, sizeof *ids);
	for (size_t i = 0; i < n && !x->rc; i++) {
		const char *id;
		json_t *o = entry(x, arr, i, ids, keys, &id);
		if (!o)
			break;
		struct crime_treaty *t = &c->treaties[i];
		t->id = id;
		t->name = str(x, o, id, "name", true);
		t->opened = str(x, o, id, "opened_for_signature", true);
		check_date(x, id, "opened_for_signature", t->opened);
		check_date(x, id, "adopted", str(x, o, id, "adopted", false));
		t->entered_into_force = str(x, o, id, "entered_into_force", false);
		check_date(x, id, "entered_into_force", t->entered_into_force);
		t->source_url = str(x, o, id, "source_url", true);
		t->parties_source = str(x, o, id, "parties_source", false);
		parse_threshold(x, o, id, t);
		parse_parties(x, o, id, t);
		t->scope = strs(x, o, id, "scope", &t->n_scope);
		for (size_t k = 0; k < t->n_scope && !x->rc; k++)
			if (crime_article_find(c, t->scope[k]) < 0)
				fail(x, id, "scope", "unknown article %s",
				     t->scope[k]);
		parse_obligations(x, o, id, c, t);
		c->n_treaties = i + 1;
	}
	if (!x->rc && c->n_treaties > CRIME_MAX_TREATIES)
		fail(x, NULL, "treaties", "at most %d treaties",
		     CRIME_MAX_TREATIES);
}

/* ---- principles.json ------------------------------------------------------------- */

static void parse_principles(struct jctx *x, json_t *arr,
			     struct crime_catalog *c)
{
	static const char *const keys[] = {"id", "title", "brief", "source",
		"rule", "rule_text", "param", "param_reason",
		"excluded_subjects", NULL};
	size_t n = json_array_size(arr);
	c->principles = alloc_n(x, n, sizeof *c->principles);
	const char **ids = alloc_n(x, n, sizeof *ids);
	for (size_t i = 0; i < n && !x->rc; i++) {
		const char *id;
		json_t *o = entry(x, arr, i, ids, keys, &id);
		if (!o)
			break;
		struct crime_principle *p = &c->principles[i];
		p->id = id;
		p->title = str(x, o, id, "title", true);
		p->source = str(x, o, id, "source", true);
		(void)str(x, o, id, "rule_text", true);
		int r = named(x, o, id, "rule", crime_rule_parse, true);
		p->rule = r < 0 ? CRIME_R_COUNT : (enum crime_rule)r;
		if (p->rule == CRIME_R_THRESHOLD)
			p->param = integer(x, o, id, "param", 1, 1000);
		p->excluded = strs(x, o, id, "excluded_subjects", &p->n_excluded);
		if (!x->rc && p->rule == CRIME_R_NO_OTHER_INSTRUMENT &&
		    !p->n_excluded)
			fail(x, id, "excluded_subjects",
			     "this rule needs the subjects it excludes");
		c->n_principles = i + 1;
	}
}

long crime_article_find(const struct crime_catalog *c, const char *id)
{
	for (size_t i = 0; id && i < c->n_articles; i++)
		if (strcmp(c->articles[i].id, id) == 0)
			return (long)i;
	return -1;
}

long crime_treaty_find(const struct crime_catalog *c, const char *id)
{
	for (size_t i = 0; id && i < c->n_treaties; i++)
		if (strcmp(c->treaties[i].id, id) == 0)
			return (long)i;
	return -1;
}

int crime_catalog_parse(struct crime_catalog *c, const char *const names[3],
			const char *const texts[3], struct arena *a,
			struct cdg_err *e)
{
	static const char *const fmt[3] = {"cdg-crime-articles/1",
		"cdg-crime-treaties/1", "cdg-crime-principles/1"};
	static const char *const key[3] = {"articles", "treaties",
					   "principles"};
	memset(c, 0, sizeof *c);
	for (int f = 0; f < 3; f++) {
		struct jctx x = {names[f], texts[f], a, e, 0};
		json_t *root = NULL;
		json_t *arr = load(&x, &root, fmt[f], key[f]);
		if (arr && f == 0)
			parse_articles(&x, arr, c);
		else if (arr && f == 1)
			parse_treaties(&x, arr, c);
		else if (arr)
			parse_principles(&x, arr, c);
		json_decref(root);
		if (x.rc) {
			memset(c, 0, sizeof *c);
			return x.rc;
		}
	}
	return 0;
}

/* ---- instruments ----------------------------------------------------------------- */

static int review_parse(const char *s)
{
	static const char *const k[] = {"unstated", "required", "as_appropriate",
					"absent"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, k[i]) == 0)
			return i;
	return -1;
}

static const char *const iart_keys[] = {"id", "article", "title", "kind",
	"class", "subject", "justification", "budapest", "safeguards", "review",
	"summary", "verified", NULL};

static void parse_iarticle(struct jctx *x, json_t *o, const char *id,
			   struct crime_iarticle *r)
{
	r->id = id;
	r->number = str(x, o, id, "article", true);
	r->title = str(x, o, id, "title", true);
	r->summary = str(x, o, id, "summary", true);
	int k = named(x, o, id, "kind", crime_ikind_parse, true);
	r->kind = k < 0 ? CRIME_IK_OTHER : (enum crime_ikind)k;
	int cl = named(x, o, id, "class", crime_class_parse, false);
	r->cls = cl < 0 ? CRIME_CLASS_NONE : (enum crime_class)cl;
	r->subject = str(x, o, id, "subject", false);
	r->justification = str(x, o, id, "justification", false);
	r->budapest = str(x, o, id, "budapest", false);
	r->safeguards = strs(x, o, id, "safeguards", &r->n_safeguards);
	int rv = named(x, o, id, "review", review_parse, false);
	r->review = rv < 0 ? CRIME_REVIEW_UNSTATED : (enum crime_review)rv;
	if (!x->rc && r->kind != CRIME_IK_OFFENCE &&
	    (r->cls != CRIME_CLASS_NONE || r->subject))
		fail(x, id, "class", "only offences have a class and subject");
	if (!x->rc && r->kind != CRIME_IK_SAFEGUARD && rv >= 0)
		fail(x, id, "review", "only safeguard articles have review");
}

int crime_instrument_parse(struct crime_instrument *ins, const char *name,
			   const char *text, struct arena *a,
			   struct cdg_err *e)
{
	static const char *const keys[] = {"format", "id", "name", "source_url",
		"adopted", "adopted_source_url", "basis", "entry_into_force_count",
		"adopted_by_consensus", "non_state_participation",
		"non_state_source_url", "articles", NULL};
	struct jctx x = {name, text, a, e, 0};
	json_t *root = NULL;
	memset(ins, 0, sizeof *ins);
	json_t *arr = load(&x, &root, "cdg-crime-instrument/1", "articles");
	if (arr) {
		only_keys(&x, root, NULL, keys);
		ins->id = str(&x, root, NULL, "id", true);
		ins->name = str(&x, root, NULL, "name", true);
		ins->source_url = str(&x, root, NULL, "source_url", true);
		ins->adopted = str(&x, root, NULL, "adopted", false);
		check_date(&x, NULL, "adopted", ins->adopted);
		ins->basis = str(&x, root, NULL, "basis", true);
		json_t *eif = json_object_get(root, "entry_into_force_count");
		ins->eif_count = eif && !json_is_null(eif) ?
			(uint32_t)integer(&x, root, NULL,
					  "entry_into_force_count", 1, 1000) : 0;
		ins->consensus = tri(&x, root, NULL, "adopted_by_consensus");
		ins->non_state = tri(&x, root, NULL, "non_state_participation");
		size_t n = json_array_size(arr);
		ins->articles = alloc_n(&x, n, sizeof *ins->articles);
		const char **ids = alloc_n(&x, n, sizeof *ids);
		for (size_t i = 0; i < n && !x.rc; i++) {
			const char *id;
			json_t *o = entry(&x, arr, i, ids, iart_keys, &id);
			if (!o)
				break;
			parse_iarticle(&x, o, id, &ins->articles[i]);
			ins->n_articles = i + 1;
		}
		/* Every safeguard reference must name a safeguard article. */
		for (size_t i = 0; i < ins->n_articles && !x.rc; i++) {
			const struct crime_iarticle *r = &ins->articles[i];
			for (size_t k = 0; k < r->n_safeguards && !x.rc; k++) {
				size_t j = 0;
				while (j < ins->n_articles &&
				       strcmp(ins->articles[j].id, r->safeguards[k]))
					j++;
				if (j == ins->n_articles ||
				    ins->articles[j].kind != CRIME_IK_SAFEGUARD)
					fail(&x, r->id, "safeguards",
					     "%s is not a safeguard article of "
					     "this instrument", r->safeguards[k]);
			}
		}
	}
	json_decref(root);
	if (x.rc)
		memset(ins, 0, sizeof *ins);
	return x.rc;
}
