# shellcheck shell=bash
# scripts/lan up N [--prefix NAME]: creates the LAN (see scripts/lan for what it is made of).
# shellcheck disable=SC2016  # the holder script expands in the inner shell, on purpose

MAX_HOSTS=250

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

cmd_up() {
    local n=""
    while (( $# )); do
        prefix_opt "$@" && { shift "$PREFIX_SHIFT"; continue; }
        case $1 in
            -*) misuse "unknown option '$1'" ;;
            *) [[ -z $n ]] || misuse "one host count only"; n=$1; shift ;;
        esac
    done
    [[ -n $n ]] || misuse "missing host count N"
    if [[ ! $n =~ ^[1-9][0-9]*$ ]] || (( n > MAX_HOSTS )); then misuse "N must be 1…$MAX_HOSTS, not '$n'"; fi
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
        ns=$PREFIX-h$i
        mkdir -p "$LAN_DIR/h$i/avahi-services" "$LAN_DIR/h$i/lanchat"
        ip netns add "$ns"
        ip -n "$SW_NS" link add "h$i" type veth peer name eth0 netns "$ns"
        ip -n "$SW_NS" link set "h$i" master "$BRIDGE"
        ip -n "$SW_NS" link set "h$i" up
        ip -n "$ns" link set lo up
        ip -n "$ns" addr add "$SUBNET.$i/24" dev eth0
        ip -n "$ns" link set dev eth0 multicast on
        ip -n "$ns" link set dev eth0 up
        ip -n "$ns" route add 224.0.0.0/4 dev eth0
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
    echo "LAN '$PREFIX' is up: $n host(s) ${PREFIX}-h1…${PREFIX}-h$n, $SUBNET.1…$SUBNET.$n/24, bridge $BRIDGE in netns $SW_NS, state $LAN_DIR ($((SECONDS - started))s)"
}
