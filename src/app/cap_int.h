/* Internals shared by app/capacity.c and app/agreements.c; nothing else
 * includes this. */
#ifndef CDG_APP_CAP_INT_H
#define CDG_APP_CAP_INT_H

#include "app/app.h"
#include "formats/formats.h"
#include "store/store.h"

/* The codes records may use, read from the catalog and the database. */
struct cap_codes {
	struct arena arena;       /* keys */
	struct strmap states, goals, norms, industry;
	struct reg_names names;   /* non-UN entities, for faults */
	struct cap_known k;       /* points at the maps above */
};
int cap_codes_load(struct store *st, const struct fw_catalog *cat,
		   struct cap_codes *c, struct cdg_err *e);
void cap_codes_free(struct cap_codes *c);

/* A stored JSON array of strings, copied into a (n set to its length). */
const char **cap_json_strs(struct arena *a, const char *json, size_t *n);
/* A stored row's text column i, or NULL. */
const char *cap_val_s(const struct store_row *r, size_t i);
/* A JSON array of strings in arena a. */
const char *cap_json_list(struct arena *a, const char *const *v, size_t n);
/* Writes the first error of errs into e (for init). */
void cap_first_fault(struct cdg_err *e, const struct err_list *errs);

/* Writes an agreements set in the caller's transaction (init, import). */
int agr_write_set(struct store *st, const struct agr_set *s, long long *written,
		  struct cdg_err *e);
/* Reads and checks data_dir/agreements/ into s. */
int agr_read_dir(const char *data_dir, const struct cap_known *k,
		 struct agr_set *s, struct cdg_err *e);

/* The desk-research list of participants
 * (data_dir/evidence/agreement_participants.csv), read and checked for
 * cdg init: every row names an agreement of s that the list may fill, a
 * status that agreement allows, a known State under its UN name (or no
 * code for an organisation or company), a joining date not in the future,
 * an http(s) source and the day it was checked; no participant twice for
 * one agreement, in the list or beside the agreements file's own.  The
 * first fault is the error (CDG_EINPUT with file, line and field). */
struct agr_desk {
	struct arena arena;      /* cells of t */
	struct table t;          /* the rows, in file order */
	const char **agreement;  /* per row: the cdg agreement id */
};
int agr_desk_read(const char *data_dir, const struct cap_known *k,
		  const struct agr_set *s, struct agr_desk *d, struct cdg_err *e);
/* Writes d's rows as participants of their agreements, after those of
 * the agreements file, and drops desk rows of the agreements of s that d
 * no longer lists; in the caller's transaction. */
int agr_desk_write(struct store *st, const struct agr_set *s,
		   const struct agr_desk *d, long long *written, struct cdg_err *e);
void agr_desk_free(struct agr_desk *d);

#endif
