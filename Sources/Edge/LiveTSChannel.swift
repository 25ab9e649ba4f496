import EventLoop
import Log
import Media
import Ring

/// One stream's live HTTP MPEG-TS (`/NAME/mpegts`) on this edge worker: the ring is read once and muxed once, and
/// the same bytes go to every viewer (no per-viewer copy). A viewer starts at a keyframe with fresh tables; one
/// whose socket queue grows past `maxQueuedBytes` (a link slower than the stream) skips to the next keyframe and
/// the skip is counted. Nobody ever waits for a slow viewer.
final class LiveTSChannel {
    final class Viewer {
        let connection: HTTPServerConnection
        /// Sends nothing until the next keyframe chunk: at the start, and after falling behind.
        var waitingForKeyframe = true
        var skips = 0
        var bytesSent = 0

        init(connection: HTTPServerConnection) { self.connection = connection }
    }

    let stream: String
    private let reader: RingReader
    private var muxer: TSMuxer
    private let log: Logger
    private var viewers: [ObjectIdentifier: Viewer] = [:]
    private var payload: [UInt8] = []
    private var chunk: [UInt8] = []
    private var chunkStartsAtKeyframe = false
    private var tracksVersion: UInt64 = .max
    private var hasVideo = false
    private let maxQueuedBytes: Int

    init(stream: String, reader: RingReader, muxerOptions: TSMuxer.Options, maxQueuedBytes: Int, log: Logger) throws {
        self.stream = stream
        self.reader = reader
        self.muxer = try TSMuxer(tracks: [], options: muxerOptions)
        self.maxQueuedBytes = maxQueuedBytes
        self.log = log
        chunk.reserveCapacity(256 * 1024)
        payload.reserveCapacity(256 * 1024)
    }

    var isIdle: Bool { viewers.isEmpty }

    func add(_ viewer: Viewer) { viewers[ObjectIdentifier(viewer)] = viewer }

    func remove(_ viewer: Viewer) { viewers[ObjectIdentifier(viewer)] = nil }

    /// Ends every viewer's response (the stream was removed or changed, or the worker stops).
    func closeAll() {
        for viewer in viewers.values { viewer.connection.close() }
    }

    /// Reads what the ring has, muxes it, and hands it out: call it when the ring has news (the edge polls rings with
    /// viewers every few milliseconds).
    func pump() {
        while let event = reader.next(into: &payload) {
            switch event {
            case .lapped(let lost):
                log.notice("live TS reader lapped, \(lost) frames lost, resuming at a keyframe")
                flush()
                tracksVersion = .max  // the track table may have changed in what was lost
            case .frame(let frame):
                if frame.info.flags.contains(.configChange) || tracksVersion == .max { refreshTracks() }
                let startsGroup = frame.info.isKeyframe && (!hasVideo || isVideo(frame.info.track))
                if startsGroup {
                    flush()
                    chunkStartsAtKeyframe = true
                    muxer.writeTables(into: &chunk)
                }
                payload.withUnsafeBytes { muxer.write(frame.info, payload: $0, into: &chunk) }
            }
        }
        flush()
    }

    private func isVideo(_ track: Int) -> Bool { muxer.tracks.first { $0.id == track }?.kind == .video }

    private func refreshTracks() {
        let version = reader.status().tracksVersion
        guard version != tracksVersion, let tracks = try? reader.tracks() else { return }
        tracksVersion = version
        hasVideo = tracks.contains { $0.kind == .video }
        do { try muxer.setTracks(tracks) } catch { log.error("live TS: tracks cannot be muxed: \(error)") }
    }

    /// Sends the chunk built so far to every viewer that can take it.
    private func flush() {
        defer {
            chunk.removeAll(keepingCapacity: true)
            chunkStartsAtKeyframe = false
        }
        guard !chunk.isEmpty, !viewers.isEmpty else { return }
        let shared = SharedBytes(chunk)
        for viewer in viewers.values {
            if viewer.waitingForKeyframe {
                guard chunkStartsAtKeyframe else { continue }
                viewer.waitingForKeyframe = false
            } else if viewer.connection.connection.writeQueueSize > maxQueuedBytes {
                viewer.waitingForKeyframe = true
                viewer.skips += 1
                continue
            }
            do {
                try viewer.connection.connection.write(shared)
                viewer.bytesSent += shared.count
            } catch {
                viewer.connection.close()  // which removes it from this channel
            }
        }
    }
}
