/// Finds Annex B start codes (`00 00 01`, and so `00 00 00 01`) in H.264/H.265 byte streams: the search under
/// `AnnexBSplitter`, which every MPEG-TS and RTP video byte goes through once.
///
/// How: read the bytes as 16-bit words from even indices. A start code's first zero sits at an even index or at
/// an odd one: in the first case the word there is `00 00`, in the second the word after it is `00 01`. Either
/// way that word is zero once the low bit of its second byte is masked off, and coded data seldom holds such a
/// word (emulation prevention keeps `00 00 0x` out of NAL units; `00 01` is about one word in 65,536). So the
/// search masks and compares eight words per 16-byte load, four loads (64 bytes) per step, and ORs the four
/// results into one test. A step that finds such a word (about one in 90 in a 4 Mbit/s H.264 stream: emulation
/// prevention and the start codes themselves) is checked byte by byte. A step is 24 instructions, 0.38 a byte;
/// comparing every byte with 1 and its predecessor with 0, 32 bytes per step (the search before session 4), took
/// 0.66, and looking for single zero bytes instead (about one step in four holds one) more. Swift's SIMD types
/// compile to SSE2 here (pand, pcmpeqw, por), which every x86-64 has; a C function with intrinsics would not do
/// better and would need a C target under Media. Not `any(_:)`, `pointwiseMin` or `pointwiseMax`: they were
/// compiled to calls (generic reductions), one per step.
enum StartCodeSearch {
    /// The index of the `01` of the first start code whose `01` lies in `base[from..<to]`, or `to` when there is
    /// none. Reads from `from - 2` (where the zeros of a start code ending at `from` begin), rounded down to an
    /// even index, to `to`: `from` must be at least 2, and the bytes there must be the stream's (`AnnexBSplitter`
    /// searches from just after a `01`, or from the start of a piece).
    @inline(__always)
    static func end(in base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        let first = from - 2  // a start code's zeros begin at or after it
        let last = to - 2  // and before it (its 01 lies before `to`)
        guard last > first else { return to }
        var at = first & ~1  // the first word to read
        if to - at >= 64 {
            while true {
                let block = min(at, (to - 64) & ~1)  // the last step overlaps the one before rather than going short
                let hit = (candidates(base + block) .| candidates(base + block + 16))
                    .| (candidates(base + block + 32) .| candidates(base + block + 48))
                if isAnySet(hit), let j = check(base, pairsFrom: max(block - 1, first), to: min(block + 64, last)) {
                    return j
                }
                if block + 64 >= to - 1 { return to }
                at = block + 64
            }
        }
        while to - at >= 16 {
            if isAnySet(candidates(base + at)), let j = check(base, pairsFrom: max(at - 1, first), to: min(at + 16, last)) {
                return j
            }
            at += 16
        }
        return check(base, pairsFrom: max(at - 1, first), to: last) ?? to
    }

    /// Lane `k` is set when the word at `p + 2k` is `00 00` or `00 01`: a start code's zeros begin at `p + 2k`
    /// or at `p + 2k - 1`.
    @inline(__always)
    private static func candidates(_ p: UnsafePointer<UInt8>) -> SIMDMask<SIMD8<Int16>> {
        let words = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<UInt16>.self)
        return words & SIMD8<UInt16>(repeating: UInt16(littleEndian: 0xFEFF)) .== SIMD8<UInt16>()
    }

    /// `any(_:)`, read as two words.
    @inline(__always)
    private static func isAnySet(_ mask: SIMDMask<SIMD8<Int16>>) -> Bool {
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
