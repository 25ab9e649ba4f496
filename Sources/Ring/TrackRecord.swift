import Media

/// A `Track` in its slot of the ring's track table (`RingLayout.trackSlotSize` bytes, docs/ring-format.md).
///
/// Pure: encoding checks every field against its slot before anything is written to shared memory; decoding checks
/// every length against the slot, so a damaged slot yields `RingError.corruptTrack`, never a trap.
enum TrackRecord {
    static let idOffset = 0
    static let codecOffset = 2
    static let presenceOffset = 3
    static let profileOffset = 4
    static let levelOffset = 8
    static let widthOffset = 12
    static let heightOffset = 16
    static let sampleRateOffset = 20
    static let channelsOffset = 24
    static let configLengthOffset = 28
    static let languageLengthOffset = 30
    static let languageOffset = 32
    static let languageCapacity = 16
    static let frameRateOffset = 48
    static let configOffset = 64
    static let configCapacity = RingLayout.trackSlotSize - configOffset

    static let hasFrameRate: UInt8 = 1 << 0
    static let hasAudioConfig: UInt8 = 1 << 1
    static let hasLanguage: UInt8 = 1 << 2

    /// Config entry kinds: a kind byte, a u16 length, the bytes.
    static let entryVPS: UInt8 = 1
    static let entrySPS: UInt8 = 2
    static let entryPPS: UInt8 = 3
    static let entryAudioConfig: UInt8 = 4

    /// The format's stable codec numbers.
    static func code(_ codec: Codec) -> UInt8 {
        switch codec {
        case .h264: return 1
        case .h265: return 2
        case .aac: return 3
        case .mp2: return 4
        case .mp3: return 5
        case .ac3: return 6
        case .eac3: return 7
        case .pcma: return 8
        case .pcmu: return 9
        }
    }

    static func codec(_ code: UInt8) -> Codec? {
        switch code {
        case 1: return .h264
        case 2: return .h265
        case 3: return .aac
        case 4: return .mp2
        case 5: return .mp3
        case 6: return .ac3
        case 7: return .eac3
        case 8: return .pcma
        case 9: return .pcmu
        default: return nil
        }
    }

    /// The slot's bytes (exactly `RingLayout.trackSlotSize`).
    static func encode(_ track: Track) throws -> [UInt8] {
        var slot = [UInt8](repeating: 0, count: RingLayout.trackSlotSize)
        guard let id = UInt16(exactly: track.id) else { throw RingError.invalidField(what: "track id", value: track.id) }
        slot.putLittleEndian(id, at: idOffset)
        slot[codecOffset] = code(track.codec)
        let integers: [(String, Int, Int)] = [
            ("profile", track.profile, profileOffset), ("level", track.level, levelOffset),
            ("width", track.width, widthOffset), ("height", track.height, heightOffset),
            ("sample rate", track.sampleRate, sampleRateOffset), ("channels", track.channels, channelsOffset),
        ]
        for (what, value, offset) in integers {
            guard let field = Int32(exactly: value) else {
                throw RingError.invalidField(what: "track \(track.id) \(what)", value: value)
            }
            slot.putLittleEndian(UInt32(bitPattern: field), at: offset)
        }
        var presence: UInt8 = 0
        if let rate = track.frameRate {
            presence |= hasFrameRate
            slot.putLittleEndian(rate.bitPattern, at: frameRateOffset)
        }
        if let language = track.language {
            let bytes = Array(language.utf8)
            guard bytes.count <= languageCapacity else {
                throw RingError.trackTooLarge(track: track.id, what: "language", size: bytes.count, limit: languageCapacity)
            }
            presence |= hasLanguage
            slot[languageLengthOffset] = UInt8(bytes.count)
            slot.replaceSubrange(languageOffset..<languageOffset + bytes.count, with: bytes)
        }
        var config: [UInt8] = []
        func append(_ kind: UInt8, _ bytes: [UInt8]) throws {
            guard bytes.count <= Int(UInt16.max) else {
                throw RingError.trackTooLarge(track: track.id, what: "parameter set", size: bytes.count, limit: Int(UInt16.max))
            }
            config.append(kind)
            config.append(UInt8(truncatingIfNeeded: bytes.count))
            config.append(UInt8(truncatingIfNeeded: bytes.count >> 8))
            config.append(contentsOf: bytes)
        }
        for set in track.parameterSets.vps { try append(entryVPS, set) }
        for set in track.parameterSets.sps { try append(entrySPS, set) }
        for set in track.parameterSets.pps { try append(entryPPS, set) }
        if let audio = track.audioConfig {
            presence |= hasAudioConfig
            try append(entryAudioConfig, audio.bytes)
        }
        guard config.count <= configCapacity else {
            throw RingError.trackTooLarge(track: track.id, what: "decoder configuration", size: config.count, limit: configCapacity)
        }
        slot.putLittleEndian(UInt16(config.count), at: configLengthOffset)
        slot.replaceSubrange(configOffset..<configOffset + config.count, with: config)
        slot[presenceOffset] = presence
        return slot
    }

    /// Decodes slot `index` from `slot` (at least `RingLayout.trackSlotSize` bytes).
    static func decode(_ slot: ArraySlice<UInt8>, index: Int) throws -> Track {
        guard slot.count >= RingLayout.trackSlotSize else {
            throw RingError.corruptTrack(index: index, reason: "slot of \(slot.count) bytes")
        }
        let s = slot.startIndex
        func u16(_ offset: Int) -> Int { Int(slot[s + offset]) | Int(slot[s + offset + 1]) << 8 }
        func u32(_ offset: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(slot[s + offset + $1]) << (8 * $1) }
        }
        func i32(_ offset: Int) -> Int { Int(Int32(bitPattern: u32(offset))) }
        guard let codec = codec(slot[s + codecOffset]) else {
            throw RingError.corruptTrack(index: index, reason: "unknown codec number \(slot[s + codecOffset])")
        }
        var track = Track(id: u16(idOffset), codec: codec)
        track.profile = i32(profileOffset)
        track.level = i32(levelOffset)
        track.width = i32(widthOffset)
        track.height = i32(heightOffset)
        track.sampleRate = i32(sampleRateOffset)
        track.channels = i32(channelsOffset)
        let presence = slot[s + presenceOffset]
        if presence & hasFrameRate != 0 {
            track.frameRate = Double(bitPattern: UInt64(u32(frameRateOffset)) | UInt64(u32(frameRateOffset + 4)) << 32)
        }
        if presence & hasLanguage != 0 {
            let length = Int(slot[s + languageLengthOffset])
            guard length <= languageCapacity else {
                throw RingError.corruptTrack(index: index, reason: "language length \(length) exceeds \(languageCapacity)")
            }
            let start = s + languageOffset
            track.language = String(decoding: slot[start..<start + length], as: UTF8.self)
        }
        let configLength = u16(configLengthOffset)
        guard configLength <= configCapacity else {
            throw RingError.corruptTrack(index: index, reason: "configuration length \(configLength) exceeds \(configCapacity)")
        }
        var at = s + configOffset
        let end = at + configLength
        while at < end {
            guard end - at >= 3 else {
                throw RingError.corruptTrack(index: index, reason: "truncated configuration entry at offset \(at - s)")
            }
            let kind = slot[at]
            let length = Int(slot[at + 1]) | Int(slot[at + 2]) << 8
            at += 3
            guard length <= end - at else {
                throw RingError.corruptTrack(index: index, reason: "configuration entry of \(length) bytes overruns the slot")
            }
            let bytes = Array(slot[at..<at + length])
            at += length
            switch kind {
            case entryVPS: track.parameterSets.vps.append(bytes)
            case entrySPS: track.parameterSets.sps.append(bytes)
            case entryPPS: track.parameterSets.pps.append(bytes)
            case entryAudioConfig:
                do {
                    track.audioConfig = try AudioSpecificConfig(parsing: bytes)
                } catch {
                    throw RingError.corruptTrack(index: index, reason: "\(error)")
                }
            default:
                throw RingError.corruptTrack(index: index, reason: "unknown configuration entry kind \(kind)")
            }
        }
        if presence & hasAudioConfig != 0, track.audioConfig == nil {
            throw RingError.corruptTrack(index: index, reason: "AudioSpecificConfig flagged but missing")
        }
        return track
    }
}
