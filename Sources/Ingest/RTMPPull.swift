import Media
import RTMP

/// What an `rtmp://` input decides, without its socket: an `RTMPClientSession` playing the URL, its audio and video
/// messages turned into frames by an `FLVTagDemuxer`, and every way the play can end turned into one `failed` with
/// a reason fit for the log and `sluice ctl streams`. `RTMPInput` connects, calls `start` and `receive`, and
/// performs the outputs in the order given; after `failed` nothing more comes, and the selector reconnects with
/// its backoff.
///
/// Ends of a play, each a failure:
/// - a refusal: an `_error` to connect or createStream, an onStatus of level error (NetStream.Play.StreamNotFound,
///   Play.Failed...), a handshake or chunk stream error (the session's own reason);
/// - after the start, NetStream.Play.UnpublishNotify (the publisher left; nginx-rtmp and SRS keep the connection
///   and wait for the next publisher, the selector reconnects instead), Play.StreamNotFound at any level, and
///   Play.Stop;
/// - a tag the demuxer names `unsupported` (a codec Sluice does not take): malformed tags are counted, not fatal;
/// - the end of the connection (`ended`), said differently before and after the start.
struct RTMPPull {
    /// What the caller does. `frame`'s payload is borrowed for the call.
    enum Output {
        case send([UInt8])
        /// NetStream.Play.Start: the input is open.
        case opened
        case frame(Track, FrameInfo, UnsafeRawBufferPointer)
        case failed(String)
    }

    /// Statuses that end a play that had started, whatever their level.
    static let endingStatuses: Set<String> = [
        RTMPStatus.Code.playUnpublishNotify, RTMPStatus.Code.playStreamNotFound, RTMPStatus.Code.playStop,
    ]

    private var session: RTMPClientSession
    private var demuxer = FLVTagDemuxer()
    private(set) var hasFailed = false

    init(url: RTMPURL, configuration: RTMPClientSession.Configuration = RTMPClientSession.Configuration()) {
        session = RTMPClientSession(url: url, mode: .play, configuration: configuration)
    }

    var url: RTMPURL { session.url }
    /// What the demuxer was given and put aside (malformed tags, frames before a sequence header...).
    var stats: FLVDemuxStats { demuxer.stats }

    /// C0 and C1: call once the socket is connected.
    mutating func start(_ output: (Output) -> Void) {
        perform(session.start(), output)
    }

    /// Bytes read from the server.
    mutating func receive(_ bytes: UnsafeRawBufferPointer, _ output: (Output) -> Void) {
        guard !hasFailed else { return }
        perform(session.receive(bytes), output)
    }

    /// The connection ended: `error` is the read error, nil when the server closed it.
    mutating func ended(error: String?, _ output: (Output) -> Void) {
        let what = error.map { "connection lost: \($0)" } ?? "the server closed the connection"
        switch session.state {
        case .idle, .handshake: fail("\(what) during the RTMP handshake", output)
        case .connecting, .creatingStream, .starting: fail("\(what) before the play started", output)
        case .ready, .failed, .closed: fail(what, output)
        }
    }

    private mutating func perform(_ actions: [RTMPClientSession.Action], _ output: (Output) -> Void) {
        for action in actions {
            guard !hasFailed else { return }
            switch action {
            case .send(let bytes):
                output(.send(bytes))
            case .ready:
                output(.opened)
            case .media(let message):
                demux(message, output)
            case .status(let status):
                guard Self.endingStatuses.contains(status.code) else { continue }
                let what = status.code == RTMPStatus.Code.playUnpublishNotify ? "the publisher left" : "the play ended"
                fail("\(what) (\(status.code): \(status.description))", output)
            case .failed(let reason):
                fail(reason, output)
            }
        }
    }

    private mutating func demux(_ message: RTMPMessage, _ output: (Output) -> Void) {
        guard let type = FLVTagType(rawValue: message.typeID) else { return }  // AMF3 data: nothing for the media path
        let outcome = message.payload.withUnsafeBytes { body in
            demuxer.feed(type, timestamp: message.timestamp, body: body) { output(.frame($0, $1, $2)) }
        }
        if case .failed(let error) = outcome, error.kind == .unsupported {
            fail("unsupported media: \(error)", output)
        }
    }

    private mutating func fail(_ reason: String, _ output: (Output) -> Void) {
        guard !hasFailed else { return }
        hasFailed = true
        output(.failed(reason))
    }
}
