/*
 * otp.h — one-time codes sent by SMS: to log in (phone + IIN in БМГ) and
 * to confirm a signature by a citizen who logged in with a code (the
 * contract).
 *
 * A code is 6 random digits, stored only as a salted SHA-256, bound to the
 * session that asked for it, valid Otp.TtlSeconds (300), with
 * Otp.MaxAttempts (5) tries; a new one may be asked Otp.ResendSeconds (60)
 * after the last of the same purpose in the session or for the pair (a
 * parent who just logged in by code may ask for the contract's code at
 * once); in an hour at most Otp.MaxPerHour requests per pair of
 * phone and IIN, Otp.MaxPerHour codes sent per phone and per IIN (only
 * pairs in БМГ count there, so that nobody can use up a victim's codes by
 * asking with the victim's phone and made-up IINs) and Otp.MaxPerHourIp
 * requests per client address (a ceiling set for a shared address).
 *
 * So that the answer never tells whether a phone and IIN are in БМГ, the
 * login screen calls otp_issue with deliver = 0 for a pair that is not:
 * limits, throttling, attempts and expiry behave exactly the same, but the
 * stored code is random bytes that nobody was told. Prefix otp_.
 */
#ifndef KG_OTP_H
#define KG_OTP_H

#include "web/req.h"

enum otp_result {
	OTP_OK,        /* sent (or pretended), or the code is right */
	OTP_WAIT,      /* asked again too soon: *wait seconds left */
	OTP_LIMIT,     /* too many codes for this phone, IIN or address this hour */
	OTP_NONE,      /* no live code in this session: ask for one */
	OTP_WRONG,     /* the code is not right (attempts left) */
	OTP_EXPIRED,   /* the code has expired: ask for a new one */
	OTP_TOO_MANY,  /* no attempts left: ask for a new one */
	OTP_FAILED,    /* the SMS gateway or the database failed */
};

/* Lang key of a result: Otp.ok, Otp.wait, Otp.limit, ... */
const char *otp_result_key(enum otp_result res);

/* Makes a code for (purpose "login" or "sign", phone +7 and ten digits, iin)
 * in the request's session (which must exist) and sends it by SMS in the
 * request's language (deliver = 1). *wait gets the seconds until a new
 * code may be asked (on OTP_OK and OTP_WAIT). Runs its own transaction. */
enum otp_result otp_issue(struct req *r, const char *purpose, const char *phone, const char *iin, int deliver,
			  long long *wait);

/* Seconds until a code of purpose may be asked again in the request's
 * session or for the pair phone/iin (NULL: the session only); 0: now. */
long long otp_wait(struct req *r, const char *purpose, const char *phone, const char *iin);

/* Checks a code against the session's newest code of purpose. On OTP_OK
 * the code is used up and phone/iin get its pair. On OTP_WRONG *left gets
 * the attempts left. Runs its own transaction. */
enum otp_result otp_check(struct req *r, const char *purpose, const char *code, char phone[13], char iin[13],
			  long long *left);

#endif
