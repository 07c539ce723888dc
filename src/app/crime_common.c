/* Helpers the cybercrime use cases share: see crime_int.h. */
#include "app/crime_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const cr_cat_files[3] = {"articles.json", "treaties.json",
				     "principles.json"};

/* Day number of s, or CRIME_NEVER when s is NULL, empty or not a date. */
int32_t cr_day_of(const char *s)
{
	int32_t d;
	if (!s || !*s || crime_date_parse(s, &d) != 0)
		return CRIME_NEVER;
	return d;
}

int32_t cr_today(void)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	return crime_days(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}


static int cr_state_row(void *ctx, const struct store_crime_state *r)
{
	struct states *s = ctx;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		const char **iso = arena_alloc(s->a, cap * sizeof *iso);
		bool *mem = arena_alloc(s->a, cap * sizeof *mem);
		if (s->n) {
			memcpy(iso, s->iso3, s->n * sizeof *iso);
			memcpy(mem, s->member, s->n * sizeof *mem);
		}
		s->iso3 = iso;
		s->member = mem;
		s->cap = cap;
	}
	s->iso3[s->n] = arena_strdup(s->a, r->iso3);
	s->member[s->n] = r->member;
	s->n++;
	return 0;
}

int cr_states_load(struct store *st, struct arena *a, struct states *s,
		       struct cdg_err *e)
{
	memset(s, 0, sizeof *s);
	s->a = a;
	strmap_init(&s->idx);
	int rc = store_crime_states(st, cr_state_row, s, e);
	for (size_t i = 0; rc == 0 && i < s->n; i++)
		strmap_put(&s->idx, s->iso3[i], (void *)(uintptr_t)(i + 1));
	return rc;
}

long cr_state_find(const struct states *s, const char *iso3)
{
	uintptr_t v = (uintptr_t)strmap_get(&s->idx, iso3);
	return v ? (long)v - 1 : -1;
}

int cr_read_text(struct arena *a, const char *path, char **out,
		     struct cdg_err *e)
{
	struct buf b = BUF_INIT;
	int rc = file_read_all(path, &b, e);
	if (rc == 0)
		*out = arena_strdup(a, b.p);
	buf_free(&b);
	return rc;
}

/* Catalog texts read back from catalog_file. */
struct cat_texts {
	struct arena *a;
	char *text[3];
};

static int collect_cat(void *ctx, const char *name, const char *text,
		       struct cdg_err *e)
{
	(void)e;
	struct cat_texts *ct = ctx;
	for (int i = 0; i < 3; i++)
		if (strncmp(name, "crime/", 6) == 0 && strcmp(name + 6, cr_cat_files[i]) == 0)
			ct->text[i] = arena_strdup(ct->a, text);
	return 0;
}

int cr_catalog_load(struct app *app, struct arena *a,
			struct crime_catalog *cat, struct cdg_err *e)
{
	struct cat_texts ct = {a, {NULL, NULL, NULL}};
	int rc = store_catalog_files(app->st, collect_cat, &ct, e);
	for (int i = 0; rc == 0 && i < 3; i++)
		if (!ct.text[i])
			rc = err_at(e, CDG_EDB, app->db_path, 0, NULL,
				    "crime/%s missing from the database; run "
				    "'cdg init'", cr_cat_files[i]);
	const char *names[3] = {"crime/articles.json", "crime/treaties.json",
				"crime/principles.json"};
	if (rc == 0)
		rc = crime_catalog_parse(cat, names, (const char *const *)ct.text,
					 a, e);
	return rc;
}
