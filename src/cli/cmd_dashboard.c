/* cdg dashboard: not built yet. */
#include "cli/cli.h"

const char cmd_dashboard_usage[] = "cdg dashboard ... (not available yet)\n";

int cmd_dashboard(struct cli_opts *o, struct cdg_err *e)
{
	(void)o;
	return err_set(e, CDG_EUSAGE, "cdg dashboard is not available yet");
}
