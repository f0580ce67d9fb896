/// How a name reads, to tell look-alikes apart: `Аlice` (Cyrillic А), `A1ice`, `ALICE` and `Alice`
/// all read the same.
public struct NameLook: Sendable {
    /// The name's skeletons as written and in lower case, since people take `ALICE` for `Alice`. Both:
    /// lower case alone would lose the capital I that passes for an l (`AIice`).
    public let skeletons: Set<String>
    /// Whether some word of it mixes scripts (`MixedScript`).
    public let mixesScripts: Bool

    public init(_ name: String) {
        skeletons = [Skeleton.of(name), Skeleton.of(name.lowercased())]
        mixesScripts = MixedScript.inSomeWord(of: name)
    }

    public func resembles(_ other: NameLook) -> Bool { !skeletons.isDisjoint(with: other.skeletons) }

    /// Whether it starts with what reads as `prefix`.
    public func starts(like prefix: NameLook) -> Bool {
        skeletons.contains { skeleton in prefix.skeletons.contains { skeleton.unicodeScalars.starts(with: $0.unicodeScalars) } }
    }
}
