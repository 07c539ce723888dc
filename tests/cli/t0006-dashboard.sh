#!/usr/bin/env bash
# cdg dashboard, cdg gaps and cdg demo on real stored data, with the
# documented thresholds pinned by hand-computed cases.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "init" "$CDG" init
# CDG1.1.1 binary, target 1.  CDG1.2.1 years since update, lower is better,
# goalposts 0..10, target 5 (score 50).  CDG1.3.1 score, target 75.
cat >"$T/obs.csv" <<CSV
indicator,country,year,value,source_url
CDG1.1.1,KEN,2024,1,https://example.org/ken/strategy
CDG1.2.1,KEN,2020,10,https://example.org/ken/strategy-2010
CDG1.2.1,KEN,2024,7,https://example.org/ken/strategy-2017
CDG1.3.1,KEN,2021,30,https://example.org/ken/score-2021
CDG1.3.1,KEN,2024,33,https://example.org/ken/score-2024
CSV
expect_exit 0 "import observations" "$CDG" data import "$T/obs.csv"
cat >"$T/resp.json" <<JSON
{"country": "KEN", "year": 2024, "answers": [
 {"question": "Q-CDG1-1", "answer": "partly", "evidence": ["https://example.org/ken/e1"],
  "capacity_needs": "help drafting the strategy's action plan"}]}
JSON
expect_exit 0 "a draft survey response with capacity needs" "$CDG" survey import "$T/resp.json"

expect_exit 0 "dashboard KEN 2024" "$CDG" dashboard KEN --year 2024 --json
ind() { echo ".goals[] | select(.id==\"CDG1\") | .indicators[] | select(.id==\"$1\") | .$2"; }
jq_is "$(ind CDG1.1.1 rating)" achieved "CDG1.1.1 = 1 meets its target"
# 7 years: score 30; target score 50; 30/50 = 0.6 -> significant.
jq_is "$(ind CDG1.2.1 score)" 30 "CDG1.2.1: 7 years scores 30"
jq_is "$(ind CDG1.2.1 rating)" significant_challenges "0.6 of the way is significant challenges"
# 2020 -> 2024: score 0 -> 30, 7.5 a year; required (50-0)/(2030-2020) = 5.
jq_is "$(ind CDG1.2.1 trend)" on_track "7.5 points a year against 5 needed is on track"
jq_is "$(ind CDG1.2.1 trend_from.year)" 2020 "trend measured from 2020"
# 33/75 = 0.44 -> major; 2021 -> 2024: 1/yr against (75-30)/9 = 5 -> stagnating.
jq_is "$(ind CDG1.3.1 rating)" major_challenges "33 of a 75 target is major challenges"
jq_is "$(ind CDG1.3.1 trend)" stagnating "1 point a year is stagnating"
jq_is "$(ind CDG1.2.1 source)" https://example.org/ken/strategy-2017 "each value carries its source"
# Goal: the two worst of (3, 1, 0) -> (1 + 0) / 2 = 0 major.
jq_is '.goals[] | select(.id=="CDG1") | .rating' major_challenges "goal rating: mean of the two worst, rounded down"
# Goal trend: mean of (on track 3, stagnating 1) = 2.
jq_is '.goals[] | select(.id=="CDG1") | .trend' moderately_improving "goal trend: mean of indicator trends"
jq_is '.synthetic_data' false "no synthetic data in this dashboard"

expect_exit 0 "dashboard of an earlier year" "$CDG" dashboard KEN --year 2021 --json
jq_is "$(ind CDG1.2.1 value)" 10 "2021 sees the 2020 value"
jq_is "$(ind CDG1.1.1 rating)" no_data "2021 has no CDG1.1.1 value yet"

expect_exit 0 "gaps KEN" "$CDG" gaps KEN --year 2024 --json
jq_is '.gaps[0].indicator' CDG1.3.1 "the first gap is the major one"
jq_is '.gaps[0].priority' 1 "major challenges are priority 1"
jq_is '[.gaps[] | select(.indicator=="CDG1.2.1") | .priority] | .[0]' 2 "significant challenges are priority 2"
jq_is '[.gaps[] | select(.indicator=="CDG1.1.1")] | length' 0 "an achieved indicator is no gap"
jq_is '[.gaps[] | select(.indicator=="CDG1.3.1") | .capacity_needs[0].needs] | .[0]' \
	"help drafting the strategy's action plan" "the reported capacity need is attached"
jq_is '[.gaps[] | select(.indicator=="CDG1.3.1") | .evidence] | .[0]' \
	https://example.org/ken/score-2024 "the evidence behind the gap"
jq_is '[.gaps[] | select(.priority==4)] | length > 20' true "indicators without data are gaps of priority 4"

expect_exit 0 "gaps --all --csv" "$CDG" gaps --all --year 2024 --csv
check "CSV header" test "$(head -1 "$T/out" | tr -d '\r')" = \
	"country,priority,goal,target,indicator,status,value,value_year,target_value,source,synthetic,capacity_needs"
check "one row per gap, every state" test "$(cut -d, -f1 "$T/out" | sort -u | wc -l)" -ge 190
check "KEN's major gap is a row" grep -q '^KEN,1,CDG1,CDG1.3,CDG1.3.1,major_challenges,33,2024,75,' "$T/out"

expect_exit 3 "dashboard of an unknown state" "$CDG" dashboard XYZ
expect_exit 2 "gaps with neither state nor --all" "$CDG" gaps
expect_exit 2 "dashboard with a bad year" "$CDG" dashboard KEN --year 20x4

# The synthetic demo round.
expect_exit 0 "demo" "$CDG" demo
check "demo says SYNTHETIC" grep -q SYNTHETIC "$T/out"
check "80 synthetic responses" test "$(sqlite3 "$CDG_DB" "SELECT count(*) FROM survey_response WHERE synthetic = 1 AND status = 'published'")" = 80
check "every demo-derived value is flagged synthetic" test "$(sqlite3 "$CDG_DB" "SELECT count(*) FROM observation WHERE source LIKE 'cdg survey%' AND synthetic = 0")" = 0
demo_state=$(sqlite3 "$CDG_DB" "SELECT iso3 FROM survey_response WHERE synthetic = 1 LIMIT 1")
expect_exit 0 "dashboard of a demo state" "$CDG" dashboard "$demo_state" --json
jq_is '.synthetic_data' true "the dashboard says it includes synthetic data"
expect_exit 0 "dashboard text" "$CDG" dashboard "$demo_state"
check "the text labels synthetic values" grep -q "SYNTHETIC" "$T/out"
expect_exit 1 "demo twice" "$CDG" demo
err_has "already loaded" "second demo explained"

done_testing
