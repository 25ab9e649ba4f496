import Testing
@testable import Media

/// Builds FLV tag bodies by hand for tests, byte by byte as the specs lay them out.
enum FLVBuild {
    static func fourCC(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func si24(_ value: Int32) -> [UInt8] {
        let raw = UInt32(bitPattern: value) & 0xFF_FFFF
        return [UInt8(raw >> 16), UInt8((raw >> 8) & 0xFF), UInt8(raw & 0xFF)]
    }

    /// NAL units behind big-endian lengths of `size` bytes.
    static func lengthPrefixed(_ nals: [[UInt8]], size: Int = 4) -> [UInt8] {
        nals.flatMap { nal in (0..<size).reversed().map { UInt8((nal.count >> (8 * $0)) & 0xFF) } + nal }
    }

    /// A legacy AVC (codec id 7) or HEVC (12) tag: FrameType/CodecID, AVCPacketType, SI24 composition time.
    static func legacyVideo(key: Bool, codecID: UInt8 = 7, packetType: UInt8, compositionTime: Int32 = 0,
                            _ data: [UInt8]) -> [UInt8] {
        [(key ? 0x10 : 0x20) | codecID, packetType] + si24(compositionTime) + data
    }

    /// An enhanced RTMP video tag (E-RTMP v2 "Enhanced Video", ExVideoTagHeader): IsExHeader 1, FrameType (UB[3]),
    /// VideoPacketType (UB[4]), FourCC, then SI24 composition time for CodedFrames (1) only.
    static func exVideo(key: Bool, packetType: UInt8, fourCC: String = "hvc1", compositionTime: Int32 = 0,
                        _ data: [UInt8]) -> [UInt8] {
        [0x80 | (key ? 0x10 : 0x20) | packetType] + FLVBuild.fourCC(fourCC)
            + (packetType == 1 ? si24(compositionTime) : []) + data
    }

    static func aac(sequenceHeader: Bool, _ data: [UInt8]) -> [UInt8] { [0xAF, sequenceHeader ? 0 : 1] + data }

    /// A tag header parsed from `bytes` (`FLVVideoTag.init(parsing:)`, `FLVAudioTag.init(parsing:)`).
    static func parse<T>(_ bytes: [UInt8], _ make: (UnsafeRawBufferPointer) throws(FLVError) -> T) throws(FLVError) -> T {
        var result: Result<T, FLVError>?
        bytes.withUnsafeBytes { raw in result = Result { () throws(FLVError) in try make(raw) } }
        return try result!.get()
    }

    /// The error of parsing `bytes`, nil if they parse.
    static func failure<T>(_ bytes: [UInt8], _ make: (UnsafeRawBufferPointer) throws(FLVError) -> T) -> FLVError? {
        do {
            _ = try parse(bytes, make)
            return nil
        } catch {
            return error
        }
    }

    /// The tags of an FLV fixture.
    static func fixtureTags(_ name: String) throws -> [FLVTag] {
        let (tags, reader) = FLVFileReader.tags(of: try Fixture.bytes(name))
        try #require(reader.failure == nil && reader.pendingBytes == 0)
        return tags
    }
}

/// Feeds tags to a demuxer and keeps what came out, with the outcome of each tag.
struct FLVDemuxRun {
    var demuxer = FLVTagDemuxer()
    var frames: [Frame] = []
    /// The track handed with each frame.
    var frameTracks: [Track] = []
    var outcomes: [FLVTagDemuxer.Outcome] = []

    @discardableResult
    mutating func feed(_ type: FLVTagType, _ timestamp: UInt32, _ body: [UInt8]) -> FLVTagDemuxer.Outcome {
        let outcome = body.withUnsafeBytes { bytes in
            demuxer.feed(type, timestamp: timestamp, body: bytes) { track, info, payload in
                frames.append(Frame(info: info, payload: Array(payload)))
                frameTracks.append(track)
            }
        }
        outcomes.append(outcome)
        return outcome
    }

    mutating func feed(_ tags: [FLVTag]) {
        for tag in tags { feed(tag.type, tag.timestamp, tag.body) }
    }
}
