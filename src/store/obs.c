/* Indicator observations: bulk writer and reads.  See store.h. */
#include "store/store_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Interned source URLs the writer has seen, direct-mapped by hash: a few
 * thousand distinct sources cost one lookup each, and memory stays the
 * same whatever the file's size. */
#define SOURCE_SLOTS 4096

struct source_slot {
	char *url;    /* owned copy, NULL if the slot is empty */
	long long id; /* its obs_source id */
};

/* The source types, in the order of the writer's batches. */
#define N_SOURCE_TYPES 3
static const char *const source_types[N_SOURCE_TYPES] = {"self_reported",
	"desk_research", "derived"};

struct store_obs_writer {
	struct store *s;
	struct arena arena;       /* the key sets' strings */
	struct strmap indicators; /* valid indicator id -> obs_indicator id */
	struct strmap states;     /* valid ISO alpha-3 code -> obs_country id */
	bool own_tx;              /* store_obs_begin opened the transaction */
	const char *kind, *file_name, *sha256; /* for the batch row */
	const char *source_type;  /* rows without their own; NULL: from kind */
	bool synthetic;           /* rows are demo data */
	struct {
		long long id;     /* import_batch id, 0 until a row is written */
		long long rows;   /* rows written */
	} batch[N_SOURCE_TYPES];  /* one per source type, in source_types order */
	sqlite3_stmt *ins;        /* INSERT into obs */
	sqlite3_stmt *cur;        /* current row for a key */
	sqlite3_stmt *mark;       /* UPDATE superseded_by */
	sqlite3_stmt *src_get;    /* obs_source id of a URL */
	sqlite3_stmt *src_add;    /* INSERT into obs_source */
	struct source_slot *sources; /* SOURCE_SLOTS cached URL ids */
};

static int prep(struct store *s, const char *sql, sqlite3_stmt **st,
		struct cdg_err *e)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
			       NULL) != SQLITE_OK)
		return store_dberr(s, e, "preparing a statement");
	return 0;
}

static void writer_free(struct store_obs_writer *w)
{
	strmap_free(&w->indicators);
	strmap_free(&w->states);
	arena_free(&w->arena);
	sqlite3_finalize(w->ins);
	sqlite3_finalize(w->cur);
	sqlite3_finalize(w->mark);
	sqlite3_finalize(w->src_get);
	sqlite3_finalize(w->src_add);
	for (size_t i = 0; i < SOURCE_SLOTS; i++)
		free(w->sources[i].url);
	free(w->sources);
	free(w);
}

/* Interns catalog indicators and states not seen before (a no-op unless
 * the catalog grew), then loads both key sets with their interned ids. */
static int load_keys(struct store_obs_writer *w, struct cdg_err *e)
{
	struct store *s = w->s;
	int rc = 0;
	if (sqlite3_exec(s->db,
		"INSERT INTO obs_indicator(code) SELECT id FROM indicator"
		" WHERE id NOT IN (SELECT code FROM obs_indicator) ORDER BY id;"
		"INSERT INTO obs_country(iso3) SELECT iso3 FROM country"
		" WHERE iso3 NOT IN (SELECT iso3 FROM obs_country) ORDER BY iso3;",
		NULL, NULL, NULL) != SQLITE_OK)
		return store_dberr(s, e, "interning indicators and states");
	static const char *const keysql[] = {
		"SELECT k.code, k.id FROM obs_indicator k JOIN indicator i ON i.id = k.code",
		"SELECT k.iso3, k.id FROM obs_country k JOIN country c ON c.iso3 = k.iso3"};
	for (int i = 0; i < 2 && rc == 0; i++) {
		sqlite3_stmt *k = NULL;
		rc = prep(s, keysql[i], &k, e);
		while (rc == 0 && sqlite3_step(k) == SQLITE_ROW) {
			char *key = arena_strdup(&w->arena,
						 (const char *)sqlite3_column_text(k, 0));
			uintptr_t id = (uintptr_t)sqlite3_column_int64(k, 1);
			strmap_put(i ? &w->states : &w->indicators, key, (void *)id);
		}
		sqlite3_finalize(k);
	}
	return rc;
}

/* Sets up a writer inside the open transaction. */
static int attach(struct store *s, const char *kind, const char *file_name,
		  const char *sha256, bool synthetic, bool own_tx,
		  struct store_obs_writer **out, struct cdg_err *e)
{
	struct store_obs_writer *w = xcalloc(1, sizeof *w);
	w->s = s;
	w->own_tx = own_tx;
	w->sources = xcalloc(SOURCE_SLOTS, sizeof *w->sources);
	arena_init(&w->arena);
	strmap_init(&w->indicators);
	strmap_init(&w->states);
	int rc = load_keys(w, e);
	if (rc == 0)
		rc = prep(s, "INSERT INTO obs(indicator, country, year, value,"
			     " source, note, batch_id, line, entered_by, entered_at,"
			     " synthetic) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
			  &w->ins, e);
	if (rc == 0)
		rc = prep(s, "SELECT id, batch_id, line, value, source,"
			     " coalesce(note, '') FROM obs WHERE " OBS_KEY("") " = ?1"
			     " AND superseded_by IS NULL", &w->cur, e);
	if (rc == 0)
		rc = prep(s, "UPDATE obs SET superseded_by = ?2 WHERE id = ?1",
			  &w->mark, e);
	if (rc == 0)
		rc = prep(s, "SELECT id FROM obs_source WHERE url = ?1", &w->src_get, e);
	if (rc == 0)
		rc = prep(s, "INSERT INTO obs_source(url) VALUES (?1)", &w->src_add, e);
	if (rc) {
		writer_free(w);
		return rc;
	}
	w->kind = arena_strdup(&w->arena, kind);
	w->file_name = arena_strdup(&w->arena, file_name);
	w->sha256 = arena_strdup(&w->arena, sha256);
	w->synthetic = synthetic;
	*out = w;
	return 0;
}

int store_obs_begin(struct store *s, const char *actor, const char *kind,
		    const char *file_name, const char *sha256, bool synthetic,
		    struct store_obs_writer **out, struct cdg_err *e)
{
	*out = NULL;
	/* Foreign keys are checked here against in-memory key sets instead of
	 * by SQLite row by row: that check alone is a third of a bulk
	 * import's time.  The pragma cannot change inside a transaction. */
	sqlite3_exec(s->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
	int rc = store_tx_begin(s, actor, e);
	if (rc == 0)
		rc = attach(s, kind, file_name, sha256, synthetic, true, out, e);
	if (rc) {
		store_tx_rollback(s);
		sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	}
	return rc;
}

const char *store_source_type_of(const char *kind, const char *file_name)
{
	if (strcmp(kind, "survey") == 0 || strcmp(kind, "demo") == 0 ||
	    (strcmp(kind, "derived") == 0 && strstr(file_name, "survey")))
		return "self_reported";
	return strcmp(kind, "derived") == 0 ? "derived" : "desk_research";
}

const char *store_source_type_canon(const char *t)
{
	for (int i = 0; t && i < N_SOURCE_TYPES; i++)
		if (strcmp(t, source_types[i]) == 0)
			return source_types[i];
	return NULL;
}

bool store_source_type_ok(const char *t)
{
	return store_source_type_canon(t) != NULL;
}

void store_obs_source_type(struct store_obs_writer *w, const char *source_type)
{
	w->source_type = source_type;
}

int store_obs_attach(struct store *s, const char *kind, const char *file_name,
		     bool synthetic, struct store_obs_writer **out,
		     struct cdg_err *e)
{
	*out = NULL;
	if (!s->in_tx)
		return err_set(e, CDG_EINTERNAL, "store_obs_attach outside a transaction");
	return attach(s, kind, file_name, "-", synthetic, false, out, e);
}

/* The index in source_types of a row's source type (its own, else the
 * writer's, else the one its kind implies), or -1 if it is not one. */
static int type_of(const struct store_obs_writer *w, const struct store_obs *o)
{
	const char *t = o->source_type && *o->source_type ? o->source_type
			: w->source_type ? w->source_type
			: store_source_type_of(w->kind, w->file_name);
	for (int i = 0; i < N_SOURCE_TYPES; i++)
		if (strcmp(t, source_types[i]) == 0)
			return i;
	return -1;
}

/* Whether batch is one of this writer's. */
static bool own_batch(const struct store_obs_writer *w, long long batch)
{
	for (int i = 0; i < N_SOURCE_TYPES; i++)
		if (w->batch[i].id && w->batch[i].id == batch)
			return true;
	return false;
}

/* A batch row is written with the first observation of its source type,
 * so a batch that changes nothing leaves no trace (re-running cdg init is
 * silent).  It holds who wrote its rows, when, and whether they are
 * synthetic. */
static int ensure_batch(struct store_obs_writer *w, int type, struct cdg_err *e)
{
	if (w->batch[type].id)
		return 0;
	struct store *s = w->s;
	sqlite3_stmt *b = NULL;
	int rc = prep(s, "INSERT INTO import_batch(kind, file_name, sha256, synthetic,"
			 " actor, at, source_type) VALUES (?1, ?2, ?3, ?4, cdg_actor(),"
			 " cdg_now(), ?5)", &b, e);
	if (rc == 0) {
		sqlite3_bind_text(b, 1, w->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(b, 2, w->file_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(b, 3, w->sha256, -1, SQLITE_STATIC);
		sqlite3_bind_int(b, 4, w->synthetic);
		sqlite3_bind_text(b, 5, source_types[type], -1, SQLITE_STATIC);
		if (sqlite3_step(b) != SQLITE_DONE)
			rc = store_dberr(s, e, "recording the import batch");
		else
			w->batch[type].id = sqlite3_last_insert_rowid(s->db);
	}
	sqlite3_finalize(b);
	return rc;
}

static size_t url_hash(const char *u)
{
	size_t h = 2166136261u; /* FNV-1a */
	for (; *u; u++)
		h = (h ^ (unsigned char)*u) * 16777619u;
	return h % SOURCE_SLOTS;
}

/* Sets *id to url's obs_source id.  If url was never recorded: with add,
 * records it; without, sets *id to 0. */
static int source_id(struct store_obs_writer *w, const char *url, bool add,
		     long long *id, struct cdg_err *e)
{
	struct source_slot *slot = &w->sources[url_hash(url)];
	if (slot->url && strcmp(slot->url, url) == 0) {
		*id = slot->id;
		return 0;
	}
	sqlite3_stmt *q = w->src_get;
	sqlite3_bind_text(q, 1, url, -1, SQLITE_STATIC);
	int step = sqlite3_step(q);
	*id = step == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_dberr(w->s, e, "reading a source");
	if (!*id && !add)
		return 0;
	if (!*id) {
		sqlite3_bind_text(w->src_add, 1, url, -1, SQLITE_STATIC);
		step = sqlite3_step(w->src_add);
		sqlite3_reset(w->src_add);
		if (step != SQLITE_DONE)
			return store_dberr(w->s, e, "recording a source");
		*id = sqlite3_last_insert_rowid(w->s->db);
	}
	free(slot->url);
	slot->url = xstrdup(url);
	slot->id = *id;
	return 0;
}

/* The interned form of one observation. */
struct key {
	long long indicator, country, source; /* interned ids */
};

/* Reads the key's current row: SQLITE_ROW (columns of w->cur readable
 * until the caller resets it), SQLITE_DONE, or an error code. */
static int current(struct store_obs_writer *w, const struct key *k,
		   const struct store_obs *o)
{
	sqlite3_stmt *c = w->cur;
	sqlite3_bind_int64(c, 1, (k->indicator << 24) | (k->country << 12) | o->year);
	return sqlite3_step(c);
}

/* Whether the current row read by current() has o's content. */
static bool current_same(struct store_obs_writer *w, const struct key *k,
			 const struct store_obs *o)
{
	sqlite3_stmt *c = w->cur;
	return sqlite3_column_double(c, 3) == o->value &&
	       sqlite3_column_int64(c, 4) == k->source &&
	       strcmp((const char *)sqlite3_column_text(c, 5), o->note ? o->note : "") == 0;
}

static int mark(struct store_obs_writer *w, long long id, long long by,
		struct cdg_err *e)
{
	sqlite3_bind_int64(w->mark, 1, id);
	sqlite3_bind_int64(w->mark, 2, by);
	int step = sqlite3_step(w->mark);
	sqlite3_reset(w->mark);
	return step == SQLITE_DONE ? 0 : store_dberr(w->s, e, "superseding");
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int insert(struct store_obs_writer *w, const struct key *k,
		  const struct store_obs *o, int type)
{
	sqlite3_stmt *st = w->ins;
	sqlite3_bind_int64(st, 7, w->batch[type].id);
	bind_opt(st, 9, o->entered_by);
	bind_opt(st, 10, o->entered_at);
	if (o->synthetic && !w->synthetic)
		sqlite3_bind_int(st, 11, 1);
	else
		sqlite3_bind_null(st, 11);
	sqlite3_bind_int64(st, 1, k->indicator);
	sqlite3_bind_int64(st, 2, k->country);
	sqlite3_bind_int64(st, 3, o->year);
	sqlite3_bind_double(st, 4, o->value);
	sqlite3_bind_int64(st, 5, k->source);
	bind_opt(st, 6, o->note);
	if (o->line > 0)
		sqlite3_bind_int64(st, 8, o->line);
	else
		sqlite3_bind_null(st, 8);
	int step = sqlite3_step(st);
	int ext = sqlite3_extended_errcode(w->s->db);
	sqlite3_reset(st);
	return step == SQLITE_DONE ? SQLITE_DONE : ext;
}

int store_obs_put(struct store_obs_writer *w, const struct store_obs *o,
		  struct cdg_err *e)
{
	struct key k = {(long long)(uintptr_t)strmap_get(&w->indicators, o->indicator),
			(long long)(uintptr_t)strmap_get(&w->states, o->iso3), 0};
	if (!k.indicator)
		return err_set(e, CDG_EINPUT, "unknown indicator \"%s\"", o->indicator);
	if (!k.country)
		return err_set(e, CDG_EINPUT, "unknown state \"%s\"", o->iso3);
	if (o->year < 0 || o->year > 4095)
		return err_set(e, CDG_EINPUT, "year %ld is out of range", o->year);
	int type = type_of(w, o);
	if (type < 0)
		return err_set(e, CDG_EINPUT, "\"%s\" is not self_reported, "
			       "desk_research or derived", o->source_type);
	bool seen = false;       /* the key's current row was read */
	long long old = 0, batch = 0;
	long line = 0;
	bool same = false;
	if (!w->batch[type].id) {
		/* Until something of this type is written there is no batch:
		 * an unchanged row must not create one, nor record its
		 * source. */
		int rc0 = source_id(w, o->source, false, &k.source, e);
		if (rc0)
			return rc0;
		int step = current(w, &k, o);
		if (step == SQLITE_ROW) {
			seen = true;
			old = sqlite3_column_int64(w->cur, 0);
			batch = sqlite3_column_int64(w->cur, 1);
			line = (long)sqlite3_column_int64(w->cur, 2);
			same = current_same(w, &k, o);
		}
		sqlite3_reset(w->cur);
		if (step != SQLITE_ROW && step != SQLITE_DONE)
			return store_dberr(w->s, e, "reading the current observation");
		if (same && !own_batch(w, batch))
			return 0;
		if (!seen || !own_batch(w, batch)) {
			rc0 = ensure_batch(w, type, e);
			if (rc0)
				return rc0;
		}
	}
	int rc = 0;
	if (!seen) {
		rc = source_id(w, o->source, true, &k.source, e);
		if (rc)
			return rc;
		/* Insert first: a new key (the common case) costs one
		 * statement, and only a UNIQUE conflict on the current row
		 * leads to supersession. */
		int r = insert(w, &k, o, type);
		if (r == SQLITE_DONE) {
			w->batch[type].rows++;
			return 1;
		}
		if (r != SQLITE_CONSTRAINT_UNIQUE)
			return store_dberr(w->s, e, "writing an observation");
		if (current(w, &k, o) != SQLITE_ROW) {
			sqlite3_reset(w->cur);
			return store_dberr(w->s, e, "reading the current observation");
		}
		sqlite3_stmt *c = w->cur;
		old = sqlite3_column_int64(c, 0);
		batch = sqlite3_column_int64(c, 1);
		line = (long)sqlite3_column_int64(c, 2);
		same = current_same(w, &k, o);
		sqlite3_reset(c);
	}
	/* The key has a current row: one of this writer's batches means a
	 * duplicate in the file; identical content is a no-op; otherwise the
	 * new row supersedes. */
	if (own_batch(w, batch)) {
		rc = err_set(e, CDG_EINPUT,
			     "%s %s %ld appears twice in the file (first on line %ld)",
			     o->indicator, o->iso3, o->year, line);
		if (e)
			e->line = line;
		return rc;
	}
	if (same)
		return 0;
	rc = source_id(w, o->source, true, &k.source, e);
	if (rc == 0)
		rc = mark(w, old, old, e);
	if (rc)
		return rc;
	if (insert(w, &k, o, type) != SQLITE_DONE)
		return store_dberr(w->s, e, "writing an observation");
	rc = mark(w, old, sqlite3_last_insert_rowid(w->s->db), e);
	if (rc)
		return rc;
	w->batch[type].rows++;
	return 1;
}

void store_obs_digest(struct store_obs_writer *w, const char *sha256)
{
	w->sha256 = arena_strdup(&w->arena, sha256);
}

int store_obs_end(struct store_obs_writer *w, bool commit, struct cdg_err *e)
{
	struct store *s = w->s;
	int rc = 0;
	for (int t = 0; commit && rc == 0 && t < N_SOURCE_TYPES; t++) {
		if (!w->batch[t].id)
			continue;
		sqlite3_stmt *u = NULL;
		rc = prep(s, "UPDATE import_batch SET rows = ?2, sha256 = ?3"
			  " WHERE id = ?1", &u, e);
		if (rc == 0) {
			sqlite3_bind_int64(u, 1, w->batch[t].id);
			sqlite3_bind_int64(u, 2, w->batch[t].rows);
			sqlite3_bind_text(u, 3, w->sha256, -1, SQLITE_STATIC);
			if (sqlite3_step(u) != SQLITE_DONE)
				rc = store_dberr(s, e, "closing the import batch");
		}
		sqlite3_finalize(u);
	}
	bool own = w->own_tx;
	writer_free(w);
	if (!own)
		return rc;
	if (commit && rc == 0)
		rc = store_tx_commit(s, e);
	else
		store_tx_rollback(s);
	sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return rc;
}

int store_obs_each(struct store *s, const char *indicator, const char *iso3,
		   int (*fn)(void *ctx, const struct store_obs_row *r),
		   void *ctx, struct cdg_err *e)
{
	sqlite3_stmt *st;
	/* The loops run indicator by state, so that the current rows of one
	 * state come from one range of obs_current per indicator, in year
	 * order. */
	if (sqlite3_prepare_v2(s->db,
		"SELECT i.code, c.iso3, o.year, o.value, src.url, o.note,"
		" coalesce(o.entered_by, b.actor), coalesce(o.entered_at, b.at),"
		" o.batch_id, coalesce(o.synthetic, b.synthetic), b.source_type"
		" FROM obs_indicator i CROSS JOIN obs_country c CROSS JOIN obs o"
		" JOIN obs_source src ON src.id = o.source"
		" JOIN import_batch b ON b.id = o.batch_id"
		" WHERE " OBS_KEY("o.") " BETWEEN (i.id << 24) | (c.id << 12)"
		" AND (i.id << 24) | (c.id << 12) | 4095"
		" AND o.superseded_by IS NULL AND (?1 IS NULL OR i.code = ?1)"
		" AND (?2 IS NULL OR c.iso3 = ?2) ORDER BY i.code, c.iso3, " OBS_KEY("o."),
		-1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, e, "reading observations");
	if (indicator)
		sqlite3_bind_text(st, 1, indicator, -1, SQLITE_STATIC);
	if (iso3)
		sqlite3_bind_text(st, 2, iso3, -1, SQLITE_STATIC);
	int rc = 0, step;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_obs_row r = {
			.indicator = (const char *)sqlite3_column_text(st, 0),
			.iso3 = (const char *)sqlite3_column_text(st, 1),
			.year = (long)sqlite3_column_int64(st, 2),
			.value = sqlite3_column_double(st, 3),
			.source = (const char *)sqlite3_column_text(st, 4),
			.note = (const char *)sqlite3_column_text(st, 5),
			.entered_by = (const char *)sqlite3_column_text(st, 6),
			.entered_at = (const char *)sqlite3_column_text(st, 7),
			.batch = sqlite3_column_int64(st, 8),
			.synthetic = sqlite3_column_int(st, 9) != 0,
			.source_type = (const char *)sqlite3_column_text(st, 10),
		};
		rc = fn(ctx, &r);
	}
	sqlite3_finalize(st);
	return rc;
}
