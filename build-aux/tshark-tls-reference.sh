#!/bin/sh
# Writes <capture>.tls.tsv next to each capture given: tshark's reading of
# the TLS records of every TCP frame, the reference tests/cli/test-tls-cli.c
# compares the tls_records and tls_handshakes columns of
# `packet-ladder --dump-frames` and the sni column of --list-streams with.
# Every occurrence, comma-joined (a frame may complete several records).
# TLS on a port tshark gives to no dissector is found by its heuristic
# (tls.try_heuristic_first is not needed: no other dissector claims it).
#
# Usage: build-aux/tshark-tls-reference.sh CAPTURE...
#        build-aux/tshark-tls-reference.sh --stdout CAPTURE
set -eu

to_stdout=0
if [ "${1:-}" = --stdout ]; then
    to_stdout=1
    shift
fi

if ! command -v tshark >/dev/null 2>&1; then
    echo "tshark-tls-reference.sh: tshark not found (apt-get install tshark)" >&2
    exit 1
fi

WIRESHARK_CONFIG_DIR=$(mktemp -d)
export WIRESHARK_CONFIG_DIR
trap 'rm -rf "$WIRESHARK_CONFIG_DIR"' EXIT INT TERM
LC_ALL=C
export LC_ALL

reference() {
    tshark -n -r "$1" -Y tcp \
        -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=, \
        -e frame.number -e tcp.stream \
        -e tls.record.content_type -e tls.handshake.type \
        -e tls.handshake.extensions_server_name
}

if [ "$to_stdout" = 1 ]; then
    status=0
    reference "$1" 2>/dev/null || status=$?
    exit "$status"
fi

for f in "$@"; do
    if ! reference "$f" > "$f.tls.tsv.tmp" 2>/dev/null
    then
        echo "tshark-tls-reference.sh: warning: tshark exited non-zero on $f" >&2
    fi
    mv "$f.tls.tsv.tmp" "$f.tls.tsv"
done
