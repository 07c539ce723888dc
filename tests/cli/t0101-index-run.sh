#!/usr/bin/env bash
# cdg index run on a methodology and long-form data: hand-checked results,
# and every kind of bad input refused with FILE:LINE: field X and nothing
# written.
. "$(dirname "$0")/lib.sh"
cat >"$T/m.json" <<'JSON'
{"methodology_version": 1, "id": "t", "title": "two indicators",
 "nodes": [
  {"id": "A", "parent": "I", "level": 1, "weight": 1, "direction": "higher_is_better", "goalposts": {"lower": 0, "upper": 10}},
  {"id": "B", "parent": "I", "level": 1, "weight": 3, "direction": "lower_is_better", "goalposts": {"lower": 0, "upper": 4}},
  {"id": "I", "parent": null, "level": 2, "weight": 1}],
 "pipeline": {"normalise": {"method": "goalposts"}, "aggregate": {"method": "amean"},
              "missing": {"rule": "reweight"}},
 "uncertainty": {"replications": 50, "seed": 1, "weight_noise": [{"level": 1, "fraction": 0.5}]}}
JSON
printf 'unit,indicator,value\nX,A,5\nX,B,1\nY,A,10\nY,B,4\nZ,A,2\n' >"$T/d.csv"
# X: A 50, B (4-1)/4*100 = 75 -> (50 + 3*75)/4 = 68.75
# Y: A 100, B 0 -> 25;  Z: A 20, B missing -> 20 (weights rescaled)
expect_exit 0 "run" "$CDG" index run --methodology "$T/m.json" --data "$T/d.csv" --out "$T/r.csv"
tr -d '\r' <"$T/r.csv" >"$T/r.txt"
check "X scores 68.75, rank 1" grep -qx "X,I,68.75,1" "$T/r.txt"
check "Y scores 25, rank 2" grep -qx "Y,I,25,2" "$T/r.txt"
check "Z scores 20 on A alone, rank 3" grep -qx "Z,I,20,3" "$T/r.txt"
check "Z's missing B has no score" grep -qx "Z,B,," "$T/r.txt"
check "normalised indicators are listed" grep -qx "X,B,75,1" "$T/r.txt"
check "header" test "$(head -1 "$T/r.csv" | tr -d '\r')" = "unit,node,score,rank"
expect_exit 0 "run with Monte Carlo" "$CDG" index run --methodology "$T/m.json" --data "$T/d.csv" \
	--out "$T/mc.csv" --mc 50 --json
jq_is '.mc_replications' 50 "50 replications"
check "rank interval columns" grep -q "^X,I,68.75,1,[0-9]" "$T/mc.csv"

bad() { # bad DESCRIPTION STATUS MESSAGE CSV-TEXT
	printf "$4" >"$T/bad.csv"
	rm -f "$T/out.csv"
	expect_exit "$2" "$1" "$CDG" index run --methodology "$T/m.json" --data "$T/bad.csv" --out "$T/out.csv"
	err_has "$3" "$1: message"
	check "$1: nothing written" test ! -e "$T/out.csv"
}
bad "unknown indicator" 3 "bad.csv:3: field indicator: unknown indicator \"C\"" 'unit,indicator,value\nX,A,1\nX,C,2\n'
bad "non-numeric value" 3 "bad.csv:2: field value: \"lots\" is not a number" 'unit,indicator,value\nX,A,lots\n'
bad "duplicate unit and indicator" 3 "bad.csv:4: field indicator: X A appears twice (first on line 2)" 'unit,indicator,value\nX,A,1\nX,B,2\nX,A,3\n'
bad "an aggregate as data" 3 "field indicator: I is an aggregate" 'unit,indicator,value\nX,I,1\n'
bad "missing value column" 3 "value" 'unit,indicator\nX,A\n'
sed 's/"weight": 3/"weight": -3/' "$T/m.json" >"$T/m2.json"
expect_exit 3 "bad methodology" "$CDG" index run --methodology "$T/m2.json" --data "$T/d.csv" --out "$T/o.csv"
err_has "m2.json:4: field weight: node B: must be >= 0" "the methodology error names file, line, field and node"
expect_exit 2 "run without --out" "$CDG" index run --methodology "$T/m.json" --data "$T/d.csv"
expect_exit 2 "run with an unknown option" "$CDG" index run --frob
done_testing
