import Glibc
import LanChatControl

/// Standard input, output and error through read(2) and write(2) themselves: unbuffered, so a pipe
/// reader sees each `follow` event as it happens, and without Foundation's `FileHandle`, which full
/// Foundation alone has (and the CLI links FoundationEssentials only, for a fast start).
public enum StandardStreams {
    public static func output(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    public static func error(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    /// All of standard input, until its end.
    public static func readInput() -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            // Whoever read the output is gone (SIGPIPE ignored), or it was closed: nothing is left to do.
            guard written > 0 else { exit(ClientExitStatus.failure.rawValue) }
            offset += written
        }
    }
}
