/// What the status line says: who I am, where, with how many others, and whether the network is closed.
public struct ChatStatus: Sendable, Equatable {
    public var name = ""
    public var network = ""
    public var peersOnline = 0
    public var networkKey = false

    public init(name: String = "", network: String = "", peersOnline: Int = 0, networkKey: Bool = false) {
        self.name = name
        self.network = network
        self.peersOnline = peersOnline
        self.networkKey = networkKey
    }
}
