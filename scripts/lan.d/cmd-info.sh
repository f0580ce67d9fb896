# shellcheck shell=bash
# scripts/lan info HOST: key=value lines about HOST. ip is its IPv4 address (empty on a v6 host), ip6
# the link-local IPv6 address of its eth0 without %scope (empty on a v4 host; use it as ip6%ifname).

cmd_info() {
    (( $# == 1 )) || misuse "usage: info HOST"
    resolve_host "$1"
    local ip6="" ifindex
    family_has_v6 "$HOST_FAMILY" && ip6=$(link_local "$HOST_NAME")
    ifindex=$(ip -n "$HOST_NAME" -o link show dev eth0 2>/dev/null | cut -d: -f1)
    cat <<EOF
name=$HOST_NAME
ip=$HOST_IP
family=$HOST_FAMILY
ip6=$ip6
ifname=eth0
ifindex=$ifindex
netns=$HOST_NAME
holder_pid=$HOLDER
state_dir=$HDIR
lanchat_state_dir=$HDIR/lanchat
socket=$HDIR/lanchat.sock
log=$HDIR/lanchatd.log
lanchatd_pid=$(pid_ours "$HDIR/lanchatd.pid" || true)
avahi_pid=$(pid_ours "$HDIR/avahi.pid" || true)
dbus_pid=$(pid_ours "$HDIR/dbus.pid" || true)
avahi_services_dir=$HDIR/avahi-services
EOF
}
