/*
 * config.c - kernel configuration: defaults, validation, JSON overlay.
 *
 * mos_config_default() is the single place the documented defaults live.
 * mos_config_validate() holds every range rule, so a struct filled in code
 * and one read from JSON pass the same checks; the JSON getters only check
 * type and that a value fits its field.  Errors name the field by its JSON
 * path even when the struct did not come from a file.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "error_int.h"
#include "jsonload.h"
#include "multios/config.h"

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
#define MIN_HOST_STACK_SIZE (16u * 1024u)
#define MAX_HOST_STACK_SIZE (1024u * 1024u * 1024u)

/* Source named in errors from mos_config_validate() (no file). */
#define VALIDATE_SOURCE "config"

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
	snprintf(cfg->sched_policy, sizeof(cfg->sched_policy), "multios");
	cfg->time_slice = 10 * MOS_MSEC;
	snprintf(cfg->clock_backend, sizeof(cfg->clock_backend), "virtual");
	cfg->clock_speed = 1.0;
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
};

/* Name fields: non-empty and NUL-terminated inside their buffer (a struct
 * filled in code may not be). */
static const struct name {
	const char *path;
	size_t offset;
	size_t size;
} names[] = {
	{"context_backend", offsetof(mos_config_t, context_backend),
	 MOS_BACKEND_NAME_LEN},
	{"scheduler.policy", offsetof(mos_config_t, sched_policy),
	 MOS_POLICY_NAME_LEN},
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

/* Rules that relate fields or are not plain integer ranges. */
static int check_other(const mos_config_t *cfg, const char *src,
		       mos_error_t *err)
{
	if (cfg->max_service_processes > cfg->max_processes)
		return mos__error_path(err, MOS_ECONFIG, src,
				       "max_service_processes",
				       "must not exceed max_processes (%lu)",
				       (unsigned long)cfg->max_processes);
	if (cfg->time_slice < MOS_USEC)
		return mos__error_path(err, MOS_ECONFIG, src,
				       "scheduler.time_slice_ms",
				       "must be at least 0.001 (1 us)");
	if (!(isfinite(cfg->clock_speed) && cfg->clock_speed > 0))
		return mos__error_path(err, MOS_ECONFIG, src, "clock.speed",
				       "must be a finite number above 0");
	return 0;
}

/* Validate, naming src in errors.  Reports the first bad field. */
static int check(const mos_config_t *cfg, const char *src, mos_error_t *err)
{
	size_t i;
	int rc;

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if ((rc = check_range(cfg, &ranges[i], src, err)) != 0)
			return rc;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((rc = check_name(cfg, &names[i], src, err)) != 0)
			return rc;
	return check_other(cfg, src, err);
}

int mos_config_validate(const mos_config_t *cfg, mos_error_t *err)
{
	mos__error_clear(err);
	if (!cfg)
		return mos__error_path(err, MOS_EINVAL, VALIDATE_SOURCE, "",
				       "cfg is NULL");
	return check(cfg, VALIDATE_SOURCE, err);
}

/* ---- JSON ---- */

static const char *const top_keys[] = {
	"max_processes", "max_service_processes", "default_stack_size",
	"default_memory_limit", "default_file_descriptor_limit",
	"enable_process_accounting", "enable_resource_monitoring",
	"service_timeout_ms", "grace_period_ms",
	"emergency_termination_timeout_ms", "seed", "host_stack_size",
	"stack_guard_pages", "context_backend", "history_size",
	"trace_capacity", "scheduler", "clock", NULL,
};
static const char *const scheduler_keys[] = {"policy", "time_slice_ms",
					     NULL};
static const char *const clock_keys[] = {"backend", "speed", NULL};

/* A uint32_t field: the getter only checks that the value fits; the range
 * is check()'s job, so code-built and file-built configs share one rule. */
static int u32(mos_jload_t *ld, json_t *o, const char *key, uint32_t *out)
{
	return mos__json_get_u32(ld, o, key, 0, UINT32_MAX, out);
}

static int read_numbers(mos_jload_t *ld, json_t *o, mos_config_t *c)
{
	int rc = u32(ld, o, "max_processes", &c->max_processes);

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
		rc = u32(ld, o, "host_stack_size", &c->host_stack_size);
	if (!rc)
		rc = u32(ld, o, "history_size", &c->history_size);
	if (!rc)
		rc = u32(ld, o, "trace_capacity", &c->trace_capacity);
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

static int read_scheduler(mos_jload_t *ld, json_t *o, mos_config_t *c)
{
	int rc = mos__json_check_keys(ld, o, scheduler_keys);

	if (!rc)
		rc = mos__json_get_string(ld, o, "policy", c->sched_policy,
					  sizeof(c->sched_policy));
	if (!rc)
		rc = mos__json_get_duration_ms(ld, o, "time_slice_ms",
					       &c->time_slice);
	return rc;
}

static int read_clock(mos_jload_t *ld, json_t *o, mos_config_t *c)
{
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

/* Read the nested object at key with fn, the cursor moved onto it. */
static int read_section(mos_jload_t *ld, json_t *root, const char *key,
			int (*fn)(mos_jload_t *, json_t *, mos_config_t *),
			mos_config_t *c)
{
	json_t *o;
	int rc = mos__json_get_object(ld, root, key, &o);

	if (rc || !o)
		return rc;
	mos__jpath_push_key(&ld->path, key);
	rc = fn(ld, o, c);
	mos__jpath_pop(&ld->path);
	return rc;
}

static int overlay(mos_jload_t *ld, json_t *root, mos_config_t *c)
{
	int rc = mos__json_check_keys(ld, root, top_keys);

	if (!rc)
		rc = read_numbers(ld, root, c);
	if (!rc)
		rc = read_flags(ld, root, c);
	if (!rc)
		rc = read_section(ld, root, "scheduler", read_scheduler, c);
	if (!rc)
		rc = read_section(ld, root, "clock", read_clock, c);
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
	rc = overlay(&ld, root, &tmp);
	json_decref(root);
	if (!rc)
		rc = check(&tmp, path, err);
	if (!rc)
		*cfg = tmp;
	return rc;
}
