import Crypto
import Foundation

/// ChaCha20-Poly1305 under a session subkey with a counter nonce: four zero bytes, then the counter
/// big-endian. A subkey belongs to one session and its counter only grows, so no nonce repeats.
enum SealBox {
    static let tagBytes = 16

    static func seal(_ plain: [UInt8], key: SymmetricKey, counter: UInt64, header: [UInt8]) -> [UInt8] {
        // Cannot throw: the nonce has the right length and ChaCha20-Poly1305 takes any plaintext size we send.
        let box = try! ChaChaPoly.seal(plain, using: key, nonce: nonce(counter), authenticating: header)
        return Array(box.ciphertext) + Array(box.tag)
    }

    /// Nil when the bytes, the header or the counter are not what was sealed.
    static func open(_ sealed: ArraySlice<UInt8>, key: SymmetricKey, counter: UInt64, header: [UInt8]) -> [UInt8]? {
        guard sealed.count >= tagBytes,
            let box = try? ChaChaPoly.SealedBox(
                nonce: nonce(counter), ciphertext: sealed.dropLast(tagBytes), tag: sealed.suffix(tagBytes)),
            let plain = try? ChaChaPoly.open(box, using: key, authenticating: header)
        else { return nil }
        return Array(plain)
    }

    private static func nonce(_ counter: UInt64) -> ChaChaPoly.Nonce {
        try! ChaChaPoly.Nonce(data: [0, 0, 0, 0] + withUnsafeBytes(of: counter.bigEndian) { Array($0) })
    }
}
