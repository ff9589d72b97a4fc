#!/usr/bin/env python3
"""wild-agree.py: how well packet-ladder agrees with tshark 4.0 on captures
from the wild (folders of pcap / pcapng files, gzip-compressed or not).

For every capture under the folders given (found by their magic number, so
notes and other files are passed over), it runs tshark with exactly the
fields of build-aux/tshark-reference.sh (`--stdout`) and our
`--dump-frames` and `--list-streams`, and compares them frame by frame:

  base      the 13 header cells of every TCP frame tshark lists: time, src,
            dst, sport, dport, stream, flags, seq, seq_raw, ack, ack_raw, len,
            win (ack and ack_raw only where the ACK flag is set, as
            tests/cli/test-tshark-agree.c); a TCP frame only one side has
            counts 13 differing cells
  analysis  the 15 tcp.analysis.* flags: a frame agrees when all 15 do
  http      the http column (`METHOD URI` or the status code) against
            tshark's http.request.method + uri / http.response.code
  tls       the tls_records and tls_handshakes columns against tshark's
            tls.record.content_type and tls.handshake.type (every occurrence,
            build-aux/tshark-tls-reference.sh), on the frames of the streams
            tshark decodes as TLS (a record somewhere in the stream): a frame
            agrees when both columns do
  streams   per file, the number of TCP streams (distinct tcp.stream in
            tshark; rows of --list-streams)

Figures are frame-weighted over all files (cells or frames that agree /
all of them).  A difference may be accepted as a tshark quirk only by
naming its file, frame and column with the reason, in the quirks file
(default tests/wild/quirks.tsv); the figures are printed both raw and with
the listed quirks counted as agreeing, and the targets apply to the latter.

  tests/wild/wild-agree.py [--cli PATH] [--jobs N] [--show N] [--tap]
                           [--targets] [--quirks FILE] FOLDER...

With --tap (the meson test) the output is TAP: per folder one test point per
group, failing below the target (base 99.99%, analysis 99.95%, http 99.95%,
tls 99.5%, streams: equal on every file), and one per quirk that no longer occurs.  A
folder that does not exist is a visible SKIP, or a failure when
PL_REQUIRE_CORPUS=1.  PL_WILD_CORPUS (folders separated by ':') adds folders.
"""

import argparse
import concurrent.futures
import gzip
import os
import subprocess
import sys

SRCDIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REFERENCE = os.path.join(SRCDIR, "build-aux", "tshark-reference.sh")
TLS_REFERENCE = os.path.join(SRCDIR, "build-aux", "tshark-tls-reference.sh")

TARGETS = {"base": 99.99, "analysis": 99.95, "http": 99.95, "tls": 99.5}
GROUPS = ("base", "analysis", "http", "tls")

# Our column, tshark's column (src/dst are handled apart: ip or ipv6).
BASE_COLUMNS = [
    ("time", "frame.time_epoch"),
    ("src", None),
    ("dst", None),
    ("sport", "tcp.srcport"),
    ("dport", "tcp.dstport"),
    ("stream", "tcp.stream"),
    ("flags", "tcp.flags"),
    ("seq", "tcp.seq"),
    ("seq_raw", "tcp.seq_raw"),
    ("ack", "tcp.ack"),
    ("ack_raw", "tcp.ack_raw"),
    ("len", "tcp.len"),
    ("win", "tcp.window_size"),
]

ANALYSIS = [
    "retransmission", "fast_retransmission", "spurious_retransmission",
    "out_of_order", "lost_segment", "ack_lost_segment", "duplicate_ack",
    "zero_window", "zero_window_probe", "zero_window_probe_ack",
    "window_full", "window_update", "keep_alive", "keep_alive_ack",
    "reused_ports",
]

MAGICS = {
    b"\xa1\xb2\xc3\xd4", b"\xd4\xc3\xb2\xa1",  # pcap, microseconds
    b"\xa1\xb2\x3c\x4d", b"\x4d\x3c\xb2\xa1",  # pcap, nanoseconds
    b"\xa1\xb2\xcd\x34", b"\x34\xcd\xb2\xa1",  # pcap, modified
    b"\x0a\x0d\x0d\x0a",                       # pcapng
}


def is_capture(path):
    try:
        with open(path, "rb") as f:
            head = f.read(4)
            if head[:2] == b"\x1f\x8b":
                f.seek(0)
                with gzip.GzipFile(fileobj=f) as z:
                    head = z.read(4)
    except (OSError, EOFError, gzip.BadGzipFile):
        return False
    return head in MAGICS


def find_captures(folder):
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if os.path.isfile(path) and is_capture(path):
                found.append(path)
    return found


def run(argv, timeout):
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, check=False)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %d s" % timeout


def parse_tsv(text):
    lines = [l for l in text.split("\n") if l != ""]
    if not lines:
        return None, []
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return header, rows


def theirs_base(row, col, ref_col):
    if col == "src":
        return row["ip.src"] or row["ipv6.src"]
    if col == "dst":
        return row["ip.dst"] or row["ipv6.dst"]
    return row[ref_col]


def base_equal(col, ours, theirs):
    if col == "flags":
        try:
            return int(ours, 16) == int(theirs, 16)
        except ValueError:
            return ours == theirs
    return ours == theirs


def their_http(row):
    if row["http.request.method"]:
        return "%s %s" % (row["http.request.method"], row["http.request.uri"])
    return row["http.response.code"]


class FileResult:
    def __init__(self, path, name):
        self.path = path
        self.name = name
        self.note = None          # why a side could not be compared
        self.tcp_frames = 0
        self.tls_frames = 0       # frames of the streams tshark decodes as TLS
        self.cells = 0
        self.diffs = []           # (frame, column, ours, theirs)
        self.streams = (0, 0)     # ours, theirs


def compare(path, name, cli):
    r = FileResult(path, name)
    rc, out, err = run([REFERENCE, "--stdout", path], 600)
    header, ref = parse_tsv(out)
    if rc is None or header is None or "frame.number" not in header:
        r.note = "tshark cannot read it (%s)" % (err.strip().splitlines() or ["no output"])[-1]
        return r
    rc, out, err = run([cli, "--dump-frames", path], 300)
    if rc != 0:
        r.note = "we cannot read it: %s" % (err.strip() or "exit %s" % rc)
        ours = {}
    else:
        _, rows = parse_tsv(out)
        ours = {int(row["frame"]): row for row in rows}
    rc, out, err = run([cli, "--list-streams", path], 300)
    _, stream_rows = parse_tsv(out) if rc == 0 else (None, [])
    their_streams = {row["tcp.stream"] for row in ref if row["tcp.stream"] != ""}
    r.streams = (len(stream_rows or []), len(their_streams))

    rc, out, err = run([TLS_REFERENCE, "--stdout", path], 600)
    _, tls_rows = parse_tsv(out) if rc == 0 else (None, [])
    tls = {}
    tls_streams = set()
    for row in tls_rows or []:
        cell = "%s/%s" % (row["tls.record.content_type"], row["tls.handshake.type"])
        tls[int(row["frame.number"])] = (row["tcp.stream"], cell)
        if cell != "/":
            tls_streams.add(row["tcp.stream"])

    listed = set()
    for row in ref:
        frame = int(row["frame.number"])
        listed.add(frame)
        r.tcp_frames += 1
        mine = ours.get(frame)
        # A TCP header cut short: tshark lists the frame (with the ports it
        # could read) but no stream; compare what both show.
        if mine is None or (mine.get("stream", "") == "" and row["tcp.stream"] != ""):
            r.cells += len(BASE_COLUMNS)
            r.diffs.append((frame, "frame", "not TCP" if mine else "missing", "TCP"))
            continue
        has_ack = int(row["tcp.flags"] or "0", 16) & 0x10
        for col, ref_col in BASE_COLUMNS:
            if col in ("ack", "ack_raw") and not has_ack:
                continue
            r.cells += 1
            theirs = theirs_base(row, col, ref_col)
            if not base_equal(col, mine[col], theirs):
                r.diffs.append((frame, col, mine[col], theirs))
        mine_flags = set(filter(None, mine["analysis"].split(",")))
        for flag in ANALYSIS:
            t = row["tcp.analysis." + flag] == "1"
            o = flag in mine_flags
            if t != o:
                r.diffs.append((frame, flag, "set" if o else "clear", "set" if t else "clear"))
        if mine["http"] != their_http(row):
            r.diffs.append((frame, "http", mine["http"], their_http(row)))
        t = tls.get(frame)
        if t is not None and t[0] in tls_streams:
            r.tls_frames += 1
            o = "%s/%s" % (mine.get("tls_records", ""), mine.get("tls_handshakes", ""))
            if o != t[1]:
                r.diffs.append((frame, "tls", o, t[1]))
    # TCP frames tshark does not list.
    for frame, mine in ours.items():
        if frame not in listed and mine.get("stream", "") != "":
            r.tcp_frames += 1
            r.cells += len(BASE_COLUMNS)
            r.diffs.append((frame, "frame", "TCP", "not TCP"))
    return r


def group_of(column):
    if column in ("http", "tls"):
        return column
    if column in ANALYSIS:
        return "analysis"
    return "base"


def load_quirks(path):
    quirks = []
    if not path or not os.path.exists(path):
        return quirks
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 4 or not parts[1].isdigit() or not parts[3].strip():
                sys.exit("%s:%d: want FILE<TAB>FRAME<TAB>COLUMN<TAB>REASON" % (path, n))
            quirks.append({"file": parts[0], "frame": int(parts[1]), "column": parts[2],
                           "reason": parts[3], "seen": False, "where": "%s:%d" % (path, n)})
    return quirks


def quirk_for(quirks, path, frame, column):
    """The quirk listed for this frame and column; FILE is a path suffix."""
    for q in quirks:
        if path.endswith("/" + q["file"]) and q["frame"] == frame and q["column"] == column:
            return q
    return None


class Totals:
    def __init__(self):
        self.files = 0
        self.cells = 0
        self.tcp_frames = 0
        self.tls_frames = 0
        self.raw = {"base": 0, "analysis": 0, "http": 0, "tls": 0}       # differing cells / frames
        self.accepted = {"base": 0, "analysis": 0, "http": 0, "tls": 0}
        self.stream_files = 0
        self.stream_diffs = []
        self.notes = []

    def add(self, r, quirks):
        self.files += 1
        if r.note:
            self.notes.append((r.name, r.note))
        self.cells += r.cells
        self.tcp_frames += r.tcp_frames
        self.tls_frames += r.tls_frames
        frames = {"analysis": set(), "http": set(), "tls": set()}
        frames_unlisted = {"analysis": set(), "http": set(), "tls": set()}
        for frame, column, _, _ in r.diffs:
            g = group_of(column)
            q = quirk_for(quirks, r.path, frame, column)
            if q:
                q["seen"] = True
            if g == "base":
                self.raw["base"] += len(BASE_COLUMNS) if column == "frame" else 1
                if not q:
                    self.accepted["base"] += len(BASE_COLUMNS) if column == "frame" else 1
            else:
                frames[g].add(frame)
                if not q:
                    frames_unlisted[g].add(frame)
        for g in ("analysis", "http", "tls"):
            self.raw[g] += len(frames[g])
            self.accepted[g] += len(frames_unlisted[g])
        self.stream_files += 1
        if r.streams[0] != r.streams[1]:
            q = quirk_for(quirks, r.path, 0, "streams")
            if q:
                q["seen"] = True
            else:
                self.stream_diffs.append((r.name, r.streams))

    def pct(self, group, accepted=True):
        bad = (self.accepted if accepted else self.raw)[group]
        total = self.cells if group == "base" else self.tls_frames if group == "tls" else self.tcp_frames
        return 100.0 if total == 0 else 100.0 * (total - bad) / total


def report_file(r, quirks, show, emit):
    if r.note:
        emit("%s: %s" % (r.name, r.note))
    if not r.diffs and r.streams[0] == r.streams[1]:
        return
    by_group = {}
    for d in r.diffs:
        by_group.setdefault(group_of(d[1]), []).append(d)
    summary = ", ".join("%s %d" % (g, len(v)) for g, v in sorted(by_group.items()))
    emit("%s: %d TCP frames; differences: %s; streams ours %d, tshark %d"
         % (r.name, r.tcp_frames, summary or "none", r.streams[0], r.streams[1]))
    for i, (frame, column, ours, theirs) in enumerate(r.diffs):
        if show and i >= show:
            emit("  ... %d more" % (len(r.diffs) - show))
            break
        q = quirk_for(quirks, r.path, frame, column)
        emit("  frame %d %s: ours '%s', tshark '%s'%s"
             % (frame, column, ours, theirs, "  [accepted: %s]" % q["reason"] if q else ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="*")
    ap.add_argument("--cli", default=os.environ.get("PL_CLI") or
                    os.path.join(SRCDIR, "_build", "tests", "cli", "pl-cli-runner"),
                    help="packet-ladder or tests/cli/pl-cli-runner (default: $PL_CLI or _build's)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--show", type=int, default=20,
                    help="differing cells listed per file (0: all)")
    ap.add_argument("--quirks", default=os.path.join(SRCDIR, "tests", "wild", "quirks.tsv"))
    ap.add_argument("--tap", action="store_true", help="TAP output (meson test)")
    ap.add_argument("--wild-env", action="store_true",
                    help="add the folders of $PL_WILD_CORPUS (':'-separated)")
    args = ap.parse_args()

    folders = list(args.folders)
    if args.wild_env and os.environ.get("PL_WILD_CORPUS"):
        folders += [f for f in os.environ["PL_WILD_CORPUS"].split(":") if f]
    require = os.environ.get("PL_REQUIRE_CORPUS") == "1"
    quirks = load_quirks(args.quirks)
    tap_n = 0
    failed = False

    def emit(line):
        print(("# " + line) if args.tap else line, flush=True)

    def point(ok, text, skip=None):
        nonlocal tap_n, failed
        tap_n += 1
        if not ok:
            failed = True
        if args.tap:
            print("%s %d - %s%s" % ("ok" if ok else "not ok", tap_n, text,
                                     " # SKIP " + skip if skip else ""), flush=True)
        else:
            print("%s: %s%s" % ("PASS" if ok else "FAIL", text,
                                 " (skipped: %s)" % skip if skip else ""), flush=True)

    if not os.access(args.cli, os.X_OK):
        sys.exit("wild-agree: %s is not an executable (--cli)" % args.cli)
    have_tshark = subprocess.run(["sh", "-c", "command -v tshark"], stdout=subprocess.DEVNULL,
                                 check=False).returncode == 0
    if not folders:
        sys.exit("wild-agree: no folder given")

    for folder in folders:
        label = folder
        if not os.path.isdir(folder):
            if require:
                point(False, "%s: the corpus is missing and PL_REQUIRE_CORPUS=1" % label)
            else:
                point(True, "%s" % label, skip="the folder does not exist (PL_REQUIRE_CORPUS=1 makes this a failure)")
            continue
        if not have_tshark:
            if require:
                point(False, "%s: tshark is not installed and PL_REQUIRE_CORPUS=1" % label)
            else:
                point(True, "%s" % label, skip="tshark is not installed")
            continue
        paths = find_captures(folder)
        totals = Totals()
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(compare, p, os.path.relpath(p, folder), args.cli) for p in paths]
            for fut in futures:
                r = fut.result()
                totals.add(r, quirks)
                report_file(r, quirks, args.show, emit)
        emit("%s: %d captures, %d TCP frames, %d base cells" % (label, totals.files, totals.tcp_frames, totals.cells))
        emit("  %d frames on streams tshark decodes as TLS" % totals.tls_frames)
        for g in GROUPS:
            unit = "cells" if g == "base" else "frames"
            total = totals.cells if g == "base" else totals.tcp_frames
            emit("  %-8s %.4f%% raw (%d %s differ), %.4f%% with listed quirks (%d differ), target %.2f%%"
                 % (g, totals.pct(g, False), totals.raw[g], unit, totals.pct(g), totals.accepted[g], TARGETS[g]))
            del total
        emit("  streams  equal on %d of %d files" % (totals.stream_files - len(totals.stream_diffs), totals.stream_files))
        for g in GROUPS:
            point(totals.pct(g) >= TARGETS[g],
                  "%s: %s %.4f%% (target %.2f%%)" % (label, g, totals.pct(g), TARGETS[g]))
        for name, (o, t) in totals.stream_diffs:
            emit("  streams differ: %s: ours %d, tshark %d" % (name, o, t))
        point(not totals.stream_diffs, "%s: stream counts equal on every file (%d differ)"
              % (label, len(totals.stream_diffs)))

    for q in quirks:
        # A quirk of a file that was compared must still occur.
        if q.get("seen"):
            continue
        examined = any(os.path.isdir(f) and find_in(f, q["file"]) for f in folders)
        if examined:
            point(False, "%s: the listed quirk (%s frame %d %s) no longer occurs"
                  % (q["where"], q["file"], q["frame"], q["column"]))

    if args.tap:
        print("1..%d" % tap_n)
    return 1 if failed and not args.tap else 0


def find_in(folder, suffix):
    for root, _, files in os.walk(folder):
        for name in files:
            if os.path.join(root, name).endswith("/" + suffix):
                return True
    return False


if __name__ == "__main__":
    sys.exit(main())
