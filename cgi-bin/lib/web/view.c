/* view.c — see view.h. */
#include "web/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/lang.h"
#include "base/log.h"
#include "base/util.h"
#include "base/workday.h"
#include "web/sess.h"


static HDF *global[LANG__MAX];   /* L.* strings, Site.*, Districts.* per language */
static HDF *parse_conf;          /* settings the parser reads (escape mode, load path) */
static char tpl_dir[1024];

/* District names, loaded once per process (reference data). */
struct district {
	int code;
	char *name[LANG__MAX];
};
static struct district *districts;
static size_t ndistricts;

/* Parsed templates. */
struct tpl {
	char *name;
	int lang;
	CSPARSE *cs;
};
static struct tpl *tpls;
static size_t ntpls;


static int lang_index(const char *l) { return (int)lang_of(l); }

static void log_nerr(const char *what, NEOERR *e)
{
	STRING s;
	string_init(&s);
	nerr_error_traceback(e, &s);
	log_err("%s: %s", what, s.buf ? s.buf : "?");
	string_clear(&s);
	nerr_ignore(&e);
}

static int load_districts(void)
{
	sqlite3_stmt *st = db_query("SELECT id, name_ru, name_kk, kind FROM district ORDER BY sort, id", NULL);
	size_t cap = 0;
	int i = 0;
	while (db_row(st)) {
		if (ndistricts == cap) {
			cap = cap ? cap * 2 : 32;
			struct district *d = realloc(districts, cap * sizeof *d);
			if (!d) {
				db_done(st);
				return -1;
			}
			districts = d;
		}
		struct district *d = &districts[ndistricts++];
		d->code = sqlite3_column_int(st, 0);
		d->name[LANG_RU] = strdup(db_col(st, 1));
		d->name[LANG_KK] = strdup(db_col(st, 2));
		for (int l = 0; l < LANG__MAX; l++) {
			char k[64];
			snprintf(k, sizeof k, "Districts.%d.code", i);
			hdf_set_int_value(global[l], k, d->code);
			snprintf(k, sizeof k, "Districts.%d.name", i);
			hdf_set_value(global[l], k, d->name[l]);
			snprintf(k, sizeof k, "Districts.%d.kind", i);
			hdf_set_value(global[l], k, db_col(st, 3));
		}
		i++;
	}
	db_done(st);
	return 0;
}

int view_init(void)
{
	snprintf(tpl_dir, sizeof tpl_dir, "%s", conf_get("Paths.Templates", "templates"));
	NEOERR *e = hdf_init(&parse_conf);
	if (e) {
		log_nerr("hdf_init", e);
		return -1;
	}
	hdf_set_value(parse_conf, "Config.VarEscapeMode", "html");
	hdf_set_value(parse_conf, "Config.TimeFooter", "0");
	hdf_set_value(parse_conf, "hdf.loadpaths.0", tpl_dir);
	char dir[1100];
	snprintf(dir, sizeof dir, "%s/lang", tpl_dir);
	if (lang_init(dir) < 0)
		return -1;
	for (int l = 0; l < LANG__MAX; l++) {
		/* The language's strings are the render's global data, with the
		 * site-wide values the layout shows and the districts. */
		global[l] = lang_tree(l);
		HDF *app = hdf_get_obj(conf_hdf(), "App");
		if (app) {
			HDF *site;
			if ((e = hdf_get_node(global[l], "Site", &site)) || (e = hdf_copy(site, "", app))) {
				log_nerr("Site", e);
				return -1;
			}
		}
		hdf_set_value(global[l], "Site.ncalayer", conf_get("Eds.NcaLayerUrl", "wss://127.0.0.1:13579"));
	}
	return load_districts();
}

void view_free(void)
{
	for (size_t i = 0; i < ntpls; i++) {
		tpls[i].cs->hdf = parse_conf;
		tpls[i].cs->global_hdf = NULL;
		cs_destroy(&tpls[i].cs);
		free(tpls[i].name);
	}
	free(tpls);
	tpls = NULL;
	ntpls = 0;
	for (size_t i = 0; i < ndistricts; i++)
		for (int l = 0; l < LANG__MAX; l++)
			free(districts[i].name[l]);
	free(districts);
	districts = NULL;
	ndistricts = 0;
	for (int l = 0; l < LANG__MAX; l++)
		global[l] = NULL;
	lang_free();
	if (parse_conf)
		hdf_destroy(&parse_conf);
}

/* ---- templates, one parse per language ----
 *
 * A template is parsed once per language, and as it is read (the file and
 * every file it includes, through ClearSilver's fileload hook) each plain
 * `<?cs var:L.Some.key ?>` is replaced by that string of the language,
 * HTML-escaped exactly as var: would: the labels of a page cost nothing
 * when it is rendered, only its data does. Any other use of L (an index,
 * an expression, a macro argument) is left to the renderer. */

/* Appends the escaped string of "L.<key>" when s (at "<?cs") is a plain
 * var of one; returns the length consumed, 0 when it is not. */
static size_t inline_label(int lang, const char *s, struct buf *out)
{
	const char *p = s + 4;
	while (*p == ' ')
		p++;
	if (strncmp(p, "var:", 4) != 0)
		return 0;
	p += 4;
	while (*p == ' ')
		p++;
	if (strncmp(p, "L.", 2) != 0)
		return 0;
	const char *k = p;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
	       *p == '.')
		p++;
	size_t kl = (size_t)(p - k);
	while (*p == ' ')
		p++;
	if (p[0] != '?' || p[1] != '>' || kl >= 256)
		return 0;
	char key[256];
	memcpy(key, k, kl);
	key[kl] = '\0';
	HDF *node = hdf_get_obj(global[lang], key);
	const char *v = node ? hdf_obj_value(node) : NULL;
	if (!v || hdf_obj_child(node) || strstr(v, "<?cs"))
		return 0;   /* missing (logged by the renderer), a subtree, or not plain text */
	char *esc = NULL;
	NEOERR *e = neos_html_escape(v, (int)strlen(v), &esc);
	if (e) {
		nerr_ignore(&e);
		return 0;
	}
	int rc = buf_adds(out, esc);
	free(esc);
	return rc < 0 ? 0 : (size_t)(p + 2 - s);
}

static NEOERR *load_template(void *ctx, HDF *hdf, const char *filename, char **contents)
{
	int lang = *(const int *)ctx;
	char path[1200];
	if (filename[0] == '/')
		snprintf(path, sizeof path, "%s", filename);
	else
		snprintf(path, sizeof path, "%s/%s", tpl_dir, filename);
	char *raw = NULL;
	NEOERR *e = ne_load_file(path, &raw);
	if (e)
		return nerr_pass(e);
	struct buf out = {0};
	const char *s = raw;
	for (const char *m; (m = strstr(s, "<?cs"));) {
		buf_add(&out, s, (size_t)(m - s));
		size_t used = inline_label(lang, m, &out);
		if (!used) {
			buf_add(&out, m, 4);
			used = 4;
		}
		s = m + used;
	}
	buf_adds(&out, s);
	free(raw);
	if (!out.s) {
		buf_free(&out);
		return nerr_raise(NERR_NOMEM, "out of memory");
	}
	*contents = buf_take(&out);
	return STATUS_OK;
}

static CSPARSE *template(struct req *r, const char *name)
{
	static int lang_ctx[LANG__MAX] = {LANG_RU, LANG_KK};
	int lang = lang_index(r->lang);
	for (size_t i = 0; i < ntpls; i++)
		if (tpls[i].lang == lang && strcmp(tpls[i].name, name) == 0)
			return tpls[i].cs;
	CSPARSE *cs = NULL;
	NEOERR *e = cs_init(&cs, parse_conf);
	if (!e)
		e = cgi_register_strfuncs(cs);
	if (!e) {
		cs_register_fileload(cs, &lang_ctx[lang], load_template);
		e = cs_parse_file(cs, name);
	}
	if (e) {
		log_nerr(name, e);
		if (cs)
			cs_destroy(&cs);
		return NULL;
	}
	struct tpl *t = realloc(tpls, (ntpls + 1) * sizeof *t);
	if (!t) {
		cs_destroy(&cs);
		return NULL;
	}
	tpls = t;
	tpls[ntpls].name = strdup(name);
	tpls[ntpls].lang = lang;
	tpls[ntpls].cs = cs;
	ntpls++;
	return cs;
}

const char *view_t(struct req *r, const char *key) { return lang_t(r->lang, key); }

const char *view_tf(struct req *r, const char *key, const char *name, const char *value)
{
	return lang_tf(r->a, r->lang, key, name, value);
}

const char *view_file_size(struct req *r, long long bytes)
{
	return arena_file_size(r->a, bytes, view_t(r, "Decide.kb"), view_t(r, "Life.mb"));
}

int view_has(struct req *r, const char *key) { return lang_has(r->lang, key); }

void view_set(struct req *r, const char *key, const char *value)
{
	hdf_set_value(r->hdf, key, value ? value : "");
}

void view_setf(struct req *r, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *v = NULL;
	if (vasprintf(&v, fmt, ap) >= 0) {
		hdf_set_value(r->hdf, key, v);
		free(v);
	}
	va_end(ap);
}

/* Decimal digits of v into b (at least 24 bytes), without printf. */
static const char *num(char *b, long long v)
{
	char *p = b + 23;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	*p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return p;
}

void view_set_int(struct req *r, const char *key, long long v)
{
	char b[24];
	hdf_set_value(r->hdf, key, num(b, v));
}

HDF *view_node(struct req *r, const char *name)
{
	HDF *node = NULL;
	NEOERR *e = hdf_get_node(r->hdf, name, &node);
	if (e) {
		nerr_ignore(&e);
		return NULL;
	}
	return node;
}

HDF *view_row(struct req *r, const char *list, int i)
{
	char k[128], b[24];
	const char *n = num(b, i);
	size_t ll = strlen(list), nl = strlen(n);
	if (ll + nl + 2 > sizeof k)
		return NULL;
	memcpy(k, list, ll);
	k[ll] = '.';
	memcpy(k + ll + 1, n, nl + 1);
	return view_node(r, k);
}

void view_row_set(HDF *row, const char *field, const char *value)
{
	if (row)
		hdf_set_value(row, field, value ? value : "");
}

void view_row_set_int(HDF *row, const char *field, long long v)
{
	char b[24];
	if (row)
		hdf_set_value(row, field, num(b, v));
}

void view_field_error(struct req *r, const char *field, const char *msg_key)
{
	char k[128];
	snprintf(k, sizeof k, "Errors.%s", field);
	hdf_set_value(r->hdf, k, view_t(r, msg_key));
	hdf_set_value(r->hdf, "Errors.any", "1");
}

void view_field_error_text(struct req *r, const char *field, const char *text)
{
	char k[128];
	snprintf(k, sizeof k, "Errors.%s", field);
	hdf_set_value(r->hdf, k, text);
	hdf_set_value(r->hdf, "Errors.any", "1");
}

static int flash_ok(const char *s, const char *extra)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || strchr(extra, *s)))
			return 0;
	return 1;
}

void view_flash(struct req *r, const char *key, const char *arg)
{
	if (!flash_ok(key, "") || (arg && !flash_ok(arg, ".-"))) {
		log_err("bad flash %s", key);
		return;
	}
	char v[160];
	snprintf(v, sizeof v, "%s%s%s", key, arg ? ":" : "", arg ? arg : "");
	req_cookie(r, "kg_flash", v, 120);
}

/* Flash from the cookie: "key" or "key:arg", key must exist under L.Flash. */
static void take_flash(struct req *r)
{
	const char *c = hdf_get_value(r->hdf, "Cookie.kg_flash", NULL);
	if (!c)
		return;
	req_cookie(r, "kg_flash", "x", 0);
	char key[80], k[120];
	const char *colon = strchr(c, ':');
	size_t kl = colon ? (size_t)(colon - c) : strlen(c);
	if (kl == 0 || kl >= sizeof key)
		return;
	memcpy(key, c, kl);
	key[kl] = '\0';
	if (!flash_ok(key, "") || (colon && !flash_ok(colon + 1, ".-")))
		return;
	snprintf(k, sizeof k, "Flash.%s", key);
	if (!view_has(r, k))
		return;
	view_set(r, "Flash.text", view_t(r, k));
	if (colon)
		view_set(r, "Flash.arg", colon + 1);
}

const char *view_district_name(struct req *r, int code)
{
	/* The one found last first: a worker's requests mostly name one
	 * district, and the list (245) is in display order, not by code. */
	static size_t last;
	if (last < ndistricts && districts[last].code == code)
		return districts[last].name[lang_index(r->lang)];
	for (size_t i = 0; i < ndistricts; i++)
		if (districts[i].code == code) {
			last = i;
			return districts[i].name[lang_index(r->lang)];
		}
	return NULL;
}

/* Builds the page URL with ?lang=xx appended to the current query. */
static void lang_href(struct req *r, const char *l)
{
	static struct buf v;
	buf_reset(&v);
	if (r->query && *r->query) {
		buf_adds(&v, r->path);
		buf_addc(&v, '?');
		buf_adds(&v, r->query);
		buf_adds(&v, "&lang=");
	} else {
		buf_adds(&v, r->path ? r->path : "/");
		buf_adds(&v, "?lang=");
	}
	buf_adds(&v, l);
	if (v.s)
		view_set(r, strcmp(l, "kk") == 0 ? "Page.langHref.kk" : "Page.langHref.ru", v.s);
}

const char *view_freeze_text(struct req *r, const char *key)
{
	int from, to;
	if (!wd_freeze(u_now(), &from, &to))
		return NULL;
	char f[11], t[11];
	cal_format_date(from, f);
	cal_format_date(to, t);
	return arena_subst(r->a, view_t(r, key), (const char *const[]){"from", f, "to", t, NULL});
}

/* What every page gets (view.h). */
static void common(struct req *r)
{
	/* The path URL-escaped once (the layout links to it twice). */
	char *esc = NULL;
	NEOERR *e = cgi_url_escape(r->path ? r->path : "/", &esc);
	if (e)
		nerr_ignore(&e);
	else if ((e = hdf_set_buf(r->hdf, "Page.pathEsc", esc))) {
		nerr_ignore(&e);
		free(esc);
	}
	lang_href(r, "ru");
	lang_href(r, "kk");
	if (r->s)
		view_set(r, "Csrf", r->s->csrf);
	view_set(r, "Page.lang", r->lang);
	view_set(r, "Page.path", r->path ? r->path : "/");
	if (r->district) {
		view_set_int(r, "Page.district.code", r->district);
		view_set(r, "Page.district.name", view_district_name(r, r->district));
	}
	if (r->s && r->s->account_id) {
		char m[13];
		view_set(r, "User.loggedIn", "1");
		view_setf(r, "User.name", "%s %s%s%s", r->s->surname, r->s->name, *r->s->patronymic ? " " : "",
			  r->s->patronymic);
		u_mask_iin(r->s->iin, m);
		view_set(r, "User.iinMasked", m);
		if (r->s->roles & ROLE_CITIZEN)
			view_set(r, "User.role.citizen", "1");
		if (r->s->roles & ROLE_STAFF)
			view_set(r, "User.role.staff", "1");
		if (r->s->roles & ROLE_REVIEWER)
			view_set(r, "User.role.reviewer", "1");
		if (r->s->roles & ROLE_SUPPORT)
			view_set(r, "User.role.support", "1");
	}
	const char *freeze = view_freeze_text(r, "Freeze.banner");
	if (freeze)
		view_set(r, "Page.freeze", freeze);
	take_flash(r);
}

static NEOERR *out_cb(void *ctx, char *s)
{
	return buf_adds(ctx, s) < 0 ? nerr_raise(NERR_NOMEM, "out of memory") : STATUS_OK;
}

/* Renders a parsed template with the request's data, appending to out. */
static int render_into(struct req *r, CSPARSE *cs, const char *name, struct buf *out)
{
	cs->hdf = r->hdf;
	cs->global_hdf = global[lang_index(r->lang)];
	NEOERR *e = cs_render(cs, out, out_cb);
	cs->hdf = parse_conf;
	cs->global_hdf = NULL;
	if (e) {
		log_nerr(name, e);
		return -1;
	}
	return 0;
}

/* Appends s HTML-escaped exactly as var: does (neos_html_escape: & < > "
 * ' become entities, \r is dropped; every other byte, measured over all
 * 255, is kept), without its allocation per value: a page of links has a
 * dozen values with an '&'. The unit tests compare the two over every byte. */
int view_add_escaped(struct buf *o, const char *s)
{
	for (;;) {
		size_t n = strcspn(s, "&<>\"'\r");
		if (n && buf_add(o, s, n) < 0)
			return -1;
		s += n;
		const char *e;
		switch (*s) {
		case '\0': return 0;
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: e = ""; break;   /* \r */
		}
		if (*e && buf_adds(o, e) < 0)
			return -1;
		s++;
	}
}

/* The body: a, then mid, then b (when given). */
static int render_body(struct req *r, CSPARSE *ca, const char *a, const char *mid, size_t n, CSPARSE *cb,
		       const char *b)
{
	buf_reset(&r->body);
	if (render_into(r, ca, a, &r->body) < 0 || (n && buf_add(&r->body, mid, n) < 0) ||
	    (cb && render_into(r, cb, b, &r->body) < 0)) {
		buf_reset(&r->body);
		return -1;
	}
	return 0;
}

int view_render_with(struct req *r, const char *a, const char *mid, size_t n, const char *b)
{
	CSPARSE *ca = template(r, a), *cb = b ? template(r, b) : NULL;
	if (!ca || (b && !cb))
		return -1;
	common(r);
	if (render_body(r, ca, a, mid, n, cb, b) < 0)
		return -1;
	r->ctype = "text/html; charset=utf-8";
	if (!r->status)
		r->status = 200;
	return 0;
}

int view_render(struct req *r, const char *name) { return view_render_with(r, name, NULL, 0, NULL); }

int view_render_part(struct req *r, const char *name, struct buf *out)
{
	CSPARSE *cs = template(r, name);
	return cs ? render_into(r, cs, name, out) : -1;
}

int view_error(struct req *r, int status, const char *msg_key)
{
	if (!r->hdf)
		return -1;
	char k[64];
	r->status = status;
	view_set_int(r, "Error.status", status);
	snprintf(k, sizeof k, "Error.%d.title", status);
	view_set(r, "Error.title", view_has(r, k) ? view_t(r, k) : view_t(r, "Error.other.title"));
	if (msg_key && view_has(r, msg_key)) {
		view_set(r, "Error.text", view_t(r, msg_key));
	} else {
		snprintf(k, sizeof k, "Error.%d.text", status);
		view_set(r, "Error.text", view_has(r, k) ? view_t(r, k) : view_t(r, "Error.other.text"));
	}
	if (status == 401)
		view_set(r, "Error.login", "1");
	return view_render(r, "error.cs");
}

