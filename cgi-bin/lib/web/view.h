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
 * The layout (layout/head.cs, nav.cs, foot.cs) is rendered once per kind
 * of page and kept ("the chrome", view.c): a page's body is rendered alone
 * and wrapped in it, the language links, path and CSRF token put in per
 * request. A template includes head.cs first and foot.cs last, as always;
 * the layout may read only the values named in view.c's chrome_key and
 * chrome_vars (add a value there before the layout shows it).
 *
 * Common data every page gets:
 *   Page.lang, Page.path, Page.pathEsc (url_escape'd), Page.langHref.ru/.kk, Page.district.code/.name,
 *   User.loggedIn, User.name, User.iinMasked, User.role.citizen/staff/reviewer/support,
 *   Csrf (when there is a session), Flash.text, Errors.<field> (val.h),
 *   Site.* (App.* settings: name, support phone, demo), Districts.N.code/name/kind.
 *
 * Public pages can be served from memory until their data changes:
 *   if (view_cache_serve(r, "stats", v)) return REQ_OK;
 *   ... fill, view_render(r, "stats.cs") ...
 *   view_cache_early(r, VIEW_DEP_QUEUE | VIEW_DEP_PLACES, until);   // optional
 *   view_cache_store(r, "stats", v);
 * Only anonymous GET requests without a flash message use the cache; the
 * key is completed with the language and district. A page is kept the
 * second time its key is asked for (one asked once costs nothing),
 * gzip-compressed, at most View.CacheKB (512) per worker, the least
 * recently used going first; when the cache is full, a page gets in only
 * if it is asked for more often (an estimate over recent requests) than
 * the one that would go, else it is neither compressed nor kept.
 *
 * The early answer: a page stored after view_cache_early() also answers
 * the same URL (path and query), language and district straight from the
 * request loop, before ClearSilver parses the request, before any session
 * or handler, while the data_version counters named in deps keep their
 * values and the time is before until. Only for a page that shows nothing
 * but what the URL, the language, the district, those counters and the
 * clock (until) determine. The loop answers early only anonymous GET/HEAD
 * requests that carry no session or flash cookie and no ?lang= switch.
 * Prefix view_.
 */
#ifndef KG_VIEW_H
#define KG_VIEW_H

#include "web/req.h"

int view_init(void);
void view_free(void);

/* Renders the template into the response (status 200 unless set). */
int view_render(struct req *r, const char *tpl);
/* A page in two templates with HTML between them: a, the n bytes of mid,
 * then b; the layout around the whole as view_render. mid is HTML a
 * program rendered earlier with view_render_part and kept (the rows of a
 * table): no template prints it unescaped, and no data goes into it that
 * did not pass through a template's escaping. */
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

int view_cache_serve(struct req *r, const char *key, long long version);
void view_cache_store(struct req *r, const char *key, long long version);

/* The body of a personal page (below the layout) kept for the same person:
 * a logged-in GET without a flash message, keyed by key, the language,
 * the district and the account, while version is the same and the time
 * is before until (0 = no limit). The layout is put round it at each use
 * (it carries the CSRF token). Only for a page whose body holds no token
 * or secret and shows nothing the key, version and until do not name.
 * BODY_SLOTS (8) per worker, the least recently used going first.
 *   if (view_body_serve(r, key, v)) return REQ_OK;
 *   ... fill, view_render ...
 *   view_body_store(r, key, v, until); */
int view_body_serve(struct req *r, const char *key, long long version);
void view_body_store(struct req *r, const char *key, long long version, long long until);

/* A page of a fixed shape with values put in: rendered once per template,
 * language, roles (logged in or not) and the values of shape, with a
 * marker for each of vals, kept, and filled at each later use without the
 * data tree or the template (view.c, "molds"). The shape holds every
 * value the template tests, compares or looks up with (if:, a[x]); vals
 * are shown only as `var:` text. A value NULL or "" is left unset. Of
 * the request's other data the body may read only its language and the
 * person's roles (the layout has the rest); with View.CheckMolds (the tests) each filled
 * mold is compared with the page rendered whole, and a difference is an
 * error. At most 60 vals. 0, or -1.
 *   struct view_val shape[] = {{"Found.status", status}}, vals[] = {{"Found.number", number}};
 *   return view_mold(r, "search.cs", shape, 1, vals, 1); */
/* Appends s HTML-escaped exactly as a template's var: escapes it (what
 * molds and the layout's markers use). 0 or -1. */
int view_add_escaped(struct buf *o, const char *s);
struct view_val {
	const char *key, *value;
};
int view_mold(struct req *r, const char *tpl, const struct view_val *shape, int nshape, const struct view_val *vals,
	      int nvals);
/* view_mold with mid (n bytes of HTML made by the caller, molds of its
 * own) and the template end (rendered, as inside the kept layout: a
 * page's end that includes layout/foot.cs, say) after the filled body;
 * rendered whole (flash, errors, the tests' check), the page is tpl, mid,
 * end. 0, or -1. */
int view_mold_with(struct req *r, const char *tpl, const struct view_val *shape, int nshape,
		   const struct view_val *vals, int nvals, const char *mid, size_t n, const char *end);
/* The same for a part of a page (a table's row, say), without the layout:
 * the filled text is appended to out, as view_render_part would append
 * it. 0, or -1. */
int view_mold_part(struct req *r, const char *tpl, const struct view_val *shape, int nshape,
		   const struct view_val *vals, int nvals, struct buf *out);

/* The data_version counters (sql/001) a page may depend on. */
enum {
	VIEW_DEP_QUEUE = 1 << 0,
	VIEW_DEP_PLACES = 1 << 1,
	VIEW_DEP_REFERRALS = 1 << 2,
	VIEW_DEP_DDO = 1 << 3,
	VIEW_DEP_REFERENCE = 1 << 4,
};
/* The page about to be stored may answer early (see above). until: the
 * moment time alone makes it stale, 0 for never. */
void view_cache_early(struct req *r, unsigned deps, long long until);
/* For the request loop: answers from the cache with r->path, r->query,
 * r->lang, r->district set. 1 when answered, 0 when the handler must run. */
int view_cache_early_serve(struct req *r, const char *accept_encoding);
/* The sum of the counters named in deps (0 for none), -1 on error. */
long long view_data_versions(unsigned deps);

#endif
