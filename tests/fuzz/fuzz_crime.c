/* libFuzzer target: the cybercrime parsers (crime/crime_json.c and
 * crime/crime_csv.c, read by `cdg init` and the `cdg crime` commands) must
 * never crash, leak, hang or read out of bounds, whatever the bytes.  The
 * input is read as each of the three catalog files in turn (the other two
 * being a small valid catalog), as an instrument, which is then checked
 * against every principle rule, and as a coverage CSV against the small
 * catalog.  A rejected file has one input error with a message naming
 * it; an accepted catalog keeps its references; an accepted coverage CSV
 * round-trips: written again, it reads back row for row. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crime/crime.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[3] = {"articles.json", "treaties.json",
				     "principles.json"};

/* An offence, a procedural power and a co-operation article; a treaty
 * covering the offence with one party; one principle. */
static const char *const small[3] = {
	"{\"format\": \"cdg-crime-articles/1\", \"articles\": ["
	"{\"id\": \"BC2\", \"article\": 2, \"title\": \"Illegal access\", "
	"\"kind\": \"offence\", \"summary\": \"Entering a system.\", "
	"\"class\": \"cyber_dependent\", \"class_reason\": \"Needs a "
	"computer.\", \"un\": {\"article\": \"7\", \"title\": \"Illegal "
	"access\", \"verified\": false}}, "
	"{\"id\": \"BC16\", \"article\": 16, \"title\": \"Preservation\", "
	"\"kind\": \"procedural_power\", \"summary\": \"Keeping data.\"}, "
	"{\"id\": \"BC23\", \"article\": 23, \"title\": \"Co-operation\", "
	"\"kind\": \"cooperation\", \"summary\": \"Working together.\"}]}",

	"{\"format\": \"cdg-crime-treaties/1\", \"treaties\": [{\"id\": "
	"\"ETS185\", \"name\": \"Convention\", \"opened_for_signature\": "
	"\"2001-11-23\", \"entry_into_force\": {\"count\": 5, \"sub_group\": "
	"\"coe_member\", \"sub_count\": 3, \"rule\": \"month_after_months\", "
	"\"lag\": 3, \"text\": \"Five States.\"}, \"entered_into_force\": "
	"\"2004-07\", \"source_url\": \"https://example.org/185\", "
	"\"parties\": [{\"iso3\": \"FRA\", \"signed\": \"2001-11-23\", "
	"\"consent\": \"2006-01-10\", \"in_force\": \"2006-05-01\", "
	"\"source_url\": \"https://example.org/fra\"}], \"scope\": "
	"[\"BC2\"]}]}",

	"{\"format\": \"cdg-crime-principles/1\", \"principles\": [{\"id\": "
	"\"P1\", \"title\": \"Threshold\", \"source\": \"brief\", \"rule\": "
	"\"entry_into_force_threshold_at_least\", \"rule_text\": \"At least "
	"30.\", \"param\": 30}]}",
};

/* One principle per rule, for checking accepted instruments. */
static const char *excluded[] = {"terrorism", "money_laundering"};
static struct crime_principle rules[CRIME_R_COUNT];
static const char *const budapest_ids[] = {"BC2", "BC16", "BC23"};

static void init_rules(void)
{
	for (int r = 0; r < CRIME_R_COUNT; r++)
		rules[r] = (struct crime_principle){"P", "title", "brief",
			(enum crime_rule)r, 30, excluded, 2};
}

static void check_catalog(const struct crime_catalog *c)
{
	if (c->n_treaties > CRIME_MAX_TREATIES)
		abort();
	for (size_t i = 0; i < c->n_articles; i++)
		if (!c->articles[i].id || !c->articles[i].title ||
		    crime_article_find(c, c->articles[i].id) != (long)i)
			abort();
	for (size_t i = 0; i < c->n_treaties; i++) {
		const struct crime_treaty *t = &c->treaties[i];
		if (!t->id || crime_treaty_find(c, t->id) != (long)i ||
		    t->threshold.count < 1 ||
		    t->threshold.sub_count > t->threshold.count)
			abort();
		for (size_t k = 0; k < t->n_scope; k++)
			if (crime_article_find(c, t->scope[k]) < 0)
				abort();
		for (size_t k = 0; k < t->n_parties; k++)
			if (!t->parties[k].iso3 || strlen(t->parties[k].iso3) != 3)
				abort();
	}
	for (size_t i = 0; i < c->n_principles; i++)
		if (c->principles[i].rule >= CRIME_R_COUNT)
			abort();
}

static void catalogs(const char *text)
{
	for (int slot = 0; slot < 3; slot++) {
		const char *texts[3];
		memcpy(texts, small, sizeof texts);
		texts[slot] = text;
		struct arena a;
		arena_init(&a);
		struct crime_catalog c;
		struct cdg_err e;
		err_clear(&e);
		if (crime_catalog_parse(&c, names, texts, &a, &e) == 0)
			check_catalog(&c);
		else
			fuzz_check_error(&e, names, 3);
		arena_free(&a);
	}
}

static void instrument(const char *text)
{
	struct arena a;
	arena_init(&a);
	struct crime_instrument ins;
	struct cdg_err e;
	err_clear(&e);
	const char *name = "fuzz.json";
	if (crime_instrument_parse(&ins, name, text, &a, &e) == 0) {
		struct crime_verdict out[CRIME_R_COUNT];
		crime_check(&ins, rules, CRIME_R_COUNT, budapest_ids, 3, out, &a);
		for (int r = 0; r < CRIME_R_COUNT; r++)
			if (out[r].verdict > CRIME_CANNOT_TELL || !out[r].reason)
				abort();
	} else {
		fuzz_check_error(&e, &name, 1);
	}
	arena_free(&a);
}

static bool same(const char *x, const char *y)
{
	return x && y ? strcmp(x, y) == 0 : x == y;
}

static void coverage(const char *text, size_t size)
{
	struct arena a, b;
	arena_init(&a);
	arena_init(&b);
	struct crime_catalog c;
	struct cdg_err e;
	err_clear(&e);
	if (crime_catalog_parse(&c, names, small, &b, &e) != 0)
		abort();
	struct crime_cov_row *rows, *again;
	size_t n, m;
	const char *name = "fuzz.csv";
	if (crime_coverage_parse(&c, name, text, size, &a, &rows, &n, &e) == 0) {
		struct buf out = BUF_INIT;
		crime_coverage_write(&out, rows, n);
		if (crime_coverage_parse(&c, "again.csv", out.p, out.len, &a, &again,
					 &m, &e) != 0 || m != n)
			abort();
		for (size_t i = 0; i < n; i++)
			if (!same(rows[i].iso3, again[i].iso3) ||
			    !same(rows[i].article, again[i].article) ||
			    rows[i].covered != again[i].covered ||
			    !same(rows[i].citation, again[i].citation) ||
			    !same(rows[i].source_url, again[i].source_url) ||
			    !same(rows[i].note, again[i].note) ||
			    !same(rows[i].basis, again[i].basis))
				abort();
		buf_free(&out);
	} else {
		fuzz_check_error(&e, &name, 1);
	}
	arena_free(&a);
	arena_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (rules[0].id == NULL)
		init_rules();
	char *text = fuzz_text(data, size);
	if (!text)
		return 0;
	catalogs(text);
	instrument(text);
	coverage(text, size);
	free(text);
	return 0;
}
