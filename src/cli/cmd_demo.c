/* cdg demo: load the SYNTHETIC demo survey round. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "formats/formats.h"

const char cmd_demo_usage[] =
	"cdg demo [--states N]\n\n"
	"Loads a clearly labelled SYNTHETIC survey round so that the dashboards,\n"
	"gaps and index can be explored before real responses exist: made-up,\n"
	"deterministic answers for N states (default 40) in 2023 and 2025,\n"
	"submitted, validated and published by the actor \"demo\".  Every response,\n"
	"answer and derived value is flagged synthetic; every page and output that\n"
	"shows them says so.  It is not the position of any State.  Runs once.\n";

int cmd_demo(struct cli_opts *o, struct cdg_err *e)
{
	long n = 0;
	for (int i = 0; i < o->nrest; i++) {
		if (strcmp(o->rest[i], "--states") == 0 && i + 1 < o->nrest &&
		    parse_long(o->rest[i + 1], 1, 195, &n) == 0)
			i++;
		else
			return cli_usage(e, "demo", "bad argument \"%s\"", o->rest[i]);
	}
	struct app a;
	int rc = cli_open(o, &a, true, e);
	if (rc)
		return rc;
	struct app_demo_report rep;
	rc = app_demo(&a, (size_t)n, &rep, e);
	if (rc == 0)
		printf("loaded a SYNTHETIC demo round: %zu states, %zu published responses "
		       "(flagged synthetic everywhere; not any State's position)\n",
		       rep.states, rep.responses);
	app_close(&a);
	return rc;
}
