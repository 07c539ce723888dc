/* Unit tests for framework/: parsing and validating the catalog, on a
 * small in-memory catalog and on the shipped one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "framework/framework.h"

static const char norms_ok[] =
	"{\"catalog_version\": \"t1\", \"norms\": [\n"
	"  {\"id\": \"a\", \"paragraph\": \"13(a)\", \"short_name\": \"coop\",\n"
	"   \"title\": \"Cooperate\", \"category\": \"cooperation_protection\",\n"
	"   \"subcategory\": \"cooperation\", \"paraphrase\": \"p\",\n"
	"   \"source_url\": \"https://undocs.org/A/70/174\"},\n"
	"  {\"id\": \"c\", \"paragraph\": \"13(c)\", \"short_name\": \"terr\",\n"
	"   \"title\": \"Territory\", \"category\": \"restraint\",\n"
	"   \"subcategory\": \"restraint\", \"paraphrase\": \"p\",\n"
	"   \"source_url\": \"https://undocs.org/A/70/174\"}\n"
	"]}\n";
static const char goals_ok[] =
	"{\"goals\": [\n"
	"  {\"id\": \"CDG1\", \"title\": \"Strategy\", \"description\": \"d\",\n"
	"   \"origin\": \"o\", \"rationale\": \"r\", \"norms\": [\"a\"],\n"
	"   \"targets\": [{\"id\": \"CDG1.1\", \"title\": \"t\", \"description\": \"d\"}]}\n"
	"]}\n";
static const char indicators_ok[] =
	"{\"indicators\": [\n"
	"  {\"id\": \"CDG1.1.1\", \"target\": \"CDG1.1\", \"name\": \"n\",\n"
	"   \"description\": \"d\", \"unit\": \"years\",\n"
	"   \"direction\": \"lower_is_better\", \"min\": 0, \"max\": 50,\n"
	"   \"goalposts\": {\"lower\": 0, \"upper\": 10}, \"target_value\": 5,\n"
	"   \"measure\": \"survey\", \"rule\": \"r\", \"questions\": [\"Q-CDG1-1\"],\n"
	"   \"evidence\": \"e\", \"source\": \"s\"}\n"
	"]}\n";
static const char survey_ok[] =
	"{\"scales\": [{\"id\": \"ynp\", \"options\": [\n"
	"   {\"value\": \"yes\", \"label\": \"Yes\", \"score\": 1},\n"
	"   {\"value\": \"no\", \"label\": \"No\", \"score\": 0},\n"
	"   {\"value\": \"not_applicable\", \"label\": \"N/A\", \"score\": null}]}],\n"
	" \"questions\": [\n"
	"  {\"id\": \"Q-CDG1-1\", \"norm\": null, \"goal\": \"CDG1\", \"section\": \"s\",\n"
	"   \"text\": \"t\", \"help\": \"h\", \"scale\": \"ynp\", \"evidence\": \"required\",\n"
	"   \"free_text\": true, \"capacity_needs\": true},\n"
	"  {\"id\": \"Q-a-1\", \"norm\": \"a\", \"goal\": null, \"section\": \"s\",\n"
	"   \"text\": \"t\", \"help\": \"h\", \"scale\": \"ynp\", \"evidence\": \"none\",\n"
	"   \"free_text\": false, \"capacity_needs\": false}\n"
	"]}\n";

static const char *const names[FW_NFILES] = {"norms.json", "goals.json",
					     "indicators.json", "survey.json"};

/* Replaces the first occurrence of from by to in text (a static copy). */
static char *patched(const char *text, const char *from, const char *to)
{
	static char out[8192];
	const char *p = strstr(text, from);
	assert_non_null(p);
	size_t head = (size_t)(p - text);
	snprintf(out, sizeof out, "%.*s%s%s", (int)head, text, to,
		 p + strlen(from));
	return out;
}

static int parse4(struct fw_catalog *c, const char *n, const char *g,
		  const char *i, const char *s, struct cdg_err *e)
{
	const char *texts[FW_NFILES] = {n, g, i, s};
	return fw_parse(c, names, texts, e);
}

static void parses_a_valid_catalog(void **state)
{
	(void)state;
	struct fw_catalog c;
	struct cdg_err e;
	assert_int_equal(parse4(&c, norms_ok, goals_ok, indicators_ok, survey_ok, &e), 0);
	assert_string_equal(c.version, "t1");
	assert_int_equal(c.n_norms, 2);
	assert_string_equal(fw_norm(&c, "c")->category, "restraint");
	const struct fw_indicator *d = fw_indicator(&c, "CDG1.1.1");
	assert_non_null(d);
	assert_int_equal(d->direction, -1);
	assert_string_equal(d->goal, "CDG1");
	assert_true(d->lower == 0 && d->upper == 10);
	const struct fw_scale *s = fw_scale(&c, "ynp");
	assert_int_equal(s->n_options, 3);
	assert_false(s->options[2].scored);
	assert_true(fw_question(&c, "Q-CDG1-1")->capacity_needs);
	assert_null(fw_question(&c, "Q-a-1")->goal);
	fw_free(&c);
}

/* Each broken catalog must be rejected with file, line, id and field. */
static void rejects_broken_references(void **state)
{
	(void)state;
	struct fw_catalog c;
	struct cdg_err e;

	assert_int_equal(parse4(&c, norms_ok, goals_ok,
				patched(indicators_ok, "\"target\": \"CDG1.1\"",
					"\"target\": \"CDG9.9\""),
				survey_ok, &e), CDG_EINPUT);
	assert_string_equal(e.file, "indicators.json");
	assert_int_equal(e.line, 2);
	assert_string_equal(e.field, "target");
	assert_non_null(strstr(e.msg, "CDG1.1.1"));
	assert_non_null(strstr(e.msg, "CDG9.9"));

	assert_int_equal(parse4(&c, norms_ok,
				patched(goals_ok, "[\"a\"]", "[\"z\"]"),
				indicators_ok, survey_ok, &e), CDG_EINPUT);
	assert_string_equal(e.file, "goals.json");
	assert_string_equal(e.field, "norms");

	assert_int_equal(parse4(&c, norms_ok, goals_ok, indicators_ok,
				patched(survey_ok, "\"norm\": \"a\"", "\"norm\": null"),
				&e), CDG_EINPUT);
	assert_string_equal(e.file, "survey.json");
	assert_non_null(strstr(e.msg, "Q-a-1"));
	assert_int_equal(e.line, 9);

	assert_int_equal(parse4(&c, norms_ok, goals_ok,
				patched(indicators_ok, "[\"Q-CDG1-1\"]", "[\"Q-x\"]"),
				survey_ok, &e), CDG_EINPUT);
	assert_string_equal(e.field, "questions");

	assert_int_equal(parse4(&c, norms_ok, goals_ok, indicators_ok,
				patched(survey_ok, "\"scale\": \"ynp\"", "\"scale\": \"nope\""),
				&e), CDG_EINPUT);
	assert_string_equal(e.field, "scale");
}

static void rejects_duplicates_and_bad_values(void **state)
{
	(void)state;
	struct fw_catalog c;
	struct cdg_err e;

	/* A goal id reused as a question id, across files. */
	assert_int_equal(parse4(&c, norms_ok, goals_ok, indicators_ok,
				patched(survey_ok, "\"id\": \"Q-a-1\"", "\"id\": \"CDG1\""),
				&e), CDG_EINPUT);
	assert_non_null(strstr(e.msg, "used twice"));

	assert_int_equal(parse4(&c, patched(norms_ok, "\"restraint\",", "\"offensive\","),
				goals_ok, indicators_ok, survey_ok, &e), CDG_EINPUT);
	assert_string_equal(e.field, "category");
	assert_string_equal(e.file, "norms.json");

	/* Goalposts outside min..max. */
	assert_int_equal(parse4(&c, norms_ok, goals_ok,
				patched(indicators_ok, "\"upper\": 10", "\"upper\": 60"),
				survey_ok, &e), CDG_EINPUT);
	assert_string_equal(e.field, "goalposts");

	/* Goalposts in the wrong order. */
	assert_int_equal(parse4(&c, norms_ok, goals_ok,
				patched(indicators_ok, "\"lower\": 0", "\"lower\": 20"),
				survey_ok, &e), CDG_EINPUT);
	assert_string_equal(e.field, "goalposts");

	/* A missing required key. */
	assert_int_equal(parse4(&c, norms_ok, goals_ok,
				patched(indicators_ok, "\"rule\": \"r\",", ""),
				survey_ok, &e), CDG_EINPUT);
	assert_string_equal(e.field, "rule");

	/* Invalid JSON names line and column. */
	assert_int_equal(parse4(&c, norms_ok, "{\"goals\": [\n  {,}]}", indicators_ok,
				survey_ok, &e), CDG_EINPUT);
	assert_string_equal(e.file, "goals.json");
	assert_int_equal(e.line, 2);

	/* A misspelt key is not silently ignored. */
	assert_int_equal(parse4(&c, norms_ok, goals_ok,
				patched(indicators_ok, "\"rule\"", "\"rules\""),
				survey_ok, &e), CDG_EINPUT);
	assert_string_equal(e.field, "rules");
	assert_non_null(strstr(e.msg, "unknown key"));

	/* An indicator id that does not extend its target's id. */
	assert_int_equal(parse4(&c, norms_ok, goals_ok,
				patched(indicators_ok, "\"id\": \"CDG1.1.1\"", "\"id\": \"CDG2.1.1\""),
				survey_ok, &e), CDG_EINPUT);
	assert_non_null(strstr(e.msg, "CDG1.1."));

	/* A survey indicator with no questions. */
	assert_int_equal(parse4(&c, norms_ok, goals_ok,
				patched(indicators_ok, "[\"Q-CDG1-1\"]", "[]"),
				survey_ok, &e), CDG_EINPUT);
	assert_string_equal(e.field, "questions");
}

/* The shipped catalog loads, and its norms agree with the sourced
 * reference list of the 11 GGE 2015 norms. */
static void shipped_catalog_loads(void **state)
{
	(void)state;
	const char *src = getenv("CDG_SRCDIR");
	assert_non_null(src);
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/data/framework", src);
	struct fw_catalog c;
	struct cdg_err e;
	int rc = fw_load_dir(&c, dir, &e);
	if (rc) {
		char msg[1024];
		err_format(&e, msg, sizeof msg);
		fail_msg("%s", msg);
	}
	assert_int_equal(c.n_norms, 11);
	static const char *const restraint[] = {"c", "f", "k"};
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(fw_norm(&c, restraint[i])->category, "restraint");
	assert_string_equal(fw_norm(&c, "a")->category, "cooperation_protection");
	assert_true(c.n_goals >= 7);
	assert_non_null(fw_goal(&c, "CDG7"));
	/* Every norm and every goal has survey questions. */
	for (size_t i = 0; i < c.n_norms; i++) {
		size_t n = 0;
		for (size_t q = 0; q < c.n_questions; q++)
			n += c.questions[q].norm && strcmp(c.questions[q].norm, c.norms[i].id) == 0;
		assert_true(n >= 1);
	}
	for (size_t i = 0; i < c.n_goals; i++) {
		size_t n = 0;
		for (size_t q = 0; q < c.n_questions; q++)
			n += c.questions[q].goal && strcmp(c.questions[q].goal, c.goals[i].id) == 0;
		assert_true(n >= 1);
	}
	fw_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_a_valid_catalog),
		cmocka_unit_test(rejects_broken_references),
		cmocka_unit_test(rejects_duplicates_and_bad_values),
		cmocka_unit_test(shipped_catalog_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
