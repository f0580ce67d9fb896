import LanChatChat

/// What the chat's loop shows the model on, and reads keys from: the full screen, or plain lines on a
/// terminal that cannot address the cursor.
protocol ChatView: AnyObject {
    /// Waits until keys come, `otherFD` is readable, or `timeoutMillis` pass; answers the keys that came.
    func waitForKeys(otherFD: Int32, timeoutMillis: Int32) -> [ChatKey]
    /// Shows the model as it is now; may tell it the pane's height.
    func show(_ model: inout ChatModel)
}
