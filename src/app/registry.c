/* The accountability registry's use cases (issue 5): import (CSV, registry
 * JSON, STIX 2.1, MISP galaxy), export, queries, the country profile's
 * registry part, and the indicator derived from it.  See app.h and
 * docs/registry.md. */
#include "app/app.h"

#include <stdlib.h>
#include <string.h>

#include "app/names_int.h"
#include "formats/formats.h"
#include "store/store.h"

/* The reference files were gathered in 2026 (data/reference/README.md);
 * derived series end there, as init's do. */
#define REG_REFERENCE_YEAR 2026

/* ---- reading rows back ------------------------------------------------------ */

static const char *val_s(const struct store_row *r, size_t i)
{
	return r->v[i].t == SV_TEXT ? r->v[i].s : NULL;
}

static long long val_i(const struct store_row *r, size_t i, long long dflt)
{
	return r->v[i].t == SV_INT ? r->v[i].i : dflt;
}

/* Writes a row as a JSON object; columns named in json_cols hold JSON text. */
static void row_obj(struct jw *w, const struct store_row *r)
{
	jw_obj(w);
	for (size_t i = 0; i < r->n; i++) {
		const char *k = r->names[i];
		jw_key(w, k);
		const struct store_val *v = &r->v[i];
		bool json = strcmp(k, "effects") == 0 || strcmp(k, "sources") == 0 ||
			    strcmp(k, "aliases") == 0 || strcmp(k, "refs") == 0 ||
			    strcmp(k, "criteria") == 0 || strcmp(k, "party_members") == 0;
		if (v->t == SV_INT && strcmp(k, "cert_targeted") == 0)
			jw_bool(w, v->i != 0);
		else if (v->t == SV_INT)
			jw_int(w, v->i);
		else if (v->t == SV_REAL)
			jw_num(w, v->d);
		else if (v->t == SV_NULL)
			jw_null(w);
		else if (json)
			jw_raw(w, v->s);
		else
			jw_str(w, v->s);
	}
	jw_obj_end(w);
}

static int row_to_json(void *ctx, const struct store_row *r)
{
	row_obj(ctx, r);
	return 0;
}

static const char *opt_dup(struct arena *a, const char *s)
{
	return s && *s ? arena_strdup(a, s) : NULL;
}

/* Names and codes of every state, for the parsers. */
static int load_names(struct store *st, struct reg_names *n, struct cdg_err *e)
{
	return app_names_load(st, n, e);
}

/* ---- writing a set ---------------------------------------------------------- */

struct rw {
	struct store *st;
	struct cdg_err *e;
	int rc;
	long written;
	const char *origin;       /* file the records come from */
	bool partial;             /* CSV: only the fields the format has */
};

static void up(struct rw *w, const char *table, const char *const *cols,
	       const struct store_val *v, size_t n, size_t nkey)
{
	if (w->rc)
		return;
	int r = store_upsert(w->st, table, cols, v, n, nkey, w->e);
	if (r < 0)
		w->rc = r;
	else
		w->written += r;
}

/* As up(), for the records that carry created and modified (the last
 * two of cols); returns whether the row was written. */
static bool up_v(struct rw *w, const char *table, const char *const *cols,
		 const struct store_val *v, size_t n)
{
	if (w->rc)
		return false;
	int r = store_upsert_versioned(w->st, table, cols, v, n, 1, w->e);
	if (r < 0)
		w->rc = r;
	else
		w->written += r;
	return r > 0;
}

/* A record whose child rows changed while its own row did not: its
 * modified becomes the file's (or now). */
static void touch(struct rw *w, const char *table, const char *id,
		  const char *modified)
{
	if (w->rc)
		return;
	int r = store_reg_touch(w->st, table, id, modified, w->e);
	if (r < 0)
		w->rc = r;
	else
		w->written += r;
}

static void trim(struct rw *w, const char *what, const char *id, long keep,
		 const char *json)
{
	if (w->rc)
		return;
	int r = store_reg_trim(w->st, what, id, keep, json, w->e);
	if (r < 0)
		w->rc = r;
	else
		w->written += r;
}

/* A JSON array of strings, in arena a. */
static const char *json_list(struct arena *a, const char *const *v, size_t n)
{
	struct buf b = BUF_INIT;
	struct jw j;
	jw_init(&j, &b, false);
	jw_arr(&j);
	for (size_t i = 0; i < n; i++)
		jw_str(&j, v[i]);
	jw_arr_end(&j);
	const char *s = arena_strdup(a, b.p);
	buf_free(&b);
	return s;
}

static struct store_val opt_int(int v)
{
	return v >= 0 ? sv_int(v) : sv_null();
}

static void write_set(struct rw *w, struct reg_set *s)
{
	struct arena *a = &s->arena;
	for (size_t i = 0; i < s->n_actors; i++) {
		const struct reg_actor *r = &s->actors[i];
		static const char *const cols[] = {"id", "kind", "name", "aliases",
			"sponsor_iso3", "sponsor_text", "confidence", "description",
			"refs", "origin", "sponsor_entity", "created", "modified"};
		struct store_val v[] = {sv_text(r->id), sv_text(r->kind),
			sv_text(r->name), sv_text(json_list(a, r->aliases, r->n_aliases)),
			sv_text(r->sponsor_iso3), sv_text(r->sponsor),
			opt_int(r->confidence), sv_text(r->description),
			sv_text(json_list(a, r->refs, r->n_refs)), sv_text(w->origin),
			sv_text(r->sponsor_entity), sv_text(r->created), sv_text(r->modified)};
		up_v(w, "reg_actor", cols, v, 13);
	}
	/* Then what actors are attributed to (both ends now exist). */
	for (size_t i = 0; i < s->n_actors; i++) {
		const struct reg_actor *r = &s->actors[i];
		static const char *const cols[] = {"actor_id", "target_id",
			"confidence", "source"};
		long before = w->written;
		const char **targets = arena_alloc(a, (r->n_rels + 1) * sizeof *targets);
		for (size_t k = 0; k < r->n_rels; k++) {
			const struct reg_actor_rel *l = &r->rels[k];
			struct store_val v[] = {sv_text(r->id), sv_text(l->target),
				opt_int(l->confidence), sv_text(l->source)};
			up(w, "reg_actor_rel", cols, v, 4, 2);
			targets[k] = l->target;
		}
		trim(w, "actor_rels", r->id, 0, json_list(a, targets, r->n_rels));
		if (w->written > before)
			touch(w, "reg_actor", r->id, r->modified);
	}
	for (size_t i = 0; i < s->n_docs; i++) {
		const struct reg_doc *d = &s->docs[i];
		if (d->kind == REG_STANDARD) {
			static const char *const cols[] = {"id", "iso3", "title", "date",
				"url", "criteria", "note"};
			struct store_val v[] = {sv_text(d->id), sv_text(d->iso3),
				sv_text(d->title), sv_text(d->date), sv_text(d->url),
				sv_text(json_list(a, d->criteria, d->n_criteria)),
				sv_text(d->note)};
			up(w, "reg_standard", cols, v, 7, 1);
		} else if (d->kind == REG_DOCTRINE) {
			static const char *const cols[] = {"id", "iso3", "title", "date",
				"url", "summary", "note"};
			struct store_val v[] = {sv_text(d->id), sv_text(d->iso3),
				sv_text(d->title), sv_text(d->date), sv_text(d->url),
				sv_text(d->summary), sv_text(d->note)};
			up(w, "reg_doctrine", cols, v, 7, 1);
		} else {
			static const char *const cols[] = {"id", "iso3", "date", "title",
				"document_type", "url", "note"};
			struct store_val v[] = {sv_text(d->id), sv_text(d->iso3),
				sv_text(d->date), sv_text(d->title), sv_text(d->doc_type),
				sv_text(d->url), sv_text(d->note)};
			up(w, "reg_position", cols, v, 7, 1);
		}
	}
	for (size_t i = 0; i < s->n_incidents; i++) {
		const struct reg_incident *inc = &s->incidents[i];
		const char *cols[] = {"id", "title", "start_date",
			"origin", "end_date", "description", "effects",
			"cert_targeted", "sources", "created", "modified"};
		struct store_val v[] = {sv_text(inc->id), sv_text(inc->title),
			sv_text(inc->start), sv_text(w->origin), sv_text(inc->end),
			sv_text(inc->description),
			sv_text(json_list(a, inc->effects, inc->n_effects)),
			opt_int(inc->cert_targeted),
			sv_text(json_list(a, inc->sources, inc->n_sources)),
			sv_text(inc->created), sv_text(inc->modified)};
		/* A CSV row knows an incident's title and date only: the rest,
		 * entered from JSON or STIX, is left as it is. */
		if (w->partial) {
			cols[4] = cols[9];
			cols[5] = cols[10];
			v[4] = v[9];
			v[5] = v[10];
		}
		bool wrote = up_v(w, "reg_incident", cols, v, w->partial ? 6 : 11);
		if (w->partial)
			continue;
		long before = w->written;
		static const char *const vcols[] = {"incident_id", "iso3"};
		for (size_t k = 0; k < inc->n_victims; k++) {
			struct store_val vv[] = {sv_text(inc->id), sv_text(inc->victims[k])};
			up(w, "reg_incident_victim", vcols, vv, 2, 2);
		}
		trim(w, "victims", inc->id, 0, json_list(a, inc->victims, inc->n_victims));
		/* Non-UN victims (Hong Kong): kept by name, flagged. */
		static const char *const ecols[] = {"incident_id", "entity"};
		for (size_t k = 0; k < inc->n_victim_entities; k++) {
			struct store_val ev[] = {sv_text(inc->id),
				sv_text(inc->victim_entities[k])};
			up(w, "reg_incident_entity", ecols, ev, 2, 2);
		}
		trim(w, "victim_entities", inc->id, 0,
		     json_list(a, inc->victim_entities, inc->n_victim_entities));
		static const char *const scols[] = {"incident_id", "sector_id"};
		for (size_t k = 0; k < inc->n_sectors; k++) {
			struct store_val sv[] = {sv_text(inc->id), sv_text(inc->sectors[k])};
			up(w, "reg_incident_sector", scols, sv, 2, 2);
		}
		trim(w, "sectors", inc->id, 0, json_list(a, inc->sectors, inc->n_sectors));
		if (!wrote && w->written > before)
			touch(w, "reg_incident", inc->id, inc->modified);
	}
	for (size_t i = 0; i < s->n_attrs; i++) {
		const struct reg_attr *r = &s->attrs[i];
		const char *cols[] = {"id", "incident_id", "party_kind",
			"party_name", "party_iso3", "party_members", "attributed_iso3",
			"actor_text", "date", "statement_title", "statement_url",
			"confidence", "basis", "invoked", "note", "origin", "actor_id",
			"standard_id", "created", "modified"};
		struct store_val v[] = {sv_text(r->id), sv_text(r->incident),
			sv_text(r->party_kind), sv_text(r->party_name),
			sv_text(r->party_iso3),
			sv_text(json_list(a, r->members, r->n_members)),
			sv_text(r->target_iso3),
			sv_text(r->actor_id ? NULL : r->actor), sv_text(r->date),
			sv_text(r->title), sv_text(r->url), opt_int(r->confidence),
			sv_text(r->basis), sv_text(r->invoked), sv_text(r->note),
			sv_text(w->origin), sv_text(r->actor_id), sv_text(r->standard),
			sv_text(r->created), sv_text(r->modified)};
		if (w->partial) {
			cols[16] = cols[18];
			cols[17] = cols[19];
			v[16] = v[18];
			v[17] = v[19];
		}
		bool wrote = up_v(w, "reg_attribution", cols, v, 18 + (w->partial ? 0 : 2));
		long before = w->written;
		static const char *const icols[] = {"attribution_id", "position",
			"kind", "norm_id", "rule", "text", "articulation"};
		for (size_t k = 0; k < r->n_refs; k++) {
			const struct reg_ref *f = &r->refs[k];
			char l[2] = {f->norm, 0};
			struct store_val iv[] = {sv_text(r->id), sv_int((long long)k),
				sv_text(reg_ref_kind_name(f->kind)),
				f->norm ? sv_text(l) : sv_null(), sv_text(f->rule),
				sv_text(f->text), sv_text(f->articulation)};
			up(w, "reg_invocation", icols, iv, 7, 2);
		}
		trim(w, "invocations", r->id, (long)r->n_refs, NULL);
		if (w->partial) {
			if (!wrote && w->written > before)
				touch(w, "reg_attribution", r->id, r->modified);
			continue;
		}
		static const char *const pcols[] = {"attribution_id", "position",
			"kind", "date", "description", "url"};
		for (size_t k = 0; k < r->n_responses; k++) {
			const struct reg_response *p = &r->responses[k];
			struct store_val pv[] = {sv_text(r->id), sv_int((long long)k),
				sv_text(p->kind), sv_text(p->date),
				sv_text(p->description), sv_text(p->url)};
			up(w, "reg_response", pcols, pv, 6, 2);
		}
		trim(w, "responses", r->id, (long)r->n_responses, NULL);
		if (!wrote && w->written > before)
			touch(w, "reg_attribution", r->id, r->modified);
	}
}

/* ---- CDG6.2.1 --------------------------------------------------------------- */

struct stmt {
	char iso3[4];
	long year;
	bool verified, breach;
	char *title, *url;
};

struct stmts {
	struct stmt *v;
	size_t n, cap;
};

static int collect_stmt(void *ctx, const struct store_row *r)
{
	struct stmts *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	struct stmt *t = &s->v[s->n++];
	snprintf(t->iso3, sizeof t->iso3, "%s", val_s(r, 0));
	t->year = atol(val_s(r, 1));
	t->title = xstrdup(val_s(r, 2));
	t->url = xstrdup(val_s(r, 3));
	t->verified = val_i(r, 4, 0) != 0;
	t->breach = val_i(r, 5, 0) != 0;
	return 0;
}

/* Indicator CDG6.2.1 from the registry, by the rule written in
 * data/framework/indicators.json: for each State and reference year Y,
 * its verified public statements dated Y-4..Y; value = 100 x those naming
 * a norm, a rule of international law or a commitment / all of them. */
static int derive(struct store *st, const struct fw_catalog *cat, long *written,
		  struct cdg_err *e)
{
	if (!fw_indicator(cat, "CDG6.2.1"))
		return 0;
	struct stmts s = {0};
	int rc = store_reg_each(st, "state_statements", NULL, 0, collect_stmt, &s, e);
	struct store_obs_writer *ow = NULL;
	if (rc == 0)
		rc = store_obs_attach(st, "derived", "registry: CDG6.2.1", false, &ow, e);
	for (size_t i = 0; rc == 0 && i < s.n;) {
		size_t j = i;
		long first = 9999;
		while (j < s.n && strcmp(s.v[j].iso3, s.v[i].iso3) == 0) {
			if (s.v[j].verified && s.v[j].year < first)
				first = s.v[j].year;
			j++;
		}
		for (long y = first; rc == 0 && y <= REG_REFERENCE_YEAR; y++) {
			long n = 0, k = 0;
			const char *src = NULL;
			struct buf note = BUF_INIT;
			for (size_t m = i; m < j; m++) {
				const struct stmt *t = &s.v[m];
				if (!t->verified || t->year < y - 4 || t->year > y)
					continue;
				n++;
				if (t->breach) {
					k++;
					if (!src)
						src = t->url;
				}
			}
			if (n == 0) {
				buf_free(&note);
				continue;
			}
			for (size_t m = i; m < j && !src; m++)
				if (s.v[m].verified && s.v[m].year >= y - 4 && s.v[m].year <= y)
					src = s.v[m].url;
			buf_addf(&note, "%ld of %ld verified statements %ld-%ld name the "
				 "norm or law breached (cdg attribution registry)", k, n,
				 y - 4, y);
			struct store_obs o = {.indicator = "CDG6.2.1", .iso3 = s.v[i].iso3,
					      .year = y, .value = 100.0 * (double)k / (double)n,
					      .source = src, .note = note.p};
			int r = store_obs_put(ow, &o, e);
			if (r < 0)
				rc = r;
			else
				*written += r;
			buf_free(&note);
		}
		i = j;
	}
	if (ow) {
		int end = store_obs_end(ow, rc == 0, e);
		if (rc == 0)
			rc = end;
	}
	for (size_t i = 0; i < s.n; i++) {
		free(s.v[i].title);
		free(s.v[i].url);
	}
	free(s.v);
	return rc;
}

/* ---- checks against the catalog and the database ---------------------------- */

static int exists(void *ctx, const struct store_row *r)
{
	(void)r;
	*(bool *)ctx = true;
	return 0;
}

static bool db_has(struct store *st, const char *query, const char *id)
{
	bool found = false;
	const char *p[] = {id};
	store_reg_each(st, query, p, 1, exists, &found, NULL);
	return found;
}

struct sectors {
	struct strmap ids;
	struct arena a;
};

static int collect_sector(void *ctx, const struct store_row *r)
{
	struct sectors *x = ctx;
	strmap_put(&x->ids, arena_strdup(&x->a, val_s(r, 0)), (void *)1);
	return 0;
}

static bool db_has_state(struct app *a, const char *iso3)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, false);
	const char *p[] = {iso3};
	int rc = store_row_json(a->st, "country", p, 1, &w, NULL);
	buf_free(&b);
	return rc == 0;
}

static void fault_at(struct err_list *errs, const char *file, long line,
		     const char *field, const char *msg, const char *what)
{
	errs_addf(errs, file, line, field, "%s \"%s\"", msg, what);
}

static void check_set(struct app *a, const struct reg_set *s, const char *file,
		      struct err_list *errs)
{
	/* The standards and actors the set brings, by id: an attribution
	 * may name one of them or one already stored. */
	struct strmap standards, actors;
	strmap_init(&standards);
	strmap_init(&actors);
	for (size_t d = 0; d < s->n_docs; d++)
		if (s->docs[d].kind == REG_STANDARD && s->docs[d].id)
			strmap_put(&standards, s->docs[d].id, (void *)1);
	for (size_t d = 0; d < s->n_actors; d++)
		if (s->actors[d].id)
			strmap_put(&actors, s->actors[d].id, (void *)1);
	for (size_t i = 0; i < s->n_attrs; i++) {
		const struct reg_attr *r = &s->attrs[i];
		for (size_t k = 0; k < r->n_refs; k++) {
			char l[2] = {r->refs[k].norm, 0};
			if (l[0] && !fw_norm(&a->cat, l))
				fault_at(errs, file, r->line, "norm_or_law_invoked",
					 "the catalog has no norm", l);
		}
		if (r->standard) {
			bool found = strmap_get(&standards, r->standard) ||
				     db_has(a->st, "standard", r->standard);
			if (!found)
				fault_at(errs, file, r->line, "standard",
					 "no registered attribution standard", r->standard);
		}
		if (r->actor_id) {
			bool found = strmap_get(&actors, r->actor_id) ||
				     db_has(a->st, "actor", r->actor_id);
			if (!found)
				fault_at(errs, file, r->line, "actor_id", "no actor",
					 r->actor_id);
		}
	}
	for (size_t i = 0; i < s->n_actors; i++)
		for (size_t k = 0; k < s->actors[i].n_rels; k++) {
			const char *t = s->actors[i].rels[k].target;
			bool found = strmap_get(&actors, t) || db_has(a->st, "actor", t);
			if (!found)
				fault_at(errs, file, s->actors[i].line, "attributed_to",
					 "no actor", t);
		}
	struct sectors sec;
	strmap_init(&sec.ids);
	arena_init(&sec.a);
	store_reg_each(a->st, "sectors", NULL, 0, collect_sector, &sec, NULL);
	for (size_t i = 0; i < s->n_incidents; i++) {
		const struct reg_incident *inc = &s->incidents[i];
		for (size_t k = 0; k < inc->n_sectors; k++)
			if (!strmap_get(&sec.ids, inc->sectors[k]))
				fault_at(errs, file, inc->line, "victim_sectors",
					 "no sector in data/registry/sectors.csv named",
					 inc->sectors[k]);
	}
	strmap_free(&sec.ids);
	arena_free(&sec.a);
	strmap_free(&standards);
	strmap_free(&actors);
}

/* ---- import ------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Which parser a text needs, from its first bytes. */
static const char *detect(const char *t)
{
	while (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t')
		t++;
	if (strncmp(t, "\xEF\xBB\xBF", 3) == 0)
		t += 3;
	if (*t != '{')
		return "csv";
	if (strstr(t, "\"" REG_JSON_FORMAT "\""))
		return "json";
	const char *v = strstr(t, "\"values\"");
	const char *ty = strstr(t, "\"type\"");
	if (v && (!ty || v < ty || strstr(t, "\"uuid\"")) && !strstr(t, "\"spec_version\""))
		return "misp";
	return "stix";
}

static int parse_any(const char *fmt, struct reg_set *s, const char *name,
		     const char *text, size_t n, const struct reg_names *names,
		     struct err_list *errs)
{
	if (strcmp(fmt, "csv") == 0)
		return reg_csv_parse(s, name, text, n, names, errs);
	if (strcmp(fmt, "json") == 0)
		return reg_json_parse(s, name, text, n, names, errs);
	if (strcmp(fmt, "misp") == 0)
		return misp_parse(s, name, text, n, names, errs);
	return stix_parse(s, name, text, n, names, errs);
}

/* Incident identity (docs/registry.md): the incidents the database holds,
 * by title key, so that a title read again in another case or spacing
 * finds the id it was given at creation, and keeps its first spelling. */
struct known {
	struct reg_set *s;
	struct strmap titles;     /* id -> stored title */
};

static int add_known(void *ctx, const struct store_row *r)
{
	struct known *k = ctx;
	const char *id = arena_strdup(&k->s->arena, val_s(r, 0));
	const char *title = arena_strdup(&k->s->arena, val_s(r, 1));
	reg_incident_key(k->s, title, id);
	strmap_put(&k->titles, id, (void *)(uintptr_t)title);
	return 0;
}

static int known_begin(struct store *st, struct reg_set *s, struct known *k,
		       struct cdg_err *e)
{
	k->s = s;
	strmap_init(&k->titles);
	return store_reg_each(st, "incident_titles", NULL, 0, add_known, k, e);
}

/* A stored incident read again under a title that differs only in case
 * or spacing keeps the title it was first given. */
static void known_end(struct known *k)
{
	struct reg_set *s = k->s;
	for (size_t i = 0; i < s->n_incidents; i++) {
		struct reg_incident *inc = &s->incidents[i];
		const char *was = strmap_get(&k->titles, inc->id);
		if (was && strcmp(reg_title_key(&s->arena, was),
				  reg_title_key(&s->arena, inc->title)) == 0)
			inc->title = was;
	}
	strmap_free(&k->titles);
}

/* Parses and checks a file, leaving the set in s (its state codes point
 * into names, which must outlive it); CDG_EINPUT with errs. */
static int read_file(struct app *a, const char *path, struct reg_set *s,
		     struct reg_names *names, const char **fmt,
		     struct err_list *errs, struct cdg_err *e)
{
	struct buf text = BUF_INIT;
	int rc = file_read_all(path, &text, e);
	if (rc == 0)
		rc = load_names(a->st, names, e);
	struct known k;
	if (rc == 0 && (rc = known_begin(a->st, s, &k, e)) != 0)
		strmap_free(&k.titles);
	if (rc == 0) {
		*fmt = detect(text.p);
		long before = errs->total;
		parse_any(*fmt, s, path, text.p, text.len, names, errs);
		known_end(&k);
		if (errs->total == before)
			check_set(a, s, path, errs);
		if (errs->total > before)
			rc = err_at(e, CDG_EINPUT, path, 0, NULL, "%ld fault%s; nothing "
				    "written", errs->total - before,
				    errs->total - before == 1 ? "" : "s");
	}
	buf_free(&text);
	return rc;
}

int app_registry_import(struct app *a, const char *path, const char *actor,
			struct app_registry_report *rep, struct err_list *errs,
			struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	int arc = app_authorize(a, actor, APP_REGISTRY_WRITE, NULL, e);
	if (arc)
		return arc;
	struct reg_set s;
	reg_set_init(&s);
	s.csv_sep = a->csv_sep;
	bool big = false;
	struct reg_names names;
	reg_names_init(&names);
	int rc = read_file(a, path, &s, &names, &rep->format, errs, e);
	if (rc == 0) {
		rep->incidents = s.n_incidents;
		rep->attributions = s.n_attrs;
		rep->actors = s.n_actors;
		rep->documents = s.n_docs;
		rep->skipped = s.stix_skipped;
		for (size_t i = 0; i < s.n_actors; i++)
			rep->actor_links += s.actors[i].n_rels;
		for (size_t i = 0; i < s.n_actors; i++)
			if (s.actors[i].sponsor_entity)
				rep->non_un_sponsors++;
			else if (s.actors[i].sponsor && !s.actors[i].sponsor_iso3)
				rep->unresolved_sponsors++;
		/* A large set: a larger page cache while it is written (with
		 * 64 MiB, 512k CSV rows re-read evicted pages of the UUID-keyed
		 * indexes for a quarter of the time). */
		if (s.n_attrs + s.n_incidents + s.n_actors > 65536)
			big = store_cache_mib(a->st, 256, NULL) == 0;
		rc = store_tx_begin(a->st, actor, e);
	}
	if (rc == 0) {
		struct rw w = {a->st, e, 0, 0, base_name(path), strcmp(rep->format, "csv") == 0};
		write_set(&w, &s);
		if (w.rc == 0)
			w.rc = derive(a->st, &a->cat, &w.written, e);
		rc = w.rc;
		rep->written = w.written;
		if (rc == 0)
			rc = store_tx_commit(a->st, e);
		else
			store_tx_rollback(a->st);
	}
	if (big)
		store_cache_mib(a->st, 0, NULL);
	reg_set_free(&s);
	reg_names_free(&names);
	return rc;
}

/* ---- cdg init ------------------------------------------------------------------ */

static void init_fault(struct cdg_err *e, const struct err_list *errs)
{
	if (errs->n)
		*e = errs->v[0];
	e->code = CDG_EINPUT;
}

/* Reads DIR/REL against spec into t (cells in a); path gets the file's
 * name for messages. */
static int read_data(const char *dir, const char *rel,
		     const struct col_spec *spec, size_t ncols, int flags,
		     struct arena *a, struct table *t, struct buf *path,
		     struct cdg_err *e)
{
	struct buf text = BUF_INIT;
	buf_addf(path, "%s/%s", dir, rel);
	int rc = file_read_all(path->p, &text, e);
	if (rc == 0)
		rc = table_read(path->p, text.p, text.len, spec, ncols, -1, flags, a,
				t, e);
	buf_free(&text);
	return rc;
}

/* Positions on international law: data/reference/national_positions_il.csv. */
static int read_positions(const char *dir, struct reg_set *s,
			  const struct reg_names *names, struct cdg_err *e)
{
	static const struct col_spec spec[] = {
		{"state", COL_TEXT, true, NULL},
		{"iso3", COL_ISO3, true, NULL},
		{"year", COL_YEAR, true, NULL},
		{"document_title", COL_TEXT, true, NULL},
		{"document_type", COL_TEXT, false, NULL},
		{"source_url", COL_URL, true, NULL},
		{"source_note", COL_TEXT, false, NULL},
	};
	struct buf path = BUF_INIT;
	struct table t;
	int rc = read_data(dir, "reference/national_positions_il.csv", spec, 7, 0,
			   &s->arena, &t, &path, e);
	for (size_t r = 0; rc == 0 && r < t.nrows; r++) {
		struct reg_doc *d = reg_add_doc(s);
		d->kind = REG_POSITION;
		d->iso3 = reg_names_state(names, table_cell(&t, r, 1));
		if (!d->iso3) {
			rc = err_at(e, CDG_EINPUT, path.p, t.lines[r], "iso3",
				    "unknown state \"%s\"", table_cell(&t, r, 1));
			break;
		}
		d->date = table_cell(&t, r, 2);
		d->title = table_cell(&t, r, 3);
		d->doc_type = opt_dup(&s->arena, table_cell(&t, r, 4));
		d->url = table_cell(&t, r, 5);
		d->note = opt_dup(&s->arena, table_cell(&t, r, 6));
		char u[37];
		reg_uuid("position", arena_printf(&s->arena, "%s|%s|%s", d->iso3,
						  d->date, d->title), u);
		d->id = arena_strdup(&s->arena, u);
		d->line = t.lines[r];
	}
	buf_free(&path);
	return rc;
}

/* The same fact twice in data/evidence/attributions.csv: its key is the
 * incident, the attributing party and the date of the statement. */
static int check_statement_key(const struct reg_set *s, const char *path,
			       struct cdg_err *e)
{
	for (size_t i = 1; i < s->n_attrs; i++) {
		const struct reg_attr *r = &s->attrs[i];
		const char *party = r->party_iso3 ? r->party_iso3 : r->party_name;
		for (size_t k = 0; k < i; k++) {
			const struct reg_attr *o = &s->attrs[k];
			if (strcmp(o->incident, r->incident) == 0 &&
			    strcmp(o->date, r->date) == 0 &&
			    strcmp(o->party_iso3 ? o->party_iso3 : o->party_name, party) == 0)
				return err_at(e, CDG_EINPUT, path, r->line, "attribution_date",
					      "the same incident, attributing party and date "
					      "as line %ld", o->line);
		}
	}
	return 0;
}

/* Published attribution standards and response doctrines:
 * data/evidence/doctrines.csv (its README).  A row without a year is
 * left out: a document's date is required, and no year means it was not
 * verified. */
static const char *const doc_kinds[] = {"attribution_standard",
	"response_doctrine", NULL};

static int read_doctrines(const char *dir, struct reg_set *s,
			  const struct reg_names *names, struct cdg_err *e)
{
	static const struct col_spec spec[] = {
		{"iso3", COL_ISO3, true, NULL},
		{"state", COL_TEXT, true, NULL},
		{"kind", COL_ENUM, true, doc_kinds},
		{"title", COL_TEXT, true, NULL},
		{"year", COL_PAST_YEAR, false, NULL},
		{"document_url", COL_URL, false, NULL},
		{"source_url", COL_URL, true, NULL},
		{"checked", COL_PAST_DATE, true, NULL},
		{"source_note", COL_TEXT, false, NULL},
	};
	struct buf path = BUF_INIT;
	struct table t;
	int rc = read_data(dir, "evidence/doctrines.csv", spec, 9, TABLE_STRICT,
			   &s->arena, &t, &path, e);
	for (size_t r = 0; rc == 0 && r < t.nrows; r++) {
		const char *iso = table_cell(&t, r, 0), *kind = table_cell(&t, r, 2);
		const char *title = table_cell(&t, r, 3), *year = table_cell(&t, r, 4);
		const char *known = reg_names_state(names, iso);
		const char *named = reg_names_state(names, table_cell(&t, r, 1));
		if (!known)
			rc = err_at(e, CDG_EINPUT, path.p, t.lines[r], "iso3",
				    "unknown state \"%s\"", iso);
		else if (named && strcmp(named, known) != 0)
			rc = err_at(e, CDG_EINPUT, path.p, t.lines[r], "iso3",
				    "\"%s\" is not the code of \"%s\" (%s)", iso,
				    table_cell(&t, r, 1), named);
		for (size_t k = 0; rc == 0 && k < r; k++)
			if (strcmp(table_cell(&t, k, 0), iso) == 0 &&
			    strcmp(table_cell(&t, k, 2), kind) == 0 &&
			    strcmp(table_cell(&t, k, 3), title) == 0)
				rc = err_at(e, CDG_EINPUT, path.p, t.lines[r], "title",
					    "the same state, kind and title as line %ld",
					    t.lines[k]);
		if (rc || !*year)
			continue;
		struct reg_doc *d = reg_add_doc(s);
		d->kind = kind[0] == 'a' ? REG_STANDARD : REG_DOCTRINE;
		d->iso3 = known;
		d->title = title;
		d->date = year;
		d->url = *table_cell(&t, r, 5) ? table_cell(&t, r, 5) : table_cell(&t, r, 6);
		const char *note = table_cell(&t, r, 8);
		d->note = arena_printf(&s->arena, "checked %s; source read: %s%s%s",
				       table_cell(&t, r, 7), table_cell(&t, r, 6),
				       *note ? "; " : "", note);
		char u[37];
		reg_uuid(d->kind == REG_STANDARD ? "standard" : "doctrine",
			 arena_printf(&s->arena, "%s|%s|%s", d->iso3, d->date, d->title), u);
		d->id = arena_strdup(&s->arena, u);
		d->line = t.lines[r];
	}
	buf_free(&path);
	return rc;
}

/* Indicators CDG6.1.1 (attribution standards published) and CDG7.1.1
 * (deterrence doctrine or response policy published), binary, by their
 * rules in data/framework/indicators.json: 1 from the year of the State's
 * earliest recorded document of that kind to REG_REFERENCE_YEAR, no value
 * without one (no row is a "none exists" record, so no 0 is written).
 * Desk-research facts: one batch of kind "reference". */
static int derive_docs(struct store *st, const struct fw_catalog *cat,
		       const struct reg_set *s, long *written, struct cdg_err *e)
{
	static const struct {
		enum reg_doc_kind kind;
		const char *indicator, *what;
	} ind[] = {{REG_STANDARD, "CDG6.1.1", "attribution standard"},
		   {REG_DOCTRINE, "CDG7.1.1", "response doctrine"}};
	struct store_obs_writer *ow = NULL;
	int rc = store_obs_attach(st, "reference", "data/evidence/doctrines.csv",
				  false, &ow, e);
	for (size_t k = 0; rc == 0 && k < 2; k++) {
		if (!fw_indicator(cat, ind[k].indicator))
			continue;
		for (size_t i = 0; rc == 0 && i < s->n_docs; i++) {
			const struct reg_doc *d = &s->docs[i];
			if (d->kind != ind[k].kind)
				continue;
			/* The State's earliest document of the kind speaks for it. */
			const struct reg_doc *first = d;
			bool seen = false;
			for (size_t j = 0; j < s->n_docs; j++) {
				const struct reg_doc *o = &s->docs[j];
				if (o->kind != d->kind || strcmp(o->iso3, d->iso3) != 0)
					continue;
				if (j < i)
					seen = true;
				if (strcmp(o->date, first->date) < 0)
					first = o;
			}
			if (seen)
				continue;
			struct buf note = BUF_INIT;
			buf_addf(&note, "%s published: %s (%.4s); %s", ind[k].what,
				 first->title, first->date, first->note);
			for (long y = atol(first->date); rc == 0 && y <= REG_REFERENCE_YEAR; y++) {
				struct store_obs o = {.indicator = ind[k].indicator, .iso3 = d->iso3,
						      .year = y, .value = 1.0, .source = first->url,
						      .note = note.p, .line = first->line};
				int r = store_obs_put(ow, &o, e);
				if (r < 0)
					rc = r;
				else
					*written += r;
			}
			buf_free(&note);
		}
	}
	if (ow) {
		int end = store_obs_end(ow, rc == 0, e);
		if (rc == 0)
			rc = end;
	}
	return rc;
}

/* The sector catalog, data/registry/sectors.csv. */
static int write_sectors(struct rw *w, const char *dir, struct cdg_err *e)
{
	static const struct col_spec spec[] = {
		{"id", COL_TEXT, true, NULL},
		{"name", COL_TEXT, true, NULL},
		{"catalog", COL_TEXT, true, NULL},
		{"parent", COL_TEXT, false, NULL},
		{"source_url", COL_URL, true, NULL},
	};
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_addf(&path, "%s/registry/sectors.csv", dir);
	struct arena ar;
	arena_init(&ar);
	struct table t;
	int rc = file_read_all(path.p, &text, e);
	if (rc == 0)
		rc = table_read(path.p, text.p, text.len, spec, 5, 0, TABLE_STRICT,
				&ar, &t, e);
	for (size_t r = 0; rc == 0 && r < t.nrows; r++) {
		const char *parent = table_cell(&t, r, 3);
		bool ok = !*parent;
		for (size_t k = 0; k < r && !ok; k++)
			ok = strcmp(table_cell(&t, k, 0), parent) == 0;
		if (!ok)
			rc = err_at(e, CDG_EINPUT, path.p, t.lines[r], "parent",
				    "\"%s\" is not a sector listed above", parent);
	}
	static const char *const cols[] = {"id", "name", "catalog", "parent",
		"source_url", "position"};
	for (size_t r = 0; rc == 0 && r < t.nrows; r++) {
		struct store_val v[] = {sv_text(table_cell(&t, r, 0)),
			sv_text(table_cell(&t, r, 1)), sv_text(table_cell(&t, r, 2)),
			sv_text(table_cell(&t, r, 3)), sv_text(table_cell(&t, r, 4)),
			sv_int((long long)r)};
		up(w, "reg_sector", cols, v, 6, 1);
		rc = w->rc;
	}
	arena_free(&ar);
	buf_free(&path);
	buf_free(&text);
	return rc;
}

/* The version stamp of records cdg init reads from the shipped data: the
 * latest day a row of the file was checked, at midnight UTC, so that every
 * database made from the same data gives its records the same created and
 * modified, and their exports agree (docs/registry.md "Identity").  NULL
 * when no row says. */
static const char *shipped_stamp(struct arena *a, const char *name,
				 const char *text, size_t n)
{
	struct csv c;
	csv_open(&c, name, text, n);
	struct cdg_err ce;
	char best[11] = "";
	if (csv_read_header(&c, &ce) == 0 && csv_col(&c, "checked") >= 0)
		while (csv_next(&c, &ce) == 1) {
			const char *d = csv_get(&c, "checked");
			if (strlen(d) == 10 && date_valid(d) && strcmp(d, best) > 0)
				memcpy(best, d, sizeof best);
		}
	csv_close(&c);
	return *best ? arena_printf(a, "%sT00:00:00.000Z", best) : NULL;
}

static void stamp_unset(const char **created, const char **modified,
			const char *stamp)
{
	if (!*created)
		*created = stamp;
	if (!*modified)
		*modified = stamp;
}

int app_registry_init(struct store *st, const struct fw_catalog *cat,
		      const char *data_dir, long long *written, struct cdg_err *e)
{
	struct reg_names names;
	struct reg_set s;
	reg_set_init(&s);
	struct err_list errs;
	errs_init(&errs, 1);
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_addf(&path, "%s/evidence/attributions.csv", data_dir);
	/* Everything is read and checked before the first registry write. */
	reg_names_init(&names);
	int rc = load_names(st, &names, e);
	if (rc == 0)
		rc = file_read_all(path.p, &text, e);
	struct known kn;
	bool known = rc == 0;
	if (known && (rc = known_begin(st, &s, &kn, e)) != 0)
		strmap_free(&kn.titles);
	if (rc == 0 && reg_csv_parse(&s, path.p, text.p, text.len, &names, &errs)) {
		init_fault(e, &errs);
		rc = CDG_EINPUT;
	}
	if (known && (rc == 0 || rc == CDG_EINPUT))
		known_end(&kn);
	for (size_t i = 0; rc == 0 && i < s.n_attrs; i++)
		for (size_t k = 0; rc == 0 && k < s.attrs[i].n_refs; k++) {
			char l[2] = {s.attrs[i].refs[k].norm, 0};
			if (l[0] && !fw_norm(cat, l))
				rc = err_at(e, CDG_EINPUT, path.p, s.attrs[i].line,
					    "norm_or_law_invoked",
					    "the catalog has no norm \"%s\"", l);
		}
	if (rc == 0)
		rc = check_statement_key(&s, path.p, e);
	const char *stamp = rc == 0 ? shipped_stamp(&s.arena, path.p, text.p, text.len) : NULL;
	for (size_t i = 0; stamp && i < s.n_incidents; i++)
		stamp_unset(&s.incidents[i].created, &s.incidents[i].modified, stamp);
	for (size_t i = 0; stamp && i < s.n_attrs; i++)
		stamp_unset(&s.attrs[i].created, &s.attrs[i].modified, stamp);
	for (size_t i = 0; stamp && i < s.n_actors; i++)
		stamp_unset(&s.actors[i].created, &s.actors[i].modified, stamp);
	if (rc == 0)
		rc = read_doctrines(data_dir, &s, &names, e);
	if (rc == 0)
		rc = read_positions(data_dir, &s, &names, e);
	struct rw w = {st, e, 0, 0, "attributions.csv", true};
	if (rc == 0)
		rc = write_sectors(&w, data_dir, e);
	if (rc == 0) {
		write_set(&w, &s);
		rc = w.rc;
	}
	if (rc == 0)
		rc = derive(st, cat, &w.written, e);
	if (rc == 0)
		rc = derive_docs(st, cat, &s, &w.written, e);
	*written += w.written;
	buf_free(&path);
	buf_free(&text);
	errs_free(&errs);
	reg_names_free(&names);
	reg_set_free(&s);
	return rc;
}

/* ---- export ------------------------------------------------------------------ */

static const char **json_strs(struct arena *a, const char *json, size_t *n)
{
	/* The stored arrays are cdg's own: ["a","b"] with JSON escapes. */
	*n = 0;
	if (!json)
		return NULL;
	size_t cap = 1;
	for (const char *p = json; *p; p++)
		cap += *p == ',';
	const char **v = arena_alloc(a, cap * sizeof *v);
	const char *p = json;
	while ((p = strchr(p, '"'))) {
		struct buf b = BUF_INIT;
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1]) {
				p++;
				char c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
				if (*p == 'u') {
					unsigned cp = (unsigned)strtoul((char[5]){p[1], p[2], p[3], p[4], 0}, NULL, 16);
					p += 4;
					if (cp < 0x80) {
						buf_addc(&b, (char)cp);
					} else if (cp < 0x800) {
						buf_addc(&b, (char)(0xC0 | (cp >> 6)));
						buf_addc(&b, (char)(0x80 | (cp & 0x3F)));
					} else {
						buf_addc(&b, (char)(0xE0 | (cp >> 12)));
						buf_addc(&b, (char)(0x80 | ((cp >> 6) & 0x3F)));
						buf_addc(&b, (char)(0x80 | (cp & 0x3F)));
					}
					continue;
				}
				buf_addc(&b, c);
			} else {
				buf_addc(&b, *p);
			}
		}
		if (*n < cap)
			v[(*n)++] = arena_strdup(a, b.p);
		buf_free(&b);
		if (*p)
			p++;
	}
	return v;
}

static const char *dup_s(struct arena *a, const struct store_row *r, size_t i)
{
	const char *s = val_s(r, i);
	return s ? arena_strdup(a, s) : NULL;
}

static int load_incident(void *ctx, const struct store_row *r)
{
	struct reg_set *s = ctx;
	struct arena *a = &s->arena;
	struct reg_incident *inc = reg_add_incident(s);
	inc->id = dup_s(a, r, 0);
	inc->title = dup_s(a, r, 1);
	inc->start = dup_s(a, r, 2);
	inc->end = dup_s(a, r, 3);
	inc->description = dup_s(a, r, 4);
	inc->effects = json_strs(a, val_s(r, 5), &inc->n_effects);
	inc->cert_targeted = (int)val_i(r, 6, -1);
	inc->sources = json_strs(a, val_s(r, 7), &inc->n_sources);
	inc->created = dup_s(a, r, 9);
	inc->modified = dup_s(a, r, 10);
	return 0;
}

static int load_attr(void *ctx, const struct store_row *r)
{
	struct reg_set *s = ctx;
	struct arena *a = &s->arena;
	struct reg_attr *t = reg_add_attr(s);
	t->id = dup_s(a, r, 0);
	t->incident = dup_s(a, r, 1);
	t->party_kind = dup_s(a, r, 2);
	t->party_name = dup_s(a, r, 3);
	t->party_iso3 = dup_s(a, r, 4);
	t->members = json_strs(a, val_s(r, 5), &t->n_members);
	t->target_iso3 = dup_s(a, r, 6);
	t->actor_id = dup_s(a, r, 7);
	t->actor = dup_s(a, r, 8);
	t->date = dup_s(a, r, 9);
	t->title = dup_s(a, r, 10);
	t->url = dup_s(a, r, 11);
	t->confidence = (int)val_i(r, 12, -1);
	t->basis = dup_s(a, r, 13);
	t->standard = dup_s(a, r, 14);
	t->invoked = dup_s(a, r, 15);
	t->note = dup_s(a, r, 16);
	t->created = dup_s(a, r, 17);
	t->modified = dup_s(a, r, 18);
	return 0;
}

/* The loaded attributions by id, for their children (norm references,
 * responses), which come by attribution id: one lookup each, not a scan
 * of every attribution (an export of a large registry). */
struct attr_index {
	struct reg_set *s;
	struct strmap at;         /* id -> 1 + index in s->attrs */
};

static void attr_index_build(struct attr_index *x, struct reg_set *s)
{
	x->s = s;
	strmap_init(&x->at);
	for (size_t i = 0; i < s->n_attrs; i++)
		if (!strmap_get(&x->at, s->attrs[i].id))
			strmap_put(&x->at, s->attrs[i].id, (void *)(uintptr_t)(i + 1));
}

static struct reg_attr *attr_by_id(struct attr_index *x, const char *id)
{
	uintptr_t i = id ? (uintptr_t)strmap_get(&x->at, id) : 0;
	return i ? &x->s->attrs[i - 1] : NULL;
}

static int load_ref(void *ctx, const struct store_row *r)
{
	struct attr_index *x = ctx;
	struct reg_set *s = x->s;
	struct arena *a = &s->arena;
	struct reg_attr *t = attr_by_id(x, val_s(r, 0));
	if (!t)
		return 0;
	if (!t->refs)
		t->refs = arena_alloc(a, 16 * sizeof *t->refs);
	if (t->n_refs % 16 == 0 && t->n_refs) {
		struct reg_ref *v = arena_alloc(a, (t->n_refs + 16) * sizeof *v);
		memcpy(v, t->refs, t->n_refs * sizeof *v);
		t->refs = v;
	}
	struct reg_ref *f = &t->refs[t->n_refs++];
	int k = reg_ref_kind_parse(val_s(r, 1));
	f->kind = k < 0 ? REG_OTHER : (enum reg_ref_kind)k;
	f->norm = val_s(r, 2) ? val_s(r, 2)[0] : 0;
	f->rule = dup_s(a, r, 3);
	f->text = dup_s(a, r, 4);
	f->articulation = dup_s(a, r, 5);
	return 0;
}

static int load_response(void *ctx, const struct store_row *r)
{
	struct attr_index *x = ctx;
	struct reg_set *s = x->s;
	struct arena *a = &s->arena;
	struct reg_attr *t = attr_by_id(x, val_s(r, 0));
	if (!t)
		return 0;
	if (t->n_responses % 16 == 0) {
		struct reg_response *v = arena_alloc(a, (t->n_responses + 16) * sizeof *v);
		if (t->n_responses)
			memcpy(v, t->responses, t->n_responses * sizeof *v);
		t->responses = v;
	}
	struct reg_response *p = &t->responses[t->n_responses++];
	p->kind = dup_s(a, r, 1);
	p->date = dup_s(a, r, 2);
	p->description = dup_s(a, r, 3);
	p->url = dup_s(a, r, 4);
	return 0;
}

static int load_actor(void *ctx, const struct store_row *r)
{
	struct reg_set *s = ctx;
	struct arena *a = &s->arena;
	struct reg_actor *t = reg_add_actor(s);
	t->id = dup_s(a, r, 0);
	t->kind = dup_s(a, r, 1);
	t->name = dup_s(a, r, 2);
	t->aliases = json_strs(a, val_s(r, 3), &t->n_aliases);
	t->sponsor_iso3 = dup_s(a, r, 4);
	t->sponsor = dup_s(a, r, 5);
	t->confidence = (int)val_i(r, 6, -1);
	t->description = dup_s(a, r, 7);
	t->refs = json_strs(a, val_s(r, 8), &t->n_refs);
	t->created = dup_s(a, r, 9);
	t->modified = dup_s(a, r, 10);
	return 0;
}

/* An actor's rows of reg_actor_rel (in actor order), onto the actor of
 * the set that has them; rows whose ends are not both in the set are
 * left out (an export of the actors in use). */
static int load_actor_rel(void *ctx, const struct store_row *r)
{
	struct reg_set *s = ctx;
	struct arena *a = &s->arena;
	struct reg_actor *t = NULL;
	bool target = false;
	for (size_t i = 0; i < s->n_actors; i++) {
		if (strcmp(s->actors[i].id, val_s(r, 0)) == 0)
			t = &s->actors[i];
		if (strcmp(s->actors[i].id, val_s(r, 1)) == 0)
			target = true;
	}
	if (!t || !target)
		return 0;
	if (t->n_rels % 8 == 0) {
		struct reg_actor_rel *v = arena_alloc(a, (t->n_rels + 8) * sizeof *v);
		if (t->n_rels)
			memcpy(v, t->rels, t->n_rels * sizeof *v);
		t->rels = v;
	}
	struct reg_actor_rel *l = &t->rels[t->n_rels++];
	l->target = dup_s(a, r, 1);
	l->confidence = (int)val_i(r, 2, -1);
	l->source = dup_s(a, r, 3);
	return 0;
}

static int load_doc(void *ctx, const struct store_row *r)
{
	struct reg_set *s = ctx;
	struct arena *a = &s->arena;
	struct reg_doc *d = reg_add_doc(s);
	const char *k = val_s(r, 0) ? val_s(r, 0) : "";
	d->kind = strcmp(k, "standard") == 0   ? REG_STANDARD
		  : strcmp(k, "doctrine") == 0 ? REG_DOCTRINE
					       : REG_POSITION;
	d->id = dup_s(a, r, 1);
	d->iso3 = dup_s(a, r, 2);
	d->title = dup_s(a, r, 3);
	d->date = dup_s(a, r, 4);
	d->url = dup_s(a, r, 5);
	d->doc_type = dup_s(a, r, 6);
	d->summary = dup_s(a, r, 7);
	d->criteria = json_strs(a, val_s(r, 8), &d->n_criteria);
	d->note = dup_s(a, r, 9);
	return 0;
}

struct victims_ctx {
	struct reg_set *s;
	struct reg_incident *inc;
	bool sectors;
};

static int load_link(void *ctx, const struct store_row *r)
{
	struct victims_ctx *x = ctx;
	struct arena *a = &x->s->arena;
	const char ***v = x->sectors ? &x->inc->sectors : &x->inc->victims;
	size_t *n = x->sectors ? &x->inc->n_sectors : &x->inc->n_victims;
	if (*n % 16 == 0) {
		const char **nv = arena_alloc(a, (*n + 16) * sizeof *nv);
		if (*n)
			memcpy(nv, *v, *n * sizeof *nv);
		*v = nv;
	}
	(*v)[(*n)++] = dup_s(a, r, 0);
	return 0;
}

/* Reads the whole registry back into s. */
static char *fts_query(const char *text);

/* The filters of an incident query, checked: a known state, a norm letter,
 * a date. */
static int query_ok(struct app *a, const struct app_incident_query *q,
		    struct cdg_err *e)
{
	if (q->state && !db_has_state(a, q->state))
		return err_at(e, CDG_ENOTFOUND, NULL, 0, "state",
			      "no state with code \"%s\"", q->state);
	if (q->norm && !fw_norm(&a->cat, q->norm))
		return err_at(e, CDG_EUSAGE, NULL, 0, "norm", "\"%s\" is not a norm "
			      "letter a-k", q->norm);
	if (q->since && !date_valid(q->since))
		return err_at(e, CDG_EUSAGE, NULL, 0, "since", "\"%s\" is not a date "
			      "(YYYY, YYYY-MM or YYYY-MM-DD)", q->since);
	return 0;
}

/* A part of the registry (an export of what a page shows): the incidents
 * a query finds, their attributions and the actors these name. */
struct kept {
	struct reg_set *s;
	struct strmap ids;        /* incident and actor ids kept */
	struct arena a;
};

static int keep_id(void *ctx, const struct store_row *r)
{
	struct kept *k = ctx;
	strmap_put(&k->ids, arena_strdup(&k->a, val_s(r, 0)), (void *)1);
	return 0;
}

static int load_incident_kept(void *ctx, const struct store_row *r)
{
	struct kept *k = ctx;
	return strmap_get(&k->ids, val_s(r, 0)) ? load_incident(k->s, r) : 0;
}

static int load_attr_kept(void *ctx, const struct store_row *r)
{
	struct kept *k = ctx;
	if (!strmap_get(&k->ids, val_s(r, 1)))
		return 0;
	if (val_s(r, 7))
		strmap_put(&k->ids, arena_strdup(&k->a, val_s(r, 7)), (void *)1);
	return load_attr(k->s, r);
}

static int load_actor_kept(void *ctx, const struct store_row *r)
{
	struct kept *k = ctx;
	return strmap_get(&k->ids, val_s(r, 0)) ? load_actor(k->s, r) : 0;
}

/* Loads the registry, or with q only the incidents q finds (then no
 * standards, doctrines or positions). */
static int load_set(struct store *st, struct reg_set *s, bool all_actors,
		    const struct app_incident_query *q, struct cdg_err *e)
{
	const char *none[] = {NULL};
	struct kept k = {.s = s};
	strmap_init(&k.ids);
	arena_init(&k.a);
	int rc = 0;
	if (q) {
		char *fq = q->search && *q->search ? fts_query(q->search) : NULL;
		const char *p[] = {q->state, q->norm, q->since, fq, q->id};
		rc = store_reg_each(st, "incidents", p, 5, keep_id, &k, e);
		free(fq);
	}
	if (rc == 0)
		rc = store_reg_each(st, "incidents", (const char *const[]){NULL, NULL, NULL, NULL},
				    4, q ? load_incident_kept : load_incident, q ? (void *)&k : s, e);
	if (rc == 0)
		rc = store_reg_each(st, "attributions", none, 1, q ? load_attr_kept : load_attr,
				    q ? (void *)&k : s, e);
	struct attr_index ax;
	attr_index_build(&ax, s);
	if (rc == 0)
		rc = store_reg_each(st, "invocations", none, 1, load_ref, &ax, e);
	if (rc == 0)
		rc = store_reg_each(st, "responses", none, 1, load_response, &ax, e);
	strmap_free(&ax.at);
	if (rc == 0)
		rc = store_reg_each(st, all_actors && !q ? "actors" : "actors_used", NULL, 0,
				    q ? load_actor_kept : load_actor, q ? (void *)&k : s, e);
	if (rc == 0)
		rc = store_reg_each(st, "actor_rels", NULL, 0, load_actor_rel, s, e);
	if (rc == 0 && !q)
		rc = store_reg_each(st, "docs", none, 1, load_doc, s, e);
	strmap_free(&k.ids);
	arena_free(&k.a);
	for (size_t i = 0; rc == 0 && i < s->n_incidents; i++) {
		const char *p[] = {s->incidents[i].id};
		struct victims_ctx x = {s, &s->incidents[i], false};
		rc = store_reg_each(st, "incident_victims", p, 1, load_link, &x, e);
		x.sectors = true;
		if (rc == 0)
			rc = store_reg_each(st, "incident_sectors", p, 1, load_link, &x, e);
	}
	return rc;
}

int app_registry_export(struct app *a, enum app_reg_format f, const char *now,
			bool all_actors, struct buf *out, struct cdg_err *e)
{
	return app_registry_export_query(a, f, now, all_actors, NULL, out, e);
}

int app_registry_export_query(struct app *a, enum app_reg_format f, const char *now,
			      bool all_actors, const struct app_incident_query *q,
			      struct buf *out, struct cdg_err *e)
{
	if (q) {
		int qrc = query_ok(a, q, e);
		if (qrc)
			return qrc;
	}
	struct reg_set s;
	reg_set_init(&s);
	int rc = load_set(a->st, &s, all_actors || f == APP_REG_JSON, q, e);
	if (rc == 0 && q && q->id && !s.n_incidents)
		rc = err_set(e, CDG_ENOTFOUND, "no incident with id \"%s\"", q->id);
	if (rc == 0) {
		if (f == APP_REG_CSV) {
			reg_csv_write(&s, out);
		} else if (f == APP_REG_JSON) {
			struct jw w;
			jw_init(&w, out, true);
			reg_json_write(&s, &w);
			buf_addc(out, '\n');
		} else {
			stix_write(&s, now, out);
		}
	}
	reg_set_free(&s);
	return rc;
}

/* ---- actors and their identity --------------------------------------------- */

struct actor_view {
	struct reg_set s;
	const char **origins;     /* per actor */
	size_t cap;
};

static int load_actor_origin(void *ctx, const struct store_row *r)
{
	struct actor_view *v = ctx;
	load_actor(&v->s, r);
	if (v->s.n_actors > v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->origins = xrealloc(v->origins, v->cap * sizeof *v->origins);
	}
	v->origins[v->s.n_actors - 1] = dup_s(&v->s.arena, r, 11);
	return 0;
}

/* Whether text contains the key of search (case and spacing ignored). */
static bool matches(struct arena *a, const char *text, const char *key)
{
	return strstr(reg_title_key(a, text), key) != NULL;
}

static void actor_ref(struct jw *w, const struct actor_view *v, size_t i)
{
	jw_kstr(w, "id", v->s.actors[i].id);
	jw_kstr(w, "name", v->s.actors[i].name);
	if (v->origins[i])
		jw_kstr(w, "origin", v->origins[i]);
}

int app_registry_actors_json(struct app *a, const char *search, struct jw *w,
			     struct cdg_err *e)
{
	struct actor_view v = {.cap = 0};
	reg_set_init(&v.s);
	int rc = store_reg_each(a->st, "actors", NULL, 0, load_actor_origin, &v, e);
	if (rc == 0)
		rc = store_reg_each(a->st, "actor_rels", NULL, 0, load_actor_rel, &v.s, e);
	size_t n = 0;
	struct reg_actor_link *links = rc == 0 ? reg_actor_links(&v.s, v.origins, &n) : NULL;
	/* Links by actor, both ways: link k is first[a] ... in order. */
	const char *key = search && *search ? reg_title_key(&v.s.arena, search) : NULL;
	jw_arr(w);
	for (size_t i = 0; rc == 0 && i < v.s.n_actors; i++) {
		const struct reg_actor *r = &v.s.actors[i];
		bool hit = !key || matches(&v.s.arena, r->name, key);
		for (size_t k = 0; !hit && k < r->n_aliases; k++)
			hit = matches(&v.s.arena, r->aliases[k], key);
		if (!hit)
			continue;
		jw_obj(w);
		actor_ref(w, &v, i);
		jw_kstr(w, "kind", r->kind);
		jw_key(w, "aliases");
		jw_arr(w);
		for (size_t k = 0; k < r->n_aliases; k++)
			jw_str(w, r->aliases[k]);
		jw_arr_end(w);
		jw_key(w, "sponsor");
		if (r->sponsor_iso3 || r->sponsor)
			jw_str(w, r->sponsor_iso3 ? r->sponsor_iso3 : r->sponsor);
		else
			jw_null(w);
		jw_key(w, "attributed_to");
		jw_arr(w);
		for (size_t k = 0; k < r->n_rels; k++) {
			jw_obj(w);
			for (size_t j = 0; j < v.s.n_actors; j++)
				if (strcmp(v.s.actors[j].id, r->rels[k].target) == 0)
					actor_ref(w, &v, j);
			if (r->rels[k].confidence >= 0)
				jw_kint(w, "confidence", r->rels[k].confidence);
			if (r->rels[k].source)
				jw_kstr(w, "source", r->rels[k].source);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_key(w, "same_group");
		jw_arr(w);
		for (size_t k = 0; k < n; k++) {
			if (links[k].a != i && links[k].b != i)
				continue;
			jw_obj(w);
			actor_ref(w, &v, links[k].a == i ? links[k].b : links[k].a);
			jw_kstr(w, "basis", links[k].basis);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	free(links);
	free(v.origins);
	reg_set_free(&v.s);
	return rc;
}

/* ---- queries ------------------------------------------------------------------- */

struct inc_ctx {
	struct app *a;
	struct jw *w;
	struct cdg_err *e;
	long found;         /* incidents written (app_incident_json) */
};

static int attr_json(void *ctx, const struct store_row *r)
{
	struct inc_ctx *x = ctx;
	struct jw *w = x->w;
	jw_obj(w);
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->names[i], "incident_id") == 0)
			continue;
		jw_key(w, r->names[i]);
		const struct store_val *v = &r->v[i];
		if (v->t == SV_INT)
			jw_int(w, v->i);
		else if (v->t == SV_NULL)
			jw_null(w);
		else if (strcmp(r->names[i], "party_members") == 0)
			jw_raw(w, v->s);
		else
			jw_str(w, v->s);
	}
	const char *p[] = {val_s(r, 0)};
	jw_key(w, "invocations");
	jw_arr(w);
	int rc = store_reg_each(x->a->st, "invocations", p, 1, row_to_json, w, x->e);
	jw_arr_end(w);
	jw_key(w, "responses");
	jw_arr(w);
	if (rc == 0)
		rc = store_reg_each(x->a->st, "responses", p, 1, row_to_json, w, x->e);
	jw_arr_end(w);
	jw_obj_end(w);
	return rc;
}

static int str_to_json(void *ctx, const struct store_row *r)
{
	jw_str(ctx, val_s(r, 0));
	return 0;
}

static int incident_json(void *ctx, const struct store_row *r)
{
	struct inc_ctx *x = ctx;
	struct jw *w = x->w;
	jw_obj(w);
	for (size_t i = 0; i < r->n; i++) {
		jw_key(w, r->names[i]);
		const struct store_val *v = &r->v[i];
		if (v->t == SV_INT && strcmp(r->names[i], "cert_targeted") == 0)
			jw_bool(w, v->i != 0);
		else if (v->t == SV_INT)
			jw_int(w, v->i);
		else if (v->t == SV_NULL)
			jw_null(w);
		else if (strcmp(r->names[i], "effects") == 0 ||
			 strcmp(r->names[i], "sources") == 0)
			jw_raw(w, v->s);
		else
			jw_str(w, v->s);
	}
	const char *p[] = {val_s(r, 0)};
	jw_key(w, "victim_states");
	jw_arr(w);
	int rc = store_reg_each(x->a->st, "incident_victims", p, 1, str_to_json, w, x->e);
	jw_arr_end(w);
	jw_key(w, "victim_sectors");
	jw_arr(w);
	if (rc == 0)
		rc = store_reg_each(x->a->st, "incident_sectors", p, 1, str_to_json, w, x->e);
	jw_arr_end(w);
	jw_key(w, "attributions");
	jw_arr(w);
	if (rc == 0)
		rc = store_reg_each(x->a->st, "attributions", p, 1, attr_json, x, x->e);
	jw_arr_end(w);
	jw_obj_end(w);
	return rc;
}

/* Free text as an FTS5 query.  Every word becomes a quoted prefix term
 * ("Wanna" finds WannaCry); words are all required, except that a word
 * OR (in capitals) between two others makes either of them enough.  Only
 * the quotes and the star are ours: a double quote inside a word is
 * doubled, so no input can reach FTS5's syntax (NEAR, NOT, columns,
 * parentheses are searched as text).  An OR at either end or after
 * another OR is a word like any other. */
static char *fts_query(const char *text)
{
	struct str words[64];
	size_t n = 0;
	for (const char *p = text; *p && n < sizeof words / sizeof words[0];) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *s = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (p > s)
			words[n++] = (struct str){s, (size_t)(p - s)};
	}
	struct buf b = BUF_INIT;
	bool or_next = false;
	for (size_t i = 0; i < n; i++) {
		bool is_or = words[i].n == 2 && memcmp(words[i].p, "OR", 2) == 0;
		if (is_or && b.len && !or_next && i + 1 < n) {
			or_next = true;
			continue;
		}
		if (b.len)
			buf_adds(&b, or_next ? " OR " : " ");
		or_next = false;
		buf_addc(&b, '"');
		for (size_t k = 0; k < words[i].n; k++) {
			if (words[i].p[k] == '"')
				buf_addc(&b, '"');
			buf_addc(&b, words[i].p[k]);
		}
		buf_adds(&b, "\"*");
	}
	return buf_detach(&b);
}

int app_incidents_json(struct app *a, const struct app_incident_query *q,
		       struct jw *w, struct cdg_err *e)
{
	int qrc = query_ok(a, q, e);
	if (qrc)
		return qrc;
	char *fq = q->search && *q->search ? fts_query(q->search) : NULL;
	const char *p[] = {q->state, q->norm, q->since, fq, NULL};
	struct inc_ctx x = {.a = a, .w = w, .e = e};
	jw_arr(w);
	int rc = store_reg_each(a->st, "incidents", p, 5, incident_json, &x, e);
	jw_arr_end(w);
	free(fq);
	return rc;
}

/* Counts the incidents written (there is at most one of an id). */
static int incident_one(void *ctx, const struct store_row *r)
{
	struct inc_ctx *x = ctx;
	x->found++;
	return incident_json(ctx, r);
}

int app_incident_json(struct app *a, const char *id, struct jw *w,
		      struct cdg_err *e)
{
	const char *p[] = {NULL, NULL, NULL, NULL, id};
	struct inc_ctx x = {.a = a, .w = w, .e = e};
	int rc = store_reg_each(a->st, "incidents", p, 5, incident_one, &x, e);
	if (rc == 0 && !x.found)
		rc = err_set(e, CDG_ENOTFOUND, "no incident with id \"%s\"", id);
	return rc;
}

/* The call-out view: per state attributed, every articulated violation of
 * a norm, with the independent parties that attributed it. */
struct viol {
	struct jw *w;
	char state[8];
	bool open;
	struct strmap parties;    /* party keys seen for this state */
	struct arena a;
	long n_parties, n_conf;
	long conf_min, conf_max;
	long items;
	long stated, mapped;      /* this state's items of each mark */
	long named;               /* of the mapped, those whose words name a norm */
	long all_stated, all_mapped, all_named; /* every state's */
};

/* How an item names the norm: the statement's own words give its letter;
 * or they name a norm without its letter, which is our reading of them
 * (a norm_mapping beside a commitment to the norms); or only our reading
 * does. */
#define REG_MARK_STATED "stated in the text"
#define REG_MARK_NAMED "norm named in the text, letter by our mapping"
#define REG_MARK_MAPPING "our mapping"

static void viol_close(struct viol *v)
{
	if (!v->open)
		return;
	jw_arr_end(v->w);
	jw_kint(v->w, "independent_parties", v->n_parties);
	jw_kint(v->w, "violations", v->items);
	jw_kint(v->w, "stated_in_text", v->stated);
	jw_kint(v->w, "our_mapping", v->mapped);
	jw_kint(v->w, "named_in_words", v->named);
	jw_key(v->w, "confidence");
	jw_obj(v->w);
	jw_kint(v->w, "stated", v->n_conf);
	if (v->n_conf) {
		jw_kint(v->w, "min", v->conf_min);
		jw_kint(v->w, "max", v->conf_max);
	}
	jw_obj_end(v->w);
	jw_obj_end(v->w);
	strmap_free(&v->parties);
	arena_free(&v->a);
	v->open = false;
}

static int viol_row(void *ctx, const struct store_row *r)
{
	struct viol *v = ctx;
	const char *state = val_s(r, 0) ? val_s(r, 0) : "unknown";
	if (!v->open || strcmp(v->state, state) != 0) {
		viol_close(v);
		snprintf(v->state, sizeof v->state, "%s", state);
		v->open = true;
		strmap_init(&v->parties);
		arena_init(&v->a);
		v->n_parties = v->n_conf = v->items = v->stated = v->mapped = 0;
		v->named = 0;
		jw_obj(v->w);
		jw_kstr(v->w, "state", state);
		jw_key(v->w, "items");
		jw_arr(v->w);
	}
	const char *party = val_s(r, 7) ? val_s(r, 7) : val_s(r, 6);
	if (!strmap_get(&v->parties, party)) {
		strmap_put(&v->parties, arena_strdup(&v->a, party), (void *)1);
		v->n_parties++;
	}
	if (r->v[11].t == SV_INT) {
		long c = (long)r->v[11].i;
		if (!v->n_conf || c < v->conf_min)
			v->conf_min = c;
		if (!v->n_conf || c > v->conf_max)
			v->conf_max = c;
		v->n_conf++;
	}
	v->items++;
	jw_obj(v->w);
	for (size_t i = 1; i < r->n; i++) {
		if (strcmp(r->names[i], "named_in_words") == 0)
			continue;
		jw_key(v->w, r->names[i]);
		if (r->v[i].t == SV_INT)
			jw_int(v->w, r->v[i].i);
		else if (r->v[i].t == SV_NULL)
			jw_null(v->w);
		else
			jw_str(v->w, r->v[i].s);
	}
	const char *kind = val_s(r, 13);
	bool stated = kind && strcmp(kind, "norm") == 0;
	bool named = !stated && val_i(r, 18, 0) != 0;
	jw_kbool(v->w, "stated", stated);
	jw_kbool(v->w, "named_in_words", stated || named);
	jw_kstr(v->w, "marked", stated ? REG_MARK_STATED : named ? REG_MARK_NAMED
		: REG_MARK_MAPPING);
	if (stated) {
		v->stated++;
		v->all_stated++;
	} else {
		v->mapped++;
		v->all_mapped++;
		v->named += named;
		v->all_named += named;
	}
	jw_obj_end(v->w);
	return 0;
}

int app_norm_violations_json(struct app *a, const char *norm, struct jw *w,
			     struct cdg_err *e)
{
	const struct fw_norm *n = fw_norm(&a->cat, norm);
	if (!n)
		return err_at(e, CDG_EUSAGE, NULL, 0, "norm", "\"%s\" is not a norm "
			      "letter a-k", norm);
	jw_obj(w);
	jw_kstr(w, "norm", n->id);
	jw_kstr(w, "paragraph", n->paragraph);
	jw_kstr(w, "title", n->title);
	jw_key(w, "states");
	jw_arr(w);
	struct viol v = {.w = w};
	const char *p[] = {norm};
	int rc = store_reg_each(a->st, "violations", p, 1, viol_row, &v, e);
	viol_close(&v);
	jw_arr_end(w);
	jw_kint(w, "stated_in_text", v.all_stated);
	jw_kint(w, "our_mapping", v.all_mapped);
	jw_kint(w, "named_in_words", v.all_named);
	jw_obj_end(w);
	return rc;
}

struct country_ctx {
	struct jw *w;
	const char *want;         /* "by" or "against" */
};

static int country_attr(void *ctx, const struct store_row *r)
{
	struct country_ctx *x = ctx;
	if (strcmp(val_s(r, 0), x->want) != 0)
		return 0;
	struct jw *w = x->w;
	jw_obj(w);
	for (size_t i = 1; i < r->n; i++) {
		if (strcmp(r->names[i], "incident_id") == 0)
			continue;
		jw_key(w, r->names[i]);
		if (r->v[i].t == SV_INT)
			jw_int(w, r->v[i].i);
		else if (r->v[i].t == SV_NULL)
			jw_null(w);
		else if (strcmp(r->names[i], "party_members") == 0)
			jw_raw(w, r->v[i].s);
		else
			jw_str(w, r->v[i].s);
	}
	jw_obj_end(w);
	return 0;
}

struct doc_ctx {
	struct jw *w;
	const char *kind;
};

static int country_doc(void *ctx, const struct store_row *r)
{
	struct doc_ctx *x = ctx;
	if (strcmp(val_s(r, 0), x->kind) == 0)
		row_obj(x->w, r);
	return 0;
}

int app_registry_country_json(struct app *a, const char *iso3, struct jw *w,
			      struct cdg_err *e)
{
	const char *p[] = {iso3};
	int rc = 0;
	static const char *const roles[][2] = {{"attributions_by", "by"},
					       {"attributions_against", "against"}};
	for (int i = 0; i < 2 && rc == 0; i++) {
		struct country_ctx x = {w, roles[i][1]};
		jw_key(w, roles[i][0]);
		jw_arr(w);
		rc = store_reg_each(a->st, "country_attributions", p, 1, country_attr, &x, e);
		jw_arr_end(w);
	}
	static const char *const docs[][2] = {
		{"attribution_standards", "standard"},
		{"deterrence_doctrines", "doctrine"},
		{"il_positions", "position"}};
	for (int i = 0; i < 3 && rc == 0; i++) {
		struct doc_ctx x = {w, docs[i][1]};
		jw_key(w, docs[i][0]);
		jw_arr(w);
		rc = store_reg_each(a->st, "docs", p, 1, country_doc, &x, e);
		jw_arr_end(w);
	}
	return rc;
}
