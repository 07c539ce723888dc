#!/usr/bin/env bash
# cdg init on broken catalog or reference files: exit 3, a message naming
# file, line and field, and no database left behind.
. "$(dirname "$0")/lib.sh"

fresh_data() {
	rm -rf "$T/data"
	cp -r "$CDG_SRCDIR/data" "$T/data"
}

# An indicator whose target does not exist.
fresh_data
first_ind=$(jq -r '.indicators[0].id' "$T/data/framework/indicators.json")
jq '.indicators[0].target = "CDG99.9"' "$CDG_SRCDIR/data/framework/indicators.json" \
	>"$T/data/framework/indicators.json"
expect_exit 3 "indicator with a missing target" "$CDG" init --data "$T/data" --db "$T/a.db"
err_has "indicators.json:" "error names the file"
err_has "$first_ind" "error names the indicator id"
err_has "CDG99.9" "error names the missing target"
err_has "field target" "error names the field"
check "no database left behind" test ! -e "$T/a.db"
check "no temporary file left behind" sh -c "! ls '$T'/a.db* 2>/dev/null"

# A survey question that refers to no norm and no goal.
fresh_data
jq '.questions[0].norm = null | .questions[0].goal = null' \
	"$CDG_SRCDIR/data/framework/survey.json" >"$T/data/framework/survey.json"
expect_exit 3 "question without norm or goal" "$CDG" init --data "$T/data" --db "$T/b.db"
err_has "survey.json:" "error names survey.json"
check "no database left behind" test ! -e "$T/b.db"

# A goal that points at a norm that does not exist.
fresh_data
jq '.goals[0].norms += ["z"]' "$CDG_SRCDIR/data/framework/goals.json" \
	>"$T/data/framework/goals.json"
expect_exit 3 "goal with unknown norm" "$CDG" init --data "$T/data" --db "$T/c.db"
err_has "unknown norm \"z\"" "error names the unknown norm"

# Duplicate id across files.
fresh_data
goal=$(jq -r '.goals[0].id' "$T/data/framework/goals.json")
jq --arg g "$goal" '.questions[0].id = $g' "$CDG_SRCDIR/data/framework/survey.json" \
	>"$T/data/framework/survey.json"
expect_exit 3 "duplicate id across files" "$CDG" init --data "$T/data" --db "$T/d.db"
err_has "used twice" "duplicate id explained"

# Malformed JSON.
fresh_data
printf '{"norms": [\n  {"id": "a",,}\n]}\n' >"$T/data/framework/norms.json"
expect_exit 3 "malformed JSON" "$CDG" init --data "$T/data" --db "$T/e.db"
err_has "norms.json:2:" "malformed JSON: file and line"

# Reference data: a bad ISO code on a known line.
fresh_data
awk -F, 'NR==4{$1="FR1"}1' OFS=, "$CDG_SRCDIR/data/reference/un_member_states.csv" \
	>"$T/data/reference/un_member_states.csv"
expect_exit 3 "bad ISO code in reference data" "$CDG" init --data "$T/data" --db "$T/f.db"
err_has "un_member_states.csv:4: field iso3:" "error names file, line and field"
check "no database left behind" test ! -e "$T/f.db"

# Evidence data: an impossible date.
fresh_data
sed 's/^FRA,France,ETS185,party,2001-11-23/FRA,France,ETS185,party,2001-02-30/' \
	"$CDG_SRCDIR/data/evidence/budapest.csv" >"$T/data/evidence/budapest.csv"
expect_exit 3 "impossible date in treaty data" "$CDG" init --data "$T/data" --db "$T/g.db"
err_has "evidence/budapest.csv:65: field signature_date" "date error names file, line and field"

# Evidence data (issue 15): each rule breaks init with exit 3, naming file,
# line and field, and leaves no database behind.  break_row FILE LINE SED
# rewrites one line of a fresh copy of the data.
break_row() {
	fresh_data
	sed "$2s$3" "$CDG_SRCDIR/data/evidence/$1" >"$T/data/evidence/$1"
}
check_broken() { # WHAT FILE:LINE: FIELD
	expect_exit 3 "$1" "$CDG" init --data "$T/data" --db "$T/ev.db"
	err_has "$2" "$1: the error names $2"
	check "$1: no database left behind" test ! -e "$T/ev.db"
}
line=$(grep -n '^DEU,' "$CDG_SRCDIR/data/evidence/strategies.csv" | cut -d: -f1)
break_row strategies.csv "$line" '/^DEU,Germany,/XXX,Germany,/'
check_broken "an unknown State" "evidence/strategies.csv:$line: field iso3"
break_row strategies.csv "$line" '/^DEU,Germany,/DEU,Germania,/'
check_broken "a State named wrongly" "evidence/strategies.csv:$line: field state"
break_row strategies.csv "$line" '/,2026-12-07,/,2031-01-01,/'
check_broken "a date in the future" "evidence/strategies.csv:$line: field checked"
break_row strategies.csv "$line" '/,https:\/\/[^,]*,2026-12-07,/,ftp:\/\/example.org\/x,2026-12-07,/'
check_broken "a source that is not an http(s) URL" "evidence/strategies.csv:$line: field source_url"
fresh_data
{ cat "$CDG_SRCDIR/data/evidence/cybercrime_laws.csv"; grep '^FRA,' "$CDG_SRCDIR/data/evidence/cybercrime_laws.csv"; } \
	>"$T/data/evidence/cybercrime_laws.csv"
last=$(wc -l <"$T/data/evidence/cybercrime_laws.csv")
check_broken "the same fact twice" "evidence/cybercrime_laws.csv:$last: field iso3"
err_has "the same fact as line" "the duplicate names the first line"
line=$(grep -n '^FRA,France,ETS185' "$CDG_SRCDIR/data/evidence/budapest.csv" | cut -d: -f1)
break_row budapest.csv "$line" '/,2006-01-10,no,/,2029-01-10,no,/'
check_broken "a ratification in the future" "evidence/budapest.csv:$line: field ratification_date"

# A bad file on an existing database changes nothing in it.
fresh_data
expect_exit 0 "init a good database" "$CDG" init --data "$T/data" --db "$T/h.db"
before=$(sqlite3 "$T/h.db" "SELECT count(*) FROM audit_log")
jq '.indicators[0].target = "CDG99.9"' "$CDG_SRCDIR/data/framework/indicators.json" \
	>"$T/data/framework/indicators.json"
expect_exit 3 "re-init with a broken catalog" "$CDG" init --data "$T/data" --db "$T/h.db"
after=$(sqlite3 "$T/h.db" "SELECT count(*) FROM audit_log")
check "existing database untouched" test "$before" = "$after"

done_testing
