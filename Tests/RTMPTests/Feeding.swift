import Testing
import TestSupport

/// How a test cuts a byte stream into reads: one read, one byte per read, or reads of seeded random sizes (1 to 64
/// bytes, so that every header and length field straddles reads somewhere).
enum Feed: Sendable, CustomTestStringConvertible {
    case whole
    case bytes
    case seeded(UInt64)

    static let all: [Feed] = [.whole, .bytes, .seeded(7), .seeded(8), .seeded(9)]

    var testDescription: String {
        switch self {
        case .whole: "in one read"
        case .bytes: "one byte per read"
        case .seeded(let seed): "random reads, seed \(seed)"
        }
    }

    /// The read boundaries for `count` bytes.
    func reads(_ count: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        switch self {
        case .whole:
            return [0..<count]
        case .bytes:
            return (0..<count).map { $0..<($0 + 1) }
        case .seeded(let seed):
            var generator = SplitMix64(seed: seed)
            var ranges: [Range<Int>] = []
            var start = 0
            while start < count {
                let end = min(count, start + Int.random(in: 1...64, using: &generator))
                ranges.append(start..<end)
                start = end
            }
            return ranges
        }
    }

    func pieces(_ bytes: [UInt8]) -> [[UInt8]] {
        reads(bytes.count).map { Array(bytes[$0]) }
    }
}

/// Deterministic filler bytes for fixtures.
func pattern(_ count: Int, multiplier: Int = 31, offset: Int = 7) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 * multiplier + offset) }
}

func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8.filter { $0 != 0x20 && $0 != 0x0A })
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0...($0 + 1)], as: UTF8.self), radix: 16)! }
}
