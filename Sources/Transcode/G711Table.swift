/// ITU-T G.711 decoding: each 8-bit A-law or mu-law code stands for one 16-bit linear sample, so decoding is a
/// lookup. The tables are built once from the recommendation's segment formulas (the same values libavcodec's
/// `pcm_alaw` and `pcm_mulaw` decoders give, which the tests check for all 256 codes).
enum G711Table {
    /// A-law (PCMA): code to sample. Full scale is +-32256.
    static let aLaw: [Int16] = (0...255).map { aLawSample(UInt8($0)) }
    /// mu-law (PCMU): code to sample. Full scale is +-32124.
    static let muLaw: [Int16] = (0...255).map { muLawSample(UInt8($0)) }

    private static func aLawSample(_ code: UInt8) -> Int16 {
        let value = Int(code ^ 0x55)  // even bits are inverted on the wire
        let segment = (value & 0x70) >> 4
        var magnitude = (value & 0x0F) << 4
        switch segment {
        case 0: magnitude += 8
        case 1: magnitude += 0x108
        default: magnitude = (magnitude + 0x108) << (segment - 1)
        }
        return Int16(value & 0x80 != 0 ? magnitude : -magnitude)
    }

    private static func muLawSample(_ code: UInt8) -> Int16 {
        let value = Int(~code)  // every bit is inverted on the wire
        let magnitude = (((value & 0x0F) << 3) + 0x84) << ((value & 0x70) >> 4)
        return Int16(value & 0x80 != 0 ? 0x84 - magnitude : magnitude - 0x84)
    }
}
