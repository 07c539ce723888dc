/* Internals shared by the store's own files; nothing outside store/ may
 * include this. */
#ifndef CDG_STORE_INT_H
#define CDG_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

struct store_migration {
	int version;                 /* increasing; run in array order */
	const char *name;            /* what it adds, for schema_migration */
	const char *sql;             /* statements to run */
	const char *const *audited;  /* tables it creates that get triggers */
};

/* The key of an observation, (indicator, state, year) packed into one
 * integer in that order: obs_current indexes this expression, and a
 * lookup must spell it the same way to use the index.  p is a table
 * alias with its dot, or "".  Injective because obs's CHECKs hold state
 * ids and years below 4096. */
#define OBS_KEY(p) "((" p "indicator << 24) | (" p "country << 12) | " p "year)"

extern const struct store_migration store_migrations[];
extern const int store_n_migrations;

struct store {
	sqlite3 *db;          /* the connection */
	char *path;           /* file name, for messages */
	char actor[128];      /* actor of the open transaction, "" if none */
	char now[21];         /* timestamp of the open transaction */
	bool in_tx;           /* a transaction is open */
	sqlite3_stmt *dv;     /* PRAGMA data_version, prepared once */
	long long own_commits; /* transactions this connection committed */
	struct strmap stmts;  /* SQL text -> its sqlite3_stmt, prepared once
				 by store_cached and finalized by store_close */
	struct arena stmt_sql; /* the keys of stmts */
};

/* The prepared statement for sql, compiled on first use and kept for the
 * connection's life (an importer runs the same few upserts a million
 * times: compiling each, triggers included, cost more than running it).
 * The caller binds every parameter, steps, and must sqlite3_reset it
 * before another call for the same sql.  Returns 0 with *out set, or a
 * negative code. */
int store_cached(struct store *s, const char *sql, sqlite3_stmt **out,
		 struct cdg_err *e);

/* Runs sql (one of a module's fixed read queries, named query in
 * messages) with text parameters (NULL binds NULL), calling fn per row;
 * fn returning non-zero stops with that code.  A malformed FTS5 query
 * gives CDG_EUSAGE. */
int store_rows_each(struct store *s, const char *sql, const char *query,
		    const char *const *params, size_t np,
		    int (*fn)(void *ctx, const struct store_row *r), void *ctx,
		    struct cdg_err *e);

/* Sets e from the connection's last error. */
int store_dberr(struct store *s, struct cdg_err *e, const char *what);

#endif
