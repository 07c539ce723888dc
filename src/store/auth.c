/* Accounts and sessions.  See store.h. */
#include "store/store_int.h"

#include <string.h>

static int step_done(struct store *s, sqlite3_stmt *st, const char *what,
		     struct cdg_err *e)
{
	int r = sqlite3_step(st);
	int rc = r == SQLITE_DONE ? 0 : store_dberr(s, e, what);
	sqlite3_finalize(st);
	return rc;
}

int store_account_add(struct store *s, const char *name, const char *role,
		      const char *iso3, const char *password_hash,
		      struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"INSERT INTO account(name, role, iso3, password_hash, created_at)"
		" VALUES (?1, ?2, ?3, ?4, cdg_now())", -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "adding an account");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
	if (iso3 && *iso3)
		sqlite3_bind_text(st, 3, iso3, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	if (password_hash)
		sqlite3_bind_text(st, 4, password_hash, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	int rc = step_done(s, st, "adding an account", e);
	if (rc == CDG_ECONFLICT)
		rc = err_set(e, CDG_ECONFLICT, "an account named \"%s\" exists", name);
	return rc;
}

int store_account_get(struct store *s, const char *name,
		      struct store_account *out, struct cdg_err *e)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"SELECT id, name, role, coalesce(iso3, ''), coalesce(password_hash, ''),"
		" disabled FROM account WHERE name = ?1", -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading an account");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		snprintf(out->name, sizeof out->name, "%s", sqlite3_column_text(st, 1));
		snprintf(out->role, sizeof out->role, "%s", sqlite3_column_text(st, 2));
		snprintf(out->iso3, sizeof out->iso3, "%s", sqlite3_column_text(st, 3));
		snprintf(out->password_hash, sizeof out->password_hash, "%s",
			 sqlite3_column_text(st, 4));
		out->disabled = sqlite3_column_int(st, 5) != 0;
	} else {
		rc = err_set(e, CDG_ENOTFOUND, "no account named \"%s\"", name);
	}
	sqlite3_finalize(st);
	return rc;
}

int store_session_add(struct store *s, long long account, const char *kind,
		      const char *token_hash, const char *csrf,
		      const char *expires_at, const char *label,
		      struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"INSERT INTO session(token_hash, account_id, kind, csrf, created_at,"
		" expires_at, label) VALUES (?1, ?2, ?3, ?4, cdg_now(), ?5, ?6)",
		-1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "opening a session");
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, account);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, csrf ? csrf : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, expires_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, label ? label : "", -1, SQLITE_STATIC);
	return step_done(s, st, "opening a session", e);
}

int store_session_find(struct store *s, const char *token_hash,
		       const char *now, struct store_account *acct,
		       char csrf[65], char kind[16], struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"SELECT a.name, x.csrf, x.kind FROM session x JOIN account a"
		" ON a.id = x.account_id WHERE x.token_hash = ?1 AND NOT x.revoked"
		" AND x.expires_at > ?2 AND NOT a.disabled", -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading a session");
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	char name[128] = "";
	int rc = CDG_EPERM;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(name, sizeof name, "%s", sqlite3_column_text(st, 0));
		snprintf(csrf, 65, "%s", sqlite3_column_text(st, 1));
		snprintf(kind, 16, "%s", sqlite3_column_text(st, 2));
		rc = 0;
	}
	sqlite3_finalize(st);
	if (rc)
		return err_set(e, CDG_EPERM, "not signed in (the session or token is "
			       "unknown, expired or revoked)");
	return store_account_get(s, name, acct, e);
}

int store_session_revoke(struct store *s, const char *token_hash,
			 struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "UPDATE session SET revoked = 1 WHERE token_hash = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "ending a session");
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
	return step_done(s, st, "ending a session", e);
}

int store_account_set(struct store *s, const char *name, int disabled,
		      const char *password_hash, struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"UPDATE account SET disabled = coalesce(?2, disabled),"
		" password_hash = coalesce(?3, password_hash) WHERE name = ?1",
		-1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "changing an account");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (disabled >= 0)
		sqlite3_bind_int(st, 2, disabled ? 1 : 0);
	else
		sqlite3_bind_null(st, 2);
	if (password_hash)
		sqlite3_bind_text(st, 3, password_hash, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	int rc = step_done(s, st, "changing an account", e);
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = err_set(e, CDG_ENOTFOUND, "no account named \"%s\"", name);
	return rc;
}

int store_sessions_revoke(struct store *s, long long account, const char *kind,
			  long long *n, struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"UPDATE session SET revoked = 1 WHERE account_id = ?1 AND NOT revoked"
		" AND (?2 IS NULL OR kind = ?2)", -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "ending sessions");
	sqlite3_bind_int64(st, 1, account);
	if (kind)
		sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	int rc = step_done(s, st, "ending sessions", e);
	if (n)
		*n = rc == 0 ? sqlite3_changes64(s->db) : 0;
	return rc;
}

int store_token_revoke(struct store *s, const char *id, char account[128],
		       struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"SELECT x.token_hash, a.name FROM session x JOIN account a ON a.id = x.account_id"
		" WHERE x.kind = 'api' AND substr(x.token_hash, 1, length(?1)) = ?1 LIMIT 2",
		-1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "finding a token");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	char hash[65] = "";
	int found = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (found++ == 0) {
			snprintf(hash, sizeof hash, "%s", sqlite3_column_text(st, 0));
			snprintf(account, 128, "%s", sqlite3_column_text(st, 1));
		}
	}
	sqlite3_finalize(st);
	if (found == 0)
		return err_set(e, CDG_ENOTFOUND, "no API token with id %s", id);
	if (found > 1)
		return err_at(e, CDG_EUSAGE, NULL, 0, "id", "%s names more than one "
			      "token; give more of its id", id);
	return store_session_revoke(s, hash, e);
}

int store_accounts_json(struct store *s, struct jw *w, struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"SELECT name, role, iso3, disabled, password_hash IS NOT NULL, created_at"
		" FROM account ORDER BY name", -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "listing accounts");
	jw_arr(w);
	while (sqlite3_step(st) == SQLITE_ROW) {
		jw_obj(w);
		jw_kstr(w, "name", (const char *)sqlite3_column_text(st, 0));
		jw_kstr(w, "role", (const char *)sqlite3_column_text(st, 1));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			jw_kstr(w, "country", (const char *)sqlite3_column_text(st, 2));
		jw_kbool(w, "disabled", sqlite3_column_int(st, 3) != 0);
		jw_kbool(w, "password", sqlite3_column_int(st, 4) != 0);
		jw_kstr(w, "created_at", (const char *)sqlite3_column_text(st, 5));
		jw_obj_end(w);
	}
	jw_arr_end(w);
	sqlite3_finalize(st);
	return 0;
}

int store_tokens_json(struct store *s, const char *account, const char *now,
		      struct jw *w, struct cdg_err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
		"SELECT substr(x.token_hash, 1, 12), a.name, x.label, x.created_at,"
		" x.expires_at, x.revoked, x.expires_at <= ?2 FROM session x"
		" JOIN account a ON a.id = x.account_id"
		" WHERE x.kind = 'api' AND (?1 IS NULL OR a.name = ?1)"
		" ORDER BY x.created_at, x.token_hash", -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "listing tokens");
	if (account)
		sqlite3_bind_text(st, 1, account, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	jw_arr(w);
	while (sqlite3_step(st) == SQLITE_ROW) {
		jw_obj(w);
		jw_kstr(w, "id", (const char *)sqlite3_column_text(st, 0));
		jw_kstr(w, "account", (const char *)sqlite3_column_text(st, 1));
		jw_kstr(w, "label", (const char *)sqlite3_column_text(st, 2));
		jw_kstr(w, "created_at", (const char *)sqlite3_column_text(st, 3));
		jw_kstr(w, "expires_at", (const char *)sqlite3_column_text(st, 4));
		jw_kstr(w, "state", sqlite3_column_int(st, 5) ? "revoked"
			: sqlite3_column_int(st, 6) ? "expired" : "live");
		jw_obj_end(w);
	}
	jw_arr_end(w);
	sqlite3_finalize(st);
	return 0;
}
