#!/usr/bin/env bash
# cdg data import/export: formats, round trips, supersession, and every kind
# of bad input rejected with exit 3 and nothing written.
. "$(dirname "$0")/lib.sh"
no_evidence # figures worked out from this test's own observations
SHARED="$CDG_SRCDIR/../shared"
year=$(date -u +%Y)

expect_exit 0 "init" "$CDG" init
# Observations other than those cdg init derives from the reference data.
count() { sqlite3 "$CDG_DB" "SELECT count(*) FROM observation WHERE batch_id IN
	(SELECT id FROM import_batch WHERE kind = 'observations') ${1:-}"; }

cat >"$T/obs.csv" <<CSV
country,indicator,year,value,source_url,note
FRA,CDG2.1.1,2024,1,https://www.cert.ssi.gouv.fr/,"CERT-FR, national CSIRT"
DEU,CDG2.1.1,2024,1,https://www.bsi.bund.de/,"BSI ""CERT-Bund"""
FRA,CDG1.2.1,2023,4,https://example.org/strategy,"said ""updated"" in 2019"
CSV
expect_exit 0 "import CSV (columns in any order)" "$CDG" data import "$T/obs.csv" --json
jq_is '.written' 3 "three rows written"
check "three observations stored" test "$(count)" = 3
check "provenance: who entered it" test "$(sqlite3 "$CDG_DB" "SELECT DISTINCT entered_by FROM observation WHERE batch_id IN (SELECT id FROM import_batch WHERE kind = 'observations')")" = "cli:${USER:-unknown}"
check "the batch records the file's SHA-256 (hashed while read)" test "$(sqlite3 "$CDG_DB" "SELECT sha256 FROM import_batch WHERE kind = 'observations'")" = "$(sha256sum "$T/obs.csv" | cut -d' ' -f1)"
check "the audit log records the batch's hash" test "$(sqlite3 "$CDG_DB" "SELECT json_extract(after,'$.sha256') FROM audit_log WHERE entity='import_batch' ORDER BY id DESC LIMIT 1")" = "$(sha256sum "$T/obs.csv" | cut -d' ' -f1)"
check "the audit log records the batch and its row count" test "$(sqlite3 "$CDG_DB" "SELECT json_extract(after,'$.rows') FROM audit_log WHERE entity='import_batch' ORDER BY id DESC LIMIT 1")" = 3

expect_exit 0 "same file again" "$CDG" data import "$T/obs.csv" --json
jq_is '.unchanged' 3 "re-import changes nothing"
check "still three observations" test "$(count)" = 3

# A newer value supersedes; the old one is kept.
printf 'indicator,country,year,value,source_url\nCDG1.2.1,FRA,2023,2,https://example.org/strategy-v2\n' >"$T/newer.csv"
expect_exit 0 "newer value" "$CDG" data import "$T/newer.csv"
check "old row kept" test "$(count)" = 4
check "one current value" test "$(count "AND superseded_by IS NULL AND indicator_id='CDG1.2.1'")" = 1
check "current value is the newer" test "$(sqlite3 "$CDG_DB" "SELECT value FROM observation WHERE superseded_by IS NULL AND indicator_id='CDG1.2.1'")" = 2.0

# Round trip: export, import into a fresh database, export again.
expect_exit 0 "export CSV" "$CDG" data export --out "$T/export.csv"
CDG_DB="$T/second.db" "$CDG" init >/dev/null
expect_exit 0 "import the export elsewhere" env CDG_DB="$T/second.db" "$CDG" data import "$T/export.csv"
expect_exit 0 "export again" env CDG_DB="$T/second.db" "$CDG" data export --out "$T/export2.csv"
check "round trip is lossless (values, sources, notes)" \
	cmp <(cut -d, -f1-6 "$T/export.csv") <(cut -d, -f1-6 "$T/export2.csv")
check "export keeps quoted commas" grep -qF '"CERT-FR, national CSIRT"' "$T/export2.csv"
check "export keeps quotes" grep -qF '"BSI ""CERT-Bund"""' "$T/export2.csv"

# SDMX-CSV 2.0 export passes the structural checker.
expect_exit 0 "export SDMX-CSV" "$CDG" data export --format sdmx --out "$T/export.sdmx.csv"
check "SDMX export passes check-sdmx-csv" node "$SHARED/tools/check-sdmx-csv.mjs" \
	--numeric OBS_VALUE --key FREQ,REF_AREA,INDICATOR,TIME_PERIOD \
	--require STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE \
	"$T/export.sdmx.csv"
CDG_DB="$T/third.db" "$CDG" init >/dev/null
expect_exit 0 "SDMX export imports back" env CDG_DB="$T/third.db" "$CDG" data import "$T/export.sdmx.csv" --json
jq_is '.format' sdmx-csv-2.0 "detected SDMX-CSV 2.0"
jq_is '.written' 3 "three current values"

# SDMX-CSV 1.0 with M49 numeric areas (the UN SDG database's layout).
cat >"$T/sdg.csv" <<CSV
DATAFLOW,FREQ,SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MULT,SOURCE_DETAIL,COMMENT_OBS
IAEG-SDGs:DF_SDG_GLH(1.24),A,CDG2_1_1,250,2022,1,0,ITU national CIRT list,
IAEG-SDGs:DF_SDG_GLH(1.24),A,CDG2_1_1,404,2022,1,0,ITU national CIRT list,Kenya
IAEG-SDGs:DF_SDG_GLH(1.24),A,CDG2_1_1,076,2022,NaN,0,,no reply
CSV
expect_exit 0 "import SDMX-CSV 1.0 with M49 codes" "$CDG" data import "$T/sdg.csv" --json
jq_is '.format' sdmx-csv-1.0 "detected SDMX-CSV 1.0"
jq_is '.written' 2 "two values written"
jq_is '.missing' 1 "NaN row skipped as missing"
check "M49 404 is Kenya" test "$(count "AND iso3='KEN'")" = 1

# ---- bad input: exit 3, every fault listed, nothing written -----------------
before=$(count)
bad() { # NAME EXPECTED-STDERR-TEXT
	expect_exit 3 "$1" "$CDG" data import "$T/bad.csv"
	err_has "$2" "$1: reported"
	check "$1: nothing written" test "$(count)" = "$before"
}
hdr='indicator,country,year,value,source_url'
printf '%s\nCDG2.1.1,FRX,2024,1,https://x.org\n' "$hdr" >"$T/bad.csv"
bad "unknown country" 'bad.csv:2: field country: unknown country "FRX"'
printf '%s\nCDG9.9.9,FRA,2024,1,https://x.org\n' "$hdr" >"$T/bad.csv"
bad "unknown indicator" 'bad.csv:2: field indicator: unknown indicator "CDG9.9.9"'
printf '%s\nCDG2.1.1,FRA,2024,yes,https://x.org\n' "$hdr" >"$T/bad.csv"
bad "wrong type" 'bad.csv:2: field value: "yes" is not a number'
printf '%s\nCDG9.2.1,FRA,2024,150,https://x.org\n' "$hdr" >"$T/bad.csv"
bad "value outside the range" 'bad.csv:2: field value: 150 is outside the range of CDG9.2.1'
printf '%s\nCDG2.1.1,FRA,%s,1,https://x.org\n' "$hdr" $((year + 1)) >"$T/bad.csv"
bad "year in the future" "bad.csv:2: field year: $((year + 1)) is in the future"
printf '%s\nCDG2.1.1,FRA,2024,1,https://x.org\nCDG2.1.1,ITA,2024,1,https://x.org\nCDG2.1.1,FRA,2024,1,https://y.org\n' "$hdr" >"$T/bad.csv"
bad "duplicate key in one file" 'bad.csv:4: CDG2.1.1 FRA 2024 appears twice in the file (first on line 2)'
# Faults found while checking rows and while writing them (duplicates)
# come out in line order, also across the reader's batches of 4096 rows.
{ echo "$hdr"; echo "CDG2.1.1,FRA,2024,1,https://x.org"; echo "CDG2.1.1,FRA,2024,1,https://y.org"
  echo "CDG2.1.1,FRX,2024,1,https://x.org"
  awk -F, 'FNR > 1 && $1 != "FRA" { for (y = 1990; y < 2025; y++) print "CDG2.1.1," $1 "," y ",1,https://x.org/" $1 }' \
	"$CDG_SRCDIR/data/reference/un_member_states.csv" | head -5000
  echo "CDG2.1.1,FRA,2023,2,https://x.org"; echo "CDG2.1.1,FRA,2024,1,https://z.org"; } >"$T/bad.csv"
bad "faults of both kinds" 'bad.csv:3: CDG2.1.1 FRA 2024 appears twice in the file (first on line 2)'
check "faults in line order, across batches" test "$(grep -o 'bad.csv:[0-9]*:' "$T/err" | tr -d '\n')" = "bad.csv:3:bad.csv:4:bad.csv:5005:bad.csv:5006:"
err_has "4 errors; nothing was imported" "all faults counted"
printf '%s\nCDG2.1.1,FRA,2024,1,\n' "$hdr" >"$T/bad.csv"
bad "missing source" 'bad.csv:2: field source_url: every observation needs its source'
printf '%s\nCDG2.1.1,FRA,2024,1,"https://x.org\nCDG2.1.1,ITA,2024,1,https://x.org\n' "$hdr" >"$T/bad.csv"
bad "unbalanced quotes" 'bad.csv:2: quoted field 5 is never closed'
printf '%s\nCDG2.1.1,FRA,2024,1\n' "$hdr" >"$T/bad.csv"
bad "wrong column count" 'bad.csv:2: record has 4 fields, the header has 5'
printf '%s\nCDG2.1.1,FRA,2024,1,https://x.org/\xff\n' "$hdr" >"$T/bad.csv"
bad "invalid UTF-8" 'bad.csv:2: field source_url: field 5 is not valid UTF-8'
printf 'indicator,country,year,value\nCDG2.1.1,FRA,2024,1\n' >"$T/bad.csv"
bad "missing required column" 'bad.csv:1: field source_url: required column is missing'
printf '%s,colour\nCDG2.1.1,FRA,2024,1,https://x.org,red\n' "$hdr" >"$T/bad.csv"
bad "unknown column" 'bad.csv:1: field colour: unknown column'
printf 'STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,SOURCE_DETAIL\ndataflow,CDG:DF_CDG_INDICATORS(1.0.0),D,A,FRA,CDG2_1_1,2024,,\n' >"$T/bad.csv"
bad "SDMX delete action" 'bad.csv:2: field ACTION: cdg never deletes observations'

# Several faults: all listed (first 50), then one summary line.
{ echo "$hdr"; for i in $(seq 1 60); do echo "CDG2.1.1,XX$((i % 10)),2024,1,https://x.org"; done; } >"$T/bad.csv"
bad "many faults" 'bad.csv: 60 errors; nothing was imported'
check "first 50 faults listed" test "$(grep -c 'field country' "$T/err")" = 50
err_has "... and 10 more" "the rest are counted"

# A file of several GB is refused before reading (a sparse file: no disk used).
truncate -s 3G "$T/huge.csv"
start=$(date +%s)
expect_exit 3 "a 3 GiB file" "$CDG" data import "$T/huge.csv"
err_has "imports are limited to 2.0 GiB" "size limit explained"
check "refused at once" test $(( $(date +%s) - start )) -le 2
check "nothing written after the huge file" test "$(count)" = "$before"

# A bulk import killed mid-write leaves all of it or nothing (one
# transaction in WAL mode), and the database intact.
jq -r '.indicators[] | select(.unit == "binary") | .id' \
	"$CDG_SRCDIR/data/framework/indicators.json" >"$T/binary.txt"
awk -F, 'NR == FNR { ind[n++] = $0; next } FNR > 1 { iso[m++] = $1 }
END {	print "indicator,country,year,value,source_url"
	for (y = 1995; y < 2020; y++) for (i = 0; i < n; i++) for (c = 0; c < m; c++)
		printf "%s,%s,%d,1,https://example.org/kill/%s\n", ind[i], iso[c], y, iso[c] }' \
	"$T/binary.txt" "$CDG_SRCDIR/data/reference/un_member_states.csv" >"$T/kill.csv"
"$CDG" data import "$T/kill.csv" >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
kb() { sqlite3 "$CDG_DB" "SELECT $1 FROM import_batch WHERE file_name LIKE '%/kill.csv'"; }
check "a killed import left no batch or a whole one" test "$(kb 'count(*)')" -le 1
check "... and exactly its rows" test "$(sqlite3 "$CDG_DB" "SELECT count(*) FROM observation WHERE batch_id IN (SELECT id FROM import_batch WHERE file_name LIKE '%/kill.csv')")" = "$(kb 'coalesce(sum(rows), 0)')"
check "the database is intact after the kill" test "$(sqlite3 "$CDG_DB" "PRAGMA integrity_check")" = ok

expect_exit 2 "import without a file" "$CDG" data import
expect_exit 2 "bad export format" "$CDG" data export --format xml
expect_exit 3 "export of an unknown indicator" "$CDG" data export --indicator CDG0

done_testing
