/*
 * tests/test_pyrandom.c - src/ostep/pyrandom.c against CPython.
 *
 * tests/data/ostep/pyrandom/<seed>.txt were recorded from CPython by
 * tests/ostep/record_pyrandom.py (the command is each file's first line):
 * 10000 random() draws, as random() * 2^53 in hex, then 1000
 * getrandbits(32) words, for seeds 0, 1, -123456789, 2^32 - 1, 2^32,
 * 2^100 + 12345678901234567890 and -(2^64 + 1).
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "multios/pyrandom.h"
#include "timeout.h"

#define DATA "tests/data/ostep/pyrandom/"
#define DRAWS 10000
#define RAW 1000

TestSuite(pyrandom, .timeout = T_TIMEOUT);

static void check_file(const char *name)
{
	char path[256], line[8192], seed[8192];
	mos_pyrandom_t r;
	FILE *f;

	snprintf(path, sizeof path, DATA "%s.txt", name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	cr_assert_not_null(fgets(line, sizeof line, f));
	cr_assert_eq(line[0], '#', "%s: no header line", path);
	cr_assert_eq(fscanf(f, "seed %8191s\n", seed), 1, "%s", path);
	cr_assert_eq(mos_pyrandom_seed_text(&r, seed, 10), 0, "%s", seed);
	for (int i = 0; i < DRAWS; i++) {
		uint64_t want;
		cr_assert_eq(fscanf(f, "%" SCNx64 "\n", &want), 1, "%s:%d",
			     path, i + 3);
		double got = mos_pyrandom_random(&r);
		cr_assert_eq((uint64_t)(got * 9007199254740992.0), want,
			     "%s: draw %d: %.17g", path, i, got);
		cr_assert(got >= 0.0 && got < 1.0);
	}
	cr_assert_eq(mos_pyrandom_seed_text(&r, seed, 10), 0);
	for (int i = 0; i < RAW; i++) {
		uint32_t want;
		cr_assert_eq(fscanf(f, "%" SCNx32 "\n", &want), 1);
		uint32_t got = mos_pyrandom_genrand32(&r);
		cr_assert_eq(got, want, "%s: word %d", path, i);
	}
	cr_assert_eq(fgetc(f), EOF, "%s: more lines than expected", path);
	fclose(f);
}

Test(pyrandom, seed_zero) { check_file("zero"); }
Test(pyrandom, seed_one) { check_file("one"); }
Test(pyrandom, seed_negative) { check_file("neg"); }
Test(pyrandom, seed_one_full_word) { check_file("word"); }
Test(pyrandom, seed_two_words) { check_file("twowords"); }
Test(pyrandom, seed_above_2_64) { check_file("big"); }
Test(pyrandom, seed_negative_above_2_64) { check_file("negbig"); }

/* The first draws of two generators must agree for as long as we look. */
static void assert_same_stream(const mos_pyrandom_t *seeded_a,
			       const mos_pyrandom_t *seeded_b)
{
	/* On copies, so that a seeded generator can be compared again. */
	mos_pyrandom_t ca = *seeded_a, cb = *seeded_b, *a = &ca, *b = &cb;

	/* Through locals: cr_assert_eq may evaluate its operands twice. */
	for (int i = 0; i < 1300; i++) {
		uint32_t x = mos_pyrandom_genrand32(a);
		uint32_t y = mos_pyrandom_genrand32(b);
		cr_assert_eq(x, y, "word %d", i);
	}
}

Test(pyrandom, seed_int_is_seed_text)
{
	mos_pyrandom_t a, b;

	cr_assert_eq(mos_pyrandom_seed_int(&a, INT64_MIN), 0);
	cr_assert_eq(mos_pyrandom_seed_text(&b, "-9223372036854775808", 10), 0);
	assert_same_stream(&a, &b);
	cr_assert_eq(mos_pyrandom_seed_int(&a, -7), 0);
	cr_assert_eq(mos_pyrandom_seed_int(&b, 7), 0);
	assert_same_stream(&a, &b);
	/* Python's int(): whitespace, '+', underscores, prefixes. */
	cr_assert_eq(mos_pyrandom_seed_int(&a, 1000), 0);
	cr_assert_eq(mos_pyrandom_seed_text(&b, " \t+1_000\n", 10), 0);
	assert_same_stream(&a, &b);
	cr_assert_eq(mos_pyrandom_seed_text(&b, "0x_3e8", 16), 0);
	assert_same_stream(&a, &b);
	cr_assert_eq(mos_pyrandom_seed_text(&b, "0o1750", 8), 0);
	assert_same_stream(&a, &b);
	cr_assert_eq(mos_pyrandom_seed_text(&b, "1111101000", 2), 0);
	assert_same_stream(&a, &b);
	cr_assert_eq(mos_pyrandom_seed_text(&b, "0001000", 10), 0);
	assert_same_stream(&a, &b);
}

Test(pyrandom, high_zero_words_are_not_part_of_the_key)
{
	mos_pyrandom_t a, b;
	uint32_t key[3] = { 5, 0, 0 };

	cr_assert_eq(mos_pyrandom_seed_words(&a, key, 3), 0);
	cr_assert_eq(mos_pyrandom_seed_int(&b, 5), 0);
	assert_same_stream(&a, &b);
	cr_assert_eq(mos_pyrandom_seed_words(&a, NULL, 0), 0);
	cr_assert_eq(mos_pyrandom_seed_int(&b, 0), 0);
	assert_same_stream(&a, &b);
}

Test(pyrandom, bad_text_is_refused_and_changes_nothing)
{
	static const char *bad[] = { "", " ", "+", "-", "1__0", "_1", "1_",
				     "0x", "12a", "1 2", "0x10", "--1" };
	mos_pyrandom_t a, b;

	cr_assert_eq(mos_pyrandom_seed_int(&a, 3), 0);
	b = a;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_eq(mos_pyrandom_seed_text(&a, bad[i], 10), MOS_EINVAL,
			     "'%s'", bad[i]);
		cr_assert_eq(memcmp(&a, &b, sizeof a), 0, "'%s'", bad[i]);
	}
	cr_assert_eq(mos_pyrandom_seed_text(&a, "102", 2), MOS_EINVAL);
	cr_assert_eq(mos_pyrandom_seed_text(&a, "8", 8), MOS_EINVAL);
	cr_assert_eq(mos_pyrandom_seed_text(&a, "0b1", 10), MOS_EINVAL);
	cr_assert_eq(mos_pyrandom_seed_text(&a, "1", 7), MOS_EINVAL);
	cr_assert_eq(mos_pyrandom_seed_text(NULL, "1", 10), MOS_EINVAL);
	cr_assert_eq(mos_pyrandom_seed_text(&a, NULL, 10), MOS_EINVAL);
	cr_assert_eq(mos_pyrandom_seed_words(&a, NULL, 1), MOS_EINVAL);
	cr_assert_eq(mos_pyrandom_seed_int(NULL, 1), MOS_EINVAL);

	char many[MOS_PYRANDOM_MAX_DIGITS + 2];
	memset(many, '9', sizeof many - 1);
	many[sizeof many - 1] = '\0';
	cr_assert_eq(mos_pyrandom_seed_text(&a, many, 16), MOS_EINVAL);
	many[sizeof many - 2] = '\0';
	cr_assert_eq(mos_pyrandom_seed_text(&a, many, 16), 0);
	cr_assert_eq(memcmp(&a, &b, sizeof a) != 0, 1);
}

Test(pyrandom, parse_int_sign_and_words)
{
	uint32_t w[MOS_PYRANDOM_MAX_WORDS];
	size_t n = 99;
	bool neg = true;

	cr_assert_eq(mos_pyrandom_parse_int("-0", 10, w, &n, &neg), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(neg, false);
	cr_assert_eq(mos_pyrandom_parse_int("-18446744073709551617", 10, w, &n,
					    &neg), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(neg, true);
	cr_assert_eq(w[0], 1);
	cr_assert_eq(w[1], 0);
	cr_assert_eq(w[2], 1);
	cr_assert_eq(mos_pyrandom_parse_int("0X_dead_BEEF", 16, w, &n, &neg), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(w[0], 0xdeadbeefu);
	n = 7;
	cr_assert_eq(mos_pyrandom_parse_int("0x", 16, w, &n, &neg), MOS_EINVAL);
	cr_assert_eq(n, 7);
	cr_assert_eq(mos_pyrandom_parse_int("1", 16, NULL, &n, &neg), MOS_EINVAL);
}
