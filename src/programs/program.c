/*
 * src/programs/program.c - the program table and duration parsing.
 *
 * Programs are kept in a list sorted by name, so listing them is
 * deterministic; lookups are linear, which is fine for the few dozen
 * programs a kernel has (creation does one lookup).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "multios/error.h"
#include "programs.h"
#include "util/alloc.h"

const mos_prog_entry_t *mos__program_find(const mos_prog_entry_t *head,
					  const char *name)
{
	for (const mos_prog_entry_t *e = head; e; e = e->next) {
		int c = strcmp(e->name, name);
		if (c == 0)
			return e;
		if (c > 0)
			break;
	}
	return NULL;
}

int mos__program_add(mos_prog_entry_t **head, const mos_program_t *prog,
		     const mos_allocator_t *alloc)
{
	mos_prog_entry_t **pos, *e;
	size_t len;

	if (!prog || !prog->name || !prog->main)
		return MOS_EINVAL;
	len = strlen(prog->name);
	if (len == 0 || len >= sizeof(e->name))
		return MOS_EINVAL;
	for (pos = head; *pos; pos = &(*pos)->next) {
		int c = strcmp((*pos)->name, prog->name);
		if (c == 0)
			return MOS_EPROCEXISTS;
		if (c > 0)
			break;
	}
	if (!(e = mos__calloc(alloc, 1, sizeof(*e))))
		return MOS_ENOMEM;
	memcpy(e->name, prog->name, len + 1);
	e->def = *prog;
	e->def.name = e->name;
	e->next = *pos;
	*pos = e;
	return 0;
}

int mos_program_register(mos_kernel_t *k, const char *name, mos_main_fn main)
{
	mos_program_t prog = {.name = name, .main = main};
	return mos_program_register_ex(k, &prog);
}

void mos__programs_free(mos_prog_entry_t **head, const mos_allocator_t *alloc)
{
	while (*head) {
		mos_prog_entry_t *e = *head;
		*head = e->next;
		mos__free(alloc, e);
	}
}

static const struct unit {
	const char *suffix;
	mos_time_t ns;
} units[] = {
	{"ns", MOS_NSEC}, {"us", MOS_USEC}, {"ms", MOS_MSEC}, {"s", MOS_SEC},
	{"", MOS_MSEC},
};

static int unit_of(const char *s, mos_time_t *ns)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++) {
		if (strcmp(s, units[i].suffix) == 0) {
			*ns = units[i].ns;
			return 0;
		}
	}
	return MOS_EINVAL;
}

/* Integer arithmetic only: "2.5ms" is exactly 2 500 000 ns on any host.
 * Every step is checked against MOS_TIME_NEVER before it is taken, so a
 * value that does not fit is refused rather than wrapped, and one that
 * fits is accepted however close to the limit. */
int mos_duration_parse(const char *s, mos_time_t *out)
{
	mos_time_t whole = 0, frac = 0, scale = 1, unit, v;
	const char *c = s;

	if (!s || !out || !isdigit((unsigned char)*c))
		return MOS_EINVAL;
	for (; isdigit((unsigned char)*c); c++) {
		mos_time_t d = (mos_time_t)(*c - '0');

		if (whole > (MOS_TIME_NEVER - d) / 10)
			return MOS_EINVAL;
		whole = whole * 10 + d;
	}
	if (*c == '.') {
		if (!isdigit((unsigned char)*++c))
			return MOS_EINVAL;
		for (; isdigit((unsigned char)*c); c++) {
			if (scale < MOS_SEC) {
				frac = frac * 10 + (mos_time_t)(*c - '0');
				scale *= 10;
			}
		}
	}
	if (unit_of(c, &unit) < 0 || whole > MOS_TIME_NEVER / unit)
		return MOS_EINVAL;
	/* frac < scale <= MOS_SEC and unit <= MOS_SEC: no overflow here;
	 * MOS_TIME_NEVER itself means "never", so it is no duration. */
	v = frac * unit / scale;
	if (whole * unit >= MOS_TIME_NEVER - v)
		return MOS_EINVAL;
	v += whole * unit;
	*out = v;
	return 0;
}

/* Binary multiples only: a size is bytes of a machine's memory. */
int mos_size_parse(const char *s, uint64_t *out)
{
	static const struct { const char *suffix; uint64_t mul; } mult[] = {
		{"", 1}, {"B", 1},
		{"K", 1ull << 10}, {"KiB", 1ull << 10}, {"KB", 1000},
		{"M", 1ull << 20}, {"MiB", 1ull << 20}, {"MB", 1000000},
		{"G", 1ull << 30}, {"GiB", 1ull << 30}, {"GB", 1000000000},
		{"T", 1ull << 40}, {"TiB", 1ull << 40}, {"TB", 1000000000000},
	};
	uint64_t v = 0;
	const char *c = s;

	if (!s || !out || !isdigit((unsigned char)*c))
		return MOS_EINVAL;
	for (; isdigit((unsigned char)*c); c++) {
		uint64_t d = (uint64_t)(*c - '0');

		if (v > (UINT64_MAX - d) / 10)
			return MOS_EINVAL;
		v = v * 10 + d;
	}
	for (size_t i = 0; i < sizeof(mult) / sizeof(*mult); i++) {
		if (strcmp(c, mult[i].suffix) == 0) {
			if (v > UINT64_MAX / mult[i].mul)
				return MOS_EINVAL;
			*out = v * mult[i].mul;
			return 0;
		}
	}
	return MOS_EINVAL;
}
