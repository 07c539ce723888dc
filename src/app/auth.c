/* Accounts, roles, sessions and the authorization of every write. */
#include "app/app.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "store/store.h"

#define SESSION_HOURS 12

void app_set_local(struct app *a)
{
	a->local = true;
}

bool app_name_reserved(const char *name)
{
	static const char *const reserved[] = {"system", "demo", "operator",
					       "anonymous"};
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (strcasecmp(name, reserved[i]) == 0)
			return true;
	return strncasecmp(name, "cli:", 4) == 0;
}

bool app_is_operator(const struct app *a, const char *actor)
{
	/* Identity comes from how the call arrived (a->local), never from a
	 * name alone: over HTTP an account named like an internal actor is
	 * still only an account. */
	return a->local && actor && app_name_reserved(actor);
}

static const char *action_name(enum app_action act)
{
	switch (act) {
	case APP_SURVEY_EDIT: return "edit or submit a survey response";
	case APP_SURVEY_REVIEW: return "review (validate, return, publish, reopen) a survey response";
	case APP_DATA_WRITE: return "write observations";
	case APP_REGISTRY_WRITE: return "write to the accountability registry";
	case APP_INDEX_WRITE: return "compute or publish an index edition";
	case APP_ACCOUNTS: return "manage accounts";
	case APP_FORUM_ADMIN: return "run the forum (accredit, sessions, documents, decisions, actions)";
	case APP_CAPACITY_WRITE: return "write capacity-building initiatives or agreements";
	default: return "write to the forum";
	}
}

int app_authorize(struct app *a, const char *actor, enum app_action act,
		  const char *iso3, struct cdg_err *e)
{
	if (!actor || !*actor)
		return err_set(e, CDG_EPERM, "not signed in: %s needs an account", action_name(act));
	if (app_is_operator(a, actor))
		return 0;
	struct store_account acc;
	if (store_account_get(a->st, actor, &acc, e) != 0 || acc.disabled)
		return err_set(e, CDG_EPERM, "%s is not an active account", actor);
	const char *r = acc.role;
	bool sec = strcmp(r, "secretariat") == 0;
	bool ok;
	switch (act) {
	case APP_SURVEY_EDIT:
		ok = sec || (strcmp(r, "focal_point") == 0 && iso3 &&
			     strcmp(acc.iso3, iso3) == 0);
		break;
	case APP_DATA_WRITE:
	case APP_REGISTRY_WRITE:
	case APP_CAPACITY_WRITE:
		ok = sec || strcmp(r, "editor") == 0;
		break;
	case APP_FORUM_WRITE:
		ok = true;
		break;
	default:
		ok = sec;
	}
	if (ok)
		return 0;
	if (act == APP_SURVEY_EDIT && strcmp(r, "focal_point") == 0)
		return err_set(e, CDG_EPERM, "%s is the focal point of %s and may not "
			       "edit the survey of %s", actor, acc.iso3, iso3 ? iso3 : "another state");
	return err_set(e, CDG_EPERM, "the %s role of %s may not %s", r, actor,
		       action_name(act));
}

static void random_hex(char out[65])
{
	unsigned char b[32];
	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, 65, b, sizeof b);
}

static void token_hash(const char *token, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, h, sizeof h);
}

static void iso_time_in(long seconds, char out[21])
{
	time_t t = time(NULL) + seconds;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int app_user_add(struct app *a, const char *actor, const char *name,
		 const char *role, const char *iso3, const char *password,
		 struct cdg_err *e)
{
	if (sodium_init() < 0)
		return err_set(e, CDG_EINTERNAL, "libsodium failed to initialise");
	int rc = app_authorize(a, actor, APP_ACCOUNTS, NULL, e);
	if (rc)
		return rc;
	static const char *const roles[] = {"stakeholder", "focal_point", "editor",
					    "secretariat"};
	bool known = false;
	for (size_t i = 0; i < 4; i++)
		known = known || strcmp(roles[i], role) == 0;
	if (!known)
		return err_at(e, CDG_EUSAGE, NULL, 0, "role", "\"%s\" is not a role "
			      "(stakeholder, focal_point, editor, secretariat)", role);
	if ((strcmp(role, "focal_point") == 0) != (iso3 && *iso3))
		return err_at(e, CDG_EUSAGE, NULL, 0, "country",
			      "a focal point, and only a focal point, belongs to one state (--country ISO3)");
	if (iso3 && *iso3 && (rc = app_state_check(a, iso3, e)) != 0)
		return rc;
	if (app_name_reserved(name))
		return err_at(e, CDG_EUSAGE, NULL, 0, "name", "\"%s\" is reserved for "
			      "cdg's own actors (system, demo, operator, anonymous, cli:)", name);
	char hash[crypto_pwhash_STRBYTES];
	if (password) {
		if (strlen(password) < 10)
			return err_at(e, CDG_EINPUT, NULL, 0, "password",
				      "passwords need at least 10 characters");
		if (crypto_pwhash_str(hash, password, strlen(password),
				      crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
			return err_set(e, CDG_EINTERNAL, "out of memory hashing the password");
	}
	rc = store_tx_begin(a->st, actor, e);
	if (rc == 0)
		rc = store_account_add(a->st, name, role, iso3, password ? hash : NULL, e);
	if (rc == 0)
		rc = store_tx_commit(a->st, e);
	else
		store_tx_rollback(a->st);
	if (rc == CDG_EDB && strstr(e->msg, "CHECK"))
		rc = err_at(e, CDG_EUSAGE, NULL, 0, "name", "account names are 2 to 64 "
			    "letters, digits, '.', '_', '@' or '-', not starting with cli:");
	return rc;
}

static int open_session(struct app *a, const char *actor, long long account,
			const char *kind, long seconds, const char *label,
			char token[65], char csrf[65], struct cdg_err *e)
{
	char hash[65], expires[21], csrf_local[65];
	random_hex(token);
	random_hex(csrf ? csrf : csrf_local);
	token_hash(token, hash);
	iso_time_in(seconds, expires);
	int rc = store_tx_begin(a->st, actor, e);
	if (rc == 0)
		rc = store_session_add(a->st, account, kind, hash,
				       csrf ? csrf : csrf_local, expires, label, e);
	if (rc == 0)
		rc = store_tx_commit(a->st, e);
	else
		store_tx_rollback(a->st);
	return rc;
}

/* A hash of a random password, made once: checked against when the name is
 * unknown (or cannot sign in), so that every failed sign-in costs the same
 * time and names cannot be told apart by it. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	char pw[65];
	random_hex(pw);
	if (crypto_pwhash_str(dummy_hash, pw, strlen(pw),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
}

int app_login(struct app *a, const char *name, const char *password,
	      char token[65], char csrf[65], struct cdg_err *e)
{
	if (sodium_init() < 0)
		return err_set(e, CDG_EINTERNAL, "libsodium failed to initialise");
	pthread_once(&dummy_once, make_dummy);
	struct store_account acc;
	struct cdg_err ignore;
	bool usable = store_account_get(a->st, name, &acc, &ignore) == 0 &&
		      !acc.disabled && acc.password_hash[0];
	const char *hash = usable ? acc.password_hash : dummy_hash;
	bool match = hash[0] && crypto_pwhash_str_verify(hash, password,
							 strlen(password)) == 0;
	if (!usable || !match)
		return err_set(e, CDG_EPERM, "wrong account name or password");
	return open_session(a, acc.name, acc.id, "session", SESSION_HOURS * 3600L, "login",
			    token, csrf, e);
}

int app_token_create(struct app *a, const char *actor, const char *name,
		     int days, const char *label, char token[65],
		     struct cdg_err *e)
{
	if (sodium_init() < 0)
		return err_set(e, CDG_EINTERNAL, "libsodium failed to initialise");
	int rc = app_authorize(a, actor, APP_ACCOUNTS, NULL, e);
	if (rc)
		return rc;
	if (days < 1 || days > 3650)
		return err_at(e, CDG_EUSAGE, NULL, 0, "days", "a token lives 1 to 3650 days");
	struct store_account acc;
	rc = store_account_get(a->st, name, &acc, e);
	if (rc)
		return rc;
	if (acc.disabled)
		return err_set(e, CDG_EPERM, "%s is disabled (cdg user enable %s)", name, name);
	return open_session(a, actor, acc.id, "api", days * 86400L, label, token, NULL, e);
}

int app_session(struct app *a, const char *token, char name[128],
		char role[24], char iso3[4], char csrf[65], char kind[16],
		struct cdg_err *e)
{
	if (sodium_init() < 0)
		return err_set(e, CDG_EINTERNAL, "libsodium failed to initialise");
	char hash[65], now[21];
	token_hash(token, hash);
	time_now_iso(now);
	struct store_account acc;
	int rc = store_session_find(a->st, hash, now, &acc, csrf, kind, e);
	if (rc)
		return rc;
	snprintf(name, 128, "%s", acc.name);
	snprintf(role, 24, "%s", acc.role);
	snprintf(iso3, 4, "%s", acc.iso3);
	return 0;
}

int app_logout(struct app *a, const char *token, struct cdg_err *e)
{
	char hash[65];
	token_hash(token, hash);
	int rc = store_tx_begin(a->st, "system", e);
	if (rc == 0)
		rc = store_session_revoke(a->st, hash, e);
	if (rc == 0)
		rc = store_tx_commit(a->st, e);
	else
		store_tx_rollback(a->st);
	return rc;
}

/* ---- account administration ------------------------------------------------ */

/* Runs fn inside a transaction of actor after checking that actor manages
 * accounts. */
static int admin_tx(struct app *a, const char *actor,
		    int (*fn)(struct app *a, void *ctx, struct cdg_err *e), void *ctx,
		    struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_ACCOUNTS, NULL, e);
	if (rc == 0)
		rc = store_tx_begin(a->st, actor, e);
	if (rc)
		return rc;
	rc = fn(a, ctx, e);
	if (rc == 0)
		rc = store_tx_commit(a->st, e);
	else
		store_tx_rollback(a->st);
	return rc;
}

struct acct_change {
	const char *name;
	int disabled;              /* -1: unchanged */
	const char *hash;          /* new password hash, NULL: unchanged */
	long long revoked;         /* sessions and tokens ended */
};

static int change_account(struct app *a, void *ctx, struct cdg_err *e)
{
	struct acct_change *c = ctx;
	struct store_account acc;
	int rc = store_account_get(a->st, c->name, &acc, e);
	if (rc == 0)
		rc = store_account_set(a->st, c->name, c->disabled, c->hash, e);
	/* Disabling ends every session and token; a new password ends the
	 * sign-in sessions (tokens stay: scripts hold them). */
	if (rc == 0 && (c->disabled == 1 || c->hash))
		rc = store_sessions_revoke(a->st, acc.id, c->disabled == 1 ? NULL : "session",
					   &c->revoked, e);
	return rc;
}

int app_user_enable(struct app *a, const char *actor, const char *name,
		    bool enable, long long *revoked, struct cdg_err *e)
{
	if (app_name_reserved(name))
		return err_at(e, CDG_EUSAGE, NULL, 0, "name", "\"%s\" is reserved and "
			      "stays disabled", name);
	struct acct_change c = {name, enable ? 0 : 1, NULL, 0};
	int rc = admin_tx(a, actor, change_account, &c, e);
	if (revoked)
		*revoked = c.revoked;
	return rc;
}

int app_user_passwd(struct app *a, const char *actor, const char *name,
		    const char *password, long long *revoked, struct cdg_err *e)
{
	if (sodium_init() < 0)
		return err_set(e, CDG_EINTERNAL, "libsodium failed to initialise");
	int rc = app_authorize(a, actor, APP_ACCOUNTS, NULL, e);
	if (rc)
		return rc;
	if (!password || strlen(password) < 10)
		return err_at(e, CDG_EINPUT, NULL, 0, "password",
			      "passwords need at least 10 characters");
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(hash, password, strlen(password),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return err_set(e, CDG_EINTERNAL, "out of memory hashing the password");
	struct acct_change c = {name, -1, hash, 0};
	rc = admin_tx(a, actor, change_account, &c, e);
	if (revoked)
		*revoked = c.revoked;
	return rc;
}

struct token_rev {
	const char *id;
	char account[128];
};

static int revoke_token(struct app *a, void *ctx, struct cdg_err *e)
{
	struct token_rev *t = ctx;
	return store_token_revoke(a->st, t->id, t->account, e);
}

int app_token_revoke(struct app *a, const char *actor, const char *id,
		     char account[128], struct cdg_err *e)
{
	size_t n = strlen(id);
	bool hex = n >= 8 && n <= 64;
	for (size_t i = 0; hex && i < n; i++)
		hex = (id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f');
	if (!hex)
		return err_at(e, CDG_EUSAGE, NULL, 0, "id", "a token id is 8 to 64 "
			      "lower-case hex digits (cdg token list)");
	struct token_rev t = {id, ""};
	int rc = admin_tx(a, actor, revoke_token, &t, e);
	snprintf(account, 128, "%s", t.account);
	return rc;
}

int app_users_json(struct app *a, const char *actor, struct jw *w,
		   struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_ACCOUNTS, NULL, e);
	return rc ? rc : store_accounts_json(a->st, w, e);
}

int app_tokens_json(struct app *a, const char *actor, const char *name,
		    struct jw *w, struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_ACCOUNTS, NULL, e);
	if (rc)
		return rc;
	struct store_account acc;
	if (name && (rc = store_account_get(a->st, name, &acc, e)) != 0)
		return rc;
	char now[21];
	time_now_iso(now);
	return store_tokens_json(a->st, name, now, w, e);
}
