#!/usr/bin/env bash
# HLS segment delivery: wrk with 200 connections fetching one live segment from Sluice and the same bytes as a static
# file from nginx (worker_processes = Sluice's workers), alternately, best of $ROUNDS runs of $SECONDS_PER_RUN s each.
# Prints: delivery SLUICE_RPS NGINX_RPS SEGMENT_BYTES WORKERS
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
workers=${WORKERS:-2}
rounds=${ROUNDS:-3}
seconds=${SECONDS_PER_RUN:-10}
connections=200

bench_tmpdir
dir=$bench_dir
bench_take_ports tcp 2
sluice_port=${bench_free[0]}
nginx_port=${bench_free[1]}

# Sluice: a fake:// stream whose segments stay listed for almost two minutes (10 x about 11.5 s: cut at the first
# keyframe after 10 s), so the newest one when the run starts is valid until it ends.
cat > "$dir/sluice.conf" <<EOF
http 127.0.0.1:$sluice_port;
workers $workers;
stream demo {
  input fake://fake;
  segment_duration 10;
  segment_count 10;
}
EOF
sluice_start "$dir/sluice.conf" "$dir/run"
playlist_has_segment() { curl -sf "http://127.0.0.1:$sluice_port/demo/mono.m3u8" | grep -q '\.ts$'; }
bench_wait_for 60 "Sluice's first segments" playlist_has_segment
segment=$(curl -sf "http://127.0.0.1:$sluice_port/demo/mono.m3u8" | grep '\.ts$' | tail -1)

# nginx: the same bytes, fetched once from Sluice, as a static file under the same path.
mkdir -p "$dir/www/demo/$(dirname "$segment")" "$dir/nginx"
curl -sf -o "$dir/www/demo/$segment" "http://127.0.0.1:$sluice_port/demo/$segment"
size=$(stat -c %s "$dir/www/demo/$segment")
cat > "$dir/nginx/nginx.conf" <<EOF
worker_processes $workers;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log;
events { worker_connections 1024; }
http {
  types { video/mp2t ts; }
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $dir/nginx/body;
  proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fastcgi;
  uwsgi_temp_path $dir/nginx/uwsgi;
  scgi_temp_path $dir/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $dir/www;
  }
}
EOF
BENCH_LOG="$dir/nginx.log" bench_start nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -g "daemon off;"
bench_wait_for 10 "nginx on port $nginx_port" curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/demo/$segment"
cmp -s "$dir/www/demo/$segment" <(curl -sf "http://127.0.0.1:$nginx_port/demo/$segment") \
  || { echo "bench: nginx does not serve the segment's bytes" >&2; exit 1; }

# One wrk run; prints requests/s. Any non-2xx response or socket error fails the benchmark: it would not be a
# delivery of the segment.
wrk_rps() {
  local url=$1 duration=$2 report
  report=$(wrk -t2 -c"$connections" -d"${duration}s" "$url")
  if grep -Eq 'Non-2xx|Socket errors' <<< "$report"; then
    echo "bench: wrk saw errors fetching $url:" >&2
    echo "$report" >&2
    return 1
  fi
  awk '/^Requests\/sec:/ { print $2 }' <<< "$report"
}

sluice_url="http://127.0.0.1:$sluice_port/demo/$segment"
nginx_url="http://127.0.0.1:$nginx_port/demo/$segment"
# Warm-up: every Sluice edge muxes and caches the segment, nginx's page cache holds the file.
wrk_rps "$sluice_url" 2 >/dev/null
wrk_rps "$nginx_url" 2 >/dev/null
sluice_runs=()
nginx_runs=()
for _ in $(seq "$rounds"); do
  sluice_runs+=("$(wrk_rps "$sluice_url" "$seconds")")
  nginx_runs+=("$(wrk_rps "$nginx_url" "$seconds")")
done
sluice_rps=$(printf '%s\n' "${sluice_runs[@]}" | best_of max)
nginx_rps=$(printf '%s\n' "${nginx_runs[@]}" | best_of max)
echo "runs: sluice ${sluice_runs[*]}; nginx ${nginx_runs[*]}" >&2
echo "delivery $sluice_rps $nginx_rps $size $workers"
