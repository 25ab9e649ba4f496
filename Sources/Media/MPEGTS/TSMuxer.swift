/// Writes one program's frames as an MPEG-TS stream: the packager behind HLS segments, HTTP MPEG-TS, UDP
/// multicast and `push udp://`.
///
/// Frames come in Sluice's canonical form (see `Frame`): unwrapped 90 kHz timestamps, length-prefixed NAL units
/// with the parameter sets in the `Track`, raw AAC with its AudioSpecificConfig in the `Track`. Out go 188-byte
/// packets, appended to the caller's buffer:
/// - Video PES with PES_packet_length 0, an access unit delimiter, the track's VPS/SPS/PPS before every keyframe,
///   then the NAL units with 4-byte start codes (delimiters found in the payload are dropped). AAC gets a 7-byte
///   ADTS header per frame; MP2, MP3, AC-3 and E-AC-3 go as they are. PTS and DTS are reduced mod 2^33; DTS is
///   left out where it equals PTS.
/// - PAT and PMT (and the SDT) at the start, before every video keyframe and at least every `psiInterval` of DTS;
///   the SDT at least every `sdtInterval`. `writeTables` writes all three at a segment's start.
/// - A PCR on the PCR PID (the first video track's, else the first track's) in the first packet of every video
///   keyframe and at least every `pcrInterval` of DTS: in the frame's first packet when it is on the PCR PID,
///   else in a packet of its own. PCR = DTS - `pcrDelay`, never below 0 for a stream that starts at or after 0,
///   and never going backwards except at a `.discontinuity` (where discontinuity_indicator is set). The muxer has
///   no clock of its own: PCRs are only as frequent as the frames.
/// - Continuity counters per PID that run on across calls and track table changes: keep one muxer per output.
///   HLS segments are each written by a muxer of their own (so that every edge worker makes the same bytes), and
///   their counters still run on from one segment to the next (analysers check them across segments): a
///   segment's last frame of each track is written with `lastOfTrack`, which spreads its PES over up to 15 more
///   packets so that the PID's counter ends at 15, and `closeSegment` repeats the tables until theirs do too. The
///   next segment's muxer starts every counter at 0. It costs at most 15 packets per PID per segment.
///
/// Tracks that MPEG-TS cannot carry (G.711) are left out of the program, frames of unknown tracks are ignored,
/// and frames that cannot be written (malformed video payload, AAC without a config or over ADTS's size) are
/// dropped and counted in `droppedFrames`; nothing is written for them.
///
/// Cost: per frame, the PES is assembled in one reusable buffer and copied once into `out`; PSI packets are built
/// when the tables change and copied as they are. Nothing is allocated once the buffers have grown.
public struct TSMuxer: Sendable {
    public struct Options: Hashable, Sendable {
        public var layout: TSPIDLayout
        /// program_number in the PAT and PMT, service_id in the SDT (`meta program_id`): 1...65535.
        public var programNumber: Int
        public var provider: String
        public var serviceName: String
        /// A PCR goes out with the first frame whose DTS is at least this far past the last PCR's (40 ms), so
        /// PCRs are at most this plus the spacing of frames apart (ISO/IEC 13818-1 allows 100 ms).
        public var pcrInterval: Int64 = 3600
        /// Likewise for PAT and PMT: 500 ms.
        public var psiInterval: Int64 = 45000
        /// Likewise for the SDT: 1 s.
        public var sdtInterval: Int64 = 90000
        /// How far the PCR runs behind the DTS: the time a decoder gets to receive a frame before decoding it.
        /// 700 ms, ffmpeg's default `muxdelay`.
        public var pcrDelay: Int64 = 63000

        public init(layout: TSPIDLayout = TSPIDLayout(), programNumber: Int = 1, provider: String = "Sluice",
                    serviceName: String = "Sluice") {
            self.layout = layout
            self.programNumber = programNumber
            self.provider = provider
            self.serviceName = serviceName
        }
    }

    /// One track as the muxer writes it.
    private struct Output: Sendable {
        var codec: Codec
        var pid: Int
        var streamID: UInt8
        /// Video: bytes before the NAL units of every access unit (the delimiter), and of a keyframe (the
        /// delimiter and the parameter sets), with start codes.
        var prefix: [UInt8]
        var keyframePrefix: [UInt8]
        var audioConfig: AudioSpecificConfig?
    }

    public let options: Options
    /// The tracks of the program (those MPEG-TS carries), in the order of the track table.
    public private(set) var tracks: [Track] = []
    /// Track id to PID.
    public private(set) var pids: [Int: Int] = [:]
    /// The PID that carries the PCR; nil while there are no tracks.
    public private(set) var pcrPID: Int?
    /// Frames dropped because they could not be written (see the type's notes).
    public private(set) var droppedFrames = 0
    /// Why the last dropped frame was dropped, for the log.
    public private(set) var lastDropReason: MediaError?

    private var outputs: [Int: Output] = [:]
    private var pat: PSITable
    private var pmt: PSITable
    private var sdt: PSITable
    private var counters = ContinuityCounters()
    private var pes: [UInt8] = []
    /// DTS at which PAT/PMT, the SDT and a PCR last went out; nil when they are due at the next frame.
    private var lastPSI: Int64?
    private var lastSDT: Int64?
    private var lastPCRAt: Int64?
    private var lastPCR: Int64?
    /// `writeTables` wrote the tables and no frame followed yet: the next frame restarts the intervals from its DTS.
    private var tablesJustWritten = false
    private var pendingDiscontinuity = false

    /// Throws when the PID layout collides, the program number is out of range, or a table does not fit.
    public init(tracks: [Track], options: Options) throws {
        guard (1...0xFFFF).contains(options.programNumber) else {
            throw MediaError("MPEG-TS program", "program number \(options.programNumber) outside 1...65535")
        }
        self.options = options
        pat = PSITable(name: "PAT", pid: TSPacket.patPID, tableID: TSPacket.patTableID)
        pmt = PSITable(name: "PMT", pid: options.layout.pmtPID, tableID: TSPacket.pmtTableID)
        sdt = PSITable(name: "SDT", pid: options.layout.sdtPID, tableID: TSPacket.sdtTableID, privateIndicator: true)
        try pat.update(idExtension: PATWriter.transportStreamID,
                       body: PATWriter.body(programNumber: options.programNumber, pmtPID: options.layout.pmtPID))
        try sdt.update(idExtension: PATWriter.transportStreamID,
                       body: SDTWriter.body(serviceID: options.programNumber, provider: options.provider,
                                            serviceName: options.serviceName))
        try setTracks(tracks)
    }

    /// Replaces the track table (new parameter sets, a track added or gone): the PMT gets a new version when
    /// its content changes, and the tables go out again before the next frame. On error nothing changes.
    public mutating func setTracks(_ newTracks: [Track]) throws {
        let carried = newTracks.compactMap { track in TSStreamType(track: track).map { (track, $0) } }
        let newPIDs = try options.layout.pids(for: carried.map(\.0))
        var newOutputs: [Int: Output] = [:]
        var entries: [PMTWriter.Entry] = []
        for ((track, type), pid) in zip(carried, newPIDs) {
            entries.append(PMTWriter.Entry(type: type, pid: pid, language: track.language))
            newOutputs[track.id] = Self.output(track, type: type, pid: pid)
        }
        let newPCRPID = zip(carried, newPIDs).first { $0.0.0.kind == .video }?.1 ?? newPIDs.first
        var newPMT = pmt
        try newPMT.update(idExtension: options.programNumber,
                          body: PMTWriter.body(pcrPID: newPCRPID ?? TSPacket.nullPID,
                                               entries: entries))
        tracks = carried.map(\.0)
        pids = Dictionary(uniqueKeysWithValues: zip(tracks.map(\.id), newPIDs))
        outputs = newOutputs
        pmt = newPMT
        if newPCRPID != pcrPID { lastPCRAt = nil }
        pcrPID = newPCRPID
        lastPSI = nil
        tablesJustWritten = false
    }

    private static func output(_ track: Track, type: TSStreamType, pid: Int) -> Output {
        var prefix: [UInt8] = []
        var keyframePrefix: [UInt8] = []
        switch track.codec {
        case .h264: prefix = [0, 0, 0, 1, 0x09, 0xF0]  // AUD, primary_pic_type 7 (any)
        case .h265: prefix = [0, 0, 0, 1, 0x46, 0x01, 0x50]  // AUD, pic_type 2 (any)
        default: break
        }
        if !prefix.isEmpty {
            keyframePrefix = prefix
            for set in track.parameterSets.all { keyframePrefix += [0, 0, 0, 1] + set }
        }
        return Output(codec: track.codec, pid: pid, streamID: type.streamID, prefix: prefix,
                      keyframePrefix: keyframePrefix, audioConfig: track.audioConfig)
    }

    /// Appends PAT, PMT and SDT: what a segment starts with. The next frame does not repeat them.
    public mutating func writeTables(into out: inout [UInt8]) {
        sdt.emit(into: &out, counters: &counters)
        pat.emit(into: &out, counters: &counters)
        pmt.emit(into: &out, counters: &counters)
        tablesJustWritten = true
    }

    /// Appends PAT, PMT and SDT again as often as it takes for their continuity counters to end at 15 (at most 15
    /// times each): what a segment ends with, after every track's last frame went out with `lastOfTrack`. A table
    /// of more than one packet may not get there.
    public mutating func closeSegment(into out: inout [UInt8]) {
        for table in [sdt, pat, pmt] {
            for _ in 0..<15 where counters.peek(table.pid) != 0 { table.emit(into: &out, counters: &counters) }
        }
    }

    /// Appends one frame (and the tables and PCR due before it). `payload` is only read during the call.
    /// `lastOfTrack`: no frame of this track follows in this output (a segment's end, see the type's notes).
    public mutating func write(_ info: FrameInfo, payload: UnsafeRawBufferPointer, lastOfTrack: Bool = false,
                               into out: inout [UInt8]) {
        guard let output = outputs[info.track], let pcrPID else { return }
        do {
            try assemble(info, payload: payload, output: output)
        } catch {
            droppedFrames += 1
            lastDropReason = error as? MediaError
            return
        }
        let dts = info.dts
        let isVideoKeyframe = info.isKeyframe && output.codec.kind == .video
        if info.flags.contains(.discontinuity) {
            lastPSI = nil
            lastSDT = nil
            lastPCRAt = nil
            lastPCR = nil
            pendingDiscontinuity = true
        }
        if tablesJustWritten {
            tablesJustWritten = false
            lastPSI = dts
            lastSDT = dts
        } else {
            if lastSDT.map({ dts &- $0 >= options.sdtInterval }) ?? true {
                sdt.emit(into: &out, counters: &counters)
                lastSDT = dts
            }
            if isVideoKeyframe || lastPSI.map({ dts &- $0 >= options.psiInterval }) ?? true {
                pat.emit(into: &out, counters: &counters)
                pmt.emit(into: &out, counters: &counters)
                lastPSI = dts
            }
        }
        var first = PESPacketizer.FirstPacket()
        first.randomAccess = isVideoKeyframe
        let pcrDue = lastPCRAt.map { dts &- $0 >= options.pcrInterval } ?? true
        if pcrDue || (isVideoKeyframe && output.pid == pcrPID) {
            let pcr = nextPCR(dts)
            if output.pid == pcrPID {
                first.pcr = pcr
                first.discontinuity = pendingDiscontinuity
            } else {
                PESPacketizer.writePCROnly(pcr, pid: pcrPID, discontinuity: pendingDiscontinuity, counters: counters, into: &out)
            }
            pendingDiscontinuity = false
            lastPCRAt = dts
        }
        pes.withUnsafeBytes { bytes in
            PESPacketizer.writePackets(bytes, pid: output.pid, first: first, closingCounter: lastOfTrack,
                                       counters: &counters, into: &out)
        }
    }

    /// PCR for a frame at `dts`: `pcrDelay` behind it, not below 0 unless the DTS is, and not behind the last one.
    private mutating func nextPCR(_ dts: Int64) -> Int64 {
        var pcr = max(dts &- options.pcrDelay, min(dts, 0))
        if let last = lastPCR, pcr < last { pcr = last }
        lastPCR = pcr
        return pcr
    }

    /// Builds the frame's PES in `pes`. Throws when the frame cannot be written.
    private mutating func assemble(_ info: FrameInfo, payload: UnsafeRawBufferPointer, output: Output) throws {
        let hasDTS = info.dts != info.pts
        pes.removeAll(keepingCapacity: true)
        pes.append(contentsOf: repeatElement(0, count: PESPacketizer.headerSize(hasDTS: hasDTS)))
        switch output.codec {
        case .h264, .h265:
            pes.append(contentsOf: info.isKeyframe ? output.keyframePrefix : output.prefix)
            let isH264 = output.codec == .h264
            try LengthPrefixed.forEachNAL(in: payload) { nal in
                guard let header = nal.first else { return }
                if isH264 ? H264.nalType(header) == H264.aud : H265.nalType(header) == H265.aud { return }
                pes.append(0); pes.append(0); pes.append(0); pes.append(1)
                pes.append(contentsOf: nal)
            }
        case .aac:
            guard let config = output.audioConfig else {
                throw MediaError("AAC track \(info.track)", "no AudioSpecificConfig to write ADTS headers from")
            }
            try ADTSHeader.write(config: config, payloadLength: payload.count, into: &pes)
            pes.append(contentsOf: payload)
        case .mp2, .mp3, .ac3, .eac3, .pcma, .pcmu:
            pes.append(contentsOf: payload)
        }
        PESPacketizer.writeHeader(into: &pes, streamID: output.streamID, pts: info.pts, dts: hasDTS ? info.dts : nil,
                                  unbounded: output.codec.kind == .video)
    }
}
