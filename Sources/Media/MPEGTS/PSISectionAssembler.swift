/// Collects the PSI sections (PAT, PMT, SDT...) of one PID from its packets (ISO/IEC 13818-1 2.4.4).
///
/// Sections may span packets and several may share one; pointer_field tells where the first new one starts in
/// a packet with payload_unit_start set. A section that is cut short (a lost packet, a missing start) is
/// dropped; sections with the syntax indicator set are checked against their CRC-32 and dropped when wrong.
public struct PSISectionAssembler: Sendable {
    /// Longest section: 12-bit section_length limited to 4093 by the standard, plus the 3 header bytes.
    public static let maxSectionSize = 4096

    private var buffer: [UInt8] = []
    private var collecting = false

    public init() {}

    /// Feeds one packet's payload and calls `section` with each complete, valid section (valid only during
    /// the call). Returns the number of sections dropped for a wrong CRC.
    public mutating func feed(_ payload: UnsafeRawBufferPointer, unitStart: Bool,
                              _ section: (UnsafeRawBufferPointer) -> Void) -> Int {
        guard unitStart else {
            return collecting ? consume(payload, section) : 0
        }
        guard payload.count >= 1 else {
            reset()
            return 0
        }
        let pointer = Int(payload[0])
        let rest = UnsafeRawBufferPointer(rebasing: payload[1...])
        guard pointer <= rest.count else {
            reset()
            return 0
        }
        var crcErrors = 0
        if collecting { crcErrors += consume(UnsafeRawBufferPointer(rebasing: rest[0..<pointer]), section) }
        reset()
        crcErrors += consume(UnsafeRawBufferPointer(rebasing: rest[pointer...]), section)
        return crcErrors
    }

    /// Forgets a section in progress (after a continuity error on the PID).
    public mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        collecting = false
    }

    private mutating func consume(_ bytes: UnsafeRawBufferPointer, _ section: (UnsafeRawBufferPointer) -> Void) -> Int {
        var rest = bytes
        var crcErrors = 0
        while !rest.isEmpty {
            if !collecting {
                // 0xFF where a table_id would be: stuffing to the end of the packet.
                if rest[0] == 0xFF { return crcErrors }
                collecting = true
            }
            let target: Int
            if buffer.count < 3 {
                target = 3
            } else {
                target = 3 + (Int(buffer[1] & 0x0F) << 8 | Int(buffer[2]))
                guard target > 3 && target <= Self.maxSectionSize else {
                    reset()
                    return crcErrors
                }
            }
            let take = min(target - buffer.count, rest.count)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            if buffer.count == target && target > 3 {
                if deliver(section) { crcErrors += 1 }
                reset()
            }
        }
        return crcErrors
    }

    /// Passes on the complete section; returns true when its CRC was wrong.
    private func deliver(_ section: (UnsafeRawBufferPointer) -> Void) -> Bool {
        buffer.withUnsafeBytes { bytes in
            let hasCRC = bytes[1] & 0x80 != 0
            if hasCRC && (bytes.count < 7 || CRC32MPEG2.checksum(bytes) != 0) { return true }
            section(bytes)
            return false
        }
    }
}
