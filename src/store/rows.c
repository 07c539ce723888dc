/* Generic upserts, catalog files and the fixed read queries: see store.h. */
#include "store/store_int.h"

#include <string.h>

static const char *const known_tables[] = {
	"catalog_file", "norm", "goal", "goal_norm", "target", "indicator",
	"question", "country", "treaty", "treaty_party", "audit_log",
	"import_batch", "observation", "survey_response", "survey_revision",
	"survey_answer", "crime_article", "crime_treaty", "crime_treaty_scope",
	"crime_coverage", "crime_mlat", "crime_contact247", "crime_group_member",
	"reg_sector", "reg_actor", "reg_incident", "reg_incident_victim",
	"reg_incident_sector", "reg_standard", "reg_doctrine", "reg_position",
	"reg_attribution", "reg_invocation", "reg_response", "reg_actor_rel",
	"cap_initiative", "agr_industry_norm", "agr_agreement", "agr_participant",
	"agr_commitment", "agr_company",
	"state_alias", "non_un_entity", "reg_incident_entity",
	NULL};

static bool known_table(const char *t)
{
	for (const char *const *k = known_tables; *k; k++)
		if (strcmp(*k, t) == 0)
			return true;
	return false;
}

static bool ident_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

static int bind_val(sqlite3_stmt *st, int i, const struct store_val *v)
{
	switch (v->t) {
	case SV_TEXT: return sqlite3_bind_text(st, i, v->s, -1, SQLITE_STATIC);
	case SV_INT: return sqlite3_bind_int64(st, i, v->i);
	case SV_REAL: return sqlite3_bind_double(st, i, v->d);
	default: return sqlite3_bind_null(st, i);
	}
}

/* Runs the upsert sql (cached) with vals as its parameters ?1..?ncols:
 * 1 if a row was inserted or changed, 0 if not, or a negative code. */
static int run_upsert(struct store *s, const char *table, const char *sql,
		      const struct store_val *vals, size_t ncols,
		      struct cdg_err *e)
{
	sqlite3_stmt *st;
	int rc = store_cached(s, sql, &st, e);
	if (rc)
		return rc;
	for (size_t i = 0; i < ncols; i++)
		bind_val(st, (int)i + 1, &vals[i]);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_dberr(s, e, table);
	sqlite3_reset(st);
	if (rc)
		return rc;
	return sqlite3_changes(s->db) > 0 ? 1 : 0;
}

int store_upsert(struct store *s, const char *table, const char *const *cols,
		 const struct store_val *vals, size_t ncols, size_t nkey,
		 struct cdg_err *e)
{
	if (!known_table(table) || nkey == 0 || nkey > ncols)
		return err_set(e, CDG_EINTERNAL, "bad upsert into %s", table);
	/* Built with buf_adds, not printf: an import builds this text for
	 * every row before the statement cache finds it. */
	struct buf q = BUF_INIT;
	buf_adds(&q, "INSERT INTO ");
	buf_adds(&q, table);
	buf_addc(&q, '(');
	for (size_t i = 0; i < ncols; i++) {
		if (!ident_ok(cols[i])) {
			buf_free(&q);
			return err_set(e, CDG_EINTERNAL, "bad column %s", cols[i]);
		}
		if (i)
			buf_addc(&q, ',');
		buf_adds(&q, cols[i]);
	}
	buf_adds(&q, ") VALUES (");
	for (size_t i = 0; i < ncols; i++)
		buf_adds(&q, i ? ",?" : "?");
	buf_adds(&q, ") ON CONFLICT(");
	for (size_t i = 0; i < nkey; i++) {
		if (i)
			buf_addc(&q, ',');
		buf_adds(&q, cols[i]);
	}
	if (nkey == ncols) {
		buf_adds(&q, ") DO NOTHING");
	} else {
		buf_adds(&q, ") DO UPDATE SET ");
		for (size_t i = nkey; i < ncols; i++) {
			if (i > nkey)
				buf_addc(&q, ',');
			buf_adds(&q, cols[i]);
			buf_adds(&q, "=excluded.");
			buf_adds(&q, cols[i]);
		}
		buf_adds(&q, " WHERE ");
		for (size_t i = nkey; i < ncols; i++) {
			if (i > nkey)
				buf_adds(&q, " OR ");
			buf_adds(&q, table);
			buf_addc(&q, '.');
			buf_adds(&q, cols[i]);
			buf_adds(&q, " IS NOT excluded.");
			buf_adds(&q, cols[i]);
		}
	}
	int rc = run_upsert(s, table, q.p, vals, ncols, e);
	buf_free(&q);
	return rc;
}

/* The transaction's time as a STIX timestamp, in SQL. */
#define STAMP_NOW "substr(cdg_now(), 1, 19) || '.000Z'"

int store_upsert_versioned(struct store *s, const char *table,
			   const char *const *cols, const struct store_val *vals,
			   size_t ncols, size_t nkey, struct cdg_err *e)
{
	if (!known_table(table) || nkey == 0 || nkey + 2 > ncols ||
	    strcmp(cols[ncols - 2], "created") != 0 ||
	    strcmp(cols[ncols - 1], "modified") != 0)
		return err_set(e, CDG_EINTERNAL, "bad versioned upsert into %s", table);
	size_t nv = ncols - 2; /* columns compared */
	struct buf q = BUF_INIT;
	buf_addf(&q, "INSERT INTO %s(", table);
	for (size_t i = 0; i < ncols; i++) {
		if (!ident_ok(cols[i])) {
			buf_free(&q);
			return err_set(e, CDG_EINTERNAL, "bad column %s", cols[i]);
		}
		buf_addf(&q, "%s%s", i ? "," : "", cols[i]);
	}
	buf_adds(&q, ") VALUES (");
	for (size_t i = 0; i < nv; i++)
		buf_addf(&q, "%s?%zu", i ? "," : "", i + 1);
	buf_addf(&q, ",coalesce(?%zu," STAMP_NOW "),coalesce(?%zu," STAMP_NOW
		 ")) ON CONFLICT(", nv + 1, nv + 2);
	for (size_t i = 0; i < nkey; i++)
		buf_addf(&q, "%s%s", i ? "," : "", cols[i]);
	buf_adds(&q, ") DO UPDATE SET ");
	for (size_t i = nkey; i < nv; i++)
		buf_addf(&q, "%s=excluded.%s,", cols[i], cols[i]);
	buf_adds(&q, "modified=excluded.modified WHERE ");
	for (size_t i = nkey; i < nv; i++)
		buf_addf(&q, "%s%s.%s IS NOT excluded.%s", i > nkey ? " OR " : "",
			 table, cols[i], cols[i]);
	if (nv == nkey)
		buf_adds(&q, "0");
	int rc = run_upsert(s, table, q.p, vals, ncols, e);
	buf_free(&q);
	return rc;
}

int store_reg_touch(struct store *s, const char *table, const char *id,
		    const char *modified, struct cdg_err *e)
{
	static const char *const versioned[] = {"reg_incident", "reg_attribution",
		"reg_actor"};
	bool ok = false;
	for (size_t i = 0; i < 3; i++)
		ok = ok || strcmp(table, versioned[i]) == 0;
	if (!ok)
		return err_set(e, CDG_EINTERNAL, "%s has no modified", table);
	struct buf q = BUF_INIT;
	buf_addf(&q, "UPDATE %s SET modified = coalesce(?2, " STAMP_NOW ") WHERE"
		 " id = ?1 AND modified IS NOT coalesce(?2, " STAMP_NOW ")", table);
	sqlite3_stmt *st;
	int rc = store_cached(s, q.p, &st, e);
	buf_free(&q);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (modified)
		sqlite3_bind_text(st, 2, modified, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	rc = sqlite3_step(st) == SQLITE_DONE ? (sqlite3_changes(s->db) > 0)
					     : store_dberr(s, e, table);
	sqlite3_reset(st);
	return rc;
}

void store_batch_upsert(struct store_batch *b, const char *table,
			const char *const *cols, const struct store_val *vals,
			size_t ncols, size_t nkey)
{
	if (b->rc)
		return;
	int r = store_upsert(b->st, table, cols, vals, ncols, nkey, b->e);
	if (r < 0)
		b->rc = r;
	else
		b->written += r;
}

int store_catalog_file_put(struct store *s, const char *name,
			   const char *sha256, const char *text,
			   struct cdg_err *e)
{
	static const char *const cols[] = {"name", "sha256", "content"};
	struct store_val v[] = {sv_text(name), sv_text(sha256), sv_text(text)};
	return store_upsert(s, "catalog_file", cols, v, 3, 1, e);
}

int store_catalog_files(struct store *s,
			int (*fn)(void *ctx, const char *name, const char *text,
				  struct cdg_err *e),
			void *ctx, struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT name, content FROM catalog_file ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading the catalog");
	int rc = 0, step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = fn(ctx, (const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 1), e);
	sqlite3_finalize(st);
	return rc;
}

long long store_count(struct store *s, const char *table)
{
	if (!known_table(table))
		return -1;
	struct buf q = BUF_INIT;
	buf_addf(&q, "SELECT count(*) FROM %s", table);
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(s->db, q.p, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	buf_free(&q);
	return n;
}

/* ---- fixed read queries ---------------------------------------------------- */

struct named_query {
	const char *id;  /* name callers use */
	const char *sql; /* parameters ?1, ?2 ... */
};

static const struct named_query queries[] = {
	{"countries",
	 "SELECT c.iso3, c.iso2, c.name, c.status, c.un_member_since,"
	 " (SELECT tp.status FROM treaty_party tp WHERE tp.iso3 = c.iso3"
	 "  AND tp.treaty_id = 'ETS185') AS budapest_status"
	 " FROM country c ORDER BY c.name"},
	{"country",
	 "SELECT iso3, iso2, name, iso_name, status, un_member_since,"
	 " admission_date, source_url, source_note FROM country WHERE iso3 = ?1"},
	{"country_treaties",
	 "SELECT t.id AS treaty_id, t.short_name, t.name, tp.status,"
	 " tp.signature_date, tp.ratification_date, tp.entry_into_force_date,"
	 " tp.source_url, tp.source_note"
	 " FROM treaty_party tp JOIN treaty t ON t.id = tp.treaty_id"
	 " WHERE tp.iso3 = ?1 ORDER BY t.id"},
	{"treaties",
	 "SELECT t.id, t.short_name, t.name, t.source_url,"
	 " (SELECT count(*) FROM treaty_party tp WHERE tp.treaty_id = t.id"
	 "  AND tp.status = 'party') AS parties"
	 " FROM treaty t ORDER BY t.id"},
	{"audit_recent",
	 "SELECT id, at, actor, action, entity, entity_key FROM audit_log"
	 " ORDER BY id DESC LIMIT 50"},
	{"schema",
	 "SELECT version, name, applied_at FROM schema_migration ORDER BY version"},
	/* Current observations with their provenance; ?1 state, ?2 indicator,
	 * ?3 year (NULL: any), ?4 limit, ?5 offset. */
	{"observations",
	 "SELECT indicator_id AS indicator, iso3 AS country, year, value, source,"
	 " note, source_type, synthetic, entered_by, entered_at, batch_id AS batch"
	 " FROM observation WHERE superseded_by IS NULL"
	 " AND (?1 IS NULL OR iso3 = ?1) AND (?2 IS NULL OR indicator_id = ?2)"
	 " AND (?3 IS NULL OR year = CAST(?3 AS INTEGER))"
	 " ORDER BY indicator_id, iso3, year"
	 " LIMIT CAST(?4 AS INTEGER) OFFSET CAST(?5 AS INTEGER)"},
	{"self_reported_count",
	 "SELECT count(*) AS n FROM obs o JOIN import_batch b ON b.id = o.batch_id"
	 " WHERE b.source_type = 'self_reported' AND o.superseded_by IS NULL"
	 " AND o.year <= CAST(?1 AS INTEGER)"},
	{"edition_synthetic_inputs",
	 "SELECT count(*) AS n FROM index_input WHERE edition = CAST(?1 AS INTEGER)"
	 " AND synthetic = 1"},
	{"observations_count",
	 "SELECT count(*) AS n FROM observation WHERE superseded_by IS NULL"
	 " AND (?1 IS NULL OR iso3 = ?1) AND (?2 IS NULL OR indicator_id = ?2)"
	 " AND (?3 IS NULL OR year = CAST(?3 AS INTEGER))"},
};

static const char *query_sql(const char *id)
{
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
		if (strcmp(queries[i].id, id) == 0)
			return queries[i].sql;
	return NULL;
}

static void row_json(sqlite3_stmt *st, struct jw *w)
{
	jw_obj(w);
	int n = sqlite3_column_count(st);
	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(st, i);
		jw_key(w, name);
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			/* A flag is a JSON boolean everywhere the API says it. */
			if (strcmp(name, "synthetic") == 0)
				jw_bool(w, sqlite3_column_int64(st, i) != 0);
			else
				jw_int(w, sqlite3_column_int64(st, i));
			break;
		case SQLITE_FLOAT:
			jw_num(w, sqlite3_column_double(st, i));
			break;
		case SQLITE_NULL:
			jw_null(w);
			break;
		default:
			jw_strn(w, (const char *)sqlite3_column_text(st, i),
				(size_t)sqlite3_column_bytes(st, i));
		}
	}
	jw_obj_end(w);
}

static int prepare_query(struct store *s, const char *id,
			 const char *const *params, size_t nparams,
			 sqlite3_stmt **st, struct cdg_err *e)
{
	const char *sql = query_sql(id);
	if (!sql)
		return err_set(e, CDG_EINTERNAL, "unknown query %s", id);
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_dberr(s, e, id);
	for (size_t i = 0; i < nparams; i++)
		sqlite3_bind_text(*st, (int)i + 1, params[i], -1, SQLITE_STATIC);
	return 0;
}

int store_query_json(struct store *s, const char *query_id,
		     const char *const *params, size_t nparams, struct jw *w,
		     struct cdg_err *e)
{
	sqlite3_stmt *st;
	int rc = prepare_query(s, query_id, params, nparams, &st, e);
	if (rc)
		return rc;
	int n = 0, step;
	jw_arr(w);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		row_json(st, w);
		n++;
	}
	jw_arr_end(w);
	if (step != SQLITE_DONE)
		n = store_dberr(s, e, query_id);
	sqlite3_finalize(st);
	return n;
}

/* Runs a fixed query up to its first row: 0 with *st on that row (the
 * caller finalizes it), CDG_ENOTFOUND if there is none. */
static int first_row(struct store *s, const char *query_id,
		     const char *const *params, size_t nparams,
		     sqlite3_stmt **st, struct cdg_err *e)
{
	int rc = prepare_query(s, query_id, params, nparams, st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(*st);
	if (step == SQLITE_ROW)
		return 0;
	rc = step == SQLITE_DONE ? err_set(e, CDG_ENOTFOUND, "not found")
				 : store_dberr(s, e, query_id);
	sqlite3_finalize(*st);
	return rc;
}

int store_query_int(struct store *s, const char *query_id,
		    const char *const *params, size_t nparams, long long *out,
		    struct cdg_err *e)
{
	sqlite3_stmt *st;
	int rc = first_row(s, query_id, params, nparams, &st, e);
	if (rc == 0) {
		*out = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return rc;
}

int store_row_json(struct store *s, const char *query_id,
		   const char *const *params, size_t nparams, struct jw *w,
		   struct cdg_err *e)
{
	sqlite3_stmt *st;
	int rc = first_row(s, query_id, params, nparams, &st, e);
	if (rc == 0) {
		row_json(st, w);
		sqlite3_finalize(st);
	}
	return rc;
}

int store_country_codes(struct store *s, struct arena *a, const char ***iso3,
			const char ***m49, size_t *n, struct cdg_err *e)
{
	long long count = store_count(s, "country");
	if (count < 0)
		return store_dberr(s, e, "counting states");
	*iso3 = arena_alloc(a, (size_t)(count + 1) * sizeof **iso3);
	*m49 = arena_alloc(a, (size_t)(count + 1) * sizeof **m49);
	*n = 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT iso3, coalesce(m49, '') FROM country"
			       " ORDER BY iso3", -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading states");
	while (sqlite3_step(st) == SQLITE_ROW && *n < (size_t)count) {
		(*iso3)[*n] = arena_strdup(a, (const char *)sqlite3_column_text(st, 0));
		(*m49)[*n] = arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
		(*n)++;
	}
	sqlite3_finalize(st);
	return 0;
}

/* Runs one fixed read query, calling fn per row (see store_int.h). */
int store_rows_each(struct store *s, const char *sql, const char *query,
		    const char *const *params, size_t np,
		    int (*fn)(void *ctx, const struct store_row *r), void *ctx,
		    struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, query);
	for (size_t i = 0; i < np; i++)
		if (params[i])
			sqlite3_bind_text(st, (int)i + 1, params[i], -1, SQLITE_STATIC);
	int n = sqlite3_column_count(st);
	if (n > 32) {
		sqlite3_finalize(st);
		return err_set(e, CDG_EINTERNAL, "query %s has too many columns", query);
	}
	const char *names[32];
	struct store_val v[32];
	for (int i = 0; i < n; i++)
		names[i] = sqlite3_column_name(st, i);
	struct store_row row = {(size_t)n, names, v};
	int rc = 0, step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_INTEGER:
				v[i] = sv_int(sqlite3_column_int64(st, i));
				break;
			case SQLITE_FLOAT:
				v[i] = sv_real(sqlite3_column_double(st, i));
				break;
			case SQLITE_NULL:
				v[i] = sv_null();
				break;
			default:
				v[i] = sv_text((const char *)sqlite3_column_text(st, i));
				v[i].t = SV_TEXT;
			}
		}
		rc = fn(ctx, &row);
	}
	if (rc == 0 && step != SQLITE_DONE) {
		/* An FTS5 query the user typed can be malformed. */
		const char *msg = sqlite3_errmsg(s->db);
		if (strstr(msg, "fts5"))
			rc = err_at(e, CDG_EUSAGE, NULL, 0, "search", "%s", msg);
		else
			rc = store_dberr(s, e, query);
	}
	sqlite3_finalize(st);
	return rc;
}
