@preconcurrency import Crypto
import Foundation
import _CryptoExtras

/// An identity's private key, encrypted under a passphrase, for moving it to a new machine when the
/// only device is lost (`lanchat identity export`, then `lanchat identity import` there). The key is
/// derived with scrypt (memory-hard: 64 MiB and about 0.1 s of one core per guess here), so a stolen backup
/// does not give way to a fast offline search.
///
/// Text form: `lanchat-identity-v1:` and the base64 of: version (1), log2 N, r, p (1 byte each),
/// salt (16), the identity's ID (32), then the ChaCha20-Poly1305 ciphertext of its 32-byte seed and
/// the tag (48), under the scrypt key with a zero nonce (the key is new for each salt), the first 52
/// bytes as authenticated data.
public enum IdentityBackup {
    public static let prefix = "lanchat-identity-v1:"
    public static let minPassphraseCharacters = 8
    static let version: UInt8 = 1
    static let logN: UInt8 = 16, blockSize: UInt8 = 8, parallelism: UInt8 = 1
    /// What a backup may ask for: from cheap test backups to 256 MiB of scrypt's 128·r·N bytes, and no
    /// more (a hostile file must not make the daemon allocate gigabytes).
    static let acceptedLogN: ClosedRange<UInt8> = 10...18
    static let maxMemory = 256 << 20

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notABackup
        case unsupported(String)
        case wrongPassphrase
        case passphraseTooShort

        public var description: String {
            switch self {
            case .notABackup: "this is not a lanchat identity backup (it starts with \(IdentityBackup.prefix))"
            case .unsupported(let what): "this backup uses \(what), which this lanchat does not read"
            case .wrongPassphrase: "wrong passphrase (or the backup was altered)"
            case .passphraseTooShort: "the passphrase must have at least \(IdentityBackup.minPassphraseCharacters) characters"
            }
        }
    }

    public static func seal(_ identity: LocalIdentity, passphrase: String, salt: [UInt8]? = nil) throws(Failure) -> String {
        try seal(identity, passphrase: passphrase, salt: salt ?? SecureRandom.bytes(16), logN: logN)
    }

    /// `logN` below the default only for tests, which cannot spend a second per backup.
    static func seal(_ identity: LocalIdentity, passphrase: String, salt: [UInt8], logN: UInt8) throws(Failure) -> String {
        guard passphrase.count >= minPassphraseCharacters else { throw .passphraseTooShort }
        var header = ByteWriter()
        for byte in [version, logN, blockSize, parallelism] { header.u8(byte) }
        header.raw(salt)
        header.raw(identity.id.bytes)
        let key = try derive(passphrase, salt: salt, logN: logN, blockSize: blockSize, parallelism: parallelism)
        let box = try! ChaChaPoly.seal(identity.seed, using: key, nonce: zeroNonce, authenticating: header.bytes)
        return prefix + Data(header.bytes + Array(box.ciphertext) + Array(box.tag)).base64EncodedString()
    }

    /// The identity in a backup, and its ID (readable without the passphrase).
    public static func open(_ text: String, passphrase: String) throws(Failure) -> LocalIdentity {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.hasPrefix(prefix), let data = Data(base64Encoded: String(trimmed.dropFirst(prefix.count))),
            data.count == 4 + 16 + 32 + 48
        else { throw .notABackup }
        let bytes = Array(data)
        guard bytes[0] == version else { throw .unsupported("format version \(bytes[0])") }
        guard acceptedLogN.contains(bytes[1]), bytes[2] >= 1, 128 * Int(bytes[2]) << Int(bytes[1]) <= maxMemory, bytes[3] == 1 else {
            throw .unsupported("scrypt parameters N=2^\(bytes[1]) r=\(bytes[2]) p=\(bytes[3])")
        }
        let header = Array(bytes[0..<52])
        let key = try derive(passphrase, salt: Array(bytes[4..<20]), logN: bytes[1], blockSize: bytes[2], parallelism: bytes[3])
        guard let box = try? ChaChaPoly.SealedBox(nonce: zeroNonce, ciphertext: bytes[52..<84], tag: bytes[84..<100]),
            let seed = try? ChaChaPoly.open(box, using: key, authenticating: header),
            let identity = try? LocalIdentity(seed: Array(seed)), identity.id.bytes == Array(bytes[20..<52])
        else { throw .wrongPassphrase }
        return identity
    }

    private static let zeroNonce = try! ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12))

    private static func derive(_ passphrase: String, salt: [UInt8], logN: UInt8, blockSize: UInt8, parallelism: UInt8) throws(Failure) -> SymmetricKey {
        do {
            return try KDF.Scrypt.deriveKey(
                from: Array(passphrase.utf8), salt: salt, outputByteCount: 32, rounds: 1 << Int(logN), blockSize: Int(blockSize),
                parallelism: Int(parallelism))
        } catch {
            throw .unsupported("scrypt parameters the library refuses (\(error))")
        }
    }
}
