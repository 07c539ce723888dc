/* Cybercrime co-operation rows (issue 7): see store.h.  Writes go through
 * store_upsert() (audited by the triggers of migration 4); this file holds
 * the reads and the one insert store_upsert cannot express. */
#include "store/store_int.h"

#include <string.h>

int store_crime_treaty_base(struct store *s, const char *id, const char *name,
			    const char *short_name, const char *source_url,
			    struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO treaty(id, name, short_name, source_url)"
			       " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(id) DO NOTHING",
			       -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "preparing treaty insert");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, short_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, source_url, -1, SQLITE_STATIC);
	int rc = 0;
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_dberr(s, e, "treaty");
	sqlite3_finalize(st);
	return rc ? rc : sqlite3_changes(s->db) > 0;
}

/* Runs sql with an optional text parameter and hands each row to fn as
 * an array of column texts (NULL for SQL NULL). */
static int each_row(struct store *s, const char *sql, const char *param,
		    int (*fn)(void *ctx, const char *const *col), void *ctx,
		    struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "preparing a crime query");
	if (param)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	const char *col[16];
	int n = sqlite3_column_count(st);
	if (n > 16)
		n = 16;
	int rc = 0, step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			col[i] = (const char *)sqlite3_column_text(st, i);
		rc = fn(ctx, col);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_dberr(s, e, "reading crime data");
	sqlite3_finalize(st);
	return rc;
}

/* The typed wrappers below adapt each_row's column arrays. */
struct adapt {
	union {
		int (*state)(void *, const struct store_crime_state *);
		int (*party)(void *, const struct store_crime_party *);
		int (*cov)(void *, const struct store_crime_cov *);
		int (*mlat)(void *, const struct store_crime_mlat *);
		int (*contact)(void *, const struct store_crime_contact *);
		int (*member)(void *, const struct store_crime_member *);
	} fn;      /* the caller's typed callback */
	void *ctx; /* its context */
};

static int states_row(void *ctx, const char *const *c)
{
	struct adapt *ad = ctx;
	struct store_crime_state r = {c[0], c[1] && strcmp(c[1], "member") == 0};
	return ad->fn.state(ad->ctx, &r);
}

int store_crime_states(struct store *s,
		       int (*fn)(void *ctx, const struct store_crime_state *r),
		       void *ctx, struct cdg_err *e)
{
	struct adapt ad = {.ctx = ctx};
	ad.fn.state = fn;
	return each_row(s, "SELECT iso3, status FROM country ORDER BY iso3", NULL,
			states_row, &ad, e);
}

static int party_row(void *ctx, const char *const *c)
{
	struct adapt *ad = ctx;
	struct store_crime_party r = {c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
	return ad->fn.party(ad->ctx, &r);
}

int store_crime_parties(struct store *s, const char *treaty,
			int (*fn)(void *ctx, const struct store_crime_party *r),
			void *ctx, struct cdg_err *e)
{
	struct adapt ad = {.ctx = ctx};
	ad.fn.party = fn;
	return each_row(s,
			"SELECT treaty_id, iso3, status, signature_date,"
			" ratification_date, entry_into_force_date, source_url,"
			" source_note FROM treaty_party"
			" WHERE ?1 IS NULL OR treaty_id = ?1 ORDER BY treaty_id, iso3",
			treaty, party_row, &ad, e);
}

static int cov_row(void *ctx, const char *const *c)
{
	struct adapt *ad = ctx;
	struct store_crime_cov r = {c[0], c[1], c[2], c[3], c[4], c[5], c[6]};
	return ad->fn.cov(ad->ctx, &r);
}

int store_crime_coverage(struct store *s, const char *iso3,
			 int (*fn)(void *ctx, const struct store_crime_cov *r),
			 void *ctx, struct cdg_err *e)
{
	struct adapt ad = {.ctx = ctx};
	ad.fn.cov = fn;
	return each_row(s,
			"SELECT c.iso3, c.article_id, c.covered, c.legal_citation,"
			" c.source_url, c.basis, c.note FROM crime_coverage c"
			" JOIN crime_article a ON a.id = c.article_id"
			" WHERE ?1 IS NULL OR c.iso3 = ?1 ORDER BY c.iso3, a.position",
			iso3, cov_row, &ad, e);
}

static int mlat_row(void *ctx, const char *const *c)
{
	struct adapt *ad = ctx;
	struct store_crime_mlat r = {c[0], c[1], c[2], c[3], c[4], c[5]};
	return ad->fn.mlat(ad->ctx, &r);
}

int store_crime_mlats(struct store *s,
		      int (*fn)(void *ctx, const struct store_crime_mlat *r),
		      void *ctx, struct cdg_err *e)
{
	struct adapt ad = {.ctx = ctx};
	ad.fn.mlat = fn;
	return each_row(s, "SELECT a, b, signed, in_force, source_url, note"
			" FROM crime_mlat ORDER BY a, b", NULL, mlat_row, &ad, e);
}

static int contact_row(void *ctx, const char *const *c)
{
	struct adapt *ad = ctx;
	struct store_crime_contact r = {c[0], c[1], c[2], c[3]};
	return ad->fn.contact(ad->ctx, &r);
}

int store_crime_contacts(struct store *s,
			 int (*fn)(void *ctx, const struct store_crime_contact *r),
			 void *ctx, struct cdg_err *e)
{
	struct adapt ad = {.ctx = ctx};
	ad.fn.contact = fn;
	return each_row(s, "SELECT iso3, since, source_url, note"
			" FROM crime_contact247 ORDER BY iso3", NULL, contact_row,
			&ad, e);
}

static int member_row(void *ctx, const char *const *c)
{
	struct adapt *ad = ctx;
	struct store_crime_member r = {c[0], c[1], c[2], c[3], c[4], c[5], c[6]};
	return ad->fn.member(ad->ctx, &r);
}

int store_crime_members(struct store *s, const char *group,
			int (*fn)(void *ctx, const struct store_crime_member *r),
			void *ctx, struct cdg_err *e)
{
	struct adapt ad = {.ctx = ctx};
	ad.fn.member = fn;
	return each_row(s, "SELECT group_id, iso3, since, until, source_url,"
			" basis, note FROM crime_group_member"
			" WHERE group_id = ?1 ORDER BY iso3", group, member_row,
			&ad, e);
}

int store_crime_articles_json(struct store *s, struct jw *w,
			      struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, number, title, kind, class, class_reason,"
			       " un_article, un_title, un_verified, summary,"
			       " (SELECT group_concat(treaty_id, ' ') FROM"
			       "  (SELECT treaty_id FROM crime_treaty_scope sc"
			       "   JOIN crime_treaty t USING (treaty_id)"
			       "   WHERE sc.article_id = a.id ORDER BY t.position))"
			       " FROM crime_article a ORDER BY position",
			       -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading articles");
	jw_arr(w);
	int step, n = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t[11];
		for (int i = 0; i < 11; i++)
			t[i] = (const char *)sqlite3_column_text(st, i);
		jw_obj(w);
		jw_kstr(w, "id", t[0]);
		jw_kint(w, "article", sqlite3_column_int64(st, 1));
		jw_kstr(w, "title", t[2]);
		jw_kstr(w, "kind", t[3]);
		jw_kstr(w, "class", t[4]);
		jw_kstr(w, "class_reason", t[5]);
		jw_key(w, "un");
		if (t[6]) {
			jw_obj(w);
			jw_kstr(w, "article", t[6]);
			jw_kstr(w, "title", t[7]);
			jw_kbool(w, "verified", sqlite3_column_int(st, 8) != 0);
			jw_obj_end(w);
		} else {
			jw_null(w);
		}
		jw_kstr(w, "summary", t[9]);
		jw_key(w, "treaties");
		jw_arr(w);
		/* group_concat of ids: split on spaces (ids have none). */
		for (const char *p = t[10]; p && *p;) {
			size_t len = strcspn(p, " ");
			jw_strn(w, p, len);
			p += len + (p[len] == ' ');
		}
		jw_arr_end(w);
		jw_obj_end(w);
		n++;
	}
	jw_arr_end(w);
	int rc = step == SQLITE_DONE ? n : store_dberr(s, e, "reading articles");
	sqlite3_finalize(st);
	return rc;
}
