#!/bin/bash
# make-fixtures.sh: regenerate our own real-traffic test captures in
# tests/data/, each with its tshark reference output <capture>.tshark.tsv,
# and tests/data/README.md (one row per capture).
#
# Usage (as root, from anywhere; takes about half a minute):
#     sudo tests/data/make-fixtures.sh
#
# Needs: iproute2, ethtool, tcpdump, dumpcap + tshark + capinfos + mergecap
#        (Debian: tshark, wireshark-common), curl, python3, ImageMagick
#        (convert) and npm's http-server (installed into a temporary npm
#        prefix when it is not on PATH).
#
# Every capture is made from real traffic on the loopback interface of a
# private network namespace that this script creates and deletes (nothing
# leaves it): lo at MTU 1500 with segmentation/receive offloads off, a static
# server (http-server; python3 -m http.server for nsec.pcap) serving a small
# page, a text file and a ~75 KB JPEG, and curl making a few GETs:
#
#   lo-mtu1500.pcap      tcpdump -i lo              Ethernet, IPv4
#   any-sll2.pcap        tcpdump -i any -y LINUX_SLL2   Linux cooked v2
#   ipv6.pcap            tcpdump -i lo, server on [::1]
#   macos-null.pcap      Ethernet capture of IPv4 + IPv6, rewritten by
#                        to-dlt-null.py as DLT_NULL (AF little-endian, 2/30)
#   loop-be.pcap         the same capture as DLT_LOOP (AF big-endian, 2/24)
#   lab.pcapng           dumpcap -i lo
#   mixed-links.pcapng   dumpcap -i lo (port 8080) -i any (port 8081):
#                        two interfaces, Ethernet and Linux cooked
#   nsec.pcap            tcpdump --time-stamp-precision nano, HTTP/1.0 server
#
# Running it again replaces every output.  The namespace, servers, captures
# and the temporary directory are removed on exit, also on failure.  Every
# wait is bounded; the whole run is bounded by timeouts well under 5 minutes.

# The check expressions are single-quoted on purpose: check() evals them.
# shellcheck disable=SC2016

set -euo pipefail

die() { echo "make-fixtures.sh: $*" >&2; exit 1; }
log() { echo "make-fixtures.sh: $*" >&2; }

# Stop one process we started, by pid: the given signal first, SIGKILL after
# a bounded wait.
stop_pid() {
    local pid=$1 sig=${2:-TERM} _
    [[ -n $pid ]] || return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -s "$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then kill -s KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------------------
# Inner part: runs inside the network namespace (ip netns exec ... --inner).
# Writes raw captures into $WORK/out/.
# ---------------------------------------------------------------------------
SERVER_PIDS=()
CAPTURE_PID=''

inner_cleanup() {
    local p
    stop_pid "$CAPTURE_PID" INT
    for p in "${SERVER_PIDS[@]}"; do stop_pid "$p" TERM; done
}

# wait_for DESCRIPTION PID COMMAND...: poll COMMAND every 0.1 s, at most 10 s,
# failing early if PID died.
wait_for() {
    local what=$1 pid=$2 _
    shift 2
    for _ in $(seq 1 100); do
        "$@" && return 0
        kill -0 "$pid" 2>/dev/null || die "$what: process exited"
        sleep 0.1
    done
    die "$what: timed out"
}

listening() { ss -Hltn "sport = :$1" | grep -q .; }

# start_server KIND ADDR PORT: KIND is http-server or python.
start_server() {
    local kind=$1 addr=$2 port=$3 pid
    case $kind in
        http-server)
            # -c-1: no caching headers; -d false: no directory listings; -s: quiet
            "$HTTP_SERVER" "$WWW" -a "$addr" -p "$port" -c-1 -d false -s \
                >> "$WORK/server.log" 2>&1 &
            ;;
        python)
            python3 -m http.server "$port" --bind "$addr" --directory "$WWW" \
                >> "$WORK/server.log" 2>&1 &
            ;;
        *) die "unknown server kind $kind" ;;
    esac
    pid=$!
    SERVER_PIDS+=("$pid")
    wait_for "server $kind on $addr:$port" "$pid" listening "$port"
}

stop_servers() {
    local p
    for p in "${SERVER_PIDS[@]}"; do stop_pid "$p" TERM; done
    SERVER_PIDS=()
}

# start_capture LOGWORD COMMAND...: run a capture program, wait until its
# stderr shows LOGWORD (tcpdump: "listening on", dumpcap: "Capturing on").
start_capture() {
    local word=$1
    shift
    : > "$WORK/capture.log"
    "$@" 2> "$WORK/capture.log" &
    CAPTURE_PID=$!
    wait_for "$1" "$CAPTURE_PID" grep -q "$word" "$WORK/capture.log"
    sleep 0.5
}

# Let the last FIN/ACKs pass, then SIGINT so the file is flushed and closed.
# The wait must be longer than libpcap's 1 s buffer timeout: on SIGINT a
# capture program stops without reading a TPACKET_V3 block the kernel has not
# handed over yet.  (--immediate-mode is no cure: on "any" it makes libpcap
# size every ring slot for the full 256 KB snaplen and the kernel drops most
# of a burst.)  Fail if the kernel dropped anything.
stop_capture() {
    sleep 2
    stop_pid "$CAPTURE_PID" INT
    CAPTURE_PID=''
    sed 's/^/    /' "$WORK/capture.log" >&2
    if grep -Eq '^[1-9][0-9]* packets dropped by kernel' "$WORK/capture.log" ||
       grep -Eq 'received/dropped on interface .*: [0-9]+/[1-9]' "$WORK/capture.log"; then
        die "the capture dropped packets"
    fi
}

# get URL...: one curl, one connection (keep-alive between the URLs); curl
# closes the connection when it exits.
get() {
    local args=() u
    for u in "$@"; do args+=(-o /dev/null "$u"); done
    timeout 20 curl -sS -g --http1.1 -w '      %{http_code} %{size_download} %{url_effective}\n' "${args[@]}" >&2
    sleep 0.2
}

# tcpdump: full frames, no name lookups, write each packet at once, stay root
# (the tcpdump user could not write in $WORK).
TD=(-s 0 -n -U -Z root)

inner() {
    trap inner_cleanup EXIT
    trap 'exit 130' INT TERM

    ip link set lo up mtu 1500
    ethtool -K lo gso off tso off gro off >/dev/null
    ethtool -K lo tx off rx off >/dev/null 2>&1 ||
        log "note: lo checksum offload is fixed on this kernel; TCP checksums are partial"

    local out=$WORK/out v4=http://127.0.0.1:8080 v6='http://[::1]:8080'
    mkdir -p "$out"

    log "lo-mtu1500.pcap"
    start_server http-server 127.0.0.1 8080
    start_capture 'listening on' tcpdump -i lo "${TD[@]}" -w "$out/lo-mtu1500.pcap" 'tcp port 8080'
    get "$v4/" "$v4/photo.jpg"
    get "$v4/notes.txt"
    get "$v4/missing.html"
    stop_capture

    log "any-sll2.pcap"
    start_capture 'listening on' tcpdump -i any -y LINUX_SLL2 "${TD[@]}" -w "$out/any-sll2.pcap" 'tcp port 8080'
    get "$v4/" "$v4/photo.jpg"
    get "$v4/notes.txt"
    stop_capture

    log "lab.pcapng"
    start_capture 'Capturing on' dumpcap -q -i lo -f 'tcp port 8080' -w "$out/lab.pcapng"
    get "$v4/" "$v4/photo.jpg"
    get "$v4/notes.txt"
    stop_capture

    log "mixed-links.pcapng"
    # Two interfaces, each with its own filter, so no packet is seen twice:
    # lo sees the port 8080 connection, any the port 8081 one.
    start_server http-server 127.0.0.1 8081
    if start_capture_try dumpcap -q -i lo -f 'tcp port 8080' -i any -f 'tcp port 8081' \
            -w "$out/mixed-links.pcapng"; then
        get "$v4/" "$v4/photo.jpg"
        get "http://127.0.0.1:8081/notes.txt" "http://127.0.0.1:8081/photo.jpg"
        stop_capture
    else
        # Fallback: one Ethernet and one cooked capture of the same traffic
        # pattern, merged by mergecap (which keeps both interfaces).
        log "dumpcap could not capture lo and any at once; using mergecap"
        start_capture 'listening on' tcpdump -i lo "${TD[@]}" -w "$out/mixed-a.pcap" 'tcp port 8080'
        get "$v4/" "$v4/photo.jpg"
        stop_capture
        start_capture 'listening on' tcpdump -i any -y LINUX_SLL "${TD[@]}" -w "$out/mixed-b.pcap" 'tcp port 8081'
        get "http://127.0.0.1:8081/notes.txt" "http://127.0.0.1:8081/photo.jpg"
        stop_capture
        mergecap -F pcapng -w "$out/mixed-links.pcapng" "$out/mixed-a.pcap" "$out/mixed-b.pcap"
        rm -f "$out/mixed-a.pcap" "$out/mixed-b.pcap"
    fi
    stop_servers

    log "ipv6.pcap"
    start_server http-server ::1 8080
    start_capture 'listening on' tcpdump -i lo "${TD[@]}" -w "$out/ipv6.pcap" 'tcp port 8080'
    get "$v6/" "$v6/photo.jpg"
    get "$v6/notes.txt"
    stop_capture
    stop_servers

    log "loopback-eth.pcap (source of macos-null.pcap and loop-be.pcap)"
    # One dual-stack server on [::]:8080: IPv4 clients appear as IPv4 on the wire.
    start_server http-server :: 8080
    start_capture 'listening on' tcpdump -i lo "${TD[@]}" -w "$out/loopback-eth.pcap" 'tcp port 8080'
    get "$v4/" "$v4/photo.jpg"
    get "$v6/notes.txt"
    stop_capture
    stop_servers

    log "nsec.pcap"
    # python3's http.server answers HTTP/1.0 and closes each connection
    # itself (and curl closes once it has the body: a race for the first FIN).
    start_server python 127.0.0.1 8080
    start_capture 'listening on' tcpdump -i lo "${TD[@]}" --time-stamp-precision nano \
        -w "$out/nsec.pcap" 'tcp port 8080'
    get "$v4/"
    get "$v4/photo.jpg"
    stop_capture
    stop_servers
}

# Like start_capture for dumpcap, but returns 1 instead of dying.
start_capture_try() {
    local _
    : > "$WORK/capture.log"
    "$@" 2> "$WORK/capture.log" &
    CAPTURE_PID=$!
    for _ in $(seq 1 100); do
        grep -q 'Capturing on' "$WORK/capture.log" && { sleep 0.5; return 0; }
        kill -0 "$CAPTURE_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$WORK/capture.log" >&2
    stop_pid "$CAPTURE_PID" INT
    CAPTURE_PID=''
    return 1
}

if [[ ${1:-} == --inner ]]; then
    WORK=$2 WWW=$2/www HTTP_SERVER=$3
    inner
    exit 0
fi

# ---------------------------------------------------------------------------
# Outer part.
# ---------------------------------------------------------------------------
[[ $(id -u) -eq 0 ]] || die "must run as root (network namespace, capture)"
for t in ip ethtool tcpdump dumpcap tshark capinfos mergecap curl python3 ss sha256sum timeout; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done
CONVERT=${CONVERT:-$(command -v /usr/bin/convert || command -v convert || true)}
[[ -n $CONVERT ]] || die "missing tool: convert (ImageMagick)"

SCRIPT=$(readlink -f "$0")
DATA=$(dirname "$SCRIPT")
WORK=$(mktemp -d /tmp/pl-fixtures.XXXXXX)
chmod 755 "$WORK"
INNER_PID=''
NS=pl-fixtures-$$
cleanup() {
    local rc=$? pid
    # timeout passes SIGTERM on to the inner script, which stops its own
    # server(s) and capture; whatever is left in the namespace is killed below.
    [[ -n ${INNER_PID:-} ]] && stop_pid "$INNER_PID" TERM
    if ip netns list 2>/dev/null | grep -qw "$NS"; then
        # Anything still running in our namespace was started by us.
        for pid in $(ip netns pids "$NS" 2>/dev/null); do
            kill -s KILL "$pid" 2>/dev/null || true
        done
        ip netns del "$NS" 2>/dev/null || true
    fi
    if [[ -n ${KEEP_WORK:-} ]]; then
        log "KEEP_WORK set: left $WORK in place"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export LC_ALL=C
# Ignore any personal Wireshark profile/preferences so results are reproducible.
export WIRESHARK_CONFIG_DIR=$WORK/wireshark
mkdir -p "$WIRESHARK_CONFIG_DIR"

# --- served files (deterministic) ---------------------------------------------
WWW=$WORK/www
mkdir -p "$WWW"
cat > "$WWW/index.html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Packet Ladder fixture</title></head>
<body>
  <h1>Packet Ladder test fixture</h1>
  <p>A small page, then <a href="photo.jpg">a photo</a> of a few dozen
     segments, on one keep-alive connection.</p>
  <img src="photo.jpg" alt="plasma" width="640" height="480">
</body>
</html>
EOF
cat > "$WWW/notes.txt" <<'EOF'
Packet Ladder fixture notes.
This short text file travels in a single TCP segment.
EOF
"$CONVERT" -seed 8080 -size 640x480 plasma:fractal -gravity center \
    -pointsize 48 -fill white -stroke black -strokewidth 2 -annotate 0 'Packet Ladder fixture' \
    -strip -sampling-factor 4:2:0 -quality 90 "$WWW/photo.jpg"
PHOTO_SIZE=$(stat -c %s "$WWW/photo.jpg")
(( PHOTO_SIZE >= 40000 && PHOTO_SIZE <= 110000 )) || die "photo.jpg is $PHOTO_SIZE bytes, not 50-100 KB"

HTTP_SERVER=$(command -v http-server || true)
if [[ -z $HTTP_SERVER ]]; then
    log "http-server not on PATH; installing it into a temporary npm prefix"
    timeout 180 npm install --silent --no-audit --no-fund --prefix "$WORK/npm" http-server >&2 ||
        die "npm install http-server failed"
    HTTP_SERVER=$WORK/npm/node_modules/.bin/http-server
fi

# --- captures inside a private namespace ----------------------------------------
ip netns add "$NS"
# In the background and waited for, so that a signal to this script runs the
# cleanup at once (bash defers traps while a foreground command runs).
timeout 200 ip netns exec "$NS" bash "$SCRIPT" --inner "$WORK" "$HTTP_SERVER" &
INNER_PID=$!
wait "$INNER_PID"
INNER_PID=''
ip netns del "$NS"

OUT=$WORK/out
python3 "$DATA/to-dlt-null.py" "$OUT/loopback-eth.pcap" "$OUT/macos-null.pcap"
python3 "$DATA/to-dlt-null.py" --loop "$OUT/loopback-eth.pcap" "$OUT/loop-be.pcap"
rm -f "$OUT/loopback-eth.pcap"

FIXTURES=(lo-mtu1500.pcap any-sll2.pcap ipv6.pcap macos-null.pcap loop-be.pcap
          lab.pcapng mixed-links.pcapng nsec.pcap)

# --- checks -----------------------------------------------------------------------
ts() { tshark "$@" 2>> "$WORK/tshark.err"; }
fail=0
check() { if eval "$2"; then log "ok: $1"; else log "FAILED: $1"; fail=1; fi; }

# Every stream: one SYN, one SYN/ACK, a FIN from each side, the last ACK,
# no RST.  Server ports are 8080 and 8081.
streams_complete() {
    ts -n -r "$1" -Y tcp -T fields -E separator=/t -e tcp.stream -e tcp.srcport \
        -e tcp.flags.syn -e tcp.flags.ack -e tcp.flags.fin -e tcp.flags.reset |
    awk -F'\t' '
        { seen[$1] = 1; srv = ($2 == 8080 || $2 == 8081) }
        $3 == 1 && $4 == 0 { syn[$1]++ }
        $3 == 1 && $4 == 1 { synack[$1]++ }
        # the final ACK of the teardown: ACK only, after both FINs
        fins[$1] == 1 && finc[$1] == 1 && $3 == 0 && $5 == 0 && $6 == 0 { closed[$1] = 1 }
        $5 == 1 && srv { fins[$1]++ }
        $5 == 1 && !srv { finc[$1]++ }
        $6 == 1 { rst[$1]++ }
        END {
            bad = 0
            for (s in seen)
                if (syn[s] != 1 || synack[s] != 1 || fins[s] != 1 || finc[s] != 1 || rst[s] != 0 || !closed[s]) {
                    print "stream " s " incomplete" > "/dev/stderr"; bad = 1
                }
            exit bad
        }'
}

declare -A ENCAP FTYPE FRAMES STREAMS SIZE
declare -A WANT_STREAMS=([lo-mtu1500.pcap]=3 [any-sll2.pcap]=2 [ipv6.pcap]=2
    [macos-null.pcap]=2 [loop-be.pcap]=2 [lab.pcapng]=2 [mixed-links.pcapng]=2 [nsec.pcap]=2)
for f in "${FIXTURES[@]}"; do
    p=$OUT/$f
    [[ -s $p ]] || die "$f was not written"
    ENCAP[$f]=$(capinfos -E -T -r "$p" | cut -f2)
    FTYPE[$f]=$(capinfos -t -T -r "$p" | cut -f2)
    FRAMES[$f]=$(capinfos -c -T -r "$p" | cut -f2)
    STREAMS[$f]=$(ts -n -r "$p" -Y tcp -T fields -e tcp.stream | sort -un | wc -l)
    SIZE[$f]=$(stat -c %s "$p")
    check "$f: ${FTYPE[$f]}, ${ENCAP[$f]}, ${FRAMES[$f]} frames, ${STREAMS[$f]} streams, ${SIZE[$f]} bytes" \
        '(( SIZE[$f] < 300000 ))'
    check "$f: every TCP stream has SYN, SYN/ACK, FIN both ways, last ACK, no RST" 'streams_complete "$p"'
    check "$f: ${WANT_STREAMS[$f]} TCP streams" '(( STREAMS[$f] == WANT_STREAMS[$f] ))'
    check "$f: largest TCP payload <= 1448" \
        '(( $(ts -n -r "$p" -Y tcp -T fields -e tcp.len | sort -n | tail -n1) <= 1448 ))'
    check "$f: the photo response was reassembled from many segments" \
        'n=$(ts -n -r "$p" -Y "http.content_type contains \"jpeg\"" -T fields -e tcp.segment.count | sort -n | tail -n1); (( ${n:-0} >= 20 ))'
done

check "lo-mtu1500.pcap is Ethernet, IPv4 only" \
    '[[ ${ENCAP[lo-mtu1500.pcap]} == ether && -z $(ts -n -r "$OUT/lo-mtu1500.pcap" -Y ipv6 -T fields -e frame.number) ]]'
check "lo-mtu1500.pcap has a 404" \
    '[[ -n $(ts -n -r "$OUT/lo-mtu1500.pcap" -Y "http.response.code == 404" -T fields -e frame.number) ]]'
check "any-sll2.pcap is Linux cooked v2 (${ENCAP[any-sll2.pcap]})" \
    '[[ ${ENCAP[any-sll2.pcap]} == linux-sll2 ]] && tcpdump -r "$OUT/any-sll2.pcap" -c 1 2>&1 | grep -q LINUX_SLL2'
check "ipv6.pcap is all IPv6 over ::1" \
    '[[ $(ts -n -r "$OUT/ipv6.pcap" -Y "ipv6.src == ::1 && tcp" -T fields -e frame.number | wc -l) -eq ${FRAMES[ipv6.pcap]} ]]'
for f in macos-null.pcap loop-be.pcap; do
    check "$f has IPv4 and IPv6 frames and nothing else" \
        '[[ $(ts -n -r "$OUT/$f" -Y "ip" -T fields -e frame.number | wc -l) -gt 0 &&
            $(ts -n -r "$OUT/$f" -Y "ipv6" -T fields -e frame.number | wc -l) -gt 0 &&
            $(ts -n -r "$OUT/$f" -Y "ip || ipv6" -T fields -e frame.number | wc -l) -eq ${FRAMES[$f]} ]]'
done
check "macos-null.pcap is DLT_NULL (${ENCAP[macos-null.pcap]}) with AF 2 and 30" \
    '[[ ${ENCAP[macos-null.pcap]} == null &&
        $(ts -n -r "$OUT/macos-null.pcap" -T fields -e null.family | sort -un | paste -sd,) == 2,30 ]]'
check "loop-be.pcap is DLT_LOOP (${ENCAP[loop-be.pcap]}) with AF 2 and 24" \
    '[[ ${ENCAP[loop-be.pcap]} == loop &&
        $(ts -n -r "$OUT/loop-be.pcap" -T fields -e null.family | sort -un | paste -sd,) == 2,24 ]]'
check "lab.pcapng is pcapng with one Ethernet interface" \
    '[[ ${FTYPE[lab.pcapng]} == pcapng && ${ENCAP[lab.pcapng]} == ether &&
        $(ts -n -r "$OUT/lab.pcapng" -T fields -e frame.interface_id | sort -u | paste -sd,) == 0 ]]'
MIXED_IFS=$(ts -n -r "$OUT/mixed-links.pcapng" -T fields -E separator=: -e frame.interface_id -e frame.encap_type | sort -u | paste -sd' ')
check "mixed-links.pcapng has two interfaces of different link types ($MIXED_IFS)" \
    '[[ ${FTYPE[mixed-links.pcapng]} == pcapng && $(wc -w <<< "$MIXED_IFS") -eq 2 &&
        $(tr " " "\n" <<< "$MIXED_IFS" | cut -d: -f2 | sort -u | wc -l) -eq 2 ]]'
check "nsec.pcap has nanosecond timestamps (${FTYPE[nsec.pcap]})" \
    '[[ ${FTYPE[nsec.pcap]} == nsecpcap ]]'
# python3's http.server closes each connection after its response, and curl
# closes once it has the whole body: which FIN comes first is a race, so it is
# reported, not checked.
NSEC_FIRST_FIN=$(ts -n -r "$OUT/nsec.pcap" -Y "tcp.flags.fin == 1" -T fields -e tcp.stream -e tcp.srcport |
    awk '!seen[$1]++ { printf "%sstream %s: %s", sep, $1, ($2 == 8080 ? "server" : "client"); sep = ", " }')
log "nsec.pcap: first FIN per stream: $NSEC_FIRST_FIN"
TOTAL=0
for f in "${FIXTURES[@]}"; do TOTAL=$((TOTAL + SIZE[$f])); done
check "total size $TOTAL bytes < 2 MB" '(( TOTAL < 2000000 ))'

[[ $fail -eq 0 ]] || die "checks failed; outputs not written"

# --- reference outputs --------------------------------------------------------------
# build-aux/tshark-reference.sh holds the tshark command line of
# ../shared/pcaps/make-reference.sh, so the same comparison test runs on these.
ref() { "$DATA/../../build-aux/tshark-reference.sh" "$1"; }

declare -A WHAT HOW
WHAT[lo-mtu1500.pcap]='IPv4 on Linux lo at MTU 1500: keep-alive (`/` + `/photo.jpg`), a one-segment text file, a 404'
HOW[lo-mtu1500.pcap]='`tcpdump -i lo -s 0 -w`, http-server on 127.0.0.1:8080'
WHAT[any-sll2.pcap]='Linux cooked capture v2 header (20 bytes, interface index, packet type); keep-alive + one more connection'
HOW[any-sll2.pcap]='`tcpdump -i any -y LINUX_SLL2 -s 0 -w` (tcpdump 4.99 defaults to SLL v1 for any), http-server'
WHAT[ipv6.pcap]='TCP over IPv6 (`::1`), MSS 1440 so 1428-byte segments; keep-alive + one more connection'
HOW[ipv6.pcap]="\`tcpdump -i lo\`, http-server on ::1:8080, \`curl -g 'http://[::1]:8080/...'\`"
WHAT[macos-null.pcap]='BSD loopback header as macOS lo0 writes it: 4-byte AF in host (little-endian) order, AF_INET 2 / AF_INET6 30; IPv4 and IPv6 streams'
HOW[macos-null.pcap]='`tcpdump -i lo` of IPv4 + IPv6 traffic (http-server on [::]:8080), rewritten by `to-dlt-null.py`'
WHAT[loop-be.pcap]='OpenBSD loopback header: 4-byte AF in network (big-endian) order, AF_INET 2 / AF_INET6 24; same frames as macos-null.pcap'
HOW[loop-be.pcap]='the same Ethernet capture, rewritten by `to-dlt-null.py --loop`'
WHAT[lab.pcapng]='pcapng (SHB, one IDB, EPBs) from a single interface; keep-alive + one more connection'
HOW[lab.pcapng]="\`dumpcap -i lo -f 'tcp port 8080' -w\`, http-server"
WHAT[mixed-links.pcapng]='pcapng with two IDBs of different link types (interface 0 lo, Ethernet; interface 1 any, Linux cooked), frames of both interleaved; one stream on each'
HOW[mixed-links.pcapng]="\`dumpcap -i lo -f 'tcp port 8080' -i any -f 'tcp port 8081' -w\` (per-interface filters so no packet is seen twice), http-server on 8080 and 8081"
WHAT[nsec.pcap]="nanosecond-precision classic pcap (magic a1b23c4d); HTTP/1.0 responses without keep-alive, one GET per connection, both sides close at once (first FIN: $NSEC_FIRST_FIN)"
HOW[nsec.pcap]='`tcpdump --time-stamp-precision nano -s 0 -w`, `python3 -m http.server` on 127.0.0.1:8080'

for f in "${FIXTURES[@]}"; do
    rm -f "$DATA/$f" "$DATA/$f.tshark.tsv"
    install -m 644 "$OUT/$f" "$DATA/$f"    # dumpcap creates its files 0600
    ( cd "$DATA" && ref "$f" )
done

{
cat <<'EOF'
# Test fixtures: our own real-traffic captures

Every capture here was made from real loopback traffic by `make-fixtures.sh`
(run it as root; it writes this README too, so the numbers below describe the
files next to it). None comes from `../shared/pcaps/`. Each capture has a
tshark reference `<capture>.tshark.tsv` made with exactly the tshark command
line (options, fields, order) of `../shared/pcaps/make-reference.sh`, so the
corpus comparison test runs on these files too.

How: a private network namespace (nothing leaves it), `lo` up at MTU 1500 with
`ethtool -K lo gso off tso off gro off` (so segments are at most MSS, 1448
bytes over IPv4 and 1428 over IPv6), a static server serving `index.html`
(small page), `notes.txt` (one segment) and `photo.jpg` (a seeded ImageMagick
plasma JPEG, PHOTO_SIZE bytes, a few dozen segments), and one `curl --http1.1`
per connection (several URLs in one curl share a keep-alive connection; curl
closes the connection when it exits, so every stream ends with FIN both ways).
Checksum offload on `lo` is fixed on, so TCP checksums are the partial sums
the kernel leaves for offload, not verifiable ones.

| file | what it exercises | link type | frames | TCP streams | bytes | how made |
| --- | --- | --- | ---: | ---: | ---: | --- |
EOF
for f in "${FIXTURES[@]}"; do
    case ${ENCAP[$f]} in
        ether) lt='Ethernet (1)' ;;
        linux-sll2) lt='Linux cooked v2 (276)' ;;
        null) lt='BSD loopback, DLT_NULL (0)' ;;
        loop) lt='OpenBSD loopback, DLT_LOOP (108)' ;;
        per-packet) lt="per interface: $(sed -e 's/0:1/#0 Ethernet (1),/' -e 's/1:25/#1 Linux cooked v1 (113)/' -e 's/1:210/#1 Linux cooked v2 (276)/' <<< "$MIXED_IFS")" ;;
        *) lt=${ENCAP[$f]} ;;
    esac
    echo "| \`$f\` | ${WHAT[$f]} | $lt | ${FRAMES[$f]} | ${STREAMS[$f]} | ${SIZE[$f]} | ${HOW[$f]} |"
done
cat <<'EOF'

Other files:

| file | what |
| --- | --- |
| `*.tshark.tsv` | tshark reference output for each capture (see `../shared/pcaps/MANIFEST.md` for the columns) |
| `lab-logo.jpg` | the logo served while `data/samples/lab.pcap` was captured (made by `data/samples/make-sample.sh`; the SHA-256 of every file served is in `data/samples/lab-served.sha256`); tests compare bodies extracted from that capture with them |
| `lab-music.mp3` | the 72,993-byte MP3 `make-http-fixtures.sh` serves (the earlier sample's; the sample's own 3,365,242-byte MP3 is not committed, only its SHA-256) |
| `make-fixtures.sh` | makes every capture above, its `.tshark.tsv` and this README |
| `to-dlt-null.py` | rewrites an Ethernet classic pcap as DLT_NULL (`macos-null.pcap`) or DLT_LOOP (`--loop`, `loop-be.pcap`) |

Tool versions used for the current files:

EOF
echo "- $(tcpdump --version 2>&1 | head -n1), $(tcpdump --version 2>&1 | sed -n 2p)"
echo "- $(dumpcap --version 2>/dev/null | head -n1)"
echo "- $(curl --version | head -n1 | cut -d' ' -f1-2)"
echo "- http-server $("$HTTP_SERVER" --version) (Node.js $(node --version 2>/dev/null || echo '?')); Python $(python3 --version | cut -d' ' -f2) http.server"
echo "- $(tshark --version 2>/dev/null | head -n1)"
} | sed "s/PHOTO_SIZE/$PHOTO_SIZE/" > "$DATA/README.md"

log "wrote ${#FIXTURES[@]} captures ($TOTAL bytes), their .tshark.tsv and README.md in $DATA"
