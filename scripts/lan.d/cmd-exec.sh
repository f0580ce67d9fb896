# shellcheck shell=bash
# scripts/lan exec HOST CMD…: runs CMD inside HOST; its exit code is passed on.

cmd_exec() {
    (( $# >= 2 )) || misuse "usage: exec HOST CMD…"
    resolve_host "$1"
    shift
    host_argv
    exec "${HOST_ARGV[@]}" "$@"
}
