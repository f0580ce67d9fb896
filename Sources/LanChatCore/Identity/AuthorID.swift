import Crypto
import Foundation

/// A user's ID: their Ed25519 public key. Public, passed around freely.
public struct AuthorID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let byteCount = 32
    /// Characters of the base32 form shown to people; 30 bits tell apart any office's worth of users.
    public static let shortLength = 6

    private let value: Bytes32

    public var bytes: [UInt8] { value.array }

    public init(bytes: [UInt8]) throws(DecodeError) {
        guard let value = Bytes32(bytes) else {
            throw .invalid(field: "author", reason: "must be \(Self.byteCount) bytes")
        }
        self.value = value
    }

    /// Parses the text form (52 base32 characters).
    public init?(text: String) {
        guard text.count == 52, let bytes = Base32.decode(text), let id = try? AuthorID(bytes: bytes) else {
            return nil
        }
        self = id
    }

    public var text: String { Base32.encode(bytes) }
    public var short: String { String(text.prefix(Self.shortLength)) }
    public var description: String { short }

    public static func < (lhs: AuthorID, rhs: AuthorID) -> Bool { lhs.value < rhs.value }

    func isValidSignature<Message: DataProtocol>(_ signature: [UInt8], for message: Message) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}
