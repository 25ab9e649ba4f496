#!/usr/bin/env bash
# Pusher cost: context switches and CPU of one pusher worker pushing one stream to `ffmpeg -listen 1` (which reads
# the FLV and throws it away), over a window of $WINDOW s after the push is connected and $WARMUP s more. Scenario
# `live`: a fake:// stream (about 1 Mbit/s, 25 video and 47 audio frames a second); `idle`: a udp:// stream no one
# sends to (the push connected, no frame in the ring). Context switches are those of every thread of the pusher
# (/proc/PID/task/*/status); CPU is utime+stime of the process (10 ms ticks) and the time its threads ran
# (/proc/PID/task/*/schedstat, nanoseconds).
# Prints: pusher SCENARIO CTXSW_PER_S MAIN_THREAD_CTXSW_PER_S CPU_MS_PER_S RUN_MS_PER_S
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
window=${WINDOW:-20}
warmup=${WARMUP:-5}

# Nanoseconds on a CPU of the given /proc/PID/task/TID/schedstat files, added up.
run_ns() {
  awk '{ total += $1 } END { printf "%d\n", total }' "$@"
}

# Voluntary plus involuntary switches of the given /proc/PID/task/TID/status (or /proc/PID/status) files.
switches() {
  awk '/^(voluntary|nonvoluntary)_ctxt_switches:/ { total += $2 } END { print total }' "$@"
}

pusher_round() {
  local scenario=$1 input udp_port rtmp_port http_port pusher ticks0 ticks1 all0 all1 main0 main1 ran0 ran1
  bench_tmpdir
  bench_take_ports tcp 2
  rtmp_port=${bench_free[0]}
  http_port=${bench_free[1]}
  bench_take_ports udp 1
  udp_port=${bench_free[0]}
  case $scenario in
    live) input=fake://fake ;;
    idle) input=udp://127.0.0.1:$udp_port ;;
  esac
  bench_start ffmpeg -v error -listen 1 -f flv -i "rtmp://127.0.0.1:$rtmp_port/live/x" -c copy -f null -
  local receiver=$bench_last_pid
  bench_wait_for 10 "ffmpeg listening on $rtmp_port" bench_tcp_listening "$rtmp_port"
  printf 'http 127.0.0.1:%s;\nworkers 1;\nstream demo {\n  input %s;\n  push rtmp://127.0.0.1:%s/live/x;\n}\n' \
    "$http_port" "$input" "$rtmp_port" > "$bench_dir/sluice.conf"
  sluice_start "$bench_dir/sluice.conf" "$bench_dir/run"
  bench_wait_for 20 "the push connected" pushed_connected "$bench_dir/run"
  sleep "$warmup"
  pusher=$(sluice_pids "$bench_dir/run" pusher)
  ticks0=$(proc_cpu_ticks "$pusher")
  all0=$(switches /proc/"$pusher"/task/*/status)
  main0=$(switches /proc/"$pusher"/status)
  ran0=$(run_ns /proc/"$pusher"/task/*/schedstat)
  sleep "$window"
  ticks1=$(proc_cpu_ticks "$pusher")
  all1=$(switches /proc/"$pusher"/task/*/status)
  main1=$(switches /proc/"$pusher"/status)
  ran1=$(run_ns /proc/"$pusher"/task/*/schedstat)
  pushed_connected "$bench_dir/run" || { echo "bench: the push did not stay connected" >&2; return 1; }
  bench_stop "$sluice_pid" "$receiver"
  awk -v s="$scenario" -v a=$((all1 - all0)) -v m=$((main1 - main0)) -v t=$((ticks1 - ticks0)) -v r=$((ran1 - ran0)) \
    -v hz="$(getconf CLK_TCK)" -v w="$window" \
    'BEGIN { printf "pusher %s %.1f %.1f %.2f %.2f\n", s, a / w, m / w, t / hz * 1000 / w, r / 1e6 / w }'
}

# Succeeds when the stream's one push is connected (`ctl streams`).
pushed_connected() {
  [ "$("$sluice_bin" ctl --runtime-dir "$1" streams --json | jq -r '.[0].pushes[0].state')" = connected ]
}

for scenario in ${SCENARIOS:-live idle}; do
  pusher_round "$scenario"
done
