/// One finding of `lanchat doctor`: what was checked, how it went, and what to do about it.
public struct DoctorCheck: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case ok, warning, problem
    }

    public var check: String
    public var status: Status
    public var detail: String
    public var fix: String?
    public var items: [String]?

    public init(check: String, status: Status, detail: String, fix: String? = nil, items: [String]? = nil) {
        self.check = check
        self.status = status
        self.detail = detail
        self.fix = fix
        self.items = items
    }
}
