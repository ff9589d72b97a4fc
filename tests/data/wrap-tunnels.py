#!/usr/bin/env python3
"""wrap-tunnels.py: re-wrap the inner frames of a real VXLAN capture in the
other tunnels Packet Ladder decodes (this kernel has no GRE, IP-in-IP,
Geneve or MPLS devices to make them with).

Usage: wrap-tunnels.py VXLAN.pcap OUTDIR

VXLAN.pcap is what make-tunnel-fixtures.sh captured on the underlay (pcap,
Ethernet, outer IPv4 and UDP 4789).  Every inner frame keeps its bytes and
its timestamp; only the headers around it change.  Writes, in OUTDIR:

  tunnel-gre.pcap     IPv4 / GRE with checksum, key and sequence number
                      (RFC 2890) / IPv4 or IPv6
  tunnel-gretap.pcap  IPv6 / GRE 0x6558 / the inner Ethernet frame
  tunnel-ipip.pcap    IPv4 / IPv4 (protocol 4) or IPv6 (protocol 41, 6in4)
  tunnel-ip6ip.pcap   IPv6 / IPv4 (next header 4, 4in6) or IPv6 (41, 6in6)
  tunnel-mpls.pcap    Ethernet 0x8847 / two MPLS labels / IPv4 or IPv6
  tunnel-geneve.pcap  IPv4 / UDP 6081 / Geneve with one option / Ethernet

Outer addresses follow the direction of the underlay frame; IPv4 header
checksums are computed; lengths are exact.
"""
import struct
import sys
import os

OUTER4 = {True: (bytes([10, 99, 0, 1]), bytes([10, 99, 0, 2])),
          False: (bytes([10, 99, 0, 2]), bytes([10, 99, 0, 1]))}
OUTER6 = {True: (bytes.fromhex("fd990000000000000000000000000001"),
                 bytes.fromhex("fd990000000000000000000000000002")),
          False: (bytes.fromhex("fd990000000000000000000000000002"),
                  bytes.fromhex("fd990000000000000000000000000001"))}
MAC_A = bytes.fromhex("02005e000001")
MAC_B = bytes.fromhex("02005e000002")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


class Ipv4Id:
    n = 0x1000

    @classmethod
    def next(cls):
        cls.n = (cls.n + 1) & 0xffff
        return cls.n


def ipv4(proto, fwd, payload):
    src, dst = OUTER4[fwd]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), Ipv4Id.next(), 0x4000,
                      64, proto, 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(nxt, fwd, payload):
    src, dst = OUTER6[fwd]
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nxt, 64, src, dst) + payload


def ether(ethertype, fwd, payload):
    dst, src = (MAC_B, MAC_A) if fwd else (MAC_A, MAC_B)
    return dst + src + struct.pack("!H", ethertype) + payload


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d):
        sys.exit("wrap-tunnels.py: %s: not a little-endian pcap" % path)
    linktype = struct.unpack("<I", data[20:24])[0]
    if linktype != 1:
        sys.exit("wrap-tunnels.py: %s: link type %d, not Ethernet" % (path, linktype))
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if incl != orig:
            sys.exit("wrap-tunnels.py: %s: a frame cut by the snap length" % path)
        yield magic, sec, frac, frame


def inner_of(frame):
    """(forward, inner Ethernet frame) of an underlay VXLAN frame."""
    if struct.unpack("!H", frame[12:14])[0] != 0x0800:
        return None
    ip = frame[14:]
    ihl = (ip[0] & 15) * 4
    if ip[9] != 17:
        return None
    udp = ip[ihl:]
    if struct.unpack("!H", udp[2:4])[0] != 4789:
        return None
    fwd = ip[12:16] == OUTER4[True][0]
    return fwd, udp[16:]


def wrap(kind, fwd, eth):
    etype = struct.unpack("!H", eth[12:14])[0]
    pkt = eth[14:]
    v6 = etype == 0x86dd
    if kind == "gre":
        flags = 0x8000 | 0x2000 | 0x1000  # checksum, key, sequence number
        wrap.seq += 1
        body = struct.pack("!HHHHII", flags, etype, 0, 0, 0x2a, wrap.seq) + pkt
        c = csum(body)
        body = body[:4] + struct.pack("!H", c) + body[6:]
        return ether(0x0800, fwd, ipv4(47, fwd, body))
    if kind == "gretap":
        return ether(0x86dd, fwd, ipv6(47, fwd, struct.pack("!HH", 0, 0x6558) + eth))
    if kind == "ipip":
        return ether(0x0800, fwd, ipv4(41 if v6 else 4, fwd, pkt))
    if kind == "ip6ip":
        return ether(0x86dd, fwd, ipv6(41 if v6 else 4, fwd, pkt))
    if kind == "mpls":
        labels = struct.pack("!II", (100 << 12) | 64, (200 << 12) | 0x100 | 64)
        return ether(0x8847, fwd, labels + pkt)
    if kind == "geneve":
        # One 4-byte option (class 0x0102, type 0x80, length 1 word).
        opt = struct.pack("!HBB", 0x0102, 0x80, 1) + b"\xde\xad\xbe\xef"
        gen = struct.pack("!BBHI", len(opt) // 4, 0, 0x6558, 0x000a0b00) + opt + eth
        udp = struct.pack("!HHHH", 49152 + (7 if fwd else 9), 6081, 8 + len(gen), 0) + gen
        return ether(0x0800, fwd, ipv4(17, fwd, udp))
    raise ValueError(kind)


wrap.seq = 0


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: wrap-tunnels.py VXLAN.pcap OUTDIR")
    src, outdir = sys.argv[1], sys.argv[2]
    frames = [f for f in read_pcap(src)]
    for kind in ("gre", "gretap", "ipip", "ip6ip", "mpls", "geneve"):
        wrap.seq = 0
        Ipv4Id.n = 0x1000
        out = bytearray(struct.pack("<IHHiIII", frames[0][0] if frames else 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        n = 0
        for magic, sec, frac, frame in frames:
            got = inner_of(frame)
            if got is None:
                continue
            w = wrap(kind, got[0], got[1])
            out += struct.pack("<IIII", sec, frac, len(w), len(w)) + w
            n += 1
        path = os.path.join(outdir, "tunnel-%s.pcap" % kind)
        with open(path, "wb") as f:
            f.write(out)
        print("wrap-tunnels.py: %s: %d frames" % (path, n), file=sys.stderr)


main()
