/*
 * src/sched/sched_common.c - the policy table and helpers policies share.
 *
 * Policies see a process only through these helpers, so they cannot reach
 * into the control block beyond their own mos_sched_ent_t.
 */
#include <string.h>

#include "kernel_int.h"

static const mos_sched_class_t *const policies[] = {
	&mos__sched_multios,
};

static const char *const policy_names[] = {
	"multios",
	NULL,
};

const mos_sched_class_t *mos__sched_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(policies) / sizeof(*policies); i++)
		if (strcmp(policies[i]->name, name) == 0)
			return policies[i];
	return NULL;
}

const char *const *mos__sched_names(void) { return policy_names; }

mos_sched_ent_t *mos__sched_ent(mos_proc_t *p) { return &p->se; }
const mos_sched_ent_t *mos__sched_ent_c(const mos_proc_t *p) { return &p->se; }
mos_proc_t *mos__sched_proc(mos_sched_ent_t *e)
{
	return mos_container_of(e, mos_proc_t, se);
}
int mos__sched_priority(const mos_proc_t *p) { return (int)p->priority; }
int mos__sched_class_of(const mos_proc_t *p) { return (int)p->prio_class; }
mos_pid_t mos__sched_pid(const mos_proc_t *p) { return p->pid; }
