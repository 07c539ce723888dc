/* Dashboard rules: see progress.h. */
#include "progress/progress.h"

#include <string.h>

double prog_normalise(const struct prog_ind *d, double v)
{
	/* Measured from the worse goalpost, so 7 on 0..10 lower-is-better
	 * is exactly 30 (not 100 x (1 - 0.7)). */
	double x = d->direction > 0 ? v - d->lower : d->upper - v;
	x = 100.0 * x / (d->upper - d->lower);
	if (x < 0)
		x = 0;
	if (x > 100)
		x = 100;
	return x;
}

int prog_target_met(const struct prog_ind *d, double v)
{
	return d->direction > 0 ? v >= d->target : v <= d->target;
}

/* Progress towards the target, 1 when met. */
static double ratio(const struct prog_ind *d, double v)
{
	if (prog_target_met(d, v))
		return 1;
	double t = prog_normalise(d, d->target);
	return t > 0 ? prog_normalise(d, v) / t : 0;
}

enum prog_rating prog_rate(const struct prog_ind *d, double v)
{
	double p = ratio(d, v);
	if (p >= 1)
		return PROG_ACHIEVED;
	if (p >= PROG_CHALLENGES_MIN)
		return PROG_CHALLENGES;
	if (p >= PROG_SIGNIFICANT_MIN)
		return PROG_SIGNIFICANT;
	return PROG_MAJOR;
}

enum prog_trend prog_trend(const struct prog_ind *d, long y0, double v0,
			   long y1, double v1)
{
	if (y1 - y0 < PROG_TREND_MIN_YEARS)
		return PROG_TREND_NONE;
	if (prog_target_met(d, v1))
		return PROG_ON_TRACK;
	double s0 = prog_normalise(d, v0), s1 = prog_normalise(d, v1);
	double pace = (s1 - s0) / (double)(y1 - y0);
	long left = PROG_HORIZON - y0;
	double required = (prog_normalise(d, d->target) - s0) /
			  (double)(left > 1 ? left : 1);
	if (pace < 0)
		return PROG_DECREASING;
	if (pace >= required)
		return PROG_ON_TRACK;
	if (pace >= PROG_MODERATE_PACE * required)
		return PROG_IMPROVING;
	return PROG_STAGNATING;
}

enum prog_rating prog_goal_rating(const enum prog_rating *r, size_t n)
{
	int worst = 4, second = 4; /* 4 = none seen */
	for (size_t i = 0; i < n; i++) {
		int v = (int)r[i];
		if (v < 0)
			continue;
		if (v < worst) {
			second = worst;
			worst = v;
		} else if (v < second) {
			second = v;
		}
	}
	if (worst == 4)
		return PROG_NO_DATA;
	if (second == 4)
		return (enum prog_rating)worst;
	return (enum prog_rating)((worst + second) / 2);
}

enum prog_trend prog_goal_trend(const enum prog_trend *t, size_t n)
{
	int sum = 0, k = 0;
	for (size_t i = 0; i < n; i++)
		if (t[i] >= 0) {
			sum += (int)t[i];
			k++;
		}
	return k ? (enum prog_trend)(sum / k) : PROG_TREND_NONE;
}

const char *prog_rating_name(enum prog_rating r)
{
	switch (r) {
	case PROG_ACHIEVED: return "achieved";
	case PROG_CHALLENGES: return "challenges_remain";
	case PROG_SIGNIFICANT: return "significant_challenges";
	case PROG_MAJOR: return "major_challenges";
	default: return "no_data";
	}
}

const char *prog_trend_name(enum prog_trend t)
{
	switch (t) {
	case PROG_ON_TRACK: return "on_track";
	case PROG_IMPROVING: return "moderately_improving";
	case PROG_STAGNATING: return "stagnating";
	case PROG_DECREASING: return "decreasing";
	default: return "no_trend";
	}
}

/* ---- forum monitoring ------------------------------------------------------- */

enum prog_action_status prog_action_status_parse(const char *s)
{
	if (!s)
		return PROG_ACTION_UNKNOWN;
	if (strcmp(s, "agreed") == 0)
		return PROG_ACTION_AGREED;
	if (strcmp(s, "in_progress") == 0)
		return PROG_ACTION_IN_PROGRESS;
	if (strcmp(s, "done") == 0)
		return PROG_ACTION_DONE;
	return PROG_ACTION_UNKNOWN;
}

int prog_action_overdue(enum prog_action_status s, const char *deadline,
			const char *today)
{
	/* ISO dates of one length compare as strings. */
	return s != PROG_ACTION_DONE && strlen(deadline) == 10 &&
	       strlen(today) == 10 && strcmp(today, deadline) > 0;
}

int prog_action_add(struct prog_action_summary *sum,
		    enum prog_action_status s, const char *deadline,
		    const char *today)
{
	sum->agreed++;
	if (s == PROG_ACTION_DONE)
		sum->done++;
	else if (s == PROG_ACTION_IN_PROGRESS)
		sum->in_progress++;
	else
		sum->not_started++;
	int late = prog_action_overdue(s, deadline, today);
	if (late)
		sum->overdue++;
	return late;
}
