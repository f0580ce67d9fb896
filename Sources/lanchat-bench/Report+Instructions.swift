extension Report {
    func instructionSection() -> [String] {
        var lines = ["## Instructions per delivery", ""]
        guard let i = instructions else { return lines + [instructionsMissing ?? "Not measured.", ""] }
        let rest = i.perDelivery - i.signatureCheck
        lines += ["A receiving node's work for one pushed message, counted by callgrind (`lanchat-bench --only instructions`):",
                  "`lanchat-cost` delivers \(i.deliveries) and \(2 * i.deliveries) pushed datagrams of one author one by one (decode, the",
                  "replicator's judgement, the signature check, one SQLite transaction each, on every thread), and the",
                  "difference is divided by \(i.deliveries); a third pair of runs only decodes and checks the signatures. A run's",
                  "total moves by less than 0.1 % from run to run (the figures below by a few thousand), so a change that",
                  "makes delivery dearer shows here first.", ""]
        lines += table(
            ["measure", "instructions"],
            [["one delivery", format(i.perDelivery / 1000, 0) + " k"],
             ["of which the signature check", format(i.signatureCheck / 1000, 0) + " k (\(format(100 * i.signatureCheck / i.perDelivery, 0)) %)"],
             ["of which the rest: decoding, the replicator, the store's transaction, task hops", format(rest / 1000, 0) + " k"]])
        return lines
    }
}
