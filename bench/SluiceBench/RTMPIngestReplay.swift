#if canImport(Glibc)
import Glibc
#endif
import Media
import RTMP

// RTMP ingest's own work, without sockets (issue 4): `rtmp-ingest-replay FILE.flv [PASSES]` publishes the file's
// audio and video tags from an `RTMPClientSession` to an `RTMPServerSession` in memory (chunk size 4096, as ffmpeg
// publishes), keeps the bytes the client sent once the publish was accepted, and then, PASSES times (default 5), feeds
// them to a server session that has just accepted a publish, in reads of 4344 bytes (three TCP segments), each media
// message going on (borrowed) to an `FLVTagDemuxer`, as an ingest worker's `RTMPPublisher` does. Prints the CPU time
// per pass and per MB. Under callgrind (on a copy stripped of debug information, which valgrind cannot read),
// `--toggle-collect='*replayPublish*'` counts the instructions of the replays alone.

/// A server session that accepted a publish, and the client session that made it.
private func acceptedPublish() -> (RTMPServerSession, RTMPClientSession) {
    var server = RTMPServerSession()
    var client = RTMPClientSession(url: try! RTMPURL("rtmp://127.0.0.1/live/replay"), mode: .publish)
    var toServer: [UInt8] = []
    var toClient: [UInt8] = []
    func take(_ actions: [RTMPClientSession.Action]) {
        for case .send(let bytes) in actions { toServer += bytes }
    }
    func take(_ actions: [RTMPServerSession.Action]) {
        for action in actions {
            switch action {
            case .send(let bytes): toClient += bytes
            case .publish: take(server.accept())
            default: break
            }
        }
    }
    take(client.start())
    while !toServer.isEmpty || !toClient.isEmpty {
        let forServer = toServer, forClient = toClient
        toServer = []
        toClient = []
        take(server.receive(forServer))
        take(client.receive(forClient))
    }
    guard case .publishing = server.state else { die("rtmp-ingest-replay: the publish was not accepted") }
    return (server, client)
}

/// Feeds `bytes` to `server` as an ingest worker would; returns the payload bytes of the frames demuxed.
@inline(never)
private func replayPublish(_ bytes: [UInt8], into server: inout RTMPServerSession) -> Int {
    var demuxer = FLVTagDemuxer()
    var payloadBytes = 0
    bytes.withUnsafeBytes { all in
        var offset = 0
        while offset < all.count {
            let end = min(all.count, offset + 4344)
            _ = server.receive(UnsafeRawBufferPointer(rebasing: all[offset..<end])) { message in
                guard let type = FLVTagType(rawValue: message.typeID) else { return }
                _ = demuxer.feed(type, timestamp: message.timestamp, body: message.payload) { _, _, payload in
                    payloadBytes += payload.count
                }
            }
            offset = end
        }
    }
    return payloadBytes
}

func benchRTMPIngestReplay(path: String, passes: Int) {
    let (tags, reader) = FLVFileReader.tags(of: readFile(path))
    if let failure = reader.failure { die("\(path): \(failure)") }
    var (_, client) = acceptedPublish()
    var published: [UInt8] = []
    for tag in tags where tag.type != .scriptData {
        tag.body.withUnsafeBytes {
            _ = client.sendMedia(typeID: tag.type.rawValue, timestamp: tag.timestamp, payload: $0, into: &published)
        }
    }
    var cpu = 0.0
    var frameBytes = 0
    for _ in 0..<passes {
        var (server, _) = acceptedPublish()
        let start = processCPUSeconds()
        frameBytes = replayPublish(published, into: &server)
        cpu += processCPUSeconds() - start
    }
    let perPass = cpu / Double(passes)
    print("rtmp_ingest_replay bytes \(published.count) frame_bytes \(frameBytes) passes \(passes) "
        + "cpu_ms_per_pass \(String(format2: perPass * 1000)) "
        + "us_per_mb \(String(format1: perPass * 1e6 / (Double(published.count) / 1e6)))")
}
