/*
 * http: `cdg serve` — the JSON API under /api/v1/ and the static web UI,
 * on libmicrohttpd with a thread pool.  Each pool thread opens its own
 * struct app (one SQLite connection) on first use; it is closed when the
 * thread ends.  Handlers only translate HTTP to app/ calls and back:
 * errors become {"error":{"code","message"}} with the matching status,
 * JSON reads carry an ETag (a hash of the body) and honour If-None-Match.
 */
#ifndef CDG_HTTP_H
#define CDG_HTTP_H

#include "base/base.h"

struct http_config {
	const char *db_path;   /* database to serve */
	const char *bind;      /* IPv4 address to listen on */
	int port;              /* 0 picks a free port */
	int threads;           /* pool size */
	const char *web_dir;   /* static files, NULL for the built-in path */
	const char *data_dir;  /* data/ (map geometry), NULL for the built-in */
	int per_ip_limit;      /* connections one client address may hold */
	bool secure_cookies;   /* session cookies get Secure (served over TLS) */
};

/* Serves until SIGTERM or SIGINT, then lets requests in flight finish
 * (up to 10 s), closes the databases and returns 0.  Prints
 * "cdg: serving http://ADDR:PORT/" on stdout once listening. */
int http_serve(const struct http_config *cfg, struct cdg_err *e);

#endif
