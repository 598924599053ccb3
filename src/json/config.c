/*
 * src/json/config.c - kernel configuration: defaults, validation, JSON overlay.
 *
 * mos_config_default() is the single place the documented defaults live.
 * mos_config_validate() holds every range rule, so a struct filled in code
 * and one read from JSON pass the same checks; the JSON getters only check
 * type and that a value fits its field.  Errors name the field by its JSON
 * path even when the struct did not come from a file.  The scheduler rules
 * are shared with the workload loader through config_int.h, each loader
 * passing its own spelling of the keys.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config_int.h"
#include "util/alloc.h"
#include "util/error_int.h"
#include "jsonload.h"
#include "multios/config.h"
#include "sim/hal/clock.h"
#include "sim/hal/ctx.h"

/* AddressSanitizer's redzones make frames much bigger, so coroutines need
 * more host stack.  GCC says so with __SANITIZE_ADDRESS__, clang with
 * __has_feature; the Makefile's SAN=1 build also passes MOS_SANITIZE. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONFIG_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(CONFIG_ASAN) || \
	(defined(MOS_SANITIZE) && MOS_SANITIZE)
#define DEFAULT_HOST_STACK_SIZE (256u * 1024u)
#else
#define DEFAULT_HOST_STACK_SIZE (64u * 1024u)
#endif

#define MAX_PROCESSES_LIMIT 1048576u
#define STRIDE_MAX_QUANTUM ((mos_time_t)1 << 43)
#define MIN_HOST_STACK_SIZE (16u * 1024u)
#define MAX_HOST_STACK_SIZE (1024u * 1024u * 1024u)

/* Source named in errors from mos_config_validate() (no file). */
#define VALIDATE_SOURCE "config"

void mos_sched_params_default(mos_sched_params_t *p)
{
	/* Zero first so padding is deterministic: callers may memcmp. */
	memset(p, 0, sizeof(*p));
	snprintf(p->policy, sizeof(p->policy), "multios");
	p->time_slice = 10 * MOS_MSEC;
	p->tick = MOS_MSEC;
	p->switch_cost = 0;
	p->preemptive = true;
	p->aging = 0;
	p->queues = 3;
	p->boost = 0;
	p->io_bump = false;
	p->stay = false;
	p->seed = 0;
	p->min_granularity = 750 * MOS_USEC;
	p->target_latency = 6 * MOS_MSEC;
}

void mos_config_default(mos_config_t *cfg)
{
	/* Zero first so padding is deterministic: callers may memcmp. */
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_processes = 65536;
	cfg->max_service_processes = 1024;
	cfg->default_stack_size = 8u * 1024 * 1024;
	cfg->default_memory_limit = 256u * 1024 * 1024;
	cfg->default_file_descriptor_limit = 1024;
	cfg->enable_process_accounting = true;
	cfg->enable_resource_monitoring = true;
	cfg->service_timeout_ms = 30000;
	cfg->grace_period_ms = 5000;
	cfg->emergency_termination_timeout_ms = 10000;
	cfg->seed = 1;
	cfg->host_stack_size = DEFAULT_HOST_STACK_SIZE;
	cfg->stack_guard_pages = false;
	snprintf(cfg->context_backend, sizeof(cfg->context_backend), "auto");
	cfg->history_size = 1024;
	cfg->trace_capacity = 4096;
	mos_sched_params_default(&cfg->sched);
	snprintf(cfg->clock_backend, sizeof(cfg->clock_backend), "virtual");
	cfg->clock_speed = 1.0;
	mos__res_params_default(&cfg->res);
	cfg->ipc.mailbox_capacity = 64;
	cfg->ipc.encryption_cost_us = 20;
}

/* ---- validation ---- */

/* uint32_t fields with a range.  history_size needs no row: any value,
 * 0 included, is valid. */
static const struct range {
	const char *path;
	size_t offset;
	uint32_t min, max;
} ranges[] = {
	/* init takes one slot, so at least one more for a real process */
	{"max_processes", offsetof(mos_config_t, max_processes), 2,
	 MAX_PROCESSES_LIMIT},
	{"host_stack_size", offsetof(mos_config_t, host_stack_size),
	 MIN_HOST_STACK_SIZE, MAX_HOST_STACK_SIZE},
	{"trace_capacity", offsetof(mos_config_t, trace_capacity), 1,
	 UINT32_MAX},
	{"ipc.mailbox_capacity", offsetof(mos_config_t, ipc.mailbox_capacity),
	 1, 65536},
	{"ipc.encryption_cost_us",
	 offsetof(mos_config_t, ipc.encryption_cost_us), 1, 1000000},
};

/* Name fields: non-empty and NUL-terminated inside their buffer (a struct
 * filled in code may not be).  scheduler.policy is checked with the other
 * scheduler rules. */
static const struct name {
	const char *path;
	size_t offset;
	size_t size;
} names[] = {
	{"context_backend", offsetof(mos_config_t, context_backend),
	 MOS_BACKEND_NAME_LEN},
	{"clock.backend", offsetof(mos_config_t, clock_backend),
	 MOS_BACKEND_NAME_LEN},
};

static int check_range(const mos_config_t *cfg, const struct range *r,
		       const char *src, mos_error_t *err)
{
	uint32_t v;

	memcpy(&v, (const char *)cfg + r->offset, sizeof(v));
	if (v >= r->min && v <= r->max)
		return 0;
	if (r->max == UINT32_MAX)
		return mos__error_path(err, MOS_ECONFIG, src, r->path,
				       "must be at least %lu",
				       (unsigned long)r->min);
	return mos__error_path(err, MOS_ECONFIG, src, r->path,
			       "must be between %lu and %lu",
			       (unsigned long)r->min, (unsigned long)r->max);
}

static int check_name(const mos_config_t *cfg, const struct name *n,
		      const char *src, mos_error_t *err)
{
	const char *s = (const char *)cfg + n->offset;

	if (!memchr(s, '\0', n->size))
		return mos__error_path(err, MOS_ECONFIG, src, n->path,
				       "must be at most %zu characters",
				       n->size - 1);
	if (s[0] == '\0')
		return mos__error_path(err, MOS_ECONFIG, src, n->path,
				       "must not be empty");
	return 0;
}

/* A backend name the HAL knows; the message lists the known ones. */
static int check_backend(bool known, const char *name,
			 const char *const *all, const char *extra,
			 const char *src, const char *path, mos_error_t *err)
{
	char list[128] = "";
	size_t used = 0;

	if (known)
		return 0;
	for (; *all && used < sizeof(list); all++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
					 " %s", *all);
	return mos__error_path(err, MOS_ECONFIG, src, path,
			       "unknown backend '%s' (known:%s%s)", name,
			       extra, list);
}

/* Rules that relate fields or are not plain integer ranges. */
static int check_other(const mos_config_t *cfg, const char *src,
		       mos_error_t *err)
{
	const mos_allocator_t *a = &cfg->alloc;

	if (!mos__alloc_valid(a))
		return mos__error_path(err, MOS_ECONFIG, src, "alloc",
				       "malloc, realloc and free must be all "
				       "set or all NULL (malloc %s, realloc "
				       "%s, free %s)", a->malloc ? "set" : "NULL",
				       a->realloc ? "set" : "NULL",
				       a->free ? "set" : "NULL");
	if (cfg->max_service_processes > cfg->max_processes)
		return mos__error_path(err, MOS_ECONFIG, src,
				       "max_service_processes",
				       "must not exceed max_processes (%lu)",
				       (unsigned long)cfg->max_processes);
	if (!(isfinite(cfg->clock_speed) && cfg->clock_speed > 0))
		return mos__error_path(err, MOS_ECONFIG, src, "clock.speed",
				       "must be a finite number above 0");
	/* "auto" is always known: it falls back to the first backend. */
	if (check_backend(mos__ctx_backend_find(cfg->context_backend) != NULL,
			  cfg->context_backend, mos__ctx_backend_names(),
			  " auto", src, "context_backend", err))
		return MOS_ECONFIG;
	return check_backend(mos__clock_backend_find(cfg->clock_backend) != NULL,
			     cfg->clock_backend, mos__clock_backend_names(), "",
			     src, "clock.backend", err);
}

/* ---- scheduler parameters (shared with workload.c) ---- */

/* How the config file spells the scheduler fields. */
static const mos_sched_keys_t config_keys = {
	.policy = "scheduler.policy",
	.time_slice = "scheduler.time_slice_ms",
	.tick = "scheduler.tick_ms",
	.queues = "scheduler.queues",
	.quanta = "scheduler.quanta_ms",
	.allotments = "scheduler.allotments",
	.min_granularity = "scheduler.min_granularity_ms",
	.target_latency = "scheduler.target_latency_ms",
	.draw = "scheduler.draw",
	.draw_skip = "scheduler.draw_skip",
	.seed_words = "scheduler.seed_words",
};

/* "unknown policy 'x' (known: a, b, ...)": the list is cut short, never
 * overrun, if it outgrows the message. */
static int unknown_policy(const char *name, const char *key, const char *src,
			  mos_error_t *err)
{
	const char *const *known = mos_sched_policies();
	char list[MOS_ERROR_TEXT_LEN] = "";
	size_t len = 0;
	int n;

	for (; known && *known && len < sizeof(list); known++) {
		n = snprintf(list + len, sizeof(list) - len, "%s%s",
			     len ? ", " : "", *known);
		if (n < 0)
			break;
		len += (size_t)n;
	}
	return mos__error_path(err, MOS_ECONFIG, src, key,
			       "unknown policy '%s' (known: %s)", name, list);
}

static int check_policy(const mos_sched_params_t *p, const char *key,
			const char *src, mos_error_t *err)
{
	const char *const *known = mos_sched_policies();

	/* A struct filled in code may lack the terminator. */
	if (!memchr(p->policy, '\0', sizeof(p->policy)))
		return mos__error_path(err, MOS_ECONFIG, src, key,
				       "must be at most %zu characters",
				       sizeof(p->policy) - 1);
	if (p->policy[0] == '\0')
		return mos__error_path(err, MOS_ECONFIG, src, key,
				       "must not be empty");
	for (; known && *known; known++)
		if (strcmp(p->policy, *known) == 0)
			return 0;
	return unknown_policy(p->policy, key, src, err);
}

/* A per-queue list has no entries (the policy's default) or one per
 * queue. */
static int check_count(uint32_t n, uint32_t queues, const char *key,
		       const char *src, mos_error_t *err)
{
	if (n == 0 || n == queues)
		return 0;
	return mos__error_path(err, MOS_ECONFIG, src, key,
			       "has %lu entries but queues is %lu",
			       (unsigned long)n, (unsigned long)queues);
}

/* Report entry i of the list at key as zero. */
static int zero_entry(const char *key, uint32_t i, const char *src,
		      mos_error_t *err)
{
	char path[MOS_ERROR_PATH_LEN];

	snprintf(path, sizeof(path), "%s[%lu]", key, (unsigned long)i);
	return mos__error_path(err, MOS_ECONFIG, src, path,
			       "must be above 0");
}

/* mlfq's levels and per-level lists.  queues is checked first, so a list
 * whose count matches it fits its array. */
static int check_queues(const mos_sched_params_t *p,
			const mos_sched_keys_t *k, const char *src,
			mos_error_t *err)
{
	uint32_t i;
	int rc;

	if (p->queues < 1 || p->queues > MOS_MLFQ_MAX_QUEUES)
		return mos__error_path(err, MOS_ECONFIG, src, k->queues,
				       "must be between 1 and %d",
				       MOS_MLFQ_MAX_QUEUES);
	if ((rc = check_count(p->nquanta, p->queues, k->quanta, src, err)))
		return rc;
	for (i = 0; i < p->nquanta; i++)
		if (p->quanta[i] == 0)
			return zero_entry(k->quanta, i, src, err);
	if ((rc = check_count(p->nallotments, p->queues, k->allotments, src,
			      err)))
		return rc;
	for (i = 0; i < p->nallotments; i++)
		if (p->allotments[i] == 0)
			return zero_entry(k->allotments, i, src, err);
	return 0;
}

/* Times with a lower bound.  tick comes before time_slice: a workload's
 * quantum is a multiple of its tick, so a zero tick is the root cause. */
static int check_times(const mos_sched_params_t *p,
		       const mos_sched_keys_t *k, const char *src,
		       mos_error_t *err)
{
	if (p->tick < MOS_NSEC)
		return mos__error_path(err, MOS_ECONFIG, src, k->tick,
				       "must be at least 1 ns");
	if (p->time_slice < MOS_USEC)
		return mos__error_path(err, MOS_ECONFIG, src, k->time_slice,
				       "must be at least 1 us");
	/* stride's exact pass arithmetic needs quantum x 2^20 to fit 64 bits
	 * (src/sched/stride.c). */
	if (!strcmp(p->policy, "stride") && p->time_slice >= STRIDE_MAX_QUANTUM)
		return mos__error_path(err, MOS_ECONFIG, src, k->time_slice,
				       "must be below 2^43 ns (2.4 hours) "
				       "under stride");
	if (p->min_granularity == 0)
		return mos__error_path(err, MOS_ECONFIG, src,
				       k->min_granularity, "must be above 0");
	if (p->target_latency < p->min_granularity)
		return mos__error_path(
			err, MOS_ECONFIG, src, k->target_latency,
			"must be at least min_granularity (%llu ns)",
			(unsigned long long)p->min_granularity);
	return 0;
}

/* lottery's draw and what only its ostep variant reads. */
static int check_draw(const mos_sched_params_t *p, const mos_sched_keys_t *k,
		      const char *src, mos_error_t *err)
{
	if (p->lottery_draw > MOS_LOTTERY_OSTEP)
		return mos__error_path(err, MOS_ECONFIG, src, k->draw,
				       "must be %d (tree) or %d (ostep)",
				       MOS_LOTTERY_TREE, MOS_LOTTERY_OSTEP);
	if (p->nseed_words > MOS_LOTTERY_SEED_WORDS)
		return mos__error_path(err, MOS_ECONFIG, src, k->seed_words,
				       "must have at most %d entries",
				       MOS_LOTTERY_SEED_WORDS);
	if (p->draw_skip > MOS_LOTTERY_MAX_SKIP)
		return mos__error_path(err, MOS_ECONFIG, src, k->draw_skip,
				       "must be at most %u",
				       MOS_LOTTERY_MAX_SKIP);
	if (p->lottery_draw == MOS_LOTTERY_TREE && p->nseed_words)
		return mos__error_path(err, MOS_ECONFIG, src, k->seed_words,
				       "needs the ostep draw");
	if (p->lottery_draw == MOS_LOTTERY_TREE && p->draw_skip)
		return mos__error_path(err, MOS_ECONFIG, src, k->draw_skip,
				       "needs the ostep draw");
	return 0;
}

int mos__sched_params_check(const mos_sched_params_t *p,
			    const mos_sched_keys_t *keys, const char *source,
			    mos_error_t *err)
{
	int rc = check_policy(p, keys->policy, source, err);

	if (!rc)
		rc = check_times(p, keys, source, err);
	if (!rc)
		rc = check_queues(p, keys, source, err);
	if (!rc)
		rc = check_draw(p, keys, source, err);
	return rc;
}

/* Validate, naming src in errors.  Reports the first bad field. */
int mos__config_check(const mos_config_t *cfg, const char *src,
		      mos_error_t *err)
{
	size_t i;
	int rc;

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if ((rc = check_range(cfg, &ranges[i], src, err)) != 0)
			return rc;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((rc = check_name(cfg, &names[i], src, err)) != 0)
			return rc;
	if ((rc = check_other(cfg, src, err)) != 0)
		return rc;
	if ((rc = mos__res_params_check(&cfg->res, src, err)) != 0)
		return rc;
	if ((rc = mos__config_users_check(cfg, src, err)) != 0)
		return rc;
	return mos__sched_params_check(&cfg->sched, &config_keys, src, err);
}

int mos_config_validate(const mos_config_t *cfg, mos_error_t *err)
{
	mos__error_clear(err);
	if (!cfg)
		return mos__error_path(err, MOS_EINVAL, VALIDATE_SOURCE, "",
				       "cfg is NULL");
	return mos__config_check(cfg, VALIDATE_SOURCE, err);
}

/* ---- JSON ---- */

static const char *const top_keys[] = {
	"max_processes", "max_service_processes", "default_stack_size",
	"default_memory_limit", "default_file_descriptor_limit",
	"enable_process_accounting", "enable_resource_monitoring",
	"service_timeout_ms", "grace_period_ms",
	"emergency_termination_timeout_ms", "seed", "host_stack_size",
	"stack_guard_pages", "context_backend", "history_size",
	"trace_capacity", "scheduler", "clock", "resources", "ipc", "users",
	NULL,
};
static const char *const scheduler_keys[] = {
	"policy", "time_slice_ms", "tick_ms", "context_switch_cost_ms",
	"preemptive", "aging_ms", "queues", "quanta_ms", "allotments",
	"boost_ms", "io_bump", "stay", "legacy_boost", "seed",
	"draw", "draw_skip", "seed_words", "min_granularity_ms",
	"target_latency_ms", NULL,
};
static const char *const clock_keys[] = {"backend", "speed", NULL};
static const char *const ipc_keys[] = {"mailbox_capacity",
					"encryption_cost_us", NULL};

/* A uint32_t field: the getter only checks that the value fits; the range
 * is check()'s job, so code-built and file-built configs share one rule. */
static int u32(mos_jload_t *ld, json_t *o, const char *key, uint32_t *out)
{
	return mos__json_get_u32(ld, o, key, 0, UINT32_MAX, out);
}

/* A field of the ranges table, read with that row's bounds, so that the
 * loader's message states the real range (an open-ended one is left to
 * check_range, which says "at least"). */
static int ranged(mos_jload_t *ld, json_t *o, const char *key, mos_config_t *c)
{
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (!strcmp(ranges[i].path, key))
			return mos__json_get_u32(ld, o, key,
						 ranges[i].max == UINT32_MAX
							 ? 0 : ranges[i].min,
						 ranges[i].max,
						 (uint32_t *)((char *)c +
							      ranges[i].offset));
	return mos__json_fail(ld, MOS_ECONFIG, "%s: no range", key);
}

static int read_numbers(mos_jload_t *ld, json_t *o, mos_config_t *c)
{
	int rc = ranged(ld, o, "max_processes", c);

	if (!rc)
		rc = u32(ld, o, "max_service_processes",
			 &c->max_service_processes);
	if (!rc)
		rc = mos__json_get_u64(ld, o, "default_stack_size",
				       &c->default_stack_size);
	if (!rc)
		rc = mos__json_get_u64(ld, o, "default_memory_limit",
				       &c->default_memory_limit);
	if (!rc)
		rc = u32(ld, o, "default_file_descriptor_limit",
			 &c->default_file_descriptor_limit);
	if (!rc)
		rc = u32(ld, o, "service_timeout_ms", &c->service_timeout_ms);
	if (!rc)
		rc = u32(ld, o, "grace_period_ms", &c->grace_period_ms);
	if (!rc)
		rc = u32(ld, o, "emergency_termination_timeout_ms",
			 &c->emergency_termination_timeout_ms);
	if (!rc)
		rc = mos__json_get_u64(ld, o, "seed", &c->seed);
	if (!rc)
		rc = ranged(ld, o, "host_stack_size", c);
	if (!rc)
		rc = u32(ld, o, "history_size", &c->history_size);
	if (!rc)
		rc = ranged(ld, o, "trace_capacity", c);
	return rc;
}

static int read_flags(mos_jload_t *ld, json_t *o, mos_config_t *c)
{
	int rc = mos__json_get_bool(ld, o, "enable_process_accounting",
				    &c->enable_process_accounting);

	if (!rc)
		rc = mos__json_get_bool(ld, o, "enable_resource_monitoring",
					&c->enable_resource_monitoring);
	if (!rc)
		rc = mos__json_get_bool(ld, o, "stack_guard_pages",
					&c->stack_guard_pages);
	if (!rc)
		rc = mos__json_get_string(ld, o, "context_backend",
					  c->context_backend,
					  sizeof(c->context_backend));
	return rc;
}

/* ---- scheduler section ---- */

/* Scheduler durations: JSON milliseconds, nanoseconds in the struct. */
static const mos_json_time_field_t durations[] = {
	{"time_slice_ms", offsetof(mos_sched_params_t, time_slice)},
	{"tick_ms", offsetof(mos_sched_params_t, tick)},
	{"context_switch_cost_ms", offsetof(mos_sched_params_t, switch_cost)},
	{"aging_ms", offsetof(mos_sched_params_t, aging)},
	{"boost_ms", offsetof(mos_sched_params_t, boost)},
	{"min_granularity_ms", offsetof(mos_sched_params_t, min_granularity)},
	{"target_latency_ms", offsetof(mos_sched_params_t, target_latency)},
};

static int get_ms(mos_jload_t *ld, json_t *o, const char *key, uint64_t *out,
		  void *ctx)
{
	(void)ctx;
	return mos__json_get_duration_ms(ld, o, key, out);
}

static int read_durations(mos_jload_t *ld, json_t *o, mos_sched_params_t *s)
{
	return mos__json_get_time_fields(ld, o, durations,
					 sizeof(durations) / sizeof(*durations),
					 s, get_ms, NULL);
}

static int quantum_ms(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	mos_sched_params_t *s = ctx;

	return mos__json_get_duration_ms(ld, v, NULL, &s->quanta[i]);
}

/* Any uint32_t: zero is check()'s to report, for code-built structs too.
 * Shared with the workload loader (config_int.h). */
int mos__sched_allotment(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	mos_sched_params_t *s = ctx;

	return mos__json_get_u32(ld, v, NULL, 0, UINT32_MAX,
				 &s->allotments[i]);
}

static int read_scheduler(mos_jload_t *ld, json_t *o, void *ctx)
{
	mos_sched_params_t *s = &((mos_config_t *)ctx)->sched;
	int rc = mos__json_check_keys(ld, o, scheduler_keys);

	if (!rc)
		rc = mos__json_get_string(ld, o, "policy", s->policy,
					  sizeof(s->policy));
	if (!rc)
		rc = read_durations(ld, o, s);
	if (!rc)
		rc = mos__json_get_bool(ld, o, "preemptive", &s->preemptive);
	if (!rc)
		rc = mos__json_get_bool(ld, o, "io_bump", &s->io_bump);
	if (!rc)
		rc = mos__json_get_bool(ld, o, "stay", &s->stay);
	if (!rc)
		rc = mos__json_get_bool(ld, o, "legacy_boost",
					&s->legacy_boost);
	if (!rc)
		rc = u32(ld, o, "queues", &s->queues);
	if (!rc)
		rc = mos__json_get_u64(ld, o, "seed", &s->seed);
	if (!rc)
		rc = mos__sched_read_lottery(ld, o, s);
	if (!rc)
		rc = mos__json_get_each(ld, o, "quanta_ms", MOS_MLFQ_MAX_QUEUES,
					quantum_ms, s, &s->nquanta);
	if (!rc)
		rc = mos__json_get_each(ld, o, "allotments", MOS_MLFQ_MAX_QUEUES,
					mos__sched_allotment, s,
					&s->nallotments);
	return rc;
}

static int read_clock(mos_jload_t *ld, json_t *o, void *ctx)
{
	mos_config_t *c = ctx;
	int rc = mos__json_check_keys(ld, o, clock_keys);

	if (!rc)
		rc = mos__json_get_string(ld, o, "backend", c->clock_backend,
					  sizeof(c->clock_backend));
	/* Any number here; check() says what a valid speed is. */
	if (!rc)
		rc = mos__json_get_double(ld, o, "speed", -HUGE_VAL, HUGE_VAL,
					  &c->clock_speed);
	return rc;
}

static int read_ipc(mos_jload_t *ld, json_t *o, void *ctx)
{
	mos_config_t *c = ctx;
	int rc = mos__json_check_keys(ld, o, ipc_keys);

	if (!rc)
		rc = mos__json_get_u32(ld, o, "mailbox_capacity", 1, 65536,
				       &c->ipc.mailbox_capacity);
	if (!rc)
		rc = mos__json_get_u32(ld, o, "encryption_cost_us", 1, 1000000,
				       &c->ipc.encryption_cost_us);
	return rc;
}

int mos__config_overlay(mos_jload_t *ld, json_t *root, void *ctx)
{
	mos_config_t *c = ctx;
	int rc = mos__json_check_keys(ld, root, top_keys);

	if (!rc)
		rc = read_numbers(ld, root, c);
	if (!rc)
		rc = read_flags(ld, root, c);
	if (!rc)
		rc = mos__json_section(ld, root, "scheduler", read_scheduler, c);
	if (!rc)
		rc = mos__json_section(ld, root, "clock", read_clock, c);
	if (!rc)
		rc = mos__json_section(ld, root, "resources",
				       mos__res_params_read, c);
	if (!rc)
		rc = mos__json_section(ld, root, "ipc", read_ipc, c);
	if (!rc)
		rc = mos__json_section(ld, root, "users",
				       mos__config_users_read, c);
	return rc;
}

int mos_config_load_json(const char *path, mos_config_t *cfg,
			 mos_error_t *err)
{
	mos_config_t tmp;
	mos_jload_t ld;
	json_t *root;
	int rc;

	mos__error_clear(err);
	if (!path || !cfg)
		return mos__error_path(err, MOS_EINVAL, VALIDATE_SOURCE, "",
				       "path and cfg must not be NULL");
	rc = mos__json_load_file(path, &root, err);
	if (rc)
		return rc;
	/* Work on a copy so that a failure anywhere leaves *cfg as it was. */
	tmp = *cfg;
	mos__jload_init(&ld, path, err);
	rc = mos__config_overlay(&ld, root, &tmp);
	json_decref(root);
	if (!rc)
		rc = mos__config_check(&tmp, path, err);
	if (!rc)
		*cfg = tmp;
	return rc;
}
