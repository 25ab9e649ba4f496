import Media

/// A source the ingest worker pulls from (UDP, HTTP MPEG-TS, the built-in fake picture). It delivers frames with
/// their track, in Media's canonical form, and says when it opened, and when it failed or ended. An input is used
/// once: a reconnect makes a new one.
public protocol IngestInput: AnyObject {
    /// Starts connecting or listening. Errors that happen at once (a bad address, a port in use) are thrown.
    func start() throws
    /// Closes every handle; no callback runs after it.
    func stop()
}

/// What an input that delivers MPEG-TS bytes (UDP, HTTP) reports: its owner demuxes (the ingest worker) or analyses
/// (`sluice inspect`) them. Called on the owner's loop.
public struct TransportStreamEvents {
    /// The source is delivering (an HTTP 200, a bound UDP socket).
    public var opened: () -> Void
    /// Transport stream bytes (RTP headers already stripped); valid only during the call.
    public var bytes: (UnsafeRawBufferPointer) -> Void
    /// The source failed or ended, with the reason.
    public var failed: (String) -> Void
    /// Something the operator should know that is not a failure (how a socket is read), for the log.
    public var notice: (String) -> Void

    public init(opened: @escaping () -> Void, bytes: @escaping (UnsafeRawBufferPointer) -> Void,
                failed: @escaping (String) -> Void, notice: @escaping (String) -> Void = { _ in }) {
        self.opened = opened
        self.bytes = bytes
        self.failed = failed
        self.notice = notice
    }
}

/// What an input that delivers frames (the fake picture) reports to the worker that owns it.
struct IngestInputEvents {
    /// The source is delivering (an HTTP 200, a bound UDP socket, the fake clip).
    var opened: () -> Void
    /// A frame; the payload is valid only during the call.
    var frame: (Track, FrameInfo, UnsafeRawBufferPointer) -> Void
    /// The source failed or ended, with the reason for the log and `sluice ctl streams`.
    var failed: (String) -> Void
}
