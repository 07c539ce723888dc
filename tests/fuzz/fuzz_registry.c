/* libFuzzer target: the registry's CSV and registry JSON readers must
 * never crash, leak, hang or read out of bounds, whatever the bytes.  A
 * rejected file has at least one fault naming the file; an accepted one
 * is consistent (every attribution belongs to an incident of the set) and
 * round-trips as the exports do: CSV written and read again gives the
 * same attributions with the same ids, registry JSON written and read
 * again writes the same text, and the STIX bundle written from it reads
 * back to as many incidents and attributions. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void stix_round_trip(const struct reg_set *s)
{
	struct buf out = BUF_INIT;
	stix_write(s, "2026-01-01T00:00:00.000Z", &out);
	struct reg_set t;
	reg_set_init(&t);
	struct err_list errs;
	errs_init(&errs, 4);
	if (stix_parse(&t, "again.stix.json", out.p, out.len, fuzz_names(), &errs) != 0 ||
	    t.n_incidents != s->n_incidents || t.n_attrs != s->n_attrs)
		abort();
	fuzz_check_set(&t);
	errs_free(&errs);
	reg_set_free(&t);
	buf_free(&out);
}

static void csv_round_trip(const struct reg_set *s)
{
	struct buf out = BUF_INIT;
	reg_csv_write(s, &out);
	struct reg_set t;
	reg_set_init(&t);
	struct err_list errs;
	errs_init(&errs, 4);
	if (reg_csv_parse(&t, "again.csv", out.p, out.len, fuzz_names(), &errs) != 0 ||
	    t.n_attrs != s->n_attrs)
		abort();
	for (size_t i = 0; i < s->n_attrs; i++)
		if (strcmp(t.attrs[i].id, s->attrs[i].id) != 0 ||
		    t.attrs[i].n_refs != s->attrs[i].n_refs ||
		    t.attrs[i].confidence != s->attrs[i].confidence)
			abort();
	errs_free(&errs);
	reg_set_free(&t);
	buf_free(&out);
}

static void json_round_trip(const struct reg_set *s)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct jw w;
	jw_init(&w, &a, true);
	reg_json_write(s, &w);
	struct reg_set t;
	reg_set_init(&t);
	struct err_list errs;
	errs_init(&errs, 4);
	if (reg_json_parse(&t, "again.json", a.p, a.len, fuzz_names(), &errs) != 0)
		abort();
	fuzz_check_set(&t);
	jw_init(&w, &b, true);
	reg_json_write(&t, &w);
	if (strcmp(a.p, b.p) != 0)
		abort();
	errs_free(&errs);
	reg_set_free(&t);
	buf_free(&a);
	buf_free(&b);
}

static void csv_accepted(struct reg_set *s)
{
	fuzz_check_set(s);
	csv_round_trip(s);
}

static void json_accepted(struct reg_set *s)
{
	fuzz_check_set(s);
	json_round_trip(s);
	stix_round_trip(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	if (!text)
		return 0;
	fuzz_registry_read(reg_csv_parse, "fuzz.csv", text, size, csv_accepted);
	fuzz_registry_read(reg_json_parse, "fuzz.json", text, size, json_accepted);
	free(text);
	return 0;
}
