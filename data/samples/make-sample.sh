#!/bin/bash
# make-sample.sh: regenerate the bundled sample capture data/samples/lab.pcap
# from real loopback traffic, plus data/samples/README.md (what is in it),
# data/samples/lab-served.sha256 (the SHA-256 of every file served, which
# tests compare the bodies extracted from the capture with) and
# tests/data/lab-logo.jpg (the logo itself).
#
# The capture is the networking lab our users reproduce: npm's http-server on
# 127.0.0.1:8080, `tcpdump -i lo0 -w lab.pcap 'tcp port 8080'` on macOS (BSD
# loopback framing, DLT_NULL; lo0's MTU 16384, so MSS 16344), and a browser
# loading a page, its ~300 KB logo and an MP3 by two Range requests, all on
# one keep-alive connection that the server closes after its keep-alive
# timeout.
#
# Usage (as root, from anywhere; takes about 30 seconds):
#     sudo data/samples/make-sample.sh
#
# Needs: iproute2, ethtool, tcpdump, tshark + capinfos (wireshark-common),
#        ImageMagick (convert), sox, lame, python3, and npm's http-server
#        (installed into a temporary prefix with npm if it is not on PATH).
#        Debian 12: apt-get install iproute2 ethtool tcpdump tshark \
#                   imagemagick sox lame npm
#
# What it does: creates a private network namespace (only its loopback is
# used; nothing ever leaves it), sets lo to MTU 16384 (lo0's on macOS) with
# segmentation and receive offloads off so the capture shows real segments of
# at most 16344 - 12 bytes, serves a temporary directory with http-server on
# 127.0.0.1:8080, captures with tcpdump and the lab's filter 'tcp port 8080'
# while lab-client.py (beside this script) does what the browser did, on ONE
# connection with a browser's headers:
#   1. GET / (200), 2. GET /logo.jpg (200, many segments),
#   3. GET /music.mp3 with "Range: bytes=0-1" (206),
#   4. GET /music.mp3 with "Range: bytes=0-3365241" (206, the whole file),
# then leaves the connection idle until http-server closes it (Node's
# "Keep-Alive: timeout=5": the server's FIN comes first).  Linux lo gives
# Ethernet framing; to-dlt-null.py (tests/data) rewrites each frame's 14-byte
# Ethernet header as the 4-byte BSD loopback header macOS writes (AF_INET = 2,
# little-endian), which is all that differs.  Then it checks the capture with
# tshark and writes the outputs.  Running it again replaces the outputs (the
# served files are made deterministically; the capture's timestamps, ports
# and sequence numbers change every run).  The namespace, the server, tcpdump
# and the temporary directory are removed on exit, also on failure.

# The check expressions are single-quoted on purpose: check() evals them.
# shellcheck disable=SC2016

set -euo pipefail

PORT=8080
ADDR=127.0.0.1
MTU=16384
# The lab's MP3: Range bytes=0-3365241 of a 3,365,242-byte file.
MUSIC_SIZE=3365242

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

    ip link set lo up mtu "$MTU"
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

    mkdir -p "$work/got"
    # The browser: four requests on one keep-alive connection, then idle
    # until the server closes it (bounded inside the client: 20 s).
    timeout 60 python3 "$SAMPLES_DIR/lab-client.py" "$ADDR" "$PORT" "$work/got" "$MUSIC_SIZE"

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
    SAMPLES_DIR=$(dirname "$(readlink -f "$0")")
    inner "$2"
    exit 0
fi

# ---------------------------------------------------------------------------
# Outer part.
# ---------------------------------------------------------------------------
[[ $(id -u) -eq 0 ]] || die "must run as root (network namespace, capture)"
for t in ip ethtool tcpdump tshark capinfos sox lame python3 ss sha256sum timeout; do
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
NS=pl13-sample-$$
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
     <code>tcpdump -i lo0</code> was recording every segment.</p>
  <p>The picture below is about 300 KB, so it travels as about
     twenty TCP segments of at most 16332 bytes each (lo0's MTU is 16384).</p>
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

# The MP3, exactly MUSIC_SIZE bytes: 210 s of a 440 Hz tone at 128 kbit/s
# mono (-R makes sox repeatable), then made up to the exact size with the
# padding of its ID3v2 tag (lame --pad-id3v2-size), which players skip.
sox -R -n -r 44100 -c 1 -b 16 "$WORK/tone.wav" synth 210 sine 440 vol 0.4
lame --silent -b 128 --tt "Packet Ladder test tone" --pad-id3v2-size 0 "$WORK/tone.wav" "$WORK/bare.mp3"
BARE=$(stat -c %s "$WORK/bare.mp3")
(( BARE <= MUSIC_SIZE )) || die "the encoded MP3 is $BARE bytes, more than $MUSIC_SIZE"
lame --silent -b 128 --tt "Packet Ladder test tone" --pad-id3v2-size $((MUSIC_SIZE - BARE)) \
    "$WORK/tone.wav" "$WWW/music.mp3"
[[ $(stat -c %s "$WWW/music.mp3") -eq $MUSIC_SIZE ]] || die "music.mp3 is $(stat -c %s "$WWW/music.mp3") bytes, not $MUSIC_SIZE"

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

[[ -s $WORK/lab.pcap ]] || die "no capture written"
# Linux lo gives Ethernet framing; macOS lo0 gives DLT_NULL.  Only the link
# header differs: rewrite it as macOS writes it.
python3 "$TESTDATA/to-dlt-null.py" "$WORK/lab.pcap" "$WORK/lab-null.pcap"
PCAP=$WORK/lab-null.pcap

# --- checks --------------------------------------------------------------------
fail=0
check() { if eval "$2"; then log "ok: $1"; else log "FAILED: $1"; fail=1; fi; }

sha() { sha256sum "$1" | cut -d' ' -f1; }
check "the client got index.html intact" '[[ $(sha "$WORK/got/index.html") == $(sha "$WWW/index.html") ]]'
check "the client got logo.jpg intact"  '[[ $(sha "$WORK/got/logo.jpg") == $(sha "$WWW/logo.jpg") ]]'
check "Range bytes=0-1 body is the MP3's first two bytes" \
    '[[ $(sha "$WORK/got/music-0-1.mp3") == $(head -c 2 "$WWW/music.mp3" | sha256sum | cut -d" " -f1) ]]'
check "Range bytes=0-$((MUSIC_SIZE - 1)) body is the whole MP3" '[[ $(sha "$WORK/got/music-full.mp3") == $(sha "$WWW/music.mp3") ]]'

# tshark run as root says so on stderr every time; keep its stderr in a file.
TS=(ts -n -r "$PCAP" -o tcp.relative_sequence_numbers:TRUE
    -o 'uat:custom_http_header_fields:"Content-Range","HTTP Content-Range response header"')
ts() { tshark "$@" 2>> "$WORK/tshark.err"; }

ENCAP=$(capinfos -E -T -r "$PCAP" | cut -f2)
FTYPE=$(capinfos -t -T -r "$PCAP" | cut -f2)
FRAMES=$(capinfos -c -T -r "$PCAP" | cut -f2)
check "classic pcap ($FTYPE)" '[[ $FTYPE == pcap ]]'
check "BSD loopback link type, DLT_NULL ($ENCAP)" '[[ $ENCAP == null ]]'

STREAMS=$("${TS[@]}" -T fields -e tcp.stream | sort -un | wc -l)
check "one TCP stream ($STREAMS)" '[[ $STREAMS -eq 1 ]]'
SYN_MSS=$("${TS[@]}" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' -T fields -e tcp.options.mss_val)
check "the SYN offers MSS 16344 ($SYN_MSS)" '[[ $SYN_MSS == 16344 ]]'
NREQ=$("${TS[@]}" -Y http.request -T fields -e tcp.stream | sort -u | wc -l)
NREQS=$("${TS[@]}" -Y http.request -T fields -e frame.number | wc -l)
check "four requests on one stream ($NREQS on $NREQ)" '[[ $NREQ -eq 1 && $NREQS -eq 4 ]]'

# SYN, SYN/ACK, a FIN from each side, the last ACK, no RST.
"${TS[@]}" -T fields -E separator=/t -e tcp.stream -e tcp.srcport -e tcp.flags.syn \
    -e tcp.flags.ack -e tcp.flags.fin -e tcp.flags.reset > "$WORK/flags.tsv"
check "SYN, SYN/ACK, FIN both ways, last ACK, no RST" \
    "awk -F'\t' -v p=$PORT '
        fin_srv == 1 && fin_cli == 1 && \$3 == 0 && \$5 == 0 && \$6 == 0 { closed = 1 }
        \$3 == 1 && \$4 == 0 { syn++ }
        \$3 == 1 && \$4 == 1 { synack++ }
        \$5 == 1 && \$2 == p { fin_srv++ }
        \$5 == 1 && \$2 != p { fin_cli++ }
        \$6 == 1 { rst++ }
        END { exit !(syn == 1 && synack == 1 && fin_srv == 1 && fin_cli == 1 && rst == 0 && closed) }' '$WORK/flags.tsv'"
FIRST_FIN_PORT=$("${TS[@]}" -Y 'tcp.flags.fin == 1' -T fields -e tcp.srcport | head -n1)
check "the first FIN is from port $PORT, the server's active close ($FIRST_FIN_PORT)" '[[ $FIRST_FIN_PORT == "$PORT" ]]'
KEEPALIVE=$("${TS[@]}" -Y http.response -T fields -e http.response.line | grep -o 'Keep-Alive: timeout=[0-9]*' | sort -u | paste -sd' ')
check "the server announced its keep-alive timeout ($KEEPALIVE)" '[[ $KEEPALIVE == "Keep-Alive: timeout=5" ]]'
IDLE=$("${TS[@]}" -T fields -e frame.time_relative -e tcp.flags.fin | awk -F'\t' '$2 == 1 { print $1 - prev; exit } { prev = $1 }')
check "the server closed after about 5 s idle ($IDLE s)" 'awk -v i="$IDLE" "BEGIN { exit !(i >= 4.5 && i <= 6.5) }"'

MAXLEN=$("${TS[@]}" -T fields -e tcp.len | sort -n | tail -n1)
check "largest TCP payload <= 16332 ($MAXLEN)" '[[ $MAXLEN -le 16332 && $MAXLEN -gt 1448 ]]'
LOGO_SEGS=$("${TS[@]}" -Y 'http.response and http.content_type contains "jpeg"' -T fields -e tcp.segment.count)
check "logo response in many segments ($LOGO_SEGS)" '[[ $LOGO_SEGS -ge 10 && $LOGO_SEGS -le 40 ]]'
"${TS[@]}" -Y 'http.response.code == 206' -T fields -e http.header.Content-Range > "$WORK/cr.txt"
check "two 206 responses: bytes 0-1 and bytes 0-$((MUSIC_SIZE - 1)) of $MUSIC_SIZE ($(paste -sd' ' "$WORK/cr.txt"))" \
    '[[ $(paste -sd"|" "$WORK/cr.txt") == "bytes 0-1/$MUSIC_SIZE|bytes 0-$((MUSIC_SIZE - 1))/$MUSIC_SIZE" ]]'
mkdir -p "$WORK/objects"
"${TS[@]}" -q --export-objects "http,$WORK/objects" > /dev/null
check "tshark --export-objects gives back logo.jpg" '[[ $(sha "$WORK/objects/logo.jpg") == $(sha "$WWW/logo.jpg") ]]'

[[ $fail -eq 0 ]] || die "checks failed; outputs not written"

# --- outputs --------------------------------------------------------------------
install -m 644 "$PCAP" "$SAMPLES_DIR/lab.pcap"
install -m 644 "$WWW/logo.jpg" "$TESTDATA/lab-logo.jpg"
(cd "$WWW" && sha256sum index.html logo.jpg music.mp3) > "$SAMPLES_DIR/lab-served.sha256"

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
read -r CPORT C2S S2C < <("${TS[@]}" -T fields -E separator=/t -e tcp.srcport -e tcp.len |
  awk -F'\t' -v p=$PORT '{ if ($1 != p) { cport = $1; up += $2 } else { down += $2 } } END { print cport, up, down }')
FIN_FRAMES=$("${TS[@]}" -Y 'tcp.flags.fin == 1' -T fields -e frame.number -e tcp.srcport | awk '{ printf "%s%s (from port %s)", (NR > 1 ? ", " : ""), $1, $2 }')
FIRST=$(TZ=UTC capinfos -a -T -r "$PCAP" | cut -f2)
FILESIZE=$(stat -c %s "$SAMPLES_DIR/lab.pcap")
INDEX_SIZE=$(stat -c %s "$WWW/index.html")
CHECKSUM_NOTE=$(grep '^tx-checksumming' "$WORK/offload.txt" || true)

cat > "$SAMPLES_DIR/README.md" <<EOF
# Sample capture: \`lab.pcap\`

\`lab.pcap\` is the capture Packet Ladder bundles as its sample: the
networking lab our users reproduce, from real traffic.  A browser loads a
page from npm's http-server on 127.0.0.1:$PORT, its logo, and an MP3 by two
Range requests, all on one keep-alive connection, which the server closes
after its keep-alive timeout; \`tcpdump -i lo0 -w lab.pcap 'tcp port $PORT'\`
on macOS records it.  It is made by \`make-sample.sh\` in this folder (run it
as root); this README is written by the same script, so the numbers below
always describe the file next to it.

## What is in it

| property | value |
| --- | --- |
| file format | classic pcap (libpcap), microsecond timestamps |
| link type | BSD loopback (LINKTYPE_NULL = 0), as macOS writes for \`lo0\`: a 4-byte address family (AF_INET = 2, little-endian) before each IPv4 packet |
| file size | $FILESIZE bytes |
| frames | $FRAMES (all TCP, IPv4, 127.0.0.1:$CPORT <-> 127.0.0.1:$PORT) |
| TCP streams | $STREAMS: SYN, SYN/ACK, four requests and responses, FIN both ways (the server's first) and the last ACK, no RST |
| MSS | 16344 in the SYN (lo MTU 16384 - 40) |
| largest TCP payload | $MAXLEN bytes (MSS 16344 - 12 bytes of the timestamps option) |
| bytes client -> server / server -> client | $C2S / $S2C |
| FIN frames | $FIN_FRAMES |
| first frame | $FIRST UTC |

HTTP messages (frame = the frame that completes the message, as tshark; the
segment count is how many TCP segments tshark reassembled it from):

| frame | stream | kind | message | Content-Length | segments | range |
| ---: | ---: | --- | --- | ---: | ---: | --- |
$HTTP_ROWS

The client sends a browser's headers (\`User-Agent\` of Chrome on macOS,
\`Accept\`, \`Accept-Encoding\`, \`Accept-Language\`, \`Connection: keep-alive\`,
\`Referer\`) and asks for each URL only when the previous response is in.
http-server answers \`Connection: keep-alive\` with \`Keep-Alive: timeout=5\`;
the client then leaves the connection idle, and about 5 s after the last
response the server closes it (active close: the server goes through
FIN_WAIT and TIME_WAIT), and the client answers with its own FIN.

## The served files

Their SHA-256 are in \`lab-served.sha256\` (tests compare the bodies they
extract from \`lab.pcap\` with them); a copy of the logo is committed as
\`tests/data/lab-logo.jpg\`.

| file | size (bytes) | SHA-256 | made with |
| --- | ---: | --- | --- |
| \`index.html\` | $INDEX_SIZE | \`$(sha "$WWW/index.html")\` | a fixed $(wc -l < "$WWW/index.html")-line page in the script |
| \`logo.jpg\` | $LOGO_SIZE | \`$(sha "$WWW/logo.jpg")\` | ImageMagick: seeded \`plasma:fractal\` 1280x960 + text, quality $q |
| \`music.mp3\` | $MUSIC_SIZE | \`$(sha "$WWW/music.mp3")\` | sox (210 s, 440 Hz sine) + lame 128 kbit/s mono, ID3v2 padding up to $MUSIC_SIZE bytes |

## How it was made

\`make-sample.sh\`:

1. makes the three files above in a temporary directory;
2. creates a private network namespace and, inside it,
   \`ip link set lo up mtu $MTU\` and \`ethtool -K lo gso off tso off gro off\`
   (also tries \`tx off rx off\`; on this kernel lo checksum offload is fixed:
   \`$CHECKSUM_NOTE\`, so the TCP checksums in the capture are the partial
   pseudo-header sums the kernel leaves for offload, not real ones, as on
   macOS lo0; Wireshark does not verify them by default);
3. serves the directory with \`$SERVER_NAME\` on $ADDR:$PORT
   (\`-c-1 -d false\`);
4. runs \`tcpdump -i lo -s 0 -n -U -w lab.pcap 'tcp port $PORT'\`;
5. runs \`lab-client.py\`: the four requests on one connection, then idle
   until the server closes it;
6. stops tcpdump with SIGINT, deletes the namespace, rewrites the Ethernet
   framing Linux gives as macOS's \`DLT_NULL\` (\`tests/data/to-dlt-null.py\`),
   and checks the capture with tshark (link type, MSS, one stream with four
   requests, the two 206 responses and their ranges, the server's FIN first
   after about 5 s idle, and that \`tshark --export-objects http\` gives back
   the logo).

Tool versions used for the current file:

- $(tcpdump --version 2>&1 | head -n1), $(tcpdump --version 2>&1 | sed -n 2p)
- $SERVER_NAME (Node.js $(node --version 2>/dev/null || echo '?')), Python $(python3 --version | cut -d' ' -f2)
- $(tshark --version 2>/dev/null | head -n1)
- $("$CONVERT" -version | head -n1 | sed 's/^Version: //' | cut -d' ' -f1-3), $(sox --version | sed 's/^sox: *//'), $(lame --version | head -n1 | cut -d' ' -f1-4)
EOF

# tshark's reading of every frame, for the tshark-agree test.
"$SAMPLES_DIR/../../build-aux/tshark-reference.sh" "$SAMPLES_DIR/lab.pcap"

log "wrote $SAMPLES_DIR/lab.pcap ($FILESIZE bytes, $FRAMES frames, $STREAMS streams)"
log "wrote $SAMPLES_DIR/README.md, $SAMPLES_DIR/lab-served.sha256, $TESTDATA/lab-logo.jpg"
