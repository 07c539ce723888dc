/* Survey responses with their full revision history.  See store.h. */
#include "store/store_int.h"

#include <string.h>

int store_survey_get(struct store *s, const char *iso3, long year,
		     struct store_survey_info *info, struct cdg_err *e)
{
	memset(info, 0, sizeof *info);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"SELECT id, status, revision, coalesce(published_revision, 0),"
		" synthetic FROM survey_response WHERE iso3 = ?1 AND year = ?2",
		-1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading a survey response");
	sqlite3_bind_text(st, 1, iso3, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, year);
	int rc = 0;
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		info->id = sqlite3_column_int64(st, 0);
		snprintf(info->status, sizeof info->status, "%s",
			 (const char *)sqlite3_column_text(st, 1));
		info->revision = sqlite3_column_int(st, 2);
		info->published_revision = sqlite3_column_int(st, 3);
		info->synthetic = sqlite3_column_int(st, 4) != 0;
	} else if (step != SQLITE_DONE) {
		rc = store_dberr(s, e, "reading a survey response");
	}
	sqlite3_finalize(st);
	return rc;
}

static int run(struct store *s, sqlite3_stmt *st, const char *what,
	       struct cdg_err *e)
{
	int step = sqlite3_step(st);
	int rc = step == SQLITE_DONE || step == SQLITE_ROW ? 0
							   : store_dberr(s, e, what);
	sqlite3_finalize(st);
	return rc;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int store_survey_put(struct store *s, const char *iso3, long year,
		     const char *status, const char *action, bool synthetic,
		     const char *content, const struct store_answer *answers,
		     size_t n, bool replace_answers, int *revision_out,
		     struct cdg_err *e)
{
	struct store_survey_info info;
	int rc = store_survey_get(s, iso3, year, &info, e);
	if (rc)
		return rc;
	sqlite3_stmt *st;
	int rev = info.revision + 1;
	bool publish = strcmp(status, "published") == 0;
	if (!info.id) {
		if (sqlite3_prepare_v2(s->db,
			"INSERT INTO survey_response(iso3, year, status, revision,"
			" published_revision, synthetic, updated_by, updated_at)"
			" VALUES (?1, ?2, ?3, 1, ?4, ?5, cdg_actor(), cdg_now())",
			-1, &st, NULL) != SQLITE_OK)
			return store_dberr(s, e, "creating a survey response");
		sqlite3_bind_text(st, 1, iso3, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, year);
		sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
		if (publish)
			sqlite3_bind_int(st, 4, 1);
		else
			sqlite3_bind_null(st, 4);
		sqlite3_bind_int(st, 5, synthetic);
		rc = run(s, st, "creating a survey response", e);
		info.id = sqlite3_last_insert_rowid(s->db);
	} else {
		if (sqlite3_prepare_v2(s->db,
			"UPDATE survey_response SET status = ?2, revision = ?3,"
			" published_revision = CASE WHEN ?4 THEN ?3 ELSE published_revision END,"
			" synthetic = ?5, updated_by = cdg_actor(), updated_at = cdg_now()"
			" WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
			return store_dberr(s, e, "updating a survey response");
		sqlite3_bind_int64(st, 1, info.id);
		sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, rev);
		sqlite3_bind_int(st, 4, publish);
		sqlite3_bind_int(st, 5, synthetic);
		rc = run(s, st, "updating a survey response", e);
	}
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(s->db,
		"INSERT INTO survey_revision(response_id, revision, status, content,"
		" actor, at, action) VALUES (?1, ?2, ?3, ?4, cdg_actor(), cdg_now(), ?5)",
		-1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "recording a survey revision");
	sqlite3_bind_int64(st, 1, info.id);
	sqlite3_bind_int(st, 2, rev);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, content, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, action, -1, SQLITE_STATIC);
	rc = run(s, st, "recording a survey revision", e);
	if (rc || !replace_answers)
		goto done;
	if (sqlite3_prepare_v2(s->db, "DELETE FROM survey_answer WHERE response_id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "replacing survey answers");
	sqlite3_bind_int64(st, 1, info.id);
	rc = run(s, st, "replacing survey answers", e);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct store_answer *a = &answers[i];
		if (sqlite3_prepare_v2(s->db,
			"INSERT INTO survey_answer(response_id, question_id, answer,"
			" comment, evidence, challenges, capacity_needs)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &st, NULL) != SQLITE_OK)
			return store_dberr(s, e, "writing a survey answer");
		sqlite3_bind_int64(st, 1, info.id);
		sqlite3_bind_text(st, 2, a->question, -1, SQLITE_STATIC);
		bind_opt(st, 3, a->answer);
		bind_opt(st, 4, a->comment);
		sqlite3_bind_text(st, 5, a->evidence_json ? a->evidence_json : "[]",
				  -1, SQLITE_STATIC);
		bind_opt(st, 6, a->challenges);
		bind_opt(st, 7, a->capacity_needs);
		rc = run(s, st, "writing a survey answer", e);
	}
done:
	if (rc == 0 && revision_out)
		*revision_out = rev;
	return rc;
}

int store_survey_content(struct store *s, const char *iso3, long year,
			 int revision, struct buf *out, struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"SELECT v.content FROM survey_revision v JOIN survey_response r"
		" ON r.id = v.response_id WHERE r.iso3 = ?1 AND r.year = ?2"
		" AND v.revision = CASE WHEN ?3 > 0 THEN ?3 ELSE r.revision END",
		-1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading a survey revision");
	sqlite3_bind_text(st, 1, iso3, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, year);
	sqlite3_bind_int(st, 3, revision);
	int rc = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		buf_adds(out, (const char *)sqlite3_column_text(st, 0));
	else
		rc = revision > 0
			     ? err_set(e, CDG_ENOTFOUND, "%s %ld has no revision %d",
				       iso3, year, revision)
			     : err_set(e, CDG_ENOTFOUND, "no survey response for %s %ld",
				       iso3, year);
	sqlite3_finalize(st);
	return rc;
}

int store_survey_history_json(struct store *s, const char *iso3, long year,
			      struct jw *w, struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"SELECT v.revision, v.status, v.action, v.actor, v.at"
		" FROM survey_revision v JOIN survey_response r ON r.id = v.response_id"
		" WHERE r.iso3 = ?1 AND r.year = ?2 ORDER BY v.revision",
		-1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading survey history");
	sqlite3_bind_text(st, 1, iso3, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, year);
	jw_arr(w);
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		jw_obj(w);
		jw_kint(w, "revision", sqlite3_column_int(st, 0));
		jw_kstr(w, "status", (const char *)sqlite3_column_text(st, 1));
		jw_kstr(w, "action", (const char *)sqlite3_column_text(st, 2));
		jw_kstr(w, "actor", (const char *)sqlite3_column_text(st, 3));
		jw_kstr(w, "at", (const char *)sqlite3_column_text(st, 4));
		jw_obj_end(w);
		n++;
	}
	jw_arr_end(w);
	sqlite3_finalize(st);
	if (n == 0)
		return err_set(e, CDG_ENOTFOUND, "no survey response for %s %ld",
			       iso3, year);
	return 0;
}

/* Calls fn for each row (iso3, year, a text, synthetic) of st, then
 * finalizes it. */
static int each_response(sqlite3_stmt *st,
			 int (*fn)(void *ctx, const char *iso3, long year,
				   const char *text, bool synthetic),
			 void *ctx)
{
	int rc = 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		rc = fn(ctx, (const char *)sqlite3_column_text(st, 0),
			(long)sqlite3_column_int64(st, 1),
			(const char *)sqlite3_column_text(st, 2),
			sqlite3_column_int(st, 3) != 0);
	sqlite3_finalize(st);
	return rc;
}

int store_survey_submissions(struct store *s,
			     int (*fn)(void *ctx, const char *iso3, long year,
				       const char *submitted, bool synthetic),
			     void *ctx, struct cdg_err *e)
{
	sqlite3_stmt *st;
	/* The submission behind the published revision: the latest submit
	 * at or before it (a response is published only after one). */
	if (sqlite3_prepare_v2(s->db,
		"SELECT iso3, year, at, synthetic FROM (SELECT r.iso3, r.year,"
		" (SELECT max(v.at) FROM survey_revision v WHERE v.response_id = r.id"
		" AND v.action = 'submit' AND v.revision <= r.published_revision) AS at,"
		" r.synthetic FROM survey_response r"
		" WHERE r.published_revision IS NOT NULL)"
		" WHERE at IS NOT NULL ORDER BY iso3, at",
		-1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "listing survey submissions");
	return each_response(st, fn, ctx);
}

int store_survey_each(struct store *s, bool published_only,
		      int (*fn)(void *ctx, const char *iso3, long year,
				const char *status, bool synthetic),
		      void *ctx, struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"SELECT iso3, year, status, synthetic FROM survey_response"
		" WHERE NOT ?1 OR published_revision IS NOT NULL ORDER BY iso3, year",
		-1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "listing survey responses");
	sqlite3_bind_int(st, 1, published_only);
	return each_response(st, fn, ctx);
}

int store_survey_needs(struct store *s, const char *iso3,
		       int (*fn)(void *ctx, long year, const char *question,
				 const char *challenges, const char *needs,
				 const char *status),
		       void *ctx, struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"SELECT r.year, a.question_id, a.challenges, a.capacity_needs, r.status"
		" FROM survey_answer a JOIN survey_response r ON r.id = a.response_id"
		" WHERE r.iso3 = ?1 AND r.year = (SELECT max(year) FROM survey_response"
		"  WHERE iso3 = ?1)"
		" AND (a.challenges IS NOT NULL OR a.capacity_needs IS NOT NULL)"
		" ORDER BY a.question_id", -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading capacity needs");
	sqlite3_bind_text(st, 1, iso3, -1, SQLITE_STATIC);
	int rc = 0;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		rc = fn(ctx, (long)sqlite3_column_int64(st, 0),
			(const char *)sqlite3_column_text(st, 1),
			(const char *)sqlite3_column_text(st, 2),
			(const char *)sqlite3_column_text(st, 3),
			(const char *)sqlite3_column_text(st, 4));
	sqlite3_finalize(st);
	return rc;
}

long long store_survey_revisions_by(struct store *s, const char *actor)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM survey_revision WHERE actor = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, actor, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int store_survey_revision_status(struct store *s, const char *iso3, long year,
				 int rev, char out[16], struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"SELECT v.status FROM survey_revision v JOIN survey_response r"
		" ON r.id = v.response_id WHERE r.iso3 = ?1 AND r.year = ?2"
		" AND v.revision = ?3", -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading a survey revision");
	sqlite3_bind_text(st, 1, iso3, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, year);
	sqlite3_bind_int(st, 3, rev);
	int rc = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, 16, "%s", sqlite3_column_text(st, 0));
	else
		rc = err_set(e, CDG_ENOTFOUND, "%s %ld has no revision %d", iso3, year, rev);
	sqlite3_finalize(st);
	return rc;
}
