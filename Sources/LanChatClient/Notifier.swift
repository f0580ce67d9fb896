import Glibc
import LanChatControl

/// `lanchat notify`: follows the daemon for as long as it runs, reconnecting when the daemon goes away
/// (after 1 s, then twice as long each time up to 30 s), and runs `notify-send` (or a stand-in) for
/// each mention of me and each direct message I receive, at most one per conversation every 5 s.
public struct Notifier {
    static let firstRetry: Duration = .seconds(1)
    static let lastRetry: Duration = .seconds(30)
    /// `notify-send` returns at once; one that hangs (no notification server) holds events up no longer.
    static let commandTimeout: Duration = .seconds(10)

    private let connect: () throws -> any ControlConnection
    private let command: String
    private let report: (String) -> Void

    /// `report` gets a line for people (stderr): the daemon followed, lost, a notification that failed.
    public init(command: String, connect: @escaping () throws -> any ControlConnection, report: @escaping (String) -> Void) {
        self.command = command
        self.connect = connect
        self.report = report
    }

    /// Runs until the process ends. Throws only what waiting cannot mend (no permission, a bad socket path).
    public func run() throws -> Never {
        var throttle = NotificationThrottle()
        var retry = Self.firstRetry
        var lost = false
        while true {
            do {
                let connection = try connect()
                let me = try connection.request(.whoami).identity
                // Asked again on every connection: devices linked meanwhile are mine too.
                let mine = Set(me.map { $0.devices ?? [$0.id] } ?? [])
                try connection.follow(room: nil, subscribed: {
                    report("following the daemon: a notification for each mention of you and each direct message")
                    retry = Self.firstRetry
                    lost = false
                }) { event, _ in
                    guard var notification = DesktopNotification(event, mine: mine),
                        let heldBack = throttle.admit(notification.conversation, at: .now)
                    else { return }
                    notification.add(heldBack: heldBack)
                    show(notification)
                }
                report("the daemon stopped; waiting for it to come back")
                lost = true
            } catch let error as ClientError where error.status == .noDaemon {
                if !lost { report("\(error.description); trying again until it answers") }
                lost = true
            }
            sleep(UInt32(retry.components.seconds))
            retry = min(retry * 2, Self.lastRetry)
        }
    }

    private func show(_ notification: DesktopNotification) {
        do {
            let outcome = try SpawnedProcess([command] + notification.arguments).wait(timeout: Self.commandTimeout)
            if outcome != .exited(0) { report("\(command) \(outcome)") }
        } catch {
            report("\(error) (notify-send comes with Debian's libnotify-bin)")
        }
    }
}
