import EventLoop
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Pipe")
struct PipeTests {
    /// Two IPC pipes over the ends of a Unix socketpair, as between the supervisor and a worker.
    private func channel(_ loop: EventLoop) throws -> (Pipe, Pipe) {
        var fds: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0)
        return (try Pipe(loop: loop, ipc: true, fileDescriptor: fds[0]),
                try Pipe(loop: loop, ipc: true, fileDescriptor: fds[1]))
    }

    @Test func passesATCPConnectionToTheOtherEnd() throws {
        let loop = try EventLoop()
        let (sending, receiving) = try channel(loop)
        let listener = try TCPListener(loop: loop)
        try listener.bind(SocketAddress(ip: "127.0.0.1", port: 0))

        // The accepted connection travels over the channel; the receiving end answers the client through it.
        try listener.listen { result in
            guard let connection = accepted(result) else { return }
            do {
                try sending.write(SharedBytes(Array("conn".utf8)), passing: connection) { error in
                    #expect(error == nil)
                    connection.close()
                    sending.close()
                    listener.close()
                }
            } catch {
                Issue.record(error)
            }
        }
        var message: [UInt8] = []
        try receiving.startReading(onData: { data in
            message.append(contentsOf: data)
            #expect(receiving.pendingHandleCount == 1)
            do {
                let handedOver = try receiving.acceptPendingConnection()
                try handedOver.write(Array("from the other end".utf8)) { _ in handedOver.close() }
            } catch {
                Issue.record(error)
            }
        }, onEnd: { error in
            #expect(error == nil)
            receiving.close()
        })

        let client = try TCPConnection(loop: loop)
        var reply: [UInt8] = []
        try client.connect(to: listener.localAddress()) { error in
            if let error { Issue.record(error); return }
            do {
                try client.startReading(onData: { reply.append(contentsOf: $0) }, onEnd: { _ in client.close() })
            } catch {
                Issue.record(error)
            }
        }
        try runLoop(loop)
        #expect(message == Array("conn".utf8))
        #expect(reply == Array("from the other end".utf8))
    }

    @Test func passesAListeningSocketThatKeepsAcceptingOnTheOtherEnd() throws {
        let loop = try EventLoop()
        let (sending, receiving) = try channel(loop)
        let original = try TCPListener(loop: loop)
        try original.bind(SocketAddress(ip: "127.0.0.1", port: 0))
        let address = try original.localAddress()
        try sending.write(SharedBytes([1]), passing: original) { error in
            #expect(error == nil)
            original.close()
            sending.close()
        }
        var greeting: [UInt8] = []
        try receiving.startReading(onData: { _ in
            do {
                let listener = try receiving.acceptPendingListener()
                #expect(try listener.localAddress() == address)
                try listener.listen { result in
                    guard let connection = accepted(result) else { return }
                    do { try connection.write(Array("served".utf8)) { _ in connection.close() } } catch { Issue.record(error) }
                    listener.close()
                }
                let client = try TCPConnection(loop: loop)
                try client.connect(to: address) { error in
                    if let error { Issue.record(error); return }
                    do {
                        try client.startReading(onData: { greeting.append(contentsOf: $0) }, onEnd: { _ in client.close() })
                    } catch {
                        Issue.record(error)
                    }
                }
            } catch {
                Issue.record(error)
            }
        }, onEnd: { _ in receiving.close() })
        try runLoop(loop)
        #expect(greeting == Array("served".utf8))
    }

    @Test func acceptingWhenNothingIsPendingNamesTheProblem() throws {
        let loop = try EventLoop()
        let (one, other) = try channel(loop)
        let error = try #require(throws: LibUVError.self) { try one.acceptPendingConnection() }
        #expect(error.call.contains("nothing is pending"))
        one.close()
        other.close()
        try runLoop(loop)
    }

    @Test func listensAndConnectsOnAPath() throws {
        let loop = try EventLoop()
        let path = "/tmp/sluice-eventloop-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        defer { unlink(path) }
        let server = try Pipe(loop: loop)
        try server.bind(path: path)
        var lines: [UInt8] = []
        try server.listen { result in
            guard let client = accepted(result) else { return }
            do {
                try client.startReading(onData: { lines.append(contentsOf: $0) }, onEnd: { _ in
                    client.close()
                    server.close()
                })
            } catch {
                Issue.record(error)
            }
        }
        let client = try Pipe(loop: loop)
        client.connect(path: path) { error in
            if let error { Issue.record(error); return }
            do { try client.write(Array("{\"cmd\":\"status\"}\n".utf8)) { _ in client.close() } } catch { Issue.record(error) }
        }
        try runLoop(loop)
        #expect(lines == Array("{\"cmd\":\"status\"}\n".utf8))
    }

    @Test func connectingToAMissingPathNamesIt() throws {
        let loop = try EventLoop()
        let client = try Pipe(loop: loop)
        var failure: LibUVError?
        client.connect(path: "/nonexistent/sluice.sock") { error in
            failure = error
            client.close()
        }
        try runLoop(loop)
        let error = try #require(failure)
        #expect(error.call == "uv_pipe_connect(/nonexistent/sluice.sock)")
        #expect(error.name == "ENOENT")
    }
}
