/* cdg crime: cybercrime co-operation (issue 7).  Arguments, a call into
 * app/, and text rendered from the use case's JSON. */
#include "cli/cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"

const char cmd_crime_usage[] =
	"cdg crime pair ISO3 ISO3 [--offence ID] [--date YYYY-MM-DD] [--json]\n"
	"       cdg crime matrix [--offence ID|all] [--date D] [--observers]\n"
	"                        [--csv] [--out FILE] [--json]\n"
	"       cdg crime treaty ID [--date D] [--json]\n"
	"       cdg crime check FILE [--json]\n"
	"       cdg crime articles [--json]\n"
	"       cdg crime coverage import FILE [--delimiter ';'|tab] [--json]\n"
	"       cdg crime coverage export [--country ISO3] [--out FILE]\n"
	"       cdg crime mlat import FILE [--delimiter ';'|tab] [--json]\n"
	"       cdg crime contacts import FILE [--delimiter ';'|tab] [--json]\n\n"
	"Cybercrime co-operation against the Council of Europe Convention on\n"
	"Cybercrime (ETS 185).  Rules: docs/cybercrime.md; data: data/crime/.\n"
	"Dates default to today; YYYY or YYYY-MM mean the last day of that period.\n\n"
	"pair: for each offence (ETS 185 arts. 2-11, or only --offence), whether\n"
	"  dual criminality holds or fails (from the mapped national laws), is\n"
	"  presumed (both Parties on the date to ETS 185, which obliges every Party\n"
	"  to make it an offence; reservations not checked) or is uncertain, with\n"
	"  its basis and both states' coverage; every channel on the date (treaties\n"
	"  in force for both whose scope covers the offence, or \"date not verified\"\n"
	"  for a party listed without its date, a bilateral MLAT in force, both in\n"
	"  the 24/7 network); \"no channel for offence X between A and B\" where\n"
	"  there is none; and caveats (parties without dates, no MLAT or 24/7 data).\n"
	"matrix: the all-pairs matrix, CSV (the default; --csv says so), one row\n"
	"  per unordered pair a < b and offence: offence,date,a,b,dual,channels,\n"
	"  treaties,a_covered,b_covered (dual: holds, presumed, fails, uncertain;\n"
	"  channels may include treaty_unverified).  The 193 UN members (18,528\n"
	"  rows per offence); --observers adds the two observer States (18,915\n"
	"  rows).\n"
	"  --offence all (the default) gives every offence.  --json prints counts\n"
	"  and timings instead of rows.\n"
	"treaty: consents to be bound as of the date against the entry-into-force\n"
	"  threshold (with its sub-group, e.g. 3 Council of Europe members for\n"
	"  ETS185), when it was or would be reached, the recorded date, and\n"
	"  \"incomplete\" when a party's own entry into force predates the computed\n"
	"  date (the consent list misses early consents).  Treaties: ETS185,\n"
	"  ETS189, CETS224, UNCC2024, MALABO2014.\n"
	"check: an instrument described article by article (format of\n"
	"  data/crime/instruments/un2024.json) against the principles of the ICC\n"
	"  brief: conforms / does not conform / cannot tell, with the articles.\n"
	"articles: the ETS 185 articles with class and UN 2024 counterpart.\n"
	"coverage import: per-state legal coverage from CSV (iso3,article_id,\n"
	"  covered,legal_citation,source_url,note,basis; covered yes|partial|no|\n"
	"  unknown; yes and partial need a citation and a URL).  mlat import:\n"
	"  a,b,signed,in_force,source_url,note.  contacts import (24/7 points of\n"
	"  contact): iso3,since,source_url,note.  Every row is checked; on any\n"
	"  fault every fault is listed (the first 50), nothing is written, exit 3.\n"
	"  --delimiter ';' (or tab) reads a file whose fields are separated so,\n"
	"  as a spreadsheet saves CSV in a locale with a decimal comma; such a\n"
	"  header is refused without it.\n"
	"coverage export: the stored coverage as CSV that import reads back.\n\n"
	"A malformed state code, offence id, treaty id or date is a usage error\n"
	"(exit 2); an unknown state, offence or treaty, an article that is not an\n"
	"offence, or a rejected file exits 3.\n";

/* Parsed options of a crime subcommand. */
struct copts {
	const char *pos[4];   /* positionals after the subcommand */
	int npos;
	const char *offence, *date, *country, *out;
	bool csv, observers;
};

static int parse(struct cli_opts *o, int from, struct copts *c,
		 struct cdg_err *e)
{
	memset(c, 0, sizeof *c);
	for (int i = from; i < o->nrest; i++) {
		const char *a = o->rest[i];
		const char **slot = NULL;
		if (strcmp(a, "--offence") == 0)
			slot = &c->offence;
		else if (strcmp(a, "--date") == 0)
			slot = &c->date;
		else if (strcmp(a, "--country") == 0)
			slot = &c->country;
		else if (strcmp(a, "--out") == 0)
			slot = &c->out;
		if (slot) {
			if (i + 1 >= o->nrest)
				return cli_usage(e, "crime", "%s needs a value", a);
			*slot = o->rest[++i];
		} else if (strcmp(a, "--csv") == 0) {
			c->csv = true;
		} else if (strcmp(a, "--observers") == 0) {
			c->observers = true;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage(e, "crime", "unknown option \"%s\"", a);
		} else if (c->npos < 4) {
			c->pos[c->npos++] = a;
		} else {
			return cli_usage(e, "crime", "too many arguments");
		}
	}
	return 0;
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Runs a JSON use case into a buffer and prints it (--json) or hands the
 * parsed document to a text renderer. */
static int show(struct cli_opts *o, struct buf *b, void (*text)(json_t *root))
{
	if (o->json) {
		cli_print(b);
		return 0;
	}
	json_t *root = json_loads(b->p, 0, NULL);
	text(root);
	json_decref(root);
	return 0;
}

static void text_coverage(json_t *c)
{
	printf("    %s %s", js(c, "iso3"), js(c, "covered"));
	if (*js(c, "legal_citation"))
		printf(": %s", js(c, "legal_citation"));
	if (*js(c, "basis"))
		printf(" [%s]", js(c, "basis"));
	if (*js(c, "source_url"))
		printf("\n      %s", js(c, "source_url"));
	printf("\n");
}

static void text_pair(json_t *r)
{
	json_t *s = json_object_get(r, "summary");
	printf("%s - %s on %s: dual criminality holds %lld, presumed %lld, "
	       "fails %lld, uncertain %lld; %lld offence(s) without channel\n",
	       js(r, "a"), js(r, "b"), js(r, "date"),
	       json_integer_value(json_object_get(s, "holds")),
	       json_integer_value(json_object_get(s, "presumed")),
	       json_integer_value(json_object_get(s, "fails")),
	       json_integer_value(json_object_get(s, "uncertain")),
	       json_integer_value(json_object_get(s, "without_channel")));
	size_t i, k;
	json_t *x, *ch;
	json_array_foreach(json_object_get(r, "network_247"), i, x) {
		printf("24/7 network (Art. 35): %s ", js(x, "iso3"));
		if (json_is_true(json_object_get(x, "on_record")) &&
		    !json_is_true(json_object_get(x, "member")))
			printf("not a member on this date (not yet a party to ETS 185; "
			       "designation on record: %s)\n", js(x, "source_url"));
		else if (!json_is_true(json_object_get(x, "member")))
			printf("no point of contact on record\n");
		else if (*js(x, "since"))
			printf("member since %s (%s)\n", js(x, "since"), js(x, "source_url"));
		else
			printf("member, date not verified (%s)\n", js(x, "source_url"));
	}
	json_array_foreach(json_object_get(r, "offences"), i, x) {
		printf("\n%s %s [%s]\n  dual criminality: %s\n    %s\n", js(x, "id"),
		       js(x, "title"), js(x, "class"), js(x, "dual_criminality"),
		       js(x, "dual_basis"));
		json_t *cov = json_object_get(x, "coverage");
		text_coverage(json_object_get(cov, "a"));
		text_coverage(json_object_get(cov, "b"));
		json_array_foreach(json_object_get(x, "channels"), k, ch) {
			const char *t = js(ch, "type");
			if (strcmp(t, "treaty") == 0 &&
			    json_is_true(json_object_get(ch, "dates_verified")))
				printf("  channel: treaty %s (in force %s %s, %s %s)\n",
				       js(ch, "treaty"), js(r, "a"), js(ch, "a_in_force"),
				       js(r, "b"), js(ch, "b_in_force"));
			else if (strcmp(t, "treaty") == 0)
				printf("  channel, date not verified: treaty %s (%s %s; "
				       "%s %s)\n", js(ch, "treaty"), js(r, "a"),
				       js(ch, "a_party"), js(r, "b"), js(ch, "b_party"));
			else if (strcmp(t, "mlat") == 0)
				printf("  channel: bilateral MLAT in force %s\n      %s\n",
				       js(ch, "in_force"), js(ch, "source_url"));
			else
				printf("  channel: 24/7 network (%s %s%s, %s %s%s)\n",
				       js(r, "a"), *js(ch, "a_since") ? "since " :
				       "member, date not verified", js(ch, "a_since"),
				       js(r, "b"), *js(ch, "b_since") ? "since " :
				       "member, date not verified", js(ch, "b_since"));
		}
		if (*js(x, "missing"))
			printf("  %s\n", js(x, "missing"));
	}
	json_t *cav = json_object_get(r, "caveats");
	if (json_array_size(cav))
		printf("\ncaveats:\n");
	json_array_foreach(cav, i, x)
		printf("  - %s\n", json_string_value(x));
}

static int crime_pair_cmd(struct cli_opts *o, struct app *a, struct copts *c,
			  struct cdg_err *e)
{
	if (c->npos != 2)
		return cli_usage(e, "crime", "pair needs two ISO3 codes");
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, true);
	int rc = app_crime_pair_json(a, c->pos[0], c->pos[1], c->offence, c->date,
				     &w, e);
	if (rc == 0)
		show(o, &b, text_pair);
	buf_free(&b);
	return rc;
}

/* Rows of a matrix CSV whose dual column (the fifth) says "presumed". */
static long long count_presumed(const struct buf *csv)
{
	long long n = 0;
	for (const char *p = csv->p; *p;) {
		const char *f = p;
		for (int k = 0; k < 4 && f; k++) {
			f = strchr(f, ',');
			f = f ? f + 1 : NULL;
		}
		n += f && strncmp(f, "presumed,", 9) == 0;
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	return n;
}

static int crime_matrix_cmd(struct cli_opts *o, struct app *a, struct copts *c,
			    struct cdg_err *e)
{
	if (c->npos)
		return cli_usage(e, "crime", "matrix takes no arguments");
	if (o->json && (c->csv || c->out))
		return cli_usage(e, "crime", "--json prints a summary; it does not "
				 "go with --csv or --out");
	struct app_crime_matrix_opts mo = {c->offence, c->date, c->observers};
	struct app_crime_matrix_report rep;
	struct buf csv = BUF_INIT;
	int rc = app_crime_matrix(a, &mo, &csv, &rep, e);
	if (rc == 0 && o->json) {
		struct buf b = BUF_INIT;
		struct jw w;
		jw_init(&w, &b, true);
		jw_obj(&w);
		jw_kstr(&w, "offence", c->offence ? c->offence : "all");
		jw_kstr(&w, "date", rep.date);
		jw_kint(&w, "states", (long long)rep.states);
		jw_kint(&w, "offences", (long long)rep.offences);
		jw_kint(&w, "rows", (long long)rep.rows);
		jw_kint(&w, "cells_computed", (long long)rep.cells);
		jw_kint(&w, "holds", (long long)rep.dual[2]);
		jw_kint(&w, "fails", (long long)rep.dual[1]);
		jw_kint(&w, "uncertain", (long long)rep.dual[0]);
		jw_kint(&w, "presumed", count_presumed(&csv));
		jw_kint(&w, "with_channel", (long long)rep.with_channel);
		jw_knum(&w, "ms_load", rep.ms_load);
		jw_knum(&w, "ms_compute", rep.ms_compute);
		jw_knum(&w, "ms_total", rep.ms_total);
		jw_obj_end(&w);
		cli_print(&b);
		buf_free(&b);
	} else if (rc == 0 && c->out) {
		rc = file_write_atomic(c->out, csv.p, csv.len, e);
	} else if (rc == 0) {
		fwrite(csv.p, 1, csv.len, stdout);
	}
	buf_free(&csv);
	return rc;
}

static void text_treaty(json_t *r)
{
	json_t *t = json_object_get(r, "threshold");
	printf("%s %s\nas of %s\n", js(r, "treaty"), js(r, "name"), js(r, "as_of"));
	printf("threshold: %lld consents", json_integer_value(json_object_get(t, "count")));
	if (*js(t, "sub_group"))
		printf(" including %lld %s", json_integer_value(json_object_get(t, "sub_count")),
		       js(t, "sub_group"));
	printf("; then %s %lld (%s)\n", js(t, "rule"),
	       json_integer_value(json_object_get(t, "lag")), js(t, "source_url"));
	printf("parties listed: %lld, with a consent date: %lld; counted as of %s: %lld",
	       json_integer_value(json_object_get(r, "parties_listed")),
	       json_integer_value(json_object_get(r, "consents_dated")),
	       js(r, "as_of"), json_integer_value(json_object_get(r, "consents")));
	if (json_object_get(r, "sub_consents"))
		printf(" (%lld %s)", json_integer_value(json_object_get(r, "sub_consents")),
		       js(t, "sub_group"));
	printf("\nstatus: %s", js(r, "status"));
	if (json_integer_value(json_object_get(r, "short_by")))
		printf(", short by %lld", json_integer_value(json_object_get(r, "short_by")));
	printf("\n");
	if (*js(r, "reached_on"))
		printf("threshold reached on %s by the listed consents -> entry into "
		       "force %s\n", js(r, "reached_on"),
		       js(r, "computed_entry_into_force"));
	if (*js(r, "recorded_entry_into_force"))
		printf("recorded entry into force: %s\n",
		       js(r, "recorded_entry_into_force"));
	if (json_is_true(json_object_get(r, "incomplete")))
		printf("INCOMPLETE DATA\n");
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(r, "notes"), i, x)
		printf("  - %s\n", json_string_value(x));
}

static void text_check(json_t *r)
{
	json_t *ins = json_object_get(r, "instrument"), *s = json_object_get(r, "summary");
	printf("%s (%lld articles encoded)\n%s\nprinciples: %lld conform, %lld do not "
	       "conform, %lld cannot tell\n", js(ins, "name"),
	       json_integer_value(json_object_get(ins, "articles")),
	       js(ins, "source_url"),
	       json_integer_value(json_object_get(s, "conforms")),
	       json_integer_value(json_object_get(s, "does_not_conform")),
	       json_integer_value(json_object_get(s, "cannot_tell")));
	size_t i, k;
	json_t *p, *f;
	json_array_foreach(json_object_get(r, "principles"), i, p) {
		printf("\n%s %s: %s\n  %s\n", js(p, "id"), js(p, "title"),
		       js(p, "verdict"), js(p, "reason"));
		json_array_foreach(json_object_get(p, "findings"), k, f)
			if (strcmp(js(f, "verdict"), "conforms") != 0)
				printf("    %s: %s: %s\n", *js(f, "article") ? js(f, "article")
				       : "instrument", js(f, "verdict"), js(f, "why"));
	}
}

static void text_articles(json_t *r)
{
	size_t i;
	json_t *x;
	json_array_foreach(r, i, x) {
		json_t *un = json_object_get(x, "un");
		char unb[32] = "-";
		if (json_is_object(un))
			snprintf(unb, sizeof unb, "UN %s%s", js(un, "article"),
				 json_is_true(json_object_get(un, "verified")) ? "" : "?");
		printf("%-5s %-16s %-15s %-8s %s\n", js(x, "id"), js(x, "kind"),
		       *js(x, "class") ? js(x, "class") : "-", unb, js(x, "title"));
	}
	printf("(UN n? = counterpart not verified; see data/crime/README.md)\n");
}

static int crime_import_cmd(struct cli_opts *o, struct app *a, struct copts *c,
			    const char *what, struct cdg_err *e)
{
	if (c->npos != 1)
		return cli_usage(e, "crime", "%s import takes one FILE", what);
	struct app_crime_import_report rep;
	struct err_list errs;
	errs_init(&errs, 50);
	int rc;
	if (strcmp(what, "coverage") == 0)
		rc = app_crime_coverage_import(a, c->pos[0], cli_actor(o), &rep, &errs, e);
	else if (strcmp(what, "mlat") == 0)
		rc = app_crime_mlat_import(a, c->pos[0], cli_actor(o), &rep, &errs, e);
	else
		rc = app_crime_contacts_import(a, c->pos[0], cli_actor(o), &rep, &errs, e);
	if (rc == CDG_EINPUT) {
		for (size_t i = 0; i < errs.n; i++) {
			char msg[1024];
			err_format(&errs.v[i], msg, sizeof msg);
			fprintf(stderr, "cdg: %s\n", msg);
		}
		if (errs.total > (long)errs.n)
			fprintf(stderr, "cdg: ... and %ld more\n", errs.total - (long)errs.n);
	} else if (rc == 0 && o->json) {
		printf("{\"file\":\"%s\",\"rows\":%ld,\"written\":%lld,\"unchanged\":%lld}\n",
		       c->pos[0], rep.rows, rep.written, rep.unchanged);
	} else if (rc == 0) {
		printf("%s: %ld rows, %lld written, %lld unchanged\n", c->pos[0],
		       rep.rows, rep.written, rep.unchanged);
	}
	errs_free(&errs);
	return rc;
}

static int crime_coverage_cmd(struct cli_opts *o, struct app *a,
			      struct copts *c, struct cdg_err *e)
{
	if (c->npos < 1)
		return cli_usage(e, "crime", "say coverage import or coverage export");
	const char *sub = c->pos[0];
	c->npos--;
	memmove(c->pos, c->pos + 1, sizeof c->pos - sizeof c->pos[0]);
	if (strcmp(sub, "import") == 0)
		return crime_import_cmd(o, a, c, "coverage", e);
	if (strcmp(sub, "export") != 0)
		return cli_usage(e, "crime", "unknown coverage subcommand \"%s\"", sub);
	if (c->npos)
		return cli_usage(e, "crime", "coverage export takes no arguments");
	struct buf b = BUF_INIT;
	int rc = app_crime_coverage_export(a, c->country, &b, e);
	if (rc == 0 && c->out)
		rc = file_write_atomic(c->out, b.p, b.len, e);
	else if (rc == 0)
		fwrite(b.p, 1, b.len, stdout);
	buf_free(&b);
	return rc;
}

int cmd_crime(struct cli_opts *o, struct cdg_err *e)
{
	if (o->nargs < 1)
		return cli_usage(e, "crime", "say pair, matrix, treaty, check, "
				 "articles, coverage, mlat or contacts");
	const char *sub = o->args[0];
	static const char *const subs[] = {"pair", "matrix", "treaty", "check",
		"articles", "coverage", "mlat", "contacts"};
	bool known = false, write = false;
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		known = known || strcmp(subs[i], sub) == 0;
	if (!known)
		return cli_usage(e, "crime", "unknown subcommand \"%s\"", sub);
	char sep = ',';
	int rc = cli_take_delimiter(o, "crime", &sep, e);
	if (rc)
		return rc;
	/* rest[0] is the subcommand itself (the first positional). */
	int from = 0;
	while (from < o->nrest && o->rest[from] != sub)
		from++;
	struct copts c;
	rc = parse(o, from + 1, &c, e);
	if (rc)
		return rc;
	if (strcmp(sub, "mlat") == 0 || strcmp(sub, "contacts") == 0) {
		if (c.npos < 1 || strcmp(c.pos[0], "import") != 0)
			return cli_usage(e, "crime", "say %s import FILE", sub);
		c.npos--;
		memmove(c.pos, c.pos + 1, sizeof c.pos - sizeof c.pos[0]);
		write = true;
	}
	if (strcmp(sub, "coverage") == 0 && c.npos && strcmp(c.pos[0], "import") == 0)
		write = true;
	if (sep != ',' && !write)
		return cli_usage(e, "crime", "--delimiter goes with an import");
	struct app a;
	rc = cli_open(o, &a, write, e);
	if (rc)
		return rc;
	a.csv_sep = sep;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, true);
	if (strcmp(sub, "pair") == 0) {
		rc = crime_pair_cmd(o, &a, &c, e);
	} else if (strcmp(sub, "matrix") == 0) {
		rc = crime_matrix_cmd(o, &a, &c, e);
	} else if (strcmp(sub, "treaty") == 0) {
		if (c.npos != 1)
			rc = cli_usage(e, "crime", "treaty takes one treaty id");
		else if ((rc = app_crime_treaty_json(&a, c.pos[0], c.date, &w, e)) == 0)
			show(o, &b, text_treaty);
	} else if (strcmp(sub, "check") == 0) {
		if (c.npos != 1)
			rc = cli_usage(e, "crime", "check takes one instrument FILE");
		else if ((rc = app_crime_check_json(&a, c.pos[0], &w, e)) == 0)
			show(o, &b, text_check);
	} else if (strcmp(sub, "articles") == 0) {
		if (c.npos)
			rc = cli_usage(e, "crime", "articles takes no arguments");
		else if ((rc = app_crime_articles_json(&a, &w, e)) == 0)
			show(o, &b, text_articles);
	} else if (strcmp(sub, "coverage") == 0) {
		rc = crime_coverage_cmd(o, &a, &c, e);
	} else {
		rc = crime_import_cmd(o, &a, &c, sub, e);
	}
	buf_free(&b);
	app_close(&a);
	return rc;
}
