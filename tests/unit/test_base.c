/* Unit tests for base/: strings, arena, JSON writer, errors, dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"

static void buf_grows_and_stays_terminated(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_string_equal(b.p, "");
	for (int i = 0; i < 1000; i++)
		buf_addf(&b, "%d,", i);
	assert_int_equal(b.p[b.len], '\0');
	assert_true(strncmp(b.p, "0,1,2,", 6) == 0);
	assert_true(strstr(b.p, "999,") != NULL);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
	buf_free(&b);
}

static void arena_strings_survive_until_free(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	char *first = arena_strdup(&a, "first");
	/* Force several blocks. */
	for (int i = 0; i < 100; i++)
		(void)arena_alloc(&a, 1000);
	char *big = arena_alloc(&a, 100000);
	memset(big, 'x', 100000);
	assert_string_equal(first, "first");
	assert_string_equal(arena_printf(&a, "%s-%d", "n", 7), "n-7");
	assert_int_equal((uintptr_t)arena_alloc(&a, 3) % 16, 0);
	arena_free(&a);
	assert_null(a.head);
}

static char *num(double v)
{
	static char out[64];
	struct buf b = BUF_INIT;
	fmt_double(&b, v);
	snprintf(out, sizeof out, "%s", b.p);
	buf_free(&b);
	return out;
}

static void doubles_print_shortest_round_trip(void **state)
{
	(void)state;
	assert_string_equal(num(0.1), "0.1");
	assert_string_equal(num(1.0 / 3.0), "0.3333333333333333");
	assert_string_equal(num(100), "100");
	assert_string_equal(num(-2.5), "-2.5");
	assert_string_equal(num(1e21), "1e+21");
	double v = 0.1 + 0.2;
	assert_true(strtod(num(v), NULL) == v);
	assert_string_equal(num(v), "0.30000000000000004");
}

static void json_writer_nests_and_escapes(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, false);
	jw_obj(&w);
	jw_kstr(&w, "s", "a\"b\\c\n\x01");
	jw_key(&w, "arr");
	jw_arr(&w);
	jw_int(&w, 1);
	jw_num(&w, 0.5);
	jw_num(&w, NAN);
	jw_bool(&w, true);
	jw_str(&w, NULL);
	jw_obj(&w);
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_key(&w, "e");
	jw_arr(&w);
	jw_arr_end(&w);
	jw_obj_end(&w);
	assert_string_equal(b.p, "{\"s\":\"a\\\"b\\\\c\\n\\u0001\","
				 "\"arr\":[1,0.5,null,true,null,{}],\"e\":[]}");
	buf_free(&b);
}

static void json_writer_pretty_prints(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, true);
	jw_obj(&w);
	jw_kint(&w, "a", 1);
	jw_key(&w, "b");
	jw_arr(&w);
	jw_int(&w, 2);
	jw_arr_end(&w);
	jw_obj_end(&w);
	assert_string_equal(b.p, "{\n  \"a\": 1,\n  \"b\": [\n    2\n  ]\n}");
	buf_free(&b);
}

static void errors_format_and_map_to_exit_status(void **state)
{
	(void)state;
	struct cdg_err e;
	assert_int_equal(err_at(&e, CDG_EINPUT, "x.csv", 4, "year",
				"not a year: %s", "20x1"), CDG_EINPUT);
	char out[600];
	err_format(&e, out, sizeof out);
	assert_string_equal(out, "x.csv:4: field year: not a year: 20x1");
	err_set(&e, CDG_ENOTFOUND, "no such country");
	err_format(&e, out, sizeof out);
	assert_string_equal(out, "no such country");
	assert_int_equal(err_exit_status(CDG_OK), 0);
	assert_int_equal(err_exit_status(CDG_EUSAGE), 2);
	assert_int_equal(err_exit_status(CDG_EINPUT), 3);
	assert_int_equal(err_exit_status(CDG_ENOTFOUND), 3);
	assert_int_equal(err_exit_status(CDG_EDB), 1);
	assert_int_equal(err_set(NULL, CDG_EIO, "ignored"), CDG_EIO);
}

static void dates_are_checked(void **state)
{
	(void)state;
	assert_true(date_valid("2024"));
	assert_true(date_valid("2024-02"));
	assert_true(date_valid("2024-02-29"));
	assert_false(date_valid("2023-02-29"));
	assert_false(date_valid("2023-13"));
	assert_false(date_valid("2023-1-01"));
	assert_false(date_valid("20x3"));
	assert_false(date_valid(""));
	/* CDG9.1.1's window: 24 months before the end of the year. */
	const char *ref = "2025-12-31";
	assert_false(date_in_months_before("2023-11-30", ref, 24)); /* 25 months */
	assert_false(date_in_months_before("2023-12-31", ref, 24)); /* exactly 24 */
	assert_true(date_in_months_before("2024-01-01T09:00:00Z", ref, 24));
	assert_true(date_in_months_before("2024-01-31", ref, 24)); /* 23 months */
	assert_true(date_in_months_before("2025-12-31T23:59:59Z", ref, 24));
	assert_false(date_in_months_before("2026-01-01", ref, 24)); /* after */
	assert_false(date_in_months_before("2025-02-28", "2025-03-31", 1));
	assert_true(date_in_months_before("2024-03-01", "2024-03-31", 1));
	assert_false(date_in_months_before("2024-02-29", "2024-03-31", 1));
	assert_false(date_in_months_before("", ref, 24));
	char now[21];
	time_now_iso(now);
	/* The form time_now_iso writes, and only that form. */
	assert_true(time_iso_shape(now));
	assert_true(time_iso_shape("2026-01-02T03:04:05Z"));
	assert_false(time_iso_shape("2026-01-02"));
	assert_false(time_iso_shape("2026-01-02T03:04:05"));
	assert_false(time_iso_shape("2026-01-02 03:04:05Z"));
	assert_false(time_iso_shape("2026-0a-02T03:04:05Z"));
	assert_int_equal(strlen(now), 20);
	assert_int_equal(now[19], 'Z');
}

static void atomic_write_replaces_file(void **state)
{
	(void)state;
	char path[] = "/tmp/cdg-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	struct cdg_err e;
	assert_int_equal(file_write_atomic(path, "hello", 5, &e), 0);
	struct buf b = BUF_INIT;
	assert_int_equal(file_read_all(path, &b, &e), 0);
	assert_string_equal(b.p, "hello");
	buf_free(&b);
	unlink(path);
	assert_int_equal(file_read_all(path, &b, &e), CDG_ENOTFOUND);
	assert_string_equal(e.file, path);
}

static void strmap_finds_what_was_put(void **state)
{
	(void)state;
	struct strmap m;
	strmap_init(&m);
	static char keys[1000][8];
	for (int i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		strmap_put(&m, keys[i], &keys[i]);
	}
	assert_int_equal(m.n, 1000);
	for (int i = 0; i < 1000; i++)
		assert_ptr_equal(strmap_get(&m, keys[i]), &keys[i]);
	assert_null(strmap_get(&m, "k1000"));
	strmap_put(&m, "k5", NULL);
	assert_null(strmap_get(&m, "k5"));
	assert_int_equal(m.n, 1000);
	strmap_free(&m);
	assert_null(strmap_get(&m, "k1"));
}

static void error_list_keeps_the_first_and_counts_all(void **state)
{
	(void)state;
	struct err_list l;
	errs_init(&l, 3);
	struct cdg_err e;
	for (int i = 1; i <= 5; i++) {
		err_at(&e, CDG_EINPUT, "f.csv", i, "x", "bad %d", i);
		errs_add(&l, &e);
	}
	assert_int_equal(l.n, 3);
	assert_int_equal(l.total, 5);
	assert_int_equal(l.v[2].line, 3);
	errs_free(&l);
}

static void json_positions_are_found_by_key(void **state)
{
	(void)state;
	const char *t = "{\n  \"a\": {\"id\" :\n \"x1\"},\n  \"b\": [\n"
			"    {\"id\": \"x2\", \"q\": 1},\n    {\"q\": 2}\n  ]\n}";
	assert_int_equal(json_line_of_id(t, "x1"), 2);
	assert_int_equal(json_line_of_id(t, "x2"), 5);
	assert_int_equal(json_line_of_id(t, "x"), 0);   /* whole values only */
	assert_int_equal(json_line_of_key(t, NULL, "q"), 5);
	assert_int_equal(json_line_of_key(t, "b", "id"), 5);
	assert_int_equal(json_line_of_nth_key(t, "q", 1), 6);
	assert_int_equal(json_line_of_nth_key(t, "q", 2), 0);
	struct err_list l;
	errs_init(&l, 2);
	errs_addf(&l, "f.json", 4, "q", "bad %d", 7);
	assert_int_equal(l.v[0].code, CDG_EINPUT);
	assert_string_equal(l.v[0].msg, "bad 7");
	assert_string_equal(l.v[0].field, "q");
	errs_free(&l);
}

static void iso3_shape_is_three_capitals(void **state)
{
	(void)state;
	assert_true(iso3_shape("FRA"));
	assert_true(iso3_shape("XKX"));
	assert_false(iso3_shape("fra"));
	assert_false(iso3_shape("FR"));
	assert_false(iso3_shape("FRAN"));
	assert_false(iso3_shape("F1A"));
	assert_false(iso3_shape(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_grows_and_stays_terminated),
		cmocka_unit_test(arena_strings_survive_until_free),
		cmocka_unit_test(doubles_print_shortest_round_trip),
		cmocka_unit_test(json_writer_nests_and_escapes),
		cmocka_unit_test(json_writer_pretty_prints),
		cmocka_unit_test(errors_format_and_map_to_exit_status),
		cmocka_unit_test(dates_are_checked),
		cmocka_unit_test(atomic_write_replaces_file),
		cmocka_unit_test(strmap_finds_what_was_put),
		cmocka_unit_test(error_list_keeps_the_first_and_counts_all),
		cmocka_unit_test(json_positions_are_found_by_key),
		cmocka_unit_test(iso3_shape_is_three_capitals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
