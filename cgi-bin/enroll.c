/*
 * enroll — «Подать документы на зачисление ребенка в дошкольную
 * организацию» (seed 003): the service description and instruction with
 * the 5-working-day warning, confirmed with «ОК»; then the parent's
 * referrals, each opening (the mark next to the child's name) onto the
 * child's data and the referral, the uploads of forms №065, №027 and
 * №052-2, the contract, the confirmation mark and «Подписать договор»
 * (EDS through NCALayer, or a one-time code for a parent who logged in by
 * code). The rules live in enroll.h.
 *
 *   GET  /enroll                 the instruction (until «ОК»), then the referrals (?open=ID)
 *   POST /enroll/ok              «ОК»: remembered in a cookie; prepares the contracts
 *   POST /enroll/ID/upload       one form (kind, file)
 *   POST /enroll/ID/code         a signing code by SMS (one-time-code sessions)
 *   POST /enroll/ID/sign         the signature (agree + nonce/cms, or agree + code)
 *
 * «ОК» is kept in the cookie enr_ok (the account id, for the browser's
 * session): a parent sees the instruction again on a new browser, and
 * whenever a new referral has no contract yet (the contract is made by
 * that «ОК», never by a GET).
 */
#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/doc.h"
#include "domain/enroll.h"
#include "domain/referral.h"
#include "web/esig.h"
#include "web/otp.h"
#include "web/req.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"
#include "base/workday.h"

#define MAX_REFS 20

/* Where a POST's message goes on the re-rendered page. */
struct placed {
	long long ref;         /* referral id (0: none) */
	const char *field;     /* "upload", "agree", "code", "sign" */
	int kind;              /* for "upload": the form */
	const char *text;
	long long wait;        /* > 0: text is information, a code may be asked in wait seconds */
};

static int confirmed(struct req *r)
{
	const char *c = hdf_get_value(r->hdf, "Cookie.enr_ok", NULL);
	long long v;
	return c && u_strtoll(c, 1, 1LL << 62, &v) == 0 && v == r->s->account_id;
}

static int otp_mode(struct req *r)
{
	return strcmp(r->s->auth_method, "otp") == 0 && *r->s->otp_phone;
}

static const char *lang_label(struct req *r, const char *code)
{
	return view_t(r, strcmp(code, "kk") == 0 ? "Enroll.lang_kk" : strcmp(code, "en") == 0 ? "Enroll.lang_en"
											      : "Enroll.lang_ru");
}

static void fill_ref(struct req *r, int i, struct enr_ref *ref, long long open, const struct placed *pl)
{
	long long now = u_now();
	enum enr_state state = enr_state_of(ref, now);
	static const char *const state_names[] = {"open", "expired", "signed", "closed", "benefit"};
#define K(rest) arena_printf(r->a, "Refs.%d.%s", i, rest)
	view_set_int(r, K("id"), ref->id);
	view_set(r, K("number"), ref->number);
	view_set(r, K("state"), state_names[state]);
	/* As it reads now: an overdue referral is annulled already. */
	enum ref_status st = ref_status_at(ref_status_parse(ref->status), ref->deadline_at, now);
	const char *status = st == REF_ST__MAX ? ref->status : ref_status_names[st];
	if (state == ENR_BENEFIT) {
		/* Where and by when the original of the benefit's document goes. */
		status = "benefit_pending";
		const char *kv[] = {"district", view_district_name(r, ref->district_id), "date",
				    arena_date(r->a, ref->deadline_at), NULL};
		view_set(r, K("benefitHint"), arena_subst(r->a, view_t(r, "BenefitCheck.hint_parent"), kv));
	}
	view_set(r, K("status"), status);
	const char *sk = arena_printf(r->a, "Journal.ref_status.%s", status);
	view_set(r, K("statusText"), view_has(r, sk) ? view_t(r, sk) : status);
	if (ref->id == open || (pl && pl->ref == ref->id))
		view_set(r, K("open"), "1");
	view_set(r, K("child.name"),
		 arena_printf(r->a, "%s %s %s", ref->child_surname, ref->child_name, ref->child_patronymic));
	view_set(r, K("child.iin"), ref->child_iin);
	if (strlen(ref->child_birth) == 10)
		view_set(r, K("child.birth"), arena_iso_date(r->a, ref->child_birth));
	view_set(r, K("child.sex"), view_t(r, strcmp(ref->child_sex, "F") == 0 ? "Journal.sex_f" : "Journal.sex_m"));
	view_set(r, K("app.number"), ref->app_number);
	view_set_int(r, K("app.id"), ref->application_id);
	view_set_int(r, K("app.groupYear"), ref->group_year);
	view_set(r, K("app.language"), lang_label(r, ref->language));
	view_set(r, K("ddo.name"), strcmp(r->lang, "kk") == 0 ? ref->ddo_name_kk : ref->ddo_name_ru);
	view_set(r, K("ddo.address"), ref->ddo_address);
	view_set(r, K("ddo.phone"), ref->ddo_phone);
	view_set(r, K("issued"), arena_datetime(r->a, ref->issued_at));
	view_set(r, K("deadline"), arena_datetime(r->a, ref->deadline_at));
	if (state == ENR_OPEN) {
		int left = wd_days_left(now, ref->deadline_at);
		view_set_int(r, K("daysLeft"), left < 0 ? 0 : left);
		view_set(r, K("daysText"), left <= 0 ? view_t(r, "Enroll.last_day")
			 : view_tf(r, "Enroll.days_left", "n", arena_printf(r->a, "%d", left)));
	}
	for (int k = 0; k < ENR__KINDS; k++) {
		const struct enr_doc *d = &ref->forms[k];
		const char *p = arena_printf(r->a, "Refs.%d.forms.%d", i, k);
		view_set(r, arena_printf(r->a, "%s.kind", p), enr_kind_names[k]);
		view_set(r, arena_printf(r->a, "%s.label", p),
			 view_t(r, arena_printf(r->a, "Enroll.form_%s", enr_kind_names[k])));
		view_set(r, arena_printf(r->a, "%s.what", p),
			 view_t(r, arena_printf(r->a, "Enroll.what_%s", enr_kind_names[k])));
		if (d->id) {
			view_set_int(r, arena_printf(r->a, "%s.docId", p), d->id);
			view_set(r, arena_printf(r->a, "%s.filename", p), d->filename);
			view_set(r, arena_printf(r->a, "%s.size", p), view_file_size(r, d->size));
			view_set(r, arena_printf(r->a, "%s.uploaded", p), arena_datetime(r->a, d->created_at));
		}
		if (pl && pl->ref == ref->id && strcmp(pl->field, "upload") == 0 && pl->kind == k)
			view_set(r, arena_printf(r->a, "%s.error", p), pl->text);
	}
	int missing[ENR__KINDS];
	int have = enr_forms_present(ref, missing);
	view_set_int(r, K("formsHave"), have);
	if (ref->contract.id) {
		view_set_int(r, K("contract.id"), ref->contract.id);
		view_set(r, K("contract.number"), ref->contract_number);
		const char *link = view_tf(r, "Enroll.contract_link", "number", ref->contract_number);
		view_set(r, K("contract.link"),
			 arena_subst(r->a, link, (const char *const[]){"size", view_file_size(r, ref->contract.size), NULL}));
	}
	if (state == ENR_SIGNED && ref->signature_id) {
		view_set(r, K("signed.at"), arena_datetime(r->a, ref->signed_at));
		view_set(r, K("signed.method"),
			 view_t(r, strcmp(ref->sign_method, "otp") == 0 ? "HistoryParam.otp" : "HistoryParam.eds"));
	}
	if (state == ENR_OPEN) {
		view_set(r, K("sign.mode"), otp_mode(r) ? "otp" : "eds");
		const char *text = enr_sign_text(r->a, r->lang, ref);
		if (text) {
			view_set(r, K("sign.ready"), "1");
			if (!otp_mode(r)) {
				char nonce[44];
				const char *content = esig_challenge(r, "action", "contract", ref->id, text, nonce);
				if (content)
					esig_view(r, arena_printf(r->a, "Refs.%d.sign", i), content, nonce);
			} else {
				char masked[20];
				u_mask_phone(r->s->otp_phone, masked);
				view_set(r, K("sign.hint"), view_tf(r, "Enroll.otp_hint", "phone", masked));
				view_set(r, K("sign.text"), text);
			}
		}
		if (pl && pl->ref == ref->id && pl->wait > 0) {
			view_set(r, K("sign.waitText"), pl->text);
			view_set_int(r, K("sign.wait"), pl->wait);
		} else if (pl && pl->ref == ref->id && strcmp(pl->field, "upload") != 0) {
			view_set(r, arena_printf(r->a, "Refs.%d.sign.%sError", i, pl->field), pl->text);
		}
	} else if (pl && pl->ref == ref->id) {
		view_set(r, K("error"), pl->text);  /* no form left to put it at */
	}
#undef K
}

/* The referrals page; pl places a POST's message (NULL on a GET). */
static int render_list(struct req *r, long long open, const struct placed *pl)
{
	long long ids[MAX_REFS];
	int n = enr_referrals(r->s->account_id, ids, MAX_REFS);
	if (n < 0)
		return REQ_ERROR;
	int shown = 0;
	for (int i = 0; i < n; i++) {
		struct enr_ref ref;
		if (enr_load(ids[i], r->s->account_id, &ref) < 0)
			continue;
		fill_ref(r, shown++, &ref, open, pl);
	}
	view_set_int(r, "Enroll.count", shown);
	view_set(r, "Me.iin", r->s->iin);
	view_set(r, "Enroll.formats", view_tf(r, "Enroll.formats", "max",
					      arena_printf(r->a, "%lld", doc_max_bytes() / (1024 * 1024))));
	if (pl && !pl->ref)
		view_set(r, "Enroll.error", pl->text);
	return view_render(r, "enroll.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int render_intro(struct req *r)
{
	return view_render(r, "enroll_intro.cs") < 0 ? REQ_ERROR : REQ_OK;
}

enum { G_OPEN, G_HELP, G__MAX };
static const struct vfield get_fields[G__MAX] = {
	[G_OPEN] = {"open", V_INT, 0, 1, 1LL << 62, NULL},
	[G_HELP] = {"help", V_BOOL, 0, 0, 0, NULL},
};

static int page(struct req *r)
{
	struct vval v[G__MAX];
	val_form(r, get_fields, G__MAX, v);
	if (v[G_HELP].i || !confirmed(r) || enr_contract_missing(r->s->account_id, u_now()))
		return render_intro(r);
	return render_list(r, v[G_OPEN].err ? 0 : v[G_OPEN].i, NULL);
}

enum { O_READ, O__MAX };
static const struct vfield ok_fields[O__MAX] = {
	[O_READ] = {"read", V_BOOL, VF_REQUIRED, 0, 0, NULL},
};

static int ok(struct req *r)
{
	struct vval v[O__MAX];
	if (val_form(r, ok_fields, O__MAX, v) > 0) {
		view_field_error(r, "read", "Enroll.err_read");
		r->status = 422;
		return render_intro(r);
	}
	if (enr_prepare_all(req_actor(r, ROLE_CITIZEN), r->a, r->lang) < 0)
		return 500;
	char id[24];
	snprintf(id, sizeof id, "%lld", r->s->account_id);
	req_cookie(r, "enr_ok", id, -1);
	return req_redirect(r, "/enroll");
}

static int back_to(struct req *r, long long id, const char *flash)
{
	view_flash(r, flash, NULL);
	return req_redirect(r, arena_printf(r->a, "/enroll?open=%lld#ref-%lld", id, id));
}

/* The message of a lang key from enroll.h, with its parameters filled:
 * Err.file_too_large says the largest size in megabytes. */
static const char *error_text(struct req *r, const char *key)
{
	if (strcmp(key, "Err.file_too_large") == 0) {
		long long max = doc_max_bytes();
		const char *mb = max % (1024 * 1024) == 0 ? arena_printf(r->a, "%lld", max / (1024 * 1024))
			: arena_printf(r->a, "%.1f", (double)max / (1024.0 * 1024.0));
		return view_tf(r, key, "max", mb ? mb : "?");
	}
	return view_t(r, key);
}

/* 409 for a referral that can no longer change, 429 for the upload
 * limits of a referral, 422 for the rest. */
static int status_of(const char *key)
{
	if (strncmp(key, "Abuse.upload_", 13) == 0)
		return 429;
	return strcmp(key, "Enroll.err_signed") == 0 || strcmp(key, "Enroll.err_expired") == 0 ||
			       strcmp(key, "Enroll.err_closed") == 0 || strcmp(key, "BenefitCheck.err_enroll") == 0
		? 409 : 422;
}

enum { U_KIND, U__MAX };
static const struct vfield upload_fields[U__MAX] = {
	[U_KIND] = {"kind", V_ENUM, VF_REQUIRED, 0, 0, enr_kind_names},
};

static int upload(struct req *r)
{
	struct enr_ref ref;
	if (enr_load(r->iarg[0], r->s->account_id, &ref) < 0)
		return 404;
	struct vval v[U__MAX];
	if (val_form(r, upload_fields, U__MAX, v) > 0) {
		r->status = 422;
		struct placed pl = {ref.id, "sign", 0, view_t(r, "Enroll.err_kind"), 0};
		return render_list(r, ref.id, &pl);
	}
	const struct req_file *f = req_file(r, "file");
	const char *err = enr_upload(req_actor(r, ROLE_CITIZEN), r->a, &ref, (enum enr_kind)v[U_KIND].i,
				     f ? f->filename : NULL, f ? f->data : NULL, f ? f->len : 0);
	if (!err)
		return back_to(r, ref.id, "enroll_uploaded");
	if (strcmp(err, "Err.internal") == 0)
		return 500;
	r->status = status_of(err);
	struct placed pl = {ref.id, "upload", (int)v[U_KIND].i, error_text(r, err), 0};
	return render_list(r, ref.id, &pl);
}

enum { S_AGREE, S_NONCE, S_CMS, S_CODE, S__MAX };
static const struct vfield sign_fields[S__MAX] = {
	[S_AGREE] = {"agree", V_BOOL, 0, 0, 0, NULL},
	[S_NONCE] = {"nonce", V_TOKEN, 0, 0, 64, NULL},
	[S_CMS] = {"cms", V_TEXT, 0, 0, 60000, NULL},
	[S_CODE] = {"code", V_TOKEN, 0, 0, 12, NULL},
};

/* A parent who logged in by code signs with one: the code of purpose
 * "sign" sent to the session's otp_phone, checked by otp_check (which uses
 * it up), then the submission. NULL or a lang key (Otp.* or Enroll.*);
 * *left gets the attempts left after a wrong code. */
static const char *sign_by_code(struct req *r, struct enr_ref *ref, const char *code, long long *left)
{
	*left = 0;
	if (!otp_mode(r))
		return "Enroll.err_not_otp";
	char phone[13] = "", iin[13] = "";
	enum otp_result res = otp_check(r, "sign", code, phone, iin, left);
	if (res != OTP_OK)
		return otp_result_key(res);
	if (strcmp(phone, r->s->otp_phone) != 0 || strcmp(iin, r->s->iin) != 0)
		return "Enroll.err_code_phone";
	return enr_sign_otp(req_actor(r, ROLE_CITIZEN), r->a, r->lang, ref, phone);
}

static int sign(struct req *r)
{
	struct enr_ref ref;
	if (enr_load(r->iarg[0], r->s->account_id, &ref) < 0)
		return 404;
	struct vval v[S__MAX];
	val_form(r, sign_fields, S__MAX, v);
	const char *why = enr_sign_precheck(&ref, (int)v[S_AGREE].i, u_now());
	if (why) {
		r->status = status_of(why);
		struct placed pl = {ref.id, strcmp(why, "Enroll.err_agree") == 0 ? "agree" : "sign", 0, view_t(r, why), 0};
		return render_list(r, ref.id, &pl);
	}
	if (otp_mode(r)) {
		if (!v[S_CODE].present || v[S_CODE].err) {
			r->status = 422;
			struct placed pl = {ref.id, "code", 0, view_t(r, v[S_CODE].err ? "Otp.wrong" : "Enroll.err_code"), 0};
			return render_list(r, ref.id, &pl);
		}
		long long left = 0;
		why = sign_by_code(r, &ref, v[S_CODE].s, &left);
		if (why) {
			if (strcmp(why, "Err.internal") == 0)
				return 500;
			audit_act(req_actor(r, ROLE_CITIZEN), "contract_sign", "referral", ref.id, "otp_refused", why);
			r->status = status_of(why);
			const char *text = strcmp(why, "Otp.wrong") == 0
				? view_tf(r, "Enroll.code_wrong", "n", arena_printf(r->a, "%lld", left)) : view_t(r, why);
			struct placed pl = {ref.id, strncmp(why, "Otp.", 4) == 0 ? "code" : "sign", 0, text, 0};
			return render_list(r, ref.id, &pl);
		}
		return back_to(r, ref.id, "enroll_signed");
	}
	if (v[S_CMS].err || v[S_NONCE].err) {
		r->status = 422;
		struct placed pl = {ref.id, "sign", 0, view_t(r, v[S_CMS].err ? "Eds.format" : "Eds.challenge_unknown"), 0};
		return render_list(r, ref.id, &pl);
	}
	/* The CMS over the challenge of the page; the domain records it with
	 * the submission, once the referral's text is checked again. */
	struct sign_proof p;
	esig_verify(r, v[S_NONCE].s, v[S_CMS].s, "action", "contract", ref.id, &p);
	enum sign_err se;
	why = enr_sign_eds(req_actor(r, ROLE_CITIZEN), r->a, r->lang, &ref, &p, &se);
	if (why)
		esig_burn(r, v[S_NONCE].s); /* one try per challenge */
	if (why) {
		if (strcmp(why, "Err.internal") == 0) {
			sign_signer_clear(&p.signer);
			return 500;
		}
		/* The log keeps the detail of a refused verification or person. */
		const char *detail = se != SIGN_OK && (p.err != SIGN_OK || se == SIGN_E_WRONG_PERSON ||
						       se == SIGN_E_WRONG_BIN) ? p.signer.detail : "";
		audit_act(req_actor(r, ROLE_CITIZEN), "contract_sign", "referral", ref.id,
			  strncmp(why, "Eds.", 4) == 0 ? sign_err_name(se) : why, detail);
		sign_signer_clear(&p.signer);
		r->status = status_of(why);
		struct placed pl = {ref.id, "sign", 0,
				    strncmp(why, "Eds.", 4) == 0 ? esig_refusal_text(r, why) : view_t(r, why), 0};
		return render_list(r, ref.id, &pl);
	}
	sign_signer_clear(&p.signer);
	return back_to(r, ref.id, "enroll_signed");
}

static int code(struct req *r)
{
	struct enr_ref ref;
	if (enr_load(r->iarg[0], r->s->account_id, &ref) < 0)
		return 404;
	const char *why = enr_sign_precheck(&ref, 1, u_now());
	if (!why && !otp_mode(r))
		why = "Enroll.err_not_otp";
	if (why) {
		r->status = status_of(why);
		struct placed pl = {ref.id, otp_mode(r) ? "code" : "sign", 0, view_t(r, why), 0};
		return render_list(r, ref.id, &pl);
	}
	/* A fresh signing code to the phone the parent logged in with. */
	long long wait = 0;
	enum otp_result res = otp_issue(r, "sign", r->s->otp_phone, r->s->iin, 1, &wait);
	if (res == OTP_OK)
		return back_to(r, ref.id, "enroll_code_sent");
	r->status = res == OTP_WAIT || res == OTP_LIMIT ? 429 : 503;
	if (res == OTP_WAIT) {
		const char *n = arena_printf(r->a, "%lld", wait);
		req_header(r, "Retry-After", n);
		struct placed pl = {ref.id, "code", 0, view_tf(r, "Otp.wait", "n", n), wait};
		return render_list(r, ref.id, &pl);
	}
	struct placed pl = {ref.id, "code", 0, view_t(r, otp_result_key(res)), 0};
	return render_list(r, ref.id, &pl);
}

static const struct route routes[] = {
	{M_GET, "/enroll", ROLE_CITIZEN, page, 0},
	{M_POST, "/enroll/ok", ROLE_CITIZEN, ok, 0},
	{M_POST, "/enroll/%d/upload", ROLE_CITIZEN, upload, RF_UPLOAD},
	{M_POST, "/enroll/%d/code", ROLE_CITIZEN, code, 0},
	{M_POST, "/enroll/%d/sign", ROLE_CITIZEN, sign, 0},
};

static int init(void) { return doc_init(); }

int main(int argc, char **argv)
{
	static const struct app app = {"enroll", routes, NROUTES(routes), init};
	return req_main(argc, argv, &app);
}
