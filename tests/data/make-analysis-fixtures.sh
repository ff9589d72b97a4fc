#!/bin/bash
# make-analysis-fixtures.sh: regenerate the captures of three TCP analysis
# corner cases in tests/data/ from real loopback traffic, each with its
# tshark reference <capture>.tshark.tsv, and their section of
# tests/data/README.md.
#
# Usage (as root, from anywhere; takes about 20 seconds):
#     sudo tests/data/make-analysis-fixtures.sh
#
# Needs: iproute2 (ip, ss), ethtool, nftables (nft), tcpdump, tshark +
#        capinfos (wireshark-common), curl, python3, openssl and npm's
#        http-server (installed into a temporary npm prefix when it is not on
#        PATH).
#
# Everything runs in a private network namespace that this script creates
# and deletes (nothing leaves it): lo at MTU 1500 with offloads off and one
# segment per skb (fixture-lib.sh), npm http-server on 127.0.0.1:8080,
# tcpdump -i lo -s 0.  The clients are curl and tests/data/pl-wire.py.
#
#   syn-ack-reuse.pcap  a SYN-ACK with a new ISN on a tuple already seen.
#                       pl-wire.py opens a keep-alive connection from port
#                       40123, then forgets it with an abortive close whose
#                       RST an nftables OUTPUT rule drops (the capture on lo
#                       never sees it), and connects again from the same
#                       port.  The server's socket is still established: it
#                       answers the new SYN with an ACK of the old connection
#                       (RFC 5961 challenge ACK), the client's kernel answers
#                       that with a RST without ACK, which ends the stale
#                       socket, the SYN is sent again 1 s later and gets a
#                       SYN-ACK with a new ISN.  Wireshark: a new stream at the
#                       second SYN (reused ports), and at the SYN-ACK the
#                       server's relative numbers start again (reused ports).
#   rst-no-ack.pcap     RSTs without ACK (ack field 0) inside live transfers:
#                       pl-wire.py downloads a 128 KiB file four times and,
#                       in each, writes a RST from the client's port with a
#                       raw socket, its seq 2^30 below the client's next seq
#                       (outside the window: the server drops it, RFC 5961
#                       3.2, and keeps sending).  The ack field of a segment
#                       without ACK means nothing: the server's next data is
#                       not a spurious retransmission.
#   ack-unseen.pcap     "ACKed segment that wasn't captured": one curl, one
#                       keep-alive connection, a 64 KiB file and a small page
#                       in turn, six times each; the capture filter leaves
#                       out the server's data segments whose IP ID ends in
#                       binary 011 (one in eight, as a capture that drops
#                       packets): the client acknowledges bytes the capture
#                       never saw, in the middle of a flight and at its end.
#
# Running it again replaces every output (ports, ISNs and exact counts change
# from run to run; the checks below hold every time).  Every wait is bounded.

# The check expressions are single-quoted on purpose: check() evals them.
# shellcheck disable=SC2016

set -euo pipefail

PROG=make-analysis-fixtures.sh
SCRIPT=$(readlink -f "$0")
DATA=$(dirname "$SCRIPT")
# shellcheck source=fixture-lib.sh
. "$DATA/fixture-lib.sh"

PORT=8080
BASE=http://127.0.0.1:$PORT
REUSE_PORT=40123
# Server data segments (IP packet longer than 100 bytes) left out of
# ack-unseen.pcap: IP ID & 7 == 3 (Linux numbers a connection's packets
# one by one).
UNSEEN_FILTER="tcp port $PORT and not (tcp src port $PORT and ip[2:2] > 100 and ip[4:2] & 7 == 3)"

# ---------------------------------------------------------------------------
# Inner part: runs inside the network namespace.
# ---------------------------------------------------------------------------
inner() {
    trap inner_cleanup EXIT
    trap 'exit 130' INT TERM

    setup_lo
    local out=$WORK/out
    mkdir -p "$out"
    start_server 127.0.0.1 "$PORT" "$WWW"

    log "syn-ack-reuse.pcap"
    nft -f - <<EOF
table inet pl_reuse {
    chain output {
        type filter hook output priority 0; policy accept;
        tcp sport $REUSE_PORT tcp flags & (rst | ack) == rst | ack counter drop
    }
}
EOF
    start_capture "$out/syn-ack-reuse.pcap" "tcp port $PORT"
    timeout 30 python3 "$DATA/pl-wire.py" reuse 127.0.0.1 "$PORT" "$REUSE_PORT" /index.html >&2
    stop_capture
    nft list table inet pl_reuse | grep -o 'counter packets [0-9]*' | awk '{ print $3 }' > "$out/syn-ack-reuse.pcap.nft"
    nft delete table inet pl_reuse

    log "rst-no-ack.pcap"
    start_capture "$out/rst-no-ack.pcap" "tcp port $PORT"
    timeout 60 python3 "$DATA/pl-wire.py" rst-inject 127.0.0.1 "$PORT" /blob-128k.bin 4 >&2
    stop_capture

    log "ack-unseen.pcap"
    local urls=() i
    for i in 1 2 3 4 5 6; do
        urls+=("$BASE/blob-64k.bin" "$BASE/index.html")
    done
    start_capture "$out/ack-unseen.pcap" "$UNSEEN_FILTER"
    timeout 30 curl -sS --fail --http1.1 -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
        -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
        -o /dev/null -o /dev/null -w '      %{http_code} %{size_download} %{url_effective}\n' \
        "${urls[@]}" >&2
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
[[ $(id -u) -eq 0 ]] || die "must run as root (network namespace, nftables, raw sockets, capture)"
for t in ip ss ethtool nft tcpdump tshark capinfos curl python3 openssl timeout; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done

outer_setup analysis

WWW=$WORK/www
mkdir -p "$WWW"
keystream() {
    head -c "$1" /dev/zero |
        openssl enc -aes-128-ctr -nosalt -K 5061636b65744c6164646572204c6f73 -iv 00000000000000000000000000000000
}
keystream $((128 * 1024)) > "$WWW/blob-128k.bin"
keystream $((64 * 1024)) > "$WWW/blob-64k.bin"
printf '<!doctype html>\n<title>Packet Ladder</title>\n<p>A small page.</p>\n' > "$WWW/index.html"

HTTP_SERVER=$(command -v http-server || true)
if [[ -z $HTTP_SERVER ]]; then
    log "http-server not on PATH; installing it into a temporary npm prefix"
    timeout 180 npm install --silent --no-audit --no-fund --prefix "$WORK/npm" http-server >&2 ||
        die "npm install http-server failed"
    HTTP_SERVER=$WORK/npm/node_modules/.bin/http-server
fi

ip netns add "$NS"
timeout 200 ip netns exec "$NS" bash "$SCRIPT" --inner "$WORK" "$HTTP_SERVER" &
INNER_PID=$!
wait "$INNER_PID"
INNER_PID=''
ip netns del "$NS"

OUT=$WORK/out
FIXTURES=(syn-ack-reuse.pcap rst-no-ack.pcap ack-unseen.pcap)

# --- checks ---------------------------------------------------------------------------
ts() { tshark -n "$@" 2>> "$WORK/tshark.err"; }
fail=0
check() { if eval "$2"; then log "ok: $1"; else log "FAILED: $1"; fail=1; fi; }
count() { ts -r "$1" -Y "$2" -T fields -e frame.number | wc -l; }
declare -A FRAMES STREAMS SIZE
for f in "${FIXTURES[@]}"; do
    p=$OUT/$f
    [[ -s $p ]] || die "$f was not written"
    FRAMES[$f]=$(capinfos -c -T -r "$p" | cut -f2)
    STREAMS[$f]=$(ts -r "$p" -Y tcp -T fields -e tcp.stream | sort -un | wc -l)
    SIZE[$f]=$(stat -c %s "$p")
    check "$f: ${FRAMES[$f]} frames, ${SIZE[$f]} bytes (< 1 MB)" '(( SIZE[$f] < 1000000 ))'
done

p=$OUT/syn-ack-reuse.pcap
REUSE_SYNACK=$(count "$p" 'tcp.analysis.reused_ports && tcp.flags.syn == 1 && tcp.flags.ack == 1')
check "syn-ack-reuse.pcap: nftables dropped the abortive RST ($(cat "$p.nft"))" '(( $(cat "$p.nft") == 1 ))'
check "syn-ack-reuse.pcap: two streams" '(( STREAMS[syn-ack-reuse.pcap] == 2 ))'
check "syn-ack-reuse.pcap: a SYN with ports reused" \
    '(( $(count "$p" "tcp.analysis.reused_ports && tcp.flags.syn == 1 && tcp.flags.ack == 0") == 1 ))'
check "syn-ack-reuse.pcap: a SYN-ACK with ports reused ($REUSE_SYNACK)" '(( REUSE_SYNACK == 1 ))'
check "syn-ack-reuse.pcap: the client's RST without ACK" \
    '(( $(count "$p" "tcp.flags.reset == 1 && tcp.flags.ack == 0 && tcp.srcport == $REUSE_PORT") == 1 ))'
check "syn-ack-reuse.pcap: the SYN sent again" \
    '(( $(count "$p" "tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.analysis.retransmission") == 1 ))'
check "syn-ack-reuse.pcap: two 200 responses" '(( $(count "$p" "http.response.code == 200") == 2 ))'

p=$OUT/rst-no-ack.pcap
check "rst-no-ack.pcap: four streams" '(( STREAMS[rst-no-ack.pcap] == 4 ))'
check "rst-no-ack.pcap: four RSTs without ACK, ack field 0" \
    '(( $(count "$p" "tcp.flags.reset == 1 && tcp.flags.ack == 0 && tcp.ack_raw == 0") == 4 ))'
check "rst-no-ack.pcap: no RST with ACK, so every transfer went on" \
    '(( $(count "$p" "tcp.flags.reset == 1 && tcp.flags.ack == 1") == 0 ))'
check "rst-no-ack.pcap: four 200 responses" '(( $(count "$p" "http.response.code == 200") == 4 ))'
check "rst-no-ack.pcap: no spurious retransmission" \
    '(( $(count "$p" "tcp.analysis.spurious_retransmission") == 0 ))'

p=$OUT/ack-unseen.pcap
ACK_LOST=$(count "$p" tcp.analysis.ack_lost_segment)
LOST=$(count "$p" tcp.analysis.lost_segment)
check "ack-unseen.pcap: one stream" '(( STREAMS[ack-unseen.pcap] == 1 ))'
check "ack-unseen.pcap: ACKed segments that were not captured ($ACK_LOST)" '(( ACK_LOST >= 5 ))'
check "ack-unseen.pcap: previous segments not captured ($LOST)" '(( LOST >= 3 ))'
check "ack-unseen.pcap: twelve requests" '(( $(count "$p" "http.request") == 12 ))'

[[ $fail -eq 0 ]] || die "checks failed; outputs not written"

# --- outputs --------------------------------------------------------------------------
for f in "${FIXTURES[@]}"; do
    rm -f "$DATA/$f" "$DATA/$f.tshark.tsv"
    install -m 644 "$OUT/$f" "$DATA/$f"
    ( cd "$DATA" && "$DATA/../../build-aux/tshark-reference.sh" "$f" )
done

{
cat <<EOF
## TCP analysis corner cases: \`make-analysis-fixtures.sh\`

Real loopback traffic in a private network namespace (no file from
\`../shared/pcaps/\`), made by \`make-analysis-fixtures.sh\` with npm
http-server on 127.0.0.1:8080 and the clients in \`pl-wire.py\` (standard
library only: sockets, a raw socket to write one kind of segment, an
AF_PACKET socket to read the client's ISN); the script rewrites this section.

| file | what it exercises | link type | frames | TCP streams | bytes | how made |
| --- | --- | --- | ---: | ---: | ---: | --- |
| \`syn-ack-reuse.pcap\` | a SYN-ACK with a new ISN on a tuple already seen: stream 0 is forgotten by the client (its RST dropped before the capture), the new SYN from the same port (reused ports) gets the server's challenge ACK of the old connection, the client's RST without ACK, the SYN again, then the real SYN-ACK (reused ports; the server's relative numbers start again there) | Ethernet (1) | ${FRAMES[syn-ack-reuse.pcap]} | ${STREAMS[syn-ack-reuse.pcap]} | ${SIZE[syn-ack-reuse.pcap]} | \`pl-wire.py reuse\` from port $REUSE_PORT; nftables OUTPUT: \`tcp sport $REUSE_PORT tcp flags & (rst | ack) == rst | ack drop\` |
| \`rst-no-ack.pcap\` | four 128 KiB downloads, each with a RST without ACK (ack field 0) from the client's port in the middle, outside the window (the server ignores it and goes on): the server's next data is no spurious retransmission | Ethernet (1) | ${FRAMES[rst-no-ack.pcap]} | ${STREAMS[rst-no-ack.pcap]} | ${SIZE[rst-no-ack.pcap]} | \`pl-wire.py rst-inject\` (raw socket, seq 2^30 below the client's next seq) |
| \`ack-unseen.pcap\` | one keep-alive connection, a 64 KiB file and a small page six times each; one server data segment in eight left out of the capture: $ACK_LOST ACKed segments that were not captured, $LOST previous segments not captured | Ethernet (1) | ${FRAMES[ack-unseen.pcap]} | ${STREAMS[ack-unseen.pcap]} | ${SIZE[ack-unseen.pcap]} | curl with 12 URLs; capture filter \`$UNSEEN_FILTER\` |

Tool versions used for these files: $(tcpdump --version 2>&1 | head -n1), $(curl --version | head -n1 | cut -d' ' -f1-2),
http-server $("$HTTP_SERVER" --version), $(python3 --version), $(nft --version), $(tshark --version 2>/dev/null | head -n1 | cut -d' ' -f1-3), kernel $(uname -r).
EOF
} > "$WORK/readme-section.md"
readme_section "$DATA/README.md" make-analysis-fixtures.sh "$WORK/readme-section.md"

for f in "${FIXTURES[@]}"; do
    log "wrote $f (${SIZE[$f]} bytes, ${FRAMES[$f]} frames, ${STREAMS[$f]} streams)"
done
