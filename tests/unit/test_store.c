/* Unit tests for store/: migrations, transactions, the audit log, on real
 * temporary SQLite files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
/* The migrations themselves, to build a database at an older version. */
#include "store/store_int.h"

static char dbpath[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dbpath, sizeof dbpath, "/tmp/cdg-store-XXXXXX");
	int fd = mkstemp(dbpath);
	close(fd);
	unlink(dbpath); /* store_open creates it */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char p[80];
	unlink(dbpath);
	snprintf(p, sizeof p, "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbpath);
	unlink(p);
	return 0;
}

static const char *const ccols[] = {"iso3", "iso2", "name", "iso_name",
				    "status", "source_url"};

static int put_country(struct store *s, const char *iso3, const char *name,
		       struct cdg_err *e)
{
	char iso2[3] = {iso3[0], iso3[1], 0};
	struct store_val v[] = {sv_text(iso3), sv_text(iso2), sv_text(name),
				sv_text(name), sv_text("member"),
				sv_text("https://example.org/src")};
	return store_upsert(s, "country", ccols, v, 6, 1, e);
}

static void missing_file_needs_create(void **state)
{
	(void)state;
	struct store *s;
	struct cdg_err e;
	assert_int_equal(store_open(&s, dbpath, 0, &e), CDG_ENOTFOUND);
	assert_int_equal(access(dbpath, F_OK), -1);
}

static void migrates_to_latest_in_wal_mode(void **state)
{
	(void)state;
	struct store *s;
	struct cdg_err e;
	assert_int_equal(store_open(&s, dbpath, STORE_CREATE | STORE_MIGRATE, &e), 0);
	assert_int_equal(store_schema_version(s), store_schema_latest());
	store_close(s);
	/* Reopening needs no migration and keeps the version. */
	assert_int_equal(store_open(&s, dbpath, 0, &e), 0);
	assert_int_equal(store_schema_version(s), store_schema_latest());
	store_close(s);
	sqlite3 *db;
	sqlite3_open(dbpath, &db);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void writes_are_audited_with_before_and_after(void **state)
{
	(void)state;
	struct store *s;
	struct cdg_err e;
	assert_int_equal(store_open(&s, dbpath, STORE_CREATE | STORE_MIGRATE, &e), 0);
	long long base = store_audit_count(s);
	assert_int_equal(store_tx_begin(s, "alice", &e), 0);
	assert_int_equal(put_country(s, "FRA", "France", &e), 1);
	assert_int_equal(store_tx_commit(s, &e), 0);
	assert_int_equal(store_audit_count(s), base + 1);

	/* The same values again change nothing and log nothing. */
	assert_int_equal(store_tx_begin(s, "alice", &e), 0);
	assert_int_equal(put_country(s, "FRA", "France", &e), 0);
	assert_int_equal(store_tx_commit(s, &e), 0);
	assert_int_equal(store_audit_count(s), base + 1);

	assert_int_equal(store_tx_begin(s, "bob", &e), 0);
	assert_int_equal(put_country(s, "FRA", "French Republic", &e), 1);
	assert_int_equal(store_tx_commit(s, &e), 0);
	store_close(s);

	sqlite3 *db;
	sqlite3_open(dbpath, &db);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db,
		"SELECT actor, action, entity_key, json_extract(before,'$.name'),"
		" json_extract(after,'$.name') FROM audit_log"
		" WHERE entity = 'country' ORDER BY id", -1, &st, NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "alice");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "insert");
	assert_string_equal((const char *)sqlite3_column_text(st, 2), "FRA");
	assert_int_equal(sqlite3_column_type(st, 3), SQLITE_NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "bob");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "update");
	assert_string_equal((const char *)sqlite3_column_text(st, 3), "France");
	assert_string_equal((const char *)sqlite3_column_text(st, 4), "French Republic");
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);

	/* The log is append-only, even for a raw connection. */
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_log", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE audit_log SET actor='x'", NULL, NULL, NULL), SQLITE_OK);
	/* A write that bypasses the store cannot go unaudited: the trigger
	 * needs the store's actor function. */
	assert_int_not_equal(sqlite3_exec(db,
		"UPDATE country SET name='x' WHERE iso3='FRA'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void write_outside_transaction_fails(void **state)
{
	(void)state;
	struct store *s;
	struct cdg_err e;
	assert_int_equal(store_open(&s, dbpath, STORE_CREATE | STORE_MIGRATE, &e), 0);
	assert_true(put_country(s, "DEU", "Germany", &e) < 0);
	assert_non_null(strstr(e.msg, "outside a cdg transaction"));
	assert_int_equal(store_count(s, "country"), 0);
	store_close(s);
}

/* The response caches' version: every commit by another connection is
 * seen at once, also on the shortcut through the -shm header; reads and
 * rolled-back writes change nothing. */
static void data_version_sees_every_commit(void **state)
{
	(void)state;
	struct store *w, *r;
	struct cdg_err e;
	assert_int_equal(store_open(&w, dbpath, STORE_CREATE | STORE_MIGRATE, &e), 0);
	assert_int_equal(store_open(&r, dbpath, STORE_READONLY, &e), 0);
	long long v = store_data_version(r);
	assert_true(v >= 0);
	assert_int_equal(store_data_version(r), v);
	assert_int_equal(store_data_version(r), v); /* the shortcut, mapped now */
	static const char *const iso[] = {"AAA", "BBB", "CCC", "DDD", "EEE", "FFF"};
	for (int i = 0; i < 6; i++) {
		assert_int_equal(store_tx_begin(w, "alice", &e), 0);
		assert_int_equal(put_country(w, iso[i], "Somewhere", &e), 1);
		assert_int_equal(store_tx_commit(w, &e), 0);
		long long now = store_data_version(r);
		if (now == v)
			fail_msg("commit %d not seen (version stayed %lld)", i, v);
		v = now;
		assert_int_equal(store_data_version(r), v);
		assert_int_equal(store_count(r, "country"), i + 1);
		assert_int_equal(store_data_version(r), v);
	}
	assert_int_equal(store_tx_begin(w, "alice", &e), 0);
	assert_int_equal(put_country(w, "GGG", "Nowhere", &e), 1);
	store_tx_rollback(w);
	assert_int_equal(store_data_version(r), v);
	store_close(r);
	store_close(w);
}

static void rollback_leaves_nothing(void **state)
{
	(void)state;
	struct store *s;
	struct cdg_err e;
	assert_int_equal(store_open(&s, dbpath, STORE_CREATE | STORE_MIGRATE, &e), 0);
	long long base = store_audit_count(s);
	assert_int_equal(store_tx_begin(s, "alice", &e), 0);
	assert_int_equal(put_country(s, "ITA", "Italy", &e), 1);
	store_tx_rollback(s);
	assert_int_equal(store_count(s, "country"), 0);
	assert_int_equal(store_audit_count(s), base);
	/* A constraint violation is reported, not swallowed. */
	assert_int_equal(store_tx_begin(s, "alice", &e), 0);
	struct store_val v[] = {sv_text("ESP"), sv_text("ES"), sv_text("Spain"),
				sv_text("Spain"), sv_text("colony"),
				sv_text("https://example.org")};
	assert_true(store_upsert(s, "country", ccols, v, 6, 1, &e) < 0);
	store_tx_rollback(s);
	store_close(s);
}

static void newer_schema_is_refused(void **state)
{
	(void)state;
	struct store *s;
	struct cdg_err e;
	assert_int_equal(store_open(&s, dbpath, STORE_CREATE | STORE_MIGRATE, &e), 0);
	store_close(s);
	sqlite3 *db;
	sqlite3_open(dbpath, &db);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_schema_latest() + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(&s, dbpath, STORE_MIGRATE, &e), CDG_ESCHEMA);
	assert_non_null(strstr(e.msg, "newer"));
}

static void older_schema_needs_migrate_flag(void **state)
{
	(void)state;
	sqlite3 *db;
	sqlite3_open(dbpath, &db); /* an empty database: version 0 */
	sqlite3_exec(db, "CREATE TABLE x(a)", NULL, NULL, NULL);
	sqlite3_close(db);
	struct store *s;
	struct cdg_err e;
	assert_int_equal(store_open(&s, dbpath, 0, &e), CDG_ESCHEMA);
	assert_non_null(strstr(e.msg, "cdg init"));
	assert_int_equal(store_open(&s, dbpath, STORE_MIGRATE, &e), 0);
	assert_int_equal(store_schema_version(s), store_schema_latest());
	store_close(s);
}

static void fake_actor(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_text(ctx, "test", -1, SQLITE_STATIC);
}

static char *one_text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *r = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		r = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return r;
}

static void assert_query(sqlite3 *db, const char *sql, const char *want)
{
	char *got = one_text(db, sql);
	if (!got || strcmp(got, want) != 0)
		fail_msg("%s\n  got  %s\n  want %s", sql, got ? got : "(null)", want);
	free(got);
}

/* Migration 10 rebuilds the observation table: a database written at
 * version 7 keeps every row, id, supersession and provenance, and the
 * index snapshot's reference to its observation. */
static void observations_survive_migration_10(void **state)
{
	(void)state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	sqlite3_create_function(db, "cdg_actor", 0, SQLITE_UTF8, NULL, fake_actor,
				NULL, NULL);
	for (int i = 0; i < store_n_migrations && store_migrations[i].version <= 7; i++)
		assert_int_equal(sqlite3_exec(db, store_migrations[i].sql, NULL, NULL, NULL),
				 SQLITE_OK);
	static const char rows[] =
		"INSERT INTO goal VALUES ('CDG1','g','d','o','r',1);"
		"INSERT INTO target VALUES ('CDG1.1','CDG1','t','d',1);"
		"INSERT INTO indicator VALUES ('CDG1.1.1','CDG1.1','n','d','binary',1,0,1,0,1,1,"
		" 'observation','r','e','s',1), ('CDG1.1.2','CDG1.1','n','d','percent',1,0,100,0,100,100,"
		" 'observation','r','e','s',2);"
		"INSERT INTO country(iso3, iso2, name, iso_name, status, source_url) VALUES"
		" ('FRA','FR','France','France','member','u'), ('DEU','DE','Germany','Germany','member','u');"
		"INSERT INTO import_batch VALUES (1,'observations','a.csv','h1',2,0,'alice','2024-01-01T00:00:00Z'),"
		" (2,'derived','b','-',1,1,'bob','2025-01-01T00:00:00Z');"
		"INSERT INTO observation VALUES"
		" (7,'CDG1.1.1','FRA',2020,1.0,'https://a.example/x','n1',1,2,9,0,'alice','2024-01-01T00:00:00Z'),"
		" (8,'CDG1.1.2','DEU',2021,55.5,'https://a.example/y',NULL,1,3,NULL,0,'alice','2024-01-01T00:00:00Z'),"
		" (9,'CDG1.1.1','FRA',2020,0.0,'https://a.example/x','n2',2,NULL,NULL,1,'carol','2025-02-02T00:00:00Z');"
		"INSERT INTO index_edition(year, methodology_id, methodology, methodology_sha256,"
		" input_sha256, n_units, n_ranked, n_inputs, created_by, created_at) VALUES"
		" (2021,'m','{}',printf('%064d',0),printf('%064d',0),1,1,1,'bob','2025-01-01T00:00:00Z');"
		"INSERT INTO index_input VALUES (2021,'FRA','CDG1.1.1',2020,0.0,9,'https://a.example/x',1);"
		"PRAGMA user_version = 7;";
	assert_int_equal(sqlite3_exec(db, rows, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	struct store *s;
	struct cdg_err e;
	int rc = store_open(&s, dbpath, STORE_MIGRATE, &e);
	if (rc)
		fail_msg("%s", e.msg);
	assert_int_equal(store_schema_version(s), store_schema_latest());
	store_close(s);

	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	static const char cols[] =
		"SELECT group_concat(id||'|'||indicator_id||'|'||iso3||'|'||year||'|'||value"
		"||'|'||source||'|'||coalesce(note,'-')||'|'||batch_id||'|'||coalesce(line,'-')"
		"||'|'||coalesce(superseded_by,'-')||'|'||synthetic||'|'||entered_by||'|'||entered_at, ';')"
		" FROM (SELECT * FROM observation ORDER BY id)";
	assert_query(db, cols,
		"7|CDG1.1.1|FRA|2020|1.0|https://a.example/x|n1|1|2|9|0|alice|2024-01-01T00:00:00Z;"
		"8|CDG1.1.2|DEU|2021|55.5|https://a.example/y|-|1|3|-|0|alice|2024-01-01T00:00:00Z;"
		"9|CDG1.1.1|FRA|2020|0.0|https://a.example/x|n2|2|-|-|1|carol|2025-02-02T00:00:00Z");
	/* Interned once; only the row whose provenance differs from its
	 * batch keeps its own. */
	assert_query(db, "SELECT count(*) FROM obs_source", "2");
	assert_query(db, "SELECT count(*) FROM obs WHERE entered_by IS NOT NULL", "1");
	assert_query(db, "SELECT count(*) FROM pragma_foreign_key_check", "0");
	assert_query(db, "SELECT sql LIKE '%REFERENCES \"obs\"(id)%' FROM sqlite_master"
		     " WHERE name = 'index_input'", "1");
	sqlite3_close(db);

	/* The writer works on the carried-over rows: a new value supersedes
	 * the current one, the same value is a no-op. */
	assert_int_equal(store_open(&s, dbpath, 0, &e), 0);
	struct store_obs_writer *w;
	assert_int_equal(store_obs_begin(s, "dave", "observations", "c.csv", "-",
					 false, &w, &e), 0);
	struct store_obs same = {.indicator = "CDG1.1.2", .iso3 = "DEU", .year = 2021,
				 .value = 55.5, .source = "https://a.example/y", .line = 2};
	struct store_obs newer = {.indicator = "CDG1.1.1", .iso3 = "FRA", .year = 2020,
				  .value = 1.0, .source = "https://a.example/z", .line = 3};
	assert_int_equal(store_obs_put(w, &same, &e), 0);
	assert_int_equal(store_obs_put(w, &newer, &e), 1);
	assert_int_equal(store_obs_end(w, true, &e), 0);
	store_close(s);
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	assert_query(db, "SELECT superseded_by > 9 FROM observation WHERE id = 9", "1");
	assert_query(db, "SELECT source||' '||entered_by FROM observation WHERE"
		     " superseded_by IS NULL AND iso3 = 'FRA'", "https://a.example/z dave");
	sqlite3_close(db);
}

static void not_a_database_is_refused(void **state)
{
	(void)state;
	FILE *f = fopen(dbpath, "w");
	fputs("this is not sqlite, just some text long enough to be a header....\n", f);
	fclose(f);
	struct store *s;
	struct cdg_err e;
	assert_true(store_open(&s, dbpath, STORE_MIGRATE, &e) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(missing_file_needs_create, setup, teardown),
		cmocka_unit_test_setup_teardown(migrates_to_latest_in_wal_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(writes_are_audited_with_before_and_after, setup, teardown),
		cmocka_unit_test_setup_teardown(write_outside_transaction_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(rollback_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(data_version_sees_every_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(newer_schema_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(older_schema_needs_migrate_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(not_a_database_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(observations_survive_migration_10, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
