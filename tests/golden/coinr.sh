#!/usr/bin/env bash
# Golden tests: `cdg index run` on COINr's own input tables (the ASEM
# example, ../shared/testdata/coinr) must reproduce COINr 1.1.14's outputs
# within 1e-9 (compare.mjs), for the standard example and the variants;
# bad input and bad flags are refused with nothing written.
. "$CDG_SRCDIR/tests/cli/lib.sh"
G="$CDG_SRCDIR/../shared/testdata/coinr"
CMP="$CDG_SRCDIR/tests/golden/compare.mjs"
IN=(--idata "$G/asem_iData.csv" --imeta "$G/asem_iMeta.csv")
# build_example_coin(): denominate, EurAsia group-mean imputation, screen
# at 90% data, treat (winmax 5); then normalisation and aggregation.
STD=(--denominate --impute group-mean:EurAsia_group --screen 0.9 --treat winsorise:5)

# golden NAME EXPECTED score|rank FLAGS...: runs cdg on the ASEM tables
# and compares the result with COINr's file.
golden() {
	local name=$1 want=$2 what=$3; shift 3
	if "$CDG" index run "${IN[@]}" --out "$T/$name.csv" "$@" >"$T/out" 2>"$T/err" &&
		node "$CMP" "$T/$name.csv" "$G/$want" "$what" >"$T/cmp" 2>&1; then
		ok "$name: $(cat "$T/cmp")"
	else
		not_ok "$name: $(cat "$T/err" "$T/cmp" 2>/dev/null | head -c 600)"
	fi
}

# The standard example: every normalised indicator and aggregate, and ranks.
golden example asem_example_aggregated.csv score "${STD[@]}"
golden example-ranks asem_example_ranks.csv rank "${STD[@]}"
golden example-normalised asem_example_normalised.csv score "${STD[@]}"
# The same pipeline stated in a methodology file instead of flags.
golden example-methodology asem_example_aggregated.csv score \
	--methodology "$CDG_SRCDIR/data/index/coinr-asem-example.json"
# No flags: raw data, min-max 0-100, arithmetic mean; missing values reach
# the aggregation and the weights are rescaled.
golden rawpath variant_rawpath_aggregated.csv score
golden rawpath-normalised variant_rawpath_normalised.csv score
# Every normalisation on the treated data.
golden norm-minmax-0-100 variant_norm_minmax_0_100.csv score "${STD[@]}" --normalise minmax:0:100
golden norm-minmax-1-100 variant_norm_minmax_1_100.csv score "${STD[@]}" --normalise minmax:1:100
golden norm-zscore-0-1 variant_norm_zscore_0_1.csv score "${STD[@]}" --normalise zscore:0:1
golden norm-zscore-10-2 variant_norm_zscore_10_2.csv score "${STD[@]}" --normalise zscore:10:2
golden norm-rank variant_norm_rank_min.csv score "${STD[@]}" --normalise rank
golden norm-prank variant_norm_prank_min.csv score "${STD[@]}" --normalise prank
golden norm-borda variant_norm_borda_min.csv score "${STD[@]}" --normalise borda
golden norm-dist2max variant_norm_dist2max.csv score "${STD[@]}" --normalise dist2max
golden norm-dist2targ variant_norm_dist2targ_iMeta.csv score "${STD[@]}" --normalise dist2targ
# Every aggregation on min-max [1,100] data, one mean per level too.
for a in amean gmean hmean; do
	golden agg-$a variant_agg_$a.csv score "${STD[@]}" --normalise minmax:1:100 --aggregate $a
done
golden agg-genmean-p2 variant_agg_genmean_p2.csv score "${STD[@]}" --normalise minmax:1:100 --aggregate genmean:2
golden agg-mixed variant_agg_mixed_amean_gmean_hmean.csv score "${STD[@]}" \
	--normalise minmax:1:100 --aggregate amean,gmean,hmean
# Unequal weights (1,2,3 repeating down COINr's weight table, every level)
# from a weight file, on min-max [1,100] data with arithmetic means.
golden weights-alt variant_agg_amean_weights_alt.csv score "${STD[@]}" --normalise minmax:1:100 \
	--aggregate amean --weights "$G/variant_weights_alt.csv"
expect_exit 0 "equal weights differ from the alternative weights" "$CDG" index run "${IN[@]}" \
	--out "$T/eq.csv" "${STD[@]}" --normalise minmax:1:100 --aggregate amean
check "the weight file is what makes the difference" bash -c \
	"! node '$CMP' '$T/eq.csv' '$G/variant_agg_amean_weights_alt.csv' score >/dev/null 2>&1"

# The engine refuses what COINr turns into infinity: fraction of max where
# an indicator's maximum is 0.
expect_exit 3 "fracmax with a zero maximum is refused" "$CDG" index run "${IN[@]}" \
	--out "$T/fracmax.csv" "${STD[@]}" --normalise fracmax
check "no results written for fracmax" test ! -e "$T/fracmax.csv"
# A geometric mean of zeros is refused too (min-max 0-100 has zeros).
expect_exit 3 "gmean of 0-100 data is refused" "$CDG" index run "${IN[@]}" \
	--out "$T/g.csv" "${STD[@]}" --aggregate gmean
err_has "node Physical, unit LAO: geometric mean of LPI = 0" "the refusal names the node, the unit and the value"

# Same seed, same Monte Carlo results whatever the number of threads.
M=(--methodology "$CDG_SRCDIR/data/index/coinr-asem-example.json" --mc 200 --seed 7)
expect_exit 0 "Monte Carlo, 1 thread" "$CDG" index run "${IN[@]}" "${M[@]}" --out "$T/mc1.csv" --threads 1
expect_exit 0 "Monte Carlo, 3 threads" "$CDG" index run "${IN[@]}" "${M[@]}" --out "$T/mc3.csv" --threads 3
check "MC results identical for 1 and 3 threads" cmp -s "$T/mc1.csv" "$T/mc3.csv"
check "MC adds rank_median,rank_p05,rank_p95" grep -q "^unit,node,score,rank,rank_median,rank_p05,rank_p95" "$T/mc1.csv"
check "the index has a rank interval" grep -qE "^AUT,Index,[0-9.]+,7,[0-9.]+,[0-9.]+,[0-9.]+" "$T/mc1.csv"
check "so do sub-indices and pillars" grep -qE "^AUT,Conn,[0-9.]+,9,[0-9.]+,[0-9.]+,[0-9.]+" "$T/mc1.csv"
check "pillar intervals vary by unit" bash -c "grep ',P2P,' '$T/mc1.csv' | cut -d, -f6,7 | sort -u | wc -l | grep -qv '^1\$'"
check "indicators have no interval" grep -qE "^AUT,LPI,[0-9.]+,7,,,\s*$" "$T/mc1.csv"
# Sensitivity: the Saltelli design on the vignette's four uncertain
# choices; thread count changes nothing, the seed does.
S=(--methodology "$CDG_SRCDIR/data/index/coinr-asem-example.json" --sobol 100 --seed 7)
expect_exit 0 "Sobol, 1 thread" "$CDG" index run "${IN[@]}" "${S[@]}" --out "$T/s1.csv" \
	--sensitivity "$T/S1.csv" --threads 1
expect_exit 0 "Sobol, 3 threads" "$CDG" index run "${IN[@]}" "${S[@]}" --out "$T/s3.csv" \
	--sensitivity "$T/S3.csv" --threads 3
check "Sobol indices identical for 1 and 3 threads" cmp -s "$T/S1.csv" "$T/S3.csv"
check "one row per uncertain choice" test "$(tr -d '\r' <"$T/S1.csv" | cut -d, -f1 | tr '\n' ' ')" = \
	"factor winmax normalisation weights aggregation "
check "Sobol N intervals are those of 2N Monte Carlo replications" cmp -s "$T/s1.csv" "$T/mc1.csv"
check "MC leaves the nominal scores alone" node "$CMP" "$T/mc1.csv" "$G/asem_example_aggregated.csv" score
# (Spelled out: a pattern substitution on M would also rewrite any 7 in
# the source path, which is random in CI.)
expect_exit 0 "Monte Carlo, another seed" "$CDG" index run "${IN[@]}" \
	--methodology "$CDG_SRCDIR/data/index/coinr-asem-example.json" --mc 200 --seed 8 --out "$T/mc8.csv"
check "another seed gives other intervals" bash -c "! cmp -s '$T/mc1.csv' '$T/mc8.csv'"

# Bad flags: usage errors (exit 2), nothing written.
bad_flag() {
	expect_exit 2 "$1" "$CDG" index run "${IN[@]}" --out "$T/bad.csv" "${@:2}"
	check "nothing written ($1)" test ! -e "$T/bad.csv"
}
bad_flag "unknown normalisation" --normalise logit
err_has "field --normalise: \"logit\": expected minmax:L:U" "the usage error names the flag and the choices"
bad_flag "minmax with reversed bounds" --normalise minmax:100:0
bad_flag "unknown aggregation" --aggregate median
bad_flag "genmean with p = 0" --aggregate genmean:0
bad_flag "unknown imputation" --impute mode
bad_flag "screen above 1" --screen 1.5
bad_flag "treat without winmax" --treat winsorise
bad_flag "unknown group column" --impute group-mean:Continent
bad_flag "Monte Carlo without an uncertainty section" --mc 10
expect_exit 2 "--idata without --imeta" "$CDG" index run --idata "$G/asem_iData.csv" --out "$T/bad.csv"

# Bad input tables: exit 3 naming file, line and field.
sed '3s/,4.1085380000000002,/,four,/' "$G/asem_iData.csv" >"$T/iData.csv"
expect_exit 3 "non-numeric iData cell" "$CDG" index run --idata "$T/iData.csv" \
	--imeta "$G/asem_iMeta.csv" --out "$T/bad.csv"
err_has "iData.csv:3: field LPI: \"four\" is not a number" "the error names file, line and field"
check "nothing written (iData)" test ! -e "$T/bad.csv"
done_testing
