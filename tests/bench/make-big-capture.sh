#!/usr/bin/env bash
# make-big-capture.sh: writes a big capture of real HTTP traffic for the
# benchmarks, OUTSIDE the repository (the default is /tmp/pl-big.pcap).
#
#   tests/bench/make-big-capture.sh [OUT.pcap] [SIZE_MB] [few|many]   (as root)
#
# A private network namespace (lo MTU 1500, offloads off) runs nginx (or
# npm's http-server when nginx is absent) serving a few files; tcpdump writes
# the capture while curl, in a loop bounded by count and time, mixes
# keep-alive connections fetching several files, Range requests answered with
# 206, and short one-request connections, until the file reaches SIZE_MB
# (default 1024).  "few" (the default) gives a few hundred long streams per
# GB, the first of them over 100,000 frames long; "many" mostly short connections (one request each, closed, as a
# crawler or an old browser makes them): about 20,000 streams per GB.  Needs: iproute2 ethtool tcpdump curl nginx (or http-server).
set -euo pipefail

OUT=${1:-/tmp/pl-big.pcap}
SIZE_MB=${2:-1024}
MIX=${3:-few}
case "$MIX" in few|many) ;; *) echo "make-big-capture.sh: the mix is few or many, not $MIX" >&2; exit 2 ;; esac
NS=pl-bench-$$
WORK=$(mktemp -d)
PORT=8080
MAX_ROUNDS=200000
MAX_SECONDS=900

cleanup() {
  set +e
  [[ -n ${TCPDUMP_PID:-} ]] && kill -INT "$TCPDUMP_PID" 2>/dev/null && sleep 2
  [[ -n ${SERVER_PID:-} ]] && kill "$SERVER_PID" 2>/dev/null
  ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

[[ $(id -u) -eq 0 ]] || { echo "make-big-capture.sh: run as root (network namespace)" >&2; exit 1; }
case "$OUT" in
  "$(cd "$(dirname "$0")/../.." && pwd)"/*) echo "make-big-capture.sh: write outside the repository" >&2; exit 1 ;;
esac

# Files: a page, images of a few sizes, a "video" for Range requests.
# nginx workers run as www-data: the files must be readable by them.
chmod 755 "$WORK"
mkdir -p "$WORK/www"
{ echo '<!doctype html>'; for _ in $(seq 1 40); do echo '<p>Packet Ladder benchmark</p>'; done; } > "$WORK/www/index.html"
head -c 20000 /dev/urandom > "$WORK/www/small.jpg"
head -c 300000 /dev/urandom > "$WORK/www/logo.jpg"
head -c 1500000 /dev/urandom > "$WORK/www/photo.jpg"
head -c 8000000 /dev/urandom > "$WORK/www/video.mp4"

ip netns add "$NS"
ip -n "$NS" link set lo up mtu 1500
ip netns exec "$NS" ethtool -K lo gso off tso off gro off >/dev/null

if command -v nginx >/dev/null; then
  cat > "$WORK/nginx.conf" <<NGX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000;
  server { listen 127.0.0.1:$PORT; root $WORK/www; }
}
NGX
  ip netns exec "$NS" nginx -c "$WORK/nginx.conf" -g 'daemon off;' &
  SERVER_PID=$!
  SERVER="nginx $(nginx -v 2>&1 | sed 's/.*\///')"
else
  ip netns exec "$NS" http-server "$WORK/www" -a 127.0.0.1 -p "$PORT" -s -c-1 &
  SERVER_PID=$!
  SERVER="http-server"
fi
for _ in $(seq 1 100); do
  ip netns exec "$NS" curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.1
done

ip netns exec "$NS" tcpdump -i lo -s 0 -n -B 262144 -w "$OUT" "tcp port $PORT" 2>"$WORK/tcpdump.log" &
TCPDUMP_PID=$!
sleep 1

U="http://127.0.0.1:$PORT"
# One curl in the namespace; any failure ends the run (no spinning).
get() {
  ip netns exec "$NS" curl -sf "$@" >/dev/null 2>&1 ||
    { echo "make-big-capture.sh: curl $* failed" >&2; exit 1; }
}
limit=$((SIZE_MB * 1024 * 1024))
start=$SECONDS
for ((round = 0; round < MAX_ROUNDS; round++)); do
  size=$(stat -c %s "$OUT" 2>/dev/null || echo 0)
  (( size < limit )) || break
  (( SECONDS - start < MAX_SECONDS )) || { echo "make-big-capture.sh: time limit reached" >&2; break; }
  if [[ $MIX == many ]]; then
    # One connection per request: curl closes each when asked to.
    get -H 'Connection: close' -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
      -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
      -o /dev/null -o /dev/null \
      "$U/" "$U/" "$U/" "$U/" "$U/" "$U/" \
      "$U/small.jpg" "$U/small.jpg" "$U/small.jpg" "$U/small.jpg" "$U/small.jpg" "$U/small.jpg" \
      "$U/logo.jpg" "$U/logo.jpg"
    continue
  fi
  if (( round == 0 )); then
    # One long keep-alive connection: 20 downloads of the 8 MB file, over
    # 100,000 frames (the stream bench-ladder selects and scrolls).
    args=()
    for _ in $(seq 1 20); do args+=(-o /dev/null "$U/video.mp4"); done
    get "${args[@]}"
    continue
  fi
  case $((round % 4)) in
    0) get -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
         "$U/" "$U/small.jpg" "$U/logo.jpg" "$U/photo.jpg" ;;
    1) get -o /dev/null -r 0- "$U/video.mp4"
       get -o /dev/null -r 1000000-2999999 "$U/video.mp4" ;;
    2) for f in index.html small.jpg logo.jpg; do
         get -o /dev/null "$U/$f"
       done ;;
    3) get -o /dev/null -o /dev/null "$U/photo.jpg" "$U/video.mp4" ;;
  esac
done
sleep 2
kill -INT "$TCPDUMP_PID"
wait "$TCPDUMP_PID" 2>/dev/null || true
TCPDUMP_PID=
grep -E "captured|dropped" "$WORK/tcpdump.log" >&2 || true
echo "make-big-capture.sh: wrote $OUT ($(stat -c %s "$OUT") bytes) from $SERVER and curl, $round rounds ($MIX streams)" >&2
