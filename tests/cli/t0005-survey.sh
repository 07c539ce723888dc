#!/usr/bin/env bash
# cdg survey: import (JSON and CSV), lossless export, the workflow with its
# revision history, survey indicators at publication, and bad input.
. "$(dirname "$0")/lib.sh"
EX="$CDG_SRCDIR/docs/examples"
year=$(date -u +%Y)
revs() { sqlite3 "$CDG_DB" "SELECT count(*) FROM survey_revision"; }

expect_exit 0 "init" "$CDG" init
echo "focal point password" | "$CDG" user add focal.fra --role focal_point --country FRA --password-stdin >/dev/null
"$CDG" user add secretariat --role secretariat >/dev/null

# The documented example passes the JSON Schema.
check "example passes the response schema" node -e '
const { createRequire } = require("module");
const r = createRequire(process.argv[1] + "/tests/js/package.json");
const Ajv = r("ajv/dist/2020.js").default;
const fs = require("fs");
const ajv = new Ajv({ allErrors: true, strict: true });
const ok = ajv.validate(JSON.parse(fs.readFileSync(process.argv[1] + "/data/framework/survey-response.schema.json")),
                        JSON.parse(fs.readFileSync(process.argv[2])));
if (!ok) { console.error(ajv.errors); process.exit(1); }' "$CDG_SRCDIR" "$EX/survey-response.json"

expect_exit 0 "import the JSON example" "$CDG" survey import "$EX/survey-response.json"
check "one revision" test "$(revs)" = 1
expect_exit 0 "list" "$CDG" survey list
check "list labels the synthetic response" grep -q "FRA 2025 draft *SYNTHETIC" "$T/out"

# Round trips: JSON -> db -> JSON -> db2 -> JSON; CSV -> db3 -> JSON.
expect_exit 0 "export JSON" "$CDG" survey export FRA 2025 --out "$T/r1.json"
check "export equals the example (canonical form)" \
	cmp <(jq -S . "$T/r1.json") <(jq -S . "$EX/survey-response.json")
CDG_DB="$T/two.db" "$CDG" init >/dev/null
expect_exit 0 "import the export elsewhere" env CDG_DB="$T/two.db" "$CDG" survey import "$T/r1.json"
expect_exit 0 "export again" env CDG_DB="$T/two.db" "$CDG" survey export FRA 2025 --out "$T/r2.json"
check "JSON round trip is byte-identical" cmp "$T/r1.json" "$T/r2.json"
expect_exit 0 "export CSV" "$CDG" survey export FRA 2025 --format csv --out "$T/r1.csv"
check "CSV export equals the CSV example" cmp <(tr -d '\r' <"$T/r1.csv") <(tr -d '\r' <"$EX/survey-response.csv")
CDG_DB="$T/three.db" "$CDG" init >/dev/null
expect_exit 0 "import the CSV export" env CDG_DB="$T/three.db" "$CDG" survey import "$T/r1.csv"
expect_exit 0 "export as JSON" env CDG_DB="$T/three.db" "$CDG" survey export FRA 2025 --out "$T/r3.json"
check "CSV and JSON carry the same response" cmp "$T/r1.json" "$T/r3.json"

# Workflow.
expect_exit 1 "cannot validate a draft" "$CDG" survey validate FRA 2025
err_has "it is draft" "illegal move explained"
expect_exit 0 "submit" "$CDG" survey submit FRA 2025 --actor focal.fra
expect_exit 3 "a submitted response cannot be overwritten" "$CDG" survey import "$EX/survey-response.json"
err_has "only a draft can be replaced" "overwrite refusal explained"
expect_exit 0 "validate" "$CDG" survey validate FRA 2025 --actor secretariat
expect_exit 0 "publish" "$CDG" survey publish FRA 2025 --actor secretariat
expect_exit 0 "history" "$CDG" survey history FRA 2025 --json
jq_is 'map(.status) | join(",")' "draft,submitted,validated,published" "four revisions in order"
jq_is '.[1].actor' focal.fra "who submitted is recorded"
jq_is '.[3].action' publish "the last move is publish"
# CDG9.1.1: reference date 31 December of the observation year; a response
# submitted this year counts for this year (and next), not for 2025.
cur() { sqlite3 "$CDG_DB" "SELECT value FROM observation WHERE indicator_id='CDG9.1.1' AND iso3='$1' AND year=$2 AND superseded_by IS NULL"; }
check "publication wrote CDG9.1.1 = 1 for the year of submission" test "$(cur FRA "$year")" = 1.0
check "the 1 names the response it comes from" test "$(sqlite3 "$CDG_DB" "SELECT source FROM observation WHERE indicator_id='CDG9.1.1' AND iso3='FRA' AND year=$year AND superseded_by IS NULL")" = "cdg survey FRA 2025, submitted $(date -u +%F)"
check "a demo response alone gives other states no value (not a demo 0)" test -z "$(cur DEU "$year")"
# A real response: from now on a state without one scores 0.
jq '.country = "DEU" | .synthetic = false' "$EX/survey-response.json" >"$T/deu.json"
expect_exit 0 "import a real response (DEU)" "$CDG" survey import "$T/deu.json"
for move in submit validate publish; do expect_exit 0 "DEU: $move" "$CDG" survey "$move" DEU 2025; done
check "DEU scores 1" test "$(cur DEU "$year")" = 1.0
check "a state with no published response scores 0, not missing" test "$(cur USA "$year")" = 0.0
check "the 0 is real data" test "$(sqlite3 "$CDG_DB" "SELECT synthetic FROM observation WHERE indicator_id='CDG9.1.1' AND iso3='USA' AND year=$year")" = 0
check "every state has a CDG9.1.1 value for this year" test "$(sqlite3 "$CDG_DB" "SELECT count(*) FROM observation WHERE indicator_id='CDG9.1.1' AND year=$year AND superseded_by IS NULL")" = "$(sqlite3 "$CDG_DB" "SELECT count(*) FROM country")"
check "no value before the first submission" test -z "$(cur USA $((year - 1)))"
check "publication marks derived values synthetic" test "$(sqlite3 "$CDG_DB" "SELECT min(synthetic) FROM observation WHERE source LIKE 'cdg survey FRA%'")" = 1
expect_exit 0 "reopen" "$CDG" survey reopen FRA 2025
expect_exit 0 "show revision 4" "$CDG" survey show FRA 2025 --revision 4
check "an earlier revision is shown in full" cmp <(jq -S . "$T/out") <(jq -S . "$EX/survey-response.json")
check "revisions cannot be changed" sh -c "! sqlite3 '$CDG_DB' \"UPDATE survey_revision SET status='x'\" 2>/dev/null"
check "revisions cannot be deleted" sh -c "! sqlite3 '$CDG_DB' 'DELETE FROM survey_revision' 2>/dev/null"

# Bad input: exit 3, every fault listed, nothing written.
before=$(revs)
bad() { # NAME TEXT
	expect_exit 3 "$1" "$CDG" survey import "$T/bad.json"
	err_has "$2" "$1: reported"
	check "$1: nothing written" test "$(revs)" = "$before"
}
resp() { printf '{"country": "%s", "year": %s, "answers": [\n%s\n]}\n' "$1" "$2" "$3" >"$T/bad.json"; }
resp DEU 2025 '{"question": "Q-zz-9", "answer": "yes"}'
bad "unknown question" 'bad.json:2: field question: unknown question "Q-zz-9"'
resp DEU 2025 '{"question": "Q-a-1", "answer": "maybe"}'
bad "answer outside the scale" 'field answer: Q-a-1: "maybe" is not an option of scale'
resp DEU 2025 '{"question": "Q-CDG1-1", "answer": "yes"}'
bad "missing required evidence" 'bad.json:2: field evidence: Q-CDG1-1: the answer "yes" needs evidence'
resp DEU 2025 '{"question": "Q-a-1", "answer": "yes"},
{"question": "Q-a-1", "answer": "no"}'
bad "question answered twice" 'bad.json:3: field question: Q-a-1 is answered twice (first on line 2)'
resp DXX 2025 '{"question": "Q-a-1", "answer": "yes"}'
bad "unknown country" 'field country: unknown country "DXX"'
resp DEU $((year + 1)) '{"question": "Q-a-1", "answer": "yes"}'
bad "year in the future" "field year: $((year + 1)) is not a survey year"
resp DEU 2025 '{"question": "Q-a-1", "answer": "yes", "colour": "red"}'
bad "unknown key" 'bad.json:2: field colour: unknown key'
printf '{"country": "DEU", "year": 2025, "answers": [\n  {"question": "Q-a-1",, }\n]}\n' >"$T/bad.json"
bad "malformed JSON" 'bad.json:2: column'
resp DEU 2025 '{"question": "Q-a-1", "answer": "yes", "evidence": ["two words"]}'
bad "evidence with spaces" 'contains spaces'
printf 'country,year,question,answer\nDEU,2025,Q-a-1,"yes\n' >"$T/bad.json"
bad "malformed CSV" 'quoted field 4 is never closed'

expect_exit 2 "unknown subcommand" "$CDG" survey frobnicate
expect_exit 2 "export without a year" "$CDG" survey export FRA
expect_exit 3 "export of a missing response" "$CDG" survey export DEU 2020

done_testing
