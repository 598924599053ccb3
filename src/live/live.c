/*
 * src/live/live.c - the live admin socket (multios/live.h): a uv pipe
 * server on the kernel's realtime loop, its connections, their line
 * framing and writes, and the watches.
 *
 * src/live/ owns the live mode's server side: this file and live_cmd.c
 * (a request line to its reply).  It is a client of the public API only
 * (the admin, service, signal and event headers, and multios/uv.h), plus
 * the src/util/ allocator helpers.
 *
 * Lifetime.  The server and every connection are uv handles: each is
 * freed by its close callback, so mos_live_close may run from a loop
 * callback and the memory goes at the loop's next iteration.  The server
 * object itself is freed when its last handle's close callback has run.
 * A write's request carries its bytes and is freed by its callback, which
 * libuv runs (with UV_ECANCELED) for writes still queued at close.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "live_int.h"
#include "util/alloc.h"

typedef struct live_write {
	uv_write_t req;
	mos_live_t *srv;
	size_t len;
	char data[];
} live_write_t;

static void conn_close(mos__live_conn_t *c);

/* What json_dumps returned, freed with jansson's own allocator (the host
 * may have set one). */
static void json_str_free(char *s)
{
	json_malloc_t m;
	json_free_t f;

	json_get_alloc_funcs(&m, &f);
	f(s);
}

/* The server object goes once it is closing and no handle is left. */
static void maybe_free(mos_live_t *srv)
{
	if (srv->closing && !srv->server_open && !srv->head)
		mos__free(&srv->a, srv);
}

static void on_server_closed(uv_handle_t *h)
{
	mos_live_t *srv = h->data;

	srv->server_open = false;
	maybe_free(srv);
}

static void on_conn_closed(uv_handle_t *h)
{
	mos__live_conn_t *c = h->data;
	mos_live_t *srv = c->srv;

	if (c->prev)
		c->prev->next = c->next;
	else
		srv->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		srv->tail = c->prev;
	srv->nclients--;
	if (c->line)
		mos__free(&srv->a, c->line);
	mos__free(&srv->a, c);
	maybe_free(srv);
}

static void on_written(uv_write_t *req, int status)
{
	live_write_t *w = (live_write_t *)req;
	mos__live_conn_t *c = req->handle->data;
	mos_live_t *srv = w->srv;

	/* A client that went away mid-reply (EPIPE, ECONNRESET) is dropped
	 * alone; UV_ECANCELED is a write cut short by the close itself. */
	if (status < 0 && status != UV_ECANCELED)
		conn_close(c);
	mos__free(&srv->a, w);
}

/* Send obj as one line.  A client that cannot take it (out of memory, a
 * write refused, its queue over MOS__LIVE_QUEUE_MAX) is dropped. */
static void conn_send(mos__live_conn_t *c, json_t *obj)
{
	mos_live_t *srv = c->srv;
	live_write_t *w;
	uv_buf_t buf;
	char *s;
	size_t n;

	if (c->closing) {
		json_decref(obj);
		return;
	}
	s = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
	json_decref(obj);
	if (!s) {
		conn_close(c);
		return;
	}
	n = strlen(s);
	if (uv_stream_get_write_queue_size((uv_stream_t *)&c->pipe) + n >
	    MOS__LIVE_QUEUE_MAX ||
	    !(w = mos__malloc(&srv->a, sizeof(*w) + n + 1))) {
		json_str_free(s);
		conn_close(c);
		return;
	}
	memcpy(w->data, s, n);
	w->data[n] = '\n';
	w->len = n + 1;
	w->srv = srv;
	json_str_free(s);
	buf = uv_buf_init(w->data, (unsigned)w->len);
	if (uv_write(&w->req, (uv_stream_t *)&c->pipe, &buf, 1, on_written) < 0) {
		mos__free(&srv->a, w);
		conn_close(c);
	}
}

static void conn_close(mos__live_conn_t *c)
{
	if (c->closing)
		return;
	c->closing = true;
	if (c->watch >= 0) {
		mos_kernel_unsubscribe(c->srv->k, c->watch);
		c->watch = -1;
	}
	uv_close((uv_handle_t *)&c->pipe, on_conn_closed);
}

static void on_event(mos_kernel_t *k, const mos_kevent_t *ev, void *ud)
{
	mos__live_conn_t *c = ud;

	conn_send(c, mos__live_event(k, ev));
}

static void start_watch(mos__live_conn_t *c)
{
	mos_kev_filter_t f = {.types = MOS_KEV_ALL};
	int err;

	if (c->watch >= 0)
		return;
	err = mos_kernel_subscribe(c->srv->k, &f, 0, on_event, c, &c->watch);
	if (err < 0) {
		c->watch = -1;
		conn_send(c, mos__live_error(err, "cannot watch"));
	}
}

/* One complete line (without its newline). */
static void conn_line(mos__live_conn_t *c, const char *line, size_t len)
{
	mos__live_act_t act = MOS__LIVE_REPLY;
	json_t *reply;

	if (len && line[len - 1] == '\r')
		len--;
	if (len == 0)
		return;   /* blank lines are allowed between requests */
	c->srv->requests++;
	reply = mos__live_handle(c->srv, line, len, &act);
	/* The reply first, then the events, in the order they happen. */
	conn_send(c, reply);
	if (act == MOS__LIVE_WATCH && !c->closing)
		start_watch(c);
}

/* Append n bytes to the line; false when it would pass the cap (or
 * memory runs out: then the client is dropped). */
static bool line_append(mos__live_conn_t *c, const char *p, size_t n)
{
	if (c->len + n > MOS_LIVE_LINE_MAX)
		return false;
	if (c->len + n > c->cap) {
		size_t cap = c->cap ? c->cap : 256;
		char *q;

		while (cap < c->len + n)
			cap *= 2;
		if (cap > MOS_LIVE_LINE_MAX)
			cap = MOS_LIVE_LINE_MAX;
		if (!(q = mos__realloc_array(&c->srv->a, c->line, cap, 1))) {
			conn_close(c);
			return true;
		}
		c->line = q;
		c->cap = cap;
	}
	memcpy(c->line + c->len, p, n);
	c->len += n;
	return true;
}

/* Frame what one read brought: each newline ends a request; a line past
 * MOS_LIVE_LINE_MAX gets an error reply and is skipped to its newline
 * (the stream resynchronises there). */
static void conn_feed(mos__live_conn_t *c, const char *p, size_t n)
{
	while (n && !c->closing) {
		const char *nl = memchr(p, '\n', n);
		size_t part = nl ? (size_t)(nl - p) : n;

		if (c->discarding) {
			if (nl)
				c->discarding = false;
		} else if (!line_append(c, p, part)) {
			c->len = 0;
			c->discarding = !nl;
			c->srv->requests++;
			conn_send(c, mos__live_error(MOS_EINVAL,
				"line too long (the limit is 65536 bytes)"));
		} else if (nl && !c->closing) {
			conn_line(c, c->line ? c->line : "", c->len);
			c->len = 0;
		}
		if (!nl)
			break;
		n -= part + 1;
		p = nl + 1;
	}
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	mos__live_conn_t *c = h->data;

	(void)suggested;
	*buf = uv_buf_init(c->rbuf, sizeof(c->rbuf));
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	mos__live_conn_t *c = req->handle->data;
	mos_live_t *srv = c->srv;

	(void)status;
	conn_close(c);
	mos__free(&srv->a, req);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	mos__live_conn_t *c = s->data;
	uv_shutdown_t *req;

	if (nread > 0) {
		conn_feed(c, buf->base, (size_t)nread);
		return;
	}
	if (nread == 0 || c->closing)
		return;
	/* End of input: a last line without its newline is a request too.
	 * A watcher is done; anyone else gets its replies flushed first. */
	if (nread == UV_EOF && c->len && !c->discarding)
		conn_line(c, c->line, c->len);
	c->len = 0;
	if (c->closing)
		return;
	uv_read_stop(s);
	if (nread != UV_EOF || c->watch >= 0 ||
	    !(req = mos__malloc(&c->srv->a, sizeof(*req))) ||
	    (uv_shutdown(req, s, on_shutdown) < 0 &&
	     (mos__free(&c->srv->a, req), true)))
		conn_close(c);
}

static void on_connection(uv_stream_t *server, int status)
{
	mos_live_t *srv = server->data;
	mos__live_conn_t *c;

	if (status < 0 || srv->closing)
		return;
	if (!(c = mos__calloc(&srv->a, 1, sizeof(*c))))
		return;   /* the client stays in the backlog, or times out */
	if (uv_pipe_init(srv->loop, &c->pipe, 0) < 0) {
		mos__free(&srv->a, c);
		return;
	}
	c->srv = srv;
	c->watch = -1;
	c->pipe.data = c;
	c->prev = srv->tail;
	if (srv->tail)
		srv->tail->next = c;
	else
		srv->head = c;
	srv->tail = c;
	srv->nclients++;
	if (uv_accept(server, (uv_stream_t *)&c->pipe) < 0 ||
	    uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read) < 0)
		conn_close(c);
}

static int uv_to_mos(int uverr)
{
	switch (uverr) {
	case UV_EADDRINUSE:
	case UV_EEXIST:
		return MOS_EEXIST;
	case UV_ENOENT:
	case UV_ENOTDIR:
		return MOS_ENOENT;
	case UV_EACCES:
	case UV_EPERM:
	case UV_EROFS:
		return MOS_EPERM;
	case UV_ENOMEM:
	case UV_ENOBUFS:
		return MOS_ENOMEM;
	case UV_ENAMETOOLONG:
		return MOS_EINVAL;
	default:
		return MOS_EIO;
	}
}

/* libuv reports a missing folder as UV_EACCES (as Windows would): tell
 * the two apart by the folder itself. */
static int folder_error(const char *path)
{
	char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (!slash)
		return MOS_EPERM;   /* the working directory exists */
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (dir[0] && stat(dir, &st) != 0)
		return errno == ENOENT || errno == ENOTDIR ? MOS_ENOENT
							   : MOS_EPERM;
	return MOS_EPERM;
}

/* The socket: bound, made owner-only, and only then listening, so no
 * client can connect while its file has wider permissions. */
static int live_listen(mos_live_t *srv, const char *path)
{
	int err;

	if ((err = uv_pipe_init(srv->loop, &srv->server, 0)) < 0)
		return uv_to_mos(err);
	srv->server.data = srv;
	srv->server_open = true;
	if ((err = uv_pipe_bind(&srv->server, path)) < 0)
		return err == UV_EACCES ? folder_error(path) : uv_to_mos(err);
	if (chmod(path, S_IRUSR | S_IWUSR) != 0)
		return errno == ENOMEM ? MOS_ENOMEM : MOS_EIO;
	if ((err = uv_listen((uv_stream_t *)&srv->server, 128,
			     on_connection)) < 0)
		return uv_to_mos(err);
	return 0;
}

int mos_live_open(mos_kernel_t *k, const char *path, mos_live_t **out)
{
	const mos_config_t *cfg;
	mos_live_t *srv;
	uv_loop_t *loop;
	struct sockaddr_un sun;
	struct sigaction sa;
	int err;

	if (!k || !path || !out || !path[0] ||
	    strlen(path) >= sizeof(sun.sun_path) ||
	    !(loop = mos_kernel_uv_loop(k)) || !(cfg = mos_kernel_config(k)))
		return MOS_EINVAL;
	if (!mos__alloc_valid(&cfg->alloc))
		return MOS_EINVAL;
	/* A client that goes away would otherwise kill the host at the
	 * next write (libuv writes with write(2)): ignore SIGPIPE unless
	 * the host chose something for it. */
	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
		signal(SIGPIPE, SIG_IGN);
	{
		mos_allocator_t a = mos__alloc_resolve(&cfg->alloc);

		if (!(srv = mos__calloc(&a, 1, sizeof(*srv))))
			return MOS_ENOMEM;
		srv->a = a;
	}
	srv->k = k;
	srv->loop = loop;
	if ((err = live_listen(srv, path)) < 0) {
		mos_live_close(srv);
		return err;
	}
	*out = srv;
	return 0;
}

void mos_live_close(mos_live_t *srv)
{
	mos__live_conn_t *c, *next;

	if (!srv || srv->closing)
		return;
	srv->closing = true;
	for (c = srv->head; c; c = next) {
		next = c->next;
		conn_close(c);
	}
	/* libuv removes a bound server's socket file when it closes it. */
	if (srv->server_open)
		uv_close((uv_handle_t *)&srv->server, on_server_closed);
	maybe_free(srv);
}

size_t mos_live_clients(const mos_live_t *srv)
{
	return srv ? srv->nclients : 0;
}

uint64_t mos_live_requests(const mos_live_t *srv)
{
	return srv ? srv->requests : 0;
}
