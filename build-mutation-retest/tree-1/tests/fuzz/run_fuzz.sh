#!/bin/sh
# run_fuzz.sh - run libFuzzer harnesses one after another (`make fuzz`).
#
# Usage: FUZZ_BIN=DIR FUZZ_TIME=S [FUZZ_SCRATCH=DIR] [FUZZ_SAVE=1]
#        [FUZZ_FLAGS=...] tests/fuzz/run_fuzz.sh HARNESS...
#
# Each HARNESS runs for FUZZ_TIME seconds, starting from its seed corpus
# tests/fuzz/corpus/HARNESS.  New inputs go to FUZZ_SCRATCH/HARNESS, or
# with FUZZ_SAVE=1 into the seed corpus itself.  Crashes, leaks and
# timeouts are written to FUZZ_BIN/artifacts/HARNESS/ (crash-*, leak-*,
# timeout-*) and the log to FUZZ_BIN/HARNESS.log.  At the end, one line
# per harness gives libFuzzer's final stats: executions, executions per
# second, corpus size, and whether it found anything.  Exits 1 if any
# harness found something.
set -u

: "${FUZZ_BIN:?}" "${FUZZ_TIME:?}"
scratch=${FUZZ_SCRATCH:-$FUZZ_BIN/corpus}
here=$(dirname "$0")
summary=""
status=0

for h in "$@"; do
	seeds=$here/corpus/$h
	art=$FUZZ_BIN/artifacts/$h
	log=$FUZZ_BIN/$h.log
	mkdir -p "$art" "$scratch/$h"
	# libFuzzer writes new inputs to its first corpus directory.
	if [ "${FUZZ_SAVE:-}" = 1 ]; then
		dirs="$seeds"
	else
		dirs="$scratch/$h $seeds"
	fi
	echo "=== fuzz $h for ${FUZZ_TIME}s (log $log)"
	# shellcheck disable=SC2086  # FUZZ_FLAGS and dirs are word lists
	{ "$FUZZ_BIN/fuzz-$h" -max_total_time="$FUZZ_TIME" \
		-print_final_stats=1 -timeout=10 -dict="$here/json.dict" \
		-artifact_prefix="$art/" ${FUZZ_FLAGS:-} $dirs 2>&1
	  echo $? >"$log.rc"; } | tee "$log"
	rc=$(cat "$log.rc")
	rm -f "$log.rc"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	# The corpus libFuzzer kept, from its last status line ("corp: N/").
	corpus=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		found="nothing found"
	else
		found="FOUND: exit $rc, see $art/ and $log"
		status=1
	fi
	summary="$summary
$h: ${execs:-?} execs (${rate:-?}/s) in ${FUZZ_TIME}s, corpus ${corpus:-?}; $found"
done

echo
echo "=== fuzz summary (libFuzzer's final stats)$summary"
exit $status
