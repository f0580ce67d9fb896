import LanChatControl

/// Invariants of the control protocol's request side: every line gets exactly one answer, a
/// well-formed command survives the JSON round trip, every answer is one line of JSON, and the
/// direct reader (`ControlCommand(jsonLine:)`) reads every line it reads as `JSONDecoder` does.
///
/// The daemon's line splitting (`LineFrameDecoder`) and its mapping of decode errors to answers
/// (`ControlServer.decode`) are internal to LanChatDaemon, which needs NIO; `ControlLines` and
/// `answer(to:)` follow them step for step, so the JSON decoding is reached as the daemon reaches it.
enum ControlChecks {
    /// Accepted when every line of the stream is a command the daemon would act on.
    static func stream(_ bytes: [UInt8]) throws(FuzzViolation) -> FuzzOutcome {
        let lines = ControlLines.split(bytes, maxLength: ControlLimits.maxRequestBytes)
        var accepted = !lines.isEmpty
        for line in lines {
            if case .text(let text) = line { try checkDirectReading(text) }
            let response: ControlResponse
            switch answer(to: line) {
            case .success(let command):
                try check(command)
                response = ControlResponse()
            case .failure(let failure):
                accepted = false
                response = ControlResponse(failure)
            }
            let wire = ControlJSON.encode(response)
            try expect(!wire.utf8.contains(UInt8(ascii: "\n")), "an answer is more than one line")
            try expect((try? ControlJSON.decode(ControlResponse.self, from: wire)) == response, "an answer does not decode back")
        }
        return accepted ? .accepted : .refused
    }

    /// What `ControlServer` makes of one line: a command, or the failure it answers with.
    static func answer(to line: ControlLine) -> Result<ControlCommand, ControlFailure> {
        switch line {
        case .oversized:
            return .failure(ControlFailure(.tooLarge, "request longer than \(ControlLimits.maxRequestBytes) bytes"))
        case .text(let text):
            do {
                return .success(try ControlCommand(requestLine: text))
            } catch let failure as ControlFailure {
                return .failure(failure)
            } catch {
                return .failure(ControlFailure(.badJSON, "request is not a JSON object with a \"cmd\" string and well-typed fields"))
            }
        }
    }

    /// A line the direct reader reads, to a command or to a failure, `JSONDecoder` reads the same.
    static func checkDirectReading(_ text: String) throws(FuzzViolation) {
        let direct: Result<ControlCommand, ControlFailure>
        do {
            guard let command = try ControlCommand(jsonLine: text) else { return }
            direct = .success(command)
        } catch {
            direct = .failure(error)
        }
        let decoded: Result<ControlCommand, ControlFailure>?
        do {
            decoded = .success(try ControlJSON.decode(ControlCommand.self, from: text))
        } catch let failure as ControlFailure {
            decoded = .failure(failure)
        } catch {
            decoded = nil
        }
        try expect(decoded == direct, "the direct reader reads \(text) as \(direct), JSONDecoder as \(String(describing: decoded))")
        // Bytes too: strings that differ only in how an accent is composed compare equal.
        if case .success(let command) = direct, case .success(let other)? = decoded {
            try expect(command.jsonLine == other.jsonLine, "the direct reader and JSONDecoder read \(text) into different bytes")
        }
    }

    /// A command survives encoding and decoding, on one line, as a client sends it.
    static func check(_ command: ControlCommand) throws(FuzzViolation) {
        let wire = ControlJSON.encode(command)
        try expect(!wire.utf8.contains(UInt8(ascii: "\n")), "a command encodes to more than one line")
        try expect((try? ControlJSON.decode(ControlCommand.self, from: wire)) == command, "\(command) does not survive the JSON round trip")
        try expect(command.jsonLine == Array((wire + "\n").utf8), "\(command): the direct writer and JSONEncoder disagree")
    }
}

/// One line of the control stream as the daemon's `LineFrameDecoder` delivers it.
enum ControlLine: Equatable {
    case text(String)
    /// Longer than the limit; its bytes are discarded up to the next newline.
    case oversized
}

enum ControlLines {
    /// The lines of a whole stream, received at once and then closed: each newline ends a line, a
    /// last line without one is still answered, a line over `maxLength` bytes is `oversized`.
    /// Bytes become text as NIO's `ByteBuffer.getString` makes them (invalid UTF-8 repaired).
    static func split(_ bytes: [UInt8], maxLength: Int) -> [ControlLine] {
        var lines: [ControlLine] = []
        var pieces = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if pieces.last?.isEmpty == true { pieces.removeLast() }
        for piece in pieces {
            lines.append(piece.count > maxLength ? .oversized : .text(String(decoding: piece, as: UTF8.self)))
        }
        return lines
    }
}
