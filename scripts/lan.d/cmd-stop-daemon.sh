# shellcheck shell=bash
# scripts/lan stop-daemon HOST [--kill]: stops lanchatd in HOST and waits for it to exit.

cmd_stop_daemon() {
    local sig=TERM
    host_flag_given "stop-daemon HOST [--kill]" --kill "$@" && sig=KILL
    resolve_host "$1"
    local pid
    if ! pid=$(pid_ours "$HDIR/lanchatd.pid"); then
        echo "lanchatd is not running on $HOST_NAME"
        return 0
    fi
    kill "-$sig" "$pid"
    wait_gone "${LAN_STOP_WAIT:-20}" "$pid" || die "lanchatd on $HOST_NAME (pid $pid) still runs ${LAN_STOP_WAIT:-20}s after SIG$sig"
    local status
    status=$(exit_status lanchatd 2) || status="?"
    echo "lanchatd stopped on $HOST_NAME (pid $pid, SIG$sig, exit status $status)"
    if [[ $sig == TERM && $status != 0 ]]; then
        die "lanchatd on $HOST_NAME exited with status $status after SIGTERM (see $HDIR/lanchatd.log)"
    fi
}
