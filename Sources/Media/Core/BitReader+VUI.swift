extension BitReader {
    /// Skips the fields H.264 (E.1.1) and H.265 (E.2.1) VUI parameters both begin with: aspect ratio, overscan,
    /// video signal type and chroma sample location. What follows differs per codec.
    mutating func skipVUIDisplayFields() throws {
        if try bit() {  // aspect_ratio_info_present_flag
            if try int(8) == 255 { try skip(32) }  // Extended_SAR: sar_width, sar_height
        }
        if try bit() { try skip(1) }  // overscan_info_present_flag, overscan_appropriate_flag
        if try bit() {  // video_signal_type_present_flag
            try skip(4)  // video_format, video_full_range_flag
            if try bit() { try skip(24) }  // colour_description_present_flag: primaries, transfer, matrix
        }
        if try bit() {  // chroma_loc_info_present_flag
            _ = try ue()
            _ = try ue()
        }
    }
}
