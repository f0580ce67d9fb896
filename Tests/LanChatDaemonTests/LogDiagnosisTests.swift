import LanChatControl
import LanChatCore
@testable import LanChatDaemon
import Testing

/// What `doctor` says of forked logs: this identity's own fork (open or merged) or twin, or one never
/// merged, is a problem with its cause and fix; others' merged forks only a note, so one restored laptop does not fail every doctor.
@Suite("lanchat doctor on forked logs")
struct LogDiagnosisTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let forks: ForkReport
        let status: DoctorCheck.Status
        let mentions: String
    }

    static let cases: [Case] = [
        Case(testDescription: "no fork", forks: ForkReport(), status: .ok, mentions: "no forked log"),
        Case(testDescription: "a twin", forks: ForkReport(forked: 1, open: 1, own: .open, twin: true), status: .problem, mentions: "another machine"),
        Case(testDescription: "own fork open", forks: ForkReport(forked: 1, open: 1, own: .open), status: .problem, mentions: "restored from an older backup"),
        Case(testDescription: "own fork merged", forks: ForkReport(forked: 1, open: 0, own: .closed), status: .problem, mentions: "merged since"),
        Case(testDescription: "own fork merged: the cause", forks: ForkReport(forked: 1, open: 0, own: .closed), status: .problem, mentions: "restored from an older backup"),
        Case(testDescription: "own fork merged: the fix", forks: ForkReport(forked: 1, open: 0, own: .closed), status: .problem, mentions: "stop it there"),
        Case(testDescription: "own fork merged among others' open", forks: ForkReport(forked: 2, open: 1, own: .closed), status: .problem, mentions: "this identity's log forked"),
        Case(testDescription: "another's fork open", forks: ForkReport(forked: 2, open: 1), status: .problem, mentions: "not merged yet"),
        Case(testDescription: "others' forks merged", forks: ForkReport(forked: 3, open: 0), status: .ok, mentions: "3 identities forked and merged"),
        Case(testDescription: "branches refused", forks: ForkReport(forked: 1, open: 1, refusedBranches: 2), status: .problem, mentions: "2 entries were refused"),
    ]

    @Test(arguments: cases)
    func forkFindings(_ given: Case) {
        let finding = Diagnosis.log(given.forks)
        #expect(finding.status == given.status)
        #expect(finding.detail.contains(given.mentions) || finding.fix?.contains(given.mentions) == true, "\(finding)")
    }

    @Test func anotherProtocolVersionIsAProblemNamingTheNode() throws {
        var facts = NetworkFacts(
            network: "lanchat", port: 7420, mdnsState: "active", announcedAs: nil, seesItself: true, services: [], peers: [],
            datagramsIn: 1, inboundSyncs: 0, syncsCompleted: 0,
            otherVersions: [(PeerAddress(host: "10.0.0.7", port: 7420), 1)])
        let finding = try #require(Diagnosis.versions(facts))
        #expect(finding.status == .problem)
        #expect(finding.items == ["10.0.0.7:7420 speaks protocol 1"])
        facts.otherVersions = []
        #expect(Diagnosis.versions(facts) == nil)
    }
}
