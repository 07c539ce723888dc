/* libFuzzer target: the registry's exchange formats are lossless.  The
 * input bytes drive a generator that builds a random registry set
 * (incidents with victims, sectors, effects; actors with aliases,
 * sponsors and the actors they are attributed to; attributions by
 * states, groups, organisations and companies, to states, actors named as
 * text and registry actors, with norms invoked, responses, notes and
 * timestamps).  The set is read once through registry JSON (as an import
 * would store it), then for each format (registry JSON, STIX 2.1, CSV)
 * written, read back and written again: the two texts must be the same
 * bytes and the records equal field by field, for the fields the format
 * carries (docs/registry.md, "Round trips").  Any difference aborts.
 * Incident identity is checked on the way: a title in another case or
 * spacing gets the id of the first spelling. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW "2026-06-01T00:00:00.000Z"

struct rng {
	const uint8_t *p;
	size_t n, i;
};

static unsigned pick(struct rng *r, unsigned n)
{
	unsigned v = r->i < r->n ? r->p[r->i++] : 0;
	return n ? v % n : 0;
}

static const char *one(struct rng *r, const char *const *v, unsigned n)
{
	return v[pick(r, n)];
}
#define ONE(r, v) one(r, v, (unsigned)(sizeof v / sizeof v[0]))

static const char *const words[] = {"Cloud", "hopper", "APT28", "grid",
	"attack", "Ünïcode", "Ŝtar", "on", "the", "Russian Federation", "(RUS)",
	"a;b", "\"quoted\"", "line\nbreak", "comma,", "Zoë", "ÉTÉ", "x"};
static const char *const states[] = {"GBR", "RUS", "PRK", "KOR", "CHN",
	"NLD", "IRN", "UKR", "USA", "AUS"};
static const char *const state_names[] = {"United Kingdom", "Russian Federation",
	"Democratic People's Republic of Korea", "Republic of Korea", "China",
	"Netherlands", "Iran (Islamic Republic of)", "Ukraine",
	"United States of America", "Australia"};
static const char *const invoked[] = {"13(f)", "norm c: it hit a CERT",
	"sovereignty of Ukraine", "UN Charter", "EU cyber sanctions regime",
	"free words (cf. GGE 2015 norm 13(k))", "computer fraud statute",
	"international law applies", "whatever was said"};
static const char *const urls[] = {"https://example.org/a",
	"http://x.test/b c", "https://x.org/{y}?q=1", "https://é.example/ü"};
static const char *const effects[] = {"disruption", "destruction",
	"data-theft", "espionage", "influence", "other"};
static const char *const stamps[] = {"2024-01-02T03:04:05.000Z",
	"2025-05-06T07:08:09.123Z", "2025-12-31T23:59:59.999Z"};

static const char *text(struct rng *r, struct arena *a, unsigned max)
{
	struct buf b = BUF_INIT;
	unsigned n = 1 + pick(r, max);
	for (unsigned i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? " " : "", ONE(r, words));
	const char *s = arena_strdup(a, b.p);
	buf_free(&b);
	return s;
}

/* Another spelling of t: letters of the other case, spaces doubled,
 * around it too. */
static const char *respell(struct arena *a, const char *t)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "  ");
	for (const char *p = t; *p; p++) {
		char c = *p;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		else if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		buf_addc(&b, c);
		if (c == ' ')
			buf_addc(&b, '\t');
	}
	buf_adds(&b, " ");
	const char *s = arena_strdup(a, b.p);
	buf_free(&b);
	return s;
}

static const char *date(struct rng *r, struct arena *a, unsigned from)
{
	unsigned y = from + pick(r, 2026 - from);
	switch (pick(r, 3)) {
	case 0: return arena_printf(a, "%u", y);
	case 1: return arena_printf(a, "%u-%02u", y, 1 + pick(r, 12));
	default: return arena_printf(a, "%u-%02u-%02u", y, 1 + pick(r, 12), 1 + pick(r, 28));
	}
}

static void version(struct rng *r, const char **created, const char **modified)
{
	if (pick(r, 4) == 0)
		return;
	unsigned c = pick(r, 3), m = c + pick(r, 3 - c);
	*created = stamps[c];
	*modified = stamps[m];
}

static void gen_actors(struct rng *r, struct reg_set *s)
{
	struct arena *a = &s->arena;
	unsigned n = pick(r, 4);
	for (unsigned i = 0; i < n; i++) {
		struct reg_actor *t = reg_add_actor(s);
		char u[37];
		reg_uuid("fuzz-actor", arena_printf(a, "%u", i), u);
		t->kind = pick(r, 2) ? "intrusion-set" : "threat-actor";
		t->id = arena_printf(a, "%s--%s", t->kind, u);
		t->name = text(r, a, 2);
		unsigned na = pick(r, 3);
		t->aliases = arena_alloc(a, (na + 1) * sizeof *t->aliases);
		for (unsigned k = 0; k < na; k++) {
			const char *al = pick(r, 4) ? text(r, a, 2) : "G0034";
			if (strcmp(al, t->name) != 0)
				t->aliases[t->n_aliases++] = al;
		}
		unsigned sp = pick(r, (unsigned)(sizeof states / sizeof states[0]) + 1);
		if (sp) {
			t->sponsor_iso3 = states[sp - 1];
			t->sponsor = pick(r, 2) ? state_names[sp - 1] : states[sp - 1];
		}
		t->confidence = pick(r, 3) ? -1 : (int)pick(r, 101);
		t->description = pick(r, 2) ? text(r, a, 4) : NULL;
		unsigned nr = pick(r, 3);
		t->refs = arena_alloc(a, (nr + 1) * sizeof *t->refs);
		for (unsigned k = 0; k < nr; k++)
			t->refs[t->n_refs++] = pick(r, 3) ? ONE(r, urls)
				: "https://attack.mitre.org/groups/G0034/";
		version(r, &t->created, &t->modified);
	}
	/* An intrusion set attributed to the threat actors behind it. */
	for (size_t i = 0; i < s->n_actors; i++) {
		struct reg_actor *t = &s->actors[i];
		t->rels = arena_alloc(a, (s->n_actors + 1) * sizeof *t->rels);
		for (size_t k = 0; k < s->n_actors; k++)
			if (strcmp(t->kind, "intrusion-set") == 0 &&
			    strcmp(s->actors[k].kind, "threat-actor") == 0 && pick(r, 2)) {
				struct reg_actor_rel *l = &t->rels[t->n_rels++];
				l->target = s->actors[k].id;
				l->confidence = pick(r, 2) ? -1 : (int)pick(r, 101);
				char u[37];
				reg_uuid("fuzz-rel", arena_printf(a, "%zu|%zu", i, k), u);
				l->source = pick(r, 2) ? NULL : arena_printf(a, "relationship--%s", u);
			}
	}
}

static void gen_attr(struct rng *r, struct reg_set *s, const struct reg_incident *inc)
{
	struct arena *a = &s->arena;
	struct reg_attr *t = reg_add_attr(s);
	t->incident = inc->id;
	switch (pick(r, 4)) {
	case 0:
		t->party_kind = "organisation";
		t->party_name = "European Union";
		break;
	case 1:
		t->party_kind = "company";
		t->party_name = pick(r, 2) ? "Mandiant" : "The MITRE Corporation";
		break;
	case 2:
		t->party_kind = "state_group";
		t->members = arena_alloc(a, 2 * sizeof *t->members);
		t->members[0] = states[pick(r, 5)];
		t->members[1] = states[5 + pick(r, 5)];
		t->n_members = 2;
		t->party_name = arena_printf(a, "%s+%s", t->members[0], t->members[1]);
		break;
	default:
		t->party_kind = "state";
		t->party_iso3 = t->party_name = ONE(r, states);
	}
	switch (pick(r, 3)) {
	case 0:
		t->target_iso3 = ONE(r, states);
		break;
	case 1:
		t->actor = text(r, a, 3);
		t->target_iso3 = pick(r, 2) ? ONE(r, states) : NULL;
		break;
	default:
		if (s->n_actors) {
			const struct reg_actor *ac = &s->actors[pick(r, (unsigned)s->n_actors)];
			t->actor_id = ac->id;
			t->actor = ac->name;
			t->target_iso3 = ac->sponsor_iso3;
		} else {
			t->target_iso3 = "RUS";
		}
	}
	unsigned from = inc->start ? (unsigned)atoi(inc->start) + 1 : 2000;
	t->date = date(r, a, from > 2025 ? 2025 : from);
	t->title = text(r, a, 4);
	t->url = ONE(r, urls);
	t->confidence = pick(r, 2) ? -1 : (int)pick(r, 101);
	static const char *const bases[] = {NULL, "technical", "political", "legal"};
	t->basis = ONE(r, bases);
	t->note = pick(r, 2) ? text(r, a, 3) : NULL;
	if (pick(r, 3)) {
		t->invoked = pick(r, 2) ? ONE(r, invoked)
			: arena_printf(a, "%s; %s", ONE(r, invoked), ONE(r, invoked));
		struct cdg_err e;
		err_clear(&e);
		int n = reg_refs_parse(t->invoked, a, &t->refs, &e);
		t->n_refs = n > 0 ? (size_t)n : 0;
	}
	unsigned nr = pick(r, 2) ? 0 : 1 + pick(r, 2);
	static const char *const kinds[] = {"sanctions", "indictment", "expulsion",
		"demarche", "other"};
	t->responses = arena_alloc(a, (nr + 1) * sizeof *t->responses);
	for (unsigned k = 0; k < nr; k++) {
		struct reg_response *p = &t->responses[t->n_responses++];
		p->kind = ONE(r, kinds);
		p->date = pick(r, 2) ? NULL : "2026";
		p->description = text(r, a, 3);
		p->url = pick(r, 2) ? NULL : ONE(r, urls);
	}
	version(r, &t->created, &t->modified);
	char id[37];
	struct buf key = BUF_INIT;
	buf_addf(&key, "%s|%s|%s|%s|%s", t->incident,
		 t->party_iso3 ? t->party_iso3 : t->party_name, t->date, t->title,
		 t->target_iso3 ? t->target_iso3 : "");
	if (getenv("RT_DEBUG"))
		fprintf(stderr, "gen key %s\n", key.p);
	reg_uuid("attribution", key.p, id);
	buf_free(&key);
	t->id = arena_strdup(a, id);
}

static void gen(struct rng *r, struct reg_set *s)
{
	struct arena *a = &s->arena;
	gen_actors(r, s);
	unsigned n = 1 + pick(r, 4);
	for (unsigned i = 0; i < n; i++) {
		const char *title = text(r, a, 4);
		const char *id = reg_incident_id(s, title);
		/* Identity: another spelling finds the same incident. */
		if (strcmp(reg_incident_id(s, respell(a, title)), id) != 0)
			abort();
		if (reg_find_incident(s, id))
			continue;
		struct reg_incident *inc = reg_add_incident(s);
		inc->id = id;
		inc->title = title;
		inc->start = pick(r, 3) ? date(r, a, 2000) : NULL;
		inc->end = inc->start && pick(r, 2) ? "2026" : NULL;
		inc->description = pick(r, 2) ? text(r, a, 5) : NULL;
		unsigned ne = pick(r, 3);
		inc->effects = arena_alloc(a, (ne + 1) * sizeof *inc->effects);
		for (unsigned k = 0; k < ne; k++)
			inc->effects[inc->n_effects++] = ONE(r, effects);
		inc->cert_targeted = (int)pick(r, 3) - 1;
		unsigned nv = pick(r, 3);
		inc->victims = arena_alloc(a, (nv + 1) * sizeof *inc->victims);
		for (unsigned k = 0; k < nv; k++)
			inc->victims[inc->n_victims++] = states[k * 3 + pick(r, 3)];
		unsigned ns = pick(r, 2);
		inc->sectors = arena_alloc(a, (ns + 1) * sizeof *inc->sectors);
		for (unsigned k = 0; k < ns; k++)
			inc->sectors[inc->n_sectors++] = "energy";
		unsigned nsrc = pick(r, 3);
		inc->sources = arena_alloc(a, (nsrc + 1) * sizeof *inc->sources);
		for (unsigned k = 0; k < nsrc; k++)
			inc->sources[inc->n_sources++] = urls[k];
		version(r, &inc->created, &inc->modified);
	}
	for (size_t i = 0; i < s->n_incidents; i++) {
		unsigned na = pick(r, 4);
		for (unsigned k = 0; k < na; k++)
			gen_attr(r, s, &s->incidents[i]);
	}
}

/* ---- comparing ------------------------------------------------------------- */

static const char *field;  /* the field that differed, for the report */

static bool same_s(const char *a, const char *b, const char *f)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0)) {
		field = f;
		return false;
	}
	return true;
}

static bool same_v(const char *const *a, size_t na, const char *const *b,
		   size_t nb, const char *f)
{
	if (na != nb) {
		field = f;
		return false;
	}
	for (size_t i = 0; i < na; i++)
		if (!same_s(a[i], b[i], f))
			return false;
	return true;
}

static bool same_i(long a, long b, const char *f)
{
	if (a != b)
		field = f;
	return a == b;
}

/* What a format carries (docs/registry.md, "Round trips"). */
enum carry { FULL, STIX, CSV };

static bool same_ver(const char *c1, const char *m1, const char *c2,
		     const char *m2, enum carry k)
{
	if (k == CSV)
		return true;
	if (k == STIX && !c1)
		return same_s(c2, NOW, "created") && same_s(m2, NOW, "modified");
	return same_s(c1, c2, "created") && same_s(m1, m2, "modified");
}

static bool same_incident(const struct reg_incident *x, const struct reg_incident *y,
			  enum carry k)
{
	if (!same_s(x->id, y->id, "incident id") || !same_s(x->title, y->title, "title") ||
	    !same_s(x->start, y->start, "start"))
		return false;
	if (k == CSV)
		return true;
	return same_s(x->end, y->end, "end") &&
	       same_s(x->description, y->description, "description") &&
	       same_v(x->effects, x->n_effects, y->effects, y->n_effects, "effects") &&
	       same_i(x->cert_targeted, y->cert_targeted, "cert_targeted") &&
	       same_v(x->victims, x->n_victims, y->victims, y->n_victims, "victims") &&
	       same_v(x->sectors, x->n_sectors, y->sectors, y->n_sectors, "sectors") &&
	       same_v(x->sources, x->n_sources, y->sources, y->n_sources, "sources") &&
	       same_ver(x->created, x->modified, y->created, y->modified, k);
}

static bool same_attr(const struct reg_attr *x, const struct reg_attr *y, enum carry k)
{
	if (!same_s(x->id, y->id, "attribution id") ||
	    !same_s(x->incident, y->incident, "incident") ||
	    !same_s(x->party_kind, y->party_kind, "party_kind") ||
	    !same_s(x->party_name, y->party_name, "party_name") ||
	    !same_s(x->party_iso3, y->party_iso3, "party_iso3") ||
	    !same_v(x->members, x->n_members, y->members, y->n_members, "members") ||
	    !same_s(x->target_iso3, y->target_iso3, "target") ||
	    !same_s(x->actor, y->actor, "actor") || !same_s(x->date, y->date, "date") ||
	    !same_s(x->title, y->title, "statement title") ||
	    !same_s(x->url, y->url, "url") ||
	    !same_i(x->confidence, y->confidence, "confidence") ||
	    !same_s(x->basis, y->basis, "basis") || !same_s(x->note, y->note, "note") ||
	    !same_s(x->invoked, y->invoked, "invoked") ||
	    !same_i((long)x->n_refs, (long)y->n_refs, "invocations"))
		return false;
	for (size_t i = 0; i < x->n_refs; i++) {
		const struct reg_ref *f = &x->refs[i], *g = &y->refs[i];
		if (!same_i(f->kind, g->kind, "invocation kind") ||
		    !same_i(f->norm, g->norm, "invocation norm") ||
		    !same_s(f->rule, g->rule, "invocation rule") ||
		    !same_s(f->text, g->text, "invocation text") ||
		    !same_s(f->articulation, g->articulation, "articulation"))
			return false;
	}
	if (k == CSV)
		return true;
	if (!same_s(x->actor_id, y->actor_id, "actor_id") ||
	    !same_i((long)x->n_responses, (long)y->n_responses, "responses"))
		return false;
	for (size_t i = 0; i < x->n_responses; i++) {
		const struct reg_response *p = &x->responses[i], *q = &y->responses[i];
		if (!same_s(p->kind, q->kind, "response kind") ||
		    !same_s(p->date, q->date, "response date") ||
		    !same_s(p->description, q->description, "response description") ||
		    !same_s(p->url, q->url, "response url"))
			return false;
	}
	return (k == STIX || same_s(x->standard, y->standard, "standard")) &&
	       same_ver(x->created, x->modified, y->created, y->modified, k);
}

static bool same_actor(const struct reg_actor *x, const struct reg_actor *y, enum carry k)
{
	if (!same_s(x->id, y->id, "actor id") || !same_s(x->kind, y->kind, "kind") ||
	    !same_s(x->name, y->name, "name") ||
	    !same_v(x->aliases, x->n_aliases, y->aliases, y->n_aliases, "aliases") ||
	    !same_s(x->sponsor, y->sponsor, "sponsor") ||
	    !same_s(x->sponsor_iso3, y->sponsor_iso3, "sponsor_iso3") ||
	    !same_i(x->confidence, y->confidence, "actor confidence") ||
	    !same_s(x->description, y->description, "actor description") ||
	    !same_v(x->refs, x->n_refs, y->refs, y->n_refs, "refs") ||
	    !same_i((long)x->n_rels, (long)y->n_rels, "attributed_to"))
		return false;
	for (size_t i = 0; i < x->n_rels; i++)
		if (!same_s(x->rels[i].target, y->rels[i].target, "rel target") ||
		    !same_i(x->rels[i].confidence, y->rels[i].confidence, "rel confidence") ||
		    (k == FULL && !same_s(x->rels[i].source, y->rels[i].source, "rel source")))
			return false;
	return same_ver(x->created, x->modified, y->created, y->modified, k);
}

static bool same_set(const struct reg_set *x, const struct reg_set *y, enum carry k)
{
	size_t ny = 0;
	for (size_t i = 0; i < x->n_incidents; i++) {
		const struct reg_incident *inc = &x->incidents[i];
		/* CSV has incidents through their attributions only. */
		bool has = k != CSV;
		for (size_t j = 0; j < x->n_attrs && !has; j++)
			has = strcmp(x->attrs[j].incident, inc->id) == 0;
		if (!has)
			continue;
		const struct reg_incident *other = reg_find_incident(y, inc->id);
		if (!other) {
			field = "incident missing";
			return false;
		}
		if (!same_incident(inc, other, k))
			return false;
		ny++;
	}
	if (!same_i((long)ny, (long)y->n_incidents, "incident count") ||
	    !same_i((long)x->n_attrs, (long)y->n_attrs, "attribution count"))
		return false;
	/* Attributions in the order written: CSV and STIX by the set's order,
	 * registry JSON grouped by incident. */
	for (size_t i = 0; i < x->n_attrs; i++) {
		const struct reg_attr *other = NULL;
		for (size_t j = 0; j < y->n_attrs && !other; j++)
			if (strcmp(y->attrs[j].id, x->attrs[i].id) == 0)
				other = &y->attrs[j];
		if (!other) {
			static char missing[160];
			snprintf(missing, sizeof missing, "attribution %s (%s, %s, %s) missing",
				 x->attrs[i].id, x->attrs[i].party_name, x->attrs[i].date,
				 x->attrs[i].target_iso3 ? x->attrs[i].target_iso3 : "-");
			field = missing;
			for (size_t j = 0; j < y->n_attrs; j++)
				fprintf(stderr, "  read back: %s (%s, %s, %s, %s)\n", y->attrs[j].id,
					y->attrs[j].party_name, y->attrs[j].date,
					y->attrs[j].target_iso3 ? y->attrs[j].target_iso3 : "-",
					y->attrs[j].incident);
			return false;
		}
		if (!same_attr(&x->attrs[i], other, k))
			return false;
	}
	if (k == CSV)
		return true;
	if (!same_i((long)x->n_actors, (long)y->n_actors, "actor count"))
		return false;
	for (size_t i = 0; i < x->n_actors; i++)
		if (!same_actor(&x->actors[i], &y->actors[i], k))
			return false;
	return true;
}

/* ---- the formats ------------------------------------------------------------ */

static void write_fmt(enum carry k, const struct reg_set *s, struct buf *out)
{
	if (k == FULL) {
		struct jw w;
		jw_init(&w, out, true);
		reg_json_write(s, &w);
	} else if (k == STIX) {
		stix_write(s, NOW, out);
	} else {
		reg_csv_write(s, out);
	}
}

static int read_fmt(enum carry k, struct reg_set *s, const struct buf *in,
		    struct err_list *errs)
{
	if (k == FULL)
		return reg_json_parse(s, "rt.json", in->p, in->len, fuzz_names(), errs);
	if (k == STIX)
		return stix_parse(s, "rt.stix.json", in->p, in->len, fuzz_names(), errs);
	return reg_csv_parse(s, "rt.csv", in->p, in->len, fuzz_names(), errs);
}

static void fail(const char *what, enum carry k, const struct buf *text,
		 const struct err_list *errs)
{
	static const char *const names[] = {"registry JSON", "STIX", "CSV"};
	fprintf(stderr, "round trip through %s: %s%s%s\n", names[k], what,
		field ? ": " : "", field ? field : "");
	for (size_t i = 0; errs && i < errs->n; i++)
		fprintf(stderr, "  %s:%ld: %s: %s\n", errs->v[i].file, errs->v[i].line,
			errs->v[i].field, errs->v[i].msg);
	fprintf(stderr, "%.*s\n", (int)(text->len > 4000 ? 4000 : text->len), text->p);
	abort();
}

static void round_trip(const struct reg_set *s, enum carry k)
{
	struct buf one = BUF_INIT, two = BUF_INIT;
	write_fmt(k, s, &one);
	struct reg_set t;
	reg_set_init(&t);
	struct err_list errs;
	errs_init(&errs, 8);
	field = NULL;
	if (read_fmt(k, &t, &one, &errs) != 0)
		fail("the export does not read back", k, &one, &errs);
	if (!same_set(s, &t, k))
		fail("a record differs", k, &one, NULL);
	write_fmt(k, &t, &two);
	if (one.len != two.len || memcmp(one.p, two.p, one.len) != 0)
		fail("exported again, the bytes differ", k, &two, NULL);
	errs_free(&errs);
	reg_set_free(&t);
	buf_free(&one);
	buf_free(&two);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rng r = {data, size, 0};
	struct reg_set s0, s1;
	reg_set_init(&s0);
	reg_set_init(&s1);
	gen(&r, &s0);
	/* Stored as an import of registry JSON stores it. */
	struct buf j = BUF_INIT;
	struct jw w;
	jw_init(&w, &j, true);
	reg_json_write(&s0, &w);
	struct err_list errs;
	errs_init(&errs, 8);
	if (reg_json_parse(&s1, "gen.json", j.p, j.len, fuzz_names(), &errs) == 0) {
		round_trip(&s1, FULL);
		round_trip(&s1, STIX);
		round_trip(&s1, CSV);
	}
	errs_free(&errs);
	buf_free(&j);
	reg_set_free(&s0);
	reg_set_free(&s1);
	return 0;
}
