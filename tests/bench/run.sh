#!/usr/bin/env bash
# run.sh — `make bench`: wrk against the real nginx and programs on the
# national-scale data of data.sh, next to a hello-world FastCGI responder
# measured in the same run (these machines are noisy: only ratios taken
# in one run mean anything), then the burst of place choices
# (choice-burst.js) against the same instance.
#
# For each scenario (scenarios.sh): a warm-up, then `wrk -t2 -c32
# --latency` for BENCH_SECONDS (10), then more requests until the workers
# have served at least BENCH_SOAK (100,000) for that scenario; the table
# gives requests/s, the ratio to hello-world, p50 and p99 latency,
# responses that were not 2xx/3xx, the pool's workers' own CPU time per
# request, and the memory of the pool's largest worker after the warm-up
# and at the end (flat = no growth per request), resident and private.
#
# Environment: KG_TOP, KG_BUILD; BENCH_DIR (data.sh's folder), BENCH_SECONDS,
# BENCH_SOAK, BENCH_CONNECTIONS (32), BENCH_WORKERS (2 per program),
# BENCH_ONLY="search stats" (a subset; "choices" for the burst, "busy" for
# 2,000 connections through the production snippets: busy.sh, "history"
# for the position history: qhist_bench), BENCH_KEEP=1 (keep the instance).
set -euo pipefail
top=${KG_TOP:?KG_TOP}
build=${KG_BUILD:-$top/build}
here=$top/tests/bench
dir=${BENCH_DIR:-$build/bench}
secs=${BENCH_SECONDS:-10}
soak=${BENCH_SOAK:-100000}
conns=${BENCH_CONNECTIONS:-32}
workers=${BENCH_WORKERS:-2}
started=$(date +%s)
. "$here/instance.sh"

command -v wrk > /dev/null || { say "run.sh: wrk is not installed (make deps)"; exit 1; }
KG_TOP=$top KG_BUILD=$build BENCH_DIR=$dir "$here/data.sh" >&2
load0=$(cut -d' ' -f1-3 /proc/loadavg)
trap bench_stop EXIT
bench_start
. "$here/scenarios.sh"

# ---- measuring ----
mem_of() { # pool -> "resident/private" KB of its largest worker: all
	# resident pages, and the private ones (the rest are shared library and
	# file pages, counted once for all the machine's processes)
	local pidfile=$var/run/$1.pid max=0 anon=0 kb a p
	[ -f "$pidfile" ] || { echo 0; return; }
	for p in $(pgrep -P "$(cat "$pidfile")"); do
		kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2> /dev/null || echo 0)
		a=$(awk '/^Private_(Clean|Dirty):/ {s += $2} END {print s + 0}' "/proc/$p/smaps_rollup" 2> /dev/null || echo 0)
		if [ "${kb:-0}" -gt "$max" ]; then max=$kb; anon=$a; fi
	done
	echo "$max/$anon"
}
cpu_of() { # pool -> CPU time (clock ticks) its workers have used so far
	local pidfile=$var/run/$1.pid sum=0 t
	[ -f "$pidfile" ] || { echo 0; return; }
	for p in $(pgrep -P "$(cat "$pidfile")"); do
		t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2> /dev/null || echo 0)
		sum=$((sum + ${t:-0}))
	done
	echo "$sum"
}
field() { # name, wrk output
	case $1 in
	rps) awk '/^Requests\/sec:/ {print $2}' <<< "$2" ;;
	total) awk '/requests in/ {print $1}' <<< "$2" ;;
	p50) awk '/^ +50%/ {print $2}' <<< "$2" ;;
	p99) awk '/^ +99%/ {print $2}' <<< "$2" ;;
	bad) awk '/Non-2xx or 3xx responses:/ {print $5}' <<< "$2" ;;
	errors) awk '/Socket errors:/ {print $0}' <<< "$2" ;;
	esac
}
row() {
	printf '%-22s %9s %7s %8s %8s %7s %7s %8s %13s %13s\n' "$@"
}

apps=$(sqlite3 "$var/kg.db" "SELECT count(*) FROM application")
results=()
hello_rps=""
for line in "${SCENARIOS[@]}"; do
	IFS='|' read -r name pool what <<< "$line"
	name=$(echo $name); pool=$(echo $pool); what=$(echo $what)
	if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $name "* ]] && [ "$name" != hello ]; then continue; fi
	script=""; target=$what
	if [[ $what == @* ]]; then script=${what#@}; target=""; fi
	BENCH_HEADERS=""
	if declare -F "prepare_$name" > /dev/null; then "prepare_$name"; fi
	say "run.sh: $name (warm-up)"
	# BENCH_RUN tells a script which run it is (register.lua's children differ).
	export BENCH_RUN=0
	warm=$(wrk_run "$conns" 3 "$target" "$script")
	mem0=$(mem_of "$pool")
	cpu0=$(cpu_of "$pool")
	say "run.sh: $name (${secs} s)"
	BENCH_RUN=1 out=$(wrk_run "$conns" "$secs" "$target" "$script")
	cpu1=$(cpu_of "$pool")
	# The workers' own CPU time per request: what the program costs,
	# whatever else runs on the machine.
	us=$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v n="$(field total "$out")" \
		'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "-" }')
	total=$(( $(field total "$warm") + $(field total "$out") ))
	rps=$(field rps "$out")
	# More requests until the workers have served the soak count.
	run=2
	while [ "$total" -lt "$soak" ]; do
		more=$(awk -v n=$((soak - total)) -v r="$rps" 'BEGIN { s = int(n / (r > 1 ? r : 1)) + 2; print s }')
		say "run.sh: $name (soak ${more} s to pass $soak requests)"
		BENCH_RUN=$run extra=$(wrk_run "$conns" "$more" "$target" "$script")
		total=$((total + $(field total "$extra")))
		run=$((run + 1))
	done
	mem2=$(mem_of "$pool")
	bad=$(field bad "$out"); bad=${bad:-0}
	[ "$name" = hello ] && hello_rps=$rps
	ratio=$(awk -v a="$rps" -v b="${hello_rps:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
	results+=("$(row "$name" "$rps" "$ratio" "$(field p50 "$out")" "$(field p99 "$out")" "$bad" "$us" "$total" "$mem0" "$mem2")")
	errs=$(field errors "$out")
	[ -n "$errs" ] && say "run.sh: $name: $errs"
done

# ---- the burst of place choices (issue 5) ----
# 1,000 places (100 records of 10) and 10,000 eligible applications of as
# many logged-in citizens (choice-burst.js --prepare), then every choice
# POSTed once from 256 connections by wrk (burst.lua), then the outcome
# checked: exactly 1,000 referrals, the rest refused, nothing overbooked,
# every winner's SMS and PDF (made after the responses).
burst_line=""
if [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" choices "* ]]; then
	say "run.sh: choices (10,000 concurrent choice POSTs for 1,000 places)"
	export BENCH_BURST=$var/burst.txt
	battach=(env BENCH_ATTACH=1 BENCH_PORT=$port BENCH_VAR=$var KG_TOP=$top KG_BUILD=$build node "$here/choice-burst.js")
	"${battach[@]}" --prepare "$BENCH_BURST" >&2
	mem0=$(mem_of places)
	cpu0=$(cpu_of places)
	# wrk runs for its -d unless told: once burst.lua has written the status
	# of the last response, a SIGINT ends its run (its report then covers
	# the burst itself, within the 20 ms of this loop).
	rm -f "$BENCH_BURST.status"
	wrk -t1 -c256 -d300s --latency -s "$here/burst.lua" "$base" > "$var/burst.out" 2>&1 &
	wrkpid=$!
	while kill -0 "$wrkpid" 2> /dev/null && [ ! -s "$BENCH_BURST.status" ]; do sleep 0.02; done
	kill -INT "$wrkpid" 2> /dev/null || true
	wait "$wrkpid" || true
	out=$(cat "$var/burst.out")
	cpu1=$(cpu_of places)
	set +e
	checked=$("${battach[@]}" --check "$BENCH_BURST" $(cat "$BENCH_BURST.status" 2> /dev/null) 2>&1)
	set -e
	cpu2=$(cpu_of places)
	mem2=$(mem_of places)
	say "$checked"
	json=$(sed -n 's/^BURST //p' <<< "$checked")
	n=$(field total "$out")
	us=$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v n="${n:-0}" 'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "-" }')
	pdf_us=$(awk -v t=$((cpu2 - cpu1)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", t / hz * 1e6 / 1000 }')
	brps=$(field rps "$out")
	ratio=$(awk -v a="${brps:-0}" -v b="${hello_rps:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
	results+=("$(row choices "${brps:--}" "$ratio" "$(field p50 "$out")" "$(field p99 "$out")" "$(field bad "$out")" "$us" "${n:-0}" "$mem0" "$mem2")")
	if [ -n "$json" ]; then
		read -r bref bdocs bok bafter < <(node -e '
			const s = JSON.parse(process.argv[1]);
			console.log([s.referrals, s.docs, s.ok ? "ok" : "FAILED", (s.pdfs_after || 0).toFixed(1)].join(" "))' "$json")
		burst_line="choices: $(cat "$BENCH_BURST.status" 2> /dev/null) (status=count); $bref referrals for 1,000 places ($bok); $bdocs referral PDFs, all there ${bafter} s after the last response, ${pdf_us} us of CPU each"
	else
		burst_line="choices: the check failed"
	fi
fi

# ---- the position history (issue 18) ----
# What one application page asks of domain/qhist.h (the reasons of three
# months, the position on each day of twelve, the likely wait), timed for
# 1,000 queued applications, half of them in the longest queue, in the
# instance's database (qhist_bench reads it, one thread, while the
# programs idle). The search scenario above already includes it: every
# number found shows its history.
history_line=""
if [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" history "* ]]; then
	say "run.sh: history (1,000 applications' position history)"
	history_line=$("$build/tools/qhist_bench" --db "$var/kg.db" --n 1000) || history_line="history: did not run"
fi

# ---- a busy day: 2,000 connections through the production snippets ----
busy_lines=()
if [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" busy "* ]]; then
	. "$here/busy.sh"
	busy_bench || busy_lines+=("busy: did not run")
fi

echo
echo "make bench: wrk -t2 -c$conns, ${secs} s per scenario after a 3 s warm-up, $workers workers per program,"
echo "$apps applications in the database at the start; $(nproc) cores shared by wrk, nginx and the programs;"
echo "load average $load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end, $(( $(date +%s) - started )) s in all."
row scenario 'req/s' 'x hello' p50 p99 non-2xx 'CPU us' requests 'mem0 KB' 'mem1 KB'
for r in "${results[@]}"; do echo "$r"; done
[ -z "$burst_line" ] || echo "$burst_line"
[ -z "$history_line" ] || echo "$history_line"
for l in "${busy_lines[@]}"; do echo "$l"; done
echo "(CPU us: the pool's workers' own CPU time per request in the measured run. mem: resident/private KB"
echo " of the pool's largest worker after the warm-up (0) and after at least $soak requests of the scenario (1);"
echo " resident minus private is shared library and file pages. choices: 10,000 choice POSTs from 256"
echo " connections for 1,000 places, wrk -t1 (burst.lua); non-2xx = the 9,000 refused (409); CPU us: per"
echo " choice, without the referral PDFs, made after the responses once the burst is answered.)"
