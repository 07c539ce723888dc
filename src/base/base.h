/*
 * base: the few tools every other module shares.
 *
 * - Errors: functions return 0 or a negative CDG_E* code; details go into a
 *   caller-owned struct cdg_err filled by err_set()/err_at(), which return the
 *   code so that "return err_set(e, CDG_EINPUT, ...)" is one line.  The CLI
 *   maps codes to exit status with err_exit_status(); HTTP maps them to a
 *   status line.  A NULL struct cdg_err pointer is allowed everywhere and
 *   simply drops the details.
 * - struct buf: a growable byte string.  p is never NULL and always
 *   NUL-terminated, so buf.p can be passed to any C string function.  The
 *   owner frees it with buf_free().  Allocation failure aborts: cdg treats
 *   out-of-memory as fatal rather than threading ENOMEM through every call.
 * - struct str: a read-only slice; it owns nothing.
 * - struct arena: bump allocation for one request, one job or the process;
 *   everything is freed at once by arena_free().
 * - struct jw: a streaming JSON writer into a buf, with shortest round-trip
 *   doubles (0.1 prints as 0.1).
 * - Progress lines on a terminal only (never in pipes), and small file
 *   helpers.
 */
#ifndef CDG_BASE_H
#define CDG_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- errors ------------------------------------------------------------ */

enum {
	CDG_OK = 0,
	CDG_EUSAGE = -1,    /* bad command line or API call shape (exit 2) */
	CDG_EINPUT = -2,    /* input rejected, nothing written (exit 3) */
	CDG_ENOTFOUND = -3, /* a named thing does not exist (exit 3) */
	CDG_EIO = -4,       /* file or socket failure (exit 1) */
	CDG_EDB = -5,       /* database failure (exit 1) */
	CDG_ESCHEMA = -6,   /* database written by a newer cdg (exit 1) */
	CDG_EPERM = -7,     /* the actor's role does not allow this (exit 1) */
	CDG_ECONFLICT = -8, /* stale revision or duplicate key (exit 1) */
	CDG_EINTERNAL = -9, /* a bug: an invariant did not hold (exit 1) */
	CDG_EBUSY = -10,    /* the database stayed locked by another writer past
			       the busy timeout; try again (exit 1, HTTP 503) */
};

struct cdg_err {
	int code;        /* one of the CDG_E* values, 0 when unset */
	char file[256];  /* input file the error is about, "" if none */
	long line;       /* 1-based line in file, 0 if unknown */
	long column;     /* 1-based column or field index, 0 if unknown */
	char field[64];  /* field/column/key name, "" if none */
	char msg[512];   /* one sentence, no trailing period needed */
};

/* Clears e (may be NULL). */
void err_clear(struct cdg_err *e);
/* Records code and a printf-style message in e; returns code. */
int err_set(struct cdg_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Like err_set, also recording where in which input (file may be NULL,
 * field may be NULL or ""). */
int err_at(struct cdg_err *e, int code, const char *file, long line,
	   const char *field, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Exit status for a code: 0 ok, 2 usage, 3 input rejected, 1 otherwise. */
int err_exit_status(int code);
/* Short stable name of a code ("input", "not_found", ...) for JSON. */
const char *err_code_name(int code);
/* Writes "FILE:LINE: field X: reason" (parts omitted when unknown) to out
 * (a char array of size n). */
void err_format(const struct cdg_err *e, char *out, size_t n);

/* ---- strings ----------------------------------------------------------- */

struct buf {
	char *p;    /* never NULL, NUL-terminated */
	size_t len; /* bytes used, excluding the NUL */
	size_t cap; /* bytes allocated, 0 while p points at a static "" */
};

struct str {
	const char *p; /* not NUL-terminated in general */
	size_t n;      /* length in bytes */
};

#define BUF_INIT {buf_empty_, 0, 0}
/* Shared empty string for unallocated bufs; never written (cap == 0). */
extern char buf_empty_[1];

void buf_init(struct buf *b);
void buf_free(struct buf *b);
/* Empties b, keeping its memory. */
void buf_reset(struct buf *b);
/* Ensures room for n more bytes. */
void buf_grow(struct buf *b, size_t n);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Hands b's memory to the caller (free() it) and resets b. */
char *buf_detach(struct buf *b);

static inline struct str str_c(const char *s)
{
	struct str r = {s, 0};
	while (s[r.n])
		r.n++;
	return r;
}
bool str_eq_c(struct str s, const char *c);
/* True if p[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *p, size_t n);
/* True if s has the shape of an ISO 3166 alpha-3 code: three capitals. */
bool iso3_shape(const char *s);
/* True if s is an absolute http or https URL (scheme in any case) with a
 * host, and no space or control character: the only links cdg stores and
 * shows (never javascript:, data: or a relative path). */
bool url_http_ok(const char *s);
/* strdup that aborts on failure. */
char *xstrdup(const char *s);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);

/* ---- error lists ---------------------------------------------------------- */

/* Collects the errors of one input (a whole file is checked, not just its
 * first fault).  Keeps the first max errors; total counts all of them. */
struct err_list {
	struct cdg_err *v;  /* kept errors, in order found */
	size_t n;           /* number kept */
	size_t max;         /* how many to keep */
	size_t cap;         /* allocated entries of v (grows up to max) */
	long total;         /* how many were found */
};

void errs_init(struct err_list *l, size_t max);
void errs_add(struct err_list *l, const struct cdg_err *e);
void errs_free(struct err_list *l);
/* Appends a CDG_EINPUT error at file:line, field (either may be NULL). */
void errs_addf(struct err_list *l, const char *file, long line,
	       const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void errs_vaddf(struct err_list *l, const char *file, long line,
		const char *field, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/* ---- positions in JSON texts ---------------------------------------------- */

/* JSON parsers keep no positions, so errors about a parsed value are placed
 * by finding it in the text again.  Lines are 1-based; 0 means not found. */
/* Line of the first `"id": "<id>"` (any spacing). */
long json_line_of_id(const char *text, const char *id);
/* Line of the first `"key":` at or after the first `"after"` (after may be
 * NULL: from the start). */
long json_line_of_key(const char *text, const char *after, const char *key);
/* Line of the k-th (0-based) `"key":`. */
long json_line_of_nth_key(const char *text, const char *key, size_t k);
/* Lines of every `"key":` in order, in one pass over the text (for a
 * parser that places many values); *out is malloc'ed, the caller frees. */
size_t json_key_lines(const char *text, const char *key, long **out);

/* ---- string map ----------------------------------------------------------- */

/* Open-addressing hash map from NUL-terminated keys to pointers.  Keys are
 * not copied: they must outlive the map. */
struct strmap {
	const char **keys; /* NULL = empty slot */
	void **vals;
	size_t cap;        /* power of two */
	size_t n;          /* entries */
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/* Sets key to val (replacing). */
void strmap_put(struct strmap *m, const char *key, void *val);
/* The value of key, or NULL. */
void *strmap_get(const struct strmap *m, const char *key);

/* ---- arena ------------------------------------------------------------- */

struct arena_block;
struct arena {
	struct arena_block *head; /* newest block, NULL when empty */
	size_t used;              /* bytes used in head */
	size_t total;             /* bytes allocated across blocks (stats) */
};

void arena_init(struct arena *a);
/* Returns n bytes aligned for any type, zeroed; lives until arena_free. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);

/* ---- JSON writer --------------------------------------------------------- */

#define JW_MAX_DEPTH 64

struct jw {
	struct buf *out;             /* destination, owned by the caller */
	int depth;                   /* current nesting depth */
	bool first[JW_MAX_DEPTH];    /* no element written yet at this depth */
	bool after_key;              /* a key was written, its value is next */
	bool pretty;                 /* indent two spaces per level */
};

void jw_init(struct jw *w, struct buf *out, bool pretty);
void jw_obj(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *k);
void jw_str(struct jw *w, const char *s);       /* NULL writes null */
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, long long v);
void jw_num(struct jw *w, double v);           /* NaN/inf write null */
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Writes pre-encoded JSON text as one value. */
void jw_raw(struct jw *w, const char *json);
/* Shortcuts for "key": value. */
void jw_kstr(struct jw *w, const char *k, const char *s);
void jw_kint(struct jw *w, const char *k, long long v);
void jw_knum(struct jw *w, const char *k, double v);
void jw_kbool(struct jw *w, const char *k, bool v);
/* "key": "s" only when s is not NULL (a reader takes an absent key and
 * null alike); "key": [the n strings of v]. */
void jw_kstr_opt(struct jw *w, const char *k, const char *s);
void jw_kstrs(struct jw *w, const char *k, const char *const *v, size_t n);
/* Appends the shortest decimal that reads back as exactly v. */
void fmt_double(struct buf *b, double v);

/* ---- files, time, progress -------------------------------------------- */

/* Reads a whole file into b (appending).  Errors name the path. */
int file_read_all(const char *path, struct buf *b, struct cdg_err *e);
/* Writes data to path atomically (temp file, fsync, rename). */
int file_write_atomic(const char *path, const void *data, size_t n,
		      struct cdg_err *e);
/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into out[21]. */
void time_now_iso(char out[21]);
/* Whether s has the form time_now_iso() writes (YYYY-MM-DDTHH:MM:SSZ). */
bool time_iso_shape(const char *s);
/* True if s is a valid ISO date "YYYY", "YYYY-MM" or "YYYY-MM-DD". */
bool date_valid(const char *s);
/* True if the day of date ("YYYY-MM-DD", any time after it ignored) is
 * within the months months before ref ("YYYY-MM-DD"): after the same day
 * months earlier, and not after ref. */
bool date_in_months_before(const char *date, const char *ref, int months);

/* Progress on stderr when it is a terminal; silent otherwise. */
struct progress {
	const char *label; /* what is being done */
	long total;        /* expected steps, 0 if unknown */
	long done;         /* steps done */
	bool tty;          /* stderr is a terminal */
	long long last_ms; /* time of the last redraw */
};
void progress_begin(struct progress *p, const char *label, long total);
void progress_step(struct progress *p, long n);
void progress_end(struct progress *p);

#endif
