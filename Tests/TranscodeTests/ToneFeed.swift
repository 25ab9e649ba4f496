import Foundation
import Media
import TestSupport
import Transcode

/// A 1 kHz tone as a camera would send it: 16-bit samples at 8 kHz, encoded to G.711 by libavcodec, cut into frames,
/// stamped at 90 kHz from the sample count, and fed to an `AudioTranscoder`; what comes out is kept.
struct ToneFeed {
    static let frequency = 1000.0
    static let amplitude = 0.5
    static let inputRate = 8000

    /// `seconds` of samples at `rate`: silence for `silence` seconds, then the tone, starting at phase 0.
    static func samples(seconds: Double, silence: Double = 0, rate: Int = inputRate) -> [Int16] {
        (0..<Int(seconds * Double(rate))).map { index in
            let t = Double(index) / Double(rate) - silence
            return t < 0 ? 0 : Int16((amplitude * 32768 * sin(2 * .pi * frequency * t)).rounded())
        }
    }

    /// The tone's value at `t` seconds after the first sample, as `samples(seconds:silence:)` makes it.
    static func expected(at t: Double, silence: Double = 0) -> Double {
        t < silence ? 0 : amplitude * sin(2 * .pi * frequency * (t - silence))
    }

    /// Frame sizes: all `size`, or seeded random sizes from 1 to 999 samples.
    enum Split: CustomStringConvertible, Sendable {
        case fixed(Int)
        case random(seed: UInt64)

        var description: String {
            switch self {
            case .fixed(let size): "frames of \(size)"
            case .random(let seed): "random frame sizes (seed \(seed))"
            }
        }

        func sizes(total: Int) -> [Int] {
            var sizes: [Int] = []
            var generator = SplitMix64(seed: { if case .random(let seed) = self { seed } else { 0 } }())
            var left = total
            while left > 0 {
                let size: Int
                switch self {
                case .fixed(let fixed): size = fixed
                case .random: size = Int.random(in: 1...999, using: &generator)
                }
                sizes.append(min(size, left))
                left -= sizes[sizes.count - 1]
            }
            return sizes
        }
    }

    var input: Track
    let transcoder = AudioTranscoder()
    private(set) var output: [Frame] = []
    private(set) var tracks: [Track] = []

    init(codec: Codec = .pcma, trackID: Int = 2) {
        input = Track(id: trackID, codec: codec)
        input.sampleRate = Self.inputRate
        input.channels = 1
    }

    /// Encodes `samples` as the track's codec and feeds them at the track's rate in frames cut by `split`, the first
    /// stamped `start`.
    /// Frames in `drop` (their indices) are left out, as lost packets are; the others keep their timestamps.
    mutating func feed(_ samples: [Int16], split: Split, start: Int64, drop: Set<Int> = []) throws {
        let codes = try LibAVCodecs.encodeG711(samples, aLaw: input.codec == .pcma, rate: input.sampleRate)
        let rate = Int64(input.sampleRate)
        var position = 0
        for (index, size) in split.sizes(total: codes.count).enumerated() {
            defer { position += size }
            if drop.contains(index) { continue }
            let dts = start + MediaTime.from(Int64(position), rate: rate)
            let info = FrameInfo(track: input.id, flags: .keyframe, dts: dts, pts: dts)
            try process(info, Array(codes[position..<(position + size)]))
        }
    }

    /// Feeds one frame of `input`'s track.
    mutating func process(_ info: FrameInfo, _ payload: [UInt8]) throws {
        try process(input, info, payload)
    }

    mutating func process(_ track: Track, _ info: FrameInfo, _ payload: [UInt8]) throws {
        var frames: [Frame] = [], tracks: [Track] = []
        try payload.withUnsafeBytes { bytes in
            try transcoder.process(track, info, bytes) { track, info, bytes in
                frames.append(Frame(info: info, payload: Array(bytes)))
                tracks.append(track)
            }
        }
        output += frames
        self.tracks += tracks
    }
}
