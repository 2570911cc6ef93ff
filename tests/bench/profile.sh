#!/usr/bin/env bash
# profile.sh — where a request's time goes, in instructions (repeatable,
# unlike wall-clock figures on a shared machine): one worker of a program
# runs under valgrind's callgrind on the national-scale data (data.sh),
# behind the same nginx as `make bench`; after a warm-up the counters are
# switched on for PROFILE_SECONDS of requests from one wrk connection,
# then the instructions per request are printed with the functions that
# cost the most (inclusive), per request.
#
#   KG_TOP=$PWD KG_BUILD=$PWD/build tests/bench/profile.sh [scenario...]
#
# Scenarios: those of scenarios.sh (hello home search stats places
# places_filtered places_random places_staff places_staff_filtered
# register) and choice (a small burst of place choices, the referral PDFs
# made after the responses included); all by default. PROFILE_SECONDS (5),
# PROFILE_TOP (30), PROFILE_KEEP=1 keeps the callgrind files (in the
# instance's folder, with BENCH_KEEP=1).
set -euo pipefail
top=${KG_TOP:?KG_TOP}
build=${KG_BUILD:-$top/build}
here=$top/tests/bench
dir=${BENCH_DIR:-$build/bench}
workers=1
secs=${PROFILE_SECONDS:-5}
ntop=${PROFILE_TOP:-30}
. "$here/instance.sh"
command -v valgrind > /dev/null || { say "profile.sh: valgrind is not installed"; exit 1; }
KG_TOP=$top KG_BUILD=$build BENCH_DIR=$dir "$here/data.sh" >&2
trap bench_stop EXIT
bench_start
. "$here/scenarios.sh"

# One worker of pool under callgrind, instrumentation off until asked.
under_callgrind() { # pool
	local pool=$1 pidf=$var/run/$1.pid prog=$build/cgi-bin/$1
	kill "$(cat "$pidf")" 2> /dev/null || true
	for _ in $(seq 1 50); do kill -0 "$(cat "$pidf")" 2> /dev/null || break; sleep 0.1; done
	rm -f "$var/run/$pool.sock"
	KG_CONF=$var/app.hdf spawn-fcgi -s "$var/run/$pool.sock" -M 0660 -P "$pidf" -- \
		/usr/bin/valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$var/cg.$pool.%p" \
		"$prog" > /dev/null 2>> "$var/log/$pool.log"
	sleep 1
}

profile() { # scenario
	local name=$1 pool what target script out n
	if [ "$name" = choice ]; then pool=places; what=""; else
		IFS='|' read -r pool what <<< "$(scenario_of "$name")"
	fi
	under_callgrind "$pool"
	local pid; pid=$(cat "$var/run/$pool.pid")
	if [ "$name" = choice ]; then
		# The burst of choices, small: 200 places, 1,000 choices from 8
		# connections (choice-burst.js attached to this instance); the
		# referral PDFs made after the responses are in the figures.
		callgrind_control -i on "$pid" > /dev/null
		out=$(BENCH_ATTACH=1 BENCH_PORT=$port BENCH_VAR=$var BENCH_PIDFILE=$var/run/places.pid RECORDS=20 APPS=1000 \
			CONCURRENCY=8 KG_TOP=$top KG_BUILD=$build node "$here/choice-burst.js" 2>&1 | sed -n "/choices\/s/p" || true)
		out="$out
1000 requests in"
	else
	if declare -F "prepare_$name" > /dev/null; then "prepare_$name"; fi
	script=""; target=$what
	if [[ $what == @* ]]; then script=${what#@}; target=""; fi
	export BENCH_RUN=0
	wrk_run 1 3 "$target" "$script" > /dev/null     # warm-up: caches filled, statements prepared
	callgrind_control -i on "$pid" > /dev/null
	BENCH_RUN=1 out=$(wrk_run 1 "$secs" "$target" "$script")
	fi
	callgrind_control -d "$name" "$pid" > /dev/null
	callgrind_control -i off "$pid" > /dev/null
	n=$(awk '/requests in/ {print $1}' <<< "$out")
	local f; f=$(ls -t "$var"/cg."$pool"."$pid".* 2> /dev/null | head -1)
	[ -n "$f" ] || { say "profile.sh: $name: no callgrind dump"; return; }
	local total; total=$(callgrind_annotate "$f" 2> /dev/null | awk '/PROGRAM TOTALS/ && !t {gsub(",", "", $1); t = $1} END {print t}')
	echo
	echo "== $name ($pool): $n requests, $(awk -v t="$total" -v n="$n" 'BEGIN { printf "%.0f", t / n }') instructions per request"
	callgrind_annotate --inclusive=yes "$f" 2> /dev/null | awk -v n="$n" -v top="$ntop" '
		/^-+$/ { sep++; next }
		sep >= 3 && NF >= 2 && $1 ~ /^[0-9,]+$/ {
			v = $1; gsub(",", "", v); fn = $0; sub(/^ *[0-9,]+ +(\([^)]*\) +)?/, "", fn)
			sub(/ \[[^]]*\]$/, "", fn)
			if (shown++ < top) printf "%12.0f  %s\n", v / n, fn
		}'
	[ -n "${PROFILE_KEEP:-}" ] || rm -f "$var"/cg."$pool".*
	# Back to a normal pool for the next scenario of the same program.
	kill "$pid" 2> /dev/null || true
	for _ in $(seq 1 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
	rm -f "$var/run/$pool.sock"
	KG_CONF=$var/app.hdf spawn-fcgi -s "$var/run/$pool.sock" -M 0660 -P "$var/run/$pool.pid" -- \
		/usr/bin/multiwatch -f 1 -- "$build/cgi-bin/$pool" > /dev/null 2>> "$var/log/$pool.log"
	sleep 0.5
}

list=("$@")
[ ${#list[@]} -gt 0 ] || list=(hello home search stats places places_filtered places_random places_staff places_staff_filtered register choice)
for s in "${list[@]}"; do profile "$s"; done
