/*
 * hello — a hello-world FastCGI responder: the baseline `make bench`
 * measures next to the real screens, behind the same nginx, in the same
 * run (tests/bench/run.sh starts it on its own location). It is the cost
 * of nginx + FastCGI + one process doing nothing: no request parsing, no
 * session, no database, no template. Not in conf/routes; serve.sh skips it.
 */
#include <fcgiapp.h>

int main(void)
{
	static const char resp[] = "Status: 200 OK\r\n"
				   "Content-Type: text/plain; charset=utf-8\r\n"
				   "Content-Length: 12\r\n"
				   "\r\n"
				   "Hello world\n";
	FCGX_Request r;
	if (FCGX_Init() != 0 || FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutStr(resp, (int)sizeof resp - 1, r.out);
		FCGX_Finish_r(&r);
	}
	FCGX_Free(&r, 1);
	return 0;
}
