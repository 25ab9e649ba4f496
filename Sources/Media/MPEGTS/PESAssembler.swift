/// Collects the packets of one PID into whole PES packets, in one buffer reused for every PES of the PID.
///
/// A PES starts with a packet whose payload_unit_start_indicator is set and ends either when its
/// PES_packet_length is reached or, when that length is 0 (unbounded, as video usually is), at the next
/// payload_unit_start. Payload arriving before the first start (or after a drop) is ignored. The buffer is
/// bounded by `maxSize`: a longer PES is dropped.
public struct PESAssembler: Sendable {
    /// Largest PES kept (8 MB: a few seconds of high-bitrate video in one access unit is not a real stream).
    public static let maxSize = 8 << 20

    /// The PES being collected (header included).
    public private(set) var buffer: [UInt8] = []
    /// A PES is being collected.
    public private(set) var isOpen = false

    public enum AppendResult: Sendable { case appended, oversized }

    public init() {}

    /// Size of the whole PES from its PES_packet_length, nil while unknown or unbounded.
    public var declaredSize: Int? {
        guard buffer.count >= 6 else { return nil }
        let length = Int(buffer[4]) << 8 | Int(buffer[5])
        return length == 0 ? nil : 6 + length
    }

    /// The PES has reached its declared length.
    public var isFull: Bool {
        guard let size = declaredSize else { return false }
        return buffer.count >= size
    }

    /// How many bytes of `buffer` make the PES: its declared size when known (bytes beyond it are not part of
    /// it). Nil when the PES stopped short of its declared size.
    public var completeSize: Int? {
        let size = declaredSize ?? buffer.count
        return buffer.count >= size ? size : nil
    }

    /// Starts a new PES with the payload of a packet that has payload_unit_start set.
    public mutating func open(_ payload: UnsafeRawBufferPointer) {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: payload)
        isOpen = true
    }

    /// Adds a continuation packet's payload; ignored when no PES is open.
    public mutating func append(_ payload: UnsafeRawBufferPointer) -> AppendResult {
        guard isOpen else { return .appended }
        guard buffer.count + payload.count <= Self.maxSize else {
            close()
            return .oversized
        }
        buffer.append(contentsOf: payload)
        return .appended
    }

    /// Drops the PES in progress (after it was delivered, or lost).
    public mutating func close() {
        buffer.removeAll(keepingCapacity: true)
        isOpen = false
    }
}
