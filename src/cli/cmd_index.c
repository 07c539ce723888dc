/* cdg index: not built yet. */
#include "cli/cli.h"

const char cmd_index_usage[] = "cdg index ... (not available yet)\n";

int cmd_index(struct cli_opts *o, struct cdg_err *e)
{
	(void)o;
	return err_set(e, CDG_EUSAGE, "cdg index is not available yet");
}
