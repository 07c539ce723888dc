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
		cmocka_unit_test_setup_teardown(newer_schema_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(older_schema_needs_migrate_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(not_a_database_is_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
