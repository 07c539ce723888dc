/* cdg registry, cdg incidents, cdg norm: the accountability registry. */
#include "cli/cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "formats/formats.h"

const char cmd_registry_usage[] =
	"cdg registry import FILE [--delimiter ';'|tab] [--json]\n"
	"       cdg registry export [--format csv|json|stix] [--all-actors] [--out FILE]\n"
	"       cdg registry actors [TEXT] [--json]\n\n"
	"import reads incidents and public attributions, detecting the format\n"
	"from the content:\n"
	"  - CSV with the columns incident, incident_date, attributing_party,\n"
	"    attributed_to, attribution_date, statement_title,\n"
	"    norm_or_law_invoked, source_url (any order; optional confidence,\n"
	"    basis, note, party_kind).  One row per attributing party.  Parties\n"
	"    and states are ISO 3166 codes or names (\"Russia\", \"European\n"
	"    Union\"); attributed_to is a state or ACTOR (STATE); several norms\n"
	"    or laws are separated by ';', a norm written f, 13(f) or\n"
	"    13(f): how it was transgressed.  --delimiter reads fields separated\n"
	"    by ';' or tabs (a spreadsheet's CSV in a locale with a decimal\n"
	"    comma; such a header is refused without it);\n"
	"  - registry JSON (\"format\": \"cdg-registry/1\"): full records with\n"
	"    victims, sectors, effects, CERT targeting, responses, attribution\n"
	"    standards, deterrence doctrines and positions on international law;\n"
	"  - a STIX 2.1 bundle: incidents and campaigns, intrusion sets, threat\n"
	"    actors, identities and attributed-to relationships;\n"
	"  - a MISP galaxy cluster file (threat-actor.json): actors with their\n"
	"    alleged state sponsor and attribution confidence.\n"
	"Every record is checked first; if anything is wrong every fault is\n"
	"listed as FILE:LINE: field X: reason (STIX: the object id), nothing is\n"
	"written and the exit status is 3.  Confidence is 0-100 (STIX) or a word\n"
	"of docs/registry.md's scale.  Importing a record again revises it; the\n"
	"audit log keeps every revision.\n\n"
	"export writes the registry as CSV (default), registry JSON or a STIX 2.1\n"
	"bundle (validates against the OASIS schemas) to standard output or\n"
	"--out FILE (replaced atomically).\n";

const char cmd_incidents_usage[] =
	"cdg incidents [--state ISO3] [--norm LETTER] [--since DATE]\n"
	"              [--search TEXT] [--json]\n\n"
	"Lists incidents in the registry with their attributions.  --state keeps\n"
	"incidents where the state is a victim, an attributing party or the\n"
	"state attributed to; --norm those with an attribution invoking the GGE\n"
	"2015 norm (a-k); --since those that started or were attributed on or\n"
	"after DATE; --search those whose title, description or statements hold\n"
	"every word of TEXT, as a word or its start (\"Wanna\" finds WannaCry);\n"
	"OR between two words makes either enough (full-text search).\n";

const char cmd_norm_usage[] =
	"cdg norm LETTER --violations [--json]\n\n"
	"The call-out view of a GGE 2015 norm (a-k): for each state attributed,\n"
	"every attribution that says the norm was transgressed and how, with the\n"
	"number of independent attributing parties and the confidence stated.\n"
	"References marked as a mapping by a dataset (\"cf. ...\") are listed\n"
	"with stated: false.\n";

static int reg_import(struct cli_opts *o, struct cdg_err *e)
{
	const char *file = NULL;
	char sep = ',';
	for (int i = 1; i < o->nrest; i++) {
		const char *a = o->rest[i];
		if (strcmp(a, "--delimiter") == 0 && i + 1 < o->nrest) {
			sep = csv_sep_parse(o->rest[++i]);
			if (!sep)
				return cli_usage(e, "registry", "--delimiter is ',', ';' or tab");
			continue;
		}
		if (a[0] == '-' && a[1])
			return cli_usage(e, "registry", "unknown option \"%s\"", a);
		if (file)
			return cli_usage(e, "registry", "import takes one FILE");
		file = a;
	}
	if (!file)
		return cli_usage(e, "registry", "import needs a FILE");
	struct app a;
	int rc = cli_open(o, &a, true, e);
	if (rc)
		return rc;
	a.csv_sep = sep;
	struct app_registry_report rep;
	struct err_list errs;
	errs_init(&errs, 50);
	rc = app_registry_import(&a, file, cli_actor(o), &rep, &errs, e);
	if (rc == CDG_EINPUT && errs.n) {
		cli_print_errs(&errs);
	} else if (rc == 0 && o->json) {
		struct buf b = BUF_INIT;
		struct jw w;
		jw_init(&w, &b, false);
		jw_obj(&w);
		jw_kstr(&w, "file", file);
		jw_kstr(&w, "format", rep.format);
		jw_kint(&w, "incidents", (long long)rep.incidents);
		jw_kint(&w, "attributions", (long long)rep.attributions);
		jw_kint(&w, "actors", (long long)rep.actors);
		jw_kint(&w, "documents", (long long)rep.documents);
		jw_kint(&w, "written", rep.written);
		jw_kint(&w, "skipped", rep.skipped);
		jw_kint(&w, "unresolved_sponsors", rep.unresolved_sponsors);
		jw_kint(&w, "actor_links", (long long)rep.actor_links);
		jw_kint(&w, "non_un_sponsors", rep.non_un_sponsors);
		jw_obj_end(&w);
		cli_print(&b);
		buf_free(&b);
	} else if (rc == 0) {
#define S(n) ((n) == 1 ? "" : "s")
		printf("%s (%s): %zu incident%s, %zu attribution%s, %zu actor%s, %zu "
		       "document%s; %ld row%s written", file, rep.format, rep.incidents,
		       S(rep.incidents), rep.attributions, S(rep.attributions),
		       rep.actors, S(rep.actors), rep.documents, S(rep.documents),
		       rep.written, S(rep.written));
		if (rep.actor_links)
			printf("; %zu actor%s attributed to another actor", rep.actor_links,
			       S(rep.actor_links));
		if (rep.skipped)
			printf("; %ld STIX object%s of other types skipped", rep.skipped,
			       S(rep.skipped));
		if (rep.non_un_sponsors)
			printf("; %ld sponsor%s %s a non-UN entity (kept as "
			       "written, flagged)", rep.non_un_sponsors,
			       S(rep.non_un_sponsors), rep.non_un_sponsors == 1 ? "is" : "each");
		if (rep.unresolved_sponsors)
			printf("; %ld sponsor%s no known State or entity (kept "
			       "as text)", rep.unresolved_sponsors,
			       rep.unresolved_sponsors == 1 ? " is" : "s are");
		printf("\n");
#undef S
	}
	errs_free(&errs);
	app_close(&a);
	return rc;
}

static int reg_export(struct cli_opts *o, struct cdg_err *e)
{
	enum app_reg_format f = APP_REG_CSV;
	const char *out = NULL;
	bool all = false;
	for (int i = 1; i < o->nrest; i++) {
		const char *a = o->rest[i];
		if (strcmp(a, "--all-actors") == 0) {
			all = true;
			continue;
		}
		const char *v = i + 1 < o->nrest ? o->rest[i + 1] : NULL;
		if (!v)
			return cli_usage(e, "registry", "%s needs a value", a);
		if (strcmp(a, "--format") == 0) {
			if (strcmp(v, "csv") == 0)
				f = APP_REG_CSV;
			else if (strcmp(v, "json") == 0)
				f = APP_REG_JSON;
			else if (strcmp(v, "stix") == 0)
				f = APP_REG_STIX;
			else
				return cli_usage(e, "registry", "--format is csv, json or stix");
		} else if (strcmp(a, "--out") == 0) {
			out = v;
		} else {
			return cli_usage(e, "registry", "unknown option \"%s\"", a);
		}
		i++;
	}
	struct app a;
	int rc = cli_open(o, &a, false, e);
	if (rc)
		return rc;
	char now[21], stamp[32];
	const char *fixed = getenv("CDG_NOW");
	time_now_iso(now);
	/* STIX wants milliseconds; CDG_NOW pins the time for reproducible
	 * bundles. */
	snprintf(stamp, sizeof stamp, "%.19s.000Z", fixed && *fixed ? fixed : now);
	struct buf b = BUF_INIT;
	rc = app_registry_export(&a, f, stamp, all, &b, e);
	if (rc == 0) {
		if (out)
			rc = file_write_atomic(out, b.p, b.len, e);
		else
			fwrite(b.p, 1, b.len, stdout);
	}
	buf_free(&b);
	app_close(&a);
	return rc;
}

static int print_json_or(struct cli_opts *o, struct buf *b,
			 void (*text)(json_t *root));

/* Text view of the actors: each with what it is attributed to and the
 * actors of other sources that are the same group, and why. */
static void print_actors(json_t *root)
{
	size_t i;
	json_t *r;
	json_array_foreach(root, i, r) {
		const char *sp = json_string_value(json_object_get(r, "sponsor"));
		printf("%s (%s, %s)%s%s\n", json_string_value(json_object_get(r, "name")),
		       json_string_value(json_object_get(r, "id")),
		       json_string_value(json_object_get(r, "origin")),
		       sp ? "  sponsor " : "", sp ? sp : "");
		size_t k;
		json_t *l;
		json_array_foreach(json_object_get(r, "attributed_to"), k, l)
			printf("  attributed to %s (%s; from %s)\n",
			       json_string_value(json_object_get(l, "name")),
			       json_string_value(json_object_get(l, "origin")),
			       json_string_value(json_object_get(l, "source")));
		json_array_foreach(json_object_get(r, "same_group"), k, l)
			printf("  same group as %s (%s): %s\n",
			       json_string_value(json_object_get(l, "name")),
			       json_string_value(json_object_get(l, "origin")),
			       json_string_value(json_object_get(l, "basis")));
	}
}

static int reg_actors(struct cli_opts *o, struct cdg_err *e)
{
	if (o->nargs > 2)
		return cli_usage(e, "registry", "actors takes one search text");
	struct app a;
	int rc = cli_open(o, &a, false, e);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, o->json);
	rc = app_registry_actors_json(&a, o->nargs == 2 ? o->args[1] : NULL, &w, e);
	if (rc == 0)
		rc = print_json_or(o, &b, print_actors);
	buf_free(&b);
	app_close(&a);
	return rc;
}

int cmd_registry(struct cli_opts *o, struct cdg_err *e)
{
	if (o->nargs < 1)
		return cli_usage(e, "registry", "say import or export");
	if (strcmp(o->args[0], "import") == 0)
		return reg_import(o, e);
	if (strcmp(o->args[0], "export") == 0)
		return reg_export(o, e);
	if (strcmp(o->args[0], "actors") == 0)
		return reg_actors(o, e);
	return cli_usage(e, "registry", "unknown subcommand \"%s\"", o->args[0]);
}

/* Text view of one incident and its attributions. */
static void print_incident(json_t *inc)
{
	const char *start = json_string_value(json_object_get(inc, "start_date"));
	printf("%-10s  %s\n", start ? start : "?",
	       json_string_value(json_object_get(inc, "title")));
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(inc, "attributions"), i, a) {
		const char *party = json_string_value(json_object_get(a, "party_iso3"));
		const char *to = json_string_value(json_object_get(a, "attributed_iso3"));
		const char *actor = json_string_value(json_object_get(a, "actor"));
		json_t *conf = json_object_get(a, "confidence");
		printf("  %s  %s -> %s%s%s%s", json_string_value(json_object_get(a, "date")),
		       party ? party : json_string_value(json_object_get(a, "party_name")),
		       to ? to : "?", actor ? " (" : "", actor ? actor : "",
		       actor ? ")" : "");
		if (json_is_integer(conf))
			printf("  confidence %lld", (long long)json_integer_value(conf));
		size_t k;
		json_t *n;
		json_array_foreach(json_object_get(a, "invocations"), k, n) {
			const char *norm = json_string_value(json_object_get(n, "norm_id"));
			const char *kind = json_string_value(json_object_get(n, "kind"));
			if (norm)
				printf("%s 13(%s)%s", k ? "," : "  invokes", norm,
				       strcmp(kind, "norm") ? " [mapping]" : "");
			else
				printf("%s %s", k ? "," : "  invokes", kind);
		}
		printf("\n");
	}
}

static int print_json_or(struct cli_opts *o, struct buf *b,
			 void (*text)(json_t *root))
{
	if (o->json) {
		cli_print(b);
		return 0;
	}
	json_error_t je;
	json_t *root = json_loadb(b->p, b->len, 0, &je);
	if (!root)
		return CDG_EINTERNAL;
	text(root);
	json_decref(root);
	return 0;
}

static void print_incidents(json_t *root)
{
	size_t i;
	json_t *inc;
	json_array_foreach(root, i, inc)
		print_incident(inc);
	printf("%zu incidents\n", json_array_size(root));
}

int cmd_incidents(struct cli_opts *o, struct cdg_err *e)
{
	struct app_incident_query q = {0};
	for (int i = 0; i < o->nrest; i += 2) {
		const char *a = o->rest[i];
		const char *v = i + 1 < o->nrest ? o->rest[i + 1] : NULL;
		if (a[0] != '-')
			return cli_usage(e, "incidents", "unexpected argument \"%s\"", a);
		if (!v)
			return cli_usage(e, "incidents", "%s needs a value", a);
		if (strcmp(a, "--state") == 0)
			q.state = v;
		else if (strcmp(a, "--norm") == 0)
			q.norm = v;
		else if (strcmp(a, "--since") == 0)
			q.since = v;
		else if (strcmp(a, "--search") == 0)
			q.search = v;
		else
			return cli_usage(e, "incidents", "unknown option \"%s\"", a);
	}
	struct app a;
	int rc = cli_open(o, &a, false, e);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, o->json);
	rc = app_incidents_json(&a, &q, &w, e);
	if (rc == 0)
		rc = print_json_or(o, &b, print_incidents);
	buf_free(&b);
	app_close(&a);
	return rc;
}

static void print_violations(json_t *root)
{
	printf("norm %s (%s): %s\n", json_string_value(json_object_get(root, "norm")),
	       json_string_value(json_object_get(root, "paragraph")),
	       json_string_value(json_object_get(root, "title")));
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(root, "states"), i, s) {
		json_t *c = json_object_get(s, "confidence");
		printf("%s: %lld violations, %lld independent attributing parties",
		       json_string_value(json_object_get(s, "state")),
		       (long long)json_integer_value(json_object_get(s, "violations")),
		       (long long)json_integer_value(json_object_get(s, "independent_parties")));
		if (json_integer_value(json_object_get(c, "stated")))
			printf(", confidence %lld-%lld",
			       (long long)json_integer_value(json_object_get(c, "min")),
			       (long long)json_integer_value(json_object_get(c, "max")));
		printf("\n");
		size_t k;
		json_t *it;
		json_array_foreach(json_object_get(s, "items"), k, it) {
			const char *how = json_string_value(json_object_get(it, "articulation"));
			const char *words = json_string_value(json_object_get(it, "quotation"));
			printf("  %s  %s by %s [%s]\n",
			       json_string_value(json_object_get(it, "date")),
			       json_string_value(json_object_get(it, "incident")),
			       json_string_value(json_object_get(it, "party_name")),
			       json_string_value(json_object_get(it, "marked")));
			printf("    \"%s\"\n", words ? words
					 : json_string_value(json_object_get(it, "text")));
			if (how)
				printf("    how: %s\n", how);
			printf("    %s\n", json_string_value(json_object_get(it, "statement_url")));
		}
	}
	if (!json_array_size(json_object_get(root, "states")))
		printf("no attribution in the registry articulates a violation of this norm\n");
	else
		printf("%lld stated in the text, %lld by our mapping (of which %lld name "
		       "a norm in their own words)\n",
		       (long long)json_integer_value(json_object_get(root, "stated_in_text")),
		       (long long)json_integer_value(json_object_get(root, "our_mapping")),
		       (long long)json_integer_value(json_object_get(root, "named_in_words")));
}

int cmd_norm(struct cli_opts *o, struct cdg_err *e)
{
	const char *norm = NULL;
	bool viol = false;
	for (int i = 0; i < o->nrest; i++) {
		const char *a = o->rest[i];
		if (strcmp(a, "--violations") == 0)
			viol = true;
		else if (a[0] == '-')
			return cli_usage(e, "norm", "unknown option \"%s\"", a);
		else if (norm)
			return cli_usage(e, "norm", "give one norm letter");
		else
			norm = a;
	}
	if (!norm || !viol)
		return cli_usage(e, "norm", "give a norm letter and --violations");
	struct app a;
	int rc = cli_open(o, &a, false, e);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, o->json);
	rc = app_norm_violations_json(&a, norm, &w, e);
	if (rc == 0)
		rc = print_json_or(o, &b, print_violations);
	buf_free(&b);
	app_close(&a);
	return rc;
}
