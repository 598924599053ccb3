/*
 * src/resource/dev.h - the simulated block device (dev.c) and I/O
 * accounting.
 *
 * A process has at most one request (it blocks until it completes), kept
 * in its own state; the device keeps the waiting ones in a list in
 * arrival order and the ones in service in queue_depth slots, and one
 * kernel timer armed at the earliest completion.  A slot whose process
 * died stays busy until its completion (the transfer cannot be called
 * back), with no process to wake.
 */
#ifndef MOS_RES_DEV_H
#define MOS_RES_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include "fd.h"
#include "kernel/seams.h"
#include "multios/types.h"
#include "util/list.h"

struct mos_rgroup;

enum { MOS_IOREQ_IDLE, MOS_IOREQ_QUEUED, MOS_IOREQ_SERVICE };

/* A process's request, while its read or write blocks. */
typedef struct mos_res_ioreq {
	mos_list_t link;            /* in the device's queue, when QUEUED */
	mos_wchan_t done;           /* the process waits here */
	mos_proc_t *proc;           /* whose it is */
	mos_fs_node_t *node;        /* a write's file grows at completion */
	uint64_t bytes;
	uint64_t end;               /* a write's offset + bytes */
	uint64_t seq;               /* arrival order */
	mos_time_t since;           /* when the call began (io_wait) */
	/* io.max, while held: the group it was charged to (its chain up to
	   the root is the one charged; groups are never freed and never
	   move), the instant it was given and its serial among the
	   charges, which a group keeps for its last one (dev.c) */
	struct mos_rgroup *group;
	mos_time_t start;
	uint64_t take;
	uint32_t slot;              /* in SERVICE */
	uint8_t dir;                /* 0 read, 1 write */
	uint8_t state;              /* MOS_IOREQ_* */
} mos_res_ioreq_t;

/* Per process. */
typedef struct mos_res_io {
	uint64_t read_bytes, write_bytes; /* in its life (max_io_*), counted
				       at completion whatever the accounting
				       (a process has one request at most) */
	uint64_t read_ops, write_ops;
	mos_time_t wait;            /* time blocked on the device */
	int ioprio;                 /* MOS_IOPRIO(); 0: the default */
	mos_res_ioreq_t req;
} mos_res_io_t;

/* A place of service. */
typedef struct mos_dev_slot {
	mos_time_t due;             /* its completion */
	uint64_t seq;               /* start order, for equal due times */
	mos_proc_t *proc;           /* NULL: none to wake (it died) */
	bool busy;
} mos_dev_slot_t;

/* Per kernel. */
typedef struct mos_res_dev {
	uint32_t queued;            /* requests waiting or in service */
	mos_time_t busy;            /* total time with a request in service
				       (up to the last change: add now -
				       busy_since while in_service > 0) */
	mos_time_t busy_since;
	uint32_t in_service;
	uint64_t completed;
	/* The model. */
	mos_list_t queue;           /* waiting, of mos_res_ioreq_t link, in
				       arrival order */
	mos_dev_slot_t *slots;      /* queue_depth of them */
	uint32_t nslots;
	bool priority;              /* scheduler "priority", else "fifo" */
	mos_timer_t timer;          /* the earliest completion */
	bool timer_ready;
	uint64_t next_seq, next_start;
	uint64_t next_take;         /* io.max charges, from 1 */
	mos_time_t horizon;         /* when every request submitted so far
				       would be done if served one after
				       another: a bound of any due time */
} mos_res_dev_t;

/* Descriptor fd of p's table, or NULL (fd.c). */
mos_ofile_t *mos__res_fd_get(mos_proc_t *p, int fd);

#endif
