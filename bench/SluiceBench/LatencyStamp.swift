/// The send time a latency benchmark puts in a video frame (rtmp-latency, rtsp-camera): one more NAL unit in front
/// of the access unit's, an H.264 SEI of type user_data_unregistered (D.1.6) holding a fixed UUID, the
/// CLOCK_MONOTONIC nanoseconds just before the frame is written out and a frame number, as hexadecimal text (so no
/// emulation-prevention bytes are needed). Decoders ignore it, and servers pass SEI on: Sluice's framing takes out
/// only delimiters and parameter sets (`VideoAccessUnitFramer`), its RTMP and RTP writers send every NAL unit.
/// CLOCK_MONOTONIC is the machine's, so a stamp may be read in another process of the same machine.
///
/// Frames are padded with filler data (NAL type 12) to a given size, so that a probe carries a real bitrate.
enum LatencyStamp {
    private static let uuid: [UInt8] = Array("SluiceBenchStamp".utf8)  // 16 bytes, none zero
    /// The SEI NAL unit's size: header, payload type, payload size, UUID, 16 + 8 hex digits, trailing bits.
    private static let seiSize = 3 + 16 + 16 + 8 + 1

    /// Appends the stamped SEI behind a `lengthSize`-byte length: `number`, and the clock read now.
    static func appendSEI(number: UInt32, lengthSize: Int, to out: inout [UInt8]) {
        appendLength(seiSize, lengthSize: lengthSize, to: &out)
        out += [6, 5, UInt8(seiSize - 4)]
        out += uuid
        appendHex(monotonicNanos(), digits: 16, to: &out)
        appendHex(UInt64(number), digits: 8, to: &out)
        out.append(0x80)
    }

    /// Appends a filler NAL unit (behind a `lengthSize`-byte length) that brings `out` to `size` bytes, when there
    /// is room for one.
    static func appendFiller(upTo size: Int, lengthSize: Int, to out: inout [UInt8]) {
        let filler = size - out.count - lengthSize - 2
        guard filler > 0 else { return }
        appendLength(filler + 2, lengthSize: lengthSize, to: &out)
        out.append(12)
        out.append(contentsOf: repeatElement(0xFF, count: filler))
        out.append(0x80)
    }

    /// The frame number and send time of the stamp among NAL units behind `lengthSize`-byte lengths; nil when
    /// none is there.
    static func find(in nals: UnsafeRawBufferPointer, lengthSize: Int) -> (number: UInt32, sent: UInt64)? {
        var offset = 0
        while offset + lengthSize <= nals.count {
            var length = 0
            for byte in nals[offset..<(offset + lengthSize)] { length = length << 8 | Int(byte) }
            offset += lengthSize
            guard length > 0, offset + length <= nals.count else { return nil }
            let nal = UnsafeRawBufferPointer(rebasing: nals[offset..<(offset + length)])
            if length == seiSize, nal[0] & 0x1F == 6, nal[1] == 5, nal[2] == UInt8(seiSize - 4),
               nal[3..<19].elementsEqual(uuid), let sent = parseHex(nal[19..<35]), let number = parseHex(nal[35..<43]) {
                return (UInt32(number), sent)
            }
            offset += length
        }
        return nil
    }

    private static func appendLength(_ length: Int, lengthSize: Int, to out: inout [UInt8]) {
        for shift in stride(from: (lengthSize - 1) * 8, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: length >> shift)) }
    }

    private static func appendHex(_ value: UInt64, digits: Int, to out: inout [UInt8]) {
        let symbols = Array("0123456789abcdef".utf8)
        for digit in (0..<digits).reversed() { out.append(symbols[Int((value >> (UInt64(digit) * 4)) & 0xF)]) }
    }

    private static func parseHex(_ text: Slice<UnsafeRawBufferPointer>) -> UInt64? {
        var value: UInt64 = 0
        for c in text {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt64(c - UInt8(ascii: "a") + 10)
            default: return nil
            }
        }
        return value
    }
}
