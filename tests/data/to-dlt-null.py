#!/usr/bin/env python3
"""to-dlt-null.py: rewrite an Ethernet classic pcap as a BSD loopback capture.

Usage:
    to-dlt-null.py [--loop] IN.pcap OUT.pcap

Without --loop the output has link type DLT_NULL (0), as macOS writes for
lo0: every frame starts with a 4-byte address family in the capturing host's
byte order (little-endian here, as on x86 and Apple silicon Macs), with
AF_INET = 2 and AF_INET6 = 30 (the macOS value).

With --loop the output has link type DLT_LOOP (108), as OpenBSD writes for
lo0: the 4-byte address family is in network (big-endian) byte order, with
AF_INET = 2 and AF_INET6 = 24 (the OpenBSD value).

Each frame's 14-byte Ethernet header is replaced by that 4-byte header;
caplen and origlen shrink by 10; timestamps are kept as they are.  The input
may be either byte order and microsecond or nanosecond precision; the output
is little-endian with the input's timestamp precision.  Frames that are not
IPv4 or IPv6 (ARP and the like), or shorter than an Ethernet header, are
dropped and counted on stderr.  Standard library only.
"""

import struct
import sys

MAGIC_US = 0xA1B2C3D4
MAGIC_NS = 0xA1B23C4D
LINKTYPE_ETHERNET = 1
LINKTYPE_NULL = 0
LINKTYPE_LOOP = 108
ETHERTYPE_IPV4 = 0x0800
ETHERTYPE_IPV6 = 0x86DD
ETH_HLEN = 14


def fail(msg):
    sys.stderr.write("to-dlt-null.py: %s\n" % msg)
    sys.exit(1)


def convert(data, loop):
    if len(data) < 24:
        fail("input is too short for a pcap file header")
    for endian in ("<", ">"):
        (magic,) = struct.unpack(endian + "I", data[:4])
        if magic in (MAGIC_US, MAGIC_NS):
            break
    else:
        fail("input is not a classic pcap file (pcapng is not supported)")
    (_, vmaj, vmin, thiszone, sigfigs, snaplen, linktype) = struct.unpack(
        endian + "IHHiIII", data[:24])
    if linktype != LINKTYPE_ETHERNET:
        fail("input link type is %d, not Ethernet (1)" % linktype)

    if loop:
        out_linktype = LINKTYPE_LOOP
        af = {ETHERTYPE_IPV4: struct.pack(">I", 2),
              ETHERTYPE_IPV6: struct.pack(">I", 24)}
    else:
        out_linktype = LINKTYPE_NULL
        af = {ETHERTYPE_IPV4: struct.pack("<I", 2),
              ETHERTYPE_IPV6: struct.pack("<I", 30)}

    out = [struct.pack("<IHHiIII", magic, vmaj, vmin, thiszone, sigfigs,
                       snaplen, out_linktype)]
    off = 24
    kept = dropped = 0
    while off < len(data):
        if off + 16 > len(data):
            fail("truncated record header at offset %d" % off)
        ts_sec, ts_frac, caplen, origlen = struct.unpack(
            endian + "IIII", data[off:off + 16])
        body = data[off + 16:off + 16 + caplen]
        if len(body) != caplen:
            fail("truncated record at offset %d" % off)
        off += 16 + caplen
        if caplen < ETH_HLEN:
            dropped += 1
            continue
        (ethertype,) = struct.unpack(">H", body[12:14])
        if ethertype not in af:
            dropped += 1
            continue
        payload = af[ethertype] + body[ETH_HLEN:]
        out.append(struct.pack("<IIII", ts_sec, ts_frac, caplen - ETH_HLEN + 4,
                               origlen - ETH_HLEN + 4))
        out.append(payload)
        kept += 1
    if dropped:
        sys.stderr.write("to-dlt-null.py: dropped %d non-IP frame(s)\n" % dropped)
    return b"".join(out), kept


def main(argv):
    args = argv[1:]
    loop = False
    if args and args[0] == "--loop":
        loop = True
        args = args[1:]
    if len(args) != 2 or args[0].startswith("-"):
        sys.stderr.write(__doc__)
        return 2
    with open(args[0], "rb") as f:
        data = f.read()
    out, kept = convert(data, loop)
    with open(args[1], "wb") as f:
        f.write(out)
    sys.stderr.write("to-dlt-null.py: wrote %d frame(s) to %s (link type %d)\n"
                     % (kept, args[1], LINKTYPE_LOOP if loop else LINKTYPE_NULL))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
