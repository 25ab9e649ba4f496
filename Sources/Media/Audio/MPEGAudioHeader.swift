/// The 4-byte header of an MPEG-1/2/2.5 audio frame (ISO/IEC 11172-3 2.4.1.3, 13818-3): layers I, II (MP2,
/// DVB's usual audio) and III (MP3). Gives what a demuxer needs to cut a PES payload into frames and a
/// packager needs to describe the track. Free-format streams (bitrate index 0) are refused: their frame length
/// is not in the header.
public struct MPEGAudioHeader: Hashable, Sendable {
    public enum Version: Hashable, Sendable {
        case mpeg1
        case mpeg2
        /// The unofficial low-sample-rate extension of MPEG-2.
        case mpeg25
    }

    public var version: Version
    /// 1, 2 or 3.
    public var layer: Int
    /// Bits per second.
    public var bitrate: Int
    public var sampleRate: Int
    /// 1 for single channel, 2 for stereo, joint stereo and dual channel.
    public var channels: Int
    /// The whole frame in bytes, header and padding included.
    public var frameLength: Int
    /// Samples per channel in one frame: 384 (layer I), 1152, or 576 (layer III at MPEG-2/2.5 rates).
    public var samplesPerFrame: Int
    /// True when a 16-bit CRC follows the header.
    public var hasCRC: Bool

    public static let length = 4
    private static let what = "MPEG audio header"

    /// `.mp2` for layers I and II, `.mp3` for layer III.
    public var codec: Codec { layer == 3 ? .mp3 : .mp2 }

    // kbit/s by bitrate_index 1...14.
    private static let mpeg1Bitrates: [[Int]] = [
        [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],  // layer I
        [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],  // layer II
        [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],  // layer III
    ]
    private static let mpeg2Bitrates: [[Int]] = [
        [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],  // layer I
        [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],  // layers II and III
    ]
    private static let mpeg1SampleRates = [44100, 48000, 32000]

    /// Parses the header at the start of `bytes`. Throws on fewer than 4 bytes, a missing syncword, or a
    /// reserved or forbidden version, layer, bitrate or sampling frequency.
    public init(parsing bytes: UnsafeRawBufferPointer) throws {
        let what = Self.what
        guard bytes.count >= Self.length else { throw MediaError(what, "truncated (\(bytes.count) bytes)") }
        let b1 = bytes[1], b2 = bytes[2], b3 = bytes[3]
        guard bytes[0] == 0xFF && b1 & 0xE0 == 0xE0 else {
            throw MediaError(what, "no syncword (\(bytes[0]), \(b1))")
        }
        switch (b1 >> 3) & 3 {
        case 0: version = .mpeg25
        case 2: version = .mpeg2
        case 3: version = .mpeg1
        default: throw MediaError(what, "reserved version ID 1")
        }
        let layerBits = Int((b1 >> 1) & 3)
        guard layerBits != 0 else { throw MediaError(what, "reserved layer 0") }
        layer = 4 - layerBits
        hasCRC = b1 & 1 == 0
        let bitrateIndex = Int(b2 >> 4)
        guard bitrateIndex != 0 else { throw MediaError(what, "free-format bitrate not supported") }
        guard bitrateIndex != 15 else { throw MediaError(what, "forbidden bitrate index 15") }
        let rateIndex = Int((b2 >> 2) & 3)
        guard rateIndex != 3 else { throw MediaError(what, "reserved sampling frequency index 3") }
        let padding = Int((b2 >> 1) & 1)
        channels = b3 >> 6 == 3 ? 1 : 2

        let kbps: Int
        switch version {
        case .mpeg1:
            kbps = Self.mpeg1Bitrates[layer - 1][bitrateIndex - 1]
            sampleRate = Self.mpeg1SampleRates[rateIndex]
        case .mpeg2, .mpeg25:
            kbps = Self.mpeg2Bitrates[layer == 1 ? 0 : 1][bitrateIndex - 1]
            sampleRate = Self.mpeg1SampleRates[rateIndex] / (version == .mpeg2 ? 2 : 4)
        }
        bitrate = kbps * 1000
        switch layer {
        case 1:
            samplesPerFrame = 384
            frameLength = (12 * bitrate / sampleRate + padding) * 4
        case 2:
            samplesPerFrame = 1152
            frameLength = 144 * bitrate / sampleRate + padding
        default:
            samplesPerFrame = version == .mpeg1 ? 1152 : 576
            frameLength = samplesPerFrame / 8 * bitrate / sampleRate + padding
        }
    }
}
