/*
 * http.h — one HTTP exchange as data: the request as the loop parsed it
 * (path, query, client, language, district, session, uploads) and the
 * response being built (status, headers, body), with the one writer of
 * cookies. The request loop (req.h) fills it and sends it; sessions
 * (sess.h), the view (view.h) and the screens read and write it. It is
 * apart from the loop so that the modules the loop calls need not include
 * the loop. Prefix req_, as the loop's.
 */
#ifndef KG_HTTP_H
#define KG_HTTP_H

#include <stddef.h>

#include <ClearSilver.h>

#include "base/util.h"

enum method { M_GET, M_POST, M__MAX };

/* Roles: bits of account.roles. ROLE_ANY: anyone, logged in or not;
 * ROLE_LOGGED: any logged-in account. A route's roles are a mask: the
 * account needs at least one of its bits. */
enum {
	ROLE_ANY = 0,
	ROLE_CITIZEN = 1,
	ROLE_STAFF = 2,
	ROLE_REVIEWER = 4,
	ROLE_SUPPORT = 8,
	ROLE_LOGGED = 15,
};

/* An uploaded file (multipart part with a filename). Data lives in the
 * request's arena. */
struct req_file {
	const char *field;
	const char *filename;
	const char *ctype;     /* as the client said: never trusted */
	const unsigned char *data;
	size_t len;
};

struct route;   /* req.h */
struct sess;    /* sess.h */

struct req {
	struct arena *a;       /* per-request memory */
	CGI *cgi;
	HDF *hdf;              /* request data and view data (CGI.*, Query.*, Cookie.*, ...) */
	enum method method;
	int head;              /* HEAD request: headers only */
	const char *path;      /* request path, no query string */
	const char *query;     /* raw query string ("" if none) */
	const char *ip;        /* client address */
	int secure;            /* came over TLS (or Session.SecureCookies): cookies say Secure */
	const char *lang;      /* "ru" or "kk" */
	int district;          /* chosen district (KATO), 0 if none */
	const struct route *route;
	long long iarg[4];     /* values of %d segments */
	const char *sarg[4];   /* values of %s segments */
	struct sess *s;        /* NULL when no valid session */
	int session_expired;   /* the client sent a session cookie that has expired */
	const char *fail_key;  /* the error page's message (req_fail) */
	struct req_file *files;
	size_t nfiles;

	/* response */
	int status;
	const char *ctype;
	struct buf headers;
	struct buf body;
};

/* Sets a cookie: Path=/; HttpOnly; SameSite=Lax; Secure when r->secure.
 * max_age < 0: session cookie; 0: delete. Name and value must be
 * cookie-safe ([A-Za-z0-9-_.:~]; the function refuses anything else,
 * logged). */
void req_cookie(struct req *r, const char *name, const char *value, long long max_age);

#endif
