import CNcurses
@testable import LanChatTerminal
import Testing

@Suite("keys from get_wch")
struct KeyTests {
    static let altArrows = AltArrowCodes(up: [572, KEY_MAX + 0x1000], down: [531, KEY_MAX + 0x1001])

    @Test(arguments: [
        (KEY_ENTER, Key.enter), (KEY_BACKSPACE, .backspace), (KEY_DC, .delete),
        (KEY_LEFT, .left), (KEY_RIGHT, .right), (KEY_UP, .up), (KEY_DOWN, .down),
        (KEY_HOME, .home), (KEY_END, .end), (KEY_FIND, .home), (KEY_SELECT, .end), (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown),
        (KEY_RESIZE, .resize), (572, .previousRoom), (KEY_MAX + 0x1000, .previousRoom),
        (531, .nextRoom), (KEY_MAX + 0x1001, .nextRoom), (KEY_F0 + 1, .other), (KEY_BTAB, .other), (600, .other),
    ])
    func keyCodes(code: Int32, key: Key) {
        #expect(Key(code: UInt32(code), isKeyCode: true, altArrows: Self.altArrows) == key)
    }

    @Test(arguments: [
        (0x0D, Key.enter), (0x0A, .enter), (0x09, .tab), (0x7F, .backspace), (0x08, .backspace),
        (0x03, .interrupt), (0x0E, .nextRoom), (0x10, .previousRoom), (0x15, .killLine), (0x17, .deleteWord),
        (0x01, .home), (0x05, .end), (0x1B, .other), (0x00, .other), (0x1A, .other), (0x9B, .other),
        (0x61, .character("a")), (0x20, .character(" ")), (0xE9, .character("é")), (0x6F22, .character("漢")),
        (0x301, .character("\u{301}")), (0x1F600, .character("😀")), (0x110000, .other),
    ] as [(UInt32, Key)])
    func characters(code: UInt32, key: Key) {
        #expect(Key(code: code, isKeyCode: false, altArrows: Self.altArrows) == key)
    }

    /// A key code and a character with the same number are different keys.
    @Test func codeAndCharacterAreTellApart() {
        #expect(Key(code: UInt32(KEY_LEFT), isKeyCode: false, altArrows: Self.altArrows) == .character("Ą"))
        #expect(Key(code: 0x0D, isKeyCode: true, altArrows: Self.altArrows) == .other)
    }
}
