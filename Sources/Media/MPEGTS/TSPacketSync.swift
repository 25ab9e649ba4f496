/// Cuts a byte stream arriving in chunks of any size into 188-byte TS packets.
///
/// A position is trusted only when three sync bytes follow each other at 188-byte spacing; until then (at the
/// start, and after a packet that does not start with 0x47) bytes are skipped and counted. Once in sync, a
/// packet followed by its successor's sync byte is passed on at once. One that is not (the stream breaks
/// after it) is held while the next sync position is hunted for: if that position lies within the packet's
/// 188 bytes, the packet was cut short and is dropped rather than read glued to the start of the next one;
/// otherwise it was whole and is passed on. Whole packets are passed straight from the caller's buffer; only
/// a packet at the end of a chunk, a held packet, or the bytes under inspection while hunting are copied into
/// small buffers (at most four packets). The result does not depend on how the input was split.
///
/// Costs: a datagram of whole packets holds its last one back (188 bytes copied), so the carry is a buffer of
/// fixed size filled through a pointer, with a count beside it: `Array.append(contentsOf:)` and
/// `removeAll(keepingCapacity:)` per datagram cost more than the copy itself. The buffer is allocated when
/// first needed, so that `TSPacketSync()` allocates nothing (the demuxer swaps one in per `feed`).
public struct TSPacketSync: Sendable {
    /// Bytes skipped while hunting for sync (garbage, partial packets).
    public private(set) var skippedBytes = 0
    /// Times a trusted position was lost (a packet that did not start with, or was not followed by, a sync byte).
    public private(set) var syncLosses = 0

    private static let huntWindow = 3 * TSPacket.size
    /// `carry[0..<carried]`: bytes waiting for the next chunk (`huntWindow` bytes once allocated).
    private var carry: [UInt8] = []
    private var carried = 0
    private var synced = false
    /// The packet at which sync was lost, when it started with a sync byte, and the bytes skipped since.
    private var suspect: [UInt8] = []
    private var skippedSinceLoss = 0

    public init() {}

    /// Calls `packet` with each complete packet of `bytes` (and of what was carried over from earlier calls).
    /// The last packet seen is held until the next byte arrives (or `flush`). The buffer passed to `packet` is
    /// valid only during the call.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ packet: (UnsafeRawBufferPointer) -> Void) {
        var rest = bytes
        while true {
            if synced {
                if carried > 0 {
                    // Complete the held packet and look at the byte after it.
                    let take = min(TSPacket.size - carried, rest.count)
                    appendToCarry(UnsafeRawBufferPointer(rebasing: rest[0..<take]))
                    rest = UnsafeRawBufferPointer(rebasing: rest[take...])
                    guard carried == TSPacket.size, let next = rest.first else { return }
                    guard carry[0] == TSPacket.syncByte && next == TSPacket.syncByte else {
                        withCarry { loseSync(at: $0) }
                        continue
                    }
                    withCarry { packet($0) }
                    carried = 0
                }
                while rest.count > TSPacket.size {
                    guard rest[0] == TSPacket.syncByte && rest[TSPacket.size] == TSPacket.syncByte else { break }
                    packet(UnsafeRawBufferPointer(rebasing: rest[0..<TSPacket.size]))
                    rest = UnsafeRawBufferPointer(rebasing: rest[TSPacket.size...])
                }
                if rest.count > TSPacket.size {
                    loseSync(at: rest)
                    continue
                }
                appendToCarry(rest)
                return
            }
            if carried == 0, let start = Self.syncPosition(in: rest) {
                skip(start)
                rest = UnsafeRawBufferPointer(rebasing: rest[start...])
                regainSync(packet)
                continue
            }
            if carried == 0 && rest.count >= Self.huntWindow {
                // No sync position among the first bytes: keep only a tail that may still start one.
                let keep = Self.huntWindow - TSPacket.size
                skip(rest.count - keep)
                rest = UnsafeRawBufferPointer(rebasing: rest[(rest.count - keep)...])
            }
            let take = min(Self.huntWindow - carried, rest.count)
            appendToCarry(UnsafeRawBufferPointer(rebasing: rest[0..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            if carried < Self.huntWindow { return }
            if let start = withCarry({ Self.syncPosition(in: $0) }) {
                skip(start)
                dropCarried(start)
                regainSync(packet)
                // The carry now starts with two packets known to be followed by a sync byte.
                drainCarry(atEnd: false, packet)
            } else {
                skip(TSPacket.size)
                dropCarried(TSPacket.size)
            }
        }
    }

    /// End of input: passes on the packet held for its successor's sync byte and, when a stream is shorter
    /// than three packets, the one or two held while hunting; counts a trailing partial packet as skipped.
    public mutating func flush(_ packet: (UnsafeRawBufferPointer) -> Void) {
        if !synced {
            var start = 0
            while start < carried && carry[start] != TSPacket.syncByte { start += 1 }
            if start + TSPacket.size <= carried {
                skip(start)
                dropCarried(start)
            } else {
                // Nothing follows the packet at which sync was lost that could have cut it short.
                skip(carried)
                carried = 0
            }
            regainSync(packet)
        }
        drainCarry(atEnd: true, packet)
        skippedBytes += carried
        carried = 0
    }

    /// Sync is lost at `at`, which starts a packet that was not followed by a sync byte; hunting starts there.
    private mutating func loseSync(at: UnsafeRawBufferPointer) {
        synced = false
        syncLosses += 1
        suspect.removeAll(keepingCapacity: true)
        if at.count >= TSPacket.size && at[0] == TSPacket.syncByte {
            suspect.append(contentsOf: UnsafeRawBufferPointer(rebasing: at[0..<TSPacket.size]))
        }
        skippedSinceLoss = 0
    }

    @inline(__always)
    private mutating func skip(_ count: Int) {
        skippedBytes += count
        skippedSinceLoss += count
    }

    /// A sync position was found: the packet at which sync was lost was whole if at least its length lay
    /// before it.
    private mutating func regainSync(_ packet: (UnsafeRawBufferPointer) -> Void) {
        synced = true
        if !suspect.isEmpty && skippedSinceLoss >= TSPacket.size {
            skippedBytes -= TSPacket.size
            suspect.withUnsafeBytes { packet($0) }
        }
        suspect.removeAll(keepingCapacity: true)
    }

    /// Passes on the packets at the front of the carry that are followed by a sync byte (or, `atEnd`, by
    /// nothing) and keeps the rest.
    private mutating func drainCarry(atEnd: Bool, _ packet: (UnsafeRawBufferPointer) -> Void) {
        var used = 0
        withCarry { buffer in
            while buffer.count - used >= TSPacket.size && buffer[used] == TSPacket.syncByte {
                let end = used + TSPacket.size
                guard end < buffer.count ? buffer[end] == TSPacket.syncByte : atEnd else { break }
                packet(UnsafeRawBufferPointer(rebasing: buffer[used..<end]))
                used = end
            }
        }
        dropCarried(used)
    }

    /// Copies `bytes` after what is carried (at most `huntWindow` bytes in all).
    @inline(__always)
    private mutating func appendToCarry(_ bytes: UnsafeRawBufferPointer) {
        guard let from = bytes.baseAddress, !bytes.isEmpty else { return }
        if carry.isEmpty { carry = Array(repeating: 0, count: Self.huntWindow) }
        let at = carried
        carry.withUnsafeMutableBytes { ($0.baseAddress! + at).copyMemory(from: from, byteCount: bytes.count) }
        carried += bytes.count
    }

    /// Drops the first `count` bytes carried.
    private mutating func dropCarried(_ count: Int) {
        let left = carried - count
        if left > 0 {
            carry.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: $0.baseAddress! + count, byteCount: left) }
        }
        carried = left
    }

    /// Calls `body` with the bytes carried.
    @inline(__always)
    private func withCarry<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        carry.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<carried])) }
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
