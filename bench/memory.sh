#!/usr/bin/env bash
# Memory: PSS (/proc/PID/smaps_rollup) of Sluice's processes with one 4 Mbit/s UDP stream, $AGE s after it started
# running, once an edge has served its playlist and a segment: the ingest worker (and how much of that is its
# mapping of the stream's ring), the supervisor, the larger of the two edges (and its share of the ring).
# Prints: memory INGEST_PSS_KB INGEST_RING_PSS_KB SUPERVISOR_PSS_KB EDGE_PSS_KB EDGE_RING_PSS_KB AGE_S
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
age=${AGE:-20}

bench_one_udp_stream 2
dir=$bench_dir
sluice_start "$dir/sluice.conf" "$dir/run"
bench_wait_for 30 "the Sluice stream to run" sluice_streams_running "$dir/run" 1
running_since=$(date +%s)
playlist_has_segment() { curl -sf "http://127.0.0.1:$http_port/tv/mono.m3u8" | grep -q '\.ts$'; }
bench_wait_for 30 "the stream's first segments" playlist_has_segment
sleep $(( age - ($(date +%s) - running_since) > 0 ? age - ($(date +%s) - running_since) : 0 ))
age=$(( $(date +%s) - running_since ))

# A viewer: the playlist and its newest segment, a few times, so that edges have opened the ring and muxed.
for _ in 1 2 3 4; do
  segment=$(curl -sf "http://127.0.0.1:$http_port/tv/mono.m3u8" | grep '\.ts$' | tail -1)
  curl -sf -o /dev/null "http://127.0.0.1:$http_port/tv/$segment"
done

ingest=$(sluice_pids "$dir/run" ingest)
supervisor=$(sluice_pids "$dir/run" supervisor)
edge=$(for pid in $(sluice_pids "$dir/run" edge); do echo "$(proc_pss_kb "$pid") $pid"; done | sort -n | tail -1)
edge=${edge#* }
echo "memory $(proc_pss_kb "$ingest") $(proc_mapping_pss_kb "$ingest" /dev/shm/sluice-) $(proc_pss_kb "$supervisor")" \
  "$(proc_pss_kb "$edge") $(proc_mapping_pss_kb "$edge" /dev/shm/sluice-) $age"
