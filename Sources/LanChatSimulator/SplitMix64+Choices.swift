import LanChatCore

extension SplitMix64 {
    /// Uniform in the range (the modulo bias is negligible for the small ranges a simulation uses).
    mutating func uniform(_ range: ClosedRange<UInt64>) -> UInt64 {
        let width = range.upperBound - range.lowerBound
        return width == .max ? next() : range.lowerBound + next() % (width + 1)
    }

    /// Uniform in `0..<bound`.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "nothing to choose from")
        return Int(next() % UInt64(bound))
    }

    /// True with the given probability.
    mutating func chance(_ probability: Double) -> Bool {
        probability > 0 && Double(next() >> 11) * 0x1p-53 < probability
    }

    /// 32 bytes, e.g. an Ed25519 seed.
    mutating func bytes32() -> [UInt8] {
        (0..<4).flatMap { _ in withUnsafeBytes(of: next().littleEndian, Array.init) }
    }
}
