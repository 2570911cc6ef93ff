/*
 * metrics — /metrics in Prometheus text format (version 0.0.4) for a
 * monitoring system: every program's requests by route and status, their
 * latency histograms, database lock waits and refusals, signatures by
 * outcome and one-time codes sent, summed from the workers' files
 * (base/metrics.h), then the gauges read from the database and the disk.
 * The web server lets only the addresses of KG_METRICS_ALLOW reach it
 * (conf/gen-web.sh). README, "Monitoring", lists the metrics.
 *
 * A program of its own, as /healthz is: a scrape never takes a worker
 * from the people's pages.
 */
#include "base/conf.h"
#include "base/metrics.h"
#include "web/req.h"

static int metrics(struct req *r)
{
	struct buf b;
	buf_init(&b);
	if (met_render(conf_get("Paths.Metrics", ""), &b) < 0 || met_render_gauges(&b, u_now()) < 0) {
		buf_free(&b);
		return REQ_ERROR;
	}
	int rc = req_send(r, "text/plain; version=0.0.4; charset=utf-8", b.s, b.len, NULL);
	buf_free(&b);
	return rc;
}

static const struct route routes[] = {
	{M_GET, "/metrics", ROLE_ANY, metrics, 0},
};

int main(int argc, char **argv)
{
	static const struct app app = {"metrics", routes, NROUTES(routes), NULL};
	return req_main(argc, argv, &app);
}
