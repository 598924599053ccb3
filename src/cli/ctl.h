/*
 * src/cli/ctl.h - `multios ctl`'s output (ctl_out.c): the live admin
 * protocol's replies and events as tables and lines.
 */
#ifndef MOS_CLI_CTL_H
#define MOS_CLI_CTL_H

#include <stdio.h>

#include <jansson.h>

/* `multios ctl`: one request to a live admin socket. */
int cli_ctl(int argc, char **argv);

/* `multios live`: a demo kernel on the realtime clock with the admin
 * socket. */
int cli_live(int argc, char **argv);

/* A successful reply's result to command cmd, as text. */
void ctl_print(const char *cmd, json_t *result, FILE *out);

/* One watch line (an event object, as sent) as a line of text. */
void ctl_print_event(const char *line, FILE *out);

#endif
