#!/usr/bin/env bash
# The map of agreements (issue 8): the eight shipped agreements, their
# participants (Budapest from the reference data; the Paris Call, the Counter
# Ransomware Initiative, NIS2 and the Tech Accord from the desk-research list
# of issue 15), the side-by-side comparison aligned on norms, industry norms
# with companies' commitments, and bad agreement files or participant rows
# refused with exit 3 and nothing written.
. "$(dirname "$0")/lib.sh"
q() { sqlite3 "$CDG_DB" "$1"; }

expect_exit 0 "init" "$CDG" init
expect_exit 0 "list --json" "$CDG" agreements list --json
jq_is '[.[].id] | join(",")' "gge-2015,oewg-2021,budapest,paris-call,tech-accord,nis2,cri,g20-2015" "the eight agreements"
jq_is '[.[] | select(.source_url | startswith("http") | not)] | length' 0 "every agreement has a source"
jq_is '[.[] | select(.type == "binding") | .id] | join(",")' "budapest,nis2" "binding instruments"
jq_is '[.[] | select(.compliance == "legal_obligation") | .id] | join(",")' "budapest,nis2" "only they carry legal obligations"
jq_is '[.[] | select(.type == "multistakeholder") | .id] | join(",")' "paris-call,cri" "the Paris Call and the CRI (States and organisations) are multistakeholder"
jq_is '[.[] | select(.id == "tech-accord") | .stakeholder_groups[]] | join(",")' industry "the Tech Accord is made by industry alone"
jq_is '[.[] | select(.id == "gge-2015") | .commitment_count][0]' 11 "eleven GGE norms"
expect_exit 0 "text list" "$CDG" agreements
check "text names the Paris Call" grep -q "Paris Call" "$T/out"
check "commitments are audited" test "$(q "SELECT count(*) FROM audit_log WHERE entity = 'agr_commitment'")" = "$(q 'SELECT count(*) FROM agr_commitment')"
check "no commitment maps to an unknown code" test "$(q "SELECT count(*) FROM agr_commitment c, json_each(c.maps) m WHERE m.value NOT IN (SELECT id FROM norm UNION SELECT id FROM goal UNION SELECT id FROM agr_industry_norm)")" = 0

expect_exit 0 "show budapest" "$CDG" agreements show budapest --json
jq_is '.treaty_id' ETS185 "participants come from the treaty table"
jq_is '.participants | length' "$(q "SELECT count(*) FROM treaty_party WHERE treaty_id = 'ETS185'")" "every Budapest row of the reference data"
jq_is '[.participants[] | select(.iso3 == "USA") | .date][0]' "$(q "SELECT coalesce(ratification_date, entry_into_force_date, signature_date) FROM treaty_party WHERE treaty_id = 'ETS185' AND iso3 = 'USA'")" "USA with its date"
expect_exit 0 "show nis2" "$CDG" agreements show nis2 --json
jq_is '[.commitments[] | select(.id == "transposition") | .force][0]' obligation "NIS2 transposition is an obligation"
jq_is '.compliance_note | test("17 October 2024")' true "its deadline is stated"
expect_exit 0 "show text" "$CDG" agreements show paris-call
check "text shows the United States with its date" grep -q "United States of America USA, supporter, 2021-11-11" "$T/out"
expect_exit 3 "show unknown" "$CDG" agreements show nope
expect_exit 2 "show without id" "$CDG" agreements show

expect_exit 0 "state FRA" "$CDG" agreements state FRA --json
jq_is '[.[].id] | join(",")' "budapest,paris-call,cri,nis2" "FRA: Budapest (reference data), the Paris Call, the CRI and NIS2"
jq_is '[.[] | select(.id == "paris-call") | .role][0]' "supporter" "with its role"
jq_is '[.[] | select(.id == "nis2") | .status][0]' "not_transposed" "and its NIS2 status"
expect_exit 0 "state LTU" "$CDG" agreements state LTU
check "Lithuania transposed NIS2" grep -q "nis2" "$T/out"
expect_exit 3 "state unknown" "$CDG" agreements state XYZ
expect_exit 2 "state malformed" "$CDG" agreements state 12

# Participants from the desk-research list (issue 15): each agreement holds
# the list's rows for it beside the agreements file's own participants,
# counted here from the two files.
csv="$CDG_SRCDIR/data/evidence/agreement_participants.csv"
json="$CDG_SRCDIR/data/agreements/agreements.json"
csv_rows() { sqlite3 :memory: ".import --csv $csv p" "SELECT count(*) FROM p WHERE agreement = '$1'"; }
json_rows() { jq --arg id "$1" '[.agreements[] | select(.id == $id) | .participants // [] | length][0]' "$json"; }
for pair in paris_call:paris-call cri:cri nis2:nis2 tech_accord:tech-accord; do
	name=${pair%%:*} id=${pair#*:}
	want=$(($(csv_rows "$name") + $(json_rows "$id")))
	expect_exit 0 "show $id" "$CDG" agreements show "$id" --json
	jq_is '.participants | length' "$want" "$id: $want participants ($(csv_rows "$name") from the list)"
	jq_is '.participant_count' "$want" "$id: the count agrees"
	jq_is "[.participants[] | select(.status != null)] | length" "$(csv_rows "$name")" "$id: every listed row keeps its status"
	jq_is '[.participants[] | select(.status != null) | select((.source_url | test("^https?://")) and (.checked | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")) | not)] | length' 0 "$id: each with its source and the day it was checked"
done
check "the list is audited" test "$(q "SELECT count(*) FROM audit_log WHERE entity = 'agr_participant' AND json_extract(after, '$.checked') IS NOT NULL")" = "$(($(csv_rows paris_call) + $(csv_rows cri) + $(csv_rows nis2) + $(csv_rows tech_accord)))"
expect_exit 0 "show paris-call" "$CDG" agreements show paris-call --json
jq_is '[.participants[] | select(.iso3 == "USA") | [.role, .date, .status, .checked, .source_url] | join(" ")][0]' "supporter 2021-11-11 supporter 2026-12-07 https://pariscall.international/en/supporters" "the United States joined the Paris Call on 2021-11-11"
jq_is '[.participants[] | select(.name == "Internet Governance Lab") | .date][0]' 2019-10-14 "the agreements file's own supporter is kept"
expect_exit 0 "show nis2" "$CDG" agreements show nis2 --json
jq_is '[.participants[] | select(.iso3 == "DEU") | [.status, .date] | join(" ")][0]' "transposed 2025-12-02" "Germany transposed NIS2 by its law of 2025-12-02"
jq_is '[.participants[] | select(.iso3 == "FRA") | .status][0]' not_transposed "France had not, as of the day checked"
jq_is '[.participants[] | select(.iso3 == "CYP") | [.status, .date] | join(" ")][0]' "partial 2025" "Cyprus only in part"
expect_exit 0 "show nis2 text" "$CDG" agreements show nis2
check "text shows the status" grep -q "Germany DEU, transposed, 2025-12-02" "$T/out"
expect_exit 0 "show cri" "$CDG" agreements show cri --json
jq_is '[.type, .compliance, (.stakeholder_groups | join("+"))] | join(" ")' "multistakeholder none states+international_organisations" "CRI: States and organisations, no compliance mechanism"
jq_is '[.participants[] | select(.name == "INTERPOL") | [.kind, (.iso3 // "no code"), .date] | join(" ")][0]' "organisation no code 2023-11" "an organisation member has no State code"
jq_is '[.commitments[] | select(.maps | index("d")) | .id] | join(",")' "assistance,pursuit,cooperation" "our mapping to 13(d)"
jq_is '.source_note | test("Our mapping")' true "and the note explains it"
expect_exit 0 "show tech-accord" "$CDG" agreements show tech-accord --json
cp "$T/out" "$T/accord.json"
expect_exit 0 "industry commitments" "$CDG" agreements industry --json
jq_is "[.[].commitments[].company] | unique - $(jq -c '[.participants[].name]' "$T/accord.json") | length" 0 "every company with a commitment is a Tech Accord signatory under the same name"
jq_is "[$(jq -c '[.participants[].name]' "$T/accord.json")[] | select(. == \"Microsoft\")] | length" 1 "listed once"
expect_exit 0 "state DEU" "$CDG" agreements state DEU --json
jq_is '[.[] | select(.id == "cri") | [.role, .date, .status] | join(" ")][0]' "member 2021-10 member" "a State's agreements include the CRI"
jq_is '[.[] | select(.id == "nis2") | .checked][0]' 2026-12-07 "with the day checked"

# A bad row of the list stops init with exit 3, names file, line and field,
# and creates no database.
bad_list() { # DESCRIPTION FIELD: init on $T/bd (already broken) must fail
	rm -f "$T/bd.db"
	CDG_DATA="$T/bd" expect_exit 3 "$1" "$CDG" --db "$T/bd.db" init
	err_has "agreement_participants.csv:$line: field $2:" "$1: names file, line $line and field $2"
	check "$1: no database" test ! -e "$T/bd.db"
}
fresh() { rm -rf "$T/bd"; cp -r "$CDG_SRCDIR/data" "$T/bd"; }
pcsv="$T/bd/evidence/agreement_participants.csv"
line=$(grep -n '^paris_call,United States of America,USA,' "$csv" | cut -d: -f1)
fresh; sed -i "${line}s/,USA,state,/,XYZ,state,/" "$pcsv"; bad_list "unknown State" iso3
err_has '"XYZ" is not a known State' "unknown State: says why"
fresh; sed -i "${line}s/,2021-11-11,/,2999-01-01,/" "$pcsv"; bad_list "joined in the future" joined
err_has "a date in the future" "future date: says why"
fresh; sed -i "${line}s#,https://pariscall.international/en/supporters,#,ftp://pariscall.international/en/supporters,#" "$pcsv"; bad_list "source not http(s)" source_url
fresh; sed -n "${line}p" "$csv" >>"$pcsv"; first=$line; line=$(($(wc -l <"$csv") + 1)); bad_list "a participant twice" participant
err_has "listed twice for paris_call (first on line $first)" "duplicate: points at the first"
fresh; line=$(grep -n '^nis2,Germany,DEU,' "$csv" | cut -d: -f1); sed -i "${line}s/,transposed,/,signatory,/" "$pcsv"; bad_list "a status the agreement has not" status
fresh; line=$(grep -n '^tech_accord,Microsoft,' "$csv" | cut -d: -f1)
jq '(.agreements[] | select(.id == "tech-accord") | .participants) = [{"name": "Microsoft", "kind": "company", "role": "founding signatory", "source_url": "https://dig.watch/resource/cybersecurity-tech-accord"}]' "$json" >"$T/bd/agreements/agreements.json"
bad_list "a participant in both files" participant
err_has "already a participant of tech-accord in agreements/agreements.json" "both files: says where"

# Comparison: GGE 2015, OEWG 2021 and G20 2015 side by side.
expect_exit 0 "compare" "$CDG" agreements compare gge-2015 oewg-2021 g20-2015 --json
jq_is '[.agreements[].id] | join(",")' "gge-2015,oewg-2021,g20-2015" "columns in the order asked"
jq_is '[.rows[] | select(.kind == "gge_norm")] | length' 11 "a row per GGE norm"
jq_is '[.rows[] | select(.ref == "f") | .cells[] | length] | join(",")' "1,1,1" "norm f: one commitment in each"
jq_is '[.rows[] | select(.ref == "f") | .cells[0][0].force][0]' recommendation "GGE norms are recommendations"
jq_is '[.rows[] | select(.ref == "CDG8") | .cells[] | length] | join(",")' "0,1,1" "CDG8 (international law): OEWG and G20, not the GGE norms"
jq_is '[.unmapped[2][].commitment] | join(",")' "espionage,divide" "G20 commitments on no norm"
jq_is '.agreements[2].compliance' none "terms kept apart: compliance"
expect_exit 0 "compare paris-call tech-accord nis2" "$CDG" agreements compare paris-call tech-accord nis2 --json
jq_is '[.rows[] | select(.ref == "IND2") | .cells[] | length] | join(",")' "1,1,0" "no back doors: Paris Call principle 6 and Tech Accord principle 2"
jq_is '[.rows[] | select(.ref == "j") | .cells[] | map(.force) | join("")] | join(",")' ",commitment,obligation" "norm j: a commitment beside an obligation"
expect_exit 0 "compare text" "$CDG" agreements compare budapest nis2
check "text has an industry-free norm row" grep -q "^Norm d" "$T/out"
expect_exit 2 "compare one" "$CDG" agreements compare nis2
expect_exit 2 "compare the same twice" "$CDG" agreements compare nis2 nis2
expect_exit 3 "compare an unknown one" "$CDG" agreements compare nis2 nope

# Industry norms with evidence.
expect_exit 0 "industry" "$CDG" agreements industry --json
jq_is '[.[].id] | join(",")' "IND1,IND2,IND3,IND4" "four industry norms"
jq_is '[.[] | select(.id == "IND1") | .commitments | length][0]' 5 "five companies on IND1"
jq_is '[.[].commitments[] | select(.evidence_url | startswith("http") | not)] | length' 0 "every commitment has evidence"
jq_is '[.[] | select(.id == "IND3") | .commitments | length][0]' 0 "no sourced commitment on withheld patches yet"
expect_exit 3 "unknown industry norm" "$CDG" agreements industry IND9

# Bad agreement files.
before=$(q 'SELECT count(*) FROM audit_log')
cat >"$T/bad.json" <<'JSON'
{"format": "cdg-agreements/1",
 "agreements": [
  {"id": "x1", "name": "X", "short_name": "X", "year": 2020, "type": "treaty",
   "stakeholder_groups": ["states"], "objectives": ["o"], "compliance": "none",
   "source_url": "https://x.org",
   "commitments": [{"commitment": "c1", "text": "t", "force": "commitment", "maps": ["z"]},
                   {"commitment": "c1", "text": "t", "force": "maybe", "maps": ["CDG1"]}]},
  {"id": "x2", "name": "Y", "short_name": "Y", "year": 2020, "type": "binding",
   "stakeholder_groups": ["states"], "objectives": ["o"], "compliance": "none",
   "date": "2019-02-30", "source_url": "https://x.org",
   "participants": [{"name": "Nowhere", "iso3": "XYZ", "kind": "state", "role": "party", "source_url": "https://x.org"}],
   "commitments": [{"commitment": "c1", "text": "t", "force": "obligation", "maps": []}]}
 ]}
JSON
expect_exit 3 "bad agreements file" "$CDG" agreements import "$T/bad.json"
err_has "bad.json:3: field type: \"treaty\" is not one of" "bad type"
err_has "bad.json:6: field maps: unknown norm, goal or industry norm \"z\"" "unknown mapping, on its line"
err_has "field commitment: duplicate commitment \"c1\"" "duplicate commitment"
err_has "field force: \"maybe\"" "bad force"
err_has "field compliance: a binding instrument, and only one, carries a legal obligation" "binding without legal obligation"
err_has "field date: \"2019-02-30\" is not a date" "bad date"
err_has "field iso3: unknown country \"XYZ\"" "unknown participant state"
printf '{"format": "cdg-agreements/1", "agreements": [' >"$T/trunc.json"
expect_exit 3 "malformed JSON" "$CDG" agreements import "$T/trunc.json"
check "nothing written" test "$(q 'SELECT count(*) FROM audit_log')" = "$before"
expect_exit 0 "re-import the shipped file" "$CDG" agreements import "$CDG_SRCDIR/data/agreements/agreements.json"
check "which changes nothing" grep -q ": 0 rows written" "$T/out"
expect_exit 0 "show paris-call after the re-import" "$CDG" agreements show paris-call --json
jq_is '.participants | length' "$(($(csv_rows paris_call) + $(json_rows paris-call)))" "the desk-research participants stay"
jq '(.agreements[] | select(.id == "paris-call") | .participants) += [{"name": "France", "iso3": "FRA", "kind": "state", "role": "launched it", "source_url": "https://example.org/launch"}]' "$json" >"$T/twice.json"
before=$(q 'SELECT count(*) FROM audit_log')
expect_exit 3 "an agreements file naming a listed participant again" "$CDG" agreements import "$T/twice.json"
err_has "field participants: France is already a participant of paris-call from evidence/agreement_participants.csv" "says which and where"
check "nothing written" test "$(q 'SELECT count(*) FROM audit_log')" = "$before"
# Companies' commitments to industry norms, with evidence.
cat >"$T/companies.csv" <<'CSV'
id,company,norm,commitment,date,evidence_url,note,synthetic
E2E-1,Example Corp,IND3,Publishes fixes to every affected customer,2025-03,https://example.org/patch-policy,constructed for the test,1
CSV
expect_exit 0 "import company commitments" "$CDG" agreements import "$T/companies.csv"
expect_exit 0 "industry IND3" "$CDG" agreements industry IND3 --json
jq_is '.[0].commitments[0].company' "Example Corp" "the commitment is listed under IND3"
jq_is '.[0].commitments[0].synthetic' true "marked synthetic"
expect_exit 0 "industry text" "$CDG" agreements industry IND3
check "text labels it SYNTHETIC" grep -q "Example Corp.*SYNTHETIC" "$T/out"
cat >"$T/badco.csv" <<'CSV'
id,company,norm,commitment,date,evidence_url
C1,,IND9,x,2025-13,not-a-url
C1,Acme,IND1,x,2025,https://example.org/a
CSV
before=$(q 'SELECT count(*) FROM audit_log')
expect_exit 3 "bad company commitments" "$CDG" agreements import "$T/badco.csv"
err_has "badco.csv:2: field company: is required" "missing company"
err_has "badco.csv:2: field norm: unknown industry norm \"IND9\"" "unknown industry norm"
err_has "badco.csv:2: field date:" "bad date"
err_has "badco.csv:2: field evidence_url:" "evidence must be a URL"
err_has "badco.csv:3: field id: duplicate id \"C1\" (first on line 2)" "duplicate id"
check "nothing written" test "$(q 'SELECT count(*) FROM audit_log')" = "$before"
printf 'secret-pass-3\n' | "$CDG" user add st2 --role stakeholder --password-stdin >/dev/null
expect_exit 1 "a stakeholder may not import agreements" "$CDG" agreements import "$CDG_SRCDIR/data/agreements/agreements.json" --actor st2
expect_exit 2 "unknown subcommand" "$CDG" agreements frobnicate
expect_exit 0 "help" "$CDG" help agreements
done_testing
