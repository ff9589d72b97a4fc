#!/bin/bash
# make-loss-fixtures.sh: regenerate the loss / reordering / zero-window test
# captures in tests/data/ from real loopback traffic, each with its tshark
# reference <capture>.tshark.tsv, and their section of tests/data/README.md.
#
# Usage (as root, from anywhere; takes about 30 seconds):
#     sudo tests/data/make-loss-fixtures.sh
#
# Needs: iproute2 (ip, ss), ethtool, nftables (nft), tcpdump, tshark +
#        capinfos (wireshark-common), curl, python3, openssl, taskset
#        (util-linux) and npm's http-server (installed into a temporary npm
#        prefix when it is not on PATH).
#
# Every capture is one HTTP/1.1 download from npm's http-server on
# 127.0.0.1:8080 in a private network namespace that this script creates and
# deletes (nothing leaves it): lo at MTU 1500 with offloads off and one
# segment per skb (see fixture-lib.sh), tcpdump -i lo -s 0.  The served files
# are the first bytes of an AES-128-CTR keystream with a fixed key, so every
# run serves the same (incompressible) bytes.  Server and client run on CPU 0
# so that almost all loss and reordering is the one made on purpose (with two
# CPUs, lo's per-CPU receive queues reorder segments by themselves; pinned,
# a few segments still come in swapped pairs after an RTO).
#
#   loss-input.pcap   nftables INPUT hook drops data segments 7, 9 and 30 of
#                     every 50 (numgen inc): tcpdump on lo has already
#                     recorded them (libpcap keeps lo's receive-side copy,
#                     which is taken before PREROUTING/INPUT), so the capture
#                     shows each segment and then its retransmission: dup ACKs
#                     with SACK blocks, fast retransmissions, RTO
#                     retransmissions.
#   loss-output.pcap  the same drop pattern before the capture: a netdev
#                     EGRESS hook on lo steals the segment (`fwd to` a veth
#                     that is down, which discards it).  A plain `drop` at the
#                     inet OUTPUT or POSTROUTING hook, or at egress, is no
#                     good: the kernel returns the error to TCP, which sends
#                     the segment again at once, so the capture shows no gap.
#                     Here TCP believes the segment left: "previous segment(s)
#                     not captured", then the retransmission fills the gap.
#   reorder.pcap      every 25th data segment takes a detour (lo egress ->
#                     veth pl-ra -> pl-rb ingress -> back to lo, marked so it
#                     is not diverted twice) and reaches the receive queue
#                     after the segments sent just after it: real reordering
#                     seen by the receiver (dup ACKs, SACK) and by tshark
#                     (out-of-order).
#   zero-window.pcap  a python3 client with a 4 KB SO_RCVBUF that reads 2 KB
#                     every 10 ms and twice pauses 0.7 s: zero window, window
#                     full, zero window probes, window updates.
#
# Running it again replaces every output (ports, timestamps and exact counts
# change from run to run; the checks below hold every time).  The namespace,
# servers, capture and the temporary directory are removed on exit, also on
# failure.  Every wait is bounded; the whole run is bounded by timeouts well
# under 5 minutes.

# The check expressions are single-quoted on purpose: check() evals them.
# shellcheck disable=SC2016

set -euo pipefail

PROG=make-loss-fixtures.sh
SCRIPT=$(readlink -f "$0")
DATA=$(dirname "$SCRIPT")
# shellcheck source=fixture-lib.sh
. "$DATA/fixture-lib.sh"

PORT=8080
BASE=http://127.0.0.1:$PORT
PIN='taskset -c 0'
# Data segments of the server (port 8080, IP packet longer than 100 bytes:
# pure ACKs and FINs are 52) that are dropped / diverted.
SEL_LOSS='tcp sport 8080 ip length > 100 numgen inc mod 50 { 7, 9, 30 }'
SEL_REORDER='tcp sport 8080 ip length > 100 numgen inc mod 25 == 12'

# ---------------------------------------------------------------------------
# Inner part: runs inside the network namespace.  Writes raw captures into
# $WORK/out/ and the nftables counters into $WORK/out/<capture>.nft.
# ---------------------------------------------------------------------------
nft_counters() { nft list ruleset | grep -o 'counter packets [0-9]*' | awk '{ n += $3 } END { print n + 0 }'; }

# curl_get URL OUTFILE: one curl (CPU 0), one connection; it closes at exit.
curl_get() {
    $PIN timeout 30 curl -sS --fail --http1.1 -o "$2" \
        -w '      %{http_code} %{size_download} %{time_total}s %{url_effective}\n' "$1" >&2
}

inner() {
    trap inner_cleanup EXIT
    trap 'exit 130' INT TERM

    setup_lo
    local out=$WORK/out got=$WORK/got
    mkdir -p "$out" "$got"
    start_server 127.0.0.1 "$PORT" "$WWW"

    log "loss-input.pcap"
    nft -f - <<EOF
table inet pl_loss {
    chain input {
        type filter hook input priority 0; policy accept;
        $SEL_LOSS counter drop
    }
}
EOF
    start_capture "$out/loss-input.pcap" "tcp port $PORT"
    curl_get "$BASE/blob-768k.bin" "$got/loss-input.bin"
    stop_capture
    nft_counters > "$out/loss-input.pcap.nft"
    nft delete table inet pl_loss

    log "loss-output.pcap"
    # The sink: a veth pair that stays down; a packet sent to it is freed.
    ip link add pl-sink type veth peer name pl-sink-peer
    nft -f - <<EOF
table netdev pl_loss {
    chain egress {
        type filter hook egress device "lo" priority 0; policy accept;
        meta protocol ip $SEL_LOSS counter fwd to "pl-sink"
    }
}
EOF
    start_capture "$out/loss-output.pcap" "tcp port $PORT"
    curl_get "$BASE/blob-768k.bin" "$got/loss-output.bin"
    stop_capture
    nft_counters > "$out/loss-output.pcap.nft"
    nft delete table netdev pl_loss
    ip link del pl-sink

    log "reorder.pcap"
    # The detour: a veth pair with both ends up in this namespace, no
    # addresses, no IPv6 (so it sends nothing of its own).
    ip link add pl-ra type veth peer name pl-rb
    sysctl -q -w net.ipv6.conf.pl-ra.disable_ipv6=1 net.ipv6.conf.pl-rb.disable_ipv6=1
    ip link set pl-ra up
    ip link set pl-rb up
    nft -f - <<EOF
table netdev pl_reorder {
    chain lo_egress {
        type filter hook egress device "lo" priority 0; policy accept;
        meta mark 0x2a accept
        meta protocol ip $SEL_REORDER counter fwd to "pl-ra"
    }
    chain rb_ingress {
        type filter hook ingress device "pl-rb" priority 0; policy drop;
        meta protocol ip tcp sport 8080 meta mark set 0x2a fwd to "lo"
    }
}
EOF
    start_capture "$out/reorder.pcap" "tcp port $PORT"
    curl_get "$BASE/blob-512k.bin" "$got/reorder.bin"
    stop_capture
    nft list table netdev pl_reorder | grep -o 'counter packets [0-9]*' | awk '{ print $3 }' > "$out/reorder.pcap.nft"
    nft delete table netdev pl_reorder
    ip link del pl-ra

    log "zero-window.pcap"
    start_capture "$out/zero-window.pcap" "tcp port $PORT"
    $PIN timeout 30 python3 "$WORK/slow-reader.py" 127.0.0.1 "$PORT" /blob-128k.bin "$got/zero-window.bin" >&2
    stop_capture
    echo 0 > "$out/zero-window.pcap.nft"

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
for t in ip ss ethtool nft tcpdump tshark capinfos curl python3 openssl taskset sha256sum timeout sysctl; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done

outer_setup loss

# --- served files (deterministic) ------------------------------------------------
WWW=$WORK/www
mkdir -p "$WWW"
keystream() {
    head -c "$1" /dev/zero |
        openssl enc -aes-128-ctr -nosalt -K 5061636b65744c6164646572204c6f73 -iv 00000000000000000000000000000000
}
keystream $((768 * 1024)) > "$WWW/blob-768k.bin"
keystream $((512 * 1024)) > "$WWW/blob-512k.bin"
keystream $((128 * 1024)) > "$WWW/blob-128k.bin"

# The slow reader of zero-window.pcap: a small receive buffer (set before
# connect, so the window scale is small too), short reads with pauses longer
# than the persist timer (RTO, at least 200 ms), then a clean close.
cat > "$WORK/slow-reader.py" <<'EOF'
import socket, sys, time
host, port, path, outfile = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
deadline = time.monotonic() + 25
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.settimeout(10)
s.connect((host, port))
s.sendall(("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: pl-slow-reader\r\n"
           "Accept: */*\r\n\r\n" % (path, host, port)).encode())
buf = b""
while b"\r\n\r\n" not in buf:
    chunk = s.recv(2048)
    if not chunk:
        sys.exit("slow-reader: connection closed in the headers")
    buf += chunk
head, body = buf.split(b"\r\n\r\n", 1)
status = int(head.split(b" ", 2)[1])
length = [int(l.split(b":", 1)[1]) for l in head.split(b"\r\n")
          if l.lower().startswith(b"content-length:")][0]
pauses = {length // 4, length // 2}   # offsets where the reader stalls
while len(body) < length:
    if time.monotonic() > deadline:
        sys.exit("slow-reader: too slow")
    for p in sorted(pauses):
        if len(body) >= p:
            pauses.discard(p)
            time.sleep(0.7)
    time.sleep(0.01)
    chunk = s.recv(2048)
    if not chunk:
        sys.exit("slow-reader: connection closed in the body")
    body += chunk
s.close()
open(outfile, "wb").write(body)
print("      slow-reader: %d %d bytes" % (status, len(body)))
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
# In the background and waited for, so that a signal to this script runs the
# cleanup at once (bash defers traps while a foreground command runs).
timeout 200 ip netns exec "$NS" bash "$SCRIPT" --inner "$WORK" "$HTTP_SERVER" &
INNER_PID=$!
wait "$INNER_PID"
INNER_PID=''
ip netns del "$NS"

OUT=$WORK/out
FIXTURES=(loss-input.pcap loss-output.pcap reorder.pcap zero-window.pcap)
declare -A SERVED=([loss-input.pcap]=blob-768k.bin [loss-output.pcap]=blob-768k.bin
    [reorder.pcap]=blob-512k.bin [zero-window.pcap]=blob-128k.bin)

# --- checks ---------------------------------------------------------------------------
ts() { tshark "$@" 2>> "$WORK/tshark.err"; }
fail=0
check() { if eval "$2"; then log "ok: $1"; else log "FAILED: $1"; fail=1; fi; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

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

# Frames carrying each tcp.analysis flag, and expert-info lines, per file.
FLAGS=(retransmission fast_retransmission spurious_retransmission out_of_order
       lost_segment ack_lost_segment duplicate_ack zero_window zero_window_probe
       zero_window_probe_ack window_full window_update keep_alive keep_alive_ack)
declare -A N FRAMES STREAMS SIZE NFT HTTP_DEFAULT
count() { ts -n -r "$1" -Y "$2" -T fields -e frame.number | wc -l; }
for f in "${FIXTURES[@]}"; do
    p=$OUT/$f
    [[ -s $p ]] || die "$f was not written"
    FRAMES[$f]=$(capinfos -c -T -r "$p" | cut -f2)
    STREAMS[$f]=$(ts -n -r "$p" -Y tcp -T fields -e tcp.stream | sort -un | wc -l)
    SIZE[$f]=$(stat -c %s "$p")
    NFT[$f]=$(cat "$p.nft")
    for fl in "${FLAGS[@]}"; do N[$f,$fl]=$(count "$p" "tcp.analysis.$fl"); done
    N[$f,sack]=$(count "$p" tcp.options.sack_le)
    ts -n -r "$p" -q -z expert > "$WORK/$f.expert"

    check "$f: ${FRAMES[$f]} frames, ${STREAMS[$f]} stream, ${SIZE[$f]} bytes (< 1.5 MB)" \
        '(( SIZE[$f] < 1500000 && STREAMS[$f] == 1 ))'
    check "$f: classic pcap, Ethernet" \
        '[[ $(capinfos -t -T -r "$p" | cut -f2) == pcap && $(capinfos -E -T -r "$p" | cut -f2) == ether ]]'
    check "$f: SYN, SYN/ACK, FIN both ways, last ACK, no RST" 'streams_complete "$p"'
    check "$f: largest TCP payload <= 1448" \
        '(( $(ts -n -r "$p" -Y tcp -T fields -e tcp.len | sort -n | tail -n1) <= 1448 ))'
    check "$f: the client got ${SERVED[$f]} intact" \
        '[[ $(sha "$WORK/got/${f%.pcap}.bin") == $(sha "$WWW/${SERVED[$f]}") ]]'
    # With gaps filled late, tshark's default (no out-of-order reassembly)
    # never completes the response: it is counted and reported, and checked
    # with tcp.reassemble_out_of_order on.
    HTTP_DEFAULT[$f]=$(ts -n -r "$p" -Y http -T fields -e http.request.method -e http.response.code | awk 'NF' | paste -sd' ')
    check "$f: tshark sees the GET and, with out-of-order reassembly, one 200 (default: ${HTTP_DEFAULT[$f]//$'\t'/})" \
        '[[ $(ts -n -r "$p" -o tcp.reassemble_out_of_order:TRUE -Y http -T fields -e http.request.method -e http.response.code | awk NF | paste -sd" " | tr -d "\t") == "GET 200" ]]'
done

f=loss-input.pcap
check "$f: nftables dropped ${NFT[$f]} segments" '(( NFT[$f] >= 10 ))'
check "$f: retransmissions (${N[$f,retransmission]})" '(( N[$f,retransmission] >= 3 ))'
check "$f: fast retransmissions (${N[$f,fast_retransmission]})" '(( N[$f,fast_retransmission] >= 1 ))'
check "$f: duplicate ACKs (${N[$f,duplicate_ack]})" '(( N[$f,duplicate_ack] >= 3 ))'
check "$f: SACK blocks (${N[$f,sack]} frames)" '(( N[$f,sack] >= 3 ))'
f=loss-output.pcap
check "$f: nftables stole ${NFT[$f]} segments" '(( NFT[$f] >= 10 ))'
check "$f: previous segment not captured (${N[$f,lost_segment]})" '(( N[$f,lost_segment] >= 5 ))'
check "$f: gaps filled by retransmissions / out-of-order segments (${N[$f,retransmission]} + ${N[$f,fast_retransmission]} + ${N[$f,out_of_order]})" \
    '(( N[$f,retransmission] + N[$f,fast_retransmission] + N[$f,out_of_order] >= 5 ))'
check "$f: duplicate ACKs (${N[$f,duplicate_ack]})" '(( N[$f,duplicate_ack] >= 3 ))'
f=reorder.pcap
check "$f: nftables diverted ${NFT[$f]//$'\n'/ } segments" '(( $(head -n1 <<< "${NFT[$f]}") >= 5 ))'
check "$f: out-of-order segments (${N[$f,out_of_order]})" '(( N[$f,out_of_order] >= 3 ))'
check "$f: duplicate ACKs (${N[$f,duplicate_ack]})" '(( N[$f,duplicate_ack] >= 3 ))'
f=zero-window.pcap
check "$f: zero window (${N[$f,zero_window]})" '(( N[$f,zero_window] >= 2 ))'
check "$f: window full (${N[$f,window_full]})" '(( N[$f,window_full] >= 1 ))'
check "$f: window updates (${N[$f,window_update]})" '(( N[$f,window_update] >= 2 ))'
check "$f: zero window probes, as tshark names them: probe ${N[$f,zero_window_probe]} / keep-alive ${N[$f,keep_alive]}" \
    '(( N[$f,zero_window_probe] + N[$f,keep_alive] >= 2 ))'
TOTAL=0
for f in "${FIXTURES[@]}"; do TOTAL=$((TOTAL + SIZE[$f])); done
check "total size $TOTAL bytes < 4 MB" '(( TOTAL < 4000000 ))'

[[ $fail -eq 0 ]] || die "checks failed; outputs not written"

# --- outputs --------------------------------------------------------------------------
for f in "${FIXTURES[@]}"; do
    rm -f "$DATA/$f" "$DATA/$f.tshark.tsv"
    install -m 644 "$OUT/$f" "$DATA/$f"
    ( cd "$DATA" && "$DATA/../../build-aux/tshark-reference.sh" "$f" )
done

declare -A WHAT HOW
WHAT[loss-input.pcap]="one 786432-byte download; ${NFT[loss-input.pcap]} data segments dropped after the capture saw them: retransmissions, fast retransmissions, RTO retransmissions, dup ACKs with SACK"
HOW[loss-input.pcap]="nftables \`inet\` INPUT hook: \`$SEL_LOSS drop\`; http-server + curl on CPU 0"
WHAT[loss-output.pcap]="one 786432-byte download; ${NFT[loss-output.pcap]} data segments lost before the capture: previous segment not captured, then the retransmission fills the gap"
HOW[loss-output.pcap]="nftables \`netdev\` EGRESS hook on lo: \`$SEL_LOSS fwd to\` a veth that is down (a plain drop is reported to TCP, which resends at once: no gap)"
WHAT[reorder.pcap]="one 524288-byte download; $(head -n1 <<< "${NFT[reorder.pcap]}") data segments arrive late (real reordering): out-of-order, dup ACKs with SACK, some fast retransmissions"
HOW[reorder.pcap]="nftables \`netdev\` EGRESS hook on lo: \`$SEL_REORDER fwd to\` a veth pair whose other end's INGRESS hook sends it back to lo"
WHAT[zero-window.pcap]="one 131072-byte download to a slow reader: zero window, window full, zero window probes, window updates"
HOW[zero-window.pcap]='python3 client, `SO_RCVBUF` 4096, reads 2048 bytes every 10 ms, pauses 0.7 s twice'

fmt_flags() {
    local f=$1 fl s=''
    for fl in retransmission fast_retransmission spurious_retransmission out_of_order lost_segment \
              ack_lost_segment duplicate_ack zero_window zero_window_probe zero_window_probe_ack \
              window_full window_update keep_alive keep_alive_ack; do
        s+=" ${N[$f,$fl]} |"
    done
    echo "| \`$f\` |$s ${N[$f,sack]} |"
}

{
cat <<'EOF'
## Loss, reordering and zero window: `make-loss-fixtures.sh`

Real loopback traffic too (no file from `../shared/pcaps/`), made by
`make-loss-fixtures.sh`, which rewrites this section: one HTTP/1.1 download
per capture from npm http-server on 127.0.0.1:8080 in a private network
namespace, `lo` at MTU 1500 with offloads off and `gso_max_segs 1` (TCP
builds 64 KB GSO packets whatever ethtool says; one segment per skb makes a
drop act on one segment), server and client pinned to CPU 0 (with two CPUs,
lo's per-CPU receive queues reorder many segments on their own; pinned, the
loss files may still show a few segments in swapped pairs (after an RTO),
which tshark flags "previous segment(s) not captured" then "out-of-order" even
in `loss-input.pcap` in some runs), served bytes an AES-CTR keystream with a fixed key. tcpdump on `lo` keeps the receive-side
copy of each packet, taken before PREROUTING/INPUT: an INPUT drop is
captured, a drop before the device is not. When a hole in the response is
filled late, tshark with default preferences (`tcp.reassemble_out_of_order`
off) never completes the HTTP response, so its `.tshark.tsv` shows the GET but
no 200; with that preference on, every file has its 200.

| file | what it exercises | link type | frames | TCP streams | bytes | HTTP in tshark (default prefs) | how made |
| --- | --- | --- | ---: | ---: | ---: | --- | --- |
EOF
for f in "${FIXTURES[@]}"; do
    echo "| \`$f\` | ${WHAT[$f]} | Ethernet (1) | ${FRAMES[$f]} | ${STREAMS[$f]} | ${SIZE[$f]} | $(tr '\t' ' ' <<< "${HTTP_DEFAULT[$f]}" | tr -s ' ') | ${HOW[$f]} |"
done
cat <<'EOF'

Frames carrying each `tcp.analysis.*` flag (tshark 4.0; the last column counts
frames with SACK blocks). On loopback the handshake RTT is some 25 us, and
tshark calls a segment that fills a hole "out-of-order" when it comes less than
one handshake RTT after the highest one, "retransmission" otherwise; so quick
(RACK/SACK) retransmissions are flagged out-of-order too. Linux probes a zero
window with a zero-length segment at `snd_una - 1`, which tshark calls a
keep-alive, not a zero window probe.

| file | retr. | fast retr. | spurious | out-of-order | lost segment | ACKed lost | dup ACK | zero window | ZW probe | ZW probe ACK | window full | window update | keep-alive | keep-alive ACK | SACK |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
EOF
for f in "${FIXTURES[@]}"; do fmt_flags "$f"; done
cat <<EOF

Tool versions used for these files: $(tcpdump --version 2>&1 | head -n1), $(curl --version | head -n1 | cut -d' ' -f1-2),
http-server $("$HTTP_SERVER" --version), $(nft --version), $(tshark --version 2>/dev/null | head -n1 | cut -d' ' -f1-3), kernel $(uname -r).
EOF
} > "$WORK/readme-section.md"
readme_section "$DATA/README.md" make-loss-fixtures.sh "$WORK/readme-section.md"

for f in "${FIXTURES[@]}"; do
    log "wrote $f (${SIZE[$f]} bytes, ${FRAMES[$f]} frames); expert info:"
    grep -E '^ +[0-9]+ ' "$WORK/$f.expert" | sed 's/^ */    /' >&2
done
