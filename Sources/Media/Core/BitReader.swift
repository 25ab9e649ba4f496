/// Reads a bitstream MSB first, with the Exp-Golomb codes of H.264/H.265 headers.
///
/// For headers (SPS, PPS, AudioSpecificConfig), not for payloads: it works on an owned array and checks every
/// read. Reading past the end throws, naming `what`.
public struct BitReader {
    public let bytes: [UInt8]
    public private(set) var position: Int = 0
    private let what: String

    public init(_ bytes: [UInt8], what: String) {
        self.bytes = bytes
        self.what = what
    }

    public var bitsLeft: Int { bytes.count * 8 - position }

    public mutating func bit() throws -> Bool { try bits(1) == 1 }

    /// Up to 64 bits as an unsigned value.
    public mutating func bits(_ count: Int) throws -> UInt64 {
        precondition(count >= 0 && count <= 64)
        guard count <= bitsLeft else { throw MediaError(what, "truncated (needed \(count) bits at bit \(position))") }
        var value: UInt64 = 0
        for _ in 0..<count {
            let byte = bytes[position >> 3]
            let b = (byte >> (7 - UInt8(position & 7))) & 1
            value = (value << 1) | UInt64(b)
            position += 1
        }
        return value
    }

    public mutating func int(_ count: Int) throws -> Int { Int(try bits(count)) }

    public mutating func skip(_ count: Int) throws {
        guard count <= bitsLeft else { throw MediaError(what, "truncated (skipping \(count) bits at bit \(position))") }
        position += count
    }

    /// ue(v): unsigned Exp-Golomb.
    public mutating func ue() throws -> Int {
        var zeros = 0
        while try !bit() {
            zeros += 1
            if zeros > 31 { throw MediaError(what, "Exp-Golomb code longer than 32 bits at bit \(position)") }
        }
        if zeros == 0 { return 0 }
        return (1 << zeros) - 1 + Int(try bits(zeros))
    }

    /// se(v): signed Exp-Golomb.
    public mutating func se() throws -> Int {
        let k = try ue()
        return k & 1 == 1 ? (k + 1) / 2 : -(k / 2)
    }

    /// True when the reader is at a byte boundary.
    public var isAligned: Bool { position & 7 == 0 }
}
