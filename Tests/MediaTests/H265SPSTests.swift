import Testing
@testable import Media
import TestSupport

@Suite struct H265SPSTests {
    private func sps(_ fixture: String) throws -> H265SPS {
        try H265SPS(parsing: try Fixture.firstNAL(fixture, type: H265.nalType, H265.sps))
    }

    @Test func nalTypes() {
        #expect(H265.nalType(0x40) == H265.vps)
        #expect(H265.nalType(0x42) == H265.sps)
        #expect(H265.nalType(0x44) == H265.pps)
        #expect(H265.nalType(0x46) == H265.aud)
        #expect(H265.nalType(0x4E) == H265.prefixSEI && H265.nalType(0x50) == H265.suffixSEI)
        #expect(H265.nalType(0x26) == H265.idrWRADL && H265.nalType(0x2A) == H265.cra)
        #expect(H265.isIRAP(H265.idrNLP) && H265.isIRAP(H265.blaWLP) && H265.isIRAP(23))
        #expect(!H265.isIRAP(H265.trailR) && !H265.isIRAP(24) && !H265.isIRAP(H265.vps))
        #expect(H265.isVCL(H265.cra) && !H265.isVCL(H265.sps))
    }

    // Expected values are what ffprobe and ffmpeg's trace_headers report for the fixtures.
    @Test func main320x240() throws {
        let s = try sps("h265_main.h265")
        #expect(s.profileSpace == 0 && !s.tierFlag && s.profile == 1 && s.level == 60)
        #expect(s.compatibilityFlags == 0x6000_0000)
        #expect(s.constraintIndicatorFlags == 0x9000_0000_0000)  // progressive, frame only
        #expect(s.maxSubLayers == 1 && s.temporalIDNesting)
        #expect(s.chromaFormat == 1 && s.bitDepth == 8 && s.bitDepthChroma == 8)
        #expect(s.width == 320 && s.height == 240)
        #expect(s.frameRate == 25)
    }

    @Test func main10With1080pConformanceWindowAndSubLayers() throws {
        let s = try sps("h265_1080_main10.h265")
        #expect(s.profile == 2 && s.level == 123 && s.compatibilityFlags == 0x2000_0000)
        #expect(s.maxSubLayers == 2 && !s.temporalIDNesting)
        #expect(s.bitDepth == 10 && s.bitDepthChroma == 10)
        #expect(s.width == 1920 && s.height == 1080)  // coded 1088, default display window not applied
        #expect(s.frameRate == 50)
    }

    /// Main 4:2:2 10 (range extensions) with three sub-layers carrying profile and level, a conformance window,
    /// scaling list data, PCM, short-term reference picture sets predicted from each other, long-term
    /// references and a VUI with a default display window. ffmpeg's trace_headers reads the same values.
    static func synthetic() -> [UInt8] {
        var w = SyntaxWriter()
        w.u(0x42, 8); w.u(0x01, 8)  // NAL header: SPS, layer 0, temporal ID 1
        w.u(0, 4); w.u(2, 3); w.flag(false)  // VPS ID, max_sub_layers_minus1 2, temporal_id_nesting
        w.u(0, 2); w.flag(true); w.u(4, 5)  // profile space, High tier, profile 4
        w.u(0x0800_0000, 32)  // compatibility flag 4
        w.u(0xA, 4); w.u(0x3A, 8); w.u(0, 32); w.u(1, 4)  // 48 bits of constraint indicator flags
        w.u(150, 8)  // level 5
        w.flag(true); w.flag(true); w.flag(false); w.flag(true)  // sub-layer 0: profile+level; 1: level
        for _ in 2..<8 { w.u(0, 2) }
        w.u(0, 2); w.flag(false); w.u(4, 5); w.u(0x0800_0000, 32); w.u(0, 48); w.u(120, 8)  // sub-layer 0
        w.u(90, 8)  // sub-layer 1 level
        w.ue(1)  // sps_seq_parameter_set_id
        w.ue(2)  // chroma_format_idc 4:2:2
        w.ue(1288); w.ue(728)  // coded size
        w.flag(true); w.ue(2); w.ue(2); w.ue(0); w.ue(8)  // window: 4 + 4 columns, 8 lines (4:2:2: 1 per unit)
        w.ue(2); w.ue(2)  // 10 bits
        w.ue(4)  // log2_max_pic_order_cnt_lsb_minus4: 8 bits of POC LSB
        w.flag(false)  // sub-layer ordering info only for the highest
        w.ue(4); w.ue(2); w.ue(0)
        w.ue(0); w.ue(3); w.ue(0); w.ue(3); w.ue(1); w.ue(1)  // block sizes, transform depths
        w.flag(true); w.flag(true)  // scaling_list_enabled_flag, sps_scaling_list_data_present_flag
        for sizeID in 0..<4 {
            for matrixID in stride(from: 0, to: 6, by: sizeID == 3 ? 3 : 1) {
                if matrixID % 2 == 0 {
                    w.flag(true)
                    if sizeID > 1 { w.se(8) }
                    for k in 0..<min(64, 1 << (4 + 2 * sizeID)) { w.se(k % 3 - 1) }
                } else {
                    w.flag(false); w.ue(1)
                }
            }
        }
        w.flag(true); w.flag(false)  // amp, sample_adaptive_offset
        w.flag(true); w.u(7, 4); w.u(7, 4); w.ue(0); w.ue(1); w.flag(true)  // PCM
        w.ue(3)  // num_short_term_ref_pic_sets
        w.ue(2); w.ue(1)  // set 0: two before, one after
        w.ue(0); w.flag(true); w.ue(1); w.flag(true); w.ue(1); w.flag(false)  // -1, -3, +2
        w.flag(true); w.flag(true); w.ue(0)  // set 1 predicted from set 0, delta_rps -1
        for used in [true, false, true, false] {  // pictures -2, -4, +1 and the reference itself (-1)
            w.flag(used)
            if !used { w.flag(true) }
        }
        w.flag(true); w.flag(false); w.ue(1)  // set 2 predicted from set 1, delta_rps +2
        for used in [true, true, false, false, true] {  // 0 (dropped), -2, +3, +1 (dropped: use_delta 0)...
            w.flag(used)
            if !used { w.flag(false) }
        }
        w.flag(true); w.ue(2); w.u(17, 8); w.flag(true); w.u(200, 8); w.flag(false)  // two long-term POCs
        w.flag(true); w.flag(false)  // temporal MVP, strong intra smoothing
        w.flag(true)  // vui_parameters_present_flag
        w.flag(true); w.u(255, 8); w.u(1, 16); w.u(1, 16)
        w.flag(false)
        w.flag(true); w.u(5, 3); w.flag(true); w.flag(true); w.u(9, 8); w.u(16, 8); w.u(9, 8)
        w.flag(true); w.ue(2); w.ue(2)
        w.flag(false); w.flag(false); w.flag(true)  // neutral chroma, field_seq, frame_field_info
        w.flag(true); w.ue(0); w.ue(0); w.ue(8); w.ue(8)  // default display window
        w.flag(true); w.u(1001, 32); w.u(60000, 32)
        w.flag(false); w.flag(false)  // poc_proportional, HRD
        w.flag(false)  // bitstream_restriction_flag
        w.flag(false)  // sps_extension_present_flag
        w.trailingBits()
        return addingEmulationPrevention(w.bytes)
    }

    @Test func syntheticRangeExtensionsWithEverything() throws {
        let s = try H265SPS(parsing: Self.synthetic())
        #expect(s.tierFlag && s.profile == 4 && s.level == 150 && s.spsID == 1)
        #expect(s.compatibilityFlags == 0x0800_0000)
        #expect(s.constraintIndicatorFlags == 0xA3A0_0000_0001)
        #expect(s.maxSubLayers == 3 && !s.temporalIDNesting)
        #expect(s.chromaFormat == 2 && s.bitDepth == 10)
        #expect(s.width == 1280 && s.height == 720)
        #expect(s.frameRate == 60000.0 / 1001.0)
    }

    @Test func refusesWhatIsNotAnSPS() throws {
        #expect(throws: MediaError.self) { try H265SPS(parsing: [0x42]) }
        #expect(throws: MediaError.self) { try H265SPS(parsing: [0x40, 0x01, 0x0C, 0x01]) }  // a VPS
        var layered = Self.synthetic()
        layered[1] |= 0x08  // nuh_layer_id 1
        #expect(throws: MediaError.self) { try H265SPS(parsing: layered) }
    }

    @Test func truncatedSPSThrows() throws {
        for nal in [try Fixture.firstNAL("h265_main.h265", type: H265.nalType, H265.sps), Self.synthetic()] {
            let whole = try H265SPS(parsing: nal)
            for n in 0..<nal.count {
                if let parsed = try? H265SPS(parsing: Array(nal[..<n])) { #expect(parsed == whole) }
            }
            #expect(throws: MediaError.self) { try H265SPS(parsing: Array(nal[..<(nal.count / 2)])) }
        }
    }

    @Test func randomAndCorruptedInputNeverCrashes() throws {
        var rng = SplitMix64(seed: 265)
        let real = Self.synthetic()
        for round in 0..<5000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(rng.next() % 60)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                if bytes.count > 1 { (bytes[0], bytes[1]) = (0x42, 0x01) }
            } else {
                bytes = real
                for _ in 0..<3 { bytes[2 + Int(rng.next() % UInt64(bytes.count - 2))] = UInt8(truncatingIfNeeded: rng.next()) }
            }
            if let s = try? H265SPS(parsing: bytes) { #expect(s.width > 0 && s.height > 0) }
        }
    }
}
