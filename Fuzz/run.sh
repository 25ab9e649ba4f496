#!/usr/bin/env bash
# Builds the libFuzzer targets (Swift's -sanitize=fuzzer,address) and runs each for a bounded time
# (first argument, seconds per target, default 60). Exits non-zero if a target crashes; the crashing input is
# kept in Fuzz/out/NAME/ (a file named crash-*), and can be replayed with: Fuzz/out/NAME/fuzzer CRASHFILE
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=Fuzz/out
mkdir -p "$out"

build() {  # name, fuzz source, module sources folder
  local name=$1 entry=$2 module=$3
  mkdir -p "$out/$name/corpus"
  find "$module" -name '*.swift' -print0 | xargs -0 swiftc -O -sanitize=fuzzer,address -parse-as-library \
    -module-name "Fuzz${name//-/_}" -o "$out/$name/fuzzer" "$entry" 2>&1 | grep -v "Cannot export local symbol" || true
  test -x "$out/$name/fuzzer"
}

run() {  # name, max input length, seed files...
  local name=$1 maxlen=$2; shift 2
  cp -f "$@" "$out/$name/corpus/" 2>/dev/null || true
  echo "fuzzing $name for ${seconds}s"
  (cd "$out/$name" && ./fuzzer -max_total_time="$seconds" -max_len="$maxlen" -rss_limit_mb=4096 \
     -print_final_stats=1 corpus 2>&1 | grep -E "^(Done|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)" )
}

build ts-demuxer Fuzz/TSDemuxerFuzz.swift Sources/Media
build config-parser Fuzz/ConfigParserFuzz.swift Sources/Config
build http-request-parser Fuzz/HTTPRequestParserFuzz.swift Sources/HTTP
run ts-demuxer 65536 Tests/MediaTests/Fixtures/cut.ts Tests/MediaTests/Fixtures/h265_mp2.ts
run config-parser 16384 etc/sluice.conf $(ls Tests/ConfigTests/Fixtures/*.conf 2>/dev/null)
printf 'GET /demo/mono.m3u8 HTTP/1.1\r\nHost: a\r\nRange: bytes=0-99\r\n\r\n' > Fuzz/out/http-request-parser/corpus/get
run http-request-parser 8192 Fuzz/out/http-request-parser/corpus/get
if ls "$out"/*/crash-* >/dev/null 2>&1; then
  echo "fuzzing found crashes:"; ls "$out"/*/crash-*; exit 1
fi
echo "fuzzing: no crash in ${seconds}s per target"
