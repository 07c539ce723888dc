/* What the fuzz targets share: the input as the app hands it to a parser,
 * a small fixed list of states, and the check every rejected file passes. */
#ifndef CDG_FUZZ_UTIL_H
#define CDG_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "formats/formats.h"

/* A NUL-terminated copy of the bytes (the app reads files into a struct
 * buf, which is NUL-terminated); NULL if out of memory.  free() it. */
char *fuzz_text(const uint8_t *data, size_t size);

/* The registry parsers' state names: a few states, as
 * tests/unit/test_registry.c builds them (the app loads every UN member
 * the same way).  Built on the first call, kept for the process. */
const struct reg_names *fuzz_names(void);

/* Aborts unless a rejected file left more faults than `before`, each an
 * input error with a message, naming the file, at a line >= 0. */
void fuzz_check_faults(const struct err_list *errs, long before, const char *name);

/* Aborts unless e, from a parser that stops at the first fault, is an
 * input error with a message, naming one of the n files, at a line >= 0. */
void fuzz_check_error(const struct cdg_err *e, const char *const *names, size_t n);

/* Aborts unless an accepted registry set is consistent: ids and titles
 * present, every attribution on an incident of the set, dates at most
 * YYYY-MM-DD long, confidences -1 (none) or 0-100. */
void fuzz_check_set(const struct reg_set *s);

/* One registry reader (reg_csv_parse, reg_json_parse, stix_parse,
 * misp_parse) on the text under the file name `name`: a rejected file must
 * pass fuzz_check_faults, an accepted set goes to `accepted`. */
typedef int (*fuzz_reg_reader)(struct reg_set *s, const char *name, const char *text,
			       size_t n, const struct reg_names *names,
			       struct err_list *errs);
void fuzz_registry_read(fuzz_reg_reader read, const char *name, const char *text,
			size_t size, void (*accepted)(struct reg_set *s));

#endif
