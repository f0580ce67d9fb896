// Delivers pushed messages to a store the way a receiving daemon does, one datagram at a time, without
// sockets: what `lanchat-bench --only instructions` runs under callgrind (instruction counts are stable
// from run to run, unlike time on a busy machine). The datagrams are signed beforehand, by `prepare`, so
// that a run's count is the delivery alone plus a fixed start; two runs of different lengths give the
// instructions per delivery, on every thread.
//   lanchat-cost prepare COUNT FILE     signs COUNT messages of one author and writes their push datagrams
//   lanchat-cost deliver FILE DIRECTORY delivers them to a new store in DIRECTORY (made if missing)
//   lanchat-cost check FILE             only decodes them and checks each signature: that share of a delivery
import Dispatch
import Glibc
import LanChatCore
import LanChatStore

/// Waits for async store work from this synchronous program.
final class Outcome<T>: @unchecked Sendable {
    var value: Result<T, any Error>?
}

func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    let outcome = Outcome<T>()
    Task {
        do { outcome.value = .success(try await body()) } catch { outcome.value = .failure(error) }
        done.signal()
    }
    done.wait()
    return try outcome.value!.get()
}

func fail(_ message: String) -> Never {
    let line = Array("lanchat-cost: \(message)\n".utf8)
    _ = write(2, line, line.count)
    exit(1)
}

func prepare(count: Int, file: String) throws {
    let author = LocalIdentity.generate()
    var entries: [Entry] = []
    for seq in 1...UInt64(count) {
        let message = try EntryContent.Message(room: "general", body: "message \(seq): a line of chat as people type them")
        entries.append(Entry.sign(
            by: author, seq: seq, timestamp: HybridTimestamp(wallMillis: 1_700_000_000_000 + seq, counter: 0),
            links: entries.last.map { [$0.tip] } ?? [], content: .message(message)))
    }
    // Each datagram behind its length, two bytes big-endian.
    let bytes = entries.flatMap { entry in
        let datagram = Datagram(network: "lanchat", sender: author.id, body: .push(entry)).encoded()
        return [UInt8(datagram.count >> 8), UInt8(datagram.count & 0xFF)] + datagram
    }
    guard let handle = fopen(file, "wb"), fwrite(bytes, 1, bytes.count, handle) == bytes.count, fclose(handle) == 0 else {
        fail("cannot write \(file)")
    }
}

func datagrams(in file: String) -> [[UInt8]] {
    guard let handle = fopen(file, "rb") else { fail("cannot read \(file)") }
    defer { fclose(handle) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while case let read = fread(&chunk, 1, chunk.count, handle), read > 0 { bytes += chunk[..<read] }
    var datagrams: [[UInt8]] = []
    var offset = 0
    while offset + 2 <= bytes.count {
        let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
        datagrams.append(Array(bytes[offset + 2..<min(offset + 2 + length, bytes.count)]))
        offset += 2 + length
    }
    return datagrams
}

/// Each datagram: decoded and judged by the replicator, its entry's signature checked (a burst of one),
/// stored in its own transaction, the replicator told the new tip.
func deliver(file: String, directory: String) throws {
    let datagrams = datagrams(in: file)
    guard mkdir(directory, 0o700) == 0 || errno == EEXIST else { fail("cannot make \(directory)") }
    let store = try EntryStore(path: "\(directory)/lanchat.sqlite")
    var replicator = Replicator(
        configuration: ReplicationConfiguration(network: "lanchat"), identity: LocalIdentity.generate(), incarnation: 1, seed: 1)
    let sender = PeerAddress(host: "10.0.0.2", port: 7420)
    for (index, bytes) in datagrams.enumerated() {
        for case .pushed(let entry, _, _) in replicator.receive(bytes, from: sender, now: UInt64(index)) {
            let (authentic, forged) = PushBurst.authentic([entry]) { $0.map(\.hasValidSignature) }
            let result = try wait { try await store.insert(authentic, durable: false) }
            replicator.tipsChanged(result.tips)
            replicator.pushesSettled(1, forged: forged)
        }
    }
    let held = try wait { try await store.syncVector().total }
    guard held == UInt64(datagrams.count) else { fail("stored \(held) of \(datagrams.count)") }
}

func check(file: String) throws {
    let entries = try datagrams(in: file).map { bytes in
        guard case .push(let entry) = try Datagram.decode(bytes).body else { fail("not a push") }
        return entry
    }
    guard entries.allSatisfy(\.hasValidSignature) else { fail("a signature does not verify") }
}

let arguments = CommandLine.arguments
switch (arguments.count, arguments.dropFirst().first) {
case (4, "prepare"):
    guard let count = Int(arguments[2]), count > 0 else { fail("COUNT must be a whole number above 0") }
    try prepare(count: count, file: arguments[3])
case (4, "deliver"):
    try deliver(file: arguments[2], directory: arguments[3])
case (3, "check"):
    try check(file: arguments[2])
default:
    fail("usage: lanchat-cost prepare COUNT FILE | lanchat-cost deliver FILE DIRECTORY | lanchat-cost check FILE")
}
