import Foundation
import Testing
@testable import HTTP
import TestSupport

@Suite struct HTTPDateTests {
    @Test(arguments: [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),  // RFC 9110's example
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_700_000_000, "Tue, 14 Nov 2023 22:13:20 GMT"),
        (4_102_444_799, "Thu, 31 Dec 2099 23:59:59 GMT"),
        (-5, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (Int.max, "Fri, 31 Dec 9999 23:59:59 GMT"),
    ])
    func knownTimestamps(seconds: Int, expected: String) {
        let date = HTTPDate(seconds: seconds)
        #expect(date.text == expected && date.bytes.count == 29)
    }

    /// Cross-checked with Foundation's formatter on random instants.
    @Test func agreesWithFoundation() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        var random = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let seconds = Int.random(in: 0...4_000_000_000, using: &random)
            #expect(HTTPDate(seconds: seconds).text == formatter.string(from: Date(timeIntervalSince1970: Double(seconds))))
        }
    }

    @Test func updateReformatsOnlyANewSecond() {
        var date = HTTPDate(seconds: 0)
        date.update(seconds: 61)
        #expect(date.text == "Thu, 01 Jan 1970 00:01:01 GMT" && date.seconds == 61)
        let now = HTTPDate.now()
        #expect(abs(now.seconds - Int(Date().timeIntervalSince1970)) <= 2)
    }
}
