#!/usr/bin/env bash
# Issue 16: every export re-imports to the same records.  Observations (CSV
# and SDMX-CSV) and capacity initiatives: export, import into a fresh
# database, export again: byte for byte the same, provenance included
# (who entered a value and when, whether it is SYNTHETIC, its source type).
. "$CDG_SRCDIR/tests/cli/lib.sh"

SRC="$T/src.db"
CDG_DB=$SRC $CDG init >/dev/null 2>&1
CDG_DB=$SRC $CDG demo >/dev/null 2>&1
check "a database with desk research and a SYNTHETIC demo round" test -s "$SRC"

# The fresh database: the shipped data without the desk research, so that
# every observation comes from the exchanged file.
no_evidence
fresh() { rm -f "$T/$1.db"; CDG_DB="$T/$1.db" $CDG init >/dev/null 2>&1; }

# ---- observations, CSV ------------------------------------------------------
CDG_DB=$SRC $CDG data export --out "$T/a.csv"
# What the source database holds, as the view observation reads it.
current() { # DB: indicator, state, year, value, who, when, synthetic, type
	sqlite3 "$1" "SELECT indicator_id, iso3, year, value, entered_by, entered_at,
		synthetic, source_type FROM observation WHERE superseded_by IS NULL
		ORDER BY 1, 2, 3"
}
current "$SRC" >"$T/src.rows"
rows=$(wc -l <"$T/src.rows")
syn=$(awk -F'|' '$7 == 1' "$T/src.rows" | wc -l)
types=$(cut -d'|' -f8 "$T/src.rows" | sort -u | tr '\n' ' ')
check "the source has rows ($rows), SYNTHETIC ones ($syn) and three source types ($types)" \
	test "$rows" -gt 5000 -a "$syn" -gt 100 -a "$types" = "derived desk_research self_reported "
check "the CSV export has them all" test "$(($(wc -l <"$T/a.csv") - 1))" -eq "$rows"
fresh csv
CDG_DB=$T/csv.db expect_exit 0 "the CSV export imports into a fresh database" \
	$CDG data import "$T/a.csv"
out_has() { grep -qF -- "$1" "$T/out" && ok "$2" || not_ok "$2: stdout lacks '$1': $(head -c 300 "$T/out")"; }
out_has "$rows written" "every row is written"
CDG_DB=$T/csv.db $CDG data export --out "$T/b.csv"
check "CSV: export, import, export gives the same bytes" cmp -s "$T/a.csv" "$T/b.csv"
# Before issue 16 the import stamped its own provenance on every row: the
# demo's values came back as real, desk research and derived values as
# whatever --source-type said.
current "$T/csv.db" >"$T/csv.rows"
check "every value, who entered it and when, SYNTHETIC flag and source type are kept" \
	cmp -s "$T/src.rows" "$T/csv.rows"
check "SYNTHETIC values stay SYNTHETIC ($syn)" \
	test "$(awk -F'|' '$7 == 1' "$T/csv.rows" | wc -l)" -eq "$syn"
check "who entered a value is kept (system for cdg init, demo for the demo round)" \
	test "$(cut -d'|' -f5 "$T/csv.rows" | sort -u | tr '\n' ' ')" = "demo system "
# Three source types: three import batches, one per type.
batches=$(sqlite3 "$T/csv.db" "SELECT group_concat(source_type || ':' || rows, ' ')
	FROM (SELECT source_type, rows FROM import_batch WHERE kind = 'observations'
	ORDER BY source_type)")
check "one import batch per source type, rows counted ($batches)" \
	test "$(echo "$batches" | wc -w)" -eq 3
CDG_DB=$T/csv.db expect_exit 0 "importing the same file again" $CDG data import "$T/a.csv"
out_has "0 written, $rows unchanged" "changes nothing"

# ---- observations, SDMX-CSV -------------------------------------------------
CDG_DB=$SRC $CDG data export --format sdmx --out "$T/a.sdmx"
fresh sdmx
CDG_DB=$T/sdmx.db expect_exit 0 "the SDMX-CSV export imports into a fresh database" \
	$CDG data import "$T/a.sdmx"
CDG_DB=$T/sdmx.db $CDG data export --format sdmx --out "$T/b.sdmx"
check "SDMX-CSV: export, import, export gives the same bytes" cmp -s "$T/a.sdmx" "$T/b.sdmx"
check "the SYNTHETIC words in COMMENT_OBS are not doubled" \
	bash -c "! grep -q 'SYNTHETIC demo data. SYNTHETIC' '$T/b.sdmx'"
check "the SDMX round trip keeps every value, its SYNTHETIC flag and source type" \
	cmp -s <(cut -d'|' -f1-4,7,8 "$T/src.rows") <(current "$T/sdmx.db" | cut -d'|' -f1-4,7,8)

# ---- provenance that cdg could not have written -------------------------------
fresh bad
hdr=indicator,country,year,value,source_url,note,entered_by,entered_at,synthetic,source_type
bad() { # DESCRIPTION FIELD ROW
	printf '%s\n%s\n' "$hdr" "$3" >"$T/bad.csv"
	CDG_DB=$T/bad.db expect_exit 3 "$1" $CDG data import "$T/bad.csv"
	err_has "bad.csv:2: field $2:" "  names line 2, field $2"
}
bad "synthetic must be 0 or 1" synthetic \
	'CDG1.1.1,FRA,2020,1,https://a.example/x,,ana,2026-01-02T03:04:05Z,yes,desk_research'
bad "entered_at must be a UTC time" entered_at \
	'CDG1.1.1,FRA,2020,1,https://a.example/x,,ana,2026-01-02,0,desk_research'
bad "entered_at may not be in the future" entered_at \
	'CDG1.1.1,FRA,2020,1,https://a.example/x,,ana,2999-01-02T03:04:05Z,0,desk_research'
bad "source_type must be one of the three" source_type \
	'CDG1.1.1,FRA,2020,1,https://a.example/x,,ana,2026-01-02T03:04:05Z,0,rumour'
printf '%s\n%s\n' "$hdr" 'CDG1.1.1,FRA,2020,1,https://a.example/x,,ana,,0,derived' >"$T/bad.csv"
CDG_DB=$T/bad.db expect_exit 3 "a row's source type that --source-type contradicts" \
	$CDG data import "$T/bad.csv" --source-type self_reported
err_has "field source_type: the row says derived but --source-type says self_reported" \
	"  says which two disagree"
check "nothing was written by the refused imports" \
	test "$(sqlite3 "$T/bad.db" 'SELECT count(*) FROM obs')" -eq 0
# An import flagged --source-type fills rows that have none.
printf '%s\n%s\n' "$hdr" 'CDG1.1.1,FRA,2020,1,https://a.example/x,,,,,' >"$T/ok.csv"
CDG_DB=$T/bad.db expect_exit 0 "a row without provenance takes the import's" \
	$CDG data import "$T/ok.csv" --source-type self_reported --actor cli:ana
CDG_DB=$T/bad.db $CDG data export >"$T/out"
check "  entered by the importer, self_reported, not synthetic" \
	grep -q '^CDG1.1.1,FRA,2020,1,https://a.example/x,,cli:ana,20[0-9-]*T[0-9:]*Z,0,self_reported' "$T/out"

# ---- capacity initiatives ----------------------------------------------------
CDG_DB=$SRC $CDG capacity export --out "$T/cap.csv"
ncap=$(($(wc -l <"$T/cap.csv") - 1))
head -1 "$CDG_DATA/capacity/initiatives.csv" >"$T/h" && mv "$T/h" "$CDG_DATA/capacity/initiatives.csv"
fresh cap
check "the fresh database has no initiative" \
	test "$(sqlite3 "$T/cap.db" 'SELECT count(*) FROM cap_initiative')" -eq 0
CDG_DB=$T/cap.db expect_exit 0 "the capacity export ($ncap initiatives) imports" \
	$CDG capacity import "$T/cap.csv"
CDG_DB=$T/cap.db $CDG capacity export --out "$T/cap2.csv"
check "capacity CSV: export, import, export gives the same bytes" cmp -s "$T/cap.csv" "$T/cap2.csv"
CDG_DB=$SRC $CDG capacity export --format json --out "$T/cap.json"
CDG_DB=$T/cap.db $CDG capacity export --format json --out "$T/cap2.json"
check "and the JSON view of the same records is the same" cmp -s "$T/cap.json" "$T/cap2.json"

# ---- the map of agreements (JSON) and company commitments (CSV) -------------------
CDG_DB=$SRC $CDG agreements export --out "$T/agr.json"
CDG_DB=$SRC $CDG agreements export --format csv --out "$T/agr.csv"
desk=$(grep -c '"status"' "$T/agr.json")
check "the agreements export carries the desk-research participants ($desk)" test "$desk" -gt 100
printf '{"format": "cdg-agreements/1", "industry_norms": [], "agreements": []}\n' \
	>"$CDG_DATA/agreements/agreements.json"
head -1 "$CDG_DATA/agreements/industry_commitments.csv" >"$T/h" \
	&& mv "$T/h" "$CDG_DATA/agreements/industry_commitments.csv"
fresh agr
check "the fresh database has no agreement" \
	test "$(sqlite3 "$T/agr.db" 'SELECT count(*) FROM agr_agreement')" -eq 0
CDG_DB=$T/agr.db expect_exit 0 "the agreements JSON imports" $CDG agreements import "$T/agr.json"
CDG_DB=$T/agr.db expect_exit 0 "then the company commitments CSV" \
	$CDG agreements import "$T/agr.csv"
CDG_DB=$T/agr.db $CDG agreements export --out "$T/agr2.json"
CDG_DB=$T/agr.db $CDG agreements export --format csv --out "$T/agr2.csv"
check "agreements JSON: export, import, export gives the same bytes" \
	cmp -s "$T/agr.json" "$T/agr2.json"
check "company commitments CSV: the same bytes" cmp -s "$T/agr.csv" "$T/agr2.csv"
rows() { # DB: every participant with its place and provenance
	sqlite3 "$1" "SELECT agreement_id, position, name, iso3, kind, role, date,
		source_url, status, checked, note FROM agr_participant ORDER BY 1, 2"
}
check "participants are equal field by field, the desk-research ones in their place" \
	cmp -s <(rows "$SRC") <(rows "$T/agr.db")
CDG_DB=$SRC expect_exit 0 "importing the export into its own database" \
	$CDG agreements import "$T/agr.json"
out_has "0 rows written" "changes nothing (the desk-research rows are not named twice)"
sed 's/"status": "supporter"/"status": "fan"/' "$T/agr.json" >"$T/bad.json"
CDG_DB=$T/agr.db expect_exit 3 "a participant's status that the list does not have" \
	$CDG agreements import "$T/bad.json"
err_has "field status: \"fan\" is not one of" "  names the field"

# ---- the standing forum (JSON) -------------------------------------------------
F=$T/forum.db
f() { CDG_DB=$F $CDG forum "$@" >/dev/null; }
CDG_DB=$F $CDG init >/dev/null 2>&1
f org add "Republic of Kenya" --group state --country KEN
f org add "Open Net Civil Society" --group civil_society
f org accredit 1 && f org accredit 2
f session add --title "First session" --from 2026-03-02 --to 2026-03-04
f session add --title "Written consultation" --kind consultation --from 2026-04-01 --to 2026-05-01
f item add 1 --title "Protecting critical infrastructure" && f item add 1 --title "Capacity"
f doc add 1 --title "Provisional agenda" --access public --text "Version 1."
f doc version 1 --text "Version 2." --url https://example.org/agenda
f doc add 1 --item 1 --title "Chair's non-paper" --access registered --text "For participants."
f propose --item 1 --org 1 --title "Protect hospitals" --text "First text" --refs f,CDG1
f revise 1 --title "Protect hospitals and grids" --text "Second text"
f propose --item 2 --org 2 --title "Fund CSIRTs" --text "A fund"
f comment 1 --org 2 --text "We agree" && f endorse 1 --org 2
f decide --item 1 --vote 10,2,1 --text "Adopted as revised" --draws-on P1 \
	--adopted-on 2026-03-04 --action "Report back|1|2026-09-01" --action "Map gaps|2|2026-12-01"
f action update 1 --status in_progress --note "started" && f action update 1 --status done
CDG_DB=$F expect_exit 0 "forum export with registered documents" \
	$CDG forum export --registered --out "$T/forum.json"
check "  it holds the registered document" grep -q "Chair's non-paper" "$T/forum.json"
fresh forum2
CDG_DB=$T/forum2.db expect_exit 0 "the forum export restores into a fresh database" \
	$CDG forum import "$T/forum.json"
out_has "records restored" "  and says how many records"
CDG_DB=$T/forum2.db $CDG forum export --registered --out "$T/forum2.json"
check "forum: export, import, export gives the same JSON (but for generated_at)" \
	cmp -s <(grep -v '"generated_at"' "$T/forum.json") <(grep -v '"generated_at"' "$T/forum2.json")
tables="forum_org forum_session forum_item forum_doc forum_doc_version forum_proposal
	forum_proposal_version forum_comment forum_endorsement forum_decision
	forum_decision_basis forum_action forum_action_update"
dump() { for t in $tables; do sqlite3 "$1" "SELECT * FROM $t ORDER BY 1, 2"; done; }
check "every forum record is equal field by field: ids, who and when" \
	cmp -s <(dump "$F") <(dump "$T/forum2.db")
check "  (the records are there: $(dump "$F" | wc -l) rows)" test "$(dump "$F" | wc -l)" -ge 20
CDG_DB=$T/forum2.db expect_exit 0 "the restored forum goes on: a new proposal" \
	$CDG forum propose --item 2 --org 1 --title "Next" --text "More" --json
jq_is .id 3 "  takes the next id"
CDG_DB=$T/forum2.db expect_exit 3 "importing into a forum that has records" \
	$CDG forum import "$T/forum.json"
err_has "already has records" "  is refused"
fresh forum3
sed 's/"kind":"consultation"/"kind":"party"/' "$T/forum.json" >"$T/badforum.json"
CDG_DB=$T/forum3.db expect_exit 3 "a record with a bad value" $CDG forum import "$T/badforum.json"
err_has "badforum.json:6: field sessions[1].kind: \"party\" is not one of" \
	"  names file, line and field"
check "  and nothing was written" \
	test "$(sqlite3 "$T/forum3.db" 'SELECT count(*) FROM forum_org')" -eq 0

done_testing
