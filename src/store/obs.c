/* Indicator observations: bulk writer and reads.  See store.h. */
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

struct store_obs_writer {
	struct store *s;
	struct arena arena;       /* the key sets' strings */
	struct strmap indicators; /* valid indicator ids */
	struct strmap states;     /* valid ISO alpha-3 codes */
	bool own_tx;              /* store_obs_begin opened the transaction */
	const char *kind, *file_name, *sha256; /* for the batch row */
	bool synthetic;           /* rows are demo data */
	long long batch;          /* import_batch id */
	long long rows;           /* rows written */
	sqlite3_stmt *ins;        /* INSERT into observation */
	sqlite3_stmt *cur;        /* current row for a key */
	sqlite3_stmt *mark;       /* UPDATE superseded_by */
};

static int prep(struct store *s, const char *sql, sqlite3_stmt **st,
		struct cdg_err *e)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
			       NULL) != SQLITE_OK)
		return store_dberr(s, e, "preparing a statement");
	return 0;
}

static void writer_free(struct store_obs_writer *w)
{
	strmap_free(&w->indicators);
	strmap_free(&w->states);
	arena_free(&w->arena);
	sqlite3_finalize(w->ins);
	sqlite3_finalize(w->cur);
	sqlite3_finalize(w->mark);
	free(w);
}

/* Sets up a writer inside the open transaction. */
static int attach(struct store *s, const char *kind, const char *file_name,
		  const char *sha256, bool synthetic, bool own_tx,
		  struct store_obs_writer **out, struct cdg_err *e)
{
	struct store_obs_writer *w = xcalloc(1, sizeof *w);
	w->s = s;
	w->own_tx = own_tx;
	arena_init(&w->arena);
	strmap_init(&w->indicators);
	strmap_init(&w->states);
	int rc = 0;
	sqlite3_stmt *k;
	static const char *const keysql[] = {"SELECT id FROM indicator",
					     "SELECT iso3 FROM country"};
	for (int i = 0; i < 2 && rc == 0; i++) {
		rc = prep(s, keysql[i], &k, e);
		while (rc == 0 && sqlite3_step(k) == SQLITE_ROW) {
			char *key = arena_strdup(&w->arena,
						 (const char *)sqlite3_column_text(k, 0));
			strmap_put(i ? &w->states : &w->indicators, key, key);
		}
		sqlite3_finalize(k);
	}
	if (rc == 0)
		rc = prep(s, "INSERT INTO observation(indicator_id, iso3, year, value,"
			     " source, note, batch_id, line, synthetic, entered_by,"
			     " entered_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
			  &w->ins, e);
	if (rc == 0)
		rc = prep(s, "SELECT id, batch_id, line, value, source,"
			     " coalesce(note, '') FROM observation WHERE iso3 = ?2"
			     " AND indicator_id = ?1 AND year = ?3 AND superseded_by IS NULL",
			  &w->cur, e);
	if (rc == 0)
		rc = prep(s, "UPDATE observation SET superseded_by = ?2 WHERE id = ?1",
			  &w->mark, e);
	if (rc) {
		writer_free(w);
		return rc;
	}
	w->kind = arena_strdup(&w->arena, kind);
	w->file_name = arena_strdup(&w->arena, file_name);
	w->sha256 = arena_strdup(&w->arena, sha256);
	w->synthetic = synthetic;
	sqlite3_bind_int(w->ins, 9, synthetic);
	sqlite3_bind_text(w->ins, 10, s->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(w->ins, 11, s->now, -1, SQLITE_STATIC);
	*out = w;
	return 0;
}

int store_obs_begin(struct store *s, const char *actor, const char *kind,
		    const char *file_name, const char *sha256, bool synthetic,
		    struct store_obs_writer **out, struct cdg_err *e)
{
	*out = NULL;
	/* Foreign keys are checked here against in-memory key sets instead of
	 * by SQLite row by row: that check alone is a third of a bulk
	 * import's time.  The pragma cannot change inside a transaction. */
	sqlite3_exec(s->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
	int rc = store_tx_begin(s, actor, e);
	if (rc == 0)
		rc = attach(s, kind, file_name, sha256, synthetic, true, out, e);
	if (rc) {
		store_tx_rollback(s);
		sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	}
	return rc;
}

int store_obs_attach(struct store *s, const char *kind, const char *file_name,
		     bool synthetic, struct store_obs_writer **out,
		     struct cdg_err *e)
{
	*out = NULL;
	if (!s->in_tx)
		return err_set(e, CDG_EINTERNAL, "store_obs_attach outside a transaction");
	return attach(s, kind, file_name, "-", synthetic, false, out, e);
}

/* The batch row is written with the first observation, so a batch that
 * changes nothing leaves no trace (re-running cdg init is silent). */
static int ensure_batch(struct store_obs_writer *w, struct cdg_err *e)
{
	if (w->batch)
		return 0;
	struct store *s = w->s;
	sqlite3_stmt *b = NULL;
	int rc = prep(s, "INSERT INTO import_batch(kind, file_name, sha256, synthetic,"
			 " actor, at) VALUES (?1, ?2, ?3, ?4, cdg_actor(), cdg_now())",
		      &b, e);
	if (rc == 0) {
		sqlite3_bind_text(b, 1, w->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(b, 2, w->file_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(b, 3, w->sha256, -1, SQLITE_STATIC);
		sqlite3_bind_int(b, 4, w->synthetic);
		if (sqlite3_step(b) != SQLITE_DONE)
			rc = store_dberr(s, e, "recording the import batch");
		w->batch = sqlite3_last_insert_rowid(s->db);
		sqlite3_bind_int64(w->ins, 7, w->batch);
	}
	sqlite3_finalize(b);
	return rc;
}

/* 1 if the key's current row has exactly o's value, source and note. */
static int current_is_same(struct store_obs_writer *w, const struct store_obs *o,
			   struct cdg_err *e)
{
	sqlite3_stmt *c = w->cur;
	sqlite3_bind_text(c, 1, o->indicator, -1, SQLITE_STATIC);
	sqlite3_bind_text(c, 2, o->iso3, -1, SQLITE_STATIC);
	sqlite3_bind_int64(c, 3, o->year);
	int step = sqlite3_step(c);
	int same = 0;
	if (step == SQLITE_ROW)
		same = sqlite3_column_double(c, 3) == o->value &&
		       strcmp((const char *)sqlite3_column_text(c, 4), o->source) == 0 &&
		       strcmp((const char *)sqlite3_column_text(c, 5), o->note ? o->note : "") == 0;
	else if (step != SQLITE_DONE)
		same = store_dberr(w->s, e, "reading the current observation");
	sqlite3_reset(c);
	return same;
}

static int mark(struct store_obs_writer *w, long long id, long long by,
		struct cdg_err *e)
{
	sqlite3_bind_int64(w->mark, 1, id);
	sqlite3_bind_int64(w->mark, 2, by);
	int step = sqlite3_step(w->mark);
	sqlite3_reset(w->mark);
	return step == SQLITE_DONE ? 0 : store_dberr(w->s, e, "superseding");
}

static int insert(struct store_obs_writer *w, const struct store_obs *o)
{
	sqlite3_stmt *st = w->ins;
	sqlite3_bind_text(st, 1, o->indicator, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->iso3, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, o->year);
	sqlite3_bind_double(st, 4, o->value);
	sqlite3_bind_text(st, 5, o->source, -1, SQLITE_STATIC);
	if (o->note && *o->note)
		sqlite3_bind_text(st, 6, o->note, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 6);
	if (o->line > 0)
		sqlite3_bind_int64(st, 8, o->line);
	else
		sqlite3_bind_null(st, 8);
	int step = sqlite3_step(st);
	int ext = sqlite3_extended_errcode(w->s->db);
	sqlite3_reset(st);
	return step == SQLITE_DONE ? SQLITE_DONE : ext;
}

int store_obs_put(struct store_obs_writer *w, const struct store_obs *o,
		  struct cdg_err *e)
{
	if (!strmap_get(&w->indicators, o->indicator))
		return err_set(e, CDG_EINPUT, "unknown indicator \"%s\"", o->indicator);
	if (!strmap_get(&w->states, o->iso3))
		return err_set(e, CDG_EINPUT, "unknown state \"%s\"", o->iso3);
	if (!w->batch) {
		/* Until something is written there is no batch: an unchanged
		 * row must not create one. */
		int same = current_is_same(w, o, e);
		if (same < 0)
			return same;
		if (same)
			return 0;
		int rc0 = ensure_batch(w, e);
		if (rc0)
			return rc0;
	}
	int r = insert(w, o);
	if (r == SQLITE_DONE) {
		w->rows++;
		return 1;
	}
	if (r != SQLITE_CONSTRAINT_UNIQUE)
		return store_dberr(w->s, e, "writing an observation");
	/* The key has a current row: same batch is a duplicate in the file;
	 * identical content is a no-op; otherwise the new row supersedes. */
	sqlite3_stmt *c = w->cur;
	sqlite3_bind_text(c, 1, o->indicator, -1, SQLITE_STATIC);
	sqlite3_bind_text(c, 2, o->iso3, -1, SQLITE_STATIC);
	sqlite3_bind_int64(c, 3, o->year);
	if (sqlite3_step(c) != SQLITE_ROW) {
		sqlite3_reset(c);
		return store_dberr(w->s, e, "reading the current observation");
	}
	long long old = sqlite3_column_int64(c, 0);
	long long batch = sqlite3_column_int64(c, 1);
	long line = (long)sqlite3_column_int64(c, 2);
	bool same = sqlite3_column_double(c, 3) == o->value &&
		    strcmp((const char *)sqlite3_column_text(c, 4), o->source) == 0 &&
		    strcmp((const char *)sqlite3_column_text(c, 5), o->note ? o->note : "") == 0;
	sqlite3_reset(c);
	if (batch == w->batch) {
		int rc = err_set(e, CDG_EINPUT,
				 "%s %s %ld appears twice in the file (first on line %ld)",
				 o->indicator, o->iso3, o->year, line);
		if (e)
			e->line = line;
		return rc;
	}
	if (same)
		return 0;
	int rc = mark(w, old, old, e);
	if (rc)
		return rc;
	if (insert(w, o) != SQLITE_DONE)
		return store_dberr(w->s, e, "writing an observation");
	rc = mark(w, old, sqlite3_last_insert_rowid(w->s->db), e);
	if (rc)
		return rc;
	w->rows++;
	return 1;
}

int store_obs_end(struct store_obs_writer *w, bool commit, struct cdg_err *e)
{
	struct store *s = w->s;
	int rc = 0;
	if (commit && w->batch) {
		sqlite3_stmt *u = NULL;
		rc = prep(s, "UPDATE import_batch SET rows = ?2 WHERE id = ?1", &u, e);
		if (rc == 0) {
			sqlite3_bind_int64(u, 1, w->batch);
			sqlite3_bind_int64(u, 2, w->rows);
			if (sqlite3_step(u) != SQLITE_DONE)
				rc = store_dberr(s, e, "closing the import batch");
		}
		sqlite3_finalize(u);
	}
	bool own = w->own_tx;
	writer_free(w);
	if (!own)
		return rc;
	if (commit && rc == 0)
		rc = store_tx_commit(s, e);
	else
		store_tx_rollback(s);
	sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return rc;
}

int store_obs_each(struct store *s, const char *indicator, const char *iso3,
		   int (*fn)(void *ctx, const struct store_obs_row *r),
		   void *ctx, struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"SELECT indicator_id, iso3, year, value, source, note, entered_by,"
		" entered_at, batch_id, synthetic FROM observation"
		" WHERE superseded_by IS NULL AND (?1 IS NULL OR indicator_id = ?1)"
		" AND (?2 IS NULL OR iso3 = ?2) ORDER BY indicator_id, iso3, year",
		-1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading observations");
	if (indicator)
		sqlite3_bind_text(st, 1, indicator, -1, SQLITE_STATIC);
	if (iso3)
		sqlite3_bind_text(st, 2, iso3, -1, SQLITE_STATIC);
	int rc = 0, step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_obs_row r = {
			.indicator = (const char *)sqlite3_column_text(st, 0),
			.iso3 = (const char *)sqlite3_column_text(st, 1),
			.year = (long)sqlite3_column_int64(st, 2),
			.value = sqlite3_column_double(st, 3),
			.source = (const char *)sqlite3_column_text(st, 4),
			.note = (const char *)sqlite3_column_text(st, 5),
			.entered_by = (const char *)sqlite3_column_text(st, 6),
			.entered_at = (const char *)sqlite3_column_text(st, 7),
			.batch = sqlite3_column_int64(st, 8),
			.synthetic = sqlite3_column_int(st, 9) != 0,
		};
		rc = fn(ctx, &r);
	}
	sqlite3_finalize(st);
	return rc;
}
