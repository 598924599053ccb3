/*
 * src/live/live_int.h - the live admin socket's pieces shared by its two
 * files: live.c (the uv pipe server, connections, line framing, writes,
 * watches) and live_cmd.c (a request line to its reply, as JSON).
 */
#ifndef MOS_LIVE_INT_H
#define MOS_LIVE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "multios/live.h"
#include "multios/multios.h"
#include "multios/uv.h"

/* A client's queued output past which it is dropped (a watch that does
 * not read must not grow the server without bound). */
#define MOS__LIVE_QUEUE_MAX (4u * 1024 * 1024)

typedef struct mos__live_conn mos__live_conn_t;

struct mos__live_conn {
	uv_pipe_t pipe;
	mos_live_t *srv;
	mos__live_conn_t *prev, *next; /* the server's list, oldest first */
	char *line;          /* the line read so far (no newline) */
	size_t len, cap;
	bool discarding;     /* past MOS_LIVE_LINE_MAX: skip to the newline */
	bool closing;
	int watch;           /* the watch's subscription id; -1: none */
	char rbuf[4096];     /* what one read fills */
};

struct mos_live {
	mos_kernel_t *k;
	mos_allocator_t a;
	uv_loop_t *loop;
	uv_pipe_t server;
	bool closing;        /* mos_live_close was called */
	bool server_open;    /* the server handle's close callback is due */
	size_t nclients;
	uint64_t requests;
	mos__live_conn_t *head, *tail;
};

/* What a request did, for the framing: a watch keeps the client on. */
typedef enum mos__live_act {
	MOS__LIVE_REPLY,     /* an ordinary reply */
	MOS__LIVE_WATCH,     /* subscribe this client to the events */
} mos__live_act_t;

/*
 * The reply to one request line (len bytes, no newline): a new json_t
 * ({"ok": true, "result": ...} or {"ok": false, "error", "code",
 * "name"}), or NULL when out of memory.  *act says whether the client
 * asked to watch.
 */
json_t *mos__live_handle(mos_live_t *srv, const char *line, size_t len,
			 mos__live_act_t *act);

/* {"ok": false, "error": msg, "code": code, "name": code's name}; NULL
 * when out of memory. */
json_t *mos__live_error(int code, const char *msg);

/* One event as the watch line's object; NULL when out of memory. */
json_t *mos__live_event(mos_kernel_t *k, const mos_kevent_t *ev);

#endif
