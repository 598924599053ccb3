/*
 * src/service/health.c - health checks: liveness and readiness probes
 * (docs/SERVICES.md, "Health checks").
 *
 * Per service with an active probe, per instance slot, per probe: one
 * background timer (a probe never keeps a run alive), the instant of the
 * next probe, the one in flight (a host ping, mos__ipc_host_request, or
 * an exec probe's process), the consecutive counts; per slot the lifetime
 * counts and a ring of the last MOS_SVC_HEALTH_HISTORY records.  All of
 * it is made on the first spawn of an instance of a service with a probe
 * (s->health) and freed with the service.
 *
 * Timing.  A probe starts initial_delay after its instance got its pid,
 * then every interval from there: the n-th is due at the nominal instant
 * spawn + initial_delay + n * interval, which the importance turns into
 * its real instant:
 *   - critical: exactly the nominal instant;
 *   - high, normal, low: the nominal instant rounded UP to a multiple of
 *     a quantum, 1 ms, 10 ms, 100 ms: the probes of many services and
 *     instances fall on the same instants and run in one timer pass.
 * Rounding never accumulates: each instant is rounded from the nominal
 * one.  A rounded instant that is not after the last probe's start is
 * skipped (an interval shorter than the quantum: one probe per quantum
 * instant at most), and so is one due while the previous probe is still
 * in flight (a timeout over the quantum); critical probes skip none.  A probe fails when it has no answer within timeout from its
 * start (MOS_ETIMEDOUT: the ping is cancelled, the exec probe SIGKILLed),
 * when the instance's mailbox is full (MOS_EAGAIN, at once), when an
 * exec probe exits non-zero (MOS_EHEALTH), or when its process cannot
 * be made (that error).  As timeout <= interval, a probe has at most one
 * in flight; when its timeout and its next start fall on one instant, the
 * timeout is decided first.
 *
 * Decisions.  failure_threshold consecutive failures of the liveness
 * probe: the instance is audited (MOS_AUDIT_HEALTH), marked draining, the
 * calls in flight to it fail (mos__ipc_fail_callers) and it is SIGKILLed
 * (its process group); restart.c restarts it under the policy with
 * reason MOS_SVC_R_HEALTH.  failure_threshold consecutive failures of
 * the readiness probe: the instance is unready (out of balancing:
 * mos__svc_inst_eligible), audited, and the calls in flight to it fail;
 * success_threshold consecutive successes bring it back.  An instance
 * with a readiness probe starts unready, as in Kubernetes, until
 * success_threshold successes.  Either crossing sets the status's
 * health_error to MOS_EHEALTH, kept until the service is started anew.
 *
 * Probes run only while the service is Starting or Running: another state
 * stops them (timers cancelled, pings cancelled, exec probes killed); a
 * return to Starting or Running (a resume) starts them again
 * initial_delay later, consecutive counts kept.  A dead instance's probes
 * stop; its restart starts them afresh (consecutive counts reset, the
 * slot's lifetime counts and history kept).
 *
 * Where it runs: timers, exec exits and state changes on the host stack;
 * a ping's answer inside mos_sys_reply on the instance's coroutine, where
 * only successes are recorded (a success only clears flags), never a
 * kill.
 */
#include <string.h>

#include "ipc/ipc_int.h"
#include "service_int.h"
#include "util/alloc.h"
#include "util/timemath.h"

enum { H_LIVE, H_READY, H_NPROBES };

typedef struct mos_svc_probe {
	mos_timer_t timer;
	struct mos_svc_health *h;
	const mos_probe_spec_t *spec; /* NULL: no such probe */
	uint32_t slot;
	bool liveness;
	bool on;                    /* scheduled */
	bool inflight;
	mos_time_t nominal;         /* the next probe's instant, unrounded */
	mos_time_t next;            /* its real instant */
	mos_time_t started, deadline; /* the one in flight */
	mos_ipc_host_req_t hr;      /* ping */
	mos_pid_t exec_pid;         /* exec: its process, 0: none */
	uint32_t fails, succs;      /* consecutive */
} mos_svc_probe_t;

typedef struct mos_svc_hslot {
	mos_svc_probe_t p[H_NPROBES];
	uint64_t checks, failures;  /* in the slot's life */
	uint32_t nhist, head;       /* ring: head is the next to write */
	mos_health_record_t hist[MOS_SVC_HEALTH_HISTORY];
} mos_svc_hslot_t;

typedef struct mos_svc_health {
	mos_svc_t *s;
	uint64_t failures;
	int error;
	mos_svc_hslot_t slot[];
} mos_svc_health_t;

/* The quantum each importance rounds its probes' instants up to. */
static const mos_time_t quantum[MOS_IMP_COUNT] = {
	[MOS_IMP_CRITICAL] = 0,
	[MOS_IMP_HIGH] = MOS_MSEC,
	[MOS_IMP_NORMAL] = 10 * MOS_MSEC,
	[MOS_IMP_LOW] = 100 * MOS_MSEC,
};

static bool active(const mos_probe_spec_t *p) { return p->kind != MOS_PROBE_NONE; }

static bool probing(const mos_svc_t *s)
{
	return s->state == MOS_SVC_STARTING || s->state == MOS_SVC_RUNNING;
}

static mos_kernel_t *kernel_of(const mos_svc_probe_t *p) { return p->h->s->m->k; }

static mos_time_t due_of(const mos_svc_t *s, mos_time_t nominal)
{
	mos_time_t q = quantum[s->importance];

	return q ? (nominal + q - 1) / q * q : nominal;
}

/* ---- the timer -------------------------------------------------------- */

static void probe_arm(mos_svc_probe_t *p)
{
	mos_time_t t = p->next;

	if (!p->on) {
		mos__ktimer_cancel(kernel_of(p), &p->timer);
		return;
	}
	if (p->inflight && p->deadline < t)
		t = p->deadline;
	mos__ktimer_arm(kernel_of(p), &p->timer, t, MOS_BAND_SERVICE);
}

/* Forget the probe in flight: its ping cancelled, its process killed. */
static void probe_drop(mos_svc_probe_t *p)
{
	mos_pid_t pid = p->exec_pid;

	p->inflight = false;
	p->exec_pid = 0;
	mos__ipc_host_cancel(kernel_of(p), &p->hr);
	if (pid)
		(void)mos_process_send_signal(kernel_of(p), pid, MOS_SIGKILL);
}

static void probe_halt(mos_svc_probe_t *p)
{
	if (!p->spec)
		return;
	probe_drop(p);
	p->on = false;
	mos__ktimer_cancel(kernel_of(p), &p->timer);
}

static void probe_begin(mos_svc_probe_t *p)
{
	if (!p->spec || p->on)
		return;
	p->on = true;
	p->nominal = mos__time_add_sat(mos_kernel_now(kernel_of(p)),
				       p->spec->initial_delay);
	p->next = due_of(p->h->s, p->nominal);
	probe_arm(p);
}

/* The probes of h, slot by slot: n < instances * H_NPROBES. */
static mos_svc_probe_t *probe_n(mos_svc_health_t *h, uint32_t n)
{
	return &h->slot[n / H_NPROBES].p[n % H_NPROBES];
}

static void slot_halt(mos_svc_health_t *h, uint32_t i)
{
	for (int j = 0; j < H_NPROBES; j++)
		probe_halt(&h->slot[i].p[j]);
}

/* ---- decisions ---------------------------------------------------------- */

static void health_failed(mos_svc_health_t *h, mos_pid_t pid)
{
	mos_svc_t *s = h->s;

	h->error = MOS_EHEALTH;
	mos__svc_audit(s->m, 0, MOS_AUDIT_HEALTH, s, s->id, MOS_EHEALTH,
		       MOS_SVC_R_HEALTH);
	(void)mos__ipc_fail_callers(s->m->k, pid);
}

/* Liveness failed past its threshold (host stack): the instance goes. */
static void kill_instance(mos_svc_health_t *h, uint32_t i)
{
	mos_svc_inst_t *in = &h->s->inst[i];
	mos_pid_t pid = in->pid;

	in->draining = true;
	slot_halt(h, i);
	health_failed(h, pid);
	(void)mos_process_send_signal(h->s->m->k, -pid, MOS_SIGKILL);
}

static void record(mos_svc_probe_t *p, int result)
{
	mos_svc_health_t *h = p->h;
	mos_svc_hslot_t *sl = &h->slot[p->slot];
	mos_svc_inst_t *in = &h->s->inst[p->slot];
	mos_time_t now = mos_kernel_now(kernel_of(p));

	sl->hist[sl->head] = (mos_health_record_t){
		.time = now,
		.liveness = p->liveness,
		.result = result,
		.latency = now - p->started,
	};
	sl->head = (sl->head + 1) % MOS_SVC_HEALTH_HISTORY;
	if (sl->nhist < MOS_SVC_HEALTH_HISTORY)
		sl->nhist++;
	sl->checks++;
	if (result == 0) {
		p->fails = 0;
		p->succs++;
		if (!p->liveness && in->unready &&
		    p->succs >= p->spec->success_threshold)
			in->unready = false;
		return;
	}
	sl->failures++;
	h->failures++;
	p->succs = 0;
	p->fails++;
	if (p->fails < p->spec->failure_threshold)
		return;
	if (p->liveness) {
		kill_instance(h, p->slot);
	} else if (!in->unready) {
		in->unready = true;
		health_failed(h, in->pid);
	}
}

/* ---- running a probe --------------------------------------------------- */

/* A ping's answer (inside mos_sys_reply) or its instance's death. */
static void ping_done(mos_kernel_t *k, mos_ipc_host_req_t *hr, int result,
		      const mos_msg_t *reply)
{
	mos_svc_probe_t *p = hr->arg;

	(void)k;
	(void)reply;
	if (!p->inflight)
		return;
	p->inflight = false;
	if (result == 0) {
		record(p, 0);
		probe_arm(p);
	}
	/* MOS_EPEERDIED: the instance died; its exit stops the probes */
}

static void probe_start(mos_svc_probe_t *p)
{
	mos_svc_t *s = p->h->s;
	mos_pid_t pid = s->inst[p->slot].pid;
	mos_time_t now = mos_kernel_now(s->m->k);
	int e;

	p->started = now;
	p->deadline = now + p->spec->timeout;
	if (p->spec->kind == MOS_PROBE_PING) {
		mos_msg_t m;

		memset(&m, 0, sizeof(m));
		m.type = MOS_MSG_PING;
		e = mos__ipc_host_request(s->m->k, pid, &p->hr, &m, ping_done, p);
	} else {
		e = mos__svc_spawn_probe(s, p->spec->command, &p->exec_pid);
	}
	if (e == 0)
		p->inflight = true;
	else if (e != MOS_EPROCNOTFOUND) /* not found: it is dying */
		record(p, e);
}

/* The next nominal instant whose real one is after now.  Only a rounded
 * importance can skip one (an interval shorter than its quantum, or a
 * probe still in flight when the next is due, as Kubernetes's ticker
 * drops ticks): a critical probe's next instant is start + interval. */
static void advance(mos_svc_probe_t *p, mos_time_t now)
{
	mos_time_t iv = p->spec->interval;

	p->nominal += iv;
	if (due_of(p->h->s, p->nominal) <= now)
		p->nominal += ((now - p->nominal) / iv + 1) * iv;
	p->next = due_of(p->h->s, p->nominal);
}

static void probe_fired(void *arg, mos_timer_t *t)
{
	mos_svc_probe_t *p = arg;
	mos_time_t now = mos_kernel_now(kernel_of(p));

	(void)t;
	if (p->inflight && now >= p->deadline) {
		probe_drop(p);
		record(p, MOS_ETIMEDOUT);
	}
	if (!p->on)
		return; /* the failure killed the instance */
	if (now >= p->next) {
		bool busy = p->inflight;

		advance(p, now);
		if (!busy)
			probe_start(p);
		if (!p->on)
			return;
	}
	probe_arm(p);
}

/* ---- the hooks ---------------------------------------------------------- */

/* s->health, made on first use; NULL: no probes (or no memory). */
static mos_svc_health_t *health_of(mos_svc_t *s)
{
	const mos_probe_spec_t *spec[H_NPROBES] = {&s->liveness_probe,
						   &s->readiness_probe};
	mos_svc_health_t *h = s->health;
	uint32_t i = 0;
	int j = 0;

	if (h || (!active(spec[H_LIVE]) && !active(spec[H_READY])))
		return h;
	h = mos__calloc(s->m->a, 1,
			sizeof(*h) + (size_t)s->instances * sizeof(h->slot[0]));
	if (!h)
		return NULL;
	h->s = s;
	for (i = 0; i < s->instances; i++)
		for (j = 0; j < H_NPROBES; j++) {
			mos_svc_probe_t *p = &h->slot[i].p[j];

			p->h = h;
			p->slot = i;
			p->liveness = j == H_LIVE;
			mos__ipc_host_init(&p->hr);
			if (!active(spec[j]))
				continue;
			if (mos__ktimer_init(s->m->k, &p->timer, probe_fired, p,
					     true) < 0)
				goto fail;
			p->spec = spec[j];
		}
	s->health = h;
	return h;
fail:
	s->health = h;
	mos__svc_health_free(s);
	return NULL;
}

void mos__svc_health_spawned(mos_svc_t *s, uint32_t i)
{
	mos_svc_health_t *h = health_of(s);

	if (!h)
		return;
	for (int j = 0; j < H_NPROBES; j++) {
		mos_svc_probe_t *p = &h->slot[i].p[j];

		probe_halt(p);
		p->fails = p->succs = 0;
	}
	s->inst[i].unready = active(&s->readiness_probe);
	if (probing(s))
		for (int j = 0; j < H_NPROBES; j++)
			probe_begin(&h->slot[i].p[j]);
}

void mos__svc_health_gone(mos_svc_t *s, uint32_t i)
{
	if (s->health)
		slot_halt(s->health, i);
}

void mos__svc_health_state(mos_svc_t *s, mos_service_state_t from)
{
	mos_svc_health_t *h = s->health;

	if (!h)
		return;
	if (!probing(s)) {
		for (uint32_t i = 0; i < s->instances; i++)
			slot_halt(h, i);
		return;
	}
	if (s->state == MOS_SVC_STARTING &&
	    (from == MOS_SVC_STOPPED || from == MOS_SVC_FAILED ||
	     from == MOS_SVC_DISABLED))
		h->error = 0; /* started anew */
	for (uint32_t i = 0; i < s->instances; i++)
		if (s->inst[i].pid && !s->inst[i].draining)
			for (int j = 0; j < H_NPROBES; j++)
				probe_begin(&h->slot[i].p[j]);
}

void mos__svc_health_probe_exit(mos_svc_t *s, mos_pid_t pid, int status)
{
	mos_svc_health_t *h = s->health;

	if (!h)
		return;
	for (uint32_t n = 0; n < s->instances * H_NPROBES; n++) {
		mos_svc_probe_t *p = probe_n(h, n);

		if (!p->inflight || p->exec_pid != pid)
			continue;
		p->inflight = false;
		p->exec_pid = 0;
		record(p, MOS_WIFEXITED(status) && MOS_WEXITSTATUS(status) == 0
				  ? 0
				  : MOS_EHEALTH);
		if (p->on)
			probe_arm(p);
		return;
	}
}

/* ---- snapshots and freeing ---------------------------------------------- */

void mos__svc_health_status(const mos_svc_t *s, mos_service_status_t *st)
{
	for (uint32_t i = 0; i < s->instances; i++)
		if (s->inst[i].pid && s->inst[i].unready)
			st->unhealthy++;
	if (s->health) {
		st->health_failures = s->health->failures;
		st->health_error = s->health->error;
	}
}

void mos__svc_health_instance(const mos_svc_t *s, uint32_t i,
			      mos_service_instance_t *out)
{
	const mos_svc_hslot_t *sl;
	uint32_t first;

	if (!s->health)
		return;
	sl = &s->health->slot[i];
	out->liveness_failures = sl->p[H_LIVE].fails;
	out->readiness_failures = sl->p[H_READY].fails;
	out->readiness_successes = sl->p[H_READY].succs;
	out->health_checks = sl->checks;
	out->health_failures = sl->failures;
	out->nhistory = sl->nhist;
	first = (sl->head + MOS_SVC_HEALTH_HISTORY - sl->nhist) %
		MOS_SVC_HEALTH_HISTORY;
	for (uint32_t n = 0; n < sl->nhist; n++)
		out->history[n] = sl->hist[(first + n) % MOS_SVC_HEALTH_HISTORY];
}

/* Pings cancelled and timers given back; no process is killed here (a
 * service goes only when down, its probes stopped already; at
 * mos_kernel_destroy the processes go with the kernel). */
void mos__svc_health_free(mos_svc_t *s)
{
	mos_svc_health_t *h = s->health;

	if (!h)
		return;
	for (uint32_t n = 0; n < s->instances * H_NPROBES; n++) {
		mos_svc_probe_t *p = probe_n(h, n);

		mos__ipc_host_cancel(s->m->k, &p->hr);
		if (p->spec)
			mos__ktimer_fini(s->m->k, &p->timer);
	}
	mos__free(s->m->a, h);
	s->health = NULL;
}
