/*
 * tests/test_cred.c - credentials, capabilities and isolation
 * (multios/cred.h): init and inheritance, the permission matrices of
 * setuid/setgid, signals (white box: mos__cred_may_signal) and priority,
 * what a denial leaves behind (nothing changed, the counter, the audit
 * event) and isolation domains.  set_priority's orders are in
 * test_priority.c.
 */
#include "kernel/kernel_int.h"
#include "strength.h"
#include "timeout.h"

TestSuite(cred, .timeout = T_TIMEOUT);

#define ALL MOS_CAP_ALL

/* White box: the API makes the three ids equal at creation; a process
 * that ran a set-user-id program, or changed its ids, has them apart. */
static void set_ids(mos_kernel_t *k, mos_pid_t pid, const mos_uid_t uid[3],
		    const mos_gid_t gid[3])
{
	mos_proc_t *p = mos__proc_lookup(k, pid);

	cr_assert_not_null(p);
	p->cold.cred.ruid = uid[0];
	p->cold.cred.euid = uid[1];
	p->cold.cred.suid = uid[2];
	if (gid) {
		p->cold.cred.rgid = gid[0];
		p->cold.cred.egid = gid[1];
		p->cold.cred.sgid = gid[2];
	}
}

static uint64_t denials(mos_kernel_t *k)
{
	mos_kernel_stats_t st;

	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	return st.permission_denials;
}

/* The audit events of the trace: "actor:action:target:asked@ms ...". */
static const char *audits(mos_kernel_t *k, char *buf, size_t size)
{
	return t_trace_kind(k, MOS_TRACE_AUDIT, MOS_MSEC, buf, size);
}

/* ---- init and inheritance ------------------------------------------------ */

Test(cred, init_is_root_with_every_capability)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_process_info_t in = t_info(k, 1);

	cr_assert_eq(in.uid, 0);
	cr_assert_eq(in.euid, 0);
	cr_assert_eq(in.suid, 0);
	cr_assert_eq(in.gid, 0);
	cr_assert_eq(in.egid, 0);
	cr_assert_eq(in.sgid, 0);
	cr_assert_eq(in.ngroups, 0);
	cr_assert_eq(in.caps, MOS_CAP_ALL);
	cr_assert_eq(in.caps, 0x3f);
	cr_assert_eq(in.isolation, MOS_ISO_NONE);
	cr_assert_eq(in.domain, 0);
	mos_kernel_destroy(k);
}

Test(cred, spec_defaults_inherit_from_the_parent)
{
	mos_kernel_t *k = t_kernel(NULL);
	static const mos_gid_t groups[] = {4, 24};
	mos_process_spec_t spec;
	mos_process_info_t in;
	mos_pid_t a, p, c;

	mos_process_spec_init(&spec);
	cr_assert_eq(spec.uid, MOS_UID_INHERIT);
	cr_assert_eq(spec.gid, MOS_GID_INHERIT);
	cr_assert_eq(spec.ngroups, MOS_GROUPS_INHERIT);
	cr_assert_null(spec.groups);
	cr_assert_eq(spec.caps, MOS_CAPS_INHERIT);
	cr_assert_eq(spec.isolation, MOS_ISO_INHERIT);

	/* No parent given: init's credentials, root with every capability. */
	a = t_spawn(k, T_ARGV("idle"));
	in = t_info(k, a);
	cr_assert_eq(in.uid + in.euid + in.suid + in.gid + in.egid + in.sgid, 0);
	cr_assert_eq(in.caps, ALL);
	cr_assert_eq(in.isolation, MOS_ISO_NONE);

	spec.command = T_ARGV("idle");
	spec.uid = 1000;
	spec.gid = 100;
	spec.ngroups = 2;
	spec.groups = groups;
	spec.caps = MOS_CAP_NICE | MOS_CAP_KILL;
	spec.isolation = MOS_ISO_PROCESS;
	p = t_make(k, &spec);

	/* A child with nothing given gets all of its parent's. */
	mos_process_spec_init(&spec);
	spec.command = T_ARGV("idle");
	spec.parent = p;
	c = t_make(k, &spec);
	in = t_info(k, c);
	cr_assert_eq(in.uid, 1000);
	cr_assert_eq(in.euid, 1000);
	cr_assert_eq(in.suid, 1000);
	cr_assert_eq(in.gid, 100);
	cr_assert_eq(in.egid, 100);
	cr_assert_eq(in.sgid, 100);
	cr_assert_eq(in.ngroups, 2);
	cr_assert_eq(in.groups[0], 4);
	cr_assert_eq(in.groups[1], 24);
	cr_assert_eq(in.caps, MOS_CAP_NICE | MOS_CAP_KILL);
	cr_assert_eq(in.isolation, MOS_ISO_PROCESS);
	cr_assert_eq(in.domain, 0);

	/* Each field given replaces only itself. */
	spec.uid = 2000;
	in = t_info(k, t_make(k, &spec));
	cr_assert_eq(in.uid, 2000);
	cr_assert_eq(in.euid, 2000);
	cr_assert_eq(in.suid, 2000);
	cr_assert_eq(in.gid, 100);
	cr_assert_eq(in.ngroups, 2);
	cr_assert_eq(in.caps, MOS_CAP_NICE | MOS_CAP_KILL);
	spec.uid = MOS_UID_INHERIT;
	spec.gid = 7;
	spec.ngroups = 0;
	spec.caps = 0;
	in = t_info(k, t_make(k, &spec));
	cr_assert_eq(in.uid, 1000);
	cr_assert_eq(in.gid, 7);
	cr_assert_eq(in.egid, 7);
	cr_assert_eq(in.sgid, 7);
	cr_assert_eq(in.ngroups, 0);
	cr_assert_eq(in.caps, 0);
	mos_kernel_destroy(k);
}

typedef struct fork_probe {
	mos_pid_t c1, c2;
	int rc_setgid, rc_setuid, rc_spawn, rc_create;
} fork_probe_t;

/* Root: set its gid, spawn; leave root, create a child; wait for both. */
static int forker_main(mos_proc_t *self, int argc, char **argv)
{
	fork_probe_t *fp = mos_sys_state(self);

	(void)argc;
	(void)argv;
	fp->rc_setgid = mos_sys_setgid(self, 50);
	fp->rc_spawn = mos_sys_spawn(self, T_ARGV("sleep", "1ms"), &fp->c1);
	fp->rc_setuid = mos_sys_setuid(self, 1000);
	fp->rc_create = mos_sys_create_process(self, MOS_PRIO_NORMAL,
					       T_ARGV("sleep", "1ms"), &fp->c2);
	mos_sys_wait(self, NULL);
	mos_sys_wait(self, NULL);
	return 0;
}

/*
 * A process in a Namespace domain (its own, so no ADMIN) spawns a child
 * as root with gid 50, then becomes uid 1000 (which drops every
 * capability) and creates another: each child has the credentials its
 * parent had at that instant, and the parent's level and domain.
 */
Test(cred, children_inherit_through_spawn_and_create_process)
{
	mos_kernel_t *k = t_kernel(NULL);
	fork_probe_t fp = {0};
	mos_process_spec_t spec;
	mos_process_info_t in;
	mos_pid_t p;

	cr_assert_eq(mos_program_register(k, "forker", forker_main), 0);
	mos_process_spec_init(&spec);
	spec.command = T_ARGV("forker");
	spec.arg = &fp;
	spec.isolation = MOS_ISO_NAMESPACE;
	p = t_make(k, &spec);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(fp.rc_setgid, 0);
	cr_assert_eq(fp.rc_spawn, 0);
	cr_assert_eq(fp.rc_setuid, 0);
	cr_assert_eq(fp.rc_create, 0);

	in = t_info(k, fp.c1);
	cr_assert_eq(in.uid, 0);
	cr_assert_eq(in.gid, 50);
	cr_assert_eq(in.sgid, 50);
	cr_assert_eq(in.caps, ALL & ~MOS_CAP_ADMIN);
	cr_assert_eq(in.isolation, MOS_ISO_NAMESPACE);
	cr_assert_eq(in.domain, 1);
	in = t_info(k, fp.c2);
	cr_assert_eq(in.uid, 1000);
	cr_assert_eq(in.euid, 1000);
	cr_assert_eq(in.suid, 1000);
	cr_assert_eq(in.gid, 50);
	cr_assert_eq(in.caps, 0);
	cr_assert_eq(in.isolation, MOS_ISO_NAMESPACE);
	cr_assert_eq(in.domain, 1);
	in = t_info(k, p);
	cr_assert_eq(in.uid, 1000);
	cr_assert_eq(in.caps, 0);
	cr_assert_eq(in.domain, 1);
	cr_assert_eq(denials(k), 0);
	mos_kernel_destroy(k);
}

/* Bad credentials are refused before anything is taken: the next good
 * create gets the next pid and the next domain id. */
Test(cred, spec_credentials_are_checked)
{
	mos_kernel_t *k = t_kernel(NULL);
	static const mos_gid_t bad_groups[] = {5, MOS_GID_INHERIT};
	static const mos_gid_t full[MOS_NGROUPS_MAX] = {1, 2, 3, 4, 5, 6, 7, 8,
							 9, 10, 11, 12, 13, 14,
							 15, 16};
	mos_process_spec_t spec, ok;
	mos_kernel_stats_t st;
	mos_process_info_t in;
	mos_pid_t ns, pid = 0;

	mos_process_spec_init(&ok);
	ok.command = T_ARGV("idle");
	ok.isolation = MOS_ISO_NAMESPACE;
	ns = t_make(k, &ok);
	cr_assert_eq(t_info(k, ns).domain, 1);

	spec = ok;
	spec.isolation = MOS_ISO_INHERIT;
	spec.caps = MOS_CAP_ALL + 1;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	spec.caps = 1u << 31;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	spec.caps = MOS_CAPS_INHERIT;
	spec.ngroups = MOS_NGROUPS_MAX + 1;
	spec.groups = full;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	spec.ngroups = -2;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	spec.ngroups = 2;
	spec.groups = NULL;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	spec.groups = bad_groups;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	spec.ngroups = MOS_GROUPS_INHERIT;
	spec.isolation = MOS_ISO_COUNT;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	spec.isolation = (mos_isolation_t)-2;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	/* No process leaves its parent's domain. */
	spec.parent = ns;
	spec.isolation = MOS_ISO_NONE;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	spec.isolation = MOS_ISO_PROCESS;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_EINVAL);
	cr_assert_eq(pid, 0);
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_assert_eq(st.processes_created, 2);

	/* Sixteen groups fit; a nested domain takes the next id. */
	spec.ngroups = MOS_NGROUPS_MAX;
	spec.groups = full;
	spec.isolation = MOS_ISO_VM;
	in = t_info(k, t_make(k, &spec));
	cr_assert_eq(in.pid, 3);
	cr_assert_eq(in.ngroups, 16);
	cr_assert_eq(in.groups[15], 16);
	cr_assert_eq(in.isolation, MOS_ISO_VM);
	cr_assert_eq(in.domain, 2);
	mos_kernel_destroy(k);
}

Test(cred, domains_nest_at_most_max_depth)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_process_spec_t spec;
	mos_kernel_stats_t st;
	mos_pid_t parent = 0, pid = 0;

	mos_process_spec_init(&spec);
	spec.command = T_ARGV("idle");
	/* Any level from Namespace up opens a domain, whatever the
	 * parent's: a namespace in a namespace or in a container too. */
	for (int i = 0; i < MOS_ISO_MAX_DEPTH; i++) {
		spec.parent = parent;
		spec.isolation = i % 3 == 2 ? MOS_ISO_CONTAINER : MOS_ISO_NAMESPACE;
		parent = t_make(k, &spec);
		cr_assert_eq(t_info(k, parent).domain, (uint32_t)i + 1);
		cr_assert_eq(t_info(k, parent).isolation, spec.isolation);
	}
	spec.parent = parent;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_ELIMIT);
	spec.isolation = MOS_ISO_CONTAINER;
	cr_assert_eq(mos_process_create(k, &spec, &pid), MOS_ELIMIT);
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_assert_eq(st.processes_created, 1 + MOS_ISO_MAX_DEPTH);
	/* Joining the deepest domain is fine. */
	spec.isolation = MOS_ISO_INHERIT;
	cr_assert_eq(t_info(k, t_make(k, &spec)).domain, MOS_ISO_MAX_DEPTH);
	mos_kernel_destroy(k);
}

Test(cred, isolation_names)
{
	static const char *const names[] = {"None", "Process", "Namespace",
					    "Container", "VM"};
	mos_isolation_t l;

	for (int i = 0; i < MOS_ISO_COUNT; i++) {
		cr_assert_str_eq(mos_isolation_name((mos_isolation_t)i), names[i]);
		cr_assert_eq(mos_isolation_parse(names[i], &l), 0);
		cr_assert_eq(l, (mos_isolation_t)i);
	}
	cr_assert_str_eq(mos_isolation_name(MOS_ISO_COUNT), "?");
	cr_assert_str_eq(mos_isolation_name(MOS_ISO_INHERIT), "?");
	cr_assert_eq(mos_isolation_parse("container", &l), 0);
	cr_assert_eq(l, MOS_ISO_CONTAINER);
	cr_assert_eq(mos_isolation_parse("vm", &l), 0);
	cr_assert_eq(l, MOS_ISO_VM);
	l = MOS_ISO_NONE;
	cr_assert_eq(mos_isolation_parse("jail", &l), MOS_EINVAL);
	cr_assert_eq(mos_isolation_parse(NULL, &l), MOS_EINVAL);
	cr_assert_eq(l, MOS_ISO_NONE);
}

/* ---- setuid and setgid --------------------------------------------------- */

typedef struct id_case {
	const char *name;
	mos_uid_t uid[3];       /* real, effective, saved, before */
	mos_gid_t gid[3];
	uint32_t caps;
	bool set_gid;           /* setgid, else setuid */
	uint32_t asked;
	int rc;
	uint32_t after[3];      /* the triple set*id changes */
	uint32_t caps_after;
} id_case_t;

#define U1000 {1000, 1000, 1000}
#define G100 {100, 100, 100}
#define ROOT {0, 0, 0}

static const id_case_t id_cases[] = {
	{"root leaves root: every capability dropped", ROOT, ROOT, ALL, false,
	 1000, 0, U1000, 0},
	{"root without capabilities is still root", ROOT, ROOT, 0, false,
	 1000, 0, U1000, 0},
	{"root staying root keeps its capabilities", ROOT, ROOT, ALL, false,
	 0, 0, ROOT, ALL},
	{"a user to another uid", U1000, G100, 0, false, 2000, MOS_EPERM,
	 U1000, 0},
	{"SETUID sets any uid", U1000, G100, MOS_CAP_SETUID, false, 2000, 0,
	 {2000, 2000, 2000}, MOS_CAP_SETUID},
	{"SETUID to root keeps the capabilities", U1000, G100, MOS_CAP_SETUID,
	 false, 0, 0, ROOT, MOS_CAP_SETUID},
	{"every capability but SETUID", U1000, G100, ALL & ~MOS_CAP_SETUID,
	 false, 2000, MOS_EPERM, U1000, ALL & ~MOS_CAP_SETUID},
	{"a set-user-id root program drops to its user", {1000, 0, 0}, G100,
	 ALL, false, 1000, 0, U1000, 0},
	{"to the real uid: only the effective changes", {1000, 2000, 3000},
	 G100, 0, false, 1000, 0, {1000, 1000, 3000}, 0},
	{"to the saved uid", {1000, 2000, 3000}, G100, 0, false, 3000, 0,
	 {1000, 3000, 3000}, 0},
	{"to the effective uid alone", {1000, 2000, 3000}, G100, 0, false,
	 2000, MOS_EPERM, {1000, 2000, 3000}, 0},
	{"back to a saved root", {1000, 1000, 0}, G100, 0, false, 0, 0,
	 {1000, 0, 0}, 0},
	{"a real root takes its effective uid back", {0, 1000, 0}, ROOT,
	 MOS_CAP_NICE, false, 0, 0, ROOT, MOS_CAP_NICE},
	{"the inherit marker is no uid", ROOT, ROOT, ALL, false,
	 MOS_UID_INHERIT, MOS_EINVAL, ROOT, ALL},
	{"root sets any gid and keeps its capabilities", ROOT, ROOT, ALL, true,
	 50, 0, {50, 50, 50}, ALL},
	{"a user to another gid", U1000, G100, 0, true, 200, MOS_EPERM, G100,
	 0},
	{"SETGID sets any gid", U1000, G100, MOS_CAP_SETGID, true, 200, 0,
	 {200, 200, 200}, MOS_CAP_SETGID},
	{"SETUID does not set gids", U1000, G100, MOS_CAP_SETUID, true, 200,
	 MOS_EPERM, G100, MOS_CAP_SETUID},
	{"to the saved gid", U1000, {100, 200, 300}, 0, true, 300, 0,
	 {100, 300, 300}, 0},
	{"to the real gid", U1000, {100, 200, 300}, 0, true, 100, 0,
	 {100, 100, 300}, 0},
	{"the inherit marker is no gid", U1000, G100, 0, true, MOS_GID_INHERIT,
	 MOS_EINVAL, G100, 0},
};

typedef struct id_run {
	const id_case_t *c;
	int rc;
	uint32_t real, eff, caps;
} id_run_t;

static int setid_main(mos_proc_t *self, int argc, char **argv)
{
	id_run_t *r = mos_sys_state(self);

	(void)argc;
	(void)argv;
	if (r->c->set_gid) {
		r->rc = mos_sys_setgid(self, r->c->asked);
		r->real = mos_sys_getgid(self);
		r->eff = mos_sys_getegid(self);
	} else {
		r->rc = mos_sys_setuid(self, r->c->asked);
		r->real = mos_sys_getuid(self);
		r->eff = mos_sys_geteuid(self);
	}
	r->caps = mos_sys_getcaps(self);
	return 0;
}

Test(cred, setuid_and_setgid_matrix)
{
	for (size_t i = 0; i < sizeof(id_cases) / sizeof(*id_cases); i++) {
		const id_case_t *c = &id_cases[i];
		mos_kernel_t *k = t_kernel(NULL);
		id_run_t run = {c, 1, 0, 0, 0};
		mos_process_info_t in;
		const uint32_t *got, *other, *other_before;
		char buf[128], want[128] = "";
		mos_pid_t pid;

		cr_assert_eq(mos_program_register(k, "setid", setid_main), 0);
		cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 0, c->caps,
					T_ARGV("setid"), &run, &pid), 0);
		set_ids(k, pid, c->uid, c->gid);
		cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
		in = t_info(k, pid);
		cr_assert_eq(run.rc, c->rc, "%s: rc %d", c->name, run.rc);
		got = c->set_gid ? (const uint32_t[]){in.gid, in.egid, in.sgid}
				 : (const uint32_t[]){in.uid, in.euid, in.suid};
		other = c->set_gid ? (const uint32_t[]){in.uid, in.euid, in.suid}
				   : (const uint32_t[]){in.gid, in.egid, in.sgid};
		other_before = c->set_gid ? c->uid : c->gid;
		for (int j = 0; j < 3; j++) {
			cr_assert_eq(got[j], c->after[j], "%s: id %d is %u",
				     c->name, j, got[j]);
			cr_assert_eq(other[j], other_before[j], "%s", c->name);
		}
		cr_assert_eq(run.real, c->after[0], "%s", c->name);
		cr_assert_eq(run.eff, c->after[1], "%s", c->name);
		cr_assert_eq(in.caps, c->caps_after, "%s: caps %#x", c->name,
			     in.caps);
		cr_assert_eq(run.caps, c->caps_after, "%s", c->name);
		if (c->rc == MOS_EPERM)
			snprintf(want, sizeof(want), "2:%d:2:%u@0",
				 c->set_gid ? MOS_AUDIT_SETGID : MOS_AUDIT_SETUID,
				 c->asked);
		cr_assert_eq(denials(k), c->rc == MOS_EPERM, "%s", c->name);
		cr_assert_str_eq(audits(k, buf, sizeof(buf)), want, "%s",
				 c->name);
		mos_kernel_destroy(k);
	}
}

/* ---- signals (white box) ---------------------------------------------------- */

typedef struct sig_case {
	const char *name;
	mos_uid_t sender[3];
	uint32_t caps;
	mos_uid_t target[3];
	int sig;
	bool allowed;
} sig_case_t;

static const sig_case_t sig_cases[] = {
	{"root", ROOT, 0, {2000, 2000, 2000}, 15, true},
	{"the same uid", U1000, 0, U1000, 15, true},
	{"another uid", U1000, 0, {2000, 2000, 2000}, 15, false},
	{"another uid with KILL", U1000, MOS_CAP_KILL, {2000, 2000, 2000}, 9,
	 true},
	{"every capability but KILL", U1000, ALL & ~MOS_CAP_KILL,
	 {2000, 2000, 2000}, 9, false},
	{"real uid is the target's real", {1000, 3000, 3000}, 0,
	 {1000, 2000, 2000}, 15, true},
	{"real uid is the target's saved", {1000, 3000, 3000}, 0,
	 {2000, 2000, 1000}, 15, true},
	{"effective uid is the target's real", {3000, 1000, 3000}, 0,
	 {1000, 2000, 2000}, 15, true},
	{"effective uid is the target's saved", {3000, 1000, 3000}, 0,
	 {2000, 2000, 1000}, 15, true},
	{"the target's effective uid does not count", U1000, 0,
	 {2000, 1000, 2000}, 15, false},
	{"the sender's saved uid does not count", {3000, 3000, 1000}, 0,
	 U1000, 15, false},
	{"SIGCONT to another uid: no sessions yet", U1000, 0,
	 {2000, 2000, 2000}, 18, false},
	{"SIGCONT to the same uid", U1000, 0, U1000, 18, true},
};

Test(cred, may_signal_matrix)
{
	mos_kernel_t *k = t_kernel(NULL);

	for (size_t i = 0; i < sizeof(sig_cases) / sizeof(*sig_cases); i++) {
		const sig_case_t *c = &sig_cases[i];
		mos_pid_t s, t;

		cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 0, c->caps,
					T_ARGV("idle"), NULL, &s), 0);
		cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 0, 0,
					T_ARGV("idle"), NULL, &t), 0);
		set_ids(k, s, c->sender, NULL);
		set_ids(k, t, c->target, NULL);
		cr_assert_eq(mos__cred_may_signal(mos__proc_lookup(k, s),
						  mos__proc_lookup(k, t), c->sig),
			     c->allowed, "%s", c->name);
		/* The host may always. */
		cr_assert(mos__cred_may_signal(NULL, mos__proc_lookup(k, t),
					       c->sig));
	}
	/* A check is no denial: nothing counted. */
	cr_assert_eq(denials(k), 0);
	mos_kernel_destroy(k);
}

typedef struct kill_probe {
	mos_pid_t victim;
	int rc;
} kill_probe_t;

static int killer_main(mos_proc_t *self, int argc, char **argv)
{
	kill_probe_t *kp = mos_sys_state(self);

	(void)argc;
	(void)argv;
	kp->rc = mos_sys_terminate_process(self, kp->victim);
	return 0;
}

/* terminate_process is a SIGTERM: uid 1000 may not send it to uid 2000
 * (nothing changes, one denial, audited), with KILL it may. */
Test(cred, terminate_process_needs_the_right_to_signal)
{
	for (int with_kill = 0; with_kill < 2; with_kill++) {
		mos_kernel_t *k = t_kernel(NULL);
		kill_probe_t kp = {0, 1};
		char buf[128], want[128];
		mos_pid_t killer;

		cr_assert_eq(mos_program_register(k, "killer", killer_main), 0);
		cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 2000, 0,
					T_ARGV("idle"), NULL, &kp.victim), 0);
		cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000,
					with_kill ? MOS_CAP_KILL : 0,
					T_ARGV("killer"), &kp, &killer), 0);
		cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
		if (with_kill) {
			cr_assert_eq(kp.rc, 0);
			cr_assert_eq(MOS_WTERMSIG(t_info(k, 2).exit_status),
				     MOS_SIGTERM);
			cr_assert_eq(denials(k), 0);
			cr_assert_str_eq(audits(k, buf, sizeof(buf)), "");
		} else {
			cr_assert_eq(kp.rc, MOS_EPERM);
			cr_assert_eq(t_info(k, 2).state, MOS_STATE_BLOCKED);
			cr_assert_eq(denials(k), 1);
			snprintf(want, sizeof(want), "3:%d:2:15@0",
				 MOS_AUDIT_SIGNAL);
			cr_assert_str_eq(audits(k, buf, sizeof(buf)), want);
		}
		mos_kernel_destroy(k);
	}
}

/* ---- priority: the permission matrix ------------------------------------ */

typedef struct prio_case {
	const char *name;
	mos_uid_t actor[2];       /* real, effective */
	uint32_t caps;
	mos_uid_t target[2];
	bool self;                /* the actor renices itself (pid 0) */
	mos_priority_t from, to;
	int rc;
} prio_case_t;

static const prio_case_t prio_cases[] = {
	{"root raises another user's", {0, 0}, ALL, {2000, 2000}, false,
	 MOS_PRIO_NORMAL, MOS_PRIO_HIGH, 0},
	{"root without capabilities", {0, 0}, 0, {2000, 2000}, false,
	 MOS_PRIO_NORMAL, MOS_PRIO_CRITICAL, 0},
	{"its owner lowers it", {1000, 1000}, 0, {1000, 1000}, false,
	 MOS_PRIO_NORMAL, MOS_PRIO_LOW, 0},
	{"its owner leaves it as it is", {1000, 1000}, 0, {1000, 1000}, false,
	 MOS_PRIO_NORMAL, MOS_PRIO_NORMAL, 0},
	{"its owner raises it", {1000, 1000}, 0, {1000, 1000}, false,
	 MOS_PRIO_NORMAL, MOS_PRIO_HIGH, MOS_EPERM},
	{"its owner raises it to RealTime", {1000, 1000}, 0, {1000, 1000},
	 false, MOS_PRIO_HIGH, MOS_PRIO_REALTIME, MOS_EPERM},
	{"its owner lowers it within RealTime", {1000, 1000}, 0, {1000, 1000},
	 false, MOS_PRIO_CRITICAL, MOS_PRIO_REALTIME, 0},
	{"NICE raises to Critical", {1000, 1000}, MOS_CAP_NICE, {1000, 1000},
	 false, MOS_PRIO_NORMAL, MOS_PRIO_CRITICAL, 0},
	{"NICE renices another user's", {1000, 1000}, MOS_CAP_NICE,
	 {2000, 2000}, false, MOS_PRIO_NORMAL, MOS_PRIO_HIGH, 0},
	{"another user's, even lowering", {1000, 1000}, 0, {2000, 2000}, false,
	 MOS_PRIO_NORMAL, MOS_PRIO_LOW, MOS_EPERM},
	{"every capability but NICE", {1000, 1000}, ALL & ~MOS_CAP_NICE,
	 {1000, 1000}, false, MOS_PRIO_NORMAL, MOS_PRIO_HIGH, MOS_EPERM},
	{"effective uid is the target's real", {3000, 1000}, 0, {1000, 2000},
	 false, MOS_PRIO_NORMAL, MOS_PRIO_LOW, 0},
	{"effective uid is the target's effective", {3000, 1000}, 0,
	 {2000, 1000}, false, MOS_PRIO_NORMAL, MOS_PRIO_LOW, 0},
	{"the real uid owns nothing", {1000, 3000}, 0, {1000, 1000}, false,
	 MOS_PRIO_NORMAL, MOS_PRIO_LOW, MOS_EPERM},
	{"itself, lowering", {1000, 1000}, 0, {1000, 1000}, true,
	 MOS_PRIO_NORMAL, MOS_PRIO_LOW, 0},
	{"itself, raising", {1000, 1000}, 0, {1000, 1000}, true,
	 MOS_PRIO_LOW, MOS_PRIO_NORMAL, MOS_EPERM},
};

typedef struct prio_run {
	const prio_case_t *c;
	int rc;
} prio_run_t;

static int renice_main(mos_proc_t *self, int argc, char **argv)
{
	prio_run_t *r = mos_sys_state(self);

	(void)argc;
	(void)argv;
	r->rc = mos_sys_set_priority(self, r->c->self ? 0 : 2, r->c->to);
	return 0;
}

/* The target is pid 2 (idle, Blocked), the actor pid 3; a denial leaves
 * the priority as it was, counts one and is audited. */
Test(cred, set_priority_permission_matrix)
{
	for (size_t i = 0; i < sizeof(prio_cases) / sizeof(*prio_cases); i++) {
		const prio_case_t *c = &prio_cases[i];
		mos_kernel_t *k = t_kernel(NULL);
		prio_run_t run = {c, 1};
		char buf[128], want[128] = "";
		mos_pid_t t, a, who;

		cr_assert_eq(mos_program_register(k, "renice", renice_main), 0);
		cr_assert_eq(t_spawn_as(k, 0, c->self ? MOS_PRIO_NORMAL : c->from,
					0, 0, T_ARGV("idle"), NULL, &t), 0);
		cr_assert_eq(t_spawn_as(k, 0, c->self ? c->from : MOS_PRIO_NORMAL,
					0, c->caps, T_ARGV("renice"), &run, &a),
			     0);
		set_ids(k, t, (const mos_uid_t[]){c->target[0], c->target[1],
						  c->target[0]}, NULL);
		set_ids(k, a, (const mos_uid_t[]){c->actor[0], c->actor[1],
						  c->actor[0]}, NULL);
		who = c->self ? a : t;
		cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
		cr_assert_eq(run.rc, c->rc, "%s: rc %d", c->name, run.rc);
		cr_assert_eq(t_info(k, who).priority, c->rc ? c->from : c->to,
			     "%s", c->name);
		if (c->rc)
			snprintf(want, sizeof(want), "3:%d:%d:%d@0",
				 MOS_AUDIT_PRIORITY, who, c->to);
		cr_assert_eq(denials(k), c->rc != 0, "%s", c->name);
		cr_assert_str_eq(audits(k, buf, sizeof(buf)), want, "%s",
				 c->name);
		mos_kernel_destroy(k);
	}
}

typedef struct create_run {
	int rc[4];
	mos_pid_t pid[4];
} create_run_t;

static int creator_main(mos_proc_t *self, int argc, char **argv)
{
	create_run_t *r = mos_sys_state(self);
	static const mos_priority_t asked[4] = {MOS_PRIO_HIGH, MOS_PRIO_NORMAL,
						MOS_PRIO_REALTIME, MOS_PRIO_LOW};

	(void)argc;
	(void)argv;
	for (int i = 0; i < 4; i++)
		r->rc[i] = mos_sys_create_process(self, asked[i],
						  T_ARGV("idle"), &r->pid[i]);
	return 0;
}

/*
 * create_process: a Normal process without NICE may give its own level or
 * below; High (above) and RealTime are denied, nothing created, each
 * counted and audited with the priority asked.  A RealTime process
 * without NICE still may not create a RealTime child.
 */
Test(cred, create_process_priority_needs_nice)
{
	mos_kernel_t *k = t_kernel(NULL);
	create_run_t r = {{1, 1, 1, 1}, {0}};
	mos_kernel_stats_t st;
	char buf[128], want[128];

	cr_assert_eq(mos_program_register(k, "creator", creator_main), 0);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, 0,
				T_ARGV("creator"), &r, NULL), 0);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(r.rc[0], MOS_EPERM);
	cr_assert_eq(r.rc[1], 0);
	cr_assert_eq(r.rc[2], MOS_EPERM);
	cr_assert_eq(r.rc[3], 0);
	cr_assert_eq(r.pid[1], 3);
	cr_assert_eq(r.pid[3], 4);
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_assert_eq(st.processes_created, 4);
	cr_assert_eq(st.permission_denials, 2);
	snprintf(want, sizeof(want), "2:%d:2:%d@0 2:%d:2:%d@0", MOS_AUDIT_CREATE,
		 MOS_PRIO_HIGH, MOS_AUDIT_CREATE, MOS_PRIO_REALTIME);
	cr_assert_str_eq(audits(k, buf, sizeof(buf)), want);
	mos_kernel_destroy(k);

	k = t_kernel(NULL);
	r = (create_run_t){{1, 1, 1, 1}, {0}};
	cr_assert_eq(mos_program_register(k, "creator", creator_main), 0);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_REALTIME, 1000, 0,
				T_ARGV("creator"), &r, NULL), 0);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(r.rc[0], 0);
	cr_assert_eq(r.rc[2], MOS_EPERM);
	mos_kernel_destroy(k);
}

typedef struct drop_run {
	uint32_t caps[3];
	int rc_bad, rc_high_before, rc_high_after;
} drop_run_t;

static int dropper_main(mos_proc_t *self, int argc, char **argv)
{
	drop_run_t *r = mos_sys_state(self);

	(void)argc;
	(void)argv;
	r->caps[0] = mos_sys_getcaps(self);
	r->rc_high_before = mos_sys_create_process(self, MOS_PRIO_HIGH,
						   T_ARGV("idle"), NULL);
	r->rc_bad = mos_sys_dropcaps(self, MOS_CAP_ALL + 1);
	r->caps[1] = mos_sys_getcaps(self);
	mos_sys_dropcaps(self, MOS_CAP_NICE | MOS_CAP_SETGID);
	r->caps[2] = mos_sys_getcaps(self);
	r->rc_high_after = mos_sys_create_process(self, MOS_PRIO_HIGH,
						  T_ARGV("idle"), NULL);
	return 0;
}

Test(cred, dropped_capabilities_are_gone)
{
	mos_kernel_t *k = t_kernel(NULL);
	drop_run_t r = {{0}, 1, 1, 1};

	cr_assert_eq(mos_program_register(k, "dropper", dropper_main), 0);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000,
				MOS_CAP_NICE | MOS_CAP_KILL, T_ARGV("dropper"),
				&r, NULL), 0);
	cr_assert_eq(mos_kernel_run(k, MS(1)), 0);
	cr_assert_eq(r.caps[0], MOS_CAP_NICE | MOS_CAP_KILL);
	cr_assert_eq(r.rc_high_before, 0);
	cr_assert_eq(r.rc_bad, MOS_EINVAL);
	cr_assert_eq(r.caps[1], MOS_CAP_NICE | MOS_CAP_KILL);
	cr_assert_eq(r.caps[2], MOS_CAP_KILL);
	cr_assert_eq(r.rc_high_after, MOS_EPERM);
	cr_assert_eq(t_info(k, 2).caps, MOS_CAP_KILL);
	mos_kernel_destroy(k);
}

/* ---- isolation domains --------------------------------------------------- */

#define NPIDS 9

typedef struct view {
	int list_rc;
	size_t n;
	mos_pid_t pids[NPIDS];
	int info_rc[NPIDS];      /* get_process_info of pids 1..8 */
	int kill_rc;             /* terminate_process of the one outside */
	mos_pid_t outside;
	int reaped;
} view_t;

/* List what it sees, ask about pids 1..8, try to terminate `outside`,
 * sleep 1 ms (so every viewer is still there while the others look),
 * then reap its children. */
static int viewer_main(mos_proc_t *self, int argc, char **argv)
{
	view_t *v = mos_sys_state(self);
	mos_process_info_t in;

	(void)argc;
	(void)argv;
	v->list_rc = mos_sys_process_list(self, v->pids, NPIDS, &v->n);
	for (mos_pid_t pid = 1; pid < NPIDS; pid++)
		v->info_rc[pid] = mos_sys_get_process_info(self, pid, &in);
	if (v->outside)
		v->kill_rc = mos_sys_terminate_process(self, v->outside);
	mos_sys_sleep(self, MS(1));
	while (mos_sys_wait(self, NULL) > 0)
		v->reaped++;
	return 0;
}

static mos_pid_t viewer(mos_kernel_t *k, mos_pid_t parent, mos_isolation_t iso,
			uint32_t caps, view_t *v)
{
	mos_process_spec_t spec;

	mos_process_spec_init(&spec);
	spec.command = T_ARGV("viewer");
	spec.parent = parent;
	spec.isolation = iso;
	spec.caps = caps;
	spec.arg = v;
	return t_make(k, &spec);
}

static void expect_view(const view_t *v, const mos_pid_t *pids, size_t n,
			const char *who)
{
	cr_assert_eq(v->list_rc, 0, "%s", who);
	cr_assert_eq(v->n, n, "%s sees %zu", who, v->n);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(v->pids[i], pids[i], "%s", who);
		cr_assert_eq(v->info_rc[pids[i]], 0, "%s: info %d", who, pids[i]);
	}
	for (mos_pid_t pid = 1; pid < NPIDS; pid++) {
		bool seen = false;
		for (size_t i = 0; i < n; i++)
			seen |= pids[i] == pid;
		if (!seen)
			cr_assert_eq(v->info_rc[pid], MOS_EPROCNOTFOUND,
				     "%s: info %d", who, pid);
	}
}

/*
 * R (2, the machine's domain, uid 1000, no capabilities); N1 (3,
 * Namespace: domain 1) with X (4, its child, joins domain 1) and N2 (5,
 * its child, Container: domain 2 inside 1); C (6, Container: domain 3);
 * A (7, Namespace: domain 4, but given ADMIN).  Each sees its domain and
 * the ones inside it; R (no domain) and A (ADMIN) see everything.  N1
 * cannot see C: terminating it is "no such process", not a denial.  N1
 * reaps both its children, one of them in a nested domain.
 */
Test(cred, isolation_domains_limit_what_a_process_sees)
{
	mos_kernel_t *k = t_kernel(NULL);
	view_t v[8];
	mos_process_info_t in;
	char buf[64];

	memset(v, 0, sizeof(v));
	cr_assert_eq(mos_program_register(k, "viewer", viewer_main), 0);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, 0,
				T_ARGV("viewer"), &v[2], NULL), 0);
	v[3].outside = 6;
	cr_assert_eq(viewer(k, 0, MOS_ISO_NAMESPACE, MOS_CAPS_INHERIT, &v[3]), 3);
	cr_assert_eq(viewer(k, 3, MOS_ISO_INHERIT, MOS_CAPS_INHERIT, &v[4]), 4);
	cr_assert_eq(viewer(k, 3, MOS_ISO_CONTAINER, MOS_CAPS_INHERIT, &v[5]), 5);
	cr_assert_eq(viewer(k, 0, MOS_ISO_CONTAINER, MOS_CAPS_INHERIT, &v[6]), 6);
	cr_assert_eq(viewer(k, 0, MOS_ISO_NAMESPACE, ALL, &v[7]), 7);

	in = t_info(k, 3);
	cr_assert_eq(in.isolation, MOS_ISO_NAMESPACE);
	cr_assert_eq(in.domain, 1);
	cr_assert_eq(in.caps, ALL & ~MOS_CAP_ADMIN);
	in = t_info(k, 4);
	cr_assert_eq(in.isolation, MOS_ISO_NAMESPACE);
	cr_assert_eq(in.domain, 1);
	cr_assert_eq(t_info(k, 5).isolation, MOS_ISO_CONTAINER);
	cr_assert_eq(t_info(k, 5).domain, 2);
	cr_assert_eq(t_info(k, 6).domain, 3);
	cr_assert_eq(t_info(k, 7).domain, 4);
	cr_assert_eq(t_info(k, 7).caps, ALL);
	cr_assert_eq(t_info(k, 2).domain, 0);

	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	expect_view(&v[2], (const mos_pid_t[]){1, 2, 3, 4, 5, 6, 7}, 7, "R");
	expect_view(&v[3], (const mos_pid_t[]){3, 4, 5}, 3, "N1");
	expect_view(&v[4], (const mos_pid_t[]){3, 4, 5}, 3, "X");
	expect_view(&v[5], (const mos_pid_t[]){5}, 1, "N2");
	expect_view(&v[6], (const mos_pid_t[]){6}, 1, "C");
	expect_view(&v[7], (const mos_pid_t[]){1, 2, 3, 4, 5, 6, 7}, 7, "A");
	cr_assert_eq(v[3].kill_rc, MOS_EPROCNOTFOUND);
	cr_assert_eq(v[3].reaped, 2);
	cr_assert_eq(MOS_WEXITSTATUS(t_info(k, 6).exit_status), 0);
	cr_assert_eq(denials(k), 0);
	cr_assert_str_eq(audits(k, buf, sizeof(buf)), "");
	mos_kernel_destroy(k);
}

/* White box: mos__cred_may_see, the seam the kill paths use. */
Test(cred, may_see_follows_the_domain_tree)
{
	mos_kernel_t *k = t_kernel(NULL);
	mos_process_spec_t spec;
	mos_proc_t *root, *d1, *d1c, *d2, *d3, *adm;
	mos_pid_t pid;

	mos_process_spec_init(&spec);
	spec.command = T_ARGV("idle");
	root = mos__proc_lookup(k, t_make(k, &spec));
	spec.isolation = MOS_ISO_NAMESPACE;
	pid = t_make(k, &spec);
	d1 = mos__proc_lookup(k, pid);
	spec.parent = pid;
	spec.isolation = MOS_ISO_INHERIT;
	d1c = mos__proc_lookup(k, t_make(k, &spec));
	spec.isolation = MOS_ISO_VM;
	d2 = mos__proc_lookup(k, t_make(k, &spec));
	spec.parent = 0;
	spec.isolation = MOS_ISO_CONTAINER;
	d3 = mos__proc_lookup(k, t_make(k, &spec));
	spec.caps = MOS_CAP_ADMIN;
	adm = mos__proc_lookup(k, t_make(k, &spec));

	cr_assert(mos__cred_may_see(NULL, d2));
	cr_assert(mos__cred_may_see(root, d2));
	cr_assert(mos__cred_may_see(d1, d1c));
	cr_assert(mos__cred_may_see(d1c, d1));
	cr_assert(mos__cred_may_see(d1, d2));
	cr_assert_not(mos__cred_may_see(d2, d1));
	cr_assert_not(mos__cred_may_see(d1, root));
	cr_assert_not(mos__cred_may_see(d1, d3));
	cr_assert_not(mos__cred_may_see(d3, d2));
	cr_assert(mos__cred_may_see(adm, d2));
	cr_assert(mos__cred_may_see(adm, k->init));
	/* Dead processes keep their domain: the history is filtered too. */
	cr_assert_eq(mos_process_terminate(k, d3->pid, true), 0);
	cr_assert(mos__cred_may_see(d3, d3));
	cr_assert_not(mos__cred_may_see(d1, d3));
	mos_kernel_destroy(k);
}
