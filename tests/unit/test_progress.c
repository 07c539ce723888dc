/* Unit tests for progress/: the dashboard thresholds, pinned by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "progress/progress.h"

/* A 0-100 score, higher is better, target 80. */
static const struct prog_ind score = {1, 0, 100, 80};
/* Years since an update, lower is better, goalposts 0..10, target 5. */
static const struct prog_ind age = {-1, 0, 10, 5};

static void normalises_with_direction_and_censoring(void **state)
{
	(void)state;
	assert_true(prog_normalise(&score, 40) == 40);
	assert_true(prog_normalise(&score, 140) == 100);
	assert_true(prog_normalise(&age, 0) == 100);
	assert_true(prog_normalise(&age, 2.5) == 75);
	assert_true(prog_normalise(&age, 25) == 0);
	assert_true(prog_target_met(&age, 5));
	assert_false(prog_target_met(&age, 5.5));
	assert_true(prog_target_met(&score, 80));
	assert_false(prog_target_met(&score, 79.9));
}

static void ratings_follow_the_documented_thresholds(void **state)
{
	(void)state;
	/* Target 80: ratio = score / 80. */
	assert_int_equal(prog_rate(&score, 80), PROG_ACHIEVED);
	assert_int_equal(prog_rate(&score, 60), PROG_CHALLENGES);   /* 0.75 */
	assert_int_equal(prog_rate(&score, 59.9), PROG_SIGNIFICANT);
	assert_int_equal(prog_rate(&score, 40), PROG_SIGNIFICANT);  /* 0.50 */
	assert_int_equal(prog_rate(&score, 39.9), PROG_MAJOR);
	/* Age: target 5 years = score 50; 8 years = score 20, ratio 0.4. */
	assert_int_equal(prog_rate(&age, 4), PROG_ACHIEVED);
	assert_int_equal(prog_rate(&age, 6), PROG_CHALLENGES);      /* 40/50 = 0.8 */
	assert_int_equal(prog_rate(&age, 7.5), PROG_SIGNIFICANT);   /* 25/50 */
	assert_int_equal(prog_rate(&age, 8), PROG_MAJOR);           /* 20/50 */
}

static void goal_takes_the_two_worst(void **state)
{
	(void)state;
	enum prog_rating a[] = {PROG_ACHIEVED, PROG_ACHIEVED, PROG_MAJOR, PROG_CHALLENGES};
	assert_int_equal(prog_goal_rating(a, 4), PROG_SIGNIFICANT); /* (0+2)/2 */
	enum prog_rating b[] = {PROG_NO_DATA, PROG_CHALLENGES};
	assert_int_equal(prog_goal_rating(b, 2), PROG_CHALLENGES);
	enum prog_rating c[] = {PROG_NO_DATA};
	assert_int_equal(prog_goal_rating(c, 1), PROG_NO_DATA);
	enum prog_rating d[] = {PROG_ACHIEVED, PROG_SIGNIFICANT, PROG_ACHIEVED};
	assert_int_equal(prog_goal_rating(d, 3), PROG_CHALLENGES);  /* (1+3)/2 */
}

static void trends_against_the_required_pace(void **state)
{
	(void)state;
	/* From 20 in 2020 the target 80 needs 60 points in 10 years: 6/yr. */
	assert_int_equal(prog_trend(&score, 2020, 20, 2024, 44), PROG_ON_TRACK);   /* 6/yr */
	assert_int_equal(prog_trend(&score, 2020, 20, 2024, 32), PROG_IMPROVING);  /* 3/yr */
	assert_int_equal(prog_trend(&score, 2020, 20, 2024, 31), PROG_STAGNATING); /* 2.75 */
	assert_int_equal(prog_trend(&score, 2020, 20, 2024, 20), PROG_STAGNATING);
	assert_int_equal(prog_trend(&score, 2020, 20, 2024, 10), PROG_DECREASING);
	assert_int_equal(prog_trend(&score, 2020, 20, 2024, 85), PROG_ON_TRACK);
	assert_int_equal(prog_trend(&score, 2023, 20, 2024, 90), PROG_TREND_NONE);
	/* Lower is better: 10 years old in 2020, 6 in 2024: scores 0 -> 40,
	 * 10/yr against 50/10 = 5/yr required. */
	assert_int_equal(prog_trend(&age, 2020, 10, 2024, 6), PROG_ON_TRACK);
	enum prog_trend t[] = {PROG_ON_TRACK, PROG_STAGNATING, PROG_TREND_NONE};
	assert_int_equal(prog_goal_trend(t, 3), PROG_IMPROVING);    /* (3+1)/2 */
	assert_string_equal(prog_trend_name(PROG_IMPROVING), "moderately_improving");
	assert_string_equal(prog_rating_name(PROG_NO_DATA), "no_data");
}


/* The overdue rule of docs/forum.md, with a fixed today. */
static void forum_actions_overdue_after_their_deadline(void **state)
{
	(void)state;
	assert_int_equal(prog_action_status_parse("in_progress"), PROG_ACTION_IN_PROGRESS);
	assert_int_equal(prog_action_status_parse("late"), PROG_ACTION_UNKNOWN);
	const char *today = "2026-06-15";
	assert_false(prog_action_overdue(PROG_ACTION_AGREED, "2026-06-15", today));
	assert_true(prog_action_overdue(PROG_ACTION_AGREED, "2026-06-14", today));
	assert_true(prog_action_overdue(PROG_ACTION_IN_PROGRESS, "2025-12-31", today));
	assert_false(prog_action_overdue(PROG_ACTION_DONE, "2025-12-31", today));
	struct prog_action_summary sum = {0};
	prog_action_add(&sum, PROG_ACTION_DONE, "2026-01-01", today);
	prog_action_add(&sum, PROG_ACTION_IN_PROGRESS, "2026-01-01", today);
	prog_action_add(&sum, PROG_ACTION_AGREED, "2027-01-01", today);
	assert_int_equal(sum.agreed, 3);
	assert_int_equal(sum.done, 1);
	assert_int_equal(sum.in_progress, 1);
	assert_int_equal(sum.not_started, 1);
	assert_int_equal(sum.overdue, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalises_with_direction_and_censoring),
		cmocka_unit_test(ratings_follow_the_documented_thresholds),
		cmocka_unit_test(goal_takes_the_two_worst),
		cmocka_unit_test(trends_against_the_required_pace),
		cmocka_unit_test(forum_actions_overdue_after_their_deadline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
