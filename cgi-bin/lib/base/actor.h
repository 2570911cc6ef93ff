/*
 * actor.h — who makes a change: the account (0 for none), the role it acts
 * in ("citizen", "staff", "reviewer", "support", "system", "anonymous") and
 * the client's address. The audit log and the applications' history
 * record it; the request loop makes one from the session (req_actor), the
 * command line its own ("system").
 */
#ifndef KG_ACTOR_H
#define KG_ACTOR_H

struct actor {
	long long id;
	const char *role;
	const char *ip;
};

#endif
