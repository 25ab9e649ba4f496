import Media
import RTP
import RTSP

/// The RTP side of one stream's RTSP channel on an edge worker, pure (no sockets, no clock): which of the ring's
/// tracks are carried and how (H.264, H.265, AAC as mpeg4-generic, G.711; other codecs are left out), the SDP a
/// DESCRIBE gets, one packetizer per track whose SSRC and sequence numbers every viewer of the channel shares (a
/// frame is packetized once), where the current group of pictures starts on each track (what a joining viewer's
/// RTP-Info says), the channel's interleaved framing, and its sender reports.
///
/// Outputs are the carried tracks in the ring's order; output `k` is the SDP's `k`-th media section, with
/// `a=control:trackID=ID` (the ring's track id), and is sent on TCP interleaved channels `2k` (RTP) and `2k+1`
/// (RTCP) to every viewer: one framing, so that the `$`-framed bytes too are shared (`interleavedChannels`).
struct RTSPStreamPackager {
    struct Output {
        var track: Track
        var packetizer: RTPPacketizer
        let payloadType: UInt8
        /// RTP packets and payload octets sent so far, for sender reports.
        var packets: UInt32 = 0
        var octets: UInt32 = 0
    }

    /// A track's first packet from some point on: what RTP-Info tells a viewer who starts there.
    struct StartPoint: Equatable {
        var sequenceNumber: UInt16
        var rtpTime: UInt32
    }

    private(set) var outputs: [Output] = []
    /// The ring's tracks that are not carried, with why (for the log).
    private(set) var leftOut: [(id: Int, reason: String)] = []
    /// Per output, where the current group of pictures starts; nil before the first group start.
    private(set) var groupStart: [StartPoint]?
    /// The PTS of the current group's first frame.
    private(set) var groupStartPTS: Int64?

    /// Builds the outputs of `tracks`; packetizers start from random SSRCs, sequence numbers and timestamps
    /// (RFC 3550 5.1).
    init(tracks: [Track]) {
        var nextDynamic: UInt8 = 96
        for track in tracks {
            if let reason = Self.reasonLeftOut(track) {
                leftOut.append((track.id, reason))
                continue
            }
            let payloadType: UInt8
            switch track.codec {
            case .pcma: payloadType = 8
            case .pcmu: payloadType = 0
            default:
                payloadType = nextDynamic
                nextDynamic += 1
            }
            outputs.append(Output(track: track, packetizer: RTPPacketizer(codec: track.codec, payloadType: payloadType,
                                                                          clockRate: Self.clockRate(track)),
                                  payloadType: payloadType))
        }
    }

    /// Why a track cannot be sent over RTP here; nil when it can.
    private static func reasonLeftOut(_ track: Track) -> String? {
        let sets = track.parameterSets
        switch track.codec {
        case .h264 where sets.sps.isEmpty || sets.pps.isEmpty: return "H.264 without parameter sets"
        case .h265 where sets.vps.isEmpty || sets.sps.isEmpty || sets.pps.isEmpty: return "H.265 without parameter sets"
        case .aac where track.audioConfig == nil || track.sampleRate <= 0: return "AAC without its AudioSpecificConfig"
        case .h264, .h265, .aac, .pcma, .pcmu: return nil
        default: return "\(track.codec.rawValue) has no RTP mapping here"
        }
    }

    private static func clockRate(_ track: Track) -> Int {
        switch track.codec {
        case .aac: track.sampleRate
        case .pcma, .pcmu: 8000
        default: Int(MediaTime.hz)
        }
    }

    /// Whether `tracks` can go on through these outputs, updated in place (new parameter sets go in band before
    /// keyframes, and into the SDP of later viewers). False when what a viewer was told in the SDP no longer holds
    /// for a track still there (another codec, clock rate or audio configuration): the channel starts again. A track
    /// of the SDP that is missing from `tracks` keeps its output (a source that starts again announces its tracks
    /// one by one: its frames just pause meanwhile), and a track the SDP does not have waits for later viewers.
    mutating func update(tracks: [Track]) -> Bool {
        let fresh = RTSPStreamPackager(tracks: tracks)
        var updated = outputs
        for k in updated.indices {
            guard let new = fresh.outputs.first(where: { $0.track.id == updated[k].track.id }) else { continue }
            let old = updated[k]
            guard new.track.codec == old.track.codec, new.packetizer.clockRate == old.packetizer.clockRate,
                  new.track.audioConfig == old.track.audioConfig else { return false }
            updated[k].track = new.track
        }
        outputs = updated
        leftOut = fresh.leftOut
        return true
    }

    /// The output of the ring's track `id` (a SETUP's `trackID=`).
    func output(track id: Int) -> Int? { outputs.firstIndex { $0.track.id == id } }

    /// The interleaved channels (RTP, RTCP) of output `k`.
    static func interleavedChannels(_ k: Int) -> (Int, Int) { (2 * k, 2 * k + 1) }

    /// The SDP of a DESCRIBE: the outputs in order, each with its parameters.
    func sessionDescription(name: String) -> SessionDescription {
        .live(name: name, media: outputs.map { output in
            let track = output.track, sets = track.parameterSets, control = "trackID=\(track.id)"
            switch track.codec {
            case .h264:
                return .h264(payloadType: output.payloadType, sps: sets.sps[0], pps: sets.pps[0], control: control)
            case .h265:
                return .h265(payloadType: output.payloadType, vps: sets.vps[0], sps: sets.sps[0], pps: sets.pps[0], control: control)
            case .aac:
                return .aac(payloadType: output.payloadType, sampleRate: track.sampleRate, channels: max(track.channels, 1),
                            audioSpecificConfig: track.audioConfig?.bytes ?? [], control: control)
            default:
                return .g711(aLaw: track.codec == .pcma, control: control)
            }
        })
    }

    /// Marks the start of a group of pictures at a frame with `pts`: each output's next packet and the RTP time of
    /// that instant on its clock (so that every track of a viewer who starts here is aligned on it).
    mutating func startGroup(pts: Int64) {
        groupStart = outputs.map { StartPoint(sequenceNumber: $0.packetizer.sequenceNumber, rtpTime: $0.packetizer.rtpTimestamp(pts: pts)) }
        groupStartPTS = pts
    }

    /// RTP-Info for a viewer who starts at the current group: `urls` are the SETUP URLs of its outputs.
    func rtpInfo(urls: [Int: String]) -> [RTPInfo] {
        guard let groupStart else { return [] }
        return urls.sorted { $0.key < $1.key }.map { k, url in
            RTPInfo(url: url, sequenceNumber: groupStart[k].sequenceNumber, rtpTime: groupStart[k].rtpTime)
        }
    }

    /// Packetizes one frame of the ring once; `emit` gets the output and each packet (borrowed for the call).
    /// Frames of tracks not carried are passed over. Throws for a video payload that does not parse.
    mutating func packetize(_ info: FrameInfo, payload: UnsafeRawBufferPointer,
                            _ emit: (Int, UnsafeRawBufferPointer) -> Void) throws(MediaError) {
        guard let k = output(track: info.track) else { return }
        let track = outputs[k].track
        var packets: UInt32 = 0, octets: UInt32 = 0
        try outputs[k].packetizer.packetize(info, payload: payload, track: track) { packet in
            packets &+= 1
            octets &+= UInt32(packet.count - 12)  // the packetizer's headers are 12 bytes
            emit(k, packet)
        }
        outputs[k].packets &+= packets
        outputs[k].octets &+= octets
    }

    /// Output `k`'s sender report for the stream's instant `pts` (90 kHz), which is `ntp` on the wall clock, with
    /// an SDES CNAME shared by the channel's outputs (receivers pair tracks by it).
    func appendSenderReport(output k: Int, pts: Int64, ntp: UInt64, cname: String, to out: inout [UInt8]) {
        let output = outputs[k]
        let report = RTCPPacket.SenderReport(ssrc: output.packetizer.ssrc, ntpTimestamp: ntp,
                                             rtpTimestamp: output.packetizer.rtpTimestamp(pts: pts),
                                             packetCount: output.packets, octetCount: output.octets)
        RTCPPacket.appendSenderReport(report, cname: cname, to: &out)
    }
}
