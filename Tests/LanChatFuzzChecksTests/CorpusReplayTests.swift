import Foundation
import LanChatFuzzChecks
import Testing

/// Replays what the fuzzers under `Fuzz/` keep, through the same checks, without libFuzzer: the seed
/// corpus (`Fuzz/corpus/<target>/`, valid messages) and every crash input found so far
/// (`Fuzz/crashes/<target>/`, each a regression test).
@Suite("Fuzz corpus and crash replay")
struct CorpusReplayTests {
    static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// The files in `Fuzz/<kind>/<target>/`, by name; none when the directory does not exist.
    static func files(_ kind: String, _ target: FuzzTarget) throws -> [String: [UInt8]] {
        let directory = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target.name)
        guard FileManager.default.fileExists(atPath: directory.path) else { return [:] }
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where !name.hasPrefix(".") {
            files[name] = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
        }
        return files
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsAreValidAndCurrent(_ target: FuzzTarget) throws {
        let onDisk = try Self.files("corpus", target)
        let generated = Dictionary(uniqueKeysWithValues: FuzzSeeds.seeds(for: target).map { ($0.name, $0.bytes) })
        #expect(!generated.isEmpty)
        let stale = Set(onDisk.keys).union(generated.keys).filter { onDisk[$0] != generated[$0] }.sorted()
        #expect(stale.isEmpty, "Fuzz/corpus/\(target.name): \(stale) not as the encoders write them today: run `make fuzz-seeds`")
        for (name, bytes) in onDisk.sorted(by: { $0.key < $1.key }) {
            do {
                #expect(try target.check(bytes) == .accepted, "seed \(target.name)/\(name) is refused")
            } catch {
                Issue.record("seed \(target.name)/\(name): \(error)")
            }
        }
    }

    /// The checks are not vacuous: a seed behind a byte no format starts with is refused.
    @Test(arguments: FuzzTarget.allCases)
    func damagedSeedsAreRefused(_ target: FuzzTarget) throws {
        for seed in FuzzSeeds.seeds(for: target) {
            #expect(try target.check([0xFF] + seed.bytes) == .refused, "\(target.name)/\(seed.name) behind 0xFF is accepted")
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func crashInputsHoldTheInvariants(_ target: FuzzTarget) throws {
        for (name, bytes) in try Self.files("crashes", target).sorted(by: { $0.key < $1.key }) {
            do {
                _ = try target.check(bytes)
            } catch {
                Issue.record("crash input \(target.name)/\(name): \(error)")
            }
        }
    }
}
