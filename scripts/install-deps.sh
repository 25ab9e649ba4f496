#!/usr/bin/env bash
# Installs the Debian packages Sluice builds and tests with (`make run`, `make test`, CI), with the argument `bench`
# those `make bench` needs too, and with `profile` those of bench/ingest-profile.sh; does nothing when all are present.
set -euo pipefail
packages=(
  libuv1-dev   # the event loop
  libavcodec-dev libswresample-dev  # rtsp2:// G.711 to AAC (module Transcode; loaded at run time, linked by its tests)
  libssl-dev   # TLS clients: rtmps://, tshttps://, https:// backends (module TLS)
  ffmpeg       # fixtures, and the real client of integration tests (ffprobe, ffmpeg)
  curl         # integration tests: a plain HTTP client
  rtmpdump     # integration tests: a second RTMP player
  # integration tests: scripts/test-camera.py, an RTSP camera made of GStreamer's RTSP server (run with /usr/bin/python3)
  python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-tools
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good  # test sources, RTP payloaders, alawenc
  gstreamer1.0-plugins-ugly    # x264enc
  gstreamer1.0-plugins-bad     # x265enc
  gstreamer1.0-libav           # avenc_aac
  openssl      # TLS tests: the test certificates
  socat        # TLS integration tests: a TLS server in front of a Sluice instance
)
if [ "${1:-}" = bench ]; then
  packages+=(
    wrk          # HTTP load
    nginx        # the peer serving the same HLS segment as a static file
    libnginx-mod-rtmp  # nginx's RTMP module: the peer of the RTMP benchmarks (load_module ngx_rtmp_module.so)
    jq           # reads `sluice ctl --json`
  )
fi
if [ "${1:-}" = profile ]; then
  packages+=(
    valgrind     # callgrind: instructions of one ingest worker
    linux-perf   # perf stat: system calls and context switches from kernel tracepoints
    jq
  )
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
