/*
 * moves_view.h — what the queue's and the cabinet's pages show of waiting
 * lists, transfers and exchanges (issue 17 items 4–6; the pages of their
 * own are cgi-bin/moves.c). Included by queue.c and cabinet.c only;
 * everything here is static. Prefix mview_.
 */
#ifndef KG_MOVES_VIEW_H
#define KG_MOVES_VIEW_H

#include <string.h>

#include "domain/transfer.h"
#include "domain/waitlist.h"
#include "web/req.h"
#include "web/view.h"

/* The waiting-list notices of one's own queued application under
 * prefix.wl.N (ddo, year, language, free, at, place). 0 or -1. */
__attribute__((unused)) static int mview_notices(struct req *r, const char *prefix, long long app_id)
{
	struct wl_notice n[10];
	int k = wl_notices(r->s->account_id, app_id, n, 10);
	for (int i = 0; i < k; i++) {
		const char *p = arena_printf(r->a, "%s.wl.%d", prefix, i);
		view_set(r, arena_printf(r->a, "%s.ddo", p), strcmp(r->lang, "kk") == 0 ? n[i].ddo_kk : n[i].ddo_ru);
		view_set_int(r, arena_printf(r->a, "%s.year", p), n[i].group_year);
		view_set(r, arena_printf(r->a, "%s.language", p), n[i].language);
		view_set_int(r, arena_printf(r->a, "%s.free", p), n[i].free);
		view_set_int(r, arena_printf(r->a, "%s.place", p), n[i].place_id);
		view_set(r, arena_printf(r->a, "%s.at", p), arena_datetime(r->a, n[i].at));
	}
	return k < 0 ? -1 : 0;
}

/* The cabinet of the chosen DDO: its waiting list's sizes (WaitSizes.N:
 * year, language, n), the exchanges awaiting its decision (Exchanges.N)
 * and the transfers that freed a place here (TransferFreed). 0 or -1. */
__attribute__((unused)) static int mview_cabinet(struct req *r, long long ddo)
{
	struct wl_size s[64];
	int k = wl_sizes(r->s->account_id, ddo, s, 64);
	if (k < 0)
		return -1;
	for (int i = 0; i < k; i++) {
		view_set_int(r, arena_printf(r->a, "WaitSizes.%d.year", i), s[i].group_year);
		view_set(r, arena_printf(r->a, "WaitSizes.%d.language", i), s[i].language);
		view_set_int(r, arena_printf(r->a, "WaitSizes.%d.n", i), s[i].n);
	}
	struct tr_ex_row x[50];
	int e = tr_ex_of_ddo(r->s->account_id, ddo, x, 50);
	if (e < 0)
		return -1;
	for (int i = 0; i < e; i++) {
		view_set_int(r, arena_printf(r->a, "Exchanges.%d.id", i), x[i].id);
		view_set(r, arena_printf(r->a, "Exchanges.%d.child", i), x[i].child_out);
		view_set(r, arena_printf(r->a, "Exchanges.%d.childIn", i), x[i].child_in);
		view_set(r, arena_printf(r->a, "Exchanges.%d.other", i),
			 strcmp(r->lang, "kk") == 0 ? x[i].other_kk : x[i].other_ru);
		view_set_int(r, arena_printf(r->a, "Exchanges.%d.year", i), x[i].group_year);
		view_set(r, arena_printf(r->a, "Exchanges.%d.status", i), x[i].status);
		if (x[i].decided)
			view_set(r, arena_printf(r->a, "Exchanges.%d.decided", i), "1");
	}
	long long t = tr_freed_since(r->s->account_id, ddo);
	if (t < 0)
		return -1;
	view_set_int(r, "TransferFreed", t);
	return 0;
}

#endif
