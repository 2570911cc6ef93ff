#!/usr/bin/env bash
# pki.sh OUTDIR: the test PKI for the EDS (ЭЦП) tests, the fake NCALayer and the demo.
#
# Builds RSA 2048 / SHA-256 certificates shaped like those of НУЦ РК (NCA):
#   subject CN=SURNAME NAME, SN=SURNAME, serialNumber=IIN<12 digits>, C=KZ, GN=<patronymic>
#   (an employee adds O=<organisation>, OU=BIN<12 digits>);
#   AUTH: keyUsage digitalSignature,keyEncipherment; EKU clientAuth + owner OID
#   SIGN: keyUsage digitalSignature,nonRepudiation;  EKU emailProtection + owner OID
#   owner OID (in the EKU, where NCA puts it and where NCALayer's extKeyUsageOids
#   filter looks): 1.2.398.3.3.4.1.1 individual; 1.2.398.3.3.4.1.2 and
#   1.2.398.3.3.4.1.2.5 employee (a person with a BIN in persons.tsv).
#
# Output in OUTDIR (keys are unencrypted PEM: this is a test PKI, never deploy it):
#   root.pem, int.pem            test root CA and the intermediate that issues everything
#   ca.pem                       root + intermediate: the trust anchors file (sign_trust_load)
#   crl.pem                      CRLs of root and intermediate, lastUpdate yesterday, valid 10 years
#   crl-root.pem, crl-int.pem    each of the two alone (a chain needs both: fail closed)
#   crl-old.pem                  earlier CRLs of both (lower CRL numbers, no revocations yet):
#                                loading it after crl.pem is a rollback
#   crl-expired.pem              the same CRLs, nextUpdate already past (fail-closed test)
#   <key>-auth.pem/.key          AUTH cert and key for every person of persons.tsv
#   <key>-sign.pem/.key          SIGN cert and key for every person of persons.tsv
#   expired-auth/-sign           parent1's subject, validity ended a year ago
#   notyet-auth/-sign            parent3's subject, validity starts in a year
#   revoked-auth/-sign           parent2's subject, both serials listed in the intermediate's CRL
#   staff2-wrongbin-sign         staff2's SIGN cert with BIN 060840012340 instead of hers
#   noku.pem/.key                staff1's subject, issued by the intermediate, with neither
#                                keyUsage nor extendedKeyUsage: good for no NCA purpose
#   selfsigned-parent1-auth      parent1's subject and AUTH extensions, self-signed
#   ocsp.pem/.key                the intermediate's OCSP responder (EKU OCSPSigning)
#   ocsp-rogue.pem/.key          an OCSP responder certificate of the forged intermediate
#   forged-root.pem, forged-int.pem   a forged CA with exactly the subject names of root/int
#   forged-parent1-auth/-sign    parent1's subject, issued by the forged intermediate
#   forged-chain.pem             forged-int + forged-root (what an attacker would attach)
#   ncalayer-tls.pem/.key        TLS server cert (127.0.0.1, localhost) + intermediate, for the fake NCALayer
#   ncalayer-spki.txt            base64 SHA-256 of its SPKI (Chromium --ignore-certificate-errors-spki-list)
#   work/                        CA databases (index.txt, serial) used to build the above
#   .pki-complete                marker: script version + hash of persons.tsv and of this script
#
# Idempotent: if the marker is present and matches, nothing is done; otherwise
# everything is rebuilt. Concurrent runs on the same OUTDIR wait on OUTDIR/.lock.
# Takes a few seconds (key generation runs in parallel).
set -euo pipefail

usage() { echo "usage: $0 OUTDIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
OUT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
PERSONS=$HERE/persons.tsv
SCRIPT_VERSION=2
ORG_NAME='ГККП Ясли-сад «Тестовый»'
WRONG_BIN=060840012340

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
exec 9>"$OUT/.lock"
flock 9

stamp="pki.sh v$SCRIPT_VERSION $(cat "$PERSONS" "$0" | sha256sum | cut -d' ' -f1)"
if [ -f "$OUT/.pki-complete" ] && [ "$(cat "$OUT/.pki-complete")" = "$stamp" ]; then
	exit 0
fi
rm -f "$OUT/.pki-complete"

W=$OUT/work
rm -rf "$W"
mkdir -p "$W"

# Dates in GeneralizedTime form, relative to now, for openssl ca.
when() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
# quiet CMD...: run CMD, show its output only if it fails (openssl ca is chatty).
quiet() {
	local o
	if ! o=$("$@" 2>&1); then
		printf '%s\n' "$o" >&2
		echo "pki.sh: failed: $*" >&2
		return 1
	fi
}
CA_START=$(when '-3 years')
CA_END=$(when '+20 years')
EE_START=$(when '-1 day')
EE_END=$(when '+10 years')

# --- keys, generated in parallel -------------------------------------------
declare -a KEYS=()
newkey() { KEYS+=("$1"); }

newkey "$W/root.key"
newkey "$W/int.key"
newkey "$W/forged-root.key"
newkey "$W/forged-int.key"
newkey "$OUT/ncalayer-tls.key"

# persons: key iin surname name patronymic role bin phone
declare -a P_KEY=() P_IIN=() P_SUR=() P_NAME=() P_PATR=() P_BIN=()
while IFS=$'\t' read -r key iin sur name patr _role bin _phone; do
	[ -z "$key" ] && continue
	case $key in \#*) continue ;; esac
	P_KEY+=("$key"); P_IIN+=("$iin"); P_SUR+=("$sur"); P_NAME+=("$name"); P_PATR+=("$patr")
	P_BIN+=("$bin")
done <"$PERSONS"

for k in "${P_KEY[@]}" expired notyet revoked forged-parent1; do
	newkey "$OUT/$k-auth.key"
	newkey "$OUT/$k-sign.key"
done
newkey "$OUT/staff2-wrongbin-sign.key"
newkey "$OUT/noku.key"
newkey "$OUT/selfsigned-parent1-auth.key"
newkey "$OUT/ocsp.key"
newkey "$OUT/ocsp-rogue.key"

pids=()
for f in "${KEYS[@]}"; do
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$f" 2>/dev/null &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done

# --- extensions ----------------------------------------------------------
cat >"$W/ext.cnf" <<'EOF'
[ v3_root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ v3_int ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ auth_person ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth, 1.2.398.3.3.4.1.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ sign_person ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection, 1.2.398.3.3.4.1.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ auth_employee ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth, 1.2.398.3.3.4.1.2, 1.2.398.3.3.4.1.2.5
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ sign_employee ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection, 1.2.398.3.3.4.1.2, 1.2.398.3.3.4.1.2.5
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ no_usage ]
basicConstraints = critical, CA:false
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ ocsp_responder ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ tls_server ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

# --- CA databases ---------------------------------------------------------
# mkca NAME: W/NAME/{ca.cnf,index.txt,serial,crlnumber}; cert and key set later.
mkca() {
	local d=$W/$1
	mkdir -p "$d/new"
	: >"$d/index.txt"
	echo 'unique_subject = no' >"$d/index.txt.attr"
	# random positive 128-bit serial start, like real CAs' unpredictable serials
	printf '4%s\n' "$(openssl rand -hex 16 | cut -c2-)" >"$d/serial"
	echo 1000 >"$d/crlnumber"
	cat >"$d/ca.cnf" <<EOF
[ ca ]
default_ca = this_ca
[ this_ca ]
dir = $d
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
crlnumber = \$dir/crlnumber
certificate = \$dir/cert.pem
private_key = \$dir/key.pem
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
crl_extensions = crl_ext
[ crl_ext ]
authorityKeyIdentifier = keyid:always
[ policy_any ]
commonName = optional
surname = optional
serialNumber = optional
countryName = optional
givenName = optional
organizationName = optional
organizationalUnitName = optional
EOF
}

# issue CA SUBJECT KEY EXT START END OUTCERT
issue() {
	local ca=$1 subj=$2 key=$3 ext=$4 start=$5 end=$6 out=$7
	local csr
	csr=$W/$(basename "$out" .pem).csr
	openssl req -new -utf8 -key "$key" -subj "$subj" -out "$csr"
	quiet openssl ca -batch -notext -utf8 -preserveDN -config "$W/$ca/ca.cnf" \
		-extfile "$W/ext.cnf" -extensions "$ext" \
		-startdate "$start" -enddate "$end" -in "$csr" -out "$out"
}

# selfsign CA SUBJECT KEY: the CA's own certificate, recorded in its database.
selfsign() {
	local ca=$1 subj=$2 key=$3
	cp "$key" "$W/$ca/key.pem"
	openssl req -new -utf8 -key "$key" -subj "$subj" -out "$W/$ca.csr"
	quiet openssl ca -batch -notext -utf8 -preserveDN -selfsign -config "$W/$ca/ca.cnf" \
		-extfile "$W/ext.cnf" -extensions v3_root -keyfile "$key" \
		-startdate "$CA_START" -enddate "$CA_END" -in "$W/$ca.csr" -out "$W/$ca/cert.pem"
}

ROOT_SUBJ='/CN=KG TEST ROOT CA (RSA)/O=Test PKI, not NCA/C=KZ'
INT_SUBJ='/CN=KG TEST ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA)/O=Test PKI, not NCA/C=KZ'

for pfx in "" forged-; do
	mkca "${pfx}root"
	mkca "${pfx}int"
	selfsign "${pfx}root" "$ROOT_SUBJ" "$W/${pfx}root.key"
	cp "$W/${pfx}int.key" "$W/${pfx}int/key.pem"
	issue "${pfx}root" "$INT_SUBJ" "$W/${pfx}int.key" v3_int "$CA_START" "$CA_END" "$W/${pfx}int/cert.pem"
	cp "$W/${pfx}root/cert.pem" "$OUT/${pfx}root.pem"
	cp "$W/${pfx}int/cert.pem" "$OUT/${pfx}int.pem"
done
cat "$OUT/root.pem" "$OUT/int.pem" >"$OUT/ca.pem"
cat "$OUT/forged-int.pem" "$OUT/forged-root.pem" >"$OUT/forged-chain.pem"

# person CA OUT SURNAME NAME PATRONYMIC IIN BIN|- START END [auth|sign|both]:
# OUT-auth.pem and/or OUT-sign.pem from the keys OUT-*.key, issued by CA.
person() {
	local ca=$1 out=$2 sur=$3 name=$4 patr=$5 iin=$6 bin=$7 start=$8 end=$9 which=${10:-both}
	local subj="/CN=$sur $name/SN=$sur/serialNumber=IIN$iin/C=KZ/GN=$patr" kind=person
	if [ "$bin" != "-" ]; then
		subj="$subj/O=$ORG_NAME/OU=BIN$bin"
		kind=employee
	fi
	if [ "$which" != sign ]; then
		issue "$ca" "$subj" "$OUT/$out-auth.key" "auth_$kind" "$start" "$end" "$OUT/$out-auth.pem"
	fi
	if [ "$which" != auth ]; then
		issue "$ca" "$subj" "$OUT/$out-sign.key" "sign_$kind" "$start" "$end" "$OUT/$out-sign.pem"
	fi
}

find_person() {
	local i
	for i in "${!P_KEY[@]}"; do
		[ "${P_KEY[$i]}" = "$1" ] && { echo "$i"; return 0; }
	done
	echo "pki.sh: person $1 missing from $PERSONS" >&2
	exit 1
}

for i in "${!P_KEY[@]}"; do
	person int "${P_KEY[$i]}" "${P_SUR[$i]}" "${P_NAME[$i]}" "${P_PATR[$i]}" "${P_IIN[$i]}" "${P_BIN[$i]}" "$EE_START" "$EE_END"
done

i=$(find_person parent1)
person int expired "${P_SUR[$i]}" "${P_NAME[$i]}" "${P_PATR[$i]}" "${P_IIN[$i]}" - "$(when '-2 years')" "$(when '-1 year')"
person forged-int forged-parent1 "${P_SUR[$i]}" "${P_NAME[$i]}" "${P_PATR[$i]}" "${P_IIN[$i]}" - "$EE_START" "$EE_END"
i=$(find_person parent3)
person int notyet "${P_SUR[$i]}" "${P_NAME[$i]}" "${P_PATR[$i]}" "${P_IIN[$i]}" - "$(when '+1 year')" "$(when '+2 years')"
i=$(find_person parent2)
person int revoked "${P_SUR[$i]}" "${P_NAME[$i]}" "${P_PATR[$i]}" "${P_IIN[$i]}" - "$EE_START" "$EE_END"
i=$(find_person staff2)
person int staff2-wrongbin "${P_SUR[$i]}" "${P_NAME[$i]}" "${P_PATR[$i]}" "${P_IIN[$i]}" "$WRONG_BIN" "$EE_START" "$EE_END" sign

i=$(find_person staff1)
issue int "/CN=${P_SUR[$i]} ${P_NAME[$i]}/SN=${P_SUR[$i]}/serialNumber=IIN${P_IIN[$i]}/C=KZ/GN=${P_PATR[$i]}" \
	"$OUT/noku.key" no_usage "$EE_START" "$EE_END" "$OUT/noku.pem"
i=$(find_person parent1)
quiet openssl req -new -x509 -utf8 -key "$OUT/selfsigned-parent1-auth.key" -sha256 -days 3650 \
	-subj "/CN=${P_SUR[$i]} ${P_NAME[$i]}/SN=${P_SUR[$i]}/serialNumber=IIN${P_IIN[$i]}/C=KZ/GN=${P_PATR[$i]}" \
	-config "$W/ext.cnf" -extensions auth_person -out "$OUT/selfsigned-parent1-auth.pem"
issue int "/CN=KG TEST OCSP/O=Test PKI, not NCA/C=KZ" "$OUT/ocsp.key" ocsp_responder "$EE_START" "$EE_END" "$OUT/ocsp.pem"
issue forged-int "/CN=KG TEST OCSP/O=Test PKI, not NCA/C=KZ" "$OUT/ocsp-rogue.key" ocsp_responder "$EE_START" "$EE_END" "$OUT/ocsp-rogue.pem"

# --- CRLs ----------------------------------------------------------------
gencrl() { # CA OUT LASTUPDATE NEXTUPDATE
	quiet openssl ca -gencrl -config "$W/$1/ca.cnf" \
		-crl_lastupdate "$3" -crl_nextupdate "$4" -out "$2"
}
# The earlier CRLs first: their numbers are lower than those of crl.pem.
gencrl root "$W/root-crl-old.pem" "$(when '-2 days')" "$EE_END"
gencrl int "$W/int-crl-old.pem" "$(when '-2 days')" "$EE_END"
cat "$W/root-crl-old.pem" "$W/int-crl-old.pem" >"$OUT/crl-old.pem"

for f in revoked-auth revoked-sign; do
	quiet openssl ca -config "$W/int/ca.cnf" -revoke "$OUT/$f.pem" -crl_reason keyCompromise
done

gencrl root "$W/root-crl.pem" "$EE_START" "$EE_END"
gencrl int "$W/int-crl.pem" "$EE_START" "$EE_END"
cat "$W/root-crl.pem" "$W/int-crl.pem" >"$OUT/crl.pem"
cp "$W/root-crl.pem" "$OUT/crl-root.pem"
cp "$W/int-crl.pem" "$OUT/crl-int.pem"
gencrl root "$W/root-crl-expired.pem" "$(when '-60 days')" "$(when '-30 days')"
gencrl int "$W/int-crl-expired.pem" "$(when '-60 days')" "$(when '-30 days')"
cat "$W/root-crl-expired.pem" "$W/int-crl-expired.pem" >"$OUT/crl-expired.pem"

# --- TLS for the fake NCALayer -------------------------------------------
issue int "/CN=127.0.0.1/O=Test PKI, not NCA/C=KZ" "$OUT/ncalayer-tls.key" tls_server "$EE_START" "$EE_END" "$W/ncalayer-leaf.pem"
cat "$W/ncalayer-leaf.pem" "$OUT/int.pem" >"$OUT/ncalayer-tls.pem"
openssl x509 -in "$W/ncalayer-leaf.pem" -pubkey -noout |
	openssl pkey -pubin -outform der |
	openssl dgst -sha256 -binary | base64 >"$OUT/ncalayer-spki.txt"

chmod 600 "$OUT"/*.key
echo "$stamp" >"$OUT/.pki-complete"
