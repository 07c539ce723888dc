#!/usr/bin/env bash
# Benchmark (issue 7): `cdg crime matrix` for 193 x 193 states x all ten
# ETS 185 offences, on a real database (cdg init + the coverage SAMPLE).
# Prints the wall time of the whole command (process start, database
# reads, the matrix, 185,280 CSV rows), the best of RUNS, and the
# in-process split the command itself reports (--json: load, compute).
# The target (< 100 ms) is for the matrix; the engine alone on synthetic
# data is bench/bench_crime.
#
#   bench/crime_matrix.sh [BUILD_DIR] [RUNS]     (default: build 10)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
runs=${2:-10}
case $build in /*) ;; *) build=$PWD/$build ;; esac
cdg=$build/src/cli/cdg
[ -x "$cdg" ] || { echo "build first: ninja -C $build" >&2; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CDG_DB="$T/cdg.db" CDG_DATA="$PWD/data"
"$cdg" init >/dev/null
"$cdg" crime coverage import data/crime/coverage_sample.csv >/dev/null

best() { # COMMAND...: best wall time in ms over $runs runs
	local b=999999 t0 t1 ms
	for _ in $(seq "$runs"); do
		t0=$(date +%s%N)
		"$@" >/dev/null
		t1=$(date +%s%N)
		ms=$(( (t1 - t0) / 1000 ))
		[ "$ms" -lt "$b" ] && b=$ms
	done
	awk -v us="$b" 'BEGIN { printf "%.1f", us / 1000 }'
}
csv_ms=$(best "$cdg" crime matrix --offence all --date 2026-01-01 --csv)
one_ms=$(best "$cdg" crime matrix --offence BC2 --date 2026-01-01 --csv)
json_ms=$(best "$cdg" crime matrix --offence all --date 2026-01-01 --json)
start_ms=$(best "$cdg" version)
rows=$(( $("$cdg" crime matrix --offence all --date 2026-01-01 --csv | wc -l) - 1 ))
"$cdg" crime matrix --offence all --date 2026-01-01 --json >"$T/r.json"
read -r load compute total < <(jq -r '"\(.ms_load) \(.ms_compute) \(.ms_total)"' "$T/r.json")
echo "cdg crime matrix, 193 x 193 states x 10 offences ($rows CSV rows), best of $runs:"
echo "  whole command, CSV to /dev/null:     ${csv_ms} ms"
echo "  whole command, one offence (BC2):    ${one_ms} ms"
echo "  whole command, --json (no CSV):      ${json_ms} ms"
echo "  process start alone (cdg version):   ${start_ms} ms"
printf '  inside the command: load %.1f ms, matrix %.1f ms, total %.1f ms\n' \
	"$load" "$compute" "$total"
awk -v t="$csv_ms" 'BEGIN { printf "target < 100 ms for the whole command: %s\n", t < 100 ? "met" : "NOT met" }'
