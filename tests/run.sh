#!/usr/bin/env bash
# run.sh — the whole test suite (`make check`). Each part prints its own
# "N passed, N failed"; the last line here is the sum.
#
#   unit     C tests of the library (cmocka, TAP output)
#   lint     the project's own rules (SQL literals, escaping, both languages)
#   fuzz     every fuzz target over its saved inputs (tests/fuzz/corpus and
#            the inputs that once crashed, tests/fuzz/regress), built with
#            gcc's AddressSanitizer and UBSan (`make fuzz` does the fuzzing)
#   tools    the test PKI and the fake NCALayer
#   http     real nginx + real programs on loopback, one instance per file
#   browser  Chromium driven by playwright-core through the same servers
#   valgrind one long-lived program over hundreds of requests
#   package  the Debian package built, installed and upgraded in a fresh
#            Debian 12 root (mmdebstrap; skipped, saying why, without root)
#
# TEST_SUITES="unit http" limits the parts; TEST_FILES=pattern limits files;
# TEST_JOBS (2) HTTP or browser test files run at once.
set -u
top=${KG_TOP:?KG_TOP}
build=${KG_BUILD:-$top/build}
export KG_TOP=$top KG_BUILD=$build
export KG_PKI=$build/pki
suites=${TEST_SUITES:-unit lint fuzz tools http browser valgrind package}
files=${TEST_FILES:-}
pass=0 fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # label, command...: runs it, streams its output, adds its last tally
	local label=$1; shift
	"$@" > "$log" 2>&1
	tally "$label" "$log" $?
}

tally() { # label, its output, its exit status: prints the output, adds its last tally
	local label=$1 log=$2 rc=$3
	sed "s/^/[$label] /" "$log"
	local tally
	tally=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -z "$tally" ]; then
		echo "[$label] not ok - ended without a tally (exit status $rc)"
		fail=$((fail + 1)); return
	fi
	local p=${tally%% passed*} f=${tally#*, }; f=${f%% failed*}
	pass=$((pass + p)); fail=$((fail + f))
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "[$label] not ok - exit status $rc"; fail=$((fail + 1))
	fi
}

tap() { # a cmocka binary with TAP output -> our tally
	local out rc
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$@" 2>&1); rc=$?
	printf '%s\n' "$out"
	local p f
	p=$(printf '%s\n' "$out" | grep -cE '^ok [0-9]+')
	f=$(printf '%s\n' "$out" | grep -cE '^not ok [0-9]+')
	[ "$rc" != 0 ] && [ "$f" = 0 ] && f=1
	echo "$p passed, $f failed"
	[ "$f" = 0 ]
}

want() { case " $suites " in *" $1 "*) return 0 ;; esac; return 1; }
match() { [ -z "$files" ] || [[ "$1" == *$files* ]]; }

"$top/tests/tools/pki.sh" "$KG_PKI" > /dev/null || { echo "the test PKI could not be made"; echo "0 passed, 1 failed"; exit 1; }

# The package test mostly waits for Debian's mirror and builds in its own
# root: it runs beside the other parts, and its output is read at the end.
pkg_log=""
if want package && match "$top/tests/pkg/install.sh"; then
	pkg_log=$(mktemp)
	"$top/tests/pkg/install.sh" > "$pkg_log" 2>&1 &
	pkg_pid=$!
fi

if want unit; then
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] && match "$t" && count "unit $(basename "$t")" tap "$t"
	done
fi
if want lint; then count lint node "$top/tests/lint.js"; fi
if want fuzz; then
	for t in "$build"/fuzz-replay/*; do
		[ -x "$t" ] && match "$t" || continue
		n=$(basename "$t")
		dirs=("$top/tests/fuzz/corpus/$n")
		[ -d "$top/tests/fuzz/regress/$n" ] && dirs+=("$top/tests/fuzz/regress/$n")
		count "fuzz $n" env ASAN_OPTIONS=detect_leaks=1:handle_abort=1 UBSAN_OPTIONS=print_stacktrace=1 "$t" "${dirs[@]}"
	done
fi
if want tools; then count tools node "$top/tests/tools/test-fake-ncalayer.js"; fi
# The HTTP and browser test files, TEST_JOBS (2) at a time: each starts its
# own servers on free ports in its own folder, and most of a file's time is
# spent starting them. A file whose first lines say "Runs alone" (it puts
# the machine under load and counts failed requests) runs by itself, last.
# The outputs are printed in order as the files end.
in_parallel() { # suite, files...
	local suite=$1; shift
	local out; out=$(mktemp -d)
	local -a names=() pids=() alone=()
	for t in "$@"; do
		match "$t" || continue
		if head -15 "$t" | grep -q "Runs alone"; then alone+=("$t"); continue; fi
		while [ "${#pids[@]}" -ge "${TEST_JOBS:-2}" ]; do
			wait -n "${pids[@]}"
			local -a alive=()
			for p in "${pids[@]}"; do kill -0 "$p" 2> /dev/null && alive+=("$p"); done
			pids=("${alive[@]}")
		done
		local n; n=$(basename "$t" .test.js)
		names+=("$n")
		(node "$t" > "$out/$n.log" 2>&1; echo $? > "$out/$n.rc") &
		pids+=($!)
	done
	wait "${pids[@]}" 2> /dev/null
	for t in "${alone[@]}"; do
		local n; n=$(basename "$t" .test.js)
		names+=("$n")
		node "$t" > "$out/$n.log" 2>&1; echo $? > "$out/$n.rc"
	done
	for n in "${names[@]}"; do tally "$suite $n" "$out/$n.log" "$(cat "$out/$n.rc" 2> /dev/null || echo 1)"; done
	rm -rf "$out"
}
if want http; then in_parallel http "$top"/tests/http/*.test.js; fi
if want browser; then in_parallel browser "$top"/tests/browser/*.test.js; fi
if want valgrind; then count valgrind node "$top/tests/valgrind.js"; fi
pkg_result() { wait "$pkg_pid"; local rc=$?; cat "$pkg_log"; return $rc; }
if [ -n "$pkg_log" ]; then
	count package pkg_result
	rm -f "$pkg_log"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
