#!/usr/bin/env bash
# The accountability registry: what cdg init loads, imports (CSV, JSON,
# STIX, ATT&CK, MISP), queries, the country profile, the derived indicator,
# exports (STIX validated against the OASIS schemas), and every kind of bad
# input refused with exit 3 and nothing written.
. "$(dirname "$0")/lib.sh"
SHARED="$CDG_SRCDIR/../shared"
q() { sqlite3 "$CDG_DB" "$1"; }

EV="$CDG_SRCDIR/data/evidence"
# ev SQL: a query over the evidence files (table a: attributions.csv, d:
# doctrines.csv) with the database attached read-only as c, so that the
# expected counts come from the files themselves.
ev() {
	sqlite3 :memory: ".import --csv $EV/attributions.csv a" ".import --csv $EV/doctrines.csv d" \
		"ATTACH 'file:$CDG_DB?mode=ro' AS c" "$1"
}

expect_exit 0 "init" "$CDG" init
rows=$(ev 'SELECT count(*) FROM a')
check "every statement of data/evidence/attributions.csv loaded ($rows)" test "$(q 'SELECT count(*) FROM reg_attribution')" = "$rows"
check "one incident per label" test "$(q 'SELECT count(*) FROM reg_incident')" = "$(ev 'SELECT count(DISTINCT incident) FROM a')"
check "the old seed file is no longer loaded" test "$(q "SELECT count(*) FROM reg_attribution WHERE origin <> 'attributions.csv'")" = 0
check "28 positions on international law" test "$(q 'SELECT count(*) FROM reg_position')" = 28
check "sector catalog (NIS2 Annexes I and II)" test "$(q 'SELECT count(*) FROM reg_sector')" = 33
check "EU resolved as an organisation" test "$(q "SELECT DISTINCT party_kind FROM reg_attribution WHERE party_name = 'European Union'")" = organisation
check "UK resolved from its code" test "$(q "SELECT count(*) FROM reg_attribution WHERE party_iso3 = 'GBR'")" = "$(ev "SELECT count(*) FROM a WHERE attributing_iso3 = 'GBR'")"
check "a group named with no state loads as ACTOR (unknown)" test "$(q "SELECT actor_text || '|' || coalesce(attributed_iso3, 'none') FROM reg_attribution WHERE party_iso3 = 'FIN'")" = "APT31|none"
check "every statement keeps its source URL" test "$(ev 'SELECT count(*) FROM a WHERE EXISTS (SELECT 1 FROM c.reg_attribution r WHERE r.statement_url = a.source_url AND r.date = a.attribution_date)')" = "$rows"
check "and the date it was checked" test "$(q "SELECT count(*) FROM reg_attribution WHERE note LIKE 'checked 20__-__-__%'")" = "$rows"

# What a statement says, kept apart from our mapping.
check "stated words kept verbatim" test "$(ev "SELECT count(*) FROM a JOIN c.reg_attribution r ON r.invoked = a.stated_words JOIN c.reg_invocation n ON n.attribution_id = r.id AND n.position = 0 AND n.text = a.stated_words WHERE a.stated_words <> ''")" = "$(ev "SELECT count(*) FROM a WHERE stated_words <> ''")"
check "no stated words: not verified" test "$(q "SELECT count(*) FROM reg_attribution WHERE invoked IS NULL")" = "$(ev "SELECT count(*) FROM a WHERE stated_words = ''")"
check "one norm_mapping entry per letter of our_mapping" test "$(q "SELECT count(*) FROM reg_invocation WHERE kind = 'norm_mapping'")" = "$(ev "SELECT count(*) FROM a, json_each('[\"' || replace(our_mapping, ';', '\",\"') || '\"]') m WHERE our_mapping <> ''")"
check "a mapping is never a stated norm" test "$(q "SELECT count(*) FROM reg_invocation WHERE kind = 'norm'")" = 0
check "framework: a general reference" test "$(q "SELECT kind FROM reg_invocation WHERE text LIKE 'The stability of #cyberspace%'")" = general
check "international law in general is not a rule" test "$(q "SELECT kind || '/' || rule FROM reg_invocation WHERE text = 'Canada will continue to act to uphold international law in cyberspace.'")" = general/international_law
check "sovereignty is a rule of international law" test "$(q "SELECT kind || '/' || rule FROM reg_invocation WHERE text = 'The attack showed a continued disregard for Ukrainian sovereignty.'")" = international_law/sovereignty
check "US indictment is domestic law" test "$(q "SELECT kind FROM reg_invocation WHERE text LIKE 'This is a case alleging economic espionage%'")" = domestic_law
check "a norm described in the statement's words is recorded, letter left to the mapping" test "$(q "SELECT group_concat(kind || ':' || coalesce(norm_id, rule, ''), ' ') FROM reg_invocation n JOIN reg_attribution a ON a.id = n.attribution_id WHERE a.party_name = 'European Union' AND a.date = '2025-05-28' AND a.attributed_iso3 = 'CHN'")" = "commitment:norm norm_mapping:c"
check "every registry row is audited" test "$(q "SELECT count(*) FROM audit_log WHERE entity = 'reg_attribution' AND action = 'insert'")" = "$rows"

# The call-out view on a fresh init: real statements, with their words.
for l in c f i; do
	mapped=$(ev "SELECT count(*) FROM a WHERE ';' || our_mapping || ';' LIKE '%;13($l);%'")
	expect_exit 0 "norm $l call-out" "$CDG" norm "$l" --violations --json
	jq_is '.our_mapping' "$mapped" "norm $l: every statement we mapped to it ($mapped)"
	jq_is '.stated_in_text' 0 "norm $l: none gives the letter in its own words"
	jq_is '[.states[].items[] | select(.stated == false and (.quotation | length) > 0 and (.statement_url | startswith("http")))] | length' "$mapped" "norm $l: each with its quotation and source"
	named=$(ev "SELECT count(*) FROM a WHERE ';' || our_mapping || ';' LIKE '%;13($l);%' AND stated_kind = 'norm'")
	jq_is '.named_in_words' "$named" "norm $l: $named of them name a norm in their own words (stated_kind norm)"
	jq_is '[.states[].items[] | select(.marked == "norm named in the text, letter by our mapping" and .named_in_words)] | length' "$named" "norm $l: and are marked so"
done
expect_exit 0 "norm c call-out" "$CDG" norm c --violations --json
jq_is '[.states[] | select(.state == "CHN") | .items[] | select(.party_name == "European Union" and .date == "2025-05-28") | .quotation | test("States should not allow their territory to be used for malicious cyber activities")][0]' true "a known statement's own words"
expect_exit 0 "norm c call-out, text" "$CDG" norm c --violations
check "text names the mark" grep -q "\[norm named in the text, letter by our mapping\]" "$T/out"
check "text sums the marks" grep -q "0 stated in the text, 5 by our mapping (of which 5 name a norm in their own words)" "$T/out"
check "text quotes the words" grep -qF '"Allowing such malicious cyber activities to take place is in contradiction of the norms of responsible state behaviour endorsed by all UN Member States."' "$T/out"
check "text gives the source" grep -qF "https://diplomatie.belgium.be/" "$T/out"

expect_exit 0 "country NOR" "$CDG" country NOR --json
jq_is '[.attributions_by[] | select(.date == "2021-07-19") | .norms][0]' "Allowing such malicious cyber activities to take place is in contradiction of the norms of responsible state behaviour endorsed by all UN Member States.; 13(c) (our mapping)" "the profile keeps the words apart from our mapping"

# CDG6.2.1 counts what statements say in their own words, never our mapping.
check "CDG6.2.1 GBR 2018: sovereignty and the G20 commitment, not international law in general" test "$(q "SELECT note FROM observation WHERE indicator_id = 'CDG6.2.1' AND iso3 = 'GBR' AND year = 2018 AND superseded_by IS NULL")" = "2 of 3 verified statements 2014-2018 name the norm or law breached (cdg attribution registry)"
check "CDG6.2.1 USA 2020: a framework and an indictment do not count" test "$(q "SELECT value FROM observation WHERE indicator_id = 'CDG6.2.1' AND iso3 = 'USA' AND year = 2020")" = 0.0
check "CDG6.2.1 GEO 2020 is 100" test "$(q "SELECT value FROM observation WHERE indicator_id = 'CDG6.2.1' AND iso3 = 'GEO' AND year = 2020")" = 100.0
check "CDG6.2.1 NOR 2021: the norm described counts, the framework does not" test "$(q "SELECT value FROM observation WHERE indicator_id = 'CDG6.2.1' AND iso3 = 'NOR' AND year = 2021")" = 50.0
check "CDG6.2.1 has a source" test "$(q "SELECT count(*) FROM observation WHERE indicator_id = 'CDG6.2.1' AND source NOT LIKE 'http%'")" = 0
check "CDG6.2.1 is derived" test "$(q "SELECT DISTINCT b.kind FROM observation o JOIN import_batch b ON b.id = o.batch_id WHERE o.indicator_id = 'CDG6.2.1'")" = derived
check "CDG6.2.1 for exactly the states with stated words" test "$(q "SELECT group_concat(iso3, ' ') FROM (SELECT DISTINCT iso3 FROM observation WHERE indicator_id = 'CDG6.2.1' ORDER BY iso3)")" = "$(ev "SELECT group_concat(attributing_iso3, ' ') FROM (SELECT DISTINCT attributing_iso3 FROM a WHERE party_kind = 'state' AND stated_words <> '' ORDER BY 1)")"
check "no value for a state with no verified statement (ALB)" test "$(q "SELECT count(*) FROM observation WHERE indicator_id = 'CDG6.2.1' AND iso3 = 'ALB'")" = 0

# CDG6.1.1 and CDG7.1.1 from data/evidence/doctrines.csv: 1 from the
# document's year to 2026, no value (not 0) without a row.
check "standards loaded (rows with a year)" test "$(q 'SELECT count(*) FROM reg_standard')" = "$(ev "SELECT count(*) FROM d WHERE kind = 'attribution_standard' AND year <> ''")"
check "doctrines loaded (rows with a year)" test "$(q 'SELECT count(*) FROM reg_doctrine')" = "$(ev "SELECT count(*) FROM d WHERE kind = 'response_doctrine' AND year <> ''")"
for pair in CDG6.1.1:attribution_standard CDG7.1.1:response_doctrine; do
	ind=${pair%%:*} kind=${pair#*:}
	check "$ind for every state with a dated $kind" test "$(q "SELECT group_concat(iso3 || ':' || y, ' ') FROM (SELECT iso3, min(year) || '-' || max(year) AS y FROM observation WHERE indicator_id = '$ind' AND value = 1 GROUP BY iso3 ORDER BY iso3)")" = \
		"$(ev "SELECT group_concat(iso3 || ':' || y, ' ') FROM (SELECT iso3, min(CAST(year AS INTEGER)) || '-2026' AS y FROM d WHERE kind = '$kind' AND year <> '' GROUP BY iso3 ORDER BY iso3)")"
	check "$ind: no 0 written" test "$(q "SELECT count(*) FROM observation WHERE indicator_id = '$ind' AND value <> 1")" = 0
	check "$ind: a desk-research batch named after the file" test "$(q "SELECT DISTINCT b.kind || ' ' || b.file_name || ' ' || o.source_type FROM observation o JOIN import_batch b ON b.id = o.batch_id WHERE o.indicator_id = '$ind'")" = "reference data/evidence/doctrines.csv desk_research"
done
check "no CDG6.1.1 or CDG7.1.1 for a state without a row (CAN)" test "$(q "SELECT count(*) FROM observation WHERE indicator_id IN ('CDG6.1.1', 'CDG7.1.1') AND iso3 = 'CAN'")" = 0
check "USA CDG6.1.1 2018 cites its source" test "$(q "SELECT source FROM observation WHERE indicator_id = 'CDG6.1.1' AND iso3 = 'USA' AND year = 2018")" = "https://cybersecuritymarket.com/how-us-government-attributes-cyberattacks/"

before=$(q 'SELECT count(*) FROM audit_log')
expect_exit 0 "init again" "$CDG" init
check "re-init writes nothing" test "$(q 'SELECT count(*) FROM audit_log')" = "$before"

# Queries.
expect_exit 0 "incidents --json" "$CDG" incidents --json
jq_is 'length' "$(ev 'SELECT count(DISTINCT incident) FROM a')" "every incident"
jq_is '[.[] | select(.title == "WannaCry ransomware") | .attributions | length][0]' "$(ev "SELECT count(*) FROM a WHERE incident = 'WannaCry ransomware'")" "WannaCry's attributions"
expect_exit 0 "incidents --state PRK" "$CDG" incidents --state PRK --json
jq_is 'length' "$(ev "SELECT count(DISTINCT incident) FROM a WHERE 'PRK' IN (attributed_to_iso3, attributing_iso3)")" "incidents attributed to PRK"
expect_exit 0 "incidents --state GEO (attributing party)" "$CDG" incidents --state GEO --json
jq_is '.[0].title' "Cyber attack on Georgian websites and broadcasters" "Georgia's own attribution"
expect_exit 0 "full-text search over statement titles" "$CDG" incidents --search "Storting" --json
jq_is '[.[].title | select(test("Storting"))] | length' "$(ev "SELECT count(DISTINCT incident) FROM a WHERE incident LIKE '%Storting%'")" "the Storting compromises found"
expect_exit 0 "search ignores case" "$CDG" incidents --search "wannacry" --json
jq_is '[.[] | select(.title == "WannaCry ransomware")] | length' 1 "WannaCry found"
# Issue 17: prefixes and OR; FTS5's own syntax is searched as text.
expect_exit 0 "search by a prefix" "$CDG" incidents --search "Wanna" --json
jq_is '[.[] | select(.title == "WannaCry ransomware")] | length' 1 "\"Wanna\" finds WannaCry"
expect_exit 0 "search with OR" "$CDG" incidents --search "WannaCry OR NotPetya" --json
jq_is '[.[] | select(.title == "WannaCry ransomware" or .title == "NotPetya")] | length' 2 "either word is enough"
expect_exit 0 "search without OR" "$CDG" incidents --search "WannaCry NotPetya" --json
jq_is '[.[] | select(.title == "NotPetya")] | length' 0 "without OR both words are needed"
expect_exit 0 "FTS5 syntax is text" "$CDG" incidents --search 'NEAR( "x OR * -y: title:z ^w' --json
jq_is 'length' 0 "it matches nothing and is no error"
expect_exit 0 "since" "$CDG" incidents --since 2019 --json
jq_is 'length' "$(ev "SELECT count(DISTINCT incident) FROM a WHERE incident_date >= '2019' OR attribution_date >= '2019'")" "incidents started or attributed since 2019"
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
f_mapped=$(ev "SELECT count(*) FROM a WHERE attributed_to_iso3 = 'RUS' AND ';' || our_mapping || ';' LIKE '%;13(f);%'")
jq_is '.states[0].state' RUS "attributed to Russia"
jq_is '.states[0].violations' $((3 + f_mapped)) "three articulations (one a mapping) and the real mappings"
jq_is '.states[0].stated_in_text' 2 "two stated in the text"
jq_is '.states[0].our_mapping' $((1 + f_mapped)) "the cf. mapping and ours"
jq_is '[.states[0].items[] | select(.incident == "Hospital ransomware")] | map(.marked) | join(",")' "stated in the text,stated in the text,our mapping" "stated first, then mappings"
jq_is '.states[0].independent_parties' 3 "three independent parties (the EU twice)"
jq_is '.states[0].confidence.min' 60 "lowest confidence stated"
jq_is '.states[0].confidence.max' 95 "highest confidence stated"
jq_is '[.states[0].items[] | select(.stated == false and .incident == "Hospital ransomware")] | length' 1 "the cf. mapping is marked as not stated"
jq_is '[.states[0].items[] | select(.party_iso3 == "DEU")][0].articulation' "disabled the emergency department of a hospital" "how it was transgressed"
expect_exit 0 "norm k" "$CDG" norm k --violations
check "text view names France" grep -q "France\|FRA" "$T/out"
expect_exit 0 "incidents --norm f" "$CDG" incidents --norm f --json
jq_is '[.[].title] | index("Hospital ransomware") != null' true "the incident that invokes norm f"
expect_exit 2 "norm outside a-k" "$CDG" norm l --violations

# CDG6.2.1 on imported statements: our mapping neither verifies a
# statement nor names the breach; the statement's words do.
cat >"$T/isl.csv" <<'CSV'
incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,stated_words,stated_kind,our_mapping,source_url
Test intrusion,2024-01,ISL,APT99 (unknown),2024-03-01,Statement one,,,13(c),https://example.org/isl1
CSV
expect_exit 0 "import a mapping without words" "$CDG" registry import "$T/isl.csv"
check "CDG6.2.1: a mapping alone gives no value" test "$(q "SELECT count(*) FROM observation WHERE indicator_id = 'CDG6.2.1' AND iso3 = 'ISL'")" = 0
printf '%s\n' 'Test intrusion,2024-01,ISL,APT99 (unknown),2024-03-02,Statement two,"contrary to the framework of responsible State behaviour",framework,13(c),https://example.org/isl2' >>"$T/isl.csv"
expect_exit 0 "import the framework named, mapped to 13(c)" "$CDG" registry import "$T/isl.csv"
check "CDG6.2.1: the framework does not name the breach, whatever we map it to" test "$(q "SELECT value FROM observation WHERE indicator_id = 'CDG6.2.1' AND iso3 = 'ISL' AND year = 2024 AND superseded_by IS NULL")" = 0.0
printf '%s\n' 'Test intrusion,2024-01,ISL,APT99 (unknown),2024-03-03,Statement three,"States should not allow their territory to be used for such activity",norm,13(c),https://example.org/isl3' >>"$T/isl.csv"
expect_exit 0 "import a norm described in the words" "$CDG" registry import "$T/isl.csv"
check "CDG6.2.1: 1 of 2 statements names the norm in its own words" test "$(q "SELECT value FROM observation WHERE indicator_id = 'CDG6.2.1' AND iso3 = 'ISL' AND year = 2024 AND superseded_by IS NULL")" = 50.0
expect_exit 0 "the test statements in the call-out" "$CDG" norm c --violations --json
jq_is '[.states[] | select(.state == "unknown") | .items[] | select(.incident == "Test intrusion") | .marked] | join(",")' "our mapping,our mapping,norm named in the text, letter by our mapping" "all three by our mapping; the third's words name a norm"

# The country profile gains the registry.
expect_exit 0 "country DEU" "$CDG" country DEU --json
jq_is '.attributions_by | length' $((1 + $(ev "SELECT count(*) FROM a WHERE attributing_iso3 = 'DEU'"))) "Germany's attributions"
jq_is '.il_positions | length' 1 "Germany's IL position"
expect_exit 0 "country RUS" "$CDG" country RUS --json
jq_is '[.attributions_against[] | .incident] | unique | length' $((1 + $(ev "SELECT count(DISTINCT incident) FROM a WHERE attributed_to_iso3 = 'RUS'"))) "attributions against Russia: the file's incidents and the new one"

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
jq_is '[.deterrence_doctrines[] | select(.title == "Defend forward")] | length' 1 "doctrine in the profile"
jq_is '[.deterrence_doctrines[].title] | index("Department of Defense Cyber Strategy 2018 (Defend Forward)") != null' true "and the one from data/evidence/doctrines.csv"
expect_exit 0 "search descriptions" "$CDG" incidents --search "225,000 customers" --json
jq_is '.[0].title' "Grid attack" "FTS over descriptions"

# A revision: the same record again with another confidence; history kept.
sed 's/"confidence": "highly likely"/"confidence": 95/' "$T/r.json" >"$T/r2.json"
expect_exit 0 "revise" "$CDG" registry import "$T/r2.json"
check "revised in place" test "$(q "SELECT confidence FROM reg_attribution WHERE statement_title = 'Grid statement'")" = 95
check "history in the audit log" test "$(q "SELECT json_extract(before, '$.confidence') || '>' || json_extract(after, '$.confidence') FROM audit_log WHERE entity = 'reg_attribution' AND action = 'update' ORDER BY id DESC LIMIT 1")" = "85>95"

# Exports: CSV round trip, JSON round trip, STIX validated.
expect_exit 0 "export CSV" "$CDG" registry export --out "$T/e.csv"
check "CSV header" test "$(head -1 "$T/e.csv" | tr -d '\r')" = "incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,norm_or_law_invoked,source_url,party_kind,confidence,basis,note,stated_kind,our_mapping,attributed_actor"
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

# A bad row in data/evidence stops cdg init: exit 3 naming file, line and
# field, and nothing is written (no database left behind; an existing one
# unchanged).
mkdir -p "$T/data"
cp -r "$CDG_SRCDIR/data/." "$T/data/"
AT="$T/data/evidence/attributions.csv" DT="$T/data/evidence/doctrines.csv"
cp "$AT" "$T/at.orig"
cp "$DT" "$T/dt.orig"
last=$(($(wc -l <"$AT") + 1))
bad_init() { # DESCRIPTION EXPECTED-TEXT
	rm -f "$T/new.db"
	expect_exit 3 "init: $1" "$CDG" init --data "$T/data" --db "$T/new.db"
	err_has "$2" "init: $1: file, line and field named"
	check "init: $1: no database left behind" test ! -e "$T/new.db"
	cp "$T/at.orig" "$AT"
	cp "$T/dt.orig" "$DT"
}
sed -i '2s/,Albania,ALB,state,/,Albania,XAL,state,/' "$AT"
bad_init "unknown attributing state" "attributions.csv:2: field attributing_iso3: unknown state \"XAL\""
sed -i '3s/,PRK,,2017-12-20,/,XKP,,2017-12-20,/' "$AT"
bad_init "unknown state attributed to" "attributions.csv:3: field attributed_to_iso3: unknown state \"XKP\""
sed -i '2s/,2022-09-07,/,2099-09-07,/' "$AT"
bad_init "statement dated in the future" "attributions.csv:2: field attribution_date: 2099-09-07 is in the future"
sed -i '2s/,2026-12-07,/,2099-01-01,/' "$AT"
bad_init "checked in the future" "attributions.csv:2: field checked: 2099-01-01 is in the future"
sed -i '2s#,https://www.novinite.com/#,ftp://www.novinite.com/#' "$AT"
bad_init "source that is not http(s)" "attributions.csv:2: field source_url: \"ftp://www.novinite.com/view_news.php?id=216623\" is not an http(s) URL"
sed -n 2p "$AT" >>"$AT"
bad_init "the same statement twice" "attributions.csv:$last: field attribution_date: the same attribution as line 2"
sed -n 2p "$AT" | sed 's/,Video statement of Prime Minister Edi Rama/,Another title for the same statement/' >>"$AT"
bad_init "the same incident, party and date twice" "attributions.csv:$last: field attribution_date: the same incident, attributing party and date as line 2"
sed -i '2s/,,,,https:/,,,13(c),https:/' "$AT"
expect_exit 0 "init: a mapping without words loads" "$CDG" init --data "$T/data" --db "$T/map.db"
check "and leaves the statement unverified, so CDG6.2.1 has no value" test "$(sqlite3 "$T/map.db" "SELECT (SELECT count(*) FROM reg_attribution a JOIN reg_invocation n ON n.attribution_id = a.id WHERE a.party_iso3 = 'ALB' AND a.invoked IS NULL AND n.kind = 'norm_mapping' AND n.norm_id = 'c') || ' ' || (SELECT count(*) FROM observation WHERE indicator_id = 'CDG6.2.1' AND iso3 = 'ALB')")" = "1 0"
sed -i '2s/,,,13(c),https:/,some words,treaty,13(c),https:/' "$AT"
bad_init "a stated kind outside the list" "attributions.csv:2: field stated_kind: \"treaty\" is not norm, international_law, framework or domestic_law"
sed -i '2s/,,,,https:/,,,13(m),https:/' "$AT"
bad_init "a mapping outside 13(a)-13(k)" "attributions.csv:2: field our_mapping: \"13(m)\" is not a GGE 2015 norm 13(a) to 13(k)"
sed -i '2s/^AUS,Australia,/XAU,Australia,/' "$DT"
bad_init "doctrine of an unknown state" "doctrines.csv:2: field iso3: unknown state \"XAU\""
sed -i '2s/,2017,/,2099,/' "$DT"
bad_init "doctrine dated in the future" "doctrines.csv:2: field year: \"2099\": a date in the future"
sed -i '2s#,https://vdocuments.mx/#,vdocuments.mx/#' "$DT"
bad_init "doctrine source that is not http(s)" "doctrines.csv:2: field source_url: \"vdocuments.mx/ambassador-for-cyber-affairs-department-of-foreign-dfatgovauinternational-relationsthemescyber-affairsaicespdf.html\": not an http(s) URL"
sed -n 2p "$DT" >>"$DT"
bad_init "the same doctrine twice" "doctrines.csv:$(wc -l <"$DT"): field title: the same state, kind and title as line 2"
# On an existing database: refused, and nothing changes.
"$CDG" init --data "$T/data" --db "$T/old.db" >/dev/null
before=$(sqlite3 "$T/old.db" 'SELECT count(*) FROM audit_log')
sed -n 2p "$DT" >>"$DT"
expect_exit 3 "init again with a bad doctrine" "$CDG" init --data "$T/data" --db "$T/old.db"
check "the database is unchanged" test "$(sqlite3 "$T/old.db" 'SELECT count(*) FROM audit_log')" = "$before"
cp "$T/dt.orig" "$DT"

done_testing
