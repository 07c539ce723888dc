/* Unit tests for report/: the three formats, determinism, labels and input
 * checks.  CDG_REPORT_OUT=DIR also writes the charts there to look at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static const struct report_bar ranking[] = {
	{"1. Estonia", 82.4, 78.0, 85.1},
	{"2. Finland", 79.9, 75.2, 83.0},
	{"3. Côte d'Ivoire", 61.3, 55.0, 66.8},
	{"4. Brazil & Chile <tied>", 58.0, 51.9, 63.5},
	{"5. Kenya", 44.7, 38.1, 50.2},
};
#define N_RANKING (sizeof ranking / sizeof ranking[0])

static const int years[] = {2021, 2022, 2023, 2024, 2025};
static const double est[] = {70.1, 74.3, 76.0, 79.8, 82.4};
static const double ken[] = {30.5, 33.0, 38.2, 41.0, 44.7};
static const struct report_series hist[] = {
	{"Estonia", est, 5},
	{"Kenya", ken, 5},
};

static struct report_chart bar_chart(void)
{
	struct report_chart c = {0};
	c.kind = REPORT_BAR;
	c.title = "CDG Index 2025: ranking";
	c.subtitle = "Score 0-100 with the 5-95 % Monte Carlo interval";
	c.x_label = "Index score";
	c.y_label = "State";
	c.source = "cdg index edition 2025 (demo round)";
	c.decimals = 1;
	c.bars = ranking;
	c.n_bars = N_RANKING;
	c.intervals = true;
	return c;
}

static struct report_chart line_chart(void)
{
	struct report_chart c = {0};
	c.kind = REPORT_LINE;
	c.title = "Index score history";
	c.x_label = "Edition";
	c.y_label = "Score";
	c.source = "cdg index editions 2021-2025";
	c.decimals = 1;
	c.years = years;
	c.n_years = 5;
	c.series = hist;
	c.n_series = 2;
	return c;
}

static void save(const char *name, const struct buf *b)
{
	const char *dir = getenv("CDG_REPORT_OUT");
	if (!dir || !*dir)
		return;
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(b->p, 1, b->len, f);
		fclose(f);
	}
}

static void render_ok(const struct report_chart *c, enum report_format f,
		      struct buf *out)
{
	struct cdg_err e;
	err_clear(&e);
	int rc = report_render(c, f, out, &e);
	if (rc)
		fail_msg("report_render: %s", e.msg);
	assert_true(out->len > 0);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p;
	     p = strstr(p + strlen(needle), needle))
		n++;
	return n;
}

/* Well-formedness, roughly: every element opened is closed, in order. */
static void assert_xml_balanced(const char *s)
{
	char stack[64][64];
	int depth = 0;
	for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<')) {
		if (p[1] == '?' || p[1] == '!')
			continue;
		const char *gt = strchr(p, '>');
		assert_non_null(gt);
		bool closing = p[1] == '/';
		const char *n = p + (closing ? 2 : 1);
		size_t len = strcspn(n, " \t\n/>");
		assert_true(len > 0 && len < 64);
		if (closing) {
			assert_true(depth > 0);
			depth--;
			assert_int_equal(strlen(stack[depth]), len);
			assert_memory_equal(stack[depth], n, len);
		} else if (gt[-1] != '/') {
			assert_true(depth < 64);
			memcpy(stack[depth], n, len);
			stack[depth][len] = 0;
			depth++;
		}
	}
	assert_int_equal(depth, 0);
}

/* The bars are the filled paths in REPORT_BAR's colour, as cairo writes
 * it (the renderer turns cairo's style="fill:..." into attributes):
 * fill="rgb(R%,G%,B%)". */
static size_t count_bars(const char *svg)
{
	char fill[96];
	snprintf(fill, sizeof fill, "fill=\"rgb(%g%%,%g%%,%g%%)\"",
		 REPORT_BAR_R * 100, REPORT_BAR_G * 100, REPORT_BAR_B * 100);
	return count(svg, fill);
}

static void svg_is_xml_with_labels_and_bars(void **state)
{
	(void)state;
	struct report_chart c = bar_chart();
	struct buf out = BUF_INIT;
	render_ok(&c, REPORT_SVG, &out);
	save("ranking.svg", &out);
	assert_true(strncmp(out.p, "<?xml", 5) == 0);
	assert_non_null(strstr(out.p, "<svg"));
	assert_xml_balanced(out.p);
	assert_non_null(strstr(out.p, "<title>CDG Index 2025: ranking</title>"));
	assert_non_null(strstr(out.p, "1. Estonia: 82.4 (78.0 to 85.1)"));
	assert_non_null(strstr(out.p, "Côte d'Ivoire"));
	assert_non_null(strstr(out.p, "Brazil &amp; Chile &lt;tied&gt;"));
	assert_non_null(strstr(out.p, "Source: cdg index edition 2025"));
	assert_null(strstr(out.p, "SYNTHETIC"));
	assert_int_equal(count_bars(out.p), N_RANKING);

	/* One bar fewer, one path fewer. */
	c.n_bars = 3;
	buf_reset(&out);
	render_ok(&c, REPORT_SVG, &out);
	assert_int_equal(count_bars(out.p), 3);
	buf_free(&out);
}

static void same_chart_same_bytes(void **state)
{
	(void)state;
	struct report_chart c = bar_chart();
	enum report_format fs[] = {REPORT_SVG, REPORT_PNG, REPORT_PDF};
	for (size_t i = 0; i < 3; i++) {
		struct buf a = BUF_INIT, b = BUF_INIT;
		render_ok(&c, fs[i], &a);
		render_ok(&c, fs[i], &b);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.p, b.p, a.len);
		buf_free(&a);
		buf_free(&b);
	}
	/* cairo's process-wide surface counter does not show. */
	struct buf s = BUF_INIT;
	render_ok(&c, REPORT_SVG, &s);
	assert_non_null(strstr(s.p, "id=\"surface1\""));
	buf_free(&s);
}

static uint32_t be32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
	       (uint32_t)u[2] << 8 | u[3];
}

static void png_has_signature_and_size(void **state)
{
	(void)state;
	struct report_chart c = line_chart();
	struct buf out = BUF_INIT;
	render_ok(&c, REPORT_PNG, &out);
	save("history.png", &out);
	assert_true(out.len > 33);
	assert_memory_equal(out.p, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(out.p + 12, "IHDR", 4);
	assert_int_equal(be32(out.p + 16), REPORT_DEFAULT_WIDTH);
	assert_int_equal(be32(out.p + 20), REPORT_LINE_HEIGHT);
	assert_non_null(memmem(out.p, out.len, "iTXtTitle", 9));
	assert_non_null(memmem(out.p, out.len, "IEND", 4));

	c.width = 400;
	c.height = 300;
	c.png_scale = 2;
	buf_reset(&out);
	render_ok(&c, REPORT_PNG, &out);
	assert_int_equal(be32(out.p + 16), 800);
	assert_int_equal(be32(out.p + 20), 600);

	/* A bar chart's automatic height grows with its bars. */
	struct report_chart b = bar_chart();
	buf_reset(&out);
	render_ok(&b, REPORT_PNG, &out);
	save("ranking.png", &out);
	uint32_t h5 = be32(out.p + 20);
	b.n_bars = 2;
	buf_reset(&out);
	render_ok(&b, REPORT_PNG, &out);
	assert_int_equal(h5 - be32(out.p + 20), 3 * REPORT_BAR_PITCH);
	buf_free(&out);
}

static void pdf_starts_with_header(void **state)
{
	(void)state;
	struct report_chart c = bar_chart();
	struct buf out = BUF_INIT;
	render_ok(&c, REPORT_PDF, &out);
	save("ranking.pdf", &out);
	assert_true(strncmp(out.p, "%PDF-", 5) == 0);
	assert_non_null(memmem(out.p, out.len, "%%EOF", 5));
	assert_non_null(memmem(out.p, out.len, "D:20000101000000", 16));
	buf_free(&out);
}

static void line_chart_in_all_formats(void **state)
{
	(void)state;
	struct report_chart c = line_chart();
	struct buf out = BUF_INIT;
	render_ok(&c, REPORT_SVG, &out);
	save("history.svg", &out);
	assert_xml_balanced(out.p);
	assert_non_null(strstr(out.p, "Estonia: 2021 70.1, 2022 74.3"));
	assert_non_null(strstr(out.p, "Kenya:"));
	buf_reset(&out);
	render_ok(&c, REPORT_PDF, &out);
	assert_true(strncmp(out.p, "%PDF-", 5) == 0);

	/* One year, one series, no names, a fixed axis: still a chart. */
	static const double one[] = {50};
	static const struct report_series s1 = {NULL, one, 1};
	c.series = &s1;
	c.n_series = 1;
	c.n_years = 1;
	c.fixed_axis = true;
	c.axis_min = 0;
	c.axis_max = 100;
	buf_reset(&out);
	render_ok(&c, REPORT_SVG, &out);
	assert_non_null(strstr(out.p, "series: 2021 50.0"));
	buf_free(&out);
}

static void synthetic_flag_labels_every_format(void **state)
{
	(void)state;
	struct report_chart c = bar_chart();
	c.synthetic = true;
	struct buf out = BUF_INIT;
	render_ok(&c, REPORT_SVG, &out);
	save("ranking-synthetic.svg", &out);
	assert_non_null(strstr(out.p, "SYNTHETIC DATA"));
	assert_int_equal(count_bars(out.p), N_RANKING);
	buf_reset(&out);
	render_ok(&c, REPORT_PNG, &out);
	save("ranking-synthetic.png", &out);
	assert_non_null(memmem(out.p, out.len, "SYNTHETIC DATA", 14));
	buf_reset(&out);
	render_ok(&c, REPORT_PDF, &out);
	assert_non_null(memmem(out.p, out.len, "SYNTHETIC DATA", 14));

	struct report_chart l = line_chart();
	l.synthetic = true;
	buf_reset(&out);
	render_ok(&l, REPORT_PNG, &out);
	save("history-synthetic.png", &out);
	assert_non_null(memmem(out.p, out.len, "SYNTHETIC DATA", 14));

	/* Without the flag, no file says it. */
	c.synthetic = false;
	buf_reset(&out);
	render_ok(&c, REPORT_PNG, &out);
	assert_null(memmem(out.p, out.len, "SYNTHETIC", 9));
	buf_reset(&out);
	render_ok(&c, REPORT_PDF, &out);
	assert_null(memmem(out.p, out.len, "SYNTHETIC", 9));
	buf_free(&out);
}

/* report_render fails with code and a message containing want; out is
 * left untouched. */
static void expect_error(const struct report_chart *c, enum report_format f,
			 int code, const char *want)
{
	struct cdg_err e;
	err_clear(&e);
	struct buf out = BUF_INIT;
	buf_adds(&out, "keep");
	int rc = report_render(c, f, &out, &e);
	if (rc != code || !strstr(e.msg, want))
		fail_msg("want %d \"%s\", got %d \"%s\"", code, want, rc,
			 e.msg);
	assert_int_equal(e.code, code);
	assert_string_equal(out.p, "keep");
	buf_free(&out);
}

static void bad_input_is_rejected_with_a_reason(void **state)
{
	(void)state;
	struct report_chart c;
	struct cdg_err e;

	expect_error(NULL, REPORT_SVG, CDG_EUSAGE, "no chart");
	c = bar_chart();
	expect_error(&c, (enum report_format)7, CDG_EUSAGE, "unknown chart "
		     "format");
	assert_int_equal(report_render(&c, REPORT_SVG, NULL, &e), CDG_EUSAGE);

	c = line_chart();
	c.n_series = 0;
	expect_error(&c, REPORT_SVG, CDG_EINPUT, "line chart has no series");
	c = line_chart();
	c.n_years = 4;
	expect_error(&c, REPORT_PNG, CDG_EINPUT,
		     "series 1 (\"Estonia\") has 5 values for 4 years");
	c = line_chart();
	c.series = NULL;
	expect_error(&c, REPORT_PNG, CDG_EUSAGE, "series is NULL");
	static const double with_nan[] = {1, 2, NAN, 4, 5};
	static const struct report_series bad[] = {{"X", with_nan, 5}};
	c = line_chart();
	c.series = bad;
	c.n_series = 1;
	expect_error(&c, REPORT_PDF, CDG_EINPUT,
		     "series 1 (\"X\"), year 2023: value is not a finite");
	static const int back[] = {2021, 2023, 2022, 2024, 2025};
	c = line_chart();
	c.years = back;
	expect_error(&c, REPORT_SVG, CDG_EINPUT, "2022 follows 2023");

	c = bar_chart();
	c.n_bars = 0;
	expect_error(&c, REPORT_SVG, CDG_EINPUT, "bar chart has no bars");
	struct report_bar bars[2] = {{"A", 1, 0, 2}, {"B", INFINITY, 0, 2}};
	c.bars = bars;
	c.n_bars = 2;
	expect_error(&c, REPORT_SVG, CDG_EINPUT,
		     "bar 2 (\"B\"): value is not a finite number");
	bars[1].value = 1;
	bars[1].lo = 3;
	expect_error(&c, REPORT_SVG, CDG_EINPUT, "interval lo 3 is above hi 2");
	bars[1].lo = NAN;
	expect_error(&c, REPORT_SVG, CDG_EINPUT, "interval bound");
	c.intervals = false; /* then lo and hi are not looked at */
	struct buf ok = BUF_INIT;
	render_ok(&c, REPORT_SVG, &ok);
	buf_free(&ok);
	bars[1].label = "";
	expect_error(&c, REPORT_SVG, CDG_EINPUT, "bar 2 has no label");
	bars[1].label = "bad \xff";
	expect_error(&c, REPORT_SVG, CDG_EINPUT, "not valid UTF-8");

	c = bar_chart();
	c.source = NULL;
	expect_error(&c, REPORT_SVG, CDG_EINPUT, "chart has no source");
	c = bar_chart();
	c.title = "";
	expect_error(&c, REPORT_SVG, CDG_EINPUT, "chart has no title");
	c = bar_chart();
	c.width = 50;
	expect_error(&c, REPORT_SVG, CDG_EUSAGE, "width must be");
	c = bar_chart();
	c.width = NAN;
	expect_error(&c, REPORT_SVG, CDG_EUSAGE, "width must be");
	c = bar_chart();
	c.fixed_axis = true;
	c.axis_min = 10;
	c.axis_max = 10;
	expect_error(&c, REPORT_SVG, CDG_EINPUT, "axis range");
	c = bar_chart();
	c.decimals = 9;
	expect_error(&c, REPORT_SVG, CDG_EUSAGE, "decimals");
	c = bar_chart();
	c.height = 200; /* five bars do not fit */
	expect_error(&c, REPORT_SVG, CDG_EINPUT, "points per bar");
	c = bar_chart();
	c.png_scale = 8;
	c.width = 5000;
	expect_error(&c, REPORT_PNG, CDG_EINPUT, "lower png_scale");
	c = bar_chart();
	c.kind = (enum report_kind)5;
	expect_error(&c, REPORT_SVG, CDG_EUSAGE, "unknown chart kind");
}

static void formats_parse(void **state)
{
	(void)state;
	enum report_format f;
	struct cdg_err e;
	assert_int_equal(report_format_parse("png", &f, &e), 0);
	assert_int_equal(f, REPORT_PNG);
	assert_int_equal(report_format_parse("pdf", &f, &e), 0);
	assert_string_equal(report_format_mime(f), "application/pdf");
	assert_string_equal(report_format_ext(REPORT_SVG), "svg");
	assert_int_equal(report_format_parse("gif", &f, &e), CDG_EUSAGE);
	assert_non_null(strstr(e.msg, "\"gif\""));
	assert_null(report_format_ext((enum report_format)9));
}

static void many_bars_and_negative_values(void **state)
{
	(void)state;
	static struct report_bar many[200];
	static char names[200][32];
	for (int i = 0; i < 200; i++) {
		snprintf(names[i], sizeof names[i], "%d. State %d", i + 1, i);
		many[i] = (struct report_bar){names[i], 100.0 - i * 0.45,
					      0, 0};
	}
	struct report_chart c = bar_chart();
	c.bars = many;
	c.n_bars = 200;
	c.intervals = false;
	struct buf out = BUF_INIT;
	render_ok(&c, REPORT_SVG, &out);
	assert_int_equal(count_bars(out.p), 200);

	struct report_bar neg[] = {{"Up", 2.5, 0, 0}, {"Down", -1.25, 0, 0}};
	c.bars = neg;
	c.n_bars = 2;
	c.decimals = 2;
	buf_reset(&out);
	render_ok(&c, REPORT_SVG, &out);
	assert_non_null(strstr(out.p, "Down: -1.25"));
	assert_int_equal(count_bars(out.p), 2);
	buf_reset(&out);
	render_ok(&c, REPORT_PNG, &out);
	save("negative.png", &out);
	buf_free(&out);
}

/* ---- maps ---- */

/* Three squares and a triangle in a 100 x 50 map: classes 0, 1, none. */
static const struct report_class map_classes[] = {
	{"low", 1.0, 0.0, 0.0}, {"high", 0.0, 0.0, 1.0}};
static struct report_region map_regions[] = {
	{"AAA", "M0,0L10,0L10,10L0,10Z", 0, "Alpha: low", "/c?AAA"},
	{"BBB", "M20 0 L30 0 L30 10 L20 10 Z", 1, "Beta & co: high", NULL},
	{"CCC", "M40,0 50,0 50,10Z M60,0L70,0L70,10Z", -1, NULL, "/c?CCC"},
};

static struct report_chart map_chart(void)
{
	struct report_chart c = {0};
	c.kind = REPORT_MAP;
	c.title = "A test map";
	c.source = "constructed in the test";
	c.map_w = 100;
	c.map_h = 50;
	c.regions = map_regions;
	c.n_regions = 3;
	c.classes = map_classes;
	c.n_classes = 2;
	return c;
}

static void map_svg_has_linked_regions_in_class_colours(void **state)
{
	(void)state;
	struct report_chart c = map_chart();
	struct buf b = BUF_INIT;
	render_ok(&c, REPORT_SVG, &b);
	save("map.svg", &b);
	assert_xml_balanced(b.p);
	assert_int_equal(count(b.p, "<path class=\"region\""), 3);
	assert_non_null(strstr(b.p, "data-id=\"AAA\" fill=\"#ff0000\""));
	assert_non_null(strstr(b.p, "data-id=\"BBB\" fill=\"#0000ff\""));
	assert_non_null(strstr(b.p, "data-id=\"CCC\" fill=\"#d9d9d9\""));
	/* Links where given, XML-escaped titles, no inline styles. */
	assert_int_equal(count(b.p, "<a xlink:href="), 2);
	assert_non_null(strstr(b.p, "<title>Beta &amp; co: high</title>"));
	assert_null(strstr(b.p, "style=\""));
	/* The legend and the desc name the classes and "no data". */
	assert_non_null(strstr(b.p, "CCC: no data"));
	assert_non_null(strstr(b.p, "AAA: low (Alpha: low)"));
	/* The map spans the width inside the margins: 680 / 100 points. */
	assert_non_null(strstr(b.p, "matrix(6.8 0 0 6.8 20 "));
	buf_free(&b);
}

static void map_in_png_and_pdf_and_deterministic(void **state)
{
	(void)state;
	struct report_chart c = map_chart();
	c.synthetic = true;
	for (int f = REPORT_SVG; f <= REPORT_PDF; f++) {
		struct buf a = BUF_INIT, b = BUF_INIT;
		render_ok(&c, (enum report_format)f, &a);
		render_ok(&c, (enum report_format)f, &b);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.p, b.p, a.len);
		if (f == REPORT_PNG) {
			save("map.png", &a);
			assert_memory_equal(a.p, "\x89PNG", 4);
		}
		if (f == REPORT_PDF)
			assert_memory_equal(a.p, "%PDF", 4);
		buf_free(&a);
		buf_free(&b);
	}
}

static void map_bad_input_is_rejected(void **state)
{
	(void)state;
	static const struct {
		const char *id, *path;
		int cls;
		const char *want;
	} bad[] = {
		{"A A", "M0,0L1,1Z", 0, "id \"A A\""},
		{"AAA", "M0,0l1,1z", 0, "region AAA: path data"},
		{"AAA", "L0,0L1,1Z", 0, "region AAA: path data"},
		{"AAA", "M0,0Linf,1Z", 0, "region AAA: path data"},
		{"AAA", "M0,0L1Z", 0, "region AAA: path data"},
		{"AAA", "", 0, "region AAA: path data"},
		{"AAA", "M0,0L1,1Z", 2, "region AAA: class 2"},
		{"BBB", "M0,0L1,1Z", 0, "region BBB appears twice"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct report_region r[2] = {
			{"BBB", "M0,0L1,1Z", 0, NULL, NULL},
			{bad[i].id, bad[i].path, bad[i].cls, NULL, NULL}};
		struct report_chart c = map_chart();
		c.regions = r;
		c.n_regions = 2;
		struct cdg_err e;
		err_clear(&e);
		struct buf b = BUF_INIT;
		assert_int_equal(report_render(&c, REPORT_SVG, &b, &e), CDG_EINPUT);
		if (!strstr(e.msg, bad[i].want))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, e.msg, bad[i].want);
		assert_int_equal(b.len, 0);
	}
	struct report_chart c = map_chart();
	c.map_w = 0;
	struct cdg_err e;
	err_clear(&e);
	struct buf b = BUF_INIT;
	assert_int_equal(report_render(&c, REPORT_PNG, &b, &e), CDG_EINPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(svg_is_xml_with_labels_and_bars),
		cmocka_unit_test(map_svg_has_linked_regions_in_class_colours),
		cmocka_unit_test(map_in_png_and_pdf_and_deterministic),
		cmocka_unit_test(map_bad_input_is_rejected),
		cmocka_unit_test(same_chart_same_bytes),
		cmocka_unit_test(png_has_signature_and_size),
		cmocka_unit_test(pdf_starts_with_header),
		cmocka_unit_test(line_chart_in_all_formats),
		cmocka_unit_test(synthetic_flag_labels_every_format),
		cmocka_unit_test(bad_input_is_rejected_with_a_reason),
		cmocka_unit_test(formats_parse),
		cmocka_unit_test(many_bars_and_negative_values),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	report_shutdown();
	return rc;
}
