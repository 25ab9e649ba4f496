import EventLoop
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("TCP")
struct TCPTests {
    /// Starts a listener on 127.0.0.1 with a kernel-chosen port that echoes everything back and closes at EOF.
    private func echoServer(_ loop: EventLoop) throws -> TCPListener {
        let listener = try TCPListener(loop: loop)
        try listener.bind(SocketAddress(ip: "127.0.0.1", port: 0))
        try listener.listen { result in
            guard let connection = accepted(result) else { return }
            do {
                try connection.startReading(onData: { data in
                    do { try connection.write(Array(data)) } catch { Issue.record(error) }
                }, onEnd: { error in
                    #expect(error == nil)
                    connection.close()
                })
            } catch {
                Issue.record(error)
            }
        }
        return listener
    }

    @Test func echoesALargeWriteThroughPartialReads() throws {
        let loop = try EventLoop()
        let listener = try echoServer(loop)
        let address = try listener.localAddress()
        #expect(address.port != 0)
        #expect(address.ip == "127.0.0.1")

        let size = 4 << 20
        let payload = SharedBytes(count: size) { bytes in
            for index in 0..<size { bytes[index] = UInt8(truncatingIfNeeded: index &* 7 &+ index >> 11) }
        }
        var received: [UInt8] = []
        received.reserveCapacity(size)
        var reads = 0
        var written = false
        let client = try TCPConnection(loop: loop)
        try client.connect(to: address) { error in
            if let error { Issue.record(error); return }
            do {
                try client.setNoDelay(true)
                #expect(try client.peerAddress() == address)
                try client.write(payload) { error in
                    #expect(error == nil)
                    written = true
                }
                #expect(client.writeQueueSize <= size)
                try client.startReading(onData: { data in
                    reads += 1
                    received.append(contentsOf: data)
                    if received.count == size {
                        listener.close()
                        client.close()
                    }
                }, onEnd: { error in
                    Issue.record("the echo ended early: \(String(describing: error))")
                    client.close()
                })
            } catch {
                Issue.record(error)
            }
        }
        try runLoop(loop)
        #expect(written)
        #expect(reads > 1)
        #expect(received.count == size)
        #expect(payload.withUnsafeBytes { Array($0) } == received)
    }

    /// A head copied into the pooled write request and a shared body in one write: the peer reads them in order,
    /// whether a later head is longer than a pooled request's storage, the body is cut to a range, or absent.
    @Test func writesAHeadAndABodyRangeAsOneWrite() throws {
        let loop = try EventLoop()
        let listener = try echoServer(loop)
        let body = SharedBytes(Array("0123456789".utf8))
        let longHead = [UInt8](repeating: UInt8(ascii: "h"), count: 1000)
        var expected: [UInt8] = []
        var echoed: [UInt8] = []
        var completions = 0
        let client = try TCPConnection(loop: loop)
        try client.connect(to: listener.localAddress()) { error in
            if let error { Issue.record(error); return }
            do {
                try client.startReading(onData: { echoed.append(contentsOf: $0) }, onEnd: { error in
                    #expect(error == nil)
                    client.close()
                    listener.close()
                })
                let writes: [([UInt8], SharedBytes?, Range<Int>?)] = [
                    (Array("HEAD1|".utf8), body, nil),
                    (longHead, body, 2..<5),
                    (Array("HEAD3|".utf8), nil, nil),
                    ([], body, 8..<10),
                    (Array("HEAD5|".utf8), body, 4..<4),
                ]
                for (head, body, range) in writes {
                    try client.write(head: head, body: body, range: range) { error in
                        #expect(error == nil)
                        completions += 1
                    }
                    expected += head
                    if let body { expected += body.withUnsafeBytes { Array($0[range ?? 0..<$0.count]) } }
                }
                try client.shutdown { #expect($0 == nil) }
            } catch {
                Issue.record(error)
            }
        }
        try runLoop(loop)
        #expect(completions == 5)
        #expect(echoed == expected)
    }

    /// Writes without a completion are tried at once (`uv_try_write`); what the socket does not take is queued: the
    /// peer still reads every byte in order, heads and bodies, small and large.
    @Test func writesTriedAtOnceAndQueuedWhenTheSocketIsFull() throws {
        let loop = try EventLoop()
        let listener = try echoServer(loop)
        let size = 6 << 20
        let body = SharedBytes(count: size) { bytes in
            for index in 0..<size { bytes[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 9) }
        }
        let head = Array("HEAD|".utf8)
        var expected: [UInt8] = []
        for (index, range) in [0..<10, 0..<size, 100..<(size - 100), 7..<8].enumerated() {
            expected += head + [UInt8(index)]
            expected += body.withUnsafeBytes { Array($0[range]) }
        }
        var echoed: [UInt8] = []
        echoed.reserveCapacity(expected.count)
        let client = try TCPConnection(loop: loop)
        try client.connect(to: listener.localAddress()) { error in
            if let error { Issue.record(error); return }
            do {
                try client.startReading(onData: { data in
                    echoed.append(contentsOf: data)
                    if echoed.count >= expected.count {
                        client.close()
                        listener.close()
                    }
                }, onEnd: { _ in client.close(); listener.close() })
                for (index, range) in [0..<10, 0..<size, 100..<(size - 100), 7..<8].enumerated() {
                    try client.write(head: head + [UInt8(index)], body: body, range: range)
                }
            } catch {
                Issue.record(error)
            }
        }
        try runLoop(loop)
        #expect(echoed.count == expected.count)
        #expect(echoed == expected)
    }

    @Test func shutdownLetsThePeerReadEndOfStream() throws {
        let loop = try EventLoop()
        let listener = try echoServer(loop)
        let client = try TCPConnection(loop: loop)
        var echoed: [UInt8] = []
        var ended = false
        try client.connect(to: listener.localAddress()) { error in
            if let error { Issue.record(error); return }
            do {
                try client.startReading(onData: { echoed.append(contentsOf: $0) }, onEnd: { error in
                    #expect(error == nil)
                    ended = true
                    client.close()
                    listener.close()
                })
                try client.write(Array("hello".utf8))
                try client.shutdown { #expect($0 == nil) }
            } catch {
                Issue.record(error)
            }
        }
        try runLoop(loop)
        #expect(ended)
        #expect(echoed == Array("hello".utf8))
    }

    @Test func writeQueueGrowsWhileThePeerDoesNotRead() throws {
        let loop = try EventLoop()
        let listener = try TCPListener(loop: loop)
        try listener.bind(SocketAddress(ip: "127.0.0.1", port: 0))
        var server: TCPConnection?
        try listener.listen { server = accepted($0) }
        let client = try TCPConnection(loop: loop)
        let chunk = SharedBytes([UInt8](repeating: 0x47, count: 1 << 20))
        var queued = 0
        var cancelled = 0
        try client.connect(to: listener.localAddress()) { error in
            if let error { Issue.record(error); return }
            do {
                for _ in 0..<32 {
                    try client.write(chunk) { error in
                        if error?.name == "ECANCELED" { cancelled += 1 }
                    }
                }
            } catch {
                Issue.record(error)
            }
            queued = client.writeQueueSize
            client.close()
            server?.close()
            listener.close()
        }
        try runLoop(loop)
        #expect(queued > 0, "32 MiB cannot all fit in loopback socket buffers")
        #expect(cancelled > 0)
    }

    @Test func aPortInUseFailsNamingTheCall() throws {
        let loop = try EventLoop()
        let first = try TCPListener(loop: loop)
        try first.bind(SocketAddress(ip: "127.0.0.1", port: 0))
        try first.listen { _ in }
        let second = try TCPListener(loop: loop)
        let address = try first.localAddress()
        let error = try #require(throws: LibUVError.self) {
            try second.bind(address)
            try second.listen { _ in }
        }
        #expect(error.name == "EADDRINUSE")
        #expect(error.call == "uv_listen(\(address))")
        #expect(error.description.hasPrefix("uv_listen(127.0.0.1:\(address.port)): "))
        first.close()
        second.close()
        try runLoop(loop)
    }

    @Test func connectionRefusedIsReportedWithTheAddress() throws {
        let loop = try EventLoop()
        let probe = try TCPListener(loop: loop)
        try probe.bind(SocketAddress(ip: "127.0.0.1", port: 0))
        let address = try probe.localAddress()
        probe.close()
        try runLoop(loop)
        let client = try TCPConnection(loop: loop)
        var failure: LibUVError?
        try client.connect(to: address) { error in
            failure = error
            client.close()
        }
        try runLoop(loop)
        let error = try #require(failure)
        #expect(error.name == "ECONNREFUSED")
        #expect(error.call == "uv_tcp_connect(\(address))")
    }

    @Test func adoptsAListeningSocketFromADescriptor() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        try #require(Glibc.listen(fd, 16) == 0)

        let loop = try EventLoop()
        let listener = try TCPListener(loop: loop, fileDescriptor: fd)
        #expect(try listener.fileDescriptor() == fd)
        var serverSaw: [UInt8] = []
        try listener.listen { result in
            guard let connection = accepted(result) else { return }
            do {
                try connection.startReading(onData: { serverSaw.append(contentsOf: $0) }, onEnd: { _ in
                    connection.close()
                    listener.close()
                })
            } catch {
                Issue.record(error)
            }
        }
        let client = try TCPConnection(loop: loop)
        try client.connect(to: listener.localAddress()) { error in
            #expect(error == nil)
            do { try client.write(Array("inherited".utf8)) { _ in client.close() } } catch { Issue.record(error) }
        }
        try runLoop(loop)
        #expect(serverSaw == Array("inherited".utf8))
    }
}

@Suite struct ResolveTests {
    @Test func resolvesNumericAddressesAndNames() throws {
        let loop = try EventLoop()
        #expect(try loop.resolve(host: "127.0.0.1", port: 1935) == SocketAddress(ip: "127.0.0.1", port: 1935))
        let local = try loop.resolve(host: "localhost", port: 80)
        #expect(local.port == 80)
        #expect(local.ip == "127.0.0.1" || local.ip == "::1")
    }

    @Test func anUnknownNameNamesTheHost() throws {
        let loop = try EventLoop()
        let error = try #require(throws: LibUVError.self) { try loop.resolve(host: "no-such-host.invalid", port: 80) }
        #expect(error.call == "getaddrinfo(no-such-host.invalid)")
    }
}
