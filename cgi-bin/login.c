/*
 * login — the ways into the personal cabinet (seed 000 section 1, seed 003
 * «Авторизация») and out of it.
 *
 *   GET  /login                  the tabs По ИИН | По ЭЦП | По одноразовому коду
 *                                (?tab=iin|eds|otp, ?next=<local path>, ?expired=1)
 *   POST /login/password         IIN + password (staff, reviewers, support, citizens
 *                                who have one); failures limited per account and
 *                                address and per address with a growing delay
 *   GET  /login/password         after a one-time password from support
 *   POST /login/password/change  (account.pw_must_change): choose one's own
 *                                password; only then is there a session
 *   POST /login/eds              the CMS NCALayer made over the session's
 *                                challenge (AUTH key) -> the owner's IIN and name
 *                                are shown (figure 7) with «Войти» and «Отмена»
 *   POST /login/eds/confirm      «Войти»: the account of the certificate's IIN
 *                                (a citizen without one gets it from the certificate)
 *   POST /login/eds/cancel       «Отмена»
 *   POST /login/otp              phone + IIN -> a code by SMS when the pair is in
 *                                БМГ; the answer is the same when it is not
 *   POST /login/otp/resend       a new code (after Otp.ResendSeconds)
 *   POST /login/otp/code         the code -> the citizen's account (made with the
 *                                IIN and phone only on the first login by code)
 *   POST /logout                 ends the session on the server
 *
 * Every login success and refusal writes an audit row (action "login",
 * outcome "ok" or the refusal code, IIN masked). The session is rotated
 * at login (sess_login), and the visitor returns to `next`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/account.h"
#include "domain/audit.h"
#include "base/auth.h"
#include "domain/bmg.h"
#include "base/conf.h"
#include "base/db.h"
#include "web/esig.h"
#include "base/log.h"
#include "base/sigrec.h"
#include "web/otp.h"
#include "web/rate.h"
#include "web/req.h"
#include "web/sess.h"
#include "base/sms.h"
#include "web/val.h"
#include "web/view.h"

/* Argon2id of a random password nobody knows: checked when the IIN has no
 * account or no password, so a refusal costs the same time either way. */
static char dummy_hash[AUTH_HASH_MAX];

static int init(void)
{
	/* Codes leave after the response: its timing must not tell whether the
	 * pair is in БМГ (a code is only sent when it is). */
	sms_defer(1);
	char pw[24];
	if (auth_random_password(pw, sizeof pw) < 0 || auth_hash_password(pw, dummy_hash) < 0)
		return -1;
	return 0;
}

/* ---- small helpers ---- */

static const char *esc(struct req *r, const char *s)
{
	char *e = NULL;
	NEOERR *err = cgi_url_escape(s, &e);
	if (err) {
		nerr_ignore(&err);
		return "";
	}
	const char *out = arena_strdup(r->a, e);
	free(e);
	return out ? out : "";
}

/* The page to return to: a local path that is not the login itself. */
static const char *next_of(struct req *r)
{
	static const struct vfield f = {"next", V_TEXT, 0, 0, 500, NULL};
	struct vval v;
	if (val_one(r, &f, req_param(r, "next"), &v) || !v.present || !req_local_path_ok(v.s))
		return "";
	if (strncmp(v.s, "/login", 6) == 0 || strncmp(v.s, "/logout", 7) == 0)
		return "";
	return v.s;
}

static const char *home_of(unsigned roles)
{
	if (roles & ROLE_SUPPORT)
		return "/admin";
	if (roles & ROLE_STAFF)
		return "/cabinet";
	if (roles & ROLE_REVIEWER)
		return "/review";
	return "/";
}

static const char *login_url(struct req *r, const char *tab, const char *next)
{
	return arena_printf(r->a, "/login?tab=%s%s%s", tab, *next ? "&next=" : "", *next ? esc(r, next) : "");
}

static void masked_iin(const char *iin, char out[13]) { u_mask_iin(iin, out); }

/* The raw value when it is 12 digits (so it can be masked in the audit). */
static const char *digits12(const char *s)
{
	return s && strlen(s) == 12 && strspn(s, "0123456789") == 12 ? s : NULL;
}

/* An audit row of a login attempt (its own transaction unless one is open). */
static void audit_login(struct req *r, const char *method, long long account_id, const char *outcome,
			const char *iin, const char *extra)
{
	char m[13] = "";
	if (iin && *iin)
		masked_iin(iin, m);
	char d[256];
	snprintf(d, sizeof d, "method=%s%s%s%s%s", method, *m ? " iin=" : "", m, extra && *extra ? " " : "",
		 extra ? extra : "");
	audit_act(req_actor(r, 0), "login", "account", account_id, outcome, d);
}

static long long pending_ttl(void) { return conf_int("Login.PendingSeconds", 600); }

/* ---- the page ---- */

/* The one-time code this session asked for last (if any): fills the view. */
static int otp_state(struct req *r)
{
	if (!r->s)
		return 0;
	sqlite3_stmt *st = db_query("SELECT phone, expires_at FROM otp WHERE session_id = ? AND purpose = 'login' "
				    "AND used_at IS NULL ORDER BY id DESC LIMIT 1",
				    "I", r->s->id);
	int live = 0;
	if (db_row(st)) {
		char pm[20];
		u_mask_phone(db_col(st, 0), pm);
		view_set(r, "Login.otp.phone", pm);
		live = 1;
	}
	db_done(st);
	if (!live)
		return 0;
	long long wait = otp_wait(r, "login", NULL, NULL);
	view_set_int(r, "Login.otp.wait", wait);
	view_set(r, "Login.otp.sent_text", view_tf(r, "Login.otp_sent", "phone", hdf_get_value(r->hdf, "Login.otp.phone", "")));
	char n[24];
	snprintf(n, sizeof n, "%lld", wait > 0 ? wait : 0);
	view_set(r, "Login.otp.wait_text", view_tf(r, "Login.otp_resend_in", "n", n));
	return 1;
}

/* The verified certificate waiting for «Войти» (figure 7). */
static int eds_pending(struct req *r)
{
	if (!r->s)
		return 0;
	sqlite3_stmt *st = db_query("SELECT iin, surname, name, patronymic, organization "
				    "FROM login_pending WHERE session_id = ? AND kind = 'eds' AND created_at > ?",
				    "II", r->s->id, u_now() - pending_ttl());
	char iin[13] = "";
	int found = 0;
	if (db_row(st)) {
		found = 1;
		snprintf(iin, sizeof iin, "%s", db_col(st, 0));
		view_set(r, "Login.eds.iin", iin);
		view_setf(r, "Login.eds.name", "%s %s%s%s", db_col(st, 1), db_col(st, 2), *db_col(st, 3) ? " " : "",
			  db_col(st, 3));
		view_set(r, "Login.eds.org", db_col(st, 4));
	}
	db_done(st);
	if (!found)
		return 0;
	struct acct a;
	int known = acct_find(iin, &a);
	if (known == 0)
		view_set(r, "Login.eds.new", "1");
	else if (known > 0 && !a.active)
		view_set(r, "Login.eds.inactive", "1");
	return 1;
}

/* ?expired=1 (the session ended after Session.IdleMinutes without a
 * request) or 2 (after Session.MaxHours): the page says so, with the
 * real limit (web/req.c sends them here). */
static void expired_notice(struct req *r)
{
	const char *exp = req_param(r, "expired");
	if (exp && (strcmp(exp, "1") == 0 || strcmp(exp, "2") == 0))
		view_set(r, "Login.expired", req_session_end_text(r, strcmp(exp, "2") == 0 ? SESS_MAX : SESS_IDLE));
}

enum tab { T_IIN, T_EDS, T_OTP, T__MAX };
static const char *const tab_names[] = {"iin", "eds", "otp", NULL};

static int page(struct req *r, enum tab tab)
{
	const char *next = next_of(r);
	view_set(r, "Login.tab", tab_names[tab]);
	view_set(r, "Login.next", next);
	for (int t = 0; t < T__MAX; t++) {
		char k[32];
		snprintf(k, sizeof k, "Login.href.%s", tab_names[t]);
		view_set(r, k, login_url(r, tab_names[t], next));
	}
	expired_notice(r);
	if (tab == T_EDS && !eds_pending(r)) {
		char nonce[44];
		const char *content = r->s ? esig_challenge(r, "auth", "login", 0, NULL, nonce) : NULL;
		if (!content)
			return REQ_ERROR;
		esig_view(r, "Login.sign", content, nonce);
	}
	if (tab == T_OTP) {
		const char *step = req_param(r, "step");
		int live = otp_state(r);
		if (live && !(step && strcmp(step, "phone") == 0))
			view_set(r, "Login.otp.step", "code");
	}
	view_set(r, "Page.scripts.0", "/js/ncalayer.js");
	view_set(r, "Page.scripts.1", "/js/countdown.js");
	return view_render(r, "login.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int show(struct req *r)
{
	const char *t = req_param(r, "tab");
	enum tab tab = T_EDS;
	for (int i = 0; t && i < T__MAX; i++)
		if (strcmp(t, tab_names[i]) == 0)
			tab = (enum tab)i;
	return page(r, tab);
}

/* Re-renders a tab with a message at the top (status 422 unless given). */
static int refuse(struct req *r, enum tab tab, int status, const char *text)
{
	r->status = status;
	view_set(r, "Msg.error", text);
	return page(r, tab);
}

/* Logs the account in (rotation), inside an open transaction together with
 * the audit row, and sends the visitor on. */
static int finish(struct req *r, long long account_id, const char *method, const char *otp_phone,
		  const char *iin, const char *next)
{
	if (sess_login(r, account_id, method, otp_phone) < 0) {
		db_rollback();
		return REQ_ERROR;
	}
	audit_login(r, method, account_id, "ok", iin, NULL);
	if (db_commit() < 0)
		return REQ_ERROR;
	return req_redirect(r, *next ? next : home_of(r->s->roles));
}

/* ---- По ИИН ---- */

enum { P_IIN, P_PASSWORD, P__MAX };
static const struct vfield pw_fields[P__MAX] = {
	[P_IIN] = {"iin", V_IIN, VF_REQUIRED, 0, 0, NULL},
	[P_PASSWORD] = {"password", V_TEXT, VF_REQUIRED, 1, AUTH_PASSWORD_MAX, NULL},
};

/* Seconds the key must still wait: none below max failures in the window,
 * then Login.DelaySeconds doubling with every further failure (at most the
 * window). */
static long long throttle_left(const char *key, long long max, long long window)
{
	long long n = rate_count(key, window);
	if (n < max)
		return 0;
	long long delay = conf_int("Login.DelaySeconds", 30);
	for (long long i = max; i < n && delay < window; i++)
		delay *= 2;
	if (delay > window)
		delay = window;
	long long left = delay - rate_since_last(key);
	return left > 0 ? left : 0;
}

/* The rate keys of a password login: failures of the account from this
 * address (ka), failures from this address whatever the account (kip),
 * and the account's logins from this address (kok). Failures are counted
 * per account and address, never per account alone: a per-account count
 * would let anyone who knows an IIN keep its owner out with a few wrong
 * passwords a quarter of an hour. */
static void pw_keys(struct req *r, const char *iin, char ka[112], char kip[80], char kok[112])
{
	const char *ip = r->ip ? r->ip : "";
	snprintf(ka, 112, "login:iin:%s:%s", iin, ip);
	snprintf(kip, 80, "login:ip:%s", ip);
	snprintf(kok, 112, "login:ok:%s:%s", iin, ip);
}

static int password_login(struct req *r)
{
	struct vval v[P__MAX];
	const char *next = next_of(r);
	if (val_form(r, pw_fields, P__MAX, v) > 0) {
		/* A malformed IIN gets its own message at the field. */
		audit_login(r, "password", 0, v[P_IIN].err ? "iin_malformed" : "incomplete",
			    digits12(req_param(r, "iin")), NULL);
		r->status = 422;
		return page(r, T_IIN);
	}
	const char *iin = v[P_IIN].s;
	long long window = conf_int("Auth.FailureWindowMinutes", 15) * 60;
	char ka[112], kip[80], kok[112];
	pw_keys(r, iin, ka, kip, kok);
	long long left = throttle_left(ka, conf_int("Auth.MaxFailures", 5), window);
	/* The address's limit (one address trying many accounts) does not hold
	 * up an account that logged in from there within the day: people
	 * behind one office or carrier address are not refused because of
	 * someone else's guesses. */
	long long lip = rate_count(kok, 86400) > 0 ? 0 : throttle_left(kip, conf_int("Login.MaxFailuresIp", 20), window);
	if (lip > left)
		left = lip;
	if (left > 0) {
		audit_login(r, "password", 0, "throttled", iin, NULL);
		char n[24];
		snprintf(n, sizeof n, "%lld", left);
		req_header(r, "Retry-After", n);
		return refuse(r, T_IIN, 429, view_tf(r, "Login.throttled", "n", n));
	}
	struct acct a;
	int found = acct_find(iin, &a);
	if (found < 0)
		return REQ_ERROR;
	long long id = found ? a.id : 0;
	int has_pw = found && *a.pw_hash;
	int ok = auth_check_password(has_pw ? a.pw_hash : dummy_hash, v[P_PASSWORD].s) && has_pw;
	if (!ok) {
		if (db_begin() < 0)
			return REQ_ERROR;
		if (rate_add(ka) < 0 || rate_add(kip) < 0) {
			db_rollback();
			return REQ_ERROR;
		}
		audit_login(r, "password", id, !id ? "unknown_iin" : !has_pw ? "no_password" : "wrong_password", iin,
			    NULL);
		if (db_commit() < 0)
			return REQ_ERROR;
		view_set(r, "Query.password", "");
		return refuse(r, T_IIN, 422, view_t(r, "Login.bad_credentials"));
	}
	if (!a.active) {
		audit_login(r, "password", id, "disabled", iin, NULL);
		return refuse(r, T_IIN, 403, view_t(r, "Login.disabled"));
	}
	if (db_begin() < 0)
		return REQ_ERROR;
	rate_clear(ka);
	rate_add(kok);
	if (a.pw_must_change) {
		/* The one-time password was right: a session only after the change. */
		if (db_exec("DELETE FROM login_pending WHERE session_id = ?", "I", r->s->id) != SQLITE_DONE ||
		    db_exec("INSERT INTO login_pending(session_id, kind, account_id, iin, created_at) "
			    "VALUES (?, 'password', ?, ?, ?)",
			    "IItI", r->s->id, id, iin, u_now()) != SQLITE_DONE) {
			db_rollback();
			return REQ_ERROR;
		}
		audit_login(r, "password", id, "must_change_password", iin, NULL);
		if (db_commit() < 0)
			return REQ_ERROR;
		return req_redirect(r, *next ? arena_printf(r->a, "/login/password?next=%s", esc(r, next))
					     : "/login/password");
	}
	return finish(r, id, "password", NULL, iin, next);
}

/* The account waiting to choose its password (this session's; still
 * active and still bound to change it) into *a: its id, or 0. */
static long long pw_pending(struct req *r, struct acct *a)
{
	if (!r->s)
		return 0;
	long long id = db_int("SELECT account_id FROM login_pending "
			      "WHERE session_id = ? AND kind = 'password' AND created_at > ?",
			      0, "II", r->s->id, u_now() - pending_ttl());
	if (!id || acct_get(id, a) <= 0 || !a->pw_must_change || !a->active)
		return 0;
	return id;
}

static int pw_page(struct req *r)
{
	struct acct a;
	if (!pw_pending(r, &a))
		return req_redirect(r, login_url(r, "iin", next_of(r)));
	char m[13];
	masked_iin(a.iin, m);
	view_set(r, "Login.pw.iin", m);
	view_set(r, "Login.next", next_of(r));
	view_set_int(r, "Login.pw.min", AUTH_PASSWORD_MIN);
	view_set(r, "Login.pw.hint", view_tf(r, "Login.pw_hint", "n", arena_printf(r->a, "%d", AUTH_PASSWORD_MIN)));
	return view_render(r, "login_password.cs") < 0 ? REQ_ERROR : REQ_OK;
}

enum { C_PASSWORD, C_PASSWORD2, C__MAX };
static const struct vfield change_fields[C__MAX] = {
	[C_PASSWORD] = {"password", V_TEXT, VF_REQUIRED, AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX, NULL},
	[C_PASSWORD2] = {"password2", V_TEXT, VF_REQUIRED, 0, AUTH_PASSWORD_MAX, NULL},
};

static int pw_change(struct req *r)
{
	struct acct a;
	long long id = pw_pending(r, &a);
	const char *next = next_of(r);
	if (!id) {
		view_flash(r, "login_again", NULL);
		return req_redirect(r, login_url(r, "iin", next));
	}
	struct vval v[C__MAX];
	int bad = val_form(r, change_fields, C__MAX, v);
	if (!bad && strcmp(v[C_PASSWORD].s, v[C_PASSWORD2].s) != 0) {
		view_field_error(r, "password2", "Login.pw_mismatch");
		bad = 1;
	}
	if (!bad && *a.pw_hash && auth_check_password(a.pw_hash, v[C_PASSWORD].s)) {
		view_field_error(r, "password", "Login.pw_same");
		bad = 1;
	}
	if (bad) {
		r->status = 422;
		return pw_page(r);
	}
	char hash[AUTH_HASH_MAX];
	if (auth_hash_password(v[C_PASSWORD].s, hash) < 0 || db_begin() < 0)
		return REQ_ERROR;
	if (acct_password_set(id, hash, 0, u_now()) != ACCT_OK ||
	    db_exec("DELETE FROM login_pending WHERE session_id = ?", "I", r->s->id) != SQLITE_DONE) {
		db_rollback();
		return REQ_ERROR;
	}
	if (audit_act(req_actor(r, 0), "password_changed", "account", id, "ok", "after a one-time password") < 0) {
		db_rollback();
		return REQ_ERROR;
	}
	return finish(r, id, "password", NULL, a.iin, next);
}

/* ---- По ЭЦП ---- */

enum { E_NONCE, E__MAX };
static const struct vfield eds_fields[E__MAX] = {
	[E_NONCE] = {"nonce", V_TOKEN, 0, 0, 64, NULL},
};

static int eds_sign(struct req *r)
{
	struct vval v[E__MAX];
	val_form(r, eds_fields, E__MAX, v);
	const char *nonce = v[E_NONCE].err ? "" : v[E_NONCE].s;
	/* The CMS is base64 up to SIGN_MAX_INPUT (a longer one is refused
	 * as too large by esig_verify, with its own message). */
	const char *cms = req_param(r, "cms");
	/* Verified outside the transaction (a refreshed CRL's number is
	 * recorded in a transaction of its own), stored inside it. */
	struct sign_proof p;
	struct esig_result res = {0};
	const char *key = NULL;
	if (esig_verify(r, nonce, cms ? cms : "", "auth", "login", 0, &p) < 0) {
		res.err = p.err;
	} else if (db_begin() < 0) {
		sign_signer_clear(&p.signer);
		return REQ_ERROR;
	} else if ((res.err = sigrec_store(&p, r->s->account_id, NULL, NULL, "account", &res.signature_id, &key)) !=
		   SIGN_OK) {
		db_rollback();
	}
	res.signer = p.signer; /* the result owns the certificate now */
	res.msg_key = key ? key : p.msg_key;
	if (res.err != SIGN_OK) {
		/* Each challenge gets one try: a refused one cannot be tried again. */
		esig_burn(r, nonce);
		if (db_begin() < 0) {
			esig_result_clear(&res);
			return REQ_ERROR;
		}
		const char *code = res.msg_key && strncmp(res.msg_key, "Eds.", 4) == 0 ? res.msg_key + 4 : "internal";
		audit_login(r, "eds", 0, arena_printf(r->a, "eds_%s", code), NULL,
			    p.err != SIGN_OK ? res.signer.detail : NULL);
		db_commit();
		const char *k = res.msg_key ? res.msg_key : "Eds.internal";
		esig_result_clear(&res);
		return refuse(r, T_EDS, 422, view_t(r, k));
	}
	if (db_exec("DELETE FROM login_pending WHERE session_id = ?", "I", r->s->id) != SQLITE_DONE ||
	    db_exec("INSERT INTO login_pending(session_id, kind, signature_id, iin, surname, name, patronymic, "
		    "organization, created_at) VALUES (?, 'eds', ?, ?, ?, ?, ?, ?, ?)",
		    "IItttttI", r->s->id, res.signature_id, res.signer.iin, res.signer.surname, res.signer.given_name,
		    res.signer.patronymic, res.signer.organization, u_now()) != SQLITE_DONE) {
		esig_result_clear(&res);
		db_rollback();
		return REQ_ERROR;
	}
	esig_result_clear(&res);
	if (db_commit() < 0)
		return REQ_ERROR;
	return req_redirect(r, login_url(r, "eds", next_of(r)));
}

static int eds_confirm(struct req *r)
{
	const char *next = next_of(r);
	char iin[13] = "", surname[128] = "", name[128] = "", patr[128] = "";
	sqlite3_stmt *st = db_query("SELECT iin, surname, name, patronymic FROM login_pending "
				    "WHERE session_id = ? AND kind = 'eds' AND created_at > ?",
				    "II", r->s->id, u_now() - pending_ttl());
	int found = db_row(st);
	if (found) {
		snprintf(iin, sizeof iin, "%s", db_col(st, 0));
		snprintf(surname, sizeof surname, "%s", db_col(st, 1));
		snprintf(name, sizeof name, "%s", db_col(st, 2));
		snprintf(patr, sizeof patr, "%s", db_col(st, 3));
	}
	db_done(st);
	if (!found) {
		audit_login(r, "eds", 0, "eds_no_pending", NULL, NULL);
		return refuse(r, T_EDS, 422, view_t(r, "Eds.challenge_expired"));
	}
	if (db_begin() < 0)
		return REQ_ERROR;
	db_exec("DELETE FROM login_pending WHERE session_id = ?", "I", r->s->id);
	/* A citizen's first login: the account comes from the certificate. */
	struct acct_person p = {.iin = iin, .surname = surname, .name = name, .patronymic = patr};
	long long id;
	int created;
	enum acct_err e = acct_enter(&p, ACCT_BY_EDS, u_now(), &id, &created);
	if (e == ACCT_ERR_DISABLED) {
		audit_login(r, "eds", id, acct_err_names[e], iin, NULL);
		db_commit();
		return refuse(r, T_EDS, 403, view_t(r, "Login.disabled"));
	}
	if (e != ACCT_OK ||
	    (created && audit_act(req_actor(r, 0), "account_created", "account", id, "ok", "from the EDS certificate") < 0)) {
		db_rollback();
		return REQ_ERROR;
	}
	return finish(r, id, "eds", NULL, iin, next);
}

static int eds_cancel(struct req *r)
{
	char iin[13] = "";
	db_text(iin, sizeof iin, "SELECT iin FROM login_pending WHERE session_id = ? AND kind = 'eds'", "I", r->s->id);
	if (db_begin() < 0)
		return REQ_ERROR;
	db_exec("DELETE FROM login_pending WHERE session_id = ? AND kind = 'eds'", "I", r->s->id);
	audit_login(r, "eds", 0, "cancelled", iin, NULL);
	if (db_commit() < 0)
		return REQ_ERROR;
	return req_redirect(r, login_url(r, "eds", next_of(r)));
}

/* ---- По одноразовому коду ---- */

enum { O_PHONE, O_IIN, O__MAX };
static const struct vfield otp_fields[O__MAX] = {
	[O_PHONE] = {"phone", V_PHONE, VF_REQUIRED, 0, 0, NULL},
	[O_IIN] = {"iin", V_IIN, VF_REQUIRED, 0, 0, NULL},
};

/* Asks for a code for the pair; the answer does not depend on БМГ. */
static int issue(struct req *r, const char *phone, const char *iin)
{
	const char *next = next_of(r);
	int in_bmg = bmg_pair_exists(phone, iin);
	char pm[20];
	u_mask_phone(phone, pm);
	char extra[64];
	if (in_bmg < 0) {
		snprintf(extra, sizeof extra, "phone=%s", pm);
		audit_login(r, "otp", 0, "bmg_unavailable", iin, extra);
		return refuse(r, T_OTP, 503, view_t(r, "Login.bmg_unavailable"));
	}
	long long wait = 0;
	enum otp_result res = otp_issue(r, "login", phone, iin, in_bmg, &wait);
	snprintf(extra, sizeof extra, "phone=%s bmg=%s", pm, in_bmg ? "yes" : "no");
	switch (res) {
	case OTP_OK:
		audit_login(r, "otp", 0, "code_sent", iin, extra);
		return req_redirect(r, login_url(r, "otp", next));
	case OTP_WAIT: {
		char n[24];
		snprintf(n, sizeof n, "%lld", wait);
		audit_login(r, "otp", 0, "code_wait", iin, extra);
		req_header(r, "Retry-After", n);
		/* Not a mistake: information, with the seconds counting down. */
		r->status = 429;
		view_set(r, "Msg.info", view_tf(r, "Otp.wait", "n", n));
		view_set(r, "Msg.wait", n);
		return page(r, T_OTP);
	}
	case OTP_LIMIT:
		audit_login(r, "otp", 0, "code_limit", iin, extra);
		return refuse(r, T_OTP, 429, view_t(r, "Otp.limit"));
	default:
		audit_login(r, "otp", 0, "code_failed", iin, extra);
		return refuse(r, T_OTP, 503, view_t(r, "Otp.failed"));
	}
}

static int otp_request(struct req *r)
{
	struct vval v[O__MAX];
	if (val_form(r, otp_fields, O__MAX, v) > 0) {
		audit_login(r, "otp", 0, v[O_IIN].err ? "iin_malformed" : "phone_malformed", NULL, NULL);
		r->status = 422;
		view_set(r, "Query.step", "phone");
		return page(r, T_OTP);
	}
	return issue(r, v[O_PHONE].s, v[O_IIN].s);
}

static int otp_resend(struct req *r)
{
	char phone[16] = "", iin[13] = "";
	sqlite3_stmt *st = db_query("SELECT phone, iin FROM otp WHERE session_id = ? AND purpose = 'login' "
				    "ORDER BY id DESC LIMIT 1",
				    "I", r->s->id);
	int found = db_row(st);
	if (found) {
		snprintf(phone, sizeof phone, "%s", db_col(st, 0));
		snprintf(iin, sizeof iin, "%s", db_col(st, 1));
	}
	db_done(st);
	if (!found)
		return refuse(r, T_OTP, 422, view_t(r, "Otp.none"));
	return issue(r, phone, iin);
}

enum { K_CODE, K__MAX };
static const struct vfield code_fields[K__MAX] = {
	[K_CODE] = {"code", V_TEXT, VF_REQUIRED, 1, 20, NULL},
};

static int otp_code(struct req *r)
{
	const char *next = next_of(r);
	struct vval v[K__MAX];
	if (val_form(r, code_fields, K__MAX, v) > 0) {
		audit_login(r, "otp", 0, "code_missing", NULL, NULL);
		r->status = 422;
		return page(r, T_OTP);
	}
	char phone[13] = "", iin[13] = "";
	long long left = 0;
	enum otp_result res = otp_check(r, "login", v[K_CODE].s, phone, iin, &left);
	if (res != OTP_OK) {
		static const char *const outcome[] = {
			[OTP_OK] = "ok", [OTP_WAIT] = "code_wait", [OTP_LIMIT] = "code_limit", [OTP_NONE] = "code_none",
			[OTP_WRONG] = "code_wrong", [OTP_EXPIRED] = "code_expired", [OTP_TOO_MANY] = "code_too_many",
			[OTP_FAILED] = "code_failed",
		};
		audit_login(r, "otp", 0, outcome[res], NULL, NULL);
		const char *text = view_t(r, otp_result_key(res));
		if (res == OTP_WRONG)
			text = view_tf(r, "Login.otp_wrong_left", "n", arena_printf(r->a, "%lld", left));
		return refuse(r, T_OTP, res == OTP_FAILED ? 503 : 422, text);
	}
	char pm[20];
	u_mask_phone(phone, pm);
	char extra[48];
	snprintf(extra, sizeof extra, "phone=%s", pm);
	if (db_begin() < 0)
		return REQ_ERROR;
	/* The first login by code makes the account with the IIN and the phone,
	 * no name yet (the queue screen asks for it). */
	struct acct_person p = {.iin = iin, .phone = phone};
	long long id;
	int created;
	enum acct_err e = acct_enter(&p, ACCT_BY_CODE, u_now(), &id, &created);
	if (e == ACCT_ERR_NOT_CITIZEN || e == ACCT_ERR_DISABLED) {
		audit_login(r, "otp", id, acct_err_names[e], iin, extra);
		db_commit();
		return refuse(r, T_OTP, 403,
			      view_t(r, e == ACCT_ERR_NOT_CITIZEN ? "Login.otp_citizens_only" : "Login.disabled"));
	}
	if (e != ACCT_OK ||
	    (created && audit_act(req_actor(r, 0), "account_created", "account", id, "ok", "from a one-time code login") < 0)) {
		db_rollback();
		return REQ_ERROR;
	}
	return finish(r, id, "otp", phone, iin, next);
}

/* ---- logout ---- */

static int logout(struct req *r)
{
	long long id = req_account(r);
	if (id) {
		if (db_begin() < 0)
			return REQ_ERROR;
		audit_act(req_actor(r, 0), "logout", "account", id, "ok", NULL);
		sess_logout(r);
		if (db_commit() < 0)
			return REQ_ERROR;
	} else {
		sess_logout(r);
	}
	view_flash(r, "logged_out", NULL);
	return req_redirect(r, "/");
}

static const struct route routes[] = {
	{M_GET, "/login", ROLE_ANY, show, RF_SESSION},
	{M_POST, "/login/password", ROLE_ANY, password_login, 0},
	{M_GET, "/login/password", ROLE_ANY, pw_page, RF_SESSION},
	{M_POST, "/login/password/change", ROLE_ANY, pw_change, 0},
	/* A CMS larger than a form may be (SIGN_MAX_INPUT) must still reach
	 * the handler to be refused with its own message; anything larger than
	 * REQ_SIGNED_MAX is refused before it is read (anyone may post here). */
	{M_POST, "/login/eds", ROLE_ANY, eds_sign, RF_SIGNED},
	{M_POST, "/login/eds/confirm", ROLE_ANY, eds_confirm, 0},
	{M_POST, "/login/eds/cancel", ROLE_ANY, eds_cancel, 0},
	{M_POST, "/login/otp", ROLE_ANY, otp_request, 0},
	{M_POST, "/login/otp/resend", ROLE_ANY, otp_resend, 0},
	{M_POST, "/login/otp/code", ROLE_ANY, otp_code, 0},
	{M_POST, "/logout", ROLE_ANY, logout, 0},
};

int main(int argc, char **argv)
{
	static const struct app app = {"login", routes, NROUTES(routes), init};
	return req_main(argc, argv, &app);
}
