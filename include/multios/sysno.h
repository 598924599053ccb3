/*
 * multios/sysno.h - system call numbers.
 *
 * Every system call of multios/syscall.h, multios/signal.h,
 * multios/cred.h and multios/resource.h has a number, in the order of
 * this table (stable: new calls go at the end).  The numbers index the
 * per-call CPU cost table of the configuration (mos_resource_params_t
 * syscall_cost) and name calls in the trace.
 */
#ifndef MULTIOS_SYSNO_H
#define MULTIOS_SYSNO_H

#include "types.h"

/* X(NAME, "name"): "name" is the call's name without mos_sys_, which is
 * also its key in the configuration's resources.syscall_costs_ms. */
#define MOS_SYSCALL_MAP(X)                                                 \
	X(COMPUTE, "compute")                                              \
	X(SLEEP, "sleep")                                                  \
	X(YIELD, "yield")                                                  \
	X(EXIT, "exit")                                                    \
	X(SPAWN, "spawn")                                                  \
	X(WAITPID, "waitpid")                                              \
	X(GETPID, "getpid")                                                \
	X(GETPPID, "getppid")                                              \
	X(SETPGID, "setpgid")                                              \
	X(GETPGID, "getpgid")                                              \
	X(GETSID, "getsid")                                                \
	X(SETSID, "setsid")                                                \
	X(NOW, "now")                                                      \
	X(STATE, "state")                                                  \
	X(RANDOM, "random")                                                \
	X(SCHED_HINT, "sched_hint")                                        \
	X(CREATE_PROCESS, "create_process")                                \
	X(TERMINATE_PROCESS, "terminate_process")                          \
	X(GET_PROCESS_INFO, "get_process_info")                            \
	X(TRACE_MARK, "trace_mark")                                        \
	X(PROCESS_LIST, "process_list")                                    \
	X(SET_PRIORITY, "set_priority")                                    \
	X(GETUID, "getuid")                                                \
	X(GETEUID, "geteuid")                                              \
	X(GETGID, "getgid")                                                \
	X(GETEGID, "getegid")                                              \
	X(SETUID, "setuid")                                                \
	X(SETGID, "setgid")                                                \
	X(DROPCAPS, "dropcaps")                                            \
	X(SIGACTION, "sigaction")                                          \
	X(SIGPROCMASK, "sigprocmask")                                      \
	X(SIGPENDING, "sigpending")                                        \
	X(PAUSE, "pause")                                                  \
	X(ALARM, "alarm")                                                  \
	X(NANOSLEEP, "nanosleep")                                          \
	X(KILL, "kill")                     /* and send_signal, its alias */ \
	X(ALLOC, "alloc")                                                  \
	X(FREE, "free")                                                    \
	X(STACK_USE, "stack_use")                                          \
	X(OPEN, "open")                                                    \
	X(CLOSE, "close")                                                  \
	X(DUP, "dup")                                                      \
	X(DUP2, "dup2")                                                    \
	X(CHDIR, "chdir")                                                  \
	X(READ, "read")                                                    \
	X(WRITE, "write")                                                  \
	X(IOPRIO_SET, "ioprio_set")                                        \
	X(IOPRIO_GET, "ioprio_get")                                        \
	X(SETRLIMIT, "setrlimit")                                          \
	X(GETRLIMIT, "getrlimit")                                          \
	X(GETRUSAGE, "getrusage")                                          \
	X(GETCAPS, "getcaps")                                              \
	X(NOTIFY_READY, "notify_ready")                                    \
	X(SEND, "send")                                                    \
	X(RECV, "recv")                                                    \
	X(REPLY, "reply")                                                  \
	X(CALL, "call")                                                    \
	X(DISCOVER, "discover")

typedef enum mos_sysno {
#define MOS__SYS_ENUM(name, str) MOS_SYS_##name,
	MOS_SYSCALL_MAP(MOS__SYS_ENUM)
#undef MOS__SYS_ENUM
	MOS_SYS_COUNT
} mos_sysno_t;

/* "spawn", ...; NULL when out of range. */
MOS_API const char *mos_syscall_name(mos_sysno_t nr);

#endif
