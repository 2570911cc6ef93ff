/*
 * sess.h — sessions and CSRF tokens.
 *
 * The cookie `kg_sid` carries a random 256-bit token; the database keeps
 * only its SHA-256. Each session has its own CSRF token, put in every form
 * by the layout (hidden field `csrf`) and checked by the request loop on
 * every POST. Sessions expire after Session.IdleMinutes without a request
 * and Session.MaxHours after they began; an anonymous session (made so a
 * visitor's form can carry a CSRF token) lives Session.AnonIdleMinutes.
 * Logging in rotates the session (a new token); logging out deletes it.
 * A logged-in session that ended stays a day (sess_purge), so that its
 * cookie, when it comes back, is told why it ended (enum sess_end).
 * Logging in puts the page, and the lang cookie, in the account's language
 * (account.lang) when it has one. Prefix sess_.
 */
#ifndef KG_SESS_H
#define KG_SESS_H

#include "web/http.h"

/* The logged-in account (or anonymous session) of the request (r->s). */
struct sess {
	long long id;          /* session row */
	long long account_id;  /* 0 when anonymous */
	unsigned roles;
	char csrf[44];
	char iin[13];
	char surname[128], name[128], patronymic[128];
	char auth_method[12];
	char otp_phone[20];
	char lang[4];          /* the account's language: "kk", "ru" or "" (none kept); read at login */
	long long created_at, seen_at, expires_at;
};

/* Why the session a cookie names is no longer valid (r->session_expired;
 * SESS_LIVE: it is, or no cookie came). */
enum sess_end {
	SESS_LIVE,
	SESS_GONE,        /* no such session (a malformed cookie, a purged or rotated row) */
	SESS_IDLE,        /* logged in, and no request for Session.IdleMinutes */
	SESS_MAX,         /* logged in more than Session.MaxHours ago */
	SESS_ANON,        /* an anonymous session (a visitor's form) that expired */
	SESS_END__MAX
};

/* Loads the session named by the cookie into r->s (NULL when none or
 * expired; r->session_expired tells the latter, an enum sess_end). Touches
 * seen_at at most once a minute. */
void sess_load(struct req *r);
/* Keeps lang ("kk" or "ru") as the logged-in person's language. 0 or -1. */
int sess_lang_set(struct req *r, const char *lang);
/* Makes sure r->s exists (anonymous session when needed). 0, -1, or
 * SESS_LIMITED when the client's address has started Session.AnonPerMinute
 * anonymous sessions in the last minute (the web server's own limit may be
 * missing, as with Apache: the table must not fill from one address). */
#define SESS_LIMITED (-2)
int sess_ensure(struct req *r);
/* Starts a logged-in session for the account, replacing the current one
 * (rotation). method: "password", "eds" or "otp"; otp_phone for "otp".
 * The account's language becomes the page's (and the lang cookie's); an
 * account without one keeps the page's. Writes inside the caller's
 * transaction if one is open. 0 or -1. */
int sess_login(struct req *r, long long account_id, const char *method, const char *otp_phone);
/* Ends the session on the server and clears the cookie. */
void sess_logout(struct req *r);
/* Deletes expired sessions (called by `kgctl tick`): anonymous ones at
 * once, logged-in ones a day after they ended. Returns the count. */
int sess_purge(long long now);
/* Role name of the current session for history rows: the highest role the
 * route needs; "citizen" by default. */
const char *sess_role_name(unsigned role_bit);

#endif
