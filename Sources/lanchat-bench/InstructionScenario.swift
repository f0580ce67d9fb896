import Foundation

/// Instructions a receiving node spends per delivered message, counted by callgrind (stable from run to
/// run, where time on this shared machine is not): `lanchat-cost` delivers pushed datagrams one by one
/// (decode, the replicator's judgement, the signature check, one SQLite transaction each), twice with
/// different counts, so that the difference is deliveries alone; a third run only checks signatures.
struct InstructionResult {
    let perDelivery: Double
    let signatureCheck: Double
    let deliveries: Int
}

enum InstructionScenario {
    /// valgrind, and strip (valgrind 3.19 cannot read the toolchain's debug information; the symbols are
    /// enough), where both are installed.
    static func tools() -> (valgrind: String, strip: String)? {
        guard let valgrind = which("valgrind"), let strip = which("strip") else { return nil }
        return (valgrind, strip)
    }

    static let unavailable = "valgrind or strip is not installed: no instruction counts"

    static func run(binaries: String, tools: (valgrind: String, strip: String), deliveries: Int) throws -> InstructionResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lanchat-bench-instructions-\(getpid())").path
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let harness = "\(directory)/lanchat-cost"
        try FileManager.default.copyItem(atPath: "\(binaries)/lanchat-cost", toPath: harness)
        _ = try lanchat_bench.run(tools.strip, ["--strip-debug", harness])
        let datagrams = { (count: Int) in "\(directory)/\(count).datagrams" }
        for count in [deliveries, 2 * deliveries] {
            _ = try lanchat_bench.run(harness, ["prepare", String(count), datagrams(count)])
        }
        func instructions(_ arguments: [String]) throws -> Double {
            let output = "\(directory)/callgrind.out"
            _ = try lanchat_bench.run(tools.valgrind, ["--tool=callgrind", "--callgrind-out-file=\(output)", harness] + arguments, timeout: 900)
            let text = try String(contentsOfFile: output, encoding: .utf8)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("totals:") }), let total = Double(line.dropFirst(7).trimmingCharacters(in: .whitespaces))
            else { throw BenchError("no totals in callgrind's output") }
            return total
        }
        /// The run over twice the datagrams less the run over them, per datagram: what starting costs cancels out.
        func perDatagram(_ arguments: (Int) -> [String]) throws -> Double {
            (try instructions(arguments(2 * deliveries)) - instructions(arguments(deliveries))) / Double(deliveries)
        }
        return InstructionResult(
            perDelivery: try perDatagram { ["deliver", datagrams($0), "\(directory)/store-\($0)"] },
            signatureCheck: try perDatagram { ["check", datagrams($0)] }, deliveries: deliveries)
    }
}
