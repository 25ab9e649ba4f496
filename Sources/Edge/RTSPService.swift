import Config
import Control
import EventLoop
import Log
import RTSP
import Ring

/// RTSP on an edge worker: the connections accepted on `rtsp` ports, one `RTSPLiveChannel` per played stream, and
/// the UDP socket pair every UDP viewer of this edge is sent RTP and RTCP from (its `server_port`). Viewers are
/// served here; publishers are handed to their stream's ingest worker at their ANNOUNCE, through the supervisor
/// (`WorkerMessage.handoff`, proto `rtsp`, the socket passed along), as RTMP publishers are.
final class RTSPService: EdgeService<RTSPEdgeConnection, RTSPLiveChannel> {
    private let udp: UDPSocketPair?

    init(context: EdgeServiceContext) {
        do {
            let pair = try UDPSocketPair(loop: context.loop)
            // Players send receiver reports and NAT openers here: read and let go.
            for socket in [pair.rtp, pair.rtcp] { try socket.startReceiving(onDatagram: { _, _ in }, onError: { _ in }) }
            udp = pair
            context.log.info("RTSP: UDP viewers are sent media from ports \(pair.port)-\(pair.port + 1)")
        } catch {
            context.log.error("RTSP: no UDP ports for viewers (\(error)); their UDP SETUPs get 461")
            udp = nil
        }
        super.init(context: context, label: "RTSP", viewersLabel: "RTSP viewers")
    }

    override func makeConnection(_ tcp: TCPConnection, onClose: @escaping (EdgeConnection) -> Void) -> RTSPEdgeConnection {
        let router = RTSPEdgeConnection.Router(
            publish: { [unowned self] request, connection in publish(request, connection) },
            channel: { [unowned self] path in channel(path) }, udp: udp)
        return RTSPEdgeConnection(connection: tcp, now: context.loop.now, router: router, log: log, onClose: onClose)
    }

    /// A publisher goes to its stream's ingest worker, if the stream takes publishers (`input publish://`): 404
    /// otherwise. Passwords and `on_publish` are the ingest worker's to check.
    private func publish(_ request: RTSPServerSession.Request, _ connection: RTSPEdgeConnection) -> RTSPEdgeConnection.Refusal? {
        let name = request.path
        guard context.takesPublishers(name) else { return .init(status: 404, reason: "no stream \(name) takes publishers here") }
        let started = connection.handOver { [unowned self] handover, done in
            context.handOff(WorkerMessage.Handoff(stream: name, proto: "rtsp", state: handover.serialized()), connection.connection, done)
        }
        guard started else { return .init(status: 455, reason: "the session cannot be handed over") }
        log.info("\(connection.peer): RTSP publisher of \(name) handed to its ingest worker")
        return nil
    }

    private func channel(_ name: String) -> Result<RTSPLiveChannel, RTSPEdgeConnection.Refusal> {
        guard context.lookup(name, false) != nil else { return .failure(.init(status: 404, reason: "no stream \(name)")) }
        if let channel = channels[name] { return .success(channel) }
        do {
            let channel = try RTSPLiveChannel(stream: name, reader: try context.openRing(name), wakeups: context.wakeups,
                                              loop: context.loop, udp: udp, log: log)
            channels.insert(channel, key: name)
            return .success(channel)
        } catch {
            return .failure(.init(status: 404, reason: "stream \(name) is not running: \(error)"))
        }
    }

    override func closeAll() {
        super.closeAll()
        udp?.close()
    }
}
