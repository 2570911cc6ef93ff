/* otp.c — see otp.h. */
#include "web/otp.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "base/metrics.h"
#include "web/rate.h"
#include "base/sms.h"
#include "base/util.h"
#include "web/view.h"

const char *otp_result_key(enum otp_result res)
{
	static const char *const keys[] = {
		[OTP_OK] = "Otp.ok", [OTP_WAIT] = "Otp.wait", [OTP_LIMIT] = "Otp.limit",
		[OTP_NONE] = "Otp.none", [OTP_WRONG] = "Otp.wrong", [OTP_EXPIRED] = "Otp.expired",
		[OTP_TOO_MANY] = "Otp.too_many", [OTP_FAILED] = "Otp.failed",
	};
	return (unsigned)res < sizeof keys / sizeof keys[0] ? keys[res] : "Otp.failed";
}

/* salt (16 bytes) || SHA-256(salt || code) */
static void hash_code(const unsigned char salt[16], const char *code, unsigned char out[48])
{
	unsigned char in[16 + 8];
	size_t n = strlen(code);
	if (n > 8)
		n = 8;
	memcpy(in, salt, 16);
	memcpy(in + 16, code, n);
	memcpy(out, salt, 16);
	u_sha256(in, 16 + n, out + 16);
}

static int random_code(char out[7])
{
	unsigned int v;
	do {
		if (u_random(&v, sizeof v) < 0)
			return -1;
	} while (v >= 4294000000u); /* a multiple of 10^6: no bias */
	snprintf(out, 7, "%06u", v % 1000000u);
	return 0;
}

/* Counts a code asked for. The phone's and the IIN's own counters count
 * (and limit) only codes really sent (the pair is in БМГ): anyone can ask
 * with a victim's phone or IIN and some other number, and that must not use
 * up the victim's codes. The pair's counter counts every request, so a pair
 * not in БМГ meets its limit exactly as one in it would, and the address's
 * counter too (a ceiling on what one address makes the service write). */
static int count_issue(int deliver, const char *kp, const char *ki, const char *kpair, const char *kip)
{
	if (deliver && (rate_add(kp) < 0 || rate_add(ki) < 0))
		return -1;
	return rate_add(kpair) < 0 || rate_add(kip) < 0 ? -1 : 0;
}

/* The keys of the wait between codes: per purpose, for the session and
 * for the pair (a code to log in does not delay the contract's). */
static void wait_keys(struct req *r, const char *purpose, const char *phone, const char *iin, char ks[64],
		      char kw[96])
{
	snprintf(ks, 64, "otp:sess:%s:%lld", purpose, r->s->id);
	snprintf(kw, 96, "otp:wait:%s:%s:%s", purpose, phone ? phone : "", iin ? iin : "");
}

long long otp_wait(struct req *r, const char *purpose, const char *phone, const char *iin)
{
	if (!r->s)
		return 0;
	char ks[64], kw[96];
	wait_keys(r, purpose, phone, iin, ks, kw);
	long long since = rate_since_last(ks);
	if (phone && iin) {
		long long since_pair = rate_since_last(kw);
		if (since_pair < since)
			since = since_pair;
	}
	long long left = conf_int("Otp.ResendSeconds", 60) - since;
	return left > 0 ? left : 0;
}

enum otp_result otp_issue(struct req *r, const char *purpose, const char *phone, const char *iin, int deliver,
			  long long *wait)
{
	long long ttl = conf_int("Otp.TtlSeconds", 300), resend = conf_int("Otp.ResendSeconds", 60);
	long long per_hour = conf_int("Otp.MaxPerHour", 5), per_ip = conf_int("Otp.MaxPerHourIp", 100);
	*wait = 0;
	if (!r->s)
		return OTP_FAILED;
	char kp[48], ki[48], kpair[72], kip[80], ks[64], kw[96];
	wait_keys(r, purpose, phone, iin, ks, kw);
	snprintf(kp, sizeof kp, "otp:phone:%s", phone);
	snprintf(ki, sizeof ki, "otp:iin:%s", iin);
	snprintf(kpair, sizeof kpair, "otp:pair:%s:%s", phone, iin);
	snprintf(kip, sizeof kip, "otp:ip:%s", r->ip ? r->ip : "");
	if (db_begin() < 0)
		return OTP_FAILED;
	/* Every answer below depends only on what the asker did with this pair
	 * and address, or (for a pair in БМГ) on codes really sent: never on
	 * whether another pair is in БМГ, so the answers tell nothing. The wait
	 * is per purpose: a code to log in does not delay the contract's. */
	long long left = otp_wait(r, purpose, phone, iin);
	if (left > 0) {
		db_rollback();
		*wait = left;
		return OTP_WAIT;
	}
	if (rate_over(kpair, 3600, per_hour) || rate_over(kip, 3600, per_ip) ||
	    (deliver && (rate_over(kp, 3600, per_hour) || rate_over(ki, 3600, per_hour)))) {
		db_rollback();
		return OTP_LIMIT;
	}
	char code[7];
	unsigned char salt[16], h[48];
	if (random_code(code) < 0 || u_random(salt, sizeof salt) < 0) {
		db_rollback();
		return OTP_FAILED;
	}
	if (deliver) {
		hash_code(salt, code, h);
	} else if (u_random(h, sizeof h) < 0) { /* nobody can know a code for this */
		db_rollback();
		return OTP_FAILED;
	}
	long long now = u_now();
	/* A new code replaces the session's earlier ones of the purpose. */
	db_exec("UPDATE otp SET used_at = ? WHERE session_id = ? AND purpose = ? AND used_at IS NULL", "IIt", now,
		r->s->id, purpose);
	if (db_exec("INSERT INTO otp(phone, iin, purpose, code_hash, session_id, created_at, expires_at) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?)",
		    "tttbIII", phone, iin, purpose, h, 48, r->s->id, now, now + ttl) != SQLITE_DONE ||
	    count_issue(deliver, kp, ki, kpair, kip) < 0 || rate_add(ks) < 0 || rate_add(kw) < 0) {
		db_rollback();
		return OTP_FAILED;
	}
	if (db_commit() < 0)
		return OTP_FAILED;
	*wait = resend;
	if (!deliver)
		return OTP_OK;
	/* The message in the request's language: "... {code} ...". */
	const char *tpl = view_t(r, strcmp(purpose, "sign") == 0 ? "Otp.sms_sign" : "Otp.sms_login");
	struct buf text = {0};
	const char *at = strstr(tpl, "{code}");
	if (at) {
		buf_add(&text, tpl, (size_t)(at - tpl));
		buf_adds(&text, code);
		buf_adds(&text, at + 6);
	} else {
		buf_printf(&text, "%s %s", tpl, code);
	}
	int rc = text.s ? sms_send(phone, text.s) : -1;
	if (rc == 0)
		met_add(MET_OTP_SENT, 1);
	buf_free(&text);
	memset(code, 0, sizeof code);
	return rc == 0 ? OTP_OK : OTP_FAILED;
}

enum otp_result otp_check(struct req *r, const char *purpose, const char *code, char phone[13], char iin[13],
			  long long *left)
{
	long long maxatt = conf_int("Otp.MaxAttempts", 5);
	*left = 0;
	if (!r->s)
		return OTP_NONE;
	if (db_begin() < 0)
		return OTP_FAILED;
	sqlite3_stmt *st = db_query("SELECT id, phone, iin, code_hash, expires_at, attempts FROM otp "
				    "WHERE session_id = ? AND purpose = ? AND used_at IS NULL "
				    "ORDER BY id DESC LIMIT 1",
				    "It", r->s->id, purpose);
	if (!db_row(st)) {
		db_done(st);
		db_rollback();
		return OTP_NONE;
	}
	long long id = sqlite3_column_int64(st, 0);
	char p[13], i[13];
	snprintf(p, sizeof p, "%s", db_col(st, 1));
	snprintf(i, sizeof i, "%s", db_col(st, 2));
	unsigned char stored[48] = {0};
	if (sqlite3_column_bytes(st, 3) == 48)
		memcpy(stored, sqlite3_column_blob(st, 3), 48);
	long long expires = sqlite3_column_int64(st, 4), attempts = sqlite3_column_int64(st, 5);
	db_done(st);
	enum otp_result res;
	if (u_now() >= expires) {
		res = OTP_EXPIRED;
	} else if (attempts >= maxatt) {
		res = OTP_TOO_MANY;
	} else {
		unsigned char h[48];
		int well_formed = strlen(code) == 6 && strspn(code, "0123456789") == 6;
		hash_code(stored, well_formed ? code : "x", h);
		int same = well_formed && CRYPTO_memcmp(h + 16, stored + 16, 32) == 0;
		if (same) {
			db_exec("UPDATE otp SET used_at = ? WHERE id = ?", "II", u_now(), id);
			snprintf(phone, 13, "%s", p);
			snprintf(iin, 13, "%s", i);
			res = OTP_OK;
		} else {
			db_exec("UPDATE otp SET attempts = attempts + 1 WHERE id = ?", "I", id);
			*left = maxatt - attempts - 1;
			res = *left > 0 ? OTP_WRONG : OTP_TOO_MANY;
		}
	}
	if (db_commit() < 0)
		return OTP_FAILED;
	return res;
}
