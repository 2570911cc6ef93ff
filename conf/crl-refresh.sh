#!/bin/sh
# crl-refresh.sh — fetches the certification authority's revocation lists
# and puts them in place of Eds.CrlFile only when every one is sound.
#
#   crl-refresh.sh CA_FILE CRL_FILE URL...
#
# CA_FILE is Eds.CaFile (the root and intermediate certificates, PEM),
# CRL_FILE is Eds.CrlFile; each URL gives one CRL (DER or PEM), for НУЦ РК
# the root's and the intermediate's full CRLs (README, "Signatures"). Every
# CRL must be signed by a certificate of CA_FILE (openssl crl -verify), its
# nextUpdate must be in the future, and its CRL number must not be lower
# than that of the CRL of the same issuer now in CRL_FILE (a number that
# went back would un-revoke certificates; the programs refuse it too). Only
# then is CRL_FILE replaced, by a rename, so the programs (which reload it
# when it changes) never read half a file. Anything else leaves CRL_FILE as
# it was, says why on standard error and exits 1. Run it from cron as the
# service user, e.g. hourly.
set -eu
[ $# -ge 3 ] || { echo "usage: crl-refresh.sh CA_FILE CRL_FILE URL..." >&2; exit 2; }
ca=$1 crl=$2
shift 2
dir=$(dirname "$crl")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kg-crl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "crl-refresh: $*; $crl is unchanged" >&2; exit 1; }

# The CRL number (hex, without 0x) of a CRL file's first CRL, or "".
number() { openssl crl -in "$1" -noout -crlnumber 2> /dev/null | sed -n 's/^crlNumber=0x//p'; }
issuer() { openssl crl -in "$1" -noout -issuer -nameopt RFC2253 2> /dev/null; }
# "a < b" for hex numbers of any length.
hex_lt() {
	a=$(echo "$1" | tr a-f A-F | sed 's/^0*//'); b=$(echo "$2" | tr a-f A-F | sed 's/^0*//')
	[ ${#a} -lt ${#b} ] && return 0
	[ ${#a} -gt ${#b} ] && return 1
	[ "$a" \< "$b" ]
}

# The CRLs now in place, one file each, to compare the numbers with.
n=0
if [ -f "$crl" ]; then
	awk -v d="$tmp" '/-----BEGIN X509 CRL-----/ { n++ } n { print > (d "/old" n ".pem") } /-----END X509 CRL-----/ { close(d "/old" n ".pem") }' "$crl"
fi

: > "$tmp/new.pem"
i=0
for url in "$@"; do
	i=$((i + 1))
	curl -fsS --max-time 60 -o "$tmp/raw$i" "$url" || fail "$url could not be fetched"
	if ! openssl crl -in "$tmp/raw$i" -out "$tmp/crl$i.pem" 2> /dev/null &&
		! openssl crl -inform DER -in "$tmp/raw$i" -out "$tmp/crl$i.pem" 2> /dev/null; then
		fail "$url is not a CRL"
	fi
	openssl crl -in "$tmp/crl$i.pem" -CAfile "$ca" -noout -verify 2>&1 | grep -q 'verify OK' ||
		fail "$url is not signed by a certificate of $ca"
	next=$(openssl crl -in "$tmp/crl$i.pem" -noout -nextupdate | sed 's/^nextUpdate=//')
	[ "$(date -d "$next" +%s)" -gt "$(date +%s)" ] || fail "$url is stale (nextUpdate $next)"
	who=$(issuer "$tmp/crl$i.pem") num=$(number "$tmp/crl$i.pem")
	for old in "$tmp"/old*.pem; do
		[ -f "$old" ] && [ "$(issuer "$old")" = "$who" ] || continue
		was=$(number "$old")
		if [ -n "$was" ] && { [ -z "$num" ] || hex_lt "$num" "$was"; }; then
			fail "$url has CRL number ${num:-none}, lower than ${was} in place for $who"
		fi
	done
	cat "$tmp/crl$i.pem" >> "$tmp/new.pem"
done

# Same directory, same owner and mode as the file it replaces, then rename.
next_file=$(mktemp "$dir/.crl.XXXXXX")
cat "$tmp/new.pem" > "$next_file"
if [ -f "$crl" ]; then
	chmod --reference="$crl" "$next_file" 2> /dev/null || chmod 0644 "$next_file"
else
	chmod 0644 "$next_file"
fi
mv -f "$next_file" "$crl"
echo "crl-refresh: $crl holds $i CRL(s)"
