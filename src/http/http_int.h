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
	const char *body_in;        /* request body (NUL-terminated), "" if none */
	size_t body_len;
	const char *actor;          /* signed-in account, NULL for the public */
	char role[24];              /* its role */
	char iso3[4];               /* a focal point's state */
	char session_token[65];     /* the cookie session, "" otherwise */
	int status;                 /* success status (0: 200) */
	struct arena *arena;        /* per-call allocations */
	const char *type;           /* body's media type; NULL: JSON */
	char set_cookie[256];       /* Set-Cookie header to send, "" if none */
	const char *data_dir;       /* data/ directory (map geometry) */
	struct err_list faults;     /* an import's faults: listed in the error
				       body as "faults" (file, line, field) */
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
	bool auth;                  /* needs a signed-in account */
};

/* Login throttling: true if name may try to sign in now. */
bool http_login_allowed(const char *name);
void http_login_failed(const char *name);

extern const struct route http_routes[];
extern const size_t http_nroutes;

#endif
