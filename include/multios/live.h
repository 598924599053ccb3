/*
 * multios/live.h - the live admin socket: a JSON-lines admin protocol on a
 * Unix socket, served on the kernel's realtime libuv loop (multios/uv.h).
 *
 * The server is a uv pipe server on mos_kernel_uv_loop(k): its callbacks
 * run while the kernel waits for its next event (inside mos_kernel_run or
 * mos_kernel_step), so a command is served at once even when that event is
 * far away, or when the host runs the loop itself between runs.  One
 * request object per line, one reply object per line; the protocol, every
 * command and every error are in docs/LIVE.md.  The commands act as the
 * host (actor 0) through the public admin, service and signal APIs.
 *
 * The socket file is created with owner-only permissions (0600), before
 * any client can connect: it is bound under a umask of 077, so it never
 * exists with wider ones.  Any number of clients at once; a malformed or
 * over-long line (MOS_LIVE_LINE_MAX) gets an error reply and never stops
 * the server; a client that goes away mid-reply is dropped alone.
 *
 * Everything here is for the host, from outside the kernel's run or from
 * the loop's callbacks; never from a program or a synchronous event
 * subscriber.
 */
#ifndef MULTIOS_LIVE_H
#define MULTIOS_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "types.h"

/* The longest request line, newline excluded. */
#define MOS_LIVE_LINE_MAX (64 * 1024)

typedef struct mos_live mos_live_t;

/*
 * Serve the admin protocol on a Unix socket at path, on k's realtime
 * loop; *out receives the server.  The path must not exist: an existing
 * file, even a stale socket, is refused rather than removed.
 * Errors: MOS_EINVAL (k, path or out NULL, an empty path or one longer
 * than a socket address holds, a kernel whose clock backend is not
 * "realtime"), MOS_EEXIST (path exists), MOS_ENOENT (its folder does not
 * exist), MOS_EPERM (its folder is not writable), MOS_EIO (another
 * failure to bind or listen), MOS_ENOMEM.
 */
MOS_API int mos_live_open(mos_kernel_t *k, const char *path, mos_live_t **out);

/*
 * Stop serving: the listening socket is closed and its file removed, every
 * client connection closed, every watch unsubscribed.  The memory is freed
 * by the close callbacks, on the loop's next iteration (the kernel's next
 * wait, the host's own uv_run, or mos_kernel_destroy, which runs them):
 * so it may be called from a loop callback.  Call it before
 * mos_kernel_destroy.  NULL does nothing.
 */
MOS_API void mos_live_close(mos_live_t *srv);

/* Connections open now (0 for NULL). */
MOS_API size_t mos_live_clients(const mos_live_t *srv);

/* Requests answered so far, error replies included (0 for NULL). */
MOS_API uint64_t mos_live_requests(const mos_live_t *srv);

#endif
