internal import CAVCodec

/// Interleaved 16-bit samples at a source's rate and channel count to mono 32-bit float at another rate
/// (libswresample, its default polyphase filter; several channels are mixed down).
///
/// Its output is aligned with its input: output sample `k` stands for input time `k / outputRate` (measured: an
/// impulse at input sample 100 at 8 kHz comes out at sample 600 at 48 kHz). It holds back the filter's half length,
/// 16 input samples (2 ms at 8 kHz), until more input comes.
final class Resampler {
    let inputRate: Int
    let channels: Int
    let outputRate: Int
    private let av: cavcodec_functions
    private var context: OpaquePointer?

    init(inputRate: Int, channels: Int, outputRate: Int) throws {
        let av = try LibAV.functions.get()
        self.av = av
        self.inputRate = inputRate
        self.channels = channels
        self.outputRate = outputRate
        var input = AVChannelLayout(), output = AVChannelLayout()
        av.av_channel_layout_default(&input, Int32(channels))
        av.av_channel_layout_default(&output, 1)
        defer {
            av.av_channel_layout_uninit(&input)
            av.av_channel_layout_uninit(&output)
        }
        try LibAVError.check("swr_alloc_set_opts2", av.swr_alloc_set_opts2(
            &context, &output, AV_SAMPLE_FMT_FLT, Int32(outputRate), &input, AV_SAMPLE_FMT_S16, Int32(inputRate), 0, nil))
        try LibAVError.check("swr_init (\(inputRate) Hz, \(channels) channels to \(outputRate) Hz mono)",
                             av.swr_init(context))
    }

    deinit { av.swr_free(&context) }

    /// At most how many samples `convert` gives for `inputCount` more input samples.
    func maximumOutput(forInput inputCount: Int) -> Int {
        Int(av.swr_get_out_samples(context, Int32(inputCount)))
    }

    /// Converts `count` sample frames (`count * channels` values) into `output`; returns how many samples it wrote.
    /// What does not fit in `capacity` stays in the resampler for the next call.
    func convert(_ input: UnsafePointer<Int16>, count: Int, into output: UnsafeMutablePointer<Float>, capacity: Int) throws -> Int {
        var inputPlanes: UnsafePointer<UInt8>? = UnsafeRawPointer(input).assumingMemoryBound(to: UInt8.self)
        var outputPlanes: UnsafeMutablePointer<UInt8>? = UnsafeMutableRawPointer(output).assumingMemoryBound(to: UInt8.self)
        return Int(try LibAVError.check("swr_convert", av.swr_convert(context, &outputPlanes, Int32(capacity),
                                                                            &inputPlanes, Int32(count))))
    }
}
