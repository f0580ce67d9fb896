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
    /// Nil, with why, where valgrind or strip is missing.
    static func unavailableReason() -> String? {
        which("valgrind") == nil ? "valgrind is not installed: no instruction counts" : which("strip") == nil ? "strip is not installed: no instruction counts" : nil
    }

    static func run(binaries: String, deliveries: Int) throws -> InstructionResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lanchat-bench-instructions-\(getpid())").path
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // valgrind 3.19 cannot read the toolchain's debug information; the symbols are enough.
        let harness = "\(directory)/lanchat-cost"
        try FileManager.default.copyItem(atPath: "\(binaries)/lanchat-cost", toPath: harness)
        _ = try lanchat_bench.run(which("strip")!, ["--strip-debug", harness])
        for count in [deliveries, 2 * deliveries] {
            _ = try lanchat_bench.run(harness, ["prepare", String(count), "\(directory)/\(count).datagrams"])
        }
        func instructions(_ arguments: [String]) throws -> Double {
            let output = "\(directory)/callgrind.out"
            _ = try lanchat_bench.run(which("valgrind")!, ["--tool=callgrind", "--callgrind-out-file=\(output)", harness] + arguments, timeout: 900)
            let text = try String(contentsOfFile: output, encoding: .utf8)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("totals:") }), let total = Double(line.dropFirst(7).trimmingCharacters(in: .whitespaces))
            else { throw BenchError("no totals in callgrind's output") }
            return total
        }
        func store(_ count: Int) -> [String] {
            let path = "\(directory)/store-\(count)"
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return ["deliver", "\(directory)/\(count).datagrams", path]
        }
        let n = Double(deliveries)
        let delivery = (try instructions(store(2 * deliveries)) - instructions(store(deliveries))) / n
        let check = (try instructions(["check", "\(directory)/\(2 * deliveries).datagrams"])
            - instructions(["check", "\(directory)/\(deliveries).datagrams"])) / n
        return InstructionResult(perDelivery: delivery, signatureCheck: check, deliveries: deliveries)
    }
}
