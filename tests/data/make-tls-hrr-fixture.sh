#!/bin/bash
# make-tls-hrr-fixture.sh: regenerate tests/data/tls-hrr.pcap, real loopback
# TLS 1.3 traffic with a HelloRetryRequest, with its tshark references
# tls-hrr.pcap.tshark.tsv and tls-hrr.pcap.tls.tsv and its section of
# tests/data/README.md.
#
# Usage (as root, from anywhere; takes about 10 seconds):
#     sudo tests/data/make-tls-hrr-fixture.sh
#
# Needs: iproute2 (ip, ss), ethtool, tcpdump, tshark + capinfos, openssl.
#
# In a private network namespace (pl14-hrr-PID) with lo at MTU 1500 and
# offloads off: `openssl s_server -tls1_3 -groups P-256` on 127.0.0.1:443
# and `openssl s_client -groups X25519:P-256`, whose first ClientHello
# carries an X25519 key share only.  The server answers with a
# HelloRetryRequest (a ServerHello whose random is RFC 8446's fixed value)
# asking for P-256; the client sends its compatibility ChangeCipherSpec and
# a second ClientHello, in clear, then the handshake goes on as usual.

# The check expressions are single-quoted on purpose: check() evals them.
# shellcheck disable=SC2016

set -euo pipefail

PROG=make-tls-hrr-fixture.sh
SCRIPT=$(readlink -f "$0")
DATA=$(dirname "$SCRIPT")
# shellcheck source=fixture-lib.sh
. "$DATA/fixture-lib.sh"

inner() {
    trap inner_cleanup EXIT
    trap 'exit 130' INT TERM

    setup_lo
    local out=$WORK/out pid
    mkdir -p "$out"
    openssl s_server -quiet -accept 127.0.0.1:443 -tls1_3 -groups P-256 -alpn h2 -www \
        -cert "$WORK/cert.pem" -key "$WORK/key.pem" < /dev/null >> "$WORK/server.log" 2>&1 &
    pid=$!
    SERVER_PIDS+=("$pid")
    wait_for "s_server on 443" "$pid" listening 443
    start_capture "$out/tls-hrr.pcap" "tcp port 443"
    printf 'GET / HTTP/1.0\r\n\r\n' | timeout 15 openssl s_client -quiet -connect 127.0.0.1:443 -tls1_3 \
        -groups X25519:P-256 -servername hrr.example.org -alpn h2,http/1.1 >/dev/null 2>> "$WORK/client.log" || true
    stop_capture
    stop_servers
}

if [[ ${1:-} == --inner ]]; then
    WORK=$2
    inner
    exit 0
fi

[[ $(id -u) -eq 0 ]] || die "must run as root (network namespace, capture)"
for t in ip ss ethtool tcpdump tshark capinfos timeout openssl; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done

outer_setup hrr
NS=pl14-hrr-$$
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=example.org" -days 30 \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
chmod -R a+rX "$WORK"

ip netns add "$NS"
timeout 60 ip netns exec "$NS" bash "$SCRIPT" --inner "$WORK" &
INNER_PID=$!
wait "$INNER_PID"
INNER_PID=''
ip netns del "$NS"

p=$WORK/out/tls-hrr.pcap
[[ -s $p ]] || die "tls-hrr.pcap was not written"
ts() { tshark -n "$@" 2>> "$WORK/tshark.err"; }
count() { ts -r "$p" -Y "$1" -T fields -e frame.number | wc -l; }
fail=0
check() { if eval "$2"; then log "ok: $1"; else log "FAILED: $1"; fail=1; fi; }
FRAMES=$(capinfos -c -T -r "$p" | cut -f2)
STREAMS=$(ts -r "$p" -Y tcp -T fields -e tcp.stream | sort -un | wc -l)
SIZE=$(stat -c %s "$p")
check "one connection" '(( STREAMS == 1 ))'
check "two ClientHellos" '(( $(count "tls.handshake.type == 1") == 2 ))'
check "a HelloRetryRequest and a ServerHello" '(( $(count "tls.handshake.type == 2") == 2 ))'
check "application data went both ways" '(( $(count "tls.record.opaque_type == 23 && tcp.srcport == 443") >= 1 ))'
[[ $fail -eq 0 ]] || die "checks failed; outputs not written"

install -m 644 "$p" "$DATA/tls-hrr.pcap"
( cd "$DATA" && "$DATA/../../build-aux/tshark-reference.sh" tls-hrr.pcap &&
  "$DATA/../../build-aux/tshark-tls-reference.sh" tls-hrr.pcap )

{
cat <<EOF2
## TLS 1.3 HelloRetryRequest: \`make-tls-hrr-fixture.sh\`

Real loopback traffic in a private network namespace; the script rewrites
this section.

| file | what it exercises | link type | frames | TCP streams | bytes | how made |
| --- | --- | --- | ---: | ---: | ---: | --- |
| \`tls-hrr.pcap\` | TLS 1.3 with a HelloRetryRequest: the client's X25519 key share is refused, the compatibility ChangeCipherSpec, a second ClientHello in clear after it | Ethernet (1) | $FRAMES | $STREAMS | $SIZE | \`openssl s_server -groups P-256\`, \`openssl s_client -groups X25519:P-256\` |

Tool versions used for this file: $(tcpdump --version 2>&1 | head -n1), $(openssl version),
$(tshark --version 2>/dev/null | head -n1 | cut -d' ' -f1-3), kernel $(uname -r).
EOF2
} > "$WORK/readme-section.md"
readme_section "$DATA/README.md" make-tls-hrr-fixture.sh "$WORK/readme-section.md"
log "wrote tls-hrr.pcap ($SIZE bytes, $FRAMES frames, $STREAMS streams)"
