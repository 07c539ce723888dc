/*
 * report: one renderer for cdg's charts, three surfaces (SVG, PNG, PDF).
 *
 * Pure drawing from plain data: no SQL, no files.  The caller fills a
 * struct report_chart (a horizontal bar chart or a line chart over years),
 * calls report_render() with a format, and gets the bytes of the image
 * appended to a struct buf.  The same static drawing routine runs on a
 * cairo SVG, PDF or image surface, so the three formats show the same
 * layout; text is laid out by pango in DejaVu Sans (fonts-dejavu-core),
 * with hinting of metrics off and 72 dpi, so text measures the same on all
 * three surfaces and one font size unit is one point.
 *
 * Ownership: report_render() keeps no pointer into the chart after it
 * returns; every string in the chart is borrowed, must be valid UTF-8, and
 * is copied by cairo/pango as needed.  The output is appended to out
 * (owned by the caller); on error out is left as it was.
 *
 * Every chart has a title, optional axis labels, and a source line at the
 * bottom ("Source: ...", required: every published figure names its
 * evidence).  A chart of synthetic data (the demo round) carries a red
 * "SYNTHETIC DATA" label beside the title and a faint diagonal
 * "SYNTHETIC" watermark over the plot, and says so in the file's metadata
 * too (SVG <desc>, PDF Subject, PNG tEXt "Comment").
 *
 * Determinism: the same chart gives the same bytes, in one process or
 * across processes, on the same cairo/pango/fontconfig/fonts.  cairo
 * numbers SVG surfaces with a process-wide counter (id="surfaceN"); the
 * renderer rewrites that to id="surface1".  cairo 1.16 writes the clock
 * into the PDF's /CreationDate; the renderer overwrites it in place with
 * REPORT_PDF_DATE (2000-01-01, same length, so the xref stays valid); no
 * ModDate is written.  SVG files also get a <title>
 * and a <desc> listing the data (cairo draws text as glyph outlines, so
 * this is what screen readers and text search see).
 *
 * Thread safety: report_render() may run on several threads at once; pango
 * keeps one default font map per thread.
 *
 * Input rules (checked before anything is drawn; the message names the
 * bar or series): CDG_EUSAGE for a malformed call (NULL chart or out,
 * unknown format or kind, a NULL array with a non-zero count, a size or
 * scale out of range); CDG_EINPUT for unusable data (no bars, no series or
 * no years, a non-finite value, series and years of different lengths,
 * years not increasing, an interval with lo > hi, a missing title, label
 * or source, text that is not UTF-8; for a map: no regions or classes, a
 * region id that is not [A-Za-z0-9_-]+ or repeats, path data that is not
 * absolute M/L/Z with finite numbers, a class out of range, a colour
 * outside 0..1).
 */
#ifndef CDG_REPORT_H
#define CDG_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"

enum report_format {
	REPORT_SVG = 0,
	REPORT_PNG = 1,
	REPORT_PDF = 2,
};

enum report_kind {
	REPORT_BAR = 0,  /* horizontal bars, one per label, top to bottom */
	REPORT_LINE = 1, /* one or more series over the same years */
	REPORT_MAP = 2,  /* a choropleth: regions filled by class */
};

#define REPORT_MAX_BARS 1000      /* more is an error, not a huge image */
#define REPORT_MAX_SERIES 12
#define REPORT_MAX_YEARS 200
#define REPORT_DEFAULT_WIDTH 720  /* points (= PNG pixels at scale 1) */
#define REPORT_LINE_HEIGHT 420    /* default height of a line chart */
#define REPORT_BAR_PITCH 20       /* points per bar when height is auto */
#define REPORT_MIN_SIZE 200       /* smallest width or height, points */
#define REPORT_MAX_SIZE 20000     /* largest width or height, points */
#define REPORT_MAX_PIXELS 32767   /* cairo's image surface limit */
#define REPORT_PDF_DATE "20000101000000Z" /* fixed PDF CreationDate */
/* The bars' fill colour, in 0..1 RGB; error bars and lines use darker
 * shades.  Tests find the bars in an SVG by this colour. */
#define REPORT_BAR_R 0.26
#define REPORT_BAR_G 0.49
#define REPORT_BAR_B 0.72

/* One bar: e.g. a state's index score, or its score on one goal. */
struct report_bar {
	const char *label; /* e.g. "1. Estonia", drawn left of the bar */
	double value;      /* bar length, in axis units */
	double lo, hi;     /* interval (e.g. 5-95 %), used if chart.intervals */
};

/* One region of a map (e.g. a state): its outline as SVG path data in map
 * units, restricted to absolute moveto/lineto/closepath ("M x,y L x,y Z",
 * numbers separated by commas or spaces), and the class that fills it. */
struct report_region {
	const char *id;    /* [A-Za-z0-9_-]+, e.g. "FRA"; data-id in SVG */
	const char *path;  /* "M583.8,326.3L583.5,326Z..." */
	int cls;           /* index into chart.classes, or -1: no data */
	const char *title; /* optional tooltip / accessible name */
	const char *href;  /* optional link (SVG only), e.g. a profile */
};

/* One class of a map's legend, in order, with its fill colour (0..1). */
struct report_class {
	const char *label;
	double r, g, b;
};

#define REPORT_MAX_REGIONS 400
#define REPORT_MAX_CLASSES 12
#define REPORT_MAP_PATH_MAX 200000 /* bytes of path data per region */
/* The fill of a region with no data (class -1). */
#define REPORT_NODATA_R 0.85
#define REPORT_NODATA_G 0.85
#define REPORT_NODATA_B 0.85

/* One line: values[i] belongs to chart.years[i]. */
struct report_series {
	const char *name;      /* legend text; NULL or "" for no legend entry */
	const double *values;  /* n finite values */
	size_t n;              /* must equal chart.n_years */
};

struct report_chart {
	enum report_kind kind;
	const char *title;    /* required, drawn bold at the top */
	const char *subtitle; /* optional second line under the title */
	const char *x_label;  /* horizontal axis label (bar: the value axis) */
	const char *y_label;  /* vertical axis label (bar: the label column) */
	const char *source;   /* required; drawn as "Source: " + source */
	bool synthetic;       /* label and watermark the chart as synthetic */
	double width;         /* points; 0 = REPORT_DEFAULT_WIDTH */
	double height;        /* points; 0 = from the number of bars, or
				 REPORT_LINE_HEIGHT for a line chart */
	double png_scale;     /* PNG pixels per point; 0 = 1 */
	int decimals;         /* digits after the point in value labels and
				 ticks, 0..6 (0 is a valid choice) */
	bool fixed_axis;      /* use axis_min..axis_max for the value axis */
	double axis_min, axis_max; /* if fixed_axis; else from the data */

	/* REPORT_BAR */
	const struct report_bar *bars; /* top to bottom */
	size_t n_bars;
	bool intervals;                /* draw lo..hi error bars */

	/* REPORT_LINE */
	const int *years;              /* strictly increasing */
	size_t n_years;
	const struct report_series *series;
	size_t n_series;

	/* REPORT_MAP: the map spans the chart's width; its height follows
	 * from map_h / map_w.  In SVG the regions are written as <path>
	 * elements (class "region", data-id, fill, a <title>, wrapped in an
	 * <a> when href is set) so a page can link and style them; PNG and
	 * PDF draw the same paths through cairo. */
	double map_w, map_h;            /* extent of the path coordinates */
	const struct report_region *regions;
	size_t n_regions;
	const struct report_class *classes;
	size_t n_classes;
	const char *nodata_label;       /* legend text of class -1; NULL:
					   "no data" */
};

/* Checks c against the input rules above without drawing. */
int report_check(const struct report_chart *c, struct cdg_err *e);

/* Draws c in format f and appends the file's bytes to out. */
int report_render(const struct report_chart *c, enum report_format f,
		  struct buf *out, struct cdg_err *e);

/* File name extension ("svg", "png", "pdf") and MIME type of f; NULL for
 * an unknown format. */
const char *report_format_ext(enum report_format f);
const char *report_format_mime(enum report_format f);
/* Parses "svg", "png" or "pdf" into *f; CDG_EUSAGE otherwise. */
int report_format_parse(const char *s, enum report_format *f,
			struct cdg_err *e);

/* Drops this thread's pango font map.  fontconfig's caches stay until
 * exit (FcFini() asserts while any is referenced; tests/lsan.supp lists
 * them for LeakSanitizer) and so do cairo's static caches.  Call once,
 * last, when no other thread draws; never needed in normal use. */
void report_shutdown(void);

#endif
