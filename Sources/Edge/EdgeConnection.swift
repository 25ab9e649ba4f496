import EventLoop
import Log

/// What a connection on an edge's RTMP or RTSP port is, whatever its protocol: the socket and its peer, reads that
/// count as activity, the idle sweep of connections that neither play nor were handed over, writes that close the
/// connection when they fail, and the handover of a publisher's socket to its ingest worker. The protocol's subclass
/// (`RTMPEdgeConnection`, `RTSPEdgeConnection`) drives its session with what `startReading` delivers, says when it
/// plays, and stops playing in its `close()` before calling this one.
class EdgeConnection {
    let connection: TCPConnection
    /// `ip:port`, for the log.
    let peer: String
    /// The address alone (empty if the socket could not say).
    let peerIP: String
    let log: Logger
    /// `RTMP`, `RTSP`: how log lines name the protocol.
    let label: String
    private let onClose: (EdgeConnection) -> Void
    private var lastActivity: UInt64
    /// Set once a publisher's socket is on its way to its ingest worker: nothing is read or written here any more.
    private(set) var handedOver = false

    init(connection: TCPConnection, label: String, now: UInt64, log: Logger, onClose: @escaping (EdgeConnection) -> Void) {
        self.connection = connection
        let address = try? connection.peerAddress()
        self.peer = address?.description ?? "?"
        self.peerIP = address?.ip ?? ""
        self.label = label
        self.lastActivity = now
        self.log = log
        self.onClose = onClose
    }

    /// Starts reading: every read counts as activity and goes to `received(_:)`. Nagle's algorithm is off: a
    /// player's acknowledgement is answered with more media at once, and with it on the server's next segment would
    /// wait for the player's delayed ACK (measured with RTMP: a 24 ms stall once per window).
    func start() throws {
        try connection.setNoDelay(true)
        try connection.startReading(onData: { [unowned self] bytes in
            lastActivity = connection.loop.now
            received(bytes)
        }, onEnd: { [unowned self] _ in close() })
    }

    /// What was read, for the protocol's session (the subclass overrides it).
    func received(_ bytes: UnsafeRawBufferPointer) {}

    /// Whether the connection plays a stream: the idle sweep leaves it alone.
    var isPlaying: Bool { false }

    /// Closes a connection that has been neither playing nor handed over for `idleMs`.
    func sweep(now: UInt64, idleMs: UInt64) {
        if !isPlaying && !handedOver && now - lastActivity > idleMs {
            log.info("\(peer): \(label) connection idle for \(idleMs / 1000) s, closed")
            close()
        }
    }

    func close() {
        guard !connection.isClosing else { return }
        connection.close()
        onClose(self)
    }

    /// After the session's `.close`: what was queued (an error status) goes first; then the socket closes.
    func closeAfterWrites(_ reason: String) {
        log.info("\(peer): \(label) connection closed: \(reason)")
        do { try connection.shutdown { [weak self] _ in self?.close() } } catch { close() }
    }

    var writeQueueSize: Int { connection.writeQueueSize }

    /// Queues bytes shared with other viewers (a channel's media).
    func write(_ bytes: SharedBytes) {
        do { try connection.write(bytes) } catch { close() }
    }

    /// Queues bytes of this connection's own (copied).
    func write(_ bytes: [UInt8]) {
        do { try connection.write(bytes) } catch { close() }
    }

    /// Passes a publisher's socket on. Reading stops; once every byte this side wrote has left, so that the ingest
    /// worker's first bytes come after the edge's last, `pass` is called: it sends the descriptor (with the session's
    /// state) and calls back, and this side's handle is closed. A publisher that leaves before is closed here.
    func passOn(_ pass: @escaping (@escaping () -> Void) -> Void) {
        handedOver = true
        connection.stopReading()
        do {
            try connection.write([]) { [weak self] error in
                guard let self else { return }
                if let error {
                    log.info("\(peer): \(label) publisher left before its handover: \(error)")
                    return close()
                }
                pass { [weak self] in self?.close() }
            }
        } catch {
            close()
        }
    }
}
