/* Norm-centred reads: what the published survey responses say about the
 * questions of one norm.  See store.h. */
#include "store/store_int.h"

int store_norm_answers_each(struct store *s, const char *norm,
			    int (*fn)(void *ctx, const struct store_norm_answer *r),
			    void *ctx, struct cdg_err *e)
{
	/* The published revision's own content, not survey_answer: the
	 * answers rows follow the current revision, which may be a newer
	 * draft that nobody has validated yet. */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"SELECT r.iso3, c.name, r.year, r.published_revision, r.synthetic,"
		" q.id, q.text, json_extract(a.value, '$.answer'),"
		" json_extract(a.value, '$.comment'),"
		" coalesce(json_extract(a.value, '$.evidence'), '[]')"
		" FROM survey_response r"
		" JOIN country c ON c.iso3 = r.iso3"
		" JOIN survey_revision v ON v.response_id = r.id"
		"  AND v.revision = r.published_revision"
		" JOIN json_each(v.content, '$.answers') a"
		" JOIN question q ON q.id = json_extract(a.value, '$.question')"
		" WHERE r.published_revision IS NOT NULL AND q.norm_id = ?1"
		" ORDER BY r.iso3, r.year, q.position", -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading survey answers of a norm");
	sqlite3_bind_text(st, 1, norm, -1, SQLITE_STATIC);
	int rc = 0, step = SQLITE_DONE;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_norm_answer r = {
			.iso3 = (const char *)sqlite3_column_text(st, 0),
			.name = (const char *)sqlite3_column_text(st, 1),
			.year = (long)sqlite3_column_int64(st, 2),
			.revision = sqlite3_column_int(st, 3),
			.synthetic = sqlite3_column_int(st, 4) != 0,
			.question = (const char *)sqlite3_column_text(st, 5),
			.text = (const char *)sqlite3_column_text(st, 6),
			.answer = (const char *)sqlite3_column_text(st, 7),
			.comment = (const char *)sqlite3_column_text(st, 8),
			.evidence_json = (const char *)sqlite3_column_text(st, 9),
		};
		rc = fn(ctx, &r);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_dberr(s, e, "reading survey answers of a norm");
	sqlite3_finalize(st);
	return rc;
}
