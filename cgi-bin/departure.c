/*
 * departure — «Обработка убытия» (seed 000, section 4, figure 27), for DDO
 * staff: the departure of a child of one of their DDOs' enrolled lists.
 *
 *   GET  /departure/%d   the form for enrollment %d: ИИН ребенка and ФИО
 *                        ребенка filled in, Дата убытия (дд.мм.гггг),
 *                        Причина убытия, «Подписать и отправить», «Отмена»;
 *                        once the departure is marked, what was recorded
 *                        and the reminder that freed places are not added
 *                        by the system, with the way to add them
 *   POST /departure/%d   the date and reason (checked: not in the future,
 *                        not before the enrollment), then the text to sign
 *                        with them, then the signed departure
 *   GET  /departure      back to the enrolled list of the cabinet
 *
 * The departure itself is dec_depart (lib/domain/decide.c): this screen
 * reads the form, verifies the CMS against its challenge (esig_verify)
 * and shows what the domain returns.
 */
#include <string.h>

#include "base/cal.h"
#include "domain/decide.h"
#include "web/esig.h"
#include "domain/place.h"
#include "web/req.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"

#define CMS_MAX 100000

/* The staff member acting, as the decisions and the audit log name them. */
static struct actor staff(struct req *r) { return req_actor(r, ROLE_STAFF); }

enum { F_DATE, F_REASON, F_NONCE, F_CMS, F__MAX };
static const struct vfield fields[F__MAX] = {
	[F_DATE] = {"date", V_DATE, VF_REQUIRED, 0, 0, NULL},
	[F_REASON] = {"reason", V_MEMO, VF_REQUIRED, 0, 1000, NULL},
	[F_NONCE] = {"nonce", V_TOKEN, 0, 0, 64, NULL},
	[F_CMS] = {"cms", V_MEMO, 0, 0, CMS_MAX, NULL},
};

static void view_enrollment(struct req *r, const struct dec_enrollment *e)
{
	char d[11];
	view_set_int(r, "En.id", e->id);
	view_set(r, "En.iin", e->child_iin);
	view_setf(r, "En.fio", "%s %s%s%s", e->child_surname, e->child_name, *e->child_patronymic ? " " : "",
		  e->child_patronymic);
	view_set(r, "En.app", e->app_number);
	view_set(r, "En.ref", e->referral_number);
	view_set_int(r, "En.year", e->group_year);
	view_set(r, "En.ddo", strcmp(r->lang, "kk") == 0 ? e->ddo_name_kk : e->ddo_name_ru);
	u_fmt_date(e->enrolled_at, d);
	view_set(r, "En.enrolled", d);
	u_fmt_date(u_now(), d);
	view_set(r, "Today", d);
	if (e->departed) {
		view_set(r, "En.departed", "1");
		view_set(r, "En.departedOn", e->departed_on);
		view_set(r, "En.reason", e->departure_reason);
		char t[17];
		u_fmt_datetime(e->departed_at, t);
		view_set(r, "En.departedAt", t);
		view_set_int(r, "Freed", place_departed_since(e->ddo_id));
	}
}

/* step 1: the form of figure 27; step 2: the text to sign and the signed
 * form (date and reason as typed). */
static int render(struct req *r, const struct dec_enrollment *e, int step, int day, const char *reason)
{
	view_enrollment(r, e);
	if (!e->departed && step == 2) {
		char nonce[44], d[11];
		const char *content = esig_challenge(r, "action", "departure", e->id,
						     dec_text_depart(r->a, r->lang, e, day, reason), nonce);
		if (!content)
			return REQ_ERROR;
		esig_view(r, "Sign", content, nonce);
		cal_format_date(day, d);
		view_set(r, "Step", "2");
		view_set(r, "Date", d);
		view_set(r, "Reason", reason);
	} else {
		view_set(r, "Step", "1");
	}
	return view_render(r, "departure.cs") < 0 ? REQ_ERROR : REQ_OK;
}

/* The enrollment of the path, among the staff member's DDOs: FOUND, or
 * the handler's failure (404, 500). */
enum { FOUND = 1 };
static int load(struct req *r, struct dec_enrollment *e)
{
	int f = dec_staff_enrollment(r->a, staff(r), r->iarg[0], e);
	return f < 0 ? 500 : f ? FOUND : req_fail(r, 404, "Departure.not_found");
}

static int form(struct req *r)
{
	struct dec_enrollment e;
	int f = load(r, &e);
	if (f != FOUND)
		return f;
	return render(r, &e, 1, 0, "");
}

static int post(struct req *r)
{
	struct dec_enrollment e;
	int f = load(r, &e);
	if (f != FOUND)
		return f;
	if (e.departed) {
		view_set(r, "Alert", view_t(r, "Decide.err.departed"));
		r->status = 409;
		return render(r, &e, 1, 0, "");
	}
	struct vval v[F__MAX];
	int bad = val_form(r, fields, F__MAX, v);
	int day = (int)v[F_DATE].i;
	if (!v[F_DATE].err) {
		/* The date's rule of dec_depart, told at the field before signing. */
		enum dec_err de = dec_depart_day(&e, day, u_now());
		if (de != DEC_OK) {
			view_field_error(r, "date", dec_err_key(de));
			bad++;
		}
	}
	if (bad) {
		r->status = 422;
		return render(r, &e, 1, 0, "");
	}
	if (!v[F_NONCE].present)
		return render(r, &e, 2, day, v[F_REASON].s);
	struct sign_proof p;
	esig_verify(r, v[F_NONCE].s, v[F_CMS].s, "action", "departure", e.id, &p);
	struct dec_result res;
	enum dec_err err = dec_depart(r->a, staff(r), r->lang, e.id, day, v[F_REASON].s, &p, &res);
	sign_signer_clear(&p.signer);
	if (err != DEC_OK)
		esig_burn(r, v[F_NONCE].s); /* one try per challenge */
	if (err == DEC_OK) {
		view_flash(r, "departure_marked", NULL);
		return req_redirect(r, arena_printf(r->a, "/departure/%lld", e.id));
	}
	if (err == DEC_E_INTERNAL)
		return 500;
	if (err == DEC_E_NOT_FOUND)
		return req_fail(r, 404, "Departure.not_found");
	r->status = dec_http_status(err);
	if (err == DEC_E_DATE_FUTURE || err == DEC_E_DATE_BEFORE) {
		view_field_error(r, "date", res.msg_key);
		return render(r, &e, 1, 0, "");
	}
	view_set(r, "Alert", err == DEC_E_SIGNATURE || err == DEC_E_TEXT ? esig_refusal_text(r, res.msg_key)
									 : view_t(r, res.msg_key));
	if (dec_staff_enrollment(r->a, staff(r), e.id, &e) <= 0)
		return REQ_ERROR;
	return render(r, &e, e.departed ? 1 : 2, day, v[F_REASON].s);
}

static int back(struct req *r) { return req_redirect(r, "/cabinet#enrolled"); }

static const struct route routes[] = {
	{M_GET, "/departure", ROLE_STAFF, back, 0},
	{M_GET, "/departure/%d", ROLE_STAFF, form, 0},
	{M_POST, "/departure/%d", ROLE_STAFF, post, 0},
};

int main(int argc, char **argv)
{
	static const struct app app = {"departure", routes, NROUTES(routes), NULL};
	return req_main(argc, argv, &app);
}
