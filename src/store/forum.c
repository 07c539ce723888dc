/* The standing forum's records (issue 9): see store.h.  Every statement is
 * one of a fixed set named below; the reads build their JSON in SQLite
 * (json_object, json_group_array), so that one query gives a whole nested
 * record.  Subquery results lose their JSON subtype in SQLite, hence the
 * json() around each. */
#include "store/store_int.h"

#include <string.h>

struct forum_sql {
	const char *id;  /* name callers use */
	const char *sql; /* parameters ?1, ?2 ... */
};

/* ---- writes ----------------------------------------------------------------- */

static const struct forum_sql writes[] = {
	{"org_add",
	 "INSERT INTO forum_org(name, grp, iso3, created_by, created_at)"
	 " VALUES (?1, ?2, ?3, cdg_actor(), cdg_now())"},
	{"org_accredit",
	 "UPDATE forum_org SET accredited = 1, accredited_by = cdg_actor(),"
	 " accredited_at = cdg_now() WHERE id = ?1 AND accredited = 0"},
	{"member_add",
	 "INSERT INTO forum_member(account_id, org_id, added_by, added_at)"
	 " SELECT id, ?2, cdg_actor(), cdg_now() FROM account WHERE name = ?1"},
	{"session_add",
	 "INSERT INTO forum_session(kind, title, starts_on, ends_on, description,"
	 " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, cdg_actor(), cdg_now())"},
	{"item_add",
	 "INSERT INTO forum_item(session_id, position, title, description)"
	 " VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM forum_item"
	 "  WHERE session_id = ?1), ?2, ?3)"},
	{"doc_add",
	 "INSERT INTO forum_doc(session_id, item_id, title, access, created_by,"
	 " created_at) VALUES (?1, ?2, ?3, ?4, cdg_actor(), cdg_now())"},
	{"doc_version_add",
	 "INSERT INTO forum_doc_version(doc_id, version, body, url, actor, at)"
	 " VALUES (?1, (SELECT coalesce(max(version), 0) + 1 FROM forum_doc_version"
	 "  WHERE doc_id = ?1), ?2, ?3, cdg_actor(), cdg_now())"},
	{"proposal_add",
	 "INSERT INTO forum_proposal(item_id, org_id, created_by, created_at)"
	 " VALUES (?1, ?2, cdg_actor(), cdg_now())"},
	{"proposal_version_add",
	 "INSERT INTO forum_proposal_version(proposal_id, version, title, body,"
	 " refs, actor, at) VALUES (?1, (SELECT coalesce(max(version), 0) + 1"
	 "  FROM forum_proposal_version WHERE proposal_id = ?1), ?2, ?3, ?4,"
	 " cdg_actor(), cdg_now())"},
	{"comment_add",
	 "INSERT INTO forum_comment(proposal_id, org_id, body, actor, at)"
	 " VALUES (?1, ?2, ?3, cdg_actor(), cdg_now())"},
	{"endorse_add",
	 "INSERT INTO forum_endorsement(proposal_id, org_id, actor, at)"
	 " VALUES (?1, ?2, cdg_actor(), cdg_now())"},
	{"decision_add",
	 "INSERT INTO forum_decision(item_id, method, yes, no, abstain, body,"
	 " adopted_on, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, cdg_actor(),"
	 " cdg_now())"},
	{"basis_add",
	 "INSERT INTO forum_decision_basis(decision_id, proposal_id) VALUES (?1, ?2)"},
	{"action_add",
	 "INSERT INTO forum_action(decision_id, title, owner_org_id, deadline,"
	 " status, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, 'agreed',"
	 " cdg_actor(), cdg_now())"},
	{"action_status",
	 "UPDATE forum_action SET status = ?2, note = ?3, updated_by = cdg_actor(),"
	 " updated_at = cdg_now() WHERE id = ?1"},
	{"action_update_add",
	 "INSERT INTO forum_action_update(action_id, seq, status, note, actor, at)"
	 " VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM forum_action_update"
	 "  WHERE action_id = ?1), ?2, ?3, cdg_actor(), cdg_now())"},
	/* Restoring an export into an empty forum (app/forum_import.c): the
	 * records keep their ids, and who wrote them when; the audit log
	 * records the import under the importer's name. */
	{"restore_org",
	 "INSERT INTO forum_org(id, name, grp, iso3, accredited, accredited_by,"
	 " accredited_at, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5,"
	 " CASE WHEN ?5 THEN coalesce(?6, cdg_actor()) END, ?7,"
	 " coalesce(?8, cdg_actor()), ?9)"},
	{"restore_session",
	 "INSERT INTO forum_session(id, kind, title, starts_on, ends_on, description,"
	 " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
	{"restore_item",
	 "INSERT INTO forum_item(id, session_id, position, title, description)"
	 " VALUES (?1, ?2, ?3, ?4, ?5)"},
	{"restore_doc",
	 "INSERT INTO forum_doc(id, session_id, item_id, title, access, created_by,"
	 " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
	{"restore_doc_version",
	 "INSERT INTO forum_doc_version(doc_id, version, body, url, actor, at)"
	 " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
	{"restore_proposal",
	 "INSERT INTO forum_proposal(id, item_id, org_id, created_by, created_at)"
	 " VALUES (?1, ?2, ?3, ?4, ?5)"},
	{"restore_proposal_version",
	 "INSERT INTO forum_proposal_version(proposal_id, version, title, body, refs,"
	 " actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
	{"restore_comment",
	 "INSERT INTO forum_comment(id, proposal_id, org_id, body, actor, at)"
	 " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
	{"restore_endorsement",
	 "INSERT INTO forum_endorsement(proposal_id, org_id, actor, at)"
	 " VALUES (?1, ?2, ?3, ?4)"},
	{"restore_decision",
	 "INSERT INTO forum_decision(id, item_id, method, yes, no, abstain, body,"
	 " adopted_on, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"},
	{"restore_action",
	 "INSERT INTO forum_action(id, decision_id, title, owner_org_id, deadline,"
	 " status, note, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	 " ?8, ?9)"},
	{"restore_action_update",
	 "INSERT INTO forum_action_update(action_id, seq, status, note, actor, at)"
	 " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
};

/* ---- single values -------------------------------------------------------------- */

static const struct forum_sql ints[] = {
	{"org_accredited", "SELECT accredited FROM forum_org WHERE id = ?1"},
	{"records",
	 "SELECT (SELECT count(*) FROM forum_org) + (SELECT count(*) FROM forum_session)"},
	{"member_of",
	 "SELECT count(*) FROM forum_member m JOIN account a ON a.id = m.account_id"
	 " WHERE a.name = ?1 AND m.org_id = ?2"},
	{"member_any",
	 "SELECT count(*) FROM forum_member m JOIN account a ON a.id = m.account_id"
	 " JOIN forum_org o ON o.id = m.org_id WHERE a.name = ?1 AND o.accredited = 1"},
	{"account", "SELECT id FROM account WHERE name = ?1"},
	{"session", "SELECT id FROM forum_session WHERE id = ?1"},
	{"item_session", "SELECT session_id FROM forum_item WHERE id = ?1"},
	{"doc", "SELECT id FROM forum_doc WHERE id = ?1"},
	{"proposal_item", "SELECT item_id FROM forum_proposal WHERE id = ?1"},
	{"proposal_org", "SELECT org_id FROM forum_proposal WHERE id = ?1"},
	{"decision", "SELECT id FROM forum_decision WHERE id = ?1"},
	/* Its adoption date as the number YYYYMMDD. */
	{"decision_adopted", "SELECT CAST(replace(adopted_on, '-', '') AS INTEGER)"
	 " FROM forum_decision WHERE id = ?1"},
	{"action_owner", "SELECT owner_org_id FROM forum_action WHERE id = ?1"},
	{"endorsed",
	 "SELECT count(*) FROM forum_endorsement WHERE proposal_id = ?1 AND org_id = ?2"},
	{"ref_known",
	 "SELECT (SELECT count(*) FROM norm WHERE id = ?1) + (SELECT count(*) FROM"
	 " goal WHERE id = ?1) + (SELECT count(*) FROM target WHERE id = ?1) +"
	 " (SELECT count(*) FROM crime_article WHERE id = ?1)"},
};

/* ---- JSON reads --------------------------------------------------------------- */

#define FORUM_ORG_OBJ \
	"json_object('id', o.id, 'name', o.name, 'group', o.grp, 'country', o.iso3," \
	" 'accredited', json(CASE o.accredited WHEN 1 THEN 'true' ELSE 'false' END)," \
	" 'accredited_by', o.accredited_by, 'accredited_at', o.accredited_at," \
	" 'created_by', o.created_by, 'created_at', o.created_at)"

#define FORUM_ITEM_OBJ \
	"json_object('id', i.id, 'session', i.session_id, 'position', i.position," \
	" 'title', i.title, 'description', i.description)"

/* A session with its agenda items in order. */
#define FORUM_SESSION_OBJ \
	"json_object('id', s.id, 'kind', s.kind, 'title', s.title, 'starts_on'," \
	" s.starts_on, 'ends_on', s.ends_on, 'description', s.description," \
	" 'created_by', s.created_by, 'created_at', s.created_at, 'items', json((" \
	FORUM_ARRAY(FORUM_ITEM_OBJ, "FROM forum_item i WHERE i.session_id = s.id" \
	" ORDER BY i.position") ")))"

/* ?1: 1 when the reader is signed in (registered documents visible). */
#define FORUM_DOC_OBJ \
	"json_object('id', d.id, 'session', d.session_id, 'item', d.item_id," \
	" 'title', d.title, 'access', d.access, 'created_by', d.created_by," \
	" 'created_at', d.created_at, 'versions', json((SELECT" \
	" json_group_array(json(dv.o)) FROM (SELECT json_object('version', v.version," \
	" 'text', v.body, 'url', v.url, 'by', v.actor, 'at', v.at) AS o FROM" \
	" forum_doc_version v WHERE v.doc_id = d.id ORDER BY v.version) dv)))"

#define FORUM_LATEST(col) \
	"(SELECT " col " FROM forum_proposal_version lv WHERE lv.proposal_id = p.id" \
	" ORDER BY lv.version DESC LIMIT 1)"

#define FORUM_PROPOSAL_OBJ \
	"json_object('id', p.id, 'item', p.item_id, 'session', (SELECT session_id" \
	" FROM forum_item WHERE id = p.item_id), 'org', p.org_id, 'org_name'," \
	" (SELECT name FROM forum_org WHERE id = p.org_id), 'org_group'," \
	" (SELECT grp FROM forum_org WHERE id = p.org_id), 'submitted_by'," \
	" p.created_by, 'submitted_at', p.created_at, 'version', " \
	FORUM_LATEST("version") ", 'title', " FORUM_LATEST("title") \
	", 'updated_at', " FORUM_LATEST("at") ", 'versions', json((SELECT" \
	" json_group_array(json(pv.o)) FROM (SELECT json_object('version', v.version," \
	" 'title', v.title, 'text', v.body, 'refs', json(v.refs), 'by', v.actor," \
	" 'at', v.at) AS o FROM forum_proposal_version v WHERE v.proposal_id = p.id" \
	" ORDER BY v.version) pv)), 'comments', json((SELECT" \
	" json_group_array(json(pc.o)) FROM (SELECT json_object('id', c.id, 'org'," \
	" c.org_id, 'org_name', co.name, 'text', c.body, 'by', c.actor, 'at', c.at)" \
	" AS o FROM forum_comment c JOIN forum_org co ON co.id = c.org_id WHERE" \
	" c.proposal_id = p.id ORDER BY c.id) pc)), 'endorsements', json((SELECT" \
	" json_group_array(json(pe.o)) FROM (SELECT json_object('org', n.org_id," \
	" 'org_name', no.name, 'by', n.actor, 'at', n.at) AS o FROM" \
	" forum_endorsement n JOIN forum_org no ON no.id = n.org_id WHERE" \
	" n.proposal_id = p.id ORDER BY n.at, n.org_id) pe)))"

#define FORUM_ACTION_OBJ \
	"json_object('id', a.id, 'decision', a.decision_id, 'title', a.title," \
	" 'owner', a.owner_org_id, 'owner_name', ao.name, 'owner_group', ao.grp," \
	" 'owner_country', ao.iso3, 'deadline', a.deadline, 'status', a.status," \
	" 'note', a.note, 'updated_by', a.updated_by, 'updated_at', a.updated_at," \
	" 'history', json((SELECT json_group_array(json(ah.o)) FROM (SELECT" \
	" json_object('status', u.status, 'note', u.note, 'by', u.actor, 'at', u.at)" \
	" AS o FROM forum_action_update u WHERE u.action_id = a.id ORDER BY u.seq) ah)))"

#define FORUM_DECISION_OBJ \
	"json_object('id', x.id, 'item', x.item_id, 'session', (SELECT session_id" \
	" FROM forum_item WHERE id = x.item_id), 'method', x.method, 'tally'," \
	" json(CASE x.method WHEN 'vote' THEN json_object('yes', x.yes, 'no', x.no," \
	" 'abstain', x.abstain) END), 'text', x.body, 'adopted_on', x.adopted_on," \
	" 'by', x.actor, 'at', x.at, 'draws_on', json((SELECT" \
	" json_group_array(b.proposal_id) FROM (SELECT proposal_id FROM" \
	" forum_decision_basis WHERE decision_id = x.id ORDER BY proposal_id) b))," \
	" 'actions', json((SELECT json_group_array(json(da.o)) FROM (SELECT " \
	FORUM_ACTION_OBJ " AS o FROM forum_action a JOIN forum_org ao ON" \
	" ao.id = a.owner_org_id WHERE a.decision_id = x.id ORDER BY a.id) da)))"

/* A JSON array of the rows' objects, in order. */
#define FORUM_ARRAY(obj, from) \
	"SELECT coalesce(json_group_array(json(q.o)), '[]') FROM (SELECT " obj \
	" AS o " from ") q"

static const struct forum_sql reads[] = {
	{"orgs", FORUM_ARRAY(FORUM_ORG_OBJ, "FROM forum_org o ORDER BY o.name")},
	{"my_orgs", FORUM_ARRAY(FORUM_ORG_OBJ, "FROM forum_org o JOIN forum_member m"
	 " ON m.org_id = o.id JOIN account ac ON ac.id = m.account_id WHERE"
	 " ac.name = ?1 ORDER BY o.name")},
	{"sessions", FORUM_ARRAY(FORUM_SESSION_OBJ,
	 "FROM forum_session s ORDER BY s.starts_on DESC, s.id DESC")},
	{"items", FORUM_ARRAY(FORUM_ITEM_OBJ, "FROM forum_item i WHERE"
	 " i.session_id = ?1 ORDER BY i.position")},
	{"session", "SELECT " FORUM_SESSION_OBJ " FROM forum_session s WHERE s.id = ?1"},
	{"documents", FORUM_ARRAY(FORUM_DOC_OBJ, "FROM forum_doc d WHERE"
	 " (d.access = 'public' OR ?1) AND (?2 IS NULL OR d.session_id = ?2)"
	 " ORDER BY d.id")},
	{"document", "SELECT " FORUM_DOC_OBJ " FROM forum_doc d WHERE d.id = ?2"
	 " AND (d.access = 'public' OR ?1)"},
	{"proposals", FORUM_ARRAY(FORUM_PROPOSAL_OBJ, "FROM forum_proposal p WHERE"
	 " (?1 IS NULL OR p.item_id IN (SELECT id FROM forum_item WHERE"
	 " session_id = ?1)) ORDER BY p.id")},
	{"proposal", "SELECT " FORUM_PROPOSAL_OBJ " FROM forum_proposal p"
	 " WHERE p.id = ?1"},
	{"decisions", FORUM_ARRAY(FORUM_DECISION_OBJ, "FROM forum_decision x WHERE"
	 " (?1 IS NULL OR x.item_id IN (SELECT id FROM forum_item WHERE"
	 " session_id = ?1)) ORDER BY x.id")},
	{"decision", "SELECT " FORUM_DECISION_OBJ " FROM forum_decision x WHERE"
	 " x.id = ?1"},
	{"actions", FORUM_ARRAY(FORUM_ACTION_OBJ, "FROM forum_action a JOIN"
	 " forum_org ao ON ao.id = a.owner_org_id WHERE (?1 IS NULL OR"
	 " ao.iso3 = ?1) ORDER BY a.deadline, a.id")},
	{"action", "SELECT " FORUM_ACTION_OBJ " FROM forum_action a JOIN"
	 " forum_org ao ON ao.id = a.owner_org_id WHERE a.id = ?1"},
};

/* ---- row reads (feed, monitoring) ----------------------------------------------- */

static const struct forum_sql rows[] = {
	/* Public records, newest first: documents (public ones, at their
	 * latest version), proposals (at their latest version), decisions. */
	{"feed",
	 "SELECT * FROM (SELECT 'document' AS kind, d.id AS id, d.title AS title,"
	 " (SELECT max(at) FROM forum_doc_version WHERE doc_id = d.id) AS updated,"
	 " d.created_at AS published, 'cdg forum secretariat' AS author,"
	 " (SELECT body FROM forum_doc_version WHERE doc_id = d.id ORDER BY version"
	 "  DESC LIMIT 1) AS summary FROM forum_doc d WHERE d.access = 'public'"
	 " AND EXISTS (SELECT 1 FROM forum_doc_version WHERE doc_id = d.id)"
	 " UNION ALL SELECT 'proposal', p.id, " FORUM_LATEST("title") ", "
	 FORUM_LATEST("at") ", p.created_at, (SELECT name FROM forum_org WHERE"
	 " id = p.org_id), " FORUM_LATEST("body") " FROM forum_proposal p"
	 " UNION ALL SELECT 'decision', x.id, 'Decision ' || x.id || ' (' ||"
	 " x.method || '): ' || substr(x.body, 1, 80), x.at, x.at,"
	 " 'cdg forum secretariat', x.body FROM forum_decision x)"
	 " ORDER BY updated DESC, kind, id DESC LIMIT 200"},
	/* Actions with their owner (?1: a state, or NULL for all). */
	{"monitor",
	 "SELECT a.id, a.title, a.deadline, a.status, a.decision_id, a.note,"
	 " a.updated_at, o.id AS owner, o.name AS owner_name, o.grp AS owner_group,"
	 " o.iso3 AS owner_country FROM forum_action a JOIN forum_org o"
	 " ON o.id = a.owner_org_id WHERE ?1 IS NULL OR o.iso3 = ?1"
	 " ORDER BY a.deadline, a.id"},
};

static const char *find_sql(const struct forum_sql *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return v[i].sql;
	return NULL;
}

#define FIND(tab, id) find_sql(tab, sizeof tab / sizeof tab[0], id)

static int bind_all(sqlite3_stmt *st, const struct store_val *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int r;
		switch (v[i].t) {
		case SV_TEXT:
			r = sqlite3_bind_text(st, (int)i + 1, v[i].s, -1, SQLITE_STATIC);
			break;
		case SV_INT: r = sqlite3_bind_int64(st, (int)i + 1, v[i].i); break;
		case SV_REAL: r = sqlite3_bind_double(st, (int)i + 1, v[i].d); break;
		default: r = sqlite3_bind_null(st, (int)i + 1);
		}
		if (r != SQLITE_OK)
			return r;
	}
	return SQLITE_OK;
}

static int prepare(struct store *s, const char *sql, const char *id,
		   const struct store_val *v, size_t n, sqlite3_stmt **st,
		   struct cdg_err *e)
{
	if (!sql)
		return err_set(e, CDG_EINTERNAL, "unknown forum statement %s", id);
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_dberr(s, e, id);
	if (bind_all(*st, v, n) != SQLITE_OK) {
		sqlite3_finalize(*st);
		return store_dberr(s, e, id);
	}
	return 0;
}

int store_forum_write(struct store *s, const char *stmt,
		      const struct store_val *v, size_t n, long long *rowid,
		      struct cdg_err *e)
{
	if (!s->in_tx)
		return err_set(e, CDG_EINTERNAL, "forum write %s outside a transaction", stmt);
	sqlite3_stmt *st;
	int rc = prepare(s, FIND(writes, stmt), stmt, v, n, &st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(st);
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return store_dberr(s, e, stmt);
	if (rowid)
		*rowid = sqlite3_last_insert_rowid(s->db);
	return sqlite3_changes(s->db);
}

/* Prepares sql with v and steps once: 0 with *st on the first row (the
 * caller finalizes it), CDG_ENOTFOUND when there is none (callers word the
 * message), or a database error. */
static int first_row(struct store *s, const char *sql, const char *query,
		     const struct store_val *v, size_t n, sqlite3_stmt **st,
		     struct cdg_err *e)
{
	int rc = prepare(s, sql, query, v, n, st, e);
	if (rc)
		return rc;
	int step = sqlite3_step(*st);
	if (step == SQLITE_ROW)
		return 0;
	rc = step == SQLITE_DONE ? CDG_ENOTFOUND : store_dberr(s, e, query);
	sqlite3_finalize(*st);
	return rc;
}

int store_forum_int(struct store *s, const char *query,
		    const struct store_val *v, size_t n, long long *out,
		    struct cdg_err *e)
{
	sqlite3_stmt *st;
	int rc = first_row(s, FIND(ints, query), query, v, n, &st, e);
	if (rc == 0) {
		*out = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return rc;
}

int store_forum_json(struct store *s, const char *query,
		     const struct store_val *v, size_t n, struct buf *out,
		     struct cdg_err *e)
{
	sqlite3_stmt *st;
	int rc = first_row(s, FIND(reads, query), query, v, n, &st, e);
	if (rc)
		return rc;
	if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		rc = CDG_ENOTFOUND;
	else
		buf_adds(out, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc;
}

int store_forum_each(struct store *s, const char *query,
		     const struct store_val *v, size_t n,
		     int (*fn)(void *ctx, const struct store_row *r), void *ctx,
		     struct cdg_err *e)
{
	sqlite3_stmt *st;
	int rc = prepare(s, FIND(rows, query), query, v, n, &st, e);
	if (rc)
		return rc;
	int nc = sqlite3_column_count(st);
	const char *names[32];
	struct store_val vals[32];
	if (nc > 32)
		nc = 32;
	for (int i = 0; i < nc; i++)
		names[i] = sqlite3_column_name(st, i);
	int step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < nc; i++) {
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_INTEGER: vals[i] = sv_int(sqlite3_column_int64(st, i)); break;
			case SQLITE_FLOAT: vals[i] = sv_real(sqlite3_column_double(st, i)); break;
			case SQLITE_NULL: vals[i] = sv_null(); break;
			default:
				vals[i].t = SV_TEXT;
				vals[i].s = (const char *)sqlite3_column_text(st, i);
			}
		}
		struct store_row r = {(size_t)nc, names, vals};
		rc = fn(ctx, &r);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_dberr(s, e, query);
	sqlite3_finalize(st);
	return rc;
}
