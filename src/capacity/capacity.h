/*
 * capacity: matching capacity-building initiatives to states' gaps, the
 * gaps nothing addresses, and initiatives that duplicate each other.
 * Pure functions over plain arrays: no I/O, no SQL (DESIGN.md).  The
 * rules are stated here and, for policy readers, in docs/capacity.md;
 * the unit tests pin them on cases built so the answer is known.
 *
 * An initiative ADDRESSES a gap (state S, indicator I of goal G) when
 *   1. S is a beneficiary (listed by code, or the initiative is global),
 *   2. the initiative names G, or names a GGE norm that G serves,
 *   3. it is not cancelled, and
 *   4. it has not ended before the year of the gaps (no end date: open).
 * Regions named only by label are shown but never matched: a label does
 * not say which states it covers.
 *
 * Two initiatives OVERLAP when they share a beneficiary state, share a
 * goal (named by both), and their date ranges share at least one day.
 * A date "YYYY" runs from 1 January to 31 December, "YYYY-MM" over the
 * month; no start date means "since always", no end date "still running".
 * Cancelled initiatives never overlap.  Duplication groups are the
 * connected sets of the overlap relation (A~B and B~C put A, B, C in one
 * group), in order of their first initiative.
 *
 * Nothing here allocates from a global; results are malloc'ed arrays the
 * caller frees with the matching cap_*_free().  Strings are borrowed from
 * the inputs, which must outlive the results.
 */
#ifndef CDG_CAPACITY_H
#define CDG_CAPACITY_H

#include <stdbool.h>
#include <stddef.h>

/* One capacity-building initiative.  Strings are borrowed. */
struct cap_initiative {
	const char *id;               /* stable id */
	const char *title;
	const char **donors;          /* who funds it */
	size_t n_donors;
	const char **implementers;    /* who runs it */
	size_t n_implementers;
	const char **states;          /* beneficiary states (ISO 3166 alpha-3) */
	size_t n_states;
	const char **regions;         /* beneficiary regions, labels only */
	size_t n_regions;
	bool global;                  /* every state is a beneficiary */
	const char **goals;           /* CDG ids it addresses */
	size_t n_goals;
	const char **norms;           /* GGE norm letters it addresses */
	size_t n_norms;
	const char *start, *end;      /* ISO dates, NULL when not known */
	double budget;                /* NAN when not stated */
	const char *currency;         /* ISO 4217, NULL with no budget */
	const char *status;           /* planned|ongoing|completed|cancelled */
	const char *source;           /* source URL */
	const char *note;             /* NULL if none */
	bool synthetic;               /* constructed, not real */
	long line;                    /* where it was read, 0 if not from a file */
};

/* One gap of one state, as the gaps engine (cdg gaps) reports it. */
struct cap_gap {
	const char *iso3;             /* the state */
	const char *goal;             /* CDG id */
	const char *indicator;        /* indicator id */
	int priority;                 /* 1 major .. 3 challenges remain, 4 no data */
	const char *const *goal_norms;/* the norms the goal serves */
	size_t n_goal_norms;
};

/* First and last day a date can mean, as days since 0000-03-01 (any
 * monotone day number will do); NULL gives the open bound (LONG_MIN for
 * a start, LONG_MAX for an end).  A malformed date is treated as open. */
long cap_day_first(const char *date);
long cap_day_last(const char *date);

/* True if the initiative has state iso3 as a beneficiary. */
bool cap_benefits(const struct cap_initiative *in, const char *iso3);
/* True if in addresses g for gaps of the given year (rules above). */
bool cap_addresses(const struct cap_initiative *in, const struct cap_gap *g,
		   long year);

/* A gap (goal, indicator) that no initiative addresses, with the states
 * that have it.  states[] borrow the gaps' iso3 strings, in input order. */
struct cap_unserved {
	const char *goal;
	const char *indicator;
	const char **states;
	size_t n_states;
	int worst;                    /* lowest (most urgent) priority seen */
};

/* Gaps of every state that no initiative addresses, one entry per
 * (goal, indicator), ordered by number of states (most first), then
 * worst priority, then indicator id.  Gaps of priority > max_priority
 * are left out (4 = keep "no data" gaps, 3 = only measured ones); goal
 * non-NULL keeps only that goal.  Returns the count; *out is malloc'ed. */
size_t cap_unserved(const struct cap_gap *gaps, size_t ng,
		    const struct cap_initiative *ins, size_t ni, long year,
		    int max_priority, const char *goal,
		    struct cap_unserved **out);
void cap_unserved_free(struct cap_unserved *u, size_t n);

/* What two overlapping initiatives share. */
struct cap_overlap {
	size_t a, b;                  /* initiative positions, a < b */
	const char **states;          /* shared beneficiary states */
	size_t n_states;
	const char **goals;           /* shared goals */
	size_t n_goals;
	long from, to;                /* shared days (cap_day_* numbers) */
};

/* True if a and b overlap; when o is non-NULL it receives what they
 * share (malloc'ed arrays: free o->states and o->goals). */
bool cap_overlaps(const struct cap_initiative *a,
		  const struct cap_initiative *b, struct cap_overlap *o);

struct cap_group {
	size_t *members;              /* initiative positions, ascending */
	size_t n_members;
	struct cap_overlap *pairs;    /* every overlapping pair in the group */
	size_t n_pairs;
};

/* Duplication groups (rules above), ordered by their first member.
 * Initiatives that overlap nothing are in no group.  Returns the count. */
size_t cap_duplication(const struct cap_initiative *ins, size_t n,
		       struct cap_group **out);
void cap_groups_free(struct cap_group *g, size_t n);

/* A donor or implementer and the initiatives it funds or runs. */
struct cap_party {
	const char *name;
	size_t *inits;                /* positions, ascending */
	size_t n_inits;
};

/* Every donor (implementers false) or implementer (true), by name, with
 * its initiatives.  Returns the count. */
size_t cap_parties(const struct cap_initiative *ins, size_t n,
		   bool implementers, struct cap_party **out);
void cap_parties_free(struct cap_party *p, size_t n);

#endif
