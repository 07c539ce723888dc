#!/usr/bin/env bash
# Durability under several processes (issue 14), briefly: scripts/durability
# runs cdg serve taking API writes while another cdg imports in a loop and a
# third is killed with SIGKILL mid-import; every acknowledged write must
# survive, the server must live and keep SQLite's lock on the -shm, and the
# database must pass integrity_check.  scripts/durability 600 runs it for
# 10 minutes.
. "$(dirname "$0")/lib.sh"
out=$("$CDG_SRCDIR/scripts/durability" "${CDG_DURABILITY_SECONDS:-12}" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
if [ $rc -eq 0 ]; then ok "no acknowledged write lost, server alive with its lock, integrity ok"
else not_ok "durability: $(echo "$out" | tr '\n' ' ' | head -c 600)"; fi
echo "$out" | grep -q "[1-9][0-9]* importers killed" && ok "importers were killed mid-write" ||
	not_ok "no importer was killed mid-write"
done_testing
