/* libFuzzer target: the HTTP request layer (issue 14).  A real cdg serve
 * runs in this process on a loopback port over a scratch database made by
 * cdg init, with a secretariat account; each input becomes one request
 * (method, path under /api/v1/, credentials, query and JSON body from the
 * input) sent over a socket.  Memory errors in the server's threads are
 * caught by the sanitizers; an answer that is not HTTP, a 500 (the server
 * failed on a request) or a server that stops answering aborts.
 *
 * Input layout: byte 0 picks the method, byte 1 the credentials; then the
 * path (up to the first newline, bytes outside the printable ASCII range
 * dropped), then the body.  Paths that hash a password (login, accounts)
 * are left out: an Argon2 hash takes seconds under the sanitizers, past
 * the fuzzer's time limit, and the API tests cover them. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app/app.h"
#include "base/base.h"
#include "http/http.h"

#ifndef CDG_SRCDIR
#define CDG_SRCDIR "."
#endif

#define MAX_ARGS 64

static int port;
static char token[65];

static void die(const char *what)
{
	fprintf(stderr, "fuzz_http: %s\n", what);
	abort();
}

static void *serve(void *arg)
{
	struct cdg_err e = {0};
	if (http_serve(arg, &e) != 0)
		die(e.msg);
	return NULL;
}

/* A free loopback port (bound and released: a race only with other
 * programs on this machine, which the set-up would report). */
static int free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t n = sizeof a;
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &n) != 0)
		die("no free port");
	int p = ntohs(a.sin_port);
	close(s);
	return p;
}

/* A connected socket, or -1 with errno set.  libFuzzer's timer signals
 * can interrupt connect(2); the connection then goes on in the kernel, so
 * wait for it to finish and read its outcome instead of calling it a
 * failure. */
static int connect_server(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	if (connect(s, (struct sockaddr *)&a, sizeof a) == 0)
		return s;
	if (errno == EINTR) {
		struct pollfd pf = {s, POLLOUT, 0};
		int pr;
		while ((pr = poll(&pf, 1, 5000)) < 0 && errno == EINTR)
			;
		int err = 0;
		socklen_t n = sizeof err;
		if (pr == 1 && getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &n) == 0 && err == 0)
			return s;
		errno = pr == 0 ? ETIMEDOUT : err ? err : errno;
	}
	int keep = errno;
	close(s);
	errno = keep;
	return -1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	static char dir[] = "/tmp/cdg-fuzz-http-XXXXXX";
	if (!mkdtemp(dir))
		die("mkdtemp");
	static char db[256];
	snprintf(db, sizeof db, "%s/cdg.db", dir);
	struct app_init_report rep;
	struct cdg_err e = {0};
	if (app_init(db, CDG_SRCDIR "/data", "system", &rep, &e) != 0)
		die(e.msg);
	struct app a;
	if (app_open(&a, db, false, &e) != 0)
		die(e.msg);
	app_set_local(&a);
	if (app_user_add(&a, "cli:fuzz", "sec", "secretariat", NULL, NULL, &e) != 0 ||
	    app_token_create(&a, "cli:fuzz", "sec", 1, "fuzz", token, &e) != 0)
		die(e.msg);
	app_close(&a);
	port = free_port();
	static struct http_config cfg;
	cfg = (struct http_config){.db_path = db, .bind = "127.0.0.1", .port = port,
				   .threads = 2, .web_dir = CDG_SRCDIR "/web",
				   .data_dir = CDG_SRCDIR "/data", .per_ip_limit = 256};
	/* The server's own thread waits for SIGTERM; keep the fuzzer's
	 * signals out of it. */
	pthread_t t;
	if (pthread_create(&t, NULL, serve, &cfg) != 0)
		die("pthread_create");
	pthread_detach(t);
	for (int i = 0; i < 200; i++) {
		int s = connect_server();
		if (s >= 0) {
			close(s);
			return 0;
		}
		usleep(20000);
	}
	die("cdg serve did not start");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	static const char *const methods[] = {"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"};
	const char *method = methods[data[0] % 6];
	int cred = data[1] % 4;
	size_t i = 2;
	struct buf path = BUF_INIT, req = BUF_INIT;
	/* At most MAX_ARGS query arguments: libmicrohttpd 0.9.75 keeps each
	 * in the connection's 8 KiB pool, and a request with more (about
	 * 130) exhausts it; the library then neither answers nor closes
	 * the connection in epoll mode until the 10 s idle timeout
	 * (docs/security.md, known limits).  The server lives on; the
	 * fuzzer would only find that limit again. */
	int args = 0;
	for (; i < size && data[i] != '\n' && path.len < 400; i++)
		if (data[i] > 0x20 && data[i] < 0x7f && (data[i] != '&' || ++args <= MAX_ARGS))
			buf_addc(&path, (char)data[i]);
	if (i < size && data[i] == '\n')
		i++;
	if (path.len && (strncmp(path.p, "login", 5) == 0 || strncmp(path.p, "accounts", 8) == 0)) {
		buf_free(&path);
		return 0;
	}
	const char *body = (const char *)data + i;
	size_t blen = size - i;
	buf_addf(&req, "%s /api/v1/%s HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n",
		 method, path.len ? path.p : "");
	if (cred == 1)
		buf_addf(&req, "Authorization: Bearer %s\r\n", token);
	else if (cred == 2)
		buf_addf(&req, "Cookie: cdg_session=%s\r\n", token); /* no CSRF header */
	else if (cred == 3)
		buf_adds(&req, "Authorization: Bearer 0000\r\n");
	buf_addf(&req, "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n", blen);
	buf_add(&req, body, blen);
	int s = connect_server();
	if (s < 0) {
		fprintf(stderr, "fuzz_http: connect: %s\n", strerror(errno));
		die("the server stopped accepting connections");
	}
	size_t off = 0;
	while (off < req.len) {
		ssize_t w = send(s, req.p + off, req.len - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* refused early (e.g. 413 before the body): fine */
		off += (size_t)w;
	}
	char head[16] = {0};
	size_t got = 0;
	struct pollfd pf = {s, POLLIN, 0};
	int why = 0, pr;
	/* libFuzzer's timer signals interrupt poll: EINTR is no answer yet. */
	while ((pr = poll(&pf, 1, 5000)) > 0 || (pr < 0 && errno == EINTR)) {
		if (pr < 0)
			continue;
		char chunk[4096];
		ssize_t r = recv(s, chunk, sizeof chunk, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			why = r < 0 ? errno : 0;
			break;
		}
		for (ssize_t k = 0; k < r && got < sizeof head - 1; k++)
			head[got++] = chunk[k];
	}
	close(s);
	if (got < 12 || strncmp(head, "HTTP/1.1 ", 9) != 0) {
		fprintf(stderr, "fuzz_http: %s /api/v1/%s: %zu bytes, poll %d, %s\n", method,
			path.len ? path.p : "", got, pr, why ? strerror(why) : "closed");
		die("no HTTP answer");
	}
	if (strncmp(head + 9, "500", 3) == 0) {
		fprintf(stderr, "fuzz_http: 500 for %s /api/v1/%s\n", method, path.len ? path.p : "");
		abort();
	}
	buf_free(&path);
	buf_free(&req);
	return 0;
}
