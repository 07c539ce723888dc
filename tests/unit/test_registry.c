/* Unit tests for the registry's pure parsers and writers (formats/):
 * norm references, confidence, dates, names, CSV, registry JSON, STIX 2.1
 * and MISP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"

static void names(struct reg_names *n)
{
	reg_names_init(n);
	reg_names_add(n, "GBR", "GB", "United Kingdom of Great Britain and Northern Ireland",
		      "United Kingdom");
	reg_names_add(n, "RUS", "RU", "Russian Federation", "Russian Federation");
	reg_names_add(n, "PRK", "KP", "Democratic People's Republic of Korea",
		      "Korea, Democratic People's Republic of");
	reg_names_add(n, "KOR", "KR", "Republic of Korea", "Korea, Republic of");
	reg_names_add(n, "NLD", "NL", "Netherlands (Kingdom of the)", "Netherlands");
	reg_names_add(n, "IRN", "IR", "Iran (Islamic Republic of)",
		      "Iran, Islamic Republic of");
	reg_names_add(n, "UKR", "UA", "Ukraine", "Ukraine");
	/* Short forms as data/reference/state_aliases.csv gives them. */
	static const char *const al[][2] = {{"UK", "GBR"}, {"Russia", "RUS"},
		{"North Korea", "PRK"}, {"DPRK", "PRK"}, {"South Korea", "KOR"},
		{"Iran", "IRN"}, {"Great Britain", "GBR"}};
	for (size_t i = 0; i < sizeof al / sizeof al[0]; i++)
		reg_names_alias(n, al[i][0], al[i][1]);
	reg_names_add_entity(n, "TWN", "TW", "Taiwan", "disputed_status",
			     "Taiwan, Province of China");
}

static void norm_references_are_read_as_written(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct reg_ref r;
	struct cdg_err e;
	assert_int_equal(reg_ref_parse("f", &a, &r, &e), 0);
	assert_int_equal(r.kind, REG_NORM);
	assert_int_equal(r.norm, 'f');
	assert_int_equal(reg_ref_parse(" 13(c): knowingly allowed its territory ",
				       &a, &r, &e), 0);
	assert_int_equal(r.kind, REG_NORM);
	assert_int_equal(r.norm, 'c');
	assert_string_equal(r.articulation, "knowingly allowed its territory");
	assert_int_equal(reg_ref_parse("norm 13(K)", &a, &r, &e), 0);
	assert_int_equal(r.norm, 'k');
	assert_int_equal(reg_ref_parse("attacks on hospitals (cf. GGE 2015 norm 13(f))",
				       &a, &r, &e), 0);
	assert_int_equal(r.kind, REG_NORM_MAPPING);
	assert_int_equal(r.norm, 'f');
	assert_false(reg_ref_names_breach(r.kind));
	assert_int_equal(reg_ref_parse("sovereignty of Ukraine", &a, &r, &e), 0);
	assert_int_equal(r.kind, REG_IL);
	assert_string_equal(r.rule, "sovereignty");
	assert_true(reg_ref_names_breach(r.kind));
	assert_int_equal(reg_ref_parse("general reference: international law applies "
				       "online as offline", &a, &r, &e), 0);
	assert_int_equal(r.kind, REG_GENERAL);
	assert_false(reg_ref_names_breach(r.kind));
	assert_int_equal(reg_ref_parse("EU cyber sanctions regime", &a, &r, &e), 0);
	assert_int_equal(r.kind, REG_SANCTIONS);
	assert_int_equal(reg_ref_parse("US federal criminal law: wire fraud", &a, &r, &e), 0);
	assert_int_equal(r.kind, REG_DOMESTIC_LAW);
	assert_int_equal(reg_ref_parse("G20 commitment against ICT-enabled theft",
				       &a, &r, &e), 0);
	assert_int_equal(r.kind, REG_COMMITMENT);
	/* A word starting with a letter is not a norm. */
	assert_int_equal(reg_ref_parse("a general statement", &a, &r, &e), 0);
	assert_int_not_equal(r.kind, REG_NORM);
	/* Letters outside a-k are refused. */
	assert_int_equal(reg_ref_parse("13(l)", &a, &r, &e), CDG_EINPUT);
	assert_non_null(strstr(e.msg, "outside a-k"));
	assert_int_equal(reg_ref_parse("z", &a, &r, &e), CDG_EINPUT);
	assert_int_equal(reg_ref_parse("x (cf. GGE 2015 norm 13(m))", &a, &r, &e),
			 CDG_EINPUT);
	/* Several, split at ';' outside parentheses. */
	struct reg_ref *v;
	assert_int_equal(reg_refs_parse("sovereignty of Georgia; international law "
					"(general); f", &a, &v, &e), 3);
	assert_int_equal(v[0].kind, REG_IL);
	assert_int_equal(v[1].kind, REG_GENERAL);
	assert_int_equal(v[2].norm, 'f');
	assert_int_equal(reg_refs_parse("x (a; b)", &a, &v, &e), 1);
	assert_int_equal(reg_refs_parse("", &a, &v, &e), 0);
	assert_int_equal(reg_refs_parse("c; 13(q)", &a, &v, &e), CDG_EINPUT);
	arena_free(&a);
}

static void confidence_scale(void **state)
{
	(void)state;
	int c;
	assert_int_equal(reg_confidence_parse("", &c), 0);
	assert_int_equal(c, -1);
	assert_int_equal(reg_confidence_parse("0", &c), 0);
	assert_int_equal(c, 0);
	assert_int_equal(reg_confidence_parse("100", &c), 0);
	assert_int_equal(c, 100);
	assert_int_equal(reg_confidence_parse("Highly likely", &c), 0);
	assert_int_equal(c, 85);
	assert_int_equal(reg_confidence_parse("almost certainly", &c), 0);
	assert_int_equal(c, 95);
	assert_int_equal(reg_confidence_parse("med", &c), 0);
	assert_int_equal(c, 50);
	assert_int_equal(reg_confidence_parse("101", &c), CDG_EINPUT);
	assert_int_equal(reg_confidence_parse("-1", &c), CDG_EINPUT);
	assert_int_equal(reg_confidence_parse("very sure", &c), CDG_EINPUT);
}

static void dates_compare_by_what_they_can_mean(void **state)
{
	(void)state;
	assert_true(reg_date_before("2017-05-11", "2017-05-12"));
	assert_false(reg_date_before("2017-05-12", "2017-05-12"));
	assert_false(reg_date_before("2017-05", "2017-05-12"));  /* could be later */
	assert_false(reg_date_before("2017-10-01", "2017-10"));
	assert_true(reg_date_before("2017-09-30", "2017-10"));
	assert_true(reg_date_before("2016", "2017"));
	assert_false(reg_date_before("2017", "2017-12-31"));
}

static void names_and_codes_resolve(void **state)
{
	(void)state;
	struct reg_names n;
	names(&n);
	assert_string_equal(reg_names_state(&n, "GBR"), "GBR");
	assert_string_equal(reg_names_state(&n, "GB"), "GBR");
	assert_string_equal(reg_names_state(&n, "United Kingdom"), "GBR");
	assert_string_equal(reg_names_state(&n, "UK"), "GBR");
	assert_string_equal(reg_names_state(&n, "Russia"), "RUS");
	assert_string_equal(reg_names_state(&n, "north korea"), "PRK");
	assert_string_equal(reg_names_state(&n, "Korea (Democratic People's Republic of)"), "PRK");
	assert_string_equal(reg_names_state(&n, "Korea (Republic of)"), "KOR");
	assert_string_equal(reg_names_state(&n, "The Netherlands"), "NLD");
	assert_string_equal(reg_names_state(&n, "Iran"), "IRN");
	assert_null(reg_names_state(&n, "Atlantis"));
	assert_null(reg_names_state(&n, "gbr")); /* codes are capitals */
	assert_null(reg_names_state(&n, "European Union"));
	assert_string_equal(reg_names_org("EU"), "European Union");
	assert_string_equal(reg_names_org("North Atlantic Treaty Organization"), "NATO");
	assert_null(reg_names_org("Mandiant"));
	reg_names_free(&n);
}

static const char good_csv[] =
	"incident,incident_date,attributing_party,attributed_to,attribution_date,"
	"statement_title,norm_or_law_invoked,source_url,confidence,basis\n"
	"NotPetya,2017-06-27,United Kingdom,Russia,2018-02-15,UK condemns,"
	"\"sovereignty of Ukraine; 13(f): destroyed systems of critical infrastructure\","
	"https://example.org/uk,highly likely,technical\n"
	"NotPetya,2017-06-27,European Union,GRU (RUS),2020-07-30,EU sanctions,"
	"EU cyber sanctions regime,https://example.org/eu,,legal\n"
	"NotPetya,2017-06-27,NLD+GBR,Russia,2018-10-04,Joint statement,,"
	"https://example.org/j,,\n"
	"NotPetya,2017-06-27,Mandiant,Sandworm (unknown),2018-01-01,Report,,"
	"https://example.org/m,50,technical\n";

static void csv_reads_parties_targets_and_norms(void **state)
{
	(void)state;
	struct reg_names n;
	names(&n);
	struct reg_set s;
	reg_set_init(&s);
	struct err_list errs;
	errs_init(&errs, 10);
	/* A company needs party_kind: without it Mandiant is unknown. */
	assert_int_equal(reg_csv_parse(&s, "a.csv", good_csv, strlen(good_csv), &n,
				       &errs), CDG_EINPUT);
	assert_int_equal(errs.total, 1);
	assert_int_equal(errs.v[0].line, 5);
	assert_string_equal(errs.v[0].field, "attributing_party");
	reg_set_free(&s);
	errs_free(&errs);

	/* With party_kind for the company row. */
	char *t = xstrdup(good_csv);
	struct buf b = BUF_INIT;
	const char *line = t;
	for (int i = 0; *line; i++) {
		const char *nl = strchr(line, '\n');
		buf_add(&b, line, (size_t)(nl - line));
		buf_adds(&b, i == 0 ? ",party_kind\n" : i == 4 ? ",company\n" : ",\n");
		line = nl + 1;
	}
	free(t);
	reg_set_init(&s);
	errs_init(&errs, 10);
	assert_int_equal(reg_csv_parse(&s, "a.csv", b.p, b.len, &n, &errs), 0);
	assert_int_equal(s.n_incidents, 1);
	assert_int_equal(s.n_attrs, 4);
	const struct reg_attr *uk = &s.attrs[0];
	assert_string_equal(uk->party_kind, "state");
	assert_string_equal(uk->party_iso3, "GBR");
	assert_string_equal(uk->target_iso3, "RUS");
	assert_int_equal(uk->confidence, 85);
	assert_int_equal(uk->n_refs, 2);
	assert_int_equal(uk->refs[1].norm, 'f');
	assert_string_equal(uk->refs[1].articulation,
			    "destroyed systems of critical infrastructure");
	const struct reg_attr *eu = &s.attrs[1];
	assert_string_equal(eu->party_kind, "organisation");
	assert_string_equal(eu->party_name, "European Union");
	assert_string_equal(eu->actor, "GRU");
	assert_string_equal(eu->target_iso3, "RUS");
	const struct reg_attr *joint = &s.attrs[2];
	assert_string_equal(joint->party_kind, "state_group");
	assert_int_equal(joint->n_members, 2);
	assert_null(joint->invoked); /* empty: not verified */
	assert_string_equal(s.attrs[3].party_kind, "company");
	assert_null(s.attrs[3].target_iso3);
	assert_string_equal(s.attrs[3].actor, "Sandworm");

	/* Write and read back: the same records and ids. */
	struct buf out = BUF_INIT;
	reg_csv_write(&s, &out);
	struct reg_set s2;
	reg_set_init(&s2);
	assert_int_equal(reg_csv_parse(&s2, "b.csv", out.p, out.len, &n, &errs), 0);
	assert_int_equal(s2.n_attrs, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(s2.attrs[i].id, s.attrs[i].id);
		assert_int_equal(s2.attrs[i].n_refs, s.attrs[i].n_refs);
		assert_int_equal(s2.attrs[i].confidence, s.attrs[i].confidence);
	}
	struct buf out2 = BUF_INIT;
	reg_csv_write(&s2, &out2);
	assert_string_equal(out.p, out2.p);
	buf_free(&out);
	buf_free(&out2);
	buf_free(&b);
	reg_set_free(&s2);
	reg_set_free(&s);
	errs_free(&errs);
	reg_names_free(&n);
}

/* A fault expected of a CSV text: its line, field and words. */
struct want_fault {
	long line;
	const char *field, *words;
};

/* Parses t as bad.csv and checks that it gives exactly the faults want,
 * in order. */
static void expect_faults(const char *t, const struct want_fault *want, size_t n)
{
	struct reg_names names_;
	names(&names_);
	struct reg_set s;
	reg_set_init(&s);
	struct err_list errs;
	errs_init(&errs, 20);
	assert_int_equal(reg_csv_parse(&s, "bad.csv", t, strlen(t), &names_, &errs),
			 CDG_EINPUT);
	assert_int_equal(errs.total, (long)n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(errs.v[i].line, want[i].line);
		assert_string_equal(errs.v[i].field, want[i].field);
		assert_string_equal(errs.v[i].file, "bad.csv");
		assert_non_null(strstr(errs.v[i].msg, want[i].words));
	}
	reg_set_free(&s);
	errs_free(&errs);
	reg_names_free(&names_);
}

static void csv_lists_every_fault_with_its_line(void **state)
{
	(void)state;
	const char *t =
		"incident,incident_date,attributing_party,attributed_to,"
		"attribution_date,statement_title,norm_or_law_invoked,source_url,confidence\n"
		"A,2017-06-27,Atlantis,Russia,2018-02-15,t,,https://x.org,\n"
		"A,2017-06-27,GBR,Oz,2018-02-15,t,,https://x.org,\n"
		"A,2017-06-27,GBR,RUS,2017-13-01,t,,https://x.org,\n"
		"A,2017-06-27,GBR,RUS,2016-01-01,t,,https://x.org,\n"
		"A,2017-06-27,GBR,RUS,2018-01-01,t,13(l),https://x.org,\n"
		"A,2017-06-27,GBR,RUS,2018-01-02,t,,https://x.org,150\n"
		"A,2017-06-28,GBR,RUS,2018-01-03,t,,ftp://x.org,\n";
	static const struct want_fault want[] = {
		{2, "attributing_party", "Atlantis"},
		{3, "attributed_to", "unknown state \"Oz\""},
		{4, "attribution_date", "not a date"},
		{5, "attribution_date", "precedes the incident"},
		{6, "norm_or_law_invoked", "outside a-k"},
		{7, "confidence", "not on the scale"},
		{8, "incident_date", "differs"},
		{8, "source_url", "not an http(s) URL"},
	};
	expect_faults(t, want, sizeof want / sizeof want[0]);
}

static const char good_json[] =
	"{\"format\": \"cdg-registry/1\",\n"
	" \"standards\": [{\"state\": \"GBR\", \"title\": \"Attribution approach\",\n"
	"   \"date\": \"2018\", \"url\": \"https://example.org/s\",\n"
	"   \"criteria\": [\"technical evidence\", \"intelligence\"]}],\n"
	" \"incidents\": [{\"incident\": \"NotPetya\", \"incident_date\": \"2017-06-27\",\n"
	"   \"effects\": [\"destruction\"], \"cert_targeted\": false,\n"
	"   \"victim_states\": [\"Ukraine\"], \"victim_sectors\": [\"energy\"],\n"
	"   \"attributions\": [{\"attributing_party\": \"GBR\", \"attributed_to\": \"RUS\",\n"
	"     \"attribution_date\": \"2018-02-15\", \"statement_title\": \"UK\",\n"
	"     \"source_url\": \"https://example.org/uk\", \"confidence\": 95,\n"
	"     \"invocations\": [{\"norm\": \"f\", \"text\": \"13(f)\",\n"
	"       \"articulation\": \"destroyed systems\"}],\n"
	"     \"responses\": [{\"kind\": \"sanctions\", \"date\": \"2020-07-30\",\n"
	"       \"description\": \"EU listing\"}]}]}]}\n";

static void json_round_trips_full_records(void **state)
{
	(void)state;
	struct reg_names n;
	names(&n);
	struct reg_set s;
	reg_set_init(&s);
	struct err_list errs;
	errs_init(&errs, 10);
	assert_int_equal(reg_json_parse(&s, "r.json", good_json, strlen(good_json),
					&n, &errs), 0);
	assert_int_equal(s.n_docs, 1);
	assert_int_equal(s.docs[0].n_criteria, 2);
	assert_int_equal(s.incidents[0].cert_targeted, 0);
	assert_string_equal(s.incidents[0].victims[0], "UKR");
	assert_int_equal(s.attrs[0].refs[0].kind, REG_NORM);
	assert_string_equal(s.attrs[0].refs[0].articulation, "destroyed systems");
	assert_int_equal(s.attrs[0].n_responses, 1);
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, true);
	reg_json_write(&s, &w);
	struct reg_set s2;
	reg_set_init(&s2);
	assert_int_equal(reg_json_parse(&s2, "out.json", b.p, b.len, &n, &errs), 0);
	struct buf b2 = BUF_INIT;
	jw_init(&w, &b2, true);
	reg_json_write(&s2, &w);
	assert_string_equal(b.p, b2.p);
	buf_free(&b);
	buf_free(&b2);
	reg_set_free(&s2);
	reg_set_free(&s);

	/* Faults carry the line of the record. */
	const char *bad = "{\"format\": \"cdg-registry/1\", \"incidents\": [\n"
			  " {\"incident\": \"X\", \"incident_date\": \"2017\",\n"
			  "  \"attributions\": [\n"
			  "   {\"attributing_party\": \"GBR\", \"attributed_to\": \"RUS\",\n"
			  "    \"attribution_date\": \"2018\", \"statement_title\": \"t\",\n"
			  "    \"source_url\": \"https://x.org\",\n"
			  "    \"invocations\": [{\"norm\": \"m\", \"text\": \"m\"}],\n"
			  "    \"responses\": [{\"kind\": \"bombing\", \"description\": \"d\"}]}]}]}";
	reg_set_init(&s);
	assert_int_equal(reg_json_parse(&s, "bad.json", bad, strlen(bad), &n, &errs),
			 CDG_EINPUT);
	assert_true(errs.total >= 2);
	assert_int_equal(errs.v[0].line, 5);
	reg_set_free(&s);
	errs_free(&errs);
	reg_names_free(&n);
}

static void stix_round_trips_and_rejects_broken_objects(void **state)
{
	(void)state;
	struct reg_names n;
	names(&n);
	struct reg_set s;
	reg_set_init(&s);
	struct err_list errs;
	errs_init(&errs, 10);
	assert_int_equal(reg_json_parse(&s, "r.json", good_json, strlen(good_json),
					&n, &errs), 0);
	struct buf b = BUF_INIT;
	stix_write(&s, "2026-01-01T00:00:00.000Z", &b);
	assert_non_null(strstr(b.p, "extension-definition--ef765651-680c-498d-9894-99799f2fa126"));
	assert_non_null(strstr(b.p, "\"relationship_type\": \"attributed-to\""));
	assert_non_null(strstr(b.p, "\"confidence\": 95"));
	/* Stable ids: the same records give the same bundle. */
	struct buf b2 = BUF_INIT;
	stix_write(&s, "2026-01-01T00:00:00.000Z", &b2);
	assert_string_equal(b.p, b2.p);
	struct reg_set t;
	reg_set_init(&t);
	assert_int_equal(stix_parse(&t, "x.json", b.p, b.len, &n, &errs), 0);
	assert_int_equal(t.n_incidents, 1);
	assert_int_equal(t.n_attrs, 1);
	assert_string_equal(t.attrs[0].id, s.attrs[0].id);
	assert_string_equal(t.attrs[0].party_iso3, "GBR");
	assert_string_equal(t.attrs[0].target_iso3, "RUS");
	assert_string_equal(t.attrs[0].date, "2018-02-15");
	assert_int_equal(t.attrs[0].confidence, 95);
	assert_int_equal(t.attrs[0].refs[0].norm, 'f');
	assert_string_equal(t.incidents[0].victims[0], "UKR");
	reg_set_free(&t);
	buf_free(&b);
	buf_free(&b2);
	reg_set_free(&s);

	const char *bad =
		"{\"type\": \"bundle\", \"id\": \"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d\","
		" \"objects\": ["
		"{\"type\": \"incident\", \"spec_version\": \"2.1\","
		" \"id\": \"incident--5d0092c5-5f74-4287-9642-33f4c354e56d\","
		" \"created\": \"2020-01-01T00:00:00.000Z\", \"modified\": \"2019-01-01T00:00:00.000Z\","
		" \"name\": \"x\"},"
		"{\"type\": \"threat-actor\", \"spec_version\": \"2.1\", \"id\": \"threat-actor--nope\","
		" \"created\": \"2020-01-01T00:00:00.000Z\", \"modified\": \"2020-01-01T00:00:00.000Z\","
		" \"name\": \"y\"},"
		"{\"type\": \"relationship\", \"spec_version\": \"2.1\","
		" \"id\": \"relationship--6d0092c5-5f74-4287-9642-33f4c354e56d\","
		" \"created\": \"2020-01-01T00:00:00Z\", \"modified\": \"2020-01-01T00:00:00.000Z\","
		" \"relationship_type\": \"attributed-to\", \"source_ref\": \"a\", \"target_ref\": \"b\"},"
		"{\"type\": \"intrusion-set\", \"spec_version\": \"2.1\","
		" \"id\": \"intrusion-set--7d0092c5-5f74-4287-9642-33f4c354e56d\","
		" \"created\": \"2020-01-01T00:00:00.000Z\", \"modified\": \"2020-01-01T00:00:00.000Z\","
		" \"name\": \"z\", \"confidence\": 101}]}";
	reg_set_init(&t);
	errs_free(&errs);
	errs_init(&errs, 10);
	assert_int_equal(stix_parse(&t, "bad.json", bad, strlen(bad), &n, &errs),
			 CDG_EINPUT);
	assert_int_equal(errs.total, 4);
	assert_non_null(strstr(errs.v[0].msg, "incident--5d0092c5"));
	assert_string_equal(errs.v[0].field, "modified");
	assert_string_equal(errs.v[1].field, "id");
	assert_string_equal(errs.v[2].field, "created");
	assert_string_equal(errs.v[3].field, "confidence");
	reg_set_free(&t);
	errs_free(&errs);
	reg_names_free(&n);
}

static void misp_actors_with_sponsor_and_confidence(void **state)
{
	(void)state;
	const char *t =
		"{\"values\": ["
		"{\"value\": \"APT1\", \"uuid\": \"5d0092c5-5f74-4287-9642-33f4c354e56d\","
		" \"meta\": {\"cfr-suspected-state-sponsor\": \"Russian Federation\","
		" \"attribution-confidence\": \"50\", \"synonyms\": [\"Comment Crew\"],"
		" \"refs\": [\"https://example.org/a\"]}},"
		"{\"value\": \"V7\", \"uuid\": \"019514dc-c894-751f-8cfd-ff2b932ff451\","
		" \"meta\": {\"cfr-suspected-state-sponsor\": \"Unknown\", \"country\": \"KP\"}},"
		"{\"value\": \"TW\", \"uuid\": \"6d0092c5-5f74-4287-9642-33f4c354e56d\","
		" \"meta\": {\"country\": \"TW\"}}]}";
	struct reg_names n;
	names(&n);
	struct reg_set s;
	reg_set_init(&s);
	struct err_list errs;
	errs_init(&errs, 10);
	assert_int_equal(misp_parse(&s, "m.json", t, strlen(t), &n, &errs), 0);
	assert_int_equal(s.n_actors, 3);
	assert_string_equal(s.actors[0].sponsor_iso3, "RUS");
	assert_int_equal(s.actors[0].confidence, 50);
	assert_int_equal(s.actors[0].n_aliases, 1);
	/* A version-7 UUID becomes a name-based v5 id that STIX accepts. */
	assert_int_equal(s.actors[1].id[14 + 14], '5');
	assert_string_equal(s.actors[1].sponsor_iso3, "PRK");
	assert_null(s.actors[2].sponsor_iso3);
	assert_string_equal(s.actors[2].sponsor, "TW");
	const char *bad = "{\"values\": [{\"value\": \"x\", \"uuid\": \"5d0092c5-5f74-4287-9642-33f4c354e56d\","
			  " \"meta\": {\"attribution-confidence\": \"high\"}}]}";
	reg_set_free(&s);
	reg_set_init(&s);
	assert_int_equal(misp_parse(&s, "m.json", bad, strlen(bad), &n, &errs), CDG_EINPUT);
	reg_set_free(&s);
	errs_free(&errs);
	reg_names_free(&n);
}

/* Found by tests/fuzz/fuzz_registry: a group written by names or alpha-2
 * codes kept that spelling as its name, which its attribution's id is made
 * from, while the CSV export writes the member codes: reading the export
 * back gave another id (a second attribution on re-import). */
/* The evidence file's columns: the statement's own words and their kind
 * kept apart from our mapping; a group named with no State; the date
 * checked kept in the note; a round trip through the CSV export. */
static const char stated_csv[] =
	"incident,incident_date,attributing_party,attributing_iso3,party_kind,"
	"attributed_to,attributed_to_iso3,attributed_actor,attribution_date,"
	"statement_title,stated_words,stated_kind,our_mapping,source_url,checked,"
	"source_note\n"
	"Exchange,2021-03,Netherlands (Kingdom of the),NLD,state,Russian Federation,RUS,,"
	"2021-07-19,S1,\"States should not allow their territory to be used for "
	"malicious cyber activities.\",norm,13(c),https://example.org/1,2026-12-07,"
	"read in full\n"
	"Exchange,2021-03,United Kingdom of Great Britain and Northern Ireland,GBR,state,"
	"Russian Federation,RUS,,2021-07-20,S2,\"a disregard for Ukrainian "
	"sovereignty\",international_law,,https://example.org/2,2026-12-07,\n"
	"Exchange,2021-03,Ukraine,UKR,state,Russian Federation,RUS,,2021-07-21,S3,"
	"uphold international law in cyberspace,international_law,,"
	"https://example.org/3,2026-12-07,\n"
	"Exchange,2021-03,Republic of Korea,KOR,state,,,APT31,2021-07-22,S4,"
	"the agreed framework of responsible State behaviour,framework,13(c);13(f),"
	"https://example.org/4,2026-12-07,\n"
	"Exchange,2021-03,Iran (Islamic Republic of),IRN,state,Russian Federation,RUS,,"
	"2021-07-23,S5,contrary to norm 13(f) of the 2015 report,norm,,"
	"https://example.org/5,2026-12-07,\n"
	"Exchange,2021-03,Democratic People's Republic of Korea,PRK,state,Russian "
	"Federation,RUS,,2021-07-24,S6,,,13(i),https://example.org/6,2026-12-07,\n";

static void csv_keeps_stated_words_apart_from_our_mapping(void **state)
{
	(void)state;
	struct reg_names n;
	names(&n);
	struct reg_set s, s2;
	reg_set_init(&s);
	struct err_list errs;
	errs_init(&errs, 10);
	assert_int_equal(reg_csv_parse(&s, "e.csv", stated_csv, strlen(stated_csv), &n,
				       &errs), 0);
	assert_int_equal(s.n_attrs, 6);
	/* A norm described in the words, its letter ours. */
	const struct reg_attr *nl = &s.attrs[0];
	assert_string_equal(nl->invoked, "States should not allow their territory to "
			    "be used for malicious cyber activities.");
	assert_int_equal(nl->n_refs, 2);
	assert_int_equal(nl->refs[0].kind, REG_COMMITMENT);
	assert_string_equal(nl->refs[0].rule, "norm");
	assert_int_equal(nl->refs[0].norm, 0);
	assert_string_equal(nl->refs[0].text, nl->invoked);
	assert_true(reg_ref_names_breach(nl->refs[0].kind));
	assert_int_equal(nl->refs[1].kind, REG_NORM_MAPPING);
	assert_int_equal(nl->refs[1].norm, 'c');
	assert_false(reg_ref_names_breach(nl->refs[1].kind));
	assert_string_equal(nl->note, "checked 2026-12-07; read in full");
	/* A specific rule of international law, and international law in
	 * general (which does not name the breach). */
	assert_int_equal(s.attrs[1].refs[0].kind, REG_IL);
	assert_string_equal(s.attrs[1].refs[0].rule, "sovereignty");
	assert_int_equal(s.attrs[2].refs[0].kind, REG_GENERAL);
	assert_string_equal(s.attrs[2].refs[0].rule, "international_law");
	assert_false(reg_ref_names_breach(s.attrs[2].refs[0].kind));
	/* A group with no State; the framework; two mappings. */
	const struct reg_attr *kr = &s.attrs[3];
	assert_null(kr->target_iso3);
	assert_string_equal(kr->actor, "APT31");
	assert_int_equal(kr->n_refs, 3);
	assert_int_equal(kr->refs[0].kind, REG_GENERAL);
	assert_null(kr->refs[0].rule);
	assert_int_equal(kr->refs[2].norm, 'f');
	assert_string_equal(kr->note, "checked 2026-12-07");
	/* Words that give the letter themselves: a norm stated. */
	assert_int_equal(s.attrs[4].refs[0].kind, REG_NORM);
	assert_int_equal(s.attrs[4].refs[0].norm, 'f');
	assert_int_equal(s.attrs[4].n_refs, 1);
	/* A mapping without words: not verified. */
	assert_null(s.attrs[5].invoked);
	assert_int_equal(s.attrs[5].n_refs, 1);
	assert_int_equal(s.attrs[5].refs[0].kind, REG_NORM_MAPPING);

	/* The export keeps the kind and the mapping apart, and reads back
	 * as the same references. */
	struct buf out = BUF_INIT, out2 = BUF_INIT;
	reg_csv_write(&s, &out);
	assert_non_null(strstr(out.p, ",note,stated_kind,our_mapping"));
	assert_non_null(strstr(out.p, ",norm,13(c)"));
	assert_non_null(strstr(out.p, ",framework,13(c);13(f)"));
	reg_set_init(&s2);
	assert_int_equal(reg_csv_parse(&s2, "out.csv", out.p, out.len, &n, &errs), 0);
	assert_int_equal(s2.n_attrs, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(s2.attrs[i].id, s.attrs[i].id);
		assert_int_equal(s2.attrs[i].n_refs, s.attrs[i].n_refs);
		for (size_t k = 0; k < s.attrs[i].n_refs; k++) {
			assert_int_equal(s2.attrs[i].refs[k].kind, s.attrs[i].refs[k].kind);
			assert_int_equal(s2.attrs[i].refs[k].norm, s.attrs[i].refs[k].norm);
			assert_string_equal(s2.attrs[i].refs[k].text, s.attrs[i].refs[k].text);
		}
		assert_string_equal(s2.attrs[i].note ? s2.attrs[i].note : "",
				    s.attrs[i].note ? s.attrs[i].note : "");
	}
	reg_csv_write(&s2, &out2);
	assert_string_equal(out.p, out2.p);
	buf_free(&out);
	buf_free(&out2);
	reg_set_free(&s2);
	reg_set_free(&s);
	errs_free(&errs);
	reg_names_free(&n);
}

static void csv_stated_columns_are_checked(void **state)
{
	(void)state;
	const char *t =
		"incident,incident_date,attributing_party,attributed_to,attribution_date,"
		"statement_title,stated_words,stated_kind,our_mapping,source_url,checked\n"
		"A,2020,GBR,RUS,2021,t,some words,treaty,,https://x.org,2026-01-01\n"
		"A,2020,GBR,RUS,2021-02,t,some words,,,https://x.org,2026-01-01\n"
		"A,2020,GBR,RUS,2021-03,t,,norm,,https://x.org,2026-01-01\n"
		"A,2020,GBR,RUS,2021-04,t,,,13(l),https://x.org,2026-01-01\n"
		"A,2020,GBR,RUS,2021-05,t,,,f,https://x.org,2026-01-01\n"
		"A,2020,GBR,RUS,2099-01-01,t,,,,https://x.org,2026-01-01\n"
		"A,2020,GBR,RUS,2021-06,t,,,,https://x.org,2099-12-31\n"
		"B,2099,GBR,RUS,2021-07,t,,,,https://x.org,\n"
		"A,2020,GBR,,2021-08,t,,,,https://x.org,\n";
	static const struct want_fault want[] = {
		{2, "stated_kind", "\"treaty\" is not norm"},
		{3, "stated_kind", "need their kind"},
		{4, "stated_words", "needs the quoted words"},
		{5, "our_mapping", "\"13(l)\" is not a GGE 2015 norm"},
		{6, "our_mapping", "\"f\" is not a GGE 2015 norm"},
		{7, "attribution_date", "2099-01-01 is in the future"},
		{8, "checked", "2099-12-31 is in the future"},
		{9, "incident_date", "2099 is in the future"},
		{10, "attributed_to", "unknown state \"\""},
	};
	expect_faults(t, want, sizeof want / sizeof want[0]);
}

static void csv_groups_are_named_by_their_codes(void **state)
{
	(void)state;
	const char *t =
		"incident,incident_date,attributing_party,attributed_to,"
		"attribution_date,statement_title,norm_or_law_invoked,source_url\n"
		"NotPetya,2017-06-27,Netherlands + UK,Russia,2018-10-04,Joint,,"
		"https://example.org/j\n"
		"NotPetya,2017-06-27,NL+GB+UA,Russia,2018-10-05,Joint 2,,"
		"https://example.org/k\n";
	struct reg_names n;
	names(&n);
	struct reg_set s, s2;
	reg_set_init(&s);
	struct err_list errs;
	errs_init(&errs, 10);
	assert_int_equal(reg_csv_parse(&s, "g.csv", t, strlen(t), &n, &errs), 0);
	assert_string_equal(s.attrs[0].party_kind, "state_group");
	assert_string_equal(s.attrs[0].party_name, "NLD+GBR");
	assert_string_equal(s.attrs[1].party_name, "NLD+GBR+UKR");
	struct buf out = BUF_INIT;
	reg_csv_write(&s, &out);
	reg_set_init(&s2);
	assert_int_equal(reg_csv_parse(&s2, "out.csv", out.p, out.len, &n, &errs), 0);
	assert_int_equal(s2.n_attrs, 2);
	for (size_t i = 0; i < 2; i++)
		assert_string_equal(s2.attrs[i].id, s.attrs[i].id);
	buf_free(&out);
	reg_set_free(&s2);
	reg_set_free(&s);
	errs_free(&errs);
	reg_names_free(&n);
}

/* Found by tests/fuzz/fuzz_stix: a relationship's start_time (or, without
 * one, the published of a report that failed its checks) shorter than a
 * date was copied as ten bytes, reading past the string. */
static void stix_short_timestamps_are_faults(void **state)
{
	(void)state;
	static const char head[] =
		"{\"type\": \"bundle\", \"id\": \"bundle--1f6e7a66-3a35-58c9-abc4-13ec1389dea8\","
		" \"objects\": ["
		"{\"type\": \"incident\", \"id\": \"incident--97c5be22-3d33-5295-9443-4d59d490f051\","
		" \"created\": \"2026-01-01T00:00:00.000Z\", \"modified\": \"2026-01-01T00:00:00.000Z\","
		" \"name\": \"NotPetya\"},"
		"{\"type\": \"intrusion-set\", \"id\": \"intrusion-set--5d0092c5-5f74-4287-9642-33f4c354e56d\","
		" \"created\": \"2026-01-01T00:00:00.000Z\", \"modified\": \"2026-01-01T00:00:00.000Z\","
		" \"name\": \"Sandworm\"},"
		"{\"type\": \"relationship\", \"id\": \"relationship--69dde291-7fe8-5fdc-84d3-83f3d4cfd285\","
		" \"created\": \"2026-01-01T00:00:00.000Z\", \"modified\": \"2026-01-01T00:00:00.000Z\","
		" \"relationship_type\": \"attributed-to\","
		" \"source_ref\": \"incident--97c5be22-3d33-5295-9443-4d59d490f051\","
		" \"target_ref\": \"intrusion-set--5d0092c5-5f74-4287-9642-33f4c354e56d\"";
	static const char report[] =
		"{\"type\": \"report\", \"id\": \"report--63a55701-de5d-5c85-ac80-4eeb2ec62632\","
		" \"created\": \"2026-01-01T00:00:00.000Z\", \"modified\": \"2026-01-01T00:00:00.000Z\","
		" \"name\": \"r\", \"published\": \"%s\","
		" \"object_refs\": [\"relationship--69dde291-7fe8-5fdc-84d3-83f3d4cfd285\"]}";
	struct reg_names n;
	names(&n);
	struct err_list errs;
	errs_init(&errs, 10);
	struct reg_set s;

	struct buf b = BUF_INIT;
	buf_addf(&b, "%s, \"start_time\": \"2018\"}]}", head);
	reg_set_init(&s);
	assert_int_equal(stix_parse(&s, "t.json", b.p, b.len, &n, &errs), CDG_EINPUT);
	assert_int_equal(errs.total, 1);
	assert_string_equal(errs.v[0].field, "start_time");
	reg_set_free(&s);

	buf_reset(&b);
	buf_addf(&b, "%s}, ", head);
	buf_addf(&b, report, "2018");
	buf_adds(&b, "]}");
	reg_set_init(&s);
	assert_int_equal(stix_parse(&s, "t.json", b.p, b.len, &n, &errs), CDG_EINPUT);
	assert_int_equal(errs.total, 2);
	assert_string_equal(errs.v[1].field, "published");
	reg_set_free(&s);

	/* A good start_time gives the attribution its day. */
	buf_reset(&b);
	buf_addf(&b, "%s, \"start_time\": \"2018-02-15T00:00:00Z\"}]}", head);
	reg_set_init(&s);
	assert_int_equal(stix_parse(&s, "t.json", b.p, b.len, &n, &errs), 0);
	assert_int_equal(s.n_attrs, 1);
	assert_string_equal(s.attrs[0].date, "2018-02-15");
	reg_set_free(&s);
	buf_free(&b);
	errs_free(&errs);
	reg_names_free(&n);
}

/* Found by tests/fuzz/fuzz_registry: registry JSON took any actor or
 * incident id, and the STIX export then wrote ids that are not STIX ids
 * (a bundle that neither validates nor reads back). */
static void json_ids_must_be_stix_ids(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"{\"format\": \"cdg-registry/1\", \"actors\": [{\"id\": "
		"\"intrusion-set--5d0092cu-5f74-4287-9642-33f4c354e56d\", "
		"\"kind\": \"intrusion-set\", \"name\": \"Sandworm\"}]}",
		"{\"format\": \"cdg-registry/1\", \"actors\": [{\"id\": "
		"\"threat-actor--5d0092c5-5f74-4287-9642-33f4c354e56d\", "
		"\"kind\": \"intrusion-set\", \"name\": \"Sandworm\"}]}",
		"{\"format\": \"cdg-registry/1\", \"incidents\": [{\"id\": \"grid-1\", "
		"\"incident\": \"Grid attack\"}]}",
	};
	static const char good[] =
		"{\"format\": \"cdg-registry/1\", \"actors\": [{\"id\": "
		"\"intrusion-set--5d0092c5-5f74-4287-9642-33f4c354e56d\", "
		"\"kind\": \"intrusion-set\", \"name\": \"Sandworm\"}], "
		"\"incidents\": [{\"id\": \"97c5be22-3d33-5295-9443-4d59d490f051\", "
		"\"incident\": \"A\"}, {\"id\": \"campaign--e5268b6e-4931-42f1-b379-87f48eb41b1e\", "
		"\"incident\": \"B\"}]}";
	struct reg_names n;
	names(&n);
	struct err_list errs;
	struct reg_set s;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errs_init(&errs, 10);
		reg_set_init(&s);
		assert_int_equal(reg_json_parse(&s, "r.json", bad[i], strlen(bad[i]), &n,
						&errs), CDG_EINPUT);
		assert_int_equal(errs.total, 1);
		assert_string_equal(errs.v[0].field, "id");
		reg_set_free(&s);
		errs_free(&errs);
	}
	errs_init(&errs, 10);
	reg_set_init(&s);
	assert_int_equal(reg_json_parse(&s, "r.json", good, strlen(good), &n, &errs), 0);
	struct buf b = BUF_INIT;
	stix_write(&s, "2026-01-01T00:00:00.000Z", &b);
	struct reg_set t;
	reg_set_init(&t);
	assert_int_equal(stix_parse(&t, "x.json", b.p, b.len, &n, &errs), 0);
	assert_int_equal(t.n_incidents, 2);
	assert_int_equal(t.n_actors, 1);
	reg_set_free(&t);
	buf_free(&b);
	reg_set_free(&s);
	errs_free(&errs);
	reg_names_free(&n);
}

static void uuids_are_name_based_and_stable(void **state)
{
	(void)state;
	char a[37], b[37], c[37];
	reg_uuid("incident", "WannaCry", a);
	reg_uuid("incident", "WannaCry", b);
	reg_uuid("incident", "NotPetya", c);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_int_equal(a[14], '5');
	assert_true(strchr("89ab", a[19]) != NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(norm_references_are_read_as_written),
		cmocka_unit_test(confidence_scale),
		cmocka_unit_test(dates_compare_by_what_they_can_mean),
		cmocka_unit_test(names_and_codes_resolve),
		cmocka_unit_test(csv_reads_parties_targets_and_norms),
		cmocka_unit_test(csv_lists_every_fault_with_its_line),
		cmocka_unit_test(json_round_trips_full_records),
		cmocka_unit_test(stix_round_trips_and_rejects_broken_objects),
		cmocka_unit_test(misp_actors_with_sponsor_and_confidence),
		cmocka_unit_test(csv_groups_are_named_by_their_codes),
		cmocka_unit_test(csv_keeps_stated_words_apart_from_our_mapping),
		cmocka_unit_test(csv_stated_columns_are_checked),
		cmocka_unit_test(stix_short_timestamps_are_faults),
		cmocka_unit_test(json_ids_must_be_stix_ids),
		cmocka_unit_test(uuids_are_name_based_and_stable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
