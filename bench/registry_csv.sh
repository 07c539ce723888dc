#!/usr/bin/env bash
# Benchmark (issue 16): `cdg registry import` of a registry CSV, every row
# checked (the same checks as any import: names, dates, norm references,
# the same attribution twice), into a fresh database.  For each size it
# prints the rows, wall seconds, CPU seconds, rows per second and peak
# memory; the target is 1,000,000 rows (about 200 MB) in under 60 s with
# memory roughly proportional to the rows held (the importer checks the
# whole file before it writes anything, so it keeps every record).
#
#   bench/registry_csv.sh [BUILD_DIR [ROWS...]]
#        (default: build, and 32000 64000 128000 1000000)
#
# Measure the hardened release build, as scripts/run builds it:
#   meson setup build-release --buildtype=release -Dtests=false -Dhardened=true
#   ninja -C build-release && bench/registry_csv.sh build-release
#
# The rows are SYNTHETIC but shaped like data/evidence/attributions.csv:
# incidents with 1 to 8 attributions each, by States (codes and UN names),
# the EU and NATO, groups of States ("NLD+GBR"); attributed to a State or
# to an actor and its alleged sponsor; norms and rules of international
# law invoked in the forms docs/registry.md lists, or none; confidence in
# numbers and words.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(32000 64000 128000 1000000)
cdg=$PWD/$build/src/cli/cdg
[ -x "$cdg" ] || { echo "build first: ninja -C $build" >&2; exit 2; }
T=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

gen() { # ROWS FILE
	awk -v rows="$1" -F, 'NR == FNR { if (FNR > 1) { iso[n] = $1; name[n++] = $3 }; next }
	function pick(a, k) { return a[int(rand() * k)] }
	function party() {
		r = rand()
		if (r < 0.45) return iso[int(rand() * n)]
		if (r < 0.75) { s = name[int(rand() * n)]; return s ~ /[",]/ ? iso[int(rand() * n)] : s }
		if (r < 0.85) return pick(orgs, norgs)
		return iso[int(rand() * n)] "+" iso[int(rand() * n)]
	}
	function kind(p) {
		if (p == "European Union" || p == "NATO" || p == "G7") return "organisation"
		return p ~ /\+/ ? "state_group" : "state"
	}
	BEGIN { srand(42); n = 0
		norgs = split("European Union|NATO|G7", orgs, "|")
		for (i = 1; i <= norgs; i++) orgs[i - 1] = orgs[i]
		nact = split("APT28 (RUS)|Sandworm (RUS)|Lazarus Group (PRK)|APT41 (CHN)|APT10 (CHN)|Charming Kitten (IRN)|OilRig (IRN)|Unknown group (unknown)|RUS|CHN|PRK|IRN|Russian Federation|Democratic People'\''s Republic of Korea", act, "|")
		for (i = 1; i <= nact; i++) act[i - 1] = act[i]
		nnorm = split("|13(f)|f: damaged critical infrastructure|13(k); sovereignty|UN Charter|international law and norms of responsible state behaviour|13(c): allowed its territory to be used|non-intervention in internal affairs|criminal charges under domestic law|sanctions|13(g); 13(f)|cf. GGE 2015 norm 13(f)", norm, "|")
		for (i = 1; i <= nnorm; i++) norm[i - 1] = norm[i]
		nconf = split("|85|high|medium|highly likely|60|low|almost certain", conf, "|")
		for (i = 1; i <= nconf; i++) conf[i - 1] = conf[i]
		nbasis = split("|technical|political|legal", basis, "|")
		for (i = 1; i <= nbasis; i++) basis[i - 1] = basis[i]
		nsec = split("electricity grid|health services|government networks|elections|water utilities|banks|telecommunications|shipping", sec, "|")
	}
	END {
		print "incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,norm_or_law_invoked,source_url,party_kind,confidence,basis,note"
		while (out < rows) {
			inc++
			y = 2005 + int(rand() * 19); m = 1 + int(rand() * 12); d = 1 + int(rand() * 28)
			idate = sprintf("%04d-%02d-%02d", y, m, d)
			title = sprintf("SYNTHETIC incident %d against %s", inc, sec[1 + int(rand() * nsec)])
			to = pick(act, nact)
			k = 1 + int(rand() * 8)
			for (j = 0; j < k && out < rows; j++) {
				p = party()
				ay = y + int(rand() * 2); am = 1 + int(rand() * 12)
				adate = sprintf("%04d-%02d-%02d", ay, ay == y && am < m ? m : am, 28)
				printf "%s,%s,%s,%s,%s,Statement %d by %s on incident %d,%s,https://example.org/synthetic/%d/%d,%s,%s,%s,SYNTHETIC benchmark row\n",
					title, idate, p, to, adate, j + 1, p, inc, pick(norm, nnorm), inc, j,
					kind(p), pick(conf, nconf), pick(basis, nbasis)
				out++
			}
		}
	}' data/reference/un_member_states.csv /dev/null >"$2"
}

# Prints: wall seconds, CPU seconds (user + system), peak RSS in KiB.
peak() { /usr/bin/time -f '%e %U %S %M' -o "$T/time" "$@" >"$T/out"
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$T/time"; }

printf '%9s %8s %9s %9s %10s %12s\n' rows MB seconds "CPU s" rows/s "peak KiB"
for n in "${sizes[@]}"; do
	gen "$n" "$T/reg.csv"
	mb=$(du -m "$T/reg.csv" | cut -f1)
	rm -f "$T/cdg.db"*
	"$cdg" init --db "$T/cdg.db" >/dev/null
	read -r s cpu kb < <(peak "$cdg" registry import "$T/reg.csv" --db "$T/cdg.db" --json)
	got=$(jq .attributions "$T/out")
	[ "$got" = "$n" ] || { echo "imported $got attributions, wanted $n" >&2; exit 1; }
	awk -v n="$n" -v mb="$mb" -v s="$s" -v c="$cpu" -v kb="$kb" 'BEGIN {
		printf "%9d %8d %9.2f %9.2f %10.0f %12d\n", n, mb, s, c, n / (s > 0 ? s : 0.01), kb }'
done
