/*
 * district — the home page with the service tiles (/), the choice of
 * district or city (/district), the instructions (/district/help).
 * It also answers every path no other program claims, with the 404 page.
 */
#include <string.h>

#include "web/req.h"
#include "web/val.h"
#include "web/view.h"

static int home(struct req *r) { return view_render(r, "home.cs") < 0 ? REQ_ERROR : REQ_OK; }

static int help(struct req *r) { return view_render(r, "help.cs") < 0 ? REQ_ERROR : REQ_OK; }

static int list(struct req *r)
{
	return view_render(r, "district.cs") < 0 ? REQ_ERROR : REQ_OK;
}

enum { F_CODE, F_NEXT, F__MAX };
static const struct vfield fields[F__MAX] = {
	[F_CODE] = {"code", V_INT, VF_REQUIRED, 1000, 9999, NULL},
	[F_NEXT] = {"next", V_TEXT, 0, 0, 500, NULL},
};

static int choose(struct req *r)
{
	struct vval v[F__MAX];
	int bad = val_form(r, fields, F__MAX, v);
	if (!bad && !view_district_name(r, (int)v[F_CODE].i)) {
		view_field_error(r, "code", "Err.choice");
		bad = 1;
	}
	if (bad) {
		r->status = 422;
		return list(r);
	}
	char code[8];
	snprintf(code, sizeof code, "%lld", v[F_CODE].i);
	req_cookie(r, "district", code, 365LL * 86400);
	view_flash(r, "district_set", NULL);
	const char *next = v[F_NEXT].s;
	return req_redirect(r, req_local_path_ok(next) ? next : "/");
}

static const struct route routes[] = {
	{M_GET, "/", ROLE_ANY, home, RF_CACHE},
	{M_GET, "/district", ROLE_ANY, list, RF_SESSION},
	{M_POST, "/district", ROLE_ANY, choose, 0},
	{M_GET, "/district/help", ROLE_ANY, help, RF_CACHE},
};

int main(int argc, char **argv)
{
	static const struct app app = {"district", routes, NROUTES(routes), NULL};
	return req_main(argc, argv, &app);
}
