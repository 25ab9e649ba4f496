import Config
import Testing
import TestSupport

@testable import Ingest

/// The input policy, rule by rule, as a state machine: events in, exact actions out. Times in milliseconds.
@Suite struct InputSelectorTests {
    private typealias Action = InputSelector.Action

    private func input(_ url: String, priority: Int? = nil, sourceTimeout: Int? = nil) throws -> InputConfig {
        InputConfig(url: try InputURL(parsing: url), priority: priority, sourceTimeout: sourceTimeout)
    }

    private func selector(
        _ inputs: [InputConfig], kind: StreamKind = .static, configure: (inout StreamSettings) -> Void = { _ in }
    ) -> InputSelector {
        var settings = StreamSettings()
        settings.inputs = inputs
        configure(&settings)
        return InputSelector(settings: settings, kind: kind)
    }

    private let a = "udp://239.0.0.1:1000", b = "udp://239.0.0.2:1000"

    @Test func ranksByPriorityThenListingOrder() throws {
        let s = selector([
            try input("udp://:1", priority: 2), try input("udp://:2"), try input("udp://:3", priority: 1),
            try input("udp://:4"), try input("udp://:5", priority: 2),
        ])
        #expect(s.inputs.map(\.url.text) == ["udp://:3", "udp://:1", "udp://:5", "udp://:2", "udp://:4"])
    }

    @Test func sourceTimeoutsFromInputThenStreamThenDefault() throws {
        let own = selector([try input(a, sourceTimeout: 5), try input(b)]) { $0.sourceTimeout = 20 }
        #expect(own.sourceTimeouts == [5_000, 20_000])
        let defaults = selector([try input(a), try input("hls://origin/live/index.m3u8"), try input("timeshift://s/60")])
        #expect(defaults.sourceTimeouts == [60_000, 180_000, 180_000])
    }

    @Test func startOpensTheBestAndItBecomesActiveAtItsFirstKeyframe() throws {
        var s = selector([try input(b, priority: 2), try input(a, priority: 1)])
        #expect(s.status == InputStatus(state: .waiting, input: nil, retryCount: 0, lastError: nil))
        #expect(s.start(now: 0) == [.open(0)])
        #expect(s.status == InputStatus(state: .waiting, input: a, retryCount: 0, lastError: nil))
        #expect(s.opened(0, now: 10) == [])
        #expect(s.frame(0, isKeyframe: false, now: 20) == [])
        #expect(s.active == nil)
        #expect(s.frame(0, isKeyframe: true, now: 30) == [.switchTo(0), .newGeneration, .event(.sourceReady, input: 0, reason: nil)])
        #expect(s.active == 0)
        #expect(s.frame(0, isKeyframe: false, now: 40) == [])
        #expect(s.status == InputStatus(state: .running, input: a, retryCount: 0, lastError: nil))
    }

    @Test func failsOverAtOnceAndSwitchesBackOnlyAtAKeyframe() throws {
        var s = selector([try input(a, priority: 1), try input(b, priority: 2)])
        _ = s.start(now: 0)
        _ = s.frame(0, isKeyframe: true, now: 30)
        #expect(s.failed(0, reason: "connection reset", now: 1_000) == [
            .close(0), .event(.sourceLost, input: 0, reason: "connection reset"), .open(1),
        ])
        #expect(s.status == InputStatus(state: .waiting, input: b, retryCount: 1, lastError: "\(a): connection reset"))
        #expect(s.frame(1, isKeyframe: true, now: 1_500) == [.switchTo(1), .newGeneration, .event(.sourceReady, input: 1, reason: nil)])
        // The better input is retried in the background once its backoff (1 s) ends.
        #expect(s.tick(now: 1_999) == [])
        #expect(s.tick(now: 2_000) == [.probe(0)])
        #expect(s.opened(0, now: 2_050) == [])
        #expect(s.frame(0, isKeyframe: false, now: 2_100) == [])
        #expect(s.active == 1)
        #expect(s.frame(1, isKeyframe: false, now: 2_200) == [])
        #expect(s.frame(0, isKeyframe: true, now: 2_300) == [
            .close(1), .switchTo(0), .newGeneration, .event(.sourceReady, input: 0, reason: nil),
        ])
        #expect(s.active == 0)
        // The worse input stays closed while the better one runs.
        #expect(s.tick(now: 5_000) == [])
        #expect(s.frame(1, isKeyframe: true, now: 5_001) == [])
    }

    @Test func retryNowEndsABackoffAndOpensAnIdleInput() throws {
        var s = selector([try input("publish://"), try input(b)]) { $0.sourceTimeout = 10 }
        #expect(s.start(now: 0) == [.open(0)])
        // No publisher for the source timeout: the input is lost and waits out its backoff while the next is tried.
        #expect(s.tick(now: 10_000) == [
            .close(0), .event(.sourceFailed, input: 0, reason: "no frame for 10 s (source_timeout 10 s)"), .open(1),
        ])
        // A publisher arrives during the backoff: input 0 is probed at once, ranked above the attempt.
        #expect(s.retryNow(0, now: 10_100) == [.probe(0)])
        // An input that is not idle is left alone.
        #expect(s.retryNow(0, now: 10_200) == [])
        #expect(s.retryNow(1, now: 10_200) == [])
        #expect(s.frame(0, isKeyframe: true, now: 10_300) == [
            .close(1), .switchTo(0), .newGeneration, .event(.sourceReady, input: 0, reason: nil),
        ])
    }

    @Test func sourceTimeoutLosesASilentInput() throws {
        var s = selector([try input(a)]) { $0.sourceTimeout = 10 }
        #expect(s.start(now: 0) == [.open(0)])
        // An open request that never yields a frame.
        #expect(s.tick(now: 9_999) == [])
        #expect(s.tick(now: 10_000) == [
            .close(0), .event(.sourceFailed, input: 0, reason: "no frame for 10 s (source_timeout 10 s)"),
        ])
        #expect(s.tick(now: 10_999) == [])
        #expect(s.tick(now: 11_000) == [.open(0)])
        _ = s.frame(0, isKeyframe: true, now: 11_500)
        #expect(s.tick(now: 21_499) == [])
        #expect(s.tick(now: 21_500) == [
            .close(0), .event(.sourceLost, input: 0, reason: "no frame for 10 s (source_timeout 10 s)"),
        ])
        #expect(s.active == nil)
        // Late frames of a closed input change nothing.
        #expect(s.frame(0, isKeyframe: true, now: 21_600) == [])
        #expect(s.tick(now: 23_499) == [])
        #expect(s.tick(now: 23_500) == [.open(0)])
    }

    @Test func framesTimedOutThenRestored() throws {
        var s = selector([try input(a)]) {
            $0.sourceTimeout = 10
            $0.framesTimeout = 3
        }
        _ = s.start(now: 0)
        _ = s.frame(0, isKeyframe: true, now: 0)
        #expect(s.tick(now: 2_999) == [])
        #expect(s.tick(now: 3_000) == [.event(.framesTimedOut, input: 0, reason: "no frame for 3 s")])
        #expect(s.tick(now: 4_000) == [])
        #expect(s.frame(0, isKeyframe: false, now: 5_000) == [.event(.framesRestored, input: 0, reason: nil)])
        #expect(s.frame(0, isKeyframe: false, now: 5_040) == [])
        #expect(s.tick(now: 8_040) == [.event(.framesTimedOut, input: 0, reason: "no frame for 3 s")])
        // Lost before frames came back: no frames_restored, and the next source starts afresh.
        #expect(s.tick(now: 15_040) == [
            .close(0), .event(.sourceLost, input: 0, reason: "no frame for 10 s (source_timeout 10 s)"),
        ])
        #expect(s.tick(now: 16_040) == [.open(0)])
        #expect(s.frame(0, isKeyframe: true, now: 16_100) == [.switchTo(0), .newGeneration, .event(.sourceReady, input: 0, reason: nil)])
        #expect(s.frame(0, isKeyframe: false, now: 16_140) == [])
    }

    @Test func backoffGrowsAndResetsAfterASourceRanWell() throws {
        var s = selector([try input(a)])
        var now: Int64 = 0
        #expect(s.start(now: now) == [.open(0)])
        /// Fails the input at `now`, then checks that it is reopened exactly `delay` later.
        func failAndExpectRetry(after delay: Int64, retryCount: Int) {
            #expect(s.failed(0, reason: "refused", now: now) == [.close(0), .event(.sourceFailed, input: 0, reason: "refused")])
            #expect(s.tick(now: now + delay - 1) == [])
            now += delay
            #expect(s.tick(now: now) == [.open(0)], "after \(delay) ms")
            #expect(s.status.retryCount == retryCount)
        }
        failAndExpectRetry(after: 1_000, retryCount: 1)
        failAndExpectRetry(after: 2_000, retryCount: 2)
        // Active for 5 s only: not long enough to forget the failures.
        _ = s.frame(0, isKeyframe: true, now: now)
        now += 5_000
        _ = s.frame(0, isKeyframe: false, now: now)
        #expect(s.failed(0, reason: "reset", now: now) == [.close(0), .event(.sourceLost, input: 0, reason: "reset")])
        now += 4_000
        #expect(s.tick(now: now) == [.open(0)])
        failAndExpectRetry(after: 8_000, retryCount: 4)
        failAndExpectRetry(after: 10_000, retryCount: 5)
        failAndExpectRetry(after: 10_000, retryCount: 6)
        // Running well for 10 s forgets them: the next loss is retried after 1 s, and the count starts again.
        _ = s.frame(0, isKeyframe: true, now: now)
        now += 10_000
        _ = s.frame(0, isKeyframe: false, now: now)
        #expect(s.status.retryCount == 0)
        #expect(s.failed(0, reason: "reset", now: now) == [.close(0), .event(.sourceLost, input: 0, reason: "reset")])
        #expect(s.tick(now: now + 999) == [])
        #expect(s.tick(now: now + 1_000) == [.open(0)])
        #expect(s.status.retryCount == 1)
    }

    @Test func backoffDelays() {
        let backoff = RetryBackoff()
        #expect((1...6).map { backoff.delay(afterFailures: $0) } == [1_000, 2_000, 4_000, 8_000, 10_000, 10_000])
        #expect(backoff.delay(afterFailures: 0) == 1_000)
        #expect(backoff.delay(afterFailures: 1_000_000) == 10_000)
    }

    @Test func retryLimitGivesUpOnNonStaticStreams() throws {
        var s = selector([try input(a)], kind: .ondemand) { $0.retryLimit = 2 }
        #expect(s.start(now: 0) == [.open(0)])
        _ = s.failed(0, reason: "refused", now: 100)
        #expect(s.tick(now: 1_100) == [.open(0)])
        _ = s.failed(0, reason: "refused", now: 1_200)
        #expect(s.tick(now: 3_200) == [.open(0)])
        #expect(s.failed(0, reason: "refused", now: 3_300) == [.close(0), .event(.sourceFailed, input: 0, reason: "refused")])
        #expect(s.tick(now: 7_300) == [.giveUp("retry_limit 2 reached; last error: \(a): refused")])
        #expect(s.status == InputStatus(state: .error, input: nil, retryCount: 2, lastError: "\(a): refused"))
        // In error, nothing happens until the next start.
        #expect(s.tick(now: 100_000) == [])
        #expect(s.frame(0, isKeyframe: true, now: 100_001) == [])
        #expect(s.start(now: 200_000) == [.open(0)])
        #expect(s.status == InputStatus(state: .waiting, input: a, retryCount: 0, lastError: nil))
    }

    @Test func retryLimitCountsFailoversAndClosesWhatIsOpen() throws {
        var s = selector([try input(a), try input(b)], kind: .ondemand) { $0.retryLimit = 1 }
        _ = s.start(now: 0)
        #expect(s.failed(0, reason: "refused", now: 0) == [.close(0), .event(.sourceFailed, input: 0, reason: "refused"), .open(1)])
        #expect(s.status.retryCount == 1)
        #expect(s.failed(1, reason: "refused", now: 100) == [.close(1), .event(.sourceFailed, input: 1, reason: "refused")])
        #expect(s.tick(now: 1_000) == [.giveUp("retry_limit 1 reached; last error: \(b): refused")])
    }

    @Test func staticStreamsRetryForever() throws {
        var s = selector([try input(a)], kind: .static) { $0.retryLimit = 0 }
        #expect(s.retryLimit == nil)
        _ = s.start(now: 0)
        for round in 0..<20 {
            let now = Int64(round) * 20_000
            _ = s.failed(0, reason: "refused", now: now)
            #expect(s.tick(now: now + 10_000) == [.open(0)])
        }
        #expect(s.status.state == .waiting && s.status.retryCount == 20)
    }

    @Test func aFailingProbeBacksOffWithoutDisturbingTheActiveInput() throws {
        var s = selector([try input(a, priority: 1), try input(b, priority: 2)])
        _ = s.start(now: 0)
        _ = s.failed(0, reason: "refused", now: 0)
        _ = s.frame(1, isKeyframe: true, now: 100)
        #expect(s.tick(now: 1_000) == [.probe(0)])
        #expect(s.failed(0, reason: "refused", now: 1_100) == [.close(0), .event(.sourceFailed, input: 0, reason: "refused")])
        #expect(s.status == InputStatus(state: .running, input: b, retryCount: 1, lastError: "\(a): refused"))
        #expect(s.tick(now: 3_099) == [])
        #expect(s.tick(now: 3_100) == [.probe(0)])
        // A probe that connects but never sends a frame times out like any source.
        _ = s.opened(0, now: 3_200)
        _ = s.frame(1, isKeyframe: false, now: 60_000)
        #expect(s.tick(now: 63_100) == [
            .close(0), .event(.sourceFailed, input: 0, reason: "no frame for 60 s (source_timeout 60 s)"),
        ])
        #expect(s.active == 1)
    }

    @Test func waitsForTheFirstInputDueWhenAllAreBackingOff() throws {
        var s = selector([try input(a), try input(b)])
        _ = s.start(now: 0)
        _ = s.failed(0, reason: "refused", now: 0)
        #expect(s.failed(1, reason: "refused", now: 100) == [.close(1), .event(.sourceFailed, input: 1, reason: "refused")])
        #expect(s.status == InputStatus(state: .waiting, input: nil, retryCount: 1, lastError: "\(b): refused"))
        #expect(s.tick(now: 999) == [])
        #expect(s.tick(now: 1_000) == [.open(0)])
        // The best input fails again (2 s backoff now); the other one is due, and is tried at once.
        #expect(s.failed(0, reason: "refused", now: 1_100) == [.close(0), .event(.sourceFailed, input: 0, reason: "refused"), .open(1)])
        // While the worse one is being tried, the better one is probed when due; the first keyframe wins.
        #expect(s.tick(now: 3_100) == [.probe(0)])
        #expect(s.frame(0, isKeyframe: true, now: 3_200) == [
            .close(1), .switchTo(0), .newGeneration, .event(.sourceReady, input: 0, reason: nil),
        ])
    }

    @Test func eventsForUnknownOrClosedInputsAreIgnored() throws {
        var s = selector([try input(a), try input(b)])
        #expect(s.frame(0, isKeyframe: true, now: 0) == [])
        _ = s.start(now: 0)
        #expect(s.frame(7, isKeyframe: true, now: 1) == [])
        #expect(s.frame(-1, isKeyframe: true, now: 1) == [])
        #expect(s.opened(9, now: 1) == [])
        #expect(s.failed(1, reason: "late", now: 2) == [])
        #expect(s.frame(1, isKeyframe: true, now: 3) == [])
        #expect(s.active == nil)
        #expect(s.status.lastError == nil)
    }

    @Test func nextTickIsTheNextTimeoutOrRetry() throws {
        var s = selector([try input(a, priority: 1), try input(b, priority: 2)]) {
            $0.sourceTimeout = 10
            $0.framesTimeout = 3
        }
        #expect(s.nextTick == nil)  // not started
        _ = s.start(now: 0)
        #expect(s.nextTick == 10_000)  // the open request's source timeout
        _ = s.frame(0, isKeyframe: true, now: 500)
        #expect(s.nextTick == 3_500)  // frames_timeout of the active input
        _ = s.frame(0, isKeyframe: false, now: 600)
        #expect(s.nextTick == 3_600)  // a frame moves it later
        #expect(s.tick(now: 3_600) == [.event(.framesTimedOut, input: 0, reason: "no frame for 3 s")])
        #expect(s.nextTick == 10_600)  // then the source timeout
        _ = s.failed(0, reason: "reset", now: 4_000)
        // Input 1 is tried (its source timeout), input 0 backs off for 1 s and is then probed.
        #expect(s.nextTick == 5_000)
        #expect(s.tick(now: 5_000) == [.probe(0)])
        #expect(s.nextTick == 14_000)  // both open: the earliest source timeout
    }

    /// Random event sequences: a tick before `nextTick` never acts, and a tick at it (or now, if it is past) does.
    @Test func noTickActsBeforeNextTick() throws {
        var random = SplitMix64(seed: 3)
        for _ in 0..<300 {
            var s = selector([try input(a, priority: 1), try input(b, priority: 2), try input("udp://:3")]) {
                $0.sourceTimeout = Int.random(in: 1...5, using: &random)
                if Bool.random(using: &random) { $0.framesTimeout = Int.random(in: 1...3, using: &random) }
            }
            var now: Int64 = 0
            _ = s.start(now: now)
            for _ in 0..<40 {
                now += Int64.random(in: 0...700, using: &random)
                let i = Int.random(in: 0..<3, using: &random)
                switch Int.random(in: 0..<10, using: &random) {
                case 0: _ = s.failed(i, reason: "x", now: now)
                case 1: _ = s.opened(i, now: now)
                case 2: _ = s.tick(now: now)
                default: _ = s.frame(i, isKeyframe: Bool.random(using: &random), now: now)
                }
                guard let next = s.nextTick else { continue }
                if next > now {
                    var early = s
                    #expect(early.tick(now: next - 1) == [])
                }
                // Frames and `opened` do not reconcile: a backoff may have ended meanwhile (due at once).
                var due = s
                #expect(!due.tick(now: max(next, now)).isEmpty)
            }
        }
    }
}
