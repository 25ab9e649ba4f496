#!/usr/bin/env bash
# Installs the Debian packages Sluice builds, tests and benchmarks with; does nothing when all are present.
# One list for `make run`, `make test`, `make bench` and CI.
set -euo pipefail
packages=(
  libuv1-dev   # the event loop (issue 3 on)
  ffmpeg       # fixtures, and the real client of integration tests (ffprobe, ffmpeg)
  wrk          # make bench: HTTP load
  nginx        # make bench: the peer serving the same HLS segment as a static file
  jq           # make bench: reads `sluice ctl --json`
  curl         # integration tests: a plain HTTP client
)
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
