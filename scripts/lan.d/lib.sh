# shellcheck shell=bash
# scripts/lan.d/lib.sh — what the commands of scripts/lan share: messages, state and naming, process
# records and waits, host lookup, running and spawning inside a host, the hosts' dbus-daemon and
# avahi-daemon, teardown, the up/down lock and the port and netem summaries. Sourced by scripts/lan.
# shellcheck disable=SC2016  # the single-quoted sh -c scripts expand in the inner shell, on purpose

die() { echo "$PROG: $*" >&2; exit 1; }
misuse() { echo "$PROG: $*  (see: scripts/lan help)" >&2; exit 2; }
note() { echo "$PROG: $*" >&2; }

# ---------------------------------------------------------------- state and naming

if [[ -n ${LAN_STATE_ROOT:-} ]]; then
    STATE_ROOT=$LAN_STATE_ROOT
elif [[ -d /run && -w /run ]]; then
    STATE_ROOT=/run/lanchat-lan
else
    STATE_ROOT=/tmp/lanchat-lan
fi

PREFIX=${LAN_PREFIX:-lc}
PREFIX_SET=0
[[ -n ${LAN_PREFIX:-} ]] && PREFIX_SET=1

set_prefix() {
    local p=$1
    [[ $p =~ ^[a-z][a-z0-9]{0,9}$ ]] || misuse "bad prefix '$p' (1-10 lower-case letters and digits, starting with a letter)"
    if (( PREFIX_SET )) && [[ $p != "$PREFIX" ]]; then
        misuse "prefix given twice: '$PREFIX' and '$p'"
    fi
    PREFIX=$p
    PREFIX_SET=1
}

# prefix_opt ARGS…: if $1 is --prefix NAME or --prefix=NAME, sets the prefix and PREFIX_SHIFT (how
# many arguments that took); returns 1 for any other argument.
prefix_opt() {
    case $1 in
        --prefix) (( $# >= 2 )) || misuse "--prefix needs a NAME"; set_prefix "$2"; PREFIX_SHIFT=2 ;;
        --prefix=*) set_prefix "${1#--prefix=}"; PREFIX_SHIFT=1 ;;
        *) return 1 ;;
    esac
}

# prefix_opts_only ARGS…: for commands whose only arguments are --prefix options.
prefix_opts_only() {
    while (( $# )); do
        prefix_opt "$@" || misuse "unexpected argument '$1'"
        shift "$PREFIX_SHIFT"
    done
}

lan_vars() {
    LAN_DIR=$STATE_ROOT/$PREFIX
    SW_NS=$PREFIX-switch
    # shellcheck disable=SC2034  # read by cmd-up.sh and cmd-status.sh
    BRIDGE=${PREFIX}br0
}

# lan_namespaces: the names of LAN $PREFIX's network namespaces that exist, one a line.
lan_namespaces() {
    ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${PREFIX}-(h[0-9]+|switch)\$" || true
}

# lan_exists: 0 if LAN $PREFIX has a state dir or any namespace (left over or up).
lan_exists() { [[ -d $LAN_DIR || -n $(lan_namespaces) ]]; }

# ---------------------------------------------------------------- processes

# proc_start PID: prints the start time (clock ticks since boot) of a live, non-zombie process.
proc_start() {
    local stat rest
    read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
    rest=${stat##*) }
    # shellcheck disable=SC2086
    set -- $rest
    [[ $1 != Z && $1 != X ]] || return 1
    echo "${20}"
}

alive() { proc_start "$1" >/dev/null; }

# record_pid FILE PID: FILE holds the PID, FILE minus .pid plus .start its start time.
record_pid() {
    local file=$1 pid=$2 start
    start=$(proc_start "$pid") || return 1
    echo "$pid" >"$file.tmp" && mv -f "$file.tmp" "$file"
    echo "$start" >"${file%.pid}.start"
}

# pid_ours FILE: prints the recorded PID if that process still runs (same start time).
pid_ours() {
    local file=$1 pid start
    [[ -s $file && -s ${file%.pid}.start ]] || return 1
    pid=$(<"$file")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    start=$(proc_start "$pid") || return 1
    [[ $start == "$(<"${file%.pid}.start")" ]] || return 1
    echo "$pid"
}

# wait_until SECONDS PID CMD…: waits until CMD succeeds; gives up when PID dies or on timeout.
wait_until() {
    local deadline=$((SECONDS + $1)) pid=$2
    shift 2
    until "$@"; do
        if ! alive "$pid" || (( SECONDS >= deadline )); then
            "$@"
            return
        fi
        sleep 0.05
    done
}

# wait_gone SECONDS PID…: waits until none of the PIDs runs; returns 1 on timeout.
wait_gone() {
    local deadline=$((SECONDS + $1)) pid any
    shift
    while :; do
        any=0
        for pid in "$@"; do alive "$pid" && { any=1; break; }; done
        (( any )) || return 0
        (( SECONDS < deadline )) || return 1
        sleep 0.05
    done
}

# close_inherited_fds: in a subshell about to exec a long-lived process: closes every descriptor but
# 0-2 (our lock, and pipes of whoever called us, which would otherwise stay open for the LAN's life).
close_inherited_fds() {
    local fd n
    for fd in "/proc/$BASHPID/fd/"*; do
        n=${fd##*/}
        (( n > 2 )) && eval "exec $n>&-" 2>/dev/null
    done
    return 0
}

netns_exists() { [[ -e /run/netns/$1 ]]; }

netns_inode() { stat -L -c %i "/run/netns/$1" 2>/dev/null; }

pid_netns_inode() { stat -L -c %i "/proc/$1/ns/net" 2>/dev/null; }

# ---------------------------------------------------------------- address families

# A host's family: v4 (IPv4 only, IPv6 disabled), v6 (IPv6 link-local only, no IPv4 on eth0) or dual.
family_has_v4() { [[ $1 == v4 || $1 == dual ]]; }
family_has_v6() { [[ $1 == v6 || $1 == dual ]]; }

# host_family DIR: the family recorded in a host's state dir (v4 for a LAN made before families).
host_family() {
    local f=v4
    [[ -s $1/family ]] && f=$(<"$1/family")
    echo "$f"
}

# host_mac I: eth0's MAC address of host I, aa:c1:ab:00:HH:LL (locally administered, unicast), so
# its IPv6 link-local address is fe80::a8c1:abff:fe00:I (I in hex).
host_mac() { printf 'aa:c1:ab:00:%02x:%02x' $(($1 >> 8)) $(($1 & 255)); }

# link_local NETNS: prints eth0's IPv6 link-local address in NETNS (no prefix length, no %scope), if any.
link_local() {
    ip -n "$1" -6 -o addr show dev eth0 scope link 2>/dev/null | awk '{ sub(/\/.*/, "", $4); print $4; exit }'
}

# ---------------------------------------------------------------- host lookup

# resolve_host ARG: sets HOST_I, HOST_NAME (= netns name = hostname), HDIR, HOLDER, HOST_FAMILY and
# HOST_IP (the IPv4 address; empty for a v6 host).
resolve_host() {
    local arg=${1:-} i
    [[ -n $arg ]] || misuse "missing HOST (h2, 2 or ${PREFIX}-h2)"
    case $arg in
        *-h*) set_prefix "${arg%-h*}"; i=${arg##*-h} ;;
        h*) i=${arg#h} ;;
        *) i=$arg ;;
    esac
    [[ $i =~ ^[1-9][0-9]*$ ]] || misuse "bad HOST '$arg' (use h2, 2 or ${PREFIX}-h2)"
    lan_vars
    [[ -f $LAN_DIR/lan.env ]] || die "no LAN '$PREFIX' is up (start one with: scripts/lan up N --prefix $PREFIX)"
    local N
    N=$(sed -n 's/^N=//p' "$LAN_DIR/lan.env")
    (( i <= N )) || die "LAN '$PREFIX' has no host h$i (it has h1…h$N)"
    HOST_I=$i
    HOST_NAME=$PREFIX-h$i
    HDIR=$LAN_DIR/h$i
    HOST_FAMILY=$(host_family "$HDIR")
    local ip=""
    family_has_v4 "$HOST_FAMILY" && ip=$SUBNET.$i
    # shellcheck disable=SC2034  # read by cmd-info.sh
    HOST_IP=$ip
    HOLDER=$(pid_ours "$HDIR/holder.pid") || die "host $HOST_NAME is gone (its holder process died); recreate the LAN: scripts/lan up N --prefix $PREFIX"
    [[ $(pid_netns_inode "$HOLDER") == "$(netns_inode "$HOST_NAME")" ]] ||
        die "host $HOST_NAME is broken (holder $HOLDER is not in netns $HOST_NAME); recreate the LAN: scripts/lan up N --prefix $PREFIX"
}

# host_flag_given USAGE FLAG ARGS…: checks that ARGS are HOST [FLAG]; returns 0 if FLAG is given.
host_flag_given() {
    local usage=$1 flag=$2
    shift 2
    (( $# >= 1 && $# <= 2 )) || misuse "usage: $usage"
    (( $# == 2 )) || return 1
    [[ $2 == "$flag" ]] || misuse "unknown option '$2'"
}

# host_argv: sets HOST_ARGV to the command line that runs what follows it in the current host's
# namespaces, in the caller's directory if it exists there.
host_argv() {
    HOST_ARGV=(nsenter --target "$HOLDER" --net --mount --uts -- /bin/sh -c 'cd "$0" 2>/dev/null || cd /; exec "$@"' "$PWD")
}

# host_run CMD…: runs CMD in the current host (as a child; the exec and lanchat commands exec it).
host_run() {
    host_argv
    "${HOST_ARGV[@]}" "$@"
}

# host_spawn NAME CMD…: starts CMD in the background inside the current host, detached (own session,
# default signal dispositions), stdout/stderr appended to HDIR/NAME.log. Records HDIR/NAME.pid (the
# command's own PID) and, when it ends, its exit status in HDIR/NAME.exit. Prints the PID.
host_spawn() {
    local name=$1 pid wrapper
    shift
    rm -f "$HDIR/$name.pid" "$HDIR/$name.start" "$HDIR/$name.wrapper" "$HDIR/$name.pid.new"
    # The outer sh waits for the command (a foreground child, so it keeps default signal handling)
    # and then writes "<its own PID> <exit status>" to NAME.exit; the inner sh writes "<its PID>
    # <outer PID>" and execs the command.
    (
        close_inherited_fds
        exec setsid env --default-signal nsenter --target "$HOLDER" --net --mount --uts -- \
        /bin/sh -c '
            dir=$1 name=$2; shift 2
            /bin/sh -c '\''echo "$$ $PPID" >"$0/$1.pid.new" && shift && exec "$@"'\'' "$dir" "$name" "$@"
            st=$?
            echo "$$ $st" >"$dir/$name.exit"
        ' lan-"$name" "$HDIR" "$name" "$@" </dev/null >>"$HDIR/$name.log" 2>&1
    ) &
    local launcher=$! f=$HDIR/$name.pid.new
    local deadline=$((SECONDS + 10))
    while [[ ! -s $f ]]; do
        if ! alive "$launcher" || (( SECONDS >= deadline )); then
            [[ -s $f ]] && break
            return 1
        fi
        sleep 0.02
    done
    read -r pid wrapper <"$f"
    rm -f "$f"
    echo "$wrapper" >"$HDIR/$name.wrapper"
    # The inner sh wrote its PID and then exec'd the command: same process, same start time.
    record_pid "$HDIR/$name.pid" "$pid" || return 1
    echo "$pid"
}

# exit_status NAME [SECONDS]: prints the exit status of the last NAME started by host_spawn, once known.
exit_status() {
    local name=$1 deadline=$((SECONDS + ${2:-0})) wpid st
    while :; do
        if [[ -s $HDIR/$name.exit && -s $HDIR/$name.wrapper ]]; then
            read -r wpid st <"$HDIR/$name.exit" || true
            if [[ $wpid == "$(<"$HDIR/$name.wrapper")" && -n $st ]]; then
                echo "$st"
                return 0
            fi
        fi
        (( SECONDS < deadline )) || return 1
        sleep 0.05
    done
}

# ---------------------------------------------------------------- host daemons

start_dbus() {
    local pid
    if pid=$(pid_ours "$HDIR/dbus.pid"); then return 0; fi
    pid=$(host_spawn dbus dbus-daemon --system --nofork --nopidfile --nosyslog) || {
        note "$HOST_NAME: dbus-daemon did not start; $HDIR/dbus.log says:"; tail -n 5 "$HDIR/dbus.log" >&2; return 1; }
    # Ready when the bus socket exists in the host's /run/dbus (seen through the holder's root).
    if ! wait_until 10 "$pid" test -S "/proc/$HOLDER/root/run/dbus/system_bus_socket"; then
        note "$HOST_NAME: dbus-daemon did not come up; $HDIR/dbus.log says:"; tail -n 5 "$HDIR/dbus.log" >&2
        return 1
    fi
}

write_avahi_conf() {
    local v4=no v6=no
    family_has_v4 "$HOST_FAMILY" && v4=yes
    family_has_v6 "$HOST_FAMILY" && v6=yes
    cat >"$HDIR/avahi-daemon.conf" <<EOF
# avahi-daemon of virtual host $HOST_NAME, family $HOST_FAMILY (written by scripts/lan)
[server]
host-name=$HOST_NAME
use-ipv4=$v4
use-ipv6=$v6
allow-interfaces=eth0
enable-dbus=yes
disallow-other-stacks=no
ratelimit-interval-usec=1000000
ratelimit-burst=1000

[wide-area]
enable-wide-area=no

[publish]
publish-workstation=no
publish-hinfo=no

[reflector]
enable-reflector=no
EOF
}

# spawn_avahi: starts the host's avahi-daemon (and its bus if needed); await_avahi waits until it
# has probed its host name and announced it ("Server startup complete" in this run's log).
spawn_avahi() {
    local pid
    if pid=$(pid_ours "$HDIR/avahi.pid"); then return 0; fi
    start_dbus || return 1
    [[ -f $HDIR/avahi-daemon.conf ]] || write_avahi_conf
    local -a debug=()
    [[ ${LAN_AVAHI_DEBUG:-0} == 1 ]] && debug=(--debug)
    echo "=== $(date '+%F %T') avahi-daemon starting" >>"$HDIR/avahi.log"
    echo $(( $(stat -c %s "$HDIR/avahi.log") + 1 )) >"$HDIR/avahi.logfrom"
    # Foreground (not --daemonize): it then logs to avahi.log instead of a syslog that is not there,
    # and the recorded PID is the daemon's. It still writes /run/avahi-daemon/pid for --check.
    host_spawn avahi avahi-daemon --no-chroot --no-drop-root "${debug[@]}" --file="$HDIR/avahi-daemon.conf" >/dev/null || {
        note "$HOST_NAME: avahi-daemon did not start; $HDIR/avahi.log says:"; tail -n 5 "$HDIR/avahi.log" >&2; return 1; }
}

await_avahi() {
    local pid deadline log_from
    pid=$(pid_ours "$HDIR/avahi.pid") || {
        note "$HOST_NAME: avahi-daemon exited at once; $HDIR/avahi.log says:"; tail -n 8 "$HDIR/avahi.log" >&2; return 1; }
    log_from=$(cat "$HDIR/avahi.logfrom" 2>/dev/null || echo 1)
    deadline=$((SECONDS + 15))
    until [[ -S /proc/$HOLDER/root/run/avahi-daemon/socket ]] && tail -c "+$log_from" "$HDIR/avahi.log" | grep -q "Server startup complete"; do
        if ! alive "$pid" || (( SECONDS >= deadline )); then
            note "$HOST_NAME: avahi-daemon did not come up; $HDIR/avahi.log says:"; tail -n 8 "$HDIR/avahi.log" >&2
            return 1
        fi
        sleep 0.05
    done
}

start_avahi() { spawn_avahi && await_avahi; }

# stop_recorded NAME SIGNAL SECONDS: signals the recorded process and waits for it; 0 if it is gone.
stop_recorded() {
    local name=$1 sig=$2 secs=$3 pid
    pid=$(pid_ours "$HDIR/$name.pid") || return 0
    kill "-$sig" "$pid" 2>/dev/null || true
    wait_gone "$secs" "$pid"
}


# ---------------------------------------------------------------- teardown and lock (up, down)

# teardown: stops every process of LAN $PREFIX and deletes its namespaces and state. Returns 1 if
# something could not be removed.
teardown() {
    lan_vars
    local -a nss=() pids=() hdirs=()
    local ns pid hd name
    mapfile -t nss < <(lan_namespaces)
    [[ -d $LAN_DIR ]] && hdirs=("$LAN_DIR"/h*/)
    if (( ${#nss[@]} == 0 )) && [[ ! -d $LAN_DIR ]]; then
        return 0
    fi
    # 1. Daemons first, gently, so they can say goodbye (lanchatd, then Avahi, then the bus).
    for name in lanchatd avahi dbus; do
        pids=()
        for hd in "${hdirs[@]}"; do
            pid=$(pid_ours "$hd$name.pid") && pids+=("$pid")
        done
        (( ${#pids[@]} )) || continue
        kill -TERM "${pids[@]}" 2>/dev/null || true
        wait_gone 5 "${pids[@]}" || true
    done
    # 2. Everything else: holders, wrappers, anything that was run inside the hosts.
    local round sig
    for round in 1 2 3; do
        pids=()
        for hd in "${hdirs[@]}"; do
            for name in "$hd"*.pid; do
                pid=$(pid_ours "$name") && pids+=("$pid")
            done
        done
        for ns in "${nss[@]}"; do
            netns_exists "$ns" || continue
            while read -r pid; do
                [[ $pid =~ ^[0-9]+$ && $pid != "$$" ]] && pids+=("$pid")
            done < <(ip netns pids "$ns" 2>/dev/null || true)
        done
        (( ${#pids[@]} )) || break
        sig=TERM
        (( round > 1 )) && sig=KILL
        kill "-$sig" "${pids[@]}" 2>/dev/null || true
        wait_gone 3 "${pids[@]}" && continue
    done
    # 3. Namespaces (the bridge and the veth pairs go with them; no mounts exist outside the hosts).
    for ns in "${nss[@]}"; do
        ip netns delete "$ns" 2>/dev/null || true
    done
    rm -rf "$LAN_DIR"
    # 4. Check.
    local left
    left=$(lan_namespaces)
    if [[ -n $left ]]; then
        note "could not delete namespaces: $(echo "$left" | tr '\n' ' ')"
        return 1
    fi
    if (( ${#pids[@]} )) && ! wait_gone 0 "${pids[@]}"; then
        note "processes survived SIGKILL: ${pids[*]}"
        return 1
    fi
    return 0
}

lock_lan() {
    mkdir -p "$STATE_ROOT"
    exec 9>"$STATE_ROOT/.$PREFIX.lock"
    flock -w 60 9 || die "LAN '$PREFIX' is locked by another scripts/lan up/down"
}

# ---------------------------------------------------------------- link and emulation state (status, netem, reconnect)

port_state() { # port_state I: up | cut | blackholed | missing
    local i=$1 link flags state
    link=$(ip -n "$SW_NS" -o link show dev "h$i" 2>/dev/null) || { echo missing; return; }
    flags=${link#*<}
    flags=,${flags%%>*},
    state=$(bridge -n "$SW_NS" link show dev "h$i" 2>/dev/null | sed -n 's/.* state \([a-z]*\) .*/\1/p')
    if [[ $flags != *,UP,* ]]; then echo cut
    elif [[ $state == disabled ]]; then echo blackholed
    else echo up; fi
}

nft_loss_show() { # prints "loss P% (nftables on switch port hX)" or nothing
    command -v nft >/dev/null || return 0
    ip netns exec "$SW_NS" nft list chain bridge lan_netem "h$HOST_I" 2>/dev/null |
        sed -n 's/.*comment "\(loss [0-9.]*%\)".*/\1 (nftables on switch port h'"$HOST_I"')/p'
}

netem_desc() { # one-line summary of HOST's emulation, or -
    local d
    d=$(nsenter --target "$HOLDER" --net -- tc qdisc show dev eth0 2>/dev/null |
        sed -n 's/^qdisc netem [0-9a-f]*: root refcnt [0-9]* limit [0-9]* *//p' | head -1)
    [[ -n $d ]] || d=$(nft_loss_show)
    echo "${d:--}"
}
