/// The start of an AC-3 or E-AC-3 frame (ATSC A/52 5.3 and E.1.2): the sync information and the part of the
/// bit stream information that says the frame's length, sample rate and channels. For cutting a PES payload
/// into frames and describing the track.
///
/// For E-AC-3, `channels` is that of the substream the header starts; dependent substreams that extend a
/// program beyond 5.1 are separate frames to the parser.
public struct AC3Header: Hashable, Sendable {
    /// bsid above 10: Enhanced AC-3 (bsid 16 in practice); 0...8 plain AC-3, 9 and 10 its half- and quarter-rate
    /// variants.
    public var isEnhanced: Bool
    public var bsid: Int
    public var sampleRate: Int
    /// Full-range channels (acmod) plus the LFE channel.
    public var channels: Int
    /// Bits per second (for E-AC-3, of this frame: frame length over its duration).
    public var bitrate: Int
    /// The whole frame in bytes.
    public var frameLength: Int
    /// 1536 for AC-3; 256, 512, 768 or 1536 for E-AC-3.
    public var samplesPerFrame: Int

    /// Bytes needed to read any header: AC-3 needs 7, E-AC-3 6.
    public static let length = 7
    private static let what = "AC-3 header"

    public var codec: Codec { isEnhanced ? .eac3 : .ac3 }

    private static let sampleRates = [48000, 44100, 32000]
    /// Channels of each audio coding mode (acmod 0 is two independent mono channels).
    private static let acmodChannels = [2, 1, 2, 3, 3, 4, 4, 5]
    /// E-AC-3 audio blocks (of 256 samples) per frame by numblkscod.
    private static let blocksPerFrame = [1, 2, 3, 6]
    /// kbit/s by frmsizecod / 2.
    private static let bitrates = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512,
                                   576, 640]

    /// Parses the header at the start of `bytes`. Throws when there are too few bytes for it, when the syncword
    /// is missing, or on a reserved sample rate code, frame size code, stream type or bsid.
    public init(parsing bytes: UnsafeRawBufferPointer) throws {
        let what = Self.what
        guard bytes.count >= 6 else { throw MediaError(what, "truncated (\(bytes.count) bytes)") }
        guard bytes[0] == 0x0B && bytes[1] == 0x77 else { throw MediaError(what, "no syncword (\(bytes[0]), \(bytes[1]))") }
        // bsid sits at the same place in both syntaxes: the 5 bits after the first 40.
        let bsid = Int(bytes[5] >> 3)
        guard bsid <= 16 else { throw MediaError(what, "unknown bsid \(bsid)") }
        if bsid > 10 {
            try self.init(enhanced: bytes, bsid: bsid)
        } else {
            try self.init(plain: bytes, bsid: bsid)
        }
    }

    private init(plain bytes: UnsafeRawBufferPointer, bsid: Int) throws {
        let what = Self.what
        guard bytes.count >= Self.length else { throw MediaError(what, "truncated (\(bytes.count) bytes)") }
        let fscod = Int(bytes[4] >> 6)
        let frmsizecod = Int(bytes[4] & 0x3F)
        guard fscod != 3 else { throw MediaError(what, "reserved fscod 3") }
        guard frmsizecod < 2 * Self.bitrates.count else { throw MediaError(what, "reserved frmsizecod \(frmsizecod)") }
        let kbps = Self.bitrates[frmsizecod / 2]
        // 16-bit words per 1536-sample frame at the nominal rate; 44.1 kHz rounds down and pads odd codes.
        let words: Int
        switch fscod {
        case 0: words = 2 * kbps
        case 1: words = 320 * kbps / 147 + (frmsizecod & 1)
        default: words = 3 * kbps
        }
        // bsid 9 and 10 halve and quarter the sample rate and bitrate; the frame length stays.
        let shift = max(bsid, 8) - 8
        // bsi after bsid(5) bsmod(3): acmod(3), then mix levels whose presence depends on acmod, then lfeon.
        let acmod = Int(bytes[6] >> 5)
        var lfeBit = 3  // bits into bytes[6] after acmod
        if acmod & 1 == 1 && acmod != 1 { lfeBit += 2 }  // cmixlev
        if acmod & 4 != 0 { lfeBit += 2 }  // surmixlev
        if acmod == 2 { lfeBit += 2 }  // dsurmod
        let lfe = Int(bytes[6]) >> (7 - lfeBit) & 1
        isEnhanced = false
        self.bsid = bsid
        sampleRate = Self.sampleRates[fscod] >> shift
        bitrate = kbps * 1000 >> shift
        frameLength = 2 * words
        samplesPerFrame = 1536
        channels = Self.acmodChannels[acmod] + lfe
    }

    private init(enhanced bytes: UnsafeRawBufferPointer, bsid: Int) throws {
        let what = Self.what
        let strmtyp = Int(bytes[2] >> 6)
        guard strmtyp != 3 else { throw MediaError(what, "reserved E-AC-3 stream type 3") }
        let frmsiz = Int(bytes[2] & 0x07) << 8 | Int(bytes[3])
        let fscod = Int(bytes[4] >> 6)
        let blocks: Int
        if fscod == 3 {
            let fscod2 = Int((bytes[4] >> 4) & 3)
            guard fscod2 != 3 else { throw MediaError(what, "reserved E-AC-3 fscod2 3") }
            sampleRate = Self.sampleRates[fscod2] / 2
            blocks = 6
        } else {
            sampleRate = Self.sampleRates[fscod]
            blocks = Self.blocksPerFrame[Int((bytes[4] >> 4) & 3)]
        }
        let acmod = Int((bytes[4] >> 1) & 7)
        let lfe = Int(bytes[4] & 1)
        isEnhanced = true
        self.bsid = bsid
        frameLength = 2 * (frmsiz + 1)
        samplesPerFrame = 256 * blocks
        bitrate = frameLength * 8 * sampleRate / samplesPerFrame
        channels = Self.acmodChannels[acmod] + lfe
    }
}
