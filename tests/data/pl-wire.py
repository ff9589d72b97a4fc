#!/usr/bin/env python3
"""pl-wire.py: the clients behind make-analysis-fixtures.sh (real sockets on
loopback in a private network namespace; only the standard library).

  pl-wire.py reuse HOST PORT CLIENT_PORT PATH
      GET PATH on a keep-alive connection from CLIENT_PORT, then forget the
      connection with an abortive close (SO_LINGER 0) whose RST the caller's
      nftables rule drops, so the server still holds it; connect again from
      the same port.  The server answers the new SYN with an ACK of the old
      connection (RFC 5961 challenge ACK), our kernel answers that with a
      RST without ACK (seq = its ack), which ends the stale connection; the
      SYN is sent again after 1 s and now gets a SYN-ACK with a new ISN.
      Then GET PATH again and a clean close.

  pl-wire.py raw HOST PORT REQUEST [shut]
      One connection: sends REQUEST (Python escapes: \\r\\n...), then with
      "shut" half-closes (an HTTP/0.9 request has no end of its own), and
      prints what comes back until the server closes or is silent for 1 s.

  pl-wire.py rst-inject HOST PORT PATH COUNT
      COUNT downloads of PATH, one connection each; after the first 32 KB
      of each, a RST without ACK (ack field 0, as stacks send them) is
      written with a raw socket from the client's address and port, its
      seq 2^30 below the client's next seq: outside the receive window, so
      the server drops it (RFC 5961 section 3.2) and goes on sending.  The
      client's ISN is read with an AF_PACKET socket on lo.

Every wait is bounded (socket timeouts of 10 s).
"""
import codecs
import socket
import struct
import sys
import time

TIMEOUT = 10


def request(host, port, path, close=False):
    return ("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: pl-wire\r\nAccept: */*\r\n%s\r\n"
            % (path, host, port, "Connection: close\r\n" if close else "")).encode()


def read_response(s, on_progress=None):
    """Reads one response with Content-Length; returns (status, body length)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            sys.exit("pl-wire: connection closed in the head")
        buf += chunk
    head, body = buf.split(b"\r\n\r\n", 1)
    status = int(head.split(b" ", 2)[1])
    length = [int(l.split(b":", 1)[1]) for l in head.split(b"\r\n")
              if l.lower().startswith(b"content-length:")][0]
    got = len(body)
    while got < length:
        chunk = s.recv(min(65536, length - got))
        if not chunk:
            sys.exit("pl-wire: connection closed in the body")
        got += len(chunk)
        if on_progress:
            on_progress(got)
    return status, got


def connect_from(host, port, cport):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.settimeout(TIMEOUT)
    if cport:
        s.bind((host, cport))
    s.connect((host, port))
    return s


def reuse(host, port, cport, path):
    s = connect_from(host, port, cport)
    s.sendall(request(host, port, path))
    print("      pl-wire reuse: first connection: %d %d bytes" % read_response(s))
    # Forget it: RST (dropped by the caller's rule), no FIN.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    time.sleep(0.3)
    t0 = time.monotonic()
    s = connect_from(host, port, cport)
    print("      pl-wire reuse: second connect took %.2f s (challenge ACK, RST, SYN again)"
          % (time.monotonic() - t0))
    s.sendall(request(host, port, path, close=True))
    print("      pl-wire reuse: second connection: %d %d bytes" % read_response(s))
    s.close()


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def rst_segment(src, dst, sport, dport, seq):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, 0x04, 0, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(hdr))
    csum = checksum(pseudo + hdr)
    return hdr[:16] + struct.pack("!H", csum) + hdr[18:]


def find_isn(sniffer, cport, deadline):
    """The sequence number of the SYN sent from cport, read on lo."""
    while time.monotonic() < deadline:
        pkt = sniffer.recv(65536)
        if len(pkt) < 40 or pkt[0] >> 4 != 4 or pkt[9] != 6:
            continue
        ihl = (pkt[0] & 15) * 4
        sport, dport, seq = struct.unpack("!HHI", pkt[ihl:ihl + 8])
        flags = pkt[ihl + 13]
        if sport == cport and flags & 0x02 and not flags & 0x10:
            return seq
    sys.exit("pl-wire: did not see our SYN on lo")


def rst_inject(host, port, path, count):
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    for i in range(count):
        sniffer = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
        sniffer.bind(("lo", 0x0800))
        sniffer.settimeout(TIMEOUT)
        s = connect_from(host, port, 0)
        cport = s.getsockname()[1]
        isn = find_isn(sniffer, cport, time.monotonic() + TIMEOUT)
        sniffer.close()
        req = request(host, port, path, close=True)
        s.sendall(req)
        snd_nxt = (isn + 1 + len(req)) & 0xffffffff
        injected = []

        def progress(got):
            if not injected and got >= 32768:
                seg = rst_segment(host, host, cport, port, (snd_nxt - (1 << 30)) & 0xffffffff)
                raw.sendto(seg, (host, 0))
                injected.append(got)

        status, got = read_response(s, progress)
        s.close()
        if not injected:
            sys.exit("pl-wire: the body was too short to inject a RST")
        print("      pl-wire rst-inject: connection %d from port %d: %d %d bytes, RST injected after %d"
              % (i + 1, cport, status, got, injected[0]))
        time.sleep(0.2)


def raw(host, port, request, shut):
    data = codecs.escape_decode(request.encode())[0]
    s = connect_from(host, port, 0)
    s.sendall(data)
    if shut:
        s.shutdown(socket.SHUT_WR)
    s.settimeout(1.0)
    got = b""
    deadline = time.monotonic() + TIMEOUT
    try:
        while time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    except socket.timeout:
        pass
    s.close()
    print("      pl-wire raw: %d %r -> %r" % (port, data[:40], got.split(b"\r\n", 1)[0][:60]))
    time.sleep(0.1)


def main():
    if len(sys.argv) in (5, 6) and sys.argv[1] == "raw":
        raw(sys.argv[2], int(sys.argv[3]), sys.argv[4], len(sys.argv) == 6 and sys.argv[5] == "shut")
    elif len(sys.argv) == 6 and sys.argv[1] == "reuse":
        reuse(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    elif len(sys.argv) == 6 and sys.argv[1] == "rst-inject":
        rst_inject(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
