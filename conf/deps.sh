#!/usr/bin/env bash
# deps.sh — installs the Debian 12 packages the service and its tests need,
# only those that are missing (does nothing when all are there), then the
# Node modules of the test suite (tests/node_modules, from the lock file).
# As root it installs them; otherwise it prints the apt-get line to run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

pkgs=(
	# build
	gcc make pkg-config libc6-dev fonttools
	# libraries
	libfcgi-dev libsqlite3-dev clearsilver-dev libssl-dev nettle-dev libargon2-dev
	libhpdf-dev libqrencode-dev libmagic-dev libcmocka-dev
	# runtime
	sqlite3 openssl fonts-dejavu-core nginx spawn-fcgi multiwatch
	# tests and benchmarks
	apache2 chromium poppler-utils zbar-tools valgrind wrk
	# the Debian package (make deb) and its installation test
	debhelper lintian mmdebstrap
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
# Node may come from Debian or from elsewhere (nodesource ships npm inside
# nodejs): ask for the commands, not the packages.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "Missing Debian packages. Run this once, then repeat the make command:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	# Do not let the packages start their own nginx/Apache on port 80
	# during the installation (the standard Debian policy-rc.d mechanism).
	policy=/usr/sbin/policy-rc.d
	added=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && added=1
	fi
	trap '[ $added = 1 ] && rm -f "$policy"' EXIT
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node modules for the HTTP and browser tests and the fake NCALayer.
if [ ! -d "$top/tests/node_modules/playwright-core" ] || [ ! -d "$top/tests/node_modules/ws" ] \
   || [ "$top/tests/package-lock.json" -nt "$top/tests/node_modules/.package-lock.json" ]; then
	(cd "$top/tests" && npm ci --no-audit --no-fund --loglevel=error)
fi
