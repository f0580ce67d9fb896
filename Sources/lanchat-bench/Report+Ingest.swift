extension Report {
    func ingestSection() -> [String] {
        let first = ingest[0]
        return ["## Ingest into one daemon", "",
                "\(first.peers) simulated peers in the benchmark's process (`BenchPeer`: the real replicator and sync session over",
                "an in-memory store), each at its own loopback address (127.0.0.2, …) so per-address limits apply as on a LAN, push",
                "their own signed logs (signed before the window) to one daemon, paced at the offered rate in all; they answer",
                "its syncs, which repair whatever push dropped. \"committed /s\" is entries held by the daemon divided by the time",
                "from the first push until it held them all; latency is from the peer's publish call to the daemon's `follow`",
                "event (after the commit).", ""]
            + table(
                ["offered /s", "entries", "pushed /s", "committed /s", "lost", "p50 ms", "p99 ms", "by push / shed / by sync", "daemon CPU µs per entry",
                 "status p99 / max ms", "peak RSS MB", "limit: one check per entry /s", "one check µs"],
                ingest.map { r in
                    [format(r.offered, 0), "\(r.entries)", format(r.sentRate, 0), format(r.deliveredRate, 0), "\(r.lost)", format(r.latency.p50, 1),
                     format(r.latency.p99, 1), "\(r.byPush) / \(r.shed) / \(r.bySync)", format(r.daemonMicrosPerEntry, 1),
                     r.status.cell, format(r.status.peakRSS, 1),
                     format(r.verificationsPerSecond, 0), format(r.verificationMicros, 1)]
                })
    }
}
