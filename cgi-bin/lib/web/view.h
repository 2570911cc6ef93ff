/*
 * view.h — ClearSilver rendering.
 *
 * Templates (Paths.Templates, *.cs) are parsed once per process and
 * language and kept; every `var:` is HTML-escaped (Config.VarEscapeMode=
 * html), so a template needs `url_escape`/`js_escape` only in other
 * contexts, and `uvar:` is a reviewed exception (none today). The strings
 * of the interface live in templates/lang/ru.hdf and kk.hdf under `L.`:
 * each language's tree is the global HDF of the render, so a template
 * writes `<?cs var:L.Home.title ?>` and gets the request's language; such
 * a plain label is put into the language's parse as the template is read
 * (escaped as var: would), so it costs nothing per request.
 *
 * A page's template includes layout/head.cs first and layout/foot.cs last.
 * Nothing rendered is kept here: public pages are kept for a second by the
 * web server (conf/gen-web.sh), for the routes that say they may be
 * (REQ_CACHE in a screen's route table, req.h).
 *
 * Common data every page gets:
 *   Page.lang, Page.path, Page.pathEsc (url_escape'd), Page.langHref.ru/.kk, Page.district.code/.name,
 *   User.loggedIn, User.name, User.iinMasked, User.role.citizen/staff/reviewer/support,
 *   Csrf (when there is a session), Flash.text, Errors.<field> (val.h),
 *   Site.* (App.* settings: name, support phone, demo), Districts.N.code/name/kind.
 *
 * Prefix view_.
 */
#ifndef KG_VIEW_H
#define KG_VIEW_H

#include "web/http.h"

int view_init(void);
void view_free(void);

/* Renders the template into the response (status 200 unless set). */
int view_render(struct req *r, const char *tpl);
/* A page in two templates with HTML between them: a, the n bytes of mid,
 * then b. mid is a fragment a screen wrote in C for speed (the places
 * table), every value in it through view_add_escaped. */
int view_render_with(struct req *r, const char *a, const char *mid, size_t n, const char *b);
/* Renders a template with the request's data, without the layout,
 * appending to out (a fragment to keep). 0 or -1. */
int view_render_part(struct req *r, const char *tpl, struct buf *out);
/* Renders the error page: L.Error.<status>.title and .text, or the text
 * under msg_key when given. 0 or -1. */
int view_error(struct req *r, int status, const char *msg_key);

/* The interface string under L.<key> in the request's language ("" when
 * missing, logged). */
const char *view_t(struct req *r, const char *key);
/* L.<key> with every "{name}" replaced by value (arena; "" when the key
 * is missing). E.g. view_tf(r, "Otp.wait", "n", "42"). */
const char *view_tf(struct req *r, const char *key, const char *name, const char *value);
/* A file size in the request's language ("12 КБ", "1.5 МБ"; arena). */
const char *view_file_size(struct req *r, long long bytes);
/* Does L.<key> exist? */
int view_has(struct req *r, const char *key);

void view_set(struct req *r, const char *key, const char *value);
void view_setf(struct req *r, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void view_set_int(struct req *r, const char *key, long long v);
/* A row of a table: the node <list>.<i> (made when missing), so that its
 * fields are set under it without building and walking
 * "<list>.<i>.<field>" from the top each time. NULL on memory trouble;
 * the setters accept NULL. */
HDF *view_row(struct req *r, const char *list, int i);
/* The node <name> (made when missing), for the same setters; NULL on
 * memory trouble. */
HDF *view_node(struct req *r, const char *name);
void view_row_set(HDF *row, const char *field, const char *value);
void view_row_set_int(HDF *row, const char *field, long long v);
/* Marks a field's error: Errors.<field> = L.<msg_key>; Errors.any = 1. */
void view_field_error(struct req *r, const char *field, const char *msg_key);
/* The same with a message already in words (from view_tf). */
void view_field_error_text(struct req *r, const char *field, const char *text);
/* Flash message for the next page (cookie kg_flash). key is a lang key
 * under L.Flash (letters, digits, _); arg is optional text shown with it
 * (cookie-safe characters only: [A-Za-z0-9._-]). */
void view_flash(struct req *r, const char *key, const char *arg);

/* District name in the request's language, NULL if the code is unknown. */
const char *view_district_name(struct req *r, int code);
/* During the August transfer period (workday.h, wd_freeze) the text of
 * L.<key> in the page's language with {from} and {to} its first and last
 * day; NULL outside it. Every page's banner (Page.freeze) and the
 * refusals of the places screens. */
const char *view_freeze_text(struct req *r, const char *key);

/* Appends s HTML-escaped exactly as a template's var: escapes it
 * (neos_html_escape: & < > " ' become entities, \r is dropped): the one
 * writer of values into HTML made in C. 0 or -1. */
int view_add_escaped(struct buf *o, const char *s);

#endif
