/* libFuzzer target: the survey response parser (JSON and CSV) must never
 * crash, leak, hang or read out of bounds, whatever the bytes.  A rejected
 * file has at least one fault naming the file; an accepted one has a
 * country and a question everywhere, and round-trips: each response
 * written as JSON (what the store keeps, app/survey.c) reads back field
 * for field, and the responses written as CSV (the CSV export) read back
 * to as many responses and answers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static void check_doc(const struct sv_doc *d)
{
	for (size_t i = 0; i < d->n_responses; i++) {
		const struct sv_response *r = &d->responses[i];
		if (!r->country || !r->country[0])
			abort();
		for (size_t k = 0; k < r->n_answers; k++) {
			const struct sv_answer *a = &r->answers[k];
			if (!a->question || !a->question[0])
				abort();
			for (size_t j = 0; j < a->n_evidence; j++)
				if (!a->evidence[j][0])
					abort();
		}
	}
}

/* Writes r as JSON and checks it reads back as the same response. */
static void json_round_trip(const struct sv_response *r)
{
	struct buf out = BUF_INIT;
	sv_write_json(r, &out, true);
	struct err_list errs;
	errs_init(&errs, 4);
	struct sv_doc d;
	if (sv_parse(&d, "again.json", out.p, out.len, &errs) != 0 ||
	    d.n_responses != 1)
		abort();
	const struct sv_response *b = &d.responses[0];
	if (!same_str(r->country, b->country) || r->year != b->year ||
	    r->synthetic != b->synthetic || r->n_answers != b->n_answers)
		abort();
	for (size_t k = 0; k < r->n_answers; k++) {
		const struct sv_answer *x = &r->answers[k], *y = &b->answers[k];
		if (!same_str(x->question, y->question) ||
		    !same_str(x->answer, y->answer) ||
		    !same_str(x->comment, y->comment) ||
		    !same_str(x->challenges, y->challenges) ||
		    !same_str(x->capacity_needs, y->capacity_needs) ||
		    x->n_evidence != y->n_evidence)
			abort();
		for (size_t j = 0; j < x->n_evidence; j++)
			if (strcmp(x->evidence[j], y->evidence[j]) != 0)
				abort();
	}
	sv_free(&d);
	errs_free(&errs);
	buf_free(&out);
}

/* Writes the responses as CSV and checks the counts read back.  CSV
 * cannot hold everything JSON can: years outside 0-9999, two responses
 * of one country and year (CSV rows group into one), evidence holding a
 * space (CSV separates items by spaces); such documents are skipped. */
static void csv_round_trip(const struct sv_doc *d)
{
	size_t answers = 0;
	for (size_t i = 0; i < d->n_responses; i++) {
		const struct sv_response *r = &d->responses[i];
		if (r->year < 0 || r->year > 9999)
			return;
		for (size_t k = 0; k < i; k++)
			if (strcmp(d->responses[k].country, r->country) == 0 &&
			    d->responses[k].year == r->year)
				return;
		for (size_t k = 0; k < r->n_answers; k++)
			for (size_t j = 0; j < r->answers[k].n_evidence; j++)
				if (strchr(r->answers[k].evidence[j], ' '))
					return;
		answers += r->n_answers;
	}
	if (answers == 0)
		return; /* a header alone is not a response */
	struct buf out = BUF_INIT;
	sv_write_csv(d->responses, d->n_responses, &out);
	struct err_list errs;
	errs_init(&errs, 4);
	struct sv_doc b;
	if (sv_parse(&b, "again.csv", out.p, out.len, &errs) != 0)
		abort();
	size_t back = 0;
	for (size_t i = 0; i < b.n_responses; i++)
		back += b.responses[i].n_answers;
	if (back != answers)
		abort();
	/* Responses without answers write no rows. */
	size_t with = 0;
	for (size_t i = 0; i < d->n_responses; i++)
		with += d->responses[i].n_answers > 0;
	if (b.n_responses != with)
		abort();
	sv_free(&b);
	errs_free(&errs);
	buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	if (!text)
		return 0;
	struct err_list errs;
	errs_init(&errs, 8);
	struct sv_doc d;
	int rc = sv_parse(&d, "fuzz", text, size, &errs);
	if (rc != 0 && rc != CDG_EINPUT)
		abort();
	if (rc != 0) {
		fuzz_check_faults(&errs, 0, "fuzz");
	} else {
		if (errs.total != 0)
			abort();
		check_doc(&d);
		for (size_t i = 0; i < d.n_responses; i++)
			json_round_trip(&d.responses[i]);
		csv_round_trip(&d);
	}
	sv_free(&d);
	errs_free(&errs);
	free(text);
	return 0;
}
