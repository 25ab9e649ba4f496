#!/usr/bin/env bash
# Ingest profile: what one ingest worker costs per second of a 4 Mbit/s UDP stream, in figures that do not depend on
# what else the machine runs (docs/benchmarks.md, "Ingest worker profile"). Not part of `make bench`; needs valgrind
# and perf (linux-perf) besides what the benchmarks need.
# - Native, a $WINDOW s window after $WARMUP s (60: the ring's first lap, when its pages are new, is over): system
#   calls (all, epoll_wait, recvmmsg), context switches and CPU time (task-clock: load-dependent, for reference) per
#   second, counted by `perf stat` from kernel tracepoints and software events, which cost the worker nothing it
#   would not spend anyway (strace would slow it, and so change how many datagrams each wake-up finds).
# - Under callgrind (valgrind 3.19 cannot read the DWARF 5 of a Swift 6 build: a copy of the binary without debug
#   information is run), the worker alone: instructions per second of stream, over $WINDOW s after $WARMUP s; the
#   callgrind file (callgrind_annotate FILE) is copied to $KEEP if set.
# Prints: ingest_profile INSTRUCTIONS SYSCALLS EPOLL_WAITS RECVMMSGS CONTEXT_SWITCHES CPU_MS, all per second.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
window=${WINDOW:-30}
warmup=${WARMUP:-60}
for tool in valgrind callgrind_control callgrind_annotate perf jq; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done

bench_one_udp_stream 1
dir=$bench_dir

# Native.
sluice_start "$dir/sluice.conf" "$dir/run"
bench_wait_for 30 "the Sluice stream to run" sluice_streams_running "$dir/run" 1
sleep "$warmup"
worker=$(sluice_pids "$dir/run" ingest)
perf stat -x, -o "$dir/perf.txt" -p "$worker" -e raw_syscalls:sys_enter,syscalls:sys_enter_epoll_wait \
  -e syscalls:sys_enter_recvmmsg,context-switches,task-clock -- sleep "$window"
native=$(awk -F, -v w="$window" '{ n[$3] = $1 } END {
  printf "%.1f %.1f %.1f %.1f %.2f", n["raw_syscalls:sys_enter"] / w, n["syscalls:sys_enter_epoll_wait"] / w,
    n["syscalls:sys_enter_recvmmsg"] / w, n["context-switches"] / w, n["task-clock"] / w }' "$dir/perf.txt")
bench_stop "$sluice_pid"

# Under callgrind: the supervisor and the ingest worker (not the edge) run under valgrind; the worker's counters are
# zeroed after the warm-up and dumped after the window.
bare="$dir/sluice"
cp "$sluice_bin" "$bare"
strip --strip-debug "$bare"
BENCH_LOG="$dir/valgrind.log" bench_start valgrind --tool=callgrind --trace-children=yes --compress-strings=no \
  --trace-children-skip-by-arg='*edge*' --callgrind-out-file="$dir/callgrind.%p" \
  "$bare" run --config "$dir/sluice.conf" --runtime-dir "$dir/run"
sluice_pid=$bench_last_pid
bench_wait_for 60 "the Sluice stream to run under valgrind" sluice_streams_running "$dir/run" 1
sleep "$warmup"
worker=$(sluice_pids "$dir/run" ingest)
callgrind_control -z "$worker" >/dev/null 2>&1
sleep "$window"
callgrind_control -d "$worker" >/dev/null 2>&1
instructions=$(callgrind_annotate "$dir/callgrind.$worker.1" | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
[ -n "${KEEP:-}" ] && cp "$dir/callgrind.$worker.1" "$KEEP"
bench_stop "$sluice_pid"
echo "ingest_profile $(( instructions / window )) $native"
