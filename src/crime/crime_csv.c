/* Coverage CSV import/export: see crime.h and data/crime/README.md. */
#include "crime/crime.h"

#include "formats/formats.h"

#include <string.h>

static const char *const cov_values[] = {"yes", "partial", "no", "unknown",
					 NULL};
static const char *const basis_values[] = {"sample_verified",
	"sample_unverified", "verified", "unverified", NULL};

enum { C_ISO3, C_ART, C_COV, C_CIT, C_URL, C_NOTE, C_BASIS, C_N };

static const struct col_spec spec[C_N] = {
	{"iso3", COL_ISO3, true, NULL},
	{"article_id", COL_TEXT, true, NULL},
	{"covered", COL_ENUM, true, cov_values},
	{"legal_citation", COL_TEXT, false, NULL},
	{"source_url", COL_URL, false, NULL},
	{"note", COL_TEXT, false, NULL},
	{"basis", COL_ENUM, true, basis_values},
};

static const char *nz(const char *s)
{
	return s && s[0] ? s : NULL;
}

int crime_coverage_parse(const struct crime_catalog *c, const char *name,
			 const char *text, size_t n, struct arena *a,
			 struct crime_cov_row **rows, size_t *nrows,
			 struct cdg_err *e)
{
	struct table t;
	*rows = NULL;
	*nrows = 0;
	int rc = table_read(name, text, n, spec, C_N, -1, TABLE_STRICT, a, &t, e);
	if (rc)
		return rc;
	struct crime_cov_row *r = arena_alloc(a, (t.nrows ? t.nrows : 1) * sizeof *r);
	for (size_t i = 0; i < t.nrows; i++) {
		struct crime_cov_row *x = &r[i];
		x->line = t.lines[i];
		x->iso3 = table_cell(&t, i, C_ISO3);
		x->article = table_cell(&t, i, C_ART);
		x->covered = (enum crime_cov)crime_cov_parse(table_cell(&t, i, C_COV));
		x->citation = nz(table_cell(&t, i, C_CIT));
		x->source_url = nz(table_cell(&t, i, C_URL));
		x->note = nz(table_cell(&t, i, C_NOTE));
		x->basis = table_cell(&t, i, C_BASIS);
		if (crime_article_find(c, x->article) < 0)
			return err_at(e, CDG_EINPUT, name, x->line, "article_id",
				      "unknown article %s", x->article);
		if ((x->covered == CRIME_COV_YES ||
		     x->covered == CRIME_COV_PARTIAL) &&
		    (!x->citation || !x->source_url))
			return err_at(e, CDG_EINPUT, name, x->line,
				      x->citation ? "source_url" : "legal_citation",
				      "%s %s: \"%s\" needs a legal citation and a "
				      "source URL", x->iso3, x->article,
				      crime_cov_name(x->covered));
		for (size_t j = 0; j < i; j++)
			if (strcmp(r[j].iso3, x->iso3) == 0 &&
			    strcmp(r[j].article, x->article) == 0)
				return err_at(e, CDG_EINPUT, name, x->line,
					      "article_id",
					      "%s %s already given on line %ld",
					      x->iso3, x->article, r[j].line);
	}
	*rows = r;
	*nrows = t.nrows;
	return 0;
}

void crime_coverage_write(struct buf *out, const struct crime_cov_row *rows,
			  size_t n)
{
	for (size_t k = 0; k < C_N; k++)
		csv_put(out, spec[k].name, k == 0);
	csv_endrow(out);
	for (size_t i = 0; i < n; i++) {
		const struct crime_cov_row *x = &rows[i];
		const char *cells[C_N] = {x->iso3, x->article,
			crime_cov_name(x->covered), x->citation, x->source_url,
			x->note, x->basis};
		for (size_t k = 0; k < C_N; k++)
			csv_put(out, cells[k] ? cells[k] : "", k == 0);
		csv_endrow(out);
	}
}
