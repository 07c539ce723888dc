/* STIX 2.1 bundles and MISP galaxy clusters for the registry: see
 * formats.h and docs/registry.md. */
#include "formats/formats.h"
#include "formats/registry_int.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The OASIS Incident Core Extension and cdg's own property extension. */
#define STIX_INCIDENT_EXT "extension-definition--ef765651-680c-498d-9894-99799f2fa126"
#define STIX_TLP_CLEAR "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
/* created and modified of the objects cdg derives whose content never
 * changes (its own identity and extension definition, a State's identity,
 * the threat actor standing for a State's organs): any fixed instant
 * would do; this is when the extension was first written. */
#define STIX_FIXED "2026-01-01T00:00:00.000Z"
/* The bundle's id before it is known (patched in place, same length). */
#define STIX_BUNDLE_TBD "bundle--00000000-0000-5000-8000-000000000000"

/* cdg's extension-definition id: a name-based UUID, as every export has
 * written it. */
static void ext_id(char out[64])
{
	char u[37];
	reg_uuid("extension", "cdg-registry/1", u);
	snprintf(out, 64, "extension-definition--%s", u);
}

/* ---- writer ----------------------------------------------------------------- */

/* The version of an object: its record's created and modified. */
struct ver {
	const char *created, *modified;
};

struct sw {
	const struct reg_set *s;
	struct jw *w;
	const char *now;         /* for records that carry no timestamps */
	char producer[64];       /* identity id of cdg */
	char ext[64];            /* cdg extension-definition id */
	struct strmap done;      /* ids already written */
	struct arena a;          /* ids and keys */
};

static const char *sid(struct sw *x, const char *type, const char *kind,
		       const char *name)
{
	char u[37];
	reg_uuid(kind, name, u);
	return arena_printf(&x->a, "%s--%s", type, u);
}

/* A date as a STIX timestamp (the first instant it can mean). */
static const char *stamp(struct sw *x, const char *d)
{
	if (!d)
		return x->now;
	return arena_printf(&x->a, "%.4s-%.2s-%.2sT00:00:00.000Z", d,
			    strlen(d) >= 7 ? d + 5 : "01",
			    strlen(d) >= 10 ? d + 8 : "01");
}

static bool first_time(struct sw *x, const char *id)
{
	if (strmap_get(&x->done, id))
		return false;
	strmap_put(&x->done, id, (void *)1);
	return true;
}

static const struct ver fixed_ver = {STIX_FIXED, STIX_FIXED};

static struct ver ver_of(const struct sw *x, const char *created,
			 const char *modified)
{
	struct ver v = {created ? created : x->now, modified ? modified : x->now};
	if (strcmp(v.modified, v.created) < 0)
		v.modified = v.created;
	return v;
}

static void head(struct sw *x, const char *type, const char *id,
		 const char *created_by, struct ver v)
{
	struct jw *w = x->w;
	jw_obj(w);
	jw_kstr(w, "type", type);
	jw_kstr(w, "spec_version", "2.1");
	jw_kstr(w, "id", id);
	jw_kstr(w, "created", v.created);
	jw_kstr(w, "modified", v.modified);
	if (created_by)
		jw_kstr(w, "created_by_ref", created_by);
	jw_key(w, "object_marking_refs");
	jw_arr(w);
	jw_str(w, STIX_TLP_CLEAR);
	jw_arr_end(w);
}

/* An http(s) URL that is also a valid RFC 3986 URI (no spaces, no
 * characters that must be escaped): third-party lists hold a few that
 * are not. */
static bool uri_ok(const char *u)
{
	if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)
		return false;
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"<>\\^`{|}", *p))
			return false;
	return true;
}

static void ext_ref(struct jw *w, const char *source, const char *desc,
		    const char *url, const char *ext_id)
{
	jw_obj(w);
	jw_kstr(w, "source_name", source);
	if (url && !uri_ok(url) && !desc)
		desc = url;
	if (desc)
		jw_kstr(w, "description", desc);
	if (url && uri_ok(url))
		jw_kstr(w, "url", url);
	if (ext_id)
		jw_kstr(w, "external_id", ext_id);
	jw_obj_end(w);
}

/* The identity of a state (by code) or of a named party. */
static const char *identity(struct sw *x, const char *iso3, const char *name,
			    const char *kind)
{
	const char *id = iso3 ? sid(x, "identity", "state", iso3)
			      : sid(x, "identity", "party", name);
	if (!first_time(x, id))
		return id;
	struct jw *w = x->w;
	head(x, "identity", id, x->producer, fixed_ver);
	jw_kstr(w, "name", iso3 ? iso3 : name);
	jw_kstr(w, "identity_class", iso3 || strcmp(kind, "state_group") == 0
		? "group" : "organization");
	if (iso3) {
		jw_key(w, "sectors");
		jw_arr(w);
		jw_str(w, "government-national");
		jw_arr_end(w);
		jw_kstr(w, "description", "A State (ISO 3166-1 alpha-3 code).");
		jw_key(w, "external_references");
		jw_arr(w);
		ext_ref(w, "iso-3166-1", NULL, NULL, iso3);
		jw_arr_end(w);
	} else {
		jw_kstr(w, "description", arena_printf(&x->a, "Attributing party (%s).",
							kind));
	}
	jw_obj_end(w);
	return id;
}

/* cdg's property extension on an object, opened: the caller writes its
 * properties and closes two objects. */
static void ext_open(struct sw *x)
{
	jw_key(x->w, "extensions");
	jw_obj(x->w);
	jw_key(x->w, x->ext);
	jw_obj(x->w);
	jw_kstr(x->w, "extension_type", "property-extension");
}

/* The threat actor standing for a State's own organs when a statement
 * names no narrower actor, or for the actor it names as text.  It is no
 * record of the registry: cdg's extension says what it stands for
 * ("derived"), and an import of the bundle leaves it out. */
static const char *threat_actor(struct sw *x, const char *name,
				const char *iso3)
{
	const char *key = arena_printf(&x->a, "%s|%s", name ? name : "",
				       iso3 ? iso3 : "");
	const char *id = sid(x, "threat-actor", "actor", key);
	if (!first_time(x, id))
		return id;
	struct jw *w = x->w;
	head(x, "threat-actor", id, x->producer, fixed_ver);
	jw_kstr(w, "name", name ? name : arena_printf(&x->a, "State organs of %s",
						       iso3));
	jw_key(w, "threat_actor_types");
	jw_arr(w);
	jw_str(w, "nation-state");
	jw_arr_end(w);
	ext_open(x);
	jw_kstr(w, "derived", name ? "actor_named_in_statement" : "state_organs");
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
	if (iso3) {
		const char *state = identity(x, iso3, NULL, "state");
		const char *rid = sid(x, "relationship", "sponsor", key);
		head(x, "relationship", rid, x->producer, fixed_ver);
		jw_kstr(w, "relationship_type", "attributed-to");
		jw_kstr(w, "source_ref", id);
		jw_kstr(w, "target_ref", state);
		jw_obj_end(w);
	}
	return id;
}

/* A list property; STIX forbids empty lists, so none is written. */
static void str_list(struct jw *w, const char *key, const char *const *v,
		     size_t n)
{
	if (!n)
		return;
	jw_key(w, key);
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, v[i]);
	jw_arr_end(w);
}

static const char *stix_of(struct sw *x, const char *type, const char *id)
{
	const char *dash = strstr(id, "--");
	return arena_printf(&x->a, "%s--%s", type, dash ? dash + 2 : id);
}

static void write_incident(struct sw *x, const struct reg_incident *inc)
{
	struct jw *w = x->w;
	head(x, "incident", stix_of(x, "incident", inc->id), x->producer,
	     ver_of(x, inc->created, inc->modified));
	jw_kstr(w, "name", inc->title);
	if (inc->description)
		jw_kstr(w, "description", inc->description);
	if (inc->n_sources) {
		jw_key(w, "external_references");
		jw_arr(w);
		for (size_t i = 0; i < inc->n_sources; i++)
			ext_ref(w, "source", NULL, inc->sources[i], NULL);
		jw_arr_end(w);
	}
	jw_key(w, "extensions");
	jw_obj(w);
	jw_key(w, STIX_INCIDENT_EXT);
	jw_obj(w);
	jw_kstr(w, "extension_type", "property-extension");
	jw_kstr(w, "determination", "successful-attempt");
	jw_kstr(w, "investigation_status", "open");
	jw_obj_end(w);
	jw_key(w, x->ext);
	jw_obj(w);
	jw_kstr(w, "extension_type", "property-extension");
	if (inc->start)
		jw_kstr(w, "start_date", inc->start);
	if (inc->end)
		jw_kstr(w, "end_date", inc->end);
	if (inc->cert_targeted >= 0)
		jw_kbool(w, "cert_targeted", inc->cert_targeted == 1);
	str_list(w, "effects", inc->effects, inc->n_effects);
	str_list(w, "victim_states", inc->victims, inc->n_victims);
	str_list(w, "victim_sectors", inc->sectors, inc->n_sectors);
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void write_actor(struct sw *x, const struct reg_actor *r)
{
	struct jw *w = x->w;
	const char *type = strcmp(r->kind, "threat-actor") == 0 ? "threat-actor"
							       : "intrusion-set";
	const char *id = stix_of(x, type, r->id);
	if (!first_time(x, id))
		return;
	struct ver v = ver_of(x, r->created, r->modified);
	head(x, type, id, x->producer, v);
	jw_kstr(w, "name", r->name);
	if (r->description)
		jw_kstr(w, "description", r->description);
	if (r->n_aliases)
		str_list(w, "aliases", r->aliases, r->n_aliases);
	if (strcmp(type, "threat-actor") == 0) {
		jw_key(w, "threat_actor_types");
		jw_arr(w);
		jw_str(w, r->sponsor_iso3 ? "nation-state" : "unknown");
		jw_arr_end(w);
	}
	if (r->n_refs) {
		jw_key(w, "external_references");
		jw_arr(w);
		for (size_t i = 0; i < r->n_refs; i++)
			ext_ref(w, "source", NULL, r->refs[i], NULL);
		jw_arr_end(w);
	}
	/* The sponsor as written ("Russian Federation", or a name that is no
	 * UN State), and its confidence when no State carries it. */
	if (r->sponsor || (!r->sponsor_iso3 && r->confidence >= 0)) {
		ext_open(x);
		if (r->sponsor)
			jw_kstr(w, "sponsor", r->sponsor);
		if (!r->sponsor_iso3 && r->confidence >= 0)
			jw_kint(w, "sponsor_confidence", r->confidence);
		jw_obj_end(w);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	/* What the actor is attributed to: another actor of the set, for an
	 * intrusion set and a threat actor (the pair STIX defines); the id
	 * is the relationship's it was read from, when it was one. */
	for (size_t k = 0; k < r->n_rels; k++) {
		const struct reg_actor_rel *l = &r->rels[k];
		if (strcmp(type, "intrusion-set") != 0 ||
		    !reg_stix_id_ok(l->target, "threat-actor"))
			continue;
		const char *rid = l->source && reg_stix_id_ok(l->source, "relationship") &&
				  first_time(x, l->source)
			? l->source
			: sid(x, "relationship", "actor",
			      arena_printf(&x->a, "%s|%s", r->id, l->target));
		head(x, "relationship", rid, x->producer, v);
		jw_kstr(w, "relationship_type", "attributed-to");
		jw_kstr(w, "source_ref", id);
		jw_kstr(w, "target_ref", l->target);
		if (l->confidence >= 0)
			jw_kint(w, "confidence", l->confidence);
		jw_obj_end(w);
	}
	if (!r->sponsor_iso3)
		return;
	/* intrusion-set -> threat-actor -> identity, the pairs STIX defines. */
	const char *target = strcmp(type, "threat-actor") == 0
		? identity(x, r->sponsor_iso3, NULL, "state")
		: threat_actor(x, NULL, r->sponsor_iso3);
	head(x, "relationship", sid(x, "relationship", "sponsor", r->id), x->producer, v);
	jw_kstr(w, "relationship_type", "attributed-to");
	jw_kstr(w, "source_ref", id);
	jw_kstr(w, "target_ref", target);
	if (r->confidence >= 0)
		jw_kint(w, "confidence", r->confidence);
	jw_obj_end(w);
}

static void write_attr(struct sw *x, const struct reg_attr *r)
{
	struct jw *w = x->w;
	const struct reg_incident *inc = reg_find_incident(x->s, r->incident);
	const char *party = identity(x, r->party_iso3, r->party_name, r->party_kind);
	const char *target = NULL;
	for (size_t i = 0; r->actor_id && i < x->s->n_actors && !target; i++)
		if (strcmp(x->s->actors[i].id, r->actor_id) == 0)
			target = stix_of(x, strcmp(x->s->actors[i].kind, "threat-actor") == 0
					 ? "threat-actor" : "intrusion-set", r->actor_id);
	if (!target)
		target = threat_actor(x, r->actor, r->target_iso3);
	const char *incident = stix_of(x, "incident", inc ? inc->id : r->incident);
	const char *rel = sid(x, "relationship", "attribution", r->id);
	struct ver v = ver_of(x, r->created, r->modified);
	head(x, "relationship", rel, party, v);
	jw_kstr(w, "relationship_type", "attributed-to");
	jw_kstr(w, "source_ref", incident);
	jw_kstr(w, "target_ref", target);
	jw_kstr(w, "description", r->title);
	if (r->confidence >= 0)
		jw_kint(w, "confidence", r->confidence);
	jw_kstr(w, "start_time", stamp(x, r->date));
	jw_key(w, "external_references");
	jw_arr(w);
	ext_ref(w, "statement", r->title, r->url, NULL);
	jw_arr_end(w);
	ext_open(x);
	jw_kstr(w, "attribution_id", r->id);
	jw_kstr(w, "attribution_date", r->date);
	jw_kstr(w, "party_kind", r->party_kind);
	jw_kstr(w, "party_name", r->party_name);
	str_list(w, "party_members", r->members, r->n_members);
	jw_kstr(w, "statement_url", r->url);
	/* Whom it names: an actor of the registry (actor_id), or an actor
	 * named as text; neither when it names a State alone. */
	if (r->actor_id)
		jw_kstr(w, "actor_id", r->actor_id);
	else if (r->actor)
		jw_kstr(w, "actor", r->actor);
	if (r->target_iso3)
		jw_kstr(w, "attributed_state", r->target_iso3);
	if (r->basis)
		jw_kstr(w, "basis", r->basis);
	if (r->standard)
		jw_kstr(w, "standard", r->standard);
	if (r->invoked)
		jw_kstr(w, "norm_or_law_invoked", r->invoked);
	if (r->n_refs) /* STIX forbids empty lists */
		reg_write_refs(w, r->refs, r->n_refs);
	if (r->note)
		jw_kstr(w, "note", r->note);
	if (r->n_responses) {
		jw_key(w, "responses");
		reg_write_responses(w, r->responses, r->n_responses);
	}
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);

	/* The statement as a report. */
	head(x, "report", sid(x, "report", "statement", r->id), party, v);
	jw_kstr(w, "name", r->title);
	jw_key(w, "report_types");
	jw_arr(w);
	jw_str(w, "threat-actor");
	jw_arr_end(w);
	jw_kstr(w, "published", stamp(x, r->date));
	jw_key(w, "object_refs");
	jw_arr(w);
	jw_str(w, incident);
	jw_str(w, target);
	jw_str(w, rel);
	jw_arr_end(w);
	if (r->confidence >= 0)
		jw_kint(w, "confidence", r->confidence);
	jw_key(w, "external_references");
	jw_arr(w);
	ext_ref(w, "statement", r->note, r->url, NULL);
	jw_arr_end(w);
	jw_obj_end(w);

	/* What it invokes, and how, as a note on the relationship. */
	if (!r->n_refs)
		return;
	struct buf c = BUF_INIT;
	for (size_t i = 0; i < r->n_refs; i++) {
		const struct reg_ref *f = &r->refs[i];
		buf_addf(&c, "%s%s", i ? "\n" : "", reg_ref_kind_name(f->kind));
		if (f->norm)
			buf_addf(&c, " 13(%c)", f->norm);
		buf_addf(&c, ": %s", f->text);
		if (f->articulation)
			buf_addf(&c, " (how: %s)", f->articulation);
	}
	head(x, "note", sid(x, "note", "invoked", r->id), party, v);
	jw_kstr(w, "abstract", "Norm or law invoked");
	jw_kstr(w, "content", c.p);
	jw_key(w, "object_refs");
	jw_arr(w);
	jw_str(w, rel);
	jw_str(w, incident);
	jw_arr_end(w);
	jw_obj_end(w);
	buf_free(&c);
}

void stix_write(const struct reg_set *s, const char *now, struct buf *out)
{
	struct sw x = {s, NULL, now, "", "", {0}, {0}};
	struct jw w;
	x.w = &w;
	strmap_init(&x.done);
	arena_init(&x.a);
	snprintf(x.producer, sizeof x.producer, "%s", sid(&x, "identity", "producer", "cdg"));
	ext_id(x.ext);
	size_t start = out->len;
	jw_init(&w, out, true);
	jw_obj(&w);
	jw_kstr(&w, "type", "bundle");
	jw_kstr(&w, "id", STIX_BUNDLE_TBD);
	size_t objects = out->len;
	jw_key(&w, "objects");
	jw_arr(&w);
	head(&x, "identity", x.producer, NULL, fixed_ver);
	jw_kstr(&w, "name", "cdg observatory");
	jw_kstr(&w, "identity_class", "organization");
	jw_obj_end(&w);
	head(&x, "extension-definition", x.ext, x.producer, fixed_ver);
	jw_kstr(&w, "name", "cdg accountability registry");
	jw_kstr(&w, "description", "Dates, effects, victims and CERT targeting of "
		"an incident; the attributing party, the norms or rules of "
		"international law an attribution invokes and how, its basis "
		"and the attribution standard applied (docs/registry.md).");
	jw_kstr(&w, "schema", "https://github.com/cdg/cdg/blob/main/docs/registry.md");
	jw_kstr(&w, "version", "1.0.0");
	jw_key(&w, "extension_types");
	jw_arr(&w);
	jw_str(&w, "property-extension");
	jw_arr_end(&w);
	jw_obj_end(&w);
	for (size_t i = 0; i < s->n_incidents; i++)
		write_incident(&x, &s->incidents[i]);
	for (size_t i = 0; i < s->n_actors; i++)
		write_actor(&x, &s->actors[i]);
	for (size_t i = 0; i < s->n_attrs; i++)
		write_attr(&x, &s->attrs[i]);
	jw_arr_end(&w);
	jw_obj_end(&w);
	buf_addc(out, '\n');
	/* The bundle's id names its objects: the same records, the same
	 * bytes (STIX leaves a bundle's id to its producer). */
	char *tbd = strstr(out->p + start, STIX_BUNDLE_TBD);
	char u[37];
	struct buf body = BUF_INIT;
	buf_add(&body, out->p + objects, out->len - objects);
	reg_uuid("bundle", body.p, u);
	buf_free(&body);
	if (tbd)
		memcpy(tbd + strlen("bundle--"), u, 36);
	strmap_free(&x.done);
	arena_free(&x.a);
}

/* ---- reader ----------------------------------------------------------------- */

static bool hexes(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	return true;
}

/* An RFC 4122 UUID (version 1-5, variant 10x), as STIX 2.1 requires. */
bool reg_uuid_ok(const char *u)
{
	return strlen(u) == 36 && hexes(u, 8) && u[8] == '-' && hexes(u + 9, 4) &&
	       u[13] == '-' && hexes(u + 14, 4) && u[18] == '-' &&
	       hexes(u + 19, 4) && u[23] == '-' && hexes(u + 24, 12) &&
	       u[14] >= '1' && u[14] <= '5' && strchr("89abAB", u[19]);
}

/* "type--" and such a UUID. */
bool reg_stix_id_ok(const char *id, const char *type)
{
	size_t t = strlen(type);
	if (strncmp(id, type, t) != 0 || strncmp(id + t, "--", 2) != 0)
		return false;
	return reg_uuid_ok(id + t + 2);
}

/* RFC 3339 in UTC as STIX requires: YYYY-MM-DDTHH:MM:SS[.s+]Z; ms
 * asks for at least millisecond precision (created, modified). */
bool reg_stix_ts_ok(const char *s, bool ms)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	for (size_t i = 0; i < sizeof shape - 1; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	const char *p = s + sizeof shape - 1;
	size_t digits = 0;
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++)
			digits++;
		if (!digits)
			return false;
	}
	if (p[0] != 'Z' || p[1] || (ms && digits < 3))
		return false;
	char d[11];
	memcpy(d, s, 10);
	d[10] = 0;
	return date_valid(d) && atoi(s + 11) < 24 && atoi(s + 14) < 60 &&
	       atoi(s + 17) < 61;
}

/* Compares two valid timestamps as instants (fractions of any length). */
static int ts_cmp(const char *a, const char *b)
{
	int c = strncmp(a, b, 19);
	if (c)
		return c;
	a += 19;
	b += 19;
	a += *a == '.';
	b += *b == '.';
	while (isdigit((unsigned char)*a) || isdigit((unsigned char)*b)) {
		char x = isdigit((unsigned char)*a) ? *a++ : '0';
		char y = isdigit((unsigned char)*b) ? *b++ : '0';
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Types the registry reads; the rest are skipped (but still checked for a
 * well-formed id and type). */
static bool wanted(const char *t)
{
	return strcmp(t, "incident") == 0 || strcmp(t, "campaign") == 0 ||
	       strcmp(t, "intrusion-set") == 0 || strcmp(t, "threat-actor") == 0 ||
	       strcmp(t, "identity") == 0 || strcmp(t, "relationship") == 0 ||
	       strcmp(t, "report") == 0;
}

/* Checks what every STIX object must satisfy; faults name its id. */
static bool check_object(struct cctx *x, json_t *o, size_t i)
{
	const char *type = jstr(o, "type"), *id = jstr(o, "id");
	/* Named by its id, even a malformed one; by position only when it
	 * has none. */
	x->where = id && *id ? id : arena_printf(&x->s->arena, "#%zu (no id)", i + 1);
	if (!type || !*type) {
		reg_fault(x, "type", "every object needs a string type");
		return false;
	}
	if (!id || !reg_stix_id_ok(id, type)) {
		reg_fault(x, "id", "id must be \"%s--\" and a UUID", type);
		return false;
	}
	x->where = id;
	const char *c = jstr(o, "created"), *m = jstr(o, "modified");
	bool sdo = wanted(type);
	if ((c || sdo) && (!c || !reg_stix_ts_ok(c, true))) {
		reg_fault(x, "created", "needs a timestamp YYYY-MM-DDTHH:MM:SS.sssZ "
			  "(millisecond precision)");
		return false;
	}
	if ((m || sdo) && (!m || !reg_stix_ts_ok(m, true))) {
		reg_fault(x, "modified", "needs a timestamp YYYY-MM-DDTHH:MM:SS.sssZ "
			  "(millisecond precision)");
		return false;
	}
	if (c && m && ts_cmp(m, c) < 0) {
		reg_fault(x, "modified", "%s is earlier than created (%s)", m, c);
		return false;
	}
	if (!sdo)
		return true;
	const char *sv = jstr(o, "spec_version");
	if (sv && strcmp(sv, "2.1") != 0) {
		reg_fault(x, "spec_version", "\"%s\" is not 2.1", sv);
		return false;
	}
	const char *pub = jstr(o, "published");
	if (strcmp(type, "report") == 0 && (!pub || !reg_stix_ts_ok(pub, false))) {
		reg_fault(x, "published", "a report needs a published timestamp "
			  "YYYY-MM-DDTHH:MM:SS[.s]Z");
		return false;
	}
	json_t *conf = json_object_get(o, "confidence");
	if (conf && (!json_is_integer(conf) || json_integer_value(conf) < 0 ||
		     json_integer_value(conf) > 100)) {
		reg_fault(x, "confidence", "must be an integer from 0 to 100");
		return false;
	}
	if (strcmp(type, "relationship") == 0 &&
	    (!jstr(o, "relationship_type") || !jstr(o, "source_ref") ||
	     !jstr(o, "target_ref"))) {
		reg_fault(x, "relationship_type", "a relationship needs "
			  "relationship_type, source_ref and target_ref");
		return false;
	}
	/* An attribution's date comes from start_time. */
	const char *st = jstr(o, "start_time");
	if (strcmp(type, "relationship") == 0 && st && !reg_stix_ts_ok(st, false)) {
		reg_fault(x, "start_time", "needs a timestamp YYYY-MM-DDTHH:MM:SS[.s]Z");
		return false;
	}
	if (strcmp(type, "relationship") != 0 && strcmp(type, "report") != 0 &&
	    !jstr(o, "name")) {
		reg_fault(x, "name", "this %s has no name", type);
		return false;
	}
	return true;
}

static bool skip_revoked(json_t *o)
{
	return json_is_true(json_object_get(o, "revoked")) ||
	       json_is_true(json_object_get(o, "x_mitre_deprecated"));
}

/* URLs of external_references. */
static const char **ext_urls(struct arena *a, json_t *o, size_t *n)
{
	json_t *refs = json_object_get(o, "external_references");
	*n = 0;
	const char **v = arena_alloc(a, (json_array_size(refs) + 1) * sizeof *v);
	size_t i;
	json_t *r;
	json_array_foreach(refs, i, r) {
		const char *u = jstr(r, "url");
		/* cdg writes a source that is no valid URI (a space, a brace)
		 * as the description of a "source" reference. */
		const char *src = jstr(r, "source_name");
		if (!u && src && strcmp(src, "source") == 0)
			u = jstr(r, "description");
		if (u && reg_url_ok(u))
			v[(*n)++] = arena_strdup(a, u);
	}
	return v;
}

/* cdg's own extension on o (a bundle cdg wrote), or NULL. */
static json_t *cdg_ext(json_t *o)
{
	char id[64];
	ext_id(id);
	json_t *v = json_object_get(json_object_get(o, "extensions"), id);
	return json_is_object(v) ? v : NULL;
}

/* The strings of array v (those that are strings), in a. */
static const char **strs(struct arena *a, json_t *v, size_t *n)
{
	const char **out = arena_alloc(a, (json_array_size(v) + 1) * sizeof *out);
	*n = 0;
	size_t i;
	json_t *it;
	json_array_foreach(v, i, it)
		if (json_is_string(it))
			out[(*n)++] = arena_strdup(a, json_string_value(it));
	return out;
}

/* An object's created and modified, which check_object() has checked. */
static void read_ver(struct arena *a, json_t *o, const char **created,
		     const char **modified)
{
	*created = arena_strdup(a, jstr(o, "created"));
	*modified = arena_strdup(a, jstr(o, "modified"));
}

/* A state named by an identity: its iso-3166-1 external id, else its name. */
static const char *identity_state(struct cctx *x, json_t *o)
{
	json_t *refs = json_object_get(o, "external_references");
	size_t i;
	json_t *r;
	json_array_foreach(refs, i, r) {
		const char *src = jstr(r, "source_name"), *eid = jstr(r, "external_id");
		if (src && eid && strncmp(src, "iso-3166", 8) == 0) {
			const char *iso = reg_names_state(x->names, eid);
			if (!iso && !reg_names_entity(x->names, eid))
				reg_fault(x, "external_references", "%s",
					  reg_names_why(x->names, eid, &x->s->arena));
			return iso;
		}
	}
	const char *name = jstr(o, "name");
	return name ? reg_names_state(x->names, name) : NULL;
}

struct sobj {
	json_t *o;
	const char *type, *id;
};

static json_t *find(struct strmap *ids, const char *id)
{
	return id ? strmap_get(ids, id) : NULL;
}

static void read_sdo(struct cctx *x, json_t *o, const char *type)
{
	struct reg_set *s = x->s;
	struct arena *a = &s->arena;
	const char *id = jstr(o, "id");
	if (strcmp(type, "incident") == 0 || strcmp(type, "campaign") == 0) {
		struct reg_incident *inc = reg_add_incident(s);
		/* One id per incident: its UUID (docs/registry.md). */
		inc->id = reg_incident_uuid(a, arena_strdup(a, id));
		inc->title = arena_strdup(a, jstr(o, "name"));
		reg_incident_key(s, inc->title, inc->id);
		read_ver(a, o, &inc->created, &inc->modified);
		inc->description = reg_opt(a, jstr(o, "description") ? jstr(o, "description") : "");
		inc->sources = ext_urls(a, o, &inc->n_sources);
		const char *fs = jstr(o, "first_seen"), *ls = jstr(o, "last_seen");
		if (fs && strlen(fs) >= 10)
			inc->start = arena_strndup(a, fs, 10);
		if (ls && strlen(ls) >= 10)
			inc->end = arena_strndup(a, ls, 10);
		/* cdg's own extension, when the bundle came from cdg. */
		json_t *v = cdg_ext(o);
		if (v) {
			const char *sd = jstr(v, "start_date"), *ed = jstr(v, "end_date");
			if (sd && date_valid(sd))
				inc->start = arena_strdup(a, sd);
			if (ed && date_valid(ed))
				inc->end = arena_strdup(a, ed);
			json_t *ct = json_object_get(v, "cert_targeted");
			if (json_is_boolean(ct))
				inc->cert_targeted = json_is_true(ct);
			json_t *vs = json_object_get(v, "victim_states");
			inc->victims = arena_alloc(a, (json_array_size(vs) + 1) * sizeof *inc->victims);
			size_t i;
			json_t *it;
			inc->victim_entities = arena_alloc(a, (json_array_size(vs) + 1) *
							   sizeof *inc->victim_entities);
			json_array_foreach(vs, i, it) {
				const char *vn = json_is_string(it) ? json_string_value(it) : "";
				const char *iso = reg_names_state(x->names, vn);
				const struct reg_entity *t = iso ? NULL : reg_names_entity(x->names, vn);
				if (iso)
					inc->victims[inc->n_victims++] = iso;
				else if (t)
					inc->victim_entities[inc->n_victim_entities++] = t->code;
				else
					reg_fault(x, "victim_states", "%s",
						  reg_names_why(x->names, vn, a));
			}
			inc->effects = strs(a, json_object_get(v, "effects"), &inc->n_effects);
			inc->sectors = strs(a, json_object_get(v, "victim_sectors"),
					    &inc->n_sectors);
		}
		return;
	}
	/* A threat actor cdg derived from its records (a State's organs, an
	 * actor named as text) is not a record. */
	json_t *mine = cdg_ext(o);
	if (mine && jstr(mine, "derived")) {
		s->stix_skipped++;
		return;
	}
	/* intrusion-set or threat-actor */
	struct reg_actor *r = reg_add_actor(s);
	r->id = arena_strdup(a, id);
	r->kind = strcmp(type, "threat-actor") == 0 ? "threat-actor" : "intrusion-set";
	r->name = arena_strdup(a, jstr(o, "name"));
	r->description = reg_opt(a, jstr(o, "description") ? jstr(o, "description") : "");
	json_t *al = json_object_get(o, "aliases");
	r->aliases = arena_alloc(a, (json_array_size(al) + 1) * sizeof *r->aliases);
	size_t i;
	json_t *it;
	json_array_foreach(al, i, it)
		if (json_is_string(it) && strcmp(json_string_value(it), r->name) != 0)
			r->aliases[r->n_aliases++] = arena_strdup(a, json_string_value(it));
	r->refs = ext_urls(a, o, &r->n_refs);
	read_ver(a, o, &r->created, &r->modified);
	if (mine && jstr(mine, "sponsor"))
		r->sponsor = arena_strdup(a, jstr(mine, "sponsor"));
	json_t *sc = mine ? json_object_get(mine, "sponsor_confidence") : NULL;
	if (json_is_integer(sc) && json_integer_value(sc) >= 0 &&
	    json_integer_value(sc) <= 100)
		r->confidence = (int)json_integer_value(sc);
}

/* What the relationships look up, by id, built once before they are
 * read (scanning the actors, incidents and objects for each relationship
 * made a bundle's import quadratic: 16,000 attributions took 186 s).
 * Each keeps the first of an id, as the scans found it. */
struct rel_index {
	struct strmap actors;     /* actor id -> 1 + its index in the set */
	struct strmap reports;    /* object id -> the first report naming it */
	struct strmap by_source;  /* source_ref -> its first struct rel_list */
	struct arena a;           /* list cells */
};

/* The attributed-to relationships of one source_ref, in file order. */
struct rel_list {
	json_t *rel;
	struct rel_list *next, *last; /* last: valid in the first cell */
};

static void rel_index_build(struct rel_index *ix, const struct reg_set *s,
			    json_t *objects)
{
	strmap_init(&ix->actors);
	strmap_init(&ix->reports);
	strmap_init(&ix->by_source);
	arena_init(&ix->a);
	for (size_t i = s->n_actors; i--;)
		strmap_put(&ix->actors, s->actors[i].id, (void *)(uintptr_t)(i + 1));
	size_t i;
	json_t *o;
	json_array_foreach(objects, i, o) {
		const char *t = jstr(o, "type");
		if (t && strcmp(t, "report") == 0) {
			size_t k;
			json_t *r;
			json_array_foreach(json_object_get(o, "object_refs"), k, r)
				if (json_is_string(r) &&
				    !strmap_get(&ix->reports, json_string_value(r)))
					strmap_put(&ix->reports, json_string_value(r), o);
		}
		const char *rt = jstr(o, "relationship_type"), *src = jstr(o, "source_ref");
		if (rt && strcmp(rt, "attributed-to") == 0 && src) {
			struct rel_list *c = arena_alloc(&ix->a, sizeof *c);
			c->rel = o;
			struct rel_list *first = strmap_get(&ix->by_source, src);
			if (first)
				first->last = first->last->next = c;
			else
				strmap_put(&ix->by_source, src, c->last = c);
		}
	}
}

static void rel_index_free(struct rel_index *ix)
{
	strmap_free(&ix->actors);
	strmap_free(&ix->reports);
	strmap_free(&ix->by_source);
	arena_free(&ix->a);
}

static struct reg_actor *actor_by_id(struct reg_set *s, const struct rel_index *ix,
				     const char *id)
{
	size_t at = (size_t)(uintptr_t)strmap_get(&ix->actors, id);
	return at ? &s->actors[at - 1] : NULL;
}

/* The incident read from STIX id ("incident--U" or "campaign--U"). */
static struct reg_incident *incident_by_id(struct reg_set *s, const char *id)
{
	const char *u = strstr(id, "--");
	if (!u || (strncmp(id, "incident--", 10) != 0 && strncmp(id, "campaign--", 10) != 0))
		return NULL;
	const struct reg_incident *f = reg_find_incident(s, u + 2);
	return f ? &s->incidents[f - s->incidents] : NULL;
}

static void read_relationship(struct cctx *x, json_t *o, struct strmap *ids,
			      const struct rel_index *ix)
{
	struct reg_set *s = x->s;
	struct arena *a = &s->arena;
	if (strcmp(jstr(o, "relationship_type"), "attributed-to") != 0) {
		s->stix_skipped++;
		return;
	}
	const char *src = jstr(o, "source_ref"), *dst = jstr(o, "target_ref");
	json_t *so = find(ids, src), *to = find(ids, dst);
	if (!so || !to) {
		/* Dangling references are allowed in STIX; nothing to record. */
		s->stix_skipped++;
		return;
	}
	const char *tt = jstr(to, "type");
	json_t *conf = json_object_get(o, "confidence");
	int c = conf ? (int)json_integer_value(conf) : -1;
	/* An actor and its alleged sponsor. */
	struct reg_actor *actor = actor_by_id(s, ix, src);
	if (actor) {
		const char *iso = NULL;
		struct reg_actor *other = actor_by_id(s, ix, dst);
		if (strcmp(tt, "identity") == 0) {
			iso = identity_state(x, to);
		} else if (!other) {
			/* intrusion-set -> a threat actor that is no record (cdg's
			 * "State organs of X"): inherit the latter's state.  A
			 * threat actor of the file keeps its own sponsor. */
			for (const struct rel_list *l = strmap_get(&ix->by_source, dst);
			     l && !iso; l = l->next) {
				json_t *id = find(ids, jstr(l->rel, "target_ref"));
				if (id && strcmp(jstr(id, "type"), "identity") == 0)
					iso = identity_state(x, id);
			}
		}
		/* An intrusion set attributed to a threat actor of the file: a
		 * link between two actors (OASIS's apt1.json: APT1 to Unit
		 * 61398), kept with the relationship it came from. */
		if (other && strcmp(actor->kind, "intrusion-set") == 0 &&
		    strcmp(other->kind, "threat-actor") == 0) {
			if (actor->n_rels % 8 == 0) {
				struct reg_actor_rel *v = arena_alloc(a, (actor->n_rels + 8) *
								      sizeof *v);
				if (actor->n_rels)
					memcpy(v, actor->rels, actor->n_rels * sizeof *v);
				actor->rels = v;
			}
			struct reg_actor_rel *l = &actor->rels[actor->n_rels++];
			l->target = other->id;
			l->confidence = c;
			l->source = arena_strdup(a, jstr(o, "id"));
		} else if (!iso) {
			s->stix_skipped++;
		}
		if (iso) {
			actor->sponsor_iso3 = iso;
			if (!actor->sponsor)
				actor->sponsor = iso;
			actor->confidence = c;
		}
		return;
	}
	struct reg_incident *inc = incident_by_id(s, src);
	if (!inc || (strcmp(tt, "intrusion-set") != 0 && strcmp(tt, "threat-actor") != 0)) {
		s->stix_skipped++;
		return;
	}
	struct reg_attr *r = reg_add_attr(s);
	r->id = arena_strdup(a, jstr(o, "id"));
	r->incident = inc->id;
	r->confidence = c;
	read_ver(a, o, &r->created, &r->modified);
	struct reg_actor *target = actor_by_id(s, ix, dst);
	/* The target is an actor of the file, or one cdg derived (then the
	 * extension below says whom the statement names). */
	r->actor_id = target ? target->id : NULL;
	r->actor = target ? target->name : jstr(to, "name") ? arena_strdup(a, jstr(to, "name")) : NULL;
	json_t *by = find(ids, jstr(o, "created_by_ref"));
	json_t *rep = strmap_get(&ix->reports, jstr(o, "id"));
	const char *iso = by ? identity_state(x, by) : NULL;
	const char *org = by && jstr(by, "name") ? reg_names_org(jstr(by, "name")) : NULL;
	r->party_iso3 = iso;
	r->party_kind = iso ? "state" : org ? "organisation" : "company";
	r->party_name = iso ? iso : org ? org
		: arena_strdup(a, by && jstr(by, "name") ? jstr(by, "name") : "unknown producer");
	const char *date = jstr(o, "start_time");
	if (!date && rep)
		date = jstr(rep, "published");
	if (!date)
		date = jstr(o, "created");
	/* The day of a timestamp; rep may be a report that failed its checks
	 * (the file is rejected then), so its published may be short. */
	r->date = arena_strndup(a, date, strnlen(date, 10));
	const char *title = rep ? jstr(rep, "name") : jstr(o, "description");
	r->title = arena_strdup(a, title ? title : arena_printf(a, "%s attributed to %s",
								inc->title, r->actor ? r->actor : dst));
	size_t nu;
	const char **urls = ext_urls(a, o, &nu);
	if (!nu && rep)
		urls = ext_urls(a, rep, &nu);
	r->url = nu ? urls[0] : arena_printf(a, "stix:%s", jstr(o, "id"));
	/* cdg's extension: the record as exported. */
	json_t *v = cdg_ext(o);
	if (v) {
		json_t *inv = json_object_get(v, "invocations");
		const char *ad = jstr(v, "attribution_date");
		if (ad && date_valid(ad))
			r->date = arena_strdup(a, ad);
		const char *aid = jstr(v, "attribution_id");
		if (aid)
			r->id = arena_strdup(a, aid);
		const char *pk = jstr(v, "party_kind");
		if (pk && !iso)
			r->party_kind = arena_strdup(a, pk);
		const char *pn = jstr(v, "party_name");
		if (pn && !iso)
			r->party_name = arena_strdup(a, pn);
		r->members = strs(a, json_object_get(v, "party_members"), &r->n_members);
		const char *su = jstr(v, "statement_url");
		if (su && reg_url_ok(su))
			r->url = arena_strdup(a, su);
		const char *nt = jstr(v, "note");
		r->note = nt ? arena_strdup(a, nt) : NULL;
		/* Whom it names: an actor of the registry, an actor named as
		 * text, or (neither) the State alone. */
		const char *act = jstr(v, "actor_id"), *an = jstr(v, "actor");
		if (act) {
			r->actor_id = arena_strdup(a, act);
		} else {
			r->actor_id = NULL;
			r->actor = an ? arena_strdup(a, an) : NULL;
		}
		json_t *resp = json_object_get(v, "responses");
		r->responses = arena_alloc(a, (json_array_size(resp) + 1) * sizeof *r->responses);
		size_t ri;
		json_t *rt;
		json_array_foreach(resp, ri, rt) {
			struct reg_response *p = &r->responses[r->n_responses];
			const char *kind = jstr(rt, "kind"), *desc = jstr(rt, "description");
			const char *rd = jstr(rt, "date"), *ru = jstr(rt, "url");
			if (!kind || !desc || (rd && !date_valid(rd)) || (ru && !reg_url_ok(ru))) {
				reg_fault(x, "responses", "response %zu needs a kind, a "
					  "description, a date (or none) and an http(s) URL "
					  "(or none)", ri + 1);
				continue;
			}
			p->kind = arena_strdup(a, kind);
			p->description = arena_strdup(a, desc);
			p->date = rd ? arena_strdup(a, rd) : NULL;
			p->url = ru ? arena_strdup(a, ru) : NULL;
			r->n_responses++;
		}
		const char *as = jstr(v, "attributed_state");
		if (as) {
			r->target_iso3 = reg_names_state(x->names, as);
			if (!r->target_iso3)
				reg_fault(x, "attributed_state", "%s",
					  reg_names_why(x->names, as, a));
		}
		const char *b = jstr(v, "basis");
		r->basis = b ? arena_strdup(a, b) : NULL;
		/* The standard's id is not carried: standards travel in
		 * registry JSON, and a bundle may name one unknown here. */
		const char *ni = jstr(v, "norm_or_law_invoked");
		r->invoked = ni ? arena_strdup(a, ni) : NULL;
		r->refs = arena_alloc(a, (json_array_size(inv) + 1) * sizeof *r->refs);
		r->n_refs = 0;
		size_t i;
		json_t *it;
		json_array_foreach(inv, i, it) {
			struct reg_ref *f = &r->refs[r->n_refs];
			struct cdg_err e;
			err_clear(&e);
			const char *text = jstr(it, "text");
			if (!text || reg_ref_parse(text, a, f, &e)) {
				reg_fault(x, "invocations", "%s", text ? e.msg : "needs text");
				continue;
			}
			int kind = jstr(it, "kind") ? reg_ref_kind_parse(jstr(it, "kind")) : -1;
			if (kind >= 0)
				f->kind = (enum reg_ref_kind)kind;
			const char *n = jstr(it, "norm");
			if (n && (strlen(n) != 1 || n[0] < 'a' || n[0] > 'k')) {
				reg_fault(x, "norm", "norm letter \"%s\" is outside a-k", n);
				continue;
			}
			f->norm = n ? n[0] : 0;
			if (jstr(it, "rule"))
				f->rule = arena_strdup(a, jstr(it, "rule"));
			if (jstr(it, "articulation"))
				f->articulation = arena_strdup(a, jstr(it, "articulation"));
			r->n_refs++;
		}
	}
	if (!r->target_iso3 && target)
		r->target_iso3 = target->sponsor_iso3;
	if (inc->start && reg_date_before(r->date, inc->start))
		reg_fault(x, "start_time", "the attribution (%s) precedes the "
			  "incident (%s)", r->date, inc->start);
}

int stix_parse(struct reg_set *s, const char *name, const char *text,
	       size_t n, const struct reg_names *names, struct err_list *errs)
{
	struct cctx x = {s, names, name, errs, 0, NULL};
	long before = errs->total;
	json_t *root = reg_load_json(&x, text, n);
	if (!root)
		return CDG_EINPUT;
	json_t *objects;
	const char *rt = jstr(root, "type");
	if (rt && strcmp(rt, "bundle") == 0) {
		objects = json_incref(json_object_get(root, "objects"));
		if (!json_is_array(objects)) {
			x.line = 1;
			reg_fault(&x, "objects", "a bundle needs an objects array");
			json_decref(objects);
			json_decref(root);
			return CDG_EINPUT;
		}
	} else {
		objects = json_array();
		json_array_append(objects, root);
	}
	struct strmap ids;
	strmap_init(&ids);
	size_t i;
	json_t *o;
	json_array_foreach(objects, i, o) {
		if (!json_is_object(o)) {
			x.where = arena_printf(&s->arena, "#%zu", i + 1);
			reg_fault(&x, NULL, "not an object");
			continue;
		}
		if (!check_object(&x, o, i))
			continue;
		const char *id = jstr(o, "id");
		strmap_put(&ids, id, o);
	}
	/* SDOs first, then the relationships between them. */
	json_array_foreach(objects, i, o) {
		const char *t = jstr(o, "type"), *id = jstr(o, "id");
		if (!t || !id || find(&ids, id) != o)
			continue;
		x.where = id;
		if (strcmp(t, "identity") == 0 || strcmp(t, "relationship") == 0 ||
		    strcmp(t, "report") == 0)
			continue;
		if (!wanted(t) || skip_revoked(o)) {
			s->stix_skipped++;
			continue;
		}
		read_sdo(&x, o, t);
	}
	struct rel_index ix;
	rel_index_build(&ix, s, objects);
	json_array_foreach(objects, i, o) {
		const char *t = jstr(o, "type"), *id = jstr(o, "id");
		if (!t || !id || strcmp(t, "relationship") != 0 || find(&ids, id) != o)
			continue;
		x.where = id;
		read_relationship(&x, o, &ids, &ix);
	}
	rel_index_free(&ix);
	strmap_free(&ids);
	json_decref(objects);
	json_decref(root);
	return errs->total > before ? CDG_EINPUT : 0;
}

/* ---- MISP galaxy ------------------------------------------------------------ */

int misp_parse(struct reg_set *s, const char *name, const char *text,
	       size_t n, const struct reg_names *names, struct err_list *errs)
{
	struct cctx x = {s, names, name, errs, 0, NULL};
	long before = errs->total;
	json_t *root = reg_load_json(&x, text, n);
	if (!root)
		return CDG_EINPUT;
	json_t *values = json_object_get(root, "values");
	if (!json_is_array(values)) {
		x.line = 1;
		reg_fault(&x, "values", "not a MISP galaxy cluster file (no values array)");
		json_decref(root);
		return CDG_EINPUT;
	}
	struct arena *a = &s->arena;
	size_t i;
	json_t *v;
	json_array_foreach(values, i, v) {
		const char *value = jstr(v, "value"), *uuid = jstr(v, "uuid");
		x.where = arena_printf(a, "values[%zu] %s", i, uuid ? uuid : "");
		if (!value || !uuid || strlen(uuid) != 36) {
			reg_fault(&x, "uuid", "each value needs a value and a uuid");
			continue;
		}
		json_t *meta = json_object_get(v, "meta");
		struct reg_actor *r = reg_add_actor(s);
		r->id = arena_printf(a, "threat-actor--%s", uuid);
		/* MISP also uses UUID version 7, which STIX does not allow: such
		 * actors get a name-based id derived from the MISP uuid. */
		if (!reg_stix_id_ok(r->id, "threat-actor")) {
			char u[37];
			reg_uuid("misp", uuid, u);
			r->id = arena_printf(a, "threat-actor--%s", u);
		}
		r->kind = "threat-actor";
		r->name = arena_strdup(a, value);
		r->description = reg_opt(a, jstr(v, "description") ? jstr(v, "description") : "");
		json_t *syn = json_object_get(meta, "synonyms");
		r->aliases = arena_alloc(a, (json_array_size(syn) + 1) * sizeof *r->aliases);
		size_t k;
		json_t *it;
		/* An actor's aliases never repeat its name (as in STIX). */
		json_array_foreach(syn, k, it)
			if (json_is_string(it) && strcmp(json_string_value(it), value) != 0)
				r->aliases[r->n_aliases++] = arena_strdup(a, json_string_value(it));
		json_t *refs = json_object_get(meta, "refs");
		r->refs = arena_alloc(a, (json_array_size(refs) + 1) * sizeof *r->refs);
		json_array_foreach(refs, k, it)
			if (json_is_string(it) && reg_url_ok(json_string_value(it)))
				r->refs[r->n_refs++] = arena_strdup(a, json_string_value(it));
		/* The sponsor: CFR's suspected state sponsor, else the country
		 * of origin.  A non-UN entity (Taiwan) stays as text, flagged. */
		const char *sp = jstr(meta, "cfr-suspected-state-sponsor");
		if (sp && strcasecmp(sp, "unknown") == 0)
			sp = NULL;
		if (!sp)
			sp = jstr(meta, "country");
		if (sp && *sp) {
			r->sponsor = arena_strdup(a, sp);
			r->sponsor_iso3 = reg_names_state(names, sp);
			const struct reg_entity *t = r->sponsor_iso3 ? NULL
						     : reg_names_entity(names, sp);
			r->sponsor_entity = t ? t->code : NULL;
		}
		const char *c = jstr(meta, "attribution-confidence");
		if (c) {
			long cv;
			if (parse_long(c, 0, 100, &cv) != 0)
				reg_fault(&x, "attribution-confidence", "\"%s\" is not "
					  "0-100", c);
			else
				r->confidence = (int)cv;
		}
	}
	json_decref(root);
	return errs->total > before ? CDG_EINPUT : 0;
}
