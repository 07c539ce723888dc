/* cdg init: catalog and reference data into a new or existing database. */
#include "app/app.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/evidence_int.h"
#include "formats/formats.h"
#include "store/store.h"

/* Reference files, as shipped in data/reference (copied from shared/data). */
static const char *const status_vals[] = {"member", "observer", NULL};
static const struct col_spec country_spec[] = {
	{"iso3", COL_ISO3, true, NULL},
	{"iso2", COL_ISO2, true, NULL},
	{"name", COL_TEXT, true, NULL},
	{"iso_name", COL_TEXT, true, NULL},
	{"status", COL_ENUM, true, status_vals},
	{"un_member_since", COL_YEAR, false, NULL},
	{"admission_date", COL_DATE, false, NULL},
	{"source_url", COL_URL, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { C_ISO3, C_ISO2, C_NAME, C_ISO_NAME, C_STATUS, C_SINCE, C_ADMITTED,
       C_SRC, C_NOTE, C_NCOLS };

static const struct col_spec numeric_spec[] = {
	{"iso3", COL_ISO3, true, NULL},
	{"numeric", COL_TEXT, true, NULL},
	{"source_url", COL_URL, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { N_ISO3, N_NUM, N_SRC, N_NOTE, N_NCOLS };

/* Other names of States and the non-UN entities (issue 16; the kinds are
 * migration 15's). */
static const char *const alias_kinds[] = {"un_name", "iso_name", "iso_official",
	"iso_common", "short_form", "former_name", "inverted", "feed", NULL};
static const struct col_spec alias_spec[] = {
	{"alias", COL_TEXT, true, NULL},
	{"iso3", COL_ISO3, true, NULL},
	{"kind", COL_ENUM, true, alias_kinds},
	{"source_url", COL_URL, true, NULL},
	{"source_note", COL_TEXT, true, NULL},
};
enum { A_ALIAS, A_ISO3, A_KIND, A_SRC, A_NOTE, A_NCOLS };

static const char *const entity_kinds[] = {"territory",
	"special_administrative_region", "disputed_status", "free_association",
	"other", NULL};
static const char *const code_statuses[] = {"iso", "user_assigned", NULL};
static const struct col_spec entity_spec[] = {
	{"code", COL_ISO3, true, NULL},
	{"iso2", COL_ISO2, false, NULL},
	{"name", COL_TEXT, true, NULL},
	{"kind", COL_ENUM, true, entity_kinds},
	{"code_status", COL_ENUM, true, code_statuses},
	{"aliases", COL_TEXT, false, NULL},
	{"what", COL_TEXT, true, NULL},
	{"source_url", COL_URL, true, NULL},
	{"source_note", COL_TEXT, true, NULL},
};
enum { E_CODE, E_ISO2, E_NAME, E_KIND, E_STATUS, E_ALIASES, E_WHAT, E_SRC,
       E_NOTE, E_NCOLS };

/* Everything init will write, read and validated before the database is
 * touched. */
struct init_input {
	struct arena arena;       /* owns tables and file texts */
	struct fw_catalog cat;    /* parsed catalog */
	char *cat_text[FW_NFILES];/* catalog file texts, as stored */
	char sha[FW_NFILES][65];  /* their SHA-256 */
	struct table countries;   /* un_member_states.csv */
	struct table numeric;     /* iso3166_numeric.csv */
	struct table aliases;     /* state_aliases.csv */
	struct table entities;    /* non_un_entities.csv */
	struct evidence ev;       /* data/evidence: desk research */
};

static void sha256_hex(const char *text, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(out, 65, h, sizeof h);
}

static int read_table(struct init_input *in, const char *dir,
		      const char *file, const struct col_spec *spec,
		      size_t ncols, long key, struct table *t, struct cdg_err *e)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_addf(&path, "%s/reference/%s", dir, file);
	int rc = file_read_all(path.p, &text, e);
	if (rc == 0)
		rc = table_read(path.p, text.p, text.len, spec, ncols, key, 0,
				&in->arena, t, e);
	buf_free(&path);
	buf_free(&text);
	return rc;
}

/* Fills n with the States, their aliases and the non-UN entities of in. */
static void fill_names(const struct init_input *in, struct reg_names *n)
{
	const struct table *c = &in->countries, *al = &in->aliases,
			   *en = &in->entities;
	for (size_t r = 0; r < c->nrows; r++)
		reg_names_add(n, table_cell(c, r, C_ISO3), table_cell(c, r, C_ISO2),
			      table_cell(c, r, C_NAME), table_cell(c, r, C_ISO_NAME));
	for (size_t r = 0; r < al->nrows; r++)
		reg_names_alias(n, table_cell(al, r, A_ALIAS), table_cell(al, r, A_ISO3));
	for (size_t r = 0; r < en->nrows; r++)
		reg_names_add_entity(n, table_cell(en, r, E_CODE),
				     table_cell(en, r, E_ISO2), table_cell(en, r, E_NAME),
				     table_cell(en, r, E_KIND), table_cell(en, r, E_ALIASES));
}

/* Every alias names its own State, and no name or code of a non-UN
 * entity names a State: an alias that another State's name already
 * claims, or an entity that shadows a State, would be read wrongly. */
static int check_names(const struct init_input *in, struct cdg_err *e)
{
	struct reg_names n;
	reg_names_init(&n);
	fill_names(in, &n);
	int rc = 0;
	const struct table *al = &in->aliases, *en = &in->entities;
	for (size_t r = 0; rc == 0 && r < al->nrows; r++) {
		const char *got = reg_names_state(&n, table_cell(al, r, A_ALIAS));
		if (!got || strcmp(got, table_cell(al, r, A_ISO3)) != 0)
			rc = err_at(e, CDG_EINPUT, "reference/state_aliases.csv",
				    al->lines[r], "alias", "\"%s\" already names %s",
				    table_cell(al, r, A_ALIAS), got ? got : "a non-UN entity");
	}
	for (size_t r = 0; rc == 0 && r < en->nrows; r++) {
		const char *code = table_cell(en, r, E_CODE), *name = table_cell(en, r, E_NAME);
		const char *as = reg_names_state(&n, code) ? code
				 : reg_names_state(&n, name) ? name : NULL;
		if (as)
			rc = err_at(e, CDG_EINPUT, "reference/non_un_entities.csv",
				    en->lines[r], reg_names_state(&n, code) ? "code" : "name",
				    "\"%s\" names the State %s", as, reg_names_state(&n, as));
	}
	reg_names_free(&n);
	return rc;
}

static int read_input(struct init_input *in, const char *dir,
		      struct cdg_err *e)
{
	memset(in, 0, sizeof *in);
	arena_init(&in->arena);
	if (sodium_init() < 0)
		return err_set(e, CDG_EINTERNAL, "libsodium failed to initialise");
	struct buf fwdir = BUF_INIT;
	buf_addf(&fwdir, "%s/framework", dir);
	int rc = fw_load_dir(&in->cat, fwdir.p, e);
	for (int i = 0; rc == 0 && i < FW_NFILES; i++) {
		struct buf p = BUF_INIT, t = BUF_INIT;
		buf_addf(&p, "%s/%s", fwdir.p, fw_files[i]);
		rc = file_read_all(p.p, &t, e);
		in->cat_text[i] = arena_strdup(&in->arena, t.p);
		sha256_hex(t.p, in->sha[i]);
		buf_free(&p);
		buf_free(&t);
	}
	buf_free(&fwdir);
	if (rc == 0)
		rc = read_table(in, dir, "un_member_states.csv", country_spec,
				C_NCOLS, C_ISO3, &in->countries, e);
	if (rc == 0)
		rc = read_table(in, dir, "iso3166_numeric.csv", numeric_spec,
				N_NCOLS, N_ISO3, &in->numeric, e);
	for (size_t r = 0; rc == 0 && r < in->numeric.nrows; r++) {
		const char *num = table_cell(&in->numeric, r, N_NUM);
		long v;
		if (strlen(num) != 3 || parse_long(num, 1, 999, &v) != 0)
			rc = err_at(e, CDG_EINPUT, "reference/iso3166_numeric.csv",
				    in->numeric.lines[r], "numeric",
				    "\"%s\" is not a three-digit code", num);
	}
	if (rc == 0)
		rc = read_table(in, dir, "state_aliases.csv", alias_spec, A_NCOLS,
				A_ALIAS, &in->aliases, e);
	if (rc == 0)
		rc = read_table(in, dir, "non_un_entities.csv", entity_spec, E_NCOLS,
				E_CODE, &in->entities, e);
	/* Every row of the other files must name a known state. */
	const struct {
		const struct table *t;
		size_t col;
		const char *file;
	} refs[] = {
		{&in->numeric, N_ISO3, "reference/iso3166_numeric.csv"},
		{&in->aliases, A_ISO3, "reference/state_aliases.csv"},
	};
	for (size_t f = 0; rc == 0 && f < sizeof refs / sizeof refs[0]; f++) {
		for (size_t r = 0; rc == 0 && r < refs[f].t->nrows; r++) {
			const char *iso = table_cell(refs[f].t, r, refs[f].col);
			bool found = false;
			for (size_t k = 0; k < in->countries.nrows && !found; k++)
				found = strcmp(table_cell(&in->countries, k, C_ISO3), iso) == 0;
			if (!found)
				rc = err_at(e, CDG_EINPUT, refs[f].file, refs[f].t->lines[r],
					    "iso3", "\"%s\" is not in un_member_states.csv", iso);
		}
	}
	if (rc == 0)
		rc = check_names(in, e);
	if (rc == 0)
		rc = evidence_read(&in->ev, &in->arena, dir, &in->countries, C_ISO3,
				   C_NAME, e);
	return rc;
}

static void free_input(struct init_input *in)
{
	fw_free(&in->cat);
	arena_free(&in->arena);
}


static struct store_val opt_year(const char *s)
{
	return *s ? sv_int(atol(s)) : sv_null();
}

static void write_catalog(struct store_batch *w, const struct init_input *in)
{
	const struct fw_catalog *c = &in->cat;
	for (int i = 0; i < FW_NFILES && !w->rc; i++) {
		int r = store_catalog_file_put(w->st, fw_files[i], in->sha[i],
					       in->cat_text[i], w->e);
		if (r < 0)
			w->rc = r;
		else
			w->written += r;
	}
	static const char *const ncols[] = {"id", "paragraph", "short_name",
		"title", "category", "subcategory", "paraphrase", "source_url",
		"position"};
	for (size_t i = 0; i < c->n_norms; i++) {
		const struct fw_norm *n = &c->norms[i];
		struct store_val v[] = {sv_text(n->id), sv_text(n->paragraph),
			sv_text(n->short_name), sv_text(n->title),
			sv_text(n->category), sv_text(n->subcategory),
			sv_text(n->paraphrase), sv_text(n->source_url),
			sv_int((long long)i)};
		store_batch_upsert(w, "norm", ncols, v, 9, 1);
	}
	static const char *const gcols[] = {"id", "title", "description",
		"origin", "rationale", "position"};
	static const char *const gncols[] = {"goal_id", "norm_id"};
	for (size_t i = 0; i < c->n_goals; i++) {
		const struct fw_goal *g = &c->goals[i];
		struct store_val v[] = {sv_text(g->id), sv_text(g->title),
			sv_text(g->description), sv_text(g->origin),
			sv_text(g->rationale), sv_int((long long)i)};
		store_batch_upsert(w, "goal", gcols, v, 6, 1);
		for (size_t j = 0; j < g->n_norms; j++) {
			struct store_val gv[] = {sv_text(g->id), sv_text(g->norms[j])};
			store_batch_upsert(w, "goal_norm", gncols, gv, 2, 2);
		}
	}
	static const char *const tcols[] = {"id", "goal_id", "title",
		"description", "position"};
	for (size_t i = 0; i < c->n_targets; i++) {
		const struct fw_target *t = &c->targets[i];
		struct store_val v[] = {sv_text(t->id), sv_text(t->goal),
			sv_text(t->title), sv_text(t->description),
			sv_int((long long)i)};
		store_batch_upsert(w, "target", tcols, v, 5, 1);
	}
	static const char *const icols[] = {"id", "target_id", "name",
		"description", "unit", "direction", "min", "max", "goal_lower",
		"goal_upper", "target_value", "measure", "rule", "evidence",
		"source", "position"};
	for (size_t i = 0; i < c->n_indicators; i++) {
		const struct fw_indicator *d = &c->indicators[i];
		struct store_val v[] = {sv_text(d->id), sv_text(d->target),
			sv_text(d->name), sv_text(d->description),
			sv_text(d->unit), sv_int(d->direction), sv_real(d->min),
			sv_real(d->max), sv_real(d->lower), sv_real(d->upper),
			sv_real(d->target_value),
			sv_text(fw_measure_name(d->measure)), sv_text(d->rule),
			sv_text(d->evidence), sv_text(d->source),
			sv_int((long long)i)};
		store_batch_upsert(w, "indicator", icols, v, 16, 1);
	}
	static const char *const qcols[] = {"id", "norm_id", "goal_id",
		"section", "text", "scale_id", "evidence", "free_text",
		"capacity_needs", "position"};
	for (size_t i = 0; i < c->n_questions; i++) {
		const struct fw_question *q = &c->questions[i];
		struct store_val v[] = {sv_text(q->id), sv_text(q->norm),
			sv_text(q->goal), sv_text(q->section), sv_text(q->text),
			sv_text(q->scale), sv_text(q->evidence),
			sv_int(q->free_text), sv_int(q->capacity_needs),
			sv_int((long long)i)};
		store_batch_upsert(w, "question", qcols, v, 10, 1);
	}
}

static void write_reference(struct store_batch *w, const struct init_input *in,
			    struct app_init_report *rep)
{
	static const char *const ccols[] = {"iso3", "iso2", "name", "iso_name",
		"status", "un_member_since", "admission_date", "source_url",
		"source_note", "m49"};
	const struct table *t = &in->countries;
	for (size_t r = 0; r < t->nrows; r++) {
		const char *m49 = "";
		for (size_t k = 0; k < in->numeric.nrows; k++)
			if (strcmp(table_cell(&in->numeric, k, N_ISO3),
				   table_cell(t, r, C_ISO3)) == 0)
				m49 = table_cell(&in->numeric, k, N_NUM);
		struct store_val v[] = {sv_text(table_cell(t, r, C_ISO3)),
			sv_text(table_cell(t, r, C_ISO2)),
			sv_text(table_cell(t, r, C_NAME)),
			sv_text(table_cell(t, r, C_ISO_NAME)),
			sv_text(table_cell(t, r, C_STATUS)),
			opt_year(table_cell(t, r, C_SINCE)),
			sv_text(table_cell(t, r, C_ADMITTED)),
			sv_text(table_cell(t, r, C_SRC)),
			sv_text(table_cell(t, r, C_NOTE)), sv_text(m49)};
		store_batch_upsert(w, "country", ccols, v, 10, 1);
	}
	rep->n_countries = t->nrows;
	static const char *const acols[] = {"alias", "iso3", "kind", "source_url",
		"source_note"};
	const struct table *al = &in->aliases;
	for (size_t r = 0; r < al->nrows; r++) {
		struct store_val v[A_NCOLS];
		for (size_t k = 0; k < A_NCOLS; k++)
			v[k] = sv_text(table_cell(al, r, k));
		store_batch_upsert(w, "state_alias", acols, v, A_NCOLS, 1);
	}
	static const char *const ecols[] = {"code", "iso2", "name", "kind",
		"code_status", "aliases", "what", "source_url", "source_note"};
	const struct table *en = &in->entities;
	for (size_t r = 0; r < en->nrows; r++) {
		struct store_val v[E_NCOLS];
		for (size_t k = 0; k < E_NCOLS; k++)
			v[k] = sv_text(table_cell(en, r, k));
		const char *iso2 = table_cell(en, r, E_ISO2);
		v[E_ISO2] = *iso2 ? sv_text(iso2) : sv_null();
		/* "a;b" as the JSON array ["a","b"]. */
		struct buf b = BUF_INIT;
		struct jw j;
		jw_init(&j, &b, false);
		jw_arr(&j);
		for (const char *p = table_cell(en, r, E_ALIASES); *p;) {
			const char *end = strchr(p, ';');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			char one[256];
			snprintf(one, sizeof one, "%.*s", (int)len, p);
			jw_str(&j, one);
			p += len + (end != NULL);
		}
		jw_arr_end(&j);
		v[E_ALIASES] = sv_text(b.p);
		store_batch_upsert(w, "non_un_entity", ecols, v, E_NCOLS, 1);
		buf_free(&b);
	}
	rep->n_treaty_parties = in->ev.budapest.nrows;
}

static int load_all(struct store *st, const struct init_input *in,
		    const char *data_dir, const char *actor,
		    struct app_init_report *rep, struct cdg_err *e)
{
	int rc = store_tx_begin(st, actor, e);
	if (rc)
		return rc;
	struct store_batch w = {st, e, 0, 0};
	write_catalog(&w, in);
	write_reference(&w, in, rep);
	/* Desk research (data/evidence): treaty status and observations. */
	evidence_write(&w, &in->ev, &in->cat, &in->countries, C_ISO3);
	/* CDG9.1.1 moves with the calendar: a new year gets its values. */
	if (!w.rc)
		w.rc = app_survey_recency(st, &in->cat, e);
	/* data/crime/ (issue 7): checked against the states just written;
	 * a bad file rolls back everything. */
	if (!w.rc)
		w.rc = app_crime_init_load(st, data_dir, &w.written, e);
	/* The accountability registry (issue 5): sectors, the seed
	 * attributions through the registry's CSV importer, IL positions. */
	if (!w.rc)
		w.rc = app_registry_init(st, &in->cat, data_dir, &w.written, e);
	/* The map of agreements and capacity-building initiatives (issue 8). */
	if (!w.rc)
		w.rc = app_capacity_init(st, &in->cat, data_dir, &w.written, e);
	if (w.rc) {
		store_tx_rollback(st);
		return w.rc;
	}
	rep->rows_written = w.written;
	return store_tx_commit(st, e);
}

static void unlink_db(const char *path)
{
	struct buf b = BUF_INIT;
	unlink(path);
	buf_addf(&b, "%s-wal", path);
	unlink(b.p);
	buf_reset(&b);
	buf_addf(&b, "%s-shm", path);
	unlink(b.p);
	buf_free(&b);
}

int app_init(const char *db_path, const char *data_dir, const char *actor,
	     struct app_init_report *rep, struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	struct init_input in;
	int rc = read_input(&in, data_dir, e);
	if (rc) {
		free_input(&in);
		return rc;
	}
	rep->n_norms = in.cat.n_norms;
	rep->n_goals = in.cat.n_goals;
	rep->n_targets = in.cat.n_targets;
	rep->n_indicators = in.cat.n_indicators;
	rep->n_questions = in.cat.n_questions;

	/* A new database is built under a temporary name and renamed into
	 * place only when complete, so a failure leaves nothing behind. */
	rep->created = access(db_path, F_OK) != 0;
	struct buf tmp = BUF_INIT;
	if (rep->created)
		buf_addf(&tmp, "%s.init-%ld", db_path, (long)getpid());
	else
		buf_adds(&tmp, db_path);
	struct store *st;
	rc = store_open(&st, tmp.p, STORE_MIGRATE | STORE_CREATE, e);
	if (rc == 0) {
		rc = load_all(st, &in, data_dir, actor, rep, e);
		rep->schema_version = store_schema_version(st);
		store_close(st);
	}
	if (rep->created) {
		if (rc == 0 && rename(tmp.p, db_path) != 0)
			rc = err_at(e, CDG_EIO, db_path, 0, NULL,
				    "cannot move the new database into place");
		if (rc)
			unlink_db(tmp.p);
	}
	buf_free(&tmp);
	free_input(&in);
	return rc;
}
