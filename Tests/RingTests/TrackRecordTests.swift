import Media
import Testing
@testable import Ring

@Suite struct TrackRecordTests {
    @Test func everyFieldRoundTrips() throws {
        var video = Track(id: 3, codec: .h264)
        video.parameterSets = ParameterSets(sps: [[0x67, 0x42, 0xC0, 0x1E], [0x67, 0x4D]], pps: [[0x68, 0xCE, 0x3C, 0x80]])
        video.profile = 66
        video.level = 30
        video.width = 640
        video.height = 360
        video.frameRate = 29.97
        video.language = "und"
        var audio = Track(id: 65535, codec: .aac)
        audio.audioConfig = try AudioSpecificConfig(parsing: [0x13, 0x10, 0x56, 0xE5, 0x98])
        audio.profile = 5
        audio.sampleRate = 48000
        audio.channels = -1
        var bare = Track(id: 0, codec: .pcmu)
        bare.language = String(repeating: "é", count: 8)
        for track in [video, audio, bare] + Codec.allCases.map({ Track(id: 1, codec: $0) }) {
            let slot = try TrackRecord.encode(track)
            #expect(slot.count == RingLayout.trackSlotSize)
            #expect(try TrackRecord.decode(slot[...], index: 0) == track)
        }
    }

    @Test func refusesWhatDoesNotFitItsSlot() {
        var big = Track(id: 1, codec: .h265)
        big.parameterSets = ParameterSets(sps: [[UInt8](repeating: 1, count: 2000)])
        #expect(throws: RingError.trackTooLarge(track: 1, what: "decoder configuration", size: 2003, limit: 1984)) {
            try TrackRecord.encode(big)
        }
        var wide = Track(id: 1, codec: .h264)
        wide.width = 1 << 40
        #expect(throws: RingError.invalidField(what: "track 1 width", value: 1 << 40)) { try TrackRecord.encode(wide) }
        #expect(throws: RingError.invalidField(what: "track id", value: -1)) { try TrackRecord.encode(Track(id: -1, codec: .aac)) }
        var language = Track(id: 2, codec: .aac)
        language.language = String(repeating: "x", count: 17)
        #expect(throws: RingError.trackTooLarge(track: 2, what: "language", size: 17, limit: 16)) {
            try TrackRecord.encode(language)
        }
    }

    @Test func damagedSlotsYieldErrorsNeverTraps() throws {
        var generator = SystemRandomNumberGenerator()
        var video = Track(id: 1, codec: .h265)
        video.parameterSets = ParameterSets(vps: [[1, 2]], sps: [[3, 4, 5]], pps: [[6]])
        let valid = try TrackRecord.encode(video)
        #expect(throws: RingError.corruptTrack(index: 4, reason: "slot of 10 bytes")) {
            try TrackRecord.decode(valid[0..<10], index: 4)
        }
        var unknown = valid
        unknown[TrackRecord.codecOffset] = 0
        #expect(throws: RingError.corruptTrack(index: 0, reason: "unknown codec number 0")) {
            try TrackRecord.decode(unknown[...], index: 0)
        }
        for _ in 0..<2000 {
            // Random damage to a valid slot: the header and the first configuration entries.
            var slot = valid
            for _ in 0..<4 { slot[Int.random(in: 0..<80, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            decodeOrReject(slot)
            // And wholly random slots with a plausible codec.
            var noise = (0..<RingLayout.trackSlotSize).map { _ in UInt8.random(in: 0...255, using: &generator) }
            noise[TrackRecord.codecOffset] = UInt8.random(in: 1...9, using: &generator)
            decodeOrReject(noise)
        }
    }

    /// Decodes a damaged slot: it may decode (damage in unchecked bytes) or be rejected as corrupt, nothing else.
    private func decodeOrReject(_ slot: [UInt8]) {
        do {
            _ = try TrackRecord.decode(slot[...], index: 0)
        } catch let error as RingError {
            guard case .corruptTrack = error else {
                Issue.record("unexpected error \(error)")
                return
            }
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
