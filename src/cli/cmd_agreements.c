/* cdg agreements: the map of agreements and initiatives. */
#include "cli/cli.h"

#include <jansson.h>
#include <string.h>

#include "app/app.h"

const char cmd_agreements_usage[] =
	"cdg agreements [list] [--json]\n"
	"       cdg agreements show ID [--json]\n"
	"       cdg agreements compare ID ID... [--json]\n"
	"       cdg agreements industry [NORM] [--json]\n"
	"       cdg agreements state ISO3 [--json]\n"
	"       cdg agreements import FILE [--delimiter ';'|tab]\n"
	"       cdg agreements export [--format json|csv] [--out FILE]\n\n"
	"The map of agreements and initiatives (docs/agreements.md): for each, who\n"
	"made it (one stakeholder group, several, or States in a binding\n"
	"instrument), what it aims at, how far it compels compliance (none,\n"
	"reporting, peer review, legal obligation), its participants with dates,\n"
	"and its commitments, each mapped to the GGE 2015 norms (a-k), CDGs or\n"
	"industry norms (IND1..) it corresponds to.\n"
	"compare puts 2 to 8 agreements side by side: their terms kept apart, then\n"
	"one row per norm, goal or industry norm, with each agreement's own\n"
	"commitments on it (and whether each is an obligation, a commitment or a\n"
	"recommendation), then the commitments that map to nothing.\n"
	"industry lists the industry norms with companies' commitments and the\n"
	"evidence for each.  state lists the agreements a state takes part in.\n"
	"import reads an agreements JSON file\n"
	"(\"format\": \"cdg-agreements/1\") or a CSV of companies' commitments to\n"
	"industry norms (id,company,norm,commitment,date,evidence_url[,note,\n"
	"synthetic]); editor or secretariat.  Any fault is listed as\n"
	"FILE:LINE: field X: reason, nothing is written, exit 3.  --delimiter\n"
	"reads a CSV whose fields are separated by ';' or tabs (a spreadsheet's\n"
	"CSV in a locale with a decimal comma; such a header is refused without).\n"
	"export writes every agreement as that JSON file (the default), or every\n"
	"company commitment as that CSV (--format csv), to standard output or\n"
	"--out FILE (replaced atomically); import reads either back to the same\n"
	"records (docs/exchange.md).  Participants from the desk-research list\n"
	"carry their status, checked day and note; the parties of a treaty come\n"
	"from the treaty's records and are not written.\n";

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void print_list(json_t *r)
{
	size_t i;
	json_t *g;
	printf("%-12s %-22s %4s  %-16s %-16s %s\n", "ID", "AGREEMENT", "YEAR", "TYPE",
	       "COMPLIANCE", "COMMITMENTS");
	json_array_foreach(r, i, g)
		printf("%-12s %-22s %4lld  %-16s %-16s %lld\n", js(g, "id"), js(g, "short_name"),
		       (long long)json_integer_value(json_object_get(g, "year")), js(g, "type"),
		       js(g, "compliance"),
		       (long long)json_integer_value(json_object_get(g, "commitment_count")));
}

static void print_show(json_t *g)
{
	printf("%s (%s, %lld)\n", js(g, "name"), js(g, "id"),
	       (long long)json_integer_value(json_object_get(g, "year")));
	printf("  type: %s\n", js(g, "type"));
	cli_print_strs("  made by", "; ", json_object_get(g, "stakeholder_groups"));
	cli_print_strs("  objectives", "; ", json_object_get(g, "objectives"));
	printf("  compliance: %s%s%s\n", js(g, "compliance"),
	       *js(g, "compliance_note") ? " - " : "", js(g, "compliance_note"));
	printf("  source: %s\n", js(g, "source_url"));
	size_t i;
	json_t *x;
	printf("  participants (%zu):\n", json_array_size(json_object_get(g, "participants")));
	json_array_foreach(json_object_get(g, "participants"), i, x)
		printf("    %s%s%s, %s, %s\n", js(x, "name"), *js(x, "iso3") ? " " : "",
		       js(x, "iso3"), js(x, "role"), *js(x, "date") ? js(x, "date") : "date unknown");
	if (*js(g, "participants_note"))
		printf("    note: %s\n", js(g, "participants_note"));
	printf("  commitments:\n");
	json_array_foreach(json_object_get(g, "commitments"), i, x) {
		printf("    [%s] %s (%s, %s)\n      maps to: ", js(x, "id"), js(x, "text"),
		       js(x, "location"), js(x, "force"));
		size_t k;
		json_t *m;
		json_array_foreach(json_object_get(x, "maps"), k, m)
			printf("%s%s", k ? ", " : "", json_string_value(m));
		printf("%s\n", json_array_size(json_object_get(x, "maps")) ? "" : "nothing");
	}
}

static void print_cells(json_t *cells, json_t *agrs)
{
	size_t k, j;
	json_t *cell, *c;
	json_array_foreach(cells, k, cell) {
		json_t *g = json_array_get(agrs, k);
		printf("    %-20s ", js(g, "short_name"));
		if (!json_array_size(cell))
			printf("-\n");
		json_array_foreach(cell, j, c)
			printf("%s%s (%s, %s)\n", j ? "                         " : "",
			       js(c, "text"), js(c, "where"), js(c, "force"));
	}
}

static void print_compare(json_t *r)
{
	json_t *agrs = json_object_get(r, "agreements");
	size_t i;
	json_t *g, *row;
	printf("Terms\n");
	json_array_foreach(agrs, i, g) {
		printf("  %s: made by ", js(g, "short_name"));
		size_t k;
		json_t *s;
		json_array_foreach(json_object_get(g, "stakeholder_groups"), k, s)
			printf("%s%s", k ? ", " : "", json_string_value(s));
		printf(" (%s); compliance: %s\n", js(g, "type"), js(g, "compliance"));
	}
	json_array_foreach(json_object_get(r, "rows"), i, row) {
		printf("%s %s - %s\n", !strcmp(js(row, "kind"), "gge_norm") ? "Norm" :
		       !strcmp(js(row, "kind"), "cdg") ? "Goal" : "Industry norm",
		       js(row, "ref"), js(row, "title"));
		print_cells(json_object_get(row, "cells"), agrs);
	}
	printf("Mapped to no norm or goal\n");
	print_cells(json_object_get(r, "unmapped"), agrs);
}

static void print_industry(json_t *r)
{
	size_t i, k;
	json_t *n, *c;
	json_array_foreach(r, i, n) {
		printf("%s %s: %s\n", js(n, "id"), js(n, "title"), js(n, "paraphrase"));
		json_array_foreach(json_object_get(n, "commitments"), k, c)
			printf("  %-12s %s  %s%s\n", js(c, "company"), js(c, "date"),
			       js(c, "evidence_url"),
			       json_is_true(json_object_get(c, "synthetic")) ? "  SYNTHETIC" : "");
	}
}

static void print_state(json_t *r)
{
	size_t i;
	json_t *g;
	json_array_foreach(r, i, g)
		printf("%-12s %-22s %4lld  %-28s %s\n", js(g, "id"), js(g, "short_name"),
		       (long long)json_integer_value(json_object_get(g, "year")), js(g, "role"),
		       *js(g, "date") ? js(g, "date") : "date not known");
	if (!json_array_size(r))
		printf("No agreement records this state as a participant.\n");
}

static int agr_import(struct cli_opts *o, const char *file, char sep,
		      struct cdg_err *e)
{
	struct app a;
	int rc = cli_open(o, &a, true, e);
	if (rc)
		return rc;
	a.csv_sep = sep;
	struct err_list errs;
	errs_init(&errs, 50);
	long written = 0;
	rc = app_agreements_import(&a, file, cli_actor(o), &written, &errs, e);
	if (rc == CDG_EINPUT && errs.n)
		cli_print_errs(&errs);
	else if (rc == 0)
		printf("%s: %ld rows written\n", file, written);
	errs_free(&errs);
	app_close(&a);
	return rc;
}

/* cdg agreements export [--format json|csv] [--out FILE] */
static int agr_export(struct cli_opts *o, struct cdg_err *e)
{
	const char *format = "json", *out = NULL;
	for (int i = 1; i < o->nrest; i++) {
		bool more = i + 1 < o->nrest;
		if (!strcmp(o->rest[i], "--format") && more)
			format = o->rest[++i];
		else if (!strcmp(o->rest[i], "--out") && more)
			out = o->rest[++i];
		else
			return cli_usage(e, "agreements", "export takes --format json|csv "
					 "and --out FILE, not \"%s\"", o->rest[i]);
	}
	if (strcmp(format, "json") && strcmp(format, "csv"))
		return cli_usage(e, "agreements", "--format is json or csv");
	struct app a;
	int rc = cli_open(o, &a, false, e);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	rc = app_agreements_export(&a, strcmp(format, "csv") == 0, &b, e);
	if (rc == 0)
		rc = cli_write_out(out, &b, e);
	buf_free(&b);
	app_close(&a);
	return rc;
}

int cmd_agreements(struct cli_opts *o, struct cdg_err *e)
{
	if (o->nrest && !strcmp(o->rest[0], "export"))
		return agr_export(o, e);
	char sep = ',';
	if (o->nrest && !strcmp(o->rest[0], "import")) {
		int rc = cli_take_delimiter(o, "agreements", &sep, e);
		if (rc)
			return rc;
	}
	for (int i = 0; i < o->nrest; i++)
		if (o->rest[i][0] == '-' && o->rest[i][1])
			return cli_usage(e, "agreements", "unknown option \"%s\"", o->rest[i]);
	const char *sub = o->nargs ? o->args[0] : "list";
	int nargs = o->nargs ? o->nargs - 1 : 0;
	char *const *args = o->args + 1;
	if (!strcmp(sub, "list") && nargs)
		return cli_usage(e, "agreements", "list takes no argument");
	if (!strcmp(sub, "show") && nargs != 1)
		return cli_usage(e, "agreements", "show takes one agreement id");
	if (!strcmp(sub, "compare") && (nargs < 2 || nargs > 8))
		return cli_usage(e, "agreements", "compare takes 2 to 8 agreement ids");
	if (!strcmp(sub, "state") && nargs != 1)
		return cli_usage(e, "agreements", "state takes one ISO3 code");
	if (!strcmp(sub, "industry") && nargs > 1)
		return cli_usage(e, "agreements", "industry takes at most one norm id");
	if (!strcmp(sub, "import")) {
		if (nargs != 1)
			return cli_usage(e, "agreements", "import takes one FILE");
		return agr_import(o, args[0], sep, e);
	}
	if (strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "compare") &&
	    strcmp(sub, "industry") && strcmp(sub, "state"))
		return cli_usage(e, "agreements", "unknown subcommand \"%s\"", sub);
	struct app a;
	int rc = cli_open(o, &a, false, e);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, o->json);
	void (*text)(json_t *);
	if (!strcmp(sub, "list")) {
		rc = app_agreements_list_json(&a, &w, e);
		text = print_list;
	} else if (!strcmp(sub, "show")) {
		rc = app_agreement_json(&a, args[0], &w, e);
		text = print_show;
	} else if (!strcmp(sub, "compare")) {
		rc = app_agreements_compare_json(&a, (const char *const *)args,
						 (size_t)nargs, &w, e);
		text = print_compare;
	} else if (!strcmp(sub, "state")) {
		rc = app_agreements_state_json(&a, args[0], &w, e);
		text = print_state;
	} else {
		rc = app_industry_norms_json(&a, nargs ? args[0] : NULL, &w, e);
		text = print_industry;
	}
	if (rc == 0)
		cli_show(o, &b, text);
	buf_free(&b);
	app_close(&a);
	return rc;
}
