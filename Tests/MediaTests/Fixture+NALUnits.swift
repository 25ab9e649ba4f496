@testable import Media
import Testing

extension Fixture {
    /// The NAL units of an Annex B elementary-stream fixture (*.h264, *.h265).
    static func nalUnits(_ name: String) throws -> [[UInt8]] {
        AnnexB.nalUnits(try bytes(name))
    }

    /// The first NAL unit of an elementary-stream fixture whose type (by `type`) is `wanted`.
    static func firstNAL(_ name: String, type: (UInt8) -> UInt8, _ wanted: UInt8) throws -> [UInt8] {
        try #require(try nalUnits(name).first { !$0.isEmpty && type($0[0]) == wanted })
    }

    /// The SPS and PPS (and for H.265 the VPS) of an elementary-stream fixture, first of each kind.
    static func h264ParameterSets(_ name: String) throws -> ParameterSets {
        ParameterSets(sps: [try firstNAL(name, type: H264.nalType, H264.sps)],
                      pps: [try firstNAL(name, type: H264.nalType, H264.pps)])
    }

    static func h265ParameterSets(_ name: String) throws -> ParameterSets {
        ParameterSets(vps: [try firstNAL(name, type: H265.nalType, H265.vps)],
                      sps: [try firstNAL(name, type: H265.nalType, H265.sps)],
                      pps: [try firstNAL(name, type: H265.nalType, H265.pps)])
    }
}
