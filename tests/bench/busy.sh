# busy.sh — sourced by run.sh after the scenarios: a busy day (README,
# Sizing). 2,000 connections to /places and to /stats, each for
# BENCH_BUSY_SECONDS (10), through the production snippets (gen-web.sh
# deploy, as the package installs them) included in a second nginx with
# the recommended settings: worker_rlimit_nofile 16384, worker_connections
# 4096, listen backlog=4096 (the kernel's net.core.somaxconn caps that
# backlog: it is shown with the result). The places and stats pools are
# started here as the systemd unit starts them (its spawn-fcgi backlog),
# next to the other scenarios' pools, on the same database. Adds a row per
# page to run.sh's table and the socket errors after it.
#
# Environment: BENCH_BUSY_CONNECTIONS (2000), BENCH_BUSY_SECONDS (10).

busy_lines=()

busy_bench() {
	local bc=${BENCH_BUSY_CONNECTIONS:-2000} bs=${BENCH_BUSY_SECONDS:-10}
	local bdir=$var/busy bport bbase page name hdr out mem0 mem2 cpu0 cpu1 us errs
	# wrk holds a file per connection: the soft limit up to 16384.
	ulimit -n "$(( $(ulimit -Hn) < 16384 ? $(ulimit -Hn) : 16384 ))"
	mkdir -p "$bdir/prefix/share/kg" "$bdir/tmp" "$bdir/cache"
	ln -sfn "$top/htdocs" "$bdir/prefix/share/kg/htdocs"
	# The deploy snippets and units, with this instance's sockets, cache and limits.
	KG_TOP=$top KG_RUN_DIR=$bdir/run KG_ACCESS_LOG='' KG_PAGE_CACHE=$bdir/cache \
		KG_SEARCH_RATE=100000r/s KG_SEARCH_BURST=100000 KG_FORM_RATE=100000r/s KG_FORM_BURST=100000 \
		"$top/conf/gen-web.sh" deploy "$bdir/prefix" "$bdir/conf" > /dev/null
	# The pools, with the unit's socket backlog (pid files in run/: serve.sh
	# stop, in bench_stop, stops them with the rest).
	local backlog
	backlog=$(sed -n 's/^ExecStart=.*spawn-fcgi .*-b \([0-9]*\) .*/\1/p' "$bdir/conf/systemd/kg@.service")
	mkdir -p "$bdir/run"
	for page in places stats; do
		KG_CONF=$var/app.hdf spawn-fcgi -s "$bdir/run/$page.sock" -b "${backlog:-1024}" -M 0660 -P "$var/run/busy-$page.pid" -- \
			/usr/bin/multiwatch -f "$workers" -r 2147483647 -- "$build/cgi-bin/$page" > /dev/null
	done
	bport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	cat > "$bdir/nginx.conf" <<EOF
$( [ "$(id -u)" = 0 ] && echo "user root root;" )
worker_processes auto;
worker_rlimit_nofile 16384;
pid $var/run/nginx-busy.pid;   # (serve.sh stop, in bench_stop, stops it too)
error_log $var/log/nginx-busy-error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path $bdir/tmp/body;
    fastcgi_temp_path $bdir/tmp/fastcgi;
    proxy_temp_path $bdir/tmp/proxy;
    uwsgi_temp_path $bdir/tmp/uwsgi;
    scgi_temp_path $bdir/tmp/scgi;
    sendfile on;
    keepalive_timeout 30;
    include $bdir/conf/kg-nginx-http.conf;
    server {
        listen 127.0.0.1:$bport backlog=4096;
        server_name localhost;
        include $bdir/conf/kg-nginx-server.conf;
    }
}
EOF
	nginx -p "$bdir" -c "$bdir/nginx.conf" -e "$var/log/nginx-busy-error.log" \
		|| { say "busy.sh: nginx did not start (see $var/log/nginx-busy-error.log)"; return 1; }
	bbase=http://127.0.0.1:$bport
	for _ in $(seq 1 100); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$bbase/stats")" = 200 ] && break
		sleep 0.1
	done
	for page in places stats; do
		name=busy_$page
		hdr="X-Bench: busy"
		[ "$page" = places ] && hdr="Cookie: district=$(places_district)"
		say "run.sh: $name ($bc connections, ${bs} s)"
		mem0=$(mem_of "busy-$page")
		cpu0=$(cpu_of "busy-$page")
		out=$(wrk -t2 -c"$bc" -d"${bs}s" --timeout 5s --latency -H "Accept-Encoding: gzip" -H "$hdr" "$bbase/$page" 2>&1)
		cpu1=$(cpu_of "busy-$page")
		mem2=$(mem_of "busy-$page")
		us=$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v n="$(field total "$out")" \
			'BEGIN { if (n > 0) printf "%.0f", t / hz * 1e6 / n; else print "-" }')
		results+=("$(row "$name" "$(field rps "$out")" - "$(field p50 "$out")" "$(field p99 "$out")" \
			"$(bad=$(field bad "$out"); echo "${bad:-0}")" "$us" "$(field total "$out")" "$mem0" "$mem2")")
		errs=$(field errors "$out")
		busy_lines+=("$name: ${errs:-no socket errors}")
	done
	busy_lines+=("busy: wrk -t2 -c$bc, ${bs} s per page, production snippets, worker_connections 4096,"
		"  worker_rlimit_nofile 16384, backlog=4096, the pools' backlog ${backlog:-1024} (net.core.somaxconn $(cat /proc/sys/net/core/somaxconn));"
		"  nginx errors: $(awk '/\[(error|crit|alert)\]/ { n++ } END { print n + 0 }' "$var/log/nginx-busy-error.log" 2> /dev/null)")
	for f in nginx-busy busy-places busy-stats; do kill "$(cat "$var/run/$f.pid")" 2> /dev/null || true; done
}
