import Logging

public struct DaemonConfiguration: Sendable {
    public var stateDirectory: String
    public var socketPath: String
    /// 0600 for a user's daemon; the system service passes 0660 so the `lanchat` group may connect.
    public var socketMode: UInt16
    public var port: Int
    public var bindAddress: String
    public var peers: [String]
    public var mdnsEnabled: Bool
    public var network: String
    public var logLevel: Logger.Level

    public init(
        stateDirectory: String, socketPath: String, socketMode: UInt16 = 0o600, port: Int = 7420,
        bindAddress: String = "0.0.0.0", peers: [String] = [], mdnsEnabled: Bool = true, network: String = "lanchat",
        logLevel: Logger.Level = .info
    ) {
        self.stateDirectory = stateDirectory
        self.socketPath = socketPath
        self.socketMode = socketMode
        self.port = port
        self.bindAddress = bindAddress
        self.peers = peers
        self.mdnsEnabled = mdnsEnabled
        self.network = network
        self.logLevel = logLevel
    }
}

public enum LanChatVersion {
    public static let current = "0.1.0"
}
