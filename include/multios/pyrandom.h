/*
 * multios/pyrandom.h - CPython's random module, draw for draw.
 *
 * The OSTEP homework scripts (`multios ostep ...`) make their random jobs
 * with CPython's `random` module after `random.seed(seed)`.  To make the
 * same jobs from the same seed this module reproduces that generator
 * exactly: MT19937 seeded as CPython seeds it from an int (init_by_array
 * over the 32-bit words of |seed|, least significant first; 0 is the one
 * word 0), and random() built from two outputs as CPython builds it,
 * (a * 2^26 + b) / 2^53 with a = genrand >> 5 and b = genrand >> 6.
 *
 * The state is a plain struct the caller owns; nothing here allocates or
 * touches global state, so any number of generators may live side by side.
 * Invariant: after any seed call, 0 <= mti <= 624.
 */
#ifndef MULTIOS_PYRANDOM_H
#define MULTIOS_PYRANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define MOS_PYRANDOM_N 624
#define MOS_PYRANDOM_MAX_DIGITS 4096
/* Words of the largest integer mos_pyrandom_parse_int reads: 4096 hex
 * digits are 16384 bits. */
#define MOS_PYRANDOM_MAX_WORDS (MOS_PYRANDOM_MAX_DIGITS * 4 / 32 + 1)

typedef struct mos_pyrandom {
	uint32_t mt[MOS_PYRANDOM_N];
	int mti;               /* next word of mt to temper; N: regenerate */
} mos_pyrandom_t;

/*
 * Seed r as CPython's random.seed(n) does for the int n whose absolute
 * value has the nwords 32-bit words key[0..nwords), least significant
 * first (nwords == 0, or high zero words, are fine: CPython drops the
 * high zero words and seeds 0 with the one word 0).
 * Errors: MOS_EINVAL (r NULL, or key NULL with nwords > 0).
 */
MOS_API int mos_pyrandom_seed_words(mos_pyrandom_t *r, const uint32_t *key,
				    size_t nwords);

/* Seed r as random.seed(n) for a 64-bit n (its absolute value; INT64_MIN
 * too).  Errors: MOS_EINVAL (r NULL). */
MOS_API int mos_pyrandom_seed_int(mos_pyrandom_t *r, int64_t n);

/*
 * Seed r as random.seed(int(text, base)) for an integer of any size
 * written as Python's int() reads it in base 2, 8, 10 or 16: optional
 * surrounding whitespace, an optional sign, digits with single '_'
 * between them, and the base's prefix (0b, 0o, 0x) allowed in its base.
 * On error r is unchanged.
 * Errors: MOS_EINVAL (NULL argument, a base other than 2, 8, 10, 16,
 * text that int() would refuse, or more than MOS_PYRANDOM_MAX_DIGITS
 * digits: CPython itself refuses more than 4300 decimal digits).
 */
MOS_API int mos_pyrandom_seed_text(mos_pyrandom_t *r, const char *text,
				   int base);

/*
 * Read text as Python's int(text, base) does (the syntax of
 * mos_pyrandom_seed_text) into a sign and a magnitude: *nwords 32-bit
 * words, least significant first, in words[0..MOS_PYRANDOM_MAX_WORDS)
 * (no high zero word: 0 is no words), and *negative.  The front ends
 * print the value and seed with it.  On error nothing is written.
 * Errors: MOS_EINVAL (NULL argument, a base other than 2, 8, 10, 16, text
 * int() would refuse, or more than MOS_PYRANDOM_MAX_DIGITS digits).
 */
MOS_API int mos_pyrandom_parse_int(const char *text, int base,
				   uint32_t words[MOS_PYRANDOM_MAX_WORDS],
				   size_t *nwords, bool *negative);

/* The next 32-bit output of MT19937 (CPython's genrand_uint32, the one
 * word of getrandbits(32)).  r must have been seeded. */
MOS_API uint32_t mos_pyrandom_genrand32(mos_pyrandom_t *r);

/* random.random(): a double in [0, 1) with 53 random bits.  r must have
 * been seeded. */
MOS_API double mos_pyrandom_random(mos_pyrandom_t *r);

#endif
