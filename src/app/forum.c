/* The standing forum (issue 9): stakeholders, sessions, documents,
 * proposals, decisions and the monitoring of agreed actions.  Rules:
 * docs/forum.md; records: store/forum.c; the overdue rule:
 * progress/progress.h. */
#include "app/app.h"

#include <string.h>

#include "progress/progress.h"
#include "app/forum_int.h"
#include "store/store.h"

const char *const forum_groups[] = {"state", "international_organisation",
	"business", "civil_society", "technical_community", "academia", NULL};

/* ---- checks ------------------------------------------------------------------- */

static int bad(struct cdg_err *e, const char *field, const char *msg)
{
	return err_at(e, CDG_EINPUT, NULL, 0, field, "%s", msg);
}

/* Required text of at most max bytes, valid UTF-8. */
static int check_text(const char *s, size_t max, const char *field,
		      struct cdg_err *e)
{
	if (!s || !*s)
		return bad(e, field, "is required and may not be empty");
	size_t n = strlen(s);
	if (!utf8_valid(s, n))
		return bad(e, field, "is not valid UTF-8");
	if (n > max)
		return err_at(e, CDG_EINPUT, NULL, 0, field, "is longer than %zu bytes", max);
	return 0;
}

static int check_opt_text(const char *s, size_t max, const char *field,
			  struct cdg_err *e)
{
	return s && *s ? check_text(s, max, field, e) : 0;
}

/* An optional link: an http(s) URL or nothing (a javascript: link would
 * run in the reader's browser). */
static int check_opt_url(const char *s, const char *field, struct cdg_err *e)
{
	int rc = check_opt_text(s, 2000, field, e);
	if (rc == 0 && s && *s && !url_http_ok(s))
		rc = err_at(e, CDG_EINPUT, NULL, 0, field, "\"%.80s\" is not an "
			    "http(s) URL", s);
	return rc;
}

static bool full_date(const char *s)
{
	return s && strlen(s) == 10 && date_valid(s);
}

static int check_date(const char *s, const char *field, struct cdg_err *e)
{
	if (!full_date(s))
		return err_at(e, CDG_EINPUT, NULL, 0, field,
			      "\"%s\" is not a date (YYYY-MM-DD)", s ? s : "");
	return 0;
}

/* Whether id names a row of lookup query; otherwise code (CDG_EINPUT for
 * a record referred to, CDG_ENOTFOUND for the one addressed) naming
 * field.  *out (may be NULL) gets the query's value. */
static int must_exist(struct app *a, const char *query, long long id,
		      const char *field, const char *what, int code,
		      long long *out, struct cdg_err *e)
{
	long long v = 0;
	struct store_val p = sv_int(id);
	int rc = store_forum_int(a->st, query, &p, 1, &v, e);
	if (rc == CDG_ENOTFOUND)
		return err_at(e, code, NULL, 0, field, "there is no %s %lld", what, id);
	if (rc == 0 && out)
		*out = v;
	return rc;
}

/* actor may speak for organisation org: it exists, the secretariat has
 * accredited it, and actor is one of its members (local operators of the
 * database file speak for any accredited organisation). */
static int speaks_for(struct app *a, const char *actor, long long org,
		      struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_FORUM_WRITE, NULL, e);
	long long accredited = 0;
	if (rc == 0)
		rc = must_exist(a, "org_accredited", org, "org", "organisation",
				CDG_EINPUT, &accredited, e);
	if (rc)
		return rc;
	if (!accredited)
		return err_set(e, CDG_EPERM, "organisation %lld is not accredited to "
			       "the forum (the secretariat accredits organisations)", org);
	if (app_is_operator(a, actor))
		return 0;
	struct store_val p[2] = {sv_text(actor), sv_int(org)};
	long long n = 0;
	rc = store_forum_int(a->st, "member_of", p, 2, &n, e);
	if (rc)
		return rc == CDG_ENOTFOUND ? err_set(e, CDG_EINTERNAL, "count gave no row") : rc;
	if (!n)
		return err_set(e, CDG_EPERM, "%s is not a member of organisation %lld "
			       "and may not act on its behalf", actor, org);
	return 0;
}

int app_forum_may_write(struct app *a, const char *actor, bool or_secretariat,
			struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_FORUM_WRITE, NULL, e);
	if (rc || app_is_operator(a, actor))
		return rc;
	if (or_secretariat && app_authorize(a, actor, APP_FORUM_ADMIN, NULL, e) == 0)
		return 0;
	struct store_val p = sv_text(actor);
	long long n = 0;
	rc = store_forum_int(a->st, "member_any", &p, 1, &n, e);
	if (rc)
		return rc == CDG_ENOTFOUND ? err_set(e, CDG_EINTERNAL, "count gave no row") : rc;
	if (!n)
		return err_set(e, CDG_EPERM, "%s is not a member of an accredited "
			       "organisation and may not write to the forum", actor);
	return 0;
}

/* Runs one write; negative on error. */
static int put(struct app *a, const char *stmt, const struct store_val *v,
	       size_t n, long long *id, struct cdg_err *e)
{
	int rc = store_forum_write(a->st, stmt, v, n, id, e);
	return rc < 0 ? rc : 0;
}

static int begin(struct app *a, const char *actor, struct cdg_err *e)
{
	return store_tx_begin(a->st, actor, e);
}

static int finish(struct app *a, int rc, struct cdg_err *e)
{
	if (rc) {
		store_tx_rollback(a->st);
		return rc;
	}
	return store_tx_commit(a->st, e);
}

/* ---- organisations ------------------------------------------------------------- */

int app_forum_org_add(struct app *a, const char *actor, const char *name,
		      const char *group, const char *iso3, long long *id,
		      struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_FORUM_ADMIN, NULL, e);
	if (rc == 0)
		rc = check_text(name, 200, "name", e);
	if (rc)
		return rc;
	if (strlen(name) < 2)
		return bad(e, "name", "needs at least 2 characters");
	bool known = false;
	for (const char *const *g = forum_groups; *g && group; g++)
		known = known || strcmp(*g, group) == 0;
	if (!known)
		return err_at(e, CDG_EINPUT, NULL, 0, "group", "\"%s\" is not a stakeholder "
			      "group (state, international_organisation, business, "
			      "civil_society, technical_community, academia)", group ? group : "");
	bool state = strcmp(group, "state") == 0;
	if (state != (iso3 && *iso3))
		return bad(e, "country", "a state organisation, and only one, names its "
			   "state (ISO3)");
	if (state && app_state_check(a, iso3, e) != 0)
		return err_at(e, CDG_EINPUT, NULL, 0, "country", "\"%s\" is not a "
			      "known state", iso3);
	struct store_val v[3] = {sv_text(name), sv_text(group), sv_text(state ? iso3 : NULL)};
	rc = begin(a, actor, e);
	if (rc)
		return rc;
	rc = put(a, "org_add", v, 3, id, e);
	if (rc == CDG_ECONFLICT)
		rc = err_at(e, CDG_ECONFLICT, NULL, 0, "name", "an organisation named "
			    "\"%s\" exists", name);
	return finish(a, rc, e);
}

int app_forum_org_accredit(struct app *a, const char *actor, long long org,
			   struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_FORUM_ADMIN, NULL, e);
	long long accredited = 0;
	if (rc == 0)
		rc = must_exist(a, "org_accredited", org, "org", "organisation",
				CDG_ENOTFOUND, &accredited, e);
	if (rc)
		return rc;
	if (accredited)
		return err_set(e, CDG_ECONFLICT, "organisation %lld is already accredited", org);
	struct store_val v = sv_int(org);
	rc = begin(a, actor, e);
	return rc ? rc : finish(a, put(a, "org_accredit", &v, 1, NULL, e), e);
}

int app_forum_member_add(struct app *a, const char *actor, long long org,
			 const char *account, struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_FORUM_ADMIN, NULL, e);
	if (rc == 0)
		rc = must_exist(a, "org_accredited", org, "org", "organisation",
				CDG_ENOTFOUND, NULL, e);
	if (rc == 0)
		rc = check_text(account, 64, "account", e);
	if (rc)
		return rc;
	long long acc;
	struct store_val p = sv_text(account);
	rc = store_forum_int(a->st, "account", &p, 1, &acc, e);
	if (rc == CDG_ENOTFOUND)
		return err_at(e, CDG_EINPUT, NULL, 0, "account", "there is no account "
			      "named \"%s\"", account);
	if (rc)
		return rc;
	struct store_val v[2] = {sv_text(account), sv_int(org)};
	rc = begin(a, actor, e);
	if (rc)
		return rc;
	rc = put(a, "member_add", v, 2, NULL, e);
	if (rc == CDG_ECONFLICT)
		rc = err_set(e, CDG_ECONFLICT, "%s is already a member of organisation %lld",
			     account, org);
	return finish(a, rc, e);
}

/* ---- sessions, agenda items, documents ------------------------------------------- */

int app_forum_session_add(struct app *a, const char *actor,
			  const struct app_forum_session *s, long long *id,
			  struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_FORUM_ADMIN, NULL, e);
	if (rc)
		return rc;
	if (!s->kind || (strcmp(s->kind, "session") != 0 && strcmp(s->kind, "consultation") != 0))
		return bad(e, "kind", "is session or consultation");
	if ((rc = check_text(s->title, 300, "title", e)) ||
	    (rc = check_date(s->starts_on, "starts_on", e)) ||
	    (rc = check_date(s->ends_on ? s->ends_on : s->starts_on, "ends_on", e)) ||
	    (rc = check_opt_text(s->description, 20000, "description", e)))
		return rc;
	const char *ends = s->ends_on ? s->ends_on : s->starts_on;
	if (strcmp(ends, s->starts_on) < 0)
		return bad(e, "ends_on", "is before starts_on");
	struct store_val v[5] = {sv_text(s->kind), sv_text(s->title),
				 sv_text(s->starts_on), sv_text(ends),
				 sv_text(s->description)};
	rc = begin(a, actor, e);
	return rc ? rc : finish(a, put(a, "session_add", v, 5, id, e), e);
}

int app_forum_item_add(struct app *a, const char *actor, long long session,
		       const char *title, const char *description,
		       long long *id, struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_FORUM_ADMIN, NULL, e);
	if (rc == 0)
		rc = must_exist(a, "session", session, "session", "session",
				CDG_ENOTFOUND, NULL, e);
	if (rc || (rc = check_text(title, 300, "title", e)) ||
	    (rc = check_opt_text(description, 20000, "description", e)))
		return rc;
	struct store_val v[3] = {sv_int(session), sv_text(title), sv_text(description)};
	rc = begin(a, actor, e);
	return rc ? rc : finish(a, put(a, "item_add", v, 3, id, e), e);
}

int app_forum_doc_add(struct app *a, const char *actor,
		      const struct app_forum_doc *d, long long *id,
		      struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_FORUM_ADMIN, NULL, e);
	if (rc == 0)
		rc = must_exist(a, "session", d->session, "session", "session",
				CDG_EINPUT, NULL, e);
	if (rc)
		return rc;
	if (d->item) {
		long long sess = 0;
		rc = must_exist(a, "item_session", d->item, "item", "agenda item",
				CDG_EINPUT, &sess, e);
		if (rc)
			return rc;
		if (sess != d->session)
			return bad(e, "item", "belongs to another session");
	}
	if (!d->access || (strcmp(d->access, "public") != 0 &&
			   strcmp(d->access, "registered") != 0))
		return bad(e, "access", "is public or registered");
	if ((rc = check_text(d->title, 300, "title", e)) ||
	    (rc = check_text(d->text, 200000, "text", e)) ||
	    (rc = check_opt_url(d->url, "url", e)))
		return rc;
	struct store_val v[4] = {sv_int(d->session), d->item ? sv_int(d->item) : sv_null(),
				 sv_text(d->title), sv_text(d->access)};
	rc = begin(a, actor, e);
	if (rc)
		return rc;
	long long doc = 0;
	rc = put(a, "doc_add", v, 4, &doc, e);
	struct store_val w[3] = {sv_int(doc), sv_text(d->text), sv_text(d->url)};
	if (rc == 0)
		rc = put(a, "doc_version_add", w, 3, NULL, e);
	if (rc == 0 && id)
		*id = doc;
	return finish(a, rc, e);
}

int app_forum_doc_version(struct app *a, const char *actor, long long doc,
			  const char *text, const char *url, struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_FORUM_ADMIN, NULL, e);
	if (rc == 0)
		rc = must_exist(a, "doc", doc, "document", "document", CDG_ENOTFOUND, NULL, e);
	if (rc || (rc = check_text(text, 200000, "text", e)) ||
	    (rc = check_opt_url(url, "url", e)))
		return rc;
	struct store_val w[3] = {sv_int(doc), sv_text(text), sv_text(url)};
	rc = begin(a, actor, e);
	return rc ? rc : finish(a, put(a, "doc_version_add", w, 3, NULL, e), e);
}

/* ---- proposals, comments, endorsements -------------------------------------------- */

/* refs as a JSON array of {kind, id}, each checked against the catalog:
 * a norm letter, a CDG or target id, or a Budapest Convention article. */
static int refs_json(struct app *a, const char *const *refs, size_t n,
		     struct buf *out, struct cdg_err *e)
{
	struct jw w;
	jw_init(&w, out, false);
	jw_arr(&w);
	for (size_t i = 0; i < n; i++) {
		long long k = 0;
		struct store_val p = sv_text(refs[i]);
		int rc = refs[i] && *refs[i] ? store_forum_int(a->st, "ref_known", &p, 1, &k, e) : 0;
		if (rc)
			return rc;
		if (!k)
			return err_at(e, CDG_EINPUT, NULL, 0, "refs", "\"%s\" is not a norm "
				      "(a-k), a CDG or target (CDG1, CDG1.1) or a Budapest "
				      "Convention article (BC2)", refs[i] ? refs[i] : "");
		const char *kind = refs[i][0] == 'B' ? "article"
				 : strncmp(refs[i], "CDG", 3) == 0 ? (strchr(refs[i], '.') ? "target" : "cdg")
				 : "norm";
		jw_obj(&w);
		jw_kstr(&w, "kind", kind);
		jw_kstr(&w, "id", refs[i]);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	return 0;
}

static int check_proposal_text(const struct app_forum_proposal *p,
			       struct cdg_err *e)
{
	int rc;
	if ((rc = check_text(p->title, 300, "title", e)) ||
	    (rc = check_text(p->text, 100000, "text", e)))
		return rc;
	if (p->nrefs > 64)
		return bad(e, "refs", "at most 64 references");
	return 0;
}

/* Writes a proposal's next version (creating the proposal first when
 * proposal is 0) after checking its text and references.  The caller has
 * checked who may. */
static int put_version(struct app *a, const char *actor, long long proposal,
		       const struct app_forum_proposal *p, long long *id,
		       struct cdg_err *e)
{
	struct buf refs = BUF_INIT;
	int rc = check_proposal_text(p, e);
	if (rc == 0)
		rc = refs_json(a, p->refs, p->nrefs, &refs, e);
	if (rc == 0)
		rc = begin(a, actor, e);
	if (rc) {
		buf_free(&refs);
		return rc;
	}
	struct store_val v[2] = {sv_int(p->item), sv_int(p->org)};
	if (!proposal)
		rc = put(a, "proposal_add", v, 2, &proposal, e);
	struct store_val w[4] = {sv_int(proposal), sv_text(p->title), sv_text(p->text),
				 sv_text(refs.p)};
	if (rc == 0)
		rc = put(a, "proposal_version_add", w, 4, NULL, e);
	buf_free(&refs);
	if (rc == 0 && id)
		*id = proposal;
	return finish(a, rc, e);
}

int app_forum_propose(struct app *a, const char *actor,
		      const struct app_forum_proposal *p, long long *id,
		      struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_FORUM_WRITE, NULL, e);
	if (rc == 0)
		rc = must_exist(a, "item_session", p->item, "item", "agenda item",
				CDG_EINPUT, NULL, e);
	if (rc == 0)
		rc = speaks_for(a, actor, p->org, e);
	return rc ? rc : put_version(a, actor, 0, p, id, e);
}

int app_forum_revise(struct app *a, const char *actor, long long proposal,
		     const struct app_forum_proposal *p, struct cdg_err *e)
{
	long long org = 0;
	int rc = app_authorize(a, actor, APP_FORUM_WRITE, NULL, e);
	if (rc == 0)
		rc = must_exist(a, "proposal_org", proposal, "proposal", "proposal",
				CDG_ENOTFOUND, &org, e);
	if (rc == 0)
		rc = speaks_for(a, actor, org, e);
	if (rc == CDG_EPERM)
		rc = err_set(e, CDG_EPERM, "only members of the organisation that "
			     "submitted proposal %lld may revise it", proposal);
	return rc ? rc : put_version(a, actor, proposal, p, NULL, e);
}

int app_forum_comment(struct app *a, const char *actor, long long proposal,
		      long long org, const char *text, long long *id,
		      struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_FORUM_WRITE, NULL, e);
	if (rc == 0)
		rc = must_exist(a, "proposal_org", proposal, "proposal", "proposal",
				CDG_ENOTFOUND, NULL, e);
	if (rc == 0)
		rc = speaks_for(a, actor, org, e);
	if (rc == 0)
		rc = check_text(text, 20000, "text", e);
	if (rc == 0)
		rc = begin(a, actor, e);
	if (rc)
		return rc;
	struct store_val v[3] = {sv_int(proposal), sv_int(org), sv_text(text)};
	return finish(a, put(a, "comment_add", v, 3, id, e), e);
}

int app_forum_endorse(struct app *a, const char *actor, long long proposal,
		      long long org, struct cdg_err *e)
{
	long long owner = 0;
	int rc = app_authorize(a, actor, APP_FORUM_WRITE, NULL, e);
	if (rc == 0)
		rc = must_exist(a, "proposal_org", proposal, "proposal", "proposal",
				CDG_ENOTFOUND, &owner, e);
	if (rc == 0)
		rc = speaks_for(a, actor, org, e);
	if (rc)
		return rc;
	if (owner == org)
		return bad(e, "org", "an organisation does not endorse its own proposal");
	struct store_val v[2] = {sv_int(proposal), sv_int(org)};
	long long n = 0;
	rc = store_forum_int(a->st, "endorsed", v, 2, &n, e);
	if (rc == 0 && n)
		rc = err_set(e, CDG_ECONFLICT, "organisation %lld has already endorsed "
			     "proposal %lld", org, proposal);
	if (rc == 0)
		rc = begin(a, actor, e);
	return rc ? rc : finish(a, put(a, "endorse_add", v, 2, NULL, e), e);
}

/* ---- decisions and actions ------------------------------------------------------ */

/* An action of a decision adopted on the date adopted (YYYY-MM-DD): its
 * deadline is a date on or after the adoption, since an action cannot be
 * due before it was agreed.  Both are full dates, so the strings compare
 * as the dates do. */
static int check_action(struct app *a, const struct app_forum_action *x,
			const char *adopted, struct cdg_err *e)
{
	int rc = check_text(x->title, 300, "action.title", e);
	if (rc == 0)
		rc = must_exist(a, "org_accredited", x->owner, "action.owner",
				"organisation", CDG_EINPUT, NULL, e);
	if (rc == 0)
		rc = check_date(x->deadline, "action.deadline", e);
	if (rc == 0 && strcmp(x->deadline, adopted) < 0)
		rc = err_at(e, CDG_EINPUT, NULL, 0, "action.deadline", "%s is before "
			    "the decision's adoption on %s", x->deadline, adopted);
	return rc;
}

int app_forum_decide(struct app *a, const char *actor,
		     const struct app_forum_decision *d, long long *id,
		     struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_FORUM_ADMIN, NULL, e);
	if (rc == 0)
		rc = must_exist(a, "item_session", d->item, "item", "agenda item",
				CDG_EINPUT, NULL, e);
	if (rc || (rc = check_text(d->text, 100000, "text", e)))
		return rc;
	bool vote;
	if (d->method && strcmp(d->method, "consensus") == 0)
		vote = false;
	else if (d->method && strcmp(d->method, "vote") == 0)
		vote = true;
	else
		return bad(e, "method", "is consensus or vote");
	if (vote && (d->yes < 0 || d->no < 0 || d->abstain < 0))
		return bad(e, "tally", "a vote records yes, no and abstain (0 or more each)");
	if (!vote && (d->yes >= 0 || d->no >= 0 || d->abstain >= 0))
		return bad(e, "tally", "a decision by consensus has no tally");
	if (vote && d->yes <= d->no)
		return bad(e, "tally", "a vote adopts a text only with more yes than no");
	char today[21];
	time_now_iso(today);
	today[10] = '\0';
	const char *on = d->adopted_on ? d->adopted_on : today;
	if ((rc = check_date(on, "adopted_on", e)))
		return rc;
	for (size_t i = 0; i < d->ndraws; i++) {
		long long item = 0;
		rc = must_exist(a, "proposal_item", d->draws_on[i], "draws_on",
				"proposal", CDG_EINPUT, &item, e);
		if (rc)
			return rc;
		if (item != d->item)
			return err_at(e, CDG_EINPUT, NULL, 0, "draws_on", "proposal %lld "
				      "is on another agenda item", d->draws_on[i]);
		for (size_t j = 0; j < i; j++)
			if (d->draws_on[j] == d->draws_on[i])
				return bad(e, "draws_on", "names a proposal twice");
	}
	for (size_t i = 0; i < d->nactions; i++)
		if ((rc = check_action(a, &d->actions[i], on, e)))
			return rc;
	rc = begin(a, actor, e);
	if (rc)
		return rc;
	struct store_val v[7] = {sv_int(d->item), sv_text(d->method),
				 vote ? sv_int(d->yes) : sv_null(),
				 vote ? sv_int(d->no) : sv_null(),
				 vote ? sv_int(d->abstain) : sv_null(),
				 sv_text(d->text), sv_text(on)};
	long long did = 0;
	rc = put(a, "decision_add", v, 7, &did, e);
	for (size_t i = 0; rc == 0 && i < d->ndraws; i++) {
		struct store_val b[2] = {sv_int(did), sv_int(d->draws_on[i])};
		rc = put(a, "basis_add", b, 2, NULL, e);
	}
	for (size_t i = 0; rc == 0 && i < d->nactions; i++) {
		const struct app_forum_action *x = &d->actions[i];
		struct store_val w[4] = {sv_int(did), sv_text(x->title), sv_int(x->owner),
					 sv_text(x->deadline)};
		rc = put(a, "action_add", w, 4, NULL, e);
	}
	if (rc == 0 && id)
		*id = did;
	return finish(a, rc, e);
}

int app_forum_action_add(struct app *a, const char *actor, long long decision,
			 const struct app_forum_action *x, long long *id,
			 struct cdg_err *e)
{
	int rc = app_authorize(a, actor, APP_FORUM_ADMIN, NULL, e);
	long long ymd = 0;
	if (rc == 0)
		rc = must_exist(a, "decision_adopted", decision, "decision", "decision",
				CDG_ENOTFOUND, &ymd, e);
	char adopted[64];
	snprintf(adopted, sizeof adopted, "%04lld-%02lld-%02lld", ymd / 10000,
		 ymd / 100 % 100, ymd % 100);
	if (rc || (rc = check_action(a, x, adopted, e)))
		return rc;
	struct store_val w[4] = {sv_int(decision), sv_text(x->title), sv_int(x->owner),
				 sv_text(x->deadline)};
	rc = begin(a, actor, e);
	return rc ? rc : finish(a, put(a, "action_add", w, 4, id, e), e);
}

int app_forum_action_update(struct app *a, const char *actor, long long action,
			    const char *status, const char *note,
			    struct cdg_err *e)
{
	long long owner = 0;
	int rc = must_exist(a, "action_owner", action, "action", "action",
			    CDG_ENOTFOUND, &owner, e);
	if (rc)
		return rc;
	/* The secretariat, or a member of the organisation that owns it. */
	struct cdg_err ignore;
	if (app_authorize(a, actor, APP_FORUM_ADMIN, NULL, &ignore) != 0) {
		rc = speaks_for(a, actor, owner, e);
		if (rc == CDG_EPERM)
			rc = err_set(e, CDG_EPERM, "only the secretariat and members of "
				     "the action's owner may update action %lld", action);
		if (rc)
			return rc;
	}
	if (prog_action_status_parse(status) == PROG_ACTION_UNKNOWN)
		return bad(e, "status", "is agreed, in_progress or done");
	if ((rc = check_opt_text(note, 20000, "note", e)))
		return rc;
	struct store_val v[3] = {sv_int(action), sv_text(status), sv_text(note)};
	rc = begin(a, actor, e);
	if (rc)
		return rc;
	rc = put(a, "action_status", v, 3, NULL, e);
	struct store_val u[3] = {sv_int(action), sv_text(status), sv_text(note)};
	if (rc == 0)
		rc = put(a, "action_update_add", u, 3, NULL, e);
	return finish(a, rc, e);
}

/* ---- reads ----------------------------------------------------------------------- */

/* Appends the JSON of query to w; not_found words a missing record. */
static int raw(struct app *a, const char *query, const struct store_val *v,
	       size_t n, struct jw *w, const char *not_found, struct cdg_err *e)
{
	struct buf b = BUF_INIT;
	int rc = store_forum_json(a->st, query, v, n, &b, e);
	if (rc == 0)
		jw_raw(w, b.p);
	else if (rc == CDG_ENOTFOUND)
		rc = err_set(e, CDG_ENOTFOUND, "%s", not_found ? not_found : "not found");
	buf_free(&b);
	return rc;
}

int app_forum_json(struct app *a, const char *what, long long id,
		   const char *param, bool signed_in, struct jw *w,
		   struct cdg_err *e)
{
	char nf[96];
	snprintf(nf, sizeof nf, "there is no %s %lld", what, id);
	struct store_val sid = id ? sv_int(id) : sv_null();
	struct store_val doc[2] = {sv_int(signed_in), sid};
	if (strcmp(what, "orgs") == 0)
		return raw(a, "orgs", NULL, 0, w, NULL, e);
	if (strcmp(what, "my_orgs") == 0) {
		struct store_val p = sv_text(param);
		return raw(a, "my_orgs", &p, 1, w, NULL, e);
	}
	if (strcmp(what, "sessions") == 0)
		return raw(a, "sessions", NULL, 0, w, NULL, e);
	if (strcmp(what, "documents") == 0)
		return raw(a, "documents", doc, 2, w, NULL, e);
	if (strcmp(what, "document") == 0)
		return raw(a, "document", doc, 2, w, nf, e);
	if (strcmp(what, "actions") == 0) {
		struct store_val p = sv_text(param);
		return raw(a, "actions", &p, 1, w, NULL, e);
	}
	if (strcmp(what, "proposals") == 0 || strcmp(what, "decisions") == 0)
		return raw(a, what, &sid, 1, w, NULL, e);
	if (strcmp(what, "proposal") == 0 || strcmp(what, "decision") == 0 ||
	    strcmp(what, "action") == 0)
		return raw(a, what, &sid, 1, w, nf, e);
	if (strcmp(what, "session") == 0) {
		/* The session with everything on its agenda. */
		jw_obj(w);
		jw_key(w, "session");
		int rc = raw(a, "session", &sid, 1, w, nf, e);
		if (rc)
			return rc;
		jw_key(w, "documents");
		rc = raw(a, "documents", doc, 2, w, NULL, e);
		jw_key(w, "proposals");
		if (rc == 0)
			rc = raw(a, "proposals", &sid, 1, w, NULL, e);
		jw_key(w, "decisions");
		if (rc == 0)
			rc = raw(a, "decisions", &sid, 1, w, NULL, e);
		jw_obj_end(w);
		return rc;
	}
	return err_set(e, CDG_EINTERNAL, "unknown forum listing %s", what);
}

int app_forum_export_json(struct app *a, bool signed_in, struct jw *w,
			  struct cdg_err *e)
{
	char now[21];
	time_now_iso(now);
	static const char *const parts[] = {"orgs", "sessions", "documents",
					    "proposals", "decisions", "actions"};
	jw_obj(w);
	jw_kstr(w, "format", "cdg-forum-export/1");
	jw_kstr(w, "generated_at", now);
	jw_kstr(w, "access", signed_in ? "registered" : "public");
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof parts / sizeof parts[0]; i++) {
		jw_key(w, parts[i]);
		rc = app_forum_json(a, parts[i], 0, NULL, signed_in, w, e);
	}
	jw_obj_end(w);
	return rc;
}

/* ---- monitoring -------------------------------------------------------------------- */

static const char *col(const struct store_row *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return r->v[i].t == SV_TEXT ? r->v[i].s : NULL;
	return NULL;
}

static long long icol(const struct store_row *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0)
			return r->v[i].t == SV_INT ? r->v[i].i : 0;
	return 0;
}

struct monitor {
	struct jw *w;
	const char *today;
	struct prog_action_summary sum;
};

static int monitor_row(void *ctx, const struct store_row *r)
{
	struct monitor *m = ctx;
	const char *status = col(r, "status"), *deadline = col(r, "deadline");
	int late = prog_action_add(&m->sum, prog_action_status_parse(status),
				   deadline, m->today);
	struct jw *w = m->w;
	jw_obj(w);
	jw_kint(w, "id", icol(r, "id"));
	jw_kstr(w, "title", col(r, "title"));
	jw_kint(w, "decision", icol(r, "decision_id"));
	jw_kint(w, "owner", icol(r, "owner"));
	jw_kstr(w, "owner_name", col(r, "owner_name"));
	jw_kstr(w, "owner_group", col(r, "owner_group"));
	jw_kstr(w, "owner_country", col(r, "owner_country"));
	jw_kstr(w, "deadline", deadline);
	jw_kstr(w, "status", status);
	jw_kbool(w, "overdue", late);
	jw_kstr(w, "note", col(r, "note"));
	jw_kstr(w, "updated_at", col(r, "updated_at"));
	jw_obj_end(w);
	return 0;
}

int app_forum_monitor_json(struct app *a, const char *iso3, const char *today,
			   struct jw *w, struct cdg_err *e)
{
	char now[21];
	time_now_iso(now);
	now[10] = '\0';
	if (!today)
		today = now;
	else if (!full_date(today))
		return err_at(e, CDG_EUSAGE, NULL, 0, "today", "\"%s\" is not a date "
			      "(YYYY-MM-DD)", today);
	struct monitor m = {w, today, {0}};
	jw_obj(w);
	jw_kstr(w, "today", today);
	jw_kstr(w, "country", iso3);
	jw_key(w, "actions");
	jw_arr(w);
	struct store_val p = sv_text(iso3);
	int rc = store_forum_each(a->st, "monitor", &p, 1, monitor_row, &m, e);
	jw_arr_end(w);
	jw_key(w, "summary");
	jw_obj(w);
	jw_kint(w, "agreed", (long long)m.sum.agreed);
	jw_kint(w, "done", (long long)m.sum.done);
	jw_kint(w, "in_progress", (long long)m.sum.in_progress);
	jw_kint(w, "not_started", (long long)m.sum.not_started);
	jw_kint(w, "overdue", (long long)m.sum.overdue);
	jw_obj_end(w);
	jw_kstr(w, "rules", "docs/forum.md");
	jw_obj_end(w);
	return rc;
}

/* ---- the Atom feed ------------------------------------------------------------------ */

static void xml_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		default:
			/* XML 1.0 forbids most control characters. */
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t' || *s == '\r')
				buf_addc(b, *s);
		}
	}
}

struct feed {
	struct buf *entries;
	const char *base;
	char updated[21];
};

static int feed_row(void *ctx, const struct store_row *r)
{
	struct feed *f = ctx;
	struct buf *b = f->entries;
	const char *kind = col(r, "kind"), *updated = col(r, "updated");
	long long id = icol(r, "id");
	if (updated && strcmp(updated, f->updated) > 0)
		snprintf(f->updated, sizeof f->updated, "%s", updated);
	buf_addf(b, "<entry>\n<id>urn:cdg:forum:%s:%lld</id>\n<title>", kind, id);
	xml_text(b, col(r, "title"));
	buf_addf(b, "</title>\n<updated>%s</updated>\n<published>%s</published>\n",
		 updated ? updated : "", col(r, "published") ? col(r, "published") : "");
	buf_adds(b, "<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(b, f->base);
	buf_addf(b, "/forum.html#%s-%lld\"/>\n<author><name>", kind, id);
	xml_text(b, col(r, "author"));
	buf_addf(b, "</name></author>\n<category term=\"%s\"/>\n<summary type=\"text\">", kind);
	xml_text(b, col(r, "summary"));
	buf_adds(b, "</summary>\n</entry>\n");
	return 0;
}

int app_forum_feed_atom(struct app *a, const char *base_url, struct buf *out,
			struct cdg_err *e)
{
	struct buf entries = BUF_INIT;
	struct feed f = {&entries, base_url, "1970-01-01T00:00:00Z"};
	int rc = store_forum_each(a->st, "feed", NULL, 0, feed_row, &f, e);
	if (rc == 0) {
		buf_adds(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
			 "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
			 "<id>urn:cdg:forum</id>\n"
			 "<title>cdg standing forum: documents, proposals and decisions</title>\n");
		buf_addf(out, "<updated>%s</updated>\n<link rel=\"self\" "
			 "type=\"application/atom+xml\" href=\"", f.updated);
		xml_text(out, base_url);
		buf_adds(out, "/api/v1/forum/feed.atom\"/>\n<link rel=\"alternate\" "
			 "type=\"text/html\" href=\"");
		xml_text(out, base_url);
		buf_adds(out, "/forum.html\"/>\n<author><name>cdg forum secretariat"
			 "</name></author>\n");
		buf_add(out, entries.p, entries.len);
		buf_adds(out, "</feed>\n");
	}
	buf_free(&entries);
	return rc;
}
