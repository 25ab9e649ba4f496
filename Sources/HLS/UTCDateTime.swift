/// A UTC calendar date and time to the millisecond, converted from and to Unix time without Foundation: segment
/// names and `#EXT-X-PROGRAM-DATE-TIME` need civil dates, and workers do not load Foundation.
///
/// The proleptic Gregorian calendar, with Howard Hinnant's `civil_from_days` / `days_from_civil`
/// (http://howardhinnant.github.io/date_algorithms.html): exact for every day an `Int64` of milliseconds reaches,
/// leap years and years past 2038 included. Leap seconds do not exist in Unix time, so neither here.
public struct UTCDateTime: Hashable, Sendable {
    public var year: Int64
    /// 1...12.
    public var month: Int
    /// 1...31, valid for the month.
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var millisecond: Int

    static let millisecondsPerDay: Int64 = 86_400_000

    /// The date and time of `unixMilliseconds` (milliseconds since 1970-01-01T00:00:00Z; negative before it).
    public init(unixMilliseconds: Int64) {
        let days = Self.floorDivide(unixMilliseconds, Self.millisecondsPerDay)
        var rest = Int(unixMilliseconds - days * Self.millisecondsPerDay)
        (year, month, day) = Self.civil(fromDays: days)
        millisecond = rest % 1000
        rest /= 1000
        second = rest % 60
        rest /= 60
        minute = rest % 60
        hour = rest / 60
    }

    /// A date and time from its fields; nil when one is out of range (month 13, February 30 of a common year,
    /// hour 24...). Years are limited to 0...9999, the years four digits can write.
    public init?(year: Int64, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
                 millisecond: Int = 0) {
        guard (0...9999).contains(year), (1...12).contains(month),
              (1...Self.daysIn(month: month, year: year)).contains(day),
              (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second),
              (0..<1000).contains(millisecond) else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second, self.millisecond) = (hour, minute, second, millisecond)
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var unixMilliseconds: Int64 {
        let days = Self.days(fromCivil: year, month, day)
        let clock = ((Int64(hour) * 60 + Int64(minute)) * 60 + Int64(second)) * 1000 + Int64(millisecond)
        return days * Self.millisecondsPerDay + clock
    }

    /// ISO 8601 in UTC with milliseconds, as `#EXT-X-PROGRAM-DATE-TIME` wants it: `2026-11-24T18:06:37.123Z`.
    public var iso8601: String {
        var text = ""
        text.reserveCapacity(24)
        DecimalText.append(year, width: 4, to: &text)
        text += "-"
        DecimalText.append(Int64(month), width: 2, to: &text)
        text += "-"
        DecimalText.append(Int64(day), width: 2, to: &text)
        text += "T"
        DecimalText.append(Int64(hour), width: 2, to: &text)
        text += ":"
        DecimalText.append(Int64(minute), width: 2, to: &text)
        text += ":"
        DecimalText.append(Int64(second), width: 2, to: &text)
        text += "."
        DecimalText.append(Int64(millisecond), width: 3, to: &text)
        text += "Z"
        return text
    }

    static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int, year: Int64) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `a / b` rounded toward negative infinity (`b > 0`).
    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return a % b < 0 ? q - 1 : q
    }

    /// Year, month and day of the day `days` after 1970-01-01.
    static func civil(fromDays days: Int64) -> (Int64, Int, Int) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days from 1970-01-01 to the given date.
    static func days(fromCivil year: Int64, _ month: Int, _ day: Int) -> Int64 {
        let y = year - (month <= 2 ? 1 : 0)
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
