import Crypto

/// The one-time code of `lanchat link`: the first 10 characters of the inviting device's ID (50 bits:
/// too many to grind a key that shares them), so the other device finds it among the authors it knows,
/// and four random characters, e.g. `k3j4m2xq7p-7qxm`. The code never goes
/// on the wire: the joining device signs a link entry naming the inviter, and both screens show a
/// confirmation number derived from the code and both IDs, which the person types on the inviting
/// device. Someone who does not know the code, or another device, gets another number.
public struct LinkCode: Hashable, Sendable, CustomStringConvertible {
    static let prefixCharacters = 10
    static let randomCharacters = 4
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")

    /// The start of the inviter's ID.
    public let inviterPrefix: String
    let secret: String

    public static func generate(for inviter: AuthorID) -> LinkCode {
        // 32 symbols: the low five bits of a random byte pick one without bias.
        let secret = String(SecureRandom.bytes(randomCharacters).map { alphabet[Int($0 & 31)] })
        return LinkCode(inviterPrefix: String(inviter.text.prefix(prefixCharacters)), secret: secret)
    }

    init(inviterPrefix: String, secret: String) {
        self.inviterPrefix = inviterPrefix
        self.secret = secret
    }

    /// As typed: case and surrounding spaces do not matter; the dash may be left out.
    public init?(text: String) {
        let compact = text.lowercased().filter { !$0.isWhitespace && $0 != "-" }
        guard compact.count == Self.prefixCharacters + Self.randomCharacters, compact.allSatisfy(Self.alphabet.contains) else { return nil }
        inviterPrefix = String(compact.prefix(Self.prefixCharacters))
        secret = String(compact.suffix(Self.randomCharacters))
    }

    public var description: String { "\(inviterPrefix)-\(secret)" }

    /// Six digits both devices show, e.g. `482 193`: SHA-256(`lanchat link v1` || code || inviter ||
    /// joiner), its first four bytes big-endian, modulo 10^6.
    public func confirmation(inviter: AuthorID, joiner: AuthorID) -> String {
        let digest = Array(SHA256.hash(data: Array("lanchat link v1".utf8) + Array(description.utf8) + inviter.bytes + joiner.bytes))
        let number = digest.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) } % 1_000_000
        let digits = String(number)
        let padded = String(repeating: "0", count: 6 - digits.count) + digits
        return "\(padded.prefix(3)) \(padded.suffix(3))"
    }
}
