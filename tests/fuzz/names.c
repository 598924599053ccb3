/*
 * tests/fuzz/names.c - fuzz the small text parsers that name things: the
 * duration parser (mos_duration_parse, multios/program.h) and signal
 * names and numbers (mos_signal_parse / mos_signal_name,
 * multios/signal.h).
 *
 * The input, up to its first NUL, is one string given to both.  Checked:
 *  - each returns 0 or MOS_EINVAL, twice the same, and a refusal leaves
 *    the out-parameter as it was;
 *  - a duration agrees with an independent reference parser of the
 *    documented grammar, DIGITS [ "." DIGITS ] [ "ns" | "us" | "ms" | "s" ]
 *    (no unit: milliseconds), whose value is computed exactly in 128-bit
 *    integers and truncated to whole nanoseconds: accepted exactly when
 *    that value is below MOS_TIME_NEVER (the "never" sentinel, so no
 *    duration can mean it), so nothing wraps;
 *  - an accepted duration D is spelled back as "Dns" (and, when whole, as
 *    "Ns", "Nms", "Nus" and a bare number of milliseconds) and each
 *    spelling parses back to D;
 *  - a signal agrees with a reference written here (the POSIX/Linux
 *    names HUP .. SYS and numbers 1 .. 31, "SIG" prefix optional, any
 *    case, decimal digits with leading zeros), and an accepted one
 *    round-trips: mos_signal_name(sig) parses back to sig, with and
 *    without "SIG", as does its number; every number from -70 to 70 has
 *    a name exactly when it is 1 .. 31.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <multios/program.h>
#include <multios/signal.h>

#include "fuzz.h"

__extension__ typedef unsigned __int128 u128;

#define UNTOUCHED_TIME ((mos_time_t)0x5a5a5a5a5a5a5a5aull)
#define UNTOUCHED_SIG (-12345)

/* The reference duration parser: 0 and *out, or -1. */
static int ref_duration(const char *s, mos_time_t *out)
{
	static const struct {
		const char *suffix;
		unsigned digits; /* unit = 10^digits ns */
	} units[] = {{"ns", 0}, {"us", 3}, {"ms", 6}, {"s", 9}, {"", 6}};
	u128 whole = 0, frac = 0, unit = 1, v;
	const u128 cap = (u128)1 << 80; /* past any time, far from wrapping */
	const char *c = s, *fd = NULL;
	size_t nfrac = 0;
	unsigned digits = 0;
	size_t i;

	if (*c < '0' || *c > '9')
		return -1;
	for (; *c >= '0' && *c <= '9'; c++)
		if ((whole = whole * 10 + (u128)(*c - '0')) > cap)
			whole = cap;
	if (*c == '.') {
		fd = ++c;
		for (; *c >= '0' && *c <= '9'; c++)
			nfrac++;
		if (!nfrac)
			return -1;
	}
	for (i = 0; i < sizeof(units) / sizeof(*units); i++)
		if (strcmp(c, units[i].suffix) == 0)
			break;
	if (i == sizeof(units) / sizeof(*units))
		return -1;
	digits = units[i].digits;
	for (unsigned k = 0; k < digits; k++)
		unit *= 10;
	/* The fraction's first `digits` digits are whole nanoseconds; the
	 * rest are less than one and truncated. */
	for (unsigned k = 0; k < digits; k++)
		frac = frac * 10 + (u128)(fd && k < nfrac ? fd[k] - '0' : 0);
	v = whole * unit + frac;
	if (v >= (u128)MOS_TIME_NEVER)
		return -1;
	*out = (mos_time_t)v;
	return 0;
}

static void reparse(const char *text, mos_time_t want)
{
	mos_time_t d = UNTOUCHED_TIME;
	int rc = mos_duration_parse(text, &d);

	FUZZ_CHECK(rc == 0 && d == want, "'%s' parses to %s %llu, not %llu",
		   text, mos_err_name(rc), (unsigned long long)d,
		   (unsigned long long)want);
}

static void check_duration(const char *s)
{
	mos_time_t d = UNTOUCHED_TIME, d2 = UNTOUCHED_TIME, ref = 0;
	int rc = mos_duration_parse(s, &d);
	int rc2 = mos_duration_parse(s, &d2);
	int want = ref_duration(s, &ref);
	char buf[64];

	FUZZ_CHECK(rc == 0 || rc == MOS_EINVAL, "duration '%s': %s", s,
		   mos_err_name(rc));
	FUZZ_CHECK(rc == rc2 && d == d2, "duration '%s' parsed twice: %d "
		   "%llu, %d %llu", s, rc, (unsigned long long)d, rc2,
		   (unsigned long long)d2);
	FUZZ_CHECK((rc == 0) == (want == 0), "duration '%s': library %s, "
		   "reference %s (%llu)", s, mos_err_name(rc),
		   want ? "refuses" : "accepts", (unsigned long long)ref);
	if (rc) {
		FUZZ_CHECK(d == UNTOUCHED_TIME, "refused duration '%s' wrote "
			   "%llu", s, (unsigned long long)d);
		return;
	}
	FUZZ_CHECK(d == ref, "duration '%s': %llu ns, reference %llu ns", s,
		   (unsigned long long)d, (unsigned long long)ref);
	snprintf(buf, sizeof(buf), "%lluns", (unsigned long long)d);
	reparse(buf, d);
	if (d % MOS_USEC == 0) {
		snprintf(buf, sizeof(buf), "%lluus",
			 (unsigned long long)(d / MOS_USEC));
		reparse(buf, d);
	}
	if (d % MOS_MSEC == 0) {
		snprintf(buf, sizeof(buf), "%llums",
			 (unsigned long long)(d / MOS_MSEC));
		reparse(buf, d);
		snprintf(buf, sizeof(buf), "%llu",
			 (unsigned long long)(d / MOS_MSEC));
		reparse(buf, d);
	}
	snprintf(buf, sizeof(buf), "%llu.%09llus",
		 (unsigned long long)(d / MOS_SEC),
		 (unsigned long long)(d % MOS_SEC));
	reparse(buf, d);
}

/* Written from signal(7), not from the library's table. */
static const char *const ref_names[] = {
	NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
	"KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT",
	"CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
	"XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};
#define REF_NSIG (int)(sizeof(ref_names) / sizeof(*ref_names))

static int ref_signal(const char *s)
{
	long v = 0;
	const char *c = s;

	if (*c >= '0' && *c <= '9') {
		for (; *c >= '0' && *c <= '9'; c++)
			if ((v = v * 10 + (*c - '0')) > 1000)
				v = 1000;
		return *c == '\0' && v >= 1 && v < REF_NSIG ? (int)v : -1;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 1; i < REF_NSIG; i++)
		if (strcasecmp(s, ref_names[i]) == 0)
			return i;
	return -1;
}

static void signal_back(const char *text, int want)
{
	int sig = UNTOUCHED_SIG, rc = mos_signal_parse(text, &sig);

	FUZZ_CHECK(rc == 0 && sig == want, "signal '%s' parses to %s %d, "
		   "not %d", text, mos_err_name(rc), sig, want);
}

static void check_signal(const char *s)
{
	int sig = UNTOUCHED_SIG, sig2 = UNTOUCHED_SIG;
	int rc = mos_signal_parse(s, &sig), rc2 = mos_signal_parse(s, &sig2);
	int want = ref_signal(s);
	const char *name;
	char buf[32];

	FUZZ_CHECK(rc == 0 || rc == MOS_EINVAL, "signal '%s': %s", s,
		   mos_err_name(rc));
	FUZZ_CHECK(rc == rc2 && sig == sig2, "signal '%s' parsed twice", s);
	if (rc) {
		FUZZ_CHECK(want < 0, "signal '%s' refused, reference %d", s,
			   want);
		FUZZ_CHECK(sig == UNTOUCHED_SIG, "refused signal '%s' wrote %d",
			   s, sig);
		return;
	}
	FUZZ_CHECK(sig == want, "signal '%s': %d, reference %d", s, sig, want);
	name = mos_signal_name(sig);
	FUZZ_CHECK(name && strncmp(name, "SIG", 3) == 0 &&
			   strcmp(name + 3, ref_names[sig]) == 0,
		   "signal %d named %s", sig, name ? name : "(null)");
	signal_back(name, sig);
	signal_back(name + 3, sig);
	snprintf(buf, sizeof(buf), "%d", sig);
	signal_back(buf, sig);
}

/* Every number's name: cheap, so on every input. */
static void check_numbers(void)
{
	for (int i = -70; i <= 70; i++) {
		const char *name = mos_signal_name(i);

		FUZZ_CHECK(!name == !(i >= 1 && i < REF_NSIG),
			   "signal %d named %s", i, name ? name : "(null)");
		if (name)
			signal_back(name, i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	FUZZ_CHECK(s, "out of memory");
	memcpy(s, data, size);
	s[size] = '\0';
	check_duration(s);
	check_signal(s);
	check_numbers();
	free(s);
	return 0;
}
