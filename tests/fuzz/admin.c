/*
 * tests/fuzz/admin.c - fuzz one line of the live admin protocol
 * (docs/LIVE.md; src/live/live_cmd.c, mos__live_handle).
 *
 * No socket: the handler needs only the server's kernel, so the harness
 * builds a mos_live_t around a virtual-clock kernel (the framing, the
 * pipe and the watch list are live.c's and untouched by a request).  The
 * kernel: services db (server 2ms) and web (2 instances of server 1ms
 * 1ms, requiring db) started, batch (sleep 50ms) registered but not
 * started, and two processes (cpu 30ms, sleep 40ms), run to 5 ms; a
 * 256-slot process table.
 *
 * The input, up to its first newline (a line holds none), is the request.
 * Checked:
 *  - the reply is one JSON object: {"ok": true, "result": R} or
 *    {"ok": false, "error": non-empty text, "code": a documented negative
 *    MOS_E* code, "name": mos_err_name(code)}, nothing else, and it
 *    serializes (JSON_COMPACT, as live.c writes it) to one line;
 *  - a failed request changes nothing: ps, services, the overview and the
 *    trace hash are byte for byte what they were;
 *  - a second kernel built the same way gives the same reply, byte for
 *    byte, and after both run 5 ms more they are still the same (the
 *    effects of an accepted command are deterministic);
 *  - no crash, no leak (the sanitizers under SAN=1 and libFuzzer).
 * FUZZ_VERBOSE=1 in the environment prints each request and its reply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <multios/admin.h>
#include <multios/multios.h>

#include "live/live_int.h"
#include "fuzz.h"

static void reg(mos_kernel_t *k, const char *name, const char *const *cmd,
		uint32_t instances, const mos_service_dep_t *dep)
{
	mos_service_descriptor_t d;
	mos_service_id_t id;
	int rc;

	mos_service_descriptor_init(&d);
	d.name = name;
	d.command = cmd;
	d.instances = instances;
	d.deps = dep;
	d.ndeps = dep ? 1 : 0;
	rc = mos_service_register(k, 0, &d, &id, NULL);
	FUZZ_CHECK(rc == 0, "register %s: %s", name, mos_err_name(rc));
}

static void spawn(mos_kernel_t *k, const char *const *cmd)
{
	mos_process_spec_t spec;
	mos_pid_t pid;
	int rc;

	mos_process_spec_init(&spec);
	spec.command = cmd;
	rc = mos_process_create(k, &spec, &pid);
	FUZZ_CHECK(rc == 0, "create %s: %s", cmd[0], mos_err_name(rc));
}

static mos_kernel_t *boot(void)
{
	static const char *const db[] = {"server", "2ms", NULL};
	static const char *const web[] = {"server", "1ms", "1ms", NULL};
	static const char *const batch[] = {"sleep", "50ms", NULL};
	static const char *const cpu[] = {"cpu", "30ms", NULL};
	static const char *const nap[] = {"sleep", "40ms", NULL};
	const mos_service_dep_t need_db = {.name = "db", .required = true};
	mos_service_id_t id;
	mos_config_t cfg;
	mos_kernel_t *k;
	int rc;

	mos_config_default(&cfg);
	/* ps and the overview walk the whole process table: a small one
	 * keeps an input to milliseconds (65 536 slots cost 20x more). */
	cfg.max_processes = 256;
	cfg.max_service_processes = 64;
	rc = mos_kernel_create(&cfg, &k, NULL);
	FUZZ_CHECK(rc == 0, "kernel_create: %s", mos_err_name(rc));
	reg(k, "db", db, 1, NULL);
	reg(k, "web", web, 2, &need_db);
	reg(k, "batch", batch, 1, NULL);
	FUZZ_CHECK(mos_service_find(k, "web", &id) == 0 &&
			   mos_service_start(k, 0, id) == 0,
		   "start web");
	spawn(k, cpu);
	spawn(k, nap);
	rc = mos_kernel_run(k, 5 * MOS_MSEC);
	FUZZ_CHECK(rc == 0, "run: %s", mos_err_name(rc));
	return k;
}

/* ps, services, the overview and the trace hash, as one malloc'd text. */
static char *snapshot(mos_kernel_t *k)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	FUZZ_CHECK(f, "open_memstream");
	FUZZ_CHECK(mos_admin_ps_json(k, f) == 0 &&
			   mos_admin_services_json(k, f) == 0 &&
			   mos_admin_overview_json(k, f) == 0,
		   "snapshot writers failed");
	fprintf(f, "\ntrace %016llx\n", (unsigned long long)mos_trace_hash(k));
	fclose(f);
	return buf;
}

static int documented(json_int_t code)
{
	return code < 0 && code >= -1000 &&
	       strcmp(mos_err_name((int)code), "MOS_E?") != 0;
}

/* The reply's shape; returns whether it says ok. */
static int check_reply(json_t *reply)
{
	json_t *ok, *err, *code, *name;

	FUZZ_CHECK(reply && json_is_object(reply), "reply not an object");
	ok = json_object_get(reply, "ok");
	FUZZ_CHECK(json_is_boolean(ok), "reply without boolean ok");
	if (json_is_true(ok)) {
		FUZZ_CHECK(json_object_size(reply) == 2 &&
				   json_object_get(reply, "result"),
			   "ok reply is not {ok, result}");
		return 1;
	}
	err = json_object_get(reply, "error");
	code = json_object_get(reply, "code");
	name = json_object_get(reply, "name");
	FUZZ_CHECK(json_object_size(reply) == 4, "error reply has %zu keys",
		   json_object_size(reply));
	FUZZ_CHECK(json_is_string(err) && json_string_length(err) > 0,
		   "error reply without error text");
	FUZZ_CHECK(json_is_integer(code) &&
			   documented(json_integer_value(code)),
		   "error reply without a documented code");
	FUZZ_CHECK(json_is_string(name) &&
			   strcmp(json_string_value(name),
				  mos_err_name((int)json_integer_value(code))) ==
				   0,
		   "error reply: name does not match code %lld",
		   (long long)json_integer_value(code));
	return 0;
}

/* Handle the line on k; the reply's text (malloc'd). */
static char *serve(mos_kernel_t *k, const char *line, size_t len)
{
	mos_live_t srv;
	mos__live_act_t act = MOS__LIVE_WATCH;
	char *before = NULL, *after, *text;
	json_t *reply;
	int was_ok;

	memset(&srv, 0, sizeof(srv));
	srv.k = k;
	before = snapshot(k);
	reply = mos__live_handle(&srv, line, len, &act);
	was_ok = check_reply(reply);
	FUZZ_CHECK(act == MOS__LIVE_REPLY || act == MOS__LIVE_WATCH,
		   "act %d", (int)act);
	FUZZ_CHECK(was_ok || act == MOS__LIVE_REPLY, "a failed watch");
	text = json_dumps(reply, JSON_COMPACT);
	FUZZ_CHECK(text && !strchr(text, '\n'), "reply not one line");
	json_decref(reply);
	if (!was_ok) {
		after = snapshot(k);
		FUZZ_CHECK(strcmp(before, after) == 0,
			   "a failed request changed the kernel: %s", text);
		free(after);
	}
	free(before);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t len = nl ? (size_t)(nl - (const char *)data) : size;
	mos_kernel_t *a, *b;
	char *ra, *rb, *sa, *sb;

	if (len > MOS_LIVE_LINE_MAX)
		return 0;
	a = boot();
	b = boot();
	ra = serve(a, (const char *)data, len);
	rb = serve(b, (const char *)data, len);
	FUZZ_CHECK(strcmp(ra, rb) == 0, "two kernels replied\n%s\n%s", ra, rb);
	if (getenv("FUZZ_VERBOSE")) /* to see what a seed exercises */
		fprintf(stderr, "%.*s -> %.300s\n", (int)len,
			(const char *)data, ra);
	FUZZ_CHECK(mos_kernel_run(a, 10 * MOS_MSEC) == 0 &&
			   mos_kernel_run(b, 10 * MOS_MSEC) == 0,
		   "run after the request failed");
	sa = snapshot(a);
	sb = snapshot(b);
	FUZZ_CHECK(strcmp(sa, sb) == 0, "two kernels differ after %s", ra);
	free(sa);
	free(sb);
	free(ra);
	free(rb);
	mos_kernel_destroy(a);
	mos_kernel_destroy(b);
	return 0;
}
