#!/usr/bin/env bash
# The accountability registry: what cdg init loads, imports (CSV, JSON,
# STIX, ATT&CK, MISP), queries, the country profile, the derived indicator,
# exports (STIX validated against the OASIS schemas), and every kind of bad
# input refused with exit 3 and nothing written.
. "$(dirname "$0")/lib.sh"
SHARED="$CDG_SRCDIR/../shared"
q() { sqlite3 "$CDG_DB" "$1"; }

expect_exit 0 "init" "$CDG" init
check "22 seed attributions loaded" test "$(q 'SELECT count(*) FROM reg_attribution')" = 22
check "8 seed incidents" test "$(q 'SELECT count(*) FROM reg_incident')" = 8
check "28 positions on international law" test "$(q 'SELECT count(*) FROM reg_position')" = 28
check "sector catalog (NIS2 Annexes I and II)" test "$(q 'SELECT count(*) FROM reg_sector')" = 33
check "EU resolved as an organisation" test "$(q "SELECT DISTINCT party_kind FROM reg_attribution WHERE party_name = 'European Union'")" = organisation
check "UK resolved from its code" test "$(q "SELECT count(*) FROM reg_attribution WHERE party_iso3 = 'GBR'")" = 6
check "free text kept as written" test "$(q "SELECT text FROM reg_invocation WHERE kind = 'international_law' AND rule = 'sovereignty' ORDER BY text LIMIT 1")" = "sovereignty of Georgia"
check "general reference is general, not a rule" test "$(q "SELECT kind FROM reg_invocation WHERE text LIKE 'general reference%'")" = general
check "US indictment is domestic law" test "$(q "SELECT kind FROM reg_invocation WHERE text LIKE 'US federal criminal law%'")" = domestic_law
check "empty field stays unverified" test "$(q "SELECT count(*) FROM reg_attribution WHERE invoked IS NULL")" = 10
check "every registry row is audited" test "$(q "SELECT count(*) FROM audit_log WHERE entity = 'reg_attribution' AND action = 'insert'")" = 22

# CDG6.2.1 from the registry: GBR 2018 = 2 of 4 verified statements
# (sovereignty of Ukraine, the 2015 commitments) name the breach.
check "CDG6.2.1 GBR 2018 is 50" test "$(q "SELECT value FROM observation WHERE indicator_id = 'CDG6.2.1' AND iso3 = 'GBR' AND year = 2018")" = 50.0
check "CDG6.2.1 USA 2020: general framework and indictment do not count" test "$(q "SELECT value FROM observation WHERE indicator_id = 'CDG6.2.1' AND iso3 = 'USA' AND year = 2020")" = 0.0
check "CDG6.2.1 has a source" test "$(q "SELECT count(*) FROM observation WHERE indicator_id = 'CDG6.2.1' AND source NOT LIKE 'http%'")" = 0
check "no value for a state with no verified statement (AUS)" test "$(q "SELECT count(*) FROM observation WHERE indicator_id = 'CDG6.2.1' AND iso3 = 'AUS'")" = 0

before=$(q 'SELECT count(*) FROM audit_log')
expect_exit 0 "init again" "$CDG" init
check "re-init writes nothing" test "$(q 'SELECT count(*) FROM audit_log')" = "$before"

# Queries.
expect_exit 0 "incidents --json" "$CDG" incidents --json
jq_is 'length' 8 "eight incidents"
jq_is '[.[] | select(.title == "WannaCry ransomware") | .attributions | length][0]' 5 "WannaCry has five attributions"
expect_exit 0 "incidents --state PRK" "$CDG" incidents --state PRK --json
jq_is 'length' 1 "one incident attributed to PRK"
expect_exit 0 "incidents --state GEO (attributing party)" "$CDG" incidents --state GEO --json
jq_is '.[0].title' "Cyber attack on Georgian websites and broadcasters" "Georgia's own attribution"
expect_exit 0 "full-text search" "$CDG" incidents --search "sanctions cyber-attacks" --json
jq_is 'length' 4 "the EU 2020 statement covers four incidents"
expect_exit 0 "search over descriptions ignores case" "$CDG" incidents --search "wannacry" --json
jq_is 'length' 1 "WannaCry found"
expect_exit 0 "since" "$CDG" incidents --since 2019 --json
jq_is 'length' 7 "seven incidents started or attributed since 2019"
expect_exit 0 "text output" "$CDG" incidents --state NLD
check "text lists the OPCW incident" grep -q "OPCW" "$T/out"
expect_exit 2 "malformed date" "$CDG" incidents --since 2019-13
expect_exit 2 "norm outside a-k" "$CDG" incidents --norm z
expect_exit 3 "unknown state" "$CDG" incidents --state XXX

# An analyst's file naming norms and how they were transgressed.
cat >"$T/a.csv" <<'CSV'
incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,norm_or_law_invoked,source_url,confidence,basis
Hospital ransomware,2020-09-09,Germany,Sandworm (Russia),2020-10-01,Statement A,"13(f): disabled the emergency department of a hospital; sovereignty of Germany",https://example.org/a,high,technical
Hospital ransomware,2020-09-09,FRA,Russia,2020-10-02,Statement B,"f; k",https://example.org/b,almost certainly,political
Hospital ransomware,2020-09-09,European Union,Russia,2020-10-03,Statement C,"damage to hospitals (cf. GGE 2015 norm 13(f))",https://example.org/c,60,legal
CSV
expect_exit 0 "import CSV with norms" "$CDG" registry import "$T/a.csv" --json
jq_is '.attributions' 3 "three attributions read"
expect_exit 0 "norm f violations" "$CDG" norm f --violations --json
jq_is '.states[0].state' RUS "attributed to Russia"
jq_is '.states[0].violations' 3 "three articulations (one a mapping)"
jq_is '.states[0].independent_parties' 3 "three independent parties"
jq_is '.states[0].confidence.min' 60 "lowest confidence stated"
jq_is '.states[0].confidence.max' 95 "highest confidence stated"
jq_is '[.states[0].items[] | select(.stated == false)] | length' 1 "the cf. mapping is marked as not stated"
jq_is '[.states[0].items[] | select(.party_iso3 == "DEU")][0].articulation' "disabled the emergency department of a hospital" "how it was transgressed"
expect_exit 0 "norm k" "$CDG" norm k --violations
check "text view names France" grep -q "France\|FRA" "$T/out"
expect_exit 0 "incidents --norm f" "$CDG" incidents --norm f --json
jq_is 'length' 1 "one incident invokes norm f"
expect_exit 2 "norm outside a-k" "$CDG" norm l --violations

# The country profile gains the registry.
expect_exit 0 "country DEU" "$CDG" country DEU --json
jq_is '.attributions_by | length' 1 "Germany's attribution"
jq_is '.il_positions | length' 1 "Germany's IL position"
expect_exit 0 "country RUS" "$CDG" country RUS --json
jq_is '[.attributions_against[] | .incident] | unique | length' 7 "attributions against Russia: six seed incidents and the new one"

# Full records: standards, doctrines, responses, sectors, victims.
cat >"$T/r.json" <<'JSON'
{"format": "cdg-registry/1",
 "standards": [{"id": "gbr-attribution", "state": "GBR", "title": "UK attribution approach",
   "date": "2018-10", "url": "https://example.org/std", "criteria": ["technical evidence", "all-source intelligence", "legal review"]}],
 "doctrines": [{"state": "USA", "title": "Defend forward", "date": "2018-09", "url": "https://example.org/doc", "summary": "persistent engagement"}],
 "positions": [],
 "incidents": [{"incident": "Grid attack", "incident_date": "2015-12-23", "end_date": "2015-12-24",
   "description": "Power cut for 225,000 customers", "effects": ["disruption"], "cert_targeted": false,
   "victim_states": ["Ukraine"], "victim_sectors": ["energy.electricity"], "sources": ["https://example.org/grid"],
   "attributions": [{"attributing_party": "GBR", "attributed_to": "Sandworm (RUS)", "attribution_date": "2018-10-04",
     "statement_title": "Grid statement", "source_url": "https://example.org/gs", "confidence": "highly likely",
     "basis": "technical", "standard": "gbr-attribution",
     "invocations": [{"norm": "f", "text": "13(f)", "articulation": "cut power to civilians"}],
     "responses": [{"kind": "sanctions", "date": "2020-07-30", "description": "EU listing of GRU GTsST"}]}]}]}
JSON
expect_exit 0 "import registry JSON" "$CDG" registry import "$T/r.json" --json
jq_is '.format' json "detected registry JSON"
check "standard with criteria" test "$(q "SELECT json_array_length(criteria) FROM reg_standard WHERE id = 'gbr-attribution'")" = 3
check "attribution links its standard" test "$(q "SELECT standard_id FROM reg_attribution WHERE statement_title = 'Grid statement'")" = gbr-attribution
check "response recorded" test "$(q "SELECT kind FROM reg_response")" = sanctions
check "victim sector" test "$(q "SELECT sector_id FROM reg_incident_sector")" = energy.electricity
expect_exit 0 "country GBR shows its standard" "$CDG" country GBR --json
jq_is '.attribution_standards[0].criteria | length' 3 "standard criteria in the profile"
expect_exit 0 "country USA shows its doctrine" "$CDG" country USA --json
jq_is '.deterrence_doctrines[0].title' "Defend forward" "doctrine in the profile"
expect_exit 0 "search descriptions" "$CDG" incidents --search "225,000 customers" --json
jq_is '.[0].title' "Grid attack" "FTS over descriptions"

# A revision: the same record again with another confidence; history kept.
sed 's/"confidence": "highly likely"/"confidence": 95/' "$T/r.json" >"$T/r2.json"
expect_exit 0 "revise" "$CDG" registry import "$T/r2.json"
check "revised in place" test "$(q "SELECT confidence FROM reg_attribution WHERE statement_title = 'Grid statement'")" = 95
check "history in the audit log" test "$(q "SELECT json_extract(before, '$.confidence') || '>' || json_extract(after, '$.confidence') FROM audit_log WHERE entity = 'reg_attribution' AND action = 'update' ORDER BY id DESC LIMIT 1")" = "85>95"

# Exports: CSV round trip, JSON round trip, STIX validated.
expect_exit 0 "export CSV" "$CDG" registry export --out "$T/e.csv"
check "CSV header" test "$(head -1 "$T/e.csv" | tr -d '\r')" = "incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,norm_or_law_invoked,source_url,party_kind,confidence,basis,note"
CDG_DB="$T/two.db" "$CDG" init >/dev/null
expect_exit 0 "export CSV imports elsewhere" env CDG_DB="$T/two.db" "$CDG" registry import "$T/e.csv"
expect_exit 0 "export again" env CDG_DB="$T/two.db" "$CDG" registry export --out "$T/e2.csv"
check "CSV round trip is lossless" cmp "$T/e.csv" "$T/e2.csv"
expect_exit 0 "export JSON" "$CDG" registry export --format json --out "$T/e.json"
CDG_DB="$T/three.db" "$CDG" init >/dev/null
expect_exit 0 "JSON export imports elsewhere" env CDG_DB="$T/three.db" "$CDG" registry import "$T/e.json"
expect_exit 0 "JSON export again" env CDG_DB="$T/three.db" "$CDG" registry export --format json --out "$T/e3.json"
check "JSON round trip is lossless" cmp "$T/e.json" "$T/e3.json"

# validate-stix.mjs runs from a copy beside tests/js's node_modules (ajv).
mkdir -p "$T/tools"
cp "$SHARED/tools/validate-stix.mjs" "$T/tools/"
ln -s "$CDG_SRCDIR/tests/js/node_modules" "$T/tools/node_modules"
stix_valid() { node "$T/tools/validate-stix.mjs" --strict-refs --schemas "$SHARED/vendor/stix2-schemas/schemas" "$@"; }
expect_exit 0 "export STIX" env CDG_NOW=2026-01-01T00:00:00 "$CDG" registry export --format stix --out "$T/e.stix.json"
check "STIX export validates against the OASIS schemas" stix_valid "$T/e.stix.json"
check "the validator is live: a broken export fails" bash -c "sed 's/\"confidence\": 95/\"confidence\": 950/' '$T/e.stix.json' >'$T/broken.json'; ! node '$T/tools/validate-stix.mjs' --quiet --schemas '$SHARED/vendor/stix2-schemas/schemas' '$T/broken.json' >/dev/null"
expect_exit 0 "STIX export is stable" env CDG_NOW=2026-01-01T00:00:00 "$CDG" registry export --format stix --out "$T/e2.stix.json"
check "same records, same bundle" cmp "$T/e.stix.json" "$T/e2.stix.json"
CDG_DB="$T/four.db" "$CDG" init >/dev/null
expect_exit 0 "STIX export imports elsewhere" env CDG_DB="$T/four.db" "$CDG" registry import "$T/e.stix.json" --json
check "norms survive STIX" test "$(sqlite3 "$T/four.db" "SELECT count(*) FROM reg_invocation WHERE norm_id = 'f'")" = "$(q "SELECT count(*) FROM reg_invocation WHERE norm_id = 'f'")"

# Real third-party data.
expect_exit 0 "ATT&CK for ICS imports" "$CDG" registry import "$SHARED/vendor/mitre-attack-ics/ics-attack-18.1.json" --json
jq_is '.actors' 14 "ATT&CK intrusion sets (revoked and deprecated left out)"
jq_is '.attributions' 5 "ATT&CK campaign attributed-to intrusion set"
check "aliases kept" test "$(q "SELECT json_array_length(aliases) > 0 FROM reg_actor WHERE name = 'Sandworm Team'")" = 1
expect_exit 0 "MISP galaxy imports" "$CDG" registry import "$SHARED/vendor/misp-galaxy/threat-actor.json" --json
jq_is '.actors' 1041 "every MISP actor"
check "sponsor resolved from CFR name" test "$(q "SELECT sponsor_iso3 FROM reg_actor WHERE name = 'APT1'")" = CHN
check "attribution confidence kept" test "$(q "SELECT confidence FROM reg_actor WHERE name = 'APT1'")" = 50
for f in "$SHARED"/vendor/stix2-schemas/examples/*.json "$SHARED"/vendor/stix2-schemas/examples/threat-reports/*.json; do
	expect_exit 0 "OASIS example $(basename "$f") imports" "$CDG" registry import "$f"
done
expect_exit 0 "export with all actors" env CDG_NOW=2026-01-01T00:00:00 "$CDG" registry export --format stix --all-actors --out "$T/all.stix.json"
check "the export with ATT&CK and MISP actors validates" stix_valid "$T/all.stix.json"

# Bad input: exit 3, every fault located, nothing written.
audit=$(q 'SELECT count(*) FROM audit_log')
bad() { # DESCRIPTION EXPECTED-TEXT FILE
	expect_exit 3 "$1" "$CDG" registry import "$3"
	err_has "$2" "$1: located"
	check "$1: nothing written" test "$(q 'SELECT count(*) FROM audit_log')" = "$audit"
}
H='incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,norm_or_law_invoked,source_url,confidence'
printf '%s\nX,2020,Narnia,RUS,2021,t,,https://x.org,\n' "$H" >"$T/b1.csv"
bad "unknown attributing state" "b1.csv:2: field attributing_party: unknown state or organisation \"Narnia\"" "$T/b1.csv"
printf '%s\nX,2020,GBR,Oceania,2021,t,,https://x.org,\n' "$H" >"$T/b2.csv"
bad "unknown attributed state" "b2.csv:2: field attributed_to: unknown state \"Oceania\"" "$T/b2.csv"
printf '%s\nX,2020-02-30,GBR,RUS,2021,t,,https://x.org,\n' "$H" >"$T/b3.csv"
bad "date that does not parse" "b3.csv:2: field incident_date: \"2020-02-30\" is not a date" "$T/b3.csv"
printf '%s\nX,2020-05-01,GBR,RUS,2020-04-30,t,,https://x.org,\n' "$H" >"$T/b4.csv"
bad "attribution before the incident" "b4.csv:2: field attribution_date: 2020-04-30 precedes the incident (2020-05-01)" "$T/b4.csv"
printf '%s\nX,2020,GBR,RUS,2021,t,13(m),https://x.org,\n' "$H" >"$T/b5.csv"
bad "norm letter outside a-k" "b5.csv:2: field norm_or_law_invoked: norm letter \"m\" is outside a-k" "$T/b5.csv"
printf '%s\nX,2020,GBR,RUS,2021,t,,https://x.org,101\n' "$H" >"$T/b6.csv"
bad "confidence outside the scale" "b6.csv:2: field confidence: \"101\" is not on the scale" "$T/b6.csv"
printf '%s\nX,2020,GBR,RUS,2021,t,,https://x.org,\nY,2020,GBR,RUS,2019,t,,https://x.org,\nZ,2020,Narnia,RUS,2021,t,,https://x.org,\n' "$H" >"$T/b7.csv"
expect_exit 3 "a good row among bad ones" "$CDG" registry import "$T/b7.csv"
err_has "b7.csv:3:" "every fault listed (line 3)"
err_has "b7.csv:4:" "every fault listed (line 4)"
check "good row not written either" test "$(q "SELECT count(*) FROM reg_incident WHERE title = 'X'")" = 0
bad "STIX object that breaks the spec" "object relationship--4e26eb8c-be17-43c1-8e4c-c019cb15c4dc: must be an integer from 0 to 100" "$SHARED/tools/samples/stix-invalid-attribution.json"
err_has "intrusion-set--not-a-uuid" "STIX: bad id named"
bad "STIX bundle without type" "every object needs a string type" "$SHARED/vendor/stix-common-objects/examples/tlp-2.0-using-green.json"
printf '{"format": "cdg-registry/1", "incidents": [{"incident": "Y", "victim_sectors": ["ballet"], "attributions": []}]}' >"$T/b8.json"
bad "unknown sector" "no sector in data/registry/sectors.csv named \"ballet\"" "$T/b8.json"
printf '{"format": "cdg-registry/1", "standards": [{"state": "Atlantis", "title": "t", "date": "2020", "url": "https://x.org", "criteria": ["c"]}]}' >"$T/b9.json"
bad "standard of an unknown state" "unknown state \"Atlantis\"" "$T/b9.json"
expect_exit 2 "export format" "$CDG" registry export --format xml

# A bad seed file stops cdg init, and nothing is left behind.
mkdir -p "$T/data"
cp -r "$CDG_SRCDIR/data/." "$T/data/"
printf 'X,2020,Narnia,,RUS,RUS,,2021,t,,https://x.org,\n' >>"$T/data/reference/attributions_2017_2020.csv"
expect_exit 3 "init with a bad seed attribution" env CDG_DATA="$T/data" CDG_DB="$T/new.db" "$CDG" init
err_has "attributions_2017_2020.csv:24: field attributing_party" "init names file, line and field"
check "no database left behind" test ! -e "$T/new.db"

done_testing
