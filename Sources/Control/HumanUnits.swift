/// Numbers as `sluice ctl` shows them to people, without Foundation's formatters.
enum HumanUnits {
    /// "950 bit/s", "12.5 kbit/s", "4.20 Mbit/s", "1.05 Gbit/s".
    static func bitrate(_ bitsPerSecond: Int) -> String {
        let value = max(bitsPerSecond, 0)
        if value < 1_000 { return "\(value) bit/s" }
        if value < 1_000_000 { return decimal(value, unit: 1_000, places: 1) + " kbit/s" }
        if value < 1_000_000_000 { return decimal(value, unit: 1_000_000, places: 2) + " Mbit/s" }
        return decimal(value, unit: 1_000_000_000, places: 2) + " Gbit/s"
    }

    /// "250ms", "4.2s", "3m 05s", "2h 07m", "3d 04h"; "-" for nil.
    static func duration(milliseconds: Int?) -> String {
        guard let milliseconds else { return "-" }
        let ms = max(milliseconds, 0)
        if ms < 1_000 { return "\(ms)ms" }
        if ms < 60_000 { return decimal(ms, unit: 1_000, places: 1) + "s" }
        let seconds = ms / 1_000
        if seconds < 3_600 { return "\(seconds / 60)m " + twoDigits(seconds % 60) + "s" }
        if seconds < 86_400 { return "\(seconds / 3_600)h " + twoDigits(seconds / 60 % 60) + "m" }
        return "\(seconds / 86_400)d " + twoDigits(seconds / 3_600 % 24) + "h"
    }

    /// `value / unit` rounded down to `places` decimals (1 or 2).
    private static func decimal(_ value: Int, unit: Int, places: Int) -> String {
        let scale = places == 1 ? 10 : 100
        let scaled = value / (unit / scale)
        let fraction = String(scaled % scale)
        return "\(scaled / scale)." + String(repeating: "0", count: places - fraction.count) + fraction
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
