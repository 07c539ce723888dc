#!/usr/bin/env bash
# Names of States (issue 16): the alias table and the non-UN entities that
# cdg init loads, the common forms every importer now accepts, the MISP
# galaxy's round trip through the registry's JSON export, and non-UN
# entities kept and flagged in the registry, refused by name elsewhere.
. "$(dirname "$0")/lib.sh"
SHARED="$CDG_SRCDIR/../shared"
REF="$CDG_SRCDIR/data/reference"
q() { sqlite3 "$CDG_DB" "$1"; }
rows() { sqlite3 :memory: ".import --csv $1 t" 'SELECT count(*) FROM t'; }

expect_exit 0 "init" "$CDG" init
check "every alias loaded" test "$(q 'SELECT count(*) FROM state_alias')" = "$(rows "$REF/state_aliases.csv")"
check "every non-UN entity loaded" test "$(q 'SELECT count(*) FROM non_un_entity')" = "$(rows "$REF/non_un_entities.csv")"
check "Kosovo under its user-assigned code" test "$(q "SELECT name || '|' || iso2 || '|' || code_status FROM non_un_entity WHERE code = 'XKX'")" = "Kosovo|XK|user_assigned"
check "no non-UN entity is a State" test "$(q 'SELECT count(*) FROM non_un_entity n JOIN country c ON c.iso3 = n.code OR c.iso2 = n.iso2')" = 0

# The reported name forms, each as an attributing party and as whom a
# statement names (registry CSV).
H='incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,norm_or_law_invoked,source_url,confidence'
form() { # NAME ISO3
	printf '%s\n"Names %s",2020,GBR,"%s",2021,t,,https://example.org/names,\n"Names by %s",2020,"%s",RUS,2021,t,,https://example.org/names,\n' \
		"$H" "$1" "$1" "$1" "$1" >"$T/form.csv"
	expect_exit 0 "\"$1\" is read" "$CDG" registry import "$T/form.csv"
	local t=${1//\'/\'\'}
	check "\"$1\" is $2 (named)" test "$(q "SELECT attributed_iso3 FROM reg_attribution a JOIN reg_incident i ON i.id = a.incident_id WHERE i.title = 'Names $t'")" = "$2"
	check "\"$1\" is $2 (attributing)" test "$(q "SELECT party_iso3 FROM reg_attribution a JOIN reg_incident i ON i.id = a.incident_id WHERE i.title = 'Names by $t'")" = "$2"
}
form "People's Republic of China" CHN
form "PRC" CHN
form "Cote d'Ivoire" CIV
form "Côte d'Ivoire" CIV
form "Congo, Democratic Republic of the" COD
form "Türkiye" TUR
form "Turkey" TUR
form "Turkiye" TUR
form "Korea, South" KOR
form "DPRK" PRK

# The shipped MISP galaxy: imported, exported as registry JSON, imported
# into a fresh database.
expect_exit 0 "MISP galaxy imports" "$CDG" registry import "$SHARED/vendor/misp-galaxy/threat-actor.json" --json
jq_is '.unresolved_sponsors' 0 "every MISP sponsor is a known name"
jq_is '.non_un_sponsors' 2 "two sponsors are non-UN entities (TW)"
check "APT41's sponsor is China" test "$(q "SELECT sponsor_iso3 FROM reg_actor WHERE name = 'APT41'")" = CHN
check "TW kept as written and flagged as Taiwan" test "$(q "SELECT DISTINCT coalesce(sponsor_iso3, '-') || '|' || sponsor_text || '|' || sponsor_entity || '|' || n.name FROM reg_actor a JOIN non_un_entity n ON n.code = a.sponsor_entity")" = "-|TW|TWN|Taiwan"
expect_exit 0 "JSON export" "$CDG" registry export --format json --out "$T/e.json"
CDG_DB="$T/two.db" "$CDG" init >/dev/null
expect_exit 0 "the JSON export imports into a fresh database" env CDG_DB="$T/two.db" "$CDG" registry import "$T/e.json"
check "APT41 still sponsored by China" test "$(sqlite3 "$T/two.db" "SELECT sponsor_iso3 FROM reg_actor WHERE name = 'APT41'")" = CHN
check "TW still flagged as Taiwan" test "$(sqlite3 "$T/two.db" "SELECT count(*) FROM reg_actor WHERE sponsor_entity = 'TWN' AND sponsor_text = 'TW' AND sponsor_iso3 IS NULL")" = 2
expect_exit 0 "export again" env CDG_DB="$T/two.db" "$CDG" registry export --format json --out "$T/e2.json"
check "every actor's sponsor survives the round trip" cmp <(jq -c '.actors[] | [.id, .sponsor]' "$T/e.json") <(jq -c '.actors[] | [.id, .sponsor]' "$T/e2.json")

# A non-UN victim is kept by name, flagged, and exported by name.
cat >"$T/hk.json" <<'JSON'
{"format": "cdg-registry/1", "incidents": [{"incident": "Names: HK victim", "incident_date": "2019-06",
 "victim_states": ["Hong Kong", "GB"], "attributions": []}], "actors": [
 {"id": "intrusion-set--6f1ad7a4-23b1-4a0e-9a7e-0d3c1c9a6b01", "kind": "intrusion-set", "name": "Names test set", "sponsor": "Taiwan"}]}
JSON
expect_exit 0 "a non-UN victim and sponsor import" "$CDG" registry import "$T/hk.json"
check "Hong Kong kept as a flagged victim" test "$(q "SELECT v.entity FROM reg_incident_entity v JOIN reg_incident i ON i.id = v.incident_id WHERE i.title = 'Names: HK victim'")" = HKG
check "never as a State" test "$(q "SELECT group_concat(iso3) FROM reg_incident_victim v JOIN reg_incident i ON i.id = v.incident_id WHERE i.title = 'Names: HK victim'")" = GBR
check "a sponsor named Taiwan is flagged" test "$(q "SELECT sponsor_entity FROM reg_actor WHERE name = 'Names test set'")" = TWN
expect_exit 0 "export with the non-UN victim" "$CDG" registry export --format json --out "$T/hk-out.json"
check "exported by name beside the State" test "$(jq -c '.incidents[] | select(.incident == "Names: HK victim") | .victim_states' "$T/hk-out.json")" = '["GBR","Hong Kong"]'
CDG_DB="$T/three.db" "$CDG" init >/dev/null
expect_exit 0 "and imported back" env CDG_DB="$T/three.db" "$CDG" registry import "$T/hk-out.json"
check "still a flagged victim" test "$(sqlite3 "$T/three.db" "SELECT count(*) FROM reg_incident_entity WHERE entity = 'HKG'")" = 1

# Refusals name what the text is.
audit=$(q 'SELECT count(*) FROM audit_log')
printf '%s\nX,2020,GBR,Taiwan,2021,t,,https://example.org/x,\n' "$H" >"$T/tw.csv"
expect_exit 3 "an attribution to a non-UN entity is refused" "$CDG" registry import "$T/tw.csv"
err_has 'tw.csv:2: field attributed_to: "Taiwan" is Taiwan (TWN), a non-UN entity, not a UN member or observer State' "named as a non-UN entity"
printf '%s\nX,2020,GBR,Rusia,2021,t,,https://example.org/x,\n' "$H" >"$T/typo.csv"
expect_exit 3 "a misspelt State is refused" "$CDG" registry import "$T/typo.csv"
err_has 'unknown state "Rusia" (did you mean "Russian Federation"?)' "with the closest name"
printf 'indicator,country,year,value,source_url\nCDG2.1.1,TWN,2024,1,https://example.org/x\n' >"$T/obs.csv"
expect_exit 3 "an observation for a non-UN entity is refused" "$CDG" data import "$T/obs.csv"
err_has 'obs.csv:2: field country: "TWN" is Taiwan (TWN), a non-UN entity, not a UN member or observer State' "named as a non-UN entity"
printf 'iso3,article_id,covered,legal_citation,source_url,note,basis\nHKG,BC2,no,,,TEST,sample_unverified\n' >"$T/crime.csv"
expect_exit 3 "crime coverage for a non-UN entity is refused" "$CDG" crime coverage import "$T/crime.csv"
err_has '"HKG" is Hong Kong (HKG), a non-UN entity' "named as a non-UN entity"
check "nothing written by the refusals" test "$(q 'SELECT count(*) FROM audit_log')" = "$audit"

done_testing
