import Foundation
import LanChatControl
import LanChatCore
import LanChatStore

/// What closing the network with a key costs: the latency and throughput runs with and without a key,
/// alternated in one run so the machine's mood weighs on both alike, and sealing plus opening one
/// datagram in this process.
struct KeyCostResult {
    struct Side {
        var latency: [Double] = []
        var delivered: [Double] = []
        var p99: [Double] = []
        var cpuPerNode: [Double] = []
    }

    var open = Side()
    var closed = Side()
    /// Microseconds to seal and open one datagram of that many bytes (subkeys derived once per session).
    var sealMicros: [(bytes: Int, micros: Double)] = []
    let rounds: Int
    let rate: Int
}

enum KeyCostScenario {
    static func run(binaries: String, nodes: Int, messages: Int, rate: Int, duration: Double, rounds: Int) throws -> KeyCostResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lanchat-bench-key-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let keyFile = "\(directory)/network.key"
        guard FileManager.default.createFile(
            atPath: keyFile, contents: Data((NetworkKeyText.generate() + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw BenchError("cannot write \(keyFile)") }

        var result = KeyCostResult(rounds: rounds, rate: rate)
        for round in 1...rounds {
            for closed in [false, true] {
                let arguments = closed ? ["--network-key-file", keyFile] : []
                print("key cost, round \(round) of \(rounds), \(closed ? "with" : "without") a key…")
                let latency = try LatencyScenario.run(
                    binaries: binaries, nodes: nodes, messages: messages, interval: 0.1, nodeArguments: arguments)
                let load = try ThroughputScenario.run(
                    binaries: binaries, nodes: nodes, rates: [rate], senders: [], duration: duration, nodeArguments: arguments)[0]
                var side = closed ? result.closed : result.open
                side.latency += latency.samples
                side.delivered.append(load.deliveredRate)
                side.p99.append(load.p99)
                side.cpuPerNode.append(load.cpuPerNode)
                if closed { result.closed = side } else { result.open = side }
            }
        }
        result.sealMicros = try [120, 600, 1200].map { ($0, try sealAndOpen(bytes: $0)) }
        return result
    }

    /// One sender's datagrams opened by one receiver, as the daemons do it; the median of five timings.
    private static func sealAndOpen(bytes: Int) throws -> Double {
        let ring = NetworkKeyRing([NetworkKey(text: NetworkKeyText.generate())!])!
        let plain = [UInt8](repeating: 0x4C, count: bytes - DatagramSealer.overhead)
        let count = 20_000
        var timings: [Double] = []
        for _ in 0..<5 {
            var sealer = DatagramSealer(ring: ring, network: "lanchat")
            var opener = DatagramOpener(ring: ring, network: "lanchat")
            let start = nowNanos()
            for _ in 0..<count {
                let now = WallClock.nowMillis()
                guard case .opened = opener.open(sealer.seal(plain, at: now), at: now) else { throw BenchError("a sealed datagram did not open") }
            }
            timings.append(Double(nowNanos() - start) / 1e3 / Double(count))
        }
        return timings.sorted()[2]
    }
}
