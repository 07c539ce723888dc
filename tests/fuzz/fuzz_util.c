/* Helpers of the fuzz targets: see fuzz_util.h. */
#include "fuzz_util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

char *fuzz_text(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return NULL;
	memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

const struct reg_names *fuzz_names(void)
{
	static struct reg_names names;
	static bool ready;
	if (ready)
		return &names;
	reg_names_init(&names);
	reg_names_add(&names, "GBR", "GB", "United Kingdom of Great Britain and "
		      "Northern Ireland", "United Kingdom");
	reg_names_add(&names, "RUS", "RU", "Russian Federation", "Russian Federation");
	reg_names_add(&names, "PRK", "KP", "Democratic People's Republic of Korea",
		      "Korea, Democratic People's Republic of");
	reg_names_add(&names, "KOR", "KR", "Republic of Korea", "Korea, Republic of");
	reg_names_add(&names, "CHN", "CN", "China", "China");
	reg_names_add(&names, "NLD", "NL", "Netherlands (Kingdom of the)", "Netherlands");
	reg_names_add(&names, "IRN", "IR", "Iran (Islamic Republic of)",
		      "Iran, Islamic Republic of");
	reg_names_add(&names, "UKR", "UA", "Ukraine", "Ukraine");
	reg_names_add(&names, "USA", "US", "United States of America",
		      "United States of America");
	reg_names_add(&names, "AUS", "AU", "Australia", "Australia");
	ready = true;
	return &names;
}

void fuzz_check_faults(const struct err_list *errs, long before, const char *name)
{
	if (errs->total <= before || errs->n == 0)
		abort();
	for (size_t i = 0; i < errs->n; i++)
		if (errs->v[i].code != CDG_EINPUT || errs->v[i].msg[0] == '\0' ||
		    strcmp(errs->v[i].file, name) != 0 || errs->v[i].line < 0)
			abort();
}

void fuzz_check_error(const struct cdg_err *e, const char *const *names, size_t n)
{
	bool named = false;
	for (size_t i = 0; i < n && !named; i++)
		named = strcmp(e->file, names[i]) == 0;
	if (e->code != CDG_EINPUT || !e->msg[0] || !named || e->line < 0)
		abort();
}

void fuzz_registry_read(fuzz_reg_reader read, const char *name, const char *text,
			size_t size, void (*accepted)(struct reg_set *s))
{
	struct err_list errs;
	errs_init(&errs, 8);
	struct reg_set s;
	reg_set_init(&s);
	if (read(&s, name, text, size, fuzz_names(), &errs) == 0)
		accepted(&s);
	else
		fuzz_check_faults(&errs, 0, name);
	reg_set_free(&s);
	errs_free(&errs);
}

void fuzz_check_set(const struct reg_set *s)
{
	for (size_t i = 0; i < s->n_incidents; i++) {
		const struct reg_incident *inc = &s->incidents[i];
		if (!inc->id || !inc->title)
			abort();
		if ((inc->start && strlen(inc->start) > 10) ||
		    (inc->end && strlen(inc->end) > 10))
			abort();
	}
	for (size_t i = 0; i < s->n_attrs; i++) {
		const struct reg_attr *r = &s->attrs[i];
		if (!r->id || !r->incident || !r->date || !r->title || !r->url ||
		    !r->party_kind || !r->party_name ||
		    !reg_find_incident(s, r->incident))
			abort();
		if (strlen(r->date) > 10 || r->confidence < -1 || r->confidence > 100)
			abort();
	}
	for (size_t i = 0; i < s->n_actors; i++) {
		const struct reg_actor *r = &s->actors[i];
		if (!r->id || !r->name || !r->kind)
			abort();
		if (r->confidence < -1 || r->confidence > 100)
			abort();
	}
}
