/*
 * src/kernel/trace.c - the typed trace: a bounded ring plus a running hash
 * over every event ever recorded, and the label table of marks and
 * counters.
 *
 * The hash folds two 64-bit words per event into the running value, in the
 * manner of FNV-1a but a word at a time (the byte-wise version cost a third
 * of a yield):
 *   w1 = time ^ (a >> 8) * K1 ^ (b >> 8) * K2
 *   w2 = subject | (a & 0xff) << 32 | (b & 0xff) << 40 | cause << 48
 *        | kind << 56
 * so every field counts, the words are built from the fields (the hash
 * depends neither on struct padding nor on the host's byte order), and a
 * process transition (kind 0, states below 256 in a and b) hashes exactly
 * as it did before the trace was typed: the hashes of existing scenarios
 * did not change.  It covers events the ring has already overwritten.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_int.h"

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull
#define MIX_A 0x9e3779b97f4a7c15ull
#define MIX_B 0xc2b2ae3d27d4eb4full

static const char *const cause_names[] = {
#define MOS__CAUSE_STR(name, str) str,
	MOS_CAUSE_MAP(MOS__CAUSE_STR)
#undef MOS__CAUSE_STR
};

static const char *const kind_names[] = {
#define MOS__KIND_STR(name, str) str,
	MOS_TRACE_KIND_MAP(MOS__KIND_STR)
#undef MOS__KIND_STR
};

const char *mos_cause_name(mos_cause_t c)
{
	return (unsigned)c < MOS_CAUSE_COUNT ? cause_names[c] : "?";
}

const char *mos_trace_kind_name(mos_trace_kind_t kind)
{
	return (unsigned)kind < MOS_TRACE_KIND_COUNT ? kind_names[kind] : "?";
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
	for (uint32_t i = 0; i < t->nlabels; i++)
		mos__free(a, t->labels[i]);
	mos__free(a, t->labels);
	mos__free(a, t->ring);
}

static uint64_t fold(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= FNV_PRIME;
	return h ^ (h >> 29);
}

/* Inlined into both recorders: for a transition the high parts of a and
 * b are constants (zero) and their mixing folds away. */
static inline __attribute__((always_inline)) void
record(mos_trace_t *t, mos_time_t time, int32_t subject, uint8_t kind,
       uint8_t cause, uint64_t a, uint64_t b)
{
	mos_trace_event_t *ev = &t->ring[t->head];

	ev->time = time;
	ev->subject = subject;
	ev->kind = kind;
	ev->cause = cause;
	ev->a = a;
	ev->b = b;
	t->hash = fold(fold(t->hash, time ^ (a >> 8) * MIX_A ^ (b >> 8) * MIX_B),
		       (uint64_t)(uint32_t)subject | (a & 0xff) << 32 |
			       (b & 0xff) << 40 | (uint64_t)cause << 48 |
			       (uint64_t)kind << 56);
	t->total++;
	if (++t->head == t->cap)
		t->head = 0;
	if (t->observer)
		t->observer(t->observer_ud, ev);
}

void mos__trace_record(mos_trace_t *t, mos_time_t time, mos_pid_t pid,
		       mos_proc_state_t from, mos_proc_state_t to,
		       mos_cause_t cause)
{
	record(t, time, pid, MOS_TRACE_PROC, (uint8_t)cause, (uint8_t)from,
	       (uint8_t)to);
}

void mos__trace_emit(mos_kernel_t *k, mos_trace_kind_t kind, int32_t subject,
		     uint8_t cause, uint64_t a, uint64_t b)
{
	record(&k->trace, k->now, subject, (uint8_t)kind, cause, a, b);
}

/* ---- labels -------------------------------------------------------------- */

int mos_trace_label(mos_kernel_t *k, const char *s, uint32_t *id)
{
	mos_trace_t *t;
	size_t len;
	char *copy;

	if (!k || !s || !id || !(len = strnlen(s, MOS_TRACE_LABEL_LEN + 1)) ||
	    len > MOS_TRACE_LABEL_LEN)
		return MOS_EINVAL;
	t = &k->trace;
	/* Linear: labels are few, and looked up when a phase begins, not
	 * on every switch. */
	for (uint32_t i = 0; i < t->nlabels; i++) {
		if (strcmp(t->labels[i], s) == 0) {
			*id = i;
			return 0;
		}
	}
	if (t->nlabels == MOS_TRACE_MAX_LABELS)
		return MOS_EEXHAUSTED;
	if (t->nlabels == t->label_cap) {
		uint32_t cap = t->label_cap ? t->label_cap * 2 : 16;
		char **v = mos__realloc_array(&k->alloc, t->labels, cap,
					      sizeof(*v));

		if (!v)
			return MOS_ENOMEM;
		t->labels = v;
		t->label_cap = cap;
	}
	if (!(copy = mos__malloc(&k->alloc, len + 1)))
		return MOS_ENOMEM;
	t->labels[t->nlabels] = memcpy(copy, s, len + 1);
	*id = t->nlabels++;
	return 0;
}

const char *mos_trace_label_name(const mos_kernel_t *k, uint32_t id)
{
	return k && id < k->trace.nlabels ? k->trace.labels[id] : NULL;
}

/* ---- reading --------------------------------------------------------------- */

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

/* ---- dump: one printer per kind ------------------------------------------ */

typedef int (*print_fn)(const mos_kernel_t *k, const mos_trace_event_t *ev,
			FILE *out);

static const char *label_or(const mos_kernel_t *k, uint64_t id)
{
	const char *s = id <= UINT32_MAX ? mos_trace_label_name(k, (uint32_t)id)
					 : NULL;
	return s ? s : "?";
}

static int print_proc(const mos_kernel_t *k, const mos_trace_event_t *ev,
		      FILE *out)
{
	(void)k;
	return fprintf(out, "pid %-5d %-10s -> %-10s %s\n", ev->subject,
		       mos_state_name((mos_proc_state_t)ev->a),
		       mos_state_name((mos_proc_state_t)ev->b),
		       mos_cause_name((mos_cause_t)ev->cause));
}

static int print_mark(const mos_kernel_t *k, const mos_trace_event_t *ev,
		      FILE *out)
{
	return fprintf(out, "pid %-5d mark       %s\n", ev->subject,
		       label_or(k, ev->a));
}

static int print_counter(const mos_kernel_t *k, const mos_trace_event_t *ev,
			 FILE *out)
{
	return fprintf(out, "counter   %s = %" PRIu64 "\n",
		       label_or(k, (uint64_t)(uint32_t)ev->subject), ev->a);
}

static int print_signal(const mos_kernel_t *k, const mos_trace_event_t *ev,
			FILE *out)
{
	const char *name = mos_signal_name(ev->cause);

	(void)k;
	return fprintf(out, "pid %-5d signal     %s from %" PRIu64 ": %s\n",
		       ev->subject, name ? name : "?", ev->a,
		       mos_sig_outcome_name((mos_sig_outcome_t)ev->b));
}

/* The kinds whose subsystems name their causes and words themselves
 * (later issues give them printers of their own). */
static int print_generic(const mos_kernel_t *k, const mos_trace_event_t *ev,
			 FILE *out)
{
	(void)k;
	return fprintf(out, "%-9s %-5d cause %u  a %" PRIu64 "  b %" PRIu64 "\n",
		       mos_trace_kind_name((mos_trace_kind_t)ev->kind),
		       ev->subject, ev->cause, ev->a, ev->b);
}

static int print_call(const mos_kernel_t *k, const mos_trace_event_t *ev,
		      FILE *out)
{
	(void)k;
	return fprintf(out,
		       "pid %-5d call       service %" PRIu64 " pid %" PRIu64
		       " %s%s %" PRIu64 " ns\n",
		       ev->subject, ev->a >> 32, ev->a & 0xffffffffu,
		       mos_err_name(-(int)(ev->cause & ~MOS_TRACE_CALL_RETRIED)),
		       ev->cause & MOS_TRACE_CALL_RETRIED ? " retried" : "",
		       ev->b);
}

static const print_fn printers[MOS_TRACE_KIND_COUNT] = {
	[MOS_TRACE_PROC] = print_proc,
	[MOS_TRACE_TIMER] = print_generic,
	[MOS_TRACE_SIGNAL] = print_signal,
	[MOS_TRACE_LIMIT] = print_generic,
	[MOS_TRACE_SERVICE] = print_generic,
	[MOS_TRACE_AUDIT] = print_generic,
	[MOS_TRACE_COUNTER] = print_counter,
	[MOS_TRACE_MARK] = print_mark,
	[MOS_TRACE_THROTTLE] = print_generic,
	[MOS_TRACE_IO] = print_generic,
	[MOS_TRACE_IPC] = print_generic,
	[MOS_TRACE_CALL] = print_call,
};

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
		print_fn print = ev->kind < MOS_TRACE_KIND_COUNT
					 ? printers[ev->kind] : print_generic;

		if (fprintf(out, "%10" PRIu64 ".%06" PRIu64 " ms  ",
			    ev->time / MOS_MSEC, ev->time % MOS_MSEC) < 0 ||
		    print(k, ev, out) < 0)
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
