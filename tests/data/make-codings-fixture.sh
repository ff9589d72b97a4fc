#!/bin/bash
# make-codings-fixture.sh: regenerate tests/data/http-codings.pcap, HTTP/1.1
# bodies in every framing and content coding we decode, from real loopback
# traffic, with its tshark reference and its section of tests/data/README.md.
#
# Usage (as root, from anywhere; takes about 15 seconds):
#     sudo tests/data/make-codings-fixture.sh
#
# Needs: iproute2 (ip, ss), ethtool, tcpdump, tshark + capinfos, curl,
#        python3, sha256sum.
#
# A small python3 server (http.server, HTTP/1.1 keep-alive) on 127.0.0.1:8081
# in a private network namespace (lo MTU 1500, offloads off, one segment per
# skb: see fixture-lib.sh) answers, each body a few segments long:
#
#   GET /chunked.txt         Transfer-Encoding: chunked (chunks of 1000,
#                            3000, 7 and 4096 bytes, a chunk extension, a
#                            trailer field)
#   GET /gzip.html           Content-Encoding: gzip, Content-Length
#   GET /deflate.json        Content-Encoding: deflate (zlib, RFC 9110 8.4.1.2)
#   GET /chunked-gzip.css    Transfer-Encoding: chunked + Content-Encoding: gzip
#   PUT /upload              a chunked request body (curl -T -), answered 201
#                            with a short identity body
#
# The four GETs share one keep-alive connection (one curl), the PUT has its
# own.  curl --compressed decodes what it receives; the script checks that
# every decoded body equals the file served, so the capture holds what a real
# client accepted.
#
# Running it again replaces every output.  The namespace, server, capture and
# temporary directory are removed on exit, also on failure; every wait is
# bounded.

# The check expressions are single-quoted on purpose: check() evals them.
# shellcheck disable=SC2016

set -euo pipefail

PROG=make-codings-fixture.sh
SCRIPT=$(readlink -f "$0")
DATA=$(dirname "$SCRIPT")
SRCDIR=$(dirname "$(dirname "$DATA")")
# shellcheck source=fixture-lib.sh
. "$DATA/fixture-lib.sh"

PORT=8081

# ---------------------------------------------------------------------------
# Inner part: runs inside the network namespace.
# ---------------------------------------------------------------------------
inner() {
    trap inner_cleanup EXIT
    trap 'exit 130' INT TERM
    setup_lo
    mkdir -p "$WORK/got"

    python3 "$WORK/server.py" "$WORK/www" "$PORT" >> "$WORK/server.log" 2>&1 &
    SERVER_PIDS+=("$!")
    wait_for "server.py on $PORT" "${SERVER_PIDS[0]}" listening "$PORT"

    start_capture "$WORK/http-codings.pcap" "tcp port $PORT"
    local base=http://127.0.0.1:$PORT
    timeout 20 curl -sS --http1.1 --compressed \
        -o "$WORK/got/chunked.txt" "$base/chunked.txt" \
        -o "$WORK/got/gzip.html" "$base/gzip.html" \
        -o "$WORK/got/deflate.json" "$base/deflate.json" \
        -o "$WORK/got/chunked-gzip.css" "$base/chunked-gzip.css"
    sleep 0.2
    timeout 20 curl -sS --http1.1 -H "Expect:" -T - -o "$WORK/got/upload-reply.txt" "$base/upload" \
        < "$WORK/www/upload.txt"
    stop_capture
}

if [[ ${1:-} == --inner ]]; then
    WORK=$2
    inner
    exit 0
fi

# ---------------------------------------------------------------------------
# Outer part.
# ---------------------------------------------------------------------------
[[ $(id -u) -eq 0 ]] || die "must run as root (network namespace, capture)"
for t in ip ss ethtool tcpdump tshark capinfos curl python3 sha256sum timeout; do
    command -v "$t" >/dev/null || die "missing tool: $t"
done

outer_setup codings

# --- served files (deterministic) --------------------------------------------------
WWW=$WORK/www
mkdir -p "$WWW"
# NAME COUNT: numbered lines of teaching text, each with a digest of its own
# (hex: gzip halves it, so coded bodies still take several segments).
text_lines() {
    python3 -c 'import hashlib, sys
for i in range(1, int(sys.argv[2]) + 1):
    d = hashlib.sha256(("%s %d" % (sys.argv[1], i)).encode()).hexdigest()
    print("%s line %d: ack = seq + len; %s" % (sys.argv[1], i, d))' "$1" "$2"
}
text_lines chunked 100 > "$WWW/chunked.txt"
{ echo '<!DOCTYPE html><html><head><title>gzip</title></head><body>'
  text_lines gzip 400 | sed 's/^/<p>/; s/$/<\/p>/'
  echo '</body></html>'; } > "$WWW/gzip.html"
{ echo '{"lines": ['
  text_lines deflate 300 | sed 's/.*/  "&",/'
  echo '  "end"]}'; } > "$WWW/deflate.json"
text_lines css 500 | sed 's/^/\/* /; s/$/ *\//' > "$WWW/chunked-gzip.css"
text_lines upload 60 > "$WWW/upload.txt"

cat > "$WORK/server.py" <<'EOF'
# One HTTP/1.1 server, keep-alive, bodies framed and coded per path.
import gzip, http.server, os, socketserver, sys, zlib

root, port = sys.argv[1], int(sys.argv[2])

def chunks(body, sizes):
    out, pos = b"", 0
    for i, n in enumerate(sizes):
        part = body[pos:pos + n]
        pos += len(part)
        if not part:
            break
        ext = b";ext=pl" if i == 1 else b""
        out += b"%x%s\r\n%s\r\n" % (len(part), ext, part)
    if pos < len(body):
        out += b"%x\r\n%s\r\n" % (len(body) - pos, body[pos:])
    return out

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write(fmt % args + "\n")

    def read(self, name):
        with open(os.path.join(root, name), "rb") as f:
            return f.read()

    def do_GET(self):
        name = self.path.lstrip("/")
        body = self.read(name)
        kind = "text/css" if name.endswith(".css") else \
               "application/json" if name.endswith(".json") else \
               "text/html" if name.endswith(".html") else "text/plain"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if name == "chunked.txt":
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Trailer", "X-Lines")
            self.end_headers()
            self.wfile.write(chunks(body, [1000, 3000, 7, 4096]))
            self.wfile.write(b"0\r\nX-Lines: %d\r\n\r\n" % body.count(b"\n"))
        elif name == "gzip.html":
            data = gzip.compress(body, compresslevel=9, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        elif name == "deflate.json":
            data = zlib.compress(body, 9)
            self.send_header("Content-Encoding", "deflate")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        elif name == "chunked-gzip.css":
            data = gzip.compress(body, compresslevel=9, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(chunks(data, [500, 1500, 2000]) + b"0\r\n\r\n")
        else:
            self.send_error(404)

    def do_PUT(self):
        # curl -T - sends a chunked request body.
        body = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0], 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                break
            body += self.rfile.read(size)
            self.rfile.readline()
        reply = b"stored %d bytes\n" % len(body)
        self.send_response(201)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)
        open(os.path.join(root, "..", "got", "upload-received.txt"), "wb").write(body)

class Server(socketserver.TCPServer):
    allow_reuse_address = True

Server(("127.0.0.1", port), Handler).serve_forever()
EOF

# --- capture inside a private namespace ---------------------------------------------
ip netns add "$NS"
timeout 60 ip netns exec "$NS" bash "$SCRIPT" --inner "$WORK" &
INNER_PID=$!
wait "$INNER_PID"
INNER_PID=''
ip netns del "$NS"

# --- checks ---------------------------------------------------------------------------
OUT=$WORK/http-codings.pcap
ts() { tshark "$@" 2>> "$WORK/tshark.err"; }
fail=0
check() { if eval "$2"; then log "ok: $1"; else log "FAILED: $1"; fail=1; fi; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
got=$WORK/got

check "curl decoded every body to the file served" \
    '[[ $(sha "$got/chunked.txt") == $(sha "$WWW/chunked.txt") &&
        $(sha "$got/gzip.html") == $(sha "$WWW/gzip.html") &&
        $(sha "$got/deflate.json") == $(sha "$WWW/deflate.json") &&
        $(sha "$got/chunked-gzip.css") == $(sha "$WWW/chunked-gzip.css") &&
        $(sha "$got/upload-received.txt") == $(sha "$WWW/upload.txt") ]]'
ts -n -r "$OUT" -Y http -T fields -E separator=/t -E occurrence=a -E aggregator=, \
    -e http.request.method -e http.response.code -e http.content_encoding \
    -e http.transfer_encoding > "$WORK/http.tsv"
check "tshark sees 5 requests (4 GET, 1 PUT) and 5 responses" \
    '[[ $(cut -f1 "$WORK/http.tsv" | grep -c GET) -eq 4 && $(cut -f1 "$WORK/http.tsv" | grep -c PUT) -eq 1 &&
        $(cut -f2 "$WORK/http.tsv" | grep -c "^20[01]$") -eq 5 ]]'
check "tshark sees gzip twice, deflate once, chunked three times" \
    '[[ $(cut -f3 "$WORK/http.tsv" | grep -c gzip) -eq 2 && $(cut -f3 "$WORK/http.tsv" | grep -c deflate) -eq 1 &&
        $(cut -f4 "$WORK/http.tsv" | grep -c chunked) -eq 3 ]]'
check "two TCP streams, no RST" \
    '[[ $(ts -n -r "$OUT" -Y tcp -T fields -e tcp.stream | sort -u | wc -l) -eq 2 &&
        -z $(ts -n -r "$OUT" -Y "tcp.flags.reset == 1" -T fields -e frame.number) ]]'
mkdir -p "$WORK/objects"
ts -n -r "$OUT" -q --export-objects "http,$WORK/objects"
check "tshark exports the four decoded bodies" \
    '[[ $(sha "$WORK/objects/chunked.txt") == $(sha "$WWW/chunked.txt") &&
        $(sha "$WORK/objects/gzip.html") == $(sha "$WWW/gzip.html") &&
        $(sha "$WORK/objects/deflate.json") == $(sha "$WWW/deflate.json") &&
        $(sha "$WORK/objects/chunked-gzip.css") == $(sha "$WWW/chunked-gzip.css") ]]'
(( fail == 0 )) || die "checks failed; nothing was replaced (KEEP_WORK=1 keeps $WORK)"

install -m 644 "$OUT" "$DATA/http-codings.pcap"
sh "$SRCDIR/build-aux/tshark-reference.sh" "$DATA/http-codings.pcap"

FRAMES=$(capinfos -c -T -r "$DATA/http-codings.pcap" | cut -f2)
SIZE=$(stat -c %s "$DATA/http-codings.pcap")
cat > "$WORK/readme.md" <<EOF
## Content codings and chunked bodies: \`make-codings-fixture.sh\`

\`http-codings.pcap\` ($FRAMES frames, $SIZE bytes, Ethernet, IPv4): a python3
HTTP/1.1 server on 127.0.0.1:$PORT in a private network namespace (lo MTU
1500, offloads off) and curl. On one keep-alive connection: \`/chunked.txt\`
(chunked, with a chunk extension and a trailer field), \`/gzip.html\`
(Content-Encoding gzip), \`/deflate.json\` (deflate, zlib format) and
\`/chunked-gzip.css\` (chunked and gzip); on a second, a PUT with a chunked
request body answered 201. curl decoded every body to the file served, and
\`tshark --export-objects http\` exports the same four decoded bodies: the
test \`/http-capture/export-objects\` compares ours with tshark's.
EOF
readme_section "$DATA/README.md" make-codings-fixture.sh "$WORK/readme.md"
log "wrote $DATA/http-codings.pcap ($FRAMES frames) and its tshark reference"
