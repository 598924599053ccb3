/*
 * multios/multios.h - the whole libmultios API.
 *
 * libmultios simulates a small kernel inside one host process: simulated
 * processes are coroutines scheduled on a virtual clock, so every run is
 * deterministic.  Start with mos_kernel_create(), create processes with
 * mos_process_create(), drive time with mos_kernel_run().
 */
#ifndef MULTIOS_MULTIOS_H
#define MULTIOS_MULTIOS_H

#include "admin.h"
#include "config.h"
#include "cred.h"
#include "events.h"
#include "ipc.h"
#include "error.h"
#include "kernel.h"
#include "process.h"
#include "program.h"
#include "resource.h"
#include "pyrandom.h"
#include "sched.h"
#include "scenario.h"
#include "explore.h"
#include "service.h"
#include "sweep.h"
#include "svcrt.h"
#include "signal.h"
#include "syscall.h"
#include "sysno.h"
#include "trace.h"
#include "types.h"

#endif
