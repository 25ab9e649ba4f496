#!/usr/bin/env bash
# RTMP publish-to-play latency: `SluiceBench rtmp-latency` (bench/SluiceBench/RTMPLatency.swift) publishes a 2 Mbit/s
# H.264 + AAC stream to the server and plays it back from the same server in the same process; each video frame
# carries its send time, and the delay is the time from just before its message is written to the publishing
# socket until the player has the whole message. Sluice (`workers 1`: the publisher is handed to the ingest worker,
# the player is served by the edge from the ring) and nginx-rtmp (`worker_processes 1`), alternately, $ROUNDS runs of
# $SECONDS_PER_RUN s each; the run with the lowest p99 is reported for each (all runs on stderr). With OTHERS=N, N more
# players play each stream with the probe's, so that the figure is that of a player among N + 1 (a Sluice channel
# over 100 players sends at most every 80 ms: LiveBatching).
# Prints: rtmp-latency SLUICE_P50 SLUICE_P99 SLUICE_MAX NGINX_P50 NGINX_P99 NGINX_MAX FRAMES (µs; FRAMES: frames
# measured in each reported run, the smaller of the two)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_latency_setup
others=${OTHERS:-0}
bench_take_ports tcp 2
read -r sluice_port nginx_port <<< "${bench_free[*]}"

# One stream per round: each run publishes to a stream no publisher has just left.
{
  echo "rtmp 127.0.0.1:$sluice_port;"
  echo "workers 1;"
  for round in $(seq "$rounds"); do echo "stream lat$round { input publish://; }"; done
} > "$dir/sluice.conf"
sluice_start "$dir/sluice.conf" "$dir/run"
nginx_rtmp_start "$dir/nginx" "$nginx_port"

# One run: prints "P50 P99 MAX FRAMES LOST" in µs.
probe() {
  local line fields
  line=$("$bench_tool" rtmp-latency "$1" "$1" "$seconds" "$kbps" Tests/MediaTests/Fixtures/h264_aac.flv "$others")
  read -r -a fields <<< "$line"
  # rtmp_latency frames N lost L p50_us X p99_us Y max_us Z
  [ "${fields[0]}" = rtmp_latency ] || { echo "bench: rtmp-latency printed: $line" >&2; return 1; }
  echo "${fields[6]} ${fields[8]} ${fields[10]} ${fields[2]} ${fields[4]}"
}

sluice_runs=()
peer_runs=()
for round in $(seq "$rounds"); do
  sluice_runs+=("$(probe "rtmp://127.0.0.1:$sluice_port/static/lat$round")")
  peer_runs+=("$(probe "rtmp://127.0.0.1:$nginx_port/live/lat$round")")
done
bench_latency_report rtmp-latency nginx-rtmp
