/*
 * tests/test_svc_rtdesc.c - the service runtime's descriptor fields
 * (balance, weights, vnodes, probes, importance, retry, allow,
 * encryption, backends, request_timeout): their defaults, every check
 * with its exact code and path, their copy into mos_service_info, and
 * their JSON keys (tests/data/services/rtdesc/all.json round-trips; a bad
 * value names its JSON path).  A refused registration registers nothing.
 * No runtime behaviour is exercised here: these are the fields only.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "svc_helpers.h"
#include "multios/service.h"
#include "timeout.h"

TestSuite(svc_rtdesc, .timeout = T_TIMEOUT);

#define DATA "tests/data/services/rtdesc/"

static mos_kernel_t *kernel(void)
{
	mos_config_t c;

	mos_config_default(&c);
	return t_kernel(&c);
}

static const char *const probe_cmd[] = {"idle", "probe", NULL};
static const char *const bad_cmd[] = {"no-such-program", NULL};

/* ---- defaults ---------------------------------------------------------- */

Test(svc_rtdesc, init_fills_the_runtime_defaults)
{
	mos_service_descriptor_t d;

	memset(&d, 0xa5, sizeof(d));
	mos_service_descriptor_init(&d);
	cr_expect_eq(d.balance, MOS_LB_ROUND_ROBIN);
	cr_expect_null(d.weights);
	cr_expect_eq(d.nweights, 0);
	cr_expect_eq(d.vnodes, 0);
	for (int i = 0; i < 2; i++) {
		const mos_probe_spec_t *p = i ? &d.readiness_probe
					      : &d.liveness_probe;

		cr_expect_eq(p->kind, MOS_PROBE_NONE);
		cr_expect_null(p->command);
		cr_expect_eq(p->initial_delay, 0);
		cr_expect_eq(p->interval, 10 * MOS_SEC);
		cr_expect_eq(p->timeout, MOS_SEC);
		cr_expect_eq(p->failure_threshold, 3);
		cr_expect_eq(p->success_threshold, 1);
	}
	cr_expect_eq(d.importance, MOS_IMP_NORMAL);
	cr_expect_eq(d.retry, false);
	cr_expect_null(d.allow_uids);
	cr_expect_eq(d.nallow_uids, 0);
	cr_expect_null(d.allow_gids);
	cr_expect_eq(d.nallow_gids, 0);
	cr_expect_null(d.allow_services);
	cr_expect_eq(d.encrypted, false);
	cr_expect_eq(d.encryption_cost, 0);
	cr_expect_null(d.backends);
	cr_expect_eq(d.request_timeout_ms, 0);
}

Test(svc_rtdesc, info_resolves_the_defaults)
{
	mos_kernel_t *k = kernel();
	mos_service_descriptor_t d = t_desc("plain", t_idle_cmd);
	mos_service_info_t in;
	mos_service_id_t id;

	d.instances = 2;
	id = t_reg(k, &d);
	cr_assert_eq(mos_service_info(k, id, &in), 0);
	cr_expect_eq(in.balance, MOS_LB_ROUND_ROBIN);
	cr_expect_eq(in.nweights, 2);
	cr_expect_eq(in.weights[0], 1);
	cr_expect_eq(in.weights[1], 1);
	cr_expect_eq(in.vnodes, MOS_SVC_VNODES_DEFAULT);
	cr_expect_eq(in.vnodes, 160);
	cr_expect_eq(in.liveness_probe.kind, MOS_PROBE_NONE);
	cr_expect_null(in.liveness_probe.command);
	cr_expect_eq(in.readiness_probe.interval, 10 * MOS_SEC);
	cr_expect_eq(in.importance, MOS_IMP_NORMAL);
	cr_expect_eq(in.retry, false);
	cr_expect_not_null(in.allow_uids);
	cr_expect_eq(in.nallow_uids, 0);
	cr_expect_not_null(in.allow_gids);
	cr_expect_eq(in.nallow_gids, 0);
	cr_expect_null(in.allow_services[0]);
	cr_expect_eq(in.nallow_services, 0);
	cr_expect_eq(in.encrypted, false);
	cr_expect_eq(in.encryption_cost, MOS_SVC_ENCRYPTION_COST_DEFAULT);
	cr_expect_eq(in.encryption_cost, 20 * MOS_USEC);
	cr_expect_null(in.backends[0]);
	cr_expect_eq(in.nbackends, 0);
	cr_expect_eq(in.request_timeout_ms, 0);
	mos_kernel_destroy(k);
}

Test(svc_rtdesc, names_of_the_enums)
{
	cr_expect_str_eq(mos_lb_strategy_name(MOS_LB_ROUND_ROBIN), "round_robin");
	cr_expect_str_eq(mos_lb_strategy_name(MOS_LB_LEAST_CONNECTIONS),
			 "least_connections");
	cr_expect_str_eq(mos_lb_strategy_name(MOS_LB_WEIGHTED), "weighted");
	cr_expect_str_eq(mos_lb_strategy_name(MOS_LB_RANDOM), "random");
	cr_expect_str_eq(mos_lb_strategy_name(MOS_LB_CONSISTENT_HASH),
			 "consistent_hash");
	cr_expect_str_eq(mos_lb_strategy_name(MOS_LB_COUNT), "?");
	cr_expect_str_eq(mos_importance_name(MOS_IMP_CRITICAL), "critical");
	cr_expect_str_eq(mos_importance_name(MOS_IMP_LOW), "low");
	cr_expect_str_eq(mos_importance_name(MOS_IMP_COUNT), "?");
	cr_expect_str_eq(mos_probe_kind_name(MOS_PROBE_NONE), "none");
	cr_expect_str_eq(mos_probe_kind_name(MOS_PROBE_EXEC), "exec");
	cr_expect_str_eq(mos_probe_kind_name(MOS_PROBE_PING), "ping");
	cr_expect_str_eq(mos_probe_kind_name(MOS_PROBE_COUNT), "?");
}

/* ---- every field stored ------------------------------------------------- */

Test(svc_rtdesc, every_field_is_copied_into_info)
{
	static const uint32_t weights[] = {5, 1, 1};
	static const mos_uid_t uids[] = {0, 1000};
	static const mos_gid_t gids[] = {100};
	static const char *const allow[] = {"front", "not-registered", NULL};
	mos_kernel_t *k = kernel();
	mos_service_descriptor_t d = t_desc("web", t_idle_cmd);
	char cmd0[] = "idle", cmd1[] = "probe";
	const char *cmd[] = {cmd0, cmd1, NULL};
	mos_service_info_t in;
	mos_service_id_t id;

	d.instances = 3;
	d.balance = MOS_LB_WEIGHTED;
	d.weights = weights;
	d.nweights = 3;
	d.vnodes = 4096;
	d.liveness_probe = (mos_probe_spec_t){MOS_PROBE_EXEC, cmd, 2 * MOS_SEC,
					      MOS_SEC, MOS_SEC, 1000, 1000};
	d.readiness_probe.kind = MOS_PROBE_PING;
	d.readiness_probe.interval = MOS_SVC_PROBE_MAX_TIME;
	d.readiness_probe.initial_delay = MOS_SVC_PROBE_MAX_TIME;
	d.importance = MOS_IMP_LOW;
	d.retry = true;
	d.allow_uids = uids;
	d.nallow_uids = 2;
	d.allow_gids = gids;
	d.nallow_gids = 1;
	d.allow_services = allow;
	d.encrypted = true;
	d.encryption_cost = MOS_SEC;
	d.request_timeout_ms = 1500;
	id = t_reg(k, &d);
	/* Copied: the caller's strings may go. */
	cmd0[0] = 'X';
	cmd1[0] = 'X';
	cr_assert_eq(mos_service_info(k, id, &in), 0);
	cr_expect_eq(in.balance, MOS_LB_WEIGHTED);
	cr_assert_eq(in.nweights, 3);
	cr_expect_neq(in.weights, weights);
	cr_expect_eq(in.weights[0], 5);
	cr_expect_eq(in.weights[1], 1);
	cr_expect_eq(in.weights[2], 1);
	cr_expect_eq(in.vnodes, 4096);
	cr_expect_eq(in.liveness_probe.kind, MOS_PROBE_EXEC);
	cr_expect_str_eq(in.liveness_probe.command[0], "idle");
	cr_expect_str_eq(in.liveness_probe.command[1], "probe");
	cr_expect_null(in.liveness_probe.command[2]);
	cr_expect_eq(in.liveness_probe.initial_delay, 2 * MOS_SEC);
	cr_expect_eq(in.liveness_probe.interval, MOS_SEC);
	cr_expect_eq(in.liveness_probe.timeout, MOS_SEC);
	cr_expect_eq(in.liveness_probe.failure_threshold, 1000);
	cr_expect_eq(in.liveness_probe.success_threshold, 1000);
	cr_expect_eq(in.readiness_probe.kind, MOS_PROBE_PING);
	cr_expect_null(in.readiness_probe.command);
	cr_expect_eq(in.readiness_probe.interval, 86400 * MOS_SEC);
	cr_expect_eq(in.readiness_probe.initial_delay, 86400 * MOS_SEC);
	cr_expect_eq(in.readiness_probe.timeout, MOS_SEC);
	cr_expect_eq(in.importance, MOS_IMP_LOW);
	cr_expect_eq(in.retry, true);
	cr_assert_eq(in.nallow_uids, 2);
	cr_expect_eq(in.allow_uids[0], 0);
	cr_expect_eq(in.allow_uids[1], 1000);
	cr_assert_eq(in.nallow_gids, 1);
	cr_expect_eq(in.allow_gids[0], 100);
	cr_assert_eq(in.nallow_services, 2);
	cr_expect_str_eq(in.allow_services[0], "front");
	cr_expect_str_eq(in.allow_services[1], "not-registered");
	cr_expect_null(in.allow_services[2]);
	cr_expect_eq(in.encrypted, true);
	cr_expect_eq(in.encryption_cost, MOS_SEC);
	cr_expect_eq(in.nbackends, 0);
	cr_expect_eq(in.request_timeout_ms, 1500);
	mos_kernel_destroy(k);
}

Test(svc_rtdesc, a_load_balancer_has_backends_and_no_process)
{
	static const char *const backends[] = {"web", "tag:api", NULL};
	static const uint32_t weights[] = {2, 7};
	mos_kernel_t *k = kernel();
	mos_service_descriptor_t d = t_desc("front", NULL);
	mos_service_info_t in;
	mos_service_id_t id;

	d.type = MOS_SVC_LOADBALANCER;
	d.instances = 0;
	d.backends = backends;
	d.weights = weights;
	d.nweights = 2;
	id = t_reg(k, &d);
	cr_assert_eq(mos_service_info(k, id, &in), 0);
	cr_expect_eq(in.type, MOS_SVC_LOADBALANCER);
	cr_expect_null(in.command);
	cr_expect_eq(in.instances, 0);
	cr_assert_eq(in.nbackends, 2);
	cr_expect_str_eq(in.backends[0], "web");
	cr_expect_str_eq(in.backends[1], "tag:api");
	cr_expect_null(in.backends[2]);
	cr_assert_eq(in.nweights, 2);
	cr_expect_eq(in.weights[0], 2);
	cr_expect_eq(in.weights[1], 7);
	mos_kernel_destroy(k);
}

Test(svc_rtdesc, a_group_has_no_weights)
{
	mos_kernel_t *k = kernel();
	mos_service_descriptor_t d = t_desc("grp", NULL);
	mos_service_info_t in;
	mos_service_id_t id;

	d.type = MOS_SVC_GROUP;
	d.instances = 0;
	id = t_reg(k, &d);
	cr_assert_eq(mos_service_info(k, id, &in), 0);
	cr_expect_eq(in.nweights, 0);
	cr_expect_not_null(in.weights);
	cr_expect_eq(in.nbackends, 0);
	mos_kernel_destroy(k);
}

/* ---- every check -------------------------------------------------------- */

typedef void (*mutate_fn)(mos_service_descriptor_t *d);

/* d (a 2-instance "svc" of idle, mutated) is refused with code at path,
 * and nothing is registered: a good one registered after gets id 1. */
static void refused(mutate_fn f, int code, const char *path)
{
	mos_kernel_t *k = kernel();
	mos_service_descriptor_t d = t_desc("svc", t_idle_cmd);
	mos_service_id_t id = 77;
	mos_error_t err;
	int rc;

	d.instances = 2;
	f(&d);
	rc = mos_service_register(k, 0, &d, &id, &err);
	cr_assert_eq(rc, code, "%s: %s, want %s (%s)", path, mos_err_name(rc),
		     mos_err_name(code), err.message);
	cr_expect_eq(err.code, code);
	cr_expect_str_eq(err.path, path);
	cr_expect_eq(id, 77, "a refused register set *id");
	cr_expect_eq(t_nservices(k), 0);
	d = t_desc("svc", t_idle_cmd);
	cr_expect_eq(t_reg(k, &d), 1);
	mos_kernel_destroy(k);
}

#define REFUSED(test, code, path, body)                                  \
	static void mut_##test(mos_service_descriptor_t *d) { body; }    \
	Test(svc_rtdesc, refuses_##test) { refused(mut_##test, code, path); }

static const uint32_t w3[] = {1, 1, 1}, w_zero[] = {1, 0},
	w_big[] = {1, MOS_SVC_MAX_WEIGHT + 1};
static const mos_uid_t ids65[65], bad_ids[] = {5, MOS_UID_INHERIT};
static const char *const one_backend[] = {"web", NULL};
static const char *const bad_backend[] = {"web", "tag:", NULL};
static const char *const self_backend[] = {"svc", NULL};
static const char *const bad_names[] = {"ok", "bad name", NULL};
static const char *const names65[66] = {
#define N8 "a", "a", "a", "a", "a", "a", "a", "a"
	N8, N8, N8, N8, N8, N8, N8, N8, "a", NULL,
#undef N8
};

#define P "services[0]."

REFUSED(unknown_balance, MOS_EINVAL, P "balance",
	d->balance = MOS_LB_COUNT)
REFUSED(unknown_importance, MOS_EINVAL, P "importance",
	d->importance = MOS_IMP_COUNT)
REFUSED(too_many_vnodes, MOS_EINVAL, P "vnodes",
	d->vnodes = MOS_SVC_MAX_VNODES + 1)
REFUSED(weights_count_mismatch, MOS_EINVAL, P "weights",
	d->weights = w3; d->nweights = 3)
REFUSED(weights_count_without_array, MOS_EINVAL, P "weights",
	d->nweights = 2)
REFUSED(zero_weight, MOS_EINVAL, P "weights[1]",
	d->weights = w_zero; d->nweights = 2)
REFUSED(weight_too_big, MOS_EINVAL, P "weights[1]",
	d->weights = w_big; d->nweights = 2)
REFUSED(unknown_probe_kind, MOS_EINVAL, P "liveness_probe.kind",
	d->liveness_probe.kind = MOS_PROBE_COUNT)
REFUSED(exec_probe_without_command, MOS_EINVAL, P "readiness_probe.command",
	d->readiness_probe.kind = MOS_PROBE_EXEC)
REFUSED(exec_probe_unknown_program, MOS_ENOPROG,
	P "liveness_probe.command[0]",
	d->liveness_probe.kind = MOS_PROBE_EXEC;
	d->liveness_probe.command = bad_cmd)
REFUSED(ping_probe_with_command, MOS_EINVAL, P "liveness_probe.command",
	d->liveness_probe.kind = MOS_PROBE_PING;
	d->liveness_probe.command = probe_cmd)
REFUSED(inactive_probe_with_command, MOS_EINVAL, P "readiness_probe.command",
	d->readiness_probe.command = probe_cmd)
REFUSED(zero_interval, MOS_EINVAL, P "liveness_probe.interval",
	d->liveness_probe.kind = MOS_PROBE_PING;
	d->liveness_probe.interval = 0)
REFUSED(interval_over_a_day, MOS_EINVAL, P "liveness_probe.interval",
	d->liveness_probe.kind = MOS_PROBE_PING;
	d->liveness_probe.interval = MOS_SVC_PROBE_MAX_TIME + 1)
REFUSED(initial_delay_over_a_day, MOS_EINVAL, P "readiness_probe.initial_delay",
	d->readiness_probe.kind = MOS_PROBE_PING;
	d->readiness_probe.initial_delay = MOS_TIME_NEVER)
REFUSED(timeout_over_interval, MOS_EINVAL, P "liveness_probe.timeout",
	d->liveness_probe.kind = MOS_PROBE_PING;
	d->liveness_probe.timeout = 10 * MOS_SEC + 1)
REFUSED(zero_timeout, MOS_EINVAL, P "liveness_probe.timeout",
	d->liveness_probe.kind = MOS_PROBE_PING;
	d->liveness_probe.timeout = 0)
REFUSED(zero_failure_threshold, MOS_EINVAL, P "liveness_probe.failure_threshold",
	d->liveness_probe.kind = MOS_PROBE_PING;
	d->liveness_probe.failure_threshold = 0)
REFUSED(big_success_threshold, MOS_EINVAL,
	P "readiness_probe.success_threshold",
	d->readiness_probe.kind = MOS_PROBE_PING;
	d->readiness_probe.success_threshold = 1001)
REFUSED(probe_on_a_group, MOS_EINVAL, P "liveness_probe.kind",
	d->type = MOS_SVC_GROUP; d->command = NULL; d->instances = 0;
	d->liveness_probe.kind = MOS_PROBE_PING)
REFUSED(probe_on_a_load_balancer, MOS_EINVAL, P "readiness_probe.kind",
	d->type = MOS_SVC_LOADBALANCER; d->command = NULL; d->instances = 0;
	d->backends = one_backend;
	d->readiness_probe.kind = MOS_PROBE_EXEC;
	d->readiness_probe.command = probe_cmd)
REFUSED(too_many_allowed_uids, MOS_EINVAL, P "allow.uids",
	d->allow_uids = ids65; d->nallow_uids = 65)
REFUSED(allowed_uids_without_array, MOS_EINVAL, P "allow.uids",
	d->nallow_uids = 1)
REFUSED(allowed_uid_inherit, MOS_EINVAL, P "allow.uids[1]",
	d->allow_uids = bad_ids; d->nallow_uids = 2)
REFUSED(too_many_allowed_gids, MOS_EINVAL, P "allow.gids",
	d->allow_gids = ids65; d->nallow_gids = 65)
REFUSED(allowed_gid_inherit, MOS_EINVAL, P "allow.gids[1]",
	d->allow_gids = bad_ids; d->nallow_gids = 2)
REFUSED(too_many_allowed_services, MOS_EINVAL, P "allow.services",
	d->allow_services = names65)
REFUSED(bad_allowed_service, MOS_EINVAL, P "allow.services[1]",
	d->allow_services = bad_names)
REFUSED(encryption_cost_over_a_second, MOS_EINVAL, P "encryption_cost",
	d->encryption_cost = MOS_SEC + 1)
REFUSED(backends_on_a_user_service, MOS_EINVAL, P "backends",
	d->backends = one_backend)
REFUSED(load_balancer_without_backends, MOS_EINVAL, P "backends",
	d->type = MOS_SVC_LOADBALANCER; d->command = NULL; d->instances = 0)
REFUSED(load_balancer_with_too_many_backends, MOS_EINVAL, P "backends",
	d->type = MOS_SVC_LOADBALANCER; d->command = NULL; d->instances = 0;
	d->backends = names65)
REFUSED(load_balancer_with_a_command, MOS_EINVAL, P "command",
	d->type = MOS_SVC_LOADBALANCER; d->instances = 0;
	d->backends = one_backend)
REFUSED(load_balancer_with_instances, MOS_EINVAL, P "instances",
	d->type = MOS_SVC_LOADBALANCER; d->command = NULL;
	d->backends = one_backend)
REFUSED(empty_tag_backend, MOS_EINVAL, P "backends[1]",
	d->type = MOS_SVC_LOADBALANCER; d->command = NULL; d->instances = 0;
	d->backends = bad_backend)
REFUSED(backend_itself, MOS_EINVAL, P "backends[0]",
	d->type = MOS_SVC_LOADBALANCER; d->command = NULL; d->instances = 0;
	d->backends = self_backend)
REFUSED(load_balancer_weights_per_backend, MOS_EINVAL, P "weights",
	d->type = MOS_SVC_LOADBALANCER; d->command = NULL; d->instances = 0;
	d->backends = one_backend; d->weights = w3; d->nweights = 2)

/* A batch whose second descriptor is bad registers neither. */
Test(svc_rtdesc, a_bad_field_in_a_batch_registers_nothing)
{
	mos_kernel_t *k = kernel();
	mos_service_descriptor_t d[2] = {t_desc("a", t_idle_cmd),
					 t_desc("b", t_idle_cmd)};
	mos_service_id_t ids[2] = {0, 0};
	mos_error_t err;

	d[1].readiness_probe.kind = MOS_PROBE_PING;
	d[1].readiness_probe.timeout = 11 * MOS_SEC;
	cr_assert_eq(mos_service_register_batch(k, 0, d, 2, ids, &err),
		     MOS_EINVAL);
	cr_expect_str_eq(err.path, "services[1].readiness_probe.timeout");
	cr_expect_eq(t_nservices(k), 0);
	cr_expect_eq(ids[0], 0);
	mos_kernel_destroy(k);
}

/* ---- JSON --------------------------------------------------------------- */

Test(svc_rtdesc, json_round_trips_every_key)
{
	mos_kernel_t *k = kernel();
	mos_service_id_t ids[2] = {0, 0};
	mos_service_info_t in;
	mos_error_t err;
	size_t n = 0;

	cr_assert_eq(mos_service_load_json(k, 0, DATA "all.json", ids, 2, &n,
					   &err), 0, "%s", err.message);
	cr_assert_eq(n, 2);
	cr_assert_eq(mos_service_info(k, ids[0], &in), 0);
	cr_expect_str_eq(in.name, "web");
	cr_expect_eq(in.instances, 3);
	cr_expect_eq(in.balance, MOS_LB_WEIGHTED);
	cr_assert_eq(in.nweights, 3);
	cr_expect_eq(in.weights[0], 5);
	cr_expect_eq(in.weights[1], 1);
	cr_expect_eq(in.weights[2], 1);
	cr_expect_eq(in.vnodes, 40);
	cr_expect_eq(in.liveness_probe.kind, MOS_PROBE_PING);
	cr_expect_null(in.liveness_probe.command);
	cr_expect_eq(in.liveness_probe.initial_delay, 2 * MOS_SEC);
	cr_expect_eq(in.liveness_probe.interval, 500 * MOS_MSEC);
	cr_expect_eq(in.liveness_probe.timeout, 200 * MOS_MSEC);
	cr_expect_eq(in.liveness_probe.failure_threshold, 4);
	cr_expect_eq(in.liveness_probe.success_threshold, 2);
	cr_expect_eq(in.readiness_probe.kind, MOS_PROBE_EXEC);
	cr_expect_str_eq(in.readiness_probe.command[0], "idle");
	cr_expect_str_eq(in.readiness_probe.command[1], "probe");
	cr_expect_null(in.readiness_probe.command[2]);
	cr_expect_eq(in.readiness_probe.initial_delay, 0);
	cr_expect_eq(in.readiness_probe.interval, MOS_SEC);
	cr_expect_eq(in.readiness_probe.timeout, MOS_SEC);
	cr_expect_eq(in.readiness_probe.failure_threshold, 3);
	cr_expect_eq(in.readiness_probe.success_threshold, 1);
	cr_expect_eq(in.importance, MOS_IMP_CRITICAL);
	cr_expect_eq(in.retry, true);
	cr_assert_eq(in.nallow_uids, 2);
	cr_expect_eq(in.allow_uids[0], 0);
	cr_expect_eq(in.allow_uids[1], 1000);
	cr_assert_eq(in.nallow_gids, 1);
	cr_expect_eq(in.allow_gids[0], 100);
	cr_assert_eq(in.nallow_services, 2);
	cr_expect_str_eq(in.allow_services[0], "front");
	cr_expect_str_eq(in.allow_services[1], "tag-less");
	cr_expect_eq(in.encrypted, true);
	cr_expect_eq(in.encryption_cost, 50 * MOS_USEC);
	cr_expect_eq(in.request_timeout_ms, 250);
	cr_assert_eq(mos_service_info(k, ids[1], &in), 0);
	cr_expect_str_eq(in.name, "front");
	cr_expect_eq(in.type, MOS_SVC_LOADBALANCER);
	cr_expect_null(in.command);
	cr_expect_eq(in.instances, 0);
	cr_expect_eq(in.balance, MOS_LB_CONSISTENT_HASH);
	cr_assert_eq(in.nbackends, 2);
	cr_expect_str_eq(in.backends[0], "web");
	cr_expect_str_eq(in.backends[1], "tag:api");
	cr_assert_eq(in.nweights, 2);
	cr_expect_eq(in.weights[0], 3);
	cr_expect_eq(in.weights[1], 1);
	cr_expect_eq(in.vnodes, 160);
	cr_expect_eq(in.encryption_cost, MOS_SVC_ENCRYPTION_COST_DEFAULT);
	mos_kernel_destroy(k);
}

/* Load json through a temporary file: the rc, err filled; nothing may be
 * registered when it fails. */
static int load_text(const char *json, mos_error_t *err)
{
	mos_kernel_t *k = kernel();
	char path[] = "/tmp/mos-rtdesc-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int rc;

	cr_assert_not_null(f, "temporary service file");
	fputs(json, f);
	fclose(f);
	rc = mos_service_load_json(k, 0, path, NULL, 0, NULL, err);
	unlink(path);
	if (rc)
		cr_expect_eq(t_nservices(k), 0, "a failed load registered");
	mos_kernel_destroy(k);
	return rc;
}

/* A list of two: a good service, then {"name": "b", "command": ["idle"],
 * FIELDS}; the load must fail with code at path. */
static void json_fails(const char *fields, int code, const char *path)
{
	char json[2048];
	mos_error_t err;
	int rc;

	snprintf(json, sizeof(json),
		 "{\"services\": [{\"name\": \"a\", \"command\": [\"idle\"]},"
		 " {\"name\": \"b\", \"command\": [\"idle\"], %s}]}", fields);
	rc = load_text(json, &err);
	cr_assert_eq(rc, code, "%s: %s, want %s (%s)", fields, mos_err_name(rc),
		     mos_err_name(code), err.message);
	cr_expect_str_eq(err.path, path, "%s: path %s (%s)", fields, err.path,
			 err.message);
}

Test(svc_rtdesc, json_type_errors_name_their_paths)
{
	json_fails("\"balance\": \"fastest\"", MOS_ECONFIG, "services[1].balance");
	json_fails("\"balance\": 3", MOS_ECONFIG, "services[1].balance");
	json_fails("\"weights\": [1, \"x\"]", MOS_ECONFIG,
		   "services[1].weights[1]");
	json_fails("\"weights\": 5", MOS_ECONFIG, "services[1].weights");
	json_fails("\"vnodes\": -1", MOS_ECONFIG, "services[1].vnodes");
	json_fails("\"liveness_probe\": {\"interval\": 5}", MOS_ECONFIG,
		   "services[1].liveness_probe.kind");
	json_fails("\"liveness_probe\": {\"kind\": \"tcp\"}", MOS_ECONFIG,
		   "services[1].liveness_probe.kind");
	json_fails("\"liveness_probe\": {\"kind\": \"ping\", \"period\": 5}",
		   MOS_ECONFIG, "services[1].liveness_probe.period");
	json_fails("\"readiness_probe\": {\"kind\": \"ping\", \"interval\": \"x\"}",
		   MOS_ECONFIG, "services[1].readiness_probe.interval");
	json_fails("\"readiness_probe\": []", MOS_ECONFIG,
		   "services[1].readiness_probe");
	json_fails("\"importance\": \"urgent\"", MOS_ECONFIG,
		   "services[1].importance");
	json_fails("\"retry\": 1", MOS_ECONFIG, "services[1].retry");
	json_fails("\"allow\": {\"users\": [1]}", MOS_ECONFIG,
		   "services[1].allow.users");
	json_fails("\"allow\": {\"uids\": [1, -2]}", MOS_ECONFIG,
		   "services[1].allow.uids[1]");
	json_fails("\"allow\": {\"services\": [\"x\", 3]}", MOS_ECONFIG,
		   "services[1].allow.services[1]");
	json_fails("\"encrypted\": \"yes\"", MOS_ECONFIG, "services[1].encrypted");
	json_fails("\"encryption_cost\": \"fast\"", MOS_ECONFIG,
		   "services[1].encryption_cost");
	json_fails("\"backends\": \"web\"", MOS_ECONFIG, "services[1].backends");
	json_fails("\"request_timeout\": \"1us\"", MOS_ECONFIG,
		   "services[1].request_timeout");
	json_fails("\"load_balancing\": \"random\"", MOS_ECONFIG,
		   "services[1].load_balancing");
}

Test(svc_rtdesc, json_value_errors_name_their_paths)
{
	json_fails("\"weights\": [1, 1]", MOS_EINVAL, "services[1].weights");
	json_fails("\"weights\": [0]", MOS_EINVAL, "services[1].weights[0]");
	json_fails("\"vnodes\": 10001", MOS_EINVAL, "services[1].vnodes");
	json_fails("\"liveness_probe\": {\"kind\": \"ping\", \"interval\": 100, "
		   "\"timeout\": 101}", MOS_EINVAL,
		   "services[1].liveness_probe.timeout");
	json_fails("\"liveness_probe\": {\"kind\": \"ping\", \"interval\": 0}",
		   MOS_EINVAL, "services[1].liveness_probe.interval");
	json_fails("\"liveness_probe\": {\"kind\": \"exec\"}", MOS_EINVAL,
		   "services[1].liveness_probe.command");
	json_fails("\"liveness_probe\": {\"kind\": \"exec\", \"command\": "
		   "[\"nope\"]}", MOS_ENOPROG,
		   "services[1].liveness_probe.command[0]");
	json_fails("\"readiness_probe\": {\"kind\": \"ping\", "
		   "\"failure_threshold\": 0}", MOS_EINVAL,
		   "services[1].readiness_probe.failure_threshold");
	json_fails("\"allow\": {\"services\": [\"ok\", \"no way\"]}", MOS_EINVAL,
		   "services[1].allow.services[1]");
	json_fails("\"encryption_cost\": \"2s\"", MOS_EINVAL,
		   "services[1].encryption_cost");
	json_fails("\"backends\": [\"a\"]", MOS_EINVAL, "services[1].backends");
}

Test(svc_rtdesc, json_load_balancer_errors_name_their_paths)
{
	mos_error_t err;

	cr_expect_eq(load_text("{\"name\": \"lb\", \"type\": "
			       "\"LoadBalancerService\"}", &err), MOS_EINVAL);
	cr_expect_str_eq(err.path, "backends");
	cr_expect_eq(load_text("{\"name\": \"lb\", \"type\": "
			       "\"LoadBalancerService\", \"backends\": "
			       "[\"a\", \"tag:\"]}", &err), MOS_EINVAL);
	cr_expect_str_eq(err.path, "backends[1]");
	cr_expect_eq(load_text("{\"name\": \"lb\", \"type\": "
			       "\"LoadBalancerService\", \"backends\": [\"a\"], "
			       "\"command\": [\"idle\"]}", &err), MOS_EINVAL);
	cr_expect_str_eq(err.path, "command");
	cr_expect_eq(load_text("{\"name\": \"lb\", \"type\": "
			       "\"LoadBalancerService\", \"backends\": [\"a\"], "
			       "\"liveness_probe\": {\"kind\": \"ping\"}}", &err),
		     MOS_EINVAL);
	cr_expect_str_eq(err.path, "liveness_probe.kind");
	cr_expect_eq(load_text("{\"name\": \"lb\", \"type\": "
			       "\"LoadBalancerService\", \"backends\": [\"a\"]}",
			       &err), 0);
}

/* Nothing to spawn: a load balancer is Running at the start's instant
 * and Stopped at the stop's (what it routes is the runtime's). */
Test(svc_rtdesc, a_load_balancer_starts_and_stops_without_processes)
{
	static const char *const backends[] = {"web", NULL};
	mos_kernel_t *k = kernel();
	mos_service_descriptor_t d = t_desc("front", NULL);
	mos_service_status_t st;
	mos_service_id_t id;

	d.type = MOS_SVC_LOADBALANCER;
	d.instances = 0;
	d.backends = backends;
	id = t_reg(k, &d);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MOS_SEC), 0);
	st = t_status(k, id);
	cr_expect_eq(st.state, MOS_SVC_RUNNING);
	cr_expect_eq(st.since, 0);
	cr_expect_eq(st.ninstances, 0);
	cr_assert_eq(mos_service_stop(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, 2 * MOS_SEC), 0);
	st = t_status(k, id);
	cr_expect_eq(st.state, MOS_SVC_STOPPED);
	cr_expect_eq(st.since, MOS_SEC);
	mos_kernel_destroy(k);
}

/* encryption_cost 0 takes the kernel's ipc.encryption_cost_us, resolved at
 * registration; a descriptor's own cost wins. */
Test(svc_rtdesc, encryption_cost_defaults_to_the_config_key)
{
	mos_config_t c;
	mos_kernel_t *k;
	mos_service_descriptor_t d = t_desc("sealed", probe_cmd);
	mos_service_descriptor_t own = t_desc("own", probe_cmd);
	mos_service_info_t in;

	mos_config_default(&c);
	cr_expect_eq(c.ipc.encryption_cost_us, 20);
	c.ipc.encryption_cost_us = 0;
	cr_expect_eq(mos_config_validate(&c, NULL), MOS_ECONFIG);
	c.ipc.encryption_cost_us = 1000001;
	cr_expect_eq(mos_config_validate(&c, NULL), MOS_ECONFIG);
	c.ipc.encryption_cost_us = 75;
	cr_assert_eq(mos_config_validate(&c, NULL), 0);
	k = t_kernel(&c);
	d.encrypted = true;
	own.encrypted = true;
	own.encryption_cost = 5 * MOS_USEC;
	mos_service_id_t a = t_reg(k, &d), b = t_reg(k, &own);
	cr_assert_eq(mos_service_info(k, a, &in), 0);
	cr_expect_eq(in.encryption_cost, 75 * MOS_USEC);
	cr_assert_eq(mos_service_info(k, b, &in), 0);
	cr_expect_eq(in.encryption_cost, 5 * MOS_USEC);
	mos_kernel_destroy(k);
}
