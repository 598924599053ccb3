/*
 * src/ostep/ - what `multios ostep` needs from the library to stand in
 * for the OSTEP homework scripts: CPython's random module (this file).
 *
 * pyrandom.c - MT19937 as CPython's _randommodule.c seeds and reads it.
 * The generator is Matsumoto and Nishimura's reference mt19937ar.c; only
 * the seeding from an arbitrary int and random()'s 53-bit double are
 * CPython's.  See multios/pyrandom.h.
 */
#include <stdbool.h>
#include <string.h>

#include "multios/pyrandom.h"

#define N MOS_PYRANDOM_N
#define M 397
#define MATRIX_A 0x9908b0dfu
#define UPPER_MASK 0x80000000u
#define LOWER_MASK 0x7fffffffu


static void init_genrand(mos_pyrandom_t *r, uint32_t s)
{
	r->mt[0] = s;
	for (int i = 1; i < N; i++)
		r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) +
			   (uint32_t)i;
	r->mti = N;
}

/* init_by_array of mt19937ar.c, which CPython calls with the seed's
 * words (at least one). */
static void init_by_array(mos_pyrandom_t *r, const uint32_t *key, size_t len)
{
	init_genrand(r, 19650218u);
	size_t i = 1, j = 0;
	for (size_t k = N > len ? N : len; k; k--) {
		r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) *
					1664525u)) + key[j] + (uint32_t)j;
		i++;
		j++;
		if (i >= N) {
			r->mt[0] = r->mt[N - 1];
			i = 1;
		}
		if (j >= len)
			j = 0;
	}
	for (size_t k = N - 1; k; k--) {
		r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) *
					1566083941u)) - (uint32_t)i;
		i++;
		if (i >= N) {
			r->mt[0] = r->mt[N - 1];
			i = 1;
		}
	}
	r->mt[0] = 0x80000000u; /* MSB is 1, assuring a non-zero array */
}

int mos_pyrandom_seed_words(mos_pyrandom_t *r, const uint32_t *key,
			    size_t nwords)
{
	static const uint32_t zero = 0;

	if (!r || (!key && nwords))
		return MOS_EINVAL;
	/* CPython sizes the key from the int's bit length: high zero words
	 * are not part of it, and 0 is one word. */
	while (nwords && key[nwords - 1] == 0)
		nwords--;
	if (!nwords) {
		key = &zero;
		nwords = 1;
	}
	init_by_array(r, key, nwords);
	return 0;
}

int mos_pyrandom_seed_int(mos_pyrandom_t *r, int64_t n)
{
	/* Through unsigned arithmetic, so INT64_MIN's magnitude does not
	 * overflow. */
	uint64_t mag = n < 0 ? 0u - (uint64_t)n : (uint64_t)n;
	uint32_t key[2] = { (uint32_t)mag, (uint32_t)(mag >> 32) };

	return mos_pyrandom_seed_words(r, key, 2);
}

static bool py_space(char c)
{
	/* str.isspace() over ASCII: the C locale's six and the four
	 * separators \x1c..\x1f, which int() strips too. */
	return c == ' ' || (c >= '\t' && c <= '\r') ||
	       (c >= '\x1c' && c <= '\x1f');
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* words = words * base + d over *n words; grows *n by one when it
 * carries out. */
static void mul_add(uint32_t *words, size_t *n, uint32_t base, uint32_t d)
{
	uint64_t carry = d;

	for (size_t i = 0; i < *n; i++) {
		uint64_t v = (uint64_t)words[i] * base + carry;
		words[i] = (uint32_t)v;
		carry = v >> 32;
	}
	if (carry)
		words[(*n)++] = (uint32_t)carry;
}

int mos_pyrandom_parse_int(const char *text, int base,
			   uint32_t words[MOS_PYRANDOM_MAX_WORDS],
			   size_t *nwords, bool *negative)
{
	uint32_t w[MOS_PYRANDOM_MAX_WORDS];
	size_t n = 0, ndigits = 0;
	bool neg = false;
	const char *p;

	if (!text || !words || !nwords || !negative ||
	    (base != 2 && base != 8 && base != 10 && base != 16))
		return MOS_EINVAL;
	p = text;
	while (py_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (p[0] == '0' && p[1]) {
		char x = (char)(p[1] | 0x20);
		if ((base == 16 && x == 'x') || (base == 8 && x == 'o') ||
		    (base == 2 && x == 'b')) {
			p += 2;
			/* int() allows one '_' right after the prefix. */
			if (*p == '_')
				p++;
		}
	}
	for (;;) {
		int d = digit_value(*p);
		if (d >= base)
			return MOS_EINVAL;
		if (++ndigits > MOS_PYRANDOM_MAX_DIGITS)
			return MOS_EINVAL;
		mul_add(w, &n, (uint32_t)base, (uint32_t)d);
		p++;
		if (*p == '_')
			p++;
		else if (digit_value(*p) >= base)
			break;
	}
	while (py_space(*p))
		p++;
	if (*p)
		return MOS_EINVAL;
	memcpy(words, w, n * sizeof w[0]);
	*nwords = n;
	*negative = neg && n > 0;
	return 0;
}

int mos_pyrandom_seed_text(mos_pyrandom_t *r, const char *text, int base)
{
	uint32_t words[MOS_PYRANDOM_MAX_WORDS];
	size_t n;
	bool neg;
	int rc;

	if (!r)
		return MOS_EINVAL;
	rc = mos_pyrandom_parse_int(text, base, words, &n, &neg);
	return rc < 0 ? rc : mos_pyrandom_seed_words(r, words, n);
}

uint32_t mos_pyrandom_genrand32(mos_pyrandom_t *r)
{
	static const uint32_t mag01[2] = { 0u, MATRIX_A };
	uint32_t y;

	if (r->mti >= N) {
		int kk;
		for (kk = 0; kk < N - M; kk++) {
			y = (r->mt[kk] & UPPER_MASK) | (r->mt[kk + 1] & LOWER_MASK);
			r->mt[kk] = r->mt[kk + M] ^ (y >> 1) ^ mag01[y & 1u];
		}
		for (; kk < N - 1; kk++) {
			y = (r->mt[kk] & UPPER_MASK) | (r->mt[kk + 1] & LOWER_MASK);
			r->mt[kk] = r->mt[kk + (M - N)] ^ (y >> 1) ^ mag01[y & 1u];
		}
		y = (r->mt[N - 1] & UPPER_MASK) | (r->mt[0] & LOWER_MASK);
		r->mt[N - 1] = r->mt[M - 1] ^ (y >> 1) ^ mag01[y & 1u];
		r->mti = 0;
	}
	y = r->mt[r->mti++];
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680u;
	y ^= (y << 15) & 0xefc60000u;
	y ^= y >> 18;
	return y;
}

double mos_pyrandom_random(mos_pyrandom_t *r)
{
	uint32_t a = mos_pyrandom_genrand32(r) >> 5;
	uint32_t b = mos_pyrandom_genrand32(r) >> 6;

	return ((double)a * 67108864.0 + (double)b) * (1.0 / 9007199254740992.0);
}
