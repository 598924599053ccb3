/*
 * src/signal/signal.c - signal numbers, names and POSIX default actions,
 * and what a signal does for a process given its actions.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "signal_local.h"

static const char *const names[MOS_NSIG] = {
#define MOS__SIG_NAME(name, num, dfl) [num] = "SIG" #name,
	MOS_SIGNAL_MAP(MOS__SIG_NAME)
#undef MOS__SIG_NAME
};

static const mos_sig_default_t defaults[MOS_NSIG] = {
#define MOS__SIG_DFL(name, num, dfl) [num] = MOS_SIGDFL_##dfl,
	MOS_SIGNAL_MAP(MOS__SIG_DFL)
#undef MOS__SIG_DFL
};

const char *mos_signal_name(int sig)
{
	return mos__sig_valid(sig) ? names[sig] : NULL;
}

int mos_signal_default(int sig, mos_sig_default_t *out)
{
	if (!mos__sig_valid(sig) || !out)
		return MOS_EINVAL;
	*out = defaults[sig];
	return 0;
}

int mos_signal_parse(const char *s, int *sig)
{
	char *end;
	long n;

	if (!s || !sig || !*s)
		return MOS_EINVAL;
	if (*s >= '0' && *s <= '9') {
		n = strtol(s, &end, 10);
		if (*end || !mos__sig_valid((int)n) || n >= MOS_NSIG)
			return MOS_EINVAL;
		*sig = (int)n;
		return 0;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 1; i < MOS_NSIG; i++) {
		if (strcasecmp(s, names[i] + 3) == 0) {
			*sig = i;
			return 0;
		}
	}
	return MOS_EINVAL;
}

mos_sig_effect_t mos__sig_effect(const mos_sigcold_t *c, int sig)
{
	if (sig == MOS_SIGKILL)
		return MOS_SIGFX_TERM;
	if (sig == MOS_SIGSTOP)
		return MOS_SIGFX_STOP;
	if (c->ignored & MOS_SIGBIT(sig))
		return MOS_SIGFX_IGN;
	if (c->special & MOS_SIGBIT(sig)) {
		switch (c->acts[sig].action) {
		case MOS_SIG_CATCH: return MOS_SIGFX_CATCH;
		case MOS_SIG_STOP: return MOS_SIGFX_STOP;
		default: return MOS_SIGFX_TERM;
		}
	}
	switch (defaults[sig]) {
	case MOS_SIGDFL_TERM: return MOS_SIGFX_TERM;
	case MOS_SIGDFL_CORE: return MOS_SIGFX_CORE;
	case MOS_SIGDFL_STOP: return MOS_SIGFX_STOP;
	case MOS_SIGDFL_CONT: return MOS_SIGFX_CONT;
	case MOS_SIGDFL_IGN: break;
	}
	return MOS_SIGFX_IGN;
}
