// `platforms:` in Package.swift cannot say "Linux only", so the build says it here.
#if !os(Linux)
#error("lanchat runs on Linux only: it needs Avahi's DNS-SD compatibility library, Linux sockets and systemd")
#endif
