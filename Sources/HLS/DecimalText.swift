/// Decimal numbers as playlists and segment names write them, from integers only: no `Double` rounding surprises
/// and no Foundation `String(format:)`.
enum DecimalText {
    /// Appends `value` in decimal, zero-padded to at least `width` digits (`-` first when negative).
    static func append(_ value: Int64, width: Int, to text: inout String) {
        if value < 0 { text += "-" }
        let digits = String(value.magnitude)
        if digits.utf8.count < width {
            text += String(repeating: "0", count: width - digits.utf8.count)
        }
        text += digits
    }

    /// `thousandths` / 1000 with exactly three decimals: 4000 -> `4.000`, 40 -> `0.040`.
    static func thousandths(_ thousandths: Int64) -> String {
        var text = thousandths < 0 ? "-" : ""
        let magnitude = thousandths.magnitude
        text += String(magnitude / 1000)
        text += "."
        append(Int64(magnitude % 1000), width: 3, to: &text)
        return text
    }

    /// `value` rounded to thousandths, written as `thousandths(_:)` does; nil for NaN and infinities.
    static func threeDecimals(_ value: Double) -> String? {
        guard value.isFinite, value.magnitude < 1e15 else { return nil }
        return thousandths(Int64((value * 1000).rounded()))
    }
}
