#!/usr/bin/env bash
# Benchmark (issue 5): import real third-party threat-intelligence files
# into the accountability registry, every object checked, and export the
# result as a STIX 2.1 bundle.  Prints the wall time and peak memory of
# each step.
#
#   bench/registry_import.sh [BUILD_DIR]        (default: build)
#
# Inputs (all real, see ../shared/vendor/*/SOURCE.md): MITRE ATT&CK for ICS
# 18.1 (1,826 STIX objects, 3.5 MB), the MISP galaxy threat-actor.json
# (1,041 actors, 1.4 MB), the OASIS example bundles, and the 22 seed
# attributions cdg init loads.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cdg=$PWD/$build/src/cli/cdg
[ -x "$cdg" ] || { echo "build first: ninja -C $build" >&2; exit 2; }
shared=$PWD/../shared
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CDG_DB="$T/cdg.db"

run() { # LABEL COMMAND...
	local label=$1; shift
	/usr/bin/time -f '%e %M' -o "$T/time" "$@" >"$T/out"
	read -r s kb <"$T/time"
	printf '%-44s %6.2f s  peak %6d KiB  %s\n' "$label" "$s" "$kb" "$(head -n 1 "$T/out" | cut -c 1-110)"
}

run "cdg init (with the 22 seed attributions)" "$cdg" init
run "ATT&CK for ICS 18.1 (1,826 objects)" "$cdg" registry import "$shared/vendor/mitre-attack-ics/ics-attack-18.1.json"
run "MISP galaxy threat-actor.json (1,041)" "$cdg" registry import "$shared/vendor/misp-galaxy/threat-actor.json"
run "OASIS apt1.json" "$cdg" registry import "$shared/vendor/stix2-schemas/examples/threat-reports/apt1.json"
run "OASIS poisonivy.json" "$cdg" registry import "$shared/vendor/stix2-schemas/examples/threat-reports/poisonivy.json"
run "ATT&CK again (nothing changes)" "$cdg" registry import "$shared/vendor/mitre-attack-ics/ics-attack-18.1.json"
run "export STIX 2.1, every actor" "$cdg" registry export --format stix --all-actors --out "$T/all.stix.json"
echo "bundle: $(jq '.objects | length' "$T/all.stix.json") objects, $(du -k "$T/all.stix.json" | cut -f1) KiB"
