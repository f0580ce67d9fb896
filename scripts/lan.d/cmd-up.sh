# shellcheck shell=bash
# scripts/lan up N [--prefix NAME] [--family SPEC]: creates the LAN (see scripts/lan for what it is
# made of). SPEC: v4 (default), v6 or dual for every host, or a comma-separated list of N of them.
# shellcheck disable=SC2016  # the holder script expands in the inner shell, on purpose

MAX_HOSTS=250
FAMILIES_KNOWN="v4 v6 dual"
FAMILY_NEEDS="--family needs a SPEC: v4, v6 or dual for all hosts, or one per host, comma-separated, h1 first (e.g. v4,v6,dual)"

need_tools() {
    local -a missing_pkgs=() t
    for t in ip:iproute2 bridge:iproute2 tc:iproute2 nsenter:util-linux unshare:util-linux setsid:util-linux \
        flock:util-linux dbus-daemon:dbus avahi-daemon:avahi-daemon; do
        command -v "${t%%:*}" >/dev/null || missing_pkgs+=("${t#*:}")
    done
    if (( ${#missing_pkgs[@]} )); then
        mapfile -t missing_pkgs < <(printf '%s\n' "${missing_pkgs[@]}" | sort -u)
        note "installing missing packages: ${missing_pkgs[*]} (services are not started)"
        "$REPO/scripts/install-packages" "${missing_pkgs[@]}" >&2 || die "could not install ${missing_pkgs[*]}"
    fi
    getent passwd messagebus >/dev/null || die "user 'messagebus' is missing (reinstall the dbus package)"
}

# parse_families N SPEC: sets FAMILY[1..N] from --family SPEC (misuse if SPEC is wrong).
parse_families() {
    local n=$1 spec=$2 f i
    local -a list
    [[ -n $spec ]] || misuse "$FAMILY_NEEDS"
    IFS=, read -r -a list <<<"$spec"
    [[ $spec != *, ]] || list+=("")
    for f in "${list[@]}"; do
        [[ " $FAMILIES_KNOWN " == *" $f "* && -n $f ]] || misuse "bad family '$f' in --family $spec (each is v4, v6 or dual)"
    done
    if (( ${#list[@]} == 1 )); then
        for (( i = 1; i <= n; i++ )); do FAMILY[i]=${list[0]}; done
    elif (( ${#list[@]} == n )); then
        for (( i = 1; i <= n; i++ )); do FAMILY[i]=${list[i-1]}; done
    else
        misuse "--family $spec names ${#list[@]} families for $n hosts (give one for all hosts or exactly $n, h1 first)"
    fi
}

# ns_conf NETNS WHAT=VALUE…: writes /proc/sys/net/WHAT (e.g. ipv6/conf/eth0/accept_dad) inside NETNS.
ns_conf() {
    local ns=$1
    shift
    ip netns exec "$ns" sh -c 'for kv; do echo "${kv#*=}" >"/proc/sys/net/${kv%%=*}" || exit 1; done' ns_conf "$@"
}

# host_net I: creates host I's netns and eth0 (in the switch's bridge) for its family FAMILY[I].
host_net() {
    local i=$1 ns=$PREFIX-h$1 fam=${FAMILY[$1]} c
    ip netns add "$ns"
    if family_has_v6 "$fam"; then
        # IPv6 on, no duplicate address detection (the link-local address is usable at once, never
        # "tentative"); set for all/default before eth0 exists, so eth0 is created with it, and for
        # eth0 itself before it comes up. The address comes from the MAC (EUI-64), not a secret.
        local -a conf=()
        for c in all default lo; do conf+=("ipv6/conf/$c/disable_ipv6=0"); done
        for c in all default; do conf+=("ipv6/conf/$c/accept_dad=0" "ipv6/conf/$c/dad_transmits=0"); done
        ns_conf "$ns" "${conf[@]}" ipv6/conf/default/addr_gen_mode=0 ||
            die "cannot enable IPv6 in $ns (does this kernel have IPv6?)"
    else
        # IPv4 only: no IPv6 at all (no link-local address, no ::1, no MLD or neighbour solicitations).
        ns_conf "$ns" ipv6/conf/all/disable_ipv6=1 ipv6/conf/default/disable_ipv6=1 ipv6/conf/lo/disable_ipv6=1 2>/dev/null || true
    fi
    ip -n "$SW_NS" link add "h$i" type veth peer name eth0 address "$(host_mac "$i")" netns "$ns"
    ip -n "$SW_NS" link set "h$i" master "$BRIDGE"
    ip -n "$SW_NS" link set "h$i" up
    ip -n "$ns" link set lo up
    if family_has_v6 "$fam"; then
        ns_conf "$ns" ipv6/conf/eth0/disable_ipv6=0 ipv6/conf/eth0/accept_dad=0 ipv6/conf/eth0/dad_transmits=0 \
            ipv6/conf/eth0/addr_gen_mode=0 || die "cannot configure IPv6 on eth0 of $ns"
    fi
    if family_has_v4 "$fam"; then ip -n "$ns" addr add "$SUBNET.$i/24" dev eth0; fi
    ip -n "$ns" link set dev eth0 multicast on
    ip -n "$ns" link set dev eth0 up
    # IPv4 multicast (mDNS to 224.0.0.251) needs this route: the hosts have no default route. IPv6 needs
    # none: the kernel adds "multicast ff00::/8 dev eth0 table local" when IPv6 comes up on eth0.
    if family_has_v4 "$fam"; then ip -n "$ns" route add 224.0.0.0/4 dev eth0; fi
}

# await_link_local I: waits until host I's eth0 has its link-local address, usable (not tentative).
await_link_local() {
    local ns=$PREFIX-h$1 deadline=$((SECONDS + 10)) a
    while :; do
        a=$(ip -n "$ns" -6 -o addr show dev eth0 scope link 2>/dev/null)
        [[ $a == *fe80::* && $a != *tentative* && $a != *dadfailed* ]] && return 0
        (( SECONDS < deadline )) || { note "host $ns: no usable IPv6 link-local address on eth0 after 10s: ${a:-none}"; return 1; }
        sleep 0.02
    done
}

cmd_up() {
    local n="" spec=""
    local -a FAMILY=()
    local family_given=0
    while (( $# )); do
        prefix_opt "$@" && { shift "$PREFIX_SHIFT"; continue; }
        case $1 in
            --family)
                (( $# >= 2 )) || misuse "$FAMILY_NEEDS"
                (( ! family_given )) || misuse "--family given twice"
                spec=$2; family_given=1; shift 2 ;;
            --family=*)
                (( ! family_given )) || misuse "--family given twice"
                spec=${1#--family=}; family_given=1; shift ;;
            -*) misuse "unknown option '$1'" ;;
            *) [[ -z $n ]] || misuse "one host count only"; n=$1; shift ;;
        esac
    done
    [[ -n $n ]] || misuse "missing host count N"
    if [[ ! $n =~ ^[1-9][0-9]*$ ]] || (( n > MAX_HOSTS )); then misuse "N must be 1…$MAX_HOSTS, not '$n'"; fi
    (( family_given )) || spec=v4
    parse_families "$n" "$spec"
    need_tools
    lan_vars
    lock_lan
    local started=$SECONDS
    if lan_exists; then
        note "removing the previous LAN '$PREFIX'"
        teardown || die "could not remove the previous LAN '$PREFIX'"
    fi

    UP_DONE=0
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
    trap 'trap "" INT TERM HUP; if [[ $UP_DONE != 1 ]]; then note "up failed; removing LAN $PREFIX"; teardown || true; fi' EXIT

    mkdir -p "$LAN_DIR"
    printf 'N=%s\nPREFIX=%s\nSUBNET=%s\n' "$n" "$PREFIX" "$SUBNET" >"$LAN_DIR/lan.env"

    # The switch.
    ip netns add "$SW_NS"
    # No IPv6 on the switch itself: the bridge stays silent (it has no address of any kind).
    ip netns exec "$SW_NS" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6' 2>/dev/null || true
    ip -n "$SW_NS" link add "$BRIDGE" type bridge stp_state 0 forward_delay 0 mcast_snooping 0
    ip -n "$SW_NS" link set "$BRIDGE" up

    # The hosts' network.
    local i ns
    for (( i = 1; i <= n; i++ )); do
        mkdir -p "$LAN_DIR/h$i/avahi-services" "$LAN_DIR/h$i/lanchat"
        echo "${FAMILY[i]}" >"$LAN_DIR/h$i/family"
        host_net "$i"
    done
    for (( i = 1; i <= n; i++ )); do
        if family_has_v6 "${FAMILY[i]}"; then await_link_local "$i" || exit 1; fi
    done

    # The hosts' holders (own mount and UTS namespaces inside their netns).
    local holder_script='
        set -eu
        name=$1 dir=$2
        hostname "$name"
        # Copies of the other hosts'"'"' /run/netns entries would pin those namespaces; drop them here.
        umount -R -l /run/netns 2>/dev/null || true
        for d in /run/dbus /run/avahi-daemon; do
            mkdir -p "$d"
            mount -t tmpfs -o mode=0755,size=8m,nosuid,nodev "lan-$name" "$d"
        done
        if [ "$(stat -L -c %d:%i /var/run)" != "$(stat -L -c %d:%i /run)" ]; then
            for d in dbus avahi-daemon; do
                mkdir -p "/var/run/$d"
                mount --bind "/run/$d" "/var/run/$d"
            done
        fi
        if [ -d /etc/avahi/services ]; then
            mount --bind "$dir/avahi-services" /etc/avahi/services
        fi
        echo $$ >"$dir/holder.pid.new"
        exec sleep infinity
    '
    for (( i = 1; i <= n; i++ )); do
        ns=$PREFIX-h$i
        (
            close_inherited_fds
            exec setsid env --default-signal ip netns exec "$ns" unshare --mount --uts --propagation private -- \
                /bin/sh -c "$holder_script" lan-holder "$ns" "$LAN_DIR/h$i" </dev/null >"$LAN_DIR/h$i/holder.log" 2>&1
        ) &
    done
    local pid hdir deadline
    for (( i = 1; i <= n; i++ )); do
        hdir=$LAN_DIR/h$i
        deadline=$((SECONDS + 10))
        until [[ -s $hdir/holder.pid.new ]] && pid=$(<"$hdir/holder.pid.new") && [[ $pid =~ ^[0-9]+$ ]] &&
            [[ $(cat "/proc/$pid/comm" 2>/dev/null) == sleep ]]; do
            (( SECONDS < deadline )) || { note "host $PREFIX-h$i did not start; $hdir/holder.log says:"; tail -n 5 "$hdir/holder.log" >&2; exit 1; }
            sleep 0.02
        done
        rm -f "$hdir/holder.pid.new"
        record_pid "$hdir/holder.pid" "$pid" || die "host $PREFIX-h$i died while starting"
    done

    # The hosts' daemons.
    for (( i = 1; i <= n; i++ )); do
        resolve_host "h$i"
        write_avahi_conf
        start_dbus || exit 1
    done
    for (( i = 1; i <= n; i++ )); do
        resolve_host "h$i"
        spawn_avahi || exit 1
    done
    for (( i = 1; i <= n; i++ )); do
        resolve_host "h$i"
        await_avahi || exit 1
    done

    UP_DONE=1
    local families addrs="$SUBNET.1…$SUBNET.$n/24" what="family ${FAMILY[1]}"
    families=$(IFS=,; echo "${FAMILY[*]}")
    for (( i = 2; i <= n; i++ )); do [[ ${FAMILY[i]} == "${FAMILY[1]}" ]] || what="families $families"; done
    if [[ $families != *v6* && $families != *dual* ]]; then :
    elif [[ $families != *v4* && $families != *dual* ]]; then addrs="$what (IPv6 link-local only)"
    else addrs="$what (IPv4 $SUBNET.X/24, IPv6 link-local)"
    fi
    echo "LAN '$PREFIX' is up: $n host(s) ${PREFIX}-h1…${PREFIX}-h$n, $addrs, bridge $BRIDGE in netns $SW_NS, state $LAN_DIR ($((SECONDS - started))s)"
}
