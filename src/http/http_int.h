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
	const char *body_path;      /* bulk uploads: the body, spooled to a
				       private file as it arrived (body_in is
				       then ""); NULL otherwise */
	const char *actor;          /* signed-in account, NULL for the public */
	char role[24];              /* its role */
	char iso3[4];               /* a focal point's state */
	char session_token[65];     /* the cookie session, "" otherwise */
	int status;                 /* success status (0: 200) */
	struct arena *arena;        /* per-call allocations */
	const char *type;           /* body's media type; NULL: JSON */
	char set_cookie[256];       /* Set-Cookie header to send, "" if none */
	long retry_after;           /* seconds for Retry-After (429, 503), 0: none */
	bool secure_cookie;         /* add Secure to the session cookie */
	const char *data_dir;       /* data/ directory (map geometry) */
	struct err_list faults;     /* an import's faults: listed in the error
				       body as "faults" (file, line, field) */
	const char *download;       /* ?format=csv or json of a route with a
				       download (http_download_of), else NULL */
	char disposition[160];      /* Content-Disposition to send, "" if none */
};

/* A query parameter, or NULL. */
const char *http_query(const struct call *k, const char *name);

/* What a write route needs of its caller's role (app_authorize's
 * actions), checked by the server before the handler runs. */
enum route_gate {
	GATE_NONE = 0,
	GATE_SURVEY_EDIT,   /* focal point of the state in segment 1, secretariat */
	GATE_SURVEY_MOVE,   /* submit: as edit; other actions: review */
	GATE_DATA,          /* observations */
	GATE_REGISTRY,      /* the accountability registry */
	GATE_CAPACITY,      /* capacity-building initiatives */
	GATE_FORUM_ADMIN,   /* the secretariat's forum business */
	GATE_FORUM_MEMBER,  /* a member of an accredited organisation */
	GATE_FORUM_ACTION,  /* the secretariat or such a member */
	GATE_ACCOUNTS,      /* accounts and tokens: the secretariat */
};

/* One route: method and pattern ("countries/{iso3}" matches one segment
 * per {...}; a segment written {iso3} is a State's code, taken in any
 * case and passed on in capitals).  After '?' the pattern lists the query
 * parameters the route reads, comma-separated ("countries/{iso3}/gaps?year");
 * any other is refused with 400 naming it.  Paged routes produce a JSON
 * array that the server pages and sorts (?page=, ?per_page=, ?sort=field
 * or -field) and take those three without listing them; routes with a
 * download (http_download_of) take ?format=. */
struct route {
	const char *method;
	const char *pattern;
	bool paged;
	int (*fn)(struct call *k);
	bool auth;                  /* needs a signed-in account */
	enum route_gate gate;       /* the role it needs, checked before the
				       handler reads the body (GATE_NONE: the
				       handler decides, e.g. forum membership) */
};

/* Sign-in throttling (throttle.c), with exact keys: failures are counted
 * per account name and client address together, and per address over all
 * names.  After 3 failures of a pair, or 20 of an address, each further
 * attempt waits 1, 2, 4 ... up to 900 seconds after the last failure (a
 * delay that grows, not a lockout: a user elsewhere is not locked out by
 * someone guessing their password).  http_login_wait gives the seconds
 * still to wait (0: may try now). */
long http_login_wait(const char *name, const char *addr);
void http_login_result(const char *name, const char *addr, bool ok);
/* Forgets every count (tests). */
void http_login_reset(void);
/* Password hashes (Argon2id, ~100 ms of one CPU each) run in the pool
 * threads; at most n run at once (the server sets threads - 1, at least
 * 1), so sign-ins cannot take every thread from readers.  http_hash_take
 * is false when all slots are busy (answer 503 with Retry-After). */
void http_hash_slots(int n);
bool http_hash_take(void);
void http_hash_give(void);
/* The client's address as text ("-" if unknown). */
void http_client_addr(const struct call *k, char out[64]);

/* A public answer that can be downloaded (download.c): ?format=csv or
 * ?format=json adds Content-Disposition: attachment with a file name
 * "cdg-NAME.csv"; csv turns the JSON into one table. */
struct http_download {
	const char *pattern;        /* the route's pattern, without '?...' */
	const char *name;           /* file name after "cdg-"; $N: path segment N */
	const char *rows;           /* what the CSV rows are (download.c) */
	const char *parent;         /* "M/S" rows: first column's name */
	const char *rank;           /* NULL, or a number member: rows without
				       it are left out, the others ordered by
				       it (a ranking lists the ranked) */
	bool own_format;            /* the handler reads ?format= and writes
				       the file itself (CSV, SDMX-CSV, STIX) */
	const char *const *name_params; /* query parameters that, given, name
				       the part downloaded ("-norm-c"), or NULL */
};
/* The download of a route (its pattern), or NULL. */
const struct http_download *http_download_of(const char *pattern);
/* The Content-Disposition of k's download into out: the name with its
 * segments, then ext (".csv"). */
void http_download_name(const struct http_download *d, const struct call *k,
			const char *ext, char *out, size_t size);
/* Replaces the JSON answer in body with its CSV table. */
int http_download_csv(const struct http_download *d, struct buf *body,
		      struct cdg_err *e);

/* docs/NAME.md as an HTML page of the site (docs.c): the Markdown
 * rendered by cmark-gfm (tables, autolinks, strikethrough) into the page
 * template web/doc.html, links to other docs rewritten to /docs/NAME.
 * name "" is docs/README.md.  CDG_ENOTFOUND when there is no such page. */
int http_doc_page(const char *docs_dir, const char *web_dir, const char *name,
		  struct buf *out, struct cdg_err *e);

extern const struct route http_routes[];
extern const size_t http_nroutes;

#endif
