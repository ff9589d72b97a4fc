#!/usr/bin/env python3
"""pl-tls-client.py: a TLS client whose ClientHello goes out in two TCP
segments (for tests/data/make-tls-fixtures.sh).

The handshake runs over ssl.MemoryBIO, so the script decides how the bytes
meet the socket: the first SPLIT bytes of the ClientHello are sent, then
after a pause the rest (TCP_NODELAY: two segments).  Then it sends one line
of application data, reads the answer until the server closes or 5 s pass,
and closes with close_notify.  Certificates are not verified (self-signed).

  pl-tls-client.py HOST PORT SNI ALPN[,ALPN...] SPLIT [TLS1.2|TLS1.3]
"""
import socket
import ssl
import sys
import time


def main():
    host, port, sni, alpn, split = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
    version = sys.argv[6] if len(sys.argv) > 6 else "TLS1.3"
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    v = ssl.TLSVersion.TLSv1_3 if version == "TLS1.3" else ssl.TLSVersion.TLSv1_2
    ctx.minimum_version = v
    ctx.maximum_version = v
    ctx.set_alpn_protocols(alpn.split(","))
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_hostname=sni)
    sock = socket.create_connection((host, port), timeout=5)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    first = True
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            tls.do_handshake()
            done = True
        except ssl.SSLWantReadError:
            done = False
        data = outgoing.read()
        if data:
            if first:
                sock.sendall(data[:split])
                time.sleep(0.2)
                sock.sendall(data[split:])
                first = False
            else:
                sock.sendall(data)
        if done:
            break
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit("pl-tls-client: the server closed during the handshake")
        incoming.write(chunk)
    tls.write(b"GET / HTTP/1.0\r\nHost: " + sni.encode() + b"\r\n\r\n")
    sock.sendall(outgoing.read())
    end = time.monotonic() + 5
    while time.monotonic() < end:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        incoming.write(chunk)
        try:
            while tls.read(65536):
                pass
        except (ssl.SSLWantReadError, ssl.SSLZeroReturnError):
            pass
        except ssl.SSLError:
            break
    try:
        tls.unwrap()
    except ssl.SSLError:
        pass
    data = outgoing.read()
    if data:
        try:
            sock.sendall(data)
        except OSError:
            pass
    sock.close()
    print("pl-tls-client: %s ALPN %s" % (tls.version(), tls.selected_alpn_protocol()), file=sys.stderr)


if __name__ == "__main__":
    main()
