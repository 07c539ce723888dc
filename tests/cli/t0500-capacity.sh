#!/usr/bin/env bash
# Capacity building (issue 8): the shipped initiatives, matching, unserved
# gaps and duplication on constructed (SYNTHETIC) initiatives whose right
# answers are known, donor views, export round trip, roles, and every kind
# of bad input refused with exit 3 and nothing written.
. "$(dirname "$0")/lib.sh"
no_evidence # gaps worked out from this test's own observations
q() { sqlite3 "$CDG_DB" "$1"; }

expect_exit 0 "init" "$CDG" init
# The shipped file has one record per line; its ids, sorted, are what init loads.
shipped=$(tail -n +2 "$CDG_DATA/capacity/initiatives.csv" | cut -d, -f1 | sort | paste -sd, -)
nshipped=$(tail -n +2 "$CDG_DATA/capacity/initiatives.csv" | grep -c .)
check "the shipped initiatives are loaded" test "$(q 'SELECT count(*) FROM cap_initiative')" = "$nshipped"
check "none synthetic" test "$(q 'SELECT count(*) FROM cap_initiative WHERE synthetic = 1')" = 0
check "every initiative has a source" test "$(q "SELECT count(*) FROM cap_initiative WHERE source_url NOT LIKE 'http%'")" = 0
check "initiatives are audited" test "$(q "SELECT count(*) FROM audit_log WHERE entity = 'cap_initiative'")" = "$nshipped"
expect_exit 0 "list --json" "$CDG" capacity list --json
jq_is '[.[].id] | join(",")' "$shipped" "listed by id"
jq_is '.[] | select(.id == "EU-CYBERNET") | .budget' 3999600 "EU CyberNet budget"
jq_is '.[] | select(.id == "EU-CYBERNET") | .currency' EUR "in euros"

# Real initiatives that name their States are matched (facts in
# data/capacity/README.md): in 2022 GLACY+ and OCWAR-C both worked in Ghana on
# CDG1, CDG3 and CDG4; in 2026 only CyberSouth+ is still running, in Morocco.
expect_exit 0 "match GHA 2022" "$CDG" capacity match GHA --year 2022 --json
jq_is '[.gaps[] | select(.goal == "CDG4") | .addressed_by | map(.id) | join(",")] | unique | join(" ")' \
	"COE-GLACY-PLUS,EF-OCWAR-C" "Ghana's CDG4 gaps in 2022: GLACY+ and OCWAR-C"
expect_exit 0 "match MAR 2026" "$CDG" capacity match MAR --year 2026 --json
jq_is '[.gaps[] | .addressed_by[].id] | unique | join(",")' COE-CYBERSOUTH-PLUS "Morocco in 2026: CyberSouth+ only"
expect_exit 0 "match GHA 2026" "$CDG" capacity match GHA --year 2026 --json
jq_is '[.gaps[] | .addressed_by[]] | length' 0 "Ghana in 2026: both programmes have ended"
expect_exit 0 "real duplication" "$CDG" capacity duplication --json
jq_is '[.groups[].overlaps[] | select(.states == ["BEN","BFA","CPV","GHA","NGA","SEN"]) | .from + ".." + .to] | join(" ")' \
	"2019-01-21..2024-01" "GLACY+ and OCWAR-C overlap in six West African states, 2019 to 2024"

# Known gaps in 2026 (SYNTHETIC values, imported here so that the answers do
# not move with the shipped evidence): CDG8.3.1 (years since the latest
# position on international law) for the states below, and CDG6.2.1 for the
# USA.
{
	echo "indicator,country,year,value,source_url"
	for s in CZE FIN FRA GBR IRN ISR NLD NZL USA; do
		echo "CDG8.3.1,$s,2026,7,https://example.org/synthetic-gaps"
	done
	echo "CDG6.2.1,USA,2026,0,https://example.org/synthetic-gaps"
} >"$T/gaps.csv"
expect_exit 0 "import the known gaps" "$CDG" data import "$T/gaps.csv"
expect_exit 0 "unserved before" "$CDG" capacity unserved --year 2026 --json
jq_is '[.unserved[] | select(.indicator == "CDG8.3.1") | .states[]] | sort | join(" ")' \
	"CZE FIN FRA GBR IRN ISR NLD NZL USA" "CDG8.3.1 unserved in nine states"
jq_is '[.unserved[] | select(.indicator == "CDG6.2.1") | .states[]] | join(" ")' USA "CDG6.2.1 unserved in the USA"
jq_is '.unserved[0].indicator' CDG8.3.1 "most shared gap first"

# Constructed initiatives (SYNTHETIC), each built for one rule:
# S1 FRA+GBR on CDG8, running 2024-2027: serves both states' CDG8 gap.
# S2 USA, norm b only: CDG6 and CDG8 serve norm b, so it serves both US gaps.
# S3 FRA on CDG8 from June 2026: overlaps S1 (FRA, CDG8, 2026-06..2027).
# S4 FRA on CDG8, ended 2020: serves nothing in 2026, overlaps nothing.
# S5 GLOBAL on CDG8 but cancelled: serves and overlaps nothing.
cat >"$T/s.csv" <<'CSV'
id,title,donors,implementers,beneficiaries,goals,norms,start_date,end_date,budget,currency,status,source_url,synthetic
S1,Positions on international law,Donor X;Donor Y,Implementer P,FRA;GBR,CDG8,,2024,2027,100000,EUR,ongoing,https://example.org/s1,1
S2,Attribution practice,Donor X,Implementer Q,USA,,b,2025-01,,50000,USD,ongoing,https://example.org/s2,1
S3,Second IL programme,Donor Z,Implementer P,FRA,CDG8,,2026-06,2028-12-31,,,planned,https://example.org/s3,1
S4,An old programme,Donor Z,,FRA,CDG8,,2018,2020,,,completed,https://example.org/s4,1
S5,Cancelled global plan,Donor Y,,GLOBAL,CDG8,,2025,,,,cancelled,https://example.org/s5,1
CSV
expect_exit 0 "import constructed initiatives" "$CDG" capacity import "$T/s.csv" --json
jq_is '.initiatives' 5 "five read"
jq_is '.written' 5 "five written"

expect_exit 0 "unserved after" "$CDG" capacity unserved --year 2026 --json
jq_is '[.unserved[] | select(.indicator == "CDG8.3.1") | .states[]] | sort | join(" ")' \
	"CZE FIN IRN ISR NLD NZL" "FRA, GBR (S1) and USA (S2) no longer unserved"
jq_is '[.unserved[] | select(.indicator == "CDG6.2.1")] | length' 0 "the US CDG6.2.1 gap is served through norm b"
expect_exit 0 "unserved --goal CDG6" "$CDG" capacity unserved --year 2026 --goal CDG6 --json
jq_is '[.unserved[] | select(.goal != "CDG6")] | length' 0 "only CDG6 gaps"
expect_exit 0 "unserved --csv" "$CDG" capacity unserved --year 2026 --csv
check "CSV header" test "$(head -1 "$T/out" | tr -d '\r')" = "goal,indicator,state_count,worst_priority,states"
check "CSV row for CDG8.3.1" grep -q '^CDG8,CDG8.3.1,6,2,CZE;FIN;IRN;ISR;NLD;NZL' "$T/out"
expect_exit 2 "unknown goal filter" "$CDG" capacity unserved --goal CDG99

expect_exit 0 "match FRA" "$CDG" capacity match FRA --year 2026 --json
jq_is '[.gaps[] | select(.indicator == "CDG8.3.1") | .addressed_by[].id] | join(",")' "S1,S3" \
	"FRA's CDG8 gap: S1 and S3, not the ended S4 nor the cancelled S5"
jq_is '.unaddressed | index("CDG8.3.1")' null "CDG8.3.1 is addressed"
jq_is '[.initiatives[].id] | join(",")' "S1,S3,S4,S5" "initiatives benefiting FRA (global included)"
jq_is '[.gaps[] | select(.indicator == "CDG8.3.1") | .addressed_by[0].synthetic][0]' true "synthetic flag carried"
expect_exit 0 "match text" "$CDG" capacity match FRA --year 2026
check "text marks SYNTHETIC" grep -q "S1 .*SYNTHETIC" "$T/out"
expect_exit 0 "match USA" "$CDG" capacity match USA --year 2026 --json
jq_is '[.gaps[] | select(.indicator == "CDG6.2.1") | .addressed_by[].id] | join(",")' S2 "norm b serves CDG6"
# A state's reported capacity needs come with its gaps (demo answers are SYNTHETIC).
expect_exit 0 "demo" "$CDG" demo --states 2
demo=$("$CDG" survey list --json | jq -r '.[0].country')
expect_exit 0 "match a demo state" "$CDG" capacity match "$demo" --json
jq_is '[.gaps[] | select(.capacity_needs != null)] | length > 0' true "gaps carry the needs the state reported"
jq_is '[.gaps[] | select(.capacity_needs != null) | .capacity_needs | test("SYNTHETIC")] | all' true "demo needs say SYNTHETIC"
expect_exit 3 "match an unknown state" "$CDG" capacity match XXX
expect_exit 2 "match without a state" "$CDG" capacity match

expect_exit 0 "duplication" "$CDG" capacity duplication --json
jq_is '[.groups[] | select(.initiatives[0].synthetic)] | length' 1 "one group of constructed initiatives"
jq_is '[.groups[] | select(.initiatives[0].synthetic)][0] | [.initiatives[].id] | join(",")' "S1,S3" "S1 and S3 overlap"
jq_is '[.groups[] | select(.initiatives[0].synthetic)][0].overlaps[0] | .states | join(",")' FRA "on FRA"
jq_is '[.groups[] | select(.initiatives[0].synthetic)][0].overlaps[0] | .goals | join(",")' CDG8 "on CDG8"
jq_is '[.groups[] | select(.initiatives[0].synthetic)][0].overlaps[0] | .from + ".." + .to' "2026-06..2027" "from June 2026 to 2027"

expect_exit 0 "donors" "$CDG" capacity donors "Donor X" --json
jq_is '.[0].initiatives | map(.id) | join(",")' "S1,S2" "Donor X funds S1 and S2"
jq_is '.[0].states | join(",")' "FRA,GBR,USA" "where"
jq_is '.[0].budgets.EUR' 100000 "euro budget"
jq_is '.[0].budgets.USD' 50000 "dollar budget kept apart"
expect_exit 0 "implementers" "$CDG" capacity implementers "Implementer P" --json
jq_is '[.[0].initiatives[].id] | join(",")' "S1,S3" "Implementer P runs S1 and S3"
expect_exit 3 "unknown donor" "$CDG" capacity donors "Nobody"

# Export and re-import: nothing changes.
expect_exit 0 "export csv" "$CDG" capacity export --out "$T/all.csv"
check "the shipped and the five constructed rows exported" test "$(($(wc -l <"$T/all.csv") - 1))" = "$((nshipped + 5))"
expect_exit 0 "re-import the export" "$CDG" capacity import "$T/all.csv" --json
jq_is '.written' 0 "round trip writes nothing"
expect_exit 0 "export json" "$CDG" capacity export --format json --out "$T/all.json"
expect_exit 0 "re-import the JSON export" "$CDG" capacity import "$T/all.json" --json
jq_is '.written' 0 "JSON round trip writes nothing"

# Roles: editors write, stakeholders do not.
printf 'secret-pass-1\n' | "$CDG" user add ed1 --role editor --password-stdin >/dev/null
printf 'secret-pass-2\n' | "$CDG" user add st1 --role stakeholder --password-stdin >/dev/null
expect_exit 1 "a stakeholder may not import" "$CDG" capacity import "$T/s.csv" --actor st1
err_has "may not write capacity" "the refusal says why"
expect_exit 0 "an editor may" "$CDG" capacity import "$T/s.csv" --actor ed1

# Bad input: every fault listed, nothing written.
before=$(q 'SELECT count(*) FROM audit_log')
bad() { # NAME FIELD-TEXT CSV-ROW
	printf 'id,title,donors,beneficiaries,goals,norms,start_date,end_date,budget,currency,status,source_url\n%s\n' "$3" >"$T/bad.csv"
	expect_exit 3 "$1" "$CDG" capacity import "$T/bad.csv"
	err_has "$2" "$1: names the fault"
}
bad "unknown country" "bad.csv:2: field beneficiaries: unknown country \"XYZ\"" 'B1,t,D,XYZ,CDG1,,2020,,,,ongoing,https://x.org'
bad "unknown goal" "field goals: unknown goal \"CDG42\"" 'B1,t,D,FRA,CDG42,,2020,,,,ongoing,https://x.org'
bad "unknown norm" "field norms: unknown norm \"z\"" 'B1,t,D,FRA,,z,2020,,,,ongoing,https://x.org'
bad "bad date" "field start_date: \"2020-13-01\" is not a date" 'B1,t,D,FRA,CDG1,,2020-13-01,,,,ongoing,https://x.org'
bad "end before start" "field end_date: 2019 is before the start date 2020" 'B1,t,D,FRA,CDG1,,2020,2019,,,ongoing,https://x.org'
bad "negative budget" "field budget: -5 is negative" 'B1,t,D,FRA,CDG1,,2020,,-5,EUR,ongoing,https://x.org'
bad "bad currency" "field currency: \"EUX\" is not an ISO 4217 currency code" 'B1,t,D,FRA,CDG1,,2020,,5,EUX,ongoing,https://x.org'
bad "budget without currency" "field currency: a budget needs its currency" 'B1,t,D,FRA,CDG1,,2020,,5,,ongoing,https://x.org'
bad "bad status" "field status:" 'B1,t,D,FRA,CDG1,,2020,,,,finished,https://x.org'
bad "no source" "field source_url: is required" 'B1,t,D,FRA,CDG1,,2020,,,,ongoing,'
bad "malformed CSV" "bad.csv:2" 'B1,"t,D,FRA,CDG1,,2020,,,,ongoing,https://x.org'
printf 'id,title,donors,beneficiaries,goals,status,source_url\nD1,t,D,FRA,CDG1,ongoing,https://x.org\nD1,t,D,FRA,CDG1,ongoing,https://x.org\n' >"$T/dup.csv"
expect_exit 3 "duplicate id" "$CDG" capacity import "$T/dup.csv"
err_has "dup.csv:3: field id: duplicate id \"D1\" (first on line 2)" "names both lines"
printf 'id,title,donors,beneficiaries,goals,status,source_url\nU1,caf\xe9,D,FRA,CDG1,ongoing,https://x.org\n' >"$T/utf.csv"
expect_exit 3 "invalid UTF-8" "$CDG" capacity import "$T/utf.csv"
err_has "UTF-8" "says UTF-8"
printf 'id,title,donors,beneficiaries,goals,status,source_url\nM1,t,D,XYZ,CDG42,done,ftp://x\n' >"$T/many.csv"
expect_exit 3 "several faults in one row" "$CDG" capacity import "$T/many.csv"
check "all four listed" test "$(grep -c '^cdg: .*many.csv:2' "$T/err")" = 4
cat >"$T/bad.json" <<'JSON'
{"format": "cdg-capacity/1", "initiatives": [
  {"id": "J1", "title": "t", "donors": ["D"], "beneficiaries": ["FRA"], "goals": ["CDG1"],
   "status": "ongoing", "source_url": "https://x.org", "colour": "red"},
  {"id": "J2", "title": "t", "donors": ["D"], "beneficiaries": ["FRA"], "goals": ["CDG1"],
   "status": "ongoing", "source_url": "https://x.org", "budget": "lots", "currency": "EUR"}
]}
JSON
expect_exit 3 "bad JSON records" "$CDG" capacity import "$T/bad.json"
err_has "bad.json:2: field colour: unknown key" "unknown key on its line"
err_has "bad.json:4: field budget:" "wrong type on its line"
check "nothing written by any bad file" test "$(q 'SELECT count(*) FROM audit_log')" = "$before"
# An initiative whose dates no source gives says so (not "[, ongoing]").
printf 'id,title,donors,beneficiaries,goals,status,source_url,synthetic\nU2,Undated,D,FRA,CDG1,ongoing,https://x.org,1\n' >"$T/undated.csv"
expect_exit 0 "import an undated initiative" "$CDG" capacity import "$T/undated.csv"
expect_exit 0 "list" "$CDG" capacity list
check "undated: dates not known" grep -q '^U2  Undated \[dates not known, ongoing\]  SYNTHETIC$' "$T/out"
expect_exit 2 "unknown subcommand" "$CDG" capacity frobnicate
expect_exit 2 "--csv only with unserved" "$CDG" capacity duplication --csv
expect_exit 0 "help" "$CDG" help capacity
check "help explains unserved" grep -q "unserved" "$T/out"
done_testing
