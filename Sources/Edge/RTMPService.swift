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
final class RTMPService: EdgeService<RTMPEdgeConnection, RTMPLiveChannel> {
    init(context: EdgeServiceContext) {
        super.init(context: context, label: "RTMP", viewersLabel: "RTMP players")
    }

    override func makeConnection(_ tcp: TCPConnection, onClose: @escaping (EdgeConnection) -> Void) -> RTMPEdgeConnection {
        let router = RTMPEdgeConnection.Router(
            publish: { [unowned self] request, connection in publish(request, connection) },
            play: { [unowned self] request in play(request) })
        return RTMPEdgeConnection(connection: tcp, now: context.loop.now, router: router, log: log, onClose: onClose)
    }

    /// A publisher goes to its stream's ingest worker, if the stream takes publishers (`input publish://`).
    /// Passwords and `on_publish` are the ingest worker's to check.
    private func publish(_ request: RTMPStreamRequest, _ connection: RTMPEdgeConnection) -> (code: String, description: String)? {
        let name = request.streamName
        guard context.takesPublishers(name) else {
            return (RTMPStatus.Code.publishBadName, "no stream \(name) takes publishers here")
        }
        let started = connection.handOver { [unowned self] handover, done in
            context.handOff(WorkerMessage.Handoff(stream: name, proto: "rtmp", state: handover.serialized()), connection.connection, done)
        }
        guard started else { return (RTMPStatus.Code.publishBadName, "the session cannot be handed over") }
        log.info("\(connection.peer): RTMP publisher of \(name) handed to its ingest worker")
        return nil
    }

    private func play(_ request: RTMPStreamRequest) -> Result<RTMPLiveChannel, RTMPEdgeConnection.PlayRefusal> {
        let name = request.streamName
        guard context.lookup(name, false) != nil else {
            return .failure(.init(code: RTMPStatus.Code.playStreamNotFound, description: "no stream \(name)"))
        }
        let key = "\(request.messageStreamID)/\(name)"
        if let channel = channels[key] { return .success(channel) }
        do {
            let channel = try RTMPLiveChannel(stream: name, messageStreamID: request.messageStreamID,
                                              reader: try context.openRing(name), wakeups: context.wakeups,
                                              loop: context.loop, log: log)
            channels.insert(channel, key: key)
            return .success(channel)
        } catch {
            log.info("\(name): no ring to play yet: \(error)")
            return .failure(.init(code: RTMPStatus.Code.playStreamNotFound, description: "stream \(name) is not running"))
        }
    }
}
