#!/usr/bin/env bash
# Ingest cost: CPU seconds per minute of the receivers of $STREAMS UDP streams of 4 Mbit/s, packaged to HLS, by Sluice
# (supervisor + ingest workers + edges) and by as many `ffmpeg -i udp://... -c copy -f hls` processes. The same ffmpeg
# senders feed both receivers, one receiver after the other on the same ports; the senders' own CPU is not counted.
# Best (lowest) of $ROUNDS rounds, each a $WINDOW s window per receiver after $WARMUP s of warm-up.
# Prints: ingest SLUICE_CPU_S_PER_MIN FFMPEG_CPU_S_PER_MIN STREAMS SENDERS_CPU_S_PER_MIN SLUICE_MBPS
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
streams=${STREAMS:-20}
rounds=${ROUNDS:-2}
window=${WINDOW:-30}
warmup=${WARMUP:-5}
hz=$(getconf CLK_TCK)

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

# CPU seconds per minute used by the pids over the window (clock ticks / CLK_TCK, scaled to 60 s), and the same for
# the senders, on stdout as "RECEIVERS SENDERS".
measure_window() {
  local before senders_before after senders_after
  before=$(proc_cpu_ticks "$@")
  senders_before=$(proc_cpu_ticks "${senders[@]}")
  sleep "$window"
  after=$(proc_cpu_ticks "$@")
  senders_after=$(proc_cpu_ticks "${senders[@]}")
  awk -v r=$((after - before)) -v s=$((senders_after - senders_before)) -v hz="$hz" -v w="$window" \
    'BEGIN { printf "%.2f %.2f\n", r / hz * 60 / w, s / hz * 60 / w }'
}

# One window of Sluice: sets round_cpu, round_senders_cpu and round_mbps (the streams' bitrates added up).
sluice_round() {
  local runtime=$dir/run pids figures
  sluice_start "$dir/sluice.conf" "$runtime"
  bench_wait_for 30 "$streams running Sluice streams" sluice_streams_running "$runtime" "$streams"
  sleep "$warmup"
  mapfile -t pids < <(sluice_pids "$runtime" supervisor; sluice_pids "$runtime" edge; sluice_pids "$runtime" ingest)
  if [ ${#pids[@]} -ne $((streams + 3)) ]; then
    echo "bench: expected $((streams + 3)) Sluice processes, found ${#pids[@]}" >&2
    return 1
  fi
  figures=$(measure_window "${pids[@]}")
  read -r round_cpu round_senders_cpu <<< "$figures"
  if ! sluice_streams_running "$runtime" "$streams"; then
    echo "bench: a Sluice stream stopped during the window" >&2
    return 1
  fi
  round_mbps=$("$sluice_bin" ctl --runtime-dir "$runtime" streams --json \
    | jq '[.[].bitrate] | add / 1e6 | . * 10 | round / 10')
  bench_stop "$sluice_pid"
}

# One window of the ffmpeg receivers: sets round_cpu and round_senders_cpu.
ffmpeg_round() {
  local receivers=() i figures
  for i in "${!udp_ports[@]}"; do
    mkdir -p "$dir/ffmpeg/s$i"
    bench_start ffmpeg -nostdin -hide_banner -loglevel error -i "udp://127.0.0.1:${udp_ports[$i]}" -c copy -f hls \
      -hls_time 4 -hls_list_size 6 "$dir/ffmpeg/s$i/index.m3u8"
    receivers+=("$bench_last_pid")
  done
  sleep "$warmup"
  figures=$(measure_window "${receivers[@]}")
  read -r round_cpu round_senders_cpu <<< "$figures"
  for i in "${!udp_ports[@]}"; do
    [ -s "$dir/ffmpeg/s$i/index.m3u8" ] || { echo "bench: ffmpeg wrote no playlist for stream $i" >&2; return 1; }
  done
  bench_stop "${receivers[@]}"
  rm -rf "$dir/ffmpeg"
}

sluice_runs=()
ffmpeg_runs=()
senders_runs=()
for _ in $(seq "$rounds"); do
  sluice_round
  sluice_runs+=("$round_cpu")
  senders_runs+=("$round_senders_cpu")
  mbps=$round_mbps
  ffmpeg_round
  ffmpeg_runs+=("$round_cpu")
  senders_runs+=("$round_senders_cpu")
done
echo "runs (CPU s/min): sluice ${sluice_runs[*]}; ffmpeg ${ffmpeg_runs[*]}; senders ${senders_runs[*]}" >&2
echo "ingest $(printf '%s\n' "${sluice_runs[@]}" | best_of min) $(printf '%s\n' "${ffmpeg_runs[@]}" | best_of min)" \
  "$streams $(printf '%s\n' "${senders_runs[@]}" | best_of min) $mbps"
