import Foundation
import Testing
@testable import HLS

/// Segment names and the calendar arithmetic under them, checked against known dates and Foundation's calendar.
@Suite struct SegmentNameTests {
    @Test(arguments: [
        (Int64(1_795_543_597_123), "2026/11/24/18/06/37", "2026-11-24T18:06:37.123Z"),
        (0, "1970/01/01/00/00/00", "1970-01-01T00:00:00.000Z"),
        (951_825_600_000, "2000/02/29/12/00/00", "2000-02-29T12:00:00.000Z"),
        (1_709_251_199_999, "2024/02/29/23/59/59", "2024-02-29T23:59:59.999Z"),
        (2_147_483_648_000, "2038/01/19/03/14/08", "2038-01-19T03:14:08.000Z"),
        (4_107_542_400_000, "2100/03/01/00/00/00", "2100-03-01T00:00:00.000Z"),
        (253_402_300_799_000, "9999/12/31/23/59/59", "9999-12-31T23:59:59.000Z"),
        (-1, "1969/12/31/23/59/59", "1969-12-31T23:59:59.999Z"),
    ])
    func knownDates(_ ms: Int64, _ path: String, _ iso: String) throws {
        let segment = HLSSegment(number: 0, discontinuitySequence: 0, isDiscontinuity: false, generation: 0,
                                 startDTS: 0, duration: 450_000, wallClockMs: ms)
        let name = try #require(SegmentName(segment))
        #expect(name.path == path + "-05000.ts")
        #expect(UTCDateTime(unixMilliseconds: ms).iso8601 == iso)
        #expect(UTCDateTime(unixMilliseconds: ms).unixMilliseconds == ms)
        #expect(SegmentName(parsing: name.path) == name)
        #expect(name.names(segment))
    }

    @Test func durationIsRoundedMillisecondsWithAtLeastFiveDigits() {
        let name = { (ticks: Int64) in
            SegmentName(HLSSegment(number: 0, discontinuitySequence: 0, isDiscontinuity: false, generation: 0,
                                   startDTS: 0, duration: ticks, wallClockMs: 0))?.path
        }
        #expect(name(360_000) == "1970/01/01/00/00/00-04000.ts")
        #expect(name(44) == "1970/01/01/00/00/00-00000.ts")
        #expect(name(45) == "1970/01/01/00/00/00-00001.ts")
        #expect(name(9_000_000_000) == "1970/01/01/00/00/00-100000000.ts")
        #expect(SegmentName(HLSSegment(number: 0, discontinuitySequence: 0, isDiscontinuity: false, generation: 0,
                                       startDTS: 0, wallClockMs: 0)) == nil)
    }

    @Test func agreesWithFoundationOnRandomInstants() throws {
        var generator = SystemRandomNumberGenerator()
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        for _ in 0..<2000 {
            // 1900 to 2400: leap centuries both ways.
            let ms = Int64.random(in: -2_208_988_800_000...13_569_465_600_000, using: &generator)
            let date = UTCDateTime(unixMilliseconds: ms)
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
            #expect(date.iso8601 == expected, "\(ms)")
            #expect(date.unixMilliseconds == ms)
            let name = SegmentName(startSecond: ms / 1000, durationMs: 4000)
            if ms >= 0 { #expect(SegmentName(parsing: name.path) == name) }
        }
    }

    @Test(arguments: [
        "2026/11/24/18/06/37-0500.ts", "2026/11/24/18/06/37-0000000000000.ts", "2026/13/24/18/06/37-05000.ts",
        "2026/00/24/18/06/37-05000.ts", "2023/02/29/18/06/37-05000.ts", "1900/02/29/00/00/00-05000.ts",
        "2026/04/31/18/06/37-05000.ts", "2026/11/24/24/06/37-05000.ts", "2026/11/24/18/60/37-05000.ts",
        "2026/11/24/18/06/60-05000.ts", "2026/11/24/18/06/37-05000.mp4", "2026/11/24/18/06/37_05000.ts",
        "2026-11-24/18/06/37-05000.ts", "2026/11/24/18/06/3x-05000.ts", "2026/11/24/18/06/37-050a0.ts",
        "2026/11/24/18/06/37-+5000.ts", "", "x", "202/11/24/18/06/37-05000.ts", "2026/11/24/18/06/37-05000.ts/",
    ])
    func malformedNamesAreRefused(_ text: String) {
        #expect(SegmentName(parsing: text) == nil)
    }

    @Test func leapYearsFollowTheGregorianRules() throws {
        #expect(UTCDateTime(year: 2000, month: 2, day: 29) != nil)
        #expect(UTCDateTime(year: 2024, month: 2, day: 29) != nil)
        #expect(UTCDateTime(year: 2100, month: 2, day: 29) == nil)
        #expect(UTCDateTime(year: 2023, month: 2, day: 29) == nil)
        let leapDay = try #require(UTCDateTime(year: 2400, month: 2, day: 29, hour: 1))
        #expect(UTCDateTime(unixMilliseconds: leapDay.unixMilliseconds) == leapDay)
    }
}
