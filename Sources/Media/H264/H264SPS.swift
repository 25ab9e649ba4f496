/// An H.264 sequence parameter set (ISO/IEC 14496-10 7.3.2.1.1), read as far as the VUI timing information:
/// what a packager needs to describe the track (profile, level, size, frame rate) and to build an avcC record.
///
/// Handles the high profiles (chroma format, bit depth, scaling lists), all three picture order count types,
/// field coding (frame_mbs_only_flag 0) and frame cropping. Fields after the VUI timing (HRD, bitstream
/// restrictions) are not read, so an SPS truncated after them still parses.
public struct H264SPS: Hashable, Sendable {
    /// profile_idc: 66 Baseline, 77 Main, 100 High, 110 High 10, 122 High 4:2:2, 244 High 4:4:4 Predictive...
    public var profile: Int
    /// The byte of constraint_set0...5 flags and reserved bits that follows profile_idc.
    public var constraintFlags: UInt8
    /// level_idc: ten times the level number (31 = level 3.1); 9 stands for level 1b.
    public var level: Int
    public var spsID: Int
    /// chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4.
    public var chromaFormat: Int
    /// Luma bit depth.
    public var bitDepth: Int
    public var bitDepthChroma: Int
    /// pic_order_cnt_type (0, 1 or 2).
    public var pocType: Int
    /// False when pictures may be coded as fields (interlaced).
    public var frameMbsOnly: Bool
    /// Picture size in pixels, after frame cropping. Sizes are bounded by level 6.2 (at most 1056 macroblocks
    /// a side), so no arithmetic on them can overflow.
    public var width: Int
    public var height: Int
    /// Frames per second from the VUI timing information (time_scale / (2 * num_units_in_tick)), if signalled.
    /// For field-coded streams this counts frames, not fields.
    public var frameRate: Double?

    private static let what = "H.264 SPS"

    /// profile_idc values whose SPS carries chroma_format_idc, bit depths and scaling lists (144 is the withdrawn
    /// High 4:4:4 profile, still met in old streams).
    static let highProfiles: Set<Int> = [100, 110, 122, 144, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]

    /// Parses an SPS NAL unit: its 1-byte header included, emulation prevention bytes still in.
    public init(parsing nal: [UInt8]) throws {
        let what = Self.what
        guard let header = nal.first else { throw MediaError(what, "empty NAL unit") }
        guard H264.nalType(header) == H264.sps else {
            throw MediaError(what, "NAL unit type \(H264.nalType(header)) is not an SPS (7)")
        }
        var r = BitReader(AnnexB.removeEmulationPrevention(Array(nal.dropFirst())), what: what)
        profile = try r.int(8)
        constraintFlags = UInt8(try r.bits(8))
        level = try r.int(8)
        spsID = try r.ue("seq_parameter_set_id", in: 0...31, of: what)

        var separateColourPlanes = false
        if Self.highProfiles.contains(profile) {
            chromaFormat = try r.ue("chroma_format_idc", in: 0...3, of: what)
            if chromaFormat == 3 { separateColourPlanes = try r.bit() }
            bitDepth = 8 + (try r.ue("bit_depth_luma_minus8", in: 0...6, of: what))
            bitDepthChroma = 8 + (try r.ue("bit_depth_chroma_minus8", in: 0...6, of: what))
            try r.skip(1)  // qpprime_y_zero_transform_bypass_flag
            if try r.bit() {  // seq_scaling_matrix_present_flag
                for i in 0..<(chromaFormat == 3 ? 12 : 8) {
                    if try r.bit() { try Self.skipScalingList(&r, size: i < 6 ? 16 : 64) }
                }
            }
        } else {
            chromaFormat = 1
            bitDepth = 8
            bitDepthChroma = 8
        }

        _ = try r.ue("log2_max_frame_num_minus4", in: 0...12, of: what)
        pocType = try r.ue("pic_order_cnt_type", in: 0...2, of: what)
        if pocType == 0 {
            _ = try r.ue("log2_max_pic_order_cnt_lsb_minus4", in: 0...12, of: what)
        } else if pocType == 1 {
            try r.skip(1)  // delta_pic_order_always_zero_flag
            _ = try r.se()  // offset_for_non_ref_pic
            _ = try r.se()  // offset_for_top_to_bottom_field
            let cycle = try r.ue("num_ref_frames_in_pic_order_cnt_cycle", in: 0...255, of: what)
            for _ in 0..<cycle { _ = try r.se() }
        }
        _ = try r.ue()  // max_num_ref_frames
        try r.skip(1)  // gaps_in_frame_num_value_allowed_flag
        let widthInMbs = 1 + (try r.ue("pic_width_in_mbs_minus1", in: 0...1055, of: what))
        let heightInMapUnits = 1 + (try r.ue("pic_height_in_map_units_minus1", in: 0...1055, of: what))
        frameMbsOnly = try r.bit()
        if !frameMbsOnly { try r.skip(1) }  // mb_adaptive_frame_field_flag
        try r.skip(1)  // direct_8x8_inference_flag

        // Crop offsets count in chroma samples (and in field pairs when field coding is allowed), 7.4.2.1.1.
        let chromaArrayType = separateColourPlanes ? 0 : chromaFormat
        let cropUnitX = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1
        let cropUnitY = (chromaArrayType == 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2)
        let codedWidth = widthInMbs * 16
        let codedHeight = heightInMapUnits * 16 * (frameMbsOnly ? 1 : 2)
        var crop = (left: 0, right: 0, top: 0, bottom: 0)
        if try r.bit() {  // frame_cropping_flag
            crop = (try r.ue(), try r.ue(), try r.ue(), try r.ue())
        }
        width = codedWidth - cropUnitX * (crop.left + crop.right)
        height = codedHeight - cropUnitY * (crop.top + crop.bottom)
        guard width > 0 && height > 0 else {
            throw MediaError(what, "frame cropping \(crop) leaves nothing of \(codedWidth)x\(codedHeight)")
        }

        frameRate = nil
        if try r.bit() { frameRate = try Self.vuiFrameRate(&r) }
    }

    /// scaling_list() (7.3.2.1.1.1): read only to get past it; Sluice does not decode pictures.
    private static func skipScalingList(_ r: inout BitReader, size: Int) throws {
        var last = 8
        var next = 8
        for _ in 0..<size {
            if next != 0 {
                let delta = try r.se()
                guard (-128...127).contains(delta) else {
                    throw MediaError(what, "delta_scale \(delta) outside -128...127")
                }
                next = (last + delta + 256) % 256
            }
            if next != 0 { last = next }
        }
    }

    /// vui_parameters() (E.1.1) up to timing_info: the frame rate, or nil when timing is absent or zero.
    private static func vuiFrameRate(_ r: inout BitReader) throws -> Double? {
        try r.skipVUIDisplayFields()
        guard try r.bit() else { return nil }  // timing_info_present_flag
        let unitsInTick = try r.bits(32)
        let timeScale = try r.bits(32)
        guard unitsInTick > 0 && timeScale > 0 else { return nil }
        return Double(timeScale) / (2 * Double(unitsInTick))
    }
}
