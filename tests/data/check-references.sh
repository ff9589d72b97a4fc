#!/bin/sh
# check-references.sh: the committed tshark references of our own captures
# (tests/data/*.tshark.tsv, data/samples/*.tshark.tsv) are what the
# installed tshark writes today, with the command line they were made with
# (build-aux/tshark-reference.sh).  A reference that went stale, or was
# edited by hand, fails here: test-tshark-agree trusts these files.
#
# Usage: check-references.sh SRCDIR   (TAP on stdout)
# Without tshark: a skip, or a failure with PL_REQUIRE_CORPUS=1 (CI).
set -u

srcdir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

refs=$(ls "$srcdir"/tests/data/*.tshark.tsv "$srcdir"/data/samples/*.tshark.tsv \
          "$srcdir"/tests/data/*.tls.tsv 2>/dev/null | sort)
n=$(printf '%s\n' "$refs" | grep -c .)
echo "1..$n"

if ! command -v tshark >/dev/null 2>&1; then
    i=0
    for ref in $refs; do
        i=$((i + 1))
        if [ "${PL_REQUIRE_CORPUS:-}" = 1 ]; then
            echo "not ok $i $(basename "$ref") # tshark is not installed (PL_REQUIRE_CORPUS=1)"
        else
            echo "ok $i $(basename "$ref") # SKIP tshark is not installed"
        fi
    done
    exit 0
fi
echo "# $(tshark --version | head -n 1)"

i=0
for ref in $refs; do
    i=$((i + 1))
    # <capture>.tshark.tsv: build-aux/tshark-reference.sh;
    # <capture>.tls.tsv: build-aux/tshark-tls-reference.sh.
    case $ref in
    *.tls.tsv) capture=${ref%.tls.tsv} script=tshark-tls-reference.sh suffix=tls.tsv ;;
    *) capture=${ref%.tshark.tsv} script=tshark-reference.sh suffix=tshark.tsv ;;
    esac
    name=$(basename "$capture")
    # A link in a folder of our own: the script writes its output beside it.
    mkdir -p "$work/$i"
    ln -s "$capture" "$work/$i/$name"
    if ! sh "$srcdir/build-aux/$script" "$work/$i/$name" 2> "$work/$i/err"; then
        echo "not ok $i $name.$suffix # $script failed: $(head -c 300 "$work/$i/err")"
        continue
    fi
    if cmp -s "$ref" "$work/$i/$name.$suffix"; then
        echo "ok $i $name.$suffix"
    else
        echo "not ok $i $name.$suffix # the committed reference differs from tshark's output today"
        diff "$ref" "$work/$i/$name.$suffix" | head -n 10 | sed 's/^/# /'
    fi
done
