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

#endif
