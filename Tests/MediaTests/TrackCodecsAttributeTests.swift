import Testing
@testable import Media

@Suite struct TrackCodecsAttributeTests {
    private func video(_ codec: Codec, _ sets: ParameterSets) throws -> Track {
        var track = Track(id: 1, codec: codec)
        try track.applyParameterSets(sets)
        return track
    }

    @Test func h264() throws {
        #expect(try video(.h264, Fixture.h264ParameterSets("h264_high.h264")).codecsAttribute == "avc1.64000d")
        #expect(try video(.h264, Fixture.h264ParameterSets("h264_1080.h264")).codecsAttribute == "avc1.4d4028")
        #expect(try video(.h264, Fixture.h264ParameterSets("h264_444_10bit.h264")).codecsAttribute == "avc1.f40015")
        #expect(Track(id: 1, codec: .h264).codecsAttribute == nil)
    }

    @Test func h265() throws {
        // Main: compatibility flags 1 and 2 (0x60000000 reversed is 6); progressive + frame-only constraints.
        #expect(try video(.h265, Fixture.h265ParameterSets("h265_main.h265")).codecsAttribute == "hvc1.1.6.L60.90")
        #expect(try video(.h265, Fixture.h265ParameterSets("h265_1080_main10.h265")).codecsAttribute == "hvc1.2.4.L123.90")
        // High tier, profile 4, compatibility flag 4, all six constraint bytes (the last one non-zero).
        var track = Track(id: 1, codec: .h265)
        track.parameterSets = ParameterSets(sps: [H265SPSTests.synthetic()])
        #expect(track.codecsAttribute == "hvc1.4.10.H150.A3.A0.0.0.0.1")
        #expect(Track(id: 1, codec: .h265).codecsAttribute == nil)
    }

    @Test func audio() throws {
        var aac = Track(id: 2, codec: .aac)
        #expect(aac.codecsAttribute == nil)
        aac.audioConfig = AudioSpecificConfig(objectType: 2, frequencyIndex: 4, channelConfiguration: 2)
        #expect(aac.codecsAttribute == "mp4a.40.2")
        aac.audioConfig = try AudioSpecificConfig(parsing: [0x2B, 0x11, 0x88, 0x00])
        #expect(aac.codecsAttribute == "mp4a.40.5")
        #expect(Track(id: 2, codec: .mp3).codecsAttribute == "mp4a.40.34")
        var mp2 = Track(id: 2, codec: .mp2)
        mp2.sampleRate = 48000
        #expect(mp2.codecsAttribute == "mp4a.6B")
        mp2.sampleRate = 24000
        #expect(mp2.codecsAttribute == "mp4a.69")
        #expect(Track(id: 2, codec: .ac3).codecsAttribute == "ac-3")
        #expect(Track(id: 2, codec: .eac3).codecsAttribute == "ec-3")
        #expect(Track(id: 2, codec: .pcma).codecsAttribute == nil)
    }
}
