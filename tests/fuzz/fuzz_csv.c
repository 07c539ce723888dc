/* libFuzzer target: the CSV reader and the validated-table reader must
 * never crash, hang or read out of bounds, whatever the bytes; and what the
 * writer emits must read back unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const kinds[] = {"a", "b", NULL};
static const struct col_spec spec[] = {
	{"iso3", COL_ISO3, true, NULL},
	{"year", COL_YEAR, false, NULL},
	{"date", COL_DATE, false, NULL},
	{"value", COL_NUMBER, false, NULL},
	{"kind", COL_ENUM, false, kinds},
	{"url", COL_URL, false, NULL},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct cdg_err e;
	struct csv c;
	csv_open(&c, "fuzz", text, size);
	struct buf out = BUF_INIT;
	size_t rows = 0;
	int rc;
	while ((rc = csv_next(&c, &e)) == 1 && rows < 10000) {
		for (size_t i = 0; i < c.nfields; i++)
			csv_put(&out, csv_field(&c, i), i == 0);
		csv_endrow(&out);
		rows++;
	}
	csv_close(&c);

	/* Round trip: what the writer produced reads back field for field,
	 * unless a field holds a NUL byte (not representable in our API). */
	if (rc == 0 && memchr(data, 0, size) == NULL) {
		struct csv a, b;
		csv_open(&a, "orig", text, size);
		csv_open(&b, "copy", out.p, out.len);
		while (csv_next(&a, &e) == 1) {
			if (csv_next(&b, &e) != 1)
				abort();
			/* Blank records vanish in both, so counts match. */
			if (a.nfields != b.nfields)
				abort();
			for (size_t i = 0; i < a.nfields; i++)
				if (strcmp(csv_field(&a, i), csv_field(&b, i)) != 0)
					abort();
		}
		csv_close(&a);
		csv_close(&b);
	}
	buf_free(&out);

	struct arena ar;
	arena_init(&ar);
	struct table t;
	(void)table_read("fuzz", text, size, spec, 6, 0, 0, &ar, &t, &e);
	arena_free(&ar);
	return 0;
}
