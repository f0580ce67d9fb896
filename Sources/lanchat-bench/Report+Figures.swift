import Foundation

/// One measured figure, as `lanchat-bench --json` prints it: for scripts that compare runs, with the
/// machine's own limit beside it where the run measured one.
struct BenchFigure: Encodable {
    let scenario: String
    let figure: String
    let value: Double
    let unit: String
    /// What this machine allows for the figure, measured in the same run; nil where none was.
    let limit: Double?

    private enum CodingKeys: String, CodingKey {
        case scenario, figure, value, unit, limit
    }

    /// `limit` is written as null when there is none, so every line has the same keys.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(figure, forKey: .figure)
        try container.encode(value, forKey: .value)
        try container.encode(unit, forKey: .unit)
        try container.encode(limit, forKey: .limit)
    }

    init(_ scenario: String, _ figure: String, _ value: Double, _ unit: String, limit: Double? = nil) {
        self.scenario = scenario
        self.figure = figure
        self.value = value
        self.unit = unit
        self.limit = limit
    }
}

extension Report {
    /// Every figure of the Markdown report, one value each (the report's tables, row by row).
    var figures: [BenchFigure] {
        var figures: [BenchFigure] = []
        for result in latency {
            let d = result.distribution
            let nodes = "\(result.nodes) nodes"
            figures += [
                BenchFigure("latency", "p50 to all, \(nodes)", d.p50, "ms"), BenchFigure("latency", "p99 to all, \(nodes)", d.p99, "ms"),
                BenchFigure("latency", "p99 to all from starting lanchat send, \(nodes)", Distribution(result.cliSamples).p99, "ms"),
                BenchFigure("latency", "push datagrams per delivery, \(nodes)", result.pushesPerDelivery, "datagrams"),
                BenchFigure("latency", "bytes per delivery, \(nodes)", result.bytesPerDelivery, "bytes"),
                BenchFigure("latency", "receiver CPU per isolated delivery, \(nodes)", result.receiverMicrosPerDelivery, "µs", limit: result.verifyMicros),
                BenchFigure("latency", "receiver thread switches per delivery, \(nodes)", result.receiverSwitchesPerDelivery, "switches"),
                BenchFigure("latency", "sender CPU per message, \(nodes)", result.senderMicrosPerMessage, "µs"),
            ]
            if let serf = serf[result.nodes] {
                figures.append(BenchFigure("latency", "Serf p99 to all, \(result.nodes) agents", Distribution(serf.samples).p99, "ms"))
            }
        }
        for run in throughput {
            figures += [
                BenchFigure("throughput", "delivered to all, \(run.label)", run.deliveredRate, "messages/s", limit: run.deliveryLimit),
                BenchFigure("throughput", "lost, \(run.label)", Double(run.lost), "messages"),
                BenchFigure("throughput", "CPU per node, \(run.label)", run.cpuPerNode, "%"),
                BenchFigure("throughput", "receiver CPU per delivery, \(run.label)", run.receiverMicrosPerDelivery, "µs", limit: run.verifyMicros),
                BenchFigure("throughput", "sender CPU per message, \(run.label)", run.senderMicrosPerMessage, "µs"),
                BenchFigure("throughput", "benchmark's own CPU, \(run.label)", run.benchCPUPercent, "%"),
                BenchFigure("throughput", "push datagrams per message and peer, \(run.label)", run.pushesPerMessage, "datagrams"),
                BenchFigure("throughput", "sender's status p99, \(run.label)", run.senderStatus.latency.p99, "ms"),
                BenchFigure("throughput", "sender's peak RSS, \(run.label)", run.senderStatus.peakRSS, "MB"),
            ]
        }
        for run in ingest {
            let load = "\(run.peers) peers, \(Int(run.offered))/s offered"
            figures += [
                BenchFigure("ingest", "committed per second, \(load)", run.deliveredRate, "entries/s", limit: run.verificationsPerSecond),
                BenchFigure("ingest", "lost, \(load)", Double(run.lost), "entries"),
                BenchFigure("ingest", "p99 push to commit, \(load)", run.latency.p99, "ms"),
                BenchFigure("ingest", "daemon CPU per entry, \(load)", run.daemonMicrosPerEntry, "µs", limit: run.verificationMicros),
                BenchFigure("ingest", "status p99, \(load)", run.status.latency.p99, "ms"),
                BenchFigure("ingest", "peak RSS, \(load)", run.status.peakRSS, "MB"),
            ]
        }
        if let catchUp {
            figures += [
                BenchFigure("catchup", "entries per second", catchUp.entriesPerSecond, "entries/s", limit: catchUp.storeInsertsPerSecond),
                BenchFigure("catchup", "newcomer CPU per entry", catchUp.newcomerMicrosPerEntry, "µs"),
            ]
        }
        if let footprint {
            figures += [
                BenchFigure("footprint", "idle RSS", footprint.idleRSS, "MB"),
                BenchFigure("footprint", "idle private (anonymous)", footprint.idleAnonymous, "MB"),
                BenchFigure("footprint", "RSS after a send, a receive, status and history", footprint.usedRSS, "MB"),
                BenchFigure("footprint", "ready with \(footprint.largeEntries) entries", footprint.readySeconds, "s"),
                BenchFigure("footprint", "idle CPU per daemon", footprint.idleCPUPercent, "%"),
            ]
        }
        for run in dissemination {
            let name = "\(run.nodes) nodes, \(Int(run.loss * 100)) % loss"
            figures.append(BenchFigure("simulation", "push datagrams per delivery, \(name)", run.report.pushDatagramsPerDelivery, "datagrams"))
        }
        for run in partialView {
            let name = "\(run.nodes) nodes, tables of \(run.table), \(Int(run.loss * 100)) % loss"
            figures.append(BenchFigure("simulation", "deliveries by push, \(name)", run.report.pushFraction * 100, "%"))
            figures.append(BenchFigure("simulation", "deliveries by pull, \(name)", run.report.pullFraction * 100, "%"))
            if let hops = run.report.membership.lastDeliveryHops {
                figures.append(BenchFigure("simulation", "hops of the last delivery (max), \(name)", Double(hops.max), "hops"))
            }
        }
        for run in failureDetection {
            let r = run.report, name = "\(run.nodes) nodes, tables of \(run.table), seed \(run.seed)"
            // What a run did not reach (a crash never known everywhere, no convergence) is left out: JSON has no infinity.
            let measured: [(String, Double?, String)] = [
                ("rounds to detect a failure everywhere", r.roundsToDetectFailure.flatMap { $0.isFinite ? $0 : nil }, "periods"),
                ("rounds to converge", r.roundsToConverge, "periods"),
                ("idle datagrams per node per second", r.membership.idleDatagramsPerNodePerSecond, "datagrams/s"),
                ("author datagrams per message", r.authorDatagramsPerMessage, "datagrams"),
                ("hops of the last delivery (max)", r.membership.lastDeliveryHops.map { Double($0.max) }, "hops"),
            ]
            figures += measured.compactMap { figure, value, unit in value.map { BenchFigure("simulation", "\(figure), \(name)", $0, unit) } }
        }
        if let instructions {
            figures += [
                BenchFigure("instructions", "instructions per delivery", instructions.perDelivery, "instructions"),
                BenchFigure("instructions", "of which the signature check", instructions.signatureCheck, "instructions"),
            ]
        }
        if let crossover {
            figures += [
                BenchFigure("simulation", "cost of one push datagram to its sender", crossover.sendMicros, "µs"),
                BenchFigure("simulation", "cost of one signature check", crossover.verifyMicros, "µs"),
            ]
            for (latency, nodes) in zip(CrossoverResult.hopLatencies, crossover.crossover) {
                if let nodes { figures.append(BenchFigure("simulation", "relay tree faster from, at \(latency) ms a hop", Double(nodes), "nodes")) }
            }
        }
        if let keyCost {
            for (side, name) in [(keyCost.open, "open"), (keyCost.closed, "closed")] where !side.latency.isEmpty {
                figures.append(BenchFigure("keycost", "p50 latency, \(name) network", Distribution(side.latency).p50, "ms"))
            }
        }
        if let family {
            let (ipv4, ipv6) = (Distribution(family.ipv4.flatMap { $0 }), Distribution(family.ipv6.flatMap { $0 }))
            figures += [
                BenchFigure("ipv6", "p50 to all over IPv6 loopback, \(family.nodes)", ipv6.p50, "ms", limit: ipv4.p50),
                BenchFigure("ipv6", "p99 to all over IPv6 loopback, \(family.nodes)", ipv6.p99, "ms", limit: ipv4.p99),
            ]
        }
        if let cliStart {
            let limit = cliStart.limit.map(Distribution.init)
            let status = Distribution(cliStart.status)
            figures += [
                BenchFigure("cli", "lanchat status p50", status.p50, "ms", limit: limit?.p50),
                BenchFigure("cli", "lanchat status p99", status.p99, "ms", limit: limit?.p99),
                BenchFigure("cli", "lanchat send p50, a lone daemon", Distribution(cliStart.send).p50, "ms"),
                BenchFigure("cli", "lanchat --version p50", Distribution(cliStart.version).p50, "ms"),
                BenchFigure("cli", "lanchat binary size", cliStart.binaryMegabytes, "MB"),
            ]
        }
        return figures
    }

    /// The figures as JSON lines.
    func figureLines() throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try figures.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
    }
}
