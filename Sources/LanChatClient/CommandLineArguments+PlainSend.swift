extension CommandLineArguments {
    /// `lanchat send WORD…` with no option but a leading `--socket`: what people and scripts type most, and
    /// what the latency a person sees is measured with. `lanchat` runs it without ArgumentParser, whose
    /// reflection of the command's properties and its check for a completion-script request took half of
    /// such a send's CPU (3.3 of 6.5 ms, `perf stat`). Any other form is nil, for ArgumentParser to read:
    /// a word that starts with `-` may be an option to it, so one anywhere leaves the whole line to it.
    public static func plainSend(_ arguments: [String]) -> (socket: String?, words: [String])? {
        var rest = arguments[...]
        var socket: String?
        if rest.first == "--socket", rest.count >= 2 {
            socket = rest.dropFirst().first
            rest = rest.dropFirst(2)
        } else if let first = rest.first, first.hasPrefix("--socket=") {
            socket = String(first.dropFirst("--socket=".count))
            rest = rest.dropFirst()
        }
        guard rest.first == "send", rest.count >= 2, socket.map({ !$0.hasPrefix("-") }) ?? true else { return nil }
        let words = Array(rest.dropFirst())
        guard !words.contains(where: { $0.hasPrefix("-") }) else { return nil }
        return (socket, words)
    }
}
