/*
 * src/resource/dev.c - the simulated block device, reads and writes, I/O
 * priorities, io.max, max_io_read / max_io_write and the I/O accounting.
 *
 * A read or write of n > 0 bytes (multios/resource.h has the whole
 * model): the groups' io.max may first hold it back (a plain timed wait
 * of the caller's, as Linux's blk-throttle holds bios before the
 * scheduler); it then joins the device's queue; when one of queue_depth
 * places is free it is picked (fifo: arrival; priority: class, level,
 * arrival) and served for latency + ceil(n * 1e9 / bandwidth) ns.  One
 * kernel timer is armed at the earliest completion among the places;
 * when it fires, every request due completes (by due time, then start
 * order), its process is woken, and the freed places take the next
 * waiting requests at the same instant.  The caller's waits are not
 * interruptible (Linux's D state): only SIGKILL ends them, and the exit
 * hook then takes its request out.
 *
 * io.max charges a request when it leaves the hold, as blk-throttle
 * charges a bio when it dispatches it: the request takes its place in
 * each group's budget when it arrives (so that the ones after it wait
 * behind it), and a process killed while io.max still holds its request
 * gives that place back in the groups it was charged to where nothing
 * was charged behind it since; one already in the device's queue or in
 * service was dispatched and stays charged.
 */
#include <string.h>

#include "res_local.h"
#include "util/alloc.h"
#include "util/timemath.h"

#define NS_PER_S 1000000000ull

/* A request io.max holds back (before MOS_IOREQ_QUEUED): its process's
 * exit gives its place in the groups' budgets back. */
#define IOREQ_HELD (MOS_IOREQ_SERVICE + 1)

static mos_res_dev_t *dev_of(mos_kernel_t *k)
{
	return &mos__kernel_res(k)->dev;
}

static mos_time_t transfer_time(uint64_t bytes, uint64_t bps)
{
	return mos__time_muldiv_ceil_sat(bytes, NS_PER_S, bps);
}

/* The sort key of a waiting request under "priority": class (an unset
 * priority is the default), level (the idle class has none), arrival. */
static uint32_t prio_key(const mos_proc_t *p)
{
	int prio = mos__res((mos_proc_t *)p)->io.ioprio;
	uint32_t cls, lvl;

	if (!prio)
		prio = MOS_IOPRIO_DEFAULT;
	cls = (uint32_t)MOS_IOPRIO_CLASS(prio);
	lvl = cls == MOS_IOPRIO_CLASS_IDLE ? 0 : (uint32_t)MOS_IOPRIO_LEVEL(prio);
	return cls << 16 | lvl;
}

static mos_proc_t *req_proc(const mos_res_ioreq_t *rq)
{
	return rq->proc;
}

/* The waiting request to serve next. */
static mos_res_ioreq_t *pick(mos_res_dev_t *d)
{
	mos_res_ioreq_t *best = NULL;
	uint32_t best_key = 0;
	mos_list_t *it;

	if (!d->priority)
		return mos_container_of(d->queue.next, mos_res_ioreq_t, link);
	/* The list is in arrival order: the first of the lowest key. */
	for (it = d->queue.next; it != &d->queue; it = it->next) {
		mos_res_ioreq_t *rq = mos_container_of(it, mos_res_ioreq_t, link);
		uint32_t key = prio_key(req_proc(rq));

		if (!best || key < best_key) {
			best = rq;
			best_key = key;
		}
	}
	return best;
}

static void busy_add(mos_kernel_t *k, mos_res_dev_t *d)
{
	d->busy = mos__time_add_sat(d->busy, mos_kernel_now(k) - d->busy_since);
}

/* Fill the free places from the queue, now. */
static void dispatch(mos_kernel_t *k, mos_res_dev_t *d)
{
	const mos_device_params_t *dp = &mos__kernel_config(k)->res.device;
	mos_time_t now = mos_kernel_now(k);

	while (d->in_service < d->nslots && !mos_list_empty(&d->queue)) {
		mos_res_ioreq_t *rq = pick(d);
		uint32_t i = 0;

		while (d->slots[i].busy)
			i++;
		mos_list_remove(&rq->link);
		d->slots[i] = (mos_dev_slot_t){
			.due = mos__time_add_sat(
				now, mos__time_add_sat(dp->latency,
						       transfer_time(rq->bytes,
								     dp->bandwidth))),
			.seq = d->next_start++,
			.proc = req_proc(rq),
			.busy = true,
		};
		rq->state = MOS_IOREQ_SERVICE;
		rq->slot = i;
		if (d->in_service++ == 0)
			d->busy_since = now;
	}
}

/* The place that completes first, or NULL. */
static mos_dev_slot_t *first_due(mos_res_dev_t *d)
{
	mos_dev_slot_t *best = NULL;

	for (uint32_t i = 0; i < d->nslots; i++) {
		mos_dev_slot_t *s = &d->slots[i];

		if (s->busy && (!best || s->due < best->due ||
				(s->due == best->due && s->seq < best->seq)))
			best = s;
	}
	return best;
}

static void rearm(mos_kernel_t *k, mos_res_dev_t *d)
{
	mos_dev_slot_t *s = first_due(d);

	if (s)
		mos__ktimer_arm(k, &d->timer, s->due, MOS_BAND_WAKE);
	else
		mos__ktimer_cancel(k, &d->timer);
}

/* Charge the bytes of a completed request to g and its ancestors. */
static void group_bytes(mos_rgroup_t *g, unsigned dir, uint64_t n)
{
	for (; g; g = g->parent) {
		uint64_t *c = dir ? &g->write_bytes : &g->read_bytes;
		*c = *c > UINT64_MAX - n ? UINT64_MAX : *c + n;
	}
}

static void complete(mos_kernel_t *k, mos_res_dev_t *d, mos_dev_slot_t *s)
{
	mos_time_t now = mos_kernel_now(k);
	mos_proc_t *p = s->proc;

	s->busy = false;
	s->proc = NULL;
	if (--d->in_service == 0)
		busy_add(k, d);
	d->queued--;
	mos__kernel_stats(k)->device_queue = d->queued;
	d->completed++;
	mos__kernel_stats(k)->io_requests++;
	if (p) {
		mos_res_io_t *io = &mos__res(p)->io;
		mos_res_ioreq_t *rq = &io->req;

		if (rq->dir) {
			io->write_bytes += rq->bytes;
			io->write_ops++;
			if (rq->node->size < rq->end)
				rq->node->size = rq->end;
		} else {
			io->read_bytes += rq->bytes;
			io->read_ops++;
		}
		io->wait = mos__time_add_sat(io->wait, now - rq->since);
		group_bytes(mos__res_group_of(k, p), rq->dir, rq->bytes);
		mos__trace_emit(k, MOS_TRACE_IO, mos__proc_pid(p), rq->dir,
				rq->bytes, now - rq->since);
		rq->state = MOS_IOREQ_IDLE;
		mos__wchan_wake_one(k, &rq->done, 0);
	}
}

static void dev_fire(void *arg, mos_timer_t *t)
{
	mos_kernel_t *k = arg;
	mos_res_dev_t *d = dev_of(k);
	mos_dev_slot_t *s;

	(void)t;
	while ((s = first_due(d)) && s->due <= mos_kernel_now(k))
		complete(k, d, s);
	dispatch(k, d);
	rearm(k, d);
}

/* ---- reads and writes -------------------------------------------------- */

/* io.max: the instant a request of n bytes may start: the latest "next
 * allowed start" of the groups from p's up to the root with a limit for
 * the direction (MOS_TIME_NEVER: it never could).  Changes nothing. */
static mos_time_t throttle_start(mos_kernel_t *k, mos_proc_t *p,
				 unsigned dir)
{
	mos_time_t start = mos_kernel_now(k);

	for (mos_rgroup_t *g = mos__res_group_of(k, p); g; g = g->parent) {
		uint64_t bps = dir ? g->limits.io_write_bps : g->limits.io_read_bps;

		if (bps != MOS_RLIM_INFINITY && g->io_next[dir] > start)
			start = g->io_next[dir];
	}
	return start;
}

/* The request starts at `start`: each limiting group's next start moves
 * past it (the request is its last charge), and every group on the way
 * counts the delay.  The request records the chain and the charge. */
static void throttle_take(mos_kernel_t *k, mos_proc_t *p,
			  mos_res_ioreq_t *rq, mos_time_t start)
{
	mos_time_t delay = start - mos_kernel_now(k);
	mos_res_dev_t *d = dev_of(k);
	unsigned dir = rq->dir;

	rq->group = mos__res_group_of(k, p);
	rq->start = start;
	rq->take = ++d->next_take;
	for (mos_rgroup_t *g = rq->group; g; g = g->parent) {
		uint64_t bps = dir ? g->limits.io_write_bps : g->limits.io_read_bps;

		if (bps != MOS_RLIM_INFINITY) {
			g->io_next[dir] = mos__time_add_sat(
				start, transfer_time(rq->bytes, bps));
			g->io_taker[dir] = rq->take;
		}
		g->io_delay = mos__time_add_sat(g->io_delay, delay);
	}
}

/* A held request that will never start gives back what it took, along
 * the chain it was charged to (not its process's group now: an attach
 * may have moved it), in each group where it is still the last charge:
 * the next start moves back to the instant it was given.  Where a later
 * request was charged behind it, that one's instant was computed from
 * this one's end and is already promised: nothing moves (the budget is
 * lost, never given twice). */
static void throttle_return(const mos_res_ioreq_t *rq)
{
	for (mos_rgroup_t *g = rq->group; g; g = g->parent) {
		if (g->io_taker[rq->dir] == rq->take) {
			g->io_next[rq->dir] = rq->start;
			g->io_taker[rq->dir] = 0;
		}
	}
}

static int transfer(mos_proc_t *self, int fd, uint64_t bytes, uint64_t *done,
		    unsigned dir)
{
	mos_kernel_t *k = mos__sys_enter(self, dir ? MOS_SYS_WRITE : MOS_SYS_READ);
	const mos_device_params_t *dp = &mos__kernel_config(k)->res.device;
	mos_res_proc_t *rp = mos__res(self);
	mos_res_dev_t *d = dev_of(k);
	mos_res_ioreq_t *rq = &rp->io.req;
	mos_time_t now = mos_kernel_now(k), end, start;
	uint64_t n, used, lim;
	mos_ofile_t *of = mos__res_fd_get(self, fd);

	if (done)
		*done = 0;
	if (!of || !(of->mode & (dir ? MOS_O_WRITE : MOS_O_READ)))
		return MOS_EBADF;
	if (of->node->dir)
		return MOS_EISDIR;
	if (dir) {
		if (bytes > UINT64_MAX - of->offset)
			return MOS_ERANGE;
		n = bytes;
	} else {
		n = of->offset >= of->node->size ? 0 : of->node->size - of->offset;
		n = n < bytes ? n : bytes;
	}
	if (n == 0)
		return 0;
	used = dir ? rp->io.write_bytes : rp->io.read_bytes;
	lim = dir ? rp->soft.max_io_write : rp->soft.max_io_read;
	if (n > lim || used > lim - n) {
		mos__res_violation(k, self,
				   dir ? MOS_RLIMIT_IO_WRITE : MOS_RLIMIT_IO_READ,
				   used > UINT64_MAX - n ? UINT64_MAX : used + n,
				   lim);
		return MOS_ELIMIT;
	}
	/* Times that cannot be: refused before anything happens.  The
	 * request is done at the latest when everything submitted before it
	 * and itself are, served one after another: a due time that could
	 * reach MOS_TIME_NEVER (the call would never return) is refused. */
	start = throttle_start(k, self, dir);
	if (start == MOS_TIME_NEVER ||
	    !mos__time_add(start > d->horizon ? start : d->horizon,
			   mos__time_add_sat(dp->latency,
					     transfer_time(n, dp->bandwidth)),
			   &end) ||
	    end == MOS_TIME_NEVER)
		return MOS_ERANGE;
	d->horizon = end;
	/* The call happens: the range is taken now. */
	rq->since = now;
	rq->node = of->node;
	rq->bytes = n;
	rq->end = of->offset + n;
	rq->dir = (uint8_t)dir;
	rq->proc = self;
	of->offset += n;
	throttle_take(k, self, rq, start);
	if (start > now) {
		rq->state = IOREQ_HELD;
		(void)mos__wait(self, NULL, start - now, 0, MOS_CAUSE_IO);
	}
	rq->seq = d->next_seq++;
	rq->state = MOS_IOREQ_QUEUED;
	mos__wchan_init(&rq->done);
	mos_list_push_back(&d->queue, &rq->link);
	d->queued++;
	mos__kernel_stats(k)->device_queue = d->queued;
	mos__trace_emit(k, MOS_TRACE_IO, mos__proc_pid(self), (uint8_t)dir, n, 0);
	dispatch(k, d);
	rearm(k, d);
	(void)mos__wait(self, &rq->done, MOS_TIME_NEVER, 0, MOS_CAUSE_IO);
	if (done)
		*done = n;
	return mos__sys_leave(self, 0);
}

int mos_sys_read(mos_proc_t *self, int fd, uint64_t bytes, uint64_t *done)
{
	return transfer(self, fd, bytes, done, 0);
}

int mos_sys_write(mos_proc_t *self, int fd, uint64_t bytes, uint64_t *done)
{
	return transfer(self, fd, bytes, done, 1);
}

/* ---- I/O priorities -------------------------------------------------- */

static bool prio_valid(int prio)
{
	int cls = MOS_IOPRIO_CLASS(prio), lvl = MOS_IOPRIO_LEVEL(prio);

	return prio == 0 || (prio > 0 && cls >= MOS_IOPRIO_CLASS_RT &&
			     cls <= MOS_IOPRIO_CLASS_IDLE && lvl <= 7);
}

static int ioprio_target(mos_kernel_t *k, mos_proc_t *self, mos_pid_t pid,
			 mos_proc_t **out)
{
	mos_proc_t *t;

	if (pid < 0)
		return MOS_EINVALPID;
	t = pid == 0 ? self : mos__proc_find(k, pid);
	if (!t || mos__proc_state(t) >= MOS_STATE_TERMINATED ||
	    !mos__cred_may_see(self, t))
		return MOS_EPROCNOTFOUND;
	*out = t;
	return 0;
}

int mos_sys_ioprio_set(mos_proc_t *self, mos_pid_t pid, int prio)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_IOPRIO_SET);
	mos_proc_t *t;
	int err;

	if (!prio_valid(prio))
		return MOS_EINVAL;
	if ((err = ioprio_target(k, self, pid, &t)) < 0)
		return err;
	if ((t != self && !mos__cred_may_signal(self, t, 0)) ||
	    (MOS_IOPRIO_CLASS(prio) == MOS_IOPRIO_CLASS_RT &&
	     !mos__cred_capable(self, MOS_CAP_RESOURCE)))
		return mos__cred_deny(k, self, MOS_AUDIT_IOPRIO,
				      mos__proc_pid(t), (uint64_t)prio);
	/* A waiting request is picked by the priority its process has at
	 * the pick: nothing to move. */
	mos__res(t)->io.ioprio = prio;
	mos__res_touch(mos__res(t), MOS_RES_TOUCH_DEV); /* children inherit */
	return 0;
}

int mos_sys_ioprio_get(mos_proc_t *self, mos_pid_t pid, int *prio)
{
	mos_kernel_t *k = mos__sys_enter(self, MOS_SYS_IOPRIO_GET);
	mos_proc_t *t;
	int err;

	if (!prio)
		return MOS_EINVAL;
	if ((err = ioprio_target(k, self, pid, &t)) < 0)
		return err;
	*prio = mos__res(t)->io.ioprio ? mos__res(t)->io.ioprio
				       : MOS_IOPRIO_DEFAULT;
	return 0;
}

/* ---- the module's hooks ------------------------------------------------ */

static int dev_kernel_init(mos_kernel_t *k, mos_res_kernel_t *r)
{
	const mos_device_params_t *dp = &mos__kernel_config(k)->res.device;
	mos_res_dev_t *d = &r->dev;
	int err;

	mos_list_init(&d->queue);
	d->priority = strcmp(dp->scheduler, "priority") == 0;
	d->nslots = dp->queue_depth ? dp->queue_depth : 1;
	if (!(d->slots = mos__calloc(mos__kernel_alloc(k), d->nslots,
				     sizeof(*d->slots))))
		return MOS_ENOMEM;
	if ((err = mos__ktimer_init(k, &d->timer, dev_fire, k, false)) < 0) {
		mos__free(mos__kernel_alloc(k), d->slots);
		d->slots = NULL;
		return err;
	}
	d->timer_ready = true;
	return 0;
}

static void dev_kernel_fini(mos_kernel_t *k, mos_res_kernel_t *r)
{
	mos_res_dev_t *d = &r->dev;

	if (d->timer_ready)
		mos__ktimer_fini(k, &d->timer);
	d->timer_ready = false;
	mos__free(mos__kernel_alloc(k), d->slots);
	d->slots = NULL;
}

static int dev_fork(mos_kernel_t *k, mos_proc_t *p, mos_proc_t *parent)
{
	(void)k;
	mos__res(p)->io.ioprio = mos__res(parent)->io.ioprio;
	return 0;
}

/* A dying process's request: its io.max budget back while held, out of
 * the queue, or left in service to finish with no one to wake. */
static void dev_exit(mos_kernel_t *k, mos_proc_t *p)
{
	mos_res_ioreq_t *rq = &mos__res(p)->io.req;
	mos_res_dev_t *d = dev_of(k);

	if (rq->state == IOREQ_HELD) {
		throttle_return(rq);
	} else if (rq->state == MOS_IOREQ_QUEUED) {
		mos_list_remove(&rq->link);
		d->queued--;
		mos__kernel_stats(k)->device_queue = d->queued;
	} else if (rq->state == MOS_IOREQ_SERVICE) {
		d->slots[rq->slot].proc = NULL;
	}
	rq->state = MOS_IOREQ_IDLE;
}

static void dev_fill(const mos_res_proc_t *rp, mos_rusage_t *u)
{
	u->read_bytes = rp->io.read_bytes;
	u->write_bytes = rp->io.write_bytes;
	u->read_ops = rp->io.read_ops;
	u->write_ops = rp->io.write_ops;
	u->io_wait = rp->io.wait;
}

const mos_res_module_t mos__res_dev_module = {
	.name = "device",
	.kernel_init = dev_kernel_init,
	.kernel_fini = dev_kernel_fini,
	.fork = dev_fork,
	.exit = dev_exit,
	.release = dev_exit,
	/* A request needs an open descriptor: a process that never had
	 * one has none to drop, and one that never set its priority has
	 * none to hand down. */
	.lazy = MOS_RES_TOUCH_FD | MOS_RES_TOUCH_DEV,
	.fill = dev_fill,
};
