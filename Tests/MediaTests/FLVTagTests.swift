import Testing
@testable import Media

/// FLV tag headers, legacy and enhanced, read from bytes laid out by hand from the specs and written back.
/// Enhanced RTMP: Veovera "Enhanced RTMP" v2 (v2-2024-05-15-a1), sections "Enhanced Video" (tables Extended
/// VideoTagHeader, ExVideoTagHeader, ExVideoTagBody) and "Enhanced Audio" (ExAudioTagHeader, ExAudioTagBody);
/// ModEx as the later v2 revisions define it. Legacy: Adobe FLV v10.1, E.4.2.1 AUDIODATA and E.4.3.1 VIDEODATA.
@Suite struct FLVVideoTagTests {
    static let hvc1: [UInt8] = [0x68, 0x76, 0x63, 0x31]

    func parse(_ bytes: [UInt8]) throws(FLVError) -> FLVVideoTag { try FLVBuild.parse(bytes, FLVVideoTag.init(parsing:)) }

    func failure(_ bytes: [UInt8]) -> FLVError? { FLVBuild.failure(bytes, FLVVideoTag.init(parsing:)) }

    @Test func enhancedHEVCSequenceStart() throws {
        // IsExHeader 1, FrameType 1 (key), VideoPacketType 0 (SequenceStart); FourCC 'hvc1'; the hvcC follows.
        let tag = try parse([0x90] + Self.hvc1 + [0x01, 0x01])
        #expect(tag == FLVVideoTag(frameType: .key, codec: .h265, packetType: .sequenceStart, isEnhanced: true))
        #expect(tag.dataOffset == 5)
    }

    @Test func enhancedHEVCCodedFramesCarryAnSI24CompositionTime() throws {
        // VideoPacketType 1 (CodedFrames): SI24 compositionTimeOffset, then the NAL units.
        var tag = try parse([0x91] + Self.hvc1 + [0x00, 0x00, 0x50, 0, 0, 0, 2, 0x26, 0x01])
        #expect(tag.packetType == .codedFrames && tag.frameType == .key && tag.compositionTime == 80 && tag.dataOffset == 8)
        tag = try parse([0xA1] + Self.hvc1 + [0xFF, 0xFF, 0xD8])  // inter frame, -40 ms
        #expect(tag.frameType == .inter && tag.compositionTime == -40)
    }

    @Test func enhancedCodedFramesXHasNoCompositionTime() throws {
        // VideoPacketType 3 (CodedFramesX): the composition time is implied 0 and not on the wire.
        let tag = try parse([0xA3] + Self.hvc1 + [0, 0, 0, 2, 0x02, 0x01])
        #expect(tag.packetType == .codedFrames && tag.compositionTime == 0 && tag.dataOffset == 5 && tag.frameType == .inter)
    }

    @Test func enhancedSequenceEndMetadataAndCommands() throws {
        #expect(try parse([0x92] + Self.hvc1).packetType == .sequenceEnd)
        // Metadata (4): AMF data follows; FrameType is to be ignored, even a reserved one (7).
        let metadata = try parse([0xF4] + Self.hvc1 + [0x02, 0x00, 0x09] + Array("colorInfo".utf8))
        #expect(metadata.packetType == .metadata && metadata.dataOffset == 5)
        // FrameType 5 (Command) with a packet type other than Metadata: one VideoCommand byte, no FourCC.
        let command = try parse([0xD1, 0x01])
        #expect(command.packetType == .command(1) && command.codec == nil && command.dataOffset == 2)
    }

    @Test func enhancedAVCInTheFourCCForm() throws {
        let tag = try parse([0x91, 0x61, 0x76, 0x63, 0x31, 0x00, 0x00, 0x28])
        #expect(tag.codec == .h264 && tag.isEnhanced && tag.compositionTime == 40 && tag.packetType == .codedFrames)
    }

    @Test func modExIsSkipped() throws {
        // VideoPacketType 7 (ModEx): UI8 size - 1 (here 3 bytes: a UI24 TimestampOffsetNano), the data, then
        // UB[4] VideoPacketModExType and UB[4] the real VideoPacketType (1, CodedFrames).
        let tag = try parse([0x97, 0x02, 0x00, 0x01, 0x02, 0x01] + Self.hvc1 + [0x00, 0x00, 0x21, 0xAA])
        #expect(tag.packetType == .codedFrames && tag.compositionTime == 33 && tag.dataOffset == 13)
        // A size of 256 takes a UI16 size - 1 after it (here 257 bytes); two ModEx in a row.
        let long = [0x97, 0xFF, 0x01, 0x00] + [UInt8](repeating: 0, count: 257) + [0x07, 0x00, 0x00, 0x03] + Self.hvc1
        let tag2 = try parse(long)
        #expect(tag2.packetType == .codedFrames && tag2.compositionTime == 0 && tag2.dataOffset == long.count)
    }

    @Test func legacyAVCAndHEVC() throws {
        var tag = try parse([0x17, 0x00, 0x00, 0x00, 0x00, 0x01])
        #expect(tag == FLVVideoTag(frameType: .key, codec: .h264, packetType: .sequenceStart, isEnhanced: false))
        tag = try parse([0x27, 0x01, 0xFF, 0xFF, 0xFE, 0, 0, 0, 1, 0x41])
        #expect(tag.packetType == .codedFrames && tag.compositionTime == -2 && tag.frameType == .inter && tag.dataOffset == 5)
        tag = try parse([0x17, 0x02, 0x00, 0x00, 0x00])
        #expect(tag.packetType == .sequenceEnd)
        // CodecID 12: HEVC as the non-standard extension of some encoders and servers sends it.
        tag = try parse([0x1C, 0x01, 0x00, 0x00, 0x28])
        #expect(tag.codec == .h265 && !tag.isEnhanced && tag.compositionTime == 40)
        tag = try parse([0x57, 0x00])
        #expect(tag.packetType == .command(0) && tag.frameType == .command)
        // The disposable and generated frame types are read as they are.
        #expect(try parse([0x37, 0x01, 0, 0, 0]).frameType == .disposableInter)
        #expect(try parse([0x47, 0x01, 0, 0, 0]).frameType == .generatedKey)
    }

    @Test(arguments: [
        ([0x12, 0x01] as [UInt8], "CodecID 2 (Sorenson H.263)"),
        ([0x14, 0x01], "CodecID 4 (On2 VP6)"),
        ([0x1D, 0x01], "CodecID 13 (reserved)"),
        ([0x90, 0x61, 0x76, 0x30, 0x31], "FourCC 'av01'"),
        ([0x91, 0x76, 0x70, 0x30, 0x39, 0, 0, 0], "FourCC 'vp09'"),
        ([0x90, 0x76, 0x70, 0x30, 0x38], "FourCC 'vp08'"),
        ([0x90, 0x00, 0x01, 0x02, 0x03], "FourCC 0x10203"),
        // Multitrack (6): UB[4] AvMultitrackType, UB[4] VideoPacketType, ...
        ([0x96, 0x00, 0x68, 0x76, 0x63, 0x31, 0x00], "multitrack"),
        ([0x95, 0x68, 0x76, 0x63, 0x31], "MPEG2TSSequenceStart"),
        ([0x98, 0x68, 0x76, 0x63, 0x31], "VideoPacketType 8"),
    ])
    func unsupportedVideoIsSaidSo(_ bytes: [UInt8], _ reason: String) throws {
        let error = try #require(failure(bytes))
        #expect(error.kind == .unsupported)
        #expect(error.reason.contains(reason), "\(error)")
    }

    @Test(arguments: [
        [0x07, 0x01, 0, 0, 0] as [UInt8],  // FrameType 0
        [0x67, 0x01, 0, 0, 0],  // FrameType 6
        [0xF1] + FLVVideoTagTests.hvc1 + [0, 0, 0],  // enhanced FrameType 7 with coded frames
        [0x17, 0x03, 0, 0, 0],  // AVCPacketType 3
    ])
    func reservedValuesAreMalformed(_ bytes: [UInt8]) throws {
        #expect(try #require(failure(bytes)).kind == .malformed)
    }

    /// Every header cut short, at every length, is malformed: never read past the end.
    @Test func truncatedHeadersAreMalformed() throws {
        let headers: [[UInt8]] = [
            [0x17, 0x01, 0x00, 0x00, 0x50], [0x91] + Self.hvc1 + [0, 0, 0x50], [0xA3] + Self.hvc1, [0x57, 0x01],
            [0x97, 0x02, 0x00, 0x01, 0x02, 0x01] + Self.hvc1 + [0, 0, 0],
            [0x97, 0xFF, 0x00, 0x01] + [UInt8](repeating: 0, count: 2) + [0x03] + Self.hvc1,
        ]
        for header in headers {
            #expect(failure(header) == nil)
            for length in 0..<header.count {
                let error = try #require(failure(Array(header[0..<length])), "\(header) cut to \(length)")
                #expect(error.kind == .malformed && error.reason.contains("cut short"))
            }
        }
    }

    @Test func headersWrittenReadBackTheSame() throws {
        let tags = [
            FLVVideoTag(frameType: .key, codec: .h264, packetType: .sequenceStart, isEnhanced: false),
            FLVVideoTag(frameType: .inter, codec: .h264, packetType: .codedFrames, compositionTime: -1000, isEnhanced: false),
            FLVVideoTag(frameType: .key, codec: .h264, packetType: .codedFrames, compositionTime: 0x7F_FFFF, isEnhanced: false),
            FLVVideoTag(frameType: .key, codec: .h264, packetType: .sequenceEnd, isEnhanced: false),
            FLVVideoTag(frameType: .command, codec: .h264, packetType: .command(1), isEnhanced: false),
            FLVVideoTag(frameType: .key, codec: .h265, packetType: .sequenceStart, isEnhanced: true),
            FLVVideoTag(frameType: .key, codec: .h265, packetType: .codedFrames, compositionTime: 80, isEnhanced: true),
            FLVVideoTag(frameType: .inter, codec: .h265, packetType: .codedFrames, compositionTime: 0, isEnhanced: true),
            FLVVideoTag(frameType: .inter, codec: .h265, packetType: .sequenceEnd, isEnhanced: true),
            FLVVideoTag(frameType: .key, codec: .h264, packetType: .codedFrames, compositionTime: -8, isEnhanced: true),
            FLVVideoTag(frameType: .key, codec: .h265, packetType: .codedFrames, compositionTime: 40, isEnhanced: false),
        ]
        for tag in tags {
            var bytes: [UInt8] = []
            tag.appendHeader(to: &bytes)
            #expect(bytes.count == tag.dataOffset, "\(tag)")
            var expected = tag
            if case .command = tag.packetType, tag.isEnhanced { expected.codec = nil }
            #expect(try parse(bytes) == expected)
        }
        // H.265 coded frames with a composition time of 0 go as CodedFramesX (3): five bytes, no SI24.
        var bytes: [UInt8] = []
        tags[7].appendHeader(to: &bytes)
        #expect(bytes == [0xA3] + Self.hvc1)
        bytes = []
        tags[6].appendHeader(to: &bytes)
        #expect(bytes == [0x91] + Self.hvc1 + [0x00, 0x00, 0x50])
    }
}

@Suite struct FLVAudioTagTests {
    func parse(_ bytes: [UInt8]) throws(FLVError) -> FLVAudioTag { try FLVBuild.parse(bytes, FLVAudioTag.init(parsing:)) }

    func failure(_ bytes: [UInt8]) -> FLVError? { FLVBuild.failure(bytes, FLVAudioTag.init(parsing:)) }

    @Test func legacyFormats() throws {
        // SoundFormat 10 (AAC), SoundRate 3 (44 kHz), SoundSize 1 (16 bits), SoundType 1 (stereo); AACPacketType.
        var tag = try parse([0xAF, 0x00, 0x12, 0x10])
        #expect(tag.codec == .aac && tag.packetType == .sequenceStart && tag.dataOffset == 2)
        #expect(tag.soundRate == 44100 && tag.soundBits == 16 && tag.soundChannels == 2 && !tag.isEnhanced)
        #expect(try parse([0xAF, 0x01, 0x21]).packetType == .codedFrames)
        // MP3 (2) 22 kHz 16-bit mono; "MP3 8 kHz" (14); G.711 A-law (7) and mu-law (8).
        tag = try parse([0x2A, 0xFF, 0xFB])
        #expect(tag.codec == .mp3 && tag.soundRate == 22050 && tag.soundChannels == 1 && tag.dataOffset == 1)
        #expect(try parse([0xE2, 0xFF]).codec == .mp3)
        tag = try parse([0x72, 0xD5])
        #expect(tag.codec == .pcma && tag.soundChannels == 1 && tag.soundRate == 5512)
        tag = try parse([0x83, 0xFF])
        #expect(tag.codec == .pcmu && tag.soundChannels == 2 && tag.soundBits == 16)
    }

    @Test func enhancedFormats() throws {
        // SoundFormat 9 (ExHeader), AudioPacketType in the low 4 bits, then a FourCC.
        var tag = try parse([0x90] + Array("mp4a".utf8) + [0x12, 0x10])
        #expect(tag.codec == .aac && tag.packetType == .sequenceStart && tag.isEnhanced && tag.dataOffset == 5)
        #expect(try parse([0x91] + Array("mp4a".utf8)).packetType == .codedFrames)
        #expect(try parse([0x92] + Array("mp4a".utf8)).packetType == .sequenceEnd)
        #expect(try parse([0x94] + Array("mp4a".utf8) + [0, 2]).packetType == .multichannelConfig)
        #expect(try parse([0x91] + Array(".mp3".utf8)).codec == .mp3)
        #expect(try parse([0x91] + Array("ac-3".utf8)).codec == .ac3)
        #expect(try parse([0x91] + Array("ec-3".utf8)).codec == .eac3)
        // ModEx (7): one byte of data, then AudioPacketModExType 0 and AudioPacketType 1.
        tag = try parse([0x97, 0x00, 0xAB, 0x01] + Array("mp4a".utf8) + [0x21])
        #expect(tag.packetType == .codedFrames && tag.dataOffset == 8)
    }

    @Test(arguments: [
        ([0x0E] as [UInt8], "SoundFormat 0 (linear PCM, platform endian)"),
        ([0x1E], "SoundFormat 1 (ADPCM)"),
        ([0x3E], "SoundFormat 3 (linear PCM, little endian)"),
        ([0x6E], "SoundFormat 6 (Nellymoser)"),
        ([0xB6], "SoundFormat 11 (Speex)"),
        ([0xC2], "SoundFormat 12 (reserved)"),
        ([0xF2], "SoundFormat 15 (device-specific sound)"),
        ([0x91, 0x4F, 0x70, 0x75, 0x73], "FourCC 'Opus'"),
        ([0x90, 0x66, 0x4C, 0x61, 0x43], "FourCC 'fLaC'"),
        ([0x95, 0x00, 0x6D, 0x70, 0x34, 0x61], "multitrack"),
        ([0x93, 0x6D, 0x70, 0x34, 0x61], "AudioPacketType 3"),
    ])
    func unsupportedAudioIsSaidSo(_ bytes: [UInt8], _ reason: String) throws {
        let error = try #require(failure(bytes))
        #expect(error.kind == .unsupported)
        #expect(error.reason.contains(reason), "\(error)")
    }

    @Test func truncatedOrReservedIsMalformed() throws {
        for bytes: [UInt8] in [[], [0xAF], [0x90, 0x6D, 0x70], [0x97, 0x05, 0x00], [0x97, 0xFF, 0x00]] {
            #expect(try #require(failure(bytes)).kind == .malformed, "\(bytes)")
        }
        #expect(try #require(failure([0xAF, 0x02])).reason.contains("AACPacketType 2"))
    }

    @Test func headersWrittenReadBackTheSame() throws {
        let cases: [(FLVAudioTag, [UInt8])] = [
            (FLVAudioTag(codec: .aac, packetType: .sequenceStart, sampleRate: 48000, channels: 1), [0xAF, 0x00]),
            (FLVAudioTag(codec: .aac, packetType: .codedFrames), [0xAF, 0x01]),
            // 48 kHz MP3 says 44 kHz, as ffmpeg writes it; the frame header tells the truth.
            (FLVAudioTag(codec: .mp3, packetType: .codedFrames, sampleRate: 48000, channels: 2), [0x2F]),
            (FLVAudioTag(codec: .mp3, packetType: .codedFrames, sampleRate: 22050, channels: 1), [0x2A]),
            (FLVAudioTag(codec: .pcma, packetType: .codedFrames, sampleRate: 8000, channels: 1), [0x72]),
            (FLVAudioTag(codec: .pcmu, packetType: .codedFrames, sampleRate: 8000, channels: 2), [0x83]),
            (FLVAudioTag(codec: .aac, packetType: .sequenceStart, isEnhanced: true), [0x90] + Array("mp4a".utf8)),
            (FLVAudioTag(codec: .ac3, packetType: .codedFrames), [0x91] + Array("ac-3".utf8)),
            (FLVAudioTag(codec: .eac3, packetType: .codedFrames), [0x91] + Array("ec-3".utf8)),
        ]
        for (tag, expected) in cases {
            var bytes: [UInt8] = []
            tag.appendHeader(to: &bytes)
            #expect(bytes == expected, "\(tag)")
            #expect(bytes.count == tag.dataOffset)
            let back = try parse(bytes)
            #expect(back.codec == tag.codec && back.packetType == tag.packetType && back.dataOffset == tag.dataOffset)
        }
    }
}
