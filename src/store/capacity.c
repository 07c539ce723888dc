/* Capacity building and the map of agreements (issue 8): the fixed read
 * queries and the trimming of child rows.  Writes go through
 * store_upsert() (audited by the triggers of migration 8). */
#include "store/store_int.h"

#include <limits.h>
#include <string.h>

#define AGR_COLS \
	"a.id, a.name, a.short_name, a.year, a.date, a.type, a.stakeholder_groups," \
	" a.objectives, a.compliance, a.compliance_note, a.treaty_id," \
	" a.participants_note, a.source_url, a.source_note," \
	" (SELECT count(*) FROM agr_commitment c WHERE c.agreement_id = a.id)" \
	"  AS commitment_count," \
	" CASE WHEN a.treaty_id IS NULL THEN (SELECT count(*) FROM agr_participant p" \
	"  WHERE p.agreement_id = a.id) ELSE (SELECT count(*) FROM treaty_party t" \
	"  WHERE t.treaty_id = a.treaty_id) END AS participant_count"

static const struct {
	const char *id;
	const char *sql;
} queries[] = {
	{"initiatives",
	 "SELECT id, title, donors, implementers, states, regions, global, goals,"
	 " norms, start_date, end_date, budget, currency, status, source_url,"
	 " synthetic, note FROM cap_initiative ORDER BY id"},
	{"industry_norms",
	 "SELECT id, title, paraphrase, source_url FROM agr_industry_norm"
	 " ORDER BY position"},
	{"agreements", "SELECT " AGR_COLS " FROM agr_agreement a ORDER BY a.position"},
	{"agreement", "SELECT " AGR_COLS " FROM agr_agreement a WHERE a.id = ?1"},
	{"commitments",
	 "SELECT agreement_id, id, text, location, force, maps FROM agr_commitment"
	 " WHERE ?1 IS NULL OR agreement_id = ?1 ORDER BY agreement_id, position"},
	{"participants",
	 "SELECT name, iso3, kind, role, date, source_url, status, checked, note"
	 " FROM agr_participant WHERE agreement_id = ?1 ORDER BY position"},
	/* An agreement that is a treaty lists the treaty's parties as cdg's
	 * reference data records them (data/reference/budapest_convention.csv). */
	{"treaty_participants",
	 "SELECT c.name, t.iso3, 'state' AS kind, t.status ||"
	 " CASE WHEN t.ratification_date IS NULL AND t.entry_into_force_date IS NULL"
	 "  AND t.signature_date IS NOT NULL THEN ' (date of signature)' ELSE '' END AS role,"
	 " coalesce(t.ratification_date, t.entry_into_force_date, t.signature_date)"
	 "  AS date, t.source_url, t.status, NULL AS checked, NULL AS note"
	 " FROM treaty_party t JOIN country c ON c.iso3 = t.iso3"
	 " WHERE t.treaty_id = (SELECT treaty_id FROM agr_agreement WHERE id = ?1)"
	 " ORDER BY date IS NULL, date, c.name"},
	/* The agreements a state takes part in: listed participants, and the
	 * parties of an agreement's treaty. */
	{"state_agreements",
	 "SELECT a.id, a.short_name, a.year, a.type, a.compliance, p.role, p.date,"
	 " p.source_url, p.status, p.checked FROM agr_participant p"
	 " JOIN agr_agreement a ON a.id = p.agreement_id WHERE p.iso3 = ?1"
	 " UNION ALL SELECT a.id, a.short_name, a.year, a.type, a.compliance, t.status,"
	 " coalesce(t.ratification_date, t.entry_into_force_date, t.signature_date),"
	 " t.source_url, t.status, NULL FROM treaty_party t"
	 " JOIN agr_agreement a ON a.treaty_id = t.treaty_id"
	 " WHERE t.iso3 = ?1 ORDER BY 3, 1"},
	{"companies",
	 "SELECT id, company, norm_id AS norm, commitment, date, evidence_url, note,"
	 " synthetic FROM agr_company WHERE ?1 IS NULL OR norm_id = ?1"
	 " ORDER BY norm_id, company, id"},
};

int store_cap_each(struct store *s, const char *query,
		   const char *const *params, size_t np,
		   int (*fn)(void *ctx, const struct store_row *r), void *ctx,
		   struct cdg_err *e)
{
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
		if (strcmp(queries[i].id, query) == 0)
			return store_rows_each(s, queries[i].sql, query, params, np,
					       fn, ctx, e);
	return err_set(e, CDG_EINTERNAL, "unknown capacity query %s", query);
}

/* Deletes (audited) agreement's participants at positions from..below-1. */
static int trim_participants(struct store *s, const char *agreement, long from,
			     long below, struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "DELETE FROM agr_participant WHERE agreement_id = ?1"
			       " AND position >= ?2 AND position < ?3", -1, &st,
			       NULL) != SQLITE_OK)
		return store_dberr(s, e, "agreement trim");
	sqlite3_bind_text(st, 1, agreement, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, below);
	int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(s->db)
						 : store_dberr(s, e, "agreement trim");
	sqlite3_finalize(st);
	return rc;
}

int store_agr_trim(struct store *s, const char *agreement, long participants,
		   const char *commitments_json, struct cdg_err *e)
{
	int total = trim_participants(s, agreement, participants,
				      STORE_AGR_DESK_POSITION, e);
	if (total < 0)
		return total;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "DELETE FROM agr_commitment WHERE agreement_id = ?1"
			       " AND id NOT IN (SELECT value FROM json_each(?2))", -1,
			       &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "agreement trim");
	sqlite3_bind_text(st, 1, agreement, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, commitments_json, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(s->db)
						 : store_dberr(s, e, "agreement trim");
	sqlite3_finalize(st);
	return rc < 0 ? rc : total + rc;
}

int store_agr_trim_desk(struct store *s, const char *agreement, long participants,
			struct cdg_err *e)
{
	return trim_participants(s, agreement, STORE_AGR_DESK_POSITION + participants,
				 LONG_MAX, e);
}
