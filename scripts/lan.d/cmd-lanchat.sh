# shellcheck shell=bash
# scripts/lan lanchat HOST ARGS…: runs lanchat with HOST's socket inside HOST.

cmd_lanchat() {
    (( $# >= 1 )) || misuse "usage: lanchat HOST ARGS…"
    resolve_host "$1"
    shift
    local bin=${LANCHAT:-$REPO/.build/debug/lanchat}
    [[ -x $bin ]] || die "lanchat binary not found at $bin (build it: swift build, or set LANCHAT)"
    host_argv
    exec "${HOST_ARGV[@]}" "$bin" --socket "$HDIR/lanchat.sock" "$@"
}
