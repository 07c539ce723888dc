#!/usr/bin/env bash
# Benchmark (issue 6): a cached GET of a country profile from cdg serve
# against nginx serving the same bytes as a static file, side by side on
# loopback with wrk.  Prints requests per second of both, the ratio
# (target >= 0.5), and cdg's p99 latency at 256 connections (target < 10 ms).
#   bench/http.sh [BUILD_DIR] [SECONDS]      (needs wrk and nginx: Debian
#   packages wrk and nginx-light)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-10}
case $build in /*) cdg=$build/src/cli/cdg ;; *) cdg=$PWD/$build/src/cli/cdg ;; esac
for p in wrk nginx; do
	command -v $p >/dev/null || [ -x /usr/sbin/$p ] || { echo "needs $p" >&2; exit 2; }
done
T=$(mktemp -d)
cleanup() { kill "${cpid:-0}" 2>/dev/null || true; [ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

"$cdg" init --db "$T/cdg.db" >/dev/null
"$cdg" serve --db "$T/cdg.db" --port 0 --threads ${CDG_THREADS:-2} >"$T/serve.out" 2>/dev/null &
cpid=$!
for _ in $(seq 100); do grep -q serving "$T/serve.out" && break; sleep 0.05; done
base=$(sed -n 's/^cdg: serving \(http:[^ ]*\)\/$/\1/p' "$T/serve.out")
url="$base/api/v1/countries/FRA"
mkdir -p "$T/www"
curl -s "$url" >"$T/www/FRA.json"
cat >"$T/nginx.conf" <<NGINX
worker_processes 2;
pid $T/nginx.pid;
error_log $T/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:18480;
    root $T/www;
    location / { default_type application/json; }
  }
}
NGINX
/usr/sbin/nginx -c "$T/nginx.conf"
sleep 0.3

run() { wrk -t2 -c"$2" -d"${secs}s" --latency "$1" 2>&1; }
echo "GET $url ($(wc -c <"$T/www/FRA.json") bytes), ${secs} s per run, 2 wrk threads"
c64=$(run "$url" 64); n64=$(run "http://127.0.0.1:18480/FRA.json" 64)
c256=$(run "$url" 256); n256=$(run "http://127.0.0.1:18480/FRA.json" 256)
rps() { awk '/Requests\/sec/ {print $2}'; }
p99() { awk '/ 99%/ {print $2}'; }
cr=$(echo "$c64" | rps); nr=$(echo "$n64" | rps)
echo "cdg serve, 64 connections:  ${cr} requests/s"
echo "nginx static, 64 connections: ${nr} requests/s"
awk -v a="$cr" -v b="$nr" 'BEGIN { printf "ratio cdg/nginx: %.2f (target >= 0.5)\n", a / b }'
echo "cdg serve, 256 connections: $(echo "$c256" | rps) requests/s, p99 latency $(echo "$c256" | p99) (target < 10ms)"
echo "nginx static, 256 connections: $(echo "$n256" | rps) requests/s, p99 latency $(echo "$n256" | p99)"
echo "(load average during the runs: $(cut -d' ' -f1-3 /proc/loadavg))"
