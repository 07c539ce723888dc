#!/usr/bin/env bash
# cdg chart ranking: an index edition drawn by report/ as SVG, PNG, PDF.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "init" "$CDG" init
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

done_testing
