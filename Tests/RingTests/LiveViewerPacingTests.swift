import Testing
import Ring

@Suite struct LiveViewerPacingTests {
    @Test func aNewViewerWaitsForAGroupThenGetsEverything() {
        var pacing = LiveViewerPacing(waitingForGroup: true)
        #expect(pacing.decide(startsGroup: false, queued: 0, limit: 100) == .hold)
        #expect(pacing.decide(startsGroup: true, queued: 0, limit: 100) == .send)
        #expect(pacing.decide(startsGroup: false, queued: 100, limit: 100) == .send)
    }

    @Test func aSlowViewerSkipsToTheNextGroupOnce() {
        var pacing = LiveViewerPacing(waitingForGroup: false)
        #expect(pacing.decide(startsGroup: false, queued: 101, limit: 100) == .skip)
        #expect(pacing.decide(startsGroup: false, queued: 0, limit: 100) == .hold)
        #expect(pacing.decide(startsGroup: true, queued: 101, limit: 100) == .send, "a group start is always sent to a waiting viewer")
        #expect(pacing.decide(startsGroup: false, queued: 500, limit: 100) == .skip)
    }

    @Test func theQueueLimitIsFiveSecondsOfTheStreamWithinBounds() {
        #expect(LiveViewerPacing.queueLimit(bitsPerSecond: nil) == 4 << 20)
        #expect(LiveViewerPacing.queueLimit(bitsPerSecond: 8_000_000) == 5_000_000)
        #expect(LiveViewerPacing.queueLimit(bitsPerSecond: 500_000) == 1 << 20)
        #expect(LiveViewerPacing.queueLimit(bitsPerSecond: 1_000_000_000) == 32 << 20)
    }
}
