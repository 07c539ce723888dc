/* report: bar and line charts drawn once, on an SVG, PDF or image surface. */
#include "report/report_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>


/* Series colours: the bar colour first, then Okabe-Ito-like hues that stay
 * apart for colour-blind readers. */
static const struct rgb palette[REPORT_MAX_SERIES] = {
	{REPORT_BAR_R, REPORT_BAR_G, REPORT_BAR_B},
	{0.90, 0.56, 0.00}, {0.00, 0.55, 0.40}, {0.80, 0.40, 0.60},
	{0.35, 0.70, 0.90}, {0.80, 0.33, 0.00}, {0.45, 0.45, 0.45},
	{0.55, 0.35, 0.15}, {0.60, 0.60, 0.00}, {0.20, 0.20, 0.55},
	{0.90, 0.30, 0.40}, {0.10, 0.40, 0.20},
};
const struct rgb rp_ink = {0.13, 0.13, 0.13};         /* text */
const struct rgb rp_muted = {0.40, 0.40, 0.40};       /* ticks, source */
static const struct rgb grid = {0.88, 0.88, 0.88};     /* gridlines */
static const struct rgb axis = {0.55, 0.55, 0.55};     /* zero line, axes */
static const struct rgb whisker = {0.10, 0.22, 0.36};  /* error bars */
static const struct rgb synth = {0.80, 0.10, 0.10};    /* SYNTHETIC */

/* ---- input checks --------------------------------------------------------- */

int rp_check_text(const char *s, const char *what, bool required,
		      struct cdg_err *e)
{
	if (!s || !*s) {
		if (required)
			return err_set(e, CDG_EINPUT, "chart has no %s", what);
		return 0;
	}
	if (!utf8_valid(s, strlen(s)))
		return err_set(e, CDG_EINPUT, "chart %s is not valid UTF-8",
			       what);
	return 0;
}

static int check_size(double v, const char *what, struct cdg_err *e)
{
	if (v == 0)
		return 0;
	if (!isfinite(v) || v < REPORT_MIN_SIZE || v > REPORT_MAX_SIZE)
		return err_set(e, CDG_EUSAGE,
			       "chart %s must be 0 (automatic) or %d..%d points",
			       what, REPORT_MIN_SIZE, REPORT_MAX_SIZE);
	return 0;
}

static int check_bars(const struct report_chart *c, struct cdg_err *e)
{
	if (c->n_bars == 0)
		return err_set(e, CDG_EINPUT, "bar chart has no bars");
	if (!c->bars)
		return err_set(e, CDG_EUSAGE, "bar chart: bars is NULL but "
			       "n_bars is %zu", c->n_bars);
	if (c->n_bars > REPORT_MAX_BARS)
		return err_set(e, CDG_EINPUT, "bar chart has %zu bars, at most "
			       "%d are drawn", c->n_bars, REPORT_MAX_BARS);
	for (size_t i = 0; i < c->n_bars; i++) {
		const struct report_bar *b = &c->bars[i];
		if (!b->label || !*b->label)
			return err_set(e, CDG_EINPUT, "bar %zu has no label",
				       i + 1);
		if (!utf8_valid(b->label, strlen(b->label)))
			return err_set(e, CDG_EINPUT, "bar %zu: label is not "
				       "valid UTF-8", i + 1);
		if (!isfinite(b->value))
			return err_set(e, CDG_EINPUT, "bar %zu (\"%s\"): value "
				       "is not a finite number", i + 1,
				       b->label);
		if (c->intervals) {
			if (!isfinite(b->lo) || !isfinite(b->hi))
				return err_set(e, CDG_EINPUT, "bar %zu (\"%s\"): "
					       "interval bound is not a finite "
					       "number", i + 1, b->label);
			if (b->lo > b->hi)
				return err_set(e, CDG_EINPUT, "bar %zu (\"%s\"): "
					       "interval lo %g is above hi %g",
					       i + 1, b->label, b->lo, b->hi);
		}
	}
	return 0;
}

static int check_lines(const struct report_chart *c, struct cdg_err *e)
{
	if (c->n_series == 0)
		return err_set(e, CDG_EINPUT, "line chart has no series");
	if (!c->series)
		return err_set(e, CDG_EUSAGE, "line chart: series is NULL but "
			       "n_series is %zu", c->n_series);
	if (c->n_series > REPORT_MAX_SERIES)
		return err_set(e, CDG_EINPUT, "line chart has %zu series, at "
			       "most %d are drawn", c->n_series,
			       REPORT_MAX_SERIES);
	if (c->n_years == 0)
		return err_set(e, CDG_EINPUT, "line chart has no years");
	if (!c->years)
		return err_set(e, CDG_EUSAGE, "line chart: years is NULL but "
			       "n_years is %zu", c->n_years);
	if (c->n_years > REPORT_MAX_YEARS)
		return err_set(e, CDG_EINPUT, "line chart has %zu years, at "
			       "most %d are drawn", c->n_years,
			       REPORT_MAX_YEARS);
	for (size_t i = 1; i < c->n_years; i++)
		if (c->years[i] <= c->years[i - 1])
			return err_set(e, CDG_EINPUT, "line chart: years must "
				       "increase, but %d follows %d",
				       c->years[i], c->years[i - 1]);
	for (size_t s = 0; s < c->n_series; s++) {
		const struct report_series *r = &c->series[s];
		const char *name = r->name && *r->name ? r->name : "";
		if (r->name && !utf8_valid(r->name, strlen(r->name)))
			return err_set(e, CDG_EINPUT, "series %zu: name is "
				       "not valid UTF-8", s + 1);
		if (r->n != c->n_years)
			return err_set(e, CDG_EINPUT, "series %zu (\"%s\") has "
				       "%zu values for %zu years", s + 1, name,
				       r->n, c->n_years);
		if (!r->values)
			return err_set(e, CDG_EUSAGE, "series %zu (\"%s\"): "
				       "values is NULL", s + 1, name);
		for (size_t i = 0; i < r->n; i++)
			if (!isfinite(r->values[i]))
				return err_set(e, CDG_EINPUT, "series %zu "
					       "(\"%s\"), year %d: value is not "
					       "a finite number", s + 1, name,
					       c->years[i]);
	}
	return 0;
}

int report_check(const struct report_chart *c, struct cdg_err *e)
{
	int rc;
	if (!c)
		return err_set(e, CDG_EUSAGE, "no chart given");
	if (c->kind != REPORT_BAR && c->kind != REPORT_LINE &&
	    c->kind != REPORT_MAP)
		return err_set(e, CDG_EUSAGE, "unknown chart kind %d",
			       (int)c->kind);
	if ((rc = rp_check_text(c->title, "title", true, e)) ||
	    (rc = rp_check_text(c->source, "source", true, e)) ||
	    (rc = rp_check_text(c->subtitle, "subtitle", false, e)) ||
	    (rc = rp_check_text(c->x_label, "x axis label", false, e)) ||
	    (rc = rp_check_text(c->y_label, "y axis label", false, e)) ||
	    (rc = check_size(c->width, "width", e)) ||
	    (rc = check_size(c->height, "height", e)))
		return rc;
	if (c->png_scale != 0 &&
	    (!isfinite(c->png_scale) || c->png_scale < 0.25 ||
	     c->png_scale > 8))
		return err_set(e, CDG_EUSAGE, "chart png_scale must be 0 "
			       "(meaning 1) or 0.25..8");
	if (c->decimals < 0 || c->decimals > 6)
		return err_set(e, CDG_EUSAGE, "chart decimals must be 0..6, "
			       "not %d", c->decimals);
	if (c->fixed_axis &&
	    (!isfinite(c->axis_min) || !isfinite(c->axis_max) ||
	     c->axis_min >= c->axis_max))
		return err_set(e, CDG_EINPUT, "chart axis range %g..%g is not "
			       "an increasing pair of finite numbers",
			       c->axis_min, c->axis_max);
	if (c->kind == REPORT_MAP)
		return rp_map_check(c, e);
	return c->kind == REPORT_BAR ? check_bars(c, e) : check_lines(c, e);
}

/* ---- text ------------------------------------------------------------------ */

/* One pango context per render, set up so that text measures the same on
 * every surface: 72 dpi (font sizes are points), unhinted metrics, no
 * rounding of glyph positions, English as the language for font choice. */
static PangoContext *text_context(void)
{
	PangoContext *pc =
		pango_font_map_create_context(pango_cairo_font_map_get_default());
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_context_set_resolution(pc, 72);
	pango_context_set_round_glyph_positions(pc, FALSE);
	pango_context_set_language(pc, pango_language_from_string("en"));
	pango_context_set_base_dir(pc, PANGO_DIRECTION_LTR);
	return pc;
}

/* A layout of s in DejaVu Sans at size points; maxw > 0 limits the width,
 * wrapping (wrap) or ellipsizing at the end.  The caller unrefs it. */
static PangoLayout *text_layout(PangoContext *pc, const char *s, double size,
				bool bold, double maxw, bool wrap)
{
	PangoLayout *l = pango_layout_new(pc);
	PangoFontDescription *fd = pango_font_description_from_string(FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD
						   : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (maxw > 0) {
		pango_layout_set_width(l, (int)(maxw * PANGO_SCALE));
		if (wrap)
			pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
		else
			pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	pango_layout_set_text(l, s, -1);
	return l;
}

static void text_size(PangoLayout *l, double *w, double *h)
{
	PangoRectangle ink_r, log_r;
	pango_layout_get_extents(l, &ink_r, &log_r);
	if (w)
		*w = (double)log_r.width / PANGO_SCALE;
	if (h)
		*h = (double)log_r.height / PANGO_SCALE;
}

double rp_text_width(PangoContext *pc, const char *s, double size,
			 bool bold)
{
	PangoLayout *l = text_layout(pc, s, size, bold, 0, false);
	double w;
	text_size(l, &w, NULL);
	g_object_unref(l);
	return w;
}

double rp_text_height(PangoContext *pc, const char *s, double size,
			  bool bold, double maxw)
{
	PangoLayout *l = text_layout(pc, s, size, bold, maxw, true);
	double h;
	text_size(l, NULL, &h);
	g_object_unref(l);
	return h;
}

/* Draws s with its top at y, aligned on x as said; returns its height. */
double rp_draw_text(cairo_t *cr, PangoContext *pc, const char *s,
			double size, bool bold, struct rgb col, double x,
			double y, enum align a, double maxw, bool wrap)
{
	pango_cairo_update_context(cr, pc);
	PangoLayout *l = text_layout(pc, s, size, bold, maxw, wrap);
	double w, h;
	text_size(l, &w, &h);
	double left = a == LEFT ? x : a == CENTER ? x - w / 2 : x - w;
	cairo_set_source_rgb(cr, col.r, col.g, col.b);
	cairo_move_to(cr, left, y);
	pango_cairo_show_layout(cr, l);
	cairo_new_path(cr);
	g_object_unref(l);
	return h;
}

/* ---- scales ---------------------------------------------------------------- */

struct scale {
	double lo, hi;  /* axis range */
	double step;    /* tick spacing */
	int tick_dp;    /* decimals of tick labels */
};

/* A 1, 2, 2.5 or 5 times a power of ten near range / target. */
static double nice_step(double range, int target)
{
	double raw = range / target;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	double nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
	return nf * mag;
}

static void scale_make(struct scale *s, double lo, double hi, bool fixed,
		       bool with_zero)
{
	if (with_zero && !fixed) {
		lo = fmin(lo, 0);
		hi = fmax(hi, 0);
	}
	if (hi - lo < 1e-12) {
		double d = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1;
		lo -= d;
		hi += d;
	}
	s->step = nice_step(hi - lo, 5);
	if (!fixed) {
		lo = floor(lo / s->step + 1e-9) * s->step;
		hi = ceil(hi / s->step - 1e-9) * s->step;
	}
	s->lo = lo;
	s->hi = hi;
	s->tick_dp = 0;
	while (s->tick_dp < 6) {
		double m = s->step * pow(10, s->tick_dp);
		if (fabs(m - round(m)) < 1e-6 * fmax(1, m))
			break;
		s->tick_dp++;
	}
}

/* Position of v in lo..hi mapped onto a..b. */
static double scale_at(const struct scale *s, double v, double a, double b)
{
	return a + (v - s->lo) / (s->hi - s->lo) * (b - a);
}

/* The first tick at or above lo; ticks go up by step while <= hi. */
static double scale_first(const struct scale *s)
{
	return ceil(s->lo / s->step - 1e-9) * s->step;
}

static void fmt_num(char *out, size_t n, double v, int dp)
{
	if (fabs(v) < 0.5 * pow(10, -dp))
		v = 0; /* no "-0.0" */
	snprintf(out, n, "%.*f", dp, v);
}

/* ---- geometry --------------------------------------------------------------- */

struct geom {
	double w, h;           /* page size, points */
	double title_h, sub_h; /* header blocks */
	double synth_w;        /* width of the SYNTHETIC label box, 0 if none */
	double legend_h;       /* legend rows (line chart, map) */
	double ylab_h;         /* bar: label column heading row */
	double x0, x1, y0, y1; /* plot area */
	double label_w;        /* bar: label column width */
	double pitch;          /* bar: vertical space per bar */
	struct scale sc;       /* the value axis */
	double map_s;          /* map: points per map unit */
	bool svg;              /* drawing on the SVG surface */
};

#define SYNTH_TEXT "SYNTHETIC DATA"

static double header_bottom(const struct report_chart *c, const struct geom *g)
{
	double y = PAD + g->title_h;
	if (c->subtitle && *c->subtitle)
		y += 3 + g->sub_h;
	if (g->legend_h > 0)
		y += GAP + g->legend_h;
	return y + GAP + 4;
}

/* Height of the bottom stack under the plot: tick labels, x label, source. */
static double footer_height(PangoContext *pc, const struct report_chart *c,
			    double w)
{
	double h = 6 + SZ_TICK * 1.3 + GAP;
	if (c->x_label && *c->x_label)
		h += rp_text_height(pc, c->x_label, SZ_LABEL, false,
				 w - 2 * PAD) + GAP;
	h += rp_text_height(pc, c->source, SZ_SOURCE, false, w - 2 * PAD) + PAD;
	return h;
}

static const char *source_line(const struct report_chart *c, char *tmp,
			       size_t n)
{
	snprintf(tmp, n, "Source: %s", c->source);
	return tmp;
}

/* Legend rows of a line chart: swatch, name, flowing left to right. */
#define SWATCH 18.0
static double legend_rows(PangoContext *pc, const struct report_chart *c,
			  double avail, bool draw, cairo_t *cr, double top)
{
	double x = PAD, y = top, row_h = SZ_LABEL * 1.3, h = 0;
	bool any = false;
	for (size_t s = 0; s < c->n_series; s++) {
		const char *name = c->series[s].name;
		if (!name || !*name)
			continue;
		double tw = fmin(rp_text_width(pc, name, SZ_LABEL, false),
				 avail - SWATCH - 4);
		double item = SWATCH + 4 + tw + 14;
		if (any && x + item - 14 > PAD + avail) {
			x = PAD;
			y += row_h;
		}
		any = true;
		h = y - top + row_h;
		if (draw) {
			struct rgb col = palette[s];
			cairo_set_source_rgb(cr, col.r, col.g, col.b);
			cairo_set_line_width(cr, 2.5);
			cairo_move_to(cr, x, y + row_h / 2);
			cairo_line_to(cr, x + SWATCH, y + row_h / 2);
			cairo_stroke(cr);
			rp_draw_text(cr, pc, name, SZ_LABEL, false, rp_ink,
				  x + SWATCH + 4, y, LEFT, tw + 1, false);
		}
		x += item;
	}
	return h;
}

static int geom_compute(PangoContext *pc, const struct report_chart *c,
			struct geom *g, struct cdg_err *e)
{
	char tmp[64];
	memset(g, 0, sizeof *g);
	g->w = c->width > 0 ? c->width : REPORT_DEFAULT_WIDTH;
	if (c->synthetic)
		g->synth_w = rp_text_width(pc, SYNTH_TEXT, SZ_SYNTH, true) + 12;
	double title_w = g->w - 2 * PAD - (g->synth_w > 0 ? g->synth_w + 10 : 0);
	g->title_h = rp_text_height(pc, c->title, SZ_TITLE, true, title_w);
	if (c->subtitle && *c->subtitle)
		g->sub_h = rp_text_height(pc, c->subtitle, SZ_SUB, false,
				       g->w - 2 * PAD);
	if (c->kind == REPORT_LINE)
		g->legend_h = legend_rows(pc, c, g->w - 2 * PAD, false, NULL, 0);
	else if (c->kind == REPORT_MAP)
		g->legend_h = rp_map_legend(pc, c, g->w - 2 * PAD, false, NULL, 0);
	double top = header_bottom(c, g);
	double foot = footer_height(pc, c, g->w);

	if (c->kind == REPORT_MAP) {
		g->x0 = PAD;
		g->x1 = g->w - PAD;
		g->map_s = (g->x1 - g->x0) / c->map_w;
		g->y0 = top;
		g->y1 = top + c->map_h * g->map_s;
		g->h = c->height > 0 ? c->height : ceil(g->y1 + foot);
		if (g->h > REPORT_MAX_SIZE || g->y1 + foot > g->h + 0.5)
			return err_set(e, CDG_EINPUT, "map of width %.0f needs "
				       "%.0f points of height", g->w,
				       ceil(g->y1 + foot));
	} else if (c->kind == REPORT_BAR) {
		double lo = INFINITY, hi = -INFINITY, lw = 0, vw = 0;
		for (size_t i = 0; i < c->n_bars; i++) {
			const struct report_bar *b = &c->bars[i];
			lo = fmin(lo, c->intervals ? fmin(b->lo, b->value)
						   : b->value);
			hi = fmax(hi, c->intervals ? fmax(b->hi, b->value)
						   : b->value);
			lw = fmax(lw, rp_text_width(pc, b->label, SZ_LABEL, false));
			fmt_num(tmp, sizeof tmp, b->value, c->decimals);
			vw = fmax(vw, rp_text_width(pc, tmp, SZ_LABEL, false));
		}
		scale_make(&g->sc, c->fixed_axis ? c->axis_min : lo,
			   c->fixed_axis ? c->axis_max : hi, c->fixed_axis,
			   true);
		if (c->y_label && *c->y_label)
			lw = fmax(lw, rp_text_width(pc, c->y_label, SZ_LABEL,
						 true));
		g->label_w = fmin(ceil(lw) + 1, 0.35 * g->w);
		if (c->y_label && *c->y_label)
			g->ylab_h = rp_text_height(pc, c->y_label, SZ_LABEL, true,
						g->label_w) + 4;
		g->x0 = PAD + g->label_w + GAP;
		g->x1 = g->w - PAD - vw - 6;
		g->y0 = top + g->ylab_h;
		double nb = (double)c->n_bars;
		if (c->height > 0) {
			g->h = c->height;
			g->y1 = g->h - foot;
			g->pitch = (g->y1 - g->y0) / nb;
		} else {
			g->pitch = REPORT_BAR_PITCH;
			g->y1 = g->y0 + nb * g->pitch;
			g->h = ceil(g->y1 + foot);
			if (g->h > REPORT_MAX_SIZE)
				return err_set(e, CDG_EINPUT, "bar chart of %zu "
					       "bars would be %.0f points high, "
					       "more than %d", c->n_bars, g->h,
					       REPORT_MAX_SIZE);
		}
		if (g->pitch < SZ_LABEL * 1.2)
			return err_set(e, CDG_EINPUT, "chart height leaves %.1f "
				       "points per bar; give a larger height "
				       "or 0 (automatic)", g->pitch);
	} else {
		double lo = INFINITY, hi = -INFINITY, tw = 0;
		for (size_t s = 0; s < c->n_series; s++)
			for (size_t i = 0; i < c->n_years; i++) {
				lo = fmin(lo, c->series[s].values[i]);
				hi = fmax(hi, c->series[s].values[i]);
			}
		scale_make(&g->sc, c->fixed_axis ? c->axis_min : lo,
			   c->fixed_axis ? c->axis_max : hi, c->fixed_axis,
			   false);
		for (double t = scale_first(&g->sc); t <= g->sc.hi + 1e-9 * g->sc.step;
		     t += g->sc.step) {
			fmt_num(tmp, sizeof tmp, t, g->sc.tick_dp);
			tw = fmax(tw, rp_text_width(pc, tmp, SZ_TICK, false));
		}
		double left = PAD;
		if (c->y_label && *c->y_label)
			left += SZ_LABEL * 1.3 + 6;
		snprintf(tmp, sizeof tmp, "%d", c->years[c->n_years - 1]);
		double yw = rp_text_width(pc, tmp, SZ_TICK, false);
		g->x0 = left + tw + 6;
		g->x1 = g->w - PAD - yw / 2;
		g->h = c->height > 0 ? c->height : REPORT_LINE_HEIGHT;
		g->y0 = top + 4;
		g->y1 = g->h - foot;
		if (g->y1 - g->y0 < MIN_PLOT)
			return err_set(e, CDG_EINPUT, "chart height %.0f leaves "
				       "no room for the plot", g->h);
	}
	if (g->x1 - g->x0 < MIN_PLOT)
		return err_set(e, CDG_EINPUT, "chart width %.0f leaves no room "
			       "for the plot beside its labels", g->w);
	return 0;
}

/* ---- drawing --------------------------------------------------------------- */

static void set_rgb(cairo_t *cr, struct rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static void hline(cairo_t *cr, double x0, double x1, double y)
{
	cairo_move_to(cr, x0, y);
	cairo_line_to(cr, x1, y);
	cairo_stroke(cr);
}

static void vline(cairo_t *cr, double x, double y0, double y1)
{
	cairo_move_to(cr, x, y0);
	cairo_line_to(cr, x, y1);
	cairo_stroke(cr);
}

/* Title, subtitle, SYNTHETIC label, legend; source and x label. */
static void draw_frame(cairo_t *cr, PangoContext *pc,
		       const struct report_chart *c, const struct geom *g)
{
	char src[1024];
	/* An SVG map gets its white background and its regions as SVG
	 * elements under cairo's drawing (svg_finish). */
	if (!(g->svg && c->kind == REPORT_MAP)) {
		set_rgb(cr, (struct rgb){1, 1, 1});
		cairo_paint(cr);
	}

	double tw = g->w - 2 * PAD - (g->synth_w > 0 ? g->synth_w + 10 : 0);
	double y = PAD;
	y += rp_draw_text(cr, pc, c->title, SZ_TITLE, true, rp_ink, PAD, y, LEFT,
		       tw, true);
	if (c->subtitle && *c->subtitle)
		y += 3 + rp_draw_text(cr, pc, c->subtitle, SZ_SUB, false, rp_muted,
				   PAD, y + 3, LEFT, g->w - 2 * PAD, true);
	if (g->legend_h > 0 && c->kind == REPORT_MAP)
		rp_map_legend(pc, c, g->w - 2 * PAD, true, cr, y + GAP);
	else if (g->legend_h > 0)
		legend_rows(pc, c, g->w - 2 * PAD, true, cr, y + GAP);

	if (c->synthetic) {
		double bh = SZ_SYNTH * 1.3 + 6, bx = g->w - PAD - g->synth_w;
		set_rgb(cr, synth);
		cairo_rectangle(cr, bx, PAD, g->synth_w, bh);
		cairo_fill(cr);
		rp_draw_text(cr, pc, SYNTH_TEXT, SZ_SYNTH, true,
			  (struct rgb){1, 1, 1}, bx + g->synth_w / 2, PAD + 3,
			  CENTER, 0, false);
	}

	double sh = rp_text_height(pc, source_line(c, src, sizeof src), SZ_SOURCE,
				false, g->w - 2 * PAD);
	rp_draw_text(cr, pc, src, SZ_SOURCE, false, rp_muted, PAD, g->h - PAD - sh,
		  LEFT, g->w - 2 * PAD, true);
	if (c->x_label && *c->x_label) {
		double xh = rp_text_height(pc, c->x_label, SZ_LABEL, false,
					g->w - 2 * PAD);
		double xc = fmin(fmax((g->x0 + g->x1) / 2, PAD + 1),
				 g->w - PAD - 1);
		rp_draw_text(cr, pc, c->x_label, SZ_LABEL, false, rp_ink, xc,
			  g->h - PAD - sh - GAP - xh, CENTER, g->w - 2 * PAD,
			  true);
	}
}

/* A faint diagonal "SYNTHETIC" over the plot, drawn last. */
static void draw_watermark(cairo_t *cr, PangoContext *pc, const struct geom *g)
{
	double size = fmin(fmax(fmin((g->x1 - g->x0) / 6,
				     (g->y1 - g->y0) / 2.5), 14), 120);
	cairo_save(cr);
	cairo_translate(cr, (g->x0 + g->x1) / 2, (g->y0 + g->y1) / 2);
	cairo_rotate(cr, -M_PI / 6);
	pango_cairo_update_context(cr, pc);
	PangoLayout *l = text_layout(pc, "SYNTHETIC", size, true, 0, false);
	double w, h;
	text_size(l, &w, &h);
	cairo_set_source_rgba(cr, synth.r, synth.g, synth.b, 0.14);
	cairo_move_to(cr, -w / 2, -h / 2);
	pango_cairo_show_layout(cr, l);
	cairo_new_path(cr);
	g_object_unref(l);
	cairo_restore(cr);
	pango_cairo_update_context(cr, pc);
}

/* Vertical gridlines and tick labels of the value axis (bar chart). */
static void draw_value_ticks(cairo_t *cr, PangoContext *pc,
			     const struct geom *g)
{
	char tmp[64];
	const struct scale *s = &g->sc;
	cairo_set_line_width(cr, 0.6);
	for (double t = scale_first(s); t <= s->hi + 1e-9 * s->step;
	     t += s->step) {
		double x = scale_at(s, t, g->x0, g->x1);
		set_rgb(cr, fabs(t) < 1e-9 * s->step ? axis : grid);
		vline(cr, x, g->y0, g->y1);
		fmt_num(tmp, sizeof tmp, t, s->tick_dp);
		rp_draw_text(cr, pc, tmp, SZ_TICK, false, rp_muted, x, g->y1 + 6,
			  CENTER, 0, false);
	}
}

static void draw_bar_chart(cairo_t *cr, PangoContext *pc,
			   const struct report_chart *c, const struct geom *g)
{
	char tmp[64];
	if (c->y_label && *c->y_label)
		rp_draw_text(cr, pc, c->y_label, SZ_LABEL, true, rp_ink, PAD,
			  g->y0 - g->ylab_h, LEFT, g->label_w, true);
	draw_value_ticks(cr, pc, g);
	double zero = scale_at(&g->sc, fmin(fmax(0, g->sc.lo), g->sc.hi),
			       g->x0, g->x1);
	double th = g->pitch * 0.65, lab_h = SZ_LABEL * 1.17;
	for (size_t i = 0; i < c->n_bars; i++) {
		const struct report_bar *b = &c->bars[i];
		double cy = g->y0 + ((double)i + 0.5) * g->pitch;
		double v = fmin(fmax(b->value, g->sc.lo), g->sc.hi);
		double x = scale_at(&g->sc, v, g->x0, g->x1);
		rp_draw_text(cr, pc, b->label, SZ_LABEL, false, rp_ink,
			  PAD + g->label_w, cy - lab_h / 2, RIGHT, g->label_w,
			  false);
		cairo_rectangle(cr, fmin(zero, x), cy - th / 2,
				fabs(x - zero), th);
		cairo_set_source_rgb(cr, REPORT_BAR_R, REPORT_BAR_G,
				     REPORT_BAR_B);
		cairo_fill(cr);
		double end = fmax(x, zero);
		if (c->intervals) {
			double lo = scale_at(&g->sc, fmax(b->lo, g->sc.lo),
					     g->x0, g->x1);
			double hi = scale_at(&g->sc, fmin(b->hi, g->sc.hi),
					     g->x0, g->x1);
			double cap = th * 0.3;
			set_rgb(cr, whisker);
			cairo_set_line_width(cr, 1.2);
			hline(cr, lo, hi, cy);
			vline(cr, lo, cy - cap, cy + cap);
			vline(cr, hi, cy - cap, cy + cap);
			end = fmax(end, hi);
		}
		fmt_num(tmp, sizeof tmp, b->value, c->decimals);
		rp_draw_text(cr, pc, tmp, SZ_LABEL, false, rp_ink,
			  fmin(end, g->x1) + 4, cy - lab_h / 2, LEFT, 0, false);
	}
	set_rgb(cr, axis);
	cairo_set_line_width(cr, 0.8);
	vline(cr, zero, g->y0, g->y1);
}

static void draw_line_chart(cairo_t *cr, PangoContext *pc,
			    const struct report_chart *c, const struct geom *g)
{
	char tmp[64];
	const struct scale *s = &g->sc;
	int y_first = c->years[0], y_last = c->years[c->n_years - 1];
	double span = y_last > y_first ? (double)(y_last - y_first) : 1;

	/* Horizontal gridlines and value ticks. */
	cairo_set_line_width(cr, 0.6);
	for (double t = scale_first(s); t <= s->hi + 1e-9 * s->step;
	     t += s->step) {
		double y = scale_at(s, t, g->y1, g->y0);
		set_rgb(cr, grid);
		hline(cr, g->x0, g->x1, y);
		fmt_num(tmp, sizeof tmp, t, s->tick_dp);
		rp_draw_text(cr, pc, tmp, SZ_TICK, false, rp_muted, g->x0 - 6,
			  y - SZ_TICK * 0.6, RIGHT, 0, false);
	}
	if (c->y_label && *c->y_label) {
		cairo_save(cr);
		cairo_translate(cr, PAD, (g->y0 + g->y1) / 2);
		cairo_rotate(cr, -M_PI / 2);
		rp_draw_text(cr, pc, c->y_label, SZ_LABEL, false, rp_ink, 0, 0,
			  CENTER, g->y1 - g->y0, false);
		cairo_restore(cr);
		pango_cairo_update_context(cr, pc);
	}

	/* Year ticks: every k-th year so that labels do not collide. */
	snprintf(tmp, sizeof tmp, "%d", y_last);
	double yw = rp_text_width(pc, tmp, SZ_TICK, false) + 8;
	size_t k = 1;
	while (k < c->n_years &&
	       (double)(c->n_years - 1) / (double)k * yw > g->x1 - g->x0)
		k++;
	for (size_t i = 0; i < c->n_years; i++) {
		double x = c->n_years == 1
				   ? (g->x0 + g->x1) / 2
				   : g->x0 + (c->years[i] - y_first) / span *
						     (g->x1 - g->x0);
		set_rgb(cr, axis);
		cairo_set_line_width(cr, 0.8);
		vline(cr, x, g->y1, g->y1 + 4);
		if (i % k == 0 || i == c->n_years - 1) {
			if (i == c->n_years - 1 && i % k != 0 &&
			    (double)(i % k) * yw < 1.0 * yw * (double)k / 2)
				continue;
			snprintf(tmp, sizeof tmp, "%d", c->years[i]);
			rp_draw_text(cr, pc, tmp, SZ_TICK, false, rp_muted, x,
				  g->y1 + 6, CENTER, 0, false);
		}
	}
	set_rgb(cr, axis);
	cairo_set_line_width(cr, 0.8);
	hline(cr, g->x0, g->x1, g->y1);

	/* The series, clipped to the plot, with a dot at each value. */
	cairo_save(cr);
	cairo_rectangle(cr, g->x0 - 4, g->y0 - 4, g->x1 - g->x0 + 8,
			g->y1 - g->y0 + 8);
	cairo_clip(cr);
	for (size_t si = 0; si < c->n_series; si++) {
		const struct report_series *r = &c->series[si];
		set_rgb(cr, palette[si]);
		cairo_set_line_width(cr, 2);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		for (size_t i = 0; i < r->n; i++) {
			double x = c->n_years == 1
					   ? (g->x0 + g->x1) / 2
					   : g->x0 + (c->years[i] - y_first) /
							     span * (g->x1 - g->x0);
			double y = scale_at(s, r->values[i], g->y1, g->y0);
			if (i == 0)
				cairo_move_to(cr, x, y);
			else
				cairo_line_to(cr, x, y);
		}
		cairo_stroke(cr);
		for (size_t i = 0; i < r->n; i++) {
			double x = c->n_years == 1
					   ? (g->x0 + g->x1) / 2
					   : g->x0 + (c->years[i] - y_first) /
							     span * (g->x1 - g->x0);
			double y = scale_at(s, r->values[i], g->y1, g->y0);
			cairo_new_sub_path(cr);
			cairo_arc(cr, x, y, 3, 0, 2 * M_PI);
		}
		cairo_fill(cr);
	}
	cairo_restore(cr);
	pango_cairo_update_context(cr, pc);
}

/* The one drawing routine, whatever the surface. */
static void draw_chart(cairo_t *cr, PangoContext *pc,
		       const struct report_chart *c, const struct geom *g)
{
	draw_frame(cr, pc, c, g);
	if (c->kind == REPORT_BAR)
		draw_bar_chart(cr, pc, c, g);
	else if (c->kind == REPORT_LINE)
		draw_line_chart(cr, pc, c, g);
	else if (!g->svg)
		rp_map_draw(cr, c, g->x0, g->y0, g->map_s);
	if (c->synthetic)
		draw_watermark(cr, pc, g);
}

/* ---- surfaces and files --------------------------------------------------- */

static cairo_status_t write_cb(void *closure, const unsigned char *data,
			       unsigned int len)
{
	buf_add(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

void rp_xml_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		default:
			/* XML 1.0 has no control characters but these. */
			buf_addc(b, ch < 0x20 && ch != '\t' && ch != '\n'
					    ? ' '
					    : (char)ch);
		}
	}
}

/* The data as plain text lines: the SVG <desc>. */
static void describe(const struct report_chart *c, struct buf *d)
{
	char tmp[64];
	if (c->subtitle && *c->subtitle)
		buf_addf(d, "%s\n", c->subtitle);
	if (c->synthetic)
		buf_adds(d, SYNTH_TEXT "\n");
	if (c->kind == REPORT_BAR) {
		for (size_t i = 0; i < c->n_bars; i++) {
			const struct report_bar *b = &c->bars[i];
			fmt_num(tmp, sizeof tmp, b->value, c->decimals);
			buf_addf(d, "%s: %s", b->label, tmp);
			if (c->intervals) {
				fmt_num(tmp, sizeof tmp, b->lo, c->decimals);
				buf_addf(d, " (%s", tmp);
				fmt_num(tmp, sizeof tmp, b->hi, c->decimals);
				buf_addf(d, " to %s)", tmp);
			}
			buf_addc(d, '\n');
		}
	} else if (c->kind == REPORT_MAP) {
		rp_map_describe(c, d);
	} else {
		for (size_t s = 0; s < c->n_series; s++) {
			const struct report_series *r = &c->series[s];
			buf_addf(d, "%s:", r->name && *r->name ? r->name
							       : "series");
			for (size_t i = 0; i < r->n; i++) {
				fmt_num(tmp, sizeof tmp, r->values[i],
					c->decimals);
				buf_addf(d, "%s %d %s", i ? "," : "",
					 c->years[i], tmp);
			}
			buf_addc(d, '\n');
		}
	}
	buf_addf(d, "Source: %s", c->source);
}

/* Copies cairo's SVG markup from p to end, rewriting two things:
 * id="surfaceN" (a process-wide counter) becomes id="surface1", and each
 * style="prop:value;..." becomes presentation attributes prop="value", so
 * the SVG can be inlined in a page whose Content-Security-Policy forbids
 * inline styles. */
static void svg_rewrite(struct buf *out, const char *p, const char *end)
{
	static const char sid[] = "id=\"surface", sty[] = "style=\"";
	while (p < end) {
		const char *a, *i1 = strstr(p, sid), *i2 = strstr(p, sty);
		if (i1 && i1 >= end)
			i1 = NULL;
		if (i2 && i2 >= end)
			i2 = NULL;
		a = !i1 ? i2 : !i2 ? i1 : i1 < i2 ? i1 : i2;
		if (!a) {
			buf_add(out, p, (size_t)(end - p));
			return;
		}
		buf_add(out, p, (size_t)(a - p));
		if (a == i1) {
			buf_add(out, sid, sizeof sid - 1);
			buf_addc(out, '1');
			p = a + sizeof sid - 1;
			while (*p >= '0' && *p <= '9')
				p++;
			continue;
		}
		/* style="k:v;k:v;" -> k="v" k="v" */
		const char *v = a + sizeof sty - 1;
		const char *close = memchr(v, '"', (size_t)(end - v));
		if (!close) {
			buf_add(out, a, (size_t)(end - a));
			return;
		}
		bool first = true;
		while (v < close) {
			const char *semi = memchr(v, ';', (size_t)(close - v));
			const char *stop = semi ? semi : close;
			const char *colon = memchr(v, ':', (size_t)(stop - v));
			while (v < stop && *v == ' ')
				v++;
			if (colon && colon > v) {
				if (!first)
					buf_addc(out, ' ');
				first = false;
				buf_add(out, v, (size_t)(colon - v));
				buf_adds(out, "=\"");
				buf_add(out, colon + 1, (size_t)(stop - colon - 1));
				buf_addc(out, '"');
			}
			v = stop + (semi ? 1 : 0);
		}
		p = close + 1;
	}
}

/* Makes cairo's SVG reproducible and accessible: id="surfaceN" (a
 * process-wide counter) becomes id="surface1", and a <title> and <desc>
 * follow the <svg> start tag. */
static int svg_finish(const struct report_chart *c, const struct geom *g,
		      const struct buf *raw, struct buf *out, struct cdg_err *e)
{
	const char *svg = strstr(raw->p, "<svg");
	const char *gt = svg ? strchr(svg, '>') : NULL;
	if (!gt)
		return err_set(e, CDG_EINTERNAL, "cairo wrote no <svg> element");
	buf_add(out, raw->p, (size_t)(gt + 1 - raw->p));
	buf_adds(out, "\n<title>");
	rp_xml_escape(out, c->title);
	buf_adds(out, "</title>\n<desc>");
	struct buf d = BUF_INIT;
	describe(c, &d);
	rp_xml_escape(out, d.p);
	buf_free(&d);
	buf_adds(out, "</desc>");
	const char *p = gt + 1, *end = raw->p + raw->len;
	const char *close = NULL;
	if (c->kind == REPORT_MAP) {
		/* Background and regions first; cairo's text and watermark
		 * over them, letting pointer events through to the regions. */
		close = strstr(p, "</svg>");
		if (!close)
			return err_set(e, CDG_EINTERNAL, "cairo wrote no </svg>");
		buf_addf(out, "\n<rect x=\"0\" y=\"0\" width=\"%.6g\" "
			 "height=\"%.6g\" fill=\"#ffffff\"/>", g->w, g->h);
		rp_map_svg(out, c, g->x0, g->y0, g->map_s);
		buf_adds(out, "<g pointer-events=\"none\">");
		end = close;
	}
	svg_rewrite(out, p, end);
	if (close) {
		buf_adds(out, "</g>\n");
		buf_adds(out, close);
	}
	return 0;
}

static uint32_t crc32_png(const unsigned char *p, size_t n, uint32_t crc)
{
	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static void put_be32(struct buf *b, uint32_t v)
{
	unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};
	buf_add(b, x, 4);
}

/* Appends an iTXt chunk (UTF-8 text, uncompressed) keyword = text. */
static void png_itxt(struct buf *b, const char *keyword, const char *text)
{
	struct buf d = BUF_INIT;
	buf_adds(&d, "iTXt");
	buf_adds(&d, keyword);
	buf_add(&d, "\0\0\0\0\0", 5); /* NUL, no compression, method, "", "" */
	buf_adds(&d, text);
	put_be32(b, (uint32_t)(d.len - 4));
	buf_add(b, d.p, d.len);
	put_be32(b, crc32_png((const unsigned char *)d.p, d.len, 0));
	buf_free(&d);
}

/* PNG signature (8 bytes) and IHDR chunk (25 bytes) come first; the text
 * chunks go right after them. */
#define PNG_HEAD 33
static int png_finish(const struct report_chart *c, const struct buf *raw,
		      struct buf *out, struct cdg_err *e)
{
	char src[1024];
	if (raw->len < PNG_HEAD || memcmp(raw->p + 12, "IHDR", 4) != 0)
		return err_set(e, CDG_EINTERNAL, "cairo wrote no PNG header");
	buf_add(out, raw->p, PNG_HEAD);
	png_itxt(out, "Title", c->title);
	png_itxt(out, "Description", source_line(c, src, sizeof src));
	if (c->synthetic)
		png_itxt(out, "Comment", SYNTH_TEXT);
	png_itxt(out, "Software", "cdg");
	buf_add(out, raw->p + PNG_HEAD, raw->len - PNG_HEAD);
	return 0;
}

/* cairo 1.16 writes the clock into /CreationDate (D:YYYYMMDDHHMMSSZ), and
 * drops the "D:" prefix when the date is set with
 * cairo_pdf_surface_set_metadata, so the date is overwritten in place
 * instead: the same number of bytes, so the xref offsets stay right. */
static int pdf_finish(const struct buf *raw, struct buf *out,
		      struct cdg_err *e)
{
	static const char key[] = "/CreationDate (D:";
	static const char fixed[] = REPORT_PDF_DATE ")";
	buf_add(out, raw->p, raw->len);
	char *p = memmem(out->p, out->len, key, sizeof key - 1);
	if (!p)
		return 0; /* a cairo that writes no date */
	p += sizeof key - 1;
	char *close = memchr(p, ')', (size_t)(out->p + out->len - p));
	if (!close || (size_t)(close + 1 - p) < sizeof fixed - 1 ||
	    close - p > 40)
		return err_set(e, CDG_EINTERNAL, "cairo wrote an unexpected "
			       "PDF CreationDate");
	memcpy(p, fixed, sizeof fixed - 1);
	/* A longer date (with a zone offset) leaves spaces after the ")". */
	memset(p + sizeof fixed - 1, ' ', (size_t)(close + 1 - p) -
	       (sizeof fixed - 1));
	return 0;
}

int report_render(const struct report_chart *c, enum report_format f,
		  struct buf *out, struct cdg_err *e)
{
	int rc;
	if (!out)
		return err_set(e, CDG_EUSAGE, "no output buffer given");
	if (!report_format_ext(f))
		return err_set(e, CDG_EUSAGE, "unknown chart format %d", (int)f);
	if ((rc = report_check(c, e)))
		return rc;

	PangoContext *pc = text_context();
	struct geom g;
	if ((rc = geom_compute(pc, c, &g, e))) {
		g_object_unref(pc);
		return rc;
	}

	struct buf raw = BUF_INIT;
	cairo_surface_t *sf;
	double scale = c->png_scale > 0 ? c->png_scale : 1;
	if (f == REPORT_PNG) {
		double pw = ceil(g.w * scale), ph = ceil(g.h * scale);
		if (pw > REPORT_MAX_PIXELS || ph > REPORT_MAX_PIXELS) {
			g_object_unref(pc);
			return err_set(e, CDG_EINPUT, "PNG of %.0fx%.0f pixels "
				       "is larger than %d on a side; lower "
				       "png_scale", pw, ph, REPORT_MAX_PIXELS);
		}
		sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)pw,
						(int)ph);
	} else if (f == REPORT_SVG) {
		sf = cairo_svg_surface_create_for_stream(write_cb, &raw, g.w,
							 g.h);
		cairo_svg_surface_restrict_to_version(sf, CAIRO_SVG_VERSION_1_1);
	} else {
		sf = cairo_pdf_surface_create_for_stream(write_cb, &raw, g.w,
							 g.h);
		cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE,
					       c->title);
		cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR,
					       "cdg");
		if (c->synthetic)
			cairo_pdf_surface_set_metadata(
				sf, CAIRO_PDF_METADATA_SUBJECT, SYNTH_TEXT);
	}
	g.svg = f == REPORT_SVG;
	cairo_t *cr = cairo_create(sf);
	if (f == REPORT_PNG)
		cairo_scale(cr, scale, scale);
	draw_chart(cr, pc, c, &g);
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS) {
		if (f == REPORT_PNG)
			st = cairo_surface_write_to_png_stream(sf, write_cb,
							       &raw);
		cairo_surface_finish(sf);
		if (st == CAIRO_STATUS_SUCCESS)
			st = cairo_surface_status(sf);
	}
	cairo_surface_destroy(sf);
	g_object_unref(pc);
	if (st != CAIRO_STATUS_SUCCESS) {
		buf_free(&raw);
		return err_set(e, CDG_EINTERNAL, "cairo: %s",
			       cairo_status_to_string(st));
	}

	struct buf fin = BUF_INIT;
	if (f == REPORT_SVG)
		rc = svg_finish(c, &g, &raw, &fin, e);
	else if (f == REPORT_PNG)
		rc = png_finish(c, &raw, &fin, e);
	else
		rc = pdf_finish(&raw, &fin, e);
	buf_free(&raw);
	if (rc == 0)
		buf_add(out, fin.p, fin.len);
	buf_free(&fin);
	return rc;
}

const char *report_format_ext(enum report_format f)
{
	switch (f) {
	case REPORT_SVG: return "svg";
	case REPORT_PNG: return "png";
	case REPORT_PDF: return "pdf";
	}
	return NULL;
}

const char *report_format_mime(enum report_format f)
{
	switch (f) {
	case REPORT_SVG: return "image/svg+xml";
	case REPORT_PNG: return "image/png";
	case REPORT_PDF: return "application/pdf";
	}
	return NULL;
}

int report_format_parse(const char *s, enum report_format *f,
			struct cdg_err *e)
{
	static const enum report_format all[] = {REPORT_SVG, REPORT_PNG,
						 REPORT_PDF};
	for (size_t i = 0; s && i < sizeof all / sizeof all[0]; i++)
		if (strcmp(s, report_format_ext(all[i])) == 0) {
			*f = all[i];
			return 0;
		}
	return err_set(e, CDG_EUSAGE, "unknown chart format \"%s\" (svg, png "
		       "or pdf)", s ? s : "");
}

void report_shutdown(void)
{
	/* Only pango's font map is dropped: FcFini() asserts when any
	 * fontconfig cache is still referenced (it aborted cdg chart), and
	 * what fontconfig keeps until exit is listed in tests/lsan.supp. */
	pango_cairo_font_map_set_default(NULL);
}
