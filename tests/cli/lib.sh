# Shared helpers for the CLI tests (sourced).  Each test script runs the real
# `cdg` binary ($CDG) against real files in a private temporary directory.
set -u
: "${CDG:?CDG must point at the cdg binary}"
: "${CDG_SRCDIR:?CDG_SRCDIR must point at the source tree}"
T=$(mktemp -d "${TMPDIR:-/tmp}/cdg-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
export CDG_DB="$T/cdg.db"
export CDG_DATA="$CDG_SRCDIR/data"
fails=0
n=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
	local what=$1; shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# expect_exit STATUS DESCRIPTION COMMAND...: runs COMMAND, keeps its stdout
# in $T/out and stderr in $T/err, and checks its exit status.
expect_exit() {
	local want=$1 what=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	local got=$?
	if [ "$got" -eq "$want" ]; then ok "$what (exit $got)"
	else not_ok "$what: exit $got, wanted $want; stderr: $(head -c 400 "$T/err")"; fi
}

# jq_is FILTER EXPECTED DESCRIPTION: checks jq -r FILTER on $T/out.
jq_is() {
	local got
	got=$(jq -r "$1" <"$T/out" 2>&1)
	if [ "$got" = "$2" ]; then ok "$3"
	else not_ok "$3: jq '$1' gave '$got', wanted '$2'"; fi
}

# err_has TEXT DESCRIPTION: stderr of the last expect_exit contains TEXT.
err_has() {
	if grep -qF -- "$1" "$T/err"; then ok "$2"
	else not_ok "$2: stderr lacks '$1': $(head -c 400 "$T/err")"; fi
}

# no_evidence: CDG_DATA becomes a copy of data/ whose desk-research files
# (data/evidence/*.csv) hold their header only, for tests that work out
# figures by hand from the observations they import themselves.
no_evidence() {
	cp -r "$CDG_SRCDIR/data" "$T/data-noev"
	for f in "$T"/data-noev/evidence/*.csv; do
		head -1 "$f" >"$f.tmp" && mv "$f.tmp" "$f"
	done
	export CDG_DATA="$T/data-noev"
}

done_testing() {
	echo "1..$n"
	[ "$fails" -eq 0 ]
	exit $?
}
