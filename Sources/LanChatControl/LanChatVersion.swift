/// The release of lanchat, which the daemon and the CLI both print for `--version`.
public enum LanChatVersion {
    public static let current = "0.1.0"
}
