/* conf.c — see conf.h. */
#include "base/conf.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"

#ifndef KG_DEFAULT_CONF
#define KG_DEFAULT_CONF "/usr/local/share/kg/conf/app.hdf"
#endif

static HDF *conf;

int conf_load(const char *path, char *err, size_t errlen)
{
	if (!path)
		path = getenv("KG_CONF");
	if (!path || !*path)
		path = KG_DEFAULT_CONF;
	conf_free();
	NEOERR *e = hdf_init(&conf);
	if (!e)
		e = hdf_read_file(conf, path);
	if (e) {
		STRING s;
		string_init(&s);
		nerr_error_string(e, &s);
		snprintf(err, errlen, "cannot read settings %s: %s", path, s.buf ? s.buf : "?");
		string_clear(&s);
		nerr_ignore(&e);
		conf_free();
		return -1;
	}
	return 0;
}

const char *conf_get(const char *key, const char *def)
{
	return conf ? hdf_get_value(conf, key, def) : def;
}

long long conf_int(const char *key, long long def)
{
	const char *v = conf_get(key, NULL);
	long long n;
	if (!v || u_strtoll(v, -(1LL << 62), 1LL << 62, &n) < 0)
		return def;
	return n;
}

HDF *conf_hdf(void) { return conf; }

void conf_free(void)
{
	if (conf)
		hdf_destroy(&conf);
	conf = NULL;
}
