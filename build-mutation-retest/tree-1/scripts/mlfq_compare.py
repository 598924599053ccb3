#!/usr/bin/env python3
"""Compare libmultios's mlfq policy with OSTEP's mlfq.py, job by job.

Generates N random mlfq.py configurations from a seed (queues, -q or a -Q
list, -a or an -A list, -B boost, -i I/O time, -S, -I, a -l job list with
I/O frequencies), runs each through mlfq.py -c and, converted to a workload
file, through `multios sched FILE --json`, and compares every job's
response and turnaround exactly.  docs/SCHEDULERS.md (mlfq) gives the
mapping and the commands whose results it records.

mlfq.py is not part of this repository: pass its path.  Use
--legacy-boost to compare the policy's "legacy_boost" mode with the 2020
mlfq.py (ostep-homework 4b15aad); the default compares the default mode
with the current one (ee2e067 and later).

Exit status: 0 all agree, 1 some disagree, 2 usage or a tool failed.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile

STAT = re.compile(r"^\s*Job\s+(\d+): startTime\s+(\d+) - response\s+(-?\d+)"
                  r" - turnaround\s+(-?\d+)\s*$")


def random_config(rng):
    """One mlfq.py configuration: a dict of its options and its jobs."""
    nq = rng.randint(1, 5)
    c = {"n": nq, "Q": None, "q": None, "A": None, "a": None}
    if rng.random() < 0.5:
        c["Q"] = [rng.randint(1, 12) for _ in range(nq)]
    else:
        c["q"] = rng.randint(1, 12)
    r = rng.random()
    if r < 0.4:
        c["A"] = [rng.randint(1, 4) for _ in range(nq)]
    elif r < 0.7:
        c["a"] = rng.randint(1, 4)
    # Mostly boosted, so that the boost rule is exercised; now and then
    # with a period shorter than a quantum.
    c["B"] = 0 if rng.random() < 0.15 else rng.randint(1, 60)
    c["i"] = rng.randint(1, 8)
    c["S"] = rng.random() < 0.5
    c["I"] = rng.random() < 0.5
    jobs = []
    for _ in range(rng.randint(1, 5)):
        start = 0 if rng.random() < 0.4 else rng.randint(0, 40)
        run = rng.randint(1, 80)
        io = 0 if rng.random() < 0.25 else rng.randint(1, 12)
        jobs.append((start, run, io))
    c["jobs"] = jobs
    return c


def mlfq_args(c):
    """The mlfq.py command line (without the interpreter and script)."""
    a = []
    if c["Q"]:
        a += ["-Q", ",".join(map(str, c["Q"]))]
    else:
        a += ["-n", str(c["n"]), "-q", str(c["q"])]
    if c["A"]:
        a += ["-A", ",".join(map(str, c["A"]))]
    elif c["a"]:
        a += ["-a", str(c["a"])]
    if c["B"]:
        a += ["-B", str(c["B"])]
    a += ["-i", str(c["i"])]
    if c["S"]:
        a.append("-S")
    if c["I"]:
        a.append("-I")
    a += ["-l", ":".join("%d,%d,%d" % j for j in c["jobs"]), "-c"]
    return a


def bursts(run, iofreq, iotime):
    """mlfq.py's job as bursts: ioFreq of CPU then an I/O, repeated, and
    no I/O after the last CPU tick (mlfq.py checks "finished" first)."""
    if iofreq <= 0 or iofreq >= run:
        return [{"cpu": run}]
    n = (run - 1) // iofreq
    b = []
    for _ in range(n):
        b += [{"cpu": iofreq}, {"io": iotime}]
    b.append({"cpu": run - n * iofreq})
    return b


def workload(c, legacy):
    pol = {"name": "mlfq", "queues": c["n"]}
    if c["Q"]:
        pol["quanta"] = c["Q"]
    else:
        pol["quantum"] = c["q"]
    if c["A"]:
        pol["allotments"] = c["A"]
    elif c["a"]:
        pol["allotments"] = [c["a"]] * c["n"]
    if c["B"]:
        pol["boost"] = c["B"]
    pol["io_bump"] = c["I"]
    pol["stay"] = c["S"]
    if legacy:
        pol["legacy_boost"] = True
    procs = [{"name": "J%d" % i, "arrival": s,
              "bursts": bursts(r, f, c["i"])}
             for i, (s, r, f) in enumerate(c["jobs"])]
    return {"name": "mlfq-compare", "policy": pol, "processes": procs}


def run_mlfq(py, c):
    out = subprocess.run([sys.executable, py] + mlfq_args(c),
                         capture_output=True, text=True, check=True).stdout
    res = {}
    for line in out.splitlines():
        m = STAT.match(line)
        if m:
            res[int(m.group(1))] = (int(m.group(3)), int(m.group(4)))
    if len(res) != len(c["jobs"]):
        raise RuntimeError("mlfq.py printed %d of %d jobs"
                           % (len(res), len(c["jobs"])))
    return [res[i] for i in range(len(c["jobs"]))]


def run_multios(exe, c, legacy, tmpdir):
    path = os.path.join(tmpdir, "w.json")
    with open(path, "w") as f:
        json.dump(workload(c, legacy), f)
    out = subprocess.run([exe, "sched", path, "--json"],
                         capture_output=True, text=True, check=True).stdout
    rep = json.loads(out)
    return [(p["response"], p["turnaround"]) for p in rep["processes"]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mlfq_py", help="path to OSTEP's mlfq.py")
    ap.add_argument("-n", "--count", type=int, default=1000,
                    help="configurations to compare (1000)")
    ap.add_argument("-s", "--seed", type=int, default=1,
                    help="seed of the configurations (1)")
    ap.add_argument("--legacy-boost", action="store_true",
                    help='set the policy\'s "legacy_boost" (2020 mlfq.py)')
    ap.add_argument("--multios", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "build", "bin",
        "multios"), help="the multios binary (build/bin/multios)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print every disagreement in full")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(a.count):
            c = random_config(rng)
            try:
                want = run_mlfq(a.mlfq_py, c)
                got = run_multios(a.multios, c, a.legacy_boost, tmp)
            except (subprocess.CalledProcessError, RuntimeError,
                    ValueError, KeyError) as e:
                print("config %d: %s" % (k, e), file=sys.stderr)
                return 2
            if want == got:
                continue
            bad += 1
            print("config %d disagrees: mlfq.py %s" % (k, " ".join(
                mlfq_args(c))))
            for i, (w, g) in enumerate(zip(want, got)):
                if w != g:
                    print("  job %d: mlfq.py response/turnaround %d/%d, "
                          "multios %d/%d" % (i, w[0], w[1], g[0], g[1]))
            if a.verbose:
                print(json.dumps(workload(c, a.legacy_boost)))
    print("%d of %d configurations agree (seed %d%s)"
          % (a.count - bad, a.count, a.seed,
             ", legacy_boost" if a.legacy_boost else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
