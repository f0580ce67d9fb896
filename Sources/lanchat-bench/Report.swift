import Foundation

/// Collects scenario results and writes docs/BENCHMARKS.md.
struct Report {
    let quick: Bool
    let command: String
    var latency: [LatencyResult] = []
    var family: FamilyResult?
    var serf: [Int: SerfLatency] = [:]
    var serfMissing: String?
    var plotted: String?
    var throughput: [ThroughputResult] = []
    var ingest: [IngestResult] = []
    var catchUp: CatchUpResult?
    var footprint: FootprintResult?
    var dissemination: [DisseminationResult] = []
    var failureDetection: [FailureDetectionResult] = []
    var partialView: [PartialViewResult] = []
    var keyCost: KeyCostResult?
    var cliStart: CLIStartResult?
    var crossover: CrossoverResult?
    var instructions: InstructionResult?
    var instructionsMissing: String?

    /// Rewrites the sections this run measured in `path`, keeping every other line (`GeneratedBlocks`).
    func write(to path: String) throws {
        let existing = try? String(contentsOfFile: path, encoding: .utf8)
        try GeneratedBlocks.merge(blocks(), into: existing).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The sections this run measured, in the document's order.
    func blocks() -> [GeneratedBlocks.Block] {
        var blocks = [GeneratedBlocks.Block(id: "header", lines: [
            "# lanchat benchmarks", "",
            "Last written by `\(command)` (\(quick ? "quick" : "full") run) on \(machine()); each section says how its",
            "figures were measured, and a run rewrites only the tables of the scenarios it ran.", "",
        ])]
        let sections: [(String, [String]?)] = [
            ("latency", latency.isEmpty ? nil : latencySection()), ("cost", latency.isEmpty ? nil : costSection()),
            ("ipv6", family.map(familySection)), ("throughput", throughput.isEmpty ? nil : throughputSection()),
            ("ingest", ingest.isEmpty ? nil : ingestSection()), ("catchup", catchUp.map(catchUpSection)),
            ("instructions", instructions == nil && instructionsMissing == nil ? nil : instructionSection()),
            ("footprint", footprint.map(footprintSection)), ("dissemination", dissemination.isEmpty ? nil : disseminationSection()),
            ("failure-detection", failureDetection.isEmpty ? nil : failureDetectionSection()),
            ("partial-view", partialView.isEmpty ? nil : partialViewSection()), ("crossover", crossover.map(crossoverSection)),
            ("keycost", keyCost.map(keyCostSection)), ("cli", cliStart.map(cliStartSection)),
        ]
        for case let (id, lines?) in sections { blocks.append(GeneratedBlocks.Block(id: id, lines: lines)) }
        return blocks
    }

    /// A Markdown table: header, rule, rows, and a blank line.
    func table(_ header: [String], _ rows: [[String]]) -> [String] {
        let line = { (cells: [String]) in "| " + cells.joined(separator: " | ") + " |" }
        return [line(header), line(header.map { _ in "---" })] + rows.map(line) + [""]
    }

    private func latencySection() -> [String] {
        var lines = ["## Delivery latency to all nodes", "",
                     "One message every 100 ms from one node. lanchat: until the last other node had it committed (its `follow`",
                     "stream reports an entry only after the commit), from the send call on a connection the benchmark holds open, or,",
                     "for every other message, from starting `lanchat send` (what a person waits for). Serf: from launching",
                     "`serf event -coalesce=false` until the last agent's event handler stamped it (LAN profile, all agents on loopback).", ""]
        lines += table(
            ["nodes", "lanchat p50 ms", "p99 ms", "max ms", "`lanchat send` p50 ms", "p99 ms", "Serf p50 ms", "p99 ms", "max ms",
             "Serf/`lanchat send` at p50", "at p99"],
            latency.map { result in
                let d = result.distribution, c = Distribution(result.cliSamples)
                let ours = ["\(result.nodes)", format(d.p50, 2), format(d.p99, 2), format(d.max, 2), format(c.p50, 2), format(c.p99, 2)]
                guard let serf = serf[result.nodes] else { return ours + Array(repeating: "–", count: 5) }
                let s = Distribution(serf.samples)
                return ours + [format(s.p50, 1), format(s.p99, 1), format(s.max, 1), "\(format(s.p50 / c.p50, 0))×", "\(format(s.p99 / c.p99, 0))×"]
            })
        if let serfMissing { lines += ["Serf rows skipped: \(serfMissing).", ""] }
        for (nodes, serf) in serf.sorted(by: { $0.key < $1.key }) {
            lines += ["Serf, \(nodes) agents: \(serf.delivered) of \(serf.sent * nodes) handler runs; the handler itself takes \(format(Distribution(serf.handlerStartupMs).p50, 1)) ms (p50) to start and stamp, included above.", ""]
        }
        if let plotted { lines += ["![latency CDF](\(plotted))", ""] }
        return lines
    }

    private func costSection() -> [String] {
        ["## Cost per message", "",
         "Datagrams and bytes sent by the whole network per delivered message during the latency run (pings included in \"all\").",
         "CPU time and thread switches (times one of its threads went to sleep or was put off the CPU) of the daemons, above",
         "what the same daemons used in the \(format(LatencyScenario.idleWindow, 0)) s before the messages, while the network was idle: of the",
         "receivers per delivery, of the sender per message. The limit is one signature check, timed in the same run.", ""]
            + table(
                ["nodes", "push datagrams / delivery", "all datagrams / delivery", "bytes / delivery", "receiver CPU µs / delivery",
                 "receiver thread switches / delivery", "sender CPU µs / message", "limit: one signature check µs"],
                latency.map {
                    ["\($0.nodes)", format($0.pushesPerDelivery, 2), format($0.datagramsPerDelivery, 2), format($0.bytesPerDelivery, 0),
                     format($0.receiverMicrosPerDelivery, 0), format($0.receiverSwitchesPerDelivery, 1), format($0.senderMicrosPerMessage, 0),
                     format($0.verifyMicros, 0)]
                })
    }

    private func throughputSection() -> [String] {
        ["## Throughput (10 nodes)", "",
         "Senders paced at the offered rate for the window, then up to 60 s to converge. \"delivered /s\" is messages held by",
         "every node divided by the time from the first send until all nodes held them (counted in the stores). The limit",
         "beside it is what one signature check per delivery allows: the cores over nine checks, a check timed in the same run.",
         "CPU per delivery is of the nodes that did not send, per message each received; the benchmark's own CPU (its senders",
         "and its ten follow streams' readers) shares the same cores.", ""]
            + table(
                ["load", "offered /s", "sent /s", "delivered /s", "limit /s", "lost after convergence", "p99 ms", "CPU per node %",
                 "receiver CPU µs / delivery", "limit: one check µs", "sender CPU µs / message", "benchmark's CPU %",
                 "push datagrams per message and peer", "sender's status p99 / max ms", "sender's peak RSS MB"],
                throughput.map { r in
                    [r.label, format(r.offered, 0), format(r.sentRate, 0), format(r.deliveredRate, 0), format(r.deliveryLimit, 0), "\(r.lost)",
                     format(r.p99, 1), format(r.cpuPerNode, 0), format(r.receiverMicrosPerDelivery, 0), format(r.verifyMicros, 0),
                     format(r.senderMicrosPerMessage, 0), format(r.benchCPUPercent, 0),
                     format(r.pushesPerMessage, 2), r.senderStatus.cell, format(r.senderStatus.peakRSS, 1)]
                })
    }

    private func keyCostSection(_ k: KeyCostResult) -> [String] {
        func median(_ values: [Double]) -> Double { Distribution(values).p50 }
        func row(_ name: String, _ side: KeyCostResult.Side) -> [String] {
            let d = Distribution(side.latency)
            return [name, format(d.p50, 2), format(d.p99, 2), format(median(side.delivered), 0), format(median(side.p99), 1), format(median(side.cpuPerNode), 0)]
        }
        return ["## Cost of the network key", "",
                "10 nodes on loopback, \(k.rounds) round(s), each running the latency scenario (one message every 100 ms) and one sender at",
                "\(k.rate)/s, first on an open network, then with every daemon given one `--network-key-file`. Throughput columns are the",
                "median over the rounds.", ""]
            + table(
                ["network", "latency p50 ms", "latency p99 ms", "delivered /s at \(k.rate)/s", "load p99 ms", "CPU per node %"],
                [row("open", k.open), row("closed (key)", k.closed)])
            + ["Sealing and opening one datagram in one process (ChaCha20-Poly1305 under a session subkey, the replay window",
               "included; no key derivation per datagram):", ""]
            + table(["datagram bytes", "µs to seal and open"], k.sealMicros.map { ["\($0.bytes)", format($0.micros, 2)] })
    }

    private func cliStartSection(_ c: CLIStartResult) -> [String] {
        func row(_ name: String, _ samples: [Double]) -> [String] {
            let d = Distribution(samples)
            return [name, format(d.p50, 2), format(d.p99, 2)]
        }
        var rows = [
            row("`lanchat status` (daemon running)", c.status), row("`lanchat send start-up run` (the same daemon, alone: a durable commit, no delivery)", c.send),
            row("`lanchat --version` (start-up and argument parsing alone)", c.version),
        ]
        if let limit = c.limit { rows.append(row("limit: the same status request from C (scripts/status-request.c, cc -O2)", limit)) }
        return ["## CLI start-up", "",
                "From spawning the command until it was reaped, \(c.status.count) runs each, the commands taking turns; output to",
                "/dev/null. The C program connects to the same daemon's control socket, sends `{\"cmd\":\"status\"}` and prints",
                "the answer: what any client must wait for (process start, the socket round trip, the daemon's answer).", ""]
            + table(["command", "p50 ms", "p99 ms"], rows)
            + (c.limitMissing.map { ["No limit measured: \($0).", ""] } ?? [])
            + ["`lanchat` is \(format(c.binaryMegabytes, 1)) MB and loads \(c.sharedLibraries.count) shared libraries: \(c.sharedLibraries.joined(separator: ", ")).",
               ""]
    }

    private func catchUpSection(_ c: CatchUpResult) -> [String] {
        ["## Catch-up", "",
         "A new node joins one that holds \(c.entries) messages from \(c.authors) authors; time from its start until it holds them all.", ""]
            + table(
                ["entries", "seconds", "entries/s", "bytes on the wire per entry", "CPU µs per entry: newcomer / seed", "limit: store inserts/s (same run)"],
                [[
                    "\(c.entries)", format(c.seconds, 2), format(c.entriesPerSecond, 0), format(c.bytesPerEntry, 0),
                    "\(format(c.newcomerMicrosPerEntry, 1)) / \(format(c.seedMicrosPerEntry, 1))", format(c.storeInsertsPerSecond, 0),
                ]])
            + ["A sync batch is authenticated by one signature per hash chain (the last entry of each author's run) and",
               "the hash links below it, so Ed25519 (one core verifies \(format(c.verificationsPerCore, 0)) signatures/s here) no longer",
               "bounds catch-up: the store does. The receiver stores one batch (one transaction) while it reads and verifies",
               "the next; the sender reads its next entries while the last are written. The limit column is the same entries",
               "inserted straight into a fresh store, in the batches a sync uses, in this run; the CPU column is each",
               "process's CPU time (all threads) over the catch-up, per entry. Target: ≥ 50,000 entries/s.", ""]
    }

    private func footprintSection(_ f: FootprintResult) -> [String] {
        ["## Footprint", ""]
            + table(
                ["measure", "value"],
                [["RSS of an idle daemon (its own, anonymous memory)", "\(format(f.idleRSS, 1)) MB (\(format(f.idleAnonymous, 1)) MB)"],
                 ["RSS of that daemon once it sent a message, took one in and answered `status` and `history`", "\(format(f.usedRSS, 1)) MB (\(format(f.usedAnonymous, 1)) MB)"],
                 ["RSS with \(f.largeEntries) entries (its own)", "\(format(f.largeRSS, 1)) MB (\(format(f.largeAnonymous, 1)) MB)"],
                 ["start-up to ready with \(f.largeEntries) entries", "\(format(f.readySeconds, 3)) s"],
                 ["CPU of an idle network of \(f.idleNodes), per daemon, over \(format(f.idleSeconds, 0)) s", "\(format(f.idleCPUPercent, 2)) %"]])
    }

    private func disseminationSection() -> [String] {
        ["## Dissemination by network size (simulator)", "",
         "The replication state machine itself, in the deterministic simulator (virtual time, 1–5 ms links): every",
         "node knows every other, 100 messages from random nodes. A push goes straight from the author to each",
         "live peer, so a delivery by push is one hop; what loss drops is asked for once a probe names it (by pull,",
         "the lazy push), or else repaired by anti-entropy sync.", ""]
            + table(
                ["nodes", "loss", "push datagrams / delivery", "redundancy", "delivered by push", "by pull", "last delivery median / max ms",
                 "converged after last message"],
                dissemination.map { d in
                    let r = d.report
                    return ["\(d.nodes)", "\(format(d.loss * 100, 0)) %", format(r.pushDatagramsPerDelivery, 3), format(r.redundancy, 3),
                            "\(format(r.pushFraction * 100, 1)) %", "\(format(r.pullFraction * 100, 1)) %",
                            r.lastDeliveryLatency.map { "\($0.median) / \($0.max)" } ?? "–", r.convergedAt.map { "\($0 - r.settledAt) ms" } ?? "not converged"]
                })
    }

    private func partialViewSection() -> [String] {
        ["## A network larger than the peer table (simulator)", "",
         "Each node's table holds a tenth of the network (as 1,024 peers would of 10,000), so each keeps a partial view:",
         "its ring neighbours, 9 on each side, and the peers it heard of first; peer exchange names each recipient the",
         "peers nearest its place. Nodes join over 10 s, each through one earlier node; past a quarter of the table of",
         "verified peers an author pushes down the relay tree (fanout 8). 100 messages from random nodes from 60 s on.", ""]
            + table(
                ["nodes", "table", "loss", "delivered by push", "by pull", "push datagrams / delivery", "push datagrams by the author / message",
                 "hops of the last delivery, median / max", "last delivery median / max ms", "converged after last message", "run"],
                partialView.map { p in
                    let r = p.report
                    return ["\(p.nodes)", "\(p.table)", "\(format(p.loss * 100, 0)) %", "\(format(r.pushFraction * 100, 1)) %",
                            "\(format(r.pullFraction * 100, 1)) %",
                            format(r.pushDatagramsPerDelivery, 3), format(r.authorDatagramsPerMessage, 1),
                            r.membership.lastDeliveryHops.map { "\($0.median) / \($0.max)" } ?? "–",
                            r.lastDeliveryLatency.map { "\($0.median) / \($0.max)" } ?? "–",
                            r.convergedAt.map { "\($0 - r.settledAt) ms" } ?? "not converged", "\(format(p.seconds, 0)) s"]
                })
    }

    private func failureDetectionSection() -> [String] {
        ["## Failure detection (simulator)", "",
         "The office day at each size (joins through one seed each, 10 % loss, a partition, late joiners, restarts,",
         "200 messages), then 3 nodes crash; idle traffic is counted over 6 quiet seconds starting 4 s after them. Suspicions and refutations ride on pings and acks",
         "(SWIM), so a crash is known everywhere within a number of periods growing with log N. Periods of 200 ms.",
         "Each node's peer table holds the daemon's 1,024 peers, or the number in the table column: a table smaller than",
         "the network is a partial view (ring neighbours and the peers heard of first), and each peer in it is proven by",
         "a handshake, so the table decides what a run costs.", ""]
            + table(
                ["nodes", "table", "seed", "rounds until every node knew of the crashes", "per crash: rounds (its verifiers when it crashed)", "rounds to converge after the last disruption",
                 "idle datagrams / node / s", "push datagrams by the author / message", "hops of the last delivery, median / max", "run"],
                failureDetection.map { f in
                    let r = f.report
                    return ["\(f.nodes)", "\(f.table)", "\(f.seed)", r.roundsToDetectFailure.map { $0.isFinite ? format($0, 1) : "not all" } ?? "–",
                            r.membership.perCrash.joined(separator: "; "),
                            r.roundsToConverge.map { format($0, 1) } ?? "not converged",
                            r.membership.idleDatagramsPerNodePerSecond.map { format($0, 2) } ?? "–", format(r.authorDatagramsPerMessage, 1),
                            r.membership.lastDeliveryHops.map { "\($0.median) / \($0.max)" } ?? "–",
                            "\(format(f.seconds, 0)) s\(r.budgetExceeded ? ", stopped at its budget" : "")"]
                })
    }

    /// Writes each run's samples as CSV and draws their CDFs with scripts/plot-latency (matplotlib).
    mutating func plotLatency(to png: String) throws {
        var files: [String] = []
        var series: [(String, [Double])] = latency.map { ("lanchat, \($0.nodes) nodes", $0.samples) }
        series += serf.sorted { $0.key < $1.key }.map { ("Serf, \($0.key) agents", $0.value.samples) }
        for (index, (label, samples)) in series.enumerated() {
            let path = "/tmp/lanchat-bench-latency-\(index).csv"
            try ([label] + samples.map { String($0) }).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        defer { for file in files { try? FileManager.default.removeItem(atPath: file) } }
        do {
            try run("/usr/bin/env", ["python3", "scripts/plot-latency", png] + files)
            plotted = (png as NSString).lastPathComponent
        } catch {
            print("no latency plot: \(error)")
        }
    }

    private func machine() -> String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / Double(1 << 30)
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        return "\(cores) cores (\(cpu)), \(format(memory, 0)) GiB memory"
    }
}
