#!/usr/bin/env bash
# Regenerates the fixtures of Tests/MediaTests/Fixtures (MPEG-TS, FLV, elementary streams) with ffmpeg (Debian's 5.1
# with libx264/libx265).
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

# Elementary streams for the codec parsers (Tests/MediaTests/*SPSTests, *HeaderTests): a few frames each.
# H.264 High 320x240 25 fps, the same settings as h264_aac.ts.
"${ff[@]}" -f lavfi -i "$v" -frames:v 3 -c:v libx264 -profile:v high -bf 2 -pix_fmt yuv420p -x264-params threads=1 \
  -f h264 "$out/h264_high.h264"
# H.264 Main 1920x1080 30000/1001 fps: coded as 1088 lines, so the SPS crops 8 (frame_cropping).
"${ff[@]}" -f lavfi -i "color=c=blue:size=1920x1080:rate=30000/1001" -frames:v 1 -c:v libx264 -profile:v main \
  -pix_fmt yuv420p -x264-params threads=1 -f h264 "$out/h264_1080.h264"
# H.264 High 4:4:4 Predictive 10-bit with no B-frames (pic_order_cnt_type 2).
"${ff[@]}" -f lavfi -i "testsrc2=size=352x288:rate=50" -frames:v 2 -c:v libx264 -profile:v high444 -bf 0 \
  -pix_fmt yuv444p10le -x264-params threads=1 -f h264 "$out/h264_444_10bit.h264"
# H.264 interlaced 720x576 (frame_mbs_only_flag 0: heights count in field macroblock pairs).
"${ff[@]}" -f lavfi -i "testsrc2=size=720x576:rate=25" -frames:v 2 -c:v libx264 -flags +ildct+ilme \
  -pix_fmt yuv420p -x264-params threads=1:tff=1 -f h264 "$out/h264_interlaced.h264"
# H.265 Main 320x240 25 fps, the same settings as h265_mp2.ts.
"${ff[@]}" -f lavfi -i "$v" -frames:v 3 -c:v libx265 -x265-params log-level=error:pools=1:frame-threads=1 \
  -pix_fmt yuv420p -f hevc "$out/h265_main.h265"
# H.265 Main 10 1920x1080 50 fps with two temporal sub-layers, a conformance window (16-pixel CUs code 1088 lines)
# and a VUI default display window.
"${ff[@]}" -f lavfi -i "color=c=blue:size=1920x1080:rate=50" -frames:v 3 -c:v libx265 \
  -x265-params log-level=error:pools=1:frame-threads=1:temporal-layers=1:min-cu-size=16:display-window=0,0,0,8 \
  -pix_fmt yuv420p10le \
  -f hevc "$out/h265_1080_main10.h265"
# Audio: AAC LC 44.1 kHz stereo in ADTS, MP2 48 kHz stereo, MP3 (MPEG-1 48 kHz stereo and MPEG-2 22.05 kHz mono),
# AC-3 48 kHz stereo and E-AC-3 48 kHz 5.1.
"${ff[@]}" -f lavfi -i "$a" -t 0.2 -c:a aac -ac 2 -b:a 64k -f adts "$out/aac_lc.adts"
"${ff[@]}" -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 0.2 -c:a mp2 -ac 2 -b:a 128k -f mp2 "$out/audio.mp2"
"${ff[@]}" -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 0.2 -c:a libmp3lame -ac 2 -b:a 128k \
  -write_xing 0 -id3v2_version 0 -f mp3 "$out/audio.mp3"
"${ff[@]}" -f lavfi -i "sine=frequency=440:sample_rate=22050" -t 0.2 -c:a libmp3lame -ac 1 -b:a 32k \
  -write_xing 0 -id3v2_version 0 -f mp3 "$out/audio_mpeg2.mp3"
"${ff[@]}" -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 0.2 -c:a ac3 -ac 2 -b:a 192k -f ac3 "$out/audio.ac3"
"${ff[@]}" -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 0.2 -c:a eac3 -ac 6 -b:a 384k -f eac3 "$out/audio.eac3"

# FLV (Tests/MediaTests/FLV*Tests): H.264 High + AAC LC stereo, the same settings as h264_aac.ts (B-frames, so
# composition times); H.264 Baseline 160x120 + MP3 mono 44.1 kHz, 1 s; G.711 A-law 8 kHz mono, 0.5 s, audio only.
"${ff[@]}" -f lavfi -i "$v" -f lavfi -i "$a" -t 2 -c:v libx264 -profile:v high -g 25 -bf 2 -pix_fmt yuv420p \
  -x264-params threads=1 -c:a aac -ac 2 -b:a 64k -f flv "$out/h264_aac.flv"
"${ff[@]}" -f lavfi -i "testsrc2=size=160x120:rate=25" -f lavfi -i "$a" -t 1 -c:v libx264 -profile:v baseline -g 25 \
  -pix_fmt yuv420p -x264-params threads=1 -c:a libmp3lame -ac 1 -b:a 32k -f flv "$out/h264_mp3.flv"
"${ff[@]}" -f lavfi -i "sine=frequency=440:sample_rate=8000" -t 0.5 -c:a pcm_alaw -ac 1 -f flv "$out/pcm_alaw.flv"
ls -l "$out"

# The fake:// clip, embedded in the binary (Sources/CFakeClip/fake_clip.c, read by Sources/Ingest/FakeSource.swift):
# H.264 Baseline 640x360 25 fps (no B-frames: PTS = DTS), IDR every 48 frames, and a 1 kHz AAC LC stereo tone at
# 48 kHz; 3.84 s, the shortest length both frame durations divide evenly (96 x 40 ms = 180 x 1024/48000 s), so that
# the clip loops with continuous timestamps. The AAC encoder's priming frame comes first and is not looped.
clip="$(dirname "$0")/../Sources/CFakeClip/fake_clip.ts"
"${ff[@]}" -f lavfi -i "testsrc2=size=640x360:rate=25" -f lavfi -i "sine=frequency=1000:sample_rate=48000" -t 3.84 \
  -c:v libx264 -profile:v baseline -g 48 -keyint_min 48 -crf 28 -pix_fmt yuv420p -x264-params threads=1:scenecut=0 \
  -c:a aac -ac 2 -b:a 64k -f mpegts "$clip"
ls -l "$clip"
