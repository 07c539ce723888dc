/* libFuzzer target: the map of agreements (formats/agreements.c, read by
 * `cdg init` and `cdg agreements import`) must never crash, leak, hang or
 * read out of bounds, whatever the bytes.  The input is read as the
 * agreements JSON, and as the company commitments CSV after a small
 * agreements file that defines an industry norm (as `cdg init` reads the
 * two into one set).  A rejected file has faults that each name it; an
 * accepted one holds what the parsers promise: unique valid ids, years in
 * range, non-empty commitments that map to known norms, goals or industry
 * norms, companies committed to a known industry norm with a real date
 * and an http(s) source.  Nothing in formats/ writes these files back, so
 * there is no round trip (fuzz_capacity feeds these parsers too, without
 * these checks). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int present = 1;
static struct strmap states, goals, norms, industry;

/* Defines industry norm IND2 (IND1 is known as if from the database). */
static const char small[] =
	"{\"format\": \"cdg-agreements/1\", \"industry_norms\": [{\"id\": "
	"\"IND2\", \"title\": \"No offence\", \"paraphrase\": \"Companies do "
	"not attack.\", \"source_url\": \"https://example.org/ind2\"}], "
	"\"agreements\": [{\"id\": \"accord\", \"name\": \"An accord\", "
	"\"short_name\": \"Accord\", \"year\": 2018, \"date\": \"2018-04-17\", "
	"\"type\": \"single_group\", \"stakeholder_groups\": [\"industry\"], "
	"\"objectives\": [\"protect users\"], \"compliance\": \"none\", "
	"\"source_url\": \"https://example.org/accord\", \"commitments\": "
	"[{\"commitment\": \"c1\", \"text\": \"No offence.\", \"force\": "
	"\"commitment\", \"maps\": [\"IND2\", \"f\"]}]}]}";

static void init_codes(void)
{
	static const char *const iso3[] = {"FRA", "DEU", "USA", "GBR", "KEN", "TUR"};
	strmap_init(&states);
	strmap_init(&goals);
	strmap_init(&norms);
	strmap_init(&industry);
	for (size_t i = 0; i < sizeof iso3 / sizeof *iso3; i++)
		strmap_put(&states, iso3[i], &present);
	static const char *const cdgs[] = {"CDG1", "CDG2", "CDG3", "CDG4",
		"CDG5", "CDG6", "CDG7", "CDG8", "CDG9", "CDG10", "CDG11"};
	for (size_t i = 0; i < 11; i++)
		strmap_put(&goals, cdgs[i], &present);
	static const char *const letters[] = {"a", "b", "c", "d", "e", "f",
					      "g", "h", "i", "j", "k"};
	for (size_t i = 0; i < 11; i++)
		strmap_put(&norms, letters[i], &present);
	strmap_put(&industry, "IND1", &present);
}

static bool known_norm(const struct agr_set *s, const char *id)
{
	if (strmap_get(&industry, id))
		return true;
	for (size_t i = 0; i < s->n_norms; i++)
		if (s->norms[i].id && strcmp(s->norms[i].id, id) == 0)
			return true;
	return false;
}

static void check_agreements(const struct agr_set *s)
{
	for (size_t i = 0; i < s->n_norms; i++)
		if (!s->norms[i].id || !fmt_id_ok(s->norms[i].id) ||
		    !s->norms[i].title || !s->norms[i].source)
			abort();
	for (size_t i = 0; i < s->n_agreements; i++) {
		const struct agr_agreement *g = &s->agreements[i];
		if (!g->id || !fmt_id_ok(g->id) || !g->name || !g->type ||
		    g->year < 1900 || g->year > 2100 || g->n_commitments == 0 ||
		    g->n_groups == 0)
			abort();
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->agreements[j].id, g->id) == 0)
				abort();
		for (size_t j = 0; j < g->n_participants; j++)
			if (!g->participants[j].name || !g->participants[j].kind ||
			    !g->participants[j].source)
				abort();
		for (size_t j = 0; j < g->n_commitments; j++) {
			const struct agr_commitment *m = &g->commitments[j];
			if (!m->id || !m->text || !m->force)
				abort();
			for (size_t k = 0; k < m->n_maps; k++)
				if (!strmap_get(&norms, m->maps[k]) &&
				    !strmap_get(&goals, m->maps[k]) &&
				    !known_norm(s, m->maps[k]))
					abort();
		}
	}
}

static void check_companies(const struct agr_set *s)
{
	for (size_t i = 0; i < s->n_companies; i++) {
		const struct agr_company *m = &s->companies[i];
		if (!fmt_id_ok(m->id) || !m->company[0] || !m->text[0] ||
		    !date_valid(m->date) || !known_norm(s, m->norm) ||
		    (strncmp(m->evidence, "https://", 8) != 0 &&
		     strncmp(m->evidence, "http://", 7) != 0))
			abort();
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->companies[j].id, m->id) == 0)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		init_codes();
		ready = true;
	}
	char *text = fuzz_text(data, size);
	if (!text)
		return 0;
	struct cap_known k = {&states, &goals, &norms, &industry, NULL};
	struct err_list errs;
	errs_init(&errs, 8);

	struct agr_set s;
	agr_set_init(&s);
	if (agr_json_parse(&s, "fuzz.json", text, size, &k, &errs) == 0)
		check_agreements(&s);
	else
		fuzz_check_faults(&errs, 0, "fuzz.json");
	agr_set_free(&s);

	errs_free(&errs);
	errs_init(&errs, 8);
	agr_set_init(&s);
	if (agr_json_parse(&s, "small.json", small, sizeof small - 1, &k, &errs) != 0)
		abort();
	if (agr_companies_csv_parse(&s, "fuzz.csv", text, size, &k, &errs) == 0)
		check_companies(&s);
	else
		fuzz_check_faults(&errs, 0, "fuzz.csv");
	agr_set_free(&s);

	errs_free(&errs);
	free(text);
	return 0;
}
