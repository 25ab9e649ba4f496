#if canImport(Glibc)
import Glibc
#endif
import Control
import SystemCalls

/// `sluice ctl`: asks a running supervisor through its control socket (docs/control.md).
enum CtlCommand {
    static let spec = CommandSpec(
        name: "ctl", usage: "[--runtime-dir DIR] [--json] status|streams|workers|reload|restart NAME",
        summary: "Inspect and steer a running server through its control socket.",
        options: [
            .init(name: "runtime-dir", value: "DIR", help: "The server's runtime directory (default /run/sluice)."),
            .init(name: "socket", value: "PATH", help: "The control socket itself (default DIR/control.sock)."),
            .init(name: "json", value: nil, help: "Print the reply's data as JSON."),
        ],
        positionals: 1...2
    )

    static func run(_ arguments: ParsedArguments) throws -> Int32 {
        let request: ControlRequest
        do { request = try ControlRequest(words: arguments.positionals) } catch {
            throw UsageError(message: "\(error)", help: spec.help)
        }
        let path = arguments.options["socket"] ?? ((arguments.options["runtime-dir"] ?? "/run/sluice") + "/control.sock")
        let reply = try exchange(request.line, socket: path)
        let response = try ControlResponse(line: reply)
        let output = ControlReplyFormatter(json: arguments.flags.contains("json")).format(response, for: request)
        if output.toStandardError { printError(output.text) } else { print(output.text) }
        return output.exitCode
    }

    /// Sends one request line and reads one reply line (blocking, 30 s at most).
    private static func exchange(_ line: String, socket path: String) throws -> String {
        let fd = try systemCall("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw SystemError("connect(\(path))", code: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                _ = try systemCall("connect(\(path))") { connect(fd, sa, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
        }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = Array(line.utf8)
        _ = try request.withUnsafeMutableBytes { b in try systemCall("send(\(path))") { send(fd, b.baseAddress, b.count, Int32(MSG_NOSIGNAL)) } }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !reply.contains(UInt8(ascii: "\n")) {
            let n = try chunk.withUnsafeMutableBytes { b in try systemCall("recv(\(path))") { recv(fd, b.baseAddress, b.count, 0) } }
            if n == 0 { break }
            reply.append(contentsOf: chunk[0..<n])
        }
        let text = String(decoding: reply, as: UTF8.self)
        return String(text.split(separator: "\n", maxSplits: 1).first ?? "")
    }
}
