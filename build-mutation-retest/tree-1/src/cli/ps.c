/*
 * src/cli/ps.c - a ps-like table of the kernel's processes.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_ms(mos_time_t t, char *buf, size_t len)
{
	if (t == MOS_TIME_NEVER)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%" PRIu64 ".%03" PRIu64, t / MOS_MSEC,
			 t % MOS_MSEC / MOS_USEC);
	return buf;
}

static void status_str(const mos_process_info_t *in, char *buf, size_t len)
{
	if (in->state < MOS_STATE_ZOMBIE)
		snprintf(buf, len, "-");
	else if (MOS_WIFSIGNALED(in->exit_status))
		snprintf(buf, len, "sig %d", MOS_WTERMSIG(in->exit_status));
	else
		snprintf(buf, len, "exit %d", MOS_WEXITSTATUS(in->exit_status));
}

static void row(FILE *out, const mos_process_info_t *in)
{
	char cpu[32], start[32], end[32], st[16], cmd[64] = "";

	for (int i = 0; i < in->argc && strlen(cmd) < 40; i++) {
		strncat(cmd, in->command[i], sizeof(cmd) - strlen(cmd) - 2);
		strcat(cmd, " ");
	}
	status_str(in, st, sizeof(st));
	fprintf(out, "%5d %5d %-10s %-8s %-11s %9s %9s %9s %-7s %c %s\n",
		in->pid, in->parent, mos_state_name(in->state),
		mos_priority_name(in->priority), mos_class_name(in->prio_class),
		cli_ms(in->times.cpu_user, cpu, sizeof(cpu)),
		cli_ms(in->times.created, start, sizeof(start)),
		cli_ms(in->times.finished, end, sizeof(end)), st,
		in->flags & MOS_PROC_BACKGROUND ? 'B' : ' ', cmd);
}

static int cmp_pid(const void *a, const void *b)
{
	mos_pid_t x = *(const mos_pid_t *)a, y = *(const mos_pid_t *)b;
	return (x > y) - (x < y);
}

void cli_ps(mos_kernel_t *k, FILE *out, int with_history)
{
	size_t live = 0, dead = 0;
	mos_pid_t *pids;
	mos_process_info_t in;

	fprintf(out, "%5s %5s %-10s %-8s %-11s %9s %9s %9s %-7s %c %s\n", "PID",
		"PPID", "STATE", "PRIO", "CLASS", "CPU(ms)", "START", "END",
		"STATUS", 'F', "COMMAND");
	mos_process_list(k, NULL, 0, &live);
	if (with_history)
		mos_process_history(k, NULL, 0, &dead);
	if (!(pids = calloc(live + dead + 1, sizeof(*pids))))
		return;
	mos_process_list(k, pids, live, &live);
	if (with_history)
		mos_process_history(k, pids + live, dead, &dead);
	qsort(pids, live + dead, sizeof(*pids), cmp_pid);
	for (size_t i = 0; i < live + dead; i++)
		if (mos_process_get_info(k, pids[i], &in) == 0)
			row(out, &in);
	free(pids);
}
