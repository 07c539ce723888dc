/* cdg user and cdg token: accounts and API tokens. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "formats/formats.h"

const char cmd_user_usage[] =
	"cdg user add NAME --role ROLE [--country ISO3] [--password-stdin]\n\n"
	"Adds an account.  Roles: stakeholder (forum proposals and comments),\n"
	"focal_point (edits and submits one state's survey; --country ISO3),\n"
	"editor (observations and the accountability registry), secretariat\n"
	"(reviews surveys, publishes the index, manages accounts).  The public\n"
	"reads without an account.  With --password-stdin the first line of\n"
	"standard input is the password (at least 10 characters), stored as an\n"
	"Argon2id hash; without it the account signs in with API tokens only.\n"
	"Only the secretariat (or a local operator of the database file) may add\n"
	"accounts.\n";

const char cmd_token_usage[] =
	"cdg token create NAME [--days N] [--label TEXT]\n\n"
	"Creates an API token for account NAME, valid N days (default 90), for\n"
	"scripts: send it as 'Authorization: Bearer TOKEN'.  It is printed once\n"
	"and stored only as a SHA-256 hash.\n";

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

int cmd_user(struct cli_opts *o, struct cdg_err *e)
{
	if (o->nargs < 2 || strcmp(o->args[0], "add") != 0)
		return cli_usage(e, "user", "say: user add NAME --role ROLE");
	const char *role = opt(o, "--role");
	if (!role)
		return cli_usage(e, "user", "--role is required");
	char pw[512] = "";
	if (flag(o, "--password-stdin")) {
		if (!fgets(pw, sizeof pw, stdin))
			return cli_usage(e, "user", "no password on standard input");
		pw[strcspn(pw, "\r\n")] = '\0';
	}
	struct app a;
	int rc = cli_open(o, &a, true, e);
	if (rc)
		return rc;
	rc = app_user_add(&a, cli_actor(o), o->args[1], role, opt(o, "--country"),
			  pw[0] ? pw : NULL, e);
	if (rc == 0)
		printf("account %s added (%s%s%s)\n", o->args[1], role,
		       opt(o, "--country") ? " of " : "",
		       opt(o, "--country") ? opt(o, "--country") : "");
	app_close(&a);
	return rc;
}

int cmd_token(struct cli_opts *o, struct cdg_err *e)
{
	if (o->nargs < 2 || strcmp(o->args[0], "create") != 0)
		return cli_usage(e, "token", "say: token create NAME");
	long days = 90;
	const char *d = opt(o, "--days");
	if (d && parse_long(d, 1, 3650, &days) != 0)
		return cli_usage(e, "token", "--days wants 1 to 3650");
	struct app a;
	int rc = cli_open(o, &a, true, e);
	if (rc)
		return rc;
	char token[65];
	const char *label = opt(o, "--label");
	rc = app_token_create(&a, cli_actor(o), o->args[1], (int)days,
			      label ? label : "cli", token, e);
	if (rc == 0)
		printf("%s\n", token);
	app_close(&a);
	return rc;
}
