#!/usr/bin/env bash
# install.sh — the Debian package, installed as a hosting team would.
#
#   1. builds kg_<version>.deb from this working tree (`make deb`, which
#      also runs lintian and fails on any error);
#   2. makes a Debian 12 root with mmdebstrap (Debian's packages only,
#      systemd not running) holding the package's dependencies and nginx;
#   3. install: a copy of that root gets the package (dpkg -i: postinst
#      creates the user and directories and migrates), then `kgctl
#      add-support`, the pools (spawn-fcgi + multiwatch, as the units run
#      them) and nginx with the package's snippet; /, /login and /places
#      must answer 200;
#   4. upgrade: another copy gets the previous version's package (built
#      from the tree just before the commit that named this version in
#      debian/changelog, i.e. the previous version as it last was; while
#      there is none, this package renumbered <version>~prev), a support
#      account and a local setting, then this
#      package over it: the data and the setting are kept, the migrations
#      applied, the pages answer.
#
# Needs root (chroot, mmdebstrap's root mode) and Debian's mirror; without
# them it says why and skips. Prints TAP-like lines and "N passed, N failed".
set -uo pipefail
top=${KG_TOP:?KG_TOP}
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
bad() { echo "not ok - $1"; fail=$((fail + 1)); }
skip() { echo "ok - skipped: $1"; echo "$pass passed, $fail failed"; exit 0; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }

[ "$(id -u)" = 0 ] || skip "needs root for chroot and mmdebstrap's root mode"
for c in mmdebstrap dpkg-buildpackage lintian git; do
	command -v $c > /dev/null || skip "$c is not installed (conf/deps.sh installs it)"
done

work=$(mktemp -d /tmp/kg-pkg.XXXXXX)
roots=()
cleanup() {
	for r in "${roots[@]}"; do
		[ -f "$r/run/nginx.pid" ] && chroot "$r" nginx -s stop 2> /dev/null
		pkill -9 -f "^/usr/bin/multiwatch .*$r" 2> /dev/null
		for p in $(ls /proc | grep -E '^[0-9]+$'); do
			[ "$(readlink "/proc/$p/root" 2> /dev/null)" = "$r" ] && kill -9 "$p" 2> /dev/null
		done
		mountpoint -q "$r/proc" && umount -l "$r/proc"
	done
	mount | grep -q " $work/" || rm -rf "$work"
}
trap cleanup EXIT

# ---- the packages ----
# A copy of the working tree (what is tracked, as it is now), so that the
# build's files stay out of the clone.
build_deb() { # srcdir outdir -> the .deb's path on stdout
	local src=$1 out=$2
	(cd "$src" && make deb BUILD=build-pkg > "$out.log" 2>&1) || { tail -30 "$out.log" >&2; return 1; }
	ls "$src"/build-pkg/deb/kg_*.deb | grep -v dbgsym
}
mkdir -p "$work/cur/src" "$work/prev/src"
(cd "$top" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | tar -x -C "$work/cur/src"
cur_ver=$(cd "$work/cur/src" && dpkg-parsechangelog -S Version)
# The commit that named this version (the oldest of the newest run of
# commits whose changelog has it; none while it is not committed yet): the
# previous version is the tree just before it.
version_at() { git -C "$top" show "$1:debian/changelog" 2> /dev/null | head -1 | sed -n 's/^kg (\([^)]*\)).*/\1/p'; }
prev_rev="" bump=HEAD
while read -r rev; do
	[ "$(version_at "$rev")" = "$cur_ver" ] || break
	bump=$rev^
done < <(git -C "$top" log --format=%H -- debian/changelog)
v=$(version_at "$bump")
[ -n "$v" ] && [ "$v" != "$cur_ver" ] && prev_rev=$(git -C "$top" rev-parse "$bump")
if cur_deb=$(build_deb "$work/cur/src" "$work/cur"); then
	ok "make deb builds $(basename "$cur_deb") and lintian reports no error"
else
	bad "make deb (see the log above)"; finish
fi
if [ -n "$prev_rev" ]; then
	git -C "$top" archive "$prev_rev" | tar -x -C "$work/prev/src"
	if prev_deb=$(build_deb "$work/prev/src" "$work/prev"); then
		ok "the previous version's package builds ($(basename "$prev_deb"), commit ${prev_rev:0:10})"
	else
		bad "the previous version's package does not build"; finish
	fi
else
	# No earlier version yet: this package, renumbered below this one
	# (<version>~prev), stands in for it, so that the upgrade path (postinst
	# over existing data, conffiles kept) is still exercised.
	x=$work/prev/x
	dpkg-deb -R "$cur_deb" "$x" && sed -i "s/^Version: .*/Version: ${cur_ver}~prev/" "$x/DEBIAN/control"
	prev_deb=$work/prev/kg_${cur_ver}~prev.deb
	dpkg-deb -b "$x" "$prev_deb" > /dev/null && ok "no earlier version: this package as ${cur_ver}~prev stands in" || { bad "dpkg-deb -b"; finish; }
fi

# ---- a Debian 12 root with the dependencies ----
deps=$(dpkg-deb -f "$cur_deb" Depends | tr ',' '\n' | sed 's/([^)]*)//; s/|.*//; s/ //g' | grep -v '^$' | paste -sd,)
if [ -n "${KG_PKG_BASE:-}" ] && [ -f "$KG_PKG_BASE" ]; then
	cp "$KG_PKG_BASE" "$work/base.tar"   # a root made earlier (KG_PKG_BASE), to iterate faster
elif ! mmdebstrap --variant=apt --include="nginx-light,curl,$deps" bookworm "$work/base.tar" > "$work/mmdebstrap.log" 2>&1; then
	tail -5 "$work/mmdebstrap.log"
	skip "mmdebstrap could not make a Debian 12 root (no mirror?)"
fi
[ -n "${KG_PKG_BASE:-}" ] && [ ! -f "$KG_PKG_BASE" ] && cp "$work/base.tar" "$KG_PKG_BASE"
ok "mmdebstrap made a Debian 12 root with $deps"

port=$((20000 + RANDOM % 20000))
new_root() { # name: sets r (not in a subshell: cleanup needs roots)
	r=$work/$1
	mkdir -p "$r" && tar -xf "$work/base.tar" -C "$r"
	mount -t proc proc "$r/proc"
	roots+=("$r")
}
in_root() { local r=$1; shift; chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin KG_CONF=/etc/kg/app.hdf "$@"; }
install_deb() { # root deb
	cp "$2" "$1/tmp/" && in_root "$1" dpkg -i "/tmp/$(basename "$2")" > "$1.dpkg.log" 2>&1
}
# The pools as kg@.service runs them (without systemd), and nginx with the
# package's snippets on a loopback port.
serve() { # root
	local r=$1 p
	in_root "$r" install -d -o kg -g www-data -m 0750 /run/kg
	for p in $(ls "$r/usr/lib/kg/cgi-bin"); do
		in_root "$r" rm -f "/run/kg/$p.sock"
		# User=kg, Group=www-data and kg's other groups, as systemd sets them.
		in_root "$r" spawn-fcgi -b 4096 -s "/run/kg/$p.sock" -M 0660 -U kg -G www-data -- \
			/usr/bin/setpriv --reuid=kg --regid=www-data --init-groups \
			/usr/bin/multiwatch -f 1 -- "/usr/lib/kg/cgi-bin/$p" > /dev/null
	done
	# (sites-enabled/default is an absolute symlink: written from outside
	# the root it would name the host's file, so it is removed, not written.)
	rm -f "$r/etc/nginx/sites-enabled/default"
	cat > "$r/etc/nginx/conf.d/kg.conf" <<EOF
include /etc/kg/kg-nginx-http.conf;
server {
    listen 127.0.0.1:$port;
    include /etc/kg/kg-nginx-server.conf;
}
EOF
	in_root "$r" install -d -o www-data -m 0700 /run/kg-pages
	in_root "$r" nginx -t > "$r.nginx.log" 2>&1 && in_root "$r" nginx >> "$r.nginx.log" 2>&1
}
stop_serving() { # root
	local r=$1
	in_root "$r" nginx -s stop 2> /dev/null
	pkill -f "^/usr/bin/multiwatch -f 1 -- /usr/lib/kg/cgi-bin/" 2> /dev/null
	sleep 0.5
}
answers() { # root what
	local r=$1 u code all=0
	for u in / /login /places; do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$port$u")
		[ "$code" = 200 ] || { echo "# $u answered $code"; all=1; }
	done
	[ $all = 0 ] && ok "$2: /, /login and /places answer 200" || { bad "$2: pages do not answer"; tail -5 "$r.nginx.log"; tail -5 "$r/var/log/nginx/error.log" 2> /dev/null; }
}

# ---- 1. install ----
new_root install
if install_deb "$r" "$cur_deb"; then ok "dpkg -i installs the package"; else bad "dpkg -i"; tail -20 "$r.dpkg.log"; finish; fi
owner() { in_root "$1" stat -c '%U %a' "$2" 2> /dev/null; }
[ "$(owner "$r" /var/lib/kg)" = "kg 750" ] && ok "postinst made /var/lib/kg (kg, 0750)" || bad "/var/lib/kg is $(owner "$r" /var/lib/kg)"
[ "$(owner "$r" /var/lib/kg/kg.db | cut -d' ' -f1)" = kg ] && ok "postinst migrated the database as kg" || bad "no database owned by kg"
grep -q '^/etc/kg/app.hdf$' "$r/var/lib/dpkg/info/kg.conffiles" && grep -q '^/etc/kg/kg-nginx-server.conf$' "$r/var/lib/dpkg/info/kg.conffiles" && ok "/etc/kg/app.hdf and the web server snippets are conffiles" || bad "/etc/kg/app.hdf or the snippets are not conffiles"
in_root "$r" runuser -u kg -- env KG_CONF=/etc/kg/app.hdf kgctl migrate > /dev/null && ok "kgctl migrate runs again (nothing to do)" || bad "kgctl migrate"
in_root "$r" runuser -u kg -- env KG_CONF=/etc/kg/app.hdf kgctl add-support 830419388173 СЕРИКБАЕВ НУРЛАН > /dev/null && ok "kgctl add-support" || bad "kgctl add-support"
serve "$r"; answers "$r" "installed"; stop_serving "$r"
in_root "$r" dpkg -r kg > "$r.dpkg.log" 2>&1 && [ -f "$r/var/lib/kg/kg.db" ] && [ -f "$r/etc/kg/app.hdf" ] && ok "dpkg -r keeps the data and the settings" || bad "dpkg -r"
echo "kg kg/purge_data boolean false" | in_root "$r" debconf-set-selections
in_root "$r" dpkg -P kg > "$r.dpkg.log" 2>&1 && [ -f "$r/var/lib/kg/kg.db" ] && [ ! -e "$r/etc/kg/app.hdf" ] && ok "dpkg -P removes the settings and, answered no, keeps the data" || bad "dpkg -P (answered no)"

# ---- 2. upgrade ----
new_root upgrade
if install_deb "$r" "$prev_deb"; then ok "the previous version installs"; else bad "the previous version does not install"; tail -20 "$r.dpkg.log"; finish; fi
in_root "$r" runuser -u kg -- env KG_CONF=/etc/kg/app.hdf kgctl add-support 830419388173 СЕРИКБАЕВ НУРЛАН > /dev/null
echo "App.Name = Тест" >> "$r/etc/kg/app.hdf"   # a local change the upgrade must keep
before=$(in_root "$r" sqlite3 /var/lib/kg/kg.db "SELECT count(*) FROM account; SELECT count(*) FROM district; PRAGMA user_version;" | paste -sd' ')
serve "$r"; answers "$r" "previous version"; stop_serving "$r"
if install_deb "$r" "$cur_deb"; then ok "the new version installs over the previous one"; else bad "upgrade"; tail -20 "$r.dpkg.log"; finish; fi
after=$(in_root "$r" sqlite3 /var/lib/kg/kg.db "SELECT count(*) FROM account; SELECT count(*) FROM district; PRAGMA user_version;" | paste -sd' ')
[ "${before% *}" = "${after% *}" ] && ok "the upgrade keeps the data (accounts, districts: ${after% *})" || bad "data changed: $before -> $after"
last=$(ls "$r/usr/share/kg/sql" | grep -E '^[0-9]+_' | sort | tail -1 | sed 's/_.*//; s/^0*//')
[ "${after##* }" = "$last" ] && ok "the upgrade applied the migrations (schema $after)" || bad "schema version ${after##* } after the upgrade, expected $last"
grep -q 'App.Name = Тест' "$r/etc/kg/app.hdf" && ok "the upgrade keeps the local settings" || bad "the local settings were replaced"
serve "$r"; answers "$r" "upgraded"; stop_serving "$r"
finish
