/* view.c — see view.h. */
#include "web/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "base/conf.h"
#include "base/db.h"
#include "base/log.h"
#include "web/sess.h"

enum { LANG_RU, LANG_KK, LANG__MAX };
static const char *const lang_names[LANG__MAX] = {"ru", "kk"};

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

static size_t cache_budget;
static unsigned long long hash64(const char *k);
static void chrome_free_all(void);
static void mold_free_all(void);
static int mold_check;

static int lang_index(const char *l) { return l && strcmp(l, "kk") == 0 ? LANG_KK : LANG_RU; }

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
	for (int l = 0; l < LANG__MAX; l++) {
		char path[1200];
		HDF *node;
		snprintf(path, sizeof path, "%s/lang/%s.hdf", tpl_dir, lang_names[l]);
		if ((e = hdf_init(&global[l])) || (e = hdf_get_node(global[l], "L", &node)) ||
		    (e = hdf_read_file(node, path))) {
			log_nerr(path, e);
			return -1;
		}
		/* Site-wide values the layout shows. */
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
	cache_budget = (size_t)conf_int("View.CacheKB", 512) * 1024;
	mold_check = conf_int("View.CheckMolds", 0) != 0;
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
		if (global[l])
			hdf_destroy(&global[l]);
	if (parse_conf)
		hdf_destroy(&parse_conf);
	view_cache_store(NULL, NULL, 0);
	view_body_store(NULL, NULL, 0, 0);
	chrome_free_all();
	mold_free_all();
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

/* "L." + key into k (256 bytes); 0, or -1 when it does not fit. */
static int lang_key(char *k, const char *key)
{
	size_t n = strlen(key);
	if (n + 3 > 256)
		return -1;
	k[0] = 'L';
	k[1] = '.';
	memcpy(k + 2, key, n + 1);
	return 0;
}

const char *view_t(struct req *r, const char *key)
{
	char k[256];
	const char *v = lang_key(k, key) == 0 ? hdf_get_value(global[lang_index(r->lang)], k, NULL) : NULL;
	if (!v) {
		log_warn("missing interface string %s (%s)", key, r->lang);
		return "";
	}
	return v;
}

const char *view_tf(struct req *r, const char *key, const char *name, const char *value)
{
	const char *t = view_t(r, key);
	char pat[64];
	snprintf(pat, sizeof pat, "{%s}", name);
	size_t pl = strlen(pat);
	struct buf b = {0};
	for (const char *at; (at = strstr(t, pat)); t = at + pl) {
		buf_add(&b, t, (size_t)(at - t));
		buf_adds(&b, value);
	}
	buf_adds(&b, t);
	char *out = arena_strdup(r->a, b.s ? b.s : "");
	buf_free(&b);
	return out ? out : "";
}

const char *view_file_size(struct req *r, long long bytes)
{
	return arena_file_size(r->a, bytes, view_t(r, "Decide.kb"), view_t(r, "Life.mb"));
}

int view_has(struct req *r, const char *key)
{
	char k[256];
	return lang_key(k, key) == 0 && hdf_get_value(global[lang_index(r->lang)], k, NULL) != NULL;
}

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

/* The four values the kept layout's markers take (chrome_vars). */
static void common_marks(struct req *r)
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
}

static void common(struct req *r)
{
	view_set(r, "Page.lang", r->lang);
	view_set(r, "Page.path", r->path ? r->path : "/");
	common_marks(r);
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

/* ---- the chrome: header, menu and footer, rendered once per kind ----
 *
 * Every page is the layout's header and menu (layout/head.cs, nav.cs), its
 * own body, and the footer (foot.cs). The header and footer show only
 * what the key below names, plus four values that change with every
 * request: the two language links (path and query), the escaped path
 * (login and district links) and the CSRF token. So a page's body is
 * rendered alone (Chrome.body set: head.cs and foot.cs output nothing and
 * head.cs sets Chrome.used), and the chrome comes from this cache: the
 * layout rendered once with a marker (\1 and a digit) in place of each of
 * the four, its body spot marked by \1 and 'B'; at each use the markers
 * are replaced by the request's values, HTML-escaped as var: would.
 * A page with a flash message is rendered whole (the flash is in the
 * header and shown once). Direct-mapped, CHROME_SLOTS entries of a few KB. */
#define CHROME_SLOTS 32
struct chrome {
	unsigned long long h;
	char *key;
	char *text;
	size_t len;
};
static struct chrome chromes[CHROME_SLOTS];
static const char *const chrome_vars[] = {"Page.langHref.ru", "Page.langHref.kk", "Page.pathEsc", "Csrf"};
#define CHROME_NVARS (sizeof chrome_vars / sizeof *chrome_vars)
static struct buf chrome_scratch;
/* Where the last page's own body lies in r->body (view_body_store). */
static size_t body_off, body_len;
static int body_wrapped;

static void chrome_free_all(void)
{
	for (int i = 0; i < CHROME_SLOTS; i++) {
		free(chromes[i].key);
		free(chromes[i].text);
		chromes[i] = (struct chrome){0};
	}
	buf_free(&chrome_scratch);
}

/* The key: everything the layout shows that is not one of chrome_vars,
 * from where common() takes it (the request and its session) and the
 * page's id, title and scripts (one per line). Fields are separated by
 * \x1f, which no value holds. */
static int chrome_key(struct req *r, struct buf *k, const char *id, const char *title, const char *scripts)
{
	int bad = 0;
	const char *const head[] = {r->lang, NULL, id, title, scripts};
	for (size_t i = 0; i < sizeof head / sizeof *head; i++)
		bad |= (head[i] ? buf_adds(k, head[i]) : buf_addint(k, r->district)) | buf_addc(k, '\x1f');
	if (r->s) {
		bad |= buf_adds(k, "c\x1f");
		if (r->s->account_id) {
			char m[13];
			u_mask_iin(r->s->iin, m);
			const char *const who[] = {r->s->surname, r->s->name, r->s->patronymic, m};
			for (size_t i = 0; i < sizeof who / sizeof *who; i++)
				bad |= buf_adds(k, who[i]) | buf_addc(k, '\x1f');
			bad |= buf_addint(k, r->s->roles & (ROLE_CITIZEN | ROLE_STAFF | ROLE_REVIEWER | ROLE_SUPPORT));
		}
	}
	return bad ? -1 : 0;   /* a key cut short could name another's layout */
}

/* The page's scripts (Page.scripts.N) one per line, in the arena. */
static const char *page_scripts(struct req *r)
{
	struct buf sc = {0};
	for (HDF *h = hdf_get_child(r->hdf, "Page.scripts"); h; h = hdf_obj_next(h))
		buf_printf(&sc, "%s%s", sc.len ? "\n" : "", hdf_obj_value(h) ? hdf_obj_value(h) : "");
	const char *out = arena_strdup(r->a, sc.s ? sc.s : "");
	buf_free(&sc);
	return out ? out : "";
}

/* Renders layout/chrome.cs with markers for the request's own values. */
static char *chrome_make(struct req *r, size_t *len)
{
	CSPARSE *cs = template(r, "layout/chrome.cs");
	if (!cs)
		return NULL;
	char *saved[CHROME_NVARS];
	int ok = 1;
	for (size_t i = 0; i < CHROME_NVARS; i++) {
		const char *v = hdf_get_value(r->hdf, chrome_vars[i], NULL);
		saved[i] = v ? strdup(v) : NULL;
		if (v && !saved[i])
			ok = 0;
	}
	struct buf out = {0};
	if (ok) {
		for (size_t i = 0; i < CHROME_NVARS; i++)
			if (saved[i]) {
				char m[3] = {1, (char)('0' + i), 0};
				view_set(r, chrome_vars[i], m);
			}
		view_set(r, "Chrome.mark", "\001B");
		hdf_remove_tree(r->hdf, "Chrome.body");
		ok = render_into(r, cs, "layout/chrome.cs", &out) == 0;
		view_set(r, "Chrome.body", "1");
		for (size_t i = 0; i < CHROME_NVARS; i++)
			if (saved[i])
				view_set(r, chrome_vars[i], saved[i]);
	}
	for (size_t i = 0; i < CHROME_NVARS; i++)
		free(saved[i]);
	/* Exactly one body mark, and no \1 but the markers (an escaping
	 * that changed them would show here). */
	size_t marks = 0;
	for (size_t i = 0; ok && i < out.len; i++)
		if (out.s[i] == 1) {
			char c = i + 1 < out.len ? out.s[i + 1] : 0;
			if (c == 'B')
				marks++;
			else if (c < '0' || c >= (char)('0' + CHROME_NVARS))
				ok = 0;
		}
	if (!ok || marks != 1) {
		if (ok)
			log_err("layout/chrome.cs: %zu body marks", marks);
		buf_free(&out);
		return NULL;
	}
	*len = out.len;
	return buf_take(&out);
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

/* Appends text with its markers replaced by the request's values. */
static int chrome_put(struct req *r, struct buf *o, const char *p, const char *end)
{
	while (p < end) {
		const char *m = memchr(p, 1, (size_t)(end - p));
		if (!m)
			return buf_add(o, p, (size_t)(end - p));
		if (buf_add(o, p, (size_t)(m - p)) < 0)
			return -1;
		if (view_add_escaped(o, hdf_get_value(r->hdf, chrome_vars[m[1] - '0'], "")) < 0)
			return -1;
		p = m + 2;
	}
	return 0;
}

/* The page into r->body: the chrome around the n bytes of body at s
 * (r->body itself, or a kept body) of the page id, title, scripts; 0, or
 * -1 (r->body untouched). full: the request's data has what common()
 * puts in (else only common_marks(), and the rest is put in before a
 * chrome missing from the cache is rendered). */
static int chrome_wrap_from(struct req *r, const char *s, size_t n, const char *id, const char *title,
			    const char *scripts, int full)
{
	struct buf *k = &chrome_scratch;
	buf_reset(k);
	if (chrome_key(r, k, id, title, scripts) < 0 || !k->s)
		return -1;
	unsigned long long h = hash64(k->s);
	struct chrome *c = &chromes[h % CHROME_SLOTS];
	if (c->h != h || !c->key || strcmp(c->key, k->s) != 0) {
		if (!full) {
			common(r);
			view_set(r, "Page.title", title);
			view_set(r, "Page.id", id);
			int i = 0;
			for (const char *p = scripts; *p;) {
				size_t len = strcspn(p, "\n");
				view_set(r, arena_printf(r->a, "Page.scripts.%d", i++), arena_strndup(r->a, p, len));
				p += len + (p[len] ? 1 : 0);
			}
		}
		size_t len = 0;
		char *key = strdup(k->s), *text = chrome_make(r, &len);
		if (!key || !text) {
			free(key);
			free(text);
			return -1;
		}
		free(c->key);
		free(c->text);
		*c = (struct chrome){h, key, text, len};
	}
	const char *split = NULL;
	for (const char *p = c->text; (p = memchr(p, 1, (size_t)(c->text + c->len - p))); p += 2)
		if (p[1] == 'B') {
			split = p;
			break;
		}
	buf_reset(k);
	if (chrome_put(r, k, c->text, split) < 0)
		return -1;
	body_off = k->len;
	body_len = n;
	if (buf_add(k, s ? s : "", n) < 0 || chrome_put(r, k, split + 2, c->text + c->len) < 0)
		return -1;
	struct buf t = r->body;
	r->body = *k;
	*k = t;
	return 0;
}

/* Wraps the body in r->body with the chrome; 0, or -1 (r->body untouched). */
static int chrome_wrap(struct req *r)
{
	return chrome_wrap_from(r, r->body.s, r->body.len, hdf_get_value(r->hdf, "Page.id", ""),
				hdf_get_value(r->hdf, "Page.title", ""), page_scripts(r), 1);
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
	/* The body alone unless a flash message is in the header. */
	int chrome = !hdf_get_value(r->hdf, "Flash.text", NULL);
	if (chrome)
		view_set(r, "Chrome.body", "1");
	if (render_body(r, ca, a, mid, n, cb, b) < 0)
		return -1;
	body_off = 0;
	body_len = r->body.len;
	body_wrapped = chrome && hdf_get_value(r->hdf, "Chrome.used", NULL);
	if (body_wrapped && chrome_wrap(r) < 0) {
		body_wrapped = 0;
		/* The cache failed (memory): the page whole, as without it. */
		hdf_remove_tree(r->hdf, "Chrome");
		if (render_body(r, ca, a, mid, n, cb, b) < 0)
			return -1;
	}
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

/* ---- bodies of personal pages (view_body_*) ---- */

#define BODY_SLOTS 8
struct body {
	char *key;                 /* NULL = free */
	long long version, until;
	char *text;
	size_t len;
	int wrapped;
	char *title, *id, *scripts;   /* the layout's Page.* values, scripts \n-separated */
	unsigned long long used;
};
static struct body bodies[BODY_SLOTS];
static unsigned long long body_tick;

static void body_free(struct body *b)
{
	free(b->key);
	free(b->text);
	free(b->title);
	free(b->id);
	free(b->scripts);
	*b = (struct body){0};
}

static char *body_key(struct req *r, const char *key)
{
	struct buf k = {0};
	int bad = buf_adds(&k, key) | buf_addc(&k, '|') | buf_adds(&k, r->lang) | buf_addc(&k, '|') |
		  buf_addint(&k, r->district) | buf_addc(&k, '|') | buf_addint(&k, r->s ? r->s->account_id : 0) |
		  buf_addc(&k, '|') | buf_addint(&k, r->s ? r->s->roles : 0);
	if (bad) {   /* a key cut short could name another's page */
		buf_free(&k);
		return NULL;
	}
	return buf_take(&k);
}

static int body_usable(struct req *r)
{
	return r && r->s && r->s->account_id && r->method == M_GET && !hdf_get_value(r->hdf, "Cookie.kg_flash", NULL);
}

int view_body_serve(struct req *r, const char *key, long long version)
{
	if (!body_usable(r))
		return 0;
	char *k = body_key(r, key);
	struct body *b = NULL;
	for (int i = 0; k && i < BODY_SLOTS; i++)
		if (bodies[i].key && strcmp(bodies[i].key, k) == 0)
			b = &bodies[i];
	free(k);
	if (!b || b->version != version || (b->until && u_now() >= b->until))
		return 0;
	/* A kept body was rendered with the layout's own data (Chrome.body):
	 * the markers' values are all it needs while its layout is kept. */
	common_marks(r);
	buf_reset(&r->body);
	if (b->wrapped ? chrome_wrap_from(r, b->text, b->len, b->id, b->title, b->scripts, 0) < 0
		       : buf_add(&r->body, b->text, b->len) < 0) {
		buf_reset(&r->body);
		return 0;
	}
	b->used = ++body_tick;
	r->ctype = "text/html; charset=utf-8";
	r->status = 200;
	return 1;
}

void view_body_store(struct req *r, const char *key, long long version, long long until)
{
	if (!r) { /* view_free */
		for (int i = 0; i < BODY_SLOTS; i++)
			body_free(&bodies[i]);
		return;
	}
	if (!body_usable(r) || r->status != 200 || hdf_get_value(r->hdf, "Flash.text", NULL) ||
	    body_off + body_len > r->body.len)
		return;
	struct body n = {
		.key = body_key(r, key), .version = version, .until = until, .text = malloc(body_len ? body_len : 1),
		.len = body_len, .wrapped = body_wrapped, .title = strdup(hdf_get_value(r->hdf, "Page.title", "")),
		.id = strdup(hdf_get_value(r->hdf, "Page.id", "")), .scripts = strdup(page_scripts(r)),
	};
	if (!n.key || !n.text || !n.title || !n.id || !n.scripts) {
		body_free(&n);
		return;
	}
	memcpy(n.text, r->body.s + body_off, body_len);
	struct body *slot = &bodies[0];
	for (int i = 0; i < BODY_SLOTS; i++) {
		if (bodies[i].key && strcmp(bodies[i].key, n.key) == 0) {
			slot = &bodies[i];
			break;
		}
		if (!bodies[i].key || bodies[i].used < slot->used)
			slot = &bodies[i];
		if (!bodies[i].key)
			break;
	}
	body_free(slot);
	n.used = ++body_tick;
	*slot = n;
}

/* ---- molds: pages of a fixed shape with values put in (view_mold) ----
 *
 * A mold is a page's body rendered once per template, language, roles and
 * shape with a marker (\2 and 'A' + i) in place of each value i, kept, and
 * filled at each use: the values HTML-escaped as var: would, then the
 * kept layout around it (as a kept body). No data tree is filled and no
 * template runs while the mold is kept. MOLD_SETS sets of MOLD_WAYS
 * entries of a few KB (a key's hash picks its set: a look-up reads eight
 * entries, not all), the least recently used of a set going first; the
 * places base alone has ~20 shapes of its table's head (sorted column and
 * direction) per language and roles. A request with a field's error
 * (Errors.any) is rendered whole: err() tests it. With View.CheckMolds (the tests),
 * every filled mold is compared with the page rendered whole from the
 * same data, and a difference is an error (500, logged): a template that
 * used a value in a condition, an index or another escaping would show
 * there. */
#define MOLD_SETS 32
#define MOLD_WAYS 8
#define MOLD_SLOTS (MOLD_SETS * MOLD_WAYS)
#define MOLD_MAXVALS 60
struct mold {
	unsigned long long h, used;
	char *key, *text, *title, *id, *scripts;
	size_t len;
};
static struct mold molds[MOLD_SLOTS];
static unsigned long long mold_tick;
static struct buf mold_scratch;

static void mold_free(struct mold *m)
{
	free(m->key);
	free(m->text);
	free(m->title);
	free(m->id);
	free(m->scripts);
	*m = (struct mold){0};
}

static void mold_free_all(void)
{
	for (int i = 0; i < MOLD_SLOTS; i++)
		mold_free(&molds[i]);
	buf_free(&mold_scratch);
}

static void mold_set(struct req *r, const struct view_val *v, int n, int marks)
{
	for (int i = 0; i < n; i++) {
		if (marks) {
			char m[3] = {2, (char)('A' + i), 0};
			view_set(r, v[i].key, m);
		} else if (v[i].value && *v[i].value) {
			view_set(r, v[i].key, v[i].value);
		} else {
			hdf_remove_tree(r->hdf, v[i].key);
		}
	}
}

/* Text rendered with markers, checked (every \2 a marker of a value, every
 * value shown) and kept in m->text. */
static int mold_keep(const char *tpl, const char *s, size_t len, int nvals, struct mold *m)
{
	unsigned long long seen = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == 2) {
			int k = i + 1 < len ? s[i + 1] - 'A' : -1;
			if (k < 0 || k >= nvals) {
				log_err("%s: a mold's marker was changed (an escaping other than var:?)", tpl);
				return -1;
			}
			seen |= 1ULL << k;
		}
	if (seen != (nvals == 64 ? ~0ULL : (1ULL << nvals) - 1)) {
		log_err("%s: a value of the mold is not shown as text (used in a condition or index?)", tpl);
		return -1;
	}
	m->text = malloc(len ? len : 1);
	if (!m->text)
		return -1;
	memcpy(m->text, s, len);
	m->len = len;
	return 0;
}

/* The body of the last page rendered with markers, kept with its layout's
 * values. */
static int mold_take(struct req *r, const char *tpl, int nvals, struct mold *m)
{
	if (!body_wrapped || body_off + body_len > r->body.len ||
	    mold_keep(tpl, r->body.s + body_off, body_len, nvals, m) < 0)
		return -1;
	m->title = strdup(hdf_get_value(r->hdf, "Page.title", ""));
	m->id = strdup(hdf_get_value(r->hdf, "Page.id", ""));
	m->scripts = strdup(page_scripts(r));
	return m->title && m->id && m->scripts ? 0 : -1;
}

/* The page rendered whole from the data (no mold): tpl, then mid and end
 * when given (view_mold_with). */
static int mold_whole(struct req *r, const char *tpl, const struct view_val *shape, int nshape,
		      const struct view_val *vals, int nvals, const char *mid, size_t n, const char *end)
{
	mold_set(r, shape, nshape, 0);
	mold_set(r, vals, nvals, 0);
	return view_render_with(r, tpl, mid, n, end);
}

/* The kept mold of tpl (part or page) for the request's language and roles
 * and this shape, NULL when there is none yet; *slot the place for a new
 * one, *h its key's hash, the key in mold_scratch. -1 on memory trouble. */
static int mold_find(struct req *r, const char *tpl, int part, const struct view_val *shape, int nshape,
		     struct mold **found, struct mold **slot, unsigned long long *h)
{
	struct buf *k = &mold_scratch;
	buf_reset(k);
	int bad = buf_adds(k, tpl) | buf_addc(k, part ? 'P' : '\x1f') | buf_adds(k, r->lang) | buf_addc(k, '\x1f') |
		  buf_addint(k, r->s && r->s->account_id ? 0x100U | r->s->roles : 0U);
	for (int i = 0; i < nshape; i++)
		bad |= buf_addc(k, '\x1f') | buf_adds(k, shape[i].value ? shape[i].value : "");
	if (bad || !k->s)
		return -1;
	*h = hash64(k->s);
	*found = NULL;
	struct mold *set = &molds[(*h % MOLD_SETS) * MOLD_WAYS];
	*slot = &set[0];
	for (int i = 0; i < MOLD_WAYS; i++) {
		if (set[i].key && set[i].h == *h && strcmp(set[i].key, k->s) == 0) {
			*found = &set[i];
			return 0;
		}
		if (!set[i].key || set[i].used < (*slot)->used)
			*slot = &set[i];
	}
	return 0;
}

/* Appends the mold's text with its values put in. */
static int mold_fill(const struct mold *m, const struct view_val *vals, struct buf *o)
{
	for (const char *p = m->text, *end = m->text + m->len; p < end;) {
		const char *q = memchr(p, 2, (size_t)(end - p));
		if (buf_add(o, p, (size_t)((q ? q : end) - p)) < 0)
			return -1;
		if (!q)
			break;
		const char *v = vals[q[1] - 'A'].value;
		if (view_add_escaped(o, v ? v : "") < 0)
			return -1;
		p = q + 2;
	}
	return 0;
}

int view_mold_with(struct req *r, const char *tpl, const struct view_val *shape, int nshape,
		   const struct view_val *vals, int nvals, const char *mid, size_t n, const char *end)
{
	if (nvals > MOLD_MAXVALS || hdf_get_value(r->hdf, "Cookie.kg_flash", NULL) ||
	    hdf_get_value(r->hdf, "Flash.text", NULL) || hdf_get_value(r->hdf, "Errors.any", NULL))
		return mold_whole(r, tpl, shape, nshape, vals, nvals, mid, n, end);
	struct mold *m, *slot;
	unsigned long long h;
	if (mold_find(r, tpl, 0, shape, nshape, &m, &slot, &h) < 0)
		return -1;
	if (!m) {
		struct mold made = {.h = h, .key = strdup(mold_scratch.s)};
		mold_set(r, shape, nshape, 0);
		mold_set(r, vals, nvals, 1);
		if (!made.key || view_render(r, tpl) < 0 || mold_take(r, tpl, nvals, &made) < 0) {
			mold_free(&made);
			return mold_whole(r, tpl, shape, nshape, vals, nvals, mid, n, end);
		}
		mold_free(slot);
		*slot = made;
		m = slot;
	}
	m->used = ++mold_tick;
	/* Filled into the scratch buffer (the key is no longer needed). */
	struct buf *o = &mold_scratch;
	buf_reset(o);
	if (mold_fill(m, vals, o) < 0 || (n && buf_add(o, mid, n) < 0))
		return -1;
	if (end) {
		/* Inside the kept layout (what it shows there, a newline say). */
		CSPARSE *ce = template(r, end);
		view_set(r, "Chrome.body", "1");
		if (!ce || render_into(r, ce, end, o) < 0)
			return -1;
	}
	common_marks(r);
	if (chrome_wrap_from(r, o->s, o->len, m->id, m->title, m->scripts, 0) < 0)
		return mold_whole(r, tpl, shape, nshape, vals, nvals, mid, n, end);
	r->ctype = "text/html; charset=utf-8";
	if (!r->status)
		r->status = 200;
	if (mold_check) {
		struct buf filled = r->body;
		r->body = (struct buf){0};
		int rc = mold_whole(r, tpl, shape, nshape, vals, nvals, mid, n, end);
		int same = rc == 0 && filled.len == r->body.len && memcmp(filled.s, r->body.s, filled.len) == 0;
		buf_free(&filled);
		if (!same) {
			log_err("%s: the filled mold differs from the page rendered whole", tpl);
			return -1;
		}
	}
	return 0;
}

int view_mold(struct req *r, const char *tpl, const struct view_val *shape, int nshape, const struct view_val *vals,
	      int nvals)
{
	return view_mold_with(r, tpl, shape, nshape, vals, nvals, NULL, 0, NULL);
}

/* The part rendered from the data (no mold), appended to out. */
static int mold_part_whole(struct req *r, const char *tpl, const struct view_val *shape, int nshape,
			   const struct view_val *vals, int nvals, struct buf *out)
{
	mold_set(r, shape, nshape, 0);
	mold_set(r, vals, nvals, 0);
	return view_render_part(r, tpl, out);
}

int view_mold_part(struct req *r, const char *tpl, const struct view_val *shape, int nshape,
		   const struct view_val *vals, int nvals, struct buf *out)
{
	if (nvals > MOLD_MAXVALS || hdf_get_value(r->hdf, "Errors.any", NULL))
		return mold_part_whole(r, tpl, shape, nshape, vals, nvals, out);
	struct mold *m, *slot;
	unsigned long long h;
	if (mold_find(r, tpl, 1, shape, nshape, &m, &slot, &h) < 0)
		return -1;
	if (!m) {
		static struct buf t;
		buf_reset(&t);
		struct mold n = {.h = h, .key = strdup(mold_scratch.s)};
		mold_set(r, shape, nshape, 0);
		mold_set(r, vals, nvals, 1);
		if (!n.key || view_render_part(r, tpl, &t) < 0 || mold_keep(tpl, t.s ? t.s : "", t.len, nvals, &n) < 0) {
			mold_free(&n);
			return mold_part_whole(r, tpl, shape, nshape, vals, nvals, out);
		}
		mold_free(slot);
		*slot = n;
		m = slot;
	}
	m->used = ++mold_tick;
	size_t from = out->len;
	if (mold_fill(m, vals, out) < 0)
		return -1;
	if (mold_check) {
		static struct buf whole;
		buf_reset(&whole);
		int rc = mold_part_whole(r, tpl, shape, nshape, vals, nvals, &whole);
		if (rc < 0 || whole.len != out->len - from || memcmp(whole.s ? whole.s : "", out->s + from, whole.len) != 0) {
			log_err("%s: the filled mold differs from the part rendered whole", tpl);
			return -1;
		}
	}
	return 0;
}

int view_error(struct req *r, int status, const char *msg_key)
{
	if (!r->hdf)
		return -1;
	char k[64];
	r->status = status;
	r->cacheable = 0;
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

/* ---- cache of public pages ----
 * A page is kept as it was made, and compressed with gzip the first time
 * it is answered from the cache to a client that accepts gzip (every
 * browser), which then gets the compressed copy, the plain one going: a
 * page stored and never asked for again (a filter combination of one
 * visitor's) costs a copy, not a compression (~640k instructions for a
 * 25 KB page). A client that does not accept gzip gets the plain copy, or
 * the compressed one inflated on the way out. At most CACHE_MAX pages and
 * View.CacheKB in all (each counted at the size it is kept in), the least
 * recently used going first: a worker's memory stays bounded however many
 * different queries (filters, pages) the visitors send. A page is kept
 * the second time its key is asked for. */

#define CACHE_MAX 128
struct centry {
	unsigned long long hkey;   /* hash of key; 0 = free slot */
	char *key;                 /* the handler's key with language and district */
	long long version;
	/* The early answer (view_cache_early): the request it answers. */
	unsigned long long hraw;   /* 0 = none */
	char *raw;
	unsigned deps;
	long long dver;            /* the counters' sum when stored */
	long long until;           /* stale from then on (0 = only by the counters) */
	char *plain, *gz;          /* as made (until compressed); gzip (NULL until then) */
	size_t gzlen, len;         /* compressed and plain sizes */
	unsigned long long used;   /* for eviction */
};
static struct centry cache[CACHE_MAX];
/* How often each key is asked for, approximately (TinyLFU, Einziger et
 * al. 2017): a count-min sketch of 4-bit-enough byte counters, four
 * places per key, all halved after every FREQ_WINDOW counts so that the
 * figures follow what visitors ask for now. A page is kept when it is
 * asked for the second time and there is room; when keeping it would push
 * another out, only if it is asked for more often than the one that would
 * go. So a stream of filters each asked a few times (the places base
 * searched at random) neither pushes out the pages most visitors get nor
 * pays for compressing pages that would go before anyone asks again. */
#define FREQ_SLOTS 8192
#define FREQ_WINDOW (10 * CACHE_MAX)
static unsigned char freq[FREQ_SLOTS];
static unsigned freq_counted;
static size_t cache_bytes;
static unsigned long long cache_tick;

static unsigned long long hash64(const char *k)
{
	unsigned long long h = 1469598103934665603ULL;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return h ? h : 1;
}

static unsigned freq_of(unsigned long long h)
{
	unsigned m = 255;
	for (int i = 0; i < 4; i++) {
		unsigned v = freq[(h >> (16 * i)) % FREQ_SLOTS];
		if (v < m)
			m = v;
	}
	return m;
}

static void freq_count(unsigned long long h)
{
	unsigned m = freq_of(h);
	if (m < 15)
		for (int i = 0; i < 4; i++) {
			unsigned char *c = &freq[(h >> (16 * i)) % FREQ_SLOTS];
			if (*c == m)   /* conservative update: only the smallest grow */
				(*c)++;
		}
	if (++freq_counted >= FREQ_WINDOW) {
		for (int i = 0; i < FREQ_SLOTS; i++)
			freq[i] >>= 1;
		freq_counted = 0;
	}
}

static int cache_usable(struct req *r)
{
	return r && !r->s && !r->session_expired && r->method == M_GET &&
	       !hdf_get_value(r->hdf, "Cookie.kg_flash", NULL);
}

/* key|lang|district, in a buffer kept for the next call; NULL on memory
 * trouble. */
static const char *full_key(struct req *r, const char *key)
{
	static struct buf k;
	buf_reset(&k);
	int bad = buf_adds(&k, key) | buf_addc(&k, '|') | buf_adds(&k, r->lang) | buf_addc(&k, '|') |
		  buf_addint(&k, r->district);
	return bad ? NULL : k.s;
}

static void centry_free(struct centry *c)
{
	cache_bytes -= c->gz ? c->gzlen : c->len;
	free(c->key);
	free(c->raw);
	free(c->plain);
	free(c->gz);
	*c = (struct centry){0};
}

static struct centry *cache_find(unsigned long long h, const char *k)
{
	for (int i = 0; i < CACHE_MAX; i++)
		if (cache[i].hkey == h && strcmp(cache[i].key, k) == 0)
			return &cache[i];
	return NULL;
}

/* The page of an entry into the response: the compressed bytes for a
 * client that accepts gzip, else inflated. 0 or -1. */
static char *gzip_of(const char *p, size_t n, size_t *out_len);

static int cache_answer(struct req *r, struct centry *c, const char *accept_encoding)
{
	int gz = strstr(accept_encoding, "gzip") != NULL;
	if (gz && !c->gz) {
		/* Asked for again: compressed now, once. */
		size_t gzlen = 0;
		char *z = gzip_of(c->plain, c->len, &gzlen);
		if (z) {
			c->gz = z;
			c->gzlen = gzlen;
			cache_bytes = cache_bytes - c->len + gzlen;
			free(c->plain);
			c->plain = NULL;
		} else {
			gz = 0;
		}
	}
	buf_reset(&r->body);
	if (gz) {
		if (buf_add(&r->body, c->gz, c->gzlen) < 0)
			return -1;
	} else if (c->plain) {
		if (buf_add(&r->body, c->plain, c->len) < 0)
			return -1;
	} else {
		char *out = malloc(c->len + 1);
		if (!out)
			return -1;
		z_stream z = {0};
		int ok = inflateInit2(&z, 15 + 16) == Z_OK;
		if (ok) {
			z.next_in = (Bytef *)c->gz;
			z.avail_in = (uInt)c->gzlen;
			z.next_out = (Bytef *)out;
			z.avail_out = (uInt)c->len;
			ok = inflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out == c->len;
			inflateEnd(&z);
		}
		if (!ok || buf_add(&r->body, out, c->len) < 0) {
			free(out);
			buf_reset(&r->body);
			return -1;
		}
		free(out);
	}
	if (gz)
		req_header(r, "Content-Encoding", "gzip");
	req_header(r, "Vary", "Accept-Encoding");
	r->status = 200;
	r->ctype = "text/html; charset=utf-8";
	r->cacheable = 1;
	return 0;
}

int view_cache_serve(struct req *r, const char *key, long long version)
{
	if (!cache_usable(r))
		return 0;
	const char *k = full_key(r, key);
	if (!k)
		return 0;
	struct centry *c = cache_find(hash64(k), k);
	if (!c || c->version != version)
		return 0;
	if (cache_answer(r, c, hdf_get_value(r->hdf, "HTTP.AcceptEncoding", "")) < 0)
		return 0;
	c->used = ++cache_tick;
	freq_count(c->hkey);
	return 1;
}

/* gzip of n bytes (malloc'd, *out_len), NULL when it fails. The fastest
 * level: a page is compressed when it is kept, on the request that keeps
 * it, and HTML shrinks nearly as well (about 5:1) at a third of the cost. */
static char *gzip_of(const char *p, size_t n, size_t *out_len)
{
	z_stream z = {0};
	if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	uLong cap = deflateBound(&z, (uLong)n);
	char *out = malloc(cap);
	if (!out) {
		deflateEnd(&z);
		return NULL;
	}
	z.next_in = (Bytef *)p;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*out_len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	char *fit = realloc(out, *out_len ? *out_len : 1);
	return fit ? fit : out;
}

/* The request's own key for the early answer: path, query, language and
 * district, exactly as the request loop sees them before parsing. */
static char *raw_key(const char *path, const char *query, const char *lang, int district)
{
	struct buf k = {0};
	int bad = buf_adds(&k, path) | buf_addc(&k, '?') | buf_adds(&k, query) | buf_addc(&k, '|') | buf_adds(&k, lang) |
		  buf_addc(&k, '|') | buf_addint(&k, district);
	if (bad) {
		buf_free(&k);
		return NULL;
	}
	return buf_take(&k);
}

void view_cache_early(struct req *r, unsigned deps, long long until)
{
	r->early_ok = 1;
	r->early_deps = deps;
	r->early_until = until;
}

/* The first free slot and the least recently used entry (NULL when none). */
static void cache_slots(struct centry **free_slot, struct centry **oldest)
{
	*free_slot = *oldest = NULL;
	for (int i = 0; i < CACHE_MAX; i++) {
		if (!cache[i].hkey) {
			if (!*free_slot)
				*free_slot = &cache[i];
		} else if (!*oldest || cache[i].used < (*oldest)->used) {
			*oldest = &cache[i];
		}
	}
}

void view_cache_store(struct req *r, const char *key, long long version)
{
	if (!r) { /* view_free: drop everything */
		for (int i = 0; i < CACHE_MAX; i++)
			if (cache[i].hkey)
				centry_free(&cache[i]);
		return;
	}
	if (!cache_usable(r) || r->status != 200 || !r->body.len)
		return;
	const char *k = full_key(r, key);
	if (!k)
		return;
	unsigned long long h = hash64(k);
	req_header(r, "Vary", "Accept-Encoding");
	/* Kept the second time it is asked for, if there is room or it is
	 * asked for more often than the page that would make room (above): a
	 * page not kept costs no compression and evicts nothing. */
	freq_count(h);
	unsigned f = freq_of(h);
	if (f < 2)
		return;
	struct centry *c = cache_find(h, k);   /* an older version of the page */
	if (!c) {
		struct centry *free_slot, *oldest;
		cache_slots(&free_slot, &oldest);
		int room = free_slot && cache_bytes + r->body.len <= cache_budget;
		if (!room && oldest && f <= freq_of(oldest->hkey))
			return;
	}
	char *plain = malloc(r->body.len);
	if (plain)
		memcpy(plain, r->body.s, r->body.len);
	char *nk = strdup(k);
	char *raw = r->early_ok ? raw_key(r->path ? r->path : "/", r->query ? r->query : "", r->lang, r->district) : NULL;
	long long dver = r->early_ok ? view_data_versions(r->early_deps) : 0;
	if (!plain || !nk || (r->early_ok && (!raw || dver < 0)) || r->body.len > cache_budget) {
		free(plain);
		free(nk);
		free(raw);
		return;
	}
	if (c)
		centry_free(c);
	/* Room: a free slot within the budget, else the least recently used go. */
	for (;;) {
		struct centry *free_slot, *oldest;
		cache_slots(&free_slot, &oldest);
		if (free_slot && cache_bytes + r->body.len <= cache_budget) {
			c = free_slot;
			break;
		}
		centry_free(oldest);
	}
	*c = (struct centry){
		.hkey = h, .key = nk, .version = version, .hraw = raw ? hash64(raw) : 0, .raw = raw,
		.deps = r->early_deps, .dver = dver, .until = r->early_until, .plain = plain,
		.len = r->body.len, .used = ++cache_tick,
	};
	cache_bytes += r->body.len;
	r->cacheable = 1;
}

int view_cache_early_serve(struct req *r, const char *accept_encoding)
{
	char *k = raw_key(r->path, r->query, r->lang, r->district);
	if (!k)
		return 0;
	unsigned long long h = hash64(k);
	struct centry *c = NULL;
	for (int i = 0; i < CACHE_MAX; i++)
		if (cache[i].hraw == h && strcmp(cache[i].raw, k) == 0) {
			c = &cache[i];
			break;
		}
	free(k);
	if (!c || (c->until && u_now() >= c->until))
		return 0;
	if (c->deps && view_data_versions(c->deps) != c->dver)
		return 0;
	if (cache_answer(r, c, accept_encoding) < 0)
		return 0;
	c->used = ++cache_tick;
	freq_count(c->hkey);
	return 1;
}

/* The data_version counters, read once per request at most. */
static const char *const dep_names[] = {"queue", "places", "referrals", "ddo", "reference"};

/* The counters as last read, and the snapshot they were read in
 * (db_snapshot): a page asks for them two or three times (its cache, the
 * places' memory, the early answer), and within one request's snapshot
 * they cannot change. */
#define NDEPS (sizeof dep_names / sizeof *dep_names)
static long long dep_value[NDEPS];
static int dep_seen[NDEPS];
static unsigned long long dep_snapshot;

long long view_data_versions(unsigned deps)
{
	if (!deps)
		return 0;
	unsigned long long snap = db_snapshot();
	if (!snap || snap != dep_snapshot) {
		memset(dep_seen, 0, sizeof dep_seen);
		sqlite3_stmt *st = db_query("SELECT name, v FROM data_version", NULL);
		while (db_row(st)) {
			const char *n = db_col(st, 0);
			for (unsigned i = 0; i < NDEPS; i++)
				if (strcmp(n, dep_names[i]) == 0) {
					dep_value[i] = sqlite3_column_int64(st, 1);
					dep_seen[i] = 1;
				}
		}
		int ok = st != NULL;
		db_done(st);
		/* Kept for the snapshot the statement read in (it may have opened it). */
		dep_snapshot = ok ? db_snapshot() : 0;
	}
	long long sum = 0;
	int seen = 0;
	for (unsigned i = 0; i < NDEPS; i++)
		if ((deps & (1u << i)) && dep_seen[i]) {
			sum += dep_value[i];
			seen++;
		}
	return seen ? sum : -1;
}
