import CAVCodec
import Testing
@testable import Transcode

/// libavcodec's own codecs, as the tests' independent reference: `pcm_alaw` and `pcm_mulaw` make and read G.711,
/// `aac` decodes what the transcoder made.
enum LibAVCodecs {
    /// G.711 codes for 16-bit mono samples at `rate`, from libavcodec's `pcm_alaw` or `pcm_mulaw` encoder.
    static func encodeG711(_ samples: [Int16], aLaw: Bool, rate: Int = 8000) throws -> [UInt8] {
        let codec = try #require(avcodec_find_encoder_by_name(aLaw ? "pcm_alaw" : "pcm_mulaw"))
        var context = avcodec_alloc_context3(codec)
        defer { avcodec_free_context(&context) }
        let c = try #require(context)
        c.pointee.sample_fmt = AV_SAMPLE_FMT_S16
        c.pointee.sample_rate = Int32(rate)
        av_channel_layout_default(&c.pointee.ch_layout, 1)
        c.pointee.time_base = AVRational(num: 1, den: Int32(rate))
        try LibAVError.check("avcodec_open2", avcodec_open2(c, codec, nil))
        var frame = av_frame_alloc()
        defer { av_frame_free(&frame) }
        let f = try #require(frame)
        f.pointee.format = AV_SAMPLE_FMT_S16.rawValue
        f.pointee.nb_samples = Int32(samples.count)
        try LibAVError.check("av_channel_layout_copy", av_channel_layout_copy(&f.pointee.ch_layout, &c.pointee.ch_layout))
        try LibAVError.check("av_frame_get_buffer", av_frame_get_buffer(f, 0))
        samples.withUnsafeBytes { UnsafeMutableRawPointer(f.pointee.data.0!).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        try LibAVError.check("avcodec_send_frame", avcodec_send_frame(c, f))
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        let p = try #require(packet)
        try LibAVError.check("avcodec_receive_packet", avcodec_receive_packet(c, p))
        return Array(UnsafeBufferPointer(start: p.pointee.data, count: Int(p.pointee.size)))
    }

    /// The samples for G.711 codes, from libavcodec's `pcm_alaw` or `pcm_mulaw` decoder.
    static func decodeG711(_ codes: [UInt8], aLaw: Bool) throws -> [Int16] {
        let decoded = try decode(aLaw ? "pcm_alaw" : "pcm_mulaw", packets: [codes], extradata: nil) { c in
            c.pointee.sample_rate = 8000
            av_channel_layout_default(&c.pointee.ch_layout, 1)
        }
        #expect(decoded.format == AV_SAMPLE_FMT_S16)
        return decoded.bytes.withUnsafeBytes { Array($0.bindMemory(to: Int16.self)) }
    }

    /// What libavcodec's `aac` decoder, configured by the AudioSpecificConfig `config`, makes of raw AAC frames: the
    /// first channel's samples, and the rate and channel count it decoded.
    static func decodeAAC(_ frames: [[UInt8]], config: [UInt8]) throws -> (samples: [Float], sampleRate: Int, channels: Int) {
        let decoded = try decode("aac", packets: frames, extradata: config) { _ in }
        #expect(decoded.format == AV_SAMPLE_FMT_FLTP)
        return (decoded.bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }, decoded.sampleRate, decoded.channels)
    }

    /// Decodes `packets` (and drains the decoder); returns the first plane's bytes of every frame, concatenated.
    private static func decode(_ name: String, packets: [[UInt8]], extradata: [UInt8]?,
                               configure: (UnsafeMutablePointer<AVCodecContext>) -> Void)
        throws -> (bytes: [UInt8], format: AVSampleFormat, sampleRate: Int, channels: Int) {
        let codec = try #require(avcodec_find_decoder_by_name(name))
        var context = avcodec_alloc_context3(codec)
        defer { avcodec_free_context(&context) }
        let c = try #require(context)
        configure(c)
        if let extradata {
            // libavcodec frees extradata with av_free and reads up to AV_INPUT_BUFFER_PADDING_SIZE past its end.
            let buffer = try #require(av_mallocz(extradata.count + Int(AV_INPUT_BUFFER_PADDING_SIZE)))
            buffer.copyMemory(from: extradata, byteCount: extradata.count)
            c.pointee.extradata = buffer.assumingMemoryBound(to: UInt8.self)
            c.pointee.extradata_size = Int32(extradata.count)
        }
        try LibAVError.check("avcodec_open2 (\(name))", avcodec_open2(c, codec, nil))
        var packet = av_packet_alloc(), frame = av_frame_alloc()
        defer {
            av_packet_free(&packet)
            av_frame_free(&frame)
        }
        let p = try #require(packet), f = try #require(frame)
        var bytes: [UInt8] = []
        func receive() throws {
            while true {
                let result = avcodec_receive_frame(c, f)
                if result == cavcodec_error_again() || result == cavcodec_error_eof() { return }
                try LibAVError.check("avcodec_receive_frame (\(name))", result)
                let size = Int(f.pointee.nb_samples) * Int(av_get_bytes_per_sample(AVSampleFormat(f.pointee.format)))
                    * (av_sample_fmt_is_planar(AVSampleFormat(f.pointee.format)) != 0 ? 1 : Int(f.pointee.ch_layout.nb_channels))
                bytes += UnsafeRawBufferPointer(start: f.pointee.data.0, count: size)
                av_frame_unref(f)
            }
        }
        for payload in packets {
            try LibAVError.check("av_new_packet", av_new_packet(p, Int32(payload.count)))
            payload.withUnsafeBytes { UnsafeMutableRawPointer(p.pointee.data!).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            try LibAVError.check("avcodec_send_packet (\(name))", avcodec_send_packet(c, p))
            av_packet_unref(p)
            try receive()
        }
        try LibAVError.check("avcodec_send_packet (\(name), drain)", avcodec_send_packet(c, nil))
        try receive()
        return (bytes, c.pointee.sample_fmt, Int(c.pointee.sample_rate), Int(c.pointee.ch_layout.nb_channels))
    }
}
