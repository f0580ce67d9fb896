import ArgumentParser
import Foundation

@main
struct LanChatBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lanchat-bench",
        abstract: "Measures lanchat (delivery latency, throughput, catch-up, cost, footprint) and Serf side by side.")

    @Flag(help: "The same scenarios, made smaller (under 2 minutes).") var quick = false
    @Option(help: "Directory with release builds of lanchatd and lanchat.") var binaries = ".build/release"
    @Option(help: "Markdown report to write.") var output = "docs/BENCHMARKS.md"
    @Option(help: "Scenarios to run (comma separated): \(LanChatBench.scenarioNames.joined(separator: ", ")).")
    var only = LanChatBench.scenarioNames.joined(separator: ",")
    @Option(help: "Network sizes for the latency runs (comma separated).") var latencyNodes = "10,30"
    @Option(help: "Messages per latency run (default 200, or 50 with --quick).") var messages: Int?
    @Option(help: """
        Network sizes for the failure-detection runs (comma separated), each with its nodes' peer-table capacity \
        after a slash where it is not the daemon's 1,024 (default 100,1000,10000/100, or 100 with --quick).
        """)
    var detectionNodes: String?
    @Option(help: "Network sizes for the partial-view runs, each node's table a tenth of it (comma separated; default 1000, or 300 with --quick).")
    var partialViewNodes: String?
    @Option(help: "Seeds of the failure-detection office days (comma separated): each size runs once per seed.")
    var detectionSeeds = "\(FailureDetectionScenario.defaultSeed)"
    @Option(help: """
        Wall-clock seconds each failure-detection run may take (default 3,600, or 300 with --quick; the 1,000-node run \
        takes about 400, 10,000 nodes with tables of 100 about 2,100).
        """)
    var detectionBudget: Int?
    @Flag(help: "Also print every figure as one JSON object per line: scenario, figure, value, unit, limit.") var json = false

    /// Checked before anything runs: a typo must not cost the scenarios that come before the one it is for.
    func validate() throws {
        _ = try scenarios()
        _ = try Self.list(latencyNodes, option: "latency-nodes", least: 2)
        _ = try detectionSizes()
        _ = try partialViewSizes()
        _ = try seeds()
        // Relative to where the bench runs: from elsewhere, every node would fail to start and each
        // scenario would wait out its timeout.
        for binary in ["lanchatd", "lanchat"] where !FileManager.default.isExecutableFile(atPath: "\(binaries)/\(binary)") {
            throw ValidationError("--binaries: no \(binary) in \(binaries) (run from the repository after `make release`, or name the directory)")
        }
    }

    static let scenarioNames = ["latency", "ipv6", "throughput", "ingest", "catchup", "instructions", "footprint", "simulation", "partialview", "crossover", "keycost", "cli"]

    /// The scenarios `--only` names: at least one, each one there is.
    private func scenarios() throws -> Set<String> {
        let named = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let unknown = named.filter { !Self.scenarioNames.contains($0) }
        let there = "there are \(Self.scenarioNames.joined(separator: ", "))"
        guard !named.isEmpty else { throw ValidationError("--only: name at least one scenario (\(there))") }
        guard unknown.isEmpty else { throw ValidationError("--only: no scenario named '\(unknown.joined(separator: "', '"))' (\(there))") }
        return Set(named)
    }

    private func seeds() throws -> [UInt64] {
        try Self.list(detectionSeeds, option: "detection-seeds", least: 0)
    }

    /// An office day needs room for its late joiners, crashes and restarts: 10 nodes at the least.
    private func partialViewSizes() throws -> [Int] {
        try partialViewNodes.map { try Self.list($0, option: "partial-view-nodes", least: 40) } ?? (quick ? [300] : [1_000])
    }

    private func detectionSizes() throws -> [FailureDetectionScenario.Size] {
        guard let detectionNodes else { return quick ? [.init(nodes: 100)] : [.init(nodes: 100), .init(nodes: 1_000), .init(nodes: 10_000, table: 100)] }
        return try detectionNodes.split(separator: ",", omittingEmptySubsequences: false).map { entry in
            let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let numbers = try parts.map { try Self.list(String($0), option: "detection-nodes", least: 10)[0] }
            guard numbers.count == 2 else { return .init(nodes: numbers[0]) }
            let most = FailureDetectionScenario.Size(nodes: numbers[0]).table
            guard numbers[1] <= most else { throw ValidationError("--detection-nodes: '\(entry)': a peer table holds at most \(most) peers") }
            return .init(nodes: numbers[0], table: numbers[1])
        }
    }

    /// A comma-separated list of whole numbers of at least `least`, or one error that names the option and the entry.
    private static func list<Number: FixedWidthInteger>(_ text: String, option: String, least: Number) throws -> [Number] {
        let values = try text.split(separator: ",", omittingEmptySubsequences: false).map { entry in
            guard let value = Number(entry.trimmingCharacters(in: .whitespaces)), value >= least else {
                throw ValidationError("--\(option): '\(entry)' is not a whole number of \(least) or more")
            }
            return value
        }
        guard !values.isEmpty else { throw ValidationError("--\(option): give at least one number") }
        return values
    }

    /// On the main thread, as a synchronous command would be: the scenarios block while they wait
    /// for processes, which must not tie up Swift's cooperative threads.
    @MainActor func run() async throws {
        let scenarios = try scenarios()
        var report = Report(quick: quick, command: CommandLine.arguments.joined(separator: " "))
        if scenarios.contains("latency") {
            let serfMissing = SerfBench.unavailableReason()
            if let serfMissing { print(serfMissing) }
            report.serfMissing = serfMissing
            for nodes in try Self.list(latencyNodes, option: "latency-nodes", least: 2) {
                let messages = self.messages ?? (quick ? 50 : 200)
                print("latency: lanchat, \(nodes) nodes, \(messages) messages…")
                report.latency.append(try LatencyScenario.run(binaries: binaries, nodes: nodes, messages: messages, interval: 0.1))
                guard serfMissing == nil else { continue }
                print("latency: serf, \(nodes) agents, \(messages) events…")
                report.serf[nodes] = try SerfBench.latency(
                    nodes: nodes, events: messages, interval: 0.1, workDirectory: "/tmp/lanchat-bench-serf")
            }
            try report.plotLatency(to: (output as NSString).deletingLastPathComponent + "/latency-cdf.png")
        }
        if scenarios.contains("ipv6") {
            report.family = try FamilyScenario.run(binaries: binaries, nodes: 10, messages: self.messages ?? (quick ? 50 : 200), rounds: 3)
        }
        if scenarios.contains("throughput") {
            report.throughput = try ThroughputScenario.run(
                binaries: binaries, nodes: 10, rates: quick ? [1000, 5000] : [1000, 2000, 5000, 10000],
                senders: [5000], duration: quick ? 3 : 10)
        }
        if scenarios.contains("ingest") {
            report.ingest = try await IngestScenario.run(
                binaries: binaries, peers: 9, rates: quick ? [10_000] : [10_000, 20_000], seconds: quick ? 5 : 20)
        }
        if scenarios.contains("catchup") {
            report.catchUp = try await CatchUpScenario.run(binaries: binaries, authors: 50, total: quick ? 20_000 : 100_000)
        }
        if scenarios.contains("instructions") {
            if let tools = InstructionScenario.tools() {
                print("instructions: deliveries under callgrind…")
                report.instructions = try InstructionScenario.run(binaries: binaries, tools: tools, deliveries: quick ? 200 : 500)
            } else {
                report.instructionsMissing = InstructionScenario.unavailable
            }
        }
        if scenarios.contains("footprint") {
            report.footprint = try await FootprintScenario.run(
                binaries: binaries, largeEntries: quick ? 50_000 : 1_000_000, idleNodes: 10, idleSeconds: quick ? 5 : 60)
        }
        if scenarios.contains("keycost") {
            report.keyCost = try KeyCostScenario.run(
                binaries: binaries, nodes: 10, messages: quick ? 50 : 100, rate: 1000, duration: quick ? 3 : 5, rounds: quick ? 1 : 2)
        }
        if scenarios.contains("simulation") {
            print("simulation: dissemination by network size…")
            report.dissemination = try SimulationScenario.run(sizes: quick ? [2, 10, 30] : [2, 10, 30, 100, 200], losses: [0, 0.05])
            print("simulation: failure detection by network size…")
            report.failureDetection = try FailureDetectionScenario.run(sizes: try detectionSizes(), seeds: try seeds(), budget: .seconds(detectionBudget ?? (quick ? 300 : 3_600)))
        }
        if scenarios.contains("partialview") {
            print("partialview: a network ten times larger than the peer table, simulated…")
            report.partialView = try PartialViewScenario.run(sizes: try partialViewSizes(), losses: [0, 0.05])
        }
        if scenarios.contains("crossover") {
            print("crossover: push to each peer or down the relay tree…")
            report.crossover = try CrossoverScenario.run(sizes: [10, 30, 100, 256, 500, 1_000, 3_000, 10_000])
        }
        if scenarios.contains("cli") {
            report.cliStart = try CLIStartScenario.run(binaries: binaries, runs: quick ? 50 : 300)
        }
        try report.write(to: output)
        print("wrote \(output)")
        if json { try report.figureLines().forEach { print($0) } }
    }
}
