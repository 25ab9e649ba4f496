@testable import Media

/// Writes the synthetic parameter sets of the SPS tests in the notation of the specs: u(n), ue(v), se(v),
/// flags and rbsp_trailing_bits().
struct SyntaxWriter {
    private var writer = BitWriter()
    private var count = 0

    var bytes: [UInt8] { writer.bytes }

    mutating func u(_ value: Int, _ bits: Int) {
        writer.write(value, bits: bits)
        count += bits
    }

    mutating func flag(_ value: Bool) { u(value ? 1 : 0, 1) }

    mutating func ue(_ value: Int) {
        let code = UInt64(value + 1)
        let length = 64 - code.leadingZeroBitCount
        u(0, length - 1)
        u(Int(code), length)
    }

    mutating func se(_ value: Int) { ue(value > 0 ? 2 * value - 1 : -2 * value) }

    /// rbsp_trailing_bits(): a 1, then zeros to the byte boundary.
    mutating func trailingBits() {
        flag(true)
        if count % 8 != 0 { u(0, 8 - count % 8) }
    }
}

/// Inserts an emulation prevention byte wherever two zeros precede a byte of 0...3.
func addingEmulationPrevention(_ rbsp: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var zeros = 0
    for b in rbsp {
        if zeros >= 2 && b <= 3 {
            out.append(3)
            zeros = 0
        }
        out.append(b)
        zeros = b == 0 ? zeros + 1 : 0
    }
    return out
}
