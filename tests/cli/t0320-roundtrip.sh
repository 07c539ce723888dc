#!/usr/bin/env bash
# The registry's exchange formats are lossless (issue 16): export, import
# into a fresh database (no registry records), export again gives the same
# bytes, and the records are equal field by field, for CSV, registry JSON
# and STIX 2.1, on the data cdg init loads and on the registry after the
# ATT&CK, MISP and OASIS imports.  Then each bug reported in issue 16.
. "$(dirname "$0")/lib.sh"
SHARED="$CDG_SRCDIR/../shared"
V="$SHARED/vendor"
q() { sqlite3 "$CDG_DB" "$1"; }

# A data folder whose registry files hold their header only: cdg init
# gives a fresh database with an empty registry.
cp -r "$CDG_SRCDIR/data" "$T/empty"
for f in evidence/attributions.csv evidence/doctrines.csv reference/national_positions_il.csv; do
	head -1 "$T/empty/$f" >"$T/x" && mv "$T/x" "$T/empty/$f"
done
fresh() { rm -f "$1"; "$CDG" init --db "$1" --data "$T/empty" >/dev/null; }

# dump DB [TABLES]: every registry record, one JSON object a line, in key
# order; origin (the file a record was last read from) left out.
ALL="reg_incident reg_incident_victim reg_incident_sector reg_attribution reg_invocation reg_response reg_actor reg_actor_rel reg_standard reg_doctrine reg_position"
dump() {
	local db=$1; shift
	for t in ${*:-$ALL}; do
		cols=$(sqlite3 "$db" "SELECT group_concat(quote(name) || ', ' || name, ', ') FROM pragma_table_info('$t') WHERE name NOT IN ('origin', 'sponsor_entity')")
		sqlite3 "$db" "SELECT '$t', json_object($cols) FROM $t ORDER BY 2"
	done
}
# What each format carries (docs/registry.md, "Round trips").
STIX_TABLES="reg_incident reg_incident_victim reg_incident_sector reg_attribution reg_invocation reg_response reg_actor reg_actor_rel"
CSV_TABLES="reg_incident reg_attribution reg_invocation"
no_stamps() { sed 's/,"created":"[^"]*","modified":"[^"]*"//'; }

# round_trip LABEL DB FORMAT [--all-actors]
round_trip() {
	local label=$1 db=$2 f=$3 all=${4:-}
	CDG_NOW=2026-01-01T00:00:00 "$CDG" --db "$db" registry export --format "$f" $all --out "$T/one.$f"
	fresh "$T/two.db"
	expect_exit 0 "$label: $f export imports into a fresh database" "$CDG" --db "$T/two.db" registry import "$T/one.$f"
	CDG_NOW=2026-06-30T12:00:00 "$CDG" --db "$T/two.db" registry export --format "$f" $all --out "$T/two.$f"
	check "$label: $f exported again is byte-identical" cmp "$T/one.$f" "$T/two.$f"
	case $f in
	json) dump "$db" >"$T/a.dump"; dump "$T/two.db" >"$T/b.dump" ;;
	stix) dump "$db" $STIX_TABLES >"$T/a.dump"; dump "$T/two.db" $STIX_TABLES >"$T/b.dump" ;;
	csv) dump "$db" $CSV_TABLES | no_stamps >"$T/a.dump"; dump "$T/two.db" $CSV_TABLES | no_stamps >"$T/b.dump" ;;
	esac
	check "$label: $f records equal field by field" cmp "$T/a.dump" "$T/b.dump"
}

# 1. The data cdg init loads.
expect_exit 0 "init" "$CDG" init
for f in csv json stix; do round_trip "shipped data" "$CDG_DB" $f; done

# 2. The registry after ATT&CK for ICS, the MISP galaxy and OASIS's apt1.
fresh "$T/ext.db"
for f in "$V/mitre-attack-ics/ics-attack-18.1.json" "$V/misp-galaxy/threat-actor.json" \
	"$V/stix2-schemas/examples/threat-reports/apt1.json"; do
	expect_exit 0 "import $(basename "$f")" "$CDG" --db "$T/ext.db" registry import "$f"
done
for f in json stix; do round_trip "ATT&CK, MISP, apt1" "$T/ext.db" $f --all-actors; done
# CSV carries no ids: records read from STIX get ids derived from their
# titles, so the rows come back in another order (docs/registry.md).
"$CDG" --db "$T/ext.db" registry export --format csv --out "$T/one.csv"
fresh "$T/two.db"
"$CDG" --db "$T/two.db" registry import "$T/one.csv" >/dev/null
"$CDG" --db "$T/two.db" registry export --format csv --out "$T/two.csv"
check "ATT&CK: csv exported again has the same rows (sorted)" cmp <(sort "$T/one.csv") <(sort "$T/two.csv")

# The STIX exports still pass the official-schema checker, with no
# warning (a re-export once warned "duplicate object version").
mkdir -p "$T/tools"
cp "$SHARED/tools/validate-stix.mjs" "$T/tools/"
ln -s "$CDG_SRCDIR/tests/js/node_modules" "$T/tools/node_modules"
stix_valid() { node "$T/tools/validate-stix.mjs" --strict-refs --schemas "$SHARED/vendor/stix2-schemas/schemas" "$1" >"$T/v.out" 2>&1 && grep -q "0 errors, 0 warnings" "$T/v.out"; }
check "STIX of ATT&CK, MISP, apt1 validates, 0 warnings" stix_valid "$T/two.stix"
"$CDG" registry export --format stix --out "$T/s1.json"
fresh "$T/s.db"
"$CDG" --db "$T/s.db" registry import "$T/s1.json" >/dev/null
"$CDG" --db "$T/s.db" registry export --format stix --out "$T/s2.json"
check "STIX re-exported validates, 0 warnings" stix_valid "$T/s2.json"

# 3. The bugs of issue 16.
# STIX into a database that has the same records: nothing duplicated.
"$CDG" init --db "$T/dup.db" >/dev/null
incidents=$(sqlite3 "$T/dup.db" 'SELECT count(*) FROM reg_incident')
expect_exit 0 "STIX export into an init'd database" "$CDG" --db "$T/dup.db" registry import "$T/s1.json"
check "no incident twice ($incidents)" test "$(sqlite3 "$T/dup.db" "SELECT count(*) FROM reg_incident")" = "$incidents"
check "one id form: no incident-- prefix stored" test "$(sqlite3 "$T/s.db" "SELECT count(*) FROM reg_incident WHERE id LIKE '%--%'")" = 0
check "incident dates survive STIX" test "$(sqlite3 "$T/s.db" 'SELECT count(*) FROM reg_incident WHERE start_date IS NOT NULL')" = "$(q 'SELECT count(*) FROM reg_incident WHERE start_date IS NOT NULL')"
check "notes survive STIX" test "$(sqlite3 "$T/s.db" 'SELECT count(*) FROM reg_attribution WHERE note IS NOT NULL')" = "$(q 'SELECT count(*) FROM reg_attribution WHERE note IS NOT NULL')"
check "a State alone stays a State (no 'State organs of' actor)" test "$(sqlite3 "$T/s.db" "SELECT count(*) FROM reg_actor WHERE name LIKE 'State organs of%'") $(sqlite3 "$T/s.db" "SELECT count(*) FROM reg_attribution WHERE actor_text LIKE 'State organs of%'")" = "0 0"
# created and modified: stable across exports, changed with the record.
CDG_NOW=2026-03-01T00:00:00 "$CDG" registry export --format stix --out "$T/t1.json"
CDG_NOW=2026-09-01T00:00:00 "$CDG" registry export --format stix --out "$T/t2.json"
check "STIX created/modified do not change with the time of export" cmp "$T/t1.json" "$T/t2.json"
id=$(q "SELECT id FROM reg_attribution ORDER BY id LIMIT 1")
created=$(q "SELECT created FROM reg_attribution WHERE id = '$id'")
jq --arg id "$id" '{format: .format, incidents: [.incidents[] | select(any(.attributions[]; .id == $id)) | .attributions |= map(select(.id == $id) | .confidence = 7 | del(.created, .modified))]}' "$T/one.json" >/dev/null 2>&1
"$CDG" registry export --format json --out "$T/r.json"
jq --arg id "$id" '.incidents |= map(.attributions |= map(if .id == $id then (.confidence = 7 | del(.created, .modified)) else . end))' "$T/r.json" >"$T/r2.json"
sleep 1
expect_exit 0 "revise one attribution" "$CDG" registry import "$T/r2.json"
check "its created is kept" test "$(q "SELECT created FROM reg_attribution WHERE id = '$id'")" = "$created"
check "its modified moved on, the others' did not" test "$(q "SELECT count(*) FROM reg_attribution WHERE modified > created")" = 1

# CSV and JSON: an actor named like a State stays an actor.
H='incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,norm_or_law_invoked,source_url,party_kind,attributed_actor'
printf '%s\nSome campaign,2020,European Union,,2021,EU statement,,https://example.org/eu,organisation,Russian Federation\n' "$H" >"$T/ru.csv"
fresh "$T/ru.db"
expect_exit 0 "import an EU statement naming 'Russian Federation' as the actor" "$CDG" --db "$T/ru.db" registry import "$T/ru.csv"
for f in csv json; do
	"$CDG" --db "$T/ru.db" registry export --format $f --out "$T/ru.$f"
	fresh "$T/ru2.db"
	"$CDG" --db "$T/ru2.db" registry import "$T/ru.$f" >/dev/null
	check "$f: the actor 'Russian Federation' comes back as an actor" test "$(sqlite3 "$T/ru2.db" "SELECT coalesce(actor_text, '-') || '|' || coalesce(attributed_iso3, 'none') FROM reg_attribution")" = "Russian Federation|none"
done

# Incident identity: case and spacing do not make a second incident.
printf 'incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,norm_or_law_invoked,source_url\nCloud Hopper ,2017,GBR,CHN,2018,UK statement,,https://example.org/uk\ncloud   hopper,2017,USA,CHN,2018,US statement,,https://example.org/us\n' >"$T/id.csv"
fresh "$T/id.db"
expect_exit 0 "import two spellings of one incident" "$CDG" --db "$T/id.db" registry import "$T/id.csv"
check "one incident, its first spelling kept" test "$(sqlite3 "$T/id.db" "SELECT count(*) || '|' || min(title) FROM reg_incident")" = "1|Cloud Hopper "
printf 'incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,norm_or_law_invoked,source_url\nCLOUD HOPPER,2017,NLD,CHN,2018,NL statement,,https://example.org/nl\n' >"$T/id2.csv"
expect_exit 0 "import it again in capitals" "$CDG" --db "$T/id.db" registry import "$T/id2.csv"
check "still one incident with its first spelling, three statements" test "$(sqlite3 "$T/id.db" "SELECT (SELECT count(*) FROM reg_incident) || '|' || (SELECT title FROM reg_incident) || '|' || (SELECT count(*) FROM reg_attribution)")" = "1|Cloud Hopper |3"

# STIX from others: apt1's intrusion set -> threat actor links are kept
# and said; ATT&CK's and MISP's Sandworm are linked with their basis.
fresh "$T/o.db"
expect_exit 0 "apt1.json" "$CDG" --db "$T/o.db" registry import "$V/stix2-schemas/examples/threat-reports/apt1.json" --json
jq_is '.actor_links' 3 "apt1: APT1 attributed to three threat actors, reported"
check "apt1: the links are stored with their relationship" test "$(sqlite3 "$T/o.db" "SELECT count(*) FROM reg_actor_rel WHERE source LIKE 'relationship--%'")" = 3
"$CDG" --db "$T/o.db" registry import "$V/mitre-attack-ics/ics-attack-18.1.json" >/dev/null
"$CDG" --db "$T/o.db" registry import "$V/misp-galaxy/threat-actor.json" >/dev/null
expect_exit 0 "actors named Sandworm" "$CDG" --db "$T/o.db" registry actors Sandworm --json
jq_is '[.[] | select(.name == "Sandworm") | .same_group[] | select(.name == "Sandworm Team") | .basis][0]' "ATT&CK group G0034" "MISP's Sandworm is ATT&CK's Sandworm Team (G0034)"
jq_is '[.[] | select(.name == "Sandworm Team") | .same_group[] | select(.name == "Sandworm") | .origin][0]' "threat-actor.json" "the link names its source"
jq_is '[.[] | select(.name == "Sandworm") | .sponsor][0]' RUS "MISP's sponsor shown beside it"
expect_exit 0 "actors, text" "$CDG" --db "$T/o.db" registry actors "APT1"
check "text view shows the link and its basis" grep -q 'same group as APT1 (apt1.json): same name "APT1"' "$T/out"

# Messages: a bundle error names the object by its id; counts agree.
printf '{"type": "bundle", "id": "bundle--6b4e4a1e-2a7b-4a0e-9d0c-6a2b1f1c2d3e", "objects": [{"type": "intrusion-set", "id": "intrusion-set--nope", "name": "x"}]}' >"$T/b.json"
expect_exit 3 "a bad STIX id" "$CDG" --db "$T/o.db" registry import "$T/b.json"
err_has "object intrusion-set--nope: id must be" "the object is named by its id"
check "not by its position" bash -c "! grep -q '#1' '$T/err'"
err_has "1 fault; nothing written" "one fault, singular"
printf '%s\nX,2020,Narnia,RUS,2021,t,,https://x.org,,\nY,2020,Oz,RUS,2021,t,,https://x.org,,\n' "$H" >"$T/b2.csv"
expect_exit 3 "two bad rows" "$CDG" --db "$T/o.db" registry import "$T/b2.csv"
err_has "2 faults; nothing written" "two faults, plural"

done_testing
