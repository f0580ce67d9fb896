/// A new network key in its text form, for `lanchat keygen`, which links no crypto library: 32 bytes
/// from the system's CSPRNG (`getrandom`) as `lanchat-network-key-v1:` and 64 lowercase hex digits.
/// The daemon reads it back (LanChatCore's `NetworkKey`); PROTOCOL.md documents the form.
public enum NetworkKeyText {
    public static let prefix = "lanchat-network-key-v1:"

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        let hex = (0..<32).flatMap { _ -> [Character] in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
        }
        return prefix + String(hex)
    }
}
