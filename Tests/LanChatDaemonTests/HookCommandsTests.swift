import LanChatControl
@testable import LanChatDaemon
import Testing

@Suite("which hook an event calls for")
struct HookCommandsTests {
    private let bob = AuthorRef(id: "bobid", name: "Bob")
    private let hooks = HookCommands(onMention: "on-mention", onDirectMessage: "on-dm")

    @Test func aMentionOfMeAndADirectMessageSomeoneElseWrote() {
        var mention = ChatEvent(type: .message, id: "bobid/2", author: bob, room: "general", body: "@Alice hi")
        mention.mentionsMe = true
        #expect(hooks.command(for: mention, writtenHere: false)?.trigger == .mention)
        #expect(hooks.command(for: mention, writtenHere: false)?.command == "on-mention")
        let received = ChatEvent(type: .dm, id: "bobid/3", author: bob, body: "psst", with: bob)
        #expect(hooks.command(for: received, writtenHere: false)?.trigger == .directMessage)
    }

    @Test func nothingElse() {
        var other = ChatEvent(type: .message, id: "bobid/2", author: bob, room: "general", body: "@Carol hi")
        other.mentions = [MentionSpan(offset: 0, length: 6, id: "carolid", name: "Carol")]
        #expect(hooks.command(for: other, writtenHere: false) == nil)
        #expect(hooks.command(for: ChatEvent(type: .profile, author: bob), writtenHere: false) == nil)
        let sent = ChatEvent(type: .dm, id: "aliceid/3", author: AuthorRef(id: "aliceid", name: "Alice"), body: "hi", with: bob)
        #expect(hooks.command(for: sent, writtenHere: true) == nil)
        var ownMention = ChatEvent(type: .message, id: "aliceid/4", author: AuthorRef(id: "aliceid", name: "Alice"), body: "@Alice note")
        ownMention.mentionsMe = true
        #expect(hooks.command(for: ownMention, writtenHere: true) == nil)
        var mention = ChatEvent(type: .message, author: bob, body: "@Alice hi")
        mention.mentionsMe = true
        #expect(HookCommands(onDirectMessage: "on-dm").command(for: mention, writtenHere: false) == nil)
    }
}
