#!/usr/bin/env bash
# Accounts and roles: every role against every write the CLI offers;
# nothing outside the role succeeds, and refusals write nothing.
. "$(dirname "$0")/lib.sh"
EX="$CDG_SRCDIR/docs/examples"

expect_exit 0 "init" "$CDG" init
pw() { echo "a long enough password $1"; }
for spec in "sec secretariat" "ed editor" "fp.fra focal_point FRA" "fp.deu focal_point DEU" "stake stakeholder"; do
	set -- $spec
	if [ -n "${3:-}" ]; then
		pw "$1" | "$CDG" user add "$1" --role "$2" --country "$3" --password-stdin >/dev/null
	else
		pw "$1" | "$CDG" user add "$1" --role "$2" --password-stdin >/dev/null
	fi
	check "account $1 created" test $? -eq 0
done
check "passwords are stored as Argon2id hashes" test "$(sqlite3 "$CDG_DB" "SELECT count(*) FROM account WHERE password_hash LIKE '\$argon2id\$%'")" = 5
check "the audit log never holds a password hash" sh -c "! sqlite3 '$CDG_DB' \"SELECT after FROM audit_log WHERE entity='account'\" | grep -q argon2id"

expect_exit 2 "a focal point needs a state" "$CDG" user add lost --role focal_point
expect_exit 2 "unknown role" "$CDG" user add x1 --role emperor
expect_exit 1 "a duplicate name" "$CDG" user add sec --role editor
expect_exit 1 "an editor cannot add accounts" "$CDG" user add x2 --role editor --actor ed
err_has "may not manage accounts" "refusal explained"
expect_exit 1 "a focal point cannot create tokens" "$CDG" token create fp.fra --actor fp.fra

revs() { sqlite3 "$CDG_DB" "SELECT count(*) FROM survey_revision"; }
obs() { sqlite3 "$CDG_DB" "SELECT count(*) FROM observation"; }

# Survey: the FRA example may be imported by FRA's focal point and the
# secretariat only.
for who in ed stake fp.deu; do
	before=$(revs)
	expect_exit 1 "$who cannot import FRA's survey" "$CDG" survey import "$EX/survey-response.json" --actor "$who"
	check "$who: nothing written" test "$(revs)" = "$before"
done
err_has "may not edit the survey of FRA" "the other state's focal point is told why"
expect_exit 0 "FRA's focal point imports FRA's survey" "$CDG" survey import "$EX/survey-response.json" --actor fp.fra
expect_exit 1 "DEU's focal point cannot submit it" "$CDG" survey submit FRA 2025 --actor fp.deu
expect_exit 0 "FRA's focal point submits" "$CDG" survey submit FRA 2025 --actor fp.fra
for who in fp.fra ed stake; do
	expect_exit 1 "$who cannot validate" "$CDG" survey validate FRA 2025 --actor "$who"
done
expect_exit 0 "the secretariat validates" "$CDG" survey validate FRA 2025 --actor sec
expect_exit 1 "a focal point cannot publish" "$CDG" survey publish FRA 2025 --actor fp.fra
expect_exit 0 "the secretariat publishes" "$CDG" survey publish FRA 2025 --actor sec

# Observations: editors and the secretariat.
printf 'indicator,country,year,value,source_url\nCDG2.1.1,KEN,2024,1,https://example.org/ke\n' >"$T/obs.csv"
for who in fp.fra stake; do
	before=$(obs)
	expect_exit 1 "$who cannot import observations" "$CDG" data import "$T/obs.csv" --actor "$who"
	check "$who: nothing written" test "$(obs)" = "$before"
done
expect_exit 1 "an unknown account cannot write" "$CDG" data import "$T/obs.csv" --actor nobody
err_has "nobody is not an active account" "unknown account explained"
expect_exit 0 "an editor imports observations" "$CDG" data import "$T/obs.csv" --actor ed

# The registry: editors and the secretariat.
printf 'incident,incident_date,attributing_party,attributed_to,attribution_date,statement_title,norm_or_law_invoked,source_url\nTest op,2024-01-02,FRA,RUS,2024-02-03,A statement,13(f),https://example.org/s\n' >"$T/reg.csv"
regs() { sqlite3 "$CDG_DB" "SELECT count(*) FROM reg_attribution"; }
for who in fp.fra stake; do
	before=$(regs)
	expect_exit 1 "$who cannot write to the registry" "$CDG" registry import "$T/reg.csv" --actor "$who"
	check "$who: nothing written to the registry" test "$(regs)" = "$before"
done
expect_exit 0 "an editor writes to the registry" "$CDG" registry import "$T/reg.csv" --actor ed

# Cybercrime coverage: editors and the secretariat.
expect_exit 1 "a focal point cannot import legal coverage" "$CDG" crime coverage import "$CDG_SRCDIR/data/crime/coverage_sample.csv" --actor fp.fra
expect_exit 0 "an editor imports legal coverage" "$CDG" crime coverage import "$CDG_SRCDIR/data/crime/coverage_sample.csv" --actor ed

# The index: the secretariat computes and publishes (on the demo round,
# so that some states have enough data to be ranked).
"$CDG" demo --states 6 >/dev/null
eds() { sqlite3 "$CDG_DB" "SELECT count(*) FROM index_edition"; }
for who in ed fp.fra stake; do
	expect_exit 1 "$who cannot compute an index edition" "$CDG" index compute --edition 2025 --actor "$who"
done
check "no edition written by the refused" test "$(eds)" = 0
expect_exit 0 "the secretariat computes an edition" "$CDG" index compute --edition 2025 --actor sec
expect_exit 1 "an editor cannot publish it" "$CDG" index publish 2025 --actor ed --allow-synthetic
expect_exit 3 "an edition computed from the SYNTHETIC demo round is not published" "$CDG" index publish 2025 --actor sec
err_has "SYNTHETIC" "the refusal says why"
expect_exit 0 "the secretariat publishes it as a demonstration" "$CDG" index publish 2025 --actor sec --allow-synthetic

# Tokens.
expect_exit 0 "the secretariat creates a token" "$CDG" token create ed --days 7 --actor sec
check "the token is 64 hex characters" grep -qE '^[0-9a-f]{64}$' "$T/out"
tok=$(cat "$T/out")
check "only its hash is stored" test "$(sqlite3 "$CDG_DB" "SELECT count(*) FROM session WHERE token_hash = '$tok'")" = 0

# Account administration (issue 14): list, disable, enable, passwd; token
# list and revoke.  Only the secretariat; every change audited.
audit_of() { sqlite3 "$CDG_DB" "SELECT count(*) FROM audit_log WHERE actor = '$1' AND entity IN ('account', 'token')"; }
expect_exit 1 "an editor cannot list accounts" "$CDG" user list --actor ed
expect_exit 0 "the secretariat lists accounts" "$CDG" user list --json --actor sec
jq_is '[.[] | select(.name == "ed")][0].role' editor "the list shows the editor's role"
check "the list holds no password hash" sh -c "! grep -q argon2 '$T/out'"
expect_exit 0 "the secretariat lists tokens" "$CDG" token list ed --json --actor sec
jq_is '[.[] | select(.state == "live")] | length' 1 "ed has one live token"
id=$(jq -r '.[0].id' "$T/out")
check "a token's id is the start of its hash" test "$(sqlite3 "$CDG_DB" "SELECT count(*) FROM session WHERE token_hash LIKE '$id%'")" = 1
before=$(audit_of sec)
expect_exit 2 "a token id of 4 digits is refused" "$CDG" token revoke "${id:0:4}" --actor sec
expect_exit 1 "an editor cannot revoke tokens" "$CDG" token revoke "$id" --actor ed
expect_exit 0 "the secretariat revokes ed's token" "$CDG" token revoke "${id:0:8}" --actor sec
expect_exit 0 "the token list shows it revoked" "$CDG" token list ed --json --actor sec
jq_is '.[0].state' revoked "the token is revoked"
expect_exit 1 "an editor cannot disable an account" "$CDG" user disable stake --actor ed
expect_exit 0 "the secretariat disables an account" "$CDG" user disable ed --actor sec
expect_exit 1 "a disabled account cannot write" "$CDG" registry import "$T/reg.csv" --actor ed
expect_exit 1 "a disabled account gets no token" "$CDG" token create ed --actor sec
expect_exit 0 "the secretariat enables it again" "$CDG" user enable ed --actor sec
expect_exit 2 "a reserved name cannot be enabled" "$CDG" user enable demo --actor sec
expect_exit 2 "passwd reads the password from standard input only" "$CDG" user passwd ed --actor sec
printf 'short\n' >"$T/pw"
expect_exit 3 "a short password is refused" sh -c "'$CDG' user passwd ed --password-stdin --actor sec <'$T/pw'"
printf 'a much longer password\n' >"$T/pw"
expect_exit 0 "the secretariat sets a password" sh -c "'$CDG' user passwd ed --password-stdin --actor sec <'$T/pw'"
check "the account has a password hash now" test "$(sqlite3 "$CDG_DB" "SELECT password_hash LIKE '\$argon2id\$%' FROM account WHERE name = 'ed'")" = 1
check "revoke, disable, enable and passwd are audited as sec ($before -> $(audit_of sec))" test "$(audit_of sec)" -ge $((before + 4))

done_testing
