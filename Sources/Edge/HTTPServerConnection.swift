import EventLoop
import HTTP
import Log

/// One viewer's HTTP/1.1 connection on an edge worker: reads requests (pipelined or not), hands each to the
/// router, and keeps the connection for the next one when both sides want to. A malformed request gets its status
/// (400, 431, 501...) and the connection is closed. Idle connections are closed by `sweep(now:)`.
final class HTTPServerConnection {
    /// What the router does with a request.
    enum Reply {
        /// A complete response: head and body (or the `range` of it).
        case complete(HTTPResponse, body: SharedBytes?, range: Range<Int>?)
        /// The connection is handed over for streaming (live MPEG-TS): the router wrote the head and owns it now.
        case streaming
        /// The router answers later with `finish(_:)` (a playlist held until the stream has segments).
        case later
    }

    let connection: TCPConnection
    let peer: String
    private var parser = HTTPRequestParser()
    private var pending: [UInt8] = []
    private var head: [UInt8] = []
    private var lastActivity: UInt64
    private enum State { case reading, waiting, streaming, finishing }
    /// `reading` requests; `waiting` for the router's late answer; `streaming` a live response (never idle, reads
    /// nothing); `finishing` the last response before closing.
    private var state = State.reading
    private let route: (HTTPRequest, HTTPServerConnection) -> Reply
    private let date: () -> HTTPDate
    private let log: Logger
    private let onClose: (HTTPServerConnection) -> Void
    /// Set by whoever took the connection over for streaming, to let go of it when it closes.
    var whenClosed: (() -> Void)?

    init(connection: TCPConnection, now: UInt64, log: Logger, date: @escaping () -> HTTPDate,
         route: @escaping (HTTPRequest, HTTPServerConnection) -> Reply, onClose: @escaping (HTTPServerConnection) -> Void) {
        self.connection = connection
        self.peer = (try? connection.peerAddress().description) ?? "?"
        self.lastActivity = now
        self.log = log
        self.date = date
        self.route = route
        self.onClose = onClose
    }

    func start() throws {
        try connection.startReading(onData: { [unowned self] bytes in received(bytes) },
                                    onEnd: { [unowned self] _ in close() })
    }

    /// Closes a connection idle for longer than `idleMs` (keep-alive, or a request that never completes). Live
    /// streams are never idle.
    func sweep(now: UInt64, idleMs: UInt64) {
        if state != .streaming && state != .waiting && now - lastActivity > idleMs { close() }
    }

    func touch(now: UInt64) { lastActivity = now }

    func close() {
        guard !connection.isClosing else { return }
        connection.close()
        whenClosed?()
        whenClosed = nil
        onClose(self)
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        // A live viewer has nothing more to say; a client whose request is held may pipeline the next one.
        guard state == .reading || state == .waiting else { return }
        lastActivity = connection.loop.now
        if pending.count + bytes.count > 64 * 1024 { return refuse(431) }
        pending.append(contentsOf: bytes)
        if state == .reading { process() }
    }

    /// Parses what is pending, one request at a time.
    private func process() {
        while !pending.isEmpty && state == .reading && !connection.isClosing {
            var request: HTTPRequest?
            var complete = false
            let used: Int
            do {
                used = try pending.withUnsafeBytes { bytes in
                    try parser.feed(bytes) { event in
                        switch event {
                        case .head(let r): request = r
                        case .body: break  // edge requests carry no body we use
                        case .end: complete = true
                        }
                    }
                }
            } catch let error as HTTPParseError {
                log.info("\(peer): bad request: \(error)")
                return refuse(error.status)
            } catch {
                return refuse(400)
            }
            pending.removeFirst(used)
            guard complete, let request else { return }
            parser = HTTPRequestParser()
            respond(to: request)
        }
    }

    private func respond(to request: HTTPRequest) {
        switch route(request, self) {
        case .streaming:
            state = .streaming
        case .later:
            state = .waiting
            self.request = request
        case .complete(var response, let body, let range):
            response.keepAlive = response.keepAlive && request.keepAlive
            send(response, body: request.isHead ? nil : body, range: range)
            if !response.keepsConnection { shutdownAfterWrite() }
        }
    }

    /// The held request (`.later`), while it waits.
    private(set) var request: HTTPRequest?

    /// Answers the held request, then carries on with what the client sent meanwhile.
    func finish(_ reply: Reply) {
        guard state == .waiting, let request else { return }
        self.request = nil
        state = .reading
        switch reply {
        case .later: return
        case .streaming: state = .streaming
        case .complete(var response, let body, let range):
            response.keepAlive = response.keepAlive && request.keepAlive
            send(response, body: request.isHead ? nil : body, range: range)
            if !response.keepsConnection { return shutdownAfterWrite() }
        }
        process()
    }

    /// Writes a response head (and body). For routers that stream: the head of a live response.
    func send(_ response: HTTPResponse, body: SharedBytes?, range: Range<Int>? = nil) {
        head.removeAll(keepingCapacity: true)
        do {
            try response.write(to: &head, date: date())
            try connection.write(head: head, body: body, range: range)
        } catch {
            log.info("\(peer): write failed: \(error)")
            close()
        }
    }

    private func refuse(_ status: Int) {
        send(HTTPResponse(status: status, contentType: "text/plain", keepAlive: false), body: nil)
        shutdownAfterWrite()
    }

    private func shutdownAfterWrite() {
        state = .finishing
        do { try connection.shutdown { [weak self] _ in self?.close() } } catch { close() }
    }
}
