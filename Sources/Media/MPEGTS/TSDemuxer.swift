/// Reads an MPEG-TS byte stream (arriving in chunks of any size) into Sluice's canonical frames and track table.
///
/// Pure: no I/O. `feed` calls the sink with each frame as soon as it is complete; its payload buffer is
/// borrowed for the duration of the call. Per packet nothing is allocated: packets are read in place,
/// PES packets are collected into buffers reused per PID and frames built in buffers reused per track.
///
/// Which streams become tracks: those of `Options.program` (default: the first program of the PAT), limited
/// to `Options.pids` when given (with `pids` alone, streams of every program qualify). Tracks get stable
/// 1-based ids in PMT order; a PMT update keeps the ids of the PIDs that stay and gives new ids to new ones.
/// Timestamps are unwrapped (33 bits to 64) and normalised (`TimestampNormalizer`): output DTS never
/// decreases per track, and jumps in the source's clock are absorbed and flagged `.discontinuity`. Damage is
/// counted in `stats`, never fatal.
public struct TSDemuxer: Sendable {
    public struct Options: Hashable, Sendable {
        /// The program_number to demux; nil for the first program of the PAT.
        public var program: Int?
        /// Only these elementary PIDs; nil for all of the program's.
        public var pids: Set<Int>?

        public init(program: Int? = nil, pids: Set<Int>? = nil) {
            self.program = program
            self.pids = pids
        }
    }

    /// The sink of `feed(_:withTrack:)`: the frame's track as it stands at this frame, the frame, its payload.
    public typealias TrackSink = (Track, FrameInfo, UnsafeRawBufferPointer) -> Void

    public let options: Options
    /// The current track table, in PMT order.
    public var tracks: [Track] { streams.map(\.track) }
    /// Every program of the multiplex, as its PAT, PMT and SDT describe it.
    public var programs: [TSProgram] { table.programs }
    public var stats: TSDemuxStats {
        var s = context.stats
        s.skippedBytes = sync.skippedBytes
        s.syncLosses = sync.syncLosses
        return s
    }

    private var sync = TSPacketSync()
    private var table = TSProgramTable()
    /// The selected streams, with their tracks, in PMT order.
    private var streams: [PESStream] = []
    private var context = PESStream.Context()
    /// Per PID: 0 ignored, i > 0 `streams[i - 1]`, i < 0 `psi[-i - 1]`.
    private var route: [Int32]
    /// Per PID: 0xFF before the first packet, else the last continuity counter, with `duplicateSeen` set once a
    /// duplicate of that packet was let through.
    private var continuity: [UInt8]
    private static let duplicateSeen: UInt8 = 0x10
    private var psi: [(pid: Int, assembler: PSISectionAssembler)] = []
    private var pcrClocks: [Int: TimestampUnwrapper] = [:]
    private var nextTrackID = 1

    public init(options: Options = Options()) {
        self.options = options
        route = Array(repeating: 0, count: TSPacket.pidCount)
        continuity = Array(repeating: 0xFF, count: TSPacket.pidCount)
        rebuildRoutes()
    }

    /// Reads `bytes` and calls `sink` with each frame completed by them.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ sink: (FrameInfo, UnsafeRawBufferPointer) -> Void) {
        feed(bytes) { _, info, payload in sink(info, payload) }
    }

    /// `feed(_:_:)` for sinks that need the track with each frame (a `.configChange` frame comes with the new
    /// parameter sets or AudioSpecificConfig already in the track).
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, withTrack sink: TrackSink) {
        context.stats.bytes += bytes.count
        var packets = TSPacketSync()
        swap(&packets, &sync)
        packets.feed(bytes) { handle($0, sink) }
        swap(&packets, &sync)
    }

    /// End of input: delivers what is complete (the last PES of each stream, packets held while hunting for
    /// sync). The demuxer can be fed again afterwards, as after a gap.
    public mutating func flush(_ sink: (FrameInfo, UnsafeRawBufferPointer) -> Void) {
        flush { _, info, payload in sink(info, payload) }
    }

    public mutating func flush(withTrack sink: TrackSink) {
        var packets = TSPacketSync()
        swap(&packets, &sync)
        packets.flush { handle($0, sink) }
        swap(&packets, &sync)
        for i in streams.indices { streams[i].flush(context: &context, sink: sink) }
    }

    /// All frames of a whole stream, with the demuxer that read them (for its tracks and stats): for tests and
    /// tools, not for live input.
    public static func frames(of bytes: [UInt8], options: Options = Options()) -> (frames: [Frame], demuxer: TSDemuxer) {
        var demuxer = TSDemuxer(options: options)
        var frames: [Frame] = []
        bytes.withUnsafeBytes { demuxer.feed($0) { frames.append(Frame(info: $0, payload: Array($1))) } }
        demuxer.flush { frames.append(Frame(info: $0, payload: Array($1))) }
        return (frames, demuxer)
    }

    private mutating func handle(_ packet: UnsafeRawBufferPointer, _ sink: TrackSink) {
        context.stats.packets += 1
        guard let header = TSPacketHeader(packet), !header.transportError else {
            context.stats.transportErrors += 1
            return
        }
        let pid = header.pid
        if pid == TSPacket.nullPID { return }
        if let base = header.pcrBase {
            countPCR(pid: pid, base: base, extension: header.pcrExtension, discontinuity: header.discontinuity)
        }
        guard header.hasPayload else { return }
        let r = Int(route[pid])
        switch checkContinuity(pid: pid, counter: header.continuityCounter, discontinuity: header.discontinuity) {
        case .next: break
        case .duplicate: return
        case .gap:
            context.stats.continuityErrors += 1
            if r > 0 { streams[r - 1].lose(context: &context) } else if r < 0 { psi[-r - 1].assembler.reset() }
        }
        guard r != 0, header.payloadOffset < TSPacket.size else { return }
        let payload = UnsafeRawBufferPointer(rebasing: packet[header.payloadOffset...])
        if r > 0 {
            streams[r - 1].payload(payload, unitStart: header.payloadUnitStart, context: &context, sink: sink)
        } else {
            readPSI(payload, at: -r - 1, unitStart: header.payloadUnitStart)
        }
    }

    private enum Continuity { case next, duplicate, gap }

    /// Checks the continuity counter of a packet with payload: the next value is expected, one repeat of the
    /// last packet is a legal duplicate (dropped), anything else is a gap. discontinuity_indicator resets it.
    /// Takes the header's fields, not the header: passed whole, it was built in memory for every packet.
    @inline(__always)
    private mutating func checkContinuity(pid: Int, counter cc: UInt8, discontinuity: Bool) -> Continuity {
        let last = continuity[pid]
        continuity[pid] = cc
        if last == 0xFF || discontinuity { return .next }
        let lastCC = last & 0x0F
        if cc == (lastCC + 1) & 0x0F { return .next }
        if cc == lastCC && last & Self.duplicateSeen == 0 {
            continuity[pid] = cc | Self.duplicateSeen
            return .duplicate
        }
        return .gap
    }

    private mutating func countPCR(pid: Int, base: Int64, extension: Int64, discontinuity: Bool) {
        context.stats.pcrCount += 1
        var clock = pcrClocks[pid] ?? TimestampUnwrapper()
        let pcr = clock.unwrap(base) * TSPacket.pcrTicksPer90kHz + `extension`
        pcrClocks[pid] = clock
        if let last = context.stats.lastPCR[pid], discontinuity || pcr < last || pcr - last > 27_000_000 {
            context.stats.pcrDiscontinuities += 1
        }
        context.stats.lastPCR[pid] = pcr
    }

    private mutating func readPSI(_ payload: UnsafeRawBufferPointer, at index: Int, unitStart: Bool) {
        let pid = psi[index].pid
        var assembler = PSISectionAssembler()
        swap(&assembler, &psi[index].assembler)
        var changed = false
        context.stats.crcErrors += assembler.feed(payload, unitStart: unitStart) { section in
            do {
                if try table.apply(section: section, pid: pid) { changed = true }
            } catch {
                context.stats.psiErrors += 1
            }
        }
        swap(&assembler, &psi[index].assembler)
        if changed { reconcileTracks() }
    }

    /// Brings the track table in line with the selected streams after a PAT or PMT change.
    private mutating func reconcileTracks() {
        var newStreams: [PESStream] = []
        var ids: [Int: Int] = [:]
        for s in table.selectedStreams(options) {
            guard let codec = s.codec else { continue }
            if let i = streams.firstIndex(where: { $0.pid == s.pid }), Self.sameFamily(streams[i].track.codec, codec) {
                var stream = streams[i]
                stream.track.language = s.language
                newStreams.append(stream)
            } else {
                var track = Track(id: nextTrackID, codec: codec)
                nextTrackID += 1
                track.language = s.language
                newStreams.append(PESStream(pid: s.pid, track: track))
            }
            ids[s.pid] = newStreams[newStreams.count - 1].track.id
        }
        for old in streams where !newStreams.contains(where: { $0.track.id == old.track.id }) {
            context.normalizer.remove(track: old.track.id)
        }
        streams = newStreams
        table.setTrackIDs(ids)
        rebuildRoutes()
    }

    /// MPEG audio is announced as one stream type for MP2 and MP3; the frames tell which.
    private static func sameFamily(_ a: Codec, _ b: Codec) -> Bool {
        a == b || (a == .mp2 || a == .mp3) && (b == .mp2 || b == .mp3)
    }

    private mutating func rebuildRoutes() {
        for i in route.indices where route[i] != 0 { route[i] = 0 }
        for (i, s) in streams.enumerated() { route[s.pid] = Int32(i + 1) }
        var kept: [(pid: Int, assembler: PSISectionAssembler)] = []
        for pid in table.psiPIDs {
            kept.append(psi.first { $0.pid == pid } ?? (pid, PSISectionAssembler()))
            route[pid] = -Int32(kept.count)
        }
        psi = kept
    }
}
