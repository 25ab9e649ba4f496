/// Writes a bitstream MSB first: the inverse of `BitReader`, for headers Sluice builds itself
/// (AudioSpecificConfig, ADTS, PSI fields narrower than a byte).
public struct BitWriter {
    public private(set) var bytes: [UInt8] = []
    private var bitCount = 0

    public init() {}

    public mutating func write(_ value: UInt64, bits count: Int) {
        precondition(count >= 0 && count <= 64)
        var i = count
        while i > 0 {
            i -= 1
            let b = UInt8((value >> UInt64(i)) & 1)
            if bitCount & 7 == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= b << (7 - UInt8(bitCount & 7))
            bitCount += 1
        }
    }

    public mutating func write(_ value: Int, bits count: Int) { write(UInt64(truncatingIfNeeded: value), bits: count) }

    public mutating func write(_ flag: Bool) { write(flag ? 1 : 0, bits: 1) }
}
