/* cdg demo: not built yet. */
#include "cli/cli.h"

const char cmd_demo_usage[] = "cdg demo ... (not available yet)\n";

int cmd_demo(struct cli_opts *o, struct cdg_err *e)
{
	(void)o;
	return err_set(e, CDG_EUSAGE, "cdg demo is not available yet");
}
