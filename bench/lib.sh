# Helpers the benchmark scripts source: processes they start and stop, free loopback ports, a running Sluice, and
# what /proc says about a process (CPU ticks, PSS). Sourcing this sets a trap: on exit, every process started with
# `bench_start` or `bench_capture` (and every process under it) gets SIGTERM, then SIGKILL after 3 s, and every
# temporary file and directory made here goes.

shopt -s inherit_errexit  # a failing $(...) fails the script (set -e)
bench_pids=()
bench_temporaries=()
bench_ports=()
sluice_bin=${SLUICE_BIN:-.build/release/sluice}
# SluiceBench: from the same build as sluice unless SLUICEBENCH_BIN says otherwise.
bench_tool=${SLUICEBENCH_BIN:-$(dirname "$sluice_bin")/SluiceBench}

# The pids of every process below $1 (children, their children...), from the ppid field of /proc/PID/stat.
bench_descendants() {
  local parent=$1 stat pid rest ppid
  for stat in /proc/[0-9]*/stat; do
    read -r pid rest 2>/dev/null < "$stat" || continue
    rest=${rest##*) }
    ppid=${rest#* }
    ppid=${ppid%% *}
    if [ "$ppid" = "$parent" ]; then
      echo "$pid"
      bench_descendants "$pid"
    fi
  done
}

# Stops the given pids and everything under them: SIGTERM, up to 3 s to exit, then SIGKILL.
bench_stop() {
  local live=() all=() pid deadline alive
  for pid in "$@"; do
    kill -0 "$pid" 2>/dev/null || continue
    live+=("$pid")
    all+=("$pid")
    mapfile -t -O "${#all[@]}" all < <(bench_descendants "$pid")
  done
  bench_forget "$@"
  [ ${#live[@]} -eq 0 ] && return 0
  kill -TERM "${live[@]}" 2>/dev/null || true
  deadline=$(( $(date +%s) + 3 ))
  while [ "$(date +%s)" -le "$deadline" ]; do
    alive=0
    for pid in "${all[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${all[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${live[@]}"; do wait "$pid" 2>/dev/null || true; done
}

# Forgets pids that are stopped or done, so that the exit trap never signals a pid the system has given to another
# process since.
bench_forget() {
  local kept=() gone=" $* " pid
  for pid in "${bench_pids[@]}"; do
    case "$gone" in *" $pid "*) ;; *) kept+=("$pid") ;; esac
  done
  bench_pids=("${kept[@]}")
}

bench_cleanup() {
  [ ${#bench_pids[@]} -gt 0 ] && bench_stop "${bench_pids[@]}"
  [ ${#bench_temporaries[@]} -gt 0 ] && rm -rf "${bench_temporaries[@]}"
  return 0
}
trap bench_cleanup EXIT
set -E  # the ERR trap holds in functions too: a failing step names itself before set -e ends the script
trap 'echo "bench: ${BASH_SOURCE[0]}:$LINENO: failed: $BASH_COMMAND" >&2' ERR
trap 'exit 130' INT TERM

# Runs a command in the background, output to $BENCH_LOG (or /dev/null), stdin from /dev/null; sets bench_last_pid.
bench_start() {
  "$@" </dev/null >>"${BENCH_LOG:-/dev/null}" 2>&1 &
  bench_last_pid=$!
  bench_pids+=("$bench_last_pid")
}

# Runs a command (another benchmark script) in the background, stderr passed through, and waits for it; sets
# bench_output to what it printed (kept in a file removed on exit). Started this way, it is stopped with everything
# under it if this script is.
bench_capture() {
  local file status
  file=$(mktemp "${TMPDIR:-/tmp}/sluice-bench-out.XXXXXX")
  bench_temporaries+=("$file")
  "$@" </dev/null >"$file" &
  bench_last_pid=$!
  bench_pids+=("$bench_last_pid")
  status=0
  wait "$bench_last_pid" || status=$?
  bench_forget "$bench_last_pid"
  bench_output=$(cat "$file")
  return "$status"
}

# Sets bench_dir to a new temporary directory, readable by all (nginx's workers drop root), removed on exit.
bench_tmpdir() {
  bench_dir=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench.XXXXXX")
  chmod 755 "$bench_dir"
  bench_temporaries+=("$bench_dir")
}

# The loopback ports in use for a protocol (tcp or udp), from /proc/net: any state, IPv4 and IPv6.
bench_used_ports() {
  local proto=$1 slot local_address rest
  cat "/proc/net/$proto" "/proc/net/${proto}6" 2>/dev/null | while read -r slot local_address rest; do
    [ "$slot" = "sl" ] || echo $(( 16#${local_address##*:} ))
  done
}

# Prints N ports free for the protocol (tcp or udp) and not handed out before by this script, from 20000 up to the
# kernel's ephemeral range (ip_local_port_range, 32768 by default): a port in that range may be taken meanwhile as
# the local port of any outgoing connection (a player, a publisher, curl), and a server started later could not
# listen on it.
bench_free_ports() {
  local proto=$1 count=$2 used port found=0 ephemeral
  read -r ephemeral _ < /proc/sys/net/ipv4/ip_local_port_range
  [ "$ephemeral" -gt 21000 ] || ephemeral=60000  # no room below the range: any port may collide
  used=" $(bench_used_ports "$proto" | tr '\n' ' ') ${bench_ports[*]} "
  while [ $found -lt "$count" ]; do
    port=$(( 20000 + RANDOM % (ephemeral - 20000) ))
    case "$used" in *" $port "*) continue ;; esac
    used+="$port "
    echo "$port"
    found=$((found + 1))
  done
}

# Sets bench_free: COUNT free ports of the protocol, remembered so that later calls do not hand them out again.
bench_take_ports() {
  mapfile -t bench_free < <(bench_free_ports "$1" "$2")
  bench_ports+=("${bench_free[@]}")
}

# Waits until a command succeeds, at most $1 seconds; fails with $2 as the message.
bench_wait_for() {
  local seconds=$1 what=$2 deadline
  shift 2
  deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "bench: timed out after ${seconds}s waiting for $what" >&2
      return 1
    fi
    sleep 0.5
  done
}

# Starts `sluice run` on a config file with its own runtime dir ($2); sets sluice_pid (the supervisor).
sluice_start() {
  local config=$1 runtime=$2
  BENCH_LOG="$runtime.log" bench_start "$sluice_bin" run --config "$config" --runtime-dir "$runtime"
  sluice_pid=$bench_last_pid
  bench_wait_for 20 "sluice's control socket in $runtime" "$sluice_bin" ctl --runtime-dir "$runtime" status
}

# Measures Sluice (runtime dir $1, $2 edge workers, $3 streams: the supervisor, the edges and the ingest workers)
# over a window of $window s that starts $warmup s from now (the calling script's settings), and the pids after `--`
# apart (load generators); sets round_cpu and round_others (CPU s per minute). Fails if a process is missing or a
# stream stops running meanwhile.
sluice_cpu_round() {
  local runtime=$1 edges=$2 streams=$3 pids
  shift 3
  [ "${1:-}" = -- ] && shift
  sleep "$warmup"
  mapfile -t pids < <(sluice_pids "$runtime" supervisor; sluice_pids "$runtime" edge; sluice_pids "$runtime" ingest)
  if [ ${#pids[@]} -ne $((streams + edges + 1)) ]; then
    echo "bench: expected $((streams + edges + 1)) Sluice processes, found ${#pids[@]}" >&2
    return 1
  fi
  read -r round_cpu round_others <<< "$(bench_cpu_window "$window" "${pids[@]}" -- "$@")"
  if ! sluice_streams_running "$runtime" "$streams"; then
    echo "bench: a Sluice stream stopped during the window" >&2
    return 1
  fi
}

# Runs the functions $2 (a round of Sluice) and $3 (a round of its peer, named $4), each setting round_cpu and
# round_others, alternately $1 times; prints every round on stderr and sets sluice_best, peer_best and others_best
# (the lowest of each).
bench_alternate_rounds() {
  local sluice=() peer=() others=()
  for _ in $(seq "$1"); do
    "$2"
    sluice+=("$round_cpu")
    others+=("$round_others")
    "$3"
    peer+=("$round_cpu")
    others+=("$round_others")
  done
  echo "runs (CPU s/min): sluice ${sluice[*]}; $4 ${peer[*]}; load generators ${others[*]}" >&2
  sluice_best=$(printf '%s\n' "${sluice[@]}" | best_of min)
  peer_best=$(printf '%s\n' "${peer[@]}" | best_of min)
  others_best=$(printf '%s\n' "${others[@]}" | best_of min)
}

# The pids of Sluice's processes of a role (supervisor, ingest, edge), from `sluice ctl workers --json`.
sluice_pids() {
  "$sluice_bin" ctl --runtime-dir "$1" workers --json | jq -r --arg role "$2" '.[] | select(.role == $role) | .pid'
}

# Succeeds when the running streams (`ctl streams`) number $2.
sluice_streams_running() {
  local running
  running=$("$sluice_bin" ctl --runtime-dir "$1" streams --json | jq '[.[] | select(.status == "running")] | length')
  [ "$running" = "$2" ]
}

# utime + stime of the processes, in clock ticks (fields 14 and 15 of /proc/PID/stat, counted after the command
# name, which may hold spaces). A process that is gone fails the call: its ticks would be lost.
proc_cpu_ticks() {
  local total=0 pid line fields
  for pid in "$@"; do
    read -r line < "/proc/$pid/stat" || { echo "bench: process $pid is gone" >&2; return 1; }
    read -r -a fields <<< "${line##*) }"
    total=$(( total + fields[11] + fields[12] ))
  done
  echo "$total"
}

# CPU seconds per minute used over a window of $1 seconds by the pids before `--`, and by those after it (load
# generators, counted apart): prints "PIDS OTHERS". utime + stime in clock ticks / CLK_TCK, scaled to 60 s.
bench_cpu_window() {
  local seconds=$1 pids=() before others_before after others_after
  shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    pids+=("$1")
    shift
  done
  [ $# -gt 0 ] && shift
  before=$(proc_cpu_ticks "${pids[@]}")
  others_before=$(proc_cpu_ticks "$@")
  sleep "$seconds"
  after=$(proc_cpu_ticks "${pids[@]}")
  others_after=$(proc_cpu_ticks "$@")
  awk -v p=$((after - before)) -v o=$((others_after - others_before)) -v hz="$(getconf CLK_TCK)" -v w="$seconds" \
    'BEGIN { printf "%.2f %.2f\n", p / hz * 60 / w, o / hz * 60 / w }'
}

# PSS of a process in kB (/proc/PID/smaps_rollup).
proc_pss_kb() {
  awk '/^Pss:/ { print $2; exit }' "/proc/$1/smaps_rollup"
}

# PSS in kB of the process's mappings of files whose path starts with $2 (e.g. /dev/shm/sluice-: the rings).
proc_mapping_pss_kb() {
  awk -v prefix="$2" '
    /^[0-9a-f]+-[0-9a-f]+ / { mapped = (index($6, prefix) == 1) }
    mapped && /^Pss:/ { total += $2 }
    END { print total + 0 }' "/proc/$1/smaps"
}

# Private memory in kB (Private_Clean + Private_Dirty, /proc/PID/smaps) of the process's mappings other than files
# whose path starts with $2: what the process holds for itself, outside the rings.
proc_private_outside_kb() {
  awk -v prefix="$2" '
    /^[0-9a-f]+-[0-9a-f]+ / { mapped = (index($6, prefix) == 1) }
    !mapped && /^Private_(Clean|Dirty):/ { total += $2 }
    END { print total + 0 }' "/proc/$1/smaps"
}

# The best (largest, or with `min` the smallest) of the numbers on stdin.
best_of() {
  awk -v mode="${1:-max}" 'NR == 1 || (mode == "max" ? $1 > best : $1 < best) { best = $1 } END { print best }'
}

# Makes $1 once: 60 s of 1280x720 H.264 at 25 frames/s (a keyframe every 2 s) + AAC, a test pattern and a tone,
# with the remaining arguments as ffmpeg's output options (rates, container).
bench_make_clip() {
  local path=$1
  shift
  [ -s "$path" ] && return 0
  mkdir -p "$(dirname "$path")"
  echo "making $path..." >&2
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=1280x720:rate=25" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 60 -c:v libx264 -preset ultrafast -g 50 -pix_fmt yuv420p \
    -c:a aac "$@" "$path"
}

# Makes bench/out/4mbps.ts once (H.264 at 4 Mbit/s + AAC in MPEG-TS) and sets bench_ts to its path.
bench_make_ts() {
  bench_ts=bench/out/4mbps.ts
  bench_make_clip "$bench_ts" -b:v 3800k -maxrate 4000k -bufsize 4000k -b:a 128k -muxrate 4400k -f mpegts
}

# Starts one ffmpeg sending bench/out/4mbps.ts in real time, looped, to udp://127.0.0.1:PORT as 7 TS packets per
# datagram.
bench_start_udp_sender() {
  bench_start ffmpeg -nostdin -hide_banner -loglevel error -re -stream_loop -1 -i "$bench_ts" -c copy -f mpegts \
    "udp://127.0.0.1:$1?pkt_size=1316"
}

# One 4 Mbit/s UDP stream for Sluice (bench/memory.sh, bench/ingest-profile.sh): bench/out/4mbps.ts, a temporary
# directory (bench_dir) holding sluice.conf (`workers $1;`, an HTTP listener on a free port, and `stream tv` from a
# free UDP port, 4 s segments, 6 in the playlist), and a sender started on that port; sets udp_port and http_port.
bench_one_udp_stream() {
  bench_make_ts
  bench_tmpdir
  bench_take_ports udp 1
  udp_port=${bench_free[0]}
  bench_take_ports tcp 1
  http_port=${bench_free[0]}
  bench_start_udp_sender "$udp_port"
  cat > "$bench_dir/sluice.conf" <<EOF
http 127.0.0.1:$http_port;
workers $1;
stream tv { input udp://127.0.0.1:$udp_port; segment_duration 4; segment_count 6; }
EOF
}

# Raises this shell's descriptor limit (inherited by the servers it starts) to at least $1, up to the hard limit.
bench_raise_fd_limit() {
  local hard
  hard=$(ulimit -Hn)
  if [ "$hard" != unlimited ] && [ "$hard" -lt "$1" ]; then
    echo "bench: the hard limit of open files is $hard, below the $1 this benchmark needs" >&2
    return 1
  fi
  if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$1" ]; then ulimit -n "$1"; fi
}

# Succeeds when something listens on the TCP port $1 (IPv4 or IPv6), from /proc/net (state 0A: LISTEN).
bench_tcp_listening() {
  local hex
  hex=$(printf '%04X' "$1")
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null \
    | awk -v port=":$hex" 'substr($2, length($2) - 4) == port && $4 == "0A" { found = 1 } END { exit !found }'
}

# Each pid given and every process under it (a server's master and its workers), one a line.
bench_tree_pids() {
  local pid
  for pid in "$@"; do
    echo "$pid"
    bench_descendants "$pid"
  done
}

# Makes bench/out/2mbps.flv once (H.264 at 1.85 Mbit/s + AAC at 128 kbit/s in FLV: the stream the RTMP benchmarks
# publish) and sets bench_flv to its path.
bench_make_flv() {
  bench_flv=bench/out/2mbps.flv
  bench_make_clip "$bench_flv" -b:v 1850k -maxrate 1900k -bufsize 1900k -b:a 128k -f flv
}

# Starts one ffmpeg publishing bench/out/2mbps.flv in real time, looped, not re-encoded, to the rtmp:// URL $1;
# sets bench_last_pid.
bench_start_rtmp_publisher() {
  bench_start ffmpeg -nostdin -hide_banner -loglevel error -re -stream_loop -1 -i "$bench_flv" -c copy -f flv "$1"
}

# Succeeds when the rtmp:// URL $1 delivers media: one player receives more than 100 kB in 2 s.
rtmp_plays() {
  bench_plays rtmp-viewers "$1"
}

# Succeeds when the rtsp:// URL $1 delivers media over TCP interleaved, as rtmp_plays.
rtsp_plays() {
  bench_plays rtsp-viewers "$1"
}

# Succeeds when `SluiceBench $1` (rtmp-viewers, rtsp-viewers) plays the URL $2: one player receives more than
# 100 kB in 2 s.
bench_plays() {
  local line
  line=$("$bench_tool" "$1" "$2" 1 2 | tail -1)
  [ "$(bench_field "$line" playing)" = 1 ] && [ "$(bench_field "$line" bytes)" -gt 100000 ]
}

# The settings of the fan-out scripts (rtmp-fanout.sh, rtsp-fanout.sh) from the environment ($ROUNDS, $WINDOW,
# $WARMUP, $LOW_WATER), and what they need: the 2 Mbit/s FLV, descriptors for the players' connections, a temporary
# directory ($dir).
bench_fanout_setup() {
  rounds=${ROUNDS:-2}
  window=${WINDOW:-15}
  warmup=${WARMUP:-3}
  low_water=${LOW_WATER:-32768}
  bench_make_flv
  bench_raise_fd_limit 8192
  bench_tmpdir
  dir=$bench_dir
}

# The settings of the latency scripts (rtmp-latency.sh, rtsp-latency.sh) from the environment ($ROUNDS,
# $SECONDS_PER_RUN, $KBPS), and a temporary directory ($dir).
bench_latency_setup() {
  rounds=${ROUNDS:-3}
  seconds=${SECONDS_PER_RUN:-20}
  kbps=${KBPS:-2000}
  bench_tmpdir
  dir=$bench_dir
}

# The latency scripts' result, from their runs ("P50 P99 MAX FRAMES LOST" in µs) in the arrays sluice_runs and
# peer_runs: every run on stderr, then "$1 SLUICE_P50 SLUICE_P99 SLUICE_MAX PEER_P50 PEER_P99 PEER_MAX FRAMES" on
# stdout for the run with the lowest p99 of each (FRAMES: the smaller count of the two); $2 names the peer.
bench_latency_report() {
  local name=$1 peer=$2 s50 s99 smax sframes slost p50 p99 pmax pframes plost
  echo "runs (p50 p99 max frames lost, µs): sluice: $(printf '%s; ' "${sluice_runs[@]}")$peer: $(printf '%s; ' "${peer_runs[@]}")" >&2
  read -r s50 s99 smax sframes slost <<< "$(printf '%s\n' "${sluice_runs[@]}" | sort -n -k2,2 | head -1)"
  read -r p50 p99 pmax pframes plost <<< "$(printf '%s\n' "${peer_runs[@]}" | sort -n -k2,2 | head -1)"
  if [ "$slost" != 0 ] || [ "$plost" != 0 ]; then echo "bench: frames lost: sluice $slost, $peer $plost" >&2; fi
  echo "$name $s50 $s99 $smax $p50 $p99 $pmax $(( sframes < pframes ? sframes : pframes ))"
}

# The word after the word $2 in the line $1 (the value of a field of a `name value name value` output line).
bench_field() {
  awk -v key="$2" '{ for (i = 1; i < NF; i++) if ($i == key) { print $(i + 1); exit } }' <<< "$1"
}

# One window of COUNT players of URL from `SluiceBench VIEWERS URL COUNT ...` (VIEWERS: rtmp-viewers or
# rtsp-viewers; $1 to $3); the server's processes follow, then `--` and the part of them to measure apart (Sluice's
# edge). The window is the calling script's $window s, from $warmup s after every player plays; the players wake for
# $low_water bytes at a time. Sets run_cpu and run_part (CPU µs per viewer per second), run_mbps and run_least (the
# players' average bitrate, the least any one received), run_tool (the players' own CPU seconds). Fails when a
# player failed, did not play to the end, or received less than half the average (skipped frames).
bench_players_run() {
  local viewers=$1 url=$2 count=$3 out players line total part name
  shift 3
  name=${viewers//-/_}
  out=$(mktemp "${TMPDIR:-/tmp}/sluice-bench-players.XXXXXX")
  bench_temporaries+=("$out")
  BENCH_LOG=$out bench_start "$bench_tool" "$viewers" "$url" "$count" $((warmup + window + 2)) "$low_water"
  players=$bench_last_pid
  bench_wait_for 150 "$count players of $url" grep -q "^${name}_started" "$out"
  sleep "$warmup"
  read -r total part <<< "$(bench_cpu_window "$window" "$@")"
  wait "$players" || { echo "bench: $viewers failed:" >&2; cat "$out" >&2; return 1; }
  bench_forget "$players"
  line=$(grep "^$name " "$out")
  run_mbps=$(bench_field "$line" mbps_per_viewer)
  run_least=$(bench_field "$line" least_mbps)
  run_tool=$(bench_field "$line" cpu_s)
  if [ "$(bench_field "$line" playing)" != "$count" ] || [ "$(bench_field "$line" failed)" != 0 ] \
    || awk -v least="$run_least" -v mean="$run_mbps" 'BEGIN { exit !(least < mean / 2) }'; then
    echo "bench: $url: $line" >&2
    grep -v "^$name" "$out" >&2 || true
    return 1
  fi
  per_viewer() { awk -v m="$1" -v n="$count" 'BEGIN { printf "%.0f", m * 1e6 / 60 / n }'; }
  run_cpu=$(per_viewer "$total")
  run_part=$(per_viewer "$part")
}

# Starts nginx with the RTMP module (Debian's libnginx-mod-rtmp) in the directory $1, one worker process, listening
# on 127.0.0.1:$2 with `application live { live on; $3 }` (pid, logs in $1); sets nginx_pid (the master) once the
# port listens.
nginx_rtmp_start() {
  local dir=$1 port=$2 extra=${3:-} module
  module=$(dpkg -L libnginx-mod-rtmp 2>/dev/null | grep '/ngx_rtmp_module\.so$' | head -1 || true)
  module=${module:-/usr/lib/nginx/modules/ngx_rtmp_module.so}
  mkdir -p "$dir"
  cat > "$dir/nginx.conf" <<EOF
load_module $module;
worker_processes 1;
worker_rlimit_nofile 8192;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 4096; }
rtmp {
  server {
    listen 127.0.0.1:$port;
    chunk_size 4096;
    application live {
      live on;
      $extra
    }
  }
}
EOF
  BENCH_LOG="$dir/nginx.log" bench_start nginx -p "$dir" -c "$dir/nginx.conf" -g "daemon off;"
  nginx_pid=$bench_last_pid
  bench_wait_for 10 "nginx-rtmp on port $port" bench_tcp_listening "$port" \
    || { tail -n 5 "$dir/error.log" "$dir/nginx.log" >&2 2>/dev/null; return 1; }
}
