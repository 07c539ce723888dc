/*
 * store: the only code that speaks SQL.
 *
 * A struct store is one SQLite connection (WAL mode, foreign keys on,
 * busy timeout) to one database file.  It is not shared between threads:
 * the HTTP server opens one per worker thread.
 *
 * Schema: numbered, forward-only migrations compiled into the binary.
 * store_open() with STORE_MIGRATE applies the missing ones, each in its own
 * transaction; without it a database that is behind is refused.  The schema
 * version is PRAGMA user_version: a database written by a newer cdg is
 * refused with CDG_ESCHEMA rather than misread.
 *
 * Writes: every change happens inside store_tx_begin(actor) ...
 * store_tx_commit() (or store_tx_rollback()), one transaction per use case.
 * Every audited table has triggers, created by the migrations, that append
 * to audit_log (time, actor, action, entity, key, before and after as JSON
 * objects).  The triggers read the actor through an SQL function that this
 * connection defines only while a transaction is open, so a write outside
 * store_tx_begin() fails instead of going unaudited.  audit_log itself
 * rejects UPDATE and DELETE.
 *
 * Strings returned by query functions are copied into the caller's arena.
 */
#ifndef CDG_STORE_H
#define CDG_STORE_H

#include "base/base.h"

struct store;
struct jw;

/* Highest schema version this build knows. */
int store_schema_latest(void);

enum {
	STORE_MIGRATE = 1,  /* create or upgrade the schema */
	STORE_READONLY = 2, /* open read-only (no migration) */
	STORE_CREATE = 4,   /* create the file if it does not exist */
};

/* Opens path.  Fails with CDG_ENOTFOUND if the file is missing and
 * STORE_CREATE is not given, CDG_ESCHEMA if the schema is newer than this
 * build, or older and STORE_MIGRATE is not given. */
int store_open(struct store **out, const char *path, int flags,
	       struct cdg_err *e);
void store_close(struct store *s);
/* Schema version of the open database. */
int store_schema_version(struct store *s);

/* Begins a write transaction on behalf of actor (an account name or
 * "system"); BEGIN IMMEDIATE so writers queue instead of failing later. */
int store_tx_begin(struct store *s, const char *actor, struct cdg_err *e);
int store_tx_commit(struct store *s, struct cdg_err *e);
void store_tx_rollback(struct store *s);

/* ---- catalog --------------------------------------------------------------- */

/* Records one catalog source file (name, SHA-256 hex, text).  Returns 1 if
 * it changed (or is new), 0 if identical to what is stored. */
int store_catalog_file_put(struct store *s, const char *name,
			   const char *sha256, const char *text,
			   struct cdg_err *e);
/* Calls fn for every stored catalog file in name order. */
int store_catalog_files(struct store *s,
			int (*fn)(void *ctx, const char *name, const char *text,
				  struct cdg_err *e),
			void *ctx, struct cdg_err *e);

/* A typed value for generic upserts. */
enum store_vtype { SV_NULL, SV_TEXT, SV_INT, SV_REAL };
struct store_val {
	enum store_vtype t; /* which member is set */
	const char *s;      /* SV_TEXT */
	long long i;        /* SV_INT */
	double d;           /* SV_REAL */
};
static inline struct store_val sv_text(const char *s)
{
	struct store_val v = {s && *s ? SV_TEXT : SV_NULL, s, 0, 0};
	return v;
}
static inline struct store_val sv_int(long long i)
{
	struct store_val v = {SV_INT, NULL, i, 0};
	return v;
}
static inline struct store_val sv_real(double d)
{
	struct store_val v = {SV_REAL, NULL, 0, d};
	return v;
}
static inline struct store_val sv_null(void)
{
	struct store_val v = {SV_NULL, NULL, 0, 0};
	return v;
}

/* Inserts or updates one row of a reference or catalog table: the first
 * nkey columns are the key.  An update happens (and is audited) only when
 * some value differs.  Returns 1 if a row was written, 0 if unchanged. */
int store_upsert(struct store *s, const char *table, const char *const *cols,
		 const struct store_val *vals, size_t ncols, size_t nkey,
		 struct cdg_err *e);

/* ---- observations ---------------------------------------------------------- */

/* A bulk writer of indicator observations: one transaction, one import
 * batch per source type written (usually one).  store_obs_begin() opens
 * the transaction; store_obs_put() adds rows; store_obs_end() commits
 * (commit=true) or rolls everything back.  The writer checks indicator
 * and state against the catalog and country tables itself (CDG_EINPUT),
 * so SQLite's row-by-row foreign-key checks are off while it runs.  Rows
 * are stored with interned keys and sources (table obs, migration 10) and
 * take who, when and whether synthetic from their batch unless the row
 * brings its own (an exchanged file, docs/exchange.md); the view
 * observation reads them in full. */
struct store_obs_writer;

struct store_obs {
	const char *indicator; /* catalog indicator id */
	const char *iso3;      /* state */
	long year;             /* reference year */
	double value;          /* in the indicator's unit */
	const char *source;    /* URL or document reference, required */
	const char *note;      /* may be NULL */
	long line;             /* line in the batch's file, 0 if none */
	/* Provenance an exchanged file carries over (cdg's own export): who
	 * entered the value and when (NULL: the batch's actor and time),
	 * whether it is synthetic (adds to the batch's flag, never clears
	 * it) and its source type (NULL: the writer's). */
	const char *entered_by, *entered_at;
	bool synthetic;
	const char *source_type;
};

int store_obs_begin(struct store *s, const char *actor, const char *kind,
		    const char *file_name, const char *sha256, bool synthetic,
		    struct store_obs_writer **out, struct cdg_err *e);
/* Like store_obs_begin, inside the caller's open transaction (for use
 * cases that write observations together with other records);
 * store_obs_end() then only closes the batch (commit: record its row
 * count) and leaves the transaction to the caller. */
int store_obs_attach(struct store *s, const char *kind, const char *file_name,
		     bool synthetic, struct store_obs_writer **out,
		     struct cdg_err *e);
/* Adds one observation.  A row for the same (indicator, state, year) from
 * an earlier import is superseded (kept, no longer current); an identical
 * current row (same value, source and note) is left alone (returns 0,
 * nothing written).  A second row for the same key within this writer's
 * batches fails with CDG_EINPUT, e->line set to the line of the first.
 * Returns 1 when a row was written. */
int store_obs_put(struct store_obs_writer *w, const struct store_obs *o,
		  struct cdg_err *e);
/* The source type of a batch (docs/public-evidence.md): self_reported (a
 * State's survey), desk_research (public evidence checked by analysts) or
 * derived (computed from cdg's registries).  Unless set with
 * store_obs_source_type (before the first row; the string must outlive the
 * writer), it follows from the batch's kind: survey and demo rounds and
 * values derived from surveys are self_reported, other derived values
 * derived, reference data and imported files desk_research. */
const char *store_source_type_of(const char *kind, const char *file_name);
bool store_source_type_ok(const char *t);
/* The store's own string for source type t (outlives any writer), or NULL
 * if t is none of the three. */
const char *store_source_type_canon(const char *t);
void store_obs_source_type(struct store_obs_writer *w, const char *source_type);
/* Sets the SHA-256 (hex) recorded for the batch, for a file hashed while
 * it was read: store_obs_end() writes it with the row count. */
void store_obs_digest(struct store_obs_writer *w, const char *sha256);
/* Ends the batch: commits when commit is true (recording the number of
 * rows written), else rolls back.  Frees w either way. */
int store_obs_end(struct store_obs_writer *w, bool commit, struct cdg_err *e);

/* Calls fn for each current observation, ordered by indicator, state and
 * year (NULL indicator or iso3: all). */
struct store_obs_row {
	const char *indicator, *iso3, *source, *note, *entered_by, *entered_at;
	const char *source_type;   /* self_reported | desk_research | derived */
	long year;
	double value;
	long long batch;
	bool synthetic;
};
int store_obs_each(struct store *s, const char *indicator, const char *iso3,
		   int (*fn)(void *ctx, const struct store_obs_row *r),
		   void *ctx, struct cdg_err *e);

/* ---- survey responses --------------------------------------------------------- */

struct store_survey_info {
	long long id;            /* 0 if there is no response */
	char status[16];         /* draft | submitted | validated | published */
	int revision;            /* current revision */
	int published_revision;  /* 0 if never published */
	bool synthetic;
};

/* Looks up the response of iso3 for year (info->id = 0 if none). */
int store_survey_get(struct store *s, const char *iso3, long year,
		     struct store_survey_info *info, struct cdg_err *e);
/* Writes a new revision of the response (creating it at revision 1):
 * content is the canonical JSON of the whole response, answers its rows.
 * status is the status after this revision; action says what happened
 * ("import", "submit", ...).  Must run inside a transaction. */
struct store_answer {
	const char *question;        /* question id */
	const char *answer;          /* scale value or NULL */
	const char *comment;         /* NULL if none */
	const char *evidence_json;   /* JSON array of strings */
	const char *challenges;      /* NULL if none */
	const char *capacity_needs;  /* NULL if none */
};
int store_survey_put(struct store *s, const char *iso3, long year,
		     const char *status, const char *action, bool synthetic,
		     const char *content, const struct store_answer *answers,
		     size_t n, bool replace_answers, int *revision_out,
		     struct cdg_err *e);
/* Content (JSON) of one revision, copied into out; revision 0 = current. */
int store_survey_content(struct store *s, const char *iso3, long year,
			 int revision, struct buf *out, struct cdg_err *e);
/* Revision list as JSON array [{revision, status, action, actor, at}]. */
int store_survey_history_json(struct store *s, const char *iso3, long year,
			      struct jw *w, struct cdg_err *e);
/* Calls fn for each response (optionally only published ones). */
int store_survey_each(struct store *s, bool published_only,
		      int (*fn)(void *ctx, const char *iso3, long year,
				const char *status, bool synthetic),
		      void *ctx, struct cdg_err *e);

/* Calls fn for each published response with the date and time its
 * published revision was submitted ("YYYY-MM-DDTHH:MM:SSZ"), in order of
 * state and submission. */
int store_survey_submissions(struct store *s,
			     int (*fn)(void *ctx, const char *iso3, long year,
				       const char *submitted, bool synthetic),
			     void *ctx, struct cdg_err *e);
/* Status ("draft", ...) that revision rev of a response was written with,
 * into out[16]; CDG_ENOTFOUND if there is no such revision. */
int store_survey_revision_status(struct store *s, const char *iso3, long year,
				 int rev, char out[16], struct cdg_err *e);
/* Number of survey revisions written by actor (e.g. "demo"). */
long long store_survey_revisions_by(struct store *s, const char *actor);
/* Calls fn for each answer of iso3's most recent response (any status)
 * that reports challenges or capacity needs. */
int store_survey_needs(struct store *s, const char *iso3,
		       int (*fn)(void *ctx, long year, const char *question,
				 const char *challenges, const char *needs,
				 const char *status),
		       void *ctx, struct cdg_err *e);

/* ---- accounts and sessions ---------------------------------------------------- */

struct store_account {
	long long id;
	char name[128];
	char role[24];             /* stakeholder | focal_point | editor | secretariat */
	char iso3[4];              /* the focal point's state, "" otherwise */
	char password_hash[160];   /* Argon2id string, "" if none */
	bool disabled;
};

/* Adds an account (inside a transaction); CDG_ECONFLICT if the name is
 * taken. */
int store_account_add(struct store *s, const char *name, const char *role,
		      const char *iso3, const char *password_hash,
		      struct cdg_err *e);
int store_account_get(struct store *s, const char *name,
		      struct store_account *out, struct cdg_err *e);
/* Sessions and API tokens: only the SHA-256 of a token is stored. */
int store_session_add(struct store *s, long long account, const char *kind,
		      const char *token_hash, const char *csrf,
		      const char *expires_at, const char *label,
		      struct cdg_err *e);
/* The live (not expired at now, not revoked) session of token_hash, its
 * account, CSRF token and kind; CDG_EPERM if none. */
int store_session_find(struct store *s, const char *token_hash,
		       const char *now, struct store_account *acct,
		       char csrf[65], char kind[16], struct cdg_err *e);
int store_session_revoke(struct store *s, const char *token_hash,
			 struct cdg_err *e);
/* Sets an account's disabled flag (-1: unchanged) and password hash (NULL:
 * unchanged), inside a transaction; CDG_ENOTFOUND if there is no such
 * account. */
int store_account_set(struct store *s, const char *name, int disabled,
		      const char *password_hash, struct cdg_err *e);
/* Revokes the live sessions of an account, of kind ("session", "api") or
 * all (NULL); *n (may be NULL) gets how many. */
int store_sessions_revoke(struct store *s, long long account, const char *kind,
			  long long *n, struct cdg_err *e);
/* Revokes the API token whose id (the first hex digits of its hash, as
 * store_tokens_json lists it) is id; account gets its account's name.
 * CDG_ENOTFOUND if none, CDG_EUSAGE if id fits several. */
int store_token_revoke(struct store *s, const char *id, char account[128],
		       struct cdg_err *e);
/* Accounts (never their hashes) and API tokens (id, account, label,
 * dates, state live|expired|revoked at now; of one account or all) as
 * JSON arrays. */
int store_accounts_json(struct store *s, struct jw *w, struct cdg_err *e);
int store_tokens_json(struct store *s, const char *account, const char *now,
		      struct jw *w, struct cdg_err *e);

/* ---- countries --------------------------------------------------------------- */

/* Every state's ISO alpha-3 and M49 codes (m49[i] may be ""), copied into
 * the arena; n set to the count. */
int store_country_codes(struct store *s, struct arena *a, const char ***iso3,
			const char ***m49, size_t *n, struct cdg_err *e);

/* A run of upserts that stops at the first error: callers write many rows
 * and check once.  rc is the first error (0 if none); written counts the
 * rows inserted or changed. */
struct store_batch {
	struct store *st;
	struct cdg_err *e;
	int rc;
	long long written;
};
void store_batch_upsert(struct store_batch *b, const char *table,
			const char *const *cols, const struct store_val *vals,
			size_t ncols, size_t nkey);

/* ---- reads -------------------------------------------------------------- */

/* Runs a read-only query of this module's fixed set (named by id), with
 * text parameters, writing the rows as a JSON array of objects (column
 * names as keys) to w.  Used for simple listings.  Returns the row count or
 * a negative code. */
int store_query_json(struct store *s, const char *query_id,
		     const char *const *params, size_t nparams, struct jw *w,
		     struct cdg_err *e);
/* The integer in the first column of a fixed query's first row (a
 * count); CDG_ENOTFOUND if there is no row. */
int store_query_int(struct store *s, const char *query_id,
		    const char *const *params, size_t nparams, long long *out,
		    struct cdg_err *e);
/* Writes one row of a fixed query as a JSON object; CDG_ENOTFOUND if no
 * row. */
int store_row_json(struct store *s, const char *query_id,
		   const char *const *params, size_t nparams, struct jw *w,
		   struct cdg_err *e);
/* A number that changes whenever the database may have changed, by this
 * connection or any other (HTTP response caches compare it): SQLite's
 * PRAGMA data_version, which sees other connections' commits, plus the
 * commits of this connection, which it omits.  It asks SQLite every time
 * (a read transaction, with SQLite's own locks): no file of SQLite's is
 * opened or mapped behind its back.  -1 on failure. */
long long store_data_version(struct store *s);
/* Sets this connection's page cache to mib MiB, or back to the 64 MiB it
 * opens with when mib is 0.  A bulk import into tables keyed by random
 * ids (the registry's UUIDs) re-reads fewer evicted index pages with a
 * larger one. */
int store_cache_mib(struct store *s, int mib, struct cdg_err *e);
/* Number of rows in audit_log (for tests and status). */
long long store_audit_count(struct store *s);
/* Counts rows of a table among the known reference/catalog tables. */
long long store_count(struct store *s, const char *table);


/* ---- index editions -------------------------------------------------------- */

/* An annual edition of the country index, frozen: the methodology text,
 * the SHA-256 of the canonical input snapshot, the inputs themselves (with
 * the observation each came from and its source) and every result.  A
 * draft edition may be recomputed (replaced whole); once published, the
 * database refuses any UPDATE or DELETE of it, its inputs or results
 * (triggers), and writes outside a cdg transaction are refused too. */
struct store_edition {
	long year;                     /* the edition */
	const char *methodology_id;    /* "id" of the methodology */
	const char *methodology;       /* the methodology file, verbatim */
	char methodology_sha256[65];   /* of that text */
	char input_sha256[65];         /* of the canonical input snapshot */
	long mc_reps;                  /* Monte Carlo replications, 0 none */
	unsigned long long mc_seed;    /* their seed */
	long n_units, n_ranked, n_inputs; /* states, states ranked, inputs */
	bool published;
	const char *created_by, *created_at;     /* on reads */
	const char *published_by, *published_at; /* "" while a draft */
};

/* One input value of an edition, with its provenance. */
struct store_index_input {
	const char *iso3;       /* state */
	const char *indicator;  /* catalog indicator id */
	long year;              /* year of the observation used */
	double value;           /* its value */
	long long obs_id;       /* observation row it came from */
	const char *source;     /* the observation's source */
	bool synthetic;         /* synthetic (demo) data */
};

/* One result: a state's score and rank on one node.  NAN and rank 0 mean
 * none (stored as NULL). */
struct store_index_result {
	const char *iso3;
	const char *node;       /* methodology node id */
	double score;
	int rank;
	double rank_median, rank_p05, rank_p95; /* Monte Carlo, aggregates */
};

/* The sensitivity of an edition's index to one uncertain choice of its
 * methodology (a Sobol analysis of n (d + 2) runs with the edition's
 * seed).  NAN (stored as NULL) where the output did not vary. */
struct store_index_sensitivity {
	const char *factor;     /* "weights", "normalisation", ... */
	long n;                 /* Saltelli base sample N */
	double si, sti;         /* first-order and total Sobol indices */
};

/* Calls fn for the current observation of the latest year <= year of each
 * (state, indicator), ordered by state then indicator. */
int store_edition_candidates(struct store *s, long year,
			     int (*fn)(void *ctx, const struct store_index_input *r),
			     void *ctx, struct cdg_err *e);
/* Stores edition ed (created_by/at from the transaction) with its inputs,
 * results and sensitivity indices (n_sens may be 0) in one transaction on
 * behalf of actor, replacing an unpublished edition of the same year;
 * CDG_ECONFLICT if it is published. */
int store_edition_freeze(struct store *s, const char *actor,
			 const struct store_edition *ed,
			 const struct store_index_input *in, size_t n_in,
			 const struct store_index_result *res, size_t n_res,
			 const struct store_index_sensitivity *sens,
			 size_t n_sens, struct cdg_err *e);
/* Reads edition year (strings into a); CDG_ENOTFOUND if none. */
int store_edition_get(struct store *s, long year, struct store_edition *ed,
		      struct arena *a, struct cdg_err *e);
/* Calls fn for every edition, by year. */
int store_edition_each(struct store *s,
		       int (*fn)(void *ctx, const struct store_edition *ed),
		       void *ctx, struct cdg_err *e);
/* The frozen inputs of an edition, by state then indicator. */
int store_edition_inputs(struct store *s, long year,
			 int (*fn)(void *ctx, const struct store_index_input *r),
			 void *ctx, struct cdg_err *e);
/* The results of an edition (iso3 NULL: all states), by state, nodes in
 * the order stored. */
int store_edition_results(struct store *s, long year, const char *iso3,
			  int (*fn)(void *ctx, const struct store_index_result *r),
			  void *ctx, struct cdg_err *e);
/* The sensitivity indices of an edition, in the order stored (none if
 * it was computed without a sensitivity analysis). */
int store_edition_sensitivity(struct store *s, long year,
			      int (*fn)(void *ctx,
					const struct store_index_sensitivity *r),
			      void *ctx, struct cdg_err *e);
/* Marks a draft edition published; CDG_ECONFLICT if missing or already. */
int store_edition_publish(struct store *s, const char *actor, long year,
			  struct cdg_err *e);

/* ---- cybercrime co-operation (issue 7) ------------------------------------- */

/* Tables of migration 4: crime_article, crime_treaty (threshold and notes
 * beside `treaty`), crime_treaty_scope, crime_coverage, crime_mlat
 * (a < b), crime_contact247, crime_group_member; all audited, written with
 * store_upsert().  Parties of every treaty live in treaty_party.  Reads
 * call fn once per row; strings (NULL for SQL NULL) are valid only during
 * the call.  fn returning non-zero stops the read with that code. */

/* Inserts a treaty's base row unless one exists (init's ETS185/CETS224
 * rows stay as they are).  Returns 1 if inserted, 0 if it existed. */
int store_crime_treaty_base(struct store *s, const char *id, const char *name,
			    const char *short_name, const char *source_url,
			    struct cdg_err *e);

struct store_crime_state {
	const char *iso3;
	bool member;             /* UN member (else observer State) */
};
/* Every state of `country`, by iso3. */
int store_crime_states(struct store *s,
		       int (*fn)(void *ctx, const struct store_crime_state *r),
		       void *ctx, struct cdg_err *e);

struct store_crime_party {
	const char *treaty, *iso3;
	const char *status;      /* party | signatory | invited */
	const char *signed_on, *consent, *in_force; /* ISO dates or NULL */
	const char *source_url, *note;
};
/* treaty_party rows of treaty (NULL: all), by treaty then iso3. */
int store_crime_parties(struct store *s, const char *treaty,
			int (*fn)(void *ctx, const struct store_crime_party *r),
			void *ctx, struct cdg_err *e);

struct store_crime_cov {
	const char *iso3, *article;
	const char *covered;     /* yes | partial | no | unknown */
	const char *citation, *source_url, *basis, *note;
};
/* Coverage rows of iso3 (NULL: all), by iso3 then article order. */
int store_crime_coverage(struct store *s, const char *iso3,
			 int (*fn)(void *ctx, const struct store_crime_cov *r),
			 void *ctx, struct cdg_err *e);

struct store_crime_mlat {
	const char *a, *b;       /* a < b */
	const char *signed_on, *in_force; /* ISO dates or NULL */
	const char *source_url, *note;
};
int store_crime_mlats(struct store *s,
		      int (*fn)(void *ctx, const struct store_crime_mlat *r),
		      void *ctx, struct cdg_err *e);

struct store_crime_contact {
	const char *iso3;
	const char *since;       /* ISO date or NULL (date unknown) */
	const char *source_url, *note;
};
int store_crime_contacts(struct store *s,
			 int (*fn)(void *ctx, const struct store_crime_contact *r),
			 void *ctx, struct cdg_err *e);

struct store_crime_member {
	const char *group, *iso3;
	const char *since, *until; /* ISO dates or NULL */
	const char *source_url;
	const char *basis;       /* verified | unverified */
	const char *note;
};
/* Members of a threshold sub-group ("coe_member"), by iso3. */
int store_crime_members(struct store *s, const char *group,
			int (*fn)(void *ctx, const struct store_crime_member *r),
			void *ctx, struct cdg_err *e);

/* The ETS 185 articles as a JSON array (id, article, title, kind, class,
 * class_reason, un {article, title, verified} or null, summary, treaties
 * whose scope covers it).  Returns the count or a negative code. */
int store_crime_articles_json(struct store *s, struct jw *w,
			      struct cdg_err *e);


/* ---- accountability registry (issue 5) ------------------------------------- */

/* Tables of migration 5 (reg_sector, reg_actor, reg_incident with
 * reg_incident_victim and reg_incident_sector, reg_attribution with
 * reg_invocation and reg_response, reg_standard, reg_doctrine,
 * reg_position), all audited and written with store_upsert(); reg_fts is
 * their FTS5 index, kept by triggers.  Reads run one of a fixed set of
 * queries by name (see store/registry.c): "incidents" (params: state,
 * norm, since, FTS5 query; NULL = no filter), "incident_victims",
 * "incident_sectors", "attributions", "invocations", "responses" (param:
 * parent id or NULL for all), "actors", "actors_used", "docs" (param:
 * state or NULL), "violations" (norm), "country_attributions" (state),
 * "state_statements", "sectors", "standard", "actor" (id), "counts",
 * "states" (codes and names of every state), "actor_rels" (actors
 * attributed to actors, migration 14), "incident_titles" (id, title).
 * Incidents, attributions and actors end with created and modified. */
struct store_row {
	size_t n;                     /* columns */
	const char *const *names;     /* column names */
	const struct store_val *v;    /* values; strings valid during fn */
};
/* Calls fn for each row; fn returning non-zero stops with that code.  A
 * malformed FTS5 query gives CDG_EUSAGE. */
int store_reg_each(struct store *s, const char *query,
		   const char *const *params, size_t np,
		   int (*fn)(void *ctx, const struct store_row *r), void *ctx,
		   struct cdg_err *e);
/* Deletes the child rows a record no longer has (audited): "invocations"
 * or "responses" of attribution id from position keep on; "victims" or
 * "sectors" of incident id not in keep_json (a JSON array of codes);
 * "actor_rels" of actor id whose target is not in keep_json.
 * Returns the rows deleted. */
int store_reg_trim(struct store *s, const char *what, const char *id,
		   long keep, const char *keep_json, struct cdg_err *e);
/* Records of migration 14 carry their version's STIX timestamps, created
 * and modified (reg_incident, reg_attribution, reg_actor).  Like
 * store_upsert(), but the last two of cols must be "created" and
 * "modified" (NULL values: the transaction's time): an existing row keeps
 * its created, and takes the new modified only when another value
 * differs, so that modified changes only when the record does. */
int store_upsert_versioned(struct store *s, const char *table,
			   const char *const *cols, const struct store_val *vals,
			   size_t ncols, size_t nkey, struct cdg_err *e);
/* Sets modified of record id in table (a versioned table above) to
 * modified, or to the transaction's time when NULL: for a change to its
 * child rows alone.  Returns 1 if written, 0 if it already had it. */
int store_reg_touch(struct store *s, const char *table, const char *id,
		    const char *modified, struct cdg_err *e);

/* ---- norms (norms.c) ---------------------------------------------------------- */

/* One answer of a published survey response to a question of a norm, as
 * the published revision states it; strings valid during the callback. */
struct store_norm_answer {
	const char *iso3, *name;     /* the state and its name */
	long year;                   /* reporting year */
	int revision;                /* the published revision */
	bool synthetic;              /* demo data (cdg demo) */
	const char *question, *text; /* question id and wording */
	const char *answer;          /* scale value, NULL if unanswered */
	const char *comment;         /* NULL if none */
	const char *evidence_json;   /* JSON array of strings */
};
/* Calls fn for each answer to a question of norm in every published
 * response, by state, year and question order. */
int store_norm_answers_each(struct store *s, const char *norm,
			    int (*fn)(void *ctx, const struct store_norm_answer *r),
			    void *ctx, struct cdg_err *e);


/* ---- the standing forum (forum.c, issue 9) ------------------------------------ */

/* Tables of migration 9 (forum_org, forum_member, forum_session,
 * forum_item, forum_doc with forum_doc_version, forum_proposal with
 * forum_proposal_version, forum_comment, forum_endorsement,
 * forum_decision with forum_decision_basis, forum_action with
 * forum_action_update), all audited; versions, comments, decisions and
 * action updates are never changed or deleted (triggers).  Every
 * statement is one of a fixed set named in forum.c; parameters are
 * ?1, ?2 ... in order.  The use cases in app/forum.c check their input
 * and authority first; the schema's constraints are the last line. */

/* Runs write statement stmt inside the open transaction.  Returns the
 * number of rows changed (0: nothing matched) or a negative code
 * (CDG_ECONFLICT for a constraint); *rowid (may be NULL) gets the new
 * row's id. */
int store_forum_write(struct store *s, const char *stmt,
		      const struct store_val *v, size_t n, long long *rowid,
		      struct cdg_err *e);
/* The integer that lookup query gives (existence, counts, owners);
 * CDG_ENOTFOUND, with e untouched, when it gives no row. */
int store_forum_int(struct store *s, const char *query,
		    const struct store_val *v, size_t n, long long *out,
		    struct cdg_err *e);
/* Appends the JSON text that query builds (a list: "orgs", "my_orgs"
 * (account), "sessions", "items" (session), "documents" (signed_in,
 * session or NULL), "proposals" (session or NULL), "decisions" (session
 * or NULL), "actions" (state or NULL); one record: "session" (id, with its items), "document" (signed_in, id), "proposal", "decision", "action"
 * (id)).  Registered documents are read only when signed_in is 1.
 * CDG_ENOTFOUND, with e untouched, when a record does not exist. */
int store_forum_json(struct store *s, const char *query,
		     const struct store_val *v, size_t n, struct buf *out,
		     struct cdg_err *e);
/* Calls fn for each row of query: "feed" (public documents, proposals
 * and decisions, newest first, at most 200: kind, id, title, updated,
 * published, author, summary) or "monitor" (actions with their owner;
 * param: state or NULL). */
int store_forum_each(struct store *s, const char *query,
		     const struct store_val *v, size_t n,
		     int (*fn)(void *ctx, const struct store_row *r), void *ctx,
		     struct cdg_err *e);
/* ---- capacity building and agreements (issue 8, capacity.c) -------------------- */

/* Tables of migration 8 (participants gained status, checked and note in
 * migration 13), written with store_upsert().  Reads run one of a
 * fixed set of queries by name: "initiatives" (every capacity-building
 * initiative, lists as JSON arrays), "industry_norms", "agreements" and
 * "agreement" (id) with commitment and participant counts, "commitments"
 * (agreement id or NULL for all), "participants" (agreement id: its own
 * list: name, iso3, kind, role, date, source_url, status, checked, note),
 * "treaty_participants" (agreement id: the parties of its treaty from the
 * reference data, same columns), "companies" (industry norm id or NULL),
 * "state_agreements" (iso3: the agreements it takes part in, its role,
 * date, source, status and the day checked). */
int store_cap_each(struct store *s, const char *query,
		   const char *const *params, size_t np,
		   int (*fn)(void *ctx, const struct store_row *r), void *ctx,
		   struct cdg_err *e);
/* An agreement's participants from the agreements file sit at positions
 * 0, 1, ...; those from the desk-research list
 * (data/evidence/agreement_participants.csv) from this position on, so
 * that revising either list leaves the other alone. */
#define STORE_AGR_DESK_POSITION 1000000L
/* Deletes (audited) an agreement's participants of the agreements file
 * from position participants on and its commitments whose id is not in
 * commitments_json (a JSON array).  Returns the rows deleted. */
int store_agr_trim(struct store *s, const char *agreement, long participants,
		   const char *commitments_json, struct cdg_err *e);
/* Deletes (audited) an agreement's desk-research participants after the
 * first participants of them.  Returns the rows deleted. */
int store_agr_trim_desk(struct store *s, const char *agreement, long participants,
			struct cdg_err *e);

#endif
