/* Restoring a forum export (issue 16): cdg forum import reads the JSON of
 * cdg forum export ("format": "cdg-forum-export/1") into an empty forum.
 * Every record keeps its id and who wrote it when, so that exporting
 * again gives the same JSON (docs/exchange.md).  Memberships are not in
 * an export (they name accounts) and are not restored. */
#include "app/app.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "app/forum_int.h"
#include "progress/progress.h"
#include "store/store.h"

#define FORMAT "cdg-forum-export/1"

struct fx {
	struct app *a;
	const char *path;
	struct err_list *errs;
	long line;               /* of the section being read */
	char where[64];          /* e.g. "proposals[2]" */
	struct cdg_err *e;
	int rc;                  /* a database error stops everything */
	long records;
};

static void fault(struct fx *x, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fault(struct fx *x, const char *field, const char *fmt, ...)
{
	char f[128];
	snprintf(f, sizeof f, "%s.%s", x->where, field);
	va_list ap;
	va_start(ap, fmt);
	errs_vaddf(x->errs, x->path, x->line, f, fmt, ap);
	va_end(ap);
}

/* A string member: required ones must be non-empty text. */
static const char *str(struct fx *x, json_t *o, const char *k, bool required)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v)) {
		if (required)
			fault(x, k, "is required");
		return NULL;
	}
	const char *s = json_string_value(v);
	if (!s)
		fault(x, k, "must be a string");
	else if (required && !*s)
		fault(x, k, "may not be empty");
	return s;
}

/* An integer member (ids, positions, versions, counts); -1 if absent. */
static long long num(struct fx *x, json_t *o, const char *k, bool required)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v)) {
		if (required)
			fault(x, k, "is required");
		return -1;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		fault(x, k, "must be a whole number, 0 or more");
		return -1;
	}
	return json_integer_value(v);
}

/* A time cdg writes: YYYY-MM-DDTHH:MM:SSZ. */
static const char *stamp(struct fx *x, json_t *o, const char *k, bool required)
{
	const char *s = str(x, o, k, required);
	bool ok = s && time_iso_shape(s);
	if (s && !ok)
		fault(x, k, "\"%s\" is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)", s);
	return ok ? s : NULL;
}

static const char *day(struct fx *x, json_t *o, const char *k, bool required)
{
	const char *s = str(x, o, k, required);
	if (s && !(strlen(s) == 10 && date_valid(s)))
		fault(x, k, "\"%s\" is not a date (YYYY-MM-DD)", s);
	return s;
}

static bool one_of(const char *s, const char *const *v)
{
	for (; s && *v; v++)
		if (strcmp(s, *v) == 0)
			return true;
	return false;
}

static void enum_of(struct fx *x, const char *field, const char *s,
		    const char *const *v, const char *words)
{
	if (s && !one_of(s, v))
		fault(x, field, "\"%s\" is not one of %s", s, words);
}

/* An array member; NULL (and a fault if required) when it is not one. */
static json_t *arr(struct fx *x, json_t *o, const char *k, bool required)
{
	json_t *v = json_object_get(o, k);
	if (json_is_array(v))
		return v;
	if (v || required)
		fault(x, k, "must be an array");
	return NULL;
}

static void put(struct fx *x, const char *stmt, const struct store_val *v, size_t n)
{
	if (x->rc || x->errs->total)
		return;
	int rc = store_forum_write(x->a->st, stmt, v, n, NULL, x->e);
	if (rc == CDG_ECONFLICT) {
		/* Two records with one id, or one that refers to nothing. */
		fault(x, "id", "cannot be stored: %s", x->e->msg);
		err_clear(x->e);
	} else if (rc < 0) {
		x->rc = rc;
	} else {
		x->records++;
	}
}

static void where(struct fx *x, const char *section, size_t i)
{
	snprintf(x->where, sizeof x->where, "%s[%zu]", section, i + 1);
}

static struct store_val opt_s(const char *s)
{
	return s ? sv_text(s) : sv_null();
}

static struct store_val opt_i(long long v)
{
	return v >= 0 ? sv_int(v) : sv_null();
}

static void org(struct fx *x, json_t *o)
{
	long long id = num(x, o, "id", true);
	const char *name = str(x, o, "name", true), *grp = str(x, o, "group", true);
	const char *iso3 = str(x, o, "country", false);
	json_t *acc = json_object_get(o, "accredited");
	if (!json_is_boolean(acc))
		fault(x, "accredited", "must be true or false");
	enum_of(x, "group", grp, forum_groups, "the six stakeholder groups");
	if (grp && (strcmp(grp, "state") == 0) != (iso3 != NULL))
		fault(x, "country", "a state organisation, and only one, names its country");
	struct cdg_err ce = {0};
	if (iso3 && app_state_check(x->a, iso3, &ce) != 0)
		fault(x, "country", "\"%s\" is not a known state", iso3);
	const char *acc_at = stamp(x, o, "accredited_at", json_is_true(acc));
	struct store_val v[] = {sv_int(id), opt_s(name), opt_s(grp), opt_s(iso3),
		sv_int(json_is_true(acc)), opt_s(str(x, o, "accredited_by", false)),
		opt_s(acc_at), opt_s(str(x, o, "created_by", false)),
		opt_s(stamp(x, o, "created_at", true))};
	put(x, "restore_org", v, sizeof v / sizeof v[0]);
}

static void session(struct fx *x, json_t *o)
{
	static const char *const kinds[] = {"session", "consultation", NULL};
	long long id = num(x, o, "id", true);
	const char *kind = str(x, o, "kind", true);
	enum_of(x, "kind", kind, kinds, "session, consultation");
	const char *from = day(x, o, "starts_on", true), *to = day(x, o, "ends_on", true);
	if (from && to && strcmp(to, from) < 0)
		fault(x, "ends_on", "%s is before the start %s", to, from);
	struct store_val v[] = {sv_int(id), opt_s(kind), opt_s(str(x, o, "title", true)),
		opt_s(from), opt_s(to), opt_s(str(x, o, "description", false)),
		opt_s(str(x, o, "created_by", true)), opt_s(stamp(x, o, "created_at", true))};
	put(x, "restore_session", v, sizeof v / sizeof v[0]);
	json_t *items = arr(x, o, "items", true), *it;
	size_t i;
	json_array_foreach(items, i, it) {
		if (!json_is_object(it)) {
			fault(x, "items", "item %zu is not an object", i + 1);
			continue;
		}
		long long sid = num(x, it, "session", true);
		if (sid != id)
			fault(x, "items", "item %zu belongs to session %lld", i + 1, sid);
		struct store_val w[] = {sv_int(num(x, it, "id", true)), sv_int(id),
			sv_int(num(x, it, "position", true)), opt_s(str(x, it, "title", true)),
			opt_s(str(x, it, "description", false))};
		put(x, "restore_item", w, sizeof w / sizeof w[0]);
	}
}

static void document(struct fx *x, json_t *o)
{
	static const char *const access[] = {"public", "registered", NULL};
	long long id = num(x, o, "id", true);
	const char *acc = str(x, o, "access", true);
	enum_of(x, "access", acc, access, "public, registered");
	struct store_val v[] = {sv_int(id), sv_int(num(x, o, "session", true)),
		opt_i(num(x, o, "item", false)), opt_s(str(x, o, "title", true)), opt_s(acc),
		opt_s(str(x, o, "created_by", true)), opt_s(stamp(x, o, "created_at", true))};
	put(x, "restore_doc", v, sizeof v / sizeof v[0]);
	json_t *vs = arr(x, o, "versions", true), *it;
	size_t i;
	json_array_foreach(vs, i, it) {
		const char *url = str(x, it, "url", false);
		if (url && !url_http_ok(url))
			fault(x, "url", "\"%.80s\" is not an http(s) URL", url);
		struct store_val w[] = {sv_int(id), sv_int(num(x, it, "version", true)),
			opt_s(str(x, it, "text", true)), opt_s(url),
			opt_s(str(x, it, "by", true)), opt_s(stamp(x, it, "at", true))};
		put(x, "restore_doc_version", w, sizeof w / sizeof w[0]);
	}
}

static void proposal(struct fx *x, json_t *o)
{
	long long id = num(x, o, "id", true);
	struct store_val v[] = {sv_int(id), sv_int(num(x, o, "item", true)),
		sv_int(num(x, o, "org", true)), opt_s(str(x, o, "submitted_by", true)),
		opt_s(stamp(x, o, "submitted_at", true))};
	put(x, "restore_proposal", v, sizeof v / sizeof v[0]);
	json_t *vs = arr(x, o, "versions", true), *it;
	size_t i;
	json_array_foreach(vs, i, it) {
		json_t *refs = arr(x, it, "refs", true);
		char *rj = refs ? json_dumps(refs, JSON_COMPACT) : NULL;
		struct store_val w[] = {sv_int(id), sv_int(num(x, it, "version", true)),
			opt_s(str(x, it, "title", true)), opt_s(str(x, it, "text", true)),
			opt_s(rj), opt_s(str(x, it, "by", true)), opt_s(stamp(x, it, "at", true))};
		put(x, "restore_proposal_version", w, sizeof w / sizeof w[0]);
		free(rj);
	}
	json_array_foreach(arr(x, o, "comments", true), i, it) {
		struct store_val w[] = {sv_int(num(x, it, "id", true)), sv_int(id),
			sv_int(num(x, it, "org", true)), opt_s(str(x, it, "text", true)),
			opt_s(str(x, it, "by", true)), opt_s(stamp(x, it, "at", true))};
		put(x, "restore_comment", w, sizeof w / sizeof w[0]);
	}
	json_array_foreach(arr(x, o, "endorsements", true), i, it) {
		struct store_val w[] = {sv_int(id), sv_int(num(x, it, "org", true)),
			opt_s(str(x, it, "by", true)), opt_s(stamp(x, it, "at", true))};
		put(x, "restore_endorsement", w, sizeof w / sizeof w[0]);
	}
}

/* An action's status, as the forum's own updates check it. */
static void status_of(struct fx *x, const char *status)
{
	if (status && prog_action_status_parse(status) == PROG_ACTION_UNKNOWN)
		fault(x, "status", "\"%s\" is not one of agreed, in_progress, done", status);
}

static void action(struct fx *x, json_t *o, long long decision)
{
	long long id = num(x, o, "id", true);
	if (num(x, o, "decision", true) != decision)
		fault(x, "decision", "an action of decision %lld is listed under another", decision);
	const char *status = str(x, o, "status", true);
	status_of(x, status);
	struct store_val v[] = {sv_int(id), sv_int(decision), opt_s(str(x, o, "title", true)),
		sv_int(num(x, o, "owner", true)), opt_s(day(x, o, "deadline", true)),
		opt_s(status), opt_s(str(x, o, "note", false)),
		opt_s(str(x, o, "updated_by", true)), opt_s(stamp(x, o, "updated_at", true))};
	put(x, "restore_action", v, sizeof v / sizeof v[0]);
	json_t *it;
	size_t i;
	json_array_foreach(arr(x, o, "history", true), i, it) {
		const char *st = str(x, it, "status", true);
		status_of(x, st);
		struct store_val w[] = {sv_int(id), sv_int((long long)i + 1), opt_s(st),
			opt_s(str(x, it, "note", false)), opt_s(str(x, it, "by", true)),
			opt_s(stamp(x, it, "at", true))};
		put(x, "restore_action_update", w, sizeof w / sizeof w[0]);
	}
}

static void decision(struct fx *x, json_t *o)
{
	static const char *const methods[] = {"consensus", "vote", NULL};
	long long id = num(x, o, "id", true);
	const char *method = str(x, o, "method", true);
	enum_of(x, "method", method, methods, "consensus, vote");
	json_t *t = json_object_get(o, "tally");
	bool vote = method && strcmp(method, "vote") == 0;
	if (vote != json_is_object(t))
		fault(x, "tally", "a vote, and only a vote, has a tally");
	struct store_val v[] = {sv_int(id), sv_int(num(x, o, "item", true)), opt_s(method),
		opt_i(vote ? num(x, t, "yes", true) : -1),
		opt_i(vote ? num(x, t, "no", true) : -1),
		opt_i(vote ? num(x, t, "abstain", true) : -1),
		opt_s(str(x, o, "text", true)), opt_s(day(x, o, "adopted_on", true)),
		opt_s(str(x, o, "by", true)), opt_s(stamp(x, o, "at", true))};
	put(x, "restore_decision", v, sizeof v / sizeof v[0]);
	json_t *it;
	size_t i;
	json_array_foreach(arr(x, o, "draws_on", true), i, it) {
		if (!json_is_integer(it)) {
			fault(x, "draws_on", "item %zu is not a proposal id", i + 1);
			continue;
		}
		struct store_val w[] = {sv_int(id), sv_int(json_integer_value(it))};
		put(x, "basis_add", w, 2);
	}
	json_array_foreach(arr(x, o, "actions", true), i, it)
		action(x, it, id);
}

int app_forum_import(struct app *a, const char *path, const char *actor,
		     long *records, struct err_list *errs, struct cdg_err *e)
{
	*records = 0;
	int rc = app_authorize(a, actor, APP_FORUM_ADMIN, NULL, e);
	if (rc)
		return rc;
	struct buf text = BUF_INIT;
	rc = file_read_all(path, &text, e);
	json_error_t je;
	json_t *root = rc ? NULL : json_loadb(text.p, text.len, JSON_REJECT_DUPLICATES, &je);
	const char *fmt = json_string_value(json_object_get(root, "format"));
	if (rc == 0 && !root)
		rc = err_at(e, CDG_EINPUT, path, je.line, NULL, "%s", je.text);
	else if (rc == 0 && (!fmt || strcmp(fmt, FORMAT) != 0))
		rc = err_at(e, CDG_EINPUT, path, 1, "format", "not a forum export "
			    "(\"format\": \"%s\")", FORMAT);
	long long n = 0;
	if (rc == 0)
		rc = store_forum_int(a->st, "records", NULL, 0, &n, e);
	if (rc == 0 && n)
		rc = err_at(e, CDG_EINPUT, path, 0, NULL, "this database's forum already "
			    "has records; an export is restored into an empty forum "
			    "(a new database: cdg init)");
	if (rc == 0)
		rc = store_tx_begin(a->st, actor, e);
	if (rc) {
		json_decref(root);
		buf_free(&text);
		return rc;
	}
	/* Parents before children: organisations and sessions, then what
	 * refers to them. */
	static const struct {
		const char *name;
		void (*fn)(struct fx *, json_t *);
	} parts[] = {{"orgs", org}, {"sessions", session}, {"documents", document},
		     {"proposals", proposal}, {"decisions", decision}};
	struct fx x = {a, path, errs, 1, "", e, 0, 0};
	for (size_t p = 0; p < sizeof parts / sizeof parts[0] && !x.rc; p++) {
		long *lines = NULL;
		size_t nl = json_key_lines(text.p, parts[p].name, &lines);
		x.line = nl ? lines[0] : 1;
		free(lines);
		json_t *v = json_object_get(root, parts[p].name), *o;
		if (!json_is_array(v)) {
			errs_addf(errs, path, x.line, parts[p].name, "must be an array");
			continue;
		}
		size_t i;
		json_array_foreach(v, i, o) {
			where(&x, parts[p].name, i);
			if (json_is_object(o))
				parts[p].fn(&x, o);
			else
				fault(&x, "", "is not an object");
		}
	}
	json_decref(root);
	buf_free(&text);
	if (x.rc == 0 && errs->total)
		x.rc = err_at(e, CDG_EINPUT, path, 0, NULL, "%ld %s; nothing written",
			      errs->total, errs->total == 1 ? "fault" : "faults");
	if (x.rc) {
		store_tx_rollback(a->st);
		return x.rc;
	}
	*records = x.records;
	return store_tx_commit(a->st, e);
}
