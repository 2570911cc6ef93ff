/*
 * moves — a child's moves between kindergartens besides the queue's own
 * referral (issue 17 items 4–6): waiting lists, transfers and exchanges.
 *
 *   GET  /moves/waitlist/ID      the waiting lists of one's own queued
 *                                application (up to 3 DDOs of its district)
 *   POST /moves/waitlist/ID      op=add|remove, ddo: put it on / take it off
 *   GET  /moves                  «Переводы и обмен»: one's enrolled children,
 *                                their transfer requests and exchanges
 *   POST /moves/transfer/ID      ddo1..ddo3: a transfer request of the
 *                                enrolled application ID
 *   POST /moves/propose/ID       number: propose an exchange of ID's place
 *                                with the enrolled application of that number
 *   POST /moves/exchange/ID/agree   the other parent agrees
 *   POST /moves/exchange/ID/cancel  either parent cancels
 *   GET  /moves/exchange/ID?ddo=D   staff of DDO D: the exchange and the
 *                                signed «Принять обмен» / «Отклонить обмен»
 *   POST /moves/exchange/ID      ddo, decision=accept|refuse, nonce, cms
 *
 * The rules live in lib/domain/waitlist.h and transfer.h; this file reads
 * the forms, calls them and fills the views. Every object is looked up
 * with the account in the query: another parent's application, or another
 * DDO's exchange, is a 404.
 */
#include <stdio.h>
#include <string.h>

#include "base/db.h"
#include "domain/queue.h"
#include "domain/transfer.h"
#include "domain/waitlist.h"
#include "web/esig.h"
#include "web/req.h"
#include "base/util.h"
#include "web/val.h"
#include "web/view.h"

static struct actor citizen(struct req *r) { return req_actor(r, ROLE_CITIZEN); }
static struct actor staff(struct req *r) { return req_actor(r, ROLE_STAFF); }

#define CMS_MAX 100000

static const char *ddo_name(struct req *r, const char *ru, const char *kk)
{
	return strcmp(r->lang, "kk") == 0 && *kk ? kk : ru;
}

/* ------------------------------------------------------ waiting lists */

/* One's own application (any status) into App.*; its district in *district
 * and whether it is queued in *queued. 1 found, 0 not, -1 error. */
static int own_app(struct req *r, long long id, int *district, int *queued)
{
	sqlite3_stmt *st = db_query("SELECT a.number, a.group_year, a.language, a.status, a.district_id, "
				    "rtrim(c.surname || ' ' || c.name || ' ' || c.patronymic) FROM application a "
				    "JOIN child c ON c.id = a.child_id WHERE a.id = ? AND a.applicant_id = ?",
				    "II", id, r->s->account_id);
	int found = db_row(st);
	if (found) {
		view_set_int(r, "App.id", id);
		view_set(r, "App.number", db_col(st, 0));
		view_set_int(r, "App.year", sqlite3_column_int(st, 1));
		view_set(r, "App.language", db_col(st, 2));
		view_set(r, "App.status", db_col(st, 3));
		*district = sqlite3_column_int(st, 4);
		*queued = strcmp(db_col(st, 3), "queued") == 0;
		view_set(r, "App.child", db_col(st, 5));
		view_set(r, "App.district", view_district_name(r, *district));
	}
	return db_end(st) < 0 ? -1 : found;
}

static int waitlist_render(struct req *r)
{
	int district = 0, queued = 0;
	int f = own_app(r, r->iarg[0], &district, &queued);
	if (f < 0)
		return 500;
	if (!f)
		return req_fail(r, 404, "Waitlist.not_found");
	struct wl_entry on[WL_MAX];
	int n = wl_of_app(r->s->account_id, r->iarg[0], on, WL_MAX);
	if (n < 0)
		return 500;
	for (int i = 0; i < n; i++) {
		view_set_int(r, arena_printf(r->a, "Lists.%d.id", i), on[i].ddo_id);
		view_set(r, arena_printf(r->a, "Lists.%d.name", i), ddo_name(r, on[i].name_ru, on[i].name_kk));
		view_set(r, arena_printf(r->a, "Lists.%d.since", i), arena_date(r->a, on[i].added_at));
	}
	view_set_int(r, "ListMax", WL_MAX);
	if (queued && n < WL_MAX) {
		/* The district's active DDOs it is not on yet. */
		sqlite3_stmt *st = db_query("SELECT d.id, d.name_ru, d.name_kk FROM ddo d WHERE d.district_id = ? AND d.active = 1 "
					    "AND NOT EXISTS (SELECT 1 FROM waitlist w WHERE w.application_id = ? AND w.ddo_id = d.id) "
					    "ORDER BY d.name_ru, d.id LIMIT 500", "iI", district, r->iarg[0]);
		for (int i = 0; db_row(st); i++) {
			view_set_int(r, arena_printf(r->a, "Choices.%d.id", i), sqlite3_column_int64(st, 0));
			view_set(r, arena_printf(r->a, "Choices.%d.name", i), ddo_name(r, db_col(st, 1), db_col(st, 2)));
		}
		if (db_end(st) < 0)
			return 500;
		view_set(r, "CanAdd", "1");
	}
	if (queued)
		view_set(r, "Queued", "1");
	return view_render(r, "moves_waitlist.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int waitlist_page(struct req *r) { return waitlist_render(r); }

static const char *const wl_ops[] = {"add", "remove", NULL};
enum { W_OP, W_DDO, W__MAX };
static const struct vfield wl_fields[W__MAX] = {
	[W_OP] = {"op", V_ENUM, VF_REQUIRED, 0, 0, wl_ops},
	[W_DDO] = {"ddo", V_INT, VF_REQUIRED, 1, 1LL << 53, NULL},
};

static int waitlist_post(struct req *r)
{
	struct vval v[W__MAX];
	if (val_form(r, wl_fields, W__MAX, v)) {
		r->status = 422;
		return waitlist_render(r);
	}
	int add = v[W_OP].i == 0;
	int rc = add ? wl_add(citizen(r), r->s->account_id, r->iarg[0], v[W_DDO].i)
		     : wl_remove(citizen(r), r->s->account_id, r->iarg[0], v[W_DDO].i);
	static const char *const keys[] = {
		[WL_NOT_FOUND] = "Waitlist.err_not_queued", [WL_FULL] = "Waitlist.err_full",
		[WL_BAD_DDO] = "Waitlist.err_ddo", [WL_ALREADY] = "Waitlist.err_already",
	};
	switch (rc) {
	case WL_OK:
		view_flash(r, add ? "waitlist_added" : "waitlist_removed", NULL);
		return req_redirect(r, arena_printf(r->a, "/moves/waitlist/%lld", r->iarg[0]));
	case WL_FAILED:
		return 500;
	default:
		r->status = rc == WL_FULL || rc == WL_ALREADY ? 409 : rc == WL_BAD_DDO ? 422 : 404;
		view_field_error(r, "ddo", add || rc != WL_ALREADY ? keys[rc] : "Waitlist.err_not_on");
		return waitlist_render(r);
	}
}

/* ------------------------------------------------- transfers, exchanges */

/* The other active DDOs of a district (a transfer's choices) under prefix. */
static int ddo_choices(struct req *r, const char *prefix, int district, long long current)
{
	sqlite3_stmt *st = db_query("SELECT id, name_ru, name_kk FROM ddo WHERE district_id = ? AND active = 1 AND id <> ? "
				    "ORDER BY name_ru, id LIMIT 500", "iI", district, current);
	for (int i = 0; db_row(st); i++) {
		view_set_int(r, arena_printf(r->a, "%s.%d.id", prefix, i), sqlite3_column_int64(st, 0));
		view_set(r, arena_printf(r->a, "%s.%d.name", prefix, i), ddo_name(r, db_col(st, 1), db_col(st, 2)));
	}
	return db_end(st);
}

static void ex_view(struct req *r, const char *p, const struct tr_ex_row *x)
{
	int kk = strcmp(r->lang, "kk") == 0;
	view_set_int(r, arena_printf(r->a, "%s.id", p), x->id);
	view_set(r, arena_printf(r->a, "%s.status", p), x->status);
	view_set(r, arena_printf(r->a, "%s.numberA", p), x->number_a);
	view_set(r, arena_printf(r->a, "%s.numberB", p), x->number_b);
	view_set(r, arena_printf(r->a, "%s.childA", p), x->child_a);
	view_set(r, arena_printf(r->a, "%s.childB", p), x->child_b);
	view_set(r, arena_printf(r->a, "%s.ddoA", p), kk ? x->ddo_a_kk : x->ddo_a_ru);
	view_set(r, arena_printf(r->a, "%s.ddoB", p), kk ? x->ddo_b_kk : x->ddo_b_ru);
	view_set_int(r, arena_printf(r->a, "%s.year", p), x->group_year);
	view_set(r, arena_printf(r->a, "%s.language", p), x->language);
	view_set(r, arena_printf(r->a, "%s.date", p), arena_date(r->a, x->proposed_at));
	if (x->mine_a)
		view_set(r, arena_printf(r->a, "%s.mineA", p), "1");
	if (x->mine_b)
		view_set(r, arena_printf(r->a, "%s.mineB", p), "1");
	if (x->a_sig)
		view_set(r, arena_printf(r->a, "%s.signedA", p), "1");
	if (x->b_sig)
		view_set(r, arena_printf(r->a, "%s.signedB", p), "1");
}

/* «Переводы и обмен». form_app: the application whose form had an error
 * (its form shows it), 0 none. */
static int moves_render(struct req *r, long long form_app)
{
	struct tr_enrolled e[20];
	int n = tr_enrolled_of(r->s->account_id, e, 20);
	if (n < 0)
		return 500;
	for (int i = 0; i < n; i++) {
		const char *p = arena_printf(r->a, "Enrolled.%d", i);
		view_set_int(r, arena_printf(r->a, "%s.id", p), e[i].app_id);
		view_set(r, arena_printf(r->a, "%s.number", p), e[i].number);
		view_set(r, arena_printf(r->a, "%s.child", p), e[i].child);
		view_set(r, arena_printf(r->a, "%s.ddo", p), ddo_name(r, e[i].ddo_ru, e[i].ddo_kk));
		view_set_int(r, arena_printf(r->a, "%s.year", p), e[i].group_year);
		view_set(r, arena_printf(r->a, "%s.language", p), e[i].language);
		if (e[i].request_id) {
			view_set_int(r, arena_printf(r->a, "%s.request.id", p), e[i].request_id);
			view_set(r, arena_printf(r->a, "%s.request.number", p), e[i].request_number);
			view_set(r, arena_printf(r->a, "%s.request.status", p), e[i].request_status);
		} else if (ddo_choices(r, arena_printf(r->a, "%s.choices", p), e[i].district, e[i].ddo_id) < 0) {
			return 500;
		}
		if (e[i].app_id == form_app)
			view_set(r, arena_printf(r->a, "%s.errors", p), "1");
	}
	struct tr_ex_row x[20];
	int k = tr_ex_of_parent(r->s->account_id, x, 20);
	if (k < 0)
		return 500;
	for (int i = 0; i < k; i++)
		ex_view(r, arena_printf(r->a, "Exchanges.%d", i), &x[i]);
	return view_render(r, "moves.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int moves_page(struct req *r) { return moves_render(r, 0); }

enum { T_D1, T_D2, T_D3, T__MAX };
static const struct vfield transfer_fields[T__MAX] = {
	[T_D1] = {"ddo1", V_INT, 0, 1, 1LL << 53, NULL},
	[T_D2] = {"ddo2", V_INT, 0, 1, 1LL << 53, NULL},
	[T_D3] = {"ddo3", V_INT, 0, 1, 1LL << 53, NULL},
};

static int transfer_post(struct req *r)
{
	struct vval v[T__MAX];
	if (val_form(r, transfer_fields, T__MAX, v)) {
		r->status = 422;
		return moves_render(r, r->iarg[0]);
	}
	long long ddo[3] = {v[T_D1].present ? v[T_D1].i : 0, v[T_D2].present ? v[T_D2].i : 0,
			    v[T_D3].present ? v[T_D3].i : 0};
	long long id;
	char number[32];
	int rc = tr_request(citizen(r), r->s->account_id, r->iarg[0], ddo, &id, number);
	if (rc == TR_OK) {
		view_flash(r, "transfer_requested", number);
		return req_redirect(r, "/moves");
	}
	if (rc == TR_FAILED)
		return 500;
	if (rc == TR_NOT_FOUND)
		return req_fail(r, 404, "TransferUi.not_found");
	r->status = rc == TR_PENDING ? 409 : 422;
	view_field_error(r, "ddo1", rc == TR_PENDING ? "TransferUi.err_pending"
				    : rc == TR_NO_DDO ? "TransferUi.err_no_ddo" : "TransferUi.err_bad_ddo");
	return moves_render(r, r->iarg[0]);
}

enum { P_NUMBER, P__MAX };
static const struct vfield propose_fields[P__MAX] = {
	[P_NUMBER] = {"number", V_TEXT, VF_REQUIRED, 0, 40, NULL},
};

static int propose_post(struct req *r)
{
	struct vval v[P__MAX];
	if (val_form(r, propose_fields, P__MAX, v)) {
		r->status = 422;
		return moves_render(r, r->iarg[0]);
	}
	char number[41];
	size_t n = 0;
	for (const char *c = v[P_NUMBER].s; *c && n < sizeof number - 1; c++)
		if (*c != ' ')
			number[n++] = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
	number[n] = 0;
	long long id;
	int rc = queue_number_valid(number) ? tr_ex_propose(citizen(r), r->s->account_id, r->iarg[0], number, &id)
					  : TR_EX_NUMBER;
	if (rc == TR_EX_OK) {
		view_flash(r, "exchange_proposed", number);
		return req_redirect(r, "/moves");
	}
	if (rc == TR_EX_FAILED)
		return 500;
	if (rc == TR_EX_NOT_FOUND)
		return req_fail(r, 404, "TransferUi.not_found");
	r->status = rc == TR_EX_BUSY ? 409 : 422;
	view_field_error(r, "number", arena_printf(r->a, "ExchangeUi.err_%s", tr_ex_result_names[rc]));
	return moves_render(r, r->iarg[0]);
}

static int answer(struct req *r, int agree)
{
	int rc = agree ? tr_ex_agree(citizen(r), r->s->account_id, r->iarg[0])
		       : tr_ex_cancel(citizen(r), r->s->account_id, r->iarg[0]);
	if (rc == TR_EX_FAILED)
		return 500;
	if (rc != TR_EX_OK)
		return req_fail(r, 404, "ExchangeUi.not_found");
	view_flash(r, agree ? "exchange_agreed" : "exchange_cancelled", NULL);
	return req_redirect(r, "/moves");
}

static int agree_post(struct req *r) { return answer(r, 1); }
static int cancel_post(struct req *r) { return answer(r, 0); }

/* ---- the DDO's decision ---- */

static const char *const decisions[] = {"accept", "refuse", NULL};
enum { X_DDO, X_DECISION, X_NONCE, X_CMS, X__MAX };
static const struct vfield decide_fields[X__MAX] = {
	[X_DDO] = {"ddo", V_INT, VF_REQUIRED, 1, 1LL << 53, NULL},
	[X_DECISION] = {"decision", V_ENUM, 0, 0, 0, decisions},
	[X_NONCE] = {"nonce", V_TOKEN, 0, 0, 64, NULL},
	[X_CMS] = {"cms", V_MEMO, 0, 0, CMS_MAX, NULL},
};

/* The exchange for the staff member and DDO, with the two signed forms
 * when it awaits this DDO's decision. */
static int exchange_render(struct req *r, long long ddo)
{
	struct tr_ex_row x;
	int f = tr_ex_staff(r->s->account_id, r->iarg[0], ddo, &x);
	if (f < 0)
		return 500;
	if (!f)
		return req_fail(r, 404, "ExchangeUi.not_found");
	ex_view(r, "Ex", &x);
	view_set_int(r, "Ex.ddo", ddo);
	view_set(r, "Ex.out", x.child_out);
	view_set(r, "Ex.in", x.child_in);
	view_set(r, "Ex.other", ddo_name(r, x.other_ru, x.other_kk));
	view_set(r, "Ex.bin", x.mine_a ? x.bin_a : x.bin_b);
	if (strcmp(x.status, "agreed") == 0 && !x.my_side_decided) {
		for (int accept = 1; accept >= 0; accept--) {
			char nonce[44];
			const char *content = esig_challenge(r, "action", accept ? "exchange_accept" : "exchange_refuse", x.id,
							     tr_ex_text(r->a, r->lang, &x, ddo, accept), nonce);
			if (!content)
				return REQ_ERROR;
			esig_view(r, accept ? "SignAccept" : "SignRefuse", content, nonce);
		}
		view_set(r, "Ex.canDecide", "1");
	} else if (x.my_side_decided) {
		view_set(r, "Ex.decided", "1");
	}
	return view_render(r, "moves_exchange.cs") < 0 ? REQ_ERROR : REQ_OK;
}

static int exchange_page(struct req *r)
{
	struct vval v[X__MAX];
	if (val_form(r, decide_fields, X__MAX, v))
		return req_fail(r, 404, "ExchangeUi.not_found");
	return exchange_render(r, v[X_DDO].i);
}

static int exchange_post(struct req *r)
{
	struct vval v[X__MAX];
	if (val_form(r, decide_fields, X__MAX, v) || !v[X_DECISION].present)
		return req_fail(r, 404, "ExchangeUi.not_found");
	int accept = v[X_DECISION].i == 0;
	struct sign_proof p;
	esig_verify(r, v[X_NONCE].s, v[X_CMS].s, "action", accept ? "exchange_accept" : "exchange_refuse", r->iarg[0], &p);
	const char *key = NULL;
	int rc = tr_ex_decide(r->a, staff(r), r->lang, r->iarg[0], v[X_DDO].i, accept, &p, &key);
	sign_signer_clear(&p.signer);
	if (rc != TR_EX_OK)
		esig_burn(r, v[X_NONCE].s); /* one try per challenge */
	if (rc == TR_EX_OK) {
		view_flash(r, accept ? "exchange_ddo_accepted" : "exchange_ddo_refused", NULL);
		return req_redirect(r, arena_printf(r->a, "/moves/exchange/%lld?ddo=%lld", r->iarg[0], v[X_DDO].i));
	}
	if (rc == TR_EX_FAILED)
		return 500;
	if (rc == TR_EX_NOT_FOUND)
		return req_fail(r, 404, "ExchangeUi.not_found");
	r->status = rc == TR_EX_STATE ? 409 : 422;
	view_set(r, "Alert", rc == TR_EX_SIGNATURE || rc == TR_EX_TEXT
				     ? esig_refusal_text(r, key ? key : "ExchangeUi.err_text")
				     : view_t(r, "ExchangeUi.err_state"));
	return exchange_render(r, v[X_DDO].i);
}

static const struct route routes[] = {
	{M_GET, "/moves/waitlist/%d", ROLE_CITIZEN, waitlist_page, 0},
	{M_POST, "/moves/waitlist/%d", ROLE_CITIZEN, waitlist_post, 0},
	{M_GET, "/moves", ROLE_CITIZEN, moves_page, 0},
	{M_POST, "/moves/transfer/%d", ROLE_CITIZEN, transfer_post, 0},
	{M_POST, "/moves/propose/%d", ROLE_CITIZEN, propose_post, 0},
	{M_POST, "/moves/exchange/%d/agree", ROLE_CITIZEN, agree_post, 0},
	{M_POST, "/moves/exchange/%d/cancel", ROLE_CITIZEN, cancel_post, 0},
	{M_GET, "/moves/exchange/%d", ROLE_STAFF, exchange_page, 0},
	{M_POST, "/moves/exchange/%d", ROLE_STAFF, exchange_post, 0},
};

int main(int argc, char **argv)
{
	static const struct app app = {"moves", routes, NROUTES(routes), NULL};
	return req_main(argc, argv, &app);
}
