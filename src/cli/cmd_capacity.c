/* cdg capacity: capacity-building initiatives matched to gaps. */
#include "cli/cli.h"

#include <jansson.h>
#include <string.h>

#include "app/app.h"
#include "formats/formats.h"

const char cmd_capacity_usage[] =
	"cdg capacity import FILE [--delimiter ';'|tab] [--json]\n"
	"       cdg capacity list [--json]\n"
	"       cdg capacity export [--format csv|json] [--out FILE]\n"
	"       cdg capacity match ISO3 [--year Y] [--json]\n"
	"       cdg capacity unserved [--goal G] [--year Y] [--no-data] [--csv|--json]\n"
	"       cdg capacity duplication [--json]\n"
	"       cdg capacity donors [NAME] [--json]\n"
	"       cdg capacity implementers [NAME] [--json]\n\n"
	"Capacity-building initiatives and the gaps they address (docs/capacity.md).\n"
	"import reads a CSV (id,title,donors,implementers,beneficiaries,goals,norms,\n"
	"start_date,end_date,budget,currency,status,source_url[,synthetic,note];\n"
	"lists separated by ';'; a beneficiary is an ISO3 code, region:NAME or\n"
	"GLOBAL) or a capacity JSON file (\"format\": \"cdg-capacity/1\").  Every\n"
	"record is checked (unknown state, goal or norm, bad or reversed dates,\n"
	"negative budget, currency not ISO 4217, duplicate id, malformed CSV,\n"
	"invalid UTF-8); on any fault all are listed as FILE:LINE: field X:\n"
	"reason, nothing is written and the exit status is 3.  Importing an id\n"
	"again revises it.  Writes need the editor or secretariat role.\n"
	"--delimiter reads a CSV whose fields are separated by ';' or tabs (a\n"
	"spreadsheet's CSV in a locale with a decimal comma; such a header is\n"
	"refused without it); a budget written \"1500,50\" is refused.\n\n"
	"match: the state's gaps (as cdg gaps reports them), each with the\n"
	"initiatives that address it, and the gaps nothing addresses.\n"
	"unserved: across all states, gaps no initiative addresses, ordered by\n"
	"how many states share them (gaps without data only with --no-data).\n"
	"duplication: initiatives that overlap (a shared beneficiary state, a\n"
	"shared goal and a shared day), grouped.\n"
	"donors, implementers: what each funds or runs, where, against which\n"
	"goals, with budgets summed per currency.  SYNTHETIC records are marked.\n";

/* Option values after the subcommand: --name VALUE pairs and flags. */
struct opts {
	const char *pos;          /* the one positional argument, or NULL */
	const char *goal, *format, *out;
	long year;
	bool csv, no_data;
	char sep;                 /* import: --delimiter (',' by default) */
};

static int parse(struct cli_opts *o, struct opts *p, int max_pos,
		 struct cdg_err *e)
{
	memset(p, 0, sizeof *p);
	int npos = 0;
	for (int i = 1; i < o->nrest; i++) {
		const char *a = o->rest[i];
		const char *v = i + 1 < o->nrest ? o->rest[i + 1] : NULL;
		if (strcmp(a, "--csv") == 0) {
			p->csv = true;
		} else if (strcmp(a, "--no-data") == 0) {
			p->no_data = true;
		} else if (strcmp(a, "--goal") == 0 || strcmp(a, "--format") == 0 ||
			   strcmp(a, "--out") == 0 || strcmp(a, "--year") == 0) {
			if (!v)
				return cli_usage(e, "capacity", "%s needs a value", a);
			if (strcmp(a, "--goal") == 0)
				p->goal = v;
			else if (strcmp(a, "--format") == 0)
				p->format = v;
			else if (strcmp(a, "--out") == 0)
				p->out = v;
			else if (parse_long(v, 1990, 2100, &p->year) != 0)
				return cli_usage(e, "capacity", "--year wants a year");
			i++;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage(e, "capacity", "unknown option \"%s\"", a);
		} else if (npos++ < max_pos) {
			p->pos = a;
		} else {
			return cli_usage(e, "capacity", "unexpected argument \"%s\"", a);
		}
	}
	return 0;
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void print_init_ref(json_t *in, const char *indent)
{
	const char *from = js(in, "start_date"), *to = js(in, "end_date");
	printf("%s%s  %s [%s%s%s, %s]%s\n", indent, js(in, "id"), js(in, "title"),
	       from, *from || *to ? ".." : "dates not known", to, js(in, "status"),
	       json_is_true(json_object_get(in, "synthetic")) ? "  SYNTHETIC" : "");
}

static void print_match(json_t *r)
{
	printf("%s %lld: %lld gaps, %lld addressed by at least one initiative "
	       "(rules: %s)\n", js(r, "country"),
	       (long long)json_integer_value(json_object_get(r, "year")),
	       (long long)json_integer_value(json_object_get(r, "gap_count")),
	       (long long)json_integer_value(json_object_get(r, "addressed_count")),
	       js(r, "rules"));
	size_t i, k;
	json_t *g, *in;
	json_array_foreach(json_object_get(r, "gaps"), i, g) {
		printf("  %-10s %-6s priority %lld (%s)%s\n", js(g, "indicator"), js(g, "goal"),
		       (long long)json_integer_value(json_object_get(g, "priority")),
		       js(g, "status"),
		       json_is_true(json_object_get(g, "synthetic")) ? "  SYNTHETIC value" : "");
		if (json_is_string(json_object_get(g, "capacity_needs")))
			printf("      reported need: %s\n", js(g, "capacity_needs"));
		json_t *by = json_object_get(g, "addressed_by");
		if (!json_array_size(by))
			printf("      nothing addresses this gap\n");
		json_array_foreach(by, k, in)
			print_init_ref(in, "      ");
	}
}

static void print_unserved(json_t *r)
{
	printf("Unserved gaps %lld%s%s (rules: %s)\n",
	       (long long)json_integer_value(json_object_get(r, "year")),
	       json_is_string(json_object_get(r, "goal")) ? ", goal " : "",
	       js(r, "goal"), js(r, "rules"));
	size_t i, k;
	json_t *u, *s;
	json_array_foreach(json_object_get(r, "unserved"), i, u) {
		printf("  %-10s %-6s %3lld states (worst priority %lld): ", js(u, "indicator"),
		       js(u, "goal"), (long long)json_integer_value(json_object_get(u, "state_count")),
		       (long long)json_integer_value(json_object_get(u, "worst_priority")));
		json_array_foreach(json_object_get(u, "states"), k, s)
			printf("%s%s", k ? " " : "", json_string_value(s));
		printf("\n");
	}
	if (!json_array_size(json_object_get(r, "unserved")))
		printf("  none\n");
}

static void print_dup(json_t *r)
{
	size_t i, k;
	json_t *g, *x;
	json_array_foreach(json_object_get(r, "groups"), i, g) {
		printf("Group %zu:\n", i + 1);
		json_array_foreach(json_object_get(g, "initiatives"), k, x)
			print_init_ref(x, "  ");
		json_array_foreach(json_object_get(g, "overlaps"), k, x) {
			printf("  %s and %s overlap from %s to %s\n", js(x, "a"), js(x, "b"),
			       *js(x, "from") ? js(x, "from") : "(no start)",
			       *js(x, "to") ? js(x, "to") : "(open)");
			cli_print_strs("    states", ", ", json_object_get(x, "states"));
			cli_print_strs("    goals", ", ", json_object_get(x, "goals"));
		}
	}
	if (!json_array_size(json_object_get(r, "groups")))
		printf("No overlapping initiatives.\n");
}

static void print_parties(json_t *r)
{
	size_t i, k;
	json_t *p, *x;
	json_array_foreach(r, i, p) {
		printf("%s\n", js(p, "name"));
		json_array_foreach(json_object_get(p, "initiatives"), k, x)
			print_init_ref(x, "  ");
		cli_print_strs("    states", ", ", json_object_get(p, "states"));
		cli_print_strs("    regions", ", ", json_object_get(p, "regions"));
		cli_print_strs("    goals", ", ", json_object_get(p, "goals"));
		const char *cur;
		json_t *v;
		json_object_foreach(json_object_get(p, "budgets"), cur, v)
			printf("    budget: %.0f %s\n", json_number_value(v), cur);
	}
}

static void print_list(json_t *r)
{
	size_t i;
	json_t *x;
	json_array_foreach(r, i, x)
		print_init_ref(x, "");
}

/* Runs a JSON-producing use case and prints it (--json) or its text view. */
static int show(struct cli_opts *o, int (*fn)(struct app *a, const struct opts *p,
					       struct jw *w, struct cdg_err *e),
		const struct opts *p, void (*text)(json_t *), struct cdg_err *e)
{
	struct app a;
	int rc = cli_open(o, &a, false, e);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, o->json);
	rc = fn(&a, p, &w, e);
	if (rc == 0)
		cli_show(o, &b, text);
	buf_free(&b);
	app_close(&a);
	return rc;
}

static int do_match(struct app *a, const struct opts *p, struct jw *w,
		    struct cdg_err *e)
{
	return app_capacity_match_json(a, p->pos, p->year, w, e);
}

static int do_unserved(struct app *a, const struct opts *p, struct jw *w,
		       struct cdg_err *e)
{
	struct app_unserved_opts u = {p->goal, p->year, p->no_data};
	return app_capacity_unserved_json(a, &u, w, e);
}

static int do_dup(struct app *a, const struct opts *p, struct jw *w,
		  struct cdg_err *e)
{
	(void)p;
	return app_capacity_duplication_json(a, w, e);
}

static int do_list(struct app *a, const struct opts *p, struct jw *w,
		   struct cdg_err *e)
{
	(void)p;
	return app_capacity_list_json(a, w, e);
}

static int do_donors(struct app *a, const struct opts *p, struct jw *w,
		     struct cdg_err *e)
{
	return app_capacity_parties_json(a, false, p->pos, w, e);
}

static int do_implementers(struct app *a, const struct opts *p, struct jw *w,
			   struct cdg_err *e)
{
	return app_capacity_parties_json(a, true, p->pos, w, e);
}

static int cap_import(struct cli_opts *o, const struct opts *p, struct cdg_err *e)
{
	if (!p->pos)
		return cli_usage(e, "capacity", "import needs a FILE");
	struct app a;
	int rc = cli_open(o, &a, true, e);
	if (rc)
		return rc;
	a.csv_sep = p->sep;
	struct app_capacity_report rep;
	struct err_list errs;
	errs_init(&errs, 50);
	rc = app_capacity_import(&a, p->pos, cli_actor(o), &rep, &errs, e);
	if (rc == CDG_EINPUT && errs.n) {
		cli_print_errs(&errs);
	} else if (rc == 0 && o->json) {
		struct buf b = BUF_INIT;
		struct jw w;
		jw_init(&w, &b, false);
		jw_obj(&w);
		jw_kstr(&w, "file", p->pos);
		jw_kstr(&w, "format", rep.format);
		jw_kint(&w, "initiatives", (long long)rep.initiatives);
		jw_kint(&w, "written", rep.written);
		jw_obj_end(&w);
		cli_print(&b);
		buf_free(&b);
	} else if (rc == 0) {
		printf("%s (%s): %zu initiatives; %ld rows written\n", p->pos,
		       rep.format, rep.initiatives, rep.written);
	}
	errs_free(&errs);
	app_close(&a);
	return rc;
}

static int cap_export(struct cli_opts *o, const struct opts *p, struct cdg_err *e)
{
	bool json = false;
	if (p->format && strcmp(p->format, "json") == 0)
		json = true;
	else if (p->format && strcmp(p->format, "csv") != 0)
		return cli_usage(e, "capacity", "--format is csv or json");
	struct app a;
	int rc = cli_open(o, &a, false, e);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	rc = app_capacity_export(&a, json, &b, e);
	if (rc == 0 && json)
		buf_addc(&b, '\n');
	if (rc == 0)
		rc = cli_write_out(p->out, &b, e);
	buf_free(&b);
	app_close(&a);
	return rc;
}

static int cap_unserved_csv(struct cli_opts *o, const struct opts *p,
			    struct cdg_err *e)
{
	struct app a;
	int rc = cli_open(o, &a, false, e);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	struct app_unserved_opts u = {p->goal, p->year, p->no_data};
	rc = app_capacity_unserved_csv(&a, &u, &b, e);
	if (rc == 0)
		fwrite(b.p, 1, b.len, stdout);
	buf_free(&b);
	app_close(&a);
	return rc;
}

int cmd_capacity(struct cli_opts *o, struct cdg_err *e)
{
	if (o->nrest < 1 || o->rest[0][0] == '-')
		return cli_usage(e, "capacity", "say import, list, export, match, "
				 "unserved, duplication, donors or implementers");
	const char *sub = o->rest[0];
	bool takes_arg = !strcmp(sub, "import") || !strcmp(sub, "match") ||
			 !strcmp(sub, "donors") || !strcmp(sub, "implementers");
	char sep = ',';
	int rc = !strcmp(sub, "import") ? cli_take_delimiter(o, "capacity", &sep, e) : 0;
	if (rc)
		return rc;
	struct opts p;
	rc = parse(o, &p, takes_arg ? 1 : 0, e);
	if (rc)
		return rc;
	p.sep = sep;
	bool uses_csv = !strcmp(sub, "unserved");
	if (p.csv && !uses_csv)
		return cli_usage(e, "capacity", "--csv goes with unserved");
	if (!strcmp(sub, "import"))
		return cap_import(o, &p, e);
	if (!strcmp(sub, "export"))
		return cap_export(o, &p, e);
	if (!strcmp(sub, "list"))
		return show(o, do_list, &p, print_list, e);
	if (!strcmp(sub, "match")) {
		if (!p.pos)
			return cli_usage(e, "capacity", "match needs a state's ISO3 code");
		return show(o, do_match, &p, print_match, e);
	}
	if (!strcmp(sub, "unserved"))
		return p.csv ? cap_unserved_csv(o, &p, e)
			     : show(o, do_unserved, &p, print_unserved, e);
	if (!strcmp(sub, "duplication"))
		return show(o, do_dup, &p, print_dup, e);
	if (!strcmp(sub, "donors"))
		return show(o, do_donors, &p, print_parties, e);
	if (!strcmp(sub, "implementers"))
		return show(o, do_implementers, &p, print_parties, e);
	return cli_usage(e, "capacity", "unknown subcommand \"%s\"", sub);
}
