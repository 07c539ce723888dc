/* Matching, unserved gaps, duplication and party views: see capacity.h. */
#include "capacity/capacity.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static void *cap_alloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

/* Days since 0000-03-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil, shifted). */
static long day_number(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe;
}

static bool leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static long month_days(long y, long m)
{
	static const long d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Reads "YYYY", "YYYY-MM" or "YYYY-MM-DD"; month or day 0 when absent. */
static bool split_date(const char *s, long *y, long *m, long *d)
{
	*y = *m = *d = 0;
	size_t n = strlen(s);
	if (n != 4 && n != 7 && n != 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool dash = i == 4 || i == 7;
		if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return false;
	}
	*y = strtol(s, NULL, 10);
	if (n >= 7)
		*m = strtol(s + 5, NULL, 10);
	if (n == 10)
		*d = strtol(s + 8, NULL, 10);
	if (n >= 7 && (*m < 1 || *m > 12))
		return false;
	return n < 10 || (*d >= 1 && *d <= month_days(*y, *m));
}

long cap_day_first(const char *date)
{
	long y, m, d;
	if (!date || !split_date(date, &y, &m, &d))
		return LONG_MIN;
	return day_number(y, m ? m : 1, d ? d : 1);
}

long cap_day_last(const char *date)
{
	long y, m, d;
	if (!date || !split_date(date, &y, &m, &d))
		return LONG_MAX;
	if (!m)
		m = 12;
	if (!d)
		d = month_days(y, m);
	return day_number(y, m, d);
}

static bool has(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static bool cancelled(const struct cap_initiative *in)
{
	return in->status && strcmp(in->status, "cancelled") == 0;
}

bool cap_benefits(const struct cap_initiative *in, const char *iso3)
{
	return in->global || has(in->states, in->n_states, iso3);
}

bool cap_addresses(const struct cap_initiative *in, const struct cap_gap *g,
		   long year)
{
	if (cancelled(in) || !cap_benefits(in, g->iso3))
		return false;
	if (in->end && cap_day_last(in->end) < day_number(year, 1, 1))
		return false;
	if (has(in->goals, in->n_goals, g->goal))
		return true;
	for (size_t i = 0; i < g->n_goal_norms; i++)
		if (has(in->norms, in->n_norms, g->goal_norms[i]))
			return true;
	return false;
}

/* ---- unserved gaps ---------------------------------------------------------- */

static int by_count(const void *pa, const void *pb)
{
	const struct cap_unserved *a = pa, *b = pb;
	if (a->n_states != b->n_states)
		return a->n_states > b->n_states ? -1 : 1;
	if (a->worst != b->worst)
		return a->worst - b->worst;
	return strcmp(a->indicator, b->indicator);
}

size_t cap_unserved(const struct cap_gap *gaps, size_t ng,
		    const struct cap_initiative *ins, size_t ni, long year,
		    int max_priority, const char *goal,
		    struct cap_unserved **out)
{
	struct cap_unserved *u = cap_alloc(ng, sizeof *u);
	size_t n = 0;
	for (size_t i = 0; i < ng; i++) {
		const struct cap_gap *g = &gaps[i];
		if (g->priority > max_priority || (goal && strcmp(goal, g->goal) != 0))
			continue;
		bool served = false;
		for (size_t k = 0; k < ni && !served; k++)
			served = cap_addresses(&ins[k], g, year);
		if (served)
			continue;
		size_t j = 0;
		while (j < n && strcmp(u[j].indicator, g->indicator) != 0)
			j++;
		if (j == n) {
			u[n++] = (struct cap_unserved){g->goal, g->indicator,
				cap_alloc(ng, sizeof(char *)), 0, g->priority};
		}
		if (!has(u[j].states, u[j].n_states, g->iso3))
			u[j].states[u[j].n_states++] = g->iso3;
		if (g->priority < u[j].worst)
			u[j].worst = g->priority;
	}
	qsort(u, n, sizeof *u, by_count);
	*out = u;
	return n;
}

void cap_unserved_free(struct cap_unserved *u, size_t n)
{
	for (size_t i = 0; u && i < n; i++)
		free(u[i].states);
	free(u);
}

/* ---- duplication ----------------------------------------------------------------- */

bool cap_overlaps(const struct cap_initiative *a,
		  const struct cap_initiative *b, struct cap_overlap *o)
{
	if (cancelled(a) || cancelled(b))
		return false;
	long from = cap_day_first(a->start), to = cap_day_last(a->end);
	long bf = cap_day_first(b->start), bt = cap_day_last(b->end);
	if (bf > from)
		from = bf;
	if (bt < to)
		to = bt;
	if (from > to)
		return false;
	size_t ng = 0, ns = 0;
	for (size_t i = 0; i < a->n_goals; i++)
		ng += has(b->goals, b->n_goals, a->goals[i]);
	if (!ng)
		return false;
	/* Shared states: both global shares "every state", reported as none
	 * listed; otherwise the listed states the other also benefits. */
	const struct cap_initiative *list = a->global ? b : a;
	const struct cap_initiative *other = a->global ? a : b;
	bool both_global = a->global && b->global;
	for (size_t i = 0; i < list->n_states; i++)
		ns += cap_benefits(other, list->states[i]);
	if (!ns && !both_global)
		return false;
	if (!o)
		return true;
	*o = (struct cap_overlap){0, 0, cap_alloc(ns, sizeof(char *)), 0,
				  cap_alloc(ng, sizeof(char *)), 0, from, to};
	for (size_t i = 0; i < list->n_states; i++)
		if (cap_benefits(other, list->states[i]))
			o->states[o->n_states++] = list->states[i];
	for (size_t i = 0; i < a->n_goals; i++)
		if (has(b->goals, b->n_goals, a->goals[i]))
			o->goals[o->n_goals++] = a->goals[i];
	return true;
}

static size_t find_root(size_t *parent, size_t i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

size_t cap_duplication(const struct cap_initiative *ins, size_t n,
		       struct cap_group **out)
{
	size_t *parent = cap_alloc(n, sizeof *parent);
	for (size_t i = 0; i < n; i++)
		parent[i] = i;
	/* Every overlapping pair, in (a, b) order. */
	size_t np = 0, cap = 8;
	struct cap_overlap *pairs = cap_alloc(cap, sizeof *pairs);
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++) {
			struct cap_overlap o;
			if (!cap_overlaps(&ins[a], &ins[b], &o))
				continue;
			o.a = a;
			o.b = b;
			if (np == cap) {
				cap *= 2;
				pairs = realloc(pairs, cap * sizeof *pairs);
				if (!pairs)
					abort();
			}
			pairs[np++] = o;
			size_t ra = find_root(parent, a), rb = find_root(parent, b);
			if (ra != rb)
				parent[ra > rb ? ra : rb] = ra < rb ? ra : rb;
		}
	/* Groups in order of their smallest member (the root is the
	 * smallest: unions keep the lower root). */
	struct cap_group *g = cap_alloc(n, sizeof *g);
	size_t *slot = cap_alloc(n, sizeof *slot);
	size_t ng = 0;
	for (size_t i = 0; i < n; i++) {
		size_t r = find_root(parent, i);
		bool paired = false;
		for (size_t k = 0; k < np && !paired; k++)
			paired = pairs[k].a == i || pairs[k].b == i;
		if (!paired)
			continue;
		if (r == i) {
			slot[r] = ng;
			g[ng++] = (struct cap_group){cap_alloc(n, sizeof(size_t)), 0,
						     cap_alloc(np, sizeof *pairs), 0};
		}
		struct cap_group *grp = &g[slot[r]];
		grp->members[grp->n_members++] = i;
	}
	for (size_t k = 0; k < np; k++) {
		struct cap_group *grp = &g[slot[find_root(parent, pairs[k].a)]];
		grp->pairs[grp->n_pairs++] = pairs[k];
	}
	free(pairs);
	free(slot);
	free(parent);
	*out = g;
	return ng;
}

void cap_groups_free(struct cap_group *g, size_t n)
{
	for (size_t i = 0; g && i < n; i++) {
		for (size_t k = 0; k < g[i].n_pairs; k++) {
			free(g[i].pairs[k].states);
			free(g[i].pairs[k].goals);
		}
		free(g[i].pairs);
		free(g[i].members);
	}
	free(g);
}

/* ---- donors and implementers --------------------------------------------------- */

static int by_name(const void *pa, const void *pb)
{
	const struct cap_party *a = pa, *b = pb;
	return strcmp(a->name, b->name);
}

size_t cap_parties(const struct cap_initiative *ins, size_t n,
		   bool implementers, struct cap_party **out)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += implementers ? ins[i].n_implementers : ins[i].n_donors;
	struct cap_party *p = cap_alloc(total, sizeof *p);
	size_t np = 0;
	for (size_t i = 0; i < n; i++) {
		const char **names = implementers ? ins[i].implementers : ins[i].donors;
		size_t nn = implementers ? ins[i].n_implementers : ins[i].n_donors;
		for (size_t k = 0; k < nn; k++) {
			size_t j = 0;
			while (j < np && strcmp(p[j].name, names[k]) != 0)
				j++;
			if (j == np)
				p[np++] = (struct cap_party){names[k],
					cap_alloc(n, sizeof(size_t)), 0};
			if (!p[j].n_inits || p[j].inits[p[j].n_inits - 1] != i)
				p[j].inits[p[j].n_inits++] = i;
		}
	}
	qsort(p, np, sizeof *p, by_name);
	*out = p;
	return np;
}

void cap_parties_free(struct cap_party *p, size_t n)
{
	for (size_t i = 0; p && i < n; i++)
		free(p[i].inits);
	free(p);
}
