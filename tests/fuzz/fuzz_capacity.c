/* libFuzzer target: the capacity and agreements parsers (issue 8) must
 * never crash, hang or read out of bounds, whatever the bytes; and an
 * accepted initiatives file, written back as CSV, must parse again to the
 * same number of initiatives. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int present = 1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	if (!text)
		return 0;
	struct strmap states, goals, norms;
	strmap_init(&states);
	strmap_init(&goals);
	strmap_init(&norms);
	strmap_put(&states, "FRA", &present);
	strmap_put(&goals, "CDG1", &present);
	strmap_put(&norms, "a", &present);
	struct cap_known k = {&states, &goals, &norms, NULL, NULL};
	struct err_list errs;
	errs_init(&errs, 8);

	struct cap_set s;
	cap_set_init(&s);
	if (cap_csv_parse(&s, "fuzz", text, size, &k, &errs) == 0) {
		struct buf out = BUF_INIT;
		cap_csv_write(s.v, s.n, &out);
		struct cap_set again;
		cap_set_init(&again);
		if (cap_csv_parse(&again, "again", out.p, out.len, &k, &errs) != 0 ||
		    again.n != s.n)
			abort();
		cap_set_free(&again);
		buf_free(&out);
	}
	cap_set_free(&s);
	cap_set_init(&s);
	cap_json_parse(&s, "fuzz", text, size, &k, &errs);
	cap_set_free(&s);

	struct agr_set a;
	agr_set_init(&a);
	agr_json_parse(&a, "fuzz", text, size, &k, &errs);
	agr_companies_csv_parse(&a, "fuzz", text, size, &k, &errs);
	agr_set_free(&a);

	errs_free(&errs);
	strmap_free(&states);
	strmap_free(&goals);
	strmap_free(&norms);
	free(text);
	return 0;
}
