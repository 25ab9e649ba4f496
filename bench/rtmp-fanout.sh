#!/usr/bin/env bash
# RTMP fan-out: CPU per viewer of Sluice and of nginx-rtmp serving $COUNTS RTMP players of the same 2 Mbit/s stream,
# which one ffmpeg publishes to each for the whole run (bench/out/2mbps.flv, -re, looped, not re-encoded). Both serve
# from one process: Sluice `workers 1`, nginx `worker_processes 1`. The players are one `SluiceBench rtmp-viewers`
# process (bench/SluiceBench/RTMPViewers.swift), run against one server, then the other, for each count.
# A server's CPU is utime + stime (/proc/PID/stat) of all its processes over a $WINDOW s window that starts $WARMUP s
# after every player plays: for Sluice the supervisor, the ingest worker and the edge; for nginx the master and its
# worker. Divided by the count: CPU microseconds per viewer per second. Best (lowest) of $ROUNDS rounds.
# Prints: rtmp-fanout COUNTS SLUICE NGINX SLUICE_EDGE MIN_MBPS SLUICE_IDLE NGINX_IDLE
#   COUNTS, SLUICE, NGINX, SLUICE_EDGE: comma-separated, one per count (SLUICE_EDGE: the edge's share of SLUICE);
#   MIN_MBPS: the lowest bitrate any one player received over a window; *_IDLE: each server's CPU with the
#   publisher and no player, in ms per second.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
read -r -a counts <<< "${COUNTS:-200 500 1000}"
bench_fanout_setup
bench_take_ports tcp 2
read -r sluice_port nginx_port <<< "${bench_free[*]}"

cat > "$dir/sluice.conf" <<EOF
rtmp 127.0.0.1:$sluice_port;
workers 1;
stream live { input publish://; }
EOF
sluice_start "$dir/sluice.conf" "$dir/run"
nginx_rtmp_start "$dir/nginx" "$nginx_port"
sluice_url="rtmp://127.0.0.1:$sluice_port/static/live"
nginx_url="rtmp://127.0.0.1:$nginx_port/live/live"
bench_start_rtmp_publisher "$sluice_url"
publishers=("$bench_last_pid")
bench_start_rtmp_publisher "$nginx_url"
publishers+=("$bench_last_pid")
bench_wait_for 30 "the stream running in Sluice" sluice_streams_running "$dir/run" 1
bench_wait_for 30 "Sluice to play the stream" rtmp_plays "$sluice_url"
bench_wait_for 30 "nginx-rtmp to play the stream" rtmp_plays "$nginx_url"
mapfile -t sluice_all < <(sluice_pids "$dir/run" supervisor; sluice_pids "$dir/run" ingest; sluice_pids "$dir/run" edge)
mapfile -t sluice_edge < <(sluice_pids "$dir/run" edge)
mapfile -t nginx_all < <(bench_tree_pids "$nginx_pid")
if [ ${#sluice_all[@]} -ne 3 ] || [ ${#nginx_all[@]} -ne 2 ]; then
  echo "bench: expected 3 Sluice processes and 2 nginx ones, found ${#sluice_all[@]} and ${#nginx_all[@]}" >&2
  exit 1
fi

# CPU of each server with its publisher and no player, in ms per second.
idle_ms() {
  local per_minute
  read -r per_minute _ <<< "$(bench_cpu_window "$window" "$@")"
  awk -v m="$per_minute" 'BEGIN { printf "%.1f", m * 1000 / 60 }'
}
sluice_idle=$(idle_ms "${sluice_all[@]}")
nginx_idle=$(idle_ms "${nginx_all[@]}")

sluice_figures=()
nginx_figures=()
edge_figures=()
min_mbps=1000000
for count in "${counts[@]}"; do
  sluice_runs=()
  nginx_runs=()
  edge_runs=()
  for _ in $(seq "$rounds"); do
    bench_players_run rtmp-viewers "$sluice_url" "$count" "${sluice_all[@]}" -- "${sluice_edge[@]}"
    sluice_runs+=("$run_cpu")
    edge_runs+=("$run_part")
    echo "  sluice, $count players: $run_cpu µs/viewer/s (edge $run_part), $run_mbps Mbit/s each (least $run_least)," \
      "players' CPU $run_tool s" >&2
    min_mbps=$(printf '%s\n' "$min_mbps" "$run_least" | best_of min)
    bench_players_run rtmp-viewers "$nginx_url" "$count" "${nginx_all[@]}"
    nginx_runs+=("$run_cpu")
    echo "  nginx-rtmp, $count players: $run_cpu µs/viewer/s, $run_mbps Mbit/s each (least $run_least)," \
      "players' CPU $run_tool s" >&2
    min_mbps=$(printf '%s\n' "$min_mbps" "$run_least" | best_of min)
  done
  sluice_figures+=("$(printf '%s\n' "${sluice_runs[@]}" | best_of min)")
  nginx_figures+=("$(printf '%s\n' "${nginx_runs[@]}" | best_of min)")
  edge_figures+=("$(printf '%s\n' "${edge_runs[@]}" | best_of min)")
done
# Still publishing and serving at the end: a server that dropped its publisher would have been cheap for nothing.
kill -0 "${publishers[@]}" || { echo "bench: a publisher ended during the run" >&2; exit 1; }
sluice_streams_running "$dir/run" 1 || { echo "bench: Sluice's stream stopped during the run" >&2; exit 1; }
bench_wait_for 10 "nginx-rtmp to play the stream at the end" rtmp_plays "$nginx_url"
echo "idle (publisher, no player): sluice $sluice_idle ms/s, nginx-rtmp $nginx_idle ms/s" >&2
join() { local IFS=,; echo "$*"; }
echo "rtmp-fanout $(join "${counts[@]}") $(join "${sluice_figures[@]}") $(join "${nginx_figures[@]}")" \
  "$(join "${edge_figures[@]}") $min_mbps $sluice_idle $nginx_idle"
