/* Internals shared by the registry's format files (registry_csv.c,
 * registry_json.c, stix.c); nothing outside formats/ includes this. */
#ifndef CDG_FORMATS_REGISTRY_INT_H
#define CDG_FORMATS_REGISTRY_INT_H

#include "formats/formats.h"

/* A record being read: CSV row or JSON object, fields by name ("" when
 * absent). */
struct reg_src {
	const char *(*get)(const void *src, const char *key);
	const void *src;
};

/* A parse in progress: where faults go. */
struct cctx {
	struct reg_set *s;
	const struct reg_names *names;
	const char *file;
	struct err_list *errs;
	long line;                  /* line of the record, 0 if none */
	const char *where;          /* STIX object id being read, or NULL */
};

/* Records a fault at x->line (or x->where, a STIX id, when set). */
void reg_fault(struct cctx *x, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Reads the statement fields of one attribution of inc from c: the
 * attributing party, whom it names, date (not before the incident),
 * statement, confidence, basis, norms invoked; appended to x->s. */
struct reg_attr *reg_read_attr(struct cctx *x, const struct reg_src *c,
			       const struct reg_incident *inc);
/* A copy of s in a, or NULL when s is empty. */
const char *reg_opt(struct arena *a, const char *s);
bool reg_url_ok(const char *s);
/* True for an RFC 4122 UUID of version 1-5 as text (what STIX 2.1 ids
 * hold), and for a STIX id: type, "--" and such a UUID. */
bool reg_uuid_ok(const char *u);
bool reg_stix_id_ok(const char *id, const char *type);
/* True for a STIX timestamp, YYYY-MM-DDTHH:MM:SS[.s+]Z in UTC; ms asks
 * for at least millisecond precision (created, modified). */
bool reg_stix_ts_ok(const char *s, bool ms);
/* Parses JSON text (duplicate keys rejected); NULL after a fault. */
struct json_t;
struct json_t *reg_load_json(struct cctx *x, const char *text, size_t n);
/* Writes "invocations": [{kind, norm, rule, text, articulation}]. */
void reg_write_refs(struct jw *w, const struct reg_ref *refs, size_t n);
/* An attribution's responses as a JSON array (registry JSON and cdg's STIX
 * extension write them alike). */
void reg_write_responses(struct jw *w, const struct reg_response *v, size_t n);

#endif
