/// A server session paused at a publisher's ANNOUNCE, packed so that another process can carry it on: the edge
/// worker that accepted the connection passes the socket (SCM_RIGHTS) and `serialized()` to the stream's ingest
/// worker, which calls `RTSPServerSession(resuming:)`, gets the ANNOUNCE again from `start()`, and answers it.
///
/// Nothing but the session's identity and its unprocessed input is carried: the ANNOUNCE as received (re-serialized)
/// and the bytes the client sent after it. A session is handed over before anything was set up or authorized, so
/// there is no other state.
///
/// The binary form: `SLSH`, version 1, the session id and nonce (16-bit length each), then the input to the end.
/// A wrong or cut blob is an `RTSPError(.badMessage)` naming what was wrong.
public struct RTSPServerSessionHandover: Equatable, Sendable {
    static let magic: [UInt8] = Array("SLSH".utf8)
    static let version: UInt8 = 1

    public var sessionID: String
    public var nonce: String
    /// What the resumed session parses first: the ANNOUNCE, then whatever followed it.
    public var input: [UInt8]

    public init(sessionID: String, nonce: String, input: [UInt8]) {
        self.sessionID = sessionID
        self.nonce = nonce
        self.input = input
    }

    public func serialized() -> [UInt8] {
        var out = Self.magic + [Self.version]
        for text in [sessionID, nonce] {
            let bytes = Array(text.utf8.prefix(0xFFFF))
            out.append(UInt8(bytes.count >> 8))
            out.append(UInt8(bytes.count & 0xFF))
            out += bytes
        }
        return out + input
    }

    public init(serialized bytes: [UInt8]) throws(RTSPError) {
        guard bytes.count >= 5, Array(bytes[0..<4]) == Self.magic else {
            throw RTSPError(.badMessage, "not an RTSP session handover")
        }
        guard bytes[4] == Self.version else {
            throw RTSPError(.badMessage, "RTSP session handover version \(bytes[4]), expected \(Self.version)")
        }
        var offset = 5
        func text(_ what: String) throws(RTSPError) -> String {
            guard bytes.count - offset >= 2 else { throw RTSPError(.badMessage, "RTSP session handover cut in its \(what)") }
            let count = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            guard bytes.count - offset - 2 >= count else { throw RTSPError(.badMessage, "RTSP session handover cut in its \(what)") }
            defer { offset += 2 + count }
            return String(decoding: bytes[(offset + 2)..<(offset + 2 + count)], as: UTF8.self)
        }
        sessionID = try text("session id")
        nonce = try text("nonce")
        input = Array(bytes[offset...])
    }
}
