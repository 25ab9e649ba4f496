/// A command message (type 20, or 17 with its leading 0x00; RTMP 1.0 section 7.2), typed: the name, the
/// transaction id and the arguments this module acts on. Parsing is lenient about what peers get wrong in practice
/// (a missing transaction id or optional argument takes its default) and strict about the AMF0 itself. `values`
/// writes a command back as AMF0, so the server's replies and the client's requests are built from the same enum.
public enum RTMPCommand: Equatable, Sendable {
    case connect(transactionID: Double, RTMPConnectParameters)
    case createStream(transactionID: Double)
    case releaseStream(transactionID: Double, name: String)
    case fcPublish(transactionID: Double, name: String)
    case fcUnpublish(transactionID: Double, name: String)
    /// `type`: "live" (the default), "record" or "append".
    case publish(transactionID: Double, name: String, type: String)
    /// `start`: -2 live or recorded, -1 live only, >= 0 seconds into a recording. `duration` -1: to the end.
    case play(transactionID: Double, name: String, start: Double, duration: Double, reset: Bool)
    case deleteStream(transactionID: Double, streamID: Double)
    case closeStream(transactionID: Double)
    case getStreamLength(transactionID: Double, name: String)
    case receiveAudio(Bool)
    case receiveVideo(Bool)
    /// `_checkbw`, a bandwidth check some encoders send.
    case checkBandwidth(transactionID: Double)
    /// `_result`: the values after the transaction id (usually a command object or null, then the information).
    case result(transactionID: Double, [AMF0Value])
    case error(transactionID: Double, [AMF0Value])
    case onStatus(RTMPStatus)
    case onBWDone
    case other(name: String, transactionID: Double, [AMF0Value])

    /// The command in a type-20 or type-17 message.
    public init(_ message: RTMPMessage) throws {
        switch message.typeID {
        case RTMPMessageType.commandAMF0:
            try self.init(values: AMF0Decoder.decodeAll(message.payload))
        case RTMPMessageType.commandAMF3:
            // An AMF3 command is the same AMF0 behind one 0x00 byte (the AMF0 marker in an AMF3 context).
            guard message.payload.first == 0 else {
                throw RTMPError(.badCommand, "AMF3 command not starting with 0x00 (0x\(String(message.payload.first ?? 0, radix: 16)))")
            }
            try self.init(values: AMF0Decoder.decodeAll(message.payload, from: 1))
        default:
            throw RTMPError(.badCommand, "message type \(message.typeID) is not a command")
        }
    }

    public init(values: [AMF0Value]) throws {
        guard let name = values.first?.stringValue else {
            throw RTMPError(.badCommand, "no command name (first value \(values.first.map { "\($0)" } ?? "missing"))")
        }
        let tx = values.count > 1 ? values[1].numberValue ?? 0 : 0
        let arguments = Array(values.dropFirst(3))  // after the command object
        func string(_ i: Int) -> String { i < arguments.count ? arguments[i].stringValue ?? "" : "" }
        func number(_ i: Int, _ fallback: Double) -> Double { i < arguments.count ? arguments[i].numberValue ?? fallback : fallback }
        switch name {
        case "connect":
            guard values.count > 2, let properties = values[2].properties else {
                throw RTMPError(.badCommand, "connect without a command object")
            }
            self = .connect(transactionID: tx, RTMPConnectParameters(properties: properties, arguments: arguments))
        case "createStream": self = .createStream(transactionID: tx)
        case "releaseStream": self = .releaseStream(transactionID: tx, name: string(0))
        case "FCPublish": self = .fcPublish(transactionID: tx, name: string(0))
        case "FCUnpublish": self = .fcUnpublish(transactionID: tx, name: string(0))
        case "publish":
            let type = string(1)
            self = .publish(transactionID: tx, name: string(0), type: type.isEmpty ? "live" : type)
        case "play":
            let reset = arguments.count > 3 ? arguments[3].booleanValue ?? (arguments[3].numberValue.map { $0 != 0 } ?? true) : true
            self = .play(transactionID: tx, name: string(0), start: number(1, -2), duration: number(2, -1), reset: reset)
        case "deleteStream": self = .deleteStream(transactionID: tx, streamID: number(0, 0))
        case "closeStream": self = .closeStream(transactionID: tx)
        case "getStreamLength": self = .getStreamLength(transactionID: tx, name: string(0))
        case "receiveAudio": self = .receiveAudio(arguments.first?.booleanValue ?? true)
        case "receiveVideo": self = .receiveVideo(arguments.first?.booleanValue ?? true)
        case "_checkbw": self = .checkBandwidth(transactionID: tx)
        case "_result": self = .result(transactionID: tx, Array(values.dropFirst(2)))
        case "_error": self = .error(transactionID: tx, Array(values.dropFirst(2)))
        case "onStatus": self = .onStatus(RTMPStatus(values.dropFirst(2).first { $0.properties != nil }))
        case "onBWDone": self = .onBWDone
        default: self = .other(name: name, transactionID: tx, Array(values.dropFirst(2)))
        }
    }

    public var name: String {
        switch self {
        case .connect: "connect"
        case .createStream: "createStream"
        case .releaseStream: "releaseStream"
        case .fcPublish: "FCPublish"
        case .fcUnpublish: "FCUnpublish"
        case .publish: "publish"
        case .play: "play"
        case .deleteStream: "deleteStream"
        case .closeStream: "closeStream"
        case .getStreamLength: "getStreamLength"
        case .receiveAudio: "receiveAudio"
        case .receiveVideo: "receiveVideo"
        case .checkBandwidth: "_checkbw"
        case .result: "_result"
        case .error: "_error"
        case .onStatus: "onStatus"
        case .onBWDone: "onBWDone"
        case .other(let name, _, _): name
        }
    }

    /// The command as AMF0 values: name, transaction id, command object (null where there is none), arguments.
    public var values: [AMF0Value] {
        let head: (Double) -> [AMF0Value] = { [.string(self.name), .number($0), .null] }
        switch self {
        case .connect(let tx, let parameters):
            return [.string(name), .number(tx), .object(parameters.properties)] + parameters.arguments
        case .createStream(let tx), .closeStream(let tx), .checkBandwidth(let tx):
            return head(tx)
        case .releaseStream(let tx, let stream), .fcPublish(let tx, let stream), .fcUnpublish(let tx, let stream),
             .getStreamLength(let tx, let stream):
            return head(tx) + [.string(stream)]
        case .publish(let tx, let stream, let type):
            return head(tx) + [.string(stream), .string(type)]
        case .play(let tx, let stream, let start, let duration, let reset):
            return head(tx) + [.string(stream), .number(start), .number(duration), .boolean(reset)]
        case .deleteStream(let tx, let streamID):
            return head(tx) + [.number(streamID)]
        case .receiveAudio(let on), .receiveVideo(let on):
            return head(0) + [.boolean(on)]
        case .result(let tx, let rest), .error(let tx, let rest), .other(_, let tx, let rest):
            return [.string(name), .number(tx)] + rest
        case .onStatus(let status):
            return head(0) + [status.value]
        case .onBWDone:
            return head(0)
        }
    }

    /// A type-20 message carrying the command on `streamID` (0 for the connection's commands).
    public func message(streamID: UInt32) -> RTMPMessage {
        RTMPMessage(typeID: RTMPMessageType.commandAMF0, streamID: streamID, timestamp: 0, payload: AMF0Encoder.encode(values))
    }
}
