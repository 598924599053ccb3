/*
 * multios/config.h - kernel configuration.
 *
 * mos_config_t is a plain struct.  Start from mos_config_default(), which
 * fills in the defaults the MultiOS documentation gives, then change fields or
 * overlay a JSON file with mos_config_load_json().  The kernel copies the
 * struct at creation; later changes to the caller's copy have no effect.
 *
 * JSON form (every key optional; unknown keys are errors):
 *
 *   {
 *     "max_processes": 65536,
 *     "max_service_processes": 1024,
 *     "default_stack_size": 8388608,
 *     "default_memory_limit": 268435456,
 *     "default_file_descriptor_limit": 1024,
 *     "enable_process_accounting": true,
 *     "enable_resource_monitoring": true,
 *     "service_timeout_ms": 30000,
 *     "grace_period_ms": 5000,
 *     "emergency_termination_timeout_ms": 10000,
 *     "seed": 1,
 *     "host_stack_size": 65536,
 *     "stack_guard_pages": false,
 *     "context_backend": "auto",
 *     "history_size": 1024,
 *     "trace_capacity": 4096,
 *     "scheduler": { "policy": "multios", "time_slice_ms": 10 },
 *     "clock": { "backend": "virtual", "speed": 1.0 }
 *   }
 */
#ifndef MULTIOS_CONFIG_H
#define MULTIOS_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "types.h"

#define MOS_POLICY_NAME_LEN 32
#define MOS_BACKEND_NAME_LEN 16

typedef struct mos_config {
	/* The MultiOS documentation's ProcessManagerConfig, same defaults. */
	uint32_t max_processes;                 /* 65536, init included */
	uint32_t max_service_processes;         /* 1024 */
	uint64_t default_stack_size;            /* 8 MiB (simulated limit) */
	uint64_t default_memory_limit;          /* 256 MiB */
	uint32_t default_file_descriptor_limit; /* 1024 */
	bool enable_process_accounting;         /* true */
	bool enable_resource_monitoring;        /* true */
	uint32_t service_timeout_ms;            /* 30000 */
	uint32_t grace_period_ms;               /* 5000 */
	uint32_t emergency_termination_timeout_ms; /* 10000 */

	/* Simulator settings. */
	uint64_t seed;             /* kernel PRNG seed; 1 */
	uint32_t host_stack_size;  /* bytes of host stack per coroutine; 64 KiB
				      (256 KiB under AddressSanitizer) */
	bool stack_guard_pages;    /* a PROT_NONE page below each stack; false
				      (the canary check is always on) */
	char context_backend[MOS_BACKEND_NAME_LEN]; /* "auto", "ucontext" */
	uint32_t history_size;     /* reaped processes kept for queries; 1024 */
	uint32_t trace_capacity;   /* events kept in the trace ring; 4096 */
	char sched_policy[MOS_POLICY_NAME_LEN];     /* "multios" */
	mos_time_t time_slice;     /* base time slice, ns; 10 ms */
	char clock_backend[MOS_BACKEND_NAME_LEN];   /* "virtual", "realtime" */
	double clock_speed;        /* realtime only: virtual s per wall s; 1.0 */
} mos_config_t;

/* Fill *cfg with the defaults above.  Never fails. */
MOS_API void mos_config_default(mos_config_t *cfg);

/*
 * Check every field of *cfg for range and consistency.
 * Errors: MOS_EINVAL (cfg NULL), MOS_ECONFIG (a field out of range; err, if
 * not NULL, names the field by its JSON path).
 */
MOS_API int mos_config_validate(const mos_config_t *cfg, mos_error_t *err);

/*
 * Overlay the JSON file at path onto *cfg.  Keys absent from the file keep
 * the value *cfg had.  On any error *cfg is left exactly as it was.
 * Errors: MOS_EINVAL (NULL path or cfg), MOS_EIO (file unreadable),
 * MOS_ECONFIG (syntax error: err names file:line:column; unknown key, wrong
 * type or value out of range: err names the file and the key's JSON path).
 */
MOS_API int mos_config_load_json(const char *path, mos_config_t *cfg,
				 mos_error_t *err);

#endif
