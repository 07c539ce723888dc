#!/usr/bin/env bash
# cdg index editions on stored observations: compute, verify (and catch a
# tampered result), publish (then frozen), show, diff, whatif, list.  The
# figures are worked out by hand in the comments.
. "$(dirname "$0")/lib.sh"
no_evidence # figures worked out from this test's own observations

expect_exit 0 "init" "$CDG" init

# A small methodology over four catalog indicators (directions and
# goalposts as in the catalog): CDG1.1.1 strategy (0/1), CDG1.2.1 years
# since update (lower is better, 0..10), CDG6.1.1 (0/1), CDG7.1.1 (0/1),
# none of which cdg init derives from the reference data; targets -> goals CDG1, CDG6, CDG7 -> IDX.  Goalposts 0-100,
# arithmetic means, a state needs half of the indicators.
node() { # id parent level [direction lo hi target]
	if [ $# -gt 3 ]; then
		printf '{"id":"%s","parent":"%s","level":%s,"weight":1,"direction":"%s","goalposts":{"lower":%s,"upper":%s},"target":%s},\n' "$@"
	else
		printf '{"id":"%s","parent":%s,"level":%s,"weight":1},\n' "$1" "$2" "$3"
	fi
}
{
	echo '{"methodology_version":1,"id":"t-small","title":"test","nodes":['
	node CDG1.1.1 CDG1.1 1 higher_is_better 0 1 1
	node CDG1.2.1 CDG1.2 1 lower_is_better 0 10 5
	node CDG6.1.1 CDG6.1 1 higher_is_better 0 1 1
	node CDG7.1.1 CDG7.1 1 higher_is_better 0 1 1
	for t in CDG1.1:CDG1 CDG1.2:CDG1 CDG6.1:CDG6 CDG7.1:CDG7; do node "${t%:*}" "\"${t#*:}\"" 2; done
	for g in CDG1 CDG6 CDG7; do node $g '"IDX"' 3; done
	echo '{"id":"IDX","parent":null,"level":4,"weight":1}],'
	echo '"pipeline":{"screen":{"rule":"missing","min_data":0.5,"order":"before_impute"},'
	echo '"normalise":{"method":"goalposts"},"aggregate":{"method":"amean"},"missing":{"rule":"reweight"}},'
	echo '"uncertainty":{"replications":100,"seed":3,"weight_noise":[{"level":3,"fraction":0.25}]}}'
} >"$T/m.json"

S=https://example.org/evidence
cat >"$T/obs2024.csv" <<CSV
indicator,country,year,value,source_url
CDG1.1.1,FRA,2024,1,$S/fra-strategy
CDG1.2.1,FRA,2024,2,$S/fra-strategy
CDG6.1.1,FRA,2024,1,$S/fra-csirt
CDG7.1.1,FRA,2024,0,$S/fra-4
CDG1.1.1,DEU,2024,1,$S/deu-strategy
CDG1.2.1,DEU,2023,8,$S/deu-strategy
CDG6.1.1,DEU,2024,1,$S/deu-csirt
CDG7.1.1,DEU,2024,1,$S/deu-4
CDG1.1.1,KEN,2024,0,$S/ken-strategy
CDG6.1.1,KEN,2024,1,$S/ken-csirt
CDG1.1.1,BRA,2024,1,$S/bra-strategy
CSV
expect_exit 0 "import 2024 observations" "$CDG" data import "$T/obs2024.csv"

# FRA: 100, (10-2)/10*100 = 80, 100, 0 -> CDG1 90, CDG6 100, CDG7 0 -> 63.333
# DEU: 100, 20, 100, 100 -> 60, 100, 100 -> 86.667 (its 2023 value is the
#      latest up to 2024)
# KEN: 0, -, 100, - -> CDG1 0, CDG6 100, CDG7 missing -> (0+100)/2 = 50
# BRA: 1 indicator of 4 < half -> not ranked.
expect_exit 0 "compute edition 2024" "$CDG" index compute --edition 2024 \
	--methodology "$T/m.json" --json
jq_is '[.states, .ranked, .inputs] | join(",")' "4,3,11" "4 states, 3 ranked, 11 inputs"
jq_is '.mc_replications' 100 "without --mc, the methodology's 100 replications"
H2024=$(jq -r .input_sha256 "$T/out")
expect_exit 0 "verify 2024" "$CDG" index verify 2024
check "verify says bit for bit" grep -q "identical bit for bit" "$T/out"

expect_exit 0 "show 2024 --json" "$CDG" index show 2024 --json
jq_is '[.states[] | select(.rank != null) | "\(.rank):\(.iso3):\(.score*1000|round)"] | sort | join(" ")' \
	"1:DEU:86667 2:FRA:63333 3:KEN:50000" "ranking DEU 86.667, FRA 63.333, KEN 50"
jq_is '.states[] | select(.iso3=="BRA") | .rank' null "BRA is not ranked (coverage below half)"
jq_is '.states[] | select(.iso3=="FRA") | .nodes.CDG1.score' 90 "FRA's CDG1 is 90"
jq_is '.states[] | select(.iso3=="KEN") | .nodes.CDG7.score' null "KEN has no CDG7 score"
expect_exit 0 "show 2024 --country FRA --json" "$CDG" index show 2024 --country FRA --json
jq_is '.states[0].nodes["CDG1.2.1"].score' 80 "FRA's strategy age scores 80"
jq_is '.states[0].inputs[] | select(.indicator=="CDG1.2.1") | .source' "$S/fra-strategy" \
	"each input carries its source"
jq_is '.states[0].inputs[] | select(.indicator=="CDG1.2.1") | .observation_id > 0' true \
	"each input names its observation"
expect_exit 0 "show 2024 as text" "$CDG" index show 2024
check "text ranking" grep -qE "^ +1  DEU  86.67" "$T/out"
expect_exit 3 "show an unknown country" "$CDG" index show 2024 --country XYZ
expect_exit 3 "show a missing edition" "$CDG" index show 2019

# 2025: FRA now has CDG7.1.1 = 1 and KEN an updated strategy (5 years).
cat >"$T/obs2025.csv" <<CSV
indicator,country,year,value,source_url
CDG7.1.1,FRA,2025,1,$S/fra-4-2025
CDG1.2.1,KEN,2025,5,$S/ken-strategy-2025
CSV
expect_exit 0 "import 2025 observations" "$CDG" data import "$T/obs2025.csv"
# FRA: 90, 100, 100 -> 96.667; KEN: CDG1 (0+50)/2 = 25 -> (25+100)/2 = 62.5
expect_exit 0 "compute edition 2025 with Monte Carlo" "$CDG" index compute \
	--edition 2025 --methodology "$T/m.json" --mc 60 --json
jq_is '.mc_replications' 60 "--mc 60 overrides the methodology: 60 replications frozen"
expect_exit 0 "verify 2025 (Monte Carlo included)" "$CDG" index verify 2025 --threads 2
expect_exit 0 "the 2024 edition is unchanged by later data" "$CDG" index verify 2024 --json
jq_is '.ok' true "2024 still verifies"

expect_exit 0 "diff 2024 2025" "$CDG" index diff 2024 2025 --json
jq_is '.states[] | select(.iso3=="FRA") | "\(.rank1)->\(.rank2) \(.rank_change) \(.score_change*1000|round)"' \
	"2->1 1 33333" "FRA rises from 2 to 1, +33.333"
jq_is '.states[] | select(.iso3=="DEU") | .rank_change' -1 "DEU falls one place"
jq_is '.states[] | select(.iso3=="FRA") | .input_changes | map("\(.indicator):\(.value1)->\(.value2)") | join(",")' \
	"CDG7.1.1:0->1" "the diff names FRA's changed input"
jq_is '.states[] | select(.iso3=="KEN") | .input_changes | map("\(.indicator):\(.value1)->\(.value2)") | join(",")' \
	"CDG1.2.1:null->5" "the diff names KEN's new input"
expect_exit 0 "diff as text" "$CDG" index diff 2024 2025
check "text diff shows FRA" grep -qE "^FRA +63.33 +96.67 +33.33 +2 +1 +\+1" "$T/out"

# What if KEN had a strategy?  CDG1 (100+50)/2 = 75 -> (75+100)/2 = 87.5,
# above DEU's 86.667: rank 3 -> 2.
audit=$(sqlite3 "$CDG_DB" "SELECT count(*) FROM audit_log")
expect_exit 0 "whatif KEN" "$CDG" index whatif KEN --set CDG1.1.1=1 --json
jq_is '"\(.edition) \(.score_before) \(.score_after) \(.rank_before) \(.rank_after)"' \
	"2025 62.5 87.5 3 2" "KEN 62.5 -> 87.5, rank 3 -> 2"
jq_is '.nodes.CDG1 | "\(.before)->\(.after)"' "25->75" "KEN's CDG1 25 -> 75"
check "whatif writes nothing" test "$audit" = "$(sqlite3 "$CDG_DB" "SELECT count(*) FROM audit_log")"
expect_exit 2 "whatif with an unknown indicator" "$CDG" index whatif KEN --set CDG9.9.9=1
expect_exit 2 "whatif without a value" "$CDG" index whatif KEN --set CDG1.1.1

# Tampering: a stored result changed behind cdg's back (the guard trigger
# dropped first) is caught by verify.
sqlite3 "$CDG_DB" "DROP TRIGGER index_result_frozen;
	UPDATE index_result SET score = score + 1e-12 WHERE edition = 2024 AND iso3 = 'KEN' AND node = 'IDX'"
expect_exit 1 "verify catches a tampered score" "$CDG" index verify 2024
err_has "edition 2024 does NOT verify: KEN IDX: score stored 50.000000000001" "the mismatch is named"
expect_exit 0 "recompute the draft without Monte Carlo" "$CDG" index compute --edition 2024 \
	--methodology "$T/m.json" --mc 0 --json
jq_is '.mc_replications' 0 "--mc 0: no replications"
expect_exit 0 "show it" "$CDG" index show 2024 --json
jq_is '[.states[] | has("rank_p05")] | any' false "--mc 0: no rank intervals"
expect_exit 0 "verify again" "$CDG" index verify 2024
sqlite3 "$CDG_DB" "UPDATE index_input SET source = 'elsewhere' WHERE edition = 2024 AND iso3 = 'FRA' AND indicator_id = 'CDG1.1.1'" 2>/dev/null
check "inputs cannot be updated" test $? -ne 0

# Publishing freezes the edition.
expect_exit 0 "publish 2024" "$CDG" index publish 2024
expect_exit 1 "a published edition is not recomputed" "$CDG" index compute \
	--edition 2024 --methodology "$T/m.json"
err_has "published and is never changed" "the refusal says why"
check "published results refuse deletion" bash -c \
	"! sqlite3 '$CDG_DB' \"DELETE FROM index_result WHERE edition = 2024\" 2>/dev/null"
expect_exit 1 "publishing twice" "$CDG" index publish 2024
expect_exit 0 "list" "$CDG" index list --json
jq_is 'map("\(.year):\(.published):\(.ranked)") | join(" ")' "2024:true:3 2025:false:3" "two editions listed"
jq_is '.[0].input_sha256' "$H2024" "the recomputed 2024 snapshot hash is the same"

# Bad use.
expect_exit 2 "compute without --edition" "$CDG" index compute
expect_exit 2 "verify without a year" "$CDG" index verify
expect_exit 2 "unknown subcommand" "$CDG" index frob
expect_exit 3 "compute with no observations" "$CDG" index compute --edition 1995 \
	--methodology "$T/m.json"
sed 's/"lower_is_better"/"higher_is_better"/' "$T/m.json" >"$T/m-bad.json"
expect_exit 3 "a methodology that contradicts the catalog" "$CDG" index compute \
	--edition 2025 --methodology "$T/m-bad.json"
err_has "node CDG1.2.1: direction or goalposts differ from the catalog" "names the node"

# Sensitivity frozen with an edition: two uncertain choices (goal weights
# +-25 %, goalposts or rank normalisation).
sed 's/"uncertainty":{.*}}$/"uncertainty":{"replications":100,"seed":3,"weight_noise":[{"level":3,"fraction":0.25}],"normalisations":[{"method":"goalposts"},{"method":"rank"}]}}/' \
	"$T/m.json" >"$T/m3.json"
expect_exit 0 "compute 2026 with --mc and --sobol" "$CDG" index compute --edition 2026 \
	--methodology "$T/m3.json" --mc 60 --sobol 40 --json
jq_is '[.sensitivity.n, .sensitivity.runs, (.sensitivity.factors | map(.factor) | join(" "))] | join(",")' \
	"40,160,normalisation weights" "the Sobol indices are computed and reported"
jq -c '.sensitivity' "$T/out" >"$T/sens-computed.json"
expect_exit 0 "show 2026 --sensitivity" "$CDG" index show 2026 --sensitivity
check "the table names N and the runs" grep -q "Sobol, N = 40, 160 runs" "$T/out"
check "one line per factor" test "$(grep -cE '^  (normalisation|weights) +-?[0-9]' "$T/out")" = 2
expect_exit 0 "show 2026 --json has the stored indices" "$CDG" index show 2026 --json
check "stored indices are the computed ones" test "$(jq -c .sensitivity "$T/out")" = "$(cat "$T/sens-computed.json")"
jq_is '.states[] | select(.iso3=="FRA") | .nodes.CDG1 | has("rank_p05") and has("rank_p95")' true \
	"goals carry their rank interval too"
expect_exit 0 "verify 2026 recomputes the sensitivity bit for bit" "$CDG" index verify 2026 --threads 3
sqlite3 "$CDG_DB" "DROP TRIGGER index_sensitivity_frozen;
	UPDATE index_sensitivity SET sti = sti + 1e-12 WHERE edition = 2026 AND factor = 'weights'"
expect_exit 1 "verify catches a tampered sensitivity index" "$CDG" index verify 2026
err_has "sensitivity to weights: stored Si" "the tampered factor is named"
expect_exit 3 "show --sensitivity of an edition without" "$CDG" index show 2025 --sensitivity
err_has "edition 2025 has no sensitivity analysis" "says there is none"
expect_exit 2 "--country and --sensitivity together" "$CDG" index show 2026 --sensitivity --country FRA

# The default methodology (36 indicators, half needed): FRA at every best
# goalpost scores 100; DEU with 17 indicators is not ranked.
export CDG_DB="$T/default.db"
expect_exit 0 "init a second database" "$CDG" init
jq -r '.nodes[] | select(.level==1) | [.id, (if .direction=="higher_is_better" then .goalposts.upper else .goalposts.lower end)] | @tsv' \
	"$CDG_SRCDIR/data/index/cdg-default.json" >"$T/best.tsv"
{
	echo "indicator,country,year,value,source_url"
	awk -v s="$S" '{print $1",FRA,2024,"$2","s"/fra"}' "$T/best.tsv"
	head -10 "$T/best.tsv" | awk -v s="$S" '{print $1",DEU,2024,0,"s"/deu"}'
} >"$T/full.csv"
# Imported as self-reported (a survey round), so the default is cdg-default.
expect_exit 0 "import a full set for FRA" "$CDG" data import "$T/full.csv" --source-type self_reported
# Other states have at most the few indicators cdg init derives from the
# reference data: none reaches half.
expect_exit 0 "compute with the default methodology" "$CDG" index compute --edition 2024 --json
jq_is '"\(.methodology_id) \(.ranked)"' "cdg-default 1" "default methodology: one state ranked"
jq_is '.mc_replications' 1000 "the default methodology's 1000 Monte Carlo replications"
expect_exit 0 "show the default edition" "$CDG" index show 2024 --json
jq_is '[.states[] | select(.rank != null) | "\(.iso3) \(.score) \(.rank)"] | join(",")' "FRA 100 1" \
	"FRA scores 100, rank 1, alone"
jq_is '.states[] | select(.iso3=="DEU") | .rank' null "DEU (10 or so of 36 indicators) is not ranked"
expect_exit 0 "show FRA in the default edition" "$CDG" index show 2024 --country FRA --json
jq_is '.states[0].inputs | length' 36 "FRA's 36 inputs are frozen with the edition"
expect_exit 0 "verify the default edition" "$CDG" index verify 2024

done_testing
