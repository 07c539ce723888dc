/* Unit tests for the names of States (formats/names.c, issue 16): one test
 * per kind of alias, every row of data/reference/state_aliases.csv
 * resolving to its State, and the non-UN entities of non_un_entities.csv
 * never resolving to one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"

/* One shipped reference file, read against the named columns. */
struct ref {
	struct arena a;
	struct table t;
};

static void read_ref(struct ref *r, const char *file, const struct col_spec *spec,
		     size_t n)
{
	const char *src = getenv("CDG_SRCDIR");
	assert_non_null(src);
	char path[4096];
	snprintf(path, sizeof path, "%s/data/reference/%s", src, file);
	struct buf text = BUF_INIT;
	struct cdg_err e;
	assert_int_equal(file_read_all(path, &text, &e), 0);
	arena_init(&r->a);
	assert_int_equal(table_read(path, text.p, text.len, spec, n, -1, 0, &r->a,
				    &r->t, &e), 0);
	buf_free(&text);
}

static struct ref states, aliases, entities;
static struct reg_names names;

static int setup(void **state)
{
	(void)state;
	static const struct col_spec sspec[] = {{"iso3", COL_TEXT, true, NULL},
		{"iso2", COL_TEXT, true, NULL}, {"name", COL_TEXT, true, NULL},
		{"iso_name", COL_TEXT, true, NULL}};
	static const struct col_spec aspec[] = {{"alias", COL_TEXT, true, NULL},
		{"iso3", COL_TEXT, true, NULL}, {"kind", COL_TEXT, true, NULL}};
	static const struct col_spec espec[] = {{"code", COL_TEXT, true, NULL},
		{"iso2", COL_TEXT, false, NULL}, {"name", COL_TEXT, true, NULL},
		{"kind", COL_TEXT, true, NULL}, {"aliases", COL_TEXT, false, NULL}};
	read_ref(&states, "un_member_states.csv", sspec, 4);
	read_ref(&aliases, "state_aliases.csv", aspec, 3);
	read_ref(&entities, "non_un_entities.csv", espec, 5);
	reg_names_init(&names);
	for (size_t r = 0; r < states.t.nrows; r++)
		reg_names_add(&names, table_cell(&states.t, r, 0), table_cell(&states.t, r, 1),
			      table_cell(&states.t, r, 2), table_cell(&states.t, r, 3));
	for (size_t r = 0; r < aliases.t.nrows; r++)
		reg_names_alias(&names, table_cell(&aliases.t, r, 0),
				table_cell(&aliases.t, r, 1));
	for (size_t r = 0; r < entities.t.nrows; r++)
		reg_names_add_entity(&names, table_cell(&entities.t, r, 0),
				     table_cell(&entities.t, r, 1),
				     table_cell(&entities.t, r, 2),
				     table_cell(&entities.t, r, 3),
				     table_cell(&entities.t, r, 4));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	reg_names_free(&names);
	arena_free(&states.a);
	arena_free(&aliases.a);
	arena_free(&entities.a);
	return 0;
}

static void is(const char *text, const char *iso3)
{
	const char *got = reg_names_state(&names, text);
	if (!got || strcmp(got, iso3) != 0)
		fail_msg("\"%s\" gave %s, not %s", text, got ? got : "nothing", iso3);
}

/* Every row of the alias file, and every UN and ISO name, resolves to its
 * own State: the data file is tested row by row. */
static void every_alias_row_resolves(void **state)
{
	(void)state;
	assert_true(aliases.t.nrows >= 390);
	for (size_t r = 0; r < aliases.t.nrows; r++)
		is(table_cell(&aliases.t, r, 0), table_cell(&aliases.t, r, 1));
	for (size_t r = 0; r < states.t.nrows; r++) {
		is(table_cell(&states.t, r, 0), table_cell(&states.t, r, 0));
		is(table_cell(&states.t, r, 1), table_cell(&states.t, r, 0));
		is(table_cell(&states.t, r, 2), table_cell(&states.t, r, 0));
		is(table_cell(&states.t, r, 3), table_cell(&states.t, r, 0));
	}
}

static void un_and_iso_names(void **state)
{
	(void)state;
	is("United Kingdom of Great Britain and Northern Ireland", "GBR"); /* un_name */
	is("Türkiye", "TUR");
	is("Korea, Republic of", "KOR");                                   /* iso_name */
	is("Congo, The Democratic Republic of the", "COD");
	is("People's Republic of China", "CHN");                           /* iso_official */
	is("Republic of Türkiye", "TUR");
	is("Czech Republic", "CZE");
	is("South Korea", "KOR");                                          /* iso_common */
	is("North Korea", "PRK");
	is("Vietnam", "VNM");
}

static void short_forms_and_former_names(void **state)
{
	(void)state;
	is("PRC", "CHN");
	is("DPRK", "PRK");
	is("UK", "GBR");
	is("US", "USA");
	is("U.S.", "USA");
	is("Russia", "RUS");
	is("Ivory Coast", "CIV");
	is("Turkey", "TUR");          /* former_name */
	is("Swaziland", "SWZ");
	is("Burma", "MMR");
	is("the former Yugoslav Republic of Macedonia", "MKD");
}

/* Case, diacritics, punctuation and "the" do not matter. */
static void folding(void **state)
{
	(void)state;
	is("Cote d'Ivoire", "CIV");
	is("COTE D’IVOIRE", "CIV");
	is("Côte D'Ivoire", "CIV");
	is("Turkiye", "TUR");
	is("TÜRKIYE", "TUR");
	is("the Netherlands", "NLD");
	is("Netherlands (Kingdom of the)", "NLD");
	is("Guinea Bissau", "GNB");
	is("Guinea-Bissau", "GNB");
	is("Sao Tome and Principe", "STP");
	is("São Tomé & Príncipe", "STP");
	is("St Kitts and Nevis", "KNA");
	is("St. Lucia", "LCA");
	is("  russian federation  ", "RUS");
	is("Peoples Republic of China", "CHN");
}

/* "X, Republic of" and "X (Republic of)" read as "Republic of X". */
static void inversions(void **state)
{
	(void)state;
	is("Congo, Democratic Republic of the", "COD");
	is("China, People's Republic of", "CHN");
	is("Korea, South", "KOR");
	is("Korea (Republic of)", "KOR");
	is("Korea (Democratic People's Republic of)", "PRK");
	is("Iran (Islamic Republic of)", "IRN");
	is("Congo, Republic of the", "COG");
	is("Moldova, Republic of", "MDA");
	assert_null(reg_names_state(&names, "Korea"));
	assert_null(reg_names_state(&names, "Congo, Narnia"));
}

/* A non-UN entity is never a State, by code or by name, and is found as
 * what it is. */
static void non_un_entities_are_not_states(void **state)
{
	(void)state;
	assert_true(entities.t.nrows >= 50);
	for (size_t r = 0; r < entities.t.nrows; r++) {
		const char *code = table_cell(&entities.t, r, 0);
		const char *name = table_cell(&entities.t, r, 2);
		assert_null(reg_names_state(&names, code));
		assert_null(reg_names_state(&names, name));
		const struct reg_entity *t = reg_names_entity(&names, name);
		assert_non_null(t);
		assert_string_equal(t->code, code);
	}
	static const char *const taiwan[] = {"Taiwan", "TW", "TWN",
		"Taiwan, Province of China", "Republic of China", "taiwan"};
	for (size_t i = 0; i < sizeof taiwan / sizeof taiwan[0]; i++) {
		const struct reg_entity *t = reg_names_entity(&names, taiwan[i]);
		assert_non_null(t);
		assert_string_equal(t->code, "TWN");
		assert_null(reg_names_state(&names, taiwan[i]));
	}
	assert_string_equal(reg_names_entity(&names, "XK")->name, "Kosovo");
	assert_string_equal(reg_names_entity(&names, "Hong Kong SAR")->code, "HKG");
	assert_string_equal(reg_names_entity(&names, "Macau")->code, "MAC");
	/* China is China, Taiwan is not. */
	is("China", "CHN");
	assert_null(reg_names_entity(&names, "China"));
	struct arena a;
	arena_init(&a);
	assert_string_equal(reg_names_why(&names, "TW", &a),
			    "\"TW\" is Taiwan (TWN), a non-UN entity, not a UN member "
			    "or observer State");
	arena_free(&a);
}

static void unknown_names_suggest_the_closest(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(reg_names_why(&names, "Untied Kingdom", &a),
			    "unknown state \"Untied Kingdom\" (did you mean \"United "
			    "Kingdom of Great Britain and Northern Ireland\"?)");
	assert_string_equal(reg_names_suggest(&names, "Lebonon"), "Lebanon");
	assert_null(reg_names_suggest(&names, "Narnia"));
	assert_string_equal(reg_names_why(&names, "Oceania", &a),
			    "unknown state \"Oceania\"");
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_alias_row_resolves),
		cmocka_unit_test(un_and_iso_names),
		cmocka_unit_test(short_forms_and_former_names),
		cmocka_unit_test(folding),
		cmocka_unit_test(inversions),
		cmocka_unit_test(non_un_entities_are_not_states),
		cmocka_unit_test(unknown_names_suggest_the_closest),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
