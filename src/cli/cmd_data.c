/* cdg data: import and export indicator observations. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "formats/formats.h"

const char cmd_data_usage[] =
	"cdg data import FILE [--max-size BYTES] [--source-type T]\n"
	"                     [--delimiter ';'|tab] [--json]\n"
	"       cdg data export [--format csv|sdmx] [--indicator ID] [--country ISO3]\n"
	"                       [--out FILE]\n\n"
	"import reads indicator observations from FILE, streaming, in one of:\n"
	"  - CSV with a header row naming, in any order: indicator, country\n"
	"    (ISO 3166-1 alpha-3), year, value, source_url, and optionally note;\n"
	"  - SDMX-CSV 2.0 (first column STRUCTURE): INDICATOR (cdg id with '_' for\n"
	"    '.', e.g. CDG2_1_1), REF_AREA (ISO alpha-3), TIME_PERIOD, OBS_VALUE,\n"
	"    SOURCE_DETAIL, COMMENT_OBS; rows with OBS_VALUE NaN or empty are skipped;\n"
	"  - SDMX-CSV 1.0 (first column DATAFLOW), as the UN SDG database serves it:\n"
	"    REF_AREA may be an M49 numeric code; SERIES may stand for INDICATOR.\n"
	"Every row is checked (known indicator and state, a year from 1990 to this\n"
	"year, a number within the indicator's range, a source).  If any row is\n"
	"wrong, every fault is listed as FILE:LINE: field X: reason (the first 50),\n"
	"nothing is written, and the exit status is 3.  A value for the same\n"
	"indicator, state and year as an earlier import supersedes it; the old\n"
	"value is kept in the history.  Files over 2 GiB (or --max-size) are refused.\n"
	"--source-type says what kind of evidence the file is: desk_research (the\n"
	"default: public evidence checked by analysts), self_reported (a State's\n"
	"own report) or derived (computed from other records); every page, export\n"
	"and API answer shows it (docs/public-evidence.md).\n"
	"--delimiter reads a CSV whose fields are separated by ';' or tabs, as a\n"
	"spreadsheet saves it in a locale with a decimal comma (a file with such\n"
	"a header is refused without it; a UTF-8 BOM is always accepted).  Numbers\n"
	"must still use a decimal point: \"0,75\" is refused, never read as 0 or 75.\n\n"
	"export writes the current observations to standard output (or --out FILE,\n"
	"replaced atomically): CSV that import reads back, with provenance columns\n"
	"entered_by, entered_at, synthetic, source_type; or SDMX-CSV 2.0\n"
	"(--format sdmx) with the attributes SOURCE_TYPE and SYNTHETIC.  Import\n"
	"keeps them: a value keeps who entered it and when, a SYNTHETIC value stays\n"
	"SYNTHETIC, and each keeps its source type (docs/exchange.md).\n";

static int data_import(struct cli_opts *o, struct cdg_err *e)
{
	const char *file = NULL, *stype = NULL;
	long long max = 0;
	char sep = ',';
	for (int i = 1; i < o->nrest; i++) {
		const char *a = o->rest[i];
		if (strcmp(a, "--max-size") == 0 && i + 1 < o->nrest) {
			char *end;
			max = strtoll(o->rest[++i], &end, 10);
			if (*end || max <= 0)
				return cli_usage(e, "data", "--max-size wants a byte count");
		} else if (strcmp(a, "--source-type") == 0 && i + 1 < o->nrest) {
			stype = o->rest[++i];
		} else if (strcmp(a, "--delimiter") == 0 && i + 1 < o->nrest) {
			sep = csv_sep_parse(o->rest[++i]);
			if (!sep)
				return cli_usage(e, "data", "--delimiter is ',', ';' or tab");
		} else if (a[0] == '-') {
			return cli_usage(e, "data", "unknown option \"%s\"", a);
		} else if (!file) {
			file = a;
		} else {
			return cli_usage(e, "data", "import takes one FILE");
		}
	}
	if (!file)
		return cli_usage(e, "data", "import needs a FILE");
	struct app a;
	int rc = cli_open(o, &a, true, e);
	if (rc)
		return rc;
	a.csv_sep = sep;
	struct app_import_opts opt = {.max_bytes = max, .source_type = stype};
	struct app_import_report rep;
	struct err_list errs;
	errs_init(&errs, 50);
	rc = app_data_import(&a, file, cli_actor(o), &opt, &rep, &errs, e);
	if (rc == CDG_EINPUT) {
		for (size_t i = 0; i < errs.n; i++) {
			char msg[1024];
			err_format(&errs.v[i], msg, sizeof msg);
			fprintf(stderr, "cdg: %s\n", msg);
		}
		if (errs.total > (long)errs.n)
			fprintf(stderr, "cdg: ... and %ld more\n",
				errs.total - (long)errs.n);
	} else if (rc == 0) {
		if (o->json)
			printf("{\"file\":\"%s\",\"format\":\"%s\",\"rows\":%ld,"
			       "\"written\":%ld,\"unchanged\":%ld,\"missing\":%ld}\n",
			       file, rep.format, rep.rows, rep.written,
			       rep.unchanged, rep.missing);
		else
			printf("%s (%s): %ld rows, %ld written, %ld unchanged%s\n",
			       file, rep.format, rep.rows, rep.written,
			       rep.unchanged, rep.missing ? ", some missing values skipped" : "");
	}
	errs_free(&errs);
	app_close(&a);
	return rc;
}

static int data_export(struct cli_opts *o, struct cdg_err *e)
{
	enum app_data_format fmt = APP_DATA_CSV;
	const char *ind = NULL, *iso = NULL, *out = NULL;
	for (int i = 1; i < o->nrest; i += 2) {
		const char *a = o->rest[i];
		const char *v = i + 1 < o->nrest ? o->rest[i + 1] : NULL;
		if (!v)
			return cli_usage(e, "data", "%s needs a value", a);
		if (strcmp(a, "--format") == 0) {
			if (strcmp(v, "csv") == 0)
				fmt = APP_DATA_CSV;
			else if (strcmp(v, "sdmx") == 0)
				fmt = APP_DATA_SDMX;
			else
				return cli_usage(e, "data", "--format is csv or sdmx");
		} else if (strcmp(a, "--indicator") == 0) {
			ind = v;
		} else if (strcmp(a, "--country") == 0) {
			iso = v;
		} else if (strcmp(a, "--out") == 0) {
			out = v;
		} else {
			return cli_usage(e, "data", "unknown option \"%s\"", a);
		}
	}
	struct app a;
	int rc = cli_open(o, &a, false, e);
	if (rc)
		return rc;
	if (ind && !fw_indicator(&a.cat, ind)) {
		app_close(&a);
		return err_at(e, CDG_ENOTFOUND, NULL, 0, "indicator",
			      "unknown indicator \"%s\"", ind);
	}
	char *mem = NULL;
	size_t memlen = 0;
	FILE *f = out ? open_memstream(&mem, &memlen) : stdout;
	rc = app_data_export(&a, fmt, ind, iso, f, e);
	if (out) {
		fclose(f);
		if (rc == 0)
			rc = file_write_atomic(out, mem, memlen, e);
		free(mem);
	}
	app_close(&a);
	return rc;
}

int cmd_data(struct cli_opts *o, struct cdg_err *e)
{
	if (o->nargs < 1)
		return cli_usage(e, "data", "say import or export");
	if (strcmp(o->args[0], "import") == 0)
		return data_import(o, e);
	if (strcmp(o->args[0], "export") == 0)
		return data_export(o, e);
	return cli_usage(e, "data", "unknown subcommand \"%s\"", o->args[0]);
}
