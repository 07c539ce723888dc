/* cdg survey: not built yet. */
#include "cli/cli.h"

const char cmd_survey_usage[] = "cdg survey ... (not available yet)\n";

int cmd_survey(struct cli_opts *o, struct cdg_err *e)
{
	(void)o;
	return err_set(e, CDG_EUSAGE, "cdg survey is not available yet");
}
