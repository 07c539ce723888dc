#!/usr/bin/env bash
# cdg chart ranking and map: an index edition drawn by report/ as SVG, PNG, PDF.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "init" "$CDG" init
# Before any edition, the map shows Budapest Convention status.
expect_exit 0 "map without an edition" "$CDG" chart map --out "$T/b.svg"
check "it is the Budapest map" grep -q "Budapest Convention on Cybercrime" "$T/b.svg"
parties=$(sqlite3 "$CDG_DB" "SELECT count(*) FROM treaty_party WHERE treaty_id = 'ETS185' AND status = 'party'")
check "every party ($parties) in the party colour" test "$(grep -c 'class="region" data-id="[A-Z]*" fill="#1a8856"' "$T/b.svg")" = "$parties"
expect_exit 0 "demo" "$CDG" demo --states 8
expect_exit 0 "compute an edition" "$CDG" index compute --edition 2025 --mc 40 --seed 3
expect_exit 0 "SVG" "$CDG" chart ranking 2025 --out "$T/r.svg"
check "an SVG document" grep -q "<svg" "$T/r.svg"
check "labelled SYNTHETIC (demo inputs)" grep -q "SYNTHETIC" "$T/r.svg"
ranked=$("$CDG" index show 2025 --json | jq '[.states[] | select(.rank != null)] | length')
check "the chart says how many states are ranked ($ranked)" grep -q "$ranked ranked states" "$T/r.svg"
expect_exit 0 "PNG" "$CDG" chart ranking 2025 --out "$T/r.png"
check "a PNG file" test "$(head -c 8 "$T/r.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a
expect_exit 0 "PDF" "$CDG" chart ranking 2025 --format pdf --out "$T/r.bin"
check "a PDF file" test "$(head -c 5 "$T/r.bin")" = "%PDF-"
expect_exit 0 "SVG again" "$CDG" chart ranking 2025 --out "$T/r2.svg"
check "the same chart gives the same bytes" cmp "$T/r.svg" "$T/r2.svg"
expect_exit 3 "an edition that does not exist" "$CDG" chart ranking 1999 --out "$T/x.svg"
check "nothing written for it" test ! -e "$T/x.svg"
expect_exit 2 "an unknown format" "$CDG" chart ranking 2025 --format gif --out "$T/x.gif"
expect_exit 2 "an unknown chart" "$CDG" chart pie 2025 --out "$T/x.svg"

# The world map of the edition: ranked states filled by score band.
expect_exit 0 "map of the latest edition" "$CDG" chart map --out "$T/m.svg"
check "titled with the edition" grep -q "CDG Index 2025" "$T/m.svg"
check "labelled SYNTHETIC" grep -q "SYNTHETIC" "$T/m.svg"
check "as many coloured states as ranked ($ranked)" \
	test "$(grep -c 'class="region" data-id="[A-Z]*" fill="#\(deebf7\|9ecae1\|4292c6\|2171b5\|084594\)"' "$T/m.svg")" = "$ranked"
top=$("$CDG" index show 2025 --json | jq -r '[.states[] | select(.rank == 1)][0] | "\(.iso3) \(.score)"')
band=$(echo "$top" | awk '{ b = int($2 / 20); if (b > 4) b = 4; split("deebf7 9ecae1 4292c6 2171b5 084594", c, " "); print c[b + 1] }')
check "the top state ${top% *} is in the band of its score (#$band)" grep -q "data-id=\"${top% *}\" fill=\"#$band\"" "$T/m.svg"
expect_exit 0 "map of edition 2025 as PNG" "$CDG" chart map 2025 --out "$T/m.png"
check "a PNG file" test "$(head -c 4 "$T/m.png" | tail -c 3)" = PNG
expect_exit 0 "Budapest map asked for by name, as PDF" "$CDG" chart map budapest --out "$T/b.pdf"
check "a PDF file" test "$(head -c 5 "$T/b.pdf")" = "%PDF-"
expect_exit 3 "map of an edition that does not exist" "$CDG" chart map 1999 --out "$T/x.svg"
check "nothing written for it" test ! -e "$T/x.svg"
expect_exit 1 "no geometry file" "$CDG" chart map --data "$T/nodata" --out "$T/x.svg"
err_has "cannot read the map geometry" "the message says the geometry is missing"
mkdir -p "$T/bad/map" && printf '{"width": 10, "height": 5,\n "countries": {"FRA": "M0,0 L1"}}\n' >"$T/bad/map/world.json"
expect_exit 3 "broken geometry" "$CDG" chart map --data "$T/bad" --out "$T/x.svg"
err_has "region FRA: path data" "the message names the region"
check "nothing written for it" test ! -e "$T/x.svg"

done_testing
