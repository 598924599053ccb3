/*
 * src/util/rng.h - xoshiro256** seeded through splitmix64: the only random
 * numbers in the library (the kernel's, and each lottery run queue's).
 * The state lives with its owner, so a seed and an input give the same
 * numbers on every host.  Inline: a lottery draws one per dispatch.
 */
#ifndef MOS_RNG_H
#define MOS_RNG_H

#include <stdint.h>

typedef struct mos_rng {
	uint64_t s[4];
} mos_rng_t;

static inline uint64_t mos__rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t mos__splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline void mos__rng_seed(mos_rng_t *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = mos__splitmix64(&seed);
}

static inline uint64_t mos__rng_next(mos_rng_t *r)
{
	uint64_t *s = r->s;
	uint64_t out = mos__rng_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = mos__rng_rotl(s[3], 45);
	return out;
}

#endif
