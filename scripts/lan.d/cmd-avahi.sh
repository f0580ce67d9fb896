# shellcheck shell=bash
# scripts/lan avahi HOST stop|start|restart [--kill]: stops or starts HOST's avahi-daemon only.

cmd_avahi() {
    (( $# >= 2 && $# <= 3 )) || misuse "usage: avahi HOST stop|start|restart [--kill]"
    local action=$2 sig=TERM
    if (( $# == 3 )); then
        [[ $3 == --kill && $action != start ]] || misuse "unexpected argument '$3'"
        sig=KILL
    fi
    case $action in stop|start|restart) ;; *) misuse "unknown action '$action' (stop, start or restart)" ;; esac
    resolve_host "$1"
    local pid
    if [[ $action == stop || $action == restart ]]; then
        if pid=$(pid_ours "$HDIR/avahi.pid"); then
            stop_recorded avahi "$sig" 10 || die "avahi-daemon on $HOST_NAME (pid $pid) did not stop"
            # After SIGKILL the pid file and socket stay behind; avahi-daemon ignores a stale pid file.
            echo "avahi-daemon stopped on $HOST_NAME (pid $pid, SIG$sig)"
        else
            echo "avahi-daemon is not running on $HOST_NAME"
        fi
    fi
    if [[ $action == start || $action == restart ]]; then
        if pid=$(pid_ours "$HDIR/avahi.pid"); then
            echo "avahi-daemon already runs on $HOST_NAME (pid $pid)"
        else
            start_avahi || die "avahi-daemon did not start on $HOST_NAME"
            echo "avahi-daemon started on $HOST_NAME (pid $(pid_ours "$HDIR/avahi.pid"))"
        fi
    fi
}
