/* The capacity engine on cases built so that the right answer is known. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capacity/capacity.h"
#include "formats/formats.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *ken[] = {"KEN"};
static const char *ken_gha[] = {"KEN", "GHA"};
static const char *gha[] = {"GHA"};
static const char *cdg2[] = {"CDG2"};
static const char *cdg3[] = {"CDG3"};
static const char *cdg2_3[] = {"CDG2", "CDG3"};
static const char *norm_h[] = {"h"};
static const char *norms_cdg2[] = {"g", "h"};
static const char *donor_a[] = {"Donor A"};
static const char *donor_ab[] = {"Donor B", "Donor A"};

static struct cap_initiative mk(const char *id, const char **states, size_t ns,
				const char **goals, size_t ng, const char *start,
				const char *end, const char *status)
{
	struct cap_initiative in;
	memset(&in, 0, sizeof in);
	in.id = id;
	in.title = id;
	in.states = states;
	in.n_states = ns;
	in.goals = goals;
	in.n_goals = ng;
	in.start = start;
	in.end = end;
	in.status = status;
	in.budget = NAN;
	in.donors = donor_a;
	in.n_donors = 1;
	return in;
}

static void test_days(void **st)
{
	(void)st;
	assert_true(cap_day_first("2020") == cap_day_first("2020-01-01"));
	assert_true(cap_day_last("2020") == cap_day_last("2020-12-31"));
	assert_true(cap_day_last("2020-02") == cap_day_first("2020-02-29"));
	assert_true(cap_day_last("2021-02") == cap_day_first("2021-02-28"));
	assert_true(cap_day_first("2021-01-01") - cap_day_last("2020-12-31") == 1);
	assert_true(cap_day_first("2000-03-01") - cap_day_first("2000-02-28") == 2);
	assert_true(cap_day_first(NULL) < cap_day_first("1900"));
	assert_true(cap_day_last(NULL) > cap_day_last("2999"));
}

static void test_addresses(void **st)
{
	(void)st;
	struct cap_gap g = {"KEN", "CDG2", "CDG2.1.1", 1, norms_cdg2, 2};
	struct cap_initiative in = mk("i", ken, 1, cdg2, 1, "2020", NULL, "ongoing");
	assert_true(cap_addresses(&in, &g, 2026));
	/* Another state: no. */
	g.iso3 = "GHA";
	assert_false(cap_addresses(&in, &g, 2026));
	/* Global initiatives benefit every state. */
	in.global = true;
	assert_true(cap_addresses(&in, &g, 2026));
	in.global = false;
	g.iso3 = "KEN";
	/* Another goal: no; a norm the goal serves: yes. */
	in.goals = cdg3;
	assert_false(cap_addresses(&in, &g, 2026));
	in.norms = norm_h;
	in.n_norms = 1;
	assert_true(cap_addresses(&in, &g, 2026));
	/* Ended before the year of the gaps: no; ended within it: yes. */
	in.end = "2025-12-31";
	assert_false(cap_addresses(&in, &g, 2026));
	in.end = "2026-01";
	assert_true(cap_addresses(&in, &g, 2026));
	/* Cancelled: no. */
	in.status = "cancelled";
	assert_false(cap_addresses(&in, &g, 2026));
	/* A region label alone matches nothing. */
	static const char *west[] = {"West Africa"};
	struct cap_initiative r = mk("r", NULL, 0, cdg2, 1, NULL, NULL, "ongoing");
	r.regions = west;
	r.n_regions = 1;
	assert_false(cap_addresses(&r, &g, 2026));
}

static void test_unserved(void **st)
{
	(void)st;
	/* Three states share a CDG3 gap, two a CDG2 gap; KEN's CDG2 gap is
	 * served, GHA's no-data CDG2 gap is left out at max priority 3. */
	struct cap_gap gaps[] = {
		{"KEN", "CDG2", "CDG2.1.1", 1, norms_cdg2, 2},
		{"GHA", "CDG2", "CDG2.1.1", 4, norms_cdg2, 2},
		{"NGA", "CDG2", "CDG2.1.1", 2, norms_cdg2, 2},
		{"SEN", "CDG2", "CDG2.1.1", 3, norms_cdg2, 2},
		{"KEN", "CDG3", "CDG3.1.1", 2, NULL, 0},
		{"GHA", "CDG3", "CDG3.1.1", 2, NULL, 0},
		{"NGA", "CDG3", "CDG3.1.1", 3, NULL, 0},
	};
	struct cap_initiative ins[] = {mk("i", ken, 1, cdg2, 1, NULL, NULL, "ongoing")};
	struct cap_unserved *u;
	size_t n = cap_unserved(gaps, N(gaps), ins, N(ins), 2026, 3, NULL, &u);
	assert_int_equal(n, 2);
	assert_string_equal(u[0].indicator, "CDG3.1.1");
	assert_int_equal(u[0].n_states, 3);
	assert_int_equal(u[0].worst, 2);
	assert_string_equal(u[1].indicator, "CDG2.1.1");
	assert_int_equal(u[1].n_states, 2);
	assert_string_equal(u[1].states[0], "NGA");
	assert_string_equal(u[1].states[1], "SEN");
	assert_int_equal(u[1].worst, 2);
	cap_unserved_free(u, n);
	/* With no-data gaps, GHA joins CDG2.1.1: a tie at 3 broken by the
	 * worst priority (both 2), then the indicator id. */
	n = cap_unserved(gaps, N(gaps), ins, N(ins), 2026, 4, NULL, &u);
	assert_int_equal(n, 2);
	assert_string_equal(u[0].indicator, "CDG2.1.1");
	assert_int_equal(u[0].n_states, 3);
	assert_string_equal(u[1].indicator, "CDG3.1.1");
	cap_unserved_free(u, n);
	/* --goal keeps one goal. */
	n = cap_unserved(gaps, N(gaps), ins, N(ins), 2026, 3, "CDG2", &u);
	assert_int_equal(n, 1);
	assert_string_equal(u[0].goal, "CDG2");
	cap_unserved_free(u, n);
	/* A global initiative on both goals serves everything. */
	ins[0].global = true;
	ins[0].goals = cdg2_3;
	ins[0].n_goals = 2;
	n = cap_unserved(gaps, N(gaps), ins, N(ins), 2026, 4, NULL, &u);
	assert_int_equal(n, 0);
	cap_unserved_free(u, n);
}

static void test_overlap(void **st)
{
	(void)st;
	struct cap_initiative a = mk("a", ken_gha, 2, cdg2_3, 2, "2020-01", "2022-06", "ongoing");
	struct cap_initiative b = mk("b", ken, 1, cdg2, 1, "2022-06-30", NULL, "planned");
	struct cap_overlap o;
	assert_true(cap_overlaps(&a, &b, &o));
	assert_int_equal(o.n_states, 1);
	assert_string_equal(o.states[0], "KEN");
	assert_int_equal(o.n_goals, 1);
	assert_string_equal(o.goals[0], "CDG2");
	assert_true(o.from == cap_day_first("2022-06-30"));
	assert_true(o.to == cap_day_last("2022-06-30"));
	free(o.states);
	free(o.goals);
	/* One day later: no shared day. */
	b.start = "2022-07-01";
	assert_false(cap_overlaps(&a, &b, NULL));
	b.start = "2021";
	/* No shared state. */
	b.states = gha;
	assert_true(cap_overlaps(&a, &b, NULL));
	struct cap_initiative c = mk("c", ken, 1, cdg2, 1, NULL, NULL, "ongoing");
	assert_false(cap_overlaps(&b, &c, NULL));
	/* No shared goal. */
	c.states = gha;
	c.goals = cdg3;
	assert_false(cap_overlaps(&b, &c, NULL));
	/* Cancelled never overlaps. */
	c.goals = cdg2;
	assert_true(cap_overlaps(&b, &c, NULL));
	c.status = "cancelled";
	assert_false(cap_overlaps(&b, &c, NULL));
	/* A global initiative shares the other's listed states. */
	c = mk("c", NULL, 0, cdg2, 1, NULL, NULL, "ongoing");
	c.global = true;
	assert_true(cap_overlaps(&c, &b, &o));
	assert_int_equal(o.n_states, 1);
	assert_string_equal(o.states[0], "GHA");
	free(o.states);
	free(o.goals);
}

static void test_duplication(void **st)
{
	(void)st;
	/* a~b (KEN, CDG2, 2021), b~c (GHA? no: KEN, CDG2, 2024) chain into
	 * one group; d overlaps e only; f overlaps nothing (other goal). */
	struct cap_initiative ins[] = {
		mk("a", ken, 1, cdg2, 1, "2020", "2021", "completed"),
		mk("b", ken, 1, cdg2, 1, "2021-06", "2024", "ongoing"),
		mk("d", gha, 1, cdg3, 1, "2022", "2023", "ongoing"),
		mk("c", ken, 1, cdg2, 1, "2024-12", NULL, "planned"),
		mk("e", ken_gha, 2, cdg3, 1, "2023-12", NULL, "planned"),
		mk("f", ken, 1, cdg3, 1, "2010", "2011", "completed"),
	};
	struct cap_group *g;
	size_t n = cap_duplication(ins, N(ins), &g);
	assert_int_equal(n, 2);
	assert_int_equal(g[0].n_members, 3);
	assert_int_equal(g[0].members[0], 0);
	assert_int_equal(g[0].members[1], 1);
	assert_int_equal(g[0].members[2], 3);
	assert_int_equal(g[0].n_pairs, 2); /* a-b and b-c; a and c do not overlap */
	assert_int_equal(g[1].n_members, 2);
	assert_int_equal(g[1].members[0], 2);
	assert_int_equal(g[1].members[1], 4);
	assert_int_equal(g[1].n_pairs, 1);
	assert_string_equal(g[1].pairs[0].states[0], "GHA");
	cap_groups_free(g, n);
	/* Nothing overlaps: no groups. */
	n = cap_duplication(ins + 5, 1, &g);
	assert_int_equal(n, 0);
	cap_groups_free(g, n);
}

static void test_parties(void **st)
{
	(void)st;
	struct cap_initiative ins[] = {
		mk("a", ken, 1, cdg2, 1, NULL, NULL, "ongoing"),
		mk("b", ken, 1, cdg2, 1, NULL, NULL, "ongoing"),
	};
	ins[1].donors = donor_ab;
	ins[1].n_donors = 2;
	struct cap_party *p;
	size_t n = cap_parties(ins, 2, false, &p);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].name, "Donor A");
	assert_int_equal(p[0].n_inits, 2);
	assert_string_equal(p[1].name, "Donor B");
	assert_int_equal(p[1].n_inits, 1);
	assert_int_equal(p[1].inits[0], 1);
	cap_parties_free(p, n);
	n = cap_parties(ins, 2, true, &p);
	assert_int_equal(n, 0);
	cap_parties_free(p, n);
}

/* ---- parsers (formats/capacity.c) ---------------------------------------------- */

static int present = 1;

struct known_sets {
	struct strmap states, goals, norms;
	struct cap_known k;
};

static void known_init(struct known_sets *ks)
{
	strmap_init(&ks->states);
	strmap_init(&ks->goals);
	strmap_init(&ks->norms);
	strmap_put(&ks->states, "FRA", &present);
	strmap_put(&ks->states, "KEN", &present);
	strmap_put(&ks->goals, "CDG2", &present);
	strmap_put(&ks->norms, "h", &present);
	ks->k = (struct cap_known){&ks->states, &ks->goals, &ks->norms, NULL, NULL};
}

static void known_free(struct known_sets *ks)
{
	strmap_free(&ks->states);
	strmap_free(&ks->goals);
	strmap_free(&ks->norms);
}

static void test_currency(void **st)
{
	(void)st;
	assert_true(fmt_currency_ok("EUR"));
	assert_true(fmt_currency_ok("KES"));
	assert_false(fmt_currency_ok("EUX"));
	assert_false(fmt_currency_ok("eur"));
	assert_false(fmt_currency_ok("EURO"));
	assert_false(fmt_currency_ok(""));
}

static void test_csv_parse(void **st)
{
	(void)st;
	struct known_sets ks;
	known_init(&ks);
	static const char ok_csv[] =
		"id,title,donors,beneficiaries,goals,norms,start_date,end_date,budget,currency,status,source_url\r\n"
		"A,t,D1; D2 ,FRA;region:West Africa;GLOBAL,CDG2,h,2020-02,2020-02-29,12.5,EUR,ongoing,https://x.org\r\n";
	struct cap_set s;
	cap_set_init(&s);
	struct err_list errs;
	errs_init(&errs, 10);
	assert_int_equal(cap_csv_parse(&s, "t.csv", ok_csv, sizeof ok_csv - 1, &ks.k, &errs), 0);
	assert_int_equal(s.n, 1);
	const struct cap_initiative *in = &s.v[0];
	assert_int_equal(in->n_donors, 2);
	assert_string_equal(in->donors[1], "D2");
	assert_true(in->global);
	assert_int_equal(in->n_states, 1);
	assert_int_equal(in->n_regions, 1);
	assert_string_equal(in->regions[0], "West Africa");
	assert_true(in->budget == 12.5);
	assert_int_equal(in->line, 2);
	cap_set_free(&s);
	/* Every fault of a row, each with its field. */
	static const char bad_csv[] =
		"id,title,donors,beneficiaries,goals,start_date,end_date,budget,currency,status,source_url\n"
		"B,t,D,XYZ,CDG9,2021,2020,-1,EUX,done,ftp://x\n";
	cap_set_init(&s);
	assert_int_equal(cap_csv_parse(&s, "b.csv", bad_csv, sizeof bad_csv - 1, &ks.k, &errs), CDG_EINPUT);
	const char *fields[] = {"beneficiaries", "goals", "end_date", "budget", "currency",
				"status", "source_url"};
	assert_int_equal(errs.total, 7);
	for (size_t i = 0; i < 7; i++) {
		assert_string_equal(errs.v[i].field, fields[i]);
		assert_int_equal(errs.v[i].line, 2);
	}
	cap_set_free(&s);
	errs_free(&errs);
	known_free(&ks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_unserved),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_duplication),
		cmocka_unit_test(test_parties),
		cmocka_unit_test(test_currency),
		cmocka_unit_test(test_csv_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
