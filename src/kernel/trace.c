/*
 * src/kernel/trace.c - the state-transition trace: a bounded ring plus a
 * running hash over every event ever recorded.
 *
 * The hash folds two 64-bit words per event into the running value, in the
 * manner of FNV-1a but a word at a time (the byte-wise version cost a third
 * of a yield): the time, then pid | from << 32 | to << 40 | cause << 48.
 * The words are built from the fields, so the hash depends neither on
 * struct padding nor on the host's byte order, and it covers events the
 * ring has already overwritten.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "kernel_int.h"

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static const char *const cause_names[] = {
#define MOS__CAUSE_STR(name, str) str,
	MOS_CAUSE_MAP(MOS__CAUSE_STR)
#undef MOS__CAUSE_STR
};

const char *mos_cause_name(mos_cause_t c)
{
	return (unsigned)c < MOS_CAUSE_COUNT ? cause_names[c] : "?";
}

int mos__trace_init(mos_trace_t *t, uint32_t cap, const mos_allocator_t *a)
{
	if (!(t->ring = mos__calloc(a, cap, sizeof(*t->ring))))
		return MOS_ENOMEM;
	t->cap = cap;
	t->hash = FNV_OFFSET;
	return 0;
}

void mos__trace_fini(mos_trace_t *t, const mos_allocator_t *a)
{
	mos__free(a, t->ring);
}

static uint64_t fold(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= FNV_PRIME;
	return h ^ (h >> 29);
}

void mos__trace_record(mos_trace_t *t, mos_time_t time, mos_pid_t pid,
		       mos_proc_state_t from, mos_proc_state_t to,
		       mos_cause_t cause)
{
	mos_trace_event_t *ev = &t->ring[t->head];

	ev->time = time;
	ev->pid = pid;
	ev->from = (uint8_t)from;
	ev->to = (uint8_t)to;
	ev->cause = (uint8_t)cause;
	t->hash = fold(fold(t->hash, time),
		       (uint64_t)(uint32_t)pid | (uint64_t)ev->from << 32 |
			       (uint64_t)ev->to << 40 | (uint64_t)ev->cause << 48);
	t->total++;
	if (++t->head == t->cap)
		t->head = 0;
	if (t->observer)
		t->observer(t->observer_ud, ev);
}

uint64_t mos_trace_hash(const mos_kernel_t *k) { return k ? k->trace.hash : 0; }
uint64_t mos_trace_total(const mos_kernel_t *k) { return k ? k->trace.total : 0; }

static size_t held(const mos_trace_t *t)
{
	return t->total < t->cap ? (size_t)t->total : t->cap;
}

int mos_trace_get(const mos_kernel_t *k, size_t i, mos_trace_event_t *ev,
		  size_t *count)
{
	const mos_trace_t *t;
	size_t n;

	if (!k)
		return MOS_EINVAL;
	t = &k->trace;
	n = held(t);
	if (count)
		*count = n;
	if (!ev)
		return count ? 0 : MOS_EINVAL;
	if (i >= n)
		return MOS_EINVAL;
	*ev = t->ring[(t->total - n + i) % t->cap];
	return 0;
}

int mos_trace_dump(const mos_kernel_t *k, FILE *out)
{
	const mos_trace_t *t;
	size_t n;

	if (!k || !out)
		return MOS_EINVAL;
	t = &k->trace;
	n = held(t);
	for (size_t i = 0; i < n; i++) {
		const mos_trace_event_t *ev = &t->ring[(t->total - n + i) % t->cap];

		if (fprintf(out, "%10" PRIu64 ".%06" PRIu64 " ms  pid %-5d %-10s -> %-10s %s\n",
			    ev->time / MOS_MSEC, ev->time % MOS_MSEC, ev->pid,
			    mos_state_name(ev->from), mos_state_name(ev->to),
			    mos_cause_name(ev->cause)) < 0)
			return MOS_EIO;
	}
	return fflush(out) == 0 ? 0 : MOS_EIO;
}

int mos_trace_set_observer(mos_kernel_t *k, mos_trace_fn fn, void *ud)
{
	if (!k)
		return MOS_EINVAL;
	k->trace.observer = fn;
	k->trace.observer_ud = ud;
	return 0;
}
