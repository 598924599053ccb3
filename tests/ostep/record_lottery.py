#!/usr/bin/env python3
"""Record the real lottery.py's outputs for tests/check_ostep.sh.

Usage: python3 tests/ostep/record_lottery.py [--cases N] [--seed S] OUTDIR
       (as checked in: python3 tests/ostep/record_lottery.py --cases 300
        --seed 17 tests/data/ostep/lottery)

Draws N flag sets (random jobs from seeds of every size and sign, in
decimal, hex and octal; -j 0..10, -m 2..100, -T 2..200, -q 1..5; job
lists like 10:100,20:50; with and without -c; short, attached, long,
long with '=', unique-prefix and clustered spellings; a few bad command
lines) from random.Random(S), runs tests/ostep/lottery.py (a verbatim
copy of the OSTEP script) on each with COLUMNS unset, and writes
OUTDIR/NNN.txt:
    argv: ARG ARG ...        (no argument holds a space)
    exit: STATUS
    <the script's stdout, byte for byte>
Python is needed only to record; the check replays the files.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import record  # noqa: E402  (tests/ostep/record.py)
SCRIPT = os.path.join(HERE, "lottery.py")

PREFIX = {"seed": "--se", "jobs": "--jo", "jlist": "--jl",
          "maxlen": "--maxl", "maxticket": "--maxt", "quantum": "--q"}


def seed_text(r):
    k = r.random()
    if k < 0.45:
        return str(r.randrange(0, 1000))
    if k < 0.6:
        return str(-r.randrange(1, 10**6))
    if k < 0.75:
        return str(r.choice([1, -1]) * r.randrange(2**64, 2**130))
    if k < 0.8:
        return str(r.randrange(2**32, 2**64))
    if k < 0.9:
        return hex(r.randrange(0, 2**40))
    return "0" + oct(r.randrange(1, 4096))[2:]


def jlist(r):
    n = r.randrange(1, 6)
    return ",".join("%d:%d" % (r.randrange(1, 30), r.randrange(1, 300))
                    for _ in range(n))


def opt(r, short, long, value):
    """One option in one of optparse's spellings."""
    k = r.random()
    if k < 0.4:
        return ["-" + short, value]
    if k < 0.55:
        return ["-" + short + value]
    if k < 0.7:
        return ["--" + long, value]
    if k < 0.85:
        return ["--" + long + "=" + value]
    return [PREFIX[long] + "=" + value]


def flags(r):
    args = []
    solve = r.random() < 0.5
    if r.random() < 0.2:
        args += opt(r, "l", "jlist", jlist(r))
    else:
        if r.random() < 0.9:
            seed = seed_text(r)
            if solve and r.random() < 0.15 and not seed.startswith("-"):
                args.append("-cs" + seed)   # a cluster: flag then value
                solve = False
            else:
                args += opt(r, "s", "seed", seed)
        if r.random() < 0.8:
            args += opt(r, "j", "jobs", str(r.randrange(0, 11)))
        if r.random() < 0.7:
            args += opt(r, "m", "maxlen", str(r.randrange(2, 101)))
        if r.random() < 0.6:
            args += opt(r, "T", "maxticket", str(r.randrange(2, 201)))
    if r.random() < 0.6:
        args += opt(r, "q", "quantum", str(r.randrange(1, 6)))
    if solve:
        args.append(r.choice(["-c", "-c", "--compute", "--comp"]))
    # self-contained words may come in any order
    if r.random() < 0.1 and all(
            a.startswith("-") and "=" in a
            or a in ("-c", "--compute", "--comp") for a in args):
        r.shuffle(args)
    return args


def bad(r):
    return r.choice([
        ["-s", "abc"], ["-x"], ["--seed"], ["-j"], ["--m", "3"],
        ["-c=1"], ["--compute=1"], ["--bogus"], ["-q", "1.5", "-c"],
        ["-h"], ["--help"], ["-s", "1_000", "-c", "-j", "2"],
        ["-l", "3:1:2", "-c"], ["-l", "4", "-c"], ["-l", "x:5"],
        ["-l", "2:5,", "-c"], ["-T"],
    ])


def main():
    # record.py's loop (options, files, COLUMNS unset) with this
    # script's flag sets: its main() reads these module names when run.
    record.SCRIPT = SCRIPT
    record.flags = flags
    record.bad = bad
    record.main()


if __name__ == "__main__":
    main()
