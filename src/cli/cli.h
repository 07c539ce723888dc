/*
 * cli: the `cdg` command line.  Parses arguments, calls app/, prints text
 * or JSON (--json), and maps error codes to exit status (0 ok, 1 runtime
 * failure, 2 usage, 3 input rejected) with "cdg: FILE:LINE: field X:
 * reason" on stderr.  No business logic lives here.
 */
#ifndef CDG_CLI_H
#define CDG_CLI_H

#include "base/base.h"

/* Options common to every command. */
struct cli_opts {
	const char *db;        /* --db, else $CDG_DB, else ./cdg.db */
	const char *data;      /* --data, else $CDG_DATA, else the build's data/ */
	bool json;             /* --json: machine output */
	const char *actor;     /* --actor NAME */
	char **args;           /* positional arguments after the command */
	int nargs;
	char **rest;           /* all arguments after the command, unparsed */
	int nrest;
};

struct cli_cmd {
	const char *name;      /* subcommand */
	const char *summary;   /* one line for `cdg help` */
	const char *usage;     /* full text for `cdg help NAME` */
	int (*run)(struct cli_opts *o, struct cdg_err *e);
};

extern const struct cli_cmd cli_cmds[];
extern const size_t cli_ncmds;

/* Prints a usage error for cmd and returns CDG_EUSAGE. */
int cli_usage(struct cdg_err *e, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prints the JSON in b as is (--json), or as text with text(parsed). */
struct json_t;
void cli_show(const struct cli_opts *o, const struct buf *b,
	      void (*text)(struct json_t *));
/* Prints "LABEL: a<sep>b<sep>c" (or "LABEL: -" when empty) and a newline,
 * for a JSON array of strings. */
void cli_print_strs(const char *label, const char *sep, struct json_t *a);
/* Prints an input's faults as "cdg: FILE:LINE: field X: reason", then
 * how many more there were beyond those kept. */
void cli_print_errs(const struct err_list *errs);
/* Writes b to stdout followed by a newline. */
void cli_print(const struct buf *b);
/* An export's bytes: to the file out (replaced atomically), or as they
 * are to stdout when out is NULL. */
int cli_write_out(const char *out, const struct buf *b, struct cdg_err *e);

/* Command groups that live in their own files (cmd_<group>.c) export
 * their usage text and entry point. */
extern const char cmd_index_usage[];
int cmd_index(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_data_usage[];
int cmd_data(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_survey_usage[];
int cmd_survey(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_dashboard_usage[];
int cmd_dashboard(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_gaps_usage[];
int cmd_gaps(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_user_usage[];
int cmd_user(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_token_usage[];
int cmd_token(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_demo_usage[];
int cmd_demo(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_crime_usage[];
int cmd_crime(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_registry_usage[];
int cmd_registry(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_incidents_usage[];
int cmd_incidents(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_norm_usage[];
int cmd_norm(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_forum_usage[];
/* Prints a forum monitoring object (app_forum_monitor_json) as text;
 * with always false, nothing when no action was agreed.  (cmd_dashboard.c) */
typedef struct json_t json_t;
void cli_print_forum_monitor(json_t *monitor, bool always);
int cmd_forum(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_capacity_usage[];
int cmd_capacity(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_agreements_usage[];
int cmd_agreements(struct cli_opts *o, struct cdg_err *e);
extern const char cmd_chart_usage[];
int cmd_chart(struct cli_opts *o, struct cdg_err *e);

/* The acting user for writes: --actor, else $CDG_ACTOR, else "cli:$USER". */
const char *cli_actor(const struct cli_opts *o);
/* Takes "--delimiter VALUE" out of o's arguments, for the commands that
 * import CSV: *sep gets the separator VALUE names (',', ';' or tab, see
 * csv_sep_parse), ',' when the option is absent.  A usage error for cmd
 * when VALUE is missing or names no separator. */
int cli_take_delimiter(struct cli_opts *o, const char *cmd, char *sep,
		       struct cdg_err *e);
/* Opens the database for a command (read-only unless write). */
struct app;
int cli_open(struct cli_opts *o, struct app *a, bool write, struct cdg_err *e);

int cmd_init(struct cli_opts *o, struct cdg_err *e);
int cmd_framework(struct cli_opts *o, struct cdg_err *e);
int cmd_country(struct cli_opts *o, struct cdg_err *e);
int cmd_countries(struct cli_opts *o, struct cdg_err *e);
int cmd_serve(struct cli_opts *o, struct cdg_err *e);
int cmd_help(struct cli_opts *o, struct cdg_err *e);
int cmd_version(struct cli_opts *o, struct cdg_err *e);

#endif
