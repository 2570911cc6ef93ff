#!/usr/bin/env bash
# run.sh — `make bench`: wrk against the real nginx and programs on the
# national-scale data of data.sh, next to a hello-world FastCGI responder
# measured in the same run (these machines are noisy: only ratios taken
# in one run mean anything).
#
# For each scenario: a warm-up, then `wrk -t2 -c32 --latency` for
# BENCH_SECONDS (10), then more requests until the workers have served at
# least BENCH_SOAK (100,000) in all; the table gives requests/s, the ratio
# to hello-world, p50 and p99 latency, responses that were not 2xx/3xx,
# and the resident memory of the pool's workers after the warm-up and at
# the end (flat = no growth per request).
#
# Adding a scenario is one line in SCENARIOS below:
#   name | pool (the program whose workers are measured) | what wrk does
# where "what" is a path for a plain GET, or @script.lua (in this folder)
# with its environment prepared by a function prepare_<name> if one exists.
#
# Environment: KG_TOP, KG_BUILD; BENCH_DIR (data.sh's folder), BENCH_SECONDS,
# BENCH_SOAK, BENCH_CONNECTIONS (32), BENCH_WORKERS (2 per program),
# BENCH_ONLY="search stats" (a subset), BENCH_KEEP=1 (keep the instance).
set -euo pipefail
top=${KG_TOP:?KG_TOP}
build=${KG_BUILD:-$top/build}
here=$top/tests/bench
dir=${BENCH_DIR:-$build/bench}
secs=${BENCH_SECONDS:-10}
soak=${BENCH_SOAK:-100000}
conns=${BENCH_CONNECTIONS:-32}
workers=${BENCH_WORKERS:-2}

SCENARIOS=(
	"hello    | hello | /bench/hello"
	"search   | queue | @search.lua"
	"stats    | stats | /stats"
	"register | queue | @register.lua"
)

say() { printf '%s\n' "$*" >&2; }
command -v wrk > /dev/null || { say "run.sh: wrk is not installed (make deps)"; exit 1; }
KG_TOP=$top KG_BUILD=$build BENCH_DIR=$dir "$here/data.sh" >&2

# ---- the instance: a copy of the snapshot, every program, nginx ----
var=$(mktemp -d /tmp/kg-bench-XXXXXX)
chmod 755 "$var"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export KG_TOP=$top KG_BUILD=$build KG_VAR=$var PORT=$port WORKERS=$workers KG_NO_DEMO=1
# nginx limits the search per address (5 r/s, burst 20): lifted here, since
# every request of the bench comes from one address. The program's own
# limit (Queue.SearchPerMinute) stays as deployed: it counts only searches
# that find nothing, and the bench searches for existing applications.
export KG_PKI=$build/pki KG_SEARCH_RATE=100000r/s KG_SEARCH_BURST=100000
"$top/tests/tools/pki.sh" "$KG_PKI" > /dev/null
stop_all() {
	if [ -f "$var/run/hello.pid" ]; then kill "$(cat "$var/run/hello.pid")" 2> /dev/null || true; fi
	"$top/conf/serve.sh" stop > /dev/null 2>&1 || true
	if [ -z "${BENCH_KEEP:-}" ]; then rm -rf "$var"; else say "run.sh: instance kept in $var"; fi
}
trap stop_all EXIT
"$top/conf/serve.sh" setup > /dev/null
cp "$dir/bench.db" "$var/kg.db"
rm -f "$var/kg.db-wal" "$var/kg.db-shm"
"$top/conf/serve.sh" start
# hello-world behind the same nginx, on its own location.
spawn-fcgi -s "$var/run/hello.sock" -M 0660 -P "$var/run/hello.pid" -- \
	/usr/bin/multiwatch -f "$workers" -- "$build/cgi-bin/hello" > /dev/null
printf 'location = /bench/hello { include /etc/nginx/fastcgi_params; fastcgi_pass unix:%s/run/hello.sock; }\n' "$var" \
	>> "$var/web/kg-nginx-server.conf"
nginx -p "$var/nginx" -c "$var/web/nginx.conf" -s reload
for _ in $(seq 1 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/bench/hello")" = 200 ] && break
	sleep 0.1
done
base=http://127.0.0.1:$port

# ---- scenario preparation ----
prepare_search() {
	# Queued applications: half by number, half by the child's IIN.
	export BENCH_QUERIES=$var/queries.txt
	sqlite3 "$var/kg.db" "SELECT number FROM application WHERE status = 'queued' ORDER BY random() LIMIT 5000;
		SELECT c.iin FROM application a JOIN child c ON c.id = a.child_id WHERE a.status = 'queued' ORDER BY random() LIMIT 5000;" \
		> "$BENCH_QUERIES"
}
prepare_register() {
	# A logged-in citizen: a session made in the database, as the tests' fixture does.
	local tok csrf hash account
	tok=$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=\n')
	csrf=$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=\n')
	hash=$(printf '%s' "$tok" | sha256sum | cut -d' ' -f1)
	account=$(sqlite3 "$var/kg.db" "SELECT id FROM account WHERE roles = 1 AND surname <> '' ORDER BY id LIMIT 1")
	sqlite3 "$var/kg.db" ".timeout 5000" "INSERT INTO session(token_hash, account_id, csrf, auth_method, created_at, seen_at, expires_at)
		VALUES (X'$hash', $account, '$csrf', 'otp', strftime('%s','now'), strftime('%s','now'), strftime('%s','now') + 43200)"
	export BENCH_TOKEN=$tok BENCH_CSRF=$csrf
}

# ---- measuring ----
rss_of() { # pool -> "VmRSS/RssAnon" (KB) of its largest worker: all resident
	# pages, and the private ones (the rest are shared library and file pages)
	local pidfile=$var/run/$1.pid max=0 anon=0 kb a
	[ -f "$pidfile" ] || { echo 0; return; }
	for p in $(pgrep -P "$(cat "$pidfile")"); do
		kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2> /dev/null || echo 0)
		a=$(awk '/^RssAnon:/ {print $2}' "/proc/$p/status" 2> /dev/null || echo 0)
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
run_wrk() { # seconds, target, [script] -> wrk output on stdout
	local s=$1 target=$2 script=${3:-}
	if [ -n "$script" ]; then
		wrk -t2 -c"$conns" -d"${s}s" --latency -H "Accept-Encoding: gzip" -s "$here/$script" "$base"
	else
		wrk -t2 -c"$conns" -d"${s}s" --latency -H "Accept-Encoding: gzip" "$base$target"
	fi
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

apps=$(sqlite3 "$var/kg.db" "SELECT count(*) FROM application")
results=()
hello_rps=""
for line in "${SCENARIOS[@]}"; do
	IFS='|' read -r name pool what <<< "$line"
	name=$(echo $name); pool=$(echo $pool); what=$(echo $what)
	if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $name "* ]] && [ "$name" != hello ]; then continue; fi
	script=""; target=$what
	if [[ $what == @* ]]; then script=${what#@}; target=""; fi
	if declare -F "prepare_$name" > /dev/null; then "prepare_$name"; fi
	say "run.sh: $name (warm-up)"
	# BENCH_RUN tells a script which run it is (register.lua's children differ).
	export BENCH_RUN=0
	warm=$(run_wrk 3 "$target" "$script")
	rss0=$(rss_of "$pool")
	cpu0=$(cpu_of "$pool")
	say "run.sh: $name (${secs} s)"
	BENCH_RUN=1 out=$(run_wrk "$secs" "$target" "$script")
	cpu1=$(cpu_of "$pool")
	# The workers' own CPU time per request: what the program costs,
	# whatever else runs on the machine.
	us=$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v n="$(field total "$out")" \
		'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "-" }')
	total=$(( $(field total "$warm") + $(field total "$out") ))
	rps=$(field rps "$out")
	rss1=$(rss_of "$pool")
	# More requests until the workers have served the soak count.
	run=2
	while [ "$total" -lt "$soak" ]; do
		more=$(awk -v n=$((soak - total)) -v r="$rps" 'BEGIN { s = int(n / (r > 1 ? r : 1)) + 2; print s }')
		say "run.sh: $name (soak ${more} s to pass $soak requests)"
		BENCH_RUN=$run extra=$(run_wrk "$more" "$target" "$script")
		total=$((total + $(field total "$extra")))
		run=$((run + 1))
	done
	rss2=$(rss_of "$pool")
	bad=$(field bad "$out"); bad=${bad:-0}
	[ "$name" = hello ] && hello_rps=$rps
	ratio=$(awk -v a="$rps" -v b="${hello_rps:-0}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
	results+=("$(printf '%-10s %10s %7s %9s %9s %8s %7s %8s %11s %11s %11s' "$name" "$rps" "$ratio" "$(field p50 "$out")" \
		"$(field p99 "$out")" "$bad" "$us" "$total" "$rss0" "$rss1" "$rss2")")
	errs=$(field errors "$out")
	[ -n "$errs" ] && say "run.sh: $name: $errs"
done

echo
echo "make bench: wrk -t2 -c$conns, ${secs} s per scenario after a 3 s warm-up, $workers workers per program,"
echo "$apps applications in the database at the start; $(nproc) cores shared by wrk, nginx and the programs."
printf '%-10s %10s %7s %9s %9s %8s %7s %8s %11s %11s %11s\n' scenario 'req/s' 'x hello' p50 p99 'non-2xx' 'CPU us' requests \
	'RSS0 KB' 'RSS1 KB' 'RSS2 KB'
for r in "${results[@]}"; do echo "$r"; done
echo "(CPU us: the pool's workers' own CPU time per request in the measured run. RSS: resident/private"
echo " memory of the pool's largest worker after the warm-up (0), after the measured run (1) and after"
echo " $soak requests in all (2); the difference is shared library and file pages.)"
