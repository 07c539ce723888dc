/*
 * progress: the SDG-style dashboard rules, pure (no I/O, no SQL).
 *
 * An indicator value is placed on a 0-100 scale by its goalposts and
 * direction, rated against the indicator's target, and followed over time
 * against the pace needed to reach the target by a horizon year.  Goals
 * are rated from their indicators.  The thresholds are constants below so
 * that docs/dashboards.md and the tests can pin them.
 *
 * Rating of one indicator value (p = progress towards the target:
 * normalised value / normalised target, 1 when the target is met):
 *   achieved             target met (p >= 1)
 *   challenges remain    p >= 0.75
 *   significant          p >= 0.50
 *   major challenges     p <  0.50
 * A goal takes the mean of its two worst-rated indicators, rounded down
 * (the SDSN dashboards' rule: one weak indicator cannot be averaged away);
 * with one rated indicator, its rating; with none, no data.
 *
 * Trend of one indicator between an earlier year y0 and the latest y1
 * (at least 2 years apart): pace = (score(y1) - score(y0)) / (y1 - y0),
 * required = (score(target) - score(y0)) / (horizon - y0):
 *   on track             target met at y1, or pace >= required
 *   moderately improving pace >= 0.5 x required
 *   stagnating           0 <= pace < 0.5 x required
 *   decreasing           pace < 0
 * A goal's trend is the mean of its indicators' trends, rounded down.
 */
#ifndef CDG_PROGRESS_H
#define CDG_PROGRESS_H

#include <stddef.h>

#define PROG_CHALLENGES_MIN 0.75   /* progress ratio for "challenges remain" */
#define PROG_SIGNIFICANT_MIN 0.50  /* progress ratio for "significant" */
#define PROG_MODERATE_PACE 0.5     /* share of the required pace */
#define PROG_TREND_MIN_YEARS 2     /* years between the two points */
#define PROG_HORIZON 2030          /* the year targets should be met by */

enum prog_rating {
	PROG_NO_DATA = -1,
	PROG_MAJOR = 0,
	PROG_SIGNIFICANT = 1,
	PROG_CHALLENGES = 2,
	PROG_ACHIEVED = 3,
};

enum prog_trend {
	PROG_TREND_NONE = -1,
	PROG_DECREASING = 0,
	PROG_STAGNATING = 1,
	PROG_IMPROVING = 2,
	PROG_ON_TRACK = 3,
};

/* What the rules need to know of an indicator. */
struct prog_ind {
	int direction;      /* +1 higher is better, -1 lower is better */
	double lower, upper;/* goalposts, lower < upper */
	double target;      /* target value, in the indicator's unit */
};

/* Value on 0..100 (100 = the better goalpost), censored at the goalposts. */
double prog_normalise(const struct prog_ind *d, double v);
/* True if v meets the target (>= for higher-is-better, <= otherwise). */
int prog_target_met(const struct prog_ind *d, double v);
enum prog_rating prog_rate(const struct prog_ind *d, double v);
/* Trend from (y0, v0) to (y1, v1), y0 < y1; PROG_TREND_NONE when the
 * points are fewer than PROG_TREND_MIN_YEARS apart. */
enum prog_trend prog_trend(const struct prog_ind *d, long y0, double v0,
			   long y1, double v1);
/* Goal rating from its indicators' ratings (PROG_NO_DATA entries skipped). */
enum prog_rating prog_goal_rating(const enum prog_rating *r, size_t n);
/* Goal trend from its indicators' trends (PROG_TREND_NONE skipped). */
enum prog_trend prog_goal_trend(const enum prog_trend *t, size_t n);
/* Stable names: "achieved", "challenges_remain", "significant_challenges",
 * "major_challenges", "no_data"; "on_track", "moderately_improving",
 * "stagnating", "decreasing", "no_trend". */
const char *prog_rating_name(enum prog_rating r);
const char *prog_trend_name(enum prog_trend t);


/* ---- forum monitoring (docs/forum.md) ----------------------------------------
 *
 * An action agreed in a forum decision is agreed (not started), in
 * progress or done.  It is overdue when it is not done and today is after
 * its deadline: on the deadline day itself it is still on time.  Dates are
 * ISO "YYYY-MM-DD" and "today" is always passed in, so the rule is the
 * same in tests, on the CLI (--today) and over HTTP (?today=). */
enum prog_action_status {
	PROG_ACTION_UNKNOWN = -1,
	PROG_ACTION_AGREED = 0,
	PROG_ACTION_IN_PROGRESS = 1,
	PROG_ACTION_DONE = 2,
};

/* "agreed", "in_progress", "done"; PROG_ACTION_UNKNOWN otherwise. */
enum prog_action_status prog_action_status_parse(const char *s);
/* 1 if an action with status s and deadline is overdue on today. */
int prog_action_overdue(enum prog_action_status s, const char *deadline,
			const char *today);

/* What was agreed and what has been done. */
struct prog_action_summary {
	size_t agreed;       /* all actions */
	size_t done;         /* status done */
	size_t in_progress;  /* status in_progress */
	size_t not_started;  /* status agreed */
	size_t overdue;      /* not done, past the deadline */
};
/* Adds one action to sum; returns whether it is overdue. */
int prog_action_add(struct prog_action_summary *sum,
		    enum prog_action_status s, const char *deadline,
		    const char *today);

#endif
