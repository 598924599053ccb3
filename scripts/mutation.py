#!/usr/bin/env python3
"""mutation.py - mutation testing of libmultios (`make mutation`).

Usage: scripts/mutation.py [options] [FILE...]

Makes single-line faults (mutants) in the library's sources, builds each
one and runs the Criterion suite against it; a mutant the suite notices
(a test fails, crashes or times out) is killed, one it does not notice
survived.  The score is killed / (killed + survived): mutants that do not
compile (stillborn) and mutants marked equivalent do not count.

FILE defaults to the kernel, the scheduler policies, the signals, the
resources, the services, IPC, the scenarios' faults and invariants, the
fault campaigns, the sweeps, CPython's random and the workbench
(DEFAULT_FILES below).  The work happens
in copies of the tree (build-mutation/tree-N, one per job), never in the
checkout itself; each copy is built once without LTO, then each mutant recompiles one object and relinks.

Operators, one change on one line each:
  rel     relational swap: < <=, > >=, == !=  (each way)
  flip    tie-break swap: < >, <= >=           (each way)
  arith   + -, += -=, ++ --, * / (binary operators only)
  logic   && ||, and dropping a leading !
  const   an integer literal n becomes n + 1 and n - 1
  bool    true false
  del     a statement line (call, assignment, break, continue) deleted

Mutants are enumerated in a fixed order and, unless --all, a sample of
--count of them is drawn with --seed (the same seed, files and sources
give the same sample).  Results: one JSON object per mutant on
build-mutation/results.jsonl (and stdout with --json), progress on
stderr, and a summary with every survivor's file:line at the end.

The survivors of the plain build are then built again with SAN=1 and
run once more, as `make check SAN=1` would: a mutant that only leaks or
reads out of bounds is killed there (--no-san skips this).

Equivalent mutants (ones no test can kill, because the program behaves
the same) are listed once in tests/mutation-equivalent.jsonl, one JSON
object per line: {"file", "op", "orig", "mutant", "reason"} and, for a
line that occurs more than once, "prev": the nearest non-blank line
above it; orig, mutant and prev are whole lines stripped of surrounding
blanks.  Matching by text, not line number, keeps the list valid while
the file around the line changes; an entry that no longer matches any
mutant is reported as stale.

Exit status: 0 when the campaign ran (whatever the score; see
--min-score), 1 when the score is below --min-score, 2 on a usage error
or when the unmutated tree fails to build or pass the suite.
"""

import argparse
import concurrent.futures
import glob
import hashlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

DEFAULT_FILES = ["src/kernel/*.c", "src/sched/*.c", "src/signal/*.c",
                 "src/resource/*.c", "src/service/*.c", "src/ipc/*.c",
                 "src/scenario/scenario_fault.c",
                 "src/scenario/scenario_inv.c", "src/explore/*.c",
                 "src/sweep/*.c", "src/ostep/*.c", "src/workbench/*.c"]
EQUIV_FILE = "tests/mutation-equivalent.jsonl"
OUT_DIR = "build-mutation"

# ---- finding mutants --------------------------------------------------------

# C tokens that matter here; everything else is skipped one character at a
# time.  Order matters: longer operators first.
TOKEN = re.compile(r"""
    (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<num>\b(?:0[xX][0-9a-fA-F]+|[0-9]+)(?P<suf>[uUlL]*)\b)
  | (?P<id>[A-Za-z_]\w*)
  | (?P<op><<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||\+=|-=|\*=|/=|[-+*/<>!=&|^~%?:;,.()\[\]{}])
""", re.X)

SWAP = {
    "rel": {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="},
    "flip": {"<": ">", ">": "<", "<=": ">=", ">=": "<="},
    "arith": {"+": "-", "-": "+", "+=": "-=", "-=": "+=", "++": "--",
              "--": "++", "*": "/", "/": "*"},
    "logic": {"&&": "||", "||": "&&"},
    "bool": {"true": "false", "false": "true"},
}
# After one of these a + - * is binary (an operand ended).
OPERAND_END = {"id", "num", ")", "]"}
TYPE_WORDS = {
    "int", "unsigned", "char", "bool", "void", "static", "const", "struct",
    "enum", "union", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
    "int32_t", "int64_t", "size_t", "ssize_t", "double", "long", "float",
    "typedef", "return", "case", "default", "goto", "extern", "inline",
}
DEL_STMT = re.compile(r"^\s*(?:[A-Za-z_][\w]*(?:\s*(?:->|\.)\s*\w+|\[[^\]]*\])*"
                      r"\s*(?:\(.*\)|[-+*/|&^]?=.*|\+\+|--)|\+\+\w.*|--\w.*"
                      r"|break|continue)\s*;\s*$")


def code_lines(text):
    """(line number, line) for lines of code: not in a comment, not a
    preprocessor line, with // and /* */ comments blanked out."""
    out, in_comment = [], False
    for no, line in enumerate(text.split("\n"), 1):
        buf, i = [], 0
        while i < len(line):
            if in_comment:
                end = line.find("*/", i)
                if end < 0:
                    buf.append(" " * (len(line) - i))
                    i = len(line)
                else:
                    buf.append(" " * (end + 2 - i))
                    i, in_comment = end + 2, False
            elif line.startswith("/*", i):
                in_comment = True
            elif line.startswith("//", i):
                buf.append(" " * (len(line) - i))
                i = len(line)
            elif line[i] in "\"'":
                m = TOKEN.match(line, i)
                j = m.end() if m and m.group("str") else len(line)
                buf.append(line[i:j])
                i = j
            else:
                buf.append(line[i])
                i += 1
        code = "".join(buf)
        if code.strip() and not code.lstrip().startswith("#"):
            out.append((no, code))
    return out


def tokens(code):
    i = 0
    while i < len(code):
        m = TOKEN.match(code, i)
        if not m:
            i += 1
            continue
        kind = next(k for k in ("str", "num", "id", "op") if m.group(k) is not None)
        yield kind, m.group(kind), m.start(), m.end()
        i = m.end()


def line_mutants(code):
    """(op, start, end, replacement) for every mutant of one line of code:
    code[start:end] becomes replacement."""
    toks = list(tokens(code))
    stripped = code.lstrip()
    first = toks[0][1] if toks else ""
    out = []
    # A constant in a declaration or a table is worth mutating (a size, an
    # entry); a "*" in a declarator is not an operator (decl below).
    for n, (kind, text, a, b) in enumerate(toks):
        prev = toks[n - 1] if n else ("", "", 0, 0)
        prev_key = prev[0] if prev[0] in ("id", "num") else prev[1]
        if kind == "op":
            for op in ("rel", "flip", "logic"):
                if text in SWAP[op]:
                    out.append((op, a, b, SWAP[op][text]))
            if text in SWAP["arith"]:
                binary = text in ("+=", "-=", "++", "--") or prev_key in OPERAND_END
                # "mos_pid_t *pid": a declarator, not a product.
                decl = text == "*" and (first in TYPE_WORDS or prev[1] in TYPE_WORDS
                                        or prev[1].endswith("_t"))
                if binary and not decl:
                    out.append(("arith", a, b, SWAP["arith"][text]))
            if text == "!" and n + 1 < len(toks) and toks[n + 1][1] != "=":
                out.append(("logic", a, b, ""))
        elif kind == "num":
            digits = re.match(r"(0[xX][0-9a-fA-F]+|[0-9]+)(.*)", text)
            val, suf = int(digits.group(1), 0), digits.group(2)
            for d in (1, -1):
                if val + d >= 0:
                    out.append(("const", a, b, str(val + d) + suf))
        elif kind == "id" and text in SWAP["bool"]:
            out.append(("bool", a, b, SWAP["bool"][text]))
    if DEL_STMT.match(code) and first not in TYPE_WORDS and first not in ("if", "for", "while", "switch", "else", "do"):
        indent = len(code) - len(stripped)
        out.append(("del", indent, len(code), ";"))
    return out


def enumerate_mutants(root, files):
    mutants = []
    for f in files:
        with open(os.path.join(root, f)) as fh:
            raw = fh.read().split("\n")
        for no, code in code_lines("\n".join(raw)):
            orig = raw[no - 1]
            # A prefetch (__builtin_prefetch, prefetch_below) is only a hint:
            # no change to it changes behaviour.
            if "prefetch" in code:
                continue
            for op, a, b, repl in line_mutants(code):
                # `code` is `orig` with its comments blanked, column for
                # column, so the change applies to the real line.
                col = a
                new_line = orig[:a] + repl + orig[b:]
                if new_line == orig:
                    continue
                ident = f"{f}:{no}:{col + 1}:{op}"
                if mutants and mutants[-1]["id"].split("#")[0] == ident:
                    ident += "#2"  # n + 1 and n - 1 of one literal
                prev = next((raw[i].strip() for i in range(no - 2, -1, -1)
                             if raw[i].strip()), "")
                mutants.append({
                    "id": ident, "_prev": prev, "file": f, "line": no,
                    "col": col + 1, "op": op, "orig": orig.strip(),
                    "mutant": new_line.strip(), "_new": new_line,
                })
    return mutants


def sample(mutants, count, seed):
    def rank(m):
        return hashlib.sha256(f"{seed}:{m['id']}:{m['mutant']}".encode()).hexdigest()
    chosen = sorted(mutants, key=rank)[:count]
    return sorted(chosen, key=lambda m: (m["file"], m["line"], m["col"], m["op"], m["mutant"]))


def matches(e, m):
    """Whether equivalent-list entry e names mutant m: same file, operator
    and line before and after, and the same line above it when e gives
    one ("prev": for lines such as "return 0;" that occur many times)."""
    return (e["file"], e["op"], e["orig"], e["mutant"]) == \
        (m["file"], m["op"], m["orig"], m["mutant"]) and \
        e.get("prev", m["_prev"]) == m["_prev"]


def load_equivalents(path):
    out = []
    if not os.path.exists(path):
        return out
    with open(path) as fh:
        for no, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                e = json.loads(line)
                for k in ("file", "op", "orig", "mutant", "reason"):
                    if not isinstance(e.get(k), str) or not e[k]:
                        raise ValueError(f"missing or empty \"{k}\"")
            except ValueError as exc:
                sys.exit(f"mutation: {path}:{no}: {exc}")
            e["_line"] = no
            out.append(e)
    return out


# ---- running them -----------------------------------------------------------

class Tree:
    """One copy of the project, built once; mutants are applied in place
    and undone.  `san` builds it with the sanitizers (SAN=1)."""

    def __init__(self, src, dst, san):
        self.dst, self.san = dst, san
        self.out = "build-mut-san" if san else "build-mut"
        self.make_args = [f"BUILD={self.out}", "-j1", f"{self.out}/tests/multios_tests",
                          f"{self.out}/bin/multios"]
        self.make_args += ["SAN=1"] if san else ["OPT=-O1"]
        self.timeout = 600.0
        if os.path.exists(os.path.join(dst, "Makefile")):
            return  # the other kind of build already copied it
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=src, check=True,
                                capture_output=True).stdout.decode().split("\0")
        for f in filter(None, listed):
            s = os.path.join(src, f)
            if os.path.isfile(s):
                os.makedirs(os.path.dirname(os.path.join(dst, f)), exist_ok=True)
                shutil.copy2(s, os.path.join(dst, f))

    def build(self):
        r = subprocess.run(["make", "--no-print-directory", "-s"] + self.make_args,
                           cwd=self.dst, capture_output=True, text=True)
        return r.returncode == 0, r.stdout + r.stderr

    def test(self):
        # Through tests/run_suite.sh, as make check runs it: under SAN=1 a
        # leak in a test's process fails the run there.
        env = dict(os.environ, MOS_CLI=f"{self.out}/bin/multios")
        try:
            r = subprocess.run(["sh", "tests/run_suite.sh", f"{self.out}/tests/multios_tests",
                                "--jobs", "1", "--fail-fast"], cwd=self.dst, env=env,
                               capture_output=True, text=True, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return "timeout", ""
        if r.returncode == 0:
            return "survived", ""
        failed = re.findall(r"\[(?:FAIL|----)\] ([\w-]+::[\w-]+)", r.stdout + r.stderr)
        leak = "run_suite: LeakSanitizer reports" in r.stdout + r.stderr
        return "killed", failed[0] if failed else "(a leak)" if leak else ""

    def run(self, m):
        path = os.path.join(self.dst, m["file"])
        with open(path) as fh:
            text = fh.read()
        lines = text.split("\n")
        lines[m["line"] - 1] = m["_new"]
        t0 = time.monotonic()
        try:
            with open(path, "w") as fh:
                fh.write("\n".join(lines))
            ok, log = self.build()
            if not ok:
                return dict(status="stillborn", seconds=time.monotonic() - t0)
            status, test = self.test()
            return dict(status=status, test=test, seconds=time.monotonic() - t0)
        finally:
            with open(path, "w") as fh:
                fh.write(text)


def make_trees(root, out, jobs, san):
    """jobs built trees whose suite passes unmutated, in a queue; None
    after printing why when the unmutated tree fails."""
    trees, baseline = queue.Queue(), None
    for j in range(jobs):
        t = Tree(root, os.path.join(root, out, f"tree-{j}"), san)
        ok, log = t.build()
        if not ok:
            print(log, file=sys.stderr)
            print("mutation: the unmutated tree does not build", file=sys.stderr)
            return None
        if baseline is None:
            t0 = time.monotonic()
            status, test = t.test()
            baseline = time.monotonic() - t0
            if status != "survived":
                print(f"mutation: the suite fails on the unmutated tree ({status} {test})",
                      file=sys.stderr)
                return None
            print(f"mutation: unmutated suite{' (SAN=1)' if san else ''} passes "
                  f"in {baseline:.1f}s", file=sys.stderr)
        # A mutant that makes the suite take four times as long as it
        # should is as good as hung: the per-test bounds catch a loop in
        # one test, this catches many slow ones.
        t.timeout = max(20.0, 4 * baseline)
        trees.put(t)
    return trees


def campaign(trees, mutants, jobs, report):
    """Run every mutant on a tree from the queue; report(m, result)."""
    def one(m):
        t = trees.get()
        try:
            report(m, t.run(m))
        finally:
            trees.put(t)
    with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
        list(ex.map(one, mutants))


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    ap = argparse.ArgumentParser(
        description="Mutation testing: single-line faults against the suite.",
        epilog="See docs/TESTING.md, 'Mutation testing'.")
    ap.add_argument("files", nargs="*", help="sources to mutate (default: "
                    "the kernel, the policies and the signals)")
    ap.add_argument("--count", type=int, default=250,
                    help="mutants to draw (default 250)")
    ap.add_argument("--all", action="store_true", help="every mutant, no sample")
    ap.add_argument("--seed", default="1", help="sample seed (default 1)")
    ap.add_argument("--jobs", type=int, default=2,
                    help="mutants tested at once, one tree copy each (default 2)")
    ap.add_argument("--ops", default="rel,flip,arith,logic,const,bool,del",
                    help="operators to use (comma-separated)")
    ap.add_argument("--retest", metavar="RESULTS",
                    help="test again only the survivors of an earlier run's "
                    "results.jsonl (after adding tests); --count and --seed "
                    "are ignored")
    ap.add_argument("--list", action="store_true",
                    help="print the sampled mutants as JSON lines and stop")
    ap.add_argument("--json", action="store_true",
                    help="also print each result as a JSON line on stdout")
    ap.add_argument("--no-san", action="store_true",
                    help="do not rebuild the survivors under SAN=1")
    ap.add_argument("--min-score", type=float, default=None,
                    help="exit 1 if the score (percent) is below this")
    ap.add_argument("--out", default=OUT_DIR, help=f"work directory (default {OUT_DIR}); "
                    "it holds copies of the tree, so it must be one git ignores: "
                    "build-mutation*")
    args = ap.parse_args()

    root = subprocess.run(["git", "rev-parse", "--show-toplevel"], check=True,
                          capture_output=True, text=True).stdout.strip()
    files = []
    for pat in args.files or DEFAULT_FILES:
        hits = sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, pat)))
        if not hits:
            ap.error(f"no such source: {pat}")
        files += [h for h in hits if h not in files]
    ops = set(args.ops.split(","))
    unknown = ops - set(SWAP) - {"const", "del"}
    if unknown:
        ap.error(f"unknown operator(s): {', '.join(sorted(unknown))}")
    if not os.path.basename(os.path.normpath(args.out)).startswith("build-mutation") \
            or os.path.isabs(args.out) or ".." in args.out.split(os.sep):
        ap.error("--out must be a build-mutation* directory of the checkout "
                 "(.gitignore leaves those out)")
    if args.count < 1 or args.jobs < 1:
        ap.error("--count and --jobs must be at least 1")

    every = [m for m in enumerate_mutants(root, files) if m["op"] in ops]
    if args.retest:
        try:
            with open(args.retest) as fh:
                last = {}
                for line in fh:
                    r = json.loads(line)
                    last[(r["id"], r["mutant"])] = r["status"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            ap.error(f"--retest {args.retest}: not a results.jsonl of this "
                     f"script ({exc!r})")
        alive = {key for key, status in last.items() if status == "survived"}
        chosen = [m for m in every if (m["id"], m["mutant"]) in alive]
    else:
        chosen = every if args.all else sample(every, args.count, args.seed)
    equivs = load_equivalents(os.path.join(root, EQUIV_FILE))
    used = set()
    for m in chosen:
        for e in equivs:
            if matches(e, m):
                m["equivalent"] = e["reason"]
                used.add(e["_line"])
    if args.list:
        for m in chosen:
            print(json.dumps({k: v for k, v in m.items() if not k.startswith("_")}))
        return 0

    os.makedirs(os.path.join(root, args.out), exist_ok=True)
    for old in glob.glob(os.path.join(root, args.out, "tree-*")):
        shutil.rmtree(old)
    print(f"mutation: {len(chosen)} of {len(every)} mutants in {len(files)} files, "
          f"{args.jobs} at a time", file=sys.stderr)
    trees = make_trees(root, args.out, args.jobs, san=False)
    if trees is None:
        return 2

    results, lock, done = {}, threading.Lock(), [0]
    out_path = os.path.join(root, args.out, "results.jsonl")
    out = open(out_path, "w")

    def report(m, r, total, stage=""):
        rec = {k: v for k, v in m.items() if not k.startswith("_") and k != "equivalent"}
        rec.update(r)
        rec["seconds"] = round(rec["seconds"], 2)
        with lock:
            done[0] += 1
            results[m["id"] + m["mutant"]] = rec
            if stage:
                rec["stage"] = stage
            out.write(json.dumps(rec) + "\n")
            out.flush()
            if args.json:
                print(json.dumps(rec), flush=True)
            print(f"[{done[0]}/{total}]{stage and ' ' + stage} {m['id']} {rec['status']}"
                  f" ({rec['seconds']}s) {rec.get('test', '')}", file=sys.stderr)

    for m in chosen:
        if "equivalent" in m:
            report(m, dict(status="equivalent", seconds=0.0, reason=m["equivalent"]),
                   len(chosen))
    campaign(trees, [m for m in chosen if "equivalent" not in m], args.jobs,
             lambda m, r: report(m, r, len(chosen)))

    # What the plain build's suite misses may still be caught under the
    # sanitizers, as `make check SAN=1` runs it: a leak, a read past an
    # array, a use after free.  Only the survivors are rebuilt that way.
    alive = [m for m in chosen if results[m["id"] + m["mutant"]]["status"] == "survived"]
    if alive and not args.no_san:
        print(f"mutation: {len(alive)} survivors again under SAN=1", file=sys.stderr)
        trees = make_trees(root, args.out, args.jobs, san=True)
        if trees is None:
            return 2
        done[0] = 0
        campaign(trees, alive, args.jobs,
                 lambda m, r: report(m, r, len(alive), "san"))
    out.close()
    results = list(results.values())

    results.sort(key=lambda r: (r["file"], r["line"], r["col"], r["op"], r["mutant"]))
    count = {s: sum(r["status"] == s for r in results)
             for s in ("killed", "timeout", "survived", "stillborn", "equivalent")}
    killed = count["killed"] + count["timeout"]
    live = killed + count["survived"]
    score = 100.0 * killed / live if live else 100.0
    by_san = sum(r.get("stage") == "san" and r["status"] != "survived" for r in results)
    summary = dict(summary="mutation", mutants=len(results), score=round(score, 1),
                   files=files, seed=args.seed, killed_under_san=by_san, **count)
    print(json.dumps(summary))
    print(f"\nmutation score {score:.1f}% ({killed} killed of {live}; "
          f"{count['timeout']} of the kills by timeout, {by_san} only under "
          f"SAN=1; {count['stillborn']} "
          f"stillborn, {count['equivalent']} equivalent)", file=sys.stderr)
    for r in results:
        if r["status"] == "survived":
            print(f"  survived {r['file']}:{r['line']}:{r['col']} {r['op']}: "
                  f"{r['orig']}  ->  {r['mutant']}", file=sys.stderr)
    stale = [e for e in equivs if e["_line"] not in used and
             any(m["file"] == e["file"] for m in every) and
             not any(matches(e, m) for m in every)]
    for e in stale:
        print(f"  stale: {EQUIV_FILE}:{e['_line']} matches no mutant of {e['file']}",
              file=sys.stderr)
    print(f"results: {os.path.relpath(out_path, root)}", file=sys.stderr)
    if args.min_score is not None and score < args.min_score:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
