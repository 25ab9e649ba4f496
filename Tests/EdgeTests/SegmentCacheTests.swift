import EventLoop
import Testing
@testable import Edge

@Suite struct SegmentCacheTests {
    private func key(_ number: UInt64, _ stream: String = "a") -> SegmentCache.Key {
        SegmentCache.Key(stream: stream, selection: "", number: number)
    }

    @Test func evictsTheOldestPastItsBytes() {
        var cache = SegmentCache(capacity: 250)
        for n in 0..<4 { cache.insert(SharedBytes(count: 100) { _ in }, for: key(UInt64(n))) }
        #expect(cache.bytes(for: key(0)) == nil && cache.bytes(for: key(1)) == nil)
        #expect(cache.bytes(for: key(2)) != nil && cache.bytes(for: key(3)) != nil)
    }

    @Test func keepsTheNewestEvenWhenItAloneIsLarger() {
        var cache = SegmentCache(capacity: 10)
        cache.insert(SharedBytes(count: 100) { _ in }, for: key(1))
        #expect(cache.bytes(for: key(1))?.count == 100)
    }

    @Test func forgetsAStream() {
        var cache = SegmentCache(capacity: 1000)
        cache.insert(SharedBytes(count: 100) { _ in }, for: key(1, "a"))
        cache.insert(SharedBytes(count: 100) { _ in }, for: key(1, "b"))
        cache.remove(stream: "a")
        #expect(cache.bytes(for: key(1, "a")) == nil && cache.bytes(for: key(1, "b")) != nil)
        for n in 2..<11 { cache.insert(SharedBytes(count: 100) { _ in }, for: key(UInt64(n), "b")) }
        #expect(cache.bytes(for: key(1, "b")) != nil, "the removed stream's bytes no longer count")
    }
}
