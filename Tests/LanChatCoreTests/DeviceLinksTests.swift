@testable import LanChatCore
import Testing

/// Who is whom: devices become one person by mutual links, leave it by unlink, and a stolen device
/// cannot cut its owner off.
@Suite("device links")
struct DeviceLinksTests {
    static let desktopKey = try! identity(1), laptopKey = try! identity(2)
    static let desktop = desktopKey.id, laptop = laptopKey.id, phone = try! identity(3).id, other = try! identity(4).id, tablet = try! identity(5).id

    private func at(_ millis: UInt64) -> HybridTimestamp { HybridTimestamp(wallMillis: millis, counter: 0) }

    /// The desktop invited, the laptop joined: a link each way.
    private func linked() -> DeviceLinks {
        var links = DeviceLinks()
        links.apply(author: Self.laptop, content: .link(device: Self.desktop, role: .joined), at: at(10))
        links.apply(author: Self.desktop, content: .link(device: Self.laptop, role: .invited), at: at(11))
        return links
    }

    @Test func twoLinksMakeOnePersonNamedByTheInvitingDevice() {
        var links = DeviceLinks()
        let oneSide = links.apply(author: Self.laptop, content: .link(device: Self.desktop, role: .joined), at: at(10))
        #expect(!oneSide)
        #expect(links.person(of: Self.laptop) == Self.laptop, "one side alone links nothing")
        let bothSides = links.apply(author: Self.desktop, content: .link(device: Self.laptop, role: .invited), at: at(11))
        #expect(bothSides)
        #expect(links.person(of: Self.laptop) == Self.desktop && links.person(of: Self.desktop) == Self.desktop)
        #expect(links.devices(of: Self.laptop) == [Self.desktop, Self.laptop])
        #expect(links.person(of: Self.other) == Self.other)
    }

    @Test func anUnlinkedDeviceKeepsWhatItWroteBeforeWithThePerson() {
        var links = linked()
        let changed = links.apply(author: Self.desktop, content: .unlink(device: Self.laptop, lastSeq: 7), at: at(20))
        #expect(changed)
        #expect(links.person(of: Self.laptop, seq: 7) == Self.desktop)
        #expect(links.person(of: Self.laptop, seq: 8) == Self.laptop)
        #expect(links.person(of: Self.laptop) == Self.laptop)
        #expect(links.devices(of: Self.desktop) == [Self.desktop])
    }

    /// The thief's laptop unlinks the desktop, the owner's desktop unlinks the laptop: the desktop, linked
    /// earlier (it invited), wins, in whichever order the two entries arrive.
    @Test(arguments: [false, true])
    func whenTwoDevicesUnlinkEachOtherTheOneLinkedEarlierWins(ownerFirst: Bool) {
        var links = linked()
        let owner = (Self.desktop, EntryContent.unlink(device: Self.laptop, lastSeq: 5))
        let thief = (Self.laptop, EntryContent.unlink(device: Self.desktop, lastSeq: 9))
        for (author, content) in ownerFirst ? [owner, thief] : [thief, owner] { links.apply(author: author, content: content, at: at(30)) }
        #expect(links.person(of: Self.desktop) == Self.desktop)
        #expect(links.person(of: Self.laptop, seq: 6) == Self.laptop)
        #expect(links.person(of: Self.laptop, seq: 5) == Self.desktop)
    }

    @Test func onlyADeviceOfThePersonMayUnlinkOne() {
        var links = linked()
        let changed = links.apply(author: Self.other, content: .unlink(device: Self.laptop, lastSeq: 1), at: at(30))
        #expect(!changed)
        #expect(links.person(of: Self.laptop) == Self.desktop)
    }

    @Test func aThirdDeviceJoinsThePersonAndRanksAfterTheOthers() {
        var links = linked()
        links.apply(author: Self.phone, content: .link(device: Self.laptop, role: .joined), at: at(40))
        links.apply(author: Self.laptop, content: .link(device: Self.phone, role: .invited), at: at(41))
        #expect(links.devices(of: Self.phone) == [Self.desktop, Self.laptop, Self.phone])
        // The phone (joined last) and the laptop unlink each other: the laptop, linked earlier, wins.
        links.apply(author: Self.phone, content: .unlink(device: Self.laptop, lastSeq: 3), at: at(50))
        links.apply(author: Self.laptop, content: .unlink(device: Self.phone, lastSeq: 2), at: at(51))
        #expect(links.devices(of: Self.desktop) == [Self.desktop, Self.laptop])
        #expect(links.person(of: Self.phone) == Self.phone)
    }

    /// A stolen tablet, unlinked by the laptop (linked earlier), then unlinks the phone: that counts for
    /// nothing, whatever order the entries arrive in.
    @Test(arguments: [false, true])
    func anUnlinkedDeviceCannotUnlinkAnyOther(thiefFirst: Bool) {
        var links = linked()
        for (author, device, time) in [(Self.phone, Self.laptop, 40), (Self.tablet, Self.laptop, 42)] {
            links.apply(author: author, content: .link(device: device, role: .joined), at: at(UInt64(time)))
            links.apply(author: device, content: .link(device: author, role: .invited), at: at(UInt64(time + 1)))
        }
        #expect(links.devices(of: Self.desktop).count == 4)
        let owner = (Self.laptop, EntryContent.unlink(device: Self.tablet, lastSeq: 3))
        let thief = (Self.tablet, EntryContent.unlink(device: Self.phone, lastSeq: 0))
        for (author, content) in thiefFirst ? [thief, owner] : [owner, thief] { links.apply(author: author, content: content, at: at(60)) }
        #expect(links.devices(of: Self.desktop) == [Self.desktop, Self.laptop, Self.phone])
        #expect(links.person(of: Self.tablet) == Self.tablet)
    }

    /// Of two links one author signed for one device, the lower seq counts: every node agrees on ranks.
    @Test func theLowerSeqCountsWhateverArrivesFirst() {
        let entries: [(author: AuthorID, content: EntryContent, at: HybridTimestamp, seq: UInt64)] = [
            (Self.laptop, .link(device: Self.desktop, role: .joined), at(10), 4),
            (Self.desktop, .link(device: Self.laptop, role: .joined), at(5), 9),
            (Self.desktop, .link(device: Self.laptop, role: .invited), at(11), 3),
        ]
        var forward = DeviceLinks(), backward = DeviceLinks()
        forward.apply(entries)
        for entry in entries.reversed() { backward.apply([entry]) }
        #expect(forward == backward)
        #expect(forward.person(of: Self.laptop) == Self.desktop && backward.person(of: Self.laptop) == Self.desktop)
    }

    /// An author that signs links to thousands of devices counts for its lowest `maxPerAuthor`.
    @Test func anAuthorCountsForABoundedNumberOfDevices() throws {
        var links = DeviceLinks()
        let many = try (10..<(10 + DeviceLinks.maxPerAuthor + 8)).map { try identity(UInt8($0)).id }
        links.apply(many.enumerated().map { (Self.other, .link(device: $1, role: .invited), at(1), UInt64($0 + 1)) })
        let lastKept = many[DeviceLinks.maxPerAuthor - 1], firstDropped = many[DeviceLinks.maxPerAuthor]
        links.apply([(lastKept, .link(device: Self.other, role: .joined), at(2), 1), (firstDropped, .link(device: Self.other, role: .joined), at(2), 1)])
        #expect(links.person(of: lastKept) == Self.other)
        #expect(links.person(of: firstDropped) == firstDropped)
    }

    @Test func aPersonIsShownOnceWithItsNewestProfile() {
        var directory = IdentityDirectory(records: [
            Self.desktop: .init(name: "Alice", profileSeq: 1, profileAt: at(1)),
            Self.laptop: .init(name: "Alice Smith", profileSeq: 4, profileAt: at(50)),
            Self.other: .init(name: "Alice Smith", profileSeq: 1, profileAt: at(2)),
        ])
        #expect(directory.displayName(of: Self.laptop) == "Alice Smith (\(Self.laptop.short))")
        directory.applyLinks([
            Entry.sign(by: Self.laptopKey, seq: 5, timestamp: at(10), content: .link(device: Self.desktop, role: .joined)),
            Entry.sign(by: Self.desktopKey, seq: 2, timestamp: at(11), content: .link(device: Self.laptop, role: .invited)),
        ])
        #expect(directory.displayName(of: Self.desktop) == "Alice Smith (\(Self.desktop.short))", "the person, renamed on the laptop; another Alice Smith exists")
        #expect(directory.displayName(of: Self.laptop) == directory.displayName(of: Self.desktop))
        #expect(directory.find("alice") == [Self.desktop])
    }
}

@Suite("link codes")
struct LinkCodeTests {
    @Test func aCodeReadsBackAsTypedAndItsNumberDependsOnBothDevices() throws {
        let inviter = try identity(1).id, joiner = try identity(2).id, stranger = try identity(3).id
        let code = LinkCode.generate(for: inviter)
        #expect(code.description.hasPrefix(String(inviter.text.prefix(10)) + "-") && code.description.count == 15)
        #expect(LinkCode(text: " " + code.description.uppercased().replacingOccurrences(of: "-", with: "") + "\n") == code)
        let number = code.confirmation(inviter: inviter, joiner: joiner)
        #expect(number.count == 7 && number.filter(\.isNumber).count == 6)
        #expect(number == code.confirmation(inviter: inviter, joiner: joiner))
        #expect(number != code.confirmation(inviter: inviter, joiner: stranger))
        #expect(LinkCode(text: "k3j4m2xq7p-7qx") == nil && LinkCode(text: "k3j4m2xq7p-7qx1") == nil && LinkCode(text: "k3j4m2-7qxm") == nil)
    }
}

/// Names given on this machine (`lanchat alias`): they win, are marked, and a published name that
/// would pass for one is told apart.
@Suite("identity directory: names given here")
struct AliasTests {
    @Test func aGivenNameWinsAndALookAlikeOfItIsToldApart() throws {
        let boss = try identity(1).id, mallory = try identity(2).id, tilde = try identity(3).id
        var directory = IdentityDirectory(records: [
            boss: .init(name: "Robert", profileSeq: 1), mallory: .init(name: "Boss", profileSeq: 1),
            tilde: .init(name: "~Robert", profileSeq: 1),
        ])
        #expect(directory.displayName(of: mallory) == "Boss")
        directory.setAlias("Boss", for: boss)
        #expect(directory.displayName(of: boss) == "~Boss")
        #expect(directory.displayName(of: mallory) == "Boss (\(mallory.short))", "a published name equal to a given one is suffixed")
        #expect(directory.displayName(of: tilde) == "~Robert (\(tilde.short))", "the mark cannot be published")
        #expect(directory.find("boss") == [boss] && directory.find("~Boss") == [boss])
        directory.setAlias(nil, for: boss)
        #expect(directory.displayName(of: boss) == "Robert")
        #expect(directory.displayName(of: mallory) == "Boss")
    }
}
