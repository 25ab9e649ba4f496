#!/usr/bin/env bash
# RTMP fan-out, A/B: compares Sluice builds (and nginx-rtmp with NGINX=1) serving $COUNTS players of the same
# 2 Mbit/s stream, for changes to the edge's write path measured on a shared, noisy machine. Not part of `make bench`.
#   SLUICE_BINS="DIR_A/sluice DIR_B/sluice" [NGINX=1] [COUNTS="200 1000"] [ROUNDS=3] bench/rtmp-fanout-ab.sh
# Every server runs at once, each with its own publisher (as in bench/rtmp-fanout.sh: `workers 1`, one nginx worker),
# for the whole script; the players (`SluiceBench rtmp-viewers`, from the first build's directory unless
# SLUICEBENCH_BIN says otherwise) play one server at a time, the servers in turn within each round (A, B, A, B...),
# so that what else the machine does falls on each alike. For each window it prints the CPU per viewer (utime +
# stime of all the server's processes, µs per viewer per second) and, from `perf stat` on the process that serves
# the players (Sluice's edge, nginx's worker) over the same window, figures that do not depend on the load: system
# calls per player per second by name, context switches, and bytes per write (the players' bytes over the writes).
# The medians per server and count close the output. PERF=0 leaves perf out (its tracepoints cost a little CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a bins <<< "${SLUICE_BINS:?SLUICE_BINS: the sluice binaries to compare}"
SLUICE_BIN=${bins[0]}
. bench/lib.sh
read -r -a counts <<< "${COUNTS:-200 1000}"
rounds=${ROUNDS:-3}
window=${WINDOW:-10}
warmup=${WARMUP:-3}
low_water=${LOW_WATER:-32768}
use_perf=${PERF:-1}
events=write,writev,sendto,sendmsg,epoll_ctl,epoll_wait,epoll_pwait,futex,futex_waitv,read
perf_events=$(tr ',' '\n' <<< "$events" | sed 's/^/syscalls:sys_enter_/' | paste -sd, -),context-switches

bench_make_flv
bench_raise_fd_limit 8192
bench_tmpdir
dir=$bench_dir
bench_take_ports tcp $(( ${#bins[@]} + 1 ))
ports=("${bench_free[@]}")

names=()      # a label per server
urls=()
all_pids=()   # per server: its processes, space-separated
serving=()    # per server: the process that serves players
for i in "${!bins[@]}"; do
  cat > "$dir/sluice$i.conf" <<EOF
rtmp 127.0.0.1:${ports[$i]};
workers 1;
stream live { input publish://; }
EOF
  sluice_bin=${bins[$i]}
  sluice_start "$dir/sluice$i.conf" "$dir/run$i"
  urls+=("rtmp://127.0.0.1:${ports[$i]}/static/live")
  bench_start_rtmp_publisher "${urls[$i]}"
  bench_wait_for 30 "stream of ${bins[$i]} running" sluice_streams_running "$dir/run$i" 1
  bench_wait_for 30 "${bins[$i]} to play the stream" rtmp_plays "${urls[$i]}"
  all_pids+=("$({ sluice_pids "$dir/run$i" supervisor; sluice_pids "$dir/run$i" ingest; sluice_pids "$dir/run$i" edge; } \
    | paste -sd' ')")
  serving+=("$(sluice_pids "$dir/run$i" edge)")
  names+=("$(basename "$(dirname "${bins[$i]}")")")
done
sluice_bin=${bins[0]}
if [ "${NGINX:-0}" = 1 ]; then
  nginx_port=${ports[${#bins[@]}]}
  nginx_rtmp_start "$dir/nginx" "$nginx_port"
  urls+=("rtmp://127.0.0.1:$nginx_port/live/live")
  bench_start_rtmp_publisher "${urls[-1]}"
  bench_wait_for 30 "nginx-rtmp to play the stream" rtmp_plays "${urls[-1]}"
  all_pids+=("$(bench_tree_pids "$nginx_pid" | paste -sd' ')")
  serving+=("$(bench_descendants "$nginx_pid" | head -1)")
  names+=(nginx-rtmp)
fi

# One window: COUNT players of server $1; prints "CPU_US_PER_VIEWER MBPS SYSCALLS..." (per player per second).
window_of() {
  local server=$1 count=$2 out=$dir/viewers.out line fields cpu perf_out=$dir/perf.out viewers perf_pid=
  local -a pids
  read -r -a pids <<< "${all_pids[$server]}"
  : > "$out"
  BENCH_LOG=$out bench_start "$bench_tool" rtmp-viewers "${urls[$server]}" "$count" $((warmup + window + 2)) "$low_water"
  viewers=$bench_last_pid
  bench_wait_for 150 "$count players" grep -q '^rtmp_viewers_started' "$out"
  sleep "$warmup"
  if [ "$use_perf" = 1 ]; then
    perf stat -x, -e "$perf_events" -p "${serving[$server]}" -o "$perf_out" -- sleep "$window" &
    perf_pid=$!
  fi
  read -r cpu _ <<< "$(bench_cpu_window "$window" "${pids[@]}")"
  [ -n "$perf_pid" ] && wait "$perf_pid"
  wait "$viewers" || { echo "bench: rtmp-viewers failed:" >&2; cat "$out" >&2; return 1; }
  bench_forget "$viewers"
  line=$(grep '^rtmp_viewers ' "$out")
  read -r -a fields <<< "$line"
  [ "${fields[3]}" = "$count" ] && [ "${fields[5]}" = 0 ] || { echo "bench: ${urls[$server]}: $line" >&2; return 1; }
  awk -v m="$cpu" -v n="$count" -v w="$window" -v mbps="${fields[11]}" -v least="${fields[17]}" \
      -v perf="$use_perf" -v file="$perf_out" -v names="$events" 'BEGIN {
    printf "%.0f %.2f %.2f", m * 1e6 / 60 / n, mbps, least
    if (perf != 1) { print ""; exit }
    while ((getline line < file) > 0) {
      split(line, f, ",")
      if (f[3] == "") continue
      name = f[3]; sub(/^syscalls:sys_enter_/, "", name)
      value[name] = f[1]
    }
    k = split(names, list, ",")
    writes = value["write"] + value["writev"] + value["sendto"] + value["sendmsg"]
    for (i = 1; i <= k; i++) printf " %s=%.1f", list[i], value[list[i]] / w / n
    printf " cs=%.1f bytes_per_write=%.0f\n", value["context-switches"] / w / n, \
      (writes > 0 ? mbps * 1e6 / 8 * n * w / writes : 0)
  }'
}

declare -A results
for count in "${counts[@]}"; do
  for round in $(seq "$rounds"); do
    for server in "${!urls[@]}"; do
      line=$(window_of "$server" "$count")
      results[$server,$count]+="${line%% *} "
      echo "$count players, round $round, ${names[$server]}: µs/viewer/s $line" | tee -a "$dir/all.out" >&2
    done
  done
done
for count in "${counts[@]}"; do
  for server in "${!urls[@]}"; do
    median=$(tr ' ' '\n' <<< "${results[$server,$count]}" | grep . | sort -n \
      | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    echo "median $count players ${names[$server]}: $median µs/viewer/s (rounds: ${results[$server,$count]})"
  done
done
