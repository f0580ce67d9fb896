import LanChatControl

/// How the CLI shows things to people (the `--json` forms are the control protocol's own types).
public enum HumanFormat {
    /// A message as one or more lines of a terminal. Any peer can write any text, so what could steer
    /// the terminal (escape sequences, other control characters) or reorder what is shown (bidi
    /// overrides) is shown as U+FFFD instead, and the lines after a message's first are indented, so no
    /// text can pass for a message of its own.
    public static func message(_ event: ChatEvent) -> String {
        String(String.UnicodeScalarView(line(event).unicodeScalars.map { isShowable($0) ? $0 : "\u{FFFD}" }))
            .replacing("\n", with: "\n" + continuation)
    }

    static let continuation = "    "

    static func isShowable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\n" || scalar == "\t" { return true }
        if (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) { return false }
        return scalar.properties.generalCategory != .control
    }

    private static func line(_ event: ChatEvent) -> String {
        switch event.type {
        case .message:
            // A clock far ahead is shown at arrival, marked so nobody takes it for the author's time.
            "\(clock(event.sentAt))\(event.clockAhead == true ? "*" : "") \(event.author.name): "
                + (event.deleted == true ? "(message deleted)" : (event.body ?? "") + (event.editedAt == nil ? "" : " (edited)"))
        case .profile: "* \(shortID(event.author.id)) is now known as \(event.author.name)"
        case .dm:
            // Marked, so a direct message never passes for a room's; mine name whom they went to.
            event.author.id == event.with?.id
                ? "\(clock(event.sentAt)) [dm] \(event.author.name): \(event.body ?? "")"
                : "\(clock(event.sentAt)) [dm to \(event.with?.name ?? "?")] \(event.author.name): \(event.body ?? "")"
        }
    }

    public static func identity(_ info: IdentityInfo) -> String {
        "\(info.name)\t\(info.id)" + (info.devices.map { "\ndevices: " + $0.joined(separator: ", ") } ?? "")
    }

    /// The steps of `lanchat link`, in words.
    public static func link(_ link: LinkInfo) -> String {
        let device = link.device.map { "\($0.name) (\(shortID($0.id)))" } ?? "the other device"
        if let code = link.code {
            return "on the other device, run:  lanchat link \(code)\nit shows this device's ID and a number: type the number here with  lanchat link --confirm NUMBER  (the code works for 10 minutes)"
        }
        if let confirmation = link.confirmation {
            // The whole ID: the device to check is the one whose ID this is, not merely one with that name.
            let whole = link.device.map { "\($0.name), ID \($0.id)" } ?? "the other device"
            return "asked \(whole) to link. This device shows \(confirmation): on that device, run  lanchat link --confirm \(confirmation.filter(\.isNumber))"
        }
        return "linked with \(device): both devices are now one person (lanchat whoami lists them)"
    }

    public static func who(_ identities: [IdentityInfo]) -> String {
        table(
            ["NAME", "ID", "ONLINE", "MESSAGES"],
            identities.map { info in
                [
                    info.name + (info.isSelf == true ? " (you)" : "") + (info.fork.map { " [log forked, \($0.rawValue)]" } ?? "")
                        + (info.muted == true ? " [muted]" : ""),
                    info.short, info.online == true ? "yes" : "no", "\(info.messages ?? 0)",
                ]
            })
    }

    public static func rooms(_ rooms: [RoomInfo]) -> String {
        table(["ROOM", "MESSAGES", "UNREAD", "MENTIONS", "LAST"], rooms.map {
            [$0.name, "\($0.messages)", "\($0.unread)", "\($0.mentions)", localTime($0.lastAt)]
        })
    }

    public static func conversations(_ conversations: [ConversationInfo]) -> String {
        table(["WITH", "ID", "MESSAGES", "UNREAD", "LAST"], conversations.map {
            [$0.with.name, shortID($0.with.id), "\($0.messages)", "\($0.unread)", localTime($0.lastAt)]
        })
    }

    public static func peers(_ peers: [PeerInfo]) -> String {
        table(
            ["NAME", "ID", "ADDRESS", "STATE", "LAST SEEN", "BEHIND"],
            peers.map { peer in
                [
                    peer.name ?? "?", peer.id.map(shortID) ?? "?", peer.address,
                    peer.protocolVersion.map { "other version (protocol \($0))" } ?? peer.state.rawValue, localTime(peer.lastSeen),
                    peer.behind.map { "\($0)" } ?? "?",
                ]
            })
    }

    public static func status(_ status: StatusInfo) -> String {
        [
            "name:     \(status.name)",
            "id:       \(status.id)",
            "version:  \(status.version)",
            "network:  \(status.network) (port \(status.port)" + (status.portTaken.map { "; \($0) was taken" } ?? "") + ")",
            "access:   " + (status.networkKeys.isEmpty
                ? "open: anyone on this LAN can join and read (close it with a network key: lanchat keygen)"
                : "closed by network key " + status.networkKeys.map { $0.fingerprint + ($0.sending ? " (sends)" : " (opens)") }.joined(separator: ", ")),
            "mdns:     \(status.mdns)",
            "entries:  \(status.entries) from \(status.authors) authors in \(status.rooms) rooms",
            "peers:    \(status.peers) ("
                + PeerInfo.State.allCases.map { "\(status.peersByState[$0]) \($0.rawValue)" }.joined(separator: ", ") + ")",
            "forks:    \(status.forks.forked) forked log(s), \(status.forks.open) not merged"
                + (status.forks.own.map { "; this identity's log forked (\($0.rawValue))" } ?? "")
                + (status.forks.twin ? "; this identity also runs on another machine" : "")
                + (status.forks.refusedBranches > 0 ? "; \(status.forks.refusedBranches) branch(es) refused (over 8 per author)" : ""),
            "storage:  text kept " + (status.storage.retainDays.map { "\($0) days" } ?? "for ever")
                + ", \(status.storage.authorQuotaBytes >> 20) MB per author; \(status.storage.payloadsDropped) message text(s) dropped"
                + (status.storage.payloadsMissing > 0 ? "; \(status.storage.payloadsMissing) text(s) missing, asked of peers" : ""),
            "uptime:   \(Int(status.uptimeSeconds)) s",
            "counters: " + StatusInfo.Counters.named.map { "\($0.name)=\(status.counters[keyPath: $0.value])" }.joined(separator: " "),
        ].joined(separator: "\n")
    }

    public static func check(_ check: DoctorCheck) -> String {
        let mark = switch check.status {
        case .ok: "ok     "
        case .warning: "warning"
        case .problem: "PROBLEM"
        }
        var lines = ["\(mark) \(check.check): \(check.detail)"]
        lines += (check.items ?? []).map { "          - \($0)" }
        if let fix = check.fix { lines.append("          fix: \(fix)") }
        return lines.joined(separator: "\n")
    }

    private static func shortID(_ id: String) -> String { String(id.prefix(IdentityInfo.shortLength)) }

    /// `HH:MM` in local time for today, `YYYY-MM-DD HH:MM` otherwise.
    static func clock(_ rfc3339: String?) -> String {
        guard let rfc3339, let time = LocalTime(rfc3339: rfc3339) else { return "--:--" }
        if let today = LocalTime.now(), time.isSameDay(as: today) { return time.clock }
        return "\(time.date) \(time.clock)"
    }

    static func localTime(_ rfc3339: String?) -> String {
        guard let rfc3339, let time = LocalTime(rfc3339: rfc3339) else { return "-" }
        return time.dateAndTime
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
