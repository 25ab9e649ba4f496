/// Finds Annex B start codes (`00 00 01`, and so `00 00 00 01`) in H.264/H.265 byte streams: the search under
/// `AnnexBSplitter`, which every MPEG-TS and RTP video byte goes through once.
///
/// How: a start code begins with two zero bytes side by side, which coded data almost never holds (emulation
/// prevention turns `00 00 0x` into `00 00 03 0x`). The search looks for such pairs 64 bytes per step: each
/// 16-byte block is loaded twice, one byte apart, the two are OR-ed (a lane is zero only where a pair starts) and
/// compared with zero, and the four blocks' results are OR-ed and tested once. A step that
/// finds a pair (about one in 90 in a 4 Mbit/s H.264 stream: emulation prevention and the start codes themselves)
/// is checked byte by byte. That is about 0.4 instructions per byte; comparing every byte with 1 and its
/// predecessor with 0, 32 bytes per step (the search before session 4) took 0.6, and looking for single zero bytes
/// at even indices (fewer loads) took more, as about one step in four holds one. Swift's SIMD types compile to
/// SSE2 here (por, pcmpeqb), which every x86-64 has; a C function with intrinsics would not do better and would
/// need a C target under Media. Not `pointwiseMin`/`pointwiseMax` or `any(_:)`: they were compiled to calls
/// (generic reductions), one per block.
enum StartCodeSearch {
    /// The index of the `01` of the first start code whose `01` lies in `base[from..<to]`, or `to` when there is
    /// none. Reads `base[(from - 2)..<to]` (the zeros of a start code ending at `from` lie before it), so `from`
    /// must be at least 2, and the bytes there must be the stream's (`AnnexBSplitter` searches from just after a
    /// `01`, or from the start of a piece).
    @inline(__always)
    static func end(in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var at = from - 2  // the first index at which a start code's zeros may begin
        let last = to - 2  // pairs begin before it (their 01 lies before `to`)
        if last - at >= 64 {
            while true {
                let block = min(at, last - 64)  // the last step overlaps the one before rather than going short
                let pairs = (pairs(base + block) .| pairs(base + block + 16)) .| (pairs(base + block + 32) .| pairs(base + block + 48))
                if isAnySet(pairs), let j = check(base, pairsFrom: block, to: block + 64) { return j }
                if block == last - 64 { return to }
                at = block + 64
            }
        }
        while last - at >= 16 {
            if isAnySet(pairs(base + at)), let j = check(base, pairsFrom: at, to: at + 16) { return j }
            at += 16
        }
        return check(base, pairsFrom: at, to: last) ?? to
    }

    /// Lane `k` is set when `p[k]` and `p[k + 1]` are both zero. Reads 17 bytes.
    @inline(__always)
    private static func pairs(_ p: UnsafePointer<UInt8>) -> SIMDMask<SIMD16<Int8>> {
        let raw = UnsafeRawPointer(p)
        return raw.loadUnaligned(as: SIMD16<UInt8>.self) | raw.loadUnaligned(fromByteOffset: 1, as: SIMD16<UInt8>.self)
            .== SIMD16<UInt8>()
    }

    /// `any(_:)`, read as two words.
    @inline(__always)
    private static func isAnySet(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
        let words = unsafeBitCast(mask._storage, to: SIMD2<UInt64>.self)
        return words[0] | words[1] != 0
    }

    /// The first `00 00 01` beginning in `base[start..<limit]`: the index of its `01` (read: `base[limit + 1]`).
    @inline(__always)
    private static func check(_ base: UnsafePointer<UInt8>, pairsFrom start: Int, to limit: Int) -> Int? {
        var p = start
        while p < limit {
            if base[p] == 0 && base[p + 1] == 0 && base[p + 2] == 1 { return p + 2 }
            p += 1
        }
        return nil
    }
}
