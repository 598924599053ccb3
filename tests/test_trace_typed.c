/*
 * tests/test_trace_typed.c - the typed trace: every kind through the
 * dump and the Chrome export (parsed back with jansson), marks left by
 * programs, labels, and a hash that covers every field.  The emitting
 * seam (mos__trace_emit) is internal: white box.
 */
#include <jansson.h>
#include <string.h>

#include "helpers.h"
#include "kernel/kernel_int.h"
#include "timeout.h"

TestSuite(trace_typed, .timeout = T_TIMEOUT);

/* Leaves "begin" at start, computes 2 ms, leaves "end". */
static int phases_main(mos_proc_t *self, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cr_assert_eq(mos_sys_trace_mark(self, "begin"), 0);
	mos_sys_compute(self, MS(2));
	cr_assert_eq(mos_sys_trace_mark(self, "end"), 0);
	cr_assert_eq(mos_sys_trace_mark(self, ""), MOS_EINVAL);
	return 0;
}

/* A kernel where pid 2 runs "phases" 0-2 ms and then, at 2 ms, every
 * other kind is emitted once. */
static mos_kernel_t *every_kind(void)
{
	mos_kernel_t *k = t_kernel(NULL);
	uint32_t depth;

	cr_assert_eq(mos_program_register(k, "phases", phases_main), 0);
	t_spawn(k, T_ARGV("phases"));
	cr_assert_eq(mos_kernel_run(k, MOS_TIME_NEVER), 0);
	cr_assert_eq(mos_trace_label(k, "queue-depth", &depth), 0);
	cr_assert_eq(depth, 2, "begin, end, then this");
	mos__trace_emit(k, MOS_TRACE_TIMER, 7, MOS_BAND_SERVICE, MS(2), 0);
	mos__trace_emit(k, MOS_TRACE_SIGNAL, 2, 15, 1, 3);
	mos__trace_emit(k, MOS_TRACE_LIMIT, 2, 4, 1000, 512);
	mos__trace_emit(k, MOS_TRACE_SERVICE, 9, 1, 2, 3);
	mos__trace_emit(k, MOS_TRACE_AUDIT, 0, 6, 2, 0);
	mos__trace_emit(k, MOS_TRACE_COUNTER, (int32_t)depth, 0, 4, 0);
	mos__trace_emit(k, MOS_TRACE_THROTTLE, 3, 1, MS(20), MS(20));
	mos__trace_emit(k, MOS_TRACE_IO, 2, 1, 4096, MS(1));
	return k;
}

static char *dump_str(mos_kernel_t *k)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(mos_trace_dump(k, f), 0);
	fclose(f);
	return buf;
}

Test(trace_typed, every_kind_dumps_readably)
{
	mos_kernel_t *k = every_kind();
	char *text = dump_str(k);

	cr_expect_str_eq(text,
		"         0.000000 ms  pid 1     New        -> Blocked    wait\n"
		"         0.000000 ms  pid 2     New        -> Ready      create\n"
		"         0.000000 ms  pid 2     Ready      -> Running    dispatch\n"
		"         0.000000 ms  pid 2     mark       begin\n"
		"         2.000000 ms  pid 2     mark       end\n"
		"         2.000000 ms  pid 2     Running    -> Terminated exit\n"
		"         2.000000 ms  pid 2     Terminated -> Zombie     zombie\n"
		"         2.000000 ms  pid 2     Zombie     -> Defunct    reap\n"
		"         2.000000 ms  timer     7     cause 40  a 2000000  b 0\n"
		"         2.000000 ms  pid 2     signal     SIGTERM from 1: ignored\n"
		"         2.000000 ms  limit     2     cause 4  a 1000  b 512\n"
		"         2.000000 ms  service   9     cause 1  a 2  b 3\n"
		"         2.000000 ms  audit     0     cause 6  a 2  b 0\n"
		"         2.000000 ms  counter   queue-depth = 4\n"
		"         2.000000 ms  throttle  3     cause 1  a 20000000  b 20000000\n"
		"         2.000000 ms  io        2     cause 1  a 4096  b 1000000\n");
	free(text);
	mos_kernel_destroy(k);
}

Test(trace_typed, kinds_and_labels_have_names)
{
	mos_kernel_t *k = t_kernel(NULL);
	uint32_t a, b, c;
	char big[MOS_TRACE_LABEL_LEN + 2];

	cr_expect_str_eq(mos_trace_kind_name(MOS_TRACE_PROC), "proc");
	cr_expect_str_eq(mos_trace_kind_name(MOS_TRACE_MARK), "mark");
	cr_expect_str_eq(mos_trace_kind_name(MOS_TRACE_KIND_COUNT), "?");
	cr_assert_eq(mos_trace_label(k, "x", &a), 0);
	cr_assert_eq(mos_trace_label(k, "y", &b), 0);
	cr_assert_eq(mos_trace_label(k, "x", &c), 0);
	cr_expect(a == 0 && b == 1 && c == 0);
	cr_expect_str_eq(mos_trace_label_name(k, 1), "y");
	cr_expect_null(mos_trace_label_name(k, 2));
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_expect_eq(mos_trace_label(k, big, &a), MOS_EINVAL);
	big[MOS_TRACE_LABEL_LEN] = '\0';
	cr_expect_eq(mos_trace_label(k, big, &a), 0, "exactly the limit");
	cr_expect_eq(mos_trace_label(k, "", &a), MOS_EINVAL);
	cr_expect_eq(mos_trace_label(k, NULL, &a), MOS_EINVAL);
	cr_expect_eq(mos_trace_label(NULL, "x", &a), MOS_EINVAL);
	for (int i = 3; i < MOS_TRACE_MAX_LABELS; i++) {
		char s[16];
		snprintf(s, sizeof(s), "l%d", i);
		cr_assert_eq(mos_trace_label(k, s, &a), 0);
	}
	cr_expect_eq(a, MOS_TRACE_MAX_LABELS - 1);
	cr_expect_eq(mos_trace_label(k, "one-more", &a), MOS_EEXHAUSTED);
	cr_expect_eq(mos_trace_label(k, "x", &a), 0, "known ones still resolve");
	mos_kernel_destroy(k);
}

/* Each field of an event changes the hash, the high bits of the payload
 * words included. */
Test(trace_typed, hash_covers_every_field)
{
	struct { int32_t subject; uint8_t kind, cause; uint64_t a, b; } v[] = {
		{5, MOS_TRACE_SIGNAL, 1, 2, 3},
		{6, MOS_TRACE_SIGNAL, 1, 2, 3},
		{5, MOS_TRACE_LIMIT, 1, 2, 3},
		{5, MOS_TRACE_SIGNAL, 9, 2, 3},
		{5, MOS_TRACE_SIGNAL, 1, 2 + (1ull << 40), 3},
		{5, MOS_TRACE_SIGNAL, 1, 2, 3 + (1ull << 20)},
		{5, MOS_TRACE_SIGNAL, 1, 2 + 256, 3},
	};
	uint64_t h[sizeof(v) / sizeof(*v)];

	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		mos_kernel_t *k = t_kernel(NULL);

		mos__trace_emit(k, v[i].kind, v[i].subject, v[i].cause, v[i].a,
				v[i].b);
		h[i] = mos_trace_hash(k);
		mos_kernel_destroy(k);
		for (size_t j = 0; j < i; j++)
			cr_expect_neq(h[i], h[j], "variants %zu and %zu", j, i);
	}
}

/* ---- Chrome export ---------------------------------------------------- */

static json_t *chrome(mos_kernel_t *k)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_error_t jerr;
	json_t *root;

	cr_assert_not_null(f);
	cr_assert_eq(mos_trace_write_chrome(k, f), 0);
	fclose(f);
	root = json_loads(buf, 0, &jerr);
	cr_assert_not_null(root, "%s at %d:%d", jerr.text, jerr.line, jerr.column);
	free(buf);
	return root;
}

/* The events with ph and name (NULL: any), as "tid@ts+dur" or
 * "tid@ts=value" for counters, in file order. */
static void pick(json_t *evs, const char *ph, const char *name, char *out,
		 size_t size)
{
	size_t i, len = 0;
	json_t *e;

	out[0] = '\0';
	json_array_foreach(evs, i, e) {
		const char *p = json_string_value(json_object_get(e, "ph"));
		const char *n = json_string_value(json_object_get(e, "name"));
		double ts = json_number_value(json_object_get(e, "ts"));

		if (strcmp(p, ph) || (name && strcmp(n, name)))
			continue;
		len += (size_t)snprintf(out + len, size - len, "%s%d@%g", len ? " " : "",
			(int)json_integer_value(json_object_get(e, "tid")), ts);
		if (p[0] == 'X')
			len += (size_t)snprintf(out + len, size - len, "+%g",
				json_number_value(json_object_get(e, "dur")));
		else if (p[0] == 'C')
			len += (size_t)snprintf(out + len, size - len, "=%g",
				json_number_value(json_object_get(
					json_object_get(e, "args"), "value")));
		else if (p[0] == 'M')
			len += (size_t)snprintf(out + len, size - len, ":%s",
				json_string_value(json_object_get(
					json_object_get(e, "args"), "name")));
		else if (p[0] == 'i')
			len += (size_t)snprintf(out + len, size - len, ":%s",
				n);
	}
}

Test(trace_typed, every_kind_goes_into_the_chrome_export)
{
	mos_kernel_t *k = every_kind();
	json_t *root = chrome(k), *evs = json_object_get(root, "traceEvents");
	char buf[512];

	cr_assert(json_is_array(evs));
	pick(evs, "M", NULL, buf, sizeof(buf));
	cr_expect_str_eq(buf, "0@0:kernel 1@0:init (pid 1) 2@0:phases (pid 2)");
	pick(evs, "X", NULL, buf, sizeof(buf));
	cr_expect_str_eq(buf, "2@0+2000");
	pick(evs, "i", NULL, buf, sizeof(buf));
	cr_expect_str_eq(buf, "2@0:begin 2@2000:end 0@2000:timer 40 "
			      "2@2000:signal 15 2@2000:limit 4 0@2000:service 1 "
			      "0@2000:audit 6 0@2000:throttle 1 2@2000:io 1");
	pick(evs, "C", "runnable", buf, sizeof(buf));
	cr_expect_str_eq(buf, "0@0=1 0@2000=0");
	pick(evs, "C", "queue-depth", buf, sizeof(buf));
	cr_expect_str_eq(buf, "0@2000=4");
	json_decref(root);
	mos_kernel_destroy(k);
}

/* A process still running gets its run up to now; the errors are the
 * documented ones. */
Test(trace_typed, chrome_export_closes_open_runs_and_checks_arguments)
{
	mos_kernel_t *k = t_kernel(NULL);
	json_t *root;
	char buf[256];

	t_spawn(k, T_ARGV("cpu", "10ms"));
	t_spawn(k, T_ARGV("cpu", "10ms"));
	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	root = chrome(k);
	pick(json_object_get(root, "traceEvents"), "X", NULL, buf, sizeof(buf));
	cr_expect_str_eq(buf, "2@0+5000");
	json_decref(root);
	cr_expect_eq(mos_trace_write_chrome(NULL, stdout), MOS_EINVAL);
	cr_expect_eq(mos_trace_write_chrome(k, NULL), MOS_EINVAL);
	mos_kernel_destroy(k);
}

/*
 * A ring that has overwritten older events: pid 2 (fifo) runs from 0; at
 * 5 ms four more arrive, and their four New -> Ready are all a ring of 4
 * holds.  The runnable count starts at its value before them (1: pid 2)
 * and climbs to 5, never from 0; pid 2's run, begun before the ring,
 * shows from the ring's first event (5 ms) to now (7 ms).
 */
Test(trace_typed, chrome_export_of_a_wrapped_ring_starts_from_the_true_state)
{
	mos_config_t cfg;
	mos_kernel_t *k;
	json_t *root, *evs;
	char buf[256];

	mos_config_default(&cfg);
	cfg.trace_capacity = 4;
	strcpy(cfg.sched.policy, "fifo");
	k = t_kernel(&cfg);
	t_spawn(k, T_ARGV("cpu", "10ms"));
	cr_assert_eq(mos_kernel_run(k, MS(5)), 0);
	for (int i = 0; i < 4; i++)
		t_spawn(k, T_ARGV("cpu", "1ms"));
	cr_assert_eq(mos_kernel_run(k, MS(7)), 0);
	cr_assert_eq(mos_trace_total(k), 7);
	root = chrome(k);
	evs = json_object_get(root, "traceEvents");
	pick(evs, "C", "runnable", buf, sizeof(buf));
	cr_expect_str_eq(buf, "0@5000=1 0@5000=2 0@5000=3 0@5000=4 0@5000=5");
	pick(evs, "X", NULL, buf, sizeof(buf));
	cr_expect_str_eq(buf, "2@5000+2000");
	pick(evs, "M", NULL, buf, sizeof(buf));
	cr_expect_str_eq(buf, "2@0:cpu (pid 2) 3@0:cpu (pid 3) 4@0:cpu (pid 4) "
			      "5@0:cpu (pid 5) 6@0:cpu (pid 6)");
	json_decref(root);
	mos_kernel_destroy(k);
}

/*
 * A label is any bytes, and jansson refuses a string that is not UTF-8:
 * such a label must not make the whole export fail (it said MOS_ENOMEM).
 * Its bytes above ASCII show as '?'; the dump prints them as they are.
 */
Test(trace_typed, chrome_export_survives_a_label_that_is_not_utf8)
{
	mos_kernel_t *k = t_kernel(NULL);
	json_t *root, *evs;
	uint32_t id;
	char buf[256];

	cr_assert_eq(mos_trace_label(k, "ph\xff" "ase", &id), 0);
	mos__trace_emit(k, MOS_TRACE_MARK, 1, 0, id, 0);
	mos__trace_emit(k, MOS_TRACE_COUNTER, (int32_t)id, 0, 5, 0);
	root = chrome(k);
	evs = json_object_get(root, "traceEvents");
	pick(evs, "i", NULL, buf, sizeof(buf));
	cr_expect_str_eq(buf, "1@0:ph?ase");
	pick(evs, "C", "ph?ase", buf, sizeof(buf));
	cr_expect_str_eq(buf, "0@0=5");
	json_decref(root);
	mos_kernel_destroy(k);
}
