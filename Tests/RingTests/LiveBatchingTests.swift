import Testing
import Ring

@Suite struct LiveBatchingTests {
    let many = LiveBatching.viewerThreshold + 1

    @Test func fewViewersGetEverythingAtOnce() {
        var batching = LiveBatching()
        for now: UInt64 in [0, 1, 2, 40] {
            #expect(batching.decide(viewers: LiveBatching.viewerThreshold, nowMs: now) == .send)
            #expect(batching.nextSend(viewers: LiveBatching.viewerThreshold, nowMs: now) == nil)
        }
    }

    /// Sends at most every interval, and says when: bursts 40 ms apart go out two at a time.
    @Test func manyViewersGetAWriteAnInterval() {
        var batching = LiveBatching()
        let interval = LiveBatching.intervalMs
        #expect(batching.decide(viewers: many, nowMs: 1000) == .send)
        #expect(batching.nextSend(viewers: many, nowMs: 1000) == 1000 + interval)
        #expect(batching.decide(viewers: many, nowMs: 1040) == .holdUntil(1000 + interval))
        #expect(batching.decide(viewers: many, nowMs: 1000 + interval) == .send)
        #expect(batching.nextSend(viewers: many, nowMs: 1000 + interval) == 1000 + 2 * interval)
        // Nothing came for a whole interval: the next frame goes out at once, so it must be heard of.
        #expect(batching.nextSend(viewers: many, nowMs: 1000 + 2 * interval) == nil)
        #expect(batching.decide(viewers: many, nowMs: 1000 + 3 * interval) == .send)
    }

    @Test func aChannelThatShrinksSendsAtOnceAgain() {
        var batching = LiveBatching()
        #expect(batching.decide(viewers: many, nowMs: 0) == .send)
        #expect(batching.decide(viewers: many, nowMs: 10) == .holdUntil(LiveBatching.intervalMs))
        #expect(batching.decide(viewers: LiveBatching.viewerThreshold, nowMs: 20) == .send)
    }
}
