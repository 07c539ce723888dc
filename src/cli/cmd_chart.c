/* cdg chart: charts of stored data as SVG, PNG or PDF files. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "formats/formats.h"
#include "report/report.h"

const char cmd_chart_usage[] =
	"cdg chart ranking EDITION [--format svg|png|pdf] --out FILE\n"
	"cdg chart map [EDITION|latest|budapest] [--format svg|png|pdf] --out FILE\n\n"
	"Draws the ranking of index edition EDITION (a year) as a horizontal\n"
	"bar chart: the index score of every ranked state, best first, labelled\n"
	"with its rank and, when the edition has a Monte Carlo analysis, the\n"
	"5-95 % rank interval.  An edition built on synthetic (demo) inputs is\n"
	"labelled SYNTHETIC DATA.  The format defaults to FILE's extension;\n"
	"--out - writes to standard output (not to a terminal).  The same chart\n"
	"gives the same bytes.  See docs/report.md.\n\n"
	"map: a world choropleth of index edition EDITION (default: the latest\n"
	"edition) in five score bands, or of Budapest Convention status\n"
	"(\"budapest\", or when no edition exists).  The geometry is\n"
	"DATA/map/world.json (--data DIR).  The web UI's home page shows the\n"
	"same picture (GET /api/v1/charts/map).\n";

int cmd_chart(struct cli_opts *o, struct cdg_err *e)
{
	const char *what = NULL, *ed = NULL, *fmt = NULL, *path = NULL;
	for (int i = 0; i < o->nrest; i++) {
		const char *a = o->rest[i];
		if (strcmp(a, "--format") == 0 || strcmp(a, "--out") == 0) {
			if (i + 1 >= o->nrest)
				return cli_usage(e, "chart", "%s wants a value", a);
			*(a[2] == 'f' ? &fmt : &path) = o->rest[++i];
		} else if (a[0] == '-' && a[1]) {
			return cli_usage(e, "chart", "unknown option \"%s\"", a);
		} else if (!what) {
			what = a;
		} else if (!ed) {
			ed = a;
		} else {
			return cli_usage(e, "chart", "unexpected argument \"%s\"", a);
		}
	}
	bool map = what && strcmp(what, "map") == 0;
	if (!what || (!map && strcmp(what, "ranking") != 0))
		return cli_usage(e, "chart", "which chart? (ranking, map)");
	long year = 0;
	if (map && ed && strcmp(ed, "budapest") == 0)
		year = -1;
	else if (map && (!ed || strcmp(ed, "latest") == 0))
		year = 0;
	else if (!ed || parse_long(ed, 1990, 2100, &year))
		return cli_usage(e, "chart", "EDITION wants a year");
	if (!path || !*path)
		return cli_usage(e, "chart", "--out FILE is required");
	if (!fmt) {
		const char *dot = strrchr(path, '.');
		if (!dot)
			return cli_usage(e, "chart", "give --format svg, png or "
					 "pdf (FILE has no extension)");
		fmt = dot + 1;
	}
	enum report_format f;
	int rc = report_format_parse(fmt, &f, e);
	if (rc)
		return rc;
	bool to_stdout = strcmp(path, "-") == 0;
	if (to_stdout && isatty(STDOUT_FILENO))
		return cli_usage(e, "chart", "will not write a %s file to a "
				 "terminal; give --out FILE", fmt);

	struct app a;
	if ((rc = cli_open(o, &a, false, e)))
		return rc;
	struct buf out = BUF_INIT;
	if (map) {
		char geo[4096];
		snprintf(geo, sizeof geo, "%s/map/world.json", o->data);
		rc = app_chart_map(&a, geo, year, NULL, (int)f, &out, e);
	} else {
		rc = app_chart_ranking(&a, year, (int)f, &out, e);
	}
	app_close(&a);
	/* The process ends soon: free pango's and fontconfig's caches so a
	 * leak checker sees only real leaks. */
	report_shutdown();
	if (rc == 0) {
		if (to_stdout) {
			if (fwrite(out.p, 1, out.len, stdout) != out.len ||
			    fflush(stdout) != 0)
				rc = err_set(e, CDG_EIO, "cannot write to "
					     "standard output");
		} else {
			rc = file_write_atomic(path, out.p, out.len, e);
			if (rc == 0 && o->json) {
				struct buf j = BUF_INIT;
				struct jw w;
				jw_init(&w, &j, false);
				jw_obj(&w);
				jw_kstr(&w, "file", path);
				jw_kstr(&w, "format", report_format_ext(f));
				jw_kint(&w, "bytes", (long long)out.len);
				jw_obj_end(&w);
				cli_print(&j);
				buf_free(&j);
			} else if (rc == 0)
				printf("%s: %zu bytes of %s\n", path, out.len,
				       report_format_mime(f));
		}
	}
	buf_free(&out);
	return rc;
}
