/// The body of the Program Map Table (ISO/IEC 13818-1 2.4.4.8): the PCR PID and, per elementary stream, its
/// stream_type, PID, and descriptors: registration (0x05) where the codec needs one, ISO 639 language (0x0A)
/// when the track has a language.
enum PMTWriter {

    /// One elementary stream of the program.
    struct Entry: Hashable, Sendable {
        var type: TSStreamType
        var pid: Int
        /// Three-letter ISO 639-2 code; other lengths are not written.
        var language: String?
    }

    static func body(pcrPID: Int, entries: [Entry]) -> [UInt8] {
        var out: [UInt8] = [0xE0 | UInt8(truncatingIfNeeded: pcrPID >> 8), UInt8(truncatingIfNeeded: pcrPID), 0xF0, 0x00]
        for entry in entries {
            var info: [UInt8] = []
            if let format = entry.type.registration {
                info += [0x05, UInt8(format.count)] + format
            }
            if let language = entry.language, language.utf8.count == 3 {
                // audio_type 0: undefined.
                info += [0x0A, 4] + Array(language.utf8) + [0]
            }
            out += [entry.type.streamType,
                    0xE0 | UInt8(truncatingIfNeeded: entry.pid >> 8), UInt8(truncatingIfNeeded: entry.pid),
                    0xF0 | UInt8(info.count >> 8), UInt8(info.count & 0xFF)]
            out += info
        }
        return out
    }
}
