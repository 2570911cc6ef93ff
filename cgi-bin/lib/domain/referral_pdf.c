/* referral_pdf.c — the referral's PDF (referral.h, THE PDF): apart from
 * referral.c because it alone needs libharu and libqrencode. */
#include "domain/referral.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "base/db.h"
#include "base/lang.h"
#include "base/log.h"
#include "base/pdf.h"
#include "base/util.h"
#include "domain/doc.h"

/* What the document shows besides the referral's own number and dates. */
struct pdf_facts {
	char app_number[32], child[400], child_iin[13];
	char ddo_ru[304], ddo_kk[304], address[304], kind[24], language[4];
	int year;
};

/* The referral document (направление) in a language ("ru" or "kk"). */
static int build_pdf(struct arena *a, const char *lang, const struct pdf_facts *c, const struct ref_info *ref,
		     const char *check_code, struct buf *out)
{
	int kk = strcmp(lang, "kk") == 0;
	char issued[17], deadline[11], year[8];
	u_fmt_datetime(ref->issued_at, issued);
	u_fmt_date(ref->deadline_at, deadline);
	snprintf(year, sizeof year, "%d", c->year);
	struct pdf *p = pdf_new(arena_printf(a, "%s %s", lang_t(lang, "Ref.Pdf.title"), ref->number));
	if (!p)
		return -1;
	pdf_title(p, arena_printf(a, "%s № %s", lang_t(lang, "Ref.Pdf.title"), ref->number));
	pdf_note(p, lang_t(lang, "Ref.Pdf.subtitle"));
	pdf_gap(p, 8);
	pdf_field(p, lang_t(lang, "Ref.Pdf.number"), ref->number);
	pdf_field(p, lang_t(lang, "Ref.Pdf.issued"), issued);
	pdf_field(p, lang_t(lang, "Ref.Pdf.application"), c->app_number);
	pdf_field(p, lang_t(lang, "Ref.Pdf.child"), c->child);
	pdf_field(p, lang_t(lang, "Ref.Pdf.iin"), c->child_iin);
	pdf_field(p, lang_t(lang, "Ref.Pdf.ddo"), kk ? c->ddo_kk : c->ddo_ru);
	pdf_field(p, lang_t(lang, "Ref.Pdf.address"), c->address);
	pdf_field(p, lang_t(lang, "Ref.Pdf.kind"), lang_t(lang, arena_printf(a, "Places.Kind.%s", c->kind)));
	pdf_field(p, lang_t(lang, "Ref.Pdf.year"), year);
	pdf_field(p, lang_t(lang, "Ref.Pdf.language"), lang_t(lang, arena_printf(a, "Places.Lang.%s", c->language)));
	if (ref->benefit_pending) {
		/* The benefit is confirmed first (benefit.h); the document
		 * deadline starts then and comes by SMS. */
		pdf_field(p, lang_t(lang, "BenefitCheck.pdf_due"), deadline);
		pdf_gap(p, 8);
		pdf_text(p, arena_subst(a, lang_t(lang, "BenefitCheck.pdf_rule"),
					(const char *const[]){"days", arena_printf(a, "%d", ref_deadline_days()), "date",
							      deadline, NULL}));
	} else {
		pdf_field(p, lang_t(lang, "Ref.Pdf.deadline"), deadline);
		pdf_gap(p, 8);
		pdf_text(p, arena_subst(a, lang_t(lang, "Ref.Pdf.rule"),
					(const char *const[]){"days", arena_printf(a, "%d", ref_deadline_days()),
							      "deadline", deadline, NULL}));
	}
	pdf_gap(p, 12);
	pdf_qr(p, doc_check_url(a, check_code), lang_t(lang, "Ref.Pdf.qr"));
	return pdf_finish(p, out);
}

static struct arena *pdf_arena;

int ref_make_pdf(long long id)
{
	char lang[4] = "";
	if (!db_text(lang, sizeof lang, "SELECT lang FROM referral_pdf_due WHERE referral_id = ?", "I", id))
		return 0;   /* made already (or never due) */
	if (!pdf_arena)
		pdf_arena = arena_new();
	else
		arena_reset(pdf_arena);
	struct arena *a = pdf_arena;
	if (!a)
		return -1;
	struct pdf_facts c;
	memset(&c, 0, sizeof c);
	struct ref_info ref;
	long long applicant = 0;
	int found = ref_get(id, 0, &ref);
	sqlite3_stmt *st = found <= 0 ? NULL : db_query(
		"SELECT a.applicant_id, a.number, "
		"  c.surname || ' ' || c.name || CASE WHEN c.patronymic <> '' THEN ' ' || c.patronymic ELSE '' END, c.iin, "
		"  d.name_ru, d.name_kk, d.address, d.kind, f.group_year, f.language "
		"FROM referral r JOIN application a ON a.id = r.application_id JOIN child c ON c.id = a.child_id "
		"JOIN ddo d ON d.id = r.ddo_id JOIN free_place f ON f.id = r.free_place_id WHERE r.id = ?", "I", id);
	found = st && db_row(st);
	if (found) {
		applicant = sqlite3_column_int64(st, 0);
		snprintf(c.app_number, sizeof c.app_number, "%s", db_col(st, 1));
		snprintf(c.child, sizeof c.child, "%s", db_col(st, 2));
		snprintf(c.child_iin, sizeof c.child_iin, "%s", db_col(st, 3));
		snprintf(c.ddo_ru, sizeof c.ddo_ru, "%s", db_col(st, 4));
		snprintf(c.ddo_kk, sizeof c.ddo_kk, "%s", db_col(st, 5));
		snprintf(c.address, sizeof c.address, "%s", db_col(st, 6));
		snprintf(c.kind, sizeof c.kind, "%s", db_col(st, 7));
		c.year = sqlite3_column_int(st, 8);
		snprintf(c.language, sizeof c.language, "%s", db_col(st, 9));
	}
	db_done(st);
	if (!found) {
		log_err("ref_make_pdf: referral %lld is due a PDF but cannot be read", id);
		return -1;
	}
	/* Made and stored first (doc.h: a stored file without a row is
	 * harmless); the row is recorded only by the run that takes the
	 * referral off the due list, so two runs never record two PDFs. */
	char code[23], sha[65];
	struct buf pdf = {0};
	if (doc_new_check_code(code) < 0 || build_pdf(a, strcmp(lang, "kk") == 0 ? "kk" : "ru", &c, &ref, code, &pdf) < 0 ||
	    doc_store(pdf.s, pdf.len, sha) < 0) {
		buf_free(&pdf);
		return -1;
	}
	int made = -1;
	if (db_begin() < 0)
		goto out;
	if (db_exec("DELETE FROM referral_pdf_due WHERE referral_id = ?", "I", id) != SQLITE_DONE)
		goto fail;
	if (db_changes() != 1) {
		db_rollback();
		made = 0;   /* another run made it meanwhile */
		goto out;
	}
	if (doc_add_generated(ref.application_id, id, "referral", ref.number, code, &pdf,
			      arena_printf(a, "napravlenie-%s.pdf", ref.number), applicant) < 0 ||
	    db_commit() < 0)
		goto fail;
	made = 1;
	goto out;
fail:
	log_err("ref_make_pdf %lld failed: %s", id, db_errmsg());
	db_rollback();
	made = -1;
out:
	buf_free(&pdf);
	/* libharu's few megabytes of working memory (the fonts' tables) go back
	 * to the system rather than staying in the worker. */
	malloc_trim(0);
	return made;
}

int ref_make_due_pdfs(long long now, long long min_age)
{
	int n = 0;
	long long after = 0;
	for (;;) {
		long long ids[64];
		int k = 0;
		sqlite3_stmt *st = db_query("SELECT referral_id FROM referral_pdf_due WHERE due_at <= ? AND referral_id > ? "
					    "ORDER BY referral_id LIMIT 64", "II", now - min_age, after);
		while (db_row(st) && k < 64)
			ids[k++] = sqlite3_column_int64(st, 0);
		db_done(st);
		if (!k)
			return n;
		for (int i = 0; i < k; i++) {
			int rc = ref_make_pdf(ids[i]);
			if (rc < 0)
				return -1;
			n += rc;
		}
		after = ids[k - 1];
	}
}
