# shellcheck shell=bash
# scripts/lan netem HOST ARGS…|clear|show: link emulation on HOST's eth0 (or loss at its switch port).

# Packet loss on a host's link without sch_netem: an nftables rule in the switch namespace drops
# that share of the frames the host sends (bridge prerouting, i.e. once per frame, before it is
# flooded or forwarded), like netem loss on the host's eth0 egress. The host itself sees no change.
nft_loss_set() { # nft_loss_set PERCENT
    local pct=$1 thr
    thr=$(awk -v p="$pct" 'BEGIN { printf "%d", p * 100 + 0.5 }')
    local match="numgen random mod 10000 < $thr"
    (( thr >= 10000 )) && match=""
    command -v nft >/dev/null || {
        note "installing nftables for the loss emulation (packages only; no service is started)"
        "$REPO/scripts/install-packages" nftables >&2 || die "could not install nftables"
    }
    ip netns exec "$SW_NS" nft -f - <<EOF2 || die "nft could not set loss $pct% on the switch port of $HOST_NAME"
table bridge lan_netem {
    chain h$HOST_I {
        type filter hook prerouting priority 0; policy accept;
    }
}
flush chain bridge lan_netem h$HOST_I
add rule bridge lan_netem h$HOST_I iifname "h$HOST_I" $match counter drop comment "loss $pct%"
EOF2
}

nft_loss_clear() {
    command -v nft >/dev/null || return 0
    ip netns exec "$SW_NS" nft list chain bridge lan_netem "h$HOST_I" >/dev/null 2>&1 || return 0
    ip netns exec "$SW_NS" nft flush chain bridge lan_netem "h$HOST_I" 2>/dev/null || true
    ip netns exec "$SW_NS" nft delete chain bridge lan_netem "h$HOST_I" 2>/dev/null || true
}

cmd_netem() {
    (( $# >= 2 )) || misuse "usage: netem HOST ARGS…|clear|show"
    resolve_host "$1"
    shift
    case $1 in
        clear)
            (( $# == 1 )) || misuse "clear takes no arguments"
            host_run tc qdisc del dev eth0 root 2>/dev/null || true
            nft_loss_clear
            echo "$HOST_NAME: no emulation" ;;
        show)
            (( $# == 1 )) || misuse "show takes no arguments"
            host_run tc qdisc show dev eth0
            nft_loss_show ;;
        *)
            local err
            if err=$(host_run tc qdisc replace dev eth0 root netem "$@" 2>&1); then
                nft_loss_clear
                echo "$HOST_NAME: netem $* (qdisc on its eth0)"
                return 0
            fi
            if [[ $err != *"kind is unknown"* ]]; then
                die "tc qdisc replace dev eth0 root netem $* failed on $HOST_NAME: ${err//$'\n'/ }"
            fi
            # This kernel has no sch_netem. Loss alone can be emulated.
            local pct=""
            if [[ ${1:-} == loss ]]; then
                if (( $# == 2 )); then pct=$2
                elif (( $# == 3 )) && [[ $2 == random ]]; then pct=$3; fi
            fi
            pct=${pct%\%}
            if [[ ! $pct =~ ^([0-9]{1,2}(\.[0-9]+)?|100(\.0+)?)$ ]]; then
                die "this kernel has no netem qdisc (CONFIG_NET_SCH_NETEM is off), so '$*' cannot be emulated; only 'loss P%' can (nftables on the switch port)"
            fi
            nft_loss_set "$pct"
            echo "$HOST_NAME: loss $pct% of the frames it sends (no netem in this kernel; nftables drops them at switch port h$HOST_I)" ;;
    esac
}
