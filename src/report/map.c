/* report: choropleth maps.  Regions are outlines in map units (absolute
 * SVG M/L/Z path data), each filled with the colour of its class. */
#include "report/report_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct rgb nodata = {REPORT_NODATA_R, REPORT_NODATA_G,
				  REPORT_NODATA_B};
#define BORDER 0.4   /* white outline between regions, points */
#define SWATCH 12.0  /* legend square, points */

/* Walks path data: "M x,y [x,y ...] L x,y ... Z", absolute commands only;
 * a pair after M without a command is a lineto, as in SVG.  With cr, the
 * path is added to cairo's current path, scaled by s from (x0, y0).
 * Returns 0, or -1 on anything else (the check reports the region). */
static int path_walk(const char *p, cairo_t *cr, double x0, double y0,
		     double s)
{
	static const char ok[] = "MLZ0123456789.,-+eE \t\r\n";
	if (strspn(p, ok) != strlen(p))
		return -1;
	char cmd = 0;
	bool open = false;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '\t' || *p == '\r' ||
		       *p == '\n')
			p++;
		if (!*p)
			break;
		if (*p == 'M' || *p == 'L' || *p == 'Z') {
			cmd = *p++;
			if (cmd == 'Z') {
				if (!open)
					return -1;
				if (cr)
					cairo_close_path(cr);
				open = false;
				cmd = 0;
			}
			continue;
		}
		if (!cmd)
			return -1; /* numbers before any M, or after Z */
		char *end;
		double x = strtod(p, &end);
		if (end == p)
			return -1;
		p = end;
		while (*p == ' ' || *p == ',')
			p++;
		double y = strtod(p, &end);
		if (end == p || !isfinite(x) || !isfinite(y))
			return -1;
		p = end;
		if (cmd == 'L' && !open)
			return -1;
		if (cr) {
			if (cmd == 'M')
				cairo_move_to(cr, x0 + s * x, y0 + s * y);
			else
				cairo_line_to(cr, x0 + s * x, y0 + s * y);
		}
		open = true;
		if (cmd == 'M')
			cmd = 'L';
	}
	return 0;
}

static bool id_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

static int by_id(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

int rp_map_check(const struct report_chart *c, struct cdg_err *e)
{
	int rc;
	if (!isfinite(c->map_w) || !isfinite(c->map_h) || c->map_w <= 0 ||
	    c->map_h <= 0)
		return err_set(e, CDG_EINPUT, "map extent %gx%g is not two "
			       "positive numbers", c->map_w, c->map_h);
	if ((!c->regions && c->n_regions) || (!c->classes && c->n_classes))
		return err_set(e, CDG_EUSAGE, "map: NULL array with a count");
	if (c->n_regions == 0 || c->n_regions > REPORT_MAX_REGIONS)
		return err_set(e, CDG_EINPUT, "map has %zu regions (1 to %d)",
			       c->n_regions, REPORT_MAX_REGIONS);
	if (c->n_classes == 0 || c->n_classes > REPORT_MAX_CLASSES)
		return err_set(e, CDG_EINPUT, "map has %zu classes (1 to %d)",
			       c->n_classes, REPORT_MAX_CLASSES);
	if ((rc = rp_check_text(c->nodata_label, "no-data label", false, e)))
		return rc;
	for (size_t k = 0; k < c->n_classes; k++) {
		const struct report_class *cl = &c->classes[k];
		char what[48];
		snprintf(what, sizeof what, "label of class %zu", k);
		if ((rc = rp_check_text(cl->label, what, true, e)))
			return rc;
		if (!(cl->r >= 0 && cl->r <= 1 && cl->g >= 0 && cl->g <= 1 &&
		      cl->b >= 0 && cl->b <= 1))
			return err_set(e, CDG_EINPUT, "class \"%s\": colour "
				       "outside 0..1", cl->label);
	}
	const char **ids = xcalloc(c->n_regions, sizeof *ids);
	rc = 0;
	for (size_t i = 0; i < c->n_regions && rc == 0; i++) {
		const struct report_region *r = &c->regions[i];
		ids[i] = r->id;
		if (!id_ok(r->id))
			rc = err_set(e, CDG_EINPUT, "region %zu: id \"%s\" is "
				     "not [A-Za-z0-9_-]+", i, r->id ? r->id : "");
		else if (r->cls < -1 || r->cls >= (int)c->n_classes)
			rc = err_set(e, CDG_EINPUT, "region %s: class %d out "
				     "of range", r->id, r->cls);
		else if (!r->path || !*r->path ||
			 strlen(r->path) > REPORT_MAP_PATH_MAX ||
			 path_walk(r->path, NULL, 0, 0, 1) != 0)
			rc = err_set(e, CDG_EINPUT, "region %s: path data is "
				     "not absolute M/L/Z with finite numbers",
				     r->id);
		else if ((rc = rp_check_text(r->title, "region title", false,
					     e)) == 0)
			rc = rp_check_text(r->href, "region link", false, e);
	}
	if (rc == 0) {
		qsort(ids, c->n_regions, sizeof *ids, by_id);
		for (size_t i = 1; i < c->n_regions && rc == 0; i++)
			if (strcmp(ids[i - 1], ids[i]) == 0)
				rc = err_set(e, CDG_EINPUT, "region %s appears "
					     "twice", ids[i]);
	}
	free(ids);
	return rc;
}

static struct rgb fill_of(const struct report_chart *c, int cls)
{
	if (cls < 0)
		return nodata;
	const struct report_class *k = &c->classes[cls];
	return (struct rgb){k->r, k->g, k->b};
}

static const char *nodata_label(const struct report_chart *c)
{
	return c->nodata_label && *c->nodata_label ? c->nodata_label
						   : "no data";
}

double rp_map_legend(PangoContext *pc, const struct report_chart *c,
		     double avail, bool draw, cairo_t *cr, double top)
{
	double x = PAD, y = top, row_h = SZ_LABEL * 1.3, h = row_h;
	for (size_t k = 0; k <= c->n_classes; k++) {
		const char *label = k < c->n_classes ? c->classes[k].label
						     : nodata_label(c);
		double tw = fmin(rp_text_width(pc, label, SZ_LABEL, false),
				 avail - SWATCH - 4);
		double item = SWATCH + 4 + tw + 14;
		if (k && x + item - 14 > PAD + avail) {
			x = PAD;
			y += row_h;
			h += row_h;
		}
		if (draw) {
			struct rgb col = fill_of(c, k < c->n_classes ? (int)k : -1);
			cairo_set_source_rgb(cr, col.r, col.g, col.b);
			cairo_rectangle(cr, x, y + (row_h - SWATCH) / 2, SWATCH,
					SWATCH);
			cairo_fill(cr);
			rp_draw_text(cr, pc, label, SZ_LABEL, false, rp_ink,
				     x + SWATCH + 4, y, LEFT, tw + 1, false);
		}
		x += item;
	}
	return h;
}

void rp_map_draw(cairo_t *cr, const struct report_chart *c, double x0,
		 double y0, double s)
{
	cairo_save(cr);
	cairo_set_line_width(cr, BORDER);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	for (size_t i = 0; i < c->n_regions; i++) {
		const struct report_region *r = &c->regions[i];
		struct rgb col = fill_of(c, r->cls);
		cairo_new_path(cr);
		path_walk(r->path, cr, x0, y0, s);
		cairo_set_source_rgb(cr, col.r, col.g, col.b);
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_stroke(cr);
	}
	cairo_restore(cr);
}

static void hex(struct buf *b, struct rgb c)
{
	buf_addf(b, "#%02x%02x%02x", (unsigned)lround(c.r * 255),
		 (unsigned)lround(c.g * 255), (unsigned)lround(c.b * 255));
}

void rp_map_svg(struct buf *out, const struct report_chart *c, double x0,
		double y0, double s)
{
	buf_addf(out, "\n<g class=\"regions\" transform=\"matrix(%.6g 0 0 %.6g "
		 "%.6g %.6g)\" stroke=\"#ffffff\" stroke-width=\"%.6g\" "
		 "stroke-linejoin=\"round\">\n", s, s, x0, y0, BORDER / s);
	for (size_t i = 0; i < c->n_regions; i++) {
		const struct report_region *r = &c->regions[i];
		bool link = r->href && *r->href;
		if (link) {
			buf_adds(out, "<a xlink:href=\"");
			rp_xml_escape(out, r->href);
			buf_adds(out, "\">");
		}
		buf_addf(out, "<path class=\"region\" data-id=\"%s\" fill=\"",
			 r->id);
		hex(out, fill_of(c, r->cls));
		buf_adds(out, "\" d=\"");
		buf_adds(out, r->path);
		buf_adds(out, "\">");
		if (r->title && *r->title) {
			buf_adds(out, "<title>");
			rp_xml_escape(out, r->title);
			buf_adds(out, "</title>");
		}
		buf_adds(out, "</path>");
		if (link)
			buf_adds(out, "</a>");
		buf_addc(out, '\n');
	}
	buf_adds(out, "</g>\n");
}

void rp_map_describe(const struct report_chart *c, struct buf *d)
{
	for (size_t i = 0; i < c->n_regions; i++) {
		const struct report_region *r = &c->regions[i];
		buf_addf(d, "%s: %s", r->id, r->cls < 0 ? nodata_label(c)
						       : c->classes[r->cls].label);
		if (r->title && *r->title)
			buf_addf(d, " (%s)", r->title);
		buf_addc(d, '\n');
	}
}
