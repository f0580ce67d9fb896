/// Bytes from the system's CSPRNG (`getrandom`), for everything that must never repeat or be guessed:
/// challenges, start tokens, session IDs, keys, salts. The protocol machines take such bytes as inputs
/// instead of drawing them, so that tests and the simulator can repeat a run.
enum SecureRandom {
    static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
