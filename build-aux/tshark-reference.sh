#!/bin/sh
# Writes <capture>.tshark.tsv next to each capture given: tshark's reading of
# every TCP frame, the reference the tshark-agree test compares
# `packet-ladder --dump-frames` with.  The command line is the one of
# ../shared/pcaps/make-reference.sh, so our fixtures and the shared corpus
# are compared the same way (made with TShark 4.0, Debian 12).
#
# Usage: build-aux/tshark-reference.sh CAPTURE...
#        build-aux/tshark-reference.sh --stdout CAPTURE
#
# --stdout writes the reference of one capture to standard output instead
# (tests/wild/wild-agree.py runs it so on captures it must not write next
# to); the exit status is tshark's.
set -eu

to_stdout=0
if [ "${1:-}" = --stdout ]; then
    to_stdout=1
    shift
    if [ $# -ne 1 ]; then
        echo "tshark-reference.sh: --stdout takes exactly one capture" >&2
        exit 2
    fi
fi

if ! command -v tshark >/dev/null 2>&1; then
    echo "tshark-reference.sh: tshark not found (apt-get install tshark)" >&2
    exit 1
fi

# Ignore personal Wireshark preferences so results are reproducible.
WIRESHARK_CONFIG_DIR=$(mktemp -d)
export WIRESHARK_CONFIG_DIR
trap 'rm -rf "$WIRESHARK_CONFIG_DIR"' EXIT INT TERM
LC_ALL=C
export LC_ALL

reference() {
    tshark -n -r "$1" \
        -o tcp.relative_sequence_numbers:TRUE \
        -o 'uat:custom_http_header_fields:"Content-Range","HTTP Content-Range response header"' \
        -Y tcp \
        -T fields -E header=y -E separator=/t -E occurrence=f \
        -e frame.number -e frame.time_epoch \
        -e ip.src -e ipv6.src -e tcp.srcport \
        -e ip.dst -e ipv6.dst -e tcp.dstport \
        -e tcp.stream -e tcp.flags \
        -e tcp.seq -e tcp.seq_raw -e tcp.ack -e tcp.ack_raw \
        -e tcp.len -e tcp.window_size \
        -e tcp.analysis.retransmission -e tcp.analysis.fast_retransmission \
        -e tcp.analysis.out_of_order -e tcp.analysis.duplicate_ack \
        -e tcp.analysis.zero_window -e tcp.analysis.lost_segment \
        -e http.request.method -e http.request.uri -e http.response.code \
        -e http.header.Content-Range \
        -e tcp.analysis.spurious_retransmission -e tcp.analysis.ack_lost_segment \
        -e tcp.analysis.zero_window_probe -e tcp.analysis.zero_window_probe_ack \
        -e tcp.analysis.window_full -e tcp.analysis.window_update \
        -e tcp.analysis.keep_alive -e tcp.analysis.keep_alive_ack \
        -e tcp.analysis.reused_ports
}

if [ "$to_stdout" = 1 ]; then
    # Not exec: the trap must still remove the configuration directory.
    status=0
    reference "$1" 2>/dev/null || status=$?
    exit "$status"
fi

for f in "$@"; do
    if ! reference "$f" > "$f.tshark.tsv.tmp" 2>/dev/null
    then
        echo "tshark-reference.sh: warning: tshark exited non-zero on $f" >&2
    fi
    mv "$f.tshark.tsv.tmp" "$f.tshark.tsv"
done
