#!/usr/bin/env bash
# Memory: PSS (/proc/PID/smaps_rollup) of Sluice's processes with one 4 Mbit/s UDP stream, $AGE s after it started
# running, in two runs of a fresh server:
# - unwatched: once an edge has served the playlist and its newest segment a few times, the ingest worker (how much of
#   that is its mapping of the stream's ring, and its private memory), the supervisor, the larger of the two edges (and
#   its share of the ring). The ring's pages are then the writer's alone.
# - watched: an HLS player (ffmpeg) plays the stream from its first segment on; the ingest worker's PSS and ring
#   share again. Pages an edge has read are shared with it, as in a stream that has viewers.
# The ingest worker's private memory outside the ring is given too (unwatched run).
# Prints: memory INGEST_PSS_KB INGEST_RING_PSS_KB SUPERVISOR_PSS_KB EDGE_PSS_KB EDGE_RING_PSS_KB AGE_S
#   INGEST_PRIVATE_KB WATCHED_INGEST_PSS_KB WATCHED_INGEST_RING_PSS_KB
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
age=${AGE:-20}

bench_one_udp_stream 2
dir=$bench_dir
playlist_has_segment() { curl -sf "http://127.0.0.1:$http_port/tv/mono.m3u8" | grep -q '\.ts$'; }

# Starts Sluice on a fresh runtime dir and waits for the stream's first segment; sets running_since.
start_server() {
  rm -rf "$dir/run"
  sluice_start "$dir/sluice.conf" "$dir/run"
  bench_wait_for 30 "the Sluice stream to run" sluice_streams_running "$dir/run" 1
  running_since=$(date +%s)
  bench_wait_for 30 "the stream's first segments" playlist_has_segment
}

# Sleeps until the stream has run $age s; sets measured_age.
wait_for_age() {
  local left=$(( age - ($(date +%s) - running_since) ))
  [ "$left" -gt 0 ] && sleep "$left"
  measured_age=$(( $(date +%s) - running_since ))
}

start_server
wait_for_age
# A viewer: the playlist and its newest segment, a few times, so that edges have opened the ring and muxed.
for _ in 1 2 3 4; do
  segment=$(curl -sf "http://127.0.0.1:$http_port/tv/mono.m3u8" | grep '\.ts$' | tail -1)
  curl -sf -o /dev/null "http://127.0.0.1:$http_port/tv/$segment"
done
ingest=$(sluice_pids "$dir/run" ingest)
supervisor=$(sluice_pids "$dir/run" supervisor)
edge=$(for pid in $(sluice_pids "$dir/run" edge); do echo "$(proc_pss_kb "$pid") $pid"; done | sort -n | tail -1)
edge=${edge#* }
unwatched="$(proc_pss_kb "$ingest") $(proc_mapping_pss_kb "$ingest" /dev/shm/sluice-) $(proc_pss_kb "$supervisor")"
unwatched+=" $(proc_pss_kb "$edge") $(proc_mapping_pss_kb "$edge" /dev/shm/sluice-) $measured_age"
private=$(proc_private_outside_kb "$ingest" /dev/shm/sluice-)
bench_stop "$sluice_pid"

start_server
bench_start ffmpeg -nostdin -hide_banner -loglevel error -i "http://127.0.0.1:$http_port/tv/index.m3u8" -c copy -f null -
player=$bench_last_pid
wait_for_age
kill -0 "$player" || { echo "bench: the HLS player stopped" >&2; exit 1; }
ingest=$(sluice_pids "$dir/run" ingest)
watched="$(proc_pss_kb "$ingest") $(proc_mapping_pss_kb "$ingest" /dev/shm/sluice-)"
bench_stop "$player" "$sluice_pid"

echo "memory $unwatched $private $watched"
