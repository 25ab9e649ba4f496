import EventLoop
import Log

/// What an edge worker's protocol services share (`RTMPService`, `RTSPService`): the worker's context, the
/// connections accepted on the protocol's ports (kept until they close), the live channels of the streams played,
/// and what the worker does to all of them (pump, forget, sweep, close). A service makes its own connections
/// (`makeConnection`), with the routing its protocol needs.
class EdgeService<Connection: EdgeConnection, Channel: LiveChannel> {
    let context: EdgeServiceContext
    /// `RTMP`, `RTSP`: how log lines name the protocol.
    let label: String
    /// Who a channel's viewers are in log lines: "RTMP players", "RTSP viewers".
    let viewersLabel: String
    private var connections: [ObjectIdentifier: Connection] = [:]
    var channels = LiveChannelTable<Channel>()

    init(context: EdgeServiceContext, label: String, viewersLabel: String) {
        self.context = context
        self.label = label
        self.viewersLabel = viewersLabel
    }

    var log: Logger { context.log }

    /// The streams played here.
    var playedStreams: Set<String> { channels.streams }

    func accepted(_ result: Result<TCPConnection, LibUVError>) {
        switch result {
        case .failure(let error):
            log.error("\(label) accept: \(error)")
        case .success(let tcp):
            let connection = makeConnection(tcp, onClose: { [unowned self] in connections[ObjectIdentifier($0)] = nil })
            connections[ObjectIdentifier(connection)] = connection
            do { try connection.start() } catch { connection.close() }
        }
    }

    /// The protocol's connection for an accepted socket; `onClose` must reach `EdgeConnection`'s.
    func makeConnection(_ tcp: TCPConnection, onClose: @escaping (EdgeConnection) -> Void) -> Connection {
        preconditionFailure("\(label): a service makes its own connections")
    }

    /// Feeds every channel what its ring has, and tells `next` when each wants the loop again (nil: at its ring's
    /// next write); channels nobody watches are dropped.
    func pump(_ next: (UInt64?) -> Void) { channels.pump(next) }

    /// A stream removed or changed by a reload: its viewers are disconnected (they reconnect to the new one).
    func forget(_ stream: String) { channels.forget(stream) }

    /// Closes idle connections, and the viewers of channels whose ring was replaced (they reconnect).
    func sweep(now: UInt64, idleMs: UInt64) {
        for connection in connections.values { connection.sweep(now: now, idleMs: idleMs) }
        channels.dropReplaced(log: log, what: viewersLabel)
    }

    func closeAll() {
        for connection in connections.values { connection.close() }
        channels.removeAll()
    }
}
