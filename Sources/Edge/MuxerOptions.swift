import Config
import Media

/// The MPEG-TS muxer settings of a stream's outputs (HLS segments, HTTP MPEG-TS): `mpegts_pids`, `provider`,
/// `meta program_id`. The config's `tN` entries are text (subtitle) tracks, which Sluice does not carry yet, so they
/// place nothing.
enum MuxerOptions {
    static func of(_ stream: StreamConfig) -> TSMuxer.Options {
        let settings = stream.settings
        var options = TSMuxer.Options()
        if let pids = settings.mpegtsPids {
            options.layout = TSPIDLayout(pmt: pids.pmt, sdt: pids.sdt, video: pids.video, audio: pids.audio)
        }
        if let number = settings.meta.last(where: { $0.key == "program_id" }).flatMap({ Int($0.value) }),
           (1...65535).contains(number) {
            options.programNumber = number
        }
        if let provider = settings.provider { options.provider = provider }
        options.serviceName = stream.name
        return options
    }
}
