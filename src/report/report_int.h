/* report/ internals shared by report.c (frame, bar and line charts,
 * surfaces) and map.c (choropleth maps).  Not for other modules. */
#ifndef CDG_REPORT_INT_H
#define CDG_REPORT_INT_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "report/report.h"

/* Layout constants, in points. */
#define PAD 20.0          /* outer margin */
#define GAP 8.0           /* between blocks */
#define FONT "DejaVu Sans"
#define SZ_TITLE 16.0
#define SZ_SUB 11.0
#define SZ_LABEL 10.0
#define SZ_TICK 9.0
#define SZ_SOURCE 8.5
#define SZ_SYNTH 10.0
#define MIN_PLOT 40.0     /* smallest plot width or height */

struct rgb {
	double r, g, b;
};

extern const struct rgb rp_ink;   /* text */
extern const struct rgb rp_muted; /* ticks, source */

enum align { LEFT, CENTER, RIGHT };

/* Text measured and drawn in DejaVu Sans at size points (report.c). */
double rp_text_width(PangoContext *pc, const char *s, double size, bool bold);
double rp_text_height(PangoContext *pc, const char *s, double size, bool bold,
		      double maxw);
/* Draws s with its top at y, aligned on x; returns its height. */
double rp_draw_text(cairo_t *cr, PangoContext *pc, const char *s, double size,
		    bool bold, struct rgb col, double x, double y, enum align a,
		    double maxw, bool wrap);
/* CDG_EINPUT if s is required and empty, or not UTF-8. */
int rp_check_text(const char *s, const char *what, bool required,
		  struct cdg_err *e);
/* Appends s with XML's special characters escaped. */
void rp_xml_escape(struct buf *b, const char *s);

/* ---- maps (map.c) ---- */

/* The map-specific input rules (report_check calls it for REPORT_MAP). */
int rp_map_check(const struct report_chart *c, struct cdg_err *e);
/* The legend: a swatch and a label per class, then "no data", flowing
 * left to right in rows across avail points from (PAD, top).  Returns its
 * height; draws only if draw. */
double rp_map_legend(PangoContext *pc, const struct report_chart *c,
		     double avail, bool draw, cairo_t *cr, double top);
/* Fills and outlines every region through cairo, map units scaled by s
 * and placed at (x0, y0). */
void rp_map_draw(cairo_t *cr, const struct report_chart *c, double x0,
		 double y0, double s);
/* The same regions as SVG elements (a <g> with one <path> per region). */
void rp_map_svg(struct buf *out, const struct report_chart *c, double x0,
		double y0, double s);
/* One text line per region for the SVG <desc>: "ID: class label". */
void rp_map_describe(const struct report_chart *c, struct buf *d);

#endif
