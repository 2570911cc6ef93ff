/*
 * Unit tests of the decisions on a referral (lib/domain/decide.c): accepting,
 * refusing, the education department's review of a refusal, departures,
 * the freed-places count, and the authorisation written into every query.
 * Each transition is signed with the test PKI's keys through the real
 * signing flow (esig_challenge, openssl cms, esig_verify as a screen calls
 * it, then the domain's transition with the proof). Needs KG_TOP and
 * KG_PKI (tests/tools/pki.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "base/cal.h"
#include "base/conf.h"
#include "base/db.h"
#include "domain/decide.h"
#include "domain/doc.h"
#include "web/esig.h"
#include "domain/place.h"
#include "web/req.h"
#include "web/sess.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"
#include "base/workday.h"

#include "unit.h"

#define STAFF1 "850312412032"
#define STAFF2 "880121433072"
#define STAFF2_BIN "050440012343"
#define REVIEWER1 "791105344197"
#define REVIEWER2 "920214366137"
#define PARENT1 "900517322416"

static long long ddo_a, ddo_a2, ddo_b, ddo_c; /* staff1: a, a2 (Кокшетау); staff2: b (BIN); c: Целиноградский */

/* ------------------------------------------------------------ fixtures */

static long long account(const char *iin, int roles, const char *phone)
{
	long long id = db_int("SELECT id FROM account WHERE iin = ?", 0, "t", iin);
	if (!id) {
		assert_int_equal(db_exec("INSERT INTO account(iin, surname, name, patronymic, roles, phone, created_at, updated_at) "
					 "VALUES (?, 'ФАМИЛИЯ', 'ИМЯ', 'ОТЧЕСТВО', ?, ?, 0, 0)",
					 "tit", iin, roles, phone),
				 SQLITE_DONE);
		id = db_last_id();
	}
	return id;
}

static struct req *as(const char *iin)
{
	return ut_req_as(db_int("SELECT id FROM account WHERE iin = ?", 0, "t", iin));
}

static long long new_ddo(int district, const char *bin)
{
	assert_int_equal(db_exec("INSERT INTO ddo(district_id, kind, name_ru, name_kk, address, phone, bin, owner_iin, owner_phone, "
				 "owner_email, created_at, updated_at) VALUES (?, 'state', 'Ясли-сад «Тест»', '«Тест» бөбекжайы', "
				 "'ул. Абая, 1', '+77162500000', ?, '850312412032', '+77015550099', 'x@example.kz', 0, 0)",
				 "it", district, bin),
			 SQLITE_DONE);
	return db_last_id();
}

static int serial = 1;

/* A queued application in district (queued_at, benefit). */
static long long mk_app(int district, const char *benefit, long long queued_at, char iin_out[13])
{
	char iin[13];
	ut_iin(2021, 3, 15, 'M', serial * 13, iin); /* a boy born 15.03.2021 */
	long long parent = db_int("SELECT id FROM account WHERE iin = ?", 0, "t", PARENT1);
	assert_int_equal(db_exec("INSERT INTO child(iin, surname, name, patronymic, birth_date, sex, created_at) "
				 "VALUES (?, 'ДЕТСКИЙ', 'РЕБЕНОК', '', '2021-03-15', 'M', 0)",
				 "t", iin),
			 SQLITE_DONE);
	long long child = db_last_id();
	char num[32];
	snprintf(num, sizeof num, "UO.2026.%06d.1", serial++);
	assert_int_equal(db_exec("INSERT INTO application(number, child_id, applicant_id, district_id, group_year, language, "
				 "benefit, phone, status, queued_at, created_at, updated_at) "
				 "VALUES (?, ?, ?, ?, 2021, 'ru', ?, '+77015550007', 'queued', ?, ?, ?)",
				 "tIIitIII", num, child, parent, district, benefit, queued_at, queued_at, queued_at),
			 SQLITE_DONE);
	if (iin_out)
		memcpy(iin_out, iin, 13);
	return db_last_id();
}

static long long mk_place(long long ddo, int total, long long created_at)
{
	assert_int_equal(db_exec("INSERT INTO free_place(ddo_id, district_id, group_year, language, total, free, created_by, "
				 "created_at, window_until, status) SELECT ?, district_id, 2021, 'ru', ?, ?, "
				 "(SELECT id FROM account WHERE iin = ?), ?, ?, 'free_choice' FROM ddo WHERE id = ?",
				 "IiitIII", ddo, total, total, STAFF1, created_at, created_at + 60, ddo),
			 SQLITE_DONE);
	return db_last_id();
}

/* A referral of app to place in status (the application's status follows). */
static long long mk_ref(long long app, long long place, const char *status)
{
	char num[11];
	snprintf(num, sizeof num, "10%08lld", app);
	long long now = u_now();
	assert_int_equal(db_exec("INSERT INTO referral(number, application_id, free_place_id, ddo_id, status, issued_at, "
				 "deadline_at, docs_submitted_at) SELECT ?, ?, ?, ddo_id, 'issued', ?, ?, ? FROM free_place WHERE id = ?",
				 "tIIIIII", num, app, place, now - 86400, now + 86400 * 7, now - 3600, place),
			 SQLITE_DONE);
	long long id = db_last_id();
	if (strcmp(status, "issued") != 0)
		db_exec("UPDATE referral SET status = ? WHERE id = ?", "tI", status, id);
	const char *as_app = !strcmp(status, "issued") ? "referred" : !strcmp(status, "annulled") ? "archived" : "docs_submitted";
	if (!strcmp(as_app, "archived"))
		db_exec("UPDATE application SET status = 'archived', archive_reason = 'deadline' WHERE id = ?", "I", app);
	else
		db_exec("UPDATE application SET status = ? WHERE id = ?", "tI", as_app, app);
	return id;
}

/* A challenge for the action over text, and a CMS by key over content
 * (the challenge's own content unless other is given). */
struct signed_form {
	char nonce[44];
	char *cms;
};

static struct signed_form sign_as(struct req *r, const char *action, long long object, const char *text, const char *key,
				  const char *other)
{
	struct signed_form f;
	const char *content = esig_challenge(r, "action", action, object, text, f.nonce);
	assert_non_null(content);
	f.cms = ut_cms(other ? other : content, key);
	return f;
}

/* Who acts in a request: its staff member, or its reviewer. */
static struct actor who(struct req *r) { return req_actor(r, r->s->roles & ROLE_REVIEWER ? ROLE_REVIEWER : ROLE_STAFF); }

/* The transitions as the screens call them: the posted form's CMS
 * verified against its challenge (esig_verify), then the domain's
 * transition with that proof, in the request's language. */
static enum dec_err accept_as(struct req *r, long long ref, const char *nonce, const char *cms, struct dec_result *res)
{
	struct sign_proof p;
	esig_verify(r, nonce, cms, "action", "accept", ref, &p);
	enum dec_err e = dec_accept(r->a, who(r), r->lang, ref, &p, res);
	sign_signer_clear(&p.signer);
	return e;
}

static enum dec_err refuse_as(struct req *r, long long ref, enum rfs_reason code, const char *reason, const char *nonce,
			      const char *cms, struct dec_result *res)
{
	struct sign_proof p;
	esig_verify(r, nonce, cms, "action", "refuse", ref, &p);
	enum dec_err e = dec_refuse(r->a, who(r), r->lang, ref, code, reason, &p, res);
	sign_signer_clear(&p.signer);
	return e;
}

static enum dec_err review_as(struct req *r, long long refusal, int confirm, const char *comment, const char *nonce,
			      const char *cms, struct dec_result *res)
{
	struct sign_proof p;
	esig_verify(r, nonce, cms, "action", confirm ? "review_confirm" : "review_reject", refusal, &p);
	enum dec_err e = dec_review(r->a, who(r), r->lang, refusal, confirm, comment, &p, res);
	sign_signer_clear(&p.signer);
	return e;
}

static enum dec_err depart_as(struct req *r, long long en, int day, const char *reason, const char *nonce,
			      const char *cms, struct dec_result *res)
{
	struct sign_proof p;
	esig_verify(r, nonce, cms, "action", "departure", en, &p);
	enum dec_err e = dec_depart(r->a, who(r), r->lang, en, day, reason, &p, res);
	sign_signer_clear(&p.signer);
	return e;
}

static long long count(const char *sql, long long id) { return db_int(sql, -1, "I", id); }

static const char *ref_status(long long ref)
{
	static char s[32];
	db_text(s, sizeof s, "SELECT status FROM referral WHERE id = ?", "I", ref);
	return s;
}

static const char *app_status(long long app)
{
	static char s[32];
	db_text(s, sizeof s, "SELECT status FROM application WHERE id = ?", "I", app);
	return s;
}

/* Position of an application in its queue (district, group year): the
 * order of DOMAIN.md — category, queue time, id. */
static long long position(long long app)
{
	return db_int("SELECT 1 + count(*) FROM application o JOIN application a ON a.id = ? "
		      "WHERE o.status = 'queued' AND o.district_id = a.district_id AND o.group_year = a.group_year "
		      "AND (o.benefit_rank < a.benefit_rank OR (o.benefit_rank = a.benefit_rank AND "
		      "(o.queued_at < a.queued_at OR (o.queued_at = a.queued_at AND o.id < a.id))))",
		      -1, "I", app);
}

/* ------------------------------------------------------------ accept */

static void accepting_enrolls_binds_the_voucher_and_tells_the_parent(void **st)
{
	(void)st;
	struct req *r = as(STAFF1);
	long long app = mk_app(1110, "none", u_now() - 86400, NULL);
	long long place = mk_place(ddo_a, 2, u_now() - 7200);
	long long ref = mk_ref(app, place, "docs_submitted");
	struct dec_referral x;
	assert_int_equal(dec_staff_referral(r->a, who(r), 0, ref, &x), 1);
	assert_int_equal(dec_can_accept(&x), DEC_OK);
	const char *text = dec_text_accept(r->a, r->lang, &x);
	assert_non_null(strstr(text, x.number));
	assert_non_null(strstr(text, x.child_iin));
	assert_non_null(strstr(text, "Ясли-сад «Тест»"));
	struct signed_form f = sign_as(r, "accept", ref, text, "staff1-sign", NULL);
	long long notes = db_int("SELECT count(*) FROM notification", 0, NULL);
	struct dec_result res;
	assert_int_equal(accept_as(r, ref, f.nonce, f.cms, &res), DEC_OK);
	free(f.cms);
	assert_true(res.id > 0);
	assert_string_equal(ref_status(ref), "enrolled");
	assert_string_equal(app_status(app), "enrolled");
	assert_int_equal(count("SELECT count(*) FROM referral WHERE id = ? AND voucher = 'bound'", ref), 1);
	assert_int_equal(count("SELECT count(*) FROM enrollment e JOIN signature g ON g.id = e.signature_id "
			       "WHERE e.referral_id = ? AND e.departed_on IS NULL AND g.action = 'accept' "
			       "AND g.signer_iin = '850312412032' AND g.object_id = e.referral_id",
			       ref),
			 1);
	assert_int_equal(count("SELECT count(*) FROM history WHERE application_id = ? AND event = 'enrolled' "
			       "AND actor_role = 'staff'",
			       app),
			 1);
	assert_int_equal(count("SELECT count(*) FROM history WHERE application_id = ? AND event = 'sms_enrolled'", app), 1);
	assert_int_equal(db_int("SELECT count(*) FROM notification", 0, NULL), notes + 1);
	char sms[300];
	db_text(sms, sizeof sms, "SELECT text FROM notification WHERE application_id = ? ORDER BY id DESC", "I", app);
	assert_non_null(strstr(sms, x.number));
	assert_int_equal(count("SELECT count(*) FROM audit WHERE action = 'accept' AND object_id = ? AND outcome = 'ok'", ref),
			 1);
	assert_int_equal(audit_verify(), 0);
	ut_free_req(r);
}

static void accepting_is_refused_in_every_state_but_submitted_and_outside_the_ddos(void **st)
{
	(void)st;
	struct req *r = as(STAFF1);
	long long place = mk_place(ddo_a, 5, u_now() - 7200);
	struct {
		const char *status;
		enum dec_err want;
	} cases[] = {
		{"issued", DEC_E_NOT_SUBMITTED}, {"annulled", DEC_E_ANNULLED}, {"refused", DEC_E_IN_REVIEW},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		long long app = mk_app(1110, "none", u_now() - 86400, NULL);
		long long ref = mk_ref(app, place, cases[i].status);
		struct dec_referral x;
		assert_int_equal(dec_staff_referral(r->a, who(r), 0, ref, &x), 1);
		struct signed_form f = sign_as(r, "accept", ref, dec_text_accept(r->a, r->lang, &x), "staff1-sign", NULL);
		struct dec_result res;
		if (accept_as(r, ref, f.nonce, f.cms, &res) != cases[i].want)
			fail_msg("case %s: %s", cases[i].status, dec_err_names[res.err]);
		free(f.cms);
		assert_string_equal(ref_status(ref), cases[i].status);
		assert_int_equal(count("SELECT count(*) FROM enrollment WHERE referral_id = ?", ref), 0);
		assert_int_equal(db_int("SELECT count(*) FROM audit WHERE action = 'accept' AND object_id = ? AND outcome = ?", 0,
					"It", ref, dec_err_names[cases[i].want]),
				 1);
		assert_int_equal(dec_http_status(cases[i].want), 409);
	}
	/* staff2 cannot see or accept staff1's referral: not found, as if it did not exist. */
	long long app = mk_app(1110, "none", u_now() - 86400, NULL);
	long long ref = mk_ref(app, place, "docs_submitted");
	struct req *other = as(STAFF2);
	struct dec_referral x;
	assert_int_equal(dec_staff_referral(other->a, who(other), 0, ref, &x), 0);
	char num[11];
	db_text(num, sizeof num, "SELECT number FROM referral WHERE id = ?", "I", ref);
	assert_int_equal(dec_staff_find(other->a, who(other), ddo_b, 0, num, &x), 0);
	assert_int_equal(dec_staff_find(other->a, who(other), ddo_a, 0, num, &x), 0); /* naming staff1's DDO does not help */
	struct signed_form f = sign_as(other, "accept", ref, "Принять", "staff2-sign", NULL);
	struct dec_result res;
	assert_int_equal(accept_as(other, ref, f.nonce, f.cms, &res), DEC_E_NOT_FOUND);
	assert_int_equal(dec_http_status(res.err), 404);
	free(f.cms);
	assert_string_equal(ref_status(ref), "docs_submitted");
	/* staff1 finds it by number only in the DDO it belongs to. */
	assert_int_equal(dec_staff_find(r->a, who(r), ddo_a, 0, num, &x), 1);
	assert_int_equal(dec_staff_find(r->a, who(r), ddo_a2, 0, num, &x), 0);
	ut_free_req(other);
	ut_free_req(r);
}

static void accepting_needs_the_persons_sign_key_over_this_text_once(void **st)
{
	(void)st;
	struct req *r = as(STAFF1);
	long long place = mk_place(ddo_a, 2, u_now() - 7200);
	long long app = mk_app(1110, "none", u_now() - 86400, NULL);
	long long ref = mk_ref(app, place, "docs_submitted");
	struct dec_referral x;
	assert_int_equal(dec_staff_referral(r->a, who(r), 0, ref, &x), 1);
	const char *text = dec_text_accept(r->a, r->lang, &x);
	struct {
		const char *key, *other, *msg;
	} cases[] = {
		{"parent1-sign", NULL, "Eds.wrong_person"},
		{"staff1-auth", NULL, "Eds.purpose"},
		{"staff1-sign", "Принять другого ребенка", "Eds.content"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct signed_form f = sign_as(r, "accept", ref, text, cases[i].key, cases[i].other);
		struct dec_result res;
		assert_int_equal(accept_as(r, ref, f.nonce, f.cms, &res), DEC_E_SIGNATURE);
		assert_string_equal(res.msg_key, cases[i].msg);
		assert_int_equal(dec_http_status(res.err), 422);
		free(f.cms);
	}
	/* A challenge over another text for this referral (e.g. made before the
	 * data changed): signed correctly, but not this decision's text. */
	struct signed_form f = sign_as(r, "accept", ref, "Принять ребенка в ДДО: другой текст", "staff1-sign", NULL);
	struct dec_result res;
	assert_int_equal(accept_as(r, ref, f.nonce, f.cms, &res), DEC_E_TEXT);
	assert_string_equal(res.msg_key, "Eds.content");
	free(f.cms);
	assert_string_equal(ref_status(ref), "docs_submitted");
	assert_int_equal(count("SELECT count(*) FROM signature WHERE action = 'accept' AND object_id = ?", ref), 0);
	/* A stale challenge. */
	f = sign_as(r, "accept", ref, text, "staff1-sign", NULL);
	db_exec("UPDATE challenge SET expires_at = created_at - 1 WHERE nonce = ?", "t", f.nonce);
	assert_int_equal(accept_as(r, ref, f.nonce, f.cms, &res), DEC_E_SIGNATURE);
	assert_string_equal(res.msg_key, "Eds.challenge_expired");
	free(f.cms);
	/* A proof verified for another referral, or another action, is not one
	 * of this decision. */
	long long app2 = mk_app(1110, "none", u_now() - 86400, NULL);
	long long ref2 = mk_ref(app2, place, "docs_submitted");
	struct signed_form f2 = sign_as(r, "accept", ref2, text, "staff1-sign", NULL);
	struct sign_proof p;
	assert_int_equal(esig_verify(r, f2.nonce, f2.cms, "action", "accept", ref2, &p), 0);
	assert_int_equal(dec_accept(r->a, who(r), r->lang, ref, &p, &res), DEC_E_SIGNATURE);
	assert_string_equal(res.msg_key, "Eds.challenge_unknown");
	assert_int_equal(dec_refuse(r->a, who(r), r->lang, ref2, RFS_OTHER, "Причина", &p, &res), DEC_E_SIGNATURE);
	assert_string_equal(res.msg_key, "Eds.challenge_unknown");
	/* A challenge used between the verification and the change (a second
	 * POST of the same CMS that came first): used once only. */
	db_exec("UPDATE challenge SET used_at = created_at WHERE nonce = ?", "t", f2.nonce);
	assert_int_equal(dec_accept(r->a, who(r), r->lang, ref2, &p, &res), DEC_E_SIGNATURE);
	assert_string_equal(res.msg_key, "Eds.challenge_used");
	sign_signer_clear(&p.signer);
	free(f2.cms);
	assert_string_equal(ref_status(ref2), "docs_submitted");
	assert_int_equal(count("SELECT count(*) FROM signature WHERE action = 'accept' AND object_id = ?", ref2), 0);
	/* The right one; then the same again once the state allows it again: a replay. */
	f = sign_as(r, "accept", ref, text, "staff1-sign", NULL);
	assert_int_equal(accept_as(r, ref, f.nonce, f.cms, &res), DEC_OK);
	assert_int_equal(accept_as(r, ref, f.nonce, f.cms, &res), DEC_E_ENROLLED);
	db_exec("UPDATE referral SET status = 'docs_submitted' WHERE id = ?", "I", ref);
	db_exec("UPDATE application SET status = 'docs_submitted' WHERE id = ?", "I", app);
	db_exec("UPDATE enrollment SET departed_on = date('now'), departure_reason = 'x', departure_signature_id = signature_id "
		"WHERE referral_id = ?",
		"I", ref);
	assert_int_equal(accept_as(r, ref, f.nonce, f.cms, &res), DEC_E_SIGNATURE);
	assert_string_equal(res.msg_key, "Eds.challenge_used");
	free(f.cms);
	ut_free_req(r);
}

static void a_ddo_with_a_bin_takes_only_its_employees_keys(void **st)
{
	(void)st;
	struct req *r = as(STAFF2);
	long long place = mk_place(ddo_b, 2, u_now() - 7200);
	long long app = mk_app(1110, "none", u_now() - 86400, NULL);
	long long ref = mk_ref(app, place, "docs_submitted");
	struct dec_referral x;
	assert_int_equal(dec_staff_referral(r->a, who(r), ddo_b, ref, &x), 1);
	assert_string_equal(x.ddo_bin, STAFF2_BIN);
	const char *text = dec_text_accept(r->a, r->lang, &x);
	assert_non_null(strstr(text, STAFF2_BIN));
	struct signed_form f = sign_as(r, "accept", ref, text, "staff2-wrongbin-sign", NULL);
	struct dec_result res;
	assert_int_equal(accept_as(r, ref, f.nonce, f.cms, &res), DEC_E_SIGNATURE);
	assert_string_equal(res.msg_key, "Eds.wrong_bin");
	free(f.cms);
	f = sign_as(r, "accept", ref, text, "staff2-sign", NULL);
	assert_int_equal(accept_as(r, ref, f.nonce, f.cms, &res), DEC_OK);
	free(f.cms);
	ut_free_req(r);
}

/* ------------------------------------------------------------ refuse and review */

static long long refuse_one(struct req *r, long long ref, const char *reason)
{
	struct dec_referral x;
	assert_int_equal(dec_staff_referral(r->a, who(r), 0, ref, &x), 1);
	struct signed_form f =
		sign_as(r, "refuse", ref, dec_text_refuse(r->a, r->lang, &x, RFS_OTHER, reason), "staff1-sign", NULL);
	struct dec_result res;
	assert_int_equal(refuse_as(r, ref, RFS_OTHER, reason, f.nonce, f.cms, &res), DEC_OK);
	free(f.cms);
	return res.id;
}

static void refusing_needs_a_reason_and_goes_to_the_district(void **st)
{
	(void)st;
	struct req *r = as(STAFF1);
	long long place = mk_place(ddo_a, 2, u_now() - 7200);
	long long app = mk_app(1110, "none", u_now() - 86400, NULL);
	long long ref = mk_ref(app, place, "docs_submitted");
	struct dec_referral x;
	assert_int_equal(dec_staff_referral(r->a, who(r), 0, ref, &x), 1);
	struct signed_form f =
		sign_as(r, "refuse", ref, dec_text_refuse(r->a, r->lang, &x, RFS_OTHER, ""), "staff1-sign", NULL);
	struct dec_result res;
	assert_int_equal(refuse_as(r, ref, RFS_OTHER, "  \n ", f.nonce, f.cms, &res), DEC_E_REASON);
	free(f.cms);
	assert_string_equal(ref_status(ref), "docs_submitted");
	/* An explanation without a reason of the list. */
	const char *why = "Нечитаемые документы";
	f = sign_as(r, "refuse", ref, dec_text_refuse(r->a, r->lang, &x, RFS_OTHER, why), "staff1-sign", NULL);
	assert_int_equal(refuse_as(r, ref, RFS__MAX, why, f.nonce, f.cms, &res), DEC_E_REASON);
	free(f.cms);
	/* An explanation or a reason other than the signed one: the text differs. */
	f = sign_as(r, "refuse", ref, dec_text_refuse(r->a, r->lang, &x, RFS_OTHER, why), "staff1-sign", NULL);
	assert_int_equal(refuse_as(r, ref, RFS_OTHER, "Другая причина", f.nonce, f.cms, &res), DEC_E_TEXT);
	free(f.cms);
	f = sign_as(r, "refuse", ref, dec_text_refuse(r->a, r->lang, &x, RFS_OTHER, why), "staff1-sign", NULL);
	assert_int_equal(refuse_as(r, ref, RFS_EXPIRED_DOCUMENTS, why, f.nonce, f.cms, &res), DEC_E_TEXT);
	free(f.cms);
	assert_int_equal(count("SELECT count(*) FROM refusal WHERE referral_id = ?", ref), 0);
	/* The signed text names the reason by its label and the explanation. */
	const char *text = dec_text_refuse(r->a, r->lang, &x, RFS_EXPIRED_DOCUMENTS, "Форма 065\nнечитаема");
	assert_non_null(strstr(text, "Причина: Документы с истекшим сроком действия\nПояснение: Форма 065\nнечитаема"));
	/* Line breaks as a browser sends them are the same text. */
	f = sign_as(r, "refuse", ref, text, "staff1-sign", NULL);
	assert_int_equal(refuse_as(r, ref, RFS_EXPIRED_DOCUMENTS, "Форма 065\r\nнечитаема", f.nonce, f.cms, &res), DEC_OK);
	free(f.cms);
	assert_int_equal(count("SELECT count(*) FROM refusal WHERE id = ? AND status = 'pending' AND district_id = 1110 "
			       "AND reason_code = 'expired_documents' AND reason = 'Форма 065' || char(10) || 'нечитаема'",
			       res.id),
			 1);
	assert_string_equal(ref_status(ref), "refused");
	assert_string_equal(app_status(app), "refusal_review");
	assert_int_equal(count("SELECT count(*) FROM history WHERE application_id = ? AND event = 'ddo_refused' "
			       "AND p2 = 'refusal_expired_documents' AND p3 = 'Форма 065' || char(10) || 'нечитаема'",
			       app),
			 1);
	assert_int_equal(count("SELECT count(*) FROM notification WHERE application_id = ? AND kind = 'refused'", app), 1);
	/* The SMS names the reason in the application's language and what comes next. */
	char sms[1024] = "";
	db_text(sms, sizeof sms, "SELECT text FROM notification WHERE application_id = ? AND kind = 'refused'", "I", app);
	assert_non_null(strstr(sms, "Причина: Документы с истекшим сроком действия."));
	assert_non_null(strstr(sms, "ребенок вернется в очередь с прежней датой"));
	/* Refusing or accepting again while it is reviewed. */
	assert_int_equal(dec_staff_referral(r->a, who(r), 0, ref, &x), 1);
	assert_int_equal(dec_can_refuse(&x), DEC_E_IN_REVIEW);
	assert_int_equal(dec_can_accept(&x), DEC_E_IN_REVIEW);
	ut_free_req(r);
}

static void the_reasons_are_a_closed_list_in_both_languages_that_the_schema_keeps(void **st)
{
	(void)st;
	for (int i = 0; i < RFS__MAX; i++) {
		assert_int_equal(rfs_reason_of(rfs_reason_names[i]), i);
		assert_true(*rfs_reason_label("ru", (enum rfs_reason)i));
		assert_true(*rfs_reason_label("kk", (enum rfs_reason)i));
		assert_string_not_equal(rfs_reason_label("ru", (enum rfs_reason)i), rfs_reason_label("kk", (enum rfs_reason)i));
	}
	assert_null(rfs_reason_names[RFS__MAX]);
	assert_int_equal(rfs_reason_of("Other"), RFS__MAX);
	assert_int_equal(rfs_reason_of(NULL), RFS__MAX);
	assert_string_equal(rfs_reason_label("ru", RFS_UNVACCINATED_SHARE), "Превышена доля непривитых детей");
	assert_string_equal(rfs_reason_label("ru", RFS__MAX), "");
	/* The latest refusal of an application, as the parent's pages read it. */
	struct req *r = as(STAFF1);
	long long place = mk_place(ddo_a, 2, u_now() - 7200);
	long long app = mk_app(1110, "none", u_now() - 86400, NULL);
	struct rfs_info f;
	assert_int_equal(rfs_latest(r->a, app, &f), 0);
	long long ref = mk_ref(app, place, "docs_submitted");
	long long refusal = refuse_one(r, ref, "Нет формы 063");
	assert_int_equal(rfs_latest(r->a, app, &f), 1);
	assert_int_equal(f.id, refusal);
	assert_int_equal(f.reason, RFS_OTHER);
	assert_string_equal(f.text, "Нет формы 063");
	assert_string_equal(f.status, "pending");
	assert_int_equal(f.reviewed_at, 0);
	/* The schema takes no reason outside the list. */
	assert_int_equal(db_exec("UPDATE refusal SET reason_code = 'no_places' WHERE id = ?", "I", refusal) & 0xff,
			 SQLITE_CONSTRAINT);
	assert_int_equal(db_exec("UPDATE refusal SET reason_code = 'unvaccinated_share' WHERE id = ?", "I", refusal),
			 SQLITE_DONE);
	assert_int_equal(rfs_latest(r->a, app, &f), 1);
	assert_int_equal(f.reason, RFS_UNVACCINATED_SHARE);
	ut_free_req(r);
}

static void a_confirmed_refusal_puts_the_child_back_at_its_old_position(void **st)
{
	(void)st;
	struct req *staff = as(STAFF1);
	long long now = u_now();
	/* Three children queued in Кокшетау, 2021: the middle one gets a referral. */
	long long first = mk_app(1110, "none", now - 30 * 86400, NULL);
	long long child = mk_app(1110, "first_priority", now - 20 * 86400, NULL);
	long long last = mk_app(1110, "none", now - 10 * 86400, NULL);
	(void)first, (void)last;
	long long before = position(child);
	long long place = mk_place(ddo_a, 1, now - 7200);
	long long ref = mk_ref(child, place, "docs_submitted");
	assert_int_equal(count("SELECT free FROM free_place WHERE id = ?", place), 0);
	assert_int_equal(count("SELECT count(*) FROM free_place WHERE id = ? AND status = 'exhausted'", place), 1);
	/* Someone newer is queued meanwhile. */
	mk_app(1110, "none", now - 3600, NULL);
	long long refusal = refuse_one(staff, ref, "Нет медицинской справки");
	/* Another district's reviewer does not see it. */
	struct req *rev2 = as(REVIEWER2);
	struct dec_refusal f;
	assert_int_equal(dec_reviewer_refusal(rev2->a, who(rev2), refusal, &f), 0);
	struct req *rev = as(REVIEWER1);
	assert_int_equal(dec_reviewer_refusal(rev->a, who(rev), refusal, &f), 1);
	struct signed_form sf = sign_as(rev2, "review_confirm", refusal, "Подтвердить", "reviewer2-sign", NULL);
	struct dec_result res;
	assert_int_equal(review_as(rev2, refusal, 1, "Согласен", sf.nonce, sf.cms, &res), DEC_E_NOT_FOUND);
	free(sf.cms);
	/* A comment is required. */
	sf = sign_as(rev, "review_confirm", refusal, dec_text_review(rev->a, rev->lang, &f, 1, ""), "reviewer1-sign", NULL);
	assert_int_equal(review_as(rev, refusal, 1, " ", sf.nonce, sf.cms, &res), DEC_E_COMMENT);
	free(sf.cms);
	/* A challenge of the other decision does not confirm. */
	sf = sign_as(rev, "review_reject", refusal, dec_text_review(rev->a, rev->lang, &f, 0, "Согласен"), "reviewer1-sign", NULL);
	assert_int_equal(review_as(rev, refusal, 1, "Согласен", sf.nonce, sf.cms, &res), DEC_E_SIGNATURE);
	assert_string_equal(res.msg_key, "Eds.challenge_unknown");
	free(sf.cms);
	/* The staff member's key is not the reviewer's. */
	sf = sign_as(rev, "review_confirm", refusal, dec_text_review(rev->a, rev->lang, &f, 1, "Согласен"), "staff1-sign", NULL);
	assert_int_equal(review_as(rev, refusal, 1, "Согласен", sf.nonce, sf.cms, &res), DEC_E_SIGNATURE);
	assert_string_equal(res.msg_key, "Eds.wrong_person");
	free(sf.cms);
	assert_string_equal(ref_status(ref), "refused");
	sf = sign_as(rev, "review_confirm", refusal, dec_text_review(rev->a, rev->lang, &f, 1, "Согласен с отказом"), "reviewer1-sign", NULL);
	assert_int_equal(review_as(rev, refusal, 1, "Согласен с отказом", sf.nonce, sf.cms, &res), DEC_OK);
	long long decision = res.id;
	assert_true(decision > 0);
	assert_int_equal(count("SELECT count(*) FROM refusal WHERE id = ? AND status = 'confirmed' AND reviewed_at IS NOT NULL "
			       "AND review_comment = 'Согласен с отказом'",
			       refusal),
			 1);
	assert_string_equal(ref_status(ref), "refusal_confirmed");
	assert_int_equal(count("SELECT count(*) FROM referral WHERE id = ? AND voucher = 'annulled'", ref), 1);
	/* The place is back on its record, which can be chosen again. */
	assert_int_equal(count("SELECT free FROM free_place WHERE id = ?", place), 1);
	assert_int_equal(count("SELECT count(*) FROM free_place WHERE id = ? AND status = 'free_choice'", place), 1);
	/* Queued again with its original date and category: the same position. */
	assert_string_equal(app_status(child), "queued");
	assert_int_equal(count("SELECT queued_at FROM application WHERE id = ?", child), now - 20 * 86400);
	assert_int_equal(count("SELECT count(*) FROM application WHERE id = ? AND benefit = 'first_priority'", child), 1);
	assert_int_equal(position(child), before);
	/* The decision as a PDF among the referral's documents, checkable. */
	assert_int_equal(count("SELECT count(*) FROM document WHERE id = ? AND kind = 'decision' AND origin = 'system' "
			       "AND mime = 'application/pdf' AND length(check_code) = 22",
			       decision),
			 1);
	char sha[65];
	db_text(sha, sizeof sha, "SELECT sha256 FROM document WHERE id = ?", "I", decision);
	size_t n;
	unsigned char *pdf = doc_read(sha, &n);
	assert_non_null(pdf);
	assert_memory_equal(pdf, "%PDF", 4);
	free(pdf);
	assert_int_equal(count("SELECT count(*) FROM notification WHERE application_id = ? AND kind = 'refusal_confirmed'", child),
			 1);
	assert_int_equal(db_int("SELECT count(*) FROM notification WHERE kind = 'refusal_confirmed_ddo'", 0, NULL), 1);
	assert_int_equal(count("SELECT count(*) FROM history WHERE application_id = ? AND event = 'refusal_confirmed' "
			       "AND actor_role = 'reviewer'",
			       child),
			 1);
	/* Deciding twice. */
	assert_int_equal(dec_reviewer_refusal(rev->a, who(rev), refusal, &f), 1);
	assert_int_equal(f.decision_doc, decision);
	sf = sign_as(rev, "review_reject", refusal, dec_text_review(rev->a, rev->lang, &f, 0, "Передумал"), "reviewer1-sign", NULL);
	assert_int_equal(review_as(rev, refusal, 0, "Передумал", sf.nonce, sf.cms, &res), DEC_E_DECIDED);
	free(sf.cms);
	assert_string_equal(ref_status(ref), "refusal_confirmed");
	/* The reviewer reads the documents of the refusal; the other one does not. */
	struct dec_doc d;
	assert_int_equal(dec_reviewer_document(rev->a, who(rev), decision, &d), 1);
	assert_int_equal(dec_reviewer_document(rev2->a, who(rev2), decision, &d), 0);
	assert_int_equal(dec_staff_document(staff->a, who(staff), decision, &d), 1);
	ut_free_req(rev2);
	ut_free_req(rev);
	ut_free_req(staff);
}

static void a_rejected_refusal_obliges_the_ddo_to_enroll(void **st)
{
	(void)st;
	struct req *staff = as(STAFF1);
	long long place = mk_place(ddo_a, 1, u_now() - 7200);
	long long app = mk_app(1110, "none", u_now() - 86400, NULL);
	long long ref = mk_ref(app, place, "docs_submitted");
	long long refusal = refuse_one(staff, ref, "Нет мест");
	struct req *rev = as(REVIEWER1);
	struct dec_refusal f;
	assert_int_equal(dec_reviewer_refusal(rev->a, who(rev), refusal, &f), 1);
	assert_string_equal(f.signer_iin, STAFF1);
	assert_true(strlen(f.cert_serial) > 0);
	struct signed_form sf = sign_as(rev, "review_reject", refusal, dec_text_review(rev->a, rev->lang, &f, 0, "Места есть"), "reviewer1-sign", NULL);
	struct dec_result res;
	assert_int_equal(review_as(rev, refusal, 0, "Места есть", sf.nonce, sf.cms, &res), DEC_OK);
	free(sf.cms);
	assert_string_equal(ref_status(ref), "must_enroll");
	assert_string_equal(app_status(app), "docs_submitted");
	assert_int_equal(count("SELECT count(*) FROM document WHERE referral_id = ? AND kind = 'decision'", ref), 1);
	assert_int_equal(count("SELECT free FROM free_place WHERE id = ?", place), 0); /* the place stays taken */
	struct dec_referral x;
	assert_int_equal(dec_staff_referral(staff->a, who(staff), 0, ref, &x), 1);
	assert_string_equal(x.review_comment, "Места есть");
	assert_int_equal(dec_can_refuse(&x), DEC_E_MUST_ENROLL);
	sf = sign_as(staff, "refuse", ref, dec_text_refuse(staff->a, staff->lang, &x, RFS_OTHER, "Снова нет"), "staff1-sign",
		     NULL);
	assert_int_equal(refuse_as(staff, ref, RFS_OTHER, "Снова нет", sf.nonce, sf.cms, &res), DEC_E_MUST_ENROLL);
	free(sf.cms);
	sf = sign_as(staff, "accept", ref, dec_text_accept(staff->a, staff->lang, &x), "staff1-sign", NULL);
	assert_int_equal(accept_as(staff, ref, sf.nonce, sf.cms, &res), DEC_OK);
	free(sf.cms);
	assert_string_equal(ref_status(ref), "enrolled");
	assert_string_equal(app_status(app), "enrolled");
	ut_free_req(rev);
	ut_free_req(staff);
}

/* ------------------------------------------------------------ departure */

static long long enroll_one(struct req *r, long long ddo, long long *app_out)
{
	long long place = mk_place(ddo, 1, u_now() - 40 * 86400);
	long long app = mk_app(1110, "none", u_now() - 90 * 86400, NULL);
	long long ref = mk_ref(app, place, "docs_submitted");
	struct dec_referral x;
	assert_int_equal(dec_staff_referral(r->a, who(r), 0, ref, &x), 1);
	struct signed_form f = sign_as(r, "accept", ref, dec_text_accept(r->a, r->lang, &x), "staff1-sign", NULL);
	struct dec_result res;
	assert_int_equal(accept_as(r, ref, f.nonce, f.cms, &res), DEC_OK);
	free(f.cms);
	if (app_out)
		*app_out = app;
	return res.id;
}

static void a_departure_is_dated_between_enrollment_and_today_and_marked_once(void **st)
{
	(void)st;
	struct req *r = as(STAFF1);
	long long ddo = new_ddo(1110, NULL);
	db_exec("INSERT INTO ddo_staff(account_id, ddo_id, since) VALUES (?, ?, 0)", "II", r->s->account_id, ddo);
	long long app;
	long long en = enroll_one(r, ddo, &app);
	/* Enrolled 20 days ago. */
	db_exec("UPDATE enrollment SET enrolled_at = enrolled_at - 20 * 86400 WHERE id = ?", "I", en);
	struct dec_enrollment e;
	assert_int_equal(dec_staff_enrollment(r->a, who(r), en, &e), 1);
	int today = cal_day_from_unix(u_now());
	struct {
		int day;
		const char *reason;
		enum dec_err want;
	} cases[] = {
		{today + 1, "Переезд", DEC_E_DATE_FUTURE},
		{today - 21, "Переезд", DEC_E_DATE_BEFORE},
		{today - 1, " ", DEC_E_REASON},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct signed_form f = sign_as(r, "departure", en, dec_text_depart(r->a, r->lang, &e, cases[i].day, cases[i].reason),
					       "staff1-sign", NULL);
		struct dec_result res;
		if (depart_as(r, en, cases[i].day, cases[i].reason, f.nonce, f.cms, &res) != cases[i].want)
			fail_msg("case %zu: %s", i, dec_err_names[res.err]);
		free(f.cms);
	}
	assert_string_equal(app_status(app), "enrolled");
	/* Another DDO's staff cannot touch it. */
	struct req *other = as(STAFF2);
	assert_int_equal(dec_staff_enrollment(other->a, who(other), en, &e), 0);
	struct signed_form f = sign_as(other, "departure", en, "Убыл", "staff2-sign", NULL);
	struct dec_result res;
	assert_int_equal(depart_as(other, en, today, "Переезд", f.nonce, f.cms, &res), DEC_E_NOT_FOUND);
	free(f.cms);
	/* No places added since: the departure shows in the reminder. */
	assert_int_equal(place_departed_since(ddo), 0);
	assert_int_equal(dec_staff_enrollment(r->a, who(r), en, &e), 1);
	f = sign_as(r, "departure", en, dec_text_depart(r->a, r->lang, &e, today - 20, "Переезд в другой город"), "staff1-sign", NULL);
	assert_int_equal(depart_as(r, en, today - 20, "Переезд в другой город", f.nonce, f.cms, &res), DEC_OK);
	free(f.cms);
	char iso[11];
	cal_format_iso(today - 20, iso);
	assert_int_equal(db_int("SELECT count(*) FROM enrollment WHERE id = ? AND departed_on = ? AND departed_at > 0 "
				"AND departure_reason = 'Переезд в другой город'",
				0, "It", en, iso),
			 1);
	assert_int_equal(db_int("SELECT count(*) FROM application WHERE id = ? AND status = 'departed' AND archive_reason = 'departed'",
				0, "I", app),
			 1);
	assert_int_equal(count("SELECT count(*) FROM history WHERE application_id = ? AND event = 'departed'", app), 1);
	assert_int_equal(count("SELECT count(*) FROM notification WHERE application_id = ? AND kind = 'departed'", app), 1);
	assert_int_equal(place_departed_since(ddo), 1);
	/* Twice. */
	assert_int_equal(dec_staff_enrollment(r->a, who(r), en, &e), 1);
	assert_int_equal(e.departed, 1);
	f = sign_as(r, "departure", en, dec_text_depart(r->a, r->lang, &e, today, "Снова"), "staff1-sign", NULL);
	assert_int_equal(depart_as(r, en, today, "Снова", f.nonce, f.cms, &res), DEC_E_DEPARTED);
	free(f.cms);
	/* New places published: the reminder is cleared. */
	mk_place(ddo, 1, u_now() + 1);
	assert_int_equal(place_departed_since(ddo), 0);
	ut_free_req(other);
	ut_free_req(r);
}

/* ------------------------------------------------------------ the rest */

static void names_are_compared_in_upper_case_in_every_alphabet(void **st)
{
	(void)st;
	struct arena *a = arena_new();
	assert_string_equal(dec_upper(a, "нұрлан көркем әлия ғани қанат ңң өмір үміт һ і ё abc"),
			    "НҰРЛАН КӨРКЕМ ӘЛИЯ ҒАНИ ҚАНАТ ҢҢ ӨМІР ҮМІТ Һ І Ё ABC");
	assert_string_equal(dec_upper(a, "ТЕСТ 123 ӘҒ"), "ТЕСТ 123 ӘҒ");
	arena_free(a);
	char out[64] = "";
	db_text(out, sizeof out, "SELECT kg_upper('дәулетқызы')", NULL);
	assert_string_equal(out, "ДӘУЛЕТҚЫЗЫ");
}

static void the_child_card_is_a_recorded_checkable_pdf_listing_the_documents(void **st)
{
	(void)st;
	struct req *r = as(STAFF1);
	long long place = mk_place(ddo_a, 1, u_now() - 7200);
	long long app = mk_app(1110, "out_of_turn", u_now() - 86400, NULL);
	long long ref = mk_ref(app, place, "docs_submitted");
	const char *pdf = "%PDF-1.4\n%%EOF\n";
	char sha[65];
	assert_int_equal(doc_store(pdf, strlen(pdf), sha), 0);
	db_begin();
	long long doc = doc_add(app, ref, "form065", "applicant", sha, strlen(pdf), "application/pdf", "f065.pdf", NULL, 0);
	db_commit();
	struct dec_referral x;
	assert_int_equal(dec_staff_referral(r->a, who(r), 0, ref, &x), 1);
	struct dec_doc *docs;
	assert_int_equal(dec_documents(r->a, app, ref, &docs), 1);
	assert_int_equal(docs[0].id, doc);
	long long card = dec_child_card(r->a, who(r), r->lang, &x);
	assert_true(card > 0);
	assert_int_equal(count("SELECT count(*) FROM document WHERE id = ? AND kind = 'child_card' AND origin = 'system' "
			       "AND check_code IS NOT NULL",
			       card),
			 1);
	/* Child cards are not listed among the documents of the decision. */
	assert_int_equal(dec_documents(r->a, app, ref, &docs), 1);
	struct dec_doc d;
	assert_int_equal(dec_staff_document(r->a, who(r), card, &d), 1);
	struct req *other = as(STAFF2);
	assert_int_equal(dec_staff_document(other->a, who(other), card, &d), 0);
	assert_int_equal(dec_staff_document(other->a, who(other), doc, &d), 0);
	ut_free_req(other);
	ut_free_req(r);
}

/* ------------------------------------------------------------ setup */

static int setup(void **st)
{
	(void)st;
	if (ut_setup("decide", UT_VIEW | UT_PKI, "Paths.Fonts = /usr/share/fonts/truetype/dejavu\n") < 0 ||
	    dec_init() < 0)
		return -1;
	long long s1 = account(STAFF1, 2, "+77015550002"), s2 = account(STAFF2, 2, "+77015550003");
	long long r1 = account(REVIEWER1, 4, ""), r2 = account(REVIEWER2, 4, "");
	account(PARENT1, 1, "+77015550007");
	ddo_a = new_ddo(1110, NULL);
	ddo_a2 = new_ddo(1110, NULL);
	ddo_b = new_ddo(1110, STAFF2_BIN);
	ddo_c = new_ddo(1166, NULL);
	db_exec("INSERT INTO ddo_staff(account_id, ddo_id, since) VALUES (?, ?, 0), (?, ?, 0), (?, ?, 0)", "IIIIII", s1, ddo_a,
		s1, ddo_a2, s2, ddo_b);
	db_exec("INSERT INTO reviewer_district(account_id, district_id, since) VALUES (?, 1110, 0), (?, 1166, 0)", "II", r1, r2);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	return ut_teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepting_enrolls_binds_the_voucher_and_tells_the_parent),
		cmocka_unit_test(accepting_is_refused_in_every_state_but_submitted_and_outside_the_ddos),
		cmocka_unit_test(accepting_needs_the_persons_sign_key_over_this_text_once),
		cmocka_unit_test(a_ddo_with_a_bin_takes_only_its_employees_keys),
		cmocka_unit_test(refusing_needs_a_reason_and_goes_to_the_district),
		cmocka_unit_test(the_reasons_are_a_closed_list_in_both_languages_that_the_schema_keeps),
		cmocka_unit_test(a_confirmed_refusal_puts_the_child_back_at_its_old_position),
		cmocka_unit_test(a_rejected_refusal_obliges_the_ddo_to_enroll),
		cmocka_unit_test(a_departure_is_dated_between_enrollment_and_today_and_marked_once),
		cmocka_unit_test(names_are_compared_in_upper_case_in_every_alphabet),
		cmocka_unit_test(the_child_card_is_a_recorded_checkable_pdf_listing_the_documents),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
