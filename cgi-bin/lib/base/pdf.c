/* pdf.c — see pdf.h. */
#include "base/pdf.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <qrencode.h>

#include "base/conf.h"
#include "base/log.h"

#define PAGE_W 595.0f  /* A4 in points */
#define PAGE_H 842.0f
#define MARGIN 56.0f
#define LABEL_W 170.0f

struct pdf {
	HPDF_Doc doc;
	HPDF_Page page;
	HPDF_Font regular, bold;
	float y;          /* baseline of the next line, from the bottom */
	int failed;
	unsigned long err;
};

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
	struct pdf *p = user;
	if (!p->failed)
		log_err("libharu error %04lX (detail %lu)", (unsigned long)error_no, (unsigned long)detail_no);
	p->failed = 1;
	p->err = (unsigned long)error_no;
}

static void new_page(struct pdf *p)
{
	if (p->failed)
		return;
	p->page = HPDF_AddPage(p->doc);
	if (!p->page) {
		p->failed = 1;
		return;
	}
	HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	p->y = PAGE_H - MARGIN;
}

/* Room for a line of height h: a new page when the current one is full. */
static void need(struct pdf *p, float h)
{
	if (!p->failed && p->y - h < MARGIN)
		new_page(p);
}

struct pdf *pdf_new(const char *title)
{
	struct pdf *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->doc = HPDF_New(on_error, p);
	if (!p->doc) {
		free(p);
		return NULL;
	}
	const char *dir = conf_get("Paths.Fonts", "/usr/share/fonts/truetype/dejavu");
	char reg[PATH_MAX], bold[PATH_MAX];
	snprintf(reg, sizeof reg, "%s/DejaVuSans.ttf", dir);
	snprintf(bold, sizeof bold, "%s/DejaVuSans-Bold.ttf", dir);
	HPDF_UseUTFEncodings(p->doc);
	HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
	const char *rn = HPDF_LoadTTFontFromFile(p->doc, reg, HPDF_TRUE);
	const char *bn = rn ? HPDF_LoadTTFontFromFile(p->doc, bold, HPDF_TRUE) : NULL;
	if (rn)
		p->regular = HPDF_GetFont(p->doc, rn, "UTF-8");
	if (bn)
		p->bold = HPDF_GetFont(p->doc, bn, "UTF-8");
	if (p->failed || !p->regular || !p->bold) {
		log_err("pdf: cannot load the fonts from %s", dir);
		HPDF_Free(p->doc);
		free(p);
		return NULL;
	}
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, title ? title : "");
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "AKMOLA.KZ kindergarten queue");
	new_page(p);
	return p;
}

static int utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
}

static float width_of(struct pdf *p, HPDF_Font f, float size, const char *s, size_t n)
{
	char tmp[1024];
	if (n >= sizeof tmp)
		n = sizeof tmp - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	HPDF_Page_SetFontAndSize(p->page, f, size);
	return HPDF_Page_TextWidth(p->page, tmp);
}

/* Writes text wrapped to width w starting at x, line height lh. */
static void wrapped(struct pdf *p, HPDF_Font f, float size, float x, float w, float lh, const char *text,
		    float gray)
{
	if (p->failed || !text)
		return;
	const char *s = text;
	while (*s || s == text) {
		const char *eol = strchr(s, '\n');
		size_t linelen = eol ? (size_t)(eol - s) : strlen(s);
		const char *ls = s, *le = s + linelen;
		do {
			/* Take words while they fit. */
			const char *cut = ls, *q = ls;
			while (q < le) {
				const char *wend = q;
				while (wend < le && *wend != ' ')
					wend += utf8_len((unsigned char)*wend);
				if (width_of(p, f, size, ls, (size_t)(wend - ls)) > w) {
					if (cut == ls) { /* one word longer than the line: cut by characters */
						const char *c = ls;
						while (c < wend) {
							const char *nc = c + utf8_len((unsigned char)*c);
							if (width_of(p, f, size, ls, (size_t)(nc - ls)) > w && c > ls)
								break;
							c = nc;
						}
						cut = c;
					}
					break;
				}
				cut = wend;
				q = wend;
				while (q < le && *q == ' ')
					q++;
				if (q >= le)
					cut = le;
			}
			if (cut == ls)
				cut = le;
			need(p, lh);
			if (p->failed)
				return;
			char line[1024];
			size_t n = (size_t)(cut - ls);
			if (n >= sizeof line)
				n = sizeof line - 1;
			memcpy(line, ls, n);
			line[n] = '\0';
			p->y -= lh;
			HPDF_Page_SetGrayFill(p->page, gray);
			HPDF_Page_BeginText(p->page);
			HPDF_Page_SetFontAndSize(p->page, f, size);
			HPDF_Page_TextOut(p->page, x, p->y, line);
			HPDF_Page_EndText(p->page);
			HPDF_Page_SetGrayFill(p->page, 0);
			ls = cut;
			while (ls < le && *ls == ' ')
				ls++;
		} while (ls < le);
		if (!eol)
			break;
		s = eol + 1;
		if (!*s)
			break;
	}
}

void pdf_title(struct pdf *p, const char *text)
{
	if (!p || p->failed)
		return;
	/* Centred: wrap first into lines of the full width, then centre each. */
	const float size = 15, lh = 21;
	const char *s = text;
	while (*s) {
		const char *e = s + strlen(s);
		const char *cut = e;
		while (width_of(p, p->bold, size, s, (size_t)(cut - s)) > PAGE_W - 2 * MARGIN) {
			const char *sp = cut - 1;
			while (sp > s && *sp != ' ')
				sp--;
			if (sp == s)
				break;
			cut = sp;
		}
		char line[1024];
		size_t n = (size_t)(cut - s) < sizeof line - 1 ? (size_t)(cut - s) : sizeof line - 1;
		memcpy(line, s, n);
		line[n] = '\0';
		need(p, lh);
		if (p->failed)
			return;
		float w = width_of(p, p->bold, size, line, n);
		p->y -= lh;
		HPDF_Page_BeginText(p->page);
		HPDF_Page_SetFontAndSize(p->page, p->bold, size);
		HPDF_Page_TextOut(p->page, (PAGE_W - w) / 2, p->y, line);
		HPDF_Page_EndText(p->page);
		s = cut;
		while (*s == ' ')
			s++;
	}
	p->y -= 8;
}

void pdf_heading(struct pdf *p, const char *text)
{
	if (!p || p->failed)
		return;
	p->y -= 8;
	wrapped(p, p->bold, 11.5f, MARGIN, PAGE_W - 2 * MARGIN, 16, text, 0);
	p->y -= 2;
}

void pdf_text(struct pdf *p, const char *text)
{
	if (!p || p->failed)
		return;
	wrapped(p, p->regular, 10.5f, MARGIN, PAGE_W - 2 * MARGIN, 14.5f, text, 0);
	p->y -= 4;
}

void pdf_note(struct pdf *p, const char *text)
{
	if (!p || p->failed)
		return;
	wrapped(p, p->regular, 8.5f, MARGIN, PAGE_W - 2 * MARGIN, 11.5f, text, 0.35f);
}

void pdf_field(struct pdf *p, const char *label, const char *value)
{
	if (!p || p->failed)
		return;
	need(p, 15);
	float top = p->y;
	wrapped(p, p->regular, 10, MARGIN, LABEL_W - 10, 14.5f, label, 0.35f);
	float after_label = p->y;
	if (p->y != top && after_label > top) /* the label moved to a new page */
		top = PAGE_H - MARGIN;
	p->y = top;
	wrapped(p, p->bold, 10, MARGIN + LABEL_W, PAGE_W - 2 * MARGIN - LABEL_W, 14.5f,
		value && *value ? value : "—", 0);
	if (after_label < p->y)
		p->y = after_label;
	p->y -= 3;
}

void pdf_gap(struct pdf *p, float points)
{
	if (!p || p->failed)
		return;
	p->y -= points;
	if (p->y < MARGIN)
		new_page(p);
}

void pdf_qr(struct pdf *p, const char *url, const char *caption)
{
	if (!p || p->failed)
		return;
	QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q) {
		log_err("pdf: cannot encode the QR code");
		p->failed = 1;
		return;
	}
	const float side = 90.0f;
	const float cell = side / (float)(q->width + 8); /* with the quiet zone */
	need(p, side + 10);
	if (p->failed) {
		QRcode_free(q);
		return;
	}
	float x0 = MARGIN, y0 = p->y - side;
	HPDF_Page_SetGrayFill(p->page, 0);
	for (int row = 0; row < q->width; row++)
		for (int col = 0; col < q->width; col++)
			if (q->data[row * q->width + col] & 1)
				HPDF_Page_Rectangle(p->page, x0 + (float)(col + 4) * cell,
						    y0 + side - (float)(row + 5) * cell, cell, cell);
	HPDF_Page_Fill(p->page);
	QRcode_free(q);
	float keep = p->y;
	p->y = keep - 20;
	wrapped(p, p->regular, 9, MARGIN + side + 12, PAGE_W - 2 * MARGIN - side - 12, 12.5f, caption, 0.2f);
	wrapped(p, p->regular, 8, MARGIN + side + 12, PAGE_W - 2 * MARGIN - side - 12, 11, url, 0.35f);
	p->y = y0 - 6;
}

int pdf_finish(struct pdf *p, struct buf *out)
{
	if (!p)
		return -1;
	int rc = -1;
	if (!p->failed && HPDF_SaveToStream(p->doc) == HPDF_OK && !p->failed) {
		HPDF_UINT32 size = HPDF_GetStreamSize(p->doc);
		size_t start = out->len;
		if (size && buf_add(out, "", 0) == 0) {
			rc = 0;
			HPDF_ResetStream(p->doc);
			for (;;) {
				HPDF_BYTE chunk[8192];
				HPDF_UINT32 n = sizeof chunk;
				HPDF_STATUS st = HPDF_ReadFromStream(p->doc, chunk, &n);
				if (n && buf_add(out, chunk, n) < 0) {
					rc = -1;
					break;
				}
				if (st == HPDF_STREAM_EOF)
					break;
				if (st != HPDF_OK) {
					rc = -1;
					break;
				}
			}
			if (rc < 0)
				out->len = start;
		}
	}
	HPDF_Free(p->doc);
	free(p);
	return rc;
}
