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
