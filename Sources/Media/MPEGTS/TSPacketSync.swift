/// Cuts a byte stream arriving in chunks of any size into 188-byte TS packets.
///
/// A position is trusted only when three sync bytes follow each other at 188-byte spacing; until then (at the
/// start, and after a packet that does not start with 0x47) bytes are skipped and counted. Whole packets are
/// passed straight from the caller's buffer; only a packet split across two chunks, or the bytes under
/// inspection while hunting for sync, are copied into a small carry buffer (at most three packets). The
/// result does not depend on how the input was split.
public struct TSPacketSync: Sendable {
    /// Bytes skipped while hunting for sync (garbage, partial packets).
    public private(set) var skippedBytes = 0
    /// Times a trusted position was lost (a packet that did not start with the sync byte).
    public private(set) var syncLosses = 0

    private static let huntWindow = 3 * TSPacket.size
    private var carry: [UInt8] = []
    private var synced = false

    public init() {}

    /// Calls `packet` with each complete packet of `bytes` (and of what was carried over from earlier calls).
    /// The buffer passed to `packet` is valid only during the call.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ packet: (UnsafeRawBufferPointer) -> Void) {
        var rest = bytes
        while true {
            if synced {
                if !carry.isEmpty {
                    // Complete the split packet first.
                    let take = min(TSPacket.size - carry.count, rest.count)
                    carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
                    rest = UnsafeRawBufferPointer(rebasing: rest[take...])
                    if carry.count < TSPacket.size { return }
                    if carry[0] == TSPacket.syncByte {
                        carry.withUnsafeBytes { packet($0) }
                        carry.removeAll(keepingCapacity: true)
                    } else {
                        loseSync()
                        continue
                    }
                }
                while rest.count >= TSPacket.size {
                    guard rest[0] == TSPacket.syncByte else { break }
                    packet(UnsafeRawBufferPointer(rebasing: rest[0..<TSPacket.size]))
                    rest = UnsafeRawBufferPointer(rebasing: rest[TSPacket.size...])
                }
                if rest.count >= TSPacket.size {
                    loseSync()
                    continue
                }
                carry.append(contentsOf: rest)
                return
            }
            if carry.isEmpty, let start = Self.syncPosition(in: rest) {
                skippedBytes += start
                rest = UnsafeRawBufferPointer(rebasing: rest[start...])
                synced = true
                continue
            }
            if carry.isEmpty && rest.count >= Self.huntWindow {
                // No sync position among the first bytes: keep only a tail that may still start one.
                let keep = Self.huntWindow - TSPacket.size
                skippedBytes += rest.count - keep
                rest = UnsafeRawBufferPointer(rebasing: rest[(rest.count - keep)...])
            }
            let take = min(Self.huntWindow - carry.count, rest.count)
            carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            if carry.count < Self.huntWindow { return }
            if let start = carry.withUnsafeBytes({ Self.syncPosition(in: $0) }) {
                skippedBytes += start
                carry.removeFirst(start)
                synced = true
                // The carry now starts with at least two whole packets: hand them over, keep the tail.
                drainCarry(packet)
            } else {
                skippedBytes += TSPacket.size
                carry.removeFirst(TSPacket.size)
            }
        }
    }

    /// End of input: passes on the packets still held while hunting (a stream shorter than three packets
    /// syncs on one or two) and counts a trailing partial packet as skipped.
    public mutating func flush(_ packet: (UnsafeRawBufferPointer) -> Void) {
        if !synced {
            var start = 0
            while start < carry.count && carry[start] != TSPacket.syncByte { start += 1 }
            let aligned = start + TSPacket.size <= carry.count
                && (start + TSPacket.size == carry.count || carry[start + TSPacket.size] == TSPacket.syncByte)
            if aligned {
                skippedBytes += start
                carry.removeFirst(start)
                synced = true
                drainCarry(packet)
            }
        }
        skippedBytes += carry.count
        carry.removeAll(keepingCapacity: true)
    }

    private mutating func loseSync() {
        synced = false
        syncLosses += 1
    }

    /// Passes on the whole packets at the front of the carry and keeps the partial rest.
    private mutating func drainCarry(_ packet: (UnsafeRawBufferPointer) -> Void) {
        var used = 0
        carry.withUnsafeBytes { buffer in
            while buffer.count - used >= TSPacket.size && buffer[used] == TSPacket.syncByte {
                packet(UnsafeRawBufferPointer(rebasing: buffer[used..<(used + TSPacket.size)]))
                used += TSPacket.size
            }
        }
        carry.removeFirst(used)
        if carry.count >= TSPacket.size { loseSync() }
    }

    /// The first offset where three sync bytes follow at packet spacing, if `buffer` shows one.
    private static func syncPosition(in buffer: UnsafeRawBufferPointer) -> Int? {
        let last = buffer.count - 2 * TSPacket.size
        var i = 0
        while i < last {
            if buffer[i] == TSPacket.syncByte && buffer[i + TSPacket.size] == TSPacket.syncByte
                && buffer[i + 2 * TSPacket.size] == TSPacket.syncByte { return i }
            i += 1
        }
        return nil
    }
}
