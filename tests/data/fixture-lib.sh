# fixture-lib.sh: helpers shared by make-loss-fixtures.sh and
# make-http-fixtures.sh (sourced, not run).  They follow make-fixtures.sh:
# a private network namespace, a server and a capture started by pid and
# stopped by pid, every wait bounded.
#
# The including script sets PROG (its name, for messages) and, inside the
# namespace, WORK (its temporary directory).
# shellcheck shell=bash

die() { echo "$PROG: $*" >&2; exit 1; }
log() { echo "$PROG: $*" >&2; }

# stop_pid PID [SIGNAL]: stop one process we started, by pid: SIGNAL (TERM)
# first, SIGKILL after a bounded wait (5 s).
stop_pid() {
    local pid=$1 sig=${2:-TERM} _
    [[ -n $pid ]] || return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -s "$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then kill -s KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
}

# wait_for DESCRIPTION PID COMMAND...: poll COMMAND every 0.1 s, at most 10 s,
# failing early if PID died.
wait_for() {
    local what=$1 pid=$2 _
    shift 2
    for _ in $(seq 1 100); do
        "$@" && return 0
        kill -0 "$pid" 2>/dev/null || die "$what: process exited"
        sleep 0.1
    done
    die "$what: timed out"
}

listening() { ss -Hltn "sport = :$1" | grep -q .; }

# setup_lo: loopback of the (private) namespace at MTU 1500, offloads off,
# and at most one MSS per skb (see below).
setup_lo() {
    ip link set lo up mtu 1500
    # Without this the kernel hands 64 KB super-segments to the capture.
    ethtool -K lo gso off tso off gro off >/dev/null
    ethtool -K lo tx off rx off >/dev/null 2>&1 ||
        log "note: lo checksum offload is fixed on this kernel; TCP checksums are partial"
    # TCP always builds GSO packets (up to 64 KB) whatever ethtool says, and
    # they are cut into MSS-sized segments only at the device, after the
    # netfilter OUTPUT hook and after a qdisc.  One segment per skb makes an
    # OUTPUT drop or a netem reordering act on single segments, as on a wire.
    ip link set lo gso_max_segs 1
}

# Servers and the capture started by start_server / start_capture; stopped by
# inner_cleanup (the EXIT trap of the inner part).
SERVER_PIDS=()
CAPTURE_PID=''

inner_cleanup() {
    local p
    stop_pid "$CAPTURE_PID" INT
    for p in "${SERVER_PIDS[@]}"; do stop_pid "$p" TERM; done
}

# start_server ADDR PORT DIR [EXTRA ARGS...]: npm http-server ($HTTP_SERVER)
# serving DIR; -c-1: no caching headers, -d false: no listings, -s: quiet.
# $PIN (e.g. "taskset -c 0") prefixes the command when set.
start_server() {
    local addr=$1 port=$2 dir=$3 pid
    shift 3
    # shellcheck disable=SC2086  # $PIN is a word list on purpose
    ${PIN:-} "$HTTP_SERVER" "$dir" -a "$addr" -p "$port" -c-1 -d false -s "$@" \
        >> "$WORK/server.log" 2>&1 &
    pid=$!
    SERVER_PIDS+=("$pid")
    wait_for "http-server on $addr:$port" "$pid" listening "$port"
}

stop_servers() {
    local p
    for p in "${SERVER_PIDS[@]}"; do stop_pid "$p" TERM; done
    SERVER_PIDS=()
}

# start_capture FILE FILTER: tcpdump on lo, full frames, no name lookups,
# each packet written at once, staying root (the tcpdump user could not write
# in $WORK); waits until it listens.
start_capture() {
    local file=$1 filter=$2
    : > "$WORK/capture.log"
    tcpdump -i lo -s 0 -n -U -Z root -w "$file" "$filter" 2> "$WORK/capture.log" &
    CAPTURE_PID=$!
    wait_for tcpdump "$CAPTURE_PID" grep -q 'listening on' "$WORK/capture.log"
    sleep 0.5
}

# Let the last FIN/ACKs pass, then SIGINT so the file is flushed and closed.
# The wait must be longer than libpcap's 1 s buffer timeout: on SIGINT
# tcpdump stops without reading a TPACKET_V3 block the kernel has not handed
# over yet.  Fail if the kernel dropped anything.
stop_capture() {
    sleep 2
    stop_pid "$CAPTURE_PID" INT
    CAPTURE_PID=''
    sed 's/^/    /' "$WORK/capture.log" >&2
    grep -Eq '^0 packets dropped by kernel' "$WORK/capture.log" ||
        die "the capture dropped packets"
}

# readme_section README NAME FILE: replace the part of README between
# "<!-- NAME begin -->" and "<!-- NAME end -->" with the contents of FILE, or
# append it (with the markers) when README has no such part yet.
readme_section() {
    local readme=$1 name=$2 body=$3 tmp
    tmp=$(mktemp "$readme.XXXXXX")
    if grep -qF "<!-- $name begin -->" "$readme"; then
        awk -v b="<!-- $name begin -->" -v e="<!-- $name end -->" -v f="$body" '
            $0 == b { print; while ((getline l < f) > 0) print l; skip = 1; next }
            $0 == e { skip = 0 }
            !skip' "$readme" > "$tmp"
    else
        { cat "$readme"; echo; echo "<!-- $name begin -->"; cat "$body"; echo "<!-- $name end -->"; } > "$tmp"
    fi
    chmod 644 "$tmp"
    mv "$tmp" "$readme"
}

# outer_setup NAME: the outer part's temporary directory ($WORK, readable by
# the servers that run as other users), the namespace's name ($NS), and an
# EXIT trap (outer_cleanup) that stops the inner part, kills whatever is left
# in the namespace, deletes it and the directory (KEEP_WORK keeps the
# directory).  tshark runs without personal preferences, in the C locale.
outer_setup() {
    WORK=$(mktemp -d "/tmp/pl-$1-fixtures.XXXXXX")
    chmod 755 "$WORK"
    INNER_PID=''
    NS=pl-$1-$$
    trap outer_cleanup EXIT
    trap 'exit 130' INT TERM
    export LC_ALL=C
    export WIRESHARK_CONFIG_DIR=$WORK/wireshark
    mkdir -p "$WIRESHARK_CONFIG_DIR"
}

outer_cleanup() {
    local rc=$? pid
    # timeout passes SIGTERM on to the inner script, which stops its own
    # server and capture; whatever is left in the namespace is killed below.
    [[ -n ${INNER_PID:-} ]] && stop_pid "$INNER_PID" TERM
    if ip netns list 2>/dev/null | grep -qw "$NS"; then
        # Anything still running in our namespace was started by us.
        for pid in $(ip netns pids "$NS" 2>/dev/null); do
            kill -s KILL "$pid" 2>/dev/null || true
        done
        ip netns del "$NS" 2>/dev/null || true
    fi
    if [[ -n ${KEEP_WORK:-} ]]; then
        log "KEEP_WORK set: left $WORK in place"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
