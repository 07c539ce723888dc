/* The registry's model, name resolution, norm references, confidence, and
 * its CSV format: see formats.h and docs/registry.md. */
#include "formats/formats.h"
#include "formats/registry_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

/* ---- records ---------------------------------------------------------------- */

/* reg_find_incident's index (struct reg_set). */
struct reg_find {
	struct strmap ids;        /* incident id -> 1 + index of the first with it */
	size_t n_seen;            /* incidents entered so far */
};

void reg_set_init(struct reg_set *s)
{
	memset(s, 0, sizeof *s);
	arena_init(&s->arena);
	s->find = xcalloc(1, sizeof *s->find);
	strmap_init(&s->incident_keys);
	strmap_init(&s->incident_at);
}

void reg_set_free(struct reg_set *s)
{
	free(s->incidents);
	free(s->attrs);
	free(s->actors);
	free(s->docs);
	strmap_free(&s->incident_keys);
	strmap_free(&s->incident_at);
	strmap_free(&s->attr_at);
	free(s->attr_prev);
	if (s->find)
		strmap_free(&s->find->ids);
	free(s->find);
	arena_free(&s->arena);
	memset(s, 0, sizeof *s);
}

static void *grow(void *v, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		v = xrealloc(v, *cap * size);
	}
	memset((char *)v + *n * size, 0, size);
	(*n)++;
	return v;
}

struct reg_incident *reg_add_incident(struct reg_set *s)
{
	s->incidents = grow(s->incidents, &s->n_incidents, &s->cap_incidents,
			    sizeof *s->incidents);
	struct reg_incident *r = &s->incidents[s->n_incidents - 1];
	r->cert_targeted = -1;
	return r;
}

struct reg_attr *reg_add_attr(struct reg_set *s)
{
	s->attrs = grow(s->attrs, &s->n_attrs, &s->cap_attrs, sizeof *s->attrs);
	struct reg_attr *r = &s->attrs[s->n_attrs - 1];
	r->confidence = -1;
	return r;
}

struct reg_actor *reg_add_actor(struct reg_set *s)
{
	s->actors = grow(s->actors, &s->n_actors, &s->cap_actors,
			 sizeof *s->actors);
	struct reg_actor *r = &s->actors[s->n_actors - 1];
	r->confidence = -1;
	return r;
}

struct reg_doc *reg_add_doc(struct reg_set *s)
{
	s->docs = grow(s->docs, &s->n_docs, &s->cap_docs, sizeof *s->docs);
	return &s->docs[s->n_docs - 1];
}

static const struct reg_incident *scan_incidents(const struct reg_set *s,
						 size_t from, const char *id)
{
	for (size_t i = from; i < s->n_incidents; i++)
		if (s->incidents[i].id && strcmp(s->incidents[i].id, id) == 0)
			return &s->incidents[i];
	return NULL;
}

const struct reg_incident *reg_find_incident(const struct reg_set *s,
					     const char *id)
{
	/* Comparing with every incident made each importer that looks one
	 * up per row quadratic.  The index lives behind a pointer, so a
	 * const set can still catch it up. */
	struct reg_find *f = s->find;
	if (!f)
		return scan_incidents(s, 0, id);
	for (; f->n_seen < s->n_incidents && s->incidents[f->n_seen].id; f->n_seen++) {
		const char *k = s->incidents[f->n_seen].id;
		if (!strmap_get(&f->ids, k))
			strmap_put(&f->ids, k, (void *)(uintptr_t)(f->n_seen + 1));
	}
	size_t at = (size_t)(uintptr_t)strmap_get(&f->ids, id);
	if (at)
		return strcmp(s->incidents[at - 1].id, id) == 0
			       ? &s->incidents[at - 1] : scan_incidents(s, 0, id);
	/* Past an incident whose id is not set yet: the rest one by one. */
	return scan_incidents(s, f->n_seen, id);
}

/* cdg's namespace for name-based ids (a v4 UUID chosen once, never
 * changed: ids derived from it are stable across exports). */
static const char cdg_ns[] = "6f1d0c52-8c3e-4f0e-9b7a-2c5d8e4a1b90";

void reg_uuid(const char *kind, const char *name, char out[37])
{
	uuid_t ns, u;
	uuid_parse(cdg_ns, ns);
	struct buf b = BUF_INIT;
	buf_addf(&b, "%s:%s", kind, name);
	uuid_generate_sha1(u, ns, b.p, b.len);
	uuid_unparse_lower(u, out);
	buf_free(&b);
}

/* ---- norm references ----------------------------------------------------------- */

static const char *const kind_names[REG_NKINDS] = {
	"norm", "norm_mapping", "international_law", "commitment", "general",
	"domestic_law", "sanctions", "other"};

const char *reg_ref_kind_name(enum reg_ref_kind k)
{
	return (unsigned)k < REG_NKINDS ? kind_names[k] : "other";
}

int reg_ref_kind_parse(const char *s)
{
	for (int i = 0; i < REG_NKINDS; i++)
		if (strcmp(kind_names[i], s) == 0)
			return i;
	return -1;
}

bool reg_ref_names_breach(enum reg_ref_kind k)
{
	return k == REG_NORM || k == REG_IL || k == REG_COMMITMENT;
}

static char *trim_dup(struct arena *a, const char *p, size_t n)
{
	while (n && isspace((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	return arena_strndup(a, p, n);
}

static bool starts_ci(const char *s, const char *prefix, size_t *len)
{
	size_t n = strlen(prefix);
	if (strncasecmp(s, prefix, n) != 0)
		return false;
	*len = n;
	return true;
}

/* Reads "13(x)" or "x" at s; returns the characters used, 0 if neither. */
static size_t norm_token(const char *s, char *letter)
{
	if (s[0] == '1' && s[1] == '3' && s[2] == '(' && isalpha((unsigned char)s[3]) &&
	    s[4] == ')') {
		*letter = (char)tolower((unsigned char)s[3]);
		return 5;
	}
	if (isalpha((unsigned char)s[0]) && !isalnum((unsigned char)s[1])) {
		*letter = (char)tolower((unsigned char)s[0]);
		return 1;
	}
	return 0;
}

/* Keywords that classify free text, tried in order (docs/registry.md). */
static const struct {
	const char *word;           /* lower-case substring */
	enum reg_ref_kind kind;
	const char *rule;           /* rule of IL, or NULL */
} keywords[] = {
	{"sanction", REG_SANCTIONS, NULL},
	{"criminal", REG_DOMESTIC_LAW, NULL},
	{"indict", REG_DOMESTIC_LAW, NULL},
	{"computer fraud", REG_DOMESTIC_LAW, NULL},
	{"domestic law", REG_DOMESTIC_LAW, NULL},
	{"sovereign", REG_IL, "sovereignty"},
	{"non-intervention", REG_IL, "non_intervention"},
	{"intervention in", REG_IL, "non_intervention"},
	{"use of force", REG_IL, "use_of_force"},
	{"due diligence", REG_IL, "due_diligence"},
	{"humanitarian law", REG_IL, "international_humanitarian_law"},
	{"human rights", REG_IL, "human_rights"},
	{"self-determination", REG_IL, "self_determination"},
	{"un charter", REG_IL, "un_charter"},
	{"charter of the united nations", REG_IL, "un_charter"},
	{"commitment", REG_COMMITMENT, NULL},
	{"international law", REG_GENERAL, NULL},
	{"norms", REG_GENERAL, NULL},
	{"principles", REG_GENERAL, NULL},
	{"framework", REG_GENERAL, NULL},
	{"responsible state", REG_GENERAL, NULL},
};

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}

int reg_ref_parse(const char *text, struct arena *a, struct reg_ref *out,
		  struct cdg_err *e)
{
	memset(out, 0, sizeof *out);
	out->text = trim_dup(a, text, strlen(text));
	const char *t = out->text;
	/* A mapping added by a dataset: "... (cf. GGE 2015 norm 13(f))". */
	const char *cf = NULL;
	for (const char *p = t; *p && !cf; p++)
		if (strncasecmp(p, "cf. gge 2015 norm ", 18) == 0)
			cf = p + 18;
	if (cf) {
		char l;
		if (!norm_token(cf, &l))
			return err_set(e, CDG_EINPUT, "\"%s\": a 'cf. GGE 2015 norm' "
				       "mapping needs a norm such as 13(f)", t);
		if (l < 'a' || l > 'k')
			return err_set(e, CDG_EINPUT, "norm letter \"%c\" is outside "
				       "a-k (GGE 2015 norms 13(a) to 13(k))", l);
		out->kind = REG_NORM_MAPPING;
		out->norm = l;
		return 0;
	}
	/* A norm written as a letter: "f", "13(f)", "norm 13(f)", "GGE norm f",
	 * optionally followed by ": how it was transgressed". */
	const char *p = t;
	size_t skip;
	if (starts_ci(p, "gge 2015 norm ", &skip) || starts_ci(p, "gge norm ", &skip) ||
	    starts_ci(p, "norm ", &skip))
		p += skip;
	char l;
	size_t used = norm_token(p, &l);
	if (used) {
		const char *rest = p + used;
		while (*rest == ' ')
			rest++;
		if (*rest == '\0' || *rest == ':') {
			if (l < 'a' || l > 'k')
				return err_set(e, CDG_EINPUT, "norm letter \"%c\" is "
					       "outside a-k (GGE 2015 norms 13(a) "
					       "to 13(k))", l);
			out->kind = REG_NORM;
			out->norm = l;
			if (*rest == ':') {
				char *how = trim_dup(a, rest + 1, strlen(rest + 1));
				out->articulation = *how ? how : NULL;
			}
			return 0;
		}
	}
	out->kind = REG_OTHER;
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (contains_ci(t, keywords[i].word)) {
			out->kind = keywords[i].kind;
			out->rule = keywords[i].rule;
			break;
		}
	return 0;
}

int reg_refs_parse(const char *cell, struct arena *a, struct reg_ref **out,
		   struct cdg_err *e)
{
	size_t cap = 1;
	for (const char *p = cell; *p; p++)
		cap += *p == ';';
	struct reg_ref *v = arena_alloc(a, cap * sizeof *v);
	size_t n = 0;
	int depth = 0;
	const char *start = cell;
	for (const char *p = cell;; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		if (*p && (*p != ';' || depth > 0))
			continue;
		char *part = trim_dup(a, start, (size_t)(p - start));
		if (*part) {
			int rc = reg_ref_parse(part, a, &v[n], e);
			if (rc)
				return rc;
			n++;
		}
		if (!*p)
			break;
		start = p + 1;
	}
	*out = v;
	return (int)n;
}

/* ---- stated words and our mapping ------------------------------------------ */

/* What a statement's quoted words name (column stated_kind). */
static const char *const stated_kinds[] = {"norm", "international_law",
	"framework", "domestic_law", NULL};

/* The reference recorded for a statement's own words: the words as
 * quoted, of the kind the file states (docs/registry.md, "Stated words and
 * our mapping").  The schema keeps kind norm for a norm whose letter the
 * words themselves give ("13(f)"); a norm described without its letter is
 * a commitment (rule "norm" unless the words name a commitment), since
 * which letter it is would be our reading.  International law is a
 * specific rule when the words name one, else a general reference (rule
 * "international_law"); the framework is a general reference. */
static int stated_ref(const char *words, const char *kind, struct arena *a,
		      struct reg_ref *out, struct cdg_err *e)
{
	int rc = reg_ref_parse(words, a, out, e);
	if (rc)
		return rc;
	out->text = arena_strdup(a, words);
	enum reg_ref_kind read = out->kind;
	if (strcmp(kind, "norm") == 0 && read == REG_NORM)
		return 0;
	/* A letter given inside the sentence: "... norm 13(c) of the 2015
	 * report". */
	char l = 0;
	for (const char *p = words; strcmp(kind, "norm") == 0 && *p; p++)
		if (norm_token(p, &l) == 5 && l >= 'a' && l <= 'k')
			break;
		else
			l = 0;
	if (l) {
		out->kind = REG_NORM;
		out->norm = l;
		out->rule = NULL;
		out->articulation = NULL;
		return 0;
	}
	if (strcmp(kind, "international_law") == 0 && read == REG_IL)
		return 0;
	out->norm = 0;
	out->articulation = NULL;
	out->rule = NULL;
	if (strcmp(kind, "norm") == 0) {
		out->kind = REG_COMMITMENT;
		if (read != REG_COMMITMENT)
			out->rule = "norm";
	} else if (strcmp(kind, "international_law") == 0) {
		out->kind = REG_GENERAL;
		out->rule = "international_law";
	} else if (strcmp(kind, "framework") == 0) {
		out->kind = REG_GENERAL;
	} else {
		out->kind = REG_DOMESTIC_LAW;
	}
	return 0;
}

/* The stated_kind a reference read from stated words has, or NULL. */
static const char *stated_kind_of(const struct reg_ref *f)
{
	switch (f->kind) {
	case REG_NORM:
	case REG_COMMITMENT:
		return "norm";
	case REG_IL:
		return "international_law";
	case REG_GENERAL:
		return f->rule && strcmp(f->rule, "international_law") == 0
			       ? "international_law" : "framework";
	case REG_DOMESTIC_LAW:
		return "domestic_law";
	default:
		return NULL;
	}
}

/* A mapping as written in our_mapping: "13(x)", x in a-k; 0 if not. */
static char mapping_letter(const char *s)
{
	char l;
	if (norm_token(s, &l) != 5 || s[5] || l < 'a' || l > 'k')
		return 0;
	return l;
}

static bool same_ref(const struct reg_ref *x, const struct reg_ref *y)
{
	return x->kind == y->kind && x->norm == y->norm &&
	       strcmp(x->text, y->text) == 0 &&
	       strcmp(x->rule ? x->rule : "", y->rule ? y->rule : "") == 0 &&
	       strcmp(x->articulation ? x->articulation : "",
		      y->articulation ? y->articulation : "") == 0;
}

/* ---- confidence ---------------------------------------------------------------- */

/* STIX 2.1 Appendix A "None, Low, Med, High" and the UK Professional Head
 * of Intelligence Assessment probability yardstick (mid-points). */
static const struct {
	const char *word;
	int value;
} conf_words[] = {
	{"none", 0}, {"low", 15}, {"med", 50}, {"medium", 50}, {"moderate", 50},
	{"high", 85},
	{"remote chance", 3}, {"highly unlikely", 15}, {"unlikely", 30},
	{"realistic possibility", 45}, {"likely", 65}, {"probable", 65},
	{"highly likely", 85}, {"almost certain", 95}, {"almost certainly", 95},
};

int reg_confidence_parse(const char *s, int *out)
{
	*out = -1;
	if (!*s)
		return 0;
	long v;
	if (parse_long(s, 0, 100, &v) == 0) {
		*out = (int)v;
		return 0;
	}
	for (size_t i = 0; i < sizeof conf_words / sizeof conf_words[0]; i++)
		if (strcasecmp(s, conf_words[i].word) == 0) {
			*out = conf_words[i].value;
			return 0;
		}
	return CDG_EINPUT;
}

/* ---- dates ------------------------------------------------------------------- */

bool reg_date_before(const char *b, const char *a)
{
	char latest[11], earliest[11];
	snprintf(latest, sizeof latest, "%s%s", b,
		 strlen(b) == 4 ? "-12-31" : strlen(b) == 7 ? "-31" : "");
	snprintf(earliest, sizeof earliest, "%s%s", a,
		 strlen(a) == 4 ? "-01-01" : strlen(a) == 7 ? "-01" : "");
	return strcmp(latest, earliest) < 0;
}

bool reg_date_future(const char *d)
{
	char today[21];
	time_now_iso(today);
	today[10] = '\0';
	return reg_date_before(today, d);
}

/* ---- CSV ------------------------------------------------------------------- */

void reg_fault(struct cctx *x, const char *field, const char *fmt, ...)
{
	struct cdg_err e;
	err_clear(&e);
	va_list ap;
	va_start(ap, fmt);
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (x->where)
		err_at(&e, CDG_EINPUT, x->file, x->line, field, "object %s: %s",
		       x->where, msg);
	else
		err_at(&e, CDG_EINPUT, x->file, x->line, field, "%s", msg);
	errs_add(x->errs, &e);
}

/* The first of the named fields present in the record, or "". */
static const char *col(const struct reg_src *c, const char *a, const char *b)
{
	const char *v = c->get(c->src, a);
	if (!*v && b)
		v = c->get(c->src, b);
	return v;
}

const char *reg_opt(struct arena *a, const char *s)
{
	return *s ? arena_strdup(a, s) : NULL;
}

bool reg_url_ok(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

static const char *const party_kinds[] = {"state", "state_group",
	"organisation", "company", NULL};
static const char *const bases[] = {"technical", "political", "legal", NULL};

static bool in_list(const char *s, const char *const *l)
{
	for (; *l; l++)
		if (strcmp(*l, s) == 0)
			return true;
	return false;
}

/* Resolves "A+B+C" into member codes and names the group by them
 * ("NLD+GBR" for "Netherlands + UK"), as a state is named by its code, so
 * that its attributions' ids do not change when an export (which writes
 * the codes) is read back; false if a member is unknown. */
static bool group_members(struct cctx *x, struct reg_attr *r, const char *s)
{
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == '+';
	r->members = arena_alloc(&x->s->arena, cap * sizeof *r->members);
	const char *start = s;
	for (const char *p = s;; p++) {
		if (*p && *p != '+')
			continue;
		char *m = trim_dup(&x->s->arena, start, (size_t)(p - start));
		const char *iso = reg_names_state(x->names, m);
		if (!iso) {
			reg_fault(x, "attributing_party", "in the group \"%s\": %s", s,
				  reg_names_why(x->names, m, &x->s->arena));
			return false;
		}
		r->members[r->n_members++] = iso;
		if (!*p)
			break;
		start = p + 1;
	}
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < r->n_members; i++)
		buf_addf(&b, "%s%s", i ? "+" : "", r->members[i]);
	r->party_name = arena_strdup(&x->s->arena, b.p);
	buf_free(&b);
	return true;
}

/* Sets the attributing party of r from the row. */
static void read_party(struct cctx *x, struct reg_attr *r, const struct reg_src *c)
{
	struct arena *a = &x->s->arena;
	const char *name = col(c, "attributing_party", "attributing_state_or_org");
	const char *iso = col(c, "attributing_iso3", NULL);
	const char *kind = col(c, "party_kind", NULL);
	r->party_name = arena_strdup(a, name);
	if (*kind && !in_list(kind, party_kinds)) {
		reg_fault(x, "party_kind", "\"%s\" is not state, state_group, "
		      "organisation or company", kind);
		return;
	}
	if (*iso) {
		r->party_iso3 = reg_names_state(x->names, iso);
		if (!r->party_iso3) {
			reg_fault(x, "attributing_iso3", "%s", reg_names_why(x->names, iso, a));
			return;
		}
		const char *by_name = reg_names_state(x->names, name);
		if (by_name && strcmp(by_name, r->party_iso3) != 0)
			reg_fault(x, "attributing_iso3", "\"%s\" is not the code of \"%s\" (%s)",
			      iso, name, by_name);
		r->party_kind = "state";
		r->party_name = r->party_iso3; /* states are named by code */
		return;
	}
	if (!*kind || strcmp(kind, "state") == 0) {
		r->party_iso3 = reg_names_state(x->names, name);
		if (r->party_iso3) {
			r->party_kind = "state";
			r->party_name = r->party_iso3;
			return;
		}
		if (*kind || reg_names_entity(x->names, name)) {
			reg_fault(x, "attributing_party", "%s", reg_names_why(x->names, name, a));
			return;
		}
	}
	if ((!*kind && strchr(name, '+')) || strcmp(kind, "state_group") == 0) {
		r->party_kind = "state_group";
		group_members(x, r, name);
		return;
	}
	const char *org = reg_names_org(name);
	if (org && (!*kind || strcmp(kind, "organisation") == 0)) {
		r->party_kind = "organisation";
		r->party_name = org;
		return;
	}
	if (*kind) {
		r->party_kind = kind[0] == 'o' ? "organisation" : "company";
		return;
	}
	reg_fault(x, "attributing_party", "unknown state or organisation \"%s\" "
	      "(a company or research team needs party_kind company)", name);
}

/* Sets what r attributes to: a state, or "ACTOR (STATE)". */
static void read_target(struct cctx *x, struct reg_attr *r, const struct reg_src *c)
{
	struct arena *a = &x->s->arena;
	const char *to = col(c, "attributed_to", NULL);
	const char *iso = col(c, "attributed_to_iso3", NULL);
	const char *actor = col(c, "attributed_actor", NULL);
	r->actor = reg_opt(a, actor);
	if (*iso) {
		r->target_iso3 = reg_names_state(x->names, iso);
		if (!r->target_iso3)
			reg_fault(x, "attributed_to_iso3", "%s", reg_names_why(x->names, iso, a));
		else if (reg_names_state(x->names, to) &&
			 strcmp(reg_names_state(x->names, to), r->target_iso3) != 0)
			reg_fault(x, "attributed_to_iso3", "\"%s\" is not the code of \"%s\"",
			      iso, to);
		return;
	}
	/* A group named with no state: "ACTOR (unknown)". */
	if (!*to && r->actor)
		return;
	/* "ACTOR (STATE)" with the actor also given alone (as exports write
	 * it): the parenthesis is the sponsor, even when the actor's name is
	 * a State's ("Russian Federation (unknown)"). */
	size_t an = r->actor ? strlen(r->actor) : 0;
	if (an && strncmp(to, r->actor, an) == 0 && strncmp(to + an, " (", 2) == 0 &&
	    to[strlen(to) - 1] == ')') {
		const char *sp = arena_strndup(a, to + an + 2, strlen(to) - an - 3);
		if (strcasecmp(sp, "unknown") == 0)
			return;
		r->target_iso3 = reg_names_state(x->names, sp);
		if (!r->target_iso3)
			reg_fault(x, "attributed_to", "unknown state \"%s\" (sponsor of "
				  "\"%s\")", sp, r->actor);
		return;
	}
	r->target_iso3 = reg_names_state(x->names, to);
	if (r->target_iso3)
		return;
	size_t n = strlen(to);
	const char *open = strrchr(to, '(');
	if (n > 2 && to[n - 1] == ')' && open && open > to) {
		char *sponsor = arena_strndup(a, open + 1, (size_t)(to + n - 1 - open - 1));
		char *name = trim_dup(a, to, (size_t)(open - to));
		if (!r->actor)
			r->actor = name;
		if (strcasecmp(sponsor, "unknown") == 0)
			return;
		r->target_iso3 = reg_names_state(x->names, sponsor);
		if (r->target_iso3)
			return;
		reg_fault(x, "attributed_to", "%s (sponsor of \"%s\")",
			  reg_names_why(x->names, sponsor, a), name);
		return;
	}
	reg_fault(x, "attributed_to", "%s (give a state, or ACTOR (STATE) for an "
		  "actor and its alleged sponsor)", reg_names_why(x->names, to, a));
}

/* Sets r's references from a statement's own words and their kind and
 * from our mapping (docs/registry.md): the words, kept verbatim, are the
 * "norm or law invoked"; each mapping letter is a norm_mapping entry.
 * both: the words were given twice (stated_words and
 * norm_or_law_invoked). */
static void read_stated(struct cctx *x, struct reg_attr *r, const char *words,
			const char *kind, const char *map, bool both)
{
	struct arena *a = &x->s->arena;
	if (both)
		reg_fault(x, "stated_words", "give the words in stated_words or "
			  "norm_or_law_invoked, not both");
	if (*kind && !in_list(kind, stated_kinds))
		reg_fault(x, "stated_kind", "\"%s\" is not norm, international_law, "
			  "framework or domestic_law", kind);
	else if (*words && !*kind)
		reg_fault(x, "stated_kind", "the quoted words need their kind (norm, "
			  "international_law, framework or domestic_law)");
	else if (*kind && !*words)
		reg_fault(x, "stated_words", "stated_kind %s needs the quoted words",
			  kind);
	size_t cap = 1;
	for (const char *p = map; *p; p++)
		cap += *p == ';';
	r->refs = arena_alloc(a, (cap + 1) * sizeof *r->refs);
	if (*words && *kind && in_list(kind, stated_kinds)) {
		struct cdg_err e;
		err_clear(&e);
		if (stated_ref(words, kind, a, &r->refs[0], &e))
			reg_fault(x, "stated_words", "%s", e.msg);
		else
			r->n_refs = 1;
		r->invoked = arena_strdup(a, words);
	}
	const char *start = map;
	for (const char *p = map; *start; p++) {
		if (*p && *p != ';')
			continue;
		char *m = trim_dup(a, start, (size_t)(p - start));
		char l = mapping_letter(m);
		if (!l) {
			reg_fault(x, "our_mapping", "\"%s\" is not a GGE 2015 norm "
				  "13(a) to 13(k)", m);
		} else {
			for (size_t k = 0; k < r->n_refs; k++)
				if (r->refs[k].kind == REG_NORM_MAPPING && r->refs[k].norm == l)
					reg_fault(x, "our_mapping", "%s is given twice", m);
			struct reg_ref *f = &r->refs[r->n_refs++];
			memset(f, 0, sizeof *f);
			f->kind = REG_NORM_MAPPING;
			f->norm = l;
			f->text = m;
		}
		if (!*p)
			break;
		start = p + 1;
	}
}

/* Faults the newest attribution of x->s once for every earlier one with
 * its id, oldest first, and enters every attribution in the set's
 * duplicate index (struct reg_set), so that each check costs as much as
 * the duplicates it finds. */
static void same_attrs(struct cctx *x)
{
	struct reg_set *s = x->s;
	if (s->cap_attr_prev < s->n_attrs) {
		s->cap_attr_prev = s->cap_attrs;
		s->attr_prev = xrealloc(s->attr_prev,
					s->cap_attr_prev * sizeof *s->attr_prev);
	}
	for (; s->n_attr_seen < s->n_attrs; s->n_attr_seen++) {
		size_t i = s->n_attr_seen;
		const struct reg_attr *r = &s->attrs[i];
		size_t last = (size_t)(uintptr_t)strmap_get(&s->attr_at, r->id);
		if (i + 1 == s->n_attrs && last) {
			/* The chain runs newest first: fault in file order. */
			size_t n = 0;
			for (size_t k = last; k; k = s->attr_prev[k - 1])
				n++;
			size_t *v = xmalloc(n * sizeof *v);
			n = 0;
			for (size_t k = last; k; k = s->attr_prev[k - 1])
				v[n++] = k - 1;
			while (n--)
				reg_fault(x, "attribution_date", "the same attribution "
					  "as line %ld", s->attrs[v[n]].line);
			free(v);
		}
		s->attr_prev[i] = last;
		strmap_put(&s->attr_at, r->id, (void *)(uintptr_t)(i + 1));
	}
}

/* Reads the statement fields of one attribution of incident inc (whose
 * start date the statement must not precede). */
struct reg_attr *reg_read_attr(struct cctx *x, const struct reg_src *c,
			      const struct reg_incident *inc)
{
	struct reg_set *s = x->s;
	struct arena *a = &s->arena;
	const char *idate = inc->start ? inc->start : "";
	const char *adate = col(c, "attribution_date", NULL);
	const char *stmt = col(c, "statement_title", NULL);
	const char *url = col(c, "source_url", "statement_url");
	const char *inv = col(c, "norm_or_law_invoked", NULL);
	const char *conf = col(c, "confidence", NULL);
	const char *basis = col(c, "basis", NULL);
	if (!*adate)
		reg_fault(x, "attribution_date", "the attribution date is empty");
	else if (!date_valid(adate))
		reg_fault(x, "attribution_date", "\"%s\" is not a date (YYYY, YYYY-MM "
		      "or YYYY-MM-DD)", adate);
	else if (reg_date_future(adate))
		reg_fault(x, "attribution_date", "%s is in the future", adate);
	else if (*idate && date_valid(idate) && reg_date_before(adate, idate))
		reg_fault(x, "attribution_date", "%s precedes the incident (%s)", adate,
		      idate);
	if (!*stmt)
		reg_fault(x, "statement_title", "the statement title is empty");
	if (!reg_url_ok(url))
		reg_fault(x, "source_url", "\"%s\" is not an http(s) URL", url);
	if (*basis && !in_list(basis, bases))
		reg_fault(x, "basis", "\"%s\" is not technical, political or legal", basis);

	struct reg_attr *r = reg_add_attr(s);
	r->line = x->line;
	r->incident = inc->id;
	r->date = arena_strdup(a, adate);
	r->title = arena_strdup(a, stmt);
	r->url = arena_strdup(a, url);
	r->basis = reg_opt(a, basis);
	r->standard = reg_opt(a, col(c, "standard", NULL));
	r->note = reg_opt(a, col(c, "note", "source_note"));
	if (reg_confidence_parse(conf, &r->confidence)) {
		if (csv_decimal_comma(conf))
			reg_fault(x, "confidence", "\"%s\" has a decimal comma: %s",
				  conf, CSV_DECIMAL_HINT);
		else
			reg_fault(x, "confidence", "\"%s\" is not on the scale (0-100, "
				  "or a word such as low, medium, high, highly likely)",
				  conf);
	}
	const char *words = col(c, "stated_words", NULL);
	const char *kind = col(c, "stated_kind", NULL);
	const char *map = col(c, "our_mapping", NULL);
	if (*words || *kind || *map) {
		read_stated(x, r, *words ? words : inv, kind, map, *words && *inv);
	} else {
		r->invoked = reg_opt(a, inv);
		struct cdg_err e;
		err_clear(&e);
		int n = reg_refs_parse(inv, a, &r->refs, &e);
		if (n < 0)
			reg_fault(x, "norm_or_law_invoked", "%s", e.msg);
		else
			r->n_refs = (size_t)n;
	}
	const char *checked = col(c, "checked", NULL);
	if (*checked && !date_valid(checked))
		reg_fault(x, "checked", "\"%s\" is not a date (YYYY, YYYY-MM or "
			  "YYYY-MM-DD)", checked);
	else if (*checked && reg_date_future(checked))
		reg_fault(x, "checked", "%s is in the future", checked);
	else if (*checked)
		r->note = r->note ? arena_printf(a, "checked %s; %s", checked, r->note)
				  : arena_printf(a, "checked %s", checked);
	read_party(x, r, c);
	read_target(x, r, c);
	const char *given = col(c, "id", NULL);
	if (*given) {
		r->id = arena_strdup(a, given);
	} else {
		char id[37];
		struct buf key = BUF_INIT;
		buf_addf(&key, "%s|%s|%s|%s|%s", r->incident,
			 r->party_iso3 ? r->party_iso3 : r->party_name, r->date,
			 r->title, r->target_iso3 ? r->target_iso3 : "");
		reg_uuid("attribution", key.p, id);
		buf_free(&key);
		r->id = arena_strdup(a, id);
	}
	same_attrs(x);
	return r;
}

static const char *csv_src_get(const void *src, const char *key)
{
	const struct csv *c = src;
	return csv_col(c, key) >= 0 ? csv_get(c, key) : "";
}

static void read_row(struct cctx *x, const struct csv *csv)
{
	struct reg_src c = {csv_src_get, csv};
	struct reg_set *s = x->s;
	struct arena *a = &s->arena;
	const char *title = col(&c, "incident", NULL);
	const char *idate = col(&c, "incident_date", NULL);
	if (!*title)
		reg_fault(x, "incident", "the incident is empty");
	if (*idate && !date_valid(idate)) {
		reg_fault(x, "incident_date", "\"%s\" is not a date (YYYY, YYYY-MM or "
		      "YYYY-MM-DD)", idate);
		idate = "";
	} else if (*idate && reg_date_future(idate)) {
		reg_fault(x, "incident_date", "%s is in the future", idate);
		idate = "";
	}
	/* The incident: one per title (matched by reg_title_key(), so case
	 * and spacing do not make a second one), its date the same on every
	 * row.  The set's key map holds the incidents read so far. */
	const char *id = reg_incident_id(s, title);
	size_t at = (size_t)(uintptr_t)strmap_get(&s->incident_at, id);
	const struct reg_incident *found = at ? &s->incidents[at - 1] : NULL;
	if (!found) {
		struct reg_incident *inc = reg_add_incident(s);
		strmap_put(&s->incident_at, id, (void *)(uintptr_t)s->n_incidents);
		inc->id = id;
		inc->title = arena_strdup(a, title);
		inc->start = reg_opt(a, idate);
		inc->line = x->line;
		found = inc;
	} else if (strcmp(found->start ? found->start : "", idate) != 0) {
		reg_fault(x, "incident_date", "\"%s\" differs from the date of the same "
		      "incident on line %ld (%s)", idate, found->line,
		      found->start ? found->start : "none");
	}
	reg_read_attr(x, &c, found);
}

int reg_csv_parse(struct reg_set *s, const char *name, const char *text,
		  size_t n, const struct reg_names *names,
		  struct err_list *errs)
{
	struct cctx x = {s, names, name, errs, 0, NULL};
	struct csv c;
	csv_open(&c, name, text, n);
	if (s->csv_sep)
		csv_set_sep(&c, s->csv_sep);
	struct cdg_err e;
	err_clear(&e);
	long before = errs->total;
	int rc = csv_read_header(&c, &e);
	if (rc == 0) {
		static const char *const need[] = {"incident", "attributed_to",
			"attribution_date", "statement_title", "source_url", NULL};
		rc = csv_require(&c, need, &e);
		if (rc == 0 && csv_col(&c, "attributing_party") < 0 &&
		    csv_col(&c, "attributing_state_or_org") < 0)
			rc = err_at(&e, CDG_EINPUT, name, 1, "attributing_party",
				    "missing column attributing_party");
	}
	if (rc) {
		errs_add(errs, &e);
		csv_close(&c);
		return CDG_EINPUT;
	}
	while ((rc = csv_next(&c, &e)) == 1) {
		x.line = c.line;
		if (csv_check_width(&c, &e)) {
			errs_add(errs, &e);
			err_clear(&e);
			continue;
		}
		read_row(&x, &c);
	}
	if (rc < 0)
		errs_add(errs, &e);
	csv_close(&c);
	return errs->total > before ? CDG_EINPUT : 0;
}

/* Whether r must be written with stated_kind and our_mapping to read
 * back as the same references, and can be: then *kind is its stated_kind
 * ("" for a mapping without words) and map its our_mapping.  A record
 * whose norm_or_law_invoked reads back the same is written in that
 * column alone, so that a file exported twice does not change. */
static bool stated_form(const struct reg_attr *r, struct arena *a,
			const char **kind, struct buf *map)
{
	size_t stated = 0;
	const struct reg_ref *words = NULL;
	buf_reset(map);
	if (r->invoked) {
		struct reg_ref *v;
		struct cdg_err e;
		err_clear(&e);
		int n = reg_refs_parse(r->invoked, a, &v, &e);
		bool same = n >= 0 && (size_t)n == r->n_refs;
		for (size_t i = 0; same && i < r->n_refs; i++)
			same = same_ref(&v[i], &r->refs[i]);
		if (same)
			return false;
	}
	for (size_t i = 0; i < r->n_refs; i++) {
		const struct reg_ref *f = &r->refs[i];
		if (f->kind == REG_NORM_MAPPING) {
			if (mapping_letter(f->text) != f->norm || f->articulation || f->rule)
				return false;
			buf_addf(map, "%s%s", map->len ? ";" : "", f->text);
		} else if (i == 0) {
			words = f;
			stated++;
		} else {
			return false;
		}
	}
	if (!words) {
		*kind = "";
		return !r->invoked && map->len;
	}
	*kind = stated_kind_of(words);
	if (stated != 1 || !*kind || !r->invoked || strcmp(r->invoked, words->text) != 0)
		return false;
	struct reg_ref again;
	struct cdg_err e;
	err_clear(&e);
	return stated_ref(r->invoked, *kind, a, &again, &e) == 0 &&
	       same_ref(&again, words);
}

/* The invoked cell: as written, or rebuilt from the references. */
static void invoked_text(const struct reg_attr *r, struct buf *b)
{
	if (r->invoked) {
		buf_adds(b, r->invoked);
		return;
	}
	for (size_t i = 0; i < r->n_refs; i++) {
		const struct reg_ref *f = &r->refs[i];
		if (i)
			buf_adds(b, "; ");
		buf_adds(b, f->text);
		if (f->articulation && f->kind == REG_NORM && !strchr(f->text, ':'))
			buf_addf(b, ": %s", f->articulation);
	}
}

void reg_csv_write(const struct reg_set *s, struct buf *out)
{
	static const char *const head[] = {"incident", "incident_date",
		"attributing_party", "attributed_to", "attribution_date",
		"statement_title", "norm_or_law_invoked", "source_url",
		"party_kind", "confidence", "basis", "note", "stated_kind",
		"our_mapping", "attributed_actor"};
	for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
		csv_put(out, head[i], i == 0);
	csv_endrow(out);
	struct buf cell = BUF_INIT, map = BUF_INIT;
	struct arena tmp;
	arena_init(&tmp);
	/* Incidents by id, the first of an id winning as in
	 * reg_find_incident, which would make the export quadratic. */
	struct strmap incs;
	strmap_init(&incs);
	for (size_t i = s->n_incidents; i--;)
		strmap_put(&incs, s->incidents[i].id, (void *)&s->incidents[i]);
	for (size_t i = 0; i < s->n_attrs; i++) {
		const struct reg_attr *r = &s->attrs[i];
		const struct reg_incident *inc = strmap_get(&incs, r->incident);
		const char *kind = "";
		if (!stated_form(r, &tmp, &kind, &map)) {
			kind = "";
			buf_reset(&map);
		}
		csv_put(out, inc ? inc->title : r->incident, true);
		csv_put(out, inc && inc->start ? inc->start : "", false);
		buf_reset(&cell);
		if (r->party_iso3)
			buf_adds(&cell, r->party_iso3);
		else if (strcmp(r->party_kind, "state_group") == 0 && r->n_members)
			for (size_t m = 0; m < r->n_members; m++)
				buf_addf(&cell, "%s%s", m ? "+" : "", r->members[m]);
		else
			buf_adds(&cell, r->party_name);
		csv_put(out, cell.p, false);
		buf_reset(&cell);
		if (r->actor)
			buf_addf(&cell, "%s (%s)", r->actor,
				 r->target_iso3 ? r->target_iso3 : "unknown");
		else
			buf_adds(&cell, r->target_iso3 ? r->target_iso3 : "");
		csv_put(out, cell.p, false);
		csv_put(out, r->date, false);
		csv_put(out, r->title, false);
		buf_reset(&cell);
		if (map.len || *kind)
			buf_adds(&cell, r->invoked ? r->invoked : "");
		else
			invoked_text(r, &cell);
		csv_put(out, cell.p, false);
		csv_put(out, r->url, false);
		csv_put(out, r->party_kind, false);
		buf_reset(&cell);
		if (r->confidence >= 0)
			buf_addf(&cell, "%d", r->confidence);
		csv_put(out, cell.p, false);
		csv_put(out, r->basis ? r->basis : "", false);
		csv_put(out, r->note ? r->note : "", false);
		csv_put(out, kind, false);
		csv_put(out, map.p, false);
		/* The actor alone as well: "Russian Federation (RUS)" would read
		 * back as the State, its qualifier ignored. */
		csv_put(out, r->actor ? r->actor : "", false);
		csv_endrow(out);
	}
	buf_free(&cell);
	buf_free(&map);
	arena_free(&tmp);
	strmap_free(&incs);
}
