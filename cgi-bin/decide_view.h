/*
 * decide_view.h — the view of a referral and of its documents, as
 * templates/decide/macros.cs shows them (ref_kv, docs), for the two
 * screens that show them: cabinet (the staff's referral processing and
 * refusal) and review (the refusals the reviewer decides). Included by
 * those screens only; everything here is static. Prefix dview_.
 */
#ifndef KG_DECIDE_VIEW_H
#define KG_DECIDE_VIEW_H

#include <stdlib.h>

#include "domain/decide.h"
#include "domain/doc.h"
#include "web/req.h"
#include "web/view.h"

/* Sends a document found by dec_staff_document or dec_reviewer_document
 * (f: what that returned); a document not found is a 404 with msg_key. */
static int dview_send_document(struct req *r, int f, const struct dec_doc *d, const char *msg_key)
{
	if (f < 0)
		return REQ_ERROR;
	if (!f)
		return req_fail(r, 404, msg_key);
	size_t n;
	unsigned char *bytes = doc_read(d->sha256, &n);
	if (!bytes)
		return 404;
	int rc = req_send(r, d->mime, bytes, n, d->filename);
	free(bytes);
	return rc;
}

/* Puts a referral's fields under <prefix>.* (names, IINs, dates, the DDO
 * name and the labels in the request's language). */
static void dview_referral(struct req *r, const char *prefix, const struct dec_referral *x)
{
	HDF *n = view_node(r, prefix);
	view_row_set_int(n, "id", x->id);
	view_row_set_int(n, "groupYear", x->group_year);
	view_row_set(n, "number", x->number);
	view_row_set(n, "status", x->status);
	view_row_set(n, "statusLabel", dec_label(r->lang, "rstatus", x->status));
	view_row_set(n, "issued", arena_date(r->a, x->issued_at));
	view_row_set(n, "deadline", arena_datetime(r->a, x->deadline_at));
	view_row_set(n, "docsSubmitted", x->docs_submitted_at ? arena_datetime(r->a, x->docs_submitted_at) : "");
	view_row_set(n, "ddo", dec_ddo_name(r->lang, x->ddo_name_ru, x->ddo_name_kk));
	view_row_set(n, "ddoKind", dec_label(r->lang, "ddokind", x->ddo_kind));
	view_row_set(n, "ddoAddress", x->ddo_address);
	view_row_set(n, "appNumber", x->app_number);
	view_row_set(n, "appStatus", x->app_status);
	view_row_set(n, "benefit", dec_label(r->lang, "benefit", x->benefit));
	view_row_set(n, "language", dec_label(r->lang, "lang", x->language));
	view_row_set(n, "queued", arena_datetime(r->a, x->queued_at));
	view_row_set(n, "child.iin", x->child_iin);
	view_row_set(n, "child.fio", arena_full_name(r->a, x->child_surname, x->child_name, x->child_patronymic));
	view_row_set(n, "child.birth", arena_iso_date(r->a, x->child_birth));
	view_row_set(n, "applicant.fio",
		     arena_full_name(r->a, x->applicant_surname, x->applicant_name, x->applicant_patronymic));
	view_row_set(n, "applicant.iin", x->applicant_iin);
	view_row_set(n, "reviewComment", x->review_comment);
}

/* Puts the documents under <list>.N.{id,href,kind,label,filename,origin,
 * date,kb}, each linked as <href_base>/<id>. */
static void dview_documents(struct req *r, const char *list, const struct dec_doc *d, int n, const char *href_base)
{
	for (int i = 0; i < n; i++) {
		HDF *row = view_row(r, list, i);
		view_row_set_int(row, "id", d[i].id);
		view_row_set(row, "href", arena_printf(r->a, "%s/%lld", href_base, d[i].id));
		view_row_set(row, "kind", d[i].kind);
		view_row_set(row, "label", dec_label(r->lang, "kind", d[i].kind));
		view_row_set(row, "filename", d[i].filename);
		view_row_set(row, "origin", d[i].origin);
		view_row_set(row, "date", arena_datetime(r->a, d[i].created_at));
		view_row_set_int(row, "kb", (d[i].size + 1023) / 1024);
	}
}

#endif
