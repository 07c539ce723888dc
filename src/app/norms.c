/* Norm-centred use cases: who reports implementing a norm.  See app.h. */
#include "app/app.h"

#include <string.h>

#include "store/store.h"

/* Groups the answer rows (ordered by state and year) into one object per
 * response. */
struct impl {
	struct jw *w;
	char iso3[4];   /* the response open in w, "" if none */
	long year;
};

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

int app_norm_implementation_json(struct app *a, const char *norm, struct jw *w,
				 struct cdg_err *e)
{
	const struct fw_norm *n = fw_norm(&a->cat, norm);
	if (!n)
		return err_at(e, CDG_EUSAGE, NULL, 0, "norm", "\"%s\" is not a norm "
			      "letter a-k", norm);
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
	struct impl x = {.w = w};
	int rc = store_norm_answers_each(a->st, n->id, impl_row, &x, e);
	impl_close(&x);
	jw_arr_end(w);
	jw_obj_end(w);
	return rc;
}
