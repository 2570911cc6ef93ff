/*
 * sign.c: verification of NCALayer CMS signatures with OpenSSL. See sign.h.
 *
 * Steps of sign_verify, each ending the call with its own error code:
 *   1. decode the input (DER, base64, PEM), parse it as a CMS, refuse trailing bytes;
 *   2. exactly one SignerInfo, its certificate present in the CMS;
 *   3. refuse Kazakh GOST algorithms before OpenSSL tries (and fails) to use them,
 *      then any digest but SHA-256/384/512 (MD5 and SHA-1 can be forged);
 *   4. CMS_verify without chain verification: the signature over the signed
 *      attributes and the content digest (content = expected when detached);
 *      on failure, CMS_SignerInfo_verify tells a bad signature (SIGNATURE)
 *      from a good signature over other bytes (CONTENT);
 *   5. attached content equals expected (length, then CRYPTO_memcmp);
 *   6. our own X509_STORE_CTX for the chain, so that the verify error code
 *      (expired, revoked, no CRL...) is known exactly: CMS_verify only leaves
 *      a text in the error queue. Purpose SSL_CLIENT (login) or SMIME_SIGN
 *      (actions), time = now, CRL checks of the whole chain from the store;
 *      CRLs inside the CMS are ignored (an old but still valid CRL attached by
 *      the signer could hide a later revocation);
 *   7. NCA key usage checked explicitly (AUTH vs SIGN key);
 *   8. identity from the subject.
 */
#include "base/sign.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

const char *const sign_err_names[SIGN_E__MAX] = {
	[SIGN_OK] = "ok",
	[SIGN_E_EMPTY] = "empty",
	[SIGN_E_TOO_LARGE] = "too_large",
	[SIGN_E_FORMAT] = "format",
	[SIGN_E_SIGNERS] = "signers",
	[SIGN_E_GOST] = "gost",
	[SIGN_E_UNTRUSTED] = "untrusted",
	[SIGN_E_EXPIRED] = "expired",
	[SIGN_E_NOT_YET_VALID] = "not_yet_valid",
	[SIGN_E_REVOKED] = "revoked",
	[SIGN_E_CRL] = "crl",
	[SIGN_E_PURPOSE] = "purpose",
	[SIGN_E_CONTENT] = "content",
	[SIGN_E_SIGNATURE] = "signature",
	[SIGN_E_NO_IIN] = "no_iin",
	[SIGN_E_WRONG_PERSON] = "wrong_person",
	[SIGN_E_WRONG_BIN] = "wrong_bin",
	[SIGN_E_INTERNAL] = "internal",
	[SIGN_E_DIGEST] = "digest",
	[SIGN_E_OCSP] = "ocsp",
};

const char *const sign_ocsp_status_names[SIGN_OCSP__MAX] = {
	[SIGN_OCSP_GOOD] = "good",
	[SIGN_OCSP_REVOKED] = "revoked",
	[SIGN_OCSP_UNKNOWN] = "unknown",
	[SIGN_OCSP_INVALID] = "invalid",
};

/* The arc of Kazakhstan's national algorithms (GOST 34.310, 34.311 and later). */
#define GOST_KZ_ARC "1.2.398.3.10"

struct sign_trust {
	X509_STORE *store;
	STACK_OF(X509_CRL) *crls;	/* the CRLs of crl_file, for sign_trust_crls */
};

const char *
sign_err_name(enum sign_err e)
{
	if ((int)e < 0 || e >= SIGN_E__MAX || sign_err_names[e] == NULL)
		return "internal";
	return sign_err_names[e];
}

/* ---------------------------------------------------------------- helpers */

/* Copies at most dstlen-1 bytes of src[0..len), cutting at a UTF-8 character
 * boundary, and NUL-terminates. dstlen must be > 0. */
static void
copy_utf8(char *dst, size_t dstlen, const char *src, size_t len)
{
	if (len >= dstlen) {
		len = dstlen - 1;
		/* back off continuation bytes 10xxxxxx so no character is cut */
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void set_detail(struct sign_signer *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_detail(struct sign_signer *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->detail, sizeof out->detail, fmt, ap);
	va_end(ap);
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Strict base64 decoder: standard alphabet, whitespace ignored anywhere,
 * '=' padding only at the end, length a multiple of 4. Writes at most
 * len*3/4 bytes into dst (which must have that room). Returns the decoded
 * length, or -1 if the text is not base64.
 */
static long
b64_decode(const unsigned char *src, size_t len, unsigned char *dst)
{
	unsigned int acc = 0;
	size_t n = 0, pad = 0;
	long o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = src[i];
		int v;

		if (is_space(c))
			continue;
		if (c == '=') {
			if (++pad > 2)
				return -1;
			acc <<= 6;
			n++;
		} else {
			if (pad > 0 || (v = b64_value(c)) < 0)
				return -1;
			acc = (acc << 6) | (unsigned int)v;
			n++;
		}
		if (n % 4 == 0) {
			dst[o++] = (unsigned char)(acc >> 16);
			if (pad < 2)
				dst[o++] = (unsigned char)(acc >> 8);
			if (pad < 1)
				dst[o++] = (unsigned char)acc;
			acc = 0;
		}
	}
	if (n == 0 || n % 4 != 0)
		return -1;
	return o;
}

/* memmem without relying on the GNU extension's availability elsewhere. */
static const unsigned char *
find_bytes(const unsigned char *hay, size_t haylen, const char *needle)
{
	size_t nl = strlen(needle);

	if (nl == 0 || haylen < nl)
		return NULL;
	for (size_t i = 0; i + nl <= haylen; i++)
		if (memcmp(hay + i, needle, nl) == 0)
			return hay + i;
	return NULL;
}

/*
 * Turns the input into DER in a malloc'd buffer (*der, *derlen), whatever its
 * encoding. Returns SIGN_OK, SIGN_E_FORMAT or SIGN_E_INTERNAL.
 */
static enum sign_err
to_der(const unsigned char *in, size_t len, unsigned char **der, size_t *derlen,
    struct sign_signer *out)
{
	static const char *const labels[] = { "CMS", "PKCS7" };
	const unsigned char *p = in, *end = in + len, *body, *body_end;
	unsigned char *buf;
	long n;

	*der = NULL;
	*derlen = 0;
	if (len > 0 && in[0] == 0x30) {		/* DER SEQUENCE */
		if ((buf = malloc(len)) == NULL)
			return SIGN_E_INTERNAL;
		memcpy(buf, in, len);
		*der = buf;
		*derlen = len;
		return SIGN_OK;
	}

	while (p < end && is_space(*p))
		p++;
	body = p;
	body_end = end;
	if ((size_t)(end - p) >= 11 && memcmp(p, "-----BEGIN ", 11) == 0) {
		char begin[32], endm[32];
		const unsigned char *e = NULL, *q;
		size_t i;

		for (i = 0; i < sizeof labels / sizeof labels[0]; i++) {
			snprintf(begin, sizeof begin, "-----BEGIN %s-----", labels[i]);
			if ((size_t)(end - p) >= strlen(begin) &&
			    memcmp(p, begin, strlen(begin)) == 0)
				break;
		}
		if (i == sizeof labels / sizeof labels[0]) {
			set_detail(out, "PEM label is not CMS or PKCS7");
			return SIGN_E_FORMAT;
		}
		snprintf(endm, sizeof endm, "-----END %s-----", labels[i]);
		body = p + strlen(begin);
		e = find_bytes(body, (size_t)(end - body), endm);
		if (e == NULL) {
			set_detail(out, "PEM without its END line");
			return SIGN_E_FORMAT;
		}
		body_end = e;
		for (q = e + strlen(endm); q < end; q++)
			if (!is_space(*q)) {
				set_detail(out, "bytes after the PEM END line");
				return SIGN_E_FORMAT;
			}
	}

	if ((buf = malloc((size_t)(body_end - body) / 4 * 3 + 3)) == NULL)
		return SIGN_E_INTERNAL;
	n = b64_decode(body, (size_t)(body_end - body), buf);
	if (n <= 0) {
		free(buf);
		set_detail(out, "neither DER nor valid base64/PEM");
		return SIGN_E_FORMAT;
	}
	*der = buf;
	*derlen = (size_t)n;
	return SIGN_OK;
}

/* 1 if the object is in Kazakhstan's GOST arc. */
static int
is_gost(const ASN1_OBJECT *obj)
{
	char txt[128];
	size_t al = strlen(GOST_KZ_ARC);
	int n;

	if (obj == NULL)
		return 0;
	n = OBJ_obj2txt(txt, sizeof txt, obj, 1);
	if (n <= 0)
		return 0;
	return strncmp(txt, GOST_KZ_ARC, al) == 0 && (txt[al] == '\0' || txt[al] == '.');
}

static int
algor_is_gost(const X509_ALGOR *alg)
{
	const ASN1_OBJECT *obj = NULL;

	if (alg == NULL)
		return 0;
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	return is_gost(obj);
}

/* 1 if nid is a digest we accept: SHA-256, SHA-384 or SHA-512. MD5 and
 * SHA-1 have practical collisions; NCALayer's RSA signatures use SHA-256. */
static int
strong_digest(int nid)
{
	return nid == NID_sha256 || nid == NID_sha384 || nid == NID_sha512;
}

/* The hash of RSASSA-PSS parameters and the hash of its MGF1 mask
 * generation function (either absent: SHA-1, RFC 4055); 1 if both are
 * strong. */
static int
pss_digests_ok(const X509_ALGOR *sig)
{
	const void *pval = NULL;
	int ptype = 0, ok = 0;
	ASN1_TYPE t;
	RSA_PSS_PARAMS *pss;

	X509_ALGOR_get0(NULL, &ptype, &pval, sig);
	if (ptype != V_ASN1_SEQUENCE)
		return 0;
	t.type = V_ASN1_SEQUENCE;
	t.value.sequence = (ASN1_STRING *)pval;
	pss = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(RSA_PSS_PARAMS), &t);
	if (pss == NULL)
		return 0;
	if (pss->hashAlgorithm != NULL && strong_digest(OBJ_obj2nid(pss->hashAlgorithm->algorithm)) &&
	    pss->maskGenAlgorithm != NULL &&
	    OBJ_obj2nid(pss->maskGenAlgorithm->algorithm) == NID_mgf1) {
		const ASN1_TYPE *mp = pss->maskGenAlgorithm->parameter;
		X509_ALGOR *mh = mp != NULL && mp->type == V_ASN1_SEQUENCE ?
		    ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(X509_ALGOR), mp) : NULL;

		ok = mh != NULL && strong_digest(OBJ_obj2nid(mh->algorithm));
		X509_ALGOR_free(mh);
	}
	RSA_PSS_PARAMS_free(pss);
	return ok;
}

/*
 * 1 if the SignerInfo uses only strong digests: its digestAlgorithm, and
 * the digest its signatureAlgorithm names (sha1WithRSAEncryption,
 * ecdsa-with-SHA1...) or carries (RSASSA-PSS). A bare key algorithm
 * (rsaEncryption, id-ecPublicKey, Ed25519) names none: the digestAlgorithm
 * is then the one used.
 */
static int
digests_ok(const X509_ALGOR *dig, const X509_ALGOR *sig)
{
	const ASN1_OBJECT *obj = NULL;
	int md = NID_undef, pk = NID_undef, signid;

	if (dig == NULL || sig == NULL)
		return 0;
	X509_ALGOR_get0(&obj, NULL, NULL, dig);
	if (!strong_digest(OBJ_obj2nid(obj)))
		return 0;
	X509_ALGOR_get0(&obj, NULL, NULL, sig);
	signid = OBJ_obj2nid(obj);
	if (signid == NID_rsassaPss)
		return pss_digests_ok(sig);
	if (OBJ_find_sigid_algs(signid, &md, &pk) && md != NID_undef)
		return strong_digest(md);
	return 1;
}

/* 1 if the certificate's key or signature algorithm is GOST. */
static int
cert_is_gost(X509 *x)
{
	ASN1_OBJECT *pkalg = NULL;
	const X509_ALGOR *sigalg = NULL;
	X509_PUBKEY *pub = X509_get_X509_PUBKEY(x);

	if (pub != NULL && X509_PUBKEY_get0_param(&pkalg, NULL, NULL, NULL, pub) &&
	    is_gost(pkalg))
		return 1;
	X509_get0_signature(NULL, &sigalg, x);
	return algor_is_gost(sigalg) || algor_is_gost(X509_get0_tbs_sigalg(x));
}

/* Maps an X509_STORE_CTX error to our code. */
static enum sign_err
map_verify_error(int err, int depth)
{
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return SIGN_E_EXPIRED;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return SIGN_E_NOT_YET_VALID;
	case X509_V_ERR_CERT_REVOKED:
		return SIGN_E_REVOKED;
	case X509_V_ERR_UNABLE_TO_GET_CRL:
	case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
	case X509_V_ERR_CRL_SIGNATURE_FAILURE:
	case X509_V_ERR_CRL_NOT_YET_VALID:
	case X509_V_ERR_CRL_HAS_EXPIRED:
	case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
	case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
	case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
	case X509_V_ERR_DIFFERENT_CRL_SCOPE:
	case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
	case X509_V_ERR_CRL_PATH_VALIDATION_ERROR:
		return SIGN_E_CRL;
	case X509_V_ERR_INVALID_PURPOSE:
		/* only the signer's own certificate can be "the wrong key" */
		return depth == 0 ? SIGN_E_PURPOSE : SIGN_E_UNTRUSTED;
	default:
		return SIGN_E_UNTRUSTED;
	}
}

/* Chain verification with our own context, so the error code is exact. */
static enum sign_err
verify_chain(const struct sign_trust *t, X509 *signer, STACK_OF(X509) *untrusted,
    enum sign_purpose purpose, time_t when, struct sign_signer *out)
{
	X509_STORE_CTX *ctx;
	enum sign_err rc = SIGN_E_INTERNAL;
	int p = purpose == SIGN_PURPOSE_AUTH ? X509_PURPOSE_SSL_CLIENT : X509_PURPOSE_SMIME_SIGN;

	if ((ctx = X509_STORE_CTX_new()) == NULL)
		return SIGN_E_INTERNAL;
	/* X509_STORE_CTX_init only reads the store (and locks it internally). */
	if (!X509_STORE_CTX_init(ctx, t->store, signer, untrusted) ||
	    !X509_STORE_CTX_set_purpose(ctx, p))
		goto done;
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), when);
	if (X509_verify_cert(ctx) == 1) {
		rc = SIGN_OK;
	} else {
		int err = X509_STORE_CTX_get_error(ctx);
		int depth = X509_STORE_CTX_get_error_depth(ctx);

		rc = map_verify_error(err, depth);
		set_detail(out, "certificate chain: %s at depth %d",
		    X509_verify_cert_error_string(err), depth);
	}
done:
	X509_STORE_CTX_free(ctx);
	return rc;
}

/* NCA key usage: AUTH keys digitalSignature + EKU clientAuth; SIGN keys
 * nonRepudiation + EKU emailProtection. Both extensions must be present. */
static int
nca_usage_ok(X509 *x, enum sign_purpose purpose)
{
	uint32_t flags = X509_get_extension_flags(x);
	uint32_t ku, xku;

	if (!(flags & EXFLAG_KUSAGE) || !(flags & EXFLAG_XKUSAGE))
		return 0;
	ku = X509_get_key_usage(x);
	xku = X509_get_extended_key_usage(x);
	if (purpose == SIGN_PURPOSE_AUTH)
		return (ku & KU_DIGITAL_SIGNATURE) && (xku & XKU_SSL_CLIENT);
	return (ku & KU_NON_REPUDIATION) && (xku & XKU_SMIME);
}

/*
 * The UTF-8 value of the first entry of `nid` in `name` for which accept()
 * says yes (accept NULL: the first entry). Copies it into dst. Returns 1 if
 * found, 0 if not, -1 on allocation failure.
 */
static int
name_entry(const X509_NAME *name, int nid, int (*accept)(const char *, size_t),
    char *dst, size_t dstlen)
{
	int i = -1;

	dst[0] = '\0';
	while ((i = X509_NAME_get_index_by_NID(name, nid, i)) >= 0) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
		unsigned char *u = NULL;
		int n = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(e));

		if (n < 0)
			return -1;
		/* an embedded NUL would truncate silently: refuse the entry */
		if (memchr(u, '\0', (size_t)n) == NULL &&
		    (accept == NULL || accept((const char *)u, (size_t)n))) {
			copy_utf8(dst, dstlen, (const char *)u, (size_t)n);
			OPENSSL_free(u);
			return 1;
		}
		OPENSSL_free(u);
	}
	return 0;
}

/* prefix followed by exactly 12 ASCII digits */
static int
prefixed_12_digits(const char *s, size_t n, const char *prefix)
{
	size_t pl = strlen(prefix);

	if (n != pl + 12 || memcmp(s, prefix, pl) != 0)
		return 0;
	for (size_t i = pl; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
is_iin_entry(const char *s, size_t n)
{
	return prefixed_12_digits(s, n, "IIN");
}

static int
is_bin_entry(const char *s, size_t n)
{
	return prefixed_12_digits(s, n, "BIN");
}

static int
time_to_epoch(const ASN1_TIME *t, long long *out)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	*out = (long long)timegm(&tm);
	return 1;
}

/* Fills the identity fields of out from the signer certificate. */
static enum sign_err
extract_signer(X509 *x, struct sign_signer *out)
{
	const X509_NAME *subj = X509_get_subject_name(x);
	char tmp[256];
	BIGNUM *bn = NULL;
	char *hex = NULL;
	BIO *bio = NULL;
	unsigned char *p;
	char *mem;
	long memlen;
	int len, r;

	r = name_entry(subj, NID_serialNumber, is_iin_entry, tmp, sizeof tmp);
	if (r < 0)
		return SIGN_E_INTERNAL;
	if (r == 0) {
		set_detail(out, "subject has no serialNumber IIN + 12 digits");
		return SIGN_E_NO_IIN;
	}
	memcpy(out->iin, tmp + 3, 12);
	out->iin[12] = '\0';

	if ((r = name_entry(subj, NID_organizationalUnitName, is_bin_entry, tmp, sizeof tmp)) < 0)
		return SIGN_E_INTERNAL;
	if (r == 1) {
		memcpy(out->bin, tmp + 3, 12);
		out->bin[12] = '\0';
	}
	if (name_entry(subj, NID_commonName, NULL, out->common_name, sizeof out->common_name) < 0 ||
	    name_entry(subj, NID_surname, NULL, out->surname, sizeof out->surname) < 0 ||
	    name_entry(subj, NID_givenName, NULL, out->patronymic, sizeof out->patronymic) < 0 ||
	    name_entry(subj, NID_organizationName, NULL, out->organization, sizeof out->organization) < 0)
		return SIGN_E_INTERNAL;
	{
		size_t sl = strlen(out->surname), cl = strlen(out->common_name);

		if (sl > 0 && cl > sl + 1 && memcmp(out->common_name, out->surname, sl) == 0 &&
		    out->common_name[sl] == ' ')
			copy_utf8(out->given_name, sizeof out->given_name,
			    out->common_name + sl + 1, cl - sl - 1);
	}

	if ((bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL)) == NULL ||
	    (hex = BN_bn2hex(bn)) == NULL) {
		BN_free(bn);
		return SIGN_E_INTERNAL;
	}
	if (strlen(hex) >= sizeof out->serial_hex) {
		set_detail(out, "certificate serial number too long");
		OPENSSL_free(hex);
		BN_free(bn);
		return SIGN_E_FORMAT;
	}
	memcpy(out->serial_hex, hex, strlen(hex) + 1);
	OPENSSL_free(hex);
	BN_free(bn);

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return SIGN_E_INTERNAL;
	if (X509_NAME_print_ex(bio, X509_get_issuer_name(x), 0,
	    XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
		BIO_free(bio);
		return SIGN_E_INTERNAL;
	}
	memlen = BIO_get_mem_data(bio, &mem);
	if (memlen < 0) {
		BIO_free(bio);
		return SIGN_E_INTERNAL;
	}
	copy_utf8(out->issuer, sizeof out->issuer, mem, (size_t)memlen);
	BIO_free(bio);

	if (!time_to_epoch(X509_get0_notBefore(x), &out->not_before) ||
	    !time_to_epoch(X509_get0_notAfter(x), &out->not_after))
		return SIGN_E_INTERNAL;

	if ((len = i2d_X509(x, NULL)) <= 0 || (out->cert_der = malloc((size_t)len)) == NULL)
		return SIGN_E_INTERNAL;
	p = out->cert_der;
	if (i2d_X509(x, &p) != len)
		return SIGN_E_INTERNAL;
	out->cert_len = (size_t)len;
	return SIGN_OK;
}

/* After CMS_verify failed: a bad signature, or a good one over other bytes? */
static enum sign_err
classify_cms_failure(CMS_SignerInfo *si, struct sign_signer *out)
{
	unsigned long e = ERR_peek_last_error();
	char buf[120];

	ERR_error_string_n(e, buf, sizeof buf);
	if (CMS_signed_get_attr_count(si) >= 0 && CMS_SignerInfo_verify(si) > 0) {
		/* the signed attributes are authentic, so messageDigest is what the
		 * signer signed: it does not match the content we have */
		set_detail(out, "signature valid but over other content (%s)", buf);
		return SIGN_E_CONTENT;
	}
	set_detail(out, "invalid signature (%s)", buf);
	return SIGN_E_SIGNATURE;
}

/* ------------------------------------------------------------------- API */

static void
trust_err(char *err, size_t errlen, const char *what, const char *file)
{
	unsigned long e = ERR_peek_last_error();
	char ossl[120] = "";

	if (e != 0)
		ERR_error_string_n(e, ossl, sizeof ossl);
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: %s%s%s", file ? file : "(null)", what,
		    ossl[0] ? ": " : "", ossl);
	ERR_clear_error();
}

/* Adds every certificate of the file (PEM, or one DER) to the store.
 * Returns the number added, and how many are self-signed; -1 on error. */
static int
load_certs(X509_STORE *store, const char *file, int *roots)
{
	BIO *bio = BIO_new_file(file, "rb");
	X509 *x;
	int n = 0;

	*roots = 0;
	if (bio == NULL)
		return -1;
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (!X509_STORE_add_cert(store, x)) {
			X509_free(x);
			BIO_free(bio);
			return -1;
		}
		if (X509_self_signed(x, 0) == 1)
			(*roots)++;
		X509_free(x);
		n++;
	}
	if (n == 0) {	/* not PEM: one DER certificate? */
		ERR_clear_error();
		(void)BIO_reset(bio);
		if ((x = d2i_X509_bio(bio, NULL)) != NULL) {
			if (!X509_STORE_add_cert(store, x)) {
				X509_free(x);
				BIO_free(bio);
				return -1;
			}
			if (X509_self_signed(x, 0) == 1)
				(*roots)++;
			X509_free(x);
			n = 1;
		}
	}
	ERR_clear_error();	/* the PEM reader ends with "no start line" */
	BIO_free(bio);
	return n;
}

/* Adds a CRL to the store and to the list kept for sign_trust_crls. */
static int
add_crl(struct sign_trust *t, X509_CRL *c)
{
	if (!X509_STORE_add_crl(t->store, c) || !X509_CRL_up_ref(c))
		return 0;
	if (!sk_X509_CRL_push(t->crls, c)) {
		X509_CRL_free(c);
		return 0;
	}
	return 1;
}

/* Adds every CRL of the file (PEM, or one DER). Returns the count, -1 on error. */
static int
load_crls(struct sign_trust *t, const char *file)
{
	BIO *bio = BIO_new_file(file, "rb");
	X509_CRL *c;
	int n = 0;

	if (bio == NULL)
		return -1;
	while ((c = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
		if (!add_crl(t, c)) {
			X509_CRL_free(c);
			BIO_free(bio);
			return -1;
		}
		X509_CRL_free(c);
		n++;
	}
	if (n == 0) {
		ERR_clear_error();
		(void)BIO_reset(bio);
		if ((c = d2i_X509_CRL_bio(bio, NULL)) != NULL) {
			if (!add_crl(t, c)) {
				X509_CRL_free(c);
				BIO_free(bio);
				return -1;
			}
			X509_CRL_free(c);
			n = 1;
		}
	}
	ERR_clear_error();
	BIO_free(bio);
	return n;
}

struct sign_trust *
sign_trust_load(const char *ca_file, const char *crl_file, char *err, size_t errlen)
{
	struct sign_trust *t;
	int n, roots;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	ERR_clear_error();
	if (ca_file == NULL) {
		trust_err(err, errlen, "no CA file given", ca_file);
		return NULL;
	}
	if ((t = calloc(1, sizeof *t)) == NULL || (t->store = X509_STORE_new()) == NULL ||
	    (t->crls = sk_X509_CRL_new_null()) == NULL) {
		if (t != NULL)
			X509_STORE_free(t->store);
		free(t);
		trust_err(err, errlen, "out of memory", ca_file);
		return NULL;
	}
	n = load_certs(t->store, ca_file, &roots);
	if (n <= 0 || roots == 0) {
		trust_err(err, errlen, n < 0 ? "cannot read certificates" :
		    n == 0 ? "no certificate" : "no self-signed root certificate", ca_file);
		sign_trust_free(t);
		return NULL;
	}
	if (crl_file != NULL && (n = load_crls(t, crl_file)) <= 0) {
		trust_err(err, errlen, n < 0 ? "cannot read CRLs" : "no CRL", crl_file);
		sign_trust_free(t);
		return NULL;
	}
	/* Revocation fails open in OpenSSL unless asked for; with these flags a
	 * missing or expired CRL for any certificate of the chain is an error. */
	if (!X509_STORE_set_flags(t->store, X509_V_FLAG_CRL_CHECK |
	    X509_V_FLAG_CRL_CHECK_ALL | X509_V_FLAG_USE_DELTAS)) {
		trust_err(err, errlen, "cannot set verification flags", ca_file);
		sign_trust_free(t);
		return NULL;
	}
	ERR_clear_error();
	return t;
}

void
sign_trust_free(struct sign_trust *t)
{
	if (t == NULL)
		return;
	X509_STORE_free(t->store);
	sk_X509_CRL_pop_free(t->crls, X509_CRL_free);
	free(t);
}

/* 1 if a certificate of the store with the CRL's issuer as subject signed it. */
static int
crl_signed_by_anchor(const struct sign_trust *t, X509_CRL *c)
{
	STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(t->store);
	int ok = 0;

	for (int i = 0; !ok && i < sk_X509_OBJECT_num(objs); i++) {
		X509 *x = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, i));
		EVP_PKEY *k;

		if (x == NULL || X509_NAME_cmp(X509_get_subject_name(x), X509_CRL_get_issuer(c)) != 0)
			continue;
		if ((k = X509_get0_pubkey(x)) != NULL && X509_CRL_verify(c, k) == 1)
			ok = 1;
	}
	ERR_clear_error();
	return ok;
}

/* The cRLNumber (or deltaCRLIndicator presence) of c into info. */
static void
crl_number(X509_CRL *c, struct sign_crl_info *info)
{
	ASN1_INTEGER *num = X509_CRL_get_ext_d2i(c, NID_crl_number, NULL, NULL);
	ASN1_INTEGER *base = X509_CRL_get_ext_d2i(c, NID_delta_crl, NULL, NULL);
	BIGNUM *bn = num != NULL ? ASN1_INTEGER_to_BN(num, NULL) : NULL;
	char *hex = bn != NULL && !BN_is_negative(bn) ? BN_bn2hex(bn) : NULL;
	size_t hl = hex != NULL ? strlen(hex) : 0;

	info->delta = base != NULL;
	if (hex != NULL && hl <= 40) {
		memset(info->number, '0', 40 - hl);
		memcpy(info->number + 40 - hl, hex, hl + 1);
	}
	OPENSSL_free(hex);
	BN_free(bn);
	ASN1_INTEGER_free(num);
	ASN1_INTEGER_free(base);
}

int
sign_trust_crls(const struct sign_trust *t, struct sign_crl_info *out, int max)
{
	int n = t != NULL ? sk_X509_CRL_num(t->crls) : 0;

	for (int i = 0; i < n && i < max; i++) {
		X509_CRL *c = sk_X509_CRL_value(t->crls, i);
		struct sign_crl_info *info = &out[i];
		BIO *bio = BIO_new(BIO_s_mem());
		char *mem;
		long memlen;

		memset(info, 0, sizeof *info);
		if (bio != NULL && X509_NAME_print_ex(bio, X509_CRL_get_issuer(c), 0,
		    XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
		    (memlen = BIO_get_mem_data(bio, &mem)) >= 0)
			copy_utf8(info->issuer, sizeof info->issuer, mem, (size_t)memlen);
		BIO_free(bio);
		crl_number(c, info);
		info->verified = crl_signed_by_anchor(t, c);
		if (!time_to_epoch(X509_CRL_get0_lastUpdate(c), &info->last_update))
			info->last_update = 0;
		if (!time_to_epoch(X509_CRL_get0_nextUpdate(c), &info->next_update))
			info->next_update = 0;
	}
	ERR_clear_error();
	return n;
}

void
sign_signer_clear(struct sign_signer *s)
{
	if (s == NULL)
		return;
	free(s->cert_der);
	memset(s, 0, sizeof *s);
}

static enum sign_err
verify_der(const struct sign_trust *t, const unsigned char *der, size_t derlen,
    const unsigned char *expected, size_t expected_len, enum sign_purpose purpose,
    time_t when, struct sign_signer *out)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms = NULL;
	STACK_OF(CMS_SignerInfo) *sinfos;
	CMS_SignerInfo *si;
	STACK_OF(X509) *certs = NULL;
	X509 *signer = NULL;
	X509_ALGOR *dig = NULL, *sig = NULL;
	ASN1_OCTET_STRING **content;
	BIO *dcont = NULL;
	enum sign_err rc;
	int i;

	if (derlen > LONG_MAX)
		return SIGN_E_TOO_LARGE;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)derlen);
	if (cms == NULL) {
		set_detail(out, "not a CMS (DER parse failed)");
		return SIGN_E_FORMAT;
	}
	if (p != der + derlen) {
		set_detail(out, "%ld bytes after the CMS", (long)(der + derlen - p));
		rc = SIGN_E_FORMAT;
		goto done;
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed ||
	    OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data) {
		set_detail(out, "CMS is not SignedData of data");
		rc = SIGN_E_FORMAT;
		goto done;
	}

	sinfos = CMS_get0_SignerInfos(cms);
	if (sk_CMS_SignerInfo_num(sinfos) != 1) {
		set_detail(out, "%d signers, expected exactly 1",
		    sk_CMS_SignerInfo_num(sinfos));
		rc = SIGN_E_SIGNERS;
		goto done;
	}
	si = sk_CMS_SignerInfo_value(sinfos, 0);

	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sig);
	if (algor_is_gost(dig) || algor_is_gost(sig)) {
		set_detail(out, "GOST algorithm in SignerInfo");
		rc = SIGN_E_GOST;
		goto done;
	}
	if (!digests_ok(dig, sig)) {
		const ASN1_OBJECT *d = NULL, *g = NULL;
		char dn[64] = "", gn[64] = "";

		X509_ALGOR_get0(&d, NULL, NULL, dig);
		X509_ALGOR_get0(&g, NULL, NULL, sig);
		OBJ_obj2txt(dn, sizeof dn, d, 0);
		OBJ_obj2txt(gn, sizeof gn, g, 0);
		set_detail(out, "weak or unknown digest in SignerInfo (%s, %s)", dn, gn);
		rc = SIGN_E_DIGEST;
		goto done;
	}

	/* Find the signer certificate among those carried by the CMS. */
	certs = CMS_get1_certs(cms);
	for (i = 0; i < sk_X509_num(certs); i++) {
		X509 *x = sk_X509_value(certs, i);

		if (CMS_SignerInfo_cert_cmp(si, x) == 0) {
			signer = x;
			break;
		}
	}
	if (signer == NULL) {
		set_detail(out, "signer certificate not in the CMS");
		rc = SIGN_E_FORMAT;
		goto done;
	}
	if (cert_is_gost(signer)) {
		set_detail(out, "GOST key or signature in the signer certificate");
		rc = SIGN_E_GOST;
		goto done;
	}
	CMS_SignerInfo_set1_signer_cert(si, signer);

	/* The signature and the content digest; no chain yet (done below). */
	content = CMS_get0_content(cms);
	if (content == NULL || *content == NULL) {	/* detached */
		if (expected_len > INT_MAX) {
			rc = SIGN_E_INTERNAL;
			goto done;
		}
		/* A pass-through filter on top of the memory BIO: OpenSSL 3.0's
		 * CMS_verify copies a memory BIO given as content into one of
		 * its own and leaks that copy when the CMS names a digest it
		 * does not know (found by tests/fuzz/fuzz_sign.c: every such
		 * signature posted to a long-lived worker cost 544 bytes). */
		BIO *mem = BIO_new_mem_buf(expected, (int)expected_len);
		BIO *filter = mem ? BIO_new(BIO_f_null()) : NULL;
		if (filter == NULL) {
			BIO_free(mem);
			rc = SIGN_E_INTERNAL;
			goto done;
		}
		dcont = BIO_push(filter, mem);
	}
	if (CMS_verify(cms, NULL, NULL, dcont, NULL,
	    CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) <= 0) {
		rc = classify_cms_failure(si, out);
		goto done;
	}
	if (dcont == NULL) {	/* attached: it must be exactly the expected text */
		const ASN1_OCTET_STRING *os = *content;

		if ((size_t)ASN1_STRING_length(os) != expected_len ||
		    CRYPTO_memcmp(ASN1_STRING_get0_data(os), expected, expected_len) != 0) {
			set_detail(out, "attached content is not the expected text");
			rc = SIGN_E_CONTENT;
			goto done;
		}
	}

	if ((rc = verify_chain(t, signer, certs, purpose, when, out)) != SIGN_OK)
		goto done;
	if (!nca_usage_ok(signer, purpose)) {
		set_detail(out, "not an NCA %s key", purpose == SIGN_PURPOSE_AUTH ?
		    "AUTH (digitalSignature, clientAuth)" : "SIGN (nonRepudiation, emailProtection)");
		rc = SIGN_E_PURPOSE;
		goto done;
	}
	rc = extract_signer(signer, out);
	if (rc == SIGN_OK)
		set_detail(out, "ok");
done:
	BIO_free_all(dcont);
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	return rc;
}

enum sign_err
sign_verify(const struct sign_trust *t, const unsigned char *cms, size_t cms_len,
    const unsigned char *expected, size_t expected_len, enum sign_purpose purpose,
    long long now, struct sign_signer *out)
{
	unsigned char *der = NULL;
	size_t derlen = 0;
	enum sign_err rc;

	if (out == NULL)
		return SIGN_E_INTERNAL;
	memset(out, 0, sizeof *out);
	ERR_clear_error();
	if (t == NULL || expected == NULL || expected_len == 0 ||
	    (purpose != SIGN_PURPOSE_AUTH && purpose != SIGN_PURPOSE_ACTION) || now < 0) {
		set_detail(out, "bad arguments");
		return SIGN_E_INTERNAL;
	}
	if (cms == NULL || cms_len == 0) {
		set_detail(out, "no signature");
		return SIGN_E_EMPTY;
	}
	if (cms_len > SIGN_MAX_INPUT) {
		set_detail(out, "input of %zu bytes is over the limit of %d", cms_len,
		    SIGN_MAX_INPUT);
		return SIGN_E_TOO_LARGE;
	}
	if (now == 0)
		now = (long long)time(NULL);

	rc = to_der(cms, cms_len, &der, &derlen, out);
	if (rc == SIGN_OK)
		rc = verify_der(t, der, derlen, expected, expected_len, purpose,
		    (time_t)now, out);
	free(der);

	if (rc != SIGN_OK) {
		/* keep only the diagnostic: nothing unverified may be used */
		char detail[sizeof out->detail];

		memcpy(detail, out->detail, sizeof detail);
		sign_signer_clear(out);
		memcpy(out->detail, detail, sizeof detail);
		if (rc == SIGN_E_INTERNAL && out->detail[0] == '\0')
			set_detail(out, "internal error (out of memory?)");
	}
	ERR_clear_error();
	return rc;
}

/* Constant-time equality of two NUL-terminated strings of the same length. */
static int
same_12(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	return la == 12 && lb == 12 && CRYPTO_memcmp(a, b, 12) == 0;
}

enum sign_err
sign_check_person(const struct sign_signer *s, const char *expected_iin,
    const char *expected_bin_or_null)
{
	if (s == NULL || expected_iin == NULL)
		return SIGN_E_INTERNAL;
	if (!same_12(s->iin, expected_iin))
		return SIGN_E_WRONG_PERSON;
	if (expected_bin_or_null != NULL && !same_12(s->bin, expected_bin_or_null))
		return SIGN_E_WRONG_BIN;
	return SIGN_OK;
}

/* ------------------------------------------------------------------ OCSP */

struct sign_ocsp {
	OCSP_REQUEST *req;
	OCSP_CERTID *id;	/* owned by req */
	unsigned char *der;
	size_t der_len;
	char aia[512];
};

void
sign_ocsp_free(struct sign_ocsp *o)
{
	if (o == NULL)
		return;
	OCSP_REQUEST_free(o->req);
	OPENSSL_free(o->der);
	free(o);
}

/* The issuer of x among the trust anchors (a new reference), or NULL. */
static X509 *
anchor_issuer(const struct sign_trust *t, X509 *x)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509 *issuer = NULL;

	if (ctx != NULL && X509_STORE_CTX_init(ctx, t->store, x, NULL) &&
	    X509_STORE_CTX_get1_issuer(&issuer, ctx, x) != 1)
		issuer = NULL;
	X509_STORE_CTX_free(ctx);
	return issuer;
}

struct sign_ocsp *
sign_ocsp_begin(const struct sign_trust *t, const unsigned char *cert_der, size_t cert_len,
    char *detail, size_t detlen)
{
	const unsigned char *p = cert_der;
	X509 *x = NULL, *issuer = NULL;
	struct sign_ocsp *o = NULL;
	STACK_OF(OPENSSL_STRING) *urls = NULL;
	OCSP_CERTID *id = NULL;
	int len;

	detail[0] = '\0';
	if (t == NULL || cert_der == NULL || cert_len > LONG_MAX ||
	    (x = d2i_X509(NULL, &p, (long)cert_len)) == NULL) {
		snprintf(detail, detlen, "OCSP: cannot read the certificate");
		goto fail;
	}
	if ((issuer = anchor_issuer(t, x)) == NULL) {
		snprintf(detail, detlen, "OCSP: the certificate's issuer is not a trust anchor");
		goto fail;
	}
	if ((o = calloc(1, sizeof *o)) == NULL || (o->req = OCSP_REQUEST_new()) == NULL ||
	    (id = OCSP_cert_to_id(EVP_sha1(), x, issuer)) == NULL ||
	    OCSP_request_add0_id(o->req, id) == NULL) {
		OCSP_CERTID_free(id);
		snprintf(detail, detlen, "OCSP: cannot make the request");
		goto fail;
	}
	o->id = id;
	if (!OCSP_request_add1_nonce(o->req, NULL, -1) ||
	    (len = i2d_OCSP_REQUEST(o->req, &o->der)) <= 0) {
		snprintf(detail, detlen, "OCSP: cannot make the request");
		goto fail;
	}
	o->der_len = (size_t)len;
	if ((urls = X509_get1_ocsp(x)) != NULL && sk_OPENSSL_STRING_num(urls) > 0)
		snprintf(o->aia, sizeof o->aia, "%s", sk_OPENSSL_STRING_value(urls, 0));
	X509_email_free(urls);
	X509_free(issuer);
	X509_free(x);
	ERR_clear_error();
	return o;
fail:
	sign_ocsp_free(o);
	X509_free(issuer);
	X509_free(x);
	ERR_clear_error();
	return NULL;
}

const char *
sign_ocsp_aia(const struct sign_ocsp *o)
{
	return o != NULL ? o->aia : "";
}

const unsigned char *
sign_ocsp_der(const struct sign_ocsp *o, size_t *len)
{
	*len = o != NULL ? o->der_len : 0;
	return o != NULL ? o->der : NULL;
}

enum sign_ocsp_status
sign_ocsp_finish(const struct sign_trust *t, const struct sign_ocsp *o,
    const unsigned char *resp, size_t resp_len, long long now, long long *next_update,
    char *detail, size_t detlen)
{
	const unsigned char *p = resp;
	OCSP_RESPONSE *rsp = NULL;
	OCSP_BASICRESP *bs = NULL;
	ASN1_GENERALIZEDTIME *thisupd = NULL, *nextupd = NULL, *rev = NULL;
	enum sign_ocsp_status st = SIGN_OCSP_INVALID;
	int status = -1, reason = -1, rs;
	long long ts = 0, ns = 0;
	time_t when = now > 0 ? (time_t)now : time(NULL);

	*next_update = 0;
	detail[0] = '\0';
	if (t == NULL || o == NULL || resp == NULL || resp_len > LONG_MAX ||
	    (rsp = d2i_OCSP_RESPONSE(NULL, &p, (long)resp_len)) == NULL) {
		snprintf(detail, detlen, "OCSP: the answer is not an OCSP response");
		goto done;
	}
	if ((rs = OCSP_response_status(rsp)) != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		snprintf(detail, detlen, "OCSP: responder says %s", OCSP_response_status_str(rs));
		goto done;
	}
	if ((bs = OCSP_response_get1_basic(rsp)) == NULL) {
		snprintf(detail, detlen, "OCSP: no basic response");
		goto done;
	}
	if (OCSP_check_nonce(o->req, bs) != 1) {
		snprintf(detail, detlen, "OCSP: the nonce is missing or wrong");
		goto done;
	}
	/* The signer's chain is judged at the current time (the store is
	 * shared and read-only); the answer's own dates against `now`. */
	if (OCSP_basic_verify(bs, NULL, t->store, 0) <= 0) {
		unsigned long e = ERR_peek_last_error();
		char buf[120] = "";

		if (e != 0)
			ERR_error_string_n(e, buf, sizeof buf);
		snprintf(detail, detlen, "OCSP: response not signed by the CA or its responder (%s)", buf);
		goto done;
	}
	if (!OCSP_resp_find_status(bs, o->id, &status, &reason, &rev, &thisupd, &nextupd)) {
		snprintf(detail, detlen, "OCSP: the response is not about this certificate");
		goto done;
	}
	/* As OCSP_check_validity with 5 minutes of leeway, but at `now`. */
	if (!time_to_epoch(thisupd, &ts) || ts > (long long)when + 300 ||
	    (nextupd != NULL && (!time_to_epoch(nextupd, &ns) || ns < (long long)when - 300))) {
		snprintf(detail, detlen, "OCSP: the response is not current");
		goto done;
	}
	*next_update = nextupd != NULL ? ns : 0;
	switch (status) {
	case V_OCSP_CERTSTATUS_GOOD:
		st = SIGN_OCSP_GOOD;
		snprintf(detail, detlen, "OCSP: good");
		break;
	case V_OCSP_CERTSTATUS_REVOKED:
		st = SIGN_OCSP_REVOKED;
		snprintf(detail, detlen, "OCSP: revoked (%s)", OCSP_crl_reason_str(reason));
		break;
	default:
		st = SIGN_OCSP_UNKNOWN;
		snprintf(detail, detlen, "OCSP: the responder does not know the certificate");
		break;
	}
done:
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(rsp);
	ERR_clear_error();
	return st;
}
