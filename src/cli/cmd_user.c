/* cdg user and cdg token: accounts and API tokens. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/app.h"
#include "formats/formats.h"

const char cmd_user_usage[] =
	"cdg user add NAME --role ROLE [--country ISO3] [--password-stdin]\n"
	"cdg user list [--json]\n"
	"cdg user disable NAME\n"
	"cdg user enable NAME\n"
	"cdg user passwd NAME --password-stdin\n\n"
	"Adds an account.  Roles: stakeholder (forum proposals and comments),\n"
	"focal_point (edits and submits one state's survey; --country ISO3),\n"
	"editor (observations and the accountability registry), secretariat\n"
	"(reviews surveys, publishes the index, manages accounts).  The public\n"
	"reads without an account.  With --password-stdin the first line of\n"
	"standard input is the password (at least 10 characters), stored as an\n"
	"Argon2id hash; without it the account signs in with API tokens only.\n"
	"Only the secretariat (or a local operator of the database file) may\n"
	"manage accounts.  disable ends every session and token of the account\n"
	"and refuses its sign-ins until enable; passwd sets a new password (first\n"
	"line of standard input) and ends the account's sign-in sessions.  Names\n"
	"cdg uses for itself (system, demo, operator, anonymous, cli:...) are\n"
	"reserved.  Every change is in the audit log.\n";

const char cmd_token_usage[] =
	"cdg token create NAME [--days N] [--label TEXT]\n"
	"cdg token list [NAME] [--json]\n"
	"cdg token revoke ID\n\n"
	"create makes an API token for account NAME, valid N days (default 90),\n"
	"for scripts: send it as 'Authorization: Bearer TOKEN'.  It is printed\n"
	"once and stored only as a SHA-256 hash.  list shows the tokens (of NAME,\n"
	"or all) by id, the first 12 hex digits of that hash, with their account,\n"
	"label, dates and state (live, expired, revoked); revoke ID ends one (8 or\n"
	"more digits of its id).  Only the secretariat or a local operator.\n";

/* Value of --opt in the command's arguments, or NULL. */
static const char *opt(struct cli_opts *o, const char *name)
{
	for (int i = 0; i + 1 < o->nrest; i++)
		if (strcmp(o->rest[i], name) == 0)
			return o->rest[i + 1];
	return NULL;
}

static bool flag(struct cli_opts *o, const char *name)
{
	for (int i = 0; i < o->nrest; i++)
		if (strcmp(o->rest[i], name) == 0)
			return true;
	return false;
}

/* The first line of standard input as a password ("" if none). */
static int read_password(char pw[512], const char *cmd, struct cdg_err *e)
{
	if (!fgets(pw, 512, stdin))
		return cli_usage(e, cmd, "no password on standard input");
	pw[strcspn(pw, "\r\n")] = '\0';
	return 0;
}

static void print_accounts(json_t *r)
{
	size_t i;
	json_t *x;
	printf("%-24s %-12s %-7s %-8s %s\n", "account", "role", "country", "state", "created");
	json_array_foreach(r, i, x) {
		const char *c = json_string_value(json_object_get(x, "country"));
		printf("%-24s %-12s %-7s %-8s %s\n",
		       json_string_value(json_object_get(x, "name")),
		       json_string_value(json_object_get(x, "role")), c ? c : "-",
		       json_is_true(json_object_get(x, "disabled")) ? "disabled" : "active",
		       json_string_value(json_object_get(x, "created_at")));
	}
}

static void print_tokens(json_t *r)
{
	size_t i;
	json_t *x;
	printf("%-12s %-20s %-8s %-20s %s\n", "id", "account", "state", "expires", "label");
	json_array_foreach(r, i, x)
		printf("%-12s %-20s %-8s %-20s %s\n",
		       json_string_value(json_object_get(x, "id")),
		       json_string_value(json_object_get(x, "account")),
		       json_string_value(json_object_get(x, "state")),
		       json_string_value(json_object_get(x, "expires_at")),
		       json_string_value(json_object_get(x, "label")));
	if (!json_array_size(r))
		printf("(no API tokens)\n");
}

int cmd_user(struct cli_opts *o, struct cdg_err *e)
{
	const char *sub = o->nargs ? o->args[0] : "";
	bool add = strcmp(sub, "add") == 0, list = strcmp(sub, "list") == 0;
	bool dis = strcmp(sub, "disable") == 0, en = strcmp(sub, "enable") == 0;
	bool pwd = strcmp(sub, "passwd") == 0;
	if (!(add || list || dis || en || pwd))
		return cli_usage(e, "user", "say: user add|list|disable|enable|passwd");
	if (!list && o->nargs < 2)
		return cli_usage(e, "user", "say: user %s NAME", sub);
	const char *role = opt(o, "--role");
	if (add && !role)
		return cli_usage(e, "user", "--role is required");
	char pw[512] = "";
	if (pwd && !flag(o, "--password-stdin"))
		return cli_usage(e, "user", "passwd reads the password with --password-stdin");
	int rc = (add || pwd) && flag(o, "--password-stdin") ? read_password(pw, "user", e) : 0;
	if (rc)
		return rc;
	struct app a;
	rc = cli_open(o, &a, !list, e);
	if (rc)
		return rc;
	long long ended = 0;
	if (add) {
		rc = app_user_add(&a, cli_actor(o), o->args[1], role, opt(o, "--country"),
				  pw[0] ? pw : NULL, e);
		if (rc == 0)
			printf("account %s added (%s%s%s)\n", o->args[1], role,
			       opt(o, "--country") ? " of " : "",
			       opt(o, "--country") ? opt(o, "--country") : "");
	} else if (list) {
		struct buf b = BUF_INIT;
		struct jw w;
		jw_init(&w, &b, false);
		rc = app_users_json(&a, cli_actor(o), &w, e);
		if (rc == 0)
			cli_show(o, &b, print_accounts);
		buf_free(&b);
	} else if (dis || en) {
		rc = app_user_enable(&a, cli_actor(o), o->args[1], en, &ended, e);
		if (rc == 0)
			printf("account %s %s\n", o->args[1], en ? "enabled" : "disabled");
		if (rc == 0 && dis)
			printf("%lld session(s) and token(s) ended\n", ended);
	} else {
		rc = app_user_passwd(&a, cli_actor(o), o->args[1], pw, &ended, e);
		if (rc == 0)
			printf("password of %s changed; %lld sign-in session(s) ended\n",
			       o->args[1], ended);
	}
	app_close(&a);
	return rc;
}

int cmd_token(struct cli_opts *o, struct cdg_err *e)
{
	const char *sub = o->nargs ? o->args[0] : "";
	bool create = strcmp(sub, "create") == 0, list = strcmp(sub, "list") == 0;
	bool revoke = strcmp(sub, "revoke") == 0;
	if (!(create || list || revoke))
		return cli_usage(e, "token", "say: token create NAME, token list [NAME] or token revoke ID");
	if ((create || revoke) && o->nargs < 2)
		return cli_usage(e, "token", "say: token %s %s", sub, create ? "NAME" : "ID");
	long days = 90;
	const char *d = opt(o, "--days");
	if (d && parse_long(d, 1, 3650, &days) != 0)
		return cli_usage(e, "token", "--days wants 1 to 3650");
	struct app a;
	int rc = cli_open(o, &a, !list, e);
	if (rc)
		return rc;
	if (create) {
		char token[65];
		const char *label = opt(o, "--label");
		rc = app_token_create(&a, cli_actor(o), o->args[1], (int)days,
				      label ? label : "cli", token, e);
		if (rc == 0)
			printf("%s\n", token);
	} else if (list) {
		struct buf b = BUF_INIT;
		struct jw w;
		jw_init(&w, &b, false);
		rc = app_tokens_json(&a, cli_actor(o), o->nargs >= 2 ? o->args[1] : NULL, &w, e);
		if (rc == 0)
			cli_show(o, &b, print_tokens);
		buf_free(&b);
	} else {
		char who[128];
		rc = app_token_revoke(&a, cli_actor(o), o->args[1], who, e);
		if (rc == 0)
			printf("token %s of %s revoked\n", o->args[1], who);
	}
	app_close(&a);
	return rc;
}
