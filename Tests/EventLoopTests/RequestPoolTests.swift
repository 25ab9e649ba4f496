internal import CLibUV
import Testing
@testable import EventLoop

@Suite struct RequestPoolTests {
    /// A pooled write request keeps copy storage for small writes and gives back what a large one needed.
    @Test func pooledRequestsKeepSmallStorageOnly() {
        let small = Request<uv_write_t>()
        [UInt8](repeating: 1, count: 300).withUnsafeBytes { small.setPrefix($0) }
        small.trimForPool()
        let kept = small.prefix.baseAddress
        #expect(kept != nil)
        [UInt8](repeating: 2, count: 200).withUnsafeBytes { small.setPrefix($0) }
        #expect(small.prefix.baseAddress == kept && small.prefix.count == 200, "reused, not reallocated")

        let large = Request<uv_write_t>()
        [UInt8](repeating: 3, count: 1 << 20).withUnsafeBytes { large.setPrefix($0) }
        large.trimForPool()
        #expect(large.prefix.baseAddress == nil && large.prefix.count == 0)
        [UInt8](repeating: 4, count: 10).withUnsafeBytes { large.setPrefix($0) }
        #expect(large.prefix.count == 10 && large.prefix.first == 4)
    }
}
