/// Cuts the PES payloads of one audio stream (AAC in ADTS, MPEG audio, AC-3, E-AC-3) into frames, and stamps
/// each frame with its PTS.
///
/// Frames may span PES packets: the bytes of an unfinished frame are carried to the next PES. A PES's PTS
/// belongs to the first frame that starts in it; later frames are stamped from it by sample count
/// (PTS + n * samples per frame, in the stream's sample rate), so the stamps do not drift. Bytes that do not
/// parse as a frame header are skipped up to the next one (each such run is counted once). Frames delivered
/// keep their header except AAC, whose ADTS header is stripped (the canonical AAC payload is the raw frame).
public struct AudioFrameSplitter: Sendable {
    /// What a frame's header said, for the track description.
    public struct FrameInfo: Sendable {
        public var pts: Int64
        public var codec: Codec
        public var sampleRate: Int
        public var channels: Int
        /// AAC only: the header, from which the AudioSpecificConfig comes.
        public var adts: ADTSHeader?
    }

    public let codec: Codec
    /// Bytes of stream not yet cut into frames.
    private var pending: [UInt8] = []
    /// PTS of the first frame starting at or after `offset` of `pending`.
    private var anchor: (offset: Int, pts: Int64)?
    /// The running clock: `samples` after `base` (90 kHz) at `rate`.
    private var clock: (base: Int64, samples: Int64, rate: Int)?
    private var resyncing = false

    /// `codec` picks the header syntax: `.aac` ADTS, `.mp2`/`.mp3` MPEG audio, `.ac3`/`.eac3` AC-3.
    public init(codec: Codec) {
        self.codec = codec
    }

    /// Adds the payload of one PES, with its PTS (unwrapped) if it had one.
    public mutating func append(_ bytes: UnsafeRawBufferPointer, pts: Int64?) {
        if let pts { anchor = (pending.count, pts) }
        pending.append(contentsOf: bytes)
    }

    /// Forgets carried bytes and the running clock (after lost packets).
    public mutating func reset() {
        pending.removeAll(keepingCapacity: true)
        anchor = nil
        clock = nil
        resyncing = false
    }

    /// Calls `frame` with each complete frame held (valid only during the call). Returns the number of runs of
    /// bytes skipped for not parsing and the number of frames dropped for having no timestamp to go by.
    public mutating func split(_ frame: (UnsafeRawBufferPointer, FrameInfo) -> Void) -> (skipped: Int, unstamped: Int) {
        var skipped = 0, unstamped = 0
        let headerBytes = codec == .aac ? 9 : codec == .ac3 || codec == .eac3 ? AC3Header.length : MPEGAudioHeader.length
        let consumed: Int = pending.withUnsafeBytes { buffer in
            var i = 0
            while buffer.count - i >= headerBytes {
                let rest = UnsafeRawBufferPointer(rebasing: buffer[i...])
                guard let found = header(rest) else {
                    if !resyncing {
                        resyncing = true
                        skipped += 1
                    }
                    i += 1
                    continue
                }
                resyncing = false
                guard found.frameLength <= rest.count else { break }
                if let a = anchor, i >= a.offset {
                    clock = (a.pts, 0, found.sampleRate)
                    anchor = nil
                }
                if var c = clock, found.sampleRate > 0 {
                    if c.rate != found.sampleRate {
                        c = (c.base + MediaTime.from(c.samples, rate: Int64(c.rate)), 0, found.sampleRate)
                    }
                    let pts = c.base + MediaTime.from(c.samples, rate: Int64(c.rate))
                    c.samples += Int64(found.samples)
                    clock = c
                    let info = FrameInfo(pts: pts, codec: found.codec, sampleRate: found.sampleRate,
                                         channels: found.channels, adts: found.adts)
                    frame(UnsafeRawBufferPointer(rebasing: rest[found.strip..<found.frameLength]), info)
                } else {
                    unstamped += 1
                }
                i += found.frameLength
            }
            return resyncing ? max(i, buffer.count - (headerBytes - 1)) : i
        }
        pending.removeFirst(consumed)
        if let a = anchor { anchor = (max(0, a.offset - consumed), a.pts) }
        return (skipped, unstamped)
    }

    private struct Header {
        var frameLength: Int
        /// Header bytes left out of the delivered payload.
        var strip: Int
        var samples: Int
        var sampleRate: Int
        var channels: Int
        var codec: Codec
        var adts: ADTSHeader?
    }

    /// The frame header at the start of `b`, nil when there is none. Candidates are screened on their syncword
    /// first, so that skipping garbage does not build an error per byte.
    @inline(__always)
    private func header(_ b: UnsafeRawBufferPointer) -> Header? {
        switch codec {
        case .aac:
            guard b[0] == 0xFF, b[1] & 0xF6 == 0xF0, let h = try? ADTSHeader(parsing: b) else { return nil }
            return Header(frameLength: h.frameLength, strip: h.headerLength, samples: 1024 * h.rawBlocks,
                          sampleRate: h.sampleRate, channels: h.channelConfiguration == 7 ? 8 : h.channelConfiguration,
                          codec: .aac, adts: h)
        case .ac3, .eac3:
            guard b[0] == 0x0B, b[1] == 0x77, let h = try? AC3Header(parsing: b), h.frameLength >= AC3Header.length else {
                return nil
            }
            return Header(frameLength: h.frameLength, strip: 0, samples: h.samplesPerFrame, sampleRate: h.sampleRate,
                          channels: h.channels, codec: h.codec)
        default:
            guard b[0] == 0xFF, b[1] & 0xE0 == 0xE0, let h = try? MPEGAudioHeader(parsing: b),
                  h.frameLength >= MPEGAudioHeader.length else { return nil }
            return Header(frameLength: h.frameLength, strip: 0, samples: h.samplesPerFrame, sampleRate: h.sampleRate,
                          channels: h.channels, codec: h.codec)
        }
    }
}
