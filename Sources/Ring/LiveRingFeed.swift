import Media

/// A ring read for a live output (HTTP MPEG-TS, RTMP play, a push): its frames in order, the track table whenever
/// it changes, and where each group of pictures starts (a video keyframe, or any frame of a stream without video),
/// so that the output can cut there and viewers can join there. A lapped read resumes at a keyframe.
public final class LiveRingFeed {
    public enum Event {
        /// The track table changed (or is read for the first time): before the frame that needs it.
        case tracks([Track])
        /// The next frame starts a group of pictures.
        case groupStart
        /// A frame; the payload is valid only during the call.
        case frame(FrameInfo, UnsafeRawBufferPointer)
    }

    private let reader: RingReader
    /// Wakes the output's loop when the ring is written, for as long as the feed lives.
    private let watch: RingWatch?
    private var payload: [UInt8] = []
    private var tracksVersion: UInt64 = .max
    private var videoTracks: Set<Int> = []

    /// `wakeups`: told to wake the output's loop whenever the ring is written (then the loop drains the feed and
    /// calls `wakeups.rearm()`); nil when the output polls.
    public init(reader: RingReader, wakeups: RingWakeups? = nil) throws {
        self.reader = reader
        self.watch = try wakeups?.watch(reader)
        payload.reserveCapacity(256 * 1024)
    }

    /// The stream's bitrate over the last few seconds of its timeline (payload bytes over DTS time, measured over
    /// windows of `bitrateWindow` ticks); nil until a window has passed.
    public private(set) var bitsPerSecond: Int?
    private var windowStartDts: Int64?
    private var windowBytes = 0
    private static let bitrateWindow: Int64 = 5 * 90_000

    /// Whether the ring was removed or replaced since the feed opened it (`RingReader.isReplaced`).
    public var isReplaced: Bool { reader.isReplaced }

    /// The newest frame's DTS in the ring.
    public var lastFrameDts: Int64 { reader.status().lastFrameDts }

    /// Hands over what the ring has now. After a lap, `lapped` runs first with the frames lost: the output ends
    /// what it was building (and logs the loss).
    public func drain(lapped: (UInt64) -> Void, _ handle: (Event) -> Void) {
        while let event = reader.next(into: &payload) {
            switch event {
            case .lapped(let lost):
                lapped(lost)
                tracksVersion = .max  // the track table may have changed in what was lost
            case .frame(let frame):
                if frame.info.flags.contains(.configChange) || tracksVersion == .max { refreshTracks(handle) }
                if frame.info.isKeyframe && (videoTracks.isEmpty || videoTracks.contains(frame.info.track)) {
                    handle(.groupStart)
                }
                measure(frame.info.dts, bytes: payload.count)
                payload.withUnsafeBytes { handle(.frame(frame.info, $0)) }
            }
        }
    }

    private func measure(_ dts: Int64, bytes: Int) {
        guard let start = windowStartDts, dts >= start else {
            windowStartDts = dts
            windowBytes = bytes
            return
        }
        windowBytes += bytes
        let span = dts - start
        guard span >= Self.bitrateWindow else { return }
        bitsPerSecond = Int(Int64(windowBytes) * 8 * 90_000 / span)
        windowStartDts = dts
        windowBytes = 0
    }

    private func refreshTracks(_ handle: (Event) -> Void) {
        let version = reader.status().tracksVersion
        guard version != tracksVersion, let tracks = try? reader.tracks() else { return }
        tracksVersion = version
        videoTracks = Set(tracks.filter { $0.kind == .video }.map(\.id))
        handle(.tracks(tracks))
    }
}
