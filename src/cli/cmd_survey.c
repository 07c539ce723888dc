/* cdg survey: the national implementation survey. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "formats/formats.h"
#include <jansson.h>

const char cmd_survey_usage[] =
	"cdg survey import FILE\n"
	"       cdg survey export ISO3 YEAR [--format json|csv] [--revision N] [--out FILE]\n"
	"       cdg survey show ISO3 YEAR [--revision N]\n"
	"       cdg survey history ISO3 YEAR [--json]\n"
	"       cdg survey list [--json]\n"
	"       cdg survey submit|return|validate|publish|reopen ISO3 YEAR\n\n"
	"A state's response to the national implementation survey, per question\n"
	"of the catalog's questionnaire (cdg framework survey): the structured\n"
	"answer, a comment, evidence (links or document references), challenges\n"
	"and capacity-building needs.\n\n"
	"import reads one or more responses from FILE, JSON or CSV (formats in\n"
	"docs/survey.md; schema data/framework/survey-response.schema.json), and\n"
	"stores each as a new draft revision.  Every answer is checked; on any\n"
	"fault all are listed, nothing is written, and the exit status is 3.\n\n"
	"Workflow: draft -submit-> submitted -validate-> validated -publish->\n"
	"published; return sends a submitted or validated response back to draft;\n"
	"reopen turns a published response into a new draft.  Publishing computes\n"
	"the survey-based indicators into observations.  Every import and move is\n"
	"a revision, kept forever: history lists them, show/export --revision N\n"
	"prints any of them in full.  export then import is lossless.\n";

static int year_arg(struct cli_opts *o, int i, long *year, struct cdg_err *e)
{
	if (o->nargs <= i)
		return cli_usage(e, "survey", "%s needs ISO3 YEAR", o->args[0]);
	if (parse_long(o->args[i], 1900, 2100, year) != 0)
		return cli_usage(e, "survey", "\"%s\" is not a year", o->args[i]);
	return 0;
}

/* Options after the positional arguments: --format, --revision, --out. */
struct sopts {
	bool csv;
	int revision;
	const char *out;
};

static int parse_sopts(struct cli_opts *o, struct sopts *so, struct cdg_err *e)
{
	memset(so, 0, sizeof *so);
	for (int i = 0; i < o->nrest; i++) {
		const char *a = o->rest[i];
		if (a[0] != '-')
			continue;
		const char *v = i + 1 < o->nrest ? o->rest[i + 1] : NULL;
		long n;
		if (!v)
			return cli_usage(e, "survey", "%s needs a value", a);
		if (strcmp(a, "--format") == 0 && (!strcmp(v, "json") || !strcmp(v, "csv")))
			so->csv = strcmp(v, "csv") == 0;
		else if (strcmp(a, "--revision") == 0 && parse_long(v, 1, 1000000, &n) == 0)
			so->revision = (int)n;
		else if (strcmp(a, "--out") == 0)
			so->out = v;
		else
			return cli_usage(e, "survey", "bad option %s %s", a, v);
		i++;
	}
	return 0;
}

int cmd_survey(struct cli_opts *o, struct cdg_err *e)
{
	if (o->nargs < 1)
		return cli_usage(e, "survey", "say what to do (import, export, ...)");
	const char *sub = o->args[0];
	struct sopts so;
	int rc = parse_sopts(o, &so, e);
	if (rc)
		return rc;
	bool write = strcmp(sub, "import") == 0 || strcmp(sub, "submit") == 0 ||
		     strcmp(sub, "return") == 0 || strcmp(sub, "validate") == 0 ||
		     strcmp(sub, "publish") == 0 || strcmp(sub, "reopen") == 0;
	bool known = write || strcmp(sub, "export") == 0 || strcmp(sub, "show") == 0 ||
		     strcmp(sub, "history") == 0 || strcmp(sub, "list") == 0;
	if (!known)
		return cli_usage(e, "survey", "unknown subcommand \"%s\"", sub);
	long year = 0;
	if (strcmp(sub, "import") == 0 && o->nargs != 2)
		return cli_usage(e, "survey", "import takes one FILE");
	if (strcmp(sub, "import") != 0 && strcmp(sub, "list") != 0 &&
	    (rc = year_arg(o, 2, &year, e)) != 0)
		return rc;
	struct app a;
	rc = cli_open(o, &a, write, e);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, true);
	if (strcmp(sub, "import") == 0) {
		struct app_survey_report rep;
		struct err_list errs;
		errs_init(&errs, 50);
		rc = app_survey_import(&a, o->args[1], cli_actor(o), false, &rep, &errs, e);
		if (rc == CDG_EINPUT)
			cli_print_errs(&errs);
		else if (rc == 0)
			printf("%s: %zu response%s, %zu answers stored as draft (revision %d)\n",
			       o->args[1], rep.responses, rep.responses == 1 ? "" : "s",
			       rep.answers, rep.revision);
		errs_free(&errs);
	} else if (write) {
		rc = app_survey_move(&a, o->args[1], year, sub, cli_actor(o), e);
		if (rc == 0)
			printf("%s %ld: %s done\n", o->args[1], year, sub);
	} else if (strcmp(sub, "export") == 0 || strcmp(sub, "show") == 0) {
		rc = app_survey_export(&a, o->args[1], year, so.revision, so.csv, &b, e);
		if (rc == 0 && so.out)
			rc = file_write_atomic(so.out, b.p, b.len, e);
		else if (rc == 0)
			fwrite(b.p, 1, b.len, stdout);
	} else if (strcmp(sub, "history") == 0) {
		rc = app_survey_history_json(&a, o->args[1], year, &w, e);
		if (rc == 0 && o->json) {
			cli_print(&b);
		} else if (rc == 0) {
			json_t *root = json_loads(b.p, 0, NULL);
			size_t i;
			json_t *r;
			printf("%-4s %-10s %-9s %-20s %s\n", "rev", "status", "action", "when", "who");
			json_array_foreach(root, i, r)
				printf("%-4lld %-10s %-9s %-20s %s\n",
				       (long long)json_integer_value(json_object_get(r, "revision")),
				       json_string_value(json_object_get(r, "status")),
				       json_string_value(json_object_get(r, "action")),
				       json_string_value(json_object_get(r, "at")),
				       json_string_value(json_object_get(r, "actor")));
			json_decref(root);
		}
	} else {
		rc = app_survey_list_json(&a, cli_actor(o), &w, e);
		if (rc == 0 && o->json) {
			cli_print(&b);
		} else if (rc == 0) {
			json_t *root = json_loads(b.p, 0, NULL);
			size_t i;
			json_t *r;
			json_array_foreach(root, i, r)
				printf("%s %lld %-10s%s\n",
				       json_string_value(json_object_get(r, "country")),
				       (long long)json_integer_value(json_object_get(r, "year")),
				       json_string_value(json_object_get(r, "status")),
				       json_is_true(json_object_get(r, "synthetic"))
					       ? " SYNTHETIC (demo data)" : "");
			json_decref(root);
		}
	}
	buf_free(&b);
	app_close(&a);
	return rc;
}
