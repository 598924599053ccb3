#!/bin/sh
# check_sweep.sh - `multios sweep` (docs/SWEEPS.md): the local run prints
# the same bytes with --jobs 1 and --jobs 2 and with --out; the GNU
# parallel job file passes `parallel --dry-run` and, run by parallel,
# gives run files that `--merge` turns into the local run's table, CSV
# and lines, byte for byte; the Slurm script passes `bash -n`, has the
# array header and, run as one array task would be, writes its run's
# line; bad specs and bad run files fail with exit 1 and name the file.
#
# Usage: tests/check_sweep.sh PATH/TO/multios
set -eu

me=check_sweep
[ $# -eq 1 ] || { echo "usage: $0 PATH/TO/multios" >&2; exit 2; }
cli=$1
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$cli" ] || { echo "$me: $cli: not an executable" >&2; exit 1; }
command -v parallel >/dev/null ||
	{ echo "$me: GNU parallel is needed (scripts/install-deps.sh)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "$me: $*" >&2; exit 1; }
# parallel keeps its state under $HOME: keep it in the temporary folder.
export HOME="$tmp/home"
mkdir -p "$HOME"

for spec in rr-quantum web-seeds; do
	s=$root/examples/sweeps/$spec.json
	for fmt in "" --csv --json; do
		timeout 120 "$cli" sweep "$s" --jobs 1 $fmt >"$tmp/j1" ||
			fail "$spec: --jobs 1 $fmt failed"
		timeout 120 "$cli" sweep "$s" --jobs 2 $fmt --out "$tmp/out-$spec" \
			>"$tmp/j2" || fail "$spec: --jobs 2 $fmt failed"
		cmp -s "$tmp/j1" "$tmp/j2" ||
			fail "$spec: --jobs 1 and --jobs 2 $fmt differ"
		cp "$tmp/j1" "$tmp/local-$spec$fmt"
	done
	n=$(wc -l <"$tmp/local-$spec--json")
	[ "$(ls "$tmp/out-$spec" | wc -l)" -eq "$n" ] ||
		fail "$spec: --out wrote no $n files"
	"$cli" sweep --merge "$tmp/out-$spec" | cmp -s - "$tmp/local-$spec" ||
		fail "$spec: --merge of --out differs from the local table"

	# GNU parallel: the dry run prints one command per run; the real run
	# writes run-I.json files that merge into the local run's bytes.
	"$cli" sweep "$s" --emit parallel --out "$tmp/par $spec" >"$tmp/jobs" ||
		fail "$spec: --emit parallel failed"
	[ "$(wc -l <"$tmp/jobs")" -eq "$n" ] || fail "$spec: not $n jobs"
	parallel --will-cite --dry-run <"$tmp/jobs" >"$tmp/dry" ||
		fail "$spec: parallel --dry-run rejected the job file"
	[ "$(wc -l <"$tmp/dry")" -eq "$n" ] ||
		fail "$spec: parallel --dry-run did not list $n jobs"
	timeout 300 parallel --will-cite -j 2 --halt now,fail=1 \
		--joblog "$tmp/joblog" <"$tmp/jobs" ||
		fail "$spec: a parallel job failed"
	[ "$(tail -n +2 "$tmp/joblog" | awk '$7 == 0' | wc -l)" -eq "$n" ] ||
		fail "$spec: the joblog has not $n successful jobs"
	for fmt in "" --csv --json; do
		"$cli" sweep --merge "$tmp/par $spec" $fmt >"$tmp/merged" ||
			fail "$spec: --merge $fmt failed"
		cmp -s "$tmp/merged" "$tmp/local-$spec$fmt" ||
			fail "$spec: --merge $fmt differs from the local run"
	done
	ls "$tmp/par $spec" | grep -q part && fail "$spec: .part files left"

	# Slurm: syntax, the array header, and task 1 as sbatch would run it.
	"$cli" sweep "$s" --emit slurm --out "$tmp/slurm" >"$tmp/job.sh" ||
		fail "$spec: --emit slurm failed"
	bash -n "$tmp/job.sh" || fail "$spec: the Slurm script is not bash"
	grep -qx "#SBATCH --array=0-$((n - 1))" "$tmp/job.sh" ||
		fail "$spec: no '#SBATCH --array=0-$((n - 1))' line"
	SLURM_ARRAY_TASK_ID=1 bash "$tmp/job.sh" || fail "$spec: task 1 failed"
	"$cli" sweep "$s" --run 1 | cmp -s - "$tmp/slurm/run-1.json" ||
		fail "$spec: the Slurm task's line differs from --run 1"
	sed -n 2p "$tmp/local-$spec--json" | cmp -s - "$tmp/slurm/run-1.json" ||
		fail "$spec: --run 1 differs from the local run's line"
	rm -rf "$tmp/slurm"
	env -u SLURM_ARRAY_TASK_ID bash "$tmp/job.sh" 2>/dev/null &&
		fail "$spec: the Slurm script ran without a task id"
done

# Bad input: exit 1, the file named.
printf '{"workloads": ["../../examples/workloads/ostep-convoy.json"],\n "grid": {"quantum": [1, 2, 0]}}\n' \
	>"$tmp/bad.json"
if "$cli" sweep "$tmp/bad.json" 2>"$tmp/err"; then fail "a bad spec ran"; fi
grep -q "bad.json: grid.quantum\[2\]" "$tmp/err" ||
	fail "bad spec: $(cat "$tmp/err")"
mkdir "$tmp/m"
"$cli" sweep "$root/examples/sweeps/rr-quantum.json" --run 0 >"$tmp/m/run-0.json"
echo '{"run": 1, "runs": 16' >"$tmp/m/run-1.json"
if "$cli" sweep --merge "$tmp/m" 2>"$tmp/err"; then fail "a bad run file merged"; fi
grep -q "run-1.json:[0-9]*:[0-9]*: " "$tmp/err" || fail "bad run file: $(cat "$tmp/err")"
rm "$tmp/m/run-1.json"
if "$cli" sweep --merge "$tmp/m" 2>"$tmp/err"; then fail "a missing run merged"; fi
grep -q "run 1 of 16 is missing" "$tmp/err" || fail "missing run: $(cat "$tmp/err")"
st=0
"$cli" sweep "$tmp/bad.json" --jobs 0 2>/dev/null || st=$?
[ "$st" -eq 2 ] || fail "--jobs 0 gave exit $st, not 2"
echo "$me: ok"
