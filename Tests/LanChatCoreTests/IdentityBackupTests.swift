@testable import LanChatCore
import Foundation
import Testing

/// Identity backups: the key comes back only with the passphrase, and a hostile file cannot make the
/// reader spend more than the accepted scrypt cost. Cheap scrypt parameters (2^10) keep the tests fast.
@Suite("identity backups")
struct IdentityBackupTests {
    static let alice = try! identity(5)
    static let salt = [UInt8](repeating: 9, count: 16)

    @Test func theIdentityComesBackWithThePassphrase() throws {
        let backup = try IdentityBackup.seal(Self.alice, passphrase: "correct horse", salt: Self.salt, logN: 10)
        #expect(backup.hasPrefix(IdentityBackup.prefix))
        #expect(try IdentityBackup.open(backup + "\n", passphrase: "correct horse").id == Self.alice.id)
        #expect(!backup.contains(Hex.encode(Self.alice.seed)))
    }

    @Test func aWrongPassphraseOrAnyAlteredByteIsRefused() throws {
        let backup = try IdentityBackup.seal(Self.alice, passphrase: "correct horse", salt: Self.salt, logN: 10)
        #expect(throws: IdentityBackup.Failure.wrongPassphrase) { try IdentityBackup.open(backup, passphrase: "correct horsE") }
        let bytes = Array(Data(base64Encoded: String(backup.dropFirst(IdentityBackup.prefix.count)))!)
        for index in 4..<bytes.count {
            var altered = bytes
            altered[index] ^= 1
            let text = IdentityBackup.prefix + Data(altered).base64EncodedString()
            #expect(throws: IdentityBackup.Failure.wrongPassphrase) { try IdentityBackup.open(text, passphrase: "correct horse") }
        }
    }

    @Test func costlierParametersThanAcceptedAreRefusedUnread() throws {
        let backup = try IdentityBackup.seal(Self.alice, passphrase: "correct horse", salt: Self.salt, logN: 10)
        var bytes = Array(Data(base64Encoded: String(backup.dropFirst(IdentityBackup.prefix.count)))!)
        bytes[1] = 30  // 2^30 × 8 × 128 bytes: 1 TiB of memory
        #expect(throws: IdentityBackup.Failure.unsupported("scrypt parameters N=2^30 r=8 p=1")) {
            try IdentityBackup.open(IdentityBackup.prefix + Data(bytes).base64EncodedString(), passphrase: "correct horse")
        }
        bytes[1] = 18
        bytes[2] = 32  // 2^18 × 32 × 128 bytes: 1 GiB
        #expect(throws: IdentityBackup.Failure.unsupported("scrypt parameters N=2^18 r=32 p=1")) {
            try IdentityBackup.open(IdentityBackup.prefix + Data(bytes).base64EncodedString(), passphrase: "correct horse")
        }
        #expect(throws: IdentityBackup.Failure.notABackup) { try IdentityBackup.open("lanchat-identity-v1:AAAA", passphrase: "x") }
        #expect(throws: IdentityBackup.Failure.passphraseTooShort) { try IdentityBackup.seal(Self.alice, passphrase: "short") }
    }
}
