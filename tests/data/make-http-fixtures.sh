#!/bin/bash
# make-http-fixtures.sh: regenerate the HTTP lab test captures in tests/data/
# from real loopback traffic, each with its tshark reference
# <capture>.tshark.tsv and a sidecar <capture>.curl.tsv (what the clients
# reported), and their section of tests/data/README.md.
#
# Usage (as root, from anywhere; takes about 40 seconds):
#     sudo tests/data/make-http-fixtures.sh
#
# Needs: iproute2 (ip, ss), ethtool, nftables (nft), tcpdump, tshark +
#        capinfos (wireshark-common), curl (7.84 or later: %header{}),
#        python3, gzip, taskset (util-linux), ImageMagick (convert), and npm's
#        http-server (installed into a temporary npm prefix when it is not on
#        PATH).  Reads tests/data/lab-logo.jpg and tests/data/lab-music.mp3
#        (made by data/samples/make-sample.sh) and uses to-dlt-null.py.
#
# npm http-server (with -g: serves X.gz for X when the request accepts gzip)
# runs on port 8080 in a private network namespace that this script creates
# and deletes (nothing leaves it): lo at MTU 1500 with offloads off and one
# segment per skb (see fixture-lib.sh), tcpdump -i lo -s 0.  The same
# requests, in the same order, make each capture:
#
#   1. curl: GET / and GET /logo.jpg on one keep-alive connection (200, 200;
#      the logo is a ~120 KB JPEG, some 85 segments)
#   2. curl -r 0- /music.mp3 (206)           3. curl -r 20000-49999 (206)
#   4. curl -I / (HEAD, 200, no body)        5. curl /missing (404)
#   6. curl -H 'If-None-Match: <etag of 1.>' / (304)
#   7. curl -H 'Accept-Encoding: gzip' /page.html (200, Content-Encoding gzip)
#   8. curl -0 / (an HTTP/1.0 request; the server closes)
#   9. python3: "GET / ... GET /logo.jpg ..." pipelined in ONE write on one
#      connection, both responses read, then close
#  10. two curls at once (background, both waited for, each limited to
#      500 KB/s so the connections overlap): /logo.jpg and /music.mp3
#
#   http-lab.pcap        IPv4, Ethernet
#   http-lab-ipv6.pcap   the same over [::1]
#   http-lab-loss.pcap   IPv4, nftables INPUT hook dropping data segments 7
#                        and 23 of every 40 from the server (captured, then
#                        dropped: retransmissions)
#   http-lab-null.pcap   http-lab.pcap rewritten as DLT_NULL by to-dlt-null.py
#
# <capture>.curl.tsv: a header line, then one row per request in the order
# sent (for 10., curl A then curl B): method, uri, status, Content-Length,
# Content-Range (empty when absent), body bytes received.
#
# Running it again replaces every output.  The namespace, servers, capture
# and the temporary directory are removed on exit, also on failure.  Every
# wait is bounded; the whole run is bounded by timeouts well under 5 minutes.

# The check expressions are single-quoted on purpose: check() evals them.
# shellcheck disable=SC2016

set -euo pipefail

PROG=make-http-fixtures.sh
SCRIPT=$(readlink -f "$0")
DATA=$(dirname "$SCRIPT")
# shellcheck source=fixture-lib.sh
. "$DATA/fixture-lib.sh"

PORT=8080
PIN='taskset -c 0'
RANGE_MID=20000-49999
SEL_LOSS='tcp sport 8080 ip length > 100 numgen inc mod 40 { 7, 23 }'

# ---------------------------------------------------------------------------
# Inner part: runs inside the network namespace.
# ---------------------------------------------------------------------------

# c TSV ARGS...: one curl; one row per URL appended to TSV (the URL is turned
# into its path by the outer part).
c() {
    local tsv=$1
    shift
    $PIN timeout 20 curl -sS -g --http1.1 \
        -w '%{method}\t%{url_effective}\t%{http_code}\t%header{content-length}\t%header{content-range}\t%{size_download}\n' \
        "$@" >> "$tsv"
    sleep 0.2
}

# requests BASE HOSTPORT NAME: the ten steps above; rows go to
# $WORK/out/NAME.curl.raw, bodies to $WORK/got/NAME/.
requests() {
    local base=$1 name=$2 host=$3 tsv=$WORK/out/$2.curl.raw got=$WORK/got/$2 etag pa pb
    mkdir -p "$got"
    : > "$tsv"
    c "$tsv" -D "$got/h1.txt" -o "$got/index.html" "$base/" -o "$got/logo.jpg" "$base/logo.jpg"
    c "$tsv" -r 0- -o "$got/music-0-.mp3" "$base/music.mp3"
    c "$tsv" -r "$RANGE_MID" -o "$got/music-mid.mp3" "$base/music.mp3"
    c "$tsv" -I -o "$got/head.txt" "$base/"
    c "$tsv" -o "$got/missing.txt" "$base/missing"
    etag=$(awk 'tolower($1) == "etag:" { sub(/\r$/, ""); sub(/^[^:]*: */, ""); print; exit }' "$got/h1.txt")
    [[ -n $etag ]] || die "no ETag in the first response"
    c "$tsv" -H "If-None-Match: $etag" -o "$got/not-modified.txt" "$base/"
    c "$tsv" -H 'Accept-Encoding: gzip' -o "$got/page.html.gz" "$base/page.html"
    c "$tsv" -0 -o "$got/index-1.0.html" "$base/"
    $PIN timeout 20 python3 "$WORK/pipeline.py" "$host" "$PORT" "$got/pipelined" >> "$tsv"
    sleep 0.2
    # Two connections at once; each curl writes its own row file, appended
    # in a fixed order afterwards.
    $PIN timeout 20 curl -sS -g --http1.1 --limit-rate 500k -o "$got/par-logo.jpg" \
        -w '%{method}\t%{url_effective}\t%{http_code}\t%header{content-length}\t%header{content-range}\t%{size_download}\n' \
        "$base/logo.jpg" > "$got/par-a.tsv" &
    pa=$!
    $PIN timeout 20 curl -sS -g --http1.1 --limit-rate 500k -o "$got/par-music.mp3" \
        -w '%{method}\t%{url_effective}\t%{http_code}\t%header{content-length}\t%header{content-range}\t%{size_download}\n' \
        "$base/music.mp3" > "$got/par-b.tsv" &
    pb=$!
    wait "$pa" || die "parallel curl A failed"
    wait "$pb" || die "parallel curl B failed"
    cat "$got/par-a.tsv" "$got/par-b.tsv" >> "$tsv"
}

inner() {
    trap inner_cleanup EXIT
    trap 'exit 130' INT TERM

    setup_lo
    local out=$WORK/out
    mkdir -p "$out" "$WORK/got"

    log "http-lab.pcap"
    start_server 127.0.0.1 "$PORT" "$WWW" -g
    start_capture "$out/http-lab.pcap" "tcp port $PORT"
    requests "http://127.0.0.1:$PORT" http-lab 127.0.0.1
    stop_capture

    log "http-lab-loss.pcap"
    nft -f - <<EOF
table inet pl_loss {
    chain input {
        type filter hook input priority 0; policy accept;
        $SEL_LOSS counter drop
    }
}
EOF
    start_capture "$out/http-lab-loss.pcap" "tcp port $PORT"
    requests "http://127.0.0.1:$PORT" http-lab-loss 127.0.0.1
    stop_capture
    nft list ruleset | grep -o 'counter packets [0-9]*' | awk '{ print $3 }' > "$out/http-lab-loss.pcap.nft"
    nft delete table inet pl_loss
    stop_servers

    log "http-lab-ipv6.pcap"
    start_server ::1 "$PORT" "$WWW" -g
    start_capture "$out/http-lab-ipv6.pcap" "tcp port $PORT"
    requests "http://[::1]:$PORT" http-lab-ipv6 ::1
    stop_capture
    stop_servers
}

if [[ ${1:-} == --inner ]]; then
    WORK=$2 WWW=$2/www HTTP_SERVER=$3
    inner
    exit 0
fi

# ---------------------------------------------------------------------------
# Outer part.
# ---------------------------------------------------------------------------
[[ $(id -u) -eq 0 ]] || die "must run as root (network namespace, nftables, capture)"
for t in ip ss ethtool nft tcpdump tshark capinfos curl python3 gzip taskset sha256sum timeout; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done
CONVERT=${CONVERT:-$(command -v /usr/bin/convert || command -v convert || true)}
[[ -n $CONVERT ]] || die "missing tool: convert (ImageMagick)"
for f in lab-logo.jpg lab-music.mp3 to-dlt-null.py; do
    [[ -s $DATA/$f ]] || die "missing $DATA/$f (lab-*: run data/samples/make-sample.sh)"
done

outer_setup http

# --- served files (deterministic) --------------------------------------------------
WWW=$WORK/www
mkdir -p "$WWW"
cat > "$WWW/index.html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Packet Ladder HTTP lab</title>
  <style>
    body { font-family: sans-serif; margin: 2em auto; max-width: 40em; }
    img { max-width: 100%; }
  </style>
</head>
<body>
  <h1>Packet Ladder HTTP lab</h1>
  <p>One page, one picture, one tone: GET, HEAD, Range, 304, 404,
     gzip, HTTP/1.0, pipelining and two connections at once.</p>
  <img src="logo.jpg" alt="Packet Ladder logo" width="640" height="480">
  <audio controls src="music.mp3">music.mp3</audio>
  <ul>
    <li><a href="page.html">a page sent gzip-encoded</a></li>
    <li><a href="missing">a page that is not there</a></li>
  </ul>
  <p>Made by <code>tests/data/make-http-fixtures.sh</code>.</p>
</body>
</html>
EOF
# A text page worth compressing; http-server -g sends page.html.gz for it to
# a client that accepts gzip (gzip -n: no name or time, so the same bytes).
{
    echo '<!DOCTYPE html>'
    echo '<html lang="en"><head><meta charset="utf-8"><title>gzip page</title></head><body>'
    echo '<h1>A page served with Content-Encoding: gzip</h1>'
    for i in $(seq 1 120); do
        echo "<p>Line $i: the TCP sender numbers every byte; the receiver acknowledges the next byte it expects.</p>"
    done
    echo '</body></html>'
} > "$WWW/page.html"
gzip -9 -n -c "$WWW/page.html" > "$WWW/page.html.gz"
# A smaller logo than lab-logo.jpg (about 300 KB) so each capture stays under
# 800 KB: the same picture at 800x600, the first quality in a short fixed
# list that reaches 110 KB.
for q in 80 82 84 86 88 90 92; do
    "$CONVERT" "$DATA/lab-logo.jpg" -resize 800x600 -strip -sampling-factor 4:2:0 -quality "$q" "$WWW/logo.jpg"
    (( $(stat -c %s "$WWW/logo.jpg") >= 110000 )) && break
done
LOGO_SIZE=$(stat -c %s "$WWW/logo.jpg")
(( LOGO_SIZE >= 90000 && LOGO_SIZE <= 160000 )) || die "logo.jpg is $LOGO_SIZE bytes, not about 120 KB"
cp "$DATA/lab-music.mp3" "$WWW/music.mp3"

# The pipelining client: both requests in one sendall(), then both responses
# read (Content-Length framed; a 200 to GET always has one here), one row
# each on stdout, then close.
cat > "$WORK/pipeline.py" <<'EOF'
import socket, sys
host, port, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
hosthdr = "[%s]:%d" % (host, port) if fam == socket.AF_INET6 else "%s:%d" % (host, port)
uris = ["/", "/logo.jpg"]
req = "".join("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: pl-pipeline\r\nAccept: */*\r\n\r\n"
              % (u, hosthdr) for u in uris)
s = socket.socket(fam, socket.SOCK_STREAM)
s.settimeout(10)
s.connect((host, port))
s.sendall(req.encode())
buf = b""
def more():
    global buf
    d = s.recv(65536)
    if not d:
        sys.exit("pipeline.py: connection closed early")
    buf += d
for i, uri in enumerate(uris):
    while b"\r\n\r\n" not in buf:
        more()
    head, buf = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0].split(" ")[1]
    hdr = {}
    for l in lines[1:]:
        k, v = l.split(":", 1)
        hdr[k.strip().lower()] = v.strip()
    n = int(hdr["content-length"])
    while len(buf) < n:
        more()
    body, buf = buf[:n], buf[n:]
    open("%s-%d.body" % (prefix, i), "wb").write(body)
    print("GET\t%s\t%s\t%s\t%s\t%d" % (uri, status, hdr.get("content-length", ""),
                                       hdr.get("content-range", ""), len(body)))
s.close()
EOF

HTTP_SERVER=$(command -v http-server || true)
if [[ -z $HTTP_SERVER ]]; then
    log "http-server not on PATH; installing it into a temporary npm prefix"
    timeout 180 npm install --silent --no-audit --no-fund --prefix "$WORK/npm" http-server >&2 ||
        die "npm install http-server failed"
    HTTP_SERVER=$WORK/npm/node_modules/.bin/http-server
fi

# --- captures inside a private namespace -------------------------------------------
ip netns add "$NS"
timeout 200 ip netns exec "$NS" bash "$SCRIPT" --inner "$WORK" "$HTTP_SERVER" &
INNER_PID=$!
wait "$INNER_PID"
INNER_PID=''
ip netns del "$NS"

OUT=$WORK/out
python3 "$DATA/to-dlt-null.py" "$OUT/http-lab.pcap" "$OUT/http-lab-null.pcap"
cp "$OUT/http-lab.curl.raw" "$OUT/http-lab-null.curl.raw"
FIXTURES=(http-lab.pcap http-lab-ipv6.pcap http-lab-loss.pcap http-lab-null.pcap)
echo 0 > "$OUT/http-lab.pcap.nft"
echo 0 > "$OUT/http-lab-ipv6.pcap.nft"
echo 0 > "$OUT/http-lab-null.pcap.nft"

# The sidecars: URL -> path, a header line.
for f in "${FIXTURES[@]}"; do
    n=${f%.pcap}
    { printf 'method\turi\tstatus\tcontent_length\tcontent_range\tbody_bytes\n'
      awk -F'\t' -v OFS='\t' '{ sub(/^http:\/\/[^\/]*/, "", $2); print }' "$OUT/$n.curl.raw"
    } > "$OUT/$n.curl.tsv"
done

# --- checks ---------------------------------------------------------------------------
ts() { tshark "$@" 2>> "$WORK/tshark.err"; }
fail=0
check() { if eval "$2"; then log "ok: $1"; else log "FAILED: $1"; fail=1; fi; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
slice() { tail -c +$(($2 + 1)) "$1" | head -c $(($3 - $2 + 1)) | sha256sum | cut -d' ' -f1; }

# Every stream: one SYN, one SYN/ACK, a FIN from each side, the last ACK, no RST.
streams_complete() {
    ts -n -r "$1" -Y tcp -T fields -E separator=/t -e tcp.stream -e tcp.srcport \
        -e tcp.flags.syn -e tcp.flags.ack -e tcp.flags.fin -e tcp.flags.reset |
    awk -F'\t' '
        { seen[$1] = 1; srv = ($2 == 8080) }
        $3 == 1 && $4 == 0 { syn[$1]++ }
        $3 == 1 && $4 == 1 { synack[$1]++ }
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

# shellcheck disable=SC2034  # used in a check expression
WANT_ROWS="GET / 200
GET /logo.jpg 200
GET /music.mp3 206
GET /music.mp3 206
HEAD / 200
GET /missing 404
GET / 304
GET /page.html 200
GET / 200
GET / 200
GET /logo.jpg 200
GET /logo.jpg 200
GET /music.mp3 200"
MUSIC_SIZE=$(stat -c %s "$WWW/music.mp3")
INDEX_SIZE=$(stat -c %s "$WWW/index.html")
GZ_SIZE=$(stat -c %s "$WWW/page.html.gz")
declare -A FRAMES STREAMS SIZE ENCAP REQS RESPS NFT
for f in "${FIXTURES[@]}"; do
    n=${f%.pcap} p=$OUT/$f
    [[ -s $p ]] || die "$f was not written"
    FRAMES[$f]=$(capinfos -c -T -r "$p" | cut -f2)
    ENCAP[$f]=$(capinfos -E -T -r "$p" | cut -f2)
    STREAMS[$f]=$(ts -n -r "$p" -Y tcp -T fields -e tcp.stream | sort -un | wc -l)
    SIZE[$f]=$(stat -c %s "$p")
    NFT[$f]=$(cat "$p.nft")
    ts -n -r "$p" -Y http -T fields -E separator=/t -E occurrence=a -E aggregator=, \
        -e frame.number -e tcp.stream -e http.request.method -e http.request.uri \
        -e http.request.version -e http.response.code -e http.content_length_header \
        -e http.content_encoding -e tcp.segment.count > "$WORK/$n.http.tsv"
    REQS[$f]=$(awk -F'\t' '$3 != "" { n += split($3, a, ",") } END { print n + 0 }' "$WORK/$n.http.tsv")
    RESPS[$f]=$(awk -F'\t' '$6 != "" { n += split($6, a, ",") } END { print n + 0 }' "$WORK/$n.http.tsv")

    check "$f: ${ENCAP[$f]}, ${FRAMES[$f]} frames, ${STREAMS[$f]} streams, ${SIZE[$f]} bytes (< 800 KB)" \
        '(( SIZE[$f] < 800000 ))'
    check "$f: 11 TCP streams" '(( STREAMS[$f] == 11 ))'
    check "$f: every stream has SYN, SYN/ACK, FIN both ways, last ACK, no RST" 'streams_complete "$p"'
    check "$f: largest TCP payload <= 1448 (IPv4) / 1428 (IPv6)" \
        '(( $(ts -n -r "$p" -Y tcp -T fields -e tcp.len | sort -n | tail -n1) <= 1448 ))'
    check "$f: the clients got the expected statuses, in order" \
        '[[ $(tail -n +2 "$OUT/$n.curl.tsv" | cut -f1-3 | tr "\t" " ") == "$WANT_ROWS" ]]'
    check "$f: tshark sees 13 requests and 13 responses (${REQS[$f]}, ${RESPS[$f]})" \
        '(( REQS[$f] == 13 && RESPS[$f] == 13 ))'
    check "$f: tshark sees HEAD, an HTTP/1.0 request, 206 x2, 304, 404" \
        '[[ $(cut -f3 "$WORK/$n.http.tsv" | grep -c HEAD) -eq 1 &&
            $(cut -f5 "$WORK/$n.http.tsv" | grep -c "HTTP/1.0") -eq 1 &&
            $(cut -f6 "$WORK/$n.http.tsv" | grep -c "^206$") -eq 2 &&
            $(cut -f6 "$WORK/$n.http.tsv" | grep -c "^304$") -eq 1 &&
            $(cut -f6 "$WORK/$n.http.tsv" | grep -c "^404$") -eq 1 ]]'
    check "$f: tshark sees the two pipelined requests in one frame" \
        '[[ $(awk -F"\t" "\$3 == \"GET,GET\"" "$WORK/$n.http.tsv" | wc -l) -eq 1 ]]'
    check "$f: tshark sees a gzip-encoded response" \
        '[[ $(cut -f8 "$WORK/$n.http.tsv" | grep -c gzip) -eq 1 ]]'
    check "$f: the two parallel connections overlap in time" \
        '[[ $(ts -n -r "$p" -Y tcp -T fields -e tcp.stream -e frame.time_epoch | awk -F"\t" -v a=$((STREAMS[$f] - 2)) -v b=$((STREAMS[$f] - 1)) "
            \$1 == a { if (!(a in s)) s[a] = \$2; e[a] = \$2 } \$1 == b { if (!(b in s)) s[b] = \$2; e[b] = \$2 }
            END { print (s[b] < e[a] && s[a] < e[b]) ? \"yes\" : \"no\" }") == yes ]]'
    if [[ $f != http-lab-null.pcap ]]; then
        got=$WORK/got/$n
        check "$f: bodies intact (logo x3, index, both ranges, gzip, pipelined, parallel)" \
            '[[ $(sha "$got/logo.jpg") == $(sha "$WWW/logo.jpg") && $(sha "$got/par-logo.jpg") == $(sha "$WWW/logo.jpg") &&
                $(sha "$got/pipelined-1.body") == $(sha "$WWW/logo.jpg") && $(sha "$got/pipelined-0.body") == $(sha "$WWW/index.html") &&
                $(sha "$got/index.html") == $(sha "$WWW/index.html") && $(sha "$got/index-1.0.html") == $(sha "$WWW/index.html") &&
                $(sha "$got/music-0-.mp3") == $(sha "$WWW/music.mp3") && $(sha "$got/par-music.mp3") == $(sha "$WWW/music.mp3") &&
                $(sha "$got/music-mid.mp3") == $(slice "$WWW/music.mp3" ${RANGE_MID%-*} ${RANGE_MID#*-}) &&
                $(sha "$got/page.html.gz") == $(sha "$WWW/page.html.gz") ]]'
    fi
done
check "http-lab.pcap is IPv4 only" \
    '[[ -z $(ts -n -r "$OUT/http-lab.pcap" -Y ipv6 -T fields -e frame.number) ]]'
check "http-lab-ipv6.pcap is all IPv6 over ::1" \
    '[[ $(ts -n -r "$OUT/http-lab-ipv6.pcap" -Y "ipv6.src == ::1 && tcp" -T fields -e frame.number | wc -l) -eq ${FRAMES[http-lab-ipv6.pcap]} ]]'
check "http-lab-null.pcap is DLT_NULL with AF 2, same frame count as http-lab.pcap" \
    '[[ ${ENCAP[http-lab-null.pcap]} == null && ${FRAMES[http-lab-null.pcap]} -eq ${FRAMES[http-lab.pcap]} &&
        $(ts -n -r "$OUT/http-lab-null.pcap" -T fields -e null.family | sort -un | paste -sd,) == 2 ]]'
L=http-lab-loss.pcap
RETR=$(ts -n -r "$OUT/$L" -Y tcp.analysis.retransmission -T fields -e frame.number | wc -l)
FRETR=$(ts -n -r "$OUT/$L" -Y tcp.analysis.fast_retransmission -T fields -e frame.number | wc -l)
DUPACK=$(ts -n -r "$OUT/$L" -Y tcp.analysis.duplicate_ack -T fields -e frame.number | wc -l)
OOO=$(ts -n -r "$OUT/$L" -Y tcp.analysis.out_of_order -T fields -e frame.number | wc -l)
LOST=$(ts -n -r "$OUT/$L" -Y tcp.analysis.lost_segment -T fields -e frame.number | wc -l)
check "$L: nftables dropped ${NFT[$L]} segments" '(( NFT[$L] >= 5 ))'
check "$L: retransmissions $RETR, fast $FRETR, out-of-order $OOO, dup ACKs $DUPACK, lost $LOST" \
    '(( RETR + FRETR + OOO >= 5 && DUPACK >= 1 ))'
TOTAL=0
for f in "${FIXTURES[@]}"; do TOTAL=$((TOTAL + SIZE[$f])); done
check "total size $TOTAL bytes < 3.2 MB" '(( TOTAL < 3200000 ))'

[[ $fail -eq 0 ]] || die "checks failed; outputs not written"

# --- outputs --------------------------------------------------------------------------
for f in "${FIXTURES[@]}"; do
    n=${f%.pcap}
    rm -f "$DATA/$f" "$DATA/$f.tshark.tsv" "$DATA/$f.curl.tsv"
    install -m 644 "$OUT/$f" "$DATA/$f"
    install -m 644 "$OUT/$n.curl.tsv" "$DATA/$f.curl.tsv"
    ( cd "$DATA" && "$DATA/../../build-aux/tshark-reference.sh" "$f" )
done

# Who closes the HTTP/1.0 connection first is a race (curl has the whole
# body, the server closes after its response): reported, not checked.
S10=$(awk -F'\t' '$5 == "HTTP/1.0" { print $2; exit }' "$WORK/http-lab.http.tsv")
FIRST_FIN_10=$(ts -n -r "$OUT/http-lab.pcap" -Y "tcp.stream == $S10 && tcp.flags.fin == 1" -T fields -e tcp.srcport |
    awk 'NR == 1 { print ($1 == 8080 ? "server" : "client") }')
declare -A WHAT HOW LT
WHAT[http-lab.pcap]='the HTTP lab over IPv4 (see below)'
HOW[http-lab.pcap]='`tcpdump -i lo -s 0 -w`, `http-server -g` on 127.0.0.1:8080, curl + python3 (pipelining)'
WHAT[http-lab-ipv6.pcap]='the HTTP lab over IPv6 (`::1`, 1428-byte segments)'
HOW[http-lab-ipv6.pcap]="\`tcpdump -i lo\`, \`http-server -g\` on [::1]:8080, \`curl -g 'http://[::1]:8080/...'\`"
WHAT[http-lab-loss.pcap]="the HTTP lab over IPv4 with ${NFT[$L]} server data segments dropped after capture: $RETR retransmissions, $FRETR fast retransmissions, $OOO out-of-order, $DUPACK dup ACKs, $LOST previous segment not captured"
HOW[http-lab-loss.pcap]="as \`http-lab.pcap\`, plus nftables \`inet\` INPUT hook: \`$SEL_LOSS drop\`"
WHAT[http-lab-null.pcap]='`http-lab.pcap` with the BSD loopback header (4-byte AF, little-endian, AF_INET 2)'
HOW[http-lab-null.pcap]='`to-dlt-null.py http-lab.pcap http-lab-null.pcap`'
LT[ether]='Ethernet (1)'
LT[null]='BSD loopback, DLT_NULL (0)'

{
cat <<EOF
## HTTP lab: \`make-http-fixtures.sh\`

Real loopback traffic (no file from \`../shared/pcaps/\`), made by
\`make-http-fixtures.sh\`, which rewrites this section. npm http-server with
\`-g\` (serves \`X.gz\` for \`X\` when the request accepts gzip) on port 8080
in a private network namespace, \`lo\` at MTU 1500 with offloads off and
\`gso_max_segs 1\`, server and clients on CPU 0. Served: \`index.html\`
($INDEX_SIZE bytes, $(wc -l < "$WWW/index.html") lines), \`logo.jpg\` ($LOGO_SIZE bytes: \`lab-logo.jpg\` at
800x600, quality $q), \`music.mp3\` (\`lab-music.mp3\`, $MUSIC_SIZE bytes),
\`page.html\` + \`page.html.gz\` ($GZ_SIZE bytes, \`gzip -9 -n\`). The same
requests, in the same order, make each capture (one connection each unless
said): (1) curl \`GET /\` + \`GET /logo.jpg\` keep-alive; (2) \`Range: bytes=0-\`
and (3) \`Range: bytes=$RANGE_MID\` of \`/music.mp3\` (206); (4) \`HEAD /\`;
(5) \`GET /missing\` (404); (6) \`GET /\` with \`If-None-Match:\` the ETag of (1)
(304); (7) \`GET /page.html\` with \`Accept-Encoding: gzip\`
(\`Content-Encoding: gzip\`); (8) \`curl -0 /\` (HTTP/1.0 request; the server
answers HTTP/1.1 with \`Connection: close\`; first FIN in \`http-lab.pcap\`:
$FIRST_FIN_10, a race); (9) python3:
\`GET /\` and \`GET /logo.jpg\` pipelined in one write (one frame), both
responses read, then close; (10) two curls at once, \`/logo.jpg\` and
\`/music.mp3\`, each at 500 KB/s so the connections overlap. Each capture has
\`<capture>.curl.tsv\`: one row per request in the order sent (for (10): the
logo, then the music), columns \`method uri status content_length
content_range body_bytes\` as the clients reported them (curl \`-w\` with
\`%header{}\`; the python client's parsed responses).

| file | what it exercises | link type | frames | TCP streams | bytes | how made |
| --- | --- | --- | ---: | ---: | ---: | --- |
EOF
for f in "${FIXTURES[@]}"; do
    echo "| \`$f\` | ${WHAT[$f]} | ${LT[${ENCAP[$f]}]:-${ENCAP[$f]}} | ${FRAMES[$f]} | ${STREAMS[$f]} | ${SIZE[$f]} | ${HOW[$f]} |"
done
cat <<'EOF'

HTTP messages in `http-lab.pcap` as tshark 4.0 reads them (frame = the frame
that completes the message; the other files hold the same messages in the
same order, with their own frame numbers):

| frame | stream | request | version | status | Content-Length | Content-Encoding | segments |
| ---: | ---: | --- | --- | ---: | ---: | --- | ---: |
EOF
awk -F'\t' '{
    req = ""; n = split($3, m, ","); split($4, u, ",")
    for (i = 1; i <= n; i++) req = req (i > 1 ? ", " : "") "`" m[i] " " u[i] "`"
    if (n > 1) req = req " (pipelined, one frame)"
    printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, req, $5, $6, $7, $8, ($9 == "" ? 1 : $9) }' "$WORK/http-lab.http.tsv"
cat <<EOF

Tool versions used for these files: $(tcpdump --version 2>&1 | head -n1), $(curl --version | head -n1 | cut -d' ' -f1-2),
http-server $("$HTTP_SERVER" --version), Python $(python3 --version | cut -d' ' -f2), $(nft --version), $(tshark --version 2>/dev/null | head -n1 | cut -d' ' -f1-3), kernel $(uname -r).
EOF
} > "$WORK/readme-section.md"
readme_section "$DATA/README.md" make-http-fixtures.sh "$WORK/readme-section.md"

for f in "${FIXTURES[@]}"; do
    log "wrote $f (${SIZE[$f]} bytes, ${FRAMES[$f]} frames, ${STREAMS[$f]} streams, ${REQS[$f]} requests, ${RESPS[$f]} responses), $f.curl.tsv, $f.tshark.tsv"
done
