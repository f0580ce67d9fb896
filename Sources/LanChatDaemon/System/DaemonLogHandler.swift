import LanChatStore
import Foundation
import LanChatControl
import Logging

/// Logs to stderr, one line per event. Under systemd journald stamps each line, so ours carry no time.
struct DaemonLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    private let label: String
    private let timestamps: Bool

    init(label: String, level: Logger.Level, underSystemd: Bool) {
        self.label = label
        self.logLevel = level
        self.timestamps = !underSystemd
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = timestamps ? "\(Timestamps.now()) " : ""
        line += "\(event.level) \(label): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty {
            line += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func bootstrap(level: Logger.Level, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let underSystemd = environment["JOURNAL_STREAM"] != nil || environment["INVOCATION_ID"] != nil
        LoggingSystem.bootstrap { label in
            DaemonLogHandler(label: label, level: level, underSystemd: underSystemd)
        }
    }
}


private extension Timestamps {
    static func now() -> String { rfc3339(millis: WallClock.nowMillis()) }
}
