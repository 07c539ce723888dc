/* Names of States from the database for every importer: see names_int.h. */
#include "app/names_int.h"

#include <ctype.h>
#include <string.h>

#include "app/app.h"

static const char *val(const struct store_row *r, size_t i)
{
	return r->v[i].t == SV_TEXT ? r->v[i].s : NULL;
}

static int add_state(void *ctx, const struct store_row *r)
{
	reg_names_add(ctx, val(r, 0), val(r, 1), val(r, 2), val(r, 3));
	return 0;
}

static int add_alias(void *ctx, const struct store_row *r)
{
	reg_names_alias(ctx, val(r, 0), val(r, 1));
	return 0;
}

static int add_entity(void *ctx, const struct store_row *r)
{
	reg_names_add_entity(ctx, val(r, 0), val(r, 1), val(r, 2), val(r, 3), val(r, 4));
	return 0;
}

int app_names_load(struct store *st, struct reg_names *n, struct cdg_err *e)
{
	int rc = store_reg_each(st, "states", NULL, 0, add_state, n, e);
	if (rc == 0)
		rc = store_reg_each(st, "state_aliases", NULL, 0, add_alias, n, e);
	if (rc == 0)
		rc = store_reg_each(st, "non_un_entities", NULL, 0, add_entity, n, e);
	return rc;
}

bool app_names_entity(struct store *st, const char *text)
{
	struct reg_names n;
	struct cdg_err e;
	reg_names_init(&n);
	bool is = app_names_load(st, &n, &e) == 0 && reg_names_entity(&n, text);
	reg_names_free(&n);
	return is;
}

const char *app_names_fault(struct store *st, const char *text, struct arena *a)
{
	struct reg_names n;
	struct cdg_err e;
	reg_names_init(&n);
	const char *why = app_names_load(st, &n, &e) == 0 ? reg_names_why(&n, text, a)
			  : arena_printf(a, "unknown state \"%s\"", text);
	reg_names_free(&n);
	return why;
}

int app_country_resolve_json(struct app *a, const char *q, struct jw *w,
			     struct cdg_err *e)
{
	while (q && isspace((unsigned char)*q))
		q++;
	if (!q || !*q)
		return err_set(e, CDG_EUSAGE, "give q, a State's name or code");
	if (strlen(q) > 200)
		return err_set(e, CDG_EUSAGE, "q is longer than 200 bytes");
	struct reg_names n;
	reg_names_init(&n);
	int rc = app_names_load(a->st, &n, e);
	/* Codes are matched in capitals ("fra" is FRA); a two- or three-letter
	 * word that is no code is then read as a name ("uk", "prc"). */
	char up[4] = "";
	size_t len = strlen(q);
	while (len && isspace((unsigned char)q[len - 1]))
		len--;
	bool letters = len == 2 || len == 3;
	for (size_t i = 0; letters && i < len; i++) {
		letters = isalpha((unsigned char)q[i]) != 0;
		up[i] = (char)toupper((unsigned char)q[i]);
	}
	up[letters ? len : 0] = '\0';
	const char *iso3 = NULL;
	if (rc == 0) {
		iso3 = letters ? reg_names_state(&n, up) : NULL;
		if (!iso3)
			iso3 = reg_names_state(&n, q);
		if (!iso3) {
			struct arena ar;
			arena_init(&ar);
			rc = err_set(e, CDG_ENOTFOUND, "%s", reg_names_why(&n, q, &ar));
			arena_free(&ar);
		}
	}
	if (rc == 0) {
		jw_obj(w);
		jw_kstr(w, "query", q);
		jw_kstr(w, "iso3", iso3);
		jw_kstr(w, "name", reg_names_shown(&n, iso3));
		jw_obj_end(w);
	}
	reg_names_free(&n);
	return rc;
}
