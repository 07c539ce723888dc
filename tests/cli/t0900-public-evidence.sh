#!/usr/bin/env bash
# Public evidence (issue 15): a fresh cdg init holds the desk research of
# data/evidence as observations of source type desk_research; the 2025
# edition ranks States from it alone, with rank intervals and Sobol indices,
# and verifies; synthetic editions are not published; a State's own report
# is kept beside the desk value and a disagreement shown.  Expected counts
# come from the data files themselves.
. "$(dirname "$0")/lib.sh"
q() { sqlite3 "$CDG_DB" "$1"; }
ev="$CDG_SRCDIR/data/evidence"
# col FILE NAME: the values of column NAME, one per line (RFC 4180 via python).
col() {
	python3 -c 'import csv,sys
r=csv.DictReader(open(sys.argv[1],newline=""))
for x in r: print(x[sys.argv[2]])' "$1" "$2"
}

expect_exit 0 "init on the shipped data" "$CDG" init
# CDG1.1.1: one value per State with a finding other than not_found.
want=$(col "$ev/strategies.csv" finding | grep -cv '^not_found$')
check "CDG1.1.1 for every State with a finding ($want)" \
	test "$(q "SELECT count(DISTINCT iso3) FROM observation WHERE indicator_id = 'CDG1.1.1'")" = "$want"
# CDG4.3.1 for every State: Parties from the chart, 0 for all others.
check "CDG4.3.1 for all 195 States" \
	test "$(q "SELECT count(DISTINCT iso3) FROM observation WHERE indicator_id = 'CDG4.3.1'")" = 195
parties=$(paste -d, <(col "$ev/budapest.csv" treaty) <(col "$ev/budapest.csv" status) | grep -c '^ETS185,party$')
check "CDG4.3.1 = 1 in 2026 for the $parties Parties" \
	test "$(q "SELECT count(*) FROM observation WHERE indicator_id = 'CDG4.3.1' AND year = 2026 AND value = 1 AND superseded_by IS NULL")" = "$parties"
check "the desk research is of source type desk_research" \
	test "$(q "SELECT count(*) FROM observation WHERE indicator_id IN ('CDG1.1.1','CDG2.1.1','CDG4.1.2','CDG4.3.1','CDG8.1.1') AND source_type <> 'desk_research'")" = 0
check "every desk value has an http(s) source" \
	test "$(q "SELECT count(*) FROM observation WHERE source_type = 'desk_research' AND source NOT LIKE 'http%'")" = 0
check "the treaty status of ETS 185, ETS 189 and CETS 224 is loaded" \
	test "$(q "SELECT count(*) FROM treaty_party WHERE treaty_id IN ('ETS185','ETS189','CETS224')")" = "$(col "$ev/budapest.csv" iso3 | grep -c .)"
expect_exit 0 "CSV export" "$CDG" data export --indicator CDG4.3.1 --country FRA
check "the CSV export names the source type" grep -q ',desk_research' "$T/out"
expect_exit 0 "SDMX-CSV export" "$CDG" data export --format sdmx --indicator CDG4.3.1 --country FRA
check "the SDMX-CSV export has the SOURCE_TYPE attribute" sh -c "head -1 '$T/out' | grep -q SOURCE_TYPE && grep -q desk_research '$T/out'"
expect_exit 0 "dashboard of France" "$CDG" dashboard FRA --json
jq_is '.coverage.self_reported' 0 "no self-reported value on a fresh database"
jq_is '[.goals[].indicators[] | select(.id == "CDG4.3.1") | .source_type][0]' desk_research "the dashboard names the source type"

# The 2025 edition from public evidence alone.
expect_exit 0 "compute 2025" "$CDG" index compute --edition 2025 --json
jq_is '.methodology_id' cdg-public-evidence "the public-evidence methodology is the default without a survey round"
ranked=$(jq '.ranked' "$T/out")
check "at least 150 States ranked ($ranked)" test "$ranked" -ge 150
expect_exit 0 "show 2025" "$CDG" index show 2025 --json
jq_is '[.states[] | select(.rank != null) | select(.rank_p05 == null or .rank_p95 == null or .rank_p05 > .rank_p95)] | length' 0 \
	"every ranked State has a 5-95 % rank interval"
jq_is '.sensitivity | length > 0' true "the edition carries Sobol indices"
jq_is '[.states[] | select(.rank == null) | select(.coverage.with_data >= .coverage.needed)] | length' 0 \
	"every unranked State has fewer indicators than the rule needs"
expect_exit 0 "show 2025 (text)" "$CDG" index show 2025
check "an unranked State says why" grep -qE 'not ranked: [0-9]+ of 7 indicators \(3 needed\); missing: CDG' "$T/out"
expect_exit 0 "verify 2025" "$CDG" index verify 2025
expect_exit 0 "an edition from real data is published" "$CDG" index publish 2025

# A survey round (the SYNTHETIC demo) makes cdg-default the default; an
# edition computed from it is not published without the switch.
expect_exit 0 "demo" "$CDG" demo --states 30
expect_exit 0 "compute 2024 with the demo round" "$CDG" index compute --edition 2024 --json
jq_is '.methodology_id' cdg-default "a survey round makes cdg-default the default"
expect_exit 3 "publish refuses the SYNTHETIC edition" "$CDG" index publish 2024
err_has "SYNTHETIC" "the refusal says why"
expect_exit 0 "publish it as a demonstration" "$CDG" index publish 2024 --allow-synthetic

# A State's own (SYNTHETIC) report beside the desk research.
states=$("$CDG" survey list --json | jq -r '.[] | select(.status == "published") | .country')
bad=0 seen=0 shown=0
for s in $states; do
	"$CDG" country "$s" --json >"$T/c.json" || bad=$((bad + 1))
	seen=$((seen + $(jq '.self_reported_vs_desk | length' "$T/c.json")))
	# The flag follows the rule: yes against 0, no against 1.
	bad=$((bad + $(jq '[.self_reported_vs_desk[] | select(.value != null and .source_type != "self_reported")
		| select(.disagreement != ((.self_reported.answer == "yes" and .value == 0) or (.self_reported.answer == "no" and .value == 1)))] | length' "$T/c.json")))
	if jq -e '[.self_reported_vs_desk[] | select(.disagreement)] | length > 0' "$T/c.json" >/dev/null; then
		"$CDG" country "$s" >"$T/c.txt"
		grep -q "DISAGREES with the desk research" "$T/c.txt" && shown=$((shown + 1))
	fi
done
check "published demo States show their own reports ($seen)" test "$seen" -gt 0
check "every disagreement flag follows the rule" test "$bad" = 0
check "cdg country shows the disagreements ($shown States)" test "$shown" -gt 0
done_testing
