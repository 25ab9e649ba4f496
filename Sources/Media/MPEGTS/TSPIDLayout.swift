/// The PIDs of an output MPEG-TS stream: the `mpegts_pids` option of a stream
/// (`mpegts_pids pmt=4095 sdt=0x12 v1=211 v2=212 a0=220 t0=16#fb;`), as numbers the config module parsed.
///
/// Tracks are numbered from 1: `vN` is the Nth video track, `aN` the Nth audio track, `tN` the Nth track of the
/// output stream whatever its kind (counted in the order of the track table, over the tracks MPEG-TS carries).
/// Key 0 is a base: `t0=100` gives the first track PID 101, the second 102; `a0=220` gives the first audio
/// track 221.
///
/// A track's PID is, in order of precedence: its explicit `vN`/`aN`, its `tN`, the `v0`/`a0` base plus its
/// index within its kind, the `t0` base plus its overall index, and by default 0x100 for the first track, 0x101
/// for the second... (as ffmpeg numbers them). The PMT defaults to 0x1000 (ffmpeg's) and the SDT to 0x11
/// (DVB's). Every PID must lie in 0x10...0x1FFE and no two may collide; `pids(for:)` says which do.
///
/// Caveat: receivers, and ffmpeg, look for the SDT on 0x11 only. An SDT moved elsewhere (the seed's example puts
/// it on 0x12, DVB's EIT PID, which ffmpeg then reads as an EPG stream) hides the provider and service names.
public struct TSPIDLayout: Hashable, Sendable {
    public var pmt: Int?
    public var sdt: Int?
    /// Video track number (from 1) to PID; key 0 is the base of video tracks.
    public var video: [Int: Int]
    /// Audio track number (from 1) to PID; key 0 is the base of audio tracks.
    public var audio: [Int: Int]
    /// Track number (from 1, any kind) to PID; key 0 is the base of all tracks.
    public var track: [Int: Int]

    public static let defaultPMT = 0x1000
    public static let defaultSDT = TSPacket.sdtPID
    /// The PID of the first track when nothing else is given: the one ffmpeg uses.
    public static let defaultFirstTrack = 0x100
    /// The PIDs a table or an elementary stream may use: below are PAT, CAT and reserved PIDs, above the null PID.
    public static let usablePIDs = 0x10...0x1FFE

    public init(pmt: Int? = nil, sdt: Int? = nil, video: [Int: Int] = [:], audio: [Int: Int] = [:], track: [Int: Int] = [:]) {
        self.pmt = pmt
        self.sdt = sdt
        self.video = video
        self.audio = audio
        self.track = track
    }

    public var pmtPID: Int { pmt ?? Self.defaultPMT }
    public var sdtPID: Int { sdt ?? Self.defaultSDT }

    /// The PID of each track of the output stream (in order), with the PMT and SDT PIDs checked too.
    /// Throws when a number is out of range, a key is negative, or two users share a PID.
    public func pids(for tracks: [Track]) throws -> [Int] { try pids(forKinds: tracks.map(\.kind)) }

    /// The PID of each track of the output stream, given by kind.
    public func pids(forKinds kinds: [Codec.Kind]) throws -> [Int] {
        try checkKeys(video, "v")
        try checkKeys(audio, "a")
        try checkKeys(track, "t")
        var users: [Int: String] = [:]
        try claim(pmtPID, by: "the PMT", in: &users)
        try claim(sdtPID, by: "the SDT", in: &users)
        var videoCount = 0
        var audioCount = 0
        var result: [Int] = []
        result.reserveCapacity(kinds.count)
        for (i, kind) in kinds.enumerated() {
            let overall = i + 1
            let within: Int
            let byKind: [Int: Int]
            let letter: String
            switch kind {
            case .video: videoCount += 1; within = videoCount; byKind = video; letter = "v"
            case .audio: audioCount += 1; within = audioCount; byKind = audio; letter = "a"
            }
            let pid: Int
            if let explicit = byKind[within] {
                pid = explicit
            } else if let explicit = track[overall] {
                pid = explicit
            } else if let base = byKind[0] {
                pid = base + within
            } else if let base = track[0] {
                pid = base + overall
            } else {
                pid = Self.defaultFirstTrack - 1 + overall
            }
            try claim(pid, by: "track \(overall) (\(letter)\(within))", in: &users)
            result.append(pid)
        }
        return result
    }

    private func checkKeys(_ map: [Int: Int], _ letter: String) throws {
        if let bad = map.keys.first(where: { $0 < 0 }) {
            throw MediaError("mpegts_pids", "\(letter)\(bad): track numbers start at 1 (0 is the base)")
        }
    }

    private func claim(_ pid: Int, by user: String, in users: inout [Int: String]) throws {
        guard Self.usablePIDs.contains(pid) else {
            throw MediaError("mpegts_pids", "PID \(pid) for \(user) is outside 16...8190 (0x10...0x1FFE)")
        }
        if let other = users[pid] {
            throw MediaError("mpegts_pids", "PID \(pid) (0x\(String(pid, radix: 16))) is given to both \(other) and \(user)")
        }
        users[pid] = user
    }
}
