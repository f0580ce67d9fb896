import LanChatControl

/// The whole screen as rows of styled text, computed from the model for one terminal size: the rooms
/// column, the message pane (date lines, wrapped messages, scrolled), the status line and the input
/// line with its cursor. The view only paints it.
public struct ChatLayout: Sendable {
    public struct Row: Sendable, Equatable {
        /// Left to right, starting at column 0; the view clears what the spans leave.
        public var spans: [Span]
    }

    /// Where a message's time goes: the day it belongs to (for date lines) and the clock time shown.
    public typealias Clock = @Sendable (_ rfc3339: String) -> (day: String, time: String)?

    public let rows: [Row]
    public let cursor: (row: Int, column: Int)
    /// The pane's height in lines, for PgUp and PgDn.
    public let paneHeight: Int
    /// How far up the pane can scroll: as far as the conversation goes, or, when it holds more than
    /// the screen and the scroll need, at least as far as scrolled now.
    public let maxScroll: Int

    public init(model: ChatModel, rows height: Int, columns: Int, width: @escaping CharacterWidth, clock: Clock) {
        let height = max(height, 3)
        let columnWidth = columns >= 40 ? min(max(12, Self.longestTitle(model, width) + 7), columns / 4) : 0
        let paneWidth = max(columns - columnWidth - (columnWidth > 0 ? 1 : 0), 1)
        let paneHeight = height - 2
        let lines = Self.paneLines(
            model.current, model: model, needed: paneHeight + max(model.scroll, 0), columns: paneWidth, width: width, clock: clock)
        // Only as many lines as the view needs are made: the pane can scroll at least this far.
        let maxScroll = max(lines.count - paneHeight, 0)
        let scroll = min(model.scroll, maxScroll)
        let shown = Array(lines.dropLast(scroll).suffix(paneHeight))
        let column = Self.roomsColumn(model, width: columnWidth, height: paneHeight, measure: width)

        var rows: [Row] = []
        for index in 0..<paneHeight {
            var spans: [Span] = []
            if columnWidth > 0 {
                spans += column[index]
                spans.append(Span("│", .faint))
            }
            // Messages sit at the bottom of the pane, nearest the input line, as in every chat.
            let line = index - (paneHeight - shown.count)
            if line >= 0 { spans += shown[line] }
            rows.append(Row(spans: spans))
        }
        rows.append(Row(spans: [Span(Self.statusText(model, scrolled: scroll > 0, columns: columns, width: width), .statusLine)]))
        let (inputText, cursorColumn) = Self.inputLine(model.input, columns: columns, width: width)
        rows.append(Row(spans: [Span(inputText)]))
        self.rows = rows
        self.cursor = (height - 1, cursorColumn)
        self.paneHeight = paneHeight
        self.maxScroll = maxScroll
    }

    // MARK: Rooms column

    private static func longestTitle(_ model: ChatModel, _ width: CharacterWidth) -> Int {
        model.conversations.map { StyledText.width(label($0), width) }.max() ?? 0
    }

    private static func label(_ conversation: Conversation) -> String {
        conversation.target.room == nil ? "@\(conversation.title)" : conversation.title
    }

    private static func roomsColumn(_ model: ChatModel, width: Int, height: Int, measure: CharacterWidth) -> [[Span]] {
        var column: [[Span]] = []
        for (index, conversation) in model.conversations.enumerated() {
            let unread = conversation.unread > 0 ? " \(count(conversation.unread))" : ""
            // A direct message is for me anyway: its count alone, lit up like a mention.
            let mentions = conversation.mentions > 0 && conversation.target.room != nil ? " @\(count(conversation.mentions))" : ""
            // The counts first, and whole: a column too narrow for both keeps the unread (the row is lit up
            // for mentions anyway), and as much of the title as fits.
            let badge = [unread + mentions, unread, ""].first { $0.count <= width - 2 } ?? ""
            let title = StyledText.fit(label(conversation), columns: max(width - 1 - badge.count, 0), measure)
            let gap = max(width - 1 - StyledText.width(title, measure) - badge.count, 0)
            let style: ChatStyle =
                index == model.selected ? .selectedRoom
                : conversation.mentions > 0 ? .highlight : conversation.unread > 0 ? .unreadRoom : .plain
            column.append([Span(" " + title + String(repeating: " ", count: gap) + badge, style)])
        }
        // The open conversation stays in view when there are more than fit.
        let first = min(max(model.selected - height + 1, 0), max(column.count - height, 0))
        let visible = Array(column.dropFirst(first).prefix(height))
        return visible + Array(repeating: [Span(String(repeating: " ", count: width))], count: height - visible.count)
    }

    private static func count(_ number: Int) -> String { number > 999 ? "999+" : "\(number)" }

    // MARK: Message pane

    /// The last `needed` lines of a conversation (all, when it has fewer), worked out from the newest
    /// back: a chat open all day holds thousands of messages, and each key redraws the screen.
    static func paneLines(
        _ conversation: Conversation, model: ChatModel, needed: Int, columns: Int, width: CharacterWidth, clock: Clock
    ) -> [[Span]] {
        var blocks: [[[Span]]] = []
        var count = 0
        var index = conversation.lines.endIndex
        // Each message's time is read once per layout: its block needs it, and so does the block after it.
        var readings: [Int: (day: String, time: String)?] = [:]
        func when(_ line: Int) -> (day: String, time: String)? {
            if let known = readings[line] { return known }
            guard case .message(let event) = conversation.lines[line] else { return nil }
            let reading = event.sentAt.flatMap(clock)
            readings[line] = reading
            return reading
        }
        while index > conversation.lines.startIndex, count < needed {
            index -= 1
            let block = lineBlock(conversation.lines, at: index, model: model, columns: columns, width: width, when: when)
            count += block.count
            blocks.append(block)
        }
        return blocks.reversed().flatMap { $0 }
    }

    /// One line of the conversation as rows: wrapped, after a date line where its day begins.
    private static func lineBlock(
        _ lines: [ChatLine], at index: Int, model: ChatModel, columns: Int, width: CharacterWidth,
        when: (Int) -> (day: String, time: String)?
    ) -> [[Span]] {
        guard case .message(let event) = lines[index] else {
            guard case .info(let text) = lines[index] else { return [] }
            return StyledText.wrap([Span("-- " + text, .info)], columns: columns, indent: 3, width: width)
        }
        let reading = when(index)
        var rows: [[Span]] = []
        if let day = reading?.day, day != previousDay(lines, before: index, when: when) {
            let label = " \(day) "
            let side = max((columns - StyledText.width(label, width)) / 2, 0)
            rows.append([Span(String(repeating: "─", count: side) + label + String(repeating: "─", count: side), .dateLine)])
        }
        let stamp = (reading?.time ?? "--:--") + " "
        let spans = [Span(stamp, .faint)] + messageSpans(event, model: model)
        return rows + StyledText.wrap(spans, columns: columns, indent: StyledText.width(stamp, width), width: width)
    }

    private static func previousDay(_ lines: [ChatLine], before index: Int, when: (Int) -> (day: String, time: String)?) -> String? {
        for line in lines[..<index].indices.reversed() {
            if case .message = lines[line] { return when(line)?.day }
        }
        return nil
    }

    /// A message as spans: the author in their colour, the body with mentions marked (mine lit up).
    static func messageSpans(_ event: ChatEvent, model: ChatModel) -> [Span] {
        var spans = [Span(event.author.name, .author(AuthorColor.index(of: event.author.id))), Span(": ")]
        if event.deleted == true { return spans + [Span("(message deleted)", .faint)] }
        let body = Array((event.body ?? "").utf8)
        var copied = 0
        for mention in event.mentions ?? [] where mention.offset >= copied && mention.offset + mention.length <= body.count {
            spans.append(Span(String(decoding: body[copied..<mention.offset], as: UTF8.self)))
            let style: ChatStyle = model.isMe(mention.id) ? .highlight : .mention
            spans.append(Span(String(decoding: body[mention.offset..<(mention.offset + mention.length)], as: UTF8.self), style))
            copied = mention.offset + mention.length
        }
        spans.append(Span(String(decoding: body[copied...], as: UTF8.self)))
        if event.editedAt != nil { spans.append(Span(" (edited)", .faint)) }
        return spans.filter { !$0.text.isEmpty }
    }

    // MARK: Status and input

    private static func statusText(_ model: ChatModel, scrolled: Bool, columns: Int, width: CharacterWidth) -> String {
        let status = model.status
        var parts = [status.name, "network \(status.network)", "\(status.peersOnline) online", status.networkKey ? "closed (network key)" : "open network"]
        if scrolled { parts.append("scrolled up: PgDn for newer") }
        let text = " " + parts.joined(separator: " · ")
        let fitted = StyledText.fit(text, columns: columns, width)
        return fitted + String(repeating: " ", count: max(columns - StyledText.width(fitted, width), 0))
    }

    /// The prompt and the text, scrolled sideways so the cursor stays on screen.
    private static func inputLine(_ input: InputLine, columns: Int, width: CharacterWidth) -> (String, Int) {
        let prompt = "> "
        let room = max(columns - prompt.count - 1, 1)
        let beforeCursor = input.characters[..<input.cursor]
        var skipped = 0
        var shift = max(StyledText.width(String(beforeCursor), width) - room, 0)
        while shift > 0, skipped < beforeCursor.count {
            shift -= max(width(input.characters[skipped]), 0)
            skipped += 1
        }
        let visible = String(input.characters[skipped...])
        let cursor = prompt.count + StyledText.width(String(input.characters[skipped..<input.cursor]), width)
        return (prompt + StyledText.fit(visible, columns: room, width), cursor)
    }
}
