/// An H.265 sequence parameter set (ITU-T H.265 7.3.2.2), read as far as the VUI timing information: what a
/// packager needs to describe the track (the general profile, tier and level, size, frame rate) and to build
/// an hvcC record.
///
/// Reads profile_tier_level with its sub-layers, the conformance window, scaling lists, short-term reference
/// picture sets (with inter-set prediction) and long-term references to reach the VUI. Fields after the VUI
/// timing (HRD, bitstream restrictions, extensions) are not read. Multi-layer SPSs (nuh_layer_id > 0) are
/// refused.
public struct H265SPS: Hashable, Sendable {
    /// general_profile_space (0 in every profile defined so far).
    public var profileSpace: Int
    /// general_tier_flag: false for the Main tier, true for the High tier.
    public var tierFlag: Bool
    /// general_profile_idc: 1 Main, 2 Main 10, 3 Main Still Picture, 4 range extensions...
    public var profile: Int
    /// general_profile_compatibility_flag[0...31] as read: flag j is bit 31 - j.
    public var compatibilityFlags: UInt32
    /// The 48 bits from general_progressive_source_flag up to general_inbld_flag / reserved bit, in the low bits.
    public var constraintIndicatorFlags: UInt64
    /// general_level_idc: thirty times the level number (93 = level 3.1).
    public var level: Int
    public var spsID: Int
    /// sps_max_sub_layers_minus1 + 1 (temporal layers).
    public var maxSubLayers: Int
    public var temporalIDNesting: Bool
    /// chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4.
    public var chromaFormat: Int
    /// Luma bit depth.
    public var bitDepth: Int
    public var bitDepthChroma: Int
    /// Picture size in pixels, with the conformance window applied (the VUI default display window is not).
    public var width: Int
    public var height: Int
    /// Pictures per second from the VUI timing information (vui_time_scale / vui_num_units_in_tick), if
    /// signalled. With field_seq_flag set, pictures are fields.
    public var frameRate: Double?

    private static let what = "H.265 SPS"
    /// Largest picture side: level 6.2 allows sqrt(8 * 35_651_584) = 16888 luma samples.
    private static let maxSide = 16888

    /// Parses an SPS NAL unit: its 2-byte header included, emulation prevention bytes still in.
    public init(parsing nal: [UInt8]) throws {
        let what = Self.what
        guard nal.count >= 2 else { throw MediaError(what, "NAL unit of \(nal.count) bytes") }
        guard H265.nalType(nal[0]) == H265.sps else {
            throw MediaError(what, "NAL unit type \(H265.nalType(nal[0])) is not an SPS (33)")
        }
        let layer = Int(nal[0] & 1) << 5 | Int(nal[1] >> 3)
        guard layer == 0 else { throw MediaError(what, "nuh_layer_id \(layer): multi-layer SPS not supported") }
        var r = BitReader(AnnexB.removeEmulationPrevention(Array(nal.dropFirst(2))), what: what)

        try r.skip(4)  // sps_video_parameter_set_id
        maxSubLayers = 1 + (try r.int(3))
        guard maxSubLayers <= 7 else { throw MediaError(what, "sps_max_sub_layers_minus1 7 (reserved)") }
        temporalIDNesting = try r.bit()

        // profile_tier_level(1, sps_max_sub_layers_minus1), 7.3.3
        profileSpace = try r.int(2)
        tierFlag = try r.bit()
        profile = try r.int(5)
        compatibilityFlags = UInt32(try r.bits(32))
        constraintIndicatorFlags = try r.bits(48)
        level = try r.int(8)
        var subLayerPresence: [(profile: Bool, level: Bool)] = []
        for _ in 1..<maxSubLayers { subLayerPresence.append((try r.bit(), try r.bit())) }
        if maxSubLayers > 1 { try r.skip(2 * (9 - maxSubLayers)) }  // reserved_zero_2bits up to 8 entries
        for presence in subLayerPresence {
            if presence.profile { try r.skip(88) }  // sub-layer profile space ... reserved bits
            if presence.level { try r.skip(8) }  // sub_layer_level_idc
        }

        spsID = try r.ue("sps_seq_parameter_set_id", in: 0...15, of: what)
        chromaFormat = try r.ue("chroma_format_idc", in: 0...3, of: what)
        let separateColourPlanes = chromaFormat == 3 ? try r.bit() : false
        let codedWidth = try r.ue("pic_width_in_luma_samples", in: 1...Self.maxSide, of: what)
        let codedHeight = try r.ue("pic_height_in_luma_samples", in: 1...Self.maxSide, of: what)
        // Conformance window offsets count in chroma samples (7-2, 7-3, table 6-1).
        let chromaArrayType = separateColourPlanes ? 0 : chromaFormat
        let subWidth = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1
        let subHeight = chromaArrayType == 1 ? 2 : 1
        var window = (left: 0, right: 0, top: 0, bottom: 0)
        if try r.bit() {  // conformance_window_flag
            window = (try r.ue(), try r.ue(), try r.ue(), try r.ue())
        }
        width = codedWidth - subWidth * (window.left + window.right)
        height = codedHeight - subHeight * (window.top + window.bottom)
        guard width > 0 && height > 0 else {
            throw MediaError(what, "conformance window \(window) leaves nothing of \(codedWidth)x\(codedHeight)")
        }
        bitDepth = 8 + (try r.ue("bit_depth_luma_minus8", in: 0...8, of: what))
        bitDepthChroma = 8 + (try r.ue("bit_depth_chroma_minus8", in: 0...8, of: what))
        let log2MaxPOCLsb = 4 + (try r.ue("log2_max_pic_order_cnt_lsb_minus4", in: 0...12, of: what))

        let orderingInfoForAll = try r.bit()  // sps_sub_layer_ordering_info_present_flag
        for _ in (orderingInfoForAll ? 0 : maxSubLayers - 1)..<maxSubLayers {
            _ = try r.ue()  // sps_max_dec_pic_buffering_minus1
            _ = try r.ue()  // sps_max_num_reorder_pics
            _ = try r.ue()  // sps_max_latency_increase_plus1
        }
        _ = try r.ue()  // log2_min_luma_coding_block_size_minus3
        _ = try r.ue()  // log2_diff_max_min_luma_coding_block_size
        _ = try r.ue()  // log2_min_luma_transform_block_size_minus2
        _ = try r.ue()  // log2_diff_max_min_luma_transform_block_size
        _ = try r.ue()  // max_transform_hierarchy_depth_inter
        _ = try r.ue()  // max_transform_hierarchy_depth_intra
        if try r.bit(), try r.bit() {  // scaling_list_enabled_flag, sps_scaling_list_data_present_flag
            try Self.skipScalingListData(&r)
        }
        try r.skip(2)  // amp_enabled_flag, sample_adaptive_offset_enabled_flag
        if try r.bit() {  // pcm_enabled_flag
            try r.skip(8)  // pcm_sample_bit_depth_luma_minus1, pcm_sample_bit_depth_chroma_minus1
            _ = try r.ue()  // log2_min_pcm_luma_coding_block_size_minus3
            _ = try r.ue()  // log2_diff_max_min_pcm_luma_coding_block_size
            try r.skip(1)  // pcm_loop_filter_disabled_flag
        }
        let refPicSets = try r.ue("num_short_term_ref_pic_sets", in: 0...64, of: what)
        try H265ShortTermRefPicSets.skip(refPicSets, in: &r)
        if try r.bit() {  // long_term_ref_pics_present_flag
            let count = try r.ue("num_long_term_ref_pics_sps", in: 0...32, of: what)
            try r.skip(count * (log2MaxPOCLsb + 1))  // lt_ref_pic_poc_lsb_sps, used_by_curr_pic_lt_sps_flag
        }
        try r.skip(2)  // sps_temporal_mvp_enabled_flag, strong_intra_smoothing_enabled_flag

        frameRate = nil
        if try r.bit() { frameRate = try Self.vuiFrameRate(&r) }
    }

    /// scaling_list_data() (7.3.4): read only to get past it.
    private static func skipScalingListData(_ r: inout BitReader) throws {
        for sizeID in 0..<4 {
            for _ in stride(from: 0, to: 6, by: sizeID == 3 ? 3 : 1) {
                if try !r.bit() {  // scaling_list_pred_mode_flag
                    _ = try r.ue()  // scaling_list_pred_matrix_id_delta
                    continue
                }
                if sizeID > 1 { _ = try r.se() }  // scaling_list_dc_coef_minus8
                for _ in 0..<min(64, 1 << (4 + (sizeID << 1))) { _ = try r.se() }  // scaling_list_delta_coef
            }
        }
    }

    /// vui_parameters() (E.2.1) up to the timing information: the picture rate, or nil when timing is absent.
    private static func vuiFrameRate(_ r: inout BitReader) throws -> Double? {
        try r.skipVUIDisplayFields()
        try r.skip(3)  // neutral_chroma_indication_flag, field_seq_flag, frame_field_info_present_flag
        if try r.bit() {  // default_display_window_flag
            for _ in 0..<4 { _ = try r.ue() }
        }
        guard try r.bit() else { return nil }  // vui_timing_info_present_flag
        let unitsInTick = try r.bits(32)
        let timeScale = try r.bits(32)
        guard unitsInTick > 0 && timeScale > 0 else { return nil }
        return Double(timeScale) / Double(unitsInTick)
    }
}
