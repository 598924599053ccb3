/*
 * src/cli/ctl.c - `multios ctl`: one request to a live admin socket
 * (docs/LIVE.md), its reply as a table or raw; `watch` streams.
 *
 * A plain blocking Unix socket: connect, write one line, read lines.
 * `watch` waits on the socket and on a signalfd for SIGINT (blocked), so
 * Ctrl-C ends it cleanly without a handler or any global.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "ctl.h"

static const char usage[] =
	"Usage: multios ctl --socket PATH [--json] COMMAND [ARGS]\n"
	"\n"
	"Send one command to a live kernel's admin socket (multios live, or\n"
	"a program calling mos_live_open) and print the reply: a table by\n"
	"default, the raw JSON reply line with --json.  The protocol is in docs/LIVE.md.\n"
	"\n"
	"Commands:\n"
	"  ps                    every process: pid, ppid, user, state,\n"
	"                        priority, class, CPU, memory, descriptors\n"
	"  top [cpu|memory]      processes by CPU used since the previous top\n"
	"                        (any client's), or by memory now\n"
	"  services              every service with its state and dependencies\n"
	"  status NAME           one service's status\n"
	"  start NAME            start a service (and what it requires)\n"
	"  stop NAME             stop a service (and what requires it)\n"
	"  restart NAME          stop then start a service\n"
	"  kill PID [SIGNAL]     send SIGNAL (a name, TERM or SIGTERM, or a\n"
	"                        number; TERM by default) to process PID\n"
	"  stats                 the overview: uptime, processes and services\n"
	"                        per state, memory, CPU, device, violations\n"
	"  audit                 the admin audit log\n"
	"  emergency-stop [REASON]\n"
	"                        stop every non-critical service and process\n"
	"  watch                 print the kernel's events as they happen,\n"
	"                        until Ctrl-C or the server closes\n"
	"\n"
	"Options:\n"
	"  -s, --socket PATH     the admin socket (required)\n"
	"  --json                print the server's reply lines as they are\n"
	"  -h, --help            show this text and exit\n"
	"\n"
	"Exit status: 0 when the command succeeded, 1 when the server replied\n"
	"with an error or could not be reached (the message names PATH), 2 on\n"
	"a usage error.\n";

/* The request object for argv (command and its arguments); NULL and a
 * message on stderr for a usage error. */
static json_t *build_request(int argc, char **argv)
{
	const char *cmd = argv[0];
	int nargs = argc - 1;

	if (!strcmp(cmd, "ps") || !strcmp(cmd, "services") ||
	    !strcmp(cmd, "stats") || !strcmp(cmd, "audit") ||
	    !strcmp(cmd, "watch")) {
		if (nargs == 0)
			return json_pack("{s:s}", "cmd", cmd);
	} else if (!strcmp(cmd, "top")) {
		if (nargs == 0)
			return json_pack("{s:s}", "cmd", cmd);
		if (nargs == 1 && (!strcmp(argv[1], "cpu") ||
				   !strcmp(argv[1], "memory")))
			return json_pack("{s:s, s:s}", "cmd", cmd, "sort",
					 argv[1]);
	} else if (!strcmp(cmd, "status") || !strcmp(cmd, "start") ||
		   !strcmp(cmd, "stop") || !strcmp(cmd, "restart")) {
		if (nargs == 1)
			return json_pack("{s:s, s:s}", "cmd", cmd, "name",
					 argv[1]);
	} else if (!strcmp(cmd, "kill")) {
		char *end;
		long pid = nargs >= 1 ? strtol(argv[1], &end, 10) : 0;

		if ((nargs == 1 || nargs == 2) && *argv[1] && !*end &&
		    pid > 0 && pid <= INT32_MAX)
			return json_pack("{s:s, s:i, s:s}", "cmd", cmd, "pid",
					 (int)pid, "signal",
					 nargs == 2 ? argv[2] : "TERM");
	} else if (!strcmp(cmd, "emergency-stop")) {
		if (nargs <= 1)
			return json_pack("{s:s, s:s}", "cmd", cmd, "reason",
					 nargs ? argv[1] : "multios ctl");
	} else {
		fprintf(stderr, "multios ctl: unknown command '%s'\n%s", cmd,
			usage);
		return NULL;
	}
	fprintf(stderr, "multios ctl: wrong arguments for '%s'\n%s", cmd, usage);
	return NULL;
}

static int dial(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "multios ctl: %s: socket path too long\n", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		fprintf(stderr, "multios ctl: cannot connect to %s: %s\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reading lines off the socket: a growing buffer. */
typedef struct reader {
	int fd;
	char *buf;
	size_t len, cap;
} reader_t;

/* The next line (NUL-terminated, no newline) into *line, valid until
 * the next call: 1, or 0 at the end of the stream, -1 on an error. */
static int read_line(reader_t *r, char **line, size_t *consumed)
{
	char *nl;

	if (*consumed) {
		memmove(r->buf, r->buf + *consumed, r->len - *consumed);
		r->len -= *consumed;
		*consumed = 0;
	}
	while (!r->len || !(nl = memchr(r->buf, '\n', r->len))) {
		ssize_t got;

		if (r->len + 4096 > r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 65536;
			char *b = realloc(r->buf, cap);

			if (!b)
				return -1;
			r->buf = b;
			r->cap = cap;
		}
		got = read(r->fd, r->buf + r->len, r->cap - r->len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got == 0 ? 0 : -1;
		r->len += (size_t)got;
	}
	*nl = 0;
	*line = r->buf;
	*consumed = (size_t)(nl - r->buf) + 1;
	return 1;
}

/* Print one reply line; 0 when it says ok, 1 otherwise. */
static int show_reply(const char *cmd, const char *line, int raw)
{
	json_error_t e;
	json_t *v = json_loads(line, 0, &e);
	int rc;

	if (!v || !json_is_object(v)) {
		fprintf(stderr, "multios ctl: the server's reply is not a JSON "
			"object: %s\n", line);
		json_decref(v);
		return 1;
	}
	rc = json_is_true(json_object_get(v, "ok")) ? 0 : 1;
	if (raw)
		puts(line);
	if (rc)
		fprintf(stderr, "multios ctl: %s (%s)\n",
			json_string_value(json_object_get(v, "error")),
			json_string_value(json_object_get(v, "name")));
	else if (!raw)
		ctl_print(cmd, json_object_get(v, "result"), stdout);
	json_decref(v);
	return rc;
}

/* watch: the events until Ctrl-C (SIGINT, read from a signalfd) or the
 * server's end. */
static int watch_loop(reader_t *r, size_t consumed, int raw)
{
	sigset_t set;
	int sfd, rc = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0 ||
	    (sfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0) {
		perror("multios ctl: signalfd");
		return 1;
	}
	for (;;) {
		char *line;
		int got;

		/* A whole line already buffered is printed before waiting. */
		if (!memchr(r->buf + consumed, '\n', r->len - consumed)) {
			struct pollfd p[2] = {{.fd = r->fd, .events = POLLIN},
					      {.fd = sfd, .events = POLLIN}};

			fflush(stdout);
			if (poll(p, 2, -1) < 0 && errno != EINTR)
				break;
			if (p[1].revents)
				break;   /* interrupted: a clean end */
		}
		if ((got = read_line(r, &line, &consumed)) <= 0) {
			rc = got < 0;
			break;
		}
		if (raw)
			puts(line);
		else
			ctl_print_event(line, stdout);
	}
	close(sfd);
	return rc;
}

int cli_ctl(int argc, char **argv)
{
	const char *path = NULL;
	int raw = 0, i, fd, rc, got;
	json_t *req;
	char *s, *line;
	reader_t r = {0};
	size_t consumed = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--socket") || !strcmp(argv[i], "-s")) {
			if (++i == argc || !argv[i][0]) {
				fprintf(stderr, "multios ctl: --socket needs a "
					"path\n%s", usage);
				return 2;
			}
			path = argv[i];
		} else if (!strcmp(argv[i], "--json")) {
			raw = 1;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		} else {
			fprintf(stderr, "multios ctl: unknown option '%s'\n%s",
				argv[i], usage);
			return 2;
		}
	}
	if (!path || i == argc) {
		fprintf(stderr, "multios ctl: %s\n%s",
			path ? "no command" : "--socket PATH is required", usage);
		return 2;
	}
	if (!(req = build_request(argc - i, argv + i)))
		return 2;
	s = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (!s || (fd = dial(path)) < 0) {
		free(s);
		return 1;
	}
	r.fd = fd;
	if (send_all(fd, s, strlen(s)) != 0 || send_all(fd, "\n", 1) != 0) {
		fprintf(stderr, "multios ctl: %s: %s\n", path, strerror(errno));
		rc = 1;
	} else if ((got = read_line(&r, &line, &consumed)) <= 0) {
		fprintf(stderr, "multios ctl: %s: the server closed the "
			"connection without a reply\n", path);
		rc = 1;
	} else {
		rc = show_reply(argv[i], line, raw);
		if (rc == 0 && !strcmp(argv[i], "watch"))
			rc = watch_loop(&r, consumed, raw);
	}
	free(s);
	free(r.buf);
	close(fd);
	return rc;
}
