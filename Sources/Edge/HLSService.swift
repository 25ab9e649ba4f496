import Config
import EventLoop
import HLS
import HTTP
import Log
import Media
import Ring

/// HLS on an edge worker: playlists from the ring's segment table and segments muxed from the ring's frames, the
/// same names and bytes on every edge worker (the ingest worker decided the segments). Each segment is muxed once
/// per edge and kept in a cache bounded in bytes; one asked for after it left both the ring and the cache gets 404.
final class HLSService {
    private let instance: String
    private let log: Logger
    private var readers: [String: RingReader] = [:]
    /// 64 MB of muxed segments per edge: about 40 s of each of 3 streams at 4 Mbit/s.
    private var cache = SegmentCache(capacity: 64 << 20)
    private var payload: [UInt8] = []
    private var muxed: [UInt8] = []

    init(instance: String, log: Logger) {
        self.instance = instance
        self.log = log
    }

    func closeAll() {
        readers.removeAll()
        cache.removeAll()
    }

    /// Forgets a stream's reader and segments (it was removed or restarted with another ring).
    func forget(_ stream: String) {
        readers[stream] = nil
        cache.remove(stream: stream)
    }

    /// The answer to an HLS request, or nil for a playlist of a stream that has not cut enough segments yet, or of
    /// an on-demand stream whose source is starting (the caller holds the request and asks again: LESSONS.md 6, the
    /// first viewer waits rather than fails).
    func reply(to route: HLSRoute, stream: ResolvedStream, request: HTTPRequest) -> HTTPServerConnection.Reply? {
        let name = stream.stream.name
        guard let reader = reader(for: name) else {
            if stream.stream.kind == .ondemand, route.request.isPlaylist { return nil }
            return Self.text(404, "stream \(name) is not running\n")
        }
        let settings = stream.stream.settings
        let tracks = (try? reader.tracks()) ?? []
        let ringSegments = reader.segments()
        let segments = ringSegments.map(Self.hlsSegment)
        switch route.request {
        case .masterPlaylist:
            let playlist = MediaPlaylist(stream: name, segmentDuration: settings.segmentDuration, segmentCount: settings.segmentCount)
            guard playlist.isReady(segments), let bandwidth = Bandwidth(segments: segments.filter(\.isComplete)) else {
                return nil
            }
            let audioOnly = settings.addAudioOnly ? audioBandwidth(reader: reader, segments: ringSegments, tracks: tracks) : nil
            let text = MasterPlaylist(stream: name, urlPrefix: settings.urlPrefix)
                .write(tracks: tracks, bandwidth: bandwidth, audioOnly: audioOnly)
            return Self.playlist(text)
        case .mediaPlaylist(let selection):
            guard !tracks.isEmpty else { return nil }  // the source has not said what it carries yet
            guard selection.select(from: tracks) != nil else { return Self.text(404, "no such tracks\n") }
            let playlist = MediaPlaylist(stream: name, selection: selection, segmentDuration: settings.segmentDuration,
                                         segmentCount: settings.segmentCount, urlPrefix: settings.urlPrefix)
            let longest = segments.compactMap(\.duration).max() ?? 0
            guard let text = playlist.write(segments, longestSegment: longest) else { return nil }
            return Self.playlist(text)
        case .segment(let selection, let segmentName):
            guard let selected = selection.select(from: tracks),
                  let index = segments.firstIndex(where: { $0.isComplete && segmentName.names($0) }) else {
                return Self.text(404, "no such segment\n")
            }
            let key = SegmentCache.Key(stream: name, selection: selection.directory, number: segments[index].number)
            let bytes = cache.bytes(for: key) ?? mux(reader: reader, segment: ringSegments[index], tracks: selected,
                                                     options: MuxerOptions.of(stream.stream), key: key)
            guard let bytes else { return Self.text(404, "segment left the buffer\n") }
            return Self.segment(bytes, request: request)
        case .mpegts:
            return Self.text(404, "not found\n")  // the edge routes live TS itself
        }
    }

    private func reader(for stream: String) -> RingReader? {
        if let reader = readers[stream] {
            guard reader.isReplaced else { return reader }
            forget(stream)  // its segments were the old ring's: numbers start again in the new one
        }
        guard let name = try? RingName(instance: instance, stream: stream), let reader = try? RingReader(open: name) else {
            return nil
        }
        readers[stream] = reader
        return reader
    }

    /// Muxes one segment with a fresh muxer (so every edge makes the same bytes) and caches it. A first pass counts
    /// each track's frames, so that its last one closes the continuity counter (see `TSMuxer`).
    private func mux(reader: RingReader, segment: RingSegment, tracks: [Track], options: TSMuxer.Options,
                     key: SegmentCache.Key) -> SharedBytes? {
        guard var muxer = try? TSMuxer(tracks: tracks, options: options) else { return nil }
        var remaining = Dictionary(uniqueKeysWithValues: tracks.map { ($0.id, 0) })
        guard case .complete = reader.readSegment(segment, { frame, _ in remaining[frame.info.track]? += 1 }) else {
            return nil
        }
        muxed.removeAll(keepingCapacity: true)
        muxer.writeTables(into: &muxed)
        let read = reader.readSegment(segment) { frame, payload in
            guard let left = remaining[frame.info.track] else { return }
            remaining[frame.info.track] = left - 1
            muxer.write(frame.info, payload: payload, lastOfTrack: left == 1, into: &muxed)
        }
        guard case .complete = read else { return nil }
        muxer.closeSegment(into: &muxed)
        let bytes = SharedBytes(muxed)
        cache.insert(bytes, for: key)
        return bytes
    }

    /// The audio-only variant's bandwidth (`add_audio_only`): the first audio track's bytes in the newest complete
    /// segment, over its duration.
    private func audioBandwidth(reader: RingReader, segments: [RingSegment], tracks: [Track]) -> Bandwidth? {
        guard let audio = tracks.first(where: { $0.kind == .audio }),
              let segment = segments.last(where: { $0.duration != nil }), let duration = segment.duration else { return nil }
        var bytes = 0
        let read = reader.readSegment(segment) { frame, payload in
            if frame.info.track == audio.id { bytes += payload.count + 7 }  // + ADTS header
        }
        guard case .complete = read else { return nil }
        return Bandwidth(bytes: bytes * 188 / 184, ticks: duration)
    }

    private static func hlsSegment(_ s: RingSegment) -> HLSSegment {
        HLSSegment(number: s.number, discontinuitySequence: s.discontinuitySequence, isDiscontinuity: s.isDiscontinuity,
                   generation: s.generation, startDTS: s.dts, duration: s.duration, wallClockMs: s.wallClockMs,
                   byteSize: s.end.map { Int(($0.position - s.position) * 188 / 184) })
    }

    private static func playlist(_ text: String) -> HTTPServerConnection.Reply {
        let body = SharedBytes(Array(text.utf8))
        return .complete(HTTPResponse(status: 200, body: .length(body.count), contentType: "application/vnd.apple.mpegurl",
                                      cacheControl: "no-cache", allowOrigin: "*"), body: body, range: nil)
    }

    private static func segment(_ bytes: SharedBytes, request: HTTPRequest) -> HTTPServerConnection.Reply {
        let range = ByteRange(header: request.headers["Range"], length: bytes.count)
        var headers = HTTPHeaders([("Accept-Ranges", "bytes")])
        if let contentRange = range.contentRange(length: bytes.count) { headers.add("Content-Range", contentRange) }
        if case .unsatisfiable = range {
            return .complete(HTTPResponse(status: 416, headers: headers), body: nil, range: nil)
        }
        let slice = range.bytes(length: bytes.count)
        return .complete(HTTPResponse(status: range.status, body: .length(slice.count), contentType: "video/mp2t",
                                      cacheControl: "max-age=3600", allowOrigin: "*", headers: headers),
                         body: bytes, range: slice)
    }

    /// A playlist still not ready after the caller held it: players retry after a 503.
    static func notReady() -> HTTPServerConnection.Reply {
        var response = HTTPResponse(status: 503, body: .length(0), contentType: "text/plain", cacheControl: "no-cache",
                                    allowOrigin: "*")
        response.headers.add("Retry-After", "1")
        return .complete(response, body: nil, range: nil)
    }

    static func text(_ status: Int, _ message: String) -> HTTPServerConnection.Reply {
        let body = SharedBytes(Array(message.utf8))
        return .complete(HTTPResponse(status: status, body: .length(body.count), contentType: "text/plain",
                                      allowOrigin: "*"), body: body, range: nil)
    }
}
