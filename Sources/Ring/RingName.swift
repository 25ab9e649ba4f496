/// The file of one stream's ring: `<directory>/sluice-<instance>-<stream>`, by default in /dev/shm, so that two
/// servers on one machine (different instances) never share a ring.
///
/// Bytes of either name outside `[A-Za-z0-9._]` are written `%XX` (the `-` separator included), so that any stream
/// name gives one flat, unambiguous file name.
public struct RingName: Hashable, Sendable, CustomStringConvertible {
    public let instance: String
    public let stream: String
    public let path: String

    public static let defaultDirectory = "/dev/shm"

    public init(instance: String, stream: String, directory: String = RingName.defaultDirectory) throws {
        guard !instance.isEmpty, !stream.isEmpty else {
            throw RingError.invalidName("instance and stream must not be empty (instance \"\(instance)\", stream \"\(stream)\")")
        }
        let file = "sluice-" + Self.escape(instance) + "-" + Self.escape(stream)
        // NAME_MAX on Linux file systems.
        guard file.utf8.count <= 255 else {
            throw RingError.invalidName("file name for stream \"\(stream)\" is \(file.utf8.count) bytes, at most 255")
        }
        self.instance = instance
        self.stream = stream
        self.path = directory + "/" + file
    }

    public var description: String { path }

    private static func escape(_ name: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
