/* Desk-research evidence (data/evidence/): read and checked before cdg init
 * writes anything, then written as treaty status and as observations of
 * source type desk_research.  Private to app/ (init.c). */
#ifndef CDG_APP_EVIDENCE_INT_H
#define CDG_APP_EVIDENCE_INT_H

#include "app/app.h"
#include "formats/formats.h"
#include "store/store.h"

struct evidence {
	struct table strategies; /* strategies.csv */
	struct table csirts;     /* csirts.csv */
	struct table laws;       /* cybercrime_laws.csv */
	struct table budapest;   /* budapest.csv (ETS 185, ETS 189, CETS 224) */
	struct table network;    /* budapest_247_network.csv */
	struct table positions;  /* positions_il.csv */
};

/* Reads every file of dir/evidence into ev (cells in arena a), checking
 * each row: known columns and values, a State of countries (column iso3 of
 * un_member_states.csv, whose name must be the row's state), no date after
 * today, http(s) sources, no fact twice.  The first fault is the error
 * (CDG_EINPUT, naming file, line and field). */
int evidence_read(struct evidence *ev, struct arena *a, const char *dir,
		  const struct table *countries, size_t iso3_col, size_t name_col,
		  struct cdg_err *e);

/* Writes the Council of Europe treaties' parties (treaty_party) and the
 * observations the evidence gives (docs/public-evidence.md says which and
 * how), in the caller's transaction.  countries (its column iso3_col)
 * lists every State, for facts whose absence from a complete list is itself
 * evidence.  The 24/7 network file is read and checked here but loaded by
 * the cybercrime module (app_crime_init_load). */
void evidence_write(struct store_batch *w, const struct evidence *ev,
		    const struct fw_catalog *cat, const struct table *countries,
		    size_t iso3_col);

/* The treaties of budapest.csv, for the treaty table. */
struct evidence_treaty {
	const char *id, *short_name, *name, *url;
};
extern const struct evidence_treaty evidence_treaties[];
extern const size_t evidence_ntreaties;

#endif
