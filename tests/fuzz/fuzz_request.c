/*
 * fuzz_request — the request parsing of req.c on arbitrary bytes: the
 * content type and its boundary (normalise_ctype), our multipart parser
 * (parse_multipart), ClearSilver's parsing of the query string, cookies and
 * urlencoded bodies (cgi_init / cgi_parse, the same calls the loop makes),
 * the route patterns (match) and the redirect guard (req_local_path_ok).
 *
 * The input is split at the first four '\n' into: request path, query
 * string, cookie header, content type; the rest is the body.
 *
 * req.c is included, not linked, so that its static parsers are reached
 * without giving them a public name (the file belongs to the request loop;
 * nothing in it changes for the fuzzer). The FastCGI streams are not used:
 * ClearSilver's CGI kit is bound to the input through cgiwrap_init_emu, as
 * the loop binds it to FastCGI.
 */
#include "../../cgi-bin/lib/web/req.c"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	const char *env[8][2];
	const unsigned char *body;
	size_t blen, bpos;
} in;

static int fz_read(void *d, char *buf, int n)
{
	(void)d;
	size_t left = in.blen - in.bpos;
	size_t k = (size_t)n < left ? (size_t)n : left;
	memcpy(buf, in.body + in.bpos, k);
	in.bpos += k;
	return (int)k;
}

static int fz_writef(void *d, const char *fmt, va_list ap)
{
	(void)d, (void)fmt, (void)ap;
	return 0;
}

static int fz_write(void *d, const char *buf, int n)
{
	(void)d, (void)buf;
	return n;
}

static char *fz_getenv(void *d, const char *name)
{
	(void)d;
	for (int i = 0; i < 8 && in.env[i][0]; i++)
		if (strcmp(in.env[i][0], name) == 0)
			return strdup(in.env[i][1]);
	return NULL;
}

static int fz_putenv(void *d, const char *k, const char *v)
{
	(void)d, (void)k, (void)v;
	return 0;
}

static int fz_iterenv(void *d, int i, char **k, char **v)
{
	(void)d;
	*k = *v = NULL;
	if (i < 0 || i >= 8 || !in.env[i][0])
		return 0;
	*k = strdup(in.env[i][0]);
	*v = strdup(in.env[i][1]);
	return 0;
}

/* Routes of the kind the programs declare. */
static const char *const patterns[] = {
	"/", "/admin/accounts/%d/ddo/%d/detach", "/check/%s", "/stats/csv/%s", "/queue/app/%d",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	if (!a)
		a = arena_new();
	/* Four lines, then the body. */
	char *line[4];
	const unsigned char *p = data, *end = data + size;
	for (int i = 0; i < 4; i++) {
		const unsigned char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		line[i] = arena_strndup(a, (const char *)p, n);
		p = nl ? nl + 1 : end;
	}
	/* A NUL inside a header cannot come from nginx: cut there, as C does. */
	struct req r;
	memset(&r, 0, sizeof r);
	r.a = a;
	r.path = line[0];
	r.query = line[1];

	char clen[24];
	snprintf(clen, sizeof clen, "%zu", (size_t)(end - p));
	in.body = p;
	in.blen = (size_t)(end - p);
	in.bpos = 0;
	int k = 0;
	in.env[k][0] = "REQUEST_METHOD", in.env[k++][1] = "POST";
	in.env[k][0] = "QUERY_STRING", in.env[k++][1] = line[1];
	in.env[k][0] = "HTTP_COOKIE", in.env[k++][1] = line[2];
	in.env[k][0] = "CONTENT_TYPE", in.env[k++][1] = line[3];
	in.env[k][0] = "CONTENT_LENGTH", in.env[k++][1] = clen;
	in.env[k][0] = NULL;
	cgiwrap_init_emu(NULL, fz_read, fz_writef, fz_write, fz_getenv, fz_putenv, fz_iterenv);

	NEOERR *e = hdf_init(&r.hdf);
	if (!e)
		e = cgi_init(&r.cgi, r.hdf);
	if (e) {
		nerr_ignore(&e);
		if (r.hdf && !r.cgi)
			hdf_destroy(&r.hdf);
		arena_reset(a);
		return 0;
	}
	const char *boundary;
	const char *base = normalise_ctype(&r, line[3], &boundary);
	if (strcmp(base, "multipart/form-data") == 0 && boundary) {
		parse_multipart(&r, p, (size_t)(end - p), boundary);
		for (size_t i = 0; i < r.nfiles; i++) {
			/* Every file must lie inside the body. */
			if (r.files[i].data < p || r.files[i].data + r.files[i].len > end)
				__builtin_trap();
			(void)req_file(&r, r.files[i].field);
		}
	} else if (strcmp(base, "application/x-www-form-urlencoded") == 0) {
		hdf_set_value(r.hdf, "CGI.ContentType", "application/x-www-form-urlencoded");
		e = cgi_parse(r.cgi);
		nerr_ignore(&e);
	}
	(void)req_param(&r, "csrf");
	(void)req_param(&r, line[0]);
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++)
		(void)match(&r, patterns[i], line[0]);
	(void)req_local_path_ok(line[0]);
	cgi_destroy(&r.cgi);
	arena_reset(a);
	return 0;
}
