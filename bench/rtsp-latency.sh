#!/usr/bin/env bash
# RTSP camera-to-viewer latency (issue 5): `SluiceBench rtsp-latency` (bench/SluiceBench/RTSPLatency.swift) runs a
# stamped RTSP camera (H.264 + AAC at $KBPS, each video frame carrying the time just before its packets are
# written) and a player in one process, and measures each video frame from that stamp until the player's RTP
# demuxer has the whole access unit. Direct: the player reads the camera itself. Through Sluice (`workers 1`, an RTSP
# listener, a stream `input rtsp://127.0.0.1:CAMERA/cam`): the ingest worker pulls the camera over TCP interleaved
# and writes the ring, the edge serves the player from it over TCP interleaved. Alternately, $ROUNDS runs of
# $SECONDS_PER_RUN s each; the run with the lowest p99 is reported for each (all runs on stderr).
#
# Each run starts its own camera, on a port of its own (one for direct runs, one for Sluice's stream), so that
# a direct run's camera has no other player. For a Sluice run, once the camera listens the stream is restarted
# (`ctl restart`: the ingest retried the missing camera with a growing backoff meanwhile) and the player retries
# until Sluice serves the stream.
# Prints: rtsp-latency SLUICE_P50 SLUICE_P99 SLUICE_MAX DIRECT_P50 DIRECT_P99 DIRECT_MAX FRAMES (µs; FRAMES: frames
# measured in each reported run, the smaller of the two)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_latency_setup
bench_take_ports tcp 3
read -r sluice_port direct_camera sluice_camera <<< "${bench_free[*]}"

cat > "$dir/sluice.conf" <<EOF
rtsp 127.0.0.1:$sluice_port;
workers 1;
stream cam { input rtsp://127.0.0.1:$sluice_camera/cam; }
EOF
sluice_start "$dir/sluice.conf" "$dir/run"

# One run of the probe with its camera on port $2, playing $1; sets probe_result to "P50 P99 MAX FRAMES LOST" (µs).
# With a third argument (`restart`), restarts Sluice's stream once the camera listens.
probe() {
  local url=$1 camera=$2 out line probe_pid
  out=$(mktemp "${TMPDIR:-/tmp}/sluice-bench-latency.XXXXXX")
  bench_temporaries+=("$out")
  BENCH_LOG=$out bench_start "$bench_tool" rtsp-latency "$url" "$seconds" "$camera" "$kbps"
  probe_pid=$bench_last_pid
  if [ "${3:-}" = restart ]; then
    bench_wait_for 10 "the camera on port $camera" bench_tcp_listening "$camera"
    "$sluice_bin" ctl --runtime-dir "$dir/run" restart cam >/dev/null
  fi
  if ! wait "$probe_pid"; then
    echo "bench: rtsp-latency $url failed:" >&2
    cat "$out" >&2
    echo "bench: Sluice's log ends with:" >&2
    tail -n 15 "$dir/run.log" >&2
    return 1
  fi
  bench_forget "$probe_pid"
  grep -v '^rtsp_latency ' "$out" | grep -v '^rtsp-camera: ' >&2 || true
  line=$(grep '^rtsp_latency ' "$out")
  probe_result="$(bench_field "$line" p50_us) $(bench_field "$line" p99_us) $(bench_field "$line" max_us)"
  probe_result+=" $(bench_field "$line" frames) $(bench_field "$line" lost)"
}

sluice_runs=()
peer_runs=()
for _ in $(seq "$rounds"); do
  probe "rtsp://127.0.0.1:$sluice_port/cam" "$sluice_camera" restart
  sluice_runs+=("$probe_result")
  probe "rtsp://127.0.0.1:$direct_camera/cam" "$direct_camera"
  peer_runs+=("$probe_result")
done
bench_latency_report rtsp-latency direct
