extension Report {
    func familySection(_ f: FamilyResult) -> [String] {
        let ipv4 = Distribution(f.ipv4.flatMap { $0 })
        func row(_ name: String, _ rounds: [[Double]]) -> [String] {
            let all = Distribution(rounds.flatMap { $0 })
            return [name, format(all.p50, 2), format(all.percentile(90), 2), format(all.p99, 2), format(all.p50 / ipv4.p50, 2),
                    format(all.percentile(90) / ipv4.percentile(90), 2), format(all.p99 / ipv4.p99, 2),
                    rounds.map { format(Distribution($0).p50, 2) }.joined(separator: ", "),
                    rounds.map { format(Distribution($0).p99, 2) }.joined(separator: ", ")]
        }
        return ["## Delivery latency over IPv6", "",
                "The latency run above at \(f.nodes) nodes (\(f.messages) messages, one every 100 ms, from the send call until the",
                "last node committed), on IPv4 loopback (`--bind 127.0.0.1`) and on IPv6 loopback (`--bind ::1`), the two taking",
                "turns, \(f.ipv4.count) rounds each; a family's percentiles are of every sample of its rounds.", ""]
            + table(["family", "p50 ms", "p90 ms", "p99 ms", "p50 / IPv4's", "p90 / IPv4's", "p99 / IPv4's", "p50 by round", "p99 by round"],
                    [row("IPv4", f.ipv4), row("IPv6", f.ipv6)])
    }
}
