/*
 * voucher.h — vouchers per district (issue 17 item 3): where a district is
 * financed per capita, an offer of a place (offer.h) is a voucher the
 * parent must confirm.
 *
 * FINANCING. district.financing (sql/230) is 'state' or 'voucher'; support
 * sets it in /admin (vch_set_financing). A change applies to the offers
 * made from then on; a voucher already issued runs its course.
 *
 * ISSUE. offer_fill makes its offers as offer.h says; for an offer made in
 * a voucher district it calls vch_issue in the same transaction: a voucher
 * row, status 'issued', consent_until = the last second of the
 * Voucher.ConsentWorkingDays-th (2) working day after the day of issue
 * (workday.h); the offer's until becomes consent_until (so the offer, and
 * the place it reserves, last exactly as long as the voucher waits for its
 * answer, whatever the record's window); its history row, audit row and
 * SMS (instead of the offer's SMS).
 *
 * THE PARENT'S ANSWER, within consent_until (the application page and
 * «Мои заявления» show «Подтвердить согласие» and «Отказаться» instead of
 * the offer's actions; while the voucher waits its offered place cannot be
 * taken):
 *   confirm  'confirmed'. THE RIGHT OF A CONFIRMED VOUCHER: until
 *            choose_until = the last second of the
 *            Voucher.ChooseWorkingDays-th (2) working day after the day of
 *            consent, its holder may take a place of ANY record of the
 *            application's district, group year and language, of any DDO
 *            kind (private and mini-centres included), that has a free
 *            place not reserved by another applicant's open offer:
 *            a record in free choice, the offered record itself, or a
 *            record still in its priority window with more free places
 *            than other applicants' open offers (vch_may_take, the one
 *            rule). The offer stays open until choose_until and keeps
 *            reserving its place for the holder during the record's
 *            window. Taking a place issues the referral as ref_issue
 *            always does (the 5-working-day document deadline starts at
 *            the referral), and the voucher becomes 'used'. Not used by
 *            choose_until: 'expired', the offer lapses, the application
 *            stays in the queue with its date.
 *   refuse   'refused' (also a confirmed voucher before it is used): the
 *            application is archived with reason 'voucher_refused'; the
 *            place passes on at once (offer_fill).
 * NO ANSWER by consent_until (the job vch_due): 'lapsed', the application
 * becomes 'inactive': it keeps its date, gets no offer (offer_fill takes
 * only 'queued' applications) and cannot take a place; the place passes
 * on. The parent may restore it ONCE in the application's life (a second
 * restore is refused, VCH_RESTORED_ONCE), within restore_until = lapse +
 * Voucher.RestoreDays (28) calendar days: it is 'queued' again with its
 * date. Not restored by then (vch_due): archived, reason 'voucher_lapsed'.
 * A voucher whose application left the queue otherwise before the answer
 * (a withdrawal) ends 'void'.
 *
 * A live voucher ('issued' or 'confirmed') holds its applicant like an open
 * offer: offer_fill does not offer it another place.
 *
 * MODULES: offer.c calls this module (vch_issue, vch_right, vch_take);
 * this one calls offer's filling only through the functions passed in.
 *
 * Every change is one transaction with its history row, audit row and an
 * SMS to the parent in the account's language (acct_lang_of_app).
 * Prefix vch_.
 */
#ifndef KG_VOUCHER_H
#define KG_VOUCHER_H

#include "base/actor.h"
#include "domain/place.h"

/* district.financing, in the enum's order. */
enum vch_financing { VCH_FIN_STATE, VCH_FIN_VOUCHER, VCH_FIN__MAX };
extern const char *const vch_financing_names[VCH_FIN__MAX + 1];   /* state, voucher, NULL */

/* voucher.status, in the enum's order. */
enum vch_status { VCH_ISSUED, VCH_CONFIRMED, VCH_USED, VCH_REFUSED, VCH_LAPSED, VCH_EXPIRED, VCH_VOID, VCH_ST__MAX };
extern const char *const vch_status_names[VCH_ST__MAX + 1];

/* The settings, kept in range: Voucher.ConsentWorkingDays (1..30, 2),
 * Voucher.ChooseWorkingDays (1..30, 2), Voucher.RestoreDays (1..365, 28). */
int vch_consent_days(void);
int vch_choose_days(void);
int vch_restore_days(void);

/* ---- financing ---- */

/* Is the district financed by vouchers? 1, 0, -1 on a database error. */
int vch_is_voucher_district(int district);
/* Support sets a district's financing: one transaction with its audit
 * row. 0 done (or already so), 1 no such district, -1 database error. */
int vch_set_financing(struct actor who, int district, enum vch_financing f);
/* The districts with their financing, in the portal's order. 0 or -1. */
struct vch_district {
	int id;
	char name_ru[128], name_kk[128];
	enum vch_financing financing;
};
int vch_each_district(void (*fn)(void *arg, const struct vch_district *d), void *arg);

/* ---- what offer.c asks ---- */

/* Inside offer_fill's transaction, right after the offer was written: in a
 * voucher district the offer becomes a voucher (above). 1 issued (its SMS
 * is sent: the caller sends no offer SMS), 0 not a voucher district, -1 on
 * a database error. */
int vch_issue(long long offer_id, long long app_id, const char *ddo_ru, const char *ddo_kk, long long now);

/* What a voucher says about the application taking a place of a record. */
enum vch_right {
	VCH_RIGHT_NONE,      /* no live voucher: offer.h's rules */
	VCH_RIGHT_MAY,       /* a confirmed voucher may take it (vch_may_take) */
	VCH_RIGHT_MAY_NOT    /* a voucher waiting for consent, or the record's places are reserved for others */
};
/* At now; -1 on a database error. */
int vch_right(long long app_id, long long place_id, long long now);
/* vch_right inside ref_issue's transaction (through offer_accept), where
 * the application is about to take the place: its live voucher becomes
 * 'used' with its history row (the transaction rolls back if the place is
 * refused after all). */
int vch_take(long long app_id, long long place_id, long long actor, long long now);

/* The rule of a confirmed voucher (pure): may it take a place of a record
 * with this status and free count, when others_reserved places of it are
 * held by other applicants' open offers? */
int vch_may_take(enum place_status status, int free, long long others_reserved);

/* Calls fn for each record a confirmed voucher of the application may take
 * at now (vch_may_take), by the DDO's name in lang; at most max. Returns
 * how many, or -1. */
int vch_each_open(const struct place_app *a, const char *lang, long long now, int max,
		  void (*fn)(void *arg, const struct place_row *p), void *arg);

/* ---- the parent ---- */

/* The application's latest voucher as it reads at now. */
struct vch_info {
	long long id, offer_id, place_id;
	enum vch_status status;
	long long issued_at, consent_until, choose_until, lapsed_at, restore_until, restored_at, archived_at;
	int pending;       /* queued, 'issued' and consent_until not passed: confirm or refuse */
	int choosing;      /* queued, 'confirmed' and choose_until not passed: choose a place */
	int inactive;      /* the application is 'inactive' */
	int restorable;    /* the application is 'inactive' and may be restored now */
	int restored_once; /* the application has used its one restore */
	char ddo_ru[304], ddo_kk[304], address[304];
};
/* 1 found, 0 none, -1 on a database error. */
int vch_of_app(long long app_id, long long now, struct vch_info *out);

/* The outcomes of the parent's acts. */
enum vch_err {
	VCH_OK,
	VCH_NOT_FOUND,      /* not the citizen's application, or no voucher to act on */
	VCH_NOT_PENDING,    /* the voucher is not waiting for this answer (answered, or its time is over) */
	VCH_RESTORED_ONCE,  /* the application was restored once already */
	VCH_RESTORE_OVER,   /* the restore period is over */
	VCH_NOT_INACTIVE,   /* the application is not inactive */
	VCH_ERR__MAX
};
extern const char *const vch_err_names[VCH_ERR__MAX + 1];
/* The citizen who.id acts on their application app_id. VCH_OK, a reason,
 * or -1 on a database error (nothing changed). What passes a place on is
 * passed in, as place_add does (offer.c builds on this module): the
 * screens pass offer_fill_place (the refused voucher's place, in the same
 * transaction) and offer_fill_app (a restored application may be offered
 * a place at once). */
int vch_confirm(struct actor who, long long app_id);
int vch_refuse(struct actor who, long long app_id, int (*pass_on)(long long place_id, long long now));
int vch_restore(struct actor who, long long app_id, int (*offer_again)(long long app_id, long long now));

/* ---- time ---- */

/* The job "vouchers" of `kgctl tick`: vouchers not answered by
 * consent_until lapse (the application 'inactive'); confirmed ones not
 * used by choose_until expire; inactive applications past restore_until
 * are archived. Each in its own transaction; idempotent and safe to run
 * concurrently. Returns how many changed, or -1. */
int vch_due(long long now, int (*pass_on)(long long place_id, long long now));

/* ---- statistics ---- */

/* Vouchers issued, confirmed, lapsed, restored and refused in a district
 * (0: all). 0 or -1. */
struct vch_tally { long long issued, confirmed, lapsed, restored, refused; };
int vch_tally(int district, struct vch_tally *out);

#endif
