#!/usr/bin/env bash
# RTSP fan-out (issue 5): CPU per viewer of Sluice's edge serving $COUNT RTSP players (TCP interleaved) against the
# same edge serving $COUNT RTMP players of the same stream, in the same run. One Sluice with an RTSP and an RTMP
# listener and `workers $WORKERS` (1: every player is served by the same edge), one stream that ffmpeg publishes over
# RTMP for the whole run (bench/out/2mbps.flv, the RTMP benchmarks' 2 Mbit/s stream: -re, looped, not re-encoded),
# so that both kinds of players get the same frames from the same ring. The players are one `SluiceBench
# rtsp-viewers` process (bench/SluiceBench/RTSPViewers.swift), then one `rtmp-viewers`, alternately, $ROUNDS times.
# A round's CPU is utime + stime (/proc/PID/stat) over a $WINDOW s window that starts $WARMUP s after every player
# plays, divided by the count: CPU microseconds per viewer per second, of the edges (the target's measure) and of
# all of Sluice's processes (supervisor, ingest worker, edges; on stderr). Best (lowest) of the rounds.
# Prints: rtsp-fanout RTSP_US_PER_VIEWER RTMP_US_PER_VIEWER RATIO (the edges'; RATIO = RTSP / RTMP)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
count=${COUNT:-500}
workers=${WORKERS:-1}
bench_fanout_setup
bench_take_ports tcp 2
read -r rtmp_port rtsp_port <<< "${bench_free[*]}"

cat > "$dir/sluice.conf" <<EOF
rtmp 127.0.0.1:$rtmp_port;
rtsp 127.0.0.1:$rtsp_port;
workers $workers;
stream live { input publish://; }
EOF
sluice_start "$dir/sluice.conf" "$dir/run"
rtmp_url="rtmp://127.0.0.1:$rtmp_port/static/live"
rtsp_url="rtsp://127.0.0.1:$rtsp_port/live"
bench_start_rtmp_publisher "$rtmp_url"
publisher=$bench_last_pid
bench_wait_for 30 "the stream running in Sluice" sluice_streams_running "$dir/run" 1
bench_wait_for 30 "Sluice to play the stream over RTMP" rtmp_plays "$rtmp_url"
bench_wait_for 30 "Sluice to play the stream over RTSP" rtsp_plays "$rtsp_url"
mapfile -t sluice_all < <(sluice_pids "$dir/run" supervisor; sluice_pids "$dir/run" ingest; sluice_pids "$dir/run" edge)
mapfile -t sluice_edges < <(sluice_pids "$dir/run" edge)
if [ ${#sluice_all[@]} -ne $((workers + 2)) ]; then
  echo "bench: expected $((workers + 2)) Sluice processes, found ${#sluice_all[@]}" >&2
  exit 1
fi

rtsp_runs=()
rtmp_runs=()
for _ in $(seq "$rounds"); do
  for protocol in rtsp rtmp; do
    url_var=${protocol}_url
    bench_players_run "$protocol-viewers" "${!url_var}" "$count" "${sluice_edges[@]}" -- "${sluice_all[@]}"
    echo "  $protocol, $count players: edge $run_cpu µs/viewer/s (all of Sluice $run_part), $run_mbps Mbit/s each" \
      "(least $run_least), players' CPU $run_tool s" >&2
    if [ "$protocol" = rtsp ]; then rtsp_runs+=("$run_cpu"); else rtmp_runs+=("$run_cpu"); fi
  done
done
# Still publishing and serving at the end: a server that dropped its publisher would have been cheap for nothing.
kill -0 "$publisher" || { echo "bench: the publisher ended during the run" >&2; exit 1; }
sluice_streams_running "$dir/run" 1 || { echo "bench: Sluice's stream stopped during the run" >&2; exit 1; }
bench_wait_for 10 "Sluice to play the stream over RTSP at the end" rtsp_plays "$rtsp_url"
echo "runs (edge µs/viewer/s): rtsp ${rtsp_runs[*]}; rtmp ${rtmp_runs[*]}" >&2
rtsp_best=$(printf '%s\n' "${rtsp_runs[@]}" | best_of min)
rtmp_best=$(printf '%s\n' "${rtmp_runs[@]}" | best_of min)
echo "rtsp-fanout $rtsp_best $rtmp_best $(awk -v a="$rtsp_best" -v b="$rtmp_best" 'BEGIN { printf "%.2f", a / b }')"
