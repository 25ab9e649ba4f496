import Testing
@testable import Media

@Suite struct TSPIDLayoutTests {
    @Test func defaultsAreFFmpegs() throws {
        let layout = TSPIDLayout()
        #expect(layout.pmtPID == 0x1000)
        #expect(layout.sdtPID == 0x11)
        #expect(try layout.pids(forKinds: [.video, .audio, .audio]) == [0x100, 0x101, 0x102])
    }

    @Test func theSeedsExample() throws {
        // mpegts_pids pmt=4095 sdt=0x12 v1=211 v2=212 a0=220 t0=16#fb;
        let layout = TSPIDLayout(pmt: 4095, sdt: 0x12, video: [1: 211, 2: 212], audio: [0: 220], track: [0: 0xFB])
        #expect(layout.pmtPID == 4095)
        #expect(layout.sdtPID == 0x12)
        // v1, a1, v2, a2, then a third video track: no v3, no t5, no v0, so t0 + 5.
        #expect(try layout.pids(forKinds: [.video, .audio, .video, .audio, .video]) == [211, 221, 212, 222, 0xFB + 5])
    }

    @Test func trackBaseNumbersFromOne() throws {
        let layout = TSPIDLayout(track: [0: 100])
        #expect(try layout.pids(forKinds: [.video, .audio, .audio]) == [101, 102, 103])
    }

    @Test func kindBasesCountWithinTheirKind() throws {
        let layout = TSPIDLayout(video: [0: 0x200], audio: [0: 0x300])
        #expect(try layout.pids(forKinds: [.audio, .video, .audio, .video]) == [0x301, 0x201, 0x302, 0x202])
    }

    @Test func precedence() throws {
        // vN/aN before tN, tN before the kind base, the kind base before t0.
        let layout = TSPIDLayout(video: [1: 500], audio: [0: 400], track: [0: 600, 1: 700, 2: 300])
        #expect(try layout.pids(forKinds: [.video, .audio, .audio, .video]) == [500, 300, 402, 604])
    }

    @Test func collisionsAreRejectedNamingBothUsers() throws {
        let clash = TSPIDLayout(video: [1: 0x101])
        let error = try #require(throws: MediaError.self) { try clash.pids(forKinds: [.video, .audio]) }
        #expect(error.description.contains("track 1 (v1)") && error.description.contains("track 2 (a1)"))
        let pmtClash = TSPIDLayout(pmt: 0x100)
        let pmtError = try #require(throws: MediaError.self) { try pmtClash.pids(forKinds: [.video]) }
        #expect(pmtError.description.contains("the PMT"))
        #expect(throws: MediaError.self) { try TSPIDLayout(pmt: 0x11).pids(forKinds: []) }
    }

    @Test func outOfRangeAndNegativeKeysAreRejected() {
        #expect(throws: MediaError.self) { try TSPIDLayout(pmt: 5).pids(forKinds: []) }
        #expect(throws: MediaError.self) { try TSPIDLayout(video: [1: 0x1FFF]).pids(forKinds: [.video]) }
        #expect(throws: MediaError.self) { try TSPIDLayout(track: [0: 0x1FFE]).pids(forKinds: [.video]) }
        #expect(throws: MediaError.self) { try TSPIDLayout(audio: [-1: 300]).pids(forKinds: [.audio]) }
    }
}
