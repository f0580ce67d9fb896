/// Delivery latency over IPv6 loopback beside IPv4's: the same run of 10 nodes, the families taking
/// turns so that whatever else the machine does falls on both alike.
struct FamilyResult {
    let nodes: Int
    let messages: Int
    /// Each round's samples, per family.
    let ipv4: [[Double]]
    let ipv6: [[Double]]
}

enum FamilyScenario {
    static func run(binaries: String, nodes: Int, messages: Int, rounds: Int) throws -> FamilyResult {
        var samples: [String: [[Double]]] = [:]
        for round in 1...rounds {
            for loopback in ["127.0.0.1", "::1"] {
                print("ipv6: \(nodes) nodes on \(loopback), round \(round) of \(rounds)…")
                samples[loopback, default: []].append(
                    try LatencyScenario.run(binaries: binaries, nodes: nodes, messages: messages, interval: 0.1, loopback: loopback).samples)
            }
        }
        return FamilyResult(nodes: nodes, messages: messages, ipv4: samples["127.0.0.1"] ?? [], ipv6: samples["::1"] ?? [])
    }
}
