#!/usr/bin/env bash
# cdg index run on a methodology and long-form data: hand-checked results,
# unequal weights from a weight file, Sobol sensitivity indices checked
# against a model whose output is known by hand, and every kind of bad
# input refused with FILE:LINE: field X and nothing written.
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
expect_exit 0 "run" "$CDG" index run --methodology "$T/m.json" --input "$T/d.csv" --out "$T/r.csv"
# --data FILE is the deprecated name of --input: same results, and a note.
expect_exit 0 "run with the deprecated --data" "$CDG" index run --methodology "$T/m.json" \
	--data "$T/d.csv" --out "$T/r-data.csv"
check "--data FILE gives the same results" cmp -s "$T/r.csv" "$T/r-data.csv"
err_has "--data D.csv is deprecated; use --input D.csv" "--data FILE says it is deprecated"
expect_exit 2 "--input and --data FILE together" "$CDG" index run --methodology "$T/m.json" \
	--input "$T/d.csv" --data "$T/d.csv" --out "$T/r2.csv"
tr -d '\r' <"$T/r.csv" >"$T/r.txt"
check "X scores 68.75, rank 1" grep -qx "X,I,68.75,1" "$T/r.txt"
check "Y scores 25, rank 2" grep -qx "Y,I,25,2" "$T/r.txt"
check "Z scores 20 on A alone, rank 3" grep -qx "Z,I,20,3" "$T/r.txt"
check "Z's missing B has no score" grep -qx "Z,B,," "$T/r.txt"
check "normalised indicators are listed" grep -qx "X,B,75,1" "$T/r.txt"
check "header" test "$(head -1 "$T/r.csv" | tr -d '\r')" = "unit,node,score,rank"
expect_exit 0 "run with Monte Carlo" "$CDG" index run --methodology "$T/m.json" --input "$T/d.csv" \
	--out "$T/mc.csv" --mc 50 --json
jq_is '.mc_replications' 50 "50 replications"
check "rank interval columns" grep -q "^X,I,68.75,1,[0-9]" "$T/mc.csv"

bad() { # bad DESCRIPTION STATUS MESSAGE CSV-TEXT
	printf "$4" >"$T/bad.csv"
	rm -f "$T/out.csv"
	expect_exit "$2" "$1" "$CDG" index run --methodology "$T/m.json" --input "$T/bad.csv" --out "$T/out.csv"
	err_has "$3" "$1: message"
	check "$1: nothing written" test ! -e "$T/out.csv"
}
bad "unknown indicator" 3 "bad.csv:3: field indicator: unknown indicator \"C\"" 'unit,indicator,value\nX,A,1\nX,C,2\n'
bad "non-numeric value" 3 "bad.csv:2: field value: \"lots\" is not a number" 'unit,indicator,value\nX,A,lots\n'
bad "duplicate unit and indicator" 3 "bad.csv:4: field indicator: X A appears twice (first on line 2)" 'unit,indicator,value\nX,A,1\nX,B,2\nX,A,3\n'
bad "an aggregate as data" 3 "field indicator: I is an aggregate" 'unit,indicator,value\nX,I,1\n'
bad "missing value column" 3 "value" 'unit,indicator\nX,A\n'
sed 's/"weight": 3/"weight": -3/' "$T/m.json" >"$T/m2.json"
expect_exit 3 "bad methodology" "$CDG" index run --methodology "$T/m2.json" --input "$T/d.csv" --out "$T/o.csv"
err_has "m2.json:4: field weight: node B: must be >= 0" "the methodology error names file, line, field and node"
expect_exit 2 "run without --out" "$CDG" index run --methodology "$T/m.json" --input "$T/d.csv"
expect_exit 2 "run with an unknown option" "$CDG" index run --frob
# --weights: COINr's weight table (iCode,Weight; Level ignored).  A 3 -> 1
# and B 1 -> 1: X (50 + 75)/2 = 62.5; Y (100 + 0)/2 = 50; Z 20.
printf 'iCode,Level,Weight\nA,1,1\nB,1,1\n' >"$T/w.csv"
expect_exit 0 "run with a weight file" "$CDG" index run --methodology "$T/m.json" \
	--input "$T/d.csv" --weights "$T/w.csv" --out "$T/rw.csv"
tr -d '\r' <"$T/rw.csv" >"$T/rw.txt"
check "weights from the file: X 62.5" grep -qx "X,I,62.5,1" "$T/rw.txt"
check "weights from the file: Y 50" grep -qx "Y,I,50,2" "$T/rw.txt"
printf 'iCode,Weight\nA,2\n' >"$T/w2.csv"
expect_exit 0 "a weight file listing some nodes" "$CDG" index run --methodology "$T/m.json" \
	--input "$T/d.csv" --weights "$T/w2.csv" --out "$T/rw2.csv"
# A 2, B keeps 3: X (2*50 + 3*75)/5 = 65
check "unlisted nodes keep their weights" grep -q "^X,I,65,1" "$T/rw2.csv"
badw() { # badw DESCRIPTION MESSAGE CSV-TEXT
	printf "$3" >"$T/bw.csv"
	rm -f "$T/out.csv"
	expect_exit 3 "$1" "$CDG" index run --methodology "$T/m.json" --input "$T/d.csv" \
		--weights "$T/bw.csv" --out "$T/out.csv"
	err_has "$2" "$1: message"
	check "$1: nothing written" test ! -e "$T/out.csv"
}
badw "weight of an unknown node" 'bw.csv:3: field iCode: "C" is not a node' 'iCode,Weight\nA,1\nC,2\n'
badw "negative weight" 'bw.csv:2: field Weight: "-1": expected a number >= 0' 'iCode,Weight\nA,-1\n'
badw "node weighted twice" 'bw.csv:3: field iCode: A appears twice (first on line 2)' 'iCode,Weight\nA,1\nA,2\n'
badw "no Weight column" 'Weight' 'iCode,W\nA,1\n'

# Sobol sensitivity on a model known by hand.  Indicators P and Q already
# span 1..100, so min-max [1,100] leaves them as they are; treatment never
# fires (no outlier), so the winmax choice changes nothing.  Arithmetic
# mean: D 100, B 65, A 60, E 20, C 1; geometric: D 100, A 60,
# B sqrt(3000) = 54.8, E 20, C 1.  A and B swap ranks 2 and 3, so the
# output (mean absolute rank change against the nominal arithmetic ranks)
# is 0 for amean and (1 + 1)/5 = 0.4 for gmean.  Hence Si = STi = 0 for
# winmax exactly (its AB rows equal A), and the aggregation's indices
# follow from the draws alone (sobol_hand.mjs).
cat >"$T/s.json" <<'JSON'
{"methodology_version": 1, "id": "s", "title": "Sobol by hand",
 "nodes": [
  {"id": "P", "parent": "I", "level": 1, "weight": 1, "direction": "higher_is_better"},
  {"id": "Q", "parent": "I", "level": 1, "weight": 1, "direction": "higher_is_better"},
  {"id": "I", "parent": null, "level": 2, "weight": 1}],
 "pipeline": {"normalise": {"method": "minmax", "lower": 1, "upper": 100},
              "aggregate": {"method": "amean"}, "missing": {"rule": "reweight"}},
 "uncertainty": {"replications": 10, "seed": 5, "winmax": [1, 2],
                 "aggregations": [{"method": "amean"}, {"method": "gmean"}]}}
JSON
printf 'unit,indicator,value\nA,P,60\nA,Q,60\nB,P,100\nB,Q,30\nC,P,1\nC,Q,1\nD,P,100\nD,Q,100\nE,P,20\nE,Q,20\n' >"$T/s.csv"
expect_exit 0 "run --sobol 64" "$CDG" index run --methodology "$T/s.json" --input "$T/s.csv" \
	--out "$T/sr.csv" --sobol 64 --sensitivity "$T/S.csv"
check "the table is printed" grep -q "sensitivity of the index ranks (Sobol, N = 64, 256 runs)" "$T/out"
tr -d '\r' <"$T/S.csv" >"$T/S.txt"
check "winmax changes nothing: Si = STi = 0" grep -qx "winmax,0,0" "$T/S.txt"
node "$CDG_SRCDIR/tests/index/sobol_hand.mjs" 5 64 \
	"impute=1,winmax=2,normalisation=1,weights=1,aggregation=2" aggregation 0,0.4 >"$T/S-hand.txt"
check "aggregation: Si and STi as computed by hand from the draws" \
	node -e '
const fs = require("fs");
const rows = (f) => fs.readFileSync(f, "utf8").trim().split("\n").map((l) => l.split(","));
const got = rows(process.argv[1]), want = rows(process.argv[2]);
const ok = got.length === 3 && want.length === 3 && want.every((w, i) =>
  w[0] === got[i][0] && (i === 0 || w.slice(1).every((v, k) => Math.abs(v - got[i][k + 1]) < 1e-12)));
const sti = Number(got[2][2]);
process.exit(ok && sti > 0.5 && sti <= 1.5 ? 0 : 1);' "$T/S.txt" "$T/S-hand.txt"
check "the hand computation agrees on winmax too" grep -qx "winmax,0,0" "$T/S-hand.txt"
# The design's A and B rows are replications 0..2N-1: the rank intervals
# of --sobol 64 are those of --mc 128 with the same seed.
expect_exit 0 "run --mc 128" "$CDG" index run --methodology "$T/s.json" --input "$T/s.csv" \
	--out "$T/mr.csv" --mc 128
check "--sobol N intervals = --mc 2N intervals" cmp -s "$T/sr.csv" "$T/mr.csv"
# Each of A and B is rank 2 or 3 in every run; both appear.
check "B's interval spans ranks 2 to 3" grep -q "^B,I,65,2,[0-9.]*,2,3" "$T/sr.csv"
expect_exit 0 "run --sobol --json" "$CDG" index run --methodology "$T/s.json" --input "$T/s.csv" \
	--out "$T/sr.csv" --sobol 64 --json
jq_is '[.sensitivity.n, .sensitivity.runs, (.sensitivity.factors | map(.factor) | join(" "))] | join(",")' \
	"64,256,winmax aggregation" "JSON names N, the runs and the factors"
rm -f "$T/S.csv"
expect_exit 2 "--sensitivity without --sobol" "$CDG" index run --methodology "$T/s.json" \
	--input "$T/s.csv" --out "$T/x.csv" --sensitivity "$T/S.csv"
check "nothing written without --sobol" test ! -e "$T/S.csv" -a ! -e "$T/x.csv"
expect_exit 2 "--sobol 1 is refused" "$CDG" index run --methodology "$T/s.json" \
	--input "$T/s.csv" --out "$T/x.csv" --sobol 1
expect_exit 2 "--sobol with one uncertain choice" "$CDG" index run --methodology "$T/m.json" \
	--input "$T/d.csv" --out "$T/x.csv" --sobol 10 --sensitivity "$T/S.csv"
err_has "at least 2 uncertain inputs (has 1)" "the refusal says why"
check "nothing written when the analysis fails" test ! -e "$T/S.csv" -a ! -e "$T/x.csv"
done_testing
