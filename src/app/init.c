/* cdg init: catalog and reference data into a new or existing database. */
#include "app/app.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static const char *const budapest_vals[] = {"party", "invited", NULL};
static const struct col_spec budapest_spec[] = {
	{"state", COL_TEXT, true, NULL},
	{"iso3", COL_ISO3, true, NULL},
	{"signature_date", COL_DATE, false, NULL},
	{"ratification_date", COL_DATE, false, NULL},
	{"entry_into_force_date", COL_DATE, false, NULL},
	{"status", COL_ENUM, true, budapest_vals},
	{"cets224_signature", COL_DATE, false, NULL},
	{"cets224_ratification", COL_DATE, false, NULL},
	{"source_url", COL_URL, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { B_STATE, B_ISO3, B_SIG, B_RAT, B_EIF, B_STATUS, B_P2SIG, B_P2RAT,
       B_SRC, B_NOTE, B_NCOLS };

static const struct col_spec numeric_spec[] = {
	{"iso3", COL_ISO3, true, NULL},
	{"numeric", COL_TEXT, true, NULL},
	{"source_url", COL_URL, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { N_ISO3, N_NUM, N_SRC, N_NOTE, N_NCOLS };

static const struct col_spec csirt_spec[] = {
	{"state", COL_TEXT, true, NULL},
	{"iso3", COL_ISO3, true, NULL},
	{"csirt_name", COL_TEXT, true, NULL},
	{"full_name", COL_TEXT, false, NULL},
	{"website", COL_TEXT, false, NULL},
	{"designation", COL_TEXT, false, NULL},
	{"source_url", COL_URL, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { S_STATE, S_ISO3, S_NAME, S_FULL, S_WEB, S_DESIG, S_SRC, S_NOTE, S_NCOLS };

static const struct col_spec position_spec[] = {
	{"state", COL_TEXT, true, NULL},
	{"iso3", COL_ISO3, true, NULL},
	{"year", COL_YEAR, true, NULL},
	{"document_title", COL_TEXT, true, NULL},
	{"document_type", COL_TEXT, false, NULL},
	{"source_url", COL_URL, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { P_STATE, P_ISO3, P_YEAR, P_TITLE, P_TYPE, P_SRC, P_NOTE, P_NCOLS };

/* The reference files were gathered in 2026 (data/reference/README.md):
 * facts without a date of their own (a CSIRT exists) are observed in
 * that year, and time series derived from dated facts end there. */
#define REFERENCE_YEAR 2026

/* The two Council of Europe instruments the reference data covers. */
static const struct {
	const char *id, *short_name, *name, *url;
} treaties[] = {
	{"ETS185", "Budapest Convention",
	 "Convention on Cybercrime (ETS No. 185)",
	 "https://www.coe.int/en/web/conventions/full-list?module=treaty-detail&treatynum=185"},
	{"CETS224", "Second Additional Protocol",
	 "Second Additional Protocol to the Convention on Cybercrime on enhanced "
	 "co-operation and disclosure of electronic evidence (CETS No. 224)",
	 "https://verdragenbank.overheid.nl/en/Treaty/Details/013833_p.html"},
};

/* Everything init will write, read and validated before the database is
 * touched. */
struct init_input {
	struct arena arena;       /* owns tables and file texts */
	struct fw_catalog cat;    /* parsed catalog */
	char *cat_text[FW_NFILES];/* catalog file texts, as stored */
	char sha[FW_NFILES][65];  /* their SHA-256 */
	struct table countries;   /* un_member_states.csv */
	struct table budapest;    /* budapest_convention.csv */
	struct table numeric;     /* iso3166_numeric.csv */
	struct table csirts;      /* national_csirts.csv */
	struct table positions;   /* national_positions_il.csv */
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
		rc = read_table(in, dir, "budapest_convention.csv", budapest_spec,
				B_NCOLS, B_ISO3, &in->budapest, e);
	if (rc == 0)
		rc = read_table(in, dir, "iso3166_numeric.csv", numeric_spec,
				N_NCOLS, N_ISO3, &in->numeric, e);
	if (rc == 0)
		rc = read_table(in, dir, "national_csirts.csv", csirt_spec,
				S_NCOLS, -1, &in->csirts, e);
	if (rc == 0)
		rc = read_table(in, dir, "national_positions_il.csv", position_spec,
				P_NCOLS, -1, &in->positions, e);
	for (size_t r = 0; rc == 0 && r < in->numeric.nrows; r++) {
		const char *num = table_cell(&in->numeric, r, N_NUM);
		long v;
		if (strlen(num) != 3 || parse_long(num, 1, 999, &v) != 0)
			rc = err_at(e, CDG_EINPUT, "reference/iso3166_numeric.csv",
				    in->numeric.lines[r], "numeric",
				    "\"%s\" is not a three-digit code", num);
	}
	/* Every row of the other files must name a known state. */
	const struct {
		const struct table *t;
		size_t col;
		const char *file;
	} refs[] = {
		{&in->budapest, B_ISO3, "reference/budapest_convention.csv"},
		{&in->csirts, S_ISO3, "reference/national_csirts.csv"},
		{&in->positions, P_ISO3, "reference/national_positions_il.csv"},
		{&in->numeric, N_ISO3, "reference/iso3166_numeric.csv"},
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
	static const char *const tcols[] = {"id", "short_name", "name",
		"source_url"};
	for (size_t i = 0; i < sizeof treaties / sizeof treaties[0]; i++) {
		struct store_val v[] = {sv_text(treaties[i].id),
			sv_text(treaties[i].short_name), sv_text(treaties[i].name),
			sv_text(treaties[i].url)};
		store_batch_upsert(w, "treaty", tcols, v, 4, 1);
	}
	static const char *const pcols[] = {"treaty_id", "iso3", "status",
		"signature_date", "ratification_date", "entry_into_force_date",
		"source_url", "source_note"};
	const struct table *b = &in->budapest;
	for (size_t r = 0; r < b->nrows; r++) {
		struct store_val v[] = {sv_text("ETS185"),
			sv_text(table_cell(b, r, B_ISO3)),
			sv_text(table_cell(b, r, B_STATUS)),
			sv_text(table_cell(b, r, B_SIG)),
			sv_text(table_cell(b, r, B_RAT)),
			sv_text(table_cell(b, r, B_EIF)),
			sv_text(table_cell(b, r, B_SRC)),
			sv_text(table_cell(b, r, B_NOTE))};
		store_batch_upsert(w, "treaty_party", pcols, v, 8, 2);
		rep->n_treaty_parties++;
		const char *sig = table_cell(b, r, B_P2SIG);
		const char *rat = table_cell(b, r, B_P2RAT);
		if (!*sig && !*rat)
			continue;
		/* The reference file keeps CETS 224 dates in two columns; the
		 * Dutch treaty database is their source (shared/data/README). */
		struct store_val p[] = {sv_text("CETS224"),
			sv_text(table_cell(b, r, B_ISO3)),
			sv_text(*rat ? "party" : "signatory"), sv_text(sig),
			sv_text(rat), sv_null(), sv_text(treaties[1].url),
			sv_text("CETS 224 signature and ratification dates from the "
				"Dutch treaty database (treaty 013833)")};
		store_batch_upsert(w, "treaty_party", pcols, p, 8, 2);
		rep->n_treaty_parties++;
	}
}

/* Observations that follow from the reference data, with its sources; the
 * rules are those of the indicators in data/framework/indicators.json. */
static void obs(struct store_batch *w, struct store_obs_writer *ow, const char *ind,
		const char *iso3, long year, double value, const char *src,
		const char *note)
{
	if (w->rc)
		return;
	struct store_obs o = {ind, iso3, year, value, src, note, 0};
	int r = store_obs_put(ow, &o, w->e);
	if (r < 0)
		w->rc = r;
	else
		w->written += r;
}

static void write_derived(struct store_batch *w, const struct init_input *in,
			  const struct fw_catalog *cat)
{
	struct store_obs_writer *ow;
	if (w->rc || (w->rc = store_obs_attach(w->st, "reference",
					       "data/reference", false, &ow, w->e)))
		return;
	/* CDG2.1.1: a national CSIRT listed in national_csirts.csv. */
	const struct table *t = &in->csirts;
	for (size_t r = 0; fw_indicator(cat, "CDG2.1.1") && r < t->nrows; r++) {
		/* Some states list more than one team: one value per state,
		 * sourced by its first row, naming every team. */
		bool dup = false;
		for (size_t k = 0; k < r && !dup; k++)
			dup = strcmp(table_cell(t, k, S_ISO3), table_cell(t, r, S_ISO3)) == 0;
		if (dup)
			continue;
		char note[256];
		snprintf(note, sizeof note, "national CSIRT: %s",
			 table_cell(t, r, S_NAME));
		for (size_t k = r + 1; k < t->nrows; k++)
			if (strcmp(table_cell(t, k, S_ISO3), table_cell(t, r, S_ISO3)) == 0) {
				size_t len = strlen(note);
				snprintf(note + len, sizeof note - len, "; %s",
					 table_cell(t, k, S_NAME));
			}
		obs(w, ow, "CDG2.1.1", table_cell(t, r, S_ISO3), REFERENCE_YEAR, 1,
		    table_cell(t, r, S_SRC), note);
	}
	/* CDG4.3.1: Party to ETS 185 from the year of ratification (or entry
	 * into force); rows without ETS 185 dates give no value. */
	const struct table *b = &in->budapest;
	for (size_t r = 0; fw_indicator(cat, "CDG4.3.1") && r < b->nrows; r++) {
		const char *d = table_cell(b, r, B_RAT);
		if (!*d)
			d = table_cell(b, r, B_EIF);
		if (!*d || strcmp(table_cell(b, r, B_STATUS), "party") != 0)
			continue;
		char note[64];
		snprintf(note, sizeof note, "ETS 185 ratification or accession %s", d);
		for (long y = atol(d); y <= REFERENCE_YEAR; y++)
			obs(w, ow, "CDG4.3.1", table_cell(b, r, B_ISO3), y, 1,
			    table_cell(b, r, B_SRC), note);
	}
	/* CDG8.1.1 and CDG8.3.1: from the first published position on, 1 and
	 * the years since the latest position up to that year. */
	const struct table *p = &in->positions;
	for (size_t r = 0; r < p->nrows; r++) {
		const char *iso = table_cell(p, r, P_ISO3);
		long first = 9999;
		bool seen_before = false;
		for (size_t k = 0; k < p->nrows; k++) {
			if (strcmp(table_cell(p, k, P_ISO3), iso) != 0)
				continue;
			if (k < r)
				seen_before = true;
			long y = atol(table_cell(p, k, P_YEAR));
			if (y < first)
				first = y;
		}
		if (seen_before)
			continue; /* one pass per state */
		for (long y = first; y <= REFERENCE_YEAR; y++) {
			long latest = 0;
			size_t latest_row = r;
			for (size_t k = 0; k < p->nrows; k++) {
				long py = atol(table_cell(p, k, P_YEAR));
				if (strcmp(table_cell(p, k, P_ISO3), iso) == 0 && py <= y &&
				    py > latest) {
					latest = py;
					latest_row = k;
				}
			}
			char note[320];
			snprintf(note, sizeof note, "latest position %ld: %s", latest,
				 table_cell(p, latest_row, P_TITLE));
			if (fw_indicator(cat, "CDG8.1.1"))
				obs(w, ow, "CDG8.1.1", iso, y, 1,
				    table_cell(p, latest_row, P_SRC), note);
			if (fw_indicator(cat, "CDG8.3.1"))
				obs(w, ow, "CDG8.3.1", iso, y, (double)(y - latest),
				    table_cell(p, latest_row, P_SRC), note);
		}
	}
	int end = store_obs_end(ow, w->rc == 0, w->e);
	if (w->rc == 0)
		w->rc = end;
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
	write_derived(&w, in, &in->cat);
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
