/* Names of States for the importers of app/ (issue 16): the one matcher
 * of formats.h ("names of States") filled from the database.  Private to
 * app/. */
#ifndef CDG_APP_NAMES_INT_H
#define CDG_APP_NAMES_INT_H

#include "formats/formats.h"
#include "store/store.h"

/* Fills n (initialised by the caller, freed with reg_names_free) with
 * every State of the country table, every alias of state_alias and every
 * non-UN entity of non_un_entity. */
int app_names_load(struct store *st, struct reg_names *n, struct cdg_err *e);

/* The fault message for a code or name that is no State: a non-UN entity
 * is named as one, else "unknown state" with the closest name.  In a. */
const char *app_names_fault(struct store *st, const char *text, struct arena *a);
/* True if text is the code or name of a non-UN entity. */
bool app_names_entity(struct store *st, const char *text);

#endif
