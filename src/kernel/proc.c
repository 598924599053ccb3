/*
 * src/kernel/proc.c - the process table: pids, creation, queries.
 *
 * Pids are handed out in increasing order and looked up in O(1) through a
 * slot table indexed by pid modulo a power of two at least max_processes;
 * a pid whose slot is taken is skipped, as Linux's pid allocator skips pids
 * in use.  Only the table's first slots are allocated at first
 * (PIDTAB_FIRST), doubled when a new pid needs one further on: a kernel
 * that runs a few dozen processes pays for a few dozen slots, not for
 * 65 536, and walks of the table (kill to a group, listings) stop at the
 * highest slot ever used.  The slots are the same as in a whole table, so
 * which pid a process gets and the order of every walk do not change.  Reaped control blocks leave the table for a bounded history
 * (lifecycle.c) where queries still find them.
 *
 * Creation validates everything before it touches the kernel, and undoes
 * its own allocations on failure: a failed create changes nothing, not
 * even the next pid number or the pools' slabs.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kernel_int.h"

static const char *const state_names[MOS_STATE_COUNT] = {
	"New", "Ready", "Running", "Blocked", "Suspended",
	"Terminated", "Zombie", "Defunct",
};
static const char *const prio_names[MOS_PRIO_COUNT] = {
	"Idle", "Low", "Normal", "High", "RealTime", "Critical",
};
static const char *const class_names[MOS_CLASS_COUNT] = {
	"System", "User", "Service", "Background", "Interactive",
};
static const char *const iso_names[MOS_ISO_COUNT] = {
	"None", "Process", "Namespace", "Container", "VM",
};

const char *mos_state_name(mos_proc_state_t s)
{
	return (unsigned)s < MOS_STATE_COUNT ? state_names[s] : "?";
}

const char *mos_priority_name(mos_priority_t p)
{
	return (unsigned)p < MOS_PRIO_COUNT ? prio_names[p] : "?";
}

const char *mos_class_name(mos_prio_class_t c)
{
	return (unsigned)c < MOS_CLASS_COUNT ? class_names[c] : "?";
}

const char *mos_isolation_name(mos_isolation_t level)
{
	return (unsigned)level < MOS_ISO_COUNT ? iso_names[level] : "?";
}

static int parse_name(const char *const *names, int n, const char *s, int *out)
{
	if (!s || !out)
		return MOS_EINVAL;
	for (int i = 0; i < n; i++) {
		if (strcasecmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	return MOS_EINVAL;
}

int mos_priority_parse(const char *name, mos_priority_t *out)
{
	int v, err = parse_name(prio_names, MOS_PRIO_COUNT, name, &v);
	if (err == 0)
		*out = (mos_priority_t)v;
	return err;
}

int mos_class_parse(const char *name, mos_prio_class_t *out)
{
	int v, err = parse_name(class_names, MOS_CLASS_COUNT, name, &v);
	if (err == 0)
		*out = (mos_prio_class_t)v;
	return err;
}

int mos_isolation_parse(const char *name, mos_isolation_t *out)
{
	int v, err = parse_name(iso_names, MOS_ISO_COUNT, name, &v);
	if (err == 0)
		*out = (mos_isolation_t)v;
	return err;
}

void mos_process_spec_init(mos_process_spec_t *spec)
{
	if (!spec)
		return;
	memset(spec, 0, sizeof(*spec));
	spec->priority = MOS_PRIO_NORMAL;
	spec->prio_class = MOS_CLASS_USER;
	spec->uid = MOS_UID_INHERIT;
	spec->gid = MOS_GID_INHERIT;
	spec->ngroups = MOS_GROUPS_INHERIT;
	spec->caps = MOS_CAPS_INHERIT;
	spec->isolation = MOS_ISO_INHERIT;
}

/* ---- pid table ------------------------------------------------------- */

#define PIDTAB_FIRST 1024u

mos_proc_t *mos__proc_lookup(const mos_kernel_t *k, mos_pid_t pid)
{
	uint32_t i = (uint32_t)pid & (k->pids.cap - 1);
	mos_proc_t *p;

	if (pid <= 0 || i >= k->pids.hi)
		return NULL;
	p = k->pids.slot[i];
	return p && p->pid == pid ? p : NULL;
}

/* The pid the next create gets, and the number to try after it. */
static mos_pid_t pid_peek(const mos_pidtab_t *t, mos_pid_t *after)
{
	mos_pid_t pid = t->next;

	for (;;) {
		uint32_t i = (uint32_t)pid & (t->cap - 1);
		mos_pid_t next = pid == INT32_MAX ? 2 : pid + 1;

		if (i >= t->len || !t->slot[i]) {
			*after = next;
			return pid;
		}
		pid = next;
	}
}

static mos_pid_t pid_alloc(mos_kernel_t *k)
{
	return pid_peek(&k->pids, &k->pids.next);
}

/* Make sure the next pid's slot is allocated: the table doubles until
 * it is.  May fail with MOS_ENOMEM, changing nothing; the slots it added
 * stay (spare capacity) when the create fails later. */
static int pid_room(mos_kernel_t *k)
{
	mos_pidtab_t *t = &k->pids;
	mos_pid_t after;
	uint32_t i = (uint32_t)pid_peek(t, &after) & (t->cap - 1), len = t->len;
	mos_proc_t **slot;

	if (i < len)
		return 0;
	while (len <= i)
		len *= 2;
	if (!(slot = mos__realloc_array(&k->alloc, t->slot, len,
					  sizeof(*slot))))
		return MOS_ENOMEM;
	memset(slot + t->len, 0, (len - t->len) * sizeof(*slot));
	t->slot = slot;
	t->len = len;
	return 0;
}

static void pid_insert(mos_kernel_t *k, mos_proc_t *p)
{
	uint32_t i = (uint32_t)p->pid & (k->pids.cap - 1);

	k->pids.slot[i] = p;
	if (i >= k->pids.hi)
		k->pids.hi = i + 1;
	k->pids.used++;
}

void mos__pid_remove(mos_kernel_t *k, mos_proc_t *p)
{
	k->pids.slot[(uint32_t)p->pid & (k->pids.cap - 1)] = NULL;
	k->pids.used--;
}

/* ---- creation ---------------------------------------------------------- */

static int count_strv(const char *const *v, int max, int *n)
{
	int i = 0;

	if (!v) {
		*n = 0;
		return 0;
	}
	while (v[i]) {
		if (++i > max)
			return MOS_EINVAL;
	}
	*n = i;
	return 0;
}

static int check_env(const char *const *env, int envc)
{
	for (int i = 0; i < envc; i++) {
		const char *eq = strchr(env[i], '=');
		if (!eq || eq == env[i])
			return MOS_EINVAL;
		for (int j = 0; j < i; j++) {
			size_t n = (size_t)(eq - env[i]);
			if (strncmp(env[j], env[i], n + 1) == 0)
				return MOS_EINVAL;
		}
	}
	return 0;
}

static int check_spec(const mos_process_spec_t *spec, int *argc, int *envc)
{
	int err;

	if (!spec->command || !spec->command[0] || !spec->command[0][0])
		return MOS_EINVAL;
	if ((unsigned)spec->priority >= MOS_PRIO_COUNT)
		return MOS_EINVALPRIO;
	if ((unsigned)spec->prio_class >= MOS_CLASS_COUNT ||
	    (spec->flags & ~(uint32_t)MOS_PROC_FLAGS_ALL))
		return MOS_EINVAL;
	if (spec->parent < 0)
		return MOS_EINVALPID;
	if ((err = count_strv(spec->command, 4096, argc)) < 0 ||
	    (err = count_strv(spec->environment, 4096, envc)) < 0)
		return err;
	return check_env(spec->environment, *envc);
}

static size_t strv_bytes(const char *const *v, int n)
{
	size_t sz = 0;
	for (int i = 0; i < n; i++)
		sz += strlen(v[i]) + 1;
	return sz;
}

static char *copy_strv(char **dst, const char *const *src, int n, char *s)
{
	for (int i = 0; i < n; i++) {
		size_t len = strlen(src[i]) + 1;
		dst[i] = memcpy(s, src[i], len);
		s += len;
	}
	dst[n] = NULL;
	return s;
}

/* Copy command, cwd and environment into one allocation owned by p. */
static int copy_strings(mos_proc_t *p, const mos_process_spec_t *spec,
			int argc, int envc)
{
	const char *cwd = spec->working_directory ? spec->working_directory : "/";
	size_t ptrs = (size_t)(argc + 1 + envc + 1) * sizeof(char *);
	size_t bytes = strv_bytes(spec->command, argc) +
		       strv_bytes(spec->environment, envc) + strlen(cwd) + 1;
	char *s;

	if (ptrs + bytes <= sizeof(p->cold.inline_strings))
		p->cold.strings = p->cold.inline_strings;
	else if (!(p->cold.strings = mos__malloc(&p->k->alloc, ptrs + bytes)))
		return MOS_ENOMEM;
	p->cold.argv = (char **)(void *)p->cold.strings;
	p->cold.envp = p->cold.argv + argc + 1;
	p->cold.argc = argc;
	p->cold.envc = envc;
	s = p->cold.strings + ptrs;
	s = copy_strv(p->cold.argv, spec->command, argc, s);
	s = copy_strv(p->cold.envp, spec->environment, envc, s);
	p->cold.cwd = strcpy(s, cwd);
	return 0;
}

static int find_parent(mos_kernel_t *k, const mos_process_spec_t *spec,
		       mos_proc_t **parent)
{
	if (spec->parent == 0) {
		*parent = k->init;
		return 0;
	}
	if (!(*parent = mos__proc_lookup(k, spec->parent)))
		return MOS_EPROCNOTFOUND;
	return (*parent)->state >= MOS_STATE_TERMINATED ? MOS_EINVALSTATE : 0;
}

static void proc_entry(void *arg)
{
	mos_proc_t *p = arg;
	int code;

	/* Signals sent before it first ran take effect before main. */
	if (mos__sig_ready(&p->sig))
		mos__sig_deliver(p);
	code = p->cold.prog->def.main(p, p->cold.argc, p->cold.argv);
	mos_sys_exit(p, code);
}

/* Give p a program state, a stack and a coroutine.  Undone by the caller
 * through mos__proc_free on failure. */
static int attach_program(mos_kernel_t *k, mos_proc_t *p, void *arg)
{
	int err;

	if (!(p->cold.prog = mos__program_find(k->programs, p->cold.argv[0])))
		return MOS_ENOPROG;
	p->cold.prog_state = arg;
	if (p->cold.prog->def.prepare &&
	    (err = p->cold.prog->def.prepare(&k->alloc, p->cold.argc, p->cold.argv,
					     &p->cold.prog_state)) < 0) {
		p->cold.prog_state = NULL;
		return err == MOS_ENOMEM ? err : MOS_ECONFIG;
	}
	/* The coroutine itself is made at the first dispatch: creating a
	 * process touches no page of its stack. */
	return mos__stack_get(&k->stacks, &p->stack);
}

void mos__proc_start_fiber(mos_kernel_t *k, mos_proc_t *p)
{
	mos__stack_prefault(&k->stacks, p->stack);
	if (mos__fiber_create(&p->fiber, k->ctx, p->stack, proc_entry, p) < 0)
		mos__panic(k, "pid %d: cannot make its coroutine", p->pid);
}

/* A process's own timer: its sleeps and waits end here, and, before it
 * is admitted, its start_time (mos__proc_admit turns it back). */
static void wake_fired(void *arg, mos_timer_t *t)
{
	mos_proc_t *p = arg;

	(void)t;
	mos__wait_end(p->k, p, MOS_ETIMEDOUT, MOS_CAUSE_WAKE);
}

static void admit_fired(void *arg, mos_timer_t *t)
{
	mos_proc_t *p = arg;

	(void)t;
	mos__proc_admit(p->k, p);
}

static mos_proc_t *proc_alloc(mos_kernel_t *k, const mos_process_spec_t *spec)
{
	mos_proc_t *p = mos__pcb_get(&k->pcbs);

	if (!p)
		return NULL;
	p->k = k;
	p->priority = spec->priority;
	p->prio_class = spec->prio_class;
	p->flags = spec->flags;
	p->attr = spec->sched;
	if (p->attr.tickets == 0)
		p->attr.tickets = 100;
	p->se.burst = p->attr.burst;
	mos_list_init(&p->cold.children);
	mos_list_init(&p->cold.sibling);
	mos_list_init(&p->se.node);
	mos_list_init(&p->cold.hist);
	mos_list_init(&p->cold.wait_node);
	/* Not zeroed by the pool: what a failed create's release reads. */
	p->cold.sig.timers = NULL;
	p->cold.sig.acts = NULL;
	mos__wchan_init(&p->cold.child_exit);
	mos__timer_init(&p->timer, wake_fired, p, false);
	p->t.created = k->now;
	p->t.admitted = p->t.first_run = MOS_TIME_NEVER;
	p->t.finished = p->t.reaped = MOS_TIME_NEVER;
	p->state_since = k->now;
	p->state = MOS_STATE_NEW;
	return p;
}

/* Free a control block that is in no table, queue or list. */
void mos__proc_free(mos_kernel_t *k, mos_proc_t *p)
{
	if (p->stack) {
		mos__fiber_destroy(&p->fiber);
		mos__stack_put(&k->stacks, p->stack);
	}
	if (p->cold.prog && p->cold.prog->def.release && p->cold.prog_state)
		p->cold.prog->def.release(&k->alloc, p->cold.prog_state);
	if (p->cold.strings != p->cold.inline_strings)
		mos__free(&k->alloc, p->cold.strings);
	mos__sig_release(k, p);
	mos__res_release(k, p);
	mos__pcb_put(&k->pcbs, p);
}

/* What a create changes before its last step that can fail. */
typedef struct create_mark {
	const mos_pcb_slab_t *pcbs;      /* the newest slabs before it */
	const mos_stack_slab_t *stacks;
	mos_pid_t next_pid;
} create_mark_t;

/* Undo a create that failed: free p and give back the pid number and the
 * slabs it took (the timer heap keeps its capacity, in the same block). */
static int create_failed(mos_kernel_t *k, mos_proc_t *p,
			 const create_mark_t *m, int err)
{
	mos__proc_free(k, p);
	k->pids.next = m->next_pid;
	mos__pcb_pool_trim(&k->pcbs, m->pcbs);
	mos__stack_pool_trim(&k->stacks, m->stacks);
	return err;
}

int mos__proc_create(mos_kernel_t *k, const mos_process_spec_t *spec,
		     mos_proc_t *parent, mos_pid_t *pid)
{
	create_mark_t mark = {k->pcbs.slabs, k->stacks.slabs, k->pids.next};
	int argc, envc, err;
	mos_proc_t *p;

	if ((err = check_spec(spec, &argc, &envc)) < 0)
		return err;
	if (!parent && (err = find_parent(k, spec, &parent)) < 0)
		return err;
	if ((err = mos__cred_check(k, spec, parent)) < 0)
		return err;
	if (k->pids.used >= k->cfg.max_processes)
		return MOS_EEXHAUSTED;
	if ((err = mos__res_check(k, spec, parent)) < 0)
		return err;
	if (!(p = proc_alloc(k, spec)))
		return MOS_ENOMEM;
	if ((err = copy_strings(p, spec, argc, envc)) < 0 ||
	    (err = attach_program(k, p, spec->arg)) < 0 ||
	    (err = mos__res_fork(k, p, parent)) < 0 ||
	    (err = mos__kernel_reserve_timer(k)) < 0 ||
	    (err = pid_room(k)) < 0)
		return create_failed(k, p, &mark, err);
	p->pid = pid_alloc(k);
	if (k->sched->attach && (err = k->sched->attach(k->rq, p)) < 0)
		return create_failed(k, p, &mark, err);
	/* Past the last failure: a host call made during a realtime wait
	 * catches the clock up now, and the process is born then. */
	mos__kernel_clock_sync(k);
	p->t.created = p->state_since = k->now;
	mos__cred_give(k, p, spec, parent);
	p->ppid = parent->pid;
	/* A child of init (the host's) leads a session and group of its
	 * own; a program's child joins its parent's. */
	if (parent == k->init) {
		p->cold.pgid = p->cold.sid = p->pid;
	} else {
		p->cold.pgid = parent->cold.pgid;
		p->cold.sid = parent->cold.sid;
	}
	/* As after fork and exec: the mask and the ignored set are
	 * inherited, handlers are not (init's are all default). */
	mos__sig_init(&p->sig, &p->cold.sig, &parent->sig, &parent->cold.sig);
	pid_insert(k, p);
	mos_list_push_back(&parent->cold.children, &p->cold.sibling);
	mos__res_born(k, p);
	k->stats.processes_created++;
	if (pid)
		*pid = p->pid;
	if (spec->start_time > k->now) {
		p->timer.fn = admit_fired;
		mos__timer_arm(&k->timers, &p->timer, spec->start_time,
			       MOS_BAND_ADMIT);
	} else {
		mos__proc_admit(k, p);
	}
	if (mos__kev_wants(k, MOS_KEV_CREATED))
		mos__kev_proc(k, MOS_KEV_CREATED, p, MOS_STATE_NEW,
			      MOS_CAUSE_CREATE);
	return 0;
}

/* New -> Ready: the long-term scheduler lets p in. */
void mos__proc_admit(mos_kernel_t *k, mos_proc_t *p)
{
	int sig;

	p->timer.fn = wake_fired;
	p->t.admitted = k->now;
	mos__kernel_make_ready(k, p, MOS_ENQ_NEW, MOS_CAUSE_CREATE);
	/* Stopped while New: Suspended at its admission, without running. */
	if ((sig = mos__sig_stop_at_admission(p)))
		mos__proc_stop(k, p, sig);
}

/* The table lives in the kernel object; src/programs/ keeps it. */
int mos_program_register_ex(mos_kernel_t *k, const mos_program_t *prog)
{
	if (!k || !mos__host_may_change(k))
		return MOS_EINVAL;
	return mos__program_add(&k->programs, prog, &k->alloc);
}

int mos_process_create(mos_kernel_t *k, const mos_process_spec_t *spec,
		       mos_pid_t *pid)
{
	if (!k || !spec || !mos__host_may_change(k))
		return MOS_EINVAL;
	/* An admission timer at "never" would be no time at all. */
	if (spec->start_time == MOS_TIME_NEVER)
		return MOS_ERANGE;
	return mos__proc_create(k, spec, NULL, pid);
}

/* ---- init ------------------------------------------------------------ */

int mos__proc_table_init(mos_kernel_t *k)
{
	static const char *const init_cmd[] = {"init", NULL};
	mos_process_spec_t spec;
	uint32_t cap = 1, len;
	mos_proc_t *p;

	while (cap < k->cfg.max_processes)
		cap <<= 1;
	len = cap < PIDTAB_FIRST ? cap : PIDTAB_FIRST;
	if (!(k->pids.slot = mos__calloc(&k->alloc, len, sizeof(*k->pids.slot))))
		return MOS_ENOMEM;
	k->pids.cap = cap;
	k->pids.len = len;
	k->pids.next = MOS_PID_INIT;

	/* init is the kernel's own: it runs no coroutine, sleeps in wait()
	 * from birth and reaps every orphan the moment it dies. */
	mos_process_spec_init(&spec);
	spec.priority = MOS_PRIO_CRITICAL;
	spec.prio_class = MOS_CLASS_SYSTEM;
	spec.flags = MOS_PROC_SYSTEM;
	spec.command = init_cmd;
	if (!(p = proc_alloc(k, &spec)))
		return MOS_ENOMEM;
	mos__cred_init_root(p);
	mos__sig_init(&p->sig, &p->cold.sig, NULL, NULL);
	mos__res_init_root(k, p);
	if (copy_strings(p, &spec, 1, 0) < 0) {
		mos__proc_free(k, p);
		return MOS_ENOMEM;
	}
	p->pid = pid_alloc(k);
	p->cold.pgid = p->cold.sid = p->pid;
	pid_insert(k, p);
	k->init = p;
	k->stats.processes_created++;
	p->cold.wait_pid = -1;
	/* New -> Blocked is in no transition table: only init is born so. */
	p->state = MOS_STATE_BLOCKED;
	p->wchan = &p->cold.child_exit;
	mos_list_push_back(&p->wchan->waiters, &p->cold.wait_node);
	p->wait_flags = MOS__WAITING;
	mos__trace_record(&k->trace, k->now, p->pid, MOS_STATE_NEW,
			  MOS_STATE_BLOCKED, MOS_CAUSE_WAIT);
	return 0;
}

void mos__proc_table_fini(mos_kernel_t *k)
{
	mos_list_t *n, *tmp;

	for (uint32_t i = 0; k->pids.slot && i < k->pids.hi; i++) {
		if (k->pids.slot[i])
			mos__proc_free(k, k->pids.slot[i]);
	}
	mos__free(&k->alloc, k->pids.slot);
	mos_list_for_each_safe(n, tmp, &k->history)
		mos__proc_free(k, mos_container_of(n, mos_proc_t, cold.hist));
}

/* ---- queries ----------------------------------------------------------- */

void mos__proc_fill_info(const mos_proc_t *p, mos_process_info_t *info)
{
	memset(info, 0, sizeof(*info));
	info->pid = p->pid;
	info->parent = p->ppid;
	info->state = p->state;
	info->priority = p->priority;
	info->prio_class = p->prio_class;
	info->flags = p->flags;
	info->exit_status = p->exit_status;
	info->argc = p->cold.argc;
	info->command = (const char *const *)p->cold.argv;
	info->working_directory = p->cold.cwd;
	info->envc = p->cold.envc;
	info->environment = (const char *const *)p->cold.envp;
	info->sched = p->attr;
	info->sched_state.level = p->se.level;
	info->sched_state.allot = p->se.allot;
	info->sched_state.slice = p->se.slice;
	info->times = p->t;
	info->pgid = p->cold.pgid;
	info->sid = p->cold.sid;
	info->sig_pending = p->sig.pending;
	info->sig_blocked = p->sig.blocked;
	info->signals = p->cold.sig.stats;
	mos__cred_fill_info(p, info);
}

static const mos_proc_t *history_find(const mos_kernel_t *k, mos_pid_t pid)
{
	const mos_list_t *n;

	/* Newest first: after pid wrap-around the latest holder wins. */
	for (n = k->history.prev; n != &k->history; n = n->prev) {
		const mos_proc_t *p = mos_container_of(n, mos_proc_t, cold.hist);
		if (p->pid == pid)
			return p;
	}
	return NULL;
}

mos_proc_t *mos__proc_find_any(mos_kernel_t *k, mos_pid_t pid)
{
	mos_proc_t *p = mos__proc_lookup(k, pid);

	return p ? p : (mos_proc_t *)history_find(k, pid);
}

int mos__proc_get_info(const mos_kernel_t *k, const mos_proc_t *viewer,
		       mos_pid_t pid, mos_process_info_t *info)
{
	const mos_proc_t *p;

	if (!info)
		return MOS_EINVAL;
	if (pid <= 0)
		return MOS_EINVALPID;
	if (!(p = mos__proc_lookup(k, pid)) && !(p = history_find(k, pid)))
		return MOS_EPROCNOTFOUND;
	if (!mos__cred_may_see(viewer, p))
		return MOS_EPROCNOTFOUND;
	mos__proc_fill_info(p, info);
	return 0;
}

int mos_process_get_info(mos_kernel_t *k, mos_pid_t pid,
			 mos_process_info_t *info)
{
	return k ? mos__proc_get_info(k, NULL, pid, info) : MOS_EINVAL;
}

static int cmp_pid(const void *a, const void *b)
{
	mos_pid_t x = *(const mos_pid_t *)a, y = *(const mos_pid_t *)b;
	return (x > y) - (x < y);
}

/* The largest of a max-heap of n pids moves down to its place once top was
 * replaced. */
static void pid_sift_down(mos_pid_t *h, size_t n)
{
	size_t i = 0;

	for (;;) {
		size_t l = 2 * i + 1, big = i;
		mos_pid_t t;

		if (l < n && h[l] > h[big])
			big = l;
		if (l + 1 < n && h[l + 1] > h[big])
			big = l + 1;
		if (big == i)
			return;
		t = h[i];
		h[i] = h[big];
		h[big] = t;
		i = big;
	}
}

static void pid_sift_up(mos_pid_t *h, size_t i)
{
	while (i > 0 && h[(i - 1) / 2] < h[i]) {
		mos_pid_t t = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

int mos__proc_list(const mos_kernel_t *k, const mos_proc_t *viewer,
		   mos_pid_t *pids, size_t cap, size_t *count)
{
	size_t n = 0;

	if (!count || (cap && !pids))
		return MOS_EINVAL;
	/* Slots are in pid order only until pids wrap past the table size.
	 * A short buffer must still get the cap smallest pids, so it is a
	 * max-heap of the smallest seen so far, sorted at the end. */
	for (uint32_t i = 0; i < k->pids.hi; i++) {
		const mos_proc_t *p = k->pids.slot[i];
		if (!p || !mos__cred_may_see(viewer, p))
			continue;
		if (n < cap) {
			pids[n] = p->pid;
			pid_sift_up(pids, n);
		} else if (cap && p->pid < pids[0]) {
			pids[0] = p->pid;
			pid_sift_down(pids, cap);
		}
		n++;
	}
	if (pids)
		qsort(pids, n < cap ? n : cap, sizeof(*pids), cmp_pid);
	*count = n;
	return 0;
}

int mos_process_list(mos_kernel_t *k, mos_pid_t *pids, size_t cap,
		     size_t *count)
{
	return k ? mos__proc_list(k, NULL, pids, cap, count) : MOS_EINVAL;
}

int mos_process_history(mos_kernel_t *k, mos_pid_t *pids, size_t cap,
			size_t *count)
{
	const mos_list_t *n;
	size_t i = 0;

	if (!k || !count || (cap && !pids))
		return MOS_EINVAL;
	mos_list_for_each(n, &k->history) {
		if (i < cap)
			pids[i] = mos_container_of(n, mos_proc_t, cold.hist)->pid;
		i++;
	}
	*count = i;
	return 0;
}
