#!/usr/bin/env bash
# The standing forum: every cdg forum command, who may do what (the
# secretariat runs the forum; members speak only for accredited
# organisations they belong to; owners update their actions), bad input
# refused naming the field with nothing written, versions kept, the
# monitoring rule with a fixed today, the Atom feed and the export.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "init" "$CDG" init
pw() { echo "a long enough password $1"; }
for spec in "sec secretariat" "alice stakeholder" "bob stakeholder" "carol stakeholder" "ed editor"; do
	set -- $spec
	pw "$1" | "$CDG" user add "$1" --role "$2" --password-stdin >/dev/null
	check "account $1 created" test $? -eq 0
done
q() { sqlite3 "$CDG_DB" "$1"; }
rows() { q "SELECT (SELECT count(*) FROM forum_org) || '/' || (SELECT count(*) FROM forum_proposal_version) || '/' || (SELECT count(*) FROM forum_comment) || '/' || (SELECT count(*) FROM forum_decision) || '/' || (SELECT count(*) FROM forum_action) || '/' || (SELECT count(*) FROM audit_log)"; }

expect_exit 0 "help" "$CDG" forum --help
check "help names every subcommand" grep -q "action update ACTION" "$T/out"

# Organisations: only the secretariat (or a local operator) adds and accredits.
expect_exit 1 "a stakeholder cannot add an organisation" "$CDG" forum org add "Rogue Org" --group business --actor alice
err_has "may not run the forum" "the refusal names the role"
expect_exit 0 "the secretariat adds a state organisation" "$CDG" forum org add "Republic of Kenya" --group state --country KEN --actor sec
expect_exit 0 "a civil society organisation" "$CDG" forum org add "Open Net Civil Society" --group civil_society --actor sec
expect_exit 0 "a business" "$CDG" forum org add "Acme Cloud" --group business --actor sec
expect_exit 0 "--json prints the id" "$CDG" forum org add "Univ of Nowhere" --group academia --json --actor sec
jq_is .id 4 "the new organisation's id"
before=$(rows)
expect_exit 3 "an unknown group" "$CDG" forum org add "X Org" --group guild --actor sec
err_has "field group" "the error names the field"
expect_exit 3 "a state organisation needs its state" "$CDG" forum org add "Nowhere" --group state --actor sec
err_has "field country" "the error names country"
expect_exit 3 "an unknown state" "$CDG" forum org add "Atlantis" --group state --country ZZZ --actor sec
expect_exit 1 "a duplicate name" "$CDG" forum org add "Acme Cloud" --group business --actor sec
check "refused organisations wrote nothing" test "$(rows)" = "$before"
expect_exit 2 "org add needs --group" "$CDG" forum org add "Y Org" --actor sec
for o in 1 2 4; do expect_exit 0 "the secretariat accredits organisation $o" "$CDG" forum org accredit "$o" --actor sec; done
expect_exit 1 "a stakeholder cannot accredit" "$CDG" forum org accredit 3 --actor alice
expect_exit 1 "accrediting twice" "$CDG" forum org accredit 1 --actor sec
expect_exit 3 "accrediting an unknown organisation" "$CDG" forum org accredit 99 --actor sec
expect_exit 0 "alice joins Kenya" "$CDG" forum org member 1 alice --actor sec
expect_exit 0 "bob joins the civil society organisation" "$CDG" forum org member 2 bob --actor sec
expect_exit 0 "carol joins Acme (not accredited)" "$CDG" forum org member 3 carol --actor sec
expect_exit 1 "a stakeholder cannot add members" "$CDG" forum org member 2 alice --actor bob
expect_exit 3 "an unknown account" "$CDG" forum org member 2 nobody --actor sec
err_has "field account" "the error names the account"
expect_exit 0 "org list" "$CDG" forum org list --json
jq_is '[.[] | select(.accredited)] | length' 3 "three accredited organisations"

# Sessions, agenda items, documents: the secretariat.
expect_exit 1 "a stakeholder cannot open a session" "$CDG" forum session add --title S --from 2026-03-01 --actor alice
expect_exit 3 "a bad date" "$CDG" forum session add --title S --from 2026-13-01 --actor sec
err_has "field starts_on" "the error names starts_on"
expect_exit 3 "ends before it starts" "$CDG" forum session add --title S --from 2026-03-05 --to 2026-03-01 --actor sec
expect_exit 0 "a session" "$CDG" forum session add --title "First session" --from 2026-03-02 --to 2026-03-04 --actor sec
expect_exit 0 "a consultation" "$CDG" forum session add --title "Written consultation" --kind consultation --from 2026-04-01 --to 2026-05-01 --actor sec
expect_exit 3 "an unknown kind" "$CDG" forum session add --title X --kind party --from 2026-04-01 --actor sec
expect_exit 0 "an agenda item" "$CDG" forum item add S1 --title "Protecting critical infrastructure" --actor sec
expect_exit 0 "a second agenda item" "$CDG" forum item add 1 --title "Capacity building" --actor sec
expect_exit 1 "a stakeholder cannot add an agenda item" "$CDG" forum item add 1 --title X --actor alice
expect_exit 3 "an item of no session" "$CDG" forum item add 9 --title X --actor sec
echo "Provisional agenda, version 1." >"$T/agenda.txt"
expect_exit 0 "a public document from a file" "$CDG" forum doc add 1 --title "Provisional agenda" --access public --file "$T/agenda.txt" --actor sec
expect_exit 0 "a registered document on an item" "$CDG" forum doc add 1 --item 1 --title "Chair's non-paper" --access registered --text "For registered participants." --actor sec
expect_exit 3 "an unknown access level" "$CDG" forum doc add 1 --title X --access secret --text x --actor sec
err_has "field access" "the error names access"
expect_exit 3 "an item of another session" "$CDG" forum doc add 2 --item 1 --title X --access public --text x --actor sec
expect_exit 1 "a stakeholder cannot add documents" "$CDG" forum doc add 1 --title X --access public --text x --actor bob
expect_exit 0 "a new version of the agenda" "$CDG" forum doc version 1 --text "Provisional agenda, version 2." --actor sec
expect_exit 0 "doc list (public)" "$CDG" forum doc list --json
jq_is 'length' 1 "the public sees the public document only"
jq_is '.[0].versions | map(.version) | join(",")' "1,2" "both versions are kept"
expect_exit 0 "doc list --registered" "$CDG" forum doc list --registered --json
jq_is 'length' 2 "registered readers see both"
expect_exit 1 "a version is never rewritten" sqlite3 "$CDG_DB" "BEGIN; UPDATE forum_doc_version SET body = 'x'; COMMIT;"
expect_exit 0 "session list" "$CDG" forum session list --json
jq_is '.[] | select(.id == 1) | .items | length' 2 "the session lists its agenda items"

# Proposals, comments, endorsements: members of accredited organisations.
expect_exit 0 "alice proposes for Kenya" "$CDG" forum propose --item 1 --org 1 --title "Protect health care" --text "States should not target hospitals." --refs f,CDG1,BC2 --actor alice
expect_exit 1 "carol's organisation is not accredited" "$CDG" forum propose --item 1 --org 3 --title X --text Y --actor carol
err_has "not accredited" "the refusal says why"
expect_exit 1 "bob may not speak for Kenya" "$CDG" forum propose --item 1 --org 1 --title X --text Y --actor bob
err_has "not a member" "the refusal says why"
before=$(rows)
expect_exit 3 "an unknown reference" "$CDG" forum propose --item 1 --org 1 --title X --text Y --refs z9 --actor alice
err_has "field refs" "the error names refs"
expect_exit 3 "no agenda item 42" "$CDG" forum propose --item 42 --org 1 --title X --text Y --actor alice
expect_exit 3 "an empty title" "$CDG" forum propose --item 1 --org 1 --title "" --text Y --actor alice
expect_exit 3 "a malformed id" "$CDG" forum propose --item one --org 1 --title X --text Y --actor alice
err_has "field item" "the error names item"
check "refused proposals wrote nothing" test "$(rows)" = "$before"
expect_exit 0 "bob comments for the civil society organisation" "$CDG" forum comment P1 --org 2 --text "Add medical supply chains." --actor bob
expect_exit 1 "carol cannot comment (not accredited)" "$CDG" forum comment P1 --org 3 --text x --actor carol
expect_exit 0 "bob endorses" "$CDG" forum endorse P1 --org 2 --actor bob
expect_exit 1 "not twice" "$CDG" forum endorse P1 --org 2 --actor bob
expect_exit 3 "not one's own proposal" "$CDG" forum endorse P1 --org 1 --actor alice
expect_exit 1 "bob cannot revise Kenya's proposal" "$CDG" forum revise P1 --title X --text Y --actor bob
expect_exit 0 "alice revises" "$CDG" forum revise P1 --title "Protect health care and supply chains" --text "States should not target hospitals or their suppliers." --refs f --actor alice
expect_exit 0 "proposal show" "$CDG" forum proposal show 1 --json
jq_is '.versions | length' 2 "two versions"
jq_is '.versions[0].refs | map(.kind + ":" + .id) | join(",")' "norm:f,cdg:CDG1,article:BC2" "version 1 keeps its references"
jq_is '.comments[0].org_name + "/" + .endorsements[0].org_name' "Open Net Civil Society/Open Net Civil Society" "comment and endorsement"
expect_exit 0 "a second proposal" "$CDG" forum propose --item 2 --org 2 --title "Training" --text "Fund CERT training." --actor bob

# Decisions: the secretariat, by consensus or by vote.
expect_exit 1 "a stakeholder cannot decide" "$CDG" forum decide --item 1 --consensus --text T --actor alice
expect_exit 1 "an editor cannot decide" "$CDG" forum decide --item 1 --consensus --text T --actor ed
before=$(rows)
expect_exit 3 "draws on a proposal of another item" "$CDG" forum decide --item 1 --consensus --text T --draws-on P2 --actor sec
err_has "field draws_on" "the error names draws_on"
expect_exit 3 "a vote not carried" "$CDG" forum decide --item 2 --vote 3,5,1 --text T --actor sec
err_has "field tally" "the error names the tally"
expect_exit 3 "a malformed tally" "$CDG" forum decide --item 2 --vote 3,5 --text T --actor sec
expect_exit 3 "an action with a bad deadline" "$CDG" forum decide --item 1 --consensus --text T --action "Do it|1|soon" --actor sec
err_has "field action.deadline" "the error names the deadline"
expect_exit 3 "an action of an unknown owner" "$CDG" forum decide --item 1 --consensus --text T --action "Do it|77|2026-06-30" --actor sec
expect_exit 2 "both consensus and vote" "$CDG" forum decide --item 1 --consensus --vote 1,0,0 --text T --actor sec
check "refused decisions wrote nothing" test "$(rows)" = "$before"
expect_exit 0 "a consensus decision with an action" "$CDG" forum decide --item 1 --consensus --text "Health care is off limits." --draws-on P1 --adopted-on 2026-03-04 --action "Designate a health-sector CERT contact|1|2026-06-30" --actor sec
expect_exit 0 "a decision by vote" "$CDG" forum decide --item 2 --vote 20,3,4 --text "A training fund." --draws-on 2 --adopted-on 2026-03-04 --actor sec
expect_exit 0 "an action added to it" "$CDG" forum action add D2 --title "Publish the fund's terms" --owner 2 --deadline 2026-09-30 --actor sec
expect_exit 1 "a stakeholder cannot add actions" "$CDG" forum action add D2 --title X --owner 2 --deadline 2026-09-30 --actor bob
expect_exit 3 "an action due before its decision's adoption" "$CDG" forum action add D2 --title X --owner 2 --deadline 2026-03-03 --actor sec
err_has "field action.deadline: 2026-03-03 is before the decision's adoption on 2026-03-04" "the error names the deadline and the adoption"
expect_exit 3 "a decision with an action due before its adoption" "$CDG" forum decide --item 2 --consensus --text T --adopted-on 2026-03-04 --action "Do it|1|2026-03-01" --actor sec
err_has "field action.deadline: 2026-03-01 is before the decision's adoption on 2026-03-04" "the error names both dates"
expect_exit 0 "decision show" "$CDG" forum decision show 2 --json
jq_is '.method + " " + (.tally | "\(.yes)-\(.no)-\(.abstain)") + " " + (.draws_on | map(tostring) | join(","))' "vote 20-3-4 2" "the tally and the proposals drawn on"
expect_exit 1 "a decision is never rewritten" sqlite3 "$CDG_DB" "BEGIN; UPDATE forum_decision SET body = 'x'; COMMIT;"
for stmt in "UPDATE forum_proposal_version SET body = 'x'" "DELETE FROM forum_proposal_version" "DELETE FROM forum_comment" "UPDATE forum_comment SET body = 'x'" "DELETE FROM forum_decision_basis" "DELETE FROM forum_doc_version"; do
	expect_exit 1 "refused: $stmt" sqlite3 "$CDG_DB" "BEGIN; $stmt; COMMIT;"
done
check "the record is intact" test "$(q "SELECT count(*) FROM forum_proposal_version WHERE body = 'x'")/$(q "SELECT count(*) FROM forum_comment")" = "0/1"

# Actions: the owner's members and the secretariat update them.
expect_exit 1 "bob cannot update Kenya's action" "$CDG" forum action update A1 --status done --actor bob
expect_exit 3 "an unknown status" "$CDG" forum action update A1 --status finished --actor alice
err_has "field status" "the error names status"
expect_exit 0 "alice reports progress" "$CDG" forum action update A1 --status in_progress --note "Contact named in draft." --actor alice
expect_exit 0 "the secretariat may update too" "$CDG" forum action update A2 --status done --actor sec
expect_exit 0 "action list" "$CDG" forum action list --json
jq_is '.[0].history | map(.status + "/" + .by) | join(",")' "in_progress/alice" "the update is in the action's history"
expect_exit 0 "monitor on a fixed day before the deadline" "$CDG" forum monitor --today 2026-06-30 --json
jq_is '.summary | "\(.agreed) \(.done) \(.in_progress) \(.not_started) \(.overdue)"' "2 1 1 0 0" "on the deadline day nothing is overdue"
expect_exit 0 "monitor a day later" "$CDG" forum monitor --today 2026-07-01 --json
jq_is '.summary.overdue' 1 "the day after the deadline the unfinished action is overdue"
jq_is '[.actions[] | select(.overdue) | .id] | join(",")' "1" "which one"
expect_exit 0 "monitor as text" "$CDG" forum monitor --today 2026-07-01
check "the text says what was agreed and done" grep -q "2 agreed, 1 done, 1 in progress, 0 not started, 1 overdue" "$T/out"
check "and marks the overdue action" grep -q "A1 .*OVERDUE" "$T/out"
expect_exit 2 "a malformed today" "$CDG" forum monitor --today tomorrow
expect_exit 0 "monitor of one state" "$CDG" forum monitor --country KEN --json
jq_is '.actions | length' 1 "Kenya owns one action"
expect_exit 0 "the country dashboard shows it" "$CDG" dashboard KEN --json
jq_is '.forum.actions[0].title + " / " + .forum.actions[0].status' "Designate a health-sector CERT contact / in_progress" "the dashboard carries the forum action and its status"
expect_exit 0 "text dashboard" "$CDG" dashboard KEN
check "the text dashboard lists forum actions" grep -q "Forum actions" "$T/out"

# The open record.
expect_exit 0 "export" "$CDG" forum export --json
jq_is '.format + " " + (.documents | length | tostring) + " " + (.proposals | length | tostring) + " " + (.decisions | length | tostring)' "cdg-forum-export/1 1 2 2" "the export holds the public records"
check "the registered document is not exported" sh -c "! grep -q 'non-paper' '$T/out'"
expect_exit 0 "feed" "$CDG" forum feed --base https://forum.example.org
check "the feed is well-formed XML" xmllint --noout "$T/out"
check "the feed is Atom" grep -q '<feed xmlns="http://www.w3.org/2005/Atom">' "$T/out"
check "five entries (1 document, 2 proposals, 2 decisions)" test "$(grep -c '<entry>' "$T/out")" = 5
check "no registered document in the feed" sh -c "! grep -q 'non-paper' '$T/out'"
check "entry ids are URNs" test "$(grep -c '<id>urn:cdg:forum:' "$T/out")" = 5

# Everything written is in the audit log, by who did it.
check "the audit log names alice for her proposal" test "$(q "SELECT count(*) FROM audit_log WHERE entity='forum_proposal_version' AND actor='alice'")" = 2
check "and the secretariat for the decisions" test "$(q "SELECT count(*) FROM audit_log WHERE entity='forum_decision' AND actor='sec'")" = 2
done_testing
