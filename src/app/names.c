/* Names of States from the database for every importer: see names_int.h. */
#include "app/names_int.h"

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
