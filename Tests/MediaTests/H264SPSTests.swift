import Testing
@testable import Media
import TestSupport

@Suite struct H264SPSTests {
    private func sps(_ fixture: String) throws -> H264SPS {
        try H264SPS(parsing: try Fixture.firstNAL(fixture, type: H264.nalType, H264.sps))
    }

    @Test func nalTypes() {
        #expect(H264.nalType(0x67) == H264.sps)
        #expect(H264.nalType(0x68) == H264.pps)
        #expect(H264.nalType(0x65) == H264.idr)
        #expect(H264.nalType(0x41) == H264.slice)
        #expect(H264.nalType(0x09) == H264.aud)
        #expect(H264.nalType(0x06) == H264.sei)
        #expect(H264.isSlice(H264.idr) && H264.isSlice(H264.slice) && !H264.isSlice(H264.sps))
    }

    // Expected values are what ffprobe reports for the fixtures (see scripts/make-fixtures.sh).
    @Test func highProfile320x240() throws {
        let s = try sps("h264_high.h264")
        #expect(s.profile == 100 && s.level == 13 && s.spsID == 0)
        #expect(s.width == 320 && s.height == 240)
        #expect(s.chromaFormat == 1 && s.bitDepth == 8 && s.bitDepthChroma == 8)
        #expect(s.pocType == 0 && s.frameMbsOnly)
        #expect(s.frameRate == 25)
    }

    @Test func main1080pIsCropped() throws {
        let s = try sps("h264_1080.h264")
        #expect(s.profile == 77 && s.level == 40)
        #expect(s.width == 1920 && s.height == 1080)
        #expect(s.frameRate == 30000.0 / 1001.0)
    }

    @Test func high444TenBitWithPOCType2() throws {
        let s = try sps("h264_444_10bit.h264")
        #expect(s.profile == 244 && s.level == 21)
        #expect(s.chromaFormat == 3 && s.bitDepth == 10 && s.bitDepthChroma == 10)
        #expect(s.pocType == 2)
        #expect(s.width == 352 && s.height == 288)
        #expect(s.frameRate == 50)
    }

    @Test func interlacedCountsFieldPairs() throws {
        let s = try sps("h264_interlaced.h264")
        #expect(!s.frameMbsOnly)
        #expect(s.width == 720 && s.height == 576)
        #expect(s.frameRate == 25)
    }

    /// High profile with scaling lists, pic_order_cnt_type 1, field coding, cropping in field units and a VUI
    /// with every optional part before the timing. ffmpeg's trace_headers reads the same values from it.
    static func synthetic() -> [UInt8] {
        var w = SyntaxWriter()
        w.u(0x67, 8)
        w.u(100, 8); w.u(0, 8); w.u(41, 8)  // profile, constraint flags, level
        w.ue(3)  // seq_parameter_set_id
        w.ue(1); w.ue(0); w.ue(0)  // chroma_format_idc, bit depths
        w.flag(false)  // qpprime_y_zero_transform_bypass_flag
        w.flag(true)  // seq_scaling_matrix_present_flag
        for i in 0..<8 {
            w.flag(i == 0 || i == 6)
            if i == 0 { for d in [2, -1, 0, 5, -3, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1] { w.se(d) } }
            if i == 6 { w.se(-8) }  // next scale 0 at once: use the default list
        }
        w.ue(0)  // log2_max_frame_num_minus4
        w.ue(1)  // pic_order_cnt_type
        w.flag(false); w.se(-2); w.se(1)  // delta_pic_order_always_zero_flag, offsets
        w.ue(3); w.se(4); w.se(-4); w.se(2)  // num_ref_frames_in_pic_order_cnt_cycle and its offsets
        w.ue(4); w.flag(false)  // max_num_ref_frames, gaps_in_frame_num_value_allowed_flag
        w.ue(119); w.ue(33)  // 120 macroblocks wide, 34 map units (field pairs) high: 1920x1088
        w.flag(false); w.flag(true)  // frame_mbs_only_flag, mb_adaptive_frame_field_flag
        w.flag(true)  // direct_8x8_inference_flag
        w.flag(true); w.ue(0); w.ue(0); w.ue(0); w.ue(2)  // crop 2 * 4 lines at the bottom
        w.flag(true)  // vui_parameters_present_flag
        w.flag(true); w.u(255, 8); w.u(4, 16); w.u(3, 16)  // Extended_SAR 4:3
        w.flag(true); w.flag(true)  // overscan
        w.flag(true); w.u(5, 3); w.flag(false); w.flag(true); w.u(1, 8); w.u(1, 8); w.u(1, 8)
        w.flag(true); w.ue(1); w.ue(1)  // chroma_loc_info
        w.flag(true); w.u(1001, 32); w.u(60000, 32); w.flag(true)  // timing
        w.flag(false); w.flag(false); w.flag(false); w.flag(false)  // no HRD, pic_struct, restriction
        w.trailingBits()
        return addingEmulationPrevention(w.bytes)
    }

    @Test func syntheticHighProfileWithEverything() throws {
        let s = try H264SPS(parsing: Self.synthetic())
        #expect(s.profile == 100 && s.level == 41 && s.spsID == 3)
        #expect(s.pocType == 1 && !s.frameMbsOnly)
        #expect(s.width == 1920 && s.height == 1080)
        #expect(s.frameRate == 30000.0 / 1001.0)
    }

    @Test func emulationPreventionIsRemoved() throws {
        // Baseline 16x16 whose VUI timing (num_units_in_tick 1) holds zero bytes that need escaping.
        var w = SyntaxWriter()
        w.u(0x67, 8); w.u(66, 8); w.u(0xC0, 8); w.u(10, 8)
        w.ue(0); w.ue(0); w.ue(2); w.ue(1); w.flag(false)
        w.ue(0); w.ue(0); w.flag(true); w.flag(true); w.flag(false)
        w.flag(true); w.flag(false); w.flag(false); w.flag(false); w.flag(false)  // VUI: timing only
        w.flag(true); w.u(1, 32); w.u(50, 32); w.flag(true)
        w.flag(false); w.flag(false); w.flag(false); w.flag(false)
        w.trailingBits()
        let escaped = addingEmulationPrevention(w.bytes)
        #expect(escaped.count > w.bytes.count)
        let s = try H264SPS(parsing: escaped)
        #expect(s.width == 16 && s.height == 16 && s.profile == 66 && s.constraintFlags == 0xC0)
        #expect(s.frameRate == 25)
    }

    @Test func refusesWhatIsNotAnSPS() throws {
        #expect(throws: MediaError.self) { try H264SPS(parsing: []) }
        #expect(throws: MediaError.self) { try H264SPS(parsing: [0x68, 0xEE, 0x3C, 0x80]) }
        // Cropping more than the picture.
        var w = SyntaxWriter()
        w.u(0x67, 8); w.u(66, 8); w.u(0, 8); w.u(30, 8)
        w.ue(0); w.ue(0); w.ue(2); w.ue(0); w.flag(false)
        w.ue(0); w.ue(0); w.flag(true); w.flag(true); w.flag(true); w.ue(8); w.ue(0); w.ue(0); w.ue(0); w.flag(false)
        w.trailingBits()
        #expect(throws: MediaError.self) { try H264SPS(parsing: w.bytes) }
    }

    /// Every prefix of a real SPS either throws or, once it holds all the fields read, parses to the same values.
    @Test func truncatedSPSThrows() throws {
        for nal in [try Fixture.firstNAL("h264_high.h264", type: H264.nalType, H264.sps), Self.synthetic()] {
            let whole = try H264SPS(parsing: nal)
            for n in 0..<nal.count {
                if let parsed = try? H264SPS(parsing: Array(nal[..<n])) { #expect(parsed == whole) }
            }
            #expect(throws: MediaError.self) { try H264SPS(parsing: Array(nal[..<(nal.count / 2)])) }
        }
    }

    @Test func randomAndCorruptedInputNeverCrashes() throws {
        var rng = SplitMix64(seed: 264)
        let real = try Fixture.firstNAL("h264_high.h264", type: H264.nalType, H264.sps)
        for round in 0..<5000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if !bytes.isEmpty { bytes[0] = 0x67 }
            } else {
                bytes = real
                for _ in 0..<3 { bytes[1 + Int(rng.next() % UInt64(bytes.count - 1))] = UInt8(truncatingIfNeeded: rng.next()) }
            }
            if let s = try? H264SPS(parsing: bytes) { #expect(s.width > 0 && s.height > 0) }
        }
    }
}
