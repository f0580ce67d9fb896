# shellcheck shell=bash
# scripts/lan down [--prefix NAME]: stops everything of the LAN and deletes it (idempotent).

cmd_down() {
    prefix_opts_only "$@"
    lan_vars
    lock_lan
    local had=0
    lan_exists && had=1
    teardown || die "LAN '$PREFIX' was not removed completely"
    if (( had )); then echo "LAN '$PREFIX' is down"; else echo "LAN '$PREFIX' was not up; nothing to do"; fi
}
