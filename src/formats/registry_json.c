/* cdg's registry JSON ("cdg-registry/1"): full records.  See formats.h and
 * docs/registry.md for the keys. */
#include "formats/formats.h"
#include "formats/registry_int.h"

#include <assert.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Line of the k-th (0-based) occurrence of "key": in text, 0 if absent:
 * jansson keeps no positions for values. */
/* The lines of every "key": in the text, for the few keys the readers
 * ask for, each key found in one pass when first asked: looking each
 * record's line up from the start of the text made an import quadratic
 * in the file's size (an 8,000-attribution file took 32 s). */
struct key_index {
	const char *text;
	const char *key[4];       /* keys asked for so far, NULL: free */
	long *line[4];            /* line of each occurrence (malloc'ed) */
	size_t n[4];
};

/* The line of the k-th "key": (from 0), 0 if there are fewer. */
static long key_line(struct key_index *ki, const char *key, size_t k)
{
	size_t i = 0;
	while (i < 4 && ki->key[i] && strcmp(ki->key[i], key) != 0)
		i++;
	assert(i < 4);
	if (!ki->key[i]) {
		ki->key[i] = key;
		ki->n[i] = json_key_lines(ki->text, key, &ki->line[i]);
	}
	return k < ki->n[i] ? ki->line[i][k] : 0;
}

struct jsrc {
	json_t *o;
	struct arena *a;
};

json_t *reg_load_json(struct cctx *x, const char *text, size_t n)
{
	json_error_t je;
	json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		x->line = je.line;
		reg_fault(x, NULL, "%s", je.text);
	}
	return root;
}

static const char *json_get(const void *src, const char *key)
{
	const struct jsrc *j = src;
	json_t *v = json_object_get(j->o, key);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(j->a, "%lld", (long long)json_integer_value(v));
	return "";
}

/* An array of strings under key (NULL if absent); a fault if it is not
 * one. */
static const char **str_array(struct cctx *x, json_t *o, const char *key,
			      size_t *n)
{
	*n = 0;
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		reg_fault(x, key, "must be an array of strings");
		return NULL;
	}
	const char **out = arena_alloc(&x->s->arena,
				       (json_array_size(v) + 1) * sizeof *out);
	size_t i;
	json_t *it;
	json_array_foreach(v, i, it) {
		if (!json_is_string(it)) {
			reg_fault(x, key, "item %zu is not a string", i + 1);
			continue;
		}
		out[(*n)++] = arena_strdup(&x->s->arena, json_string_value(it));
	}
	return out;
}

static const char *str(struct cctx *x, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		reg_fault(x, key, "must be a string");
		return NULL;
	}
	return reg_opt(&x->s->arena, json_string_value(v));
}

/* A record's "created" and "modified" (STIX timestamps, both or
 * neither, modified not before created). */
static void stamps(struct cctx *x, json_t *o, const char **created,
		   const char **modified)
{
	*created = str(x, o, "created");
	*modified = str(x, o, "modified");
	if (!*created && !*modified)
		return;
	if (!*created || !*modified) {
		reg_fault(x, *created ? "modified" : "created", "give created and "
			  "modified together");
	} else if (!reg_stix_ts_ok(*created, true) || !reg_stix_ts_ok(*modified, true)) {
		reg_fault(x, reg_stix_ts_ok(*created, true) ? "modified" : "created",
			  "needs a timestamp YYYY-MM-DDTHH:MM:SS.sssZ");
	} else if (strcmp(*modified, *created) < 0) {
		reg_fault(x, "modified", "%s is earlier than created (%s)", *modified,
			  *created);
	} else {
		return;
	}
	*created = *modified = NULL;
}

static const char *const effects[] = {"disruption", "destruction",
	"data-theft", "espionage", "data-manipulation", "extortion",
	"influence", "reconnaissance", "other", NULL};
static const char *const response_kinds[] = {"sanctions", "indictment",
	"expulsion", "demarche", "other", NULL};

static bool one_of(const char *s, const char *const *l)
{
	for (; *l; l++)
		if (strcmp(s, *l) == 0)
			return true;
	return false;
}

static void read_invocations(struct cctx *x, struct reg_attr *r, json_t *v)
{
	if (!json_is_array(v)) {
		reg_fault(x, "invocations", "must be an array");
		return;
	}
	struct arena *a = &x->s->arena;
	r->refs = arena_alloc(a, (json_array_size(v) + 1) * sizeof *r->refs);
	r->n_refs = 0;
	size_t i;
	json_t *it;
	json_array_foreach(v, i, it) {
		struct reg_ref *f = &r->refs[r->n_refs];
		const char *text = str(x, it, "text");
		const char *kind = str(x, it, "kind");
		const char *norm = str(x, it, "norm");
		if (!text && !norm) {
			reg_fault(x, "invocations", "item %zu needs text or norm", i + 1);
			continue;
		}
		struct cdg_err e;
		err_clear(&e);
		if (reg_ref_parse(text ? text : norm, a, f, &e)) {
			reg_fault(x, "invocations", "%s", e.msg);
			continue;
		}
		if (norm) {
			if (strlen(norm) != 1 || norm[0] < 'a' || norm[0] > 'k') {
				reg_fault(x, "norm", "norm letter \"%s\" is outside a-k "
					  "(GGE 2015 norms 13(a) to 13(k))", norm);
				continue;
			}
			f->norm = norm[0];
			if (f->kind != REG_NORM_MAPPING)
				f->kind = REG_NORM;
		}
		if (kind) {
			int k = reg_ref_kind_parse(kind);
			if (k < 0) {
				reg_fault(x, "kind", "\"%s\" is not a kind of reference "
					  "(norm, norm_mapping, international_law, "
					  "commitment, general, domestic_law, "
					  "sanctions, other)", kind);
				continue;
			}
			f->kind = (enum reg_ref_kind)k;
			if ((k == REG_NORM || k == REG_NORM_MAPPING) != (f->norm != 0)) {
				reg_fault(x, "norm", "a %s reference %s a norm letter",
					  kind, f->norm ? "takes no" : "needs");
				continue;
			}
		}
		const char *rule = str(x, it, "rule");
		if (rule)
			f->rule = rule;
		const char *how = str(x, it, "articulation");
		if (how)
			f->articulation = how;
		r->n_refs++;
	}
}

static void read_responses(struct cctx *x, struct reg_attr *r, json_t *v)
{
	if (!json_is_array(v)) {
		reg_fault(x, "responses", "must be an array");
		return;
	}
	r->responses = arena_alloc(&x->s->arena,
				   (json_array_size(v) + 1) * sizeof *r->responses);
	size_t i;
	json_t *it;
	json_array_foreach(v, i, it) {
		struct reg_response *p = &r->responses[r->n_responses];
		p->kind = str(x, it, "kind");
		p->date = str(x, it, "date");
		p->description = str(x, it, "description");
		p->url = str(x, it, "url");
		if (!p->kind || !one_of(p->kind, response_kinds)) {
			reg_fault(x, "responses", "kind must be sanctions, indictment, "
				  "expulsion, demarche or other");
			continue;
		}
		if (!p->description) {
			reg_fault(x, "responses", "a response needs a description");
			continue;
		}
		if (p->date && !date_valid(p->date)) {
			reg_fault(x, "responses", "\"%s\" is not a date", p->date);
			continue;
		}
		if (p->date && reg_date_before(p->date, r->date)) {
			reg_fault(x, "responses", "%s precedes the attribution (%s)",
				  p->date, r->date);
			continue;
		}
		if (p->url && !reg_url_ok(p->url)) {
			reg_fault(x, "responses", "\"%s\" is not an http(s) URL", p->url);
			continue;
		}
		r->n_responses++;
	}
}

static void read_incident(struct cctx *x, json_t *o, size_t k,
			  struct key_index *ki)
{
	struct reg_set *s = x->s;
	struct arena *a = &s->arena;
	x->line = key_line(ki, "incident", k);
	const char *title = str(x, o, "incident");
	if (!title) {
		reg_fault(x, "incident", "an incident needs its title under "
			  "\"incident\"");
		return;
	}
	struct reg_incident *inc = reg_add_incident(s);
	inc->line = x->line;
	inc->title = title;
	const char *id = str(x, o, "id");
	if (id) {
		/* A UUID; a STIX id ("incident--" or "campaign--" and a UUID),
		 * as files written before migration 14 hold, is read as its
		 * UUID: an incident has one id (docs/registry.md). */
		if (!reg_uuid_ok(id) && !reg_stix_id_ok(id, "incident") &&
		    !reg_stix_id_ok(id, "campaign"))
			reg_fault(x, "id", "\"%s\" is not a UUID", id);
		inc->id = reg_incident_uuid(a, id);
		reg_incident_key(s, title, inc->id);
	} else {
		inc->id = reg_incident_id(s, title);
	}
	stamps(x, o, &inc->created, &inc->modified);
	inc->start = str(x, o, "incident_date");
	inc->end = str(x, o, "end_date");
	inc->description = str(x, o, "description");
	if (inc->start && !date_valid(inc->start)) {
		reg_fault(x, "incident_date", "\"%s\" is not a date", inc->start);
		inc->start = NULL;
	}
	if (inc->end && !date_valid(inc->end))
		reg_fault(x, "end_date", "\"%s\" is not a date", inc->end);
	else if (inc->end && inc->start && reg_date_before(inc->end, inc->start))
		reg_fault(x, "end_date", "%s precedes the start (%s)", inc->end,
			  inc->start);
	json_t *cert = json_object_get(o, "cert_targeted");
	if (json_is_boolean(cert))
		inc->cert_targeted = json_is_true(cert);
	else if (cert && !json_is_null(cert))
		reg_fault(x, "cert_targeted", "must be true, false or null");
	inc->effects = str_array(x, o, "effects", &inc->n_effects);
	for (size_t i = 0; i < inc->n_effects; i++)
		if (!one_of(inc->effects[i], effects))
			reg_fault(x, "effects", "\"%s\" is not an effect (disruption, "
				  "destruction, data-theft, espionage, "
				  "data-manipulation, extortion, influence, "
				  "reconnaissance, other)", inc->effects[i]);
	size_t nv;
	const char **victims = str_array(x, o, "victim_states", &nv);
	inc->victims = arena_alloc(a, (nv + 1) * sizeof *inc->victims);
	inc->victim_entities = arena_alloc(a, (nv + 1) * sizeof *inc->victim_entities);
	for (size_t i = 0; i < nv; i++) {
		const char *iso = reg_names_state(x->names, victims[i]);
		const struct reg_entity *t = iso ? NULL : reg_names_entity(x->names, victims[i]);
		if (iso)
			inc->victims[inc->n_victims++] = iso;
		else if (t) /* a non-UN entity: kept, flagged */
			inc->victim_entities[inc->n_victim_entities++] = t->code;
		else
			reg_fault(x, "victim_states", "%s",
				  reg_names_why(x->names, victims[i], a));
	}
	inc->sectors = str_array(x, o, "victim_sectors", &inc->n_sectors);
	inc->sources = str_array(x, o, "sources", &inc->n_sources);
	for (size_t i = 0; i < inc->n_sources; i++)
		if (!reg_url_ok(inc->sources[i]))
			reg_fault(x, "sources", "\"%s\" is not an http(s) URL",
				  inc->sources[i]);
	/* inc may move when attributions add incidents: none do. */
	const struct reg_incident *saved = inc;
	json_t *attrs = json_object_get(o, "attributions");
	if (attrs && !json_is_array(attrs)) {
		reg_fault(x, "attributions", "must be an array");
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(attrs, i, it) {
		x->line = key_line(ki, "attribution_date", s->n_attrs);
		struct jsrc js = {it, a};
		struct reg_src src = {json_get, &js};
		struct reg_attr *r = reg_read_attr(x, &src, saved);
		json_t *inv = json_object_get(it, "invocations");
		if (inv)
			read_invocations(x, r, inv);
		json_t *resp = json_object_get(it, "responses");
		if (resp)
			read_responses(x, r, resp);
		r->actor_id = str(x, it, "actor_id");
		stamps(x, it, &r->created, &r->modified);
	}
}

static void read_doc(struct cctx *x, json_t *o, enum reg_doc_kind kind,
		     const char *key, size_t k, struct key_index *ki)
{
	struct arena *a = &x->s->arena;
	x->line = key_line(ki, "title", k);
	struct reg_doc *d = reg_add_doc(x->s);
	d->kind = kind;
	d->line = x->line;
	d->title = str(x, o, "title");
	d->date = str(x, o, "date");
	d->url = str(x, o, "url");
	d->note = str(x, o, "note");
	d->doc_type = str(x, o, "document_type");
	d->summary = str(x, o, "summary");
	d->criteria = str_array(x, o, "criteria", &d->n_criteria);
	const char *state = str(x, o, "state");
	if (!d->title)
		reg_fault(x, "title", "a %s needs a title", key);
	if (!d->date || !date_valid(d->date))
		reg_fault(x, "date", "a %s needs a date (YYYY, YYYY-MM or "
			  "YYYY-MM-DD)", key);
	if (!d->url || !reg_url_ok(d->url))
		reg_fault(x, "url", "a %s needs an http(s) URL", key);
	d->iso3 = state ? reg_names_state(x->names, state) : NULL;
	if (!d->iso3)
		reg_fault(x, "state", "%s", reg_names_why(x->names, state ? state : "", a));
	const char *id = str(x, o, "id");
	if (id) {
		d->id = id;
	} else {
		char u[37];
		reg_uuid(key, arena_printf(a, "%s|%s|%s", d->iso3 ? d->iso3 : "",
					   d->date ? d->date : "",
					   d->title ? d->title : ""), u);
		d->id = arena_strdup(a, u);
	}
}

static void read_actor(struct cctx *x, json_t *o, size_t k,
		       struct key_index *ki)
{
	x->line = key_line(ki, "name", k);
	struct reg_actor *r = reg_add_actor(x->s);
	r->line = x->line;
	r->id = str(x, o, "id");
	r->kind = str(x, o, "kind");
	r->name = str(x, o, "name");
	r->description = str(x, o, "description");
	r->sponsor = str(x, o, "sponsor");
	r->aliases = str_array(x, o, "aliases", &r->n_aliases);
	/* An actor's aliases never repeat its name (as in STIX). */
	size_t kept = 0;
	for (size_t i = 0; i < r->n_aliases; i++)
		if (!r->name || strcmp(r->aliases[i], r->name) != 0)
			r->aliases[kept++] = r->aliases[i];
	r->n_aliases = kept;
	r->refs = str_array(x, o, "refs", &r->n_refs);
	if (!r->id || !r->name)
		reg_fault(x, "id", "an actor needs an id and a name");
	if (!r->kind || (strcmp(r->kind, "intrusion-set") != 0 &&
			 strcmp(r->kind, "threat-actor") != 0))
		reg_fault(x, "kind", "an actor is an intrusion-set or a threat-actor");
	else if (r->id && !reg_stix_id_ok(r->id, r->kind))
		reg_fault(x, "id", "\"%s\" is not a STIX id (\"%s--\" and a UUID)",
			  r->id, r->kind);
	if (r->sponsor) {
		r->sponsor_iso3 = reg_names_state(x->names, r->sponsor);
		/* A non-UN entity (Taiwan) stays as written, flagged. */
		const struct reg_entity *t = r->sponsor_iso3 ? NULL
					     : reg_names_entity(x->names, r->sponsor);
		r->sponsor_entity = t ? t->code : NULL;
		if (!r->sponsor_iso3 && !t)
			reg_fault(x, "sponsor", "%s",
				  reg_names_why(x->names, r->sponsor, &x->s->arena));
	}
	json_t *c = json_object_get(o, "confidence");
	if (c && !json_is_null(c)) {
		if (!json_is_integer(c) || json_integer_value(c) < 0 ||
		    json_integer_value(c) > 100)
			reg_fault(x, "confidence", "must be an integer from 0 to 100");
		else
			r->confidence = (int)json_integer_value(c);
	}
	const char *as_written = str(x, o, "sponsor_text");
	if (as_written && r->sponsor)
		r->sponsor = as_written;
	stamps(x, o, &r->created, &r->modified);
	/* What the actor is attributed to: other actors of the file or of
	 * the registry (the app checks that they exist). */
	json_t *to = json_object_get(o, "attributed_to");
	if (to && !json_is_array(to)) {
		reg_fault(x, "attributed_to", "must be an array");
		return;
	}
	r->rels = arena_alloc(&x->s->arena, (json_array_size(to) + 1) * sizeof *r->rels);
	size_t i;
	json_t *it;
	json_array_foreach(to, i, it) {
		struct reg_actor_rel *l = &r->rels[r->n_rels];
		l->target = str(x, it, "actor_id");
		l->source = str(x, it, "source");
		l->confidence = -1;
		json_t *lc = json_object_get(it, "confidence");
		if (lc && !json_is_null(lc)) {
			if (!json_is_integer(lc) || json_integer_value(lc) < 0 ||
			    json_integer_value(lc) > 100) {
				reg_fault(x, "attributed_to", "confidence must be an "
					  "integer from 0 to 100");
				continue;
			}
			l->confidence = (int)json_integer_value(lc);
		}
		if (!l->target || (!reg_stix_id_ok(l->target, "threat-actor") &&
				   !reg_stix_id_ok(l->target, "intrusion-set"))) {
			reg_fault(x, "attributed_to", "item %zu needs the actor_id of an "
				  "intrusion-set or threat-actor", i + 1);
			continue;
		}
		r->n_rels++;
	}
}

int reg_json_parse(struct reg_set *s, const char *name, const char *text,
		   size_t n, const struct reg_names *names,
		   struct err_list *errs)
{
	struct cctx x = {s, names, name, errs, 0, NULL};
	long before = errs->total;
	json_t *root = reg_load_json(&x, text, n);
	struct key_index ki = {.text = text};
	if (!root)
		return CDG_EINPUT;
	json_t *fmt = json_object_get(root, "format");
	if (!json_is_string(fmt) || strcmp(json_string_value(fmt), REG_JSON_FORMAT) != 0) {
		x.line = 1;
		reg_fault(&x, "format", "not a registry file (\"format\": \"%s\")",
			  REG_JSON_FORMAT);
		json_decref(root);
		return CDG_EINPUT;
	}
	static const struct {
		const char *key;
		enum reg_doc_kind kind;
		const char *one;
	} docs[] = {{"standards", REG_STANDARD, "standard"},
		    {"doctrines", REG_DOCTRINE, "doctrine"},
		    {"positions", REG_POSITION, "position"}};
	size_t i, ndoc = 0;
	json_t *it;
	json_array_foreach(json_object_get(root, "actors"), i, it)
		read_actor(&x, it, i, &ki);
	for (size_t d = 0; d < 3; d++)
		json_array_foreach(json_object_get(root, docs[d].key), i, it)
			read_doc(&x, it, docs[d].kind, docs[d].one, ndoc++, &ki);
	json_array_foreach(json_object_get(root, "incidents"), i, it)
		read_incident(&x, it, i, &ki);
	for (size_t k = 0; k < 4; k++)
		free(ki.line[k]);
	json_decref(root);
	return errs->total > before ? CDG_EINPUT : 0;
}

/* ---- writer ------------------------------------------------------------- */

void reg_write_refs(struct jw *w, const struct reg_ref *refs, size_t n)
{
	jw_key(w, "invocations");
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		const struct reg_ref *f = &refs[i];
		char l[2] = {f->norm, 0};
		jw_obj(w);
		jw_kstr(w, "kind", reg_ref_kind_name(f->kind));
		if (f->norm)
			jw_kstr(w, "norm", l);
		jw_kstr_opt(w, "rule", f->rule);
		jw_kstr(w, "text", f->text);
		jw_kstr_opt(w, "articulation", f->articulation);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void write_attr(const struct reg_attr *r, struct jw *w)
{
	jw_obj(w);
	jw_kstr(w, "id", r->id);
	struct buf b = BUF_INIT;
	if (r->party_iso3)
		buf_adds(&b, r->party_iso3);
	else if (r->n_members)
		for (size_t i = 0; i < r->n_members; i++)
			buf_addf(&b, "%s%s", i ? "+" : "", r->members[i]);
	else
		buf_adds(&b, r->party_name);
	jw_kstr(w, "attributing_party", b.p);
	jw_kstr(w, "party_kind", r->party_kind);
	buf_reset(&b);
	if (r->actor)
		buf_addf(&b, "%s (%s)", r->actor,
			 r->target_iso3 ? r->target_iso3 : "unknown");
	else
		buf_adds(&b, r->target_iso3 ? r->target_iso3 : "");
	jw_kstr(w, "attributed_to", b.p);
	buf_free(&b);
	/* The actor alone too: "Russian Federation (RUS)" reads as the State. */
	jw_kstr_opt(w, "attributed_actor", r->actor);
	jw_kstr_opt(w, "actor_id", r->actor_id);
	jw_kstr(w, "attribution_date", r->date);
	jw_kstr(w, "statement_title", r->title);
	jw_kstr(w, "statement_url", r->url);
	if (r->confidence >= 0)
		jw_kint(w, "confidence", r->confidence);
	jw_kstr_opt(w, "basis", r->basis);
	jw_kstr_opt(w, "standard", r->standard);
	jw_kstr_opt(w, "norm_or_law_invoked", r->invoked);
	reg_write_refs(w, r->refs, r->n_refs);
	jw_key(w, "responses");
	reg_write_responses(w, r->responses, r->n_responses);
	jw_kstr_opt(w, "note", r->note);
	jw_kstr_opt(w, "created", r->created);
	jw_kstr_opt(w, "modified", r->modified);
	jw_obj_end(w);
}

void reg_write_responses(struct jw *w, const struct reg_response *v, size_t n)
{
	jw_arr(w);
	for (size_t i = 0; i < n; i++) {
		jw_obj(w);
		jw_kstr(w, "kind", v[i].kind);
		jw_kstr_opt(w, "date", v[i].date);
		jw_kstr(w, "description", v[i].description);
		jw_kstr_opt(w, "url", v[i].url);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

void reg_json_write(const struct reg_set *s, struct jw *w)
{
	/* The attributions of each incident id, in the set's order, found in
	 * one pass (1 + index; 0 ends a list), not by a scan per incident. */
	size_t *first = xcalloc(s->n_incidents + 1, sizeof *first);
	size_t *last = xcalloc(s->n_incidents + 1, sizeof *last);
	size_t *next = xcalloc(s->n_attrs + 1, sizeof *next);
	struct strmap at;          /* incident id -> 1 + its list */
	strmap_init(&at);
	size_t lists = 0;
	for (size_t i = 0; i < s->n_incidents; i++)
		if (!strmap_get(&at, s->incidents[i].id))
			strmap_put(&at, s->incidents[i].id, (void *)(uintptr_t)++lists);
	for (size_t k = 0; k < s->n_attrs; k++) {
		uintptr_t l = s->attrs[k].incident
			      ? (uintptr_t)strmap_get(&at, s->attrs[k].incident) : 0;
		if (!l)
			continue;
		if (last[l - 1])
			next[last[l - 1] - 1] = k + 1;
		else
			first[l - 1] = k + 1;
		last[l - 1] = k + 1;
	}
	jw_obj(w);
	jw_kstr(w, "format", REG_JSON_FORMAT);
	jw_key(w, "incidents");
	jw_arr(w);
	for (size_t i = 0; i < s->n_incidents; i++) {
		const struct reg_incident *inc = &s->incidents[i];
		jw_obj(w);
		jw_kstr(w, "id", inc->id);
		jw_kstr(w, "incident", inc->title);
		jw_kstr_opt(w, "incident_date", inc->start);
		jw_kstr_opt(w, "end_date", inc->end);
		jw_kstr_opt(w, "description", inc->description);
		jw_kstrs(w, "effects", inc->effects, inc->n_effects);
		jw_key(w, "cert_targeted");
		if (inc->cert_targeted < 0)
			jw_null(w);
		else
			jw_bool(w, inc->cert_targeted == 1);
		jw_kstrs(w, "victim_states", inc->victims, inc->n_victims);
		jw_kstrs(w, "victim_sectors", inc->sectors, inc->n_sectors);
		jw_kstrs(w, "sources", inc->sources, inc->n_sources);
		jw_kstr_opt(w, "created", inc->created);
		jw_kstr_opt(w, "modified", inc->modified);
		jw_key(w, "attributions");
		jw_arr(w);
		uintptr_t l = (uintptr_t)strmap_get(&at, inc->id);
		for (size_t k = l ? first[l - 1] : 0; k; k = next[k - 1])
			write_attr(&s->attrs[k - 1], w);
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	strmap_free(&at);
	free(first);
	free(last);
	free(next);
	jw_key(w, "actors");
	jw_arr(w);
	for (size_t i = 0; i < s->n_actors; i++) {
		const struct reg_actor *r = &s->actors[i];
		jw_obj(w);
		jw_kstr(w, "id", r->id);
		jw_kstr(w, "kind", r->kind);
		jw_kstr(w, "name", r->name);
		jw_kstrs(w, "aliases", r->aliases, r->n_aliases);
		jw_kstr_opt(w, "sponsor", r->sponsor_iso3 ? r->sponsor_iso3 : r->sponsor);
		/* As written ("Russian Federation", "RU"), when not the same. */
		if (r->sponsor && r->sponsor_iso3 && strcmp(r->sponsor, r->sponsor_iso3) != 0)
			jw_kstr(w, "sponsor_text", r->sponsor);
		if (r->confidence >= 0)
			jw_kint(w, "confidence", r->confidence);
		jw_kstr_opt(w, "description", r->description);
		jw_kstrs(w, "refs", r->refs, r->n_refs);
		if (r->n_rels) {
			jw_key(w, "attributed_to");
			jw_arr(w);
			for (size_t k = 0; k < r->n_rels; k++) {
				jw_obj(w);
				jw_kstr(w, "actor_id", r->rels[k].target);
				if (r->rels[k].confidence >= 0)
					jw_kint(w, "confidence", r->rels[k].confidence);
				jw_kstr_opt(w, "source", r->rels[k].source);
				jw_obj_end(w);
			}
			jw_arr_end(w);
		}
		jw_kstr_opt(w, "created", r->created);
		jw_kstr_opt(w, "modified", r->modified);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	static const char *const keys[] = {"standards", "doctrines", "positions"};
	for (int kind = 0; kind < 3; kind++) {
		jw_key(w, keys[kind]);
		jw_arr(w);
		for (size_t i = 0; i < s->n_docs; i++) {
			const struct reg_doc *d = &s->docs[i];
			if ((int)d->kind != kind)
				continue;
			jw_obj(w);
			jw_kstr(w, "id", d->id);
			jw_kstr(w, "state", d->iso3);
			jw_kstr(w, "title", d->title);
			jw_kstr(w, "date", d->date);
			jw_kstr(w, "url", d->url);
			jw_kstr_opt(w, "document_type", d->doc_type);
			jw_kstr_opt(w, "summary", d->summary);
			if (kind == REG_STANDARD)
				jw_kstrs(w, "criteria", d->criteria, d->n_criteria);
			jw_kstr_opt(w, "note", d->note);
			jw_obj_end(w);
		}
		jw_arr_end(w);
	}
	jw_obj_end(w);
}
