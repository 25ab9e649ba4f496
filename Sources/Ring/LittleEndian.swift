extension Array where Element == UInt8 {
    /// Stores `value` little-endian at `offset` (which must leave room for it): the ring's byte order.
    @inline(__always)
    mutating func putLittleEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        for i in 0..<MemoryLayout<T>.size { self[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }
}
