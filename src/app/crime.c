/* Cybercrime co-operation queries (issue 7): articles, the pair, matrix
 * and treaty views and the draft check, on the pure engine in crime/.  See
 * app.h and docs/cybercrime.md. */
#include "app/crime_int.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- the engine's view of the database --------------------------------------- */


/* Everything the pair, matrix and treaty queries read, with provenance. */
struct cctx {
	struct arena a;
	struct crime_catalog cat;
	struct states s;
	size_t na, nt;
	uint8_t *kind, *cov, *scope;
	int32_t *in_force;           /* [state * nt + treaty] */
	uint8_t *listed;             /* [state * nt + treaty] 1: listed as a
					party (dated or not) */
	int32_t *listed_from;        /* [state * nt + treaty] a party without
					a verified entry into force: first
					day it may be one (crime.h) */
	int32_t *consent;            /* [state * nt + treaty] consent to be
					bound, or CRIME_NEVER */
	uint8_t *obliges;            /* [treaty * na + art] 1: every party
					must establish the offence */
	const char **cov_cite, **cov_src, **cov_basis; /* [state * na + art] */
	struct crime_mlat *mlats;
	struct store_crime_mlat *mlat_rows; /* provenance, same order */
	size_t n_mlats, cap_mlats;
	size_t n_mlat_rows;          /* MLAT rows stored (signed or in force) */
	int32_t *net;                /* [state] 24/7 since, CRIME_NEVER */
	uint8_t *net_undated;        /* [state] 1: a point of contact whose
					start is not recorded */
	const char **net_src;        /* [state] its source */
	size_t n_contacts;           /* 24/7 rows stored */
	size_t n_cov_rows;           /* coverage rows stored */
	struct crime_data d;
	struct crime_ext x;          /* obligations, undated parties */
};

static int cov_cb(void *ctx, const struct store_crime_cov *r)
{
	struct cctx *c = ctx;
	long s = cr_state_find(&c->s, r->iso3);
	long art = crime_article_find(&c->cat, r->article);
	int v = crime_cov_parse(r->covered);
	if (s < 0 || art < 0 || v < 0)
		return 0; /* foreign keys and CHECKs make this unreachable */
	size_t k = (size_t)s * c->na + (size_t)art;
	c->cov[k] = (uint8_t)v;
	c->cov_cite[k] = r->citation ? arena_strdup(&c->a, r->citation) : NULL;
	c->cov_src[k] = r->source_url ? arena_strdup(&c->a, r->source_url) : NULL;
	c->cov_basis[k] = arena_strdup(&c->a, r->basis);
	c->n_cov_rows++;
	return 0;
}

static int party_cb(void *ctx, const struct store_crime_party *r)
{
	struct cctx *c = ctx;
	long s = cr_state_find(&c->s, r->iso3);
	long t = crime_treaty_find(&c->cat, r->treaty);
	if (s < 0 || t < 0 || strcmp(r->status, "party") != 0)
		return 0; /* treaties outside the crime catalog; signatories */
	size_t k = (size_t)s * c->nt + (size_t)t;
	c->listed[k] = 1;
	c->in_force[k] = cr_day_of(r->in_force);
	c->consent[k] = cr_day_of(r->consent);
	if (c->in_force[k] == CRIME_NEVER) {
		/* A party whose own entry into force is not verified: not a
		 * non-party, and no date is made up for it.  It may have been
		 * a party from its consent on, never before the treaty
		 * itself was in force (or open, if that is not recorded). */
		const struct crime_treaty *tr = &c->cat.treaties[t];
		int32_t from = cr_day_of(tr->entered_into_force);
		if (from == CRIME_NEVER)
			from = cr_day_of(tr->opened);
		if (c->consent[k] != CRIME_NEVER && c->consent[k] > from)
			from = c->consent[k];
		c->listed_from[k] = from;
	}
	return 0;
}

static int mlat_cb(void *ctx, const struct store_crime_mlat *r)
{
	struct cctx *c = ctx;
	long a = cr_state_find(&c->s, r->a), b = cr_state_find(&c->s, r->b);
	if (a < 0 || b < 0)
		return 0;
	if (c->n_mlats == c->cap_mlats) {
		size_t cap = c->cap_mlats ? c->cap_mlats * 2 : 64;
		struct crime_mlat *m = arena_alloc(&c->a, cap * sizeof *m);
		struct store_crime_mlat *p = arena_alloc(&c->a, cap * sizeof *p);
		if (c->n_mlats) {
			memcpy(m, c->mlats, c->n_mlats * sizeof *m);
			memcpy(p, c->mlat_rows, c->n_mlats * sizeof *p);
		}
		c->mlats = m;
		c->mlat_rows = p;
		c->cap_mlats = cap;
	}
	c->mlats[c->n_mlats] = (struct crime_mlat){(uint32_t)a, (uint32_t)b,
						  cr_day_of(r->in_force)};
	struct store_crime_mlat *p = &c->mlat_rows[c->n_mlats];
	p->a = c->s.iso3[a];
	p->b = c->s.iso3[b];
	p->signed_on = r->signed_on ? arena_strdup(&c->a, r->signed_on) : NULL;
	p->in_force = r->in_force ? arena_strdup(&c->a, r->in_force) : NULL;
	p->source_url = arena_strdup(&c->a, r->source_url);
	p->note = r->note ? arena_strdup(&c->a, r->note) : NULL;
	c->n_mlats++;
	return 0;
}

static int contact_cb(void *ctx, const struct store_crime_contact *r)
{
	struct cctx *c = ctx;
	long s = cr_state_find(&c->s, r->iso3);
	if (s < 0)
		return 0;
	/* A point of contact without a date exists now but its start is
	 * unknown: counted from the as-of date only (see docs). */
	c->net[s] = r->since ? cr_day_of(r->since) : CRIME_NEVER - 1;
	c->net_undated[s] = !r->since;
	c->net_src[s] = arena_strdup(&c->a, r->source_url);
	c->n_contacts++;
	return 0;
}

static void cctx_free(struct cctx *c)
{
	strmap_free(&c->s.idx);
	arena_free(&c->a);
}

static int cctx_load(struct app *app, struct cctx *c, struct cdg_err *e)
{
	memset(c, 0, sizeof *c);
	arena_init(&c->a);
	strmap_init(&c->s.idx);
	int rc = cr_catalog_load(app, &c->a, &c->cat, e);
	if (rc == 0) {
		strmap_free(&c->s.idx);
		rc = cr_states_load(app->st, &c->a, &c->s, e);
	}
	if (rc)
		return rc;
	size_t ns = c->s.n, na = c->na = c->cat.n_articles;
	size_t nt = c->nt = c->cat.n_treaties;
	if (nt > CRIME_MAX_TREATIES)
		return err_set(e, CDG_EINTERNAL, "more than %d treaties",
			       CRIME_MAX_TREATIES);
	c->kind = arena_alloc(&c->a, na ? na : 1);
	for (size_t i = 0; i < na; i++)
		c->kind[i] = (uint8_t)c->cat.articles[i].kind;
	c->scope = arena_alloc(&c->a, nt * na + 1);
	c->obliges = arena_alloc(&c->a, nt * na + 1);
	for (size_t t = 0; t < nt; t++) {
		const struct crime_treaty *tr = &c->cat.treaties[t];
		for (size_t k = 0; k < tr->n_scope; k++) {
			long art = crime_article_find(&c->cat, tr->scope[k]);
			if (art >= 0)
				c->scope[t * na + (size_t)art] = 1;
		}
		for (size_t k = 0; k < tr->n_obliges; k++) {
			long art = crime_article_find(&c->cat, tr->obliges[k].article);
			if (art >= 0)
				c->obliges[t * na + (size_t)art] = 1;
		}
	}
	c->cov = arena_alloc(&c->a, ns * na + 1); /* zero: unknown */
	c->cov_cite = arena_alloc(&c->a, (ns * na + 1) * sizeof *c->cov_cite);
	c->cov_src = arena_alloc(&c->a, (ns * na + 1) * sizeof *c->cov_src);
	c->cov_basis = arena_alloc(&c->a, (ns * na + 1) * sizeof *c->cov_basis);
	c->in_force = arena_alloc(&c->a, (ns * nt + 1) * sizeof *c->in_force);
	c->listed_from = arena_alloc(&c->a, (ns * nt + 1) * sizeof *c->listed_from);
	c->consent = arena_alloc(&c->a, (ns * nt + 1) * sizeof *c->consent);
	for (size_t i = 0; i < ns * nt; i++)
		c->in_force[i] = c->listed_from[i] = c->consent[i] = CRIME_NEVER;
	c->listed = arena_alloc(&c->a, ns * nt + 1);
	c->net = arena_alloc(&c->a, (ns + 1) * sizeof *c->net);
	for (size_t i = 0; i < ns; i++)
		c->net[i] = CRIME_NEVER;
	c->net_src = arena_alloc(&c->a, (ns + 1) * sizeof *c->net_src);
	c->net_undated = arena_alloc(&c->a, ns + 1);
	rc = store_crime_coverage(app->st, NULL, cov_cb, c, e);
	if (rc == 0)
		rc = store_crime_parties(app->st, NULL, party_cb, c, e);
	if (rc == 0)
		rc = store_crime_mlats(app->st, mlat_cb, c, e);
	if (rc == 0)
		rc = store_crime_contacts(app->st, contact_cb, c, e);
	if (rc)
		return rc;
	c->d = (struct crime_data){ns, na, c->kind, c->cov, nt, c->scope,
				   c->in_force, c->n_mlats, c->mlats, c->net};
	c->x = (struct crime_ext){c->obliges, c->listed_from};
	return crime_data_check(&c->d, e);
}

/* The 24/7 array on date: an undated point of contact counts from date,
 * but a party to ETS 185 (whose Article 35 it serves) has none before it
 * is a party, so not before its entry into force, or, when that is not
 * verified, the first day it may have been a party. */
static void net_on(struct cctx *c, int32_t date)
{
	long t = crime_treaty_find(&c->cat, "ETS185");
	for (size_t i = 0; i < c->s.n; i++) {
		if (c->net[i] != CRIME_NEVER - 1)
			continue;
		int32_t from = INT32_MIN;
		if (t >= 0 && c->listed[i * c->nt + (size_t)t]) {
			size_t k = i * c->nt + (size_t)t;
			from = c->in_force[k] != CRIME_NEVER ? c->in_force[k]
							     : c->listed_from[k];
		}
		c->net[i] = from <= date ? date : CRIME_NEVER;
	}
}

/* ---- argument checks shared by the queries ----------------------------------- */

int app_crime_parse_date(const char *s, int32_t *out, struct cdg_err *e)
{
	if (!s) {
		*out = cr_today();
		return 0;
	}
	if (crime_date_parse(s, out) != 0)
		return err_at(e, CDG_EUSAGE, NULL, 0, "date",
			      "\"%s\" is not a date (YYYY-MM-DD)", s);
	return 0;
}

static int state_arg(const struct cctx *c, const char *iso3, long *out,
		     struct cdg_err *e)
{
	if (!iso3_shape(iso3))
		return err_at(e, CDG_EUSAGE, NULL, 0, "iso3",
			      "\"%s\" is not an ISO 3166-1 alpha-3 code (three "
			      "capital letters, e.g. FRA)", iso3);
	*out = cr_state_find(&c->s, iso3);
	if (*out < 0)
		return err_at(e, CDG_ENOTFOUND, NULL, 0, "iso3",
			      "unknown state \"%s\" (not a UN member or "
			      "observer State)", iso3);
	return 0;
}

static bool article_shape(const char *s)
{
	if (strncmp(s, "BC", 2) != 0 || !s[2] || strlen(s) > 4)
		return false;
	for (const char *p = s + 2; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static int offence_arg(const struct cctx *c, const char *id, long *out,
		       struct cdg_err *e)
{
	if (!article_shape(id))
		return err_at(e, CDG_EUSAGE, NULL, 0, "offence",
			      "\"%s\" is not an ETS 185 article id (BC2 ... BC11)",
			      id);
	*out = crime_article_find(&c->cat, id);
	if (*out < 0)
		return err_at(e, CDG_ENOTFOUND, NULL, 0, "offence",
			      "unknown offence %s (see 'cdg crime articles')", id);
	const struct crime_article *x = &c->cat.articles[*out];
	if (x->kind != CRIME_OFFENCE)
		return err_at(e, CDG_EINPUT, NULL, 0, "offence",
			      "%s (%s) is a %s article, not an offence; offences "
			      "are BC2 to BC11", id, x->title,
			      x->kind == CRIME_POWER ? "procedural-power"
						     : "co-operation");
	return 0;
}

static void date_json(struct jw *w, const char *k, int32_t d)
{
	char s[11];
	jw_key(w, k);
	if (d == CRIME_NEVER) {
		jw_null(w);
		return;
	}
	crime_date_format(d, s);
	jw_str(w, s);
}

/* ---- cdg crime articles ------------------------------------------------------- */

int app_crime_articles_json(struct app *a, struct jw *w, struct cdg_err *e)
{
	int n = store_crime_articles_json(a->st, w, e);
	if (n == 0)
		return err_at(e, CDG_EDB, a->db_path, 0, NULL,
			      "no crime articles in the database; run 'cdg init'");
	return n < 0 ? n : 0;
}

/* ---- cdg crime pair ------------------------------------------------------------- */

static void coverage_json(struct jw *w, const struct cctx *c, size_t s,
			  size_t art)
{
	size_t k = s * c->na + art;
	jw_obj(w);
	jw_kstr(w, "iso3", c->s.iso3[s]);
	jw_kstr(w, "covered", crime_cov_name((enum crime_cov)c->cov[k]));
	jw_kstr(w, "legal_citation", c->cov_cite[k]);
	jw_kstr(w, "source_url", c->cov_src[k]);
	jw_kstr(w, "basis", c->cov_basis[k]);
	jw_obj_end(w);
}

/* State s's standing in treaty t on date, appended to m: "party since
 * 2006-05-01", "party, date not verified", "not a party". */
static void party_status(struct buf *m, const struct cctx *c, size_t s,
			 size_t t, int32_t date)
{
	size_t k = s * c->nt + t;
	char d[11];
	if (c->in_force[k] <= date) {
		crime_date_format(c->in_force[k], d);
		buf_addf(m, "party since %s", d);
	} else if (c->in_force[k] != CRIME_NEVER) {
		crime_date_format(c->in_force[k], d);
		buf_addf(m, "not yet a party (in force for it from %s)", d);
	} else if (c->listed_from[k] <= date) {
		buf_adds(m, "party, date not verified");
		if (c->consent[k] != CRIME_NEVER) {
			crime_date_format(c->consent[k], d);
			buf_addf(m, " (consent %s; entry into force not verified)", d);
		}
	} else if (c->listed[k] && c->consent[k] != CRIME_NEVER) {
		crime_date_format(c->consent[k], d);
		buf_addf(m, "not yet a party (consent %s)", d);
	} else if (c->listed[k]) {
		buf_adds(m, "not yet a party (the treaty was not in force)");
	} else {
		buf_adds(m, "not a party");
	}
}

/* The obligation of treaty t for article art, or NULL. */
static const struct crime_obligation *obligation(const struct cctx *c,
						 size_t t, size_t art)
{
	const struct crime_treaty *tr = &c->cat.treaties[t];
	for (size_t k = 0; k < tr->n_obliges; k++)
		if (strcmp(tr->obliges[k].article, c->cat.articles[art].id) == 0)
			return &tr->obliges[k];
	return NULL;
}

/* The first treaty that obliges article art, or -1. */
static long obliging_treaty(const struct cctx *c, size_t art, uint64_t among)
{
	for (size_t t = 0; t < c->nt; t++)
		if (c->obliges[t * c->na + art] && (among >> t & 1))
			return (long)t;
	return -1;
}

/* The state of a and b mapped as v, or NULL (both: "FRA and USA"). */
static const char *mapped_as(const struct cctx *c, size_t a, size_t b,
			     size_t art, enum crime_cov v, struct buf *m)
{
	bool in_a = c->cov[a * c->na + art] == v, in_b = c->cov[b * c->na + art] == v;
	buf_reset(m);
	if (in_a && in_b)
		buf_addf(m, "%s and %s", c->s.iso3[a], c->s.iso3[b]);
	else if (in_a || in_b)
		buf_adds(m, c->s.iso3[in_a ? a : b]);
	return m->len ? m->p : NULL;
}

/* One sentence on what dual criminality rests on (docs/cybercrime.md). */
static void dual_basis(struct buf *m, const struct cctx *c, size_t a, size_t b,
		       size_t art, int32_t date, const struct crime_cell *cell)
{
	struct buf who = BUF_INIT;
	char ds[11];
	crime_date_format(date, ds);
	long any = obliging_treaty(c, art, ~(uint64_t)0);
	switch ((enum crime_dual)cell->dual) {
	case CRIME_DUAL_HOLDS:
		buf_adds(m, "established from national law: both laws are mapped "
			 "as covering the offence");
		break;
	case CRIME_DUAL_FAILS:
		buf_addf(m, "established from national law: %s mapped as not "
			 "covering the offence",
			 mapped_as(c, a, b, art, CRIME_COV_NO, &who));
		if (cell->presumed)
			buf_addf(m, "; the mapped law outranks the presumption "
				 "from %s, to which both are parties",
				 c->cat.treaties[obliging_treaty(c, art, cell->presumed)].id);
		break;
	case CRIME_DUAL_PRESUMED: {
		size_t t = (size_t)obliging_treaty(c, art, cell->presumed);
		const struct crime_obligation *o = obligation(c, t, art);
		buf_addf(m, "presumed from the treaty obligation, not established "
			 "from national law: %s obliges every Party to make this "
			 "an offence; %s ", c->cat.treaties[t].id, c->s.iso3[a]);
		party_status(m, c, a, t, date);
		buf_addf(m, ", %s ", c->s.iso3[b]);
		party_status(m, c, b, t, date);
		if (o && o->reservation)
			buf_addf(m, "; reservations not checked (%s)", o->reservation);
		if (o && o->declaration)
			buf_addf(m, "; declarations not checked (%s)", o->declaration);
		break;
	}
	case CRIME_DUAL_UNCERTAIN:
		buf_adds(m, "not established from national law");
		if (cell->presumed) {
			buf_addf(m, "; %s mapped as partial, which outranks the "
				 "presumption from %s",
				 mapped_as(c, a, b, art, CRIME_COV_PARTIAL, &who),
				 c->cat.treaties[obliging_treaty(c, art, cell->presumed)].id);
		} else if (any >= 0) {
			buf_addf(m, "; not presumed from %s on %s: %s ",
				 c->cat.treaties[any].id, ds, c->s.iso3[a]);
			party_status(m, c, a, (size_t)any, date);
			buf_addf(m, ", %s ", c->s.iso3[b]);
			party_status(m, c, b, (size_t)any, date);
		}
		break;
	}
	buf_free(&who);
}

static void pair_offence_json(struct jw *w, struct cctx *c, size_t a,
			      size_t b, size_t art, int32_t date,
			      const struct crime_cell *cell, struct buf *missing)
{
	const struct crime_article *x = &c->cat.articles[art];
	struct buf m = BUF_INIT;
	jw_obj(w);
	jw_kstr(w, "id", x->id);
	jw_kstr(w, "title", x->title);
	jw_kstr(w, "class", x->cls ? crime_class_name(x->cls) : NULL);
	jw_kstr(w, "dual_criminality", crime_dual_name((enum crime_dual)cell->dual));
	dual_basis(&m, c, a, b, art, date, cell);
	jw_kstr(w, "dual_basis", m.p);
	jw_key(w, "presumption");
	if (cell->dual == CRIME_DUAL_PRESUMED) {
		size_t t = (size_t)obliging_treaty(c, art, cell->presumed);
		const struct crime_obligation *o = obligation(c, t, art);
		jw_obj(w);
		jw_kstr(w, "treaty", c->cat.treaties[t].id);
		date_json(w, "a_party_since", c->in_force[a * c->nt + t]);
		date_json(w, "b_party_since", c->in_force[b * c->nt + t]);
		jw_kstr(w, "reservation", o ? o->reservation : NULL);
		jw_kstr(w, "declaration", o ? o->declaration : NULL);
		jw_kbool(w, "reservations_checked", false);
		jw_kstr(w, "source_url", c->cat.treaties[t].obliges_source_url);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "coverage");
	jw_obj(w);
	jw_key(w, "a");
	coverage_json(w, c, a, art);
	jw_key(w, "b");
	coverage_json(w, c, b, art);
	jw_obj_end(w);
	jw_key(w, "channels");
	jw_arr(w);
	for (size_t t = 0; t < c->nt; t++) {
		bool dated = cell->treaties >> t & 1;
		if (!dated && !(cell->unverified >> t & 1))
			continue;
		jw_obj(w);
		jw_kstr(w, "type", "treaty");
		jw_kstr(w, "treaty", c->cat.treaties[t].id);
		jw_kstr(w, "name", c->cat.treaties[t].name);
		date_json(w, "a_in_force", c->in_force[a * c->nt + t]);
		date_json(w, "b_in_force", c->in_force[b * c->nt + t]);
		jw_kbool(w, "dates_verified", dated);
		buf_reset(&m);
		party_status(&m, c, a, t, date);
		jw_kstr(w, "a_party", m.p);
		buf_reset(&m);
		party_status(&m, c, b, t, date);
		jw_kstr(w, "b_party", m.p);
		jw_obj_end(w);
	}
	if (cell->channels & CRIME_CH_MLAT)
		for (size_t k = 0; k < c->n_mlats; k++) {
			const struct crime_mlat *y = &c->mlats[k];
			if (!((y->a == a && y->b == b) || (y->a == b && y->b == a)) ||
			    y->in_force > date)
				continue;
			jw_obj(w);
			jw_kstr(w, "type", "mlat");
			jw_kstr(w, "signed", c->mlat_rows[k].signed_on);
			jw_kstr(w, "in_force", c->mlat_rows[k].in_force);
			jw_kstr(w, "source_url", c->mlat_rows[k].source_url);
			jw_obj_end(w);
		}
	if (cell->channels & CRIME_CH_247) {
		jw_obj(w);
		jw_kstr(w, "type", "24/7");
		date_json(w, "a_since", c->net_undated[a] ? CRIME_NEVER : c->net[a]);
		date_json(w, "b_since", c->net_undated[b] ? CRIME_NEVER : c->net[b]);
		jw_kstr(w, "a_source_url", c->net_src[a]);
		jw_kstr(w, "b_source_url", c->net_src[b]);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "missing");
	if (cell->channels) {
		jw_null(w);
	} else {
		buf_reset(missing);
		crime_missing_text(missing, x->id, c->s.iso3[a], c->s.iso3[b]);
		jw_str(w, missing->p);
	}
	jw_obj_end(w);
	buf_free(&m);
}

/* Each state's 24/7 point of contact (Article 35), known or not. */
static void pair_network(struct jw *w, const struct cctx *c, size_t s)
{
	jw_obj(w);
	jw_kstr(w, "iso3", c->s.iso3[s]);
	bool member = c->net[s] != CRIME_NEVER;
	jw_kbool(w, "member", member);
	/* on record but not a member on the date: not yet a party */
	jw_kbool(w, "on_record", c->net_src[s] != NULL);
	date_json(w, "since", member && !c->net_undated[s] ? c->net[s] : CRIME_NEVER);
	jw_kbool(w, "since_verified", member && !c->net_undated[s]);
	jw_kstr(w, "source_url", c->net_src[s]);
	jw_obj_end(w);
}

/* What the data cannot tell for this pair: parties whose dates are not
 * verified, the reservations the presumption does not check, and absent
 * MLAT / 24/7 data. */
static void pair_caveats(struct jw *w, const struct cctx *c, size_t a,
			 size_t b, int32_t date, bool presumed)
{
	jw_key(w, "caveats");
	jw_arr(w);
	struct buf m = BUF_INIT;
	char ds[11];
	crime_date_format(date, ds);
	for (size_t t = 0; t < c->nt; t++) {
		size_t ka = a * c->nt + t, kb = b * c->nt + t;
		bool in_a = c->in_force[ka] <= date, in_b = c->in_force[kb] <= date;
		bool undated_a = c->listed_from[ka] <= date;
		bool undated_b = c->listed_from[kb] <= date;
		if (!((undated_a && (in_b || undated_b)) ||
		      (undated_b && (in_a || undated_a))))
			continue;
		buf_reset(&m);
		buf_addf(&m, "%s: ", c->cat.treaties[t].id);
		if (undated_a && undated_b)
			buf_addf(&m, "%s and %s are parties", c->s.iso3[a], c->s.iso3[b]);
		else
			buf_addf(&m, "%s is a party", c->s.iso3[undated_a ? a : b]);
		buf_addf(&m, ", date not verified: whether %s a party on %s is "
			 "not known, so its treaty channel is shown as not "
			 "verified and dual criminality is not presumed from it",
			 undated_a && undated_b ? "each was" : "it was", ds);
		jw_str(w, m.p);
	}
	if (presumed)
		jw_str(w, "presumed dual criminality rests on the treaty "
		       "obligation alone: reservations (Art. 42), declarations "
		       "(Art. 40) and the federal clause (Art. 41) are not checked");
	if (c->n_mlats == 0)
		jw_str(w, "no bilateral MLAT data is loaded: the MLAT channel is "
		       "unknown, not absent");
	if (c->n_contacts == 0)
		jw_str(w, "no 24/7 point-of-contact data is loaded: the 24/7 "
		       "channel is unknown, not absent");
	for (size_t k = 0; c->n_contacts && k < 2; k++) {
		size_t s = k ? b : a;
		if (c->net[s] != CRIME_NEVER || c->net_src[s])
			continue;
		buf_reset(&m);
		buf_addf(&m, "%s: no 24/7 point of contact on record; the 24/7 "
			 "channel is unknown, not absent", c->s.iso3[s]);
		for (size_t t = 0; t < c->nt; t++)
			if (strcmp(c->cat.treaties[t].id, "ETS185") == 0 &&
			    c->listed[s * c->nt + t])
				buf_adds(&m, " (Art. 35 obliges every Party to "
					 "ETS 185 to designate one)");
		jw_str(w, m.p);
	}
	buf_free(&m);
	jw_arr_end(w);
}

int app_crime_pair_json(struct app *app, const char *iso_a, const char *iso_b,
			const char *offence, const char *date_s, struct jw *w,
			struct cdg_err *e)
{
	int32_t date;
	int rc = app_crime_parse_date(date_s, &date, e);
	if (rc)
		return rc;
	struct cctx c;
	rc = cctx_load(app, &c, e);
	long a = -1, b = -1, only = -1;
	if (rc == 0)
		rc = state_arg(&c, iso_a, &a, e);
	if (rc == 0)
		rc = state_arg(&c, iso_b, &b, e);
	if (rc == 0 && a == b)
		rc = err_at(e, CDG_EUSAGE, NULL, 0, "iso3",
			    "give two different states (%s twice)", iso_a);
	if (rc == 0 && offence)
		rc = offence_arg(&c, offence, &only, e);
	if (rc) {
		cctx_free(&c);
		return rc;
	}
	net_on(&c, date);
	char ds[11];
	crime_date_format(date, ds);
	jw_obj(w);
	jw_kstr(w, "a", c.s.iso3[a]);
	jw_kstr(w, "b", c.s.iso3[b]);
	jw_kstr(w, "date", ds);
	jw_key(w, "offences");
	jw_arr(w);
	struct buf miss = BUF_INIT, all = BUF_INIT;
	size_t n_missing = 0, n_unverified = 0, counts[CRIME_DUAL_COUNT] = {0};
	for (size_t art = 0; rc == 0 && art < c.na; art++) {
		if (c.kind[art] != CRIME_OFFENCE || (only >= 0 && (size_t)only != art))
			continue;
		struct crime_cell cell;
		rc = crime_pair_ext(&c.d, &c.x, (size_t)a, (size_t)b, art, date, &cell, e);
		if (rc)
			break;
		pair_offence_json(w, &c, (size_t)a, (size_t)b, art, date, &cell, &miss);
		counts[cell.dual]++;
		n_unverified += (cell.channels & ~CRIME_CH_UNVERIFIED) == 0 &&
				cell.channels != 0;
		if (!cell.channels) {
			buf_addf(&all, "%s%s", n_missing ? "\n" : "", miss.p);
			n_missing++;
		}
	}
	jw_arr_end(w);
	jw_key(w, "summary");
	jw_obj(w);
	jw_kint(w, "holds", (long long)counts[CRIME_DUAL_HOLDS]);
	jw_kint(w, "fails", (long long)counts[CRIME_DUAL_FAILS]);
	jw_kint(w, "uncertain", (long long)counts[CRIME_DUAL_UNCERTAIN]);
	jw_kint(w, "presumed", (long long)counts[CRIME_DUAL_PRESUMED]);
	jw_kint(w, "without_channel", (long long)n_missing);
	jw_kint(w, "only_unverified_channel", (long long)n_unverified);
	jw_obj_end(w);
	jw_key(w, "network_247");
	jw_arr(w);
	pair_network(w, &c, (size_t)a);
	pair_network(w, &c, (size_t)b);
	jw_arr_end(w);
	jw_key(w, "missing");
	jw_arr(w);
	for (const char *p = all.p; n_missing && *p;) {
		size_t len = strcspn(p, "\n");
		jw_strn(w, p, len);
		p += len + (p[len] == '\n');
	}
	jw_arr_end(w);
	pair_caveats(w, &c, (size_t)a, (size_t)b, date,
		     counts[CRIME_DUAL_PRESUMED] != 0);
	jw_obj_end(w);
	buf_free(&miss);
	buf_free(&all);
	cctx_free(&c);
	return rc;
}

/* ---- cdg crime matrix ------------------------------------------------------------- */

static void channels_text(struct buf *out, uint8_t ch)
{
	if (!ch) {
		buf_adds(out, "none");
		return;
	}
	const char *sep = "";
	if (ch & CRIME_CH_TREATY) {
		buf_adds(out, "treaty");
		sep = "+";
	}
	if (ch & CRIME_CH_MLAT) {
		buf_addf(out, "%smlat", sep);
		sep = "+";
	}
	if (ch & CRIME_CH_247) {
		buf_addf(out, "%s247", sep);
		sep = "+";
	}
	if (ch & CRIME_CH_UNVERIFIED)
		buf_addf(out, "%streaty_unverified", sep);
}

/* Texts of small bit sets (channels, treaties in force), made once per
 * distinct set: a matrix has few distinct sets and many cells. */
struct memo {
	uint64_t *keys;
	char **texts;
	size_t n, cap;
};

static const char *memo_text(struct memo *m, uint64_t key, struct buf *scratch,
			     void (*make)(struct buf *, uint64_t, const void *),
			     const void *ctx)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->keys[i] == key)
			return m->texts[i];
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->keys = xrealloc(m->keys, m->cap * sizeof *m->keys);
		m->texts = xrealloc(m->texts, m->cap * sizeof *m->texts);
	}
	buf_reset(scratch);
	make(scratch, key, ctx);
	m->keys[m->n] = key;
	m->texts[m->n] = xstrdup(scratch->p);
	return m->texts[m->n++];
}

static void memo_free(struct memo *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->texts[i]);
	free(m->keys);
	free(m->texts);
	memset(m, 0, sizeof *m);
}

static void channels_text_u(struct buf *out, uint64_t ch, const void *ctx)
{
	(void)ctx;
	channels_text(out, (uint8_t)ch);
}

static void treaties_text_u(struct buf *out, uint64_t mask, const void *ctx)
{
	const struct cctx *c = ctx;
	for (size_t t = 0; t < c->nt; t++)
		if (mask >> t & 1)
			buf_addf(out, "%s%s", out->len ? "+" : "", c->cat.treaties[t].id);
}

/* Treaties linking a pair only through a party whose date is not verified:
 * "ETS185:unverified". */
static void unverified_text_u(struct buf *out, uint64_t mask, const void *ctx)
{
	const struct cctx *c = ctx;
	for (size_t t = 0; t < c->nt; t++)
		if (mask >> t & 1)
			buf_addf(out, "%s%s:unverified", out->len ? "+" : "",
				 c->cat.treaties[t].id);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

int app_crime_matrix(struct app *app, const struct app_crime_matrix_opts *o,
		     struct buf *csv, struct app_crime_matrix_report *rep,
		     struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	int32_t date;
	int rc = app_crime_parse_date(o->date, &date, e);
	if (rc)
		return rc;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct cctx c;
	rc = cctx_load(app, &c, e);
	long only = -1;
	if (rc == 0 && o->offence && strcmp(o->offence, "all") != 0)
		rc = offence_arg(&c, o->offence, &only, e);
	if (rc) {
		cctx_free(&c);
		return rc;
	}
	net_on(&c, date);
	rep->ms_load = ms_since(&t0);
	size_t ns = c.s.n;
	struct crime_cell *m = xmalloc(ns * ns * sizeof *m);
	for (size_t i = 0; i < ns; i++)
		rep->states += o->observers || c.s.member[i];
	char ds[11];
	crime_date_format(date, ds);
	crime_date_format(date, rep->date);
	if (csv)
		buf_adds(csv, "offence,date,a,b,dual,channels,treaties,a_covered,"
			 "b_covered\r\n");
	struct buf ch = BUF_INIT, tr = BUF_INIT;
	struct memo memo_ch = {0}, memo_tr = {0}, memo_un = {0};
	for (size_t art = 0; rc == 0 && art < c.na; art++) {
		if (c.kind[art] != CRIME_OFFENCE || (only >= 0 && (size_t)only != art))
			continue;
		struct timespec tc;
		clock_gettime(CLOCK_MONOTONIC, &tc);
		rc = crime_matrix_ext(&c.d, &c.x, art, date, m, e);
		rep->ms_compute += ms_since(&tc);
		if (rc)
			break;
		rep->offences++;
		rep->cells += ns * ns;
		const char *id = c.cat.articles[art].id;
		for (size_t i = 0; i < ns; i++) {
			if (!o->observers && !c.s.member[i])
				continue;
			for (size_t j = i + 1; j < ns; j++) {
				if (!o->observers && !c.s.member[j])
					continue;
				const struct crime_cell *x = &m[i * ns + j];
				rep->rows++;
				/* app.h has three slots (holds, fails,
				 * uncertain); presumed cells are counted by
				 * the callers from the CSV. */
				if (x->dual < 3)
					rep->dual[x->dual]++;
				rep->with_channel += x->channels != 0;
				if (!csv)
					continue;
				/* 185,000 rows for all offences: the texts of
				 * channel and treaty sets are made once per
				 * distinct set, and fields are appended without
				 * printf. */
				const char *cht = memo_text(&memo_ch, x->channels, &ch,
							    channels_text_u, NULL);
				const char *trt = memo_text(&memo_tr, x->treaties, &tr,
							    treaties_text_u, &c);
				const char *unt = x->unverified ?
					memo_text(&memo_un, x->unverified, &tr,
						  unverified_text_u, &c) : "";
				const char *f[9] = {id, ds, c.s.iso3[i], c.s.iso3[j],
					crime_dual_name((enum crime_dual)x->dual), cht, trt,
					crime_cov_name((enum crime_cov)c.cov[i * c.na + art]),
					crime_cov_name((enum crime_cov)c.cov[j * c.na + art])};
				for (size_t k = 0; k < 9; k++) {
					if (k)
						buf_addc(csv, ',');
					buf_adds(csv, f[k]);
					if (k == 6 && *unt)
						buf_addf(csv, "%s%s", *trt ? "+" : "", unt);
				}
				buf_add(csv, "\r\n", 2);
			}
		}
	}
	buf_free(&ch);
	buf_free(&tr);
	memo_free(&memo_ch);
	memo_free(&memo_tr);
	memo_free(&memo_un);
	free(m);
	rep->ms_total = ms_since(&t0);
	cctx_free(&c);
	return rc;
}

/* ---- cdg crime treaty ------------------------------------------------------------- */

struct party_row {
	const char *iso3;
	int32_t consent, in_force;
	uint8_t sub;      /* 1 member at consent, 0 not, 2 unknown */
};

struct treaty_job {
	struct arena *a;
	struct party_row *p;
	size_t n, cap;
	size_t listed;    /* parties listed (dated or not) */
	const char *treaty;
};

static int treaty_party_cb(void *ctx, const struct store_crime_party *r)
{
	struct treaty_job *j = ctx;
	if (strcmp(r->status, "party") != 0)
		return 0;
	if (j->n == j->cap) {
		size_t cap = j->cap ? j->cap * 2 : 64;
		struct party_row *p = arena_alloc(j->a, cap * sizeof *p);
		if (j->n)
			memcpy(p, j->p, j->n * sizeof *p);
		j->p = p;
		j->cap = cap;
	}
	j->p[j->n++] = (struct party_row){arena_strdup(j->a, r->iso3),
		cr_day_of(r->consent), cr_day_of(r->in_force), 0};
	return 0;
}

struct member_job {
	struct treaty_job *t;
	size_t n_known;   /* members listed */
};

static int member_cb(void *ctx, const struct store_crime_member *r)
{
	struct member_job *m = ctx;
	m->n_known++;
	for (size_t i = 0; i < m->t->n; i++) {
		struct party_row *p = &m->t->p[i];
		if (strcmp(p->iso3, r->iso3) != 0)
			continue;
		int32_t since = cr_day_of(r->since), until = cr_day_of(r->until);
		if (p->consent == CRIME_NEVER)
			p->sub = 2;
		else if (!r->since)
			p->sub = 2; /* a member, but since when is not known */
		else
			p->sub = since <= p->consent && p->consent < until ? 1 : 0;
	}
	return 0;
}

static int cmp_party(const void *x, const void *y)
{
	const struct party_row *a = x, *b = y;
	if (a->consent != b->consent)
		return a->consent < b->consent ? -1 : 1;
	return strcmp(a->iso3, b->iso3);
}

static bool treaty_id_shape(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 16)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

int app_crime_treaty_json(struct app *app, const char *id, const char *date_s,
			  struct jw *w, struct cdg_err *e)
{
	int32_t asof;
	int rc = app_crime_parse_date(date_s, &asof, e);
	if (rc)
		return rc;
	if (!treaty_id_shape(id))
		return err_at(e, CDG_EUSAGE, NULL, 0, "treaty",
			      "\"%s\" is not a treaty id (capitals and digits, "
			      "e.g. ETS185)", id);
	struct arena a;
	arena_init(&a);
	struct crime_catalog cat;
	rc = cr_catalog_load(app, &a, &cat, e);
	long t = rc ? -1 : crime_treaty_find(&cat, id);
	if (rc == 0 && t < 0) {
		struct buf known = BUF_INIT;
		for (size_t i = 0; i < cat.n_treaties; i++)
			buf_addf(&known, "%s%s", i ? ", " : "", cat.treaties[i].id);
		rc = err_at(e, CDG_ENOTFOUND, NULL, 0, "treaty",
			    "unknown treaty %s (known: %s)", id, known.p);
		buf_free(&known);
	}
	struct treaty_job j = {&a, NULL, 0, 0, 0, id};
	if (rc == 0)
		rc = store_crime_parties(app->st, id, treaty_party_cb, &j, e);
	const struct crime_treaty *tr = rc ? NULL : &cat.treaties[t];
	struct member_job mj = {&j, 0};
	if (rc == 0 && tr->sub_group)
		rc = store_crime_members(app->st, tr->sub_group, member_cb, &mj, e);
	if (rc) {
		arena_free(&a);
		return rc;
	}
	/* With no membership data at all, "not listed" means unknown. */
	if (tr->sub_group && mj.n_known == 0)
		for (size_t i = 0; i < j.n; i++)
			j.p[i].sub = 2;
	j.listed = j.n;
	if (j.n > 1)
		qsort(j.p, j.n, sizeof *j.p, cmp_party);
	int32_t *dates = arena_alloc(&a, (j.n + 1) * sizeof *dates);
	int32_t *eif = arena_alloc(&a, (j.n + 1) * sizeof *eif);
	uint8_t *sub = arena_alloc(&a, j.n + 1);
	for (size_t i = 0; i < j.n; i++) {
		dates[i] = j.p[i].consent;
		eif[i] = j.p[i].in_force;
		sub[i] = j.p[i].sub;
	}
	struct crime_thr_result r;
	rc = crime_threshold_eval(&tr->threshold, dates, tr->sub_group ? sub : NULL,
				  eif, j.n, asof, &r, e);
	if (rc) {
		arena_free(&a);
		return rc;
	}
	char ds[11];
	crime_date_format(asof, ds);
	jw_obj(w);
	jw_kstr(w, "treaty", tr->id);
	jw_kstr(w, "name", tr->name);
	jw_kstr(w, "as_of", ds);
	jw_key(w, "threshold");
	jw_obj(w);
	jw_kint(w, "count", tr->threshold.count);
	jw_kstr(w, "sub_group", tr->sub_group);
	jw_kint(w, "sub_count", tr->threshold.sub_count);
	jw_kstr(w, "rule", tr->threshold.rule == CRIME_EIF_DAYS ? "days_after"
							  : "month_after_months");
	jw_kint(w, "lag", tr->threshold.lag);
	jw_kstr(w, "text", tr->condition);
	jw_kstr(w, "source_url", tr->source_url);
	jw_obj_end(w);
	size_t dated = 0;
	for (size_t i = 0; i < j.n; i++)
		dated += j.p[i].consent != CRIME_NEVER;
	jw_kint(w, "parties_listed", (long long)j.listed);
	jw_kint(w, "consents_dated", (long long)dated);
	jw_kint(w, "consents", r.consents);
	if (tr->sub_group)
		jw_kint(w, "sub_consents", r.sub_consents);
	jw_kstr(w, "status", crime_thr_status_name(r.status));
	jw_kint(w, "short_by", r.short_by);
	date_json(w, "reached_on", r.reached_on);
	date_json(w, "computed_entry_into_force", r.in_force_on);
	jw_kstr(w, "recorded_entry_into_force", tr->entered_into_force);
	date_json(w, "earliest_party_entry_into_force", r.earliest_party_eif);
	jw_kbool(w, "incomplete", r.incomplete);
	jw_key(w, "notes");
	jw_arr(w);
	struct buf m = BUF_INIT;
	if (r.incomplete) {
		const char *who = "";
		for (size_t i = 0; i < j.n; i++)
			if (j.p[i].in_force == r.earliest_party_eif) {
				who = j.p[i].iso3;
				break;
			}
		char d1[11], d2[11];
		crime_date_format(r.earliest_party_eif, d1);
		crime_date_format(r.in_force_on, d2);
		if (r.in_force_on == CRIME_NEVER)
			buf_addf(&m, "incomplete data: %s's own entry into force "
				 "(%s) is dated, yet the listed consents never "
				 "reach the threshold; the list must miss consents",
				 who, d1);
		else
			buf_addf(&m, "incomplete data: %s's own entry into force "
				 "(%s) is earlier than %s, the date the listed "
				 "consents give; the list must miss early consents",
				 who, d1, d2);
		jw_str(w, m.p);
	}
	if (dated < j.listed) {
		buf_reset(&m);
		buf_addf(&m, "%zu of %zu listed parties have no consent date and "
			 "are not counted:", j.listed - dated, j.listed);
		for (size_t i = 0; i < j.n; i++)
			if (j.p[i].consent == CRIME_NEVER)
				buf_addf(&m, " %s", j.p[i].iso3);
		jw_str(w, m.p);
	}
	if (tr->entered_into_force && r.in_force_on != cr_day_of(tr->entered_into_force)) {
		char d2c[11];
		crime_date_format(r.in_force_on, d2c);
		buf_reset(&m);
		if (r.in_force_on == CRIME_NEVER)
			buf_addf(&m, "recorded entry into force %s, but the listed "
				 "consents do not reach the threshold",
				 tr->entered_into_force);
		else
			buf_addf(&m, "recorded entry into force %s differs from %s, "
				 "the date computed from the listed consents",
				 tr->entered_into_force, d2c);
		jw_str(w, m.p);
	}
	if (r.status == CRIME_THR_UNKNOWN_SUB) {
		buf_reset(&m);
		buf_addf(&m, "membership of %s is unknown for some dated consents",
			 tr->sub_group);
		jw_str(w, m.p);
	}
	buf_free(&m);
	jw_arr_end(w);
	jw_key(w, "consents_list");
	jw_arr(w);
	for (size_t i = 0; i < j.n; i++) {
		if (j.p[i].consent == CRIME_NEVER)
			continue;
		jw_obj(w);
		jw_kstr(w, "iso3", j.p[i].iso3);
		date_json(w, "consent", j.p[i].consent);
		date_json(w, "in_force", j.p[i].in_force);
		if (tr->sub_group) {
			jw_key(w, tr->sub_group);
			if (j.p[i].sub == 2)
				jw_null(w);
			else
				jw_bool(w, j.p[i].sub == 1);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	arena_free(&a);
	return 0;
}

/* ---- cdg crime check -------------------------------------------------------------- */

int app_crime_check_json(struct app *app, const char *path, struct jw *w,
			 struct cdg_err *e)
{
	struct arena a;
	arena_init(&a);
	struct crime_catalog cat;
	int rc = cr_catalog_load(app, &a, &cat, e);
	char *text = NULL;
	if (rc == 0)
		rc = cr_read_text(&a, path, &text, e);
	struct crime_instrument ins;
	if (rc == 0)
		rc = crime_instrument_parse(&ins, path, text, &a, e);
	if (rc) {
		arena_free(&a);
		return rc;
	}
	const char **ids = arena_alloc(&a, (cat.n_articles + 1) * sizeof *ids);
	for (size_t i = 0; i < cat.n_articles; i++)
		ids[i] = cat.articles[i].id;
	struct crime_verdict *v = arena_alloc(&a, (cat.n_principles + 1) * sizeof *v);
	crime_check(&ins, cat.principles, cat.n_principles, ids, cat.n_articles,
		    v, &a);
	size_t counts[3] = {0, 0, 0};
	jw_obj(w);
	jw_key(w, "instrument");
	jw_obj(w);
	jw_kstr(w, "id", ins.id);
	jw_kstr(w, "name", ins.name);
	jw_kstr(w, "source_url", ins.source_url);
	jw_kint(w, "articles", (long long)ins.n_articles);
	jw_obj_end(w);
	jw_key(w, "principles");
	jw_arr(w);
	for (size_t i = 0; i < cat.n_principles; i++) {
		const struct crime_principle *p = &cat.principles[i];
		counts[v[i].verdict]++;
		jw_obj(w);
		jw_kstr(w, "id", p->id);
		jw_kstr(w, "title", p->title);
		jw_kstr(w, "rule", crime_rule_name(p->rule));
		jw_kstr(w, "verdict", crime_verdict_name(v[i].verdict));
		jw_kstr(w, "reason", v[i].reason);
		jw_key(w, "findings");
		jw_arr(w);
		for (size_t k = 0; k < v[i].n_findings; k++) {
			const struct crime_finding *f = &v[i].findings[k];
			jw_obj(w);
			jw_kstr(w, "article", f->article);
			jw_kstr(w, "verdict",
				crime_verdict_name((enum crime_verdict_kind)f->verdict));
			jw_kstr(w, "why", f->why);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "summary");
	jw_obj(w);
	jw_kint(w, "conforms", (long long)counts[CRIME_CONFORMS]);
	jw_kint(w, "does_not_conform", (long long)counts[CRIME_NOT_CONFORM]);
	jw_kint(w, "cannot_tell", (long long)counts[CRIME_CANNOT_TELL]);
	jw_obj_end(w);
	jw_obj_end(w);
	arena_free(&a);
	return 0;
}
