import CDNSSD
import Dispatch

/// One DNS-SD operation: its `DNSServiceRef` and the read source that drives it from the discovery
/// queue, so the daemon's event loop never blocks and no thread is spent per browse or resolve.
/// `@unchecked Sendable`: both fields are immutable and `DispatchSource.cancel` is thread-safe.
final class DNSServiceOperation: @unchecked Sendable {
    private let ref: DNSServiceRef
    private let source: DispatchSourceRead

    /// Starts an operation whose `DNSService…` call has filled in `ref`; `onReadable` runs on `queue`.
    init(ref: DNSServiceRef, queue: DispatchQueue, onError: @escaping (DNSServiceErrorType) -> Void) {
        self.ref = ref
        source = DispatchSource.makeReadSource(fileDescriptor: DNSServiceRefSockFD(ref), queue: queue)
        source.setEventHandler {
            let status = DNSServiceProcessResult(ref)
            if status != kDNSServiceErr_NoError { onError(status) }
        }
        // The socket belongs to the ref: free it only once the source no longer watches it.
        source.setCancelHandler { DNSServiceRefDeallocate(ref) }
        source.resume()
    }

    func cancel() {
        source.cancel()
    }
}

extension DNSServiceErrorType {
    /// Plain words for the errors a person can act on.
    var explanation: String {
        switch Int(self) {
        // What Avahi's compatibility library reports when it cannot reach avahi-daemon over D-Bus.
        case Int(kDNSServiceErr_Unknown): "avahi-daemon is not running or not reachable over D-Bus"
        case Int(kDNSServiceErr_NameConflict): "name conflict"
        case Int(kDNSServiceErr_NoMemory): "out of memory"
        case Int(kDNSServiceErr_BadParam): "bad parameter"
        default: "DNS-SD error \(self)"
        }
    }
}
