#!/usr/bin/env bash
# cdg serve over loopback: health, framework, countries, errors, ETags,
# static UI, and a clean stop on SIGTERM.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "init" "$CDG" init

"$CDG" serve --port 0 --threads 2 >"$T/serve.out" 2>"$T/serve.err" &
pid=$!
for _ in $(seq 100); do
	grep -q "serving http" "$T/serve.out" 2>/dev/null && break
	sleep 0.05
done
base=$(sed -n 's/^cdg: serving \(http:[^ ]*\)\/$/\1/p' "$T/serve.out")
check "server announced its address" test -n "$base"

get() { curl -sS -o "$T/out" -D "$T/hdr" -w '%{http_code}' "$@"; }

code=$(get "$base/api/v1/health")
check "health answers 200" test "$code" = 200
jq_is '.status' ok "health says ok"
jq_is '.countries' 195 "health counts the states"

code=$(get "$base/api/v1/framework")
check "framework answers 200" test "$code" = 200
jq_is '.norms | length' 11 "framework lists 11 norms"
jq_is '.goals | length >= 7' true "framework lists the goals"
check "JSON content type" grep -qi '^content-type: application/json' "$T/hdr"
check "nosniff header" grep -qi '^x-content-type-options: nosniff' "$T/hdr"
etag=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p' "$T/hdr")
check "framework has an ETag" test -n "$etag"
code=$(get -H "If-None-Match: $etag" "$base/api/v1/framework")
check "conditional GET answers 304" test "$code" = 304

code=$(get "$base/api/v1/framework/norms")
jq_is 'map(.id) | join("")' abcdefghijk "norms a..k in order"

code=$(get "$base/api/v1/countries/FRA")
check "country answers 200" test "$code" = 200
jq_is '.treaties[] | select(.treaty_id=="ETS185") | .ratification_date' 2006-01-10 \
	"France's Budapest ratification over HTTP"

code=$(get "$base/api/v1/countries/XYZ")
check "unknown country is 404" test "$code" = 404
jq_is '.error.code' not_found "error body has a code"
jq_is '.error.message | test("XYZ")' true "error message names the code"
code=$(get "$base/api/v1/countries/fr")
check "malformed code is 400" test "$code" = 400
code=$(get "$base/api/v1/nothing")
check "unknown endpoint is 404 JSON" test "$code" = 404
jq_is '.error.code' not_found "unknown endpoint error body"
code=$(get -X POST "$base/api/v1/health")
check "POST is 405" test "$code" = 405

code=$(get "$base/")
check "web UI index is served" test "$code" = 200
check "index is HTML" grep -q "<title>cdg" "$T/out"
check "CSP header on pages" grep -qi '^content-security-policy:' "$T/hdr"
code=$(get --path-as-is "$base/../../etc/passwd")
check "no path traversal" test "$code" = 404

# Keep-alive: two requests on one connection.
curl -sS -o /dev/null -o /dev/null -w '%{num_connects}\n' \
	"$base/api/v1/health" "$base/api/v1/health" >"$T/conns"
check "keep-alive reuses the connection" test "$(paste -sd+ "$T/conns" | bc)" = 1

kill -TERM "$pid"
wait "$pid"
status=$?
check "serve exits 0 on SIGTERM" test "$status" = 0
check "serve says it stopped" grep -q "stopped" "$T/serve.err"

expect_exit 2 "one pool thread is refused" "$CDG" serve --port 0 --threads 1
err_has "--threads wants a number from 2 to 64" "the message gives the range"

done_testing
