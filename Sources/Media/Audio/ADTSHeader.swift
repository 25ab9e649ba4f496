/// The header of an ADTS frame (ISO/IEC 13818-7 6.2 / 14496-3 1.A.2): how AAC travels in MPEG-TS and in raw
/// .aac files. Parsing reads fields only and allocates nothing, so a demuxer can run it on every frame; `config`
/// builds an `AudioSpecificConfig` (an allocation) and is meant for when `describes(_:)` says the config changed.
public struct ADTSHeader: Hashable, Sendable {
    /// 7 without CRC, 9 with.
    public var headerLength: Int
    /// The whole frame, header included.
    public var frameLength: Int
    /// number_of_raw_data_blocks_in_frame + 1: AAC frames of 1024 samples in this ADTS frame.
    public var rawBlocks: Int
    /// Audio object type (profile + 1): 1 Main, 2 LC, 3 SSR, 4 LTP.
    public var objectType: Int
    public var frequencyIndex: Int
    /// 0 means the channel layout is in a program config element inside the payload.
    public var channelConfiguration: Int
    /// True for an MPEG-2 (ID 1) header, false for MPEG-4.
    public var isMPEG2: Bool

    public static let minimumLength = 7
    private static let what = "ADTS header"

    /// The sampling rate `frequencyIndex` stands for (0 for an index a parsed header cannot have).
    public var sampleRate: Int {
        let rates = AudioSpecificConfig.sampleRates
        return rates.indices.contains(frequencyIndex) ? rates[frequencyIndex] : 0
    }
    public var payloadLength: Int { frameLength - headerLength }

    /// The AudioSpecificConfig the header stands for.
    public var config: AudioSpecificConfig {
        AudioSpecificConfig(objectType: objectType, frequencyIndex: frequencyIndex,
                            channelConfiguration: channelConfiguration)
    }

    /// True when `config` has this header's object type, sampling frequency index and channels: a cheap
    /// check that the stream's configuration did not change.
    public func describes(_ config: AudioSpecificConfig) -> Bool {
        config.objectType == objectType && config.frequencyIndex == frequencyIndex
            && config.channelConfiguration == channelConfiguration
    }

    /// Parses the header at the start of `bytes` (7 bytes, 9 when it has a CRC). Throws when they are too few,
    /// when the syncword or layer is wrong, on a reserved sampling frequency index, or when the frame length is
    /// shorter than the header.
    public init(parsing bytes: UnsafeRawBufferPointer) throws {
        let what = Self.what
        guard bytes.count >= Self.minimumLength else { throw MediaError(what, "truncated (\(bytes.count) bytes)") }
        let b1 = bytes[1], b2 = bytes[2], b3 = bytes[3]
        guard bytes[0] == 0xFF && b1 & 0xF0 == 0xF0 else {
            throw MediaError(what, "no syncword (\(bytes[0]), \(b1))")
        }
        guard b1 & 0x06 == 0 else { throw MediaError(what, "layer \((b1 >> 1) & 3), not 0") }
        isMPEG2 = b1 & 0x08 != 0
        headerLength = b1 & 1 == 1 ? 7 : 9
        objectType = Int(b2 >> 6) + 1
        frequencyIndex = Int((b2 >> 2) & 0x0F)
        guard frequencyIndex < AudioSpecificConfig.sampleRates.count else {
            throw MediaError(what, "reserved sampling frequency index \(frequencyIndex)")
        }
        channelConfiguration = Int(b2 & 1) << 2 | Int(b3 >> 6)
        frameLength = Int(b3 & 3) << 11 | Int(bytes[4]) << 3 | Int(bytes[5] >> 5)
        rawBlocks = Int(bytes[6] & 3) + 1
        guard frameLength >= headerLength else {
            throw MediaError(what, "frame length \(frameLength) shorter than the \(headerLength)-byte header")
        }
        guard bytes.count >= headerLength else { throw MediaError(what, "truncated CRC (\(bytes.count) bytes)") }
    }

    /// Largest payload a 7-byte header can describe (frame_length is 13 bits).
    public static let maxPayloadLength = 0x1FFF - 7

    /// Appends a 7-byte header (MPEG-4, no CRC, buffer fullness 0x7FF "variable rate", one raw data block) for
    /// a raw AAC frame of `payloadLength` bytes. HE-AAC configs (object types 5 and 29) are written as AAC LC,
    /// as ADTS requires: the decoder finds SBR/PS in the payload. Appends nothing beyond the 7 bytes.
    ///
    /// Throws when the config cannot be said in ADTS (object type above 4, explicit sampling rate) or when the
    /// payload is longer than `maxPayloadLength`.
    public static func write(config: AudioSpecificConfig, payloadLength: Int, into out: inout [UInt8]) throws {
        let type = config.objectType == 5 || config.objectType == 29 ? 2 : config.objectType
        guard (1...4).contains(type) else { throw MediaError(what, "object type \(type) cannot be carried in ADTS") }
        guard config.frequencyIndex < AudioSpecificConfig.sampleRates.count else {
            throw MediaError(what, "sampling frequency index \(config.frequencyIndex) cannot be carried in ADTS")
        }
        guard (0...7).contains(config.channelConfiguration) else {
            throw MediaError(what, "channel configuration \(config.channelConfiguration) cannot be carried in ADTS")
        }
        guard (0...maxPayloadLength).contains(payloadLength) else {
            throw MediaError(what, "payload of \(payloadLength) bytes does not fit (at most \(maxPayloadLength))")
        }
        let length = payloadLength + 7
        let channels = config.channelConfiguration
        out.append(0xFF)
        out.append(0xF1)  // MPEG-4, layer 0, protection absent
        out.append(UInt8((type - 1) << 6 | config.frequencyIndex << 2 | channels >> 2))
        out.append(UInt8((channels & 3) << 6 | length >> 11))
        out.append(UInt8((length >> 3) & 0xFF))
        out.append(UInt8((length & 7) << 5 | 0x1F))  // buffer fullness 0x7FF, high 5 bits
        out.append(0xFC)  // buffer fullness low 6 bits, one raw data block
    }
}
