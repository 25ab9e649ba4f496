#if canImport(Glibc)
import Glibc
#endif
internal import CAVCodec
import Media

/// libavcodec's native AAC encoder (`aac`): AAC-LC, mono, frames of `frameLength` samples in, raw AAC frames out.
///
/// Each packet comes with its presentation position in samples on the encoder's own clock (the first input sample
/// is 0): the encoder primes with one frame, so the first packet stands at -1024, and a frame's packet comes out
/// when the frame two after it goes in.
///
/// The codec context, the input frame and the packet are allocated once. libavcodec itself still makes about four
/// small allocations per frame (a reference to the frame, the packet's reference-counted buffer), which its API
/// gives no way to avoid. The encoder's state is about 1.4 MB.
final class AACEncoder {
    static let frameLength = 1024

    let sampleRate: Int
    let bitRate: Int
    /// The encoder's AudioSpecificConfig (its extradata).
    let audioConfig: AudioSpecificConfig
    private let av: cavcodec_functions
    private var context: UnsafeMutablePointer<AVCodecContext>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    /// Position of the next input frame's first sample.
    private var nextPosition: Int64 = 0

    init(sampleRate: Int, bitRate: Int) throws {
        let av = try LibAV.functions.get()
        self.av = av
        self.sampleRate = sampleRate
        self.bitRate = bitRate
        guard let codec = av.avcodec_find_encoder_by_name("aac") else {
            throw LibAVError("avcodec_find_encoder_by_name", reason: "this libavcodec has no aac encoder")
        }
        var allocated = (context: av.avcodec_alloc_context3(codec), frame: av.av_frame_alloc(),
                         packet: av.av_packet_alloc())
        var opened = false
        defer { if !opened { Self.free(av, &allocated.context, &allocated.frame, &allocated.packet) } }
        guard let context = allocated.context, let frame = allocated.frame, let packet = allocated.packet else {
            throw LibAVError("avcodec_alloc_context3", code: -ENOMEM)
        }
        context.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        context.pointee.sample_rate = Int32(sampleRate)
        av.av_channel_layout_default(&context.pointee.ch_layout, 1)
        context.pointee.bit_rate = Int64(bitRate)
        context.pointee.time_base = AVRational(num: 1, den: Int32(sampleRate))
        context.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER  // the AudioSpecificConfig as extradata, not in band
        try LibAVError.check("avcodec_open2 (aac, \(sampleRate) Hz mono, \(bitRate) bit/s)",
                             av.avcodec_open2(context, codec, nil))
        guard context.pointee.frame_size == Int32(Self.frameLength), let extradata = context.pointee.extradata,
              context.pointee.extradata_size >= 2 else {
            throw LibAVError("avcodec_open2", reason: "the aac encoder wants frames of \(context.pointee.frame_size) samples"
                                                      + " or gave no AudioSpecificConfig")
        }
        audioConfig = try AudioSpecificConfig(parsing: Array(UnsafeBufferPointer(start: extradata,
                                                                                  count: Int(context.pointee.extradata_size))))
        frame.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        frame.pointee.nb_samples = Int32(Self.frameLength)
        try LibAVError.check("av_channel_layout_copy",
                             av.av_channel_layout_copy(&frame.pointee.ch_layout, &context.pointee.ch_layout))
        try LibAVError.check("av_frame_get_buffer", av.av_frame_get_buffer(frame, 0))
        self.context = context
        self.frame = frame
        self.packet = packet
        opened = true
    }

    deinit { Self.free(av, &context, &frame, &packet) }

    private static func free(_ av: cavcodec_functions, _ context: inout UnsafeMutablePointer<AVCodecContext>?,
                             _ frame: inout UnsafeMutablePointer<AVFrame>?, _ packet: inout UnsafeMutablePointer<AVPacket>?) {
        av.av_packet_free(&packet)
        av.av_frame_free(&frame)
        av.avcodec_free_context(&context)
    }

    /// Encodes the `frameLength` samples at `samples`; hands `emit` every packet the encoder has ready (none, one,
    /// or more), with its position, its bytes valid only during the call.
    func encode(_ samples: UnsafePointer<Float>, emit: (Int64, UnsafeRawBufferPointer) throws -> Void) throws {
        guard let context, let frame, let packet else { return }
        // The encoder let go of the previous frame's buffer when its packets were received: no copy is made here.
        try LibAVError.check("av_frame_make_writable", av.av_frame_make_writable(frame))
        UnsafeMutableRawPointer(frame.pointee.data.0!).copyMemory(from: samples,
                                                                  byteCount: Self.frameLength * MemoryLayout<Float>.size)
        frame.pointee.pts = nextPosition
        nextPosition += Int64(Self.frameLength)
        try LibAVError.check("avcodec_send_frame", av.avcodec_send_frame(context, frame))
        while true {
            let result = av.avcodec_receive_packet(context, packet)
            if result == cavcodec_error_again() || result == cavcodec_error_eof() { return }
            try LibAVError.check("avcodec_receive_packet", result)
            defer { av.av_packet_unref(packet) }
            try emit(packet.pointee.pts, UnsafeRawBufferPointer(start: packet.pointee.data, count: Int(packet.pointee.size)))
        }
    }
}
