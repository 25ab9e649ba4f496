import EventLoop
import HTTP

/// One question to an authorization backend (`on_publish URL;`): a GET of `url` (an `AuthBackendRequest` appended to
/// the backend's URL) over `HTTPGet`, answered once with an `AuthVerdict`: read from the response head (the body is
/// not waited for), or `.unavailable` when the backend cannot be reached, answers something that is not HTTP, or
/// has not sent its head within `timeoutMs`. The caller denies on anything but `.allowed` (fail closed).
///
/// Costs: one TCP connection per question (and a TLS handshake for an `https://` backend), and a blocking name
/// lookup when the URL names a host rather than an address (`EventLoop.resolve`; an ingest worker serves one
/// stream, and its publishers wait for the answer anyway).
final class AuthBackendCall {
    /// How long a backend may take to answer: 5 s, then the session is refused.
    static let defaultTimeoutMs: UInt64 = 5_000

    private let loop: EventLoop
    private let url: HTTPURL
    private let timeoutMs: UInt64
    private var completion: ((AuthVerdict) -> Void)?
    private var request: HTTPGet?
    private var timer: Timer?

    init(loop: EventLoop, url: HTTPURL, timeoutMs: UInt64 = defaultTimeoutMs, completion: @escaping (AuthVerdict) -> Void) {
        self.loop = loop
        self.url = url
        self.timeoutMs = timeoutMs
        self.completion = completion
    }

    deinit {
        timer?.close()
    }

    /// Sends the request. The completion runs once, later on the loop, or before this returns when the request
    /// cannot even start (a name that does not resolve).
    func start() {
        let request = HTTPGet(loop: loop, host: url.host, port: url.port, secure: url.isSecure, target: url.target,
                              authority: url.authority,
                              onEvent: { [weak self] event in
                                  if case .head(let head) = event { self?.finish(AuthVerdict(head)) }
                              },
                              onFailure: { [weak self] reason in self?.finish(.unavailable(reason)) })
        self.request = request
        do {
            let timer = try Timer(loop: loop)
            self.timer = timer
            let timeoutMs = timeoutMs
            try timer.start(after: timeoutMs) { [weak self] in self?.finish(.unavailable("no answer within \(timeoutMs) ms")) }
            try request.start()
        } catch {
            finish(.unavailable("\(error)"))
        }
    }

    /// Abandons the question (the client left): the completion never runs. Both handles close (again at `deinit`:
    /// closing twice is harmless).
    func cancel() {
        completion = nil
        request?.cancel()
        timer?.close()
    }

    private func finish(_ verdict: AuthVerdict) {
        let completion = self.completion
        cancel()
        completion?(verdict)
    }
}
