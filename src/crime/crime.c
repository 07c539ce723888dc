/* Dates, dual criminality, channels, the all-pairs matrix and thresholds:
 * see crime.h. */
#include "crime/crime.h"

#include <stdlib.h>
#include <string.h>

/* ---- dates ------------------------------------------------------------------ */

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar. */
int32_t crime_days(int year, int month, int day)
{
	int y = year - (month <= 2);
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int mp = (month + 9) % 12;
	int doy = (153 * mp + 2) / 5 + day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

static void civil(int32_t z0, int *year, int *month, int *day)
{
	long z = (long)z0 + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	*year = (int)(yoe + era * 400 + (m <= 2));
	*month = (int)m;
	*day = (int)d;
}

static int month_len(int y, int m)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : len[m - 1];
}

/* Reads exactly n digits at s into *v. */
static bool digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

int crime_date_parse(const char *s, int32_t *out)
{
	int y, m = 12, d;
	if (!s || !digits(s, 4, &y) || y < 1900 || y > 2200)
		return CDG_EINPUT;
	size_t n = strlen(s);
	if (n != 4 && n != 7 && n != 10)
		return CDG_EINPUT;
	if (n >= 7 && (s[4] != '-' || !digits(s + 5, 2, &m) || m < 1 || m > 12))
		return CDG_EINPUT;
	d = month_len(y, m);
	if (n == 10) {
		int dd;
		if (s[7] != '-' || !digits(s + 8, 2, &dd) || dd < 1 || dd > d)
			return CDG_EINPUT;
		d = dd;
	}
	*out = crime_days(y, m, d);
	return 0;
}

void crime_date_format(int32_t d, char out[11])
{
	if (d == CRIME_NEVER) {
		out[0] = '\0';
		return;
	}
	int y, m, dd;
	civil(d, &y, &m, &dd);
	/* Digit by digit: years stay within 0..9999 for any int32 day. */
	unsigned uy = (unsigned)(y < 0 ? 0 : y > 9999 ? 9999 : y);
	out[0] = (char)('0' + uy / 1000);
	out[1] = (char)('0' + uy / 100 % 10);
	out[2] = (char)('0' + uy / 10 % 10);
	out[3] = (char)('0' + uy % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + dd / 10);
	out[9] = (char)('0' + dd % 10);
	out[10] = '\0';
}

int32_t crime_add_months(int32_t d, int n)
{
	int y, m, dd;
	civil(d, &y, &m, &dd);
	int idx = y * 12 + (m - 1) + n;
	y = idx / 12;
	m = idx % 12 + 1;
	if (dd > month_len(y, m))
		dd = month_len(y, m);
	return crime_days(y, m, dd);
}

int32_t crime_next_month_start(int32_t d)
{
	int y, m, dd;
	civil(d, &y, &m, &dd);
	return m == 12 ? crime_days(y + 1, 1, 1) : crime_days(y, m + 1, 1);
}

/* ---- names ------------------------------------------------------------------- */

static const char *const cov_names[] = {"unknown", "no", "partial", "yes"};

const char *crime_cov_name(enum crime_cov c)
{
	return (unsigned)c < 4 ? cov_names[c] : "?";
}

int crime_cov_parse(const char *s)
{
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, cov_names[i]) == 0)
			return i;
	return -1;
}

const char *crime_dual_name(enum crime_dual d)
{
	switch (d) {
	case CRIME_DUAL_HOLDS: return "holds";
	case CRIME_DUAL_FAILS: return "fails";
	case CRIME_DUAL_UNCERTAIN: return "uncertain";
	case CRIME_DUAL_PRESUMED: return "presumed";
	}
	return "?";
}

/* ---- dual criminality ---------------------------------------------------------- */

enum crime_dual crime_dual(enum crime_cov a, enum crime_cov b)
{
	if (a == CRIME_COV_NO || b == CRIME_COV_NO)
		return CRIME_DUAL_FAILS;
	if (a == CRIME_COV_YES && b == CRIME_COV_YES)
		return CRIME_DUAL_HOLDS;
	return CRIME_DUAL_UNCERTAIN;
}

enum crime_dual crime_dual_presumed(enum crime_cov a, enum crime_cov b,
				    bool obliged)
{
	enum crime_dual d = crime_dual(a, b);
	/* A mapped law outranks the presumption: "no" has already failed,
	 * and a "partial" says the law is narrower than the treaty's
	 * offence, so the conduct at hand may fall outside it. */
	if (d == CRIME_DUAL_UNCERTAIN && obliged && a != CRIME_COV_PARTIAL &&
	    b != CRIME_COV_PARTIAL)
		return CRIME_DUAL_PRESUMED;
	return d;
}

/* ---- shape check --------------------------------------------------------------- */

int crime_data_check(const struct crime_data *d, struct cdg_err *e)
{
	if (!d || (d->n_states && !d->cov) || (d->n_articles && !d->kind))
		return err_set(e, CDG_EUSAGE, "crime data: missing arrays");
	if (d->n_treaties > CRIME_MAX_TREATIES)
		return err_set(e, CDG_EUSAGE,
			       "crime data: %zu treaties, at most %d",
			       d->n_treaties, CRIME_MAX_TREATIES);
	if (d->n_treaties && (!d->scope || (d->n_states && !d->in_force)))
		return err_set(e, CDG_EUSAGE,
			       "crime data: treaties without scope or dates");
	if (d->n_mlats && !d->mlats)
		return err_set(e, CDG_EUSAGE, "crime data: missing MLAT array");
	for (size_t i = 0; i < d->n_articles; i++)
		if (d->kind[i] > CRIME_COOP)
			return err_set(e, CDG_EUSAGE,
				       "crime data: article %zu has kind %u", i,
				       d->kind[i]);
	for (size_t i = 0; i < d->n_states * d->n_articles; i++)
		if (d->cov[i] > CRIME_COV_YES)
			return err_set(e, CDG_EUSAGE,
				       "crime data: state %zu, article %zu: "
				       "coverage value %u",
				       i / d->n_articles, i % d->n_articles,
				       d->cov[i]);
	for (size_t i = 0; i < d->n_mlats; i++) {
		const struct crime_mlat *m = &d->mlats[i];
		if (m->a >= d->n_states || m->b >= d->n_states || m->a == m->b)
			return err_set(e, CDG_EUSAGE,
				       "crime data: MLAT %zu links states %u "
				       "and %u", i, m->a, m->b);
	}
	return 0;
}

/* ---- channels --------------------------------------------------------------------- */

static int check_pair_args(const struct crime_data *d, size_t a, size_t b,
			   size_t art, struct cdg_err *e)
{
	if (art >= d->n_articles)
		return err_set(e, CDG_ENOTFOUND, "no article %zu", art);
	if (a >= d->n_states || b >= d->n_states)
		return err_set(e, CDG_ENOTFOUND, "no state %zu",
			       a >= d->n_states ? a : b);
	if (d->kind[art] != CRIME_OFFENCE)
		return err_set(e, CDG_EUSAGE,
			       "article %zu is not an offence: dual "
			       "criminality applies to offences only", art);
	return 0;
}

/* Treaties in force for state s on date (bit t). */
static uint64_t in_force_mask(const struct crime_data *d, size_t s,
			      int32_t date)
{
	uint64_t m = 0;
	const int32_t *row = d->in_force + s * d->n_treaties;
	for (size_t t = 0; t < d->n_treaties; t++)
		if (row[t] <= date)
			m |= (uint64_t)1 << t;
	return m;
}

/* Treaties of which state s is a party on date without a verified
 * entry-into-force date (bit t). */
static uint64_t listed_mask(const struct crime_data *d,
			    const struct crime_ext *x, size_t s, int32_t date)
{
	uint64_t m = 0;
	if (!x || !x->listed_from)
		return 0;
	const int32_t *row = x->listed_from + s * d->n_treaties;
	for (size_t t = 0; t < d->n_treaties; t++)
		if (row[t] <= date)
			m |= (uint64_t)1 << t;
	return m;
}

/* Treaties whose scope covers article art (bit t). */
static uint64_t scope_mask(const struct crime_data *d, size_t art)
{
	uint64_t m = 0;
	for (size_t t = 0; t < d->n_treaties; t++)
		if (d->scope[t * d->n_articles + art])
			m |= (uint64_t)1 << t;
	return m;
}

/* Treaties that oblige every party to establish offence art (bit t). */
static uint64_t obliges_mask(const struct crime_data *d,
			     const struct crime_ext *x, size_t art)
{
	uint64_t m = 0;
	for (size_t t = 0; x && x->obliges && t < d->n_treaties; t++)
		if (x->obliges[t * d->n_articles + art])
			m |= (uint64_t)1 << t;
	return m;
}

static bool has_247(const struct crime_data *d, size_t s, int32_t date)
{
	return d->contact247 && d->contact247[s] <= date;
}

static bool mlat_between(const struct crime_data *d, size_t a, size_t b,
			 int32_t date)
{
	for (size_t i = 0; i < d->n_mlats; i++) {
		const struct crime_mlat *m = &d->mlats[i];
		if (((m->a == a && m->b == b) || (m->a == b && m->b == a)) &&
		    m->in_force <= date)
			return true;
	}
	return false;
}

/* What one state brings to a pair for one offence on one date (bit t of
 * each mask is treaty t). */
struct side {
	uint64_t dated;   /* in force (verified date), scope covers it */
	uint64_t any;     /* dated or listed without a verified date, scope
			     covers it */
	uint64_t obliged; /* in force (verified date), obliges the offence */
};

static struct side side_of(const struct crime_data *d,
			   const struct crime_ext *x, size_t s, int32_t date,
			   uint64_t scope, uint64_t obl)
{
	uint64_t f = in_force_mask(d, s, date);
	struct side r = {f & scope, (f | listed_mask(d, x, s, date)) & scope,
			 f & obl};
	return r;
}

/* The cell from its parts; shared by the pairwise and the matrix code so
 * that both apply the same rule. */
static struct crime_cell make_cell(uint8_t ca, uint8_t cb, struct side a,
				   struct side b, bool mlat, bool net,
				   bool self)
{
	struct crime_cell c;
	uint64_t common = a.dated & b.dated;
	c.presumed = self ? 0 : a.obliged & b.obliged;
	c.dual = (uint8_t)crime_dual_presumed((enum crime_cov)ca,
					      (enum crime_cov)cb,
					      c.presumed != 0);
	c.treaties = self ? 0 : common;
	c.unverified = self ? 0 : (a.any & b.any) & ~common;
	c.channels = 0;
	if (!self) {
		c.channels = (uint8_t)((common ? CRIME_CH_TREATY : 0) |
				       (mlat ? CRIME_CH_MLAT : 0) |
				       (net ? CRIME_CH_247 : 0) |
				       (c.unverified ? CRIME_CH_UNVERIFIED : 0));
	}
	return c;
}

int crime_pair(const struct crime_data *d, size_t a, size_t b, size_t art,
	       int32_t date, struct crime_cell *out, struct cdg_err *e)
{
	return crime_pair_ext(d, NULL, a, b, art, date, out, e);
}

int crime_pair_ext(const struct crime_data *d, const struct crime_ext *x,
		   size_t a, size_t b, size_t art, int32_t date,
		   struct crime_cell *out, struct cdg_err *e)
{
	int rc = check_pair_args(d, a, b, art, e);
	if (rc)
		return rc;
	if (a == b)
		return err_set(e, CDG_EUSAGE, "a pair needs two different states");
	uint64_t scope = scope_mask(d, art), obl = obliges_mask(d, x, art);
	*out = make_cell(d->cov[a * d->n_articles + art],
			 d->cov[b * d->n_articles + art],
			 side_of(d, x, a, date, scope, obl),
			 side_of(d, x, b, date, scope, obl),
			 mlat_between(d, a, b, date),
			 has_247(d, a, date) && has_247(d, b, date), false);
	return 0;
}

int crime_matrix(const struct crime_data *d, size_t art, int32_t date,
		 struct crime_cell *out, struct cdg_err *e)
{
	return crime_matrix_ext(d, NULL, art, date, out, e);
}

int crime_matrix_ext(const struct crime_data *d, const struct crime_ext *x,
		     size_t art, int32_t date, struct crime_cell *out,
		     struct cdg_err *e)
{
	size_t n = d->n_states;
	if (n == 0)
		return 0;
	int rc = check_pair_args(d, 0, 0, art, e);
	if (rc)
		return rc;
	uint64_t scope = scope_mask(d, art), obl = obliges_mask(d, x, art);
	size_t words = (n + 63) / 64;
	struct side *mask = xmalloc(n * sizeof *mask);
	uint64_t *mlat = xcalloc(n * words, sizeof *mlat);
	uint8_t *net = xmalloc(n);
	for (size_t s = 0; s < n; s++) {
		mask[s] = side_of(d, x, s, date, scope, obl);
		net[s] = has_247(d, s, date);
	}
	for (size_t i = 0; i < d->n_mlats; i++) {
		const struct crime_mlat *m = &d->mlats[i];
		if (m->in_force > date)
			continue;
		mlat[m->a * words + m->b / 64] |= (uint64_t)1 << (m->b % 64);
		mlat[m->b * words + m->a / 64] |= (uint64_t)1 << (m->a % 64);
	}
	for (size_t i = 0; i < n; i++) {
		uint8_t ci = d->cov[i * d->n_articles + art];
		const uint64_t *mrow = mlat + i * words;
		struct crime_cell *row = out + i * n;
		for (size_t j = 0; j < n; j++) {
			row[j] = make_cell(ci, d->cov[j * d->n_articles + art],
					   mask[i], mask[j],
					   (mrow[j / 64] >> (j % 64)) & 1,
					   net[i] && net[j], i == j);
		}
	}
	free(mask);
	free(mlat);
	free(net);
	return 0;
}

long crime_missing(const struct crime_data *d, size_t a, size_t b,
		   int32_t date, size_t *out, size_t cap, struct cdg_err *e)
{
	if (a >= d->n_states || b >= d->n_states)
		return err_set(e, CDG_ENOTFOUND, "no state %zu",
			       a >= d->n_states ? a : b);
	if (a == b)
		return err_set(e, CDG_EUSAGE, "a pair needs two different states");
	long found = 0;
	for (size_t art = 0; art < d->n_articles; art++) {
		if (d->kind[art] != CRIME_OFFENCE)
			continue;
		struct crime_cell c;
		int rc = crime_pair(d, a, b, art, date, &c, e);
		if (rc)
			return rc;
		if (c.channels)
			continue;
		if ((size_t)found < cap)
			out[found] = art;
		found++;
	}
	return found;
}

void crime_missing_text(struct buf *out, const char *offence, const char *a,
			const char *b)
{
	buf_addf(out, "no channel for offence %s between %s and %s", offence,
		 a, b);
}

/* ---- thresholds ------------------------------------------------------------------- */

static int cmp_i32(const void *x, const void *y)
{
	int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
	return (a > b) - (a < b);
}

/* The k-th smallest (1-based) of v[0..n), or CRIME_NEVER if n < k.  Sorts v. */
static int32_t kth(int32_t *v, size_t n, uint32_t k)
{
	if (k == 0)
		return INT32_MIN;
	if (n < k)
		return CRIME_NEVER;
	qsort(v, n, sizeof *v, cmp_i32);
	return v[k - 1];
}

int32_t crime_eif_date(const struct crime_threshold *t, int32_t reached)
{
	if (reached == CRIME_NEVER)
		return CRIME_NEVER;
	if (t->rule == CRIME_EIF_DAYS)
		return reached + (int32_t)t->lag;
	return crime_next_month_start(crime_add_months(reached, (int)t->lag));
}

const char *crime_thr_status_name(enum crime_thr_status s)
{
	switch (s) {
	case CRIME_THR_REACHED: return "reached";
	case CRIME_THR_PENDING: return "pending";
	case CRIME_THR_SHORT: return "short";
	case CRIME_THR_UNKNOWN_SUB: return "unknown_sub_group";
	}
	return "?";
}

int crime_threshold_eval(const struct crime_threshold *t,
			 const int32_t *dates, const uint8_t *sub,
			 const int32_t *party_eif, size_t n, int32_t asof,
			 struct crime_thr_result *r, struct cdg_err *e)
{
	if (t->count == 0 || t->sub_count > t->count ||
	    (t->sub_count && !sub && n))
		return err_set(e, CDG_EUSAGE,
			       "threshold: count %u, sub-group count %u%s",
			       t->count, t->sub_count,
			       t->sub_count && !sub ? " without membership" : "");
	memset(r, 0, sizeof *r);
	int32_t *all = xmalloc((n ? n : 1) * sizeof *all);
	int32_t *grp = xmalloc((n ? n : 1) * sizeof *grp);
	size_t na = 0, ng = 0, unknown = 0;
	r->earliest_party_eif = CRIME_NEVER;
	for (size_t i = 0; i < n; i++) {
		if (party_eif && party_eif[i] < r->earliest_party_eif)
			r->earliest_party_eif = party_eif[i];
		if (dates[i] == CRIME_NEVER)
			continue;
		all[na++] = dates[i];
		bool in_sub = t->sub_count && sub[i] == 1;
		if (in_sub)
			grp[ng++] = dates[i];
		if (t->sub_count && sub[i] > 1)
			unknown++;
		if (dates[i] <= asof) {
			r->consents++;
			r->sub_consents += in_sub;
		}
	}
	int32_t k_all = kth(all, na, t->count);
	int32_t k_sub = kth(grp, ng, t->sub_count);
	r->reached_on = k_all > k_sub ? k_all : k_sub;
	uint32_t need = t->count > r->consents ? t->count - r->consents : 0;
	uint32_t need_sub = t->sub_count > r->sub_consents ?
			    t->sub_count - r->sub_consents : 0;
	r->short_by = need > need_sub ? need : need_sub;
	if (r->reached_on == CRIME_NEVER) {
		/* Not enough dated consents; unknown membership may hide the
		 * sub-group ones. */
		r->status = na >= t->count && unknown ? CRIME_THR_UNKNOWN_SUB :
							 CRIME_THR_SHORT;
	} else {
		r->status = r->reached_on <= asof ? CRIME_THR_REACHED :
						    CRIME_THR_PENDING;
		if (r->status == CRIME_THR_REACHED)
			r->short_by = 0;
	}
	r->in_force_on = crime_eif_date(t, r->reached_on);
	r->incomplete = r->earliest_party_eif != CRIME_NEVER &&
			r->earliest_party_eif < r->in_force_on;
	free(all);
	free(grp);
	return 0;
}
