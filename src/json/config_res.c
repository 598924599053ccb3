/*
 * src/json/config_res.c - the configuration's "resources" section: the
 * machine's memory, the block device, the system-call cost table and the
 * monitoring settings (multios/config.h, mos_resource_params_t).
 */
#include <stdio.h>
#include <string.h>

#include "config_int.h"
#include "util/error_int.h"

#define MAX_QUEUE_DEPTH 1024
#define MAX_SAMPLES (1u << 20)

static const char *const resource_keys[] = {
	"memory_size", "memory_backing", "device", "syscall_costs_ms",
	"sample_interval_ms", "sample_capacity", "monitor_window_ms", NULL,
};
static const char *const device_keys[] = {
	"latency_ms", "bandwidth", "queue_depth", "scheduler", NULL,
};

static const char *const syscall_names[] = {
#define MOS__SYS_STR(name, str) str,
	MOS_SYSCALL_MAP(MOS__SYS_STR)
#undef MOS__SYS_STR
};

void mos__res_params_default(mos_resource_params_t *r)
{
	memset(r, 0, sizeof(*r));
	r->memory_size = 4ull << 30;
	r->device.latency = 100 * MOS_USEC;
	r->device.bandwidth = 100000000;
	r->device.queue_depth = 1;
	snprintf(r->device.scheduler, sizeof(r->device.scheduler), "fifo");
	r->sample_capacity = 64;
	r->monitor_window = MOS_SEC;
}

static int read_device(mos_jload_t *ld, json_t *o, mos_device_params_t *d)
{
	int rc = mos__json_check_keys(ld, o, device_keys);

	if (!rc)
		rc = mos__json_get_duration_ms(ld, o, "latency_ms", &d->latency);
	if (!rc)
		rc = mos__json_get_u64(ld, o, "bandwidth", &d->bandwidth);
	if (!rc)
		rc = mos__json_get_u32(ld, o, "queue_depth", 0, UINT32_MAX,
				       &d->queue_depth);
	if (!rc)
		rc = mos__json_get_string(ld, o, "scheduler", d->scheduler,
					  sizeof(d->scheduler));
	return rc;
}

/* {"spawn": 0.01, ...}: every key a system call's name. */
static int read_costs(mos_jload_t *ld, json_t *o, mos_resource_params_t *r)
{
	const char *key;
	json_t *v;
	int rc;

	(void)v;
	json_object_foreach (o, key, v) {
		size_t i;

		for (i = 0; i < MOS_SYS_COUNT; i++)
			if (!strcmp(key, syscall_names[i]))
				break;
		if (i == MOS_SYS_COUNT) {
			mos__jpath_push_key(&ld->path, key);
			rc = mos__json_fail(ld, MOS_ECONFIG,
					    "unknown system call '%s'", key);
			mos__jpath_pop(&ld->path);
			return rc;
		}
		if ((rc = mos__json_get_duration_ms(ld, o, key,
						    &r->syscall_cost[i])))
			return rc;
	}
	return 0;
}

static int device_fn(mos_jload_t *ld, json_t *o, void *ctx)
{
	return read_device(ld, o, ctx);
}

static int costs_fn(mos_jload_t *ld, json_t *o, void *ctx)
{
	return read_costs(ld, o, ctx);
}

int mos__res_params_read(mos_jload_t *ld, json_t *o, void *config)
{
	mos_resource_params_t *r = &((mos_config_t *)config)->res;
	int rc = mos__json_check_keys(ld, o, resource_keys);

	if (!rc)
		rc = mos__json_get_u64(ld, o, "memory_size", &r->memory_size);
	if (!rc)
		rc = mos__json_get_bool(ld, o, "memory_backing",
					&r->memory_backing);
	if (!rc)
		rc = mos__json_section(ld, o, "device", device_fn, &r->device);
	if (!rc)
		rc = mos__json_section(ld, o, "syscall_costs_ms", costs_fn,
				       r);
	if (!rc)
		rc = mos__json_get_duration_ms(ld, o, "sample_interval_ms",
					       &r->sample_interval);
	if (!rc)
		rc = mos__json_get_u32(ld, o, "sample_capacity", 0, UINT32_MAX,
				       &r->sample_capacity);
	if (!rc)
		rc = mos__json_get_duration_ms(ld, o, "monitor_window_ms",
					       &r->monitor_window);
	return rc;
}

int mos__res_params_check(const mos_resource_params_t *r, const char *src,
			  mos_error_t *err)
{
	const mos_device_params_t *d = &r->device;
	char path[MOS_ERROR_PATH_LEN];

	if (r->memory_size < 4096)
		return mos__error_path(err, MOS_ECONFIG, src,
				       "resources.memory_size",
				       "must be at least 4096");
	if (d->bandwidth == 0)
		return mos__error_path(err, MOS_ECONFIG, src,
				       "resources.device.bandwidth",
				       "must be at least 1 (bytes per second)");
	/* As a system call's cost: an hour is more than any device means,
	 * and it keeps a queue's times far from MOS_TIME_NEVER. */
	if (d->latency > 3600 * MOS_SEC)
		return mos__error_path(err, MOS_ECONFIG, src,
				       "resources.device.latency",
				       "must be at most 1 hour");
	if (d->queue_depth < 1 || d->queue_depth > MAX_QUEUE_DEPTH)
		return mos__error_path(err, MOS_ECONFIG, src,
				       "resources.device.queue_depth",
				       "must be between 1 and %d",
				       MAX_QUEUE_DEPTH);
	if (!memchr(d->scheduler, '\0', sizeof(d->scheduler)) ||
	    (strcmp(d->scheduler, "fifo") && strcmp(d->scheduler, "priority")))
		return mos__error_path(err, MOS_ECONFIG, src,
				       "resources.device.scheduler",
				       "must be \"fifo\" or \"priority\"");
	/* A cost of MOS_TIME_NEVER could never be paid: the call would
	 * never return.  An hour is more than any experiment means. */
	for (size_t i = 0; i < MOS_SYS_COUNT; i++)
		if (r->syscall_cost[i] > 3600 * MOS_SEC) {
			snprintf(path, sizeof(path),
				 "resources.syscall_costs_ms.%s",
				 syscall_names[i]);
			return mos__error_path(err, MOS_ECONFIG, src, path,
					       "must be at most one hour");
		}
	if (r->sample_capacity < 1 || r->sample_capacity > MAX_SAMPLES)
		return mos__error_path(err, MOS_ECONFIG, src,
				       "resources.sample_capacity",
				       "must be between 1 and %u", MAX_SAMPLES);
	if (r->monitor_window < MOS_MSEC)
		return mos__error_path(err, MOS_ECONFIG, src,
				       "resources.monitor_window_ms",
				       "must be at least 1 ms");
	return 0;
}
