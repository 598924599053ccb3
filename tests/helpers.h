/*
 * tests/helpers.h - small helpers shared by the Criterion tests.
 *
 * Every test builds a fresh kernel on the virtual clock and destroys it, so
 * AddressSanitizer's leak check sees each test whole.
 */
#ifndef MOS_TEST_HELPERS_H
#define MOS_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "multios/multios.h"

#define MS(x) ((mos_time_t)(x) * MOS_MSEC)

static inline mos_kernel_t *t_kernel(const mos_config_t *cfg)
{
	mos_kernel_t *k = NULL;
	int err = mos_kernel_create(cfg, &k, NULL);
	cr_assert_eq(err, 0, "mos_kernel_create: %s", mos_strerror(err));
	return k;
}

static inline mos_process_spec_t t_spec(mos_pid_t parent, mos_priority_t prio,
					const char *const *argv, void *arg)
{
	mos_process_spec_t spec;
	mos_process_spec_init(&spec);
	spec.parent = parent;
	spec.priority = prio;
	spec.command = argv;
	spec.arg = arg;
	return spec;
}

/* Create a process from a NULL-terminated argv with extra spec fields. */
static inline int t_spawn_ex(mos_kernel_t *k, mos_pid_t parent,
			     mos_priority_t prio, mos_prio_class_t cls,
			     const char *const *argv, void *arg, mos_pid_t *pid)
{
	mos_process_spec_t spec = t_spec(parent, prio, argv, arg);
	spec.prio_class = cls;
	return mos_process_create(k, &spec, pid);
}

/* The same with credentials: uid (real, effective, saved) and caps. */
static inline int t_spawn_as(mos_kernel_t *k, mos_pid_t parent,
			     mos_priority_t prio, mos_uid_t uid, uint32_t caps,
			     const char *const *argv, void *arg, mos_pid_t *pid)
{
	mos_process_spec_t spec = t_spec(parent, prio, argv, arg);
	spec.uid = uid;
	spec.caps = caps;
	return mos_process_create(k, &spec, pid);
}

/* Create from a whole spec, which must succeed. */
static inline mos_pid_t t_make(mos_kernel_t *k, const mos_process_spec_t *spec)
{
	mos_pid_t pid = 0;
	int err = mos_process_create(k, spec, &pid);

	cr_assert_eq(err, 0, "create: %s", mos_strerror(err));
	return pid;
}

static inline mos_pid_t t_spawn(mos_kernel_t *k, const char *const *argv)
{
	mos_pid_t pid = 0;
	int err = t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER, argv, NULL,
			     &pid);
	cr_assert_eq(err, 0, "create %s: %s", argv[0], mos_strerror(err));
	return pid;
}

/* Create argv with arg for its program (mos_sys_state): its pid. */
static inline mos_pid_t t_spawn_arg(mos_kernel_t *k, const char *const *argv,
				    void *arg)
{
	mos_pid_t pid = 0;
	int err = t_spawn_ex(k, 0, MOS_PRIO_NORMAL, MOS_CLASS_USER, argv, arg,
			     &pid);
	cr_assert_eq(err, 0, "create %s: %s", argv[0], mos_strerror(err));
	return pid;
}

static inline mos_process_info_t t_info(mos_kernel_t *k, mos_pid_t pid)
{
	mos_process_info_t in;
	int err = mos_process_get_info(k, pid, &in);
	cr_assert_eq(err, 0, "get_info(%d): %s", pid, mos_strerror(err));
	return in;
}

/* A process's usage, the kernel's stats, a group's info: asserted to
 * succeed. */
static inline mos_rusage_t t_usage(mos_kernel_t *k, mos_pid_t pid)
{
	mos_rusage_t u;
	int err = mos_process_get_stats(k, pid, &u);
	cr_assert_eq(err, 0, "get_stats(%d): %s", pid, mos_strerror(err));
	return u;
}

static inline mos_kernel_stats_t t_kstats(mos_kernel_t *k)
{
	mos_kernel_stats_t st;
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	return st;
}

static inline mos_group_info_t t_group(mos_kernel_t *k, mos_group_id_t id)
{
	mos_group_info_t g;
	int err = mos_group_get(k, id, &g);
	cr_assert_eq(err, 0, "group_get(%u): %s", id, mos_strerror(err));
	return g;
}

/* Set pid's soft max_memory and max_stack_size, its other limits kept. */
static inline void t_set_memory_limits(mos_kernel_t *k, mos_pid_t pid,
				       uint64_t mem, uint64_t stack)
{
	mos_rlimits_t l;

	cr_assert_eq(mos_process_get_limits(k, pid, &l, NULL), 0);
	l.max_memory = mem;
	l.max_stack_size = stack;
	cr_assert_eq(mos_process_set_limits(k, pid, &l, NULL), 0);
}

/* Load a workload from JSON text through a temporary file: the loader's
 * rc, with *w and err as the loader leaves them. */
static inline int t_workload_try(const char *json, mos_workload_t **w,
				 mos_error_t *err)
{
	char path[] = "/tmp/mos-wl-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int rc;

	cr_assert_not_null(f, "temporary workload file");
	fputs(json, f);
	fclose(f);
	rc = mos_workload_load_json(path, w, err);
	unlink(path);
	return rc;
}

static inline mos_workload_t *t_workload(const char *json)
{
	mos_workload_t *w = NULL;
	mos_error_t err;
	int rc = t_workload_try(json, &w, &err);

	cr_assert_eq(rc, 0, "load: %s", err.message);
	return w;
}

/* Load and run a workload under its own policy. */
static inline mos_sched_report_t *t_run_workload(const char *json)
{
	mos_workload_t *w = t_workload(json);
	mos_sched_report_t *r = NULL;
	mos_error_t err;
	int rc = mos_sched_run_workload(w, NULL, &r, &err);

	mos_workload_free(w);
	cr_assert_eq(rc, 0, "run: %s", err.message);
	return r;
}

/* Create argv with sched attributes, admitted at start (0: now). */
static inline mos_pid_t t_spawn_attr(mos_kernel_t *k,
				     const mos_sched_attr_t *attr,
				     mos_time_t start, const char *const *argv)
{
	mos_process_spec_t spec;
	mos_pid_t pid = 0;
	int err;

	mos_process_spec_init(&spec);
	spec.command = argv;
	if (attr)
		spec.sched = *attr;
	spec.start_time = start;
	err = mos_process_create(k, &spec, &pid);
	cr_assert_eq(err, 0, "create %s: %s", argv[0], mos_strerror(err));
	return pid;
}

#define T_ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The trace's events of one kind, oldest first, as
 * "subject:cause:a:b@time ..." with the time divided by unit. */
static inline const char *t_trace_kind(mos_kernel_t *k, mos_trace_kind_t kind,
				       mos_time_t unit, char *buf, size_t size)
{
	size_t n = 0, len = 0;
	mos_trace_event_t ev;

	buf[0] = '\0';
	cr_assert_eq(mos_trace_get(k, 0, NULL, &n), 0);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(mos_trace_get(k, i, &ev, NULL), 0);
		if (ev.kind != kind)
			continue;
		len += (size_t)snprintf(buf + len, size - len,
					"%s%d:%u:%llu:%llu@%llu", len ? " " : "",
					ev.subject, ev.cause,
					(unsigned long long)ev.a,
					(unsigned long long)ev.b,
					(unsigned long long)(ev.time / unit));
		cr_assert_lt(len, size);
	}
	return buf;
}

#endif
