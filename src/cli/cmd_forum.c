/* cdg forum: the standing forum (issue 9).  Argument parsing and output
 * only; the rules live in app/forum.c (docs/forum.md). */
#include "cli/cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "formats/formats.h"

const char cmd_forum_usage[] =
	"cdg forum SUBCOMMAND ...\n\n"
	"The standing forum: accredited stakeholder organisations submit written\n"
	"proposals on agenda items, comment on and endorse each other's; the\n"
	"secretariat records decisions (by consensus, or by vote with the tally)\n"
	"with the actions agreed, whose owners report progress.  Rules and roles:\n"
	"docs/forum.md.  Writes act as --actor (default: $CDG_ACTOR, else\n"
	"cli:$USER, a local operator).  Ids may be written 3 or P3 / D3 / A3.\n\n"
	"Secretariat:\n"
	"  org add NAME --group GROUP [--country ISO3]   (GROUP: state, international_organisation,\n"
	"                 business, civil_society, technical_community, academia; a state names ISO3)\n"
	"  org accredit ORG\n"
	"  org member ORG ACCOUNT                  make an account a member of ORG\n"
	"  session add --title T [--kind session|consultation] --from DATE [--to DATE] [--description D]\n"
	"  item add SESSION --title T [--description D]\n"
	"  doc add SESSION --title T --access public|registered (--text T | --file F) [--item N] [--url U]\n"
	"  doc version DOC (--text T | --file F) [--url U]\n"
	"  decide --item N (--consensus | --vote YES,NO,ABSTAIN) --text T [--draws-on P1,P2]\n"
	"         [--adopted-on DATE] [--action 'TITLE|OWNER_ORG|DEADLINE' ...]\n"
	"  action add DECISION --title T --owner ORG --deadline DATE\n"
	"Members of an accredited organisation (--org: on whose behalf):\n"
	"  propose --item N --org ORG --title T (--text T | --file F) [--refs a,CDG1,BC2]\n"
	"  revise PROPOSAL --title T (--text T | --file F) [--refs ...]\n"
	"  comment PROPOSAL --org ORG --text T\n"
	"  endorse PROPOSAL --org ORG\n"
	"  action update ACTION --status agreed|in_progress|done [--note N]   (also the secretariat)\n"
	"Everyone:\n"
	"  org list | session list | session show ID | doc list [--session N] [--registered]\n"
	"  proposal list [--session N] | proposal show ID | decision list | decision show ID\n"
	"  action list [--country ISO3]\n"
	"  monitor [--country ISO3] [--today DATE]   what was agreed, done, in progress, overdue\n"
	"  export [--registered] [--out FILE]    every public record as JSON (--registered:\n"
	"                                         registered documents too; the secretariat)\n"
	"  feed [--base URL]                      the public record as an Atom 1.0 feed\n\n"
	"Listings print JSON (--json: compact); monitor prints a summary and one\n"
	"line per action (--json: the JSON).  Bad values are refused naming the\n"
	"field (exit 3, nothing written); refusals by role exit 1.\n"
	"Secretariat: import FILE restores an export into the empty forum of a new\n"
	"database, every record with its id and who wrote it when; exporting again\n"
	"gives the same JSON (docs/exchange.md).  Memberships name accounts and are\n"
	"not exported: add them again.\n";

/* Options taking a value; everything else starting with -- is a flag. */
static const char *const valued[] = {"--group", "--country", "--title", "--kind",
	"--from", "--to", "--description", "--access", "--text", "--file", "--item",
	"--url", "--org", "--refs", "--vote", "--draws-on", "--adopted-on",
	"--action", "--owner", "--deadline", "--status", "--note", "--session",
	"--today", "--base", "--out", NULL};
static const char *const flags[] = {"--consensus", "--registered", NULL};

#define MAX_ACTIONS 32

struct args {
	const char *pos[8];        /* positional arguments */
	int npos;
	const char *name[32];      /* options given, with their values */
	const char *val[32];
	int nopt;
	const char *action[MAX_ACTIONS]; /* --action, repeatable */
	int nactions;
};

static bool in(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

static int parse(struct cli_opts *o, struct args *p, struct cdg_err *e)
{
	memset(p, 0, sizeof *p);
	for (int i = 0; i < o->nrest; i++) {
		const char *a = o->rest[i];
		if (strncmp(a, "--", 2) == 0 && in(valued, a)) {
			if (i + 1 >= o->nrest)
				return cli_usage(e, "forum", "%s needs a value", a);
			if (strcmp(a, "--action") == 0) {
				if (p->nactions == MAX_ACTIONS)
					return cli_usage(e, "forum", "at most %d actions", MAX_ACTIONS);
				p->action[p->nactions++] = o->rest[++i];
			} else if (p->nopt < 32) {
				p->name[p->nopt] = a;
				p->val[p->nopt++] = o->rest[++i];
			}
		} else if (strncmp(a, "--", 2) == 0 && in(flags, a)) {
			if (p->nopt < 32) {
				p->name[p->nopt] = a;
				p->val[p->nopt++] = "";
			}
		} else if (a[0] == '-' && a[1]) {
			return cli_usage(e, "forum", "unknown option \"%s\"", a);
		} else if (p->npos < 8) {
			p->pos[p->npos++] = a;
		} else {
			return cli_usage(e, "forum", "too many arguments");
		}
	}
	return 0;
}

static const char *opt(const struct args *p, const char *name)
{
	for (int i = 0; i < p->nopt; i++)
		if (strcmp(p->name[i], name) == 0)
			return p->val[i];
	return NULL;
}

/* An id: "3", or "P3" / "D3" / "A3" / "S3"... (one letter then digits). */
static int parse_id(const char *s, const char *field, long long *out,
		    struct cdg_err *e)
{
	long v = 0;
	const char *d = s && ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) ? s + 1 : s;
	if (!s || parse_long(d, 1, 1000000000L, &v) != 0)
		return err_at(e, CDG_EINPUT, NULL, 0, field, "\"%s\" is not an id "
			      "(a positive number, e.g. 3 or P3)", s ? s : "");
	*out = v;
	return 0;
}

static int need(const struct args *p, const char *name, const char **out,
		struct cdg_err *e)
{
	*out = opt(p, name);
	if (!*out)
		return cli_usage(e, "forum", "%s is required", name);
	return 0;
}

static int id_opt(const struct args *p, const char *name, long long *out,
		  struct cdg_err *e)
{
	const char *v;
	int rc = need(p, name, &v, e);
	return rc ? rc : parse_id(v, name + 2, out, e);
}

static int id_pos(const struct args *p, int i, const char *field,
		  long long *out, struct cdg_err *e)
{
	if (p->npos <= i)
		return cli_usage(e, "forum", "give the %s id", field);
	return parse_id(p->pos[i], field, out, e);
}

/* --text T or --file F (read whole); the caller frees *tmp. */
static int text_of(const struct args *p, struct buf *tmp, const char **out,
		   struct cdg_err *e)
{
	const char *t = opt(p, "--text"), *f = opt(p, "--file");
	if (!t == !f)
		return cli_usage(e, "forum", "give --text TEXT or --file FILE");
	if (t) {
		*out = t;
		return 0;
	}
	int rc = file_read_all(f, tmp, e);
	if (rc == 0 && strlen(tmp->p) != tmp->len)
		rc = err_at(e, CDG_EINPUT, f, 0, "text", "the file holds a NUL byte");
	*out = tmp->p;
	return rc;
}

/* Splits a comma list into at most max parts (in place in a copy). */
static size_t split_list(char *s, const char **out, size_t max)
{
	size_t n = 0;
	for (char *t = strtok(s, ","); t && n < max; t = strtok(NULL, ","))
		out[n++] = t;
	return n;
}

static void print_created(struct cli_opts *o, const char *what, char letter,
			  long long id)
{
	if (o->json)
		printf("{\"%s\":%lld}\n", "id", id);
	else if (letter)
		printf("%s %c%lld\n", what, letter, id);
	else
		printf("%s %lld\n", what, id);
}

static int print_read(struct cli_opts *o, struct app *a, const char *what,
		      long long id, const char *param, bool signed_in,
		      struct cdg_err *e)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, !o->json);
	int rc = app_forum_json(a, what, id, param, signed_in, &w, e);
	if (rc == 0)
		cli_print(&b);
	buf_free(&b);
	return rc;
}

/* ---- subcommands ---------------------------------------------------------------- */

static int org_cmd(struct cli_opts *o, struct app *a, const struct args *p,
		   struct cdg_err *e)
{
	const char *sub = p->npos > 1 ? p->pos[1] : "";
	const char *actor = cli_actor(o);
	long long id = 0;
	int rc;
	if (strcmp(sub, "add") == 0) {
		const char *group;
		if (p->npos < 3)
			return cli_usage(e, "forum", "org add NAME --group GROUP");
		if ((rc = need(p, "--group", &group, e)))
			return rc;
		rc = app_forum_org_add(a, actor, p->pos[2], group, opt(p, "--country"), &id, e);
		if (rc == 0)
			print_created(o, "organisation", 0, id);
		return rc;
	}
	if (strcmp(sub, "accredit") == 0) {
		if ((rc = id_pos(p, 2, "org", &id, e)) ||
		    (rc = app_forum_org_accredit(a, actor, id, e)))
			return rc;
		printf("organisation %lld accredited\n", id);
		return 0;
	}
	if (strcmp(sub, "member") == 0) {
		if ((rc = id_pos(p, 2, "org", &id, e)))
			return rc;
		if (p->npos < 4)
			return cli_usage(e, "forum", "org member ORG ACCOUNT");
		if ((rc = app_forum_member_add(a, actor, id, p->pos[3], e)))
			return rc;
		printf("%s is a member of organisation %lld\n", p->pos[3], id);
		return 0;
	}
	if (strcmp(sub, "list") == 0)
		return print_read(o, a, "orgs", 0, NULL, false, e);
	return cli_usage(e, "forum", "org add|accredit|member|list");
}

static int session_cmd(struct cli_opts *o, struct app *a, const struct args *p,
		       struct cdg_err *e)
{
	const char *sub = p->npos > 1 ? p->pos[1] : "";
	long long id = 0;
	int rc;
	if (strcmp(sub, "add") == 0) {
		struct app_forum_session s = {opt(p, "--kind"), NULL, NULL,
					      opt(p, "--to"), opt(p, "--description")};
		if (!s.kind)
			s.kind = "session";
		if ((rc = need(p, "--title", &s.title, e)) ||
		    (rc = need(p, "--from", &s.starts_on, e)) ||
		    (rc = app_forum_session_add(a, cli_actor(o), &s, &id, e)))
			return rc;
		print_created(o, "session", 'S', id);
		return 0;
	}
	if (strcmp(sub, "list") == 0)
		return print_read(o, a, "sessions", 0, NULL, false, e);
	if (strcmp(sub, "show") == 0)
		return (rc = id_pos(p, 2, "session", &id, e)) ? rc
			: print_read(o, a, "session", id, NULL, opt(p, "--registered") != NULL, e);
	return cli_usage(e, "forum", "session add|list|show");
}

static int item_cmd(struct cli_opts *o, struct app *a, const struct args *p,
		    struct cdg_err *e)
{
	long long session = 0, id = 0;
	const char *title;
	int rc;
	if (p->npos < 2 || strcmp(p->pos[1], "add") != 0)
		return cli_usage(e, "forum", "item add SESSION --title T");
	if ((rc = id_pos(p, 2, "session", &session, e)) ||
	    (rc = need(p, "--title", &title, e)) ||
	    (rc = app_forum_item_add(a, cli_actor(o), session, title,
				     opt(p, "--description"), &id, e)))
		return rc;
	print_created(o, "agenda item", 0, id);
	return 0;
}

static int doc_cmd(struct cli_opts *o, struct app *a, const struct args *p,
		   struct cdg_err *e)
{
	const char *sub = p->npos > 1 ? p->pos[1] : "";
	struct buf tmp = BUF_INIT;
	long long id = 0;
	int rc;
	if (strcmp(sub, "add") == 0) {
		struct app_forum_doc d = {0};
		d.url = opt(p, "--url");
		if ((rc = id_pos(p, 2, "session", &d.session, e)) == 0 &&
		    (rc = need(p, "--title", &d.title, e)) == 0 &&
		    (rc = need(p, "--access", &d.access, e)) == 0 &&
		    (!opt(p, "--item") || (rc = parse_id(opt(p, "--item"), "item", &d.item, e)) == 0) &&
		    (rc = text_of(p, &tmp, &d.text, e)) == 0 &&
		    (rc = app_forum_doc_add(a, cli_actor(o), &d, &id, e)) == 0)
			print_created(o, "document", 0, id);
	} else if (strcmp(sub, "version") == 0) {
		const char *text;
		if ((rc = id_pos(p, 2, "document", &id, e)) == 0 &&
		    (rc = text_of(p, &tmp, &text, e)) == 0 &&
		    (rc = app_forum_doc_version(a, cli_actor(o), id, text, opt(p, "--url"), e)) == 0)
			printf("document %lld: new version recorded\n", id);
	} else if (strcmp(sub, "list") == 0) {
		long long session = 0;
		rc = opt(p, "--session") ? parse_id(opt(p, "--session"), "session", &session, e) : 0;
		if (rc == 0)
			rc = print_read(o, a, "documents", session, NULL,
					opt(p, "--registered") != NULL, e);
	} else {
		rc = cli_usage(e, "forum", "doc add|version|list");
	}
	buf_free(&tmp);
	return rc;
}

/* propose (proposal 0) or revise. */
static int propose_cmd(struct cli_opts *o, struct app *a, const struct args *p,
		       bool revise, struct cdg_err *e)
{
	struct app_forum_proposal x = {0};
	struct buf tmp = BUF_INIT;
	const char *refs[64];
	char *copy = opt(p, "--refs") ? xstrdup(opt(p, "--refs")) : NULL;
	long long proposal = 0, id = 0;
	int rc = revise ? id_pos(p, 1, "proposal", &proposal, e)
			: id_opt(p, "--item", &x.item, e);
	if (rc == 0 && !revise)
		rc = id_opt(p, "--org", &x.org, e);
	if (rc == 0)
		rc = need(p, "--title", &x.title, e);
	if (rc == 0)
		rc = text_of(p, &tmp, &x.text, e);
	if (rc == 0 && copy) {
		x.nrefs = split_list(copy, refs, 64);
		x.refs = refs;
	}
	if (rc == 0)
		rc = revise ? app_forum_revise(a, cli_actor(o), proposal, &x, e)
			    : app_forum_propose(a, cli_actor(o), &x, &id, e);
	if (rc == 0 && revise)
		printf("proposal P%lld: new version recorded\n", proposal);
	else if (rc == 0)
		print_created(o, "proposal", 'P', id);
	free(copy);
	buf_free(&tmp);
	return rc;
}

static int comment_cmd(struct cli_opts *o, struct app *a, const struct args *p,
		       bool endorse, struct cdg_err *e)
{
	long long proposal = 0, org = 0, id = 0;
	const char *text = NULL;
	int rc = id_pos(p, 1, "proposal", &proposal, e);
	if (rc == 0)
		rc = id_opt(p, "--org", &org, e);
	if (rc == 0 && !endorse)
		rc = need(p, "--text", &text, e);
	if (rc)
		return rc;
	if (endorse) {
		rc = app_forum_endorse(a, cli_actor(o), proposal, org, e);
		if (rc == 0)
			printf("organisation %lld endorses proposal P%lld\n", org, proposal);
		return rc;
	}
	rc = app_forum_comment(a, cli_actor(o), proposal, org, text, &id, e);
	if (rc == 0)
		print_created(o, "comment", 0, id);
	return rc;
}

/* "TITLE|OWNER|DEADLINE" */
static int parse_action(const char *s, char *copy, struct app_forum_action *x,
			struct cdg_err *e)
{
	strcpy(copy, s);
	char *bar1 = strchr(copy, '|');
	char *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
	if (!bar2)
		return err_at(e, CDG_EINPUT, NULL, 0, "action", "\"%s\" is not "
			      "TITLE|OWNER_ORG|DEADLINE", s);
	*bar1 = *bar2 = '\0';
	x->title = copy;
	x->deadline = bar2 + 1;
	return parse_id(bar1 + 1, "action.owner", &x->owner, e);
}

static int decide_cmd(struct cli_opts *o, struct app *a, const struct args *p,
		      struct cdg_err *e)
{
	struct app_forum_decision d = {0};
	d.yes = d.no = d.abstain = -1;
	long long draws[64];
	struct app_forum_action acts[MAX_ACTIONS];
	char *copies[MAX_ACTIONS] = {0};
	char *list = NULL;
	long long id = 0;
	int rc = id_opt(p, "--item", &d.item, e);
	bool consensus = opt(p, "--consensus") != NULL;
	const char *vote = opt(p, "--vote");
	if (rc == 0 && consensus == (vote != NULL))
		rc = cli_usage(e, "forum", "decide wants --consensus or --vote YES,NO,ABSTAIN");
	if (rc == 0)
		rc = need(p, "--text", &d.text, e);
	if (rc)
		return rc;
	d.method = consensus ? "consensus" : "vote";
	d.adopted_on = opt(p, "--adopted-on");
	if (vote) {
		long t[3];
		char extra;
		if (sscanf(vote, "%ld,%ld,%ld%c", &t[0], &t[1], &t[2], &extra) != 3)
			return err_at(e, CDG_EINPUT, NULL, 0, "vote", "\"%s\" is not "
				      "YES,NO,ABSTAIN (three counts)", vote);
		d.yes = t[0];
		d.no = t[1];
		d.abstain = t[2];
	}
	if (opt(p, "--draws-on")) {
		list = xstrdup(opt(p, "--draws-on"));
		const char *parts[64];
		d.ndraws = split_list(list, parts, 64);
		for (size_t i = 0; rc == 0 && i < d.ndraws; i++)
			rc = parse_id(parts[i], "draws_on", &draws[i], e);
		d.draws_on = draws;
	}
	for (int i = 0; rc == 0 && i < p->nactions; i++) {
		copies[i] = xmalloc(strlen(p->action[i]) + 1);
		rc = parse_action(p->action[i], copies[i], &acts[i], e);
	}
	d.actions = acts;
	d.nactions = (size_t)p->nactions;
	if (rc == 0)
		rc = app_forum_decide(a, cli_actor(o), &d, &id, e);
	if (rc == 0)
		print_created(o, "decision", 'D', id);
	for (int i = 0; i < p->nactions; i++)
		free(copies[i]);
	free(list);
	return rc;
}

static int action_cmd(struct cli_opts *o, struct app *a, const struct args *p,
		      struct cdg_err *e)
{
	const char *sub = p->npos > 1 ? p->pos[1] : "";
	long long id = 0, decision = 0;
	int rc;
	if (strcmp(sub, "add") == 0) {
		struct app_forum_action x = {0};
		if ((rc = id_pos(p, 2, "decision", &decision, e)) ||
		    (rc = need(p, "--title", &x.title, e)) ||
		    (rc = id_opt(p, "--owner", &x.owner, e)) ||
		    (rc = need(p, "--deadline", &x.deadline, e)) ||
		    (rc = app_forum_action_add(a, cli_actor(o), decision, &x, &id, e)))
			return rc;
		print_created(o, "action", 'A', id);
		return 0;
	}
	if (strcmp(sub, "update") == 0) {
		const char *status;
		if ((rc = id_pos(p, 2, "action", &id, e)) ||
		    (rc = need(p, "--status", &status, e)) ||
		    (rc = app_forum_action_update(a, cli_actor(o), id, status,
						  opt(p, "--note"), e)))
			return rc;
		printf("action A%lld: %s\n", id, status);
		return 0;
	}
	if (strcmp(sub, "list") == 0)
		return print_read(o, a, "actions", 0, opt(p, "--country"), false, e);
	return cli_usage(e, "forum", "action add|update|list");
}

static int show_cmd(struct cli_opts *o, struct app *a, const struct args *p,
		    const char *one, const char *many, struct cdg_err *e)
{
	const char *sub = p->npos > 1 ? p->pos[1] : "";
	long long id = 0;
	int rc;
	if (strcmp(sub, "list") == 0) {
		rc = opt(p, "--session") ? parse_id(opt(p, "--session"), "session", &id, e) : 0;
		return rc ? rc : print_read(o, a, many, id, NULL, false, e);
	}
	if (strcmp(sub, "show") == 0)
		return (rc = id_pos(p, 2, one, &id, e)) ? rc
			: print_read(o, a, one, id, NULL, false, e);
	return cli_usage(e, "forum", "%s list|show", one);
}

static int monitor_cmd(struct cli_opts *o, struct app *a, const struct args *p,
		       struct cdg_err *e)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, false);
	int rc = app_forum_monitor_json(a, opt(p, "--country"), opt(p, "--today"), &w, e);
	if (rc == 0 && o->json) {
		cli_print(&b);
	} else if (rc == 0) {
		json_t *m = json_loads(b.p, 0, NULL);
		cli_print_forum_monitor(m, true);
		json_decref(m);
	}
	buf_free(&b);
	return rc;
}

static int export_cmd(struct cli_opts *o, struct app *a, const struct args *p,
		      struct cdg_err *e)
{
	bool registered = opt(p, "--registered") != NULL;
	int rc = registered ? app_authorize(a, cli_actor(o), APP_FORUM_ADMIN, NULL, e) : 0;
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, !o->json);
	rc = app_forum_export_json(a, registered, &w, e);
	if (rc == 0) {
		buf_addc(&b, '\n');
		rc = cli_write_out(opt(p, "--out"), &b, e);
	}
	buf_free(&b);
	return rc;
}

static int import_cmd(struct cli_opts *o, struct app *a, const struct args *p,
		      struct cdg_err *e)
{
	if (p->npos != 2)
		return cli_usage(e, "forum", "import takes one FILE");
	struct err_list errs;
	errs_init(&errs, 50);
	long n = 0;
	int rc = app_forum_import(a, p->pos[1], cli_actor(o), &n, &errs, e);
	if (rc == CDG_EINPUT && errs.n)
		cli_print_errs(&errs);
	else if (rc == 0)
		printf("%s: %ld records restored\n", p->pos[1], n);
	errs_free(&errs);
	return rc;
}

int cmd_forum(struct cli_opts *o, struct cdg_err *e)
{
	struct args p;
	int rc = parse(o, &p, e);
	if (rc)
		return rc;
	if (p.npos == 0)
		return cli_usage(e, "forum", "say what to do, e.g. forum session list");
	const char *c = p.pos[0];
	static const char *const writers[] = {"propose", "revise", "comment", "endorse",
					      "decide", NULL};
	bool write = in(writers, c) || strcmp(c, "import") == 0 || (p.npos > 1 && (strcmp(p.pos[1], "add") == 0 ||
		     strcmp(p.pos[1], "accredit") == 0 || strcmp(p.pos[1], "member") == 0 ||
		     strcmp(p.pos[1], "version") == 0 || strcmp(p.pos[1], "update") == 0));
	struct app a;
	rc = cli_open(o, &a, write, e);
	if (rc)
		return rc;
	if (strcmp(c, "org") == 0)
		rc = org_cmd(o, &a, &p, e);
	else if (strcmp(c, "session") == 0)
		rc = session_cmd(o, &a, &p, e);
	else if (strcmp(c, "item") == 0)
		rc = item_cmd(o, &a, &p, e);
	else if (strcmp(c, "doc") == 0)
		rc = doc_cmd(o, &a, &p, e);
	else if (strcmp(c, "propose") == 0 || strcmp(c, "revise") == 0)
		rc = propose_cmd(o, &a, &p, strcmp(c, "revise") == 0, e);
	else if (strcmp(c, "comment") == 0 || strcmp(c, "endorse") == 0)
		rc = comment_cmd(o, &a, &p, strcmp(c, "endorse") == 0, e);
	else if (strcmp(c, "decide") == 0)
		rc = decide_cmd(o, &a, &p, e);
	else if (strcmp(c, "action") == 0)
		rc = action_cmd(o, &a, &p, e);
	else if (strcmp(c, "proposal") == 0)
		rc = show_cmd(o, &a, &p, "proposal", "proposals", e);
	else if (strcmp(c, "decision") == 0)
		rc = show_cmd(o, &a, &p, "decision", "decisions", e);
	else if (strcmp(c, "monitor") == 0)
		rc = monitor_cmd(o, &a, &p, e);
	else if (strcmp(c, "export") == 0)
		rc = export_cmd(o, &a, &p, e);
	else if (strcmp(c, "import") == 0)
		rc = import_cmd(o, &a, &p, e);
	else if (strcmp(c, "feed") == 0) {
		struct buf b = BUF_INIT;
		const char *base = opt(&p, "--base");
		rc = app_forum_feed_atom(&a, base ? base : "http://localhost:8080", &b, e);
		if (rc == 0)
			fwrite(b.p, 1, b.len, stdout);
		buf_free(&b);
	} else
		rc = cli_usage(e, "forum", "unknown subcommand \"%s\"", c);
	app_close(&a);
	return rc;
}
