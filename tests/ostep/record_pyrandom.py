#!/usr/bin/env python3
"""Record CPython's random module for tests/test_pyrandom.c.

Usage: python3 tests/ostep/record_pyrandom.py tests/data/ostep/pyrandom

For each seed below writes DIR/<name>.txt: a header line '# ' + the
command that made it, a line 'seed <decimal seed>', then 10000 lines, one
per draw: random.random() * 2**53 (an exact integer) in hex, followed by
1000 lines of getrandbits(32) in hex from a second generator seeded alike.
The test reads these files; it never runs Python.
"""
import random
import sys

SEEDS = [
    ("zero", 0),
    ("one", 1),
    ("neg", -123456789),
    ("word", 2**32 - 1),
    ("twowords", 2**32),
    ("big", 2**100 + 12345678901234567890),
    ("negbig", -(2**64 + 1)),
]
DRAWS = 10000
RAW = 1000


def main():
    out = sys.argv[1]
    cmd = "python3 tests/ostep/record_pyrandom.py " + out
    for name, seed in SEEDS:
        with open("%s/%s.txt" % (out, name), "w") as f:
            f.write("# %s (Python %s)\n" % (cmd, sys.version.split()[0]))
            f.write("seed %d\n" % seed)
            r = random.Random()
            r.seed(seed)
            for _ in range(DRAWS):
                f.write("%x\n" % int(r.random() * 2**53))
            r.seed(seed)
            for _ in range(RAW):
                f.write("%x\n" % r.getrandbits(32))


if __name__ == "__main__":
    main()
