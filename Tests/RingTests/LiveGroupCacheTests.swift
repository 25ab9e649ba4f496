import Testing
import Ring

@Suite struct LiveGroupCacheTests {
    @Test func keepsWhatCameSinceTheNewestGroupStart() {
        var cache = LiveGroupCache<String>(maxBytes: 100)
        #expect(cache.pieces == [], "a reader opens at a keyframe: what comes first is whole")
        cache.append("a", count: 10, startsGroup: false)
        cache.append("b", count: 10, startsGroup: true)
        cache.append("c", count: 10, startsGroup: false)
        #expect(cache.pieces == ["b", "c"] && cache.bytes == 20)
    }

    @Test func aGroupOverTheLimitIsNotKeptUntilTheNextOne() {
        var cache = LiveGroupCache<String>(maxBytes: 25)
        cache.append("a", count: 10, startsGroup: true)
        cache.append("b", count: 10, startsGroup: false)
        cache.append("c", count: 10, startsGroup: false)
        #expect(cache.pieces == nil)
        cache.append("d", count: 10, startsGroup: false)
        #expect(cache.pieces == nil)
        cache.append("e", count: 30, startsGroup: true)
        #expect(cache.pieces == ["e"], "a group start is always kept, however large")
    }

    @Test func aCacheBegunInsideAGroupWaitsForTheNext() {
        var cache = LiveGroupCache<Int>(complete: false)
        cache.append(1, count: 1, startsGroup: false)
        #expect(cache.pieces == nil)
        cache.append(2, count: 1, startsGroup: true)
        #expect(cache.pieces == [2])
    }
}
