import CFakeClip
import Media

/// The `fake://fake` source: a test picture with moving parts and a 1 kHz tone (H.264 + AAC), looped forever with
/// continuous timestamps, as a pure clock-driven frame generator (no I/O, no timer: the caller says how much time
/// has passed).
///
/// The clip is embedded in the binary (`CFakeClip`, made by scripts/make-fixtures.sh) and demuxed once, at `init`;
/// exactly one loop `period` of frames is kept, from the first video keyframe on, each track's frames evenly spaced
/// so that loop `n` is loop 0 shifted by `n * period` and every track continues without a gap or an overlap.
/// Timestamps start at 0. After `init` nothing is allocated: payloads are borrowed from one buffer filled at `init`
/// (about 270 KB per source). The first frame of each track is flagged `.configChange`; no frame is flagged
/// `.discontinuity` (a new generation is the caller's business: make a new `FakeSource`, or rebase).
public struct FakeSource: Sendable {
    /// The clip's tracks: H.264 640x360 25 fps and AAC LC stereo 48 kHz, ids 1 and 2.
    public let tracks: [Track]
    /// One loop, in 90 kHz ticks: 3.84 s for the embedded clip.
    public let period: Int64

    /// A frame of loop 0, its payload at `offset..<offset + count` of `payloads`.
    private struct Entry: Sendable {
        var info: FrameInfo
        var trackIndex: Int
        var offset: Int
        var count: Int
    }

    /// One loop of frames in DTS order, timestamps relative to the loop's start.
    private let entries: [Entry]
    private let payloads: [UInt8]
    /// The next frame to deliver: `entries[next]` of loop `loop`.
    private var next = 0
    private var loop: Int64 = 0

    /// The embedded clip's loop: 96 video frames of 40 ms, 180 AAC frames of 1024 samples at 48 kHz.
    public static let clipPeriod: Int64 = 384 * MediaTime.hz / 100

    /// Reads the embedded clip. Throws only if the binary was built with a clip that does not loop (see
    /// scripts/make-fixtures.sh).
    public init() throws(FakeSourceError) {
        try self.init(clip: UnsafeRawBufferPointer(start: cfakeclip_data(), count: cfakeclip_size()), period: Self.clipPeriod)
    }

    /// Reads any MPEG-TS clip whose tracks loop with `period` (90 kHz ticks): each track must have frames evenly
    /// spaced over the `period` that starts at the first video keyframe (the first frame if there is no video).
    public init(clip: UnsafeRawBufferPointer, period: Int64) throws(FakeSourceError) {
        guard period > 0 else { throw FakeSourceError("period \(period) is not positive") }
        var demuxer = TSDemuxer()
        var frames: [Frame] = []
        demuxer.feed(clip) { frames.append(Frame(info: $0, payload: Array($1))) }
        demuxer.flush { frames.append(Frame(info: $0, payload: Array($1))) }
        let tracks = demuxer.tracks
        guard !tracks.isEmpty, !frames.isEmpty else {
            throw FakeSourceError("the clip (\(clip.count) bytes) holds no frame")
        }
        let videoIDs = Set(tracks.filter { $0.kind == .video }.map(\.id))
        let first = frames.first { videoIDs.isEmpty || (videoIDs.contains($0.info.track) && $0.info.isKeyframe) }
        guard let start = first?.info.dts else { throw FakeSourceError("the clip has no video keyframe") }
        let kept = frames.filter { $0.info.dts >= start && $0.info.dts < start + period }
        for track in tracks { try Self.checkLoops(kept.filter { $0.info.track == track.id }, track: track, period: period) }

        var entries: [Entry] = []
        var payloads: [UInt8] = []
        payloads.reserveCapacity(kept.reduce(0) { $0 + $1.payload.count })
        var seen: Set<Int> = []
        for frame in kept.sorted(by: { ($0.info.dts, $0.info.track) < ($1.info.dts, $1.info.track) }) {
            var info = frame.info
            info.dts -= start
            info.pts -= start
            info.flags.subtract([.configChange, .discontinuity])
            if seen.insert(info.track).inserted { info.flags.insert(.configChange) }
            let trackIndex = tracks.firstIndex { $0.id == info.track } ?? 0
            entries.append(Entry(info: info, trackIndex: trackIndex, offset: payloads.count, count: frame.payload.count))
            payloads.append(contentsOf: frame.payload)
        }
        self.tracks = tracks
        self.period = period
        self.entries = entries
        self.payloads = payloads
    }

    /// When the next frame is due (90 kHz ticks since the start): the caller's timer can sleep until then.
    public var nextFrameTime: Int64 { entries[next].info.dts + loop * period }

    /// Delivers, in DTS order, every frame due by `elapsed` (90 kHz ticks since the start) and not delivered yet,
    /// with its track and its payload (borrowed for the duration of the call). A caller that falls behind gets the
    /// frames it missed in one call.
    public mutating func frames(upTo elapsed: Int64, _ sink: (Track, FrameInfo, UnsafeRawBufferPointer) -> Void) {
        var next = self.next
        var loop = self.loop
        let entries = self.entries
        let tracks = self.tracks
        let period = self.period
        payloads.withUnsafeBytes { bytes in
            while true {
                let entry = entries[next]
                let shift = loop * period
                guard entry.info.dts + shift <= elapsed else { return }
                var info = entry.info
                info.dts += shift
                info.pts += shift
                if loop > 0 { info.flags.remove(.configChange) }
                sink(tracks[entry.trackIndex], info, UnsafeRawBufferPointer(rebasing: bytes[entry.offset..<entry.offset + entry.count]))
                next += 1
                if next == entries.count {
                    next = 0
                    loop += 1
                }
            }
        }
        self.next = next
        self.loop = loop
    }

    /// A track's frames loop when they are evenly spaced and the step after the last one lands on the first one
    /// of the next loop.
    private static func checkLoops(_ frames: [Frame], track: Track, period: Int64) throws(FakeSourceError) {
        guard let first = frames.first?.info.dts else {
            throw FakeSourceError("track \(track.id) (\(track.codec)) has no frame in the loop")
        }
        let step = period / Int64(frames.count)
        guard step * Int64(frames.count) == period else {
            throw FakeSourceError(
                "track \(track.id) (\(track.codec)): \(frames.count) frames do not divide the period \(period)")
        }
        for (index, frame) in frames.enumerated() where frame.info.dts != first + Int64(index) * step {
            throw FakeSourceError(
                "track \(track.id) (\(track.codec)): frame \(index) at DTS \(frame.info.dts), expected \(first + Int64(index) * step)")
        }
    }
}
