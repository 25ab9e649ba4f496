/// An SDP session description (RFC 8866, formerly 4566) as cameras and RTSP clients write it: session-level fields
/// and attributes, then one `MediaDescription` per `m=` line.
///
/// Parsing is tolerant of what cameras send (`\n` line ends, trailing spaces, missing `v=`/`o=`/`s=`/`t=`, unknown
/// letters and attributes kept or skipped) and strict about what is not SDP: a line that is not `x=...`, control
/// bytes, an `m=` or `a=rtpmap` that cannot be read, more than `maxMedia` media sections. Errors name the line.
public struct SessionDescription: Sendable, Equatable {
    public var version = 0
    /// The `o=` line's value as written.
    public var origin: String?
    public var sessionName = "-"
    public var information: String?
    public var connection: String?
    /// `b=` lines: modifier (`AS`, `CT`, `TIAS`) to value.
    public var bandwidths: [SDPAttribute] = []
    /// The `t=` line's value.
    public var timing = "0 0"
    public var attributes: [SDPAttribute] = []
    public var media: [MediaDescription] = []

    public static let maxMedia = 64
    public static let maxBytes = 64 * 1024

    public init(sessionName: String = "-", origin: String? = nil, attributes: [SDPAttribute] = [], media: [MediaDescription] = []) {
        self.sessionName = sessionName
        self.origin = origin
        self.attributes = attributes
        self.media = media
    }

    public init(parsing bytes: some Collection<UInt8>) throws(RTSPError) {
        guard bytes.count <= SessionDescription.maxBytes else {
            throw RTSPError(.badSDP, "\(bytes.count) bytes, over the limit of \(SessionDescription.maxBytes)")
        }
        if let bad = bytes.first(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09) || $0 == 0x7F }) {
            throw RTSPError(.badSDP, "control byte 0x\(String(bad, radix: 16))")
        }
        var lineNumber = 0
        // Split bytes, not Characters: a String holds "\r\n" as one Character.
        for rawLine in Array(bytes).split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = String(decoding: rawLine, as: UTF8.self).trimmedSpaces
            if line.isEmpty { continue }
            let characters = Array(line.utf8.prefix(2))
            guard characters.count == 2, characters[1] == 0x3D, (0x61...0x7A).contains(characters[0]) || (0x41...0x5A).contains(characters[0]) else {
                throw RTSPError(.badSDP, "line \(lineNumber) is not type=value: \"\(line.prefix(60))\"")
            }
            let type = line.first!
            let value = String(line.dropFirst(2))
            if type == "m" {
                guard media.count < SessionDescription.maxMedia else {
                    throw RTSPError(.badSDP, "more than \(SessionDescription.maxMedia) media sections")
                }
                media.append(try MediaDescription(mediaLine: value, lineNumber: lineNumber))
                continue
            }
            if !media.isEmpty {
                try media[media.count - 1].addLine(type: type, value: value, lineNumber: lineNumber)
                continue
            }
            switch type {
            case "v":
                guard let parsed = Int(value) else { throw RTSPError(.badSDP, "line \(lineNumber): bad version \"\(value)\"") }
                version = parsed
            case "o": origin = value
            case "s": sessionName = value
            case "i": information = value
            case "c": connection = value
            case "t": timing = value
            case "b": bandwidths.append(SDPAttribute(parsing: value, separator: ":"))
            case "a": attributes.append(SDPAttribute(parsing: value, separator: ":"))
            default: break
            }
        }
    }

    /// The first session-level `a=name` value ("" for a flag); nil when absent.
    public func attribute(_ name: String) -> String? { attributes.first { $0.name == name }.map { $0.value ?? "" } }

    /// The session-level `a=control`; nil when absent.
    public var control: String? { attribute("control") }
    public var range: RTSPRange? { attribute("range").flatMap { RTSPRange(parsing: $0) } }

    /// CRLF-ended lines in RFC 8866 order (v, o, s, i, c, b, t, a, then each media section).
    public func serialized() -> [UInt8] {
        var lines = ["v=\(version)", "o=\(origin ?? "- 0 0 IN IP4 127.0.0.1")", "s=\(sessionName)"]
        if let information { lines.append("i=\(information)") }
        if let connection { lines.append("c=\(connection)") }
        lines += bandwidths.map { "b=" + $0.text(separator: ":") }
        lines.append("t=\(timing)")
        lines += attributes.map { "a=" + $0.text(separator: ":") }
        for description in media { lines += description.lines }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }
}

/// An SDP attribute (`a=name:value`, `a=flag`) or bandwidth (`b=AS:500`), in the order written.
public struct SDPAttribute: Sendable, Equatable {
    public var name: String
    public var value: String?

    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }

    init(parsing text: String, separator: Character) {
        if let index = text.firstIndex(of: separator) {
            name = text[..<index].trimmedSpaces
            value = text[text.index(after: index)...].trimmedSpaces
        } else {
            name = text.trimmedSpaces
            value = nil
        }
    }

    func text(separator: Character) -> String { value.map { "\(name)\(separator)\($0)" } ?? name }
}
