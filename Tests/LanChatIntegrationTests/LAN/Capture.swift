import Foundation

/// `tcpdump` on the virtual LAN's switch: every frame any host sends, as a person with a laptop on
/// that switch would see it. `stop()` ends it (call it from `defer` too) and returns the capture.
final class Capture: Sendable {
    private let process: Process
    let path: String

    init(lan: VirtualLAN, path: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // -U: each packet written as it comes; -Z root: keep writing the file it opened as root.
        process.arguments = ["ip", "netns", "exec", "\(lan.prefix)-switch", "tcpdump", "-i", "\(lan.prefix)br0", "-U", "-s", "0", "-Z", "root", "-w", path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        self.path = path
        try ChildProcess.spawn { try process.run() }
    }

    /// What was captured so far (pcap: the frames' bytes as they were on the wire).
    var bytes: Data { FileManager.default.contents(atPath: path) ?? Data() }

    /// Whether `needle` occurs in `haystack`: memmem, since a capture grows to megabytes and tests poll it.
    static func find(_ needle: [UInt8], in haystack: Data) -> Bool {
        haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { memmem(hay.baseAddress, hay.count, $0.baseAddress, $0.count) != nil }
        }
    }

    /// Glibc's Swift module does not export memmem (it needs _GNU_SOURCE), so it is looked up.
    private static let memmem: @convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer? = {
        guard let symbol = dlsym(nil, "memmem") else { fatalError("libc has no memmem") }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer?).self)
    }()

    func stop() { ChildProcess.end([process]) }
}
