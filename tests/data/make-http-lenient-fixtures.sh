#!/bin/bash
# make-http-lenient-fixtures.sh: regenerate tests/data/http-methods.pcap, real
# loopback traffic with request methods outside GET/HEAD/POST and request
# lines that are not HTTP/1.x syntax, with its tshark reference
# http-methods.pcap.tshark.tsv and its section of tests/data/README.md.
#
# Usage (as root, from anywhere; takes about 15 seconds):
#     sudo tests/data/make-http-lenient-fixtures.sh
#
# Needs: iproute2 (ip, ss), ethtool, tcpdump, tshark + capinfos, python3 and
#        npm's http-server (installed into a temporary npm prefix when it is
#        not on PATH).
#
# In a private network namespace that this script creates and deletes: npm
# http-server on 127.0.0.1:8080 and python3 -m http.server on 127.0.0.1:80
# and 127.0.0.1:8081 (80 and 8080 are HTTP ports for Wireshark, 8081 is
# not).  Each request is one connection of `pl-wire.py raw` (the exact bytes
# given), in this order:
#
#   8080  NOTIFY * HTTP/1.1 (UPnP GENA)               -> 405
#   8080  SUBSCRIBE /evt HTTP/1.1                      -> 405
#   8080  UNSUBSCRIBE /evt HTTP/1.1                    -> 405
#   8080  CCM_POST /ccm HTTP/1.1                       -> 400 (Node has no such method)
#   8080  PURGE /index.html HTTP/1.1 (a token Wireshark 4.0 does not know)
#                                                      -> 405
#   8080  GET HTTP/1.1 (no target)                     -> 400
#   8080  GET /a b.html HTTP/1.1 (a space in the target) -> 400
#   80    GET / (HTTP/0.9: no version, no headers; half-closed)
#                                                      -> the page, no status line
#   80    GET /index.html (no version, with headers)   -> the page, no status line
#   8081  GET /a b.html HTTP/1.1                       -> 400 (HTTP/1.0)
#
# Running it again replaces the outputs (ports and times change).

# The check expressions are single-quoted on purpose: check() evals them.
# shellcheck disable=SC2016

set -euo pipefail

PROG=make-http-lenient-fixtures.sh
SCRIPT=$(readlink -f "$0")
DATA=$(dirname "$SCRIPT")
# shellcheck source=fixture-lib.sh
. "$DATA/fixture-lib.sh"

H='Host: 127.0.0.1\r\nUser-Agent: pl-wire\r\n\r\n'
# port, request, "shut" or ""
REQUESTS=(
    "8080|NOTIFY * HTTP/1.1\r\nNT: upnp:event\r\nNTS: upnp:propchange\r\nSID: uuid:pl-1\r\nSEQ: 0\r\nContent-Length: 0\r\n$H|"
    "8080|SUBSCRIBE /evt HTTP/1.1\r\nCALLBACK: <http://127.0.0.1:9/cb>\r\nNT: upnp:event\r\nTIMEOUT: Second-300\r\n$H|"
    "8080|UNSUBSCRIBE /evt HTTP/1.1\r\nSID: uuid:pl-1\r\n$H|"
    "8080|CCM_POST /ccm HTTP/1.1\r\nContent-Length: 0\r\n$H|"
    "8080|PURGE /index.html HTTP/1.1\r\n$H|"
    "8080|GET HTTP/1.1\r\n$H|"
    "8080|GET /a b.html HTTP/1.1\r\n$H|"
    "80|GET /\r\n|shut"
    "80|GET /index.html\r\n$H|"
    "8081|GET /a b.html HTTP/1.1\r\n$H|"
)

inner() {
    trap inner_cleanup EXIT
    trap 'exit 130' INT TERM

    setup_lo
    local out=$WORK/out r port req shut
    mkdir -p "$out"
    start_server 127.0.0.1 8080 "$WWW"
    for port in 80 8081; do
        ( cd "$WWW" && exec python3 -m http.server "$port" --bind 127.0.0.1 ) >> "$WORK/server.log" 2>&1 &
        SERVER_PIDS+=("$!")
        wait_for "python3 http.server on $port" "$!" listening "$port"
    done

    start_capture "$out/http-methods.pcap" "tcp port 80 or tcp port 8080 or tcp port 8081"
    for r in "${REQUESTS[@]}"; do
        IFS='|' read -r port req shut <<< "$r"
        timeout 15 python3 "$DATA/pl-wire.py" raw 127.0.0.1 "$port" "$req" $shut >&2
    done
    stop_capture
    stop_servers
}

if [[ ${1:-} == --inner ]]; then
    WORK=$2 WWW=$2/www HTTP_SERVER=$3
    inner
    exit 0
fi

[[ $(id -u) -eq 0 ]] || die "must run as root (network namespace, capture)"
for t in ip ss ethtool tcpdump tshark capinfos python3 timeout; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done

outer_setup lenient
WWW=$WORK/www
mkdir -p "$WWW"
printf '<!doctype html>\n<title>Packet Ladder</title>\n<p>A small page.</p>\n' > "$WWW/index.html"
chmod -R a+rX "$WWW"

HTTP_SERVER=$(command -v http-server || true)
if [[ -z $HTTP_SERVER ]]; then
    log "http-server not on PATH; installing it into a temporary npm prefix"
    timeout 180 npm install --silent --no-audit --no-fund --prefix "$WORK/npm" http-server >&2 ||
        die "npm install http-server failed"
    HTTP_SERVER=$WORK/npm/node_modules/.bin/http-server
fi

ip netns add "$NS"
timeout 120 ip netns exec "$NS" bash "$SCRIPT" --inner "$WORK" "$HTTP_SERVER" &
INNER_PID=$!
wait "$INNER_PID"
INNER_PID=''
ip netns del "$NS"

p=$WORK/out/http-methods.pcap
[[ -s $p ]] || die "http-methods.pcap was not written"
ts() { tshark -n "$@" 2>> "$WORK/tshark.err"; }
count() { ts -r "$p" -Y "$1" -T fields -e frame.number | wc -l; }
fail=0
check() { if eval "$2"; then log "ok: $1"; else log "FAILED: $1"; fail=1; fi; }
FRAMES=$(capinfos -c -T -r "$p" | cut -f2)
STREAMS=$(ts -r "$p" -Y tcp -T fields -e tcp.stream | sort -un | wc -l)
SIZE=$(stat -c %s "$p")
check "${#REQUESTS[@]} connections" '(( STREAMS == ${#REQUESTS[@]} ))'
check "tshark reads NOTIFY, SUBSCRIBE, UNSUBSCRIBE, CCM_POST" \
    '(( $(count "http.request.method == NOTIFY || http.request.method == SUBSCRIBE || http.request.method == UNSUBSCRIBE || http.request.method == CCM_POST") == 4 ))'
check "tshark does not know PURGE" '(( $(count "http.request.method == PURGE") == 0 ))'
check "tshark reads the lenient request lines on its HTTP ports and after HTTP/1.1" \
    '(( $(count "http.request.method == GET") == 4 ))'
check "four 405 and three 400 from npm http-server, one 400 from python" \
    '(( $(count "http.response.code == 405") == 4 && $(count "http.response.code == 400") == 4 ))'
[[ $fail -eq 0 ]] || die "checks failed; outputs not written"

install -m 644 "$p" "$DATA/http-methods.pcap"
( cd "$DATA" && "$DATA/../../build-aux/tshark-reference.sh" http-methods.pcap )

{
cat <<EOF
## HTTP methods and lenient request lines: \`make-http-lenient-fixtures.sh\`

Real loopback traffic in a private network namespace (no file from
\`../shared/pcaps/\`): npm http-server on 127.0.0.1:8080 and python3
\`http.server\` on 127.0.0.1:80 and :8081, one connection per request,
written byte for byte by \`pl-wire.py raw\`; the script rewrites this section.

| file | what it exercises | link type | frames | TCP streams | bytes | how made |
| --- | --- | --- | ---: | ---: | ---: | --- |
| \`http-methods.pcap\` | methods as tokens (RFC 9110 9.1): NOTIFY, SUBSCRIBE, UNSUBSCRIBE, CCM_POST, PURGE (unknown to Wireshark 4.0); request lines read as Wireshark reads them: no target (\`GET HTTP/1.1\`), a space in the target, HTTP/0.9 \`GET /\` (no head end: never complete), no version with headers; the responses paired | Ethernet (1) | $FRAMES | $STREAMS | $SIZE | \`pl-wire.py raw\`, see the script's header for the ten requests |

Tool versions used for this file: $(tcpdump --version 2>&1 | head -n1), http-server $("$HTTP_SERVER" --version),
$(python3 --version), $(tshark --version 2>/dev/null | head -n1 | cut -d' ' -f1-3), kernel $(uname -r).
EOF
} > "$WORK/readme-section.md"
readme_section "$DATA/README.md" make-http-lenient-fixtures.sh "$WORK/readme-section.md"
log "wrote http-methods.pcap ($SIZE bytes, $FRAMES frames, $STREAMS streams)"
