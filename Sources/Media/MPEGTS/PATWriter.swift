/// The body of the Program Association Table of a single-program output stream (ISO/IEC 13818-1 2.4.4.3):
/// one entry mapping `programNumber` to the PMT's PID.
enum PATWriter {
    /// transport_stream_id of every Sluice output (ffmpeg's default too); it goes in the PAT and the SDT.
    static let transportStreamID = 1

    static func body(programNumber: Int, pmtPID: Int) -> [UInt8] {
        [UInt8(truncatingIfNeeded: programNumber >> 8), UInt8(truncatingIfNeeded: programNumber),
         0xE0 | UInt8(truncatingIfNeeded: pmtPID >> 8), UInt8(truncatingIfNeeded: pmtPID)]
    }
}
