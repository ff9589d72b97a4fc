#!/bin/bash
# make-tunnel-fixtures.sh: regenerate tests/data/tunnel-*.pcap, TCP in
# tunnels, with their tshark references (tunnel-*.pcap.tshark.tsv) and
# their section of tests/data/README.md.
#
# Usage (as root, from anywhere; takes about 20 seconds):
#     sudo tests/data/make-tunnel-fixtures.sh
#
# Needs: iproute2 (ip, ss), ethtool, tcpdump, tshark, curl, python3.
#
# Two private network namespaces that this script creates and deletes,
# joined by a veth pair (10.99.0.1 and 10.99.0.2, MTU 1500, offloads off),
# and a VXLAN (VNI 42, UDP 4789) over it with 192.168.42.1/2 and
# fd42::1/2.  python3 -m http.server listens in the second on a random
# port; curl in the first fetches a 40,000-byte file over IPv4 and the
# index over IPv6.  tcpdump on the first veth writes tunnel-vxlan.pcap:
# real kernel VXLAN frames.  This kernel has no GRE, IP-in-IP, Geneve or
# MPLS devices, so wrap-tunnels.py re-wraps the same inner frames (bytes and
# times unchanged) in GRE (key, sequence number, checksum), GRE over IPv6
# carrying Ethernet, IP-in-IP and 6in4, 4in6 and 6in6, an MPLS label stack,
# and Geneve with an option.
#
# Running it again replaces the outputs (ports and times change).
set -euo pipefail

PROG=make-tunnel-fixtures.sh
SCRIPT=$(readlink -f "$0")
DATA=$(dirname "$SCRIPT")
SRCDIR=$(dirname "$(dirname "$DATA")")
# shellcheck source=fixture-lib.sh
. "$DATA/fixture-lib.sh"

[[ $(id -u) -eq 0 ]] || die "must run as root (network namespaces, capture)"
for t in ip ss ethtool tcpdump tshark curl python3 timeout; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done

WORK=$(mktemp -d /tmp/pl-tunnel-fixtures.XXXXXX)
chmod 755 "$WORK"
A=pl-tun-a-$$
B=pl-tun-b-$$
SERVER_PID=''
CAPTURE_PID=''
export LC_ALL=C
export WIRESHARK_CONFIG_DIR=$WORK/wireshark
mkdir -p "$WIRESHARK_CONFIG_DIR"

cleanup() {
    local rc=$? ns pid
    stop_pid "$CAPTURE_PID" INT
    stop_pid "$SERVER_PID" TERM
    for ns in "$A" "$B"; do
        if ip netns list 2>/dev/null | grep -qw "$ns"; then
            for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -s KILL "$pid" 2>/dev/null || true; done
            ip netns del "$ns" 2>/dev/null || true
        fi
    done
    [[ -n ${KEEP_WORK:-} ]] && log "KEEP_WORK set: left $WORK" || rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$A"
ip netns add "$B"
ip link add va netns "$A" type veth peer name vb netns "$B"
for side in "$A va 10.99.0.1 10.99.0.2 192.168.42.1 fd42::1" "$B vb 10.99.0.2 10.99.0.1 192.168.42.2 fd42::2"; do
    read -r ns dev me peer v4 v6 <<< "$side"
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "$dev" up mtu 1500
    ip -n "$ns" addr add "$me/24" dev "$dev"
    ip netns exec "$ns" ethtool -K "$dev" gso off tso off gro off tx off rx off >/dev/null 2>&1 || true
    ip -n "$ns" link add vx42 type vxlan id 42 remote "$peer" local "$me" dstport 4789 dev "$dev"
    ip -n "$ns" link set vx42 up mtu 1450
    ip -n "$ns" addr add "$v4/24" dev vx42
    ip -n "$ns" addr add "$v6/64" dev vx42 nodad
    ip netns exec "$ns" ethtool -K vx42 gso off tso off gro off >/dev/null 2>&1 || true
done

WWW=$WORK/www
mkdir -p "$WWW"
printf '<!doctype html>\n<title>Packet Ladder</title>\n<p>Through a tunnel.</p>\n' > "$WWW/index.html"
python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7 + 3) & 0xff for i in range(40000)))' > "$WWW/big.bin"
chmod -R a+rX "$WWW"

PORT=$((20000 + RANDOM % 30000))
( cd "$WWW" && exec ip netns exec "$B" python3 -m http.server "$PORT" --bind :: ) > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
listening_in_b() { ip netns exec "$B" ss -Hltn "sport = :$PORT" | grep -q .; }
wait_for "http.server on $PORT" "$SERVER_PID" listening_in_b

: > "$WORK/capture.log"
ip netns exec "$A" tcpdump -i va -s 0 -n -U -Z root -w "$WORK/tunnel-vxlan.pcap" "udp port 4789" 2> "$WORK/capture.log" &
CAPTURE_PID=$!
wait_for tcpdump "$CAPTURE_PID" grep -q 'listening on' "$WORK/capture.log"
sleep 0.5
timeout 20 ip netns exec "$A" curl -sS -o /dev/null "http://192.168.42.2:$PORT/big.bin" >&2
timeout 20 ip netns exec "$A" curl -sS -g -o /dev/null "http://[fd42::2]:$PORT/index.html" >&2
sleep 2
stop_pid "$CAPTURE_PID" INT
CAPTURE_PID=''
grep -Eq '^0 packets dropped by kernel' "$WORK/capture.log" || die "the capture dropped packets"
stop_pid "$SERVER_PID" TERM
SERVER_PID=''

python3 "$DATA/wrap-tunnels.py" "$WORK/tunnel-vxlan.pcap" "$WORK"

# Checks: tshark sees the two TCP streams in each (the other frames are the
# inner ARP and neighbour discovery).
fail=0
for f in "$WORK"/tunnel-*.pcap; do
    name=$(basename "$f")
    streams=$(tshark -n -r "$f" -Y tcp -T fields -e tcp.stream 2>/dev/null | sort -u | wc -l)
    frames=$(tshark -n -r "$f" -Y tcp -T fields -e frame.number 2>/dev/null | wc -l)
    if [[ $streams -ne 2 || $frames -lt 60 ]]; then
        log "check failed: $name: $streams streams, $frames TCP frames"
        fail=1
    fi
done
[[ $fail -eq 0 ]] || die "checks failed; outputs not copied"

for f in "$WORK"/tunnel-*.pcap; do
    install -m 644 "$f" "$DATA/"
    sh "$SRCDIR/build-aux/tshark-reference.sh" "$DATA/$(basename "$f")"
done

body=$WORK/readme
{
    echo "## tunnel-*.pcap (make-tunnel-fixtures.sh)"
    echo
    echo "TCP inside tunnels: real HTTP traffic (python3 http.server, curl, port $PORT) over a"
    echo "kernel VXLAN between two network namespaces, captured on the underlay"
    echo "(tunnel-vxlan.pcap), and the same inner frames re-wrapped by wrap-tunnels.py"
    echo "in the tunnels this kernel cannot make:"
    echo
    echo "| file | frames | outer headers |"
    echo "| --- | --- | --- |"
    for f in "$DATA"/tunnel-*.pcap; do
        n=$(tshark -n -r "$f" -T fields -e frame.number 2>/dev/null | wc -l)
        p=$(tshark -n -r "$f" -c 1 -T fields -e frame.protocols 2>/dev/null)
        echo "| $(basename "$f") | $n | \`$p\` |"
    done
} > "$body"
readme_section "$DATA/README.md" tunnel-fixtures "$body"
log "done: $(ls "$DATA"/tunnel-*.pcap | wc -l) captures"
