import LanChatChat
import LanChatControl
import Testing

/// Columns as a terminal gives them: 2 for East Asian wide characters, 0 for a lone combining mark.
let testWidth: CharacterWidth = { character in
    let scalar = character.unicodeScalars.first!
    if scalar.properties.generalCategory == .nonspacingMark { return 0 }
    return (0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value) || (0xAC00...0xD7A3).contains(scalar.value)
        || (0xF900...0xFAFF).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value) ? 2 : 1
}

/// Days and times straight from the UTC text.
let utcClock: ChatLayout.Clock = { text in
    guard text.count >= 16 else { return nil }
    return (String(text.prefix(10)), String(text.dropFirst(11).prefix(5)))
}

func layout(_ model: ChatModel, rows: Int = 12, columns: Int = 60) -> ChatLayout {
    ChatLayout(model: model, rows: rows, columns: columns, width: testWidth, clock: utcClock)
}

extension ChatLayout.Row {
    var text: String { spans.map(\.text).joined() }
}

@Suite("the chat's screen layout")
struct ChatLayoutTests {
    @Test func noRowIsWiderThanTheTerminalWithCJKAndCombiningMarks() {
        var model = chat()
        _ = model.receive(message(String(repeating: "漢字かな", count: 20) + " cafe\u{301} " + String(repeating: "e\u{301}", count: 80)))
        for columns in [60, 100, 41, 20] {
            let screen = layout(model, rows: 20, columns: columns)
            for row in screen.rows {
                #expect(row.spans.reduce(0) { $0 + $1.text.reduce(0) { $0 + testWidth($1) } } <= columns, "\(columns): \(row.text)")
            }
        }
        let text = layout(model, rows: 20, columns: 60).rows.map(\.text).joined()
        #expect(text.contains("e\u{301}e\u{301}"), "combining marks stay with their letter")
    }

    @Test func aDateLineSeparatesDaysAndMessagesSitAtTheBottom() {
        var model = chat()
        _ = model.receive(message("yesterday").with { $0.sentAt = "2026-11-28T23:00:00Z" })
        _ = model.receive(message("today").with { $0.sentAt = "2026-11-29T08:05:00Z" })
        let pane = layout(model).rows.prefix(10).map { row in row.text.firstIndex(of: "│").map { String(row.text[row.text.index(after: $0)...]) } ?? "" }
        let last = Array(pane.suffix(4))
        #expect(last[0].hasPrefix("─") && last[0].hasSuffix("─") && last[0].contains(" 2026-11-28 "), "\(pane)")
        #expect(last[1].hasPrefix("23:00 Bob: yesterday"))
        #expect(last[2].hasPrefix("─") && last[2].contains(" 2026-11-29 "))
        #expect(last[3].hasPrefix("08:05 Bob: today"))
        #expect(pane.prefix(6).allSatisfy { $0.trimmingCharacters().isEmpty }, "empty rows above, none below")
    }

    /// A line break of any kind starts an indented line: no text can pass for a message of its own.
    @Test func linesAfterAMessagesFirstAreIndented() {
        var model = chat()
        _ = model.receive(message("ok\r\n10:16 Boss: wire the money\rnow\u{2028}please"))
        let pane = layout(model).rows.prefix(10).map(\.text)
        #expect(pane.contains { $0.hasSuffix("│10:15 Bob: ok") }, "\(pane)")
        #expect(pane.contains { $0.hasSuffix("│      10:16 Boss: wire the money") })
        #expect(pane.contains { $0.hasSuffix("│      now") } && pane.contains { $0.hasSuffix("│      please") })
        #expect(!pane.joined().contains("\r"))
    }

    @Test func aMentionOfMeLightsUpAndOthersAreMarked() {
        var model = chat()
        let event = message("hi @Me and @Alice").with {
            $0.mentions = [MentionSpan(offset: 3, length: 3, id: meID, name: "Me"), MentionSpan(offset: 11, length: 6, id: aliceID, name: "Alice")]
        }
        _ = model.receive(event)
        let spans = layout(model).rows.flatMap(\.spans)
        #expect(spans.contains(Span("@Me", .highlight)))
        #expect(spans.contains(Span("@Alice", .mention)))
        #expect(spans.contains(Span("Bob", .author(AuthorColor.index(of: bobID)))))
    }

    @Test func theRoomsColumnShowsUnreadAndMentionsApart() {
        var model = chat()
        _ = model.receive(message("one", room: "ops"))
        _ = model.receive(message("@Me two", room: "ops", mentionsMe: true))
        let rows = layout(model).rows
        let ops = rows.first { $0.text.contains("#ops") }
        #expect(ops?.spans.first?.style == .highlight)
        #expect(ops?.spans.first?.text.hasSuffix(" 2 @1") == true, "\(String(describing: ops))")
        #expect(rows.first { $0.text.contains("#general") }?.spans.first?.style == .selectedRoom)
    }

    @Test func bigCountsStayInsideTheColumn() {
        var model = chat()
        model.setRooms([RoomInfo(name: "ops", messages: 20_000, lastAt: nil, unread: 12_345, mentions: 1_000)])
        for columns in [40, 48, 60] {
            let rows = layout(model, columns: columns).rows.prefix(10).map(\.text)
            let separators = Set(rows.compactMap { row in row.firstIndex(of: "│").map { row.distance(from: row.startIndex, to: $0) } })
            #expect(separators.count == 1, "\(columns): \(rows)")
            #expect(rows.contains { $0.contains("#") && $0.contains(" 999+") }, "the unread count shows, capped: \(rows)")
        }
    }

    @Test func theStatusLineSaysWhoWhereAndHowClosed() {
        var model = chat()
        model.status = ChatStatus(name: "Me", network: "office", peersOnline: 2, networkKey: true)
        let status = layout(model).rows[10].text
        #expect(status.hasPrefix(" Me · network office · 2 online · closed (network key)"), "\(status)")
        #expect(status.count == 60)
    }

    @Test func theInputLineScrollsSidewaysToKeepTheCursorInView() {
        var model = chat()
        model.type(String(repeating: "漢", count: 40))
        let screen = layout(model, columns: 50)
        #expect(screen.cursor.row == 11)
        #expect(screen.cursor.column <= 49 && screen.cursor.column >= 45)
        #expect(screen.rows[11].text.hasPrefix("> "))
    }

    @Test func scrollingShowsOlderLinesAndStopsAtTheTop() {
        var model = chat()
        for n in 1...30 { _ = model.receive(message("line \(n)", id: "\(bobID)/\(n)")) }
        model.page = layout(model).paneHeight
        _ = model.handle(.pageUp)
        let screen = layout(model)
        #expect(screen.rows.prefix(10).contains { $0.text.hasSuffix("Bob: line 12") })
        #expect(!screen.rows.prefix(10).contains { $0.text.hasSuffix("Bob: line 30") })
        #expect(screen.rows[10].text.contains("scrolled up"))
        #expect(screen.maxScroll >= model.scroll)
        for _ in 0..<5 {
            _ = model.handle(.pageUp)
            model.clampScroll(to: layout(model).maxScroll)
        }
        let top = layout(model)
        #expect(top.maxScroll == 31 - 10 && model.scroll == top.maxScroll, "30 messages and their date line, 10 rows shown")
        #expect(top.rows[0].text.contains(" 2026-11-29 ") && top.rows[1].text.hasSuffix("Bob: line 1"))
    }

    @Test func aConversationKeepsItsNewestLinesOnly() {
        var model = chat()
        for n in 1...(Conversation.maxLines + 10) { _ = model.receive(message("line \(n)", id: "\(bobID)/\(n)")) }
        #expect(model.current.lines.count == Conversation.maxLines)
        #expect(model.current.lines.first == .message(message("line 11", id: "\(bobID)/11")))
    }
}

extension String {
    func trimmingCharacters() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

}
