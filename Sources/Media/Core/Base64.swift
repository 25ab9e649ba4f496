/// Base64 (RFC 4648, standard alphabet, padded), for Basic credentials and SDP `sprop-parameter-sets`.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index < input.count {
            let count = min(3, input.count - index)
            var group = UInt32(input[index]) << 16
            if count > 1 { group |= UInt32(input[index + 1]) << 8 }
            if count > 2 { group |= UInt32(input[index + 2]) }
            for slot in 0..<4 {
                output.append(slot <= count ? alphabet[Int(group >> UInt32(18 - 6 * slot)) & 0x3F] : 0x3D)
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// nil on a character outside the alphabet or a bad length; padding optional (cameras drop it); spaces ignored.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var values: [UInt8] = []
        for byte in text.utf8 where byte != 0x20 && byte != 0x0D && byte != 0x0A {
            if byte == 0x3D { break }
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt8(value))
        }
        guard values.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        var index = 0
        while index < values.count {
            let count = min(4, values.count - index)
            var group: UInt32 = 0
            for slot in 0..<4 { group = group << 6 | (slot < count ? UInt32(values[index + slot]) : 0) }
            for slot in 0..<(count - 1) { output.append(UInt8(truncatingIfNeeded: group >> UInt32(16 - 8 * slot))) }
            index += 4
        }
        return output
    }
}
