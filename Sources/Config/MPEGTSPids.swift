/// `mpegts_pids pmt=N sdt=N vN=PID aN=PID tN=PID;`: the PIDs of outgoing MPEG-TS.
///
/// Tracks are numbered from 1 per type (video, audio, text); index 0 sets a base, so `a0=100` gives the first audio
/// track PID 101, the second 102, and so on. PIDs are 16...8190 (a base 15...8189).
public struct MPEGTSPids: Hashable, Sendable {
    public var pmt: Int?
    public var sdt: Int?
    /// Track index (0 = base) to PID.
    public var video: [Int: Int]
    public var audio: [Int: Int]
    public var text: [Int: Int]

    public init(pmt: Int? = nil, sdt: Int? = nil, video: [Int: Int] = [:], audio: [Int: Int] = [:], text: [Int: Int] = [:]) {
        self.pmt = pmt
        self.sdt = sdt
        self.video = video
        self.audio = audio
        self.text = text
    }

    /// The PID of the `number`th (1-based) track of a type, from its own entry or from the base; nil if not set.
    public static func pid(in table: [Int: Int], track number: Int) -> Int? {
        table[number] ?? table[0].map { $0 + number }
    }
}
