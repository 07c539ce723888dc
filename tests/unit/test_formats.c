/* Unit tests for formats/: the RFC 4180 reader and writer, numbers, the
 * survey response parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "formats/formats.h"

static void reads_quoted_fields_with_commas_quotes_and_newlines(void **state)
{
	(void)state;
	const char *t = "\xEF\xBB\xBF" "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
			"2,\"two\nlines\",\r\n\r\n3,,last";
	struct csv c;
	struct cdg_err e;
	csv_open(&c, "t.csv", t, strlen(t));
	assert_int_equal(csv_read_header(&c, &e), 0);
	assert_int_equal(c.ncols, 3);
	assert_string_equal(c.cols[0], "a");
	assert_int_equal(csv_next(&c, &e), 1);
	assert_int_equal(c.line, 2);
	assert_string_equal(csv_get(&c, "b"), "x, y");
	assert_string_equal(csv_get(&c, "c"), "say \"hi\"");
	assert_int_equal(csv_next(&c, &e), 1);
	assert_int_equal(c.line, 3);
	assert_string_equal(csv_field(&c, 1), "two\nlines");
	assert_string_equal(csv_field(&c, 2), "");
	assert_int_equal(c.nfields, 3);
	assert_int_equal(csv_next(&c, &e), 1);
	assert_int_equal(c.line, 6); /* the quoted newline and a blank line */
	assert_string_equal(csv_get(&c, "c"), "last");
	assert_int_equal(csv_get(&c, "nope")[0], '\0');
	assert_int_equal(csv_next(&c, &e), 0);
	csv_close(&c);
}

static void reports_line_of_bad_quoting(void **state)
{
	(void)state;
	struct csv c;
	struct cdg_err e;
	const char *t = "a,b\n1,2\n3,\"open\n";
	csv_open(&c, "bad.csv", t, strlen(t));
	assert_int_equal(csv_read_header(&c, &e), 0);
	assert_int_equal(csv_next(&c, &e), 1);
	assert_int_equal(csv_next(&c, &e), CDG_EINPUT);
	assert_int_equal(e.line, 3);
	assert_string_equal(e.file, "bad.csv");
	csv_close(&c);

	t = "a,b\n1,x\"y\n";
	csv_open(&c, "bad.csv", t, strlen(t));
	assert_int_equal(csv_read_header(&c, &e), 0);
	assert_int_equal(csv_next(&c, &e), CDG_EINPUT);
	assert_int_equal(e.line, 2);
	csv_close(&c);

	t = "a,b\n\"1\"x,2\n";
	csv_open(&c, "bad.csv", t, strlen(t));
	assert_int_equal(csv_read_header(&c, &e), 0);
	assert_int_equal(csv_next(&c, &e), CDG_EINPUT);
	csv_close(&c);
}

static void header_rules(void **state)
{
	(void)state;
	struct csv c;
	struct cdg_err e;
	const char *t = "a, b ,a\n";
	csv_open(&c, "h.csv", t, strlen(t));
	assert_int_equal(csv_read_header(&c, &e), CDG_EINPUT);
	assert_string_equal(e.field, "a");
	csv_close(&c);

	t = "x,y\n1,2,3\n";
	csv_open(&c, "h.csv", t, strlen(t));
	assert_int_equal(csv_read_header(&c, &e), 0);
	assert_int_equal(csv_col(&c, "y"), 1);
	static const char *const req[] = {"x", "z", NULL};
	assert_int_equal(csv_require(&c, req, &e), CDG_EINPUT);
	assert_string_equal(e.field, "z");
	assert_int_equal(csv_next(&c, &e), 1);
	assert_int_equal(csv_check_width(&c, &e), CDG_EINPUT);
	assert_int_equal(e.line, 2);
	csv_close(&c);

	csv_open(&c, "empty.csv", "", 0);
	assert_int_equal(csv_read_header(&c, &e), CDG_EINPUT);
	csv_close(&c);
}

static void writer_round_trips_through_reader(void **state)
{
	(void)state;
	const char *vals[] = {"plain", "with,comma", "q\"uote", "multi\r\nline",
			      " padded ", ""};
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < 6; i++)
		csv_put(&out, vals[i], i == 0);
	csv_endrow(&out);
	assert_string_equal(out.p, "plain,\"with,comma\",\"q\"\"uote\","
				   "\"multi\r\nline\",\" padded \",\r\n");
	struct csv c;
	struct cdg_err e;
	csv_open(&c, "rt", out.p, out.len);
	assert_int_equal(csv_next(&c, &e), 1);
	assert_int_equal(c.nfields, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(csv_field(&c, i), vals[i]);
	csv_close(&c);
	buf_free(&out);
}

/* CSV injection (issue 14 V8): cells a spreadsheet would run as formulas
 * are written with a leading apostrophe and read back unchanged; plain
 * signed numbers are left alone; a cell that already starts with an
 * apostrophe is guarded too, so every round trip is lossless. */
static void formulas_are_neutralised_losslessly(void **state)
{
	(void)state;
	const char *vals[] = {"=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "+1+2",
			      "-2+3", "\tTAB", "\rCR", "-3.5", "+7", "-", "'quoted",
			      "''=x", "a=b", "ok"};
	size_t n = sizeof vals / sizeof vals[0];
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		csv_put(&out, vals[i], i == 0);
	csv_endrow(&out);
	/* The first cell is quoted (it holds quotes and a comma), with the
	 * apostrophe inside the quotes. */
	assert_memory_equal(out.p, "\"'=HYPERLINK(", 13);
	assert_non_null(strstr(out.p, ",'@SUM(A1),'+1+2,'-2+3,'\tTAB,\"'\rCR\","
				      "-3.5,+7,'-,''quoted,'''=x,a=b,ok\r\n"));
	struct csv c;
	struct cdg_err e;
	csv_open(&c, "rt", out.p, out.len);
	assert_int_equal(csv_next(&c, &e), 1);
	assert_int_equal(c.nfields, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(csv_field(&c, i), vals[i]);
	csv_close(&c);
	assert_false(csv_guarded("-3.5"));
	assert_false(csv_guarded("12"));
	assert_true(csv_guarded("-1+2"));
	buf_free(&out);
}

static void numbers_are_strict(void **state)
{
	(void)state;
	double d;
	long l;
	assert_int_equal(parse_double("1.5e3", &d), 0);
	assert_true(d == 1500);
	assert_int_equal(parse_double("-0.25", &d), 0);
	assert_int_equal(parse_double("", &d), CDG_EINPUT);
	assert_int_equal(parse_double("1.5x", &d), CDG_EINPUT);
	assert_int_equal(parse_double("nan", &d), CDG_EINPUT);
	assert_int_equal(parse_double("0x10", &d), CDG_EINPUT);
	assert_int_equal(parse_double(" 1", &d), CDG_EINPUT);
	assert_int_equal(parse_long("2024", 1900, 2100, &l), 0);
	assert_int_equal(l, 2024);
	assert_int_equal(parse_long("1800", 1900, 2100, &l), CDG_EINPUT);
	assert_int_equal(parse_long("20.5", 0, 3000, &l), CDG_EINPUT);
}

static void streaming_matches_in_memory(void **state)
{
	(void)state;
	/* Enough records to cross the 1 MiB window several times, quoted
	 * newlines and quotes everywhere, and one record longer than the
	 * window. */
	struct buf t = BUF_INIT;
	buf_adds(&t, "\xEF\xBB\xBF" "id,text,n\r\n");
	for (int i = 0; i < 60000; i++) {
		if (i == 30000) {
			buf_addf(&t, "%d,\"", i);
			for (int k = 0; k < 3 << 20; k++)
				buf_addc(&t, (char)('a' + k % 26));
			buf_adds(&t, "\",big\r\n");
			continue;
		}
		buf_addf(&t, "%d,\"line %d\nsays \"\"hi\"\"\",%d\r\n", i, i, i * 7);
		if (i % 1000 == 0)
			buf_adds(&t, "\r\n");
	}
	FILE *f = fmemopen(t.p, t.len, "r");
	assert_non_null(f);
	struct csv a, b;
	struct cdg_err e;
	csv_open(&a, "mem", t.p, t.len);
	csv_open_file(&b, "file", f);
	assert_int_equal(csv_read_header(&a, &e), 0);
	assert_int_equal(csv_read_header(&b, &e), 0);
	assert_string_equal(b.cols[0], "id");
	int ra, rb;
	long rows = 0;
	while ((ra = csv_next(&a, &e)) == 1) {
		rb = csv_next(&b, &e);
		assert_int_equal(rb, 1);
		assert_int_equal(a.line, b.line);
		assert_int_equal(a.nfields, b.nfields);
		for (size_t i = 0; i < a.nfields; i++)
			assert_string_equal(csv_field(&a, i), csv_field(&b, i));
		rows++;
	}
	assert_int_equal(ra, 0);
	assert_int_equal(csv_next(&b, &e), 0);
	assert_int_equal(rows, 60000);
	assert_int_equal(csv_offset(&b), (long long)t.len);
	assert_true(b.win_cap <= 8u << 20); /* grew only for the long record */
	csv_close(&a);
	csv_close(&b);
	fclose(f);
	buf_free(&t);
}

static void invalid_utf8_is_rejected_with_its_column(void **state)
{
	(void)state;
	assert_true(utf8_valid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 14));
	assert_false(utf8_valid("\xC3", 1));         /* truncated */
	assert_false(utf8_valid("\xC0\xAF", 2));     /* overlong */
	assert_false(utf8_valid("\xED\xA0\x80", 3)); /* surrogate */
	assert_false(utf8_valid("\xFF", 1));
	const char *t = "a,b\nok,fine\nok,bad\xFF\n";
	struct csv c;
	struct cdg_err e;
	csv_open(&c, "u.csv", t, strlen(t));
	assert_int_equal(csv_read_header(&c, &e), 0);
	assert_int_equal(csv_next(&c, &e), 1);
	assert_int_equal(csv_next(&c, &e), CDG_EINPUT);
	assert_int_equal(e.line, 3);
	assert_string_equal(e.field, "b");
	csv_close(&c);
}

/* Survey CSV rows group into responses by country and year, in order of
 * first appearance; a file of many responses takes memory in proportion
 * to its size (each response once held room for every row of the file:
 * 4000 one-row responses took 1 GB). */
static void survey_csv_groups_rows_in_linear_memory(void **state)
{
	(void)state;
	const char *t = "country,year,question,answer,evidence\n"
			 "FRA,2025,Q1,yes,a b\n"
			 "DEU,2025,Q1,no,\n"
			 "FRA,2024,Q1,partly,\n"
			 "FRA,2025,Q2,,c\n";
	struct sv_doc d;
	struct err_list errs;
	errs_init(&errs, 4);
	assert_int_equal(sv_parse(&d, "s.csv", t, strlen(t), &errs), 0);
	assert_int_equal(d.n_responses, 3);
	assert_string_equal(d.responses[0].country, "FRA");
	assert_int_equal(d.responses[0].year, 2025);
	assert_int_equal(d.responses[0].n_answers, 2);
	assert_string_equal(d.responses[0].answers[1].question, "Q2");
	assert_int_equal(d.responses[0].answers[1].line, 5);
	assert_null(d.responses[0].answers[1].answer);
	assert_int_equal(d.responses[0].answers[0].n_evidence, 2);
	assert_string_equal(d.responses[1].country, "DEU");
	assert_int_equal(d.responses[2].year, 2024);
	assert_int_equal(d.responses[2].line, 4);
	sv_free(&d);

	struct buf b = BUF_INIT;
	buf_adds(&b, "country,year,question\n");
	for (int i = 0; i < 4000; i++)
		buf_addf(&b, "C%d,2025,Q\n", i);
	assert_int_equal(sv_parse(&d, "many.csv", b.p, b.len, &errs), 0);
	assert_int_equal(d.n_responses, 4000);
	assert_int_equal(d.responses[3999].n_answers, 1);
	assert_true(d.arena.total < 256 * b.len); /* was 20000 times */
	sv_free(&d);
	buf_free(&b);
	errs_free(&errs);
}

/* A spreadsheet's CSV in a locale with a decimal comma: ';' or tab between
 * fields, a BOM, CRLF.  A comma reader refuses its header, saying what it
 * found and how to read it; told the separator, it reads what the comma
 * file gives, quoted separators and all, in memory and streaming. */
static void separator_is_detected_and_can_be_set(void **state)
{
	(void)state;
	struct csv c;
	struct cdg_err e;
	const char *semi = "\xEF\xBB\xBF" "a;b;c\r\n1;\"x; y\";\"2,5\"\r\n";
	csv_open(&c, "semi.csv", semi, strlen(semi));
	assert_int_equal(csv_read_header(&c, &e), CDG_EINPUT);
	assert_int_equal(e.line, 1);
	assert_string_equal(e.file, "semi.csv");
	assert_string_equal(e.msg, "the file uses ';' as separator: re-save as "
			    "\"CSV UTF-8 (comma delimited)\" or pass --delimiter ';'");
	csv_close(&c);

	const char *tab = "a\tb\tc\n1\t2\t3\n";
	csv_open(&c, "tab.csv", tab, strlen(tab));
	assert_int_equal(csv_read_header(&c, &e), CDG_EINPUT);
	assert_string_equal(e.msg, "the file uses tabs as separator: re-save as "
			    "\"CSV UTF-8 (comma delimited)\" or pass --delimiter tab");
	csv_close(&c);

	/* One column, or ';' inside a comma file's header, is no sign. */
	const char *one = "name\nx;y\n", *mixed = "a,\"b;c\"\n1,2\n";
	csv_open(&c, "one.csv", one, strlen(one));
	assert_int_equal(csv_read_header(&c, &e), 0);
	csv_close(&c);
	csv_open(&c, "mixed.csv", mixed, strlen(mixed));
	assert_int_equal(csv_read_header(&c, &e), 0);
	assert_string_equal(c.cols[1], "b;c");
	csv_close(&c);

	for (int streaming = 0; streaming < 2; streaming++) {
		FILE *f = NULL;
		if (streaming) {
			f = fmemopen((void *)(uintptr_t)semi, strlen(semi), "r");
			assert_non_null(f);
			csv_open_file(&c, "semi.csv", f);
		} else {
			csv_open(&c, "semi.csv", semi, strlen(semi));
		}
		csv_set_sep(&c, ';');
		assert_int_equal(csv_read_header(&c, &e), 0);
		assert_int_equal(c.ncols, 3);
		assert_string_equal(c.cols[0], "a");
		assert_int_equal(csv_next(&c, &e), 1);
		assert_int_equal(c.nfields, 3);
		assert_string_equal(csv_get(&c, "b"), "x; y");
		assert_string_equal(csv_get(&c, "c"), "2,5");
		assert_int_equal(csv_next(&c, &e), 0);
		csv_close(&c);
		if (f)
			fclose(f);
	}
	csv_open(&c, "tab.csv", tab, strlen(tab));
	csv_set_sep(&c, '\t');
	assert_int_equal(csv_read_header(&c, &e), 0);
	assert_int_equal(csv_next(&c, &e), 1);
	assert_string_equal(csv_get(&c, "c"), "3");
	csv_close(&c);
	/* A separated reader still rejects text after a closing quote. */
	const char *bad = "a;b\n\"1\",2\n";
	csv_open(&c, "bad.csv", bad, strlen(bad));
	csv_set_sep(&c, ';');
	assert_int_equal(csv_read_header(&c, &e), 0);
	assert_int_equal(csv_next(&c, &e), CDG_EINPUT);
	csv_close(&c);

	assert_int_equal(csv_sep_parse(";"), ';');
	assert_int_equal(csv_sep_parse(","), ',');
	assert_int_equal(csv_sep_parse("tab"), '\t');
	assert_int_equal(csv_sep_parse("\t"), '\t');
	assert_int_equal(csv_sep_parse("|"), 0);
	assert_int_equal(csv_sep_parse(";;"), 0);
}

static void decimal_commas_are_recognised(void **state)
{
	(void)state;
	static const char *const yes[] = {"0,75", "-1,5", "+3,0", "1.234,5", "12,345"};
	static const char *const no[] = {"0.75", "75", ",5", "1,", "a,b", "1,5x",
		"1,5,6", "", "Total, all", "2020-01,5"};
	double d;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		assert_true(csv_decimal_comma(yes[i]));
		assert_int_not_equal(parse_double(yes[i], &d), 0);
	}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		assert_false(csv_decimal_comma(no[i]));
}

/* reg_find_incident answers from a hash index that catches up with the
 * incidents added since the last lookup; the first of an id wins, as the
 * scan it replaces found it. */
static void find_incident_catches_up(void **state)
{
	(void)state;
	struct reg_set s;
	reg_set_init(&s);
	char id[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(id, sizeof id, "inc-%d", i % 4000);
		struct reg_incident *r = reg_add_incident(&s);
		r->id = arena_strdup(&s.arena, id);
		r->line = i + 1;
		if (i % 1000 == 999) {
			const struct reg_incident *f = reg_find_incident(&s, id);
			assert_non_null(f);
			assert_int_equal(f->line, i % 4000 + 1);
		}
	}
	assert_int_equal(reg_find_incident(&s, "inc-4001"), NULL);
	assert_int_equal(reg_find_incident(&s, "inc-3999")->line, 4000);
	assert_int_equal(reg_find_incident(&s, "inc-7")->line, 8);
	/* One added after the last lookup, and one whose id is not set yet. */
	reg_add_incident(&s)->id = "late";
	assert_int_equal(reg_find_incident(&s, "late"), &s.incidents[5000]);
	reg_add_incident(&s);
	reg_add_incident(&s)->id = "after";
	assert_int_equal(reg_find_incident(&s, "after"), &s.incidents[5002]);
	s.incidents[5001].id = "filled";
	assert_int_equal(reg_find_incident(&s, "filled"), &s.incidents[5001]);
	reg_set_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_quoted_fields_with_commas_quotes_and_newlines),
		cmocka_unit_test(reports_line_of_bad_quoting),
		cmocka_unit_test(header_rules),
		cmocka_unit_test(writer_round_trips_through_reader),
		cmocka_unit_test(formulas_are_neutralised_losslessly),
		cmocka_unit_test(numbers_are_strict),
		cmocka_unit_test(streaming_matches_in_memory),
		cmocka_unit_test(invalid_utf8_is_rejected_with_its_column),
		cmocka_unit_test(survey_csv_groups_rows_in_linear_memory),
		cmocka_unit_test(separator_is_detected_and_can_be_set),
		cmocka_unit_test(decimal_commas_are_recognised),
		cmocka_unit_test(find_incident_catches_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
