/* RFC 4180 CSV reader and writer: see formats.h. */
#include "formats/formats.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void csv_open(struct csv *c, const char *name, const char *text, size_t n)
{
	memset(c, 0, sizeof *c);
	c->name = name;
	c->p = text;
	c->n = n;
	c->line = 0;
	c->next_line = 1;
	buf_init(&c->field);
	c->sep = ',';
	if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c->pos = 3;
}

#define CSV_WINDOW (1u << 20)
#define CSV_MAX_RECORD (64u << 20)

void csv_open_file(struct csv *c, const char *name, FILE *f)
{
	csv_open(c, name, "", 0);
	c->f = f;
	c->win_cap = CSV_WINDOW;
	c->win = xmalloc(c->win_cap);
	c->p = c->win;
}

void csv_on_read(struct csv *c, void (*fn)(void *ctx, const void *p, size_t n),
		 void *ctx)
{
	c->on_read = fn;
	c->on_read_ctx = ctx;
}

void csv_set_sep(struct csv *c, char sep)
{
	assert(sep == ',' || sep == ';' || sep == '\t');
	c->sep = sep;
}

char csv_sep_parse(const char *v)
{
	if (strcmp(v, ",") == 0 || strcmp(v, ";") == 0)
		return v[0];
	if (strcmp(v, "tab") == 0 || strcmp(v, "\\t") == 0 || strcmp(v, "\t") == 0)
		return '\t';
	return 0;
}

long long csv_offset(const struct csv *c)
{
	return c->consumed + (long long)c->pos;
}

/* Streaming: makes sure the window holds, from pos, a whole record
 * (through its unquoted line feed) or everything up to end of file. */
static int fill_record(struct csv *c, struct cdg_err *e)
{
	for (;;) {
		bool inq = false;
		for (size_t j = c->pos; j < c->n; j++) {
			char ch = c->win[j];
			if (ch == '"')
				inq = !inq;
			else if (ch == '\n' && !inq)
				return 0;
		}
		if (c->eof)
			return 0;
		/* Drop what was consumed, grow if one record fills the window. */
		if (c->pos > 0) {
			memmove(c->win, c->win + c->pos, c->n - c->pos);
			c->consumed += (long long)c->pos;
			c->n -= c->pos;
			c->pos = 0;
		}
		if (c->n == c->win_cap) {
			if (c->win_cap >= CSV_MAX_RECORD)
				return err_at(e, CDG_EINPUT, c->name, c->next_line,
					      NULL, "a record longer than %u MiB",
					      CSV_MAX_RECORD >> 20);
			c->win_cap *= 2;
			c->win = xrealloc(c->win, c->win_cap);
		}
		size_t got = fread(c->win + c->n, 1, c->win_cap - c->n, c->f);
		if (got && c->on_read)
			c->on_read(c->on_read_ctx, c->win + c->n, got);
		if (got == 0) {
			if (ferror(c->f))
				return err_at(e, CDG_EIO, c->name, c->next_line,
					      NULL, "read error");
			c->eof = true;
		}
		c->n += got;
		c->p = c->win;
		if (!c->started && c->n >= 3) {
			c->started = true;
			if (memcmp(c->win, "\xEF\xBB\xBF", 3) == 0)
				c->pos = 3;
		} else if (c->eof) {
			c->started = true;
		}
	}
}

void csv_close(struct csv *c)
{
	free(c->win);
	buf_free(&c->field);
	free(c->offs);
	for (size_t i = 0; i < c->ncols; i++)
		free(c->cols[i]);
	free(c->cols);
	memset(c, 0, sizeof *c);
}

static void push_field(struct csv *c, size_t start)
{
	if (c->nfields == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->offs = xrealloc(c->offs, c->cap * sizeof *c->offs);
	}
	c->offs[c->nfields++] = start;
	buf_addc(&c->field, '\0');
}

/* Bytes that end an unquoted field or are an error in one, besides the
 * separator. */
static const bool special[256] = {['\n'] = true, ['\r'] = true, ['"'] = true};

int csv_next(struct csv *c, struct cdg_err *e)
{
	/* Skip blank lines (a lone LF or CRLF between records). */
	for (;;) {
		if (c->f) {
			int rc = fill_record(c, e);
			if (rc)
				return rc;
		}
		if (c->pos >= c->n)
			break;
		if (c->p[c->pos] == '\n') {
			c->pos++;
			c->next_line++;
		} else if (c->p[c->pos] == '\r' && c->pos + 1 < c->n &&
			   c->p[c->pos + 1] == '\n') {
			c->pos += 2;
			c->next_line++;
		} else {
			break;
		}
	}
	if (c->pos >= c->n)
		return 0;
	c->line = c->next_line;
	c->nfields = 0;
	buf_reset(&c->field);
	size_t start = 0;
	const char *p = c->p;
	size_t i = c->pos;
	for (;;) {
		/* At the start of a field. */
		if (i < c->n && p[i] == '"') {
			long qline = c->next_line;
			i++;
			for (;;) {
				if (i >= c->n)
					return err_at(e, CDG_EINPUT, c->name, qline,
						      NULL, "quoted field %zu is never closed",
						      c->nfields + 1);
				if (p[i] == '"') {
					if (i + 1 < c->n && p[i + 1] == '"') {
						buf_addc(&c->field, '"');
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (p[i] == '\n')
					c->next_line++;
				buf_addc(&c->field, p[i++]);
			}
			if (i < c->n && p[i] != c->sep && p[i] != '\n' &&
			    !(p[i] == '\r' && i + 1 < c->n && p[i + 1] == '\n') &&
			    !(p[i] == '\r' && i + 1 == c->n))
				return err_at(e, CDG_EINPUT, c->name, c->next_line,
					      NULL, "field %zu: text after a closing quote",
					      c->nfields + 1);
		} else {
			size_t j = i;
			/* Skip plain bytes fast; stop at any byte that may end
			 * the field or be an error. */
			while (j < c->n && !special[(unsigned char)p[j]] &&
			       p[j] != c->sep)
				j++;
			while (j < c->n && p[j] != c->sep && p[j] != '\n' &&
			       !(p[j] == '\r' && (j + 1 == c->n || p[j + 1] == '\n'))) {
				if (p[j] == '"')
					return err_at(e, CDG_EINPUT, c->name,
						      c->next_line, NULL,
						      "field %zu: a quote inside an unquoted field",
						      c->nfields + 1);
				j++;
			}
			buf_add(&c->field, p + i, j - i);
			i = j;
		}
		push_field(c, start);
		if (!utf8_valid(c->field.p + start, c->field.len - 1 - start))
			return err_at(e, CDG_EINPUT, c->name, c->line,
				      c->nfields <= c->ncols ? c->cols[c->nfields - 1] : NULL,
				      "field %zu is not valid UTF-8", c->nfields);
		start = c->field.len;
		if (i >= c->n)
			break;
		if (p[i] == c->sep) {
			i++;
			continue;
		}
		/* End of record: LF, CRLF or a final CR. */
		if (p[i] == '\r')
			i++;
		if (i < c->n && p[i] == '\n')
			i++;
		c->next_line++;
		break;
	}
	c->pos = i;
	return 1;
}

bool csv_guarded(const char *s)
{
	switch (s[0]) {
	case '\'': case '=': case '@': case '\t': case '\r':
		return true;
	case '+': case '-': {
		/* A plain signed number is not a formula. */
		char *end;
		(void)strtod(s, &end);
		return end == s || *end != '\0';
	}
	default:
		return false;
	}
}

const char *csv_field(const struct csv *c, size_t i)
{
	if (i >= c->nfields)
		return "";
	const char *f = c->field.p + c->offs[i];
	/* The guard csv_put adds comes off again (lossless round trip). */
	return f[0] == '\'' && csv_guarded(f + 1) ? f + 1 : f;
}

static char *trimmed(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *r = xmalloc(n + 1);
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

int csv_read_header(struct csv *c, struct cdg_err *e)
{
	int rc = csv_next(c, e);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_at(e, CDG_EINPUT, c->name, 1, NULL,
			      "empty file: a header row is required");
	if (c->sep == ',' && c->nfields == 1) {
		/* A spreadsheet saved in a locale whose decimal mark is a comma
		 * separates fields with ';' (or a tab, as "Unicode text"). */
		const char *h = csv_field(c, 0);
		char found = strchr(h, ';') ? ';' : strchr(h, '\t') ? '\t' : 0;
		if (found)
			return err_at(e, CDG_EINPUT, c->name, c->line, NULL,
				      "the file uses %s as separator: re-save as "
				      "\"CSV UTF-8 (comma delimited)\" or pass "
				      "--delimiter %s", found == ';' ? "';'" : "tabs",
				      found == ';' ? "';'" : "tab");
	}
	c->cols = xcalloc(c->nfields, sizeof *c->cols);
	c->ncols = c->nfields;
	for (size_t i = 0; i < c->nfields; i++) {
		c->cols[i] = trimmed(csv_field(c, i));
		if (!c->cols[i][0])
			return err_at(e, CDG_EINPUT, c->name, c->line, NULL,
				      "header column %zu has no name", i + 1);
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->cols[i], c->cols[j]) == 0)
				return err_at(e, CDG_EINPUT, c->name, c->line,
					      c->cols[i], "column named twice in the header");
	}
	return 0;
}

long csv_col(const struct csv *c, const char *name)
{
	for (size_t i = 0; i < c->ncols; i++)
		if (strcmp(c->cols[i], name) == 0)
			return (long)i;
	return -1;
}

int csv_require(const struct csv *c, const char *const *required,
		struct cdg_err *e)
{
	for (; *required; required++)
		if (csv_col(c, *required) < 0)
			return err_at(e, CDG_EINPUT, c->name, 1, *required,
				      "required column is missing from the header");
	return 0;
}

const char *csv_get(const struct csv *c, const char *name)
{
	long i = csv_col(c, name);
	return i < 0 ? "" : csv_field(c, (size_t)i);
}

int csv_check_width(const struct csv *c, struct cdg_err *e)
{
	if (c->nfields != c->ncols)
		return err_at(e, CDG_EINPUT, c->name, c->line, NULL,
			      "record has %zu fields, the header has %zu",
			      c->nfields, c->ncols);
	return 0;
}

/* Appends s as one field, quoted only when it has to be. */
static void put_quoted(struct buf *out, const char *s, size_t n)
{
	/* Quote leading/trailing spaces (readers trim them) and a leading
	 * byte-order mark (readers skip one at the start of a file). */
	bool quote = n && (s[0] == ' ' || s[n - 1] == ' ' ||
			   (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0));
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!quote) {
		buf_add(out, s, n);
		return;
	}
	buf_addc(out, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_addc(out, '"');
		buf_addc(out, s[i]);
	}
	buf_addc(out, '"');
}

void csv_put(struct buf *out, const char *s, bool first)
{
	if (!first)
		buf_addc(out, ',');
	if (!csv_guarded(s)) {
		put_quoted(out, s, strlen(s));
		return;
	}
	/* A cell a spreadsheet would run as a formula gets a leading
	 * apostrophe (OWASP's advice on CSV injection); csv_field takes it
	 * off when cdg reads the file back. */
	struct buf g = BUF_INIT;
	buf_addc(&g, '\'');
	buf_adds(&g, s);
	put_quoted(out, g.p, g.len);
	buf_free(&g);
}

void csv_endrow(struct buf *out)
{
	/* A record of one empty field would be a blank line, which readers
	 * skip: write it as "" instead. */
	if (out->len == 0 || (out->len >= 2 && out->p[out->len - 1] == '\n' &&
			      out->p[out->len - 2] == '\r'))
		buf_add(out, "\"\"", 2);
	buf_add(out, "\r\n", 2);
}

bool csv_decimal_comma(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s) || *s == '.')
		s++;
	if (*s++ != ',' || !isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == '\0';
}

int parse_double(const char *s, double *out)
{
	if (!*s || isspace((unsigned char)*s))
		return CDG_EINPUT;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (*end || errno == ERANGE || !isfinite(v))
		return CDG_EINPUT;
	/* strtod also takes hex floats and "inf"/"nan"; data files must not. */
	for (const char *q = s; *q; q++)
		if (!strchr("0123456789+-.eE", *q))
			return CDG_EINPUT;
	*out = v;
	return 0;
}

int parse_long(const char *s, long min, long max, long *out)
{
	if (!*s || isspace((unsigned char)*s))
		return CDG_EINPUT;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end || errno == ERANGE || v < min || v > max)
		return CDG_EINPUT;
	*out = v;
	return 0;
}
