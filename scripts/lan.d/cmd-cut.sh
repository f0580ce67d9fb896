# shellcheck shell=bash
# scripts/lan cut HOST [--blackhole]: partitions HOST at its switch port.

cmd_cut() {
    local mode=link
    host_flag_given "cut HOST [--blackhole]" --blackhole "$@" && mode=blackhole
    resolve_host "$1"
    if [[ $mode == link ]]; then
        ip -n "$SW_NS" link set dev "h$HOST_I" down
        echo "$HOST_NAME cut off (switch port h$HOST_I down; its eth0 has no carrier)"
    else
        bridge -n "$SW_NS" link set dev "h$HOST_I" state 0
        echo "$HOST_NAME cut off (switch port h$HOST_I drops all frames; its eth0 still has carrier)"
    fi
}
