internal import CAVCodec

/// FFmpeg's functions as this module calls them: loaded once per process, at the first transcoding chain, by
/// `cavcodec_load` (FFmpeg is opened at run time rather than linked: see Sources/CAVCodec/shim.h).
enum LibAV {
    static let functions = Result<cavcodec_functions, LibAVError> { () throws(LibAVError) in
        var error: UnsafePointer<CChar>?
        guard let table = cavcodec_load(&error) else {
            throw LibAVError("loading FFmpeg's libraries", reason: error.map { String(cString: $0) } ?? "?")
        }
        return table.pointee
    }
}
