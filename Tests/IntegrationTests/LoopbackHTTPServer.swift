import Foundation

/// A minimal HTTP/1.1 server on 127.0.0.1 for tests of Sluice's HTTP clients: one thread, one connection at a
/// time, answers each request as `respond` says, then closes. Stops when released.
final class LoopbackHTTPServer: @unchecked Sendable {
    enum Response {
        case redirect(String)
        /// The body in chunked transfer encoding, in pieces of uneven size.
        case chunked(Data)
        /// A status with an empty body (an authorization backend's verdict).
        case status(Int)
    }

    private let listener: LoopbackListener
    var port: Int { listener.port }
    private let lock = NSLock()
    private var paths: [String] = []
    var requests: [String] { lock.withLock { paths } }

    convenience init(respond: @escaping @Sendable (String) -> Response) throws {
        try self.init(accepting: true, respond: respond)
    }

    /// A server that never accepts: connections complete (the kernel queues them) and are never answered, like a
    /// backend that hangs.
    static func silent() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer(accepting: false, respond: { _ in .status(500) })
    }

    private init(accepting: Bool, respond: @escaping @Sendable (String) -> Response) throws {
        listener = try LoopbackListener()
        guard accepting else { return }
        listener.accept { [weak self] client in
            guard let self else { return false }
            serve(client, respond)
            return true
        }
    }

    private func serve(_ client: Int32, _ respond: (String) -> Response) {
        var request = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.contains("\r\n\r\n".data(using: .utf8)!) {
            let n = recv(client, &buffer, buffer.count, 0)
            if n <= 0 { return }
            request.append(contentsOf: buffer[0..<n])
        }
        let line = String(decoding: request, as: UTF8.self).split(separator: "\r\n").first ?? ""
        let path = line.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        lock.withLock { paths.append(path) }
        switch respond(path) {
        case .redirect(let location):
            send(client, "HTTP/1.1 302 Found\r\nLocation: \(location)\r\nContent-Length: 0\r\n\r\n")
        case .chunked(let body):
            send(client, "HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nTransfer-Encoding: chunked\r\n\r\n")
            var offset = 0
            var size = 1000
            while offset < body.count {
                let piece = body[offset..<min(body.count, offset + size)]
                send(client, String(piece.count, radix: 16) + "\r\n")
                send(client, piece)
                send(client, "\r\n")
                offset += piece.count
                size = size * 7 % 20011 + 1
            }
            send(client, "0\r\n\r\n")
        case .status(let code):
            send(client, "HTTP/1.1 \(code) \(code == 200 ? "OK" : "Status \(code)")\r\nContent-Length: 0\r\n\r\n")
        }
    }

    private func send(_ client: Int32, _ text: String) { send(client, Data(text.utf8)) }

    private func send(_ client: Int32, _ data: Data) {
        data.withUnsafeBytes { b in
            var sent = 0
            while sent < b.count {
                let n = Glibc.send(client, b.baseAddress! + sent, b.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                sent += n
            }
        }
    }
}
