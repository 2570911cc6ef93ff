# instance.sh — sourced by run.sh and profile.sh: an instance of the
# service on a copy of the national-scale snapshot (data.sh), every
# program behind a real nginx on a free loopback port, and the hello-world
# responder on /bench/hello behind the same nginx.
#
#   bench_start   sets var (the instance's folder), port, base (its URL)
#   bench_stop    stops everything started (keeps var when BENCH_KEEP=1)
#   bench_session ACCOUNT_ID   a logged-in session made in the database, as
#                 the tests' fixture does: prints "token csrf"
#
# Needs: top, build, dir (the snapshot's folder), workers.

say() { printf '%s\n' "$*" >&2; }

bench_start() {
	var=$(mktemp -d /tmp/kg-bench-XXXXXX)
	chmod 755 "$var"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	export KG_TOP=$top KG_BUILD=$build KG_VAR=$var PORT=$port WORKERS=$workers KG_NO_DEMO=1
	# nginx limits the search per address (5 r/s, burst 20), and so does the
	# program (Queue.SearchPerMinute counts every search): both lifted here,
	# since every request of the bench comes from one address. One citizen
	# registers every child of register.lua: the cap per applicant is lifted. Its fruitless
	# limit stays as deployed: the bench searches for existing applications.
	export KG_PKI=$build/pki KG_SEARCH_RATE=100000r/s KG_SEARCH_BURST=100000 KG_FORM_RATE=100000r/s KG_FORM_BURST=100000
	export KG_CONF_EXTRA="${KG_CONF_EXTRA:-}
Queue.SearchPerMinute = 0
Queue.MaxActivePerApplicant = 100000000"
	"$top/tests/tools/pki.sh" "$KG_PKI" > /dev/null
	"$top/conf/serve.sh" setup > /dev/null
	cp "$dir/bench.db" "$var/kg.db"
	rm -f "$var/kg.db-wal" "$var/kg.db-shm"
	# The copy's 560 MB on disk before anything is measured: the kernel
	# writing them back during the first scenario (hello-world, the
	# baseline of every ratio) took a third of its throughput.
	sync "$var/kg.db"
	"$top/conf/serve.sh" start
	# hello-world behind the same nginx, on its own location.
	spawn-fcgi -s "$var/run/hello.sock" -M 0660 -P "$var/run/hello.pid" -- \
		/usr/bin/multiwatch -f "$workers" -r 2147483647 -- "$build/cgi-bin/hello" > /dev/null
	printf 'location = /bench/hello { include /etc/nginx/fastcgi_params; fastcgi_pass unix:%s/run/hello.sock; }\n' "$var" \
		>> "$var/web/kg-nginx-server.conf"
	nginx -p "$var/nginx" -c "$var/web/nginx.conf" -s reload
	for _ in $(seq 1 100); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/bench/hello")" = 200 ] && break
		sleep 0.1
	done
	base=http://127.0.0.1:$port
}

bench_stop() {
	[ -n "${var:-}" ] || return 0
	if [ -f "$var/run/hello.pid" ]; then kill "$(cat "$var/run/hello.pid")" 2> /dev/null || true; fi
	"$top/conf/serve.sh" stop > /dev/null 2>&1 || true
	if [ -z "${BENCH_KEEP:-}" ]; then rm -rf "$var"; else say "instance kept in $var"; fi
}

bench_session() {
	local tok csrf hash
	tok=$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=\n')
	csrf=$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=\n')
	hash=$(printf '%s' "$tok" | sha256sum | cut -d' ' -f1)
	sqlite3 "$var/kg.db" ".timeout 5000" "INSERT INTO session(token_hash, account_id, csrf, auth_method, created_at, seen_at, expires_at)
		VALUES (X'$hash', $1, '$csrf', 'password', strftime('%s','now'), strftime('%s','now'), strftime('%s','now') + 43200)"
	echo "$tok $csrf"
}
