#!/bin/bash
# make-sample.sh: regenerate the bundled sample capture data/samples/lab.pcap
# from real loopback traffic, plus data/samples/README.md (what is in it) and
# the served files tests/data/lab-logo.jpg and tests/data/lab-music.mp3 (later
# tests compare HTTP bodies extracted from the capture against them).
#
# Usage (as root, from anywhere; takes about 15 seconds):
#     sudo data/samples/make-sample.sh
#
# Needs: iproute2, ethtool, tcpdump, curl, tshark + capinfos (wireshark-common),
#        ImageMagick (convert), sox, lame, python3, and npm's http-server
#        (installed into a temporary prefix with npm if it is not on PATH;
#        python3 -m http.server is a last resort, but it cannot answer Range
#        requests, so the checks at the end then fail).
#        Debian 12: apt-get install iproute2 ethtool tcpdump curl tshark \
#                   imagemagick sox lame npm
#
# What it does: creates a private network namespace (only its loopback is
# used; nothing ever leaves it), sets lo to MTU 1500 with segmentation and
# receive offloads off so the capture shows real 1448-byte segments, serves a
# temporary directory with http-server on 127.0.0.1:8080, captures port 8080
# with tcpdump (classic pcap, Ethernet link type as Linux lo gives) while curl
#   1. fetches / and /logo.jpg on one keep-alive connection,
#   2. fetches /music.mp3 with "Range: bytes=0-" (206),
#   3. fetches /music.mp3 with "Range: bytes=20000-49999" (206),
# then checks the capture with tshark and writes the outputs.  Running it again
# replaces the outputs (the served files are made deterministically; the
# capture's timestamps, ports and sequence numbers change every run).  The
# namespace, the server, tcpdump and the temporary directory are removed on
# exit, also on failure.

# The check expressions are single-quoted on purpose: check() evals them.
# shellcheck disable=SC2016

set -euo pipefail

PORT=8080
ADDR=127.0.0.1
RANGE_MID=20000-49999

die() { echo "make-sample.sh: $*" >&2; exit 1; }
log() { echo "make-sample.sh: $*" >&2; }

# Stop one process we started, by pid: SIGINT/SIGTERM first, SIGKILL after a
# bounded wait.
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
# ---------------------------------------------------------------------------
inner() {
    local work=$1 _
    # globals: the EXIT trap runs after this function has returned
    server_pid='' tcpdump_pid=''
    # shellcheck disable=SC2317  # called by the trap
    inner_cleanup() {
        stop_pid "$tcpdump_pid" INT
        stop_pid "$server_pid" TERM
    }
    trap inner_cleanup EXIT
    trap 'exit 130' INT TERM

    ip link set lo up mtu 1500
    # Without this the kernel hands 64 KB super-segments to the capture.
    ethtool -K lo gso off tso off gro off >/dev/null
    # Checksum offload is "[fixed]" on lo on most kernels; try anyway so that
    # checksums are real where the kernel allows it.
    if ! ethtool -K lo tx off rx off >/dev/null 2>&1; then
        log "note: lo checksum offload could not be turned off (fixed); TCP checksums in the capture are partial"
    fi
    ethtool -k lo | grep -E '^(tx-checksumming|generic-segmentation-offload|tcp-segmentation-offload|generic-receive-offload):' \
        > "$work/offload.txt" || true

    # Start the server.
    local server_cmd
    read -r -a server_cmd < "$work/server.cmd"
    "${server_cmd[@]}" > "$work/server.log" 2>&1 &
    server_pid=$!
    # Wait for the listening socket without sending any traffic (bounded).
    for _ in $(seq 1 100); do
        ss -Hltn "sport = :$PORT" | grep -q . && break
        kill -0 "$server_pid" 2>/dev/null || die "server exited: $(cat "$work/server.log")"
        sleep 0.1
    done
    ss -Hltn "sport = :$PORT" | grep -q . || die "server did not listen on port $PORT"

    # Start the capture; -Z root keeps tcpdump from dropping to the tcpdump
    # user (which could not write into our private temporary directory).
    tcpdump -i lo -s 0 -n -U -Z root -w "$work/lab.pcap" "tcp port $PORT" \
        2> "$work/tcpdump.log" &
    tcpdump_pid=$!
    for _ in $(seq 1 100); do
        grep -q 'listening on' "$work/tcpdump.log" 2>/dev/null && break
        kill -0 "$tcpdump_pid" 2>/dev/null || die "tcpdump exited: $(cat "$work/tcpdump.log")"
        sleep 0.1
    done
    grep -q 'listening on' "$work/tcpdump.log" || die "tcpdump did not start"
    sleep 0.5

    local base="http://$ADDR:$PORT"
    mkdir -p "$work/got"
    # 1. / and /logo.jpg on one keep-alive connection (one curl, two URLs).
    timeout 30 curl -sS --fail --http1.1 \
        -o "$work/got/index.html" "$base/" \
        -o "$work/got/logo.jpg" "$base/logo.jpg"
    sleep 0.3
    # 2. the whole MP3 as a Range request (206).
    timeout 30 curl -sS --fail --http1.1 -r 0- \
        -o "$work/got/music-0-.mp3" "$base/music.mp3"
    sleep 0.3
    # 3. a middle range of the MP3 (206).
    timeout 30 curl -sS --fail --http1.1 -r "$RANGE_MID" \
        -o "$work/got/music-mid.mp3" "$base/music.mp3"

    # Let the last FIN/ACKs pass, then stop tcpdump with SIGINT so it flushes
    # and closes the file, and wait for it.  The wait must be longer than
    # libpcap's 1 s buffer timeout: on SIGINT tcpdump stops without reading a
    # TPACKET_V3 block the kernel has not handed over yet.
    sleep 2
    stop_pid "$tcpdump_pid" INT
    tcpdump_pid=''
    cat "$work/tcpdump.log" >&2
    grep -q '^0 packets dropped by kernel' "$work/tcpdump.log" || die "tcpdump dropped packets"
}

if [[ ${1:-} == --inner ]]; then
    inner "$2"
    exit 0
fi

# ---------------------------------------------------------------------------
# Outer part.
# ---------------------------------------------------------------------------
[[ $(id -u) -eq 0 ]] || die "must run as root (network namespace, capture)"
for t in ip ethtool tcpdump curl tshark capinfos sox lame python3 ss sha256sum timeout; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done
# /usr/bin/convert is ImageMagick's own; prefer it over wrappers on PATH.
CONVERT=${CONVERT:-$(command -v /usr/bin/convert || command -v convert || true)}
[[ -n $CONVERT ]] || die "missing tool: convert (ImageMagick)"

SCRIPT=$(readlink -f "$0")
SAMPLES_DIR=$(dirname "$SCRIPT")
TOP=$(readlink -f "$SAMPLES_DIR/../..")
TESTDATA=$TOP/tests/data
[[ -d $TESTDATA ]] || die "no tests/data next to data/samples ($TESTDATA)"

WORK=$(mktemp -d /tmp/pl-sample.XXXXXX)
chmod 755 "$WORK"
INNER_PID=''
NS=pl-sample-$$
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
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export LC_ALL=C
export WIRESHARK_CONFIG_DIR=$WORK/wireshark
mkdir -p "$WIRESHARK_CONFIG_DIR"

# --- the served files (deterministic) --------------------------------------
WWW=$WORK/www
mkdir -p "$WWW"
cat > "$WWW/index.html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Packet Ladder lab</title>
  <style>
    body { font-family: sans-serif; margin: 2em auto; max-width: 40em; }
    img { max-width: 100%; border: 1px solid #888; }
    code { background: #eee; padding: 0 .2em; }
  </style>
</head>
<body>
  <h1>Packet Ladder lab page</h1>
  <p>This page was served on <code>127.0.0.1:8080</code> while
     <code>tcpdump -i lo</code> was recording every segment.</p>
  <p>The picture below is about 300 KB, so it travels as about
     two hundred TCP segments of at most 1448 bytes each.</p>
  <img src="logo.jpg" alt="Packet Ladder logo" width="640" height="480">
  <p>The tone is fetched with HTTP Range requests:</p>
  <audio controls src="music.mp3">music.mp3</audio>
  <p>Open <code>lab.pcap</code> in Packet Ladder to see the ladder.</p>
</body>
</html>
EOF

# ~300 KB JPEG: a seeded plasma (so every run makes the same bytes) with
# text; the quality is the first, in a short fixed list, that reaches 290 KB.
for q in 89 90 91 92 93 94; do
    "$CONVERT" -seed 4242 -size 1280x960 plasma:fractal \
        -gravity center -pointsize 72 -fill white -stroke black -strokewidth 3 \
        -annotate 0 'Packet Ladder' \
        -pointsize 28 -strokewidth 1 -annotate +0+70 'lab.pcap sample logo' \
        -strip -sampling-factor 4:2:0 -quality "$q" "$WWW/logo.jpg"
    (( $(stat -c %s "$WWW/logo.jpg") >= 290000 )) && break
done
LOGO_SIZE=$(stat -c %s "$WWW/logo.jpg")
(( LOGO_SIZE >= 250000 && LOGO_SIZE <= 360000 )) || die "logo.jpg is $LOGO_SIZE bytes, not about 300 KB"

# A 6-second tone, 96 kbit/s MP3 (about 72 KB); -R makes sox repeatable.
sox -R -n -r 44100 -c 1 -b 16 "$WORK/tone.wav" synth 6 sine 440 fade 0.1 6 0.1 vol 0.5
lame --silent -b 96 --tt "Packet Ladder test tone" "$WORK/tone.wav" "$WWW/music.mp3"
MUSIC_SIZE=$(stat -c %s "$WWW/music.mp3")
(( MUSIC_SIZE > 50000 && MUSIC_SIZE < 150000 )) || die "music.mp3 is $MUSIC_SIZE bytes"

# --- the server --------------------------------------------------------------
HTTP_SERVER=$(command -v http-server || true)
if [[ -z $HTTP_SERVER ]]; then
    log "http-server not on PATH; installing it into a temporary npm prefix"
    if timeout 180 npm install --silent --no-audit --no-fund --prefix "$WORK/npm" http-server >&2; then
        HTTP_SERVER=$WORK/npm/node_modules/.bin/http-server
    fi
fi
if [[ -n $HTTP_SERVER && -x $HTTP_SERVER ]]; then
    SERVER_NAME="http-server $("$HTTP_SERVER" --version)"
    # -c-1: no caching headers; -d false: no directory listings; -s: quiet.
    echo "$HTTP_SERVER $WWW -a $ADDR -p $PORT -c-1 -d false -s" > "$WORK/server.cmd"
else
    log "warning: npm failed; falling back to python3 -m http.server (no Range support)"
    SERVER_NAME="python3 http.server $(python3 --version | cut -d' ' -f2)"
    echo "python3 -m http.server $PORT --bind $ADDR --directory $WWW" > "$WORK/server.cmd"
fi

# --- capture inside a private namespace --------------------------------------
ip netns add "$NS"
# In the background and waited for, so that a signal to this script runs the
# cleanup at once (bash defers traps while a foreground command runs).
timeout 120 ip netns exec "$NS" bash "$SCRIPT" --inner "$WORK" &
INNER_PID=$!
wait "$INNER_PID"
INNER_PID=''
ip netns del "$NS"

PCAP=$WORK/lab.pcap
[[ -s $PCAP ]] || die "no capture written"

# --- checks --------------------------------------------------------------------
fail=0
check() { if eval "$2"; then log "ok: $1"; else log "FAILED: $1"; fail=1; fi; }

sha() { sha256sum "$1" | cut -d' ' -f1; }
check "curl got index.html intact" '[[ $(sha "$WORK/got/index.html") == $(sha "$WWW/index.html") ]]'
check "curl got logo.jpg intact"  '[[ $(sha "$WORK/got/logo.jpg") == $(sha "$WWW/logo.jpg") ]]'
check "Range 0- body is the whole MP3" '[[ $(sha "$WORK/got/music-0-.mp3") == $(sha "$WWW/music.mp3") ]]'
mid_lo=${RANGE_MID%-*}; mid_hi=${RANGE_MID#*-}
check "Range $RANGE_MID body is that slice of the MP3" \
    '[[ $(sha "$WORK/got/music-mid.mp3") == $(tail -c +$((mid_lo + 1)) "$WWW/music.mp3" | head -c $((mid_hi - mid_lo + 1)) | sha256sum | cut -d" " -f1) ]]'

# tshark run as root says so on stderr every time; keep its stderr in a file.
TS=(ts -n -r "$PCAP" -o tcp.relative_sequence_numbers:TRUE
    -o 'uat:custom_http_header_fields:"Content-Range","HTTP Content-Range response header"')
ts() { tshark "$@" 2>> "$WORK/tshark.err"; }

ENCAP=$(capinfos -E -T -r "$PCAP" | cut -f2)
FTYPE=$(capinfos -t -T -r "$PCAP" | cut -f2)
FRAMES=$(capinfos -c -T -r "$PCAP" | cut -f2)
check "classic pcap ($FTYPE)" '[[ $FTYPE == pcap ]]'
check "Ethernet link type ($ENCAP)" '[[ $ENCAP == ether ]]'

STREAMS=$("${TS[@]}" -T fields -e tcp.stream | sort -un | wc -l)
check "3 TCP streams ($STREAMS)" '[[ $STREAMS -eq 3 ]]'

# Every stream: SYN, SYN/ACK, a FIN from each side, the last ACK, no RST.
"${TS[@]}" -T fields -E separator=/t -e tcp.stream -e tcp.srcport -e tcp.flags.syn \
    -e tcp.flags.ack -e tcp.flags.fin -e tcp.flags.reset > "$WORK/flags.tsv"
for s in $(seq 0 $((STREAMS - 1))); do
    check "stream $s: SYN, SYN/ACK, FIN both ways, last ACK, no RST" \
        "awk -F'\t' -v s=$s -v p=$PORT '
            \$1 == s && fin_srv == 1 && fin_cli == 1 && \$3 == 0 && \$5 == 0 && \$6 == 0 { closed = 1 }
            \$1 == s && \$3 == 1 && \$4 == 0 { syn++ }
            \$1 == s && \$3 == 1 && \$4 == 1 { synack++ }
            \$1 == s && \$5 == 1 && \$2 == p { fin_srv++ }
            \$1 == s && \$5 == 1 && \$2 != p { fin_cli++ }
            \$1 == s && \$6 == 1 { rst++ }
            END { exit !(syn == 1 && synack == 1 && fin_srv == 1 && fin_cli == 1 && rst == 0 && closed) }' '$WORK/flags.tsv'"
done

MAXLEN=$("${TS[@]}" -T fields -e tcp.len | sort -n | tail -n1)
check "largest TCP payload <= 1448 ($MAXLEN)" '[[ $MAXLEN -le 1448 ]]'
LOGO_SEGS=$("${TS[@]}" -Y 'http.response and http.content_type contains "jpeg"' -T fields -e tcp.segment.count)
check "logo response reassembled from about 200 segments ($LOGO_SEGS)" \
    '[[ $LOGO_SEGS -ge 180 && $LOGO_SEGS -le 240 ]]'
"${TS[@]}" -Y 'http.response.code == 206' -T fields -e http.header.Content-Range > "$WORK/cr.txt"
check "two 206 responses with Content-Range ($(paste -sd' ' "$WORK/cr.txt"))" \
    '[[ $(grep -c "^bytes " "$WORK/cr.txt") -eq 2 ]]'
mkdir -p "$WORK/objects"
"${TS[@]}" -q --export-objects "http,$WORK/objects" > /dev/null
check "tshark --export-objects gives back logo.jpg" '[[ $(sha "$WORK/objects/logo.jpg") == $(sha "$WWW/logo.jpg") ]]'

[[ $fail -eq 0 ]] || die "checks failed; outputs not written"

# --- outputs --------------------------------------------------------------------
install -m 644 "$PCAP" "$SAMPLES_DIR/lab.pcap"
install -m 644 "$WWW/logo.jpg" "$TESTDATA/lab-logo.jpg"
install -m 644 "$WWW/music.mp3" "$TESTDATA/lab-music.mp3"

HTTP_ROWS=$("${TS[@]}" -Y http -T fields -E separator=/t \
    -e frame.number -e tcp.stream -e http.request.method -e http.request.uri \
    -e http.request.line -e http.response.code -e http.content_length_header \
    -e http.header.Content-Range -e http.response_for.uri -e tcp.segment.count |
  awk -F'\t' '{
    if ($3 != "") {
        range = "";
        n = split($5, lines, ",");
        for (i = 1; i <= n; i++) if (lines[i] ~ /^Range:/) { range = lines[i]; sub(/\\r\\n$/, "", range) }
        printf "| %s | %s | request | `%s %s` | | | %s |\n", $1, $2, $3, $4, (range == "" ? "" : "`" range "`")
    } else {
        uri = $9; sub(/^http:\/\/[^\/]*/, "", uri);
        printf "| %s | %s | response | `%s` -> %s | %s | %s | %s |\n", $1, $2, uri, $6, $7, ($10 == "" ? 1 : $10), ($8 == "" ? "" : "`Content-Range: " $8 "`")
    }}')
STREAM_ROWS=$("${TS[@]}" -T fields -E separator=/t -e tcp.stream -e tcp.srcport -e tcp.dstport -e tcp.len |
  awk -F'\t' -v p=$PORT '{
    n[$1]++; if ($2 != p) { cport[$1] = $2; up[$1] += $4 } else { down[$1] += $4 } }
    END { for (s in n) printf "| %s | %s | %s | %s | %s |\n", s, cport[s], n[s], up[s], down[s] }' | sort -t'|' -k2n)
FIRST=$(TZ=UTC capinfos -a -T -r "$PCAP" | cut -f2)
FILESIZE=$(stat -c %s "$SAMPLES_DIR/lab.pcap")
INDEX_SIZE=$(stat -c %s "$WWW/index.html")
CHECKSUM_NOTE=$(grep '^tx-checksumming' "$WORK/offload.txt" || true)

cat > "$SAMPLES_DIR/README.md" <<EOF
# Sample capture: \`lab.pcap\`

\`lab.pcap\` is the capture Packet Ladder bundles as its sample: real loopback
traffic between curl and npm's http-server, recorded with tcpdump. It is made
by \`make-sample.sh\` in this folder (run it as root); this README is written by
the same script, so the numbers below always describe the file next to it.

## What is in it

| property | value |
| --- | --- |
| file format | classic pcap (libpcap), microsecond timestamps, written by \`tcpdump -w\` |
| link type | Ethernet (LINKTYPE_ETHERNET = 1), as Linux \`lo\` gives (all-zero MACs) |
| file size | $FILESIZE bytes |
| frames | $FRAMES (all TCP, IPv4, 127.0.0.1 <-> 127.0.0.1:$PORT) |
| TCP streams | $STREAMS, each with SYN, SYN/ACK, FIN both ways and the last ACK, no RST |
| largest TCP payload | $MAXLEN bytes (MTU 1500, timestamps option on: MSS 1460 - 12) |
| first frame | $FIRST UTC |

Streams (\`tcp.stream\` numbering, as Wireshark):

| stream | client port | frames | bytes client -> server | bytes server -> client |
| ---: | ---: | ---: | ---: | ---: |
$STREAM_ROWS

HTTP messages (frame = the frame that completes the message, as tshark; the
segment count is how many TCP segments tshark reassembled it from):

| frame | stream | kind | message | Content-Length | segments | range |
| ---: | ---: | --- | --- | ---: | ---: | --- |
$HTTP_ROWS

Stream 0 is one keep-alive connection (one curl with two URLs): \`GET /\`
then \`GET /logo.jpg\`; the logo response is cut into $LOGO_SEGS segments.
Streams 1 and 2 each fetch \`/music.mp3\` with a Range header
(\`bytes=0-\` and \`bytes=$RANGE_MID\`) and get \`206 Partial Content\`.
curl closes each connection when it exits (client FIN first).

## The served files

Later tests extract HTTP bodies from \`lab.pcap\` and compare them with these
(copies are committed as \`tests/data/lab-logo.jpg\` and \`tests/data/lab-music.mp3\`):

| file | size (bytes) | SHA-256 | made with |
| --- | ---: | --- | --- |
| \`index.html\` | $INDEX_SIZE | \`$(sha "$WWW/index.html")\` | a fixed $(wc -l < "$WWW/index.html")-line page in the script |
| \`logo.jpg\` | $LOGO_SIZE | \`$(sha "$WWW/logo.jpg")\` | ImageMagick: seeded \`plasma:fractal\` 1280x960 + text, quality $q |
| \`music.mp3\` | $MUSIC_SIZE | \`$(sha "$WWW/music.mp3")\` | sox (6 s, 440 Hz sine) + lame 96 kbit/s mono |

The body of the \`bytes=$RANGE_MID\` response is bytes $mid_lo..$mid_hi (inclusive,
counting from 0) of \`music.mp3\`: $((mid_hi - mid_lo + 1)) bytes.

## How it was made

\`make-sample.sh\`:

1. makes the three files above in a temporary directory;
2. creates a private network namespace and, inside it,
   \`ip link set lo up mtu 1500\` and \`ethtool -K lo gso off tso off gro off\`
   (also tries \`tx off rx off\`; on this kernel lo checksum offload is fixed:
   \`$CHECKSUM_NOTE\`, so the TCP checksums in the capture are the partial
   pseudo-header sums the kernel leaves for offload, not real ones; Wireshark
   does not verify them by default);
3. serves the directory with \`$SERVER_NAME\` on $ADDR:$PORT
   (\`-c-1 -d false\`);
4. runs \`tcpdump -i lo -s 0 -n -U -w lab.pcap 'tcp port $PORT'\`;
5. runs \`curl --http1.1 -o ... http://$ADDR:$PORT/ -o ... http://$ADDR:$PORT/logo.jpg\`,
   then \`curl -r 0- .../music.mp3\`, then \`curl -r $RANGE_MID .../music.mp3\`;
6. stops tcpdump with SIGINT, deletes the namespace, and checks the capture with
   tshark (link type, stream count, handshakes and FINs, segment sizes, the two
   206 responses, and that \`tshark --export-objects http\` gives back the logo).

Tool versions used for the current file:

- $(tcpdump --version 2>&1 | head -n1), $(tcpdump --version 2>&1 | sed -n 2p)
- $(curl --version | head -n1 | cut -d' ' -f1-2)
- $SERVER_NAME (Node.js $(node --version 2>/dev/null || echo '?'))
- $(tshark --version 2>/dev/null | head -n1)
- $("$CONVERT" -version | head -n1 | sed 's/^Version: //' | cut -d' ' -f1-3), $(sox --version | sed 's/^sox: *//'), $(lame --version | head -n1 | cut -d' ' -f1-4)
EOF

# tshark's reading of every frame, for the tshark-agree test.
"$SAMPLES_DIR/../../build-aux/tshark-reference.sh" "$SAMPLES_DIR/lab.pcap"

log "wrote $SAMPLES_DIR/lab.pcap ($FILESIZE bytes, $FRAMES frames, $STREAMS streams)"
log "wrote $SAMPLES_DIR/README.md, $TESTDATA/lab-logo.jpg, $TESTDATA/lab-music.mp3"
