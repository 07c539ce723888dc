#!/usr/bin/env bash
# Issue 16: CSV saved by a spreadsheet in a European locale (Excel's "CSV
# (semicolon delimited)": a UTF-8 BOM, CRLF line ends, ';' between fields,
# decimal commas).  Without --delimiter such a file is refused with exit 3,
# a message saying what was found and how to fix it, and nothing written;
# with --delimiter ';' (or tab) it imports to the same records as the comma
# version.  A number written with a decimal comma is refused naming file,
# line and field, never read as another number.  The registry's duplicate
# check still names every earlier copy of an attribution.
. "$CDG_SRCDIR/tests/cli/lib.sh"

no_evidence # the observations compared are this test's own
$CDG init >/dev/null 2>&1
BOM=$'\xEF\xBB\xBF'

# err_is TEXT DESCRIPTION: stderr of the last expect_exit is exactly TEXT.
err_is() {
	if [ "$(cat "$T/err")" = "$1" ]; then ok "$2"
	else not_ok "$2: stderr is '$(head -c 600 "$T/err")', wanted '$1'"; fi
}
# crlf FILE: writes stdin to FILE with CRLF line ends.
crlf() { sed 's/$/\r/' >"$1"; }
# written DB: every table that holds imported records, as one line each.
written() {
	sqlite3 "${1:-$CDG_DB}" "SELECT (SELECT count(*) FROM observation),
		(SELECT count(*) FROM import_batch), (SELECT count(*) FROM reg_incident),
		(SELECT count(*) FROM reg_attribution), (SELECT count(*) FROM audit_log)"
}
obs() { # DB: the current observations this test imports
	sqlite3 "$1" "SELECT indicator_id, iso3, year, value, source, note
		FROM observation WHERE superseded_by IS NULL AND batch_id IN
		(SELECT id FROM import_batch WHERE kind = 'observations') ORDER BY 1, 2, 3"
}

# ---- observations -----------------------------------------------------------
cat >"$T/comma.csv" <<'EOF'
indicator,country,year,value,source_url,note
CDG2.2.1,FRA,2020,0.75,https://example.org/fra,"one; two"
CDG2.2.1,DEU,2021,42,https://example.org/deu,plain
CDG1.1.1,ITA,2019,1,https://example.org/ita,
EOF
# The same rows as Excel writes them with ';' (the note with ';' quoted).
{ printf '%s' "$BOM"; cat <<'EOF'; } | crlf "$T/excel.csv"
indicator;country;year;value;source_url;note
CDG2.2.1;FRA;2020;0.75;https://example.org/fra;"one; two"
CDG2.2.1;DEU;2021;42;https://example.org/deu;plain
CDG1.1.1;ITA;2019;1;https://example.org/ita;
EOF
check "the Excel file starts with a BOM and has CRLF ends" \
	test "$(head -c 3 "$T/excel.csv" | od -An -tx1 | tr -d ' ')" = efbbbf -a \
	"$(head -1 "$T/excel.csv" | tail -c 2 | od -An -tx1 | tr -d ' ')" = 0d0a

before=$(written)
expect_exit 3 "data import of a ';' file without --delimiter is refused" \
	$CDG data import "$T/excel.csv"
err_is "cdg: $T/excel.csv:1: the file uses ';' as separator: re-save as \"CSV UTF-8 (comma delimited)\" or pass --delimiter ';'
cdg: $T/excel.csv: 1 error; nothing was imported" "it says what was found and how to fix it"
check "nothing was written" test "$(written)" = "$before"

tr ';' '\t' <"$T/excel.csv" | sed 's/"one\t two"/"one; two"/' >"$T/excel.tsv"
expect_exit 3 "a tab-separated file without --delimiter is refused" \
	$CDG data import "$T/excel.tsv"
err_has "excel.tsv:1: the file uses tabs as separator: re-save as \"CSV UTF-8 (comma delimited)\" or pass --delimiter tab" \
	"the tab message names tabs and --delimiter tab"
check "nothing was written" test "$(written)" = "$before"

cp "$CDG_DB" "$T/empty.db"
expect_exit 0 "the comma file imports" $CDG data import "$T/comma.csv"
obs "$CDG_DB" >"$T/comma.rows"
check "three observations from the comma file" test "$(wc -l <"$T/comma.rows")" = 3
for f in excel.csv:';' excel.tsv:tab; do
	cp "$T/empty.db" "$T/s.db"
	CDG_DB=$T/s.db expect_exit 0 "data import ${f%%:*} --delimiter ${f#*:}" \
		$CDG data import "$T/${f%%:*}" --delimiter "${f#*:}"
	obs "$T/s.db" >"$T/s.rows"
	check "${f%%:*}: the same observations as the comma file" cmp -s "$T/comma.rows" "$T/s.rows"
done

# A BOM and CRLF alone are read silently.
{ printf '%s' "$BOM"; cat "$T/comma.csv"; } | crlf "$T/bom.csv"
cp "$T/empty.db" "$T/s.db"
CDG_DB=$T/s.db expect_exit 0 "a comma file with a BOM and CRLF imports" $CDG data import "$T/bom.csv"
check "nothing on stderr" test ! -s "$T/err"
obs "$T/s.db" >"$T/s.rows"
check "the same observations" cmp -s "$T/comma.rows" "$T/s.rows"

# Decimal commas: refused with the field named, whatever the separator.
sed 's/;0\.75;/;0,75;/' "$T/excel.csv" >"$T/comma-decimal.csv"
cp "$T/empty.db" "$T/s.db"
before=$(written "$T/s.db")
CDG_DB=$T/s.db expect_exit 3 "a decimal comma is refused with --delimiter ';'" \
	$CDG data import "$T/comma-decimal.csv" --delimiter ';'
err_is "cdg: $T/comma-decimal.csv:2: field value: \"0,75\" has a decimal comma: write it with a decimal point (0.75): set the spreadsheet's decimal separator to '.' (Excel: File > Options > Advanced) and save the file again
cdg: $T/comma-decimal.csv: 1 error; nothing was imported" "it names file, line and field, with the hint"
check "nothing was written" test "$(written "$T/s.db")" = "$before"
sed 's/,0\.75,/,"0,75",/' "$T/comma.csv" >"$T/quoted-decimal.csv"
CDG_DB=$T/s.db expect_exit 3 "a quoted decimal comma in a comma file is refused" \
	$CDG data import "$T/quoted-decimal.csv"
err_has "quoted-decimal.csv:2: field value: \"0,75\" has a decimal comma" "the same message"
check "nothing was written" test "$(written "$T/s.db")" = "$before"

expect_exit 2 "--delimiter takes ',', ';' or tab only" $CDG data import "$T/comma.csv" --delimiter '|'
err_has "--delimiter is ',', ';' or tab" "the usage error says which"
expect_exit 0 "cdg help data" $CDG help data
check "help data documents --delimiter" grep -qF -- "--delimiter ';'|tab" "$T/out"

# ---- registry ---------------------------------------------------------------
cat >"$T/reg.csv" <<'EOF'
incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,norm_or_law_invoked,source_url,confidence
Spreadsheet incident,2019-03-01,GBR,APT28 (RUS),2019-05-02,Statement one,"13(f); sovereignty",https://example.org/1,85
Spreadsheet incident,2019-03-01,Netherlands,APT28 (RUS),2019-05-03,Statement two,,https://example.org/2,high
Second incident,2020,European Union,CHN,2020-07-30,"EU statement, with a comma",13(c),https://example.org/3,
EOF
{ printf '%s' "$BOM"; cat <<'EOF'; } | crlf "$T/reg-excel.csv"
incident;incident_date;attributing_party;attributed_to;attribution_date;statement_title;norm_or_law_invoked;source_url;confidence
Spreadsheet incident;2019-03-01;GBR;APT28 (RUS);2019-05-02;Statement one;"13(f); sovereignty";https://example.org/1;85
Spreadsheet incident;2019-03-01;Netherlands;APT28 (RUS);2019-05-03;Statement two;;https://example.org/2;high
Second incident;2020;European Union;CHN;2020-07-30;EU statement, with a comma;13(c);https://example.org/3;
EOF
cp "$T/empty.db" "$T/r.db"
before=$(written "$T/r.db")
CDG_DB=$T/r.db expect_exit 3 "registry import of a ';' file without --delimiter is refused" \
	$CDG registry import "$T/reg-excel.csv"
err_has "cdg: $T/reg-excel.csv:1: the file uses ';' as separator: re-save as \"CSV UTF-8 (comma delimited)\" or pass --delimiter ';'" \
	"it says what was found and how to fix it"
check "nothing was written" test "$(written "$T/r.db")" = "$before"
CDG_DB=$T/r.db expect_exit 0 "registry import --delimiter ';'" \
	$CDG registry import "$T/reg-excel.csv" --delimiter ';'
CDG_DB=$T/r.db $CDG registry export --out "$T/r.out.csv"
cp "$T/empty.db" "$T/c.db"
CDG_DB=$T/c.db expect_exit 0 "registry import of the comma file" $CDG registry import "$T/reg.csv"
CDG_DB=$T/c.db $CDG registry export --out "$T/c.out.csv"
check "the same registry from either file (export byte for byte)" cmp -s "$T/r.out.csv" "$T/c.out.csv"
check "with the attributions of both" test "$(grep -c 'example.org/[123]' "$T/c.out.csv")" = 3

sed 's/;85\r$/;85,5\r/' "$T/reg-excel.csv" >"$T/reg-decimal.csv"
before=$(written "$T/empty.db")
cp "$T/empty.db" "$T/s.db"
CDG_DB=$T/s.db expect_exit 3 "a decimal comma in confidence is refused" \
	$CDG registry import "$T/reg-decimal.csv" --delimiter ';'
err_has "reg-decimal.csv:2: field confidence: \"85,5\" has a decimal comma: write it with a decimal point" \
	"it names file, line and field, with the hint"
check "nothing was written" test "$(written "$T/s.db")" = "$before"
expect_exit 0 "cdg help registry" $CDG help registry
check "help registry documents --delimiter" grep -qF -- "--delimiter ';'|tab" "$T/out"

# The duplicate check (a hash map since issue 16) still finds every earlier
# copy: rows 2, 4 and 5 are one attribution, so line 4 repeats line 2 and
# line 5 repeats lines 2 and 4, in that order.
{ head -2 "$T/reg.csv"; sed -n 3p "$T/reg.csv"; sed -n 2p "$T/reg.csv"; sed -n 2p "$T/reg.csv"; } >"$T/dup.csv"
CDG_DB=$T/s.db expect_exit 3 "the same attribution three times is refused" \
	$CDG registry import "$T/dup.csv"
err_is "cdg: $T/dup.csv:4: field attribution_date: the same attribution as line 2
cdg: $T/dup.csv:5: field attribution_date: the same attribution as line 2
cdg: $T/dup.csv:5: field attribution_date: the same attribution as line 4
cdg: $T/dup.csv: 3 faults; nothing written" "every earlier copy is named, in file order"
check "nothing was written" test "$(written "$T/s.db")" = "$before"

# ---- the other CSV imports --------------------------------------------------
# Each: refused without --delimiter (exit 3, the hint, nothing written),
# imported with it to what the comma file gives.
# excel NAME: NAME.csv (comma) as Excel writes it with ';' -> NAME.xl.csv
excel() { { printf '%s' "$BOM"; tr ',' ';' <"$T/$1.csv"; } | crlf "$T/$1.xl.csv"; }
cat >"$T/cap.csv" <<'EOF'
id,title,donors,implementers,beneficiaries,goals,norms,start_date,end_date,budget,currency,status,source_url,synthetic
S1,Positions on international law,Donor X,Implementer P,FRA,CDG8,,2024,2027,100000.5,EUR,ongoing,https://example.org/s1,1
EOF
cat >"$T/agr.csv" <<'EOF'
id,company,norm,commitment,date,evidence_url,note,synthetic
X-1,Example Corp,IND3,Publishes fixes to every affected customer,2025-03,https://example.org/patch-policy,constructed for the test,1
EOF
cat >"$T/cov.csv" <<'EOF'
iso3,article_id,covered,legal_citation,source_url,note,basis
DEU,BC2,no,,,TEST row for the CLI tests,sample_unverified
EOF
cat >"$T/mlat.csv" <<'EOF'
a,b,signed,in_force,source_url,note
USA,FRA,1998-12-10,2001-12-01,https://example.org/test-mlat,TEST row
EOF
cat >"$T/c247.csv" <<'EOF'
iso3,since,source_url,note
FRA,2005-01-01,https://example.org/test-247,TEST
EOF
for f in cap:"capacity export --format csv":"capacity import" \
	 agr:"agreements export --format csv":"agreements import" \
	 cov:"crime coverage export":"crime coverage import" \
	 mlat::"crime mlat import" c247::"crime contacts import"; do
	name=${f%%:*}; rest=${f#*:}; exp=${rest%%:*}; imp=${rest#*:}
	excel "$name"
	cp "$T/empty.db" "$T/s.db"
	before=$(sqlite3 "$T/s.db" "SELECT count(*) FROM audit_log")
	CDG_DB=$T/s.db expect_exit 3 "$imp of a ';' file without --delimiter is refused" \
		$CDG $imp "$T/$name.xl.csv"
	err_has "$name.xl.csv:1: the file uses ';' as separator: re-save as \"CSV UTF-8 (comma delimited)\" or pass --delimiter ';'" \
		"$imp: it says what was found and how to fix it"
	check "$imp: nothing was written" \
		test "$(sqlite3 "$T/s.db" "SELECT count(*) FROM audit_log")" = "$before"
	CDG_DB=$T/s.db expect_exit 0 "$imp --delimiter ';'" $CDG $imp "$T/$name.xl.csv" --delimiter ';'
	cp "$T/empty.db" "$T/c.db"
	CDG_DB=$T/c.db expect_exit 0 "$imp of the comma file" $CDG $imp "$T/$name.csv"
	if [ -n "$exp" ]; then
		CDG_DB=$T/s.db $CDG $exp >"$T/s.exp"
		CDG_DB=$T/c.db $CDG $exp >"$T/c.exp"
		check "$imp: the same records from either file (export)" cmp -s "$T/s.exp" "$T/c.exp"
	else
		check "$imp: the same number of audited writes from either file" test \
			"$(sqlite3 "$T/s.db" "SELECT count(*) FROM audit_log")" = \
			"$(sqlite3 "$T/c.db" "SELECT count(*) FROM audit_log")"
	fi
done
sed 's/;100000\.5;/;100000,5;/' "$T/cap.xl.csv" >"$T/cap-decimal.csv"
cp "$T/empty.db" "$T/s.db"
CDG_DB=$T/s.db expect_exit 3 "a budget with a decimal comma is refused" \
	$CDG capacity import "$T/cap-decimal.csv" --delimiter ';'
err_has "cap-decimal.csv:2: field budget: \"100000,5\" has a decimal comma: write it with a decimal point" \
	"it names file, line and field, with the hint"
expect_exit 2 "--delimiter goes with a crime import only" $CDG crime articles --delimiter ';'

done_testing
