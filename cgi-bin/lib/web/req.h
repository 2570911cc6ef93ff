/*
 * req.h — the request loop every screen runs.
 *
 * A screen's main() is one call:
 *
 *   static const struct route routes[] = {
 *     { M_GET,  "/queue",          ROLE_CITIZEN, page_form, 0 },
 *     { M_POST, "/queue",          ROLE_CITIZEN, page_save, RF_UPLOAD },
 *     { M_GET,  "/queue/search",   ROLE_ANY,     page_search, 0 },
 *     { M_GET,  "/journal/doc/%d", ROLE_LOGGED,  page_doc, 0 },
 *   };
 *   int main(int argc, char **argv) { return req_main(argc, argv, &(struct app){ "queue", routes, NROUTES(routes), NULL }); }
 *
 * For each request the loop: resets all per-request state; binds
 * ClearSilver's CGI kit to the FastCGI streams and parses the request
 * (urlencoded bodies by cgi_parse after normalising the content type,
 * multipart by our own parser, bodies capped); finds the route (404, then
 * 405); checks the body size (413), the session (an expired one is told
 * so), the role (login redirect or 403) and, for POST, the CSRF token (403);
 * then calls the handler. Handlers read only validated input (val.h), fill
 * the view and return one of the outcomes below. State-changing handlers
 * answer with a 303 redirect. Works as FastCGI and as plain CGI.
 *
 * The request and its response as data (struct req) and req_cookie are in
 * http.h, the session (struct sess) in sess.h; both are included here.
 * Prefix req_.
 */
#ifndef KG_REQ_H
#define KG_REQ_H

#include <stddef.h>

#include <ClearSilver.h>

#include "base/actor.h"
#include "base/util.h"
#include "web/http.h"
#include "web/sess.h"

/* Route flags. */
enum {
	RF_UPLOAD = 1 << 0,   /* accepts multipart/form-data up to Upload.MaxBytes */
	RF_NOCSRF = 1 << 1,   /* POST without CSRF check (none today; reviewed exception) */
	RF_SESSION = 1 << 2,  /* GET that renders a form: create a session for its CSRF token */
	/* A public page the web server may keep for one second: built only from
	 * the path, the query string, the language and district cookies and the
	 * data, never from a person (the request loop sends it as cacheable
	 * only to an anonymous visitor, and the web server bypasses its copy
	 * for a request with a session or flash cookie). */
	RF_CACHE = 1 << 3,
	/* A POST that carries a CMS (multipart or urlencoded), with a body of at
	 * most REQ_SIGNED_MAX: above the CMS's own cap (SIGN_MAX_INPUT, in
	 * base64) so that a slightly larger one is refused with its message,
	 * far below an upload's, since anyone may send it. */
	RF_SIGNED = 1 << 4,
};

#define REQ_SIGNED_MAX (128 * 1024)

typedef int (*handler_fn)(struct req *r);

struct route {
	enum method method;
	const char *pattern;   /* exact path; "%d" matches a decimal segment, "%s" a [A-Za-z0-9._-] segment */
	unsigned roles;
	handler_fn fn;
	unsigned flags;
};

struct app {
	const char *name;
	const struct route *routes;
	size_t nroutes;
	int (*init)(void);     /* once per process after the library is ready; 0 or -1 */
};

#define NROUTES(a) (sizeof(a) / sizeof((a)[0]))

/* A handler's outcome, the one way it answers: REQ_OK when it rendered
 * the page or a redirect; an HTTP status of 400 or more (or REQ_ERROR,
 * which is 500) for the error page, which the request loop renders after
 * rolling back whatever the handler left open. A database error during
 * the request (db_request_failed) is a 500, or a 503 when the database
 * was busy, whatever the handler returned. */
enum { REQ_OK = 0, REQ_ERROR = -1 };

int req_main(int argc, char **argv, const struct app *app);

/* Parameter from the query string or form, NULL when absent. */
const char *req_param(struct req *r, const char *name);
/* The uploaded file of a field, NULL when none. */
const struct req_file *req_file(struct req *r, const char *field);

/* Response helpers. */
void req_header(struct req *r, const char *name, const char *value);
/* req_cookie: http.h. */
/* 303 See Other to a local path (anything else becomes "/"). */
int req_redirect(struct req *r, const char *local_path);
/* Raw body with a content type (downloads, CSV, SVG). disposition may be
 * NULL, or a file name to send as an attachment. */
int req_send(struct req *r, const char *ctype, const void *p, size_t n, const char *attachment_name);
/* The outcome "status, with the message under msg_key" (instead of
 * Error.<status>): returns status, for `return req_fail(r, 404, key);`. */
int req_fail(struct req *r, int status, const char *msg_key);

/* Is this a safe local redirect target ("/x", not "//x", no scheme, no
 * control characters)? */
int req_local_path_ok(const char *p);

/* Work for after the response, for what the person need not wait for (a
 * referral's PDF): fn(arg) runs in this worker once the response has left
 * and no other request is waiting to be accepted, so under a burst the
 * burst is answered first; in the order added; at most 30 seconds late
 * even under constant load; before the worker exits in any case. The
 * request's state is gone by then: pass an id and read what is needed,
 * and make the job idempotent with a timed job behind it (a worker may
 * die first). Returns 0, -1 when fn is NULL. */
int req_after(void (*fn)(long long arg), long long arg);
/* Runs now, inside the current request, the job (fn, arg) if this worker
 * has it waiting (and drops it from the queue): for a page that needs what
 * its own worker promised to make after an earlier response. 1 when it
 * ran, 0 when this worker holds no such job. */
int req_after_run(void (*fn)(long long arg), long long arg);

/* What a person whose session ended (why: enum sess_end) is told, in the
 * page's language, with the real limits (Session.IdleMinutes, MaxHours);
 * NULL for SESS_LIVE and SESS_ANON (a visitor never logged in). */
const char *req_session_end_text(struct req *r, enum sess_end why);

/* Who acts in this request (actor.h): the session's account and the role
 * named by role_bit when the account has it, else its main role (support,
 * reviewer, staff, citizen), or "anonymous"; the client's address. */
struct actor req_actor(struct req *r, unsigned role_bit);

/* Role test against the current session. */
int req_has_role(struct req *r, unsigned roles);
long long req_account(struct req *r);  /* 0 when not logged in */

#endif
