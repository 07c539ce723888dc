#!/usr/bin/env bash
# cdg init, framework, country: the foundation's user-visible contract.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "init creates a database" "$CDG" init --json
check "database file exists" test -f "$CDG_DB"
jq_is '.created' true "init reports a new database"
jq_is '.countries' 195 "195 states loaded (193 members, 2 observers)"

expect_exit 0 "framework norms --json" "$CDG" framework norms --json
jq_is 'length' 11 "11 norms"
jq_is '[.[] | select(.category=="restraint") | .id] | join(",")' "c,f,k" \
	"restraint norms are c, f and k"
jq_is '[.[] | .category] | unique | join(",")' "cooperation_protection,restraint" \
	"every norm has a category"

expect_exit 0 "country FRA --json" "$CDG" country FRA --json
jq_is '.country.name' France "France by name"
jq_is '.country.status' member "France is a UN member"
jq_is '.country.admission_date' 1945-10-24 "France admitted 1945-10-24"
jq_is '.treaties[] | select(.treaty_id=="ETS185") | .status' party "France is a Budapest party"
jq_is '.treaties[] | select(.treaty_id=="ETS185") | .ratification_date' 2006-01-10 \
	"France ratified the Budapest Convention on 2006-01-10"
jq_is '.treaties[] | select(.treaty_id=="ETS185") | .source_url | startswith("http")' true \
	"the Budapest status carries its source"
expect_exit 0 "global options before the command" "$CDG" --db "$CDG_DB" --json country FRA
jq_is '.country.iso3' FRA "--db and --json given before the command"
expect_exit 2 "global options but no command" "$CDG" --db "$CDG_DB"
expect_exit 0 "country FRA as text" "$CDG" country FRA
check "text names the Budapest Convention" grep -q "Budapest Convention: party" "$T/out"
expect_exit 0 "country GBR as text" "$CDG" country GBR
check "text lists the attributions GBR made" grep -q "^Attributions made: [1-9]" "$T/out"
check "text names GBR's position on international law" grep -q "Cyber and International Law in the 21st Century" "$T/out"
expect_exit 0 "country PSE (an observer)" "$CDG" country PSE --json
jq_is '.country.status' observer "State of Palestine is an observer"

# Idempotent: a second init changes nothing and logs nothing.
audit_before=$(sqlite3 "$CDG_DB" "SELECT count(*) FROM audit_log")
expect_exit 0 "init again" "$CDG" init --json
jq_is '.created' false "second init updates in place"
jq_is '.rows_written' 0 "second init writes no rows"
audit_after=$(sqlite3 "$CDG_DB" "SELECT count(*) FROM audit_log")
check "second init adds nothing to the audit log" test "$audit_before" = "$audit_after"
check "audit log has one row per loaded row" test "$audit_before" -gt 400

# Errors: usage (2) and rejected input (3).
expect_exit 3 "unknown country code" "$CDG" country XYZ
err_has "no state with code XYZ" "unknown code is named"
expect_exit 2 "malformed country code" "$CDG" country fr
expect_exit 2 "country without a code" "$CDG" country
expect_exit 2 "unknown command" "$CDG" frobnicate
expect_exit 2 "unknown framework part" "$CDG" framework widgets
expect_exit 2 "unknown option" "$CDG" framework norms --frob

# Help for every command.
expect_exit 0 "cdg help" "$CDG" help
for c in $(awk '/^Commands:/{f=1;next} f&&/^  [a-z]/{print $1} /^$/{if(f)exit}' "$T/out"); do
	expect_exit 0 "cdg help $c" "$CDG" help "$c"
	check "help $c shows usage" grep -q "^usage: cdg $c" "$T/out"
	expect_exit 0 "cdg $c --help" "$CDG" "$c" --help
done
# A subcommand's --help shows that subcommand's synopsis only.
expect_exit 0 "cdg index compute --help" "$CDG" index compute --help
check "compute's synopsis" grep -q "^  cdg index compute --edition YEAR" "$T/out"
check "with its continuation line" grep -q "^ *\[--threads T\] \[--methodology M.json\]" "$T/out"
check "not the other subcommands" test "$(grep -c 'cdg index run\|cdg index verify' "$T/out")" = 0
check "names the whole help" grep -q "cdg help index for the whole command" "$T/out"
expect_exit 0 "cdg forum propose --help" "$CDG" forum propose --help
check "propose's synopsis" grep -q "^  propose --item N --org ORG" "$T/out"
check "not decide" test "$(grep -c 'decide' "$T/out")" = 0
expect_exit 0 "cdg country FRA --help (no such subcommand)" "$CDG" country FRA --help
check "the whole usage then" grep -q "^usage: cdg country ISO3" "$T/out"

# A database that does not exist is not created by read commands.
expect_exit 3 "framework on a missing database" "$CDG" framework --db "$T/nope.db"
check "no database created by a read" test ! -e "$T/nope.db"

# A database from a newer cdg is refused.
cp "$CDG_DB" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 999"
expect_exit 1 "newer schema refused" "$CDG" framework --db "$T/newer.db"
err_has "newer than this cdg" "newer schema explained"
expect_exit 1 "init refuses to downgrade a newer schema" "$CDG" init --db "$T/newer.db"

done_testing
