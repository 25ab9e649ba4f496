import Testing
@testable import Ring

/// The wake-up bookkeeping alone, with numbers for rings: which thread watches what, with which values, and when.
@Suite struct RingWakeScheduleTests {
    typealias Schedule = RingWakeSchedule<Int>

    func watched(_ schedule: Schedule, group: Int) -> [Schedule.Entry] {
        guard case .watch(let entries) = schedule.step(group: group) else {
            Issue.record("group \(group) does not watch")
            return []
        }
        return entries
    }

    @Test func ringsFillGroupsOf127AndFreedRoomIsReused() {
        var schedule = Schedule()
        var tokens: [Int] = []
        for ring in 0..<127 {
            let (token, group) = schedule.add(ring, seen: 0)
            #expect(group == 0)
            tokens.append(token)
        }
        let overflow = schedule.add(127, seen: 0).group
        #expect(overflow == 1)
        #expect(schedule.groups.count == 2)
        let removed = schedule.remove(tokens[5])
        let removedAgain = schedule.remove(tokens[5])
        #expect(removed == 0 && removedAgain == nil)
        let refill = schedule.add(128, seen: 0).group
        let next = schedule.add(129, seen: 0).group
        #expect(refill == 0 && next == 1)
        #expect(watched(schedule, group: 0).map(\.ring) == Array(0..<5) + Array(6..<127) + [128])
        #expect(Set(tokens).count == tokens.count)
    }

    @Test func aChangedRingSignalsOnceUntilRearmed() {
        var schedule = Schedule()
        _ = schedule.add(10, seen: 7)
        _ = schedule.add(11, seen: 3)
        let entries = watched(schedule, group: 0)
        #expect(entries.map(\.seen) == [7, 3])
        // Woken for the control word alone: nothing to tell the loop.
        let controlOnly = schedule.woke(group: 0, entries: entries, values: [7, 3])
        #expect(!controlOnly)
        let nobodyWaits = schedule.rearm()
        #expect(nobodyWaits.isEmpty)
        // Ring 11 was written: the loop is told, and the thread waits for the drain.
        let written = schedule.woke(group: 0, entries: entries, values: [7, 5])
        #expect(written)
        guard case .waitForRearm = schedule.step(group: 0) else {
            Issue.record("not waiting for the rearm")
            return
        }
        let rearmed = schedule.rearm()
        let again = schedule.rearm()
        #expect(rearmed == [0] && again.isEmpty)
        // It waits on the values it saw before the loop drained: a frame written since returns the wait at once.
        #expect(watched(schedule, group: 0).map(\.seen) == [7, 5])
    }

    /// Rings added or removed while the thread waited keep their own values: only the rings it waited on are updated.
    @Test func valuesFollowTokensAcrossChanges() {
        var schedule = Schedule()
        let first = schedule.add(1, seen: 1).token
        _ = schedule.add(2, seen: 2)
        let entries = watched(schedule, group: 0)
        _ = schedule.remove(first)
        _ = schedule.add(3, seen: 30)
        let written = schedule.woke(group: 0, entries: entries, values: [100, 200])
        #expect(written)
        _ = schedule.rearm()
        #expect(watched(schedule, group: 0).map(\.ring) == [2, 3])
        #expect(watched(schedule, group: 0).map(\.seen) == [200, 30])
    }

    @Test func stopEndsEveryThread() {
        var schedule = Schedule()
        _ = schedule.add(1, seen: 0)
        _ = schedule.woke(group: 0, entries: watched(schedule, group: 0), values: [1])
        schedule.stop()
        guard case .exit = schedule.step(group: 0) else {
            Issue.record("group 0 does not exit")
            return
        }
    }
}
