/* The map of agreements and initiatives (issue 8): loading, listing, one
 * agreement, the side-by-side comparison aligned on norms, and industry
 * norms with companies' commitments.  See app.h and docs/agreements.md. */
#include "app/cap_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- reading and writing ----------------------------------------------------------- */

int agr_read_dir(const char *data_dir, const struct cap_known *k,
		 struct agr_set *s, struct cdg_err *e)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	struct err_list errs;
	errs_init(&errs, 1);
	buf_addf(&path, "%s/agreements/agreements.json", data_dir);
	int rc = file_read_all(path.p, &text, e);
	if (rc == 0 && agr_json_parse(s, path.p, text.p, text.len, k, &errs)) {
		cap_first_fault(e, &errs);
		rc = CDG_EINPUT;
	}
	buf_reset(&path);
	buf_reset(&text);
	buf_addf(&path, "%s/agreements/industry_commitments.csv", data_dir);
	if (rc == 0)
		rc = file_read_all(path.p, &text, e);
	if (rc == 0 && agr_companies_csv_parse(s, path.p, text.p, text.len, k, &errs)) {
		cap_first_fault(e, &errs);
		rc = CDG_EINPUT;
	}
	errs_free(&errs);
	buf_free(&path);
	buf_free(&text);
	return rc;
}

int agr_write_set(struct store *st, const struct agr_set *s, long long *written,
		  struct cdg_err *e)
{
	struct store_batch b = {st, e, 0, 0};
	struct arena a;
	arena_init(&a);
	static const char *const ncols[] = {"id", "title", "paraphrase",
					    "source_url", "position"};
	for (size_t i = 0; i < s->n_norms; i++) {
		const struct agr_industry_norm *n = &s->norms[i];
		struct store_val v[] = {sv_text(n->id), sv_text(n->title),
			sv_text(n->paraphrase), sv_text(n->source), sv_int((long long)i)};
		store_batch_upsert(&b, "agr_industry_norm", ncols, v, 5, 1);
	}
	static const char *const acols[] = {"id", "name", "short_name", "year",
		"date", "type", "stakeholder_groups", "objectives", "compliance",
		"compliance_note", "treaty_id", "participants_note", "source_url",
		"source_note", "position"};
	static const char *const pcols[] = {"agreement_id", "position", "name",
		"iso3", "kind", "role", "date", "source_url", "status", "checked", "note"};
	static const char *const ccols[] = {"agreement_id", "id", "position",
		"text", "location", "force", "maps"};
	for (size_t i = 0; i < s->n_agreements && b.rc == 0; i++) {
		const struct agr_agreement *g = &s->agreements[i];
		struct store_val v[] = {sv_text(g->id), sv_text(g->name),
			sv_text(g->short_name), sv_int(g->year), sv_text(g->date),
			sv_text(g->type), sv_text(cap_json_list(&a, g->groups, g->n_groups)),
			sv_text(cap_json_list(&a, g->objectives, g->n_objectives)),
			sv_text(g->compliance), sv_text(g->compliance_note),
			sv_text(g->treaty), sv_text(g->participants_note),
			sv_text(g->source), sv_text(g->source_note), sv_int((long long)i)};
		store_batch_upsert(&b, "agr_agreement", acols, v, sizeof v / sizeof v[0], 1);
		/* Participants that carry a status are the desk-research
		 * list's (an export of it): they go where cdg init puts that
		 * list, which a file without them leaves alone. */
		long listed = 0, desk = 0;
		for (size_t k = 0; k < g->n_participants; k++) {
			const struct agr_participant *p = &g->participants[k];
			long pos = p->status ? STORE_AGR_DESK_POSITION + desk++ : listed++;
			struct store_val pv[] = {sv_text(g->id), sv_int(pos),
				sv_text(p->name), sv_text(p->iso3), sv_text(p->kind),
				sv_text(p->role), sv_text(p->date), sv_text(p->source),
				sv_text(p->status), sv_text(p->checked), sv_text(p->note)};
			store_batch_upsert(&b, "agr_participant", pcols, pv,
					   sizeof pv / sizeof pv[0], 2);
		}
		if (desk && b.rc == 0) {
			int t = store_agr_trim_desk(st, g->id, desk, e);
			if (t < 0)
				b.rc = t;
			else
				b.written += t;
		}
		const char **ids = arena_alloc(&a, (g->n_commitments + 1) * sizeof *ids);
		for (size_t k = 0; k < g->n_commitments; k++) {
			const struct agr_commitment *c = &g->commitments[k];
			ids[k] = c->id;
			struct store_val cv[] = {sv_text(g->id), sv_text(c->id),
				sv_int((long long)k), sv_text(c->text), sv_text(c->where),
				sv_text(c->force), sv_text(cap_json_list(&a, c->maps, c->n_maps))};
			store_batch_upsert(&b, "agr_commitment", ccols, cv, 7, 2);
		}
		if (b.rc == 0) {
			int t = store_agr_trim(st, g->id, listed,
					       cap_json_list(&a, ids, g->n_commitments), e);
			if (t < 0)
				b.rc = t;
			else
				b.written += t;
		}
	}
	static const char *const mcols[] = {"id", "company", "norm_id", "commitment",
		"date", "evidence_url", "note", "synthetic"};
	for (size_t i = 0; i < s->n_companies; i++) {
		const struct agr_company *m = &s->companies[i];
		struct store_val v[] = {sv_text(m->id), sv_text(m->company),
			sv_text(m->norm), sv_text(m->text), sv_text(m->date),
			sv_text(m->evidence), sv_text(m->note), sv_int(m->synthetic)};
		store_batch_upsert(&b, "agr_company", mcols, v, 8, 1);
	}
	arena_free(&a);
	*written += b.written;
	return b.rc;
}

/* ---- the desk-research list of participants ------------------------------------- */

/* The agreements the list fills: its name for each, the cdg id and the
 * statuses a participant may have in it. */
static const char *const st_supporter[] = {"supporter", NULL};
static const char *const st_member[] = {"member", NULL};
static const char *const st_nis2[] = {"transposed", "partial", "not_transposed", NULL};
static const char *const st_signatory[] = {"signatory", NULL};
static const struct {
	const char *name, *id;
	const char *const *statuses;
} desk_agreements[] = {
	{"paris_call", "paris-call", st_supporter},
	{"cri", "cri", st_member},
	{"nis2", "nis2", st_nis2},
	{"tech_accord", "tech-accord", st_signatory},
};

static const char *const desk_kinds[] = {"state", "organisation", "company",
					 "civil_society", "other", NULL};
static const char *const desk_statuses[] = {"supporter", "member", "signatory",
	"transposed", "partial", "not_transposed", NULL};
static const struct col_spec desk_spec[] = {
	{"agreement", COL_TEXT, true, NULL},
	{"participant", COL_TEXT, true, NULL},
	{"iso3", COL_ISO3, false, NULL},
	{"participant_kind", COL_ENUM, true, desk_kinds},
	{"joined", COL_PAST_DATE, false, NULL},
	{"status", COL_ENUM, true, desk_statuses},
	{"source_url", COL_URL, true, NULL},
	{"checked", COL_PAST_DATE, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { D_AGR, D_NAME, D_ISO3, D_KIND, D_JOINED, D_STATUS, D_SRC, D_CHECKED,
       D_NOTE, D_NCOLS };

static bool in_list(const char *const *v, const char *s)
{
	for (; *v; v++)
		if (strcmp(*v, s) == 0)
			return true;
	return false;
}

/* The key that makes a participant one: a State's code, else its name
 * without regard to case. */
static void who_key(struct buf *b, const char *agreement, const char *iso3,
		    const char *name)
{
	buf_reset(b);
	buf_addf(b, "%s\x1f", agreement);
	if (iso3 && *iso3) {
		buf_addf(b, "=%s", iso3);
		return;
	}
	for (const char *c = name; *c; c++)
		buf_addf(b, "%c", *c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
}

static const struct agr_agreement *find_agreement(const struct agr_set *s,
						  const char *id)
{
	for (size_t i = 0; i < s->n_agreements; i++)
		if (s->agreements[i].id && strcmp(s->agreements[i].id, id) == 0)
			return &s->agreements[i];
	return NULL;
}

/* Checks row r of d; 0 or the first fault. */
static int desk_row(const char *path, const struct cap_known *k,
		    const struct agr_set *s, struct agr_desk *d, size_t r,
		    struct strmap *seen, struct cdg_err *e)
{
	const struct table *t = &d->t;
	long line = t->lines[r];
	const char *agr = table_cell(t, r, D_AGR), *name = table_cell(t, r, D_NAME);
	const char *iso3 = table_cell(t, r, D_ISO3), *kind = table_cell(t, r, D_KIND);
	const char *status = table_cell(t, r, D_STATUS);
	size_t a = 0, na = sizeof desk_agreements / sizeof desk_agreements[0];
	while (a < na && strcmp(desk_agreements[a].name, agr) != 0)
		a++;
	if (a == na)
		return err_at(e, CDG_EINPUT, path, line, "agreement", "\"%s\" is not one "
			      "of paris_call, cri, nis2, tech_accord", agr);
	const char *id = desk_agreements[a].id;
	const struct agr_agreement *g = find_agreement(s, id);
	if (!g)
		return err_at(e, CDG_EINPUT, path, line, "agreement", "no agreement \"%s\" "
			      "in agreements/agreements.json", id);
	if (!in_list(desk_agreements[a].statuses, status))
		return err_at(e, CDG_EINPUT, path, line, "status", "\"%s\" is not a "
			      "status in %s", status, agr);
	bool state = strcmp(kind, "state") == 0;
	if (state && !*iso3)
		return err_at(e, CDG_EINPUT, path, line, "iso3", "a State needs its code");
	if (!state && *iso3)
		return err_at(e, CDG_EINPUT, path, line, "iso3", "only a State has a code "
			      "(this participant is a %s)", kind);
	if (*iso3) {
		const char *un = strmap_get(k->states, iso3);
		if (!un)
			return err_at(e, CDG_EINPUT, path, line, "iso3", "\"%s\" is not a "
				      "known State", iso3);
		if (strcmp(un, name) != 0)
			return err_at(e, CDG_EINPUT, path, line, "participant", "\"%s\" is "
				      "not the name of %s (\"%s\")", name, iso3, un);
	}
	struct buf key = BUF_INIT, other = BUF_INIT;
	who_key(&key, id, iso3, name);
	int rc = 0;
	const long *first = strmap_get(seen, key.p);
	if (first)
		rc = err_at(e, CDG_EINPUT, path, line, "participant", "%s is listed "
			    "twice for %s (first on line %ld)", name, agr, *first);
	for (size_t i = 0; rc == 0 && i < g->n_participants; i++) {
		const struct agr_participant *p = &g->participants[i];
		who_key(&other, id, p->iso3, p->name ? p->name : "");
		if (strcmp(key.p, other.p) == 0)
			rc = err_at(e, CDG_EINPUT, path, line, "participant", "%s is "
				    "already a participant of %s in "
				    "agreements/agreements.json", name, id);
	}
	if (rc == 0) {
		long *at = arena_alloc(&d->arena, sizeof *at);
		*at = line;
		strmap_put(seen, arena_strdup(&d->arena, key.p), at);
		d->agreement[r] = id;
	}
	buf_free(&key);
	buf_free(&other);
	return rc;
}

int agr_desk_read(const char *data_dir, const struct cap_known *k,
		  const struct agr_set *s, struct agr_desk *d, struct cdg_err *e)
{
	memset(d, 0, sizeof *d);
	arena_init(&d->arena);
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_addf(&path, "%s/evidence/agreement_participants.csv", data_dir);
	int rc = file_read_all(path.p, &text, e);
	if (rc == 0)
		rc = table_read(path.p, text.p, text.len, desk_spec, D_NCOLS, -1,
				TABLE_STRICT, &d->arena, &d->t, e);
	if (rc == 0) {
		d->agreement = arena_alloc(&d->arena, (d->t.nrows + 1) * sizeof *d->agreement);
		struct strmap seen;
		strmap_init(&seen);
		for (size_t r = 0; rc == 0 && r < d->t.nrows; r++)
			rc = desk_row(path.p, k, s, d, r, &seen, e);
		strmap_free(&seen);
	}
	buf_free(&path);
	buf_free(&text);
	return rc;
}

int agr_desk_write(struct store *st, const struct agr_set *s,
		   const struct agr_desk *d, long long *written, struct cdg_err *e)
{
	struct store_batch b = {st, e, 0, 0};
	static const char *const cols[] = {"agreement_id", "position", "name", "iso3",
		"kind", "role", "date", "source_url", "status", "checked", "note"};
	const struct table *t = &d->t;
	for (size_t i = 0; i < s->n_agreements && b.rc == 0; i++) {
		const char *id = s->agreements[i].id;
		long n = 0;
		for (size_t r = 0; r < t->nrows; r++) {
			if (strcmp(d->agreement[r], id) != 0)
				continue;
			/* The list's status is the participant's role in it. */
			const char *status = table_cell(t, r, D_STATUS);
			struct store_val v[] = {sv_text(id),
				sv_int(STORE_AGR_DESK_POSITION + n++),
				sv_text(table_cell(t, r, D_NAME)), sv_text(table_cell(t, r, D_ISO3)),
				sv_text(table_cell(t, r, D_KIND)), sv_text(status),
				sv_text(table_cell(t, r, D_JOINED)), sv_text(table_cell(t, r, D_SRC)),
				sv_text(status), sv_text(table_cell(t, r, D_CHECKED)),
				sv_text(table_cell(t, r, D_NOTE))};
			store_batch_upsert(&b, "agr_participant", cols, v,
					   sizeof v / sizeof v[0], 2);
		}
		if (b.rc == 0) {
			int del = store_agr_trim_desk(st, id, n, e);
			if (del < 0)
				b.rc = del;
			else
				b.written += del;
		}
	}
	*written += b.written;
	return b.rc;
}

void agr_desk_free(struct agr_desk *d)
{
	arena_free(&d->arena);
	memset(d, 0, sizeof *d);
}

/* The desk-research participants of one agreement, as keys (import). */
struct desk_keys {
	const char *agreement;
	struct strmap *keys;
	struct arena *arena;
};

static int add_desk_key(void *ctx, const struct store_row *r)
{
	struct desk_keys *k = ctx;
	if (!cap_val_s(r, 6)) /* a row of the agreements file: no status */
		return 0;
	struct buf b = BUF_INIT;
	const char *name = cap_val_s(r, 0);
	who_key(&b, k->agreement, cap_val_s(r, 1), name ? name : "");
	char *key = arena_strdup(k->arena, b.p);
	strmap_put(k->keys, key, key);
	buf_free(&b);
	return 0;
}

/* A revised agreements file may not name again a participant that the
 * desk-research list already gives the agreement. */
static int import_no_twice(struct store *st, const struct agr_set *s,
			   const char *path, struct err_list *errs, struct cdg_err *e)
{
	struct arena a;
	arena_init(&a);
	struct buf key = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < s->n_agreements; i++) {
		const struct agr_agreement *g = &s->agreements[i];
		if (!g->n_participants)
			continue;
		struct strmap keys;
		strmap_init(&keys);
		struct desk_keys k = {g->id, &keys, &a};
		const char *p[] = {g->id};
		rc = store_cap_each(st, "participants", p, 1, add_desk_key, &k, e);
		for (size_t j = 0; rc == 0 && j < g->n_participants; j++) {
			const struct agr_participant *q = &g->participants[j];
			who_key(&key, g->id, q->iso3, q->name ? q->name : "");
			/* A participant with a status is the list's own row
			 * (an export of it), not a second naming. */
			if (!q->status && strmap_get(&keys, key.p)) {
				rc = err_at(e, CDG_EINPUT, path, g->line, "participants",
					    "%s is already a participant of %s from "
					    "evidence/agreement_participants.csv", q->name, g->id);
				errs_add(errs, e);
				rc = err_at(e, CDG_EINPUT, path, 0, NULL, "%ld fault%s; "
					    "nothing written", errs->total,
					    errs->total == 1 ? "" : "s");
			}
		}
		strmap_free(&keys);
	}
	buf_free(&key);
	arena_free(&a);
	return rc;
}

int app_agreements_import(struct app *a, const char *path, const char *actor,
			  long *written, struct err_list *errs, struct cdg_err *e)
{
	*written = 0;
	int rc = app_authorize(a, actor, APP_CAPACITY_WRITE, NULL, e);
	if (rc)
		return rc;
	struct cap_codes codes;
	struct agr_set s;
	agr_set_init(&s);
	s.csv_sep = a->csv_sep;
	struct buf text = BUF_INIT;
	rc = cap_codes_load(a->st, &a->cat, &codes, e);
	if (rc == 0)
		rc = file_read_all(path, &text, e);
	/* A JSON file holds agreements (and industry norms); anything else is
	 * read as the company commitments CSV. */
	const char *t = text.p;
	while (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t')
		t++;
	bool json = *t == '{';
	if (rc == 0 && (json ? agr_json_parse(&s, path, text.p, text.len, &codes.k, errs)
			     : agr_companies_csv_parse(&s, path, text.p, text.len, &codes.k, errs)))
		rc = err_at(e, CDG_EINPUT, path, 0, NULL, "%ld fault%s; nothing written",
			    errs->total, errs->total == 1 ? "" : "s");
	if (rc == 0 && json)
		rc = import_no_twice(a->st, &s, path, errs, e);
	if (rc == 0)
		rc = store_tx_begin(a->st, actor, e);
	if (rc == 0) {
		long long w = 0;
		rc = agr_write_set(a->st, &s, &w, e);
		*written = (long)w;
		if (rc == 0)
			rc = store_tx_commit(a->st, e);
		else
			store_tx_rollback(a->st);
	}
	buf_free(&text);
	agr_set_free(&s);
	cap_codes_free(&codes);
	return rc;
}

/* ---- reads ---------------------------------------------------------------------------- */

static bool json_col(const char *k)
{
	return strcmp(k, "stakeholder_groups") == 0 || strcmp(k, "objectives") == 0 ||
	       strcmp(k, "maps") == 0;
}

/* Writes a row's columns as keys of the open object. */
static void row_keys(struct jw *w, const struct store_row *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const char *k = r->names[i];
		const struct store_val *v = &r->v[i];
		jw_key(w, k);
		if (v->t == SV_INT && strcmp(k, "synthetic") == 0)
			jw_bool(w, v->i != 0);
		else if (v->t == SV_INT)
			jw_int(w, v->i);
		else if (v->t == SV_REAL)
			jw_num(w, v->d);
		else if (v->t == SV_NULL)
			jw_null(w);
		else if (json_col(k))
			jw_raw(w, v->s);
		else
			jw_str(w, v->s);
	}
}

static void row_obj(struct jw *w, const struct store_row *r)
{
	jw_obj(w);
	row_keys(w, r);
	jw_obj_end(w);
}

static int row_json(void *ctx, const struct store_row *r)
{
	row_obj(ctx, r);
	return 0;
}

int app_agreements_list_json(struct app *a, struct jw *w, struct cdg_err *e)
{
	jw_arr(w);
	int rc = store_cap_each(a->st, "agreements", NULL, 0, row_json, w, e);
	jw_arr_end(w);
	return rc;
}

/* One agreement's object, left open for its participants and
 * commitments. */
struct one {
	struct jw *w;
	bool found;
};

static int open_agreement(void *ctx, const struct store_row *r)
{
	struct one *o = ctx;
	o->found = true;
	jw_obj(o->w);
	row_keys(o->w, r);
	return 0;
}

int app_agreement_json(struct app *a, const char *id, struct jw *w,
		       struct cdg_err *e)
{
	struct one o = {w, false};
	const char *p[] = {id};
	int rc = store_cap_each(a->st, "agreement", p, 1, open_agreement, &o, e);
	if (rc == 0 && !o.found)
		return err_set(e, CDG_ENOTFOUND, "no agreement \"%s\" (cdg agreements "
			       "lists them)", id);
	if (rc)
		return rc;
	jw_key(w, "participants");
	jw_arr(w);
	rc = store_cap_each(a->st, "participants", p, 1, row_json, w, e);
	if (rc == 0)
		rc = store_cap_each(a->st, "treaty_participants", p, 1, row_json, w, e);
	jw_arr_end(w);
	jw_key(w, "commitments");
	jw_arr(w);
	if (rc == 0)
		rc = store_cap_each(a->st, "commitments", p, 1, row_json, w, e);
	jw_arr_end(w);
	jw_obj_end(w);
	return rc;
}

int app_agreements_state_json(struct app *a, const char *iso3, struct jw *w,
			      struct cdg_err *e)
{
	struct buf tmp = BUF_INIT;
	struct jw t;
	jw_init(&t, &tmp, false);
	int rc = app_country_json(a, iso3, &t, e); /* the state must exist */
	buf_free(&tmp);
	if (rc)
		return rc;
	const char *p[] = {iso3};
	jw_arr(w);
	rc = store_cap_each(a->st, "state_agreements", p, 1, row_json, w, e);
	jw_arr_end(w);
	return rc;
}

/* ---- compare ---------------------------------------------------------------------------- */

struct cmt {
	const char *agreement, *id, *text, *where, *force;
	const char **maps;
	size_t n_maps;
};

struct cmp {
	struct arena arena;
	struct cmt *v;
	size_t n, cap;
	const char **ind_ids, **ind_titles; /* industry norms in order */
	size_t n_ind, cap_ind;
};

static int load_cmt(void *ctx, const struct store_row *r)
{
	struct cmp *c = ctx;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	struct arena *a = &c->arena;
	const char *wh = cap_val_s(r, 3);
	struct cmt *m = &c->v[c->n++];
	m->agreement = arena_strdup(a, cap_val_s(r, 0));
	m->id = arena_strdup(a, cap_val_s(r, 1));
	m->text = arena_strdup(a, cap_val_s(r, 2));
	m->where = wh ? arena_strdup(a, wh) : NULL;
	m->force = arena_strdup(a, cap_val_s(r, 4));
	m->maps = cap_json_strs(a, cap_val_s(r, 5), &m->n_maps);
	return 0;
}

static int load_ind(void *ctx, const struct store_row *r)
{
	struct cmp *c = ctx;
	if (c->n_ind == c->cap_ind) {
		c->cap_ind = c->cap_ind ? c->cap_ind * 2 : 8;
		c->ind_ids = xrealloc(c->ind_ids, c->cap_ind * sizeof *c->ind_ids);
		c->ind_titles = xrealloc(c->ind_titles, c->cap_ind * sizeof *c->ind_titles);
	}
	c->ind_ids[c->n_ind] = arena_strdup(&c->arena, cap_val_s(r, 0));
	c->ind_titles[c->n_ind++] = arena_strdup(&c->arena, cap_val_s(r, 1));
	return 0;
}

static bool maps_to(const struct cmt *m, const char *ref)
{
	for (size_t i = 0; i < m->n_maps; i++)
		if (strcmp(m->maps[i], ref) == 0)
			return true;
	return false;
}

static void cmt_json(struct jw *w, const struct cmt *m)
{
	jw_obj(w);
	jw_kstr(w, "commitment", m->id);
	jw_kstr(w, "text", m->text);
	jw_kstr(w, "where", m->where);
	jw_kstr(w, "force", m->force);
	jw_obj_end(w);
}

/* One row of the comparison if any agreement has a commitment on ref. */
static void cmp_row(struct jw *w, const struct cmp *c, const char *const *ids,
		    size_t n, const char *ref, const char *kind, const char *title)
{
	bool any = false;
	for (size_t i = 0; i < c->n && !any; i++)
		for (size_t k = 0; k < n && !any; k++)
			any = !strcmp(c->v[i].agreement, ids[k]) && maps_to(&c->v[i], ref);
	if (!any)
		return;
	jw_obj(w);
	jw_kstr(w, "ref", ref);
	jw_kstr(w, "kind", kind);
	jw_kstr(w, "title", title);
	jw_key(w, "cells");
	jw_arr(w);
	for (size_t k = 0; k < n; k++) {
		jw_arr(w);
		for (size_t i = 0; i < c->n; i++)
			if (!strcmp(c->v[i].agreement, ids[k]) && maps_to(&c->v[i], ref))
				cmt_json(w, &c->v[i]);
		jw_arr_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

int app_agreements_compare_json(struct app *a, const char *const *ids,
				size_t n, struct jw *w, struct cdg_err *e)
{
	if (n < 2 || n > 8)
		return err_at(e, CDG_EUSAGE, NULL, 0, "ids",
			      "compare 2 to 8 agreements (got %zu)", n);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < i; k++)
			if (!strcmp(ids[i], ids[k]))
				return err_at(e, CDG_EUSAGE, NULL, 0, "ids",
					      "\"%s\" is named twice", ids[i]);
	struct buf scratch = BUF_INIT;
	struct jw sw;
	jw_init(&sw, &scratch, false);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = app_agreement_json(a, ids[i], &sw, e);
	buf_free(&scratch);
	if (rc)
		return rc;
	struct cmp c;
	memset(&c, 0, sizeof c);
	arena_init(&c.arena);
	rc = store_cap_each(a->st, "commitments", NULL, 0, load_cmt, &c, e);
	if (rc == 0)
		rc = store_cap_each(a->st, "industry_norms", NULL, 0, load_ind, &c, e);
	if (rc == 0) {
		jw_obj(w);
		jw_kstr(w, "rules", "docs/agreements.md");
		jw_key(w, "agreements");
		jw_arr(w);
		for (size_t i = 0; i < n; i++) {
			const char *p[] = {ids[i]};
			store_cap_each(a->st, "agreement", p, 1, row_json, w, e);
		}
		jw_arr_end(w);
		jw_key(w, "rows");
		jw_arr(w);
		const struct fw_catalog *cat = &a->cat;
		for (size_t i = 0; i < cat->n_norms; i++)
			cmp_row(w, &c, ids, n, cat->norms[i].id, "gge_norm", cat->norms[i].title);
		for (size_t i = 0; i < cat->n_goals; i++)
			cmp_row(w, &c, ids, n, cat->goals[i].id, "cdg", cat->goals[i].title);
		for (size_t i = 0; i < c.n_ind; i++)
			cmp_row(w, &c, ids, n, c.ind_ids[i], "industry_norm", c.ind_titles[i]);
		jw_arr_end(w);
		jw_key(w, "unmapped");
		jw_arr(w);
		for (size_t k = 0; k < n; k++) {
			jw_arr(w);
			for (size_t i = 0; i < c.n; i++)
				if (!strcmp(c.v[i].agreement, ids[k]) && !c.v[i].n_maps)
					cmt_json(w, &c.v[i]);
			jw_arr_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	free(c.v);
	free(c.ind_ids);
	free(c.ind_titles);
	arena_free(&c.arena);
	return rc;
}

/* ---- industry norms ---------------------------------------------------------------------- */

struct ind_ctx {
	struct app *a;
	struct jw *w;
	struct cdg_err *e;
	const char *only;
	bool found;
	int rc;
};

static int ind_norm(void *ctx, const struct store_row *r)
{
	struct ind_ctx *c = ctx;
	const char *id = cap_val_s(r, 0);
	if (c->only && strcmp(c->only, id) != 0)
		return 0;
	c->found = true;
	jw_obj(c->w);
	jw_kstr(c->w, "id", id);
	jw_kstr(c->w, "title", cap_val_s(r, 1));
	jw_kstr(c->w, "paraphrase", cap_val_s(r, 2));
	jw_kstr(c->w, "source_url", cap_val_s(r, 3));
	jw_key(c->w, "commitments");
	jw_arr(c->w);
	const char *p[] = {id};
	c->rc = store_cap_each(c->a->st, "companies", p, 1, row_json, c->w, c->e);
	jw_arr_end(c->w);
	jw_obj_end(c->w);
	return c->rc;
}

int app_industry_norms_json(struct app *a, const char *norm, struct jw *w,
			    struct cdg_err *e)
{
	struct ind_ctx c = {a, w, e, norm, false, 0};
	struct buf b = BUF_INIT;
	struct jw t;
	jw_init(&t, &b, false);
	c.w = &t;
	jw_arr(&t);
	int rc = store_cap_each(a->st, "industry_norms", NULL, 0, ind_norm, &c, e);
	jw_arr_end(&t);
	if (rc == 0 && norm && !c.found)
		rc = err_set(e, CDG_ENOTFOUND, "no industry norm \"%s\"", norm);
	if (rc == 0)
		jw_raw(w, b.p);
	buf_free(&b);
	return rc;
}

/* ---- export ---------------------------------------------------------------------------- */

/* Rows of one query collected into a growing array (in the set's arena);
 * st and e for the queries an agreement's rows make in turn. */
struct grow {
	struct arena *a;
	void **v;
	size_t *n, cap, size;
	struct store *st;
	struct cdg_err *e;
};

static void *grow_one(struct grow *g)
{
	if (*g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 16;
		char *v = arena_alloc(g->a, g->cap * g->size);
		if (*g->n)
			memcpy(v, *g->v, *g->n * g->size);
		*g->v = v;
	}
	char *item = (char *)*g->v + (*g->n)++ * g->size;
	memset(item, 0, g->size);
	return item;
}

static const char *dup_opt(struct arena *a, const struct store_row *r, size_t i)
{
	const char *v = cap_val_s(r, i);
	return v ? arena_strdup(a, v) : NULL;
}

static int load_norm(void *ctx, const struct store_row *r)
{
	struct grow *g = ctx;
	struct agr_industry_norm *n = grow_one(g);
	n->id = dup_opt(g->a, r, 0);
	n->title = dup_opt(g->a, r, 1);
	n->paraphrase = dup_opt(g->a, r, 2);
	n->source = dup_opt(g->a, r, 3);
	return 0;
}

static int load_participant(void *ctx, const struct store_row *r)
{
	struct grow *g = ctx;
	struct agr_participant *p = grow_one(g);
	p->name = dup_opt(g->a, r, 0);
	p->iso3 = dup_opt(g->a, r, 1);
	p->kind = dup_opt(g->a, r, 2);
	p->role = dup_opt(g->a, r, 3);
	p->date = dup_opt(g->a, r, 4);
	p->source = dup_opt(g->a, r, 5);
	p->status = dup_opt(g->a, r, 6);
	p->checked = dup_opt(g->a, r, 7);
	p->note = dup_opt(g->a, r, 8);
	return 0;
}

static int load_commitment(void *ctx, const struct store_row *r)
{
	struct grow *g = ctx;
	struct agr_commitment *c = grow_one(g);
	c->id = dup_opt(g->a, r, 1);
	c->text = dup_opt(g->a, r, 2);
	c->where = dup_opt(g->a, r, 3);
	c->force = dup_opt(g->a, r, 4);
	c->maps = cap_json_strs(g->a, cap_val_s(r, 5), &c->n_maps);
	return 0;
}

static int load_agreement(void *ctx, const struct store_row *r)
{
	struct grow *ga = ctx;
	struct arena *a = ga->a;
	struct agr_agreement *g = grow_one(ga);
	g->id = dup_opt(a, r, 0);
	g->name = dup_opt(a, r, 1);
	g->short_name = dup_opt(a, r, 2);
	g->year = r->v[3].t == SV_INT ? (long)r->v[3].i : 0;
	g->date = dup_opt(a, r, 4);
	g->type = dup_opt(a, r, 5);
	g->groups = cap_json_strs(a, cap_val_s(r, 6), &g->n_groups);
	g->objectives = cap_json_strs(a, cap_val_s(r, 7), &g->n_objectives);
	g->compliance = dup_opt(a, r, 8);
	g->compliance_note = dup_opt(a, r, 9);
	g->treaty = dup_opt(a, r, 10);
	g->participants_note = dup_opt(a, r, 11);
	g->source = dup_opt(a, r, 12);
	g->source_note = dup_opt(a, r, 13);
	const char *p[] = {g->id};
	struct grow gp = {a, (void **)&g->participants, &g->n_participants, 0,
			  sizeof *g->participants, NULL, NULL};
	int rc = store_cap_each(ga->st, "participants", p, 1, load_participant, &gp, ga->e);
	struct grow gc = {a, (void **)&g->commitments, &g->n_commitments, 0,
			  sizeof *g->commitments, NULL, NULL};
	if (rc == 0)
		rc = store_cap_each(ga->st, "commitments", p, 1, load_commitment, &gc, ga->e);
	return rc;
}

static int load_company(void *ctx, const struct store_row *r)
{
	struct grow *g = ctx;
	struct agr_company *m = grow_one(g);
	m->id = dup_opt(g->a, r, 0);
	m->company = dup_opt(g->a, r, 1);
	m->norm = dup_opt(g->a, r, 2);
	m->text = dup_opt(g->a, r, 3);
	m->date = dup_opt(g->a, r, 4);
	m->evidence = dup_opt(g->a, r, 5);
	m->note = dup_opt(g->a, r, 6);
	m->synthetic = r->v[7].t == SV_INT && r->v[7].i != 0;
	return 0;
}

int app_agreements_export(struct app *a, bool csv, struct buf *out,
			  struct cdg_err *e)
{
	struct agr_set s;
	agr_set_init(&s);
	int rc;
	if (csv) {
		struct grow g = {&s.arena, (void **)&s.companies, &s.n_companies, 0,
				 sizeof *s.companies, a->st, e};
		rc = store_cap_each(a->st, "companies", NULL, 0, load_company, &g, e);
		if (rc == 0)
			agr_companies_csv_write(&s, out);
	} else {
		struct grow gn = {&s.arena, (void **)&s.norms, &s.n_norms, 0,
				  sizeof *s.norms, a->st, e};
		struct grow ga = {&s.arena, (void **)&s.agreements, &s.n_agreements, 0,
				  sizeof *s.agreements, a->st, e};
		rc = store_cap_each(a->st, "industry_norms", NULL, 0, load_norm, &gn, e);
		if (rc == 0)
			rc = store_cap_each(a->st, "agreements", NULL, 0, load_agreement, &ga, e);
		if (rc == 0) {
			struct jw w;
			jw_init(&w, out, true);
			agr_json_write(&s, &w);
			buf_addc(out, '\n');
		}
	}
	agr_set_free(&s);
	return rc;
}
