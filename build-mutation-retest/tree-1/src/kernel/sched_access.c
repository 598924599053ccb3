/*
 * src/kernel/sched_access.c - the kernel's half of the policy interface:
 * what a policy may read and write of a process (src/sched/sched.h).
 *
 * Only the kernel knows the control block's layout; a policy reaches its
 * mos_sched_ent_t and the few facts it orders by through these, so the
 * policies in src/sched/ never include kernel_int.h.  They are one-line
 * functions that link-time optimization inlines into the policies.
 */
#include "kernel_int.h"

mos_sched_ent_t *mos__sched_ent(mos_proc_t *p) { return &p->se; }
const mos_sched_ent_t *mos__sched_ent_c(const mos_proc_t *p) { return &p->se; }
mos_proc_t *mos__sched_proc(mos_sched_ent_t *e)
{
	return mos_container_of(e, mos_proc_t, se);
}
int mos__sched_level_of(const mos_proc_t *p) { return (int)p->priority; }
int mos__sched_class_of(const mos_proc_t *p) { return (int)p->prio_class; }
const mos_sched_attr_t *mos__sched_attr(const mos_proc_t *p) { return &p->attr; }
mos_pid_t mos__sched_pid(const mos_proc_t *p) { return p->pid; }
mos_time_t mos__sched_admitted(const mos_proc_t *p) { return p->t.admitted; }
