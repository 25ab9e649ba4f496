#!/usr/bin/env bash
# RTMP ingest to HLS: CPU seconds per minute of Sluice and of nginx-rtmp receiving $STREAMS streams published by as
# many ffmpeg (bench/out/2mbps.flv, -re, looped, -c copy -f flv) and packaging them to HLS, one server after the
# other (new publishers for each). Sluice: `workers 1`, a `stream sN { input publish://; segment_duration 4;
# segment_count 6; }` per stream; its edge cuts HLS segments when they are asked for, so a fetcher asks for each
# stream's playlist every 4 s and for every new segment once, as one viewer per stream would (curl, not counted).
# nginx-rtmp: `worker_processes 1`, `hls on; hls_fragment 4s; hls_playlist_length 24s;`, writing to a temporary
# directory. CPU: utime + stime (/proc/PID/stat) over a $WINDOW s window $WARMUP s after every stream runs, of the
# supervisor + ingest workers + edge for Sluice, of master + worker for nginx; best (lowest) of $ROUNDS rounds. The
# warm-up is 50 s, as in ingest-cost.sh: a Sluice ring's first lap, which clears fresh pages once in a stream's life,
# is over by then, and steady state is measured (nginx-rtmp writes new fragment files all along).
# Prints: rtmp-ingest SLUICE_CPU_S_PER_MIN NGINX_CPU_S_PER_MIN STREAMS PUBLISHERS_CPU_S_PER_MIN
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
streams=${STREAMS:-20}
rounds=${ROUNDS:-2}
window=${WINDOW:-30}
warmup=${WARMUP:-50}

bench_make_flv
bench_tmpdir
dir=$bench_dir
bench_take_ports tcp 3
read -r sluice_port http_port nginx_port <<< "${bench_free[*]}"

{
  echo "rtmp 127.0.0.1:$sluice_port;"
  echo "http 127.0.0.1:$http_port;"
  echo "workers 1;"
  for i in $(seq 0 $((streams - 1))); do
    echo "stream s$i { input publish://; segment_duration 4; segment_count 6; }"
  done
} > "$dir/sluice.conf"

# Starts a publisher per stream to rtmp://127.0.0.1:PORT/APP/sN; sets publishers.
start_publishers() {
  local i
  publishers=()
  for i in $(seq 0 $((streams - 1))); do
    bench_start_rtmp_publisher "rtmp://127.0.0.1:$1/$2/s$i"
    publishers+=("$bench_last_pid")
  done
}

# Every 4 s: each stream's playlist, and each segment it lists that was not fetched yet. Runs until stopped.
fetch_segments() {
  local -A fetched=()
  local i segment
  while true; do
    for i in $(seq 0 $((streams - 1))); do
      for segment in $(curl -sf "http://127.0.0.1:$http_port/s$i/mono.m3u8" | grep '\.ts$' || true); do
        [ -n "${fetched[s$i/$segment]:-}" ] && continue
        curl -sf -o /dev/null "http://127.0.0.1:$http_port/s$i/$segment" && fetched[s$i/$segment]=1
      done
    done
    sleep 4
  done
}

# One window of Sluice: sets round_cpu and round_others (the publishers).
sluice_round() {
  local runtime=$dir/run fetcher i
  sluice_start "$dir/sluice.conf" "$runtime"
  start_publishers "$sluice_port" static
  bench_wait_for 60 "$streams running Sluice streams" sluice_streams_running "$runtime" "$streams"
  fetch_segments </dev/null >/dev/null 2>&1 &
  fetcher=$!
  bench_pids+=("$fetcher")
  sluice_cpu_round "$runtime" 1 "$streams" -- "${publishers[@]}"
  for i in $(seq 0 $((streams - 1))); do
    curl -sf "http://127.0.0.1:$http_port/s$i/mono.m3u8" | grep -q '\.ts$' \
      || { echo "bench: Sluice has no HLS segment for s$i" >&2; return 1; }
  done
  bench_stop "$fetcher" "${publishers[@]}" "$sluice_pid"
  rm -rf "$runtime"
}

# One window of nginx-rtmp: sets round_cpu and round_others (the publishers).
nginx_round() {
  local pids i
  mkdir -p "$dir/hls"
  chmod 777 "$dir/hls"  # nginx's worker runs as nobody
  nginx_rtmp_start "$dir/nginx" "$nginx_port" "hls on; hls_path $dir/hls; hls_fragment 4s; hls_playlist_length 24s;"
  start_publishers "$nginx_port" live
  wait_playlists() {
    for i in $(seq 0 $((streams - 1))); do [ -s "$dir/hls/s$i.m3u8" ] || return 1; done
  }
  bench_wait_for 60 "nginx-rtmp's $streams HLS playlists" wait_playlists
  sleep "$warmup"
  mapfile -t pids < <(bench_tree_pids "$nginx_pid")
  read -r round_cpu round_others <<< "$(bench_cpu_window "$window" "${pids[@]}" -- "${publishers[@]}")"
  # Each playlist was rewritten during the window (a stream that stopped would leave an old one).
  for i in $(seq 0 $((streams - 1))); do
    if [ $(( $(date +%s) - $(stat -c %Y "$dir/hls/s$i.m3u8") )) -gt 10 ]; then
      echo "bench: nginx-rtmp's playlist of s$i is stale" >&2
      return 1
    fi
  done
  bench_stop "${publishers[@]}" "$nginx_pid"
  rm -rf "$dir/hls" "$dir/nginx"
}

bench_alternate_rounds "$rounds" sluice_round nginx_round nginx-rtmp
echo "rtmp-ingest $sluice_best $peer_best $streams $others_best"
