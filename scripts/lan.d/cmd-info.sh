# shellcheck shell=bash
# scripts/lan info HOST: key=value lines about HOST.

cmd_info() {
    (( $# == 1 )) || misuse "usage: info HOST"
    resolve_host "$1"
    cat <<EOF
name=$HOST_NAME
ip=$HOST_IP
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
