/* cdg data: not built yet. */
#include "cli/cli.h"

const char cmd_data_usage[] = "cdg data ... (not available yet)\n";

int cmd_data(struct cli_opts *o, struct cdg_err *e)
{
	(void)o;
	return err_set(e, CDG_EUSAGE, "cdg data is not available yet");
}
