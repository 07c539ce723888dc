#!/usr/bin/env bash
# Benchmark (issue 6): a cached GET of a country profile from cdg serve
# against nginx serving the same bytes as a static file, side by side on
# loopback with wrk.  Prints requests per second of both, the ratio
# (target >= 0.5), and p99 latency at 256 connections (target < 10 ms).
#   bench/http.sh [BUILD_DIR] [SECONDS] [RUNS]      (needs wrk, nginx and taskset:
#   Debian packages wrk, nginx-light and util-linux)
# Two layouts, both printed:
#   shared  wrk (2 threads) and the server run on all cores, so on a small
#           machine the load generator and the server take turns on the same
#           CPUs and the scheduler's time slices show in the tail;
#   pinned  the server on CPU 1, wrk (1 thread) on CPU 0, so neither waits
#           for the other's time slice (the usual way to measure on one box).
# Both servers get the same layout and two workers in each run.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
secs=${2:-10}
runs=${3:-3}
case $build in /*) cdg=$build/src/cli/cdg ;; *) cdg=$PWD/$build/src/cli/cdg ;; esac
for p in wrk nginx taskset; do
	command -v $p >/dev/null || [ -x /usr/sbin/$p ] || { echo "needs $p" >&2; exit 2; }
done
T=$(mktemp -d)
stop_servers() {
	kill "${cpid:-0}" 2>/dev/null || true
	[ -f "$T/nginx.pid" ] && kill "$(cat "$T/nginx.pid")" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -f "$T/nginx.pid"
}
trap 'stop_servers; rm -rf "$T"' EXIT

"$cdg" init --db "$T/cdg.db" >/dev/null
mkdir -p "$T/www"
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

# start_servers PIN: cdg and nginx, each under `taskset -c PIN` if given.
start_servers() {
	local pin=()
	[ -n "$1" ] && pin=(taskset -c "$1")
	"${pin[@]}" "$cdg" serve --db "$T/cdg.db" --port 0 --threads 2 >"$T/serve.out" 2>/dev/null &
	cpid=$!
	for _ in $(seq 100); do grep -q serving "$T/serve.out" && break; sleep 0.05; done
	base=$(sed -n 's/^cdg: serving \(http:[^ ]*\)\/$/\1/p' "$T/serve.out")
	url="$base/api/v1/countries/FRA"
	curl -s "$url" >"$T/www/FRA.json"
	"${pin[@]}" /usr/sbin/nginx -c "$T/nginx.conf"
	sleep 0.3
}

rps() { awk '/Requests\/sec/ {print $2}'; }
p99ms() { awk '/ 99%/ { v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0;
	else if (v ~ /s$/) v = v * 1000; printf "%.2f", v }'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# measure URL CONNS: RUNS runs; sets R (requests/s) and P (p99 ms), the
# median of each, and RS/PS (every run).
measure() {
	RS="" PS=""
	for _ in $(seq "$runs"); do
		local out
		out=$("${w[@]}" -t"$wt" -c"$2" -d"${secs}s" --latency "$1" 2>&1)
		RS="$RS $(echo "$out" | rps)"
		PS="$PS $(echo "$out" | p99ms)"
	done
	R=$(echo "$RS" | median)
	P=$(echo "$PS" | median)
}
# layout NAME SERVER-CPUS WRK-CPUS WRK-THREADS
layout() {
	local name=$1 scpu=$2 wcpu=$3
	wt=$4 w=(wrk)
	[ -n "$wcpu" ] && w=(taskset -c "$wcpu" wrk)
	start_servers "$scpu"
	local nurl="http://127.0.0.1:18480/FRA.json" cr nr
	echo "== $name: server on CPUs ${scpu:-all}, wrk ($wt threads) on CPUs ${wcpu:-all}; median of $runs runs"
	measure "$url" 64; cr=$R
	echo "cdg serve, 64 connections:     $R requests/s   (runs:$RS)"
	measure "$nurl" 64; nr=$R
	echo "nginx static, 64 connections:  $R requests/s   (runs:$RS)"
	awk -v a="$cr" -v b="$nr" 'BEGIN { printf "ratio cdg/nginx: %.2f (target >= 0.5)\n", a / b }'
	measure "$url" 256
	echo "cdg serve, 256 connections:    $R requests/s, p99 latency ${P} ms (target < 10 ms)   (p99 runs:$PS)"
	measure "$nurl" 256
	echo "nginx static, 256 connections: $R requests/s, p99 latency ${P} ms   (p99 runs:$PS)"
	stop_servers
}

echo "GET /api/v1/countries/FRA ($("$cdg" --version 2>/dev/null | head -1)), ${secs} s per run, $(nproc) CPUs"
layout shared "" "" 2
if [ "$(nproc)" -ge 2 ]; then
	layout pinned 1 0 1
else
	echo "== pinned: skipped (one CPU)"
fi
echo "(load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg))"
