/* The map of agreements: cdg's agreements JSON and the company
 * commitments CSV.  See formats.h and docs/agreements.md. */
#include "formats/formats.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *const types[] = {"single_group", "multistakeholder",
				    "binding", NULL};
static const char *const compliances[] = {"none", "reporting", "peer_review",
					  "legal_obligation", NULL};
static const char *const groups[] = {"states", "industry", "civil_society",
	"technical_community", "academia", "international_organisations", NULL};
static const char *const forces[] = {"obligation", "commitment",
				     "recommendation", NULL};
static const char *const pkinds[] = {"state", "company", "organisation",
				     "civil_society", "other", NULL};

struct ax {
	struct agr_set *s;
	const struct cap_known *k;
	struct strmap own;             /* industry norm ids of this file */
	const char *file;
	struct err_list *errs;
	long line;
};

static void fault(struct ax *x, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fault(struct ax *x, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	errs_vaddf(x->errs, x->file, x->line, field, fmt, ap);
	va_end(ap);
}

static bool one_of(const char *const *v, const char *s)
{
	for (; s && *v; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

/* Faults for keys of o not in allowed (NULL-terminated). */
static void only_keys(struct ax *x, json_t *o, const char *const *allowed,
		      const char *what)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		if (!one_of(allowed, key))
			fault(x, key, "unknown key in %s", what);
	}
}

/* A string member: required ones must be non-empty; NULL if absent. */
static const char *str(struct ax *x, json_t *o, const char *key, bool required)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
		if (required)
			fault(x, key, "is required");
		return NULL;
	}
	if (!json_is_string(v)) {
		fault(x, key, "must be a string");
		return NULL;
	}
	return arena_strdup(&x->s->arena, json_string_value(v));
}

static const char **strs(struct ax *x, json_t *o, const char *key, size_t *n,
			 bool required)
{
	*n = 0;
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		if (required)
			fault(x, key, "is required");
		return NULL;
	}
	if (!json_is_array(v)) {
		fault(x, key, "must be an array of strings");
		return NULL;
	}
	const char **out = arena_alloc(&x->s->arena, (json_array_size(v) + 1) * sizeof *out);
	size_t i;
	json_t *it;
	json_array_foreach(v, i, it) {
		if (json_is_string(it) && *json_string_value(it))
			out[(*n)++] = arena_strdup(&x->s->arena, json_string_value(it));
		else
			fault(x, key, "item %zu is not a non-empty string", i + 1);
	}
	if (required && !*n)
		fault(x, key, "must not be empty");
	return out;
}

static void check_url(struct ax *x, const char *key, const char *u)
{
	if (u && strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
		fault(x, key, "\"%s\" is not an http(s) URL", u);
}

static void check_date(struct ax *x, const char *key, const char *d)
{
	if (d && !date_valid(d))
		fault(x, key, "\"%s\" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", d);
}

static bool known(const struct strmap *m, const char *s)
{
	return m && strmap_get(m, s) != NULL;
}

/* A commitment maps to a norm letter, a CDG id or an industry norm id. */
static void check_map(struct ax *x, const char *m)
{
	if (known(x->k->norms, m) || known(x->k->goals, m) ||
	    known(x->k->industry, m) || strmap_get(&x->own, m))
		return;
	fault(x, "maps", "unknown norm, goal or industry norm \"%s\"", m);
}

static void read_norm(struct ax *x, json_t *o, struct agr_industry_norm *n)
{
	static const char *const keys[] = {"id", "title", "paraphrase",
					   "source_url", NULL};
	only_keys(x, o, keys, "an industry norm");
	n->id = str(x, o, "id", true);
	n->title = str(x, o, "title", true);
	n->paraphrase = str(x, o, "paraphrase", true);
	n->source = str(x, o, "source_url", true);
	n->line = x->line;
	check_url(x, "source_url", n->source);
	if (n->id && strmap_get(&x->own, n->id))
		fault(x, "id", "duplicate industry norm \"%s\"", n->id);
	else if (n->id && !fmt_id_ok(n->id))
		fault(x, "id", "\"%s\" is not an id", n->id);
	else if (n->id)
		strmap_put(&x->own, n->id, (void *)n);
}

/* The statuses of the desk-research list of participants. */
static const char *const desk_statuses[] = {"supporter", "member", "signatory",
	"transposed", "partial", "not_transposed", NULL};

static void read_participants(struct ax *x, json_t *o, struct agr_agreement *g)
{
	json_t *v = json_object_get(o, "participants");
	if (!v || json_is_null(v))
		return;
	if (!json_is_array(v)) {
		fault(x, "participants", "must be an array");
		return;
	}
	g->participants = arena_alloc(&x->s->arena,
				      (json_array_size(v) + 1) * sizeof *g->participants);
	size_t i;
	json_t *p;
	json_array_foreach(v, i, p) {
		if (!json_is_object(p)) {
			fault(x, "participants", "item %zu is not an object", i + 1);
			continue;
		}
		static const char *const keys[] = {"name", "iso3", "kind", "role",
						   "date", "source_url", "status",
						   "checked", "note", NULL};
		only_keys(x, p, keys, "a participant");
		struct agr_participant *q = &g->participants[g->n_participants++];
		q->name = str(x, p, "name", true);
		q->iso3 = str(x, p, "iso3", false);
		q->kind = str(x, p, "kind", true);
		q->role = str(x, p, "role", true);
		q->date = str(x, p, "date", false);
		q->source = str(x, p, "source_url", true);
		q->status = str(x, p, "status", false);
		q->checked = str(x, p, "checked", false);
		q->note = str(x, p, "note", false);
		if (q->status && !one_of(desk_statuses, q->status))
			fault(x, "status", "\"%s\" is not one of supporter, member, "
			      "signatory, transposed, partial, not_transposed", q->status);
		if (!q->status != !q->checked)
			fault(x, q->status ? "checked" : "status", "a participant from "
			      "the desk-research list has both status and checked");
		check_date(x, "checked", q->checked);
		if (q->iso3 && !known(x->k->states, q->iso3) && x->k->names &&
		    reg_names_entity(x->k->names, q->iso3))
			fault(x, "iso3", "%s", reg_names_why(x->k->names, q->iso3, &x->s->arena));
		else if (q->iso3 && !known(x->k->states, q->iso3))
			fault(x, "iso3", "unknown country \"%s\"", q->iso3);
		if (q->kind && !one_of(pkinds, q->kind))
			fault(x, "kind", "\"%s\" is not one of state, company, "
			      "organisation, civil_society, other", q->kind);
		check_date(x, "date", q->date);
		check_url(x, "source_url", q->source);
	}
}

static void read_commitments(struct ax *x, json_t *o, struct agr_agreement *g,
			     const long *lines, size_t nlines, size_t *ci)
{
	json_t *v = json_object_get(o, "commitments");
	if (!json_is_array(v) || !json_array_size(v)) {
		fault(x, "commitments", "must be a non-empty array");
		return;
	}
	g->commitments = arena_alloc(&x->s->arena,
				     (json_array_size(v) + 1) * sizeof *g->commitments);
	long agr_line = x->line;
	size_t i;
	json_t *c;
	json_array_foreach(v, i, c) {
		x->line = *ci < nlines ? lines[*ci] : agr_line;
		(*ci)++;
		if (!json_is_object(c)) {
			fault(x, "commitments", "item %zu is not an object", i + 1);
			continue;
		}
		static const char *const keys[] = {"commitment", "text", "where",
						   "force", "maps", NULL};
		only_keys(x, c, keys, "a commitment");
		struct agr_commitment *m = &g->commitments[g->n_commitments++];
		m->line = x->line;
		m->id = str(x, c, "commitment", true);
		m->text = str(x, c, "text", true);
		m->where = str(x, c, "where", false);
		m->force = str(x, c, "force", true);
		m->maps = strs(x, c, "maps", &m->n_maps, false);
		if (m->id && !fmt_id_ok(m->id))
			fault(x, "commitment", "\"%s\" is not an id", m->id);
		for (size_t k = 0; m->id && k + 1 < g->n_commitments; k++)
			if (g->commitments[k].id && strcmp(g->commitments[k].id, m->id) == 0)
				fault(x, "commitment", "duplicate commitment \"%s\" in %s",
				      m->id, g->id ? g->id : "this agreement");
		if (m->force && !one_of(forces, m->force))
			fault(x, "force", "\"%s\" is not one of obligation, commitment, "
			      "recommendation", m->force);
		for (size_t k = 0; k < m->n_maps; k++)
			check_map(x, m->maps[k]);
	}
	x->line = agr_line;
}

static void read_agreement(struct ax *x, json_t *o, struct agr_agreement *g,
			   const long *clines, size_t nclines, size_t *ci)
{
	static const char *const keys[] = {"id", "name", "short_name", "year",
		"date", "type", "stakeholder_groups", "objectives", "compliance",
		"compliance_note", "treaty", "participants", "participants_note",
		"commitments", "source_url", "source_note", NULL};
	only_keys(x, o, keys, "an agreement");
	g->line = x->line;
	g->id = str(x, o, "id", true);
	g->name = str(x, o, "name", true);
	g->short_name = str(x, o, "short_name", true);
	json_t *y = json_object_get(o, "year");
	if (!json_is_integer(y) || json_integer_value(y) < 1900 ||
	    json_integer_value(y) > 2100)
		fault(x, "year", "must be a year (an integer 1900-2100)");
	else
		g->year = (long)json_integer_value(y);
	g->date = str(x, o, "date", false);
	check_date(x, "date", g->date);
	if (g->date && g->year && atol(g->date) != g->year)
		fault(x, "date", "%s is not in the year %ld", g->date, g->year);
	g->type = str(x, o, "type", true);
	if (g->type && !one_of(types, g->type))
		fault(x, "type", "\"%s\" is not one of single_group, multistakeholder, "
		      "binding", g->type);
	g->groups = strs(x, o, "stakeholder_groups", &g->n_groups, true);
	for (size_t i = 0; i < g->n_groups; i++)
		if (!one_of(groups, g->groups[i]))
			fault(x, "stakeholder_groups", "\"%s\" is not a stakeholder group",
			      g->groups[i]);
	if (g->type && strcmp(g->type, "single_group") == 0 && g->n_groups > 1)
		fault(x, "stakeholder_groups", "a single_group agreement is made by one group");
	if (g->type && strcmp(g->type, "multistakeholder") == 0 && g->n_groups < 2)
		fault(x, "stakeholder_groups", "a multistakeholder agreement needs two "
		      "groups or more");
	g->objectives = strs(x, o, "objectives", &g->n_objectives, true);
	g->compliance = str(x, o, "compliance", true);
	if (g->compliance && !one_of(compliances, g->compliance))
		fault(x, "compliance", "\"%s\" is not one of none, reporting, peer_review, "
		      "legal_obligation", g->compliance);
	if (g->type && g->compliance && (strcmp(g->type, "binding") == 0) !=
	    (strcmp(g->compliance, "legal_obligation") == 0))
		fault(x, "compliance", "a binding instrument, and only one, carries a "
		      "legal obligation");
	g->compliance_note = str(x, o, "compliance_note", false);
	g->treaty = str(x, o, "treaty", false);
	g->participants_note = str(x, o, "participants_note", false);
	g->source = str(x, o, "source_url", true);
	g->source_note = str(x, o, "source_note", false);
	check_url(x, "source_url", g->source);
	if (g->id && !fmt_id_ok(g->id))
		fault(x, "id", "\"%s\" is not an id", g->id);
	for (size_t k = 0; g->id && k + 1 < x->s->n_agreements; k++)
		if (x->s->agreements[k].id && strcmp(x->s->agreements[k].id, g->id) == 0)
			fault(x, "id", "duplicate agreement \"%s\"", g->id);
	read_participants(x, o, g);
	read_commitments(x, o, g, clines, nclines, ci);
}

void agr_set_init(struct agr_set *s)
{
	memset(s, 0, sizeof *s);
	arena_init(&s->arena);
}

void agr_set_free(struct agr_set *s)
{
	arena_free(&s->arena);
	memset(s, 0, sizeof *s);
}

int agr_json_parse(struct agr_set *s, const char *name, const char *text,
		   size_t n, const struct cap_known *k, struct err_list *errs)
{
	long before = errs->total;
	struct ax x = {s, k, {0}, name, errs, 1};
	strmap_init(&x.own);
	json_error_t je;
	json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
	const char *fmt = json_string_value(json_object_get(root, "format"));
	if (!root) {
		x.line = je.line;
		fault(&x, NULL, "%s", je.text);
	} else if (!fmt || strcmp(fmt, AGR_JSON_FORMAT) != 0) {
		fault(&x, "format", "not an agreements file (\"format\": \"%s\")",
		      AGR_JSON_FORMAT);
	} else {
		static const char *const keys[] = {"format", "note", "industry_norms",
						   "agreements", NULL};
		only_keys(&x, root, keys, "the file");
	}
	json_t *norms = root && fmt ? json_object_get(root, "industry_norms") : NULL;
	json_t *agrs = root && fmt ? json_object_get(root, "agreements") : NULL;
	long *nl = NULL, *al = NULL, *cl = NULL;
	size_t nnl = json_key_lines(text, "paraphrase", &nl);
	size_t nal = json_key_lines(text, "short_name", &al);
	size_t ncl = json_key_lines(text, "commitment", &cl);
	if (json_is_array(norms)) {
		s->norms = arena_alloc(&s->arena, (json_array_size(norms) + 1) * sizeof *s->norms);
		size_t i;
		json_t *o;
		json_array_foreach(norms, i, o) {
			x.line = i < nnl ? nl[i] : 1;
			if (json_is_object(o))
				read_norm(&x, o, &s->norms[s->n_norms++]);
			else
				fault(&x, "industry_norms", "item %zu is not an object", i + 1);
		}
	} else if (norms) {
		fault(&x, "industry_norms", "must be an array");
	}
	if (json_is_array(agrs)) {
		s->agreements = arena_alloc(&s->arena,
					    (json_array_size(agrs) + 1) * sizeof *s->agreements);
		size_t i, ci = 0;
		json_t *o;
		json_array_foreach(agrs, i, o) {
			x.line = i < nal ? al[i] : 1;
			if (json_is_object(o)) {
				s->n_agreements++;
				read_agreement(&x, o, &s->agreements[s->n_agreements - 1],
					       cl, ncl, &ci);
			} else {
				fault(&x, "agreements", "item %zu is not an object", i + 1);
			}
		}
	} else if (root && fmt && !strcmp(fmt, AGR_JSON_FORMAT)) {
		fault(&x, "agreements", "must be an array of agreements");
	}
	free(nl);
	free(al);
	free(cl);
	json_decref(root);
	strmap_free(&x.own);
	return errs->total > before ? CDG_EINPUT : 0;
}

/* Faults company commitment i once for every earlier one with its id,
 * oldest first, as comparing it with each of them did, and enters it in
 * seen and prev (see agr_companies_csv_parse; *cap is prev's room). */
static void same_company(struct ax *x, struct strmap *seen, size_t **prev,
			 size_t *cap, size_t i)
{
	const struct agr_company *v = x->s->companies;
	if (i >= *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*prev = xrealloc(*prev, *cap * sizeof **prev);
	}
	size_t last = (size_t)(uintptr_t)strmap_get(seen, v[i].id), n = 0;
	for (size_t k = last; k; k = (*prev)[k - 1])
		n++;
	if (n) {
		/* The chain runs newest first. */
		size_t *order = xmalloc(n * sizeof *order), m = 0;
		for (size_t k = last; k; k = (*prev)[k - 1])
			order[m++] = k - 1;
		while (m--)
			fault(x, "id", "duplicate id \"%s\" (first on line %ld)",
			      v[i].id, v[order[m]].line);
		free(order);
	}
	(*prev)[i] = last;
	strmap_put(seen, v[i].id, (void *)(uintptr_t)(i + 1));
}

int agr_companies_csv_parse(struct agr_set *s, const char *name,
			    const char *text, size_t n,
			    const struct cap_known *k, struct err_list *errs)
{
	long before = errs->total;
	struct ax x = {s, k, {0}, name, errs, 1};
	strmap_init(&x.own);
	for (size_t i = 0; i < s->n_norms; i++)
		if (s->norms[i].id)
			strmap_put(&x.own, s->norms[i].id, &s->norms[i]);
	struct csv c;
	csv_open(&c, name, text, n);
	if (s->csv_sep)
		csv_set_sep(&c, s->csv_sep);
	struct cdg_err e;
	err_clear(&e);
	static const char *const required[] = {"id", "company", "norm", "commitment",
		"date", "evidence_url", NULL};
	static const char *const allowed[] = {"id", "company", "norm", "commitment",
		"date", "evidence_url", "note", "synthetic", NULL};
	int rc = csv_read_header(&c, &e);
	if (rc == 0)
		rc = csv_require(&c, required, &e);
	for (size_t i = 0; rc == 0 && i < c.ncols; i++)
		if (!one_of(allowed, c.cols[i]))
			rc = err_at(&e, CDG_EINPUT, name, 1, c.cols[i], "unknown column");
	bool header_bad = rc != 0;
	if (header_bad)
		errs_add(errs, &e);
	size_t cap = 0;
	/* Ids seen: id -> 1 + index of the last with it; prev[i]: 1 + index
	 * of the one before i with its id (0: none). */
	struct strmap seen;
	strmap_init(&seen);
	size_t *prev = NULL, nprev = 0;
	while (rc == 0 && (rc = csv_next(&c, &e)) == 1) {
		rc = 0;
		x.line = c.line;
		if (csv_check_width(&c, &e) != 0) {
			errs_add(errs, &e);
			continue;
		}
		if (s->n_companies == cap) {
			cap = cap ? cap * 2 : 16;
			struct agr_company *v = arena_alloc(&s->arena, cap * sizeof *v);
			if (s->n_companies)
				memcpy(v, s->companies, s->n_companies * sizeof *v);
			s->companies = v;
		}
		struct agr_company *m = &s->companies[s->n_companies++];
		struct arena *a = &s->arena;
		m->line = c.line;
		m->id = arena_strdup(a, csv_get(&c, "id"));
		m->company = arena_strdup(a, csv_get(&c, "company"));
		m->norm = arena_strdup(a, csv_get(&c, "norm"));
		m->text = arena_strdup(a, csv_get(&c, "commitment"));
		m->date = arena_strdup(a, csv_get(&c, "date"));
		m->evidence = arena_strdup(a, csv_get(&c, "evidence_url"));
		const char *note = csv_get(&c, "note");
		m->note = *note ? arena_strdup(a, note) : NULL;
		const char *sy = csv_get(&c, "synthetic");
		m->synthetic = strcmp(sy, "1") == 0 || strcmp(sy, "true") == 0;
		if (*sy && !m->synthetic && strcmp(sy, "0") && strcmp(sy, "false"))
			fault(&x, "synthetic", "\"%s\" is not 0, 1, true or false", sy);
		if (!fmt_id_ok(m->id))
			fault(&x, "id", "\"%s\" is not an id", m->id);
		same_company(&x, &seen, &prev, &nprev, s->n_companies - 1);
		if (!*m->company)
			fault(&x, "company", "is required");
		if (!*m->text)
			fault(&x, "commitment", "is required");
		if (!strmap_get(&x.own, m->norm) && !known(k->industry, m->norm))
			fault(&x, "norm", "unknown industry norm \"%s\"", m->norm);
		if (!date_valid(m->date))
			fault(&x, "date", "\"%s\" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
			      m->date);
		if (strncmp(m->evidence, "https://", 8) && strncmp(m->evidence, "http://", 7))
			fault(&x, "evidence_url", "\"%s\" is not an http(s) URL", m->evidence);
	}
	if (rc < 0 && !header_bad)
		errs_add(errs, &e);
	csv_close(&c);
	strmap_free(&seen);
	free(prev);
	strmap_free(&x.own);
	return errs->total > before ? CDG_EINPUT : 0;
}
