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
    private var payload: [UInt8] = []
    private var tracksVersion: UInt64 = .max
    private var videoTracks: Set<Int> = []

    public init(reader: RingReader) {
        self.reader = reader
        payload.reserveCapacity(256 * 1024)
    }

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
                payload.withUnsafeBytes { handle(.frame(frame.info, $0)) }
            }
        }
    }

    private func refreshTracks(_ handle: (Event) -> Void) {
        let version = reader.status().tracksVersion
        guard version != tracksVersion, let tracks = try? reader.tracks() else { return }
        tracksVersion = version
        videoTracks = Set(tracks.filter { $0.kind == .video }.map(\.id))
        handle(.tracks(tracks))
    }
}
