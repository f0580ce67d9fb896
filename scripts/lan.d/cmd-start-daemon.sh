# shellcheck shell=bash
# scripts/lan start-daemon HOST [ARGS…]: starts lanchatd in HOST and waits for its socket.

cmd_start_daemon() {
    (( $# >= 1 )) || misuse "usage: start-daemon HOST [lanchatd ARGS…]"
    resolve_host "$1"
    shift
    local bin=${LANCHATD:-$REPO/.build/debug/lanchatd} pid
    [[ -x $bin ]] || die "lanchatd binary not found at $bin (build it: swift build, or set LANCHATD)"
    if pid=$(pid_ours "$HDIR/lanchatd.pid"); then
        die "lanchatd already runs on $HOST_NAME (pid $pid); stop it first: scripts/lan stop-daemon $HOST_NAME"
    fi
    local sock=$HDIR/lanchat.sock wait=${LAN_DAEMON_WAIT:-20}
    [[ $wait =~ ^[0-9]+$ ]] || misuse "LAN_DAEMON_WAIT must be a number of seconds"
    mkdir -p "$HDIR/lanchat"
    rm -f "$sock" # a stale socket of a killed daemon; lanchatd replaces it anyway
    echo "=== $(date '+%F %T') start: $bin --state-dir $HDIR/lanchat --socket $sock $*" >>"$HDIR/lanchatd.log"
    pid=$(host_spawn lanchatd "$bin" --state-dir "$HDIR/lanchat" --socket "$sock" "$@") ||
        die "lanchatd did not start on $HOST_NAME; see $HDIR/lanchatd.log"
    if (( wait > 0 )); then
        local deadline=$((SECONDS + wait))
        until [[ -S $sock ]]; do
            if ! alive "$pid"; then
                note "lanchatd on $HOST_NAME exited (status $(exit_status lanchatd 2 || echo '?')) before its socket appeared; last lines of $HDIR/lanchatd.log:"
                tail -n 8 "$HDIR/lanchatd.log" >&2
                exit 1
            fi
            if (( SECONDS >= deadline )); then
                die "lanchatd on $HOST_NAME (pid $pid) has no socket at $sock after ${wait}s; see $HDIR/lanchatd.log"
            fi
            sleep 0.05
        done
    fi
    echo "lanchatd started on $HOST_NAME (pid $pid, socket $sock, log $HDIR/lanchatd.log)"
}
