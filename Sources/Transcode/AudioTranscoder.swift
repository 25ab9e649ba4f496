import Media

/// Transcodes one input's G.711 audio (A-law, mu-law; any frame size, any rate and channel count, 8 kHz mono as
/// cameras send) to AAC-LC at 48 kHz mono, 64 kbit/s, for `rtsp2://`: HLS, RTMP and MPEG-TS outputs cannot carry
/// G.711. Other frames (video, audio of other codecs) pass through untouched.
///
/// Why 48 kHz, when the source has nothing above 4 kHz: it is the rate every HLS player takes without a special
/// case. hls.js re-signals AAC at 24 kHz and below as HE-AAC for Firefox and works around low-rate mono AAC-LC in
/// Chrome; Apple asks for 48 or 44.1 kHz; 48 kHz is also an exact 6x of 8 kHz and an AAC frame of 1024 samples is
/// exactly 1920 ticks of 90 kHz. 64 kbit/s keeps the G.711 stream's bitrate. Cost and latency: docs/transcode.md.
///
/// Each G.711 track gets its own chain (`G711ToAAC`), made at its first frame and made anew when its rate or channel
/// count changes. The AAC track keeps the G.711 track's id. Output frames are timestamped from the input's
/// timestamps and the sample count (`AudioTimeline`): 1920 ticks apart, gaps up to 100 ms filled with silence, a
/// larger jump starting a new timeline whose first frame is flagged `discontinuity`. The chain holds 45 to 66 ms of
/// audio at any time: two frames in the encoder, a frame being filled, 2 ms in the resampler's filter.
public final class AudioTranscoder {
    public static let outputRate = 48_000
    public static let bitRate = 64_000

    private var chains: [Int: G711ToAAC] = [:]

    public init() {}

    /// Whether frames of `codec` are transcoded.
    public static func transcodes(_ codec: Codec) -> Bool { codec == .pcma || codec == .pcmu }

    /// What becomes of a G.711 track, for the log: "pcma 8000 Hz, 1 channel, to aac 48000 Hz mono 64 kbit/s".
    public static func summary(of track: Track) -> String {
        let channels = G711ToAAC.channels(of: track)
        return "\(track.codec.rawValue) \(G711ToAAC.inputRate(of: track)) Hz, \(channels) channel\(channels == 1 ? "" : "s"), "
            + "to aac \(outputRate) Hz mono \(bitRate / 1000) kbit/s"
    }

    /// Hands `emit` what becomes of one input frame: itself if it is not G.711; else the AAC frames it completes
    /// (none, one or several). Payloads are valid only during the call. Errors are libavcodec's (`LibAVError`).
    public func process(_ track: Track, _ info: FrameInfo, _ payload: UnsafeRawBufferPointer,
                        _ emit: (Track, FrameInfo, UnsafeRawBufferPointer) -> Void) throws {
        guard Self.transcodes(track.codec) else { return emit(track, info, payload) }
        let chain: G711ToAAC
        if let existing = chains[track.id], existing.accepts(track) {
            chain = existing
        } else {
            chains[track.id] = nil
            chain = try G711ToAAC(input: track, outputRate: Self.outputRate, bitRate: Self.bitRate)
            chains[track.id] = chain
        }
        try chain.transcode(track.codec, info, payload, emit)
    }
}
