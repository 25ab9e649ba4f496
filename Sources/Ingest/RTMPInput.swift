import Config
import EventLoop
import Media
import Outbound
import RTMP

/// `input rtmp://HOST[:PORT]/APP/NAME[?query]` (port 1935) or `rtmps://` (port 443, over TLS with the server's
/// certificate checked: see `OutboundConnection`): a stream played from an RTMP server (another Sluice, nginx-rtmp,
/// SRS, `ffmpeg -listen 1`), as ffmpeg plays it, its FLV media delivered as frames. The protocol and every decision
/// are `RTMPPull`'s; this owns the connection. Open at NetStream.Play.Start; failed at a refusal,
/// the publisher's leaving, the end of the connection or unsupported media, and then made anew by the worker
/// when the selector's backoff allows. No connect or play timeout of its own: the stream's `source_timeout`
/// covers a server that never answers or never sends.
final class RTMPInput: IngestInput {
    private let url: InputURL
    private let loop: EventLoop
    private let events: IngestInputEvents
    private var connection: OutboundConnection?
    private var pull: RTMPPull?
    private var stopped = false

    init(url: InputURL, loop: EventLoop, events: IngestInputEvents) {
        self.url = url
        self.loop = loop
        self.events = events
    }

    func start() throws {
        let rtmpURL: RTMPURL
        do { rtmpURL = try RTMPURL(url.text) } catch { throw InputError("\(error)") }
        let connection = try OutboundConnection(loop: loop, host: rtmpURL.host, port: rtmpURL.port, secure: rtmpURL.isSecure)
        self.connection = connection
        pull = RTMPPull(url: rtmpURL)
        try connection.connect { [weak self] error in
            guard let self, !stopped else { return }
            if let error { return fail("\(error)") }  // names the call and the address
            do {
                try connection.startReading(onData: { [weak self] bytes in
                    guard let self, !stopped else { return }
                    pull?.receive(bytes) { self.perform($0) }
                }, onEnd: { [weak self] error in
                    guard let self, !stopped else { return }
                    pull?.ended(error: error.map { "\($0)" }) { self.perform($0) }
                })
            } catch {
                return fail("\(error)")
            }
            pull?.start { self.perform($0) }
        }
    }

    func stop() {
        stopped = true
        connection?.close()
        connection = nil
    }

    /// Runs inside `pull`'s calls: touches everything but `pull`.
    private func perform(_ output: RTMPPull.Output) {
        guard !stopped else { return }  // the worker may stop this input from inside `events`
        switch output {
        case .send(let bytes):
            do { try connection?.write(bytes) } catch { fail("write: \(error)") }
        case .opened:
            events.opened()
        case .frame(let track, let info, let payload):
            events.frame(track, info, payload)
        case .failed(let reason):
            fail(reason)
        }
    }

    private func fail(_ reason: String) {
        guard !stopped else { return }
        stop()
        events.failed(reason)
    }
}
