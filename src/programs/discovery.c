/*
 * src/programs/discovery.c - the `discovery` program: a DiscoveryService
 * that answers discovery requests over IPC (docs/SERVICES.md,
 * "Discovery").
 *
 * It receives for ever.  A request's payload is a glob (its len bytes; an
 * empty one is "*"); the reply lists the names that the request's sender
 * may call (mos_sys_discover on its behalf: the service's instances need
 * MOS_CAP_ADMIN, which a service registered by the host inherits), each
 * followed by '\n', as many whole names as fit in a payload, with key
 * the number of matches and flags MOS_DISCOVERY_TRUNCATED when some did
 * not fit; a failed query is answered with flags MOS_DISCOVERY_ERROR and
 * key the negated MOS_E* code (a malformed pattern: MOS_EDISCOVERY).  A
 * health ping is answered at once; other messages are dropped.
 */
#include <string.h>

#include "multios/multios.h"
#include "programs.h"

static void answer(mos_proc_t *self, const mos_msg_t *req)
{
	char pattern[MOS_MSG_PAYLOAD_MAX + 1];
	char names[MOS_MSG_PAYLOAD_MAX + 1];
	mos_msg_t reply;
	size_t n = 0;
	int rc;

	memset(&reply, 0, sizeof(reply));
	memcpy(pattern, req->payload, req->len);
	pattern[req->len] = '\0';
	rc = mos_sys_discover(self, req->sender, req->len ? pattern : "*", NULL,
			      names, sizeof(names), &n);
	if (rc < 0) {
		reply.flags = MOS_DISCOVERY_ERROR;
		reply.key = (uint64_t)-(int64_t)rc;
	} else {
		size_t len = strlen(names);

		memcpy(reply.payload, names, len);
		reply.len = (uint32_t)len;
		reply.key = n;
		/* Each name listed ends with its '\n'. */
		for (size_t i = 0; i < len; i++)
			if (names[i] == '\n')
				n--;
		if (n)
			reply.flags = MOS_DISCOVERY_TRUNCATED;
	}
	(void)mos_sys_reply(self, req, &reply);
}

static int discovery_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return mos__program_serve(self, answer);
}

static int prep_discovery(const mos_allocator_t *alloc, int argc,
			  char **argv, void **state)
{
	(void)alloc;
	(void)argv;
	*state = NULL;
	return argc == 1 ? 0 : MOS_EINVAL;
}

int mos__program_discovery_register(mos_kernel_t *k)
{
	static const mos_program_t def = {"discovery", discovery_main,
					  prep_discovery, NULL};

	return mos_program_register_ex(k, &def);
}
