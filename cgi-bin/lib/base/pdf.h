/*
 * pdf.h — the documents the system generates (referral, contract, child
 * card, decisions), as PDF through libharu, with DejaVu Sans so that
 * Russian and Kazakh letters (ә ғ қ ң ө ұ ү һ і) print, and a QR code
 * (libqrencode) that leads to the public check page.
 *
 * A document is written top to bottom; text wraps at the margins and a new
 * A4 page starts when one is full:
 *
 *   struct pdf *p = pdf_new("Направление № 1000001101");
 *   pdf_title(p, "НАПРАВЛЕНИЕ");
 *   pdf_field(p, "Ребёнок", "НҰРЛАН КӨРКЕМ");
 *   pdf_text(p, "Направление действительно пять рабочих дней ...");
 *   pdf_qr(p, "https://.../check/ABC", "Проверка подлинности");
 *   struct buf out = {0};
 *   if (pdf_finish(p, &out) < 0) ...        // p is freed either way
 *
 * Every call is safe after an earlier failure (it does nothing);
 * pdf_finish reports it. Prefix pdf_.
 */
#ifndef KG_PDF_H
#define KG_PDF_H

#include "base/util.h"

struct pdf;

/* A new document (title goes into the PDF's metadata). NULL when the font
 * cannot be loaded (logged). */
struct pdf *pdf_new(const char *title);
/* Large bold centred line(s). */
void pdf_title(struct pdf *p, const char *text);
/* Bold line, with space above. */
void pdf_heading(struct pdf *p, const char *text);
/* A paragraph; '\n' starts a new line. */
void pdf_text(struct pdf *p, const char *text);
/* Small grey paragraph (notes, footers). */
void pdf_note(struct pdf *p, const char *text);
/* "label   value" in two columns; the value wraps in its column. */
void pdf_field(struct pdf *p, const char *label, const char *value);
/* Vertical space in points. */
void pdf_gap(struct pdf *p, float points);
/* A QR code of url (about 3 cm) with a caption beside it, at the current
 * position. */
void pdf_qr(struct pdf *p, const char *url, const char *caption);
/* Writes the document into out (appended) and frees p. 0 or -1 (logged). */
int pdf_finish(struct pdf *p, struct buf *out);

#endif
