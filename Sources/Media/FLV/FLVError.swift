/// Why an FLV tag (or file) could not be used. `malformed`: cut short, a reserved value, a decoder configuration
/// that does not parse. `unsupported`: well formed, but what it carries is not something Sluice takes (a codec
/// such as AV1, VP9, Speex or Nellymoser; enhanced RTMP multitrack), so that a publisher of it can be told so.
public struct FLVError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable { case malformed, unsupported }

    public var kind: Kind
    /// The structure being read: "FLV video tag", "FLV audio tag", "FLV file".
    public var what: String
    public var reason: String

    public init(_ kind: Kind, _ what: String, _ reason: String) {
        self.kind = kind
        self.what = what
        self.reason = reason
    }

    public var description: String { "\(what): \(kind == .unsupported ? "unsupported " : "")\(reason)" }
}

/// Reads the fixed fields at the start of an FLV tag body (or file header), checking each read against the
/// length of the buffer: a body cut short is a `malformed` error naming the field, never a read past the end.
struct FLVFieldReader {
    let bytes: UnsafeRawBufferPointer
    let what: String
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer, what: String) {
        self.bytes = bytes
        self.what = what
    }

    var remaining: Int { bytes.count - offset }

    private func need(_ count: Int, _ field: String) throws(FLVError) {
        guard count <= remaining else {
            throw FLVError(.malformed, what, "cut short: \(field) needs \(count) bytes at offset \(offset), \(remaining) left")
        }
    }

    mutating func uint(_ count: Int, _ field: String) throws(FLVError) -> Int {
        try need(count, field)
        var value = 0
        for i in 0..<count { value = value << 8 | Int(bytes[offset + i]) }
        offset += count
        return value
    }

    mutating func u8(_ field: String) throws(FLVError) -> UInt8 { UInt8(try uint(1, field)) }

    /// SI24: a signed, big-endian, 24-bit value (composition time offsets).
    mutating func si24(_ field: String) throws(FLVError) -> Int32 {
        let raw = try uint(3, field)
        return Int32(raw >= 0x80_0000 ? raw - 0x100_0000 : raw)
    }

    mutating func skip(_ count: Int, _ field: String) throws(FLVError) {
        try need(count, field)
        offset += count
    }

    /// Enhanced RTMP v2 ModEx (packet type 7, "Enhancing Video"/"Enhancing Audio" of the spec): a modifier
    /// extension before the real packet type. Its data (for now only a nanosecond offset to the millisecond
    /// timestamp) is skipped; returns the packet type that follows, after any further ModEx.
    mutating func skipModEx(after packetType: UInt8, modEx: UInt8) throws(FLVError) -> UInt8 {
        var type = packetType
        while type == modEx {
            var size = try uint(1, "ModEx data size") + 1
            if size == 256 { size = try uint(2, "ModEx data size") + 1 }
            try skip(size, "ModEx data")
            type = try u8("ModEx type and packet type") & 0x0F
        }
        return type
    }
}

/// FourCC codes of enhanced RTMP: four ASCII bytes read as a big-endian UInt32 ('hvc1' = 0x68766331).
enum FourCC {
    static let avc1: UInt32 = 0x6176_6331
    static let hvc1: UInt32 = 0x6876_6331
    static let mp4a: UInt32 = 0x6D70_3461
    static let mp3: UInt32 = 0x2E6D_7033  // ".mp3"
    static let ac3: UInt32 = 0x6163_2D33  // "ac-3"
    static let eac3: UInt32 = 0x6563_2D33  // "ec-3"

    /// The code as text for messages: 'av01', or hex when it is not printable.
    static func name(_ code: UInt32) -> String {
        let bytes = (0..<4).map { UInt8((code >> (24 - 8 * UInt32($0))) & 0xFF) }
        guard bytes.allSatisfy({ (0x20...0x7E).contains($0) }) else { return "0x" + String(code, radix: 16) }
        return "'" + String(decoding: bytes, as: UTF8.self) + "'"
    }

    static func append(_ code: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(code >> 24))
        out.append(UInt8((code >> 16) & 0xFF))
        out.append(UInt8((code >> 8) & 0xFF))
        out.append(UInt8(code & 0xFF))
    }
}

extension Array where Element == UInt8 {
    /// Appends SI24 (composition time offsets); values outside its range are clamped.
    mutating func appendSI24(_ value: Int32) {
        let v = Swift.min(Swift.max(value, -0x80_0000), 0x7F_FFFF)
        let raw = UInt32(bitPattern: v) & 0xFF_FFFF
        append(UInt8(raw >> 16))
        append(UInt8((raw >> 8) & 0xFF))
        append(UInt8(raw & 0xFF))
    }
}
