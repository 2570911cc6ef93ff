#!/usr/bin/env bash
# gen-web.sh — writes the web server configuration from conf/routes.
#
#   gen-web.sh deploy PREFIX OUTDIR
#       the snippets a hosting team includes in its own servers:
#         kg-nginx-http.conf    inside http { }   (rate-limit zone)
#         kg-nginx-server.conf  inside server { } (static files, programs)
#         kg-apache.conf        inside a <VirtualHost> (mod_proxy_fcgi)
#       plus the systemd units (OUTDIR/systemd). Static files in
#       PREFIX/share/kg/htdocs, programs in PREFIX/lib/kg/cgi-bin; what a
#       deployment may place elsewhere comes from the environment, with
#       Debian's places as defaults:
#         KG_RUN_DIR     sockets (/run/kg; under /run, systemd makes it)
#         KG_CONF_FILE   the settings the units hand the programs
#                        (/etc/kg/app.hdf)
#         KG_DATA_DIR    what the programs write: Paths.Db and Paths.Files
#                        must be under it (/var/lib/kg)
#         KG_ACCESS_LOG  nginx's access log (/var/log/nginx/kg-access.log;
#                        empty: the including server's access_log applies)
#         KG_FASTCGI_PARAMS  nginx's FastCGI parameters, by an absolute
#                        path so that any nginx prefix finds them
#                        (/etc/nginx/fastcgi_params)
#         KG_PAGE_CACHE  nginx's page cache, in memory (/run/kg-pages)
#         KG_APACHE_CACHE  Apache's (/var/cache/apache2/mod_cache_disk)
#         KG_HEALTH_ALLOW, KG_METRICS_ALLOW  who may read /healthz, /metrics
#         KG_METRICS_DIR the programs' Paths.Metrics (/run/kg/metrics), where
#                        nginx counts the pages it answers from its cache;
#                        not counted when it or KG_ACCESS_LOG is empty
#                        (the snippet then has no access_log at all)
#   gen-web.sh dev OUTDIR
#       the same snippets for the development server (sockets under
#       KG_VAR, static files copied from KG_TOP/htdocs to OUTDIR/htdocs),
#       plus nginx.conf and apache.conf: whole
#       server configurations that include them, listening on 127.0.0.1
#       PORT (nginx) and APACHE_PORT (Apache). Only programs that are
#       built (KG_BUILD/cgi-bin) get locations.
set -euo pipefail
top=${KG_TOP:?KG_TOP}
mode=${1:?mode}
if [ "$mode" = deploy ]; then
	prefix=${2:?prefix}; out=${3:?outdir}
	run=${KG_RUN_DIR:-/run/kg}; htdocs=$prefix/share/kg/htdocs
	fcgiparams=${KG_FASTCGI_PARAMS:-/etc/nginx/fastcgi_params}
	conffile=${KG_CONF_FILE:-/etc/kg/app.hdf}; datadir=${KG_DATA_DIR:-/var/lib/kg}
	# /run is in memory (tmpfs): the cache holds a second's pages, and on a
	# disk each page kept costs an open, a write, a rename and a chmod.
	accesslog=${KG_ACCESS_LOG-/var/log/nginx/kg-access.log}; pagecache=${KG_PAGE_CACHE:-/run/kg-pages}
	apachecache=${KG_APACHE_CACHE:-/var/cache/apache2/mod_cache_disk}
	metricsdir=${KG_METRICS_DIR-$run/metrics}
	progdir=""
elif [ "$mode" = dev ]; then
	out=${2:?outdir}
	# The static files are served from a copy in the instance's folder
	# (made below, on every start): the web server's user (Apache's
	# www-data) may not be able to reach KG_TOP, e.g. a clone in a home
	# directory or a `mktemp -d` folder (mode 0700).
	run=${KG_VAR:?KG_VAR}/run; htdocs=$out/htdocs; fcgiparams=/etc/nginx/fastcgi_params
	accesslog=$KG_VAR/log/nginx-access.log; pagecache=$KG_VAR/nginx/cache
	# In memory where the machine has /dev/shm, as /run is in production
	# (serve.sh stop removes it).
	if [ -L "$pagecache" ] && [ ! -d "$pagecache" ]; then rm -f "$pagecache"; fi   # gone with a reboot
	if [ -d /dev/shm ] && [ -w /dev/shm ] && [ ! -L "$pagecache" ]; then
		mkdir -p "$KG_VAR/nginx" && rm -rf "$pagecache"
		ln -s "$(mktemp -d /dev/shm/kg-pages.XXXXXX)" "$pagecache"
	fi
	apachecache=$KG_VAR/apache/cache
	metricsdir=$KG_VAR/run/metrics
	progdir=${KG_BUILD:?KG_BUILD}/cgi-bin
else
	echo "usage: gen-web.sh deploy PREFIX OUTDIR | dev OUTDIR" >&2; exit 2
fi
mkdir -p "$out"
if [ "$mode" = dev ]; then
	rm -rf "$htdocs.tmp" && cp -R "$top/htdocs" "$htdocs.tmp" && chmod -R a+rX "$htdocs.tmp"
	rm -rf "$htdocs" && mv "$htdocs.tmp" "$htdocs"
fi

# /healthz (the health program) answers only the addresses or networks of
# KG_HEALTH_ALLOW (a load balancer, a monitoring host), blank-separated.
health_allow=${KG_HEALTH_ALLOW:-127.0.0.1 ::1}
# /metrics (the metrics program): KG_METRICS_ALLOW, the same by default.
metrics_allow=${KG_METRICS_ALLOW:-$health_allow}
for a in $health_allow $metrics_allow; do
	case $a in
	*[!0-9A-Fa-f.:/]* | '') echo "gen-web.sh: KG_HEALTH_ALLOW or KG_METRICS_ALLOW: not an address or network: $a" >&2; exit 2 ;;
	esac
done

# Programs and their locations, in the order of conf/routes.
declare -a progs=() locs=()
while read -r prog rest; do
	case "$prog" in ''|'#'*) continue ;; esac
	if [ -n "$progdir" ] && [ ! -x "$progdir/$prog" ]; then continue; fi
	progs+=("$prog"); locs+=("$rest")
done < "$top/conf/routes"

# HSTS: browsers ignore it over plain HTTP, so it is sent always; over
# HTTPS it keeps them from ever asking for the site without TLS again.
hsts='add_header Strict-Transport-Security "max-age=31536000" always;'
sec_headers_nginx='add_header X-Content-Type-Options nosniff always;
        add_header Referrer-Policy same-origin always;
        add_header X-Frame-Options DENY always;
        add_header Content-Security-Policy "default-src '"'"'self'"'"'; frame-ancestors '"'"'none'"'"'" always;
        '"$hsts"

# ---- nginx ----
{
	echo "# Kindergarten queue service: include inside http { }. Generated by conf/gen-web.sh."
	echo "#"
	echo "# Sizing for a busy day (README, Sizing): a request being served holds two"
	echo "# connections in nginx, the client's and the program's socket, each an open"
	echo "# file. Debian's default worker_connections 768 under a 1,024 open-file limit"
	echo "# gave thousands of socket errors at 2,000 connections to /places and /stats;"
	echo "# more connections without more files gave 502 (Too many open files). Set,"
	echo "# outside this file:"
	echo "#   worker_rlimit_nofile 16384;           (nginx.conf, main context)"
	echo "#   events { worker_connections 4096; }"
	echo "#   listen ... backlog=4096;              (the server including kg-nginx-server.conf)"
	echo "#   sysctl net.core.somaxconn=4096        (the kernel's cap on that backlog)"
	echo "#"
	echo "# The public queue search is limited per client address (the programs"
	echo "# also check their own limits); 429 answers get the service's page."
	echo "limit_req_zone \$binary_remote_addr zone=kg_search:10m rate=${KG_SEARCH_RATE:-5r/s};"
	echo "# The pages that give a visitor without a session one (a row) for their"
	echo "# form's CSRF token and a login challenge: /login, /district, /check/."
	echo "# A real visitor gets one and keeps its cookie; the limit stops one"
	echo "# address from filling the session table (they are purged when idle)."
	echo "limit_req_zone \$binary_remote_addr zone=kg_forms:10m rate=${KG_FORM_RATE:-10r/s};"
	echo "# Access log without the query string (a search may carry an IIN) and"
	echo "# with an IIN in the path masked as 8503******32."
	echo 'map $uri $kg_uri {'
	echo '    default $uri;'
	echo '    "~^(?<kg_a>.*?)(?<kg_b>(?<![0-9])[0-9]{4})[0-9]{6}(?<kg_c>[0-9]{2}(?![0-9]))(?<kg_d>.*)$" "$kg_a$kg_b******$kg_c$kg_d";'
	echo '}'
	echo "log_format kg_masked '\$remote_addr [\$time_local] \"\$request_method \$kg_uri\" \$status \$body_bytes_sent \$request_time';"
	echo "# Public pages: a program marks an anonymous visitor's page that is"
	echo "# built only from its URL, language and district (RF_CACHE routes) with"
	echo "# X-Accel-Expires: 1, and nginx keeps it for that second: one request per"
	echo "# URL and second reaches the program, the rest get nginx's copy, never"
	echo "# more than a second old. A request with a session or flash cookie"
	echo "# always goes to the program (its page is personal), and so does a"
	echo "# reload that asks for a fresh page (Cache-Control: no-cache)."
	echo "fastcgi_cache_path $pagecache levels=1:2 keys_zone=kg_pages:32m max_size=64m inactive=10s use_temp_path=off;"
	echo 'map $http_cookie $kg_personal {'
	echo '    default 0;'
	echo '    "~(^|;)[ \t]*(kg_sid|kg_flash)=" 1;'
	echo '}'
	echo "# The language a visitor without a lang cookie is given (web/req.c:"
	echo "# Accept-Language's first of kk and ru, its q-values weighed): part of"
	echo "# the page cache's key. With q-values the key is the header itself."
	echo 'map $http_accept_language $kg_lang_guess {'
	echo '    default -;'
	echo '    "~;" $http_accept_language;'
	echo '    "~*^(?:[^,]*,)*?\s*(?<kg_al>kk|ru)(?:-[^,]*)?\s*(?:,|$)" $kg_al;'
	echo '}'
	echo 'map $http_cache_control $kg_reload {'
	echo '    default 0;'
	echo '    "~*no-cache" 1;'
	echo '}'
	echo "# A page answered from the page cache adds one byte (an empty line) to its"
	echo "# program's tally, <Paths.Metrics>/<program>.hits, which the program makes:"
	echo "# /metrics reports each tally's size as kg_cache_hits_total."
	echo 'map $upstream_cache_status $kg_cache_hit {'
	echo '    default "";'
	echo '    HIT 1;'
	echo '    STALE 1;'
	echo '    UPDATING 1;'
	echo '}'
	echo "log_format kg_tally '';"
	echo "# No keepalive to the pools: a libfcgi worker serves one connection at a"
	echo "# time, so an idle kept connection would pin a worker and starve the others."
	for p in "${progs[@]}"; do
		echo "upstream kg_$p { server unix:$run/$p.sock; }"
	done
} > "$out/kg-nginx-http.conf"

{
	echo "# Kindergarten queue service: include inside server { }. Generated by conf/gen-web.sh."
	echo "root $htdocs;"
	echo "client_max_body_size 7m;"
	echo "client_body_buffer_size 128k;"
	echo "# A page is read from its program in one piece: with nginx's defaults"
	echo "# (4 KB + 8 x 4 KB) a staff member's places page took several reads and"
	echo "# the statistics page (54 KB for a client without gzip) went through a"
	echo "# temporary file. Buffers are taken only as a response needs them."
	echo "fastcgi_buffer_size 32k;"
	echo "fastcgi_buffers 8 16k;"
	echo "server_tokens off;"
	echo "$hsts"
	echo "# The page cache (kg-nginx-http.conf): the key is everything a public"
	echo "# page is built from; responses without X-Accel-Expires are not kept."
	echo "fastcgi_cache kg_pages;"
	echo 'fastcgi_cache_key "$request_method $host $request_uri $cookie_lang $kg_lang_guess $cookie_district";'
	echo 'fastcgi_cache_bypass $kg_personal $kg_reload;'
	echo 'fastcgi_no_cache $kg_personal;'
	echo "# Kept from the second request of a URL on: a page asked once (a filter"
	echo "# tried by one visitor) is never written to the cache."
	echo "fastcgi_cache_min_uses 2;"
	echo "# No cache lock: nginx makes the requests that wait on one poll every"
	echo "# 500 ms, and for a page that is not kept (a search, a person's page)"
	echo "# they all wait. While one request renews an expired copy, the others"
	echo "# get that copy (a response's time older than its second)."
	echo "fastcgi_cache_use_stale updating;"
	echo "fastcgi_ignore_headers Vary;"
	echo 'add_header X-Cache $upstream_cache_status;' 
	if [ -n "$accesslog" ]; then
		echo "# Buffered: one write per 32 KB of lines or per second, not one per request."
		echo "access_log $accesslog kg_masked buffer=32k flush=1s;"
	fi
	if [ -n "$metricsdir" ] && [ -n "$accesslog" ]; then
		echo "# The cache tallies (kg-nginx-http.conf). \$kg_prog: the location's program."
		echo 'set $kg_prog none;'
		echo "open_log_file_cache max=64 inactive=1m valid=1m;"
		echo "access_log $metricsdir/\$kg_prog.hits kg_tally if=\$kg_cache_hit;"
	fi
	echo "# The service's own pages for what nginx answers itself (a body too"
	echo "# large, a rate limit, a pool down or too slow); the programs' own"
	echo "# 429 and 503 pages pass through as they are."
	for c in 413 429 502 503 504; do echo "error_page $c /errors/$c.html;"; done
	echo "location ^~ /errors/ { internal; $sec_headers_nginx }"
	for d in css js img; do
		echo "location ^~ /$d/ { expires 1h; $sec_headers_nginx }"
	done
	echo "location = /favicon.ico { expires 1d; $sec_headers_nginx }"
	fcgi() { # program, extra directives
		echo "        set \$kg_prog $1;"
		echo "        include $fcgiparams;"
		echo "        fastcgi_param REQUEST_URI \$request_uri;"
		echo "        fastcgi_pass kg_$1;$2"
	}
	for i in "${!progs[@]}"; do
		p=${progs[$i]}
		set -- ${locs[$i]}
		while [ $# -gt 0 ]; do
			if [ "$1" = "=" ]; then
				echo "location = $2 {"; fcgi "$p" ""; echo "}"
				shift 2; continue
			fi
			extra=""
			case $1 in
			/login | /district | /check)
				extra="
        limit_req zone=kg_forms burst=${KG_FORM_BURST:-100} nodelay;
        limit_req_status 429;" ;;
			/healthz | /metrics)
				extra=""
				allow=$health_allow
				[ "$1" = /metrics ] && allow=$metrics_allow
				for a in $allow; do extra="$extra
        allow $a;"; done
				extra="$extra
        deny all;" ;;
			esac
			if [ "$1" = /login ]; then
				# Anyone may post a signature here: a body above the
				# program's cap (REQ_SIGNED_MAX, 128 KiB) is refused from
				# its Content-Length, before nginx reads or buffers it.
				echo "location = /login/eds {"; fcgi "$p" "$extra
        client_max_body_size 128k;"; echo "}"
			fi
			if [ "$1" = /queue ]; then
				# The search page is public: limit it per address.
				echo "location = /queue/search {"; fcgi "$p" "
        limit_req zone=kg_search burst=${KG_SEARCH_BURST:-20} nodelay;
        limit_req_status 429;
        # nginx logs a refused request with its query string, which here
        # is a child's IIN: at info level, below any usual error_log.
        limit_req_log_level info;"; echo "}"
			fi
			echo "location = $1 {"; fcgi "$p" "$extra"; echo "}"
			echo "location ^~ $1/ {"; fcgi "$p" "$extra"; echo "}"
			shift
		done
	done
	# Everything else: the district program answers (404 page in the layout).
	if [ ${#progs[@]} -gt 0 ]; then
		echo "location / {"; fcgi "${progs[0]}" ""; echo "}"
	fi
} > "$out/kg-nginx-server.conf"

# ---- Apache 2.4 (mod_proxy_fcgi, mod_headers) ----
{
	echo "# Kindergarten queue service for Apache 2.4: include inside a <VirtualHost>."
	echo "# Needs the modules mime dir authz_core authz_host proxy proxy_fcgi headers"
	echo "# (Debian: a2enmod proxy proxy_fcgi headers; the others are on by default),"
	echo "# and cache cache_disk for the page cache. Generated by conf/gen-web.sh."
	echo "DocumentRoot \"$htdocs\""
	echo "<Directory \"$htdocs\">"
	echo "    Options -Indexes -FollowSymLinks"
	echo "    AllowOverride None"
	echo "    Require all granted"
	echo "</Directory>"
	echo "LimitRequestBody 7340032"
	echo "# Anyone may post a signature to /login/eds: at most the program's cap"
	echo "# (REQ_SIGNED_MAX, 128 KiB), refused from the Content-Length."
	echo "<Location \"/login/eds\">"
	echo "    LimitRequestBody 131072"
	echo "</Location>"
	echo "# /healthz only from KG_HEALTH_ALLOW (needs mod_authz_host, on by default)."
	echo "<Location \"/healthz\">"
	if [ -n "${health_allow// /}" ]; then echo "    Require ip $health_allow"; else echo "    Require all denied"; fi
	echo "</Location>"
	echo "# /metrics only from KG_METRICS_ALLOW."
	echo "<Location \"/metrics\">"
	if [ -n "${metrics_allow// /}" ]; then echo "    Require ip $metrics_allow"; else echo "    Require all denied"; fi
	echo "</Location>"
	echo "# The service's own pages for what Apache answers itself (a body too"
	echo "# large, a pool down or too slow); the programs' own 429 and 503 pages"
	echo "# pass through as they are."
	for c in 413 429 502 503 504; do echo "ErrorDocument $c /errors/$c.html"; done
	echo "ServerSignature Off"
	echo "Header always set Strict-Transport-Security \"max-age=31536000\""
	echo "# An access log without query strings (a search may carry a child's IIN):"
	echo "#   CustomLog \${APACHE_LOG_DIR}/kg-access.log kg_masked"
	echo "LogFormat \"%h %t \\\"%m %U\\\" %>s %b %D\" kg_masked"
	echo "<LocationMatch \"^/(css|js|img|errors)/|^/favicon\\.ico\$\">"
	echo "    Header always set X-Content-Type-Options nosniff"
	echo "    Header always set Referrer-Policy same-origin"
	echo "    Header always set X-Frame-Options DENY"
	echo "    Header always set Content-Security-Policy \"default-src 'self'; frame-ancestors 'none'\""
	echo "</LocationMatch>"
	echo "# Public pages kept for a second, as nginx does (kg-nginx-http.conf): the"
	echo "# programs send an anonymous visitor's public page with s-maxage=1 and"
	echo "# Vary: Cookie (and Accept-Language when no lang cookie chose the"
	echo "# language), everything else no-store. Needs a2enmod cache cache_disk;"
	echo "# Debian's apache-htcacheclean service trims the directory."
	echo "<IfModule cache_disk_module>"
	echo "    CacheEnable disk /"
	echo "    CacheRoot $apachecache"
	echo "    CacheLock on"
	echo "    CacheIgnoreNoLastMod On"
	echo "    CacheHeader on"
	echo "</IfModule>"
	echo "ProxyPassMatch \"^/(css|js|img|errors)/\" \"!\""
	echo "ProxyPassMatch \"^/favicon\\.ico\$\" \"!\""
	for i in "${!progs[@]}"; do
		p=${progs[$i]}
		set -- ${locs[$i]}
		while [ $# -gt 0 ]; do
			if [ "$1" = "=" ]; then
				echo "ProxyPassMatch \"^$2\$\" \"unix:$run/$p.sock|fcgi://kg-$p/\""
				shift 2; continue
			fi
			echo "ProxyPassMatch \"^$1(/.*)?\$\" \"unix:$run/$p.sock|fcgi://kg-$p/\""
			shift
		done
	done
	if [ ${#progs[@]} -gt 0 ]; then
		echo "ProxyPassMatch \"^/.*\" \"unix:$run/${progs[0]}.sock|fcgi://kg-${progs[0]}/\""
	fi
} > "$out/kg-apache.conf"

# ---- systemd (production): one pool per program, and the timed jobs ----
if [ "$mode" = deploy ]; then
	mkdir -p "$out/systemd"
	# Under /run systemd makes the sockets' directory (and keeps it across
	# a pool's restart); elsewhere it must exist, writable by kg.
	rundir="RuntimeDirectory=${run#/run/}
RuntimeDirectoryPreserve=yes
RuntimeDirectoryMode=0750"
	case $run in /run/?*) ;; *) rundir="# $run: made by the hosting team (not under /run)" ;; esac
	cat > "$out/systemd/kg@.service" <<EOF
# One program of the kindergarten queue service as a supervised FastCGI
# pool: spawn-fcgi opens $run/%i.sock (group www-data, so nginx or
# Apache can connect) and multiwatch keeps KG_WORKERS workers, restarting
# any that dies however often it dies (-r: its default gives up on a slot
# after 3 quick deaths and leaves the program answering 502 while the
# unit still runs; a worker that cannot start waits a second before it
# exits, so a broken program does not spin). kg.target starts one
# instance per program. -b 4096: the socket's backlog (spawn-fcgi's
# default is 1,024), the requests nginx may queue for the workers: 2,000
# connections at once to a page not yet in nginx's cache overflowed 1,024
# and nginx answered 502 (README, Sizing). The kernel caps it at
# net.core.somaxconn.
#
# Reload (systemctl reload kg@PROGRAM, or kg.target for every pool at
# once) replaces the workers one at a time with the program file as it is
# now, after an upgrade, without a failed request: a signalled worker
# finishes its request, then exits, and multiwatch starts the new file
# (conf/roll.sh). Stopping is graceful too: the workers finish their
# requests.
[Unit]
Description=Kindergarten queue: %i pool
PartOf=kg.target
ReloadPropagatedFrom=kg.target
After=network.target

[Service]
Type=simple
User=kg
Group=www-data
Environment=KG_CONF=$conffile
Environment=KG_WORKERS=2
$rundir
ExecStart=/usr/bin/spawn-fcgi -n -s $run/%i.sock -b 4096 -M 0660 -- /usr/bin/multiwatch -f \${KG_WORKERS} -r 2147483647 -- $prefix/lib/kg/cgi-bin/%i
ExecReload=$prefix/share/kg/conf/roll.sh \$MAINPID
Restart=always
RestartSec=2
# One journal entry per request: journald's default limit (10,000 per 30 s
# per unit) would drop entries, warnings included, above ~300 requests/s.
LogRateLimitIntervalSec=0
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
ReadWritePaths=$datadir $run

[Install]
WantedBy=kg.target
EOF
	{
		echo "# Every program of the kindergarten queue service: systemctl enable --now kg.target"
		echo "[Unit]"
		echo "Description=Kindergarten queue service (all programs)"
		printf 'Wants='
		for p in "${progs[@]}"; do printf 'kg@%s.service ' "$p"; done
		echo
		echo "Wants=kg-tick.timer"
		echo
		echo "[Install]"
		echo "WantedBy=multi-user.target"
	} > "$out/systemd/kg.target"
	cat > "$out/systemd/kg-tick.service" <<EOF
# The timed jobs: priority windows, referral reminders and annulment at the
# deadline, expired sessions, SMS retries. Idempotent; run every minute by
# kg-tick.timer (or by cron: * * * * * kg KG_CONF=$conffile $prefix/bin/kgctl tick).
[Unit]
Description=Kindergarten queue: timed jobs

[Service]
Type=oneshot
User=kg
Group=www-data
Environment=KG_CONF=$conffile
ExecStart=$prefix/bin/kgctl tick
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
ReadWritePaths=$datadir
EOF
	cat > "$out/systemd/kg-tick.timer" <<EOF
[Unit]
Description=Kindergarten queue: timed jobs every minute

[Timer]
OnCalendar=*-*-* *:*:00
AccuracySec=5s
Persistent=true

[Install]
WantedBy=timers.target
EOF
fi

[ "$mode" = dev ] || exit 0

# ---- whole servers for development and tests ----
var=$KG_VAR
user_line=""
[ "$(id -u)" = 0 ] && user_line="user root root;"
cat > "$out/nginx.conf" <<EOF
# Development server of the kindergarten queue service (generated).
$user_line
worker_processes 1;
pid $var/run/nginx.pid;
error_log $var/log/nginx-error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path $var/nginx/tmp/body;
    fastcgi_temp_path $var/nginx/tmp/fastcgi;
    proxy_temp_path $var/nginx/tmp/proxy;
    uwsgi_temp_path $var/nginx/tmp/uwsgi;
    scgi_temp_path $var/nginx/tmp/scgi;
    sendfile on;
    keepalive_timeout 30;
    include $out/kg-nginx-http.conf;
    server {
        listen 127.0.0.1:${PORT:-8080};
        server_name localhost;
        include $out/kg-nginx-server.conf;
    }
}
EOF
mkdir -p "$var/nginx/tmp"

mods=/usr/lib/apache2/modules
cat > "$out/apache.conf" <<EOF
# Apache test server of the kindergarten queue service (generated).
ServerRoot "$var/apache"
ServerName 127.0.0.1
Listen 127.0.0.1:${APACHE_PORT:-8081}
PidFile "$var/run/apache.pid"
ErrorLog "$var/log/apache-error.log"
LogLevel warn
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule authz_host_module $mods/mod_authz_host.so
LoadModule mime_module $mods/mod_mime.so
LoadModule headers_module $mods/mod_headers.so
LoadModule proxy_module $mods/mod_proxy.so
LoadModule proxy_fcgi_module $mods/mod_proxy_fcgi.so
LoadModule cache_module $mods/mod_cache.so
LoadModule cache_disk_module $mods/mod_cache_disk.so
TypesConfig /etc/mime.types
$( [ "$(id -u)" = 0 ] && echo "User www-data" )
$( [ "$(id -u)" = 0 ] && echo "Group www-data" )
<VirtualHost 127.0.0.1:${APACHE_PORT:-8081}>
    Include "$out/kg-apache.conf"
</VirtualHost>
EOF
mkdir -p "$var/apache/cache"
if [ "$(id -u)" = 0 ]; then chown www-data "$var/apache/cache"; fi
