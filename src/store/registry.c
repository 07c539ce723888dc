/* The accountability registry's reads (issue 5): see store.h.  Writes go
 * through store_upsert() (audited by the triggers of migration 5); this
 * file holds the fixed read queries and the trimming of child rows. */
#include "store/store_int.h"

#include <string.h>

/* What a statement attributes to, as one state: the state named, else
 * the alleged sponsor of the actor named. */
#define REG_TARGET "coalesce(a.attributed_iso3, ac.sponsor_iso3)"
#define REG_ATTR_COLS \
	"a.id, a.incident_id, a.party_kind, a.party_name, a.party_iso3," \
	" a.party_members, " REG_TARGET " AS attributed_iso3, a.actor_id," \
	" coalesce(a.actor_text, ac.name) AS actor, a.date, a.statement_title," \
	" a.statement_url, a.confidence, a.basis, a.standard_id, a.invoked, a.note," \
	" a.created, a.modified"

static const struct {
	const char *id;
	const char *sql;
} queries[] = {
	{"incidents",
	 "SELECT i.id, i.title, i.start_date, i.end_date, i.description,"
	 " i.effects, i.cert_targeted, i.sources,"
	 " (SELECT count(*) FROM reg_attribution a WHERE a.incident_id = i.id)"
	 "  AS attribution_count, i.created, i.modified"
	 " FROM reg_incident i WHERE"
	 " (?1 IS NULL OR EXISTS (SELECT 1 FROM reg_attribution a LEFT JOIN"
	 "  reg_actor ac ON ac.id = a.actor_id WHERE a.incident_id = i.id AND"
	 "  (" REG_TARGET " = ?1 OR a.party_iso3 = ?1 OR EXISTS (SELECT 1 FROM"
	 "  json_each(a.party_members) m WHERE m.value = ?1)))"
	 "  OR EXISTS (SELECT 1 FROM reg_incident_victim v WHERE"
	 "  v.incident_id = i.id AND v.iso3 = ?1))"
	 " AND (?2 IS NULL OR EXISTS (SELECT 1 FROM reg_attribution a JOIN"
	 "  reg_invocation n ON n.attribution_id = a.id WHERE a.incident_id = i.id"
	 "  AND n.norm_id = ?2))"
	 " AND (?3 IS NULL OR i.start_date >= ?3 OR EXISTS (SELECT 1 FROM"
	 "  reg_attribution a WHERE a.incident_id = i.id AND a.date >= ?3))"
	 " AND (?4 IS NULL OR i.id IN (SELECT ref FROM reg_fts WHERE reg_fts MATCH ?4"
	 "  AND kind = 'incident') OR i.id IN (SELECT a.incident_id FROM"
	 "  reg_attribution a WHERE a.id IN (SELECT ref FROM reg_fts WHERE"
	 "  reg_fts MATCH ?4 AND kind = 'statement')))"
	 " AND (?5 IS NULL OR i.id = ?5)"
	 " ORDER BY i.start_date, i.title"},
	/* States by code, then non-UN entities by name (migration 15). */
	{"incident_victims",
	 "SELECT iso3 FROM (SELECT 0 AS k, iso3 FROM reg_incident_victim"
	 " WHERE incident_id = ?1 UNION ALL SELECT 1, n.name FROM"
	 " reg_incident_entity v JOIN non_un_entity n ON n.code = v.entity"
	 " WHERE v.incident_id = ?1) ORDER BY k, iso3"},
	{"incident_sectors",
	 "SELECT sector_id FROM reg_incident_sector WHERE incident_id = ?1"
	 " ORDER BY sector_id"},
	{"attributions",
	 "SELECT " REG_ATTR_COLS " FROM reg_attribution a LEFT JOIN reg_actor ac"
	 " ON ac.id = a.actor_id WHERE ?1 IS NULL OR a.incident_id = ?1"
	 " ORDER BY a.incident_id, a.date, coalesce(a.party_iso3, a.party_name), a.id"},
	{"invocations",
	 "SELECT attribution_id, kind, norm_id, rule, text, articulation"
	 " FROM reg_invocation WHERE ?1 IS NULL OR attribution_id = ?1"
	 " ORDER BY attribution_id, position"},
	{"responses",
	 "SELECT attribution_id, kind, date, description, url FROM reg_response"
	 " WHERE ?1 IS NULL OR attribution_id = ?1 ORDER BY attribution_id, position"},
	{"actors",
	 "SELECT id, kind, name, aliases, sponsor_iso3, sponsor_text, confidence,"
	 " description, refs, created, modified, origin FROM reg_actor"
	 " ORDER BY name, id"},
	/* The actors attributions name, and those they are attributed to. */
	{"actors_used",
	 "SELECT id, kind, name, aliases, sponsor_iso3, sponsor_text, confidence,"
	 " description, refs, created, modified, origin FROM reg_actor WHERE id IN"
	 " (SELECT actor_id FROM reg_attribution) OR id IN (SELECT target_id FROM"
	 " reg_actor_rel WHERE actor_id IN (SELECT actor_id FROM reg_attribution))"
	 " ORDER BY name, id"},
	{"actor_rels",
	 "SELECT actor_id, target_id, confidence, source FROM reg_actor_rel"
	 " ORDER BY actor_id, target_id"},
	{"incident_titles", "SELECT id, title FROM reg_incident ORDER BY id"},
	{"docs",
	 "SELECT 'standard' AS kind, id, iso3, title, date, url, NULL AS document_type,"
	 " NULL AS summary, criteria, note FROM reg_standard WHERE ?1 IS NULL OR iso3 = ?1"
	 " UNION ALL SELECT 'doctrine', id, iso3, title, date, url, NULL, summary,"
	 " '[]', note FROM reg_doctrine WHERE ?1 IS NULL OR iso3 = ?1"
	 " UNION ALL SELECT 'position', id, iso3, title, date, url, document_type,"
	 " NULL, '[]', note FROM reg_position WHERE ?1 IS NULL OR iso3 = ?1"
	 " ORDER BY 1, 3, 5, 4"},
	{"violations",
	 "SELECT " REG_TARGET " AS state, i.id AS incident_id, i.title AS incident,"
	 " i.start_date AS incident_date, a.id AS attribution_id, a.party_kind,"
	 " a.party_name, a.party_iso3, a.date, a.statement_title, a.statement_url,"
	 " a.confidence, a.basis, n.kind, n.text, n.articulation,"
	 " coalesce(a.actor_text, ac.name) AS actor, a.invoked AS quotation,"
	 /* The statement's own words name a norm, without its letter. */
	 " EXISTS (SELECT 1 FROM reg_invocation m WHERE m.attribution_id = a.id"
	 "  AND m.kind = 'commitment' AND m.rule = 'norm') AS named_in_words"
	 " FROM reg_invocation n JOIN reg_attribution a ON a.id = n.attribution_id"
	 " JOIN reg_incident i ON i.id = a.incident_id"
	 " LEFT JOIN reg_actor ac ON ac.id = a.actor_id"
	 " WHERE n.norm_id = ?1"
	 " ORDER BY state IS NULL, state, n.kind = 'norm_mapping', i.start_date,"
	 " i.title, a.date, a.party_name"},
	{"country_attributions",
	 "SELECT CASE WHEN " REG_TARGET " = ?1 THEN 'against' ELSE 'by' END AS role,"
	 " i.title AS incident, " REG_ATTR_COLS ","
	 " (SELECT group_concat(CASE WHEN n.kind = 'norm_mapping' THEN '13(' ||"
	 "  norm_id || ') (our mapping)' ELSE coalesce('13(' || norm_id || ')', text)"
	 "  END, '; ') FROM reg_invocation n WHERE n.attribution_id = a.id) AS norms"
	 " FROM reg_attribution a JOIN reg_incident i ON i.id = a.incident_id"
	 " LEFT JOIN reg_actor ac ON ac.id = a.actor_id"
	 " WHERE " REG_TARGET " = ?1 OR a.party_iso3 = ?1 OR EXISTS (SELECT 1 FROM"
	 " json_each(a.party_members) m WHERE m.value = ?1)"
	 " ORDER BY role, a.date, i.title"},
	/* Public statements of States for indicator CDG6.2.1: one row per
	 * statement (title and date), verified when its "norm or law
	 * invoked" field (the statement's own words) is filled in, naming
	 * the breach when one of its references is a norm stated, a rule of
	 * IL or a commitment.  A norm mapping (ours, not the statement's)
	 * neither verifies a statement nor names a breach. */
	{"state_statements",
	 "SELECT a.party_iso3, a.date, a.statement_title,"
	 " min(a.statement_url) AS url,"
	 " max(a.invoked IS NOT NULL OR EXISTS (SELECT 1 FROM reg_invocation n"
	 "  WHERE n.attribution_id = a.id AND n.kind <> 'norm_mapping')) AS verified,"
	 " max(EXISTS (SELECT 1 FROM reg_invocation n WHERE n.attribution_id = a.id"
	 "  AND n.kind IN ('norm','international_law','commitment'))) AS names_breach"
	 " FROM reg_attribution a WHERE a.party_kind = 'state'"
	 " GROUP BY a.party_iso3, a.date, a.statement_title"
	 " ORDER BY a.party_iso3, a.date, a.statement_title"},
	{"sectors",
	 "SELECT id, name, catalog, parent, source_url FROM reg_sector ORDER BY position"},
	{"standard", "SELECT id FROM reg_standard WHERE id = ?1"},
	{"states", "SELECT iso3, iso2, name, iso_name FROM country ORDER BY iso3"},
	/* Names of States (migration 15): aliases, then non-UN entities with
	 * their aliases joined by ';'. */
	{"state_aliases", "SELECT alias, iso3 FROM state_alias ORDER BY rowid"},
	{"non_un_entities",
	 "SELECT code, iso2, name, kind, (SELECT group_concat(value, ';') FROM"
	 " json_each(aliases)) AS aliases FROM non_un_entity ORDER BY code"},
	{"actor", "SELECT id FROM reg_actor WHERE id = ?1"},
	{"counts",
	 "SELECT (SELECT count(*) FROM reg_incident) AS incidents,"
	 " (SELECT count(*) FROM reg_attribution) AS attributions,"
	 " (SELECT count(*) FROM reg_actor) AS actors,"
	 " (SELECT count(*) FROM reg_standard) AS standards,"
	 " (SELECT count(*) FROM reg_doctrine) AS doctrines,"
	 " (SELECT count(*) FROM reg_position) AS positions"},
};

int store_reg_each(struct store *s, const char *query,
		   const char *const *params, size_t np,
		   int (*fn)(void *ctx, const struct store_row *r), void *ctx,
		   struct cdg_err *e)
{
	const char *sql = NULL;
	for (size_t i = 0; i < sizeof queries / sizeof queries[0] && !sql; i++)
		if (strcmp(queries[i].id, query) == 0)
			sql = queries[i].sql;
	if (!sql)
		return err_set(e, CDG_EINTERNAL, "unknown registry query %s", query);
	return store_rows_each(s, sql, query, params, np, fn, ctx, e);
}

int store_reg_trim(struct store *s, const char *what, const char *id,
		   long keep, const char *keep_json, struct cdg_err *e)
{
	static const struct {
		const char *what, *sql;
	} trims[] = {
		{"invocations", "DELETE FROM reg_invocation WHERE attribution_id = ?1"
				" AND position >= ?2"},
		{"responses", "DELETE FROM reg_response WHERE attribution_id = ?1"
			      " AND position >= ?2"},
		{"victims", "DELETE FROM reg_incident_victim WHERE incident_id = ?1"
			    " AND iso3 NOT IN (SELECT value FROM json_each(?3))"},
		{"victim_entities", "DELETE FROM reg_incident_entity WHERE incident_id = ?1"
				    " AND entity NOT IN (SELECT value FROM json_each(?3))"},
		{"sectors", "DELETE FROM reg_incident_sector WHERE incident_id = ?1"
			    " AND sector_id NOT IN (SELECT value FROM json_each(?3))"},
		{"actor_rels", "DELETE FROM reg_actor_rel WHERE actor_id = ?1"
			       " AND target_id NOT IN (SELECT value FROM json_each(?3))"},
	};
	const char *sql = NULL;
	for (size_t i = 0; i < sizeof trims / sizeof trims[0] && !sql; i++)
		if (strcmp(trims[i].what, what) == 0)
			sql = trims[i].sql;
	if (!sql)
		return err_set(e, CDG_EINTERNAL, "unknown trim %s", what);
	sqlite3_stmt *st;
	int rc = store_cached(s, sql, &st, e);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (strstr(sql, "?2"))
		sqlite3_bind_int64(st, 2, keep);
	if (strstr(sql, "?3"))
		sqlite3_bind_text(st, 3, keep_json ? keep_json : "[]", -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(s->db)
					     : store_dberr(s, e, what);
	sqlite3_reset(st);
	return rc;
}
