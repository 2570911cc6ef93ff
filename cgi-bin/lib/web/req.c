/* req.c — see req.h. */
#include "web/req.h"

#include <errno.h>
#include <fcntl.h>
#include <fastcgi.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/uio.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/lang.h"
#include "base/log.h"
#include "base/metrics.h"
#include "web/sess.h"
#include "base/sms.h"
#include "domain/place.h"
#include "domain/referral.h"
#include "web/view.h"

static FCGX_Request fr;
static const struct app *app;
static long long form_max, upload_max;
static int log_requests;   /* Log.Requests: an entry for every request */
static int secure_cookies;
/* The page's language came from Accept-Language, not from a lang cookie:
 * a page kept by a cache varies with that header (write_response). */
static int lang_guessed;

/* ---- the request's FastCGI parameters, indexed once per request ----
 * libfcgi keeps them as a list of "NAME=value" strings and FCGX_GetParam
 * compares the name against each in turn. ClearSilver's cgi_init asks for
 * every variable it knows (below), so the list was walked some 150 times
 * per request. An open-addressing table built once per request answers
 * each question with one hash and one comparison. */

#define PARAM_SLOTS 256   /* a power of two, well above nginx's ~30 params */
struct param {
	const char *name;   /* into envp: "NAME=value" */
	size_t nlen;
	const char *value;
	unsigned gen;       /* the request this slot was filled for */
};
static struct param params[PARAM_SLOTS];
static unsigned params_gen;

static size_t name_hash(const char *s, size_t n)
{
	size_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static void params_index(void)
{
	if (++params_gen == 0) {   /* wrapped: forget every slot once */
		memset(params, 0, sizeof params);
		params_gen = 1;
	}
	for (int j = 0; fr.envp && fr.envp[j]; j++) {
		const char *e = fr.envp[j];
		const char *eq = strchr(e, '=');
		if (!eq)
			continue;
		size_t n = (size_t)(eq - e);
		size_t h = name_hash(e, n) & (PARAM_SLOTS - 1);
		for (size_t probes = 0; probes < PARAM_SLOTS; probes++, h = (h + 1) & (PARAM_SLOTS - 1)) {
			struct param *p = &params[h];
			if (p->gen != params_gen) {
				*p = (struct param){e, n, eq + 1, params_gen};
				break;
			}
			if (p->nlen == n && memcmp(p->name, e, n) == 0)
				break;   /* a repeated name: the first one counts, as in FCGX_GetParam */
		}
	}
}

/* The value of a FastCGI parameter of the current request, NULL if absent. */
static const char *param(const char *name)
{
	size_t n = strlen(name);
	size_t h = name_hash(name, n) & (PARAM_SLOTS - 1);
	for (size_t probes = 0; probes < PARAM_SLOTS; probes++, h = (h + 1) & (PARAM_SLOTS - 1)) {
		const struct param *p = &params[h];
		if (p->gen != params_gen)
			return NULL;
		if (p->nlen == n && memcmp(p->name, name, n) == 0)
			return p->value;
	}
	return NULL;
}

static const char *env(const char *name)
{
	const char *v = param(name);
	return v ? v : "";
}

/* ---- ClearSilver's CGI kit bound to the FastCGI streams ----
 * cgiwrap keeps one global; we re-bind it on every request. */

static int cw_read(void *data, char *buf, int n)
{
	(void)data;
	return FCGX_GetStr(buf, n, fr.in);
}

static int cw_writef(void *data, const char *fmt, va_list ap)
{
	(void)data;
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);   /* libfcgi's printf lacks C99 conversions */
	if (n < 0)
		return -1;
	int rc = FCGX_PutStr(s, n, fr.out) == n ? 0 : -1;
	free(s);
	return rc;
}

static int cw_write(void *data, const char *buf, int n)
{
	(void)data;
	return FCGX_PutStr(buf, n, fr.out);
}

static char *cw_getenv(void *data, const char *name)
{
	(void)data;
	const char *v = param(name);
	return v ? strdup(v) : NULL;
}

static int cw_putenv(void *data, const char *k, const char *v)
{
	(void)data, (void)k, (void)v;
	return 0;
}

static int cw_iterenv(void *data, int i, char **k, char **v)
{
	(void)data;
	*k = *v = NULL;
	if (!fr.envp || i < 0)
		return 0;
	for (int j = 0; j < i; j++)
		if (!fr.envp[j])
			return 0;
	const char *e = fr.envp[i];
	const char *eq = e ? strchr(e, '=') : NULL;
	if (!eq)
		return 0;
	*k = strndup(e, (size_t)(eq - e));
	*v = strdup(eq + 1);
	if (!*k || !*v) {
		free(*k);
		free(*v);
		*k = *v = NULL;
	}
	return 0;
}

/* ClearSilver 0.10.5's cgi_init copies 141 environment variables into
 * CGI.* (most of them mod_ssl's) and 11 request headers into HTTP.*, each
 * with a getenv and an snprintf of its HDF name: 80% of the CPU a page
 * served from the cache cost. The lists are the library's own data
 * (CGIVars and HTTPVars: rows {environment name, HDF name} ending with a
 * NULL name). Once per process the rows the service reads are moved to the
 * front and the list is ended after them; everything else cgi_init does
 * (query string, cookies, content type, cgi_parse of a body) is unchanged.
 * A library whose lists lack one of the names is left as it is: slower,
 * same result. Reading another CGI.* or HTTP.* value means adding its
 * environment name here. */
struct cs_var {
	char *env_name;
	char *hdf_name;
};
extern struct cs_var CGIVars[], HTTPVars[];

static const char *const cgi_vars_kept[] = {
	"CONTENT_TYPE", "CONTENT_LENGTH", "QUERY_STRING", "REQUEST_METHOD", "REQUEST_URI", "REMOTE_ADDR", "HTTPS", NULL,
};
static const char *const http_vars_kept[] = {"HTTP_COOKIE", "HTTP_ACCEPT_ENCODING", NULL};

static void cs_vars_trim(struct cs_var *list, const char *const *keep)
{
	size_t n = 0, k = 0;
	while (list[n].env_name)
		n++;
	for (const char *const *w = keep; *w; w++) {
		size_t i = k;
		while (i < n && strcmp(list[i].env_name, *w) != 0)
			i++;
		if (i == n)
			return;   /* not this library's list: keep it whole */
		struct cs_var t = list[k];
		list[k] = list[i];
		list[i] = t;
		k++;
	}
	list[k].env_name = NULL;
}

/* ---- parameters and files ---- */

const char *req_param(struct req *r, const char *name)
{
	char key[160];
	size_t n = strlen(name);
	if (n >= sizeof key - 6)
		return NULL;
	memcpy(key, "Query.", 6);   /* a dozen a page: no printf */
	memcpy(key + 6, name, n + 1);
	return hdf_get_value(r->hdf, key, NULL);
}

const struct req_file *req_file(struct req *r, const char *field)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (strcmp(r->files[i].field, field) == 0)
			return &r->files[i];
	return NULL;
}

/* ---- multipart/form-data (our own: ClearSilver 0.10.5's is unreliable) ---- */

static const unsigned char *memfind(const unsigned char *h, size_t hn, const char *n, size_t nn)
{
	if (nn == 0 || hn < nn)
		return NULL;
	const unsigned char *end = h + hn - nn;
	for (const unsigned char *p = h; p <= end; p++) {
		p = memchr(p, n[0], (size_t)(end - p) + 1);
		if (!p)
			return NULL;
		if (memcmp(p, n, nn) == 0)
			return p;
	}
	return NULL;
}

/* Extracts a parameter (name="..." / filename="...") from a header value. */
static char *disp_param(struct arena *a, const char *hdr, size_t hlen, const char *param)
{
	size_t pl = strlen(param);
	for (size_t i = 0; i + pl + 2 <= hlen; i++) {
		if ((i == 0 || hdr[i - 1] == ' ' || hdr[i - 1] == ';') &&
		    strncasecmp(hdr + i, param, pl) == 0 && hdr[i + pl] == '=') {
			const char *v = hdr + i + pl + 1;
			size_t rest = hlen - (size_t)(v - hdr);
			if (rest && *v == '"') {
				const char *q = memchr(v + 1, '"', rest - 1);
				if (!q)
					return NULL;
				return arena_strndup(a, v + 1, (size_t)(q - v - 1));
			}
			size_t n = 0;
			while (n < rest && v[n] != ';' && v[n] != ' ')
				n++;
			return arena_strndup(a, v, n);
		}
	}
	return NULL;
}

static int field_name_ok(const char *s)
{
	if (!*s || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* Returns 0, or an HTTP status (400) when the body is malformed. */
static int parse_multipart(struct req *r, const unsigned char *body, size_t len, const char *boundary)
{
	char delim[120];
	size_t bl = strlen(boundary);
	if (bl == 0 || bl > 70)
		return 400;
	snprintf(delim, sizeof delim, "--%s", boundary);
	size_t dl = strlen(delim);
	const unsigned char *p = memfind(body, len, delim, dl);
	if (!p)
		return 400;
	size_t cap = 8, nparts = 0;
	r->files = arena_alloc(r->a, cap * sizeof *r->files);
	for (;;) {
		p += dl;
		size_t rest = len - (size_t)(p - body);
		if (rest >= 2 && p[0] == '-' && p[1] == '-')
			return 0; /* closing delimiter */
		if (rest < 2 || p[0] != '\r' || p[1] != '\n')
			return 400;
		p += 2;
		rest -= 2;
		const unsigned char *hend = memfind(p, rest, "\r\n\r\n", 4);
		if (!hend)
			return 400;
		const char *hdrs = (const char *)p;
		size_t hl = (size_t)(hend - p);
		const unsigned char *data = hend + 4;
		char close[124];
		snprintf(close, sizeof close, "\r\n%s", delim);
		const unsigned char *next = memfind(data, len - (size_t)(data - body), close, dl + 2);
		if (!next)
			return 400;
		if (++nparts > 64)
			return 400;
		/* Headers of the part. */
		char *name = NULL, *filename = NULL, *ctype = NULL;
		const char *h = hdrs;
		while (h < hdrs + hl) {
			const char *eol = memchr(h, '\r', (size_t)(hdrs + hl - h));
			size_t ll = eol ? (size_t)(eol - h) : (size_t)(hdrs + hl - h);
			if (ll > 20 && strncasecmp(h, "Content-Disposition:", 20) == 0) {
				name = disp_param(r->a, h + 20, ll - 20, "name");
				filename = disp_param(r->a, h + 20, ll - 20, "filename");
			} else if (ll > 13 && strncasecmp(h, "Content-Type:", 13) == 0) {
				const char *v = h + 13;
				while (*v == ' ')
					v++;
				ctype = arena_strndup(r->a, v, ll - (size_t)(v - h));
			}
			h += ll + 2;
		}
		if (!name || !field_name_ok(name))
			return 400;
		size_t dlen = (size_t)(next - data);
		if (filename) {
			if (dlen > 0 || *filename) {
				if (r->nfiles == cap) {
					struct req_file *nf = arena_alloc(r->a, cap * 2 * sizeof *nf);
					if (!nf)
						return 500;
					memcpy(nf, r->files, cap * sizeof *nf);
					r->files = nf;
					cap *= 2;
				}
				struct req_file *f = &r->files[r->nfiles++];
				f->field = name;
				f->filename = filename;
				f->ctype = ctype ? ctype : "application/octet-stream";
				f->data = data;
				f->len = dlen;
			}
		} else {
			char key[80];
			snprintf(key, sizeof key, "Query.%s", name);
			char *v = arena_strndup(r->a, (const char *)data, dlen);
			if (!v || memchr(data, '\0', dlen))
				return 400;
			if (!hdf_get_value(r->hdf, key, NULL))
				hdf_set_value(r->hdf, key, v);
		}
		p = next + 2;
	}
}

/* ---- routing ---- */

static int match(struct req *r, const char *pat, const char *path)
{
	int ni = 0, ns = 0;
	while (*pat && *path) {
		if (pat[0] == '%' && (pat[1] == 'd' || pat[1] == 's')) {
			const char *e = path;
			if (pat[1] == 'd') {
				while (*e >= '0' && *e <= '9')
					e++;
				long long v;
				char tmp[24];
				if (e == path || e - path > 18)
					return 0;
				memcpy(tmp, path, (size_t)(e - path));
				tmp[e - path] = '\0';
				if (u_strtoll(tmp, 0, 1LL << 62, &v) < 0 || ni >= 4)
					return 0;
				r->iarg[ni++] = v;
			} else {
				while ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') ||
				       (*e >= '0' && *e <= '9') || *e == '.' || *e == '_' || *e == '-')
					e++;
				if (e == path || ns >= 4 || e - path > 128)
					return 0;
				r->sarg[ns++] = arena_strndup(r->a, path, (size_t)(e - path));
			}
			path = e;
			pat += 2;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	return *pat == '\0' && *path == '\0';
}

/* ---- responses ---- */

void req_header(struct req *r, const char *name, const char *value)
{
	/* Header injection: refuse values with line breaks. */
	if (strpbrk(value, "\r\n") || strpbrk(name, "\r\n: "))
		return;
	buf_printf(&r->headers, "%s: %s\r\n", name, value);
}

int req_local_path_ok(const char *p)
{
	if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\')
		return 0;
	if (strlen(p) > 512)
		return 0;
	for (; *p; p++)
		if ((unsigned char)*p < 0x21 || *p == '\\' || (unsigned char)*p == 0x7F)
			return 0;
	return 1;
}

int req_redirect(struct req *r, const char *path)
{
	r->status = 303;
	req_header(r, "Location", req_local_path_ok(path) ? path : "/");
	buf_reset(&r->body);
	r->ctype = NULL;
	return REQ_OK;
}

int req_send(struct req *r, const char *ctype, const void *p, size_t n, const char *attachment)
{
	buf_reset(&r->body);
	if (buf_add(&r->body, p, n) < 0)
		return 500;
	r->ctype = ctype;
	if (!r->status)
		r->status = 200;
	if (attachment) {
		char v[300];
		/* File names we generate are ASCII; anything else is replaced. */
		char safe[200];
		size_t j = 0;
		for (size_t i = 0; attachment[i] && j + 1 < sizeof safe; i++) {
			char c = attachment[i];
			safe[j++] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
				     c == '.' || c == '-' || c == '_') ? c : '_';
		}
		safe[j] = '\0';
		snprintf(v, sizeof v, "attachment; filename=\"%s\"", safe);
		req_header(r, "Content-Disposition", v);
	}
	return REQ_OK;
}

int req_fail(struct req *r, int status, const char *msg_key)
{
	r->fail_key = msg_key;
	return status;
}

/* The error page of a failed request, nothing of what the handler made. */
static void render_error(struct req *r, int status)
{
	r->status = status;
	if (view_error(r, status, r->fail_key) < 0) {
		buf_reset(&r->body);
		buf_printf(&r->body, "Error %d\n", status);
		r->ctype = "text/plain; charset=utf-8";
	}
}

int req_has_role(struct req *r, unsigned roles)
{
	if (roles == ROLE_ANY)
		return 1;
	return r->s && r->s->account_id && (r->s->roles & roles);
}

long long req_account(struct req *r) { return r->s ? r->s->account_id : 0; }

struct actor req_actor(struct req *r, unsigned role_bit)
{
	struct actor a = {req_account(r), "anonymous", r->ip ? r->ip : ""};
	if (a.id) {
		unsigned roles = r->s->roles;
		if (role_bit && (roles & role_bit))
			a.role = sess_role_name(role_bit);
		else if (roles & ROLE_SUPPORT)
			a.role = "support";
		else if (roles & ROLE_REVIEWER)
			a.role = "reviewer";
		else if (roles & ROLE_STAFF)
			a.role = "staff";
		else
			a.role = "citizen";
	}
	return a;
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "Error";
	}
}

/* The headers every response carries, built once per process. */
static char fixed_headers[1024];
static size_t fixed_len;

static void build_fixed_headers(void)
{
	/* NCALayer runs on the user's machine; the page's script talks to it. */
	const char *nca = conf_get("Eds.NcaLayerUrl", "wss://127.0.0.1:13579");
	int n = snprintf(fixed_headers, sizeof fixed_headers,
		 "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
		 "font-src 'self'; connect-src 'self' %s; object-src 'none'; base-uri 'none'; "
		 "form-action 'self'; frame-ancestors 'none'\r\n"
		 "X-Content-Type-Options: nosniff\r\n"
		 "Referrer-Policy: same-origin\r\n"
		 "X-Frame-Options: DENY\r\n"
		 "Cross-Origin-Opener-Policy: same-origin\r\n"
		 "Permissions-Policy: camera=(), microphone=(), geolocation=()\r\n", nca);
	fixed_len = n > 0 && (size_t)n < sizeof fixed_headers ? (size_t)n : 0;
}

/* The response as FastCGI records (FCGI_STDOUT, its end, FCGI_END_REQUEST)
 * in one writev: libfcgi's output stream writes a record for every 8 KB
 * of its buffer, so a 17 KB page took three writes (and nginx as many
 * reads). The stream is then marked closed, so FCGX_Finish_r adds nothing;
 * a failed write sets its error, so the connection is closed. Nothing else
 * writes to fr.out (the handlers fill r->body). */
static void send_records(const char *h, size_t hn, const char *b, size_t bn)
{
	enum { CHUNK = 0xfff8 };   /* the largest record content that needs no padding */
	enum { MAXREC = 64 };
	static unsigned char hdrs[MAXREC + 2][FCGI_HEADER_LEN];
	static unsigned char end[FCGI_HEADER_LEN + sizeof(FCGI_EndRequestBody)];
	static const unsigned char pad[8];
	struct iovec iov[4 * MAXREC + 2];   /* per record: header, content (two parts in the first), padding */
	int n = 0, rec = 0;
	size_t total = hn + bn;
	if (total > (size_t)CHUNK * MAXREC) {   /* larger than any page: libfcgi's way */
		FCGX_PutStr(h, (int)hn, fr.out);
		FCGX_PutStr(b, (int)bn, fr.out);
		return;
	}
	size_t off = 0;
	do {
		size_t len = total - off < CHUNK ? total - off : CHUNK;
		size_t padding = (8 - len % 8) % 8;
		unsigned char *x = hdrs[rec++];
		x[0] = FCGI_VERSION_1;
		x[1] = FCGI_STDOUT;
		x[2] = (unsigned char)(fr.requestId >> 8);
		x[3] = (unsigned char)fr.requestId;
		x[4] = (unsigned char)(len >> 8);
		x[5] = (unsigned char)len;
		x[6] = (unsigned char)padding;
		x[7] = 0;
		iov[n++] = (struct iovec){x, FCGI_HEADER_LEN};
		/* The record's content: from the headers, the body or both. */
		for (size_t at = off; at < off + len;) {
			const char *src = at < hn ? h + at : b + (at - hn);
			size_t avail = at < hn ? hn - at : total - at;
			size_t take = off + len - at < avail ? off + len - at : avail;
			iov[n++] = (struct iovec){(void *)src, take};
			at += take;
		}
		if (padding)
			iov[n++] = (struct iovec){(void *)pad, padding};
		off += len;
	} while (off < total);
	unsigned char *eof = hdrs[rec];
	memset(eof, 0, FCGI_HEADER_LEN);
	eof[0] = FCGI_VERSION_1;
	eof[1] = FCGI_STDOUT;
	eof[2] = (unsigned char)(fr.requestId >> 8);
	eof[3] = (unsigned char)fr.requestId;
	iov[n++] = (struct iovec){eof, FCGI_HEADER_LEN};
	memset(end, 0, sizeof end);
	end[0] = FCGI_VERSION_1;
	end[1] = FCGI_END_REQUEST;
	end[2] = (unsigned char)(fr.requestId >> 8);
	end[3] = (unsigned char)fr.requestId;
	end[5] = sizeof(FCGI_EndRequestBody);   /* appStatus 0, FCGI_REQUEST_COMPLETE (0) */
	iov[n++] = (struct iovec){end, sizeof end};
	/* The whole of it, however the socket takes it. */
	struct iovec *v = iov;
	while (n > 0) {
		ssize_t w = writev(fr.ipcFd, v, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			fr.out->FCGI_errno = errno;
			break;
		}
		while (n > 0 && (size_t)w >= v->iov_len) {
			w -= (ssize_t)v->iov_len;
			v++;
			n--;
		}
		if (n > 0) {
			v->iov_base = (char *)v->iov_base + w;
			v->iov_len -= (size_t)w;
		}
	}
	fr.out->wasFCloseCalled = 1;
	fr.out->isClosed = 1;
}

/* May the web server keep this response for a second (conf/gen-web.sh)?
 * Only a 200 to an anonymous GET of a route marked RF_CACHE that sets no
 * cookie: such a page is built from its URL, the language and district
 * cookies (the web server's key) and the data, and shows nothing of a
 * person. Everything else is marked no-store. */
static int keepable(const struct req *r)
{
	return r->route && (r->route->flags & RF_CACHE) && r->method == M_GET && r->status == 200 && !r->s &&
	       !r->session_expired && !(r->headers.s && strstr(r->headers.s, "Set-Cookie:"));
}

/* The request's id: in every log entry of the request (log_context) and
 * in the response's X-Request-Id, so that an answer a person reports can
 * be found in the log. Twenty random lowercase letters: no digits, so the
 * log's masking of IINs never alters it. */
static char request_id[24];

static void new_request_id(void)
{
	unsigned char b[20];
	if (u_random(b, sizeof b) < 0) {   /* never expected: still distinct within the process */
		static unsigned long long n;
		unsigned long long v = ++n;
		for (size_t i = 0; i < sizeof b; i++, v /= 26)
			b[i] = (unsigned char)(v % 26);
	}
	for (size_t i = 0; i < sizeof b; i++)
		request_id[i] = (char)('a' + b[i] % 26);
	request_id[sizeof b] = '\0';
}

static long long monotonic_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void write_response(struct req *r)
{
	/* Appends only: no printf on the way out. */
	static struct buf h;
	buf_reset(&h);
	if (!r->status)
		r->status = 200;
	buf_adds(&h, "Status: ");
	buf_addint(&h, r->status);
	buf_addc(&h, ' ');
	buf_adds(&h, reason(r->status));
	buf_adds(&h, "\r\n");
	if (r->ctype) {
		buf_adds(&h, "Content-Type: ");
		buf_adds(&h, r->ctype);
		buf_adds(&h, "\r\n");
	}
	if (r->status != 304) {
		buf_adds(&h, "Content-Length: ");
		buf_addint(&h, (long long)r->body.len);
		buf_adds(&h, "\r\n");
	}
	buf_add(&h, fixed_headers, fixed_len);
	buf_adds(&h, "X-Request-Id: ");
	buf_adds(&h, request_id);
	buf_adds(&h, "\r\n");
	if (keepable(r)) {
		/* Kept until the end of this second of the real clock (nginx counts
		 * whole seconds: a relative 1 would keep a copy up to two). */
		buf_adds(&h, lang_guessed ? "Cache-Control: public, s-maxage=1\r\nVary: Cookie, Accept-Language\r\nX-Accel-Expires: @"
				       : "Cache-Control: public, s-maxage=1\r\nVary: Cookie\r\nX-Accel-Expires: @");
		buf_addint(&h, (long long)time(NULL));
		buf_adds(&h, "\r\n");
	} else {
		buf_adds(&h, "Cache-Control: no-store\r\n");
	}
	if (r->headers.len)
		buf_add(&h, r->headers.s, r->headers.len);
	buf_adds(&h, "\r\n");
	send_records(h.s, h.len, r->head ? NULL : r->body.s, r->head ? 0 : r->body.len);
}

/* ---- after the response ----
 * Jobs wait in a ring, oldest first. A worker runs them when no request
 * waits on the listening socket (a poll that does not block), so a burst
 * of requests is answered first and its jobs follow; a job that has waited
 * AFTER_MAX_WAIT seconds runs even under load, and a full ring runs its
 * oldest job to make room. Whatever is left runs before the worker exits. */

#define AFTER_MAX 1024
#define AFTER_MAX_WAIT 30
static struct {
	void (*fn)(long long);
	long long arg;
	long long at;
} after[AFTER_MAX];
static size_t after_head, after_len;

static void run_one_after(void)
{
	size_t i = after_head;
	after_head = (after_head + 1) % AFTER_MAX;
	after_len--;
	after[i].fn(after[i].arg);
	db_request_end();
}

static void after_nothing(long long unused) { (void)unused; }

int req_after_run(void (*fn)(long long arg), long long arg)
{
	for (size_t k = 0; k < after_len; k++) {
		size_t i = (after_head + k) % AFTER_MAX;
		if (after[i].fn == fn && after[i].arg == arg) {
			after[i].fn = after_nothing;   /* its slot passes as a no-op */
			fn(arg);
			return 1;
		}
	}
	return 0;
}

int req_after(void (*fn)(long long arg), long long arg)
{
	if (!fn)
		return -1;
	if (after_len == AFTER_MAX)
		run_one_after();
	size_t i = (after_head + after_len) % AFTER_MAX;
	after[i].fn = fn;
	after[i].arg = arg;
	after[i].at = u_now();
	after_len++;
	return 0;
}

/* The outbox, after the response (sms.h). */
static int flush_queued;

/* Twenty at a time: when there were more, the rest waits for the next
 * idle moment like any job. */
static void flush_notifications(long long unused)
{
	(void)unused;
	flush_queued = 0;
	if (notify_flush(20) == 20 && !flush_queued) {
		flush_queued = 1;
		req_after(flush_notifications, 0);
	}
}

/* ---- a graceful stop ----
 * SIGTERM (conf/roll.sh, an upgrade's roll) and SIGUSR1 (what multiwatch
 * sends its workers when the pool stops) end a worker without failing a
 * request: they are blocked while a request is served (a system call it
 * makes is never interrupted) and delivered only while the worker waits
 * in accept. The handler puts /dev/null in place of the pool's listening
 * socket (descriptor 0, shared with the other workers, who keep it): the
 * accept in progress, or the next one, fails at once, so the worker
 * leaves its loop, runs its pending after-response jobs and exits 0, and
 * a connection it has accepted is served first. multiwatch then starts
 * its replacement from the program file as it is now. */
static volatile sig_atomic_t stopping;
static int stop_null_fd = -1;
static sigset_t stop_signals;

static void on_stop(int sig)
{
	(void)sig;
	int saved = errno;
	stopping = 1;
	if (stop_null_fd >= 0)
		dup2(stop_null_fd, 0);
	errno = saved;
}

static int stop_signals_init(void)
{
	stop_null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (stop_null_fd < 0)
		return -1;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGUSR1);
	/* Installed before FCGX_Init: libfcgi keeps a handler it finds
	 * (its own SIGUSR1 handler only marks a shutdown for the next accept). */
	struct sigaction sa = {.sa_handler = on_stop, .sa_flags = SA_RESTART};
	sigfillset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGUSR1, &sa, NULL) < 0)
		return -1;
	return sigprocmask(SIG_BLOCK, &stop_signals, NULL);
}

/* Is a request waiting to be accepted? A stopping worker takes none. */
static int request_waiting(void)
{
	if (stopping)
		return 0;
	struct pollfd p = {.fd = 0, .events = POLLIN};
	return poll(&p, 1, 0) > 0;
}

/* ---- when idle ----
 * A referral's PDF is made by the worker that issued it, right after the
 * response (req_after); when that worker died first, the PDF stays due.
 * Any idle worker of any program makes such PDFs once they have been due
 * IDLE_PDF_AGE seconds (the issuing worker's own job may wait behind a
 * burst for up to AFTER_MAX_WAIT), looking at most once a second: one
 * indexed read when nothing is due. ref_make_pdf is safe to run twice. */

#define IDLE_PDF_AGE 10
static long long idle_checked;

static void idle_jobs(void)
{
	long long now = u_now();
	if (now >= idle_checked && now - idle_checked < 1)
		return;
	idle_checked = now;
	db_request_begin();
	if (ref_make_due_pdfs(now, IDLE_PDF_AGE) < 0)
		log_err("due referral PDFs could not be made now; the next idle moment or `kgctl tick` retries");
	db_request_end();
}

/* ---- one request ---- */

static struct req R;

static void reset(struct req *r)
{
	struct arena *a = r->a;
	struct buf h = r->headers, b = r->body;
	arena_reset(a);
	buf_reset(&h);
	buf_reset(&b);
	memset(r, 0, sizeof *r);
	r->a = a;
	r->headers = h;
	r->body = b;
}

static const char *normalise_ctype(struct req *r, const char *ct, const char **boundary)
{
	*boundary = NULL;
	size_t n = strcspn(ct, ";");
	while (n && ct[n - 1] == ' ')
		n--;
	char *base = arena_strndup(r->a, ct, n);
	for (char *p = base; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (strcmp(base, "multipart/form-data") == 0) {
		const char *b = strstr(ct, "boundary=");
		if (b) {
			b += 9;
			size_t bl = strcspn(b, "; ");
			if (bl >= 2 && b[0] == '"' && b[bl - 1] == '"')
				*boundary = arena_strndup(r->a, b + 1, bl - 2);
			else
				*boundary = arena_strndup(r->a, b, bl);
		}
	}
	return base;
}

/* Reads and parses the body of a POST. Returns 0 or an HTTP status. */
static int read_body(struct req *r)
{
	const char *cl = env("CONTENT_LENGTH");
	long long len = 0;
	if (*cl && u_strtoll(cl, 0, 1LL << 40, &len) < 0)
		return 400;
	const char *ct = env("CONTENT_TYPE");
	const char *boundary;
	const char *base = normalise_ctype(r, ct, &boundary);
	unsigned flags = r->route ? r->route->flags : 0;
	int upload = (flags & (RF_UPLOAD | RF_SIGNED)) != 0;
	long long max = (flags & RF_SIGNED) ? REQ_SIGNED_MAX : upload ? upload_max : form_max;
	/* Refused from the announced length, before a byte of the body is read. */
	if (len > max)
		return 413;
	if (len == 0)
		return 0;
	if (strcmp(base, "application/x-www-form-urlencoded") == 0) {
		/* ClearSilver ignores bodies whose type carries a parameter. */
		hdf_set_value(r->hdf, "CGI.ContentType", "application/x-www-form-urlencoded");
		NEOERR *e = cgi_parse(r->cgi);
		if (e) {
			nerr_ignore(&e);
			return 400;
		}
		return 0;
	}
	if (strcmp(base, "multipart/form-data") == 0 && upload) {
		if (!boundary)
			return 400;
		unsigned char *body = arena_alloc(r->a, (size_t)len + 1);
		if (!body)
			return 500;
		int got = FCGX_GetStr((char *)body, (int)len, fr.in);
		if (got != len)
			return 400;
		return parse_multipart(r, body, (size_t)len, boundary);
	}
	return 415;
}

/* The page's language: the lang cookie, else what the browser asks for
 * (lang_accept), else App.DefaultLang. Logging in sets the cookie to the
 * account's language (sess_login). */
static void choose_lang(struct req *r)
{
	const char *c = hdf_get_value(r->hdf, "Cookie.lang", NULL);
	lang_guessed = !(c && (strcmp(c, "kk") == 0 || strcmp(c, "ru") == 0));
	r->lang = lang_guessed ? lang_accept(env("HTTP_ACCEPT_LANGUAGE"), conf_get("App.DefaultLang", "ru"))
			       : strcmp(c, "kk") == 0 ? "kk" : "ru";
	const char *d = hdf_get_value(r->hdf, "Cookie.district", NULL);
	long long v;
	if (d && u_strtoll(d, 1, 9999, &v) == 0 && view_district_name(r, (int)v))
		r->district = (int)v;
}

/* ?lang=kk on any GET switches the language (the cookie, and a logged-in
 * person's account: sess_lang_set) and returns to the same page. */
static int lang_switch(struct req *r)
{
	const char *l = req_param(r, "lang");
	if (!l || r->method != M_GET)
		return 0;
	if (strcmp(l, "kk") != 0 && strcmp(l, "ru") != 0)
		return 0;
	req_cookie(r, "lang", l, 365LL * 86400);
	sess_load(r);
	if (r->s && r->s->account_id && sess_lang_set(r, l) < 0)
		log_warn("the language of account %lld could not be kept", r->s->account_id);
	/* Rebuild the query without lang. */
	struct buf q;
	buf_init(&q);
	buf_adds(&q, r->path);
	char *dup = arena_strdup(r->a, r->query);
	char sep = '?';
	for (char *tok = strtok(dup, "&"); tok; tok = strtok(NULL, "&")) {
		if (strncmp(tok, "lang=", 5) == 0)
			continue;
		buf_addc(&q, sep);
		buf_adds(&q, tok);
		sep = '&';
	}
	req_redirect(r, q.s);
	buf_free(&q);
	return 1;
}

/* Did a statement of this request fail (db_request_failed)? 0 if not;
 * else the status to answer, whatever the handler made of it: 503 when
 * the database was busy (a lock held past the wait: nothing of the request
 * was saved, and what was saved before is intact), with Retry-After and a
 * page that says so; 500 for any other error. */
static int db_failed(struct req *r)
{
	int busy;
	if (!db_request_failed(&busy))
		return 0;
	buf_reset(&r->headers);   /* no redirect or cookie of what failed */
	if (r->session_expired)   /* but still tell the browser to drop it */
		req_cookie(r, "kg_sid", "x", 0);
	if (!busy)
		return 500;
	req_header(r, "Retry-After", "5");
	view_set(r, "Error.busy", "1");
	return req_fail(r, 503, "Busy.text");
}

const char *req_session_end_text(struct req *r, enum sess_end why)
{
	char n[24];
	switch (why) {
	case SESS_IDLE:
		snprintf(n, sizeof n, "%lld", conf_int("Session.IdleMinutes", 30));
		return view_tf(r, "Lang19.session_idle", "minutes", n);
	case SESS_MAX:
		snprintf(n, sizeof n, "%lld", conf_int("Session.MaxHours", 12));
		return view_tf(r, "Lang19.session_max", "hours", n);
	case SESS_GONE:
		return view_t(r, "Lang19.session_ended");
	default:
		return NULL;
	}
}

/* The login that returns here: /login?next=<this page>, with expired=1
 * (or 2 after Session.MaxHours: login.c words it) when the session the
 * cookie named has ended. NULL on an error. */
static const char *login_again(struct req *r)
{
	const char *next = *r->query ? arena_printf(r->a, "%s?%s", r->path, r->query) : r->path;
	char *enc = NULL;
	NEOERR *ue = cgi_url_escape(next, &enc);
	if (ue) {
		nerr_ignore(&ue);
		return NULL;
	}
	const char *exp = r->session_expired == SESS_MAX ? "&expired=2" : r->session_expired ? "&expired=1" : "";
	const char *loc = arena_printf(r->a, "/login?next=%s%s", enc, exp);
	free(enc);
	return loc;
}

/* A page anyone may see, asked with the cookie of a session that ended:
 * it says so at the top (templates/layout/head.cs) with a login that
 * returns here. Not for a visitor's own (anonymous) session. */
static void tell_session_ended(struct req *r)
{
	const char *text = req_session_end_text(r, (enum sess_end)r->session_expired);
	const char *href = text ? login_again(r) : NULL;
	if (!href)
		return;
	view_set(r, "Session.ended.text", text);
	view_set(r, "Session.ended.href", href);
}

static int dispatch(struct req *r)
{
	/* Path. */
	const char *uri = env("REQUEST_URI");
	size_t pl = strcspn(uri, "?#");
	r->path = arena_strndup(r->a, uri, pl);
	r->query = uri[pl] == '?' ? arena_strdup(r->a, uri + pl + 1) : "";
	r->ip = env("REMOTE_ADDR");
	r->secure = secure_cookies || strcmp(env("HTTPS"), "on") == 0;
	if (!*r->path)
		r->path = "/";

	/* Parse headers, cookies and query through ClearSilver. */
	NEOERR *e = hdf_init(&r->hdf);
	if (!e)
		e = cgi_init(&r->cgi, r->hdf);
	if (e) {
		nerr_ignore(&e);
		return 400;
	}
	choose_lang(r);

	/* Method. */
	const char *m = env("REQUEST_METHOD");
	if (strcmp(m, "GET") == 0) {
		r->method = M_GET;
	} else if (strcmp(m, "HEAD") == 0) {
		r->method = M_GET;
		r->head = 1;
	} else if (strcmp(m, "POST") == 0) {
		r->method = M_POST;
	} else {
		req_header(r, "Allow", "GET, HEAD, POST");
		return 405;
	}

	/* Route: 404 if no pattern matches, 405 if only other methods do. */
	const struct route *found = NULL;
	int path_known = 0;
	for (size_t i = 0; i < app->nroutes; i++) {
		const struct route *rt = &app->routes[i];
		if (!match(r, rt->pattern, r->path))
			continue;
		path_known = 1;
		if (rt->method == r->method) {
			found = rt;
			break;
		}
	}
	if (!found) {
		if (path_known) {
			req_header(r, "Allow", "GET, HEAD, POST");
			return 405;
		}
		return 404;
	}
	r->route = found;
	log_context(found->pattern, request_id);

	if (lang_switch(r))
		return 0;

	/* Body. */
	if (r->method == M_POST) {
		int st = read_body(r);
		if (st)
			return st;
	}

	/* Session. */
	sess_load(r);

	/* Role. */
	if (!req_has_role(r, found->roles)) {
		if (r->s && r->s->account_id)
			return 403;
		if (r->method == M_GET) {
			const char *loc = login_again(r);
			return loc ? req_redirect(r, loc) : 500;
		}
		return req_fail(r, 401, r->session_expired ? "Error.session_expired" : NULL);
	}
	if (r->session_expired && r->method == M_GET)
		tell_session_ended(r);

	/* CSRF on every state change. */
	if (r->method == M_POST && !(found->flags & RF_NOCSRF)) {
		const char *tok = req_param(r, "csrf");
		if (!r->s || !tok || !u_streq_ct(tok, r->s->csrf)) {
			log_warn("CSRF check failed for %s from %s", r->path, r->ip);
			return req_fail(r, 403, r->session_expired ? "Error.session_expired" : "Error.csrf");
		}
	}
	if ((found->flags & RF_SESSION) && !r->s) {
		int se = sess_ensure(r);
		if (se == SESS_LIMITED)
			return req_fail(r, 429, NULL);
		if (se < 0) {
			int failed = db_failed(r);
			return failed ? failed : 500;
		}
	}

	int rc = found->fn(r);
	int failed = db_failed(r);
	if (failed)
		return failed;
	if (rc == REQ_ERROR)
		return 500;
	return rc >= 400 ? rc : 0;
}

/* The database's lock waits since the last request (db.h) to /metrics. */
static void count_lock_waits(void)
{
	static long long waits_seen, refusals_seen;
	long long waits, refusals;
	db_busy_counts(&waits, &refusals);
	met_add(MET_DB_LOCK_WAITS, waits - waits_seen);
	met_add(MET_DB_BUSY, refusals - refusals_seen);
	waits_seen = waits;
	refusals_seen = refusals;
}

/* The request came without a body (no CONTENT_LENGTH, or 0): everything
 * the web server sends was read with its parameters, so the connection
 * may be closed at once (see req_main). */
static int bodiless;

static void handle(void)
{
	struct req *r = &R;
	reset(r);
	long long started = monotonic_ms(), started_us = met_clock_us();
	new_request_id();
	log_context(NULL, request_id);
	u_clock_refresh(conf_get("Clock.OffsetFile", ""));
	params_index();
	const char *cl = env("CONTENT_LENGTH");
	bodiless = !cl || !*cl || strcmp(cl, "0") == 0;
	db_request_begin();
	cgiwrap_init_emu(NULL, cw_read, cw_writef, cw_write, cw_getenv, cw_putenv, cw_iterenv);

	int st = dispatch(r);
	if (st) {
		if (db_in_tx())
			db_rollback();
		if (!r->lang)
			r->lang = "ru";
		if (st >= 500)
			log_err("%s %s failed with %d", env("REQUEST_METHOD"), r->path ? r->path : "?", st);
		render_error(r, st);
	}
	/* Counted before the response leaves: whoever reads /metrics after
	 * getting it sees it. */
	count_lock_waits();
	met_request(r->route ? (size_t)(r->route - app->routes) + 1 : 0, r->status ? r->status : 200,
		    met_clock_us() - started_us);
	write_response(r);
	/* The route's pattern, never the path: a path or query may carry an IIN or a name. */
	if (log_requests)
		log_request(r->status, monotonic_ms() - started, "%s %s", env("REQUEST_METHOD"),
			    r->route ? r->route->pattern : "-");
	log_context(NULL, NULL);

	db_request_end();
	if (r->cgi)
		cgi_destroy(&r->cgi);   /* also frees r->hdf */
	else if (r->hdf)
		hdf_destroy(&r->hdf);
	r->hdf = NULL;
}

/* A worker that cannot start (settings, database, templates) exits after
 * a second: its supervisor restarts it at once however often it dies
 * (conf/serve.sh), so the pause is what keeps a broken program from
 * restarting in a tight loop. */
static int cannot_start(void)
{
	sleep(1);
	return 1;
}

int req_main(int argc, char **argv, const struct app *a)
{
	(void)argc;
	app = a;
	signal(SIGPIPE, SIG_IGN);
	log_init(argv[0] ? argv[0] : a->name);
	char err[512];
	if (conf_load(NULL, err, sizeof err) < 0) {
		log_err("%s", err);
		return cannot_start();
	}
	if (strcmp(conf_get("Log.Level", "info"), "debug") == 0)
		log_set_level(LOG_DEBUG);
	log_setup(conf_get("Log.Journal", "auto"), conf_get("Log.JournalSocket", ""));
	log_requests = conf_int("Log.Requests", 1) != 0;
	form_max = conf_int("Form.MaxBytes", 65536);
	upload_max = conf_int("Upload.MaxBytes", 5 * 1024 * 1024) + 65536;
	secure_cookies = conf_int("Session.SecureCookies", 0) != 0;
	build_fixed_headers();
	/* The domain's rules that SQL calls are registered with the connection. */
	if (db_open(conf_get("Paths.Db", "var/kg.db")) < 0 || place_sql_register(db_handle()) < 0 ||
	    ref_sql_register(db_handle()) < 0)
		return cannot_start();
	db_busy_queue(request_waiting);
	/* /metrics (base/metrics.h): this worker's counters, by route. */
	if (met_open(conf_get("Paths.Metrics", ""), a->name, a->nroutes) == 0)
		for (size_t i = 0; i < a->nroutes; i++)
			met_route(i + 1, a->routes[i].method == M_POST ? "POST" : "GET", a->routes[i].pattern);
	const char *sqldir = conf_get("Paths.Sql", "sql");
	int want = db_latest_migration(sqldir), have = db_user_version();
	if (want > 0 && have < want) {
		log_err("the database is at version %d but the code needs %d: run `kgctl migrate`", have, want);
		return cannot_start();
	}
	if (view_init() < 0)
		return cannot_start();
	cs_vars_trim(CGIVars, cgi_vars_kept);
	cs_vars_trim(HTTPVars, http_vars_kept);
	R.a = arena_new();
	if (!R.a)
		return cannot_start();
	buf_init(&R.headers);
	buf_init(&R.body);
	if (a->init && a->init() < 0) {
		log_err("%s: initialisation failed", a->name);
		return cannot_start();
	}
	if (stop_signals_init() < 0 || FCGX_Init() != 0)
		return cannot_start();
	FCGX_InitRequest(&fr, 0, 0);
	long long max_requests = conf_int("App.MaxRequestsPerWorker", 0);
	const char *mr = getenv("KG_MAX_REQUESTS");   /* the leak test's clean exit */
	if (mr && u_strtoll(mr, 1, 1LL << 40, &max_requests) < 0)
		max_requests = 0;
	long long served = 0;
	int since_trim = 0;
	for (;;) {
		if (stopping)   /* signalled while serving the last request */
			break;
		while (after_len && !request_waiting())
			run_one_after();
		if (!request_waiting())
			idle_jobs();
		sigprocmask(SIG_UNBLOCK, &stop_signals, NULL);
		int accepted = FCGX_Accept_r(&fr);
		sigprocmask(SIG_BLOCK, &stop_signals, NULL);
		if (accepted < 0)
			break;
		handle();
		/* libfcgi closes a connection by shutting down its side and then
		 * reading until the web server closes (a poll, a read and a
		 * shutdown per request), so that what the server still sends
		 * does not meet a reset. A request without a body is done once
		 * its (empty) stdin has ended: nginx sends that end with the
		 * parameters, Apache after them, and a close before it arrived
		 * made Apache answer 503. So the end is read first (no system
		 * call when it came with the parameters), then the connection
		 * is closed at once ("detached" is libfcgi's word for it, and all
		 * it changes). */
		if (bodiless) {
			while (FCGX_GetChar(fr.in) != EOF)
				;
			if (FCGX_HasSeenEOF(fr.in) == EOF && !FCGX_GetError(fr.in))
				FCGX_Detach(&fr);
		}
		FCGX_Finish_r(&fr);
		FCGX_Attach(&fr);
		/* Messages held until the response has left (one-time codes,
		 * sms_defer) go now; the outbox of notifications the change just
		 * committed is sent once no request waits: a slow gateway never
		 * delays a page, and a burst is answered first. */
		if (sms_send_deferred() > 0)
			db_request_end();
		if (notify_pending() && !flush_queued) {
			flush_queued = 1;
			req_after(flush_notifications, 0);
		}
		while (after_len && u_now() - after[after_head].at >= AFTER_MAX_WAIT)
			run_one_after();
		/* Pages are built from many small allocations (ClearSilver's data
		 * tree): every thousand requests the whole free pages among them go
		 * back to the system, so a worker's resident memory stays at what
		 * it keeps (caches) rather than at its busiest moment. About a
		 * millisecond, once per thousand requests. */
		if (++since_trim >= 1000) {
			malloc_trim(0);
			since_trim = 0;
		}
		if (max_requests > 0 && ++served >= max_requests)
			break;
	}
	while (after_len)
		run_one_after();
	FCGX_Free(&fr, 1);
	arena_free(R.a);
	buf_free(&R.headers);
	buf_free(&R.body);
	view_free();
	met_close();
	db_close();
	conf_free();
	return 0;
}
