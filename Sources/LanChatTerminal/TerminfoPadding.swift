/// Padding in terminfo strings: `$<5>`, `$<2*>` or `$<1.5/>` ask `tputs` for a delay and are no
/// text. A signal handler cannot call `tputs` and writes the bytes as they are, so the padding is
/// taken out when the bytes are prepared.
enum TerminfoPadding {
    static func removed(from capability: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < capability.count {
            if let end = paddingEnd(in: capability, from: index) {
                index = end
            } else {
                result.append(capability[index])
                index += 1
            }
        }
        return result
    }

    /// Where a padding spec that starts at `start` ends, if one does.
    private static func paddingEnd(in capability: [UInt8], from start: Int) -> Int? {
        guard capability[start...].starts(with: "$<".utf8) else { return nil }
        let body = start + 2
        let close = capability[body...].firstIndex { !"0123456789.*/".utf8.contains($0) } ?? capability.count
        guard close > body, close < capability.count, capability[close] == UInt8(ascii: ">") else { return nil }
        return close + 1
    }
}
