import Foundation

/// A minimal RTSP server on 127.0.0.1 for cameras that misbehave in ways GStreamer's server cannot be made to: one
/// thread, one connection at a time (kept until the client closes it), each request answered with what `respond`
/// gives for its method and URI (`CSEQ` in the answer is replaced by the request's CSeq; `\n` line ends become
/// CRLF). Requests carry no body (a client pulling a camera sends none). Stops when released.
final class ScriptedRTSPServer: @unchecked Sendable {
    private let listener: LoopbackListener
    private let lock = NSLock()
    private var methods: [String] = []
    /// Every request's method, in order, across connections.
    var requests: [String] { lock.withLock { methods } }

    init(respond: @escaping @Sendable (_ method: String, _ uri: String) -> String) throws {
        listener = try LoopbackListener()
        listener.accept { [weak self] client in
            guard let self else { return false }
            serve(client, respond)
            return true
        }
    }

    var url: String { "rtsp://127.0.0.1:\(listener.port)/cam" }

    private func serve(_ client: Int32, _ respond: (String, String) -> String) {
        var pending = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end = Data("\r\n\r\n".utf8)
        while true {
            while let range = pending.range(of: end) {
                let head = String(decoding: pending[..<range.lowerBound], as: UTF8.self)
                pending.removeSubrange(..<range.upperBound)
                let lines = head.split(separator: "\r\n")
                let words = (lines.first ?? "").split(separator: " ")
                guard words.count == 3 else { return }
                let cseq = lines.first { $0.lowercased().hasPrefix("cseq:") }.map { $0.dropFirst(5).trimmingCharacters(in: .whitespaces) } ?? "0"
                lock.withLock { methods.append(String(words[0])) }
                let answer = respond(String(words[0]), String(words[1]))
                    .replacingOccurrences(of: "CSEQ", with: cseq).replacingOccurrences(of: "\n", with: "\r\n")
                _ = Array(answer.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
            let n = recv(client, &buffer, buffer.count, 0)
            if n <= 0 { return }
            pending.append(contentsOf: buffer[0..<n])
        }
    }
}
