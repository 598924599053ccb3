#!/usr/bin/env python3
"""Record the real scheduler.py's outputs for tests/check_ostep.sh.

Usage: python3 tests/ostep/record.py [--cases N] [--seed S] OUTDIR
       (as checked in: python3 tests/ostep/record.py --cases 300 --seed 17
        tests/data/ostep/scheduler)

Draws N flag sets (policies FIFO, SJF, RR and a few unknown ones; with
and without -c; random jobs from seeds of every size and sign, and job
lists with decimals; short, long, abbreviated and clustered spellings;
a few bad command lines) from random.Random(S), runs tests/ostep/
scheduler.py (a verbatim copy of the OSTEP script) on each with
COLUMNS unset, and writes OUTDIR/NNN.txt:
    argv: ARG ARG ...        (no argument holds a space)
    exit: STATUS
    <the script's stdout, byte for byte>
Python is needed only to record; the check replays the files.
"""
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "scheduler.py")


def seed_text(r):
    k = r.random()
    if k < 0.5:
        return str(r.randrange(0, 1000))
    if k < 0.65:
        return str(-r.randrange(1, 10**6))
    if k < 0.8:
        return str(r.choice([1, -1]) * r.randrange(2**64, 2**130))
    if k < 0.9:
        return hex(r.randrange(0, 2**40))
    return "0" + oct(r.randrange(1, 4096))[2:]


def jlist(r):
    n = r.randrange(1, 8)
    out = []
    for _ in range(n):
        k = r.random()
        if k < 0.6:
            out.append(str(r.randrange(1, 60)))
        elif k < 0.9:
            out.append("%.*f" % (r.randrange(1, 3), r.uniform(0.05, 40)))
        else:
            out.append(r.choice(["1e1", "2.5e0", "0.5", "7.", "1_0"]))
    return ",".join(out)


def opt(r, short, long, value):
    """One option in one of optparse's spellings."""
    k = r.random()
    if k < 0.5:
        return ["-" + short, value]
    if k < 0.65:
        return ["-" + short + value]
    if k < 0.85:
        return ["--" + long, value]
    # a unique prefix with '='
    prefix = {"seed": "--se", "jobs": "--jo", "jlist": "--jl",
              "maxlen": "--m", "policy": "--p", "quantum": "--q"}[long]
    return [prefix + "=" + value]


def flags(r):
    args = []
    policy = r.choice(["FIFO", "SJF", "RR", "RR", "RR", "SJF", "FIFO"]
                      + (["LOTTERY"] if r.random() < 0.05 else []))
    if r.random() < 0.85:
        args += opt(r, "p", "policy", policy)
    if r.random() < 0.25:
        args += opt(r, "l", "jlist", jlist(r))
    else:
        if r.random() < 0.9:
            args += opt(r, "s", "seed", seed_text(r))
        if r.random() < 0.8:
            args += opt(r, "j", "jobs", str(r.randrange(0, 13)))
        if r.random() < 0.7:
            args += opt(r, "m", "maxlen", str(r.randrange(0, 101)))
    if r.random() < 0.6:
        args += opt(r, "q", "quantum", str(r.randrange(1, 11)))
    if r.random() < 0.6:
        args.append("-c")
    return args


def bad(r):
    return r.choice([
        ["-s", "abc"], ["-x"], ["--seed"], ["-j"], ["--j", "3"],
        ["-c=1"], ["-s", "-0x5"], ["--bogus"], ["-q", "1.5", "-c"],
        ["-h"], ["--help"], ["-s", "1_000", "-c", "-p", "SJF"],
    ])


def record(script, draw, argv):
    """Parse [--cases N] [--seed S] OUTDIR from argv, then for each case
    run script on draw(random.Random(S)) and write OUTDIR/NNN.txt (the
    other recorders in tests/ostep/ share this loop)."""
    cases, seed = 300, 17
    while argv and argv[0].startswith("--"):
        if argv[0] == "--cases":
            cases = int(argv[1])
        elif argv[0] == "--seed":
            seed = int(argv[1])
        argv = argv[2:]
    out = argv[0]
    os.makedirs(out, exist_ok=True)
    r = random.Random(seed)
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    for i in range(cases):
        args = draw(r)
        assert all(" " not in a and a for a in args)
        p = subprocess.run([sys.executable, script] + args, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           timeout=60)
        with open(os.path.join(out, "%03d.txt" % i), "wb") as f:
            f.write(("argv: %s\nexit: %d\n" % (" ".join(args),
                                                p.returncode)).encode())
            f.write(p.stdout)


def main():
    record(SCRIPT, lambda r: bad(r) if r.random() < 0.05 else flags(r),
           sys.argv[1:])


if __name__ == "__main__":
    main()
