/* cdg dashboard and cdg gaps: progress of a state against the CDGs. */
#include "cli/cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "formats/formats.h"

const char cmd_dashboard_usage[] =
	"cdg dashboard ISO3 [--year Y] [--json]\n\n"
	"The SDG-style dashboard of a state: for each Cyber Development Goal a\n"
	"rating (achieved / challenges remain / significant challenges / major\n"
	"challenges / no data) and a trend (on track / moderately improving /\n"
	"stagnating / decreasing), with the indicators that drive them: latest\n"
	"value up to year Y (default: this year), its score, source and whether it\n"
	"is synthetic demo data.  The thresholds are in docs/dashboards.md.\n";

const char cmd_gaps_usage[] =
	"cdg gaps ISO3 [--year Y] [--json]\n"
	"       cdg gaps --all [--year Y] [--csv|--json]\n\n"
	"What a state lacks against the CDG minimum framework: every indicator\n"
	"whose target is not met, or that has no value yet, by priority (1 major\n"
	"challenges, 2 significant, 3 challenges remain, 4 no data), with the\n"
	"evidence behind the value and the capacity-building needs the state\n"
	"reported in its latest survey response for that goal.  --all lists the\n"
	"gaps of every state; --csv writes one row per gap.\n";

/* Reads --year and the flags both commands take. */
static int parse(struct cli_opts *o, const char *cmd, long *year, bool *all,
		 bool *csv, struct cdg_err *e)
{
	*year = 0;
	if (all)
		*all = false;
	if (csv)
		*csv = false;
	for (int i = 0; i < o->nrest; i++) {
		const char *a = o->rest[i];
		if (strcmp(a, "--year") == 0) {
			if (i + 1 >= o->nrest || parse_long(o->rest[i + 1], 1990, 2100, year))
				return cli_usage(e, cmd, "--year wants a year");
			i++;
		} else if (strcmp(a, "--all") == 0 && all) {
			*all = true;
		} else if (strcmp(a, "--csv") == 0 && csv) {
			*csv = true;
		} else if (a[0] == '-') {
			return cli_usage(e, cmd, "unknown option \"%s\"", a);
		}
	}
	return 0;
}

/* The ISO3 argument (positional arguments minus the --year value). */
static const char *state_arg(struct cli_opts *o)
{
	for (int i = 0; i < o->nargs; i++) {
		bool is_year_value = false;
		for (int k = 0; k + 1 < o->nrest; k++)
			if (strcmp(o->rest[k], "--year") == 0 && o->rest[k + 1] == o->args[i])
				is_year_value = true;
		if (!is_year_value)
			return o->args[i];
	}
	return NULL;
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

void cli_print_forum_monitor(json_t *f, bool always)
{
	json_t *sum = json_object_get(f, "summary"), *g;
	size_t i;
	if (!always && json_integer_value(json_object_get(sum, "agreed")) == 0)
		return;
	printf("%sForum actions (docs/forum.md), as of %s: %lld agreed, %lld done, "
	       "%lld in progress, %lld not started, %lld overdue\n", always ? "" : "\n",
	       js(f, "today"), (long long)json_integer_value(json_object_get(sum, "agreed")),
	       (long long)json_integer_value(json_object_get(sum, "done")),
	       (long long)json_integer_value(json_object_get(sum, "in_progress")),
	       (long long)json_integer_value(json_object_get(sum, "not_started")),
	       (long long)json_integer_value(json_object_get(sum, "overdue")));
	json_array_foreach(json_object_get(f, "actions"), i, g)
		printf("  A%-4lld %-12s due %s%s  %s (%s)\n",
		       (long long)json_integer_value(json_object_get(g, "id")),
		       js(g, "status"), js(g, "deadline"),
		       json_is_true(json_object_get(g, "overdue")) ? " OVERDUE" : "",
		       js(g, "title"), js(g, "owner_name"));
}

static void print_dashboard(json_t *root)
{
	printf("%s, %lld%s\n", js(root, "country"),
	       (long long)json_integer_value(json_object_get(root, "year")),
	       json_is_true(json_object_get(root, "synthetic_data"))
		       ? "  ** includes SYNTHETIC demo data **" : "");
	json_t *cv = json_object_get(root, "coverage");
	if (cv)
		printf("%lld of %lld indicators have a value: %lld from desk research, "
		       "%lld self-reported, %lld derived\n",
		       (long long)json_integer_value(json_object_get(cv, "with_data")),
		       (long long)json_integer_value(json_object_get(cv, "indicators")),
		       (long long)json_integer_value(json_object_get(cv, "desk_research")),
		       (long long)json_integer_value(json_object_get(cv, "self_reported")),
		       (long long)json_integer_value(json_object_get(cv, "derived")));
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(root, "goals"), i, g) {
		printf("\n%-6s %-24s %-22s %s  (%lld/%lld indicators with data)\n",
		       js(g, "id"), js(g, "rating"), js(g, "trend"), js(g, "title"),
		       (long long)json_integer_value(json_object_get(g, "indicators_with_data")),
		       (long long)json_integer_value(json_object_get(g, "indicator_count")));
		size_t k;
		json_t *d;
		json_array_foreach(json_object_get(g, "indicators"), k, d) {
			json_t *v = json_object_get(d, "value");
			char val[64] = "-";
			if (v)
				snprintf(val, sizeof val, "%g (%lld)", json_number_value(v),
					 (long long)json_integer_value(json_object_get(d, "value_year")));
			const char *st = json_string_value(json_object_get(d, "source_type"));
			printf("  %-10s %-22s %-20s %-14s %s%s%s%s\n", js(d, "id"),
			       js(d, "rating"), js(d, "trend"), val, js(d, "name"),
			       st ? " [" : "", st ? st : "", st ? "]" : "");
			if (json_is_true(json_object_get(d, "synthetic")))
				printf("  %-10s SYNTHETIC demo value\n", "");
		}
	}
	cli_print_forum_monitor(json_object_get(root, "forum"), false);
}

int cmd_dashboard(struct cli_opts *o, struct cdg_err *e)
{
	long year;
	int rc = parse(o, "dashboard", &year, NULL, NULL, e);
	if (rc)
		return rc;
	const char *iso3 = state_arg(o);
	if (!iso3)
		return cli_usage(e, "dashboard", "give a state's ISO3 code");
	struct app a;
	rc = cli_open(o, &a, false, e);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, true);
	rc = app_dashboard_json(&a, iso3, year, &w, e);
	if (rc == 0 && o->json) {
		cli_print(&b);
	} else if (rc == 0) {
		json_t *root = json_loads(b.p, 0, NULL);
		print_dashboard(root);
		json_decref(root);
	}
	buf_free(&b);
	app_close(&a);
	return rc;
}

int cmd_gaps(struct cli_opts *o, struct cdg_err *e)
{
	long year;
	bool all, csv;
	int rc = parse(o, "gaps", &year, &all, &csv, e);
	if (rc)
		return rc;
	const char *iso3 = state_arg(o);
	if (all && iso3)
		return cli_usage(e, "gaps", "give a state or --all, not both");
	if (!all && !iso3)
		return cli_usage(e, "gaps", "give a state's ISO3 code, or --all");
	struct app a;
	rc = cli_open(o, &a, false, e);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	if (csv) {
		rc = app_gaps_csv(&a, all ? NULL : iso3, year, &b, e);
		if (rc == 0)
			fwrite(b.p, 1, b.len, stdout);
	} else {
		struct jw w;
		jw_init(&w, &b, true);
		rc = app_gaps_json(&a, all ? NULL : iso3, year, &w, e);
		if (rc == 0 && o->json) {
			cli_print(&b);
		} else if (rc == 0) {
			json_t *root = json_loads(b.p, 0, NULL);
			size_t i;
			json_t *g;
			json_array_foreach(json_object_get(root, "gaps"), i, g) {
				printf("%s P%lld %-10s %-22s %s%s\n", js(g, "country"),
				       (long long)json_integer_value(json_object_get(g, "priority")),
				       js(g, "indicator"), js(g, "status"), js(g, "name"),
				       json_is_true(json_object_get(g, "synthetic")) ? " [SYNTHETIC]" : "");
				size_t k;
				json_t *n;
				json_array_foreach(json_object_get(g, "capacity_needs"), k, n)
					if (*js(n, "needs"))
						printf("      needs (%s): %s\n", js(n, "question"),
						       js(n, "needs"));
			}
			json_decref(root);
		}
	}
	buf_free(&b);
	app_close(&a);
	return rc;
}
