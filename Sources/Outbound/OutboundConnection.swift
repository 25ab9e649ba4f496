import EventLoop
import TLS

/// A connection Sluice makes to a server (a pulled source, a push target, an authorization backend): plain TCP, or
/// TLS over TCP (`tshttps://`, `rtmps://`, `https://`) through a `TLSClient`, behind the one surface its clients
/// (`HTTPGet`, `RTMPInput`, `RTMPPushTarget`) use, so that they do not care which.
///
/// `connect` resolves the host and connects; its completion comes once the connection can carry the caller's bytes:
/// TCP connected and, with TLS, the handshake done, so that a refused certificate (untrusted, or not for this name)
/// is a connect error. The caller then starts reading and writes. `onEnd` comes once: nil at a clean end (the TCP
/// end; with TLS, the server's close_notify), else the error: a `LibUVError`, or a `TLSError` (with TLS, a TCP end
/// without close_notify is one: what came may have been cut short).
///
/// Costs of TLS: the `TLSClient`'s buffers; each read is decrypted into its plaintext buffer and handed on
/// borrowed, each write is encrypted into its ciphertext buffer and copied once into the socket's queue (or
/// written at once). The process's `TLSContext` is made at the first TLS connection.
public final class OutboundConnection {
    /// The name connected to (and, with TLS, checked against the certificate), without IPv6 brackets.
    public let host: String
    public let port: Int
    /// `host:port`, IPv6 hosts in brackets: for errors.
    public var peer: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    private let tcp: TCPConnection
    private let tls: TLSClient?
    /// With TLS, `connect`'s completion while the handshake runs.
    private var connected: (((any Error)?) -> Void)?
    private var onData: ((UnsafeRawBufferPointer) -> Void)?
    private var onEnd: (((any Error)?) -> Void)?

    /// `secure`: TLS, with the certificate checked against `host`. Throws when the process's TLS context cannot be
    /// made (the system's authorities cannot be read).
    public init(loop: EventLoop, host: String, port: Int, secure: Bool) throws {
        self.host = host
        self.port = port
        tls = secure ? try TLSClient(context: TLSContext.shared.get(), serverName: host) : nil
        tcp = try TCPConnection(loop: loop)
    }

    deinit {
        tcp.close()
    }

    /// Resolves the host (blocking, see `EventLoop.resolve`: an unknown host is thrown) and connects; `completion`
    /// gets nil once connected (with TLS: once the handshake is done), or the error (refused, unreachable, a TLS
    /// handshake or certificate error). Not called after `close`.
    public func connect(completion: @escaping ((any Error)?) -> Void) throws {
        let address = try tcp.loop.resolve(host: host, port: port)
        try tcp.connect(to: address) { [weak self] error in
            guard let self, !tcp.isClosing else { return }
            guard error == nil, let tls else { return completion(error) }
            connected = completion
            do {
                try tls.start()
                try flush()
                try tcp.startReading(onData: { [weak self] in self?.received($0) }, onEnd: { [weak self] error in
                    guard let self else { return }
                    end(error ?? tls.endOfInput())
                })
            } catch {
                end(error)
            }
        }
    }

    /// Delivers what arrives, plaintext (any split, borrowed during the call), then `onEnd` once. Called from
    /// `connect`'s completion.
    public func startReading(onData: @escaping (UnsafeRawBufferPointer) -> Void,
                             onEnd: @escaping ((any Error)?) -> Void) throws {
        guard tls != nil else { return try tcp.startReading(onData: onData, onEnd: { onEnd($0) }) }
        self.onData = onData
        self.onEnd = onEnd
    }

    /// Queues `bytes` (copied: the caller may reuse them at once); with TLS, encrypted.
    public func write(_ bytes: [UInt8]) throws {
        guard let tls else { return try tcp.write(bytes) }
        try bytes.withUnsafeBytes { try tls.send($0) }
        try flush()
    }

    /// Sends small writes at once (Nagle off): for interactive protocols.
    public func setNoDelay(_ enabled: Bool) throws {
        try tcp.setNoDelay(enabled)
    }

    /// Bytes written and not yet handed to the kernel (with TLS, as ciphertext).
    public var writeQueueSize: Int { tcp.writeQueueSize }

    /// True from the first `close()` on.
    public var isClosing: Bool { tcp.isClosing }

    /// Closes the connection, after a TLS close_notify (sent when the socket takes it at once); nothing is
    /// reported any more. Calling it again does nothing.
    public func close() {
        guard !tcp.isClosing else { return }
        if let tls {
            tls.close()
            try? flush()
        }
        connected = nil
        onData = nil
        onEnd = nil
        tcp.close()
    }

    /// Ciphertext from the network: the handshake advances (and `connect` completes when it is done), plaintext
    /// goes to `onData`.
    private func received(_ bytes: UnsafeRawBufferPointer) {
        guard let tls else { return }
        do {
            try tls.receive(bytes) { plaintext in
                handshakeDone()  // before the first plaintext, so that the caller is reading
                onData?(plaintext)
            }
            try flush()  // handshake messages, answers to the server's, alerts
        } catch {
            return end(error)
        }
        if tls.state != .handshaking { handshakeDone() }
        if tls.state == .closed { end(nil) }
    }

    private func handshakeDone() {
        guard let connected else { return }
        self.connected = nil
        connected(nil)
    }

    private func flush() throws {
        try tls?.drainOutgoing { try tcp.write(copying: $0) }
    }

    /// The TLS connection failed, closed or ended: `connect` fails while the handshake runs, reading ends after.
    private func end(_ error: (any Error)?) {
        tcp.stopReading()
        if let connected {
            self.connected = nil
            return connected(error ?? TLSError("\(peer) closed the connection during the TLS handshake"))
        }
        guard let onEnd else { return }
        self.onEnd = nil
        onData = nil
        onEnd(error)
    }
}
