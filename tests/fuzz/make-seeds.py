#!/usr/bin/env python3
# make-seeds.py: writes the seed corpus of the fuzz targets from our own
# captures (data/samples/lab.pcap and tests/data/*.pcap*, real loopback
# traffic; never ../shared/pcaps).  Run from anywhere; it rewrites the
# seed-* files of tests/fuzz/corpus/ and leaves crash reproducers alone.
#
# Seeds are cut down to a few KB: a handful of frames (the handshake, some
# data, the teardown) with each frame's bytes cut to a snap length, as
# `tcpdump -s` would.  The segment and HTTP targets get their own input
# formats (see the header comment of each fuzz-*.c).
import glob
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
CORPUS = os.path.join(HERE, 'corpus')
SNAP = 160


def read_pcap(path):
    d = open(path, 'rb').read()
    magic = d[:4]
    e = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    linktype = struct.unpack(e + 'I', d[20:24])[0] & 0xffff
    recs = []
    pos = 24
    while pos + 16 <= len(d):
        sec, frac, cap, orig = struct.unpack(e + 'IIII', d[pos:pos + 16])
        recs.append((sec, frac, d[pos + 16:pos + 16 + cap], orig))
        pos += 16 + cap
    return d[:24], e, linktype, recs


def write_pcap(header, e, recs, snap=SNAP):
    out = bytearray(header)
    for sec, frac, data, orig in recs:
        data = data[:snap]
        out += struct.pack(e + 'IIII', sec, frac, len(data), orig) + data
    return bytes(out)


def read_pcapng_blocks(path):
    d = open(path, 'rb').read()
    blocks = []
    pos = 0
    e = '<'
    while pos + 12 <= len(d):
        btype = struct.unpack('<I', d[pos:pos + 4])[0]
        if btype == 0x0A0D0D0A:
            e = '<' if d[pos + 8:pos + 12] == b'\x4d\x3c\x2b\x1a' else '>'
        total = struct.unpack(e + 'I', d[pos + 4:pos + 8])[0]
        blocks.append((struct.unpack(e + 'I', d[pos:pos + 4])[0], d[pos:pos + total], e))
        pos += total
    return blocks


def cut_epb(block, e, snap=SNAP):
    """An EPB whose packet data is cut to snap bytes (options dropped)."""
    body = block[8:-4]
    iface, hi, lo, cap, orig = struct.unpack(e + 'IIIII', body[:20])
    data = body[20:20 + min(cap, snap)]
    pad = (-len(data)) % 4
    new_body = struct.pack(e + 'IIIII', iface, hi, lo, len(data), orig) + data + b'\0' * pad
    total = 12 + len(new_body)
    return struct.pack(e + 'II', 6, total) + new_body + struct.pack(e + 'I', total)


def pick(recs, ranges):
    out = []
    for a, b in ranges:
        out += recs[a:b]
    return out


# No seed is larger than this: libFuzzer runs inputs up to -max_len=16384
# (tests/fuzz/README.md), and a big seed slows every target that walks a
# whole capture (decode builds every frame's field tree) below ten
# executions a second.
MAX_SEED = 16384


def save(target, name, data):
    if len(data) > MAX_SEED:
        raise SystemExit('make-seeds.py: %s/%s is %d bytes, more than %d' % (target, name, len(data), MAX_SEED))
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    with open(os.path.join(CORPUS, target, name), 'wb') as f:
        f.write(data)


def tcp_of(linktype, frame):
    """(src, dst, sport, dport, seq, ack, flags, payload) of an IPv4/IPv6 TCP frame."""
    off = {1: 14, 0: 4, 108: 4, 276: 20, 113: 16, 101: 0, 12: 0}.get(linktype)
    if off is None or len(frame) < off + 20:
        return None
    if linktype == 1 and frame[12:14] == b'\x86\xdd':
        v6 = True
    else:
        v6 = frame[off] >> 4 == 6
    if v6:
        if frame[off + 6] != 6:
            return None
        src, dst = frame[off + 8:off + 24], frame[off + 24:off + 40]
        t = off + 40
        end = off + 40 + struct.unpack('>H', frame[off + 4:off + 6])[0]
    else:
        if frame[off + 9] != 6:
            return None
        src, dst = frame[off + 12:off + 16], frame[off + 16:off + 20]
        t = off + (frame[off] & 15) * 4
        end = off + struct.unpack('>H', frame[off + 2:off + 4])[0]
    if len(frame) < t + 20:
        return None
    sport, dport, seq, ack, hl_flags = struct.unpack('>HHIIH', frame[t:t + 14])
    payload = frame[t + (hl_flags >> 12) * 4:end]
    return src, dst, sport, dport, seq, ack, hl_flags & 0x0fff, payload


def segments_seed(linktype, recs, config, isn=(0, 0), flush_at=()):
    """The tcp-segments input of the first stream in recs."""
    out = bytearray(struct.pack('>BII', config, *isn))
    client = None
    for i, (_, _, frame, orig) in enumerate(recs):
        t = tcp_of(linktype, frame)
        if t is None:
            continue
        src, dst, sport, dport, seq, ack, flags, payload = t
        if client is None:
            client = (src, sport)
        if (src, sport) == client:
            d = 0
        elif (dst, dport) == client:
            d = 1
        else:
            continue
        mode = d | (4 if i in flush_at else 0) | (0x10 if len(payload) > 32 else 0)
        out += struct.pack('>BHIIH', mode, flags, seq, ack, len(payload)) + payload[:32]
    return bytes(out)


DECODE_LINKTYPES = [1, 0, 12, 14, 101, 108, 113, 228, 229, 276, 239]


def synth_seed(linktype, recs):
    """The decode target's frame-list input."""
    out = bytearray([DECODE_LINKTYPES.index(linktype)])
    for _, _, frame, _ in recs:
        frame = frame[:SNAP]
        out += struct.pack('>H', len(frame)) + frame
    return bytes(out)


def main():
    lab_header, lab_e, lab_lt, lab = read_pcap(os.path.join(ROOT, 'data', 'samples', 'lab.pcap'))

    # Whole captures: the reader and the decoder share them.
    seeds = {
        'seed-lab-handshake.pcap': write_pcap(lab_header, lab_e, lab[:6]),
        'seed-lab-data.pcap': write_pcap(lab_header, lab_e, lab[6:14], snap=400),
        'seed-lab-teardown.pcap': write_pcap(lab_header, lab_e, pick(lab, [(0, 3), (266, 270)])),
        'seed-lab-streams.pcap': write_pcap(lab_header, lab_e, pick(lab, [(0, 4), (270, 274), (354, 358)]), snap=96),
    }
    for path in sorted(glob.glob(os.path.join(ROOT, 'tests', 'data', '*.pcap'))):
        header, e, lt, recs = read_pcap(path)
        name = os.path.basename(path)[:-5]
        seeds['seed-%s.pcap' % name] = write_pcap(header, e, pick(recs, [(0, 5), (len(recs) - 3, len(recs))]))
    for path in sorted(glob.glob(os.path.join(ROOT, 'tests', 'data', '*.pcapng'))):
        blocks = read_pcapng_blocks(path)
        out = bytearray()
        n_packets = 0
        for btype, block, e in blocks:
            if btype == 6:
                n_packets += 1
                if n_packets > 10:
                    continue
                out += cut_epb(block, e)
            elif btype in (0x0A0D0D0A, 1):
                out += block
        name = os.path.basename(path)[:-7]
        seeds['seed-%s.pcapng' % name] = bytes(out)
    for name, data in seeds.items():
        save('capture-reader', name, data)
        save('decode', name, data)

    # Frame lists for the decoder.
    save('decode', 'seed-frames-lab', synth_seed(lab_lt, lab[:6]))
    for path in sorted(glob.glob(os.path.join(ROOT, 'tests', 'data', '*.pcap'))):
        header, e, lt, recs = read_pcap(path)
        if lt in DECODE_LINKTYPES:
            save('decode', 'seed-frames-' + os.path.basename(path)[:-5], synth_seed(lt, recs[:4]))

    # Segment sequences: the first stream of lab.pcap (handshake, a GET,
    # the response cut short, the teardown) and variants.
    first = pick(lab, [(0, 12), (262, 270)])
    save('tcp-segments', 'seed-lab-stream', segments_seed(lab_lt, first, 0x0f))
    save('tcp-segments', 'seed-lab-reordered',
         segments_seed(lab_lt, [first[i] for i in (0, 1, 2, 3, 6, 5, 4, 7, 7, 8)], 0x02))
    save('tcp-segments', 'seed-lab-midstream',
         segments_seed(lab_lt, pick(lab, [(20, 30)]), 0x3f, isn=(0x01020304, 0xfffffff0), flush_at=(24,)))
    save('tcp-segments', 'seed-lab-stream1', segments_seed(lab_lt, pick(lab, [(270, 280), (350, 354)]), 0x08))

    for name, data in http_seeds(lab_lt, lab).items():
        save('http-parser', name, data)

    # Ladders: an options byte (see fuzz-ladder.c), then a capture.
    ladder = {
        'seed-lab-first-stream.pcap': (0x00, write_pcap(lab_header, lab_e, pick(lab, [(0, 12), (262, 270)]))),
        'seed-lab-time-states.pcap': (0x81, write_pcap(lab_header, lab_e, pick(lab, [(270, 290)]), snap=96)),
        'seed-lab-folded.pcap': (0x36, write_pcap(lab_header, lab_e, pick(lab, [(354, 376)]), snap=600)),
        'seed-lab-streams.pcap': (0x4a, seeds['seed-lab-streams.pcap']),
        'seed-ipv6.pcap': (0x02, seeds['seed-ipv6.pcap']),
        # Explanations (spacing bits 0x03), both numbers (0x0c), states.
        'seed-lab-explained.pcap': (0x8f, write_pcap(lab_header, lab_e, pick(lab, [(0, 12), (262, 270)]))),
        'seed-lab-streams-explained.pcap': (0xcf, seeds['seed-lab-streams.pcap']),
    }
    for name, (options, data) in ladder.items():
        save('ladder', name, bytes([options]) + data)


def stream_bytes(linktype, recs, client_port, to_server, limit):
    """One direction of one stream, in sequence order (retransmissions dropped)."""
    seen = {}
    for _, _, frame, _ in recs:
        t = tcp_of(linktype, frame)
        if t is None:
            continue
        src, dst, sport, dport, seq, ack, flags, payload = t
        if (sport == client_port) != to_server or client_port not in (sport, dport):
            continue
        if payload and seq not in seen:
            seen[seq] = payload
    out = bytearray()
    for seq in sorted(seen):
        out += seen[seq]
        if len(out) >= limit:
            break
    return bytes(out[:limit])


def http_seeds(linktype, recs):
    """The http-parser inputs: settings (see fuzz-http-parser.c), then bytes."""
    ports = []
    for _, _, frame, _ in recs:
        t = tcp_of(linktype, frame)
        if t and t[6] == 0x002 and t[2] not in ports:
            ports.append(t[2])
    seeds = {}
    for i, port in enumerate(ports):
        seeds['seed-lab-request-%d' % i] = bytes([0x40 | i, 7]) + stream_bytes(linktype, recs, port, True, 2048)
        seeds['seed-lab-response-%d' % i] = bytes([0x40 | (i + 3), 200]) + stream_bytes(linktype, recs, port, False, 2048)
    crlf = lambda text: text.replace('\n', '\r\n').encode()
    seeds['seed-keepalive-requests'] = bytes([0x01, 16]) + crlf(
        'GET / HTTP/1.1\nHost: localhost:8080\nUser-Agent: curl/7.88.1\nAccept: */*\n\n'
        'GET /logo.jpg HTTP/1.1\nHost: localhost:8080\nRange: bytes=0-99\n\n'
        'POST /form HTTP/1.1\nHost: x\nContent-Length: 5\n\nhello'
        'HEAD / HTTP/1.0\n\n')
    seeds['seed-chunked-response'] = bytes([0x42, 5]) + crlf(
        'HTTP/1.1 200 OK\nTransfer-Encoding: chunked\nContent-Type: text/plain\n\n'
        '5;ext=1\nhello\n6\n world\n0\nX-Trailer: yes\n\n'
        'HTTP/1.1 206 Partial Content\nContent-Range: bytes 0-3/10\nContent-Length: 4\n\nabcd'
        'HTTP/1.1 304 Not Modified\nETag: "x"\n\n'
        'HTTP/1.0 200 OK\n\nuntil the connection closes')
    seeds['seed-gaps-and-folding'] = bytes([0x13, 3]) + crlf(
        'HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\nX-Folded: a\n  b\nContent-Length: 300\n\n' + 'x' * 300 +
        'HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n\n\x81\x05hello')
    seeds['seed-head-answer'] = bytes([0x84, 30]) + crlf(
        'HTTP/1.1 200 OK\nContent-Length: 1000\n\nHTTP/1.1 404 Not Found\nContent-Length: 0\n\n')
    return seeds


if __name__ == '__main__':
    main()
