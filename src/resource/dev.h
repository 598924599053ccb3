/*
 * src/resource/dev.h - the simulated block device (dev.c) and I/O
 * accounting.
 */
#ifndef MOS_RES_DEV_H
#define MOS_RES_DEV_H

#include <stdint.h>

#include "multios/types.h"

/* Per process. */
typedef struct mos_res_io {
	uint64_t read_bytes, write_bytes;
	uint64_t read_ops, write_ops;
	mos_time_t wait;            /* time blocked on the device */
	int ioprio;                 /* MOS_IOPRIO(); 0: the default */
} mos_res_io_t;

/* Per kernel. */
typedef struct mos_res_dev {
	uint32_t queued;            /* requests waiting or in service */
	mos_time_t busy;            /* total time with a request in service
				       (up to the last change: add now -
				       busy_since while in_service > 0) */
	mos_time_t busy_since;
	uint32_t in_service;
	uint64_t completed;
} mos_res_dev_t;

#endif
