/*
 * tests/test_alloc.c - the per-kernel allocator (mos_config_t.alloc) and
 * what a failed allocation leaves behind.
 *
 * A counting allocator refuses the 1st, 2nd, ... Nth request of one call
 * in turn, until the call succeeds without a refusal: kernel create,
 * process create from the host, a spawn from a program, a script process
 * (its prepare allocates), workload load and run, config load.  Each call
 * that met a refusal must return MOS_ENOMEM (and say so in its
 * mos_error_t where it has one), give back every block it took (the
 * allocator's count of live blocks; LeakSanitizer under SAN=1 looks at
 * the rest) and leave the kernel as it was: process list, trace hash and
 * total, stats, and the next pid (the create that succeeds at last gets
 * the pid the first attempt would have had).
 *
 * jansson's allocator is process-wide (json_set_alloc_funcs) and the
 * library leaves it alone; the tests that sweep jansson's allocations (the
 * loaders' parsing, a script's) set it themselves, which is safe because
 * Criterion runs each test in a process of its own, and put libc's back.
 * jansson does not always say it ran out of memory: its lexer turns a
 * string it could not allocate into an invalid token (a syntax error),
 * and drops a character it could not save (an unknown key).  Those
 * refusals must still leak and change nothing.
 */
#include <jansson.h>
#include <malloc.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "helpers.h"
#include "timeout.h"

TestSuite(alloc, .timeout = T_TIMEOUT);

/* ---- a counting allocator that refuses on request ---------------------- */

typedef struct counter {
	long requests;  /* malloc and realloc calls since arm() */
	long fail_at;   /* the request to refuse (1-based); 0: none */
	bool failed;    /* it was refused */
	long live;      /* blocks handed out and not freed */
	long misuse;    /* calls that broke multios/config.h's contract */
} counter_t;

/* Each block starts with a tag, in a header that keeps malloc's alignment:
 * a free or realloc of a block that is not ours shows as misuse. */
#define HDR 16
#define TAG UINT64_C(0x6d6f732d616c6c63)

static void arm(counter_t *c, long n)
{
	c->requests = 0;
	c->fail_at = n;
	c->failed = false;
}

static bool refuse(counter_t *c)
{
	if (++c->requests != c->fail_at)
		return false;
	c->failed = true;
	return true;
}

static bool ours(counter_t *c, void *p)
{
	uint64_t tag;

	if (!p) {
		c->misuse++;
		return false;
	}
	memcpy(&tag, (unsigned char *)p - HDR, sizeof(tag));
	if (tag != TAG)
		c->misuse++;
	return tag == TAG;
}

static void *c_malloc(void *ud, size_t n)
{
	counter_t *c = ud;
	unsigned char *b;

	c->misuse += n == 0;
	if (refuse(c) || !(b = malloc(HDR + n)))
		return NULL;
	memcpy(b, &(uint64_t){TAG}, sizeof(uint64_t));
	c->live++;
	return b + HDR;
}

static void *c_realloc(void *ud, void *p, size_t n)
{
	counter_t *c = ud;
	unsigned char *b;

	c->misuse += n == 0;
	if (!ours(c, p) || refuse(c) ||
	    !(b = realloc((unsigned char *)p - HDR, HDR + n)))
		return NULL;
	return b + HDR;
}

static void c_free(void *ud, void *p)
{
	counter_t *c = ud;

	if (!ours(c, p))
		return;
	memset((unsigned char *)p - HDR, 0, sizeof(uint64_t));
	free((unsigned char *)p - HDR);
	c->live--;
}

static mos_allocator_t counting(counter_t *c)
{
	return (mos_allocator_t){c_malloc, c_realloc, c_free, c};
}

/* jansson's allocator is one per process: so is its counter. */
static counter_t jc;

static void *j_malloc(size_t n)
{
	void *p;

	if (refuse(&jc) || !(p = malloc(n)))
		return NULL;
	jc.live++;
	return p;
}

static void j_free(void *p)
{
	if (p) {
		jc.live--;
		free(p);
	}
}

/* What a refusal of jansson's may come back as: MOS_ENOMEM (true), or,
 * from jansson's lexer, MOS_ECONFIG for a file that has no fault (false):
 * an invalid token, or a key with a character lost. */
static bool jansson_refusal(int rc, const mos_error_t *err, long n)
{
	/* jansson's first block is its lexer's, and it fails without a
	 * word: the loader must still call that MOS_ENOMEM. */
	if (n == 1)
		cr_assert_eq(rc, MOS_ENOMEM, "%s", err->message);
	if (rc == MOS_ENOMEM) {
		cr_assert_eq(err->code, MOS_ENOMEM);
		cr_assert_str_neq(err->message, "");
		return true;
	}
	cr_assert_eq(rc, MOS_ECONFIG, "refusal %ld: %s (%s)", n,
		     mos_strerror(rc), err->message);
	cr_assert_eq(err->code, MOS_ECONFIG);
	return false;
}

/* ---- the kernel's observable state ------------------------------------- */

#define MAXP 512

typedef struct kstate {
	int rc;
	size_t n;
	mos_pid_t pids[MAXP];
	uint64_t hash, total;
	mos_kernel_stats_t st;
} kstate_t;

/* No assertion here: it also runs on a process's coroutine. */
static void snap(mos_kernel_t *k, kstate_t *s)
{
	memset(s, 0, sizeof(*s));
	s->rc = mos_process_list(k, s->pids, MAXP, &s->n);
	s->rc |= mos_kernel_stats(k, &s->st);
	s->hash = mos_trace_hash(k);
	s->total = mos_trace_total(k);
}

/* What differs between a and b, or NULL.  `syscalls` more system calls
 * are allowed in b (a failed spawn is still a system call). */
static const char *differs(const kstate_t *a, const kstate_t *b,
			   uint64_t syscalls)
{
	const mos_kernel_stats_t *x = &a->st, *y = &b->st;

	if (a->rc || b->rc)
		return "a query failed";
	if (a->n != b->n || memcmp(a->pids, b->pids, a->n * sizeof(*a->pids)))
		return "process list";
	if (a->hash != b->hash || a->total != b->total)
		return "trace";
	if (x->processes_created != y->processes_created ||
	    x->processes_exited != y->processes_exited ||
	    x->processes_reaped != y->processes_reaped ||
	    x->dispatches != y->dispatches ||
	    x->context_switches != y->context_switches ||
	    x->preemptions != y->preemptions ||
	    x->host_switches != y->host_switches ||
	    x->syscalls + syscalls != y->syscalls ||
	    x->timers_fired != y->timers_fired || x->busy != y->busy ||
	    x->idle != y->idle || x->switching != y->switching ||
	    x->live_processes != y->live_processes)
		return "stats";
	return NULL;
}

static mos_config_t small_config(counter_t *c, const char *policy)
{
	mos_config_t cfg;

	mos_config_default(&cfg);
	cfg.max_processes = 1024; /* each snapshot scans the pid table */
	cfg.alloc = counting(c);
	snprintf(cfg.sched.policy, sizeof(cfg.sched.policy), "%s", policy);
	return cfg;
}

/* ---- what the creates run ----------------------------------------------- */

/* Nested repeat, spawn by array and by object, and a nested script given
 * inline (its steps reach the child as JSON text). */
#define SCRIPT                                                             \
	"[{\"compute\":\"1ms\"},"                                          \
	"{\"repeat\":2,\"steps\":[{\"sleep\":\"1ms\"},{\"yield\":true}]}," \
	"{\"spawn\":[\"cpu\",\"2ms\"]},"                                   \
	"{\"spawn\":{\"command\":[\"io\",\"1ms\",\"1ms\",\"2\"],"          \
	"\"priority\":\"low\"}},"                                         \
	"{\"spawn\":[\"script\",[{\"compute\":\"1ms\"},{\"exit\":4}]]},"   \
	"{\"wait\":\"all\"},{\"exit\":3}]"

/* A script that creates nothing when it runs: a spawn sweep's children
 * may run between its spawns and must not take pid numbers. */
#define LEAF_SCRIPT                                                        \
	"[{\"compute\":\"1ms\"},{\"repeat\":2,\"steps\":[{\"sleep\":\"1ms\"}]}," \
	"{\"exit\":2}]"

/* Commands the sweeps rotate through: none, one or many allocations in
 * prepare; a long cwd puts the strings out of line. */
static const char *const *const commands[] = {
	(const char *const[]){"cpu", "1ms", NULL},
	(const char *const[]){"io", "1ms", "2ms", "3", NULL},
	(const char *const[]){"crash", "3", "1ms", NULL},
	(const char *const[]){"script", SCRIPT, NULL},
};
#define NCOMMANDS (sizeof(commands) / sizeof(*commands))
#define LONG_CWD "/a/working/directory/long/enough/to/leave/the/inline/strings"

static void spec_for(mos_process_spec_t *spec, size_t i)
{
	mos_process_spec_init(spec);
	spec->command = commands[i % NCOMMANDS];
	spec->working_directory = i % 3 == 0 ? LONG_CWD : NULL;
	/* Many ticket counts and ranks: new lottery classes, heap runs. */
	spec->sched.tickets = 1 + (uint32_t)(i % 21);
	spec->sched.rank = (int32_t)(i % 7);
}

/* ---- kernel create ------------------------------------------------------ */

static void sweep_kernel_create(const char *policy, const char *backend)
{
	counter_t c = {0};
	mos_config_t cfg = small_config(&c, policy);
	mos_kernel_t *k;
	mos_error_t err;
	long n;
	int rc;

	snprintf(cfg.context_backend, sizeof(cfg.context_backend), "%s",
		 backend);
	for (n = 1;; n++) {
		k = (mos_kernel_t *)&cfg; /* anything but NULL */
		arm(&c, n);
		rc = mos_kernel_create(&cfg, &k, &err);
		if (!c.failed)
			break;
		cr_assert_eq(rc, MOS_ENOMEM, "%s/%s: refusal %ld: %s", policy,
			     backend, n, mos_strerror(rc));
		cr_assert_eq(err.code, MOS_ENOMEM);
		/* The kernel object is the first block. */
		cr_assert_str_eq(err.message, n == 1
				 ? "kernel: out of memory for the kernel object"
				 : "kernel: setting up the kernel: out of memory");
		cr_assert_null(k);
		cr_assert_eq(c.live, 0, "%s: refusal %ld leaks %ld blocks",
			     policy, n, c.live);
	}
	cr_assert_eq(rc, 0, "%s: %s", policy, err.message);
	/* Every request of the successful call was refused once. */
	cr_assert_eq(c.requests, n - 1);
	cr_assert_geq(c.requests, 10, "%s: %ld requests", policy, c.requests);
	mos_kernel_destroy(k);
	cr_assert_eq(c.live, 0);
	cr_assert_eq(c.misuse, 0);
}

Test(alloc, kernel_create_every_policy)
{
	for (const char *const *p = mos_sched_policies(); *p; p++) {
		sweep_kernel_create(*p, "auto");
		sweep_kernel_create(*p, "ucontext");
	}
}

/* ---- process create from the host -------------------------------------- */

/* Create ncreate processes one after another, each through a sweep. */
static void sweep_creates(const char *policy, size_t ncreate)
{
	counter_t c = {0};
	mos_config_t cfg = small_config(&c, policy);
	mos_kernel_t *k = t_kernel(&cfg);
	long refusals = 0;

	for (size_t i = 0; i < ncreate; i++) {
		mos_process_spec_t spec;
		kstate_t before, after;
		mos_pid_t pid = -7;
		long n, live;
		int rc;

		spec_for(&spec, i);
		for (n = 1;; n++) {
			snap(k, &before);
			live = c.live;
			arm(&c, n);
			rc = mos_process_create(k, &spec, &pid);
			if (!c.failed)
				break;
			refusals++;
			cr_assert_eq(rc, MOS_ENOMEM, "%s: create %zu, refusal "
				     "%ld: %s", policy, i, n, mos_strerror(rc));
			cr_assert_eq(pid, -7);
			cr_assert_eq(c.live, live, "%s: create %zu, refusal %ld "
				     "leaks %ld blocks", policy, i, n,
				     c.live - live);
			snap(k, &after);
			cr_assert_null(differs(&before, &after, 0),
				       "%s: create %zu, refusal %ld changed the "
				       "%s", policy, i, n,
				       differs(&before, &after, 0));
		}
		cr_assert_eq(rc, 0, "%s: create %zu: %s", policy, i,
			     mos_strerror(rc));
		/* A refused create may leave capacity behind (a larger timer
		 * heap, in the same block): the next try asks for less. */
		cr_assert_leq(c.requests, n - 1);
		/* No failed attempt used up a pid number. */
		cr_assert_eq(pid, (mos_pid_t)(2 + i), "%s: create %zu got pid %d",
			     policy, i, pid);
	}
	/* The pools grew on the way: slabs, the timer heap, the policy's
	 * arrays and classes, and the scripts' states were all refused. */
	cr_assert_geq(refusals, (long)(2 * ncreate));
	arm(&c, 0);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	mos_kernel_destroy(k);
	cr_assert_eq(c.live, 0);
	cr_assert_eq(c.misuse, 0);
}

/* 300 creates cross a control-block slab (256 blocks, init included),
 * four stack slabs (64 stacks each), five timer-heap and pheap doublings
 * and lottery's class table doubling (21 ticket counts). */
Test(alloc, process_create_every_policy)
{
	for (const char *const *p = mos_sched_policies(); *p; p++)
		sweep_creates(*p, 300);
}

/* ---- a spawn from a program --------------------------------------------- */

#define SPAWNS 70 /* past the first stack slab */

typedef struct spawner {
	counter_t *c;
	mos_kernel_t *k;
	const char *bad;         /* the first broken rule, or NULL */
	long bad_spawn, bad_n;
	long refusals;
	int rc[SPAWNS];
	mos_pid_t pid[SPAWNS];
	long requests[SPAWNS], tries[SPAWNS];
} spawner_t;

static void broke(spawner_t *s, const char *what, long i, long n)
{
	if (!s->bad) {
		s->bad = what;
		s->bad_spawn = i;
		s->bad_n = n;
	}
}

/* Sweeps each of its spawns; records, since a failed assertion must not
 * leave a coroutine's stack. */
static int spawner_main(mos_proc_t *self, int argc, char **argv)
{
	spawner_t *s = mos_sys_state(self);

	(void)argc;
	(void)argv;
	for (long i = 0; i < SPAWNS; i++) {
		for (long n = 1;; n++) {
			kstate_t before, after;
			mos_pid_t pid = -7;
			long live;
			int rc;

			snap(s->k, &before);
			live = s->c->live;
			arm(s->c, n);
			rc = mos_sys_spawn(self, i % NCOMMANDS == NCOMMANDS - 1
						   ? T_ARGV("script", LEAF_SCRIPT)
						   : commands[i % NCOMMANDS], &pid);
			if (!s->c->failed) {
				s->rc[i] = rc;
				s->pid[i] = pid;
				s->requests[i] = s->c->requests;
				s->tries[i] = n;
				arm(s->c, 0); /* the children run unrefused */
				break;
			}
			s->refusals++;
			snap(s->k, &after);
			if (rc != MOS_ENOMEM)
				broke(s, "the result is not MOS_ENOMEM", i, n);
			else if (pid != -7)
				broke(s, "the pid was written", i, n);
			else if (s->c->live != live)
				broke(s, "blocks leaked", i, n);
			else if (differs(&before, &after, 1))
				broke(s, differs(&before, &after, 1), i, n);
		}
	}
	while (mos_sys_wait(self, NULL) > 0)
		;
	return 0;
}

static void sweep_spawns(const char *policy)
{
	counter_t c = {0};
	mos_config_t cfg = small_config(&c, policy);
	mos_kernel_t *k = t_kernel(&cfg);
	spawner_t *s = calloc(1, sizeof(*s));
	mos_process_spec_t spec;
	mos_pid_t pid;

	cr_assert_not_null(s);
	s->c = &c;
	s->k = k;
	cr_assert_eq(mos_program_register(k, "spawner", spawner_main), 0);
	mos_process_spec_init(&spec);
	spec.command = T_ARGV("spawner");
	spec.arg = s;
	cr_assert_eq(mos_process_create(k, &spec, &pid), 0);
	cr_assert_eq(pid, 2);
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_null(s->bad, "%s: spawn %ld, refusal %ld: %s", policy,
		       s->bad_spawn, s->bad_n, s->bad);
	for (long i = 0; i < SPAWNS; i++) {
		cr_assert_eq(s->rc[i], 0, "%s: spawn %ld: %s", policy, i,
			     mos_strerror(s->rc[i]));
		cr_assert_eq(s->pid[i], (mos_pid_t)(3 + i), "%s: spawn %ld got "
			     "pid %d", policy, i, s->pid[i]);
		cr_assert_leq(s->requests[i], s->tries[i] - 1);
	}
	/* io, crash and script states, out-of-line strings, stack slabs. */
	cr_assert_geq(s->refusals, SPAWNS);
	cr_assert_eq(t_info(k, 2).exit_status, 0);
	mos_kernel_destroy(k);
	free(s);
	cr_assert_eq(c.live, 0);
	cr_assert_eq(c.misuse, 0);
}

Test(alloc, spawn_every_policy)
{
	for (const char *const *p = mos_sched_policies(); *p; p++)
		sweep_spawns(*p);
}

/* ---- a script process ---------------------------------------------------- */

/* The create of a script process, swept through the kernel's allocator
 * and then through jansson's (prepare parses the script with jansson and
 * dumps the nested script back to JSON text). */
static void sweep_script(counter_t *cc, mos_kernel_t *k, counter_t *sweep,
			 mos_pid_t want)
{
	const char *const *cmd = T_ARGV("script", SCRIPT);
	mos_process_spec_t spec;
	long n, nomem = 0;
	int rc;

	mos_process_spec_init(&spec);
	spec.command = cmd;
	for (n = 1;; n++) {
		kstate_t before, after;
		long live = cc->live, jlive = jc.live;
		mos_pid_t pid = -7;

		snap(k, &before);
		arm(sweep, n);
		rc = mos_process_create(k, &spec, &pid);
		if (!sweep->failed) {
			cr_assert_eq(rc, 0, "%s", mos_strerror(rc));
			cr_assert_eq(pid, want);
			break;
		}
		/* A create has no mos_error_t: jansson's misreport is a
		 * bad script, MOS_ECONFIG. */
		cr_assert(rc == MOS_ENOMEM || (sweep == &jc && rc == MOS_ECONFIG &&
						   n > 1),
			  "refusal %ld: %s", n, mos_strerror(rc));
		nomem += rc == MOS_ENOMEM;
		cr_assert_eq(pid, -7);
		cr_assert_eq(cc->live, live, "refusal %ld leaks", n);
		cr_assert_eq(jc.live, jlive, "refusal %ld leaks jansson's", n);
		snap(k, &after);
		cr_assert_null(differs(&before, &after, 0), "refusal %ld: %s", n,
			       differs(&before, &after, 0));
	}
	cr_assert_leq(sweep->requests, n - 1);
	cr_assert_geq(n - 1, 5);
	cr_assert_geq(nomem, 3, "%ld of %ld refusals were MOS_ENOMEM", nomem,
		      n - 1);
	arm(sweep, 0);
}

Test(alloc, script_process)
{
	counter_t c = {0};
	mos_config_t cfg = small_config(&c, "multios");
	mos_kernel_t *k = t_kernel(&cfg);
	mos_kernel_stats_t st;
	int status = 0;

	sweep_script(&c, k, &c, 2);
	json_set_alloc_funcs(j_malloc, j_free);
	sweep_script(&c, k, &jc, 3);
	json_set_alloc_funcs(malloc, free);
	cr_assert_eq(jc.live, 0);
	/* Both run their whole script: three children each, and exit 3. */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	for (mos_pid_t pid = 2; pid <= 3; pid++) {
		status = t_info(k, pid).exit_status;
		cr_assert(MOS_WIFEXITED(status) && MOS_WEXITSTATUS(status) == 3,
			  "pid %d: status %d", pid, status);
	}
	cr_assert_eq(mos_kernel_stats(k, &st), 0);
	cr_assert_eq(st.processes_created, 1 + 2 + 2 * 3);
	mos_kernel_destroy(k);
	cr_assert_eq(c.live, 0);
	cr_assert_eq(c.misuse, 0);
}

/* ---- terminate: a survivor's signal timers --------------------------------- */

#define SURVIVORS 40

/* A process that blocks SIGTERM gets its signal timers (the alarm and the
 * grace period's) at its first terminate: a refused allocation, the
 * timers' block or a larger timer heap for either timer, fails the
 * terminate with MOS_ENOMEM and leaves nothing behind.  Each round
 * creates one process and makes two timers, so the heap's fill meets its
 * doublings at either timer. */
Test(alloc, terminate_a_survivor)
{
	counter_t c = {0};
	mos_config_t cfg = small_config(&c, "multios");
	mos_kernel_t *k = t_kernel(&cfg);
	long grown = 0;

	for (int i = 0; i < SURVIVORS; i++) {
		mos_pid_t pid = t_spawn(k, T_ARGV("script", "[{\"mask\":[\"TERM\"]},"
							  "{\"sleep\":\"100s\"}]"));
		kstate_t before, after;
		long n, live;
		int rc;

		cr_assert_eq(mos_kernel_run(k, mos_kernel_now(k) + MOS_USEC), 0);
		for (n = 1;; n++) {
			snap(k, &before);
			live = c.live;
			arm(&c, n);
			rc = mos_process_terminate(k, pid, false);
			if (!c.failed)
				break;
			cr_assert_eq(rc, MOS_ENOMEM, "round %d, refusal %ld: %s",
				     i, n, mos_strerror(rc));
			cr_assert_eq(c.live, live, "round %d, refusal %ld leaks "
				     "%ld blocks", i, n, c.live - live);
			snap(k, &after);
			cr_assert_null(differs(&before, &after, 0), "round %d, "
				       "refusal %ld changed the %s", i, n,
				       differs(&before, &after, 0));
		}
		cr_assert_eq(rc, 0, "round %d: %s", i, mos_strerror(rc));
		cr_assert_eq(t_info(k, pid).state, MOS_STATE_BLOCKED);
		grown += c.requests > 1;
		arm(&c, 0);
	}
	/* The heap grew under a terminate at some doublings. */
	cr_assert_geq(grown, 2, "%ld", grown);
	/* The grace periods end: every survivor is killed. */
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	for (mos_pid_t pid = 2; pid < 2 + SURVIVORS; pid++)
		cr_assert_eq(MOS_WTERMSIG(t_info(k, pid).exit_status),
			     MOS_SIGKILL, "pid %d", pid);
	mos_kernel_destroy(k);
	cr_assert_eq(c.live, 0);
	cr_assert_eq(c.misuse, 0);
}

/* A survivor's timers go back when it is reaped, not when it leaves the
 * history (1024 by default): round after round of survivors, each
 * terminated and killed at the end of its grace period, asks the
 * allocator for as much as the round before, and the history holds one
 * block more, the record's command line; the timer heap does not grow.
 * Fewer rounds than a control-block slab holds (256), which the history
 * fills. */
Test(alloc, survivors_give_their_timers_back_when_reaped)
{
	counter_t c = {0};
	mos_config_t cfg = small_config(&c, "multios");
	mos_kernel_t *k = t_kernel(&cfg);
	long requests = 0, live = 0;

	for (int i = 0; i < 200; i++) {
		mos_pid_t pid;

		c.requests = 0;
		pid = t_spawn(k, T_ARGV("script", "[{\"mask\":[\"TERM\"]},"
					       "{\"sleep\":\"100s\"}]"));
		cr_assert_eq(mos_kernel_run(k, mos_kernel_now(k) + MOS_USEC), 0);
		cr_assert_eq(mos_process_terminate(k, pid, false), 0);
		cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
		cr_assert_eq(t_info(k, pid).state, MOS_STATE_DEFUNCT);
		cr_assert_eq(MOS_WTERMSIG(t_info(k, pid).exit_status), MOS_SIGKILL);
		if (i == 1)
			requests = c.requests;
		else if (i > 1)
			cr_assert(c.requests == requests && c.live == live + 1,
				  "round %d: %ld requests, %ld live; round %d: "
				  "%ld live, round 1: %ld requests", i,
				  c.requests, c.live, i - 1, live, requests);
		live = c.live;
	}
	mos_kernel_destroy(k);
	cr_assert_eq(c.live, 0);
	cr_assert_eq(c.misuse, 0);
}

/* ---- loaders ------------------------------------------------------------- */

#define WORKLOAD "tests/data/workload-full.json"
#define CONFIG "tests/data/config-all.json"

static void check_workload_refusal(int rc, const mos_workload_t *w,
				   const mos_error_t *err, long n)
{
	cr_assert_eq(rc, MOS_ENOMEM, "refusal %ld: %s (%s)", n,
		     mos_strerror(rc), err->message);
	cr_assert_eq(err->code, MOS_ENOMEM);
	cr_assert_str_neq(err->message, "");
	cr_assert_eq(w, (const mos_workload_t *)err, "*out was written");
}

Test(alloc, workload_load)
{
	counter_t c = {0};
	mos_allocator_t a = counting(&c);
	mos_workload_t *w;
	mos_error_t err;
	long n, nomem = 0;
	int rc;

	for (n = 1;; n++) {
		w = (mos_workload_t *)&err; /* must stay as it is */
		arm(&c, n);
		rc = mos_workload_load_json_alloc(WORKLOAD, &a, &w, &err);
		if (!c.failed)
			break;
		check_workload_refusal(rc, w, &err, n);
		cr_assert_eq(c.live, 0, "refusal %ld leaks", n);
	}
	cr_assert_eq(rc, 0, "%s", err.message);
	/* The workload, its process array, and B's bursts (A's one CPU
	 * burst too; the periodic tasks have none). */
	cr_assert_eq(c.requests, 4);
	cr_assert_eq(n, 5);
	cr_assert(w->alloc.malloc == c_malloc && w->alloc.ud == &c);
	mos_workload_free(w);
	cr_assert_eq(c.live, 0);

	/* jansson's allocations while the file is parsed. */
	json_set_alloc_funcs(j_malloc, j_free);
	for (n = 1;; n++) {
		w = (mos_workload_t *)&err;
		arm(&jc, n);
		rc = mos_workload_load_json_alloc(WORKLOAD, &a, &w, &err);
		if (!jc.failed)
			break;
		nomem += jansson_refusal(rc, &err, n);
		cr_assert_eq(w, (mos_workload_t *)&err, "*out was written");
		cr_assert_eq(c.live, 0, "refusal %ld leaks", n);
		cr_assert_eq(jc.live, 0, "refusal %ld leaks jansson's", n);
	}
	json_set_alloc_funcs(malloc, free);
	cr_assert_eq(rc, 0, "%s", err.message);
	cr_assert_geq(n, 10);
	cr_assert_geq(nomem, 3, "%ld of %ld refusals were MOS_ENOMEM", nomem,
		      n - 1);
	mos_workload_free(w);
	cr_assert_eq(c.live, 0);
	cr_assert_eq(c.misuse, 0);
}

/* A run's bookkeeping, kernel and report come from w->alloc.  A refused
 * growth of the slice log only truncates the log (the report says so);
 * every other refusal fails the run. */
Test(alloc, workload_run)
{
	counter_t c = {0};
	mos_allocator_t a = counting(&c);
	mos_sched_report_t *r, *full = NULL;
	mos_workload_t *w = NULL;
	mos_error_t err;
	long n, truncated = 0;
	int rc;

	cr_assert_eq(mos_workload_load_json_alloc(WORKLOAD, &a, &w, &err), 0);
	arm(&c, 0);
	cr_assert_eq(mos_sched_run_workload(w, NULL, &full, &err), 0);
	cr_assert(full->alloc.malloc == c_malloc && !full->slices_truncated);
	for (n = 1;; n++) {
		long live = c.live;

		r = (mos_sched_report_t *)&err;
		arm(&c, n);
		rc = mos_sched_run_workload(w, NULL, &r, &err);
		if (!c.failed)
			break;
		if (rc == 0) {
			cr_assert(r->slices_truncated, "refusal %ld swallowed", n);
			cr_assert_eq(r->trace_hash, full->trace_hash);
			truncated++;
			mos_sched_report_free(r);
		} else {
			cr_assert_eq(rc, MOS_ENOMEM, "refusal %ld: %s (%s)", n,
				     mos_strerror(rc), err.message);
			cr_assert_eq(err.code, MOS_ENOMEM);
			cr_assert_eq(r, (mos_sched_report_t *)&err);
		}
		cr_assert_eq(c.live, live, "refusal %ld leaks", n);
	}
	cr_assert_eq(rc, 0, "%s", err.message);
	cr_assert_eq(c.requests, n - 1);
	cr_assert_eq(truncated, 1); /* the log's one block, made once */
	cr_assert_eq(r->trace_hash, full->trace_hash);
	mos_sched_report_free(r);
	mos_sched_report_free(full);
	mos_workload_free(w);
	cr_assert_eq(c.live, 0);
	cr_assert_eq(c.misuse, 0);
}

/* The config loader makes no allocation of its own (cfg->alloc would be
 * its allocator); jansson's, while it parses, are swept. */
Test(alloc, config_load)
{
	counter_t c = {0};
	mos_config_t cfg, was;
	mos_error_t err;
	long n, nomem = 0;
	int rc;

	mos_config_default(&cfg);
	cfg.alloc = counting(&c);
	memcpy(&was, &cfg, sizeof(cfg));
	json_set_alloc_funcs(j_malloc, j_free);
	for (n = 1;; n++) {
		arm(&c, 0);
		arm(&jc, n);
		rc = mos_config_load_json(CONFIG, &cfg, &err);
		if (!jc.failed)
			break;
		nomem += jansson_refusal(rc, &err, n);
		cr_assert_eq(memcmp(&cfg, &was, sizeof(cfg)), 0,
			     "refusal %ld changed *cfg", n);
		cr_assert_eq(jc.live, 0, "refusal %ld leaks jansson's", n);
		cr_assert_eq(c.requests, 0);
	}
	json_set_alloc_funcs(malloc, free);
	cr_assert_eq(rc, 0, "%s", err.message);
	cr_assert_geq(n, 10);
	cr_assert_geq(nomem, 3, "%ld of %ld refusals were MOS_ENOMEM", nomem,
		      n - 1);
	cr_assert_eq(c.requests, 0);
	/* A file cannot set the allocator. */
	cr_assert(cfg.alloc.malloc == c_malloc && cfg.alloc.ud == &c);
}

/* ---- the allocator itself ------------------------------------------------ */

Test(alloc, all_or_none)
{
	counter_t c = {0};
	mos_config_t cfg;
	mos_kernel_t *k = NULL;
	mos_workload_t *w = NULL, wl;
	mos_sched_report_t *r = NULL;
	mos_allocator_t half = {c_malloc, NULL, c_free, &c};
	mos_error_t err;

	mos_config_default(&cfg);
	cfg.alloc = half;
	cr_assert_eq(mos_config_validate(&cfg, &err), MOS_ECONFIG);
	cr_assert_str_eq(err.path, "alloc");
	cr_assert_str_eq(err.message, "config: alloc: malloc, realloc and free "
			 "must be all set or all NULL (malloc set, realloc "
			 "NULL, free set)");
	cr_assert_eq(mos_kernel_create(&cfg, &k, &err), MOS_ECONFIG);
	cr_assert_null(k);
	cr_assert_str_eq(err.path, "alloc");

	cr_assert_eq(mos_workload_load_json_alloc(WORKLOAD, &half, &w, &err),
		     MOS_EINVAL);
	cr_assert_null(w);
	cr_assert_str_eq(err.path, "alloc");

	cr_assert_eq(mos_workload_load_json_alloc(WORKLOAD, NULL, &w, &err), 0);
	wl = *w;
	wl.alloc = half;
	cr_assert_eq(mos_sched_run_workload(&wl, NULL, &r, &err), MOS_ECONFIG);
	cr_assert_null(r);
	cr_assert_str_eq(err.path, "alloc");
	mos_workload_free(w);
	cr_assert_eq(c.requests, 0);
}

/* A bump allocator on its own mapping, so that libc's counts (mallinfo2)
 * show whether anything else was taken from libc. */
typedef struct arena {
	unsigned char *base;
	size_t used, cap;
	long live;
} arena_t;

static void *a_malloc(void *ud, size_t n)
{
	arena_t *a = ud;
	size_t need = HDR + (n + 15) / 16 * 16;
	unsigned char *b = a->base + a->used;

	if (a->cap - a->used < need)
		return NULL;
	a->used += need;
	a->live++;
	memcpy(b, &n, sizeof(n));
	return b + HDR;
}

static void a_free(void *ud, void *p)
{
	(void)p;
	((arena_t *)ud)->live--;
}

static void *a_realloc(void *ud, void *p, size_t n)
{
	void *q = a_malloc(ud, n);
	size_t old;

	if (!q)
		return NULL;
	memcpy(&old, (unsigned char *)p - HDR, sizeof(old));
	memcpy(q, p, old < n ? old : n);
	a_free(ud, p);
	return q;
}

/* jansson's blocks from an arena too, in the test that wants none from
 * libc. */
static arena_t *jansson_arena;

static void *ja_malloc(size_t n)
{
	return a_malloc(jansson_arena, n);
}

static void ja_free(void *p)
{
	if (p)
		a_free(jansson_arena, p);
}

/* The same processes run with libc's allocator and with a custom one:
 * the same trace; and with the custom one (and jansson's pointed at an
 * arena too) libc hands out not one block from create to the end of the
 * run: libc's counts (mallinfo2) do not move.  AddressSanitizer's malloc
 * is not libc's: under SAN=1 they do not move either way. */
Test(alloc, custom_allocator_runs_as_libc)
{
	arena_t ar = {.cap = (size_t)64 << 20}, jar = {.cap = (size_t)8 << 20};
	uint64_t hash[2];
	int rc[2] = {0, 0};

	ar.base = mmap(NULL, ar.cap, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	jar.base = mmap(NULL, jar.cap, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	cr_assert(ar.base != MAP_FAILED && jar.base != MAP_FAILED);
	jansson_arena = &jar;
	for (int custom = 0; custom < 2; custom++) {
		struct mallinfo2 m0, m1;
		mos_kernel_t *k = NULL;
		mos_config_t cfg;

		mos_config_default(&cfg);
		if (custom) {
			cfg.alloc = (mos_allocator_t){a_malloc, a_realloc,
						      a_free, &ar};
			json_set_alloc_funcs(ja_malloc, ja_free);
		}
		/* No assertion between the two counts: Criterion's own
		 * reporting may allocate. */
		m0 = mallinfo2();
		rc[0] = mos_kernel_create(&cfg, &k, NULL);
		for (size_t i = 0; k && i < 40; i++) {
			mos_process_spec_t spec;

			spec_for(&spec, i);
			rc[1] |= mos_process_create(k, &spec, NULL);
		}
		rc[1] |= k ? mos_kernel_run(k, MOS_TIME_NEVER) : 0;
		m1 = mallinfo2();
		json_set_alloc_funcs(malloc, free);
		cr_assert_eq(rc[0], 0);
		cr_assert_eq(rc[1], 0);
		hash[custom] = mos_trace_hash(k);
		if (custom) {
			cr_assert_eq(m1.uordblks, m0.uordblks);
			cr_assert_eq(m1.hblkhd, m0.hblkhd);
			cr_assert_gt(ar.live, 0);
		}
		mos_kernel_destroy(k);
	}
	cr_assert_eq(hash[0], hash[1]);
	cr_assert_eq(ar.live, 0);
	cr_assert_eq(jar.live, 0);
	cr_assert_gt(jar.used, 0);
	munmap(ar.base, ar.cap);
	munmap(jar.base, jar.cap);
}
