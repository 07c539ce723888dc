/* The HTTP server: see http.h. */
#include "http/http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <zlib.h>

#include "formats/formats.h"
#include "http/http_int.h"

#ifndef CDG_WEBDIR
#define CDG_WEBDIR "web"
#endif
#ifndef CDG_DATADIR
#define CDG_DATADIR "data"
#endif

/* Server-wide state, read-only once serving starts. */
struct server {
	const struct http_config *cfg;
	const char *web_dir;
	int web_fd;              /* web_dir, opened once: pages open beneath it */
	pthread_key_t app_key;   /* per-thread struct app * */
	atomic_long in_flight;   /* requests being handled */
};

/* One request: lives from the first handler call to completion. */
struct req {
	struct arena arena;      /* per-request allocations */
	bool counted;            /* included in in_flight */
	struct buf upload;       /* the request body so far */
	bool too_big;            /* the body passed HTTP_MAX_BODY */
	bool answered;           /* refused on its headers alone */
	/* A refusal decided on the headers but sent once the body (read and
	 * dropped, never stored) is in, so that the client reads the answer
	 * instead of a connection reset: */
	int refuse_status;       /* 0: none */
	const char *refuse_code;
	char refuse_msg[600];
	bool refuse_route;       /* no such route: api() answers 404/405 */
	/* A bulk upload (observations, registry) is written to a private
	 * file as it arrives instead of into upload: */
	int fd;                  /* -1 until the first byte */
	char dir[512];           /* its private directory ("" if none) */
	char path[600];          /* the file */
	size_t spooled;          /* bytes written */
	bool spool_failed;       /* a write failed */
};

/* Writes n bytes of a bulk upload to the request's private file, made on
 * the first call; false if the file cannot be made or written. */
static bool spool(struct req *rq, const char *p, size_t n)
{
	if (rq->fd < 0) {
		const char *tmp = getenv("TMPDIR");
		snprintf(rq->dir, sizeof rq->dir, "%s/cdg-upload-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(rq->dir)) {
			rq->dir[0] = '\0';
			return false;
		}
		snprintf(rq->path, sizeof rq->path, "%s/request-body", rq->dir);
		rq->fd = open(rq->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (rq->fd < 0)
			return false;
	}
	while (n) {
		ssize_t w = write(rq->fd, p, n);
		if (w < 0)
			return false;
		p += w;
		n -= (size_t)w;
		rq->spooled += (size_t)w;
	}
	return true;
}

static void spool_remove(struct req *rq)
{
	if (rq->fd >= 0)
		close(rq->fd);
	rq->fd = -1;
	if (rq->path[0])
		unlink(rq->path);
	if (rq->dir[0])
		rmdir(rq->dir);
	rq->path[0] = rq->dir[0] = '\0';
}

/* Largest request body accepted (a survey response is a few kB). */
#define HTTP_MAX_BODY (1u << 20)
/* Bulk uploads (observation and registry files) may be larger. */
#define HTTP_MAX_BULK (32u << 20)

static bool bulk_upload(const char *url)
{
	return strcmp(url, "/api/v1/observations") == 0 ||
	       strcmp(url, "/api/v1/registry") == 0;
}

/* A cached API answer: the body as sent, and its gzip form. */
struct centry {
	char *key;               /* path?query, owned */
	long long version;       /* data version it was made at */
	struct buf body, gz;     /* gz empty when not worth compressing */
	char etag[32], etag_gz[32];
	const char *type;        /* media type (static string) */
	char disposition[160];   /* Content-Disposition of a download, "" if none */
	/* The 200 answers, built once with their headers and queued on
	 * every connection that asks (libmicrohttpd counts references). */
	struct MHD_Response *resp, *resp_gz;
};

static void centry_drop_responses(struct centry *ce)
{
	if (ce->resp)
		MHD_destroy_response(ce->resp);
	if (ce->resp_gz)
		MHD_destroy_response(ce->resp_gz);
	ce->resp = ce->resp_gz = NULL;
}

#define CACHE_MAX 512

/* What each pool thread owns: its database connection and its cache of
 * public GET answers.  A cached answer is used while the database's data
 * version is unchanged; a write on this thread empties the cache. */
struct worker {
	struct app app;
	struct strmap index;     /* key -> struct centry * */
	struct centry *v[CACHE_MAX];
	size_t n;
};

static void cache_clear(struct worker *w)
{
	for (size_t i = 0; i < w->n; i++) {
		centry_drop_responses(w->v[i]);
		free(w->v[i]->key);
		buf_free(&w->v[i]->body);
		buf_free(&w->v[i]->gz);
		free(w->v[i]);
	}
	w->n = 0;
	strmap_free(&w->index);
	strmap_init(&w->index);
}

static void app_destroy(void *p)
{
	struct worker *w = p;
	cache_clear(w);
	strmap_free(&w->index);
	app_close(&w->app);
	free(w);
}

static struct worker *thread_worker(struct server *s, struct cdg_err *e)
{
	struct worker *w = pthread_getspecific(s->app_key);
	if (w)
		return w;
	w = xcalloc(1, sizeof *w);
	if (app_open(&w->app, s->cfg->db_path, false, e) != 0) {
		free(w);
		return NULL;
	}
	strmap_init(&w->index);
	pthread_setspecific(s->app_key, w);
	return w;
}

/* The calling thread's app, opened on first use. */
static struct app *thread_app(struct server *s, struct cdg_err *e)
{
	struct worker *w = thread_worker(s, e);
	return w ? &w->app : NULL;
}

static int status_of(int code)
{
	switch (code) {
	case CDG_EUSAGE: return MHD_HTTP_BAD_REQUEST;
	case CDG_EINPUT: return MHD_HTTP_UNPROCESSABLE_CONTENT;
	case CDG_ENOTFOUND: return MHD_HTTP_NOT_FOUND;
	case CDG_EPERM: return MHD_HTTP_FORBIDDEN;
	case CDG_ESCHEMA: return MHD_HTTP_INTERNAL_SERVER_ERROR;
	case CDG_ECONFLICT: return MHD_HTTP_CONFLICT;
	case CDG_EBUSY: return MHD_HTTP_SERVICE_UNAVAILABLE;
	default: return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
}

#define HTTP_CSP "default-src 'self'; img-src 'self' data:; " \
	"style-src 'self'; script-src 'self'; frame-ancestors 'none'"

/* The headers of every answer, with its Content-Security-Policy. */
static void common_headers_csp(struct MHD_Response *r, const char *type,
			       const char *csp)
{
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Content-Security-Policy", csp);
}

static void common_headers(struct MHD_Response *r, const char *type)
{
	common_headers_csp(r, type, HTTP_CSP);
}

/* What lets a page of another site read a public answer (never sent
 * with answers to signed-in callers or writes: those need the cookie,
 * which a cross-site request does not carry to a "*" origin). */
static void cors_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
	MHD_add_response_header(r, "Access-Control-Expose-Headers",
				"ETag, Content-Disposition");
}

static enum MHD_Result send_buf_retry(struct MHD_Connection *c, int status,
				      const char *type, const char *body, size_t n,
				      const char *etag, long retry_after, bool cors)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		n, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
	common_headers(r, type);
	if (retry_after > 0) {
		char ra[24];
		snprintf(ra, sizeof ra, "%ld", retry_after);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	if (etag) {
		MHD_add_response_header(r, "ETag", etag);
		MHD_add_response_header(r, "Cache-Control", "no-cache");
	} else {
		MHD_add_response_header(r, "Cache-Control", "no-store");
	}
	if (cors)
		cors_headers(r);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

/* {"error": {"code", "message", "faults"?}}: faults (may be NULL) are
 * every fault an import found, each with file, line, field, message;
 * retry_after (seconds, 0: none) becomes a Retry-After header; cors for
 * the refusals of public reads, which another site's page may read. */
static enum MHD_Result send_error_full(struct MHD_Connection *c, int status,
				       const char *code, const char *msg,
				       const struct err_list *faults,
				       long retry_after, bool cors)
{
	struct buf b = BUF_INIT;
	struct jw w;
	jw_init(&w, &b, false);
	jw_obj(&w);
	jw_key(&w, "error");
	jw_obj(&w);
	jw_kstr(&w, "code", code);
	jw_kstr(&w, "message", msg);
	if (faults && faults->n) {
		jw_kint(&w, "faults_total", faults->total);
		jw_key(&w, "faults");
		jw_arr(&w);
		for (size_t i = 0; i < faults->n; i++) {
			const struct cdg_err *f = &faults->v[i];
			jw_obj(&w);
			jw_kstr(&w, "file", f->file);
			if (f->line > 0)
				jw_kint(&w, "line", f->line);
			if (f->field[0])
				jw_kstr(&w, "field", f->field);
			jw_kstr(&w, "message", f->msg);
			jw_obj_end(&w);
		}
		jw_arr_end(&w);
	}
	jw_obj_end(&w);
	jw_obj_end(&w);
	enum MHD_Result r = send_buf_retry(c, status, "application/json", b.p, b.len,
					   NULL, retry_after, cors);
	buf_free(&b);
	return r;
}

static enum MHD_Result send_error_faults(struct MHD_Connection *c, int status,
					 const char *code, const char *msg,
					 const struct err_list *faults)
{
	return send_error_full(c, status, code, msg, faults, 0, false);
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status,
				  const char *code, const char *msg)
{
	return send_error_faults(c, status, code, msg, NULL);
}

/* An error of the call.  The server's own failures (5xx) are told in
 * general words, the detail going to the log: their messages can hold
 * file paths of the server, which are nobody else's business. */
static enum MHD_Result send_err_retry(struct MHD_Connection *c,
				      const struct cdg_err *e, long retry_after,
				      bool cors)
{
	char msg[1024];
	err_format(e, msg, sizeof msg);
	int status = status_of(e->code);
	if (status >= 500) {
		/* A busy database or sign-in is expected under load: only the
		 * server's real failures go to the log. */
		if (e->code != CDG_EBUSY)
			fprintf(stderr, "cdg: %s\n", msg);
		snprintf(msg, sizeof msg, "%s", e->code == CDG_EBUSY
			 ? "the database is busy with another writer; try again shortly"
			 : "the server could not complete the request (see its log)");
		if (e->code == CDG_EBUSY && retry_after <= 0)
			retry_after = 1;
	}
	return send_error_full(c, status, err_code_name(e->code), msg, NULL,
			       retry_after, cors);
}

static enum MHD_Result send_err(struct MHD_Connection *c,
				const struct cdg_err *e)
{
	return send_err_retry(c, e, 0, false);
}

/* FNV-1a 64 of the body: a strong validator for the exact bytes. */
static void etag_of(const char *p, size_t n, char out[32])
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	snprintf(out, 32, "\"%016llx\"", (unsigned long long)h);
}

/* Gzip of body into out (false if zlib fails). */
static bool gzip_of(const char *p, size_t n, struct buf *out)
{
	z_stream z = {0};
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	buf_grow(out, deflateBound(&z, (uLong)n));
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out->p;
	z.avail_out = (uInt)(out->cap - 1);
	int r = deflate(&z, Z_FINISH);
	out->len = z.total_out;
	deflateEnd(&z);
	return r == Z_STREAM_END;
}

static bool accepts_gzip(struct MHD_Connection *c)
{
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "Accept-Encoding");
	return ae && strstr(ae, "gzip");
}

/* Sends a body with an ETag (honouring If-None-Match), gzip-encoded when
 * the client accepts it and the body is worth compressing; disposition
 * (NULL or "": none) makes it a download, cors a public answer. */
static enum MHD_Result send_cached(struct MHD_Connection *c, const char *type,
				   const struct buf *b, const char *disposition,
				   bool cors)
{
	char etag[32];
	etag_of(b->p, b->len, etag);
	bool gz = accepts_gzip(c) && b->len > 1024;
	if (gz)
		strcpy(etag + strlen(etag) - 1, "-gz\"");
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						      "If-None-Match");
	if (inm && strstr(inm, etag)) {
		struct MHD_Response *r = MHD_create_response_from_buffer(
			0, NULL, MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "ETag", etag);
		MHD_add_response_header(r, "Cache-Control", "no-cache");
		MHD_add_response_header(r, "Vary", "Accept-Encoding");
		if (cors)
			cors_headers(r);
		enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, r);
		MHD_destroy_response(r);
		return ret;
	}
	struct buf z = BUF_INIT;
	if (gz && !gzip_of(b->p, b->len, &z))
		gz = false;
	const struct buf *out = gz ? &z : b;
	struct MHD_Response *r = MHD_create_response_from_buffer(
		out->len, (void *)(uintptr_t)out->p, MHD_RESPMEM_MUST_COPY);
	common_headers(r, type);
	MHD_add_response_header(r, "ETag", etag);
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	MHD_add_response_header(r, "Vary", "Accept-Encoding");
	if (gz)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	if (disposition && *disposition)
		MHD_add_response_header(r, "Content-Disposition", disposition);
	if (cors)
		cors_headers(r);
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	buf_free(&z);
	return ret;
}

/* A cached answer's response: the body (copied into it) and headers. */
static struct MHD_Response *entry_response(const struct centry *ce, bool gz,
					   bool not_modified)
{
	const struct buf *out = gz ? &ce->gz : &ce->body;
	struct MHD_Response *r = not_modified
		? MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)
		: MHD_create_response_from_buffer(out->len, (void *)(uintptr_t)out->p,
						  MHD_RESPMEM_MUST_COPY);
	if (!not_modified)
		common_headers(r, ce->type ? ce->type : "application/json");
	MHD_add_response_header(r, "ETag", gz ? ce->etag_gz : ce->etag);
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	MHD_add_response_header(r, "Vary", "Accept-Encoding");
	if (gz && !not_modified)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	if (ce->disposition[0] && !not_modified)
		MHD_add_response_header(r, "Content-Disposition", ce->disposition);
	cors_headers(r); /* only public answers are cached */
	return r;
}

/* Sends a cache entry.  The 200 responses are built on first use and
 * reused (the hot path: no copy, no header building); a 304 is rare
 * enough to build each time. */
static enum MHD_Result send_entry(struct MHD_Connection *c, struct centry *ce)
{
	bool gz = ce->gz.len && accepts_gzip(c);
	const char *etag = gz ? ce->etag_gz : ce->etag;
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	if (inm && strstr(inm, etag)) {
		struct MHD_Response *r = entry_response(ce, gz, true);
		enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, r);
		MHD_destroy_response(r);
		return ret;
	}
	struct MHD_Response **slot = gz ? &ce->resp_gz : &ce->resp;
	if (!*slot)
		*slot = entry_response(ce, gz, false);
	return MHD_queue_response(c, MHD_HTTP_OK, *slot);
}


static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind,
			       const char *key, const char *value)
{
	(void)kind;
	struct buf *b = cls;
	buf_addc(b, b->len ? '&' : '?');
	buf_adds(b, key);
	buf_addc(b, '=');
	buf_adds(b, value ? value : "");
	return MHD_YES;
}

/* The answer to a write: never cached, maybe setting the session cookie. */
static enum MHD_Result send_write(struct MHD_Connection *c, const struct buf *b,
				  const char *set_cookie)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		b->len, (void *)(uintptr_t)b->p, MHD_RESPMEM_MUST_COPY);
	common_headers(r, "application/json");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	if (set_cookie && *set_cookie)
		MHD_add_response_header(r, "Set-Cookie", set_cookie);
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

void http_client_addr(const struct call *k, char out[64])
{
	snprintf(out, 64, "-");
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(k->c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			  out, 64);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  out, 64);
}

/* ---- API routes ------------------------------------------------------------ */

static enum MHD_Result static_file(struct server *s, struct MHD_Connection *c,
				   const char *url);

/* Splits path into segments; false if there are too many. */
static bool split(char *path, struct call *k)
{
	k->nseg = 0;
	char *save = NULL;
	for (char *p = strtok_r(path, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
		if (k->nseg == sizeof k->seg / sizeof k->seg[0])
			return false;
		k->seg[k->nseg++] = p;
	}
	return true;
}

static bool matches(const char *pattern, const struct call *k)
{
	char pat[128];
	snprintf(pat, sizeof pat, "%.*s", (int)strcspn(pattern, "?"), pattern);
	size_t i = 0;
	char *save = NULL;
	for (char *p = strtok_r(pat, "/", &save); p; p = strtok_r(NULL, "/", &save), i++)
		if (i >= k->nseg || (p[0] != '{' && strcmp(p, k->seg[i]) != 0))
			return false;
	return i == k->nseg;
}

/* Whether route rt takes query parameter key: those listed after '?' in
 * its pattern, page, per_page and sort when paged, format when it has a
 * download. */
static bool declared(const struct route *rt, bool download, const char *key)
{
	if (rt->paged && (strcmp(key, "page") == 0 || strcmp(key, "per_page") == 0 ||
			  strcmp(key, "sort") == 0))
		return true;
	if (download && strcmp(key, "format") == 0)
		return true;
	const char *q = strchr(rt->pattern, '?');
	size_t n = strlen(key);
	for (const char *p = q ? q + 1 : ""; *p; p += strcspn(p, ","), p += *p == ',')
		if (strcspn(p, ",") == n && strncmp(p, key, n) == 0)
			return true;
	return false;
}

/* The first query parameter a route does not take. */
struct arg_check {
	const struct route *rt;
	bool download;
	char unknown[64];        /* "" while all are known */
};

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind,
				 const char *key, const char *value)
{
	(void)kind;
	(void)value;
	struct arg_check *ac = cls;
	if (declared(ac->rt, ac->download, key))
		return MHD_YES;
	snprintf(ac->unknown, sizeof ac->unknown, "%s", key);
	return MHD_NO;
}

/* Path segments that are a State's code ({iso3} in the pattern) in
 * capitals: "fra" is "FRA".  path is the buffer the segments point into. */
static void upcase_iso3(const struct route *rt, struct call *k, char *path)
{
	char pat[128];
	snprintf(pat, sizeof pat, "%.*s", (int)strcspn(rt->pattern, "?"), rt->pattern);
	size_t i = 0;
	char *save = NULL;
	for (char *p = strtok_r(pat, "/", &save); p && i < k->nseg;
	     p = strtok_r(NULL, "/", &save), i++) {
		char *w = path + (k->seg[i] - path);
		if (strcmp(p, "{iso3}") != 0 || strlen(w) != 3)
			continue;
		if (isalpha((unsigned char)w[0]) && isalpha((unsigned char)w[1]) &&
		    isalpha((unsigned char)w[2]))
			for (int j = 0; j < 3; j++)
				w[j] = (char)toupper((unsigned char)w[j]);
	}
}

/* The sort of one paged answer (each pool thread sorts its own). */
struct sort_by {
	const char *key;
	bool desc;
};

/* One item of a list being sorted, with its place in the list. */
struct item {
	json_t *j;
	size_t at;
};

/* Orders items by the key; ties keep the list's order (stable paging). */
static int cmp_items(const void *a, const void *b, void *ctx)
{
	const struct sort_by *sb = ctx;
	const struct item *pa = a, *pb = b;
	json_t *x = json_object_get(pa->j, sb->key);
	json_t *y = json_object_get(pb->j, sb->key);
	int r;
	if (json_is_number(x) && json_is_number(y)) {
		double p = json_number_value(x), q = json_number_value(y);
		r = (p > q) - (p < q);
	} else if (json_is_string(x) && json_is_string(y)) {
		r = strcmp(json_string_value(x), json_string_value(y));
	} else {
		r = (x != NULL) - (y != NULL); /* missing values last */
		r = -r;
	}
	if (sb->desc)
		r = -r;
	return r ? r : (pa->at > pb->at) - (pa->at < pb->at);
}

/* Pages (and sorts) the JSON array in k->body into
 * {"items":[...],"page":P,"per_page":N,"total":T}. */
static int page(struct call *k)
{
	long pg = 1, per = 50;
	const char *ps = http_query(k, "page"), *pp = http_query(k, "per_page");
	if (ps && parse_long(ps, 1, 1000000, &pg) != 0)
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, "page", "wants a page number from 1");
	if (pp && parse_long(pp, 1, 1000, &per) != 0)
		return err_at(&k->e, CDG_EUSAGE, NULL, 0, "per_page", "wants 1 to 1000");
	json_t *arr = json_loads(k->body.p, 0, NULL);
	if (!json_is_array(arr)) {
		json_decref(arr);
		return err_set(&k->e, CDG_EINTERNAL, "paged route did not produce a list");
	}
	size_t total = json_array_size(arr);
	/* A download is the whole list unless a page is asked for. */
	if (k->download && !ps && !pp && total)
		per = (long)total;
	struct item *v = xcalloc(total + 1, sizeof *v);
	for (size_t i = 0; i < total; i++)
		v[i] = (struct item){json_array_get(arr, i), i};
	const char *sort = http_query(k, "sort");
	if (sort) {
		struct sort_by sb = {sort + (sort[0] == '-' || sort[0] == '+'),
				     sort[0] == '-'};
		if (total && !json_object_get(v[0].j, sb.key)) {
			free(v);
			json_decref(arr);
			return err_at(&k->e, CDG_EUSAGE, NULL, 0, "sort",
				      "cannot sort by \"%s\"", sb.key);
		}
		qsort_r(v, total, sizeof *v, cmp_items, &sb);
	}
	buf_reset(&k->body);
	jw_init(&k->w, &k->body, false);
	jw_obj(&k->w);
	jw_key(&k->w, "items");
	jw_arr(&k->w);
	size_t from = (size_t)(pg - 1) * (size_t)per;
	for (size_t i = from; i < total && i < from + (size_t)per; i++) {
		char *item = json_dumps(v[i].j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
		jw_raw(&k->w, item);
		free(item);
	}
	jw_arr_end(&k->w);
	jw_kint(&k->w, "page", pg);
	jw_kint(&k->w, "per_page", per);
	jw_kint(&k->w, "total", (long long)total);
	jw_obj_end(&k->w);
	free(v);
	json_decref(arr);
	return 0;
}

/* Who is calling: a bearer token, or a session cookie (which needs the
 * CSRF header on anything but GET/HEAD).  Returns 0 (maybe anonymous) or
 * an error to send. */
static int identify(struct call *k, const char *method)
{
	const char *auth = MHD_lookup_connection_value(k->c, MHD_HEADER_KIND, "Authorization");
	const char *cookie = MHD_lookup_connection_value(k->c, MHD_COOKIE_KIND, "cdg_session");
	const char *token = NULL;
	bool from_cookie = false;
	if (auth && strncmp(auth, "Bearer ", 7) == 0) {
		token = auth + 7;
	} else if (cookie && *cookie) {
		token = cookie;
		from_cookie = true;
	}
	if (!token)
		return 0;
	char n[128], csrf[65], kind[16];
	if (strlen(token) != 64 || app_session(k->a, token, n, k->role, k->iso3, csrf,
					       kind, &k->e) != 0) {
		if (from_cookie)
			return 0; /* a stale cookie reads as the public */
		return err_set(&k->e, CDG_EPERM, "the token is unknown, expired or revoked");
	}
	k->actor = arena_strdup(k->arena, n);
	if (from_cookie) {
		snprintf(k->session_token, sizeof k->session_token, "%s", token);
		bool safe = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
		const char *hdr = MHD_lookup_connection_value(k->c, MHD_HEADER_KIND, "X-CSRF-Token");
		if (!safe && (!hdr || strcmp(hdr, csrf) != 0))
			return err_set(&k->e, CDG_EPERM, "missing or wrong X-CSRF-Token header");
	}
	return 0;
}

/* The role check a gated route needs, before its handler reads the body
 * (so that who may not write learns nothing from how the body is judged). */
static int gate(struct call *k, const struct route *rt)
{
	const char *iso3 = k->nseg > 1 ? k->seg[1] : NULL;
	enum app_action act;
	switch (rt->gate) {
	case GATE_SURVEY_EDIT: act = APP_SURVEY_EDIT; break;
	case GATE_SURVEY_MOVE:
		act = k->nseg > 3 && strcmp(k->seg[3], "submit") == 0
			? APP_SURVEY_EDIT : APP_SURVEY_REVIEW;
		break;
	case GATE_DATA: act = APP_DATA_WRITE; iso3 = NULL; break;
	case GATE_REGISTRY: act = APP_REGISTRY_WRITE; iso3 = NULL; break;
	case GATE_CAPACITY: act = APP_CAPACITY_WRITE; iso3 = NULL; break;
	case GATE_FORUM_ADMIN: act = APP_FORUM_ADMIN; iso3 = NULL; break;
	case GATE_ACCOUNTS: act = APP_ACCOUNTS; iso3 = NULL; break;
	case GATE_FORUM_MEMBER:
	case GATE_FORUM_ACTION:
		return app_forum_may_write(k->a, k->actor,
					   rt->gate == GATE_FORUM_ACTION, &k->e);
	default: return 0;
	}
	return app_authorize(k->a, k->actor, act, iso3, &k->e);
}

/* The route of method on the API path (after /api/v1/), NULL if none. */
static const struct route *route_of(const char *path, const char *method)
{
	char copy[512];
	if (strlen(path) >= sizeof copy)
		return NULL;
	memcpy(copy, path, strlen(path) + 1);
	struct call k = {0};
	if (!split(copy, &k))
		return NULL;
	for (size_t i = 0; i < http_nroutes; i++)
		if (strcmp(http_routes[i].method, method) == 0 &&
		    matches(http_routes[i].pattern, &k))
			return &http_routes[i];
	return NULL;
}

static enum MHD_Result api_call(struct server *s, struct call *kp,
				const char *method, const char *path,
				struct buf *upload);

/* OPTIONS on an API path: a CORS preflight.  Public reads say what a page
 * of another site may send; anything else (writes, reads that need an
 * account) gets no CORS header, so the browser stops there. */
static enum MHD_Result preflight(struct MHD_Connection *c, const struct call *k)
{
	bool public_read = false;
	for (size_t i = 0; i < http_nroutes; i++)
		if (strcmp(http_routes[i].method, "GET") == 0 && !http_routes[i].auth &&
		    matches(http_routes[i].pattern, k))
			public_read = true;
	if (!public_read)
		return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
				  "this endpoint does not take that method");
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL,
								 MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
	MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
	MHD_add_response_header(r, "Access-Control-Allow-Headers",
				"Accept, If-None-Match");
	MHD_add_response_header(r, "Access-Control-Max-Age", "86400");
	MHD_add_response_header(r, "Allow", "GET, HEAD, OPTIONS");
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_NO_CONTENT, r);
	MHD_destroy_response(r);
	return ret;
}

/* The file name extension of a download: the format asked for, or for
 * the exports that write their own files, what they wrote. */
static const char *download_ext(const struct call *k, const struct http_download *dl)
{
	if (!dl->own_format)
		return strcmp(k->download, "csv") == 0 ? ".csv" : ".json";
	const char *f = http_query(k, "format");
	if (f && strcmp(f, "sdmx") == 0)
		return "-sdmx.csv";
	if (f && strcmp(f, "stix") == 0)
		return "-stix.json";
	return k->type && strncmp(k->type, "text/csv", 8) == 0 ? ".csv" : ".json";
}

static enum MHD_Result api(struct server *s, struct MHD_Connection *c,
			   const char *method, const char *path,
			   struct buf *upload, const struct req *rq)
{
	struct call k = {0};
	k.c = c;
	if (rq && rq->fd >= 0) {
		k.body_path = rq->path;
		k.body_len = rq->spooled;
	}
	errs_init(&k.faults, 100);
	enum MHD_Result r = api_call(s, &k, method, path, upload);
	errs_free(&k.faults);
	return r;
}

static enum MHD_Result api_call(struct server *s, struct call *kp,
				const char *method, const char *path,
				struct buf *upload)
{
	struct MHD_Connection *c = kp->c;
	struct arena ar;
	arena_init(&ar);
	kp->arena = &ar;
	kp->body_in = upload->p ? upload->p : ""; /* never NULL, even with no body */
	if (!kp->body_path)
		kp->body_len = upload->len;
	kp->secure_cookie = s->cfg->secure_cookies;
	char copy[512];
	if (strlen(path) >= sizeof copy)
		return send_error(c, MHD_HTTP_URI_TOO_LONG, "bad_request", "path too long");
	memcpy(copy, path, strlen(path) + 1); /* length checked above */
	if (strcmp(path, "openapi.json") == 0)
		return static_file(s, c, "/openapi.json");
	if (!split(copy, kp))
		return send_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such endpoint");
	const struct route *rt = NULL;
	bool path_known = false;
	for (size_t i = 0; i < http_nroutes && !rt; i++) {
		if (!matches(http_routes[i].pattern, kp))
			continue;
		path_known = true;
		if (strcmp(http_routes[i].method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(http_routes[i].method, "GET") == 0))
			rt = &http_routes[i];
	}
	if (!rt && path_known && strcmp(method, "OPTIONS") == 0)
		return preflight(c, kp);
	if (!rt && path_known)
		return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
				  "this endpoint does not take that method");
	if (!rt) {
		char msg[600];
		snprintf(msg, sizeof msg, "no such endpoint: /api/v1/%s", path);
		return send_error(c, MHD_HTTP_NOT_FOUND, "not_found", msg);
	}
	upcase_iso3(rt, kp, copy);
	const struct http_download *dl = http_download_of(rt->pattern);
	struct arg_check ac = {rt, dl && !dl->own_format, ""};
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, check_arg, &ac);
	/* A refusal of a public read is readable by other sites, as its
	 * answer would have been. */
	bool public_get = strcmp(rt->method, "GET") == 0 && !rt->auth;
	if (ac.unknown[0]) {
		arena_free(&ar);
		err_set(&kp->e, CDG_EUSAGE, "unknown query parameter \"%s\"", ac.unknown);
		return send_err_retry(c, &kp->e, 0, public_get);
	}
	if (dl && !dl->own_format && (kp->download = http_query(kp, "format")) &&
	    strcmp(kp->download, "csv") != 0 && strcmp(kp->download, "json") != 0) {
		arena_free(&ar);
		err_at(&kp->e, CDG_EUSAGE, NULL, 0, "format", "csv or json");
		return send_err_retry(c, &kp->e, 0, public_get);
	}
	kp->a = thread_app(s, &kp->e);
	kp->data_dir = s->cfg->data_dir ? s->cfg->data_dir : CDG_DATADIR;
	if (!kp->a) {
		arena_free(&ar);
		return send_err(c, &kp->e);
	}
	int rc = identify(kp, method);
	if (rc) {
		arena_free(&ar);
		return send_error(c, MHD_HTTP_FORBIDDEN, "forbidden", kp->e.msg);
	}
	if (rt->auth && !kp->actor) {
		arena_free(&ar);
		return send_error(c, MHD_HTTP_UNAUTHORIZED, "unauthorized",
				  "sign in first (POST /api/v1/login) or send a bearer token");
	}
	if (rt->gate && (rc = gate(kp, rt)) != 0) {
		arena_free(&ar);
		return send_err(c, &kp->e);
	}
	struct worker *wk = thread_worker(s, &kp->e);
	/* Only answers that are the same for everyone are cached: what a
	 * signed-in account reads may include what the public may not. */
	bool cacheable = strcmp(rt->method, "GET") == 0 && !rt->auth && !kp->actor;
	struct buf key = BUF_INIT;
	long long version = 0;
	if (cacheable) {
		struct buf q = BUF_INIT;
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &q);
		buf_adds(&key, path);
		buf_adds(&key, q.len ? q.p : "");
		buf_free(&q);
		version = app_data_version(kp->a);
		struct centry *ce = strmap_get(&wk->index, key.p);
		if (ce && ce->version == version) {
			enum MHD_Result r = send_entry(c, ce);
			buf_free(&key);
			arena_free(&ar);
			return r;
		}
	} else if (strcmp(rt->method, "GET") != 0) {
		cache_clear(wk); /* this thread's own writes */
	}
	buf_init(&kp->body);
	jw_init(&kp->w, &kp->body, false);
	rc = rt->fn(kp);
	/* A write that met another writer's lock past the busy timeout was
	 * rolled back whole: try it once more before answering 503. */
	if (rc == CDG_EBUSY && strcmp(rt->method, "GET") != 0 && !kp->retry_after) {
		buf_reset(&kp->body);
		jw_init(&kp->w, &kp->body, false);
		errs_free(&kp->faults);
		errs_init(&kp->faults, 100);
		kp->e = (struct cdg_err){0};
		rc = rt->fn(kp);
	}
	if (rc == 0 && rt->paged)
		rc = page(kp);
	if (rc == 0 && dl && kp->download && strcmp(kp->download, "csv") == 0) {
		rc = http_download_csv(dl, &kp->body, &kp->e);
		kp->type = "text/csv; charset=utf-8";
	}
	if (rc == 0 && dl && (kp->download || dl->own_format))
		http_download_name(dl, kp, download_ext(kp, dl), kp->disposition,
				   sizeof kp->disposition);
	enum MHD_Result r;
	if (rc && kp->status == 429)
		r = send_error_full(c, 429, "too_many_requests", kp->e.msg, NULL,
				    kp->retry_after, false);
	else if (rc && kp->retry_after)
		r = send_err_retry(c, &kp->e, kp->retry_after, cacheable);
	else if (rc && kp->faults.n) {
		char msg[1024];
		err_format(&kp->e, msg, sizeof msg);
		r = send_error_faults(c, status_of(kp->e.code), err_code_name(kp->e.code),
				      msg, &kp->faults);
	} else if (rc)
		r = send_err_retry(c, &kp->e, 0, cacheable);
	else if (cacheable && version >= 0) {
		if (wk->n == CACHE_MAX)
			cache_clear(wk);
		struct centry *ce = strmap_get(&wk->index, key.p);
		if (!ce) {
			ce = xcalloc(1, sizeof *ce);
			ce->key = buf_detach(&key);
			wk->v[wk->n++] = ce;
			strmap_put(&wk->index, ce->key, ce);
		} else {
			centry_drop_responses(ce);
			buf_free(&ce->body);
			buf_free(&ce->gz);
		}
		ce->version = version;
		ce->type = kp->type;
		snprintf(ce->disposition, sizeof ce->disposition, "%s", kp->disposition);
		ce->body = kp->body;
		buf_init(&kp->body);
		etag_of(ce->body.p, ce->body.len, ce->etag);
		buf_init(&ce->gz);
		if (ce->body.len > 1024 && gzip_of(ce->body.p, ce->body.len, &ce->gz)) {
			snprintf(ce->etag_gz, sizeof ce->etag_gz, "%s", ce->etag);
			strcpy(ce->etag_gz + strlen(ce->etag_gz) - 1, "-gz\"");
		} else {
			buf_free(&ce->gz);
		}
		r = send_entry(c, ce);
	} else if (strcmp(rt->method, "GET") == 0 && strcmp(rt->pattern, "me") != 0)
		r = send_cached(c, kp->type ? kp->type : "application/json", &kp->body,
				kp->disposition, cacheable);
	else /* writes, and "me", which holds the session's CSRF token: no-store */
		r = send_write(c, &kp->body, kp->set_cookie);
	buf_free(&kp->body);
	buf_free(&key);
	arena_free(&ar);
	return r;
}

/* ---- static files ---------------------------------------------------------- */

static const char *mime_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot)
		return "application/octet-stream";
	if (strcmp(dot, ".html") == 0)
		return "text/html; charset=utf-8";
	if (strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (strcmp(dot, ".js") == 0 || strcmp(dot, ".mjs") == 0)
		return "text/javascript; charset=utf-8";
	if (strcmp(dot, ".json") == 0)
		return "application/json";
	if (strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	if (strcmp(dot, ".png") == 0)
		return "image/png";
	if (strcmp(dot, ".md") == 0)
		return "text/markdown; charset=utf-8";
	return "application/octet-stream";
}

/* Reads the regular file rel (relative to the web root, never through a
 * link) into body; false if there is none. */
static bool web_read(struct server *s, const char *rel, struct buf *body)
{
	int fd = openat(s->web_fd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	bool ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	while (ok) {
		char chunk[16384];
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0)
			ok = false;
		if (n <= 0)
			break;
		buf_add(body, chunk, (size_t)n);
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

/* No such page: people get web/404.html with status 404 (links home,
 * to the A-Z list of States and the search box); a program asking for
 * JSON, or a web root without that page, gets the JSON error. */
static enum MHD_Result page_not_found(struct server *s, struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							 "Accept");
	struct buf body = BUF_INIT;
	enum MHD_Result r;
	if (s->web_fd >= 0 && !(accept && strstr(accept, "application/json") &&
				!strstr(accept, "text/html")) &&
	    web_read(s, "404.html", &body))
		r = send_buf_retry(c, MHD_HTTP_NOT_FOUND, "text/html; charset=utf-8",
				   body.p, body.len, NULL, 0, false);
	else
		r = send_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
	buf_free(&body);
	return r;
}

static enum MHD_Result static_file(struct server *s, struct MHD_Connection *c,
				   const char *url)
{
	if (strcmp(url, "/") == 0)
		url = "/index.html";
	/* Only plain names under web/: no "..", no hidden files, opened
	 * relative to the web root's descriptor, never through a link. */
	if (url[0] != '/' || strstr(url, "..") || strstr(url, "/.") ||
	    strchr(url, '\\') || strstr(url, "//") || s->web_fd < 0)
		return page_not_found(s, c);
	struct buf body = BUF_INIT;
	enum MHD_Result r = web_read(s, url + 1, &body)
				    ? send_cached(c, mime_of(url), &body, NULL,
						  strcmp(url, "/openapi.json") == 0)
				    : page_not_found(s, c);
	buf_free(&body);
	return r;
}

/* ---- methodology pages and the API reference --------------------------- */

#ifndef CDG_DOCSDIR
#define CDG_DOCSDIR "docs"
#endif

/* A whole regular file into b (false if there is none). */
static bool read_plain(const char *path, struct buf *b)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && file_read_all(path, b, NULL) == 0;
}

/* /docs/NAME: docs/NAME.md as a page (/docs/ is docs/README.md); a name
 * with an extension is the file itself (docs/examples/...). */
static enum MHD_Result doc_page(struct server *s, struct MHD_Connection *c,
				const char *url)
{
	const char *name = url[5] == '/' ? url + 6 : "";
	struct buf b = BUF_INIT;
	struct cdg_err e = {0};
	enum MHD_Result r;
	if (strchr(name, '.')) {
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", CDG_DOCSDIR, name);
		bool ok = !strstr(name, "..") && !strstr(name, "/.") && !strstr(name, "//") &&
			  name[0] != '.' && read_plain(path, &b);
		r = ok ? send_cached(c, mime_of(name), &b, NULL, false)
		       : send_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
	} else if (http_doc_page(CDG_DOCSDIR, s->web_dir, name, &b, &e) == 0) {
		r = send_cached(c, "text/html; charset=utf-8", &b, NULL, false);
	} else {
		r = send_err(c, &e);
	}
	buf_free(&b);
	return r;
}

#ifndef CDG_APIDOCDIR
#define CDG_APIDOCDIR "web-gen"
#endif

/* The API reference, built from web/openapi.json by Redocly at build time
 * (scripts/api-docs.mjs) into the build tree.  Redoc styles its page with
 * inline style elements, so this page alone allows inline styles; its
 * scripts are files of the site, as everywhere. */
static enum MHD_Result api_reference(struct MHD_Connection *c, const char *url)
{
	char path[1024];
	snprintf(path, sizeof path, "%s%s", CDG_APIDOCDIR, url);
	struct buf b = BUF_INIT;
	if (!read_plain(path, &b)) {
		buf_free(&b);
		return send_error(c, MHD_HTTP_NOT_FOUND, "not_found",
				  "the API reference was not built (it needs node and "
				  "tests/js/node_modules); see /api/v1/openapi.json");
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(
		b.len, b.p, MHD_RESPMEM_MUST_COPY);
	common_headers_csp(r, mime_of(url), "default-src 'self'; img-src 'self' data:; "
			   "style-src 'self' 'unsafe-inline'; script-src 'self'; "
			   "font-src 'self' data:; frame-ancestors 'none'");
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	buf_free(&b);
	return ret;
}

/* What the request line and headers alone decide, before any body is
 * read.  Malformed framing (and a body announced over the limit) is
 * answered at once: true, *out holds the answer, and libmicrohttpd closes
 * the connection.  A request that may not go on for who sends it is
 * marked in rq instead: its body is read and dropped, never stored, and
 * the refusal is sent when it is in (so the client reads it rather than
 * a reset); false then, as when the request may go on. */
static bool refuse_early(struct server *s, struct MHD_Connection *c,
			 struct req *rq, const char *url, const char *method,
			 const char *version, enum MHD_Result *out)
{
	if (url[0] != '/') {
		*out = send_error(c, MHD_HTTP_BAD_REQUEST, "bad_request",
				  "the request target must start with /");
		return true;
	}
	if (strcmp(version, MHD_HTTP_VERSION_1_1) == 0 &&
	    !MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host")) {
		*out = send_error(c, MHD_HTTP_BAD_REQUEST, "bad_request",
				  "HTTP/1.1 requests need a Host header");
		return true;
	}
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					      MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
		*out = send_error(c, MHD_HTTP_BAD_REQUEST, "bad_request",
				  "a request may not carry both Content-Length "
				  "and Transfer-Encoding");
		return true;
	}
	bool safe = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	if (safe || strncmp(url, "/api/v1/", 8) != 0)
		return false;
	const struct route *rt = route_of(url + 8, method);
	if (!rt) { /* 404 or 405, which need no body */
		rq->answered = rq->refuse_route = true;
		return false;
	}
	if (!rt->auth) /* signing in and out */
		return false;
	/* A write: the size it announces, then who sends it. */
	size_t limit = bulk_upload(url) ? HTTP_MAX_BULK : HTTP_MAX_BODY;
	long n = 0;
	if (cl && (parse_long(cl, 0, 1L << 40, &n) != 0 || (size_t)n > limit)) {
		*out = send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "bad_request",
				  limit == HTTP_MAX_BODY ? "request body over 1 MiB"
				  : "request body over 32 MiB (import larger files with the CLI)");
		return true;
	}
	/* A large announced body (or one of unknown length) is not read just
	 * to refuse it: such a refusal goes at once. */
	bool at_once = !cl || n > 65536;
	struct call k = {0};
	struct arena ar;
	arena_init(&ar);
	k.c = c;
	k.arena = &ar;
	k.a = thread_app(s, &k.e);
	int rc = k.a ? identify(&k, method) : -1;
	const char *msg = NULL;
	if (!k.a) {
		rq->refuse_status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		rq->refuse_code = "internal_error";
		msg = "the server could not complete the request (see its log)";
		fprintf(stderr, "cdg: %s\n", k.e.msg);
	} else if (rc) {
		rq->refuse_status = MHD_HTTP_FORBIDDEN;
		msg = k.e.msg;
	} else if (!k.actor) {
		rq->refuse_status = MHD_HTTP_UNAUTHORIZED;
		rq->refuse_code = "unauthorized";
		msg = "sign in first (POST /api/v1/login) or send a bearer token";
	} else if (bulk_upload(url) &&
		   app_authorize(k.a, k.actor, strcmp(url, "/api/v1/registry") == 0
				 ? APP_REGISTRY_WRITE : APP_DATA_WRITE, NULL, &k.e) != 0) {
		rq->refuse_status = MHD_HTTP_FORBIDDEN;
		msg = k.e.msg;
	}
	bool now = false;
	if (rq->refuse_status) {
		if (!rq->refuse_code)
			rq->refuse_code = "forbidden";
		snprintf(rq->refuse_msg, sizeof rq->refuse_msg, "%s", msg);
		rq->answered = true;
		if (at_once) {
			*out = send_error(c, rq->refuse_status, rq->refuse_code, rq->refuse_msg);
			rq->refuse_status = 0;
			now = true;
		}
	}
	arena_free(&ar);
	return now;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	/* First call: headers only.  Answering on the second call keeps the
	 * connection alive (libmicrohttpd closes it otherwise). */
	if (!*con_cls) {
		struct req *r = xcalloc(1, sizeof *r);
		r->fd = -1;
		arena_init(&r->arena);
		r->counted = true;
		atomic_fetch_add(&s->in_flight, 1);
		*con_cls = r;
		enum MHD_Result early;
		if (refuse_early(s, c, r, url, method, version, &early)) {
			r->answered = true;
			return early;
		}
		return MHD_YES;
	}
	struct req *rq = *con_cls;
	if (rq->answered) { /* refused on its headers: drop what comes */
		if (*upload_size) {
			*upload_size = 0;
			return MHD_YES;
		}
		if (rq->refuse_route) {
			struct buf none = BUF_INIT;
			return api(s, c, method, url + 8, &none, NULL);
		}
		if (rq->refuse_status)
			return send_error(c, rq->refuse_status, rq->refuse_code,
					  rq->refuse_msg);
		return MHD_NO; /* answered at once: nothing more to say */
	}
	size_t limit = bulk_upload(url) ? HTTP_MAX_BULK : HTTP_MAX_BODY;
	if (*upload_size) {
		if (rq->upload.len + rq->spooled + *upload_size > limit)
			rq->too_big = true;
		else if (limit == HTTP_MAX_BULK)
			rq->spool_failed = rq->spool_failed || !spool(rq, upload, *upload_size);
		else
			buf_add(&rq->upload, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->spool_failed)
		return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "io_error",
				  "the server could not store the upload (see its log)");
	if (rq->too_big)
		return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "bad_request",
				  limit == HTTP_MAX_BODY ? "request body over 1 MiB"
				  : "request body over 32 MiB (import larger files with the CLI)");
	if (strncmp(url, "/api/v1/", 8) == 0)
		return api(s, c, method, url + 8, &rq->upload, rq);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				  "method_not_allowed", "pages are read with GET");
	if (strcmp(url, "/api/v1") == 0 || strncmp(url, "/api/", 5) == 0)
		return send_error(c, MHD_HTTP_NOT_FOUND, "not_found",
				  "the API lives under /api/v1/");
	if (strcmp(url, "/docs") == 0 || strncmp(url, "/docs/", 6) == 0)
		return doc_page(s, c, url);
	if (strncmp(url, "/api.html/", 10) == 0) /* the reference's own routes */
		return api_reference(c, "/api.html");
	if (strcmp(url, "/api.html") == 0 || strcmp(url, "/api-init.js") == 0 ||
	    strcmp(url, "/api-mode.js") == 0 || strcmp(url, "/api-redoc.js") == 0)
		return api_reference(c, url);
	return static_file(s, c, url);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)c;
	(void)toe;
	struct server *s = cls;
	struct req *r = *con_cls;
	if (!r)
		return;
	if (r->counted)
		atomic_fetch_sub(&s->in_flight, 1);
	spool_remove(r);
	arena_free(&r->arena);
	buf_free(&r->upload);
	free(r);
	*con_cls = NULL;
}

int http_serve(const struct http_config *cfg, struct cdg_err *e)
{
	struct server s = {0};
	s.cfg = cfg;
	s.web_dir = cfg->web_dir ? cfg->web_dir : CDG_WEBDIR;
	s.web_fd = -1;
	atomic_init(&s.in_flight, 0);

	/* Refuse to start on a database that cannot be served. */
	struct app probe;
	int rc = app_open(&probe, cfg->db_path, true, e);
	if (rc)
		return rc;
	app_close(&probe);

	struct sockaddr_in addr = {0};
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->bind, &addr.sin_addr) != 1)
		return err_set(e, CDG_EUSAGE, "serve: --bind wants an IPv4 address, got \"%s\"",
			       cfg->bind);

	/* Block the stop signals in every thread; this one waits for them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	s.web_fd = open(s.web_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	pthread_key_create(&s.app_key, app_destroy);
	http_hash_slots(cfg->threads - 1);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			MHD_USE_ERROR_LOG,
		0, NULL, NULL, handler, &s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		MHD_OPTION_NOTIFY_COMPLETED, completed, &s,
		/* Slow clients: a connection idle for 10 s is closed, and one
		 * address may hold only so many (issue 14 V6). */
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)(cfg->per_ip_limit > 0 ? cfg->per_ip_limit : 256),
		/* Request headers and the response head live in this pool,
		 * which libmicrohttpd zeroes after every request: 8 KiB (as
		 * nginx's header buffers) takes headers up to about 7 kB and
		 * answers 431 beyond; 16 KiB spent a tenth of the CPU in
		 * memset under wrk. */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(8192),
		MHD_OPTION_END);
	if (!d) {
		pthread_key_delete(s.app_key);
		if (s.web_fd >= 0)
			close(s.web_fd);
		return err_set(e, CDG_EIO, "serve: cannot listen on %s:%d",
			       cfg->bind, cfg->port);
	}
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("cdg: serving http://%s:%u/\n", cfg->bind,
	       info ? (unsigned)info->port : (unsigned)cfg->port);
	fflush(stdout);

	int sig = 0;
	sigwait(&stop, &sig);
	fprintf(stderr, "cdg: %s received, finishing requests in flight\n",
		sig == SIGTERM ? "SIGTERM" : "SIGINT");
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 1000 && atomic_load(&s.in_flight) > 0; i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	pthread_key_delete(s.app_key);
	if (s.web_fd >= 0)
		close(s.web_fd);
	fprintf(stderr, "cdg: stopped\n");
	return 0;
}
