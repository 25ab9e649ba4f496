import Foundation
import Testing
@testable import RTMP

/// The server session against the real ffmpeg and ffprobe over loopback TCP: ffmpeg publishes the H.264/AAC fixture
/// (`Tests/MediaTests/Fixtures/h264_aac.ts`, made by scripts/make-fixtures.sh) with `-c copy -f flv`, and ffprobe
/// plays back what was received. The sockets are plain blocking ones driven from the test thread; the sessions do
/// all the protocol work.
@Suite(.serialized, .enabled(if: ffmpegInstalled)) struct FFmpegTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../MediaTests/Fixtures/h264_aac.ts").standardized.path

    @Test func ffmpegPublishesAndFFprobePlaysBack() throws {
        let listener = try Listener()
        let publisher = try launch(["/usr/bin/ffmpeg", "-nostdin", "-v", "error", "-re", "-i", Self.fixture, "-c", "copy",
                                    "-f", "flv", "rtmp://127.0.0.1:\(listener.port)/static/cam?password=s3cret"])
        var requests: [RTMPStreamRequest] = []
        var media: [RTMPMessage] = []
        try listener.serveOne { session, action in
            switch action {
            case .publish(let request):
                // ffmpeg sends a digest C1 and, when playing, checks S1's digest and S2's signature.
                #expect(session.usedDigestHandshake)
                requests.append(request)
                return session.accept()
            case .media(let message):
                media.append(message)
            default:
                break
            }
            return []
        }
        publisher.waitUntilExit()
        #expect(publisher.terminationStatus == 0)
        #expect(requests.map(\.streamName) == ["cam"] && requests.first?.password == "s3cret")
        let metadata = try #require(media.first { $0.typeID == RTMPMessageType.dataAMF0 })
        let properties = try #require(try RTMPDataMessage.metadata(metadata))
        #expect(properties.first { $0.key == "width" }?.value == .number(320))
        let video = media.filter { $0.typeID == RTMPMessageType.video }
        let audio = media.filter { $0.typeID == RTMPMessageType.audio }
        // FLV tags: the AVC sequence header (keyframe, AVC, packet type 0) and the AAC one (0xAF, 0) come first.
        #expect(video.first.map { Array($0.payload.prefix(2)) } == [0x17, 0x00])
        #expect(audio.first.map { Array($0.payload.prefix(2)) } == [0xAF, 0x00])
        #expect(video.count > 40 && audio.count > 40)

        // Play it back to ffprobe.
        let player = try launch(["/usr/bin/ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
                                 "-of", "default=nw=1", "rtmp://127.0.0.1:\(listener.port)/static/cam"])
        try listener.serveOne { session, action in
            guard case .play(let request) = action else { return [] }
            #expect(request.streamName == "cam" && session.usedDigestHandshake)
            var actions = session.accept()
            var out: [UInt8] = []
            for message in media {
                let payload = message.typeID == RTMPMessageType.dataAMF0
                    ? RTMPDataMessage.strippingSetDataFrame(message.payload) : message.payload
                payload.withUnsafeBytes {
                    _ = session.sendMedia(typeID: message.typeID, timestamp: message.timestamp, payload: $0, into: &out)
                }
            }
            actions.append(.send(out))
            actions.append(.close("sent everything"))
            return actions
        }
        let output = try player.output()
        #expect(player.terminationStatus == 0)
        #expect(output.contains("codec_name=h264\nwidth=320\nheight=240") && output.contains("codec_name=aac"), "\(output)")
    }
}

let ffmpegInstalled = ["/usr/bin/ffmpeg", "/usr/bin/ffprobe"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

/// A child process whose output goes to a file.
final class Child {
    let process = Process()
    let outputURL: URL

    init(_ arguments: [String]) throws {
        outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("rtmp-test-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = process.standardOutput
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: outputURL)
    }

    var terminationStatus: Int32 { process.terminationStatus }

    func waitUntilExit(timeout: TimeInterval = 30) {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    func output() throws -> String {
        waitUntilExit()
        return try String(contentsOf: outputURL, encoding: .utf8)
    }
}

private func launch(_ arguments: [String]) throws -> Child { try Child(arguments) }

/// A listening socket on 127.0.0.1 that serves one connection at a time with a fresh `RTMPServerSession`.
final class Listener {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        guard withLoopbackAddress(port: 0, { bind(fd, $0, $1) }) == 0, listen(fd, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutableBytes(of: &bound) { getsockname(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length) }
        port = Int(UInt16(bigEndian: bound.sin_port))
    }

    deinit { close(fd) }

    /// Accepts one connection (within 20 s) and runs a session on it until the peer closes, an action closes,
    /// or 30 s pass. `handle` sees every action but `.send` and returns more actions to perform.
    func serveOne(_ handle: (inout RTMPServerSession, RTMPServerSession.Action) throws -> [RTMPServerSession.Action]) throws {
        var listening = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        try #require(poll(&listening, 1, 20_000) == 1, "no connection")
        let client = accept(fd, nil, nil)
        try #require(client >= 0)
        defer { close(client) }
        var session = RTMPServerSession()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(30)
        var open = true
        func perform(_ actions: [RTMPServerSession.Action]) throws {
            for action in actions {
                switch action {
                case .send(let bytes):
                    var sent = 0
                    while sent < bytes.count {
                        let n = bytes[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                        try #require(n > 0, "send failed")
                        sent += n
                    }
                case .close:
                    open = false
                    try perform(handle(&session, action))
                default:
                    try perform(handle(&session, action))
                }
            }
        }
        while open && Date() < deadline {
            var readable = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            guard poll(&readable, 1, 1000) > 0 else { continue }
            let n = recv(client, &buffer, buffer.count, 0)
            if n <= 0 { return }
            try perform(buffer[..<n].withUnsafeBytes { session.receive($0) })
        }
        // Closing with unread input would reset the connection and lose what the peer has not read yet.
        shutdown(client, Int32(SHUT_WR))
        while Date() < deadline {
            var readable = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            guard poll(&readable, 1, 1000) > 0, recv(client, &buffer, buffer.count, 0) > 0 else { return }
        }
    }
}

/// The client session against ffmpeg's own RTMP server (`-listen 1`): pulling what ffmpeg serves, then pushing it
/// to an ffmpeg that writes an FLV file, which ffprobe reads.
@Suite(.serialized, .enabled(if: ffmpegInstalled)) struct FFmpegClientTests {
    @Test func clientPullsFromAndPushesToFFmpeg() throws {
        var port = try freePort()
        let server = try Child(["/usr/bin/ffmpeg", "-nostdin", "-v", "error", "-re", "-i", FFmpegTests.fixture, "-c", "copy",
                                "-f", "flv", "-listen", "1", "rtmp://127.0.0.1:\(port)/static/cam"])
        var player = RTMPClientSession(url: try RTMPURL("rtmp://127.0.0.1:\(port)/static/cam"), mode: .play)
        var media: [RTMPMessage] = []
        var ready = false
        try runClient(port: port, start: player.start(), receive: { player.receive($0) }, done: { false }) { action in
            switch action {
            case .ready: ready = true
            case .media(let message): media.append(message)
            case .failed(let reason): Issue.record("play failed: \(reason)")
            default: break
            }
            return []
        }
        server.waitUntilExit()
        #expect(ready)
        let video = media.filter { $0.typeID == RTMPMessageType.video }
        #expect(video.first.map { Array($0.payload.prefix(2)) } == [0x17, 0x00] && video.count > 40)
        #expect(media.contains { $0.typeID == RTMPMessageType.audio })

        port = try freePort()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rtmp-push-\(UUID().uuidString).flv")
        defer { try? FileManager.default.removeItem(at: file) }
        let receiver = try Child(["/usr/bin/ffmpeg", "-nostdin", "-v", "error", "-listen", "1", "-i",
                                  "rtmp://127.0.0.1:\(port)/static/cam", "-c", "copy", "-f", "flv", file.path])
        var publisher = RTMPClientSession(url: try RTMPURL("rtmp://127.0.0.1:\(port)/static/cam"), mode: .publish)
        var pushed = false
        try runClient(port: port, start: publisher.start(), receive: { publisher.receive($0) }, done: { pushed }) { action in
            switch action {
            case .ready:
                var out: [UInt8] = []
                for message in media where message.typeID != RTMPMessageType.dataAMF0 {
                    publisher.sendMedia(message, into: &out)
                }
                publisher.finish(into: &out)
                pushed = true
                return [out]
            case .failed(let reason):
                Issue.record("publish failed: \(reason)")
            default:
                break
            }
            return []
        }
        receiver.waitUntilExit()
        #expect(pushed)
        let probe = try Child(["/usr/bin/ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
                               "-of", "default=nw=1", file.path])
        let output = try probe.output()
        #expect(output.contains("codec_name=h264\nwidth=320\nheight=240") && output.contains("codec_name=aac"), "\(output)")
    }
}

/// 127.0.0.1:`port` as the socket calls take it.
func withLoopbackAddress<T>(port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
    return withUnsafeBytes(of: &address) { body($0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count)) }
}

/// A port that was free a moment ago (for a child that listens itself).
func freePort() throws -> Int {
    let listener = try Listener()
    return listener.port
}

/// Connects to 127.0.0.1:`port` (retrying while the child starts listening), sends `start`, then feeds what it
/// reads to `receive` and writes what the actions say, until the peer closes, `done()` holds (then it closes its
/// side and waits for the peer's close), or 30 s pass. `handle` gets every action but `.send` and returns further
/// bytes to write.
func runClient(port: Int, start: [RTMPClientSession.Action], receive: (UnsafeRawBufferPointer) -> [RTMPClientSession.Action],
               done: () -> Bool, handle: (RTMPClientSession.Action) -> [[UInt8]]) throws {
    var fd: Int32 = -1
    for _ in 0..<200 {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let candidate = fd
        if withLoopbackAddress(port: port, { connect(candidate, $0, $1) }) == 0 { break }
        close(fd)
        fd = -1
        Thread.sleep(forTimeInterval: 0.05)
    }
    try #require(fd >= 0, "nothing listens on \(port)")
    defer { close(fd) }
    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            try #require(n > 0, "send failed")
            sent += n
        }
    }
    func perform(_ actions: [RTMPClientSession.Action]) throws {
        for action in actions {
            if case .send(let bytes) = action { try write(bytes) } else { for bytes in handle(action) { try write(bytes) } }
        }
    }
    try perform(start)
    var buffer = [UInt8](repeating: 0, count: 65536)
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
        var readable = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&readable, 1, 1000) > 0 else { continue }
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { return }
        try perform(buffer[..<n].withUnsafeBytes { receive($0) })
        if done() { shutdown(fd, Int32(SHUT_WR)) }
    }
}
