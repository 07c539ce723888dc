/* Files, time and progress: see base.h. */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int file_read_all(const char *path, struct buf *b, struct cdg_err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_at(e, errno == ENOENT ? CDG_ENOTFOUND : CDG_EIO, path,
			      0, NULL, "cannot open: %s", strerror(errno));
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(b, tmp, n);
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return err_at(e, CDG_EIO, path, 0, NULL, "read error");
	return 0;
}

int file_write_atomic(const char *path, const void *data, size_t n,
		      struct cdg_err *e)
{
	struct buf tmp = BUF_INIT;
	buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp.p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		int rc = err_at(e, CDG_EIO, path, 0, NULL, "cannot create: %s",
				strerror(errno));
		buf_free(&tmp);
		return rc;
	}
	const char *p = data;
	size_t left = n;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		p += w;
		left -= (size_t)w;
	}
	int ok = left == 0 && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp.p, path) != 0) {
		int rc = err_at(e, CDG_EIO, path, 0, NULL, "cannot write: %s",
				strerror(errno));
		unlink(tmp.p);
		buf_free(&tmp);
		return rc;
	}
	buf_free(&tmp);
	return 0;
}

void time_now_iso(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool time_iso_shape(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	if (strlen(s) != sizeof pat - 1)
		return false;
	for (size_t i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != pat[i])
			return false;
	return true;
}

static int month_days(int y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return mdays[m - 1];
}

bool date_valid(const char *s)
{
	size_t n = strlen(s);
	if (n != 4 && n != 7 && n != 10)
		return false;
	if (!digits(s, 4))
		return false;
	if (n == 4)
		return true;
	if (s[4] != '-' || !digits(s + 5, 2))
		return false;
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	if (m < 1 || m > 12)
		return false;
	if (n == 7)
		return true;
	if (s[7] != '-' || !digits(s + 8, 2))
		return false;
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	return d >= 1 && d <= month_days(atoi(s), m);
}

bool date_in_months_before(const char *date, const char *ref, int months)
{
	if (strlen(date) < 10 || strlen(ref) < 10)
		return false;
	int y = atoi(ref), m = atoi(ref + 5), d = atoi(ref + 8);
	/* The window opens on the same day months earlier, or on the last
	 * day of that month if it is shorter (31 March - 1 month: 28/29
	 * February). */
	int total = y * 12 + (m - 1) - months;
	int sy = total / 12, sm = total % 12 + 1;
	int sd = d < month_days(sy, sm) ? d : month_days(sy, sm);
	char start[40];
	snprintf(start, sizeof start, "%04d-%02d-%02d", sy, sm, sd);
	return strncmp(date, start, 10) > 0 && strncmp(date, ref, 10) <= 0;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void progress_begin(struct progress *p, const char *label, long total)
{
	p->label = label;
	p->total = total;
	p->done = 0;
	p->tty = isatty(STDERR_FILENO) == 1;
	p->last_ms = 0;
}

void progress_step(struct progress *p, long n)
{
	p->done += n;
	if (!p->tty)
		return;
	long long t = now_ms();
	if (t - p->last_ms < 100 && p->done != p->total)
		return;
	p->last_ms = t;
	if (p->total > 0)
		fprintf(stderr, "\r%s: %ld/%ld (%ld%%)", p->label, p->done,
			p->total, p->done * 100 / p->total);
	else
		fprintf(stderr, "\r%s: %ld", p->label, p->done);
}

void progress_end(struct progress *p)
{
	if (p->tty && p->last_ms)
		fputs("\n", stderr);
}
