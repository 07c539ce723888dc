/* The subcommands: argument checks, a call into app/, output. */
#include "cli/cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"
#include "app/app.h"
#include "http/http.h"

const struct cli_cmd cli_cmds[] = {
	{"init", "create or migrate the database and load catalog and reference data",
	 "cdg init [--db PATH] [--data DIR]\n\n"
	 "Creates the database (SQLite, WAL) if it does not exist, applies any\n"
	 "missing schema migrations, and loads the framework catalog from\n"
	 "DIR/framework and the reference data (UN member states, Budapest\n"
	 "Convention status) from DIR/reference, the map of agreements from\n"
	 "DIR/agreements and capacity-building initiatives from DIR/capacity.\n"
	 "Everything is validated first: on any error nothing is written, a new\n"
	 "database is not left behind, and the exit status is 3.  Running it\n"
	 "again is harmless: unchanged rows are not rewritten.\n",
	 cmd_init},
	{"framework", "print the catalog: norms, goals, indicators, survey",
	 "cdg framework [norms|goals|indicators|survey] [--json]\n\n"
	 "Prints the catalog stored in the database: the 11 GGE 2015 norms with\n"
	 "their category, the Cyber Development Goals with targets, the\n"
	 "indicators (unit, direction, goalposts, how measured) and the survey\n"
	 "questionnaire.  Without a part, prints a summary (or, with --json,\n"
	 "the whole catalog).\n",
	 cmd_framework},
	{"country", "what is known of one state",
	 "cdg country ISO3 [--json]\n\n"
	 "Prints what cdg knows of a state: name, ISO codes, UN membership and\n"
	 "admission date, Budapest Convention and Second Protocol status, each\n"
	 "with its source.  ISO3 is an ISO 3166-1 alpha-3 code (e.g. FRA).\n"
	 "A malformed code is a usage error (exit 2); an unknown one exits 3.\n",
	 cmd_country},
	{"countries", "list all states with UN and Budapest status",
	 "cdg countries [--json]\n\nLists the 193 UN member states and the two observer\n"
	 "States, with their Budapest Convention status where known.\n",
	 cmd_countries},
	{"serve", "serve the web UI and the JSON API",
	 "cdg serve [--db PATH] [--port N] [--bind ADDR] [--threads N]\n"
	 "          [--max-conn-per-ip N] [--secure-cookies]\n\n"
	 "Serves the JSON API under /api/v1/ and the web UI from the database.\n"
	 "Defaults: --bind 127.0.0.1 --port 8080 --threads 4 (2 to 64 pool\n"
	 "threads, each with its own database connection).  Stops cleanly on\n"
	 "SIGTERM or SIGINT: requests in flight finish, the database is closed.\n"
	 "The web UI is at /, the API under /api/v1/ (described by\n"
	 "/api/v1/openapi.json).  --data DIR gives the data directory whose\n"
	 "map/world.json the world map is drawn from.\n"
	 "--max-conn-per-ip N (default 256, 1 to 4096) caps the connections one\n"
	 "client address may hold open; idle or slow connections are closed\n"
	 "after 10 s.  --secure-cookies marks the session cookie Secure: give it\n"
	 "when clients reach cdg over TLS (a proxy in front that terminates\n"
	 "HTTPS), so browsers never send the cookie in clear.\n",
	 cmd_serve},
	{"data", "import and export indicator observations (CSV, SDMX-CSV)",
	 cmd_data_usage, cmd_data},
	{"survey", "national implementation survey: import, workflow, history, export",
	 cmd_survey_usage, cmd_survey},
	{"dashboard", "SDG-style status and trend per goal for a state",
	 cmd_dashboard_usage, cmd_dashboard},
	{"gaps", "what a state lacks against the CDG minimum framework",
	 cmd_gaps_usage, cmd_gaps},
	{"index", "the country index: run on files, compute, verify and explore editions",
	 cmd_index_usage, cmd_index},
	{"demo", "load a clearly labelled SYNTHETIC survey round to explore the dashboards",
	 cmd_demo_usage, cmd_demo},
	{"crime", "cybercrime co-operation: dual criminality, channels, matrix, thresholds, draft check",
	 cmd_crime_usage, cmd_crime},
	{"user", "accounts: add, list, disable, enable, passwd (roles: stakeholder, focal_point, editor, secretariat)",
	 cmd_user_usage, cmd_user},
	{"token", "API tokens for scripts: create, list, revoke", cmd_token_usage, cmd_token},
	{"registry", "accountability registry: import and export incidents and attributions (CSV, JSON, STIX 2.1)",
	 cmd_registry_usage, cmd_registry},
	{"incidents", "incidents and attributions, by state, norm, date or full-text search",
	 cmd_incidents_usage, cmd_incidents},
	{"norm", "a GGE 2015 norm's call-out view: articulated violations per state",
	 cmd_norm_usage, cmd_norm},
	{"capacity", "capacity building: initiatives matched to gaps, unserved gaps, duplication, donors",
	 cmd_capacity_usage, cmd_capacity},
	{"agreements", "the map of agreements: list, show, compare side by side on norms, industry norms",
	 cmd_agreements_usage, cmd_agreements},
	{"chart", "draw a chart (the ranking of an index edition) as SVG, PNG or PDF",
	 cmd_chart_usage, cmd_chart},
	{"forum", "the standing forum: stakeholders, sessions, documents, proposals, decisions, actions",
	 cmd_forum_usage, cmd_forum},
	{"help", "describe a command", "cdg help [COMMAND]\n", cmd_help},
	{"version", "print the version", "cdg version\n", cmd_version},
};
const size_t cli_ncmds = sizeof cli_cmds / sizeof cli_cmds[0];

int cli_take_delimiter(struct cli_opts *o, const char *cmd, char *sep,
		       struct cdg_err *e)
{
	*sep = ',';
	for (int i = 0; i < o->nrest; i++) {
		if (strcmp(o->rest[i], "--delimiter") != 0)
			continue;
		if (i + 1 >= o->nrest)
			return cli_usage(e, cmd, "--delimiter needs a value");
		const char *v = o->rest[i + 1];
		*sep = csv_sep_parse(v);
		if (!*sep)
			return cli_usage(e, cmd, "--delimiter is ',', ';' or tab");
		memmove(o->rest + i, o->rest + i + 2,
			(size_t)(o->nrest - i - 2) * sizeof *o->rest);
		o->nrest -= 2;
		/* The value, not starting with '-', was also a positional. */
		for (int k = 0; k < o->nargs; k++)
			if (o->args[k] == v) {
				memmove(o->args + k, o->args + k + 1,
					(size_t)(o->nargs - k - 1) * sizeof *o->args);
				o->nargs--;
				break;
			}
		i--;
	}
	return 0;
}

const char *cli_actor(const struct cli_opts *o)
{
	static char who[128];
	if (o->actor && *o->actor)
		return o->actor;
	const char *env = getenv("CDG_ACTOR");
	if (env && *env)
		return env;
	const char *user = getenv("USER");
	snprintf(who, sizeof who, "cli:%s", user && *user ? user : "unknown");
	return who;
}

void cli_show(const struct cli_opts *o, const struct buf *b, void (*text)(json_t *))
{
	if (o->json) {
		cli_print(b);
		return;
	}
	json_t *r = json_loadb(b->p, b->len, 0, NULL);
	text(r);
	json_decref(r);
}

void cli_print_strs(const char *label, const char *sep, json_t *a)
{
	size_t k;
	json_t *s;
	printf("%s: ", label);
	json_array_foreach(a, k, s)
		printf("%s%s", k ? sep : "", json_string_value(s));
	printf("%s\n", json_array_size(a) ? "" : "-");
}

void cli_print_errs(const struct err_list *errs)
{
	for (size_t i = 0; i < errs->n; i++) {
		char msg[1024];
		err_format(&errs->v[i], msg, sizeof msg);
		fprintf(stderr, "cdg: %s\n", msg);
	}
	if (errs->total > (long)errs->n)
		fprintf(stderr, "cdg: ... and %ld more\n", errs->total - (long)errs->n);
}

int cli_open(struct cli_opts *o, struct app *a, bool write, struct cdg_err *e)
{
	int rc = app_open(a, o->db, !write, e);
	if (rc == 0)
		app_set_local(a); /* the CLI holds the database file */
	return rc;
}

static int no_extra_args(struct cli_opts *o, const char *cmd, int max,
			 struct cdg_err *e)
{
	for (int i = 0; i < o->nrest; i++)
		if (o->rest[i][0] == '-' && o->rest[i][1])
			return cli_usage(e, cmd, "unknown option \"%s\"", o->rest[i]);
	if (o->nargs > max)
		return cli_usage(e, cmd, "unexpected argument \"%s\"",
				 o->args[max]);
	return 0;
}

int cmd_init(struct cli_opts *o, struct cdg_err *e)
{
	int rc = no_extra_args(o, "init", 0, e);
	if (rc)
		return rc;
	struct app_init_report r;
	rc = app_init(o->db, o->data, "system", &r, e);
	if (rc)
		return rc;
	if (o->json) {
		struct buf b = BUF_INIT;
		struct jw w;
		jw_init(&w, &b, true);
		jw_obj(&w);
		jw_kstr(&w, "database", o->db);
		jw_kbool(&w, "created", r.created);
		jw_kint(&w, "schema_version", r.schema_version);
		jw_kint(&w, "rows_written", r.rows_written);
		jw_kint(&w, "norms", (long long)r.n_norms);
		jw_kint(&w, "goals", (long long)r.n_goals);
		jw_kint(&w, "targets", (long long)r.n_targets);
		jw_kint(&w, "indicators", (long long)r.n_indicators);
		jw_kint(&w, "questions", (long long)r.n_questions);
		jw_kint(&w, "countries", (long long)r.n_countries);
		jw_kint(&w, "treaty_parties", (long long)r.n_treaty_parties);
		jw_obj_end(&w);
		cli_print(&b);
		buf_free(&b);
		return 0;
	}
	printf("%s %s (schema %d)\n", r.created ? "created" : "updated", o->db,
	       r.schema_version);
	printf("catalog: %zu norms, %zu goals, %zu targets, %zu indicators, "
	       "%zu survey questions\n", r.n_norms, r.n_goals, r.n_targets,
	       r.n_indicators, r.n_questions);
	printf("reference: %zu states, %zu treaty status rows\n", r.n_countries,
	       r.n_treaty_parties);
	printf("%lld rows written%s\n", r.rows_written,
	       r.rows_written ? "" : " (everything was already current)");
	return 0;
}

static void print_norms(const struct fw_catalog *c)
{
	for (size_t i = 0; i < c->n_norms; i++) {
		const struct fw_norm *n = &c->norms[i];
		printf("%s  %-6s %-23s %s\n    %s\n", n->id, n->paragraph,
		       n->category, n->title, n->paraphrase);
	}
}

static void print_goals(const struct fw_catalog *c)
{
	for (size_t i = 0; i < c->n_goals; i++) {
		const struct fw_goal *g = &c->goals[i];
		printf("%s  %s  [norms:", g->id, g->title);
		for (size_t j = 0; j < g->n_norms; j++)
			printf(" %s", g->norms[j]);
		printf("]\n");
		for (size_t j = 0; j < g->n_targets; j++) {
			const struct fw_target *t = &c->targets[g->first_target + j];
			printf("    %-8s %s\n", t->id, t->title);
		}
	}
}

static void print_indicators(const struct fw_catalog *c)
{
	printf("%-10s %-11s %-8s %-6s %-9s %-7s %s\n", "id", "measure", "unit",
	       "better", "goalposts", "public", "name");
	for (size_t i = 0; i < c->n_indicators; i++) {
		const struct fw_indicator *d = &c->indicators[i];
		char gp[40];
		snprintf(gp, sizeof gp, "%g-%g", d->lower, d->upper);
		printf("%-10s %-11s %-8s %-6s %-9s %-7s %s\n", d->id,
		       fw_measure_name(d->measure), d->unit,
		       d->direction > 0 ? "higher" : "lower", gp,
		       d->pe_measurable ? d->pe_measurable : "-",
		       d->name);
	}
	printf("\npublic: whether public evidence (desk research) can measure it for "
	       "every State (docs/public-evidence.md)\n");
}

static void print_survey(const struct fw_catalog *c)
{
	const char *section = "";
	for (size_t i = 0; i < c->n_questions; i++) {
		const struct fw_question *q = &c->questions[i];
		if (strcmp(section, q->section) != 0) {
			section = q->section;
			printf("%s== %s\n", i ? "\n" : "", section);
		}
		printf("%-10s [%s] %s\n", q->id, q->scale, q->text);
	}
}

int cmd_framework(struct cli_opts *o, struct cdg_err *e)
{
	int rc = no_extra_args(o, "framework", 1, e);
	if (rc)
		return rc;
	const char *part = o->nargs ? o->args[0] : "all";
	static const char *const parts[] = {"norms", "goals", "indicators",
					    "survey", "all"};
	bool known = false;
	for (size_t i = 0; i < 5; i++)
		known = known || strcmp(parts[i], part) == 0;
	if (!known)
		return cli_usage(e, "framework",
				 "unknown part \"%s\" (norms, goals, indicators, survey)",
				 part);
	struct app a;
	rc = app_open(&a, o->db, true, e);
	if (rc)
		return rc;
	if (o->json) {
		struct buf b = BUF_INIT;
		struct jw w;
		jw_init(&w, &b, true);
		rc = app_framework_json(&a, part, &w, e);
		if (rc == 0)
			cli_print(&b);
		buf_free(&b);
	} else if (strcmp(part, "norms") == 0) {
		print_norms(&a.cat);
	} else if (strcmp(part, "goals") == 0) {
		print_goals(&a.cat);
	} else if (strcmp(part, "indicators") == 0) {
		print_indicators(&a.cat);
	} else if (strcmp(part, "survey") == 0) {
		print_survey(&a.cat);
	} else {
		printf("catalog %s: %zu norms, %zu goals, %zu targets, "
		       "%zu indicators, %zu survey questions\n"
		       "(cdg framework norms|goals|indicators|survey for details)\n",
		       a.cat.version, a.cat.n_norms, a.cat.n_goals,
		       a.cat.n_targets, a.cat.n_indicators, a.cat.n_questions);
	}
	app_close(&a);
	return rc;
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void print_country(json_t *root)
{
	json_t *c = json_object_get(root, "country");
	printf("%s (%s / %s)\n", jstr(c, "name"), jstr(c, "iso3"), jstr(c, "iso2"));
	if (strcmp(jstr(c, "status"), "member") == 0)
		printf("UN: member since %s\n", jstr(c, "admission_date"));
	else
		printf("UN: non-member observer State\n");
	printf("    source: %s\n", jstr(c, "source_url"));
	json_t *ts = json_object_get(root, "treaties");
	if (json_array_size(ts) == 0)
		printf("Budapest Convention: no record in the reference data\n");
	size_t i;
	json_t *t;
	json_array_foreach(ts, i, t) {
		printf("%s: %s", jstr(t, "short_name"), jstr(t, "status"));
		if (*jstr(t, "signature_date"))
			printf(", signed %s", jstr(t, "signature_date"));
		if (*jstr(t, "ratification_date"))
			printf(", ratified %s", jstr(t, "ratification_date"));
		if (*jstr(t, "entry_into_force_date"))
			printf(", in force %s", jstr(t, "entry_into_force_date"));
		printf("\n    source: %s\n", jstr(t, "source_url"));
		if (*jstr(t, "source_note"))
			printf("    note: %s\n", jstr(t, "source_note"));
	}
	/* The accountability registry: attributions by and against the
	 * state, and its published standard, doctrine and IL positions. */
	static const struct {
		const char *key, *label;
	} parts[] = {
		{"attributions_by", "Attributions made"},
		{"attributions_against", "Attributions against it"},
		{"attribution_standards", "Published attribution standards"},
		{"deterrence_doctrines", "Published deterrence doctrines"},
		{"il_positions", "National positions on international law"},
	};
	for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
		json_t *list = json_object_get(root, parts[p].key);
		printf("%s: %zu\n", parts[p].label, json_array_size(list));
		json_array_foreach(list, i, t) {
			if (strncmp(parts[p].key, "attributions", 12) == 0)
				printf("  %s  %s -> %s%s%s: %s\n", jstr(t, "date"),
				       *jstr(t, "party_iso3") ? jstr(t, "party_iso3") : jstr(t, "party_name"),
				       *jstr(t, "attributed_iso3") ? jstr(t, "attributed_iso3") : "?",
				       *jstr(t, "actor") ? " / " : "", jstr(t, "actor"),
				       jstr(t, "incident"));
			else
				printf("  %s  %s\n", jstr(t, "date"), jstr(t, "title"));
			if (*jstr(t, "url") || *jstr(t, "statement_url") || *jstr(t, "source_url"))
				printf("    source: %s\n", *jstr(t, "url") ? jstr(t, "url")
					: *jstr(t, "statement_url") ? jstr(t, "statement_url")
					: jstr(t, "source_url"));
		}
	}
	/* Its own report beside the public evidence (docs/public-evidence.md). */
	json_t *chk = json_object_get(root, "self_reported_vs_desk");
	printf("Own report beside desk research: %zu\n", json_array_size(chk));
	json_array_foreach(chk, i, t) {
		json_t *sr = json_object_get(t, "self_reported");
		json_t *v = json_object_get(t, "value");
		printf("  %s %s\n", jstr(t, "indicator"), jstr(t, "name"));
		if (v)
			printf("    %s: %g (%lld)\n", jstr(t, "source_type"), json_number_value(v),
			       (long long)json_integer_value(json_object_get(t, "value_year")));
		else
			printf("    desk research: no value\n");
		printf("    self-reported (%s, %lld%s): %s%s\n", jstr(sr, "question"),
		       (long long)json_integer_value(json_object_get(sr, "year")),
		       json_is_true(json_object_get(sr, "synthetic")) ? ", SYNTHETIC" : "",
		       jstr(sr, "answer"),
		       json_is_true(json_object_get(t, "disagreement"))
			       ? "  <- DISAGREES with the desk research" : "");
	}
}

int cmd_country(struct cli_opts *o, struct cdg_err *e)
{
	int rc = no_extra_args(o, "country", 1, e);
	if (rc)
		return rc;
	if (o->nargs != 1)
		return cli_usage(e, "country", "give one ISO 3166-1 alpha-3 code");
	struct app a;
	rc = app_open(&a, o->db, true, e);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, true);
	rc = app_country_json(&a, o->args[0], &w, e);
	if (rc == 0 && o->json) {
		cli_print(&b);
	} else if (rc == 0) {
		json_t *root = json_loads(b.p, 0, NULL);
		print_country(root);
		json_decref(root);
	}
	buf_free(&b);
	app_close(&a);
	return rc;
}

int cmd_countries(struct cli_opts *o, struct cdg_err *e)
{
	int rc = no_extra_args(o, "countries", 0, e);
	if (rc)
		return rc;
	struct app a;
	rc = app_open(&a, o->db, true, e);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, true);
	rc = app_countries_json(&a, &w, e);
	if (rc == 0 && o->json) {
		cli_print(&b);
	} else if (rc == 0) {
		json_t *root = json_loads(b.p, 0, NULL);
		size_t i;
		json_t *c;
		json_array_foreach(root, i, c)
			printf("%s  %-9s %-9s %s\n", jstr(c, "iso3"), jstr(c, "status"),
			       *jstr(c, "budapest_status") ? jstr(c, "budapest_status") : "-",
			       jstr(c, "name"));
		json_decref(root);
	}
	buf_free(&b);
	app_close(&a);
	return rc;
}

int cmd_serve(struct cli_opts *o, struct cdg_err *e)
{
	struct http_config cfg = {.db_path = o->db, .bind = "127.0.0.1",
				  .port = 8080, .threads = 4, .data_dir = o->data,
				  .per_ip_limit = 256};
	for (int i = 0; i < o->nrest; i++) {
		const char *a = o->rest[i];
		const char *v = i + 1 < o->nrest ? o->rest[i + 1] : NULL;
		long n;
		if (strcmp(a, "--port") == 0 && v && sscanf(v, "%ld", &n) == 1 &&
		    n >= 0 && n <= 65535) {
			cfg.port = (int)n;
			i++;
		} else if (strcmp(a, "--threads") == 0) {
			/* libmicrohttpd serves one thread without its pool,
			 * and that mode stalled under 256 connections. */
			if (!v || parse_long(v, 2, 64, &n) != 0)
				return cli_usage(e, "serve", "--threads wants a "
						 "number from 2 to 64");
			cfg.threads = (int)n;
			i++;
		} else if (strcmp(a, "--bind") == 0 && v) {
			cfg.bind = v;
			i++;
		} else if (strcmp(a, "--max-conn-per-ip") == 0) {
			if (!v || parse_long(v, 1, 4096, &n) != 0)
				return cli_usage(e, "serve", "--max-conn-per-ip wants "
						 "a number from 1 to 4096");
			cfg.per_ip_limit = (int)n;
			i++;
		} else if (strcmp(a, "--secure-cookies") == 0) {
			cfg.secure_cookies = true;
		} else {
			return cli_usage(e, "serve", "bad option \"%s\"", a);
		}
	}
	return http_serve(&cfg, e);
}
