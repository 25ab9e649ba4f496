import Config
import Control
import EventLoop
import Log
import Media
import RTMP
import Ring

/// RTMP on an edge worker: the connections accepted on `rtmp` ports, and one `RTMPLiveChannel` per played stream.
/// Players are served here; publishers are handed to their stream's ingest worker through the supervisor
/// (`WorkerMessage.handoff`, the socket passed along), so that the ingest worker stays the one writer of the ring.
final class RTMPService {
    private let loop: EventLoop
    private let instance: String
    private let log: Logger
    private var connections: [ObjectIdentifier: RTMPEdgeConnection] = [:]
    private var channels: [String: RTMPLiveChannel] = [:]
    /// A stream this edge serves, by name (`publishing`: for a publisher, who may make it from a template).
    private let lookup: (String, _ publishing: Bool) -> ResolvedStream?
    /// Sends a handoff line with the connection's descriptor to the supervisor; calls back once written.
    private let handOff: (WorkerMessage.Handoff, TCPConnection, @escaping () -> Void) -> Void
    /// Called when the first channel opens: the worker starts polling (`pump`).
    private let wantsPolling: () -> Void

    init(loop: EventLoop, instance: String, log: Logger,
         handOff: @escaping (WorkerMessage.Handoff, TCPConnection, @escaping () -> Void) -> Void,
         wantsPolling: @escaping () -> Void, lookup: @escaping (String, Bool) -> ResolvedStream?) {
        self.lookup = lookup
        self.loop = loop
        self.instance = instance
        self.log = log
        self.handOff = handOff
        self.wantsPolling = wantsPolling
    }

    var hasChannels: Bool { !channels.isEmpty }

    /// The streams that have players here.
    var playedStreams: Set<String> { Set(channels.values.map(\.stream)) }

    func accepted(_ result: Result<TCPConnection, LibUVError>) {
        switch result {
        case .failure(let error):
            log.error("RTMP accept: \(error)")
        case .success(let tcp):
            let router = RTMPEdgeConnection.Router(
                publish: { [unowned self] request, connection in publish(request, connection) },
                play: { [unowned self] request in play(request) })
            let connection = RTMPEdgeConnection(connection: tcp, now: loop.now, router: router, log: log,
                                                onClose: { [unowned self] in connections[ObjectIdentifier($0)] = nil })
            connections[ObjectIdentifier(connection)] = connection
            do { try connection.start() } catch { connection.close() }
        }
    }

    /// A publisher goes to its stream's ingest worker, if the stream takes publishers (`input publish://`).
    /// Passwords and `on_publish` are the ingest worker's to check.
    private func publish(_ request: RTMPStreamRequest, _ connection: RTMPEdgeConnection) -> (code: String, description: String)? {
        let name = request.streamName
        guard let stream = lookup(name, true), stream.stream.settings.inputs.contains(where: { $0.url.scheme == "publish" }) else {
            return (RTMPStatus.Code.publishBadName, "no stream \(name) takes publishers here")
        }
        let started = connection.handOver { [unowned self] handover, done in
            handOff(WorkerMessage.Handoff(stream: name, proto: "rtmp", state: handover.serialized()), connection.connection, done)
        }
        guard started else { return (RTMPStatus.Code.publishBadName, "the session cannot be handed over") }
        log.info("\(connection.peer): RTMP publisher of \(name) handed to its ingest worker")
        return nil
    }

    private func play(_ request: RTMPStreamRequest) -> Result<RTMPLiveChannel, RTMPEdgeConnection.PlayRefusal> {
        let name = request.streamName
        guard lookup(name, false) != nil else {
            return .failure(.init(code: RTMPStatus.Code.playStreamNotFound, description: "no stream \(name)"))
        }
        let key = "\(request.messageStreamID)/\(name)"
        if let channel = channels[key] { return .success(channel) }
        do {
            let reader = try RingReader(open: RingName(instance: instance, stream: name))
            let channel = RTMPLiveChannel(stream: name, messageStreamID: request.messageStreamID, reader: reader, log: log)
            channels[key] = channel
            if channels.count == 1 { wantsPolling() }
            return .success(channel)
        } catch {
            log.info("\(name): no ring to play yet: \(error)")
            return .failure(.init(code: RTMPStatus.Code.playStreamNotFound, description: "stream \(name) is not running"))
        }
    }

    /// Feeds every channel what its ring has; channels without players are dropped.
    func pump() {
        for (key, channel) in channels {
            channel.pump()
            if channel.isIdle { channels[key] = nil }
        }
    }

    /// A stream removed or changed by a reload: its players are disconnected (they reconnect to the new one).
    func forget(_ stream: String) {
        for (key, channel) in channels where channel.stream == stream {
            channel.closeAll()
            channels[key] = nil
        }
    }

    /// Closes idle connections, and the players of channels whose ring was replaced (they reconnect).
    func sweep(now: UInt64, idleMs: UInt64) {
        for connection in connections.values { connection.sweep(now: now, idleMs: idleMs) }
        for (key, channel) in channels where channel.isReplaced {
            log.info("\(channel.stream): its ring was replaced; RTMP players disconnected")
            channel.closeAll()
            channels[key] = nil
        }
    }

    func closeAll() {
        for connection in connections.values { connection.close() }
        channels.removeAll()
    }
}
