/* Norm-centred use cases: who reports implementing a norm.  See app.h. */
#include "app/app.h"

#include <stdint.h>
#include <string.h>

#include "store/store.h"

/* Groups the answer rows (ordered by state and year) into one object per
 * response. */
struct impl {
	struct jw *w;
	const struct app_norm_impl_query *q;
	struct strmap *latest; /* iso3 -> its latest kept year, if q->latest */
	char iso3[4];   /* the response open in w, "" if none */
	long year;
};

/* The response filters (all but answer, which filters single rows). */
static bool response_kept(const struct app_norm_impl_query *q,
			  const struct store_norm_answer *r)
{
	return (!q->year || r->year == q->year) &&
	       (!q->country || strcmp(q->country, r->iso3) == 0) &&
	       !(q->no_synthetic && r->synthetic);
}

static void impl_close(struct impl *x)
{
	if (!x->iso3[0])
		return;
	jw_arr_end(x->w);
	jw_obj_end(x->w);
	x->iso3[0] = '\0';
}

static int impl_row(void *ctx, const struct store_norm_answer *r)
{
	struct impl *x = ctx;
	struct jw *w = x->w;
	const struct app_norm_impl_query *q = x->q;
	if (!response_kept(q, r) || (q->answer && strcmp(q->answer, r->answer) != 0))
		return 0;
	if (x->latest && (intptr_t)strmap_get(x->latest, r->iso3) != r->year)
		return 0;
	if (strcmp(x->iso3, r->iso3) != 0 || x->year != r->year) {
		impl_close(x);
		snprintf(x->iso3, sizeof x->iso3, "%s", r->iso3);
		x->year = r->year;
		jw_obj(w);
		jw_kstr(w, "country", r->iso3);
		jw_kstr(w, "name", r->name);
		jw_kint(w, "year", r->year);
		jw_kint(w, "revision", r->revision);
		jw_kbool(w, "synthetic", r->synthetic);
		jw_key(w, "answers");
		jw_arr(w);
	}
	jw_obj(w);
	jw_kstr(w, "question", r->question);
	jw_kstr(w, "text", r->text);
	jw_kstr(w, "answer", r->answer);
	if (r->comment)
		jw_kstr(w, "comment", r->comment);
	jw_key(w, "evidence");
	jw_raw(w, r->evidence_json);
	jw_kbool(w, "synthetic", r->synthetic);
	jw_obj_end(w);
	return 0;
}

/* For q->latest, a first pass: each state's latest year among the
 * responses the other filters keep. */
struct latest_pass {
	const struct app_norm_impl_query *q;
	struct strmap years; /* iso3 -> (void *)(intptr_t)year */
	struct arena ar;
};

static int latest_row(void *ctx, const struct store_norm_answer *r)
{
	struct latest_pass *p = ctx;
	if (!response_kept(p->q, r))
		return 0;
	intptr_t y = (intptr_t)strmap_get(&p->years, r->iso3);
	if (r->year > y)
		strmap_put(&p->years, arena_strdup(&p->ar, r->iso3),
			   (void *)(intptr_t)r->year);
	return 0;
}

int app_norm_implementation_json(struct app *a, const char *norm,
				 const struct app_norm_impl_query *flt,
				 struct jw *w, struct cdg_err *e)
{
	static const struct app_norm_impl_query none = {0};
	if (!flt)
		flt = &none;
	const struct fw_norm *n = fw_norm(&a->cat, norm);
	if (!n)
		return err_at(e, CDG_EUSAGE, NULL, 0, "norm", "\"%s\" is not a norm "
			      "letter a-k", norm);
	if (flt->country && !(strlen(flt->country) == 3 &&
			    strspn(flt->country, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3))
		return err_at(e, CDG_EUSAGE, NULL, 0, "country", "\"%s\" is not "
			      "an ISO 3166-1 alpha-3 code (e.g. FRA)", flt->country);
	struct latest_pass lp = {.q = flt};
	strmap_init(&lp.years);
	arena_init(&lp.ar);
	int rc = 0;
	if (flt->latest)
		rc = store_norm_answers_each(a->st, n->id, latest_row, &lp, e);
	if (rc) {
		strmap_free(&lp.years);
		arena_free(&lp.ar);
		return rc;
	}
	jw_obj(w);
	jw_kstr(w, "norm", n->id);
	jw_kstr(w, "paragraph", n->paragraph);
	jw_kstr(w, "title", n->title);
	jw_key(w, "questions");
	jw_arr(w);
	for (size_t i = 0; i < a->cat.n_questions; i++) {
		const struct fw_question *q = &a->cat.questions[i];
		if (!q->norm || strcmp(q->norm, n->id) != 0)
			continue;
		jw_obj(w);
		jw_kstr(w, "id", q->id);
		jw_kstr(w, "text", q->text);
		jw_kstr(w, "scale", q->scale);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "responses");
	jw_arr(w);
	struct impl x = {.w = w, .q = flt, .latest = flt->latest ? &lp.years : NULL};
	rc = store_norm_answers_each(a->st, n->id, impl_row, &x, e);
	impl_close(&x);
	jw_arr_end(w);
	jw_obj_end(w);
	strmap_free(&lp.years);
	arena_free(&lp.ar);
	return rc;
}
