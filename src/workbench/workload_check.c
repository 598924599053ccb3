/*
 * src/workbench/workload_check.c - mos__workload_check: is a workload safe
 * to run?
 *
 * The loader reads what a file says; this decides whether it can run.  All
 * arithmetic is in ticks with overflow checks, then multiplied by the tick,
 * so no later ticks x tick product in the workbench can wrap (see
 * timemath.h for why MOS_TIME_NEVER itself is not a time).
 */
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error_int.h"
#include "util/timemath.h"
#include "workload_int.h"

#define END_OF_TIME "the end of virtual time (2^64-1 ns)"

typedef struct checker {
	const mos_workload_t *w;
	mos_error_t *err;
	char path[MOS_ERROR_PATH_LEN];
} checker_t;

/* Point the checker at processes[i].field (field may be "" for the
 * process itself, or carry an index: "bursts[2].io"). */
static const char *at(checker_t *c, size_t i, const char *field)
{
	snprintf(c->path, sizeof(c->path), "processes[%zu]%s%s", i,
		 field[0] ? "." : "", field);
	return c->path;
}

static int fail(checker_t *c, int code, const char *path, const char *text)
{
	return mos__error_path(c->err, code, c->w->source, path, "%s", text);
}

/* a + b ticks, then x tick, must stay a time. */
static int add_ticks(checker_t *c, uint64_t *sum, uint64_t add,
		     const char *path)
{
	mos_time_t ns;

	if (!mos__time_add(*sum, add, sum) ||
	    !mos__time_mul(*sum, c->w->tick, &ns))
		return fail(c, MOS_ERANGE, path, "with the times before it, "
			    "this passes " END_OF_TIME " at this tick");
	return 0;
}

static int check_name(checker_t *c, const char *name, size_t size,
		      const char *path)
{
	size_t n = strnlen(name, size);

	if (n == size)
		return fail(c, MOS_ECONFIG, path, "is not NUL-terminated");
	if (n == 0)
		return fail(c, MOS_ECONFIG, path, "must not be empty");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return fail(c, MOS_ECONFIG, path,
				    "must not contain control characters");
	return 0;
}

/* Alternating bursts, CPU first, each at least one tick; *end and *work
 * grow by the process's own times. */
static int check_bursts(checker_t *c, size_t i, uint64_t *end, uint64_t *work)
{
	const mos_wl_process_t *p = &c->w->procs[i];
	char field[48];

	if (p->nbursts == 0 || !p->bursts)
		return fail(c, MOS_ECONFIG, at(c, i, "bursts"),
			    "must not be empty");
	for (size_t b = 0; b < p->nbursts; b++) {
		const mos_wl_burst_t *u = &p->bursts[b];
		bool cpu = u->kind == MOS_WL_CPU;
		int rc;

		if (p->nbursts == 1)
			snprintf(field, sizeof(field), "cpu");
		else
			snprintf(field, sizeof(field), "bursts[%zu].%s", b,
				 cpu ? "cpu" : "io");
		if (u->kind != (b % 2 ? MOS_WL_IO : MOS_WL_CPU))
			return fail(c, MOS_ECONFIG, at(c, i, field),
				    "bursts must alternate, starting with cpu");
		if (u->ticks == 0)
			return fail(c, MOS_ECONFIG, at(c, i, field),
				    "must be at least 1");
		if ((rc = add_ticks(c, end, u->ticks, at(c, i, field))) ||
		    (rc = add_ticks(c, work, u->ticks, at(c, i, field))))
			return rc;
	}
	return 0;
}

/* Jobs are released at arrival + j x period: the last one, plus the longer
 * of its deadline and wcet, must stay a time. */
static int check_periodic(checker_t *c, size_t i, uint64_t *end,
			  uint64_t *work, uint64_t *release)
{
	const mos_wl_process_t *p = &c->w->procs[i];
	uint64_t span, total;
	int rc;

	if (!p->wcet || !p->deadline || !p->jobs)
		return fail(c, MOS_ECONFIG, at(c, i, !p->wcet ? "wcet" :
					       !p->deadline ? "deadline" : "jobs"),
			    "must be at least 1");
	if (!mos__time_mul(p->jobs - 1, p->period, &span) ||
	    (rc = add_ticks(c, end, span, at(c, i, "jobs"))))
		return fail(c, MOS_ERANGE, at(c, i, "jobs"),
			    "the last job's release passes " END_OF_TIME);
	*release = *end;
	if ((rc = add_ticks(c, end, p->deadline > p->wcet ? p->deadline
							    : p->wcet,
			    at(c, i, p->deadline > p->wcet ? "deadline"
							   : "wcet"))))
		return rc;
	if (!mos__time_mul(p->jobs, p->wcet, &total))
		return fail(c, MOS_ERANGE, at(c, i, "jobs"),
			    "jobs x wcet passes " END_OF_TIME);
	return add_ticks(c, work, total, at(c, i, "jobs"));
}

static int check_process(checker_t *c, size_t i, uint64_t *work,
			 uint64_t *last_release, size_t *jobs)
{
	const mos_wl_process_t *p = &c->w->procs[i];
	uint64_t end = 0, release = p->arrival, mine = 0;
	int rc = check_name(c, p->name, sizeof(p->name), at(c, i, "name"));

	if (!rc)
		rc = add_ticks(c, &end, p->arrival, at(c, i, "arrival"));
	if (!rc && p->period) {
		rc = check_periodic(c, i, &end, &mine, &release);
		if (!rc && p->jobs > MOS_WL_MAX_JOBS - *jobs)
			rc = mos__error_path(c->err, MOS_EEXHAUSTED,
					     c->w->source, at(c, i, "jobs"),
					     "%zu jobs before this task: more "
					     "than a kernel holds (%u in all)",
					     *jobs, MOS_WL_MAX_JOBS);
		if (!rc)
			*jobs += (size_t)p->jobs;
	} else if (!rc) {
		rc = check_bursts(c, i, &end, &mine);
		if (!rc && *jobs == MOS_WL_MAX_JOBS)
			rc = mos__error_path(c->err, MOS_EEXHAUSTED,
					     c->w->source, at(c, i, ""),
					     "more processes than a kernel "
					     "holds (%u in all)",
					     MOS_WL_MAX_JOBS);
		if (!rc)
			(*jobs)++;
	}
	if (!rc)
		rc = add_ticks(c, work, mine, at(c, i, ""));
	if (!rc && release > *last_release)
		*last_release = release;
	return rc;
}

int mos__workload_check(const mos_workload_t *w, mos_error_t *err)
{
	checker_t c = {w, err, ""};
	uint64_t work = 0, last_release = 0;
	size_t jobs = 0;
	int rc = 0;

	if (!w || !w->nprocs || !w->procs)
		return mos__error_path(err, MOS_EINVAL, w ? w->source : "workload",
				       "processes", "must not be empty");
	if (!mos__alloc_valid(&w->alloc))
		return fail(&c, MOS_ECONFIG, "alloc", "malloc, realloc and free "
			    "must be all set or all NULL");
	if (!w->tick)
		return fail(&c, MOS_ECONFIG, "tick", "must be at least 1 ns");
	if ((rc = check_name(&c, w->name, sizeof(w->name), "name")))
		return rc;
	for (size_t i = 0; i < w->nprocs && !rc; i++)
		rc = check_process(&c, i, &work, &last_release, &jobs);
	/* Everything released by the last release, then all the work done
	 * one after another: no schedule without switch costs ends later. */
	if (!rc && add_ticks(&c, &work, last_release, "processes"))
		return MOS_ERANGE;
	return rc;
}

size_t mos__workload_jobs(const mos_workload_t *w)
{
	size_t n = 0;

	for (size_t i = 0; i < w->nprocs; i++)
		n += w->procs[i].period ? (size_t)w->procs[i].jobs : 1;
	return n;
}
