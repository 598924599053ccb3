/*
 * multios/error.h - error codes and loader diagnostics.
 *
 * Every libmultios function that can fail returns 0 on success or a negative
 * MOS_E* code.  The codes cover every error the MultiOS documentation names
 * (process and service errors) plus argument and allocation errors.  The enum,
 * mos_strerror() and mos_err_name() are generated from one table, so a code
 * always has a name and a message.
 *
 * Loaders (configuration, workloads, scenarios) additionally fill a
 * mos_error_t, in the manner of jansson's json_error_t: the file, a line and
 * column for syntax errors, or the JSON path of the offending key otherwise.
 */
#ifndef MULTIOS_ERROR_H
#define MULTIOS_ERROR_H

#include <stddef.h>

#if defined(MOS_BUILDING_LIBRARY)
#define MOS_API __attribute__((visibility("default")))
#else
#define MOS_API
#endif

/* X(NAME, value, message).  Values are stable: never renumber. */
#define MOS_ERRNO_MAP(X)                                                   \
	/* argument and host errors */                                     \
	X(EINVAL, 1, "invalid argument")                                   \
	X(ENOMEM, 2, "out of memory")                                      \
	X(EINTR, 3, "interrupted")                                         \
	X(ECHILD, 4, "no child processes")                                 \
	X(ENOPROG, 5, "no such program")                                   \
	X(EIO, 6, "input/output error")                                    \
	X(ERANGE, 7, "time out of range")                                  \
	X(ENOENT, 8, "no such file or directory")                          \
	X(EBADF, 9, "bad file descriptor")                                 \
	X(ENOTDIR, 10, "not a directory")                                  \
	X(EISDIR, 11, "is a directory")                                    \
	X(EEXIST, 12, "file exists")                                       \
	X(EAGAIN, 13, "resource temporarily unavailable")                  \
	X(EPEERDIED, 14, "peer died")                                      \
	/* process errors (MultiOS documentation) */                       \
	X(EPROCNOTFOUND, 20, "process not found")                          \
	X(EINVALPID, 21, "invalid process id")                             \
	X(EPROCEXISTS, 22, "process already exists")                       \
	X(EPERM, 23, "permission denied")                                  \
	X(EEXHAUSTED, 24, "system resources exhausted")                    \
	X(EINVALSTATE, 25, "invalid state")                        \
	X(EINVALPRIO, 26, "invalid priority")                              \
	X(ELIMIT, 27, "resource limit exceeded")                           \
	X(ETIMEDOUT, 28, "operation timed out")                            \
	/* service errors (MultiOS documentation) */                       \
	X(ESVCNOTFOUND, 40, "service not found")                           \
	X(ESVCEXISTS, 41, "service already exists")                        \
	X(ESVCNOTRUNNING, 42, "service is not running")                    \
	X(ESVCNOTSTOPPED, 43, "service is still running")                  \
	X(ECONFIG, 44, "configuration error")                              \
	X(EDEPEND, 45, "dependency error")                                 \
	X(EDISCOVERY, 46, "service discovery failed")                      \
	X(ELOADBAL, 47, "load balancing error")                            \
	X(EHEALTH, 48, "health check failed")                              \
	X(ECYCLE, 49, "circular dependency")

typedef enum mos_errno {
	MOS_OK = 0,
#define MOS__ERR_ENUM(name, val, msg) MOS_##name = -(val),
	MOS_ERRNO_MAP(MOS__ERR_ENUM)
#undef MOS__ERR_ENUM
} mos_errno_t;

/* Message for a MOS_E* code ("invalid argument"); "unknown error" otherwise.
 * Never NULL; the string is static. */
MOS_API const char *mos_strerror(int err);

/* Name of a MOS_E* code ("MOS_EINVAL"); "MOS_OK" for 0, "MOS_E?" otherwise. */
MOS_API const char *mos_err_name(int err);

#define MOS_ERROR_SOURCE_LEN 256
#define MOS_ERROR_PATH_LEN 128
#define MOS_ERROR_TEXT_LEN 256

/*
 * Diagnostics from a loader.  line and column are 1-based and set only for
 * syntax errors (0 otherwise); path is the JSON path of the offending key
 * ("scheduler.time_slice_ms", "processes[3].bursts[1].io"), empty for syntax
 * errors.  message is the whole diagnostic ready to print, for example
 * "cfg.json: scheduler.time_slice_ms: expected a number" or
 * "cfg.json:3:7: end of file expected".  The first error wins.
 */
typedef struct mos_error {
	int code; /* the MOS_E* code returned */
	int line;
	int column;
	char source[MOS_ERROR_SOURCE_LEN];
	char path[MOS_ERROR_PATH_LEN];
	char text[MOS_ERROR_TEXT_LEN];
	char message[MOS_ERROR_SOURCE_LEN + MOS_ERROR_PATH_LEN +
		     MOS_ERROR_TEXT_LEN + 32];
} mos_error_t;

#endif
