#!/usr/bin/env python3
"""Record the real mlfq.py's outputs for tests/check_ostep.sh.

Usage: python3 tests/ostep/record_mlfq.py [--cases N] [--seed S] OUTDIR
       (as checked in: python3 tests/ostep/record_mlfq.py --cases 300
        --seed 17 tests/data/ostep/mlfq)

Draws N flag sets from random.Random(S): -n 1..5, -q 1..20, -a 1..4,
-Q/-A lists (matching lengths, a few mismatched or non-positive ones),
-j 0..6, -m 2..100, -M 1..20, -B 0..60, -i 1..10, -S, -I, -l job lists
(start times > 0, ioFreq 0 or past the run), seeds of every size, sign
and base, every option spelling (short, attached, long, long=, unique
prefixes, clusters such as -cSI), mostly with -c, and a few bad command
lines.  Inputs the kernel refuses (docs/OSTEP.md) are drawn only without
-c, where nothing runs.  Runs tests/ostep/mlfq.py (a verbatim copy of
the OSTEP script) on each with COLUMNS unset and writes OUTDIR/NNN.txt:
    argv: ARG ARG ...        (no argument holds a space)
    exit: STATUS
    <the script's stdout, byte for byte>
Python is needed only to record; the check replays the files.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from record import record, seed_text  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "mlfq.py")

LONG = {"s": "seed", "n": "numQueues", "q": "quantum", "a": "allotment",
        "Q": "quantumList", "A": "allotmentList", "j": "numJobs",
        "m": "maxlen", "M": "maxio", "B": "boost", "i": "iotime",
        "l": "jlist"}
PREFIX = {"seed": "--se", "numQueues": "--numQ", "quantum": "--quantum",
          "allotment": "--allotment", "quantumList": "--quantumL",
          "allotmentList": "--allotmentL", "numJobs": "--numJ",
          "maxlen": "--maxl", "maxio": "--maxi", "boost": "--b",
          "iotime": "--iot", "jlist": "--j"}


def opt(r, short, value):
    """One option in one of optparse's spellings."""
    long = LONG[short]
    k = r.random()
    if k < 0.45:
        return ["-" + short, value]
    if k < 0.6:
        return ["-" + short + value]
    if k < 0.75:
        return ["--" + long, value]
    if k < 0.85:
        return ["--" + long + "=" + value]
    return [PREFIX[long] + "=" + value]


def jlist(r):
    out = []
    for _ in range(r.randrange(1, 6)):
        run = r.randrange(1, 60)
        k = r.random()
        if k < 0.2:
            io = 0
        elif k < 0.35:
            io = run + r.randrange(0, 10)
        else:
            io = r.randrange(1, 15)
        out.append("%d,%d,%d" % (r.choice([0, 0, r.randrange(0, 40)]),
                                 run, io))
    return ":".join(out)


def flags(r, solve):
    args = []
    nq = r.randrange(1, 6)
    if r.random() < 0.3:
        qs = [str(r.randrange(1, 21)) for _ in range(nq)]
        args += opt(r, "Q", ",".join(qs))
    else:
        if r.random() < 0.7:
            args += opt(r, "n", str(nq))
        else:
            nq = 3
        if r.random() < 0.6:
            args += opt(r, "q", str(r.randrange(1, 21)))
    if r.random() < 0.25:
        n = nq if r.random() < 0.92 else nq + r.choice([-1, 1])
        al = [str(r.randrange(1, 5)) for _ in range(max(n, 1))]
        if r.random() < 0.05:
            al[0] = "0"
        args += opt(r, "A", ",".join(al))
    elif r.random() < 0.4:
        args += opt(r, "a", str(r.randrange(1, 5)))
    if r.random() < 0.25:
        args += opt(r, "l", jlist(r))
    else:
        if r.random() < 0.9:
            args += opt(r, "s", seed_text(r))
        if r.random() < 0.8:
            args += opt(r, "j", str(r.randrange(0, 7)))
        if r.random() < 0.6:
            args += opt(r, "m", str(r.randrange(2, 101)))
        if r.random() < 0.5:
            args += opt(r, "M", str(r.randrange(1, 21)))
    if r.random() < 0.5:
        args += opt(r, "B", str(r.randrange(0, 61)))
    if r.random() < 0.4:
        args += opt(r, "i", str(r.randrange(1, 11)))
    flags = [f for f in "SI" if r.random() < 0.35]
    if solve:
        flags.append("c")
    r.shuffle(flags)
    if flags and r.random() < 0.5:
        args.append("-" + "".join(flags))
    else:
        for f in flags:
            if f == "S" and r.random() < 0.3:
                args.append("--stay")
            elif f == "I" and r.random() < 0.3:
                args.append("--iob")
            else:
                args.append("-" + f)
    return args


def bad(r):
    return r.choice([
        ["-s", "abc"], ["-x"], ["--seed"], ["-j"], ["--n", "3"], ["--io", "2"],
        ["-c=1"], ["-h"], ["--help"], ["--bogus"], ["-q", "1.5", "-c"],
        ["-l", "1,2", "-c"], ["-l", "0,x,3", "-c"], ["-Q", "3,y"],
        ["-A", "1,2", "-c"], ["-n", "0", "-j", "0", "-c"],
        ["-j", "0", "-c"], ["-m", "1", "-j", "2"], ["-a", "0", "-j", "2"],
    ])


def draw(r):
    if r.random() < 0.06:
        return bad(r)
    return flags(r, r.random() < 0.7)


def main():
    record(SCRIPT, draw, sys.argv[1:])


if __name__ == "__main__":
    main()
