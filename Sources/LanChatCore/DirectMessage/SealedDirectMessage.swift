@preconcurrency import Crypto
import Foundation

/// A direct message as every node stores and relays it: opaque but for the recipients' key IDs.
/// Sealed for each recipient with X25519 (an ephemeral key against the recipient's), HKDF-SHA256 and
/// ChaCha20-Poly1305; the text is padded to a size bucket first. PROTOCOL.md §2.3 (kind 5) gives the bytes.
public struct SealedDirectMessage: Hashable, Sendable {
    public static let version: UInt8 = 1
    public static let maxRecipients = 16
    /// Plaintext sizes (a u16 length, the text, zero padding): the ciphertext tells one bucket from another, no more.
    static let buckets = [64, 256, 1024, 4096, Limits.maxBodyBytes + 2]
    static let tagBytes = 16

    public struct Recipient: Hashable, Sendable {
        public let keyID: UInt64
        /// The message key, sealed to this recipient.
        let wrappedKey: [UInt8]
    }

    let ephemeral: [UInt8]
    /// SHA-256(`lanchat dm v1 key` || message key): every recipient must unwrap this one key, so the
    /// author cannot give different recipients different texts (ChaCha20-Poly1305 does not commit to
    /// its key).
    let commitment: [UInt8]
    public let recipients: [Recipient]
    let ciphertext: [UInt8]

    /// Fresh randomness for one message: the ephemeral X25519 private key and the message key.
    public struct Randomness: Sendable {
        let ephemeral: [UInt8]
        let messageKey: [UInt8]

        public init(ephemeral: [UInt8], messageKey: [UInt8]) {
            self.ephemeral = ephemeral
            self.messageKey = messageKey
        }

        public static func system() -> Randomness {
            Randomness(ephemeral: SecureRandom.bytes(32), messageKey: SecureRandom.bytes(32))
        }
    }

    /// Seals `body` from `author` for each key (the recipient's, and the author's own so its devices
    /// can read what it sent). Keys are listed once each, in the order given.
    public static func seal(
        _ body: String, from author: AuthorID, to keys: [DirectMessageKey], randomness: Randomness = .system()
    ) throws(DecodeError) -> SealedDirectMessage {
        try EntryContent.validate(body: body)
        var unique: [DirectMessageKey] = []
        for key in keys where !unique.contains(key) { unique.append(key) }
        guard (1...maxRecipients).contains(unique.count) else {
            throw .invalid(field: "recipients", reason: "must be 1 to \(maxRecipients) keys")
        }
        let ephemeral = DirectMessagePrivateKey(rawRepresentation: randomness.ephemeral)
        let messageKey = SymmetricKey(data: randomness.messageKey)
        let commitment = commit(randomness.messageKey)
        let context = authenticated(
            author: author, ephemeral: ephemeral.publicKey.bytes, commitment: commitment, keyIDs: unique.map(\.keyID))
        var recipients: [Recipient] = []
        for key in unique {
            guard let wrapping = wrappingKey(ephemeral.key, key.bytes, ephemeral: ephemeral.publicKey.bytes, recipient: key.bytes) else {
                throw .invalid(field: "recipient key", reason: "is not a usable X25519 key")
            }
            recipients.append(Recipient(keyID: key.keyID, wrappedKey: sealBox(randomness.messageKey, wrapping, context)))
        }
        var plain = ByteWriter()
        plain.u16(UInt16(body.utf8.count))
        plain.raw(body.utf8)
        let size = buckets.first { $0 >= plain.bytes.count } ?? plain.bytes.count
        let padded = plain.bytes + [UInt8](repeating: 0, count: size - plain.bytes.count)
        return SealedDirectMessage(
            ephemeral: ephemeral.publicKey.bytes, commitment: commitment, recipients: recipients,
            ciphertext: sealBox(padded, messageKey, context))
    }

    /// Whether `key` is among the recipients: a look at the list, no cryptography.
    public func isAddressed(to key: DirectMessageKey) -> Bool {
        recipients.contains { $0.keyID == key.keyID }
    }

    /// The text, if `key` is a recipient's and everything authenticates under `author`.
    public func open(with key: DirectMessagePrivateKey, author: AuthorID) -> String? {
        guard let recipient = recipients.first(where: { $0.keyID == key.publicKey.keyID }),
            let wrapping = Self.wrappingKey(key.key, ephemeral, ephemeral: ephemeral, recipient: key.publicKey.bytes)
        else { return nil }
        let context = Self.authenticated(author: author, ephemeral: ephemeral, commitment: commitment, keyIDs: recipients.map(\.keyID))
        guard let messageKey = Self.openBox(recipient.wrappedKey, wrapping, context), messageKey.count == 32,
            Self.commit(messageKey) == commitment,
            let padded = Self.openBox(ciphertext, SymmetricKey(data: messageKey), context), padded.count >= 2
        else { return nil }
        let length = Int(padded[0]) << 8 | Int(padded[1])
        guard length <= padded.count - 2, padded[(2 + length)...].allSatisfy({ $0 == 0 }) else { return nil }
        return String(validating: padded[2..<(2 + length)], as: UTF8.self)
    }

    // MARK: Encoding

    func encode(into writer: inout ByteWriter) {
        writer.u8(Self.version)
        writer.raw(ephemeral)
        writer.raw(commitment)
        writer.u8(UInt8(recipients.count))
        for recipient in recipients {
            writer.u64(recipient.keyID)
            writer.raw(recipient.wrappedKey)
        }
        writer.u16(UInt16(ciphertext.count))
        writer.raw(ciphertext)
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> SealedDirectMessage {
        let version = try reader.u8("dm version")
        guard version == Self.version else { throw .unsupportedVersion(version) }
        let ephemeral = try reader.raw(DirectMessageKey.byteCount, "ephemeral key")
        let commitment = try reader.raw(32, "key commitment")
        let count = Int(try reader.u8("recipient count"))
        guard (1...maxRecipients).contains(count) else { throw .oversized(field: "recipients", size: count, limit: maxRecipients) }
        var recipients: [Recipient] = []
        for _ in 0..<count {
            recipients.append(Recipient(keyID: try reader.u64("recipient key id"), wrappedKey: try reader.raw(32 + tagBytes, "wrapped key")))
        }
        let length = Int(try reader.u16("ciphertext length"))
        guard buckets.contains(length - tagBytes) else {
            throw .invalid(field: "ciphertext length", reason: "\(length) is not a padded size plus its tag")
        }
        return SealedDirectMessage(
            ephemeral: ephemeral, commitment: commitment, recipients: recipients, ciphertext: try reader.raw(length, "ciphertext"))
    }

    // MARK: Cryptography

    private static let context = Array("lanchat dm v1".utf8)

    /// Authenticated with the message key and with every wrapped key: the author, the ephemeral key, the
    /// key commitment and the recipient list, so a message cannot be passed off as another author's, or
    /// re-addressed.
    private static func authenticated(author: AuthorID, ephemeral: [UInt8], commitment: [UInt8], keyIDs: [UInt64]) -> [UInt8] {
        var writer = ByteWriter()
        writer.raw(context)
        writer.raw(author.bytes)
        writer.raw(ephemeral)
        writer.raw(commitment)
        writer.u8(UInt8(keyIDs.count))
        for id in keyIDs { writer.u64(id) }
        return writer.bytes
    }

    private static func commit(_ messageKey: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: Array("lanchat dm v1 key".utf8) + messageKey))
    }

    /// HKDF-SHA256 of the X25519 shared secret, salted with both public keys.
    private static func wrappingKey(
        _ mine: Curve25519.KeyAgreement.PrivateKey, _ theirs: [UInt8], ephemeral: [UInt8], recipient: [UInt8]
    ) -> SymmetricKey? {
        guard let other = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: theirs),
            let shared = try? mine.sharedSecretFromKeyAgreement(with: other)
        else { return nil }
        return shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: ephemeral + recipient, sharedInfo: Array("lanchat dm v1 wrap".utf8), outputByteCount: 32)
    }

    /// Each key seals exactly one plaintext (a fresh message key; a wrapping key per ephemeral key and
    /// recipient), so the all-zero nonce never repeats under a key.
    private static func sealBox(_ plain: [UInt8], _ key: SymmetricKey, _ context: [UInt8]) -> [UInt8] {
        let box = try! ChaChaPoly.seal(plain, using: key, nonce: try! ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12)), authenticating: context)
        return Array(box.ciphertext) + Array(box.tag)
    }

    private static func openBox(_ sealed: [UInt8], _ key: SymmetricKey, _ context: [UInt8]) -> [UInt8]? {
        guard sealed.count >= tagBytes,
            let box = try? ChaChaPoly.SealedBox(
                nonce: try! ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12)), ciphertext: sealed.dropLast(tagBytes),
                tag: sealed.suffix(tagBytes)),
            let plain = try? ChaChaPoly.open(box, using: key, authenticating: context)
        else { return nil }
        return Array(plain)
    }
}
