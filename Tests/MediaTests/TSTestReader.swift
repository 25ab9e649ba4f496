@testable import Media

/// An independent, strict reader of the muxer's output for tests: packets, adaptation fields, PSI sections and
/// PES packets. It fails the test (by throwing) on anything malformed.
struct TSTestReader {
    struct Packet {
        var pid: Int
        var unitStart: Bool
        var counter: UInt8
        var hasPayload: Bool
        var adaptation: [UInt8]?  // the adaptation field after its length byte
        var payload: [UInt8]

        var discontinuity: Bool { adaptation.map { !$0.isEmpty && $0[0] & 0x80 != 0 } ?? false }
        var randomAccess: Bool { adaptation.map { !$0.isEmpty && $0[0] & 0x40 != 0 } ?? false }
        var pcr: Int64? {
            guard let a = adaptation, a.count >= 7, a[0] & 0x10 != 0 else { return nil }
            return Int64(a[1]) << 25 | Int64(a[2]) << 17 | Int64(a[3]) << 9 | Int64(a[4]) << 1 | Int64(a[5] >> 7)
        }
        /// The adaptation field's bytes after its flags and PCR: must all be 0xFF.
        var stuffing: ArraySlice<UInt8> {
            guard let a = adaptation, !a.isEmpty else { return [] }
            return a[(pcr != nil ? 7 : 1)...]
        }
    }

    struct PES {
        var streamID: UInt8
        var packetLength: Int
        var pts: Int64
        var dts: Int64?
        var body: [UInt8]
        /// The adaptation fields of the unit's first packet.
        var randomAccess: Bool
        var pcr: Int64?
    }

    struct TestError: Error, CustomStringConvertible { var description: String }

    var packets: [Packet] = []

    init(_ bytes: [UInt8]) throws {
        guard bytes.count % 188 == 0 else { throw TestError(description: "\(bytes.count) bytes is not whole packets") }
        var i = 0
        while i < bytes.count {
            let p = Array(bytes[i..<(i + 188)])
            guard p[0] == 0x47 else { throw TestError(description: "no sync byte at \(i)") }
            let control = (p[3] >> 4) & 3
            guard control != 0 else { throw TestError(description: "reserved adaptation_field_control at \(i)") }
            var offset = 4
            var adaptation: [UInt8]?
            if control & 2 != 0 {
                let length = Int(p[4])
                guard 5 + length <= 188 else { throw TestError(description: "adaptation field too long at \(i)") }
                adaptation = Array(p[5..<(5 + length)])
                offset = 5 + length
            }
            if control & 1 != 0 && offset == 188 { throw TestError(description: "empty payload at \(i)") }
            if control == 2 && offset != 188 { throw TestError(description: "adaptation only but short at \(i)") }
            packets.append(Packet(pid: Int(p[1] & 0x1F) << 8 | Int(p[2]), unitStart: p[1] & 0x40 != 0,
                                  counter: p[3] & 0x0F, hasPayload: control & 1 != 0, adaptation: adaptation,
                                  payload: Array(p[offset...])))
            i += 188
        }
    }

    func on(_ pid: Int) -> [Packet] { packets.filter { $0.pid == pid } }

    /// The PSI sections on `pid` (single- or multi-packet), each checked to CRC zero.
    func sections(_ pid: Int) throws -> [[UInt8]] {
        var result: [[UInt8]] = []
        var current: [UInt8] = []
        for packet in on(pid) where packet.hasPayload {
            if packet.unitStart {
                guard packet.payload[0] == 0 else { throw TestError(description: "pointer_field \(packet.payload[0])") }
                current = Array(packet.payload.dropFirst())
            } else {
                current += packet.payload
            }
            guard current.count >= 3 else { continue }
            let length = 3 + (Int(current[1] & 0x0F) << 8 | Int(current[2]))
            if current.count >= length {
                let section = Array(current[..<length])
                guard CRC32MPEG2.checksum(section) == 0 else { throw TestError(description: "section CRC on PID \(pid)") }
                guard current[length...].allSatisfy({ $0 == 0xFF }) else { throw TestError(description: "section padding") }
                result.append(section)
                current = []
            }
        }
        return result
    }

    /// The PES packets on `pid`, parsed.
    func pes(_ pid: Int) throws -> [PES] {
        var units: [([UInt8], Packet)] = []
        for packet in on(pid) where packet.hasPayload {
            if packet.unitStart {
                units.append((packet.payload, packet))
            } else {
                guard !units.isEmpty else { throw TestError(description: "payload before a unit start") }
                units[units.count - 1].0 += packet.payload
            }
        }
        return try units.map { bytes, first in
            guard bytes.count >= 9, bytes[0] == 0, bytes[1] == 0, bytes[2] == 1 else { throw TestError(description: "no PES start code") }
            let length = Int(bytes[4]) << 8 | Int(bytes[5])
            if length != 0 && length != bytes.count - 6 { throw TestError(description: "PES_packet_length \(length) for \(bytes.count - 6) bytes") }
            let flags = bytes[7] >> 6
            let headerLength = Int(bytes[8])
            guard flags == 2 || flags == 3, bytes.count >= 9 + headerLength else { throw TestError(description: "PES flags") }
            let pts = Self.timestamp(bytes, 9)
            let dts = flags == 3 ? Self.timestamp(bytes, 14) : nil
            return PES(streamID: bytes[3], packetLength: length, pts: pts, dts: dts, body: Array(bytes[(9 + headerLength)...]),
                       randomAccess: first.randomAccess, pcr: first.pcr)
        }
    }

    static func timestamp(_ b: [UInt8], _ i: Int) -> Int64 {
        Int64(b[i] & 0x0E) << 29 | Int64(b[i + 1]) << 22 | Int64(b[i + 2] & 0xFE) << 14 | Int64(b[i + 3]) << 7 | Int64(b[i + 4] >> 1)
    }
}
