#!/usr/bin/env bash
# Installs the Debian packages Sluice builds and tests with (`make run`, `make test`, CI), with the argument `bench`
# those `make bench` needs too, and with `profile` those of bench/ingest-profile.sh; does nothing when all are present.
set -euo pipefail
packages=(
  libuv1-dev   # the event loop
  ffmpeg       # fixtures, and the real client of integration tests (ffprobe, ffmpeg)
  curl         # integration tests: a plain HTTP client
  rtmpdump     # integration tests: a second RTMP player
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
