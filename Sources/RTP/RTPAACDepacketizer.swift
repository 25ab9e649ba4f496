import Media

/// Takes AAC frames out of mpeg4-generic RTP payloads (RFC 3640): the AU-headers section (its length in bits,
/// then per AU `sizelength` bits of size and `indexlength`/`indexdeltalength` bits of index), then the AUs.
/// Several AUs per packet are handed out one by one, the n-th timed `n × frameDuration` after the packet's
/// timestamp; an AU larger than its packet is reassembled from the following packets (same timestamp, the
/// marker on the last) in a reused buffer. Interleaving (a non-zero index delta), CTS/DTS deltas and auxiliary
/// data are not supported. A loss drops the fragmented AU in progress only: each AAC frame stands alone.
public struct RTPAACDepacketizer: Sendable {
    /// The sink: one raw AAC frame and its RTP timestamp.
    public typealias Emit = (UnsafeRawBufferPointer, _ timestamp: UInt32) -> Void

    public let sizeLength: Int
    public let indexLength: Int
    public let indexDeltaLength: Int
    /// Samples per AAC frame (`constantDuration`, else 1024).
    public let frameDuration: UInt32
    private var fragment: [UInt8] = []
    private var fragmentSize = 0
    private var fragmentTimestamp: UInt32?
    /// Fragmented AUs dropped for a loss or a mismatch.
    public private(set) var droppedFragments = 0

    public init(fmtp: [String: String]) throws(MediaError) {
        sizeLength = try RTPFormatParameters.integer("sizelength", in: fmtp, default: 0)
        indexLength = try RTPFormatParameters.integer("indexlength", in: fmtp, default: 0)
        indexDeltaLength = try RTPFormatParameters.integer("indexdeltalength", in: fmtp, default: 0)
        let duration = try RTPFormatParameters.integer("constantduration", in: fmtp, default: 1024)
        guard (1...16).contains(sizeLength), (0...16).contains(indexLength), (0...16).contains(indexDeltaLength) else {
            throw MediaError("mpeg4-generic fmtp", "sizelength \(sizeLength), indexlength \(indexLength), indexdeltalength \(indexDeltaLength) not supported")
        }
        for key in ["ctsdeltalength", "dtsdeltalength", "auxiliarydatasizelength"] {
            if try RTPFormatParameters.integer(key, in: fmtp, default: 0) != 0 {
                throw MediaError("mpeg4-generic fmtp", "\(key) is not supported")
            }
        }
        guard duration > 0 && duration <= 8192 else { throw MediaError("mpeg4-generic fmtp", "constantDuration \(duration)") }
        frameDuration = UInt32(duration)
    }

    /// Takes one packet's payload. Throws when the AU headers do not fit the payload or the AUs run past its end
    /// (nothing of the packet is handed out then).
    public mutating func push(_ p: UnsafeRawBufferPointer, timestamp: UInt32, marker: Bool, lostBefore: Int,
                              _ emit: Emit) throws(MediaError) {
        let what = "AU-header section"
        if lostBefore > 0 { dropFragment() }
        guard p.count >= 2 else { throw MediaError(what, "\(p.count) bytes") }
        let headerBits = Int(p[0]) << 8 | Int(p[1])
        let headerBytes = (headerBits + 7) / 8
        guard 2 + headerBytes <= p.count else { throw MediaError(what, "\(headerBits) bits past the end of \(p.count) bytes") }
        // Read the sizes first; at most 64 AUs per packet (a 1500-byte packet holds fewer).
        var sizes: (count: Int, total: Int) = (0, 0)
        var bit = 0
        var reader = BitCursor(UnsafeRawBufferPointer(rebasing: p[2..<(2 + headerBytes)]))
        var sizeList = SizeList()
        while headerBits - bit >= sizeLength + (sizes.count == 0 ? indexLength : indexDeltaLength) {
            let size = reader.read(sizeLength)
            let index = reader.read(sizes.count == 0 ? indexLength : indexDeltaLength)
            bit += sizeLength + (sizes.count == 0 ? indexLength : indexDeltaLength)
            if sizes.count > 0 && index != 0 { throw MediaError(what, "interleaving (index delta \(index)) is not supported") }
            guard sizes.count < SizeList.capacity else { throw MediaError(what, "more than \(SizeList.capacity) AUs") }
            sizeList.set(sizes.count, size)
            sizes.count += 1
            sizes.total += size
        }
        guard sizes.count > 0 else { throw MediaError(what, "no AU header in \(headerBits) bits") }
        let data = UnsafeRawBufferPointer(rebasing: p[(2 + headerBytes)...])
        if sizes.count == 1 && (sizeList.get(0) > data.count || fragmentTimestamp == timestamp) {
            try fragmentPart(size: sizeList.get(0), data, timestamp: timestamp, marker: marker, emit)
            return
        }
        dropFragment()
        guard sizes.total <= data.count else {
            throw MediaError("mpeg4-generic AUs", "\(sizes.count) AUs of \(sizes.total) bytes past the end of \(data.count) bytes")
        }
        var o = 0
        for k in 0..<sizes.count {
            let size = sizeList.get(k)
            emit(UnsafeRawBufferPointer(rebasing: data[o..<(o + size)]), timestamp &+ UInt32(k) &* frameDuration)
            o += size
        }
    }

    private mutating func fragmentPart(size: Int, _ data: UnsafeRawBufferPointer, timestamp: UInt32, marker: Bool,
                                       _ emit: Emit) throws(MediaError) {
        if fragmentTimestamp != timestamp || fragmentSize != size {
            dropFragment()
            fragmentTimestamp = timestamp
            fragmentSize = size
        }
        guard fragment.count + data.count <= size else {
            dropFragment()
            throw MediaError("mpeg4-generic fragment", "\(fragment.count + data.count) bytes for an AU of \(size)")
        }
        fragment.append(contentsOf: data)
        if fragment.count == size {
            fragment.withUnsafeBytes { emit($0, timestamp) }
            fragment.removeAll(keepingCapacity: true)
            fragmentTimestamp = nil
        } else if marker {
            dropFragment()
            throw MediaError("mpeg4-generic fragment", "marker on a fragment with \(size - fragment.count) bytes missing")
        }
    }

    private mutating func dropFragment() {
        if fragmentTimestamp != nil && !fragment.isEmpty { droppedFragments += 1 }
        fragment.removeAll(keepingCapacity: true)
        fragmentTimestamp = nil
    }
}

/// Up to 64 AU sizes without an allocation.
private struct SizeList {
    static let capacity = 64
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                          UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    mutating func set(_ i: Int, _ value: Int) {
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: UInt16(value), toByteOffset: 2 * i, as: UInt16.self) }
    }

    func get(_ i: Int) -> Int {
        withUnsafeBytes(of: storage) { Int($0.load(fromByteOffset: 2 * i, as: UInt16.self)) }
    }
}

/// Reads big-endian bit fields of up to 16 bits; past the end it reads zeros (callers check lengths first).
struct BitCursor {
    private let bytes: UnsafeRawBufferPointer
    private var bit = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func read(_ count: Int) -> Int {
        var v = 0
        for _ in 0..<count {
            let byte = bit >> 3
            let b = byte < bytes.count ? Int(bytes[byte] >> (7 - UInt8(bit & 7))) & 1 : 0
            v = v << 1 | b
            bit += 1
        }
        return v
    }
}
