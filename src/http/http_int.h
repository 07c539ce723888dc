/* Internals of the http module shared by its own files. */
#ifndef CDG_HTTP_INT_H
#define CDG_HTTP_INT_H

#include <microhttpd.h>

#include "app/app.h"
#include "http/http.h"

/* One API call being answered. */
struct call {
	struct MHD_Connection *c;
	struct app *a;              /* this thread's database and catalog */
	const char *seg[8];         /* path segments after /api/v1/ */
	size_t nseg;
	struct buf body;            /* the JSON produced by the handler */
	struct jw w;                /* writes into body */
	struct cdg_err e;
};

/* A query parameter, or NULL. */
const char *http_query(const struct call *k, const char *name);

/* One route: method and pattern ("countries/{}" matches one segment per
 * {}); paged routes produce a JSON array that the server pages and sorts
 * (?page=, ?per_page=, ?sort=field or -field). */
struct route {
	const char *method;
	const char *pattern;
	bool paged;
	int (*fn)(struct call *k);
};

extern const struct route http_routes[];
extern const size_t http_nroutes;

#endif
