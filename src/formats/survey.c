/* Survey response files: JSON and CSV, parse and write.  See formats.h. */
#include "formats/formats.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct sctx {
	struct sv_doc *d;
	const char *name;
	const char *text;
	struct err_list *errs;
	long *qlines, *clines;  /* lines of every "question" / "country" key */
	size_t nq, nc;
};

static long nth(const long *lines, size_t n, size_t k)
{
	return k < n ? lines[k] : 0;
}

static void fault(struct sctx *x, long line, const char *field,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fault(struct sctx *x, long line, const char *field,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	errs_vaddf(x->errs, x->name, line, field, fmt, ap);
	va_end(ap);
}

static const char *opt_str(struct sctx *x, json_t *o, const char *key,
			   long line)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		fault(x, line, key, "must be a string");
		return NULL;
	}
	const char *s = json_string_value(v);
	return *s ? arena_strdup(&x->d->arena, s) : NULL;
}

static bool only_keys(struct sctx *x, json_t *o, const char *const *allowed,
		      long line)
{
	const char *k;
	json_t *v;
	bool ok = true;
	json_object_foreach(o, k, v) {
		(void)v;
		bool known = false;
		for (const char *const *a = allowed; *a && !known; a++)
			known = strcmp(*a, k) == 0;
		if (!known) {
			fault(x, line, k, "unknown key");
			ok = false;
		}
	}
	return ok;
}

static void parse_answer(struct sctx *x, json_t *o, struct sv_answer *a,
			 size_t index)
{
	static const char *const keys[] = {"question", "answer", "comment",
		"evidence", "challenges", "capacity_needs", NULL};
	a->line = nth(x->qlines, x->nq, index);
	if (!json_is_object(o)) {
		fault(x, a->line, "answers", "each answer must be an object");
		return;
	}
	only_keys(x, o, keys, a->line);
	a->question = opt_str(x, o, "question", a->line);
	if (!a->question)
		fault(x, a->line, "question", "missing the question id");
	a->answer = opt_str(x, o, "answer", a->line);
	a->comment = opt_str(x, o, "comment", a->line);
	a->challenges = opt_str(x, o, "challenges", a->line);
	a->capacity_needs = opt_str(x, o, "capacity_needs", a->line);
	json_t *ev = json_object_get(o, "evidence");
	if (ev && !json_is_null(ev)) {
		if (!json_is_array(ev)) {
			fault(x, a->line, "evidence", "must be an array of links or document references");
			return;
		}
		a->evidence = arena_alloc(&x->d->arena,
					  (json_array_size(ev) + 1) * sizeof *a->evidence);
		size_t i;
		json_t *v;
		json_array_foreach(ev, i, v) {
			if (!json_is_string(v) || !json_string_value(v)[0]) {
				fault(x, a->line, "evidence", "item %zu must be a non-empty string", i + 1);
				continue;
			}
			a->evidence[a->n_evidence++] =
				arena_strdup(&x->d->arena, json_string_value(v));
		}
	}
}

static void parse_response(struct sctx *x, json_t *o, struct sv_response *r,
			   size_t index, size_t *answer_base)
{
	static const char *const keys[] = {"format", "country", "year",
		"synthetic", "answers", NULL};
	r->line = nth(x->clines, x->nc, index);
	if (!json_is_object(o)) {
		fault(x, r->line, NULL, "a response must be an object");
		return;
	}
	only_keys(x, o, keys, r->line);
	json_t *f = json_object_get(o, "format");
	if (f && (!json_is_string(f) || strcmp(json_string_value(f), SV_FORMAT) != 0))
		fault(x, r->line, "format", "must be \"%s\"", SV_FORMAT);
	r->country = opt_str(x, o, "country", r->line);
	if (!r->country)
		fault(x, r->line, "country", "missing the country code");
	json_t *y = json_object_get(o, "year");
	if (!json_is_integer(y))
		fault(x, r->line, "year", "must be a whole number");
	else
		r->year = (long)json_integer_value(y);
	json_t *syn = json_object_get(o, "synthetic");
	if (syn && !json_is_boolean(syn))
		fault(x, r->line, "synthetic", "must be true or false");
	r->synthetic = json_is_true(syn);
	json_t *as = json_object_get(o, "answers");
	if (!json_is_array(as)) {
		fault(x, r->line, "answers", "must be an array");
		return;
	}
	r->answers = arena_alloc(&x->d->arena,
				 (json_array_size(as) + 1) * sizeof *r->answers);
	size_t i;
	json_t *v;
	json_array_foreach(as, i, v)
		parse_answer(x, v, &r->answers[r->n_answers++], (*answer_base)++);
}

static void parse_json(struct sctx *x)
{
	json_error_t je;
	json_t *root = json_loads(x->text, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		fault(x, je.line, NULL, "column %d: invalid JSON: %s", je.column, je.text);
		return;
	}
	size_t n = json_is_array(root) ? json_array_size(root) : 1;
	x->d->responses = arena_alloc(&x->d->arena, (n + 1) * sizeof *x->d->responses);
	size_t answer_base = 0;
	if (json_is_array(root)) {
		size_t i;
		json_t *v;
		json_array_foreach(root, i, v)
			parse_response(x, v, &x->d->responses[x->d->n_responses++], i,
				       &answer_base);
	} else {
		parse_response(x, root, &x->d->responses[x->d->n_responses++], 0,
			       &answer_base);
	}
	json_decref(root);
}

/* Splits evidence written as space-separated items. */
static void split_evidence(struct sctx *x, const char *s, struct sv_answer *a)
{
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == ' ';
	a->evidence = arena_alloc(&x->d->arena, cap * sizeof *a->evidence);
	const char *p = s;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *q = p;
		while (*q && *q != ' ')
			q++;
		if (q > p)
			a->evidence[a->n_evidence++] =
				arena_strndup(&x->d->arena, p, (size_t)(q - p));
		p = q;
	}
}

static void parse_csv(struct sctx *x, size_t n)
{
	static const struct col_spec spec[] = {
		{"country", COL_TEXT, true, NULL},
		{"year", COL_TEXT, true, NULL},
		{"question", COL_TEXT, true, NULL},
		{"answer", COL_TEXT, false, NULL},
		{"comment", COL_TEXT, false, NULL},
		{"evidence", COL_TEXT, false, NULL},
		{"challenges", COL_TEXT, false, NULL},
		{"capacity_needs", COL_TEXT, false, NULL},
		{"synthetic", COL_TEXT, false, NULL},
	};
	struct table t;
	struct cdg_err e;
	if (table_read(x->name, x->text, n, spec, 9, -1, TABLE_STRICT,
		       &x->d->arena, &t, &e) != 0) {
		errs_add(x->errs, &e);
		return;
	}
	/* Rows group into responses by country and year: a map finds the
	 * response of each row and a first pass counts its answers, so that
	 * a file of many responses costs linear time and memory. */
	x->d->responses = arena_alloc(&x->d->arena,
				      (t.nrows + 1) * sizeof *x->d->responses);
	size_t *of = arena_alloc(&x->d->arena, (t.nrows + 1) * sizeof *of);
	struct arena keys;
	arena_init(&keys);
	struct strmap at; /* "YEAR COUNTRY" -> index of the response + 1 */
	strmap_init(&at);
	for (size_t r = 0; r < t.nrows; r++) {
		const char *country = table_cell(&t, r, 0);
		const char *ys = table_cell(&t, r, 1);
		long year = 0;
		if (parse_long(ys, 0, 9999, &year) != 0)
			fault(x, t.lines[r], "year", "\"%s\" is not a year", ys);
		const char *syn = table_cell(&t, r, 8);
		if (*syn && strcmp(syn, "0") && strcmp(syn, "1"))
			fault(x, t.lines[r], "synthetic", "must be 0 or 1");
		const char *key = arena_printf(&keys, "%ld %s", year, country);
		size_t k = (size_t)(uintptr_t)strmap_get(&at, key);
		if (!k) {
			k = ++x->d->n_responses;
			strmap_put(&at, key, (void *)(uintptr_t)k);
			x->d->responses[k - 1].country = country;
			x->d->responses[k - 1].year = year;
			x->d->responses[k - 1].line = t.lines[r];
		}
		of[r] = k - 1;
		struct sv_response *resp = &x->d->responses[k - 1];
		resp->synthetic = resp->synthetic || strcmp(syn, "1") == 0;
		resp->n_answers++;
	}
	strmap_free(&at);
	arena_free(&keys);
	for (size_t k = 0; k < x->d->n_responses; k++) {
		struct sv_response *resp = &x->d->responses[k];
		resp->answers = arena_alloc(&x->d->arena,
					    resp->n_answers * sizeof *resp->answers);
		resp->n_answers = 0;
	}
	for (size_t r = 0; r < t.nrows; r++) {
		struct sv_response *resp = &x->d->responses[of[r]];
		struct sv_answer *a = &resp->answers[resp->n_answers++];
		a->line = t.lines[r];
		a->question = table_cell(&t, r, 2);
		const char *v[] = {table_cell(&t, r, 3), table_cell(&t, r, 4),
				   table_cell(&t, r, 6), table_cell(&t, r, 7)};
		a->answer = *v[0] ? v[0] : NULL;
		a->comment = *v[1] ? v[1] : NULL;
		a->challenges = *v[2] ? v[2] : NULL;
		a->capacity_needs = *v[3] ? v[3] : NULL;
		split_evidence(x, table_cell(&t, r, 5), a);
	}
}

int sv_parse(struct sv_doc *d, const char *name, const char *text, size_t n,
	     struct err_list *errs)
{
	memset(d, 0, sizeof *d);
	arena_init(&d->arena);
	struct sctx x = {d, name, text, errs, NULL, NULL, 0, 0};
	long before = errs->total;
	if (!utf8_valid(text, n)) {
		fault(&x, 0, NULL, "the file is not valid UTF-8");
		return CDG_EINPUT;
	}
	size_t i = 0;
	if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
			 text[i] == '\n'))
		i++;
	if (i < n && (text[i] == '{' || text[i] == '[')) {
		x.nq = json_key_lines(text, "question", &x.qlines);
		x.nc = json_key_lines(text, "country", &x.clines);
		parse_json(&x);
		free(x.qlines);
		free(x.clines);
	}
	else
		parse_csv(&x, n);
	return errs->total > before ? CDG_EINPUT : 0;
}

void sv_free(struct sv_doc *d)
{
	arena_free(&d->arena);
	memset(d, 0, sizeof *d);
}

void sv_write_json(const struct sv_response *r, struct buf *out, bool pretty)
{
	struct jw w;
	jw_init(&w, out, pretty);
	jw_obj(&w);
	jw_kstr(&w, "format", SV_FORMAT);
	jw_kstr(&w, "country", r->country);
	jw_kint(&w, "year", r->year);
	if (r->synthetic)
		jw_kbool(&w, "synthetic", true);
	jw_key(&w, "answers");
	jw_arr(&w);
	for (size_t i = 0; i < r->n_answers; i++) {
		const struct sv_answer *a = &r->answers[i];
		jw_obj(&w);
		jw_kstr(&w, "question", a->question);
		if (a->answer)
			jw_kstr(&w, "answer", a->answer);
		if (a->comment)
			jw_kstr(&w, "comment", a->comment);
		if (a->n_evidence) {
			jw_key(&w, "evidence");
			jw_arr(&w);
			for (size_t k = 0; k < a->n_evidence; k++)
				jw_str(&w, a->evidence[k]);
			jw_arr_end(&w);
		}
		if (a->challenges)
			jw_kstr(&w, "challenges", a->challenges);
		if (a->capacity_needs)
			jw_kstr(&w, "capacity_needs", a->capacity_needs);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	if (pretty)
		buf_addc(out, '\n');
}

void sv_write_csv(const struct sv_response *r, size_t n, struct buf *out)
{
	buf_adds(out, "country,year,question,answer,comment,evidence,challenges,"
		      "capacity_needs,synthetic\r\n");
	for (size_t k = 0; k < n; k++) {
		char year[16];
		snprintf(year, sizeof year, "%ld", r[k].year);
		for (size_t i = 0; i < r[k].n_answers; i++) {
			const struct sv_answer *a = &r[k].answers[i];
			struct buf ev = BUF_INIT;
			for (size_t j = 0; j < a->n_evidence; j++)
				buf_addf(&ev, "%s%s", j ? " " : "", a->evidence[j]);
			csv_put(out, r[k].country, true);
			csv_put(out, year, false);
			csv_put(out, a->question, false);
			csv_put(out, a->answer ? a->answer : "", false);
			csv_put(out, a->comment ? a->comment : "", false);
			csv_put(out, ev.p, false);
			csv_put(out, a->challenges ? a->challenges : "", false);
			csv_put(out, a->capacity_needs ? a->capacity_needs : "", false);
			csv_put(out, r[k].synthetic ? "1" : "0", false);
			csv_endrow(out);
			buf_free(&ev);
		}
	}
}
