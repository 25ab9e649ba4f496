import Media

/// The SDP `a=fmtp` parameters this module reads and writes, as key/value pairs (the RTSP module parses and
/// prints the SDP itself): H.264 `sprop-parameter-sets` and `profile-level-id` (RFC 6184 8.1), H.265
/// `sprop-vps/sps/pps` and `sprop-max-don-diff` (RFC 7798 7.1), AAC `config`, `sizelength`, `indexlength`,
/// `indexdeltalength` (RFC 3640 4.1). Keys are matched without regard to case.
public enum RTPFormatParameters {
    /// The value of `key` in `fmtp`, whatever the case of the key.
    public static func value(_ key: String, in fmtp: [String: String]) -> String? {
        if let v = fmtp[key] { return v }
        let lower = key.lowercased()
        return fmtp.first { $0.key.lowercased() == lower }?.value
    }

    /// Parameter sets from the sprop values (base64 NAL units, comma separated); empty when there are none.
    public static func parameterSets(codec: Codec, fmtp: [String: String]) throws(MediaError) -> ParameterSets {
        func list(_ key: String) throws(MediaError) -> [[UInt8]] {
            guard let text = value(key, in: fmtp) else { return [] }
            var out: [[UInt8]] = []
            for item in text.split(separator: ",") where !item.isEmpty {
                guard let nal = Base64.decode(item), !nal.isEmpty else { throw MediaError("fmtp \(key)", "not base64: \(item)") }
                out.append(nal)
            }
            return out
        }
        if codec == .h265 {
            return ParameterSets(vps: try list("sprop-vps"), sps: try list("sprop-sps"), pps: try list("sprop-pps"))
        }
        var sets = ParameterSets()
        for nal in try list("sprop-parameter-sets") {
            switch H264.nalType(nal[0]) {
            case H264.sps: sets.sps.append(nal)
            case H264.pps: sets.pps.append(nal)
            default: break
            }
        }
        return sets
    }

    /// The AudioSpecificConfig of `config=` (hex).
    public static func audioSpecificConfig(fmtp: [String: String]) throws(MediaError) -> AudioSpecificConfig? {
        guard let text = value("config", in: fmtp) else { return nil }
        guard let bytes = hexBytes(text) else { throw MediaError("fmtp config", "not hex: \(text)") }
        do {
            return try AudioSpecificConfig(parsing: bytes)
        } catch {
            throw MediaError("fmtp config", "AudioSpecificConfig \(text) does not parse: \(error)")
        }
    }

    /// An integer parameter, `defaultValue` when absent; throws when it is not a number.
    public static func integer(_ key: String, in fmtp: [String: String], default defaultValue: Int) throws(MediaError) -> Int {
        guard let text = value(key, in: fmtp) else { return defaultValue }
        guard let n = Int(text.trimmingSpaces) else { throw MediaError("fmtp \(key)", "not a number: \(text)") }
        return n
    }

    // MARK: Builders, for Sluice's SDP writer

    /// `packetization-mode=1;profile-level-id=…;sprop-parameter-sets=…` for an H.264 track.
    public static func h264(_ track: Track) -> String {
        var parts = ["packetization-mode=1"]
        if let sps = track.parameterSets.sps.first, sps.count >= 4 {
            parts.append("profile-level-id=" + hex(Array(sps[1...3])))
        }
        let sets = track.parameterSets.sps + track.parameterSets.pps
        if !sets.isEmpty { parts.append("sprop-parameter-sets=" + sets.map(Base64.encode).joined(separator: ",")) }
        return parts.joined(separator: ";")
    }

    /// `sprop-vps=…;sprop-sps=…;sprop-pps=…` for an H.265 track.
    public static func h265(_ track: Track) -> String {
        let sets = track.parameterSets
        return [("sprop-vps", sets.vps), ("sprop-sps", sets.sps), ("sprop-pps", sets.pps)]
            .filter { !$0.1.isEmpty }
            .map { "\($0.0)=" + $0.1.map(Base64.encode).joined(separator: ",") }
            .joined(separator: ";")
    }

    /// The mpeg4-generic AAC-hbr parameters `RTPPacketizer` writes (13-bit sizes, 3-bit indexes).
    public static func aac(_ track: Track) -> String {
        var s = "streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3"
        if let config = track.audioConfig { s += ";config=" + hex(config.bytes) }
        return s
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func hexBytes(_ text: String) -> [UInt8]? {
        let chars = Array(text.trimmingSpaces.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
