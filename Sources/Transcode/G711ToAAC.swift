#if canImport(Glibc)
import Glibc
#endif
import Media

/// One G.711 track's transcoding chain: G.711 codes -> 16-bit samples (`G711Table`) -> mono float at the output rate
/// (`Resampler`) -> frames of 1024 samples -> AAC (`AACEncoder`), timestamped by an `AudioTimeline`.
///
/// Buffers are allocated once: a chunk of decoded samples (input is taken `chunkLength` samples at a time, whatever
/// the size of its frames) and a queue of resampled samples waiting to fill an AAC frame.
final class G711ToAAC {
    /// Input samples decoded and resampled per step.
    static let chunkLength = 1024

    let inputRate: Int
    let channels: Int
    /// The AAC track: the G.711 track's id and language, the encoder's configuration.
    let track: Track
    private let resampler: Resampler
    private let encoder: AACEncoder
    private var timeline: AudioTimeline
    private let decoded: UnsafeMutableBufferPointer<Int16>
    private let queue: UnsafeMutableBufferPointer<Float>
    private var queued = 0

    init(input: Track, outputRate: Int, bitRate: Int) throws {
        inputRate = Self.inputRate(of: input)
        channels = Self.channels(of: input)
        resampler = try Resampler(inputRate: inputRate, channels: channels, outputRate: outputRate)
        encoder = try AACEncoder(sampleRate: outputRate, bitRate: bitRate)
        timeline = AudioTimeline(inputRate: inputRate, outputRate: outputRate)
        var track = Track(id: input.id, codec: .aac)
        track.audioConfig = encoder.audioConfig
        track.profile = encoder.audioConfig.objectType
        track.sampleRate = outputRate
        track.channels = 1
        track.language = input.language
        self.track = track
        decoded = .allocate(capacity: Self.chunkLength * channels)
        queue = .allocate(capacity: AACEncoder.frameLength + resampler.maximumOutput(forInput: Self.chunkLength))
    }

    deinit {
        decoded.deallocate()
        queue.deallocate()
    }

    /// The track's sample rate; 8 kHz when it does not say (RTP's PCMA and PCMU).
    static func inputRate(of input: Track) -> Int { input.sampleRate > 0 ? input.sampleRate : 8000 }

    /// The track's channel count; mono when it does not say.
    static func channels(of input: Track) -> Int { input.channels > 0 ? input.channels : 1 }

    /// Whether this chain takes G.711 as `input` describes it (rate and channels); a change needs a new chain.
    func accepts(_ input: Track) -> Bool {
        Self.inputRate(of: input) == inputRate && Self.channels(of: input) == channels
    }

    /// Transcodes one G.711 frame (A-law for `.pcma`, mu-law for `.pcmu`); `emit` gets the AAC frames that are ready.
    func transcode(_ codec: Codec, _ info: FrameInfo, _ payload: UnsafeRawBufferPointer,
                   _ emit: (Track, FrameInfo, UnsafeRawBufferPointer) -> Void) throws {
        let table = codec == .pcma ? G711Table.aLaw : G711Table.muLaw
        let count = payload.count / channels
        let admission = timeline.admit(dts: info.dts, count: count, discontinuity: info.flags.contains(.discontinuity))
        var silence = admission.silence
        while silence > 0 {
            let length = min(silence, Self.chunkLength)
            decoded.update(repeating: 0)
            try push(length, emit)
            silence -= length
        }
        var position = admission.skip
        while position < count {
            let length = min(count - position, Self.chunkLength)
            for i in 0..<(length * channels) {
                decoded[i] = table[Int(payload[position * channels + i])]
            }
            try push(length, emit)
            position += length
        }
    }

    /// Resamples `length` decoded samples into the queue and encodes every full frame in it.
    private func push(_ length: Int, _ emit: (Track, FrameInfo, UnsafeRawBufferPointer) -> Void) throws {
        queued += try resampler.convert(decoded.baseAddress!, count: length, into: queue.baseAddress! + queued,
                                        capacity: queue.count - queued)
        var start = 0
        while queued - start >= AACEncoder.frameLength {
            try encoder.encode(queue.baseAddress! + start) { position, bytes in
                let (dts, discontinuity) = timeline.timestamp(ofOutput: position)
                let info = FrameInfo(track: track.id, flags: discontinuity ? [.keyframe, .discontinuity] : .keyframe,
                                     dts: dts, pts: dts)
                emit(track, info, bytes)
            }
            start += AACEncoder.frameLength
        }
        if start > 0 {
            queued -= start
            memmove(queue.baseAddress!, queue.baseAddress! + start, queued * MemoryLayout<Float>.size)
        }
    }
}
