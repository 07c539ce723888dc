#!/usr/bin/env bash
# Benchmark (issue 3): import 1,000,000 observation rows from CSV, fully
# validated, into the database, against the sqlite3 shell's .import of the
# same file into a plain table.  Prints both times, the ratio and the peak
# memory of each (memory must stay flat in the file size: it also imports a
# file a tenth the size and prints its peak).
#
#   bench/import.sh [BUILD_DIR]        (default: build)
#
# Measure the hardened release build, as scripts/run builds it:
#   meson setup build-release --buildtype=release -Dtests=false -Dhardened=true
#   ninja -C build-release && bench/import.sh build-release
# Wall times on a shared machine are noisy; the CPU times (user + system)
# printed beside them vary less.
#
# The data are SYNTHETIC: 1,000,000 distinct (indicator, state, year) keys
# need more indicators than the catalog has, so the benchmark adds 168
# synthetic copies of indicator CDG2.1.1 to a private copy of the catalog.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cdg=$PWD/$build/src/cli/cdg
[ -x "$cdg" ] || { echo "build first: ninja -C $build" >&2; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

cp -r data "$T/data"
jq '.indicators += [range(100; 268) as $k | (.indicators[] | select(.id == "CDG2.1.1"))
	| .id = "CDG2.1.\($k)" | .name = "SYNTHETIC benchmark copy \($k)"]' \
	data/framework/indicators.json >"$T/data/framework/indicators.json"

# 175 indicators x 195 states x 30 years = 1,023,750 keys; take 1,000,000.
gen() { # ROWS FILE
	awk -v rows="$1" -F, 'NR == FNR { if (FNR > 1) iso[n++] = $1; next }
	BEGIN { srand(42) }
	END {
		print "indicator,country,year,value,source_url,note"
		ninds = split("CDG2.1.1 CDG4.3.1 CDG1.1.1 CDG6.1.1 CDG7.1.1 CDG8.1.1 CDG9.1.1", base, " ")
		for (k = 100; k < 268; k++) base[++ninds] = "CDG2.1." k
		while (1) for (y = 1995; y < 2025; y++) for (i = 1; i <= ninds; i++) for (c = 0; c < n; c++) {
			if (out++ >= rows) exit
			printf "%s,%s,%d,%d,https://example.org/synthetic/%s/%d,SYNTHETIC benchmark row\n",
				base[i], iso[c], y, int(rand() * 2), iso[c], y
		}
	}' data/reference/un_member_states.csv /dev/null >"$2"
}
gen 1000000 "$T/big.csv"
gen 100000 "$T/small.csv"
echo "input: $(($(wc -l <"$T/big.csv") - 1)) rows, $(du -m "$T/big.csv" | cut -f1) MB (synthetic)"

# Prints: wall seconds, CPU seconds (user + system), peak RSS in KiB.
peak() { /usr/bin/time -f '%e %U %S %M' -o "$T/time" "$@" >/dev/null
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$T/time"; }

"$cdg" init --db "$T/cdg.db" --data "$T/data" >/dev/null
read -r cdg_s cdg_cpu cdg_kb < <(peak "$cdg" data import "$T/big.csv" --db "$T/cdg.db")
rows=$(sqlite3 "$T/cdg.db" "SELECT count(*) FROM observation WHERE batch_id IN (SELECT id FROM import_batch WHERE kind = 'observations')")
[ "$rows" = 1000000 ] || { echo "imported $rows rows, wanted 1000000" >&2; exit 1; }

"$cdg" init --db "$T/small.db" --data "$T/data" >/dev/null
read -r _ _ small_kb < <(peak "$cdg" data import "$T/small.csv" --db "$T/small.db")

printf '.mode csv\n.import %s obs\n' "$T/big.csv" >"$T/import.sql"
read -r sq_s sq_cpu sq_kb < <(peak sqlite3 "$T/plain.db" ".read $T/import.sql")

echo "cdg data import, 1,000,000 rows validated: ${cdg_s} s (CPU ${cdg_cpu} s), peak ${cdg_kb} KiB"
echo "sqlite3 .import into a plain table:        ${sq_s} s (CPU ${sq_cpu} s), peak ${sq_kb} KiB"
awk -v a="$cdg_s" -v b="$sq_s" -v c="$cdg_cpu" -v d="$sq_cpu" 'BEGIN {
	printf "ratio cdg/sqlite3: %.2f (target <= 3; CPU ratio %.2f)\n", a / b, c / d }'
echo "peak memory, 100,000-row file: ${small_kb} KiB (flat: same order as for 1,000,000)"
