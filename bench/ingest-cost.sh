#!/usr/bin/env bash
# Ingest cost: CPU seconds per minute of the receivers of $STREAMS UDP streams of 4 Mbit/s, packaged to HLS, by Sluice
# (supervisor + ingest workers + edges) and by as many `ffmpeg -i udp://... -c copy -f hls` processes. The same ffmpeg
# senders feed both receivers, one receiver after the other on the same ports; the senders' own CPU is not counted.
# Best (lowest) of $ROUNDS rounds, each a $WINDOW s window per receiver after $WARMUP s of warm-up (50 s: a Sluice
# ring's first lap, which clears fresh pages once in a stream's life, is over by then; steady state is measured).
# Then the floor, against the same senders: as many minimal C receivers (bench/udp-receive-floor.c: take the datagrams
# out of the socket and drop them, a process per stream), woken by epoll on arrival, then by a timer aligned every
# 40 ms as Sluice's workers are; $WINDOW s after 10 s, best of $ROUNDS.
# Prints: ingest SLUICE_CPU_S_PER_MIN FFMPEG_CPU_S_PER_MIN STREAMS SENDERS_CPU_S_PER_MIN SLUICE_MBPS
#   FLOOR_EPOLL_CPU_S_PER_MIN FLOOR_ALIGNED_CPU_S_PER_MIN
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
streams=${STREAMS:-20}
rounds=${ROUNDS:-2}
window=${WINDOW:-30}
warmup=${WARMUP:-50}

bench_make_ts
bench_tmpdir
dir=$bench_dir
bench_take_ports udp "$streams"
udp_ports=("${bench_free[@]}")
bench_take_ports tcp 1
http_port=${bench_free[0]}

senders=()
for port in "${udp_ports[@]}"; do
  bench_start_udp_sender "$port"
  senders+=("$bench_last_pid")
done

{
  echo "http 127.0.0.1:$http_port;"
  echo "workers 2;"
  for i in "${!udp_ports[@]}"; do
    echo "stream s$i { input udp://127.0.0.1:${udp_ports[$i]}; segment_duration 4; segment_count 6; }"
  done
} > "$dir/sluice.conf"

# One window of Sluice: sets round_cpu, round_others (the senders) and round_mbps (the streams' bitrates added up).
sluice_round() {
  local runtime=$dir/run
  sluice_start "$dir/sluice.conf" "$runtime"
  bench_wait_for 30 "$streams running Sluice streams" sluice_streams_running "$runtime" "$streams"
  sluice_cpu_round "$runtime" 2 "$streams" -- "${senders[@]}"
  round_mbps=$("$sluice_bin" ctl --runtime-dir "$runtime" streams --json \
    | jq '[.[].bitrate] | add / 1e6 | . * 10 | round / 10')
  bench_stop "$sluice_pid"
}

# One window of the ffmpeg receivers: sets round_cpu and round_others (the senders).
ffmpeg_round() {
  local receivers=() i
  for i in "${!udp_ports[@]}"; do
    mkdir -p "$dir/ffmpeg/s$i"
    bench_start ffmpeg -nostdin -hide_banner -loglevel error -i "udp://127.0.0.1:${udp_ports[$i]}" -c copy -f hls \
      -hls_time 4 -hls_list_size 6 "$dir/ffmpeg/s$i/index.m3u8"
    receivers+=("$bench_last_pid")
  done
  sleep "$warmup"
  read -r round_cpu round_others <<< "$(bench_cpu_window "$window" "${receivers[@]}" -- "${senders[@]}")"
  for i in "${!udp_ports[@]}"; do
    [ -s "$dir/ffmpeg/s$i/index.m3u8" ] || { echo "bench: ffmpeg wrote no playlist for stream $i" >&2; return 1; }
  done
  bench_stop "${receivers[@]}"
  rm -rf "$dir/ffmpeg"
}

# One window of the minimal receivers woken as $1 says (epoll, or a period in ms): sets floor_cpu (CPU s/min).
floor_round() {
  local receivers=() port
  for port in "${udp_ports[@]}"; do
    bench_start "$dir/udp-receive-floor" "$1" "$port"
    receivers+=("$bench_last_pid")
  done
  sleep 10
  read -r floor_cpu _ <<< "$(bench_cpu_window "$window" "${receivers[@]}" -- "${senders[@]}")"
  bench_stop "${receivers[@]}"
}

bench_alternate_rounds "$rounds" sluice_round ffmpeg_round ffmpeg
"${CC:-clang}" -O2 -o "$dir/udp-receive-floor" bench/udp-receive-floor.c
floor_epoll=() floor_aligned=()
for _ in $(seq "$rounds"); do
  floor_round epoll
  floor_epoll+=("$floor_cpu")
  floor_round 40
  floor_aligned+=("$floor_cpu")
done
echo "runs (CPU s/min): floor on arrival ${floor_epoll[*]}; floor every 40 ms ${floor_aligned[*]}" >&2
echo "ingest $sluice_best $peer_best $streams $others_best $round_mbps" \
  "$(printf '%s\n' "${floor_epoll[@]}" | best_of min) $(printf '%s\n' "${floor_aligned[@]}" | best_of min)"
