/// `[ADDR:]PORT` of a listening socket (`http 8080;`, `rtmp 127.0.0.1:1935;`, `http [::1]:8080;`).
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    /// nil for every address; an IPv6 address without brackets.
    public var address: String?
    public var port: Int

    public init(address: String? = nil, port: Int) {
        self.address = address
        self.port = port
    }

    public var description: String {
        guard let address else { return "\(port)" }
        return address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }

    /// Parses `PORT`, `ADDR:PORT` or `[V6]:PORT`; nil when malformed or the port is outside 1...65535.
    init?(parsing text: String) {
        var address: Substring?
        var portText = text[...]
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else { return nil }
            address = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else if let colon = text.lastIndex(of: ":") {
            address = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard address?.isEmpty != true, !portText.isEmpty, portText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let port = ConfigNumber.integer(String(portText)), (1...65535).contains(port)
        else { return nil }
        self.init(address: address.map(String.init), port: port)
    }
}
