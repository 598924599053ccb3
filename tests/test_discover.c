/*
 * test_discover.c - service discovery (mos_service_discover,
 * src/service/discover.c) and its glob matcher (src/service/glob.c):
 * patterns, filters by type, tag and state, name order, cap, malformed
 * patterns at their exact positions, a hostile pattern, actors.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fail_alloc.h"
#include "ipc/ipc_int.h"
#include "helpers.h"
#include "multios/service.h"
#include "service/glob.h"
#include "svc_helpers.h"
#include "timeout.h"

TestSuite(discover, .timeout = T_TIMEOUT);

/* Registered in this (not name) order, so name order is the sort's. */
static const char *const t_names[] = {
	"web-2", "db", "web-1", "authdb", "a1", "b2", "ab", "c3",
	"web-admin", "cache@eu", "db.replica", "web_x", NULL,
};

static const char *const t_web_tags[] = {"web", "public", NULL};
static const char *const t_db_tags[] = {"storage", NULL};

static mos_kernel_t *t_world(void)
{
	mos_config_t c;
	mos_kernel_t *k;

	mos_config_default(&c);
	k = t_kernel(&c);
	for (int i = 0; t_names[i]; i++) {
		mos_service_descriptor_t d = t_desc(t_names[i], t_idle_cmd);

		if (strncmp(t_names[i], "web", 3) == 0)
			d.tags = t_web_tags;
		if (strstr(t_names[i], "db"))
			d.tags = t_db_tags;
		if (strcmp(t_names[i], "db") == 0)
			d.type = MOS_SVC_SYSTEM;
		if (strcmp(t_names[i], "cache@eu") == 0)
			d.type = MOS_SVC_DISCOVERY;
		t_reg(k, &d);
	}
	return k;
}

/* The names found for pattern and filter, space-separated. */
static const char *t_found(mos_kernel_t *k, mos_pid_t actor, const char *pat,
			   const mos_discover_filter_t *f, char *buf,
			   size_t size)
{
	mos_service_id_t ids[32];
	size_t n = 99, len = 0;
	mos_error_t err;
	int rc = mos_service_discover(k, actor, pat, f, ids, 32, &n, &err);

	cr_assert_eq(rc, 0, "%s: %s %s", pat, mos_err_name(rc), err.message);
	cr_assert_leq(n, 32);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? " " : "", t_status(k, ids[i]).name);
	return buf;
}

Test(discover, patterns)
{
	static const struct { const char *pat, *want; } cases[] = {
		{"web-*", "web-1 web-2 web-admin"},
		{"*db*", "authdb db db.replica"},
		{"[ab]?", "a1 ab b2"},
		{"[a-b][0-9]", "a1 b2"},
		{"[!a]?", "b2 c3 db"},
		{"[^ab]?", "c3 db"},
		{"db", "db"},
		{"web-?", "web-1 web-2"},
		{"*", "a1 ab authdb b2 c3 cache@eu db db.replica web-1 web-2 "
		      "web-admin web_x"},
		{"cache@*", "cache@eu"},
		{"db\\.replica", "db.replica"},
		{"\\d\\b", "db"},
		{"web[_-]x", "web_x"},
		{"web[-]*", "web-1 web-2 web-admin"},
		{"*[0-9]", "a1 b2 c3 web-1 web-2"},
		{"nothing*", ""},
		{"db?", ""},
		{"***b", "ab authdb db"},
	};
	mos_kernel_t *k = t_world();
	char buf[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_str_eq(t_found(k, 0, cases[i].pat, NULL, buf,
					 sizeof(buf)),
				 cases[i].want, "pattern %s", cases[i].pat);
	mos_kernel_destroy(k);
}

Test(discover, filters)
{
	mos_kernel_t *k = t_world();
	mos_discover_filter_t f = {0};
	mos_service_id_t id;
	char buf[512];

	f.tag = "web";
	cr_expect_str_eq(t_found(k, 0, "*", &f, buf, sizeof(buf)),
			 "web-1 web-2 web-admin web_x");
	f.tag = "storage";
	cr_expect_str_eq(t_found(k, 0, "*", &f, buf, sizeof(buf)),
			 "authdb db db.replica");
	cr_expect_str_eq(t_found(k, 0, "d*", &f, buf, sizeof(buf)),
			 "db db.replica");
	f.tag = "nope";
	cr_expect_str_eq(t_found(k, 0, "*", &f, buf, sizeof(buf)), "");
	f = (mos_discover_filter_t){.by_type = true, .type = MOS_SVC_SYSTEM};
	cr_expect_str_eq(t_found(k, 0, "*", &f, buf, sizeof(buf)), "db");
	f.type = MOS_SVC_DISCOVERY;
	cr_expect_str_eq(t_found(k, 0, "*", &f, buf, sizeof(buf)), "cache@eu");
	/* State: start web-1 and disable b2. */
	cr_assert_eq(mos_service_find(k, "web-1", &id), 0);
	cr_assert_eq(mos_service_start(k, 0, id), 0);
	cr_assert_eq(mos_service_find(k, "b2", &id), 0);
	cr_assert_eq(mos_service_disable(k, 0, id), 0);
	cr_assert_eq(mos_kernel_run(k, MS(10)), 0);
	f = (mos_discover_filter_t){.by_state = true, .state = MOS_SVC_RUNNING};
	cr_expect_str_eq(t_found(k, 0, "*", &f, buf, sizeof(buf)), "web-1");
	f.state = MOS_SVC_DISABLED;
	cr_expect_str_eq(t_found(k, 0, "*", &f, buf, sizeof(buf)), "b2");
	f.state = MOS_SVC_STOPPED;
	f.tag = "web";
	cr_expect_str_eq(t_found(k, 0, "web*", &f, buf, sizeof(buf)),
			 "web-2 web-admin web_x");
	/* All three at once. */
	f.by_type = true;
	f.type = MOS_SVC_USER;
	f.state = MOS_SVC_RUNNING;
	cr_expect_str_eq(t_found(k, 0, "*", &f, buf, sizeof(buf)), "web-1");
	/* Out of range: refused. */
	f.type = MOS_SVC_TYPE_COUNT;
	cr_expect_eq(mos_service_discover(k, 0, "*", &f, NULL, 0, NULL, NULL),
		     MOS_EINVAL);
	f.type = MOS_SVC_USER;
	f.state = MOS_SVC_STATE_COUNT;
	cr_expect_eq(mos_service_discover(k, 0, "*", &f, NULL, 0, NULL, NULL),
		     MOS_EINVAL);
	mos_kernel_destroy(k);
}

Test(discover, cap_below_count_gives_the_first)
{
	mos_kernel_t *k = t_world();
	mos_service_id_t ids[3] = {0}, a1, ab;
	size_t n = 0;

	cr_assert_eq(mos_service_discover(k, 0, "*", NULL, ids, 2, &n, NULL), 0);
	cr_expect_eq(n, 12);
	cr_assert_eq(mos_service_find(k, "a1", &a1), 0);
	cr_assert_eq(mos_service_find(k, "ab", &ab), 0);
	cr_expect_eq(ids[0], a1);
	cr_expect_eq(ids[1], ab);
	cr_expect_eq(ids[2], 0); /* untouched */
	n = 0;
	cr_assert_eq(mos_service_discover(k, 0, "web*", NULL, NULL, 0, &n, NULL), 0);
	cr_expect_eq(n, 4);
	cr_assert_eq(mos_service_discover(k, 0, "web*", NULL, NULL, 0, NULL, NULL), 0);
	mos_kernel_destroy(k);
}

Test(discover, empty_registry)
{
	mos_config_t c;
	mos_kernel_t *k;
	size_t n = 9;

	mos_config_default(&c);
	k = t_kernel(&c);
	cr_assert_eq(mos_service_discover(k, 0, "*", NULL, NULL, 0, &n, NULL), 0);
	cr_expect_eq(n, 0);
	mos_kernel_destroy(k);
}

Test(discover, malformed_patterns)
{
	static const struct { const char *pat; const char *text; } cases[] = {
		{"", "empty pattern at position 0"},
		{"web[ab", "unclosed '[' at position 3"},
		{"[", "unclosed '[' at position 0"},
		{"ab[!", "unclosed '[' at position 2"},
		{"a[b-", "unclosed '[' at position 1"},
		{"web\\", "trailing '\\' at position 3"},
		{"[a\\", "trailing '\\' at position 2"},
		{"x[z-a]", "reversed range at position 2"},
		{"x[ab9-0]", "reversed range at position 4"},
		{"x[]", "empty '[]' at position 1"},
		{"[!]", "empty '[]' at position 0"},
		{"web]", "unmatched ']' at position 3"},
		{"we b", "invalid character at position 2"},
		{"web/x", "invalid character at position 3"},
		{"a!", "invalid character at position 1"},
		{"[a^]", "invalid character at position 2"},
		{"[a*]", "invalid character at position 2"},
		{"\\ x", "invalid character at position 1"},
		{"[a-\\ ]", "invalid character at position 4"},
		{"\xc3\xa9", "invalid character at position 0"},
	};
	mos_kernel_t *k = t_world();
	mos_service_id_t ids[4] = {0};
	size_t n = 77;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mos_error_t err;

		cr_expect_eq(mos_service_discover(k, 0, cases[i].pat, NULL, ids,
						  4, &n, &err),
			     MOS_EDISCOVERY, "%s", cases[i].pat);
		cr_expect_eq(err.code, MOS_EDISCOVERY);
		cr_expect_str_eq(err.text, cases[i].text, "%s", cases[i].pat);
		cr_expect_str_eq(err.path, "pattern");
		cr_expect_eq(n, 77);
		cr_expect_eq(ids[0], 0);
	}
	mos_kernel_destroy(k);
}

Test(discover, too_long_pattern)
{
	static char pat[MOS_GLOB_MAX_LEN + 2];
	size_t pos = 0;
	const char *why = NULL;

	memset(pat, '*', MOS_GLOB_MAX_LEN);
	cr_expect_eq(mos__glob_check(pat, &pos, &why), 0);
	pat[MOS_GLOB_MAX_LEN] = 'a';
	cr_expect_eq(mos__glob_check(pat, &pos, &why), MOS_EDISCOVERY);
	cr_expect_eq(pos, MOS_GLOB_MAX_LEN);
	cr_expect_str_eq(why, "pattern too long");
	cr_expect_eq(mos__glob_check(NULL, &pos, &why), MOS_EINVAL);
}

/* "*a*a*...*a*b" against a run of a's: exponential for a naive
 * backtracking matcher (each star tries every split), at most pattern
 * length times name length steps for ours.  Matched many times, it ends
 * well within the suite's timeout only if it is polynomial. */
Test(discover, hostile_pattern_is_fast)
{
	char pat[512], name[64];
	size_t len = 0;

	for (int i = 0; i < 200; i++) {
		pat[len++] = '*';
		pat[len++] = 'a';
	}
	pat[len++] = '*';
	pat[len++] = 'b';
	pat[len] = '\0';
	memset(name, 'a', 63);
	name[63] = '\0';
	cr_assert_eq(mos__glob_check(pat, &len, &(const char *){NULL}), 0);
	for (int i = 0; i < 2000; i++)
		cr_assert(!mos__glob_match(pat, name));
	name[62] = 'b';
	/* 62 a's then b: 200 a's are needed, so still no match; with 20
	 * pairs there is. */
	cr_assert(!mos__glob_match(pat, name));
	cr_assert(mos__glob_match(pat + 2 * 180, name));
	cr_assert(mos__glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*b", name));
	cr_assert(!mos__glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*c", name));
}

Test(discover, glob_matcher_edges)
{
	cr_expect(mos__glob_match("*", "x"));
	cr_expect(mos__glob_match("a*", "a"));
	cr_expect(mos__glob_match("*a", "a"));
	cr_expect(!mos__glob_match("a?", "a"));
	cr_expect(mos__glob_match("a*b*c", "a-b-b-c"));
	cr_expect(!mos__glob_match("a*b*c", "a-b-b-cd"));
	cr_expect(mos__glob_match("a*b?c", "axxbbyc"));
	cr_expect(mos__glob_match("[-a]x", "-x"));
	cr_expect(mos__glob_match("[a-]x", "-x"));
	cr_expect(mos__glob_match("[!-]x", "bx"));
	cr_expect(!mos__glob_match("[!-]x", "-x"));
	cr_expect(mos__glob_match("[\\*a]", "a"));
	cr_expect(mos__glob_match("\\*", "*")); /* the matcher is bytewise */
	cr_expect(!mos__glob_match("\\*", "a"));
	cr_expect(mos__glob_match("[.-9]", "5")); /* '.'..'9' holds '/', '0'.. */
	cr_expect(!mos__glob_match("[A-Z]*", "web"));
}

Test(discover, actors)
{
	mos_kernel_t *k = t_world();
	mos_pid_t user, admin;
	char buf[512];
	size_t n = 0;

	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, 0, t_idle_cmd,
				NULL, &user), 0);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1001, MOS_CAP_ADMIN,
				t_idle_cmd, NULL, &admin), 0);
	/* No allow lists here: every service is callable, so each sees all. */
	cr_expect_str_eq(t_found(k, user, "web-*", NULL, buf, sizeof(buf)),
			 "web-1 web-2 web-admin");
	cr_expect_str_eq(t_found(k, admin, "web-*", NULL, buf, sizeof(buf)),
			 "web-1 web-2 web-admin");
	cr_expect_eq(mos_service_discover(k, 9999, "*", NULL, NULL, 0, &n, NULL),
		     MOS_EPROCNOTFOUND);
	cr_expect_eq(mos_service_discover(k, -1, "*", NULL, NULL, 0, &n, NULL),
		     MOS_EINVALPID);
	cr_expect_eq(n, 0);
	mos_kernel_destroy(k);
}

/* The allow lists: a caller sees only what it may call (its effective
 * uid, gid or service listed), unless it holds ADMIN; the host sees all. */
Test(discover, hides_what_the_caller_may_not_call)
{
	static const mos_uid_t uids[] = {2000};
	static const mos_gid_t gids[] = {77};
	static const char *const svcs[] = {"front", NULL};
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d;
	mos_service_id_t front;
	mos_pid_t user, admin, other, grp;
	char buf[512];

	d = t_desc("web-uid", t_idle_cmd);
	d.allow_uids = uids;
	d.nallow_uids = 1;
	t_reg(k, &d);
	d = t_desc("web-gid", t_idle_cmd);
	d.allow_gids = gids;
	d.nallow_gids = 1;
	t_reg(k, &d);
	d = t_desc("web-svc", t_idle_cmd);
	d.allow_services = svcs;
	t_reg(k, &d);
	d = t_desc("front", t_idle_cmd);
	d.uid = 3000;
	d.caps = 0;
	front = t_reg(k, &d);
	cr_assert_eq(mos_service_start(k, 0, front), 0);
	cr_assert_eq(mos_kernel_run(k, 1000), 0);
	cr_assert_eq(t_status(k, front).ninstances, 1);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1000, 0, t_idle_cmd,
				NULL, &user), 0);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 1001, MOS_CAP_ADMIN,
				t_idle_cmd, NULL, &admin), 0);
	cr_assert_eq(t_spawn_as(k, 0, MOS_PRIO_NORMAL, 2000, 0, t_idle_cmd,
				NULL, &other), 0);
	{
		mos_process_spec_t sp = t_spec(0, MOS_PRIO_NORMAL, t_idle_cmd,
					       NULL);

		sp.uid = 4000;
		sp.gid = 77;
		sp.caps = 0;
		grp = t_make(k, &sp);
	}
	cr_expect_str_eq(t_found(k, user, "web-*", NULL, buf, sizeof(buf)),
			 "web-1 web-2 web-admin");
	cr_expect_str_eq(t_found(k, admin, "web-*", NULL, buf, sizeof(buf)),
			 "web-1 web-2 web-admin web-gid web-svc web-uid");
	cr_expect_str_eq(t_found(k, 0, "web-*", NULL, buf, sizeof(buf)),
			 "web-1 web-2 web-admin web-gid web-svc web-uid");
	cr_expect_str_eq(t_found(k, other, "web-*", NULL, buf, sizeof(buf)),
			 "web-1 web-2 web-admin web-uid");
	cr_expect_str_eq(t_found(k, grp, "web-*", NULL, buf, sizeof(buf)),
			 "web-1 web-2 web-admin web-gid");
	cr_expect_str_eq(t_found(k, t_status(k, front).pids[0], "web-*", NULL,
				 buf, sizeof(buf)),
			 "web-1 web-2 web-admin web-svc");
	mos_kernel_destroy(k);
}

/* What a discovery client asks and gets. */
typedef struct t_ask {
	mos_pid_t server;
	const char *pattern;
	int rc;
	mos_msg_t reply;
	mos_time_t at;
} t_ask_t;

static int asker_main(mos_proc_t *self, int argc, char **argv)
{
	t_ask_t *a = mos_sys_state(self);
	mos_msg_t req;

	(void)argc;
	(void)argv;
	memset(&req, 0, sizeof(req));
	req.len = (uint32_t)strlen(a->pattern);
	memcpy(req.payload, a->pattern, req.len);
	a->rc = mos__ipc_call(self, a->server, &req, &a->reply, MOS_TIME_NEVER,
			      0, 0);
	a->at = mos_sys_now(self);
	return 0;
}

static void t_reply_text(const mos_msg_t *m, char *buf)
{
	memcpy(buf, m->payload, m->len);
	buf[m->len] = '\0';
}

/* A DiscoveryService running `discovery` answers over IPC for the
 * request's sender: what it may call, in name order; a malformed pattern
 * comes back as an error reply; a list too long is truncated at a whole
 * name. */
Test(discover, discovery_service_answers_over_ipc)
{
	static const mos_uid_t uids[] = {2000};
	mos_kernel_t *k = t_world();
	mos_service_descriptor_t d;
	mos_service_id_t disco;
	t_ask_t a[4] = {
		{.pattern = "web-*"}, {.pattern = "web-*"}, {.pattern = "[ab"},
		{.pattern = ""},
	};
	mos_uid_t as[4] = {1000, 2000, 1000, 1000};
	char buf[MOS_MSG_PAYLOAD_MAX + 1];

	cr_assert_eq(mos_program_register(k, "asker", asker_main), 0);
	d = t_desc("web-secret", t_idle_cmd);
	d.allow_uids = uids;
	d.nallow_uids = 1;
	t_reg(k, &d);
	d = t_desc("disco", T_ARGV("discovery"));
	d.type = MOS_SVC_DISCOVERY;
	disco = t_reg(k, &d);
	cr_assert_eq(mos_service_start(k, 0, disco), 0);
	cr_assert_eq(mos_kernel_run(k, 1000), 0);
	for (int i = 0; i < 4; i++) {
		mos_process_spec_t sp = t_spec(0, MOS_PRIO_NORMAL,
					       T_ARGV("asker"), &a[i]);

		a[i].server = t_status(k, disco).pids[0];
		sp.uid = as[i];
		sp.caps = 0;
		(void)t_make(k, &sp);
	}
	cr_assert_eq(mos_kernel_run(k, 2000), 0);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(a[i].rc, 0, "%d: %s", i, mos_err_name(a[i].rc));
		cr_expect_eq(a[i].at, 1000, "%d", i);
	}
	t_reply_text(&a[0].reply, buf);
	cr_expect_str_eq(buf, "web-1\nweb-2\nweb-admin\n");
	cr_expect_eq(a[0].reply.key, 3);
	cr_expect_eq(a[0].reply.flags, 0);
	t_reply_text(&a[1].reply, buf);
	cr_expect_str_eq(buf, "web-1\nweb-2\nweb-admin\nweb-secret\n");
	cr_expect_eq(a[1].reply.key, 4);
	cr_expect_eq(a[2].reply.flags, MOS_DISCOVERY_ERROR);
	cr_expect_eq(a[2].reply.key, (uint64_t)-(int64_t)MOS_EDISCOVERY);
	cr_expect_eq(a[2].reply.len, 0);
	/* "" is "*": every service user 1000 may call (not web-secret). */
	t_reply_text(&a[3].reply, buf);
	cr_expect_str_eq(buf, "a1\nab\nauthdb\nb2\nc3\ncache@eu\ndb\n"
			      "db.replica\ndisco\nweb-1\nweb-2\nweb-admin\n"
			      "web_x\n");
	cr_expect_eq(a[3].reply.key, 13);
	cr_expect_eq(a[3].reply.flags, 0);
	mos_kernel_destroy(k);
}

/* mos_sys_discover: whole names only, the count of all; another's view
 * needs ADMIN. */
typedef struct t_sysd {
	mos_pid_t behalf;
	size_t size;
	int rc;
	size_t n;
	char names[64];
} t_sysd_t;

static int sysd_main(mos_proc_t *self, int argc, char **argv)
{
	t_sysd_t *q = mos_sys_state(self);

	(void)argc;
	(void)argv;
	q->n = 99;
	q->rc = mos_sys_discover(self, q->behalf, "web-*", NULL, q->names,
				 q->size, &q->n);
	return 0;
}

Test(discover, sys_discover_truncates_and_checks_the_behalf)
{
	mos_kernel_t *k = t_world();
	t_sysd_t q[3] = {
		{.behalf = 0, .size = 13},  /* "web-1\nweb-2\n" + NUL */
		{.behalf = 1, .size = 64},  /* another's view, no ADMIN */
		{.behalf = -1, .size = 64},
	};

	cr_assert_eq(mos_program_register(k, "sysd", sysd_main), 0);
	for (int i = 0; i < 3; i++) {
		mos_process_spec_t sp = t_spec(0, MOS_PRIO_NORMAL,
					       T_ARGV("sysd"), &q[i]);

		sp.uid = 1000;
		sp.caps = 0;
		(void)t_make(k, &sp);
	}
	cr_assert_eq(mos_kernel_run(k, 1000), 0);
	cr_expect_eq(q[0].rc, 0);
	cr_expect_str_eq(q[0].names, "web-1\nweb-2\n");
	cr_expect_eq(q[0].n, 3);
	cr_expect_eq(q[1].rc, MOS_EPERM);
	cr_expect_eq(q[1].n, 99);
	cr_expect_eq(q[2].rc, MOS_EINVAL);
	mos_kernel_destroy(k);
}

Test(discover, bad_arguments)
{
	mos_kernel_t *k = t_world();
	size_t n = 5;

	cr_expect_eq(mos_service_discover(NULL, 0, "*", NULL, NULL, 0, &n, NULL),
		     MOS_EINVAL);
	cr_expect_eq(mos_service_discover(k, 0, NULL, NULL, NULL, 0, &n, NULL),
		     MOS_EINVAL);
	cr_expect_eq(mos_service_discover(k, 0, "*", NULL, NULL, 1, &n, NULL),
		     MOS_EINVAL);
	cr_expect_eq(n, 5);
	mos_kernel_destroy(k);
}

Test(discover, enomem_changes_nothing)
{
	int fail = 0;
	mos_config_t c;
	mos_kernel_t *k;
	mos_service_id_t ids[2] = {0};
	size_t n = 77;

	mos_config_default(&c);
	c.alloc = t_fail_alloc(&fail);
	k = t_kernel(&c);
	for (int i = 0; i < 3; i++) {
		mos_service_descriptor_t d = t_desc(t_names[i], t_idle_cmd);

		t_reg(k, &d);
	}
	fail = 1;
	cr_expect_eq(mos_service_discover(k, 0, "*", NULL, ids, 2, &n, NULL),
		     MOS_ENOMEM);
	cr_expect_eq(n, 77);
	cr_expect_eq(ids[0], 0);
	/* Counting alone needs no memory. */
	cr_expect_eq(mos_service_discover(k, 0, "*", NULL, NULL, 0, &n, NULL), 0);
	cr_expect_eq(n, 3);
	fail = 0;
	cr_expect_eq(mos_service_discover(k, 0, "*", NULL, ids, 2, &n, NULL), 0);
	/* Registered web-2 (1), db (2), web-1 (3): name order db, web-1. */
	cr_expect_eq(ids[0], 2);
	cr_expect_eq(ids[1], 3);
	mos_kernel_destroy(k);
}
