#!/bin/bash
# make-tls-fixtures.sh: regenerate tests/data/tls-lab.pcap, real loopback
# TLS traffic (TLS 1.2 and 1.3, no decryption), with its tshark references
# tls-lab.pcap.tshark.tsv (build-aux/tshark-reference.sh) and
# tls-lab.pcap.tls.tsv (build-aux/tshark-tls-reference.sh), and its section
# of tests/data/README.md.
#
# Usage (as root, from anywhere; takes about 20 seconds):
#     sudo tests/data/make-tls-fixtures.sh
#
# Needs: iproute2 (ip, ss), ethtool, tcpdump, tshark + capinfos, openssl,
#        curl, python3.
#
# In a private network namespace that this script creates and deletes
# (pl14-tls-PID), lo at MTU 1500 with offloads off (fixture-lib.sh), a
# self-signed RSA certificate for CN=example.org, and one `openssl s_server`
# per port; one connection each, in this order:
#
#   443   TLS 1.2, ALPN http/1.1, curl --http1.1 GET /; the server sends
#         records of at most 512 bytes (-max_send_frag 512), so its
#         Certificate message is split over two records
#   8443  TLS 1.3, ALPN h2: pl-tls-client.py, whose ClientHello goes out in
#         two TCP segments (60 bytes, then the rest)
#   4433  TLS 1.3 on a port no dissector owns, curl --http1.1 GET of a
#         40000-byte file (-WWW): 16 KB records, each over a dozen segments
#   8444  TLS 1.2, the server allows only AES128-SHA and curl offers only
#         ECDHE-RSA-CHACHA20-POLY1305: Alert fatal handshake_failure
#   993   TLS 1.2, pl-tls-client.py offering h2 and http/1.1 (the server
#         knows neither), ClientHello split after 5 bytes (the record header)
#
# Running it again replaces the outputs (ports of the clients, times, keys).

# The check expressions are single-quoted on purpose: check() evals them.
# shellcheck disable=SC2016

set -euo pipefail

PROG=make-tls-fixtures.sh
SCRIPT=$(readlink -f "$0")
DATA=$(dirname "$SCRIPT")
# shellcheck source=fixture-lib.sh
. "$DATA/fixture-lib.sh"

# start_tls PORT ARGS...: one openssl s_server on 127.0.0.1:PORT.
start_tls() {
    local port=$1 pid
    shift
    ( cd "$WORK/www" && exec openssl s_server -quiet -accept "127.0.0.1:$port" \
        -cert "$WORK/cert.pem" -key "$WORK/key.pem" "$@" ) < /dev/null >> "$WORK/server.log" 2>&1 &
    pid=$!
    SERVER_PIDS+=("$pid")
    wait_for "s_server on $port" "$pid" listening "$port"
}

inner() {
    trap inner_cleanup EXIT
    trap 'exit 130' INT TERM

    setup_lo
    local out=$WORK/out
    mkdir -p "$out"
    start_tls 443 -tls1_2 -alpn http/1.1 -max_send_frag 512 -www
    start_tls 8443 -tls1_3 -alpn h2 -www
    start_tls 4433 -tls1_3 -WWW
    start_tls 8444 -tls1_2 -cipher AES128-SHA -www
    start_tls 993 -tls1_2 -www

    local R='--resolve example.org:443:127.0.0.1 --resolve example.org:4433:127.0.0.1 --resolve example.org:8444:127.0.0.1'
    start_capture "$out/tls-lab.pcap" "tcp port 443 or tcp port 8443 or tcp port 4433 or tcp port 8444 or tcp port 993"
    # shellcheck disable=SC2086  # $R is a word list on purpose
    timeout 15 curl -sk --http1.1 --tlsv1.2 --tls-max 1.2 $R -o /dev/null https://example.org/ >&2
    timeout 15 python3 "$DATA/pl-tls-client.py" 127.0.0.1 8443 example.org h2 60 TLS1.3 >&2
    # shellcheck disable=SC2086
    timeout 15 curl -sk --http1.1 --tlsv1.3 $R -o "$WORK/big.out" https://example.org:4433/big.txt >&2
    cmp "$WORK/big.out" "$WORK/www/big.txt" || die "the 40000-byte file did not come back"
    # shellcheck disable=SC2086
    timeout 15 curl -sk --http1.1 --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-CHACHA20-POLY1305 $R \
        -o /dev/null https://example.org:8444/ >&2 && die "the handshake to 8444 should fail"
    timeout 15 python3 "$DATA/pl-tls-client.py" 127.0.0.1 993 mail.example.org h2,http/1.1 5 TLS1.2 >&2
    stop_capture
    stop_servers
}

if [[ ${1:-} == --inner ]]; then
    WORK=$2
    inner
    exit 0
fi

[[ $(id -u) -eq 0 ]] || die "must run as root (network namespace, capture)"
for t in ip ss ethtool tcpdump tshark capinfos python3 timeout openssl curl; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done

outer_setup tls
NS=pl14-tls-$$
mkdir -p "$WORK/www"
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=example.org" -days 30 \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
python3 -c 'import sys; sys.stdout.write("".join("line %05d of a file that is large enough for several TLS records\n" % i for i in range(40000 // 64))[:40000].ljust(40000, "."))' > "$WORK/www/big.txt"
chmod -R a+rX "$WORK"

ip netns add "$NS"
timeout 120 ip netns exec "$NS" bash "$SCRIPT" --inner "$WORK" &
INNER_PID=$!
wait "$INNER_PID"
INNER_PID=''
ip netns del "$NS"

p=$WORK/out/tls-lab.pcap
[[ -s $p ]] || die "tls-lab.pcap was not written"
ts() { tshark -n "$@" 2>> "$WORK/tshark.err"; }
count() { ts -r "$p" -Y "$1" -T fields -e frame.number | wc -l; }
fail=0
check() { if eval "$2"; then log "ok: $1"; else log "FAILED: $1"; fail=1; fi; }
FRAMES=$(capinfos -c -T -r "$p" | cut -f2)
STREAMS=$(ts -r "$p" -Y tcp -T fields -e tcp.stream | sort -un | wc -l)
SIZE=$(stat -c %s "$p")
check "five connections" '(( STREAMS == 5 ))'
check "tshark reads TLS on every stream" \
    '(( $(ts -r "$p" -Y tls -T fields -e tcp.stream | sort -un | wc -l) == 5 ))'
check "two ServerHello with TLS 1.3" '(( $(count "tls.handshake.extensions.supported_version == 0x0304 && tls.handshake.type == 2") == 2 ))'
check "one fatal handshake_failure alert" '(( $(count "tls.alert_message.desc == 40") == 1 ))'
check "the SNI example.org on four streams" '(( $(count "tls.handshake.extensions_server_name == \"example.org\"") == 4 ))'
check "a record over many segments" '(( $(count "tcp.reassembled.length > 16000") >= 2 ))'
[[ $fail -eq 0 ]] || die "checks failed; outputs not written"

install -m 644 "$p" "$DATA/tls-lab.pcap"
( cd "$DATA" && "$DATA/../../build-aux/tshark-reference.sh" tls-lab.pcap &&
  "$DATA/../../build-aux/tshark-tls-reference.sh" tls-lab.pcap )

{
cat <<EOF2
## TLS: \`make-tls-fixtures.sh\`

Real loopback TLS traffic in a private network namespace (no file from
\`../shared/pcaps/\`): \`openssl s_server\` with a self-signed certificate for
CN=example.org on five ports, curl and \`pl-tls-client.py\` (Python's ssl
over a memory BIO, so the ClientHello can go out in two segments) as
clients; the script rewrites this section.  \`tls-lab.pcap.tls.tsv\` is
tshark's \`tls.record.content_type\`, \`tls.handshake.type\` (all occurrences)
and \`tls.handshake.extensions_server_name\` per frame
(\`build-aux/tshark-tls-reference.sh\`).

| file | what it exercises | link type | frames | TCP streams | bytes | how made |
| --- | --- | --- | ---: | ---: | ---: | --- |
| \`tls-lab.pcap\` | TLS 1.2 (443, ALPN http/1.1, the Certificate split over two 512-byte records), TLS 1.3 with ALPN h2 and a ClientHello in two segments (8443), TLS 1.3 on a port no dissector owns with 16 KB records over a dozen segments each (4433), a fatal handshake_failure alert (8444), TLS 1.2 on 993 with the ClientHello cut after its record header | Ethernet (1) | $FRAMES | $STREAMS | $SIZE | \`openssl s_server\`, \`curl -k\`, \`pl-tls-client.py\`, see the script's header |

Tool versions used for this file: $(tcpdump --version 2>&1 | head -n1), $(openssl version),
$(curl --version | head -n1 | cut -d' ' -f1-2), $(python3 --version), $(tshark --version 2>/dev/null | head -n1 | cut -d' ' -f1-3), kernel $(uname -r).
EOF2
} > "$WORK/readme-section.md"
readme_section "$DATA/README.md" make-tls-fixtures.sh "$WORK/readme-section.md"
log "wrote tls-lab.pcap ($SIZE bytes, $FRAMES frames, $STREAMS streams)"
