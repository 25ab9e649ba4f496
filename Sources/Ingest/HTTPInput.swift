import Config
import EventLoop
import HTTP

/// MPEG-TS pulled over HTTP/1.1 (`tshttp://`, port 80) or HTTPS (`tshttps://`, port 443, the server's certificate
/// checked: see `TLSContext`): a GET (`HTTPGet`) that follows up to five redirects (from `http` to `https`, never
/// back), then the body as it comes (length, chunked or until close) into the demuxer. The end of the body is a
/// failure: a live source does not end. Failures name the URL only when it is not the one configured (after a
/// redirect): the caller names that one.
public final class HTTPInput: IngestInput {
    private let configured: InputURL
    private var url: InputURL
    private let loop: EventLoop
    private let events: TransportStreamEvents
    private var request: HTTPGet?
    private var redirects = 0
    private var stopped = false

    public init(url: InputURL, loop: EventLoop, events: TransportStreamEvents) {
        self.configured = url
        self.url = url
        self.loop = loop
        self.events = events
    }

    public func start() throws {
        let secure = url.scheme == "tshttps"
        let request = HTTPGet(loop: loop, host: url.host, port: url.port ?? (secure ? 443 : 80), secure: secure,
                              target: url.requestTarget, authority: url.authority,
                              onEvent: { [weak self] event in try self?.received(event) },
                              onFailure: { [weak self] reason in self?.fail(reason) })
        self.request = request
        try request.start()
    }

    public func stop() {
        stopped = true
        request?.cancel()
        request = nil
    }

    private func received(_ event: HTTPGet.Event) throws {
        switch event {
        case .head(let head): try self.head(head)
        case .body(let body): events.bytes(body)
        case .end: fail("the server ended the response")
        }
    }

    private func head(_ head: HTTPResponseHead) throws {
        switch head.status {
        case 200:
            events.opened()
        case 301, 302, 303, 307, 308:
            guard let location = head.header("Location") else { throw InputError("HTTP \(head.status) without Location") }
            follow(location)
        default:
            throw InputError("HTTP \(head.status) \(head.reason)")
        }
    }

    /// Leaves the current request (from inside its callback: it reports nothing more) for a new one.
    private func follow(_ location: String) {
        redirects += 1
        guard redirects <= 5 else { return fail("more than 5 redirects") }
        do {
            url = try url.resolvingRedirect(location)
            request?.cancel()
            try start()
        } catch {
            fail("\(error)")
        }
    }

    private func fail(_ reason: String) {
        guard !stopped else { return }
        stop()
        events.failed(url == configured ? reason : "redirected to \(url): \(reason)")
    }
}
