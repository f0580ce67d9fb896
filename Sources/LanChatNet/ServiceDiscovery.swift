import CDNSSD
import Dispatch
import Glibc
import LanChatCore

public enum DiscoveryEvent: Sendable, Equatable {
    case found(instance: String, address: PeerAddress, advert: ServiceAdvert)
    case lost(instance: String)
    /// `active` or `unavailable: <reason>`; sent on every change.
    case stateChanged(String)
}

/// Registers this node as `_lanchat._tcp` and browses for the others through Avahi's DNS-SD
/// compatibility library. When Avahi is missing or stops, it reports `unavailable` and retries in
/// the background; the node keeps working through `--peer` and peer exchange meanwhile.
///
/// `@unchecked Sendable`: every mutable field is touched only on `queue` (the DNS-SD callbacks run
/// there too, from `DNSServiceProcessResult`).
public final class ServiceDiscovery: @unchecked Sendable {
    public static let retryInterval: DispatchTimeInterval = .seconds(3)
    /// How long an AAAA answer waits for an A answer to the same name. A host with both is reached over
    /// IPv4, which needs no zone and reaches it from any link (Avahi also gives A records only over IPv4,
    /// and AAAA over both: a node on IPv4 alone may hear AAAA records it cannot use).
    static let ipv4Grace: DispatchTimeInterval = .milliseconds(300)

    public let events: AsyncStream<DiscoveryEvent>
    private let continuation: AsyncStream<DiscoveryEvent>.Continuation
    private let queue = DispatchQueue(label: "lanchat.dnssd")
    private let advert: ServiceAdvert
    private let port: UInt16
    private var displayName: String
    /// A closed network's instance name (`ServiceAdvert.opaqueInstanceName()`), drawn once per start.
    private let opaqueName = ServiceAdvert.opaqueInstanceName()
    private var registration: DNSServiceOperation?
    private var browse: DNSServiceOperation?
    private var resolving: [String: Lookup] = [:]
    private var found: Set<String> = []
    private var visible: [String: (PeerAddress, ServiceAdvert)] = [:]
    private var seesItself = false
    private var currentState = "starting" {
        didSet {
            if currentState != oldValue { continuation.yield(.stateChanged(currentState)) }
        }
    }
    private var retryScheduled = false
    private var stopped = false

    /// A resolve, then an address query, for one instance. Touched only on `queue`, like the rest.
    private final class Lookup: @unchecked Sendable {
        let instance: String
        let interfaceIndex: UInt32
        weak var owner: ServiceDiscovery?
        /// The resolve, then the A and AAAA queries.
        var operations: [DNSServiceOperation] = []
        var port: UInt16 = 0
        var advert: ServiceAdvert?
        /// An AAAA answer came: it is used if no A answer comes within `ipv4Grace`, and later ones are not.
        var ipv6Waiting = false

        init(instance: String, interfaceIndex: UInt32, owner: ServiceDiscovery) {
            self.instance = instance
            self.interfaceIndex = interfaceIndex
            self.owner = owner
        }
    }

    public init(advert: ServiceAdvert, port: UInt16, displayName: String) {
        self.advert = advert
        self.port = port
        self.displayName = displayName
        (events, continuation) = AsyncStream.makeStream(of: DiscoveryEvent.self, bufferingPolicy: .bufferingNewest(1024))
    }

    /// `active`, or `unavailable: <reason>` (with retries running), as `lanchat status` shows it.
    public var state: String { queue.sync { currentState } }

    /// What DNS-SD shows right now, for `lanchat doctor`.
    public struct Snapshot: Sendable {
        public let state: String
        public let announcedAs: String
        /// Our own announcement came back through the network: multicast works here.
        public let seesItself: Bool
        /// Every resolved lanchat service, of any network, but ours.
        public let services: [(instance: String, address: PeerAddress, advert: ServiceAdvert)]
    }

    public func snapshot() -> Snapshot {
        queue.sync {
            Snapshot(
                state: currentState, announcedAs: instanceName,
                seesItself: seesItself, services: visible.sorted { $0.key < $1.key }.map { ($0.key, $0.value.0, $0.value.1) })
        }
    }

    /// What this node announces itself as: its name on an open network, nothing on a closed one.
    private var instanceName: String {
        if let id = advert.id { return ServiceAdvert.instanceName(displayName: displayName, id: id) }
        return opaqueName
    }

    public func start() {
        queue.async { self.attempt() }
    }

    public func rename(to name: String) {
        queue.async {
            guard name != self.displayName else { return }
            self.displayName = name
            guard self.advert.id != nil else { return }
            guard self.registration != nil else { return }
            self.registration?.cancel()
            self.registration = nil
            if let error = self.register() { self.fail(error.explanation) }
        }
    }

    public func stop() {
        queue.sync {
            stopped = true
            tearDown()
            continuation.finish()
        }
    }

    // MARK: On the queue

    private func attempt() {
        retryScheduled = false
        guard !stopped else { return }
        if let error = register() ?? startBrowse() {
            fail(error.explanation)
        } else {
            currentState = "active"
        }
    }

    private func register() -> DNSServiceErrorType? {
        var ref: DNSServiceRef?
        let txt = advert.txtRecord
        let name = instanceName
        let context = Unmanaged.passUnretained(self).toOpaque()
        let status = txt.withUnsafeBytes { buffer in
            DNSServiceRegister(
                &ref, 0, 0, name, ServiceAdvert.serviceType, nil, nil, port.bigEndian, UInt16(buffer.count),
                buffer.baseAddress, { _, _, errorCode, _, _, _, context in
                    guard errorCode != kDNSServiceErr_NoError, let context else { return }
                    Unmanaged<ServiceDiscovery>.fromOpaque(context).takeUnretainedValue().fail(errorCode.explanation)
                }, context)
        }
        guard status == kDNSServiceErr_NoError, let ref else { return status }
        registration = DNSServiceOperation(ref: ref, queue: queue) { [weak self] in self?.fail($0.explanation) }
        return nil
    }

    private func startBrowse() -> DNSServiceErrorType? {
        var ref: DNSServiceRef?
        let context = Unmanaged.passUnretained(self).toOpaque()
        let status = DNSServiceBrowse(
            &ref, 0, 0, ServiceAdvert.serviceType, nil, { _, flags, interfaceIndex, errorCode, name, _, _, context in
                guard let context else { return }
                let discovery = Unmanaged<ServiceDiscovery>.fromOpaque(context).takeUnretainedValue()
                guard errorCode == kDNSServiceErr_NoError else { return discovery.fail(errorCode.explanation) }
                guard let name else { return }
                discovery.browsed(String(cString: name), added: flags & DNSServiceFlags(kDNSServiceFlagsAdd) != 0, interfaceIndex: interfaceIndex)
            }, context)
        guard status == kDNSServiceErr_NoError, let ref else { return status }
        browse = DNSServiceOperation(ref: ref, queue: queue) { [weak self] in self?.fail($0.explanation) }
        return nil
    }

    private func browsed(_ instance: String, added: Bool, interfaceIndex: UInt32) {
        if added {
            guard resolving[instance] == nil, !found.contains(instance) else { return }
            let lookup = Lookup(instance: instance, interfaceIndex: interfaceIndex, owner: self)
            resolving[instance] = lookup
            resolve(lookup)
        } else {
            resolving.removeValue(forKey: instance)?.operations.forEach { $0.cancel() }
            visible[instance] = nil
            if found.remove(instance) != nil { continuation.yield(.lost(instance: instance)) }
        }
    }

    private func resolve(_ lookup: Lookup) {
        var ref: DNSServiceRef?
        let context = Unmanaged.passUnretained(lookup).toOpaque()
        let status = DNSServiceResolve(
            &ref, 0, lookup.interfaceIndex, lookup.instance, ServiceAdvert.serviceType, "local.",
            { _, _, _, errorCode, _, host, port, txtLength, txt, context in
                guard let context else { return }
                let lookup = Unmanaged<Lookup>.fromOpaque(context).takeUnretainedValue()
                guard errorCode == kDNSServiceErr_NoError, let host, let txt else { return }
                let record = Array(UnsafeBufferPointer(start: txt, count: Int(txtLength)))
                lookup.owner?.resolved(lookup, host: String(cString: host), port: UInt16(bigEndian: port), txt: record)
            }, context)
        guard status == kDNSServiceErr_NoError, let ref else {
            resolving[lookup.instance] = nil
            return
        }
        lookup.operations = [DNSServiceOperation(ref: ref, queue: queue) { [weak self] in self?.fail($0.explanation) }]
    }

    private func resolved(_ lookup: Lookup, host: String, port: UInt16, txt: [UInt8]) {
        // A second answer before the resolve is cancelled must not start a second query.
        guard resolving[lookup.instance] === lookup, lookup.advert == nil else { return }
        finish(lookup.operations, of: lookup)
        // Itself: by its ID on an open network, by its opaque instance name on a closed one.
        let advert = ServiceAdvert(txtRecord: txt)
        let itself = lookup.instance == instanceName || (advert?.id != nil && advert?.id == self.advert.id)
        guard let advert, !itself else {
            if itself { seesItself = true }
            resolving[lookup.instance] = nil
            return
        }
        lookup.port = port
        lookup.advert = advert
        lookup.operations = []
        for type in [kDNSServiceType_A, kDNSServiceType_AAAA] {
            var ref: DNSServiceRef?
            let context = Unmanaged.passUnretained(lookup).toOpaque()
            let status = DNSServiceQueryRecord(
                &ref, 0, lookup.interfaceIndex, host, UInt16(type), UInt16(kDNSServiceClass_IN),
                { _, flags, interfaceIndex, errorCode, _, _, _, length, data, _, context in
                    guard let context, errorCode == kDNSServiceErr_NoError, flags & DNSServiceFlags(kDNSServiceFlagsAdd) != 0, let data,
                        let host = ServiceDiscovery.host(UnsafeRawBufferPointer(start: data, count: Int(length)), interfaceIndex: interfaceIndex)
                    else { return }
                    let lookup = Unmanaged<Lookup>.fromOpaque(context).takeUnretainedValue()
                    lookup.owner?.addressed(lookup, host: host)
                }, context)
            guard status == kDNSServiceErr_NoError, let ref else { continue }
            lookup.operations.append(DNSServiceOperation(ref: ref, queue: queue) { [weak self] in self?.fail($0.explanation) })
        }
        if lookup.operations.isEmpty { resolving[lookup.instance] = nil }
    }

    /// An A record's address, or an AAAA record's, with the zone of the interface it was heard on if it
    /// is link-local; nil for any other record.
    private static func host(_ record: UnsafeRawBufferPointer, interfaceIndex: UInt32) -> String? {
        let family = record.count == 4 ? AF_INET : record.count == 16 ? AF_INET6 : -1
        guard family >= 0 else { return nil }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, record.baseAddress, &text, socklen_t(text.count)) != nil else { return nil }
        let address = String(cString: text)
        guard family == AF_INET6, record[0] == 0xfe, record[1] & 0xc0 == 0x80 else { return address }
        return address + "%" + InterfaceAddresses.name(of: interfaceIndex)
    }

    private func addressed(_ lookup: Lookup, host: String) {
        guard resolving[lookup.instance] === lookup, lookup.advert != nil else { return }
        let address = PeerAddress(host: host, port: lookup.port)
        guard !host.contains(":") else {
            guard !lookup.ipv6Waiting else { return }
            lookup.ipv6Waiting = true
            queue.asyncAfter(deadline: .now() + Self.ipv4Grace) { [weak self, lookup] in self?.discovered(lookup, at: address) }
            return
        }
        discovered(lookup, at: address)
    }

    private func discovered(_ lookup: Lookup, at address: PeerAddress) {
        guard resolving[lookup.instance] === lookup, let advert = lookup.advert else { return }
        finish(lookup.operations, of: lookup)
        resolving[lookup.instance] = nil
        found.insert(lookup.instance)
        visible[lookup.instance] = (address, advert)
        continuation.yield(.found(instance: lookup.instance, address: address, advert: advert))
    }

    /// Cancelled after the callback that ends them returns (a ref is not freed from inside its own
    /// callback); the closure keeps the lookup, the callbacks' context, alive until no callback can come.
    private func finish(_ operations: [DNSServiceOperation], of lookup: Lookup) {
        queue.async { [lookup] in
            operations.forEach { $0.cancel() }
            withExtendedLifetime(lookup) {}
        }
    }

    private func fail(_ reason: String) {
        tearDown()
        currentState = "unavailable: \(reason)"
        guard !stopped, !retryScheduled else { return }
        retryScheduled = true
        queue.asyncAfter(deadline: .now() + Self.retryInterval) { self.attempt() }
    }

    private func tearDown() {
        registration?.cancel()
        browse?.cancel()
        registration = nil
        browse = nil
        for lookup in resolving.values { lookup.operations.forEach { $0.cancel() } }
        resolving.removeAll()
        for instance in found { continuation.yield(.lost(instance: instance)) }
        found.removeAll()
        visible.removeAll()
        seesItself = false
    }
}
