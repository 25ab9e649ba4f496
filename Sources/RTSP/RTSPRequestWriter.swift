/// What both sessions put in every message they write: CSeq, the product name, the session id; kept in one place
/// so the client and the server write the same way.
struct RTSPRequestWriter: Sendable {
    var product: String
    var nextCSeq = 1

    /// A request with CSeq, User-Agent, and the given headers, counting CSeq up.
    mutating func request(_ method: String, _ uri: String, headers: [(String, String)], body: [UInt8] = []) -> RTSPRequest {
        var all = RTSPHeaders([("CSeq", "\(nextCSeq)"), ("User-Agent", product)])
        for (name, value) in headers { all.add(name, value) }
        nextCSeq += 1
        return RTSPRequest(method: method, uri: uri, headers: all, body: body)
    }

    /// A response echoing `cseq`, with Server and the given headers.
    func response(_ status: Int, cseq: Int?, headers: [(String, String)] = [], body: [UInt8] = []) -> RTSPResponse {
        var all = RTSPHeaders()
        if let cseq { all.add("CSeq", "\(cseq)") }
        all.add("Server", product)
        for (name, value) in headers { all.add(name, value) }
        return RTSPResponse(status: status, headers: all, body: body)
    }
}
