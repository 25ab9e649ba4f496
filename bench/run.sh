#!/usr/bin/env bash
# make bench: Sluice measured beside its peers in one run, reported as ratios (docs/benchmarks.md).
# Timing varies on a shared 2-core machine: each figure is the best of several runs.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
out=bench/out
mkdir -p "$out"
swift build -c release --product SluiceBench >/dev/null
swift build -c release --product sluice >/dev/null
bench=$bench_tool

# A 60 s, 4 Mbit/s H.264 + AAC transport stream, made once.
bench_make_ts
ts=$bench_ts
size=$(stat -c %s "$ts")

# ffmpeg: best wall time of 3 runs of the same remux to /dev/null.
best_ns=""
for _ in 1 2 3; do
  t0=$(date +%s%N)
  ffmpeg -hide_banner -loglevel error -i "$ts" -c copy -f mpegts -y /dev/null
  t=$(( $(date +%s%N) - t0 ))
  if [ -z "$best_ns" ] || [ "$t" -lt "$best_ns" ]; then best_ns=$t; fi
done
ffmpeg_mbps=$(( size * 1000 / best_ns ))  # bytes/ns * 1000 = MB/s

sluice_line=$($bench remux "$ts" 5)
sluice_mbps=$(echo "$sluice_line" | awk '{print $2}')
config_line=$($bench config 10000)
config_ms=$(echo "$config_line" | awk '{print $6}')
# Ring hop: 500 frames/s of 4 KB for 10 s, written by a child process, read by this one (5000 samples).
ringhop_line=$($bench ringhop 500 10 4000)
ringhop_p50=$(echo "$ringhop_line" | awk '{print $6}')
ringhop_p99=$(echo "$ringhop_line" | awk '{print $8}')
ringhop_max=$(echo "$ringhop_line" | awk '{print $10}')

ratio=$(awk -v a="$sluice_mbps" -v b="$ffmpeg_mbps" 'BEGIN { printf "%.1f", a / b }')

# The running server against its peers (bench/hls-delivery.sh, ingest-cost.sh, memory.sh, rtmp-*.sh, rtsp-*.sh), one
# after the other.
bench_capture bench/hls-delivery.sh
read -r _ delivery_sluice delivery_nginx segment_bytes workers <<< "$bench_output"
bench_capture bench/ingest-cost.sh
read -r _ ingest_sluice ingest_ffmpeg streams senders_cpu ingest_mbps floor_epoll floor_aligned <<< "$bench_output"
bench_capture bench/memory.sh
read -r _ ingest_pss ingest_ring supervisor_pss edge_pss edge_ring memory_age ingest_private watched_pss watched_ring \
  <<< "$bench_output"
# RTMP against nginx-rtmp (issue 4): fan-out, publish-to-play latency, ingest to HLS.
bench_capture bench/rtmp-fanout.sh
read -r _ fanout_counts fanout_sluice fanout_nginx fanout_edge fanout_mbps _ _ <<< "$bench_output"
bench_capture bench/rtmp-latency.sh
read -r _ latency_s50 latency_s99 latency_smax latency_n50 latency_n99 latency_nmax latency_frames <<< "$bench_output"
# The same among 150 other players: over 100 players a Sluice channel writes at most every 80 ms (LiveBatching).
OTHERS=150 bench_capture bench/rtmp-latency.sh
read -r _ crowd_s50 crowd_s99 crowd_smax crowd_n50 crowd_n99 crowd_nmax crowd_frames <<< "$bench_output"
bench_capture bench/rtmp-ingest.sh
read -r _ rtmp_ingest_sluice rtmp_ingest_nginx rtmp_streams rtmp_publishers_cpu <<< "$bench_output"
# RTSP (issue 5): fan-out against Sluice's own RTMP players in the same run, latency against the camera read directly.
bench_capture bench/rtsp-fanout.sh
read -r _ rtsp_fanout_rtsp rtsp_fanout_rtmp rtsp_fanout_ratio <<< "$bench_output"
bench_capture bench/rtsp-latency.sh
read -r _ rtsp_latency_s50 rtsp_latency_s99 rtsp_latency_smax rtsp_latency_d50 rtsp_latency_d99 rtsp_latency_dmax \
  rtsp_latency_frames <<< "$bench_output"
ratio_of() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f MB", kb / 1024 }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
IFS=, read -r -a fanout_count_list <<< "$fanout_counts"
IFS=, read -r -a fanout_sluice_list <<< "$fanout_sluice"
IFS=, read -r -a fanout_nginx_list <<< "$fanout_nginx"
IFS=, read -r -a fanout_edge_list <<< "$fanout_edge"
{
  echo "# make bench, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
  echo
  echo "| measure | Sluice | peer | ratio | target |"
  echo "|---|---|---|---|---|"
  echo "| demux + remux, 4 Mbit/s H.264/AAC TS ($((size / 1000000)) MB) | $sluice_mbps MB/s | ffmpeg -c copy: $ffmpeg_mbps MB/s | ${ratio}x | >= 3x |"
  echo "| parse + validate a 10,000-stream config | $config_ms ms | - | - | < 200 ms |"
  echo "| ring hop: frame written to read in another process, 500 frames/s | p50 $ringhop_p50 µs, p99 $ringhop_p99 µs (max $ringhop_max µs) | - | - | p99 < 5 ms |"
  echo "| HLS segment delivery: wrk, 200 connections, one $((segment_bytes / 1000)) KB live segment, $workers workers | $delivery_sluice req/s | nginx, static file: $delivery_nginx req/s | $(ratio_of "$delivery_sluice" "$delivery_nginx")x | >= 1.0x |"
  echo "| ingest: $streams UDP streams of 4 Mbit/s ($ingest_mbps Mbit/s received) to HLS, CPU s per minute (senders: $senders_cpu) | $ingest_sluice | $streams x ffmpeg -c copy -f hls: $ingest_ffmpeg | $(ratio_of "$ingest_sluice" "$ingest_ffmpeg")x | <= 0.2x |"
  echo "| the floor of that ingest: as many C receivers that only take the datagrams and drop them, woken on arrival / every 40 ms (aligned), CPU s per minute | - | $floor_epoll / $floor_aligned | $(ratio_of "$floor_epoll" "$ingest_ffmpeg")x / $(ratio_of "$floor_aligned" "$ingest_ffmpeg")x of ffmpeg | - |"
  echo "| memory (PSS), one 4 Mbit/s UDP stream, ${memory_age} s in, unwatched | ingest $(mb "$ingest_pss") (ring $(mb "$ingest_ring"), private outside the ring $(mb "$ingest_private")), supervisor $(mb "$supervisor_pss"), edge $(mb "$edge_pss") (ring $(mb "$edge_ring")) | - | - | ingest < 10 MB |"
  echo "| memory (PSS), the same with an HLS player from the first segment | ingest $(mb "$watched_pss") (ring $(mb "$watched_ring")) | - | - | ingest < 10 MB |"
  for i in "${!fanout_count_list[@]}"; do
    echo "| RTMP fan-out: ${fanout_count_list[$i]} players of one 2 Mbit/s stream (>= $fanout_mbps Mbit/s each), CPU µs per viewer per second, all processes (Sluice's edge alone: ${fanout_edge_list[$i]}) | ${fanout_sluice_list[$i]} | nginx-rtmp: ${fanout_nginx_list[$i]} | $(ratio_of "${fanout_sluice_list[$i]}" "${fanout_nginx_list[$i]}")x | <= 0.7x |"
  done
  echo "| RTMP publish-to-play latency, 2 Mbit/s, p50 / p99 (max), $latency_frames frames | $(ms "$latency_s50") / $(ms "$latency_s99") ($(ms "$latency_smax")) | nginx-rtmp: $(ms "$latency_n50") / $(ms "$latency_n99") ($(ms "$latency_nmax")) | p50 $(ratio_of "$latency_s50" "$latency_n50")x, p99 $(ratio_of "$latency_s99" "$latency_n99")x | - |"
  echo "| RTMP publish-to-play latency among 150 other players (Sluice batches: at most a write per 80 ms), p50 / p99 (max), $crowd_frames frames | $(ms "$crowd_s50") / $(ms "$crowd_s99") ($(ms "$crowd_smax")) | nginx-rtmp: $(ms "$crowd_n50") / $(ms "$crowd_n99") ($(ms "$crowd_nmax")) | p50 $(ratio_of "$crowd_s50" "$crowd_n50")x, p99 $(ratio_of "$crowd_s99" "$crowd_n99")x | - |"
  echo "| RTMP ingest to HLS: $rtmp_streams streams of 2 Mbit/s published by ffmpeg, CPU s per minute (publishers: $rtmp_publishers_cpu) | $rtmp_ingest_sluice | nginx-rtmp, hls on: $rtmp_ingest_nginx | $(ratio_of "$rtmp_ingest_sluice" "$rtmp_ingest_nginx")x | <= 1.0x |"
  echo "| RTSP fan-out: ${COUNT:-500} players (TCP interleaved) of one 2 Mbit/s stream, edge CPU µs per viewer per second | $rtsp_fanout_rtsp | Sluice's RTMP players of the same stream, same run: $rtsp_fanout_rtmp | ${rtsp_fanout_ratio}x | <= 1.2x |"
  echo "| RTSP camera-to-viewer latency through Sluice, 2 Mbit/s, p50 / p99 (max), $rtsp_latency_frames frames | $(ms "$rtsp_latency_s50") / $(ms "$rtsp_latency_s99") ($(ms "$rtsp_latency_smax")) | camera read directly: $(ms "$rtsp_latency_d50") / $(ms "$rtsp_latency_d99") ($(ms "$rtsp_latency_dmax")) | p50 $(ratio_of "$rtsp_latency_s50" "$rtsp_latency_d50")x, p99 $(ratio_of "$rtsp_latency_s99" "$rtsp_latency_d99")x | - |"
} | tee "$out/results.md"
