import LanChatChat
import LanChatControl
import Testing

let aliceID = String(repeating: "a", count: 52)
let bobID = String(repeating: "b", count: 52)
let meID = String(repeating: "m", count: 52)

func message(_ body: String, room: String? = "general", from author: String = bobID, name: String = "Bob", id: String? = nil,
             mentionsMe: Bool? = nil) -> ChatEvent {
    ChatEvent(type: .message, id: id ?? "\(author)/\(body.count)", author: AuthorRef(id: author, name: name), room: room, body: body,
              sentAt: "2026-11-29T10:15:00Z").with { $0.mentionsMe = mentionsMe }
}

extension ChatEvent {
    func with(_ change: (inout ChatEvent) -> Void) -> ChatEvent {
        var copy = self
        change(&copy)
        return copy
    }
}

/// A chat open on #general, knowing me, Alice and Bob.
func chat() -> ChatModel {
    var model = ChatModel(room: "general")
    model.me = IdentityInfo(id: meID, name: "Me", short: "mmmmmm")
    model.setPeople([
        IdentityInfo(id: meID, name: "Me", short: "mmmmmm"),
        IdentityInfo(id: aliceID, name: "Alice", short: "aaaaaa"),
        IdentityInfo(id: bobID, name: "Bob", short: "bbbbbb"),
        IdentityInfo(id: String(repeating: "c", count: 52), name: "Alicia", short: "cccccc"),
    ])
    model.setRooms([RoomInfo(name: "general", messages: 1, lastAt: nil), RoomInfo(name: "ops", messages: 0, lastAt: nil)])
    return model
}

extension ChatModel {
    mutating func type(_ text: String) {
        _ = handle(.text(text))
    }
}

@Suite("the chat's model")
struct ChatModelTests {
    @Test func messagesElsewhereAreUnreadAndMentionsCountedApartUntilTheRoomIsOpened() {
        var model = chat()
        #expect(model.receive(message("hi", room: "ops")) == [])
        #expect(model.receive(message("@Me look", room: "ops", mentionsMe: true)) == [])
        let ops = model.conversations.first { $0.target == .room("ops") }
        #expect(ops?.unread == 2 && ops?.mentions == 1)

        #expect(model.handle(.nextRoom) == [.load(.room("ops")), .markRead(.room("ops"))])
        #expect(model.current.target == .room("ops") && model.current.unread == 0 && model.current.mentions == 0)
        model.loaded(.room("ops"), [message("hi", room: "ops")])
        #expect(model.handle(.previousRoom) == [.load(.room("general")), .markRead(.room("general"))])
        #expect(model.handle(.nextRoom) == [.markRead(.room("ops"))], "a room already loaded is only marked read")
    }

    @Test func aMessageInTheOpenRoomIsReadAndMyOwnAreNeverUnread() {
        var model = chat()
        #expect(model.receive(message("hello", room: "general")) == [.markRead(.room("general"))])
        #expect(model.current.lines == [.message(message("hello", room: "general"))])
        _ = model.receive(message("mine", room: "ops", from: meID, name: "Me"))
        #expect(model.conversations.first { $0.target == .room("ops") }?.unread == 0)
        _ = model.receive(message("new room", room: "random"))
        #expect(model.conversations.map(\.title) == ["#general", "#ops", "#random"] && model.current.title == "#general")
    }

    @Test func theSameMessageTwiceIsShownOnce() {
        var model = chat()
        _ = model.receive(message("once"))
        _ = model.receive(message("once"))
        #expect(model.current.lines.count == 1)
    }

    @Test func tabCompletesANameIntoAMentionByID() {
        var model = chat()
        model.type("é @Alic")
        _ = model.handle(.tab)
        #expect(model.input.text == "é @Alice ")
        _ = model.handle(.tab)
        #expect(model.input.text == "é @Alicia ", "Tab again cycles to the next name")
        model.type("hi")
        #expect(model.handle(.enter) == [
            .send(body: "é @Alicia hi", room: "general", mentions: [MentionSpan(offset: 3, length: 7, id: String(repeating: "c", count: 52))]),
        ])
        #expect(model.input.isEmpty)
    }

    @Test func textTypedIntoAMentionMakesItPlainText() {
        var model = chat()
        model.type("@Bo")
        _ = model.handle(.tab)
        _ = model.handle(.left)
        _ = model.handle(.left)
        model.type("b")
        #expect(model.handle(.enter) == [.send(body: "@Bobb ", room: "general", mentions: [])])
    }

    @Test func tabCompletesCommandsRoomsAndNames() {
        var model = chat()
        model.type("/jo")
        _ = model.handle(.tab)
        #expect(model.input.text == "/join ")
        model.type("o")
        _ = model.handle(.tab)
        #expect(model.input.text == "/join ops ")
        _ = model.handle(.killLine)
        model.type("/dm ali")
        _ = model.handle(.tab)
        #expect(model.input.text == "/dm Alice ")
        _ = model.handle(.killLine)
        model.type("@zz")
        _ = model.handle(.tab)
        #expect(model.input.text == "@zz", "nothing matches: nothing changes")
    }

    @Test func upRecallsWhatISentAndDownComesBack() {
        var model = chat()
        model.type("first")
        _ = model.handle(.enter)
        model.type("second")
        _ = model.handle(.enter)
        _ = model.handle(.up)
        #expect(model.input.text == "second")
        _ = model.handle(.up)
        #expect(model.input.text == "first")
        _ = model.handle(.down)
        _ = model.handle(.down)
        #expect(model.input.isEmpty)
    }

    @Test func aRecalledLineKeepsItsMentions() {
        var model = chat()
        model.type("@Bo")
        _ = model.handle(.tab)
        model.type("again")
        let first = model.handle(.enter)
        _ = model.handle(.up)
        #expect(model.input.text == "@Bob again")
        #expect(model.handle(.enter) == first)
    }

    @Test func messagesArrivingWhileScrolledUpAreReadOnReturningToTheNewest() {
        var model = chat()
        model.page = 10
        _ = model.handle(.pageUp)
        #expect(model.receive(message("while reading old ones")) == [])
        #expect(model.handle(.pageDown) == [.markRead(.room("general"))])
        #expect(model.receive(message("at the bottom")) == [.markRead(.room("general"))])
    }

    @Test func pagesScrollAndStopAtTheNewest() {
        var model = chat()
        model.page = 10
        _ = model.handle(.pageUp)
        _ = model.handle(.pageUp)
        #expect(model.scroll == 18)
        model.clampScroll(to: 12)
        #expect(model.scroll == 12)
        _ = model.handle(.pageDown)
        _ = model.handle(.pageDown)
        #expect(model.scroll == 0)
    }

    @Test func editAndDeleteActOnMyLastMessageHere() {
        var model = chat()
        #expect(model.handle(.text("/delete")) == [] && model.handle(.enter) == [])
        #expect(model.current.lines.last == .info("nothing of yours to delete here"))
        _ = model.receive(message("typo", from: meID, name: "Me", id: "\(meID)/4"))
        _ = model.receive(message("not mine"))
        model.type("/edit")
        _ = model.handle(.enter)
        #expect(model.input.text == "/edit typo", "the old text comes back to change")
        _ = model.handle(.backspace)
        model.type("e fixed")
        #expect(model.handle(.enter) == [.edit(id: "\(meID)/4", body: "type fixed")])
        model.type("/delete")
        #expect(model.handle(.enter) == [.delete(id: "\(meID)/4")])
    }

    @Test func editsAndDeletesArrivingChangeTheMessageInPlace() {
        var model = chat()
        _ = model.receive(message("old", id: "\(bobID)/1"))
        _ = model.receive(ChatEvent(type: .message, id: "\(bobID)/1", author: AuthorRef(id: bobID, name: "Bob"), body: "new", editedAt: "2026-11-29T10:16:00Z"))
        guard case .message(let edited) = model.current.lines.last else { Issue.record("no message"); return }
        #expect(edited.body == "new" && edited.editedAt != nil)
        _ = model.receive(ChatEvent(type: .message, id: "\(bobID)/1", author: AuthorRef(id: bobID, name: "Bob"), deleted: true))
        guard case .message(let deleted) = model.current.lines.last else { Issue.record("no message"); return }
        #expect(deleted.deleted == true && deleted.body == nil)
    }

    @Test func commandsThatAreNotOnesSayWhyAndSendNothing() {
        var model = chat()
        model.type("/frobnicate now")
        #expect(model.handle(.enter) == [])
        #expect(model.current.lines.last == .info("unknown command /frobnicate: /help lists them"))
        model.type("/join")
        #expect(model.handle(.enter) == [])
        #expect(model.current.lines.last == .info("usage: /join ROOM"))
        model.type("   ")
        #expect(model.handle(.enter) == [], "blank lines are not sent")
    }

    @Test func joinTakesOnlyARoomThatCanExistAndDoubleSlashSendsASlash() {
        var model = chat()
        model.type("/join Dev-Ops")
        #expect(model.handle(.enter) == [.load(.room("dev-ops")), .markRead(.room("dev-ops"))])
        model.type("/join foo bar")
        #expect(model.handle(.enter) == [])
        #expect(model.current.lines.last == .info("a room name is 1 to 64 of a-z, 0-9, '-', '_' and '.'"))
        #expect(model.conversations.map(\.title) == ["#dev-ops", "#general", "#ops"])
        model.type("//usr is full, @Bo")
        _ = model.handle(.tab)
        #expect(model.handle(.enter) == [
            .send(body: "/usr is full, @Bob ", room: "dev-ops", mentions: [MentionSpan(offset: 14, length: 4, id: bobID)]),
        ])
    }

    @Test func directMessagesHaveAConversationOfTheirOwn() {
        var model = chat()
        model.type("/dm alice")
        #expect(model.handle(.enter) == [.load(.direct(id: aliceID)), .markRead(.direct(id: aliceID))])
        model.type("psst")
        #expect(model.handle(.enter) == [.sendDirect(to: aliceID, body: "psst")])
        _ = model.handle(.nextRoom)
        let dm = ChatEvent(type: .dm, id: "\(aliceID)/2", author: AuthorRef(id: aliceID, name: "Alice"), body: "hey",
                           with: AuthorRef(id: aliceID, name: "Alice"))
        _ = model.receive(dm)
        let conversation = model.conversations.first { $0.target == .direct(id: aliceID) }
        #expect(conversation?.unread == 1 && conversation?.mentions == 1, "a direct message needs me like a mention")
    }

    @Test func renamesAskForNamesAgainAndCommandsMapToActions() {
        var model = chat()
        #expect(model.receive(ChatEvent(type: .profile, author: AuthorRef(id: bobID, name: "Robert"))) == [.refreshNames])
        let cases: [(String, [ChatAction])] = [
            ("/name New Me", [.rename("New Me")]), ("/who", [.who]), ("/alias bbbbbb Bobby B", [.alias(id: "bbbbbb", name: "Bobby B")]),
            ("/quit", [.quit]),
        ]
        for (line, actions) in cases {
            model.type(line)
            #expect(model.handle(.enter) == actions, "\(line)")
        }
        #expect(model.handle(.interrupt) == [.quit])
    }
}
