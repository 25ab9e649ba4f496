import EventLoop
import HTTP
import Outbound

/// One HTTP/1.1 GET over libuv, for the ingest worker's clients (`tshttp://` and `tshttps://` sources,
/// authorization backends), over TCP or TLS (`secure`, see `OutboundConnection`): it connects, sends the request,
/// and reports the response as `HTTPResponseParser` reads it: the head, body bytes (borrowed, valid during the
/// call), the end. Body framing: length, chunked or until close.
///
/// One connection per request (no keep-alive). Redirects are the caller's: a 3xx head is reported like any other,
/// and the caller starts a new `HTTPGet` if it follows it. Nothing is reported after `.end`, after `onFailure`
/// (called at most once: connect or read error, a malformed response, a connection closed before the response
/// ended, an error thrown by `onEvent`), or after `cancel()`, which may be called from inside a callback.
/// No timeout of its own: the caller keeps a timer where it needs one.
final class HTTPGet {
    enum Event {
        case head(HTTPResponseHead)
        case body(UnsafeRawBufferPointer)
        case end
    }

    private let loop: EventLoop
    private let host: String
    private let port: Int
    private let secure: Bool
    private let request: HTTPRequestHead
    private let onEvent: (Event) throws -> Void
    private let onFailure: (String) -> Void
    private var connection: OutboundConnection?
    private var parser = HTTPResponseParser()
    private var finished = false

    /// Thrown through the parser to stop it when the request is over inside a callback.
    private struct Finished: Error {}

    init(loop: EventLoop, host: String, port: Int, secure: Bool, target: String, authority: String,
         onEvent: @escaping (Event) throws -> Void, onFailure: @escaping (String) -> Void) {
        self.loop = loop
        self.host = host
        self.port = port
        self.secure = secure
        self.request = HTTPRequestHead(target: target, host: authority, headers: [("User-Agent", "Sluice"), ("Accept", "*/*")])
        self.onEvent = onEvent
        self.onFailure = onFailure
    }

    deinit {
        connection?.close()
    }

    /// Resolves the host (blocking, see `EventLoop.resolve`) and starts connecting. What fails at once (an unknown
    /// host, a field with a line break, no TLS context) is thrown, and nothing is reported.
    func start() throws {
        let bytes = try request.serialized()
        let connection = try OutboundConnection(loop: loop, host: host, port: port, secure: secure)
        self.connection = connection
        try connection.connect { [weak self] error in
            guard let self, !finished else { return }
            if let error { return fail("connect(\(connection.peer)): \(error)") }
            do {
                try connection.write(bytes)
                try connection.startReading(onData: { [weak self] in self?.received($0) },
                                            onEnd: { [weak self] in self?.ended($0) })
            } catch {
                fail("\(error)")
            }
        }
    }

    /// Closes the connection; nothing is reported any more.
    func cancel() {
        finished = true
        connection?.close()
        connection = nil
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        guard !finished else { return }
        do {
            try parser.feed(bytes, deliver)
        } catch is Finished {
        } catch {
            fail("\(error)")
        }
    }

    private func ended(_ error: (any Error)?) {
        guard !finished else { return }
        if let error { return fail("\(error)") }
        do {
            try parser.finish(deliver)  // ends a body framed by the close, or throws: truncated
            if !finished { fail("the server closed the connection before the response") }
        } catch is Finished {
        } catch {
            fail("\(error)")
        }
    }

    /// Hands an event to the caller; stops the parser when the request is over (ended, or cancelled meanwhile).
    private func deliver(_ event: HTTPResponseParser.Event) throws {
        guard !finished else { throw Finished() }
        switch event {
        case .head(let head): try onEvent(.head(head))
        case .body(let body): try onEvent(.body(body))
        case .end:
            try onEvent(.end)  // an error thrown here is a failure, reported before the connection closes
            cancel()
        }
        if finished { throw Finished() }
    }

    private func fail(_ reason: String) {
        guard !finished else { return }
        cancel()
        onFailure(reason)
    }
}
