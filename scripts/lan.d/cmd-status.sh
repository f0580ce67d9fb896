# shellcheck shell=bash
# scripts/lan status [--prefix NAME]: hosts, families, addresses, links and which daemons run.

proc_col() { local pid; if pid=$(pid_ours "$1"); then echo "$pid"; else echo -; fi; }

status_one() {
    lan_vars
    local N i hd
    N=$(sed -n 's/^N=//p' "$LAN_DIR/lan.env" 2>/dev/null)
    if [[ -z $N ]]; then echo "LAN '$PREFIX': not up"; return 1; fi
    echo "LAN '$PREFIX': $N host(s), bridge $BRIDGE in netns $SW_NS$(netns_exists "$SW_NS" || echo ' (MISSING)'), state $LAN_DIR"
    printf '%-12s %-6s %-12s %-24s %-10s %-8s %-8s %-8s %-8s %s\n' HOST FAMILY IP IP6 LINK HOLDER DBUS AVAHI LANCHATD NETEM
    for (( i = 1; i <= N; i++ )); do
        hd=$LAN_DIR/h$i
        local holder netem=- fam ip=- ip6=-
        fam=$(host_family "$hd")
        family_has_v4 "$fam" && ip=$SUBNET.$i
        if family_has_v6 "$fam"; then ip6=$(link_local "$PREFIX-h$i"); ip6=${ip6:-?}; fi
        holder=$(proc_col "$hd/holder.pid")
        if [[ $holder != - ]]; then
            # shellcheck disable=SC2034  # HOLDER and HOST_I are read by netem_desc (lib.sh)
            HOLDER=$holder HOST_I=$i
            netem=$(netem_desc)
        fi
        printf '%-12s %-6s %-12s %-24s %-10s %-8s %-8s %-8s %-8s %s\n' "$PREFIX-h$i" "$fam" "$ip" "$ip6" "$(port_state "$i")" \
            "$holder" "$(proc_col "$hd/dbus.pid")" "$(proc_col "$hd/avahi.pid")" "$(proc_col "$hd/lanchatd.pid")" "$netem"
    done
}

cmd_status() {
    prefix_opts_only "$@"
    if (( PREFIX_SET )); then
        status_one
        return
    fi
    local d any=0
    for d in "$STATE_ROOT"/*/; do
        [[ -f $d/lan.env ]] || continue
        (( any )) && echo
        PREFIX=$(basename "$d")
        status_one || true
        any=1
    done
    (( any )) || echo "no LAN is up"
}
