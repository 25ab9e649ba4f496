import Testing
@testable import RTMP

/// Commands (RTMP 1.0 section 7.2) from their AMF0 values and back.
@Suite struct CommandTests {
    static func message(_ values: [AMF0Value], amf3: Bool = false) -> RTMPMessage {
        let payload = (amf3 ? [0] : []) + AMF0Encoder.encode(values)
        return RTMPMessage(typeID: amf3 ? 17 : 20, streamID: 0, timestamp: 0, payload: payload)
    }

    /// connect as ffmpeg 5.1 sends it (libavformat/rtmpproto.c gen_connect), section 7.2.1.1.
    static let ffmpegConnect: [AMF0Value] = [
        .string("connect"), .number(1),
        .object([AMF0Property("app", .string("static")), AMF0Property("type", .string("nonprivate")),
                 AMF0Property("flashVer", .string("FMLE/3.0 (compatible; Lavf59.27.100)")),
                 AMF0Property("tcUrl", .string("rtmp://127.0.0.1:1935/static"))]),
    ]

    @Test(arguments: [false, true]) func connect(amf3: Bool) throws {
        let command = try RTMPCommand(Self.message(Self.ffmpegConnect, amf3: amf3))
        guard case .connect(let tx, let parameters) = command else { Issue.record("\(command)"); return }
        #expect(tx == 1 && parameters.app == "static" && parameters.tcUrl == "rtmp://127.0.0.1:1935/static")
        #expect(parameters.flashVer == "FMLE/3.0 (compatible; Lavf59.27.100)" && parameters.objectEncoding == 0)
        #expect(command.values == Self.ffmpegConnect)
    }

    @Test(arguments: [
        ([.string("createStream"), .number(4), .null], RTMPCommand.createStream(transactionID: 4)),
        ([.string("releaseStream"), .number(2), .null, .string("cam?password=x")], .releaseStream(transactionID: 2, name: "cam?password=x")),
        ([.string("FCPublish"), .number(3), .null, .string("cam")], .fcPublish(transactionID: 3, name: "cam")),
        ([.string("FCUnpublish"), .number(6), .null, .string("cam")], .fcUnpublish(transactionID: 6, name: "cam")),
        ([.string("publish"), .number(5), .null, .string("cam"), .string("live")], .publish(transactionID: 5, name: "cam", type: "live")),
        ([.string("publish"), .number(5), .null, .string("cam")], .publish(transactionID: 5, name: "cam", type: "live")),
        ([.string("publish"), .number(5), .null, .string("cam"), .string("append")], .publish(transactionID: 5, name: "cam", type: "append")),
        ([.string("play"), .number(4), .null, .string("cam")], .play(transactionID: 4, name: "cam", start: -2, duration: -1, reset: true)),
        ([.string("play"), .number(4), .null, .string("cam"), .number(-1000), .number(-1), .boolean(false)],
         .play(transactionID: 4, name: "cam", start: -1000, duration: -1, reset: false)),
        ([.string("deleteStream"), .number(7), .null, .number(1)], .deleteStream(transactionID: 7, streamID: 1)),
        ([.string("closeStream"), .number(0), .null], .closeStream(transactionID: 0)),
        ([.string("getStreamLength"), .number(3), .null, .string("cam")], .getStreamLength(transactionID: 3, name: "cam")),
        ([.string("receiveAudio"), .number(0), .null, .boolean(false)], .receiveAudio(false)),
        ([.string("receiveVideo"), .number(0), .null, .boolean(true)], .receiveVideo(true)),
        ([.string("_checkbw"), .number(9), .null], .checkBandwidth(transactionID: 9)),
        ([.string("onBWDone"), .number(0), .null], .onBWDone),
        ([.string("_result"), .number(4), .null, .number(1)], .result(transactionID: 4, [.null, .number(1)])),
        ([.string("_error"), .number(1), .null, .null], .error(transactionID: 1, [.null, .null])),
        ([.string("onFCPublish"), .number(0), .null], .other(name: "onFCPublish", transactionID: 0, [.null])),
    ] as [([AMF0Value], RTMPCommand)])
    func parsesAndWrites(values: [AMF0Value], command: RTMPCommand) throws {
        #expect(try RTMPCommand(Self.message(values)) == command)
        #expect(try RTMPCommand(values: command.values) == command)
    }

    @Test func onStatus() throws {
        let status = RTMPStatus.error(RTMPStatus.Code.publishDenied, "Wrong password.",
                                      extra: [AMF0Property("details", .string("cam"))])
        let values = RTMPCommand.onStatus(status).values
        #expect(values.count == 4 && values[0] == .string("onStatus") && values[2] == .null)
        #expect(values[3]["level"] == .string("error") && values[3]["code"] == .string("NetStream.Publish.Denied"))
        #expect(try RTMPCommand(values: values) == .onStatus(status))
        #expect(status.isError && !RTMPStatus.status("a", "b").isError)
    }

    @Test(arguments: [
        [AMF0Value](), [.number(1)], [.null, .string("connect")],
    ]) func refusesNamelessCommands(values: [AMF0Value]) {
        #expect(throws: RTMPError.self) { try RTMPCommand(Self.message(values)) }
    }

    @Test func refusesConnectWithoutObject() {
        #expect(throws: RTMPError.self) { try RTMPCommand(Self.message([.string("connect"), .number(1), .null])) }
    }

    @Test func refusesBadAMF3Prefix() {
        let message = RTMPMessage(typeID: 17, streamID: 0, timestamp: 0, payload: AMF0Encoder.encode([.string("connect")]))
        #expect(throws: RTMPError.self) { try RTMPCommand(message) }
        #expect(throws: RTMPError.self) { try RTMPCommand(RTMPMessage(typeID: 8, streamID: 0, timestamp: 0, payload: [])) }
    }

    @Test func metadata() throws {
        let properties = [AMF0Property("width", .number(1280)), AMF0Property("videocodecid", .number(7))]
        let published = AMF0Encoder.encode([.string("@setDataFrame"), .string("onMetaData"), .ecmaArray(properties)])
        let message = RTMPMessage(typeID: 18, streamID: 1, timestamp: 0, payload: published)
        #expect(try RTMPDataMessage.metadata(message) == properties)
        #expect(RTMPDataMessage.strippingSetDataFrame(published) == RTMPDataMessage.onMetaData(properties))
        let plain = RTMPMessage(typeID: 18, streamID: 1, timestamp: 0, payload: RTMPDataMessage.onMetaData(properties))
        #expect(try RTMPDataMessage.metadata(plain) == properties)
        let amf3 = RTMPMessage(typeID: 15, streamID: 1, timestamp: 0, payload: [0] + published)
        #expect(try RTMPDataMessage.metadata(amf3) == properties)
        let other = RTMPMessage(typeID: 18, streamID: 1, timestamp: 0, payload: RTMPDataMessage.sampleAccess)
        #expect(try RTMPDataMessage.metadata(other) == nil)
    }

    /// Section 7.1.6: two sub-messages at 1000 and 1040 in an aggregate stamped 5000 come out at 5000 and 5040.
    @Test func aggregate() throws {
        let payload = hex("08 000002 0003E8 00 000000 AF01 0000000D")
            + hex("09 000003 000410 00 000000 170000 0000000E")
        let parts = try RTMPAggregate.split(RTMPMessage(typeID: 22, streamID: 1, timestamp: 5000, payload: payload))
        #expect(parts == [RTMPMessage(typeID: 8, streamID: 1, timestamp: 5000, payload: [0xAF, 0x01]),
                          RTMPMessage(typeID: 9, streamID: 1, timestamp: 5040, payload: [0x17, 0, 0])])
        #expect(throws: RTMPError.self) {
            try RTMPAggregate.split(RTMPMessage(typeID: 22, streamID: 1, timestamp: 0, payload: Array(payload.dropLast())))
        }
    }

    @Test func userControlEvents() throws {
        let events: [RTMPUserControlEvent] = [
            .streamBegin(streamID: 1), .streamEOF(streamID: 1), .streamDry(streamID: 1),
            .setBufferLength(streamID: 1, milliseconds: 3000), .streamIsRecorded(streamID: 1),
            .pingRequest(timestamp: 77), .pingResponse(timestamp: 77), .other(type: 31, data: [0, 0, 0, 1]),
        ]
        for event in events { #expect(try RTMPUserControlEvent(payload: event.payload) == event) }
        // Section 7.1.7: event type (2 bytes), then data.
        #expect(RTMPUserControlEvent.setBufferLength(streamID: 1, milliseconds: 3000).payload == hex("0003 00000001 00000BB8"))
        #expect(throws: RTMPError.self) { try RTMPUserControlEvent(payload: [0, 6, 0]) }
        let controls: [RTMPControlMessage] = [
            .setChunkSize(4096), .abort(chunkStreamID: 4), .acknowledgement(sequenceNumber: 9),
            .windowAcknowledgementSize(2_500_000), .setPeerBandwidth(2_500_000, limitType: 2), .userControl(.streamBegin(streamID: 1)),
        ]
        for control in controls { #expect(try RTMPControlMessage(control.message) == control) }
        #expect(RTMPControlMessage.setPeerBandwidth(2_500_000, limitType: 2).payload == hex("002625A0 02"))
    }
}

/// The stream a request resolves to, by spec/reference.md section 3 and the ways encoders split URLs.
@Suite struct StreamRequestTests {
    @Test(arguments: [
        ("static", "NAME", "NAME", nil),
        ("static", "NAME?password=x", "NAME", "x"),                   // ffmpeg rtmp://HOST/static/NAME?password=x
        ("static?password=x", "NAME", "NAME", "x"),                   // the query on the server URL
        ("static/NAME", "", "NAME", nil),                             // the whole path as the app
        ("static/NAME?password=a%20b", "", "NAME", "a b"),
        ("chats", "room-15", "chats/room-15", nil),                   // a template's prefix
        ("chats/", "/room-15?password=p%", "chats/room-15", "p%"),
        ("live/x", "y", "live/x/y", nil),
        ("static", "", "static", nil),
        ("", "", "", nil),
    ] as [(String, String, String, String?)])
    func resolves(app: String, name: String, stream: String, password: String?) {
        let request = RTMPStreamRequest(kind: .publish(type: "live"), app: app, name: name, tcUrl: "rtmp://h/\(app)")
        #expect(request.streamName == stream)
        #expect(request.password == password)
    }

    @Test func queryItems() {
        let request = RTMPStreamRequest(kind: .play(start: -2, duration: -1, reset: true), app: "static?a=1",
                                        name: "cam?password=s3cr%26t&token=t+u&flag", tcUrl: "")
        #expect(request.app == "static" && request.name == "cam")
        #expect(request.query.map(\.name) == ["a", "password", "token", "flag"])
        #expect(request.query.map(\.value) == ["1", "s3cr&t", "t u", ""])
    }
}

@Suite struct URLTests {
    @Test(arguments: [
        ("rtmp://example.com/static/cam", "example.com", 1935, "static", "cam", "rtmp://example.com/static"),
        ("rtmp://10.0.0.1:1936/live/key?password=x", "10.0.0.1", 1936, "live", "key?password=x", "rtmp://10.0.0.1:1936/live"),
        ("RTMP://h/app/inst/name", "h", 1935, "app/inst", "name", "rtmp://h/app/inst"),
        ("rtmp://h/a/b/c/d", "h", 1935, "a/b", "c/d", "rtmp://h/a/b"),
        ("rtmp://[::1]:1940/static/x", "::1", 1940, "static", "x", "rtmp://[::1]:1940/static"),
        ("rtmps://live-api-s.facebook.com/rtmp/KEY", "live-api-s.facebook.com", 443, "rtmp", "KEY", "rtmps://live-api-s.facebook.com/rtmp"),
        ("RTMPS://h:4443/static/x", "h", 4443, "static", "x", "rtmps://h:4443/static"),
    ] as [(String, String, Int, String, String, String)])
    func parses(text: String, host: String, port: Int, app: String, playPath: String, tcUrl: String) throws {
        let url = try RTMPURL(text)
        #expect(url.host == host && url.port == port && url.app == app && url.playPath == playPath && url.tcUrl == tcUrl)
        #expect(url.isSecure == tcUrl.hasPrefix("rtmps"))
    }

    @Test(arguments: ["rtmpe://h/a/b", "http://h/a/b", "rtmp://h/app", "rtmp://h/app/", "rtmp://h/app/?x=1", "rtmp://h",
                      "rtmp://:1935/a/b", "rtmp://h:0/a/b", "rtmp://h:99999/a/b", "rtmp://h:x/a/b", "rtmp:/h/a/b", "h/a/b",
                      "rtmp://u@h/a/b"])
    func refuses(text: String) {
        #expect(throws: RTMPError.self) { try RTMPURL(text) }
    }
}
