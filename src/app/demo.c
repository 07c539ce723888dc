/* cdg demo: a clearly labelled SYNTHETIC survey round. */
#include "app/app.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

/* The two survey years of the demo round: far enough apart for trends. */
static const long demo_years[2] = {2023, 2025};

/* FNV-1a over a few strings: the same inputs give the same made-up data
 * on every machine. */
static uint64_t mix(const char *a, const char *b, long n)
{
	uint64_t h = 1469598103934665603ULL;
	const char *parts[2] = {a, b};
	for (int i = 0; i < 2; i++)
		for (const char *p = parts[i]; p && *p; p++) {
			h ^= (unsigned char)*p;
			h *= 1099511628211ULL;
		}
	h ^= (uint64_t)n;
	h *= 1099511628211ULL;
	h ^= h >> 29;
	return h;
}

static double unit(uint64_t h)
{
	return (double)(h >> 11) / 9007199254740992.0;
}

static const char *const needs[] = {
	"SYNTHETIC: technical training for staff",
	"SYNTHETIC: drafting support for legislation",
	"SYNTHETIC: funding for a national exercise",
	"SYNTHETIC: peer exchange with a regional CSIRT",
	"SYNTHETIC: awareness material in local languages",
};

/* One state's made-up response for one year, as a survey JSON document.
 * maturity in 0..1 drives how positive the answers are. */
static void response_json(const struct fw_catalog *c, const char *iso3,
			  long year, double maturity, struct buf *out)
{
	struct jw w;
	jw_init(&w, out, false);
	jw_obj(&w);
	jw_kstr(&w, "format", "cdg-survey-response/1");
	jw_kstr(&w, "country", iso3);
	jw_kint(&w, "year", year);
	jw_kbool(&w, "synthetic", true);
	jw_key(&w, "answers");
	jw_arr(&w);
	for (size_t i = 0; i < c->n_questions; i++) {
		const struct fw_question *q = &c->questions[i];
		const struct fw_scale *s = fw_scale(c, q->scale);
		uint64_t h = mix(iso3, q->id, year);
		if (unit(h) < 0.05)
			continue; /* a few questions left unanswered */
		/* Pick the scored option nearest to maturity plus noise. */
		double want = maturity + (unit(h * 31 + 7) - 0.5) * 0.5;
		const struct fw_option *best = NULL;
		double bestd = 2;
		for (size_t k = 0; k < s->n_options; k++) {
			const struct fw_option *o = &s->options[k];
			if (!o->scored)
				continue;
			double d = o->score > want ? o->score - want : want - o->score;
			if (d < bestd) {
				bestd = d;
				best = o;
			}
		}
		if (!best)
			continue;
		jw_obj(&w);
		jw_kstr(&w, "question", q->id);
		jw_kstr(&w, "answer", best->value);
		jw_kstr(&w, "comment", "SYNTHETIC demo answer, not the position of any State.");
		if (best->score > 0 && strcmp(q->evidence, "none") != 0) {
			char url[160];
			snprintf(url, sizeof url, "https://example.org/synthetic/%s/%ld/%s",
				 iso3, year, q->id);
			jw_key(&w, "evidence");
			jw_arr(&w);
			jw_str(&w, url);
			jw_arr_end(&w);
		}
		if (q->capacity_needs && best->score < 1 && unit(h * 17 + 3) < 0.5)
			jw_kstr(&w, "capacity_needs",
				needs[(h >> 7) % (sizeof needs / sizeof needs[0])]);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
}

int app_demo(struct app *a, size_t n_states, struct app_demo_report *rep,
	     struct cdg_err *e)
{
	memset(rep, 0, sizeof *rep);
	if (!n_states)
		n_states = 40;
	/* The demo round is the one the actor "demo" wrote. */
	if (store_survey_revisions_by(a->st, "demo") > 0)
		return err_set(e, CDG_ECONFLICT, "the synthetic demo round is already loaded");
	int rc = 0;
	struct arena ar;
	arena_init(&ar);
	const char **iso3, **m49;
	size_t n;
	rc = store_country_codes(a->st, &ar, &iso3, &m49, &n, e);
	/* Every k-th state, so the demo spans the alphabet (and regions). */
	size_t step = n_states < n ? n / n_states : 1;
	struct buf doc = BUF_INIT;
	buf_addc(&doc, '[');
	size_t picked = 0;
	for (size_t i = 0; rc == 0 && i < n && picked < n_states; i += step, picked++) {
		double m = 0.15 + 0.7 * unit(mix(iso3[i], "maturity", 0));
		for (int y = 0; y < 2; y++) {
			if (doc.len > 1)
				buf_addc(&doc, ',');
			response_json(&a->cat, iso3[i], demo_years[y],
				      m + 0.12 * y, &doc);
			rep->responses++;
		}
	}
	buf_addc(&doc, ']');
	rep->states = picked;
	char path[] = "/tmp/cdg-demo-XXXXXX";
	int fd = rc ? -1 : mkstemp(path);
	if (rc == 0 && fd < 0)
		rc = err_set(e, CDG_EIO, "cannot create a temporary file");
	if (fd >= 0) {
		close(fd);
		rc = file_write_atomic(path, doc.p, doc.len, e);
	}
	struct err_list errs;
	errs_init(&errs, 5);
	struct app_survey_report sr;
	if (rc == 0)
		rc = app_survey_import(a, path, "demo", true, &sr, &errs, e);
	if (rc == CDG_EINPUT && errs.n)
		*e = errs.v[0];
	errs_free(&errs);
	if (fd >= 0)
		unlink(path);
	static const char *const moves[] = {"submit", "validate", "publish"};
	for (size_t i = 0; rc == 0 && i < n && i / step < picked; i += step)
		for (int y = 0; y < 2 && rc == 0; y++)
			for (int k = 0; k < 3 && rc == 0; k++)
				rc = app_survey_move(a, iso3[i], demo_years[y], moves[k],
						     "demo", e);
	buf_free(&doc);
	arena_free(&ar);
	return rc;
}
