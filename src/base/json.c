/* Streaming JSON writer: see base.h. */
#include "base.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void jw_init(struct jw *w, struct buf *out, bool pretty)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->pretty = pretty;
	w->first[0] = true;
}

static void newline(struct jw *w)
{
	if (!w->pretty)
		return;
	buf_addc(w->out, '\n');
	for (int i = 0; i < w->depth; i++)
		buf_add(w->out, "  ", 2);
}

/* Emits the separator that precedes a value (or a key). */
static void before_value(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		buf_addc(w->out, ',');
	if (w->depth > 0)
		newline(w);
	w->first[w->depth] = false;
}

static void open(struct jw *w, char c)
{
	before_value(w);
	buf_addc(w->out, c);
	assert(w->depth + 1 < JW_MAX_DEPTH);
	w->depth++;
	w->first[w->depth] = true;
}

static void close(struct jw *w, char c)
{
	assert(w->depth > 0);
	bool empty = w->first[w->depth];
	w->depth--;
	if (!empty)
		newline(w);
	buf_addc(w->out, c);
}

void jw_obj(struct jw *w) { open(w, '{'); }
void jw_obj_end(struct jw *w) { close(w, '}'); }
void jw_arr(struct jw *w) { open(w, '['); }
void jw_arr_end(struct jw *w) { close(w, ']'); }

static void put_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_addc(b, '"');
	size_t run = 0; /* start of the pending run of plain bytes */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		default:
			if (c < 0x20) {
				memcpy(u, "\\u00", 4);
				u[4] = hex[c >> 4];
				u[5] = hex[c & 15];
				u[6] = '\0';
				esc = u;
			}
		}
		if (esc) {
			buf_add(b, s + run, i - run);
			buf_adds(b, esc);
			run = i + 1;
		}
	}
	buf_add(b, s + run, n - run);
	buf_addc(b, '"');
}

void jw_key(struct jw *w, const char *k)
{
	before_value(w);
	put_string(w->out, k, strlen(k));
	buf_add(w->out, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
	w->after_key = true;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
	before_value(w);
	put_string(w->out, s, n);
}

void jw_str(struct jw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	jw_strn(w, s, strlen(s));
}

void jw_int(struct jw *w, long long v)
{
	before_value(w);
	buf_addf(w->out, "%lld", v);
}

void fmt_double(struct buf *b, double v)
{
	char tmp[40];
	if (v == 0) {
		buf_adds(b, signbit(v) ? "-0" : "0");
		return;
	}
	/* Whole numbers print without an exponent while they are exact. */
	if (fabs(v) < 1e17 && v == (double)(long long)v) {
		buf_addf(b, "%lld", (long long)v);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	buf_adds(b, tmp);
}

void jw_num(struct jw *w, double v)
{
	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	before_value(w);
	fmt_double(w->out, v);
}

void jw_bool(struct jw *w, bool v)
{
	before_value(w);
	buf_adds(w->out, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
	before_value(w);
	buf_adds(w->out, "null");
}

void jw_raw(struct jw *w, const char *json)
{
	before_value(w);
	buf_adds(w->out, json);
}

void jw_kstr(struct jw *w, const char *k, const char *s)
{
	jw_key(w, k);
	jw_str(w, s);
}

void jw_kint(struct jw *w, const char *k, long long v)
{
	jw_key(w, k);
	jw_int(w, v);
}

void jw_knum(struct jw *w, const char *k, double v)
{
	jw_key(w, k);
	jw_num(w, v);
}

void jw_kbool(struct jw *w, const char *k, bool v)
{
	jw_key(w, k);
	jw_bool(w, v);
}

void jw_kstr_opt(struct jw *w, const char *k, const char *s)
{
	if (s)
		jw_kstr(w, k, s);
}

void jw_kstrs(struct jw *w, const char *k, const char *const *v, size_t n)
{
	jw_key(w, k);
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, v[i]);
	jw_arr_end(w);
}
