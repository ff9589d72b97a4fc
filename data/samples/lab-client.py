#!/usr/bin/env python3
"""lab-client.py: fetch the lab's four URLs as a browser does, on ONE
keep-alive connection, then wait for the server to close it.

Usage:
    lab-client.py HOST PORT OUTDIR SIZE

Sends, one after the other on the same TCP connection (each request only
after the previous response was read in full):

    GET /           Accept: text/html...            -> 200
    GET /logo.jpg   Accept: image/...               -> 200
    GET /music.mp3  Range: bytes=0-1                -> 206
    GET /music.mp3  Range: bytes=0-(SIZE-1)         -> 206

with the headers a desktop browser sends (User-Agent, Accept,
Accept-Encoding, Accept-Language, Connection: keep-alive, Referer).  SIZE is
the length of music.mp3.  Bodies are written to OUTDIR (index.html,
logo.jpg, music-0-1.mp3, music-full.mp3) and each response's status line and
headers to OUTDIR/responses.txt.

Then it keeps the connection open and idle, as a browser tab does, until the
server closes it (its Keep-Alive timeout), at most 20 seconds; only then does
it close its side.  So the server's FIN comes first.  Exits non-zero when a
status is not the expected one or the server does not close in time.
Standard library only.
"""

import os
import socket
import sys
import time

USER_AGENT = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
              "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36")


def fail(msg):
    sys.stderr.write("lab-client.py: %s\n" % msg)
    sys.exit(1)


def read_response(sock, buf):
    """One response: (status, header lines, body, rest of buf)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            fail("connection closed inside a response head")
        buf += chunk
    head, buf = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
        if name.strip().lower() == "transfer-encoding":
            fail("chunked responses are not expected from http-server here")
    if length is None:
        fail("response without Content-Length")
    while len(buf) < length:
        chunk = sock.recv(65536)
        if not chunk:
            fail("connection closed inside a body")
        buf += chunk
    return status, lines, buf[:length], buf[length:]


def main(argv):
    if len(argv) != 5:
        sys.stderr.write(__doc__)
        return 2
    host, port, outdir, size = argv[1], int(argv[2]), argv[3], int(argv[4])
    base = "http://%s:%d" % (host, port)
    common = [
        ("Host", "%s:%d" % (host, port)),
        ("Connection", "keep-alive"),
        ("User-Agent", USER_AGENT),
    ]
    requests = [
        ("/", "index.html", 200, [
            ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,"
                       "image/avif,image/webp,image/apng,*/*;q=0.8"),
            ("Accept-Encoding", "gzip, deflate, br"),
            ("Accept-Language", "en-US,en;q=0.9"),
        ], 0.05),
        ("/logo.jpg", "logo.jpg", 200, [
            ("Accept", "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"),
            ("Referer", base + "/"),
            ("Accept-Encoding", "gzip, deflate, br"),
            ("Accept-Language", "en-US,en;q=0.9"),
        ], 0.2),
        ("/music.mp3", "music-0-1.mp3", 206, [
            ("Accept-Encoding", "identity;q=1, *;q=0"),
            ("Accept", "*/*"),
            ("Referer", base + "/"),
            ("Accept-Language", "en-US,en;q=0.9"),
            ("Range", "bytes=0-1"),
        ], 0.05),
        ("/music.mp3", "music-full.mp3", 206, [
            ("Accept-Encoding", "identity;q=1, *;q=0"),
            ("Accept", "*/*"),
            ("Referer", base + "/"),
            ("Accept-Language", "en-US,en;q=0.9"),
            ("Range", "bytes=0-%d" % (size - 1)),
        ], 0.0),
    ]

    sock = socket.create_connection((host, port), timeout=20)
    buf = b""
    log = []
    for path, name, want, headers, pause in requests:
        lines = ["GET %s HTTP/1.1" % path]
        lines += ["%s: %s" % h for h in common + headers]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
        status, head, body, buf = read_response(sock, buf)
        log.append("\n".join(head) + "\n")
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(body)
        if status != want:
            fail("GET %s answered %d, not %d" % (path, status, want))
        time.sleep(pause)
    with open(os.path.join(outdir, "responses.txt"), "w") as f:
        f.write("\n".join(log))

    # Idle, as a browser keeps a connection: the server closes it.
    deadline = time.monotonic() + 20
    while True:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            fail("the server did not close the idle connection within 20 s")
        if not chunk:
            break
        fail("unexpected bytes after the last response")
    # Let the server's FIN be acknowledged on its own before ours goes out,
    # as a browser that notices the close a moment later does.
    time.sleep(0.05)
    sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
