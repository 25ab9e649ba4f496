internal import CAVCodec

/// FFmpeg's libraries, loaded on first use rather than linked (Sources/CAVCodec/include/CAVCodec.h says why): every
/// type that calls them loads them first.
enum LibAV {
    /// Loads them, once per process; throws dlopen's or dlsym's reason when they cannot be.
    static func load() throws {
        var error = [CChar](repeating: 0, count: 512)
        guard cavcodec_load(&error, error.count) != 0 else { return }
        throw LibAVError("loading FFmpeg's libraries", reason: text(error))
    }

    /// A C library's NUL-terminated text in `buffer`.
    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
