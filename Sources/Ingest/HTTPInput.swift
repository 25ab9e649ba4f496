import Config
import EventLoop
import HTTP

/// MPEG-TS pulled over HTTP/1.1 (`tshttp://`): a GET that follows up to five redirects, then the body as it comes
/// (length, chunked or until close) into the demuxer. The end of the body is a failure: a live source does not end.
public final class HTTPInput: IngestInput {
    private var url: InputURL
    private let loop: EventLoop
    private let events: TransportStreamEvents
    private var connection: TCPConnection?
    private var parser = HTTPResponseParser()
    private var redirects = 0
    private var stopped = false

    public init(url: InputURL, loop: EventLoop, events: TransportStreamEvents) {
        self.url = url
        self.loop = loop
        self.events = events
    }

    public func start() throws {
        guard url.scheme == "tshttp" else { throw InputError("\(url): \(url.scheme):// needs TLS, which is not built yet") }
        let address = try loop.resolve(host: url.host, port: url.port ?? 80)
        let connection = try TCPConnection(loop: loop)
        self.connection = connection
        parser = HTTPResponseParser()
        // Callbacks of a connection this input has left (after a redirect) are ignored.
        try connection.connect(to: address) { [weak self, weak connection] error in
            guard let self, let connection, connection === self.connection else { return }
            if let error { return fail("connect(\(address)): \(error)") }
            do {
                let request = try HTTPRequestHead(target: url.requestTarget, host: url.authority,
                                                  headers: [("User-Agent", "Sluice"), ("Accept", "*/*")]).serialized()
                try connection.write(request)
                try connection.startReading(onData: { [weak self, weak connection] bytes in
                    guard let self, connection === self.connection else { return }
                    received(bytes)
                }, onEnd: { [weak self, weak connection] error in
                    guard let self, connection === self.connection else { return }
                    ended(error)
                })
            } catch {
                fail("\(error)")
            }
        }
    }

    public func stop() {
        stopped = true
        connection?.close()
        connection = nil
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        do {
            try parser.feed(bytes) { event in
                switch event {
                case .head(let head): try self.head(head)
                case .body(let body): self.events.bytes(body)
                case .end: self.fail("\(self.url): the server ended the response")
                }
            }
        } catch let redirect as Redirect {
            follow(redirect.location)
        } catch {
            fail("\(url): \(error)")
        }
    }

    private struct Redirect: Error { var location: String }

    private func head(_ head: HTTPResponseHead) throws {
        switch head.status {
        case 200:
            events.opened()
        case 301, 302, 303, 307, 308:
            guard let location = head.header("Location") else { throw InputError("HTTP \(head.status) without Location") }
            throw Redirect(location: location)
        default:
            throw InputError("HTTP \(head.status) \(head.reason)")
        }
    }

    private func follow(_ location: String) {
        redirects += 1
        guard redirects <= 5 else { return fail("\(url): more than 5 redirects") }
        do {
            url = try url.resolvingRedirect(location)
            connection?.close()
            connection = nil
            try start()
        } catch {
            fail("\(error)")
        }
    }

    private func ended(_ error: LibUVError?) {
        guard !stopped else { return }
        if let error { return fail("\(url): \(error)") }
        do {
            try parser.finish { _ in }
            fail("\(url): the server closed the connection")
        } catch {
            fail("\(url): \(error)")
        }
    }

    private func fail(_ reason: String) {
        guard !stopped else { return }
        stop()
        events.failed(reason)
    }
}
