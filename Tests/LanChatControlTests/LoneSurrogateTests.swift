import LanChatControl
import Testing

/// A lone surrogate escape makes a JSON string that is not text: the daemon refuses it as `invalid`.
@Suite("control JSON: lone surrogate escapes")
struct LoneSurrogateTests {
    @Test(arguments: [
        (#"{"body":"a\ud800b"}"#, true), (#"{"body":"\udc00"}"#, true), (#"{"body":"\ud800"}"#, true),
        (#"{"body":"\ud800\u0041"}"#, true), (#"{"body":"\ud800\ud800\udc00"}"#, true), (#"{"body":"\uDBFF\\"}"#, true),
        (#"{"body":"\ud83d\ude00"}"#, false), (#"{"body":"\uD83D\uDE00 ok"}"#, false), (#"{"body":"\\ud800"}"#, false),
        (#"{"body":"\ufffd \u00e9 \n \" \\"}"#, false), (#"{"cmd":"whoami"}"#, false), ("", false),
    ])
    func finds(text: String, lone: Bool) {
        #expect(ControlJSON.escapesLoneSurrogate(text) == lone)
    }
}
