#!/bin/sh
# check_report.sh - the SVG of `multios plot` and the HTML of `multios run
# --report` parse as XML/HTML and hold exactly one path per series (issue
# 14, acceptance 4); the HTML is self-contained (no script, nothing
# fetched) and holds the Gantt chart, the plots and the tables; hostile
# inputs to `multios plot` fail with exit 1 or 2 and a message; the same
# run gives the same bytes twice.
#
# Usage: tests/check_report.sh PATH/TO/multios
set -eu

me=check_report
[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/multios" >&2; exit 2; }
cli=$1
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$cli" ] || { echo "$me: $cli: not an executable" >&2; exit 1; }
command -v python3 >/dev/null ||
	{ echo "$me: python3 is needed (scripts/install-deps.sh)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
ws=$root/examples/scenarios/web-stack.json
all=memory_bytes,cpu_permille,runnable,processes,requests,requests_failed,latency_p50_ns,latency_max_ns

fail() { echo "$me: $*" >&2; exit 1; }

for i in 1 2; do
	timeout 60 "$cli" run "$ws" --json --report "$tmp/$i.html" \
		>"$tmp/$i.json" 2>"$tmp/err" ||
		{ cat "$tmp/err" >&2; fail "run --json --report failed"; }
	timeout 60 "$cli" plot "$tmp/$i.json" -o "$tmp/$i.svg" 2>"$tmp/err" ||
		{ cat "$tmp/err" >&2; fail "plot failed"; }
	timeout 60 "$cli" plot "$tmp/$i.json" -o "$tmp/two$i.svg" \
		--series memory_bytes,cpu_permille 2>"$tmp/err" ||
		{ cat "$tmp/err" >&2; fail "plot --series failed"; }
done
for f in json html svg; do
	cmp -s "$tmp/1.$f" "$tmp/2.$f" || fail "two runs gave different .$f"
done
cmp -s "$tmp/two1.svg" "$tmp/two2.svg" || fail "two plots differ"
# -o - is standard output, the same bytes.
"$cli" plot "$tmp/1.json" -o - >"$tmp/stdout.svg" || fail "plot -o - failed"
cmp -s "$tmp/1.svg" "$tmp/stdout.svg" || fail "plot -o - differs from -o FILE"

# The SVG: XML, the SVG namespace, one path per series, by name, in order.
python3 - "$tmp/1.svg" "$all" "$tmp/two1.svg" memory_bytes,cpu_permille <<'PY' ||
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
for path, names in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    root = ET.parse(path).getroot()
    assert root.tag == NS + "svg", (path, root.tag)
    paths = [p for p in root.iter(NS + "path") if p.get("class") == "series"]
    got = [p.get("data-series") for p in paths]
    assert got == names.split(","), (path, got)
    for p in root.iter(NS + "path"):
        assert p.get("class") == "series", (path, "a path that is no series")
        assert p.get("d", "").startswith("M"), (path, p.get("d"))
    for bad in ("script", "image", "use", "foreignObject"):
        assert not list(root.iter(NS + bad)), (path, bad)
    for el in root.iter():
        for k, v in el.attrib.items():
            assert "href" not in k, (path, k)
    labels = "".join(t.text or "" for t in root.iter(NS + "text"))
    assert " s" in labels, (path, "no time axis in seconds")
print("svg ok")
PY
	fail "the SVG check failed"

# The HTML: tags balance (void elements written as <x/>), no script, no
# URL, and the parts are there; each inline <svg> parses as XML with one
# path per series in the plots.
python3 - "$tmp/1.html" "$all" <<'PY' ||
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

text = open(sys.argv[1], encoding="utf-8").read()

class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.tags, self.errors = [], [], []
    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.tags.append((tag, dict(attrs)))
    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("unbalanced </%s> (open: %s)" % (tag, self.stack[-3:]))
        else:
            self.stack.pop()

p = P()
p.feed(text)
p.close()
assert not p.errors, p.errors[:3]
assert not p.stack, ("unclosed", p.stack)
names = [t for t, _ in p.tags]
assert "script" not in names, "a <script>"
assert not re.search(r"https?://", text), "an http(s) reference"
assert not re.search(r"\bsrc=|\bhref=", text), "an external reference"
assert "<title>multios run: web-stack</title>" in text
assert re.search(r"seed 7, end 3000\.000 ms, trace hash <code>[0-9a-f]{16}</code>", text)
tables = [a.get("class") for t, a in p.tags if t == "table"]
assert tables == ["services", "processes", "stats", "timeline"], tables
svgs = re.findall(r"<svg\b.*?</svg>", text, re.S)
assert len(svgs) == 2, len(svgs)
gantt, plots = (ET.fromstring(s) for s in svgs)
assert gantt.get("class") == "gantt" and plots.get("class") == "plots"
rows = [t.text for t in gantt.iter("text")]
assert "service web" in rows and "db#0 (pid 2)" in rows, rows
bars = [r for r in gantt.iter("rect") if r.find("title") is not None]
assert any(b.find("title").text.startswith("web: Running") for b in bars)
got = [q.get("data-series") for q in plots.iter("path") if q.get("class") == "series"]
assert got == sys.argv[2].split(","), got
assert "<td>web</td>" in text
print("html ok")
PY
	fail "the HTML check failed"

# Hostile inputs: exit 1 with a message naming the file and where; usage
# errors exit 2; no output file is left behind by a failure.
expect() { # STATUS PATTERN ARGS...
	want=$1
	pat=$2
	shift 2
	rc=0
	timeout 60 "$cli" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	[ "$rc" = "$want" ] ||
		{ cat "$tmp/err" >&2; fail "'multios $*' exited $rc, expected $want"; }
	grep -q -- "$pat" "$tmp/err" ||
		{ cat "$tmp/err" >&2; fail "'multios $*': no '$pat' in the message"; }
}
printf '{"scenario": \n' >"$tmp/syntax.json"
expect 1 'syntax.json:2:' plot "$tmp/syntax.json" -o "$tmp/o.svg"
echo '[1, 2]' >"$tmp/array.json"
expect 1 'array.json: expected an object' plot "$tmp/array.json" -o "$tmp/o.svg"
python3 - "$tmp/1.json" "$tmp" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def out(name, doc):
    json.dump(doc, open("%s/%s.json" % (sys.argv[2], name), "w"))
x = json.loads(json.dumps(d)); x["series"]["time_ns"] = "soon"; out("notarray", x)
x = json.loads(json.dumps(d)); x["series"]["runnable"].pop(); out("short", x)
x = json.loads(json.dumps(d)); x["series"]["memory_bytes"][3] = -5; out("negative", x)
x = json.loads(json.dumps(d)); x["series"]["time_ns"][2] = 0; out("unordered", x)
x = json.loads(json.dumps(d)); x["processes"][1]["end_ns"] = "later"; out("proc", x)
x = json.loads(json.dumps(d)); del x["stats"]["syscalls"]; out("stats", x)
x = json.loads(json.dumps(d)); x["series"]["cpu_permille"] = [0] * 1000001
x["series"]["time_ns"] = [0] * 1000001; out("huge", x)
x = json.loads(json.dumps(d)); x["scenario"] = "<&\"'>\u0001\ufffe"; out("escape", x)
PY
expect 1 'series.time_ns: expected an array of integers' plot "$tmp/notarray.json" -o "$tmp/o.svg"
expect 1 'series.runnable: has 29 entries, series.time_ns has 30' plot "$tmp/short.json" -o "$tmp/o.svg"
expect 1 'series.memory_bytes\[3\]: must not be negative' plot "$tmp/negative.json" -o "$tmp/o.svg"
expect 1 'series.time_ns\[2\]: must not be less than' plot "$tmp/unordered.json" -o "$tmp/o.svg"
expect 1 'processes\[1\].end_ns: expected an integer or null' plot "$tmp/proc.json" -o "$tmp/o.svg"
expect 1 'stats: missing required key "syscalls"' plot "$tmp/stats.json" -o "$tmp/o.svg"
expect 1 'series.time_ns: must have at most 1000000 entries' plot "$tmp/huge.json" -o "$tmp/o.svg"
[ ! -e "$tmp/o.svg" ] || fail "a failed plot left its output file"
expect 1 'no-such.json: cannot open' plot "$tmp/no-such.json" -o "$tmp/o.svg"
expect 1 "$tmp/no-dir/o.svg" plot "$tmp/1.json" -o "$tmp/no-dir/o.svg"
expect 2 'no output file' plot "$tmp/1.json"
expect 2 'no run file' plot -o "$tmp/o.svg"
expect 2 "unknown series 'bogus'; the series are: $(echo "$all" | sed 's/,/, /g')" \
	plot "$tmp/1.json" -o "$tmp/o.svg" --series memory_bytes,bogus
expect 2 'an empty name' plot "$tmp/1.json" -o "$tmp/o.svg" --series memory_bytes,
expect 2 "unknown option '--bogus'" plot "$tmp/1.json" -o "$tmp/o.svg" --bogus
expect 2 'needs a file name' run "$ws" --report
expect 1 "$tmp/no-dir/r.html" run "$ws" --report "$tmp/no-dir/r.html"
"$cli" plot --help | grep -q '^Usage: multios plot RUN.json -o OUT.svg' ||
	fail "plot --help"
"$cli" --help | grep -q '^  plot RUN.json' || fail "multios --help lists no plot"
# A hostile name is escaped and the SVG still parses.
"$cli" plot "$tmp/escape.json" -o "$tmp/esc.svg" || fail "plot of an odd name failed"
python3 -c '
import sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1]).getroot().find("{http://www.w3.org/2000/svg}title").text
assert t == "<&\"'"'"'>??: time series", repr(t)' "$tmp/esc.svg" || fail "escaping"
echo "$me: ok"
