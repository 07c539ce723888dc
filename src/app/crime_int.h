/* Inside the cybercrime use cases (app/crime*.c), not for other modules:
 * what loading data/crime/ at init (crime_init.c), the queries (crime.c)
 * and the imports and export (crime_import.c) share; crime_common.c. */
#ifndef CDG_APP_CRIME_INT_H
#define CDG_APP_CRIME_INT_H

#include "app/app.h"
#include "crime/crime.h"
#include "formats/formats.h"
#include "store/store.h"

/* The catalog files, stored in catalog_file under "crime/<name>". */
extern const char *const cr_cat_files[3];
#define GROUP_FILE "coe_members.csv"
#define GROUP_ID "coe_member"
#define MAX_IMPORT_BYTES (64LL << 20)

/* The states of the database: iso3 -> index + 1 in a strmap. */
struct states {
	size_t n;
	const char **iso3;   /* by iso3 */
	bool *member;        /* UN member, else observer */
	size_t cap;          /* allocated entries */
	struct strmap idx;   /* iso3 -> (void *)(index + 1) */
	struct arena *a;
};

/* Day number of s, or CRIME_NEVER when s is NULL, empty or not a date. */
int32_t cr_day_of(const char *s);
/* Today (UTC) as a day number. */
int32_t cr_today(void);
/* The states of the database into s (strings in a). */
int cr_states_load(struct store *st, struct arena *a, struct states *s,
		   struct cdg_err *e);
/* Index of iso3 in s, or -1. */
long cr_state_find(const struct states *s, const char *iso3);
/* The whole file at path as a string in a. */
int cr_read_text(struct arena *a, const char *path, char **out, struct cdg_err *e);
/* The crime catalog as cdg init stored it in the database. */
int cr_catalog_load(struct app *app, struct arena *a, struct crime_catalog *cat,
		    struct cdg_err *e);

#endif
