#!/usr/bin/env bash
# run.sh — `make fuzz`: clang's libFuzzer with AddressSanitizer and UBSan on
# every tests/fuzz/fuzz_<name>.c, each for FUZZ_SECONDS (default 60), with
# its saved corpus (tests/fuzz/corpus/<name>) as the seeds.
#
#   FUZZ_SECONDS=600 FUZZ_TARGETS="request sign" make fuzz
#
# Installs clang and its fuzzer runtime (Debian: clang, libclang-rt-14-dev)
# when they are missing and this runs as root. New interesting inputs go to
# build/fuzz/corpus/<name> (copy the small ones you want to keep into
# tests/fuzz/corpus/<name>); a crash leaves build/fuzz/crash-<name>-*: fix
# it, then copy it into tests/fuzz/regress/<name> so `make check` replays it
# for ever. Exits non-zero when any target crashed.
set -uo pipefail
top=${KG_TOP:?KG_TOP}
build=${KG_BUILD:-$top/build}
secs=${FUZZ_SECONDS:-60}
cd "$top" || exit 1

if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1 || \
   ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
	if [ "$(id -u)" != 0 ]; then
		echo "fuzz: clang with libFuzzer is missing: sudo apt-get install -y clang libclang-rt-14-dev" >&2
		exit 1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev || {
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev
	} || exit 1
fi
"$top/tests/tools/pki.sh" "$build/pki" > /dev/null || { echo "fuzz: the test PKI could not be made" >&2; exit 1; }

targets=${FUZZ_TARGETS:-$(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')}
make -s -j2 $(for t in $targets; do echo "build/fuzz/$t"; done) BUILD="${build#$top/}" || exit 1

export KG_TOP=$top KG_PKI=$build/pki
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
for t in $targets; do
	out=$build/fuzz/corpus/$t
	mkdir -p "$out"
	seeds=()
	[ -d "tests/fuzz/corpus/$t" ] && seeds+=("tests/fuzz/corpus/$t")
	[ -d "tests/fuzz/regress/$t" ] && seeds+=("tests/fuzz/regress/$t")
	dict=()
	[ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
	echo "fuzz: $t for ${secs}s"
	"$build/fuzz/$t" "$out" "${seeds[@]}" "${dict[@]}" -max_total_time="$secs" -max_len=65536 \
		-rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$build/fuzz/crash-$t-" \
		> "$build/fuzz/$t.log" 2>&1
	rc=$?
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' "$build/fuzz/$t.log" | sed "s/^/  /"
	if [ $rc != 0 ]; then
		echo "fuzz: $t FAILED (exit $rc); see $build/fuzz/$t.log"
		grep -E 'ERROR|SUMMARY|broken promise|Test unit written' "$build/fuzz/$t.log" | head -5 | sed "s/^/  /"
		failed=1
	fi
done
exit $failed
