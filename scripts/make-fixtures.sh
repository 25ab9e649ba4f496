#!/usr/bin/env bash
# Regenerates the MPEG-TS fixtures of Tests/MediaTests/Fixtures with ffmpeg (Debian's 5.1 with libx264/libx265).
# The files are committed, so tests do not depend on the encoder's version; run this only to change them.
set -euo pipefail
out=${1:-"$(dirname "$0")/../Tests/MediaTests/Fixtures"}
mkdir -p "$out"
ff=(ffmpeg -hide_banner -loglevel error -y)
v="testsrc2=size=320x240:rate=25"
a="sine=frequency=440:sample_rate=44100"

# H.264 High + AAC LC stereo, 2 s, GOP 1 s.
"${ff[@]}" -f lavfi -i "$v" -f lavfi -i "$a" -t 2 -c:v libx264 -profile:v high -g 25 -bf 2 -pix_fmt yuv420p \
  -x264-params threads=1 -c:a aac -ac 2 -b:a 64k -f mpegts "$out/h264_aac.ts"
# H.265 Main + MP2 48 kHz stereo, 2 s.
"${ff[@]}" -f lavfi -i "$v" -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 2 -c:v libx265 -g 25 \
  -x265-params log-level=error:pools=1:frame-threads=1 -pix_fmt yuv420p -c:a mp2 -ac 2 -b:a 128k \
  -f mpegts "$out/h265_mp2.ts"
# Two programs: 1 = H.264 320x240 + AAC; 2 = H.264 160x120 + MP2.
"${ff[@]}" -f lavfi -i "$v" -f lavfi -i "$a" -f lavfi -i "testsrc2=size=160x120:rate=25" \
  -f lavfi -i "sine=frequency=880:sample_rate=48000" -t 2 \
  -map 0:v -map 1:a -map 2:v -map 3:a -c:v libx264 -g 25 -x264-params threads=1 -pix_fmt yuv420p \
  -c:a:0 aac -c:a:1 mp2 -ac 2 \
  -program title=One:program_num=1:st=0:st=1 -program title=Two:program_num=2:st=2:st=3 \
  -f mpegts "$out/two_programs.ts"
# H.264 + AAC whose timestamps cross the 33-bit wrap (2^33 / 90000 = 95443.72 s) about 1.7 s in.
"${ff[@]}" -f lavfi -i "$v" -f lavfi -i "$a" -t 3 -c:v libx264 -g 25 -x264-params threads=1 -pix_fmt yuv420p \
  -c:a aac -ac 2 -output_ts_offset 95442 -f mpegts "$out/wrap33.ts"
# H.264 + MP3 + AC-3, 1 s: audio codecs that are recognised and passed through.
"${ff[@]}" -f lavfi -i "$v" -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 1 \
  -map 0:v -map 1:a -map 1:a -c:v libx264 -g 25 -x264-params threads=1 -pix_fmt yuv420p \
  -c:a:0 libmp3lame -c:a:1 ac3 -ac 2 -f mpegts "$out/h264_mp3_ac3.ts"
# The H.264 + AAC stream cut in the middle of a packet (as a dropped connection leaves it).
head -c $(( 188 * 300 + 77 )) "$out/h264_aac.ts" > "$out/cut.ts"
ls -l "$out"
