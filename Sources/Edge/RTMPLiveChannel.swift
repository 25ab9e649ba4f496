import EventLoop
import Log
import Media
import RTMP
import Ring

/// One stream's RTMP players on this edge worker (those on one message stream id, in practice all: clients get 1
/// from their first createStream). The ring is read once; each frame becomes one FLV tag and one self-contained RTMP
/// message (a type-0 chunk header, so that it does not depend on what a player received before), and the same
/// bytes go to every player: no per-player copy or encoding.
///
/// A player that joins gets the tracks' sequence headers, then every message since the newest keyframe (kept here,
/// up to `maxGroupBytes`), so the picture appears at once; then the live flow. One whose socket queue grows past
/// 5 seconds of the stream (`LiveViewerPacing.queueLimit`: a link slower than the stream) skips to the next keyframe,
/// with a log line. Nobody ever
/// waits for a slow player.
///
/// The channel writes what its ring got as soon as the edge is woken for it (`RingWakeups`); with more than
/// `LiveBatching.viewerThreshold` players, at most every `LiveBatching.intervalMs` (`LiveOutput`), to halve the
/// writes (their cost is per write, not per byte), and `pump` tells the edge when to come back.
///
/// Chunk streams: audio on 6 and video on 7 (`RTMPChunkStreamID`), which only this channel writes on; each player's
/// session keeps its own encoder for commands, statuses and metadata on the others.
final class RTMPLiveChannel: LiveChannel {
    final class Player: LiveViewer {
        let connection: RTMPEdgeConnection
        /// Starts with the current group, from `add`.
        var pacing = LiveViewerPacing(waitingForGroup: false)
        /// Where it is in `players`; nil once removed.
        fileprivate var index: Int?

        init(connection: RTMPEdgeConnection) { self.connection = connection }

        var peer: String { connection.peer }
        var queuedBytes: Int { connection.writeQueueSize }
        func send(_ bytes: SharedBytes) {
            if index != nil { connection.write(bytes) }  // a failed write removes its player meanwhile
        }
    }

    let stream: String
    let messageStreamID: UInt32
    private let feed: LiveRingFeed
    private var muxer = FLVTagMuxer(tracks: [])
    private let log: Logger
    private let loop: EventLoop
    /// An array, not a dictionary: every hand-out walks it.
    private var players: [Player] = []
    private var tag: [UInt8] = []
    /// The messages built since the last hand-out, and everything since the newest keyframe for players who join.
    private var output: LiveOutput
    /// The tracks' sequence headers as messages, for players who join: those of what was handed out (`sent`), and
    /// those of what `output` holds (`built`).
    private var sequenceHeaders: (sent: SharedBytes?, built: SharedBytes?)
    private static let chunkSize = RTMPServerSession.Configuration().chunkSize

    init(stream: String, messageStreamID: UInt32, reader: RingReader, wakeups: RingWakeups, loop: EventLoop,
         maxGroupBytes: Int = 8 << 20, log: Logger) throws {
        self.stream = stream
        self.messageStreamID = messageStreamID
        self.feed = try LiveRingFeed(reader: reader, wakeups: wakeups)
        self.output = LiveOutput(maxGroupBytes: maxGroupBytes)
        self.log = log
        self.loop = loop
    }

    /// The stream's ring was removed or created again (the stream stopped, or restarted with another ring): the
    /// channel's viewers are of a stream that is gone.
    var isReplaced: Bool { feed.isReplaced }

    var isIdle: Bool { players.isEmpty }

    /// Starts a player: metadata, sequence headers and the current group of pictures, then the live flow.
    func add(_ player: Player) {
        _ = pump()  // what the ring has now is in the group before the player joins it
        player.index = players.count
        players.append(player)
        player.connection.sendMetadata(RTMPMetadata.properties(muxer.tracks))
        if let headers = sequenceHeaders.sent { player.connection.write(headers) }
        if let pieces = output.group.pieces {
            for bytes in pieces { player.connection.write(bytes) }
        } else {
            player.pacing.waitingForGroup = true
        }
    }

    func remove(_ player: Player) {
        guard let index = player.index else { return }
        player.index = nil
        let last = players.removeLast()
        if last !== player {
            players[index] = last
            last.index = index
        }
    }

    /// Ends every player's connection (the stream was removed or changed, or the worker stops).
    func closeAll() {
        for player in players { player.connection.close() }
    }

    /// Reads what the ring has, packages it, and hands it out (or holds it, `LiveBatching`): call it when the ring
    /// has news (`RingWakeups`) and at the time it returns, that of its next hand-out; nil when it wants to hear of
    /// every frame.
    func pump() -> UInt64? {
        feed.pump(log: log, reader: "\(stream): RTMP reader", flush: flush, tracks: setTracks,
                  groupStart: { output.beginGroup() }) { info, payload in
            tag.removeAll(keepingCapacity: true)
            guard let header = muxer.write(info, payload: payload, into: &tag) else { return }
            appendMessage(header.type.rawValue, timestamp: header.timestamp, to: &output.bytes)
        }
        return output.nextFlush(viewers: players.count, nowMs: loop.now)
    }

    /// `tag` as one self-contained message on the channel's message stream.
    private func appendMessage(_ typeID: UInt8, timestamp: UInt32, to out: inout [UInt8]) {
        tag.withUnsafeBytes {
            RTMPChunkEncoder.appendStandalone($0, typeID: typeID, streamID: messageStreamID, timestamp: timestamp,
                                              csid: RTMPChunkStreamID.forMessage(typeID: typeID),
                                              chunkSize: Self.chunkSize, to: &out)
        }
    }

    /// New tracks: their sequence headers go to every player now, and to those who join later.
    private func setTracks(_ tracks: [Track]) {
        let changed = muxer.setTracks(tracks)
        for (id, error) in muxer.leftOut { log.info("RTMP: track \(id) left out: \(error)") }
        var headers: [UInt8] = []
        for id in muxer.tracks.map(\.id) {
            tag.removeAll(keepingCapacity: true)
            guard let type = muxer.sequenceHeader(for: id, into: &tag) else { continue }
            let timestamp = muxer.timestampBase.map { _ in muxer.timestamp(for: feed.lastFrameDts) } ?? 0
            appendMessage(type.rawValue, timestamp: timestamp, to: &headers)
            if changed.contains(id) { appendMessage(type.rawValue, timestamp: timestamp, to: &output.bytes) }
        }
        sequenceHeaders.built = headers.isEmpty ? nil : SharedBytes(headers)
        if output.isEmpty { sequenceHeaders.sent = sequenceHeaders.built }
    }

    /// Sends the messages built so far to every player that can take them (unless `LiveBatching` holds them), and
    /// keeps them for players who join.
    private func flush() {
        let limit = LiveViewerPacing.queueLimit(bitsPerSecond: feed.bitsPerSecond)
        output.flush(viewers: players.count, nowMs: loop.now) { piece, startsGroup in
            players.deliver(piece, startsGroup: startsGroup, limit: limit, log: log, what: "RTMP play of \(stream)")
        }
        if output.isEmpty { sequenceHeaders.sent = sequenceHeaders.built }
    }
}
