/* Error values: see base.h. */
#include "base.h"

#include <string.h>

void err_clear(struct cdg_err *e)
{
	if (e)
		memset(e, 0, sizeof *e);
}

static void err_vset(struct cdg_err *e, int code, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void err_vset(struct cdg_err *e, int code, const char *fmt, va_list ap)
{
	e->code = code;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

int err_set(struct cdg_err *e, int code, const char *fmt, ...)
{
	if (!e)
		return code;
	err_clear(e);
	va_list ap;
	va_start(ap, fmt);
	err_vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}

int err_at(struct cdg_err *e, int code, const char *file, long line,
	   const char *field, const char *fmt, ...)
{
	if (!e)
		return code;
	err_clear(e);
	if (file)
		snprintf(e->file, sizeof e->file, "%s", file);
	e->line = line;
	if (field)
		snprintf(e->field, sizeof e->field, "%s", field);
	va_list ap;
	va_start(ap, fmt);
	err_vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}

int err_exit_status(int code)
{
	switch (code) {
	case CDG_OK:
		return 0;
	case CDG_EUSAGE:
		return 2;
	case CDG_EINPUT:
	case CDG_ENOTFOUND:
		return 3;
	default:
		return 1;
	}
}

const char *err_code_name(int code)
{
	switch (code) {
	case CDG_OK: return "ok";
	case CDG_EUSAGE: return "bad_request";
	case CDG_EINPUT: return "invalid_input";
	case CDG_ENOTFOUND: return "not_found";
	case CDG_EIO: return "io_error";
	case CDG_EDB: return "database_error";
	case CDG_ESCHEMA: return "schema_too_new";
	case CDG_EPERM: return "forbidden";
	case CDG_ECONFLICT: return "conflict";
	case CDG_EBUSY: return "busy";
	default: return "internal_error";
	}
}

void err_format(const struct cdg_err *e, char *out, size_t n)
{
	struct buf b = BUF_INIT;
	if (e->file[0]) {
		buf_adds(&b, e->file);
		if (e->line > 0)
			buf_addf(&b, ":%ld", e->line);
		buf_adds(&b, ": ");
	}
	if (e->field[0])
		buf_addf(&b, "field %s: ", e->field);
	buf_adds(&b, e->msg[0] ? e->msg : err_code_name(e->code));
	snprintf(out, n, "%s", b.p);
	buf_free(&b);
}
