/*
 * multios/svcrt.h - the service runtime's calls: the documented
 * request/reply through a service's balancer (mos_sys_call), the
 * balancer's pick (mos_service_get_instance) and discovery by name
 * pattern (mos_service_discover, mos_sys_discover).
 *
 * The runtime's descriptor fields (balancing, probes, allow lists,
 * retry, encryption) are in multios/service.h with the rest of the
 * descriptor, which includes this header: either may be included first.
 * docs/SERVICES.md ("Requests", "Discovery") and docs/IPC.md describe the
 * behaviour.
 */
#ifndef MULTIOS_SVCRT_H
#define MULTIOS_SVCRT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "ipc.h"
#include "service.h"
#include "types.h"

/* ---- requests (docs/SERVICES.md, "Requests") ------------------------- */

/*
 * The documented request/reply: send req to one instance of the service
 * named `service`, chosen by its balancer, and wait for the reply into
 * *reply.  A system call on self's coroutine.  In order: the service is
 * looked up by name; its allow list is checked (a refusal is audited,
 * MOS_AUDIT_CALL); an instance is picked among the eligible ones (live,
 * ready, readiness passing, not draining, the service Starting or
 * Running; never self's own instance, which could not answer) by the
 * service's strategy, req->key being consistent_hash's key; the request goes to that instance's mailbox (mos_sys_send's
 * rules: it waits for room) and self waits for the reply.  A
 * LoadBalancerService first picks one of its backends (its `backends`,
 * names or "tag:TAG", resolved at each call in name order; only those
 * self may call that have an eligible instance are candidates) by its
 * own strategy and weights, then routes inside it by the backend's.
 *
 * timeout_ns bounds the call from its start (MOS_TIME_NEVER: the
 * service's request_timeout_ms when it has one, else forever); each
 * attempt's encryption send cost is burned before its wait counts.
 * With the service's retry option, a request whose instance died (or
 * was taken out of rotation) while it was queued or handled is sent
 * once more, to another eligible instance (never the same slot), with
 * what is left of the timeout; with none, MOS_EPEERDIED.  The kernel
 * counts one MOS_SYS_CALL per attempt (one for a call refused before
 * any).  Encrypted services charge encryption_cost of CPU per message
 * at each end: self before sending and on receiving the reply, the
 * instance on receiving the request and before replying.
 *
 * In: req's type (MOS_MSG_DATA is sent as MOS_MSG_REQUEST), flags, key,
 * len, payload.  Out: req->request_id (the last attempt's), *reply
 * (type MOS_MSG_REPLY, sender the instance).  Each call is counted in
 * the service's status (requests, replies, request_failures; a
 * LoadBalancerService's and its backend's both) and the instance's
 * (mos_service_instances, latency percentiles), and traced
 * (MOS_TRACE_CALL, one event per call).
 *
 * Errors: MOS_EINVAL (service, req or reply NULL, req->len above
 * MOS_MSG_PAYLOAD_MAX),
 * MOS_ESVCNOTFOUND (no service of that name), MOS_EPERM (its allow list
 * refuses self), MOS_ELOADBAL (no eligible instance, or backend, now),
 * MOS_ETIMEDOUT (no room or reply in time: a later reply is dropped and
 * counted in mos_ipc_stats), MOS_EPEERDIED (the instance died before
 * answering, and no retry was possible), MOS_EINTR (a caught signal),
 * MOS_ENOMEM, MOS_ERANGE (now + timeout_ns overflows).
 */
MOS_API int mos_sys_call(mos_proc_t *self, const char *service,
			 mos_msg_t *req, mos_msg_t *reply,
			 mos_time_t timeout_ns);

/*
 * The documented get_service_instance: the pid of the instance the
 * balancer of service `name` would pick for the next request (key 0 for
 * consistent_hash) into *pid.  A peek: it changes no balancer state (the
 * next mos_sys_call with key 0 picks the same instance unless the
 * instances change meanwhile) and counts no request.  A
 * LoadBalancerService answers with the instance its next call would
 * reach, seen by the host (every backend is a candidate).  Errors:
 * MOS_EINVAL (k, name or pid NULL), MOS_ESVCNOTFOUND, MOS_ELOADBAL (no
 * eligible instance), MOS_ENOMEM (the runtime state, made on first
 * use).
 */
MOS_API int mos_service_get_instance(mos_kernel_t *k, const char *name,
				     mos_pid_t *pid);

/* ---- discovery --------------------------------------------------------- */

/* What mos_service_discover keeps besides the name pattern; all fields
 * false/NULL: no filter. */
typedef struct mos_discover_filter {
	bool by_type;
	mos_service_type_t type;          /* by_type: this type only */
	const char *tag;                  /* NULL: any; else those tagged so */
	bool by_state;
	mos_service_state_t state;        /* by_state: in this state only */
} mos_discover_filter_t;

/*
 * The documented discover_services: the registered services whose names
 * match the glob `pattern` and pass filter (may be NULL), in name order
 * (bytewise).  Glob syntax (docs/SERVICES.md, "Discovery"): `*`, `?`,
 * `[abc]`, `[a-z]`, `[!a]` or `[^a]`, `\` escapes the next character;
 * every other character is one of the name alphabet [A-Za-z0-9._@-].
 * ids (may be NULL when cap is 0) receives the first cap ids, *n (may be
 * NULL) the number that matched, which may exceed cap.  An actor other
 * than the host (0) sees only the services it may call, unless it holds
 * MOS_CAP_ADMIN (or runs as root).  Changes nothing.  Errors: MOS_EINVAL
 * (k or pattern NULL, ids NULL with cap > 0, a filter's type or state
 * out of range), MOS_EDISCOVERY (a malformed pattern: empty, an
 * unclosed '[', an empty "[]", an unmatched ']', a trailing '\', a
 * reversed range, a character outside the alphabet, longer than 1024;
 * err's text says which and the 0-based position, "unclosed '[' at
 * position 3", its path "pattern"), MOS_EINVALPID (actor < 0),
 * MOS_EPROCNOTFOUND (no such actor), MOS_ENOMEM.
 */
MOS_API int mos_service_discover(mos_kernel_t *k, mos_pid_t actor,
				 const char *pattern,
				 const mos_discover_filter_t *filter,
				 mos_service_id_t *ids, size_t cap, size_t *n,
				 mos_error_t *err);

/*
 * The same query from a process: the names (not ids) of the services
 * matching pattern and filter that on_behalf (0: self) may call, in name
 * order, each followed by '\n', into names (size bytes, NUL-terminated;
 * whole names only: those that do not fit are left out), their number
 * into *n (may be NULL), which counts those left out too.  Only a holder
 * of MOS_CAP_ADMIN may ask on another's behalf; what on_behalf sees is
 * then its own view (a DiscoveryService answers for the sender of each
 * request: the `discovery` program).  Errors: MOS_EINVAL (pattern NULL,
 * names NULL with size > 0, on_behalf < 0, a filter out of range),
 * MOS_EDISCOVERY (a malformed pattern), MOS_EPERM (on another's behalf
 * without ADMIN), MOS_EPROCNOTFOUND (no such on_behalf), MOS_ENOMEM.
 */
MOS_API int mos_sys_discover(mos_proc_t *self, mos_pid_t on_behalf,
			     const char *pattern,
			     const mos_discover_filter_t *filter, char *names,
			     size_t size, size_t *n);

/* The `discovery` program's replies (docs/SERVICES.md, "Discovery"):
 * key the number of matches; flags: */
#define MOS_DISCOVERY_TRUNCATED 1u       /* some names did not fit */
#define MOS_DISCOVERY_ERROR 2u           /* the query failed: key is the
					    MOS_E* code, negated (> 0) */

#endif
