/* cdg gaps: not built yet. */
#include "cli/cli.h"

const char cmd_gaps_usage[] = "cdg gaps ... (not available yet)\n";

int cmd_gaps(struct cli_opts *o, struct cdg_err *e)
{
	(void)o;
	return err_set(e, CDG_EUSAGE, "cdg gaps is not available yet");
}
