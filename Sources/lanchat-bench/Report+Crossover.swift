extension Report {
    func crossoverSection(_ c: CrossoverResult) -> [String] {
        let latencies = CrossoverResult.hopLatencies.map { "\(format($0, 1)) ms" }
        let crossover = zip(latencies, c.crossover).map { latency, nodes in
            "\(nodes.map { "from \($0) nodes" } ?? "past every size here") at \(latency) a hop"
        }
        return ["## Push to each peer, or down the relay tree", "",
                "Until the last peer has a new message: sent to each peer one after another (the author's burst, then one hop),",
                "or down the relay tree (each hop: the network's latency, the relaying node's signature check, its \(c.fanout) sends).",
                "Measured in this run: one \(c.datagramBytes)-byte push costs its sender \(format(c.sendMicros, 2)) µs (bursts through a UDP",
                "socket on loopback), one signature check \(format(c.verifyMicros, 1)) µs; the depth is the real `RelayTree`'s over",
                "random positions. The latency per hop is the network's, which one machine cannot measure: 0.1 ms for a",
                "switched wire, 1 ms for Wi-Fi.", ""]
            + table(
                ["nodes", "tree depth"] + latencies.flatMap { ["each, \($0) a hop", "tree, \($0) a hop"] } + ["burst to each, KB"],
                c.rows.map { row in
                    ["\(row.nodes)", "\(row.depth)"] + zip(row.direct, row.tree).flatMap { [format($0, 2), format($1, 2)] }
                        + ["\(row.burstBytes / 1024)"]
                })
            + ["The tree is faster \(crossover.joined(separator: ", and ")). A burst to each peer must also fit the socket's",
               "send buffer, or a network interface slower than the sender loses its tail, which only anti-entropy then repairs:",
               "the kernel granted \(c.sendBufferBytes / 1024) KB here for the daemon's request of 4 MB (it grants twice what",
               "`net.core.wmem_max` allows, 416 KB on a stock kernel, less than a burst to 1,000 peers). lanchatd pushes to each",
               "peer up to 256 peers of proven ID, and down the tree past them (`--direct-push-peers`).", ""]
    }
}
