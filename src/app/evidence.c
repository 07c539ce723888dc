/* Desk-research evidence: see evidence_int.h and docs/public-evidence.md. */
#include "app/evidence_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The year the evidence was checked (data/evidence/README-*.md): a fact
 * with no date of its own is observed in the year its source describes,
 * which is this year unless the source says otherwise (see as_of). */
#define CHECK_YEAR 2026
/* The first year evidence is written for: a fact whose absence is itself
 * evidence (a State missing from a complete list that only grows) gives 0
 * for every year from this one on, and a dated fact (a strategy adopted in
 * 2008) is written from its year or this one, whichever is later.  Earlier
 * years are outside any edition cdg computes. */
#define ABSENCE_FROM 2015

const struct evidence_treaty evidence_treaties[] = {
	{"ETS185", "Budapest Convention", "Convention on Cybercrime (ETS No. 185)",
	 "https://www.coe.int/en/web/conventions/full-list?module=treaty-detail&treatynum=185"},
	{"ETS189", "First Additional Protocol",
	 "Additional Protocol to the Convention on Cybercrime, concerning the "
	 "criminalisation of acts of a racist and xenophobic nature committed "
	 "through computer systems (ETS No. 189)",
	 "https://www.coe.int/en/web/conventions/full-list?module=treaty-detail&treatynum=189"},
	{"CETS224", "Second Additional Protocol",
	 "Second Additional Protocol to the Convention on Cybercrime on enhanced "
	 "co-operation and disclosure of electronic evidence (CETS No. 224)",
	 "https://www.coe.int/en/web/conventions/full-list?module=treaty-detail&treatynum=224"},
};
const size_t evidence_ntreaties = sizeof evidence_treaties / sizeof evidence_treaties[0];

/* ---- the files ------------------------------------------------------------- */

static const char *const strat_vals[] = {"yes", "no", "draft", "not_found", NULL};
static const struct col_spec strat_spec[] = {
	{"iso3", COL_ISO3, true, NULL},
	{"state", COL_TEXT, true, NULL},
	{"finding", COL_ENUM, true, strat_vals},
	{"title", COL_TEXT, false, NULL},
	{"adoption_year", COL_PAST_YEAR, false, NULL},
	{"last_update_year", COL_PAST_YEAR, false, NULL},
	{"document_url", COL_URL, false, NULL},
	{"source_url", COL_URL, false, NULL}, /* not_found: none */
	{"checked", COL_PAST_DATE, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { ST_ISO3, ST_STATE, ST_FIND, ST_TITLE, ST_YEAR, ST_UPD, ST_DOC, ST_SRC,
       ST_CHECKED, ST_NOTE, ST_NCOLS };

static const char *const csirt_vals[] = {"yes", "no", "not_found", NULL};
static const char *const yes_no[] = {"yes", "no", NULL};
static const struct col_spec csirt_spec[] = {
	{"iso3", COL_ISO3, true, NULL},
	{"state", COL_TEXT, true, NULL},
	{"finding", COL_ENUM, true, csirt_vals},
	{"team_name", COL_TEXT, false, NULL},
	{"full_name", COL_TEXT, false, NULL},
	{"website", COL_TEXT, false, NULL},
	{"government_designated", COL_ENUM, false, yes_no},
	{"source_url", COL_URL, false, NULL}, /* not_found: none */
	{"checked", COL_PAST_DATE, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { CS_ISO3, CS_STATE, CS_FIND, CS_TEAM, CS_FULL, CS_WEB, CS_GOV, CS_SRC,
       CS_CHECKED, CS_NOTE, CS_NCOLS };

static const char *const law_vals[] = {"legislation", "draft_legislation",
	"no_legislation", "no_data", "not_found", NULL};
static const struct col_spec law_spec[] = {
	{"iso3", COL_ISO3, true, NULL},
	{"state", COL_TEXT, true, NULL},
	{"unctad_status", COL_ENUM, true, law_vals},
	{"law_title", COL_TEXT, false, NULL},
	{"law_year", COL_PAST_YEAR, false, NULL},
	{"source_url", COL_URL, false, NULL}, /* not_found: none */
	{"checked", COL_PAST_DATE, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { LW_ISO3, LW_STATE, LW_STATUS, LW_TITLE, LW_YEAR, LW_SRC, LW_CHECKED,
       LW_NOTE, LW_NCOLS };

static const char *const treaty_vals[] = {"ETS185", "ETS189", "CETS224", NULL};
static const char *const bstatus_vals[] = {"party", "signatory", "invited", NULL};
static const struct col_spec bud_spec[] = {
	{"iso3", COL_ISO3, true, NULL},
	{"state", COL_TEXT, true, NULL},
	{"treaty", COL_ENUM, true, treaty_vals},
	{"status", COL_ENUM, true, bstatus_vals},
	{"signature_date", COL_PAST_DATE, false, NULL},
	{"ratification_date", COL_PAST_DATE, false, NULL},
	{"accession", COL_ENUM, false, yes_no},
	/* Entry into force may lie ahead of a recent ratification. */
	{"entry_into_force_date", COL_DATE, false, NULL},
	{"source_url", COL_URL, true, NULL},
	{"checked", COL_PAST_DATE, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { BU_ISO3, BU_STATE, BU_TREATY, BU_STATUS, BU_SIG, BU_RAT, BU_ACC, BU_EIF,
       BU_SRC, BU_CHECKED, BU_NOTE, BU_NCOLS };

static const char *const member_vals[] = {"yes", "no", "not_found", NULL};
static const struct col_spec net_spec[] = {
	{"iso3", COL_ISO3, true, NULL},
	{"state", COL_TEXT, true, NULL},
	{"member", COL_ENUM, true, member_vals},
	{"source_url", COL_URL, false, NULL}, /* not_found: none */
	{"checked", COL_PAST_DATE, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { NW_ISO3, NW_STATE, NW_MEMBER, NW_SRC, NW_CHECKED, NW_NOTE, NW_NCOLS };

static const char *const via_vals[] = {"national", "a76_136",
	"au_common_position", "eu_declaration", NULL};
static const struct col_spec pos_spec[] = {
	{"iso3", COL_ISO3, true, NULL},
	{"state", COL_TEXT, true, NULL},
	{"year", COL_PAST_YEAR, false, NULL},
	{"date", COL_PAST_DATE, false, NULL},
	{"document_title", COL_TEXT, false, NULL},
	{"document_type", COL_TEXT, false, NULL},
	{"via", COL_ENUM, true, via_vals},
	{"source_url", COL_URL, true, NULL},
	{"checked", COL_PAST_DATE, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { PO_ISO3, PO_STATE, PO_YEAR, PO_DATE, PO_TITLE, PO_TYPE, PO_VIA, PO_SRC,
       PO_CHECKED, PO_NOTE, PO_NCOLS };

/* One file: its name, spec, where its State is, and the columns that
 * together make a fact (no two rows may share them). */
struct efile {
	const char *name;
	const struct col_spec *spec;
	size_t ncols, iso3, state;
	long key[3];               /* -1 ends */
	size_t member;             /* offsetof the table in struct evidence */
	long finding, source;      /* a finding other than not_found needs a
				      source (-1: the spec requires one) */
};

#define EV(f) offsetof(struct evidence, f)
static const struct efile files[] = {
	{"strategies.csv", strat_spec, ST_NCOLS, ST_ISO3, ST_STATE, {ST_ISO3, -1, -1},
	 EV(strategies), ST_FIND, ST_SRC},
	{"csirts.csv", csirt_spec, CS_NCOLS, CS_ISO3, CS_STATE, {CS_ISO3, CS_TEAM, -1},
	 EV(csirts), CS_FIND, CS_SRC},
	{"cybercrime_laws.csv", law_spec, LW_NCOLS, LW_ISO3, LW_STATE, {LW_ISO3, -1, -1},
	 EV(laws), LW_STATUS, LW_SRC},
	{"budapest.csv", bud_spec, BU_NCOLS, BU_ISO3, BU_STATE, {BU_ISO3, BU_TREATY, -1},
	 EV(budapest), -1, -1},
	{"budapest_247_network.csv", net_spec, NW_NCOLS, NW_ISO3, NW_STATE,
	 {NW_ISO3, -1, -1}, EV(network), NW_MEMBER, NW_SRC},
	{"positions_il.csv", pos_spec, PO_NCOLS, PO_ISO3, PO_STATE,
	 {PO_ISO3, PO_TITLE, PO_YEAR}, EV(positions), -1, -1},
};

static size_t country_row(const struct table *countries, size_t iso3_col,
			  const char *iso3)
{
	for (size_t k = 0; k < countries->nrows; k++)
		if (strcmp(table_cell(countries, k, iso3_col), iso3) == 0)
			return k;
	return (size_t)-1;
}

/* Rows r and k state the same fact (their key columns agree). */
static bool same_fact(const struct table *t, const long *key, size_t r, size_t k)
{
	for (size_t i = 0; i < 3 && key[i] >= 0; i++)
		if (strcmp(table_cell(t, r, (size_t)key[i]), table_cell(t, k, (size_t)key[i])) != 0)
			return false;
	return true;
}

static int check_file(const struct efile *f, const struct table *t,
		      const char *path, const struct table *countries,
		      size_t iso3_col, size_t name_col, struct cdg_err *e)
{
	/* Keys are checked through a map of their joined text (files of a
	 * few hundred rows, but the rule must not be quadratic). */
	struct strmap seen;
	strmap_init(&seen);
	struct arena keys;
	arena_init(&keys);
	int rc = 0;
	for (size_t r = 0; rc == 0 && r < t->nrows; r++) {
		const char *iso = table_cell(t, r, f->iso3);
		size_t c = country_row(countries, iso3_col, iso);
		if (c == (size_t)-1) {
			rc = err_at(e, CDG_EINPUT, path, t->lines[r], "iso3",
				    "\"%s\" is not a State of un_member_states.csv", iso);
			break;
		}
		const char *name = table_cell(countries, c, name_col);
		if (strcmp(table_cell(t, r, f->state), name) != 0) {
			rc = err_at(e, CDG_EINPUT, path, t->lines[r], "state",
				    "\"%s\" is not the name of %s (\"%s\")",
				    table_cell(t, r, f->state), iso, name);
			break;
		}
		if (f->finding >= 0 && !*table_cell(t, r, (size_t)f->source) &&
		    strcmp(table_cell(t, r, (size_t)f->finding), "not_found") != 0) {
			rc = err_at(e, CDG_EINPUT, path, t->lines[r], "source_url",
				    "a finding of \"%s\" needs its source",
				    table_cell(t, r, (size_t)f->finding));
			break;
		}
		struct buf k = BUF_INIT;
		for (size_t i = 0; i < 3 && f->key[i] >= 0; i++)
			buf_addf(&k, "%s\x1f", table_cell(t, r, (size_t)f->key[i]));
		const size_t *first = strmap_get(&seen, k.p);
		if (first && same_fact(t, f->key, r, *first)) {
			rc = err_at(e, CDG_EINPUT, path, t->lines[r],
				    f->spec[f->key[1] >= 0 ? f->key[1] : f->key[0]].name,
				    "the same fact as line %ld", t->lines[*first]);
		} else {
			size_t *at = arena_alloc(&keys, sizeof *at);
			*at = r;
			strmap_put(&seen, arena_strdup(&keys, k.p), at);
		}
		buf_free(&k);
	}
	strmap_free(&seen);
	arena_free(&keys);
	return rc;
}

int evidence_read(struct evidence *ev, struct arena *a, const char *dir,
		  const struct table *countries, size_t iso3_col, size_t name_col,
		  struct cdg_err *e)
{
	memset(ev, 0, sizeof *ev);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < sizeof files / sizeof files[0]; i++) {
		const struct efile *f = &files[i];
		struct table *t = (struct table *)(void *)((char *)ev + f->member);
		struct buf path = BUF_INIT, text = BUF_INIT;
		buf_addf(&path, "%s/evidence/%s", dir, f->name);
		rc = file_read_all(path.p, &text, e);
		char shown[128];
		snprintf(shown, sizeof shown, "evidence/%s", f->name);
		if (rc == 0)
			rc = table_read(shown, text.p, text.len, f->spec, f->ncols, -1,
					TABLE_STRICT, a, t, e);
		if (rc == 0)
			rc = check_file(f, t, shown, countries, iso3_col, name_col, e);
		buf_free(&path);
		buf_free(&text);
	}
	return rc;
}

/* ---- writing ------------------------------------------------------------------ */

/* The year a source without dates of its own describes: the research
 * dataset on national strategies codes 2000 to 2024; other sources were
 * read as current when checked. */
static long as_of(const char *source_url)
{
	if (strstr(source_url, "nadiyakostyuk/National-Cybersecurity-Strategy-Data"))
		return 2024;
	return CHECK_YEAR;
}

struct writer {
	struct store_batch *w;
	struct store_obs_writer *ow;
	const struct fw_catalog *cat;
};

static void put(struct writer *x, const char *ind, const char *iso3, long year,
		double v, const char *src, const char *note)
{
	struct store_batch *w = x->w;
	if (w->rc || !fw_indicator(x->cat, ind))
		return;
	struct store_obs o = {.indicator = ind, .iso3 = iso3, .year = year, .value = v,
			      .source = src, .note = note};
	int r = store_obs_put(x->ow, &o, w->e);
	if (r < 0)
		w->rc = r;
	else
		w->written += r;
}

static void put_range(struct writer *x, const char *ind, const char *iso3,
		      long from, long to, double v, const char *src, const char *note)
{
	for (long y = from < ABSENCE_FROM ? ABSENCE_FROM : from; y <= to; y++)
		put(x, ind, iso3, y, v, src, note);
}

static bool begin(struct writer *x, const char *file)
{
	struct store_batch *w = x->w;
	if (w->rc)
		return false;
	w->rc = store_obs_attach(w->st, "reference", file, false, &x->ow, w->e);
	if (w->rc == 0)
		store_obs_source_type(x->ow, "desk_research");
	return w->rc == 0;
}

static void end(struct writer *x)
{
	int rc = store_obs_end(x->ow, x->w->rc == 0, x->w->e);
	if (x->w->rc == 0)
		x->w->rc = rc;
	x->ow = NULL;
}

/* CDG1.1.1 and CDG1.2.1 from strategies.csv. */
static void write_strategies(struct writer *x, const struct table *t)
{
	if (!begin(x, "data/evidence/strategies.csv"))
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		const char *iso = table_cell(t, r, ST_ISO3);
		const char *find = table_cell(t, r, ST_FIND);
		const char *src = table_cell(t, r, ST_SRC);
		const char *title = table_cell(t, r, ST_TITLE);
		long y = atol(table_cell(t, r, ST_YEAR));
		long upd = atol(table_cell(t, r, ST_UPD));
		char note[400];
		if (strcmp(find, "yes") == 0) {
			snprintf(note, sizeof note, "strategy in force%s%s%s",
				 *title ? ": " : "", title, y ? "" : " (year of adoption not verified)");
			if (!y) {
				put(x, "CDG1.1.1", iso, as_of(src), 1, src, note);
				continue;
			}
			put_range(x, "CDG1.1.1", iso, y, CHECK_YEAR, 1, src, note);
			for (long k = y < ABSENCE_FROM ? ABSENCE_FROM : y; k <= CHECK_YEAR; k++) {
				long last = upd && upd <= k ? upd : y;
				if (last != y)
					snprintf(note, sizeof note, "adopted %ld, updated %ld", y, last);
				else
					snprintf(note, sizeof note, "adopted %ld", y);
				put(x, "CDG1.2.1", iso, k, (double)(k - last), src, note);
			}
		} else if (strcmp(find, "no") == 0) {
			put_range(x, "CDG1.1.1", iso, ABSENCE_FROM, as_of(src), 0, src,
				  "no national cybersecurity strategy adopted, as the source says");
		} else if (strcmp(find, "draft") == 0) {
			put(x, "CDG1.1.1", iso, as_of(src), 0, src,
			    "a strategy in draft or preparation only (a draft gives 0)");
		}
	}
	end(x);
}

/* CDG2.1.1 from csirts.csv: 1 when a team with national responsibility
 * that the source does not show as non-governmental exists when checked. */
static void write_csirts(struct writer *x, const struct table *t)
{
	if (!begin(x, "data/evidence/csirts.csv"))
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		const char *iso = table_cell(t, r, CS_ISO3);
		if (r > 0 && strcmp(table_cell(t, r - 1, CS_ISO3), iso) == 0)
			continue; /* one value per State, from its first row */
		char note[400] = "";
		const char *src = NULL, *no_src = NULL;
		for (size_t k = r; k < t->nrows && strcmp(table_cell(t, k, CS_ISO3), iso) == 0; k++) {
			const char *find = table_cell(t, k, CS_FIND);
			if (strcmp(find, "no") == 0)
				no_src = table_cell(t, k, CS_SRC);
			if (strcmp(find, "yes") != 0 ||
			    strcmp(table_cell(t, k, CS_GOV), "no") == 0)
				continue;
			if (!src) {
				src = table_cell(t, k, CS_SRC);
				snprintf(note, sizeof note, "national CSIRT: %s",
					 table_cell(t, k, CS_TEAM));
			} else {
				size_t len = strlen(note);
				snprintf(note + len, sizeof note - len, "; %s",
					 table_cell(t, k, CS_TEAM));
			}
		}
		if (src)
			put(x, "CDG2.1.1", iso, CHECK_YEAR, 1, src, note);
		else if (no_src)
			put(x, "CDG2.1.1", iso, CHECK_YEAR, 0, no_src,
			    "no national CSIRT, as the source says (its date is in the note of "
			    "data/evidence/csirts.csv)");
	}
	end(x);
}

/* CDG4.1.2 from cybercrime_laws.csv (UNCTAD Global Cyberlaw Tracker). */
static void write_laws(struct writer *x, const struct table *t)
{
	if (!begin(x, "data/evidence/cybercrime_laws.csv"))
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		const char *iso = table_cell(t, r, LW_ISO3);
		const char *st = table_cell(t, r, LW_STATUS);
		const char *src = table_cell(t, r, LW_SRC);
		const char *title = table_cell(t, r, LW_TITLE);
		long y = atol(table_cell(t, r, LW_YEAR));
		char note[400];
		if (strcmp(st, "legislation") == 0) {
			snprintf(note, sizeof note, "cybercrime legislation (UNCTAD tracker)%s%s",
				 *title ? ": " : "", title);
			if (y)
				put_range(x, "CDG4.1.2", iso, y, CHECK_YEAR, 1, src, note);
			else
				put(x, "CDG4.1.2", iso, CHECK_YEAR, 1, src, note);
		} else if (strcmp(st, "no_legislation") == 0) {
			put_range(x, "CDG4.1.2", iso, ABSENCE_FROM, CHECK_YEAR, 0, src,
				  "no cybercrime legislation in the UNCTAD tracker");
		} else if (strcmp(st, "draft_legislation") == 0) {
			put(x, "CDG4.1.2", iso, CHECK_YEAR, 0, src,
			    "draft cybercrime legislation only (UNCTAD tracker)");
		}
	}
	end(x);
}

/* The year of an ETS 185 party's consent (ratification or accession, else
 * entry into force); 0 if the row has neither. */
static long party_year(const struct table *t, size_t r)
{
	const char *d = table_cell(t, r, BU_RAT);
	if (!*d)
		d = table_cell(t, r, BU_EIF);
	return atol(d);
}

/* CDG4.3.1 from budapest.csv: the Council of Europe's chart lists every
 * party, so a State not on it was a party in no year. */
static void write_budapest(struct writer *x, const struct table *t,
			   const struct table *countries, size_t iso3_col)
{
	/* An empty file is no list at all: its absences say nothing. */
	if (!t->nrows || !begin(x, "data/evidence/budapest.csv"))
		return;
	for (size_t c = 0; c < countries->nrows; c++) {
		const char *iso = table_cell(countries, c, iso3_col);
		size_t r = 0;
		while (r < t->nrows && !(strcmp(table_cell(t, r, BU_ISO3), iso) == 0 &&
					 strcmp(table_cell(t, r, BU_TREATY), "ETS185") == 0))
			r++;
		if (r < t->nrows && strcmp(table_cell(t, r, BU_STATUS), "party") == 0) {
			long y = party_year(t, r);
			char note[200];
			snprintf(note, sizeof note, "party to ETS 185%s%s",
				 y ? " since " : " (date not verified)",
				 y ? (*table_cell(t, r, BU_RAT) ? table_cell(t, r, BU_RAT)
				      : table_cell(t, r, BU_EIF)) : "");
			if (y)
				put_range(x, "CDG4.3.1", iso, y, CHECK_YEAR, 1,
					  table_cell(t, r, BU_SRC), note);
			else
				put(x, "CDG4.3.1", iso, CHECK_YEAR, 1, table_cell(t, r, BU_SRC), note);
		} else {
			put_range(x, "CDG4.3.1", iso, ABSENCE_FROM, CHECK_YEAR, 0,
				  evidence_treaties[0].url,
				  r < t->nrows ? "not a party to ETS 185 (signatory or invited)"
					       : "not a party to ETS 185 (not on the Council of "
						 "Europe's chart of parties)");
		}
	}
	end(x);
}

/* CDG8.1.1 and CDG8.3.1 from positions_il.csv: a State with no position in
 * the Cyber Law Toolkit's list, A/76/136 or the EU declaration has none. */
static void write_positions(struct writer *x, const struct table *t,
			    const struct table *countries, size_t iso3_col)
{
	if (!t->nrows || !begin(x, "data/evidence/positions_il.csv"))
		return;
	for (size_t c = 0; c < countries->nrows; c++) {
		const char *iso = table_cell(countries, c, iso3_col);
		long first = 0;
		bool any = false;
		for (size_t r = 0; r < t->nrows; r++) {
			if (strcmp(table_cell(t, r, PO_ISO3), iso) != 0)
				continue;
			long y = atol(table_cell(t, r, PO_YEAR));
			if (!y)
				y = as_of(table_cell(t, r, PO_SRC));
			if (!any || y < first)
				first = y;
			any = true;
		}
		if (!any) {
			put_range(x, "CDG8.1.1", iso, ABSENCE_FROM, CHECK_YEAR, 0,
				  "https://cyberlaw.ccdcoe.org/wiki/List_of_articles#National_positions",
				  "no national position in the Cyber Law Toolkit's list, "
				  "A/76/136 or the EU declaration of 2024");
			continue;
		}
		for (long y = first < ABSENCE_FROM ? ABSENCE_FROM : first; y <= CHECK_YEAR; y++) {
			long latest = 0;
			size_t at = 0;
			for (size_t r = 0; r < t->nrows; r++) {
				if (strcmp(table_cell(t, r, PO_ISO3), iso) != 0)
					continue;
				long py = atol(table_cell(t, r, PO_YEAR));
				if (!py)
					py = as_of(table_cell(t, r, PO_SRC));
				if (py <= y && py >= latest) {
					latest = py;
					at = r;
				}
			}
			char note[400];
			snprintf(note, sizeof note, "latest position %ld: %s", latest,
				 *table_cell(t, at, PO_TITLE) ? table_cell(t, at, PO_TITLE)
							     : "(title not verified)");
			put(x, "CDG8.1.1", iso, y, 1, table_cell(t, at, PO_SRC), note);
			put(x, "CDG8.3.1", iso, y, (double)(y - latest), table_cell(t, at, PO_SRC),
			    note);
		}
	}
	end(x);
}

void evidence_write(struct store_batch *w, const struct evidence *ev,
		    const struct fw_catalog *cat, const struct table *countries,
		    size_t iso3_col)
{
	static const char *const tcols[] = {"id", "short_name", "name", "source_url"};
	for (size_t i = 0; i < evidence_ntreaties; i++) {
		struct store_val v[] = {sv_text(evidence_treaties[i].id),
			sv_text(evidence_treaties[i].short_name),
			sv_text(evidence_treaties[i].name),
			sv_text(evidence_treaties[i].url)};
		store_batch_upsert(w, "treaty", tcols, v, 4, 1);
	}
	static const char *const pcols[] = {"treaty_id", "iso3", "status",
		"signature_date", "ratification_date", "entry_into_force_date",
		"source_url", "source_note"};
	const struct table *b = &ev->budapest;
	for (size_t r = 0; r < b->nrows; r++) {
		struct store_val v[] = {sv_text(table_cell(b, r, BU_TREATY)),
			sv_text(table_cell(b, r, BU_ISO3)),
			sv_text(table_cell(b, r, BU_STATUS)),
			sv_text(table_cell(b, r, BU_SIG)), sv_text(table_cell(b, r, BU_RAT)),
			sv_text(table_cell(b, r, BU_EIF)), sv_text(table_cell(b, r, BU_SRC)),
			sv_text(table_cell(b, r, BU_NOTE))};
		store_batch_upsert(w, "treaty_party", pcols, v, 8, 2);
	}
	struct writer x = {w, NULL, cat};
	write_strategies(&x, &ev->strategies);
	write_csirts(&x, &ev->csirts);
	write_laws(&x, &ev->laws);
	write_budapest(&x, &ev->budapest, countries, iso3_col);
	write_positions(&x, &ev->positions, countries, iso3_col);
}
