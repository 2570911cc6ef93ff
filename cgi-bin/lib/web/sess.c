/* sess.c — see sess.h. */
#include "web/sess.h"

#include <stdio.h>
#include <string.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"

#define COOKIE "kg_sid"
/* How long a logged-in session's row outlives its end (sess_purge). */
#define ENDED_KEPT (24 * 3600)

static long long idle_limit(long long account_id)
{
	return account_id ? conf_int("Session.IdleMinutes", 30) * 60 : conf_int("Session.AnonIdleMinutes", 120) * 60;
}

static void token_hash(const char *token, unsigned char h[32]) { u_sha256(token, strlen(token), h); }

/* src into dst of n bytes, cut at n - 1 (as snprintf "%s" would, at
 * a tenth of its cost: eight fields on every logged-in request). */
static void copy(char *dst, size_t n, const char *src)
{
	size_t len = src ? strnlen(src, n - 1) : 0;
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

/* The cookie names no valid session: the browser is told to drop it. */
static void ended(struct req *r, enum sess_end why)
{
	r->session_expired = why;
	req_cookie(r, COOKIE, "x", 0);
}

/* A language kept for an account: "kk", "ru", or NULL for anything else. */
static const char *lang_known(const char *l)
{
	return strcmp(l, "kk") == 0 ? "kk" : strcmp(l, "ru") == 0 ? "ru" : NULL;
}

void sess_load(struct req *r)
{
	r->s = NULL;
	r->session_expired = SESS_LIVE;
	const char *tok = hdf_get_value(r->hdf, "Cookie." COOKIE, NULL);
	if (!tok)
		return;
	if (strlen(tok) != 43) {
		ended(r, SESS_GONE);
		return;
	}
	unsigned char h[32];
	token_hash(tok, h);
	sqlite3_stmt *st = db_query(
		"SELECT s.id, s.account_id, s.csrf, s.created_at, s.seen_at, s.expires_at, "
		"       coalesce(s.auth_method, ''), coalesce(s.otp_phone, ''), "
		"       a.roles, a.iin, a.surname, a.name, a.patronymic, a.active "
		"FROM session s LEFT JOIN account a ON a.id = s.account_id WHERE s.token_hash = ?",
		"b", h, 32);
	if (!db_row(st)) {
		db_done(st);
		ended(r, SESS_GONE);
		return;
	}
	long long now = u_now();
	struct sess *s = arena_alloc(r->a, sizeof *s);
	s->id = sqlite3_column_int64(st, 0);
	s->account_id = sqlite3_column_int64(st, 1);
	copy(s->csrf, sizeof s->csrf, db_col(st, 2));
	s->created_at = sqlite3_column_int64(st, 3);
	s->seen_at = sqlite3_column_int64(st, 4);
	s->expires_at = sqlite3_column_int64(st, 5);
	copy(s->auth_method, sizeof s->auth_method, db_col(st, 6));
	copy(s->otp_phone, sizeof s->otp_phone, db_col(st, 7));
	s->roles = (unsigned)sqlite3_column_int(st, 8);
	copy(s->iin, sizeof s->iin, db_col(st, 9));
	copy(s->surname, sizeof s->surname, db_col(st, 10));
	copy(s->name, sizeof s->name, db_col(st, 11));
	copy(s->patronymic, sizeof s->patronymic, db_col(st, 12));
	int active = s->account_id ? sqlite3_column_int(st, 13) : 1;
	db_done(st);
	enum sess_end why = !active                                       ? SESS_GONE
			    : now >= s->expires_at                        ? SESS_MAX
			    : now - s->seen_at > idle_limit(s->account_id) ? SESS_IDLE
									   : SESS_LIVE;
	if (why != SESS_LIVE) {
		db_exec("DELETE FROM session WHERE id = ?", "I", s->id);
		ended(r, s->account_id ? why : SESS_ANON);
		return;
	}
	if (now - s->seen_at >= 60)
		db_exec("UPDATE session SET seen_at = ? WHERE id = ?", "II", now, s->id);
	r->s = s;
}

int sess_lang_set(struct req *r, const char *lang)
{
	if (!r->s || !r->s->account_id || !lang_known(lang))
		return -1;
	if (db_exec("UPDATE account SET lang = ? WHERE id = ? AND lang <> ?", "tIt", lang, r->s->account_id, lang) !=
	    SQLITE_DONE)
		return -1;
	copy(r->s->lang, sizeof r->s->lang, lang);
	r->lang = lang_known(lang);
	return 0;
}

/* At login: the account's language wins over the page's, and becomes the
 * lang cookie's (which every later page follows, and a switch changes with
 * the account); an account without one keeps the page's. */
static void login_lang(struct req *r)
{
	if (lang_known(r->s->lang)) {
		r->lang = lang_known(r->s->lang);
		req_cookie(r, "lang", r->lang, 365LL * 86400);
	} else if (sess_lang_set(r, r->lang) < 0) {
		log_warn("the language of account %lld could not be kept", r->s->account_id);
	}
}

static int create(struct req *r, long long account_id, const char *method, const char *otp_phone)
{
	char tok[44], csrf[44];
	if (u_token(tok) < 0 || u_token(csrf) < 0)
		return -1;
	unsigned char h[32];
	token_hash(tok, h);
	long long now = u_now();
	long long expires = now + conf_int("Session.MaxHours", 12) * 3600;
	int rc = db_exec("INSERT INTO session(token_hash, account_id, csrf, auth_method, otp_phone, district_id, "
			 "created_at, seen_at, expires_at, ip) VALUES (?, NULLIF(?, 0), ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?)",
			 "bItttiIIIt", h, 32, account_id ? account_id : 0LL, csrf, method, otp_phone,
			 r->district, now, now, expires, r->ip ? r->ip : "");
	if (rc != SQLITE_DONE)
		return -1;
	long long id = db_last_id();
	struct sess *s = arena_alloc(r->a, sizeof *s);
	s->id = id;
	s->account_id = account_id;
	copy(s->csrf, sizeof s->csrf, csrf);
	s->created_at = s->seen_at = now;
	s->expires_at = expires;
	copy(s->auth_method, sizeof s->auth_method, method);
	copy(s->otp_phone, sizeof s->otp_phone, otp_phone);
	if (account_id) {
		sqlite3_stmt *st = db_query("SELECT roles, iin, surname, name, patronymic, lang FROM account WHERE id = ?",
					    "I", account_id);
		if (db_row(st)) {
			s->roles = (unsigned)sqlite3_column_int(st, 0);
			copy(s->iin, sizeof s->iin, db_col(st, 1));
			copy(s->surname, sizeof s->surname, db_col(st, 2));
			copy(s->name, sizeof s->name, db_col(st, 3));
			copy(s->patronymic, sizeof s->patronymic, db_col(st, 4));
			copy(s->lang, sizeof s->lang, db_col(st, 5));
		}
		db_done(st);
	}
	r->s = s;
	if (account_id)
		login_lang(r);
	/* A session cookie: gone when the browser closes; the server's expiry holds anyway. */
	req_cookie(r, COOKIE, tok, -1);
	return 0;
}

int sess_ensure(struct req *r)
{
	if (r->s)
		return 0;
	long long max = conf_int("Session.AnonPerMinute", 600);
	if (max > 0 && r->ip && *r->ip) {
		long long n = db_int("SELECT count(*) FROM (SELECT 1 FROM session WHERE ip = ? AND account_id IS NULL "
				     "AND created_at > ? LIMIT ?)", -1, "tII", r->ip, u_now() - 60, max);
		if (n < 0)
			return -1;
		if (n >= max) {
			log_warn("anonymous sessions from %s: %lld in a minute, refused", r->ip, n);
			return SESS_LIMITED;
		}
	}
	return create(r, 0, NULL, NULL);
}

int sess_login(struct req *r, long long account_id, const char *method, const char *otp_phone)
{
	if (r->s)
		db_exec("DELETE FROM session WHERE id = ?", "I", r->s->id);
	r->s = NULL;
	return create(r, account_id, method, otp_phone);
}

void sess_logout(struct req *r)
{
	if (r->s)
		db_exec("DELETE FROM session WHERE id = ?", "I", r->s->id);
	r->s = NULL;
	req_cookie(r, COOKIE, "x", 0);
}

int sess_purge(long long now)
{
	long long idle = conf_int("Session.IdleMinutes", 30) * 60;
	long long anon = conf_int("Session.AnonIdleMinutes", 120) * 60;
	int rc = db_exec("DELETE FROM session WHERE (account_id IS NULL AND (expires_at <= ? OR seen_at < ?)) "
			 "OR (account_id IS NOT NULL AND (expires_at <= ? OR seen_at < ?))",
			 "IIII", now, now - anon, now - ENDED_KEPT, now - idle - ENDED_KEPT);
	return rc == SQLITE_DONE ? db_changes() : -1;
}

const char *sess_role_name(unsigned bit)
{
	switch (bit) {
	case ROLE_STAFF: return "staff";
	case ROLE_REVIEWER: return "reviewer";
	case ROLE_SUPPORT: return "support";
	default: return "citizen";
	}
}
