/* Index editions: the frozen methodology, input snapshot and results of
 * each annual edition (migration 3) and their sensitivity indices
 * (migration 7).  See store.h. */
#include "store/store_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int prep(struct store *s, const char *sql, sqlite3_stmt **st,
		struct cdg_err *e)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "preparing an index query");
	return 0;
}

static void bind_real(sqlite3_stmt *st, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, v);
}

static double col_real(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL
		       ? NAN
		       : sqlite3_column_double(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? t : "";
}

static int step_done(struct store *s, sqlite3_stmt *st, const char *what,
		     struct cdg_err *e)
{
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_dberr(s, e, what);
	sqlite3_reset(st);
	return rc;
}

/* Calls fn for each row of st: obs id, indicator, iso3, year, value,
 * source, synthetic.  Finalizes st. */
static int each_input(sqlite3_stmt *st,
		      int (*fn)(void *ctx, const struct store_index_input *r),
		      void *ctx)
{
	int rc = 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		struct store_index_input r = {
			.obs_id = sqlite3_column_int64(st, 0),
			.indicator = col_text(st, 1),
			.iso3 = col_text(st, 2),
			.year = (long)sqlite3_column_int64(st, 3),
			.value = sqlite3_column_double(st, 4),
			.source = col_text(st, 5),
			.synthetic = sqlite3_column_int(st, 6) != 0,
		};
		rc = fn(ctx, &r);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_edition_candidates(struct store *s, long year,
			     int (*fn)(void *ctx, const struct store_index_input *r),
			     void *ctx, struct cdg_err *e)
{
	sqlite3_stmt *st;
	/* The latest year is picked on obs's integer keys; only the rows
	 * picked are joined to their codes, source and batch. */
	int rc = prep(s,
		"SELECT o.id, i.code, c.iso3, o.year, o.value, src.url,"
		" coalesce(o.synthetic, b.synthetic)"
		" FROM (SELECT id, row_number() OVER (PARTITION BY indicator, country"
		" ORDER BY year DESC) AS rn FROM obs"
		" WHERE superseded_by IS NULL AND year <= ?1) k"
		" JOIN obs o ON o.id = k.id JOIN obs_indicator i ON i.id = o.indicator"
		" JOIN obs_country c ON c.id = o.country"
		" JOIN obs_source src ON src.id = o.source"
		" JOIN import_batch b ON b.id = o.batch_id"
		" WHERE k.rn = 1 ORDER BY c.iso3, i.code", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, year);
	return each_input(st, fn, ctx);
}

static void read_edition(sqlite3_stmt *st, struct store_edition *ed,
			 struct arena *a)
{
	ed->year = (long)sqlite3_column_int64(st, 0);
	ed->methodology = arena_strdup(a, col_text(st, 1));
	snprintf(ed->methodology_sha256, sizeof ed->methodology_sha256, "%s",
		 col_text(st, 2));
	snprintf(ed->input_sha256, sizeof ed->input_sha256, "%s",
		 col_text(st, 3));
	ed->mc_reps = (long)sqlite3_column_int64(st, 4);
	ed->mc_seed = (unsigned long long)sqlite3_column_int64(st, 5);
	ed->published = sqlite3_column_int(st, 6) != 0;
	ed->created_by = arena_strdup(a, col_text(st, 7));
	ed->created_at = arena_strdup(a, col_text(st, 8));
	ed->published_by = arena_strdup(a, col_text(st, 9));
	ed->published_at = arena_strdup(a, col_text(st, 10));
	ed->methodology_id = arena_strdup(a, col_text(st, 11));
	ed->n_units = (long)sqlite3_column_int64(st, 12);
	ed->n_ranked = (long)sqlite3_column_int64(st, 13);
	ed->n_inputs = (long)sqlite3_column_int64(st, 14);
}

#define EDITION_COLS                                                        \
	"year, methodology, methodology_sha256, input_sha256,"              \
	" mc_replications, mc_seed, published, created_by, created_at,"     \
	" coalesce(published_by, ''), coalesce(published_at, ''),"          \
	" methodology_id, n_units, n_ranked, n_inputs"

int store_edition_get(struct store *s, long year, struct store_edition *ed,
		      struct arena *a, struct cdg_err *e)
{
	sqlite3_stmt *st;
	int rc = prep(s, "SELECT " EDITION_COLS " FROM index_edition"
		      " WHERE year = ?1", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, year);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		read_edition(st, ed, a);
	else if (step == SQLITE_DONE)
		rc = err_at(e, CDG_ENOTFOUND, NULL, 0, "year",
			    "no index edition %ld (see 'cdg index list')", year);
	else
		rc = store_dberr(s, e, "reading an index edition");
	sqlite3_finalize(st);
	return rc;
}

int store_edition_each(struct store *s,
		       int (*fn)(void *ctx, const struct store_edition *ed),
		       void *ctx, struct cdg_err *e)
{
	sqlite3_stmt *st;
	int rc = prep(s, "SELECT " EDITION_COLS " FROM index_edition"
		      " ORDER BY year", &st, e);
	if (rc)
		return rc;
	int step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct arena a;
		arena_init(&a);
		struct store_edition ed;
		read_edition(st, &ed, &a);
		rc = fn(ctx, &ed);
		arena_free(&a);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_edition_freeze(struct store *s, const char *actor,
			 const struct store_edition *ed,
			 const struct store_index_input *in, size_t n_in,
			 const struct store_index_result *res, size_t n_res,
			 const struct store_index_sensitivity *sens,
			 size_t n_sens, struct cdg_err *e)
{
	int rc = store_tx_begin(s, actor, e);
	if (rc)
		return rc;
	sqlite3_stmt *q = NULL, *ins = NULL, *ii = NULL, *ir = NULL, *is = NULL;
	rc = prep(s, "SELECT published FROM index_edition WHERE year = ?1", &q, e);
	if (rc == 0) {
		sqlite3_bind_int64(q, 1, ed->year);
		if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0))
			rc = err_at(e, CDG_ECONFLICT, NULL, 0, "year",
				    "index edition %ld is published and is never "
				    "changed", ed->year);
	}
	/* An unpublished draft of the same year is replaced whole. */
	if (rc == 0) {
		sqlite3_stmt *d;
		static const char *const dels[] = {
			"DELETE FROM index_sensitivity WHERE edition = ?1",
			"DELETE FROM index_result WHERE edition = ?1",
			"DELETE FROM index_input WHERE edition = ?1",
			"DELETE FROM index_edition WHERE year = ?1"};
		for (size_t i = 0; i < 4 && rc == 0; i++) {
			rc = prep(s, dels[i], &d, e);
			if (rc == 0) {
				sqlite3_bind_int64(d, 1, ed->year);
				rc = step_done(s, d, "replacing a draft edition", e);
				sqlite3_finalize(d);
			}
		}
	}
	if (rc == 0)
		rc = prep(s, "INSERT INTO index_edition(year, methodology_id,"
			  " methodology, methodology_sha256, input_sha256,"
			  " mc_replications, mc_seed, n_units, n_ranked, n_inputs,"
			  " created_by, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,"
			  "?8,?9,?10, cdg_actor(), cdg_now())", &ins, e);
	if (rc == 0) {
		sqlite3_bind_int64(ins, 1, ed->year);
		sqlite3_bind_text(ins, 2, ed->methodology_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, ed->methodology, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, ed->methodology_sha256, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, ed->input_sha256, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 6, ed->mc_reps);
		sqlite3_bind_int64(ins, 7, (sqlite3_int64)ed->mc_seed);
		sqlite3_bind_int64(ins, 8, ed->n_units);
		sqlite3_bind_int64(ins, 9, ed->n_ranked);
		sqlite3_bind_int64(ins, 10, (sqlite3_int64)n_in);
		rc = step_done(s, ins, "recording the index edition", e);
	}
	if (rc == 0)
		rc = prep(s, "INSERT INTO index_input(edition, iso3, indicator_id,"
			  " year, value, observation_id, source, synthetic)"
			  " VALUES (?1,?2,?3,?4,?5,?6,?7,?8)", &ii, e);
	for (size_t i = 0; rc == 0 && i < n_in; i++) {
		const struct store_index_input *r = &in[i];
		sqlite3_bind_int64(ii, 1, ed->year);
		sqlite3_bind_text(ii, 2, r->iso3, -1, SQLITE_STATIC);
		sqlite3_bind_text(ii, 3, r->indicator, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ii, 4, r->year);
		sqlite3_bind_double(ii, 5, r->value);
		sqlite3_bind_int64(ii, 6, r->obs_id);
		sqlite3_bind_text(ii, 7, r->source, -1, SQLITE_STATIC);
		sqlite3_bind_int(ii, 8, r->synthetic);
		rc = step_done(s, ii, "freezing the input snapshot", e);
	}
	if (rc == 0)
		rc = prep(s, "INSERT INTO index_result(edition, iso3, node, score,"
			  " rank, rank_median, rank_p05, rank_p95)"
			  " VALUES (?1,?2,?3,?4,?5,?6,?7,?8)", &ir, e);
	for (size_t i = 0; rc == 0 && i < n_res; i++) {
		const struct store_index_result *r = &res[i];
		sqlite3_bind_int64(ir, 1, ed->year);
		sqlite3_bind_text(ir, 2, r->iso3, -1, SQLITE_STATIC);
		sqlite3_bind_text(ir, 3, r->node, -1, SQLITE_STATIC);
		bind_real(ir, 4, r->score);
		if (r->rank > 0)
			sqlite3_bind_int(ir, 5, r->rank);
		else
			sqlite3_bind_null(ir, 5);
		bind_real(ir, 6, r->rank_median);
		bind_real(ir, 7, r->rank_p05);
		bind_real(ir, 8, r->rank_p95);
		rc = step_done(s, ir, "storing the index results", e);
	}
	if (rc == 0 && n_sens)
		rc = prep(s, "INSERT INTO index_sensitivity(edition, factor, n,"
			  " si, sti) VALUES (?1,?2,?3,?4,?5)", &is, e);
	for (size_t i = 0; rc == 0 && i < n_sens; i++) {
		sqlite3_bind_int64(is, 1, ed->year);
		sqlite3_bind_text(is, 2, sens[i].factor, -1, SQLITE_STATIC);
		sqlite3_bind_int64(is, 3, sens[i].n);
		bind_real(is, 4, sens[i].si);
		bind_real(is, 5, sens[i].sti);
		rc = step_done(s, is, "storing the sensitivity indices", e);
	}
	sqlite3_finalize(is);
	sqlite3_finalize(q);
	sqlite3_finalize(ins);
	sqlite3_finalize(ii);
	sqlite3_finalize(ir);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, e);
}

int store_edition_inputs(struct store *s, long year,
			 int (*fn)(void *ctx, const struct store_index_input *r),
			 void *ctx, struct cdg_err *e)
{
	sqlite3_stmt *st;
	int rc = prep(s, "SELECT observation_id, indicator_id, iso3, year, value,"
		      " source, synthetic FROM index_input WHERE edition = ?1"
		      " ORDER BY iso3, indicator_id", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, year);
	return each_input(st, fn, ctx);
}

int store_edition_results(struct store *s, long year, const char *iso3,
			  int (*fn)(void *ctx, const struct store_index_result *r),
			  void *ctx, struct cdg_err *e)
{
	sqlite3_stmt *st;
	int rc = prep(s, "SELECT iso3, node, score, rank, rank_median, rank_p05,"
		      " rank_p95 FROM index_result WHERE edition = ?1"
		      " AND (?2 IS NULL OR iso3 = ?2) ORDER BY iso3, rowid", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, year);
	if (iso3)
		sqlite3_bind_text(st, 2, iso3, -1, SQLITE_STATIC);
	int step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_index_result r = {
			.iso3 = col_text(st, 0),
			.node = col_text(st, 1),
			.score = col_real(st, 2),
			.rank = sqlite3_column_int(st, 3),
			.rank_median = col_real(st, 4),
			.rank_p05 = col_real(st, 5),
			.rank_p95 = col_real(st, 6),
		};
		rc = fn(ctx, &r);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_edition_sensitivity(struct store *s, long year,
			      int (*fn)(void *ctx,
					const struct store_index_sensitivity *r),
			      void *ctx, struct cdg_err *e)
{
	sqlite3_stmt *st;
	int rc = prep(s, "SELECT factor, n, si, sti FROM index_sensitivity"
		      " WHERE edition = ?1 ORDER BY rowid", &st, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, year);
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		struct store_index_sensitivity r = {
			.factor = col_text(st, 0),
			.n = (long)sqlite3_column_int64(st, 1),
			.si = col_real(st, 2),
			.sti = col_real(st, 3),
		};
		rc = fn(ctx, &r);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_edition_publish(struct store *s, const char *actor, long year,
			  struct cdg_err *e)
{
	int rc = store_tx_begin(s, actor, e);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	rc = prep(s, "UPDATE index_edition SET published = 1,"
		  " published_by = cdg_actor(), published_at = cdg_now()"
		  " WHERE year = ?1 AND published = 0", &st, e);
	if (rc == 0) {
		sqlite3_bind_int64(st, 1, year);
		rc = step_done(s, st, "publishing the edition", e);
		sqlite3_finalize(st);
	}
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = err_at(e, CDG_ECONFLICT, NULL, 0, "year",
			    "index edition %ld does not exist or is already "
			    "published", year);
	if (rc) {
		store_tx_rollback(s);
		return rc;
	}
	return store_tx_commit(s, e);
}
