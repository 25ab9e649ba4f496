/// Splits an Annex B byte stream (H.264/H.265 NAL units behind start codes) into NAL units while it arrives in
/// pieces of any size, without collecting it: each piece's bytes are handed on at once, as spans of the piece.
///
/// What it hands on is exactly what `AnnexB.forEachNAL` gives for the whole stream: the bytes between start codes
/// (`00 00 01`), without the zero bytes before a start code (the leading zero of a 4-byte start code,
/// trailing_zero_8bits) and at the end, nothing before the first start code, no empty NAL unit. A NAL unit may
/// come as several spans (one per piece it lies in); `.bytes(span, first: true)` starts each one, `.end` closes it.
///
/// Costs: start codes are looked for 64 bytes at a time (`StartCodeSearch`), so a piece costs little more than
/// one pass over it; zero bytes at the end of a piece are held back (a count, nothing copied) until
/// the next piece says whether a start code follows them.
public struct AnnexBSplitter: Sendable {
    public enum Event {
        /// Bytes of the current NAL unit, valid during the call; `first` for the first bytes of a NAL unit (its
        /// header byte is `span[0]`).
        case bytes(UnsafeRawBufferPointer, first: Bool)
        /// The current NAL unit is complete.
        case end
    }

    /// Zero bytes at the end of the input so far, not handed on yet.
    private var heldZeros = 0
    /// A start code was seen: bytes belong to a NAL unit.
    private var inNAL = false
    /// The current NAL unit has had bytes.
    private var nalHasBytes = false

    public init() {}

    /// Takes the next piece of the stream. Inlined: `handle` is then called directly, not through a closure.
    @inline(__always)
    public mutating func feed<E: Error>(_ piece: UnsafeRawBufferPointer, _ handle: (Event) throws(E) -> Void) throws(E) {
        guard let base = piece.baseAddress?.assumingMemoryBound(to: UInt8.self), piece.count > 0 else { return }
        let n = piece.count
        var i = 0  // the first byte not handed on yet
        if heldZeros > 0 {
            // The zeros held from earlier pieces, and this piece's leading ones, make a start code if a 01 follows.
            var p = 0
            while p < n && base[p] == 0 { p += 1 }
            if p == n {
                heldZeros += n
                return
            }
            if base[p] == 1 && heldZeros + p >= 2 {
                try startCode(handle)
                i = p + 1
            } else {
                try emitZeros(heldZeros, handle)
            }
            heldZeros = 0
        }
        // A start code within the piece ends at a 01 with two zeros before it; the zeros cannot lie before `i`
        // (the byte before `i` is the 01 of the previous start code, or `i` is 0 and nothing was held).
        var from = max(i, 2)
        while from < n {
            let j = StartCodeSearch.end(in: base, from: from, to: n)
            guard j < n else { break }
            try emit(base, from: i, to: j - 2, handle)
            try startCode(handle)
            i = j + 1
            from = i
        }
        var end = n
        while end > i && base[end - 1] == 0 { end -= 1 }
        if end > i { try emit(base, from: i, to: end, handle) }
        heldZeros = n - end
    }

    /// The end of the stream (an access unit): closes the NAL unit in progress; held zeros were trailing ones.
    @inline(__always)
    public mutating func finish<E: Error>(_ handle: (Event) throws(E) -> Void) throws(E) {
        if inNAL && nalHasBytes { try handle(.end) }
        self = AnnexBSplitter()
    }

    /// Hands on `base[from..<to]` without its trailing zero bytes (they precede a start code).
    @inline(__always)
    private mutating func emit<E: Error>(_ base: UnsafePointer<UInt8>, from: Int, to: Int, _ handle: (Event) throws(E) -> Void) throws(E) {
        var end = to
        while end > from && base[end - 1] == 0 { end -= 1 }
        guard inNAL, end > from else { return }
        try handle(.bytes(UnsafeRawBufferPointer(start: base + from, count: end - from), first: !nalHasBytes))
        nalHasBytes = true
    }

    /// Zeros held back turned out to be part of the NAL unit. Rare, and kept out of `feed`: its local buffer
    /// made every piece pay for a stack guard.
    @inline(never)
    private mutating func emitZeros<E: Error>(_ count: Int, _ handle: (Event) throws(E) -> Void) throws(E) {
        guard inNAL else { return }
        // Zeros held back are rare and few (valid NAL units hold at most two in a row): 16 at a time.
        let zeros = SIMD16<UInt8>()
        var left = count
        while left > 0 {
            let run = min(left, 16)
            try withUnsafeBytes(of: zeros) { bytes throws(E) in
                try handle(.bytes(UnsafeRawBufferPointer(rebasing: bytes[0..<run]), first: !nalHasBytes))
            }
            nalHasBytes = true
            left -= run
        }
    }

    @inline(__always)
    private mutating func startCode<E: Error>(_ handle: (Event) throws(E) -> Void) throws(E) {
        if inNAL && nalHasBytes { try handle(.end) }
        inNAL = true
        nalHasBytes = false
    }
}
