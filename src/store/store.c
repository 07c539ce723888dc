/* Connection, migrations, transactions and audit triggers: see store.h. */
#include "store/store_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int store_schema_latest(void)
{
	return store_migrations[store_n_migrations - 1].version;
}

int store_dberr(struct store *s, struct cdg_err *e, const char *what)
{
	int code = CDG_EDB;
	int rc = sqlite3_extended_errcode(s->db);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		code = CDG_ECONFLICT;
	else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		code = CDG_EBUSY;
	return err_at(e, code, s->path, 0, NULL, "%s: %s", what,
		      sqlite3_errmsg(s->db));
}

/* cdg_actor() and cdg_now(): read by the audit triggers.  Outside a
 * transaction they raise an error, so unaudited writes are impossible. */
static void fn_actor(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	struct store *s = sqlite3_user_data(ctx);
	if (!s->in_tx || !s->actor[0]) {
		sqlite3_result_error(ctx, "write outside a cdg transaction", -1);
		return;
	}
	sqlite3_result_text(ctx, s->actor, -1, SQLITE_TRANSIENT);
}

static void fn_now(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	struct store *s = sqlite3_user_data(ctx);
	if (!s->in_tx) {
		sqlite3_result_error(ctx, "write outside a cdg transaction", -1);
		return;
	}
	sqlite3_result_text(ctx, s->now, -1, SQLITE_TRANSIENT);
}

static int exec(struct store *s, const char *sql, struct cdg_err *e)
{
	char *msg = NULL;
	int x = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
	if (x != SQLITE_OK) {
		int busy = (x & 0xff) == SQLITE_BUSY || (x & 0xff) == SQLITE_LOCKED;
		int rc = err_at(e, busy ? CDG_EBUSY : CDG_EDB, s->path, 0, NULL, "%s",
				msg ? msg : "sqlite error");
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

static int user_version(struct store *s)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

int store_schema_version(struct store *s)
{
	return user_version(s);
}

/* Builds json_object('c1', P.c1, ...) for prefix P (NEW or OLD). */
static void json_image(struct buf *b, char **cols, size_t n, const char *p)
{
	buf_adds(b, "json_object(");
	for (size_t i = 0; i < n; i++) {
		/* Secrets never reach the log: a password or token hash
		 * shows only its last characters, enough to see a change. */
		if (strcmp(cols[i], "password_hash") == 0 ||
		    strcmp(cols[i], "token_hash") == 0)
			buf_addf(b, "%s'%s',CASE WHEN %s.\"%s\" IS NULL THEN NULL"
				 " ELSE 'redacted:' || substr(%s.\"%s\", -6) END",
				 i ? "," : "", cols[i], p, cols[i], p, cols[i]);
		else
			buf_addf(b, "%s'%s',%s.\"%s\"", i ? "," : "", cols[i], p, cols[i]);
	}
	buf_adds(b, ")");
}

static void key_expr(struct buf *b, char **pk, size_t n, const char *p)
{
	for (size_t i = 0; i < n; i++)
		buf_addf(b, "%s%s.\"%s\"", i ? "||'/'||" : "", p, pk[i]);
}

/* Creates the insert/update/delete audit triggers of one table from its
 * current columns. */
static int audit_triggers(struct store *s, const char *table,
			  struct cdg_err *e)
{
	char *cols[64], *pk[8];
	size_t ncols = 0, npk = 0;
	struct buf q = BUF_INIT;
	buf_addf(&q, "PRAGMA table_info(\"%s\")", table);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, q.p, -1, &st, NULL) != SQLITE_OK) {
		buf_free(&q);
		return store_dberr(s, e, "reading table columns");
	}
	while (sqlite3_step(st) == SQLITE_ROW && ncols < 64) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		cols[ncols] = xstrdup(name);
		/* pk holds the 1-based position in the key, 0 if not part. */
		int k = sqlite3_column_int(st, 5);
		if (k > 0 && k <= 8) {
			pk[k - 1] = cols[ncols];
			if ((size_t)k > npk)
				npk = (size_t)k;
		}
		ncols++;
	}
	sqlite3_finalize(st);
	buf_free(&q);

	static const char *const acts[] = {"insert", "update", "delete"};
	static const char *const evs[] = {"INSERT", "UPDATE", "DELETE"};
	int rc = 0;
	for (int a = 0; a < 3 && rc == 0; a++) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "CREATE TRIGGER \"%s_audit_%s\" AFTER %s ON \"%s\" "
			 "BEGIN INSERT INTO audit_log(at,actor,action,entity,"
			 "entity_key,before,after) VALUES (cdg_now(),cdg_actor(),"
			 "'%s','%s',", table, acts[a], evs[a], table, acts[a], table);
		key_expr(&b, pk, npk, a == 2 ? "OLD" : "NEW");
		buf_adds(&b, ",");
		if (a == 0)
			buf_adds(&b, "NULL");
		else
			json_image(&b, cols, ncols, "OLD");
		buf_adds(&b, ",");
		if (a == 2)
			buf_adds(&b, "NULL");
		else
			json_image(&b, cols, ncols, "NEW");
		buf_adds(&b, "); END;");
		rc = exec(s, b.p, e);
		buf_free(&b);
	}
	for (size_t i = 0; i < ncols; i++)
		free(cols[i]);
	return rc;
}

/* 0 if no row breaks a foreign key, else the first breach as an error. */
static int fk_check(struct store *s, struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st,
			       NULL) != SQLITE_OK)
		return store_dberr(s, e, "checking foreign keys");
	int rc = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = err_at(e, CDG_EDB, s->path, 0, NULL,
			    "migration breaks a foreign key: row %lld of %s "
			    "references a missing %s",
			    sqlite3_column_int64(st, 1),
			    (const char *)sqlite3_column_text(st, 0),
			    (const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	return rc;
}

static int migrate_one(struct store *s, const struct store_migration *m,
		       int from, struct cdg_err *e)
{
	if (m->version <= from)
		return 0;
	int rc = store_tx_begin(s, "system", e);
	if (rc)
		return rc;
	rc = exec(s, m->sql, e);
	for (const char *const *t = m->audited; rc == 0 && *t; t++)
		rc = audit_triggers(s, *t, e);
	if (rc == 0)
		rc = fk_check(s, e);
	if (rc == 0) {
		struct buf b = BUF_INIT;
		char *name = sqlite3_mprintf("%Q", m->name);
		buf_addf(&b, "INSERT INTO schema_migration VALUES (%d, %s, '%s');"
			 "PRAGMA user_version = %d;", m->version, name,
			 s->now, m->version);
		sqlite3_free(name);
		rc = exec(s, b.p, e);
		buf_free(&b);
	}
	if (rc == 0)
		rc = store_tx_commit(s, e);
	if (rc)
		store_tx_rollback(s);
	return rc;
}

/* Foreign keys are off while migrations run, so that a migration may
 * rebuild a table others refer to (SQLite's documented procedure), and
 * checked as a whole before each migration commits. */
static int migrate(struct store *s, int from, struct cdg_err *e)
{
	int rc = exec(s, "PRAGMA foreign_keys = OFF", e);
	for (int i = 0; rc == 0 && i < store_n_migrations; i++)
		rc = migrate_one(s, &store_migrations[i], from, e);
	if (rc) {
		sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
		return rc;
	}
	return exec(s, "PRAGMA foreign_keys = ON", e);
}

/* Before SQLite starts: no allocation statistics, which cdg never reads
 * and whose global mutex every allocation takes (2% of a bulk import). */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(struct store **out, const char *path, int flags,
	       struct cdg_err *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_setup);
	*out = NULL;
	if (!(flags & STORE_CREATE) && access(path, F_OK) != 0)
		return err_at(e, CDG_ENOTFOUND, path, 0, NULL,
			      "no database here; run 'cdg init' first");
	struct store *s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	int oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
					      : SQLITE_OPEN_READWRITE;
	if (flags & STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	oflags |= SQLITE_OPEN_NOMUTEX;
	int rc;
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		rc = store_dberr(s, e, "cannot open database");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	int fflags = SQLITE_UTF8 | SQLITE_INNOCUOUS;
	sqlite3_create_function(s->db, "cdg_actor", 0, fflags, s, fn_actor,
				NULL, NULL);
	sqlite3_create_function(s->db, "cdg_now", 0, fflags, s, fn_now, NULL,
				NULL);
	/* A file that is not SQLite fails here, not halfway through. */
	int v = user_version(s);
	if (v < 0) {
		rc = err_at(e, CDG_EIO, path, 0, NULL,
			    "not a cdg database (cannot read the schema version)");
		goto fail;
	}
	rc = exec(s, "PRAGMA foreign_keys = ON;", e);
	if (rc == 0 && !(flags & STORE_READONLY))
		rc = exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", e);
	if (rc == 0 && !(flags & STORE_READONLY))
		rc = store_cache_mib(s, 0, e);
	if (rc)
		goto fail;
	if (v > store_schema_latest()) {
		rc = err_at(e, CDG_ESCHEMA, path, 0, NULL,
			    "database schema version %d is newer than this cdg "
			    "understands (%d); use a newer cdg", v,
			    store_schema_latest());
		goto fail;
	}
	if (v < store_schema_latest()) {
		if (!(flags & STORE_MIGRATE)) {
			rc = err_at(e, CDG_ESCHEMA, path, 0, NULL,
				    "database schema version %d is older than this "
				    "cdg's (%d); run 'cdg init' to migrate it", v,
				    store_schema_latest());
			goto fail;
		}
		rc = migrate(s, v, e);
		if (rc)
			goto fail;
	}
	*out = s;
	return 0;
fail:
	store_close(s);
	return rc;
}

int store_cached(struct store *s, const char *sql, sqlite3_stmt **out,
		 struct cdg_err *e)
{
	*out = strmap_get(&s->stmts, sql);
	if (*out)
		return 0;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out,
			       NULL) != SQLITE_OK)
		return store_dberr(s, e, "preparing a statement");
	strmap_put(&s->stmts, arena_strdup(&s->stmt_sql, sql), *out);
	return 0;
}

/* The page cache a connection that writes opens with. */
#define STORE_CACHE_MIB 64

int store_cache_mib(struct store *s, int mib, struct cdg_err *e)
{
	char q[64];
	snprintf(q, sizeof q, "PRAGMA cache_size = -%d",
		 (mib > 0 ? mib : STORE_CACHE_MIB) * 1024);
	if (sqlite3_exec(s->db, q, NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(s, e, "setting the page cache");
	return 0;
}

long long store_data_version(struct store *s)
{
	if (!s->dv && sqlite3_prepare_v3(s->db, "PRAGMA data_version", -1,
					 SQLITE_PREPARE_PERSISTENT, &s->dv, NULL) != SQLITE_OK)
		return -1;
	long long v = -1;
	if (sqlite3_step(s->dv) == SQLITE_ROW)
		v = sqlite3_column_int64(s->dv, 0);
	sqlite3_reset(s->dv);
	if (v < 0)
		return -1;
	/* data_version omits this connection's own commits: add them. */
	return v + s->own_commits;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		store_tx_rollback(s);
	sqlite3_finalize(s->dv);
	for (size_t i = 0; i < s->stmts.cap; i++)
		if (s->stmts.keys[i])
			sqlite3_finalize(s->stmts.vals[i]);
	strmap_free(&s->stmts);
	arena_free(&s->stmt_sql);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int store_tx_begin(struct store *s, const char *actor, struct cdg_err *e)
{
	if (s->in_tx)
		return err_set(e, CDG_EINTERNAL, "transaction already open");
	int rc = exec(s, "BEGIN IMMEDIATE", e);
	if (rc)
		return rc;
	snprintf(s->actor, sizeof s->actor, "%s", actor);
	time_now_iso(s->now);
	s->in_tx = true;
	return 0;
}

int store_tx_commit(struct store *s, struct cdg_err *e)
{
	int rc = exec(s, "COMMIT", e);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	s->in_tx = false;
	s->actor[0] = '\0';
	s->own_commits++;
	return 0;
}

void store_tx_rollback(struct store *s)
{
	if (!s->in_tx)
		return;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = false;
	s->actor[0] = '\0';
}

long long store_audit_count(struct store *s)
{
	return store_count(s, "audit_log");
}
