#!/bin/bash
# make-gzip-fixtures.sh: the gzip-compressed captures of tests/data, made
# from two of our own real-traffic fixtures (see README.md), each with its
# tshark reference <capture>.tshark.tsv.  Deterministic: gzip -n stores no
# name or time, so running it again gives the same bytes.
#
#   lab.pcapng.gz       gzip -9 -n of lab.pcapng (one member)
#   nsec-2members.pcap.gz
#                       nsec.pcap cut in two at byte 40000 (inside a
#                       record), each part gzipped on its own and the two
#                       members concatenated (gzip -c a >> b makes such
#                       files; gunzip and Wireshark read them as one)
#
# Usage: tests/data/make-gzip-fixtures.sh   (needs gzip and tshark)
set -euo pipefail

DATA=$(dirname "$(readlink -f "$0")")
cd "$DATA"

gzip -9 -n -c lab.pcapng > lab.pcapng.gz
{
    head -c 40000 nsec.pcap | gzip -9 -n -c
    tail -c +40001 nsec.pcap | gzip -9 -n -c
} > nsec-2members.pcap.gz

# The members decompress to the original bytes.
cmp <(gzip -d -c lab.pcapng.gz) lab.pcapng
cmp <(gzip -d -c nsec-2members.pcap.gz) nsec.pcap

../../build-aux/tshark-reference.sh lab.pcapng.gz nsec-2members.pcap.gz
echo "make-gzip-fixtures.sh: wrote lab.pcapng.gz, nsec-2members.pcap.gz and their references"
