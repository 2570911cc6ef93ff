/*
 * sign.h: verification of electronic signatures (ЭЦП / EDS) made by NCALayer.
 *
 * The browser signs a text the server chose (a single-use login challenge, or
 * the canonical text of an action) with the user's NCA key through NCALayer and
 * sends back a CMS SignedData (CAdES-BES). Everything the browser sends is
 * untrusted: anyone can run a fake NCALayer with a self-made CA. This module
 * decides, with OpenSSL only, whether that CMS is a valid signature over
 * exactly the expected bytes, by a certificate that chains to the configured
 * trust anchors, is not revoked (CRLs required: fail closed), is valid at the
 * given time, and has the key usage the operation needs (AUTH key to log in,
 * SIGN key to act). It then reports who signed: IIN, BIN, names, certificate.
 *
 * Pure core: no database, no HTTP, no global state. The trust store is built
 * once per process (sign_trust_load) and is read-only afterwards, so one
 * struct sign_trust may be shared by threads. Every call leaves OpenSSL's
 * thread-local error queue empty. Nothing secret is ever printed.
 *
 * Typical use (login):
 *	struct sign_signer who;
 *	enum sign_err e = sign_verify(trust, cms, cms_len, challenge, challenge_len,
 *	    SIGN_PURPOSE_AUTH, (long long)time(NULL), &who);
 *	if (e == SIGN_OK)
 *		e = sign_check_person(&who, user_iin, NULL);
 *	if (e != SIGN_OK)
 *		log and show message "eds.<sign_err_name(e)>"; who.detail says why for the log
 *	...
 *	sign_signer_clear(&who);   // always, whatever e was
 */
#ifndef KG_SIGN_H
#define KG_SIGN_H

#include <stddef.h>

/* Largest CMS accepted by sign_verify, in bytes of input as received (DER,
 * base64 or PEM). An NCA CMS with its certificate and a short attached text is
 * 3 to 10 KiB; anything above this cap is refused before parsing. */
#define SIGN_MAX_INPUT (64 * 1024)

/* What the signature is for. */
enum sign_purpose {
	SIGN_PURPOSE_AUTH,	/* login: AUTH key (digitalSignature, EKU clientAuth) */
	SIGN_PURPOSE_ACTION	/* an action: SIGN key (nonRepudiation, EKU emailProtection) */
};

/* Results. The order of checks, and so which error wins when several apply:
 * EMPTY, TOO_LARGE, FORMAT, SIGNERS, GOST, DIGEST, SIGNATURE, CONTENT, then the
 * certificate chain (UNTRUSTED, PURPOSE, REVOKED/CRL, EXPIRED/NOT_YET_VALID,
 * in OpenSSL's order), then PURPOSE (explicit NCA key usage), then NO_IIN. */
enum sign_err {
	SIGN_OK = 0,
	SIGN_E_EMPTY,		/* no input at all */
	SIGN_E_TOO_LARGE,	/* input longer than SIGN_MAX_INPUT */
	SIGN_E_FORMAT,		/* not a CMS SignedData of data: garbage, bad base64/PEM,
				 * trailing bytes after the DER, no signer certificate inside */
	SIGN_E_SIGNERS,		/* not exactly one SignerInfo */
	SIGN_E_GOST,		/* Kazakh GOST algorithms (OID 1.2.398.3.10.*): stock OpenSSL
				 * cannot verify them; the user must use an RSA key */
	SIGN_E_UNTRUSTED,	/* certificate does not chain to the trust anchors */
	SIGN_E_EXPIRED,		/* a certificate of the chain has expired */
	SIGN_E_NOT_YET_VALID,	/* a certificate of the chain is not valid yet */
	SIGN_E_REVOKED,		/* a certificate of the chain is on a CRL */
	SIGN_E_CRL,		/* no usable CRL (missing, expired, bad): fail closed */
	SIGN_E_PURPOSE,		/* AUTH key used to sign an action, or SIGN key to log in */
	SIGN_E_CONTENT,		/* signed content is not the expected text */
	SIGN_E_SIGNATURE,	/* cryptographically invalid */
	SIGN_E_NO_IIN,		/* subject has no serialNumber "IIN" + 12 digits */
	SIGN_E_WRONG_PERSON,	/* sign_check_person: IIN is not the expected one */
	SIGN_E_WRONG_BIN,	/* sign_check_person: BIN missing or not the expected one */
	SIGN_E_INTERNAL,	/* bad arguments (a bug in the caller) or out of memory */
	SIGN_E_DIGEST,		/* a digest other than SHA-256/384/512 in the SignerInfo
				 * (its digestAlgorithm, or the one its signatureAlgorithm
				 * names): MD5 and SHA-1 are refused */
	SIGN_E_OCSP,		/* OCSP (web/esig.c, Eds.Ocsp): no usable answer when one
				 * is required, or the responder does not know the certificate */
	SIGN_E__MAX
};

/* Stable lower-case identifiers for the codes above ("ok", "empty", "too_large",
 * "format", "signers", "gost", "untrusted", "expired", "not_yet_valid",
 * "revoked", "crl", "purpose", "content", "signature", "no_iin",
 * "wrong_person", "wrong_bin", "internal", "digest", "ocsp"). Screens use them as message keys,
 * logs print them; never renumber or rename one. */
extern const char *const sign_err_names[SIGN_E__MAX];

/* sign_err_names[e], or "internal" for a value outside the enum. Never NULL. */
const char *sign_err_name(enum sign_err e);

/* Trust anchors (root and intermediate CAs) and CRLs, as an OpenSSL X509_STORE
 * with CRL checking of the whole chain (X509_V_FLAG_CRL_CHECK |
 * X509_V_FLAG_CRL_CHECK_ALL | X509_V_FLAG_USE_DELTAS). Opaque. */
struct sign_trust;

/*
 * Builds the trust store, once per process (and again when the CRL file is
 * refreshed: load the new store, swap pointers, free the old one).
 *	ca_file   PEM file with one or more certificates (roots and
 *	          intermediates; at least one self-signed root), or one DER
 *	          certificate. Only these are trust anchors. Certificates carried
 *	          inside a CMS are used as untrusted chain candidates (to find the
 *	          signer and a path from it), never as anchors: a chain must end
 *	          at a certificate of this file, so a self-made CA attached to a
 *	          CMS proves nothing.
 *	crl_file  PEM file with one or more CRLs (full and delta), or one DER CRL.
 *	          NULL loads no CRL: every verification then fails with SIGN_E_CRL
 *	          (fail closed), which is what a deployment without CRLs must get.
 *	err       receives a one-line English reason on failure (may be NULL).
 * Returns the store, to be freed with sign_trust_free, or NULL on error
 * (unreadable file, no certificate, no self-signed root, no CRL in crl_file,
 * out of memory). CRLs are only parsed here; their dates and signatures are
 * checked at each verification, against the `now` passed to sign_verify.
 */
struct sign_trust *sign_trust_load(const char *ca_file, const char *crl_file,
    char *err, size_t errlen);

/* Frees the store. NULL is allowed. */
void sign_trust_free(struct sign_trust *t);

/* One CRL of a trust store, as sign_trust_load read it. */
struct sign_crl_info {
	char issuer[512];	/* issuer DN, RFC 2253 order, UTF-8 */
	char number[41];	/* cRLNumber as 40 upper-case hex digits, zero-padded
				 * (so strcmp orders numbers); "" when absent */
	int delta;		/* 1: a delta CRL (its numbers follow the full CRLs') */
	int verified;		/* 1: signed by a certificate of the trust anchors
				 * with that subject (only then may its number count) */
	long long last_update, next_update;	/* seconds since the epoch; 0 if absent */
};

/* The CRLs of t, in the order of the file: fills out[0..max) and returns
 * how many there are (which may be more than max). */
int sign_trust_crls(const struct sign_trust *t, struct sign_crl_info *out, int max);

/* Who signed. Filled by sign_verify: every field except `detail` only when it
 * returns SIGN_OK; on any other result they are zero/empty. Strings are UTF-8,
 * NUL-terminated; a name longer than its field is cut at a character boundary. */
struct sign_signer {
	char iin[13];		/* 12 digits, from serialNumber "IIN…" */
	char bin[13];		/* 12 digits from OU "BIN…" (employee), "" if none */
	char common_name[256];	/* CN: "SURNAME NAME" */
	char surname[128];	/* SN */
	char given_name[128];	/* CN without the leading "SURNAME ", "" if CN does not start so */
	char patronymic[128];	/* GN (NCA puts the patronymic in givenName), "" if none */
	char organization[256];	/* O for an employee, "" if none */
	char serial_hex[80];	/* certificate serial number, upper-case hex */
	char issuer[512];	/* issuer DN, RFC 2253 order, UTF-8 */
	long long not_before, not_after;	/* certificate validity, seconds since the epoch (UTC) */
	unsigned char *cert_der;	/* signer certificate, DER; malloc'd, freed by sign_signer_clear */
	size_t cert_len;
	char detail[160];	/* set on every result: a short English diagnostic for the
				 * log (OpenSSL's verify error, what mismatched); not for users */
};

/*
 * Verifies one NCALayer signature.
 *	t          trust store from sign_trust_load.
 *	cms        the CMS as received: DER, base64 (line breaks and spaces
 *	           allowed) or PEM ("CMS" or "PKCS7"); at most SIGN_MAX_INPUT bytes.
 *	           Attached (content inside) or detached (content = expected).
 *	expected   the exact bytes that must have been signed (the challenge or the
 *	           canonical action text); expected_len > 0. Compared in constant
 *	           time with attached content; used as the content when detached.
 *	purpose    SIGN_PURPOSE_AUTH to log in, SIGN_PURPOSE_ACTION to act.
 *	now        verification time, seconds since the epoch (certificate and CRL
 *	           validity are judged at this instant); 0 means the current time.
 *	out        receives the signer on SIGN_OK (see struct sign_signer); it is
 *	           overwritten without being freed, so clear it first if reused.
 *	           The caller must call sign_signer_clear(out) after every call.
 * Returns SIGN_OK or the first failing check (see enum sign_err for the order).
 * SIGN_E_INTERNAL for NULL t/cms/expected/out, expected_len 0 or out of memory.
 * A SIGN_OK result proves the key holder signed `expected`; it does not prove
 * who the session user is: call sign_check_person next.
 */
enum sign_err sign_verify(const struct sign_trust *t,
    const unsigned char *cms, size_t cms_len,
    const unsigned char *expected, size_t expected_len,
    enum sign_purpose purpose, long long now, struct sign_signer *out);

/*
 * Checks that a verified signer is the expected person.
 *	expected_iin         the session user's IIN (12 digits).
 *	expected_bin_or_null the DDO's BIN when the user acts for an organisation:
 *	                     the certificate must then be an employee's with that
 *	                     BIN. NULL: the BIN is not checked (citizen, or any key
 *	                     of the person).
 * Returns SIGN_OK, SIGN_E_WRONG_PERSON (IIN differs), SIGN_E_WRONG_BIN (no BIN
 * in the certificate, or another one), or SIGN_E_INTERNAL for NULL arguments.
 * Comparisons are constant-time on the 12 digits.
 */
enum sign_err sign_check_person(const struct sign_signer *s,
    const char *expected_iin, const char *expected_bin_or_null);

/* Frees s->cert_der and zeroes the whole struct, so it can be reused. NULL is
 * allowed; calling it twice is harmless. */
void sign_signer_clear(struct sign_signer *s);

/*
 * OCSP (RFC 6960) for a verified signer certificate. The exchange is split
 * so that the network stays out of this module: sign_ocsp_begin makes the
 * request (with a fresh nonce) for the certificate and its issuer (a
 * certificate of the trust anchors), the caller POSTs sign_ocsp_der's bytes
 * to the responder (sign_ocsp_aia's URL, or its own), and sign_ocsp_finish
 * judges the answer: a successful response, signed by the issuer or by a
 * responder it delegated (EKU OCSPSigning) and chaining to the anchors,
 * with our nonce, current (thisUpdate/nextUpdate, 5 minutes of leeway),
 * about this certificate.
 */
struct sign_ocsp;

enum sign_ocsp_status {
	SIGN_OCSP_GOOD,
	SIGN_OCSP_REVOKED,
	SIGN_OCSP_UNKNOWN,	/* the responder does not know the certificate */
	SIGN_OCSP_INVALID,	/* no usable answer: unparsable, not successful, bad
				 * signature or signer, nonce missing or wrong, stale */
	SIGN_OCSP__MAX
};
extern const char *const sign_ocsp_status_names[SIGN_OCSP__MAX];

/* The request for the certificate (DER). NULL with detail when the
 * certificate cannot be read or its issuer is not among the anchors. */
struct sign_ocsp *sign_ocsp_begin(const struct sign_trust *t, const unsigned char *cert_der, size_t cert_len,
    char *detail, size_t detlen);

/* The first OCSP URL of the certificate's Authority Information Access,
 * "" when it has none. */
const char *sign_ocsp_aia(const struct sign_ocsp *o);

/* The DER of the request, owned by o. */
const unsigned char *sign_ocsp_der(const struct sign_ocsp *o, size_t *len);

/* Judges the responder's answer (DER) at `now` (0: the current time).
 * *next_update gets the answer's nextUpdate (0 when it has none: do not
 * cache it). detail: a short English reason for the log. */
enum sign_ocsp_status sign_ocsp_finish(const struct sign_trust *t, const struct sign_ocsp *o,
    const unsigned char *resp, size_t resp_len, long long now, long long *next_update,
    char *detail, size_t detlen);

void sign_ocsp_free(struct sign_ocsp *o);

/*
 * A signature checked against the challenge it answers, as the request's
 * floor hands it to the code that records it with the change it
 * authorises: web/esig.h's esig_verify fills it (the challenge is this
 * session's, for this action and object, unused, unexpired; the CMS is
 * valid over the challenge's content with the key usage of the purpose);
 * base/sigrec.h's sigrec_store checks the person, uses the challenge and
 * stores the row, in the transaction of the change. Strings live in the
 * request's arena; signer.cert_der is malloc'd: sign_signer_clear(&signer)
 * after use, whatever err is.
 */
struct sign_proof {
	enum sign_err err;              /* SIGN_OK, or why it was refused */
	const char *msg_key;            /* lang key of the message for the person (L.Eds.*) */
	long long challenge_id;         /* the challenge answered (0 when none was found) */
	const char *purpose, *action;   /* what the challenge was for ("action", "accept") */
	long long object_id;
	const unsigned char *content;   /* the exact bytes signed: the challenge's content */
	size_t content_len;
	const char *cms;                /* the CMS as posted (base64) */
	size_t cms_len;
	struct sign_signer signer;      /* who signed (on SIGN_OK; .detail always) */
};

#endif /* KG_SIGN_H */
