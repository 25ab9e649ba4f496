import Testing
@testable import Media

@Suite struct TrackParameterSetsTests {
    @Test func h264TrackTakesItsSPS() throws {
        var track = Track(id: 1, codec: .h264)
        let sets = try Fixture.h264ParameterSets("h264_1080.h264")
        try track.applyParameterSets(sets)
        #expect(track.parameterSets == sets)
        #expect(track.profile == 77 && track.level == 40 && track.width == 1920 && track.height == 1080)
        #expect(track.frameRate == 30000.0 / 1001.0)
    }

    @Test func h265TrackTakesItsSPS() throws {
        var track = Track(id: 2, codec: .h265)
        let sets = try Fixture.h265ParameterSets("h265_main.h265")
        try track.applyParameterSets(sets)
        #expect(track.parameterSets == sets)
        #expect(track.profile == 1 && track.level == 60 && track.width == 320 && track.height == 240)
        #expect(track.frameRate == 25)
    }

    @Test func failuresLeaveTheTrackUnchanged() throws {
        let sets = try Fixture.h264ParameterSets("h264_high.h264")
        var audio = Track(id: 3, codec: .aac)
        #expect(throws: MediaError.self) { try audio.applyParameterSets(sets) }
        #expect(audio == Track(id: 3, codec: .aac))

        var video = Track(id: 1, codec: .h264)
        try video.applyParameterSets(sets)
        let before = video
        #expect(throws: MediaError.self) { try video.applyParameterSets(ParameterSets(pps: sets.pps)) }
        #expect(throws: MediaError.self) { try video.applyParameterSets(ParameterSets(sps: [[0x67, 0x64]], pps: sets.pps)) }
        // H.264 sets on an H.265 track: the SPS does not parse as H.265.
        var hevc = Track(id: 4, codec: .h265)
        #expect(throws: MediaError.self) { try hevc.applyParameterSets(sets) }
        #expect(video == before)
    }
}
