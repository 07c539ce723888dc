/* cdg: entry point, global options, dispatch and help. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#ifndef CDG_DATADIR
#define CDG_DATADIR "data"
#endif
#ifndef CDG_VERSION
#define CDG_VERSION "dev"
#endif

static const char global_help[] =
	"Global options (before or after the command):\n"
	"  --db PATH     database file (default: $CDG_DB, else ./cdg.db)\n"
	"  --data DIR    catalog and reference data (default: $CDG_DATA, else\n"
	"                the data/ folder cdg was built with)\n"
	"  --json        machine-readable output where a command prints data\n"
	"  --actor NAME  who is acting, recorded with every write (default:\n"
	"                $CDG_ACTOR, else cli:$USER)\n"
	"  -h, --help    help for the command (after a subcommand: for that one)\n"
	"\n"
	"Exit status: 0 success, 1 runtime failure, 2 usage error,\n"
	"3 input rejected (nothing written).\n";

static void print_overview(FILE *f)
{
	fputs("usage: cdg COMMAND [options] [arguments]\n\n"
	      "cdg is an observatory for responsible state behaviour in "
	      "cyberspace.\n\nCommands:\n", f);
	for (size_t i = 0; i < cli_ncmds; i++)
		fprintf(f, "  %-11s %s\n", cli_cmds[i].name, cli_cmds[i].summary);
	fputs("\nRun 'cdg help COMMAND' for more.\n\n", f);
	fputs(global_help, f);
}

static const struct cli_cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < cli_ncmds; i++)
		if (strcmp(cli_cmds[i].name, name) == 0)
			return &cli_cmds[i];
	return NULL;
}

int cmd_help(struct cli_opts *o, struct cdg_err *e)
{
	if (o->nargs == 0) {
		print_overview(stdout);
		return 0;
	}
	const struct cli_cmd *c = find_cmd(o->args[0]);
	if (!c)
		return cli_usage(e, "help", "unknown command \"%s\"", o->args[0]);
	printf("usage: %s\n\n%s", c->usage, global_help);
	return 0;
}

int cmd_version(struct cli_opts *o, struct cdg_err *e)
{
	(void)o;
	(void)e;
	printf("cdg %s\n", CDG_VERSION);
	return 0;
}

int cli_usage(struct cdg_err *e, const char *cmd, const char *fmt, ...)
{
	err_clear(e);
	e->code = CDG_EUSAGE;
	va_list ap;
	va_start(ap, fmt);
	char msg[400];
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(e->msg, sizeof e->msg, "%s: %s (see 'cdg help %s')", cmd, msg,
		 cmd);
	return CDG_EUSAGE;
}

void cli_print(const struct buf *b)
{
	fwrite(b->p, 1, b->len, stdout);
	if (!b->len || b->p[b->len - 1] != '\n')
		fputc('\n', stdout);
}

int cli_write_out(const char *out, const struct buf *b, struct cdg_err *e)
{
	if (out)
		return file_write_atomic(out, b->p, b->len, e);
	return fwrite(b->p, 1, b->len, stdout) == b->len ? 0
	       : err_set(e, CDG_EIO, "cannot write to standard output");
}

/* Pulls the global options out of argv[from..], keeping the rest in
 * order.  Returns 0 or CDG_EUSAGE. */
static int parse_globals(struct cli_opts *o, int argc, char **argv, int from,
			 const char *cmd, bool *help, struct cdg_err *e)
{
	o->args = xcalloc((size_t)argc + 1, sizeof *o->args);
	o->rest = xcalloc((size_t)argc + 1, sizeof *o->rest);
	bool only_args = false;
	for (int i = from; i < argc; i++) {
		const char *a = argv[i];
		if (!only_args && (strcmp(a, "--db") == 0 || strcmp(a, "--data") == 0 ||
				   strcmp(a, "--actor") == 0)) {
			if (i + 1 >= argc)
				return cli_usage(e, cmd, "%s needs a value", a);
			if (strcmp(a, "--db") == 0)
				o->db = argv[++i];
			else if (strcmp(a, "--data") == 0)
				o->data = argv[++i];
			else
				o->actor = argv[++i];
		} else if (!only_args && strncmp(a, "--db=", 5) == 0) {
			o->db = a + 5;
		} else if (!only_args && strncmp(a, "--data=", 7) == 0) {
			o->data = a + 7;
		} else if (!only_args && strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (!only_args && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
			*help = true;
		} else if (!only_args && strcmp(a, "--") == 0) {
			only_args = true;
		} else {
			o->rest[o->nrest++] = argv[i];
			if (only_args || a[0] != '-' || a[1] == '\0')
				o->args[o->nargs++] = argv[i];
		}
	}
	return 0;
}

/* Indentation of a line (spaces), and where its text starts. */
static size_t indent_of(const char *line, const char **text)
{
	size_t n = strspn(line, " ");
	*text = line + n;
	return n;
}

/* True if the usage line (text after `indent` spaces) begins the synopsis
 * of subcommand sub of cmd: "cdg CMD SUB ..." anywhere, or an indented
 * "SUB ..." (a flush-left line is prose). */
static bool synopsis_of(const char *text, size_t indent, const char *cmd,
			const char *sub)
{
	size_t lc = strlen(cmd);
	if (strncmp(text, "cdg ", 4) == 0 && strncmp(text + 4, cmd, lc) == 0 &&
	    text[4 + lc] == ' ')
		text += 5 + lc;
	else if (indent < 2)
		return false;
	size_t ls = strlen(sub);
	return strncmp(text, sub, ls) == 0 && (text[ls] == ' ' || text[ls] == '\n' ||
					       text[ls] == '\0');
}

/* `cdg CMD SUB --help`: the synopsis lines of SUB (with their continuation
 * lines) from the command's usage; false if the usage names no such
 * subcommand (then the whole usage is shown). */
static bool print_sub_help(const struct cli_cmd *cmd, const char *sub)
{
	struct buf out = BUF_INIT;
	const char *p = cmd->usage;
	size_t keep_deeper = SIZE_MAX; /* continuation: deeper than this */
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *text;
		size_t ind = indent_of(p, &text);
		bool blank = (size_t)(text - p) >= len;
		if (!blank && synopsis_of(text, ind, cmd->name, sub)) {
			buf_addf(&out, "  %.*s\n", (int)(len - (size_t)(text - p)), text);
			keep_deeper = ind;
		} else if (!blank && keep_deeper != SIZE_MAX && ind > keep_deeper &&
			   strncmp(text, "cdg ", 4) != 0) {
			buf_addf(&out, "  %.*s\n", (int)len, p);
		} else {
			keep_deeper = SIZE_MAX;
		}
		p += len + (nl ? 1 : 0);
	}
	bool found = out.len > 0;
	if (found)
		printf("usage (cdg help %s for the whole command):\n%s\n%s", cmd->name,
		       out.p, global_help);
	buf_free(&out);
	return found;
}

int main(int argc, char **argv)
{
	struct cdg_err e;
	err_clear(&e);
	if (argc < 2) {
		print_overview(stderr);
		return 2;
	}
	/* Global options may come before the command: move the command to
	 * the front and let parse_globals find the options wherever. */
	bool found = false;
	for (int i = 1; i < argc && !found; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--db") == 0 || strcmp(a, "--data") == 0 ||
		    strcmp(a, "--actor") == 0) {
			i++;
			continue;
		}
		if (a[0] == '-' && strcmp(a, "-h") != 0 && strcmp(a, "--help") != 0 &&
		    strcmp(a, "--version") != 0)
			continue;
		char *cmdname = argv[i];
		memmove(argv + 2, argv + 1, (size_t)(i - 1) * sizeof *argv);
		argv[1] = cmdname;
		found = true;
	}
	if (!found) {
		print_overview(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0)
		name = "help";
	if (strcmp(name, "--version") == 0)
		name = "version";
	const struct cli_cmd *cmd = find_cmd(name);
	struct cli_opts o = {0};
	int rc;
	if (!cmd) {
		rc = err_set(&e, CDG_EUSAGE,
			     "unknown command \"%s\" (see 'cdg help')", name);
	} else {
		bool help = false;
		rc = parse_globals(&o, argc, argv, 2, cmd->name, &help, &e);
		if (!o.db)
			o.db = getenv("CDG_DB");
		if (!o.db || !*o.db)
			o.db = "cdg.db";
		if (!o.data)
			o.data = getenv("CDG_DATA");
		if (!o.data || !*o.data)
			o.data = CDG_DATADIR;
		if (rc == 0 && help) {
			if (o.nargs == 0 || !print_sub_help(cmd, o.args[0]))
				printf("usage: %s\n\n%s", cmd->usage, global_help);
		} else if (rc == 0) {
			rc = cmd->run(&o, &e);
		}
	}
	free(o.args);
	free(o.rest);
	if (rc) {
		char msg[1024];
		err_format(&e, msg, sizeof msg);
		fprintf(stderr, "cdg: %s\n", msg);
	}
	if (fflush(stdout) != 0 && rc == 0) {
		fprintf(stderr, "cdg: cannot write output\n");
		return 1;
	}
	return err_exit_status(rc);
}
