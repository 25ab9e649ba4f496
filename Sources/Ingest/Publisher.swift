import EventLoop
import HTTP

/// A publisher an edge worker handed over, whatever its protocol (`RTMPPublisher`, `RTSPPublisher`): what
/// `PublishInput` checks (one at a time, the stream's password, the `on_publish` backend) and then lets in or
/// refuses. Nothing is read from it before `startReading()` or `accept()`.
protocol Publisher: AnyObject {
    /// As the authorization backend knows it (`proto=`), and for the log.
    var proto: AuthBackendRequest.Proto { get }
    /// `ip:port`, for the log.
    var peer: String { get }
    /// The address alone (empty if the socket could not say).
    var peerIP: String { get }
    /// The stream it publishes to, as it asked for it.
    var streamName: String { get }
    /// `?password=` of its URL.
    var password: String? { get }
    /// `?token=` of its URL, for the backend.
    var token: String? { get }
    /// The loop its connection is on.
    var loop: EventLoop { get }
    /// Why the publisher stopped, for the input's `failed`.
    var onEnd: ((String) -> Void)? { get set }
    /// Starts reading before the decision, so that a publisher that leaves while a backend is asked ends (`onEnd`)
    /// instead of lingering; what it sends meanwhile is held (bounded) until `accept()`.
    func startReading() throws
    /// Lets the publish go on; media follows.
    func accept() throws
    /// Tells the publisher no, then closes. Nothing is read any more (the owner may let go of it at once).
    func refuse(_ refusal: PublishRefusal)
    /// Disconnects the publisher; no callback follows.
    func close()
}

/// Why a publisher is refused; each protocol says it its own way (an RTMP status code and text, an RTSP status).
enum PublishRefusal {
    /// The stream has a publisher already.
    case busy
    case wrongPassword
    /// The `on_publish` backend said no (or could not be asked): what to tell the publisher.
    case denied(String)
}

extension AuthBackendRequest.Proto {
    /// `RTMP`, `RTSP`: how log lines name the protocol.
    var label: String { rawValue.uppercased() }
}
