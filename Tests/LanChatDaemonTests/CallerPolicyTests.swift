import Glibc
import LanChatControl
import Testing

@testable import LanChatDaemon

/// Who the control socket serves, from what the kernel says about the caller.
@Suite("control socket caller policy")
struct CallerPolicyTests {
    private let user = CallerPolicy(owner: 1000, group: nil, groupName: nil)
    private let service = CallerPolicy(owner: 998, group: 4242, groupName: "lanchat")

    @Test func theOwnerAndRootAreServedAndNobodyElse() {
        #expect(user.allows(.init(uid: 1000, gid: 1000, groups: [])))
        #expect(user.allows(.init(uid: 0, gid: 0, groups: [])))
        #expect(!user.allows(.init(uid: 1001, gid: 1000, groups: [1000])))
    }

    @Test func theSocketsGroupIsServedAsPrimaryOrSupplementaryGroup() {
        #expect(service.allows(.init(uid: 1001, gid: 4242, groups: [])))
        #expect(service.allows(.init(uid: 1001, gid: 1001, groups: [27, 4242])))
        #expect(!service.allows(.init(uid: 1001, gid: 1001, groups: [27])))
    }

    @Test func aRefusalNamesTheCallerAndTheFix() {
        let refusal = service.refusal(of: .init(uid: 1001, gid: 1001, groups: []))
        #expect(refusal.code == .noPermission)
        #expect(refusal.message.contains("uid 1001") && refusal.message.contains("usermod -aG lanchat USER"))
        #expect(user.refusal(of: .init(uid: 1001, gid: 1001, groups: [])).message.contains("start your own `lanchatd`"))
    }
}
