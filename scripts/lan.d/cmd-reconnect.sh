# shellcheck shell=bash
# scripts/lan reconnect HOST: undoes cut (either kind).

cmd_reconnect() {
    (( $# == 1 )) || misuse "usage: reconnect HOST"
    resolve_host "$1"
    ip -n "$SW_NS" link set dev "h$HOST_I" up
    # Without STP a port that comes up forwards at once; a blackholed port needs its state back.
    local deadline=$((SECONDS + 5))
    until [[ $(port_state "$HOST_I") == up ]]; do
        bridge -n "$SW_NS" link set dev "h$HOST_I" state 3 2>/dev/null || true
        [[ $(port_state "$HOST_I") == up ]] && break
        (( SECONDS < deadline )) || die "switch port of $HOST_NAME did not come back"
        sleep 0.05
    done
    echo "$HOST_NAME reconnected"
}
