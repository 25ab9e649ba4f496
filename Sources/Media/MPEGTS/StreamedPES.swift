/// A PES packet read as it arrives instead of collected whole, for video, whose access units span many TS packets:
/// only its header is kept (until it parses), the elementary stream bytes of each packet are handed on at once
/// (to `VideoAccessUnitFramer`, which copies them once, into the frame), and the bytes are counted against
/// PES_packet_length and `PESAssembler.maxSize`. Its judgements match `PESAssembler`'s, which collects the PES
/// packets of audio streams whole.
struct StreamedPES: Sendable {
    enum Taken {
        /// The packet's elementary stream bytes (none while the header is incomplete), valid as the payload is.
        case bytes(UnsafeRawBufferPointer)
        /// The header does not parse: the PES was closed.
        case badHeader
        /// The PES grew past `PESAssembler.maxSize`: it was closed.
        case oversized
    }

    /// A PES is being read.
    private(set) var isOpen = false
    /// The PES's header, once complete.
    private(set) var header: PESHeader?
    private var headerBytes: [UInt8] = []
    /// 6 + PES_packet_length; nil when that is 0 (unbounded, as video usually is).
    private var declaredSize: Int?
    /// Bytes of the PES taken so far (header included).
    private var size = 0

    /// The PES has reached its declared length.
    var isFull: Bool { declaredSize.map { size >= $0 } ?? false }

    /// What was taken makes a whole PES: its header, and its declared length if it has one.
    var isComplete: Bool { header != nil && (declaredSize.map { size >= $0 } ?? true) }

    /// Starts a new PES (a packet with payload_unit_start set), dropping any in progress.
    mutating func open() {
        close()
        isOpen = true
    }

    /// Drops the PES in progress (after it was delivered, or lost).
    mutating func close() {
        isOpen = false
        header = nil
        headerBytes.removeAll(keepingCapacity: true)
        declaredSize = nil
        size = 0
    }

    /// Takes the payload of the PES's next packet (the first one too); nothing when no PES is open. Bytes beyond
    /// the declared length are not part of the PES. Inlined: it runs for every video packet, and past the
    /// header it is a few comparisons.
    @inline(__always)
    mutating func take(_ payload: UnsafeRawBufferPointer) -> Taken {
        guard isOpen else { return .bytes(UnsafeRawBufferPointer(start: nil, count: 0)) }
        var rest = payload
        if header == nil, let failed = takeHeader(&rest) { return failed }
        if let declared = declaredSize, rest.count > declared - size {
            rest = UnsafeRawBufferPointer(rebasing: rest[0..<(declared - size)])
        }
        guard size + rest.count <= PESAssembler.maxSize else {
            close()
            return .oversized
        }
        size += rest.count
        return .bytes(rest)
    }

    /// Collects the header from the front of `rest` (which keeps what follows it) and parses it once complete;
    /// `.badHeader` when it does not parse, `.bytes` (empty) while it is incomplete, nil once it is there.
    private mutating func takeHeader(_ rest: inout UnsafeRawBufferPointer) -> Taken? {
        var needed = headerBytes.withUnsafeBytes(PESHeader.size)
        while headerBytes.count < needed {
            guard !rest.isEmpty else { return .bytes(rest) }
            let count = min(needed - headerBytes.count, rest.count)
            headerBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<count]))
            rest = UnsafeRawBufferPointer(rebasing: rest[count...])
            needed = headerBytes.withUnsafeBytes(PESHeader.size)
        }
        guard let parsed = headerBytes.withUnsafeBytes({ try? PESHeader(parsing: $0) }) else {
            close()
            return .badHeader
        }
        let length = Int(headerBytes[4]) << 8 | Int(headerBytes[5])
        declaredSize = length == 0 ? nil : 6 + length
        if let declared = declaredSize, declared < headerBytes.count {
            close()
            return .badHeader
        }
        header = parsed
        size = headerBytes.count
        return nil
    }
}
