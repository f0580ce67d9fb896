import LanChatClient
import LanChatControl
import Testing

@Suite("lanchat notify's notifications")
struct NotificationTests {
    private let alice = AuthorRef(id: "aliceid", name: "Alice")
    private let bob = AuthorRef(id: "bobid", name: "Bob")
    private let mine: Set<String> = ["aliceid", "alicelaptopid"]

    private func mention(by author: AuthorRef, body: String = "@Alice look", room: String = "general") -> ChatEvent {
        var event = ChatEvent(type: .message, id: "\(author.id)/2", author: author, room: room, body: body)
        event.mentionsMe = true
        return event
    }

    @Test func aMentionOfMeAndADirectMessageIReceived() throws {
        let shown = try #require(DesktopNotification(mention(by: bob), mine: mine))
        #expect(shown.title == "Bob in #general" && shown.body == "@Alice look")
        #expect(shown.arguments == ["--app-name=lanchat", "--category=im.received", "--", "Bob in #general", "@Alice look"])
        let direct = try #require(DesktopNotification(ChatEvent(type: .dm, author: bob, body: "psst", with: bob), mine: mine))
        #expect(direct.title == "Bob (direct message)" && direct.body == "psst")
        #expect(direct.conversation != shown.conversation)
    }

    @Test func nothingForMyOwnOrForWhatDoesNotNameMe() {
        #expect(DesktopNotification(mention(by: AuthorRef(id: "alicelaptopid", name: "Alice")), mine: mine) == nil)
        #expect(DesktopNotification(ChatEvent(type: .dm, author: alice, body: "hi", with: bob), mine: mine) == nil)
        #expect(DesktopNotification(ChatEvent(type: .message, author: bob, room: "general", body: "hi all"), mine: mine) == nil)
        #expect(DesktopNotification(ChatEvent(type: .profile, author: bob), mine: mine) == nil)
    }

    @Test func theBodyIsShortAndNotMarkup() throws {
        let long = try #require(DesktopNotification(mention(by: bob, body: String(repeating: "é", count: 500)), mine: mine))
        #expect(long.body.count == DesktopNotification.bodyLimit && long.body.hasSuffix("…"))
        var markup = try #require(DesktopNotification(mention(by: bob, body: "<b>a & b</b>"), mine: mine))
        markup.add(heldBack: 2)
        #expect(markup.arguments.last == "&lt;b&gt;a &amp; b&lt;/b&gt;\n(+2 more since the last notification)")
    }

    @Test func oneNotificationPerConversationEveryFiveSeconds() {
        var throttle = NotificationThrottle()
        let start = ContinuousClock.now
        #expect(throttle.admit("room general", at: start) == 0)
        #expect(throttle.admit("room general", at: start + .seconds(1)) == nil)
        #expect(throttle.admit("dm bobid", at: start + .seconds(1)) == 0)
        #expect(throttle.admit("room general", at: start + .seconds(4)) == nil)
        #expect(throttle.admit("room general", at: start + .seconds(5)) == 2)
        #expect(throttle.admit("room general", at: start + .seconds(11)) == 0)
    }
}
