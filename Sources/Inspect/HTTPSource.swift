#if canImport(Glibc)
import Glibc
#endif
import SystemCalls
import Config
import HTTP

/// MPEG-TS pulled over HTTP/1.1 (`tshttp://`): a GET that follows up to five redirects, then the body as it comes,
/// whatever its framing (length, chunked, until close).
struct HTTPSource: ByteSource {
    private var fd: Int32 = -1
    private var parser = HTTPResponseParser()
    private var receive = [UInt8](repeating: 0, count: 64 * 1024)
    private var ended = false
    /// Body bytes that arrived with the response head, handed out by the first reads.
    private var pending: [UInt8] = []
    private let timeoutMs: Int32

    /// Connects and reads the response head; throws on a refused connection, an HTTP error status or too many
    /// redirects.
    init(url: String, timeoutMs: Int32 = 5000) throws {
        self.timeoutMs = timeoutMs
        var target = try InputURL(parsing: url)
        for _ in 0...5 {
            let redirect = try open(target, label: url)
            guard let location = redirect else { return }
            closeSocket()
            target = try target.resolvingRedirect(location)
        }
        throw InputError("\(url): more than 5 redirects")
    }

    /// Sends the request and reads up to the end of the head. Returns the Location of a redirect, or nil when the
    /// body follows.
    private mutating func open(_ url: InputURL, label: String) throws -> String? {
        guard url.scheme == "tshttp" else { throw InputError("\(label): \(url.scheme):// is not read over plain HTTP") }
        fd = try Self.connect(host: url.host, port: url.port ?? 80, label: label)
        parser = HTTPResponseParser()
        let request = try HTTPRequestHead(target: url.requestTarget, host: url.authority,
                                          headers: [("User-Agent", "Sluice"), ("Accept", "*/*")]).serialized()
        try request.withUnsafeBytes { r in
            var sent = 0
            while sent < r.count {
                sent += try systemCall("send(\(label))") { send(fd, r.baseAddress! + sent, r.count - sent, Int32(MSG_NOSIGNAL)) }
            }
        }
        var head: HTTPResponseHead?
        var body: [UInt8] = []
        var complete = false
        while head == nil {
            guard try waitReadable(fd, timeoutMs: timeoutMs) else { throw InputError("\(label): no response in \(timeoutMs) ms") }
            let fd = self.fd
            let n = try receive.withUnsafeMutableBytes { b in try systemCall("recv(\(label))") { recv(fd, b.baseAddress, b.count, 0) } }
            if n == 0 { throw InputError("\(label): connection closed before the response") }
            try receive.withUnsafeBytes { b in
                try parser.feed(UnsafeRawBufferPointer(rebasing: b[0..<n])) { event in
                    switch event {
                    case .head(let h): head = h
                    case .body(let bytes): body.append(contentsOf: bytes)
                    case .end: complete = true
                    }
                }
            }
        }
        guard let head else { return nil }
        switch head.status {
        case 200:
            pending = body
            ended = complete
            return nil
        case 301, 302, 303, 307, 308:
            guard let location = head.header("Location") else { throw InputError("\(label): HTTP \(head.status) without Location") }
            return location
        default:
            throw InputError("\(label): HTTP \(head.status) \(head.reason)")
        }
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int32) throws -> Int? {
        if !pending.isEmpty {
            let count = min(pending.count, buffer.count)
            pending.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            pending.removeFirst(count)
            return count
        }
        if ended { return nil }
        guard try waitReadable(fd, timeoutMs: timeoutMs) else { return 0 }
        let fd = self.fd
        let capacity = min(receive.count, buffer.count)
        let n = try receive.withUnsafeMutableBytes { b in try systemCall("recv") { recv(fd, b.baseAddress, capacity, 0) } }
        var filled = 0
        var complete = false
        let handler: (HTTPResponseParser.Event) -> Void = { event in
            switch event {
            case .body(let bytes):
                UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<(filled + bytes.count)]).copyMemory(from: bytes)
                filled += bytes.count
            case .end: complete = true
            case .head: break
            }
        }
        if n == 0 {
            try parser.finish(handler)
            ended = true
            return filled == 0 ? nil : filled
        }
        try receive.withUnsafeBytes { b in try parser.feed(UnsafeRawBufferPointer(rebasing: b[0..<n]), handler) }
        ended = complete
        return filled
    }

    mutating func close() { closeSocket() }

    private mutating func closeSocket() {
        if fd >= 0 { _ = Glibc.close(fd); fd = -1 }
    }

    /// A TCP connection to the first address of `host` that accepts, within the source's timeout.
    private static func connect(host: String, port: Int, label: String) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0 else { throw InputError("\(label): cannot resolve \(host): \(String(cString: gai_strerror(rc)))") }
        defer { freeaddrinfo(list) }
        var lastError: Error = InputError("\(label): no address for \(host)")
        var node = list
        while let ai = node {
            node = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), ai.pointee.ai_protocol)
            guard fd >= 0 else { lastError = SystemError("socket(\(label))"); continue }
            // Bounds connect() too: Linux applies the send timeout to it.
            var limit = timeval(tv_sec: 5, tv_usec: 0)
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return fd }
            lastError = SystemError("connect(\(label))")
            _ = Glibc.close(fd)
        }
        throw lastError
    }
}
