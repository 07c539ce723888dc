/* libFuzzer target: the STIX 2.1 bundle reader and the MISP galaxy reader
 * must never crash, leak, hang or read out of bounds, whatever the bytes.
 * A rejected file has at least one fault naming the file; an accepted one
 * is consistent (every attribution belongs to an incident of the set,
 * dates are at most YYYY-MM-DD long, confidences on the 0-100 scale), and
 * what was read can be written again as STIX and registry JSON, and the
 * bundle read once more, without harm. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes what was read as STIX and registry JSON and reads the bundle. */
static void write_again(const struct reg_set *s)
{
	struct buf out = BUF_INIT;
	stix_write(s, "2026-01-01T00:00:00.000Z", &out);
	struct reg_set t;
	reg_set_init(&t);
	struct err_list errs;
	errs_init(&errs, 4);
	if (stix_parse(&t, "again.stix.json", out.p, out.len, fuzz_names(), &errs) == 0)
		fuzz_check_set(&t);
	errs_free(&errs);
	reg_set_free(&t);
	buf_reset(&out);
	struct jw w;
	jw_init(&w, &out, false);
	reg_json_write(s, &w);
	buf_free(&out);
}

static void accepted(struct reg_set *s)
{
	fuzz_check_set(s);
	write_again(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	if (!text)
		return 0;
	fuzz_registry_read(stix_parse, "fuzz.stix.json", text, size, accepted);
	fuzz_registry_read(misp_parse, "fuzz.misp.json", text, size, accepted);
	free(text);
	return 0;
}
